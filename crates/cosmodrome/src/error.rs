//! Error types of the core. Every message states what is wrong, with the value and the rule,
//! so a front end can print it as it is.

use std::fmt;

/// Result alias of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a data file a problem sits: file name, 1-based line and the dotted key path.
#[derive(Debug, Clone, PartialEq)]
pub struct FileLocation {
    /// File name or catalog id the text came from.
    pub file: String,
    /// 1-based line number, when known.
    pub line: Option<usize>,
    /// Dotted key path, e.g. `stage[2].dry_mass_kg`; empty when the problem is the whole file.
    pub key: String,
}

impl fmt::Display for FileLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key)?;
        }
        Ok(())
    }
}

/// A problem in a vehicle, site or dispersion file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct FileError {
    /// Where the problem is.
    pub location: FileLocation,
    /// What is wrong, with the offending value.
    pub message: String,
}

impl FileError {
    /// A new file error.
    pub fn new(file: &str, line: Option<usize>, key: impl Into<String>, message: impl Into<String>) -> Self {
        Self { location: FileLocation { file: file.to_owned(), line, key: key.into() }, message: message.into() }
    }
}

/// Errors of the core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A data file (vehicle, sites) is malformed or violates a rule.
    #[error(transparent)]
    File(#[from] FileError),
    /// A vehicle id that is neither in the catalog nor a file.
    #[error("unknown vehicle `{id}`; {}catalog vehicles: {valid}", hint(suggestions))]
    UnknownVehicle {
        /// The id asked for.
        id: String,
        /// The catalog ids nearest to it, best first (empty when none is close).
        suggestions: Vec<String>,
        /// Comma-separated valid ids.
        valid: String,
    },
    /// A site id that is neither a cosmodrome nor a pad of the site list.
    #[error("unknown site `{id}`; {}cosmodromes: {valid} (`cosmodrome sites` lists their pads)", hint(suggestions))]
    UnknownSite {
        /// The id asked for.
        id: String,
        /// The cosmodrome and pad ids nearest to it, best first (empty when none is close).
        suggestions: Vec<String>,
        /// Comma-separated cosmodrome ids.
        valid: String,
    },
    /// A run parameter outside its domain (negative payload, NaN, ...).
    #[error("invalid {name}: {message}")]
    InvalidInput {
        /// Name of the parameter, as the user wrote it.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The target cannot be flown from this site (corridor, latitude).
    #[error("{0}")]
    Unreachable(String),
    /// The vehicle cannot leave the pad.
    #[error("vehicle `{vehicle}` cannot lift off: thrust-to-weight at liftoff is {thrust_to_weight:.3} (must exceed 1) with a {payload_kg:.0} kg payload")]
    NoLiftoff {
        /// Vehicle name.
        vehicle: String,
        /// Liftoff thrust over weight.
        thrust_to_weight: f64,
        /// Payload carried.
        payload_kg: f64,
    },
    /// A long run was stopped by its cancellation flag (Ctrl-C) before it finished.
    #[error("the run was interrupted before it finished")]
    Interrupted,
    /// The numerical integration failed (step limit, non-finite state, step underflow).
    #[error("integration failed at t = {time_s:.3} s: {reason}")]
    Integration {
        /// Simulation time when it failed.
        time_s: f64,
        /// Why.
        reason: String,
    },
}

/// `did you mean `x`? ` before a list of valid ids, or nothing without suggestions.
fn hint(suggestions: &[String]) -> String {
    did_you_mean(suggestions).map_or_else(String::new, |h| format!("{h} "))
}

/// `did you mean `a`?` / `did you mean `a`, `b` or `c`?`, or `None` without suggestions.
pub(crate) fn did_you_mean(suggestions: &[impl AsRef<str>]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput { name: name.into(), message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_error_names_file_line_and_key() {
        let e = FileError::new("a5.toml", Some(12), "stage[1].dry_mass_kg", "must be positive, got -5 kg");
        assert_eq!(e.to_string(), "a5.toml:12: key `stage[1].dry_mass_kg`: must be positive, got -5 kg");
    }
}
