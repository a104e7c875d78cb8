//! Golden regression snapshots: the payload answer of every catalog vehicle at every case
//! `cosmodrome validate` flies without a parking orbit, and at 200 km from Vostochny (the
//! upper-stage vehicles also from their own site), with the event list of the optimal flight,
//! rounded to what is meaningful (1 kg, 0.01 km, 0.001°, 1 ms, 0.01 kPa).
//!
//! A change of behaviour shows as a snapshot diff in the commit that makes it. To accept an
//! intended change, run the tests with `INSTA_UPDATE=always` (or `cargo insta review`) and read
//! the diff of `tests/snapshots/` before committing it. A refactoring that changes nothing must
//! leave every snapshot as it is.

use std::fmt::Write;

use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
use cosmodrome::validation::{
    parse_table, BUILTIN_SOLID_TABLE, BUILTIN_SOLID_TABLE_FILE, BUILTIN_TABLE, BUILTIN_TABLE_FILE, BUILTIN_UPPER_TABLE,
    BUILTIN_UPPER_TABLE_FILE,
};
use cosmodrome::vehicle::{catalog_ids, SiteCatalog};
use rayon::prelude::*;

use crate::common::vehicle;

/// One flown case: catalog vehicle, site, orbit (inclination `None`: the site's default).
#[derive(Debug, Clone)]
struct Case {
    name: String,
    vehicle: String,
    site: String,
    perigee_km: f64,
    apogee_km: f64,
    inclination_deg: Option<f64>,
}

fn cases() -> Vec<Case> {
    // The cases flown by the payload optimizer (no `shortcut`; those through a parking orbit are
    // checked by `validate` and the transfer tests).
    let main = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).expect("published table");
    let solid = parse_table(BUILTIN_SOLID_TABLE, BUILTIN_SOLID_TABLE_FILE).expect("published solid table");
    let upper = parse_table(BUILTIN_UPPER_TABLE, BUILTIN_UPPER_TABLE_FILE).expect("published upper-stage table");
    let table: Vec<_> = main.into_iter().chain(solid).chain(upper).filter(|c| c.shortcut.is_none()).collect();
    let mut cases: Vec<Case> = table
        .iter()
        .map(|c| Case {
            name: format!("{}-{}-{}-{:.0}x{:.0}", c.vehicle, c.site, c.orbit.to_lowercase(), c.perigee_km, c.apogee_km),
            vehicle: c.vehicle.clone(),
            site: c.site.clone(),
            perigee_km: c.perigee_km,
            apogee_km: c.apogee_km,
            inclination_deg: c.inclination_deg,
        })
        .collect();
    for id in catalog_ids() {
        cases.push(Case {
            name: format!("{id}-vostochny-leo-200"),
            vehicle: id.to_owned(),
            site: "vostochny".to_owned(),
            perigee_km: 200.0,
            apogee_km: 200.0,
            inclination_deg: None,
        });
    }
    // The upper-stage vehicles also from the site they fly from (their upper stage offloaded to
    // the load that carries the most to 200 km).
    for (id, site) in [("angara-a5-briz-m", "plesetsk"), ("soyuz-2.1a-fregat", "kourou"), ("soyuz-2.1b-fregat", "kourou")] {
        cases.push(Case {
            name: format!("{id}-{site}-leo-200"),
            vehicle: id.to_owned(),
            site: site.to_owned(),
            perigee_km: 200.0,
            apogee_km: 200.0,
            inclination_deg: None,
        });
    }
    cases
}

/// The rounded text of one case's payload answer (or its error).
fn answer(case: &Case, sites: &SiteCatalog) -> String {
    let v = vehicle(&case.vehicle);
    let mut out = String::new();
    let site = match sites.pad_for(&case.site, v.family.as_deref()) {
        Ok(choice) => choice.site,
        Err(e) => return format!("error: {e}\n"),
    };
    let inclination_deg = case.inclination_deg.unwrap_or_else(|| site.default_inclination_deg());
    let target =
        TargetOrbit { perigee_m: case.perigee_km * 1e3, apogee_m: case.apogee_km * 1e3, inclination_deg, argument_of_perigee_deg: None };
    let _ = writeln!(
        out,
        "{} from {} to {:.2} x {:.2} km at {:.3} deg",
        case.vehicle, site.id, case.perigee_km, case.apogee_km, inclination_deg
    );
    let s = match maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            return out;
        }
    };
    let f = &s.flight;
    let _ = writeln!(out, "payload_kg {:.0}", s.payload_kg);
    let _ = writeln!(
        out,
        "orbit_km {:.2} x {:.2} at {:.3} deg",
        s.orbit.perigee_altitude_m() / 1e3,
        s.orbit.apogee_altitude_m() / 1e3,
        s.orbit.inclination_rad.to_degrees()
    );
    let _ = writeln!(out, "launch_azimuth_deg {:.3}", s.launch.azimuth_deg);
    let _ = writeln!(out, "insertion_mass_kg {:.0}", f.final_point.mass_kg);
    let _ = writeln!(out, "max_q_kpa {:.2}", f.max_dynamic_pressure_pa / 1e3);
    let _ = writeln!(out, "max_axial_accel_g {:.2}", f.max_axial_accel_g);
    let b = &f.loss_budget;
    let _ = writeln!(
        out,
        "losses_m_s gravity {:.0} drag {:.0} steering {:.0} thrust {:.0}",
        b.gravity_loss_m_s, b.drag_loss_m_s, b.steering_loss_m_s, b.thrust_loss_m_s
    );
    let _ = writeln!(out, "events");
    for e in &f.events {
        // A pad a hair under the ellipsoid prints 0.00, not -0.00 (adding 0.0 turns -0.0 into +0.0).
        let altitude_km = (e.point.altitude_m / 10.0).round() / 100.0 + 0.0;
        let _ = writeln!(out, "  {:>10.3} s  {:<18} {:>8.2} km  {}", e.point.time_s, e.kind.name(), altitude_km, e.description);
    }
    out
}

#[test]
fn payload_answers_match_their_snapshots() {
    let sites = SiteCatalog::builtin().expect("sites");
    let cases = cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "two cases share a snapshot name");
    let answers: Vec<String> = cases.par_iter().map(|c| answer(c, &sites)).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // Every case is compared before the test fails, so that one run names every snapshot a
    // change moved (insta stops at its first mismatch).
    let mut moved = Vec::new();
    settings.bind(|| {
        for (case, text) in cases.iter().zip(&answers) {
            let compared = std::panic::catch_unwind(|| insta::assert_snapshot!(case.name.clone(), text));
            if compared.is_err() {
                moved.push(case.name.clone());
            }
        }
    });
    assert!(moved.is_empty(), "{} snapshot(s) differ: {}", moved.len(), moved.join(", "));
}
