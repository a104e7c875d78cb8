//! The `cosmodrome` command-line tool: list the catalog, explain a vehicle's propulsion, fly an
//! ascent, find the largest payload and where the spent stages fall. Raw flags are turned into
//! validated core objects before any work starts.

mod args;
mod commands;
mod dropzones;
mod failure;
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
    // A usage error of clap (an unknown flag, a value its parser refuses) ends here, in clap's
    // words on stderr: the command line is not parsed, so whether it asked for JSON is unknown.
    let cli = args::Cli::parse();
    let json = cli.command.json();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}");
            eprintln!("error: {message}");
            // A script that reads the JSON report on stdout gets one for the failure too.
            if json {
                failure::print_error_report(&e, &message, EXIT_FAILURE);
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Exit status of a run that failed (clap's usage errors exit with it too).
const EXIT_FAILURE: u8 = 2;
