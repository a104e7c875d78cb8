//! Powered and ballistic flight: equations of motion, the integrator with dense output, events,
//! the staging sequence, the flight loop and its result.
//!
//! The flight layer defines the [`Guidance`] trait it consumes, so steering laws (layer above)
//! plug in without the flight loop knowing them.

pub mod eom;
pub mod events;
pub mod integrator;
pub mod losses;
pub mod sequence;
pub mod simulate;
pub mod trajectory;

use nalgebra::Vector3;

pub use events::{Action, Direction, EventDetector, EventState};
pub use sequence::{Sequencer, Transition};
pub use simulate::{check_payload_kg, fly, fly_with, FlightOptions, FlightSetup, Launch, MAX_PAYLOAD_KG};
pub use trajectory::{
    AscentEnd, Ending, EventKind, FlightEvent, FlightOutcome, FlightPoint, FlightResult, JettisonedBody, Sample, ThrottleLimit,
};

/// What a steering law sees at one instant, all in the liftoff-aligned inertial frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuidanceInput {
    /// Time since liftoff, s.
    pub time_s: f64,
    /// Position, m.
    pub position_m: Vector3<f64>,
    /// Inertial velocity, m/s.
    pub velocity_m_s: Vector3<f64>,
    /// Velocity relative to the co-rotating air, m/s.
    pub air_velocity_m_s: Vector3<f64>,
    /// Local vertical (ellipsoid normal), unit vector.
    pub up: Vector3<f64>,
    /// Geodetic altitude, m.
    pub altitude_m: f64,
    /// Current mass, kg.
    pub mass_kg: f64,
    /// Current thrust, N.
    pub thrust_n: f64,
}

/// A steering law: the thrust direction at every instant, plus discrete updates.
///
/// `thrust_direction` is called inside the integrator's right-hand side and must be cheap and
/// free of side effects; anything stateful (phase changes, re-targeting) happens in `update`,
/// which the flight loop calls at liftoff, at every staging event, at `next_update_s` and
/// where one of the law's own detectors asks for it ([`Action::UpdateGuidance`]).
pub trait Guidance {
    /// Unit thrust direction in the inertial frame.
    fn thrust_direction(&self, input: &GuidanceInput) -> Vector3<f64>;

    /// Time of the next scheduled update, s (∞ when none); the integrator lands on it exactly.
    fn next_update_s(&self) -> f64 {
        f64::INFINITY
    }

    /// The law's own event detectors, built once per flight: an engine cutoff at the target
    /// orbit ([`Action::Transition`] with [`Transition::Cutoff`]), a phase switch that waits on
    /// the state ([`Action::UpdateGuidance`]), later a burn start or coast end. A detector reads
    /// the law's state through [`EventState::guidance`], so it sees the current phase. None, by
    /// default.
    fn detectors(&self) -> Vec<Box<dyn EventDetector<Self>>>
    where
        Self: Sized,
    {
        Vec::new()
    }

    /// Whether the law still plans a burn: the flight then coasts on after a cutoff instead of
    /// ending in orbit (and a coast that would re-enter is refused). None, by default.
    fn burns_planned(&self) -> bool {
        false
    }

    /// Whether a restartable stage's burns may run its propellant below zero instead of burning
    /// out: the search flights of a transfer targeting, whose shortfall must stay a smooth
    /// quantity. Never for a flight that is reported.
    fn propellant_deficit_allowed(&self) -> bool {
        false
    }

    /// How long a last stage with burn-on engines burns its main engines before they are cut
    /// off and the burn-on engines go on alone, s from its ignition; `None` (the default): all
    /// its engines burn together to its cutoff.
    fn main_engine_burn_s(&self) -> Option<f64> {
        None
    }

    /// The coast before the solid stage whose coast the ascent chooses
    /// ([`crate::vehicle::Vehicle::chosen_coast`]), s from the separation below it; `None` (the
    /// default): the file's `ignition_delay_s`.
    fn coast_s(&self) -> Option<f64> {
        None
    }

    /// Discrete update at a scheduled time or a detector's event (`staging` = `None`), or at a
    /// staging event. Returns an event to record when the steering phase changes.
    fn update(&mut self, input: &GuidanceInput, staging: Option<&EventKind>) -> Option<EventKind> {
        let _ = (input, staging);
        None
    }
}
