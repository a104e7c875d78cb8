//! The Δv budget of a flight: ideal Δv less gravity, drag, steering and back-pressure losses,
//! plus the Earth's rotation, adds up to the final inertial speed.

use cosmodrome::flight::losses::LossBudget;
use cosmodrome::flight::{fly, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{AscentParameters, AscentProgram, UpperSteering};
use cosmodrome::vehicle::Vehicle;

use crate::common::fly_default;

/// The budget closes to this, m/s: the contract's bar; the integrals share the state's error
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

/// Saturn V to the Apollo parking orbit (185 km circular, 32.5° from LC-39A; the S-IVB burns
/// its first 165 s, the rest of its load rides with the spacecraft as payload), flown by the
/// payload optimizer.
fn saturn_v_budget() -> (LossBudget, cosmodrome::flight::FlightResult) {
    use cosmodrome::guidance::Branch;
    use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
    use cosmodrome::vehicle::SiteCatalog;

    let vehicle = crate::common::reference_vehicle("saturn-v-ascent.toml");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("kennedy-lc39a").expect("LC-39A");
    let target = TargetOrbit { perigee_m: 185e3, apogee_m: 185e3, inclination_deg: 32.5, argument_of_perigee_deg: None };
    let s = maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
        .expect("Saturn V reaches orbit");
    (s.flight.loss_budget, sampled_reflight(&vehicle, &s))
}

/// The optimizer's flight flown once more with its trajectory sampled every 0.5 s (the optimizer
/// flies without samples), for the Earth-relative gravity loss.
fn sampled_reflight(vehicle: &Vehicle, s: &cosmodrome::optimize::payload::PayloadSolution) -> cosmodrome::flight::FlightResult {
    let options = FlightOptions { sample_interval_s: Some(0.5), ..FlightOptions::default() };
    let setup = FlightSetup { vehicle, payload_kg: s.payload_kg, launch: s.launch, options };
    let sampled = fly(&setup, &mut AscentProgram::new(s.parameters, vehicle, &s.launch)).expect("re-flown");
    // The sampled re-flight is the optimizer's flight.
    assert!((sampled.final_point.speed_m_s - s.flight.final_point.speed_m_s).abs() < 1.0, "{:?}", sampled.final_point);
    sampled
}

/// Published Saturn V losses: gravity 1,534 m/s, drag 40 m/s, as tabulated (with Ariane A-44L,
/// Atlas I, Delta 7925, Shuttle and Titan IV/Centaur) in the NASASpaceflight forum post
/// forum.nasaspaceflight.com/index.php?topic=9959.msg189860#msg189860, read as quoted (with that
/// link) in the comments of a public trajectory script; the post itself was not read. The table
/// gives neither the trajectory nor the payload, and no steering loss.
const SATURN_V_GRAVITY_LOSS_M_S: f64 = 1534.0;
/// See [`SATURN_V_GRAVITY_LOSS_M_S`].
const SATURN_V_DRAG_LOSS_M_S: f64 = 40.0;

/// Drag loss within 40 m/s of the published figure, fixed before flying: it is small for so
/// heavy a vehicle, and this model flies the generic drag curve (no Saturn V Cd(M) in the
/// sources), so a factor of two either way is allowed. The budget closes as everywhere.
#[test]
fn saturn_v_drag_loss_matches_the_published_budget() {
    let (b, _) = saturn_v_budget();
    check_closes("saturn-v", &b);
    assert!((b.drag_loss_m_s - SATURN_V_DRAG_LOSS_M_S).abs() <= 40.0, "drag loss {b:?}");
}

/// Gravity loss of the optimized ascent within 15 % of the published figure, fixed before flying:
/// the published budget states neither trajectory nor payload, and the gravity loss moves with
/// both; 15 % is a judgement of that spread, not a computed figure. Taken against the inertial
/// velocity (the budget's definition) it fails: 885 m/s of gravity loss and 828 m/s of steering
/// loss (sum 1,713 m/s). This was first read as the optimizer flying flatter
/// than the Saturn V; the as-flown AS-506 below, whose cutoff states are the flight's, splits the
/// same way (882 and 864 m/s), so the split is the inertial definition, not the ascent shape. Kept,
/// ignored, as the record of the inertial split.
#[test]
#[ignore = "definition mismatch: inertial gravity loss 885 m/s (steering 828 m/s) against the published 1,534 m/s; see the Earth-relative tests"]
fn saturn_v_gravity_loss_matches_the_published_budget() {
    let (b, _) = saturn_v_budget();
    assert!((b.gravity_loss_m_s - SATURN_V_GRAVITY_LOSS_M_S).abs() <= 0.15 * SATURN_V_GRAVITY_LOSS_M_S, "gravity loss {b:?}");
}

/// The optimized ascent's gravity loss against the Earth-relative motion, within the same 15 %
/// (fixed before any run; the definition was changed after the inertial runs, see
/// [`as506_earth_relative_gravity_loss_matches_the_published_budget`]).
#[test]
fn saturn_v_earth_relative_gravity_loss_matches_the_published_budget() {
    let (b, sampled) = saturn_v_budget();
    let gravity_rel = earth_relative_gravity_loss_m_s(&sampled);
    eprintln!("Saturn V optimized ascent: gravity loss Earth-relative {gravity_rel:.0} m/s; inertial budget {b:?}");
    assert!(
        (gravity_rel - SATURN_V_GRAVITY_LOSS_M_S).abs() <= 0.15 * SATURN_V_GRAVITY_LOSS_M_S,
        "Earth-relative gravity loss {gravity_rel:.0} m/s against the published {SATURN_V_GRAVITY_LOSS_M_S} m/s"
    );
}

/// AS-506 as flown (tests/reference/as-506.toml, steered by the payload optimizer into the flown
/// parking orbit, as `validation::fly_flown` flies it), flown once more with its trajectory
/// sampled every 0.5 s: the optimizer's solution and the sampled flight.
fn as506_as_flown() -> (LossBudget, cosmodrome::flight::FlightResult) {
    use cosmodrome::guidance::Branch;
    use cosmodrome::optimize::payload::maximize_payload;
    use cosmodrome::validation::{parse_flown, BUILTIN_FLIGHTS};
    use cosmodrome::vehicle::SiteCatalog;

    let flight = &BUILTIN_FLIGHTS[0];
    let reference = parse_flown(flight.events_text, flight.events_file).expect("events");
    let (vehicle, _) = Vehicle::from_toml(flight.vehicle_text, flight.vehicle_file).expect("AS-506 vehicle");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get(&reference.site).expect("site");
    let s = maximize_payload(&vehicle, site, &reference.target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
        .expect("AS-506 flies to its parking orbit");
    (s.flight.loss_budget, sampled_reflight(&vehicle, &s))
}

/// Gravity loss against the Earth-relative motion, `∫ g sin γ_rel dt` with `g = μ/r²` and `γ_rel`
/// the flight-path angle of the velocity relative to the rotating Earth: the textbook definition
/// of ascent losses (the flight-path angle of a launcher's trajectory is the Earth-relative one),
/// by the trapezoid rule over the samples.
fn earth_relative_gravity_loss_m_s(flight: &cosmodrome::flight::FlightResult) -> f64 {
    earth_relative_gravity_loss_until_m_s(flight, f64::INFINITY)
}

/// [`earth_relative_gravity_loss_m_s`] from liftoff to `until_s` (to the sample at or before it).
fn earth_relative_gravity_loss_until_m_s(flight: &cosmodrome::flight::FlightResult, until_s: f64) -> f64 {
    use cosmodrome::environment::earth::{MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S};
    use nalgebra::Vector3;
    let omega = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S);
    let integrand = |p: &cosmodrome::flight::FlightPoint| {
        let r = p.position_eci_m;
        let v_rel = p.velocity_eci_m_s - omega.cross(&r);
        let sin_gamma = v_rel.dot(&r) / (v_rel.norm() * r.norm()).max(1e-9);
        MU_EARTH_M3_S2 / r.norm_squared() * sin_gamma
    };
    flight
        .samples
        .windows(2)
        .filter(|w| w[1].point.time_s <= until_s)
        .map(|w| 0.5 * (integrand(&w[0].point) + integrand(&w[1].point)) * (w[1].point.time_s - w[0].point.time_s))
        .sum()
}

/// Gravity loss of the as-flown AS-506 ascent within 10 % of the published Saturn V figure, fixed
/// before the first run. Unlike the optimized ascent above, this flight is the flight: its masses,
/// engines and event times are AS-506's and its state at every cutoff is the flight's (altitude
/// within 2.5 %, speed within 0.3 %, flight-path angle within 0.7°; tests/flown.rs). A 1°
/// flight-path error held over the S-II burn (385 s at g ≈ 9.5 m/s²) moves the gravity loss by
/// about 60 m/s and over the S-IC burn by about 15 m/s: some 5 % of 1,534 m/s; the other 5 % was
/// for what the table does not state.
///
/// It fails: the budget's gravity loss is taken against the *inertial* velocity, 882 m/s, with a
/// steering loss of 864 m/s (sum 1,746 m/s; drag 32 m/s, back-pressure 123 m/s; run of this
/// branch). The inertial velocity at liftoff is the pad's 409 m/s eastward, so while the Saturn V
/// rises vertically its thrust is nearly square to the inertial motion: what a launcher's budget
/// books as gravity loss in the vertical rise, this definition books as steering loss. The
/// published figure is not of this definition (see the Earth-relative test below); kept, ignored,
/// as the record of the inertial split.
#[test]
#[ignore = "definition mismatch: inertial gravity loss 882 m/s (steering 864 m/s) against the published 1,534 m/s; see the Earth-relative test"]
fn as506_inertial_gravity_loss_against_the_published_budget() {
    let (b, _) = as506_as_flown();
    check_closes("AS-506", &b);
    assert!(
        (b.gravity_loss_m_s - SATURN_V_GRAVITY_LOSS_M_S).abs() <= 0.10 * SATURN_V_GRAVITY_LOSS_M_S,
        "gravity loss {:.0} m/s against the published {SATURN_V_GRAVITY_LOSS_M_S} m/s: {b:?}",
        b.gravity_loss_m_s
    );
}

/// The published budget compared like with like: the as-flown AS-506's gravity loss against the
/// Earth-relative motion (how launcher loss tables are computed: gravity along the flight-path
/// angle the trajectory is flown at) within the same 10 % as the inertial test above, and the
/// drag loss within 40 m/s as for the optimized ascent. The 10 % was fixed before the inertial
/// run; the Earth-relative definition was chosen after that run failed, for the reason stated
/// there, and is the one change made after seeing a result. Liftoff to parking-orbit insertion
/// (S-IVB first cutoff): the published table is of ascents to orbit.
#[test]
fn as506_earth_relative_gravity_loss_matches_the_published_budget() {
    let (b, sampled) = as506_as_flown();
    check_closes("AS-506", &b);
    let gravity_rel = earth_relative_gravity_loss_m_s(&sampled);
    eprintln!("AS-506 as flown, liftoff to insertion: gravity loss Earth-relative {gravity_rel:.0} m/s; inertial budget {b:?}");
    for e in &sampled.events {
        if matches!(e.kind, cosmodrome::flight::EventKind::Burnout { .. }) {
            eprintln!(
                "  to {} at {:.1} s: {:.0} m/s",
                e.description,
                e.point.time_s,
                earth_relative_gravity_loss_until_m_s(&sampled, e.point.time_s)
            );
        }
    }
    assert!(
        (gravity_rel - SATURN_V_GRAVITY_LOSS_M_S).abs() <= 0.10 * SATURN_V_GRAVITY_LOSS_M_S,
        "Earth-relative gravity loss {gravity_rel:.0} m/s against the published {SATURN_V_GRAVITY_LOSS_M_S} m/s"
    );
    assert!((b.drag_loss_m_s - SATURN_V_DRAG_LOSS_M_S).abs() <= 40.0, "drag loss {b:?}");
}
