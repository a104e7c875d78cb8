//! Validation against published payloads: each published case a catalog vehicle covers is
//! flown through the payload optimizer, and the prediction is set beside the published figure.
//!
//! Nothing is corrected per vehicle: a prediction is what the vehicle file states, flown by the
//! same physics and optimizer as any other run. A case whose source gives no orbit is flown to
//! an assumed orbit and says so; only fully specified cases are held to the accuracy bar.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, FileError};
use crate::flight::FlightOptions;
use crate::guidance::Branch;
use crate::optimize::payload::{maximize_payload, TargetOrbit};
use crate::vehicle::toml_text::{check_format, line_of, parse};
use crate::vehicle::{resolve_vehicle, SiteCatalog};

/// The built-in table of published payloads (`data/reference/published-payloads.toml`).
pub const BUILTIN_TABLE: &str = include_str!("../../../data/reference/published-payloads.toml");
/// Name of the built-in table in messages.
pub const BUILTIN_TABLE_FILE: &str = "data/reference/published-payloads.toml";
const TABLE_FORMAT: i64 = 1;

/// One published payload.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCase {
    /// Catalog vehicle id.
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
    /// Where the figure comes from.
    pub source: String,
    /// Assumptions and remarks.
    pub note: String,
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
    source: String,
    #[serde(default)]
    note: String,
}

/// Parse a table of published payloads; `file` names the text in error messages.
pub fn parse_table(text: &str, file: &str) -> Result<Vec<PublishedCase>, FileError> {
    let err = |span: Range<usize>, key: String, message: String| FileError::new(file, Some(line_of(text, span.start)), key, message);
    let raw: TableFile = parse(text, file)?;
    check_format(text, file, Some(&raw.format), TABLE_FORMAT)?;
    let mut cases = Vec::with_capacity(raw.case.len());
    for (i, c) in raw.case.into_iter().enumerate() {
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
        cases.push(PublishedCase {
            vehicle: c.vehicle,
            site: c.site,
            orbit: c.orbit,
            payload_kg,
            perigee_km,
            apogee_km,
            inclination_deg,
            orbit_published: c.orbit_published,
            source: c.source,
            note: c.note,
        });
    }
    Ok(cases)
}

/// The prediction for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case.
    pub case: PublishedCase,
    /// The inclination flown, degrees (the site's lowest when the case gives none).
    pub inclination_deg: Option<f64>,
    /// Predicted payload, kg, or why there is none (unknown vehicle, optimizer failure).
    pub predicted_kg: Result<f64, String>,
}

impl CaseResult {
    /// Prediction error relative to the published payload, percent (positive: optimistic).
    pub fn error_percent(&self) -> Option<f64> {
        self.predicted_kg.as_ref().ok().map(|p| 100.0 * (p - self.case.payload_kg) / self.case.payload_kg)
    }
}

/// Fly one case: the catalog vehicle from the site (its family's pad there) to the case's orbit, northbound.
pub fn run_case(case: &PublishedCase, sites: &SiteCatalog) -> CaseResult {
    let mut inclination_deg = case.inclination_deg;
    let predicted_kg = (|| -> Result<f64, Error> {
        let (vehicle, _) = resolve_vehicle(&case.vehicle)?;
        let site = sites.pad_for(&case.site, vehicle.family.as_deref())?.site;
        let inclination = case.inclination_deg.unwrap_or_else(|| site.default_inclination_deg());
        inclination_deg = Some(inclination);
        let target = TargetOrbit { perigee_m: case.perigee_km * 1e3, apogee_m: case.apogee_km * 1e3, inclination_deg: inclination };
        Ok(maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), |_| {})?.payload_kg)
    })()
    .map_err(|e| e.to_string());
    CaseResult { case: case.clone(), inclination_deg, predicted_kg }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let cases = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap();
        assert!(cases.iter().any(|c| c.orbit_published), "at least one fully specified case");
        assert!(cases.iter().all(|c| !c.source.is_empty()));
    }

    #[test]
    fn bad_values_name_case_and_key() {
        let text = "format = 1\n[[case]]\nvehicle = \"x\"\nsite = \"y\"\norbit = \"LEO\"\npayload_kg = -5.0\nperigee_km = 200.0\napogee_km = 200.0\norbit_published = true\nsource = \"s\"\n";
        let e = parse_table(text, "t.toml").unwrap_err();
        assert_eq!(e.location.key, "case[0].payload_kg");
        assert_eq!(e.location.line, Some(6));
        let e = parse_table(&text.replace("payload_kg = -5.0", "payload_kg = 5.0\ncolour = 1"), "t.toml").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn summary_is_median_and_worst() {
        let case = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).unwrap().remove(0);
        let at = |p: f64| CaseResult { case: case.clone(), inclination_deg: None, predicted_kg: Ok(case.payload_kg * (1.0 + p / 100.0)) };
        let results = [at(2.0), at(-4.0), at(10.0)];
        let (median, worst) = error_summary(&results).unwrap();
        assert!((median - 4.0).abs() < 1e-9 && (worst - 10.0).abs() < 1e-9);
    }
}
