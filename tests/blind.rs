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
use cosmodrome::validation::{parse_table, PublishedCase};
use cosmodrome::vehicle::{SiteCatalog, Vehicle};

fn blind_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/blind")
}

/// The cases, in the table format of `cosmodrome validate --table` (each `vehicle` a file of the
/// directory), read by the same parser.
fn cases() -> Vec<PublishedCase> {
    let text = std::fs::read_to_string(blind_dir().join("cases.toml")).expect("cases.toml");
    parse_table(&text, "tests/reference/blind/cases.toml").unwrap_or_else(|e| panic!("{e}"))
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
    let mut named: Vec<String> = cases().into_iter().map(|c| c.vehicle).collect();
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
        let file = &case.vehicle;
        let path = blind_dir().join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (vehicle, warnings) = Vehicle::from_toml(&text, file).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{}: {warnings:?}", file);
        let choice = sites.pad_for(&case.site, vehicle.family.as_deref()).unwrap_or_else(|e| panic!("{}: {e}", file));
        assert!(choice.note.is_none(), "{}: {:?} (no pad of the site serves the family)", file, choice.note);
        let case_inclination_deg = case.inclination_deg.expect("every blind case states its inclination");
        let target = TargetOrbit {
            perigee_m: case.perigee_km * 1e3,
            apogee_m: case.apogee_km * 1e3,
            inclination_deg: case_inclination_deg,
            argument_of_perigee_deg: None,
        };
        let solution = maximize_payload(&vehicle, choice.site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .unwrap_or_else(|e| panic!("{}: {e}", file));
        let orbit = &solution.orbit;
        let perigee_km = orbit.perigee_altitude_m() / 1e3;
        let apogee_km = orbit.apogee_altitude_m() / 1e3;
        let inclination_deg = orbit.inclination_rad.to_degrees();
        // The targeting tolerance of `payload` (docs: 1 km, 1 km, 0.05°).
        assert!((perigee_km - case.perigee_km).abs() < 1.0, "{}: perigee {perigee_km} km", file);
        assert!((apogee_km - case.apogee_km).abs() < 1.0, "{}: apogee {apogee_km} km", file);
        assert!((inclination_deg - case_inclination_deg).abs() < 0.05, "{}: inclination {inclination_deg}°", file);
        assert!(solution.payload_kg.is_finite() && solution.payload_kg > 0.0, "{}: payload {}", file, solution.payload_kg);
        assert!(solution.flight.loss_budget.closure_error_m_s().abs() < 1.0, "{}: budget", file);
        let error_percent = 100.0 * (solution.payload_kg - case.payload_kg) / case.payload_kg;
        rows.push((file.clone(), case.payload_kg, solution.payload_kg, error_percent, case.orbit_published));
    }
    println!("blind files (written from public data as a new user would; not catalog vehicles, not tuned):");
    println!("{:<22} {:>10} {:>10} {:>8}  orbit", "file", "published", "predicted", "error %");
    for (file, published, predicted, error, orbit_published) in &rows {
        let orbit = if *orbit_published { "published" } else { "assumed" };
        println!("{file:<22} {published:>10.0} {predicted:>10.0} {error:>+8.1}  {orbit}");
    }
}
