//! The `cosmodrome` binary end to end: listings, info, fly with files, and bad input that
//! must give a clear message and a non-zero exit — never a panic. Every test that runs the binary
//! lives in this one test binary (the drop-zone commands and the interoperability check of
//! `dropzones --format parquet` in its modules); cargo builds the binary for it, with the features
//! of the same build, so nothing is compiled twice.

mod docs_commands;
mod dropzones;
mod iip;
mod interop;
mod json_errors;
mod reproducers;
mod schema;
mod sweep;
mod transfer;

use std::process::{Command, Output};

/// A site file of a pad the catalog lacks: Wallops LP-0A, whose corridors (38–130°) reach no
/// sun-synchronous orbit without a dogleg.
pub(crate) const WALLOPS_PAD: &str = "format = 1\n\n[[site]]\nid = \"wallops-0a\"\ncosmodrome = \"wallops\"\n\
    name = \"Wallops LP-0A\"\nlatitude_deg = 37.8338\nlongitude_deg = -75.4881\naltitude_m = 0.0\nsource = \"test\"\n\
    corridors = [{ azimuth_min_deg = 38.0, azimuth_max_deg = 130.0 }]\n";

/// Path of the `cosmodrome` binary cargo built for these tests.
pub(crate) const BINARY: &str = env!("CARGO_BIN_EXE_cosmodrome");

pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(BINARY).args(args).output().expect("run cosmodrome")
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failure with a message and no panic.
pub(crate) fn assert_clean_failure(o: &Output, needles: &[&str]) {
    assert!(!o.status.success(), "expected failure, got success:\n{}", stdout(o));
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic: {err}");
    for n in needles {
        assert!(err.contains(n), "message lacks {n:?}: {err}");
    }
}

#[test]
fn vehicles_and_sites_list_the_catalog() {
    let o = run(&["vehicles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for id in cosmodrome::vehicle::catalog_ids() {
        assert!(stdout(&o).contains(id), "{id} missing");
    }
    let o = run(&["sites"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for id in ["vostochny", "baikonur", "plesetsk", "kourou", "cape-canaveral", "vandenberg"] {
        assert!(stdout(&o).contains(id), "{id} missing");
    }
}

/// A plane change flown in the air past the pad's corridors (Wallops' 38–130° to a 98° orbit, an
/// 84° dogleg) is said: a warning on stderr and a note in the report, with its degrees and the
/// steering loss; the pad's own lowest inclination flies without one.
#[test]
fn a_large_dogleg_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wallops.toml");
    std::fs::write(&file, WALLOPS_PAD).unwrap();
    let path = file.to_str().unwrap();
    let o = run(&["payload", "soyuz-2.1b", "--site", path, "--inclination-deg", "98", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dogleg = report["dogleg_deg"].as_f64().expect("a dogleg").abs();
    assert!(dogleg > cosmodrome::mission::LARGE_DOGLEG_DEG, "{report}");
    let note = report["notes"]
        .as_array()
        .and_then(|n| n.iter().find_map(|n| n.as_str().filter(|n| n.starts_with("large dogleg"))))
        .expect("noted");
    assert!(note.contains(&format!("{dogleg:.1}°")) && note.contains(" m/s of the loss budget"), "{note}");
    assert!(stderr(&o).contains(&format!("warning: {note}")), "{}", stderr(&o));
    let o = run(&["payload", "soyuz-2.1b", "--site", path, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("dogleg") && !stdout(&o).contains("large dogleg"), "{}", stderr(&o));
    // `fly` says it too.
    let payload = format!("{}", (report["payload_kg"].as_f64().unwrap() * 0.9).floor());
    let o = run(&["fly", "soyuz-2.1b", "--site", path, "--inclination-deg", "98", "--payload-kg", &payload]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: large dogleg: the ascent turns its plane"), "{}", stderr(&o));
}

#[test]
fn a_site_file_names_a_pad_the_catalog_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wallops.toml");
    std::fs::write(&file, WALLOPS_PAD).unwrap();
    let path = file.to_str().unwrap();
    let o = run(&["payload", "soyuz-2.1b", "--site", path, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["site"], "wallops-0a", "{report}");
    // Flown from 37.8° N: the lowest inclination is the pad's latitude, not Vostochny's 51.9°.
    let inclination = report["orbit"]["inclination_deg"].as_f64().unwrap();
    assert!((37.8..38.5).contains(&inclination), "{inclination}");
    assert!(report["payload_kg"].as_f64().unwrap() > 8_000.0, "{report}");
    // A missing file, and a file with a key missing, are named.
    let o = run(&["payload", "soyuz-2.1b", "--site", "no-such-pad.toml"]);
    assert!(!o.status.success() && stderr(&o).contains("site file not found: no-such-pad.toml"), "{}", stderr(&o));
    std::fs::write(&file, "format = 1\n[[site]]\nid = \"x\"\n").unwrap();
    let o = run(&["payload", "soyuz-2.1b", "--site", path]);
    assert!(!o.status.success() && stderr(&o).contains("wallops.toml:2") && stderr(&o).contains("cosmodrome"), "{}", stderr(&o));
}

#[test]
fn info_gives_the_propulsion_budget() {
    let o = run(&["info", "soyuz-2.1b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("total ideal Δv"), "{out}");
    assert!(out.contains("T/W at ign."), "{out}");
    assert!(!out.contains("coast before"), "{out}");
    // A coast the ascent chooses is said, with its range.
    let vehicle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-coast.toml");
    let o = run(&["info", vehicle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("coast before Stage 2: chosen by the ascent in 20.0–300.0 s"), "{}", stdout(&o));
}

/// The ISS's plane from Vostochny, below the pad's latitude: `payload`, `fly` and `dropzones`
/// dogleg into it from due east and say so; a plane the turn cannot reach is refused saying why.
#[test]
fn a_plane_below_the_latitude_is_flown_by_a_dogleg_and_said() {
    for command in [&["payload", "soyuz-2.1b"][..], &["fly", "soyuz-2.1b", "--payload-kg", "8000"]] {
        let o = run(&[command, &["--altitude-km", "200", "--inclination-deg", "51.6"]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("azimuth 90.000°") && out.contains("out of the air (a dogleg)"), "{out}");
    }
    // The report gives the turn; an ascent in its launch plane has none.
    let dogleg = |inclination_deg: &str| {
        let o = run(&["payload", "soyuz-2.1b", "--altitude-km", "200", "--inclination-deg", inclination_deg, "--json"]);
        let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        report.get("dogleg_deg").map(|d| d.as_f64().expect("degrees"))
    };
    assert!(dogleg("51.6").is_some_and(|d| d != 0.0 && d.abs() < 10.0), "{:?}", dogleg("51.6"));
    assert_eq!(dogleg("51.9"), None);
    // The drop zones of that ascent, with its payload given, too (refused before any flight).
    let o =
        run(&["dropzones", "soyuz-2.1b", "--altitude-km", "200", "--inclination-deg", "51.6", "--payload-kg", "8000", "--samples", "5"]);
    assert!(o.status.success() && stdout(&o).contains("azimuth 90.00°"), "{}{}", stdout(&o), stderr(&o));
    let o = run(&["payload", "soyuz-2.1b", "--altitude-km", "200", "--inclination-deg", "50.0"]);
    assert_clean_failure(&o, &["inclined less than a launch from the site's latitude reaches (51.884°)", "° off"]);
}

/// A parking orbit's ascent that doglegs says so too: PSLV-XL's named GTO from Sriharikota, its
/// 43.8° parking orbit flown from the edge of the site's azimuth corridor, gives the turn in its
/// text and in the transfer report.
#[test]
fn a_parking_orbits_dogleg_is_said_in_the_transfer_report() {
    let args = ["payload", "pslv-xl", "--site", "sriharikota", "--orbit", "gto"];
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("out of the air (a dogleg)"), "{}", stdout(&o));
    let o = run(&[&args[..], &["--json"]].concat());
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(report["format"], "cosmodrome-transfer/1", "{report}");
    let turn_deg = report["dogleg_deg"].as_f64().expect("the turn");
    assert!(turn_deg.abs() > 1.0 && turn_deg.abs() < 30.0, "{turn_deg}");
}

/// Zenit-2's RD-8 burns on after the RD-120: `info` says so, and `payload` to 600 km gives the
/// time the optimizer cut the RD-120 off, in its text and its JSON, before the insertion.
#[test]
fn a_burn_on_steering_engine_is_shown_and_its_main_engine_cutoff_reported() {
    let o = run(&["info", "zenit-2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("1 × RD-8 burn on alone (per unit): 78.5 kN vacuum, Isp –/342.0 s"), "{out}");
    let orbit = ["--site", "baikonur", "--perigee-km", "600", "--apogee-km", "600", "--inclination-deg", "99.64"];
    let o = run(&[&["payload", "zenit-2"][..], &orbit].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("main engines of the last stage cut off at"), "{}", stdout(&o));
    let o = run(&[&["payload", "zenit-2", "--json"][..], &orbit].concat());
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let cutoff_s = report["main_engine_cutoff_s"].as_f64().expect("main_engine_cutoff_s");
    assert!(cutoff_s > 131.0 && cutoff_s < report["insertion_time_s"].as_f64().unwrap() - 100.0, "{report}");
    // `fly` with a payload the all-engine ascent cannot carry there cuts the RD-120 off too.
    let o = run(&[&["fly", "zenit-2", "--payload-kg", "5000"][..], &orbit].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("main engines of the last stage cut off at") && out.contains("RD-8 burning on"), "{out}");
    // The sweep gives the same cutoff for the same point.
    let o = run(&["sweep", "zenit-2", "--site", "baikonur", "--altitude-km", "600", "--inclination-deg", "99.64", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sweep: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let point = &sweep["points"][0];
    assert!((point["payload_kg"].as_f64().unwrap() - report["payload_kg"].as_f64().unwrap()).abs() < 0.1, "{point}");
    assert_eq!(point["warm_started"], false, "a single point has no neighbour to start from: {point}");
    assert!((point["main_engine_cutoff_s"].as_f64().expect("cutoff") - cutoff_s).abs() < 1e-3, "{point}");
    // A vehicle without burn-on engines has no such field.
    let o = run(&["payload", "soyuz-2.1b", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(report.get("main_engine_cutoff_s").is_none());
}

#[test]
fn fly_angara_a5_writes_trajectory_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let o = run(&["fly", "angara-a5", "--payload-kg", "20000", "--out", out_dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let booster = out.find("separation of URM-1 booster").expect("booster separation printed");
    let core = out.find("separation of URM-1 core").expect("core separation printed");
    let urm2 = out.find("ignition of URM-2").expect("URM-2 ignition printed");
    assert!(booster < core && core < urm2, "{out}");
    // A coast's drag deceleration rounding to zero reads 0.00 g, not -0.00.
    assert!(!out.contains(" -0.00"), "{out}");
    let csv = std::fs::read_to_string(out_dir.join("trajectory.csv")).unwrap();
    assert!(csv.starts_with("time_s,altitude_m,latitude_deg,longitude_deg,speed_m_s,air_speed_m_s,flight_path_angle_deg,mass_kg,thrust_n,dynamic_pressure_pa,mach,axial_accel_g,stage,iip_latitude_deg,iip_longitude_deg,iip_downrange_km\n"));
    let events: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out_dir.join("events.json")).unwrap()).unwrap();
    assert_eq!(events["vehicle_id"], "angara-a5");
    assert!(events["jettisoned"].as_array().unwrap().len() >= 3);
    for name in ["trajectory.oem", "profile.png", "profile.svg", "ground_track.png", "ground_track.svg", "report.html"] {
        assert!(out_dir.join(name).is_file(), "{name} missing");
    }
    assert!(!out_dir.join("trajectory.parquet").exists(), "parquet only when asked");
    let oem = std::fs::read_to_string(out_dir.join("trajectory.oem")).unwrap();
    assert!(oem.contains("\nSTART_TIME = 2026-01-01T00:00:00.000000\n"), "default launch epoch");
}

#[test]
fn fly_output_flags_choose_the_files_and_the_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("run");
    let o = run(&[
        "fly",
        "soyuz-2.1b",
        "--payload-kg",
        "7000",
        "--out",
        out_dir.to_str().unwrap(),
        "--no-plots",
        "--format",
        "parquet",
        "--launch-utc",
        "2026-12-31T23:58:00Z",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out_dir.join("trajectory.parquet").is_file() && out_dir.join("report.html").is_file());
    assert!(!out_dir.join("profile.png").exists() && !out_dir.join("ground_track.svg").exists());
    let oem = std::fs::read_to_string(out_dir.join("trajectory.oem")).unwrap();
    assert!(oem.contains("\nSTART_TIME = 2026-12-31T23:58:00.000000\n"), "launch epoch");
    // The ascent runs past midnight into the new year.
    assert!(oem.contains("\n2027-01-01T00:0"), "epochs roll over the year");
}

#[test]
fn bad_input_fails_cleanly() {
    assert_clean_failure(&run(&["fly", "angara-a7", "--payload-kg", "1000"]), &["angara-a7", "angara-a5", "soyuz-2.1b"]);
    assert_clean_failure(&run(&["fly", "angara-a5", "--payload-kg", "1000", "--site", "moon"]), &["moon", "cosmodromes: vostochny"]);
    assert_clean_failure(&run(&["fly", "angara-a5", "--payload-kg", "-5"]), &["payload"]);
    assert_clean_failure(&run(&["fly", "angara-a5", "--payload-kg", "1000", "--inclination-deg", "45"]), &["45"]);
    assert_clean_failure(&run(&["fly", "angara-a5", "--payload-kg", "1000", "--inclination-deg", "60"]), &["60"]);
    assert_clean_failure(&run(&["fly", "soyuz-2.1b", "--payload-kg", "400000"]), &["cannot lift off", "thrust-to-weight"]);
    assert_clean_failure(&run(&["info", "angara-a5", "--payload-kg", "nan"]), &["payload"]);
    // Metres that overflowed are said as the bound they passed, not as `inf`.
    let o = run(&["fly", "soyuz-2.1b", "--payload-kg", "5000", "--open-loop", "--perigee-km", "1e308"]);
    assert_clean_failure(&o, &["invalid perigee: must be a finite altitude ≥ 0 km, got over 2e305 km"]);
    // An azimuth is a bearing, not a count of turns: 405 is refused, not flown as 45°.
    let o = run(&["fly", "soyuz-2.1b", "--payload-kg", "5000", "--open-loop", "--azimuth-deg", "405"]);
    assert_clean_failure(&o, &["azimuth", "must be a bearing from −360° to 360°, got 405°"]);
    // A mistyped exponent: refused in a line, not in 300 digits.
    for command in ["info", "fly"] {
        let o = run(&[command, "soyuz-2.1b", "--payload-kg", "1e300"]);
        assert_clean_failure(&o, &["invalid payload: must be a finite mass from 0 to 10000000 kg, got 1e300 kg"]);
        assert!(stderr(&o).len() < 200, "{}", stderr(&o));
    }
    assert_clean_failure(
        &run(&["fly", "angara-a5", "--payload-kg", "1000", "--launch-utc", "2026-02-30T00:00:00Z"]),
        &["--launch-utc", "2026-02-30"],
    );
    assert_clean_failure(&run(&["fly", "angara-a5", "--payload-kg", "1000", "--format", "xlsx"]), &["xlsx"]);
}

#[test]
fn a_missing_vehicle_file_or_misspelt_id_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("my-rocket.toml");
    let missing = missing.to_str().unwrap();
    let o = run(&["fly", missing, "--payload-kg", "500"]);
    assert_clean_failure(&o, &[&format!("vehicle file not found: {missing}")]);
    assert!(!stderr(&o).contains("unknown vehicle"), "{}", stderr(&o));
    assert_clean_failure(&run(&["info", "rocket.toml"]), &["vehicle file not found: rocket.toml"]);
    assert_clean_failure(&run(&["payload", "vehicles/angara"]), &["vehicle file not found: vehicles/angara"]);
    // A catalog vehicle's file name typed for its id is pointed to the id.
    assert_clean_failure(
        &run(&["info", "angara-a5.toml"]),
        &["vehicle file not found: angara-a5.toml; did you mean the catalog vehicle `angara-a5`?"],
    );
    assert_clean_failure(
        &run(&["fly", "angara-a7", "--payload-kg", "1000"]),
        &[
            "unknown vehicle `angara-a7`; did you mean `angara-a5`?",
            "catalog vehicles: angara-1.2, angara-a5, angara-a5-briz-m, angara-a5-dm03, ariane-5-eca, ariane-62, ariane-64,",
        ],
    );
    assert_clean_failure(&run(&["info", "soyuz-2.1"]), &["did you mean `soyuz-2.1a`, `soyuz-2.1b` or `soyuz-2.1v`?"]);
    // A long argument is quoted back cut short.
    let long = "x".repeat(5000);
    let o = run(&["info", &long]);
    assert_clean_failure(&o, &["unknown vehicle", "5000 characters"]);
    // The message is the cut argument and the catalog list (20 ids), not the 5000 characters.
    assert!(stderr(&o).len() < 600, "{}", stderr(&o));
}

#[test]
fn a_misspelt_site_gets_a_suggestion_and_the_cosmodromes() {
    let o = run(&["fly", "angara-a5", "--payload-kg", "1000", "--site", "plesetk"]);
    assert_clean_failure(
        &o,
        &["unknown site `plesetk`; did you mean `plesetsk`?", "cosmodromes: vostochny, baikonur, plesetsk", "`cosmodrome sites`"],
    );
    let err = stderr(&o);
    assert!(!err.contains("plesetsk-43-4") && err.len() < 300, "{} characters: {err}", err.len());
    let o = run(&["payload", "soyuz-2.1b", "--site", "plesetsk-43/4"]);
    assert_clean_failure(&o, &["did you mean `plesetsk-43-4`?"]);
}

#[test]
fn a_vehicle_flies_from_its_familys_pad() {
    let first_line = |args: &[&str]| {
        let o = run(args);
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o).lines().next().unwrap_or_default().to_owned(), stderr(&o))
    };
    let (angara, note) =
        first_line(&["fly", "angara-a5", "--payload-kg", "20000", "--site", "plesetsk", "--open-loop", "--pitch-kick-deg", "1"]);
    assert!(angara.contains("from plesetsk-35-1"), "{angara}");
    assert!(!note.contains("note:"), "{note}");
    let (angara, _) =
        first_line(&["fly", "angara-1.2", "--payload-kg", "1000", "--site", "vostochny", "--open-loop", "--pitch-kick-deg", "1"]);
    assert!(angara.contains("from vostochny-1a"), "{angara}");
    let (soyuz, _) =
        first_line(&["fly", "soyuz-2.1b", "--payload-kg", "5000", "--site", "vostochny", "--open-loop", "--pitch-kick-deg", "1"]);
    assert!(soyuz.contains("from vostochny-1s"), "{soyuz}");
    // No Angara pad at Baikonur: the cosmodrome's default pad, and a note (not an error).
    let (angara, note) =
        first_line(&["fly", "angara-a5", "--payload-kg", "20000", "--site", "baikonur", "--open-loop", "--pitch-kick-deg", "1"]);
    assert!(angara.contains("from baikonur-31-6"), "{angara}");
    assert!(note.contains("note: no pad of baikonur serves the Angara family"), "{note}");
    // A vehicle file without a family flies from the cosmodrome's first pad.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-family.toml");
    std::fs::write(&path, cosmodrome::vehicle::catalog_vehicle("angara-a5").unwrap().replace("family = \"Angara\"\n", "")).unwrap();
    let (own, _) =
        first_line(&["fly", path.to_str().unwrap(), "--payload-kg", "20000", "--site", "plesetsk", "--open-loop", "--pitch-kick-deg", "1"]);
    assert!(own.contains("from plesetsk-43-4"), "{own}");
    // `sites` shows the families.
    let o = run(&["sites"]);
    let listing = stdout(&o);
    let line = listing.lines().find(|l| l.starts_with("vostochny-1a")).expect("vostochny-1a listed");
    assert!(listing.contains("families") && line.contains("Angara"), "{listing}");
}

#[test]
fn a_misspelt_key_names_file_line_key_and_the_key_meant() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.toml");
    let text = cosmodrome::vehicle::catalog_vehicle("soyuz-2.1b").unwrap();
    let line = text.lines().position(|l| l.starts_with("residual_mass_kg")).expect("a residual") + 1;
    std::fs::write(&path, text.replacen("residual_mass_kg", "residual_mas_kg", 1)).unwrap();
    let o = run(&["info", path.to_str().unwrap()]);
    assert_clean_failure(&o, &[&format!("typo.toml:{line}: key `stage[1].residual_mas_kg`"), "did you mean `residual_mass_kg`?"]);
    let zones = dir.path().join("zones.toml");
    std::fs::write(&zones, "format = 1\nname = \"x\"\n[[zone]]\nname = \"Z\"\nstage = \"booster\"\nlatitude_deg = 47.0\nlongitude_deg = 67.0\nradius_kn = 50.0\nsource = \"s\"\n").unwrap();
    let o = run(&["payload", "soyuz-2.1b", "--site", "baikonur", "--drop-zones", zones.to_str().unwrap()]);
    assert_clean_failure(&o, &["zones.toml:8", "radius_kn", "did you mean `radius_km`?"]);
}

#[test]
fn a_vehicle_file_error_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "format = 1\nname = \"Bad\"\n[[engine]]\nid = \"E\"\npropellant = \"LOX/kerosene\"\nthrust_vac_kn = 100.0\nisp_vac_s = 300.0\n[[stage]]\nname = \"S\"\nengine = \"E\"\ndry_mass_kg = -5.0\npropellant_mass_kg = 1000.0\ndiameter_m = 1.0\n").unwrap();
    let o = run(&["fly", path.to_str().unwrap(), "--payload-kg", "10"]);
    assert_clean_failure(&o, &["bad.toml", ":11", "dry_mass_kg"]);
}

#[test]
fn payload_json_answers_with_the_orbit_inside_tolerance() {
    let o = run(&["payload", "angara-a5", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["vehicle"], "Angara-A5");
    assert_eq!(v["target"]["inclination_deg"], 51.9);
    let payload = v["payload_kg"].as_f64().expect("payload_kg");
    assert!(payload > 10_000.0 && payload < 40_000.0, "{payload}");
    assert!((v["orbit"]["perigee_km"].as_f64().unwrap() - 200.0).abs() <= 1.0, "{}", v["orbit"]);
    assert!((v["orbit"]["apogee_km"].as_f64().unwrap() - 200.0).abs() <= 1.0, "{}", v["orbit"]);
    assert!((v["orbit"]["inclination_deg"].as_f64().unwrap() - 51.9).abs() <= 0.05, "{}", v["orbit"]);
    assert!(v["max_q_kpa"].as_f64().unwrap() > 0.0 && v["max_accel_g"].as_f64().unwrap() > 0.0);
    let stages = v["stages"].as_array().expect("stages");
    assert!(!stages.is_empty());
    assert!(stages.iter().all(|s| s["separation"]["time_s"].as_f64().is_some()), "{stages:?}");
    // The separation altitude in km, the member the product contract names, agrees with the SI one.
    for s in stages {
        let (km, m) = (s["separation"]["altitude_km"].as_f64().expect("altitude_km"), s["separation"]["altitude_m"].as_f64().unwrap());
        assert!(km > 10.0 && (km * 1e3 - m).abs() <= 0.1, "{s}");
    }
    // Boosters and core come down, downrange of the pad, in order.
    let downrange: Vec<f64> = stages.iter().map(|s| s["impact"]["downrange_km"].as_f64().expect("impact")).collect();
    assert!(downrange.windows(2).all(|w| w[0] < w[1]) && downrange[0] > 100.0, "{downrange:?}");
    // One powered ascent ends in the orbit: no elliptic profile to report.
    assert!(v.get("elliptic_transfer").is_none(), "{}", v["elliptic_transfer"]);
    // The figure reported is rounded down, so it flies when given back; a tenth more is refused
    // naming the largest to the tenth (not "0 kg less").
    let text = format!("{payload}");
    let o = run(&["fly", "angara-a5", "--payload-kg", &text]);
    assert!(o.status.success(), "{text} kg: {}", stderr(&o));
    let over = format!("{:.1}", payload + 0.1);
    let o = run(&["fly", "angara-a5", "--payload-kg", &over]);
    assert!(!o.status.success() && stderr(&o).contains(&format!("the most it carries there is {payload:.1} kg")), "{}", stderr(&o));
}

/// `--altitude-km` (the sweep's flag) names a circular orbit to `payload`: the target's perigee
/// and apogee both at it.
#[test]
fn payload_takes_a_circular_altitude_as_sweep_does() {
    let o = run(&["payload", "soyuz-2.1b", "--altitude-km", "400", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["target"]["perigee_km"], 400.0, "{}", v["target"]);
    assert_eq!(v["target"]["apogee_km"], 400.0, "{}", v["target"]);
    assert!((v["orbit"]["perigee_km"].as_f64().unwrap() - 400.0).abs() <= 1.0, "{}", v["orbit"]);
}

/// Vega-C to a 600 km SSO carries the most by the elliptic profile, and the payload report
/// says so: the ellipse the ascent ends in (its apogee at the target's altitude, its perigee
/// well below), where on it the ascent cut off (AVUM+, burning long in the ascent, carries more
/// cut off up the ellipse than at its perigee), AVUM+'s two burns and the coast between them,
/// the second burn ending at the insertion; the text names the profile and the cutoff. (To its
/// 700 km SSO the mission through the 200 km parking orbit now carries 5 kg more.)
#[test]
fn a_payload_by_the_elliptic_profile_reports_its_ellipse_burns_and_coast() {
    let args = ["payload", "vega-c", "--site", "kourou", "--orbit", "sso", "--perigee-km", "600", "--apogee-km", "600"];
    let o = run(&[&args[..], &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let e = &v["elliptic_transfer"];
    let (perigee_km, apogee_km) = (e["ellipse"]["perigee_km"].as_f64().expect("ellipse"), e["ellipse"]["apogee_km"].as_f64().unwrap());
    assert!((apogee_km - 600.0).abs() < 100.0 && perigee_km < 500.0, "{e}");
    let cutoff_km = e["cutoff_height_km"].as_f64().expect("cutoff height");
    assert!(cutoff_km > 100.0 && cutoff_km < apogee_km - perigee_km, "{e}");
    let burns = e["burns"].as_array().expect("burns");
    let coasts = e["coasts"].as_array().expect("coasts");
    assert!(burns.len() == 2 && coasts.len() == 1, "{e}");
    let f = |x: &serde_json::Value, k: &str| x[k].as_f64().unwrap_or(f64::NAN);
    let first_end_s = f(&burns[0], "start_s") + f(&burns[0], "duration_s");
    assert!((f(&coasts[0], "start_s") - first_end_s).abs() < 0.05, "{e}");
    assert!((f(&burns[1], "start_s") - f(&coasts[0], "start_s") - f(&coasts[0], "duration_s")).abs() < 0.05, "{e}");
    let second_end_s = f(&burns[1], "start_s") + f(&burns[1], "duration_s");
    assert!((second_end_s - f(&v, "insertion_time_s")).abs() < 0.05, "{second_end_s} s, insertion {}", v["insertion_time_s"]);
    assert!(burns.iter().all(|b| f(b, "delta_v_m_s") > 0.0 && f(b, "propellant_kg") > 0.0), "{e}");
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("elliptic profile: the ascent ends in a"), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("cut off {cutoff_km:.0} km above its perigee")), "{}", stdout(&o));
}

/// Falcon 9 from Cape Canaveral to 500 km at 25°, below every plane an ascent from there reaches
/// (its second stage, rated for two burns, cannot fly the parking orbit's three): `payload`
/// answers by the elliptic profile from the 28.6° plane and says the circularization changes the
/// inclination by 3.6°; `fly` with a lighter payload says why it did not fly directly.
#[test]
fn a_plane_turned_at_the_apogee_is_reported_by_payload_and_fly() {
    let args = ["falcon-9-block-5", "--site", "cape-canaveral", "--perigee-km", "500", "--apogee-km", "500", "--inclination-deg", "25"];
    let o = run(&[&["payload"][..], &args, &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert!((v["elliptic_transfer"]["ellipse"]["inclination_deg"].as_f64().expect("ellipse") - 28.6).abs() < 1e-6, "{v}");
    assert!((v["orbit"]["inclination_deg"].as_f64().expect("orbit") - 25.0).abs() < 0.1, "{}", v["orbit"]);
    let payload_kg = v["payload_kg"].as_f64().expect("payload");
    let o = run(&[&["payload"][..], &args].concat());
    assert!(
        stdout(&o).contains("circularizes there, changing the inclination by 3.60° (no ascent reaches the target's plane)"),
        "{}",
        stdout(&o)
    );
    let light = format!("{:.0}", 0.8 * payload_kg);
    let o = run(&[&["fly"][..], &args, &["--payload-kg", &light]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("elliptic profile: no ascent reaches the target's plane; the last stage changes the inclination by 3.60°"),
        "{}",
        stdout(&o)
    );
}

/// Ariane 62 from Kourou to 400 km: the elliptic profile carries the most with the Vinci stage
/// offloaded (its 29,625 kg full are more than the orbit needs), the payload report gives that
/// load, and `fly` with a payload above the direct ascent's flies the same profile with the
/// same load, which its flight report gives too.
#[test]
fn the_elliptic_profile_reports_the_load_it_offloaded_and_fly_flies_it() {
    let args = ["--site", "kourou-ela4", "--perigee-km", "400", "--inclination-deg", "5.3"];
    let o = run(&[&["payload", "ariane-62"][..], &args, &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert!(v["elliptic_transfer"].is_object(), "{v}");
    let load_kg = v["upper_stage_load_kg"].as_f64().expect("the load");
    assert!(load_kg > 0.4 * 29_625.0 && load_kg < 0.8 * 29_625.0, "{load_kg} kg");
    let payload_kg = v["payload_kg"].as_f64().expect("payload");
    let given = format!("{:.0}", payload_kg - 300.0);
    let o = run(&[&["fly", "ariane-62"][..], &args, &["--payload-kg", &given]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("elliptic profile") && text.contains(&format!("upper stage offloaded to {load_kg:.0} kg")), "{text}");
    // The flight report says its masses are of the offloaded vehicle.
    let o = run(&[&["fly", "ariane-62"][..], &args, &["--payload-kg", &given, "--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let f: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(f["upper_stage_load_kg"].as_f64(), Some(load_kg), "{}", f["upper_stage_load_kg"]);
}

#[test]
fn payload_to_a_retrograde_orbit_and_its_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("run");
    let o = run(&["payload", "soyuz-2.1b", "--site", "vostochny", "--inclination-deg", "97.5", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("maximum payload"), "{}", stdout(&o));
    for file in ["trajectory.csv", "events.json", "payload.json", "trajectory.oem", "report.html", "ground_track.png", "profile.svg"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
}

#[test]
fn payload_out_of_reach_says_why() {
    let o = run(&["payload", "angara-1.2", "--perigee-km", "20000"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("m/s short"), "{}", stderr(&o));
    assert_clean_failure(&run(&["payload", "angara-a5", "--inclination-deg", "20"]), &["20", "lowest reachable"]);
    assert_clean_failure(&run(&["payload", "angara-a5", "--inclination-deg", "57"]), &["57", "corridors"]);
    // A vehicle too heavy to lift off even empty.
    let dir = tempfile::tempdir().expect("temp dir");
    let heavy = dir.path().join("heavy.toml");
    let text = cosmodrome::vehicle::catalog_vehicle("angara-1.2")
        .expect("catalog")
        .replace("propellant_mass_kg = 128800.0", "propellant_mass_kg = 300000.0");
    std::fs::write(&heavy, text).expect("write vehicle");
    assert_clean_failure(&run(&["payload", heavy.to_str().unwrap()]), &["cannot lift off", "thrust-to-weight"]);
}

/// A light payload whose solid stage would overshoot the orbit's energy: Vega-C's Zefiro 9 with
/// 1,000 kg to 200 km weaves the surplus off (energy management) before AVUM+ finishes the
/// ascent; where no weave can (the Antares-class test vehicle with 3,000 kg to 28.6°, 0.2° above
/// Cape Canaveral's latitude), the error says why (a motor cannot be shut down). Above 200 km,
/// where the elliptic profile applies, a light payload (1,100 kg to 1,500 km, the largest
/// 1,165 kg) is flown by that profile: the ascent to an ellipse, a coast, the circularization at
/// its apogee, in the printed report and in `events.json`'s timeline.
#[test]
fn a_light_payload_that_cannot_be_targeted_says_why() {
    let o = run(&["fly", "vega-c", "--site", "kourou", "--payload-kg", "1000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for needle in ["the last solid stage weaving ±", "outcome: orbit"] {
        assert!(stdout(&o).contains(needle), "`{needle}` missing from:\n{}", stdout(&o));
    }
    let solid_upper = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-upper.toml");
    let near_latitude = ["--site", "cape-canaveral", "--altitude-km", "250", "--inclination-deg", "28.6", "--payload-kg", "3000"];
    let mut args = vec!["fly", solid_upper.to_str().unwrap()];
    args.extend(near_latitude);
    assert_clean_failure(&run(&args), &["`Stage 2`", "cannot be shut down", "weaving 75°", "higher orbit"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = run(&["fly", "vega-c", "--site", "kourou", "--payload-kg", "1100", "--perigee-km", "1500", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in ["elliptic profile", "coast", "circularization burn", "burn 2 of AVUM+", "outcome: orbit"] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    let events: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("events.json")).unwrap()).unwrap();
    assert_eq!(events["outcome"], "orbit", "{}", events["outcome"]);
    let coasts = events["timeline"]["coasts"].as_array().expect("timeline.coasts");
    assert_eq!(coasts.len(), 1, "{coasts:?}");
    let burns = events["timeline"]["burns"].as_array().expect("timeline.burns");
    let last = burns.last().expect("burns");
    assert!(last["stage"] == "AVUM+" && last["burn"] == 2 && last["after_coast"] == true, "{last}");
}

/// A vehicle file whose upper stage restarts and cannot reach orbit is refused saying why, as a
/// stage that burns once is: the upper stage of the Atlas V 401-class test vehicle lit 3,000 s
/// after the first stage burns out (the stack, which cannot orbit on that stage, is back on the
/// ground first), or with a flight performance reserve of 99 % (its Δv short of the orbit's),
/// rather than with the elliptic profile's failure alone ("no elliptical orbit under … could be
/// flown"), which both files got whatever their fault.
#[test]
fn a_restartable_vehicle_short_of_orbit_is_refused_saying_why() {
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/restartable-upper.toml");
    let text = std::fs::read_to_string(reference).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let faulty = |name: &str, from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        let path = dir.path().join(name);
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let late = faulty("late.toml", "max_burns = 3\n", "max_burns = 3\nignition_delay_s = 3000.0\n");
    let reserved = faulty("reserved.toml", "[limits]", "[margins]\nflight_performance_reserve = 0.99\n\n[limits]");
    let low = ["--site", "cape-canaveral", "--altitude-km", "200", "--inclination-deg", "28.6"];
    for (file, needles) in [
        (&late, &["`Upper` ignites", "`ignition_delay_s` = 3000", "back on the ground"][..]),
        (&reserved, &["m/s short", "`margins.flight_performance_reserve` = 0.99", "`Upper`'s propellant unburned"][..]),
    ] {
        let o = run(&[&["payload", file.as_str()][..], &low].concat());
        let mut expected = vec!["Restartable upper cannot reach 200 × 200 km at 28.60° from cape-canaveral"];
        expected.extend(needles);
        assert_clean_failure(&o, &expected);
        assert!(!stderr(&o).contains("elliptical"), "{}", stderr(&o));
    }
}

/// Falcon 9 held to a 2 kPa max-Q cannot fly: at their least throttle its Merlins still push
/// the stack into thicker air, and `payload` said only that no ascent could be flown from the
/// built-in initial guess. `payload` and `fly` with a payload now name the limit, with what the
/// vehicle carries without it, and that figure is what `payload` finds for the file without the
/// limit (its direct ascent: at most the answer, which may be the elliptic profile's).
#[test]
fn a_max_q_limit_that_holds_the_vehicle_back_is_named() {
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/falcon-9-max-q-30.toml");
    let text = std::fs::read_to_string(reference).unwrap();
    assert_eq!(text.matches("\nmax_q_kpa = 30\n").count(), 1);
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let held = write("held.toml", text.replacen("\nmax_q_kpa = 30\n", "\nmax_q_kpa = 2.0\n", 1));
    let free = write("free.toml", text.replacen("\nmax_q_kpa = 30\n", "\n", 1));
    let named = ["the file's `[limits]` `max_q_kpa` = 2 holds the vehicle back", "for max-Q 2.0 kPa", "(the least they can)"];
    let o = run(&["payload", &held]);
    assert_clean_failure(&o, &named);
    let said = stderr(&o);
    let carried_kg: f64 = said
        .split("without it the direct ascent carries ")
        .nth(1)
        .and_then(|t| t.split(" kg").next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no payload without the limit in: {said}"));
    let o = run(&["fly", &held, "--payload-kg", "1000"]);
    assert_clean_failure(&o, &named);
    let o = run(&["payload", &free, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let free_kg = report["payload_kg"].as_f64().expect("payload_kg");
    assert!(carried_kg <= free_kg + 1.0 && carried_kg > 0.95 * free_kg, "{carried_kg} kg named, {free_kg} kg without the limit");
}

/// A solid last stage flown with a payload lighter than the most it carries weaves out of its
/// plane to burn off the energy it would otherwise leave (energy management): `fly` reaches the
/// orbit, prints the weave with the ascent, and its JSON report and `events.json` give it.
#[test]
fn a_solid_last_stage_weaves_off_a_light_payloads_surplus() {
    let vehicle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-upper.toml");
    let orbit = ["--site", "cape-canaveral", "--altitude-km", "250", "--inclination-deg", "51.6", "--payload-kg", "3000"];
    let mut args = vec!["fly", vehicle.to_str().unwrap()];
    args.extend(orbit);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in ["the last solid stage weaving ±", "energy management", "outcome: orbit"] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    args.extend(["--json", "--no-plots", "--out", out.to_str().unwrap()]);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let weave = report["energy_weave_deg"].as_f64().expect("energy_weave_deg");
    assert!(weave > 0.0 && weave <= 75.0, "{weave}");
    assert_eq!(report["outcome"], "orbit");
    let events: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("events.json")).unwrap()).unwrap();
    assert_eq!(events["energy_weave_deg"], report["energy_weave_deg"]);
}

#[test]
fn payload_shaped_to_designated_drop_zones() {
    let o = run(&["payload", "soyuz-2.1b", "--site", "baikonur", "--inclination-deg", "51.6", "--drop-zones", "baikonur-iss", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    let zones = v["drop_zones"]["zones"].as_array().expect("drop_zones.zones");
    assert_eq!(zones.len(), 1, "{zones:?}");
    assert_eq!(zones[0]["zone"], "Zhezkazgan");
    assert_eq!(zones[0]["inside"], true);
    let distance = zones[0]["nominal_distance_km"].as_f64().expect("distance");
    assert!(distance <= zones[0]["radius_km"].as_f64().unwrap(), "{distance}");
    // The booster impact in the stage list is the one the zone was checked against.
    let boosters = &v["stages"][0]["impact"];
    assert!((boosters["latitude_deg"].as_f64().unwrap() - 47.78).abs() < 1.0, "{boosters}");

    // Bad zone files fail before any flight, naming the file and the key.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zones.toml");
    let text = "format = 1\nname = \"x\"\n[[zone]]\nname = \"Z\"\nstage = \"booster\"\nlatitude_deg = 47.0\nlongitude_deg = 67.0\nradius_km = 0.0\nsource = \"s\"\n";
    std::fs::write(&path, text).unwrap();
    let zones_arg = path.to_str().unwrap();
    assert_clean_failure(
        &run(&["payload", "soyuz-2.1b", "--site", "baikonur", "--drop-zones", zones_arg]),
        &["zones.toml", ":8", "zone[1].radius_km"],
    );
    std::fs::write(&path, text.replace("radius_km = 0.0", "radius_km = 50.0")).unwrap();
    assert_clean_failure(
        &run(&["dropzones", "soyuz-2.1v", "--site", "baikonur", "--drop-zones", zones_arg]),
        &["zone[1].stage", "Soyuz-2.1v"],
    );
    assert_clean_failure(&run(&["payload", "soyuz-2.1b", "--drop-zones", "nowhere"]), &["--drop-zones", "baikonur-iss"]);
}

#[test]
fn validate_prints_predicted_against_published() {
    let o = run(&["validate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in ["published kg", "predicted kg", "error %", "soyuz-2.1b", "assumed", "published", "median |error|"] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    let o = run(&["validate", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let cases = v["cases"].as_array().expect("cases");
    // Every case is predicted, but for transfers of an upper stage the targeting may not yet
    // fly (docs/missions.md): those carry their reason.
    let upper = ["angara-a5-briz-m", "angara-a5-dm03", "soyuz-2.1a-fregat", "soyuz-2.1b-fregat"];
    for c in cases {
        let predicted = c["predicted_kg"].as_f64().is_some_and(|p| p > 0.0);
        let failed_with_reason = c["failure"].as_str().is_some_and(|f| !f.is_empty());
        let vehicle = c["vehicle"].as_str().unwrap_or_default();
        assert!(predicted || (failed_with_reason && upper.contains(&vehicle)), "{c}");
    }
    let predicted = cases.iter().filter(|c| c["predicted_kg"].is_f64()).count();
    assert_eq!(v["all"]["count"].as_u64(), Some(predicted as u64), "{}", v["all"]);
    assert!(v["fully_specified"]["count"].as_u64().is_some_and(|n| n >= 1), "{}", v["fully_specified"]);
    let rows = v["trajectories"].as_array().expect("trajectories");
    for event in ["S-IC OECO", "S-II ECO", "S-IVB first ECO"] {
        assert!(
            rows.iter().any(|r| r["flight"] == "AS-506" && r["event"] == event && r["quantity"] == "speed_m_s" && r["predicted"].is_f64()),
            "{event} missing from {rows:?}"
        );
    }
    // The second flown flight, PSLV-C52, is reported beside AS-506.
    assert!(rows.iter().any(|r| r["flight"] == "PSLV-C52" && r["event"] == "PS1 separation" && r["predicted"].is_f64()), "{rows:?}");
    // And the third, Ariane 5 V176, with its upper stage's shutdown state.
    assert!(rows.iter().any(|r| r["flight"] == "V176" && r["event"] == "ESC-A shutdown" && r["predicted"].is_f64()), "{rows:?}");
    assert!(text.contains("flown trajectories") && text.contains("S-IVB first ECO"), "{text}");
    assert!(text.contains("PSLV-C52") && text.contains("tests/reference/pslv-c52-events.toml"), "{text}");
}

/// A user's table names vehicle files beside catalog ids, with paths relative to the table:
/// `validate --table` flies them, a file with the catalog's text predicts what the catalog id
/// does, and a missing file is that case's failure, naming the path it looked for.
#[test]
fn validate_flies_the_vehicle_files_a_table_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("vehicles")).unwrap();
    std::fs::write(dir.path().join("vehicles/my-electron.toml"), include_str!("../../../../data/vehicles/electron.toml")).unwrap();
    let case = |vehicle: &str| {
        format!(
            "[[case]]\nvehicle = \"{vehicle}\"\nsite = \"mahia\"\norbit = \"LEO\"\npayload_kg = 300.0\nperigee_km = 200.0\n\
             apogee_km = 200.0\norbit_published = false\nsource = \"test\"\n"
        )
    };
    let table = format!("format = 1\n{}{}{}", case("vehicles/my-electron.toml"), case("electron"), case("vehicles/missing.toml"));
    let table_path = dir.path().join("table.toml");
    std::fs::write(&table_path, table).unwrap();
    let o = run(&["validate", "--table", table_path.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let cases = v["cases"].as_array().expect("cases");
    let from_file = cases[0]["predicted_kg"].as_f64().expect("the file's case is predicted");
    let from_catalog = cases[1]["predicted_kg"].as_f64().expect("the catalog case is predicted");
    assert!(from_file > 0.0 && from_file == from_catalog, "file {from_file} kg, catalog {from_catalog} kg");
    let failure = cases[2]["failure"].as_str().expect("the missing file fails");
    assert!(failure.contains("missing.toml") && failure.contains("relative to the table"), "{failure}");
    assert_eq!(v["all"]["count"].as_u64(), Some(2), "{}", v["all"]);
}

/// A reader that stops early (`cosmodrome validate | head -1`) ends the tool quietly: no panic
/// about a broken pipe.
#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cosmodrome"))
        .arg("validate")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cosmodrome");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("the table's first bytes");
    // The pipe's read end is dropped here; the table goes on being printed into it.
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
}

/// Progress lines (`optimizing the ascent: 100 flights, 1.1 s`, rewritten with `\r`) go to a
/// terminal only: with stderr captured, as in a log or CI, a run longer than a second left a
/// long line of carriage returns before the answer. Electron/Curie to a 500 km SSO takes some
/// seconds to optimize, so the progress would have been shown.
#[test]
fn progress_stays_off_a_captured_stderr() {
    let o = run(&["payload", "electron-curie", "--site", "mahia", "--perigee-km", "500", "--inclination-deg", "97.4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("maximum payload"), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(!err.contains('\r') && !err.contains("flights,"), "progress on a captured stderr: {err:?}");
}

/// `payload --trade-factors`: the table after the report, the JSON rows (every stage's four
/// figures and the fairing, the last stage's dry mass at the closed form's −1 kg/kg), and the
/// same through a parking orbit (Soyuz-2.1b/Fregat-MT to GTO from Baikonur): the transfer
/// report's `trade_factors`, the Fregat's dry mass riding to GTO one for one with the payload.
#[test]
fn payload_trade_factors_table_json_and_transfer() {
    let o = run(&["payload", "soyuz-2.1b", "--trade-factors"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let table = text.split("payload trade factors").nth(1).unwrap_or_else(|| panic!("no trade-factor table:\n{text}"));
    assert!(table.contains("Block I") && table.contains("isp_vac_s") && table.contains("±50.0 kg") && table.contains("kg/%"), "{table}");
    let o = run(&["payload", "soyuz-2.1b", "--trade-factors", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let rows = report["trade_factors"].as_array().expect("trade_factors");
    assert_eq!(rows.len(), 3 * 4 + 1, "{rows:?}");
    let row = |stage: &str, item: &str| {
        rows.iter().find(|r| r["stage"] == stage && r["item"] == item).unwrap_or_else(|| panic!("{stage} {item}"))
    };
    let last = row("Block I", "dry_mass_kg")["payload_per_unit"].as_f64().expect("a factor");
    assert!((last + 1.0).abs() < 0.01, "{last}");
    assert_eq!(row("fairing", "mass_kg")["unit"], "kg/kg");
    assert!(rows.iter().all(|r| r.get("error").is_none()), "{rows:?}");
    // Without the flag the report has no such member.
    let plain: serde_json::Value = serde_json::from_str(&stdout(&run(&["payload", "soyuz-2.1b", "--json"]))).expect("JSON");
    assert!(plain.get("trade_factors").is_none());
    let o = run(&["payload", "soyuz-2.1b-fregat", "--site", "baikonur", "--orbit", "gto", "--trade-factors", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(report["format"], "cosmodrome-transfer/1");
    let rows = report["trade_factors"].as_array().expect("trade_factors");
    assert_eq!(rows.len(), 4 * 4 + 1, "{rows:?}");
    assert!(rows.iter().all(|r| r.get("error").is_none()), "{rows:?}");
    let fregat = rows.iter().find(|r| r["stage"] == "Fregat-MT" && r["item"] == "dry_mass_kg").expect("Fregat-MT dry mass");
    let fregat = fregat["payload_per_unit"].as_f64().expect("a factor");
    assert!((fregat + 1.0).abs() < 0.03, "{fregat}");
}

/// `--declination-deg` aims an escape's departure asymptote, the same flag on `fly`, `payload`
/// and `dropzones`: Angara-A5/DM-03 from Vostochny at C3 5 km²/s² leaves at some −18° when the
/// asymptote is free and at 30° within the optimizer's 0.1° when asked (the transfer report's
/// `asymptote_declination_deg`, and `fly`'s `achieved escape` line). Refused naming the flag
/// before any flight: with another orbit, out of −90…90° or not a number, without `--orbit`, and
/// (naming the flags of the escape) beyond the parking orbit's inclination.
#[test]
fn an_escape_reaches_the_asymptote_declination_asked() {
    let escape = ["angara-a5-dm03", "--orbit", "escape", "--c3-km2-s2", "5"];
    let report = |extra: &[&str]| -> serde_json::Value {
        let o = run(&[&["payload"][..], &escape, extra, &["--json"]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("JSON")
    };
    let declination = |r: &serde_json::Value| r["asymptote_declination_deg"].as_f64().unwrap_or_else(|| panic!("{r}"));
    let free = declination(&report(&[]));
    let aimed = report(&["--declination-deg", "30"]);
    assert!((declination(&aimed) - 30.0).abs() <= 0.1, "{aimed}");
    assert!((free - 30.0).abs() > 5.0, "the free asymptote is already at {free}°: the test would prove nothing");
    assert!(aimed["target"].as_str().unwrap().contains("asymptote declination 30.0°"), "{}", aimed["target"]);
    assert!((aimed["c3_km2_s2"].as_f64().unwrap() - 5.0).abs() < 0.01, "{aimed}");
    // A mission that ends in an orbit has no such member.
    let gto = run(&["payload", "angara-a5-dm03", "--orbit", "gto", "--json"]);
    assert!(gto.status.success(), "{}", stderr(&gto));
    let gto: serde_json::Value = serde_json::from_str(&stdout(&gto)).expect("JSON");
    assert!(gto.get("asymptote_declination_deg").is_none(), "{gto}");
    let o = run(&[&["fly"][..], &escape, &["--declination-deg", "30"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o).lines().find(|l| l.starts_with("achieved escape")).map(str::to_owned).expect("an achieved escape line");
    let reached: f64 = line.rsplit("asymptote declination ").next().unwrap().trim_end_matches('°').parse().expect("a figure");
    assert!((reached - 30.0).abs() <= 0.1, "{line}");

    let o = run(&["fly", "angara-a5-dm03", "--orbit", "gto", "--declination-deg", "20"]);
    assert_clean_failure(&o, &["invalid --declination-deg 20:", "escape", "not to gto"]);
    let o = run(&["dropzones", "angara-a5-dm03", "--orbit", "leo", "--declination-deg", "20"]);
    assert_clean_failure(&o, &["invalid --declination-deg 20:", "not to leo"]);
    for bad in ["95", "-90.5", "NaN", "inf"] {
        let o = run(&[&["payload"][..], &escape, &["--declination-deg", bad]].concat());
        assert_clean_failure(&o, &["invalid --declination-deg", "−90…90°"]);
    }
    let o = run(&["payload", "angara-a5-dm03", "--declination-deg", "20"]);
    assert_clean_failure(&o, &["--orbit <NAME>"]);
    let o = run(&[&["fly"][..], &escape, &["--declination-deg", "60"]].concat());
    assert_clean_failure(&o, &["invalid --orbit escape with --c3-km2-s2 5 --declination-deg 60:", "asymptote declination of 60°"]);
}

/// A southern asymptote declination is reached as the mirrored northern one is: the escape burn
/// moves to the other half of the parking orbit. Angara-A5/DM-03 and Soyuz-2.1b/Fregat-MT at
/// C3 5 km²/s², `--declination-deg -20` and `20`: both within the optimizer's 0.1°, the payloads
/// within 0.5 % of each other (the two burn points differ only by where the parking orbit is a
/// few km lower and by the coast; 6,152 and 6,147 kg for DM-03).
#[test]
fn a_southern_asymptote_declination_is_reached_as_the_northern_one() {
    for vehicle in ["angara-a5-dm03", "soyuz-2.1b-fregat"] {
        let report = |declination: &str| -> (f64, f64) {
            let o = run(&["payload", vehicle, "--orbit", "escape", "--c3-km2-s2", "5", "--declination-deg", declination, "--json"]);
            assert!(o.status.success(), "{vehicle} at {declination}°: {}", stderr(&o));
            let r: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
            let figure = |key: &str| r[key].as_f64().unwrap_or_else(|| panic!("{key}: {r}"));
            (figure("payload_kg"), figure("asymptote_declination_deg"))
        };
        let (south_kg, south_deg) = report("-20");
        let (north_kg, north_deg) = report("20");
        assert!((south_deg + 20.0).abs() <= 0.1 && (north_deg - 20.0).abs() <= 0.1, "{vehicle}: {south_deg}°, {north_deg}°");
        assert!((south_kg - north_kg).abs() <= 0.005 * north_kg, "{vehicle}: {south_kg} kg south, {north_kg} kg north");
    }
}

/// A vehicle held to a max-Q limit by throttling (Falcon 9 at 30 kPa): `fly --out` lists the
/// start and end of the throttling in its table, `events.json` and the report page, in order
/// around max-Q, with the limit and the throttle; the trajectory's thrust dips between them.
#[test]
fn fly_lists_the_max_q_throttling_events() {
    let vehicle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/falcon-9-max-q-30.toml");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let o = run(&[
        "fly",
        vehicle.to_str().unwrap(),
        "--site",
        "cape-canaveral",
        "--payload-kg",
        "15000",
        "--no-plots",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let start = out.find("throttling to hold max-Q 30.0 kPa").expect("start printed");
    let max_q = out.find("maximum dynamic pressure").expect("max-Q printed");
    let end = out.find("end of max-Q 30.0 kPa throttling, min ").expect("end printed");
    assert!(start < max_q && max_q < end, "{out}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out_dir.join("events.json")).unwrap()).unwrap();
    let events = report["events"].as_array().unwrap();
    let find = |kind: &str| events.iter().filter(|e| e["event"] == kind).collect::<Vec<_>>();
    let (starts, ends, peaks) = (find("max_q_throttle_start"), find("max_q_throttle_end"), find("max_q"));
    assert_eq!((starts.len(), ends.len(), peaks.len()), (1, 1, 1), "{events:#?}");
    let t = |e: &serde_json::Value| e["time_s"].as_f64().unwrap();
    assert!(t(starts[0]) < t(peaks[0]) && t(peaks[0]) < t(ends[0]));
    assert_eq!(starts[0]["limit_kpa"], 30.0);
    assert_eq!(starts[0]["throttle"], 1.0);
    assert_eq!(ends[0]["limit_kpa"], 30.0);
    let min_throttle = ends[0]["min_throttle"].as_f64().unwrap();
    assert!((0.39..0.95).contains(&min_throttle), "{min_throttle}");
    assert!(find("accel_throttle_start").is_empty(), "the 6 g limit is not reached");
    // Other events carry none of the members.
    assert!(peaks[0].get("throttle").is_none() && peaks[0].get("limit_kpa").is_none());
    // The thrust column dips between the two, about as deep as the end event says.
    let csv = std::fs::read_to_string(out_dir.join("trajectory.csv")).unwrap();
    let rows: Vec<(f64, f64)> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .map(|c| (c[0].parse::<f64>().unwrap(), c[8].parse::<f64>().unwrap()))
        .collect();
    let before = rows.iter().rev().find(|r| r.0 <= t(starts[0])).unwrap().1;
    let lowest = rows.iter().filter(|r| r.0 > t(starts[0]) && r.0 < t(ends[0])).map(|r| r.1).fold(f64::INFINITY, f64::min);
    assert!(lowest < 0.9 * before, "thrust {before} N before the hold, {lowest} N at its lowest");
    assert!((lowest / before - min_throttle).abs() < 0.05, "{lowest} / {before} against {min_throttle}");
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("throttling to hold max-Q 30.0 kPa") && html.contains("end of max-Q 30.0 kPa throttling"));
}

/// The test vehicle whose ascent chooses the coast before its solid second stage (20–300 s).
fn solid_coast_vehicle() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-coast.toml").to_string_lossy().into_owned()
}

/// `info --json` gives the coast range its text gives; a vehicle without one has none.
#[test]
fn info_json_gives_a_chosen_coast_range() {
    let o = run(&["info", &solid_coast_vehicle(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("info json");
    assert_eq!(report["chosen_coast"], serde_json::json!({ "stage": "Stage 2", "min_s": 20.0, "max_s": 300.0 }));
    let o = run(&["info", "soyuz-2.1b", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("info json");
    assert!(report.get("chosen_coast").is_none(), "{report}");
}

/// `fly` with a given payload chooses the coast before the solid stage as the targeting chooses
/// its kick, for the most energy to spare (its solid last stage), and says which coast it flew in its text, its
/// JSON and its events (the JSON's coast is the one between the events); the open-loop program
/// flies the shortest and says so.
#[test]
fn fly_with_a_payload_chooses_the_coast_and_says_it() {
    let vehicle = solid_coast_vehicle();
    let orbit = ["--site", "cape-canaveral", "--altitude-km", "250", "--inclination-deg", "51.6"];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fly");
    let o = run(&[&["fly", &vehicle, "--payload-kg", "5000"][..], &orbit, &["--out", out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let line = text.lines().find(|l| l.starts_with("coast before Stage 2: ")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("chosen in 20.0–300.0 s for the most energy to spare"), "{line}");
    let events: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("events.json")).unwrap()).unwrap();
    let coast = &events["chosen_coast"];
    let coast_s = coast["coast_s"].as_f64().expect("coast_s");
    assert!(line.contains(&format!("{coast_s:.1} s,")), "{line} / {coast}");
    // Not the shortest: a solid stage lit later carries this payload with more to spare.
    assert!((30.0..=300.0).contains(&coast_s), "{coast}");
    let time_of = |kind: &str, stage: &str| {
        events["events"].as_array().unwrap().iter().find(|e| e["event"] == kind && e["stage"] == stage).expect(kind)["time_s"]
            .as_f64()
            .unwrap()
    };
    assert!((time_of("ignition", "Stage 2") - time_of("separation", "Stage 1") - coast_s).abs() < 0.01, "{coast}");
    // The JSON report is the same flight's.
    let o = run(&[&["fly", &vehicle, "--payload-kg", "5000", "--json"][..], &orbit].concat());
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("fly json");
    assert_eq!(report["chosen_coast"], *coast);
    // The open-loop program has no objective to choose a coast by: the shortest, said.
    let o = run(&["fly", &vehicle, "--payload-kg", "5000", "--site", "cape-canaveral", "--open-loop", "--azimuth-deg", "45"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("coast before Stage 2: 20.0 s, the shortest of 20.0–300.0 s: the open-loop program does not choose it"),
        "{text}"
    );
}

/// The payload and transfer reports give the flights of their optimization, the count the text
/// prints: the cost of a search that does not move with the machine.
#[test]
fn payload_reports_give_the_flights_the_text_prints() {
    for args in [&["payload", "soyuz-2.1b"][..], &["payload", "angara-a5-briz-m", "--orbit", "gso"]] {
        let text = stdout(&run(args));
        let printed: usize = text
            .split(" flights")
            .next()
            .and_then(|head| head.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no flight count in {text}"));
        let o = run(&[args, &["--json"]].concat());
        let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(report["flights"].as_u64(), Some(printed as u64), "{report}");
        assert!(printed > 10, "{printed} flights");
    }
}

/// A vehicle file's liftoff limit end to end: `info` gives the heaviest payload that keeps it,
/// `payload` and `sweep` carry that payload where the orbit would take more and say what it
/// would take, and `fly` refuses a heavier payload (an invalid input, exit 2) and flies that one.
#[test]
fn a_liftoff_limit_holds_the_payload_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/vehicles/soyuz-2.1b.toml");
    let text = std::fs::read_to_string(catalog).unwrap() + "\n[limits]\nmin_liftoff_thrust_to_weight = 1.35\n";
    let file = dir.path().join("held.toml");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let info = json(&["info", file, "--json"]);
    let max_kg = info["liftoff_limit"]["max_payload_kg"].as_f64().expect("the limit's payload");
    assert_eq!(info["liftoff_limit"]["min_thrust_to_weight"], 1.35);
    let o = run(&["info", file]);
    assert!(stdout(&o).contains("liftoff limit: thrust-to-weight at least 1.35"), "{}", stdout(&o));
    let payload = json(&["payload", file, "--json"]);
    assert_eq!(payload["payload_kg"].as_f64(), Some(max_kg));
    assert!(payload["liftoff_limit"]["orbit_payload_kg"].as_f64().is_some_and(|kg| kg > max_kg + 1_000.0), "{payload}");
    let sweep = json(&["sweep", file, "--altitude-km", "200,400", "--json"]);
    for p in sweep["points"].as_array().unwrap() {
        assert_eq!(p["payload_kg"].as_f64(), Some(max_kg), "{p}");
        assert!(p["orbit_payload_kg"].as_f64().is_some_and(|kg| kg > max_kg), "{p}");
    }
    let heavier = format!("{}", max_kg + 100.0);
    let o = run(&["fly", file, "--payload-kg", &heavier, "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).expect("error json");
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("min_liftoff_thrust_to_weight"), "{e}");
    let o = run(&["fly", file, "--payload-kg", &format!("{max_kg}")]);
    assert!(o.status.success(), "{}", stderr(&o));
}
