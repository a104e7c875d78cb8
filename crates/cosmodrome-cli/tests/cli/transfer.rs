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
    let o = run(&["payload", "falcon-9-block-5", "--site", "cape-canaveral", "--orbit", "gto", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "cosmodrome-payload/1");
}
