//! Error types of the core. Every message states what is wrong, with the value and the rule,
//! so a front end can print it as it is.
//!
//! A message quotes at most [`MAX_QUOTED_CHARS`] characters of any one value: a file may hold a
//! 5 MB string where a name belongs, and an error must not echo it back. The errors clip when
//! they are displayed, so no call site has to.

use std::fmt;

/// Most characters of one quoted value (or unbroken word) an error message shows; longer ones
/// are cut with an ellipsis.
pub const MAX_QUOTED_CHARS: usize = 80;

/// A quantity for a message: `value_si` in units of `unit_si` (1e3 for km from m), to `decimals`
/// or as short as it reads. In a line when a mistyped exponent makes it huge (not in 300
/// digits), and as the bound it passed when its SI value overflowed (`over 2e305`), never `inf`.
pub fn quantity_text(value_si: f64, unit_si: f64, decimals: Option<usize>) -> String {
    if value_si.is_infinite() {
        return format!("{}{:.0e}", if value_si > 0.0 { "over " } else { "under −" }, f64::MAX / unit_si);
    }
    let value = value_si / unit_si;
    match decimals {
        _ if value.abs() >= 1e9 => format!("{value:.3e}"),
        Some(d) => format!("{value:.d$}"),
        None => format!("{value}"),
    }
}

/// `text` with every quoted span (between backticks or double quotes) and every unbroken run of
/// characters longer than [`MAX_QUOTED_CHARS`] cut to that length with `…`. Short text is
/// returned unchanged and without copying.
pub fn clip_quoted(text: &str) -> std::borrow::Cow<'_, str> {
    // A run of more than the limit, quoted or not, is the only thing that is cut: check cheaply.
    let mut run = 0usize;
    let mut long = false;
    for c in text.chars() {
        run = if c.is_whitespace() || c == '`' || c == '"' { 0 } else { run + 1 };
        if run > MAX_QUOTED_CHARS {
            long = true;
            break;
        }
    }
    if !long && !has_long_quote(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_QUOTED_CHARS));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' || c == '"' {
            // A quoted span: keep up to the limit, then skip to its closing quote.
            out.push(c);
            let mut kept = 0usize;
            let mut clipped = false;
            for q in chars.by_ref() {
                if q == c {
                    break;
                }
                if kept < MAX_QUOTED_CHARS {
                    out.push(q);
                    kept += 1;
                } else if !clipped {
                    out.push('…');
                    clipped = true;
                }
            }
            out.push(c);
        } else if c.is_whitespace() {
            out.push(c);
        } else {
            // An unquoted word.
            out.push(c);
            let mut kept = 1usize;
            let mut clipped = false;
            while let Some(&w) = chars.peek() {
                if w.is_whitespace() || w == '`' || w == '"' {
                    break;
                }
                chars.next();
                if kept < MAX_QUOTED_CHARS {
                    out.push(w);
                    kept += 1;
                } else if !clipped {
                    out.push('…');
                    clipped = true;
                }
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether a quoted span of `text` is longer than [`MAX_QUOTED_CHARS`].
fn has_long_quote(text: &str) -> bool {
    let mut open: Option<(char, usize)> = None;
    for c in text.chars() {
        match open {
            Some((q, _)) if c == q => open = None,
            Some((q, n)) => {
                if n + 1 > MAX_QUOTED_CHARS {
                    return true;
                }
                open = Some((q, n + 1));
            }
            None if c == '`' || c == '"' => open = Some((c, 0)),
            None => {}
        }
    }
    false
}

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
            write!(f, ": key `{}`", clip_quoted(&self.key))?;
        }
        Ok(())
    }
}

/// A problem in a vehicle, site or dispersion file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {}", clip_quoted(.message))]
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
    #[error("unknown vehicle `{}`; {}catalog vehicles: {valid}", clip_quoted(.id), hint(suggestions))]
    UnknownVehicle {
        /// The id asked for.
        id: String,
        /// The catalog ids nearest to it, best first (empty when none is close).
        suggestions: Vec<String>,
        /// Comma-separated valid ids.
        valid: String,
    },
    /// A site id that is neither a cosmodrome nor a pad of the site list.
    #[error("unknown site `{}`; {}cosmodromes: {valid} (`cosmodrome sites` lists their pads)", clip_quoted(.id), hint(suggestions))]
    UnknownSite {
        /// The id asked for.
        id: String,
        /// The cosmodrome and pad ids nearest to it, best first (empty when none is close).
        suggestions: Vec<String>,
        /// Comma-separated cosmodrome ids.
        valid: String,
    },
    /// A run parameter outside its domain (negative payload, NaN, ...).
    #[error("invalid {}: {}", clip_quoted(.name), clip_quoted(.message))]
    InvalidInput {
        /// Name of the parameter, as the user wrote it.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The target cannot be flown from this site (corridor, latitude).
    #[error("{}", clip_quoted(.0))]
    Unreachable(String),
    /// A given payload is heavier than the vehicle carries into the orbit asked for.
    #[error("{vehicle} cannot carry {} kg into {orbit}: the most it carries there is {}", crate::mission::common::kg_text(*.payload_kg), how_much_less_text(*.payload_kg, *.max_payload_kg))]
    PayloadTooHeavy {
        /// Vehicle name.
        vehicle: String,
        /// The orbit and the pad (`200 × 200 km at 51.90° from vostochny-1a`).
        orbit: String,
        /// Payload asked for, kg.
        payload_kg: f64,
        /// Largest payload into that orbit, kg.
        max_payload_kg: f64,
    },
    /// The vehicle cannot leave the pad.
    #[error("vehicle `{}` cannot lift off: thrust-to-weight at liftoff is {thrust_to_weight:.3} (must exceed 1) with a {} kg payload", clip_quoted(.vehicle), crate::units::kg_text(*.payload_kg))]
    NoLiftoff {
        /// Vehicle name.
        vehicle: String,
        /// Liftoff thrust over weight.
        thrust_to_weight: f64,
        /// Payload carried.
        payload_kg: f64,
    },
    /// A restart of an upper stage that its limits or its state do not allow.
    #[error("stage `{}` cannot restart at t = {time_s:.1} s: {reason}", clip_quoted(.stage))]
    RestartRefused {
        /// Stage name.
        stage: String,
        /// Time of the refused restart since liftoff, s.
        time_s: f64,
        /// Why.
        reason: crate::flight::sequence::RestartRefusal,
    },
    /// A payload search given a flight budget (one step of a larger search that has other ways
    /// to its answer) would have needed more flights.
    #[error("{}: the payload search did not converge within its budget of {flights} flights", clip_quoted(.vehicle))]
    FlightBudget {
        /// Vehicle name.
        vehicle: String,
        /// The budget, flights.
        flights: usize,
    },
    /// A long run was stopped by its cancellation flag (Ctrl-C) before it finished.
    #[error("the run was interrupted before it finished")]
    Interrupted,
    /// The numerical integration failed (step limit, non-finite state, step underflow).
    #[error("integration failed at t = {time_s:.3} s: {}", clip_quoted(.reason))]
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

/// The argument of a request (a web API member, a Python keyword) that an
/// [`Error::InvalidInput`] named `name` with `message` belongs to. The core names what it checks
/// as the command line says it (`payload`, `target inclination`, `--mixture-ratio`); requests
/// name arguments (`payload_kg`, `inclination_deg`, `mixture_ratio`). An orbit's altitudes are
/// the perigee's unless the message is about the apogee alone.
pub fn input_argument(name: &str, message: &str) -> String {
    match name {
        "payload" => "payload_kg".to_owned(),
        "target inclination" | "inclination" => "inclination_deg".to_owned(),
        crate::optimize::targeting::ARGUMENT_OF_PERIGEE_INPUT => "argument_of_perigee_deg".to_owned(),
        "target orbit" if message.starts_with("apogee ") => "apogee_km".to_owned(),
        "target orbit" | "perigee" => "perigee_km".to_owned(),
        "sample interval" => "sample_interval_s".to_owned(),
        "vertical rise" => "vertical_rise_s".to_owned(),
        "pitch kick" => "pitch_kick_deg".to_owned(),
        "final pitch" => "final_pitch_deg".to_owned(),
        "azimuth" => "azimuth_deg".to_owned(),
        "main-engine burn" => "main_engine_burn_s".to_owned(),
        // A flag with a word after it (`--orbit sso`) is its flag's argument.
        flag if flag.starts_with("--") => flag.trim_start_matches('-').split(' ').next().unwrap_or_default().replace('-', "_"),
        other => other.trim_start_matches('-').replace(['-', ' '], "_"),
    }
}

/// An error as a request's caller reads it (the web API, the Python package): an input the core
/// names by its command-line flag (`invalid --oxidizer: …`), which a request has none of, is
/// named by the argument [`input_argument`] maps it to (`invalid oxidizer: …`).
pub fn request_text(e: &Error) -> String {
    match e {
        Error::InvalidInput { name, message } if name.starts_with('-') => {
            format!("invalid {}: {}", input_argument(name, message), clip_quoted(message))
        }
        e => e.to_string(),
    }
}

/// A reader's message (serde, TOML, JSON) with the kinds of value it expected in words, not as
/// Rust type names: `expected f64` → `expected a number`, `expected usize` → `expected a whole
/// number, 0 or more`, and an integer that overflows its type → `a number too large for this
/// key`. Whoever reads a file or a request body knows numbers, not `i64`.
pub fn plain_value_kinds(message: &str) -> String {
    const KINDS: [(&[&str], &str); 3] = [
        (&["f32", "f64"], "a number"),
        (&["u8", "u16", "u32", "u64", "u128", "usize"], "a whole number, 0 or more"),
        (&["i8", "i16", "i32", "i64", "i128", "isize"], "a whole number"),
    ];
    let mut out = message.replace("number too large to fit in target type", "a number too large for this key");
    for (types, words) in KINDS {
        for t in types {
            let typed = format!("expected {t}");
            let mut from = 0;
            while let Some(at) = out[from..].find(&typed).map(|i| i + from) {
                let end = at + typed.len();
                // A whole word only: `expected u8` is not the start of `expected u80`.
                if out[end..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                    from = end;
                    continue;
                }
                out.replace_range(at..end, &format!("expected {words}"));
                from = at;
            }
        }
    }
    out
}

/// The largest payload and how much less it is than the one asked for. Under a kilogram apart,
/// both to 0.1 kg, the largest rounded down as the reports state it: "26180 kg, 0 kg less" would
/// contradict itself.
fn how_much_less_text(payload_kg: f64, max_payload_kg: f64) -> String {
    let less_kg = payload_kg - max_payload_kg;
    if less_kg >= 1.0 {
        format!("{max_payload_kg:.0} kg, {less_kg:.0} kg less")
    } else {
        format!("{:.1} kg", crate::mission::common::payload_down_kg(max_payload_kg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quantity reads in a line at any magnitude: to its decimals, in exponent form when a
    /// mistyped exponent makes it huge, as the bound it passed when its SI value overflowed.
    #[test]
    fn quantities_read_in_a_line_at_any_magnitude() {
        assert_eq!(quantity_text(500e3, 1e3, Some(1)), "500.0");
        assert_eq!(quantity_text(500e6, 1e6, None), "500");
        assert_eq!(quantity_text(1e300 * 1e3, 1e3, Some(0)), "1.000e300");
        assert_eq!(quantity_text(1e300 * 1e6, 1e6, None), "1.000e300");
        assert_eq!(quantity_text(f64::INFINITY, 1e3, Some(1)), "over 2e305");
        assert_eq!(quantity_text(f64::NEG_INFINITY, 1e6, None), "under −2e302");
        assert_eq!(quantity_text(f64::NAN, 1e3, Some(1)), "NaN");
    }

    /// A request names a flag-named input by its argument; other errors read as they are.
    #[test]
    fn requests_read_flag_named_inputs_by_their_argument() {
        let flagged = Error::invalid("--orbit sso", "no sun-synchronous orbit at 9000 km");
        assert_eq!(request_text(&flagged), "invalid orbit: no sun-synchronous orbit at 9000 km");
        let named = Error::invalid("target orbit", "perigee must be ≥ 100 km, got 50.0 km");
        assert_eq!(request_text(&named), named.to_string());
    }

    /// Readers' type names become words a user knows.
    #[test]
    fn value_kinds_are_named_in_words() {
        assert_eq!(plain_value_kinds("invalid type: string \"x\", expected f64"), "invalid type: string \"x\", expected a number");
        assert_eq!(plain_value_kinds("expected usize at line 1 column 9"), "expected a whole number, 0 or more at line 1 column 9");
        assert_eq!(plain_value_kinds("invalid type: float, expected i64"), "invalid type: float, expected a whole number");
        assert_eq!(plain_value_kinds("number too large to fit in target type"), "a number too large for this key");
        assert_eq!(plain_value_kinds("expected u80 or expected f64x"), "expected u80 or expected f64x");
    }

    /// A payload a tenth of a kilogram over the largest is refused without "0 kg less".
    #[test]
    fn a_payload_just_over_the_largest_is_refused_in_tenths() {
        let too_heavy = |payload_kg, max_payload_kg| {
            Error::PayloadTooHeavy { vehicle: "Angara-A5".into(), orbit: "LEO".into(), payload_kg, max_payload_kg }.to_string()
        };
        assert_eq!(too_heavy(26179.9, 26179.873), "Angara-A5 cannot carry 26179.9 kg into LEO: the most it carries there is 26179.8 kg");
        assert_eq!(
            too_heavy(27000.0, 26179.873),
            "Angara-A5 cannot carry 27000 kg into LEO: the most it carries there is 26180 kg, 820 kg less"
        );
    }

    /// The core's names of its inputs, as requests name the arguments.
    #[test]
    fn inputs_are_named_as_requests_name_them() {
        for (name, message, argument) in [
            ("payload", "must be a finite mass", "payload_kg"),
            ("target orbit", "perigee must be ≥ 100 km, got 50.0 km", "perigee_km"),
            ("target orbit", "apogee 300.0 km is below the perigee 400.0 km", "apogee_km"),
            ("--orbit sso", "no sun-synchronous orbit at 9000 km", "orbit"),
            ("target orbit", "apogee 2000000 km lies beyond the Earth's sphere of influence", "apogee_km"),
            ("target inclination", "must be within 0–180°", "inclination_deg"),
            ("--chamber-pressure-bar", "must be", "chamber_pressure_bar"),
            ("sample interval", "must be", "sample_interval_s"),
            ("orbit", "a C3 belongs to an escape", "orbit"),
        ] {
            assert_eq!(input_argument(name, message), argument, "{name}");
        }
    }

    #[test]
    fn file_error_names_file_line_and_key() {
        let e = FileError::new("a5.toml", Some(12), "stage[1].dry_mass_kg", "must be positive, got -5 kg");
        assert_eq!(e.to_string(), "a5.toml:12: key `stage[1].dry_mass_kg`: must be positive, got -5 kg");
    }

    #[test]
    fn long_values_are_clipped_once_short_ones_kept() {
        let huge = "x".repeat(5_000_000);
        let e = FileError::new(
            "v.toml",
            Some(3),
            format!("stage[1].{huge}"),
            format!("no [[engine]] has id `{huge}`; got \"{huge}\" and {huge}"),
        );
        let shown = e.to_string();
        assert!(shown.len() < 600, "{} bytes", shown.len());
        let clipped = format!("{}…", "x".repeat(MAX_QUOTED_CHARS));
        let key = format!("stage[1].{}…", "x".repeat(MAX_QUOTED_CHARS - 9));
        assert_eq!(shown, format!("v.toml:3: key `{key}`: no [[engine]] has id `{clipped}`; got \"{clipped}\" and {clipped}"));
        // Multi-byte characters are cut on character boundaries.
        let e = Error::invalid("vehicle", format!("name `{}`", "é".repeat(200)));
        assert!(e.to_string().ends_with(&format!("`{}…`", "é".repeat(MAX_QUOTED_CHARS))), "{e}");
        // Nothing short changes.
        let text = "unknown site `baikonu`; known sites: baikonur, vostochny";
        assert!(matches!(clip_quoted(text), std::borrow::Cow::Borrowed(t) if t == text));
    }
}
