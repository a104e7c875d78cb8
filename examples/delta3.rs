//! Solve the Delta III ascent benchmark (Betts 2010, Ex. 6.15) by indirect shooting and time it.
//!
//! Prints one line on stdout, `final_mass_kg=<m_f> solve_ms=<mean single-threaded time>`; the
//! details (final time, iterations, residual) go to stderr.

use std::time::Instant;

use cosmodrome::optimize::delta3;

const TIMED_RUNS: usize = 20;

fn main() {
    let (warm, iterations) = match delta3::solve_benchmark() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("delta3: {e}");
            std::process::exit(1);
        }
    };
    let start = Instant::now();
    let mut last = warm;
    for _ in 0..TIMED_RUNS {
        last = delta3::solve_benchmark().expect("solved once already").0;
    }
    let solve_ms = start.elapsed().as_secs_f64() * 1e3 / TIMED_RUNS as f64;
    eprintln!(
        "t_f = {:.4} s, H(t_f) = {:.3}, residual = {:.2e}, LM iterations (all continuation steps) = {iterations}, reference m_f = {} kg",
        last.final_time_s,
        last.final_hamiltonian,
        last.residual_norm,
        delta3::REFERENCE_FINAL_MASS_KG
    );
    println!("final_mass_kg={:.4} solve_ms={:.2}", last.final_mass_kg, solve_ms);
}
