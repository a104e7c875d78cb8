//! The largest payload a vehicle puts into a target orbit from a site, and the ascent that does it.
//!
//! The ascent is the flight simulator's own (rotating oblate Earth, USSA76, staging, thrust
//! varying with ambient pressure), steered by [`AscentProgram`] with [`UpperSteering::Targeted`]:
//! a vertical rise, a pitch-over kick and a zero-angle-of-attack gravity turn through the
//! atmosphere, then from the first separation a linear-tangent pitch law with a yaw, and engine
//! cutoff at the target orbital energy. Five numbers decide the flight — kick, initial pitch,
//! pitch rate, yaw, payload — and one SQP ([`super::nlp`]) solves
//!
//! maximise payload subject to: perigee = target, inclination = target, propellant left at
//! cutoff = 0, and max-Q ≤ the vehicle's limit when it states one,
//!
//! every evaluation being one flight (~0.1 ms). The energy cutoff fixes the semi-major axis, so
//! perigee and apogee follow together. Multiple shooting through the simulator rather than a
//! collocation of its own equations keeps one physics model for flying and for optimizing.

use crate::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
use crate::environment::elements::{specific_energy, OrbitalElements};
use crate::error::{Error, Result};
use crate::flight::{fly, FlightOptions, FlightPoint, FlightResult, FlightSetup, Launch};
use crate::guidance::ascent::{tune_pitch_kick, DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, KICK_SEARCH_FLIGHTS};
use crate::guidance::{launch_azimuth, AscentParameters, AscentProgram, Branch, ExoSteering, UpperSteering};
use crate::units::G0_M_S2;
use crate::vehicle::{Site, Vehicle};

use super::nlp::{minimize, Evaluation, SqpOptions};

/// The target orbit, altitudes above the equatorial radius as user's manuals quote them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetOrbit {
    /// Perigee altitude, m.
    pub perigee_m: f64,
    /// Apogee altitude, m.
    pub apogee_m: f64,
    /// Inclination, degrees.
    pub inclination_deg: f64,
}

impl TargetOrbit {
    /// Semi-major axis, m.
    pub fn semi_major_axis_m(&self) -> f64 {
        WGS84_A_M + 0.5 * (self.perigee_m + self.apogee_m)
    }

    /// Specific orbital energy, J/kg.
    pub fn energy_j_kg(&self) -> f64 {
        -MU_EARTH_M3_S2 / (2.0 * self.semi_major_axis_m())
    }

    fn check(&self) -> Result<()> {
        if !(self.perigee_m.is_finite() && self.apogee_m.is_finite() && self.perigee_m >= 100e3 && self.apogee_m >= self.perigee_m) {
            return Err(Error::invalid(
                "target orbit",
                format!("perigee must be ≥ 100 km and apogee ≥ perigee, got {:.1} × {:.1} km", self.perigee_m / 1e3, self.apogee_m / 1e3),
            ));
        }
        if !(self.inclination_deg.is_finite() && (0.0..=180.0).contains(&self.inclination_deg)) {
            return Err(Error::invalid("target inclination", format!("must be within 0–180°, got {}", self.inclination_deg)));
        }
        Ok(())
    }
}

/// Tolerances of the achieved orbit (the contract's: 1 km, 1 km, 0.05°).
pub const PERIGEE_TOLERANCE_M: f64 = 1e3;
/// See [`PERIGEE_TOLERANCE_M`].
pub const APOGEE_TOLERANCE_M: f64 = 1e3;
/// See [`PERIGEE_TOLERANCE_M`].
pub const INCLINATION_TOLERANCE_DEG: f64 = 0.05;

/// The optimized ascent.
#[derive(Debug, Clone)]
pub struct PayloadSolution {
    /// Largest payload, kg.
    pub payload_kg: f64,
    /// Launch from the pad with its azimuth.
    pub launch: Launch,
    /// The ascent parameters found.
    pub parameters: AscentParameters,
    /// The optimized flight (sampled when the options ask for samples).
    pub flight: FlightResult,
    /// Osculating orbit at engine cutoff.
    pub orbit: OrbitalElements,
    /// SQP iterations.
    pub iterations: usize,
    /// Flights flown.
    pub flights: usize,
}

impl PayloadSolution {
    /// Whether the achieved orbit is inside the contract's tolerances.
    pub fn within_tolerance(&self, target: &TargetOrbit) -> bool {
        (self.orbit.perigee_altitude_m() - target.perigee_m).abs() <= PERIGEE_TOLERANCE_M
            && (self.orbit.apogee_altitude_m() - target.apogee_m).abs() <= APOGEE_TOLERANCE_M
            && (self.orbit.inclination_rad.to_degrees() - target.inclination_deg).abs() <= INCLINATION_TOLERANCE_DEG
    }
}

/// Scales of the SQP variables (all of order one): kick °, initial pitch 10°, tan-pitch rate
/// 1e-3/s, yaw °, payload 100 t. The payload's scale is large so that the forward-difference
/// step (10 kg) moves the flight well above the integration noise (~1 m in perigee).
const SCALE: [f64; 5] = [1.0, 10.0, 1e-3, 1.0, 1e5];

/// Constraint scales: perigee in km, inclination in 0.01°, propellant margin in 10 kg.
const PERIGEE_SCALE_M: f64 = 1e3;
const INCLINATION_SCALE_DEG: f64 = 0.01;
const MARGIN_SCALE_KG: f64 = 10.0;

/// Where the ascent ends for the optimizer: engine cutoff, or the last burnout when the
/// propellant ran out first.
struct EndOfPowered {
    point: FlightPoint,
    cut_off: bool,
}

fn end_of_powered(vehicle: &Vehicle, result: &FlightResult) -> Option<EndOfPowered> {
    if let Some(e) = result.event("cutoff", None) {
        return Some(EndOfPowered { point: e.point, cut_off: true });
    }
    let last = vehicle.stages.len() - 1;
    result.event("burnout", Some(last)).map(|e| EndOfPowered { point: e.point, cut_off: false })
}

/// Propellant left at cutoff, kg; when the propellant ran out short of the target energy, minus
/// the propellant that would have been needed, linearised from the energy rate (`dE/dm =
/// −v·c/m`), so the margin crosses zero smoothly as the payload grows.
fn propellant_margin_kg(vehicle: &Vehicle, result: &FlightResult, end: &EndOfPowered, target_energy: f64) -> f64 {
    if end.cut_off {
        return result.remaining_propellant_kg;
    }
    let p = &end.point;
    let last = &vehicle.stages[vehicle.stages.len() - 1];
    let exhaust_velocity = last.engine.isp_vac_s * G0_M_S2;
    let deficit = target_energy - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
    -deficit.max(0.0) * p.mass_kg / (p.speed_m_s.max(1.0) * exhaust_velocity)
}

/// Maximise the payload of `vehicle` from `site` into `target`. `progress` is called with the
/// number of flights flown so far (for a progress display).
pub fn maximize_payload(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    mut progress: impl FnMut(usize),
) -> Result<PayloadSolution> {
    target.check()?;
    let azimuth = launch_azimuth(site.latitude_deg, target.inclination_deg, target.perigee_m, branch)?;
    site.check_corridor(azimuth.azimuth_deg, target.inclination_deg)?;
    let launch = Launch {
        latitude_deg: site.latitude_deg,
        longitude_deg: site.longitude_deg,
        altitude_m: site.altitude_m,
        azimuth_deg: azimuth.azimuth_deg,
    };
    let target_energy = target.energy_j_kg();
    // Optimize on events only, at a tighter tolerance than a plain flight so that finite
    // differences see the parameters, not the step-size controller.
    let mut search_options = FlightOptions { sample_interval_s: None, ..options };
    search_options.integrator.rel_tol = search_options.integrator.rel_tol.min(1e-10);
    search_options.integrator.abs_tol = search_options.integrator.abs_tol.min(1e-7);

    // Initial guess: 2 % of the liftoff mass as payload, the kick of the open-loop default, and
    // a pitch law from the flight-path angle at the first separation down to −10° at the end
    // of the burn.
    let payload0 = 0.02 * vehicle.liftoff_mass_kg(0.0);
    let max_payload = (vehicle.liftoff_thrust_n() / G0_M_S2 - vehicle.liftoff_mass_kg(0.0)).max(1.0);
    let setup0 = FlightSetup { vehicle, payload_kg: payload0.min(0.5 * max_payload), launch, options: search_options };
    let open_loop = tune_pitch_kick(&setup0, AscentParameters::default(), DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG)?;
    let guess_flight = fly(&setup0, &mut AscentProgram::new(open_loop, vehicle, &launch))?;
    let separation = guess_flight.event("separation", None);
    let pitch0_deg = separation.map_or(20.0, |e| e.point.flight_path_angle_deg.clamp(0.0, 45.0));
    let t_sep = separation.map_or(0.0, |e| e.point.time_s);
    let t_end = guess_flight.events.iter().rev().find(|e| e.kind.name() == "burnout").map_or(t_sep + 300.0, |e| e.point.time_s);
    let rate0 = ((-10f64).to_radians().tan() - pitch0_deg.to_radians().tan()) / (t_end - t_sep).max(60.0);
    let x0 = [open_loop.pitch_kick_deg / SCALE[0], pitch0_deg / SCALE[1], rate0 / SCALE[2], 0.0, setup0.payload_kg / SCALE[4]];
    let lower = [0.02, -3.0, -30.0, -30.0, 0.0];
    let upper = [20.0, 6.0, 10.0, 30.0, max_payload / SCALE[4]];

    let parameters_for = |x: &[f64]| AscentParameters {
        pitch_kick_deg: x[0] * SCALE[0],
        steering: UpperSteering::Targeted(ExoSteering {
            pitch_deg: (x[1] * SCALE[1]).clamp(-80.0, 80.0),
            tan_pitch_rate_per_s: x[2] * SCALE[2],
            yaw_deg: x[3] * SCALE[3],
            cutoff_energy_j_kg: target_energy,
        }),
        ..open_loop
    };
    let max_q_pa = vehicle.limits.max_q_pa;
    let mut flights = KICK_SEARCH_FLIGHTS + 1; // the kick search and the guess flight
    let evaluate = |x: &[f64]| -> Option<Evaluation> {
        flights += 1;
        progress(flights);
        let setup = FlightSetup { vehicle, payload_kg: x[4] * SCALE[4], launch, options: search_options };
        let parameters = parameters_for(x);
        let result = fly(&setup, &mut AscentProgram::new(parameters, vehicle, &launch)).ok()?;
        let end = end_of_powered(vehicle, &result)?;
        let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
        let margin = propellant_margin_kg(vehicle, &result, &end, target_energy);
        Some(Evaluation {
            objective: -x[4],
            equalities: vec![
                (orbit.perigee_altitude_m() - target.perigee_m) / PERIGEE_SCALE_M,
                (orbit.inclination_rad.to_degrees() - target.inclination_deg) / INCLINATION_SCALE_DEG,
                margin / MARGIN_SCALE_KG,
            ],
            inequalities: max_q_pa.map(|limit| vec![(result.max_dynamic_pressure_pa - limit) / 1e3]).unwrap_or_default(),
        })
    };
    let sqp = SqpOptions {
        max_iterations: 80,
        difference_step: 1e-4,
        max_step: 0.5,
        constraint_tolerance: 0.05,
        step_tolerance: 1e-5,
        optimality_tolerance: 1e-3,
    };
    let solved = minimize(evaluate, &x0, &lower, &upper, &sqp)
        .ok_or_else(|| Error::Unreachable(format!("{}: the ascent could not be flown from the initial guess", vehicle.name)))?;

    // The optimized flight, flown again with the caller's options (samples for the files).
    let payload_kg = solved.x[4] * SCALE[4];
    let parameters = parameters_for(&solved.x);
    let setup = FlightSetup { vehicle, payload_kg, launch, options };
    let flight = fly(&setup, &mut AscentProgram::new(parameters, vehicle, &launch))?;
    let end = end_of_powered(vehicle, &flight)
        .ok_or_else(|| Error::Unreachable(format!("{}: the optimized ascent does not reach engine cutoff", vehicle.name)))?;
    let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
    let margin = propellant_margin_kg(vehicle, &flight, &end, target_energy);
    if payload_kg <= 1.0 && margin < -1.0 {
        let p = &end.point;
        let shortfall_m_s =
            (target_energy - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2)).max(0.0) / p.speed_m_s.max(1.0);
        return Err(Error::Unreachable(format!(
            "{} cannot reach {:.0} × {:.0} km at {:.2}° from {}: with no payload the last stage burns out {:.0} m/s short of the orbit",
            vehicle.name,
            target.perigee_m / 1e3,
            target.apogee_m / 1e3,
            target.inclination_deg,
            site.id,
            shortfall_m_s
        )));
    }
    let solution = PayloadSolution { payload_kg, launch, parameters, flight, orbit, iterations: solved.iterations, flights: flights + 1 };
    if !solved.converged || !solution.within_tolerance(target) || margin < -MARGIN_SCALE_KG {
        return Err(Error::Unreachable(format!(
            "{}: the payload optimization did not converge (after {} iterations: payload {:.0} kg, perigee {:.1} km, apogee {:.1} km, inclination {:.3}°, propellant margin {:.0} kg)",
            vehicle.name,
            solved.iterations,
            payload_kg,
            orbit.perigee_altitude_m() / 1e3,
            orbit.apogee_altitude_m() / 1e3,
            orbit.inclination_rad.to_degrees(),
            margin
        )));
    }
    Ok(solution)
}
