//! Closed-form physics checks of the flight machinery: Tsiolkovsky, Kepler, the J2 nodal
//! regression and the vacuum ballistic range. Each states why its tolerance is what it is.

use cosmodrome::environment::earth::MU_EARTH_M3_S2;
use cosmodrome::environment::elements::{j2_nodal_regression_rad_s, specific_angular_momentum, specific_energy, OrbitalElements};
use cosmodrome::environment::gravity::GravityModel;
use cosmodrome::flight::integrator::{locate_root, DormandPrince, IntegratorOptions, OdeSystem};
use cosmodrome::flight::{fly, EventKind, FlightOptions, FlightResult, FlightSetup, Guidance, GuidanceInput, Launch};
use cosmodrome::propulsion::delta_v_budget;
use cosmodrome::units::G0_M_S2;
use cosmodrome::vehicle::Vehicle;
use nalgebra::Vector3;

/// Two-body (optionally zonal) motion: y = [r, v].
struct Orbit {
    gravity: GravityModel,
}

impl OdeSystem<6> for Orbit {
    fn derivatives(&self, _t: f64, y: &[f64; 6], dydt: &mut [f64; 6]) {
        let a = self.gravity.acceleration(&Vector3::new(y[0], y[1], y[2]));
        dydt[..3].copy_from_slice(&y[3..]);
        dydt[3] = a.x;
        dydt[4] = a.y;
        dydt[5] = a.z;
    }
}

fn tight() -> IntegratorOptions {
    IntegratorOptions { rel_tol: 1e-13, abs_tol: 1e-9, max_step_s: 60.0, ..IntegratorOptions::default() }
}

fn state(r: Vector3<f64>, v: Vector3<f64>) -> [f64; 6] {
    [r.x, r.y, r.z, v.x, v.y, v.z]
}

#[test]
fn kepler_orbit_conserves_energy_and_angular_momentum_over_ten_revolutions() {
    let elements = OrbitalElements {
        semi_major_axis_m: 7_000e3,
        eccentricity: 0.1,
        inclination_rad: 0.9,
        raan_rad: 0.3,
        arg_perigee_rad: 1.1,
        true_anomaly_rad: 0.0,
    };
    let (r0, v0) = elements.to_state(MU_EARTH_M3_S2);
    let period = elements.period_s(MU_EARTH_M3_S2);
    let mut integrator = DormandPrince::new(tight(), 0.0, state(r0, v0));
    let system = Orbit { gravity: GravityModel::PointMass };
    let end = 10.0 * period;
    while integrator.time() < end {
        integrator.step(&system, end).expect("integration");
    }
    let y = integrator.state();
    let (r, v) = (Vector3::new(y[0], y[1], y[2]), Vector3::new(y[3], y[4], y[5]));
    let e0 = specific_energy(&r0, &v0, MU_EARTH_M3_S2);
    let h0 = specific_angular_momentum(&r0, &v0);
    let de = ((specific_energy(&r, &v, MU_EARTH_M3_S2) - e0) / e0).abs();
    let dh = (specific_angular_momentum(&r, &v) - h0).norm() / h0.norm();
    // The contract's bar: 1e-9 relative after 10 revolutions at tight tolerances.
    assert!(de <= 1e-9, "energy drift {de:e}");
    assert!(dh <= 1e-9, "angular momentum drift {dh:e}");
    // And the orbit closes: back at perigee after 10 periods, to well under a metre per revolution.
    assert!((r - r0).norm() < 10.0, "position error after 10 periods {} m", (r - r0).norm());
}

#[test]
fn j2_nodal_regression_matches_the_analytic_rate() {
    // A 400 km, 51.6° orbit, integrated for 3 days with J2 only. RAAN is read at each ascending
    // node, where the short-periodic terms repeat, and the secular rate is the least-squares slope.
    let elements = OrbitalElements {
        semi_major_axis_m: 6_778e3,
        eccentricity: 0.001,
        inclination_rad: 51.6f64.to_radians(),
        raan_rad: 0.0,
        arg_perigee_rad: 0.0,
        true_anomaly_rad: 0.0,
    };
    let (r0, v0) = elements.to_state(MU_EARTH_M3_S2);
    let system = Orbit { gravity: GravityModel::J2 };
    let mut integrator = DormandPrince::new(
        IntegratorOptions { rel_tol: 1e-11, abs_tol: 1e-6, max_step_s: 60.0, ..IntegratorOptions::default() },
        0.0,
        state(r0, v0),
    );
    let end = 3.0 * 86_400.0;
    let mut nodes: Vec<(f64, f64)> = Vec::new();
    let mut z_prev = r0.z;
    let mut mean_a = Vec::new();
    while integrator.time() < end {
        let seg = integrator.step(&system, end).expect("integration");
        let y1 = seg.end();
        if z_prev < 0.0 && y1[2] >= 0.0 {
            let t = locate_root(|t| seg.state_at(t)[2], seg.t0, z_prev, seg.t1, y1[2], 1e-6);
            let y = seg.state_at(t);
            let o = OrbitalElements::from_state(&Vector3::new(y[0], y[1], y[2]), &Vector3::new(y[3], y[4], y[5]), MU_EARTH_M3_S2);
            nodes.push((t, o.raan_rad));
            mean_a.push(o.semi_major_axis_m);
        }
        z_prev = y1[2];
    }
    assert!(nodes.len() > 40, "{} node crossings", nodes.len());
    // Unwrap and fit.
    let mut raan: Vec<f64> = nodes.iter().map(|n| n.1).collect();
    for k in 1..raan.len() {
        while raan[k] - raan[k - 1] > std::f64::consts::PI {
            raan[k] -= std::f64::consts::TAU;
        }
        while raan[k] - raan[k - 1] < -std::f64::consts::PI {
            raan[k] += std::f64::consts::TAU;
        }
    }
    let n = raan.len() as f64;
    let tm = nodes.iter().map(|x| x.0).sum::<f64>() / n;
    let rm = raan.iter().sum::<f64>() / n;
    let slope =
        nodes.iter().zip(&raan).map(|(x, r)| (x.0 - tm) * (r - rm)).sum::<f64>() / nodes.iter().map(|x| (x.0 - tm).powi(2)).sum::<f64>();
    // The analytic secular rate uses the mean semi-major axis; the node-crossing average of the
    // osculating one is a close proxy.
    let a = mean_a.iter().sum::<f64>() / mean_a.len() as f64;
    let analytic = j2_nodal_regression_rad_s(a, 0.001, 51.6f64.to_radians());
    let rel = ((slope - analytic) / analytic).abs();
    assert!(
        rel <= 0.01,
        "numerical {:.6} °/day vs analytic {:.6} °/day ({:.3} %)",
        slope.to_degrees() * 86_400.0,
        analytic.to_degrees() * 86_400.0,
        rel * 100.0
    );
}

#[test]
fn vacuum_ballistic_range_on_a_non_rotating_sphere_matches_the_closed_form() {
    // Launch from the surface of a sphere of radius R with speed v at flight-path angle γ; the
    // range angle ψ of the Keplerian arc back to radius R obeys
    // tan(ψ/2) = ν·sinγ·cosγ / (1 − ν·cos²γ), ν = v²R/μ (e.g. Regan & Anandakrishnan,
    // *Dynamics of Atmospheric Re-Entry*, §3).
    let radius = 6_371e3;
    let system = Orbit { gravity: GravityModel::PointMass };
    for &(speed, gamma_deg) in &[(2_000.0, 45.0), (4_000.0, 30.0), (6_000.0, 20.0), (1_000.0, 80.0)] {
        let gamma: f64 = f64::to_radians(gamma_deg);
        let r0 = Vector3::new(radius, 0.0, 0.0);
        let v0 = Vector3::new(speed * gamma.sin(), speed * gamma.cos(), 0.0);
        let mut integrator = DormandPrince::new(tight(), 0.0, state(r0, v0));
        let mut g_prev = 0.0;
        let mut impact = None;
        for _ in 0..100_000 {
            let seg = integrator.step(&system, 1e5).expect("integration");
            let y1 = seg.end();
            let g1 = Vector3::new(y1[0], y1[1], y1[2]).norm() - radius;
            if g_prev > 0.0 && g1 <= 0.0 {
                let t = locate_root(
                    |t| {
                        let y = seg.state_at(t);
                        Vector3::new(y[0], y[1], y[2]).norm() - radius
                    },
                    seg.t0,
                    g_prev,
                    seg.t1,
                    g1,
                    1e-9,
                );
                impact = Some(seg.state_at(t));
                break;
            }
            g_prev = g1;
        }
        let y = impact.expect("the arc comes back down");
        let psi = y[1].atan2(y[0]);
        let nu = speed * speed * radius / MU_EARTH_M3_S2;
        let expected = 2.0 * (nu * gamma.sin() * gamma.cos()).atan2(1.0 - nu * gamma.cos().powi(2));
        let range_error_m = (psi - expected).abs() * radius;
        // Event location to 1e-9 s at ≤ 8 km/s is ~1e-5 m; integration error is smaller still.
        assert!(range_error_m < 1e-2, "v {speed} γ {gamma_deg}: range error {range_error_m} m (range {} km)", expected * radius / 1e3);
    }
}

/// Thrust along a fixed inertial direction: with no gravity and no air the speed gained is
/// exactly Tsiolkovsky's.
struct FixedDirection(Vector3<f64>);

impl Guidance for FixedDirection {
    fn thrust_direction(&self, _input: &GuidanceInput) -> Vector3<f64> {
        self.0
    }
}

pub(crate) const TWO_STAGE: &str = r#"
format = 1
name = "Test parallel"
[[engine]]
id = "A"
propellant = "LOX/kerosene"
thrust_vac_kn = 2000.0
isp_vac_s = 330.0
throttle_min = 0.3
[[engine]]
id = "B"
propellant = "LOX/LH2"
thrust_vac_kn = 300.0
isp_vac_s = 450.0
[[stage]]
name = "boosters"
units = 2
engine = "A"
dry_mass_kg = 8000.0
propellant_mass_kg = 90000.0
residual_mass_kg = 0.0
diameter_m = 3.0
ignition = "liftoff"
[[stage]]
name = "core"
engine = "A"
dry_mass_kg = 9000.0
propellant_mass_kg = 120000.0
residual_mass_kg = 500.0
diameter_m = 3.0
ignition = "liftoff"
throttle = [{ level = 0.5, until = "separation:boosters" }]
[[stage]]
name = "upper"
engine = "B"
dry_mass_kg = 3000.0
propellant_mass_kg = 25000.0
residual_mass_kg = 0.0
diameter_m = 3.0
[margins]
flight_performance_reserve = 0.0
payload_adapter_mass_kg = 0.0
[fairing]
mass_kg = 1500.0
jettison_time_s = 1000.0
"#;

/// A two-stage vehicle whose upper stage mixes a main engine with four steering engines of
/// another Isp (`engines = [...]`), as Zenit's second stage or Proton's third.
const MIXED_UPPER: &str = r#"
format = 1
name = "Test mixed"
[[engine]]
id = "A"
propellant = "LOX/kerosene"
thrust_vac_kn = 2000.0
isp_vac_s = 330.0
[[engine]]
id = "Main"
propellant = "N2O4/UDMH"
thrust_vac_kn = 583.0
isp_vac_s = 325.0
[[engine]]
id = "Steering"
propellant = "N2O4/UDMH"
thrust_vac_kn = 7.75
isp_vac_s = 293.0
[[stage]]
name = "first"
engine = "A"
dry_mass_kg = 9000.0
propellant_mass_kg = 120000.0
residual_mass_kg = 0.0
diameter_m = 3.0
[[stage]]
name = "upper"
engines = [{ engine = "Main", count = 1 }, { engine = "Steering", count = 4 }]
dry_mass_kg = 3500.0
propellant_mass_kg = 40000.0
residual_mass_kg = 0.0
diameter_m = 3.0
[margins]
flight_performance_reserve = 0.0
payload_adapter_mass_kg = 0.0
"#;

/// The vehicle flown with a fixed thrust direction, no gravity and no air, tightly integrated:
/// the flight and the speed it gained, which Tsiolkovsky gives in closed form.
fn fly_in_vacuum_without_gravity(vehicle: &Vehicle, payload_kg: f64) -> (FlightResult, f64) {
    fly_in_vacuum_without_gravity_by(vehicle, payload_kg, &mut FixedDirection(Vector3::new(0.0, 0.6, 0.8)), 900.0)
}

/// [`fly_in_vacuum_without_gravity`] steered by `guidance`, stopped at `max_time_s` (with no
/// gravity nothing ever comes down: past the last burnout).
fn fly_in_vacuum_without_gravity_by(
    vehicle: &Vehicle,
    payload_kg: f64,
    guidance: &mut impl Guidance,
    max_time_s: f64,
) -> (FlightResult, f64) {
    let launch = Launch { latitude_deg: 0.0, longitude_deg: 0.0, altitude_m: 0.0, azimuth_deg: 90.0 };
    let mut options = FlightOptions { gravity: GravityModel::None, atmosphere: false, ..FlightOptions::default() };
    options.integrator.rel_tol = 1e-13;
    options.integrator.abs_tol = 1e-9;
    options.max_time_s = max_time_s;
    options.orbit_perigee_min_m = f64::NEG_INFINITY;
    let setup = FlightSetup { vehicle, payload_kg, launch, options };
    let result = fly(&setup, guidance).expect("flight");
    let gained = (result.final_point.velocity_eci_m_s - result.events[0].point.velocity_eci_m_s).norm();
    (result, gained)
}

/// The mixed stage burns its propellant at the summed flow and gains Tsiolkovsky's speed at the
/// effective Isp, total thrust over total mass flow, worked out here from the engines' figures.
#[test]
fn a_stage_of_several_engine_types_gives_tsiolkovsky_at_its_effective_isp() {
    let (vehicle, _) = Vehicle::from_toml(MIXED_UPPER, "mixed-upper.toml").expect("valid test vehicle");
    let payload_kg = 2_000.0;
    let (result, gained) = fly_in_vacuum_without_gravity(&vehicle, payload_kg);

    let g0 = G0_M_S2;
    let flow_upper_kg_s = 583e3 / (325.0 * g0) + 4.0 * 7.75e3 / (293.0 * g0);
    let isp_upper_s = (583e3 + 4.0 * 7.75e3) / (flow_upper_kg_s * g0);
    assert!(isp_upper_s < 325.0 && isp_upper_s > 293.0, "{isp_upper_s}");
    let m0 = 129_000.0 + 43_500.0 + payload_kg;
    let m1 = m0 - 120_000.0;
    let m2 = m1 - 9_000.0;
    let m3 = m2 - 40_000.0;
    let expected = 330.0 * g0 * (m0 / m1).ln() + isp_upper_s * g0 * (m2 / m3).ln();
    let rel = ((gained - expected) / expected).abs();
    assert!(rel <= 1e-9, "gained {gained} m/s, Tsiolkovsky {expected} m/s, relative error {rel:e}");

    // The upper stage burns out after its propellant over the summed flow.
    let burnout_s = |stage: usize| result.event(&EventKind::Burnout { stage }).expect("burnout").point.time_s;
    let burn_s = burnout_s(1) - burnout_s(0);
    assert!((burn_s - 40_000.0 / flow_upper_kg_s).abs() < 1e-6, "upper stage burn {burn_s} s against {} s", 40_000.0 / flow_upper_kg_s);
}

/// A fixed thrust direction that cuts the last stage's main engines off a set time after its
/// ignition, leaving its burn-on engines.
struct FixedWithMainCutoff(Vector3<f64>, f64);

impl Guidance for FixedWithMainCutoff {
    fn thrust_direction(&self, _input: &GuidanceInput) -> Vector3<f64> {
        self.0
    }

    fn main_engine_burn_s(&self) -> Option<f64> {
        Some(self.1)
    }
}

/// The mixed upper stage with its four steering engines flagged to burn on, its main engine cut
/// off 100 s after ignition: Tsiolkovsky at the combined Isp for the 100 s, then at the steering
/// engines' own Isp for the rest of the propellant, which they burn at their own flow.
#[test]
fn burn_on_engines_give_tsiolkovsky_at_their_own_isp_after_the_main_engine_cutoff() {
    let text = MIXED_UPPER.replace("{ engine = \"Steering\", count = 4 }", "{ engine = \"Steering\", count = 4, burns_on = true }");
    let (vehicle, _) = Vehicle::from_toml(&text, "mixed-upper.toml").expect("valid test vehicle");
    let payload_kg = 2_000.0;
    let main_burn_s = 100.0;
    let mut guidance = FixedWithMainCutoff(Vector3::new(0.0, 0.6, 0.8), main_burn_s);
    let (result, gained) = fly_in_vacuum_without_gravity_by(&vehicle, payload_kg, &mut guidance, 5_000.0);

    let g0 = G0_M_S2;
    let flow_main_kg_s = 583e3 / (325.0 * g0);
    let flow_steering_kg_s = 4.0 * 7.75e3 / (293.0 * g0);
    let flow_together_kg_s = flow_main_kg_s + flow_steering_kg_s;
    let isp_together_s = (583e3 + 4.0 * 7.75e3) / (flow_together_kg_s * g0);
    let m0 = 129_000.0 + 43_500.0 + payload_kg;
    let m1 = m0 - 120_000.0;
    let m2 = m1 - 9_000.0;
    let m3 = m2 - flow_together_kg_s * main_burn_s;
    let m4 = m2 - 40_000.0;
    let expected = 330.0 * g0 * (m0 / m1).ln() + isp_together_s * g0 * (m2 / m3).ln() + 293.0 * g0 * (m3 / m4).ln();
    let rel = ((gained - expected) / expected).abs();
    assert!(rel <= 1e-9, "gained {gained} m/s, Tsiolkovsky {expected} m/s, relative error {rel:e}");

    let at = |kind: EventKind| result.event(&kind).unwrap_or_else(|| panic!("{kind:?}")).point.time_s;
    let ignition_s = at(EventKind::Ignition { stage: 1 });
    assert!((at(EventKind::MainEngineCutoff { stage: 1 }) - ignition_s - main_burn_s).abs() < 1e-9);
    let tail_s = (40_000.0 - flow_together_kg_s * main_burn_s) / flow_steering_kg_s;
    let burnout_s = at(EventKind::Burnout { stage: 1 });
    assert!(
        (burnout_s - ignition_s - main_burn_s - tail_s).abs() < 1e-6,
        "burnout {burnout_s} s, expected {} s",
        ignition_s + main_burn_s + tail_s
    );
    let cutoff = result.event(&EventKind::MainEngineCutoff { stage: 1 }).expect("event");
    assert!(
        cutoff.description.contains("main-engine cutoff of upper") && cutoff.description.contains("4 × Steering burning on"),
        "{}",
        cutoff.description
    );
}

#[test]
fn tsiolkovsky_in_vacuum_without_gravity() {
    let (vehicle, _) = Vehicle::from_toml(TWO_STAGE, "two-stage.toml").expect("valid test vehicle");
    let payload_kg = 5_000.0;
    let (_, gained) = fly_in_vacuum_without_gravity(&vehicle, payload_kg);

    // Closed form, phase by phase: boosters + half-throttle core; core alone; upper stage.
    let g0 = G0_M_S2;
    let flow_a = 2000e3 / (330.0 * g0);
    let m0 = 2.0 * 98_000.0 + 129_500.0 + 28_000.0 + 1_500.0 + payload_kg;
    let t1 = 90_000.0 / flow_a; // boosters burn out
    let core_used = 0.5 * flow_a * t1;
    let m1 = m0 - 2.0 * 90_000.0 - core_used;
    let dv1 = 330.0 * g0 * (m0 / m1).ln();
    let m2 = m1 - 2.0 * 8_000.0;
    let m3 = m2 - (120_000.0 - core_used);
    let dv2 = 330.0 * g0 * (m2 / m3).ln();
    let m4 = m3 - 9_500.0;
    let m5 = m4 - 25_000.0;
    let dv3 = 450.0 * g0 * (m4 / m5).ln();
    let expected = dv1 + dv2 + dv3;
    let rel = ((gained - expected) / expected).abs();
    assert!(rel <= 1e-9, "gained {gained} m/s, Tsiolkovsky {expected} m/s, relative error {rel:e}");

    // The propulsion budget computes the same closed form from the vehicle alone.
    let budget = delta_v_budget(&vehicle, payload_kg);
    assert!(((budget.total_delta_v_m_s - expected) / expected).abs() <= 1e-12, "budget {} vs {expected}", budget.total_delta_v_m_s);
    let per_stage: f64 = budget.stages.iter().map(|s| s.ideal_delta_v_m_s).sum();
    assert!((per_stage - budget.total_delta_v_m_s).abs() < 1e-6);
}

#[test]
fn a_vehicle_falling_back_through_the_air_reads_its_drag_as_deceleration() {
    // Soyuz-2.1b cannot lift 16 t to orbit: its open-loop ascent falls back through the air.
    // Without thrust the body's axis is its air-relative velocity, so the axial acceleration is
    // the drag's deceleration, negative; the flight's peak axial acceleration stays the
    // powered one.
    let (_, result) = crate::common::fly_default("soyuz-2.1b", 16_000.0, "vostochny", Some(1.0));
    let falling: Vec<_> = result.samples.iter().map(|s| &s.point).filter(|p| p.thrust_n == 0.0 && p.dynamic_pressure_pa > 1e3).collect();
    assert!(falling.len() > 10, "the flight does not fall back through the air");
    assert!(falling.iter().all(|p| p.axial_accel_g < 0.0), "drag read as forward acceleration");
    let deepest_g = falling.iter().map(|p| p.axial_accel_g).fold(0.0, f64::min);
    assert!(deepest_g < -10.0, "the fall's deceleration peaks at {deepest_g} g");
    let powered_g = result.samples.iter().map(|s| &s.point).filter(|p| p.thrust_n > 0.0).map(|p| p.axial_accel_g).fold(0.0, f64::max);
    assert!(result.max_axial_accel_g < powered_g + 0.5, "peak {} g against {powered_g} g powered", result.max_axial_accel_g);
}
