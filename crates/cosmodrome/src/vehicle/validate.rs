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
use super::toml_text::{backticked, line_of};
use super::{
    Aero, Engine, Fairing, FairingJettison, Ignition, Limits, Source, Stage, StageKind, ThrottleSegment, ThrottleUntil, Tumbling, Vehicle,
    Warning, SEA_LEVEL_PRESSURE_PA,
};
use crate::error::{FileError, FileLocation};
use crate::units::G0_M_S2;

/// Most stages a vehicle may have.
const MAX_STAGES: usize = 16;
/// Most stages burning from liftoff: the integrator has three parallel burn slots.
const MAX_LIFTOFF_STAGES: usize = 3;
/// Most units (modules) of one stage; keeps engine counts far from `u32` overflow.
const MAX_UNITS: i64 = 1000;
/// Most engines of one unit.
const MAX_ENGINES_PER_UNIT: i64 = 1000;
/// Relative disagreement between the given sea-level Isp and the one implied by the sea-level
/// thrust above which the file is flagged: data sheets round, but not by more than that.
const SEA_LEVEL_ISP_TOLERANCE: f64 = 0.02;
/// Prefix of a throttle `until` that names a stage.
const SEPARATION_PREFIX: &str = "separation:";

/// Parse and validate a vehicle file; `file` names the text in messages.
pub(crate) fn vehicle_from_toml(text: &str, file: &str) -> Result<(Vehicle, Vec<Warning>), FileError> {
    let ctx = Ctx { text, file };
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
    let mut parts: Vec<String> = Vec::new();
    if !table.is_empty() {
        parts.push(table);
    }
    let here = if on_header { None } else { line_key(&text[line_start..line_end]) };
    let named = backticked(message).filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
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
            message: message.into(),
        }
    }

    /// An error of the TOML reader (syntax, unknown or missing key, wrong type), keeping its message.
    fn toml_error(&self, e: &toml::de::Error) -> FileError {
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

    /// A positive number scaled to SI units, still finite after scaling.
    fn positive_scaled(&self, v: &Spanned<f64>, key: &str, unit: &str, scale: f64) -> Result<f64, FileError> {
        let x = self.positive(v, key, unit)? * scale;
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.error(v.span(), key, format!("is too large, got {}", show(*v.get_ref(), unit))))
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

    /// A non-empty name.
    fn name(&self, v: &Spanned<String>, key: &str) -> Result<String, FileError> {
        let s = v.get_ref().trim();
        if s.is_empty() {
            Err(self.error(v.span(), key, "must not be empty"))
        } else {
            Ok(s.to_owned())
        }
    }

    /// The whole vehicle.
    fn vehicle(&self, dto: VehicleFile) -> Result<(Vehicle, Vec<Warning>), FileError> {
        let mut warnings = Vec::new();
        let name = self.name(&dto.name, "name")?;
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

        let stages = self.stages(&dto.stage, &engines)?;

        for (i, (engine, span)) in engines.iter().enumerate() {
            if !stages.iter().any(|s| s.engine.id == engine.id) {
                warnings.push(self.warning(
                    span.clone(),
                    &format!("engine[{}].id", i + 1),
                    format!("engine `{}` is not used by any stage", engine.id),
                ));
            }
        }

        let fairing = dto.fairing.as_ref().map(|f| self.fairing(f)).transpose()?;
        let aero =
            dto.aero.as_ref().map_or_else(|| Ok(Aero { reference_area_m2: None, cd_mach: Aero::default_cd_mach() }), |a| self.aero(a))?;
        let limits = dto.limits.as_ref().map_or(Ok(Limits::default()), |l| self.limits(l))?;

        let family = dto.family.as_ref().map(|f| self.name(f, "family")).transpose()?;
        let vehicle = Vehicle { name, description: dto.description.unwrap_or_default(), family, sources, stages, fairing, aero, limits };
        Ok((vehicle, warnings))
    }

    /// One `[[engine]]`: SI units, exit area from the sea-level figures.
    fn engine(&self, e: &EngineEntry, key: &str, warnings: &mut Vec<Warning>) -> Result<Engine, FileError> {
        let k = |field: &str| format!("{key}.{field}");
        let id = self.name(&e.id, &k("id"))?;
        let thrust_vac_n = self.positive_scaled(&e.thrust_vac_kn, &k("thrust_vac_kn"), "kN", 1000.0)?;
        let isp_vac_s = self.positive(&e.isp_vac_s, &k("isp_vac_s"), "s")?;
        let mass_flow_kg_s = thrust_vac_n / (isp_vac_s * G0_M_S2);
        if !(mass_flow_kg_s.is_finite() && mass_flow_kg_s > 0.0) {
            return Err(self.error(
                e.isp_vac_s.span(),
                &k("isp_vac_s"),
                format!("gives a mass flow of {} with thrust_vac_kn; thrust or Isp is out of range", show(mass_flow_kg_s, "kg/s")),
            ));
        }
        let isp_sl_s = match &e.isp_sl_s {
            Some(v) => {
                let isp_sl_s = self.positive(v, &k("isp_sl_s"), "s")?;
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
                let thrust_sl_n = self.positive_scaled(v, &k("thrust_sl_kn"), "kN", 1000.0)?;
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
            None => isp_sl_s.map(|(isp_sl_s, _)| isp_sl_s * G0_M_S2 * mass_flow_kg_s),
        };
        // Rounding may put a sea-level thrust from Isp a hair above the vacuum thrust.
        let exit_area_m2 = thrust_sl_n.map_or(0.0, |t| ((thrust_vac_n - t) / SEA_LEVEL_PRESSURE_PA).max(0.0));
        let throttle_min = match &e.throttle_min {
            Some(v) => {
                let x = self.finite(v, &k("throttle_min"), "")?;
                if !(x > 0.0 && x <= 1.0) {
                    return Err(self.error(v.span(), &k("throttle_min"), format!("must be in (0, 1], got {}", show(x, ""))));
                }
                x
            }
            None => 1.0,
        };
        Ok(Engine { id, propellant: e.propellant.clone(), thrust_vac_n, isp_vac_s, exit_area_m2, throttle_min })
    }

    /// All `[[stage]]` entries, with the ordering rules.
    fn stages(&self, entries: &[Spanned<StageEntry>], engines: &[(Engine, Range<usize>)]) -> Result<Vec<Stage>, FileError> {
        if entries.is_empty() {
            return Err(FileError::new(self.file, None, "stage", "a vehicle needs at least one [[stage]]"));
        }
        if let Some(extra) = entries.get(MAX_STAGES) {
            return Err(self.error(
                extra.get_ref().name.span(),
                &format!("stage[{}]", MAX_STAGES + 1),
                format!("a vehicle has at most {MAX_STAGES} stages, this file has {}", entries.len()),
            ));
        }
        // Names first: a throttle segment may refer to a stage further down.
        let mut names: Vec<String> = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let s = entry.get_ref();
            let key = format!("stage[{}].name", i + 1);
            let name = self.name(&s.name, &key)?;
            if let Some(j) = names.iter().position(|n| *n == name) {
                return Err(self.error(
                    s.name.span(),
                    &key,
                    format!(
                        "duplicate stage name `{name}` (first used by stage[{}] on line {})",
                        j + 1,
                        line_of(self.text, entries[j].get_ref().name.span().start)
                    ),
                ));
            }
            names.push(name);
        }

        let mut stages: Vec<Stage> = Vec::with_capacity(entries.len());
        let mut liftoff_count = 0;
        for (i, entry) in entries.iter().enumerate() {
            let s = entry.get_ref();
            let key = format!("stage[{}]", i + 1);
            let ignition = match s.ignition.as_ref().map(|v| *v.get_ref()) {
                Some(IgnitionEntry::Liftoff) => Ignition::Liftoff,
                Some(IgnitionEntry::Sequential) => Ignition::Sequential,
                None if i == 0 => Ignition::Liftoff,
                None => Ignition::Sequential,
            };
            let ignition_span = s.ignition.as_ref().map_or_else(|| s.name.span(), Spanned::span);
            let ignition_key = format!("{key}.ignition");
            if ignition == Ignition::Liftoff {
                if let Some(previous) = stages.iter().position(|st| st.ignition == Ignition::Sequential) {
                    return Err(self.error(
                        ignition_span,
                        &ignition_key,
                        format!(
                            "stage `{}` ignites at liftoff but follows sequential stage `{}` (stage[{}]); liftoff stages must come first",
                            names[i],
                            names[previous],
                            previous + 1
                        ),
                    ));
                }
                liftoff_count += 1;
                if liftoff_count > MAX_LIFTOFF_STAGES {
                    return Err(self.error(
                        ignition_span,
                        &ignition_key,
                        format!(
                            "at most {MAX_LIFTOFF_STAGES} stages can burn from liftoff (the integrator has {MAX_LIFTOFF_STAGES} parallel burn slots); `{}` would be the {liftoff_count}th",
                            names[i]
                        ),
                    ));
                }
            } else if i == 0 {
                return Err(self.error(ignition_span, &ignition_key, "the first stage must ignite at liftoff"));
            }
            stages.push(self.stage(s, &key, names[i].clone(), ignition, &names, engines)?);
        }
        Ok(stages)
    }

    /// One `[[stage]]`, once its ignition is known.
    fn stage(
        &self,
        s: &StageEntry,
        key: &str,
        name: String,
        ignition: Ignition,
        names: &[String],
        engines: &[(Engine, Range<usize>)],
    ) -> Result<Stage, FileError> {
        let k = |field: &str| format!("{key}.{field}");
        let units = self.count(s.units.as_ref(), &k("units"), MAX_UNITS)?;
        let engines_per_unit = self.count(s.engines_per_unit.as_ref(), &k("engines_per_unit"), MAX_ENGINES_PER_UNIT)?;
        let engine = match engines.iter().find(|(e, _)| e.id == s.engine.get_ref().trim()) {
            Some((e, _)) => e.clone(),
            None => {
                let ids: Vec<String> = engines.iter().map(|(e, _)| format!("`{}`", e.id)).collect();
                let defined = if ids.is_empty() { "none".to_owned() } else { ids.join(", ") };
                return Err(self.error(
                    s.engine.span(),
                    &k("engine"),
                    format!("no [[engine]] has id `{}`; defined engine ids: {defined}", s.engine.get_ref()),
                ));
            }
        };
        let dry_mass_kg = self.positive(&s.dry_mass_kg, &k("dry_mass_kg"), "kg")?;
        let propellant_mass_kg = self.positive(&s.propellant_mass_kg, &k("propellant_mass_kg"), "kg")?;
        let residual_mass_kg = s.residual_mass_kg.as_ref().map_or(Ok(0.0), |v| self.non_negative(v, &k("residual_mass_kg"), "kg"))?;
        let auxiliary_mass_kg = s.auxiliary_mass_kg.as_ref().map_or(Ok(0.0), |v| self.non_negative(v, &k("auxiliary_mass_kg"), "kg"))?;
        let diameter_m = self.positive(&s.diameter_m, &k("diameter_m"), "m")?;
        let ignition_delay_s = s.ignition_delay_s.as_ref().map_or(Ok(0.0), |v| self.non_negative(v, &k("ignition_delay_s"), "s"))?;
        let kind = match s.kind.as_ref().map(|v| *v.get_ref()) {
            Some(KindEntry::Booster) => StageKind::Booster,
            Some(KindEntry::Core) => StageKind::Core,
            Some(KindEntry::Upper) => StageKind::Upper,
            None => match ignition {
                Ignition::Liftoff if units > 1 => StageKind::Booster,
                Ignition::Liftoff => StageKind::Core,
                Ignition::Sequential => StageKind::Upper,
            },
        };

        let mut throttle = Vec::with_capacity(s.throttle.len());
        let mut last_time: Option<f64> = None;
        for (j, segment) in s.throttle.iter().enumerate() {
            let seg = segment.get_ref();
            let tk = |field: &str| format!("{key}.throttle[{}].{field}", j + 1);
            let level = self.finite(&seg.level, &tk("level"), "")?;
            if !(level >= engine.throttle_min && level <= 1.0) {
                return Err(self.error(
                    seg.level.span(),
                    &tk("level"),
                    format!(
                        "must be in [{}, 1] (throttle_min of engine `{}` to full), got {}",
                        show(engine.throttle_min, ""),
                        engine.id,
                        show(level, "")
                    ),
                ));
            }
            let until = match (&seg.until, &seg.until_s) {
                (Some(u), None) => {
                    let Some(target) = u.get_ref().strip_prefix(SEPARATION_PREFIX).map(str::trim) else {
                        return Err(self.error(
                            u.span(),
                            &tk("until"),
                            format!("must be \"{SEPARATION_PREFIX}STAGE NAME\", got \"{}\"; use until_s for a time", u.get_ref()),
                        ));
                    };
                    match names.iter().position(|n| n == target) {
                        Some(index) => ThrottleUntil::Separation(index),
                        None => {
                            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                            return Err(self.error(
                                u.span(),
                                &tk("until"),
                                format!("no stage is named `{target}`; stages: {}", listed.join(", ")),
                            ));
                        }
                    }
                }
                (None, Some(t)) => {
                    let time_s = self.positive(t, &tk("until_s"), "s")?;
                    if let Some(previous) = last_time.filter(|&p| time_s <= p) {
                        return Err(self.error(
                            t.span(),
                            &tk("until_s"),
                            format!("must be later than the previous segment's {}, got {}", show(previous, "s"), show(time_s, "s")),
                        ));
                    }
                    last_time = Some(time_s);
                    ThrottleUntil::Time(time_s)
                }
                (Some(_), Some(t)) => return Err(self.error(t.span(), &tk("until_s"), "give either until or until_s, not both")),
                (None, None) => {
                    return Err(self.error(
                        segment.span(),
                        &format!("{key}.throttle[{}]", j + 1),
                        "needs until = \"separation:STAGE NAME\" or until_s",
                    ));
                }
            };
            throttle.push(ThrottleSegment { level, until });
        }

        let tumbling = match &s.tumbling {
            Some(t) => {
                let t = t.get_ref();
                Some(Tumbling {
                    cd: self.positive(&t.cd, &k("tumbling.cd"), "")?,
                    area_m2: self.positive(&t.area_m2, &k("tumbling.area_m2"), "m²")?,
                })
            }
            None => None,
        };

        let stage = Stage {
            name,
            kind,
            units,
            engine,
            engines_per_unit,
            dry_mass_kg,
            propellant_mass_kg,
            residual_mass_kg,
            auxiliary_mass_kg,
            diameter_m,
            ignition,
            ignition_delay_s,
            throttle,
            tumbling,
        };
        // Each figure may be finite while a product of them is not (1e300 kg times 4 units).
        let derived = [stage.gross_mass_kg(), stage.thrust_vac_n(), stage.mass_flow_kg_s(), stage.cross_section_m2()];
        if !derived.iter().all(|x| x.is_finite()) {
            return Err(self.error(
                s.name.span(),
                key,
                format!("stage `{}`: masses, thrust or diameter are too large to compute with", stage.name),
            ));
        }
        Ok(stage)
    }

    /// `[fairing]`.
    fn fairing(&self, f: &Spanned<FairingEntry>) -> Result<Fairing, FileError> {
        let e = f.get_ref();
        let mass_kg = self.positive(&e.mass_kg, "fairing.mass_kg", "kg")?;
        let rules = [
            ("jettison_altitude_km", e.jettison_altitude_km.as_ref()),
            ("jettison_heat_flux_w_m2", e.jettison_heat_flux_w_m2.as_ref()),
            ("jettison_time_s", e.jettison_time_s.as_ref()),
        ];
        let given: Vec<(&str, &Spanned<f64>)> = rules.iter().filter_map(|(n, v)| v.map(|v| (*n, v))).collect();
        let jettison = match given.as_slice() {
            [("jettison_altitude_km", v)] => {
                FairingJettison::Altitude(self.positive_scaled(v, "fairing.jettison_altitude_km", "km", 1000.0)?)
            }
            [("jettison_heat_flux_w_m2", v)] => FairingJettison::HeatFlux(self.positive(v, "fairing.jettison_heat_flux_w_m2", "W/m²")?),
            [(_, v)] => FairingJettison::Time(self.positive(v, "fairing.jettison_time_s", "s")?),
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
                    cd: self.positive(&t.cd, "fairing.tumbling.cd", "")?,
                    area_m2: self.positive(&t.area_m2, "fairing.tumbling.area_m2", "m²")?,
                })
            }
            None => None,
        };
        Ok(Fairing { mass_kg, jettison, tumbling })
    }

    /// `[aero]`.
    fn aero(&self, a: &Spanned<AeroEntry>) -> Result<Aero, FileError> {
        let e = a.get_ref();
        let reference_area_m2 = e.reference_area_m2.as_ref().map(|v| self.positive(v, "aero.reference_area_m2", "m²")).transpose()?;
        let cd_mach = match &e.cd_mach {
            None => Aero::default_cd_mach(),
            Some(table) => {
                if table.get_ref().is_empty() {
                    return Err(self.error(table.span(), "aero.cd_mach", "needs at least one [mach, cd] pair"));
                }
                let mut points: Vec<(f64, f64)> = Vec::with_capacity(table.get_ref().len());
                for (j, point) in table.get_ref().iter().enumerate() {
                    let key = format!("aero.cd_mach[{}]", j + 1);
                    let (mach, cd) = *point.get_ref();
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

    /// `[limits]`.
    fn limits(&self, l: &LimitsEntry) -> Result<Limits, FileError> {
        Ok(Limits {
            max_q_pa: l.max_q_kpa.as_ref().map(|v| self.positive_scaled(v, "limits.max_q_kpa", "kPa", 1000.0)).transpose()?,
            max_accel_g: l.max_accel_g.as_ref().map(|v| self.positive(v, "limits.max_accel_g", "g")).transpose()?,
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
        assert_eq!(core.residual_mass_kg, 0.0);
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
        assert_eq!(v.limits, Limits { max_q_pa: Some(45_000.0), max_accel_g: Some(4.5) });
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

    #[test]
    fn too_many_liftoff_stages_are_rejected() {
        let extra = "[[stage]]\nname = \"X\"\nengine = \"RD-191\"\ndry_mass_kg = 1\npropellant_mass_kg = 1\ndiameter_m = 1\nignition = \"liftoff\"\n\n";
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
            "[[engine]]\nid = \"Spare\"\npropellant = \"x\"\nthrust_vac_kn = 1\nisp_vac_s = 1\n\n[[stage]]\nname = \"Boosters\"",
        );
        let (_, warnings) = parse(&text).expect("valid");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.key, "engine[3].id");
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
