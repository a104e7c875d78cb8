//! Speed bar: one full ascent to orbit of a Soyuz-2.1b class vehicle on one core
//! (≤ 1 ms, goal 0.1 ms). The flight records events only, as a payload search would.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use cosmodrome::flight::{fly, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG;
use cosmodrome::guidance::{launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use criterion::{criterion_group, criterion_main, Criterion};

fn ascent(c: &mut Criterion) {
    let (vehicle, _) = resolve_vehicle("soyuz-2.1b").expect("catalog vehicle");
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let az = launch_azimuth(site.latitude_deg, site.default_inclination_deg(), 200e3, Branch::Northbound).expect("azimuth");
    let launch = Launch::from_site(site, az.azimuth_deg);
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: 7_000.0, launch, options: FlightOptions::default() };
    // The default ascent of `cosmodrome fly` (kick tuned once, outside the timed loop).
    let parameters = tune_pitch_kick(&setup, AscentParameters::default(), DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG).expect("kick");
    let probe = fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &launch)).expect("flight");
    eprintln!(
        "soyuz-2.1b ascent: outcome {:?}, {} steps, final altitude {:.1} km",
        probe.outcome,
        probe.steps,
        probe.final_point.altitude_m / 1e3
    );

    c.bench_function("ascent soyuz-2.1b vostochny (events only)", |b| {
        b.iter(|| {
            let mut guidance = AscentProgram::new(parameters, &vehicle, &launch);
            black_box(fly(black_box(&setup), &mut guidance).expect("flight"))
        })
    });
    let sampled = FlightSetup { options: FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() }, ..setup };
    c.bench_function("ascent soyuz-2.1b vostochny (1 s samples)", |b| {
        b.iter(|| {
            let mut guidance = AscentProgram::new(parameters, &vehicle, &launch);
            black_box(fly(black_box(&sampled), &mut guidance).expect("flight"))
        })
    });
}

criterion_group!(benches, ascent);
criterion_main!(benches);
