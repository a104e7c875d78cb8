//! The propulsion report of a vehicle: per stage masses, burn time, thrust-to-weight and ideal
//! Δv, the burn phases and the mass margins (`cosmodrome info`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, MarginsReport};
use crate::error::Result;
use crate::propulsion::delta_v_budget;
use crate::vehicle::engine_chemistry::EngineChemistry;
use crate::vehicle::{Stage, Vehicle, SEA_LEVEL_PRESSURE_PA};

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
    /// The burn phases (vacuum, no gravity; a fairing with a jettison time dropped then, one
    /// jettisoned by altitude or heat flux carried to the end).
    pub phases: Vec<BurnPhaseReport>,
    /// Ideal Δv of all phases, m/s.
    pub total_delta_v_m_s: f64,
    /// The mass margins and the defaults in force.
    pub margins: MarginsReport,
    /// The coast before a solid stage that the ascent chooses within the file's range
    /// (`ignition_delay_max_s`); the phases give the shortest. Absent for a vehicle without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_coast: Option<CoastRangeReport>,
    /// The least liftoff thrust-to-weight the file allows (`limits.min_liftoff_thrust_to_weight`)
    /// and the heaviest payload that keeps it, with the stages loaded as the file says. Absent
    /// without the limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liftoff_limit: Option<super::LiftoffLimitReport>,
}

/// The range within which the ascent chooses the coast before a solid stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoastRangeReport {
    /// The stage lit after the coast.
    pub stage: String,
    /// The shortest coast from the separation of the stage below (`ignition_delay_s`), s.
    pub min_s: f64,
    /// The longest coast (`ignition_delay_max_s`), s.
    pub max_s: f64,
}

/// A stage's propulsion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInfoReport {
    /// Stage name.
    pub name: String,
    /// Identical units (boosters of a cluster).
    pub units: u32,
    /// Engines of `engine` per unit (1 for a stage of several engine types).
    pub engines_per_unit: u32,
    /// Engine id; for a stage of several engine types, their combination (`RD-120 + RD-8`),
    /// which `engines` lists.
    pub engine: String,
    /// Vacuum thrust of the whole stage at full throttle (all units and engines), N.
    #[serde(default)]
    pub thrust_vac_n: f64,
    /// Sea-level thrust of the whole stage at full throttle, N; `null` for engines that only
    /// fire in vacuum, and for a nozzle on which the sea-level pressure takes the whole vacuum
    /// thrust or more.
    #[serde(default)]
    pub thrust_sl_n: Option<f64>,
    /// The liquid engine types of one unit, each with its own figures (one entry for a stage of
    /// one engine type, none for a solid stage); the stage's Isp and thrust are theirs together.
    #[serde(default)]
    pub engines: Vec<StageEngineReport>,
    /// Gross mass of all units, kg.
    pub gross_mass_kg: f64,
    /// Usable propellant of all units, kg.
    pub propellant_mass_kg: f64,
    /// Mass at burnout (dry and residuals) of all units, kg.
    pub burnout_mass_kg: f64,
    /// Sea-level specific impulse, s (the stage's engines together: thrust over mass flow);
    /// `null` for an engine that only fires in vacuum, and for a nozzle on which the sea-level
    /// pressure takes the whole vacuum thrust or more (a solid motor's from its average thrust).
    pub isp_sl_s: Option<f64>,
    /// Vacuum specific impulse, s (the stage's engines together).
    pub isp_vac_s: f64,
    /// Ignition after liftoff, s; `null` when it does not follow from the file alone.
    pub ignition_s: Option<f64>,
    /// Burn time at rated thrust, s; `null` when it is not defined.
    pub burn_time_s: Option<f64>,
    /// Thrust-to-weight at its ignition, of everything burning then: its own solid motors after
    /// their ignition transient, those lit before on their curves at that time; the stages that
    /// burn from liftoff (a delay after it included) at sea-level pressure, the others in vacuum.
    /// `null` when not defined.
    pub thrust_to_weight_at_ignition: Option<f64>,
    /// Ideal Δv of the stage, m/s.
    pub ideal_delta_v_m_s: f64,
    /// Burns the stage is rated for, the first included (the file's `max_burns`): more than one
    /// for a restartable upper stage, whose missions may cut off, coast and ignite again.
    #[serde(default = "one_burn")]
    pub max_burns: u32,
    /// The solid motor's figures, per motor (`null` for a liquid engine).
    pub motor: Option<MotorInfoReport>,
    /// The engine's ideal performance from its propellant chemistry, when the vehicle file
    /// describes the engine by it (`null` otherwise).
    pub chemistry: Option<EngineChemistryReport>,
}

/// A stage of a report written before `max_burns` was: it burns once.
fn one_burn() -> u32 {
    1
}

/// One liquid engine type of a stage, per engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageEngineReport {
    /// Engine id.
    pub id: String,
    /// Engines of this type per unit.
    pub count_per_unit: u32,
    /// Propellant as the file writes it.
    pub propellant: String,
    /// Vacuum thrust of one engine at full throttle, N.
    pub thrust_vac_n: f64,
    /// Sea-level thrust of one engine at full throttle, N; `null` for an engine that only fires
    /// in vacuum, and for a nozzle on which the sea-level pressure takes the whole vacuum thrust
    /// or more.
    pub thrust_sl_n: Option<f64>,
    /// Vacuum specific impulse, s.
    pub isp_vac_s: f64,
    /// Sea-level specific impulse, s; `null` for an engine that only fires in vacuum, and for a
    /// nozzle on which the sea-level pressure takes the whole vacuum thrust or more.
    pub isp_sl_s: Option<f64>,
    /// Lowest throttle setting, fraction of full thrust.
    pub throttle_min: f64,
    /// The engine's ideal performance from its propellant chemistry, when the vehicle file
    /// describes the engine by it (`null` otherwise).
    pub chemistry: Option<EngineChemistryReport>,
    /// Whether these engines burn on alone once the stage's main engines are cut off (the
    /// file's `burns_on`); absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub burns_on: bool,
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
    /// Ideal sea-level Isp, s, of the nozzle flowing full; absent for a vacuum nozzle, whose
    /// sea-level pressure on the exit area takes the whole vacuum thrust or more (no figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideal_isp_sl_s: Option<f64>,
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
    /// Mean vacuum effective exhaust velocity (vacuum impulse over the mass burned), m/s.
    pub exhaust_velocity_m_s: f64,
    /// Ideal Δv, `∫T_vac/m dt`, m/s: the mean exhaust velocity times the log of the mass ratio
    /// when everything burning has one exhaust velocity, more when solid motors burn with
    /// liquid engines.
    pub delta_v_m_s: f64,
}

/// What an engine's chemistry gives, as reported.
fn chemistry_report(c: EngineChemistry) -> EngineChemistryReport {
    EngineChemistryReport {
        ideal_isp_vac_s: c.ideal_isp_vac_s,
        ideal_isp_sl_s: c.ideal_isp_sl_s,
        ideal_c_star_m_s: c.ideal_c_star_m_s,
        c_star_efficiency: c.c_star_efficiency,
        thrust_coefficient_efficiency: c.thrust_coefficient_efficiency,
        delivered_isp_vac_s: c.isp_vac_s,
    }
}

/// Whether a nozzle has sea-level figures: not a vacuum engine's (no exit area), nor one on which
/// the sea-level pressure takes the whole vacuum thrust or more (PSLV's HPS3 motor): a thrust or
/// an Isp of 0 is not a figure, the flow would separate long before.
fn has_sea_level_figure(exit_area_m2: f64, thrust_sl_n: f64) -> bool {
    exit_area_m2 > 0.0 && thrust_sl_n > 0.0
}

/// A stage's sea-level thrust at full throttle, N, when it has one ([`has_sea_level_figure`]).
fn stage_thrust_sl_n(s: &Stage) -> Option<f64> {
    has_sea_level_figure(s.engine.exit_area_m2, s.thrust_sl_n()).then(|| s.thrust_sl_n())
}

/// The propulsion report of a vehicle carrying `payload_kg` (figures unrounded: they follow from the file's data by
/// closed forms, and the tables round them once).
pub fn info(vehicle: &Vehicle, payload_kg: f64) -> Result<InfoReport> {
    crate::flight::check_payload_kg(payload_kg)?;
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
            thrust_vac_n: s.thrust_vac_n(),
            thrust_sl_n: stage_thrust_sl_n(s),
            engines: s
                .engines
                .iter()
                .map(|l| {
                    let e = &l.engine;
                    let sea_level = has_sea_level_figure(e.exit_area_m2, e.thrust_sl_n());
                    StageEngineReport {
                        id: e.id.clone(),
                        count_per_unit: l.count_per_unit,
                        propellant: e.propellant.clone(),
                        thrust_vac_n: e.thrust_vac_n,
                        thrust_sl_n: sea_level.then(|| e.thrust_sl_n()),
                        isp_vac_s: e.isp_vac_s,
                        isp_sl_s: sea_level.then(|| e.isp_sl_s()),
                        throttle_min: e.throttle_min,
                        chemistry: e.chemistry.map(chemistry_report),
                        burns_on: l.burns_on,
                    }
                })
                .collect(),
            gross_mass_kg: b.gross_mass_kg,
            propellant_mass_kg: b.propellant_mass_kg,
            burnout_mass_kg: b.burnout_mass_kg,
            isp_sl_s: stage_thrust_sl_n(s).map(|_| s.isp_s(SEA_LEVEL_PRESSURE_PA)),
            isp_vac_s: s.engine.isp_vac_s,
            ignition_s: defined(b.ignition_s),
            burn_time_s: defined(b.burn_time_s),
            thrust_to_weight_at_ignition: defined(b.thrust_to_weight_at_ignition),
            ideal_delta_v_m_s: b.ideal_delta_v_m_s,
            max_burns: s.max_burns(),
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
            chemistry: s.engine.chemistry.map(chemistry_report),
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
            .chain(
                stages.iter().flat_map(|s| {
                    [s.gross_mass_kg, s.propellant_mass_kg, s.burnout_mass_kg, s.isp_vac_s, s.ideal_delta_v_m_s, s.thrust_vac_n]
                }),
            )
            .chain(stages.iter().flat_map(|s| s.engines.iter().flat_map(|e| [e.thrust_vac_n, e.isp_vac_s])))
            .chain(stages.iter().filter_map(|s| s.motor.as_ref()).flat_map(|m| {
                [m.total_impulse_vac_n_s, m.burn_time_s, m.action_time_s, m.average_thrust_vac_n, m.max_thrust_vac_n, m.delivered_isp_vac_s]
            }))
            .chain(
                stages
                    .iter()
                    .filter_map(|s| s.chemistry.as_ref())
                    .flat_map(|c| [c.ideal_isp_vac_s, c.ideal_isp_sl_s.unwrap_or(0.0), c.ideal_c_star_m_s, c.delivered_isp_vac_s]),
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
        chosen_coast: vehicle.chosen_coast().map(|c| CoastRangeReport {
            stage: vehicle.stages[c.stage].name.clone(),
            min_s: c.min_s,
            max_s: c.max_s,
        }),
        liftoff_limit: super::LiftoffLimitReport::of(vehicle),
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

    /// Each stage reports the burns it is rated for: the Saturn V's S-IVB two (its restart is
    /// the translunar injection), its other stages one; a report without the member (written
    /// before it was) reads as one burn.
    #[test]
    fn a_restartable_stage_reports_its_burns() {
        let (vehicle, _) = Vehicle::from_toml(catalog_vehicle("saturn-v").expect("catalog"), "saturn-v.toml").expect("reads");
        let r = info(&vehicle, 0.0).expect("info");
        assert_eq!(r.stages.iter().map(|s| s.max_burns).collect::<Vec<_>>(), [1, 1, 2]);
        let mut json = serde_json::to_value(&r.stages[2]).expect("json");
        json.as_object_mut().expect("object").remove("max_burns");
        let read: StageInfoReport = serde_json::from_value(json).expect("reads without max_burns");
        assert_eq!(read.max_burns, 1);
    }

    /// PSLV-XL's HPS3 has no sea-level figure: the sea-level pressure on its nozzle takes more
    /// than its average thrust, and a thrust or an Isp of 0 is not one. The strap-ons' and PS1's
    /// motors keep theirs.
    #[test]
    fn a_nozzle_without_sea_level_thrust_has_no_sea_level_figure() {
        let (vehicle, _) = Vehicle::from_toml(catalog_vehicle("pslv-xl").expect("catalog"), "pslv-xl.toml").expect("reads");
        let r = info(&vehicle, 0.0).expect("info");
        let ps3 = r.stages.iter().find(|s| s.name == "PS3").expect("PS3");
        assert!(vehicle.stages.iter().any(|s| s.name == "PS3" && s.engine.exit_area_m2 > 0.0), "its nozzle has an exit area");
        assert_eq!((ps3.thrust_sl_n, ps3.isp_sl_s), (None, None), "{ps3:?}");
        let json = serde_json::to_value(ps3).expect("json");
        assert!(json["isp_sl_s"].is_null() && json["thrust_sl_n"].is_null(), "{json}");
        for name in ["PSOM-XL ground-lit", "PS1"] {
            let s = r.stages.iter().find(|s| s.name == name).expect(name);
            assert!(s.isp_sl_s.is_some_and(|isp| isp > 200.0) && s.thrust_sl_n.is_some_and(|t| t > 0.0), "{s:?}");
        }
    }

    /// A stage of several engine types reports each with its own figures and what they make
    /// together: the thrusts summed, the Isp the total thrust over the total mass flow.
    #[test]
    fn a_stage_of_several_engine_types_reports_each() {
        let (vehicle, _) = Vehicle::from_toml(catalog_vehicle("soyuz-2.1v").expect("catalog"), "soyuz-2.1v.toml").expect("reads");
        let r = info(&vehicle, 0.0).expect("info");
        let first = &r.stages[0];
        let ids: Vec<(&str, u32)> = first.engines.iter().map(|e| (e.id.as_str(), e.count_per_unit)).collect();
        assert_eq!(ids, [("NK-33", 1), ("RD-0110R", 1)]);
        assert_eq!((first.engine.as_str(), first.engines_per_unit), ("NK-33 + RD-0110R", 1));
        let flow = |thrust_n: f64, isp_s: f64| thrust_n / (isp_s * G0_M_S2);
        let total_flow: f64 = first.engines.iter().map(|e| f64::from(e.count_per_unit) * flow(e.thrust_vac_n, e.isp_vac_s)).sum();
        let sum = |f: &dyn Fn(&StageEngineReport) -> f64| first.engines.iter().map(|e| f64::from(e.count_per_unit) * f(e)).sum::<f64>();
        assert!((first.thrust_vac_n - sum(&|e| e.thrust_vac_n)).abs() < 1e-6);
        let thrust_sl_n = sum(&|e| e.thrust_sl_n.expect("both engines burn at sea level"));
        assert!((first.thrust_sl_n.expect("sea level") - thrust_sl_n).abs() < 1e-6);
        assert!((first.isp_vac_s - first.thrust_vac_n / (total_flow * G0_M_S2)).abs() < 1e-9);
        assert!((first.isp_sl_s.expect("sea level") - thrust_sl_n / (total_flow * G0_M_S2)).abs() < 1e-9);
        // The figures the file's comment derives by hand: 1,954.8 kN, 1,747.5 kN, 325.96 / 291.39 s.
        assert!((first.thrust_vac_n / 1e3 - 1954.8).abs() < 0.05 && (thrust_sl_n / 1e3 - 1747.5).abs() < 0.5);
        assert!((first.isp_vac_s - 325.96).abs() < 0.005 && (first.isp_sl_s.unwrap() - 291.39).abs() < 0.05);
        // A stage of one engine type lists it once.
        let upper = &r.stages[1];
        assert_eq!(upper.engines.len(), 1);
        assert_eq!((upper.engines[0].id.as_str(), upper.engines[0].thrust_vac_n), (upper.engine.as_str(), upper.thrust_vac_n));
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
        assert!(c.ideal_isp_sl_s.is_some_and(|sl| sl < c.ideal_isp_vac_s) && c.ideal_c_star_m_s > 1500.0);
        let (catalog, _) = Vehicle::from_toml(stated, "angara-1.2.toml").expect("reads");
        assert!(info(&catalog, 0.0).expect("info").stages.iter().all(|s| s.chemistry.is_none() && s.motor.is_none()));
    }
}
