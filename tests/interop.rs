//! Outputs read by independent readers: `trajectory.oem` by the `oem` package and
//! `trajectory.parquet` by pyarrow (both from PyPI), each checked against `trajectory.csv`.
//! The Python scripts live in `tests/python/`. `COSMODROME_PYTHON` names the interpreter
//! (default `python3`); without the modules the tests print `skipped` and pass, unless
//! `COSMODROME_REQUIRE_PYTHON=1` (as in CI), where they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{write_run, OutputOptions, RunSummary, UtcEpoch};

use crate::common::{fly_default, launch};

/// The interpreter, if it has `modules`; panics when they are required and missing.
fn python_with(modules: &str) -> Option<String> {
    let python = std::env::var("COSMODROME_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ok = Command::new(&python).args(["-c", &format!("import {modules}")]).output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if std::env::var("COSMODROME_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
        panic!("{python} cannot import {modules} and COSMODROME_REQUIRE_PYTHON=1: pip install oem pyarrow");
    }
    println!("skipped: pip install oem pyarrow (and set COSMODROME_PYTHON) to read the outputs with independent readers");
    None
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python").join(name)
}

fn run_check(python: &str, args: &[&str]) {
    let o = Command::new(python).args(args).output().expect("run python");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
    println!("{stdout}");
}

/// Fly Soyuz-2.1b from Vostochny and write all its outputs, with Parquet, into a temporary directory.
fn write_soyuz(launch_epoch: UtcEpoch) -> tempfile::TempDir {
    let (vehicle, result) = fly_default("soyuz-2.1b", 7_000.0, "vostochny", Some(2.0));
    let dir = tempfile::tempdir().unwrap();
    let summary = RunSummary {
        info: RunInfo {
            vehicle: &vehicle,
            vehicle_id: "soyuz-2.1b",
            site_id: "vostochny",
            launch: launch("vostochny", None),
            inclination_deg: None,
            payload_kg: 7_000.0,
        },
        site_name: "Vostochny",
        notes: Vec::new(),
    };
    let options = OutputOptions { launch_epoch, plots: false, parquet: true, ..OutputOptions::default() };
    write_run(dir.path(), &summary, &result, &options).expect("write_run");
    dir
}

#[test]
fn oem_read_by_the_oem_package_matches_the_csv() {
    let Some(python) = python_with("oem") else { return };
    let epoch: UtcEpoch = "2027-03-14T15:09:26.5Z".parse().unwrap();
    let dir = write_soyuz(epoch);
    run_check(&python, &[script("check_oem.py").to_str().unwrap(), dir.path().to_str().unwrap(), &epoch.ccsds()]);
}

#[test]
fn parquet_read_by_pyarrow_matches_the_csv() {
    let Some(python) = python_with("pyarrow.parquet") else { return };
    let dir = write_soyuz(UtcEpoch::DEFAULT_LAUNCH);
    run_check(&python, &[script("check_parquet.py").to_str().unwrap(), dir.path().to_str().unwrap()]);
}

/// The Monte Carlo impacts table as Parquet (`dropzones --format parquet`) read by pyarrow.
#[test]
fn impacts_parquet_read_by_pyarrow_matches_the_csv() {
    let Some(python) = python_with("pyarrow.parquet") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("dz");
    let o = crate::cli::run(&[
        "dropzones",
        "soyuz-2.1b",
        "--payload-kg",
        "7000",
        "--samples",
        "50",
        "--no-plots",
        "--format",
        "parquet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    run_check(&python, &[script("check_parquet.py").to_str().unwrap(), out.to_str().unwrap(), "impacts"]);
}
