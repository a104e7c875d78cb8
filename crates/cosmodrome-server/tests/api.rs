//! The API against a real server on 127.0.0.1 (an ephemeral port), through a plain HTTP client.

#[path = "../../../tests/python/harness.rs"]
mod harness;

use std::time::Duration;

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
    // A member of the wrong type is named.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination_deg":"polar"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("inclination_deg")), "{err}");
    // An unknown member is named.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination":97.5}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("inclination")), "{err}");
    // A missing member is named.
    let (status, err) = post(&base, "/api/fly", r#"{"vehicle":"soyuz-2.1b"}"#);
    assert_eq!((status, err["field"].as_str()), (400, Some("payload_kg")), "{err}");
    // An unknown vehicle: 404 naming the field, with the known ids.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1x"}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("vehicle")), "{err}");
    assert!(err["error"].as_str().unwrap().contains("soyuz-2.1b"), "{err}");
    // An unknown site.
    let (status, err) = post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","site":"atlantis"}"#);
    assert_eq!((status, err["field"].as_str()), (404, Some("site")), "{err}");
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
    // A body not declared JSON (a form another web site could post): 415.
    let (status, err) =
        answer(agent().post(&format!("{base}/api/payload")).header("content-type", "text/plain").send(r#"{"vehicle":"soyuz-2.1b"}"#));
    assert_eq!(status, 415, "{err}");
    // No CORS: a cross-origin answer carries no allow-origin header.
    let resp = agent().get(&format!("{base}/api/vehicles")).header("origin", "http://example.invalid").call().unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
    // An unknown path.
    let (status, _) = get(&base, "/api/nothing");
    assert_eq!(status, 404);
}

#[test]
fn an_oversize_body_gets_413() {
    let base = start(Limits { max_body_bytes: 1 << 20, ..Limits::default() });
    let big = json!({ "vehicle_toml": "#".repeat((1 << 20) + 10) }).to_string();
    let (status, err) = post(&base, "/api/payload", &big);
    assert_eq!(status, 413, "{err}");
}

#[test]
fn a_computation_past_its_time_budget_gets_408_and_the_server_goes_on() {
    let base = start(Limits { request_timeout: Duration::from_millis(1), ..Limits::default() });
    let (status, err) = post(&base, "/api/dropzones", r#"{"vehicle":"soyuz-2.1b","payload_kg":5000,"samples":100000}"#);
    assert_eq!(status, 408, "{err}");
    let (status, _) = get(&base, "/api/vehicles");
    assert_eq!(status, 200);
}

#[test]
fn openapi_lists_every_endpoint_and_its_refs_resolve() {
    let base = start(Limits::default());
    let (status, doc) = get(&base, "/api/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/api/vehicles", "/api/vehicles/{id}", "/api/sites", "/api/payload", "/api/fly", "/api/dropzones", "/api/propellant"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
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
#[test]
fn a_request_that_finds_every_core_busy_gets_503() {
    let base = start(Limits { max_concurrent: 1, queue_timeout: Duration::from_millis(1), ..Limits::default() });
    let busy = {
        let base = base.clone();
        // An optimization of the ascent: most of a second, the only core taken.
        std::thread::spawn(move || post(&base, "/api/payload", r#"{"vehicle":"soyuz-2.1b","inclination_deg":97.5}"#))
    };
    // Probe while it runs (a probe that gets in before it, or after, is answered at once).
    let mut statuses = Vec::new();
    while !busy.is_finished() {
        let (status, err) = post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#);
        assert!(status == 200 || status == 503, "{status} {err}");
        statuses.push(status);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(statuses.contains(&503), "no probe found the core busy: {statuses:?}");
    assert_eq!(busy.join().unwrap().0, 200);
    // The core is free again.
    assert_eq!(post(&base, "/api/info", r#"{"vehicle":"soyuz-2.1b"}"#).0, 200);
}
