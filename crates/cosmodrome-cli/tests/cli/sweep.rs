//! `cosmodrome sweep` end to end: the CSV table agrees with `payload`, unreachable points are
//! rows with their reason, `--out DIR` holds the table as CSV and Parquet and the payload chart,
//! and `--vary` sweeps a vehicle-file value.

/// A 2 × 2 grid (the altitudes as a START:END:STEP range): the reachable points carry the
/// payload of `payload --json` (the 600 km point is warm-started from the 200 km one, which
/// agrees with a lone optimization within 1 kg), the inclination outside Vostochny's corridors
/// is a row marked unreachable, and the run succeeds.
#[test]
fn cli_sweep_writes_the_grid_with_unreachable_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chart");
    let o = crate::run(&[
        "sweep",
        "soyuz-2.1b",
        "--site",
        "vostochny",
        "--altitude-km",
        "200:600:400",
        "--inclination-deg",
        "51.9,30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let mut reader = csv::Reader::from_path(out.join("sweep.csv")).expect("sweep.csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    let status: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert_eq!(status, ["ok", "unreachable", "ok", "unreachable"]);
    assert!(rows[1][8].contains("cannot be reached") && rows[1][5].is_empty(), "{:?}", rows[1]);
    let kg = |r: &csv::StringRecord| r[5].parse::<f64>().expect("payload_kg");
    assert!(kg(&rows[2]) < kg(&rows[0]), "higher orbit, smaller payload");
    let p = crate::run(&["payload", "soyuz-2.1b", "--site", "vostochny", "--perigee-km", "600", "--inclination-deg", "51.9", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&p.stdout).expect("payload json");
    assert!((report["payload_kg"].as_f64().unwrap() - kg(&rows[2])).abs() <= 1.0, "{} vs {}", report["payload_kg"], kg(&rows[2]));
    let parquet = std::fs::read(out.join("sweep.parquet")).expect("sweep.parquet");
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
    assert!(std::fs::read(out.join("payload.png")).expect("payload.png").starts_with(b"\x89PNG"));
    let svg = std::fs::read_to_string(out.join("payload.svg")).expect("payload.svg");
    assert!(svg.contains("51.9°") && !svg.contains(">30°<"), "a line for the reached inclination only");
    // One set with its list, no stray temporaries beside the files.
    let mut names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["payload.png", "payload.svg", "run.json", "sweep.csv", "sweep.parquet"]);
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).expect("run.json");
    assert_eq!(run["command"], "sweep");
    let listed: Vec<&str> = run["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(listed, ["sweep.csv", "sweep.parquet", "payload.png", "payload.svg"]);
}

/// `--out` is checked before anything flies, as `fly`'s and `payload`'s are: a directory that
/// holds files of its own (no `run.json` lists them) is refused and left as it was, and so is a
/// system directory.
#[test]
fn cli_sweep_refuses_an_out_directory_that_is_not_a_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let o = crate::run(&["sweep", "soyuz-2.1b", "--altitude-km", "200", "--out", dir.path().to_str().unwrap()]);
    let err = crate::stderr(&o);
    assert!(!o.status.success() && err.contains("holds no run.json"), "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names, ["notes.txt"]);
    let o = crate::run(&["sweep", "soyuz-2.1b", "--altitude-km", "200", "--out", "/proc/x"]);
    let err = crate::stderr(&o);
    assert!(!o.status.success() && err.contains("system directory /proc"), "{err}");
}

/// A range the axis cannot take, an altitude under the ground and an unknown site are refused
/// before anything flies, naming the flag and the rule.
#[test]
fn cli_sweep_refuses_a_bad_range() {
    for (range, why) in [("1000:200:100", "END ≥ START"), ("200:1000:0", "STEP > 0"), ("200:x:100", "`x` is not a number")] {
        let o = crate::run(&["sweep", "soyuz-2.1b", "--altitude-km", range]);
        let err = crate::stderr(&o);
        assert!(!o.status.success() && err.contains("--altitude-km") && err.contains(why), "{range}: {err}");
    }
    // A negative altitude and a mistyped site, named before anything flies.
    let o = crate::run(&["sweep", "soyuz-2.1b", "--altitude-km=-5"]);
    let err = crate::stderr(&o);
    assert!(!o.status.success() && err.contains("invalid --altitude-km: must be above 0 km, got -5"), "{err}");
    let o = crate::run(&["sweep", "soyuz-2.1b", "--site", "vostochny,plesetk"]);
    let err = crate::stderr(&o);
    assert!(!o.status.success() && err.starts_with("error: unknown site `plesetk`; did you mean `plesetsk`?"), "{err}");
    assert!(crate::stdout(&o).is_empty(), "{}", crate::stdout(&o));
    // The same message as `payload` gives.
    let payload = crate::run(&["payload", "soyuz-2.1b", "--site", "plesetk"]);
    assert_eq!(err, crate::stderr(&payload));
}

/// A site file is swept as `payload --site FILE.toml` flies it: its first pad, for every vehicle
/// whatever its family, named by its pad id in the table, the CSV and the JSON report (run.json
/// keeps the path). A missing file and a file with a key missing are refused before anything
/// flies, naming the file and the key, in the words of `payload`.
#[test]
fn cli_sweep_flies_from_a_site_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wallops.toml");
    let pad = crate::WALLOPS_PAD;
    std::fs::write(&file, pad).unwrap();
    let path = file.to_str().unwrap();
    let out = dir.path().join("chart");
    let site = format!("vostochny,{path}");
    let args = ["sweep", "soyuz-2.1b", "--site", &site, "--altitude-km", "300", "--out", out.to_str().unwrap()];
    let o = crate::run(&args);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let mut reader = csv::Reader::from_path(out.join("sweep.csv")).expect("sweep.csv");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let sites: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[1], &r[2], &r[7])).collect();
    assert_eq!(sites, [("vostochny", "vostochny-1s", "ok"), ("wallops-0a", "wallops-0a", "ok")]);
    // Flown from 37.8° N: the lowest inclination is the pad's latitude.
    let inclination: f64 = rows[1][4].parse().expect("inclination");
    assert!((37.8..38.5).contains(&inclination), "{inclination}");
    let kg = |r: &csv::StringRecord| r[5].parse::<f64>().expect("payload_kg");
    assert!(kg(&rows[1]) > kg(&rows[0]), "farther south, more payload: {rows:?}");
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).expect("run.json");
    assert_eq!(run["sites"], serde_json::json!(["vostochny", path]));
    // The table and the report name it alike.
    let o = crate::run(&["sweep", "soyuz-2.1b", "--site", path, "--altitude-km", "300", "--json"]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sweep json");
    let point = &report["points"][0];
    assert_eq!(
        (point["site"].as_str(), point["pad"].as_str(), point["status"].as_str()),
        (Some("wallops-0a"), Some("wallops-0a"), Some("ok"))
    );
    assert_eq!(point["payload_kg"].as_f64(), Some(kg(&rows[1])), "{report}");

    let o = crate::run(&["sweep", "soyuz-2.1b", "--site", "vostochny,no-such-pad.toml"]);
    crate::assert_clean_failure(&o, &["error: invalid --site: site file not found: no-such-pad.toml"]);
    std::fs::write(&file, pad.replace("altitude_m = 0.0\n", "")).unwrap();
    let o = crate::run(&["sweep", "soyuz-2.1b", "--site", path]);
    crate::assert_clean_failure(&o, &["wallops.toml:", "altitude_m"]);
    assert!(crate::stdout(&o).is_empty(), "{}", crate::stdout(&o));
    let payload = crate::run(&["payload", "soyuz-2.1b", "--site", path]);
    assert_eq!(crate::stderr(&o), crate::stderr(&payload));
}

/// A restartable last stage: Vega-C to 200 km flies directly with AVUM+ offloaded, to 700 km
/// by the elliptic profile with it as loaded; the table's `profile` and `upper_stage_load_kg`
/// columns say so, as `payload --json` does, and the printed table notes it.
#[test]
fn cli_sweep_says_how_each_point_flies() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["sweep", "vega-c", "--site", "kourou", "--altitude-km", "200,700", "--inclination-deg", "98.2", "--out"];
    let o = crate::run(&[&args[..], &[dir.path().to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let mut reader = csv::Reader::from_path(dir.path().join("sweep.csv")).expect("sweep.csv");
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} in {headers:?}"));
    let (profile, load) = (column("profile"), column("upper_stage_load_kg"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.iter().map(|r| &r[profile]).collect::<Vec<_>>(), ["direct", "elliptic"], "{rows:?}");
    let low_load_kg: f64 = rows[0][load].parse().expect("the 200 km point's load");
    assert!(low_load_kg > 0.0 && low_load_kg < 740.0, "{low_load_kg} kg of AVUM+'s 740 kg");
    assert!(rows[1][load].is_empty(), "{:?}", rows[1]);
    for (row, altitude_km) in rows.iter().zip(["200", "700"]) {
        let p = crate::run(&["payload", "vega-c", "--site", "kourou", "--perigee-km", altitude_km, "--inclination-deg", "98.2", "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&p.stdout).expect("payload json");
        assert_eq!(report.get("elliptic_transfer").is_some(), &row[profile] == "elliptic", "{altitude_km} km");
    }
    let text = crate::stdout(&o);
    assert!(text.contains("ok: upper stage loaded with") && text.contains("ok: elliptic profile"), "{text}");
}

/// `--vary` sweeps a stage's dry mass: the masses that leave the vehicle short of the orbit or
/// too heavy to lift off are rows with their reason, and the table has the parameter's column.
#[test]
fn cli_sweep_varies_a_vehicle_file_value() {
    let dir = tempfile::tempdir().unwrap();
    let o = crate::run(&[
        "sweep",
        "angara-a5",
        "--inclination-deg",
        "63",
        "--vary",
        "stage.URM-2.dry_mass_kg=4000,100000,400000",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let mut reader = csv::Reader::from_path(dir.path().join("sweep.csv")).expect("sweep.csv");
    assert_eq!(&reader.headers().unwrap()[3], "stage.URM-2.dry_mass_kg");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let values: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert_eq!(values, ["4000", "100000", "400000"]);
    let status: Vec<&str> = rows.iter().map(|r| &r[8]).collect();
    assert_eq!(status, ["ok", "unreachable", "unreachable"]);
    // A 100 t URM-2 falls back before it burns out: the row says the orbit is out of reach
    // (how far short is given only when the last stage burns out short of it).
    assert!(rows[1][9].contains("200 × 200 km at 63.00°"), "{:?}", rows[1]);
    assert!(rows[2][9].contains("cannot lift off"), "{:?}", rows[2]);
    // A stage the file does not have is refused before any flight, naming the file and the stages.
    let bad = crate::run(&["sweep", "angara-a5", "--vary", "stage.URM-3.propellant_mass_kg=1"]);
    assert!(!bad.status.success());
    let e = crate::stderr(&bad);
    assert!(e.contains("angara-a5.toml") && e.contains("URM-3") && e.contains("URM-2"), "{e}");
}

/// A vehicle given twice (the same file by two paths) is refused before any flight, naming the
/// input; values repeated on an axis by overlapping ranges are swept once, and said.
#[test]
fn cli_sweep_refuses_a_repeated_vehicle_and_merges_repeated_values() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-coast.toml");
    let other_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cosmodrome-cli/../../tests/reference/solid-coast.toml");
    let o = crate::run(&["sweep", file.to_str().unwrap(), other_path.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = crate::stderr(&o);
    assert!(e.contains("invalid <VEHICLES>: `") && e.contains("is given twice (as `") && e.contains("give each vehicle once"), "{e}");
    let o = crate::run(&["sweep", "soyuz-2.1b", "angara-a5", "Soyuz-2.1b"]);
    assert!(!o.status.success() && crate::stderr(&o).contains("`Soyuz-2.1b` is given twice (as `soyuz-2.1b`)"), "{}", crate::stderr(&o));
    // 200:400:200,400 gives 400 km twice: one row each, in the order typed, and a note.
    let o = crate::run(&[
        "sweep",
        "soyuz-2.1b",
        "--site",
        "vostochny",
        "--altitude-km",
        "400:600:200,600,400",
        "--inclination-deg",
        "51.9,51.9",
        "--json",
    ]);
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let e = crate::stderr(&o);
    assert!(e.contains("note: --altitude-km: 600, 400 given more than once"), "{e}");
    assert!(e.contains("note: --inclination-deg: 51.9 given more than once"), "{e}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sweep json");
    let points = report["points"].as_array().unwrap();
    let altitudes: Vec<f64> = points.iter().map(|p| p["altitude_km"].as_f64().unwrap()).collect();
    assert_eq!(altitudes, [400.0, 600.0]);
    // A vehicle without a coast range has none.
    assert!(points.iter().all(|p| p["chosen_coast_s"].is_null()), "{points:?}");
}

/// A vehicle whose ascent chooses a coast: every output of the sweep carries the coast chosen
/// (the table's `coast s`, the JSON's and the CSV's `chosen_coast_s`, after the CSV's
/// `main_engine_cutoff_s`), the
/// coast `payload` reports for the same point; the chart names the vehicle by its name.
#[test]
fn cli_sweep_gives_the_chosen_coast() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/solid-coast.toml");
    let vehicle = file.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("coast");
    let grid = ["--site", "cape-canaveral", "--altitude-km", "250", "--inclination-deg", "51.6"];
    let o = crate::run(&[&["sweep", vehicle][..], &grid, &["--out", out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    let text = crate::stdout(&o);
    assert!(text.lines().next().is_some_and(|h| h.contains("coast s") && h.trim_end().ends_with("status")), "{text}");
    let mut reader = csv::Reader::from_path(out.join("sweep.csv")).expect("sweep.csv");
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[12], "chosen_coast_s");
    assert_eq!(&header[11], "main_engine_cutoff_s", "the earlier columns keep their places");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let coast_s: f64 = rows[0][12].parse().expect("a coast");
    let p = crate::run(&[&["payload", vehicle][..], &grid, &["--json"]].concat());
    let report: serde_json::Value = serde_json::from_slice(&p.stdout).expect("payload json");
    assert!((report["chosen_coast"]["coast_s"].as_f64().unwrap() - coast_s).abs() < 0.051, "{} vs {coast_s}", report["chosen_coast"]);
    assert!(text.contains(&format!("{coast_s:.1}")), "{text}");
    let svg = std::fs::read_to_string(out.join("payload.svg")).expect("payload.svg");
    assert!(svg.contains("Payload to circular orbit: Solid coast") && !svg.contains("solid-coast.toml"), "named by the vehicle's name");
}

/// `--inclination-deg sso`: each altitude at its own sun-synchronous inclination, the payload of
/// `payload --orbit sso --altitude-km` there; the table marks the computed inclination, the JSON
/// and the CSV say `sun_synchronous`, the chart draws the points as one line; `sso` twice is merged and
/// said, another word refused naming the flag.
#[test]
fn cli_sweep_takes_the_sun_synchronous_inclination_at_each_altitude() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sso");
    let args = ["sweep", "soyuz-2.1b", "--site", "vostochny", "--altitude-km", "500,800", "--inclination-deg", "sso,SSO", "--cold"];
    let o = crate::run(&[&args[..], &["--json"]].concat());
    assert!(o.status.success(), "{}", crate::stderr(&o));
    assert!(crate::stderr(&o).contains("note: --inclination-deg: sso given more than once"), "{}", crate::stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sweep json");
    let points = report["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    for (p, altitude) in points.iter().zip(["500", "800"]) {
        assert_eq!(p["sun_synchronous"], true, "{p}");
        let lone = crate::run(&["payload", "soyuz-2.1b", "--site", "vostochny", "--orbit", "sso", "--altitude-km", altitude, "--json"]);
        let lone: serde_json::Value = serde_json::from_slice(&lone.stdout).expect("payload json");
        let inclination = |v: &serde_json::Value| v["inclination_deg"].as_f64().unwrap();
        assert!((inclination(p) - inclination(&lone["target"])).abs() < 1e-4, "{p} vs {}", lone["target"]);
        assert!((p["payload_kg"].as_f64().unwrap() - lone["payload_kg"].as_f64().unwrap()).abs() <= 0.1, "{p} vs {lone}");
    }
    let o = crate::run(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    let table = crate::stdout(&o);
    assert!(table.contains("97.40 sso") && table.contains("98.60 sso"), "{table}");
    let svg = std::fs::read_to_string(out.join("payload.svg")).expect("payload.svg");
    assert!(svg.contains("sun-synchronous") && !svg.contains("97.40"), "one line, named");
    // The tables say it too, in their column after the coast.
    let mut reader = csv::Reader::from_path(out.join("sweep.csv")).expect("sweep.csv");
    assert_eq!(reader.headers().unwrap().get(13), Some("sun_synchronous"));
    let flags: Vec<String> = reader.records().map(|r| r.expect("row")[13].to_owned()).collect();
    assert_eq!(flags, ["true", "true"]);
    let o = crate::run(&["sweep", "soyuz-2.1b", "--inclination-deg", "sun"]);
    let err = crate::stderr(&o);
    assert!(!o.status.success() && err.contains("--inclination-deg") && err.contains("or `sso`"), "{err}");
}
