//! The API against a real server on 127.0.0.1 (an ephemeral port), through a plain HTTP client.

#[path = "../../../tests/python/harness.rs"]
mod harness;

use std::time::{Duration, Instant};

use cosmodrome_server::Limits;
use serde_json::{json, Value};

/// A server on 127.0.0.1:0 in a thread of its own; its base URL. It lives until the test ends.
fn start(limits: Limits) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(cosmodrome_server::serve_on(listener, limits, std::future::pending())).unwrap();
    });
    format!("http://{addr}")
}

/// A client that takes an error status for an answer.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(600))).http_status_as_error(false).build().into()
}

/// Status and JSON body of a request (an error status is an answer too).
fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
    let mut resp = r.unwrap_or_else(|e| panic!("transport error: {e}"));
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

/// Poll the job at `href` every `every` until its status satisfies `reached`, within `limit`;
/// every status seen before must satisfy `on_the_way` (the states the job may pass through).
/// The status that satisfied `reached`.
fn wait_for(
    base: &str,
    href: &str,
    limit: Duration,
    every: Duration,
    reached: impl Fn(&Value) -> bool,
    on_the_way: impl Fn(&Value) -> bool,
) -> Value {
    let t = Instant::now();
    loop {
        let (_, s) = get(base, href);
        if reached(&s) {
            return s;
        }
        assert!(on_the_way(&s), "unexpected status on the way: {s}");
        assert!(t.elapsed() < limit, "not reached after {:?}: {s}", t.elapsed());
        std::thread::sleep(every);
    }
}

/// `DELETE` the job at `href` and wait for it to leave `running` (its computing state), within
/// 10 s: the time of the cancel and the job's last status.
fn cancel(base: &str, href: &str, running: &str) -> (Instant, Value) {
    let t = Instant::now();
    let (status, _) = answer(agent().delete(&format!("{base}{href}")).call());
    assert_eq!(status, 200);
    let s = wait_for(base, href, Duration::from_secs(10), Duration::from_millis(20), |s| s["state"] != running, |_| true);
    (t, s)
}

/// A drop-zone request whose ascent optimization lasts seconds (Electron/Curie to a 500 km SSO,
/// its kick stage's load searched) before a Monte Carlo of minutes: long enough to be caught
/// in either phase.
const LONG_ASCENT_DROPZONES: &str =
    r#"{"vehicle":"electron-curie","site":"mahia","perigee_km":500,"inclination_deg":97.4,"samples":100000}"#;

fn get(base: &str, path: &str) -> (u16, Value) {
    answer(agent().get(&format!("{base}{path}")).call())
}

fn post(base: &str, path: &str, body: &str) -> (u16, Value) {
    answer(agent().post(&format!("{base}{path}")).header("content-type", "application/json").send(body))
}

/// Equal JSON, numbers to 1e-12 relative (serde_json reads the last digit of a float back
/// approximately without its `float_roundtrip` feature).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

#[test]
fn catalog_sites_and_info_match_the_core() {
    let base = start(Limits::default());
    let (status, vehicles) = get(&base, "/api/vehicles");
    assert_eq!(status, 200);
    let ids: Vec<&str> = vehicles.as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, cosmodrome::vehicle::catalog_ids());

    let (status, sites) = get(&base, "/api/sites");
    assert_eq!(status, 200);
    let vostochny: Vec<&Value> = sites.as_array().unwrap().iter().filter(|s| s["cosmodrome"] == "vostochny").collect();
    assert!(!vostochny.is_empty(), "{sites}");
    assert!(vostochny[0]["latitude_deg"].as_f64().unwrap() > 51.0);

    let (status, info) = get(&base, "/api/vehicles/soyuz-2.1b");
    assert_eq!(status, 200);
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("soyuz-2.1b").unwrap();
    let expected = serde_json::to_value(cosmodrome::mission::info(&vehicle, 0.0).unwrap()).unwrap();
    assert!(same(&info, &expected), "{info}\n{expected}");

    let (status, err) = get(&base, "/api/vehicles/soyuz-9");
    assert_eq!(status, 404);
    assert_eq!(err["field"], "vehicle");
    assert!(err["known"].as_array().unwrap().iter().any(|k| k == "soyuz-2.1b"), "{err}");
}

/// `GET /api/validate` answers the core's validation report of the built-in tables (what
/// `cosmodrome validate --json` prints), the same when asked again (it is kept).
#[test]
fn validate_answers_the_core_report() {
    let base = start(Limits::default());
    let (status, report) = get(&base, "/api/validate");
    assert_eq!(status, 200, "{report}");
    let tables = cosmodrome::mission::validate::builtin_tables();
    let expected = serde_json::to_value(cosmodrome::mission::validate::validate_tables(&tables, |_| {}).unwrap()).unwrap();
    assert!(same(&report, &expected), "{report}");
    assert!(report["cases"].as_array().is_some_and(|c| c.len() >= 20) && report["trajectories"].is_array(), "{report}");
    let (status, again) = get(&base, "/api/validate");
    assert_eq!((status, &again), (200, &report));
}

/// The payload answer is the core's report, the same the CLI prints with --json; it validates
/// against the shipped schema (checked by Python's jsonschema, an independent implementation).
#[test]
fn payload_answers_the_core_report_and_validates_against_its_schema() {
    let base = start(Limits::default());
    let (status, report) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","site":"vostochny","inclination_deg":97.5}"#);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "cosmodrome-payload/1");
    let payload_kg = report["payload_kg"].as_f64().unwrap();
    assert!(payload_kg > 1000.0 && payload_kg < 20000.0, "{payload_kg}");
    assert!((report["orbit"]["inclination_deg"].as_f64().unwrap() - 97.5).abs() < 0.1, "{report}");
    // Typed read-back: exactly the report type of the core.
    let typed: cosmodrome::mission::PayloadReport = serde_json::from_value(report.clone()).expect("a PayloadReport");
    assert_eq!(typed.payload_kg, payload_kg);
    // The ISS's plane, below Vostochny's latitude: a dogleg from due east, its turn in the report.
    let (status, iss) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","site":"vostochny","inclination_deg":51.6}"#);
    assert_eq!(status, 200, "{iss}");
    assert!(iss["launch_azimuth_deg"] == 90.0 && iss["dogleg_deg"].as_f64().is_some_and(|d| d != 0.0), "{iss}");
    assert!(report.get("dogleg_deg").is_none(), "an SSO from Vostochny keeps its launch plane: {report}");

    // With the trajectory, the report is the same and the samples span the ascent.
    let (status, both) =
        post(&base, "/api/payload?trajectory=true", r#"{"vehicle":"soyuz-2.1b","site":"vostochny","inclination_deg":97.5}"#);
    assert_eq!(status, 200);
    assert_eq!(both["report"]["payload_kg"], report["payload_kg"]);
    let t = both["trajectory"]["time_s"].as_array().unwrap();
    assert!(t.len() > 100, "{} samples", t.len());
    assert_eq!(both["trajectory"]["altitude_m"].as_array().unwrap().len(), t.len());

    let Some(python) = harness::python_with("jsonschema", "jsonschema", "payload_answers_the_core_report_and_validates_against_its_schema")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("payload.json");
    std::fs::write(&out, serde_json::to_vec_pretty(&report).unwrap()).unwrap();
    let schema = harness::script("../../docs/schema/payload.schema.json");
    harness::run_check(&python, &[harness::script("check_schema.py").to_str().unwrap(), schema.to_str().unwrap(), out.to_str().unwrap()]);
}

/// An argument of perigee given with the orbit's elements (no `orbit`) is held by the ascent,
/// as `payload --argument-of-perigee-deg` holds it: Ariane 5 ECA from Kourou into the standard
/// GTO, southbound, carries what `/api/transfer` with `"orbit": "gto"` and the same perigee
/// answers, the report's target and orbit at 178°. A circular orbit's is refused before any
/// flight, and the open-loop program's, naming the member.
#[test]
fn an_argument_of_perigee_is_held_with_the_elements_given() {
    let base = start(Limits::default());
    let elements = r#""vehicle":"ariane-5-eca","site":"kourou","perigee_km":250,"apogee_km":35950,"inclination_deg":6,"southbound":true"#;
    let (status, r) = post(&base, "/api/payload", &format!(r#"{{{elements},"argument_of_perigee_deg":178}}"#));
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["target"]["argument_of_perigee_deg"], 178.0, "{}", r["target"]);
    let reached_deg = r["orbit"]["argument_of_perigee_deg"].as_f64().expect("an eccentric orbit's");
    assert!((reached_deg - 178.0).abs() <= 0.5, "{reached_deg}");
    let named = r#"{"vehicle":"ariane-5-eca","site":"kourou","orbit":"gto","southbound":true,"argument_of_perigee_deg":178}"#;
    let (status, t) = post(&base, "/api/transfer", named);
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["payload_kg"], r["payload_kg"], "the named GTO's answer");

    for (path, body, says) in [
        ("/api/payload", r#"{"vehicle":"soyuz-2.1b","perigee_km":500,"argument_of_perigee_deg":90}"#, "no perigee to place"),
        ("/api/payload", r#"{"vehicle":"soyuz-2.1b","perigee_km":250,"apogee_km":900,"argument_of_perigee_deg":400}"#, "0–360°"),
        ("/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":1000,"open_loop":true,"argument_of_perigee_deg":90}"#, "open-loop"),
    ] {
        let (status, err) = post(&base, path, body);
        assert_eq!((status, err["field"].as_str()), (400, Some("argument_of_perigee_deg")), "{body}: {err}");
        assert!(err["error"].as_str().unwrap().contains(says), "{body}: {err}");
    }
}

/// `trade_factors: true` adds the payload trade factors to the payload report, as
/// `--trade-factors` does (Electron: two stages' four figures and the fairing, the second
/// stage's dry mass riding to orbit one for one with the payload); without it the report has no
/// such member.
#[test]
fn payload_trade_factors_on_request() {
    let base = start(Limits::default());
    let (status, report) = post(&base, "/api/payload", r#"{"vehicle":"electron","site":"mahia","trade_factors":true}"#);
    assert_eq!(status, 200, "{report}");
    let typed: cosmodrome::mission::PayloadReport = serde_json::from_value(report.clone()).expect("a PayloadReport");
    let rows = typed.trade_factors.expect("trade_factors");
    assert_eq!(rows.len(), 2 * 4 + 1, "{rows:?}");
    assert!(rows.iter().all(|r| r.error.is_none() && r.payload_per_unit.is_some()), "{rows:?}");
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("electron").unwrap();
    let last = rows
        .iter()
        .find(|r| r.stage == vehicle.stages[1].name && r.item == "dry_mass_kg")
        .and_then(|r| r.payload_per_unit)
        .expect("the second stage's dry mass");
    assert!((last + 1.0).abs() < 0.02, "{last} kg/kg");
    let (status, plain) = post(&base, "/api/payload", r#"{"vehicle":"electron","site":"mahia"}"#);
    assert_eq!(status, 200, "{plain}");
    assert!(plain.get("trade_factors").is_none(), "{plain}");
    assert_eq!(plain["payload_kg"], report["payload_kg"]);
}

#[test]
fn fly_dropzones_and_propellant_answer_their_reports() {
    let base = start(Limits::default());
    let (status, fly) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"inclination_deg":97.5}"#);
    assert_eq!(status, 200, "{fly}");
    assert_eq!(fly["format"], "cosmodrome-flight/1");
    assert!(!fly["events"].as_array().unwrap().is_empty());
    let _: cosmodrome::mission::FlightReport = serde_json::from_value(fly).expect("a FlightReport");

    let (status, dz) = post(&base, "/api/dropzones", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"inclination_deg":97.5,"samples":20}"#);
    assert_eq!(status, 200, "{dz}");
    assert_eq!(dz["samples"], 20);
    let _: cosmodrome::mission::DropzonesReport = serde_json::from_value(dz.clone()).expect("a DropzonesReport");
    assert!(!dz["bodies"].as_array().unwrap().is_empty());

    let (status, p) = post(
        &base,
        "/api/propellant",
        r#"{"oxidizer":"LOX","fuel":"RP-1","mixture_ratio":2.6,"chamber_pressure_bar":100,"expansion_ratio":40}"#,
    );
    assert_eq!(status, 200, "{p}");
    let _: cosmodrome::mission::PropellantReport = serde_json::from_value(p).expect("a PropellantReport");
}

#[test]
fn bad_requests_get_4xx_json_naming_the_field() {
    let base = start(Limits::default());
    // Malformed JSON.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle": "soyuz-2.1b", "#);
    assert_eq!(status, 400, "{err}");
    assert!(err["error"].as_str().unwrap().contains("invalid request body"), "{err}");
    // Every error carries the `kind` of the command line's `--json` failure report: a body that
    // does not parse is a usage error, as flags clap refuses.
    assert_eq!(err["kind"], "usage", "{err}");
    // A member of the wrong type is named.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination_deg":"polar"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("inclination_deg")), "{err}");
    // An unknown member is named.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination":97.5}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("inclination")), "{err}");
    // A missing member is named.
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!((status, err["field"].as_str(), err["kind"].as_str()), (400, Some("payload_kg"), Some("usage")), "{err}");
    // A value the core refuses is named by its member, not by the words the command line prints.
    for (body, member) in [
        (r#"{"vehicle":"soyuz-2.1b","payload_kg":-5}"#, "payload_kg"),
        (r#"{"vehicle":"soyuz-2.1b","payload_kg":7000,"perigee_km":50}"#, "perigee_km"),
        (r#"{"vehicle":"soyuz-2.1b","payload_kg":7000,"apogee_km":2000000}"#, "apogee_km"),
        (r#"{"vehicle":"soyuz-2.1b","payload_kg":7000,"inclination_deg":181}"#, "inclination_deg"),
    ] {
        let (status, err) = post(&base, "/api/fly", body);
        assert_eq!((status, err["field"].as_str()), (400, Some(member)), "{body}: {err}");
        assert_eq!(err["kind"], "invalid_input", "{body}: {err}");
    }
    // Members that do not go together: a usage error.
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":7000,"azimuth_deg":40,"inclination_deg":51.7}"#);
    assert_eq!((status, err["kind"].as_str()), (400, Some("usage")), "{err}");
    // An unknown vehicle: 404 naming the field, with the known ids.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1x"}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("vehicle")), "{err}");
    assert_eq!(err["kind"], "unknown_vehicle", "{err}");
    assert!(err["error"].as_str().unwrap().contains("soyuz-2.1b"), "{err}");
    // A query parameter that does not parse: a JSON error naming it, as a body's member.
    let (status, err) = post(&base, "/api/fly?trajectory=yes", r#"{"vehicle":"soyuz-2.1b","payload_kg":7000}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("trajectory")), "{err}");
    assert!(err["error"].as_str().unwrap().starts_with("invalid query string: trajectory:"), "{err}");
    // An unknown site.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","site":"atlantis"}"#);
    assert_eq!((status, err["field"].as_str(), err["kind"].as_str()), (404, Some("site"), Some("unknown_site")), "{err}");
    // A mission the vehicle cannot fly: 422, of the core error's kind.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination_deg":10}"#);
    assert_eq!((status, err["kind"].as_str()), (422, Some("unreachable")), "{err}");
    // A path is never read.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","drop_zones":"/etc/passwd"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("drop_zones")), "{err}");
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"/etc/passwd"}"#);
    assert_eq!(status, 404, "{err}");
    // A broken vehicle file: file, line and key of the problem.
    let text = cosmodrome::vehicle::catalog_vehicle("soyuz-2.1b").unwrap();
    let (line_no, _) = text.lines().enumerate().find(|(_, l)| l.trim_start().starts_with("dry_mass_kg")).expect("a dry mass line");
    let broken: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i == line_no { "dry_mass_kg = \"heavy\"\n".to_owned() } else { format!("{l}\n") })
        .collect();
    let (status, err) = post(&base, "/api/payload", &json!({ "vehicle_toml": broken }).to_string());
    assert_eq!(status, 400, "{err}");
    assert_eq!((err["field"].as_str(), err["file"].as_str()), (Some("vehicle_toml"), Some("vehicle_toml")), "{err}");
    assert_eq!(err["line"].as_u64(), Some(line_no as u64 + 1), "{err}");
    assert_eq!(err["kind"], "invalid_file", "{err}");
    // A body not declared JSON (a form another web site could post): 415.
    let (status, err) =
        answer(agent().post(&format!("{base}/api/payload")).header("content-type", "text/plain").send(r#"{"vehicle":"soyuz-2.1b"}"#));
    assert_eq!(status, 415, "{err}");
    // No CORS: a cross-origin answer carries no allow-origin header.
    let resp = agent().get(&format!("{base}/api/vehicles")).header("origin", "http://example.invalid").call().unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    // An unknown path.
    let (status, err) = get(&base, "/api/nothing");
    assert_eq!((status, err["kind"].as_str()), (404, Some("other")), "{err}");
}

#[test]
fn an_oversize_body_gets_413() {
    let base = start(Limits { max_body_bytes: 1 << 20, ..Limits::default() });
    let big = json!({ "vehicle_toml": "#".repeat((1 << 20) + 10) }).to_string();
    let (status, err) = post(&base, "/api/payload", &big);
    assert_eq!(status, 413, "{err}");
}

/// Past the time budget a request gets 408 and its computation really stops: with one core,
/// the next request gets it long before the 100 000 falls per body (minutes) would end. The
/// budget ends inside the payload optimization of the ascent (Electron/Curie's to a 500 km SSO,
/// some seconds), which is stopped as well.
#[test]
fn a_computation_past_its_time_budget_gets_408_stops_and_frees_its_core() {
    let base = start(Limits {
        max_concurrent: 1,
        queue_timeout: Duration::from_secs(20),
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let (status, err) = post(&base, "/api/dropzones", LONG_ASCENT_DROPZONES);
    assert_eq!(status, 408, "{err}");
    let t = Instant::now();
    let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!(status, 200, "{err}");
    assert!(t.elapsed() < Duration::from_secs(10), "the core was freed only after {:?}", t.elapsed());
    let (status, _) = get(&base, "/api/vehicles");
    assert_eq!(status, 200);
}

/// A trade-factor run past its time budget stops too: Soyuz-2.1b/Fregat-MT's 34
/// re-optimizations (each offloading the Fregat) take some 1.3 s on two threads after its 0.1 s
/// nominal payload; cancelled at 0.5 s, in the middle of them (a few times either phase's time
/// away), every one stops at its next flight, and the one core is free for the next request at
/// once. (The budget is a fraction of the work: the work got faster with the optimizer, so the
/// budget came down with it; at 2 s an idle machine finished the run within it.)
#[test]
fn a_trade_factor_run_past_its_time_budget_stops() {
    let base = start(Limits {
        max_concurrent: 1,
        queue_timeout: Duration::from_secs(30),
        request_timeout: Duration::from_millis(500),
        ..Limits::default()
    });
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b-fregat","trade_factors":true}"#);
    assert_eq!(status, 408, "{err}");
    let t = Instant::now();
    let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!(status, 200, "{err}");
    assert!(t.elapsed() < Duration::from_secs(3), "the core was freed only after {:?}", t.elapsed());
}

/// Reads a job's server-sent events to their end: every event's name and status.
fn job_events(base: &str, id: &str) -> Vec<(String, Value)> {
    let mut resp = agent().get(&format!("{base}/api/jobs/{id}/events")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let kind = resp.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    let text = resp.body_mut().read_to_string().unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| block.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
            Some((field("event:")?.to_owned(), serde_json::from_str(field("data:")?).unwrap()))
        })
        .collect()
}

/// A file of a run, with its media type.
fn download(base: &str, href: &str) -> (u16, String, Vec<u8>) {
    let mut resp = agent().get(&format!("{base}{href}")).call().unwrap();
    let kind = resp.headers().get("content-type").map_or(String::new(), |v| v.to_str().unwrap().to_owned());
    let status = resp.status().as_u16();
    if status == 200 {
        let disposition = resp.headers().get("content-disposition").unwrap().to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename="), "{disposition}");
    }
    (status, kind, resp.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap())
}

/// The files of a run: every one listed downloads with the size listed, and `run.json` holds
/// the SHA-256 of each of the others.
fn check_run_files(base: &str, run: &Value, expected: &[&str]) -> std::collections::HashMap<String, Vec<u8>> {
    let (status, listing) = get(base, run["href"].as_str().unwrap());
    assert_eq!(status, 200, "{listing}");
    let mut files = std::collections::HashMap::new();
    for f in listing["files"].as_array().unwrap() {
        let (status, kind, bytes) = download(base, f["href"].as_str().unwrap());
        assert_eq!(status, 200, "{f}");
        assert_eq!(kind, f["media_type"].as_str().unwrap());
        assert_eq!(bytes.len() as u64, f["size_bytes"].as_u64().unwrap(), "{f}");
        files.insert(f["name"].as_str().unwrap().to_owned(), bytes);
    }
    for name in expected {
        assert!(files.contains_key(*name), "{name} missing from {listing}");
    }
    let record: Value = serde_json::from_slice(&files["run.json"]).unwrap();
    for f in record["files"].as_array().unwrap() {
        let bytes = &files[f["name"].as_str().unwrap()];
        assert_eq!(f["sha256"].as_str().unwrap(), cosmodrome_io::atomic::sha256_hex(bytes), "{f}");
    }
    assert_eq!(record["files"].as_array().unwrap().len() + 1, files.len());
    files
}

/// A drop-zone job: 202 at once, its progress as server-sent events up to the `end` with the
/// report, and every output file of the run downloadable.
#[test]
fn a_dropzones_job_streams_its_progress_and_its_files_download() {
    let base = start(Limits::default());
    let resp = agent()
        .post(&format!("{base}/api/jobs/dropzones"))
        .header("content-type", "application/json")
        .send(r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"inclination_deg":97.5,"samples":30}"#)
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    let location = resp.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let (_, accepted) = answer(Ok(resp));
    assert_eq!(location, format!("/api/jobs/{}", accepted["id"].as_str().unwrap()));
    let events = job_events(&base, accepted["id"].as_str().unwrap());
    let (last_name, last) = events.last().unwrap();
    assert_eq!((last_name.as_str(), last["state"].as_str()), ("end", Some("done")), "{last}");
    let progress: Vec<&Value> = events.iter().filter(|(n, _)| n == "progress").map(|(_, v)| v).collect();
    assert!(!progress.is_empty(), "no progress event");
    // The counts only grow, and the Monte Carlo counts every fall of every body.
    assert!(progress.windows(2).all(|w| w[1]["done"].as_u64() >= w[0]["done"].as_u64()), "{progress:?}");
    let report = &last["result"]["report"];
    // The sampled ascent the stages fall from, for the map.
    assert!(last["result"]["trajectory"]["longitude_deg"].as_array().unwrap().len() > 100, "no trajectory");
    let bodies = report["bodies"].as_array().unwrap().len() as u64;
    assert_eq!((report["samples"].as_u64(), last["total"].as_u64()), (Some(30), Some(30 * bodies)), "{last}");
    assert_eq!(last["done"], last["total"]);
    let _: cosmodrome::mission::DropzonesReport = serde_json::from_value(report.clone()).expect("a DropzonesReport");
    // Polling says the same.
    let (status, polled) = get(&base, &location);
    assert_eq!((status, &polled["result"]["report"]), (200, report));

    let files = check_run_files(
        &base,
        &last["result"]["run"],
        &[
            "dropzones.json",
            "impacts.csv",
            "impacts.parquet",
            "dropzones.geojson",
            "dropzones.kml",
            "trajectory.csv",
            "events.json",
            "trajectory.oem",
            "trajectory.parquet",
            "profile.png",
            "ground_track.svg",
            "report.html",
            "run.json",
        ],
    );
    let dz: Value = serde_json::from_slice(&files["dropzones.json"]).unwrap();
    assert!(same(&dz, report), "dropzones.json is not the job's report");
    let geojson: Value = serde_json::from_slice(&files["dropzones.geojson"]).unwrap();
    assert_eq!(geojson["type"], "FeatureCollection");
    assert!(String::from_utf8_lossy(&files["dropzones.kml"]).contains("<kml"));
    for parquet in ["impacts.parquet", "trajectory.parquet"] {
        let b = &files[parquet];
        assert!(b.starts_with(b"PAR1") && b.ends_with(b"PAR1"), "{parquet} is not Parquet");
    }
    assert!(String::from_utf8_lossy(&files["trajectory.oem"]).contains("CCSDS_OEM_VERS"));
    let impacts = String::from_utf8_lossy(&files["impacts.csv"]).lines().count() as u64;
    assert_eq!(impacts, 1 + 30 * bodies, "one row per dispersed fall");
    assert!(String::from_utf8_lossy(&files["report.html"]).contains("<html"));
    assert!(files["profile.png"].starts_with(b"\x89PNG"));
}

/// `DELETE` stops a running Monte Carlo within a fall: the job says `cancelled` and its only
/// core serves the next request at once; a job cancelled while it flies its ascent stops too.
#[test]
fn a_cancelled_job_stops_and_frees_its_core() {
    let base = start(Limits { max_concurrent: 1, queue_timeout: Duration::from_secs(20), ..Limits::default() });
    let big = r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"inclination_deg":97.5,"samples":100000}"#;
    let (status, job) = post(&base, "/api/jobs/dropzones", big);
    assert_eq!(status, 202, "{job}");
    let href = format!("/api/jobs/{}", job["id"].as_str().unwrap());
    // Wait for falls to be counted.
    let seen = wait_for(
        &base,
        &href,
        Duration::from_secs(120),
        Duration::from_millis(50),
        |s| s["state"] == "falls" && s["done"].as_u64().unwrap() > 0,
        |s| s["state"] == "queued" || s["state"] == "ascent" || s["state"] == "falls",
    );
    assert!(seen["total"].as_u64().unwrap() >= 100_000);
    let (t, stopped) = cancel(&base, &href, "falls");
    assert_eq!(stopped["state"], "cancelled", "{stopped}");
    assert!(stopped["done"].as_u64() < stopped["total"].as_u64(), "{stopped}");
    let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!(status, 200, "{err}");
    assert!(t.elapsed() < Duration::from_secs(10), "the core was freed only after {:?}", t.elapsed());

    // Cancelled during the payload optimization of its ascent (POST …/cancel, as DELETE): one
    // of some seconds, Electron/Curie's to a 500 km SSO, cancelled once it is seen flying.
    let (_, job) = post(&base, "/api/jobs/dropzones", LONG_ASCENT_DROPZONES);
    let id = job["id"].as_str().unwrap();
    let ascent_seen = |s: &Value| s["state"] == "ascent";
    wait_for(&base, &format!("/api/jobs/{id}"), Duration::from_secs(30), Duration::from_millis(10), ascent_seen, |s| {
        s["state"] == "queued"
    });
    let (status, s) = post(&base, &format!("/api/jobs/{id}/cancel"), "");
    assert_eq!(status, 200, "{s}");
    let events = job_events(&base, id);
    let (_, last) = events.last().unwrap();
    assert_eq!((last["state"].as_str(), last["done"].as_u64()), (Some("cancelled"), Some(0)), "{last}");
    assert_eq!(get(&base, "/api/jobs/j999").0, 404);
}

/// A sweep job: 202 at once, `sweep` with its points counted, then the sweep report (the same
/// payloads as `maximize_payload` to 1 kg), its CSV and chart; a grid too large or an unknown
/// vehicle is refused before it starts; `DELETE` stops a sweep within a flight.
#[test]
fn a_sweep_job_answers_the_sweep_report_and_can_be_cancelled() {
    let base = start(Limits { max_concurrent: 1, ..Limits::default() });
    let (status, job) =
        post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[200,600],"inclinations_deg":[51.9,30]}"#);
    assert_eq!(status, 202, "{job}");
    assert_eq!((job["kind"].as_str(), job["state"].as_str()), (Some("sweep"), Some("queued")));
    // Its progress in points is checked on the long job below: this one may end between two
    // samples of the stream (ten a second), leaving only its end to see.
    let events = job_events(&base, job["id"].as_str().unwrap());
    let (_, done) = events.last().unwrap();
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!((done["done"].as_u64(), done["total"].as_u64()), (Some(4), Some(4)));
    let result = &done["result"];
    let report: cosmodrome::mission::sweep::SweepReport = serde_json::from_value(result["report"].clone()).expect("a sweep report");
    let status: Vec<&str> = report.points.iter().map(|p| p.status.as_str()).collect();
    assert_eq!(status, ["ok", "unreachable", "ok", "unreachable"]);
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("soyuz-2.1b").unwrap();
    let sites = cosmodrome::vehicle::SiteCatalog::builtin().unwrap();
    let pad = &sites.pad_for("vostochny", vehicle.family.as_deref()).unwrap().site;
    let target = cosmodrome::optimize::payload::TargetOrbit {
        perigee_m: 600e3,
        apogee_m: 600e3,
        inclination_deg: 51.9,
        argument_of_perigee_deg: None,
    };
    let lone = cosmodrome::optimize::payload::maximize_payload(
        &vehicle,
        pad,
        &target,
        cosmodrome::guidance::Branch::Northbound,
        Default::default(),
        &mut |_| {},
    )
    .unwrap();
    assert!((report.points[2].payload_kg.unwrap() - lone.payload_kg).abs() <= 1.0, "{:?} vs {}", report.points[2], lone.payload_kg);
    assert_eq!(result["csv"].as_str().unwrap().lines().count(), 5);
    assert!(result["chart_svg"].as_str().unwrap().starts_with("<svg"));

    let (status, err) = post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-9"],"altitudes_km":[200]}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("vehicles")), "{err}");
    let (status, err) = post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[]}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("altitudes_km")), "{err}");
    let (status, err) =
        post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"sites":["vostochny","nowhere"],"altitudes_km":[200]}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("sites")), "{err}");
    assert!(err["error"].as_str().unwrap().contains("unknown site `nowhere`"), "{err}");
    // A site given twice would give every row twice: refused as the command line refuses it.
    let (status, err) =
        post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"sites":["vostochny","Vostochny"],"altitudes_km":[200]}"#);
    assert_eq!((status, err["field"].as_str(), err["kind"].as_str()), (400, Some("sites"), Some("invalid_input")), "{err}");
    assert!(err["error"].as_str().unwrap().contains("`Vostochny` is given twice"), "{err}");
    // So is a vehicle or a value of an axis given twice.
    for (body, field, words) in [
        (r#"{"vehicles":["soyuz-2.1b","angara-a5","Soyuz-2.1B"],"altitudes_km":[200]}"#, "vehicles", "`Soyuz-2.1B` is given twice"),
        (r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[200,450,450.0]}"#, "altitudes_km", "450 is given twice"),
        (r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[200],"inclinations_deg":[51.9,51.9]}"#, "inclinations_deg", "51.9 is given twice"),
        (
            r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[500],"inclinations_deg":["sso",98,"SSO"]}"#,
            "inclinations_deg",
            "sso is given twice",
        ),
        (
            r#"{"vehicles":["angara-a5"],"altitudes_km":[200],"vary":"stage.URM-2.dry_mass_kg=4000,4100,4000"}"#,
            "vary",
            "4000 is given twice",
        ),
    ] {
        let (status, err) = post(&base, "/api/jobs/sweep", body);
        assert_eq!((status, err["field"].as_str(), err["kind"].as_str()), (400, Some(field), Some("invalid_input")), "{err}");
        assert!(err["error"].as_str().unwrap().contains(words), "{err}");
    }

    // `sso`: the sun-synchronous inclination at each altitude; another word is refused, naming
    // the field.
    let (status, job) = post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[500],"inclinations_deg":["sso"]}"#);
    assert_eq!(status, 202, "{job}");
    let events = job_events(&base, job["id"].as_str().unwrap());
    let (_, done) = events.last().unwrap();
    let point = &done["result"]["report"]["points"][0];
    assert_eq!((point["status"].as_str(), point["sun_synchronous"].as_bool()), (Some("ok"), Some(true)), "{done}");
    assert!((point["inclination_deg"].as_f64().unwrap() - 97.40).abs() < 0.01, "{point}");
    let (status, err) = post(&base, "/api/jobs/sweep", r#"{"vehicles":["soyuz-2.1b"],"altitudes_km":[500],"inclinations_deg":["ssx"]}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("inclinations_deg[0]")), "{err}");
    assert!(err["error"].as_str().unwrap().contains(r#"a number of degrees or "sso""#), "{err}");

    // Electron with its kick stage, 40 points of seconds each: cancelled within a flight.
    let altitudes: Vec<String> = (0..40).map(|i| format!("{}", 300 + 10 * i)).collect();
    let body = format!(r#"{{"vehicles":["electron-curie"],"sites":["mahia"],"altitudes_km":[{}]}}"#, altitudes.join(","));
    let (status, job) = post(&base, "/api/jobs/sweep", &body);
    assert_eq!(status, 202, "{job}");
    let href = format!("/api/jobs/{}", job["id"].as_str().unwrap());
    let flown = |s: &Value| s["flights"].as_u64().unwrap_or(0) > 0;
    let running = wait_for(&base, &href, Duration::from_secs(60), Duration::from_millis(20), flown, |_| true);
    // Counted in points: the sweep's 40.
    assert_eq!((running["state"].as_str(), running["total"].as_u64()), (Some("sweep"), Some(40)), "{running}");
    let (_, stopped) = cancel(&base, &href, "sweep");
    assert_eq!(stopped["state"], "cancelled", "{stopped}");
    assert!(stopped["done"].as_u64() < Some(40), "{stopped}");
    let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!(status, 200, "{err}");
}

/// A job past the time budget fails with 408, as a request would.
#[test]
fn a_job_past_its_time_budget_fails_with_408() {
    let base = start(Limits { request_timeout: Duration::from_millis(300), ..Limits::default() });
    let (status, job) = post(&base, "/api/jobs/dropzones", r#"{"vehicle":"soyuz-2.1b","samples":100000}"#);
    assert_eq!(status, 202, "{job}");
    let events = job_events(&base, job["id"].as_str().unwrap());
    let (_, last) = events.last().unwrap();
    assert_eq!((last["state"].as_str(), last["status"].as_u64()), (Some("failed"), Some(408)), "{last}");
    assert!(last["error"]["error"].as_str().unwrap().contains("longer than"), "{last}");
    // A bad request is refused at once, not as a job.
    let (status, err) = post(&base, "/api/jobs/dropzones", r#"{"vehicle":"soyuz-9"}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("vehicle")), "{err}");
}

/// The open-loop flight of `fly --open-loop` (the CLI's flags in snake_case) answers the core's
/// report; its files download; a member of the open-loop program without `open_loop` is refused.
#[test]
fn open_loop_fly_answers_the_core_report_and_keeps_its_files() {
    use cosmodrome::guidance::{AscentParameters, Branch, UpperSteering};
    use cosmodrome::mission::fly::{Heading, Steering};
    let base = start(Limits::default());
    let body = r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"open_loop":true,"inclination_deg":97.5,"pitch_kick_deg":3.5,"final_pitch_deg":2,"launch_utc":"2027-03-01T12:00:00Z"}"#;
    let (status, both) = post(&base, "/api/fly?files=true", body);
    assert_eq!(status, 200, "{both}");
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("soyuz-2.1b").unwrap();
    let sites = cosmodrome::vehicle::SiteCatalog::builtin().unwrap();
    let site = sites.pad_for("vostochny", vehicle.family.as_deref()).unwrap().site;
    let request = cosmodrome::mission::FlyRequest {
        vehicle: &vehicle,
        vehicle_id: "soyuz-2.1b",
        site,
        payload_kg: 5000.0,
        steering: Steering::OpenLoop {
            heading: Heading::Inclination { inclination_deg: Some(97.5), branch: Branch::Northbound },
            perigee_m: 200e3,
            parameters: AscentParameters {
                vertical_rise_s: 10.0,
                pitch_over_min_air_speed_m_s: 25.0,
                pitch_kick_deg: 3.5,
                pitch_kick_duration_s: 10.0,
                steering: UpperSteering::LinearTangent { final_pitch_deg: 2.0 },
                main_engine_burn_s: None,
                coast_s: None,
            },
            kick_for_staging_fpa_deg: None,
        },
        options: cosmodrome::flight::FlightOptions { sample_interval_s: Some(1.0), ..Default::default() },
    };
    let expected = serde_json::to_value(cosmodrome::mission::fly(&request, &mut |_| {}).unwrap().report).unwrap();
    assert!(same(&both["report"], &expected), "{}\n{expected}", both["report"]);
    let files =
        check_run_files(&base, &both["run"], &["trajectory.csv", "trajectory.oem", "trajectory.parquet", "report.html", "run.json"]);
    let rows = String::from_utf8_lossy(&files["trajectory.csv"]).lines().count();
    assert!(rows > 100, "{rows} rows");
    // The liftoff epoch asked for dates the OEM.
    let oem = String::from_utf8_lossy(&files["trajectory.oem"]).into_owned();
    assert!(oem.contains("START_TIME = 2027-03-01T12:00:00"), "{}", &oem[..oem.len().min(1500)]);
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"launch_utc":"yesterday"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("launch_utc")), "{err}");
    // Not a run, not a file of it: 404; the known files are named.
    assert_eq!(download(&base, "/api/runs/r999/files/report.html").0, 404);
    let href = both["run"]["href"].as_str().unwrap();
    let (status, err) = answer(agent().get(&format!("{base}{href}/files/passwd")).call());
    assert_eq!(status, 404);
    assert!(err["known"].as_array().unwrap().iter().any(|k| k == "report.html"), "{err}");

    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"pitch_kick_deg":3}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("pitch_kick_deg")), "{err}");
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"open_loop":true,"apogee_km":300}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("apogee_km")), "{err}");
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"zenit-2","payload_kg":3000,"main_engine_burn_s":240}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("main_engine_burn_s")), "{err}");
    // Zenit-2's RD-120 cut off 240 s after its ignition in the open loop: the event is reported.
    let (status, r) = post(
        &base,
        "/api/fly",
        r#"{"vehicle":"zenit-2","site":"baikonur","payload_kg":3000,"open_loop":true,"inclination_deg":99.64,"main_engine_burn_s":240}"#,
    );
    assert_eq!(status, 200, "{r}");
    let events = r.get("report").unwrap_or(&r)["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e["event"] == "main_engine_cutoff"), "{r}");
}

/// `mixture_ratio` as `start:end:step` answers the CLI's sweep report, the same as the core's.
#[test]
fn a_propellant_sweep_answers_the_core_sweep_report() {
    use cosmodrome::propulsion::chemistry::{builtin_propellants, builtin_species, Flow, NozzleExit};
    let base = start(Limits::default());
    let (status, sweep) = post(
        &base,
        "/api/propellant",
        r#"{"oxidizer":"LOX","fuel":"RP-1","mixture_ratio":"2.0:3.0:0.25","chamber_pressure_bar":100,"expansion_ratio":40}"#,
    );
    assert_eq!(status, 200, "{sweep}");
    let ratios = [2.0, 2.25, 2.5, 2.75, 3.0];
    let request = cosmodrome::mission::PropellantRequest {
        species: builtin_species(),
        propellants: builtin_propellants(),
        oxidizer: "LOX",
        fuel: "RP-1",
        mixture_ratios: &ratios,
        chamber_pressure_bar: 100.0,
        exit: NozzleExit::AreaRatio(40.0),
        flow: Flow::Shifting,
        ambient_pressure_bar: 1.01325,
    };
    let expected = serde_json::to_value(cosmodrome::mission::propellant_sweep(&request).unwrap()).unwrap();
    assert!(same(&sweep, &expected), "{sweep}\n{expected}");
    assert_eq!(sweep["points"].as_array().unwrap().len(), 5);
    for bad in [r#""3:2:0.1""#, r#""2:3""#, r#""2:3:0.0001""#, r#""x""#] {
        let body = format!(r#"{{"oxidizer":"LOX","fuel":"RP-1","mixture_ratio":{bad},"chamber_pressure_bar":100,"expansion_ratio":40}}"#);
        let (status, err) = post(&base, "/api/propellant", &body);
        assert_eq!((status, err["field"].as_str()), (400, Some("mixture_ratio")), "{bad}: {err}");
        // Named by the request's member, not the command line's flag.
        assert!(err["error"].as_str().unwrap().starts_with("invalid mixture_ratio"), "{bad}: {err}");
    }
    // A propellant the core does not know is named by the request's member, not the command
    // line's flag (`invalid --oxidizer`).
    let body = r#"{"oxidizer":"XX","fuel":"RP-1","mixture_ratio":2.6,"chamber_pressure_bar":100,"expansion_ratio":40}"#;
    let (status, err) = post(&base, "/api/propellant", body);
    assert_eq!((status, err["field"].as_str()), (400, Some("oxidizer")), "{err}");
    assert!(err["error"].as_str().unwrap().starts_with("invalid oxidizer: unknown propellant `XX`"), "{err}");
}

/// A sweep into ratios the equilibrium cannot solve answers with the converged points and the
/// failed ones (it was a 400 at the first failure); an ambient pressure at or above the chamber
/// pressure is a 400 naming `ambient_pressure_bar`.
#[test]
fn a_propellant_sweep_lists_its_failed_points_and_a_bad_ambient_is_refused() {
    let base = start(Limits::default());
    let (status, sweep) = post(
        &base,
        "/api/propellant",
        r#"{"oxidizer":"LOX","fuel":"RP-1","mixture_ratio":"40:70:5","chamber_pressure_bar":100,"expansion_ratio":80}"#,
    );
    assert_eq!(status, 200, "{sweep}");
    let (points, failed) = (sweep["points"].as_array().unwrap(), sweep["failed"].as_array().unwrap());
    assert!(!points.is_empty() && !failed.is_empty() && points.len() + failed.len() == 7, "{} + {}", points.len(), failed.len());
    assert!(failed.iter().all(|f| f["mixture_ratio"].is_number() && f["reason"].as_str().is_some_and(|r| !r.is_empty())), "{failed:?}");
    let _: cosmodrome::mission::PropellantSweepReport = serde_json::from_value(sweep).expect("a PropellantSweepReport");
    for mixture_ratio in ["2.6", r#""2:3:0.5""#] {
        let body = format!(
            r#"{{"oxidizer":"LOX","fuel":"RP-1","mixture_ratio":{mixture_ratio},"chamber_pressure_bar":100,"expansion_ratio":80,"ambient_pressure_bar":1e6}}"#
        );
        let (status, err) = post(&base, "/api/propellant", &body);
        assert_eq!((status, err["field"].as_str()), (400, Some("ambient_pressure_bar")), "{err}");
        assert!(err["error"].as_str().unwrap().contains("at or above the chamber pressure"), "{err}");
    }
}

/// The built-in designated zones, with outlines for the map.
#[test]
fn the_designated_zone_sets_are_listed_with_their_outlines() {
    let base = start(Limits::default());
    let (status, sets) = get(&base, "/api/dropzone-sets");
    assert_eq!(status, 200);
    let ids: Vec<&str> = sets.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, cosmodrome::dropzone::designated::catalog_ids());
    for set in sets.as_array().unwrap() {
        for z in set["zones"].as_array().unwrap() {
            let outline = z["outline"].as_array().unwrap();
            assert!(outline.len() >= 36, "{z}");
            // Every point of the edge lies at the zone's radius from its centre.
            let (lat0, lon0, r) =
                (z["latitude_deg"].as_f64().unwrap(), z["longitude_deg"].as_f64().unwrap(), z["radius_km"].as_f64().unwrap());
            for p in outline {
                let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                let d = haversine_km(lat0, lon0, lat, lon);
                assert!((d - r).abs() < 0.02 * r + 0.5, "{d} km from the centre of a zone of {r} km");
            }
        }
    }
}

fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[test]
fn openapi_lists_every_endpoint_and_its_refs_resolve() {
    let base = start(Limits::default());
    let (status, doc) = get(&base, "/api/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/vehicles",
        "/api/vehicles/{id}",
        "/api/sites",
        "/api/payload",
        "/api/fly",
        "/api/dropzones",
        "/api/propellant",
        "/api/validate",
        "/api/transfer",
        "/api/jobs/dropzones",
        "/api/jobs/sweep",
        "/api/jobs/{id}",
        "/api/jobs/{id}/events",
        "/api/runs/{id}",
        "/api/runs/{id}/files/{name}",
        "/api/dropzone-sets",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let trade = &doc["components"]["schemas"]["PayloadBody"]["properties"]["trade_factors"];
    assert_eq!(trade["type"], "boolean", "{trade}");
    let trade = &doc["components"]["schemas"]["TransferBody"]["properties"]["trade_factors"];
    assert_eq!(trade["type"], "boolean", "{trade}");
    // Every $ref points at a component that is there.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20);
    for r in all {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("external ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "dangling {r}");
    }
}

#[test]
fn the_page_and_its_assets_are_served() {
    let base = start(Limits::default());
    for (path, kind) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")] {
        let mut resp = agent().get(&format!("{base}{path}")).call().expect(path);
        let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        // Nothing from the network: no address but the SVG namespace's name.
        let text = resp.body_mut().read_to_string().unwrap().replace("http://www.w3.org/2000/svg", "");
        assert!(
            !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
            "{path} loads something from the network"
        );
    }
    let (status, coast) = get(&base, "/api/coastline");
    assert_eq!(status, 200);
    assert!(coast.as_array().unwrap().len() > 50);
}

/// With every core busy past the queue's patience, a request gets 503 and the busy one finishes.
/// A probe may reach the only core before the long request does (which then gets the 503): the
/// round is flown again, a few times at most.
#[test]
fn a_request_that_finds_every_core_busy_gets_503() {
    let base = start(Limits { max_concurrent: 1, queue_timeout: Duration::from_millis(1), ..Limits::default() });
    for _round in 0..5 {
        let busy = {
            let base = base.clone();
            // A Monte Carlo of 20,000 falls per body: a second or more, the only core taken.
            let body = r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"inclination_deg":97.5,"samples":20000}"#;
            std::thread::spawn(move || post(&base, "/api/dropzones", body))
        };
        // Let it take the core; then probe while it runs (a probe that gets in before it, or
        // after, is answered at once).
        std::thread::sleep(Duration::from_millis(50));
        let mut statuses = Vec::new();
        while !busy.is_finished() {
            let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
            assert!(status == 200 || status == 503, "{status} {err}");
            statuses.push(status);
            std::thread::sleep(Duration::from_millis(20));
        }
        let (busy_status, _) = busy.join().unwrap();
        if busy_status == 503 {
            continue; // a probe had the core first
        }
        assert_eq!(busy_status, 200);
        assert!(statuses.contains(&503), "no probe found the core busy: {statuses:?}");
        // The core is free again.
        assert_eq!(post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#).0, 200);
        return;
    }
    panic!("in 5 rounds the long request never had the core before a probe");
}

/// At shutdown (SIGTERM) running jobs are cancelled, their event streams end, and the server
/// stops within seconds, not when the Monte Carlo would have ended.
#[test]
fn shutdown_cancels_running_jobs_and_ends_their_event_streams() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(cosmodrome_server::serve_on(listener, Limits::default(), async {
            let _ = stopped.await;
        }))
        .unwrap();
    });
    let (status, job) = post(&base, "/api/jobs/dropzones", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"samples":100000}"#);
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let watcher = {
        let base = base.clone();
        std::thread::spawn(move || job_events(&base, &id))
    };
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    stop.send(()).unwrap();
    let events = watcher.join().unwrap();
    server.join().unwrap();
    assert!(t.elapsed() < Duration::from_secs(10), "the server took {:?} to stop", t.elapsed());
    let (name, last) = events.last().unwrap();
    assert_eq!((name.as_str(), last["state"].as_str()), ("end", Some("cancelled")), "{last}");
}

/// `POST /api/transfer`: Angara-A5/Briz-M to GSO answers the CLI's transfer report (GSO within
/// 50 km and 0.1°, its burns); a named low orbit answers the payload report; a bad orbit name
/// is a 400 naming `orbit`, and a vehicle whose last stage burns once cannot go to GSO.
#[test]
fn a_named_orbit_answers_the_transfer_report() {
    let base = start(Limits::default());
    let (status, r) = post(&base, "/api/transfer", r#"{"vehicle":"angara-a5-briz-m","site":"vostochny","orbit":"gso"}"#);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["format"], "cosmodrome-transfer/1");
    for key in ["perigee_km", "apogee_km"] {
        assert!((r["orbit"][key].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{r}");
    }
    assert!(r["orbit"]["inclination_deg"].as_f64().unwrap().abs() < 0.1, "{r}");
    assert!(r["burns"].as_array().is_some_and(|b| b.len() >= 2), "{r}");
    let (status, r) = post(&base, "/api/transfer", r#"{"vehicle":"soyuz-2.1b","orbit":"sso"}"#);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["format"], "cosmodrome-payload/1");
    assert!(r.get("notes").is_none(), "{r}");
    // A GTO flown directly: the payload report says its default argument of perigee is not held.
    let (status, r) = post(&base, "/api/transfer", r#"{"vehicle":"soyuz-2.1b","orbit":"gto"}"#);
    assert_eq!(status, 200, "{r}");
    assert!(r["notes"][0].as_str().is_some_and(|n| n.contains("180° is not held")), "{r}");
    assert!(r["orbit"]["argument_of_perigee_deg"].is_f64(), "{r}");
    let (status, err) = post(&base, "/api/transfer", r#"{"vehicle":"angara-a5-briz-m","orbit":"geo"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("orbit")), "{err}");
    let (status, err) = post(&base, "/api/transfer", r#"{"vehicle":"angara-a5","orbit":"gso"}"#);
    assert!(status >= 400 && err.to_string().contains("restartable"), "{status} {err}");
    // An element the named orbit cannot take is refused before any flight, naming `orbit`, as
    // `/api/fly` and `/api/dropzones` do.
    let (status, err) = post(&base, "/api/transfer", r#"{"vehicle":"angara-a5-briz-m","orbit":"escape","c3_km2_s2":500}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("orbit")), "{err}");
    assert!(err["error"].as_str().is_some_and(|e| e.contains("C3")), "{err}");
}

/// `trade_factors: true` on `POST /api/transfer` adds the trade factors of the whole mission
/// through the parking orbit to the transfer report, as `payload --orbit gto --trade-factors`
/// does (Soyuz-2.1b/Fregat-MT to GTO from Baikonur, some 2 s in a test build): a row per stage
/// figure and the fairing, all flown, and the Fregat-MT, which flies the ascent's last burn and
/// every transfer burn and is never dropped, trading its dry mass one for one with the payload
/// (within the held-back propellant's 1 kg settling over the ±50 kg step). Without it, the same
/// report and no such member; the answer matches the core's.
#[test]
fn transfer_trade_factors_on_request() {
    let base = start(Limits::default());
    let body = r#"{"vehicle":"soyuz-2.1b-fregat","site":"baikonur","orbit":"gto","trade_factors":true}"#;
    let (status, report) = post(&base, "/api/transfer", body);
    assert_eq!(status, 200, "{report}");
    let typed: cosmodrome::mission::TransferReport = serde_json::from_value(report.clone()).expect("a TransferReport");
    let rows = typed.trade_factors.expect("trade_factors");
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("soyuz-2.1b-fregat").unwrap();
    assert_eq!(rows.len(), 4 * vehicle.stages.len() + 1, "{rows:?}");
    assert!(rows.iter().all(|r| r.error.is_none() && r.payload_per_unit.is_some()), "{rows:?}");
    let upper = &vehicle.stages.last().unwrap().name;
    let dry = rows.iter().find(|r| &r.stage == upper && r.item == "dry_mass_kg").and_then(|r| r.payload_per_unit).expect("upper dry mass");
    assert!((dry + 1.0).abs() < 0.03, "{upper} dry mass: {dry} kg/kg, closed form −1");
    let (status, plain) = post(&base, "/api/transfer", r#"{"vehicle":"soyuz-2.1b-fregat","site":"baikonur","orbit":"gto"}"#);
    assert_eq!(status, 200, "{plain}");
    assert!(plain.get("trade_factors").is_none(), "{plain}");
    assert_eq!(plain["payload_kg"], report["payload_kg"]);
    // The core's factors of the same mission, as the CLI computes them.
    let sites = cosmodrome::vehicle::SiteCatalog::builtin().unwrap();
    let site = sites.pad_for("baikonur", vehicle.family.as_deref()).unwrap().site;
    let target = cosmodrome::mission::named_target("gto", site, &vehicle, &Default::default()).unwrap().target;
    let cosmodrome::optimize::transfer::MissionTarget::Transfer { parking, target } = target else {
        panic!("GTO goes through a parking orbit")
    };
    let branch = cosmodrome::guidance::Branch::Northbound;
    let request = cosmodrome::mission::TransferRequest { vehicle: &vehicle, site, parking, target, branch, options: Default::default() };
    let (_, warm) = cosmodrome::mission::transfer_payload_warm(&request, &mut |_| {}).unwrap();
    let items = cosmodrome::mission::TradeItem::all(&vehicle);
    let core = cosmodrome::mission::transfer_trade_factors(&request, &warm, &items, &|_, _| {}, &|| {});
    let core: Vec<_> = core.iter().map(|f| cosmodrome::mission::TradeFactorReport::new(&vehicle, f)).collect();
    assert!(same(&report["trade_factors"], &serde_json::to_value(core).unwrap()), "{}", report["trade_factors"]);
}

/// The core's mission to a named orbit, as `cosmodrome fly VEHICLE --orbit NAME --payload-kg M`
/// flies it (the CLI calls the same resolver and mission, sampled the same way).
fn core_fly_orbit(vehicle_id: &str, orbit: &str, payload_kg: f64, sample_interval_s: f64) -> cosmodrome::mission::FlyOrbitMission {
    let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle(vehicle_id).unwrap();
    let sites = cosmodrome::vehicle::SiteCatalog::builtin().unwrap();
    let site = sites.pad_for("vostochny", vehicle.family.as_deref()).unwrap().site;
    let named = cosmodrome::mission::named_target(orbit, site, &vehicle, &Default::default()).unwrap();
    let request = cosmodrome::mission::FlyOrbitRequest {
        vehicle: &vehicle,
        vehicle_id,
        site,
        target: named.target,
        note: named.note.as_deref(),
        branch: cosmodrome::guidance::Branch::Northbound,
        payload_kg: Some(payload_kg),
        options: cosmodrome::flight::FlightOptions { sample_interval_s: Some(sample_interval_s), ..Default::default() },
    };
    cosmodrome::mission::fly_orbit(&request, &mut |_| {}).unwrap()
}

/// `POST /api/fly` with `orbit`: Angara-A5/Briz-M with 3000 kg to GTO from Vostochny flies the
/// whole mission through a parking orbit (its timeline has the burns and coasts, the transfer
/// report comes beside it) and answers what the core answers; Soyuz-2.1b with 5000 kg to LEO
/// is a direct ascent, the same as the core's. Bad names and members out of place are refused
/// naming the member.
#[test]
fn fly_to_a_named_orbit_answers_the_whole_mission() {
    let base = start(Limits::default());
    let (status, r) = post(&base, "/api/fly", r#"{"vehicle":"angara-a5-briz-m","site":"vostochny","orbit":"gto","payload_kg":3000}"#);
    assert_eq!(status, 200, "{r}");
    let expected = core_fly_orbit("angara-a5-briz-m", "gto", 3000.0, 10.0);
    assert!(same(&r["report"], &serde_json::to_value(&expected.report).unwrap()), "{}", r["report"]);
    assert!(same(&r["transfer"], &serde_json::to_value(expected.transfer.as_ref().unwrap()).unwrap()), "{}", r["transfer"]);
    assert_eq!(r["report"]["payload_kg"].as_f64(), Some(3000.0));
    assert_eq!(r["report"]["ending"]["outcome"], "orbit", "{}", r["report"]["ending"]);
    assert!((r["report"]["ending"]["apogee_km"].as_f64().unwrap() - 35_786.0).abs() < 50.0, "{}", r["report"]["ending"]);
    let timeline = &r["report"]["timeline"];
    assert!(timeline["burns"].as_array().unwrap().len() >= 4 && !timeline["coasts"].as_array().unwrap().is_empty(), "{timeline}");
    assert!(r.get("payload").is_none(), "{r}");

    let (status, r) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","orbit":"leo","payload_kg":5000}"#);
    assert_eq!(status, 200, "{r}");
    let expected = core_fly_orbit("soyuz-2.1b", "leo", 5000.0, 1.0);
    assert!(expected.transfer.is_none());
    assert!(same(&r["report"], &serde_json::to_value(&expected.report).unwrap()), "{}", r["report"]);
    assert!(r.get("transfer").is_none() && r.get("payload").is_none() && r.get("notes").is_none(), "{r}");
    // A named GTO flown directly leaves its default argument of perigee free: a note says so,
    // and the flight report gives the argument of perigee reached.
    let (status, r) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b","orbit":"gto","payload_kg":2000}"#);
    assert_eq!(status, 200, "{r}");
    assert!(r["notes"][0].as_str().is_some_and(|n| n.contains("180° is not held")), "{r}");
    let reached_deg = r["report"]["final"]["orbit"]["argument_of_perigee_deg"].as_f64();
    assert!(reached_deg.is_some_and(|w| (0.0..360.0).contains(&w)), "{}", r["report"]["final"]);

    for (body, field) in [
        (r#"{"vehicle":"angara-a5-briz-m","orbit":"geo","payload_kg":3000}"#, "orbit"),
        (r#"{"vehicle":"soyuz-2.1b","orbit":"leo","payload_kg":5000,"open_loop":true}"#, "open_loop"),
        (r#"{"vehicle":"soyuz-2.1b","orbit":"leo","payload_kg":5000,"pitch_kick_deg":3}"#, "pitch_kick_deg"),
        (r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"c3_km2_s2":10}"#, "c3_km2_s2"),
        (r#"{"vehicle":"soyuz-2.1b","orbit":"leo","payload_kg":5000,"perigee_km":"low"}"#, "perigee_km"),
    ] {
        let (status, err) = post(&base, "/api/fly", body);
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{body}: {err}");
    }
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"angara-a5-briz-m","orbit":"geo","payload_kg":3000}"#);
    assert!(status == 400 && err["error"].as_str().unwrap().contains("gso"), "{err}");
    // A vehicle whose last stage burns once flies GSO directly or not at all: the core's error.
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"angara-a5","orbit":"gso","payload_kg":1000}"#);
    assert!(status >= 400 && err.to_string().contains("restartable"), "{status} {err}");
}

/// `POST /api/dropzones` with `orbit` (`cosmodrome dropzones --orbit NAME`): Soyuz-2.1b/Fregat-MT
/// to GTO from Baikonur through a parking orbit. The bodies fall from the whole mission the
/// payload optimizer finds, the one `/api/transfer` answers for the same members: the same
/// payload, target and parking orbit, the report's `transfer` beside them; every body of it is
/// reported, each dispersed fall down or not. With `?files=true` its run records the transfer.
/// Flown directly (Ariane 5 ECA to GTO), the report notes the argument of perigee left free.
/// An unknown name is refused before any flight with a 400 naming `orbit` (listing the names),
/// as is an override without `orbit`.
#[test]
fn dropzones_of_a_mission_through_a_parking_orbit() {
    let base = start(Limits::default());
    let members = r#""vehicle":"soyuz-2.1b-fregat","site":"baikonur","orbit":"gto""#;
    let (status, t) = post(&base, "/api/transfer", &format!("{{{members}}}"));
    assert_eq!(status, 200, "{t}");
    let (status, a) = post(&base, "/api/dropzones?files=true", &format!(r#"{{{members},"samples":10,"seed":3}}"#));
    assert_eq!(status, 200, "{a}");
    let dz = &a["report"];
    let report: cosmodrome::mission::DropzonesReport = serde_json::from_value(dz.clone()).expect("a DropzonesReport");
    let transfer = report.transfer.as_ref().expect("the report's transfer");
    assert_eq!(dz["payload_kg"], t["payload_kg"], "the payload of /api/transfer");
    assert!(t["payload_kg"].as_f64().unwrap() > 1000.0, "{t}");
    assert_eq!(transfer.target, t["target"].as_str().unwrap());
    assert!(same(&serde_json::to_value(transfer.parking).unwrap(), &t["parking"]), "{:?} vs {}", transfer.parking, t["parking"]);
    assert_eq!(dz["ascent"], "optimized");
    let orbit = transfer.orbit.expect("an orbit at the last cutoff");
    assert!((orbit.apogee_km - 35_786.0).abs() < 50.0 && transfer.escape.is_none(), "{transfer:?}");
    assert!(report.bodies.len() >= 4, "{dz}");
    assert!(report.bodies.iter().all(|b| b.samples_down + b.samples_not_down == 10), "{dz}");
    assert!(report.bodies.iter().any(|b| b.nominal_impact.is_some()), "the first stages come down: {dz}");
    let files = check_run_files(&base, &a["run"], &["dropzones.json", "impacts.csv", "dropzones.geojson", "trajectory.oem"]);
    let record: Value = serde_json::from_slice(&files["run.json"]).unwrap();
    assert_eq!(record["transfer"]["target"], t["target"], "{record}");
    let written: Value = serde_json::from_slice(&files["dropzones.json"]).unwrap();
    assert!(same(&written, dz), "dropzones.json is the answer's report");
    assert!(dz["notes"].is_null(), "through the parking orbit the GTO's argument of perigee is held: {dz}");
    // Flown directly, the named GTO's argument of perigee is left free: the report says so.
    let direct = r#"{"vehicle":"ariane-5-eca","site":"kourou","orbit":"gto","payload_kg":9000,"samples":3}"#;
    let (status, d) = post(&base, "/api/dropzones", direct);
    assert_eq!(status, 200, "{d}");
    assert!(d["transfer"].is_null(), "{d}");
    assert!(d["notes"][0].as_str().is_some_and(|n| n.contains("the named orbit's 178° is not held")), "{d}");

    for (body, field, says) in [
        (r#"{"vehicle":"angara-a5-briz-m","orbit":"geo","samples":10}"#, "orbit", "gso"),
        (r#"{"vehicle":"soyuz-2.1b","c3_km2_s2":10,"samples":10}"#, "c3_km2_s2", "add \"orbit\""),
        // Without `orbit`, held by the ascent: a circular orbit has no perigee to place.
        (r#"{"vehicle":"soyuz-2.1b","argument_of_perigee_deg":90}"#, "argument_of_perigee_deg", "no perigee to place"),
    ] {
        let (status, err) = post(&base, "/api/dropzones", body);
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{body}: {err}");
        assert!(err["error"].as_str().unwrap().contains(says), "{body}: {err}");
        let (status, err) = post(&base, "/api/jobs/dropzones", body);
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "the job: {body}: {err}");
    }
}

/// `POST /api/dropzones` with `orbit: "escape"`: Angara-A5/Briz-M at C3 5 km²/s² from Vostochny.
/// The bodies fall from the payload optimizer's whole escape mission, the one `/api/transfer`
/// answers for the same members (same payload, target, C3, perigee and inclination of the
/// hyperbola); the report has no target orbit, its `transfer.escape` the C3 asked for and
/// achieved; the first stages come down, Briz-M's drop tank does not. With `?files=true` the
/// run's drop-zone files are written. A C3 out of range is refused with a 400 saying so.
#[test]
fn dropzones_of_an_escape_mission() {
    let base = start(Limits::default());
    let members = r#""vehicle":"angara-a5-briz-m","site":"vostochny","orbit":"escape","c3_km2_s2":5"#;
    let (status, t) = post(&base, "/api/transfer", &format!("{{{members}}}"));
    assert_eq!(status, 200, "{t}");
    let (status, a) = post(&base, "/api/dropzones?files=true", &format!(r#"{{{members},"samples":10,"seed":3}}"#));
    assert_eq!(status, 200, "{a}");
    let dz = &a["report"];
    assert!(dz.get("target").is_none(), "an escape has no target orbit: {dz}");
    let report: cosmodrome::mission::DropzonesReport = serde_json::from_value(dz.clone()).expect("a DropzonesReport");
    assert_eq!(dz["payload_kg"], t["payload_kg"], "the payload of /api/transfer");
    let transfer = report.transfer.as_ref().expect("the report's transfer");
    assert_eq!(transfer.target, t["target"].as_str().unwrap());
    assert!(transfer.orbit.is_none() && t["orbit"].is_null(), "{transfer:?}");
    let escape = transfer.escape.expect("the escape");
    assert_eq!(escape.target_c3_km2_s2, 5.0);
    for (ours, key) in [(escape.c3_km2_s2, "c3_km2_s2"), (escape.perigee_km, "perigee_km"), (escape.inclination_deg, "inclination_deg")] {
        assert_eq!(Some(ours), t[key].as_f64(), "{key}");
    }
    let down: Vec<bool> = report.bodies.iter().map(|b| b.nominal_impact.is_some()).collect();
    assert_eq!(down, [true, true, true, true, false], "boosters, fairing, core, URM-2 down; the drop tank up: {dz}");
    assert!(report.bodies.iter().all(|b| b.samples_down + b.samples_not_down == 10), "{dz}");
    let files = check_run_files(&base, &a["run"], &["dropzones.json", "impacts.csv", "dropzones.geojson", "dropzones.kml"]);
    let written: Value = serde_json::from_slice(&files["dropzones.json"]).unwrap();
    assert!(same(&written, dz), "dropzones.json is the answer's report");

    let (status, err) = post(&base, "/api/dropzones", r#"{"vehicle":"angara-a5-briz-m","orbit":"escape","c3_km2_s2":500,"samples":10}"#);
    assert!(status == 400 && err["error"].as_str().unwrap().contains("C3 must be within 0–200 km²/s², got 500"), "{status} {err}");
}

/// `declination_deg` aims an escape's departure asymptote on every request with a named orbit:
/// `/api/transfer` reaches it (the report's `asymptote_declination_deg`, within the optimizer's
/// 0.1°); a declination with another orbit, out of −90…90 or without `orbit` is a 400 naming
/// `declination_deg`, before any flight.
#[test]
fn an_escape_asymptote_declination_is_reached_or_refused_naming_it() {
    let base = start(Limits::default());
    let (status, t) = post(&base, "/api/transfer", r#"{"vehicle":"angara-a5-dm03","orbit":"escape","c3_km2_s2":5,"declination_deg":30}"#);
    assert_eq!(status, 200, "{t}");
    let reached = t["asymptote_declination_deg"].as_f64().unwrap_or_else(|| panic!("{t}"));
    assert!((reached - 30.0).abs() <= 0.1, "{t}");
    for (path, body, needle) in [
        ("/api/transfer", r#"{"vehicle":"angara-a5-dm03","orbit":"gto","declination_deg":20}"#, "not to gto"),
        ("/api/transfer", r#"{"vehicle":"angara-a5-dm03","orbit":"escape","declination_deg":91}"#, "−90…90°"),
        ("/api/fly", r#"{"vehicle":"angara-a5-dm03","orbit":"escape","declination_deg":-120}"#, "−90…90°"),
        ("/api/fly", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"declination_deg":20}"#, "add \"orbit\""),
        ("/api/dropzones", r#"{"vehicle":"angara-a5-dm03","orbit":"leo","declination_deg":20,"samples":10}"#, "not to leo"),
        ("/api/dropzones", r#"{"vehicle":"soyuz-2.1b","declination_deg":20,"samples":10}"#, "add \"orbit\""),
    ] {
        let (status, err) = post(&base, path, body);
        assert_eq!(status, 400, "{path} {body}: {err}");
        assert_eq!(err["field"], "declination_deg", "{path} {body}: {err}");
        assert!(err["error"].as_str().unwrap().contains(needle), "{path} {body}: {err}");
    }
}
