//! One entry point that writes everything a run produces into a directory: `trajectory.csv`,
//! `events.json`, `trajectory.oem`, the plots, `report.html` and, when asked,
//! `trajectory.parquet`. The commands (`fly`, `payload`, `dropzones`) call it so that every run
//! leaves the same set of files.

use std::path::{Path, PathBuf};

use cosmodrome::flight::FlightResult;

use crate::oem::{oem_kvn, simulated_object_id, OemOptions};
use crate::parquet::{parquet_bytes, trajectory_columns};
use crate::plots::{ground_track_plot, profile_plot, DropZone, PlotFormat};
use crate::report::{events_json_bytes, RunInfo};
use crate::report_html::{report_html, InlinePlots};
use crate::trajectory_csv::trajectory_csv;
use crate::utc::UtcEpoch;
use crate::{create_dir, write_atomic, IoError};

/// What the run was, for the headers and the report.
#[derive(Debug, Clone)]
pub struct RunSummary<'a> {
    /// Vehicle, site, launch and payload (as in `events.json`).
    pub info: RunInfo<'a>,
    /// Full name of the pad (`Vostochny Cosmodrome, Site 1A`).
    pub site_name: &'a str,
    /// Lines the report shows under the summary (the ascent program, a warning).
    pub notes: Vec<String>,
}

/// Which outputs to write and how.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    /// UTC epoch of liftoff for the OEM and the report.
    pub launch_epoch: UtcEpoch,
    /// Creation date written into the OEM and the report.
    pub creation_date: UtcEpoch,
    /// Write `profile.{png,svg}` and `ground_track.{png,svg}` and inline them in the report.
    pub plots: bool,
    /// Also write `trajectory.parquet`.
    pub parquet: bool,
    /// Drop zones to outline on the ground track.
    pub drop_zones: Vec<DropZone>,
    /// Designated zones (the areas the ascent was shaped to) to outline on the ground track.
    pub designated_zones: Vec<DropZone>,
}

impl Default for OutputOptions {
    /// Launch at [`UtcEpoch::DEFAULT_LAUNCH`], created now, plots on, no Parquet.
    fn default() -> Self {
        OutputOptions {
            launch_epoch: UtcEpoch::DEFAULT_LAUNCH,
            creation_date: UtcEpoch::now(),
            plots: true,
            parquet: false,
            drop_zones: Vec::new(),
            designated_zones: Vec::new(),
        }
    }
}

/// Write the outputs of a run into `dir` (created if missing). Returns the paths written, in
/// order. Every file is written atomically; a failure names the file and leaves the files
/// already written in place.
pub fn write_run(dir: &Path, summary: &RunSummary<'_>, result: &FlightResult, options: &OutputOptions) -> Result<Vec<PathBuf>, IoError> {
    create_dir(dir)?;
    let mut written = Vec::new();
    let put = |written: &mut Vec<PathBuf>, name: &str, bytes: &[u8]| -> Result<(), IoError> {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    let run = &summary.info;
    put(&mut written, "trajectory.csv", &trajectory_csv(result)?)?;
    put(&mut written, "events.json", &events_json_bytes(run, result)?)?;
    let oem = OemOptions {
        launch_epoch: options.launch_epoch,
        creation_date: options.creation_date,
        object_name: run.vehicle.name.clone(),
        object_id: simulated_object_id(run.vehicle_id),
        originator: "COSMODROME".to_owned(),
    };
    put(&mut written, "trajectory.oem", &oem_kvn(result, &oem)?)?;
    if options.parquet {
        put(&mut written, "trajectory.parquet", &parquet_bytes("trajectory.parquet", &trajectory_columns(result))?)?;
    }
    let mut svgs = None;
    if options.plots {
        for format in [PlotFormat::Png, PlotFormat::Svg] {
            let profile = profile_plot(run, result, format)?;
            let track = ground_track_plot(run, result, &options.drop_zones, &options.designated_zones, format)?;
            put(&mut written, &format!("profile.{}", format.extension()), &profile)?;
            put(&mut written, &format!("ground_track.{}", format.extension()), &track)?;
            if format == PlotFormat::Svg {
                svgs = Some((profile, track));
            }
        }
    }
    let mut files: Vec<String> = written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    files.push("report.html".to_owned());
    let svg_text = svgs.as_ref().map(|(p, t)| (String::from_utf8_lossy(p), String::from_utf8_lossy(t)));
    let plots = svg_text.as_ref().map(|(p, t)| InlinePlots { profile_svg: p, ground_track_svg: t });
    put(&mut written, "report.html", &report_html(summary, result, options.launch_epoch, options.creation_date, plots, &files)?)?;
    Ok(written)
}
