//! Powered and ballistic flight: equations of motion, integrator, events, staging, simulation.

pub mod integrator;
