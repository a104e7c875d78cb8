//! cosmodrome's integration tests: closed-form physics, event sequences of the catalog
//! vehicles, drop zones against published fall regions, output hygiene, outputs read by
//! independent readers and the command line. One binary, one module per theme.

mod common;

mod cli;
mod dropzones;
mod events;
mod interop;
mod outputs;
mod payload;
mod physics;

// Propellant chemistry against NASA CEA.
mod chemistry;
