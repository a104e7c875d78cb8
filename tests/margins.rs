//! Mass margins in flight: the flight performance reserve stays aboard, the payload adapter
//! flies to orbit without counting as payload, `[[jettison]]` items leave when they are due.

use cosmodrome::flight::{fly, EventKind, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{AscentParameters, AscentProgram, Branch, UpperSteering};
use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
use cosmodrome::vehicle::{catalog_vehicle, SiteCatalog, Vehicle};

/// An interstage dropped 10 s after the boosters separate and a tower at 150 s: each leaves at
/// its time, with its mass, and the budget still closes.
#[test]
fn jettison_items_leave_when_due() {
    let text = format!(
        "{}\n[[jettison]]\nname = \"interstage\"\nmass_kg = 1000\nafter = \"separation:boosters\"\ndelay_s = 10\n\n[[jettison]]\nname = \"tower\"\nmass_kg = 700\ntime_s = 150\n",
        crate::physics::TWO_STAGE
    );
    let (vehicle, _) = Vehicle::from_toml(&text, "two-stage-jettison.toml").expect("valid");
    let launch = Launch { latitude_deg: 5.2, longitude_deg: -52.8, altitude_m: 0.0, azimuth_deg: 90.0 };
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: 5_000.0, launch, options: FlightOptions::default() };
    let parameters = AscentParameters { steering: UpperSteering::GravityTurn, pitch_kick_deg: 1.5, ..AscentParameters::default() };
    let result = fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &launch)).expect("flight");
    let separation = result.event(&EventKind::Separation { stage: 0 }).expect("booster separation").point.time_s;
    let drops: Vec<_> = result.events.iter().filter(|e| matches!(e.kind, EventKind::Jettison { .. })).collect();
    assert_eq!(drops.len(), 2, "{:?}", result.events.iter().map(|e| &e.description).collect::<Vec<_>>());
    let interstage = drops.iter().find(|e| e.description == "jettison of interstage").expect("interstage");
    assert!((interstage.point.time_s - (separation + 10.0)).abs() < 1e-6, "{} vs {separation}", interstage.point.time_s);
    let tower = drops.iter().find(|e| e.description == "jettison of tower").expect("tower");
    assert!((tower.point.time_s - 150.0).abs() < 1e-6);
    assert!(result.loss_budget.closure_error_m_s().abs() < 1.0);
    // The liftoff mass carries both items.
    let (plain, _) = Vehicle::from_toml(crate::physics::TWO_STAGE, "two-stage.toml").expect("valid");
    assert!((result.events[0].point.mass_kg - plain.liftoff_mass_kg(5_000.0) - 1_700.0).abs() < 1e-6);
}

/// With a 2 % reserve and a 150 kg adapter the optimized ascent ends with the reserve and the
/// adapter aboard: the mass in orbit is payload, adapter, the last stage's burnout mass and its
/// reserve; the payload falls by more than the adapter.
#[test]
fn reserve_and_adapter_fly_to_orbit_and_are_not_payload() {
    let base = catalog_vehicle("soyuz-2.1b").expect("catalog");
    let with = format!("{base}\n[margins]\nflight_performance_reserve = 0.02\npayload_adapter_mass_kg = 150\n");
    let (plain, _) = Vehicle::from_toml(base, "soyuz-2.1b.toml").expect("valid");
    let (margins, _) = Vehicle::from_toml(&with, "soyuz-2.1b-margins.toml").expect("valid");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    let solve =
        |v: &Vehicle| maximize_payload(v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("solved");
    let (a, b) = (solve(&plain), solve(&margins));
    let upper = margins.stages.last().expect("stages");
    assert!(upper.reserve_mass_kg > 0.0);
    let expected_kg = b.payload_kg + 150.0 + upper.burnout_mass_kg();
    assert!((b.flight.final_point.mass_kg - expected_kg).abs() < 1.0, "{} vs {expected_kg}", b.flight.final_point.mass_kg);
    assert!(a.payload_kg - b.payload_kg > 150.0 + 0.5 * upper.reserve_mass_kg, "{} → {}", a.payload_kg, b.payload_kg);
}
