//! `cosmodrome sweep`: the core's payload sweep over vehicles × sites × altitudes ×
//! inclinations, printed as a table and written as CSV with `--out`.

use std::fmt::Write as _;
use std::io::IsTerminal;

use anyhow::Result;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::sweep::sweep;

use crate::args::SweepArgs;
use crate::resolve::load_vehicle;
use crate::table::Table;

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Run the command.
pub fn sweep_command(args: &SweepArgs) -> Result<()> {
    let vehicles = args.vehicles.iter().map(|v| load_vehicle(v)).collect::<Result<Vec<_>>>()?;
    let refs: Vec<_> = vehicles.iter().collect();
    let inclinations: Vec<Option<f64>> =
        if args.inclination_deg.is_empty() { vec![None] } else { args.inclination_deg.iter().copied().map(Some).collect() };
    let branch = if args.southbound { Branch::Southbound } else { Branch::Northbound };
    // Progress only on a terminal.
    let show = std::io::stderr().is_terminal();
    let rows = sweep(&refs, &args.site, &args.altitude_km, &inclinations, branch, &|done, total| {
        if show {
            eprint!("\rsweep: {done}/{total} points");
            if done == total {
                eprint!("\r{:40}\r", "");
            }
        }
    });
    let mut table = Table::new(&["vehicle", "site", "pad", "altitude km", "incl °", "payload kg", "azimuth °", "status"], 3);
    let mut csv = String::from("vehicle,site,pad,altitude_km,inclination_deg,payload_kg,launch_azimuth_deg,status,message\n");
    for r in &rows {
        let (kg, az, status, message) = match &r.result {
            Ok((kg, az)) => (format!("{kg:.1}"), format!("{az:.3}"), "ok", String::new()),
            Err(m) => (String::new(), String::new(), "unreachable", m.clone()),
        };
        let inc = r.inclination_deg.map_or_else(String::new, |i| format!("{i}"));
        let pad = r.pad.clone().unwrap_or_default();
        table.row(vec![
            args.vehicles[r.vehicle].clone(),
            args.site[r.site].clone(),
            pad.clone(),
            format!("{}", r.altitude_km),
            inc.clone(),
            kg.clone(),
            az.clone(),
            if message.is_empty() { status.to_owned() } else { format!("{status}: {message}") },
        ]);
        let fields = [&args.vehicles[r.vehicle], &args.site[r.site], &pad, &format!("{}", r.altitude_km), &inc, &kg, &az, status, &message];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(csv, "{}", line.join(",")).expect("writing to a String");
    }
    print!("{}", table.render());
    if let Some(path) = &args.out {
        // Whole or not at all: a reader never sees half a table.
        cosmodrome_io::write_atomic(path, csv.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
