//! Output hygiene: the trajectory table of every catalog vehicle has exactly the contract's
//! columns and no NaN or infinity anywhere; `events.json` parses and carries every separation.

use cosmodrome_io::report::{events_json_bytes, RunInfo};
use cosmodrome_io::trajectory_csv::{trajectory_csv, COLUMNS};

use crate::common::{fly_default, launch};

#[test]
fn no_nan_in_trajectory_csv_of_any_catalog_vehicle() {
    for id in cosmodrome::vehicle::catalog_ids() {
        let payload = if id == "angara-a5" { 20_000.0 } else { 2_000.0 };
        let (vehicle, result) = fly_default(id, payload, "vostochny", Some(1.0));
        let bytes = trajectory_csv(&result).expect("csv");
        let text = String::from_utf8(bytes).expect("utf-8");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
        assert_eq!(header, COLUMNS.to_vec(), "{id}");
        let mut rows = 0;
        let mut last_time = -1.0;
        for record in reader.records() {
            let record = record.expect("row");
            assert_eq!(record.len(), COLUMNS.len());
            for (k, cell) in record.iter().take(12).enumerate() {
                let value: f64 = cell.parse().unwrap_or_else(|_| panic!("{id}: {} = {cell:?}", COLUMNS[k]));
                assert!(value.is_finite(), "{id}: {} = {cell}", COLUMNS[k]);
            }
            let t: f64 = record[0].parse().unwrap();
            assert!(t >= last_time, "{id}: time goes back at {t}");
            last_time = t;
            assert!(!record[12].is_empty());
            rows += 1;
        }
        assert!(rows > 100, "{id}: only {rows} rows");

        let run = RunInfo {
            vehicle: &vehicle,
            vehicle_id: id,
            site_id: "vostochny",
            launch: launch("vostochny", None),
            inclination_deg: None,
            payload_kg: payload,
        };
        let json: serde_json::Value = serde_json::from_slice(&events_json_bytes(&run, &result).expect("json")).expect("valid JSON");
        let separations = json["events"].as_array().unwrap().iter().filter(|e| e["event"] == "separation").count();
        assert_eq!(separations, result.jettisoned.iter().filter(|j| j.stage.is_some()).count(), "{id}");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{id}");
    }
}
