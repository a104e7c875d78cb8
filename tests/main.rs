//! cosmodrome's integration tests: closed-form physics, event sequences of the catalog
//! vehicles, drop zones against published fall regions, output hygiene and outputs read by
//! independent readers. One binary, one module per theme. The tests that run the `cosmodrome`
//! binary live in its package (`crates/cosmodrome-cli/tests/cli/`), where cargo builds it.

mod common;

mod blind;
mod dropzones;
mod elliptic;
mod events;
mod flown;
mod fuzz;
mod golden;
mod interop;
mod losses;
mod margins;
mod oem_epochs;
mod outputs;
mod payload;
mod physics;
mod solids;
mod upper;

// Propellant chemistry against NASA CEA.
mod chemistry;
