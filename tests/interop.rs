//! Outputs read by independent readers: `trajectory.oem` by the `oem` package and
//! `trajectory.parquet` by pyarrow (both from PyPI), each checked against `trajectory.csv`.
//! The Python scripts live in `tests/python/`, run through `tests/python/harness.rs`:
//! `COSMODROME_PYTHON` names the interpreter (default `python3`); without the modules a test
//! passes after writing why it skipped straight to the terminal (stderr, not libtest's captured
//! output, so `cargo test` shows it), unless `COSMODROME_REQUIRE_PYTHON=1` (as in CI), where it
//! fails. `impacts.parquet`, written by the `dropzones` command, is read the same way by the
//! command-line tests (`crates/cosmodrome-cli/tests/cli/interop.rs`).

use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{utc, write_run, OutputOptions, RunSummary};

use crate::common::{fly_default, launch};

#[path = "python/harness.rs"]
mod harness;
use harness::{python_with, run_check, script};

/// Fly Soyuz-2.1b from Vostochny and write all its outputs, with Parquet, into a temporary directory.
fn write_soyuz(launch_epoch: utc::Epoch) -> tempfile::TempDir {
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
            upper_stage_load_kg: None,
            energy_weave_deg: None,
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
    let Some(python) = python_with("oem", "oem", "oem_read_by_the_oem_package_matches_the_csv") else { return };
    let epoch = utc::parse("2027-03-14T15:09:26.5Z").unwrap();
    let dir = write_soyuz(epoch);
    run_check(&python, &[script("check_oem.py").to_str().unwrap(), dir.path().to_str().unwrap(), &utc::ccsds(epoch)]);
}

/// Launched a minute before the leap second that ended 2016, the OEM's epochs run through
/// 23:59:60, and the reader (astropy time, leap seconds counted) finds every state at its flight
/// time: an OEM that ignored the leap second would put every later state one second off.
#[test]
fn oem_across_a_leap_second_read_by_the_oem_package() {
    let epoch = utc::parse("2016-12-31T23:59:00Z").unwrap();
    let dir = write_soyuz(epoch);
    let text = std::fs::read_to_string(dir.path().join("trajectory.oem")).unwrap();
    // Samples every 2 s: t = 60 s is inside the leap second, t = 62 s one second after midnight.
    assert!(
        text.contains("\n2016-12-31T23:59:60.000000 ") && text.contains("\n2017-01-01T00:00:01.000000 "),
        "no state in the leap second"
    );
    let Some(python) = python_with("oem", "oem", "oem_across_a_leap_second_read_by_the_oem_package") else { return };
    run_check(&python, &[script("check_oem.py").to_str().unwrap(), dir.path().to_str().unwrap(), &utc::ccsds(epoch)]);
}

#[test]
fn parquet_read_by_pyarrow_matches_the_csv() {
    let Some(python) = python_with("pyarrow.parquet", "pyarrow", "parquet_read_by_pyarrow_matches_the_csv") else { return };
    let dir = write_soyuz(utc::default_launch());
    run_check(&python, &[script("check_parquet.py").to_str().unwrap(), dir.path().to_str().unwrap()]);
}
