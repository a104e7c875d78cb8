//! Vehicle file → validated [`Vehicle`]: applies defaults, converts to SI units and checks every
//! rule of format 1 (`docs/vehicle-file.md`).
//!
//! Errors name the file, the 1-based line and a dotted key path with 1-based indices in file order
//! (`stage[2].dry_mass_kg`, `engine[1].isp_sl_s`, `stage[2].throttle[1].until`), so the user can go
//! straight to the offending value. Validation never panics, whatever the text: the integrator
//! downstream relies on finite, positive figures and cannot report a bad file usefully itself.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::file::{
    AeroEntry, EngineEntry, FairingEntry, FormatProbe, IgnitionEntry, KindEntry, LimitsEntry, StageEntry, VehicleFile, FORMAT_VERSION,
};
use super::file::{CurveTable, JettisonEntry, MarginsEntry, MotorEntry, Pair, StageEngineEntry};
use super::toml_text::{backticked, line_of};
use super::{
    Aero, Engine, Fairing, FairingJettison, Ignition, Limits, Source, Stage, StageKind, ThrottleSegment, ThrottleUntil, Tumbling, Vehicle,
    Warning, SEA_LEVEL_PRESSURE_PA,
};
use super::{
    DefaultUsed, JettisonItem, JettisonTrigger, Margins, DEFAULT_FLIGHT_PERFORMANCE_RESERVE, DEFAULT_PAYLOAD_ADAPTER_MASS_KG,
    DEFAULT_RESIDUAL_FRACTION,
};
use super::{DropTank, Restart, Separation, StageEngine, StageEvent};
use crate::error::{FileError, FileLocation};
use crate::propulsion::solid::{thrust_coefficient_vac, CurveError, SolidMotor};
use crate::units::G0_M_S2;

mod motor;
mod stage;

/// Most stages a vehicle may have.
const MAX_STAGES: usize = super::MAX_STAGES;
/// Most stages burning from liftoff: the integrator has three parallel burn slots.
const MAX_LIFTOFF_STAGES: usize = super::MAX_BURNING_STAGES;
/// Most units (modules) of one stage: more than any vehicle has clustered (Soyuz 4 boosters,
/// Ariane 4 up to 4, Delta IV Heavy 3 cores).
const MAX_UNITS: i64 = 100;
/// Most engines of one unit: more than any stage has carried (N1 30, Super Heavy 33).
const MAX_ENGINES_PER_UNIT: i64 = 100;
/// Most `[[engine]]` entries.
const MAX_ENGINES: usize = 64;
/// Most engine types of one stage (`engines = [...]`): a main engine with its steering and
/// vernier engines is two or three; 16 leaves room for any flown stage.
const MAX_ENGINE_TYPES_PER_STAGE: usize = 16;
/// What a stage without propulsion is told.
const NEEDS_PROPULSION: &str =
    "needs engine = \"ID\" of an [[engine]], engines = [{ engine = \"ID\", count = N }, ...] of several, or motor = \"ID\" of a [[motor]]";
/// The top-level arrays of tables of the format, written `[[NAME]]` once per entry.
const ARRAYS_OF_TABLES: [&str; 5] = ["stage", "engine", "motor", "source", "jettison"];
/// Most `[[source]]` entries.
const MAX_SOURCES: usize = 200;
/// Most segments of a stage's throttle schedule: a throttle profile sampled every second of a
/// long burn fits; each segment costs one event of every flight.
const MAX_THROTTLE_SEGMENTS: usize = 1000;
/// Most `[mach, cd]` points of the drag table.
const MAX_CD_MACH_POINTS: usize = 1000;
/// Longest name or id (vehicle, engine, stage), in characters: names label tables and plots.
const MAX_NAME_CHARS: usize = 100;
/// Largest vehicle file, bytes: a complete vehicle takes a few kB, so this leaves room for
/// generous sources and tables while keeping the reading of any file fast.
const MAX_FILE_BYTES: usize = 1 << 20;
/// Largest vacuum thrust of a unit over the weight of its dry mass, which carries its engines:
/// the lightest engines weigh about 1/150 of their thrust (Merlin 1D, NK-33) and a stage adds
/// tanks and structure (Falcon 9 first stage ≈ 33), so 1000 is beyond anything buildable.
const MAX_THRUST_TO_DRY_WEIGHT: f64 = 1000.0;
/// Largest share of usable propellant in a unit's mass (propellant over propellant plus dry):
/// flown stages reach about 0.95 (Atlas balloon tanks ≈ 0.96).
const MAX_PROPELLANT_FRACTION: f64 = 0.99;
/// Relative disagreement between the given sea-level Isp and the one implied by the sea-level
/// thrust above which the file is flagged: data sheets round, but not by more than that.
const SEA_LEVEL_ISP_TOLERANCE: f64 = 0.02;
/// Most `[[jettison]]` items: the simulator tracks them as bits of a `u32`.
const MAX_JETTISON_ITEMS: usize = super::MAX_JETTISON_ITEMS;
/// Prefix of a throttle `until` that names a stage.
const SEPARATION_PREFIX: &str = "separation:";
/// Prefix of an `ignition_after` that names the burnout of a stage.
const BURNOUT_PREFIX: &str = "burnout:";
/// Most `[[motor]]` entries.
const MAX_MOTORS: usize = 64;
/// Most points of a solid motor's curve: each point is a kink the integrator steps to, so a
/// curve sampled every 0.2 s over a 130 s burn fits with room to spare.
const MAX_CURVE_POINTS: usize = 1000;
/// Relative disagreement between a solid motor's curve impulse and its propellant × Isp × g0
/// above which a warning is given: data sheets round to about 1 %, and a curve digitised from a
/// published plot reads to a few per cent (the tolerance of the sea-level Isp check).
pub const SOLID_IMPULSE_WARNING: f64 = 0.02;
/// The same disagreement above which the file is refused: beyond 10 % the curve and the
/// propellant figure describe different motors (or a unit slipped), and scaling the mass flow
/// to the curve would change the stage's Isp by more than any motor version does.
pub const SOLID_IMPULSE_TOLERANCE: f64 = 0.10;
/// Slack on a stated solid burn time: it must lie from the action time (10 % thrust points)
/// to the curve's end, give or take 5 %, since sources quote either.
const BURN_TIME_SLACK: f64 = 0.05;

/// The range a physical quantity of the vehicle file takes on any chemical launch vehicle, from
/// a small thruster to Saturn V and Starship, in the unit of its key. A value outside is a typo
/// or a unit mix-up (`thrust_vac_kn = 2085000`, newtons in a kN key) and is refused at
/// validation, where the file, line and key can still be named; left in, it would fail deep
/// inside a flight or fly something no rocket can. Lower bounds are low on purpose (solid
/// motors and small thrusters). docs/vehicle-file.md lists every range and its reason.
#[derive(Debug, Clone, Copy)]
struct Plausible {
    /// Unit, as in the key name.
    unit: &'static str,
    /// Smallest plausible value; 0 allows zero.
    min: f64,
    /// Largest plausible value.
    max: f64,
    /// What the range spans, for the message: "the plausible range of {of}".
    of: &'static str,
}

/// Engine thrust, per engine, kN: 1 N thrusters to 20 MN (F-1 7.9 MN, the SLS five-segment
/// booster 16 MN).
const THRUST_KN: Plausible = Plausible { unit: "kN", min: 0.001, max: 20_000.0, of: "a launch-vehicle engine" };
/// Specific impulse, s: cold gas (~50 s) to the best chemical engines (RL10B-2 465 s; 542 s of
/// the lithium–fluorine–hydrogen tripropellant tests).
const ISP_S: Plausible = Plausible { unit: "s", min: 10.0, max: 550.0, of: "a rocket engine" };
/// Lowest throttle setting: deep-throttling descent engines reach 0.1, test engines 0.06.
const THROTTLE_MIN: Plausible = Plausible { unit: "", min: 0.01, max: 1.0, of: "a rocket engine" };
/// Dry mass per unit, kg: 100 g thrusters to 1,000 t (S-IC 131 t, Super Heavy ~250 t).
const DRY_MASS_KG: Plausible = Plausible { unit: "kg", min: 0.1, max: 1.0e6, of: "a launch-vehicle stage" };
/// Usable propellant per unit, kg: up to 10,000 t (S-IC 2,100 t, Super Heavy 3,400 t).
const PROPELLANT_MASS_KG: Plausible = Plausible { unit: "kg", min: 0.1, max: 1.0e7, of: "a launch-vehicle stage" };
/// Residual or auxiliary mass per unit, kg.
const MINOR_MASS_KG: Plausible = Plausible { unit: "kg", min: 0.0, max: 1.0e6, of: "a launch-vehicle stage" };
/// Diameter of a unit, m: 1 cm to 30 m (Saturn V and Starship 9–10 m, N1 base 17 m).
const DIAMETER_M: Plausible = Plausible { unit: "m", min: 0.01, max: 30.0, of: "a launch-vehicle stage" };
/// A time after liftoff or a coast, s: up to a day (upper stages coast hours to a GTO burn).
const TIME_S: Plausible = Plausible { unit: "s", min: 0.001, max: 86_400.0, of: "a launch mission" };
/// A coast before ignition, s (zero allowed).
const DELAY_S: Plausible = Plausible { unit: "s", min: 0.0, max: 86_400.0, of: "a launch mission" };
/// Drag coefficient of a tumbling body: 0.05 to 5 (a tumbling cylinder ≈ 0.8–1.3, a plate ≈ 2).
const TUMBLING_CD: Plausible = Plausible { unit: "", min: 0.05, max: 5.0, of: "a falling body" };
/// An area, m²: 1 cm² to 2,000 m² (a Super Heavy broadside ≈ 640 m²).
const AREA_M2: Plausible = Plausible { unit: "m²", min: 1.0e-4, max: 2000.0, of: "a launch-vehicle part" };
/// Structure dropped during the ascent (`[[jettison]]`), kg: 100 g to 1,000 t (an escape tower
/// 4 t, the Saturn V aft interstage ring 4 t).
const JETTISON_MASS_KG: Plausible = Plausible { unit: "kg", min: 0.1, max: 1.0e6, of: "a jettisoned part" };
/// Fairing mass, kg: up to 100 t (large fairings weigh 2–5 t).
const FAIRING_MASS_KG: Plausible = Plausible { unit: "kg", min: 0.1, max: 1.0e5, of: "a payload fairing" };
/// Fairing jettison altitude, km: within the atmosphere model (0–1,000 km).
const JETTISON_ALTITUDE_KM: Plausible = Plausible { unit: "km", min: 0.1, max: 1000.0, of: "the atmosphere model" };
/// Fairing jettison heat flux, W/m²: the usual criterion is ~1,135 W/m².
const JETTISON_HEAT_FLUX_W_M2: Plausible = Plausible { unit: "W/m²", min: 0.01, max: 1.0e5, of: "a fairing jettison criterion" };
/// Mach number of the drag table: 0 to 50 (orbital speed is about Mach 25).
const MACH: Plausible = Plausible { unit: "", min: 0.0, max: 50.0, of: "a drag table" };
/// Drag coefficient of the ascending vehicle: 0.01 to 10 (slender launchers 0.2–1).
const ASCENT_CD: Plausible = Plausible { unit: "", min: 0.01, max: 10.0, of: "a launch vehicle" };
/// Dynamic-pressure limit, kPa: 1 to 500 (flown limits 25–80 kPa).
const MAX_Q_KPA: Plausible = Plausible { unit: "kPa", min: 1.0, max: 500.0, of: "a launch vehicle" };
/// Axial-acceleration limit, g0: above 1 g a vehicle can still climb; up to 100 g (sounding
/// rockets and interceptors).
const MAX_ACCEL_G: Plausible = Plausible { unit: "g", min: 1.1, max: 100.0, of: "a launch vehicle" };
/// Least liftoff thrust-to-weight a design allows: 1 (lifting off at all) to 3 (launchers lift
/// off at 1.2–2).
const MIN_LIFTOFF_THRUST_TO_WEIGHT: Plausible = Plausible { unit: "", min: 1.0, max: 3.0, of: "a launch vehicle" };
/// A point of a solid motor's thrust curve, kN: zero at ignition and burnout, up to the
/// engine range's 20 MN (the SLS five-segment booster 16 MN).
const CURVE_THRUST_KN: Plausible = Plausible { unit: "kN", min: 0.0, max: 20_000.0, of: "a solid motor" };
/// A point of a chamber-pressure curve, MPa: solid motors run at 3–15 MPa.
const CHAMBER_PRESSURE_MPA: Plausible = Plausible { unit: "MPa", min: 0.0, max: 100.0, of: "a solid motor" };
/// Ratio of specific heats of a rocket exhaust: 1.1–1.3 for combustion products, up to 1.4
/// for a cold diatomic gas.
const GAMMA: Plausible = Plausible { unit: "", min: 1.05, max: 1.4, of: "a rocket exhaust" };
/// Temperature sensitivity of a solid motor's chamber pressure, %/K: production propellants lie
/// within 0.067–0.278 %/°C (Sutton & Biblarz, ch. 12); up to 1 %/K is still a propellant, beyond
/// it the figure is a fraction typed as percent or a °F figure misread.
const TEMPERATURE_SENSITIVITY_PERCENT_PER_K: Plausible = Plausible { unit: "%/K", min: 0.0, max: 1.0, of: "a solid propellant" };

/// Parse and validate a vehicle file; `file` names the text in messages.
pub(crate) fn vehicle_from_toml(text: &str, file: &str) -> Result<(Vehicle, Vec<Warning>), FileError> {
    let ctx = Ctx { text, file };
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            file,
            Some(line_of(text, MAX_FILE_BYTES)),
            "",
            format!(
                "the file is {} bytes and passes the limit of {MAX_FILE_BYTES} bytes on this line; a complete vehicle takes a few kB",
                text.len()
            ),
        ));
    }
    // The version first: a file of another version must be reported as such, not as a list of
    // keys this version does not know.
    let probe: FormatProbe = toml::from_str(text).map_err(|e| ctx.toml_error(&e))?;
    match probe.format {
        None => {
            return Err(FileError::new(file, None, "format", format!("missing; a vehicle file must state `format = {FORMAT_VERSION}`")));
        }
        Some(f) if matches!(f.get_ref(), toml::Value::Integer(FORMAT_VERSION)) => {}
        Some(f) => {
            return Err(ctx.error(
                f.span(),
                "format",
                format!("unsupported format version {}; this version of cosmodrome reads format {FORMAT_VERSION}", describe(f.get_ref())),
            ));
        }
    }
    let dto: VehicleFile = toml::from_str(text).map_err(|e| ctx.toml_error(&e))?;
    ctx.vehicle(dto)
}

/// A `[[motor]]` as read: its vacuum thrust curve before a stage gives it its propellant.
struct MotorDef {
    id: String,
    propellant: String,
    /// `(s since ignition, N)`, checked.
    curve_vac_n: Vec<(f64, f64)>,
    isp_vac_s: f64,
    exit_area_m2: f64,
    /// `π_K` per kelvin, when stated.
    temperature_sensitivity_per_k: Option<f64>,
    id_span: Range<usize>,
    /// Key path and span of the curve, for the findings that concern it.
    curve_key: String,
    curve_span: Range<usize>,
}

/// The text being validated, for line numbers and messages.
struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
}

/// A TOML value as the user would write it, for messages (the `toml` display feature is not enabled).
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(x) => show(*x, ""),
        toml::Value::String(s) => format!("\"{s}\""),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("of type {}", other.type_str()),
    }
}

/// A number with its unit, readable whatever its magnitude (no 300-digit expansions).
fn show(value: f64, unit: &str) -> String {
    let magnitude = value.abs();
    let number =
        if value.is_finite() && magnitude != 0.0 && !(1e-4..1e9).contains(&magnitude) { format!("{value:e}") } else { format!("{value}") };
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

/// Whether a header line (`[[stage]]`, `[fairing]`, `[stage.tumbling]`) names a table, as opposed
/// to a line of a multi-line array such as `[0.9, 0.40],`.
fn header_name(line: &str) -> Option<(bool, String)> {
    let line = line.trim();
    let (array, rest) = if let Some(rest) = line.strip_prefix("[[") { (true, rest) } else { (false, line.strip_prefix('[')?) };
    let close = if array { "]]" } else { "]" };
    let end = rest.find(close)?;
    let name = rest[..end].trim();
    let after = rest[end + close.len()..].trim();
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '"');
    let chars_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '));
    (first_ok && chars_ok && (after.is_empty() || after.starts_with('#'))).then(|| (array, name.replace([' ', '"'], "")))
}

/// The key of a `key = value` line, unquoted.
fn line_key(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"').trim();
    (!key.is_empty() && !key.starts_with('[') && !key.starts_with('{')).then(|| key.to_owned())
}

/// The key of the multi-line array a line without a key of its own belongs to (a row
/// `[0.5, 272.7, 1],` of `thrust_curve_vac_kn = [`): the nearest `key = ` line above, within the
/// table, whose brackets are still open at `offset`.
fn array_key(text: &str, line_start: usize, offset: usize) -> Option<String> {
    let mut start = line_start;
    while start > 0 {
        let above = text[..start - 1].rfind('\n').map_or(0, |p| p + 1);
        let line = &text[above..start - 1];
        start = above;
        if header_name(line).is_some() {
            return None;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(key) = line_key(line) {
            let value = &text[above + line.find('=').unwrap_or(0)..offset];
            return (value.matches('[').count() > value.matches(']').count()).then_some(key);
        }
    }
    None
}

/// Best-effort dotted key path of a byte offset, for errors of the TOML reader (which knows the
/// line but not the path): the table from the headers above, then the key of the line.
fn key_at(text: &str, span: Range<usize>, message: &str) -> String {
    let offset = span.start.min(text.len());
    let line_start = text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line_end = text.as_bytes()[offset..].iter().position(|&b| b == b'\n').map_or(text.len(), |p| offset + p);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut table = String::new();
    let mut on_header = false;
    for line in text[..line_end].lines() {
        on_header = false;
        if let Some((array, name)) = header_name(line) {
            on_header = true;
            let (first, rest) = name.split_once('.').map_or((name.as_str(), None), |(a, b)| (a, Some(b)));
            if array && rest.is_none() {
                let n = counts.entry(name.clone()).or_insert(0);
                *n += 1;
                table = format!("{name}[{n}]");
            } else {
                let head = counts.get(first).map_or_else(|| first.to_owned(), |n| format!("{first}[{n}]"));
                table = rest.map_or(head.clone(), |r| format!("{head}.{r}"));
            }
        }
    }
    let named = backticked(message).filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
    // A header that is itself the unknown key (`[limit]`, `[[sources]]`): its path, not the path
    // with the name again, and without an index of a table array that does not exist.
    if on_header && message.starts_with("unknown field") {
        let last = table.rsplit('.').next().unwrap_or_default();
        if named.is_some_and(|n| last.split('[').next() == Some(n)) {
            return table.strip_suffix(']').and_then(|t| t.rsplit_once('[')).map_or(table.clone(), |(t, _)| t.to_owned());
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !table.is_empty() {
        parts.push(table);
    }
    let here = if on_header { None } else { line_key(&text[line_start..line_end]).or_else(|| array_key(text, line_start, offset)) };
    match (here, named) {
        (Some(k), Some(n)) if k == n => parts.push(k),
        (Some(k), Some(n)) if message.starts_with("unknown field") => {
            parts.push(k);
            parts.push(n.to_owned());
        }
        // A missing key reported on a value line: the value is the (inline) table that lacks it,
        // unless the span runs past the line, i.e. it is the table under the header above.
        (Some(k), Some(n)) if span.end <= line_end => {
            parts.push(k);
            parts.push(n.to_owned());
        }
        (Some(_), Some(n)) => parts.push(n.to_owned()),
        (None, Some(n)) => parts.push(n.to_owned()),
        (Some(k), None) => parts.push(k),
        (None, None) => {}
    }
    parts.join(".")
}

impl Ctx<'_> {
    /// An error at the line of a span.
    fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> FileError {
        FileError::new(self.file, Some(line_of(self.text, span.start)), key, message)
    }

    /// A warning at the line of a span.
    fn warning(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> Warning {
        Warning {
            location: FileLocation { file: self.file.to_owned(), line: Some(line_of(self.text, span.start)), key: key.to_owned() },
            message: crate::error::clip_quoted(&message.into()).into_owned(),
        }
    }

    /// An error of the TOML reader (syntax, unknown or missing key, wrong type), keeping its message.
    fn toml_error(&self, e: &toml::de::Error) -> FileError {
        let mut error = self.toml_error_as_read(e);
        if let Some(hint) = self.single_bracket_hint(&error.location.key) {
            error.message = format!("{}; {hint}", error.message);
        }
        // A syntax error names no key, as in every other data file: the key of the line it is
        // on served the hint only (the line is given).
        if super::toml_text::is_syntax_error(self.text) {
            error.location.key.clear();
        }
        error
    }

    /// An array of tables written with single brackets (`[stage]` for `[[stage]]`) reads as one
    /// table, and the reader reports only "invalid table header" or "expected a sequence": the
    /// fix, when the error's key is such a table and the file has a single-bracket header of it.
    fn single_bracket_hint(&self, key: &str) -> Option<String> {
        let table = key.split(['[', '.']).next()?;
        if !ARRAYS_OF_TABLES.contains(&table) {
            return None;
        }
        let line = self.text.lines().position(|l| header_name(l).is_some_and(|(array, name)| !array && name == table))? + 1;
        Some(format!(
            "`[{table}]` on line {line} is a single table; stages, engines and motors (and sources and jettisoned items) are arrays of tables, written in double brackets once per entry: write `[[{table}]]`"
        ))
    }

    /// [`Ctx::toml_error`] before the hint.
    fn toml_error_as_read(&self, e: &toml::de::Error) -> FileError {
        let message = super::toml_text::with_suggestion(e.message().trim());
        match e.span() {
            // A key missing from the top level: the span is the top-level table, no line helps.
            Some(span)
                if span.start == 0 && message.starts_with("missing field") && self.text.lines().next().and_then(header_name).is_none() =>
            {
                FileError::new(self.file, None, backticked(&message).unwrap_or_default().to_owned(), message)
            }
            Some(span) => FileError::new(self.file, Some(line_of(self.text, span.start)), key_at(self.text, span, &message), message),
            None => FileError::new(self.file, None, "", message),
        }
    }

    /// A finite number.
    fn finite(&self, v: &Spanned<f64>, key: &str, unit: &str) -> Result<f64, FileError> {
        let x = *v.get_ref();
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.error(v.span(), key, format!("must be a finite number, got {}", show(x, unit))))
        }
    }

    /// A finite number > 0.
    fn positive(&self, v: &Spanned<f64>, key: &str, unit: &str) -> Result<f64, FileError> {
        let x = self.finite(v, key, unit)?;
        if x > 0.0 {
            Ok(x)
        } else {
            Err(self.error(v.span(), key, format!("must be positive, got {}", show(x, unit))))
        }
    }

    /// A finite number ≥ 0.
    fn non_negative(&self, v: &Spanned<f64>, key: &str, unit: &str) -> Result<f64, FileError> {
        let x = self.finite(v, key, unit)?;
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(self.error(v.span(), key, format!("must not be negative, got {}", show(x, unit))))
        }
    }

    /// A finite number within the plausible range of its quantity, in the unit of the file.
    fn plausible(&self, v: &Spanned<f64>, key: &str, range: Plausible) -> Result<f64, FileError> {
        let unit = range.unit;
        let x = if range.min > 0.0 { self.positive(v, key, unit)? } else { self.non_negative(v, key, unit)? };
        if (range.min..=range.max).contains(&x) {
            Ok(x)
        } else {
            Err(self.error(
                v.span(),
                key,
                format!(
                    "must be from {} to {} (the plausible range of {}), got {}",
                    show(range.min, ""),
                    show(range.max, unit),
                    range.of,
                    show(x, unit)
                ),
            ))
        }
    }

    /// An optional plausible number, `default` when absent.
    fn plausible_or(&self, v: Option<&Spanned<f64>>, key: &str, range: Plausible, default: f64) -> Result<f64, FileError> {
        v.map_or(Ok(default), |v| self.plausible(v, key, range))
    }

    /// At most `max` entries of a list, else an error at the first one too many.
    fn at_most<T>(&self, list: &[T], max: usize, key: &str, what: &str, span: impl Fn(&T) -> Range<usize>) -> Result<(), FileError> {
        match list.get(max) {
            Some(extra) => Err(self.error(
                span(extra),
                &format!("{key}[{}]", max + 1),
                format!("at most {max} {what} are allowed, this file has {}", list.len()),
            )),
            None => Ok(()),
        }
    }

    /// An optional integer count in `1..=max`, `1` when absent.
    fn count(&self, v: Option<&Spanned<i64>>, key: &str, max: i64) -> Result<u32, FileError> {
        let Some(v) = v else { return Ok(1) };
        let n = *v.get_ref();
        if !(1..=max).contains(&n) {
            return Err(self.error(v.span(), key, format!("must be a whole number from 1 to {max}, got {n}")));
        }
        u32::try_from(n).map_err(|_| self.error(v.span(), key, format!("must be a whole number from 1 to {max}, got {n}")))
    }

    /// A non-empty name of at most [`MAX_NAME_CHARS`] characters, on one line.
    fn name(&self, v: &Spanned<String>, key: &str) -> Result<String, FileError> {
        let s = v.get_ref().trim();
        if s.is_empty() {
            Err(self.error(v.span(), key, "must not be empty"))
        } else if s.chars().count() > MAX_NAME_CHARS {
            Err(self.error(v.span(), key, format!("must be at most {MAX_NAME_CHARS} characters, got {}", s.chars().count())))
        } else {
            self.one_line(v, key)?;
            Ok(s.to_owned())
        }
    }

    /// Refuse a line break, tab or other control character in a text that is printed as one line
    /// (names label table rows and plots; the description follows the name on its line): a
    /// multi-line TOML string would split the row or the heading it sits in.
    fn one_line(&self, v: &Spanned<String>, key: &str) -> Result<(), FileError> {
        let what = match v.get_ref().trim().chars().find(|c| c.is_control()) {
            None => return Ok(()),
            Some('\n' | '\r') => "a line break".to_owned(),
            Some(c) => format!("the control character U+{:04X}", u32::from(c)),
        };
        Err(self.error(v.span(), key, format!("must be one line of text, got {what} in it")))
    }

    /// The whole vehicle.
    fn vehicle(&self, dto: VehicleFile) -> Result<(Vehicle, Vec<Warning>), FileError> {
        let mut warnings = Vec::new();
        let name = self.name(&dto.name, "name")?;
        let description = match &dto.description {
            Some(d) => {
                self.one_line(d, "description")?;
                d.get_ref().trim().to_owned()
            }
            None => String::new(),
        };
        // Source entries carry no span of their own: the error points at the name line.
        self.at_most(&dto.source, MAX_SOURCES, "source", "[[source]] entries", |_| dto.name.span())?;
        self.at_most(&dto.engine, MAX_ENGINES, "engine", "[[engine]] entries", |e| e.get_ref().id.span())?;
        let sources = dto.source.into_iter().map(|s| Source { what: s.what, reference: s.reference }).collect();

        // Engines, by id.
        let mut engines: Vec<(Engine, Range<usize>)> = Vec::with_capacity(dto.engine.len());
        for (i, entry) in dto.engine.iter().enumerate() {
            let key = format!("engine[{}]", i + 1);
            let engine = self.engine(entry.get_ref(), &key, &mut warnings)?;
            if let Some((_, first)) = engines.iter().find(|(e, _)| e.id == engine.id) {
                return Err(self.error(
                    entry.get_ref().id.span(),
                    &format!("{key}.id"),
                    format!("duplicate engine id `{}` (first defined on line {})", engine.id, line_of(self.text, first.start)),
                ));
            }
            engines.push((engine, entry.get_ref().id.span()));
        }

        let motors = self.motors(&dto.motor, &engines)?;
        let stages = self.stages(&dto.stage, &engines, &motors, &mut warnings)?;
        // A liquid stage whose load outlasts the longest mission cannot burn out in any flight:
        // almost always a unit slip in its engine's thrust (MN or N in a kN key).
        for (i, (stage, entry)) in stages.iter().zip(&dto.stage).enumerate() {
            let burn_s = stage.burn_time_full_throttle_s();
            if !stage.is_solid() && burn_s > crate::optimize::transfer::MAX_MISSION_TIME_S {
                return Err(self.error(
                    entry.get_ref().name.span(),
                    &format!("stage[{}]", i + 1),
                    format!(
                        "stage `{}` would burn for {:.0} s at full thrust ({} kN of vacuum thrust on {:.0} kg of propellant), longer than the {:.0} s the longest mission flies; check its engines' `thrust_vac_kn` (kN) and `isp_vac_s`, and its `propellant_mass_kg`",
                        stage.name,
                        burn_s,
                        stage.thrust_vac_n() / 1e3,
                        stage.total_propellant_kg(),
                        crate::optimize::transfer::MAX_MISSION_TIME_S,
                    ),
                ));
            }
        }

        for (i, (engine, span)) in engines.iter().enumerate() {
            if !stages.iter().any(|s| s.engines.iter().any(|l| l.engine.id == engine.id)) {
                warnings.push(self.warning(
                    span.clone(),
                    &format!("engine[{}].id", i + 1),
                    format!("engine `{}` is not used by any stage", engine.id),
                ));
            }
        }

        // An engine without a sea-level figure is modelled as a vacuum engine (no exit area): at
        // liftoff it would deliver its full vacuum thrust, some 10 % more than a real first-stage
        // engine, silently. A file written from vacuum figures alone says so.
        for (i, ((engine, span), entry)) in engines.iter().zip(&dto.engine).enumerate() {
            let entry = entry.get_ref();
            let sea_level_given = entry.thrust_sl_kn.is_some() || entry.isp_sl_s.is_some() || entry.chemistry.is_some();
            let liftoff = stages
                .iter()
                .enumerate()
                .find(|(_, s)| s.engines.iter().any(|l| l.engine.id == engine.id) && s.ignition == Ignition::Liftoff);
            // A vacuum nozzle (low chamber pressure, large expansion ratio) gives no thrust at sea
            // level: on a liftoff stage it would sit on the pad, a contradiction in the file
            // rather than a flight to report.
            if let (Some((j, stage)), Some(c)) = (liftoff, entry.chemistry.as_ref()) {
                if entry.thrust_sl_kn.is_none() && entry.isp_sl_s.is_none() && !(engine.thrust_sl_n() > 0.0) {
                    let c = c.get_ref();
                    return Err(self.error(
                        c.chamber_pressure_bar.span(),
                        &format!("engine[{}].chemistry.chamber_pressure_bar", i + 1),
                        format!(
                            "engine `{}` burns from liftoff (stage[{}] `{}`) but gives no thrust at sea level: at {} and expansion ratio {} the sea-level pressure on its exit area exceeds its vacuum thrust; a sea-level engine needs a higher chamber pressure or a smaller expansion ratio",
                            engine.id,
                            j + 1,
                            stage.name,
                            show(*c.chamber_pressure_bar.get_ref(), "bar"),
                            show(*c.expansion_ratio.get_ref(), "")
                        ),
                    ));
                }
            }
            if let Some((j, stage)) = liftoff.filter(|_| !sea_level_given) {
                warnings.push(self.warning(
                    span.clone(),
                    &format!("engine[{}].thrust_sl_kn", i + 1),
                    format!(
                        "engine `{}` burns from liftoff (stage[{}] `{}`) but has no sea-level figure (`thrust_sl_kn` or `isp_sl_s`): its vacuum thrust is used at sea level, which overstates the liftoff thrust",
                        engine.id,
                        j + 1,
                        stage.name
                    ),
                ));
            }
        }

        let fairing = dto.fairing.as_ref().map(|f| self.fairing(f)).transpose()?;
        let aero =
            dto.aero.as_ref().map_or_else(|| Ok(Aero { reference_area_m2: None, cd_mach: Aero::default_cd_mach() }), |a| self.aero(a))?;
        let limits = dto.limits.as_ref().map_or(Ok(Limits::default()), |l| self.limits(l))?;
        if let Some(accel) = dto.limits.as_ref().and_then(|l| l.max_accel_g.as_ref()) {
            // The limit is held by throttling; engines that cannot throttle cannot hold it.
            let mut liquid = stages.iter().filter(|s| s.motor.is_none()).peekable();
            if liquid.peek().is_some() && liquid.all(|s| s.engine.throttle_min >= 1.0) {
                warnings.push(self.warning(
                    accel.span(),
                    "limits.max_accel_g",
                    "no liquid engine of the vehicle can throttle (`throttle_min` 1, the default): the limit is held by throttling, so the flight will report the acceleration it reaches, not hold it; give the engines' `throttle_min`",
                ));
            }
        }

        let family = dto.family.as_ref().map(|f| self.name(f, "family")).transpose()?;
        let mut stages = stages;
        let (margins, jettison, defaults_used) = self.margins(&dto.stage, dto.margins.as_ref(), &dto.jettison, &mut stages)?;
        let vehicle = Vehicle { name, description, family, sources, stages, fairing, aero, limits, margins, jettison, defaults_used };
        if let Some(w) = self.liftoff_warning(&vehicle, &dto.stage) {
            warnings.push(w);
        }
        warnings.extend(self.liftoff_limit_warning(&vehicle, dto.limits.as_ref()));
        Ok((vehicle, warnings))
    }

    /// A liftoff limit the vehicle misses with no payload: no payload keeps it, so every payload
    /// run is refused. A warning, as a vehicle that cannot lift off is: a sweep over the limit's
    /// values (or the stages' masses) makes such a point a row that says so.
    fn liftoff_limit_warning(&self, vehicle: &Vehicle, limits: Option<&LimitsEntry>) -> Option<Warning> {
        let entry = limits.and_then(|l| l.min_liftoff_thrust_to_weight.as_ref())?;
        let min = vehicle.limits.min_liftoff_thrust_to_weight?;
        let thrust_to_weight = vehicle.liftoff_thrust_to_weight(0.0);
        (thrust_to_weight < min).then(|| {
            self.warning(
                entry.span(),
                "limits.min_liftoff_thrust_to_weight",
                format!(
                    "with no payload the liftoff thrust-to-weight is {thrust_to_weight:.3}, under this minimum of {min}: no payload keeps it, so no payload can be flown (lower the minimum, or give the liftoff stages more thrust or less mass)"
                ),
            )
        })
    }

    /// A vehicle that cannot lift itself off the pad, without payload: every flight of it is
    /// refused, and the cause is in the file (a stage order reversed, strap-ons without
    /// `ignition = "liftoff"`, a unit slip), which `info` would otherwise describe without a word.
    /// The warning names the stages lit at liftoff and, when a stage lit later out-thrusts them
    /// all, that stage.
    fn liftoff_warning(&self, vehicle: &Vehicle, entries: &[Spanned<StageEntry>]) -> Option<Warning> {
        let thrust_to_weight = vehicle.liftoff_thrust_to_weight(0.0);
        if thrust_to_weight > 1.0 {
            return None;
        }
        let first = vehicle.stages.iter().position(Stage::burns_at_liftoff)?;
        let lit: Vec<String> = vehicle.stages.iter().filter(|s| s.burns_at_liftoff()).map(|s| format!("`{}`", s.name)).collect();
        let liftoff_n = vehicle.liftoff_thrust_n();
        let stronger = vehicle
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.burns_at_liftoff())
            .map(|(i, s)| (i, s.ignition_thrust_n(1.0, SEA_LEVEL_PRESSURE_PA)))
            .filter(|&(_, thrust_n)| thrust_n > liftoff_n)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let hint = match stronger {
            Some((i, _)) => format!(
                "`{}` (stage[{}]) ignites later but has more thrust than they have: stages are listed in firing order, the first stage first, and a stage that burns beside it from liftoff (strap-on boosters, a core) needs ignition = \"liftoff\" and a place above the sequential stages",
                vehicle.stages[i].name,
                i + 1
            ),
            None => "check the engines' thrust (kN per engine) and the masses (kg per unit)".to_owned(),
        };
        Some(self.warning(
            entries[first].get_ref().name.span(),
            &format!("stage[{}]", first + 1),
            format!(
                "liftoff thrust-to-weight is {thrust_to_weight:.3} without payload and must exceed 1: the stages lit at liftoff ({}) give {} at sea level against a weight of {} for the {} vehicle, so it cannot lift off; {hint}",
                lit.join(", "),
                show((liftoff_n / 100.0).round() / 10.0, "kN"),
                show((vehicle.liftoff_mass_kg(0.0) * G0_M_S2 / 100.0).round() / 10.0, "kN"),
                show((vehicle.liftoff_mass_kg(0.0) / 100.0).round() / 10.0, "t")
            ),
        ))
    }

    /// One `[[engine]]`: SI units, exit area from the sea-level figures.
    fn engine(&self, e: &EngineEntry, key: &str, warnings: &mut Vec<Warning>) -> Result<Engine, FileError> {
        let k = |field: &str| format!("{key}.{field}");
        let id = self.name(&e.id, &k("id"))?;
        let thrust_vac_n = self.plausible(&e.thrust_vac_kn, &k("thrust_vac_kn"), THRUST_KN)? * 1000.0;
        // An engine given by its chemistry (`engine_chemistry`): its Isp when none is stated.
        let chemistry = match &e.chemistry {
            Some(c) => Some(
                super::engine_chemistry::engine_chemistry(c.get_ref(), c.span()).map_err(|p| self.error(p.span, &k(&p.key), p.message))?,
            ),
            None => None,
        };
        let isp_vac_s = match (&e.isp_vac_s, &chemistry) {
            (Some(v), _) => self.plausible(v, &k("isp_vac_s"), ISP_S)?,
            (None, Some(c)) => c.isp_vac_s,
            (None, None) => {
                return Err(self.error(e.id.span(), &k("isp_vac_s"), "missing: give isp_vac_s, or chemistry = { ... } to compute it"))
            }
        };
        let isp_vac_span = e.isp_vac_s.as_ref().map_or_else(|| e.id.span(), |v| v.span());
        if let (Some(_), Some(c)) = (&e.isp_vac_s, &chemistry) {
            let implied = isp_vac_s / c.ideal_isp_vac_s;
            let (lo, hi) = super::engine_chemistry::PLAUSIBLE_EFFICIENCY;
            if !(lo..=hi).contains(&implied) {
                warnings.push(self.warning(
                    isp_vac_span.clone(),
                    &k("isp_vac_s"),
                    format!(
                        "stated vacuum Isp {} is {implied:.3} of the ideal {} from chemistry; engines deliver about {lo}–{hi} of it",
                        show(isp_vac_s, "s"),
                        show((c.ideal_isp_vac_s * 10.0).round() / 10.0, "s")
                    ),
                ));
            }
        }
        let mass_flow_kg_s = thrust_vac_n / (isp_vac_s * G0_M_S2);
        if !(mass_flow_kg_s.is_finite() && mass_flow_kg_s > 0.0) {
            return Err(self.error(
                isp_vac_span,
                &k("isp_vac_s"),
                format!("gives a mass flow of {} with thrust_vac_kn; thrust or Isp is out of range", show(mass_flow_kg_s, "kg/s")),
            ));
        }
        let isp_sl_s = match &e.isp_sl_s {
            Some(v) => {
                let isp_sl_s = self.plausible(v, &k("isp_sl_s"), ISP_S)?;
                if isp_sl_s > isp_vac_s {
                    return Err(self.error(
                        v.span(),
                        &k("isp_sl_s"),
                        format!(
                            "sea-level Isp {} exceeds vacuum Isp {}; ambient pressure only lowers Isp",
                            show(isp_sl_s, "s"),
                            show(isp_vac_s, "s")
                        ),
                    ));
                }
                Some((isp_sl_s, v.span()))
            }
            None => None,
        };
        let thrust_sl_n = match &e.thrust_sl_kn {
            Some(v) => {
                let thrust_sl_n = self.plausible(v, &k("thrust_sl_kn"), THRUST_KN)? * 1000.0;
                if thrust_sl_n > thrust_vac_n {
                    return Err(self.error(
                        v.span(),
                        &k("thrust_sl_kn"),
                        format!(
                            "sea-level thrust {} exceeds vacuum thrust {}; ambient pressure only lowers thrust",
                            show(*v.get_ref(), "kN"),
                            show(*e.thrust_vac_kn.get_ref(), "kN")
                        ),
                    ));
                }
                if let Some((isp_sl_s, span)) = &isp_sl_s {
                    let implied_s = thrust_sl_n / (mass_flow_kg_s * G0_M_S2);
                    let disagreement = (implied_s - isp_sl_s).abs() / isp_sl_s;
                    if disagreement > SEA_LEVEL_ISP_TOLERANCE {
                        warnings.push(self.warning(
                            span.clone(),
                            &k("isp_sl_s"),
                            format!(
                                "sea-level Isp {} disagrees by {:.1} % with the {} implied by the thrusts and vacuum Isp; using thrust_sl_kn",
                                show(*isp_sl_s, "s"),
                                100.0 * disagreement,
                                show((implied_s * 10.0).round() / 10.0, "s"),
                            ),
                        ));
                    }
                }
                Some(thrust_sl_n)
            }
            None => isp_sl_s.map(|(isp_sl_s, _)| isp_sl_s * G0_M_S2 * mass_flow_kg_s).or_else(|| {
                // The chemistry's nozzle exit area, for the flow of the stated thrust and Isp.
                chemistry.map(|c| thrust_vac_n - SEA_LEVEL_PRESSURE_PA * c.exit_area_per_mass_flow_m2_s_kg * mass_flow_kg_s)
            }),
        };
        // Rounding may put a sea-level thrust from Isp a hair above the vacuum thrust.
        let exit_area_m2 = thrust_sl_n.map_or(0.0, |t| ((thrust_vac_n - t) / SEA_LEVEL_PRESSURE_PA).max(0.0));
        let throttle_min = self.plausible_or(e.throttle_min.as_ref(), &k("throttle_min"), THROTTLE_MIN, 1.0)?;
        Ok(Engine { id, propellant: e.propellant.clone(), thrust_vac_n, isp_vac_s, exit_area_m2, throttle_min, chemistry })
    }

    /// `[fairing]`.
    fn fairing(&self, f: &Spanned<FairingEntry>) -> Result<Fairing, FileError> {
        let e = f.get_ref();
        let mass_kg = self.plausible(&e.mass_kg, "fairing.mass_kg", FAIRING_MASS_KG)?;
        let rules = [
            ("jettison_altitude_km", e.jettison_altitude_km.as_ref()),
            ("jettison_heat_flux_w_m2", e.jettison_heat_flux_w_m2.as_ref()),
            ("jettison_time_s", e.jettison_time_s.as_ref()),
        ];
        let given: Vec<(&str, &Spanned<f64>)> = rules.iter().filter_map(|(n, v)| v.map(|v| (*n, v))).collect();
        let jettison = match given.as_slice() {
            [("jettison_altitude_km", v)] => {
                FairingJettison::Altitude(self.plausible(v, "fairing.jettison_altitude_km", JETTISON_ALTITUDE_KM)? * 1000.0)
            }
            [("jettison_heat_flux_w_m2", v)] => {
                FairingJettison::HeatFlux(self.plausible(v, "fairing.jettison_heat_flux_w_m2", JETTISON_HEAT_FLUX_W_M2)?)
            }
            [(_, v)] => FairingJettison::Time(self.plausible(v, "fairing.jettison_time_s", TIME_S)?),
            [] => {
                return Err(self.error(
                    f.span(),
                    "fairing",
                    "needs one jettison rule: jettison_altitude_km, jettison_heat_flux_w_m2 or jettison_time_s",
                ));
            }
            [(first, _), (second, v), ..] => {
                return Err(self.error(
                    v.span(),
                    &format!("fairing.{second}"),
                    format!("give only one jettison rule; {first} is already given"),
                ));
            }
        };
        let tumbling = match &e.tumbling {
            Some(t) => {
                let t = t.get_ref();
                Some(Tumbling {
                    cd: self.plausible(&t.cd, "fairing.tumbling.cd", TUMBLING_CD)?,
                    area_m2: self.plausible(&t.area_m2, "fairing.tumbling.area_m2", AREA_M2)?,
                })
            }
            None => None,
        };
        Ok(Fairing { mass_kg, jettison, tumbling })
    }

    /// `[aero]`.
    fn aero(&self, a: &Spanned<AeroEntry>) -> Result<Aero, FileError> {
        let e = a.get_ref();
        let reference_area_m2 = e.reference_area_m2.as_ref().map(|v| self.plausible(v, "aero.reference_area_m2", AREA_M2)).transpose()?;
        let cd_mach = match &e.cd_mach {
            None => Aero::default_cd_mach(),
            Some(table) => {
                if table.get_ref().is_empty() {
                    return Err(self.error(table.span(), "aero.cd_mach", "needs at least one [mach, cd] pair"));
                }
                self.at_most(table.get_ref(), MAX_CD_MACH_POINTS, "aero.cd_mach", "[mach, cd] points", Spanned::span)?;
                let mut points: Vec<(f64, f64)> = Vec::with_capacity(table.get_ref().len());
                for (j, point) in table.get_ref().iter().enumerate() {
                    let key = format!("aero.cd_mach[{}]", j + 1);
                    let Pair(mach, cd) = *point.get_ref();
                    let bad = |msg: String| self.error(point.span(), &key, msg);
                    if !(mach.is_finite() && cd.is_finite()) {
                        return Err(bad(format!("must be finite numbers, got [{}, {}]", show(mach, ""), show(cd, ""))));
                    }
                    if mach < 0.0 {
                        return Err(bad(format!("Mach must not be negative, got {}", show(mach, ""))));
                    }
                    if cd <= 0.0 {
                        return Err(bad(format!("cd must be positive, got {}", show(cd, ""))));
                    }
                    for (what, x, range) in [("Mach", mach, MACH), ("cd", cd, ASCENT_CD)] {
                        if !(range.min..=range.max).contains(&x) {
                            return Err(bad(format!(
                                "{what} must be from {} to {} (the plausible range of {}), got {}",
                                show(range.min, ""),
                                show(range.max, ""),
                                range.of,
                                show(x, "")
                            )));
                        }
                    }
                    if let Some(&(previous, _)) = points.last() {
                        if mach <= previous {
                            return Err(bad(format!("Mach must increase strictly: {} follows {}", show(mach, ""), show(previous, ""))));
                        }
                    }
                    points.push((mach, cd));
                }
                points
            }
        };
        Ok(Aero { reference_area_m2, cd_mach })
    }

    /// `[margins]` and `[[jettison]]`: the flight performance reserve (held on the last stage),
    /// the payload adapter, the structure dropped during the ascent, and the list of the
    /// defaults the file leaves in force.
    fn margins(
        &self,
        entries: &[Spanned<StageEntry>],
        entry: Option<&MarginsEntry>,
        jettison_entries: &[Spanned<JettisonEntry>],
        stages: &mut [Stage],
    ) -> Result<(Margins, Vec<JettisonItem>, Vec<DefaultUsed>), FileError> {
        let mut defaults = Vec::new();
        for (i, (entry, stage)) in entries.iter().zip(stages.iter()).enumerate() {
            if entry.get_ref().residual_mass_kg.is_none() {
                // The file's figure as written: the sum of its usable and residual shares can
                // differ from it in the last bit (1957.0000000000002 kg).
                let loaded = *entry.get_ref().propellant_mass_kg.get_ref();
                defaults.push(DefaultUsed {
                    key: format!("stage[{}].residual_mass_kg", i + 1),
                    value: stage.residual_mass_kg,
                    rule: format!("{} % of the {} loaded (propellant_mass_kg)", DEFAULT_RESIDUAL_FRACTION * 100.0, show(loaded, "kg")),
                });
            }
        }
        let reserve = match entry.and_then(|m| m.flight_performance_reserve.as_ref()) {
            Some(v) => {
                let key = "margins.flight_performance_reserve";
                let x = self.non_negative(v, key, "")?;
                if x >= 1.0 {
                    return Err(self.error(
                        v.span(),
                        key,
                        format!("must be a share of the last stage's propellant in [0, 1), got {}", show(x, "")),
                    ));
                }
                x
            }
            None => {
                defaults.push(DefaultUsed {
                    key: "margins.flight_performance_reserve".to_owned(),
                    value: DEFAULT_FLIGHT_PERFORMANCE_RESERVE,
                    rule: "share of the last stage's usable propellant kept unburned".to_owned(),
                });
                DEFAULT_FLIGHT_PERFORMANCE_RESERVE
            }
        };
        let payload_adapter_mass_kg = match entry.and_then(|m| m.payload_adapter_mass_kg.as_ref()) {
            Some(v) => self.plausible(v, "margins.payload_adapter_mass_kg", MINOR_MASS_KG)?,
            None => {
                defaults.push(DefaultUsed {
                    key: "margins.payload_adapter_mass_kg".to_owned(),
                    value: DEFAULT_PAYLOAD_ADAPTER_MASS_KG,
                    rule: "adapter and separation system flown with the payload, not counted as payload".to_owned(),
                });
                DEFAULT_PAYLOAD_ADAPTER_MASS_KG
            }
        };
        if let Some(last) = stages.last_mut() {
            if reserve > 0.0 && last.is_solid() {
                let at = entry.and_then(|m| m.flight_performance_reserve.as_ref()).map_or(0..0, Spanned::span);
                return Err(self.error(
                    at,
                    "margins.flight_performance_reserve",
                    format!("the last stage `{}` is a solid motor, which cannot cut off and keep a reserve; give 0", last.name),
                ));
            }
            last.reserve_mass_kg = reserve * last.propellant_mass_kg;
            if last.total_propellant_kg() <= 0.0 {
                let at = entry.and_then(|m| m.flight_performance_reserve.as_ref()).map_or(0..0, Spanned::span);
                return Err(self.error(
                    at,
                    "margins.flight_performance_reserve",
                    format!("leaves stage `{}` no propellant to burn after its start-up propellant", last.name),
                ));
            }
        }
        if let Some(extra) = jettison_entries.get(MAX_JETTISON_ITEMS) {
            return Err(self.error(
                extra.span(),
                &format!("jettison[{}]", MAX_JETTISON_ITEMS + 1),
                format!("a vehicle has at most {MAX_JETTISON_ITEMS} [[jettison]] items, this file has {}", jettison_entries.len()),
            ));
        }
        let mut jettison = Vec::with_capacity(jettison_entries.len());
        for (j, item) in jettison_entries.iter().enumerate() {
            jettison.push(self.jettison_item(item, j, stages)?);
        }
        Ok((Margins { flight_performance_reserve: reserve, payload_adapter_mass_kg }, jettison, defaults))
    }

    /// One `[[jettison]]`: a name, a mass and exactly one of `after` (with `delay_s`) and `time_s`.
    fn jettison_item(&self, item: &Spanned<JettisonEntry>, j: usize, stages: &[Stage]) -> Result<JettisonItem, FileError> {
        let e = item.get_ref();
        let key = format!("jettison[{}]", j + 1);
        let k = |field: &str| format!("{key}.{field}");
        let name = self.name(&e.name, &k("name"))?;
        let mass_kg = self.plausible(&e.mass_kg, &k("mass_kg"), JETTISON_MASS_KG)?;
        let trigger = match (&e.after, &e.time_s) {
            (Some(after), None) => {
                let Some(target) = after.get_ref().strip_prefix(SEPARATION_PREFIX).map(str::trim) else {
                    return Err(self.error(
                        after.span(),
                        &k("after"),
                        format!("must be \"{SEPARATION_PREFIX}STAGE NAME\", got \"{}\"; use time_s for a time", after.get_ref()),
                    ));
                };
                let Some(stage) = stages.iter().position(|s| s.name == target) else {
                    let listed: Vec<String> = stages.iter().map(|s| format!("`{}`", s.name)).collect();
                    return Err(self.error(
                        after.span(),
                        &k("after"),
                        format!("no stage is named `{target}`; stages: {}", listed.join(", ")),
                    ));
                };
                let delay_s = self.plausible_or(e.delay_s.as_ref(), &k("delay_s"), DELAY_S, 0.0)?;
                JettisonTrigger::AfterSeparation { stage, delay_s }
            }
            (None, Some(t)) => {
                if let Some(d) = &e.delay_s {
                    return Err(self.error(d.span(), &k("delay_s"), "goes with `after`; with time_s give the time itself"));
                }
                JettisonTrigger::Time(self.plausible(t, &k("time_s"), TIME_S)?)
            }
            (Some(_), Some(t)) => return Err(self.error(t.span(), &k("time_s"), "give either after or time_s, not both")),
            (None, None) => return Err(self.error(item.span(), &key, "needs after = \"separation:STAGE NAME\" or time_s")),
        };
        Ok(JettisonItem { name, mass_kg, trigger })
    }

    /// `[limits]`.
    fn limits(&self, l: &LimitsEntry) -> Result<Limits, FileError> {
        Ok(Limits {
            max_q_pa: l.max_q_kpa.as_ref().map(|v| self.plausible(v, "limits.max_q_kpa", MAX_Q_KPA).map(|q| q * 1000.0)).transpose()?,
            max_accel_g: l.max_accel_g.as_ref().map(|v| self.plausible(v, "limits.max_accel_g", MAX_ACCEL_G)).transpose()?,
            min_liftoff_thrust_to_weight: l
                .min_liftoff_thrust_to_weight
                .as_ref()
                .map(|v| self.plausible(v, "limits.min_liftoff_thrust_to_weight", MIN_LIFTOFF_THRUST_TO_WEIGHT))
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A complete, valid heavy launcher: four strap-on boosters, a throttled core, an upper stage.
    const HEAVY: &str = r#"format = 1
name = "Test Heavy"
description = "Four boosters, a core and an upper stage"

[[source]]
what = "stage masses"
ref = "press kit"

[[engine]]
id = "RD-191"
propellant = "LOX/kerosene"
thrust_vac_kn = 2085.0
thrust_sl_kn = 1922.0
isp_vac_s = 337.5
isp_sl_s = 311.2
throttle_min = 0.27

[[engine]]
id = "RD-0124A"
propellant = "LOX/kerosene"
thrust_vac_kn = 294.3
isp_vac_s = 359

[[stage]]
name = "Boosters"
units = 4
engine = "RD-191"
dry_mass_kg = 10000
propellant_mass_kg = 132600
residual_mass_kg = 1500
diameter_m = 2.9
ignition = "liftoff"
tumbling = { cd = 1.1, area_m2 = 20.0 }

[[stage]]
name = "Core"
engine = "RD-191"
dry_mass_kg = 10000
propellant_mass_kg = 132600
diameter_m = 2.9
ignition = "liftoff"
throttle = [{ level = 0.3, until = "separation:Boosters" }, { level = 0.9, until_s = 250.0 }]

[[stage]]
name = "Upper"
engine = "RD-0124A"
dry_mass_kg = 3400
propellant_mass_kg = 32800
diameter_m = 3.6
ignition_delay_s = 2.0

[fairing]
mass_kg = 1800
jettison_altitude_km = 110

[limits]
max_q_kpa = 45
max_accel_g = 4.5
"#;

    fn parse(text: &str) -> Result<(Vehicle, Vec<Warning>), FileError> {
        vehicle_from_toml(text, "heavy.toml")
    }

    /// A restartable upper stage with a drop tank reads with its figures; without `max_burns`
    /// a stage burns once and the restart figures are refused.
    #[test]
    fn restartable_stage_and_drop_tank_read() {
        let upper = "ignition_delay_s = 2.0\n";
        let text = HEAVY.replace(
            upper,
            "ignition_delay_s = 2.0\nmax_burns = 5\nmin_coast_s = 60\nrestart_propellant_kg = 15\ncoast_propellant_kg_per_h = 4\n\n[stage.drop_tank]\nname = \"APT\"\ndry_mass_kg = 700\npropellant_mass_kg = 14000\n",
        );
        let (v, _) = parse(&text).unwrap();
        let s = &v.stages[2];
        let r = s.restart.expect("restartable");
        assert_eq!((r.max_burns, r.min_coast_s, r.restart_propellant_kg, r.coast_propellant_kg_per_h), (5, 60.0, 15.0, 4.0));
        assert_eq!(s.max_burns(), 5);
        let t = s.drop_tank.as_ref().expect("drop tank");
        assert_eq!((t.name.as_str(), t.dry_mass_kg, t.propellant_mass_kg), ("APT", 700.0, 14000.0));
        // The masses are the stage's own: the tank adds nothing to the gross mass.
        let (plain, _) = parse(HEAVY).unwrap();
        assert_eq!(plain.stages[2].gross_mass_kg(), s.gross_mass_kg());
        assert_eq!(plain.stages[2].max_burns(), 1);
        assert!(plain.stages[2].restart.is_none() && plain.stages[2].drop_tank.is_none());
    }

    #[test]
    fn restart_figures_need_a_restartable_liquid_stage_in_flight() {
        let once = HEAVY.replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\nmin_coast_s = 60\n");
        let m = fails(&once, line_containing(&once, "min_coast_s"), "stage[3].min_coast_s");
        assert!(m.contains("max_burns"), "{m}");
        let on_pad = HEAVY.replace("tumbling = { cd = 1.1, area_m2 = 20.0 }\n", "tumbling = { cd = 1.1, area_m2 = 20.0 }\nmax_burns = 2\n");
        let m = fails(&on_pad, line_containing(&on_pad, "max_burns"), "stage[1].max_burns");
        assert!(m.contains("ignites in flight"), "{m}");
        let too_many = HEAVY.replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\nmax_burns = 1000\n");
        fails(&too_many, line_containing(&too_many, "max_burns"), "stage[3].max_burns");
        let hungry = HEAVY.replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\nmax_burns = 20\nrestart_propellant_kg = 5000\n");
        let m = fails(&hungry, line_containing(&hungry, "restart_propellant_kg"), "stage[3].restart_propellant_kg");
        assert!(m.contains("use up"), "{m}");
        let big_tank = HEAVY
            .replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\ndrop_tank = { dry_mass_kg = 100, propellant_mass_kg = 40000 }\n");
        let m = fails(&big_tank, line_containing(&big_tank, "drop_tank"), "stage[3].drop_tank.propellant_mass_kg");
        assert!(m.contains("part of the stage"), "{m}");
        let heavy_tank = HEAVY
            .replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\ndrop_tank = { dry_mass_kg = 3400, propellant_mass_kg = 400 }\n");
        fails(&heavy_tank, line_containing(&heavy_tank, "drop_tank"), "stage[3].drop_tank.dry_mass_kg");
    }

    /// Parse text that must fail, check the message names the file, line and key, and return it.
    /// Auxiliary consumables add to the gross mass and leave with the propellant: the burn time
    /// is the propellant's, the mass flow grows in proportion, the burnout mass is unchanged.
    #[test]
    fn auxiliary_consumables_leave_during_the_burn() {
        let (plain, _) = parse(HEAVY).unwrap();
        let text = HEAVY.replace("residual_mass_kg = 1500", "residual_mass_kg = 1500\nauxiliary_mass_kg = 1000");
        let (with_aux, _) = parse(&text).unwrap();
        let (a, b) = (&plain.stages[0], &with_aux.stages[0]);
        assert_eq!(b.auxiliary_mass_kg, 1000.0);
        assert!((b.gross_mass_kg() - a.gross_mass_kg() - 4.0 * 1000.0).abs() < 1e-9);
        assert!((b.burnout_mass_kg() - a.burnout_mass_kg()).abs() < 1e-9);
        assert!((b.burn_time_full_throttle_s() - a.burn_time_full_throttle_s()).abs() < 1e-9);
        let ratio = b.mass_flow_kg_s() / a.mass_flow_kg_s();
        assert!((ratio - (1.0 + 1000.0 / a.propellant_mass_kg)).abs() < 1e-12, "{ratio}");
        let negative = HEAVY.replace("residual_mass_kg = 1500", "residual_mass_kg = 1500\nauxiliary_mass_kg = -1");
        let message = fails(&negative, line_containing(&negative, "auxiliary_mass_kg"), "stage[1].auxiliary_mass_kg");
        assert!(message.contains("-1"), "{message}");
    }

    fn fails(text: &str, line: usize, key: &str) -> String {
        let e = parse(text).expect_err("the file must be rejected");
        let message = e.to_string();
        assert!(message.starts_with(&format!("heavy.toml:{line}: key `{key}`")), "unexpected location in: {message}");
        message
    }

    fn line_containing(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).expect("needle present") + 1
    }

    #[test]
    fn complete_heavy_vehicle_parses_into_si_units() {
        let (v, warnings) = parse(HEAVY).expect("valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(v.name, "Test Heavy");
        assert_eq!(v.sources, vec![Source { what: "stage masses".into(), reference: "press kit".into() }]);
        assert_eq!(v.stages.len(), 3);
        let [boosters, core, upper] = &v.stages[..] else { unreachable!() };
        assert_eq!(boosters.kind, StageKind::Booster);
        assert_eq!(core.kind, StageKind::Core);
        assert_eq!(upper.kind, StageKind::Upper);
        assert_eq!(boosters.units, 4);
        assert_eq!(upper.ignition, Ignition::Sequential);
        assert_eq!(upper.ignition_delay_s, 2.0);
        assert_eq!(boosters.residual_mass_kg, 1500.0);
        // The core states no residual: its propellant figure is the load, split by the default.
        assert!((core.residual_mass_kg - 132_600.0 * DEFAULT_RESIDUAL_FRACTION).abs() < 1e-9);
        assert!((core.propellant_mass_kg + core.residual_mass_kg - 132_600.0).abs() < 1e-9);
        assert!((core.gross_mass_kg() - 142_600.0).abs() < 1e-9, "the gross mass is the file's");
        assert_eq!(boosters.tumbling, Some(Tumbling { cd: 1.1, area_m2: 20.0 }));
        assert_eq!(core.engine.thrust_vac_n, 2_085_000.0);
        assert!((core.engine.exit_area_m2 - 163_000.0 / SEA_LEVEL_PRESSURE_PA).abs() < 1e-12);
        assert!((core.engine.thrust_sl_n() - 1_922_000.0).abs() < 1e-6);
        assert_eq!(core.engine.throttle_min, 0.27);
        assert_eq!(upper.engine.exit_area_m2, 0.0);
        assert_eq!(upper.engine.throttle_min, 1.0);
        assert_eq!(core.throttle[0], ThrottleSegment { level: 0.3, until: ThrottleUntil::Separation(0) });
        assert_eq!(core.throttle[1], ThrottleSegment { level: 0.9, until: ThrottleUntil::Time(250.0) });
        assert_eq!(v.fairing, Some(Fairing { mass_kg: 1800.0, jettison: FairingJettison::Altitude(110_000.0), tumbling: None }));
        assert_eq!(v.limits, Limits { max_q_pa: Some(45_000.0), max_accel_g: Some(4.5), min_liftoff_thrust_to_weight: None });
        assert_eq!(v.aero, Aero { reference_area_m2: None, cd_mach: Aero::default_cd_mach() });
    }

    #[test]
    fn documented_example_parses_cleanly() {
        let doc = include_str!("../../../../docs/vehicle-file.md");
        let start = doc.find("```toml\nformat = 1").expect("example in the documentation") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("end of example");
        let (v, warnings) = vehicle_from_toml(&doc[start..end], "example.toml").expect("the documented example is valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(v.stages.iter().map(|s| s.kind).collect::<Vec<_>>(), [StageKind::Booster, StageKind::Core, StageKind::Upper]);
    }

    /// The solid-motor example of the documentation reads without a finding and has the
    /// figures the text gives.
    #[test]
    fn documented_solid_example_has_the_stated_figures() {
        let doc = include_str!("../../../../docs/vehicle-file.md");
        let start = doc.find("```toml\n# example-solid.toml\n").expect("solid example") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("end of example");
        let (v, warnings) = vehicle_from_toml(&doc[start..end], "example.toml").expect("the documented example is valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        let boost = v.stages[0].motor.as_ref().expect("motor");
        assert!((boost.total_impulse_vac_n_s() - 6.614e8).abs() < 1e3);
        assert!((boost.impulse_disagreement() - 0.0036).abs() < 1e-4);
        assert!((boost.average_thrust_vac_n() - 5_291_200.0).abs() < 1e-3);
        assert!((boost.action_time_s() - 123.49).abs() < 0.01);
        assert_eq!(v.stages[1].ignition_after, Some(StageEvent::Burnout(0)));
        assert!((thrust_coefficient_vac(1.18, 50.0).expect("valid") - 1.926).abs() < 5e-4);
        assert!((v.stages[3].motor.as_ref().expect("motor").max_thrust_vac_n() - 485.3e3).abs() < 100.0);
    }

    #[test]
    fn isp_only_sea_level_figure_sets_exit_area() {
        let text = HEAVY.replace("thrust_sl_kn = 1922.0\n", "");
        let (v, _) = parse(&text).expect("valid");
        let e = &v.stages[0].engine;
        assert!((e.isp_sl_s() - 311.2).abs() < 1e-9);
    }

    #[test]
    fn aero_table_is_read() {
        let text = format!("{HEAVY}\n[aero]\nreference_area_m2 = 30.0\ncd_mach = [\n  [0.0, 0.3],\n  [1.2, 0.6],\n  [4.0, 0.3],\n]\n");
        let (v, _) = parse(&text).expect("valid");
        assert_eq!(v.aero, Aero { reference_area_m2: Some(30.0), cd_mach: vec![(0.0, 0.3), (1.2, 0.6), (4.0, 0.3)] });
        let bad = text.replace("[1.2, 0.6]", "[0.0, 0.6]");
        let message = fails(&bad, line_containing(&bad, "[0.0, 0.6]"), "aero.cd_mach[2]");
        assert!(message.contains("increase"), "{message}");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = HEAVY.replace("residual_mass_kg = 1500", "residual_mas_kg = 1500");
        let message = fails(&text, line_containing(&text, "residual_mas_kg"), "stage[1].residual_mas_kg");
        assert!(message.contains("unknown field `residual_mas_kg`"), "{message}");
    }

    /// A misspelt table is named once, by its header's path: `limit`, not `limit.limit`, and an
    /// unknown array of tables without the index of a table it never had.
    #[test]
    fn unknown_table_is_named_by_its_header() {
        let text = HEAVY.replace("[limits]", "[limit]");
        let message = fails(&text, line_containing(&text, "[limit]"), "limit");
        assert!(message.contains("did you mean `limits`?"), "{message}");
        let text = format!("{HEAVY}\n[[sources]]\nurl = \"x\"\n");
        fails(&text, line_containing(&text, "[[sources]]"), "sources");
    }

    /// An engine's thrust typed in MN in the kN key leaves its stage burning for days: refused,
    /// naming the stage and the keys to check.
    #[test]
    fn a_stage_that_would_burn_for_days_is_refused() {
        let text = HEAVY.replace("thrust_vac_kn = 294.3", "thrust_vac_kn = 0.2943");
        let message = fails(&text, line_containing(&text, "name = \"Upper\""), "stage[3]");
        assert!(message.contains("stage `Upper` would burn for") && message.contains("thrust_vac_kn"), "{message}");
    }

    #[test]
    fn fairing_tumbling_is_read_and_checked() {
        let text = HEAVY.replace("jettison_altitude_km = 110", "jettison_altitude_km = 110\ntumbling = { cd = 1.4, area_m2 = 12.5 }");
        let (v, _) = parse(&text).expect("valid");
        assert_eq!(v.fairing.and_then(|f| f.tumbling), Some(Tumbling { cd: 1.4, area_m2: 12.5 }));
        let bad = text.replace("area_m2 = 12.5", "area_m2 = -1.0");
        let message = fails(&bad, line_containing(&bad, "area_m2 = -1.0"), "fairing.tumbling.area_m2");
        assert!(message.contains("-1"), "{message}");
    }

    #[test]
    fn unknown_key_in_inline_table_is_named() {
        let text = HEAVY.replace("until_s = 250.0", "until_t = 250.0");
        let message = fails(&text, line_containing(&text, "until_t"), "stage[2].throttle.until_t");
        assert!(message.contains("unknown field `until_t`"), "{message}");
    }

    #[test]
    fn missing_key_is_named() {
        let text = HEAVY.replace("diameter_m = 3.6\n", "");
        // The line of the table that lacks the key: its `[[stage]]` header.
        let message = fails(&text, line_containing(&text, "name = \"Upper\"") - 1, "stage[3].diameter_m");
        assert!(message.contains("missing field `diameter_m`"), "{message}");
        let text = HEAVY.replace("{ cd = 1.1, area_m2 = 20.0 }", "{ cd = 1.1 }");
        fails(&text, line_containing(&text, "tumbling"), "stage[1].tumbling.area_m2");
    }

    #[test]
    fn negative_mass_is_rejected() {
        let text = HEAVY.replace("dry_mass_kg = 3400", "dry_mass_kg = -5");
        let message = fails(&text, line_containing(&text, "dry_mass_kg = -5"), "stage[3].dry_mass_kg");
        assert!(message.ends_with("must be positive, got -5 kg"), "{message}");
    }

    #[test]
    fn zero_thrust_is_rejected() {
        let text = HEAVY.replace("thrust_vac_kn = 294.3", "thrust_vac_kn = 0");
        let message = fails(&text, line_containing(&text, "thrust_vac_kn = 0"), "engine[2].thrust_vac_kn");
        assert!(message.contains("must be positive"), "{message}");
    }

    #[test]
    fn non_finite_number_is_rejected() {
        for bad in ["nan", "inf", "-inf", "-nan"] {
            let text = HEAVY.replace("propellant_mass_kg = 32800", &format!("propellant_mass_kg = {bad}"));
            let message = fails(&text, line_containing(&text, &format!("= {bad}")), "stage[3].propellant_mass_kg");
            assert!(message.contains("must be a finite number"), "{message}");
        }
    }

    /// The values of the bug report, each refused at its line and key with the plausible range.
    #[test]
    fn implausible_values_are_refused_with_the_range() {
        let cases = [
            ("diameter_m = 3.6", "diameter_m = 1e-300", "stage[3].diameter_m", "must be from 0.01 to 30 m"),
            ("diameter_m = 3.6", "diameter_m = 1e6", "stage[3].diameter_m", "got 1000000 m"),
            ("cd = 1.1", "cd = 1e-300", "stage[1].tumbling.cd", "must be from 0.05 to 5"),
            ("thrust_vac_kn = 294.3", "thrust_vac_kn = 1e300", "engine[2].thrust_vac_kn", "must be from 0.001 to 20000 kN"),
            (
                "thrust_vac_kn = 294.3",
                "thrust_vac_kn = 1e9",
                "engine[2].thrust_vac_kn",
                "(the plausible range of a launch-vehicle engine), got 1e9 kN",
            ),
            ("isp_vac_s = 359", "isp_vac_s = 1e6", "engine[2].isp_vac_s", "must be from 10 to 550 s"),
            ("throttle_min = 0.27", "throttle_min = 1e-9", "engine[1].throttle_min", "must be from 0.01 to 1"),
            ("mass_kg = 1800", "mass_kg = 1e7", "fairing.mass_kg", "must be from 0.1 to 100000 kg"),
            ("jettison_altitude_km = 110", "jettison_altitude_km = 5000", "fairing.jettison_altitude_km", "to 1000 km"),
            ("max_q_kpa = 45", "max_q_kpa = 1e5", "limits.max_q_kpa", "to 500 kPa"),
            ("max_accel_g = 4.5", "max_accel_g = 0.5", "limits.max_accel_g", "must be from 1.1 to 100 g"),
            (
                "max_accel_g = 4.5",
                "min_liftoff_thrust_to_weight = 0.9",
                "limits.min_liftoff_thrust_to_weight",
                "must be from 1 to 3 (the plausible range of a launch vehicle)",
            ),
            ("until_s = 250.0", "until_s = 1e9", "stage[2].throttle[2].until_s", "to 86400 s"),
            ("ignition_delay_s = 2.0", "ignition_delay_s = 1e7", "stage[3].ignition_delay_s", "to 86400 s"),
            ("propellant_mass_kg = 32800", "propellant_mass_kg = 1e8", "stage[3].propellant_mass_kg", "to 10000000 kg"),
        ];
        for (from, to, key, expected) in cases {
            let text = HEAVY.replacen(from, to, 1);
            let message = fails(&text, line_containing(&text, to), key);
            assert!(message.contains(expected), "{to}: {message}");
        }
    }

    /// The margin and jettison figures have ranges too: a jettison at 1e-298 s once passed
    /// validation and failed in flight with a step-size underflow (found by the fuzz sweep).
    #[test]
    fn implausible_margins_and_jettison_items_are_refused_with_the_range() {
        let base = format!(
            "{HEAVY}\n[margins]\npayload_adapter_mass_kg = 120\n\n[[jettison]]\nname = \"tower\"\nmass_kg = 300\ntime_s = 150\n\n[[jettison]]\nname = \"interstage\"\nmass_kg = 500\nafter = \"separation:Core\"\ndelay_s = 30\n"
        );
        let cases = [
            ("time_s = 150", "time_s = 1.979e-298", "jettison[1].time_s", "must be from 0.001 to 86400 s"),
            ("mass_kg = 300", "mass_kg = 1e300", "jettison[1].mass_kg", "to 1000000 kg"),
            ("delay_s = 30", "delay_s = 1e9", "jettison[2].delay_s", "to 86400 s"),
            ("payload_adapter_mass_kg = 120", "payload_adapter_mass_kg = 1e300", "margins.payload_adapter_mass_kg", "to 1000000 kg"),
        ];
        for (from, to, key, expected) in cases {
            let text = base.replacen(from, to, 1);
            let message = fails(&text, line_containing(&text, to), key);
            assert!(message.contains(expected), "{to}: {message}");
        }
    }

    #[test]
    fn units_no_structure_could_carry_are_refused() {
        // 3.3 million g came from a huge thrust on a light stage: thrust over dry weight.
        let text = HEAVY.replace("dry_mass_kg = 3400", "dry_mass_kg = 20");
        let message = fails(&text, line_containing(&text, "dry_mass_kg = 20"), "stage[3].dry_mass_kg");
        assert!(message.contains("thrust over dry weight would be 1501"), "{message}");
        let text = HEAVY.replace("dry_mass_kg = 3400", "dry_mass_kg = 300");
        let message = fails(&text, line_containing(&text, "dry_mass_kg = 300"), "stage[3].dry_mass_kg");
        assert!(message.contains("no stage exceeds 0.99"), "{message}");
        let text = HEAVY.replace("residual_mass_kg = 1500", "auxiliary_mass_kg = 200000");
        let message = fails(&text, line_containing(&text, "auxiliary_mass_kg"), "stage[1].auxiliary_mass_kg");
        assert!(message.contains("outweigh the propellant"), "{message}");
    }

    #[test]
    fn lists_and_names_are_capped() {
        let segments: Vec<String> = (1..=1001).map(|i| format!("{{ level = 0.9, until_s = {i}.0 }}")).collect();
        let text = HEAVY.replace(
            "throttle = [{ level = 0.3, until = \"separation:Boosters\" }, { level = 0.9, until_s = 250.0 }]",
            &format!("throttle = [\n{}\n]", segments.join(",\n")),
        );
        let message = fails(&text, line_containing(&text, "until_s = 1001.0"), "stage[2].throttle[1001]");
        assert!(message.contains("at most 1000 throttle segments"), "{message}");
        // 1000 segments are fine.
        let (v, _) = parse(&text.replace(",\n{ level = 0.9, until_s = 1001.0 }", "")).expect("1000 segments");
        assert_eq!(v.stages[1].throttle.len(), 1000);

        let points: Vec<String> = (0..1001).map(|i| format!("[{}.0, 0.3]", i / 25)).collect();
        let points: Vec<String> = points.iter().enumerate().map(|(i, p)| p.replacen(".0,", &format!(".{:03},", i % 25 * 40), 1)).collect();
        let text = format!("{HEAVY}\n[aero]\ncd_mach = [\n{}\n]\n", points.join(",\n"));
        let message = fails(&text, line_containing(&text, "[40.000, 0.3]"), "aero.cd_mach[1001]");
        assert!(message.contains("at most 1000 [mach, cd] points"), "{message}");

        let long = "N".repeat(101);
        let text = HEAVY.replace("name = \"Upper\"", &format!("name = \"{long}\""));
        let message = fails(&text, line_containing(&text, &long), "stage[3].name");
        assert!(message.contains("at most 100 characters, got 101"), "{message}");

        let text = format!("{HEAVY}\n# {}\n", "x".repeat(MAX_FILE_BYTES));
        let message = parse(&text).expect_err("too large").to_string();
        assert!(message.starts_with(&format!("heavy.toml:{}:", HEAVY.lines().count() + 2)), "{}", &message[..200.min(message.len())]);
        assert!(message.contains("passes the limit of 1048576 bytes"), "{message}");
    }

    #[test]
    fn a_huge_value_is_quoted_short() {
        let huge = "A".repeat(500_000);
        let text = HEAVY.replace("engine = \"RD-0124A\"", &format!("engine = \"{huge}\""));
        let message = fails(&text, line_containing(&text, &huge), "stage[3].engine");
        assert!(message.len() < 400, "{} bytes", message.len());
        assert!(message.contains(&format!("`{}…`", "A".repeat(crate::error::MAX_QUOTED_CHARS))), "{message}");
    }

    #[test]
    fn sea_level_isp_above_vacuum_is_rejected() {
        let text = HEAVY.replace("isp_sl_s = 311.2", "isp_sl_s = 340");
        let message = fails(&text, line_containing(&text, "isp_sl_s = 340"), "engine[1].isp_sl_s");
        assert!(message.contains("exceeds vacuum Isp"), "{message}");
    }

    #[test]
    fn undefined_engine_lists_defined_ids() {
        let text = HEAVY.replace("engine = \"RD-0124A\"", "engine = \"RD-0124\"");
        let message = fails(&text, line_containing(&text, "engine = \"RD-0124\""), "stage[3].engine");
        assert!(message.contains("`RD-191`, `RD-0124A`"), "{message}");
    }

    #[test]
    fn throttle_until_unknown_stage_lists_stages() {
        let text = HEAVY.replace("separation:Boosters", "separation:Booster");
        let message = fails(&text, line_containing(&text, "separation:Booster"), "stage[2].throttle[1].until");
        assert!(message.contains("`Boosters`, `Core`, `Upper`"), "{message}");
    }

    #[test]
    fn liftoff_stage_after_sequential_is_rejected() {
        let text = HEAVY.replace("name = \"Core\"\nengine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m = 2.9\nignition = \"liftoff\"", "name = \"Core\"\nengine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m = 2.9\nignition = \"sequential\"")
            + "\n[[stage]]\nname = \"Late\"\nengine = \"RD-191\"\ndry_mass_kg = 1\npropellant_mass_kg = 1\ndiameter_m = 1\nignition = \"liftoff\"\n";
        let message = fails(&text, text.lines().count(), "stage[4].ignition");
        assert!(message.contains("liftoff stages must come first"), "{message}");
    }

    /// The first stage lights at liftoff whether or not it says so: `max_burns` there is refused
    /// at its line, as on a stage stating `ignition = "liftoff"`, and points at the stage order.
    #[test]
    fn max_burns_on_the_first_stage_is_refused_without_an_ignition_key() {
        let text = HEAVY.replace("ignition = \"liftoff\"\ntumbling", "max_burns = 2\ntumbling");
        let message = fails(&text, line_containing(&text, "max_burns"), "stage[1].max_burns");
        assert!(message.contains("first stage of the file, which ignites at liftoff") && message.contains("stage order"), "{message}");
    }

    /// A stage after the first without `ignition` is sequential: boosters written there would
    /// fly as an upper stage. `kind = "booster"` on it is refused at the kind, with the fix and
    /// the stage to move it above; several units without `kind` or `ignition` warn at `units`;
    /// `kind = "upper"` states a cluster lit in flight and silences the warning.
    #[test]
    fn boosters_listed_as_a_sequential_stage_are_named() {
        let late = "\n[[stage]]\nname = \"SRBs\"\nunits = 4\nengine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m = 2.9\n";
        let booster = format!("{HEAVY}{}", late.replace("units = 4", "units = 4\nkind = \"booster\""));
        let message = fails(&booster, line_containing(&booster, "kind = \"booster\""), "stage[4].kind");
        assert!(message.contains("ignition = \"liftoff\"") && message.contains("above `Upper` (stage[3])"), "{message}");
        let stated = booster.replace("kind = \"booster\"", "kind = \"booster\"\nignition = \"sequential\"");
        fails(&stated, line_containing(&stated, "ignition = \"sequential\""), "stage[4].ignition");
        let units = format!("{HEAVY}{late}");
        let (_, warnings) = parse(&units).expect("a cluster lit in flight may be meant");
        let w = warnings.iter().find(|w| w.location.key == "stage[4].units").expect("warned");
        assert_eq!(w.location.line, units.lines().enumerate().filter(|(_, l)| *l == "units = 4").last().map(|(i, _)| i + 1), "{w}");
        assert!(w.message.contains("ignition = \"liftoff\"") && w.message.contains("kind = \"upper\""), "{w}");
        let upper = format!("{HEAVY}{}", late.replace("units = 4", "units = 4\nkind = \"upper\""));
        let (_, warnings) = parse(&upper).expect("valid");
        assert!(!warnings.iter().any(|w| w.location.key == "stage[4].units"), "{warnings:?}");
    }

    /// A vehicle that cannot lift itself warns at its first stage lit at liftoff, naming the
    /// stages lit at liftoff and a stronger stage lit later (the order reversed); without such a
    /// stage the warning points at the figures.
    #[test]
    fn liftoff_thrust_to_weight_below_one_warns() {
        let engines = &HEAVY[HEAVY.find("[[engine]]").expect("engines")..HEAVY.find("[[stage]]").expect("stages")];
        let reversed = format!(
            "format = 1\nname = \"Reversed\"\n\n{engines}[[stage]]\nname = \"Upper\"\nengine = \"RD-0124A\"\ndry_mass_kg = 3400\npropellant_mass_kg = 32800\ndiameter_m = 3.6\n\n[[stage]]\nname = \"Core\"\nengine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m = 2.9\n"
        );
        let (v, warnings) = parse(&reversed).expect("a file that cannot lift off still reads");
        assert!(v.liftoff_thrust_to_weight(0.0) < 1.0);
        let w = warnings.iter().find(|w| w.location.key == "stage[1]").expect("warned");
        assert_eq!(w.location.line, Some(line_containing(&reversed, "name = \"Upper\"")));
        assert!(w.message.contains("stages lit at liftoff (`Upper`)") && w.message.contains("`Core` (stage[2]) ignites later"), "{w}");
        let heavy = format!("{HEAVY}\n[[jettison]]\nname = \"ballast\"\nmass_kg = 100000\ntime_s = 10\n");
        let (_, warnings) = parse(&heavy).expect("valid");
        let w = warnings.iter().find(|w| w.location.key == "stage[1]").expect("warned");
        assert!(w.message.contains("(`Boosters`, `Core`)") && w.message.contains("check the engines' thrust"), "{w}");
        let (_, none) = parse(HEAVY).expect("valid");
        assert!(none.is_empty(), "{none:?}");
    }

    /// The liftoff limit reads into the vehicle and caps its payload where the liftoff
    /// thrust-to-weight meets it; a limit the vehicle misses with no payload warns at its line,
    /// with the thrust-to-weight it has.
    #[test]
    fn liftoff_limit_caps_the_payload_or_is_refused() {
        let (heavy, _) = parse(HEAVY).expect("valid");
        let ratio = heavy.liftoff_thrust_to_weight(0.0);
        let text = HEAVY.replace("max_accel_g = 4.5", "max_accel_g = 4.5\nmin_liftoff_thrust_to_weight = 1.05");
        let (v, warnings) = parse(&text).expect("valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(v.limits.min_liftoff_thrust_to_weight, Some(1.05));
        let cap_kg = v.liftoff_limited_payload_kg().expect("a cap");
        assert!(cap_kg > 0.0 && (v.liftoff_thrust_to_weight(cap_kg) - 1.05).abs() < 1e-12, "{cap_kg} kg");
        assert_eq!(heavy.liftoff_limited_payload_kg(), None);
        let above = format!("min_liftoff_thrust_to_weight = {:.3}", ratio + 0.01);
        let text = HEAVY.replace("max_accel_g = 4.5", &format!("max_accel_g = 4.5\n{above}"));
        let (missed, warnings) = parse(&text).expect("a limit missed empty still reads");
        assert!(missed.liftoff_limited_payload_kg().is_some_and(|kg| kg < 0.0));
        let w = warnings.iter().find(|w| w.location.key == "limits.min_liftoff_thrust_to_weight").expect("warned");
        assert_eq!(w.location.line, Some(line_containing(&text, &above)));
        assert!(
            w.message.contains(&format!("liftoff thrust-to-weight is {ratio:.3}")) && w.message.contains("no payload can be flown"),
            "{w}"
        );
    }

    /// A stated residual stays aboard beside the usable propellant: the load they make must fit
    /// the dry mass as the usable propellant must (refused at the residual's line); a residual
    /// above the usable propellant is possible (propellant kept for a later burn) and warns there.
    #[test]
    fn stated_residual_is_part_of_the_load() {
        let text = HEAVY.replace("residual_mass_kg = 1500", "residual_mass_kg = 900000");
        let message = fails(&text, line_containing(&text, "residual_mass_kg"), "stage[1].residual_mass_kg");
        assert!(message.contains("load of 1032600 kg") && message.contains("dry mass 10000 kg"), "{message}");
        let text = HEAVY.replace("residual_mass_kg = 1500", "residual_mass_kg = 140000");
        let (v, warnings) = parse(&text).expect("a residual above the usable propellant may be meant");
        assert_eq!((v.stages[0].propellant_mass_kg, v.stages[0].residual_mass_kg), (132_600.0, 140_000.0));
        let w = warnings.iter().find(|w| w.location.key == "stage[1].residual_mass_kg").expect("warned");
        assert_eq!(w.location.line, Some(line_containing(&text, "residual_mass_kg")));
        assert!(w.message.contains("usable propellant 132600 kg") && w.message.contains("leave residual_mass_kg out"), "{w}");
        let (_, warnings) = parse(&HEAVY.replace("residual_mass_kg = 1500", "residual_mass_kg = 132600")).expect("valid");
        assert!(!warnings.iter().any(|w| w.location.key == "stage[1].residual_mass_kg"), "{warnings:?}");
    }

    /// `[stage]` for `[[stage]]` gets the fix with the reader's message, whichever error the
    /// reader gives (a second `[stage]`, or one `[stage]` read as a table where a list goes).
    #[test]
    fn single_bracket_arrays_of_tables_get_the_fix() {
        let twice = HEAVY.replace("[[stage]]", "[stage]");
        let message = parse(&twice).expect_err("rejected").to_string();
        let first = line_containing(&twice, "[stage]");
        assert!(
            message.contains(&format!("`[stage]` on line {first} is a single table")) && message.contains("write `[[stage]]`"),
            "{message}"
        );
        let engine = HEAVY.replacen("[[engine]]", "[engine]", 1);
        let message = parse(&engine).expect_err("rejected").to_string();
        assert!(message.contains("write `[[engine]]`"), "{message}");
        let end = HEAVY.find("[[stage]]\nname = \"Core\"").expect("core");
        let once =
            format!("{}[fairing]{}", HEAVY[..end].replace("[[stage]]", "[stage]"), HEAVY.split("[fairing]").nth(1).expect("fairing"));
        let message = fails(&once, line_containing(&once, "[stage]"), "stage");
        assert!(message.contains("expected a sequence") && message.contains("write `[[stage]]`"), "{message}");
    }

    #[test]
    fn too_many_liftoff_stages_are_rejected() {
        let extra = "[[stage]]\nname = \"X\"\nengine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 100000\ndiameter_m = 1\nignition = \"liftoff\"\n\n";
        let text =
            HEAVY.replace("[[stage]]\nname = \"Upper\"", &format!("{extra}{}[[stage]]\nname = \"Upper\"", extra.replace("\"X\"", "\"Y\"")));
        let message = fails(&text, line_containing(&text, "name = \"Y\"") + 5, "stage[4].ignition");
        assert!(message.contains("burn slots"), "{message}");
    }

    #[test]
    fn bad_format_version_is_rejected_first() {
        let text = HEAVY.replace("format = 1", "format = 2") + "new_key_of_format_2 = true\n";
        let message = fails(&text, 1, "format");
        assert!(message.contains("unsupported format version 2"), "{message}");
        let message = parse(&HEAVY.replace("format = 1\n", "")).expect_err("rejected").to_string();
        assert!(message.starts_with("heavy.toml: key `format`"), "{message}");
        let message = parse(&HEAVY.replace("name = \"Test Heavy\"\n", "")).expect_err("rejected").to_string();
        assert_eq!(message, "heavy.toml: key `name`: missing field `name`");
    }

    #[test]
    fn syntax_error_names_line() {
        let text = HEAVY.replace("units = 4", "units = = 4");
        let message = parse(&text).expect_err("rejected").to_string();
        assert!(message.starts_with(&format!("heavy.toml:{}:", line_containing(&text, "units = = 4"))), "{message}");
        // It names no key, as in every other data file.
        let f = parse(&text).expect_err("rejected");
        assert_eq!((f.location.line, f.location.key.as_str()), (Some(line_containing(&text, "units = = 4")), ""), "{f}");
    }

    #[test]
    fn fairing_needs_exactly_one_rule() {
        let text = HEAVY.replace("jettison_altitude_km = 110", "jettison_altitude_km = 110\njettison_time_s = 200");
        fails(&text, line_containing(&text, "jettison_time_s"), "fairing.jettison_time_s");
        let text = HEAVY.replace("jettison_altitude_km = 110", "");
        fails(&text, line_containing(&text, "[fairing]"), "fairing");
    }

    #[test]
    fn sea_level_disagreement_beyond_two_percent_warns() {
        let text = HEAVY.replace("isp_sl_s = 311.2", "isp_sl_s = 300.0");
        let (v, warnings) = parse(&text).expect("a warning, not an error");
        assert_eq!(warnings.len(), 1);
        let w = warnings[0].to_string();
        assert!(w.starts_with(&format!("heavy.toml:{}: key `engine[1].isp_sl_s`", line_containing(&text, "isp_sl_s = 300.0"))), "{w}");
        // Thrust wins.
        assert!((v.stages[0].engine.thrust_sl_n() - 1_922_000.0).abs() < 1e-6);
    }

    #[test]
    fn unused_engine_warns() {
        let text = HEAVY.replace(
            "[[stage]]\nname = \"Boosters\"",
            "[[engine]]\nid = \"Spare\"\npropellant = \"x\"\nthrust_vac_kn = 1\nisp_vac_s = 300\n\n[[stage]]\nname = \"Boosters\"",
        );
        let (_, warnings) = parse(&text).expect("valid");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.key, "engine[3].id");
    }

    /// A liftoff engine given by its vacuum figures alone is flown as a vacuum engine; the file
    /// gets a warning naming the engine and its stage (found writing a blind file from vacuum
    /// data). An upper-stage engine without sea-level figures is normal and gets none.
    #[test]
    fn liftoff_engine_without_sea_level_figure_warns() {
        let text = HEAVY.replacen("thrust_sl_kn = 1922.0\n", "", 1).replacen("isp_sl_s = 311.2\n", "", 1);
        assert_ne!(text, HEAVY);
        let (_, warnings) = parse(&text).expect("valid");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].location.key, "engine[1].thrust_sl_kn");
        assert!(warnings[0].message.contains("`RD-191`") && warnings[0].message.contains("stage[1] `Boosters`"), "{}", warnings[0].message);
        let (_, none) = parse(HEAVY).expect("valid");
        assert!(none.is_empty(), "{none:?}");
    }

    /// A stage without `residual_mass_kg` splits its propellant figure by the default; a stated
    /// residual, even 0, is kept; the defaults left in force are listed with their values.
    #[test]
    fn residual_default_applies_only_when_the_file_is_silent() {
        let (v, _) = parse(HEAVY).expect("valid");
        let keys: Vec<&str> = v.defaults_used.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "stage[2].residual_mass_kg",
                "stage[3].residual_mass_kg",
                "margins.flight_performance_reserve",
                "margins.payload_adapter_mass_kg"
            ]
        );
        assert_eq!(v.stages[0].residual_mass_kg, 1500.0, "stated");
        assert!((v.defaults_used[1].value - 32_800.0 * DEFAULT_RESIDUAL_FRACTION).abs() < 1e-9);
        let zero = HEAVY.replace(
            "dry_mass_kg = 3400\npropellant_mass_kg = 32800",
            "dry_mass_kg = 3400\npropellant_mass_kg = 32800\nresidual_mass_kg = 0",
        );
        let (v, _) = parse(&zero).expect("valid");
        assert_eq!(v.stages[2].residual_mass_kg, 0.0);
        assert_eq!(v.stages[2].propellant_mass_kg, 32_800.0);
        assert!(!v.defaults_used.iter().any(|d| d.key == "stage[3].residual_mass_kg"));
    }

    /// The reserve is held on the last stage only and stays aboard at burnout; the adapter and
    /// the jettisoned items add to the liftoff mass; start-up propellant burned on the pad does not.
    #[test]
    fn margins_and_jettison_items_are_read() {
        let text = format!(
            "{HEAVY}\n[margins]\nflight_performance_reserve = 0.01\npayload_adapter_mass_kg = 120\n\n[[jettison]]\nname = \"interstage\"\nmass_kg = 500\nafter = \"separation:Core\"\ndelay_s = 30\n\n[[jettison]]\nname = \"tower\"\nmass_kg = 300\ntime_s = 150\n"
        );
        let (plain, _) = parse(HEAVY).expect("valid");
        let (v, _) = parse(&text).expect("valid");
        assert_eq!(v.margins, Margins { flight_performance_reserve: 0.01, payload_adapter_mass_kg: 120.0 });
        let upper = &v.stages[2];
        assert!((upper.reserve_mass_kg - 0.01 * upper.propellant_mass_kg).abs() < 1e-9);
        assert!((upper.burnout_mass_kg() - plain.stages[2].burnout_mass_kg() - upper.reserve_mass_kg).abs() < 1e-9);
        assert_eq!(v.stages[1].reserve_mass_kg, 0.0);
        assert_eq!(v.jettison[0].trigger, JettisonTrigger::AfterSeparation { stage: 1, delay_s: 30.0 });
        assert_eq!(v.jettison[1].trigger, JettisonTrigger::Time(150.0));
        assert!((v.liftoff_mass_kg(0.0) - plain.liftoff_mass_kg(0.0) - 920.0).abs() < 1e-6);
        assert!(!v.defaults_used.iter().any(|d| d.key.starts_with("margins.")));

        let startup = HEAVY.replace(
            "dry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m",
            "dry_mass_kg = 10000\npropellant_mass_kg = 132600\nstartup_propellant_kg = 2000\ndiameter_m",
        );
        let (s, _) = parse(&startup).expect("valid");
        assert!((plain.liftoff_mass_kg(0.0) - s.liftoff_mass_kg(0.0) - 2000.0).abs() < 1e-6, "burned on the pad");
        assert!((plain.stages[1].total_propellant_kg() - s.stages[1].total_propellant_kg() - 2000.0).abs() < 1e-6);
    }

    #[test]
    fn bad_margins_and_jettison_items_are_named() {
        let bad = format!("{HEAVY}\n[margins]\nflight_performance_reserve = 1.5\n");
        let message = fails(&bad, line_containing(&bad, "flight_performance_reserve"), "margins.flight_performance_reserve");
        assert!(message.contains("1.5"), "{message}");
        let bad = format!("{HEAVY}\n[[jettison]]\nname = \"x\"\nmass_kg = 5\nafter = \"separation:Nope\"\n");
        let message = fails(&bad, line_containing(&bad, "separation:Nope"), "jettison[1].after");
        assert!(message.contains("`Boosters`, `Core`, `Upper`"), "{message}");
        let bad = format!("{HEAVY}\n[[jettison]]\nname = \"x\"\nmass_kg = 5\n");
        fails(&bad, line_containing(&bad, "[[jettison]]"), "jettison[1]");
        let bad = format!("{HEAVY}\n[[jettison]]\nname = \"x\"\nmass_kg = -5\ntime_s = 3\n");
        fails(&bad, line_containing(&bad, "mass_kg = -5"), "jettison[1].mass_kg");
        let bad = HEAVY.replace("dry_mass_kg = 3400\n", "dry_mass_kg = 3400\nstartup_propellant_kg = 99999\n");
        let message = fails(&bad, line_containing(&bad, "startup_propellant_kg"), "stage[3].startup_propellant_kg");
        assert!(message.contains("less than the usable propellant"), "{message}");
    }

    /// HEAVY with a steering engine (throttling down to 0.9) beside the upper stage's main engine
    /// (made throttleable down to 0.5).
    fn with_vernier(engines: &str) -> String {
        HEAVY
            .replace(
                "isp_vac_s = 359\n",
                "isp_vac_s = 359\nthrottle_min = 0.5\n\n[[engine]]\nid = \"Vernier\"\npropellant = \"LOX/kerosene\"\nthrust_vac_kn = 20.0\nisp_vac_s = 320\nthrottle_min = 0.9\n",
            )
            .replacen("engine = \"RD-0124A\"\n", engines, 1)
    }

    const MIXED_UPPER: &str = "engines = [{ engine = \"RD-0124A\", count = 1 }, { engine = \"Vernier\", count = 4 }]\n";

    /// A stage of several engine types keeps each as listed and burns their combination: thrusts
    /// and mass flows summed, the Isp their ratio, the highest `throttle_min`.
    #[test]
    fn a_stage_may_list_several_engine_types() {
        let (v, warnings) = parse(&with_vernier(MIXED_UPPER)).expect("valid");
        assert!(warnings.is_empty(), "{warnings:?}");
        let upper = &v.stages[2];
        let ids: Vec<(&str, u32)> = upper.engines.iter().map(|l| (l.engine.id.as_str(), l.count_per_unit)).collect();
        assert_eq!(ids, [("RD-0124A", 1), ("Vernier", 4)]);
        assert_eq!((upper.engines_per_unit, upper.engine_count()), (1, 5));
        assert_eq!(upper.engine.id, "RD-0124A + 4 × Vernier");
        let thrust_vac_n = 294_300.0 + 4.0 * 20_000.0;
        let flow_kg_s = 294_300.0 / (359.0 * G0_M_S2) + 4.0 * 20_000.0 / (320.0 * G0_M_S2);
        assert!((upper.thrust_vac_n() - thrust_vac_n).abs() < 1e-6);
        assert!((upper.engine_mass_flow_kg_s() / flow_kg_s - 1.0).abs() < 1e-12);
        assert!((upper.engine.isp_vac_s - thrust_vac_n / (flow_kg_s * G0_M_S2)).abs() < 1e-9);
        assert_eq!(upper.engine.throttle_min, 0.9, "the vernier's minimum bounds the stage's");
        // The stage's burn follows the summed flow.
        let burn_s = upper.total_propellant_kg() / flow_kg_s;
        assert!((upper.burn_time_full_throttle_s() / burn_s - 1.0).abs() < 1e-12);
    }

    /// Engines flagged `burns_on` make the last stage's burn-on engine (their combination, the
    /// stage still burning every engine together); the flag is refused where no guidance can
    /// choose the main engines' cutoff, naming the flag's line and key.
    #[test]
    fn burn_on_engines_belong_to_a_one_burn_last_stage() {
        let flagged = "engines = [{ engine = \"RD-0124A\", count = 1 }, { engine = \"Vernier\", count = 4, burns_on = true }]\n";
        let (v, _) = parse(&with_vernier(flagged)).expect("valid");
        let (plain, _) = parse(&with_vernier(MIXED_UPPER)).expect("valid");
        let upper = &v.stages[2];
        assert_eq!(upper.engine, plain.stages[2].engine, "all engines still burn together until the cutoff");
        let tail = upper.burn_on_engine.as_ref().expect("burn-on engine");
        assert_eq!((tail.id.as_str(), tail.thrust_vac_n), ("4 × Vernier", 80_000.0));
        assert!((tail.isp_vac_s - 320.0).abs() < 1e-9, "{}", tail.isp_vac_s);
        assert!(plain.stages[2].burn_on_engine.is_none());
        let (thrust_n, thrust_vac_n, flow_kg_s) = upper.burn_on_output(0.0).expect("burn-on output");
        assert_eq!((thrust_n, thrust_vac_n), (80_000.0, 80_000.0));
        assert!((flow_kg_s - 80_000.0 / (320.0 * G0_M_S2)).abs() < 1e-9);

        let all =
            with_vernier("engines = [{ engine = \"RD-0124A\", burns_on = true }, { engine = \"Vernier\", count = 4, burns_on = true }]\n");
        let message = fails(&all, line_containing(&all, "burns_on"), "stage[3].engines[1].burns_on");
        assert!(message.contains("main engine"), "{message}");
        let restartable = with_vernier(flagged).replace("ignition_delay_s = 2.0\n", "ignition_delay_s = 2.0\nmax_burns = 3\n");
        let message = fails(&restartable, line_containing(&restartable, "burns_on"), "stage[3].engines[2].burns_on");
        assert!(message.contains("restart"), "{message}");
        let core = HEAVY
            .replace(
                "throttle = [{ level = 0.3, until = \"separation:Boosters\" }, { level = 0.9, until_s = 250.0 }]\n",
                "engines = [{ engine = \"RD-191\" }, { engine = \"RD-0124A\", burns_on = true }]\n",
            )
            .replacen(
                "engine = \"RD-191\"\ndry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m",
                "dry_mass_kg = 10000\npropellant_mass_kg = 132600\ndiameter_m",
                1,
            );
        let message = fails(&core, line_containing(&core, "burns_on"), "stage[2].engines[2].burns_on");
        assert!(message.contains("last stage"), "{message}");
    }

    /// One engine type in `engines` is the `engine` form, to the bit; `count` defaults to 1.
    #[test]
    fn one_listed_engine_type_is_the_engine_form() {
        let (plain, _) = parse(HEAVY).expect("valid");
        let listed = HEAVY.replacen("engine = \"RD-191\"\n", "engines = [{ engine = \"RD-191\", count = 1 }]\n", 1);
        assert_eq!(parse(&listed).expect("valid").0, plain);
        let defaulted = HEAVY.replacen("engine = \"RD-0124A\"\n", "engines = [{ engine = \"RD-0124A\" }]\n", 1);
        assert_eq!(parse(&defaulted).expect("valid").0, plain);
        // The array-of-tables spelling reads too.
        let tables = HEAVY.replacen("engine = \"RD-0124A\"\n", "", 1).replacen(
            "ignition_delay_s = 2.0\n",
            "ignition_delay_s = 2.0\n\n[[stage.engines]]\nengine = \"RD-0124A\"\ncount = 1\n",
            1,
        );
        assert_eq!(parse(&tables).expect("valid").0, plain);
    }

    /// The example of docs/vehicle-file.md reads and gives the figures the page states.
    #[test]
    fn the_docs_example_of_several_engine_types_gives_its_stated_figures() {
        let docs = include_str!("../../../../docs/vehicle-file.md");
        let block = docs
            .split("```toml")
            .filter_map(|b| b.split("```").next())
            .find(|b| b.contains("engines = [{ engine = \"RD-120\""))
            .expect("the example of several engine types");
        let (v, _) = vehicle_from_toml(&format!("format = 1\nname = \"Docs\"\n{block}"), "vehicle-file.md").expect("valid");
        let stage = &v.stages[0];
        assert_eq!(format!("{:.2} kN, {:.2} s", stage.thrust_vac_n() / 1e3, stage.engine.isp_vac_s), "912.01 kN, 349.30 s");
        assert!(docs.contains("912.01 kN and 349.30 s"), "the page states them");
    }

    /// Every wrong `engines` names the file, the line and the key.
    #[test]
    fn wrong_engine_lists_are_refused_at_their_key() {
        let both = with_vernier(&format!("engine = \"RD-0124A\"\n{MIXED_UPPER}"));
        let message = fails(&both, line_containing(&both, "engines = ["), "stage[3].engines");
        assert!(message.contains("not both"), "{message}");

        let neither = with_vernier("");
        let message = fails(&neither, line_containing(&neither, "name = \"Upper\""), "stage[3]");
        assert!(message.contains("engines = [{ engine"), "{message}");

        let per_unit = with_vernier(&format!("{MIXED_UPPER}engines_per_unit = 2\n"));
        let message = fails(&per_unit, line_containing(&per_unit, "engines_per_unit = 2"), "stage[3].engines_per_unit");
        assert!(message.contains("count"), "{message}");

        let cases = [
            (
                "{ engine = \"Vernier\", count = 4 }",
                "{ engine = \"Vernir\", count = 4 }",
                "stage[3].engines[2].engine",
                "no [[engine]] has id `Vernir`",
            ),
            ("{ engine = \"Vernier\", count = 4 }", "{ engine = \"RD-0124A\", count = 4 }", "stage[3].engines[2].engine", "listed twice"),
            ("{ engine = \"RD-0124A\", count = 1 }", "{ engine = \"RD-0124A\", count = 0 }", "stage[3].engines[1].count", "from 1 to 100"),
            ("{ engine = \"Vernier\", count = 4 }", "{ engine = \"Vernier\", count = 100 }", "stage[3].engines", "101 engines per unit"),
        ];
        for (from, to, key, expected) in cases {
            let text = with_vernier(MIXED_UPPER).replacen(from, to, 1);
            let message = fails(&text, line_containing(&text, "engines = ["), key);
            assert!(message.contains(expected), "{to}: {message}");
        }

        let empty = with_vernier("engines = []\n");
        let message = fails(&empty, line_containing(&empty, "engines = []"), "stage[3].engines");
        assert!(message.contains("at least one"), "{message}");

        // 17 entries, the last one too many; the entries on lines of their own.
        let mut many = HEAVY.to_owned();
        let mut list = String::from("engines = [\n");
        for n in 1..=17 {
            many = many.replacen(
                "[[stage]]",
                &format!("[[engine]]\nid = \"E{n}\"\npropellant = \"x\"\nthrust_vac_kn = 10\nisp_vac_s = 300\n\n[[stage]]"),
                1,
            );
            list.push_str(&format!("  {{ engine = \"E{n}\" }},\n"));
        }
        list.push_str("]\n");
        let many = many.replacen("engine = \"RD-0124A\"\n", &list, 1);
        let message = fails(&many, line_containing(&many, "{ engine = \"E17\" }"), "stage[3].engines[17]");
        assert!(message.contains("at most 16 engine types per stage"), "{message}");

        // A misspelt key of an entry is an unknown field, at its line.
        let typo = with_vernier(&MIXED_UPPER.replace("count = 4", "cuont = 4"));
        let e = parse(&typo).expect_err("unknown key");
        let message = e.to_string();
        assert!(message.starts_with(&format!("heavy.toml:{}: key `stage[3].engines", line_containing(&typo, "cuont"))), "{message}");
        assert!(message.contains("cuont"), "{message}");

        // A solid motor and liquid engines at once.
        let motor = with_vernier(&format!("{MIXED_UPPER}motor = \"X\"\n"));
        let message = fails(&motor, line_containing(&motor, "motor = \"X\""), "stage[3].motor");
        assert!(message.contains("not both"), "{message}");

        // A throttle level below the highest minimum names the engine that sets it.
        let throttled = with_vernier(&format!("{MIXED_UPPER}throttle = [{{ level = 0.8, until_s = 600.0 }}]\n"));
        let message = fails(&throttled, line_containing(&throttled, "level = 0.8"), "stage[3].throttle[1].level");
        assert!(message.contains("must be in [0.9, 1] (throttle_min of engine `Vernier`"), "{message}");
    }

    /// The warnings about engines look at every engine of a stage: a listed engine is used, and a
    /// liftoff stage's engine without sea-level figures is named.
    #[test]
    fn engine_warnings_see_every_listed_engine() {
        let text = with_vernier("engine = \"RD-0124A\"\n").replacen(
            "engine = \"RD-191\"\n",
            "engines = [{ engine = \"RD-191\", count = 1 }, { engine = \"Vernier\", count = 4 }]\n",
            1,
        );
        let (_, warnings) = parse(&text).expect("valid");
        let keys: Vec<&str> = warnings.iter().map(|w| w.location.key.as_str()).collect();
        assert_eq!(keys, ["engine[3].thrust_sl_kn"], "{warnings:?}");
    }

    /// A solid-boosted launcher: two ground-lit boosters separated on a thrust level, one
    /// air-lit at the ground-lit pair's burnout, a liquid core and a solid upper stage whose
    /// curve is a chamber-pressure trace.
    const SOLID: &str = r#"format = 1
name = "Test Solid"

[[engine]]
id = "Core engine"
propellant = "LOX/LH2"
thrust_vac_kn = 1390.0
thrust_sl_kn = 1000.0
isp_vac_s = 432.0

[[motor]]
id = "BOOST"
propellant = "HTPB"
isp_vac_s = 280.0
exit_area_m2 = 6.0
burn_time_s = 120.0
thrust_curve_vac_kn = [
  [0.0, 0.0],
  [0.5, 6000.0],
  [20.0, 6400.0],
  [100.0, 4800.0],
  [115.0, 4400.0],
  [125.0, 0.0],
]

[[motor]]
id = "UPPER"
propellant = "HTPB"
isp_vac_s = 290.0
exit_area_m2 = 1.5
throat_area_m2 = 0.03
gamma = 1.18
chamber_pressure_curve_mpa = [
  [0.0, 0.0],
  [0.5, 8.4],
  [80.0, 8.4],
  [85.0, 0.0],
]

[[stage]]
name = "Boosters"
units = 2
motor = "BOOST"
dry_mass_kg = 30000
propellant_mass_kg = 240000
residual_mass_kg = 0
diameter_m = 3.05
separation_thrust_kn = 500.0

[[stage]]
name = "Air-lit"
motor = "BOOST"
dry_mass_kg = 30000
propellant_mass_kg = 240000
residual_mass_kg = 0
diameter_m = 3.05
ignition = "liftoff"
ignition_after = "burnout:Boosters"
ignition_delay_s = 1.0
separation_delay_s = 4.0

[[stage]]
name = "Core"
engine = "Core engine"
dry_mass_kg = 14000
propellant_mass_kg = 170000
diameter_m = 5.4
ignition = "liftoff"

[[stage]]
name = "Upper"
motor = "UPPER"
dry_mass_kg = 2000
propellant_mass_kg = 14000
residual_mass_kg = 0
diameter_m = 2.0
"#;

    fn solid(text: &str) -> Result<(Vehicle, Vec<Warning>), FileError> {
        vehicle_from_toml(text, "solid.toml")
    }

    fn solid_fails(text: &str, line: usize, key: &str) -> String {
        let message = solid(text).expect_err("the file must be rejected").to_string();
        assert!(message.starts_with(&format!("solid.toml:{line}: key `{key}`")), "unexpected location in: {message}");
        message
    }

    /// `ignition_delay_max_s` lets the ascent choose the coast before a solid stage lit in flight,
    /// from `ignition_delay_s` up to it; it is refused, at its line, when negative, below
    /// `ignition_delay_s`, on a liquid or a liftoff stage, on a second stage, and beside a
    /// restartable stage. Without it a stage's coast is its `ignition_delay_s`, as before.
    #[test]
    fn a_chosen_coast_is_a_solid_upper_stage_range() {
        const COAST: &str = include_str!("../../../../tests/reference/solid-coast.toml");
        let (v, _) = vehicle_from_toml(COAST, "coast.toml").expect("valid");
        assert_eq!(v.stages[1].ignition_delay_max_s, Some(300.0));
        assert_eq!(v.chosen_coast(), Some(crate::vehicle::ChosenCoast { stage: 1, min_s: 20.0, max_s: 300.0 }));
        assert_eq!((v.coast_before_s(1, None), v.coast_before_s(1, Some(95.0)), v.coast_before_s(1, Some(400.0))), (20.0, 95.0, 300.0));
        let (fixed, _) = vehicle_from_toml(&COAST.replace("ignition_delay_max_s = 300.0\n", ""), "coast.toml").expect("valid");
        assert_eq!((fixed.chosen_coast(), fixed.coast_before_s(1, Some(95.0))), (None, 20.0));
        let coast_fails = |text: &str, key: &str| {
            let message = vehicle_from_toml(text, "coast.toml").expect_err("refused").to_string();
            let line = line_containing(text, "ignition_delay_max_s =");
            assert!(message.starts_with(&format!("coast.toml:{line}: key `{key}`")), "{message}");
            message
        };
        let negative =
            coast_fails(&COAST.replace("ignition_delay_max_s = 300.0", "ignition_delay_max_s = -5.0"), "stage[2].ignition_delay_max_s");
        assert!(negative.contains("-5"), "{negative}");
        let short =
            coast_fails(&COAST.replace("ignition_delay_max_s = 300.0", "ignition_delay_max_s = 10.0"), "stage[2].ignition_delay_max_s");
        assert!(short.contains("at least ignition_delay_s (20 s)") && short.contains("10 s"), "{short}");
        let equal = COAST.replace("ignition_delay_max_s = 300.0", "ignition_delay_max_s = 20.0");
        assert_eq!(vehicle_from_toml(&equal, "coast.toml").expect("a range of one coast").0.coast_before_s(1, Some(95.0)), 20.0);
        let liquid = COAST
            .replace("ignition_delay_max_s = 300.0\n", "")
            .replace("diameter_m = 3.9\n", "diameter_m = 3.9\nignition_delay_max_s = 5.0\n");
        let message = coast_fails(&liquid, "stage[1].ignition_delay_max_s");
        assert!(message.contains("solid stage"), "{message}");
        // An air-lit booster lights on its own schedule.
        let liftoff = SOLID.replace("ignition_delay_s = 1.0\n", "ignition_delay_s = 1.0\nignition_delay_max_s = 5.0\n");
        let message = vehicle_from_toml(&liftoff, "solid.toml").expect_err("refused").to_string();
        assert!(message.starts_with(&format!(
            "solid.toml:{}: key `stage[2].ignition_delay_max_s`",
            line_containing(&liftoff, "ignition_delay_max_s")
        )));
        assert!(message.contains("lit in flight"), "{message}");
        // One coast is chosen.
        let kick = include_str!("../../../../tests/reference/solid-kick.toml")
            .replace("ignition_delay_s = 5.0\n", "ignition_delay_s = 5.0\nignition_delay_max_s = 50.0\n")
            .replace("ignition_delay_s = 60.0\n", "ignition_delay_s = 60.0\nignition_delay_max_s = 200.0\n");
        let message = vehicle_from_toml(&kick, "kick.toml").expect_err("refused").to_string();
        let second = kick.lines().position(|l| l.contains("ignition_delay_max_s = 200.0")).expect("present") + 1;
        assert!(message.starts_with(&format!("kick.toml:{second}: key `stage[4].ignition_delay_max_s`")), "{message}");
        assert!(message.contains("`Stage 3` (stage[3])"), "{message}");
        // Not beside a restartable stage, whose coasts the transfer planner flies.
        let restartable = format!(
            "{}\n[[stage]]\nname = \"Kick\"\nengine = \"Core engine\"\ndry_mass_kg = 3000\npropellant_mass_kg = 10000\ndiameter_m = 2.0\nmax_burns = 2\n",
            SOLID.replace("diameter_m = 2.0\n", "diameter_m = 2.0\nignition_delay_max_s = 100.0\n")
        );
        let message = vehicle_from_toml(&restartable, "solid.toml").expect_err("refused").to_string();
        assert!(
            message.starts_with(&format!(
                "solid.toml:{}: key `stage[4].ignition_delay_max_s`",
                line_containing(&restartable, "ignition_delay_max_s")
            )),
            "{message}"
        );
        assert!(message.contains("`Kick` is restartable"), "{message}");
    }

    /// Every pair table (a motor's thrust or chamber-pressure curve, the drag table) refuses a
    /// row of more or fewer than two numbers at its line, naming the key: the TOML reader alone
    /// would drop a third number.
    #[test]
    fn pair_rows_of_the_wrong_length_are_refused_in_every_table() {
        let aero = format!("{SOLID}\n[aero]\ncd_mach = [\n  [0.0, 0.3],\n  [2.0, 0.4],\n]\n");
        solid(&aero).expect("the two-number tables are valid");
        for (literal, replacement, key) in [
            ("[0.5, 6000.0]", "[0.5, 6000.0, 1]", "motor[1].thrust_curve_vac_kn"),
            ("[20.0, 6400.0]", "[20.0, 6400.0, 1, 2]", "motor[1].thrust_curve_vac_kn"),
            ("[80.0, 8.4]", "[80.0, 8.4, 99]", "motor[2].chamber_pressure_curve_mpa"),
            ("[0.5, 8.4]", "[0.5]", "motor[2].chamber_pressure_curve_mpa"),
            ("[2.0, 0.4]", "[2.0, 0.4, 99]", "aero.cd_mach"),
            ("[0.0, 0.3]", "[]", "aero.cd_mach"),
        ] {
            let text = aero.replacen(literal, replacement, 1);
            assert_ne!(text, aero, "{literal}");
            let message = solid_fails(&text, line_containing(&text, replacement), key);
            let n = replacement.matches(',').count() + usize::from(replacement != "[]");
            assert!(message.contains(&format!("invalid length {n}")) && message.contains("two numbers"), "{message}");
        }
    }

    /// The name and the description are printed as one line: a line break or another control
    /// character in them is refused, naming the key; a TOML multi-line string without one reads.
    #[test]
    fn name_and_description_must_be_one_line() {
        let description = "description = \"Four boosters, a core and an upper stage\"";
        for (literal, replacement, key, what) in [
            (description, "description = \"\"\"Four boosters,\nsecond line\"\"\"", "description", "a line break"),
            (description, "description = \"Four boosters\\tand a core\"", "description", "U+0009"),
            ("name = \"Test Heavy\"", "name = \"Test\\r\\nHeavy\"", "name", "a line break"),
            ("name = \"Core\"", "name = \"Co\\u0007re\"", "stage[2].name", "U+0007"),
        ] {
            let text = HEAVY.replacen(literal, replacement, 1);
            assert_ne!(text, HEAVY, "{literal}");
            let message = fails(&text, line_containing(&text, replacement.lines().next().unwrap_or_default()), key);
            assert!(message.contains("must be one line of text") && message.contains(what), "{message}");
        }
        let joined = HEAVY.replacen(description, "description = \"\"\"\\\n  Four boosters, a core and an upper stage\"\"\"", 1);
        let (v, _) = parse(&joined).expect("a line-ending backslash joins the lines");
        assert_eq!(v.description, "Four boosters, a core and an upper stage");
    }

    /// Air-lit stages ignite after a delay or an event, but something must burn from liftoff: a
    /// vehicle whose only liftoff stage is delayed is refused at the delay (it would otherwise
    /// read, and fail to lift off only when flown).
    #[test]
    fn something_must_burn_at_liftoff() {
        let delayed = HEAVY.replacen("ignition = \"liftoff\"\ntumbling", "ignition = \"liftoff\"\nignition_delay_s = 10.0\ntumbling", 1);
        assert_ne!(delayed, HEAVY);
        let (v, _) = parse(&delayed).expect("the core still burns from liftoff");
        assert!(!v.stages[0].burns_at_liftoff() && v.stages[1].burns_at_liftoff());
        let both = delayed.replacen("ignition = \"liftoff\"\nthrottle", "ignition = \"liftoff\"\nignition_delay_s = 5.0\nthrottle", 1);
        assert_ne!(both, delayed);
        let message = fails(&both, line_containing(&both, "ignition_delay_s = 10.0"), "stage[1].ignition_delay_s");
        assert!(message.contains("nothing burns at liftoff") && message.contains("`Boosters`, `Core`"), "{message}");
        // A serial rocket whose first stage is delayed.
        let serial = "format = 1\nname = \"S\"\n[[engine]]\nid = \"E\"\npropellant = \"LOX/RP-1\"\nthrust_vac_kn = 200.0\nthrust_sl_kn = 180.0\nisp_vac_s = 310.0\n[[stage]]\nname = \"First\"\nengine = \"E\"\ndry_mass_kg = 1000\npropellant_mass_kg = 9000\ndiameter_m = 1.2\nignition_delay_s = 0.001\n";
        let e = vehicle_from_toml(serial, "serial.toml").expect_err("nothing lit at 0 s");
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(15), "stage[1].ignition_delay_s"), "{e}");
        // The catalog's air-lit strap-ons (PSLV-XL) read as before.
        let (pslv, _) = Vehicle::from_toml(crate::vehicle::catalog_vehicle("pslv-xl").expect("catalog"), "pslv-xl.toml").expect("valid");
        assert!(pslv.stages.iter().any(|s| s.ignition == Ignition::Liftoff && s.ignition_delay_s > 0.0));
        // With nothing lit the liftoff thrust is +0, not −0 (`-0.000` in a report).
        let mut unlit = pslv.clone();
        unlit.stages.retain(|s| !s.burns_at_liftoff());
        assert!(unlit.liftoff_thrust_n() == 0.0 && unlit.liftoff_thrust_n().is_sign_positive());
    }

    #[test]
    fn solid_motors_are_read_with_their_curves_groups_and_separation() {
        let (v, warnings) = solid(SOLID).expect("valid");
        let [boosters, air_lit, core, upper] = &v.stages[..] else { panic!("four stages") };
        assert!(boosters.is_solid() && air_lit.is_solid() && !core.is_solid() && upper.is_solid());
        assert!(v.has_solid_motors());
        let motor = boosters.motor.as_ref().expect("motor");
        // The curve in newtons, its impulse by trapezoids (exact for the linear pieces).
        let kn = [(0.0, 0.0), (0.5, 6000.0), (20.0, 6400.0), (100.0, 4800.0), (115.0, 4400.0), (125.0, 0.0)];
        let impulse: f64 = kn.windows(2).map(|w| 0.5 * (w[0].1 + w[1].1) * 1000.0 * (w[1].0 - w[0].0)).sum();
        assert!((motor.total_impulse_vac_n_s() - impulse).abs() < 1e-3);
        assert_eq!(motor.propellant_mass_kg, 240_000.0);
        assert_eq!(motor.exit_area_m2, 6.0);
        // The constant-thrust equivalent: same impulse, propellant and burn time.
        assert!((boosters.engine.thrust_vac_n - impulse / 125.0).abs() < 1e-6);
        assert!((boosters.burn_time_full_throttle_s() - 125.0).abs() < 1e-9);
        assert!((boosters.engine.isp_vac_s - impulse / (240_000.0 * G0_M_S2)).abs() < 1e-9);
        assert_eq!(boosters.engine.throttle_min, 1.0);
        assert_eq!(boosters.kind, StageKind::Booster);
        // 500 kN is reached 125 − 10·500/4400 s after ignition in the tail-off.
        let Separation::BelowThrust { thrust_vac_n, since_ignition_s } = boosters.separation else { panic!("{:?}", boosters.separation) };
        assert_eq!(thrust_vac_n, 500e3);
        assert!((since_ignition_s - (125.0 - 10.0 * 500.0 / 4400.0)).abs() < 1e-9);
        assert_eq!(air_lit.separation, Separation::AfterBurnout { delay_s: 4.0 });
        assert_eq!(air_lit.solid_separation_since_ignition_s(), Some(129.0));
        assert_eq!(boosters.solid_separation_since_ignition_s(), Some(since_ignition_s));
        assert_eq!(core.solid_separation_since_ignition_s(), None);
        assert!(core.solid_output(10.0, 0.0).is_none());
        // The whole stage: both motors, back pressure on each nozzle.
        let out = boosters.solid_output(20.0, 50_000.0).expect("solid");
        assert!((out.thrust_vac_n - 2.0 * 6.4e6).abs() < 1e-6);
        assert!((out.thrust_n - 2.0 * (6.4e6 - 50_000.0 * 6.0)).abs() < 1e-6);
        assert!((out.mass_flow_kg_s - 2.0 * motor.mass_flow_kg_s(20.0)).abs() < 1e-9);
        assert_eq!(air_lit.ignition_after, Some(StageEvent::Burnout(0)));
        assert!(!air_lit.burns_at_liftoff());
        assert_eq!(core.separation, Separation::AtBurnout);
        // Chamber pressure: F = C_F·p_c·A_t with the ideal vacuum C_F of A_e/A_t = 50.
        let cf = thrust_coefficient_vac(1.18, 1.5 / 0.03).expect("valid");
        let upper_motor = upper.motor.as_ref().expect("motor");
        assert!((upper_motor.max_thrust_vac_n() - cf * 8.4e6 * 0.03).abs() < 1e-6);
        assert!((upper_motor.propellant_burned_kg(85.0) - 14_000.0).abs() < 1e-6);
        // Liftoff: the air-lit booster neither burns nor counts in the liftoff thrust.
        let ground = boosters.ignition_thrust_n(1.0, SEA_LEVEL_PRESSURE_PA) + core.thrust_n(1.0, SEA_LEVEL_PRESSURE_PA);
        assert!((v.liftoff_thrust_n() - ground).abs() < 1e-6);
        // The flight loop flies the curves, separation rules and ignition events: no finding.
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn bad_solid_curves_are_named_by_point() {
        let cases = [
            ("[100.0, 4800.0]", "[10.0, 4800.0]", "motor[1].thrust_curve_vac_kn[4]", "time must increase strictly"),
            ("[100.0, 4800.0]", "[100.0, -4800.0]", "motor[1].thrust_curve_vac_kn[4]", "must be from 0 to 20000 kN"),
            ("[100.0, 4800.0]", "[100.0, 0.0]", "motor[1].thrust_curve_vac_kn[4]", "thrust must be positive until the last point"),
            ("[125.0, 0.0]", "[125.0, 100.0]", "motor[1].thrust_curve_vac_kn[6]", "must be 0: the curve ends with its tail-off"),
            ("[0.0, 0.0],\n  [0.5, 6000.0]", "[0.1, 0.0],\n  [0.5, 6000.0]", "motor[1].thrust_curve_vac_kn[1]", "must be at time 0"),
            ("[100.0, 4800.0]", "[100.0, nan]", "motor[1].thrust_curve_vac_kn[4]", "must be finite numbers"),
            ("[80.0, 8.4]", "[80.0, 600.0]", "motor[2].chamber_pressure_curve_mpa[3]", "to 100 MPa"),
        ];
        for (from, to, key, expected) in cases {
            let text = SOLID.replacen(from, to, 1);
            let line = line_containing(&text, to.lines().next().expect("a line"));
            let message = solid_fails(&text, line, key);
            assert!(message.contains(expected), "{to}: {message}");
        }
    }

    /// Curve impulse against propellant × Isp × g0: within 2 % silent, to 10 % a warning (the
    /// mass flow follows the curve), beyond refused at the stage's `motor`.
    #[test]
    fn curve_impulse_and_propellant_are_checked_against_each_other() {
        let (v, _) = solid(SOLID).expect("valid");
        let impulse = v.stages[0].motor.as_ref().expect("motor").total_impulse_vac_n_s();
        let isp = |m: f64| impulse / (m * G0_M_S2);
        // 280 s makes 240 t about 0.4 % short of the curve: silent.
        assert!((isp(240_000.0) / 280.0 - 1.0).abs() < SOLID_IMPULSE_WARNING);
        let warned = SOLID.replace("isp_vac_s = 280.0", "isp_vac_s = 260.0");
        let (v, warnings) = solid(&warned).expect("a warning, not an error");
        let w = warnings.iter().find(|w| w.message.contains("total vacuum impulse")).expect("impulse warning");
        assert_eq!(w.location.key, "stage[1].motor");
        assert!(w.message.contains("delivered Isp"), "{w}");
        // The mass flow follows the curve: the propellant is gone at its end whatever the Isp.
        assert!((v.stages[0].motor.as_ref().expect("motor").propellant_burned_kg(125.0) - 240_000.0).abs() < 1e-6);
        let refused = SOLID.replace("isp_vac_s = 280.0", "isp_vac_s = 240.0");
        let message = solid_fails(&refused, line_containing(&refused, "motor = \"BOOST\""), "stage[1].motor");
        assert!(message.contains("beyond ±10 %"), "{message}");
    }

    /// The optional temperature sensitivity: read in %/K, kept per kelvin on the motor, refused
    /// out of its plausible range or negative with the file, line and key; the stage's
    /// dispersed copy keeps it and moves its separation on the scaled curve.
    #[test]
    fn temperature_sensitivity_is_read_checked_and_dispersed() {
        let given = SOLID.replace("burn_time_s = 120.0\n", "burn_time_s = 120.0\ntemperature_sensitivity_percent_per_k = 0.15\n");
        let (v, _) = solid(&given).expect("valid");
        let boost = v.stages[0].motor.as_ref().expect("motor");
        assert_eq!(boost.temperature_sensitivity_per_k, Some(0.0015));
        assert_eq!(v.stages[3].motor.as_ref().expect("motor").temperature_sensitivity_per_k, None);
        for (bad, expected) in [("1.5", "must be from 0 to 1 %/K"), ("-0.1", "must not be negative"), ("nan", "finite")] {
            let t =
                SOLID.replace("burn_time_s = 120.0\n", &format!("burn_time_s = 120.0\ntemperature_sensitivity_percent_per_k = {bad}\n"));
            let m = solid_fails(&t, line_containing(&t, "temperature_sensitivity"), "motor[1].temperature_sensitivity_percent_per_k");
            assert!(m.contains(expected), "{bad}: {m}");
        }
        // A 2 % faster burn: the separation on the 500 kN level comes sooner on the curve.
        let fast = v.stages[0].with_dispersed_motor(1.02, 1.0);
        let (Separation::BelowThrust { since_ignition_s: t0, .. }, Separation::BelowThrust { since_ignition_s: t1, .. }) =
            (v.stages[0].separation, fast.separation)
        else {
            panic!("thrust-level separation")
        };
        assert!(t1 < t0 && t1 > t0 / 1.03, "{t0} s then {t1} s");
        assert!((fast.engine.thrust_vac_n / v.stages[0].engine.thrust_vac_n - 1.02).abs() < 1e-12);
        assert_eq!(fast.motor.as_ref().expect("motor").temperature_sensitivity_per_k, Some(0.0015));
    }

    #[test]
    fn solid_stage_rules_are_named() {
        let line = |text: &str, needle: &str| line_containing(text, needle);
        let t = SOLID.replace("burn_time_s = 120.0", "burn_time_s = 90.0");
        let m = solid_fails(&t, line(&t, "burn_time_s = 90"), "motor[1].burn_time_s");
        assert!(m.contains("action time"), "{m}");
        let t = SOLID.replace("motor = \"BOOST\"\ndry_mass_kg = 30000\npropellant_mass_kg = 240000\nresidual_mass_kg = 0\ndiameter_m = 3.05\nsep", "motor = \"BOOST\"\nengine = \"Core engine\"\ndry_mass_kg = 30000\npropellant_mass_kg = 240000\nresidual_mass_kg = 0\ndiameter_m = 3.05\nsep");
        solid_fails(&t, line(&t, "motor = \"BOOST\""), "stage[1].motor");
        let t = SOLID.replace("name = \"Upper\"\nmotor = \"UPPER\"\n", "name = \"Upper\"\n");
        let m = solid_fails(&t, line(&t, "name = \"Upper\""), "stage[4]");
        assert!(m.contains("motor = \\\"ID\\\"") || m.contains("motor = \"ID\""), "{m}");
        let t = SOLID.replace("separation_delay_s = 4.0", "separation_delay_s = 4.0\nthrottle = [{ level = 1.0, until_s = 50.0 }]");
        let m = solid_fails(&t, line(&t, "throttle ="), "stage[2].throttle");
        assert!(m.contains("cannot throttle"), "{m}");
        let t = SOLID.replace("separation_thrust_kn = 500.0", "separation_thrust_kn = 7000.0");
        let m = solid_fails(&t, line(&t, "separation_thrust_kn"), "stage[1].separation_thrust_kn");
        assert!(m.contains("below the motor's maximum"), "{m}");
        let t = SOLID.replace("separation_delay_s = 4.0", "separation_delay_s = 4.0\nseparation_thrust_kn = 100.0");
        solid_fails(&t, line(&t, "separation_thrust_kn = 100"), "stage[2].separation_thrust_kn");
        let t = SOLID.replace("burnout:Boosters", "burnout:Core");
        let m = solid_fails(&t, line(&t, "burnout:Core"), "stage[2].ignition_after");
        assert!(m.contains("`Boosters`"), "{m}");
        let t = SOLID.replace("burnout:Boosters", "ignition:Boosters");
        solid_fails(&t, line(&t, "ignition:Boosters"), "stage[2].ignition_after");
        let t = SOLID.replace("diameter_m = 5.4", "diameter_m = 5.4\nseparation_delay_s = 2.0");
        let m = solid_fails(&t, line(&t, "separation_delay_s = 2.0"), "stage[3].separation_delay_s");
        assert!(m.contains("goes with a solid motor"), "{m}");
        let t = SOLID.replace("id = \"UPPER\"", "id = \"Core engine\"").replace("motor = \"UPPER\"", "motor = \"Core engine\"");
        let second = t.lines().enumerate().filter(|(_, l)| l.contains("id = \"Core engine\"")).last().expect("present").0 + 1;
        let m = solid_fails(&t, second, "motor[2].id");
        assert!(m.contains("duplicate"), "{m}");
        let t = format!("{SOLID}\n[margins]\nflight_performance_reserve = 0.01\n");
        let m = solid_fails(&t, line(&t, "flight_performance_reserve"), "margins.flight_performance_reserve");
        assert!(m.contains("cannot cut off"), "{m}");
        let t = SOLID.replace("throat_area_m2 = 0.03", "throat_area_m2 = 3.0");
        let m = solid_fails(&t, line(&t, "exit_area_m2 = 1.5"), "motor[2].exit_area_m2");
        assert!(m.contains("at least the throat area"), "{m}");
        let t = SOLID.replace("gamma = 1.18\n", "");
        solid_fails(&t, line(&t, "id = \"UPPER\"") - 1, "motor[2].gamma");
        let t = SOLID.replace("motor = \"UPPER\"", "motor = \"UP\"");
        let m = solid_fails(&t, line(&t, "motor = \"UP\""), "stage[4].motor");
        assert!(m.contains("`BOOST`, `UPPER`"), "{m}");
    }

    /// A motor's id in a stage's `engine` is named as such, before the keys of a solid stage the
    /// stage carries are refused as a liquid stage's; in `engines` too.
    #[test]
    fn a_motor_named_as_an_engine_is_named_as_a_motor() {
        let t = SOLID.replacen("motor = \"BOOST\"", "engine = \"BOOST\"", 1);
        let m = solid_fails(&t, line_containing(&t, "engine = \"BOOST\""), "stage[1].engine");
        assert!(m.contains("`BOOST` is the id of a [[motor]] (motor[1]") && m.contains("motor = \"BOOST\" in place of engine"), "{m}");
        let t = SOLID.replace("engine = \"Core engine\"", "engines = [{ engine = \"Core engine\" }, { engine = \"UPPER\" }]");
        let m = solid_fails(&t, line_containing(&t, "engines = ["), "stage[3].engines[2].engine");
        assert!(m.contains("(motor[2]") && m.contains("motor = \"UPPER\""), "{m}");
    }

    /// A TOML literal for any float, including the non-finite ones.
    fn toml_float(x: f64) -> String {
        if x.is_nan() {
            "nan".into()
        } else if x.is_infinite() {
            if x > 0.0 { "inf" } else { "-inf" }.into()
        } else {
            format!("{x:?}")
        }
    }

    /// The numeric keys of `HEAVY` that the property test replaces, with their literal in the file.
    const NUMBERS: [&str; 14] = [
        "thrust_vac_kn = 2085.0",
        "thrust_sl_kn = 1922.0",
        "isp_vac_s = 337.5",
        "isp_sl_s = 311.2",
        "throttle_min = 0.27",
        "residual_mass_kg = 1500",
        "diameter_m = 2.9",
        "level = 0.3",
        "until_s = 250.0",
        "ignition_delay_s = 2.0",
        "propellant_mass_kg = 32800",
        "mass_kg = 1800",
        "jettison_altitude_km = 110",
        "max_q_kpa = 45",
    ];

    /// The numeric keys of `SOLID` that the property test replaces (curve points included).
    const SOLID_NUMBERS: [&str; 12] = [
        "isp_vac_s = 280.0",
        "exit_area_m2 = 6.0",
        "burn_time_s = 120.0",
        "[20.0, 6400.0]",
        "[125.0, 0.0]",
        "throat_area_m2 = 0.03",
        "gamma = 1.18",
        "[80.0, 8.4]",
        "separation_thrust_kn = 500.0",
        "separation_delay_s = 4.0",
        "ignition_delay_s = 1.0",
        "propellant_mass_kg = 14000",
    ];

    fn interesting_float() -> impl Strategy<Value = f64> {
        prop_oneof![
            prop::num::f64::ANY,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(0.0),
            Just(-1.0),
            -10.0..1e4,
        ]
    }

    fn assert_sound(v: &Vehicle) {
        for s in &v.stages {
            for x in [s.gross_mass_kg(), s.thrust_vac_n(), s.mass_flow_kg_s(), s.engine.isp_vac_s, s.diameter_m] {
                assert!(x.is_finite() && x > 0.0, "{s:?}");
            }
            assert!(s.engine.exit_area_m2.is_finite() && s.engine.exit_area_m2 >= 0.0);
            // Whatever the numbers, what validates lies within the plausible ranges.
            assert!((THRUST_KN.min..=THRUST_KN.max).contains(&(s.engine.thrust_vac_n / 1000.0)), "{s:?}");
            assert!((ISP_S.min..=ISP_S.max).contains(&s.engine.isp_vac_s), "{s:?}");
            assert!((DIAMETER_M.min..=DIAMETER_M.max).contains(&s.diameter_m), "{s:?}");
            let unit_thrust_n = f64::from(s.engines_per_unit) * s.engine.thrust_vac_n;
            assert!(unit_thrust_n / (s.dry_mass_kg * G0_M_S2) <= MAX_THRUST_TO_DRY_WEIGHT, "{s:?}");
            assert!(s.propellant_mass_kg / (s.propellant_mass_kg + s.dry_mass_kg) <= MAX_PROPELLANT_FRACTION, "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn truncated_file_never_panics(cut in 0..HEAVY.len()) {
            let _ = parse(&HEAVY[..cut]);
        }

        #[test]
        fn arbitrary_numbers_never_panic(which in 0..NUMBERS.len(), x in interesting_float(), n in any::<i64>()) {
            let (key, _) = NUMBERS[which].split_once(" = ").expect("key = value");
            let text = HEAVY.replacen(NUMBERS[which], &format!("{key} = {}", toml_float(x)), 1).replacen("units = 4", &format!("units = {n}"), 1);
            if let Ok((v, _)) = parse(&text) {
                assert_sound(&v);
            }
        }

        /// Any number in a solid motor or a solid stage either validates into a sound motor or is
        /// refused: never a panic, never a non-finite figure.
        #[test]
        fn arbitrary_solid_numbers_never_panic(which in 0..SOLID_NUMBERS.len(), x in interesting_float()) {
            let literal = SOLID_NUMBERS[which];
            let replacement = match literal.split_once(" = ") {
                Some((key, _)) => format!("{key} = {}", toml_float(x)),
                // A curve point: replace its value, keep its time.
                None => {
                    let (t, _) = literal.trim_matches(['[', ']']).split_once(", ").expect("a [t, value] pair");
                    format!("[{t}, {}]", toml_float(x))
                }
            };
            let text = SOLID.replacen(literal, &replacement, 1);
            assert!(text != SOLID || replacement == literal, "{literal} must be in SOLID");
            if let Ok((v, _)) = solid(&text) {
                assert_sound(&v);
                for m in v.stages.iter().filter_map(|s| s.motor.as_ref()) {
                    for y in [m.total_impulse_vac_n_s(), m.average_thrust_vac_n(), m.delivered_isp_vac_s(), m.burn_time_s(), m.action_time_s()] {
                        assert!(y.is_finite() && y > 0.0, "{m:?}");
                    }
                    assert!(m.impulse_disagreement().abs() <= SOLID_IMPULSE_TOLERANCE, "{m:?}");
                    assert!(m.mass_flow_kg_s(0.5 * m.burn_time_s()).is_finite());
                }
            }
        }

        #[test]
        fn all_numbers_arbitrary_never_panic(xs in prop::collection::vec(interesting_float(), NUMBERS.len())) {
            let mut text = HEAVY.to_owned();
            for (literal, x) in NUMBERS.iter().zip(&xs) {
                let (key, _) = literal.split_once(" = ").expect("key = value");
                text = text.replacen(literal, &format!("{key} = {}", toml_float(*x)), 1);
            }
            if let Ok((v, _)) = parse(&text) {
                assert_sound(&v);
            }
        }
    }
}
