//! The report of a run that failed (`cosmodrome … --json` that exits non-zero): what went wrong
//! as a kind a script can branch on, the message the command line prints, and where in a data
//! file the problem sits. A script that reads a command's JSON from stdout reads this instead of
//! the report it asked for, so it never has to parse the human message on stderr.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FileLocation};

/// Layout and version of [`ErrorReport`] (its `format` member).
pub const ERROR_FORMAT: &str = "cosmodrome-error/1";

/// What a failed run prints on stdout when it was asked for JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// Every member is always written, `location` as `null` when there is none.
#[schemars(extend("required" = ["format", "kind", "message", "location", "exit_code"]))]
pub struct ErrorReport {
    /// Layout and version of this report: `cosmodrome-error/1`.
    #[schemars(extend("const" = ERROR_FORMAT))]
    pub format: String,
    /// What kind of failure it is.
    pub kind: ErrorKind,
    /// The message, as the command line prints it on stderr after `error: ` (it may span lines:
    /// a hint follows some messages).
    pub message: String,
    /// Where in a data file the problem sits (`invalid_file`); `null` for every other kind.
    pub location: Option<ErrorLocation>,
    /// The process's exit status.
    pub exit_code: u8,
}

/// Where in a data file (vehicle, site, zones, dispersions, propellant table) a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["file", "line", "key"]))]
pub struct ErrorLocation {
    /// File name as given on the command line, or the catalog file (`soyuz-2.1b.toml`).
    pub file: String,
    /// 1-based line number; `null` when the problem is not on one line.
    pub line: Option<usize>,
    /// Dotted key path (`stage[2].dry_mass_kg`); `null` when the problem is the whole file or
    /// when no key is known (a TOML syntax error, in any kind of file: `line` says where).
    pub key: Option<String>,
}

impl From<&FileLocation> for ErrorLocation {
    fn from(l: &FileLocation) -> Self {
        ErrorLocation { file: l.file.clone(), line: l.line, key: Some(l.key.clone()).filter(|k| !k.is_empty()) }
    }
}

/// The kinds of failure: one per kind of error of the core, and three for failures of a front
/// end that no error of the core describes. The set is closed (a new kind raises the layout
/// version), so a script may handle every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A data file (vehicle, sites, zones, dispersions, propellants) is malformed or breaks a
    /// rule; `location` says where.
    InvalidFile,
    /// A vehicle id that is neither in the catalog nor a file.
    UnknownVehicle,
    /// A site id that is neither a cosmodrome nor a pad.
    UnknownSite,
    /// A run parameter (a flag's value) outside its domain.
    InvalidInput,
    /// The target cannot be flown from the site, or the vehicle does not reach it.
    Unreachable,
    /// A given payload is heavier than the vehicle carries into the orbit.
    PayloadTooHeavy,
    /// The vehicle cannot lift off (thrust-to-weight at liftoff not above 1).
    NoLiftoff,
    /// An upper stage's restart that its limits or its state refuse.
    RestartRefused,
    /// A payload search ran out of its budget of flights.
    FlightBudget,
    /// The run was interrupted (Ctrl-C) before it finished.
    Interrupted,
    /// The numerical integration of a flight failed.
    Integration,
    /// Flags that do not go together, or one that is missing.
    Usage,
    /// A file or directory could not be read or written (not found, no permission, an `--out`
    /// directory refused).
    Io,
    /// Any other failure.
    Other,
}

impl ErrorKind {
    /// The kind of a core error.
    pub fn of(e: &Error) -> Self {
        match e {
            Error::File(_) => ErrorKind::InvalidFile,
            Error::UnknownVehicle { .. } => ErrorKind::UnknownVehicle,
            Error::UnknownSite { .. } => ErrorKind::UnknownSite,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Unreachable(_) => ErrorKind::Unreachable,
            Error::PayloadTooHeavy { .. } => ErrorKind::PayloadTooHeavy,
            Error::NoLiftoff { .. } => ErrorKind::NoLiftoff,
            Error::RestartRefused { .. } => ErrorKind::RestartRefused,
            Error::FlightBudget { .. } => ErrorKind::FlightBudget,
            Error::Interrupted => ErrorKind::Interrupted,
            Error::Integration { .. } => ErrorKind::Integration,
        }
    }
}

impl ErrorReport {
    /// A report of `kind` with the message a front end printed.
    pub fn new(kind: ErrorKind, message: impl Into<String>, location: Option<ErrorLocation>, exit_code: u8) -> Self {
        ErrorReport { format: ERROR_FORMAT.to_owned(), kind, message: message.into(), location, exit_code }
    }

    /// The report of a core error: its kind and file location, with the message a front end
    /// printed (which may add context to the error's own text).
    pub fn of_error(e: &Error, message: impl Into<String>, exit_code: u8) -> Self {
        let location = match e {
            Error::File(f) => Some(ErrorLocation::from(&f.location)),
            _ => None,
        };
        Self::new(ErrorKind::of(e), message, location, exit_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FileError;

    /// A file error keeps its place, an empty key reads as `null`; other errors have none.
    #[test]
    fn a_file_error_reports_where_it_is() {
        let e = Error::from(FileError::new("v.toml", Some(7), "stage[1].dry_mass", "unknown key"));
        let r = ErrorReport::of_error(&e, e.to_string(), 2);
        assert_eq!(r.kind, ErrorKind::InvalidFile);
        assert_eq!(r.location, Some(ErrorLocation { file: "v.toml".into(), line: Some(7), key: Some("stage[1].dry_mass".into()) }));
        let whole = Error::from(FileError::new("v.toml", None, "", "empty"));
        assert_eq!(ErrorReport::of_error(&whole, "", 2).location.and_then(|l| l.key), None);
        let r = ErrorReport::of_error(&Error::Unreachable("no".into()), "no", 2);
        assert_eq!((r.kind, r.location), (ErrorKind::Unreachable, None));
    }

    /// The report reads back from its JSON, with the kind in snake_case and `location` present
    /// as `null`.
    #[test]
    fn the_report_reads_back_from_its_json() {
        let r = ErrorReport::new(ErrorKind::PayloadTooHeavy, "too heavy\nhint", None, 2);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["format"], ERROR_FORMAT);
        assert_eq!(v["kind"], "payload_too_heavy");
        assert!(v.get("location").is_some_and(serde_json::Value::is_null), "{v}");
        assert_eq!(serde_json::from_value::<ErrorReport>(v).unwrap(), r);
    }
}
