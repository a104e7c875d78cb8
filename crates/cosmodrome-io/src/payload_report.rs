//! The JSON answer of `cosmodrome payload`: vehicle, site, target, payload, achieved
//! orbit, loads, and per jettisoned stage its separation state and nominal impact point
//! (`null` for a stage that stays in orbit).

use cosmodrome::dropzone::designated::ZoneCheck;
use cosmodrome::dropzone::{DesignatedZones, NominalImpact};
use cosmodrome::optimize::payload::{PayloadSolution, TargetOrbit};
use cosmodrome::vehicle::Vehicle;
use serde_json::{json, Value};

use crate::report::round;
use crate::IoError;

/// The `payload --json` object; `impacts` are the nominal falls of the jettisoned bodies.
pub fn payload_json(
    vehicle: &Vehicle,
    site_id: &str,
    target: &TargetOrbit,
    solution: &PayloadSolution,
    impacts: &[NominalImpact],
) -> Result<Value, IoError> {
    let o = &solution.orbit;
    let stages: Vec<Value> = solution
        .flight
        .jettisoned
        .iter()
        .filter(|b| b.stage.is_some())
        .map(|b| {
            let impact = impacts.iter().find(|n| n.stage == b.stage).and_then(|n| n.impact().map(|i| (i, n.downrange_km)));
            let impact = match impact {
                Some((i, downrange_km)) if i.latitude_deg.is_finite() && i.longitude_deg.is_finite() => json!({
                    "latitude_deg": round(i.latitude_deg, 4),
                    "longitude_deg": round(i.longitude_deg, 4),
                    "downrange_km": downrange_km.map(|d| round(d, 1)),
                    "speed_m_s": round(i.speed_m_s, 1),
                    "flight_time_s": round(i.flight_time_s, 1),
                }),
                _ => Value::Null,
            };
            json!({
                "name": b.name,
                "separation": {
                    "time_s": round(b.point.time_s, 3),
                    "altitude_km": round(b.point.altitude_m / 1e3, 3),
                    "speed_m_s": round(b.point.speed_m_s, 2),
                    "latitude_deg": round(b.point.latitude_deg, 5),
                    "longitude_deg": round(b.point.longitude_deg, 5),
                    "flight_path_angle_deg": round(b.point.flight_path_angle_deg, 3),
                },
                "impact": impact,
            })
        })
        .collect();
    let value = json!({
        "vehicle": vehicle.name,
        "site": site_id,
        "target": {
            "perigee_km": round(target.perigee_m / 1e3, 3),
            "apogee_km": round(target.apogee_m / 1e3, 3),
            "inclination_deg": round(target.inclination_deg, 4),
        },
        "payload_kg": round(solution.payload_kg, 1),
        "orbit": {
            "perigee_km": round(o.perigee_altitude_m() / 1e3, 3),
            "apogee_km": round(o.apogee_altitude_m() / 1e3, 3),
            "inclination_deg": round(o.inclination_rad.to_degrees(), 4),
        },
        "launch_azimuth_deg": round(solution.launch.azimuth_deg, 4),
        "max_q_kpa": round(solution.flight.max_dynamic_pressure_pa / 1e3, 3),
        "max_accel_g": round(solution.flight.max_axial_accel_g, 3),
        "insertion_time_s": round(solution.flight.final_point.time_s, 3),
        "stages": stages,
        "loss_budget": crate::budget_report::loss_budget_json(&solution.flight.loss_budget),
        "margins": crate::budget_report::margins_json(vehicle),
    });
    // serde_json turns NaN into null silently: refuse instead, so no consumer sees a hole.
    let figures = [
        solution.payload_kg,
        o.perigee_altitude_m(),
        o.apogee_altitude_m(),
        o.inclination_rad,
        solution.flight.max_dynamic_pressure_pa,
        solution.flight.max_axial_accel_g,
    ];
    if figures.iter().any(|v| !v.is_finite())
        || !crate::budget_report::loss_budget_finite(&solution.flight.loss_budget)
        || solution.flight.jettisoned.iter().any(|b| !(b.point.speed_m_s.is_finite() && b.point.altitude_m.is_finite()))
    {
        return Err(IoError::Invalid { what: "payload JSON".to_owned(), message: "a figure is not finite".to_owned() });
    }
    Ok(value)
}

/// The designated zones of a shaped ascent with each selected body's nominal distance from the
/// zone's centre: the `drop_zones` member of the payload answer.
pub fn zone_checks_json(zones: &DesignatedZones, checks: &[ZoneCheck]) -> Result<Value, IoError> {
    let items: Vec<Value> = checks
        .iter()
        .map(|c| {
            let z = &zones.zones[c.zone];
            json!({
                "zone": z.name,
                "stage": z.bodies.to_string(),
                "body": c.body,
                "latitude_deg": round(z.latitude_deg, 4),
                "longitude_deg": round(z.longitude_deg, 4),
                "radius_km": round(z.radius_km, 3),
                "margin_km": round(z.margin_km, 3),
                "nominal_distance_km": c.distance_km.filter(|d| d.is_finite()).map(|d| round(d, 2)),
                "inside": c.inside,
            })
        })
        .collect();
    Ok(json!({ "name": zones.name, "zones": items }))
}
