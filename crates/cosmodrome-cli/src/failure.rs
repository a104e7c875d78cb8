//! A failed command's JSON report (`--json`): the kind of the failure found in its error chain,
//! and the message stderr prints. Failures of the command line itself (flags that do not go
//! together, a flag's value the core never sees) carry their kind in a [`Failure`], whose text is
//! the message alone, so stderr reads as it did without one.

use std::fmt;
use std::io::Write as _;

use cosmodrome::error::FileError;
use cosmodrome::mission::{ErrorKind, ErrorLocation, ErrorReport};

/// A failure of the command line with its kind; displayed as its message alone and with no
/// source, so the error chain prints it once.
#[derive(Debug)]
pub struct Failure {
    kind: ErrorKind,
    message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// An error of `kind` with `message`.
pub fn failure(kind: ErrorKind, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Failure { kind, message: message.into() })
}

/// Flags that do not go together, or one missing.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    failure(ErrorKind::Usage, message)
}

/// A flag's value out of its domain, checked by the command line.
pub fn invalid_input(message: impl Into<String>) -> anyhow::Error {
    failure(ErrorKind::InvalidInput, message)
}

/// A path that names no file, or not one the command can read.
pub fn io(message: impl Into<String>) -> anyhow::Error {
    failure(ErrorKind::Io, message)
}

/// The report of a failed run: the first cause in the chain, outermost first, that tells a
/// kind (a core error, a [`Failure`], a read or write that failed); `other` when none does.
/// `message` is what stderr prints after `error: `.
pub fn error_report(e: &anyhow::Error, message: &str, exit_code: u8) -> ErrorReport {
    for cause in e.chain() {
        if let Some(core) = cause.downcast_ref::<cosmodrome::Error>() {
            return ErrorReport::of_error(core, message, exit_code);
        }
        if let Some(file) = cause.downcast_ref::<FileError>() {
            return ErrorReport::new(ErrorKind::InvalidFile, message, Some(ErrorLocation::from(&file.location)), exit_code);
        }
        let kind = if let Some(f) = cause.downcast_ref::<Failure>() {
            Some(f.kind)
        } else if let Some(w) = cause.downcast_ref::<cosmodrome_io::IoError>() {
            Some(match w {
                cosmodrome_io::IoError::Write { .. } | cosmodrome_io::IoError::Path { .. } => ErrorKind::Io,
                // An epoch that does not parse (`--launch-utc`).
                cosmodrome_io::IoError::Parse { .. } => ErrorKind::InvalidInput,
                cosmodrome_io::IoError::Invalid { .. } => ErrorKind::Other,
            })
        } else if cause.is::<std::io::Error>() {
            Some(ErrorKind::Io)
        } else {
            None
        };
        if let Some(kind) = kind {
            return ErrorReport::new(kind, message, None, exit_code);
        }
    }
    ErrorReport::new(ErrorKind::Other, message, None, exit_code)
}

/// Print the report of a failed run on stdout, where the report asked for would have been. A
/// stdout that cannot be written to leaves stderr's message as the only report.
pub fn print_error_report(e: &anyhow::Error, message: &str, exit_code: u8) {
    if let Ok(text) = serde_json::to_string_pretty(&error_report(e, message, exit_code)) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}").and_then(|()| out.flush());
    }
}

#[cfg(test)]
mod tests {
    use anyhow::Context;

    use super::*;

    /// The kind is the innermost error's that tells one, through any context added.
    #[test]
    fn the_kind_is_found_through_context() {
        let report = |e: &anyhow::Error| error_report(e, &format!("{e:#}"), 2);
        let core = anyhow::Error::new(cosmodrome::Error::Unreachable("out of reach".into())).context("the mission failed");
        let r = report(&core);
        assert_eq!((r.kind, r.message.as_str()), (ErrorKind::Unreachable, "the mission failed: out of reach"));
        let file: anyhow::Error = FileError::new("p.toml", Some(3), "site[0].id", "missing").into();
        assert_eq!(report(&file.context("--site")).location.map(|l| (l.line, l.key)), Some((Some(3), Some("site[0].id".into()))));
        let read = Err::<(), _>(std::io::Error::from(std::io::ErrorKind::NotFound)).context("cannot read x").unwrap_err();
        assert_eq!(report(&read).kind, ErrorKind::Io);
        assert_eq!(report(&usage("give --a or --b")).kind, ErrorKind::Usage);
        assert_eq!(report(&anyhow::anyhow!("something")).kind, ErrorKind::Other);
        // A failure's message is printed once.
        assert_eq!(format!("{:#}", invalid_input("invalid --x 3: too big").context("ctx")), "ctx: invalid --x 3: too big");
    }
}
