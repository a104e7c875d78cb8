//! Writers for cosmodrome results: the trajectory table (CSV), the event list (JSON), the
//! drop-zone impacts (CSV) and footprints (GeoJSON, KML), atomic file output. The core computes;
//! this crate only formats and writes.

pub mod atomic;
pub mod dropzones_geojson;
pub mod dropzones_kml;
pub mod impacts_csv;
pub mod payload_report;
pub mod report;
pub mod trajectory_csv;

use std::path::PathBuf;

pub use atomic::{create_dir, write_atomic};

/// Errors of the writers.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// Writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A path that cannot be written to.
    #[error("{}: {message}", path.display())]
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
}
