//! `cosmodrome validate`: every published payload a catalog vehicle covers, flown and set beside
//! the published figure; and every flown flight the core knows (`validation::BUILTIN_FLIGHTS`),
//! its vehicle as flown steered into the flown parking orbit and its state at each cutoff set
//! beside the published one. The computations are the core's; this module presents them.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use cosmodrome::validation::{
    fly_flown, parse_table, run_case, summarize, CaseResult, FlownResult, Quantity, BUILTIN_FLIGHTS, BUILTIN_TABLE, BUILTIN_TABLE_FILE,
};
use cosmodrome::vehicle::SiteCatalog;
use serde_json::json;

use crate::args::ValidateArgs;
use crate::table::Table;

/// A flown flight's comparison, or why it could not be flown.
type FlightOutcome = Result<FlownResult, String>;

/// Run the command.
pub fn validate_command(args: &ValidateArgs) -> Result<()> {
    let (text, file) = match &args.table {
        Some(path) => {
            (std::fs::read_to_string(path).with_context(|| format!("cannot read table {}", path.display()))?, path.display().to_string())
        }
        None => (BUILTIN_TABLE.to_owned(), BUILTIN_TABLE_FILE.to_owned()),
    };
    let cases = parse_table(&text, &file)?;
    let sites = SiteCatalog::builtin()?;
    let mut results = Vec::with_capacity(cases.len());
    let show_progress = !args.json && std::io::stderr().is_terminal();
    for (i, case) in cases.iter().enumerate() {
        if show_progress {
            eprint!("\rflying case {}/{}: {} from {}   ", i + 1, cases.len(), case.vehicle, case.site);
        }
        results.push(run_case(case, &sites));
    }
    let mut flights: Vec<FlightOutcome> = Vec::with_capacity(BUILTIN_FLIGHTS.len());
    for (i, flight) in BUILTIN_FLIGHTS.iter().enumerate() {
        if show_progress {
            eprint!("\rflying flown flight {}/{}: {}   ", i + 1, BUILTIN_FLIGHTS.len(), flight.vehicle_file);
        }
        flights.push(fly_flown(flight, &sites).map_err(|e| e.to_string()));
    }
    if show_progress {
        eprint!("\r{:60}\r", "");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results_json(&results, &flights))?);
    } else {
        print_table(&results);
        println!();
        print_trajectories(&flights);
    }
    Ok(())
}

/// A percentage or a difference for JSON, to 0.01.
fn hundredths(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn results_json(results: &[CaseResult], flights: &[FlightOutcome]) -> serde_json::Value {
    let rows: Vec<_> = results
        .iter()
        .map(|r| {
            json!({
                "vehicle": r.case.vehicle,
                "site": r.case.site,
                "orbit": r.case.orbit,
                "perigee_km": r.case.perigee_km,
                "apogee_km": r.case.apogee_km,
                "inclination_deg": r.inclination_deg,
                "orbit_published": r.case.orbit_published,
                "includes_last_stage": r.case.includes_last_stage,
                "published_kg": r.case.payload_kg,
                "predicted_kg": r.predicted_kg.as_ref().ok().map(|p| p.round()),
                "predicted_payload_kg": r.predicted_payload_kg.map(f64::round),
                "error_percent": r.error_percent().map(|e| (e * 10.0).round() / 10.0),
                "failure": r.predicted_kg.as_ref().err(),
                "source": r.case.source,
                "note": r.case.note,
            })
        })
        .collect();
    let summary = |published: bool| {
        summarize(results.iter().filter(|r| !published || r.case.orbit_published)).map(|s| {
            json!({
                "count": s.count,
                "median_abs_error_percent": s.median_abs_error_percent,
                "worst_abs_error_percent": s.worst_abs_error_percent,
            })
        })
    };
    let mut trajectories = Vec::new();
    let mut flown = Vec::new();
    for (flight, outcome) in BUILTIN_FLIGHTS.iter().zip(flights) {
        match outcome {
            Ok(f) => {
                flown.push(json!({
                    "flight": f.reference.flight,
                    "vehicle_file": flight.vehicle_file,
                    "events_file": flight.events_file,
                    "payload_published_kg": f.reference.payload_kg,
                    "payload_predicted_kg": f.predicted_payload_kg.round(),
                    "payload_error_percent": hundredths(f.payload_error_percent()),
                    "payload_source": f.reference.payload_source,
                }));
                trajectories.extend(f.rows.iter().map(|r| {
                    json!({
                        "flight": r.flight,
                        "event": r.event,
                        "quantity": r.quantity.name(),
                        "published": r.published,
                        "predicted": r.predicted.map(|p| (p * 1000.0).round() / 1000.0),
                        "difference": r.difference().map(|d| (d * 1000.0).round() / 1000.0),
                        "error_percent": r.error_percent().map(hundredths),
                    })
                }));
            }
            Err(failure) => flown.push(json!({
                "vehicle_file": flight.vehicle_file,
                "events_file": flight.events_file,
                "failure": failure,
            })),
        }
    }
    json!({
        "cases": rows,
        "fully_specified": summary(true),
        "all": summary(false),
        "trajectories": trajectories,
        "flights": flown,
    })
}

fn print_table(results: &[CaseResult]) {
    let mut t = Table::new(&["vehicle", "site", "orbit", "incl °", "published kg", "predicted kg", "error %", "orbit given"], 2);
    for r in results {
        let c = &r.case;
        let orbit = if c.perigee_km == c.apogee_km {
            format!("{} {:.0} km", c.orbit, c.perigee_km)
        } else {
            format!("{} {:.0}×{:.0} km", c.orbit, c.perigee_km, c.apogee_km)
        };
        t.row(vec![
            c.vehicle.clone(),
            c.site.clone(),
            orbit,
            r.inclination_deg.map_or("–".into(), |i| format!("{i:.1}")),
            format!("{:.0}{}", c.payload_kg, if c.includes_last_stage { "*" } else { "" }),
            match &r.predicted_kg {
                Ok(p) => format!("{p:.0}"),
                Err(_) => "failed".into(),
            },
            r.error_percent().map_or("–".into(), |e| format!("{e:+.1}")),
            if c.orbit_published { "published".into() } else { "assumed".into() },
        ]);
    }
    print!("{}", t.render());
    if results.iter().any(|r| r.case.includes_last_stage) {
        println!("* the published figure counts the last stage and its unburned propellant: compared with the mass at insertion");
    }
    for r in results {
        if let Err(e) = &r.predicted_kg {
            println!("{} from {}: {e}", r.case.vehicle, r.case.site);
        }
    }
    for (label, published) in [("fully specified cases", true), ("all cases", false)] {
        match summarize(results.iter().filter(|r| !published || r.case.orbit_published)) {
            Some(s) => println!(
                "{label} ({}): median |error| {:.1} %, worst {:.1} %",
                s.count, s.median_abs_error_percent, s.worst_abs_error_percent
            ),
            None => println!("{label}: none predicted"),
        }
    }
    println!("sources and assumptions: {BUILTIN_TABLE_FILE} (or the --table file); no per-vehicle correction is applied");
}

fn print_trajectories(flights: &[FlightOutcome]) {
    println!("flown trajectories: the vehicle as flown, steered into the flown parking orbit");
    let mut t = Table::new(&["flight", "event", "quantity", "published", "predicted", "difference", "error %"], 3);
    for f in flights.iter().flatten() {
        for r in &f.rows {
            let decimals = match r.quantity {
                Quantity::Time => 2,
                Quantity::Altitude => 1,
                Quantity::Speed => 1,
                Quantity::FlightPathAngle => 2,
            };
            t.row(vec![
                r.flight.clone(),
                r.event.clone(),
                r.quantity.name().to_owned(),
                format!("{:.*}", decimals, r.published),
                r.predicted.map_or("–".into(), |p| format!("{p:.decimals$}")),
                r.difference().map_or("–".into(), |d| format!("{d:+.decimals$}")),
                r.error_percent().map_or("–".into(), |e| format!("{e:+.2}")),
            ]);
        }
    }
    print!("{}", t.render());
    for (flight, outcome) in BUILTIN_FLIGHTS.iter().zip(flights) {
        match outcome {
            Ok(f) => println!(
                "{}: payload into the flown orbit {:.0} kg, flown {:.0} kg ({:+.2} %)",
                f.reference.flight,
                f.predicted_payload_kg,
                f.reference.payload_kg,
                f.payload_error_percent()
            ),
            Err(e) => println!("{}: {e}", flight.vehicle_file),
        }
    }
    println!("sources: tests/reference/as-506.toml (the vehicle as flown) and tests/reference/as-506-events.toml (the published states)");
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmodrome::validation::{parse_flown, TrajectoryRow};

    /// The JSON shape: cases with their keys, both summaries with a count, and the trajectory
    /// rows, from results made up here (no flight is flown).
    #[test]
    fn json_has_cases_summaries_and_trajectories() {
        let case = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap().remove(0);
        let specified = CaseResult {
            case: case.clone(),
            inclination_deg: Some(5.4),
            predicted_kg: Ok(1.1 * case.payload_kg),
            predicted_payload_kg: Some(1.1 * case.payload_kg),
        };
        let mut assumed_case = case.clone();
        assumed_case.orbit_published = false;
        let assumed =
            CaseResult { case: assumed_case, inclination_deg: Some(51.9), predicted_kg: Err("no".into()), predicted_payload_kg: None };
        let reference = parse_flown(BUILTIN_FLIGHTS[0].events_text, BUILTIN_FLIGHTS[0].events_file).unwrap();
        let flown = FlownResult {
            reference: reference.clone(),
            predicted_payload_kg: 0.98 * reference.payload_kg,
            rows: vec![
                TrajectoryRow {
                    flight: "AS-506".into(),
                    event: "S-II ECO".into(),
                    quantity: Quantity::Altitude,
                    published: 200.0,
                    predicted: Some(198.0),
                },
                TrajectoryRow {
                    flight: "AS-506".into(),
                    event: "S-II ECO".into(),
                    quantity: Quantity::FlightPathAngle,
                    published: 0.6,
                    predicted: Some(0.8),
                },
            ],
            loss_budget: Default::default(),
        };
        let v = results_json(&[specified, assumed], &[Ok(flown)]);
        let cases = v["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 2);
        for key in ["error_percent", "orbit_published", "source", "published_kg", "predicted_kg"] {
            assert!(cases[0].get(key).is_some(), "case lacks {key}: {}", cases[0]);
        }
        assert_eq!(cases[0]["error_percent"].as_f64(), Some(10.0));
        assert!(cases[1]["error_percent"].is_null() && cases[1]["failure"].as_str() == Some("no"));
        assert_eq!(v["fully_specified"]["count"].as_u64(), Some(1));
        assert_eq!(v["all"]["count"].as_u64(), Some(1), "a failed case is not counted");
        assert!(v["all"]["median_abs_error_percent"].as_f64().is_some_and(|m| (m - 10.0).abs() < 1e-9), "{}", v["all"]);
        let rows = v["trajectories"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        for key in ["flight", "event", "quantity", "published", "predicted", "error_percent"] {
            assert!(rows[0].get(key).is_some(), "trajectory row lacks {key}: {}", rows[0]);
        }
        assert_eq!(rows[0]["quantity"], "altitude_km");
        assert_eq!(rows[0]["error_percent"].as_f64(), Some(-1.0));
        assert!(rows[1]["error_percent"].is_null(), "an angle has no relative error: {}", rows[1]);
        assert_eq!(rows[1]["difference"].as_f64(), Some(0.2));
        assert_eq!(v["flights"][0]["payload_error_percent"].as_f64(), Some(-2.0));
    }
}
