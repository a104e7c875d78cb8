//! The payload sweep as a job (`POST /api/jobs/sweep`): `cosmodrome sweep` over catalog
//! vehicles and a vehicle file sent as text (or one vehicle's file parameter over its values,
//! `--vary`) × sites × circular-orbit altitudes × inclinations, its chains of neighbouring points on the server's compute pool. The answer is the sweep report with the CSV table and
//! the payload chart (SVG) of `sweep --out`, as text: a sweep's files are small.

use std::sync::atomic::AtomicBool;

use cosmodrome::guidance::Branch;
use cosmodrome::mission::sweep::{
    refuse_repeated_inclinations, refuse_repeated_values, refuse_repeated_vehicles, sweep_grid_watched, SweepGrid, SweepInclination,
    SweepReport, SweepSite, VaryParameter,
};
use cosmodrome::vehicle::{catalog_vehicle, Vehicle};
use cosmodrome_io::plots::PlotFormat;
use cosmodrome_io::sweep_outputs::{sweep_chart, sweep_csv, SweepLabels};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::{load_vehicle, stop_if_cancelled};
use crate::error::ApiError;

/// Most grid points a sweep job takes (the job's time budget bounds it as well).
pub const MAX_SWEEP_POINTS: usize = 500;

/// `POST /api/jobs/sweep`: the flags of `cosmodrome sweep`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepBody {
    /// Catalog vehicle ids; give these, `vehicle_toml`, or both.
    #[serde(default)]
    pub vehicles: Vec<String>,
    /// A vehicle file's text (never a path), swept after the catalog vehicles and named
    /// `vehicle_toml` in the report, as in the errors about it.
    #[serde(default)]
    pub vehicle_toml: Option<String>,
    /// Cosmodromes or pads (default: vostochny). An unknown one is a row with its reason.
    #[serde(default = "default_sites")]
    pub sites: Vec<String>,
    /// Circular-orbit altitudes over the equatorial radius, km.
    pub altitudes_km: Vec<f64>,
    /// Inclinations, degrees, or `"sso"` for the sun-synchronous inclination at each altitude
    /// (default: each pad's lowest).
    #[serde(default)]
    #[schemars(with = "Vec<InclinationSchema>")]
    pub inclinations_deg: Vec<InclinationValue>,
    /// Southbound leg to the inclinations.
    #[serde(default)]
    pub southbound: bool,
    /// Start every point from the built-in guesses instead of its neighbour's solution.
    #[serde(default)]
    pub cold: bool,
    /// One parameter of the vehicle's file swept over values, as `sweep --vary`:
    /// `PATH=START:END:STEP` or `PATH=V1,V2,…` (`stage.URM-2.propellant_mass_kg=30000:40000:2500`).
    /// Needs exactly one vehicle, a catalog id or `vehicle_toml`.
    #[serde(default)]
    pub vary: Option<String>,
}

/// One value of `inclinations_deg`: degrees, or `"sso"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InclinationValue(pub SweepInclination);

impl<'de> Deserialize<'de> for InclinationValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = InclinationValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number of degrees or \"sso\" (the sun-synchronous inclination at each altitude)")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<InclinationValue, E> {
                Ok(InclinationValue(SweepInclination::Degrees(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<InclinationValue, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<InclinationValue, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<InclinationValue, E> {
                SweepInclination::named(v).map(InclinationValue).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The schema of [`InclinationValue`].
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum InclinationSchema {
    /// Degrees.
    Degrees(f64),
    /// The sun-synchronous inclination at each altitude.
    Named(SunSynchronousName),
}

/// `"sso"`.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SunSynchronousName {
    /// The sun-synchronous inclination at each altitude.
    Sso,
}

impl crate::api::Body for SweepBody {
    type Flattened = serde::de::IgnoredAny;
}

fn default_sites() -> Vec<String> {
    vec!["vostochny".to_owned()]
}

/// A sweep job's answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SweepAnswer {
    /// The sweep report (docs/schema/sweep.schema.json).
    pub report: SweepReport,
    /// `sweep.csv` of `sweep --out`.
    pub csv: String,
    /// The payload chart (`payload.svg` of `sweep --out`); `null` when no point was reached.
    pub chart_svg: Option<String>,
}

/// A sweep request checked: its vehicles loaded, each with the name the report gives it.
#[derive(Debug)]
pub struct SweepInput {
    vehicles: Vec<Vehicle>,
    labels: Vec<String>,
    /// The swept file parameter, with `vary`: one vehicle per value, in order.
    parameter: Option<VaryParameter>,
    body: SweepBody,
}

impl SweepInput {
    /// Grid points.
    pub fn points(&self) -> usize {
        self.vehicles.len() * self.body.sites.len() * self.body.altitudes_km.len() * self.body.inclinations_deg.len().max(1)
    }
}

/// The request checked before the job is accepted: every vehicle a catalog id (404 naming the
/// known ones otherwise) or a vehicle file that reads (400 at its line otherwise), every axis
/// given, every site known, every number finite, at most [`MAX_SWEEP_POINTS`].
pub fn sweep_input(body: SweepBody) -> Result<SweepInput, ApiError> {
    if body.vehicles.is_empty() && body.vehicle_toml.is_none() {
        return Err(ApiError::usage(
            "vehicles",
            "missing vehicles: give at least one catalog id, or `vehicle_toml` (a vehicle file's text)",
        ));
    }
    for (field, empty) in [("sites", body.sites.is_empty()), ("altitudes_km", body.altitudes_km.is_empty())] {
        if empty {
            return Err(ApiError::usage(field, format!("missing {field}: give at least one")));
        }
    }
    body.sites.iter().try_for_each(|s| crate::api::refuse_site_file("sites", s))?;
    cosmodrome::mission::sweep::check_sites(&body.sites).map_err(|e| ApiError { field: Some("sites".into()), ..ApiError::core(e) })?;
    let inclinations_deg: Vec<f64> =
        body.inclinations_deg.iter().filter_map(|i| if let SweepInclination::Degrees(d) = i.0 { Some(d) } else { None }).collect();
    for (field, values) in [("altitudes_km", &body.altitudes_km), ("inclinations_deg", &inclinations_deg)] {
        if let Some(v) = values.iter().find(|v| !v.is_finite()) {
            return Err(ApiError::bad(field, format!("invalid {field}: must be finite numbers, got {v}")));
        }
    }
    if let Some(v) = body.altitudes_km.iter().find(|&&v| v <= 0.0) {
        return Err(ApiError::bad("altitudes_km", format!("invalid altitudes_km: must be above 0 km, got {v}")));
    }
    // A value or a vehicle given twice would give its rows twice.
    let altitudes: Vec<Option<f64>> = body.altitudes_km.iter().copied().map(Some).collect();
    refuse_repeated_values("altitudes_km", &altitudes).map_err(|e| ApiError::bad("altitudes_km", e.to_string()))?;
    let inclinations: Vec<SweepInclination> = body.inclinations_deg.iter().map(|i| i.0).collect();
    refuse_repeated_inclinations("inclinations_deg", &inclinations).map_err(|e| ApiError::bad("inclinations_deg", e.to_string()))?;
    refuse_repeated_vehicles(&body.vehicles, "vehicles", |_| false).map_err(|e| ApiError::bad("vehicles", e.to_string()))?;
    let mut loaded = body
        .vehicles
        .iter()
        .map(|id| load_vehicle(Some(id), None).map_err(|e| ApiError { field: Some("vehicles".into()), ..e }))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(text) = &body.vehicle_toml {
        loaded.push(load_vehicle(None, Some(text))?);
    }
    let (vehicles, labels, parameter) = match &body.vary {
        None => {
            let (vehicles, labels) = loaded.into_iter().unzip();
            (vehicles, labels, None)
        }
        Some(spec) => {
            let vary = VaryParameter::parse(spec).map_err(|e| ApiError::bad("vary", e.to_string()))?;
            let values: Vec<Option<f64>> = vary.values.iter().copied().map(Some).collect();
            refuse_repeated_values("vary", &values).map_err(|e| ApiError::bad("vary", e.to_string()))?;
            let [(_, label)] = loaded.as_slice() else {
                return Err(ApiError::usage(
                    "vary",
                    format!("vary sweeps one vehicle's file: give one vehicle (a catalog id or vehicle_toml), not {}", loaded.len()),
                ));
            };
            // The file the parameter is set in: the catalog's own, or the one sent.
            let text = match &body.vehicle_toml {
                Some(text) => text.as_str(),
                None => catalog_vehicle(label).ok_or_else(|| ApiError::bad("vehicles", format!("no catalog file for {label}")))?,
            };
            let vehicles = vary.variants(text, label).map_err(|e| ApiError { field: Some("vary".into()), ..ApiError::core(e) })?;
            (vehicles, vec![label.clone(); vary.values.len()], Some(vary))
        }
    };
    let input = SweepInput { vehicles, labels, parameter, body };
    if input.points() > MAX_SWEEP_POINTS {
        return Err(ApiError::bad(
            "altitudes_km",
            format!("the grid has {} points (vehicles × sites × altitudes × inclinations): at most {MAX_SWEEP_POINTS}", input.points()),
        ));
    }
    Ok(input)
}

/// Run the sweep: `points(done, total)` after every point, `flown()` after every flight; stops
/// (by unwinding, [`crate::api::Cancelled`]) at the next flight once `cancel` is set.
pub fn sweep(
    input: &SweepInput,
    points: &(dyn Fn(usize, usize) + Sync),
    flown: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SweepAnswer, ApiError> {
    let b = &input.body;
    let refs: Vec<&Vehicle> = input.vehicles.iter().collect();
    let inclinations: Vec<SweepInclination> =
        if b.inclinations_deg.is_empty() { vec![SweepInclination::Lowest] } else { b.inclinations_deg.iter().map(|i| i.0).collect() };
    // Catalog ids only: a request reads no files.
    let sites: Vec<SweepSite> = b.sites.iter().cloned().map(SweepSite::Catalog).collect();
    let grid = SweepGrid {
        vehicles: &refs,
        variants: input.parameter.is_some(),
        sites: &sites,
        altitudes_km: &b.altitudes_km,
        inclinations: &inclinations,
        branch: Branch::from_southbound(b.southbound),
        warm_start: !b.cold,
    };
    let rows = sweep_grid_watched(&grid, points, &|| {
        flown();
        stop_if_cancelled(cancel);
    });
    let parameter = input.parameter.as_ref().map(|v| (v.path.as_str(), v.values.as_slice()));
    let names: Vec<String> = input.vehicles.iter().map(|v| v.name.clone()).collect();
    let labels = SweepLabels { vehicles: &input.labels, names: &names, sites: &b.sites, parameter };
    let chart_svg = if rows.iter().any(|r| r.result.is_ok()) {
        let svg = sweep_chart(&rows, &labels, PlotFormat::Svg).map_err(|e| {
            ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, None, format!("the payload chart cannot be drawn: {e}"))
        })?;
        Some(String::from_utf8_lossy(&svg).into_owned())
    } else {
        None
    };
    Ok(SweepAnswer { report: SweepReport::new(&rows, &input.labels, &b.sites, parameter), csv: sweep_csv(&rows, &labels), chart_svg })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: serde_json::Value) -> SweepBody {
        serde_json::from_value(json).expect("a sweep body")
    }

    #[test]
    fn a_bad_grid_is_refused_naming_its_member() {
        let refused = |json: serde_json::Value| sweep_input(body(json)).unwrap_err();
        let e = refused(serde_json::json!({ "vehicles": [], "altitudes_km": [200.0] }));
        assert_eq!(e.field.as_deref(), Some("vehicles"));
        let e = refused(serde_json::json!({ "vehicles": ["soyuz-2.1b"], "altitudes_km": [200.0, -5.0] }));
        assert_eq!(e.field.as_deref(), Some("altitudes_km"));
        assert!(e.error.contains("-5"), "{}", e.error);
        let e = refused(serde_json::json!({ "vehicles": ["soyuz-2.1b"], "sites": ["vostochny", "my-pad.toml"], "altitudes_km": [200.0] }));
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some("sites")));
        assert!(e.error.contains("the server reads no files"), "{}", e.error);
        let e = refused(serde_json::json!({ "vehicles": ["soyuz-9"], "altitudes_km": [200.0] }));
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (404, Some("vehicles")));
        let many: Vec<f64> = (1..=501).map(f64::from).collect();
        let e = refused(serde_json::json!({ "vehicles": ["soyuz-2.1b"], "altitudes_km": many }));
        assert!(e.error.contains("501 points"), "{}", e.error);
    }

    #[test]
    fn the_answer_has_the_report_the_table_and_the_chart() {
        let input = sweep_input(body(serde_json::json!({ "vehicles": ["soyuz-2.1b"], "altitudes_km": [200.0, 400.0] }))).unwrap();
        let done = std::sync::Mutex::new(Vec::new());
        let a = sweep(&input, &|d, t| done.lock().unwrap().push((d, t)), &|| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!(done.into_inner().unwrap().last(), Some(&(2, 2)));
        assert_eq!(a.report.points.len(), 2);
        assert!(a.report.points.iter().all(|p| p.status == "ok" && p.site == "vostochny"));
        assert_eq!(a.csv.lines().count(), 3, "{}", a.csv);
        assert!(a.chart_svg.is_some_and(|s| s.starts_with("<svg")));
    }

    #[test]
    fn a_vehicle_file_is_swept_beside_the_catalog_and_named_vehicle_toml() {
        let text = cosmodrome::vehicle::catalog_vehicle("soyuz-2.1b").unwrap();
        let json = serde_json::json!({ "vehicles": ["soyuz-2.1b"], "vehicle_toml": text, "altitudes_km": [300.0] });
        let input = sweep_input(body(json)).unwrap();
        assert_eq!(input.points(), 2);
        let a = sweep(&input, &|_, _| {}, &|| {}, &AtomicBool::new(false)).unwrap();
        let names: Vec<&str> = a.report.points.iter().map(|p| p.vehicle.as_str()).collect();
        assert_eq!(names, ["soyuz-2.1b", "vehicle_toml"]);
        let kg: Vec<f64> = a.report.points.iter().map(|p| p.payload_kg.unwrap()).collect();
        assert!((kg[0] - kg[1]).abs() < 1.0, "the catalog's own file flies as the catalog vehicle: {kg:?}");
        assert!(a.csv.lines().nth(2).is_some_and(|l| l.starts_with("vehicle_toml,")), "{}", a.csv);

        // A broken file is refused before the job starts, at its line.
        let broken = text.replacen("dry_mass_kg =", "dry_mass_kg = \"heavy\" #", 1);
        let e = sweep_input(body(serde_json::json!({ "vehicle_toml": broken, "altitudes_km": [300.0] }))).unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref(), e.file.as_deref()), (400, Some("vehicle_toml"), Some("vehicle_toml")));
        assert!(e.line.is_some() && e.error.contains("dry_mass_kg"), "{e:?}");
        let e = sweep_input(body(serde_json::json!({ "altitudes_km": [300.0] }))).unwrap_err();
        assert!(e.field.as_deref() == Some("vehicles") && e.error.contains("vehicle_toml"), "{e:?}");
    }

    /// `vary` sweeps one parameter of one vehicle's file, as `sweep --vary`: one point per value,
    /// the value in the report and the CSV, the payload growing with the upper stage's load; it
    /// is refused with two vehicles, a bad range or a path the file does not have.
    #[test]
    fn vary_sweeps_one_file_parameter() {
        let json = serde_json::json!({
            "vehicles": ["soyuz-2.1b"],
            "altitudes_km": [200.0],
            "inclinations_deg": [51.9],
            "vary": "stage.Block I.propellant_mass_kg=22000:25000:1500",
        });
        let input = sweep_input(body(json)).unwrap();
        assert_eq!(input.points(), 3);
        let a = sweep(&input, &|_, _| {}, &|| {}, &AtomicBool::new(false)).unwrap();
        let report = serde_json::to_value(&a.report).unwrap();
        assert_eq!(report["parameter"], "stage.Block I.propellant_mass_kg", "{report}");
        let values: Vec<f64> = report["points"].as_array().unwrap().iter().map(|p| p["parameter_value"].as_f64().unwrap()).collect();
        assert_eq!(values, [22000.0, 23500.0, 25000.0]);
        let kg: Vec<f64> = a.report.points.iter().map(|p| p.payload_kg.unwrap()).collect();
        assert!(kg.windows(2).all(|w| w[1] > w[0]), "more propellant in the Block I carries more: {kg:?}");
        assert!(a.csv.lines().next().is_some_and(|h| h.contains("stage.Block I.propellant_mass_kg")), "{}", a.csv);

        let refused = |json: serde_json::Value| sweep_input(body(json)).unwrap_err();
        for vary in [
            "stage.Block I.propellant_mass_kg=25000:22000:1500",
            "stage.Block Z.propellant_mass_kg=1,2",
            "stage.Block I.dry_mass_kg=-5,2000",
            "nonsense",
        ] {
            let e = refused(serde_json::json!({ "vehicles": ["soyuz-2.1b"], "altitudes_km": [200.0], "vary": vary }));
            assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some("vary")), "{vary}: {e:?}");
        }
        let e = refused(serde_json::json!({
            "vehicles": ["soyuz-2.1b", "soyuz-2.1a"],
            "altitudes_km": [200.0],
            "vary": "stage.Block I.propellant_mass_kg=22000,25000",
        }));
        assert!(e.field.as_deref() == Some("vary") && e.error.contains("not 2"), "{e:?}");
    }
}
