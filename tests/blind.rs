//! Blind vehicle files: liquid launchers outside the catalog, written from public stage data as a
//! new user would (`tests/reference/blind/`, sources in its README.md), flown to the orbit of
//! their published payload. The test asserts that each flies there — the orbit within the
//! targeting tolerance, a finite positive payload, every pad known — not how close the payload
//! comes to the published one: that error is printed (`--nocapture`) and reported in
//! docs/validation.md, and nothing was tuned to it.

use std::path::{Path, PathBuf};

use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
use cosmodrome::vehicle::{SiteCatalog, Vehicle};
use serde::Deserialize;

/// One published case of `cases.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The vehicle file, in the same directory.
    file: String,
    /// Cosmodrome or pad id of `data/sites.toml`.
    site: String,
    perigee_km: f64,
    apogee_km: f64,
    inclination_deg: f64,
    /// The published payload, kg.
    published_kg: f64,
    /// Whether the source states the orbit (else `orbit_note` says what is assumed).
    orbit_published: bool,
    #[allow(dead_code)]
    orbit_note: Option<String>,
    #[allow(dead_code)]
    source: String,
}

#[derive(Debug, Deserialize)]
struct Cases {
    case: Vec<Case>,
}

fn blind_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/blind")
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(blind_dir().join("cases.toml")).expect("cases.toml");
    toml::from_str::<Cases>(&text).expect("cases.toml parses").case
}

/// Every vehicle file of the directory has a case, and every case a file: a file added without
/// its published case (or the reverse) fails here instead of going unflown.
#[test]
fn every_blind_file_has_a_published_case() {
    let mut files: Vec<String> = std::fs::read_dir(blind_dir())
        .expect("blind dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "cases.toml")
        .collect();
    files.sort();
    let mut named: Vec<String> = cases().into_iter().map(|c| c.file).collect();
    named.sort();
    assert_eq!(files, named, "vehicle files vs cases.toml");
    assert!(files.len() >= 3, "{files:?}");
}

/// Each blind file reads without warnings, flies to its published orbit with the largest payload,
/// and the payload is finite and positive. Prints published against predicted.
#[test]
fn blind_files_fly_to_their_published_orbits() {
    let sites = SiteCatalog::builtin().expect("sites");
    let mut rows = Vec::new();
    for case in cases() {
        let path = blind_dir().join(&case.file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (vehicle, warnings) = Vehicle::from_toml(&text, &case.file).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{}: {warnings:?}", case.file);
        let choice = sites.pad_for(&case.site, vehicle.family.as_deref()).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        assert!(choice.note.is_none(), "{}: {:?} (no pad of the site serves the family)", case.file, choice.note);
        let target =
            TargetOrbit { perigee_m: case.perigee_km * 1e3, apogee_m: case.apogee_km * 1e3, inclination_deg: case.inclination_deg };
        let solution = maximize_payload(&vehicle, choice.site, &target, Branch::Northbound, FlightOptions::default(), |_| {})
            .unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let orbit = &solution.orbit;
        let perigee_km = orbit.perigee_altitude_m() / 1e3;
        let apogee_km = orbit.apogee_altitude_m() / 1e3;
        let inclination_deg = orbit.inclination_rad.to_degrees();
        // The targeting tolerance of `payload` (docs: 1 km, 1 km, 0.05°).
        assert!((perigee_km - case.perigee_km).abs() < 1.0, "{}: perigee {perigee_km} km", case.file);
        assert!((apogee_km - case.apogee_km).abs() < 1.0, "{}: apogee {apogee_km} km", case.file);
        assert!((inclination_deg - case.inclination_deg).abs() < 0.05, "{}: inclination {inclination_deg}°", case.file);
        assert!(solution.payload_kg.is_finite() && solution.payload_kg > 0.0, "{}: payload {}", case.file, solution.payload_kg);
        assert!(solution.flight.loss_budget.closure_error_m_s().abs() < 1.0, "{}: budget", case.file);
        let error_percent = 100.0 * (solution.payload_kg - case.published_kg) / case.published_kg;
        rows.push((case.file.clone(), case.published_kg, solution.payload_kg, error_percent, case.orbit_published));
    }
    println!("blind files (written from public data as a new user would; not catalog vehicles, not tuned):");
    println!("{:<22} {:>10} {:>10} {:>8}  orbit", "file", "published", "predicted", "error %");
    for (file, published, predicted, error, orbit_published) in &rows {
        let orbit = if *orbit_published { "published" } else { "assumed" };
        println!("{file:<22} {published:>10.0} {predicted:>10.0} {error:>+8.1}  {orbit}");
    }
}
