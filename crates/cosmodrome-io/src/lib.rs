//! Writers for cosmodrome results: the trajectory table (CSV, Parquet), the event list (JSON),
//! the CCSDS OEM ephemeris, plots (PNG, SVG), the HTML report, the drop-zone impacts (CSV) and
//! footprints (GeoJSON, KML), the vacuum instantaneous-impact-point trace (GeoJSON, KML), a
//! payload sweep's table and chart, atomic file output; and reads the vehicle files a
//! validation table names ([`table_vehicles`]). The core computes; this crate only formats,
//! reads and writes. [`run_outputs::write_run`] writes a run's whole set.

pub mod antimeridian;
pub mod atomic;
pub mod budget_report;
pub mod coastline;
pub mod dropzones_geojson;
pub mod dropzones_kml;
pub mod iip;
pub mod impacts_csv;
pub mod markup;
pub mod oem;
pub mod parquet;
pub mod plots;
pub mod report;
pub mod report_html;
pub mod run_outputs;
pub mod sweep_outputs;
pub mod table_vehicles;
pub mod trajectory_csv;
pub mod utc;

use std::path::PathBuf;

pub use atomic::{check_out_dir, create_dir, write_atomic, OutDir, Staging};
pub use cosmodrome::mission::common::kg_text;
pub use report::RunSummary;
pub use run_outputs::{run_files, write_run, write_set, OutputOptions};
pub use trajectory_csv::{fixed, significant};
pub use utc::Epoch;

/// Errors of the writers.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// Writing a file failed. The OS error is part of the message and not chained as a source,
    /// so that an error chain prints it once.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A path that cannot be written to, or an `--out` directory refused before the run.
    #[error("--out {}: {message}", path.display())]
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A value that must not reach a file (NaN, infinity).
    #[error("refusing to write {what}: {message}")]
    Invalid {
        /// Which output.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// Text that does not parse (an epoch).
    #[error("invalid {what}: {message}")]
    Parse {
        /// What was being read.
        what: String,
        /// What is wrong, quoting the text.
        message: String,
    },
}
