//! Propulsion fundamentals: the ideal (vacuum, gravity-free) delta-v budget of a vehicle,
//! phase by phase, following its real staging sequence and throttle schedule — the flight's
//! own [`Sequencer`], walked from one discrete time to the next without a trajectory.
//!
//! Within a phase the burning stages keep constant mass flows, so the vehicle behaves as one
//! rocket with effective exhaust velocity `c = ΣT/Σṁ` and Tsiolkovsky's equation gives the
//! phase's delta-v exactly: `Δv = c·ln(m₀/m₁)`. A phase ends at a burnout or a throttle change.

pub mod chemistry;
pub mod solid;

use crate::flight::sequence::{self, Configuration, SequenceObserver, Sequencer, Transition, MAX_BURNING};
use crate::flight::EventKind;
use crate::units::G0_M_S2;
use crate::vehicle::{Ignition, Vehicle, SEA_LEVEL_PRESSURE_PA};

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

/// The budget's side of the sequencer: when each stage ignites and burns out.
struct StageTimes {
    t: f64,
    ignition_s: Vec<f64>,
    burnout_s: Vec<f64>,
}

impl SequenceObserver for StageTimes {
    fn event(&mut self, _: &Configuration, _: &[f64; MAX_BURNING], kind: EventKind) {
        match kind {
            EventKind::Ignition { stage } => self.ignition_s[stage] = self.t,
            EventKind::Burnout { stage } => self.burnout_s[stage] = self.t,
            _ => {}
        }
    }
}

/// Mass of the vehicle: what the configuration holds fixed and the burning stages' propellant.
fn mass_kg(config: &Configuration, propellant_kg: &[f64; MAX_BURNING]) -> f64 {
    config.fixed_mass_kg + (0..MAX_BURNING).filter(|&k| config.slots[k].is_some()).map(|k| propellant_kg[k]).sum::<f64>()
}

/// Ideal delta-v budget of `vehicle` carrying `payload_kg`.
///
/// It walks the flight's own [`Sequencer`] — the same ignitions, burnouts, separations,
/// throttle segments and timed drops — from one discrete time to the next, so its staging rules
/// cannot drift from the flight's. What depends on the trajectory is not known here: a fairing
/// that goes at an altitude or a heat flux stays aboard until the last stage burns out.
pub fn delta_v_budget(vehicle: &Vehicle, payload_kg: f64) -> DeltaVBudget {
    let n = vehicle.stages.len();
    let mut sequencer = Sequencer::new(vehicle, payload_kg);
    let mut propellant_kg = [0.0; MAX_BURNING];
    let mut times = StageTimes { t: 0.0, ignition_s: vec![f64::NAN; n], burnout_s: vec![f64::NAN; n] };
    let mut tw = vec![f64::NAN; n];
    // Thrust over weight of everything burning, for the stages that ignited at `t` (sea-level
    // thrust for liftoff stages, vacuum otherwise; solid motors after their ignition transient),
    // once every transition at `t` is applied.
    let record_tw = |config: &Configuration, propellant_kg: &[f64; MAX_BURNING], times: &StageTimes, tw: &mut [f64]| {
        let thrust: f64 = config
            .slots
            .iter()
            .flatten()
            .map(|slot| {
                let stage = &vehicle.stages[slot.stage];
                let p = if stage.ignition == Ignition::Liftoff { SEA_LEVEL_PRESSURE_PA } else { 0.0 };
                stage.ignition_thrust_n(slot.throttle, p)
            })
            .sum();
        let weight_n = mass_kg(config, propellant_kg) * G0_M_S2;
        for slot in config.slots.iter().flatten() {
            if tw[slot.stage].is_nan() && times.ignition_s[slot.stage] == times.t {
                tw[slot.stage] = thrust / weight_n;
            }
        }
    };
    let mut phases = Vec::new();
    let mut walking = sequencer.liftoff(0.0, &mut propellant_kg, &mut times).is_ok();
    record_tw(sequencer.config(), &propellant_kg, &times, &mut tw);
    // Each iteration ends a phase at a burnout or a scheduled transition; bounded by the
    // number of those.
    let max_iterations = 4 * n + vehicle.stages.iter().map(|s| s.throttle.len()).sum::<usize>() + vehicle.jettison.len() + 8;
    for _ in 0..max_iterations {
        if !walking || sequencer.is_exhausted() {
            break;
        }
        let t = times.t;
        let config = sequencer.config();
        // Next discrete time: the first burnout at the current flows, or a scheduled transition.
        let mut dt = f64::INFINITY;
        let mut ends_with = None;
        for (k, slot) in config.slots.iter().enumerate() {
            // A solid stage's burnout is the end of its curve: a scheduled transition.
            let Some(slot) = slot.filter(|s| !vehicle.stages[s.stage].is_solid()) else { continue };
            let flow = slot.throttle * vehicle.stages[slot.stage].mass_flow_kg_s();
            let tb = if flow > 0.0 { propellant_kg[k] / flow } else { f64::INFINITY };
            if tb < dt {
                dt = tb;
                ends_with = Some(k);
            }
        }
        let scheduled = sequencer.next_scheduled_s();
        if scheduled - t < dt {
            dt = (scheduled - t).max(0.0);
            ends_with = None;
        }
        if !dt.is_finite() {
            break;
        }
        let m0 = mass_kg(config, &propellant_kg);
        let (mut thrust, mut flow_total) = (0.0, 0.0);
        for (k, slot) in config.slots.iter().enumerate() {
            let Some(slot) = slot else { continue };
            let stage = &vehicle.stages[slot.stage];
            if let Some(motor) = &stage.motor {
                // A solid motor follows its curve: the propellant it burns over the phase, exact,
                // at its delivered Isp (the exhaust velocity of every instant of its burn).
                let units = f64::from(stage.units);
                let burned_kg =
                    units * (motor.propellant_burned_kg(t + dt - slot.ignition_s) - motor.propellant_burned_kg(t - slot.ignition_s));
                let flow = if dt > 0.0 { burned_kg / dt } else { 0.0 };
                thrust += flow * motor.delivered_isp_vac_s() * G0_M_S2;
                flow_total += flow;
                propellant_kg[k] = (propellant_kg[k] - burned_kg).max(0.0);
                continue;
            }
            let flow = slot.throttle * stage.mass_flow_kg_s();
            thrust += stage.thrust_n(slot.throttle, 0.0);
            flow_total += flow;
            propellant_kg[k] = (propellant_kg[k] - flow * dt).max(0.0);
        }
        if let Some(k) = ends_with {
            propellant_kg[k] = 0.0;
        }
        // The phase ends with the burnout of the solid stages whose curves end now.
        let solid_ends = config.slots.iter().flatten().find(|s| sequence::solid_burnout_s(vehicle, s).is_some_and(|e| e <= t + dt + 1e-9));
        let m1 = mass_kg(config, &propellant_kg);
        if config.is_burning() && dt > 0.0 {
            let c = if flow_total > 0.0 { thrust / flow_total } else { 0.0 };
            phases.push(BurnPhase {
                stages: config.phase_name(vehicle),
                start_s: t,
                end_s: t + dt,
                start_mass_kg: m0,
                end_mass_kg: m1,
                exhaust_velocity_m_s: c,
                delta_v_m_s: c * (m0 / m1).ln(),
                ends_with_burnout_of: ends_with.and_then(|k| config.slots[k]).or(solid_ends.copied()).map(|slot| slot.stage),
            });
        }
        times.t = t + dt;
        // What happens then: the scheduled transitions due, the burnout.
        walking = sequencer.apply(Transition::Scheduled, times.t, &mut propellant_kg, &mut times).is_ok();
        if let (true, Some(slot)) = (walking, ends_with) {
            walking = sequencer.apply(Transition::Burnout { slot }, times.t, &mut propellant_kg, &mut times).is_ok();
        }
        record_tw(sequencer.config(), &propellant_kg, &times, &mut tw);
    }
    let StageTimes { ignition_s, burnout_s, .. } = times;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::{resolve_vehicle, FairingJettison};

    /// The budget walks the flight's sequencer: a fairing that goes at a time leaves the budget
    /// then — a phase ends there and the next starts lighter by exactly the fairing's mass.
    #[test]
    fn a_timed_fairing_leaves_the_budget_at_its_time() {
        let v = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let fairing = v.fairing.expect("a fairing");
        let FairingJettison::Time(t) = fairing.jettison else { panic!("soyuz-2.1b's fairing goes at a time: {fairing:?}") };
        let b = delta_v_budget(&v, 5_000.0);
        let k = b.phases.iter().position(|p| (p.end_s - t).abs() < 1e-9).expect("a phase ends at the fairing time");
        let next = &b.phases[k + 1];
        assert_eq!(next.start_s, b.phases[k].end_s);
        let drop_kg = b.phases[k].end_mass_kg - next.start_mass_kg;
        assert!((drop_kg - fairing.mass_kg).abs() < 1e-6, "{drop_kg} kg dropped, fairing {} kg", fairing.mass_kg);
        let per_stage: f64 = b.stages.iter().map(|s| s.ideal_delta_v_m_s).sum();
        assert!((per_stage - b.total_delta_v_m_s).abs() < 1e-6);
    }
}
