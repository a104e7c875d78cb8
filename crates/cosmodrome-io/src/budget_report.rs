//! The Δv budget of a flight and the mass margins of its vehicle, as the reports show them:
//! the `loss_budget` and `margins` members of `payload.json`, `payload --json` and
//! `events.json`, and their tables in `report.html` and on the terminal.

use std::fmt::Write as _;

use cosmodrome::flight::losses::LossBudget;
use cosmodrome::vehicle::Vehicle;
use serde_json::{json, Value};

use crate::report::round;
use crate::report_html::escape;

/// The budget's lines, in the order they add up: (what, m/s, sign in the sum).
pub fn loss_budget_lines(b: &LossBudget) -> [(&'static str, f64); 8] {
    [
        ("Earth rotation (inertial speed at liftoff)", b.earth_rotation_m_s),
        ("ideal Δv (∫ vacuum thrust / m)", b.ideal_delta_v_m_s),
        ("gravity loss", -b.gravity_loss_m_s),
        ("drag loss", -b.drag_loss_m_s),
        ("steering loss", -b.steering_loss_m_s),
        ("thrust (back-pressure) loss", -b.thrust_loss_m_s),
        ("= inertial speed from the budget", b.budget_speed_m_s()),
        ("inertial speed flown", b.final_speed_m_s),
    ]
}

/// The budget as a terminal table.
pub fn loss_budget_text(b: &LossBudget) -> String {
    let mut out = String::from("Δv budget (m/s):\n");
    for (what, value) in loss_budget_lines(b) {
        let _ = writeln!(out, "  {what:<44} {value:>9.1}");
    }
    out
}

/// The `loss_budget` JSON member (m/s).
pub fn loss_budget_json(b: &LossBudget) -> Value {
    json!({
        "ideal_delta_v_m_s": round(b.ideal_delta_v_m_s, 2),
        "gravity_loss_m_s": round(b.gravity_loss_m_s, 2),
        "drag_loss_m_s": round(b.drag_loss_m_s, 2),
        "steering_loss_m_s": round(b.steering_loss_m_s, 2),
        "thrust_loss_m_s": round(b.thrust_loss_m_s, 2),
        "earth_rotation_m_s": round(b.earth_rotation_m_s, 2),
        "final_inertial_speed_m_s": round(b.final_speed_m_s, 2),
        "closure_error_m_s": round(b.closure_error_m_s(), 3),
    })
}

/// The `margins` JSON member: the mass items a published payload leaves out, and every default
/// of the vehicle format the run used with its value.
pub fn margins_json(vehicle: &Vehicle) -> Value {
    let residuals: Vec<Value> = vehicle
        .stages
        .iter()
        .map(|s| json!({ "stage": s.name, "residual_kg": round(s.residual_mass_kg * f64::from(s.units), 1), "startup_propellant_kg": round(s.startup_mass_kg(), 1) }))
        .collect();
    let reserve_kg: f64 = vehicle.stages.iter().map(|s| s.reserve_mass_kg * f64::from(s.units)).sum();
    let jettison: Vec<Value> = vehicle.jettison.iter().map(|j| json!({ "name": j.name, "mass_kg": round(j.mass_kg, 1) })).collect();
    let defaults: Vec<Value> =
        vehicle.defaults_used.iter().map(|d| json!({ "key": d.key, "value": round(d.value, 4), "rule": d.rule })).collect();
    json!({
        "flight_performance_reserve": vehicle.margins.flight_performance_reserve,
        "flight_performance_reserve_kg": round(reserve_kg, 1),
        "payload_adapter_mass_kg": round(vehicle.margins.payload_adapter_mass_kg, 1),
        "residuals": residuals,
        "jettison": jettison,
        "defaults_used": defaults,
    })
}

/// Whether every figure of the budget is finite (the writers refuse holes).
pub fn loss_budget_finite(b: &LossBudget) -> bool {
    loss_budget_lines(b).iter().all(|(_, v)| v.is_finite())
}

/// The budget and the defaults as `report.html` sections.
pub fn budget_html(h: &mut String, b: &LossBudget, vehicle: &Vehicle) {
    h.push_str("<h2>Δv budget</h2>\n<table>\n<tr><th>term</th><th class=n>m/s</th></tr>\n");
    for (what, value) in loss_budget_lines(b) {
        let _ = writeln!(h, "<tr><td>{}</td><td class=n>{value:.1}</td></tr>", escape(what));
    }
    h.push_str("</table>\n");
    h.push_str("<h2>Margins and defaults</h2>\n<table>\n<tr><th>key</th><th class=n>value</th><th>rule</th></tr>\n");
    let _ = writeln!(
        h,
        "<tr><td>margins.flight_performance_reserve</td><td class=n>{}</td><td>share of the last stage's usable propellant kept unburned</td></tr>",
        vehicle.margins.flight_performance_reserve
    );
    let _ = writeln!(
        h,
        "<tr><td>margins.payload_adapter_mass_kg</td><td class=n>{:.1}</td><td>flown with the payload, not counted as payload</td></tr>",
        vehicle.margins.payload_adapter_mass_kg
    );
    for d in &vehicle.defaults_used {
        let _ = writeln!(h, "<tr><td>{} (default)</td><td class=n>{:.4}</td><td>{}</td></tr>", escape(&d.key), d.value, escape(&d.rule));
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const VEHICLE: &str = "format = 1\nname = \"T\"\n[[engine]]\nid = \"E\"\npropellant = \"x\"\nthrust_vac_kn = 100\nisp_vac_s = 300\n[[stage]]\nname = \"S\"\nengine = \"E\"\ndry_mass_kg = 100\npropellant_mass_kg = 1000\ndiameter_m = 1\n";

    #[test]
    fn budget_lines_add_up_and_json_names_every_term() {
        let b = LossBudget {
            ideal_delta_v_m_s: 9000.0,
            gravity_loss_m_s: 1200.0,
            drag_loss_m_s: 100.0,
            steering_loss_m_s: 300.0,
            thrust_loss_m_s: 150.0,
            earth_rotation_m_s: 400.0,
            final_speed_m_s: 7650.5,
        };
        let lines = loss_budget_lines(&b);
        let sum: f64 = lines[..6].iter().map(|(_, v)| v).sum();
        assert!((sum - lines[6].1).abs() < 1e-9);
        let j = loss_budget_json(&b);
        for key in ["ideal_delta_v_m_s", "gravity_loss_m_s", "drag_loss_m_s", "steering_loss_m_s", "thrust_loss_m_s", "earth_rotation_m_s"]
        {
            assert!(j[key].is_number(), "{key}");
        }
        assert_eq!(j["closure_error_m_s"], 0.5);
    }

    #[test]
    fn margins_list_the_defaults_in_force() {
        let (v, _) = Vehicle::from_toml(VEHICLE, "t.toml").expect("valid");
        let m = margins_json(&v);
        let keys: Vec<&str> = m["defaults_used"].as_array().expect("list").iter().filter_map(|d| d["key"].as_str()).collect();
        assert_eq!(keys, ["stage[1].residual_mass_kg", "margins.flight_performance_reserve", "margins.payload_adapter_mass_kg"]);
        assert_eq!(m["residuals"][0]["residual_kg"], 12.5);
    }
}
