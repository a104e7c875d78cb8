//! Trajectory optimisation: indirect (Pontryagin) shooting for constant-thrust multi-phase
//! ascents, and the Delta III ascent benchmark that validates it.

pub mod delta3;
pub mod nlp;
pub mod payload;
pub mod shooting;

pub use shooting::{
    solve, CentralBody, ControlSample, ExponentialAtmosphere, Guess, OptimizeError, Phase, PhaseDuration, Problem, Solution, SolverOptions,
    Target,
};
