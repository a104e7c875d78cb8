//! Trajectory optimisation: the targeted ascent to an orbit with a given payload and the payload
//! maximization (targeting by damped Newton, ascent shape by Brent's method), and indirect (Pontryagin) shooting for
//! constant-thrust multi-phase ascents with the Delta III benchmark that validates it.

pub mod delta3;
pub mod newton;
pub mod payload;
pub mod reach;
pub mod scalar;
pub mod shooting;
pub mod targeting;
pub mod transfer;

pub use shooting::{
    solve, CentralBody, ControlSample, ExponentialAtmosphere, Guess, OptimizeError, Phase, PhaseDuration, Problem, Solution, SolverOptions,
    Target,
};
