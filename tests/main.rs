//! cosmodrome's integration tests: closed-form physics, event sequences of the catalog
//! vehicles, output hygiene and the command line. One binary, one module per theme.

mod common;

mod cli;
mod events;
mod outputs;
mod payload;
mod physics;
