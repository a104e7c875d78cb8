//! `cosmodrome validate`: the core's validation mission (every published payload a catalog
//! vehicle covers, and every flown flight the core knows), presented as tables or its report as
//! JSON. The computations are the core's; this module presents them.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use cosmodrome::mission::validate::{builtin_tables, ValidateReport, ValidateStep};
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, unknown_vehicle, Vehicle};

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
    let files = TableVehicles::new(args.table.as_deref());
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

/// The vehicles a table's cases name: catalog ids, or vehicle files with paths relative to the
/// table's directory (so a table and its files can be moved together). Each file's warnings are
/// printed once, however many cases fly it.
struct TableVehicles {
    /// The table's directory; `None` for the built-in tables, which name catalog ids only.
    directory: Option<PathBuf>,
    warned: Mutex<HashSet<PathBuf>>,
}

impl TableVehicles {
    fn new(table: Option<&Path>) -> Self {
        let directory = table.map(|t| t.parent().map(Path::to_path_buf).unwrap_or_default());
        TableVehicles { directory, warned: Mutex::new(HashSet::new()) }
    }

    fn vehicle(&self, id: &str) -> Result<Vehicle, cosmodrome::Error> {
        if catalog_ids().contains(&id) {
            return resolve_vehicle(id).map(|(vehicle, _)| vehicle);
        }
        let Some(directory) = &self.directory else { return Err(unknown_vehicle(id)) };
        let path = directory.join(id);
        if !path.is_file() {
            let looks_like_path = id.contains(['/', std::path::MAIN_SEPARATOR]) || id.to_ascii_lowercase().ends_with(".toml");
            return Err(if looks_like_path {
                cosmodrome::Error::invalid(
                    "vehicle",
                    format!("no vehicle file {} (a case's path is relative to the table's directory)", path.display()),
                )
            } else {
                unknown_vehicle(id)
            });
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| cosmodrome::Error::invalid("vehicle", format!("cannot read vehicle file {}: {e}", path.display())))?;
        let (vehicle, warnings) = Vehicle::from_toml(&text, &path.display().to_string())?;
        if self.warned.lock().is_ok_and(|mut w| w.insert(path.clone())) {
            for w in warnings {
                eprintln!("warning: {w}");
            }
        }
        Ok(vehicle)
    }
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
        println!("* the published figure counts the last stage and its unburned propellant: compared with the mass at insertion");
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
