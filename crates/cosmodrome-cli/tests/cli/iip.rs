//! `fly --out` writes the vacuum instantaneous-impact-point trace: the IIP columns of
//! `trajectory.csv`, `iip.geojson` and `iip.kml`, listed in `run.json`.

use crate::{run, stderr};

#[test]
fn fly_out_writes_the_iip_trace_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("electron");
    let o = run(&["fly", "electron", "--site", "mahia", "--payload-kg", "150", "--no-plots", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let listed: Vec<&str> = run_json["files"].as_array().unwrap().iter().filter_map(|f| f["name"].as_str()).collect();
    for name in ["iip.geojson", "iip.kml"] {
        assert!(out.join(name).is_file() && listed.contains(&name), "{name} not written or not listed: {listed:?}");
    }

    let csv = std::fs::read_to_string(out.join("trajectory.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",stage,iip_latitude_deg,iip_longitude_deg,iip_downrange_km"));
    // Liftoff: an IIP on the pad. The last row (in orbit): none.
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first.len(), 16);
    assert!(first[15].parse::<f64>().unwrap() < 2.0, "{first:?}");
    let last: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    assert_eq!(last[13..], ["", "", ""], "{last:?}");

    let geojson: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("iip.geojson")).unwrap()).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    let features = geojson["features"].as_array().unwrap();
    assert!(!features.is_empty() && features.iter().all(|f| f["geometry"]["type"] == "LineString"), "{geojson}");
    let kml = std::fs::read_to_string(out.join("iip.kml")).unwrap();
    assert!(kml.contains("<kml") && kml.matches("<LineString>").count() == features.len(), "{kml}");
}
