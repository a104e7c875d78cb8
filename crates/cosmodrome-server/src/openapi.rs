//! The OpenAPI 3.1 description of the API (`/api/openapi.json`): the paths written here, the
//! schemas generated from the report and request types (the same as docs/schema/).

use schemars::{schema_for, Schema};
use serde_json::{json, Map, Value};

/// Moves a schema's `$defs` into `components/schemas` and points its `$ref`s there.
fn add_schema(components: &mut Map<String, Value>, name: &str, schema: Schema) {
    let mut value = schema.to_value();
    if let Some(defs) = value.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (k, v) in defs.as_object().into_iter().flatten() {
            components.insert(k.clone(), v.clone());
        }
    }
    if let Some(o) = value.as_object_mut() {
        o.remove("$schema");
    }
    components.insert(name.to_owned(), value);
}

fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/components/schemas/{name}");
                }
            }
            o.values_mut().for_each(rewrite_refs);
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

fn body(name: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } } })
}

fn answer(name: &str, what: &str) -> Value {
    json!({
        "200": { "description": what, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } } },
        "400": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" },
        "408": { "$ref": "#/components/responses/Error" },
        "413": { "$ref": "#/components/responses/Error" },
        "415": { "$ref": "#/components/responses/Error" },
        "422": { "$ref": "#/components/responses/Error" },
        "503": { "$ref": "#/components/responses/Error" }
    })
}

fn trajectory_param() -> Value {
    json!([{ "name": "trajectory", "in": "query", "required": false, "schema": { "type": "boolean" },
             "description": "true: answer {report, trajectory} with the sampled flight for plots" },
           files_param()])
}

fn files_param() -> Value {
    json!({ "name": "files", "in": "query", "required": false, "schema": { "type": "boolean" },
            "description": "true: keep the run's files (as `--out` writes them) for download; the answer is {report, run} with the run's link" })
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } })
}

/// The whole document.
pub fn document() -> Value {
    let mut components = Map::new();
    for (name, schema) in cosmodrome::mission::schemas() {
        let name = match name {
            "payload" => "PayloadReport",
            "dropzones" => "DropzonesReport",
            "flight" => "FlightReport",
            "info" => "InfoReport",
            "validate" => "ValidateReport",
            "propellant" => "PropellantReport",
            "propellant-sweep" => "PropellantSweepReport",
            "transfer" => "TransferReport",
            "sweep" => "SweepReport",
            // The command line's report of a failed run: the API answers its own `Error` below.
            "error" => continue,
            other => other,
        };
        add_schema(&mut components, name, schema);
    }
    add_schema(&mut components, "InfoBody", schema_for!(crate::api::InfoBody));
    add_schema(&mut components, "PayloadBody", schema_for!(crate::api::PayloadBody));
    add_schema(&mut components, "FlyBody", schema_for!(crate::api::FlyBody));
    add_schema(&mut components, "FlyOrbitAnswer", schema_for!(crate::api::FlyOrbitAnswer));
    add_schema(&mut components, "DropzonesBody", schema_for!(crate::api::DropzonesBody));
    add_schema(&mut components, "PropellantBody", schema_for!(crate::api::PropellantBody));
    add_schema(&mut components, "TransferBody", schema_for!(crate::api::TransferBody));
    add_schema(&mut components, "SweepBody", schema_for!(crate::sweep::SweepBody));
    add_schema(&mut components, "VehicleList", schema_for!(Vec<crate::api::VehicleEntry>));
    add_schema(&mut components, "SiteList", schema_for!(Vec<cosmodrome::mission::SiteEntry>));
    add_schema(&mut components, "ZoneSetList", schema_for!(Vec<crate::api::ZoneSetEntry>));
    add_schema(&mut components, "JobStatus", schema_for!(crate::jobs::JobStatus));
    add_schema(&mut components, "RunListing", schema_for!(crate::runs::RunListing));
    // The kinds of failure the command line's `--json` failure report names.
    add_schema(&mut components, "ErrorKind", schema_for!(cosmodrome::mission::ErrorKind));
    components.insert(
        "Error".into(),
        json!({ "type": "object", "required": ["error", "kind"], "properties": {
            "error": { "type": "string" }, "kind": { "$ref": "#/components/schemas/ErrorKind" },
            "field": { "type": ["string", "null"] }, "file": { "type": ["string", "null"] },
            "line": { "type": ["integer", "null"] }, "key": { "type": ["string", "null"] },
            "known": { "type": "array", "items": { "type": "string" } } } }),
    );
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "cosmodrome", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Launch-vehicle performance: the reports of the cosmodrome CLI's --json over HTTP. Request members are the CLI's flags in snake_case." },
        "paths": {
            "/api/vehicles": { "get": { "summary": "The catalog vehicles", "responses": answer("VehicleList", "the catalog") } },
            "/api/vehicles/{id}": { "get": { "summary": "A vehicle's propulsion budget (`cosmodrome info --json`)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": answer("InfoReport", "the info report") } },
            "/api/info": { "post": { "summary": "The propulsion budget of a catalog vehicle or a vehicle file's text (`cosmodrome info --json`)",
                "requestBody": body("InfoBody"), "responses": answer("InfoReport", "the info report") } },
            "/api/sites": { "get": { "summary": "The launch pads and their corridors", "responses": answer("SiteList", "the pads") } },
            "/api/validate": { "get": { "summary": "Predicted against published payloads of the catalog vehicles, and the flown flights (`cosmodrome validate --json`)",
                "responses": answer("ValidateReport", "the validation report") } },
            "/api/payload": { "post": { "summary": "The largest payload into an orbit (`cosmodrome payload --json`)",
                "parameters": trajectory_param(), "requestBody": body("PayloadBody"), "responses": answer("PayloadReport", "the payload report") } },
            "/api/transfer": { "post": { "summary": "The largest payload into a named orbit (`cosmodrome payload --orbit NAME --json`): the transfer report through a parking orbit, or the payload report when flown directly; `trade_factors: true` adds the trade factors of the whole mission",
                "requestBody": body("TransferBody"), "responses": answer("TransferReport", "the transfer report (or PayloadReport when the orbit is flown directly)") } },
            "/api/fly": { "post": { "summary": "A targeted ascent with a payload (`cosmodrome fly --json`); with `orbit`, the whole mission to a named orbit (`cosmodrome fly --orbit NAME --json`), answered as FlyOrbitAnswer {report, transfer | payload, trajectory?, run?}",
                "parameters": trajectory_param(), "requestBody": body("FlyBody"), "responses": answer("FlightReport", "the flight report (with `orbit`: FlyOrbitAnswer)") } },
            "/api/dropzones": { "post": { "summary": "Where the spent stages fall (`cosmodrome dropzones --json`), within the request; with `orbit`, every body the whole mission to that named orbit drops (`cosmodrome dropzones --orbit NAME --json`, the report's `transfer` through a parking orbit)",
                "parameters": [files_param()], "requestBody": body("DropzonesBody"), "responses": answer("DropzonesReport", "the drop-zone report") } },
            "/api/jobs/dropzones": { "post": { "summary": "Where the spent stages fall, as a job with progress that can be cancelled; its answer is {report, run}",
                "requestBody": body("DropzonesBody"), "responses": answer("JobStatus", "202: the job accepted (`Location` is its status)") } },
            "/api/jobs/sweep": { "post": { "summary": "The payload over a grid of catalog vehicles and a vehicle file sent as text × sites × circular-orbit altitudes × inclinations (`cosmodrome sweep`), as a job with progress (`done` of `total` points) that can be cancelled; its answer is {report (SweepReport), csv (sweep.csv), chart_svg (the payload chart, null when no point is reached)}",
                "requestBody": body("SweepBody"), "responses": answer("JobStatus", "202: the job accepted (`Location` is its status)") } },
            "/api/jobs/{id}": {
                "get": { "summary": "A job's state and progress; `result` once done", "parameters": [id_param()], "responses": answer("JobStatus", "the job") },
                "delete": { "summary": "Cancel a job: the computation stops within one flight or fall", "parameters": [id_param()], "responses": answer("JobStatus", "the job") } },
            "/api/jobs/{id}/cancel": { "post": { "summary": "Cancel a job (as DELETE)", "parameters": [id_param()], "responses": answer("JobStatus", "the job") } },
            "/api/jobs/{id}/events": { "get": { "summary": "A job's progress as server-sent events: `progress` (JobStatus) whenever it moves on, then `end`",
                "parameters": [id_param()], "responses": { "200": { "description": "text/event-stream of JobStatus objects",
                    "content": { "text/event-stream": { "schema": { "$ref": "#/components/schemas/JobStatus" } } } },
                    "404": { "$ref": "#/components/responses/Error" } } } },
            "/api/runs/{id}": { "get": { "summary": "The files of a run kept by `?files=true` or a job (formatted on the first request)",
                "parameters": [id_param()], "responses": answer("RunListing", "the files") } },
            "/api/runs/{id}/files/{name}": { "get": { "summary": "One file of a run, as an attachment",
                "parameters": [id_param(), { "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "the file (CSV, OEM, GeoJSON, KML, Parquet, HTML, SVG, PNG, JSON)" },
                               "404": { "$ref": "#/components/responses/Error" } } } },
            "/api/dropzone-sets": { "get": { "summary": "The built-in designated drop zones (values of `drop_zones`) with their outlines",
                "responses": answer("ZoneSetList", "the zone sets") } },
            "/api/propellant": { "post": { "summary": "Equilibrium combustion of a propellant pair (`cosmodrome propellant --json`); a mixture-ratio sweep answers the sweep report",
                "requestBody": body("PropellantBody"), "responses": {
                    "200": { "description": "the propellant report, or the sweep report for `\"start:end:step\"`", "content": { "application/json": { "schema": {
                        "oneOf": [{ "$ref": "#/components/schemas/PropellantReport" }, { "$ref": "#/components/schemas/PropellantSweepReport" }] } } } },
                    "400": { "$ref": "#/components/responses/Error" }, "422": { "$ref": "#/components/responses/Error" } } } }
        },
        "components": {
            "schemas": Value::Object(components),
            "responses": { "Error": { "description": "what is wrong, with the request member or the file, line and key at fault",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } }
        }
    });
    rewrite_refs(&mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request bodies, whose members are flattened from one shared part, are described as
    /// the members they take at their top level: every member (the wire format), the required
    /// ones, the defaults of `perigee_km` (200 km without a named orbit, none with one), and no
    /// other member (`additionalProperties: false`).
    #[test]
    fn the_bodies_are_described_member_by_member() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let shared = ["vehicle", "vehicle_toml", "site", "perigee_km", "apogee_km", "inclination_deg", "southbound"];
        let own: [(&str, &[&str]); 4] = [
            ("PayloadBody", &["argument_of_perigee_deg", "drop_zones", "launch_utc", "trade_factors"]),
            ("TransferBody", &["orbit", "argument_of_perigee_deg", "c3_km2_s2", "declination_deg", "trade_factors"]),
            (
                "FlyBody",
                &[
                    "payload_kg",
                    "orbit",
                    "argument_of_perigee_deg",
                    "c3_km2_s2",
                    "declination_deg",
                    "sample_interval_s",
                    "open_loop",
                    "azimuth_deg",
                    "vertical_rise_s",
                    "pitch_over_speed_m_s",
                    "pitch_kick_deg",
                    "staging_fpa_deg",
                    "pitch_kick_duration_s",
                    "final_pitch_deg",
                    "gravity_turn_only",
                    "main_engine_burn_s",
                    "launch_utc",
                ],
            ),
            (
                "DropzonesBody",
                &[
                    "drop_zones",
                    "payload_kg",
                    "samples",
                    "seed",
                    "dispersions_toml",
                    "wind_toml",
                    "launch_utc",
                    "orbit",
                    "argument_of_perigee_deg",
                    "c3_km2_s2",
                    "declination_deg",
                ],
            ),
        ];
        for (name, own) in own {
            let body = &schemas[name];
            assert_eq!(body["additionalProperties"], false, "{name}");
            assert_eq!(body["type"], "object", "{name}");
            let mut members: Vec<&str> = body["properties"].as_object().unwrap().keys().map(String::as_str).collect();
            let mut expected: Vec<&str> = shared.iter().chain(own).copied().collect();
            members.sort_unstable();
            expected.sort_unstable();
            assert_eq!(members, expected, "{name}");
            let required = if name == "TransferBody" { json!(["orbit"]) } else { Value::Null };
            assert_eq!(body["required"], required, "{name}");
            assert!(body["properties"].as_object().unwrap().values().all(|m| m["description"].is_string()), "{name}");
            let perigee = &body["properties"]["perigee_km"];
            match name {
                "PayloadBody" => assert_eq!((&perigee["type"], &perigee["default"]), (&json!("number"), &json!(200.0))),
                _ => assert_eq!((&perigee["type"], &perigee["default"]), (&json!(["number", "null"]), &Value::Null)),
            }
            assert_eq!(body["properties"]["site"]["default"], "vostochny", "{name}");
        }
        assert!(schemas.get("PerigeeKm").is_none() && schemas.get("TargetBody").is_none(), "the shared part is inlined");
    }
}
