//! The first-run and bad-input reproducers that no other test runs through the binary, each bounded in time:
//! a clear error naming the flag, file, line and key, or a correct result, no panic.
//!
//! Covered elsewhere, with their messages checked (not repeated here): the open-loop escape with
//! C3 (`fly.rs`, `a_hyperbolic_end_is_an_escape_everywhere`); `--out /proc/x` and `--out /`
//! (`output_set.rs`, `bad_out_directories_are_refused_before_any_flight`); a vehicle path that
//! does not exist and a misspelt site (`a_missing_vehicle_file_or_misspelt_id_says_which`,
//! `a_misspelt_site_gets_a_suggestion_and_the_cosmodromes` in this binary); `--launch-utc
//! 9999-12-31T23:59:59Z` (`output_set.rs`, `an_epoch_the_writers_cannot_carry_is_refused_up_front`);
//! `diameter_m = 1e-300`/`1e6`, tumbling `cd = 1e-300`, `thrust_vac_kn = 1e300`/`1e9`,
//! `isp_vac_s = 1e6` (the core's `vehicle::validate` tests,
//! `implausible_values_are_refused_with_the_range`); the README's `fly soyuz-2.1b … --inclination-deg
//! 97.5` reaching its orbit (`docs_commands`), timed here.
//!
//! **The time bound.** The issue asks for an answer in under 2 s. What is bounded is the CPU time
//! of the `cosmodrome` process (all its threads, from /proc when it has exited): wall time on a
//! shared 2-core machine, with the other tests of this binary flying at the same time, measures the
//! load rather than the command. Measured in a debug build (the core optimized) on the 2-core
//! machine at a load of 4–5: the targeted Soyuz flight 0.4 s (0.04 s unloaded since the
//! optimizer is compiled in the core, not in the binary), the open-loop flight of 400 throttle
//! segments 0.05 s, each refusal under 0.05 s; 2 s leaves four times the slowest. A wall-clock
//! backstop of 60 s kills a command that hangs, as 400 segments once did.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// CPU seconds per tick of /proc/PID/stat (`USER_HZ`, 100 on every Linux architecture).
const TICKS_PER_S: f64 = 100.0;
/// The bound of the issue, in CPU seconds of the command.
const BOUND_CPU_S: f64 = 2.0;
/// A command still running after this is hung: killed and failed.
const BACKSTOP: Duration = Duration::from_secs(60);

/// What one command did: exit success, stdout, stderr, CPU seconds.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
    cpu_s: f64,
}

/// User plus system CPU seconds of an exited, not yet reaped child, from its /proc stat.
fn cpu_of_exited(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name in parentheses: state, ppid, … utime (14th), stime (15th).
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    if fields.first() != Some(&"Z") {
        return None;
    }
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / TICKS_PER_S)
}

/// Runs the binary in `dir`, output to files (so no pipe fills), and measures its CPU time.
fn run_timed(dir: &Path, args: &[&str]) -> Run {
    let (out_path, err_path) = (dir.join("stdout.txt"), dir.join("stderr.txt"));
    let mut child = Command::new(crate::BINARY)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()))
        .spawn()
        .expect("run cosmodrome");
    let start = Instant::now();
    let cpu_s = loop {
        if let Some(cpu_s) = cpu_of_exited(child.id()) {
            break cpu_s;
        }
        if start.elapsed() > BACKSTOP {
            child.kill().expect("kill");
            panic!("{args:?} still running after {BACKSTOP:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let status = child.wait().expect("wait");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Run { success: status.success(), stdout: read(&out_path), stderr: read(&err_path), cpu_s }
}

/// A clear failure: non-zero, no panic, every needle in the message, no value quoted past
/// ~80 characters (a run of one character longer than that is a quoted value), within the bound.
fn assert_refused(label: &str, run: &Run, needles: &[&str]) {
    eprintln!("{label}: {:.2} s of CPU", run.cpu_s);
    assert!(!run.success, "{label}: expected a refusal, got\n{}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{label}: {}", run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "{label}: the message lacks {n:?}: {}", &run.stderr[..run.stderr.len().min(2000)]);
    }
    assert!(run.stderr.len() < 600, "{label}: {} bytes of message", run.stderr.len());
    assert!(run.cpu_s < BOUND_CPU_S, "{label}: {:.2} s of CPU", run.cpu_s);
}

/// A flight that reaches its orbit: exit 0, `outcome: orbit`, within the bound.
fn assert_orbit(label: &str, run: &Run) {
    eprintln!("{label}: {:.2} s of CPU", run.cpu_s);
    assert!(run.success, "{label}: {}", run.stderr);
    let outcome = run.stdout.lines().find_map(|l| l.strip_prefix("outcome: ")).unwrap_or("none");
    assert!(outcome.starts_with("orbit:"), "{label}: {outcome}");
    assert!(run.cpu_s < BOUND_CPU_S, "{label}: {:.2} s of CPU", run.cpu_s);
}

fn catalog(id: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/vehicles/{id}.toml"))).expect("catalog vehicle")
}

/// `text` with its line holding `from` given `to` instead of that line's rest from `from` on.
fn replace_line(text: &str, from: &str, to: &str) -> String {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
    format!("{}{to}{}", &text[..start], &text[end..])
}

/// A throttle schedule of `n` full-throttle segments of 0.05 s each from liftoff.
fn throttle(n: usize) -> String {
    let segments: Vec<String> = (1..=n).map(|i| format!("{{ level = 1.0, until_s = {:.2} }}", 0.05 * i as f64)).collect();
    format!("throttle = [{}]", segments.join(", "))
}

#[test]
fn reproducers_of_slow_refusals_end_clearly_within_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    let run = run_timed(dir, &["fly", "soyuz-2.1b", "--payload-kg", "7000", "--site", "vostochny", "--inclination-deg", "97.5"]);
    assert_orbit("the README's sun-synchronous Soyuz", &run);

    let run = run_timed(dir, &["fly", "soyuz-2.1b", "--payload-kg", "7000", "--sample-interval-s", "1e-9"]);
    assert_refused("--sample-interval-s 1e-9", &run, &["--sample-interval-s", "at least 0.01 s"]);

    // 400 segments once hung the flight with 2.5 GB: now one event each, a flight as long as
    // any. The open-loop program is the one flight the issue's `fly` flew.
    let angara = catalog("angara-a5");
    std::fs::write(dir.join("throttle-400.toml"), replace_line(&angara, "throttle = [", &throttle(400))).unwrap();
    let run = run_timed(dir, &["fly", "throttle-400.toml", "--payload-kg", "20000", "--open-loop"]);
    assert_orbit("400 throttle segments", &run);

    let text = replace_line(&angara, "throttle = [", &throttle(10_000));
    let line = text[..text.find("until_s = 50.05 }").unwrap()].lines().count();
    std::fs::write(dir.join("throttle-10000.toml"), text).unwrap();
    let run = run_timed(dir, &["fly", "throttle-10000.toml", "--payload-kg", "20000"]);
    let at = format!("throttle-10000.toml:{line}: key `stage[2].throttle[1001]`");
    assert_refused("10,000 throttle segments", &run, &[&at, "at most 1000 throttle segments", "this file has 10000"]);

    // 100k drag points once cost 10 s a flight: past the file-size cap, refused on reading.
    let soyuz = catalog("soyuz-2.1b");
    let points: Vec<String> = (0..100_000).map(|i| format!("[{:.6}, 0.3]", 20.0 * f64::from(i) / 1e5)).collect();
    std::fs::write(dir.join("cd-mach-100k.toml"), format!("{soyuz}\n[aero]\ncd_mach = [\n{}\n]\n", points.join(",\n"))).unwrap();
    let run = run_timed(dir, &["fly", "cd-mach-100k.toml", "--payload-kg", "7000"]);
    assert_refused("a cd_mach table of 100k points", &run, &["cd-mach-100k.toml:", "passes the limit of 1048576 bytes"]);

    // A 5 MB string: refused at its line, quoted at most ~80 characters.
    let huge = "A".repeat(5_000_000);
    std::fs::write(dir.join("string-5mb.toml"), soyuz.replacen("name = \"Soyuz-2.1b\"", &format!("name = \"{huge}\""), 1)).unwrap();
    let run = run_timed(dir, &["fly", "string-5mb.toml", "--payload-kg", "7000"]);
    let line = soyuz[..soyuz.find("name = \"Soyuz-2.1b\"").unwrap()].lines().count() + 1;
    assert_refused("a 5 MB string value", &run, &[&format!("string-5mb.toml:{line}:")]);
    assert!(!run.stderr.contains(&"A".repeat(81)), "{}", run.stderr);
    // Under the size cap, a long value is quoted cut short at its key.
    let long = "A".repeat(500_000);
    std::fs::write(dir.join("string-500kb.toml"), soyuz.replacen("name = \"Soyuz-2.1b\"", &format!("name = \"{long}\""), 1)).unwrap();
    let run = run_timed(dir, &["fly", "string-500kb.toml", "--payload-kg", "7000"]);
    assert_refused("a 500 kB string value", &run, &[&format!("string-500kb.toml:{line}:"), "name"]);
    assert!(!run.stderr.contains(&"A".repeat(81)), "{}", run.stderr);
}

/// The line (1-based) of the first line of `text` holding `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no {needle:?}")) + 1
}

/// Vehicle files that once read and printed as if sound: a pair row of three numbers (the TOML
/// reader dropped the third), a description over two lines, a vehicle with nothing lit at
/// liftoff (`info` printed a thrust-to-weight of `-0.000`, `fly` failed only then), an upper
/// stage's vacuum nozzle given by chemistry (`info` printed an Isp of −1.7 million s at sea level).
#[test]
fn vehicle_file_defects_are_refused_at_their_line_or_shown_as_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let vega = catalog("vega-c");
    let row = "[0.50, 272.7]";
    let three = vega.replacen(row, "[0.50, 272.7, 1]", 1);
    let path = file("three.toml", &three);
    for command in ["info", "fly"] {
        let o = crate::run(&[command, &path, "--payload-kg", "1000"]);
        let at = format!("three.toml:{}: key `motor[3].thrust_curve_vac_kn`", line_of(&three, "[0.50, 272.7, 1]"));
        crate::assert_clean_failure(&o, &[&at, "invalid length 3, expected a pair [x, y] of two numbers"]);
    }
    let electron = catalog("electron");
    let drag = format!("{electron}\n[aero]\ncd_mach = [\n  [0, 0.3],\n  [2, 0.4, 99],\n]\n");
    let o = crate::run(&["info", &file("drag.toml", &drag)]);
    let at = format!("drag.toml:{}: key `aero.cd_mach`", line_of(&drag, "[2, 0.4, 99]"));
    crate::assert_clean_failure(&o, &[&at, "invalid length 3"]);

    let two_lines = electron.replacen("description = \"Small launcher", "description = \"\"\"Small launcher\nsecond line\"\"\"\n# \"", 1);
    let o = crate::run(&["info", &file("two-lines.toml", &two_lines)]);
    let at = format!("two-lines.toml:{}: key `description`", line_of(&two_lines, "description = "));
    crate::assert_clean_failure(&o, &[&at, "must be one line of text, got a line break"]);

    let delayed = electron.replacen("ignition = \"liftoff\"\n", "ignition = \"liftoff\"\nignition_delay_s = 10\n", 1);
    let path = file("delayed.toml", &delayed);
    for command in ["info", "fly"] {
        let o = crate::run(&[command, &path, "--payload-kg", "100"]);
        let at = format!("delayed.toml:{}: key `stage[1].ignition_delay_s`", line_of(&delayed, "ignition_delay_s = 10"));
        crate::assert_clean_failure(&o, &[&at, "nothing burns at liftoff"]);
        assert!(!crate::stderr(&o).contains("-0.000"), "{}", crate::stderr(&o));
    }
    let o = crate::run(&["info", "pslv-xl"]);
    assert!(o.status.success(), "air-lit strap-ons beside ground-lit ones: {}", crate::stderr(&o));

    let chemistry =
        "chemistry = { oxidizer = \"LOX\", fuel = \"RP-1\", mixture_ratio = 2.6, chamber_pressure_bar = 0.1, expansion_ratio = 1000 }";
    let upper = electron.replacen("isp_vac_s = 343.0\n", &format!("{chemistry}\n"), 1);
    assert_ne!(upper, electron);
    let o = crate::run(&["info", &file("vacuum-upper.toml", &upper)]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let out = crate::stdout(&o);
    let line = out.lines().find(|l| l.contains("from chemistry")).unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("none at sea level") && !line.contains("-"), "{line}");
    let o = crate::run(&["info", &file("vacuum-upper.toml", &upper), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v["stages"][1]["chemistry"].is_object() && v["stages"][1]["chemistry"].get("ideal_isp_sl_s").is_none(), "{v}");
    let first = electron.replacen("thrust_sl_kn = 24.91\nisp_vac_s = 317.0\n", &format!("{chemistry}\n"), 1);
    assert_ne!(first, electron);
    let o = crate::run(&["info", &file("vacuum-first.toml", &first)]);
    let at = format!("vacuum-first.toml:{}: key `engine[1].chemistry.chamber_pressure_bar`", line_of(&first, "chemistry = "));
    crate::assert_clean_failure(&o, &[&at, "no thrust at sea level"]);
}

/// `propellant`: a sweep into ratios the equilibrium cannot solve answers with the points that
/// converge and a row for each that does not; a single such ratio, or a sweep of which none
/// converges, is an error; an ambient pressure at or above the chamber pressure is refused (it
/// once gave an Isp of −73 million s); a propellant table with `temperature_k = inf` is refused.
#[test]
fn propellant_sweeps_keep_their_converged_points_and_bad_inputs_are_refused() {
    let hydrogen = ["propellant", "--oxidizer", "LOX", "--fuel", "LH2", "--chamber-pressure-bar", "100", "--expansion-ratio", "80"];
    let with = |extra: &[&str]| crate::run(&[&hydrogen[..], extra].concat());
    let o = with(&["--mixture-ratio", "1:10:0.5"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let out = crate::stdout(&o);
    let failed = out.lines().find(|l| l.trim_start().starts_with("1.000")).unwrap_or_else(|| panic!("{out}"));
    assert!(failed.contains("failed: ") && failed.contains("no convergence"), "{failed}");
    assert!(out.lines().filter(|l| l.ends_with("  ok")).count() == 18, "{out}");
    assert!(out.contains("1 of 19 points did not converge") && out.contains("optimum vacuum Isp"), "{out}");
    let o = with(&["--mixture-ratio", "1:10:0.5", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!((v["points"].as_array().map(Vec::len), &v["failed"][0]["mixture_ratio"]), (Some(18), &serde_json::json!(1.0)), "{v}");
    let o = crate::run(&[
        "propellant",
        "--oxidizer",
        "LOX",
        "--fuel",
        "RP-1",
        "--mixture-ratio",
        "0.1:100:1",
        "--chamber-pressure-bar",
        "100",
        "--expansion-ratio",
        "80",
    ]);
    assert!(o.status.success() && crate::stdout(&o).contains("did not converge"), "{}", crate::stderr(&o));

    crate::assert_clean_failure(&with(&["--mixture-ratio", "1"]), &["LOX/LH2 at O/F 1", "no convergence"]);
    crate::assert_clean_failure(&with(&["--mixture-ratio", "0.5:1:0.5"]), &["none of the sweep's 2 points converged"]);
    for ambient in ["1e6", "100"] {
        let o = with(&["--mixture-ratio", "5", "--ambient-pressure-bar", ambient]);
        crate::assert_clean_failure(&o, &["--ambient-pressure-bar", "at or above the chamber pressure 100 bar"]);
        assert!(!crate::stdout(&o).contains("Isp"), "{}", crate::stdout(&o));
    }

    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("props.toml");
    let entry = |name: &str, temperature: &str| {
        format!("[[propellant]]\nname = \"{name}\"\ndescription = \"x\"\ncomponents = [ {{ species = \"O2\", formula = {{ O = 2 }}, mass_fraction = 1.0, temperature_k = {temperature}, enthalpy_j_mol = 0.0, source = \"s\" }} ]\n")
    };
    std::fs::write(&table, format!("{}{}", entry("GOX", "298.15"), entry("HOT", "inf"))).unwrap();
    let o = crate::run(&[
        "propellant",
        "--oxidizer",
        "GOX",
        "--fuel",
        "LH2",
        "--mixture-ratio",
        "6",
        "--chamber-pressure-bar",
        "50",
        "--expansion-ratio",
        "20",
        "--propellants",
        table.to_str().unwrap(),
    ]);
    crate::assert_clean_failure(&o, &["props.toml:6", "propellant[2].components[1].temperature_k", "finite"]);
}
