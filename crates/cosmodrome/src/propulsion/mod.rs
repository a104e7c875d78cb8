//! Propulsion fundamentals: the ideal (vacuum, gravity-free) delta-v budget of a vehicle,
//! phase by phase, following its real staging sequence and throttle schedule — the flight's
//! own [`Sequencer`], walked from one discrete time to the next without a trajectory.
//!
//! Within a phase the liquid engines keep constant mass flows, so they behave as one rocket with
//! effective exhaust velocity `c = ΣT/Σṁ` and Tsiolkovsky's equation gives the phase's delta-v
//! exactly: `Δv = c·ln(m₀/m₁)`; so does a solid motor alone (every instant of its burn is at
//! its delivered Isp). Solid motors burning with liquid engines have no common exhaust velocity:
//! their phase's delta-v is the integral `∫T_vac/m dt` along the motors' curves. A phase ends at
//! a burnout, a throttle change or a scheduled transition.

pub mod chemistry;
pub mod solid;

use crate::flight::sequence::{self, Configuration, SequenceObserver, Sequencer, Transition, MAX_BURNING};
use crate::flight::EventKind;
use crate::units::G0_M_S2;
use crate::vehicle::{Ignition, Vehicle, SEA_LEVEL_PRESSURE_PA};
use solid::SolidMotor;

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
    /// Mean vacuum effective exhaust velocity of the phase (vacuum impulse over the mass burned),
    /// m/s.
    pub exhaust_velocity_m_s: f64,
    /// Ideal delta-v of the phase, `∫T_vac/m dt`, m/s: `c·ln(m₀/m₁)` with the mean `c` when
    /// everything burning has one exhaust velocity, more than that when solid motors burn with
    /// liquid engines.
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
    /// everything burning then: its own solid motors after their ignition transient, the motors
    /// lit before it on their curves at that time.
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

/// What burns during a phase, for its ideal Δv.
#[derive(Default)]
struct PhaseBurners<'a> {
    /// The solid motors: each with its units and its ignition time, s after liftoff.
    solids: Vec<(&'a SolidMotor, f64, f64)>,
    /// Vacuum thrust of the liquid engines, N (constant over the phase).
    liquid_thrust_vac_n: f64,
    /// Mass flow of the liquid engines, kg/s (constant over the phase).
    liquid_flow_kg_s: f64,
    /// Vacuum exhaust velocity of each stage burning, m/s.
    exhaust_velocities_m_s: Vec<f64>,
}

impl PhaseBurners<'_> {
    /// Whether everything burning has one exhaust velocity (liquid engines alone, at constant
    /// flows, count as one: their mean is exact): then `c·ln(m₀/m₁)` is the phase's Δv exactly.
    fn one_exhaust_velocity(&self) -> bool {
        let first = self.exhaust_velocities_m_s.first().copied().unwrap_or(0.0);
        self.solids.is_empty() || self.exhaust_velocities_m_s.iter().all(|c| (c - first).abs() <= 1e-12 * first)
    }

    /// Vehicle mass at `t_s` of a phase that starts at `t0_s` with `m0_kg`: what the motors burned
    /// is exact on their curves.
    fn mass_kg(&self, t0_s: f64, m0_kg: f64, t_s: f64) -> f64 {
        let solids_kg: f64 = self
            .solids
            .iter()
            .map(|(motor, units, ignition_s)| {
                units * (motor.propellant_burned_kg(t_s - ignition_s) - motor.propellant_burned_kg(t0_s - ignition_s))
            })
            .sum();
        m0_kg - self.liquid_flow_kg_s * (t_s - t0_s) - solids_kg
    }

    /// Vacuum thrust at `t_s`, N.
    fn thrust_vac_n(&self, t_s: f64) -> f64 {
        self.liquid_thrust_vac_n
            + self.solids.iter().map(|(motor, units, ignition_s)| units * motor.thrust_vac_n(t_s - ignition_s)).sum::<f64>()
    }

    /// Ideal Δv `∫T_vac/m dt` from `t0_s` to `t1_s`, starting at `m0_kg`, m/s. It is `∫Σcᵢṁᵢ/m dt`:
    /// every kilogram burned counts by `1/m`, and the motors burn most of theirs early, on the
    /// heavy vehicle, so the mean exhaust velocity (every kilogram alike) times `ln(m₀/m₁)` is
    /// not it: short, beside liquid engines of a higher exhaust velocity. Between the curves'
    /// points the thrust and the flows are linear and the mass quadratic in time: Gauss–Legendre
    /// on every such piece, cut into steps of at most [`QUADRATURE_STEP_S`], is exact to rounding.
    fn ideal_delta_v_m_s(&self, t0_s: f64, t1_s: f64, m0_kg: f64) -> f64 {
        let mut cuts = vec![t0_s, t1_s];
        for (motor, _, ignition_s) in &self.solids {
            cuts.extend(motor.curve().iter().map(|p| ignition_s + p.0).filter(|&t| t > t0_s && t < t1_s));
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let integrand = |t: f64| self.thrust_vac_n(t) / self.mass_kg(t0_s, m0_kg, t);
        cuts.windows(2)
            .map(|w| {
                let steps = ((w[1] - w[0]) / QUADRATURE_STEP_S).ceil().max(1.0);
                let h = (w[1] - w[0]) / steps;
                (0..steps as usize)
                    .map(|i| {
                        let mid = w[0] + (i as f64 + 0.5) * h;
                        GAUSS_LEGENDRE_5.iter().map(|(x, weight)| weight * integrand(mid + 0.5 * h * x)).sum::<f64>() * 0.5 * h
                    })
                    .sum::<f64>()
            })
            .sum()
    }
}

/// Longest step of the quadrature of a phase's Δv, s: the mass changes by a few per cent over
/// it, where five Gauss–Legendre points leave an error far below rounding.
const QUADRATURE_STEP_S: f64 = 5.0;

/// Gauss–Legendre nodes on [-1, 1] and weights, five points (exact for polynomials of degree 9).
const GAUSS_LEGENDRE_5: [(f64, f64); 5] = [
    (-0.906_179_845_938_664, 0.236_926_885_056_189_1),
    (-0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
    (0.0, 0.568_888_888_888_888_9),
    (0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
    (0.906_179_845_938_664, 0.236_926_885_056_189_1),
];

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
    // thrust for liftoff stages, vacuum otherwise), once every transition at `t` is applied: the
    // solid motors that ignite then after their ignition transient, those already burning (the
    // strap-ons lit at liftoff when the air-lit ones ignite) on their curves at `t`.
    let record_tw = |config: &Configuration, propellant_kg: &[f64; MAX_BURNING], times: &StageTimes, tw: &mut [f64]| {
        let thrust: f64 = config
            .slots
            .iter()
            .flatten()
            .map(|slot| {
                let stage = &vehicle.stages[slot.stage];
                let p = if stage.ignition == Ignition::Liftoff { SEA_LEVEL_PRESSURE_PA } else { 0.0 };
                match stage.solid_output(times.t - slot.ignition_s, p) {
                    Some(on_curve) if times.ignition_s[slot.stage] != times.t => on_curve.thrust_n,
                    _ => stage.ignition_thrust_n(slot.throttle, p),
                }
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
        let mut burning = PhaseBurners::default();
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
                burning.solids.push((motor, units, slot.ignition_s));
                burning.exhaust_velocities_m_s.push(motor.delivered_isp_vac_s() * G0_M_S2);
                continue;
            }
            let flow = slot.throttle * stage.mass_flow_kg_s();
            let stage_thrust_n = stage.thrust_n(slot.throttle, 0.0);
            thrust += stage_thrust_n;
            flow_total += flow;
            propellant_kg[k] = (propellant_kg[k] - flow * dt).max(0.0);
            burning.liquid_thrust_vac_n += stage_thrust_n;
            burning.liquid_flow_kg_s += flow;
            if flow > 0.0 {
                burning.exhaust_velocities_m_s.push(stage_thrust_n / flow);
            }
        }
        if let Some(k) = ends_with {
            propellant_kg[k] = 0.0;
        }
        // The phase ends with the burnout of the solid stages whose curves end now.
        let solid_ends = config.slots.iter().flatten().find(|s| sequence::solid_burnout_s(vehicle, s).is_some_and(|e| e <= t + dt + 1e-9));
        let m1 = mass_kg(config, &propellant_kg);
        if config.is_burning() && dt > 0.0 {
            let c = if flow_total > 0.0 { thrust / flow_total } else { 0.0 };
            let delta_v_m_s = if burning.one_exhaust_velocity() { c * (m0 / m1).ln() } else { burning.ideal_delta_v_m_s(t, t + dt, m0) };
            phases.push(BurnPhase {
                stages: config.phase_name(vehicle),
                start_s: t,
                end_s: t + dt,
                start_mass_kg: m0,
                end_mass_kg: m1,
                exhaust_velocity_m_s: c,
                delta_v_m_s,
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
    use crate::flight::{fly, FlightOptions, FlightSetup, Launch};
    use crate::guidance::{AscentParameters, AscentProgram};
    use crate::vehicle::{resolve_vehicle, FairingJettison, SiteCatalog};

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

    /// Solid boosters burning with a liquid core have no common exhaust velocity: the first
    /// phase's Δv is `∫T_vac/m dt`, which a plain step-by-step integration of the stages' thrust
    /// and flows finds too, above the mean exhaust velocity times the log of the mass ratio.
    #[test]
    fn solids_with_liquids_give_the_integral_of_thrust_over_mass() {
        for (id, short_m_s) in [("ariane-5-eca", 18.9), ("ariane-62", 16.5), ("ariane-64", 18.0), ("h-iia-202", 9.2)] {
            let v = resolve_vehicle(id).expect("catalog").0;
            let p = delta_v_budget(&v, 0.0).phases[0].clone();
            let burning: Vec<_> = v.stages.iter().filter(|s| s.burns_at_liftoff()).collect();
            assert!(burning.iter().any(|s| s.is_solid()) && burning.iter().any(|s| !s.is_solid()), "{id}: {}", p.stages);
            // Thrust and flow at `t`: the motors on their curves, the engines at their first throttle.
            let at = |t: f64| {
                burning.iter().fold((0.0, 0.0), |(thrust_n, flow_kg_s), s| match s.solid_output(t, 0.0) {
                    Some(o) => (thrust_n + o.thrust_vac_n, flow_kg_s + o.mass_flow_kg_s),
                    None => {
                        let throttle = s.throttle.first().map_or(1.0, |seg| seg.level);
                        (thrust_n + s.thrust_n(throttle, 0.0), flow_kg_s + throttle * s.mass_flow_kg_s())
                    }
                })
            };
            let step_s = 1e-3;
            let (mut mass_kg, mut delta_v_m_s) = (p.start_mass_kg, 0.0);
            for i in 0..((p.end_s - p.start_s) / step_s).round() as usize {
                let (thrust_n, flow_kg_s) = at(p.start_s + (i as f64 + 0.5) * step_s);
                delta_v_m_s += thrust_n / (mass_kg - 0.5 * flow_kg_s * step_s) * step_s;
                mass_kg -= flow_kg_s * step_s;
            }
            assert!((mass_kg - p.end_mass_kg).abs() < 1.0, "{id}: {mass_kg} kg at the end, budget {} kg", p.end_mass_kg);
            assert!((p.delta_v_m_s - delta_v_m_s).abs() < 0.05, "{id}: budget {} m/s, integrated {delta_v_m_s} m/s", p.delta_v_m_s);
            let mean_m_s = p.exhaust_velocity_m_s * (p.start_mass_kg / p.end_mass_kg).ln();
            assert!((delta_v_m_s - mean_m_s - short_m_s).abs() < 0.2, "{id}: the mean exhaust velocity gives {mean_m_s} m/s");
        }
    }

    /// PSLV-XL's air-lit strap-ons ignite 25 s after liftoff: their thrust-to-weight then is
    /// theirs after the ignition transient with the ground-lit strap-ons' and PS1's on their
    /// curves at 25 s (all at sea level), over the weight at 25 s — not every motor at its peak.
    #[test]
    fn an_air_lit_stage_weighs_the_motors_burning_on_their_curves() {
        let v = resolve_vehicle("pslv-xl").expect("catalog").0;
        let b = delta_v_budget(&v, 0.0);
        let stage = |name: &str| v.stages.iter().position(|s| s.name == name).expect(name);
        let (ground, air, ps1) = (stage("PSOM-XL ground-lit"), stage("PSOM-XL air-lit"), stage("PS1"));
        let t_s = v.stages[air].ignition_delay_s;
        assert_eq!(b.stages[air].ignition_s, t_s);
        let on_curve_n = |i: usize| v.stages[i].solid_output(t_s, SEA_LEVEL_PRESSURE_PA).expect("solid").thrust_n;
        let thrust_n = on_curve_n(ground) + on_curve_n(ps1) + v.stages[air].ignition_thrust_n(1.0, SEA_LEVEL_PRESSURE_PA);
        let mass_kg = b.phases.iter().find(|p| p.start_s == t_s).expect("a phase starts with the air-lit strap-ons").start_mass_kg;
        let tw = b.stages[air].thrust_to_weight_at_ignition;
        assert!((tw - thrust_n / (mass_kg * G0_M_S2)).abs() < 1e-9, "{tw}");
        assert!((tw - 2.80).abs() < 0.01, "{tw}");
    }

    /// The budget's first phase of Ariane 5 ECA with 15 t is the ideal Δv a flight integrates
    /// over the same time (its loss budget's `∫T_vac/m dt`), whatever its trajectory.
    #[test]
    fn the_first_phase_is_the_ideal_delta_v_flown() {
        let v = resolve_vehicle("ariane-5-eca").expect("catalog").0;
        let p = delta_v_budget(&v, 15_000.0).phases[0].clone();
        let site = SiteCatalog::builtin().expect("sites").get("kourou").expect("site").clone();
        let launch = Launch::from_site(&site, 90.0);
        let setup = FlightSetup {
            vehicle: &v,
            payload_kg: 15_000.0,
            launch,
            options: FlightOptions { max_time_s: p.end_s, ..FlightOptions::default() },
        };
        let flight = fly(&setup, &mut AscentProgram::new(AscentParameters::default(), &v, &launch)).expect("flown");
        assert!((flight.final_point.time_s - p.end_s).abs() < 1e-6, "{}", flight.final_point.time_s);
        let flown_m_s = flight.loss_budget.ideal_delta_v_m_s;
        assert!((p.delta_v_m_s - flown_m_s).abs() < 0.05, "budget {} m/s, flown {flown_m_s} m/s", p.delta_v_m_s);
    }
}
