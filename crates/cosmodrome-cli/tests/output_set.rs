//! A run's files are one whole set: `--out` and the other output flags are refused before any
//! computation, `run.json` lists every file with its true size and SHA-256, and a run killed at
//! any moment leaves the directory with the whole previous set or the whole new one, and nothing
//! beside it once the next run is through.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde_json::Value;
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_cosmodrome");

/// The binary with a fixed creation date, so that two runs of the same inputs write the same bytes.
fn cosmodrome(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args).env("SOURCE_DATE_EPOCH", "1767225600");
    c
}

fn run(args: &[&str]) -> Output {
    cosmodrome(args).output().expect("the binary runs")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    n.sort();
    n
}

/// The set in `dir`, checked whole: `run.json` parses, lists every other file in the directory
/// and nothing else, and every size and hash matches. Returns the listing (name, size, hash).
fn whole_set(dir: &Path) -> Result<Vec<(String, u64, String)>, String> {
    let text = std::fs::read(dir.join("run.json")).map_err(|e| format!("no run.json: {e}; holds {:?}", names(dir)))?;
    let record: Value = serde_json::from_slice(&text).map_err(|e| format!("run.json: {e}"))?;
    let files = record["files"].as_array().ok_or("run.json has no files")?;
    let mut listing = Vec::new();
    for f in files {
        let name = f["name"].as_str().ok_or("a file without a name")?.to_owned();
        let bytes = std::fs::read(dir.join(&name)).map_err(|e| format!("{name} listed but unreadable: {e}"))?;
        let (size, hash) = (f["size_bytes"].as_u64().ok_or("no size")?, f["sha256"].as_str().ok_or("no hash")?.to_owned());
        if size != bytes.len() as u64 || hash != sha256_hex(&bytes) {
            return Err(format!("{name} does not match run.json (a mixed set)"));
        }
        listing.push((name, size, hash));
    }
    let mut listed: Vec<String> = listing.iter().map(|f| f.0.clone()).chain(["run.json".to_owned()]).collect();
    listed.sort();
    if listed != names(dir) {
        return Err(format!("the directory holds {:?}, run.json lists {listed:?}", names(dir)));
    }
    Ok(listing)
}

/// Hidden entries beside `dir` that belong to it (staging or set-aside directories).
fn leftovers(dir: &Path) -> Vec<String> {
    let prefix = format!(".{}.", dir.file_name().unwrap().to_string_lossy());
    names(dir.parent().unwrap()).into_iter().filter(|n| n.starts_with(&prefix)).collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bad_out_directories_are_refused_before_any_flight() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let full = tmp.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("thesis.tex"), "mine").unwrap();
    let file_s = file.to_string_lossy().into_owned();
    let full_s = full.to_string_lossy().into_owned();
    for (out, why) in [
        ("/proc/x", "system directory /proc"),
        ("/", "root directory"),
        ("/etc/run", "system directory /etc"),
        ("/usr", "system directory /usr"),
        (file_s.as_str(), "existing file"),
        (full_s.as_str(), "holds no run.json"),
    ] {
        for command in [&["fly", "soyuz-2.1b", "--payload-kg", "3000"][..], &["payload", "soyuz-2.1b"][..]] {
            let mut args = command.to_vec();
            args.extend(["--out", out]);
            let o = run(&args);
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
            assert!(e.contains(&format!("--out {out}")) && e.contains(why), "{args:?}: {e}");
            assert!(e.contains("e.g. --out run/") || e.contains("Choose another --out"), "says how to fix: {e}");
            assert_eq!(e.matches("error").count(), 1, "printed once: {e}");
            assert!(o.stdout.is_empty(), "{args:?}: nothing was flown, nothing printed: {}", String::from_utf8_lossy(&o.stdout));
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(names(&full), ["thesis.tex"]);
}

#[test]
fn an_epoch_the_writers_cannot_carry_is_refused_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let o = run(&["fly", "soyuz-2.1b", "--payload-kg", "3000", "--launch-utc", "9999-12-31T23:59:59Z", "--out", &out.to_string_lossy()]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("--launch-utc 9999-12-31T23:59:59Z") && e.contains("earlier epoch"), "{e}");
    assert!(o.stdout.is_empty(), "refused before the flight");
    assert!(!out.exists() && leftovers(&out).is_empty(), "nothing written");
    // A malformed epoch names the flag too.
    let o = run(&["fly", "soyuz-2.1b", "--payload-kg", "3000", "--launch-utc", "tomorrow", "--out", &out.to_string_lossy()]);
    assert!(stderr(&o).contains("--launch-utc") && o.stdout.is_empty(), "{}", stderr(&o));
}

#[test]
fn run_json_lists_every_file_with_its_hash_and_the_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nested/run");
    let o = run(&["payload", "soyuz-2.1b", "--no-plots", "--out", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listing = whole_set(&out).unwrap();
    let listed: Vec<&str> = listing.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(listed, ["payload.json", "trajectory.csv", "events.json", "trajectory.oem", "iip.geojson", "iip.kml", "report.html"]);
    // The "wrote" line and the report name every file of the set, payload.json included.
    let wrote = stderr(&o).lines().find(|l| l.starts_with("wrote ")).unwrap_or_default().to_owned();
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    for name in listed.iter().chain(&["run.json"]) {
        assert!(wrote.contains(name), "{wrote}");
        assert!(report.contains(&format!("href=\"{name}\"")), "report lacks {name}");
    }
    assert!(report.contains("Impact points"));
    let record: Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(record["format_version"], 1);
    assert_eq!(record["command"], "payload");
    assert_eq!(record["vehicle"]["id"], "soyuz-2.1b");
    assert_eq!(record["site"].as_str().map(|s| s.starts_with("vostochny")), Some(true));
    assert_eq!(record["target_orbit"]["perigee_km"], 200.0);
    assert!(record["payload_kg"].as_f64().is_some_and(|p| p > 1000.0));
    assert!(record["arguments"].as_array().unwrap().iter().any(|a| a == "--no-plots"));
    // A vehicle file is recorded with its hash.
    let vehicle_file = tmp.path().join("my-rocket.toml");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/vehicles/soyuz-2.1b.toml")).unwrap();
    std::fs::write(&vehicle_file, &text).unwrap();
    let o = run(&["fly", &vehicle_file.to_string_lossy(), "--payload-kg", "3000", "--no-plots", "--out", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    whole_set(&out).unwrap();
    let record: Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(record["vehicle"]["file"]["sha256"], sha256_hex(text.as_bytes()));
    assert!(leftovers(&out).is_empty());
}

/// Kill the binary at many moments of its run, flight and write phase alike, while it replaces
/// one complete set by another: the directory always holds one of the two whole.
#[test]
fn a_killed_run_leaves_the_old_set_or_the_new_set_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let out_s = out.to_string_lossy().into_owned();
    // Two different sets: A without plots (short write), B with plots (long write phase).
    let a_args = ["fly", "soyuz-2.1b", "--payload-kg", "3000", "--no-plots", "--launch-utc", "2026-01-01T00:00:00Z", "--out"];
    let b_args = ["fly", "soyuz-2.1b", "--payload-kg", "3000", "--launch-utc", "2026-06-01T00:00:00Z", "--out"];
    let with_out = |args: &[&str], dir: &str| -> Vec<String> { args.iter().map(|s| s.to_string()).chain([dir.to_owned()]).collect() };
    let mut reference = Vec::new();
    let mut duration = Vec::new();
    for (k, args) in [&a_args[..], &b_args[..]].into_iter().enumerate() {
        let dir = tmp.path().join(format!("reference-{k}"));
        let start = Instant::now();
        let o = cosmodrome(&[]).args(with_out(args, &dir.to_string_lossy())).output().unwrap();
        duration.push(start.elapsed());
        assert!(o.status.success(), "{}", stderr(&o));
        reference.push(whole_set(&dir).unwrap());
    }
    assert_ne!(reference[0], reference[1]);
    let o = cosmodrome(&[]).args(with_out(&a_args, &out_s)).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut holds = 0;
    assert_eq!(whole_set(&out).unwrap(), reference[holds]);

    let steps = 24;
    let (mut kept_old, mut got_new, mut while_writing) = (0, 0, 0);
    for step in 0..steps {
        // Write the other set, killed after a delay that sweeps its whole run and a little past.
        let next = 1 - holds;
        let delay = duration[next].mul_f64(1.15 * f64::from(step) / f64::from(steps - 1));
        let mut child = cosmodrome(&[])
            .args(with_out(if next == 0 { &a_args } else { &b_args }, &out_s))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let set = whole_set(&out).unwrap_or_else(|e| panic!("step {step}, killed after {delay:?}: {e}"));
        // A staging directory left beside it: the kill came while the new set was being written.
        while_writing += usize::from(!leftovers(&out).is_empty());
        if set == reference[next] {
            got_new += 1;
            holds = next;
        } else {
            assert_eq!(set, reference[holds], "step {step}: neither the old nor the new set");
            kept_old += 1;
        }
    }
    eprintln!("{steps} kills: {kept_old} left the old set ({while_writing} of them while writing the new one), {got_new} the new one");
    assert!(kept_old > 0 && while_writing > 0, "no kill came during the write phase");
    // The next run cleans up what the killed ones left beside the directory.
    let o = cosmodrome(&[]).args(with_out(&b_args, &out_s)).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(whole_set(&out).unwrap(), reference[1]);
    assert!(leftovers(&out).is_empty(), "left beside the directory: {:?}", leftovers(&out));
    assert_eq!(names(tmp.path()).iter().filter(|n| n.starts_with('.')).count(), 0, "{:?}", names(tmp.path()));
}
