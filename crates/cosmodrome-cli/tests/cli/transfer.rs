//! `payload --orbit`: named targets, and the transfers of a restartable upper stage through a
//! parking orbit, end to end through the binary.

use crate::{assert_clean_failure, run, stdout};

fn transfer_json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", crate::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?} is not one JSON object: {e}"));
    assert_eq!(v["format"], "cosmodrome-transfer/1", "{args:?}");
    v
}

/// The case: Angara-A5/Briz-M to GSO from Vostochny reaches 35,786 km circular within
/// 50 km and the equator within 0.1°, with every burn listed, the burns' propellant adding up to
/// what the stage carried for them, and the coasts between them.
#[test]
fn angara_briz_m_reaches_gso_from_vostochny_with_its_burns() {
    let v = transfer_json(&["payload", "angara-a5-briz-m", "--site", "vostochny", "--orbit", "gso", "--json"]);
    let o = &v["orbit"];
    for key in ["perigee_km", "apogee_km"] {
        let km = o[key].as_f64().unwrap();
        assert!((km - 35_786.0).abs() < 50.0, "{key} {km} km");
    }
    assert!(o["inclination_deg"].as_f64().unwrap().abs() < 0.1, "{o}");
    let payload = v["payload_kg"].as_f64().unwrap();
    assert!((1000.0..8000.0).contains(&payload), "{payload} kg");
    let burns = v["burns"].as_array().unwrap();
    assert!(burns.len() >= 3, "{burns:?}");
    assert!(burns.len() <= 8, "no more burns than Briz-M is rated for: {burns:?}");
    assert_eq!(v["coasts"].as_array().unwrap().len(), burns.len() - 1);
    let times: Vec<f64> = burns.iter().map(|b| b["start_s"].as_f64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "burns in order: {times:?}");
    assert!(burns.iter().all(|b| b["delta_v_m_s"].as_f64().unwrap() > 0.0 && b["propellant_kg"].as_f64().unwrap() > 0.0));
    // The tank goes once it is empty: Briz-M's additional tank is dropped on the way.
    assert_eq!(v["dropped_tanks"].as_array().unwrap().len(), 1, "{}", v["dropped_tanks"]);
    assert!(v["propellant_left_kg"].as_f64().unwrap().abs() < 5.0);
    assert_eq!(v["perigee_free"], false, "GSO's perigee is targeted");
}

/// Soyuz-2.1b/Fregat-MT from Kourou into the site's standard GTO, as text; the named orbit's
/// elements can be overridden one at a time.
#[test]
fn soyuz_fregat_flies_kourou_gto_and_an_override() {
    let o = run(&["payload", "soyuz-2.1b-fregat", "--site", "kourou", "--orbit", "gto"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("250 × 35950 km at 6.00°"), "{text}");
    assert!(text.contains("burn  start s"), "{text}");
    let v = transfer_json(&["payload", "soyuz-2.1b-fregat", "--site", "kourou", "--orbit", "gto", "--apogee-km", "30000", "--json"]);
    assert!((v["orbit"]["apogee_km"].as_f64().unwrap() - 30_000.0).abs() < 50.0, "{}", v["orbit"]);
}

/// From Vostochny the built-in GTO's 200 km perigee is the parking orbit's: it is not targeted
/// but left where Fregat-MT's long perigee burns lift it, and both outputs say so instead of
/// letting the 200 km asked read as the one reached.
#[test]
fn a_gto_perigee_at_the_parking_orbit_is_reported_free() {
    let o = run(&["payload", "soyuz-2.1b-fregat", "--orbit", "gto"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("into 200 × 35786 km"), "{text}");
    let line = text.lines().find(|l| l.starts_with("achieved orbit:")).expect("an achieved orbit line");
    assert!(line.contains("(not targeted: left where the perigee burns put it)"), "{line}");
    let v = transfer_json(&["payload", "soyuz-2.1b-fregat", "--orbit", "gto", "--json"]);
    assert_eq!(v["perigee_free"], true, "{v}");
    let perigee_km = v["orbit"]["perigee_km"].as_f64().unwrap();
    assert!((200.0..400.0).contains(&perigee_km), "the burns lift the perigee, they do not lower it: {perigee_km} km");
}

/// An escape reports its C3 and no bound orbit.
#[test]
fn an_escape_reports_its_c3() {
    let v = transfer_json(&["payload", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "5", "--json"]);
    assert!(v["orbit"].is_null());
    assert!((v["c3_km2_s2"].as_f64().unwrap() - 5.0).abs() < 0.05, "{}", v["c3_km2_s2"]);
}

/// A target the vehicle's stages cannot fly, an unknown orbit name and a C3 without a named
/// orbit are refused with the reason.
#[test]
fn transfers_the_vehicle_cannot_fly_are_refused_with_the_reason() {
    assert_clean_failure(&run(&["payload", "angara-a5", "--orbit", "gso"]), &["needs a restartable last stage", "URM-2"]);
    assert_clean_failure(&run(&["payload", "angara-a5-briz-m", "--orbit", "geo"]), &["unknown orbit `geo`", "gso"]);
    let o = run(&["payload", "angara-a5-briz-m", "--c3-km2-s2", "5"]);
    assert!(!o.status.success());
    assert!(crate::stderr(&o).contains("--orbit"), "{}", crate::stderr(&o));
    // Direct ascents of a vehicle whose last stage burns once: GTO as today's payload report.
    let o = run(&["payload", "ariane-5-eca", "--site", "kourou", "--orbit", "gto", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "cosmodrome-payload/1");
    // ... whose argument of perigee it leaves free unless asked for: said in a note.
    assert!(crate::stderr(&o).contains("the named orbit's 178° is not held"), "{}", crate::stderr(&o));
    // The report carries the note and gives the argument of perigee the ascent reached.
    assert!(v["notes"][0].as_str().is_some_and(|n| n.contains("178° is not held")), "{}", v["notes"]);
    let reached_deg = v["orbit"]["argument_of_perigee_deg"].as_f64().expect("an eccentric orbit gives its argument of perigee");
    assert!((0.0..360.0).contains(&reached_deg), "{reached_deg}");
    // Flown with a given payload, the output set's report says it too.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let flown = ["fly", "ariane-5-eca", "--site", "kourou", "--orbit", "gto", "--payload-kg", "9000", "--no-plots", "--out"];
    let o = run(&[&flown[..], &[out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("178° is not held"), "the note is in the set's report");
    // The outcome line gives the argument of perigee reached.
    assert!(crate::stdout(&o).contains("(altitudes above the equatorial radius), argument of perigee "), "{}", crate::stdout(&o));
    // And in the set of the largest payload's, with its payload.json.
    let out = dir.path().join("largest");
    let largest = ["payload", "ariane-5-eca", "--site", "kourou", "--orbit", "gto", "--no-plots", "--out"];
    let o = run(&[&largest[..], &[out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(std::fs::read_to_string(out.join("report.html")).unwrap().contains("178° is not held"), "report.html");
    assert!(read_json(&out.join("payload.json"))["notes"][0].as_str().is_some_and(|n| n.contains("178° is not held")));
    // Asked for, the ascent holds it where it can: on the southbound leg from Kourou, cut off
    // lower on the orbit; the northbound leg starts on the node's other side and is refused.
    let asked = ["payload", "ariane-5-eca", "--site", "kourou", "--orbit", "gto", "--argument-of-perigee-deg", "178", "--json"];
    let o = run(&[&asked[..], &["--southbound"]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let held: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let held_deg = held["orbit"]["argument_of_perigee_deg"].as_f64().unwrap();
    assert!((held_deg - 178.0).abs() <= 0.5, "{held_deg}");
    assert_eq!(held["target"]["argument_of_perigee_deg"], 178.0, "the target holds it: {}", held["target"]);
    assert!(v["target"]["argument_of_perigee_deg"].is_null(), "left free: {}", v["target"]);
    assert!(held["notes"].as_array().is_none_or(|n| n.is_empty()), "{}", held["notes"]);
    assert!(held["payload_kg"].as_f64().unwrap() < v["payload_kg"].as_f64().unwrap(), "holding it costs payload");
    assert_clean_failure(
        &run(&asked),
        &[
            "Ariane 5 ECA: no ascent to 250 × 35950 km at 6.00°, argument of perigee 178.0°",
            "place it between",
            "the southbound leg holds it, carrying",
        ],
    );
    // The same with the elements given instead of the name; a circular orbit has no perigee to
    // place, and an open-loop flight targets none: both refused before any flight.
    let elements =
        ["--site", "kourou", "--perigee-km", "250", "--apogee-km", "35950", "--inclination-deg", "6", "--argument-of-perigee-deg"];
    let o = run(&[&["payload", "ariane-5-eca"][..], &elements, &["178", "--southbound", "--json"]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let by_elements: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(by_elements["payload_kg"], held["payload_kg"], "the named orbit's run");
    // Where one cutoff height alone could be targeted (Vega-C, whose AVUM+ ends its ascent at
    // the perigee), the refusal gives that height and the angle its ascent places, not a range.
    let o = run(&[&["payload", "vega-c"][..], &elements, &["178"]].concat());
    assert_clean_failure(&o, &["Vega-C: no ascent to 250 × 35950 km", "(no other cutoff height could be targeted)", "places it at"]);
    assert!(!crate::stderr(&o).contains("between"), "{}", crate::stderr(&o));
    let circular = ["payload", "ariane-5-eca", "--site", "kourou", "--perigee-km", "500", "--argument-of-perigee-deg", "90"];
    assert_clean_failure(&run(&circular), &["invalid --argument-of-perigee-deg 90", "no perigee to place"]);
    let open_loop = ["fly", "ariane-5-eca", "--site", "kourou", "--open-loop", "--payload-kg", "1000", "--argument-of-perigee-deg", "90"];
    assert_clean_failure(&run(&open_loop), &["--argument-of-perigee-deg 90", "--open-loop"]);
    // An element the orbit has no use for is refused, naming the flag.
    let gso = ["payload", "angara-a5-briz-m", "--orbit", "gso", "--argument-of-perigee-deg", "10"];
    assert_clean_failure(&run(&gso), &["--argument-of-perigee-deg 10", "not to gso"]);
    let gto = ["payload", "angara-a5-briz-m", "--orbit", "gto", "--c3-km2-s2", "5"];
    assert_clean_failure(&run(&gto), &["--c3-km2-s2 5", "a C3 belongs to an escape"]);
}

fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `fly --orbit gso` without a payload flies the whole mission of Angara-A5/Briz-M from
/// Vostochny at the largest payload: the files cover it to the GSO insertion (within 50 km and
/// 0.1°), the events have the restarts and the tank drop, the timeline of `events.json` agrees
/// with the burns of `transfer.json`, and the timeline plot, the profile, the ground track and
/// the report show the burns.
#[test]
fn fly_orbit_gso_writes_the_whole_mission_with_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gso");
    let o = run(&["fly", "angara-a5-briz-m", "--site", "vostochny", "--orbit", "gso", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("(the largest found), to GSO through a 200 × 200 km parking orbit"), "{text}");
    assert!(text.contains("mission timeline") && text.contains("Briz-M  "), "{text}");
    // The transfer orbits after the burns give their argument of perigee; the circular ones none.
    assert!(text.contains("km at 51.") && text.contains("°, argument of perigee "), "{text}");
    let run_json = read_json(&out.join("run.json"));
    let listed: Vec<&str> = run_json["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    for name in [
        "transfer.json",
        "trajectory.csv",
        "events.json",
        "trajectory.oem",
        "profile.png",
        "profile.svg",
        "ground_track.png",
        "ground_track.svg",
        "timeline.png",
        "timeline.svg",
        "report.html",
    ] {
        assert!(out.join(name).is_file() && listed.contains(&name), "{name} not written or not listed: {listed:?}");
    }

    // The final state is a GSO.
    let events = read_json(&out.join("events.json"));
    assert_eq!(events["outcome"], "orbit");
    let orbit = &events["final"]["orbit"];
    for key in ["perigee_km", "apogee_km"] {
        let km = orbit[key].as_f64().unwrap();
        assert!((km - 35_786.0).abs() < 50.0, "{key} {km} km");
    }
    assert!(orbit["inclination_deg"].as_f64().unwrap() < 0.1, "{orbit}");
    let final_s = events["final"]["state"]["time_s"].as_f64().unwrap();
    assert!(final_s > 10.0 * 3600.0, "the mission ends after hours of coasts, not at {final_s} s");

    // Restarts and the tank drop are events.
    let kinds: Vec<&str> = events["events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    let transfer = read_json(&out.join("transfer.json"));
    let burns = transfer["burns"].as_array().unwrap();
    assert_eq!(kinds.iter().filter(|k| **k == "restart").count(), burns.len() - 1, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "tank_drop").count(), 1, "{kinds:?}");

    // The timeline: the Briz-M burns as transfer.json gives them, each after a coast, the last
    // leaving the GSO; the coasts between them, and the parking orbit's before the first.
    let timeline = &events["timeline"];
    let briz: Vec<&serde_json::Value> = timeline["burns"].as_array().unwrap().iter().filter(|b| b["stage"] == "Briz-M").collect();
    assert_eq!(briz.len(), burns.len(), "{timeline}");
    for (b, t) in briz.iter().zip(burns) {
        assert_eq!(b["after_coast"], true, "{b}");
        for (key, tolerance) in [("start_s", 0.01), ("duration_s", 0.01), ("delta_v_m_s", 0.2), ("propellant_kg", 0.2)] {
            let (a, e) = (b[key].as_f64().unwrap(), t[key].as_f64().unwrap());
            assert!((a - e).abs() <= tolerance, "{key}: timeline {a}, transfer.json {e}");
        }
    }
    let last = &briz.last().unwrap()["orbit_after"];
    assert!((last["apogee_km"].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{last}");
    let coasts = timeline["coasts"].as_array().unwrap();
    assert_eq!(coasts.len(), transfer["coasts"].as_array().unwrap().len() + 1, "{coasts:?}");
    assert!((coasts[0]["orbit"]["perigee_km"].as_f64().unwrap() - 200.0).abs() < 5.0, "the parking orbit: {}", coasts[0]);

    // The trajectory and the ephemeris cover the whole mission.
    let csv = std::fs::read_to_string(out.join("trajectory.csv")).unwrap();
    let last_row_s: f64 = csv.lines().last().unwrap().split(',').next().unwrap().parse().unwrap();
    assert!((last_row_s - final_s).abs() < 1.0, "trajectory.csv ends at {last_row_s} s, the mission at {final_s} s");
    let oem = std::fs::read_to_string(out.join("trajectory.oem")).unwrap();
    assert!(oem.contains("jettison of Briz-M APT") && oem.contains(&format!("burn {} of Briz-M", burns.len())), "OEM events");

    // The plots and the report show the burns.
    let timeline_svg = std::fs::read_to_string(out.join("timeline.svg")).unwrap();
    for k in 1..=burns.len() {
        assert!(timeline_svg.contains(&format!("burn {k} ·")), "timeline.svg lacks burn {k}");
    }
    assert!(timeline_svg.contains("Briz-M APT drop") && timeline_svg.contains("coasts"), "timeline.svg");
    let profile_svg = std::fs::read_to_string(out.join("profile.svg")).unwrap();
    assert!(profile_svg.contains(&format!("Briz-M burn {}", burns.len())), "profile.svg lacks the burns");
    let track_svg = std::fs::read_to_string(out.join("ground_track.svg")).unwrap();
    assert!(track_svg.contains("Briz-M burn 1") && track_svg.contains("burn after a coast"), "ground_track.svg lacks the burns");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h2>Mission timeline</h2>") && html.contains("burn 1 ·"), "report.html lacks the timeline plot");
    assert!(html.contains(&format!("<td>Briz-M</td><td>burn {}</td>", burns.len())) && html.contains("<td>coast 1</td>"), "burn table");
    assert!(html.contains("jettison of Briz-M APT") && html.contains(&format!("burn {} of Briz-M", burns.len())), "events");
}

/// `fly --orbit gso --payload-kg` flies a lighter payload into the same GSO and leaves
/// propellant; a heavier one than the largest and an unreachable C3 are refused with the Δv
/// lacking, never a panic.
#[test]
fn fly_orbit_with_a_given_payload_and_the_refusals() {
    let o = run(&["fly", "angara-a5-briz-m", "--site", "vostochny", "--orbit", "gso", "--payload-kg", "2500", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the flight report");
    assert_eq!(v["format"], "cosmodrome-flight/1");
    assert_eq!(v["payload_kg"], 2500.0);
    let orbit = &v["final"]["orbit"];
    assert!((orbit["perigee_km"].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{orbit}");
    assert!((orbit["apogee_km"].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{orbit}");
    assert!(orbit["inclination_deg"].as_f64().unwrap() < 0.1, "{orbit}");
    assert!(v["events"].as_array().unwrap().iter().any(|e| e["event"] == "restart"));

    assert_clean_failure(
        &run(&["fly", "angara-a5-briz-m", "--site", "vostochny", "--orbit", "gso", "--payload-kg", "5000"]),
        &["cannot carry 5000 kg into GSO", "the most it carries there is", "m/s of Δv short"],
    );
    assert_clean_failure(
        &run(&["fly", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "100"]),
        &["cannot reach", "m/s of Δv lacking"],
    );
    assert_clean_failure(
        &run(&["fly", "angara-a5-briz-m", "--orbit", "escape", "--c3-km2-s2", "150"]),
        &["cannot reach", "`Briz-M` alone", "gives at most"],
    );
    // --payload-kg stays required without --orbit; --c3-km2-s2 needs --orbit.
    assert!(!run(&["fly", "angara-a5"]).status.success());
    assert!(!run(&["fly", "angara-a5", "--payload-kg", "1000", "--c3-km2-s2", "5"]).status.success());
}

/// H-IIA 202, its LE-5B second stage restartable (two burns in the catalog, three in a user's
/// copy), to its standard GTO (250 × 36,226 km, 28.5°) from Tanegashima (30.4° N) through the
/// 200 km parking orbit. The second burn (200 s, some 13° of arc) cannot pitch the perigee 50 km
/// above the orbit it starts from: with a third burn an apogee burn would raise it, a few m/s
/// that the mission drops as negligible; with two, the perigee is left where the burn puts it.
/// Either way the mission flies and says the perigee is free. A perigee no burn can leave near
/// (400 km) takes the apogee burn; with two burns the ascent ends in an ellipse up to that
/// perigee, its apogee where the target's perigee lies, and the one burn there raises the far
/// side to the target's apogee, for less payload than the apogee burn's.
#[test]
fn a_short_second_burn_reaches_a_gto_whose_perigee_lies_above_the_parking_orbit() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = include_str!("../../../../data/vehicles/h-iia-202.toml");
    let text = catalog.replacen("max_burns = 2\n", "max_burns = 3\n", 1);
    assert_ne!(text, catalog, "the catalog's second stage is rated for two burns");
    let three = dir.path().join("h-iia-3-burns.toml");
    std::fs::write(&three, text).unwrap();
    let three = three.to_str().unwrap();
    let two = "h-iia-202";
    // `vehicle`: the catalog id or the copy's file.
    let gto = |vehicle: &str, perigee_km: &str| -> Vec<String> {
        [
            "payload",
            vehicle,
            "--site",
            "tanegashima-yoshinobu",
            "--orbit",
            "gto",
            "--perigee-km",
            perigee_km,
            "--apogee-km",
            "36226",
            "--inclination-deg",
            "28.5",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let json = |mut args: Vec<String>| {
        args.push("--json".to_owned());
        transfer_json(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let mut payloads = Vec::new();
    for vehicle in [two, three] {
        let v = json(gto(vehicle, "250"));
        let perigee_km = v["orbit"]["perigee_km"].as_f64().unwrap();
        assert!((200.0..=250.0).contains(&perigee_km), "{}", v["orbit"]);
        assert!((v["orbit"]["apogee_km"].as_f64().unwrap() - 36_226.0).abs() < 50.0, "{}", v["orbit"]);
        assert!((v["orbit"]["inclination_deg"].as_f64().unwrap() - 28.5).abs() < 0.1, "{}", v["orbit"]);
        assert_eq!(v["perigee_free"], true, "{}", v["orbit"]);
        payloads.push(v["payload_kg"].as_f64().unwrap());
    }
    assert!((payloads[0] - payloads[1]).abs() < 5.0, "{payloads:?}");
    assert!((3000.0..7000.0).contains(&payloads[0]), "{payloads:?}");
    // 400 km: an apogee burn raises the perigee, so three burns fly and two are refused.
    let v = json(gto(three, "400"));
    assert!((v["orbit"]["perigee_km"].as_f64().unwrap() - 400.0).abs() < 50.0, "{}", v["orbit"]);
    assert_eq!(v["burns"].as_array().unwrap().len(), 3, "{}", v["burns"]);
    assert_eq!(v["perigee_free"], false);
    let with_apogee_burn_kg = v["payload_kg"].as_f64().unwrap();
    let v = json(gto(two, "400"));
    assert_eq!((v["parking"]["perigee_km"].as_f64(), v["parking"]["apogee_km"].as_f64()), (Some(200.0), Some(400.0)), "{}", v["parking"]);
    assert!((v["orbit"]["perigee_km"].as_f64().unwrap() - 400.0).abs() < 50.0, "{}", v["orbit"]);
    assert_eq!(v["burns"].as_array().unwrap().len(), 2, "{}", v["burns"]);
    assert_eq!(v["perigee_free"], true);
    let raised_kg = v["payload_kg"].as_f64().unwrap();
    assert!((0.8 * with_apogee_burn_kg..with_apogee_burn_kg).contains(&raised_kg), "{raised_kg} vs {with_apogee_burn_kg} kg");
}
