//! The solid-boosted launchers of `data/vehicles/` that cannot fly yet (the flight loop does not
//! follow solid thrust curves): each file reads and validates, each motor's curve integrates to
//! its propellant × stated Isp × g0 within the format's tolerance, and the ideal Δv budget of a
//! solid stage is Tsiolkovsky's at the motor's delivered Isp. They are not in the catalog.

use cosmodrome::propulsion::delta_v_budget;
use cosmodrome::units::G0_M_S2;
use cosmodrome::vehicle::{catalog_ids, Separation, Vehicle, SOLID_IMPULSE_TOLERANCE};

/// The files, by id (not catalog ids yet).
const SOLID_LAUNCHERS: [(&str, &str); 6] = [
    ("ariane-5-eca", include_str!("../data/vehicles/ariane-5-eca.toml")),
    ("ariane-62", include_str!("../data/vehicles/ariane-62.toml")),
    ("ariane-64", include_str!("../data/vehicles/ariane-64.toml")),
    ("vega-c", include_str!("../data/vehicles/vega-c.toml")),
    ("h-iia-202", include_str!("../data/vehicles/h-iia-202.toml")),
    ("pslv-xl", include_str!("../data/vehicles/pslv-xl.toml")),
];

fn load(id: &str, text: &str) -> Vehicle {
    let (vehicle, warnings) = Vehicle::from_toml(text, &format!("{id}.toml")).unwrap_or_else(|e| panic!("{e}"));
    // The only finding allowed: that the flight loop does not follow the curves yet.
    for w in &warnings {
        assert!(w.message.contains("does not follow solid thrust curves yet"), "{id}: unexpected warning {w}");
    }
    assert_eq!(warnings.len(), vehicle.stages.iter().filter(|s| s.is_solid()).count(), "{id}: {warnings:?}");
    vehicle
}

#[test]
fn solid_launchers_read_and_validate_and_are_not_in_the_catalog_yet() {
    for (id, text) in SOLID_LAUNCHERS {
        let v = load(id, text);
        assert!(v.has_solid_motors(), "{id}");
        assert!(!catalog_ids().contains(&id), "{id} must not be in the catalog before solids fly");
        assert!(v.liftoff_thrust_to_weight(0.0) > 1.0, "{id}: T/W {}", v.liftoff_thrust_to_weight(0.0));
    }
}

/// Every motor's curve against its propellant × stated Isp × g0, within the tolerance the
/// format refuses beyond; and the figures `info` will show are finite and consistent.
#[test]
fn every_motor_curve_integrates_to_its_propellant_times_isp() {
    for (id, text) in SOLID_LAUNCHERS {
        let v = load(id, text);
        for stage in v.stages.iter().filter(|s| s.is_solid()) {
            let motor = stage.motor.as_ref().expect("solid");
            let expected = motor.propellant_mass_kg * motor.rated_isp_vac_s * G0_M_S2;
            let off = (motor.total_impulse_vac_n_s() - expected) / expected;
            assert!(off.abs() <= SOLID_IMPULSE_TOLERANCE, "{id} {}: {:+.2} %", stage.name, 100.0 * off);
            assert_eq!(off, motor.impulse_disagreement());
            assert!((motor.propellant_burned_kg(motor.burn_time_s()) - stage.propellant_mass_kg).abs() < 1e-6 * stage.propellant_mass_kg);
            let average = motor.average_thrust_vac_n();
            assert!(average > 0.0 && average <= motor.max_thrust_vac_n(), "{id} {}", stage.name);
            assert!((average * motor.burn_time_s() - motor.total_impulse_vac_n_s()).abs() < 1e-6 * expected);
            assert!(motor.action_time_s() > 0.0 && motor.action_time_s() <= motor.burn_time_s());
            // The constant-thrust equivalent the current flight loop flies burns as long.
            assert!((stage.burn_time_full_throttle_s() - motor.burn_time_s()).abs() < 1e-9 * motor.burn_time_s());
            if let Separation::BelowThrust { since_ignition_s, .. } = stage.separation {
                assert!(since_ignition_s <= motor.burn_time_s());
            }
        }
    }
}

/// A solid first stage alone: the budget's first phase is Tsiolkovsky at the delivered Isp,
/// whatever the curve's shape, since the mass flow follows the thrust.
#[test]
fn the_delta_v_budget_of_a_solid_stage_is_tsiolkovsky_at_the_delivered_isp() {
    let (id, text) = SOLID_LAUNCHERS.iter().find(|(id, _)| *id == "vega-c").expect("vega-c");
    let v = load(id, text);
    let first = &v.stages[0];
    let motor = first.motor.as_ref().expect("P120C");
    let payload_kg = 2000.0;
    let budget = delta_v_budget(&v, payload_kg);
    let phase = &budget.phases[0];
    let m0 = v.liftoff_mass_kg(payload_kg);
    let m1 = m0 - first.total_propellant_kg();
    assert!((phase.start_mass_kg - m0).abs() < 1e-6 && (phase.end_mass_kg - m1).abs() < 1e-6);
    let expected = motor.delivered_isp_vac_s() * G0_M_S2 * (m0 / m1).ln();
    assert!((phase.delta_v_m_s - expected).abs() < 1e-9 * expected, "{} against {expected}", phase.delta_v_m_s);
    assert!((phase.end_s - motor.burn_time_s()).abs() < 1e-9 * motor.burn_time_s());
}
