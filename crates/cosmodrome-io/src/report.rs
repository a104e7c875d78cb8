//! `events.json`: the flight report of the core ([`cosmodrome::mission::FlightReport`]: the run's
//! setup, every event with its state, the jettisoned bodies, the final state with its
//! osculating orbit), serialized as it is; and [`RunSummary`], what every writer of a run is told
//! about it.

use cosmodrome::flight::FlightResult;
pub use cosmodrome::mission::flight::ascent_end_text;
use cosmodrome::mission::FlightReport;
pub use cosmodrome::mission::RunInfo;

use crate::IoError;

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

/// `events.json` as pretty-printed bytes; refuses non-finite numbers (serde_json would write them
/// as null).
pub fn events_json_bytes(run: &RunInfo<'_>, result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let invalid = |message: String| IoError::Invalid { what: "events.json".to_owned(), message };
    let report = FlightReport::new(run, result).map_err(|e| invalid(e.to_string()))?;
    let mut bytes = serde_json::to_vec_pretty(&report).map_err(|e| invalid(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}
