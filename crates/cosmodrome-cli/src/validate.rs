//! `cosmodrome validate`: every published payload a catalog vehicle covers, flown and set beside
//! the published figure.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use cosmodrome::validation::{error_summary, parse_table, run_case, CaseResult, BUILTIN_TABLE, BUILTIN_TABLE_FILE};
use cosmodrome::vehicle::SiteCatalog;
use serde_json::json;

use crate::args::ValidateArgs;
use crate::table::Table;

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
    if show_progress {
        eprint!("\r{:60}\r", "");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results_json(&results))?);
    } else {
        print_table(&results);
    }
    Ok(())
}

fn results_json(results: &[CaseResult]) -> serde_json::Value {
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
                "published_kg": r.case.payload_kg,
                "predicted_kg": r.predicted_kg.as_ref().ok().map(|p| p.round()),
                "error_percent": r.error_percent().map(|e| (e * 10.0).round() / 10.0),
                "failure": r.predicted_kg.as_ref().err(),
                "source": r.case.source,
                "note": r.case.note,
            })
        })
        .collect();
    let summary = |published: bool| {
        error_summary(results.iter().filter(|r| !published || r.case.orbit_published))
            .map(|(median, worst)| json!({ "median_abs_error_percent": median, "worst_abs_error_percent": worst }))
    };
    json!({ "cases": rows, "fully_specified": summary(true), "all": summary(false) })
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
            format!("{:.0}", c.payload_kg),
            match &r.predicted_kg {
                Ok(p) => format!("{p:.0}"),
                Err(_) => "failed".into(),
            },
            r.error_percent().map_or("–".into(), |e| format!("{e:+.1}")),
            if c.orbit_published { "published".into() } else { "assumed".into() },
        ]);
    }
    print!("{}", t.render());
    for r in results {
        if let Err(e) = &r.predicted_kg {
            println!("{} from {}: {e}", r.case.vehicle, r.case.site);
        }
    }
    for (label, published) in [("fully specified cases", true), ("all cases", false)] {
        match error_summary(results.iter().filter(|r| !published || r.case.orbit_published)) {
            Some((median, worst)) => println!("{label}: median |error| {median:.1} %, worst {worst:.1} %"),
            None => println!("{label}: none predicted"),
        }
    }
    println!("sources and assumptions: {BUILTIN_TABLE_FILE} (or the --table file); no per-vehicle correction is applied");
}
