//! `cosmodrome dropzones` end to end: deterministic files, a designated zone, bad input and a
//! termination signal.

/// `cosmodrome dropzones` end to end: the three files, byte for byte the same from the same seed
/// on 1 and 3 threads; a different seed gives other bytes.
#[test]
fn cli_dropzones_writes_deterministic_files() {
    let dir = tempfile::tempdir().unwrap();
    let run_in = |name: &str, threads: &str, seed: &str| {
        let out = dir.path().join(name);
        let o = std::process::Command::new(crate::BINARY)
            .env("RAYON_NUM_THREADS", threads)
            .args(["dropzones", "soyuz-2.1b", "--site", "baikonur", "--inclination-deg", "51.6", "--payload-kg", "7000"])
            .args(["--samples", "25", "--seed", seed, "--out", out.to_str().unwrap()])
            .output()
            .expect("run cosmodrome");
        assert!(o.status.success(), "{}", crate::stderr(&o));
        let text = crate::stdout(&o);
        assert!(text.contains("Boosters (Blocks B, V, G, D)") && text.contains("3σ ellipse km"), "{text}");
        ["impacts.csv", "dropzones.geojson", "dropzones.kml"].map(|f| std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
    };
    let one = run_in("one", "1", "5");
    let three = run_in("three", "3", "5");
    assert!(one == three, "the same seed on 1 and 3 threads must give the same bytes");
    assert!(run_in("other", "3", "6")[0] != one[0]);
    let csv = String::from_utf8(one[0].clone()).unwrap();
    assert!(csv.starts_with("body,sample,latitude_deg,longitude_deg,downrange_km,impact_speed_m_s,flight_time_s\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 3 * 25);
    let geojson: serde_json::Value = serde_json::from_slice(&one[1]).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 9);
    let ellipse = features.iter().find(|f| f["properties"]["feature"] == "ellipse").unwrap();
    let ring = ellipse["geometry"]["coordinates"][0].as_array().unwrap();
    assert_eq!(ring.len(), 73);
    assert_eq!(ring.first(), ring.last());
    assert!(ellipse["properties"]["semi_major_km"].as_f64().unwrap() > 0.0);
    let kml = String::from_utf8(one[2].clone()).unwrap();
    assert!(kml.contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\">") && kml.matches("<Polygon>").count() == 6, "{kml}");
}

/// `dropzones --drop-zones`: the ascent is shaped to the zone, the report says how many dispersed
/// falls land inside it, and the map files draw it beside the footprints.
///
/// The share is read from the JSON report and checked two ways that fail when it is computed
/// wrongly: it is the count of the body's impacts in `impacts.csv` that lie within the zone's
/// radius (the wrong body, a wrong zone or a wrong denominator changes it), and, since the
/// shaped ascent puts the nominal impact on the zone's edge (the constraint holds because it
/// costs payload) and the 3σ ellipse is smaller than the zone, the edge cuts the falls about in
/// half: between 25 % and 75 % of 200 (±7 binomial standard deviations around a half).
#[test]
fn cli_dropzones_shaped_to_a_designated_zone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dz");
    let o = crate::run(&[
        "dropzones",
        "soyuz-2.1b",
        "--site",
        "baikonur",
        "--inclination-deg",
        "51.6",
        "--drop-zones",
        "baikonur-iss",
        "--samples",
        "200",
        "--no-plots",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let designated = &report["designated_zones"];
    assert_eq!(designated["ascent_shaped"], true, "{designated}");
    let zones = designated["zones"].as_array().expect("zones");
    assert_eq!(zones.len(), 1, "{zones:?}");
    let check = &zones[0];
    assert_eq!(check["zone"], "Zhezkazgan");
    assert_eq!(check["nominal_inside"], true);
    let radius_km = check["radius_km"].as_f64().unwrap();
    let nominal_km = check["nominal_distance_km"].as_f64().unwrap();
    assert!(nominal_km <= radius_km && nominal_km > radius_km - 1.0, "the shaped nominal sits on the edge: {check}");
    let (inside, samples) = (check["samples_inside"].as_u64().unwrap(), check["samples"].as_u64().unwrap());
    assert_eq!(samples, 200);
    assert_eq!(check["share_inside_percent"].as_f64(), Some(100.0 * inside as f64 / samples as f64));

    // The same count from the impacts table.
    let zone = cosmodrome::dropzone::DesignatedZones::resolve("baikonur-iss").unwrap().zones.remove(0);
    let body = check["body"].as_str().unwrap();
    let mut table = csv::Reader::from_path(out.join("impacts.csv")).unwrap();
    let mut counted = 0;
    for row in table.records() {
        let row = row.unwrap();
        if &row[0] == body {
            let (lat, lon): (f64, f64) = (row[2].parse().unwrap(), row[3].parse().unwrap());
            counted += u64::from(zone.distance_km(lat, lon) <= zone.radius_km);
        }
    }
    assert_eq!(inside, counted, "samples_inside against impacts.csv");
    assert!((50..=150).contains(&inside), "{inside} of 200 inside: the edge through the nominal impact should cut the falls about in half");
    let text = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        text.contains(&format!("designated zone Zhezkazgan: {body} {:.1} % ({inside}/200)", 100.0 * inside as f64 / 200.0)),
        "the report notes the share"
    );

    let geojson: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("dropzones.geojson")).unwrap()).unwrap();
    let zone =
        geojson["features"].as_array().unwrap().iter().find(|f| f["properties"]["feature"] == "designated_zone").expect("zone feature");
    assert_eq!(zone["properties"]["zone"], "Zhezkazgan");
    let ring = zone["geometry"]["coordinates"][0].as_array().unwrap();
    assert!(ring.len() == 73 && ring.first() == ring.last());
    let kml = std::fs::read_to_string(out.join("dropzones.kml")).unwrap();
    assert!(kml.contains("<name>Designated zones</name>") && kml.contains("Zhezkazgan (booster, 50 km)"), "{kml}");
}

/// Bad input stops the command before any work, with a message naming what is wrong, and
/// leaves no file behind.
#[test]
fn cli_dropzones_bad_input_fails_cleanly_and_writes_nothing() {
    use crate::{assert_clean_failure, run};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_s = out.to_str().unwrap();
    assert_clean_failure(&run(&["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--samples", "0", "--out", out_s]), &["samples"]);
    let o = run(&["dropzones", "soyuz-2.1b", "--payload-kg", "1e308", "--out", out_s]);
    assert_clean_failure(&o, &["invalid payload: must be a finite mass from 0 to 10000000 kg, got 1e308 kg"]);
    let bad = dir.path().join("dispersions.toml");
    std::fs::write(&bad, "cd_fraction = 0.2\nflight_path_angle_deg = -0.5\n").unwrap();
    let o = run(&["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--dispersions", bad.to_str().unwrap(), "--out", out_s]);
    assert_clean_failure(&o, &["dispersions.toml:2", "flight_path_angle_deg", "-0.5"]);
    std::fs::write(&bad, "cd_fraction = 0.2\nwind_extra = 3.0\n").unwrap();
    let o = run(&["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--dispersions", bad.to_str().unwrap(), "--out", out_s]);
    assert_clean_failure(&o, &["dispersions.toml:2", "wind_extra"]);
    let wind = dir.path().join("wind.toml");
    std::fs::write(&wind, "levels = [{ altitude_m = 0.0, east_m_s = 500.0, north_m_s = 0.0 }]\n").unwrap();
    let o = run(&["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--wind", wind.to_str().unwrap(), "--out", out_s]);
    assert_clean_failure(&o, &["wind.toml:1", "east_m_s"]);
    assert!(!out.exists(), "nothing may be written");
}

/// A termination signal in the middle of the Monte Carlo stops the run promptly, with a message
/// and without writing anything.
#[cfg(unix)]
#[test]
fn cli_dropzones_stops_on_a_termination_signal_and_writes_nothing() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = Command::new(crate::BINARY)
        .args(["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--samples", "1000000", "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cosmodrome");
    // The header line is printed once the ascent is flown, just before the Monte Carlo starts.
    let mut header = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut header).unwrap();
    assert!(header.contains("1000000 samples"), "{header}");
    let started = std::time::Instant::now();
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!status.success() && err.contains("interrupted"), "{status:?}: {err}");
    // 3 million falls would take minutes; stopping takes one fall per thread.
    assert!(started.elapsed().as_secs_f64() < 5.0, "took {:?}", started.elapsed());
    assert!(!out.exists(), "nothing may be written");
}

/// With `--payload-kg` the stages fall from `fly`'s targeted ascent carrying that payload into
/// the orbit of the flags (apogee included), and a payload over the maximum is refused as `fly`
/// refuses it.
#[test]
fn cli_dropzones_with_a_payload_flies_the_targeted_ascent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dz");
    let o = crate::run(&[
        "dropzones",
        "soyuz-2.1b",
        "--site",
        "baikonur",
        "--inclination-deg",
        "51.6",
        "--apogee-km",
        "400",
        "--payload-kg",
        "6000",
        "--samples",
        "5",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(
        crate::stdout(&o).contains("payload 6000 kg, azimuth") && crate::stdout(&o).contains("(targeted ascent)"),
        "{}",
        crate::stdout(&o)
    );
    let events: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("events.json")).unwrap()).unwrap();
    assert_eq!(events["outcome"], "orbit");
    let ending = &events["ending"];
    let close = |key: &str, want: f64, tol: f64| (ending[key].as_f64().unwrap() - want).abs() <= tol;
    assert!(close("perigee_km", 200.0, 1.0) && close("apogee_km", 400.0, 1.0) && close("inclination_deg", 51.6, 0.05), "{ending}");
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["ascent"], "targeted");

    let o = crate::run(&["dropzones", "soyuz-2.1b", "--payload-kg", "9500", "--samples", "5"]);
    crate::assert_clean_failure(&o, &["cannot carry 9500 kg", "cosmodrome payload soyuz-2.1b"]);
}

/// Two dispersed falls per body are too few for an ellipse: the command warns and reports the
/// nominal impacts with no ellipse, rather than a 0 km wide one that reads like a result; so do
/// falls that do not spread.
#[test]
fn cli_dropzones_with_too_few_samples_draws_no_ellipse() {
    let o = crate::run(&["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--samples", "2", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(crate::stderr(&o).contains("needs at least 3 impacts per body"), "{}", crate::stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&crate::stdout(&o)).unwrap();
    let bodies = report["bodies"].as_array().unwrap();
    assert!(!bodies.is_empty());
    for b in bodies {
        assert!(b["footprint"].is_null(), "{b}");
        assert!(b["nominal_impact"]["latitude_deg"].is_f64(), "{b}");
        assert_eq!(b["samples_down"], 2);
    }
    // Falls with every dispersion zero coincide: no ellipse either, and the table says why.
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.toml");
    let entries = [
        "separation_speed_fraction",
        "flight_path_angle_deg",
        "heading_deg",
        "cd_fraction",
        "density_fraction",
        "wind_scale_fraction",
        "wind_extra_m_s",
    ];
    std::fs::write(&zero, entries.map(|e| format!("{e} = 0\n")).concat()).unwrap();
    let args = ["dropzones", "soyuz-2.1b", "--payload-kg", "7000", "--samples", "20", "--dispersions", zero.to_str().unwrap()];
    let o = crate::run(&[&args[..], &["--json"]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&crate::stdout(&o)).unwrap();
    for b in report["bodies"].as_array().unwrap() {
        assert!(b["footprint"].is_null() && b["samples_down"] == 20, "{b}");
    }
    let o = crate::run(&args);
    assert!(
        crate::stdout(&o).contains("the dispersed falls do not spread (every dispersion is zero): no ellipse is drawn"),
        "{}",
        crate::stdout(&o)
    );
}

/// `dropzones --orbit gso` of Angara-A5/Briz-M: the stages fall from the payload optimizer's
/// whole mission to GSO (the payload `payload --orbit gso` finds), through its parking orbit.
/// The report's `target` is GSO, `transfer` names the mission and its parking orbit; the bodies
/// are those the mission jettisons, in separation order: the boosters, the fairing and the core
/// come down; URM-2 (separated in the parking orbit when Briz-M ignites) and Briz-M's drop tank
/// (released near GSO) stay up nominally; the tank's dispersed samples all stay up.
#[test]
fn cli_dropzones_of_a_gso_mission_through_the_parking_orbit() {
    let o = crate::run(&["dropzones", "angara-a5-briz-m", "--orbit", "gso", "--samples", "20", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!(r["format"], "cosmodrome-dropzones/1");
    assert_eq!(r["ascent"], "optimized");
    assert_eq!(r["target"], serde_json::json!({ "perigee_km": 35786.0, "apogee_km": 35786.0, "inclination_deg": 0.0 }));
    let t = &r["transfer"];
    assert_eq!(t["target"], "GSO", "{t}");
    assert_eq!(t["parking"], serde_json::json!({ "perigee_km": 200.0, "apogee_km": 200.0, "inclination_deg": 51.9 }));
    assert!((t["orbit"]["apogee_km"].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{t}");
    assert!(t["upper_stage_burns"].as_u64().unwrap() >= 4 && t["mission_time_s"].as_f64().unwrap() > 10.0 * 3600.0, "{t}");
    assert!(r.get("upper_stage_load_kg").is_none() && r.get("designated_zones").is_none());

    // The same mission as `payload --orbit gso`.
    let p = crate::run(&["payload", "angara-a5-briz-m", "--orbit", "gso", "--json"]);
    assert!(p.status.success(), "{}", crate::stderr(&p));
    let p: serde_json::Value = serde_json::from_slice(&p.stdout).unwrap();
    assert_eq!(r["payload_kg"], p["payload_kg"]);
    assert!((r["launch_azimuth_deg"].as_f64().unwrap() - p["launch_azimuth_deg"].as_f64().unwrap()).abs() < 1e-3);
    assert_eq!(t["held_back_kg"], p["held_back_kg"]);

    let bodies = r["bodies"].as_array().unwrap();
    let names: Vec<&str> = bodies.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["URM-1 boosters", "fairing", "URM-1 core", "URM-2", "Briz-M APT"], "{names:?}");
    for b in bodies {
        let (down, not_down) = (b["samples_down"].as_u64().unwrap(), b["samples_not_down"].as_u64().unwrap());
        assert_eq!(down + not_down, 20, "{b}");
        if ["URM-2", "Briz-M APT"].contains(&b["name"].as_str().unwrap()) {
            assert!(b["nominal_impact"].is_null(), "{b}");
        } else {
            assert!(b["nominal_impact"]["latitude_deg"].is_f64() && b["footprint"]["semi_major_km"].is_f64() && down == 20, "{b}");
        }
    }
    assert_eq!((bodies[4]["samples_down"].as_u64(), bodies[4]["footprint"].is_null()), (Some(0), true), "{}", bodies[4]);
    // The boosters come down about 800 km from Vostochny, the core further along the track.
    let downrange = |k: usize| bodies[k]["nominal_impact"]["downrange_km"].as_f64().unwrap();
    assert!((500.0..1200.0).contains(&downrange(0)) && downrange(2) > downrange(0), "{bodies:?}");
}

/// `dropzones --orbit gso --payload-kg`: `fly`'s mission with that payload, its stages' falls;
/// designated zones are checked against the falls, not shaped to, and the report says so. A
/// named orbit flown directly (`--orbit leo`) is the same run as its elements given; an unknown
/// name is refused before any flight, naming the flag, and a C3 out of range names the C3, an
/// apogee given to GSO the apogee.
#[test]
fn cli_dropzones_of_a_mission_with_a_given_payload_and_bad_orbits() {
    let o = crate::run(&[
        "dropzones",
        "soyuz-2.1b-fregat",
        "--site",
        "baikonur",
        "--orbit",
        "gto",
        "--payload-kg",
        "2000",
        "--drop-zones",
        "baikonur-iss",
        "--samples",
        "10",
        "--json",
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert_eq!((&r["ascent"], &r["payload_kg"]), (&serde_json::json!("targeted"), &serde_json::json!(2000.0)));
    assert!(r["transfer"]["target"].as_str().unwrap().contains("× 35786 km"), "{}", r["transfer"]);
    assert!((r["target"]["apogee_km"].as_f64().unwrap() - 35_786.0).abs() < 1e-9, "{}", r["target"]);
    assert_eq!(r["designated_zones"]["ascent_shaped"], false);
    assert!(!r["designated_zones"]["zones"].as_array().unwrap().is_empty());
    // Through the parking orbit the named GTO's argument of perigee is held: nothing to note.
    assert!(r["notes"].is_null(), "{}", r["notes"]);

    let direct = |extra: &[&str]| {
        let o = crate::run(&[&["dropzones", "soyuz-2.1b", "--samples", "5", "--json"], extra].concat());
        assert!(o.status.success(), "{}", crate::stderr(&o));
        o.stdout
    };
    assert!(direct(&["--orbit", "leo"]) == direct(&[]), "--orbit leo is the default 200 km orbit at the lowest inclination");

    let o = crate::run(&["dropzones", "angara-a5-dm03", "--orbit", "escape", "--c3-km2-s2", "500"]);
    crate::assert_clean_failure(&o, &["invalid --orbit escape with --c3-km2-s2 500:", "C3 must be within 0–200 km²/s², got 500"]);
    // The same refusal, naming the flag, from `payload` and `fly`, before any flight.
    let o = crate::run(&["payload", "angara-a5-briz-m", "--orbit", "gto", "--perigee-km", "100"]);
    crate::assert_clean_failure(&o, &["invalid --orbit gto with --perigee-km 100:", "below the parking orbit's (200 km)"]);
    let o = crate::run(&["fly", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "-1"]);
    crate::assert_clean_failure(&o, &["invalid --orbit escape with --c3-km2-s2 -1:", "C3 must be within"]);
    let o = crate::run(&["dropzones", "angara-a5-briz-m", "--orbit", "geo"]);
    crate::assert_clean_failure(&o, &["--orbit", "unknown orbit `geo`", "gso, meo, molniya, escape"]);
    let o = crate::run(&["dropzones", "angara-a5-briz-m", "--c3-km2-s2", "5"]);
    crate::assert_clean_failure(&o, &["--orbit"]);
    // An element GSO's definition fixes, from the three commands alike.
    for command in ["dropzones", "payload", "fly"] {
        let o = crate::run(&[command, "angara-a5-briz-m", "--orbit", "gso", "--apogee-km", "50000"]);
        crate::assert_clean_failure(&o, &["invalid --orbit gso with --apogee-km 50000:", "an apogee does not apply to gso"]);
    }
    // An orbit under the ground is bad input, said without the optimizer's hint: no payload
    // would fly it.
    let o = crate::run(&["dropzones", "soyuz-2.1b", "--perigee-km=-5"]);
    crate::assert_clean_failure(&o, &["invalid target orbit", "perigee must be ≥ 100 km, got -5.0 km"]);
    assert!(!crate::stderr(&o).contains("--payload-kg"), "{}", crate::stderr(&o));
    let o = crate::run(&["dropzones", "soyuz-2.1b", "--inclination-deg", "10"]);
    crate::assert_clean_failure(&o, &["inclination 10° cannot be reached by direct ascent from latitude 51.88"]);
    assert!(!crate::stderr(&o).contains("--payload-kg"), "{}", crate::stderr(&o));
}

/// `dropzones --orbit gto` of a vehicle whose last stage burns once: the stages fall from the
/// direct ascent to the named GTO, which leaves its argument of perigee free; the report and the
/// output set's page say so, as `payload --orbit gto` does.
#[test]
fn cli_dropzones_of_a_named_orbit_flown_directly_note_what_it_leaves_free() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let args = ["dropzones", "ariane-5-eca", "--site", "kourou", "--orbit", "gto", "--payload-kg", "9000", "--samples", "5", "--json"];
    let o = crate::run(&[&args[..], &["--no-plots", "--out", out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert!(r["transfer"].is_null(), "flown directly: {}", r["transfer"]);
    let notes = r["notes"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].as_str().is_some_and(|n| n.contains("the named orbit's 178° is not held")), "{notes:?}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("178° is not held"), "the note is in the set's report");
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["notes"], r["notes"], "run.json records it");
}

/// `dropzones --orbit escape --c3-km2-s2 5` of Angara-A5/Briz-M: the stages fall from the payload
/// optimizer's whole escape mission, the one `payload --orbit escape --c3-km2-s2 5` finds (same
/// payload, azimuth, propellant held back, C3, perigee and inclination of the hyperbola). The
/// report has no target orbit and no bound orbit at the last cutoff; `transfer.escape` gives the
/// C3 asked for and achieved. The boosters, the fairing, the core and URM-2 come down; Briz-M's
/// drop tank (released in an ellipse between the burns) stays up in every sample. The text
/// says the mission escapes with its C3, and `--out` writes the drop-zone GeoJSON and KML.
#[test]
fn cli_dropzones_of_an_escape_mission() {
    let escape = ["--orbit", "escape", "--c3-km2-s2", "5"];
    let o = crate::run(&[&["dropzones", "angara-a5-briz-m"][..], &escape, &["--samples", "10", "--json"]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    assert!(r.get("target").is_none(), "an escape has no target orbit: {}", r["target"]);
    let t = &r["transfer"];
    assert_eq!(t["target"], "escape with C3 5.00 km²/s²", "{t}");
    assert!(t.get("orbit").is_none(), "{t}");
    let e = &t["escape"];
    assert_eq!(e["target_c3_km2_s2"], 5.0, "{e}");
    assert!(e.get("target_asymptote_declination_deg").is_none() && e["asymptote_declination_deg"].is_f64(), "{e}");

    let p = crate::run(&[&["payload", "angara-a5-briz-m"][..], &escape, &["--json"]].concat());
    assert!(p.status.success(), "{}", crate::stderr(&p));
    let p: serde_json::Value = serde_json::from_slice(&p.stdout).unwrap();
    assert_eq!(r["payload_kg"], p["payload_kg"]);
    assert!((r["launch_azimuth_deg"].as_f64().unwrap() - p["launch_azimuth_deg"].as_f64().unwrap()).abs() < 1e-3);
    for (ours, theirs) in [(&t["held_back_kg"], "held_back_kg"), (&t["mission_time_s"], "mission_time_s")] {
        assert_eq!(ours, &p[theirs], "{theirs}");
    }
    for key in ["c3_km2_s2", "perigee_km", "inclination_deg"] {
        assert_eq!(e[key], p[key], "{key}");
    }
    assert!((e["c3_km2_s2"].as_f64().unwrap() - 5.0).abs() < 0.05, "{e}");

    let bodies = r["bodies"].as_array().unwrap();
    let names: Vec<&str> = bodies.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["URM-1 boosters", "fairing", "URM-1 core", "URM-2", "Briz-M APT"], "{names:?}");
    for b in &bodies[..4] {
        assert!(b["nominal_impact"]["latitude_deg"].is_f64() && b["samples_down"] == 10, "{b}");
    }
    let tank = &bodies[4];
    assert!(tank["nominal_impact"].is_null() && tank["samples_not_down"] == 10 && tank["footprint"].is_null(), "{tank}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("escape");
    let o = crate::run(
        &[&["dropzones", "soyuz-2.1b-fregat"][..], &escape, &["--samples", "20", "--no-plots", "--out", out.to_str().unwrap()]].concat(),
    );
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = crate::stdout(&o);
    assert!(text.contains("mission to escape with C3 5.00 km²/s² through a 200 × 200 km parking orbit"), "{text}");
    assert!(text.contains("the mission escapes: achieved C3 5.0"), "{text}");
    let geojson: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("dropzones.geojson")).unwrap()).unwrap();
    let zones = geojson["features"].as_array().unwrap().iter().filter(|f| f["properties"]["feature"] == "mean_impact").count();
    assert_eq!(zones, 4, "boosters, fairing, core and Block I come down: {geojson}");
    let kml = std::fs::read_to_string(out.join("dropzones.kml")).unwrap();
    assert!(kml.contains("Block I") && !kml.to_lowercase().contains("nan"), "{kml}");
}

/// `dropzones --orbit gso` of Angara-A5/Briz-M from Plesetsk: URM-2, left in the parking orbit,
/// and Briz-M's drop tank have no drop zone. Their rows say "in orbit" and draw no ellipse; the
/// lines under the table give each its orbit and estimated lifetime (URM-2 days, the tank more
/// than the cap) and how many dispersed falls re-entered within the fall's limit; the map files
/// draw no polygon for them, but give each an unlocated feature (GeoJSON) and a placemark (KML)
/// with the same figures.
#[test]
fn cli_dropzones_reports_the_orbit_and_lifetime_of_a_body_left_in_orbit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gso");
    let o = crate::run(&[
        "dropzones",
        "angara-a5-briz-m",
        "--site",
        "plesetsk",
        "--orbit",
        "gso",
        "--samples",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = crate::stdout(&o);
    let cells = |name: &str| -> Vec<String> {
        let row =
            text.lines().find(|l| l.starts_with(name) && !l.contains("est. lifetime")).unwrap_or_else(|| panic!("no row {name}: {text}"));
        row.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
    };
    for name in ["URM-2", "Briz-M APT"] {
        let c = cells(name);
        assert_eq!((c[2].as_str(), c[6].as_str()), ("in orbit", "none"), "{name}: {c:?}");
        let line = text.lines().find(|l| l.starts_with(name) && l.contains("est. lifetime")).unwrap_or_else(|| panic!("{name}: {text}"));
        assert!(line.contains("/20 dispersed falls re-entered within 3 h: no drop zone"), "{line}");
    }
    assert!(text.contains("left in orbit, no drop zone"), "{text}");
    let urm2 = text.lines().find(|l| l.starts_with("URM-2") && l.contains("est. lifetime")).unwrap();
    // Left near the parking orbit's height, where the ascent's shape puts it (burned out in
    // it, or a little above when Briz-M need not burn in the ascent at all).
    let orbit = urm2.split("in orbit ").nth(1).expect(urm2);
    let km = |s: Option<&str>| s.and_then(|s| s.trim_end_matches(" km").parse::<f64>().ok()).expect(urm2);
    let (perigee_km, rest) = orbit.split_once(" × ").expect(urm2);
    let apogee_km = km(rest.split(" at ").next());
    assert!((150.0..=230.0).contains(&km(Some(perigee_km))) && (190.0..=230.0).contains(&apogee_km), "{urm2}");
    assert!(rest.contains(" at 63.0") && urm2.contains(" d (static USSA76)"), "{urm2}");
    let tank = text.lines().find(|l| l.starts_with("Briz-M APT") && l.contains("est. lifetime")).unwrap();
    assert!(tank.contains("more than 100 years"), "{tank}");
    // The bodies that come down keep their ellipses.
    assert!(cells("URM-1 core")[6].contains('×'), "{text}");

    let geojson: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("dropzones.geojson")).unwrap()).unwrap();
    let features = geojson["features"].as_array().unwrap();
    let of = |body: &str| features.iter().filter(|f| f["properties"]["body"] == body).collect::<Vec<_>>();
    for name in ["URM-2", "Briz-M APT"] {
        let f = of(name);
        assert_eq!(f.len(), 1, "{name}: {f:?}");
        let p = &f[0]["properties"];
        assert!(f[0]["geometry"].is_null() && p["feature"] == "in_orbit" && p["samples"] == 20, "{p}");
        assert!(p["lifetime_days"].as_f64().unwrap() > 0.5 && p["perigee_km"].as_f64().unwrap() > 140.0, "{p}");
    }
    assert!(of("URM-2")[0]["properties"]["lifetime_capped"] == false && of("Briz-M APT")[0]["properties"]["lifetime_capped"] == true);
    assert_eq!(of("URM-1 core").iter().filter(|f| f["properties"]["feature"] == "ellipse").count(), 1);
    let kml = std::fs::read_to_string(out.join("dropzones.kml")).unwrap();
    assert!(kml.contains("<name>URM-2 (in orbit, no drop zone)</name>") && !kml.contains("URM-2 3-sigma ellipse"), "{kml}");
}

/// `dropzones` of Electron from Mahia to 76°: the fairing falls on the antimeridian, and its
/// ellipse and hull are written cut there (RFC 7946), a MultiPolygon of two parts in GeoJSON and
/// a MultiGeometry in KML, instead of one ring whose vertices jump between +179.9° and −179.9°,
/// which maps read as a band round the globe. Every ring of the file stays narrow, and each
/// part of a cut zone ends on ±180°.
#[test]
fn cli_dropzones_cut_zones_at_the_antimeridian() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mahia");
    let args = ["dropzones", "electron", "--site", "mahia", "--inclination-deg", "76", "--samples", "60", "--out", out.to_str().unwrap()];
    let o = crate::run(&args);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let geojson: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("dropzones.geojson")).unwrap()).unwrap();
    let mut cut = 0;
    for f in geojson["features"].as_array().unwrap() {
        let g = &f["geometry"];
        let polygons: Vec<&serde_json::Value> = match g["type"].as_str() {
            Some("Polygon") => vec![g["coordinates"].as_array().unwrap().first().unwrap()],
            Some("MultiPolygon") => g["coordinates"].as_array().unwrap().iter().map(|p| &p[0]).collect(),
            _ => continue,
        };
        for ring in &polygons {
            let longitudes: Vec<f64> = ring.as_array().unwrap().iter().map(|p| p[0].as_f64().unwrap()).collect();
            let span =
                longitudes.iter().cloned().fold(f64::NEG_INFINITY, f64::max) - longitudes.iter().cloned().fold(f64::INFINITY, f64::min);
            assert!(span < 10.0, "{}: a ring spans {span}° of longitude", f["properties"]);
            if polygons.len() > 1 {
                assert!(longitudes.iter().any(|l| l.abs() == 180.0), "a part of a cut zone ends on the antimeridian: {longitudes:?}");
            }
        }
        cut += usize::from(polygons.len() > 1);
    }
    assert!(cut >= 1, "the fairing's zone lies across the antimeridian (if the fall moves, pick a case that crosses it)");
    let kml = std::fs::read_to_string(out.join("dropzones.kml")).unwrap();
    assert_eq!(kml.matches("<MultiGeometry>").count(), cut, "{kml}");
}
