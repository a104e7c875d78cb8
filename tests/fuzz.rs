//! Fuzzing the vehicle files: every catalog vehicle (read through the catalog API, so a new
//! vehicle is fuzzed as soon as it is added) mutated by a seeded generator — numbers scaled by
//! huge, tiny, negative and non-finite factors, keys deleted, duplicated and misspelt, strings
//! replaced by long ones, tables duplicated and truncated, throttle schedules and drag tables
//! lengthened. For every case: no panic, under 2 s, an error that names the file and the key or
//! line, or a vehicle that flies the default ascent of `cosmodrome fly` with a small payload and
//! whose outputs, as the writers write them, hold no NaN or infinity; and the process stays
//! under 500 MB.
//!
//! `COSMODROME_FUZZ_CASES` sets the number of cases (2,000 by default) and
//! `COSMODROME_FUZZ_SEED` the seed, to replay or widen a run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cosmodrome::flight::{fly, EventKind, FlightOptions, FlightResult, FlightSetup};
use cosmodrome::guidance::{fly_default_ascent, AscentParameters, AscentProgram};
use cosmodrome::vehicle::{catalog_ids, catalog_vehicle, Vehicle};
use cosmodrome::Error;
use cosmodrome_io::report::{events_json_bytes, RunInfo};
use cosmodrome_io::trajectory_csv::trajectory_csv;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::common::launch;

/// Cases of a default run (CI).
const DEFAULT_CASES: usize = 2000;
/// Seed of a default run.
const DEFAULT_SEED: u64 = 20_261_129;
/// Longest a case may take, wall clock.
const CASE_LIMIT: Duration = Duration::from_secs(2);
/// A case still running after this long is taken as hung: the test stops there.
const HUNG_AFTER: Duration = Duration::from_secs(20);
/// Most resident memory the process may reach, bytes.
const MEMORY_LIMIT_BYTES: u64 = 500 << 20;
/// Payload of every flight, kg: small against any catalog vehicle.
const PAYLOAD_KG: f64 = 500.0;
/// One case in this many flies the tuned default ascent (the kick search, 26 flights); the
/// others fly the same program with a drawn kick (one flight), which keeps a default run within
/// about a minute in a debug build.
const TUNED_EVERY: usize = 8;

/// Factors a number is scaled by; the non-finite ones replace it.
const FACTORS: [f64; 14] = [1e300, 1e-300, 1e9, 1e-9, 1e3, 1e-3, 10.0, 0.1, 2.0, 0.5, -1.0, 0.0, -1e-9, 1.0000001];
/// The extremes every number of every catalog file is swept through, one at a time, before the
/// random cases: a value refused or flown cleanly whichever number it lands on.
const SWEEP: [&str; 6] = ["*1e9", "*1e-9", "*1e300", "*1e-300", "*-1", "nan"];
/// Literals that replace a number outright.
const LITERALS: [&str; 8] = ["nan", "inf", "-inf", "-nan", "0", "-0.0", "1e400", "\"12\""];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Byte ranges of the number literals of a TOML text (outside strings and comments).
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_string, mut in_comment) = (0, false, false);
    while i < b.len() {
        let c = b[i];
        if in_comment {
            in_comment = c != b'\n';
        } else if in_string {
            in_string = c != b'"';
        } else if c == b'#' {
            in_comment = true;
        } else if c == b'"' {
            in_string = true;
        } else if (c.is_ascii_digit() || ((c == b'-' || c == b'+') && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            && (i == 0 || matches!(b[i - 1], b' ' | b'=' | b'[' | b',' | b'{' | b'\n' | b'\t'))
        {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b'e' | b'E' | b'+' | b'-' | b'_')) {
                i += 1;
            }
            out.push(start..i);
            continue;
        }
        i += 1;
    }
    out
}

/// Byte ranges of the contents of the string values (between the quotes).
fn strings(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_comment) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\n' => in_comment = false,
            b'#' => in_comment = true,
            b'"' if !in_comment => {
                let start = i + 1;
                let end = text[start..].find('"').map_or(b.len(), |n| start + n);
                out.push(start..end);
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Byte ranges of the keys (an identifier followed by `=`), top-level or inline.
fn keys(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (start, _) in text.match_indices('=') {
        let before = &text[..start];
        let trimmed = before.trim_end();
        let key_start = trimmed.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        if key_start < trimmed.len() && !before[..key_start].ends_with('"') {
            out.push(key_start..trimmed.len());
        }
    }
    out
}

/// Line ranges (start, end with the newline) of the tables: a header and its lines.
fn tables(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("[[")
            || (t.starts_with('[') && t.trim_end().ends_with(']') && t[1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.iter().enumerate().map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(text.len())).collect()
}

/// The line around a byte offset, with its newline.
fn line_around(text: &str, at: usize) -> std::ops::Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let end = text[at..].find('\n').map_or(text.len(), |p| at + p + 1);
    start..end
}

fn pick<T: Clone>(rng: &mut ChaCha8Rng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.random_range(0..items.len())].clone())
}

/// A throttle schedule of `n` segments, every 0.05 s from liftoff (full throttle, so no engine's
/// minimum refuses it).
fn long_throttle(n: usize) -> String {
    let segments: Vec<String> = (1..=n).map(|i| format!("{{ level = 1.0, until_s = {:.2} }}", 0.05 * i as f64)).collect();
    format!("throttle = [{}]\n", segments.join(", "))
}

/// An `[aero]` table of `n` drag points from Mach 0 to 20.
fn long_cd_mach(n: usize) -> String {
    let points: Vec<String> =
        (0..n).map(|i| format!("[{:.6}, {:.4}]", 20.0 * i as f64 / n as f64, 0.3 + 0.25 * (i as f64 * 0.37).sin().abs())).collect();
    format!("\n[aero]\ncd_mach = [\n{}\n]\n", points.join(",\n"))
}

/// Replace the `n`th number by a literal, or scale it (`*FACTOR`); what it did.
fn set_number(text: &mut String, n: usize, how: &str) -> String {
    let r = numbers(text)[n].clone();
    let old = text[r.clone()].to_owned();
    let new = match how.strip_prefix('*') {
        Some(factor) => {
            let x: f64 = old.replace('_', "").parse().unwrap_or(1.0);
            format!("{:?}", x * factor.parse::<f64>().unwrap_or(1.0))
        }
        None => how.to_owned(),
    };
    let line = text[..r.start].matches('\n').count() + 1;
    text.replace_range(r, &new);
    format!("line {line}: number {old} -> {new}")
}

/// One mutation of the text; what it did, for the failure message.
fn mutate(rng: &mut ChaCha8Rng, text: &mut String) -> String {
    match rng.random_range(0..10) {
        0 | 1 => {
            let Some(r) = pick(rng, &numbers(text)) else { return "no number".into() };
            let old = text[r.clone()].to_owned();
            let new = if rng.random_range(0..4) == 0 {
                pick(rng, &LITERALS).unwrap_or("nan").to_owned()
            } else {
                let x: f64 = old.replace('_', "").parse().unwrap_or(1.0);
                let factor = pick(rng, &FACTORS).unwrap_or(1.0);
                format!("{:?}", x * factor)
            };
            text.replace_range(r, &new);
            format!("number {old} -> {new}")
        }
        2 => {
            let Some(r) = pick(rng, &keys(text)) else { return "no key".into() };
            let line = line_around(text, r.start);
            let removed = text[line.clone()].trim().to_owned();
            text.replace_range(line, "");
            format!("deleted line `{removed}`")
        }
        3 => {
            let Some(r) = pick(rng, &keys(text)) else { return "no key".into() };
            let line = line_around(text, r.start);
            let copy = text[line.clone()].to_owned();
            text.insert_str(line.start, &copy);
            format!("duplicated line `{}`", copy.trim())
        }
        4 => {
            let Some(r) = pick(rng, &keys(text)) else { return "no key".into() };
            let old = text[r.clone()].to_owned();
            let mut chars: Vec<char> = old.chars().collect();
            let i = rng.random_range(0..chars.len());
            match rng.random_range(0..3) {
                0 if chars.len() > 1 => {
                    chars.remove(i);
                }
                1 => chars.insert(i, 'x'),
                _ => {
                    let n = chars.len();
                    chars.swap(i, (i + 1) % n);
                }
            }
            let new: String = chars.into_iter().collect();
            text.replace_range(r, &new);
            format!("key {old} -> {new}")
        }
        5 => {
            let Some(r) = pick(rng, &strings(text)) else { return "no string".into() };
            let n = pick(rng, &[100, 5_000, 100_000, 2_000_000]).unwrap_or(100);
            text.replace_range(r, &"Ж".repeat(n / 2));
            format!("string of {n} bytes")
        }
        6 => {
            let Some(r) = pick(rng, &tables(text)) else { return "no table".into() };
            let copy = text[r.clone()].to_owned();
            text.insert_str(r.end, &copy);
            format!("duplicated table `{}`", copy.lines().next().unwrap_or_default())
        }
        7 => {
            let Some(r) = pick(rng, &tables(text)) else { return "no table".into() };
            let lines: Vec<&str> = text[r.clone()].split_inclusive('\n').collect();
            let keep = rng.random_range(0..lines.len());
            let kept: String = lines[..keep].concat();
            let header = lines.first().map_or(String::new(), |l| l.trim().to_owned());
            text.replace_range(r, &kept);
            format!("truncated table `{header}` to {keep} lines")
        }
        8 => {
            // Lengthen a throttle schedule: replace a stage's, or give one to a stage.
            let n = pick(rng, &[10, 300, 1000, 1001, 2000]).unwrap_or(10);
            let schedule = long_throttle(n);
            if let Some(start) = text.find("throttle = [") {
                let end = text[start..].find('\n').map_or(text.len(), |p| start + p + 1);
                text.replace_range(start..end, &schedule);
            } else if let Some(at) = text.find("\nengine = ") {
                text.insert_str(at + 1, &schedule);
            }
            format!("throttle schedule of {n} segments")
        }
        _ => {
            let n = pick(rng, &[10, 1000, 1001, 5000]).unwrap_or(10);
            if text.contains("[aero]") {
                text.push_str(&long_cd_mach(n).replace("\n[aero]\n", "\n"));
            } else {
                text.push_str(&long_cd_mach(n));
            }
            format!("cd_mach table of {n} points")
        }
    }
}

/// The path of a null in events.json other than the optional fields that may be null (an event
/// without a stage, a launch by azimuth, the apogee of an escape, the peak dynamic pressure of a
/// fall back that did not happen, the Δv and propellant of a burn shared with other stages).
fn null_number(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::Null
            if !["stage", "target_inclination_deg", "apogee_km", "reentry_max_q_kpa"].iter().any(|k| path.ends_with(k))
                && !(path.starts_with(".timeline.burns[") && (path.ends_with(".delta_v_m_s") || path.ends_with(".propellant_kg"))) =>
        {
            Some(path.to_owned())
        }
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| null_number(v, &format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| null_number(v, &format!("{path}.{k}"))),
        _ => None,
    }
}

/// Every number of a flight's outputs as the writers write them, and of its summary, is finite.
fn check_outputs(vehicle: &Vehicle, file: &str, result: &FlightResult) -> Result<(), String> {
    let run = RunInfo {
        vehicle,
        vehicle_id: file,
        site_id: "vostochny",
        launch: launch("vostochny", None),
        inclination_deg: None,
        payload_kg: PAYLOAD_KG,
        upper_stage_load_kg: None,
        energy_weave_deg: None,
    };
    let events = events_json_bytes(&run, result).map_err(|e| format!("events.json refused: {e}"))?;
    let csv = trajectory_csv(result).map_err(|e| format!("trajectory.csv refused: {e}"))?;
    // JSON has no NaN or infinity: serde_json writes them as null, so a null where a number
    // belongs is one.
    let json: serde_json::Value = serde_json::from_slice(&events).map_err(|e| format!("events.json unreadable: {e}"))?;
    if let Some(path) = null_number(&json, "") {
        return Err(format!("events.json has null at {path}"));
    }
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    for record in reader.records() {
        let record = record.map_err(|e| format!("trajectory.csv unreadable: {e}"))?;
        if let Some(field) = record.iter().find(|f| f.parse::<f64>().is_ok_and(|x| !x.is_finite())) {
            return Err(format!("trajectory.csv holds {field}"));
        }
    }
    let p = &result.final_point;
    let summary = [
        result.max_dynamic_pressure_pa,
        result.max_axial_accel_g,
        result.remaining_propellant_kg,
        p.time_s,
        p.altitude_m,
        p.speed_m_s,
        p.mass_kg,
        result.final_orbit.perigee_altitude_m(),
        result.final_orbit.inclination_rad,
        result.final_orbit.eccentricity,
    ];
    if summary.iter().any(|x| !x.is_finite()) {
        return Err(format!("non-finite summary {summary:?}"));
    }
    Ok(())
}

/// How an accepted case flies.
#[derive(Debug, Clone, Copy)]
enum Ascent {
    /// `cosmodrome fly` without `--pitch-kick-deg`: the kick search (25 flights), then the ascent.
    Tuned,
    /// `cosmodrome fly --pitch-kick-deg KICK`: the same program with a given kick, one flight.
    Kick(f64),
}

/// One case: validate, and fly what validates; whether it flew.
fn run_case(text: &str, file: &str, ascent: Ascent) -> Result<bool, String> {
    let vehicle = match Vehicle::from_toml(text, file) {
        Ok((vehicle, _warnings)) => vehicle,
        Err(e) => {
            let shown = e.to_string();
            if e.location.file != file || !shown.starts_with(file) {
                return Err(format!("the error does not name the file: {shown}"));
            }
            if e.location.key.is_empty() && e.location.line.is_none() {
                return Err(format!("the error names neither key nor line: {shown}"));
            }
            if shown.len() > 1000 {
                return Err(format!("a {} byte message: {}…", shown.len(), shown.chars().take(300).collect::<String>()));
            }
            return Ok(false);
        }
    };
    let options = FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() };
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: PAYLOAD_KG, launch: launch("vostochny", None), options };
    let flown = match ascent {
        Ascent::Tuned => fly_default_ascent(&setup),
        Ascent::Kick(kick_deg) => {
            let parameters = AscentParameters { pitch_kick_deg: kick_deg, ..AscentParameters::default() };
            fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &setup.launch))
        }
    };
    match flown {
        Ok(result) => check_outputs(&vehicle, file, &result).map(|()| true),
        // Too heavy to leave the pad is an answer about the vehicle as a whole, not a file error.
        Err(Error::NoLiftoff { .. }) => Ok(true),
        Err(e) => Err(format!("a validated vehicle failed in flight: {e}")),
    }
}

/// Peak resident memory of this process, bytes (Linux; `None` elsewhere).
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn mutated_catalog_vehicles_fail_cleanly_or_fly_cleanly() {
    let cases = env_or("COSMODROME_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_or("COSMODROME_FUZZ_SEED", DEFAULT_SEED);
    let originals: Vec<(&str, &str)> = catalog_ids().into_iter().map(|id| (id, catalog_vehicle(id).expect("catalog text"))).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // The sweep: (vehicle, number, extreme) for every number of every file.
    let sweep: Vec<(usize, usize, &str)> = originals
        .iter()
        .enumerate()
        .flat_map(|(v, (_, text))| (0..numbers(text).len()).flat_map(move |n| SWEEP.iter().map(move |x| (v, n, *x))))
        .collect();
    // Every swept number, then the random cases: the sweep grows with the catalog and must not
    // crowd out the random mutations. The cases are drawn in order from the seed, then run in
    // parallel: a run is the same whatever the number of threads.
    let total = sweep.len() + cases;
    let drawn: Vec<(String, String, Vec<String>, Ascent)> = (0..total)
        .map(|case| {
            let (vehicle, swept) = match sweep.get(case) {
                Some(&(v, n, extreme)) => (v, Some((n, extreme))),
                None => (case % originals.len(), None),
            };
            let (id, original) = originals[vehicle];
            let mut text = original.to_owned();
            let mutations: Vec<String> = match swept {
                Some((n, extreme)) => vec![set_number(&mut text, n, extreme)],
                None => (0..rng.random_range(1..=3)).map(|_| mutate(&mut rng, &mut text)).collect(),
            };
            let ascent = if case % TUNED_EVERY == 0 { Ascent::Tuned } else { Ascent::Kick(rng.random_range(0.5..8.0)) };
            (format!("{id}.toml"), text, mutations, ascent)
        })
        .collect();
    let outcomes: Vec<(String, Duration, Result<bool, String>)> = drawn
        .into_par_iter()
        .enumerate()
        .map(|(case, (file, text, mutations, ascent))| {
            let what = format!("case {case} (seed {seed}) {file}, {ascent:?}: {}", mutations.join("; "));
            let started = Instant::now();
            // On its own thread, so that a case that never ends fails the test instead of
            // hanging it.
            let (sender, receiver) = mpsc::channel();
            std::thread::spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| run_case(&text, &file, ascent)));
                let _ = sender.send(outcome);
            });
            let Ok(outcome) = receiver.recv_timeout(HUNG_AFTER) else {
                panic!("{what} still running after {HUNG_AFTER:?}");
            };
            let outcome = outcome.unwrap_or_else(|_| Err("panicked".to_owned()));
            (what, started.elapsed(), outcome)
        })
        .collect();
    let mut failures = Vec::new();
    let (mut accepted, mut slowest) = (0usize, (Duration::ZERO, String::new()));
    for (what, elapsed, outcome) in outcomes {
        match outcome {
            Ok(flown) => accepted += usize::from(flown),
            Err(message) => failures.push(format!("{what}: {message}")),
        }
        if elapsed > CASE_LIMIT {
            failures.push(format!("{what}: took {elapsed:.2?}"));
        }
        if elapsed > slowest.0 {
            slowest = (elapsed, what);
        }
    }
    assert!(failures.is_empty(), "{} failing cases, the first 20:\n{}", failures.len(), failures[..failures.len().min(20)].join("\n"));
    // The mix must exercise both sides: files refused and files flown (the sweep's extremes are
    // mostly refused, so the share flown is lower than among the random cases).
    assert!(accepted * 20 > total && accepted * 10 < total * 9, "{accepted} of {total} cases validated");
    if let Some(peak) = peak_memory_bytes() {
        assert!(peak < MEMORY_LIMIT_BYTES, "peak memory {} MB", peak >> 20);
    }
    eprintln!("fuzz: {total} cases ({} swept), {accepted} flown, slowest {:.2?}: {}", sweep.len(), slowest.0, slowest.1);
}

/// Past 255 segments the schedule index once saturated and replayed the last segment's end
/// forever; every segment must now cost one event, up to the cap.
#[test]
fn a_thousand_throttle_segments_give_a_thousand_throttle_events() {
    let text = catalog_vehicle("angara-a5").expect("catalog");
    let start = text.find("throttle = [").expect("the core has a schedule");
    let end = start + text[start..].find('\n').expect("one line");
    let long = format!("{}{}{}", &text[..start], long_throttle(1000).trim_end(), &text[end..]);
    let (vehicle, _) = Vehicle::from_toml(&long, "long.toml").expect("1000 segments are allowed");
    let core = vehicle.stage_index("URM-1 core").expect("core");
    let setup =
        FlightSetup { vehicle: &vehicle, payload_kg: 20_000.0, launch: launch("vostochny", None), options: FlightOptions::default() };
    let result = fly_default_ascent(&setup).expect("flies");
    let throttles = result.events.iter().filter(|e| matches!(e.kind, EventKind::Throttle { stage, .. } if stage == core)).count();
    assert_eq!(throttles, 1000);
}

/// A drag table of a thousand points on the default curve flies as the curve itself: the
/// bisection that replaced the linear scan finds the same interval.
#[test]
fn a_long_drag_table_flies_as_its_short_original() {
    let short = cosmodrome::vehicle::Aero::default_cd_mach();
    let points: Vec<String> = (0..1000)
        .map(|i| {
            let mach = 12.0 * f64::from(i) / 999.0;
            format!("[{mach:?}, {:?}]", cosmodrome::vehicle::interpolate_clamped(&short, mach))
        })
        .collect();
    let text = catalog_vehicle("soyuz-2.1b").expect("catalog");
    assert!(!text.contains("[aero]"), "the test adds the table");
    let long = format!("{text}\n[aero]\ncd_mach = [{}]\n", points.join(", "));
    let (long_vehicle, _) = Vehicle::from_toml(&long, "long.toml").expect("1000 points are allowed");
    let (short_vehicle, _) = Vehicle::from_toml(text, "soyuz-2.1b.toml").expect("catalog");
    for mach in [0.0, 0.7, 1.05, 1.2, 2.5, 4.0, 7.5, 11.9, 30.0] {
        let (a, b) = (long_vehicle.aero.cd(mach), short_vehicle.aero.cd(mach));
        assert!((a - b).abs() < 2e-3, "Mach {mach}: {a} against {b}");
    }
    let fly = |v: &Vehicle| {
        let setup = FlightSetup { vehicle: v, payload_kg: 7000.0, launch: launch("vostochny", None), options: FlightOptions::default() };
        fly_default_ascent(&setup).expect("flies").final_point
    };
    let (a, b) = (fly(&long_vehicle), fly(&short_vehicle));
    assert!((a.speed_m_s - b.speed_m_s).abs() < 5.0, "{} against {} m/s", a.speed_m_s, b.speed_m_s);
}

/// A sampling interval of 1e-9 s once grew without end: it is refused before the flight, and so
/// is any interval that would hold more than the sample cap over the time limit.
#[test]
fn sampling_finer_than_the_floor_or_past_the_cap_is_refused_before_flying() {
    use cosmodrome::flight::simulate::{MAX_SAMPLES, MIN_SAMPLE_INTERVAL_S};
    let vehicle = crate::common::vehicle("soyuz-2.1b");
    let setup = |sample_interval_s: f64, max_time_s: f64| FlightSetup {
        vehicle: &vehicle,
        payload_kg: 7000.0,
        launch: launch("vostochny", None),
        options: FlightOptions { sample_interval_s: Some(sample_interval_s), max_time_s, ..FlightOptions::default() },
    };
    let e = setup(1e-9, 7200.0).check().expect_err("too fine");
    assert!(e.to_string().contains(&format!("must be at least {MIN_SAMPLE_INTERVAL_S} s")), "{e}");
    let e = setup(MIN_SAMPLE_INTERVAL_S, 100.0 * MAX_SAMPLES * MIN_SAMPLE_INTERVAL_S).check().expect_err("too many");
    assert!(e.to_string().contains("at most 1000000 are allowed"), "{e}");
    setup(MIN_SAMPLE_INTERVAL_S, 7200.0).check().expect("the floor over the default time limit is allowed");
}
