//! One entry point that writes everything a run produces into a directory as one whole set:
//! `trajectory.csv`, `events.json`, `trajectory.oem`, when asked `trajectory.parquet`, the
//! vacuum instantaneous-impact-point trace `iip.geojson` and `iip.kml`, the plots,
//! `report.html`, the command's own files (`payload.json`, `impacts.csv`, …) and
//! `run.json`, the list of the set. The commands (`fly`, `payload`, `dropzones`) call it so that
//! every run leaves the same kind of set, swapped in whole ([`crate::atomic::Staging`]).
//!
//! `run.json` holds the format version, the cosmodrome version, the creation date, what the
//! command records of itself (command line, vehicle with its file's SHA-256, site, target,
//! payload) and every file of the set with its size and SHA-256.

use std::path::{Path, PathBuf};

use cosmodrome::dropzone::NominalImpact;
use cosmodrome::flight::FlightResult;
use serde_json::{json, Value};

use crate::atomic::{sha256_hex, SetFile, Staging, RUN_JSON};
use crate::iip::{iip_geojson, iip_kml, IIP_GEOJSON, IIP_KML};
use crate::oem::{oem_kvn, simulated_object_id, OemOptions};
use crate::parquet::{parquet_bytes, trajectory_columns};
use crate::plots::{ground_track_plot_with_impacts, has_mission_timeline, profile_plot, timeline_plot, DropZone, PlotFormat};
use crate::report::events_json_bytes;
pub use crate::report::RunSummary;
use crate::report_html::{report_html, InlinePlots, ReportExtras};
use crate::trajectory_csv::trajectory_csv;
use crate::utc::{self, Epoch};
use crate::IoError;

/// Version of the layout of `run.json`; raised when a member changes meaning.
pub const RUN_JSON_FORMAT_VERSION: u32 = 1;

/// Which outputs to write and how.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    /// UTC epoch of liftoff for the OEM and the report.
    pub launch_epoch: Epoch,
    /// Creation date written into the OEM and the report.
    pub creation_date: Epoch,
    /// Write `profile.{png,svg}` and `ground_track.{png,svg}` and inline them in the report.
    pub plots: bool,
    /// Also write `trajectory.parquet`.
    pub parquet: bool,
    /// Drop zones to outline on the ground track.
    pub drop_zones: Vec<DropZone>,
    /// Designated zones (the areas the ascent was shaped to) to outline on the ground track.
    pub designated_zones: Vec<DropZone>,
    /// Nominal impact of each jettisoned body (in separation order): in the report and on the
    /// ground track.
    pub impacts: Vec<NominalImpact>,
    /// The command's own files (`payload.json`, `impacts.csv`, …), written first: name and content.
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// What the command records of itself in `run.json` (an object: command, arguments, inputs).
    pub record: Value,
}

impl Default for OutputOptions {
    /// Launch at [`utc::DEFAULT_LAUNCH_UTC`], created now, plots on, no Parquet.
    fn default() -> Self {
        OutputOptions {
            launch_epoch: utc::default_launch(),
            creation_date: utc::now(),
            plots: true,
            parquet: false,
            drop_zones: Vec::new(),
            designated_zones: Vec::new(),
            impacts: Vec::new(),
            extra_files: Vec::new(),
            record: Value::Null,
        }
    }
}

/// Write the outputs of a run into `dir` as one set, swapped in whole: `dir` (created if missing,
/// parents included) ends up holding exactly the returned files, in order, `run.json` last; on a
/// failure it keeps what it held before. `dir` must pass [`crate::check_out_dir`].
pub fn write_run(dir: &Path, summary: &RunSummary<'_>, result: &FlightResult, options: &OutputOptions) -> Result<Vec<PathBuf>, IoError> {
    let mut set = Staging::begin(dir)?;
    make_run(summary, result, options, &mut |name, bytes| set.put(name, bytes))?;
    committed(set)
}

/// Write `files` (name and content, in order) into `dir` as one set with `run.json` last,
/// recording `record` (what the command records of itself), swapped in whole as [`write_run`]
/// does: the outputs of a command that flies no single trajectory (a sweep).
pub fn write_set(dir: &Path, files: &[(&str, Vec<u8>)], record: &Value) -> Result<Vec<PathBuf>, IoError> {
    let mut set = Staging::begin(dir)?;
    for (name, bytes) in files {
        set.put(name, bytes)?;
    }
    let listed = set.files().to_vec();
    set.put(RUN_JSON, &run_json(record, utc::now(), &listed)?)?;
    committed(set)
}

/// Swap `set` in; the paths of its files, in the order they were put.
fn committed(set: Staging) -> Result<Vec<PathBuf>, IoError> {
    let names: Vec<String> = set.files().iter().map(|f| f.name.clone()).collect();
    let target = set.commit()?;
    Ok(names.iter().map(|n| target.join(n)).collect())
}

/// The outputs of a run in memory, the same files in the same order as [`write_run`] writes
/// them, `run.json` last: name and content of each (`cosmodrome serve` offers them for download).
pub fn run_files(summary: &RunSummary<'_>, result: &FlightResult, options: &OutputOptions) -> Result<Vec<(String, Vec<u8>)>, IoError> {
    let mut files = Vec::new();
    make_run(summary, result, options, &mut |name, bytes| {
        files.push((name.to_owned(), bytes.to_vec()));
        Ok(())
    })?;
    Ok(files)
}

/// What takes each file of a run: its name and content.
type Put<'a> = dyn FnMut(&str, &[u8]) -> Result<(), IoError> + 'a;

/// Where [`make_run`] puts each file as soon as it is made, listing it for `run.json`.
struct Sink<'a, 'b> {
    put: &'a mut Put<'b>,
    listed: Vec<SetFile>,
}

impl Sink<'_, '_> {
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), IoError> {
        (self.put)(name, bytes)?;
        self.listed.push(SetFile { name: name.to_owned(), size_bytes: bytes.len() as u64, sha256: sha256_hex(bytes) });
        Ok(())
    }
}

/// Make every file of a run, in order, `run.json` last, each handed to `put` as soon as it is
/// made (so that [`write_run`] writes each file while the next is drawn).
fn make_run(summary: &RunSummary<'_>, result: &FlightResult, options: &OutputOptions, put: &mut Put<'_>) -> Result<(), IoError> {
    let mut set = Sink { put, listed: Vec::new() };
    for (name, bytes) in &options.extra_files {
        set.put(name, bytes)?;
    }
    let run = &summary.info;
    set.put("trajectory.csv", &trajectory_csv(result)?)?;
    set.put("events.json", &events_json_bytes(run, result)?)?;
    let oem = OemOptions {
        launch_epoch: options.launch_epoch,
        creation_date: options.creation_date,
        object_name: run.vehicle.name.clone(),
        object_id: simulated_object_id(run.vehicle_id),
        originator: "COSMODROME".to_owned(),
    };
    set.put("trajectory.oem", &oem_kvn(result, &oem)?)?;
    if options.parquet {
        set.put("trajectory.parquet", &parquet_bytes("trajectory.parquet", &trajectory_columns(result))?)?;
    }
    set.put(IIP_GEOJSON, &iip_geojson(result)?)?;
    set.put(IIP_KML, &iip_kml(&format!("{} from {}", run.vehicle.name, summary.site_name), result)?)?;
    let impact_marks = impact_marks(&options.impacts);
    let mut svgs = None;
    let mut timeline_svg = None;
    if options.plots {
        // The mission timeline when the flight coasts between burns (a parking orbit, restarts).
        let timeline = has_mission_timeline(run, result);
        for format in [PlotFormat::Png, PlotFormat::Svg] {
            let profile = profile_plot(run, result, format)?;
            let track = ground_track_plot_with_impacts(run, result, &options.drop_zones, &options.designated_zones, &impact_marks, format)?;
            set.put(&format!("profile.{}", format.extension()), &profile)?;
            set.put(&format!("ground_track.{}", format.extension()), &track)?;
            if timeline {
                let plot = timeline_plot(run, result, format)?;
                set.put(&format!("timeline.{}", format.extension()), &plot)?;
                if format == PlotFormat::Svg {
                    timeline_svg = Some(plot);
                }
            }
            if format == PlotFormat::Svg {
                svgs = Some((profile, track));
            }
        }
    }
    let mut files: Vec<String> = set.listed.iter().map(|f| f.name.clone()).collect();
    files.extend(["report.html".to_owned(), RUN_JSON.to_owned()]);
    let svg_text = svgs.as_ref().map(|(p, t)| (String::from_utf8_lossy(p), String::from_utf8_lossy(t)));
    let plots = svg_text.as_ref().map(|(p, t)| InlinePlots { profile_svg: p, ground_track_svg: t });
    let timeline_text = timeline_svg.as_ref().map(|t| String::from_utf8_lossy(t));
    let report = ReportExtras { files: &files, impacts: &options.impacts, timeline_svg: timeline_text.as_deref() };
    set.put("report.html", &report_html(summary, result, options.launch_epoch, options.creation_date, plots, &report)?)?;
    let record = run_json(&options.record, options.creation_date, &set.listed)?;
    set.put(RUN_JSON, &record)
}

/// `run.json`: format, versions, creation date, the command's record, every file with size and hash.
pub fn run_json(record: &Value, created: Epoch, files: &[SetFile]) -> Result<Vec<u8>, IoError> {
    let mut value = json!({
        "format": "cosmodrome run",
        "format_version": RUN_JSON_FORMAT_VERSION,
        "cosmodrome_version": env!("CARGO_PKG_VERSION"),
        "created": utc::iso(created),
    });
    if let (Value::Object(out), Value::Object(fields)) = (&mut value, record) {
        out.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    value["files"] =
        files.iter().map(|f| json!({ "name": f.name, "size_bytes": f.size_bytes, "sha256": f.sha256 })).collect::<Vec<_>>().into();
    let mut bytes =
        serde_json::to_vec_pretty(&value).map_err(|e| IoError::Invalid { what: RUN_JSON.to_owned(), message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The nominal impacts that came down, as ground-track marks: body name and (longitude, latitude).
fn impact_marks(impacts: &[NominalImpact]) -> Vec<(String, (f64, f64))> {
    impacts
        .iter()
        .filter_map(|n| n.impact().map(|i| (n.name.clone(), (i.longitude_deg, i.latitude_deg))))
        .filter(|(_, (lon, lat))| lon.is_finite() && lat.is_finite())
        .collect()
}
