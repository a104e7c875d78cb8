//! Speed bar: drop-zone Monte Carlo, ≥ 10 000 impact trajectories per second per
//! core (goal 50 000), linear in cores. Single falls of a Soyuz-2.1b booster and core from their
//! separation states (one core), then the whole Monte Carlo of the flight's three bodies on one
//! thread and on all cores, so the two throughputs show the scaling.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use common::process_cpu_s;
use cosmodrome::dropzone::{body_tumbling, fall, run_monte_carlo, Air, Dispersions, FallOptions, FallStart, MonteCarloSetup};
use cosmodrome::flight::{fly, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG;
use cosmodrome::guidance::{launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog, StageKind};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SAMPLES: usize = 1000;

fn dropzones(c: &mut Criterion) {
    let (vehicle, _) = resolve_vehicle("soyuz-2.1b").expect("catalog vehicle");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let az = launch_azimuth(site.latitude_deg, 97.5, 200e3, Branch::Northbound).expect("azimuth");
    let launch = Launch::from_site(site, az.azimuth_deg);
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: 7_000.0, launch, options: FlightOptions::default() };
    let parameters = tune_pitch_kick(&setup, AscentParameters::default(), DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG).expect("kick");
    let flight = fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &launch)).expect("flight");
    let options = FallOptions::default();

    let mut group = c.benchmark_group("fall (1 core)");
    group.throughput(Throughput::Elements(1));
    for kind in [StageKind::Booster, StageKind::Core] {
        let body = flight.jettisoned.iter().find(|b| b.kind == Some(kind)).expect("body");
        let tumbling = body_tumbling(&vehicle, body);
        let start = FallStart::from(&body.point);
        let outcome = fall(&start, body.mass_kg, &tumbling, &Air::default(), &options).expect("fall");
        eprintln!("{}: {:?}", body.name, outcome);
        group.bench_function(format!("soyuz-2.1b {kind:?}"), |b| {
            b.iter(|| fall(black_box(&start), body.mass_kg, &tumbling, &Air::default(), &options).expect("fall"))
        });
    }
    group.finish();

    let mc = MonteCarloSetup {
        vehicle: &vehicle,
        launch,
        bodies: &flight.jettisoned,
        dispersions: Dispersions::default(),
        wind: None,
        options,
        ascent: None,
        samples: SAMPLES,
        seed: 1,
    };
    let mut group = c.benchmark_group("monte carlo soyuz-2.1b vostochny sso");
    group.sample_size(10);
    group.throughput(Throughput::Elements((SAMPLES * flight.jettisoned.len()) as u64));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        // Ten whole runs timed by wall clock and by CPU time: per-core throughput and speed-up.
        let (cpu0, wall0) = (process_cpu_s(), std::time::Instant::now());
        for _ in 0..10 {
            pool.install(|| run_monte_carlo(&mc, &|_, _| {}, &AtomicBool::new(false)).expect("monte carlo"));
        }
        let falls = (10 * SAMPLES * flight.jettisoned.len()) as f64;
        let wall = wall0.elapsed().as_secs_f64();
        let per_cpu = match (cpu0, process_cpu_s()) {
            (Some(a), Some(b)) if b > a => format!("{:.0} per CPU-second", falls / (b - a)),
            _ => "CPU time unavailable".to_owned(),
        };
        eprintln!("monte carlo on {threads} threads: {:.0} trajectories/s wall, {per_cpu}", falls / wall);
        group.bench_function(format!("{threads} threads"), |b| {
            b.iter(|| pool.install(|| run_monte_carlo(black_box(&mc), &|_, _| {}, &AtomicBool::new(false)).expect("monte carlo")))
        });
    }
    group.finish();
}

criterion_group!(benches, dropzones);
criterion_main!(benches);
