//! Speed bar: the payload sweep of Angara-A5 over 9 circular-orbit altitudes (200–1000 km) ×
//! the 5 Vostochny corridors (45 optimizations) in ≤ 1 s on 2 cores, each point warm-started
//! from its neighbour. Prints the wall and CPU time of one sweep with cold starts (every point
//! from the built-in guesses, as before warm starts) and one with warm starts, and the largest
//! payload difference between them, before criterion's samples of the warm sweep. Then one chain
//! (a payload chart of one vehicle at one inclination: Soyuz-2.1b/Fregat-MT over 200–1400 km),
//! timed on one thread and on all: its points run beside each other, not one after the other.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::time::Instant;

use common::process_cpu_s;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::sweep::{sweep_grid, SweepGrid, SweepInclination, SweepRow, SweepSite};
use cosmodrome::vehicle::resolve_vehicle;
use criterion::{criterion_group, criterion_main, Criterion};

const ALTITUDES_KM: [f64; 9] = [200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0, 1000.0];
/// One inclination in each Vostochny corridor (data/sites.toml): the middle of the band, but
/// 51.9° in the 50–52° band, whose middle lies below the pad's latitude (51.88°).
const INCLINATIONS: [SweepInclination; 5] = [
    SweepInclination::Degrees(51.9),
    SweepInclination::Degrees(63.0),
    SweepInclination::Degrees(72.0),
    SweepInclination::Degrees(83.0),
    SweepInclination::Degrees(98.0),
];

/// Altitudes of the one-chain sweep, km.
const CHART_KM: [f64; 13] = [200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0, 1000.0, 1100.0, 1200.0, 1300.0, 1400.0];

/// One timed sweep on `threads` threads: its rows, and a line saying how long it took.
fn timed(what: &str, threads: usize, run: impl Fn() -> Vec<SweepRow>) -> Vec<SweepRow> {
    let (cpu0, wall0) = (process_cpu_s(), Instant::now());
    let rows = run();
    let (wall, cpu) = (wall0.elapsed().as_secs_f64(), process_cpu_s().zip(cpu0).map(|(b, a)| b - a));
    let reached: Vec<_> = rows.iter().filter_map(|r| r.result.as_ref().ok()).collect();
    eprintln!(
        "{what}: {} points ({} reached, {} flights) in {wall:.3} s wall, {} CPU on {} thread{}",
        rows.len(),
        reached.len(),
        reached.iter().map(|p| p.flights).sum::<usize>(),
        cpu.map_or("?".to_owned(), |c| format!("{c:.3} s")),
        threads,
        if threads == 1 { "" } else { "s" }
    );
    rows
}

fn sweep_bench(c: &mut Criterion) {
    let (vehicle, _) = resolve_vehicle("angara-a5").expect("catalog vehicle");
    let (vehicles, sites) = ([&vehicle], [SweepSite::Catalog("vostochny".to_owned())]);
    let grid = SweepGrid {
        vehicles: &vehicles,
        variants: false,
        sites: &sites,
        altitudes_km: &ALTITUDES_KM,
        inclinations: &INCLINATIONS,
        branch: Branch::Northbound,
        warm_start: true,
    };
    let threads = rayon::current_num_threads();
    let cold = timed("cold-started sweep", threads, || sweep_grid(&SweepGrid { warm_start: false, ..grid }, &|_, _| {}));
    let warm = timed("warm-started sweep", threads, || sweep_grid(&grid, &|_, _| {}));
    let differences =
        warm.iter().zip(&cold).filter_map(|(w, c)| Some((w.result.as_ref().ok()?.payload_kg - c.result.as_ref().ok()?.payload_kg).abs()));
    eprintln!("largest payload difference warm − cold: {:.3} kg", differences.fold(0.0, f64::max));
    let (soyuz, _) = resolve_vehicle("soyuz-2.1b-fregat").expect("catalog vehicle");
    let soyuz = [&soyuz];
    let chart = SweepGrid { vehicles: &soyuz, altitudes_km: &CHART_KM, inclinations: &[SweepInclination::Degrees(51.9)], ..grid };
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool of one thread");
    let alone = timed("one chain (Soyuz-2.1b/Fregat-MT, 13 altitudes)", 1, || one.install(|| sweep_grid(&chart, &|_, _| {})));
    let beside = timed("one chain (Soyuz-2.1b/Fregat-MT, 13 altitudes)", threads, || sweep_grid(&chart, &|_, _| {}));
    assert_eq!(alone, beside, "the rows do not depend on the threads");
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.bench_function("angara-a5 vostochny 9 altitudes × 5 corridors, warm-started", |b| {
        b.iter(|| black_box(sweep_grid(black_box(&grid), &|_, _| {})))
    });
    group.finish();
}

criterion_group!(benches, sweep_bench);
criterion_main!(benches);
