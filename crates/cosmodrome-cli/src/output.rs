//! The output flags of `fly`, `payload` and `dropzones`: checked before any computation, then
//! one whole set of files written with `run.json` recording the command and its inputs.

use std::path::Path;

use anyhow::{Context, Result};
use cosmodrome::flight::{FlightOptions, FlightResult};
use cosmodrome_io::atomic::sha256_hex;
use cosmodrome_io::{check_out_dir, utc, write_run, OutputOptions, RunSummary};
use serde_json::{json, Value};

use crate::args::{OutputArgs, TableFormat};

/// The writers' options from the output flags, every one checked before any flight: `--out`
/// must be a directory a run can be swapped into, `--launch-utc` an epoch the OEM and the
/// report can carry to the end of the longest flight.
pub fn output_options(o: &OutputArgs) -> Result<OutputOptions> {
    if let Some(dir) = &o.out {
        check_out_dir(dir)?;
    }
    let launch_epoch = match &o.launch_utc {
        Some(text) => {
            let epoch = utc::parse(text).context("--launch-utc")?;
            let longest_s = FlightOptions::default().max_time_s;
            if utc::after_liftoff(epoch, longest_s).is_none() {
                return Err(crate::failure::invalid_input(format!(
                    "--launch-utc {text}: a flight may last {longest_s:.0} s, and the epochs of the trajectory would pass \
                     9999-12-31T23:59:59Z, the last one the OEM and the report can write; give an earlier epoch"
                )));
            }
            epoch
        }
        None => utc::default_launch(),
    };
    Ok(OutputOptions { launch_epoch, plots: !o.no_plots, parquet: o.format == TableFormat::Parquet, ..OutputOptions::default() })
}

/// What `run.json` records of any command: the command line, and every argument that names a
/// file with that file's SHA-256 (the vehicle file, wind, dispersions, zones).
pub fn command_record() -> serde_json::Map<String, Value> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let input_files: Vec<Value> = arguments.iter().filter_map(|a| file_record(a)).collect();
    let mut record = serde_json::Map::new();
    record.insert("command".to_owned(), json!(arguments.first()));
    record.insert("arguments".to_owned(), json!(arguments));
    record.insert("input_files".to_owned(), json!(input_files));
    record
}

/// The path and SHA-256 of `arg` when it names a readable file.
fn file_record(arg: &str) -> Option<Value> {
    let path = Path::new(arg);
    path.is_file().then(|| std::fs::read(path).ok().map(|bytes| json!({ "path": arg, "sha256": sha256_hex(&bytes) }))).flatten()
}

/// What `run.json` records of a run: [`command_record`], the vehicle, site, launch (with its UTC
/// epoch) and payload, then what the command adds (`options.record`, e.g. the target orbit).
fn run_record(summary: &RunSummary<'_>, extra: &Value, launch_epoch: cosmodrome_io::Epoch) -> Value {
    let run = &summary.info;
    let vehicle = match file_record(run.vehicle_id) {
        Some(file) => json!({ "name": run.vehicle.name, "file": file }),
        None => json!({ "name": run.vehicle.name, "id": run.vehicle_id }),
    };
    let mut record = command_record();
    record.insert("vehicle".to_owned(), vehicle);
    record.insert("site".to_owned(), json!(run.site_id));
    record.insert(
        "launch".to_owned(),
        json!({
            "latitude_deg": run.launch.latitude_deg,
            "longitude_deg": run.launch.longitude_deg,
            "altitude_m": run.launch.altitude_m,
            "azimuth_deg": run.launch.azimuth_deg,
            "target_inclination_deg": run.inclination_deg,
            // The liftoff epoch: t = 0 of trajectory.csv and events.json, START_TIME of the OEM.
            "utc": cosmodrome_io::utc::iso(launch_epoch),
        }),
    );
    record.insert("payload_kg".to_owned(), json!(run.payload_kg));
    if let Value::Object(fields) = extra {
        record.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Value::Object(record)
}

/// Write a run's files as one set and say which.
pub fn write_run_files(dir: &Path, summary: &RunSummary<'_>, result: &FlightResult, options: &OutputOptions) -> Result<()> {
    let mut options = options.clone();
    options.record = run_record(summary, &options.record, options.launch_epoch);
    let written = write_run(dir, summary, result, &options)?;
    let names: Vec<String> = written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    eprintln!("wrote {} to {}", names.join(", "), dir.display());
    Ok(())
}
