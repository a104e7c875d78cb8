//! The propulsion report of a vehicle: per stage masses, burn time, thrust-to-weight and ideal
//! Δv, the burn phases and the mass margins (`cosmodrome info`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, MarginsReport};
use crate::error::{Error, Result};
use crate::propulsion::delta_v_budget;
use crate::vehicle::Vehicle;

/// Layout and version of [`InfoReport`] (its `format` member).
pub const INFO_FORMAT: &str = "cosmodrome-info/1";

/// The answer of `cosmodrome info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoReport {
    /// Layout and version of this report: `cosmodrome-info/1`.
    #[schemars(extend("const" = INFO_FORMAT))]
    pub format: String,
    /// Vehicle name.
    pub vehicle: String,
    /// What the vehicle is.
    pub description: String,
    /// Payload carried for the budget, kg.
    pub payload_kg: f64,
    /// Mass at liftoff with the payload, kg.
    pub liftoff_mass_kg: f64,
    /// Thrust-to-weight at liftoff with the payload.
    pub liftoff_thrust_to_weight: f64,
    /// Every stage in the vehicle file's order.
    pub stages: Vec<StageInfoReport>,
    /// The burn phases (vacuum, no gravity, fairing carried to the end).
    pub phases: Vec<BurnPhaseReport>,
    /// Ideal Δv of all phases, m/s.
    pub total_delta_v_m_s: f64,
    /// The mass margins and the defaults in force.
    pub margins: MarginsReport,
}

/// A stage's propulsion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInfoReport {
    /// Stage name.
    pub name: String,
    /// Identical units (boosters of a cluster).
    pub units: u32,
    /// Engines per unit.
    pub engines_per_unit: u32,
    /// Engine id.
    pub engine: String,
    /// Gross mass of all units, kg.
    pub gross_mass_kg: f64,
    /// Usable propellant of all units, kg.
    pub propellant_mass_kg: f64,
    /// Mass at burnout (dry and residuals) of all units, kg.
    pub burnout_mass_kg: f64,
    /// Sea-level specific impulse, s; `null` for an engine that only fires in vacuum.
    pub isp_sl_s: Option<f64>,
    /// Vacuum specific impulse, s.
    pub isp_vac_s: f64,
    /// Ignition after liftoff, s; `null` when it does not follow from the file alone.
    pub ignition_s: Option<f64>,
    /// Burn time at rated thrust, s; `null` when it is not defined.
    pub burn_time_s: Option<f64>,
    /// Thrust-to-weight at its ignition; `null` when not defined.
    pub thrust_to_weight_at_ignition: Option<f64>,
    /// Ideal Δv of the stage, m/s.
    pub ideal_delta_v_m_s: f64,
    /// The solid motor's figures, per motor (`null` for a liquid engine).
    pub motor: Option<MotorInfoReport>,
    /// The engine's ideal performance from its propellant chemistry, when the vehicle file
    /// describes the engine by it (`null` otherwise).
    pub chemistry: Option<EngineChemistryReport>,
}

/// A solid motor's thrust curve in figures (one motor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MotorInfoReport {
    /// Motor id.
    pub id: String,
    /// Propellant as the file writes it.
    pub propellant: String,
    /// Vacuum total impulse of the curve, N·s.
    pub total_impulse_vac_n_s: f64,
    /// Time from ignition to the end of the tail-off, s.
    pub burn_time_s: f64,
    /// Time between the 10 % thrust points, s.
    pub action_time_s: f64,
    /// Vacuum total impulse over the burn time, N.
    pub average_thrust_vac_n: f64,
    /// Peak vacuum thrust, N.
    pub max_thrust_vac_n: f64,
    /// Vacuum Isp the motor burns at (total impulse over propellant), s.
    pub delivered_isp_vac_s: f64,
    /// Vacuum Isp the source states, s.
    pub rated_isp_vac_s: f64,
}

/// An engine's performance from chemistry: the ideal rocket and the efficiencies applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineChemistryReport {
    /// Ideal vacuum Isp (shifting equilibrium), s.
    pub ideal_isp_vac_s: f64,
    /// Ideal sea-level Isp, s.
    pub ideal_isp_sl_s: f64,
    /// Ideal characteristic velocity, m/s.
    pub ideal_c_star_m_s: f64,
    /// c* efficiency applied.
    pub c_star_efficiency: f64,
    /// Thrust-coefficient efficiency applied.
    pub thrust_coefficient_efficiency: f64,
    /// Vacuum Isp the chemistry delivers (ideal × both efficiencies), s: the engine's Isp when
    /// the file states none.
    pub delivered_isp_vac_s: f64,
}

/// A burn phase: the stages burning together between two burnouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BurnPhaseReport {
    /// The stages burning.
    pub stages: String,
    /// Start, s after liftoff.
    pub start_s: f64,
    /// End, s after liftoff.
    pub end_s: f64,
    /// Mass at the start, kg.
    pub start_mass_kg: f64,
    /// Mass at the end, kg.
    pub end_mass_kg: f64,
    /// Effective exhaust velocity, m/s.
    pub exhaust_velocity_m_s: f64,
    /// Ideal Δv, m/s.
    pub delta_v_m_s: f64,
}

/// The propulsion report of a vehicle carrying `payload_kg` (figures unrounded: they follow from the file's data by
/// closed forms, and the tables round them once).
pub fn info(vehicle: &Vehicle, payload_kg: f64) -> Result<InfoReport> {
    if !payload_kg.is_finite() || payload_kg < 0.0 {
        return Err(Error::invalid("payload", format!("must be a finite mass ≥ 0 kg, got {payload_kg} kg")));
    }
    let budget = delta_v_budget(vehicle, payload_kg);
    let defined = |v: f64| v.is_finite().then_some(v);
    let stages = vehicle
        .stages
        .iter()
        .zip(&budget.stages)
        .map(|(s, b)| StageInfoReport {
            name: s.name.clone(),
            units: s.units,
            engines_per_unit: s.engines_per_unit,
            engine: s.engine.id.clone(),
            gross_mass_kg: b.gross_mass_kg,
            propellant_mass_kg: b.propellant_mass_kg,
            burnout_mass_kg: b.burnout_mass_kg,
            isp_sl_s: (s.engine.exit_area_m2 > 0.0).then(|| s.engine.isp_sl_s()),
            isp_vac_s: s.engine.isp_vac_s,
            ignition_s: defined(b.ignition_s),
            burn_time_s: defined(b.burn_time_s),
            thrust_to_weight_at_ignition: defined(b.thrust_to_weight_at_ignition),
            ideal_delta_v_m_s: b.ideal_delta_v_m_s,
            motor: s.motor.as_ref().map(|m| MotorInfoReport {
                id: m.id.clone(),
                propellant: m.propellant.clone(),
                total_impulse_vac_n_s: m.total_impulse_vac_n_s(),
                burn_time_s: m.burn_time_s(),
                action_time_s: m.action_time_s(),
                average_thrust_vac_n: m.average_thrust_vac_n(),
                max_thrust_vac_n: m.max_thrust_vac_n(),
                delivered_isp_vac_s: m.delivered_isp_vac_s(),
                rated_isp_vac_s: m.rated_isp_vac_s,
            }),
            chemistry: s.engine.chemistry.map(|c| EngineChemistryReport {
                ideal_isp_vac_s: c.ideal_isp_vac_s,
                ideal_isp_sl_s: c.ideal_isp_sl_s,
                ideal_c_star_m_s: c.ideal_c_star_m_s,
                c_star_efficiency: c.c_star_efficiency,
                thrust_coefficient_efficiency: c.thrust_coefficient_efficiency,
                delivered_isp_vac_s: c.isp_vac_s,
            }),
        })
        .collect::<Vec<_>>();
    let phases = budget
        .phases
        .iter()
        .map(|p| BurnPhaseReport {
            stages: p.stages.clone(),
            start_s: p.start_s,
            end_s: p.end_s,
            start_mass_kg: p.start_mass_kg,
            end_mass_kg: p.end_mass_kg,
            exhaust_velocity_m_s: p.exhaust_velocity_m_s,
            delta_v_m_s: p.delta_v_m_s,
        })
        .collect::<Vec<_>>();
    let liftoff_thrust_to_weight = vehicle.liftoff_thrust_to_weight(payload_kg);
    check_finite(
        "info",
        [budget.liftoff_mass_kg, liftoff_thrust_to_weight, budget.total_delta_v_m_s]
            .into_iter()
            .chain(stages.iter().flat_map(|s| [s.gross_mass_kg, s.propellant_mass_kg, s.burnout_mass_kg, s.isp_vac_s, s.ideal_delta_v_m_s]))
            .chain(stages.iter().filter_map(|s| s.motor.as_ref()).flat_map(|m| {
                [m.total_impulse_vac_n_s, m.burn_time_s, m.action_time_s, m.average_thrust_vac_n, m.max_thrust_vac_n, m.delivered_isp_vac_s]
            }))
            .chain(
                stages
                    .iter()
                    .filter_map(|s| s.chemistry.as_ref())
                    .flat_map(|c| [c.ideal_isp_vac_s, c.ideal_isp_sl_s, c.ideal_c_star_m_s, c.delivered_isp_vac_s]),
            )
            .chain(phases.iter().flat_map(|p| [p.start_s, p.end_s, p.start_mass_kg, p.end_mass_kg, p.exhaust_velocity_m_s, p.delta_v_m_s])),
    )?;
    Ok(InfoReport {
        format: INFO_FORMAT.to_owned(),
        vehicle: vehicle.name.clone(),
        description: vehicle.description.clone(),
        payload_kg,
        liftoff_mass_kg: budget.liftoff_mass_kg,
        liftoff_thrust_to_weight,
        stages,
        phases,
        total_delta_v_m_s: budget.total_delta_v_m_s,
        margins: MarginsReport::new(vehicle),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::G0_M_S2;
    use crate::vehicle::catalog_vehicle;

    /// A solid stage reports its motor: the curve's total impulse is the propellant of one motor
    /// burned at the delivered Isp, and the average thrust is that impulse over the burn time.
    #[test]
    fn a_solid_stage_reports_its_motor() {
        let text = include_str!("../../../../data/vehicles/ariane-5-eca.toml");
        let (vehicle, _) = Vehicle::from_toml(text, "ariane-5-eca.toml").expect("Ariane 5 ECA reads");
        let r = info(&vehicle, 0.0).expect("info");
        let (stage, report) = vehicle.stages.iter().zip(&r.stages).find(|(s, _)| s.motor.is_some()).expect("a solid stage");
        let m = report.motor.as_ref().expect("its motor is reported");
        let propellant_per_motor_kg = stage.motor.as_ref().unwrap().propellant_mass_kg;
        assert!((m.total_impulse_vac_n_s / (propellant_per_motor_kg * m.delivered_isp_vac_s * G0_M_S2) - 1.0).abs() < 1e-9);
        assert!((m.average_thrust_vac_n * m.burn_time_s / m.total_impulse_vac_n_s - 1.0).abs() < 1e-9);
        assert!(m.max_thrust_vac_n > m.average_thrust_vac_n && m.action_time_s < m.burn_time_s);
        assert!(
            r.stages.iter().filter(|s| s.motor.is_none()).all(|s| s.chemistry.is_none()),
            "no engine of this file is given by chemistry"
        );
    }

    /// An engine given by its chemistry reports the ideal figures and the efficiencies that turn
    /// them into the Isp it flies with; an engine given by its Isp reports none.
    #[test]
    fn an_engine_from_chemistry_reports_its_ideal_performance() {
        let stated = catalog_vehicle("angara-1.2").expect("catalog");
        let chemistry =
            r#"chemistry = { oxidizer = "LOX", fuel = "RP-1", mixture_ratio = 2.6, chamber_pressure_bar = 258.0, expansion_ratio = 37.0 }"#;
        let text = stated.replacen("thrust_sl_kn = 1922.1034\nisp_vac_s = 337.5\nisp_sl_s = 311.2\n", &format!("{chemistry}\n"), 1);
        assert_ne!(text, stated);
        let (vehicle, _) = Vehicle::from_toml(&text, "angara-1.2-chemistry.toml").expect("reads");
        let r = info(&vehicle, 0.0).expect("info");
        let c = r.stages[0].chemistry.as_ref().expect("the RD-191 stage reports its chemistry");
        assert!((c.delivered_isp_vac_s - c.ideal_isp_vac_s * c.c_star_efficiency * c.thrust_coefficient_efficiency).abs() < 1e-9);
        assert_eq!(c.delivered_isp_vac_s, r.stages[0].isp_vac_s, "the stage flies the Isp the chemistry delivers");
        assert!(c.ideal_isp_sl_s < c.ideal_isp_vac_s && c.ideal_c_star_m_s > 1500.0);
        let (catalog, _) = Vehicle::from_toml(stated, "angara-1.2.toml").expect("reads");
        assert!(info(&catalog, 0.0).expect("info").stages.iter().all(|s| s.chemistry.is_none() && s.motor.is_none()));
    }
}
