//! Propulsion fundamentals: the ideal (vacuum, gravity-free) delta-v budget of a vehicle,
//! phase by phase, following its real staging sequence and throttle schedule.
//!
//! Within a phase the burning stages keep constant mass flows, so the vehicle behaves as one
//! rocket with effective exhaust velocity `c = ΣT/Σṁ` and Tsiolkovsky's equation gives the
//! phase's delta-v exactly: `Δv = c·ln(m₀/m₁)`. A phase ends at a burnout or a throttle change.

pub mod chemistry;
pub mod solid;

use crate::units::G0_M_S2;
use crate::vehicle::{Ignition, JettisonTrigger, ThrottleUntil, Vehicle, SEA_LEVEL_PRESSURE_PA};

/// One phase of constant mass flows.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnPhase {
    /// Names of the burning stages joined by `+`.
    pub stages: String,
    /// Start and end time after liftoff, s.
    pub start_s: f64,
    /// End time, s.
    pub end_s: f64,
    /// Vehicle mass at the start of the phase, kg.
    pub start_mass_kg: f64,
    /// Vehicle mass at the end of the phase (before any separation), kg.
    pub end_mass_kg: f64,
    /// Vacuum effective exhaust velocity of the phase, m/s.
    pub exhaust_velocity_m_s: f64,
    /// Ideal delta-v of the phase, m/s.
    pub delta_v_m_s: f64,
    /// Index of the stage whose burnout ends the phase, if a burnout ends it.
    pub ends_with_burnout_of: Option<usize>,
}

/// Figures of one stage in the budget.
#[derive(Debug, Clone, PartialEq)]
pub struct StageBudget {
    /// Stage name.
    pub name: String,
    /// Modules.
    pub units: u32,
    /// Engines in the whole stage.
    pub engines: u32,
    /// Mass of the whole stage at ignition, kg.
    pub gross_mass_kg: f64,
    /// Usable propellant of the whole stage, kg.
    pub propellant_mass_kg: f64,
    /// Dry mass plus residuals of the whole stage, kg.
    pub burnout_mass_kg: f64,
    /// Ignition time, s after liftoff.
    pub ignition_s: f64,
    /// Burn time with its throttle schedule, s.
    pub burn_time_s: f64,
    /// Thrust over weight at ignition (sea-level thrust for liftoff stages, vacuum otherwise), of
    /// everything burning then.
    pub thrust_to_weight_at_ignition: f64,
    /// Ideal delta-v of the phases that end with this stage's burnout, m/s (so that the stage
    /// figures add up to the vehicle total).
    pub ideal_delta_v_m_s: f64,
}

/// The ideal delta-v budget of a vehicle with a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaVBudget {
    /// Per stage, in vehicle order.
    pub stages: Vec<StageBudget>,
    /// Phases in time order.
    pub phases: Vec<BurnPhase>,
    /// Liftoff mass, kg.
    pub liftoff_mass_kg: f64,
    /// Sum of all phases, m/s.
    pub total_delta_v_m_s: f64,
}

/// Ideal delta-v budget of `vehicle` carrying `payload_kg` (fairing carried until the last
/// stage burns out: the budget knows nothing of altitude).
pub fn delta_v_budget(vehicle: &Vehicle, payload_kg: f64) -> DeltaVBudget {
    let n = vehicle.stages.len();
    let mut attached = vec![true; n];
    let mut propellant: Vec<f64> = vehicle.stages.iter().map(|s| s.total_propellant_kg()).collect();
    let mut segment = vec![0usize; n];
    let mut burning = vec![false; n];
    let mut ignition_s = vec![f64::NAN; n];
    let mut burnout_s = vec![f64::NAN; n];
    let mut tw = vec![f64::NAN; n];
    let mut pending: Vec<(f64, usize)> = Vec::new();
    // Carried to the end: the fairing, the adapter and the items dropped at a time; the items
    // dropped after a stage's separation leave with that stage (their delay is ignored).
    let carried = vehicle.fairing.map_or(0.0, |f| f.mass_kg)
        + vehicle.margins.payload_adapter_mass_kg
        + vehicle.jettison.iter().filter(|j| matches!(j.trigger, JettisonTrigger::Time(_))).map(|j| j.mass_kg).sum::<f64>();
    let dropped_with = |i: usize| -> f64 {
        vehicle
            .jettison
            .iter()
            .filter(|j| matches!(j.trigger, JettisonTrigger::AfterSeparation { stage, .. } if stage == i))
            .map(|j| j.mass_kg)
            .sum()
    };
    // The start-up propellant of a stage is aboard until it ignites (see `ignition_s`).
    let mass = |attached: &[bool], propellant: &[f64], ignition_s: &[f64]| -> f64 {
        payload_kg
            + carried
            + vehicle
                .stages
                .iter()
                .enumerate()
                .filter(|(i, _)| attached[*i])
                .map(|(i, s)| {
                    let startup = if ignition_s[i].is_nan() { s.startup_mass_kg() } else { 0.0 };
                    s.burnout_mass_kg() + propellant[i] + startup + dropped_with(i)
                })
                .sum::<f64>()
    };
    let throttle = |i: usize, segment: &[usize]| vehicle.stages[i].throttle.get(segment[i]).map_or(1.0, |s| s.level);
    let mut t = 0.0;
    let ignite = |i: usize, t: f64, burning: &mut Vec<bool>, ignition_s: &mut Vec<f64>| {
        burning[i] = true;
        ignition_s[i] = t;
    };
    for (i, s) in vehicle.stages.iter().enumerate() {
        if s.ignition == Ignition::Liftoff {
            if s.ignition_delay_s > 0.0 {
                pending.push((s.ignition_delay_s, i));
            } else {
                ignite(i, 0.0, &mut burning, &mut ignition_s);
            }
        }
    }
    let mut phases = Vec::new();
    let record_tw =
        |burning: &[bool], segment: &[usize], attached: &[bool], propellant: &[f64], tw: &mut Vec<f64>, t: f64, ignition_s: &[f64]| {
            let m = mass(attached, propellant, ignition_s);
            let thrust: f64 = (0..n)
                .filter(|&j| burning[j])
                .map(|j| {
                    let p = if vehicle.stages[j].ignition == Ignition::Liftoff { SEA_LEVEL_PRESSURE_PA } else { 0.0 };
                    vehicle.stages[j].thrust_n(throttle(j, segment), p)
                })
                .sum();
            for j in 0..n {
                if burning[j] && tw[j].is_nan() && ignition_s[j] == t {
                    tw[j] = thrust / (m * G0_M_S2);
                }
            }
        };
    record_tw(&burning, &segment, &attached, &propellant, &mut tw, t, &ignition_s);
    // Each iteration ends a phase at a burnout, a throttle change or an ignition; bounded by
    // the number of such events.
    let max_iterations = 4 * n + vehicle.stages.iter().map(|s| s.throttle.len()).sum::<usize>() + 8;
    for _ in 0..max_iterations {
        let any_burning = burning.iter().any(|b| *b);
        if !any_burning && pending.is_empty() {
            break;
        }
        // Next discrete time.
        let mut dt = f64::INFINITY;
        let mut ends_with = None;
        for i in (0..n).filter(|&i| burning[i]) {
            let flow = throttle(i, &segment) * vehicle.stages[i].mass_flow_kg_s();
            let tb = if flow > 0.0 { propellant[i] / flow } else { f64::INFINITY };
            if tb < dt {
                dt = tb;
                ends_with = Some(i);
            }
            if let Some(ThrottleUntil::Time(te)) = vehicle.stages[i].throttle.get(segment[i]).map(|s| s.until.clone()) {
                if te - t < dt {
                    dt = (te - t).max(0.0);
                    ends_with = None;
                }
            }
        }
        for &(tp, _) in &pending {
            if tp - t < dt {
                dt = (tp - t).max(0.0);
                ends_with = None;
            }
        }
        if !dt.is_finite() {
            break;
        }
        let m0 = mass(&attached, &propellant, &ignition_s);
        let (mut thrust, mut flow_total) = (0.0, 0.0);
        for i in (0..n).filter(|&i| burning[i]) {
            let flow = throttle(i, &segment) * vehicle.stages[i].mass_flow_kg_s();
            thrust += vehicle.stages[i].thrust_n(throttle(i, &segment), 0.0);
            flow_total += flow;
            propellant[i] = (propellant[i] - flow * dt).max(0.0);
        }
        if let Some(i) = ends_with {
            propellant[i] = 0.0;
        }
        let m1 = mass(&attached, &propellant, &ignition_s);
        if any_burning && dt > 0.0 {
            let c = if flow_total > 0.0 { thrust / flow_total } else { 0.0 };
            let names: Vec<&str> = (0..n).filter(|&i| burning[i]).map(|i| vehicle.stages[i].name.as_str()).collect();
            phases.push(BurnPhase {
                stages: names.join("+"),
                start_s: t,
                end_s: t + dt,
                start_mass_kg: m0,
                end_mass_kg: m1,
                exhaust_velocity_m_s: c,
                delta_v_m_s: c * (m0 / m1).ln(),
                ends_with_burnout_of: ends_with,
            });
        }
        t += dt;
        // Apply what happens at t: time-based throttle ends, pending ignitions, burnout.
        for i in 0..n {
            if let Some(ThrottleUntil::Time(te)) = vehicle.stages[i].throttle.get(segment[i]).map(|s| s.until.clone()) {
                if te <= t + 1e-9 {
                    segment[i] += 1;
                }
            }
        }
        let mut newly = Vec::new();
        pending.retain(|&(tp, i)| {
            if tp <= t + 1e-9 {
                newly.push(i);
                false
            } else {
                true
            }
        });
        for i in newly {
            ignite(i, t, &mut burning, &mut ignition_s);
        }
        if let Some(i) = ends_with {
            burning[i] = false;
            burnout_s[i] = t;
            let carries_others = (i + 1..n).any(|j| attached[j]);
            if carries_others {
                attached[i] = false;
                for j in 0..n {
                    if let Some(ThrottleUntil::Separation(k)) = vehicle.stages[j].throttle.get(segment[j]).map(|s| s.until.clone()) {
                        if k == i {
                            segment[j] += 1;
                        }
                    }
                }
                if let Some(next) = vehicle.stages.get(i + 1).filter(|s| s.ignition == Ignition::Sequential) {
                    if next.ignition_delay_s > 0.0 {
                        pending.push((t + next.ignition_delay_s, i + 1));
                    } else {
                        ignite(i + 1, t, &mut burning, &mut ignition_s);
                    }
                }
            }
        }
        record_tw(&burning, &segment, &attached, &propellant, &mut tw, t, &ignition_s);
    }
    // A phase ended by a throttle change or an ignition belongs to the burnout that ends the
    // next phases, so that the stage figures add up to the total.
    let mut owners = vec![None; phases.len()];
    let mut owner = None;
    for (k, p) in phases.iter().enumerate().rev() {
        if p.ends_with_burnout_of.is_some() {
            owner = p.ends_with_burnout_of;
        }
        owners[k] = owner;
    }
    let stages = vehicle
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageBudget {
            name: s.name.clone(),
            units: s.units,
            engines: s.engine_count(),
            gross_mass_kg: s.gross_mass_kg(),
            propellant_mass_kg: s.total_propellant_kg(),
            burnout_mass_kg: s.burnout_mass_kg(),
            ignition_s: ignition_s[i],
            burn_time_s: burnout_s[i] - ignition_s[i],
            thrust_to_weight_at_ignition: tw[i],
            ideal_delta_v_m_s: phases.iter().zip(&owners).filter(|(_, o)| **o == Some(i)).map(|(p, _)| p.delta_v_m_s).sum(),
        })
        .collect();
    let total = phases.iter().map(|p| p.delta_v_m_s).sum();
    DeltaVBudget { stages, phases, liftoff_mass_kg: vehicle.liftoff_mass_kg(payload_kg), total_delta_v_m_s: total }
}
