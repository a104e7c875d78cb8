//! `cosmodrome fly` end to end through the binary cargo builds for the tests: a payload over the
//! maximum is refused with the `payload` command to find it, and every ending (orbit, escape,
//! suborbital) is named in the summary, events.json and report.html, with no `inf` or `NaN`.
//! The `fly` commands of README and docs are run with all the others by `docs_commands` of the
//! cli test binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cosmodrome(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cosmodrome")).args(args).output().expect("run cosmodrome")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test under cargo's scratch space for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fly-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// No `inf` or `NaN` as a number: a word boundary on both sides (`information` is fine).
fn assert_no_non_finite(label: &str, text: &str) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        assert!(!matches!(word, "inf" | "Infinity" | "NaN" | "nan"), "{label}: `{word}` in\n{text}");
    }
}

/// A payload over the maximum fails (non-zero) saying by how much, with the command that finds
/// the maximum; the command given is one that runs.
#[test]
fn a_payload_over_the_maximum_is_refused_with_the_payload_command() {
    let o = cosmodrome(&["fly", "soyuz-2.1b", "--payload-kg", "9500"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("cannot carry 9500 kg") && e.contains("the most it carries there is") && e.contains("kg less"), "{e}");
    let command = e.lines().find_map(|l| l.split("cosmodrome ").nth(1)).unwrap_or_else(|| panic!("no command in\n{e}"));
    assert!(command.starts_with("payload soyuz-2.1b --site vostochny"), "{command}");
    let o = cosmodrome(&command.split_whitespace().collect::<Vec<_>>());
    assert!(o.status.success() && stdout(&o).contains("maximum payload"), "{command}: {}", stderr(&o));
}

/// The open-loop flags belong to `--open-loop`, and `--open-loop` does not target an apogee.
#[test]
fn open_loop_flags_need_open_loop() {
    for flags in [&["--pitch-kick-deg", "4"][..], &["--final-pitch-deg", "-2"], &["--azimuth-deg", "20"], &["--gravity-turn-only"]] {
        let mut args = vec!["fly", "soyuz-2.1b", "--payload-kg", "5000"];
        args.extend_from_slice(flags);
        let o = cosmodrome(&args);
        assert!(!o.status.success() && stderr(&o).contains("--open-loop"), "{flags:?}: {}", stderr(&o));
    }
    let o = cosmodrome(&["fly", "soyuz-2.1b", "--payload-kg", "5000", "--open-loop", "--apogee-km", "400"]);
    assert!(!o.status.success() && stderr(&o).contains("--apogee-km"), "{}", stderr(&o));
}

/// A light payload on the open-loop program leaves the Earth: named an escape with C3 and v∞ in
/// the summary, events.json and report.html, never an orbit with an infinite apogee.
#[test]
fn a_hyperbolic_end_is_an_escape_everywhere() {
    let dir = scratch("escape");
    let out = dir.join("run");
    let o = cosmodrome(&["fly", "soyuz-2.1b", "--payload-kg", "1000", "--open-loop", "--no-plots", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("outcome: escape: C3 "), "{text}");
    assert_no_non_finite("stdout", &text);
    let events_text = std::fs::read_to_string(out.join("events.json")).expect("events.json");
    let events: serde_json::Value = serde_json::from_str(&events_text).expect("JSON");
    assert_eq!(events["outcome"], "escape");
    let c3 = events["ending"]["c3_km2_s2"].as_f64().expect("C3");
    let v_infinity = events["ending"]["v_infinity_km_s"].as_f64().expect("v∞");
    assert!(c3 > 0.0 && (v_infinity * v_infinity - c3).abs() < 1e-3 * c3, "C3 {c3}, v∞ {v_infinity}");
    assert!(events["final"]["orbit"]["apogee_km"].is_null(), "no finite apogee for a hyperbola");
    let report = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(report.contains("escape: C3"), "report names the escape");
    assert_no_non_finite("report.html", &report);
}

/// The open-loop first-run reproducer falls back: suborbital with its impact point and time,
/// exit 0 (the open-loop program is not asked for an orbit), the ascent's max-Q and the fall's
/// peak apart in the summary, events.json and report.html.
#[test]
fn a_fall_back_is_suborbital_with_the_ascents_max_q() {
    let dir = scratch("fall");
    let out = dir.join("run");
    let o = cosmodrome(&[
        "fly",
        "soyuz-2.1b",
        "--payload-kg",
        "7000",
        "--site",
        "vostochny",
        "--inclination-deg",
        "97.5",
        "--open-loop",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("outcome: suborbital: impact at ") && text.contains("peak dynamic pressure of the fall back"), "{text}");
    let events: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("events.json")).expect("events.json")).expect("JSON");
    assert_eq!(events["outcome"], "suborbital");
    assert!(events["ending"]["impact_time_s"].as_f64().expect("impact time") > 600.0);
    let (ascent, fall) = (events["max_q_kpa"].as_f64().unwrap(), events["reentry_max_q_kpa"].as_f64().expect("the fall's peak"));
    assert!(ascent < 60.0 && fall > ascent, "ascent {ascent} kPa, fall {fall} kPa");
    let report = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(report.contains("peak dynamic pressure of the fall") && report.contains("suborbital: impact at"));
}
