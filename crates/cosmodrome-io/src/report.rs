//! `events.json`: the run's setup, every event with its state, the jettisoned bodies and the
//! final state with its osculating orbit — what a script needs to pick a flight apart.

use cosmodrome::flight::{AscentEnd, Ending, FlightOutcome, FlightPoint, FlightResult, Launch};
use cosmodrome::vehicle::Vehicle;
use serde_json::{json, Value};

use crate::IoError;

/// What the run was: for the header of the JSON outputs.
#[derive(Debug, Clone)]
pub struct RunInfo<'a> {
    /// The vehicle flown.
    pub vehicle: &'a Vehicle,
    /// Vehicle id or file as the user gave it.
    pub vehicle_id: &'a str,
    /// Site id.
    pub site_id: &'a str,
    /// Pad and azimuth.
    pub launch: Launch,
    /// Target inclination, if the azimuth came from one.
    pub inclination_deg: Option<f64>,
    /// Payload, kg.
    pub payload_kg: f64,
}

/// Rounds to a fixed number of decimals so JSON stays readable; non-finite → error upstream.
pub(crate) fn round(v: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (v * k).round() / k
}

/// The flight quantities of a point as a JSON object.
pub fn point_json(p: &FlightPoint) -> Value {
    json!({
        "time_s": round(p.time_s, 3),
        "altitude_m": round(p.altitude_m, 1),
        "latitude_deg": round(p.latitude_deg, 5),
        "longitude_deg": round(p.longitude_deg, 5),
        "speed_m_s": round(p.speed_m_s, 2),
        "air_speed_m_s": round(p.air_speed_m_s, 2),
        "flight_path_angle_deg": round(p.flight_path_angle_deg, 3),
        "mass_kg": round(p.mass_kg, 1),
        "thrust_n": round(p.thrust_n, 0),
        "dynamic_pressure_pa": round(p.dynamic_pressure_pa, 1),
        "mach": round(p.mach, 3),
        "axial_accel_g": round(p.axial_accel_g, 3),
    })
}

/// Name of an outcome in JSON.
pub fn outcome_name(o: FlightOutcome) -> &'static str {
    match o {
        FlightOutcome::Orbit => "orbit",
        FlightOutcome::Impact => "impact",
        FlightOutcome::TimeLimit => "time_limit",
    }
}

/// How the flight ended (`ending` of `events.json`): its name and figures — perigee, apogee and
/// inclination of an orbit; C3 and v∞ of an escape; the impact point and time of a suborbital
/// flight.
pub fn ending_json(ending: &Ending) -> Value {
    match *ending {
        Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => json!({
            "outcome": ending.name(),
            "perigee_km": round(perigee_altitude_m / 1e3, 3),
            "apogee_km": round(apogee_altitude_m / 1e3, 3),
            "inclination_deg": round(inclination_deg, 4),
        }),
        Ending::Escape { c3_m2_s2, v_infinity_m_s, inclination_deg } => json!({
            "outcome": ending.name(),
            "c3_km2_s2": round(c3_m2_s2 / 1e6, 4),
            "v_infinity_km_s": round(v_infinity_m_s / 1e3, 4),
            "inclination_deg": round(inclination_deg, 4),
        }),
        Ending::Suborbital { impact_time_s, latitude_deg, longitude_deg } => json!({
            "outcome": ending.name(),
            "impact_time_s": round(impact_time_s, 3),
            "impact_latitude_deg": round(latitude_deg, 5),
            "impact_longitude_deg": round(longitude_deg, 5),
        }),
        Ending::TimeLimit { time_s, altitude_m } => json!({
            "outcome": ending.name(),
            "time_s": round(time_s, 3),
            "altitude_m": round(altitude_m, 1),
        }),
    }
}

/// Where the ascent whose max-Q is reported ends, and why there, in words.
pub fn ascent_end_text(end: &AscentEnd) -> String {
    match *end {
        AscentEnd::Apogee { time_s, altitude_m } => format!(
            "ascent up to the apogee at {:.1} km, t {time_s:.1} s: the vehicle falls back after it, and the fall's peak is reported apart",
            altitude_m / 1e3
        ),
        AscentEnd::EndOfPowered { time_s, falls_back: false } => format!("ascent up to the last burnout or engine cutoff, t {time_s:.1} s"),
        AscentEnd::EndOfPowered { time_s, falls_back: true } => format!(
            "ascent up to the last burnout, t {time_s:.1} s: the vehicle was already descending then and falls back; the fall's peak is reported apart"
        ),
        AscentEnd::ImpactUnderPower => "the whole flight: it came down with its engines burning".to_owned(),
        AscentEnd::EndOfFlight => "the whole flight: it ended before the last burnout".to_owned(),
    }
}

/// The osculating orbit of a result as JSON (altitudes above the equatorial radius, km).
pub fn orbit_json(result: &FlightResult) -> Value {
    let o = &result.final_orbit;
    let apogee = o.apogee_altitude_m();
    json!({
        "perigee_km": round(o.perigee_altitude_m() / 1e3, 3),
        "apogee_km": if apogee.is_finite() { json!(round(apogee / 1e3, 3)) } else { Value::Null },
        "inclination_deg": round(o.inclination_rad.to_degrees(), 4),
        "eccentricity": round(o.eccentricity, 7),
    })
}

/// `events.json` as a JSON value.
pub fn events_json(run: &RunInfo<'_>, result: &FlightResult) -> Value {
    let stage_name = |i: Option<usize>| i.and_then(|i| run.vehicle.stages.get(i)).map(|s| s.name.clone());
    let events: Vec<Value> = result
        .events
        .iter()
        .map(|e| {
            let mut v = json!({ "event": e.kind.name(), "stage": stage_name(e.kind.stage()), "description": e.description });
            if let (Value::Object(m), Value::Object(p)) = (&mut v, point_json(&e.point)) {
                m.extend(p);
            }
            v
        })
        .collect();
    let jettisoned: Vec<Value> = result
        .jettisoned
        .iter()
        .map(|b| {
            json!({
                "name": b.name,
                "count": b.count,
                "mass_kg_each": round(b.mass_kg, 1),
                "separation": point_json(&b.point),
                "position_eci_m": [b.point.position_eci_m.x, b.point.position_eci_m.y, b.point.position_eci_m.z],
                "velocity_eci_m_s": [b.point.velocity_eci_m_s.x, b.point.velocity_eci_m_s.y, b.point.velocity_eci_m_s.z],
            })
        })
        .collect();
    json!({
        "vehicle": run.vehicle.name,
        "vehicle_id": run.vehicle_id,
        "site": run.site_id,
        "payload_kg": run.payload_kg,
        "launch": {
            "latitude_deg": run.launch.latitude_deg,
            "longitude_deg": run.launch.longitude_deg,
            "altitude_m": run.launch.altitude_m,
            "azimuth_deg": round(run.launch.azimuth_deg, 4),
            "target_inclination_deg": run.inclination_deg,
        },
        "frame": "inertial frame aligned with Earth-fixed (WGS-84) axes at liftoff",
        "outcome": result.ending().name(),
        "ending": ending_json(&result.ending()),
        "max_q_kpa": round(result.max_dynamic_pressure_pa / 1e3, 3),
        "max_q_ascent": ascent_end_text(&result.ascent_end()),
        "reentry_max_q_kpa": result.reentry_max_dynamic_pressure_pa.map(|q| round(q / 1e3, 3)),
        "max_accel_g": round(result.max_axial_accel_g, 3),
        "events": events,
        "jettisoned": jettisoned,
        "final": { "state": point_json(&result.final_point), "orbit": orbit_json(result) },
        "loss_budget": crate::budget_report::loss_budget_json(&result.loss_budget),
        "margins": crate::budget_report::margins_json(run.vehicle),
    })
}

/// `events.json` as pretty-printed bytes; refuses non-finite numbers (serde_json would write them as null).
pub fn events_json_bytes(run: &RunInfo<'_>, result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let finite = result
        .events
        .iter()
        .map(|e| &e.point)
        .chain(result.jettisoned.iter().map(|b| &b.point))
        .chain(std::iter::once(&result.final_point))
        .all(|p| {
            [
                p.time_s,
                p.altitude_m,
                p.latitude_deg,
                p.longitude_deg,
                p.speed_m_s,
                p.mass_kg,
                p.dynamic_pressure_pa,
                p.mach,
                p.axial_accel_g,
            ]
            .iter()
            .all(|v| v.is_finite())
        });
    if !finite || !crate::budget_report::loss_budget_finite(&result.loss_budget) {
        return Err(IoError::Invalid { what: "events.json".to_owned(), message: "a non-finite value in an event state".to_owned() });
    }
    let mut bytes = serde_json::to_vec_pretty(&events_json(run, result))
        .map_err(|e| IoError::Invalid { what: "events.json".to_owned(), message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}
