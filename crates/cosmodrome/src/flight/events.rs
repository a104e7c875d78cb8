//! Event detectors: the one mechanism by which anything happens during a flight.
//!
//! A detector is a continuous function `g(t, state)` whose sign change in a chosen direction
//! marks the moment, and an [`Action`] taken there — the design of Orekit's `EventDetector`
//! and nyx's events. The flight loop evaluates every detector at the end of each integration
//! step, locates each crossing on the step's dense output (Illinois method, 1 ns), and applies
//! the actions in time order: observations (max-Q, apogee, a caller's record) go on within the
//! step; the earliest action that changes the flight (a [`Transition`] of the
//! [`super::sequence::Sequencer`], a guidance update, a stop) cuts the step there and restarts
//! the integrator, so the state on both sides of a discontinuity is integrated separately.
//!
//! Events known in advance by their time (throttle segments, delayed ignitions, timed drops,
//! guidance phase times) come through the same trait: [`EventDetector::next_time_s`] clips the
//! step so it ends exactly there (OpenRocket's time-ordered queue), with no root to find.
//!
//! Adding an event type is one `impl EventDetector` in one place: built-in ones in
//! [`builtin`], a steering law's through [`super::Guidance::detectors`], a caller's through
//! [`super::fly_with`]. The loop does not change.

use std::cell::OnceCell;

use nalgebra::Vector3;

use super::eom::{Dynamics, Forces};
use super::sequence::{Sequencer, Transition, STATE_DIM};
use super::trajectory::{EventKind, FlightOutcome};
use super::{Guidance, GuidanceInput};
use crate::environment::earth::OMEGA_EARTH_RAD_S;

/// Which sign change of `g` is the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From negative to zero or positive.
    Increasing,
    /// From positive to zero or negative.
    Decreasing,
    /// Either.
    Any,
}

impl Direction {
    /// Whether `g` went from `g0` to `g1` across zero in this direction. Non-finite values
    /// (a detector that does not apply, `∞`) never cross.
    #[inline]
    pub fn crossed(self, g0: f64, g1: f64) -> bool {
        if !(g0.is_finite() && g1.is_finite()) {
            return false;
        }
        let up = g0 < 0.0 && g1 >= 0.0;
        let down = g0 > 0.0 && g1 <= 0.0;
        match self {
            Direction::Increasing => up,
            Direction::Decreasing => down,
            Direction::Any => up || down,
        }
    }
}

/// What a detector does where its event happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Nothing: the flight goes on.
    Continue,
    /// Record an event of this kind at the crossing and go on (apogee, a caller's marker).
    Record(EventKind),
    /// A candidate peak of dynamic pressure: the flight keeps, per kind, the event of the
    /// highest dynamic pressure (max-Q of the ascent, the peak of a fall) and inserts it in
    /// time order at the end.
    RecordPeak(EventKind),
    /// Change the configuration through the sequencer; the integrator restarts here.
    Transition(Transition),
    /// Call the steering law's [`Guidance::update`] here; the integrator restarts.
    UpdateGuidance,
    /// Record the event and end the flight.
    Stop {
        /// The event recorded.
        event: EventKind,
        /// How the flight ended.
        outcome: FlightOutcome,
    },
}

impl Action {
    /// Whether the action changes the flight, so that the step must end here.
    pub fn ends_step(&self) -> bool {
        matches!(self, Action::Transition(_) | Action::UpdateGuidance | Action::Stop { .. })
    }
}

/// The flight at one instant, as detectors see it: time, integrated state, configuration,
/// steering law and (computed on first use, once) the forces.
pub struct EventState<'a, G: Guidance> {
    time_s: f64,
    y: [f64; STATE_DIM],
    dynamics: &'a Dynamics<'a, G>,
    sequencer: &'a Sequencer<'a>,
    falling: bool,
    /// Forces computed by the loop beforehand (the end of every step needs them).
    known: Option<&'a Forces>,
    forces: OnceCell<Forces>,
}

impl<'a, G: Guidance> EventState<'a, G> {
    /// The state `y` at `time_s` under `dynamics` (whose configuration is the sequencer's).
    pub(crate) fn new(
        time_s: f64,
        y: [f64; STATE_DIM],
        dynamics: &'a Dynamics<'a, G>,
        sequencer: &'a Sequencer<'a>,
        falling: bool,
    ) -> Self {
        EventState { time_s, y, dynamics, sequencer, falling, known: None, forces: OnceCell::new() }
    }

    /// The same with the forces at this instant already computed.
    pub(crate) fn with_forces(mut self, forces: &'a Forces) -> Self {
        self.known = Some(forces);
        self
    }

    /// Time since liftoff, s.
    pub fn time_s(&self) -> f64 {
        self.time_s
    }

    /// The integrated state: position (0..3, m), velocity (3..6, m/s), the propellant of each
    /// burn slot (6.., kg), then the Δv budget integrals.
    pub fn state(&self) -> &[f64; STATE_DIM] {
        &self.y
    }

    /// Forces and derived quantities (altitude, air velocity, atmosphere), evaluated once.
    pub fn forces(&self) -> &Forces {
        match self.known {
            Some(f) => f,
            None => self.forces.get_or_init(|| self.dynamics.forces(self.time_s, &self.y)),
        }
    }

    /// What the steering law sees.
    pub fn input(&self) -> &GuidanceInput {
        &self.forces().input
    }

    /// The sequencer: configuration and scheduled transitions.
    pub fn sequencer(&self) -> &Sequencer<'a> {
        self.sequencer
    }

    /// The steering law.
    pub fn guidance(&self) -> &G {
        self.dynamics.guidance
    }

    /// Past the apogee of the final coast: the flight is falling back.
    pub fn falling(&self) -> bool {
        self.falling
    }

    /// Position, m.
    pub fn position_m(&self) -> Vector3<f64> {
        Vector3::new(self.y[0], self.y[1], self.y[2])
    }

    /// Inertial velocity, m/s.
    pub fn velocity_m_s(&self) -> Vector3<f64> {
        Vector3::new(self.y[3], self.y[4], self.y[5])
    }
}

/// An event of a flight: a g-function, the direction of its crossing, and what to do there.
///
/// `g` must be continuous between configuration changes (the crossing is found by root
/// finding on the dense output); return a non-finite value where the detector does not apply.
/// Detectors are immutable: a flight may run on many threads from one list, and what an event
/// does to the flight is said by the returned [`Action`], never done behind the loop's back.
pub trait EventDetector<G: Guidance> {
    /// The event function: its zero crossing in [`EventDetector::direction`] is the event.
    fn g(&self, s: &EventState<'_, G>) -> f64;

    /// Which crossing is the event.
    fn direction(&self) -> Direction {
        Direction::Any
    }

    /// Whether the detector watches the step from `start` to `end` (an enabling predicate, as
    /// Orekit's `EventEnablingPredicateFilter`): burnout only for an occupied burn slot, apogee
    /// only when coasting. Watched by default.
    fn watches(&self, start: &EventState<'_, G>, end: &EventState<'_, G>) -> bool {
        let _ = (start, end);
        true
    }

    /// For an event known by its time: when it is next due (∞: not a time event). The
    /// integrator lands on it exactly and the loop applies [`EventDetector::action`] there.
    /// Asked after every restart of the integrator (liftoff, a configuration change, a
    /// steering update); the answer holds until the next one.
    fn next_time_s(&self, s: &EventState<'_, G>) -> f64 {
        let _ = s;
        f64::INFINITY
    }

    /// What happens at the event; `s` is the state at the crossing.
    fn action(&self, s: &EventState<'_, G>) -> Action;
}

/// The detectors of every flight.
pub mod builtin {
    use super::*;
    use crate::vehicle::FairingJettison;

    /// The ascent's max-Q is looked for below this altitude (the air above is too thin for a
    /// peak that matters), m.
    const MAX_Q_CEILING_M: f64 = 150e3;
    /// Ground contact is not looked for in the first second (the pad may sit at altitude 0).
    const IMPACT_ARMED_AFTER_S: f64 = 1.0;

    /// Burnout of the liquid stage in one burn slot: `g` = its usable propellant left. A solid
    /// stage's burnout is the end of its curve, a time the sequencer schedules.
    #[derive(Debug, Clone, Copy)]
    pub struct Burnout {
        /// Burn slot.
        pub slot: usize,
    }

    impl<G: Guidance> EventDetector<G> for Burnout {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            s.state()[6 + self.slot]
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn watches(&self, start: &EventState<'_, G>, _: &EventState<'_, G>) -> bool {
            let seq = start.sequencer();
            // A search flight lets a restartable stage's burns run short of propellant (see
            // `Guidance::propellant_deficit_allowed`).
            seq.config().slots[self.slot].is_some_and(|s| {
                let deficit_allowed = seq.allow_propellant_deficit && seq.vehicle().stages[s.stage].restart.is_some();
                !(seq.vehicle().stages[s.stage].is_solid() || deficit_allowed)
            })
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Transition(Transition::Burnout { slot: self.slot })
        }
    }

    /// A drop tank runs empty: `g` = the burn slot's propellant over the level at which the
    /// stage's own tanks take over ([`super::super::sequence::drop_tank_empty_level_kg`]).
    #[derive(Debug, Clone, Copy)]
    pub struct DropTankEmpty {
        /// Burn slot.
        pub slot: usize,
    }

    impl<G: Guidance> EventDetector<G> for DropTankEmpty {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            let seq = s.sequencer();
            let Some(stage) = seq.config().slots[self.slot].map(|b| b.stage) else { return f64::NAN };
            if seq.config().tank_dropped(stage) {
                return f64::NAN;
            }
            match super::super::sequence::drop_tank_empty_level_kg(seq.vehicle(), stage) {
                Some(level) => s.state()[6 + self.slot] - level,
                None => f64::NAN,
            }
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Transition(Transition::DropTank { slot: self.slot })
        }
    }

    /// Fairing jettison at an altitude: `g` = altitude − the file's altitude, rising.
    #[derive(Debug, Clone, Copy)]
    pub struct FairingAltitude;

    impl<G: Guidance> EventDetector<G> for FairingAltitude {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            match s.sequencer().vehicle().fairing.map(|f| f.jettison) {
                Some(FairingJettison::Altitude(h)) => s.input().altitude_m - h,
                _ => f64::NAN,
            }
        }
        fn direction(&self) -> Direction {
            Direction::Increasing
        }
        fn watches(&self, start: &EventState<'_, G>, _: &EventState<'_, G>) -> bool {
            start.sequencer().config().fairing_attached
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Transition(Transition::JettisonFairing)
        }
    }

    /// Fairing jettison once the free-molecular heat flux `½ρv³` falls below the file's limit:
    /// `g` = heat flux − limit, falling (it rises through the limit early in the ascent).
    #[derive(Debug, Clone, Copy)]
    pub struct FairingHeatFlux;

    impl<G: Guidance> EventDetector<G> for FairingHeatFlux {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            match s.sequencer().vehicle().fairing.map(|f| f.jettison) {
                Some(FairingJettison::HeatFlux(limit)) => {
                    let f = s.forces();
                    let va = f.input.air_velocity_m_s.norm();
                    0.5 * f.atmosphere.density_kg_m3 * va * va * va - limit
                }
                _ => f64::NAN,
            }
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn watches(&self, start: &EventState<'_, G>, _: &EventState<'_, G>) -> bool {
            start.sequencer().config().fairing_attached
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Transition(Transition::JettisonFairing)
        }
    }

    /// Max-Q: the downward zero of `dq/dt`; the ascent's below 150 km, the fall's once past the
    /// final apogee.
    #[derive(Debug, Clone, Copy)]
    pub struct MaxQ;

    impl<G: Guidance> EventDetector<G> for MaxQ {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            dynamic_pressure_rate(s.forces())
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn watches(&self, start: &EventState<'_, G>, _: &EventState<'_, G>) -> bool {
            start.input().altitude_m < MAX_Q_CEILING_M
        }
        fn action(&self, s: &EventState<'_, G>) -> Action {
            Action::RecordPeak(if s.falling() { EventKind::ReentryMaxQ } else { EventKind::MaxQ })
        }
    }

    /// Apogee of a coast: `g` = r·v falling through zero while nothing burns.
    #[derive(Debug, Clone, Copy)]
    pub struct Apogee;

    impl<G: Guidance> EventDetector<G> for Apogee {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            s.position_m().dot(&s.velocity_m_s())
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn watches(&self, start: &EventState<'_, G>, _: &EventState<'_, G>) -> bool {
            !start.sequencer().config().is_burning()
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Record(EventKind::Apogee)
        }
    }

    /// Impact: the altitude above the ellipsoid falls through zero; the flight ends.
    #[derive(Debug, Clone, Copy)]
    pub struct Impact;

    impl<G: Guidance> EventDetector<G> for Impact {
        fn g(&self, s: &EventState<'_, G>) -> f64 {
            s.input().altitude_m
        }
        fn direction(&self) -> Direction {
            Direction::Decreasing
        }
        fn watches(&self, _: &EventState<'_, G>, end: &EventState<'_, G>) -> bool {
            end.time_s() > IMPACT_ARMED_AFTER_S
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Stop { event: EventKind::Impact, outcome: FlightOutcome::Impact }
        }
    }

    /// The sequencer's transitions scheduled at a known time.
    #[derive(Debug, Clone, Copy)]
    pub struct Scheduled;

    impl<G: Guidance> EventDetector<G> for Scheduled {
        fn g(&self, _: &EventState<'_, G>) -> f64 {
            f64::NAN
        }
        fn next_time_s(&self, s: &EventState<'_, G>) -> f64 {
            s.sequencer().next_scheduled_s()
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Transition(Transition::Scheduled)
        }
    }

    /// The kinks of the burning solid motors' thrust curves: the integrator lands on each
    /// point of a curve, so no step straddles a change of slope (the curve's end is the
    /// sequencer's scheduled burnout). Nothing changes there but the step.
    #[derive(Debug, Clone, Copy)]
    pub struct SolidCurvePoints;

    impl<G: Guidance> EventDetector<G> for SolidCurvePoints {
        fn g(&self, _: &EventState<'_, G>) -> f64 {
            f64::NAN
        }
        fn next_time_s(&self, s: &EventState<'_, G>) -> f64 {
            let vehicle = s.sequencer().vehicle();
            let mut t_next = f64::INFINITY;
            for slot in s.sequencer().config().slots.iter().flatten() {
                if let Some(motor) = &vehicle.stages[slot.stage].motor {
                    let after = s.time_s() - slot.ignition_s + super::super::simulate::TIME_EVENT_TOLERANCE_S;
                    t_next = t_next.min(slot.ignition_s + motor.next_point_s(after));
                }
            }
            t_next
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::Continue
        }
    }

    /// The steering law's scheduled updates ([`Guidance::next_update_s`]).
    #[derive(Debug, Clone, Copy)]
    pub struct GuidanceSchedule;

    impl<G: Guidance> EventDetector<G> for GuidanceSchedule {
        fn g(&self, _: &EventState<'_, G>) -> f64 {
            f64::NAN
        }
        fn next_time_s(&self, s: &EventState<'_, G>) -> f64 {
            s.guidance().next_update_s()
        }
        fn action(&self, _: &EventState<'_, G>) -> Action {
            Action::UpdateGuidance
        }
    }

    /// The detectors every flight runs come in three groups; the flight's list is
    /// `state_events`, the steering law's own, `end_and_observations`, the caller's,
    /// `time_events`. The order breaks ties between events at the same instant: burnouts by
    /// slot, then the fairing, then the steering law's (cutoff), then impact.
    pub(crate) fn state_events<'a, G: Guidance + 'a>() -> [&'a (dyn EventDetector<G> + 'a); 8] {
        const _: () = assert!(super::super::sequence::MAX_BURNING == 3, "one Burnout detector per burn slot");
        [
            &Burnout { slot: 0 },
            &Burnout { slot: 1 },
            &Burnout { slot: 2 },
            &FairingAltitude,
            &FairingHeatFlux,
            &DropTankEmpty { slot: 0 },
            &DropTankEmpty { slot: 1 },
            &DropTankEmpty { slot: 2 },
        ]
    }

    /// See [`state_events`].
    pub(crate) fn end_and_observations<'a, G: Guidance + 'a>() -> [&'a (dyn EventDetector<G> + 'a); 3] {
        [&Impact, &MaxQ, &Apogee]
    }

    /// See [`state_events`]: the sequencer's scheduled transitions, the solid curves' points,
    /// then the steering law's scheduled update.
    pub(crate) fn time_events<'a, G: Guidance + 'a>() -> [&'a (dyn EventDetector<G> + 'a); 3] {
        [&Scheduled, &SolidCurvePoints, &GuidanceSchedule]
    }

    /// Time derivative of the dynamic pressure, Pa/s: `d(½ρvₐ²)/dt = ½vₐ²·(dρ/dh)·ḣ + ρ·vₐ·(a − ω×v)`;
    /// its downward zero crossing is max-Q.
    pub fn dynamic_pressure_rate(f: &Forces) -> f64 {
        let va = f.input.air_velocity_m_s;
        let h = f.input.altitude_m;
        if f.atmosphere.density_kg_m3 <= 0.0 {
            return 0.0;
        }
        let dh = 1.0;
        let drho_dh = (crate::environment::atmosphere::ussa76(h + dh).density_kg_m3 - f.atmosphere.density_kg_m3) / dh;
        let h_dot = va.dot(&f.input.up);
        let omega = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S);
        let air_accel = f.acceleration() - omega.cross(&f.input.velocity_m_s);
        0.5 * va.norm_squared() * drho_dh * h_dot + f.atmosphere.density_kg_m3 * va.dot(&air_accel)
    }
}

#[cfg(test)]
mod tests {
    use super::Direction;

    /// A crossing counts only in its direction, never through a non-finite value (a detector
    /// that does not apply), and not from a start on zero (the event just handled there).
    #[test]
    fn directions_cross_only_their_way() {
        assert!(Direction::Increasing.crossed(-1.0, 0.0) && !Direction::Increasing.crossed(1.0, -1.0));
        assert!(Direction::Decreasing.crossed(1.0, 0.0) && !Direction::Decreasing.crossed(-1.0, 1.0));
        assert!(Direction::Any.crossed(1.0, -1.0) && Direction::Any.crossed(-1.0, 1.0));
        assert!(!Direction::Any.crossed(f64::INFINITY, -1.0) && !Direction::Any.crossed(1.0, f64::NAN));
        assert!(!Direction::Decreasing.crossed(0.0, -1.0) && !Direction::Increasing.crossed(0.0, 1.0));
    }
}
