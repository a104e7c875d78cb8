//! The Δv budget of a flight and the mass margins of its vehicle as tables, in `report.html` and
//! on the terminal (the JSON reports carry them as the core's `LossBudgetReport` and
//! `MarginsReport`).

use std::fmt::Write as _;

use cosmodrome::flight::losses::LossBudget;
use cosmodrome::vehicle::Vehicle;

use crate::markup::escape;

/// The budget's lines, in the order they add up: (what, m/s, sign in the sum).
pub fn loss_budget_lines(b: &LossBudget) -> [(&'static str, f64); 9] {
    [
        ("Earth rotation (inertial speed at liftoff)", b.earth_rotation_m_s),
        ("ideal Δv (∫ vacuum thrust / m)", b.ideal_delta_v_m_s),
        ("gravity loss", -b.gravity_loss_m_s),
        ("drag loss", -b.drag_loss_m_s),
        ("steering loss", -b.steering_loss_m_s),
        ("thrust (back-pressure) loss", -b.thrust_loss_m_s),
        ("coast exchange (speed traded for height)", -b.coast_exchange_m_s),
        ("= inertial speed from the budget", b.budget_speed_m_s()),
        ("inertial speed flown", b.final_speed_m_s),
    ]
}

/// The budget as a terminal table.
pub fn loss_budget_text(b: &LossBudget) -> String {
    let mut out = String::from("Δv budget (m/s):\n");
    for (what, value) in loss_budget_lines(b) {
        let _ = writeln!(out, "  {what:<44} {:>9}", crate::fixed(value, 1));
    }
    out
}

/// Whether every figure of the budget is finite (the writers refuse holes).
pub fn loss_budget_finite(b: &LossBudget) -> bool {
    loss_budget_lines(b).iter().all(|(_, v)| v.is_finite())
}

/// The budget and the defaults as `report.html` sections.
pub fn budget_html(h: &mut String, b: &LossBudget, vehicle: &Vehicle) {
    h.push_str("<h2>Δv budget</h2>\n<table>\n<tr><th>term</th><th class=n>m/s</th></tr>\n");
    for (what, value) in loss_budget_lines(b) {
        let _ = writeln!(h, "<tr><td>{}</td><td class=n>{}</td></tr>", escape(what), crate::fixed(value, 1));
    }
    h.push_str("</table>\n");
    h.push_str("<h2>Margins and defaults</h2>\n<table>\n<tr><th>key</th><th class=n>value</th><th>rule</th></tr>\n");
    // The two margins once each: as the file gives them, or as the default the file left in force.
    let defaulted = |key: &str| vehicle.defaults_used.iter().any(|d| d.key == key);
    if !defaulted("margins.flight_performance_reserve") {
        let _ = writeln!(
            h,
            "<tr><td>margins.flight_performance_reserve</td><td class=n>{}</td><td>share of the last stage's usable propellant kept unburned</td></tr>",
            vehicle.margins.flight_performance_reserve
        );
    }
    if !defaulted("margins.payload_adapter_mass_kg") {
        let _ = writeln!(
            h,
            "<tr><td>margins.payload_adapter_mass_kg</td><td class=n>{:.1}</td><td>flown with the payload, not counted as payload</td></tr>",
            vehicle.margins.payload_adapter_mass_kg
        );
    }
    for d in &vehicle.defaults_used {
        let _ = writeln!(
            h,
            "<tr><td>{} (default)</td><td class=n>{}</td><td>{}</td></tr>",
            escape(&d.key),
            crate::significant(d.value, 6),
            escape(&d.rule)
        );
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_lines_add_up() {
        let b = LossBudget {
            ideal_delta_v_m_s: 9000.0,
            gravity_loss_m_s: 1200.0,
            drag_loss_m_s: 100.0,
            steering_loss_m_s: 300.0,
            thrust_loss_m_s: 150.0,
            coast_exchange_m_s: 4200.0,
            earth_rotation_m_s: 400.0,
            final_speed_m_s: 3450.5,
        };
        let lines = loss_budget_lines(&b);
        let sum: f64 = lines[..7].iter().map(|(_, v)| v).sum();
        assert!((sum - lines[7].1).abs() < 1e-9);
        assert!((lines[7].1 - 3450.0).abs() < 1e-9);
        assert!(loss_budget_finite(&b) && !loss_budget_finite(&LossBudget { drag_loss_m_s: f64::NAN, ..b }));
    }

    /// Each margin is listed once (a default in force as the default), and a default's value as
    /// it is (`1393.75`, not `1393.7500`).
    #[test]
    fn margins_are_listed_once() {
        let (vehicle, _) = cosmodrome::vehicle::resolve_vehicle("falcon-9-block-5").expect("catalog");
        let mut h = String::new();
        budget_html(&mut h, &LossBudget::default(), &vehicle);
        for key in ["margins.flight_performance_reserve", "margins.payload_adapter_mass_kg"] {
            assert_eq!(h.matches(key).count(), 1, "{key}: {h}");
        }
        assert!(h.contains("<td class=n>1393.75</td>") && !h.contains(".7500"), "{h}");
    }
}
