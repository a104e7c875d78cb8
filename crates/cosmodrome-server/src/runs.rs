//! The runs kept for download: what a payload, a flight or a drop-zone computation needs to
//! write its files (the same set `--out` writes, [`cosmodrome_io::run_files`]), kept in memory
//! under an id. The files are formatted on the first request for them, then kept with the run;
//! only the last [`KEPT_RUNS`] runs are kept, fewer when they would take more than
//! [`KEPT_RUN_BYTES`] (a drop-zone run of 100 000 falls per body holds tens of MB of impacts).
//! Nothing touches the file system.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use cosmodrome::dropzone::AscentReplay;
use cosmodrome::dropzone::DesignatedZones;
use cosmodrome::flight::{FlightResult, Launch};
use cosmodrome::mission::dropzones::{ascent_footprints, ELLIPSE_VERTICES};
use cosmodrome::mission::RunInfo;
use cosmodrome::vehicle::Vehicle;
use cosmodrome_io::plots::DropZone;
use cosmodrome_io::{run_files, OutputOptions, RunSummary};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ApiError;

/// Runs kept at once; the oldest goes first. A run's files (plots, report, tables) take a few
/// MB, the impact tables of a large Monte Carlo more.
pub const KEPT_RUNS: usize = 16;

/// Memory the kept runs may take, estimated (the newest run is kept whatever its size).
pub const KEPT_RUN_BYTES: usize = 512 << 20;

/// Dispersed falls per body of the ellipses on a payload run's ground track (as `payload --out`).
const PLOT_SAMPLES: usize = 300;

/// The drop zones outlined on a run's ground track.
#[derive(Debug, Clone)]
pub enum PlotZones {
    /// None (a flight).
    None,
    /// The ellipses of a small Monte Carlo of the ascent's falls and solid motors (the ascent's
    /// program, flown again per sample), drawn when the files are formatted (a payload run, as
    /// `payload --out`).
    OfTheAscent(AscentReplay),
    /// Those of the drop-zone computation.
    Given(Vec<DropZone>),
}

/// Everything a run's files are formatted from.
#[derive(Debug, Clone)]
pub struct RunInputs {
    /// The vehicle flown.
    pub vehicle: Vehicle,
    /// Its catalog id, or `vehicle_toml` for a vehicle file sent as text.
    pub vehicle_id: String,
    /// The vehicle file's text when it came in the request (its SHA-256 goes into `run.json`).
    pub vehicle_toml: Option<String>,
    /// Pad id.
    pub site_id: String,
    /// Pad name.
    pub site_name: String,
    /// Pad and azimuth.
    pub launch: Launch,
    /// Target inclination, degrees.
    pub inclination_deg: Option<f64>,
    /// Payload, kg.
    pub payload_kg: f64,
    /// Usable propellant of the offloaded upper stage, kg (`vehicle` is so loaded); `None`: as
    /// the vehicle file loads it.
    pub upper_stage_load_kg: Option<f64>,
    /// The last solid stage's energy-management weave, degrees (`fly` with a light payload).
    pub energy_weave_deg: Option<f64>,
    /// Lines under the report's summary.
    pub notes: Vec<String>,
    /// The sampled flight.
    pub flight: FlightResult,
    /// Drop zones on the ground track.
    pub zones: PlotZones,
    /// The designated zones of the request.
    pub designated: Option<DesignatedZones>,
    /// Writer options: the command's own files, impacts, what `run.json` records of the command.
    pub options: OutputOptions,
}

/// The designated zones' edges for the ground-track plot.
pub fn designated_plot_zones(zones: Option<&DesignatedZones>) -> Vec<DropZone> {
    zones.map_or_else(Vec::new, |d| {
        d.zones
            .iter()
            .map(|z| {
                let ring = z.outline(ELLIPSE_VERTICES).iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect();
                (format!("{} ({})", z.name, z.bodies), ring)
            })
            .collect()
    })
}

impl RunInputs {
    /// Memory it takes once its files are formatted, estimated: the command's own files twice
    /// (in the inputs and among the files), the flight's samples, and a few MB of plots.
    fn estimated_bytes(&self) -> usize {
        let extra: usize = self.options.extra_files.iter().map(|(_, b)| b.len()).sum();
        2 * extra + self.flight.samples.len() * (std::mem::size_of::<cosmodrome::flight::Sample>() + 400) + (4 << 20)
    }

    /// The run's files, in the order `--out` writes them, `run.json` last.
    fn format(&self) -> Result<Files, ApiError> {
        let info = RunInfo {
            vehicle: &self.vehicle,
            vehicle_id: &self.vehicle_id,
            site_id: &self.site_id,
            launch: self.launch,
            inclination_deg: self.inclination_deg,
            payload_kg: self.payload_kg,
            upper_stage_load_kg: self.upper_stage_load_kg,
            energy_weave_deg: self.energy_weave_deg,
        };
        let summary = RunSummary { info, site_name: &self.site_name, notes: self.notes.clone() };
        let mut options = self.options.clone();
        options.drop_zones = match &self.zones {
            PlotZones::None => Vec::new(),
            PlotZones::Given(z) => z.clone(),
            PlotZones::OfTheAscent(ascent) => ascent_footprints(&self.vehicle, &self.launch, &self.flight, *ascent, PLOT_SAMPLES, 1)?
                .iter()
                .map(|(name, f)| (name.clone(), f.ellipse.iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect()))
                .collect(),
        };
        options.designated_zones = designated_plot_zones(self.designated.as_ref());
        options.record = self.record();
        run_files(&summary, &self.flight, &options).map_err(|e| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, None, format!("the run's files cannot be written: {e}"))
                .with_kind(cosmodrome::mission::ErrorKind::Io)
        })
    }

    /// What `run.json` records: the server, the vehicle (with the SHA-256 of a file sent as
    /// text), site, launch and payload, then what the computation adds.
    fn record(&self) -> Value {
        let vehicle = match &self.vehicle_toml {
            Some(text) => json!({ "name": self.vehicle.name, "file": { "request_member": "vehicle_toml",
                                   "sha256": cosmodrome_io::atomic::sha256_hex(text.as_bytes()) } }),
            None => json!({ "name": self.vehicle.name, "id": self.vehicle_id }),
        };
        let mut record = json!({
            "command": "serve",
            "vehicle": vehicle,
            "site": self.site_id,
            "launch": {
                "latitude_deg": self.launch.latitude_deg,
                "longitude_deg": self.launch.longitude_deg,
                "altitude_m": self.launch.altitude_m,
                "azimuth_deg": self.launch.azimuth_deg,
                "target_inclination_deg": self.inclination_deg,
            },
            "payload_kg": self.payload_kg,
        });
        if let (Value::Object(out), Value::Object(fields)) = (&mut record, &self.options.record) {
            out.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        record
    }
}

/// A run's files: name and content, in the order `--out` writes them.
pub type Files = Vec<(String, Vec<u8>)>;

/// A kept run: its inputs, and its files once formatted (or why they cannot be).
#[derive(Debug)]
pub struct Run {
    inputs: RunInputs,
    files: OnceLock<Result<Files, String>>,
}

impl Run {
    /// The files, formatted on the first call (blocking: call it off the async threads).
    pub fn files(&self) -> Result<&[(String, Vec<u8>)], ApiError> {
        self.files
            .get_or_init(|| self.inputs.format().map_err(|e| e.error))
            .as_deref()
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, None, e.clone()))
    }
}

/// One file of a run, as `GET /api/runs/{id}` lists it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RunFile {
    /// File name (`trajectory.csv`).
    pub name: String,
    /// Size, bytes.
    pub size_bytes: usize,
    /// Media type it is served as.
    pub media_type: &'static str,
    /// Where to download it.
    pub href: String,
}

/// `GET /api/runs/{id}`: the files of a run.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RunListing {
    /// Run id.
    pub id: String,
    /// Every file of the set, in the order `--out` writes them.
    pub files: Vec<RunFile>,
}

/// Where a run is, in an answer that made one.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunLink {
    /// Run id.
    pub id: String,
    /// `GET` it for the list of files.
    pub href: String,
}

/// The media type of a run file, by its extension.
pub fn media_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "kml" => "application/vnd.google-earth.kml+xml",
        "oem" => "text/plain; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "parquet" => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    }
}

impl Run {
    /// The listing of its files.
    pub fn listing(&self, id: &str) -> Result<RunListing, ApiError> {
        let files = self
            .files()?
            .iter()
            .map(|(name, bytes)| RunFile {
                name: name.clone(),
                size_bytes: bytes.len(),
                media_type: media_type(name),
                href: format!("/api/runs/{id}/files/{name}"),
            })
            .collect();
        Ok(RunListing { id: id.to_owned(), files })
    }
}

/// The kept runs.
#[derive(Debug, Default)]
pub struct Runs {
    kept: Mutex<VecDeque<(String, Arc<Run>)>>,
    next: AtomicU64,
}

impl Runs {
    /// Keep a run (dropping the oldest past [`KEPT_RUNS`]); its link.
    pub fn insert(&self, inputs: RunInputs) -> RunLink {
        let id = format!("r{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.push_back((id.clone(), Arc::new(Run { inputs, files: OnceLock::new() })));
        let bytes = |kept: &VecDeque<(String, Arc<Run>)>| kept.iter().map(|(_, r)| r.inputs.estimated_bytes()).sum::<usize>();
        while kept.len() > KEPT_RUNS || (kept.len() > 1 && bytes(&kept) > KEPT_RUN_BYTES) {
            kept.pop_front();
        }
        RunLink { href: format!("/api/runs/{id}"), id }
    }

    /// A kept run, or 404.
    pub fn get(&self, id: &str) -> Result<Arc<Run>, ApiError> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter()
            .find(|(k, _)| k == id)
            .map(|(_, r)| r.clone())
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, None, format!("no run `{id}` (only the last {KEPT_RUNS} runs are kept)")))
    }
}
