//! The validation report: every published payload a catalog vehicle covers, flown and set beside
//! the published figure, and every flown flight the core knows, its state at each cutoff beside
//! the published one (`cosmodrome validate`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::round;
use crate::error::Result;
use crate::validation::{
    catalog_vehicle_only, fly_flown, parse_table, run_case_with, summarize, CaseResult, ErrorSummary, FlownResult, VehicleResolver,
    BUILTIN_FLIGHTS, BUILTIN_SOLID_TABLE, BUILTIN_SOLID_TABLE_FILE, BUILTIN_TABLE, BUILTIN_TABLE_FILE, BUILTIN_UPPER_TABLE,
    BUILTIN_UPPER_TABLE_FILE,
};
use crate::vehicle::SiteCatalog;

/// Layout and version of [`ValidateReport`] (its `format` member).
pub const VALIDATE_FORMAT: &str = "cosmodrome-validate/1";

/// What the validation is flying now, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum ValidateStep<'a> {
    /// Published case `index` of `count`: vehicle and site.
    Case {
        /// 0-based.
        index: usize,
        /// Cases in all.
        count: usize,
        /// Catalog vehicle id or vehicle file, as the table names it.
        vehicle: &'a str,
        /// Site id.
        site: &'a str,
    },
    /// Flown flight `index` of `count`.
    Flight {
        /// 0-based.
        index: usize,
        /// Flights in all.
        count: usize,
        /// Its vehicle file.
        vehicle_file: &'a str,
    },
}

/// The answer of `cosmodrome validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateReport {
    /// Layout and version of this report: `cosmodrome-validate/1`.
    #[schemars(extend("const" = VALIDATE_FORMAT))]
    pub format: String,
    /// The table of published payloads flown.
    pub table: String,
    /// Every published case.
    pub cases: Vec<CaseReport>,
    /// Error summary of the cases whose orbit is published; `null` when none was predicted.
    pub fully_specified: Option<SummaryReport>,
    /// Error summary of all cases; `null` when none was predicted.
    pub all: Option<SummaryReport>,
    /// Every published quantity of the flown flights beside the model's.
    pub trajectories: Vec<TrajectoryRowReport>,
    /// Every flown flight's payload.
    pub flights: Vec<FlownFlightReport>,
}

/// A published case beside its prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseReport {
    /// Catalog vehicle id, or the vehicle file as the table names it.
    pub vehicle: String,
    /// Site id.
    pub site: String,
    /// Orbit class as published (`LEO`, `SSO`).
    pub orbit: String,
    /// Perigee altitude above the equatorial radius, km.
    pub perigee_km: f64,
    /// Apogee altitude above the equatorial radius, km.
    pub apogee_km: f64,
    /// Inclination flown, degrees; `null` when the case could not be set up.
    pub inclination_deg: Option<f64>,
    /// Whether the orbit is published (otherwise assumed).
    pub orbit_published: bool,
    /// Whether the published figure counts the last stage (compared with the mass at insertion).
    pub includes_last_stage: bool,
    /// The published figure, kg.
    pub published_kg: f64,
    /// The figure compared with it, kg (to 1 kg); `null` when the case failed.
    pub predicted_kg: Option<f64>,
    /// The predicted payload itself, kg (to 1 kg).
    pub predicted_payload_kg: Option<f64>,
    /// Error of the prediction, percent (to 0.1).
    pub error_percent: Option<f64>,
    /// Why the case failed.
    pub failure: Option<String>,
    /// The published source.
    pub source: String,
    /// Notes on the case.
    pub note: String,
}

/// Median and worst absolute error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SummaryReport {
    /// Cases predicted.
    pub count: usize,
    /// Median absolute error, percent.
    pub median_abs_error_percent: f64,
    /// Worst absolute error, percent.
    pub worst_abs_error_percent: f64,
}

/// One published quantity at one event beside the model's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrajectoryRowReport {
    /// The flight (`AS-506`).
    pub flight: String,
    /// The event as published (`S-II ECO`).
    pub event: String,
    /// The quantity with its unit (`altitude_km`, `speed_m_s`): the unit of `published`,
    /// `predicted` and `difference`, the published table's.
    pub quantity: String,
    /// The published value.
    pub published: f64,
    /// The model's (unrounded); `null` when the event was not reached.
    pub predicted: Option<f64>,
    /// Predicted minus published (unrounded).
    pub difference: Option<f64>,
    /// Relative error, percent (to 0.01); `null` for an angle.
    pub error_percent: Option<f64>,
}

/// A flown flight's payload, or why it could not be flown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlownFlightReport {
    /// The flight (`AS-506`); `null` when it failed.
    pub flight: Option<String>,
    /// The vehicle file as flown.
    pub vehicle_file: String,
    /// The published states.
    pub events_file: String,
    /// The flown payload, kg.
    pub payload_published_kg: Option<f64>,
    /// The payload the model carries into the flown orbit, kg (to 1 kg).
    pub payload_predicted_kg: Option<f64>,
    /// Its error, percent (to 0.01).
    pub payload_error_percent: Option<f64>,
    /// Source of the flown payload.
    pub payload_source: Option<String>,
    /// Why the flight could not be flown.
    pub failure: Option<String>,
}

/// Fly every case of a table of published payloads (`text`, read from `file`) and every built-in
/// flown flight. `progress` is told each step before it is flown.
pub fn validate(text: &str, file: &str, progress: impl FnMut(ValidateStep<'_>) + Send) -> Result<ValidateReport> {
    validate_tables(&[(text, file)], progress)
}

/// The built-in tables of published payloads, `(text, file)`: the main one, the solid-boosted
/// launchers' ([`crate::validation::BUILTIN_SOLID_TABLE`]) and the upper-stage missions'
/// ([`crate::validation::BUILTIN_UPPER_TABLE`]), which `cosmodrome validate` flies together by
/// default.
pub fn builtin_tables() -> [(&'static str, &'static str); 3] {
    [(BUILTIN_TABLE, BUILTIN_TABLE_FILE), (BUILTIN_SOLID_TABLE, BUILTIN_SOLID_TABLE_FILE), (BUILTIN_UPPER_TABLE, BUILTIN_UPPER_TABLE_FILE)]
}

/// [`validate`] over several tables `(text, file)`, their cases flown as one table; the report's
/// `table` names them all, joined by `" + "`. Catalog vehicles only.
pub fn validate_tables(tables: &[(&str, &str)], progress: impl FnMut(ValidateStep<'_>) + Send) -> Result<ValidateReport> {
    validate_tables_with(tables, &catalog_vehicle_only, progress)
}

/// [`validate_tables`] with each case's vehicle from `resolve` (a front end passes one that also
/// loads vehicle files). The cases are independent and are flown in parallel on all cores;
/// the report keeps the tables' order, and `progress` hears of each case as it starts.
pub fn validate_tables_with(
    tables: &[(&str, &str)],
    resolve: &VehicleResolver<'_>,
    progress: impl FnMut(ValidateStep<'_>) + Send,
) -> Result<ValidateReport> {
    use rayon::prelude::*;
    let mut cases = Vec::new();
    for (text, file) in tables {
        cases.extend(parse_table(text, file)?);
    }
    let file = tables.iter().map(|(_, file)| *file).collect::<Vec<_>>().join(" + ");
    let sites = SiteCatalog::builtin()?;
    let progress = std::sync::Mutex::new(progress);
    let tell = |step: ValidateStep<'_>| {
        // A progress display that panicked poisons the lock; the flights go on without it.
        if let Ok(mut p) = progress.lock() {
            p(step);
        }
    };
    let results: Vec<CaseResult> = cases
        .par_iter()
        .enumerate()
        .map(|(index, case)| {
            tell(ValidateStep::Case { index, count: cases.len(), vehicle: &case.vehicle, site: &case.site });
            run_case_with(case, &sites, resolve)
        })
        .collect();
    let mut flights = Vec::with_capacity(BUILTIN_FLIGHTS.len());
    for (index, flight) in BUILTIN_FLIGHTS.iter().enumerate() {
        tell(ValidateStep::Flight { index, count: BUILTIN_FLIGHTS.len(), vehicle_file: flight.vehicle_file });
        flights.push(fly_flown(flight, &sites).map_err(|e| e.to_string()));
    }
    Ok(ValidateReport::new(&file, &results, &flights))
}

impl SummaryReport {
    fn new(s: ErrorSummary) -> Self {
        SummaryReport {
            count: s.count,
            median_abs_error_percent: s.median_abs_error_percent,
            worst_abs_error_percent: s.worst_abs_error_percent,
        }
    }
}

impl ValidateReport {
    /// The report of flown cases and flights (`flights` in the order of [`BUILTIN_FLIGHTS`]).
    pub fn new(file: &str, results: &[CaseResult], flights: &[std::result::Result<FlownResult, String>]) -> Self {
        let cases = results
            .iter()
            .map(|r| CaseReport {
                vehicle: r.case.vehicle.clone(),
                site: r.case.site.clone(),
                orbit: r.case.orbit.clone(),
                perigee_km: r.case.perigee_km,
                apogee_km: r.case.apogee_km,
                inclination_deg: r.inclination_deg,
                orbit_published: r.case.orbit_published,
                includes_last_stage: r.case.includes_last_stage,
                published_kg: r.case.payload_kg,
                predicted_kg: r.predicted_kg.as_ref().ok().map(|p| p.round()),
                predicted_payload_kg: r.predicted_payload_kg.map(f64::round),
                error_percent: r.error_percent().map(|e| round(e, 1)),
                failure: r.predicted_kg.as_ref().err().cloned(),
                source: r.case.source.clone(),
                note: r.case.note.clone(),
            })
            .collect();
        let summary = |published: bool| summarize(results.iter().filter(|r| !published || r.case.orbit_published)).map(SummaryReport::new);
        let mut trajectories = Vec::new();
        let mut flown = Vec::new();
        for (flight, outcome) in BUILTIN_FLIGHTS.iter().zip(flights) {
            match outcome {
                Ok(f) => {
                    flown.push(FlownFlightReport {
                        flight: Some(f.reference.flight.clone()),
                        vehicle_file: flight.vehicle_file.to_owned(),
                        events_file: flight.events_file.to_owned(),
                        payload_published_kg: Some(f.reference.payload_kg),
                        payload_predicted_kg: Some(f.predicted_payload_kg.round()),
                        payload_error_percent: Some(round(f.payload_error_percent(), 2)),
                        payload_source: Some(f.reference.payload_source.clone()),
                        failure: None,
                    });
                    trajectories.extend(f.rows.iter().map(|r| TrajectoryRowReport {
                        flight: r.flight.clone(),
                        event: r.event.clone(),
                        quantity: r.quantity.name().to_owned(),
                        published: r.published,
                        predicted: r.predicted,
                        difference: r.difference(),
                        error_percent: r.error_percent().map(|e| round(e, 2)),
                    }));
                }
                Err(failure) => flown.push(FlownFlightReport {
                    flight: None,
                    vehicle_file: flight.vehicle_file.to_owned(),
                    events_file: flight.events_file.to_owned(),
                    payload_published_kg: None,
                    payload_predicted_kg: None,
                    payload_error_percent: None,
                    payload_source: None,
                    failure: Some(failure.clone()),
                }),
            }
        }
        ValidateReport {
            format: VALIDATE_FORMAT.to_owned(),
            table: file.to_owned(),
            cases,
            fully_specified: summary(true),
            all: summary(false),
            trajectories,
            flights: flown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{parse_flown, Quantity, TrajectoryRow};

    /// The report's cases, both summaries with a count, and the trajectory rows, from results made
    /// up here (no flight is flown).
    #[test]
    fn report_has_cases_summaries_and_trajectories() {
        let case = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap().remove(0);
        let specified = CaseResult {
            case: case.clone(),
            inclination_deg: Some(5.4),
            predicted_kg: Ok(1.1 * case.payload_kg),
            predicted_payload_kg: Some(1.1 * case.payload_kg),
        };
        let mut assumed_case = case.clone();
        assumed_case.orbit_published = false;
        let assumed =
            CaseResult { case: assumed_case, inclination_deg: Some(51.9), predicted_kg: Err("no".into()), predicted_payload_kg: None };
        let reference = parse_flown(BUILTIN_FLIGHTS[0].events_text, BUILTIN_FLIGHTS[0].events_file).unwrap();
        let flown = FlownResult {
            reference: reference.clone(),
            predicted_payload_kg: 0.98 * reference.payload_kg,
            rows: vec![
                TrajectoryRow {
                    flight: "AS-506".into(),
                    event: "S-II ECO".into(),
                    quantity: Quantity::Altitude,
                    published: 200.0,
                    predicted: Some(198.0),
                },
                TrajectoryRow {
                    flight: "AS-506".into(),
                    event: "S-II ECO".into(),
                    quantity: Quantity::FlightPathAngle,
                    published: 0.6,
                    predicted: Some(0.8),
                },
            ],
            loss_budget: Default::default(),
        };
        let v = ValidateReport::new(BUILTIN_TABLE_FILE, &[specified, assumed], &[Ok(flown)]);
        assert_eq!(v.cases.len(), 2);
        assert_eq!(v.cases[0].error_percent, Some(10.0));
        assert!(v.cases[1].error_percent.is_none() && v.cases[1].failure.as_deref() == Some("no"));
        assert_eq!(v.fully_specified.map(|s| s.count), Some(1));
        let all = v.all.expect("a summary");
        assert_eq!(all.count, 1, "a failed case is not counted");
        assert!((all.median_abs_error_percent - 10.0).abs() < 1e-9, "{all:?}");
        assert_eq!(v.trajectories.len(), 2);
        assert_eq!(v.trajectories[0].quantity, "altitude_km");
        assert_eq!(v.trajectories[0].error_percent, Some(-1.0));
        assert!(v.trajectories[1].error_percent.is_none(), "an angle has no relative error");
        assert!(v.trajectories[1].difference.is_some_and(|d| (d - 0.2).abs() < 1e-12));
        assert_eq!(v.flights[0].payload_error_percent, Some(-2.0));
    }
}
