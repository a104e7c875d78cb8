//! `cosmodrome sweep`: the core's payload sweep over vehicles × sites × altitudes ×
//! inclinations, or over the values of one vehicle-file parameter (`--vary`), printed as a
//! table and written with `--out DIR` as `sweep.csv`, `sweep.parquet` and the payload chart
//! (`payload.png`, `payload.svg`).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use cosmodrome::guidance::Branch;
use cosmodrome::mission::sweep::{
    merge_repeated, merge_repeated_inclinations, refuse_repeated_vehicles, sweep_grid, sweep_sites, SweepGrid, SweepInclination,
    SweepReport, SweepRow, VaryParameter,
};
use cosmodrome::vehicle::{catalog_ids, catalog_vehicle, is_site_file, Vehicle};
use cosmodrome_io::sweep_outputs::{write_sweep, SweepLabels};

use crate::args::{flatten, SweepArgs};
use crate::resolve::load_vehicle;
use crate::table::Table;

/// The text of a vehicle file and the name its errors give: a catalog id's built-in file or a
/// file on disk.
fn vehicle_text(id_or_path: &str) -> Result<(String, String)> {
    if catalog_ids().contains(&id_or_path) {
        let text = catalog_vehicle(id_or_path).expect("a catalog id has its file");
        return Ok((text.to_owned(), format!("{id_or_path}.toml")));
    }
    let text = std::fs::read_to_string(id_or_path).with_context(|| format!("cannot read vehicle file {id_or_path}"))?;
    Ok((text, id_or_path.to_owned()))
}

/// Run the command.
pub fn sweep_command(args: &SweepArgs) -> Result<()> {
    let mut vary = args.vary.as_deref().map(VaryParameter::parse).transpose().context("--vary")?;
    if let Some(vary) = &mut vary {
        vary.values = merged("--vary", &vary.values);
    }
    let vehicles: Vec<Vehicle> = match &vary {
        Some(vary) => {
            let [base] = args.vehicles.as_slice() else {
                return Err(crate::failure::usage(format!(
                    "--vary sweeps one vehicle's file; give one vehicle, not {}",
                    args.vehicles.len()
                )));
            };
            // The base file once, for its warnings; then one vehicle per value.
            load_vehicle(base)?;
            let (text, file) = vehicle_text(base)?;
            vary.variants(&text, &file)?
        }
        None => {
            // Before any file is read: a vehicle given twice would give each of its rows twice.
            refuse_repeated_vehicles(&args.vehicles, "<VEHICLES>", |v| !catalog_ids().iter().any(|id| id.eq_ignore_ascii_case(v)))?;
            args.vehicles.iter().map(|v| load_vehicle(v)).collect::<Result<Vec<_>>>()?
        }
    };
    // The chart names each vehicle as its file does (its variants all share the base's name).
    let vehicle_names: Vec<String> = vehicles.iter().map(|v| v.name.clone()).collect();
    let vehicle_labels: Vec<String> = match &vary {
        Some(vary) => vec![args.vehicles[0].clone(); vary.values.len()],
        None => args.vehicles.clone(),
    };
    // Site files read once, here, before anything flies; their errors read as `payload`'s do
    // (the error names the site or the file, so no `--site:` before it).
    let sites = sweep_sites(&args.site).map_err(|e| match e {
        e @ cosmodrome::Error::InvalidInput { .. } => match args.site.iter().find(|s| is_site_file(s) && !Path::new(s).is_file()) {
            Some(missing) => crate::resolve::site_error(missing, e),
            None => anyhow::Error::from(e),
        },
        e => anyhow::Error::from(e),
    })?;
    let site_labels: Vec<String> = sites.iter().map(|s| s.label().to_owned()).collect();
    let refs: Vec<_> = vehicles.iter().collect();
    let altitudes_km = merged("--altitude-km", &flatten(&args.altitude_km));
    let inclinations: Vec<SweepInclination> = if args.inclination_deg.is_empty() {
        vec![SweepInclination::Lowest]
    } else {
        let given: Vec<SweepInclination> = args.inclination_deg.iter().flat_map(|a| a.0.iter().copied()).collect();
        let (kept, repeated) = merge_repeated_inclinations(&given);
        if !repeated.is_empty() {
            eprintln!(
                "note: --inclination-deg: {} given more than once (overlapping ranges?); each value is swept once",
                repeated.join(", ")
            );
        }
        kept
    };
    let grid = SweepGrid {
        vehicles: &refs,
        variants: vary.is_some(),
        sites: &sites,
        altitudes_km: &altitudes_km,
        inclinations: &inclinations,
        branch: Branch::from_southbound(args.southbound),
        warm_start: !args.cold,
    };
    if let Some(v) = altitudes_km.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
        return Err(crate::failure::invalid_input(format!("invalid --altitude-km: must be above 0 km, got {v}")));
    }
    if let Some(out) = &args.out {
        cosmodrome_io::check_out_dir(out)?;
    }
    // Progress only on a terminal.
    let show = std::io::stderr().is_terminal();
    let rows = sweep_grid(&grid, &|done, total| {
        if show {
            eprint!("\rsweep: {done}/{total} points");
            if done == total {
                eprint!("\r{:40}\r", "");
            }
        }
    });
    let parameter = vary.as_ref().map(|v| (v.path.as_str(), v.values.as_slice()));
    let labels = SweepLabels { vehicles: &vehicle_labels, names: &vehicle_names, sites: &site_labels, parameter };
    if !args.json {
        let coast = vehicles.iter().any(|v| v.chosen_coast().is_some());
        print_table(&rows, &labels, vary.as_ref(), coast);
    }
    if let Some(dir) = &args.out {
        let mut record = crate::output::command_record();
        // The sites as given: a site file's path, which the table names by its pad id.
        record.insert("sites".to_owned(), serde_json::json!(args.site));
        record.insert("vehicles".to_owned(), serde_json::json!(vehicle_labels));
        for path in write_sweep(dir, &rows, &labels, &serde_json::Value::Object(record))? {
            eprintln!("wrote {}", path.display());
        }
    }
    // After the files: a run that fails writing them prints its error report instead.
    if args.json {
        println!("{}", serde_json::to_string_pretty(&SweepReport::new(&rows, &vehicle_labels, &site_labels, parameter))?);
    }
    Ok(())
}

/// The values of an axis with each once, in the order typed ([`merge_repeated`]); the values
/// given more than once are said on stderr, naming the option.
fn merged(option: &str, values: &[f64]) -> Vec<f64> {
    let (kept, repeated) = merge_repeated(values);
    if !repeated.is_empty() {
        let list: Vec<String> = repeated.iter().map(|v| format!("{v}")).collect();
        eprintln!("note: {option}: {} given more than once (overlapping ranges?); each value is swept once", list.join(", "));
    }
    kept
}

/// The sweep as the printed table: the status cell notes how a point flies; with `coast`, the
/// coast each point's ascent chose (`coast s`, empty for a vehicle without a range).
fn print_table(rows: &[SweepRow], labels: &SweepLabels<'_>, vary: Option<&VaryParameter>, coast: bool) {
    let mut header = vec!["vehicle", "site", "pad", "altitude km", "incl °", "payload kg", "azimuth °", "status"];
    if let Some(vary) = &vary {
        header.insert(3, vary.path.as_str());
    }
    if coast {
        header.insert(header.len() - 1, "coast s");
    }
    let mut table = Table::new(&header, 3).left_aligned(&[header.len() - 1]);
    for r in rows {
        let (kg, az, status) = match &r.result {
            Ok(p) => {
                // How the point flies when it is not one powered ascent with the stages as loaded.
                let mut notes = Vec::new();
                if p.elliptic_profile {
                    notes.push("elliptic profile".to_owned());
                }
                if let Some(kg) = p.upper_stage_load_kg {
                    notes.push(format!("upper stage loaded with {kg:.0} kg"));
                }
                match p.orbit_payload_kg {
                    Some(kg) => notes.push(format!("held by the liftoff limit, the orbit alone {kg:.1} kg")),
                    None if p.liftoff_limited => notes.push("held by the liftoff limit, the search targeting no heavier".to_owned()),
                    None => {}
                }
                let status = if notes.is_empty() { "ok".to_owned() } else { format!("ok: {}", notes.join(", ")) };
                (format!("{:.1}", p.payload_kg), format!("{:.3}", p.launch_azimuth_deg), status)
            }
            Err(m) => (String::new(), String::new(), format!("unreachable: {m}")),
        };
        let mut cells = vec![
            labels.vehicles[r.vehicle].clone(),
            labels.sites[r.site].clone(),
            r.pad.clone().unwrap_or_default(),
            format!("{}", r.altitude_km),
            match r.inclination_deg {
                // Computed, not typed: to the hundredth, marked.
                Some(i) if r.sun_synchronous => format!("{i:.2} sso"),
                Some(i) => format!("{i}"),
                None => String::new(),
            },
            kg,
            az,
            status,
        ];
        if let Some(vary) = vary {
            cells.insert(3, format!("{}", vary.values[r.vehicle]));
        }
        if coast {
            let coast_s = r.result.as_ref().ok().and_then(|p| p.chosen_coast_s);
            cells.insert(cells.len() - 1, coast_s.map_or_else(String::new, |c| format!("{c:.1}")));
        }
        table.row(cells);
    }
    print!("{}", table.render());
}
