//! `cosmodrome validate`: the core's validation mission (every published payload a catalog
//! vehicle covers, and every flown flight the core knows), presented as tables or its report as
//! JSON. The computations are the core's; this module presents them.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use cosmodrome::mission::validate::{builtin_tables, ValidateReport, ValidateStep};
use cosmodrome_io::table_vehicles::TableVehicles;

use crate::args::ValidateArgs;
use crate::table::Table;

/// Run the command.
pub fn validate_command(args: &ValidateArgs) -> Result<()> {
    let tables: Vec<(String, String)> = match &args.table {
        Some(path) => vec![(
            std::fs::read_to_string(path).with_context(|| format!("cannot read table {}", path.display()))?,
            path.display().to_string(),
        )],
        None => builtin_tables().iter().map(|(text, file)| ((*text).to_owned(), (*file).to_owned())).collect(),
    };
    let tables: Vec<(&str, &str)> = tables.iter().map(|(text, file)| (text.as_str(), file.as_str())).collect();
    let show_progress = !args.json && std::io::stderr().is_terminal();
    // Each vehicle file's warnings are printed once, however many cases fly it.
    let files = TableVehicles::new(args.table.as_deref(), |w| eprintln!("warning: {w}"));
    let resolve = |id: &str| files.vehicle(id);
    let report = cosmodrome::mission::validate::validate_tables_with(&tables, &resolve, |step| {
        if show_progress {
            match step {
                ValidateStep::Case { index, count, vehicle, site } => {
                    eprint!("\rflying case {}/{count}: {vehicle} from {site}   ", index + 1)
                }
                ValidateStep::Flight { index, count, vehicle_file } => {
                    eprint!("\rflying flown flight {}/{count}: {vehicle_file}   ", index + 1)
                }
            }
        }
    })?;
    if show_progress {
        eprint!("\r{:60}\r", "");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
        println!();
        print_trajectories(&report);
    }
    Ok(())
}

fn print_table(report: &ValidateReport) {
    let mut t = Table::new(&["vehicle", "site", "orbit", "incl °", "published kg", "predicted kg", "error %", "orbit given"], 2);
    for c in &report.cases {
        let orbit = if c.perigee_km == c.apogee_km {
            format!("{} {:.0} km", c.orbit, c.perigee_km)
        } else {
            format!("{} {:.0}×{:.0} km", c.orbit, c.perigee_km, c.apogee_km)
        };
        t.row(vec![
            c.vehicle.clone(),
            c.site.clone(),
            orbit,
            c.inclination_deg.map_or("–".into(), |i| format!("{i:.1}")),
            format!("{:.0}{}", c.published_kg, if c.includes_last_stage { "*" } else { "" }),
            c.predicted_kg.map_or("failed".into(), |p| format!("{p:.0}")),
            c.error_percent.map_or("–".into(), |e| format!("{e:+.1}")),
            if c.orbit_published { "published".into() } else { "assumed".into() },
        ]);
    }
    print!("{}", t.render());
    if report.cases.iter().any(|c| c.includes_last_stage) {
        println!("* the published figure counts the last stage and its unburned propellant: compared with the mass at insertion, the stage flown with its whole load");
    }
    for c in &report.cases {
        if let Some(e) = &c.failure {
            println!("{} from {}: {e}", c.vehicle, c.site);
        }
    }
    for (label, summary) in [("fully specified cases", &report.fully_specified), ("all cases", &report.all)] {
        match summary {
            Some(s) => println!(
                "{label} ({}): median |error| {:.1} %, worst {:.1} %",
                s.count, s.median_abs_error_percent, s.worst_abs_error_percent
            ),
            None => println!("{label}: none predicted"),
        }
    }
    println!("sources and assumptions: {}; no per-vehicle correction is applied", report.table);
}

fn print_trajectories(report: &ValidateReport) {
    println!("flown trajectories: each flight's vehicle steered into the orbit it reached, beside its published states");
    let mut t = Table::new(&["flight", "event", "quantity", "published", "predicted", "difference", "error %"], 3);
    for r in &report.trajectories {
        // Times and angles to 0.01, altitudes and speeds to 0.1, as the published tables give them.
        let decimals = if matches!(r.quantity.as_str(), "time_s" | "flight_path_angle_deg") { 2 } else { 1 };
        t.row(vec![
            r.flight.clone(),
            r.event.clone(),
            r.quantity.clone(),
            format!("{:.*}", decimals, r.published),
            r.predicted.map_or("–".into(), |p| format!("{p:.decimals$}")),
            r.difference.map_or("–".into(), |d| format!("{d:+.decimals$}")),
            r.error_percent.map_or("–".into(), |e| format!("{e:+.2}")),
        ]);
    }
    print!("{}", t.render());
    for f in &report.flights {
        match (&f.flight, f.payload_predicted_kg, f.payload_published_kg, f.payload_error_percent) {
            (Some(flight), Some(predicted), Some(published), Some(error)) => {
                println!("{flight}: payload into the flown orbit {predicted:.0} kg, flown {published:.0} kg ({error:+.2} %)")
            }
            _ => println!("{}: {}", f.vehicle_file, f.failure.as_deref().unwrap_or("not flown")),
        }
    }
    for f in &report.flights {
        println!("sources: {} (the vehicle) and {} (the published states)", f.vehicle_file, f.events_file);
    }
}
