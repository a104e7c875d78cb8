//! What a flight produces: the event list, sampled trajectory, the states of jettisoned bodies
//! and the final state. Plain data for the writers.

use nalgebra::Vector3;

use crate::environment::elements::OrbitalElements;
use crate::vehicle::StageKind;

/// Kind of a flight event.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// Engines of the liftoff stages start and the vehicle leaves the pad.
    Liftoff,
    /// Vertical rise ends and the pitch-over kick starts.
    PitchOver,
    /// The pitch-over kick ends and the zero-angle-of-attack gravity turn starts.
    GravityTurn,
    /// The steering law above the atmosphere takes over.
    Steering,
    /// A stage ignites.
    Ignition {
        /// Stage index in the vehicle.
        stage: usize,
    },
    /// A stage changes throttle.
    Throttle {
        /// Stage index.
        stage: usize,
        /// New throttle level.
        level: f64,
    },
    /// Guidance shut the engines of a stage down before burnout (the target orbit is reached).
    Cutoff {
        /// Stage index.
        stage: usize,
    },
    /// A stage has used its usable propellant.
    Burnout {
        /// Stage index.
        stage: usize,
    },
    /// A stage leaves the vehicle.
    Separation {
        /// Stage index.
        stage: usize,
    },
    /// The payload fairing is jettisoned.
    FairingJettison,
    /// A `[[jettison]]` item of the vehicle (interstage, escape tower) is dropped.
    Jettison {
        /// Index of the item in the vehicle's `jettison` list.
        item: usize,
    },
    /// Maximum dynamic pressure.
    MaxQ,
    /// The flight reached orbit: the last stage burned out with a perigee above the atmosphere.
    Insertion,
    /// Highest point of a ballistic arc.
    Apogee,
    /// The vehicle meets the ellipsoid (altitude 0).
    Impact,
}

impl EventKind {
    /// Short machine-readable name (`separation`), used in `events.json`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Liftoff => "liftoff",
            EventKind::PitchOver => "pitch_over",
            EventKind::GravityTurn => "gravity_turn",
            EventKind::Steering => "steering",
            EventKind::Ignition { .. } => "ignition",
            EventKind::Throttle { .. } => "throttle",
            EventKind::Cutoff { .. } => "cutoff",
            EventKind::Burnout { .. } => "burnout",
            EventKind::Separation { .. } => "separation",
            EventKind::FairingJettison => "fairing_jettison",
            EventKind::Jettison { .. } => "jettison",
            EventKind::MaxQ => "max_q",
            EventKind::Insertion => "insertion",
            EventKind::Apogee => "apogee",
            EventKind::Impact => "impact",
        }
    }

    /// The stage the event concerns, if any.
    pub fn stage(&self) -> Option<usize> {
        match *self {
            EventKind::Ignition { stage }
            | EventKind::Throttle { stage, .. }
            | EventKind::Burnout { stage }
            | EventKind::Cutoff { stage }
            | EventKind::Separation { stage } => Some(stage),
            _ => None,
        }
    }
}

/// Flight quantities at one instant, as the trajectory table and events report them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightPoint {
    /// Time since liftoff, s.
    pub time_s: f64,
    /// Position in the inertial frame aligned with Earth-fixed at liftoff, m.
    pub position_eci_m: Vector3<f64>,
    /// Inertial velocity, m/s.
    pub velocity_eci_m_s: Vector3<f64>,
    /// Geodetic altitude above WGS-84, m.
    pub altitude_m: f64,
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east in (-180, 180].
    pub longitude_deg: f64,
    /// Inertial speed, m/s.
    pub speed_m_s: f64,
    /// Speed relative to the co-rotating air, m/s.
    pub air_speed_m_s: f64,
    /// Inertial flight-path angle above the local horizontal, degrees.
    pub flight_path_angle_deg: f64,
    /// Vehicle mass, kg.
    pub mass_kg: f64,
    /// Total thrust, N.
    pub thrust_n: f64,
    /// Dynamic pressure ½ρv², Pa.
    pub dynamic_pressure_pa: f64,
    /// Mach number of the air-relative speed.
    pub mach: f64,
    /// Acceleration along the vehicle axis from thrust and drag, in g0.
    pub axial_accel_g: f64,
}

/// One event with the flight state when it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightEvent {
    /// What happened.
    pub kind: EventKind,
    /// Human-readable description naming the stage (`separation of URM-1 boosters`).
    pub description: String,
    /// State at the event.
    pub point: FlightPoint,
}

/// One row of the sampled trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Flight quantities.
    pub point: FlightPoint,
    /// Index into [`FlightResult::phase_names`]: what burns (`URM-1 boosters+URM-1 core`, `coast`).
    pub phase: usize,
}

/// A body that left the vehicle: its state at separation seeds its ballistic fall.
#[derive(Debug, Clone, PartialEq)]
pub struct JettisonedBody {
    /// Name (`URM-1 boosters`, `fairing`).
    pub name: String,
    /// Stage index; `None` for the fairing.
    pub stage: Option<usize>,
    /// Kind of stage, `None` for the fairing.
    pub kind: Option<StageKind>,
    /// Identical bodies leaving together (4 boosters, 2 fairing halves).
    pub count: u32,
    /// Mass of one body, kg.
    pub mass_kg: f64,
    /// State at separation.
    pub point: FlightPoint,
}

/// How the flight ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlightOutcome {
    /// The last stage burned out in orbit.
    Orbit,
    /// The vehicle came back to the ground.
    Impact,
    /// The time limit ended the flight.
    TimeLimit,
}

/// Everything one flight produces.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightResult {
    /// Events in time order.
    pub events: Vec<FlightEvent>,
    /// Sampled trajectory (empty when sampling is off).
    pub samples: Vec<Sample>,
    /// Names of the burn phases the samples refer to.
    pub phase_names: Vec<String>,
    /// Jettisoned stages and fairing, in order of separation.
    pub jettisoned: Vec<JettisonedBody>,
    /// Final state.
    pub final_point: FlightPoint,
    /// Osculating orbit at the end (also for suborbital ends, for the record).
    pub final_orbit: OrbitalElements,
    /// How the flight ended.
    pub outcome: FlightOutcome,
    /// Highest dynamic pressure, Pa.
    pub max_dynamic_pressure_pa: f64,
    /// Highest axial acceleration, g0.
    pub max_axial_accel_g: f64,
    /// Usable propellant still aboard at the end (left by a guidance cutoff), kg.
    pub remaining_propellant_kg: f64,
    /// Accepted integration steps.
    pub steps: usize,
    /// The Δv budget from liftoff to the end of the flight.
    pub loss_budget: super::losses::LossBudget,
}

impl FlightResult {
    /// First event of a kind name for a stage (or any stage when `stage` is `None`).
    pub fn event(&self, name: &str, stage: Option<usize>) -> Option<&FlightEvent> {
        self.events.iter().find(|e| e.kind.name() == name && (stage.is_none() || e.kind.stage() == stage))
    }

    /// Perigee altitude above the equatorial radius at the end, m.
    pub fn perigee_altitude_m(&self) -> f64 {
        self.final_orbit.perigee_altitude_m()
    }

    /// Apogee altitude above the equatorial radius at the end, m (infinite when escaping).
    pub fn apogee_altitude_m(&self) -> f64 {
        self.final_orbit.apogee_altitude_m()
    }
}
