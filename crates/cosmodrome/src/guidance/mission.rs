//! Mission guidance: the targeted ascent ([`AscentProgram`]) to a parking orbit, then a plan of
//! burns of the restartable stage that cut off there, with coasts between them.
//!
//! Every burn is started by a detector (an argument of latitude, a true anomaly, a node or apsis
//! crossing, or a time after the last cutoff) and cut off by one (an osculating apogee or
//! perigee radius, an energy or a C3 reached); its steering is a pitch and a yaw in the local
//! orbital frame, each a constant plus a rate. The law only says what to do: the restart, its
//! consumables and the cutoff are the sequencer's transitions ([`Transition::Restart`],
//! [`Transition::Cutoff`]), refused there when the stage's limits forbid them.

use nalgebra::Vector3;

use crate::environment::earth::MU_EARTH_M3_S2;
use crate::environment::elements::{specific_energy, OrbitalElements};
use crate::flight::{Action, Direction, EventDetector, EventKind, EventState, Guidance, GuidanceInput, Transition};
use crate::units::wrap_pi;

use super::ascent::AscentProgram;

/// Where a planned burn starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BurnStart {
    /// When the argument of latitude (angle from the ascending node in the direction of motion)
    /// reaches this, degrees; 0 is the ascending node, 180 the descending one.
    ArgumentOfLatitudeDeg(f64),
    /// When the true anomaly reaches this, degrees; 0 is the perigee, 180 the apogee.
    TrueAnomalyDeg(f64),
    /// This long after the last cutoff, s.
    AfterCutoffS(f64),
}

/// What ends a planned burn: the osculating orbit reaching a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BurnCutoff {
    /// Apogee radius, m.
    ApogeeRadiusM(f64),
    /// Perigee radius, m, raised to it.
    PerigeeRadiusM(f64),
    /// Perigee radius, m, lowered to it (a burn against the velocity at the apogee, where the
    /// burns before it left the perigee higher).
    PerigeeLoweredToM(f64),
    /// Specific orbital energy (point mass), J/kg.
    EnergyJKg(f64),
    /// Characteristic energy `C3 = v² − 2μ/r`, m²/s².
    C3M2S2(f64),
}

/// Thrust direction of a burn in the local orbital frame: pitch above the local horizontal
/// along the velocity, yaw out of the orbit plane toward the orbit normal `r × v`, each a
/// constant plus a rate from the burn's start.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BurnSteering {
    /// Pitch at the burn's start, degrees.
    pub pitch_deg: f64,
    /// Pitch rate, degrees/s.
    pub pitch_rate_deg_s: f64,
    /// Yaw at the burn's start, degrees (positive toward the orbit normal).
    pub yaw_deg: f64,
    /// Yaw rate, degrees/s.
    pub yaw_rate_deg_s: f64,
}

/// One burn of the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlannedBurn {
    /// What starts it.
    pub start: BurnStart,
    /// What ends it.
    pub cutoff: BurnCutoff,
    /// How it is steered.
    pub steering: BurnSteering,
}

/// Where the mission is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MissionPhase {
    /// The targeted ascent to the parking orbit, up to its cutoff.
    Ascent,
    /// Coasting to planned burn `next` since the cutoff at `since_s`.
    Coast {
        /// Index of the next burn.
        next: usize,
        /// Time of the last cutoff, s.
        since_s: f64,
    },
    /// Flying planned burn `index`, started at `start_s`.
    Burn {
        /// Index of the burn.
        index: usize,
        /// Its start, s.
        start_s: f64,
    },
    /// Every planned burn flown.
    Done,
}

/// The mission's steering law: the ascent, then the plan of burns.
#[derive(Debug, Clone)]
pub struct MissionProgram {
    /// The ascent to the parking orbit (targeted steering, cutoff at the parking orbit's energy).
    pub ascent: AscentProgram,
    /// The burns after the ascent, in order.
    pub burns: Vec<PlannedBurn>,
    /// The stage that flies the burns.
    stage: Option<usize>,
    phase: MissionPhase,
    propellant_deficit_allowed: bool,
}

impl MissionProgram {
    /// The ascent, then `burns` flown by stage `stage` (the vehicle's restartable upper stage):
    /// restarted when the ascent cut it off, ignited when the ascent cut off the stage below it
    /// (which then separates).
    pub fn new(ascent: AscentProgram, burns: Vec<PlannedBurn>, stage: usize) -> Self {
        MissionProgram { ascent, burns, stage: Some(stage), phase: MissionPhase::Ascent, propellant_deficit_allowed: false }
    }

    /// For a targeting's search flights: a restarted burn may run its propellant below zero
    /// (see [`Guidance::propellant_deficit_allowed`]).
    pub fn with_propellant_deficit(mut self) -> Self {
        self.propellant_deficit_allowed = true;
        self
    }

    /// Where the mission is.
    pub fn phase(&self) -> MissionPhase {
        self.phase
    }

    /// The stage flying the burns.
    pub fn stage(&self) -> Option<usize> {
        self.stage
    }

    /// Start function of the next burn at a state: crosses zero upward at the start.
    fn start_margin(&self, next: usize, r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
        match self.burns.get(next).map(|b| b.start) {
            Some(BurnStart::ArgumentOfLatitudeDeg(u)) => wrap_pi(argument_of_latitude_rad(r, v) - u.to_radians()),
            Some(BurnStart::TrueAnomalyDeg(nu)) => {
                wrap_pi(OrbitalElements::from_state(r, v, MU_EARTH_M3_S2).true_anomaly_rad - nu.to_radians())
            }
            _ => f64::NAN,
        }
    }
}

/// Argument of latitude of a state: the angle from the ascending node to the position in the
/// direction of motion, rad (from the inertial x axis for an equatorial orbit).
pub fn argument_of_latitude_rad(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
    let h = r.cross(v);
    let normal = h.try_normalize(1e-9).unwrap_or_else(Vector3::z);
    let node = Vector3::new(-h.y, h.x, 0.0).try_normalize(1e-9 * h.norm().max(1.0)).unwrap_or_else(Vector3::x);
    normal.dot(&node.cross(r)).atan2(node.dot(r))
}

/// Cutoff function of a burn: positive while it burns, zero at its cutoff (falling).
pub fn cutoff_margin(cutoff: &BurnCutoff, r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
    let mu = MU_EARTH_M3_S2;
    let h2 = r.cross(v).norm_squared().max(1.0);
    let e = ((v.cross(&r.cross(v))) / mu - r / r.norm().max(1.0)).norm();
    match *cutoff {
        // 1/r_a = μ(1 − e)/h², finite (negative) on a hyperbola: falls as the apogee rises.
        BurnCutoff::ApogeeRadiusM(ra) => mu * (1.0 - e) / h2 - 1.0 / ra,
        BurnCutoff::PerigeeRadiusM(rp) => rp - h2 / (mu * (1.0 + e)),
        BurnCutoff::PerigeeLoweredToM(rp) => h2 / (mu * (1.0 + e)) - rp,
        BurnCutoff::EnergyJKg(energy) => energy - specific_energy(r, v, mu),
        BurnCutoff::C3M2S2(c3) => c3 - 2.0 * specific_energy(r, v, mu),
    }
}

/// Unit thrust direction of `steering` at `dt_s` into a burn, at position `r` and velocity `v`.
pub fn burn_direction(steering: &BurnSteering, dt_s: f64, r: &Vector3<f64>, v: &Vector3<f64>) -> Vector3<f64> {
    let radial = r.try_normalize(1.0).unwrap_or_else(Vector3::z);
    let normal = r.cross(v).try_normalize(1e-9).unwrap_or_else(Vector3::z);
    let along = normal.cross(&radial);
    let pitch = (steering.pitch_deg + steering.pitch_rate_deg_s * dt_s).to_radians();
    let yaw = (steering.yaw_deg + steering.yaw_rate_deg_s * dt_s).to_radians();
    (along * pitch.cos() + radial * pitch.sin()) * yaw.cos() + normal * yaw.sin()
}

/// The ascent's cutoff at the parking orbit's energy, during the ascent only.
struct AscentCutoff;

impl EventDetector<MissionProgram> for AscentCutoff {
    fn g(&self, s: &EventState<'_, MissionProgram>) -> f64 {
        match s.guidance().phase {
            MissionPhase::Ascent => s.guidance().ascent.cutoff_margin(s.input()),
            _ => f64::NAN,
        }
    }
    fn direction(&self) -> Direction {
        Direction::Decreasing
    }
    fn watches(&self, start: &EventState<'_, MissionProgram>, _: &EventState<'_, MissionProgram>) -> bool {
        start.sequencer().config().is_burning()
    }
    fn action(&self, _: &EventState<'_, MissionProgram>) -> Action {
        Action::Transition(Transition::Cutoff)
    }
}

/// The ascent's pitch-over at its air speed.
struct AscentPitchOver;

impl EventDetector<MissionProgram> for AscentPitchOver {
    fn g(&self, s: &EventState<'_, MissionProgram>) -> f64 {
        match s.guidance().phase {
            MissionPhase::Ascent => s.guidance().ascent.switch_margin(s.input()),
            _ => f64::NAN,
        }
    }
    fn direction(&self) -> Direction {
        Direction::Decreasing
    }
    fn action(&self, _: &EventState<'_, MissionProgram>) -> Action {
        Action::UpdateGuidance
    }
}

/// The start of the next planned burn: a restart of the stage, once its shortest coast is over.
struct BurnStartDetector;

impl EventDetector<MissionProgram> for BurnStartDetector {
    fn g(&self, s: &EventState<'_, MissionProgram>) -> f64 {
        match s.guidance().phase {
            MissionPhase::Coast { next, .. } => s.guidance().start_margin(next, &s.position_m(), &s.velocity_m_s()),
            _ => f64::NAN,
        }
    }
    fn direction(&self) -> Direction {
        Direction::Increasing
    }
    fn watches(&self, start: &EventState<'_, MissionProgram>, _: &EventState<'_, MissionProgram>) -> bool {
        let g = start.guidance();
        let (MissionPhase::Coast { since_s, .. }, Some(stage)) = (g.phase, g.stage) else { return false };
        let min_coast_s = start.sequencer().vehicle().stages[stage].restart.map_or(0.0, |r| r.min_coast_s);
        !start.sequencer().config().is_burning() && start.time_s() - since_s >= min_coast_s
    }
    fn next_time_s(&self, s: &EventState<'_, MissionProgram>) -> f64 {
        let g = s.guidance();
        match g.phase {
            MissionPhase::Coast { next, since_s } => match g.burns.get(next).map(|b| b.start) {
                Some(BurnStart::AfterCutoffS(dt)) => since_s + dt,
                _ => f64::INFINITY,
            },
            _ => f64::INFINITY,
        }
    }
    fn action(&self, s: &EventState<'_, MissionProgram>) -> Action {
        match s.guidance().stage {
            Some(stage) if s.sequencer().config().is_ignited(stage) => Action::Transition(Transition::Restart { stage }),
            Some(stage) => Action::Transition(Transition::Ignite { stage }),
            None => Action::Continue,
        }
    }
}

/// The cutoff of the burn being flown.
struct BurnCutoffDetector;

impl EventDetector<MissionProgram> for BurnCutoffDetector {
    fn g(&self, s: &EventState<'_, MissionProgram>) -> f64 {
        let g = s.guidance();
        match g.phase {
            MissionPhase::Burn { index, .. } => cutoff_margin(&g.burns[index].cutoff, &s.position_m(), &s.velocity_m_s()),
            _ => f64::NAN,
        }
    }
    fn direction(&self) -> Direction {
        Direction::Decreasing
    }
    fn watches(&self, start: &EventState<'_, MissionProgram>, _: &EventState<'_, MissionProgram>) -> bool {
        start.sequencer().config().is_burning()
    }
    fn action(&self, _: &EventState<'_, MissionProgram>) -> Action {
        Action::Transition(Transition::Cutoff)
    }
}

impl Guidance for MissionProgram {
    #[inline]
    fn thrust_direction(&self, input: &GuidanceInput) -> Vector3<f64> {
        match self.phase {
            MissionPhase::Ascent => self.ascent.thrust_direction(input),
            MissionPhase::Burn { index, start_s } => {
                burn_direction(&self.burns[index].steering, input.time_s - start_s, &input.position_m, &input.velocity_m_s)
            }
            // Nothing burns: any direction (along the velocity).
            _ => input.velocity_m_s.try_normalize(1e-9).unwrap_or(input.up),
        }
    }

    fn next_update_s(&self) -> f64 {
        match self.phase {
            MissionPhase::Ascent => self.ascent.next_update_s(),
            _ => f64::INFINITY,
        }
    }

    fn coast_s(&self) -> Option<f64> {
        self.ascent.coast_s()
    }

    fn detectors(&self) -> Vec<Box<dyn EventDetector<Self>>> {
        vec![Box::new(AscentCutoff), Box::new(AscentPitchOver), Box::new(BurnCutoffDetector), Box::new(BurnStartDetector)]
    }

    fn burns_planned(&self) -> bool {
        match self.phase {
            MissionPhase::Ascent => !self.burns.is_empty(),
            MissionPhase::Coast { .. } => true,
            MissionPhase::Burn { .. } | MissionPhase::Done => false,
        }
    }

    fn propellant_deficit_allowed(&self) -> bool {
        self.propellant_deficit_allowed
    }

    fn update(&mut self, input: &GuidanceInput, staging: Option<&EventKind>) -> Option<EventKind> {
        match (self.phase, staging) {
            (MissionPhase::Ascent, Some(&EventKind::Cutoff { .. })) => {
                self.phase =
                    if self.burns.is_empty() { MissionPhase::Done } else { MissionPhase::Coast { next: 0, since_s: input.time_s } };
                None
            }
            (MissionPhase::Ascent, _) => self.ascent.update(input, staging),
            (MissionPhase::Coast { next, .. }, Some(EventKind::Restart { .. } | EventKind::Ignition { .. })) => {
                self.phase = MissionPhase::Burn { index: next, start_s: input.time_s };
                None
            }
            (MissionPhase::Burn { index, .. }, Some(EventKind::Cutoff { .. })) => {
                self.phase = if index + 1 < self.burns.len() {
                    MissionPhase::Coast { next: index + 1, since_s: input.time_s }
                } else {
                    MissionPhase::Done
                };
                None
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cutoff functions fall through zero where their quantity is reached, and the apogee
    /// one stays finite on a hyperbola.
    #[test]
    fn cutoff_functions_cross_zero_at_their_values() {
        let mu = MU_EARTH_M3_S2;
        let r0 = 6_578_137.0;
        let r = Vector3::new(r0, 0.0, 0.0);
        let vc = (mu / r0).sqrt();
        // Perigee here at r0; apogee ra from the vis-viva speed.
        let ra = 42_164_000.0;
        let vp = (2.0 * mu * ra / (r0 * (r0 + ra))).sqrt();
        let at = |speed: f64| Vector3::new(0.0, speed, 0.0);
        assert!(cutoff_margin(&BurnCutoff::ApogeeRadiusM(ra), &r, &at(vp)).abs() < 1e-12 / ra);
        assert!(cutoff_margin(&BurnCutoff::ApogeeRadiusM(ra), &r, &at(vp - 1.0)) > 0.0);
        assert!(cutoff_margin(&BurnCutoff::ApogeeRadiusM(ra), &r, &at(vp + 1.0)) < 0.0);
        assert!(cutoff_margin(&BurnCutoff::ApogeeRadiusM(ra), &r, &at(2.0 * vc)).is_finite());
        let energy = -mu / (2.0 * r0);
        assert!(cutoff_margin(&BurnCutoff::EnergyJKg(energy), &r, &at(vc)).abs() < 1e-6);
        assert!(cutoff_margin(&BurnCutoff::C3M2S2(0.0), &r, &at((2.0 * mu / r0).sqrt())).abs() < 1e-6);
        // At the apogee of an ellipse, the perigee rises toward the current radius.
        let va = vp * r0 / ra;
        assert!(cutoff_margin(&BurnCutoff::PerigeeRadiusM(r0), &Vector3::new(ra, 0.0, 0.0), &at(va)).abs() < 1.0);
        // Slowing at the apogee lowers the perigee: the lowering cutoff falls through zero.
        let apogee = Vector3::new(ra, 0.0, 0.0);
        assert!(cutoff_margin(&BurnCutoff::PerigeeLoweredToM(r0), &apogee, &at(va)).abs() < 1.0);
        assert!(cutoff_margin(&BurnCutoff::PerigeeLoweredToM(r0), &apogee, &at(va + 1.0)) > 0.0);
        assert!(cutoff_margin(&BurnCutoff::PerigeeLoweredToM(r0), &apogee, &at(va - 1.0)) < 0.0);
    }

    /// The argument of latitude is measured from the ascending node in the direction of motion,
    /// and the steering frame is horizontal-along-velocity, radial and normal.
    #[test]
    fn orbit_angles_and_the_steering_frame() {
        let i = 0.9_f64;
        let r = Vector3::new(7e6, 0.0, 0.0);
        let v = Vector3::new(0.0, 7.5e3 * i.cos(), 7.5e3 * i.sin());
        assert!(argument_of_latitude_rad(&r, &v).abs() < 1e-12);
        let quarter = Vector3::new(0.0, 7e6 * i.cos(), 7e6 * i.sin());
        let v_quarter = Vector3::new(-7.5e3, 0.0, 0.0);
        assert!((argument_of_latitude_rad(&quarter, &v_quarter) - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
        let along = burn_direction(&BurnSteering::default(), 0.0, &r, &v);
        assert!((along - v.normalize()).norm() < 1e-12);
        let up = burn_direction(&BurnSteering { pitch_deg: 90.0, ..Default::default() }, 0.0, &r, &v);
        assert!((up - Vector3::x()).norm() < 1e-12);
        let side = burn_direction(&BurnSteering { yaw_rate_deg_s: 1.0, ..Default::default() }, 90.0, &r, &v);
        assert!((side - r.cross(&v).normalize()).norm() < 1e-12);
    }
}
