//! A command given `--json` that fails prints one JSON error report on stdout (`cosmodrome-error/1`:
//! its kind, the message stderr prints, where in a file, the exit code) beside the human message on
//! stderr, which reads as without `--json`.

use std::process::Output;

use serde_json::Value;

use crate::{run, stderr, stdout};

/// Run a command that must fail; its exit code 2, its stderr's `error:` line, and its stdout one
/// JSON error report whose message is that line's. The output and the report.
pub(crate) fn failed_json(args: &[&str]) -> (Output, Value) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    let report: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON object: {e}\n{}", stdout(&o)));
    assert_eq!(report["format"], "cosmodrome-error/1", "{report}");
    assert_eq!(report["exit_code"], 2, "{report}");
    let message = report["message"].as_str().expect("a message");
    assert!(err.ends_with(&format!("error: {message}\n")), "{args:?}: stderr {err:?} does not end in the report's message {message:?}");
    let members: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(members.len(), 5, "{report}");
    assert!(report.get("location").is_some(), "{report}");
    (o, report)
}

/// An orbit Electron's one continuous burn cannot climb to: `unreachable`, without a location.
#[test]
fn an_unreachable_orbit_is_reported_as_json() {
    let (o, report) = failed_json(&["payload", "electron", "--perigee-km", "20000", "--json"]);
    assert_eq!(report["kind"], "unreachable", "{report}");
    assert!(report["location"].is_null(), "{report}");
    assert!(report["message"].as_str().unwrap().starts_with("Electron cannot reach 20000 × 20000 km"), "{report}");
    // The note on the pad stays on stderr with the message.
    assert!(stderr(&o).starts_with("note: no pad of vostochny serves the Electron family"), "{}", stderr(&o));
}

/// A vehicle file with an unknown key: `invalid_file`, with its file, line and key.
#[test]
fn a_bad_vehicle_file_is_reported_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/vehicles/electron.toml")).expect("electron.toml");
    // A misspelt key on the second line of the catalog file.
    let lines: Vec<&str> = text.lines().collect();
    let bad = [&lines[..1], &["payload_mass_kgs = 300"], &lines[1..]].concat().join("\n");
    std::fs::write(&file, bad).unwrap();
    let path = file.to_str().unwrap();
    let (_, report) = failed_json(&["payload", path, "--json"]);
    assert_eq!(report["kind"], "invalid_file", "{report}");
    assert_eq!(report["location"], serde_json::json!({ "file": path, "line": 2, "key": "payload_mass_kgs" }), "{report}");
    // The same failure without --json: the same message, nothing on stdout.
    let o = run(&["payload", path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).ends_with(&format!("error: {}\n", report["message"].as_str().unwrap())), "{}", stderr(&o));
}

/// A TOML syntax error names its line and no key, in every kind of file the command line reads:
/// what the reader quotes in backticks (`expected `.`, `]]``) is the syntax expected, not a key.
#[test]
fn a_toml_syntax_error_has_a_line_and_no_key_in_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    // A table header that is never closed, on line 3.
    std::fs::write(&file, "format = 1\n\n[[site\nid = \"x\"\n").unwrap();
    let path = file.to_str().unwrap();
    let mixture =
        ["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "2.6", "--chamber-pressure-bar", "100", "--expansion-ratio", "40"];
    let propellant: Vec<&str> = ["propellant"].into_iter().chain(mixture).chain(["--propellants", path, "--json"]).collect();
    for args in [
        &["payload", path, "--json"][..],
        &["payload", "soyuz-2.1b", "--site", path, "--json"],
        &["payload", "soyuz-2.1b", "--drop-zones", path, "--json"],
        &["dropzones", "soyuz-2.1b", "--dispersions", path, "--json"],
        &["dropzones", "soyuz-2.1b", "--wind", path, "--json"],
        &["validate", "--table", path, "--json"],
        &propellant,
        &["sweep", path, "--json"],
        &["sweep", "soyuz-2.1b", "--site", path, "--json"],
        &["sweep", path, "--vary", "stage.Core.dry_mass_kg=1:2:1", "--json"],
    ] {
        let (_, report) = failed_json(args);
        assert_eq!(report["kind"], "invalid_file", "{args:?}: {report}");
        assert_eq!(report["location"], serde_json::json!({ "file": path, "line": 3, "key": null }), "{args:?}: {report}");
        assert!(!report["message"].as_str().unwrap().contains("key `"), "{args:?}: {report}");
    }
}

/// A site file whose pad has a catalog pad's id (`vostochny-1s`) is refused, for a run and for a
/// sweep alike, at the line of its id: the outputs name a file's pad by its id and could not tell
/// the two apart. A site given twice to a sweep is refused too, rather than every row twice.
#[test]
fn a_site_file_with_a_catalog_pad_id_and_a_repeated_site_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("padclash.toml");
    std::fs::write(&file, crate::WALLOPS_PAD.replacen("id = \"wallops-0a\"", "id = \"vostochny-1s\"", 1)).unwrap();
    let path = file.to_str().unwrap();
    let site = format!("kourou,{path}");
    for args in [
        &["payload", "soyuz-2.1b", "--site", path, "--json"][..],
        &["fly", "soyuz-2.1b", "--payload-kg", "5000", "--site", path, "--json"],
        &["sweep", "soyuz-2.1b", "--site", &site, "--json"],
    ] {
        let (_, report) = failed_json(args);
        assert_eq!(report["kind"], "invalid_file", "{args:?}: {report}");
        assert_eq!(report["location"], serde_json::json!({ "file": path, "line": 4, "key": "site[0].id" }), "{args:?}: {report}");
        assert!(report["message"].as_str().unwrap().contains("is the catalog's pad `vostochny-1s`"), "{report}");
    }
    let (_, report) = failed_json(&["sweep", "soyuz-2.1b", "--site", "vostochny,kourou", "--site", "vostochny", "--json"]);
    assert_eq!(report["kind"], "invalid_input", "{report}");
    assert!(report["message"].as_str().unwrap().starts_with("invalid --site: `vostochny` is given twice"), "{report}");
}

/// A misspelt site: `unknown_site`, and the message suggests the name meant.
#[test]
fn an_unknown_site_is_reported_as_json() {
    let (_, report) = failed_json(&["payload", "soyuz-2.1b", "--site", "baikonu", "--json"]);
    assert_eq!(report["kind"], "unknown_site", "{report}");
    assert!(report["location"].is_null(), "{report}");
    assert!(report["message"].as_str().unwrap().contains("did you mean `baikonur`?"), "{report}");
}

/// A site file that is not there is an I/O failure, as a missing vehicle file is, for `payload`
/// and `sweep` alike; the message keeps the hint at the catalog site it may stand for.
#[test]
fn a_missing_site_file_is_an_io_failure() {
    for args in [
        &["payload", "soyuz-2.1b", "--site", "vostochny.toml", "--json"][..],
        &["sweep", "soyuz-2.1b", "--site", "vostochny.toml", "--json"],
    ] {
        let (_, report) = failed_json(args);
        assert_eq!(report["kind"], "io", "{report}");
        assert!(report["message"].as_str().unwrap().contains("did you mean the catalog site `vostochny`?"), "{report}");
    }
}

/// Every command with `--json` reports its failures so, each with its kind: a payload over the
/// maximum (its message two lines, the hint included), a missing file, flags that do not go
/// together, a flag's value out of its domain, an unknown vehicle.
#[test]
fn every_json_command_reports_its_failure_kind() {
    for (args, kind) in [
        (&["fly", "soyuz-2.1b", "--payload-kg", "20000", "--json"][..], "payload_too_heavy"),
        (&["info", "no-such-rocket.toml", "--json"], "io"),
        (&["fly", "soyuz-2.1b", "--payload-kg", "7000", "--open-loop", "--argument-of-perigee-deg", "90", "--json"], "usage"),
        (&["sweep", "soyuz-2.1b", "--altitude-km", "0", "--json"], "invalid_input"),
        (&["dropzones", "soyuz-2.1b", "--samples", "0", "--json"], "invalid_input"),
        (&["validate", "--table", "no-such-table.toml", "--json"], "io"),
        (
            &[
                "propellant",
                "--oxidizer",
                "LOX",
                "--fuel",
                "RP-1",
                "--mixture-ratio",
                "x",
                "--chamber-pressure-bar",
                "100",
                "--expansion-ratio",
                "40",
                "--json",
            ],
            "invalid_input",
        ),
        (&["info", "soyuz-2.1c", "--json"], "unknown_vehicle"),
    ] {
        let (_, report) = failed_json(args);
        assert_eq!(report["kind"], kind, "{args:?}: {report}");
    }
    let (_, heavy) = failed_json(&["fly", "soyuz-2.1b", "--payload-kg", "20000", "--json"]);
    assert!(heavy["message"].as_str().unwrap().contains("\nthe largest payload into that orbit: cosmodrome payload"), "{heavy}");
}

/// A usage error of the parser itself (an unknown flag) is clap's, on stderr alone: the command
/// line was not parsed, so nothing says it asked for JSON.
#[test]
fn a_parser_usage_error_is_left_to_the_parser() {
    let o = run(&["payload", "soyuz-2.1b", "--no-such-flag", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("unexpected argument '--no-such-flag'"), "{}", stderr(&o));
}
