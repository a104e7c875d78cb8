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
