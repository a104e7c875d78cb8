//! The JSON outputs of the commands against the schemas shipped in `docs/schema/`, checked by an
//! independent validator: the `jsonschema` package from PyPI (`tests/python/check_schema.py`,
//! run through the workspace's `harness.rs`, so it skips without Python unless
//! `COSMODROME_REQUIRE_PYTHON=1`, as in CI). The outputs are real runs of the binary.

use std::path::{Path, PathBuf};

use crate::interop::harness::{python_with, run_check, script};

/// The shipped schema of a report.
fn schema(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema").join(format!("{name}.schema.json"));
    assert!(path.is_file(), "{} missing", path.display());
    path
}

/// Run the command, check it succeeds with one JSON object of the format, and keep its output
/// in `dir` as `file`.
fn json_output(dir: &Path, file: &str, args: &[&str], format: &str) -> PathBuf {
    let o = crate::run(args);
    assert!(o.status.success(), "{args:?}: {}", crate::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?} is not one JSON object: {e}"));
    assert_eq!(v["format"], format, "{args:?}");
    let path = dir.join(file);
    std::fs::write(&path, &o.stdout).expect("write the output");
    path
}

/// Validate outputs against a schema with the independent validator.
fn validate(name: &str, outputs: &[PathBuf], test: &str) {
    let Some(python) = python_with("jsonschema", "jsonschema", test) else { return };
    let schema = schema(name);
    let mut args = vec![script("check_schema.py").to_str().unwrap().to_owned(), schema.to_str().unwrap().to_owned()];
    args.extend(outputs.iter().map(|p| p.to_str().unwrap().to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_check(&python, &args);
}

/// `payload --json`: the case (Angara-A5 from Vostochny), a retrograde orbit and an
/// ascent shaped to designated drop zones (the optional `drop_zones` member), and Electron's
/// trade factors (the optional `trade_factors` member).
#[test]
fn payload_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let format = "cosmodrome-payload/1";
    let outputs = [
        json_output(dir.path(), "angara-a5.json", &["payload", "angara-a5", "--json"], format),
        json_output(dir.path(), "soyuz-sso.json", &["payload", "soyuz-2.1b", "--inclination-deg", "97.5", "--json"], format),
        json_output(
            dir.path(),
            "soyuz-zones.json",
            &["payload", "soyuz-2.1b", "--site", "baikonur", "--inclination-deg", "51.6", "--drop-zones", "baikonur-iss", "--json"],
            format,
        ),
        json_output(dir.path(), "electron-trade.json", &["payload", "electron", "--site", "mahia", "--trade-factors", "--json"], format),
    ];
    validate("payload", &outputs, "payload_json_validates_against_its_schema");
}

/// `payload --orbit … --json` through a parking orbit: a GSO with a dropped tank, an escape
/// (no bound orbit) and Soyuz-2.1b/Fregat-MT's GTO with its trade factors (the optional
/// `trade_factors` member).
#[test]
fn transfer_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let format = "cosmodrome-transfer/1";
    let outputs = [
        json_output(dir.path(), "gso.json", &["payload", "angara-a5-briz-m", "--orbit", "gso", "--json"], format),
        json_output(dir.path(), "escape.json", &["payload", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "5", "--json"], format),
        json_output(
            dir.path(),
            "gto-trade.json",
            &["payload", "soyuz-2.1b-fregat", "--site", "baikonur", "--orbit", "gto", "--trade-factors", "--json"],
            format,
        ),
    ];
    validate("transfer", &outputs, "transfer_json_validates_against_its_schema");
}

/// `dropzones --json`: the optimized ascent with designated zones (the optional
/// `designated_zones` member), the targeted ascent of a given payload, a mission through a
/// parking orbit (the optional `transfer` member) and an escape (no `target`, `transfer.escape`).
#[test]
fn dropzones_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let format = "cosmodrome-dropzones/1";
    let outputs = [
        json_output(
            dir.path(),
            "soyuz-zones.json",
            &[
                "dropzones",
                "soyuz-2.1b",
                "--site",
                "baikonur",
                "--inclination-deg",
                "51.6",
                "--drop-zones",
                "baikonur-iss",
                "--samples",
                "20",
                "--json",
            ],
            format,
        ),
        json_output(
            dir.path(),
            "angara-targeted.json",
            &["dropzones", "angara-a5", "--payload-kg", "20000", "--samples", "20", "--json"],
            format,
        ),
        json_output(
            dir.path(),
            "fregat-gso.json",
            &[
                "dropzones",
                "soyuz-2.1b-fregat",
                "--site",
                "baikonur",
                "--orbit",
                "gso",
                "--drop-zones",
                "baikonur-iss",
                "--samples",
                "10",
                "--json",
            ],
            format,
        ),
        json_output(
            dir.path(),
            "briz-escape.json",
            &["dropzones", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "5", "--samples", "10", "--json"],
            format,
        ),
    ];
    validate("dropzones", &outputs, "dropzones_json_validates_against_its_schema");
}

/// `fly --json` (the targeted ascent into an orbit, an open-loop flight that comes down: the
/// `suborbital` ending, and a solid last stage's energy-management weave), and `events.json` of
/// `fly --out`, the same report.
#[test]
fn flight_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let format = "cosmodrome-flight/1";
    let out = dir.path().join("run");
    let mut outputs = vec![
        json_output(
            dir.path(),
            "angara-orbit.json",
            &["fly", "angara-a5", "--payload-kg", "20000", "--json", "--no-plots", "--out", out.to_str().unwrap()],
            format,
        ),
        json_output(
            dir.path(),
            "soyuz-lob.json",
            &["fly", "soyuz-2.1b", "--payload-kg", "7000", "--open-loop", "--pitch-kick-deg", "30", "--json"],
            format,
        ),
    ];
    let events = std::fs::read(out.join("events.json")).expect("events.json");
    assert_eq!(events, std::fs::read(&outputs[0]).unwrap(), "events.json is the report fly --json prints");
    let lob: serde_json::Value = serde_json::from_slice(&std::fs::read(&outputs[1]).unwrap()).unwrap();
    assert_eq!(lob["ending"]["outcome"], "suborbital", "{}", lob["ending"]);
    outputs.push(out.join("events.json"));
    // A solid last stage weaving off a light payload's surplus (the optional `energy_weave_deg`).
    let solid_upper = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-upper.toml");
    let weave = [
        "fly",
        solid_upper.to_str().unwrap(),
        "--site",
        "cape-canaveral",
        "--altitude-km",
        "250",
        "--inclination-deg",
        "51.6",
        "--payload-kg",
        "3000",
        "--json",
    ];
    outputs.push(json_output(dir.path(), "solid-upper-weave.json", &weave, format));
    validate("flight", &outputs, "flight_json_validates_against_its_schema");
}

/// `info --json` of a vehicle with a vacuum-only upper stage and of one with a payload.
#[test]
fn info_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let format = "cosmodrome-info/1";
    let outputs = [
        json_output(dir.path(), "soyuz.json", &["info", "soyuz-2.1b", "--json"], format),
        json_output(dir.path(), "saturn.json", &["info", "saturn-v", "--payload-kg", "45000", "--json"], format),
    ];
    validate("info", &outputs, "info_json_validates_against_its_schema");
}

/// `validate --json`: every published case and the flown flights.
#[test]
fn validate_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = [json_output(dir.path(), "validate.json", &["validate", "--json"], "cosmodrome-validate/1")];
    validate("validate", &outputs, "validate_json_validates_against_its_schema");
}

/// `propellant --json` at one mixture ratio (shifting, and frozen with a flow-separation warning
/// at sea level) and over a sweep, one with points that do not converge (the optional `failed`).
#[test]
fn propellant_json_validates_against_its_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let common = ["propellant", "--oxidizer", "LOX", "--fuel", "RP-1", "--chamber-pressure-bar", "100"];
    let with = |extra: &[&'static str]| -> Vec<&str> { common.iter().copied().chain(extra.iter().copied()).collect() };
    let points = [
        json_output(
            dir.path(),
            "point.json",
            &with(&["--mixture-ratio", "2.6", "--expansion-ratio", "40", "--json"]),
            "cosmodrome-propellant/1",
        ),
        json_output(
            dir.path(),
            "frozen.json",
            &with(&["--mixture-ratio", "2.4", "--expansion-ratio", "200", "--frozen", "--json"]),
            "cosmodrome-propellant/1",
        ),
    ];
    validate("propellant", &points, "propellant_json_validates_against_its_schemas");
    let sweep = [
        json_output(
            dir.path(),
            "sweep.json",
            &with(&["--mixture-ratio", "2.0:3.0:0.25", "--expansion-ratio", "40", "--json"]),
            "cosmodrome-propellant-sweep/1",
        ),
        // Points that do not converge (O/F above about 50) are listed in `failed`.
        json_output(
            dir.path(),
            "sweep-failed.json",
            &with(&["--mixture-ratio", "40:60:10", "--expansion-ratio", "40", "--json"]),
            "cosmodrome-propellant-sweep/1",
        ),
    ];
    validate("propellant-sweep", &sweep, "propellant_json_validates_against_its_schemas");
}

/// `sweep --json` over the orbit (a point outside the pad's corridors among them) and over a
/// vehicle-file value.
#[test]
fn sweep_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let grid = ["sweep", "soyuz-2.1b", "--altitude-km", "200", "--inclination-deg", "51.9,30", "--json"];
    let vary = ["sweep", "angara-a5", "--inclination-deg", "63", "--vary", "stage.URM-2.dry_mass_kg=4000,400000", "--json"];
    let outputs = [
        json_output(dir.path(), "grid.json", &grid, "cosmodrome-sweep/1"),
        json_output(dir.path(), "vary.json", &vary, "cosmodrome-sweep/1"),
    ];
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&outputs[1]).unwrap()).unwrap();
    assert_eq!(report["parameter"], "stage.URM-2.dry_mass_kg");
    let status: Vec<&str> = report["points"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["ok", "unreachable"], "{report}");
    validate("sweep", &outputs, "sweep_json_validates_against_its_schema");
}

/// The error report of a failed `--json` run: an orbit out of reach (no location), a vehicle
/// file with an unknown key (file, line and key), an unknown site, and a failure of the command
/// line's own (flags that do not go together).
#[test]
fn error_json_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let vehicle = dir.path().join("bad.toml");
    std::fs::write(&vehicle, "format = 1\nname = \"Bad\"\nstages = 2\n").unwrap();
    let cases: [&[&str]; 4] = [
        &["payload", "electron", "--perigee-km", "20000", "--json"],
        &["payload", vehicle.to_str().unwrap(), "--json"],
        &["payload", "soyuz-2.1b", "--site", "baikonu", "--json"],
        &["fly", "soyuz-2.1b", "--payload-kg", "7000", "--open-loop", "--argument-of-perigee-deg", "90", "--json"],
    ];
    let outputs: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, args)| {
            let (o, _) = crate::json_errors::failed_json(args);
            let path = dir.path().join(format!("error-{i}.json"));
            std::fs::write(&path, &o.stdout).expect("write the output");
            path
        })
        .collect();
    let file_error: serde_json::Value = serde_json::from_slice(&std::fs::read(&outputs[1]).unwrap()).unwrap();
    assert_eq!(
        (file_error["location"]["line"].as_u64(), file_error["location"]["key"].as_str()),
        (Some(3), Some("stages")),
        "{file_error}"
    );
    validate("error", &outputs, "error_json_validates_against_its_schema");
}
