//! `cosmodrome sweep` end to end: the CSV table agrees with `payload`, unreachable points are
//! rows with their reason.

/// A 2 × 2 grid: the reachable points carry the payload of `payload --json` (to 0.1 kg), the
/// inclination outside Vostochny's corridors is a row marked unreachable, and the run succeeds.
#[test]
fn cli_sweep_writes_the_grid_with_unreachable_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.csv");
    let o = crate::run(&[
        "sweep",
        "soyuz-2.1b",
        "--site",
        "vostochny",
        "--altitude-km",
        "200,600",
        "--inclination-deg",
        "51.9,30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let mut reader = csv::Reader::from_path(&out).expect("sweep.csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    let status: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert_eq!(status, ["ok", "unreachable", "ok", "unreachable"]);
    assert!(rows[1][8].contains("cannot be reached") && rows[1][5].is_empty(), "{:?}", rows[1]);
    let kg = |r: &csv::StringRecord| r[5].parse::<f64>().expect("payload_kg");
    assert!(kg(&rows[2]) < kg(&rows[0]), "higher orbit, smaller payload");
    let p = crate::run(&["payload", "soyuz-2.1b", "--site", "vostochny", "--perigee-km", "600", "--inclination-deg", "51.9", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&p.stdout).expect("payload json");
    assert!((report["payload_kg"].as_f64().unwrap() - kg(&rows[2])).abs() <= 0.1, "{} vs {}", report["payload_kg"], kg(&rows[2]));
}
