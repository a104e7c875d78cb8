//! cosmodrome's integration tests: closed-form physics, event sequences of the catalog
//! vehicles, output hygiene, outputs read by independent readers and the command line. One binary, one module per theme.

mod common;

mod cli;
mod events;
mod interop;
mod outputs;
mod physics;
