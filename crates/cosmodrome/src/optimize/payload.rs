//! The largest payload a vehicle puts into a target orbit from a site, and the ascent that does it.
//!
//! The ascent is the flight simulator's own (rotating oblate Earth, USSA76, staging, thrust
//! varying with ambient pressure), steered by [`AscentProgram`] with [`UpperSteering::Targeted`]:
//! a vertical rise, a pitch-over kick and a zero-angle-of-attack gravity turn through the
//! atmosphere, then from the first separation a linear-tangent pitch law in the plane of
//! motion, and engine cutoff at the target orbital energy.
//!
//! The problem splits the way the physics does:
//!
//! - **Targeting** (inner): for a given kick, four unknowns — initial pitch and pitch rate of
//!   the linear-tangent law, launch azimuth, payload — are solved by damped Newton ([`super::newton`]) so
//!   that engine cutoff happens at the perigee radius with zero flight-path angle (insertion at
//!   perigee), at the target inclination, with the last drop of usable propellant. The energy
//!   cutoff fixes the semi-major axis, so perigee and apogee follow exactly. Linear-tangent
//!   steering is the vacuum flat-Earth optimum (Bryson & Ho §2.7), so once it is targeted
//!   there is no steering freedom left worth optimizing: the payload is the largest this ascent
//!   shape carries.
//! - **Ascent shape** (outer): the kick decides the gravity turn, and the payload as a function
//!   of the kick is maximised by Brent's method ([`super::scalar`]).
//! - **Constraints**: when that ascent exceeds the vehicle's max-Q limit or drops a stage outside
//!   its designated zone ([`crate::dropzone::designated`]), the payload falls off either side of
//!   it, so the answer is the nearest kick on either side that keeps them, found by walking out
//!   and bisecting the boundary.
//!
//! Targeting conditions are smooth functions of the unknowns (a perigee-altitude condition
//! would not be: for a circular target it is the tip of a cone in the velocity), which is what
//! lets Newton converge in a few flights.

use nalgebra::SMatrix;

use crate::dropzone::designated::{check_nominal, worst_excess, DesignatedZone};
use crate::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
use crate::environment::elements::{specific_energy, OrbitalElements};
use crate::error::{Error, Result};
use crate::flight::{fly, FlightOptions, FlightPoint, FlightResult, FlightSetup, JettisonedBody, Launch};
use crate::guidance::ascent::{tune_pitch_kick, DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, KICK_SEARCH_FLIGHTS};
use crate::guidance::{launch_azimuth, AscentParameters, AscentProgram, Branch, ExoSteering, UpperSteering};
use crate::units::G0_M_S2;
use crate::vehicle::{Site, Vehicle};

use super::newton::{self, NewtonOptions};
use super::scalar;

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
    /// Kicks tried by the ascent-shape search, each a targeting solve.
    pub kick_evaluations: usize,
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

/// Scales of the targeting unknowns (all of order one once scaled): initial pitch 10°,
/// tan-pitch rate 1e-3/s, launch azimuth 1°; the payload's scale is 1 % of the liftoff mass.
///
/// The inclination is reached by the launch azimuth, not by yawing the upper stage: the whole
/// ascent then lies in the orbit plane and no propellant goes into turning it.
const PITCH_SCALE_DEG: f64 = 10.0;
const RATE_SCALE_PER_S: f64 = 1e-3;
const AZIMUTH_SCALE_DEG: f64 = 1.0;
const PAYLOAD_SCALE_OF_LIFTOFF: f64 = 0.01;

/// Scales of the targeting conditions: 1 km in radius, 0.01° in flight-path angle and
/// inclination, 10 kg of propellant.
const RADIUS_SCALE_M: f64 = 1e3;
const FLIGHT_PATH_SCALE_DEG: f64 = 0.01;
const INCLINATION_SCALE_DEG: f64 = 0.01;
const MARGIN_SCALE_KG: f64 = 10.0;

/// Targeting is converged when every scaled condition is below this: 10 m, 1e-4°, 1e-4°,
/// 0.1 kg — far inside the contract's tolerances, so the payload is settled to ~0.1 kg.
const TARGETING_TOLERANCE: f64 = 0.01;

/// Pitch-over speeds of the built-in initial guesses, m/s, tried in turn: a vehicle that barely
/// lifts off (thrust-to-weight near 1) cannot start a gravity turn at walking pace without
/// falling over one way or the other, and needs more speed first.
const INITIAL_PITCH_OVER_SPEEDS_M_S: [f64; 2] = [25.0, 50.0];
/// Staging flight-path angles of the built-in initial guesses, degrees, tried in turn.
const INITIAL_STAGING_FLIGHT_PATH_ANGLES_DEG: [f64; 4] = [DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, 20.0, 28.0, 36.0];
/// Flights a targeting may fly from a built-in guess, and from a neighbouring solution.
const COLD_TARGETING_FLIGHTS: usize = 150;
const WARM_TARGETING_FLIGHTS: usize = 60;

/// The kick search spans a factor of this either side of the open-loop default kick.
const KICK_RANGE_FACTOR: f64 = 4.0;
/// The kick search stops when the kick is known to this fraction of itself.
const KICK_TOLERANCE: f64 = 0.005;
/// Kicks the search may try.
const MAX_KICK_EVALUATIONS: usize = 30;
/// Step in ln(kick) of the walk from the payload-optimal kick to the nearest kick that keeps the
/// constraints: fine enough not to step over a designated zone of a few tens of km.
const CONSTRAINT_WALK_STEP: f64 = 0.05;
/// Bisections that settle the kick on a constraint's boundary.
const CONSTRAINT_BISECTIONS: usize = 12;
/// The launch azimuth may move this far from the spherical-Earth estimate, degrees. The
/// estimate assumes the orbital speed at insertion; the first stages carry the Earth's eastward
/// speed across their launch plane, which tilts the plane of motion at separation, and the
/// azimuth must make up for it: by ~20° for a retrograde orbit from near the equator.
const AZIMUTH_RANGE_DEG: f64 = 40.0;

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
    // Effective exhaust velocity: thrust over all the mass that leaves (auxiliary consumables too).
    let last = &vehicle.stages[vehicle.stages.len() - 1];
    let exhaust_velocity = last.thrust_vac_n() / last.mass_flow_kg_s();
    let deficit = target_energy - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
    -deficit.max(0.0) * p.mass_kg / (p.speed_m_s.max(1.0) * exhaust_velocity)
}

/// Targeting unknowns, scaled: initial pitch, tan-pitch rate, launch azimuth change, payload.
type Unknowns = [f64; 4];

/// What a flight did against the ascent's constraints.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ConstraintState {
    /// Largest dynamic pressure, Pa.
    max_q_pa: f64,
    /// How far the worst body fell outside its designated zone, in zone radii (negative inside;
    /// −∞ without zones).
    zone_excess: f64,
    /// That zone and the body's distance from its centre, km (`None`: it did not come down).
    zone_miss: Option<(usize, Option<f64>)>,
}

/// One solved kick: the targeted ascent and what it carries.
#[derive(Debug, Clone, Copy)]
struct Solved {
    /// ln(kick in degrees): the search variable.
    log_kick: f64,
    x: Unknowns,
    jacobian: SMatrix<f64, 4, 4>,
    payload_kg: f64,
    constraints: ConstraintState,
}

/// The optimization over flights of one vehicle from one pad to one orbit.
struct Problem<'a, P: FnMut(usize)> {
    vehicle: &'a Vehicle,
    launch: Launch,
    options: FlightOptions,
    target: TargetOrbit,
    target_energy_j_kg: f64,
    target_radius_m: f64,
    base: AscentParameters,
    payload_scale_kg: f64,
    newton: NewtonOptions<4>,
    flights: usize,
    progress: P,
    /// Designated zones the nominal impacts must stay in.
    zones: &'a [DesignatedZone],
    /// The last flight's kick, unknowns and max-Q (the targeting's last evaluation is its
    /// answer).
    last: Option<(f64, Unknowns, f64)>,
    /// The last flight's jettisoned bodies, kept (in reused storage) only when there are zones:
    /// their falls are computed once per solved kick, not on every flight of the targeting.
    last_jettisoned: Vec<JettisonedBody>,
    /// Where the last targeting that failed to converge stopped.
    last_failure: Option<Unknowns>,
    solved: Vec<Solved>,
}

impl<P: FnMut(usize)> Problem<'_, P> {
    fn parameters(&self, kick_deg: f64, x: &Unknowns) -> AscentParameters {
        AscentParameters {
            pitch_kick_deg: kick_deg,
            steering: UpperSteering::Targeted(ExoSteering {
                pitch_deg: x[0] * PITCH_SCALE_DEG,
                tan_pitch_rate_per_s: x[1] * RATE_SCALE_PER_S,
                yaw_deg: 0.0,
                cutoff_energy_j_kg: self.target_energy_j_kg,
            }),
            ..self.base
        }
    }

    fn launch(&self, x: &Unknowns) -> Launch {
        Launch { azimuth_deg: (self.launch.azimuth_deg + x[2] * AZIMUTH_SCALE_DEG).rem_euclid(360.0), ..self.launch }
    }

    fn fly(&mut self, kick_deg: f64, x: &Unknowns, options: FlightOptions) -> Result<FlightResult> {
        self.flights += 1;
        (self.progress)(self.flights);
        let launch = self.launch(x);
        let setup = FlightSetup { vehicle: self.vehicle, payload_kg: x[3] * self.payload_scale_kg, launch, options };
        let parameters = self.parameters(kick_deg, x);
        parameters.check()?;
        fly(&setup, &mut AscentProgram::new(parameters, self.vehicle, &launch))
    }

    /// Targeting conditions, scaled: radius and flight-path angle at cutoff against insertion at
    /// perigee, inclination, propellant margin.
    fn conditions(&mut self, kick_deg: f64, x: &Unknowns) -> Option<Unknowns> {
        let result = self.fly(kick_deg, x, self.options).ok()?;
        let end = end_of_powered(self.vehicle, &result)?;
        let p = &end.point;
        let orbit = OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
        let margin_kg = propellant_margin_kg(self.vehicle, &result, &end, self.target_energy_j_kg);
        self.last = Some((kick_deg, *x, result.max_dynamic_pressure_pa));
        if !self.zones.is_empty() {
            self.last_jettisoned.clone_from(&result.jettisoned);
        }
        Some([
            (p.position_eci_m.norm() - self.target_radius_m) / RADIUS_SCALE_M,
            p.flight_path_angle_deg / FLIGHT_PATH_SCALE_DEG,
            (orbit.inclination_rad.to_degrees() - self.target.inclination_deg) / INCLINATION_SCALE_DEG,
            margin_kg / MARGIN_SCALE_KG,
        ])
    }

    /// Target the ascent with kick `exp(log_kick)`, warm-started from the nearest solved kick
    /// (or from `start` when none is solved yet).
    fn target(&mut self, log_kick: f64, start: Option<Unknowns>) -> Option<Solved> {
        let kick_deg = log_kick.exp();
        let nearest = self.solved.iter().min_by(|a, b| (a.log_kick - log_kick).abs().total_cmp(&(b.log_kick - log_kick).abs())).copied();
        if let Some(n) = nearest.filter(|n| n.log_kick == log_kick) {
            return Some(n);
        }
        let (x0, jacobian) = match (nearest, start) {
            (Some(n), _) => (n.x, Some(n.jacobian)),
            (None, Some(x0)) => (x0, None),
            (None, None) => return None,
        };
        let options = self.newton;
        let mut result = newton::solve(|x| self.conditions(kick_deg, x), x0, jacobian, &options)?;
        if !result.converged && jacobian.is_some() {
            // The neighbour's Jacobian may not suit this kick: once more with a fresh one.
            result = newton::solve(|x| self.conditions(kick_deg, x), result.x, None, &options)?;
        }
        if !result.converged {
            self.last_failure = Some(result.x);
            return None;
        }
        let constraints = match self.last {
            Some((k, x, max_q_pa)) if k == kick_deg && x == result.x => self.constraint_state(max_q_pa, &self.last_jettisoned),
            _ => {
                let flight = self.fly(kick_deg, &result.x, self.options).ok()?;
                self.constraint_state(flight.max_dynamic_pressure_pa, &flight.jettisoned)
            }
        };
        let solved =
            Solved { log_kick, x: result.x, jacobian: result.jacobian, payload_kg: result.x[3] * self.payload_scale_kg, constraints };
        self.solved.push(solved);
        Some(solved)
    }

    /// Max-Q and the designated zones, for one flight.
    fn constraint_state(&self, max_q_pa: f64, jettisoned: &[JettisonedBody]) -> ConstraintState {
        let (zone_excess, zone_miss) = if self.zones.is_empty() {
            (f64::NEG_INFINITY, None)
        } else {
            let checks = check_nominal(self.zones, self.vehicle, jettisoned);
            let (excess, worst) = worst_excess(self.zones, &checks);
            (excess, worst.map(|c| (c.zone, c.distance_km)))
        };
        ConstraintState { max_q_pa, zone_excess, zone_miss }
    }

    /// Relative excess over the max-Q limit (negative under it, −∞ without a limit).
    fn max_q_excess(&self, s: &Solved) -> f64 {
        self.vehicle.limits.max_q_pa.map_or(f64::NEG_INFINITY, |limit| (s.constraints.max_q_pa - limit) / limit)
    }

    /// The worst relative violation of any constraint: ≤ 0 when the ascent keeps them all.
    fn violation(&self, s: &Solved) -> f64 {
        self.max_q_excess(s).max(s.constraints.zone_excess)
    }

    fn feasible(&self, s: &Solved) -> bool {
        self.violation(s) <= 0.0
    }

    /// Why no ascent shape keeps the constraints, from the shape that came nearest.
    fn infeasible(&self) -> Error {
        let vehicle = &self.vehicle.name;
        let nearest = self.solved.iter().min_by(|a, b| self.violation(a).total_cmp(&self.violation(b)));
        if let (Some(limit), Some(s)) = (self.vehicle.limits.max_q_pa, nearest) {
            if self.max_q_excess(s) > 0.0 || s.constraints.zone_excess <= 0.0 {
                return Error::Unreachable(format!(
                    "{vehicle}: no ascent shape keeps the dynamic pressure under the vehicle's limit of {:.1} kPa (lowest reached {:.1} kPa)",
                    limit / 1e3,
                    self.solved.iter().map(|s| s.constraints.max_q_pa).fold(f64::INFINITY, f64::min) / 1e3
                ));
            }
        }
        let Some((zone_index, _)) = nearest.and_then(|s| s.constraints.zone_miss) else {
            return Error::Unreachable(format!("{vehicle}: no ascent shape keeps the ascent's constraints"));
        };
        let zone = &self.zones[zone_index];
        let nearest_km = self
            .solved
            .iter()
            .filter_map(|s| s.constraints.zone_miss.filter(|m| m.0 == zone_index).and_then(|m| m.1))
            .fold(f64::INFINITY, f64::min);
        Error::Unreachable(format!(
            "{vehicle}: no ascent shape brings the {} stage down inside the designated zone {} ({:.0} km around {:.3}° N {:.3}° E): the nearest nominal impact found is {} from its centre",
            zone.bodies,
            zone.name,
            zone.radius_km,
            zone.latitude_deg,
            zone.longitude_deg,
            if nearest_km.is_finite() { format!("{nearest_km:.0} km") } else { "nowhere (it does not come down)".to_owned() }
        ))
    }
}

/// Maximise the payload of `vehicle` from `site` into `target`. `progress` is called with the
/// number of flights flown so far (for a progress display).
pub fn maximize_payload(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    progress: impl FnMut(usize),
) -> Result<PayloadSolution> {
    maximize_payload_with(vehicle, site, target, branch, options, &[], progress)
}

/// [`maximize_payload`] with designated drop zones: the ascent shape is chosen among those that
/// bring the nominal (windless, undispersed) fall of every stage a zone selects down inside it,
/// the way a range shapes the flown ascent. The zones must suit the vehicle
/// ([`crate::dropzone::DesignatedZones::check_against`]).
pub fn maximize_payload_with(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    zones: &[DesignatedZone],
    progress: impl FnMut(usize),
) -> Result<PayloadSolution> {
    target.check()?;
    let azimuth = launch_azimuth(site.latitude_deg, target.inclination_deg, target.perigee_m, branch)?;
    site.check_corridor(azimuth.azimuth_deg, target.inclination_deg)?;
    let launch = Launch::from_site(site, azimuth.azimuth_deg);
    let target_energy_j_kg = target.energy_j_kg();
    // Search on events only, at a tighter tolerance than a plain flight so that the difference
    // quotients see the unknowns, not the step-size controller.
    let mut search_options = FlightOptions { sample_interval_s: None, ..options };
    search_options.integrator.rel_tol = search_options.integrator.rel_tol.min(1e-10);
    search_options.integrator.abs_tol = search_options.integrator.abs_tol.min(1e-7);

    let liftoff_kg = vehicle.liftoff_mass_kg(0.0);
    let payload_scale_kg = PAYLOAD_SCALE_OF_LIFTOFF * liftoff_kg;
    // Heaviest payload the vehicle lifts off with (thrust-to-weight just above one).
    let max_payload_kg = (vehicle.liftoff_thrust_n() / G0_M_S2 / 1.001 - liftoff_kg).max(0.0);
    if max_payload_kg <= 0.0 {
        return Err(Error::NoLiftoff {
            vehicle: vehicle.name.clone(),
            thrust_to_weight: vehicle.liftoff_thrust_to_weight(0.0),
            payload_kg: 0.0,
        });
    }

    let payload0_kg = (0.02 * liftoff_kg).min(0.5 * max_payload_kg);
    let mut problem = Problem {
        vehicle,
        launch,
        options: search_options,
        target: *target,
        target_energy_j_kg,
        target_radius_m: WGS84_A_M + target.perigee_m,
        base: AscentParameters::default(),
        payload_scale_kg,
        newton: NewtonOptions {
            difference_step: [1e-4, 1e-4, 1e-3, 1e-3],
            lower: [-6.0, -30.0, -AZIMUTH_RANGE_DEG / AZIMUTH_SCALE_DEG, 0.0],
            upper: [8.0, 10.0, AZIMUTH_RANGE_DEG / AZIMUTH_SCALE_DEG, max_payload_kg / payload_scale_kg],
            max_step: [0.5, 0.5, 2.0, 2.0],
            tolerance: TARGETING_TOLERANCE,
            max_evaluations: COLD_TARGETING_FLIGHTS,
        },
        flights: 0,
        progress,
        zones,
        last: None,
        last_jettisoned: Vec::new(),
        last_failure: None,
        solved: Vec::new(),
    };

    // First targeting, from built-in guesses tried in turn: 2 % of the liftoff mass as payload,
    // a pitch-over speed, the open-loop kick that brings the gravity turn to a staging
    // flight-path angle, and a pitch law from the flight-path angle at the first separation
    // down to −10° at the end of the burn. The steeper stagings are for upper stages of low
    // thrust-to-weight, which need height and time to gain speed before they fall back.
    let setup0 = FlightSetup { vehicle, payload_kg: payload0_kg, launch, options: search_options };
    let mut log_kick0 = None;
    let guesses =
        INITIAL_PITCH_OVER_SPEEDS_M_S.iter().flat_map(|&v| INITIAL_STAGING_FLIGHT_PATH_ANGLES_DEG.iter().map(move |&fpa| (v, fpa)));
    for (pitch_over_speed_m_s, staging_fpa_deg) in guesses {
        let start = AscentParameters { pitch_over_min_air_speed_m_s: pitch_over_speed_m_s, ..AscentParameters::default() };
        let Ok(open_loop) = tune_pitch_kick(&setup0, start, staging_fpa_deg) else { continue };
        problem.flights += KICK_SEARCH_FLIGHTS + 1;
        let Ok(guess_flight) = fly(&setup0, &mut AscentProgram::new(open_loop, vehicle, &launch)) else { continue };
        let separation = guess_flight.event("separation", None);
        let pitch0_deg = separation.map_or(20.0, |e| e.point.flight_path_angle_deg.clamp(0.0, 45.0));
        let t_sep = separation.map_or(0.0, |e| e.point.time_s);
        let t_end = guess_flight.events.iter().rev().find(|e| e.kind.name() == "burnout").map_or(t_sep + 300.0, |e| e.point.time_s);
        let rate0 = ((-10f64).to_radians().tan() - pitch0_deg.to_radians().tan()) / (t_end - t_sep).max(60.0);
        let x0 = [pitch0_deg / PITCH_SCALE_DEG, rate0 / RATE_SCALE_PER_S, 0.0, payload0_kg / payload_scale_kg];
        problem.base = open_loop;
        let u0 = open_loop.pitch_kick_deg.max(1e-3).ln();
        if problem.target(u0, Some(x0)).is_some() {
            log_kick0 = Some(u0);
            break;
        }
    }
    problem.newton.max_evaluations = WARM_TARGETING_FLIGHTS;
    let Some(log_kick0) = log_kick0 else {
        let kick_deg = problem.base.pitch_kick_deg;
        return Err(unreachable_reason(&mut problem, kick_deg, site, target));
    };

    // Ascent shape: the kick that carries the most.
    let span = KICK_RANGE_FACTOR.ln();
    let (lowest, highest) = (log_kick0 - span, log_kick0 + span);
    let best = scalar::maximize(
        |u| problem.target(u, None).map(|s| s.payload_kg),
        lowest,
        highest,
        log_kick0,
        KICK_TOLERANCE,
        MAX_KICK_EVALUATIONS,
    )
    .and_then(|m| problem.solved.iter().find(|s| s.log_kick == m.x).copied())
    .ok_or_else(|| Error::Unreachable(format!("{}: no ascent shape could be targeted", vehicle.name)))?;
    let best = if problem.feasible(&best) { best } else { hold_constraints(&mut problem, best, (lowest, highest))? };

    // The optimized flight, flown again with the caller's sampling (for the files) and the
    // search's tolerances (so that it is the flight the search found).
    let kick_deg = best.log_kick.exp();
    let flight = problem.fly(kick_deg, &best.x, FlightOptions { sample_interval_s: options.sample_interval_s, ..search_options })?;
    let parameters = problem.parameters(kick_deg, &best.x);
    let end = end_of_powered(vehicle, &flight)
        .ok_or_else(|| Error::Unreachable(format!("{}: the optimized ascent does not reach engine cutoff", vehicle.name)))?;
    let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
    let launch = problem.launch(&best.x);
    site.check_corridor(launch.azimuth_deg, target.inclination_deg)?;
    let solution = PayloadSolution {
        payload_kg: best.payload_kg,
        launch,
        parameters,
        flight,
        orbit,
        kick_evaluations: problem.solved.len(),
        flights: problem.flights,
    };
    if !solution.within_tolerance(target) {
        return Err(Error::Unreachable(format!(
            "{}: the optimized ascent misses the orbit (payload {:.0} kg, perigee {:.1} km, apogee {:.1} km, inclination {:.3}°)",
            vehicle.name,
            solution.payload_kg,
            orbit.perigee_altitude_m() / 1e3,
            orbit.apogee_altitude_m() / 1e3,
            orbit.inclination_rad.to_degrees(),
        )));
    }
    Ok(solution)
}

/// The best ascent that keeps the constraints (max-Q, designated zones), when the payload-optimal
/// one, `best`, breaks one. The payload falls off either side of `best`, so the answer is the
/// kick nearest to it that keeps them: walk out on both sides to the first such kick, settle
/// each boundary by bisection and keep the side that carries more. A designated zone may be
/// met on both sides (a lofted and a flat ascent can drop a stage at the same place), which is
/// why both are walked. When the walks find nothing, the kick breaking the constraints least
/// is searched for before giving up.
fn hold_constraints<P: FnMut(usize)>(problem: &mut Problem<'_, P>, best: Solved, range: (f64, f64)) -> Result<Solved> {
    // The two walks advance in turn. Once one side has its edge, the other goes on only while it
    // still carries more than that edge: beyond, the payload only falls.
    let mut found: Option<Solved> = None;
    let mut walks = [Walk { direction: -1.0, outside: best, done: false }, Walk { direction: 1.0, outside: best, done: false }];
    while walks.iter().any(|w| !w.done) {
        for walk in walks.iter_mut().filter(|w| !w.done) {
            let u = walk.outside.log_kick + walk.direction * CONSTRAINT_WALK_STEP;
            if !(range.0..=range.1).contains(&u) || found.is_some_and(|f| walk.outside.payload_kg <= f.payload_kg) {
                walk.done = true;
                continue;
            }
            let Some(s) = problem.target(u, None) else {
                // A kick that cannot be targeted is stepped over.
                walk.outside.log_kick = u;
                continue;
            };
            if problem.feasible(&s) {
                walk.done = true;
                let edge = bisect_boundary(problem, walk.outside, s);
                if found.is_none_or(|f| edge.payload_kg > f.payload_kg) {
                    found = Some(edge);
                }
            } else {
                walk.outside = s;
            }
        }
    }
    if let Some(edge) = found {
        return Ok(edge);
    }
    // A window narrower than the walk's step: the least violation, then its boundary.
    let least =
        problem.solved.iter().min_by(|a, b| problem.violation(a).total_cmp(&problem.violation(b))).map_or(best.log_kick, |s| s.log_kick);
    scalar::maximize(
        |u| problem.target(u, None).map(|s| -problem.violation(&s)),
        range.0,
        range.1,
        least,
        KICK_TOLERANCE,
        MAX_KICK_EVALUATIONS,
    );
    let Some(inside) = problem
        .solved
        .iter()
        .filter(|s| problem.feasible(s))
        .min_by(|a, b| (a.log_kick - best.log_kick).abs().total_cmp(&(b.log_kick - best.log_kick).abs()))
        .copied()
    else {
        return Err(problem.infeasible());
    };
    // The infeasible kick tried nearest to it on the side of the best.
    let outside = problem
        .solved
        .iter()
        .filter(|s| !problem.feasible(s) && (s.log_kick - inside.log_kick) * (best.log_kick - inside.log_kick) > 0.0)
        .min_by(|a, b| (a.log_kick - inside.log_kick).abs().total_cmp(&(b.log_kick - inside.log_kick).abs()))
        .copied()
        .unwrap_or(best);
    Ok(bisect_boundary(problem, outside, inside))
}

/// One side's walk of [`hold_constraints`] from the payload-optimal kick, in steps of
/// [`CONSTRAINT_WALK_STEP`] in ln(kick).
struct Walk {
    /// −1 toward smaller kicks, +1 toward larger.
    direction: f64,
    /// The last kick reached that breaks the constraints (its `log_kick` also moves past kicks
    /// that could not be targeted).
    outside: Solved,
    done: bool,
}

/// Settle the boundary between a kick that breaks the constraints and one that keeps them:
/// the kept side of it.
fn bisect_boundary<P: FnMut(usize)>(problem: &mut Problem<'_, P>, mut outside: Solved, mut inside: Solved) -> Solved {
    for _ in 0..CONSTRAINT_BISECTIONS {
        let Some(mid) = problem.target(0.5 * (inside.log_kick + outside.log_kick), None) else { break };
        if problem.feasible(&mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    inside
}

/// Why the first targeting failed: with no payload the vehicle falls short of the orbit (by how
/// much Δv), or the ascent could not be steered there.
fn unreachable_reason<P: FnMut(usize)>(problem: &mut Problem<'_, P>, kick_deg: f64, site: &Site, target: &TargetOrbit) -> Error {
    let vehicle = problem.vehicle;
    let orbit =
        format!("{:.0} × {:.0} km at {:.2}° from {}", target.perigee_m / 1e3, target.apogee_m / 1e3, target.inclination_deg, site.id);
    // The steering where targeting stopped, with no payload.
    let Some(mut x) = problem.last_failure else {
        return Error::Unreachable(format!("{}: the ascent to {orbit} could not be flown from the built-in initial guess", vehicle.name));
    };
    x[3] = 0.0;
    if let Ok(result) = problem.fly(kick_deg, &x, problem.options) {
        if let Some(end) = end_of_powered(vehicle, &result).filter(|e| !e.cut_off) {
            let p = &end.point;
            let deficit = problem.target_energy_j_kg - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
            if deficit > 0.0 {
                return Error::Unreachable(format!(
                    "{} cannot reach {orbit}: with no payload the last stage burns out about {:.0} m/s short of the orbit's energy",
                    vehicle.name,
                    deficit / p.speed_m_s.max(1.0)
                ));
            }
        }
    }
    Error::Unreachable(format!("{}: the ascent to {orbit} could not be targeted from the built-in initial guess", vehicle.name))
}
