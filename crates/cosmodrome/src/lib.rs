//! cosmodrome: launch-vehicle ascent performance, the pure computational core.
//!
//! Layers (a module only uses the layers below it):
//! 1. [`units`], [`error`] — constants, unit conversions, error types;
//! 2. [`environment`] — WGS-84 Earth, zonal gravity, frames, USSA76 atmosphere, orbital elements;
//! 3. [`vehicle`] — engines, stages, vehicles, the vehicle file, the catalog and launch sites;
//! 4. [`flight`] — equations of motion, the Dormand–Prince integrator, events, staging, simulation;
//! 5. [`guidance`] — launch azimuth, vertical rise, pitch-over, gravity turn, steering laws;
//! 6. [`optimize`] — payload maximization, indirect shooting (Delta III); [`propulsion`] —
//!    delta-v budgets; [`dropzone`] — ballistic fall of spent stages, Monte Carlo dispersions
//!    and drop-zone footprints;
//! 7. [`validation`] — predictions against published payloads;
//! 8. [`mission`] — what a user asks (info, fly, payload, drop zones, validation), answered as
//!    one typed, serializable report each: what every front end presents.
//!
//! The core never touches the terminal, the network or the file system: vehicle files are parsed
//! from `&str`, results are plain data for the writers in `cosmodrome-io`.

pub mod error;
pub mod units;

pub mod environment;
pub mod vehicle;

pub mod flight;
pub mod guidance;

pub mod dropzone;
pub mod optimize;
pub mod propulsion;

pub mod validation;

pub mod mission;

/// The number in `text` between `before` and the next `until`: refusals and hints carry their
/// figures in words, and the tests check the figures. Panics, showing `text`, when there is none.
#[cfg(test)]
pub(crate) fn figure_in(text: &str, before: &str, until: &str) -> f64 {
    text.split(before)
        .nth(1)
        .and_then(|t| t.split(until).next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no figure after {before:?} in: {text}"))
}

pub use error::{Error, Result};

/// The README's code blocks, compiled and run by `cargo test --doc` (its shell blocks are `sh`
/// and its file snippets `toml`, which rustdoc leaves alone).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
