//! The `cosmodrome` command-line tool: list the catalog, explain a vehicle's propulsion, fly an
//! ascent, find the largest payload and where the spent stages fall. Raw flags are turned into
//! validated core objects before any work starts.

mod args;
mod commands;
mod dropzones;
mod fly;
mod fly_orbit;
mod output;
mod payload;
mod present;
mod propellant;
mod resolve;
mod sweep;
mod table;
mod validate;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe would panic; a command-line tool ends
    // quietly instead (`cosmodrome vehicles | head -3`).
    sigpipe::reset();
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
