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

/// What the optimizers tell their caller as they fly: the number of flights flown so far.
///
/// A trait object rather than a type parameter: the optimizer and every flight under it are
/// compiled once, optimized, in this crate, instead of being instantiated for each caller's
/// closure in the caller's crate (where a debug build leaves them unoptimized, an order of
/// magnitude slower, and every front end compiles them again).
pub type Progress<'a> = &'a mut dyn FnMut(usize);

pub use shooting::{
    solve, CentralBody, ControlSample, ExponentialAtmosphere, Guess, OptimizeError, Phase, PhaseDuration, Problem, Solution, SolverOptions,
    Target,
};
