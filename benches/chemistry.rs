//! Speed of the propellant chemistry: one chamber + throat + exit point, shifting
//! equilibrium at area ratio 40, for LOX/RP-1 (O/F 2.6, 100 bar) and LOX/LH2 (O/F 6, 100 bar),
//! the solver set up once per pair as a sweep uses it. Goal ≤ 100 µs per point.
//!
//! With `COSMODROME_PYTHON` naming an interpreter that has NASA's `cea` package, the same
//! points are timed in CEA in the same run and printed with the ratio, for the 10× comparison:
//! both sides as the best of several batches (a shared machine's load only ever adds time, so
//! the fastest batch is the closest to each program's own cost), ours right before CEA's.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use cosmodrome::propulsion::chemistry::{
    builtin_propellants, builtin_species, find_propellant, Flow, NozzleExit, RocketProblem, RocketSolver,
};
use criterion::{criterion_group, criterion_main, Criterion};

const POINTS: [(&str, &str, f64); 2] = [("LOX", "RP-1", 2.6), ("LOX", "LH2", 6.0)];

/// Batches timed on each side; the fastest counts.
const BATCHES: usize = 7;

/// CEA's time per point, µs, from the Python package (RocketSolver set up once per pair): the
/// fastest of `BATCHES` batches of 100 calls.
fn cea_time_us(ox: &str, fuel: &str, mr: f64) -> Option<f64> {
    let python = std::env::var("COSMODROME_PYTHON").ok()?;
    let script = format!(
        r#"
import sys, time
sys.argv = ["cea_grid.py", "/dev/null"]
src = open("{dir}/tests/python/cea_grid.py").read().replace('if __name__ == "__main__":\n    main()', '')
exec(src)
import numpy as np, cea
ox, fu, of = "{ox}", "{fuel}", {mr}
names = [n for n, _, _ in PROPELLANTS[ox]] + [n for n, _, _ in PROPELLANTS[fu]]
temps = np.array([t for _, _, t in PROPELLANTS[ox]] + [t for _, _, t in PROPELLANTS[fu]])
ox_w = np.array([w for _, w, _ in PROPELLANTS[ox]] + [0.0] * len(PROPELLANTS[fu]))
fu_w = np.array([0.0] * len(PROPELLANTS[ox]) + [w for _, w, _ in PROPELLANTS[fu]])
reac = cea.Mixture(names); prod = cea.Mixture(names, products_from_reactants=True)
solver = cea.RocketSolver(prod, reactants=reac); sol = cea.RocketSolution(solver)
weights = reac.of_ratio_to_weights(ox_w, fu_w, of)
hc = reac.calc_property(cea.ENTHALPY, weights, temps) / cea.R
n = 100
best = float("inf")
for _ in range({batches}):
    t0 = time.perf_counter()
    for _ in range(n):
        solver.solve(sol, weights, 100.0, supar=[40.0], hc=hc, iac=True)
    best = min(best, (time.perf_counter() - t0) / n)
print(best * 1e6)
"#,
        dir = env!("CARGO_MANIFEST_DIR"),
        batches = BATCHES
    );
    let o = Command::new(python).args(["-c", &script]).output().ok()?;
    String::from_utf8_lossy(&o.stdout).lines().last()?.trim().parse().ok()
}

fn bench(c: &mut Criterion) {
    let table = builtin_propellants();
    let lib = builtin_species();
    let mut group = c.benchmark_group("chemistry");
    for (ox, fuel, mr) in POINTS {
        let oxidizer = find_propellant(table, ox, "oxidizer").unwrap();
        let fuel_p = find_propellant(table, fuel, "fuel").unwrap();
        let problem = RocketProblem {
            oxidizer,
            fuel: fuel_p,
            mixture_ratio: mr,
            chamber_pressure_bar: 100.0,
            exit: NozzleExit::AreaRatio(40.0),
            flow: Flow::Shifting,
            ambient_pressure_bar: None,
        };
        let mut solver = RocketSolver::new(lib, oxidizer, fuel_p).unwrap();
        group.bench_function(format!("{ox}/{fuel} O/F {mr} 100 bar eps 40 shifting"), |b| {
            b.iter(|| black_box(solver.solve(black_box(&problem)).unwrap().isp_vac_m_s))
        });
        // Ours the same way as CEA's, right before it: the fastest of BATCHES batches.
        let n = 1_000;
        let ours_us = (0..BATCHES)
            .map(|_| {
                let t0 = Instant::now();
                for _ in 0..n {
                    black_box(solver.solve(black_box(&problem)).unwrap().isp_vac_m_s);
                }
                t0.elapsed().as_secs_f64() / n as f64 * 1e6
            })
            .fold(f64::INFINITY, f64::min);
        match cea_time_us(ox, fuel, mr) {
            Some(cea_us) => println!(
                "{ox}/{fuel}, same run, fastest of {BATCHES} batches: cosmodrome {ours_us:.2} µs, NASA CEA (python package) {cea_us:.1} µs per point: {:.1}× faster",
                cea_us / ours_us
            ),
            None => println!("{ox}/{fuel}: cosmodrome {ours_us:.2} µs per point; CEA timing skipped: set COSMODROME_PYTHON to a python with `cea`"),
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
