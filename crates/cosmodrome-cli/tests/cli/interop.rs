//! Files of the command read by independent readers (`tests/python/` of the workspace, through its
//! `harness.rs`, so these tests skip and require exactly as the integration tests do).

#[path = "../../../../tests/python/harness.rs"]
pub(crate) mod harness;
use harness::{python_with, run_check, script};

/// The Monte Carlo impacts table as Parquet (`dropzones --format parquet`) read by pyarrow.
#[test]
fn impacts_parquet_read_by_pyarrow_matches_the_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("dz");
    let o = crate::run(&[
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
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(out.join("impacts.parquet").is_file(), "impacts.parquet missing");
    let Some(python) = python_with("pyarrow.parquet", "pyarrow", "impacts_parquet_read_by_pyarrow_matches_the_csv") else { return };
    run_check(&python, &[script("check_parquet.py").to_str().unwrap(), out.to_str().unwrap(), "impacts"]);
}
