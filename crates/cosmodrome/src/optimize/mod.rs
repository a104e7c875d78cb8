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

/// Run `search` with `progress` offset by `done`, and count the flights it reported: a search
/// that fails still flew, and its error does not say how much. The count is a lower bound (the
/// open-loop flights that shape the built-in guesses are not reported to the progress); a
/// search that succeeds states its own.
pub(crate) fn counting_flights<T>(progress: Progress<'_>, done: usize, search: impl FnOnce(Progress<'_>) -> T) -> (T, usize) {
    let mut flown = 0;
    let result = search(&mut |n| {
        flown = n;
        progress(done + n)
    });
    (result, flown)
}

pub use shooting::{
    solve, CentralBody, ControlSample, ExponentialAtmosphere, Guess, OptimizeError, Phase, PhaseDuration, Problem, Solution, SolverOptions,
    Target,
};
