//! The Δv budget of a flight: ideal Δv less gravity, drag, steering and back-pressure losses,
//! plus the Earth's rotation, adds up to the final inertial speed.

use cosmodrome::flight::losses::LossBudget;
use cosmodrome::flight::{fly, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{AscentParameters, AscentProgram, UpperSteering};
use cosmodrome::vehicle::Vehicle;

use crate::common::fly_default;

/// The budget closes to this, m/s: the bar; the integrals share the state's error
/// control (relative 1e-7), so the miss is the integrator's, far below it.
const CLOSURE_M_S: f64 = 1.0;

fn check_closes(what: &str, b: &LossBudget) {
    assert!(b.closure_error_m_s().abs() < CLOSURE_M_S, "{what}: budget {b:?} misses the final speed by {} m/s", b.closure_error_m_s());
    for (name, x) in
        [("ideal", b.ideal_delta_v_m_s), ("gravity", b.gravity_loss_m_s), ("drag", b.drag_loss_m_s), ("thrust", b.thrust_loss_m_s)]
    {
        assert!(x.is_finite() && x > 0.0, "{what}: {name} term {x} m/s must be positive in an ascent through the air");
    }
    assert!(b.steering_loss_m_s >= 0.0, "{what}: steering loss {} m/s", b.steering_loss_m_s);
}

/// The identity on catalog flights of every kind: boosters and core, a plain two-stage
/// vehicle, throttling, the optimizer's targeted ascent.
#[test]
fn budget_adds_up_to_the_final_inertial_speed_on_catalog_flights() {
    for (id, payload_kg) in [("soyuz-2.1b", 7_000.0), ("angara-a5", 20_000.0), ("angara-1.2", 2_000.0), ("soyuz-2.1v", 2_000.0)] {
        let (_, result) = fly_default(id, payload_kg, "vostochny", None);
        check_closes(id, &result.loss_budget);
        // The pad at 51.9° N moves east at ~287 m/s.
        assert!((250.0..300.0).contains(&result.loss_budget.earth_rotation_m_s), "{id}: {:?}", result.loss_budget);
    }
}

/// Without air there is neither drag nor back-pressure loss, exactly; vertical thrust along a
/// velocity that is vertical from the start has no steering loss.
#[test]
fn vacuum_flight_has_no_drag_or_back_pressure_loss() {
    let (vehicle, _) = Vehicle::from_toml(crate::physics::TWO_STAGE, "two-stage.toml").expect("valid");
    let launch = Launch { latitude_deg: 0.0, longitude_deg: 0.0, altitude_m: 0.0, azimuth_deg: 90.0 };
    let options = FlightOptions { atmosphere: false, max_time_s: 600.0, ..FlightOptions::default() };
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: 5_000.0, launch, options };
    let parameters = AscentParameters { steering: UpperSteering::GravityTurn, pitch_kick_deg: 2.0, ..AscentParameters::default() };
    let result = fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &launch)).expect("flight");
    let b = result.loss_budget;
    assert_eq!(b.drag_loss_m_s, 0.0);
    assert_eq!(b.thrust_loss_m_s, 0.0);
    assert!(b.closure_error_m_s().abs() < CLOSURE_M_S, "{b:?}");
    assert!(b.gravity_loss_m_s > 500.0, "{b:?}");
}
