//! Validation against published payloads: each published case a catalog vehicle covers is
//! flown through the payload optimizer, and the prediction is set beside the published figure.
//! Validation against flown flights: a flight's vehicle as flown ([`BUILTIN_FLIGHTS`]) is steered
//! by the same optimizer into the flown parking orbit, and its state at each published cutoff is
//! set beside the flight's ([`fly_flown`]).
//!
//! Nothing is corrected per vehicle: a prediction is what the vehicle file states, flown by the
//! same physics and optimizer as any other run. A case whose source gives no orbit is flown to
//! an assumed orbit and says so; only fully specified cases are held to the accuracy bar.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, FileError};
use crate::flight::losses::LossBudget;
use crate::flight::{EventKind, FlightOptions};
use crate::guidance::Branch;
use crate::optimize::payload::{maximize_payload, maximize_payload_as_loaded, TargetOrbit};
use crate::optimize::targeting::DirectAscent;
use crate::optimize::transfer::{maximize_mission_payload, MissionTarget, TransferTarget};
use crate::vehicle::toml_text::{check_format, line_of, parse};
use crate::vehicle::{resolve_vehicle, SiteCatalog, Vehicle};

/// The built-in table of published payloads (`data/reference/published-payloads.toml`).
pub const BUILTIN_TABLE: &str = include_str!("../../../data/reference/published-payloads.toml");
/// Name of the built-in table in messages.
pub const BUILTIN_TABLE_FILE: &str = "data/reference/published-payloads.toml";
/// The built-in table of the solid-boosted launchers' published payloads
/// (`data/reference/published-payloads-solid.toml`), flown with [`BUILTIN_TABLE`] by default.
pub const BUILTIN_SOLID_TABLE: &str = include_str!("../../../data/reference/published-payloads-solid.toml");
/// Name of the built-in solid table in messages.
pub const BUILTIN_SOLID_TABLE_FILE: &str = "data/reference/published-payloads-solid.toml";
/// The built-in table of the published payloads of vehicles with a restartable upper stage
/// (`data/reference/published-payloads-upper.toml`: GSO and GTO through a parking orbit), flown
/// with [`BUILTIN_TABLE`] by default.
pub const BUILTIN_UPPER_TABLE: &str = include_str!("../../../data/reference/published-payloads-upper.toml");
/// Name of the built-in upper-stage table in messages.
pub const BUILTIN_UPPER_TABLE_FILE: &str = "data/reference/published-payloads-upper.toml";
const TABLE_FORMAT: i64 = 1;

/// One published payload.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCase {
    /// Catalog vehicle id, or a vehicle file's path (relative to the table's directory) for a
    /// front end that loads files ([`VehicleResolver`]).
    pub vehicle: String,
    /// Site or cosmodrome id.
    pub site: String,
    /// Orbit label as the source gives it (`LEO`).
    pub orbit: String,
    /// Published payload, kg.
    pub payload_kg: f64,
    /// Target perigee and apogee altitudes (over the equatorial radius), km.
    pub perigee_km: f64,
    /// See `perigee_km`.
    pub apogee_km: f64,
    /// Target inclination, degrees; `None` flies the site's lowest.
    pub inclination_deg: Option<f64>,
    /// Whether the source gives the orbit; otherwise it is assumed.
    pub orbit_published: bool,
    /// Whether the published figure is the whole mass put in orbit: the payload together with the
    /// last stage's dry mass, residuals and unburned propellant (Saturn V's LEO figure). The
    /// prediction compared with it is then the mass at insertion, not the payload.
    pub includes_last_stage: bool,
    /// Where the figure comes from.
    pub source: String,
    /// Assumptions and remarks.
    pub note: String,
    /// A high orbit reached through a parking orbit by a restartable upper stage: `gso`, or
    /// `gto` / `meo` / `molniya` with the case's elements; `None` flies the orbit directly.
    pub shortcut: Option<String>,
    /// Argument of perigee of the target, degrees, when the source fixes it.
    pub argument_of_perigee_deg: Option<f64>,
    /// The leg to the inclination flown (northbound unless the case says otherwise: the leg a
    /// held argument of perigee needs).
    pub branch: Branch,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    format: Spanned<i64>,
    #[serde(default)]
    case: Vec<CaseEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseEntry {
    vehicle: String,
    site: String,
    orbit: String,
    payload_kg: Spanned<f64>,
    perigee_km: Spanned<f64>,
    apogee_km: Spanned<f64>,
    inclination_deg: Option<Spanned<f64>>,
    orbit_published: bool,
    #[serde(default)]
    includes_last_stage: bool,
    source: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    shortcut: Option<String>,
    #[serde(default)]
    argument_of_perigee_deg: Option<Spanned<f64>>,
    /// `northbound` (the default) or `southbound`.
    #[serde(default)]
    branch: Option<Spanned<String>>,
    /// `capability` (the default) or `flown`: a flown mass is a lower bound, not a capability,
    /// and is kept in the table for reference but not flown.
    #[serde(default)]
    kind: Option<String>,
    /// The figures the source rule did not choose: accepted for the reader of the table, not
    /// used by the prediction.
    #[serde(default)]
    #[allow(dead_code)]
    alternatives: Option<String>,
}

/// Parse a table of published payloads; `file` names the text in error messages.
pub fn parse_table(text: &str, file: &str) -> Result<Vec<PublishedCase>, FileError> {
    let err = |span: Range<usize>, key: String, message: String| FileError::new(file, Some(line_of(text, span.start)), key, message);
    let raw: TableFile = parse(text, file)?;
    check_format(text, file, Some(&raw.format), TABLE_FORMAT)?;
    if raw.case.is_empty() {
        return Err(FileError::new(file, None, "case", "the table holds no `[[case]]`: there is nothing to fly".to_owned()));
    }
    let mut cases = Vec::with_capacity(raw.case.len());
    // Cases are counted from 1, as the file's reader counts them (`stage[1]`, `zone[1]`).
    for (i, c) in (1..).zip(raw.case) {
        match c.kind.as_deref() {
            None | Some("capability") => {}
            Some("flown") => continue,
            Some(other) => {
                return Err(FileError::new(
                    file,
                    None,
                    format!("case[{i}].kind"),
                    format!("must be \"capability\" or \"flown\", got \"{other}\""),
                ));
            }
        }
        let positive = |v: &Spanned<f64>, name: &str| -> Result<f64, FileError> {
            let x = *v.get_ref();
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(err(v.span(), format!("case[{i}].{name}"), format!("must be a positive number, got {x}")))
            }
        };
        let payload_kg = positive(&c.payload_kg, "payload_kg")?;
        let perigee_km = positive(&c.perigee_km, "perigee_km")?;
        let apogee_km = positive(&c.apogee_km, "apogee_km")?;
        if apogee_km < perigee_km {
            return Err(err(
                c.apogee_km.span(),
                format!("case[{i}].apogee_km"),
                format!("{apogee_km} km is below the perigee {perigee_km} km"),
            ));
        }
        let inclination_deg = match &c.inclination_deg {
            Some(v) if !(v.get_ref().is_finite() && (0.0..=180.0).contains(v.get_ref())) => {
                return Err(err(v.span(), format!("case[{i}].inclination_deg"), format!("must be within 0–180°, got {}", v.get_ref())));
            }
            v => v.as_ref().map(|v| *v.get_ref()),
        };
        let argument_of_perigee_deg = argument_of_perigee_of(c.argument_of_perigee_deg.as_ref())
            .map_err(|(span, message)| err(span, format!("case[{i}].argument_of_perigee_deg"), message))?;
        let branch = branch_of(c.branch.as_ref()).map_err(|(span, message)| err(span, format!("case[{i}].branch"), message))?;
        cases.push(PublishedCase {
            vehicle: c.vehicle,
            site: c.site,
            orbit: c.orbit,
            payload_kg,
            perigee_km,
            apogee_km,
            inclination_deg,
            orbit_published: c.orbit_published,
            includes_last_stage: c.includes_last_stage,
            source: c.source,
            note: c.note,
            shortcut: c.shortcut,
            argument_of_perigee_deg,
            branch,
        });
    }
    Ok(cases)
}

/// A table's `argument_of_perigee_deg` key: degrees within 0–360 (`None` when absent); else
/// where the value lies and what is wrong.
fn argument_of_perigee_of(value: Option<&Spanned<f64>>) -> Result<Option<f64>, (Range<usize>, String)> {
    match value {
        Some(w) if !(w.get_ref().is_finite() && (0.0..=360.0).contains(w.get_ref())) => {
            Err((w.span(), format!("must be within 0–360°, got {}", w.get_ref())))
        }
        w => Ok(w.map(|w| *w.get_ref())),
    }
}

/// The leg of a table's `branch` key: `northbound` (also when absent) or `southbound`; else
/// where the value lies and what is wrong.
fn branch_of(value: Option<&Spanned<String>>) -> Result<Branch, (Range<usize>, String)> {
    match value.map(|b| (b, b.get_ref().trim())) {
        None | Some((_, "northbound")) => Ok(Branch::Northbound),
        Some((_, "southbound")) => Ok(Branch::Southbound),
        Some((b, other)) => Err((b.span(), format!("must be \"northbound\" or \"southbound\", got \"{other}\""))),
    }
}

/// The prediction for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case.
    pub case: PublishedCase,
    /// The inclination flown, degrees (the site's lowest when the case gives none).
    pub inclination_deg: Option<f64>,
    /// The predicted quantity the published figure is compared with, kg: the payload, or the mass
    /// at insertion when the case [includes the last stage](PublishedCase::includes_last_stage); or
    /// why there is none (unknown vehicle, optimizer failure).
    pub predicted_kg: Result<f64, String>,
    /// The predicted payload itself, kg (equal to `predicted_kg` unless the case includes the last
    /// stage).
    pub predicted_payload_kg: Option<f64>,
}

impl CaseResult {
    /// Prediction error relative to the published payload, percent (positive: optimistic).
    pub fn error_percent(&self) -> Option<f64> {
        self.predicted_kg.as_ref().ok().map(|p| 100.0 * (p - self.case.payload_kg) / self.case.payload_kg)
    }
}

/// How a case's `vehicle` becomes a vehicle. The core reads no files: [`catalog_vehicle_only`]
/// knows the catalog ids, and a front end that reads files passes one that also loads a vehicle
/// file named by path (`cosmodrome validate --table`).
pub type VehicleResolver<'a> = dyn Fn(&str) -> Result<Vehicle, Error> + Sync + 'a;

/// The catalog vehicle of `id` (its warnings dropped: the catalog files have none to act on).
pub fn catalog_vehicle_only(id: &str) -> Result<Vehicle, Error> {
    resolve_vehicle(id).map(|(vehicle, _)| vehicle)
}

/// Fly one case: the catalog vehicle from the site (its family's pad there) to the case's orbit,
/// on the case's leg (northbound unless it says otherwise).
pub fn run_case(case: &PublishedCase, sites: &SiteCatalog) -> CaseResult {
    run_case_with(case, sites, &catalog_vehicle_only)
}

/// [`run_case`] with the case's vehicle from `resolve`.
pub fn run_case_with(case: &PublishedCase, sites: &SiteCatalog, resolve: &VehicleResolver<'_>) -> CaseResult {
    let mut inclination_deg = case.inclination_deg;
    let mut predicted_payload_kg = None;
    let predicted_kg = (|| -> Result<f64, Error> {
        let vehicle = resolve(&case.vehicle)?;
        let site = sites.pad_for(&case.site, vehicle.family.as_deref())?.site;
        let inclination = case.inclination_deg.unwrap_or_else(|| site.default_inclination_deg());
        inclination_deg = Some(inclination);
        let target = TargetOrbit {
            perigee_m: case.perigee_km * 1e3,
            apogee_m: case.apogee_km * 1e3,
            inclination_deg: inclination,
            argument_of_perigee_deg: case.argument_of_perigee_deg,
        };
        if let Some(shortcut) = &case.shortcut {
            let transfer = match shortcut.as_str() {
                "gso" => TransferTarget::Gso,
                "gto" | "meo" | "molniya" => TransferTarget::Orbit {
                    perigee_m: target.perigee_m,
                    apogee_m: target.apogee_m,
                    inclination_deg: inclination,
                    argument_of_perigee_deg: case.argument_of_perigee_deg,
                    exact_perigee: false,
                },
                other => return Err(Error::invalid("published case shortcut", format!("`{other}`: one of gso, gto, meo, molniya"))),
            };
            let mission = MissionTarget::for_vehicle(&vehicle, site, transfer);
            let solution = maximize_mission_payload(&vehicle, site, &mission, case.branch, FlightOptions::default(), &mut |_| {})?;
            predicted_payload_kg = Some(solution.payload_kg());
            return Ok(solution.payload_kg());
        }
        let solution = if case.includes_last_stage {
            // Such a figure is the mass in orbit of the last stage as loaded for the mission (the
            // Saturn V's S-IVB kept two thirds of its load for the translunar injection): flown
            // with the stage's whole load, never offloaded to the orbit as a restartable stage's
            // payload optimization otherwise may.
            let ascent = DirectAscent { vehicle: &vehicle, site, target, branch: case.branch, options: FlightOptions::default() };
            maximize_payload_as_loaded(&ascent, &[], None, &mut |_| {})?.solution
        } else {
            maximize_payload(&vehicle, site, &target, case.branch, FlightOptions::default(), &mut |_| {})?
        };
        predicted_payload_kg = Some(solution.payload_kg);
        // The mass at insertion is the payload, the last stage's dry mass and residuals and any
        // propellant it did not burn: what a figure that counts the last stage counts.
        Ok(if case.includes_last_stage { solution.flight.final_point.mass_kg } else { solution.payload_kg })
    })()
    .map_err(|e| e.to_string());
    CaseResult { case: case.clone(), inclination_deg, predicted_kg, predicted_payload_kg }
}

/// Median and largest absolute error over the results that have a prediction, percent.
pub fn error_summary<'a>(results: impl IntoIterator<Item = &'a CaseResult>) -> Option<(f64, f64)> {
    let mut errors: Vec<f64> = results.into_iter().filter_map(|r| r.error_percent()).map(f64::abs).collect();
    if errors.is_empty() {
        return None;
    }
    errors.sort_by(f64::total_cmp);
    let n = errors.len();
    let median = if n % 2 == 1 { errors[n / 2] } else { 0.5 * (errors[n / 2 - 1] + errors[n / 2]) };
    Some((median, errors[n - 1]))
}

/// The error statistics of a set of predictions, percent of the published figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorSummary {
    /// Predictions counted (cases without a prediction are left out).
    pub count: usize,
    /// Median absolute error, percent.
    pub median_abs_error_percent: f64,
    /// Largest absolute error, percent.
    pub worst_abs_error_percent: f64,
}

/// [`error_summary`] with the number of predictions it counts.
pub fn summarize<'a>(results: impl IntoIterator<Item = &'a CaseResult>) -> Option<ErrorSummary> {
    let results: Vec<&CaseResult> = results.into_iter().collect();
    let count = results.iter().filter(|r| r.error_percent().is_some()).count();
    error_summary(results).map(|(median, worst)| ErrorSummary { count, median_abs_error_percent: median, worst_abs_error_percent: worst })
}

// ---------------------------------------------------------------------------------------------
// Flown trajectories
// ---------------------------------------------------------------------------------------------

/// A flight whose as-flown vehicle and cutoff states are public: the vehicle file of the flight
/// and the published states, compiled in.
#[derive(Debug, Clone, Copy)]
pub struct FlownFlight {
    /// Vehicle file text (format 1) of the vehicle as flown.
    pub vehicle_text: &'static str,
    /// Its name in messages.
    pub vehicle_file: &'static str,
    /// The published states ([`parse_flown`]).
    pub events_text: &'static str,
    /// Their name in messages.
    pub events_file: &'static str,
}

/// The built-in flown flights: Saturn V AS-506 (Apollo 11), whose vehicle is known as flown,
/// PSLV-C52 (EOS-04), the catalog's PSLV-XL data against ISRO's published nominal profile of the
/// flight, and Ariane 5 ECA V176, the catalog's data against ESA's published shutdown state
/// (solid-boosted launchers; docs/validation.md).
pub const BUILTIN_FLIGHTS: [FlownFlight; 3] = [
    FlownFlight {
        vehicle_text: include_str!("../../../tests/reference/as-506.toml"),
        vehicle_file: "tests/reference/as-506.toml",
        events_text: include_str!("../../../tests/reference/as-506-events.toml"),
        events_file: "tests/reference/as-506-events.toml",
    },
    FlownFlight {
        // The catalog's file itself: the comparison tracks the catalog's data (the flight's brochure
        // confirms its configuration and loads and publishes no other figure of the vehicle).
        vehicle_text: include_str!("../../../data/vehicles/pslv-xl.toml"),
        vehicle_file: "data/vehicles/pslv-xl.toml",
        events_text: include_str!("../../../tests/reference/pslv-c52-events.toml"),
        events_file: "tests/reference/pslv-c52-events.toml",
    },
    FlownFlight {
        // The catalog's file, as for PSLV-C52: no as-flown masses of the vehicle are public.
        vehicle_text: include_str!("../../../data/vehicles/ariane-5-eca.toml"),
        vehicle_file: "data/vehicles/ariane-5-eca.toml",
        events_text: include_str!("../../../tests/reference/ariane-5-v176-events.toml"),
        events_file: "tests/reference/ariane-5-v176-events.toml",
    },
];

/// The model event a published event is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelEvent {
    /// The named stage burns out (`burnout:STAGE`).
    Burnout(String),
    /// The named stage's first throttle change below full thrust (`throttle:STAGE`): an engine
    /// cutoff modelled as a throttle step.
    ThrottleDown(String),
    /// The end of the powered flight in orbit (`insertion`).
    Insertion,
}

/// One published event of a flown flight and the state at it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlownEvent {
    /// Name as the source gives it (`S-IC OECO`).
    pub name: String,
    /// The model event it corresponds to.
    pub model_event: ModelEvent,
    /// Range time of the event, s.
    pub time_s: Option<f64>,
    /// Altitude, km.
    pub altitude_km: Option<f64>,
    /// Space-fixed (inertial) velocity, m/s.
    pub speed_m_s: Option<f64>,
    /// Space-fixed flight-path angle, degrees.
    pub flight_path_angle_deg: Option<f64>,
    /// Where the figures come from.
    pub source: String,
    /// Remarks.
    pub note: String,
}

/// A flown flight's published states, parking orbit and spacecraft mass.
#[derive(Debug, Clone, PartialEq)]
pub struct FlownReference {
    /// Flight name (`AS-506`).
    pub flight: String,
    /// Launch site id.
    pub site: String,
    /// Range time of the model's liftoff, s: model time + this = range time.
    pub liftoff_range_time_s: f64,
    /// The flown parking orbit.
    pub target: TargetOrbit,
    /// The payload flown into it, kg.
    pub payload_kg: f64,
    /// Source of the payload mass.
    pub payload_source: String,
    /// The published events.
    pub events: Vec<FlownEvent>,
    /// Restartable stages that burned once on this flight: flown so, whatever the vehicle file
    /// rates them for, since the comparison is with the profile the flight flew.
    pub single_burn_stages: Vec<String>,
    /// The leg to the inclination the flight flew.
    pub branch: Branch,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlownFile {
    format: Spanned<i64>,
    flight: String,
    // Read so that the file may state them (unknown keys are errors); kept for the reader.
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    site: String,
    liftoff_range_time_s: Spanned<f64>,
    #[serde(default)]
    #[allow(dead_code)]
    liftoff_source: String,
    perigee_km: Spanned<f64>,
    apogee_km: Spanned<f64>,
    inclination_deg: Spanned<f64>,
    #[serde(default)]
    argument_of_perigee_deg: Option<Spanned<f64>>,
    #[serde(default)]
    #[allow(dead_code)]
    orbit_source: String,
    /// `northbound` (the default) or `southbound`.
    #[serde(default)]
    branch: Option<Spanned<String>>,
    payload_kg: Spanned<f64>,
    payload_source: String,
    #[serde(default)]
    single_burn_stages: Vec<String>,
    #[serde(default)]
    event: Vec<FlownEventEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlownEventEntry {
    name: String,
    model_event: Spanned<String>,
    time_s: Option<Spanned<f64>>,
    altitude_km: Option<Spanned<f64>>,
    speed_m_s: Option<Spanned<f64>>,
    flight_path_angle_deg: Option<Spanned<f64>>,
    source: String,
    #[serde(default)]
    note: String,
}

/// Parse a flown flight's published states; `file` names the text in error messages.
pub fn parse_flown(text: &str, file: &str) -> Result<FlownReference, FileError> {
    let err = |span: Range<usize>, key: String, message: String| FileError::new(file, Some(line_of(text, span.start)), key, message);
    let raw: FlownFile = parse(text, file)?;
    check_format(text, file, Some(&raw.format), TABLE_FORMAT)?;
    let finite = |v: &Spanned<f64>, key: String| -> Result<f64, FileError> {
        let x = *v.get_ref();
        if x.is_finite() {
            Ok(x)
        } else {
            Err(err(v.span(), key, format!("must be a finite number, got {x}")))
        }
    };
    let positive = |v: &Spanned<f64>, key: &str| -> Result<f64, FileError> {
        let x = finite(v, key.to_owned())?;
        if x > 0.0 {
            Ok(x)
        } else {
            Err(err(v.span(), key.to_owned(), format!("must be positive, got {x}")))
        }
    };
    let liftoff_range_time_s = finite(&raw.liftoff_range_time_s, "liftoff_range_time_s".into())?;
    let perigee_km = positive(&raw.perigee_km, "perigee_km")?;
    let apogee_km = positive(&raw.apogee_km, "apogee_km")?;
    if apogee_km < perigee_km {
        return Err(err(raw.apogee_km.span(), "apogee_km".into(), format!("{apogee_km} km is below the perigee {perigee_km} km")));
    }
    let inclination_deg = finite(&raw.inclination_deg, "inclination_deg".into())?;
    if !(0.0..=180.0).contains(&inclination_deg) {
        return Err(err(raw.inclination_deg.span(), "inclination_deg".into(), format!("must be within 0–180°, got {inclination_deg}")));
    }
    let argument_of_perigee_deg = argument_of_perigee_of(raw.argument_of_perigee_deg.as_ref())
        .map_err(|(span, message)| err(span, "argument_of_perigee_deg".into(), message))?;
    let branch = branch_of(raw.branch.as_ref()).map_err(|(span, message)| err(span, "branch".into(), message))?;
    let payload_kg = positive(&raw.payload_kg, "payload_kg")?;
    let mut events = Vec::with_capacity(raw.event.len());
    for (i, e) in raw.event.into_iter().enumerate() {
        let key = |name: &str| format!("event[{i}].{name}");
        let model = e.model_event.get_ref().trim();
        let model_event = match model.split_once(':') {
            None if model == "insertion" => ModelEvent::Insertion,
            Some(("burnout", stage)) if !stage.trim().is_empty() => ModelEvent::Burnout(stage.trim().to_owned()),
            Some(("throttle", stage)) if !stage.trim().is_empty() => ModelEvent::ThrottleDown(stage.trim().to_owned()),
            _ => {
                return Err(err(
                    e.model_event.span(),
                    key("model_event"),
                    format!("must be \"burnout:STAGE\", \"throttle:STAGE\" or \"insertion\", got \"{model}\""),
                ))
            }
        };
        let optional = |v: &Option<Spanned<f64>>, name: &str| v.as_ref().map(|v| finite(v, key(name))).transpose();
        events.push(FlownEvent {
            name: e.name,
            model_event,
            time_s: optional(&e.time_s, "time_s")?,
            altitude_km: optional(&e.altitude_km, "altitude_km")?,
            speed_m_s: optional(&e.speed_m_s, "speed_m_s")?,
            flight_path_angle_deg: optional(&e.flight_path_angle_deg, "flight_path_angle_deg")?,
            source: e.source,
            note: e.note,
        });
    }
    Ok(FlownReference {
        flight: raw.flight,
        site: raw.site,
        liftoff_range_time_s,
        target: TargetOrbit { perigee_m: perigee_km * 1e3, apogee_m: apogee_km * 1e3, inclination_deg, argument_of_perigee_deg },
        payload_kg,
        payload_source: raw.payload_source,
        events,
        single_burn_stages: raw.single_burn_stages,
        branch,
    })
}

/// A quantity compared at a flown event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Range time, s.
    Time,
    /// Altitude, km.
    Altitude,
    /// Space-fixed (inertial) velocity, m/s.
    Speed,
    /// Space-fixed flight-path angle, degrees.
    FlightPathAngle,
}

impl Quantity {
    /// Machine-readable name with its unit (`altitude_km`).
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Time => "time_s",
            Quantity::Altitude => "altitude_km",
            Quantity::Speed => "speed_m_s",
            Quantity::FlightPathAngle => "flight_path_angle_deg",
        }
    }
}

/// One published quantity at one event beside the model's.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectoryRow {
    /// Flight name.
    pub flight: String,
    /// Event name as published.
    pub event: String,
    /// What is compared.
    pub quantity: Quantity,
    /// Published value.
    pub published: f64,
    /// Predicted value; `None` when the model flight has no such event.
    pub predicted: Option<f64>,
}

impl TrajectoryRow {
    /// Predicted less published, in the quantity's unit.
    pub fn difference(&self) -> Option<f64> {
        self.predicted.map(|p| p - self.published)
    }

    /// Error relative to the published value, percent; `None` for a flight-path angle (a
    /// relative error of an angle near zero means nothing: compare [`Self::difference`]).
    pub fn error_percent(&self) -> Option<f64> {
        match self.quantity {
            Quantity::FlightPathAngle => None,
            _ => self.difference().map(|d| 100.0 * d / self.published),
        }
    }
}

/// A flown flight set beside the model's flight of the same vehicle into the same orbit.
#[derive(Debug, Clone)]
pub struct FlownResult {
    /// The published flight.
    pub reference: FlownReference,
    /// The payload the optimizer puts into the flown orbit with the vehicle as flown, kg: the
    /// flown spacecraft mass if the model were perfect.
    pub predicted_payload_kg: f64,
    /// Event by event, quantity by quantity.
    pub rows: Vec<TrajectoryRow>,
    /// The Δv budget of the model's flight, liftoff to insertion in the flown parking orbit.
    pub loss_budget: LossBudget,
}

impl FlownResult {
    /// The payload's error relative to the flown spacecraft mass, percent.
    pub fn payload_error_percent(&self) -> f64 {
        100.0 * (self.predicted_payload_kg - self.reference.payload_kg) / self.reference.payload_kg
    }
}

/// Fly a flown flight: the vehicle as flown, steering optimized to the flown parking orbit (the
/// payload optimizer, so the payload is a prediction too), and each published event's state set
/// beside the model's at the corresponding event.
pub fn fly_flown(flight: &FlownFlight, sites: &SiteCatalog) -> Result<FlownResult, Error> {
    let reference = parse_flown(flight.events_text, flight.events_file)?;
    let (mut vehicle, _) = Vehicle::from_toml(flight.vehicle_text, flight.vehicle_file)?;
    for name in &reference.single_burn_stages {
        let index = vehicle.stage_index(name).ok_or_else(|| {
            Error::invalid(format!("{} single_burn_stages", flight.events_file), format!("no stage `{name}` in {}", flight.vehicle_file))
        })?;
        vehicle.stages[index].restart = None;
    }
    for event in &reference.events {
        if let ModelEvent::Burnout(stage) | ModelEvent::ThrottleDown(stage) = &event.model_event {
            if vehicle.stage_index(stage).is_none() {
                return Err(Error::invalid(
                    format!("{} event `{}`", flight.events_file, event.name),
                    format!("no stage `{stage}` in {}", flight.vehicle_file),
                ));
            }
        }
    }
    let site = sites.get(&reference.site)?;
    let solution = maximize_payload(&vehicle, site, &reference.target, reference.branch, FlightOptions::default(), &mut |_| {})?;
    let events = &solution.flight.events;
    let mut rows = Vec::new();
    for published in &reference.events {
        let point = match &published.model_event {
            ModelEvent::Burnout(stage) => {
                let index = vehicle.stage_index(stage);
                events.iter().find(|e| matches!(e.kind, EventKind::Burnout { stage } if Some(stage) == index)).map(|e| e.point)
            }
            ModelEvent::ThrottleDown(stage) => {
                let index = vehicle.stage_index(stage);
                events
                    .iter()
                    .find(|e| matches!(e.kind, EventKind::Throttle { stage, level } if Some(stage) == index && level < 1.0))
                    .map(|e| e.point)
            }
            ModelEvent::Insertion => events.iter().find(|e| e.kind == EventKind::Insertion).map(|e| e.point),
        };
        let quantities = [
            (Quantity::Time, published.time_s, point.map(|p| p.time_s + reference.liftoff_range_time_s)),
            (Quantity::Altitude, published.altitude_km, point.map(|p| p.altitude_m / 1e3)),
            (Quantity::Speed, published.speed_m_s, point.map(|p| p.speed_m_s)),
            (Quantity::FlightPathAngle, published.flight_path_angle_deg, point.map(|p| p.flight_path_angle_deg)),
        ];
        for (quantity, value, predicted) in quantities {
            if let Some(value) = value {
                rows.push(TrajectoryRow {
                    flight: reference.flight.clone(),
                    event: published.name.clone(),
                    quantity,
                    published: value,
                    predicted,
                });
            }
        }
    }
    Ok(FlownResult { reference, predicted_payload_kg: solution.payload_kg, rows, loss_budget: solution.flight.loss_budget })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let cases = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap();
        assert!(cases.iter().any(|c| c.orbit_published), "at least one fully specified case");
        assert!(cases.iter().all(|c| !c.source.is_empty()));
        // Saturn V's LEO figure counts the S-IVB; the other cases are payloads.
        assert!(cases.iter().filter(|c| c.includes_last_stage).all(|c| c.vehicle == "saturn-v"));
        assert!(cases.iter().any(|c| c.includes_last_stage));
    }

    #[test]
    fn bad_values_name_case_and_key() {
        let text = "format = 1\n[[case]]\nvehicle = \"x\"\nsite = \"y\"\norbit = \"LEO\"\npayload_kg = -5.0\nperigee_km = 200.0\napogee_km = 200.0\norbit_published = true\nsource = \"s\"\n";
        let e = parse_table(text, "t.toml").unwrap_err();
        assert_eq!(e.location.key, "case[1].payload_kg");
        assert_eq!(e.location.line, Some(6));
        let e = parse_table(&text.replace("payload_kg = -5.0", "payload_kg = 5.0\ncolour = 1"), "t.toml").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let good = text.replace("payload_kg = -5.0", "payload_kg = 5.0");
        let e = parse_table(&format!("{good}argument_of_perigee_deg = 361.0\n"), "t.toml").unwrap_err();
        assert!(e.location.key == "case[1].argument_of_perigee_deg" && e.to_string().contains("0–360°"), "{e}");
        let e = parse_table(&format!("{good}branch = \"west\"\n"), "t.toml").unwrap_err();
        assert!(e.location.key == "case[1].branch" && e.location.line == Some(11), "{e}");
        let case = &parse_table(&format!("{good}argument_of_perigee_deg = 178.0\nbranch = \"southbound\"\n"), "t.toml").unwrap()[0];
        assert_eq!((case.argument_of_perigee_deg, case.branch), (Some(178.0), Branch::Southbound));
        // A second case is the second one counted, and a table with none is refused.
        let e = parse_table(&format!("{good}{}", text.replace("format = 1\n", "")), "t.toml").unwrap_err();
        assert_eq!((e.location.key.as_str(), e.location.line), ("case[2].payload_kg", Some(15)), "{e}");
        let e = parse_table("format = 1\n", "t.toml").unwrap_err();
        assert!(e.location.key == "case" && e.to_string().contains("nothing to fly") && e.to_string().contains("t.toml"), "{e}");
    }

    #[test]
    fn flown_reference_parses_and_bad_values_name_the_key() {
        let f = &BUILTIN_FLIGHTS[0];
        let r = parse_flown(f.events_text, f.events_file).unwrap();
        assert_eq!(r.flight, "AS-506");
        assert_eq!(r.events.first().map(|e| &e.model_event), Some(&ModelEvent::Burnout("S-IC".into())));
        assert!(r.events.iter().any(|e| e.model_event == ModelEvent::Insertion));
        assert!(r.events.iter().all(|e| !e.source.is_empty()));
        let bad = f.events_text.replacen("\"burnout:S-IC\"", "\"stage:S-IC\"", 1);
        let e = parse_flown(&bad, "e.toml").unwrap_err();
        assert_eq!(e.location.key, "event[0].model_event");
        assert_eq!(e.location.line, Some(1 + bad.lines().position(|l| l.contains("stage:S-IC")).unwrap()));
        let e = parse_flown(&f.events_text.replace("perigee_km = 183.2", "perigee_km = -1.0"), "e.toml").unwrap_err();
        assert_eq!(e.location.key, "perigee_km");
        let e = parse_flown(&f.events_text.replace("speed_m_s = 2764.0", "speed_m_s = nan"), "e.toml").unwrap_err();
        assert_eq!(e.location.key, "event[0].speed_m_s");
        let e = parse_flown(&f.events_text.replace("flight = ", "flihgt = "), "e.toml").unwrap_err();
        assert!(e.to_string().contains("flihgt"), "{e}");
        // The leg and a held argument of perigee (V176's), and their bad values.
        let v176 = &BUILTIN_FLIGHTS[2];
        let r = parse_flown(v176.events_text, v176.events_file).unwrap();
        assert_eq!((r.flight.as_str(), r.branch, r.target.argument_of_perigee_deg), ("V176", Branch::Southbound, Some(178.0)));
        assert_eq!(parse_flown(f.events_text, f.events_file).unwrap().branch, Branch::Northbound, "the default");
        let e = parse_flown(&v176.events_text.replace("branch = \"southbound\"", "branch = \"south\""), "e.toml").unwrap_err();
        assert!(e.location.key == "branch" && e.to_string().contains("\"south\""), "{e}");
        let e = parse_flown(&v176.events_text.replace("argument_of_perigee_deg = 178.0", "argument_of_perigee_deg = 400.0"), "e.toml")
            .unwrap_err();
        assert!(e.location.key == "argument_of_perigee_deg" && e.to_string().contains("0–360°"), "{e}");
    }

    #[test]
    fn every_builtin_flight_parses_and_its_events_name_its_stages() {
        let mut names = Vec::new();
        for f in &BUILTIN_FLIGHTS {
            let r = parse_flown(f.events_text, f.events_file).unwrap();
            let (vehicle, _) = Vehicle::from_toml(f.vehicle_text, f.vehicle_file).unwrap();
            assert!(!r.events.is_empty() && r.events.iter().all(|e| !e.source.is_empty()), "{}", f.events_file);
            for e in &r.events {
                if let ModelEvent::Burnout(stage) | ModelEvent::ThrottleDown(stage) = &e.model_event {
                    assert!(vehicle.stage_index(stage).is_some(), "{}: {} names `{stage}`", f.events_file, e.name);
                }
            }
            assert!(r.events.iter().any(|e| e.model_event == ModelEvent::Insertion), "{}", f.events_file);
            names.push(r.flight);
        }
        assert_eq!(names, ["AS-506", "PSLV-C52", "V176"]);
    }

    #[test]
    fn a_flown_event_on_a_stage_the_vehicle_lacks_is_refused_before_flying() {
        let f = &BUILTIN_FLIGHTS[0];
        let events: &'static str = Box::leak(f.events_text.replace("burnout:S-II\"", "burnout:S-III\"").into_boxed_str());
        let flight = FlownFlight { events_text: events, ..*f };
        let e = fly_flown(&flight, &SiteCatalog::builtin().unwrap()).unwrap_err().to_string();
        assert!(e.contains("S-III") && e.contains("S-II ECO"), "{e}");
    }

    /// PSLV-C52's PS4 burned once; the catalog's is restartable. A stage the vehicle lacks is
    /// refused naming the file and the key.
    #[test]
    fn a_flight_flies_its_single_burn_stages_once() {
        let f = &BUILTIN_FLIGHTS[1];
        assert_eq!(parse_flown(f.events_text, f.events_file).unwrap().single_burn_stages, ["PS4"]);
        let (vehicle, _) = Vehicle::from_toml(f.vehicle_text, f.vehicle_file).unwrap();
        assert!(vehicle.stages[vehicle.stage_index("PS4").unwrap()].max_burns() > 1, "the catalog's PS4 restarts");
        let events: &'static str = Box::leak(f.events_text.replace("[\"PS4\"]", "[\"PS5\"]").into_boxed_str());
        let flight = FlownFlight { events_text: events, ..*f };
        let e = fly_flown(&flight, &SiteCatalog::builtin().unwrap()).unwrap_err().to_string();
        assert!(e.contains("single_burn_stages") && e.contains("PS5") && e.contains(f.events_file), "{e}");
    }

    #[test]
    fn trajectory_rows_give_percent_except_for_angles() {
        let row = |quantity, published, predicted| TrajectoryRow {
            flight: "F".into(),
            event: "E".into(),
            quantity,
            published,
            predicted: Some(predicted),
        };
        assert!((row(Quantity::Altitude, 200.0, 196.0).error_percent().unwrap() + 2.0).abs() < 1e-12);
        assert_eq!(row(Quantity::FlightPathAngle, 0.5, 0.7).error_percent(), None);
        assert!((row(Quantity::FlightPathAngle, 0.5, 0.7).difference().unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(TrajectoryRow { predicted: None, ..row(Quantity::Speed, 1.0, 1.0) }.difference(), None);
    }

    #[test]
    fn summary_is_median_and_worst() {
        let case = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap().remove(0);
        let at = |p: f64| CaseResult {
            case: case.clone(),
            inclination_deg: None,
            predicted_kg: Ok(case.payload_kg * (1.0 + p / 100.0)),
            predicted_payload_kg: None,
        };
        let results = [at(2.0), at(-4.0), at(10.0)];
        let (median, worst) = error_summary(&results).unwrap();
        assert!((median - 4.0).abs() < 1e-9 && (worst - 10.0).abs() < 1e-9);
    }
}
