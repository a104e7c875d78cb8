//! Event sequences of the catalog vehicles (OpenRocket `FlightEventsTest` style): the whole
//! staging order, and burnout times against the closed form of the vehicle file's own figures
//! (propellant over mass flow, with the throttle schedule), located to better than 1 ms.

use cosmodrome::environment::earth::MU_EARTH_M3_S2;
use cosmodrome::environment::elements::OrbitalElements;
use cosmodrome::flight::{EventKind, FlightOptions, FlightOutcome, FlightPoint, FlightResult};
use cosmodrome::vehicle::{StageKind, ThrottleUntil, Vehicle};

use crate::common::fly_default;

fn time(result: &FlightResult, kind: EventKind) -> f64 {
    result.event(&kind).unwrap_or_else(|| panic!("no {kind:?} event:\n{:#?}", names(result))).point.time_s
}

fn names(result: &FlightResult) -> Vec<String> {
    result.events.iter().map(|e| format!("{:.3} {}", e.point.time_s, e.description)).collect()
}

/// How a flight must end once nothing is left to burn after its last burnout at `p`: in orbit
/// exactly when the osculating perigee there clears `orbit_perigee_min_m` (the insertion test),
/// inserted at that burnout; otherwise on a coast that ends on the ground (impact: altitude 0,
/// before the time limit) or still above it at the time limit.
fn check_ending(id: &str, r: &FlightResult, p: &FlightPoint, options: &FlightOptions) {
    let perigee_m = OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2).perigee_altitude_m();
    let end = &r.final_point;
    let ending = r.ending();
    if perigee_m > options.orbit_perigee_min_m {
        assert_eq!(r.outcome, FlightOutcome::Orbit, "{id}: perigee {:.1} km at the last burnout: {ending:?}", perigee_m / 1e3);
        assert!((end.time_s - p.time_s).abs() < 1e-6, "{id}: inserted at {} s, last burnout at {} s", end.time_s, p.time_s);
        return;
    }
    match r.outcome {
        FlightOutcome::Impact => assert!(end.altitude_m.abs() < 1.0 && end.time_s < options.max_time_s, "{id}: {ending:?}"),
        FlightOutcome::TimeLimit => assert!(end.time_s == options.max_time_s && end.altitude_m > 0.0, "{id}: {ending:?}"),
        FlightOutcome::Orbit => panic!("{id}: in orbit with a perigee of {:.1} km at the last burnout", perigee_m / 1e3),
        FlightOutcome::BurnedOutShort => assert!(
            !options.follow_suborbital_fall && (end.time_s - p.time_s).abs() < 1e-6,
            "{id}: ended at {} s short of orbit, last burnout at {} s: {ending:?}",
            end.time_s,
            p.time_s
        ),
    }
}

fn index(vehicle: &Vehicle, kind: StageKind) -> usize {
    vehicle.stages.iter().position(|s| s.kind == kind).unwrap_or_else(|| panic!("{} has no {kind:?} stage", vehicle.name))
}

/// Boosters, then the core, then the upper stage, with the fairing gone in between.
fn check_parallel_sequence(id: &str, payload_kg: f64) -> (Vehicle, FlightResult) {
    let (v, r) = fly_default(id, payload_kg, "vostochny", None);
    let (b, c, u) = (index(&v, StageKind::Booster), index(&v, StageKind::Core), index(&v, StageKind::Upper));
    let liftoff = time(&r, EventKind::Liftoff);
    let max_q = time(&r, EventKind::MaxQ);
    let booster_burnout = time(&r, EventKind::Burnout { stage: b });
    let booster_sep = time(&r, EventKind::Separation { stage: b });
    let core_burnout = time(&r, EventKind::Burnout { stage: c });
    let core_sep = time(&r, EventKind::Separation { stage: c });
    let upper_ignition = time(&r, EventKind::Ignition { stage: u });
    let upper_burnout = time(&r, EventKind::Burnout { stage: u });
    let fairing = time(&r, EventKind::FairingJettison);
    assert_eq!(liftoff, 0.0);
    assert!(max_q > 20.0 && max_q < booster_burnout, "max-Q at {max_q} s\n{:#?}", names(&r));
    assert!(booster_burnout <= booster_sep && booster_sep < core_burnout, "{:#?}", names(&r));
    assert!(core_burnout <= core_sep && core_sep <= upper_ignition && upper_ignition < upper_burnout, "{:#?}", names(&r));
    assert!(fairing > max_q && fairing < upper_burnout, "fairing at {fairing} s\n{:#?}", names(&r));
    // Events are in time order.
    assert!(r.events.windows(2).all(|w| w[0].point.time_s <= w[1].point.time_s), "{:#?}", names(&r));
    // Separated stages are recorded with their state, in order.
    let jettisoned: Vec<Option<usize>> = r.jettisoned.iter().filter(|j| j.stage.is_some()).map(|j| j.stage).collect();
    assert_eq!(jettisoned, vec![Some(b), Some(c)]);
    (v, r)
}

/// Full-throttle burn time of a stage from the vehicle figures.
fn burn_s(v: &Vehicle, i: usize) -> f64 {
    v.stages[i].burn_time_full_throttle_s()
}

#[test]
fn angara_a5_boosters_then_core_then_urm2() {
    let (v, r) = check_parallel_sequence("angara-a5", 20_000.0);
    let (b, c, u) = (index(&v, StageKind::Booster), index(&v, StageKind::Core), index(&v, StageKind::Upper));
    // Boosters at full thrust from liftoff.
    let tb = burn_s(&v, b);
    assert!((time(&r, EventKind::Burnout { stage: b }) - tb).abs() < 1e-3);
    // The core runs full off the pad, throttles down, and runs full again once the boosters
    // separate: its burnout follows from the schedule of the vehicle file.
    let schedule = &v.stages[c].throttle;
    let (mut used_full_s, mut t_prev, mut level_low) = (0.0, 0.0, 1.0_f64);
    for seg in schedule {
        let end = match seg.until {
            ThrottleUntil::Time(t) => t,
            ThrottleUntil::Separation(i) => {
                assert_eq!(i, b, "the core's schedule ends at booster separation");
                tb
            }
        };
        used_full_s += seg.level * (end - t_prev);
        level_low = level_low.min(seg.level);
        t_prev = end;
    }
    assert!(level_low < 1.0, "the core throttles down while the boosters burn");
    let throttle_up = r.last(|k| matches!(k, EventKind::Throttle { stage, .. } if *stage == c)).expect("core throttle-up");
    assert!((throttle_up.point.time_s - tb).abs() < 1e-3);
    let tc = tb + (burn_s(&v, c) - used_full_s);
    assert!(
        (time(&r, EventKind::Burnout { stage: c }) - tc).abs() < 1e-3,
        "core burnout {} vs {tc}",
        time(&r, EventKind::Burnout { stage: c })
    );
    let tu = tc + v.stages[u].ignition_delay_s + burn_s(&v, u);
    assert!(
        (time(&r, EventKind::Burnout { stage: u }) - tu).abs() < 1e-3,
        "URM-2 burnout {} vs {tu}",
        time(&r, EventKind::Burnout { stage: u })
    );
    // The fairing goes above the sensible atmosphere.
    let fairing = r.event(&EventKind::FairingJettison).unwrap();
    assert!(fairing.point.altitude_m > 80e3, "fairing at {} km", fairing.point.altitude_m / 1e3);
}

#[test]
fn soyuz_2_1b_boosters_then_block_a_then_block_i() {
    let (v, r) = check_parallel_sequence("soyuz-2.1b", 7_000.0);
    let (b, c, u) = (index(&v, StageKind::Booster), index(&v, StageKind::Core), index(&v, StageKind::Upper));
    let tb = burn_s(&v, b);
    assert!((time(&r, EventKind::Burnout { stage: b }) - tb).abs() < 1e-3);
    // The published booster cutoff is 118.2 s and the core's 286 s: the file's usable propellant
    // and mass flow must land near them (the cross-check of the catalog data).
    assert!((tb - 118.2).abs() < 3.0, "booster burn {tb} s");
    let tc = burn_s(&v, c);
    assert!((time(&r, EventKind::Burnout { stage: c }) - tc).abs() < 1e-3);
    assert!((tc - 286.0).abs() < 8.0, "core burn {tc} s");
    let tu = tc + v.stages[u].ignition_delay_s + burn_s(&v, u);
    assert!((time(&r, EventKind::Burnout { stage: u }) - tu).abs() < 1e-3);
    // Real Soyuz fairings go between 157 and 228 s (mission dependent; Luna-25: 211.95 s).
    let fairing = time(&r, EventKind::FairingJettison);
    assert!((140.0..=260.0).contains(&fairing), "fairing at {fairing} s");
}

#[test]
fn every_catalog_vehicle_flies_without_error() {
    use cosmodrome::flight::{fly, FlightOptions, FlightSetup};
    use cosmodrome::guidance::{tune_pitch_kick, AscentParameters, AscentProgram};

    // The open-loop ascent does not target an orbit; what must hold for every catalog vehicle is
    // that it flies its whole staging sequence and the last stage burns out fast. The default
    // program (12° flight-path angle at staging) suits upper stages with a thrust-to-weight above
    // one; those below one (Falcon 9 second stage, Long March 3B/E third stage) fall back before
    // burnout unless the staging is steeper. So each vehicle flies at the first staging angle, in
    // the order the payload optimizer's built-in guesses try them, at which its last stage burns
    // out: the same generic list for every vehicle.
    const STAGING_FPA_DEG: [f64; 4] = [12.0, 20.0, 28.0, 36.0];
    for (id, payload) in [
        ("angara-1.2", 2_000.0),
        ("angara-a5", 15_000.0),
        ("electron", 50.0),
        ("falcon-9-block-5", 10_000.0),
        ("long-march-3b-e", 5_000.0),
        ("soyuz-2.1a", 5_000.0),
        ("soyuz-2.1b", 5_000.0),
        ("soyuz-2.1v", 1_500.0),
        ("zenit-2", 7_000.0),
    ] {
        let v = crate::common::vehicle(id);
        let launch = crate::common::launch("vostochny", None);
        let setup = FlightSetup { vehicle: &v, payload_kg: payload, launch, options: FlightOptions::default() };
        let last = v.stages.len() - 1;
        let flights = STAGING_FPA_DEG.iter().map(|&fpa| {
            let parameters = tune_pitch_kick(&setup, AscentParameters::default(), fpa).unwrap_or_else(|e| panic!("{id}: {e}"));
            let r = fly(&setup, &mut AscentProgram::new(parameters, &v, &launch)).unwrap_or_else(|e| panic!("{id}: {e}"));
            (fpa, parameters, r)
        });
        let mut tried = Vec::new();
        let (fpa, parameters, r, burnout) = flights
            .filter_map(|(fpa, parameters, r)| {
                let burnout = r.event(&EventKind::Burnout { stage: last }).map(|e| e.point);
                tried.push((fpa, burnout.as_ref().map(|p| p.speed_m_s)));
                burnout.filter(|p| p.speed_m_s > 5_000.0).map(|p| (fpa, parameters, r, p))
            })
            .next()
            .unwrap_or_else(|| panic!("{id}: the last stage never burns out fast (staging angle, burnout speed): {tried:?}"));
        assert!(burnout.speed_m_s > 5_000.0, "{id}: speed at the last burnout {}", burnout.speed_m_s);
        check_ending(id, &r, &burnout, &FlightOptions::default());
        // The searches' flights stop at that burnout when it is short of orbit, the same flight
        // up to there.
        let searching = FlightOptions { follow_suborbital_fall: false, ..FlightOptions::default() };
        let short = fly(&FlightSetup { options: searching, ..setup }, &mut AscentProgram::new(parameters, &v, &launch))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let short_burnout = short.event(&EventKind::Burnout { stage: last }).map(|e| e.point).expect("the same last burnout");
        assert_eq!(short_burnout.position_eci_m, burnout.position_eci_m, "{id}");
        check_ending(id, &short, &burnout, &searching);
        // Every stage ignites, in file order.
        for i in 0..v.stages.len() {
            assert!(r.event(&EventKind::Ignition { stage: i }).is_some(), "{id} at {fpa}°: stage {i} never ignites\n{:#?}", names(&r));
        }
        // The default suffices for every vehicle whose upper stages lift their own weight.
        if ["angara-1.2", "angara-a5", "soyuz-2.1a", "soyuz-2.1b", "soyuz-2.1v"].contains(&id) {
            assert_eq!(fpa, 12.0, "{id}: the default open-loop ascent no longer flies");
        }
    }
}

#[test]
fn guidance_cutoff_stops_the_engines_at_the_target_energy_and_keeps_the_propellant() {
    use cosmodrome::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
    use cosmodrome::environment::elements::specific_energy;
    use cosmodrome::flight::{fly, FlightOptions, FlightSetup};
    use cosmodrome::guidance::{AscentParameters, AscentProgram, DoglegTurn, ExoSteering, SteeringStart, UpperSteering};

    let v = crate::common::vehicle("soyuz-2.1b");
    let launch = crate::common::launch("vostochny", None);
    // A low target energy (a 200 km circular orbit) with a light payload: the Block I must
    // stop long before its propellant runs out.
    let target_energy = -MU_EARTH_M3_S2 / (2.0 * (WGS84_A_M + 200e3));
    let steering = ExoSteering {
        pitch_deg: 25.0,
        tan_pitch_rate_per_s: -1e-3,
        yaw_deg: 0.0,
        cutoff_energy_j_kg: target_energy,
        dogleg_deg: 0.0,
        dogleg_turn: DoglegTurn::OutOfTheAir,
        energy_weave_deg: 0.0,
        takes_over: SteeringStart::FirstSeparation,
    };
    let parameters = AscentParameters { pitch_kick_deg: 5.0, steering: UpperSteering::Targeted(steering), ..AscentParameters::default() };
    let setup = FlightSetup { vehicle: &v, payload_kg: 2_000.0, launch, options: FlightOptions::default() };
    let r = fly(&setup, &mut AscentProgram::new(parameters, &v, &launch)).expect("flight");
    let upper = index(&v, StageKind::Upper);
    let cutoff = r.event(&EventKind::Cutoff { stage: upper }).unwrap_or_else(|| panic!("no cutoff\n{:#?}", names(&r)));
    assert!(r.event(&EventKind::Burnout { stage: upper }).is_none(), "the upper stage must not burn out");
    let p = &cutoff.point;
    let energy = specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
    // Located on the dense output to 1 ns: the energy overshoot is below a J/kg.
    assert!((energy - target_energy).abs() < 1.0, "energy at cutoff {energy} vs {target_energy}");
    // The propellant not burned stays aboard: mass after cutoff = payload + Block I dry and
    // residual + what is left (the fairing is gone by then).
    let s = &v.stages[upper];
    assert!(r.remaining_propellant_kg > 1_000.0, "left {} kg", r.remaining_propellant_kg);
    let expected_mass = 2_000.0 + s.burnout_mass_kg() + r.remaining_propellant_kg;
    assert!((r.final_point.mass_kg - expected_mass).abs() < 1e-6, "mass {} vs {expected_mass}", r.final_point.mass_kg);
    assert!((p.mass_kg - expected_mass).abs() < 1e-6, "the cutoff event's mass {} keeps the propellant left", p.mass_kg);
    assert!(r.final_point.thrust_n == 0.0);
}

/// The first-run reproducer: 7 t on Soyuz-2.1b from Vostochny toward 97.5° with the open-loop
/// program tops out near 255 km and falls back, peaking at ~700 kPa on the way down. Max-Q is
/// the ascent's (the peak of the samples up to the ascent's end), the fall's peak is reported
/// apart (the peak of the samples after it).
#[test]
fn max_q_of_a_flight_that_falls_back_is_the_ascents() {
    use cosmodrome::flight::{AscentEnd, FlightOptions, FlightSetup};
    use cosmodrome::guidance::fly_default_ascent;

    let v = crate::common::vehicle("soyuz-2.1b");
    let launch = crate::common::launch("vostochny", Some(97.5));
    let setup = FlightSetup {
        vehicle: &v,
        payload_kg: 7_000.0,
        launch,
        options: FlightOptions { sample_interval_s: Some(0.25), ..FlightOptions::default() },
    };
    let r = fly_default_ascent(&setup).expect("flight");
    assert_eq!(r.outcome, FlightOutcome::Impact, "{:#?}", names(&r));
    let reentry_pa = r.reentry_max_dynamic_pressure_pa.expect("a fall-back peak");
    let end_s = match r.ascent_end() {
        AscentEnd::Apogee { time_s, .. } | AscentEnd::EndOfPowered { time_s, falls_back: true } => time_s,
        e => panic!("{e:?}"),
    };
    let peak = |ascent: bool| {
        r.samples.iter().filter(|s| (s.point.time_s <= end_s) == ascent).map(|s| s.point.dynamic_pressure_pa).fold(0.0, f64::max)
    };
    let (ascent_samples_pa, fall_samples_pa) = (peak(true), peak(false));
    let q = r.max_dynamic_pressure_pa;
    assert!(q >= ascent_samples_pa && q < 1.01 * ascent_samples_pa, "max q {q} Pa vs the ascent's samples' {ascent_samples_pa} Pa");
    assert!(reentry_pa >= fall_samples_pa && reentry_pa < 1.01 * fall_samples_pa, "fall {reentry_pa} Pa vs {fall_samples_pa} Pa");
    assert!(reentry_pa > 5.0 * q, "the fall's peak {reentry_pa} Pa is the larger here: max q {q} Pa");
    let max_q = time(&r, EventKind::MaxQ);
    let fall = time(&r, EventKind::ReentryMaxQ);
    assert!(
        max_q < r.first(|k| matches!(k, EventKind::Separation { .. })).expect("a separation").point.time_s && fall > end_s,
        "max q at {max_q} s, fall's peak at {fall} s"
    );
    assert!((r.event(&EventKind::MaxQ).unwrap().point.dynamic_pressure_pa - q).abs() < 1e-6 * q);
}

/// A detector defined outside the flight module: the crossing of 100 km on the way up.
struct HundredKilometres;

impl<G: cosmodrome::flight::Guidance> cosmodrome::flight::EventDetector<G> for HundredKilometres {
    fn g(&self, s: &cosmodrome::flight::EventState<'_, G>) -> f64 {
        s.input().altitude_m - 100e3
    }
    fn direction(&self) -> cosmodrome::flight::Direction {
        cosmodrome::flight::Direction::Increasing
    }
    fn action(&self, _: &cosmodrome::flight::EventState<'_, G>) -> cosmodrome::flight::Action {
        cosmodrome::flight::Action::Record(EventKind::Custom { name: "100 km" })
    }
}

/// Adding an event type is one detector handed to the flight, with no change to the loop: the
/// caller's 100 km marker is recorded once, on the way up, located on the dense output to well
/// under a metre of altitude, in time order with the rest, and observing it changes nothing else
/// in the flight.
#[test]
fn a_callers_detector_records_the_100_km_crossing_without_changing_the_flight() {
    use cosmodrome::flight::{fly, fly_with, FlightOptions, FlightSetup};
    use cosmodrome::guidance::{tune_pitch_kick, AscentParameters, AscentProgram};

    let v = crate::common::vehicle("soyuz-2.1b");
    let launch = crate::common::launch("vostochny", None);
    let setup = FlightSetup { vehicle: &v, payload_kg: 7_000.0, launch, options: FlightOptions::default() };
    let parameters = tune_pitch_kick(&setup, AscentParameters::default(), 12.0).expect("kick");
    let plain = fly(&setup, &mut AscentProgram::new(parameters, &v, &launch)).expect("flight");
    let marked = fly_with(&setup, &mut AscentProgram::new(parameters, &v, &launch), &[&HundredKilometres]).expect("flight");

    let marker = EventKind::Custom { name: "100 km" };
    let hits: Vec<_> = marked.events.iter().filter(|e| e.kind == marker).collect();
    assert_eq!(hits.len(), 1, "{:#?}", names(&marked));
    let at = hits[0].point;
    assert!((at.altitude_m - 100e3).abs() < 0.1, "marker at {} m", at.altitude_m);
    assert!(at.flight_path_angle_deg > 0.0, "on the way up");
    assert_eq!(hits[0].description, "100 km");
    assert!(marked.events.windows(2).all(|w| w[0].point.time_s <= w[1].point.time_s), "{:#?}", names(&marked));
    // Between the events before and after it in the plain flight.
    let before = plain.events.iter().rfind(|e| e.point.time_s < at.time_s).expect("an earlier event");
    assert!(before.point.altitude_m < 100e3, "{before:?}");
    let rest: Vec<_> = marked.events.iter().filter(|e| e.kind != marker).cloned().collect();
    assert_eq!(rest, plain.events, "the marker changes no other event");
    assert_eq!(marked.final_point, plain.final_point);
}

/// Two stages that burn out at the same instant (Angara-A5's core without its throttle-down
/// burns exactly as long as the boosters): both burn out then, each located to 1 ms of its
/// closed form, and no stage burns on past its propellant.
#[test]
fn simultaneous_burnouts_are_both_handled_at_their_instant() {
    use cosmodrome::flight::{fly, FlightOptions, FlightSetup};
    use cosmodrome::guidance::{AscentParameters, AscentProgram};

    let text = cosmodrome::vehicle::catalog_vehicle("angara-a5").expect("catalog");
    let text: String = text.lines().filter(|l| !l.starts_with("throttle = [")).map(|l| format!("{l}\n")).collect();
    let (v, _) = Vehicle::from_toml(&text, "angara-a5-full-throttle.toml").expect("valid");
    let (b, c) = (index(&v, StageKind::Booster), index(&v, StageKind::Core));
    let tb = burn_s(&v, b);
    assert!((tb - burn_s(&v, c)).abs() < 1e-9, "the same module burns as long");
    let launch = crate::common::launch("vostochny", None);
    let setup = FlightSetup { vehicle: &v, payload_kg: 20_000.0, launch, options: FlightOptions::default() };
    let parameters = AscentParameters { pitch_kick_deg: 1.0, ..AscentParameters::default() };
    let r = fly(&setup, &mut AscentProgram::new(parameters, &v, &launch)).expect("flight");
    for stage in [b, c] {
        let t = time(&r, EventKind::Burnout { stage });
        assert!((t - tb).abs() < 1e-3, "burnout of stage {stage} at {t} s, expected {tb} s\n{:#?}", names(&r));
        assert!((time(&r, EventKind::Separation { stage }) - t).abs() < 1e-9);
    }
    let upper = index(&v, StageKind::Upper);
    assert!((time(&r, EventKind::Ignition { stage: upper }) - tb - v.stages[upper].ignition_delay_s).abs() < 1e-3);
}
