//! Steering: launch azimuth, vertical rise, pitch-over, gravity turn and the steering law above
//! the atmosphere; the mission law that adds coasts and upper-stage burns after the ascent. The
//! flight layer defines the [`Guidance`](crate::flight::Guidance) trait; this layer implements it.

pub mod ascent;
pub mod azimuth;
pub mod mission;

pub use ascent::{
    fly_default_ascent, tune_pitch_kick, AscentParameters, AscentProgram, DoglegTurn, ExoSteering, SteeringStart, UpperSteering,
    MAX_ENERGY_WEAVE_DEG,
};
pub use azimuth::{inclination_from_azimuth, launch_azimuth, Branch, LaunchAzimuth};
pub use mission::{BurnCutoff, BurnStart, BurnSteering, MissionPhase, MissionProgram, PlannedBurn};
