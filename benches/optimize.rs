//! Speed bars for optimization, one core: the payload optimization of Angara-A5
//! from Vostochny to 200 km at 51.9° (bar ≤ 100 ms), and the Delta III ascent benchmark by
//! indirect shooting (bar: faster than ASSET's ~190 ms on a 2-core machine; goal at least 20 times
//! faster, ≤ 9.5 ms, single-threaded; the time against ASSET's is printed before the timings).
//! Also the Soyuz-2.1b ascent from Baikonur shaped to its designated booster zone, for what the
//! drop-zone constraint adds to an optimization, and Ariane 62 to 200 km, for what the load search
//! of a restartable upper stage adds.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use cosmodrome::dropzone::DesignatedZones;
use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::delta3;
use cosmodrome::optimize::payload::{maximize_payload, maximize_payload_with, TargetOrbit};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use criterion::{criterion_group, criterion_main, Criterion};

/// ASSET's time on the Delta III benchmark on a 2-core machine, ms.
const ASSET_DELTA3_MS: f64 = 190.0;
/// The product's goal on it: at least this many times faster than ASSET, single-threaded.
const DELTA3_GOAL_SPEEDUP: f64 = 20.0;

fn payload(c: &mut Criterion) {
    let (vehicle, _) = resolve_vehicle("angara-a5").expect("catalog vehicle");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    let probe = maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
    eprintln!("angara-a5 to 200 km at 51.9°: {:.0} kg, {} flights, {} kicks", probe.payload_kg, probe.flights, probe.kick_evaluations);
    let mut group = c.benchmark_group("optimize");
    group.sample_size(20);
    group.bench_function("payload angara-a5 vostochny 200 km 51.9°", |b| {
        b.iter(|| {
            black_box(maximize_payload(&vehicle, site, black_box(&target), Branch::Northbound, FlightOptions::default(), &mut |_| {}))
        })
    });
    let (soyuz, _) = resolve_vehicle("soyuz-2.1b").expect("catalog vehicle");
    let baikonur = sites.get("baikonur").expect("site");
    let iss = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.6, argument_of_perigee_deg: None };
    let zones = DesignatedZones::resolve("baikonur-iss").expect("built-in zones");
    group.bench_function("payload soyuz-2.1b baikonur 51.6° shaped to baikonur-iss", |b| {
        b.iter(|| {
            black_box(maximize_payload_with(
                &soyuz,
                baikonur,
                black_box(&iss),
                Branch::Northbound,
                FlightOptions::default(),
                &zones.zones,
                &mut |_| {},
            ))
        })
    });
    // A restartable last stage to low orbit: the load search over the Vinci stage's
    // propellant (its dead-mass end given up within its budget, the full load flown first).
    let (ariane, _) = resolve_vehicle("ariane-62").expect("catalog vehicle");
    let kourou = sites.pad_for("kourou", ariane.family.as_deref()).expect("pad").site;
    let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 5.3, argument_of_perigee_deg: None };
    let probe = maximize_payload(&ariane, kourou, &low, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
    eprintln!(
        "ariane-62 to 200 km at 5.3°: {:.0} kg, {} flights, Vinci stage loaded with {:.0} kg",
        probe.payload_kg,
        probe.flights,
        probe.upper_stage_load_kg.unwrap_or(f64::NAN)
    );
    group.bench_function("payload ariane-62 kourou 200 km 5.3° (upper-stage load search)", |b| {
        b.iter(|| black_box(maximize_payload(&ariane, kourou, black_box(&low), Branch::Northbound, FlightOptions::default(), &mut |_| {})))
    });
    // The Delta III against ASSET's ~190 ms: the best of a few solves, one thread.
    let best_s = (0..5)
        .map(|_| {
            let start = std::time::Instant::now();
            black_box(delta3::solve_benchmark().expect("delta III"));
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    eprintln!(
        "delta III: {:.1} ms, {:.1}× faster than ASSET's ~{ASSET_DELTA3_MS:.0} ms (goal ≥ {DELTA3_GOAL_SPEEDUP:.0}×, ≤ {:.1} ms)",
        best_s * 1e3,
        ASSET_DELTA3_MS / (best_s * 1e3),
        ASSET_DELTA3_MS / DELTA3_GOAL_SPEEDUP
    );
    group.bench_function("delta III (Betts Ex. 6.15)", |b| b.iter(|| black_box(delta3::solve_benchmark().expect("delta III"))));
    group.finish();
}

criterion_group!(benches, payload);
criterion_main!(benches);
