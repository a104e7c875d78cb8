//! Output hygiene: the trajectory table of every catalog vehicle has exactly the contract's
//! columns and no NaN or infinity anywhere; `events.json` parses and carries every separation;
//! `write_run` writes every output as one set listed in `run.json` with matching hashes, the OEM
//! lists every state, the report stands alone and lists the set and the impact points, plot
//! labels keep clear of each other, the track and the edges, a track's end is marked on it
//! however far round it runs, and a non-finite state stops every writer.

use cosmodrome::dropzone::{nominal_impacts, FallOptions};
use cosmodrome::flight::FlightOptions;
use cosmodrome_io::atomic::sha256_hex;
use cosmodrome_io::oem::{oem_kvn, OemOptions};
use cosmodrome_io::parquet::{parquet_bytes, trajectory_columns};
use cosmodrome_io::plots::{
    ground_track_labels, ground_track_plot, profile_labels, profile_plot, profile_series, PlotFormat, GROUND_TRACK_SIZE_PX, PROFILE_SIZE_PX,
};
use cosmodrome_io::report::{events_json_bytes, RunInfo};
use cosmodrome_io::trajectory_csv::{trajectory_csv, COLUMNS};
use cosmodrome_io::{utc, write_run, OutputOptions, RunSummary};

use crate::common::{fly_default, launch, saturn_v_escape};

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
            // The IIP: three numbers or three empty cells.
            let iip: Vec<&str> = record.iter().skip(13).collect();
            assert!(
                iip.iter().all(|c| c.is_empty()) || iip.iter().all(|c| c.parse::<f64>().is_ok_and(f64::is_finite)),
                "{id}: IIP cells {iip:?} at t = {t} s"
            );
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
            upper_stage_load_kg: None,
            energy_weave_deg: None,
        };
        let json: serde_json::Value = serde_json::from_slice(&events_json_bytes(&run, &result).expect("json")).expect("valid JSON");
        // Every body a stage leaves behind: the stage at its separation, a drop tank when empty.
        let separations =
            json["events"].as_array().unwrap().iter().filter(|e| e["event"] == "separation" || e["event"] == "tank_drop").count();
        assert_eq!(separations, result.jettisoned.iter().filter(|j| j.stage.is_some()).count(), "{id}");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{id}");
    }
}

/// The run of the outputs tests: Angara-A5 from Vostochny, samples every second.
fn angara_run() -> (cosmodrome::vehicle::Vehicle, cosmodrome::flight::FlightResult) {
    fly_default("angara-a5", 20_000.0, "vostochny", Some(1.0))
}

fn summary<'a>(vehicle: &'a cosmodrome::vehicle::Vehicle) -> RunSummary<'a> {
    RunSummary {
        info: RunInfo {
            vehicle,
            vehicle_id: "angara-a5",
            site_id: "vostochny",
            launch: launch("vostochny", None),
            inclination_deg: None,
            payload_kg: 20_000.0,
            upper_stage_load_kg: None,
            energy_weave_deg: None,
        },
        site_name: "Vostochny <test & check>",
        notes: vec!["a note".to_owned()],
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR", "not a PNG");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn write_run_writes_every_output_and_a_self_contained_report() {
    let (vehicle, result) = angara_run();
    let dir = tempfile::tempdir().unwrap();
    let sep = result.jettisoned[0].point;
    let zone = (
        "zone of the boosters".to_owned(),
        vec![
            (sep.longitude_deg + 3.0, sep.latitude_deg),
            (sep.longitude_deg + 4.0, sep.latitude_deg + 0.5),
            (sep.longitude_deg + 5.0, sep.latitude_deg),
        ],
    );
    let s = summary(&vehicle);
    let impacts = nominal_impacts(&vehicle, &s.info.launch, &result.jettisoned, None, &FallOptions::default()).unwrap();
    let options = OutputOptions {
        parquet: true,
        drop_zones: vec![zone],
        impacts: impacts.clone(),
        extra_files: vec![("payload.json".to_owned(), b"{}\n".to_vec())],
        record: serde_json::json!({ "command": "test", "vehicle": { "id": "angara-a5" } }),
        ..OutputOptions::default()
    };
    let written = write_run(dir.path(), &s, &result, &options).expect("write_run");
    let names: Vec<String> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "payload.json",
            "trajectory.csv",
            "events.json",
            "trajectory.oem",
            "trajectory.parquet",
            "iip.geojson",
            "iip.kml",
            "profile.png",
            "ground_track.png",
            "profile.svg",
            "ground_track.svg",
            "report.html",
            "run.json"
        ]
    );
    // Only the written files, no temporaries, and nothing left beside the directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), names.len());
    let beside: Vec<_> = std::fs::read_dir(dir.path().parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{}.", dir.path().file_name().unwrap().to_string_lossy())))
        .collect();
    assert!(beside.is_empty(), "staging leftovers {beside:?}");

    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert_eq!(png_size(&read("profile.png")), PROFILE_SIZE_PX);
    assert_eq!(png_size(&read("ground_track.png")), GROUND_TRACK_SIZE_PX);
    let track_svg = String::from_utf8(read("ground_track.svg")).unwrap();
    assert!(track_svg.starts_with("<svg") && track_svg.trim_end().ends_with("</svg>"));
    // Coastlines of the region (Sakhalin, Hokkaido, Kamchatka…) are drawn, and the zone is named.
    assert!(track_svg.matches("<polyline").count() > 10, "too few lines");
    assert!(track_svg.contains("zone of the boosters") && track_svg.contains("vostochny"));
    let profile_svg = String::from_utf8(read("profile.svg")).unwrap();
    for label in ["altitude, km", "dynamic pressure, kPa", "axial acceleration, g", "mass, t", "URM-1 boosters sep.", "fairing"] {
        assert!(profile_svg.contains(label), "profile lacks {label}");
    }

    let html = String::from_utf8(read("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<svg").count(), 2, "both plots inline");
    let outside: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 30).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(outside.is_empty(), "the report refers outside itself: {outside:?}");
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
    assert!(html.contains("Vostochny &lt;test &amp; check&gt;"), "site name escaped");
    for e in &result.events {
        assert!(html.contains(&e.description), "report lacks {}", e.description);
    }
    assert!(html.contains("2026-01-01T00:00:00Z") && html.contains("perigee"));
    // The report lists every file of the set and every impact point.
    for name in &names {
        assert!(html.contains(&format!("<a href=\"{name}\">")), "report does not list {name}");
    }
    assert!(html.contains("<h2>Impact points</h2>"));
    for n in &impacts {
        let i = n.impact().expect("every body of this ascent comes down");
        assert!(html.contains(&n.name) && html.contains(&format!("{:.4}", i.latitude_deg)), "report lacks the impact of {}", n.name);
    }
    assert!(track_svg.contains("nominal impact") && track_svg.contains("3σ impact ellipse"), "legend");
    // The vacuum IIP: on the ground track (legend) and in the report.
    assert!(track_svg.contains("vacuum impact point (IIP)") && html.contains("<h2>Instantaneous impact point</h2>"), "IIP");

    // run.json: versions, the record, and every other file with its true size and SHA-256.
    let record: serde_json::Value = serde_json::from_slice(&read("run.json")).unwrap();
    assert_eq!(record["format_version"], 1);
    assert_eq!(record["cosmodrome_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(record["command"], "test");
    assert_eq!(record["vehicle"]["id"], "angara-a5");
    let files = record["files"].as_array().unwrap();
    let listed: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(listed, names[..names.len() - 1].iter().map(String::as_str).collect::<Vec<_>>());
    for f in files {
        let bytes = read(f["name"].as_str().unwrap());
        assert_eq!(f["size_bytes"].as_u64().unwrap(), bytes.len() as u64, "{f}");
        assert_eq!(f["sha256"].as_str().unwrap(), sha256_hex(&bytes), "{f}");
    }

    // In memory (`cosmodrome serve`'s downloads): the same files, byte for byte, in the same order.
    let in_memory = cosmodrome_io::run_files(&s, &result, &options).expect("run_files");
    assert_eq!(in_memory.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), names.iter().map(String::as_str).collect::<Vec<_>>());
    for (name, bytes) in &in_memory {
        assert!(*bytes == read(name), "{name} differs in memory");
    }
}

#[test]
fn plot_labels_keep_clear_of_each_other_the_track_and_the_edges() {
    let (vehicle, result) = angara_run();
    let s = summary(&vehicle);
    let impacts: Vec<(String, (f64, f64))> = nominal_impacts(&vehicle, &s.info.launch, &result.jettisoned, None, &FallOptions::default())
        .unwrap()
        .iter()
        .filter_map(|n| n.impact().map(|i| (n.name.clone(), (i.longitude_deg, i.latitude_deg))))
        .collect();
    assert_eq!(impacts.len(), result.jettisoned.len());
    let (labels, image) = ground_track_labels(&s.info, &result, &[], &[], &impacts).unwrap();
    // Site, end, every separation and every impact.
    assert_eq!(labels.len(), 2 + result.jettisoned.len() + impacts.len());
    for (i, a) in labels.iter().enumerate() {
        let r = a.placed.rect;
        assert_eq!(a.placed.penalty, 0.0, "{} collides with the track, a marker or a label", a.text);
        assert!(r.x0 >= image.x0 && r.y0 >= image.y0 && r.x1 <= image.x1 && r.y1 <= image.y1, "{} is clipped: {r:?}", a.text);
        for b in &labels[i + 1..] {
            let q = b.placed.rect;
            let apart = r.x1 <= q.x0 || q.x1 <= r.x0 || r.y1 <= q.y0 || q.y1 <= r.y0;
            assert!(apart, "{} overlaps {}", a.text, b.text);
        }
    }
    // The staging labels of the profile: beside their lines, clear of the altitude curve (a
    // crossing costs 100; a neighbour's thin event line 1) and of each other, inside the image.
    let (labels, image) = profile_labels(&s.info, &result).unwrap();
    assert!(labels.len() >= 4, "{labels:?}");
    for (i, a) in labels.iter().enumerate() {
        let r = a.placed.rect;
        assert!(a.placed.penalty < 100.0, "{} crosses the curve: {:?}", a.text, a.placed);
        assert!(r.x0 >= image.x0 && r.y0 >= image.y0 && r.x1 <= image.x1 && r.y1 <= image.y1, "{} is clipped: {r:?}", a.text);
        for b in &labels[i + 1..] {
            let q = b.placed.rect;
            assert!(r.x1 <= q.x0 || q.x1 <= r.x0 || r.y1 <= q.y0 || q.y1 <= r.y0, "{} overlaps {}", a.text, b.text);
        }
    }
}

#[test]
fn the_profile_draws_the_peaks_between_samples() {
    // Sampled every 10 s, Angara-A5's boosters burn out at 4.6 g between samples near 4.2 and
    // 1.4 g: the plotted line must pass through every event's state, in time order.
    let (vehicle, result) = fly_default("angara-a5", 20_000.0, "vostochny", Some(10.0));
    let mut s = summary(&vehicle);
    s.info.payload_kg = 20_000.0;
    let series = profile_series(&s.info, &result).unwrap();
    let accel = &series.iter().find(|(panel, _, _)| panel.starts_with("axial acceleration")).expect("acceleration panel").2;
    assert!(accel.windows(2).all(|w| w[0].0 <= w[1].0), "the line goes back in time");
    for e in &result.events {
        let drawn = accel.iter().any(|&(t, g)| t == e.point.time_s && g == e.point.axial_accel_g);
        assert!(drawn, "{} at {:.3} s ({:.3} g) is not on the line", e.description, e.point.time_s, e.point.axial_accel_g);
    }
    let peak_drawn = accel.iter().map(|p| p.1).fold(0.0, f64::max);
    let peak_flown = result.events.iter().map(|e| e.point.axial_accel_g).fold(0.0, f64::max);
    let peak_sampled = result.samples.iter().map(|p| p.point.axial_accel_g).fold(0.0, f64::max);
    assert!(peak_flown > peak_sampled + 0.1, "the samples already hold the peak: {peak_sampled} against {peak_flown} g");
    assert_eq!(peak_drawn, peak_flown);
}

#[test]
fn oem_lists_samples_and_events_in_increasing_epochs() {
    let (_, result) = angara_run();
    let options = OemOptions {
        launch_epoch: utc::parse("2026-05-01T10:00:00Z").unwrap(),
        creation_date: utc::default_launch(),
        object_name: "Angara-A5".to_owned(),
        object_id: "SIM-ANGARA-A5".to_owned(),
        originator: "COSMODROME".to_owned(),
    };
    let text = String::from_utf8(oem_kvn(&result, &options).unwrap()).unwrap();
    for key in [
        "CCSDS_OEM_VERS = 2.0",
        "REF_FRAME = ITRF2000",
        "CENTER_NAME = EARTH",
        "TIME_SYSTEM = UTC",
        "START_TIME = 2026-05-01T10:00:00.000000",
    ] {
        assert!(text.lines().any(|l| l == key), "missing {key}");
    }
    let data: Vec<Vec<&str>> = text.lines().filter(|l| l.starts_with("2026-")).map(|l| l.split(' ').collect()).collect();
    assert!(data.iter().all(|f| f.len() == 7 && f[1..].iter().all(|v| v.parse::<f64>().is_ok_and(f64::is_finite))));
    assert!(data.windows(2).all(|w| w[0][0] < w[1][0]), "epochs increase strictly");
    // Every sample and every event time is there (as seconds after 10:00:00 on that day).
    let seconds = |epoch: &str| -> f64 {
        let clock = &epoch[11..];
        let h: f64 = clock[0..2].parse().unwrap();
        let m: f64 = clock[3..5].parse().unwrap();
        let s: f64 = clock[6..].parse().unwrap();
        (h - 10.0) * 3600.0 + m * 60.0 + s
    };
    let times: Vec<f64> = data.iter().map(|f| seconds(f[0])).collect();
    for t in result.samples.iter().map(|s| s.point.time_s).chain(result.events.iter().map(|e| e.point.time_s)) {
        assert!(times.iter().any(|x| (x - t).abs() < 1e-6), "no state at t = {t}");
    }
    // The first state is on the pad: at the site's Earth-fixed position, at rest.
    let first: Vec<f64> = data[0][1..].iter().map(|v| v.parse().unwrap()).collect();
    let r_km = (first[0].powi(2) + first[1].powi(2) + first[2].powi(2)).sqrt();
    assert!((6355.0..6370.0).contains(&r_km), "{r_km}");
    assert!(first[3..].iter().all(|v| v.abs() < 1e-9), "{first:?}");
}

#[test]
fn no_output_is_written_from_a_non_finite_state() {
    let (vehicle, mut result) = angara_run();
    let k = result.samples.len() / 2;
    result.samples[k].point.position_eci_m.x = f64::NAN;
    result.samples[k].point.altitude_m = f64::NAN;
    let options = OemOptions {
        launch_epoch: utc::default_launch(),
        creation_date: utc::default_launch(),
        object_name: "x".to_owned(),
        object_id: "x".to_owned(),
        originator: "x".to_owned(),
    };
    let e = oem_kvn(&result, &options).unwrap_err().to_string();
    assert!(e.contains("trajectory.oem") && e.contains("non-finite"), "{e}");
    let s = summary(&vehicle);
    let e = profile_plot(&s.info, &result, PlotFormat::Png).unwrap_err().to_string();
    assert!(e.contains("profile.png") && e.contains("not finite"), "{e}");
    let e = parquet_bytes("trajectory.parquet", &trajectory_columns(&result)).unwrap_err().to_string();
    assert!(e.contains("trajectory.parquet") && e.contains("altitude_m") && e.contains(&format!("row {k}")), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let e = write_run(dir.path(), &s, &result, &OutputOptions::default()).unwrap_err().to_string();
    assert!(e.contains("trajectory.csv") && e.contains("altitude_m"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
    let beside = std::fs::read_dir(dir.path().parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with(&format!(".{}.", dir.path().file_name().unwrap().to_string_lossy())));
    assert!(!beside, "the staging directory is removed");
}

#[test]
fn a_flight_without_samples_still_gets_every_output() {
    let (vehicle, result) = fly_default("angara-a5", 20_000.0, "vostochny", None);
    assert!(result.samples.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let written = write_run(dir.path(), &summary(&vehicle), &result, &OutputOptions::default()).expect("write_run");
    assert_eq!(written.len(), 11, "with run.json");
    let oem = std::fs::read_to_string(dir.path().join("trajectory.oem")).unwrap();
    let mut times: Vec<f64> = result.events.iter().map(|e| e.point.time_s).chain([result.final_point.time_s]).collect();
    times.dedup();
    assert_eq!(oem.lines().filter(|l| l.starts_with("2026-01-01T")).count(), times.len(), "one state per event time:\n{oem}");
}

#[test]
fn a_ground_track_across_the_antimeridian_stays_in_one_piece() {
    let (vehicle, mut result) = angara_run();
    // Move the whole flight 50° east: the track now runs from 178° E to 142° W.
    let shift = |lon: f64| (lon + 50.0 + 180.0).rem_euclid(360.0) - 180.0;
    for s in &mut result.samples {
        s.point.longitude_deg = shift(s.point.longitude_deg);
    }
    for e in &mut result.events {
        e.point.longitude_deg = shift(e.point.longitude_deg);
    }
    for b in &mut result.jettisoned {
        b.point.longitude_deg = shift(b.point.longitude_deg);
    }
    result.final_point.longitude_deg = shift(result.final_point.longitude_deg);
    let mut s = summary(&vehicle);
    s.info.launch.longitude_deg = shift(s.info.launch.longitude_deg);
    let svg = String::from_utf8(ground_track_plot(&s.info, &result, &[], &[], PlotFormat::Svg).unwrap()).unwrap();
    // Ticks either side of the antimeridian, and the window is the track's region, not the world.
    let labels: Vec<&str> = svg.lines().filter(|l| l.ends_with("°E") || l.ends_with("°W") || l.ends_with("°")).collect();
    assert!(labels.contains(&"175°E") && labels.contains(&"180°") && labels.contains(&"150°W"), "tick labels {labels:?}");
    assert!(!svg.contains("0°<") && !svg.contains("90°E<"), "the window spans the world");
    // The track is one polyline whose x coordinates move steadily east (no jump across the map).
    let track = svg.split("<polyline").find(|p| p.contains("stroke=\"#C81E1E\"")).expect("track polyline");
    let points = track.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
    let xs: Vec<f64> = points.split_whitespace().map(|p| p.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(xs.len() > 100 && xs.windows(2).all(|w| (w[1] - w[0]).abs() < 20.0), "track jumps");
}

proptest::proptest! {
    /// Whatever the user types as `--launch-utc`, parsing answers without panicking.
    #[test]
    fn epoch_parsing_never_panics(text in "\\PC{0,40}") {
        let _ = utc::parse(&text);
    }

    /// Every valid epoch survives both of its text forms exactly.
    #[test]
    fn valid_epochs_round_trip(y in 1i32..=9999, mo in 1u8..=12, d in 1u8..=28, h in 0u8..24, mi in 0u8..60, s in 0u8..60, us in 0u32..1_000_000) {
        let e = utc::Epoch::from_gregorian_utc(y, mo, d, h, mi, s, us * 1000);
        proptest::prop_assert_eq!(utc::parse(&utc::ccsds(e)).unwrap(), e);
        proptest::prop_assert_eq!(utc::parse(&utc::iso(e)).unwrap(), e);
    }
}

/// The mission timeline of Angara-A5/Briz-M to GSO (hours of coasts, five Briz-M burns, the APT
/// dropped): an ascent has none, the mission has one; its labels (every burn with its Δv, the
/// coasts, the tank drop) and the ground track's, on the whole map, keep clear of each other
/// and inside the image.
#[test]
fn mission_timeline_labels_keep_clear_of_each_other_and_the_edges() {
    use cosmodrome::flight::FlightOptions;
    use cosmodrome::guidance::Branch;
    use cosmodrome::optimize::payload::TargetOrbit;
    use cosmodrome::optimize::transfer::{maximize_transfer_payload, Transfer, TransferTarget};
    use cosmodrome_io::plots::{has_mission_timeline, timeline_labels};

    let (vehicle, result) = angara_run();
    assert!(!has_mission_timeline(&summary(&vehicle).info, &result), "an ascent coasts nowhere");

    let (briz, _) = cosmodrome::vehicle::resolve_vehicle("angara-a5-briz-m").unwrap();
    let sites = cosmodrome::vehicle::SiteCatalog::builtin().unwrap();
    let vostochny = sites.get("vostochny").unwrap();
    let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    let options = FlightOptions { sample_interval_s: Some(10.0), ..FlightOptions::default() };
    let s = maximize_transfer_payload(
        &Transfer { vehicle: &briz, site: vostochny, parking, target: TransferTarget::Gso, branch: Branch::Northbound, options },
        &mut |_| {},
    )
    .unwrap();
    let info = RunInfo {
        vehicle: &briz,
        vehicle_id: "angara-a5-briz-m",
        site_id: "vostochny",
        launch: s.launch,
        inclination_deg: Some(51.9),
        payload_kg: s.payload_kg,
        upper_stage_load_kg: None,
        energy_weave_deg: None,
    };
    assert!(has_mission_timeline(&info, &s.flight));
    let check = |labels: &[cosmodrome_io::plots::MapLabel], image: cosmodrome_io::plots::LabelBox, what: &str| {
        for (i, a) in labels.iter().enumerate() {
            let r = a.placed.rect;
            assert_eq!(a.placed.penalty, 0.0, "{what}: {} collides", a.text);
            assert!(r.x0 >= image.x0 && r.y0 >= image.y0 && r.x1 <= image.x1 && r.y1 <= image.y1, "{what}: {} is clipped: {r:?}", a.text);
            for b in &labels[i + 1..] {
                let q = b.placed.rect;
                assert!(r.x1 <= q.x0 || q.x1 <= r.x0 || r.y1 <= q.y0 || q.y1 <= r.y0, "{what}: {} overlaps {}", a.text, b.text);
            }
        }
    };
    let (labels, image) = timeline_labels(&info, &s.flight).unwrap();
    for b in &s.burn_reports {
        assert!(labels.iter().any(|l| l.text.starts_with(&format!("burn {} ·", b.burn))), "burn {} unlabelled: {labels:?}", b.burn);
    }
    assert_eq!(labels.iter().filter(|l| l.text.ends_with(" min")).count(), s.coasts.len() + 1, "{labels:?}");
    assert!(labels.iter().any(|l| l.text == "Briz-M APT drop"), "{labels:?}");
    check(&labels, image, "timeline");
    let (labels, image) = ground_track_labels(&info, &s.flight, &[], &[], &[]).unwrap();
    assert!(labels.iter().filter(|l| l.text.contains("Briz-M burn")).count() >= s.burn_reports.len() - 1, "{labels:?}");
    for l in &labels {
        let r = l.placed.rect;
        assert!(r.x0 >= image.x0 && r.y0 >= image.y0 && r.x1 <= image.x1 && r.y1 <= image.y1, "{} is clipped: {r:?}", l.text);
    }
}

/// A track that runs more than half-way round from its site without going round the Earth (the
/// Saturn V's escape from Kennedy: the S-IVB restarts over the Pacific, some 270° east) is drawn
/// on a window unwrapped from the site, and its end is marked where the track ends, beside the
/// last burn, not a turn away at the window's edge.
#[test]
fn the_end_of_a_track_past_half_way_round_is_marked_on_it() {
    let (vehicle, _, found) = saturn_v_escape(FlightOptions { sample_interval_s: Some(10.0), ..FlightOptions::default() });
    let info = RunInfo {
        vehicle: &vehicle,
        vehicle_id: "saturn-v",
        site_id: "kennedy-lc39a",
        launch: launch("kennedy", None),
        inclination_deg: None,
        payload_kg: found.payload_kg(),
        upper_stage_load_kg: None,
        energy_weave_deg: None,
    };
    let (labels, _) = ground_track_labels(&info, found.flight(), &[], &[], &[]).unwrap();
    let anchor = |text: &str| labels.iter().find(|l| l.text == text).unwrap_or_else(|| panic!("no `{text}` label: {labels:?}")).anchor;
    let (end, burn) = (anchor("insertion"), anchor("S-IVB burn 2"));
    assert!((end.0 - burn.0).hypot(end.1 - burn.1) < 150.0, "insertion marked at {end:?}, the last burn's middle at {burn:?}");
}
