//! OEM epochs: the text of a fixed flight record from a fixed launch epoch, byte for byte as the
//! writer gave it before epochs were computed with hifitime (`tests/reference/oem-epochs.oem`),
//! and the epochs across a leap second (TIME_SYSTEM = UTC: the labels run through 23:59:60).
//!
//! The record is synthetic on purpose: a flown trajectory changes in its last digits whenever the
//! physics does, and this test is about epochs. It keeps one flown result for its shape and
//! replaces every state with a closed-form one at flight times chosen to probe the rounding to the
//! microsecond (thirds, half-microseconds, a minute, an hour and a day rolling over, 28 February
//! into 1 March).

use cosmodrome::flight::{FlightPoint, FlightResult};
use cosmodrome_io::oem::{oem_kvn, OemOptions};
use cosmodrome_io::utc;

use crate::common::fly_default;

/// Flight times of the samples, s.
const SAMPLE_TIMES_S: [f64; 14] = [
    0.0,
    1e-7,
    0.25,
    1.0 / 3.0,
    2.0 / 3.0,
    10.000_000_5,
    39.999_999_499_9,
    60.0 - 0.5e-6,
    99.999_999,
    99.999_999_5,
    100.000_000_499_9,
    1_234.567_890_5,
    3_599.999_999_4,
    86_399.999_999_6,
];

/// Flight times and names of the events (comments of the OEM).
const EVENTS: [(f64, &str); 3] = [(0.0, "liftoff"), (99.999_999_5, "separation of the probe"), (1_234.567_890_5, "engine cutoff")];

/// Closed-form state at `t`: a point moving along a parabola in the inertial frame.
fn probe_point(template: &FlightPoint, t: f64) -> FlightPoint {
    let mut p = *template;
    p.time_s = t;
    p.position_eci_m = [6_378_137.0 + 7.5 * t, 3.25 * t * t / 100.0, -0.125 * t].into();
    p.velocity_eci_m_s = [7.5, 0.065 * t, -0.125].into();
    p
}

/// A flown result whose samples (at `sample_times_s`), events and final state are replaced by
/// [`probe_point`]s.
fn probe_flight(sample_times_s: &[f64]) -> FlightResult {
    let (_, mut result) = fly_default("angara-a5", 20_000.0, "vostochny", Some(50.0));
    let template = result.final_point;
    let sample = result.samples[0].clone();
    result.samples = sample_times_s
        .iter()
        .map(|&t| {
            let mut s = sample.clone();
            s.point = probe_point(&template, t);
            s
        })
        .collect();
    // Every event is a copy of the liftoff (its kind is listed in the comments; throttle changes
    // are not), with the probe's time, state and name.
    let liftoff = result.events[0].clone();
    result.events = EVENTS
        .iter()
        .map(|&(t, name)| {
            let mut e = liftoff.clone();
            e.point = probe_point(&template, t);
            e.description = name.to_owned();
            e
        })
        .collect();
    result.final_point = probe_point(&template, 90_061.000_001);
    result
}

fn options(launch_utc: &str) -> OemOptions {
    OemOptions {
        launch_epoch: utc::parse(launch_utc).unwrap(),
        creation_date: utc::parse("2026-01-02T03:04:05Z").unwrap(),
        object_name: "Probe".to_owned(),
        object_id: "SIM-PROBE".to_owned(),
        originator: "COSMODROME".to_owned(),
    }
}

#[test]
fn oem_text_is_the_reference_byte_for_byte() {
    let text = String::from_utf8(oem_kvn(&probe_flight(&SAMPLE_TIMES_S), &options("2026-02-28T23:58:20.000001Z")).unwrap()).unwrap();
    let reference = include_str!("reference/oem-epochs.oem");
    assert_eq!(text, reference);
    // The reference itself crosses midnight into 1 March, a minute, an hour and a day.
    assert!(reference.contains("\n2026-03-01T00:00:00.000001 ") && reference.contains("\n2026-03-01T23:58:20.000001 "), "{reference}");
}

/// Launched 30 s before the leap second that ended 2016, the states keep their elapsed flight
/// times: t = 30 s is 23:59:60, t = 31 s midnight, and every later epoch is one second earlier
/// on the clock than calendar arithmetic would say. The epochs stay strictly increasing.
#[test]
fn oem_epochs_run_through_a_leap_second_in_utc() {
    let times = [0.0, 29.5, 30.0, 30.5, 31.0, 40.0, 100.0];
    let text = String::from_utf8(oem_kvn(&probe_flight(&times), &options("2016-12-31T23:59:30Z")).unwrap()).unwrap();
    let epochs: Vec<&str> = text.lines().filter(|l| l.starts_with("201")).map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        epochs,
        [
            "2016-12-31T23:59:30.000000",
            "2016-12-31T23:59:59.500000",
            "2016-12-31T23:59:60.000000",
            "2016-12-31T23:59:60.500000",
            "2017-01-01T00:00:00.000000",
            "2017-01-01T00:00:09.000000",
            "2017-01-01T00:01:09.000000",
            "2017-01-01T00:20:03.567891",
            "2017-01-02T01:00:30.000001",
        ]
    );
    assert!(epochs.windows(2).all(|w| w[0] < w[1]), "epochs increase strictly");
    assert!(
        text.contains("\nTIME_SYSTEM = UTC\n") && text.contains("\nCOMMENT 2017-01-01T00:01:09.000000 separation of the probe\n"),
        "{text}"
    );
}
