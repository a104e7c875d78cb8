//! Launch vehicles: engines, stages, fairing, aerodynamics and limits, as validated, immutable
//! data; the vehicle file that describes them; the built-in catalog; launch sites.
//!
//! A [`Vehicle`] is built once from a vehicle file ([`Vehicle::from_toml`]) and never changes
//! afterwards, so any number of flights can share it by reference.

pub mod catalog;
pub mod engine_chemistry;
pub mod file;
pub mod site;
pub(crate) mod toml_text;
mod validate;

pub use catalog::{catalog_ids, catalog_vehicle, resolve_vehicle, unknown_vehicle};
pub use site::{is_site_file, Corridor, PadChoice, Site, SiteCatalog};
pub use validate::{SOLID_IMPULSE_TOLERANCE, SOLID_IMPULSE_WARNING};

use crate::propulsion::solid::{MotorOutput, SolidMotor};
use crate::units::G0_M_S2;

/// Standard sea-level pressure, Pa: the reference for sea-level thrust (`A_e = (T_vac − T_sl)/p0`).
pub const SEA_LEVEL_PRESSURE_PA: f64 = 101_325.0;

/// Most stages a vehicle may have: the vehicle file refuses more, and the flight keeps its
/// per-stage tables in arrays of this size and its stage sets in bits of a `u32`.
pub const MAX_STAGES: usize = 16;
/// Most stages burning at once (boosters, core and one more): the flight integrates one
/// propellant slot per burning stage, so the vehicle file refuses more liftoff stages.
pub const MAX_BURNING_STAGES: usize = 3;
/// Most burns a restartable stage may be given (Fregat is rated for 20, the S5.92 for 25).
pub const MAX_BURNS_PER_STAGE: i64 = 32;
/// Most `[[jettison]]` items: the flight tracks them as bits of a `u32`.
pub const MAX_JETTISON_ITEMS: usize = 32;

/// A liquid or solid rocket engine, per engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Engine {
    /// Identifier the stages refer to (`RD-191`).
    pub id: String,
    /// Propellant combination as written (`LOX/kerosene`).
    pub propellant: String,
    /// Vacuum thrust at full throttle, N.
    pub thrust_vac_n: f64,
    /// Vacuum specific impulse, s.
    pub isp_vac_s: f64,
    /// Nozzle exit area, m²; thrust falls by `p·A_e` in an ambient pressure `p`.
    pub exit_area_m2: f64,
    /// Lowest throttle setting the engine allows (1.0 when not throttleable).
    pub throttle_min: f64,
    /// What the propellant chemistry gives, for an engine the file describes by it
    /// (`chemistry = { ... }`); reported beside the Isp the engine flies with.
    pub chemistry: Option<engine_chemistry::EngineChemistry>,
}

impl Engine {
    /// Mass flow at full throttle, kg/s: `T_vac / (Isp_vac · g0)`.
    #[inline]
    pub fn mass_flow_kg_s(&self) -> f64 {
        self.thrust_vac_n / (self.isp_vac_s * G0_M_S2)
    }

    /// Thrust at a throttle setting in an ambient pressure, N. Never negative: an engine
    /// over-expanded beyond separation produces no useful thrust in this model.
    #[inline]
    pub fn thrust_n(&self, throttle: f64, ambient_pressure_pa: f64) -> f64 {
        (throttle * self.thrust_vac_n - ambient_pressure_pa * self.exit_area_m2).max(0.0)
    }

    /// Sea-level thrust at full throttle, N.
    pub fn thrust_sl_n(&self) -> f64 {
        self.thrust_n(1.0, SEA_LEVEL_PRESSURE_PA)
    }

    /// Sea-level specific impulse, s (same mass flow as in vacuum).
    pub fn isp_sl_s(&self) -> f64 {
        self.thrust_sl_n() / (self.mass_flow_kg_s() * G0_M_S2)
    }

    /// The one engine that several engine types burning together from the same tanks make (a
    /// main engine and its steering engines; at least one), `count` of each: vacuum thrusts, nozzle exit areas
    /// and mass flows summed, so the Isp is the total thrust over the total mass flow.
    ///
    /// Thrust is linear in throttle and ambient pressure (`throttle·T_vac − p·A_e`), so at one
    /// throttle shared by all the engines the sum of their thrusts is exactly the thrust of the
    /// sum, as long as no engine is over-expanded to zero thrust (each engine's own thrust is
    /// floored at zero): [`Stage::thrust_n`] checks that and adds the engines one by one beyond.
    ///
    /// The lowest throttle is the highest `throttle_min` among them: the engines throttle alike,
    /// as one propulsion system on one command, and none of them may run below its own minimum
    /// (one engine that cannot throttle makes the whole stage fixed-thrust).
    pub fn combined(parts: &[StageEngine]) -> Engine {
        let mut id = String::new();
        let mut propellants: Vec<&str> = Vec::new();
        let (mut thrust_vac_n, mut mass_flow_kg_s, mut exit_area_m2, mut throttle_min) = (0.0, 0.0, 0.0, 0.0_f64);
        for (k, part) in parts.iter().enumerate() {
            let (e, n) = (&part.engine, f64::from(part.count_per_unit));
            if k > 0 {
                id.push_str(" + ");
            }
            if part.count_per_unit > 1 {
                id.push_str(&format!("{} × ", part.count_per_unit));
            }
            id.push_str(&e.id);
            if !propellants.contains(&e.propellant.as_str()) {
                propellants.push(&e.propellant);
            }
            thrust_vac_n += n * e.thrust_vac_n;
            mass_flow_kg_s += n * e.mass_flow_kg_s();
            exit_area_m2 += n * e.exit_area_m2;
            throttle_min = throttle_min.max(e.throttle_min);
        }
        Engine {
            id,
            propellant: propellants.join(" + "),
            thrust_vac_n,
            isp_vac_s: thrust_vac_n / (mass_flow_kg_s * G0_M_S2),
            exit_area_m2,
            throttle_min,
            chemistry: None,
        }
    }

    /// Ambient pressure at which the engine gives no thrust at full throttle, Pa (`T_vac / A_e`;
    /// infinite for a vacuum engine, which has no exit area in this model).
    pub fn zero_thrust_pressure_pa(&self) -> f64 {
        if self.exit_area_m2 > 0.0 {
            self.thrust_vac_n / self.exit_area_m2
        } else {
            f64::INFINITY
        }
    }
}

/// One engine type of a stage and how many of it each unit carries.
#[derive(Debug, Clone, PartialEq)]
pub struct StageEngine {
    /// The engine.
    pub engine: Engine,
    /// Engines of this type per unit.
    pub count_per_unit: u32,
    /// Whether these engines burn on alone once the stage's main engines are cut off.
    pub burns_on: bool,
}

/// When a stage ignites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignition {
    /// Burns from liftoff, in parallel with the other liftoff stages.
    Liftoff,
    /// Ignites when the previous sequential stage separates (plus its ignition delay).
    Sequential,
}

/// What a stage is, for drop-zone defaults (tumbling drag) and reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    /// Strap-on boosters burning in parallel with a core and separating before it.
    Booster,
    /// The stage that burns from liftoff and carries the upper stages (or a first stage).
    Core,
    /// A stage that ignites after staging.
    Upper,
}

/// The end of a throttle segment.
#[derive(Debug, Clone, PartialEq)]
pub enum ThrottleUntil {
    /// Until the stage with this index separates.
    Separation(usize),
    /// Until this time after liftoff, s.
    Time(f64),
}

/// One segment of a stage's throttle schedule: hold `level` until `until`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThrottleSegment {
    /// Throttle level, fraction of full thrust, in `[throttle_min, 1]`.
    pub level: f64,
    /// When the segment ends; after the last segment the stage runs at full throttle.
    pub until: ThrottleUntil,
}

/// Cd and reference area of a tumbling spent stage (drop-zone work).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tumbling {
    /// Drag coefficient of the tumbling body.
    pub cd: f64,
    /// Reference area, m².
    pub area_m2: f64,
}

/// A stage: `units` identical modules, each with `engines_per_unit` engines.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Name as in the vehicle file; the key of events and of throttle `until`.
    pub name: String,
    /// What the stage is.
    pub kind: StageKind,
    /// Identical modules burning together.
    pub units: u32,
    /// The engine of every module, what the flight burns: for a stage of several engine types
    /// (`engines`), the one equivalent engine they make together ([`Engine::combined`]).
    pub engine: Engine,
    /// Engines of `engine` per module (1 for a stage of several engine types).
    pub engines_per_unit: u32,
    /// The liquid engines of every module as the file gives them: one entry for `engine` with
    /// `engines_per_unit`, one per type for `engines = [...]`; empty for a solid stage.
    pub engines: Vec<StageEngine>,
    /// Lowest ambient pressure at which one of `engines` gives no thrust at full throttle, Pa
    /// ([`Engine::zero_thrust_pressure_pa`]; infinite for vacuum engines and solid stages). Below
    /// the throttle times this, `engine` gives exactly the engines' summed thrust.
    /// Set where the stage is built from its file (`validate.rs`) and scaled with the engines by
    /// [`Stage::with_scaled_engines`], which keep it consistent with `engines`.
    pub(crate) zero_thrust_pressure_pa: f64,
    /// Dry mass per module, kg.
    pub dry_mass_kg: f64,
    /// Usable propellant per module, kg.
    pub propellant_mass_kg: f64,
    /// Unusable propellant per module that stays aboard, kg (the file's, or the default share
    /// [`DEFAULT_RESIDUAL_FRACTION`] of the loaded propellant).
    pub residual_mass_kg: f64,
    /// Usable propellant per module held back unburned as the flight performance reserve, kg:
    /// part of `propellant_mass_kg`, non-zero on the last stage only.
    pub reserve_mass_kg: f64,
    /// Usable propellant per module burned during the start-up transient before the engines
    /// give their rated thrust, kg: part of `propellant_mass_kg`, gone without impulse at
    /// ignition (for a liftoff stage, on the pad before release).
    pub startup_propellant_kg: f64,
    /// Consumables per module that leave during the burn without producing thrust (turbopump
    /// hydrogen peroxide, pressurant gas), kg: expended at a constant share of the propellant
    /// flow, so they weigh on the ascent and are gone at burnout.
    pub auxiliary_mass_kg: f64,
    /// Module diameter, m (for the reference area).
    pub diameter_m: f64,
    /// When the stage ignites.
    pub ignition: Ignition,
    /// Coast between the trigger (liftoff or previous separation) and ignition, s; with
    /// [`Stage::ignition_delay_max_s`], the shortest coast the ascent may choose.
    pub ignition_delay_s: f64,
    /// Longest coast before a solid stage lit in flight, s, when the ascent chooses the coast in
    /// [`Stage::ignition_delay_s`, this] ([`crate::guidance::AscentParameters::coast_s`]); `None`:
    /// the coast is `ignition_delay_s`. A solid motor cannot throttle or shut down, so where it
    /// is lit (how long the stack coasts up before it) is, with the payload, the ascent's only
    /// hold on its energy. At most one stage of a vehicle has it.
    pub ignition_delay_max_s: Option<f64>,
    /// Throttle schedule; empty means full throttle throughout.
    pub throttle: Vec<ThrottleSegment>,
    /// Tumbling drag of the spent stage, when the file gives it.
    pub tumbling: Option<Tumbling>,
    /// The solid motor of every unit, for a solid stage. `engine` is then the motor's
    /// constant-thrust equivalent (its average vacuum thrust and delivered Isp: the same impulse,
    /// propellant and burn time), for the stage's figures; the flight follows the curve
    /// ([`Stage::solid_output`]).
    pub motor: Option<SolidMotor>,
    /// When the stage separates.
    pub separation: Separation,
    /// The event a stage of the liftoff group that ignites in flight waits for;
    /// `ignition_delay_s` counts from it.
    pub ignition_after: Option<StageEvent>,
    /// How the stage restarts, for a liquid upper stage that may burn more than once.
    pub restart: Option<Restart>,
    /// A jettisonable tank that feeds the stage first, dropped once it is empty.
    pub drop_tank: Option<DropTank>,
    /// The engines of every module that burn on alone from the same tanks once the others (the
    /// main engines) are cut off, as one equivalent engine ([`Engine::combined`]); `None` when
    /// none is flagged `burns_on`. A low-thrust tail of the burn carries a one-burn last stage
    /// higher before its cutoff (Zenit's RD-8 after the RD-120); when the main engines stop is
    /// the ascent's choice ([`crate::guidance::AscentParameters::main_engine_burn_s`]).
    pub burn_on_engine: Option<Engine>,
}

/// What restarting a liquid upper stage allows and costs (Briz-M, Block DM, Fregat): the
/// mission planner may cut the engines off, coast and ignite again within these bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Restart {
    /// Most burns in all, the first included (≥ 2).
    pub max_burns: u32,
    /// Shortest coast between a cutoff and the next ignition, s.
    pub min_coast_s: f64,
    /// Propellant per module spent without impulse at each restart (chill-down, start
    /// transient), kg.
    pub restart_propellant_kg: f64,
    /// Propellant per module spent on attitude control and ullage settling per hour of coast,
    /// kg/h.
    pub coast_propellant_kg_per_h: f64,
}

/// A jettisonable propellant tank of a stage (Briz-M's toroidal additional tank). Its masses
/// are part of the stage's: the stage burns the tank's propellant first and drops the tank's
/// dry mass when it is empty.
#[derive(Debug, Clone, PartialEq)]
pub struct DropTank {
    /// Name, for events and drop-zone reports.
    pub name: String,
    /// Dry mass per module, kg (part of the stage's `dry_mass_kg`).
    pub dry_mass_kg: f64,
    /// Usable propellant per module, kg (part of the stage's `propellant_mass_kg`).
    pub propellant_mass_kg: f64,
    /// Tumbling drag of the empty tank, when the file gives it.
    pub tumbling: Option<Tumbling>,
}

/// When a stage separates from the vehicle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Separation {
    /// At its burnout (a solid motor's: the end of its curve).
    AtBurnout,
    /// This long after burnout, s (solid boosters held while their thrust decays).
    AfterBurnout {
        /// Delay after the end of the curve, s.
        delay_s: f64,
    },
    /// When the vacuum thrust of one motor falls below a level in its tail-off.
    BelowThrust {
        /// The level, N.
        thrust_vac_n: f64,
        /// When the motor's thrust falls below it, s after ignition (from the curve).
        since_ignition_s: f64,
    },
}

/// An event of another stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageEvent {
    /// The burnout of the stage with this index.
    Burnout(usize),
    /// The separation of the stage with this index.
    Separation(usize),
}

impl Stage {
    /// Number of engines of the whole stage (all modules, every type).
    pub fn engine_count(&self) -> u32 {
        match self.engines.as_slice() {
            [] => self.units * self.engines_per_unit,
            listed => self.units * listed.iter().map(|e| e.count_per_unit).sum::<u32>(),
        }
    }

    /// How many times the stage burns `engine`: units times `engines_per_unit`.
    #[inline]
    fn equivalent_count(&self) -> f64 {
        f64::from(self.units * self.engines_per_unit)
    }

    /// Mass of the whole stage at ignition, kg.
    pub fn gross_mass_kg(&self) -> f64 {
        f64::from(self.units) * (self.dry_mass_kg + self.propellant_mass_kg + self.auxiliary_mass_kg + self.residual_mass_kg)
    }

    /// Mass of the whole stage after burnout, kg (dry, residuals and the reserve kept aboard).
    pub fn burnout_mass_kg(&self) -> f64 {
        f64::from(self.units) * (self.dry_mass_kg + self.residual_mass_kg + self.reserve_mass_kg)
    }

    /// Mass the whole stage expends during its rated burn, kg: usable propellant less the
    /// reserve and the start-up propellant, and the auxiliary consumables.
    pub fn total_propellant_kg(&self) -> f64 {
        f64::from(self.units) * (self.propellant_mass_kg - self.reserve_mass_kg - self.startup_propellant_kg + self.auxiliary_mass_kg)
    }

    /// Propellant of the whole stage burned during the start-up transient, kg.
    pub fn startup_mass_kg(&self) -> f64 {
        f64::from(self.units) * self.startup_propellant_kg
    }

    /// Vacuum thrust of the whole stage at full throttle, N.
    pub fn thrust_vac_n(&self) -> f64 {
        self.equivalent_count() * self.engine.thrust_vac_n
    }

    /// Thrust of the whole stage at a throttle and ambient pressure, N: the sum of its engines'.
    /// The equivalent `engine` gives it while every engine still has thrust (always, on a stage
    /// of one engine type); past that, in the rare case of an over-expanded engine at low
    /// throttle or high pressure, the engines are added one by one (without allocating).
    #[inline]
    pub fn thrust_n(&self, throttle: f64, ambient_pressure_pa: f64) -> f64 {
        if ambient_pressure_pa <= throttle * self.zero_thrust_pressure_pa {
            self.equivalent_count() * self.engine.thrust_n(throttle, ambient_pressure_pa)
        } else {
            let per_unit: f64 =
                self.engines.iter().map(|e| f64::from(e.count_per_unit) * e.engine.thrust_n(throttle, ambient_pressure_pa)).sum();
            f64::from(self.units) * per_unit
        }
    }

    /// Sea-level thrust of the whole stage at full throttle, N.
    pub fn thrust_sl_n(&self) -> f64 {
        self.thrust_n(1.0, SEA_LEVEL_PRESSURE_PA)
    }

    /// Propellant flow of the whole stage's engines at full throttle, kg/s (without the
    /// auxiliary consumables).
    pub fn engine_mass_flow_kg_s(&self) -> f64 {
        self.equivalent_count() * self.engine.mass_flow_kg_s()
    }

    /// Specific impulse of the whole stage at full throttle in an ambient pressure, s: its
    /// engines' thrust over their propellant flow.
    pub fn isp_s(&self, ambient_pressure_pa: f64) -> f64 {
        self.thrust_n(1.0, ambient_pressure_pa) / (self.engine_mass_flow_kg_s() * G0_M_S2)
    }

    /// Mass flow of the whole stage at full throttle, kg/s: the engines' propellant flow and
    /// the auxiliary consumables leaving with it.
    #[inline]
    pub fn mass_flow_kg_s(&self) -> f64 {
        self.equivalent_count() * self.engine.mass_flow_kg_s() * (1.0 + self.auxiliary_mass_kg / self.propellant_mass_kg)
    }

    /// Burn time at full throttle, s.
    pub fn burn_time_full_throttle_s(&self) -> f64 {
        self.total_propellant_kg() / self.mass_flow_kg_s()
    }

    /// Cross-section of all modules, m².
    pub fn cross_section_m2(&self) -> f64 {
        f64::from(self.units) * std::f64::consts::FRAC_PI_4 * self.diameter_m * self.diameter_m
    }

    /// Whether the stage burns a solid motor.
    pub fn is_solid(&self) -> bool {
        self.motor.is_some()
    }

    /// Thrust and mass flow of the whole solid stage (all its motors) at a time since its
    /// ignition in an ambient pressure; `None` for a liquid stage. What the flight loop asks of a
    /// burning solid stage.
    #[inline]
    pub fn solid_output(&self, since_ignition_s: f64, ambient_pressure_pa: f64) -> Option<MotorOutput> {
        let motor = self.motor.as_ref()?;
        let one = motor.output(since_ignition_s, ambient_pressure_pa);
        let n = f64::from(self.units);
        Some(MotorOutput { thrust_vac_n: n * one.thrust_vac_n, thrust_n: n * one.thrust_n, mass_flow_kg_s: n * one.mass_flow_kg_s })
    }

    /// Thrust of the whole stage as it ignites at a throttle and ambient pressure, N: a solid
    /// motor's after its ignition transient ([`SolidMotor::ignition_thrust_vac_n`]), not the
    /// average of its curve; a liquid stage's [`Stage::thrust_n`].
    pub fn ignition_thrust_n(&self, throttle: f64, ambient_pressure_pa: f64) -> f64 {
        match &self.motor {
            Some(motor) => {
                let vac = motor.ignition_thrust_vac_n();
                f64::from(self.units) * (vac - ambient_pressure_pa * motor.exit_area_m2).max(0.0)
            }
            None => self.thrust_n(throttle, ambient_pressure_pa),
        }
    }

    /// When a solid stage separates, s after its ignition, by its separation rule; `None` for a
    /// liquid stage (it separates at its burnout, which the flight finds).
    pub fn solid_separation_since_ignition_s(&self) -> Option<f64> {
        let motor = self.motor.as_ref()?;
        Some(match self.separation {
            Separation::AtBurnout => motor.burn_time_s(),
            Separation::AfterBurnout { delay_s } => motor.burn_time_s() + delay_s,
            Separation::BelowThrust { since_ignition_s, .. } => since_ignition_s,
        })
    }

    /// This solid stage with its motors burning `burn_rate_factor` times as fast at
    /// `isp_factor` times the Isp ([`SolidMotor::dispersed`]), its constant-thrust equivalent
    /// and separation rule following; a liquid stage is returned unchanged.
    pub fn with_dispersed_motor(&self, burn_rate_factor: f64, isp_factor: f64) -> Stage {
        let Some(motor) = &self.motor else { return self.clone() };
        let dispersed = motor.dispersed(burn_rate_factor, isp_factor);
        let separation = match self.separation {
            Separation::BelowThrust { thrust_vac_n, since_ignition_s } => Separation::BelowThrust {
                thrust_vac_n,
                // The level crossed on the dispersed curve; a weaker motor that never reaches
                // it separates at the same point of its (scaled) curve.
                since_ignition_s: dispersed
                    .time_thrust_falls_below_s(thrust_vac_n)
                    .filter(|_| thrust_vac_n < dispersed.max_thrust_vac_n())
                    .unwrap_or(since_ignition_s * dispersed.burn_time_s() / motor.burn_time_s()),
            },
            other => other,
        };
        let engine =
            Engine { thrust_vac_n: dispersed.average_thrust_vac_n(), isp_vac_s: dispersed.delivered_isp_vac_s(), ..self.engine.clone() };
        Stage { engine, motor: Some(dispersed), separation, ..self.clone() }
    }

    /// This liquid stage with every engine's vacuum thrust `thrust_factor` times and vacuum Isp
    /// `isp_factor` times its own (nozzles unchanged), the stage's equivalent engine and its
    /// zero-thrust pressure (`T_vac / A_e`, which scales with the thrust) following; a solid
    /// stage is returned unchanged ([`Stage::with_dispersed_motor`] is its counterpart).
    pub fn with_scaled_engines(&self, thrust_factor: f64, isp_factor: f64) -> Stage {
        if self.motor.is_some() {
            return self.clone();
        }
        let mut s = self.clone();
        s.engine.thrust_vac_n *= thrust_factor;
        s.engine.isp_vac_s *= isp_factor;
        for e in s.engines.iter_mut().map(|e| &mut e.engine).chain(s.burn_on_engine.as_mut()) {
            e.thrust_vac_n *= thrust_factor;
            e.isp_vac_s *= isp_factor;
        }
        s.zero_thrust_pressure_pa *= thrust_factor;
        s
    }

    /// Thrust and mass flow of the whole stage once only its burn-on engines run, in an ambient
    /// pressure: `(thrust N, vacuum thrust N, mass flow kg/s)` with the auxiliary consumables
    /// leaving in proportion; `None` for a stage without them.
    #[inline]
    pub fn burn_on_output(&self, ambient_pressure_pa: f64) -> Option<(f64, f64, f64)> {
        let e = self.burn_on_engine.as_ref()?;
        let n = f64::from(self.units);
        Some((
            n * e.thrust_n(1.0, ambient_pressure_pa),
            n * e.thrust_vac_n,
            n * e.mass_flow_kg_s() * (1.0 + self.auxiliary_mass_kg / self.propellant_mass_kg),
        ))
    }

    /// Most burns the stage may make: 1 unless it is restartable.
    pub fn max_burns(&self) -> u32 {
        self.restart.map_or(1, |r| r.max_burns)
    }

    /// Whether the stage burns from liftoff (a liftoff stage without delay or ignition event).
    pub fn burns_at_liftoff(&self) -> bool {
        self.ignition == Ignition::Liftoff && self.ignition_delay_s <= 0.0 && self.ignition_after.is_none()
    }
}

/// When the payload fairing is jettisoned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FairingJettison {
    /// When the vehicle climbs through this altitude, m.
    Altitude(f64),
    /// When the free-molecular heat flux `½ρv³` falls below this value after max-Q, W/m².
    HeatFlux(f64),
    /// At this time after liftoff, s.
    Time(f64),
}

/// The payload fairing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fairing {
    /// Mass of the whole fairing (both halves), kg.
    pub mass_kg: f64,
    /// Jettison rule.
    pub jettison: FairingJettison,
    /// Tumbling drag of one half, when the file gives it.
    pub tumbling: Option<Tumbling>,
}

/// Aerodynamics of the ascending vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct Aero {
    /// Reference area, m²; `None` means the sum of cross-sections of what is attached.
    pub reference_area_m2: Option<f64>,
    /// Drag coefficient against Mach number, sorted by Mach, linear between points and held
    /// constant beyond the ends.
    pub cd_mach: Vec<(f64, f64)>,
}

impl Aero {
    /// The generic drag curve of a slender launch vehicle, used when the file gives none:
    /// subsonic 0.30, transonic peak near Mach 1.2, decaying supersonic.
    pub fn default_cd_mach() -> Vec<(f64, f64)> {
        vec![(0.0, 0.30), (0.6, 0.30), (0.9, 0.40), (1.1, 0.55), (1.3, 0.55), (2.0, 0.45), (3.0, 0.35), (5.0, 0.28), (10.0, 0.25)]
    }

    /// Drag coefficient at a Mach number.
    #[inline]
    pub fn cd(&self, mach: f64) -> f64 {
        interpolate_clamped(&self.cd_mach, mach)
    }
}

/// Linear interpolation in a sorted table of `(x, y)` points, held constant beyond the ends.
#[inline]
pub fn interpolate_clamped(table: &[(f64, f64)], x: f64) -> f64 {
    match table {
        [] => 0.0,
        [(_, y)] => *y,
        _ => {
            if x <= table[0].0 {
                return table[0].1;
            }
            let last = table[table.len() - 1];
            if x >= last.0 {
                return last.1;
            }
            // A binary search: a drag table of a dozen points costs a few comparisons, one of
            // thousands no more than a dozen, so the cost per evaluation never grows with it.
            let i = table.partition_point(|&(xi, _)| xi < x).clamp(1, table.len() - 1);
            let (x0, y0) = table[i - 1];
            let (x1, y1) = table[i];
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        }
    }
}

/// Structural and flight limits stated by the vehicle file.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// Maximum dynamic pressure, Pa.
    pub max_q_pa: Option<f64>,
    /// Maximum axial acceleration, in g0.
    pub max_accel_g: Option<f64>,
    /// Least thrust over weight at liftoff a design allows (conceptual design holds it near
    /// 1.2–1.5: below it the gravity loss of the first seconds grows fast and the vehicle creeps
    /// off the pad). It caps the payload, not the ascent: a payload search that finds more
    /// carries the heaviest payload that keeps it ([`Vehicle::liftoff_limited_payload_kg`]).
    pub min_liftoff_thrust_to_weight: Option<f64>,
}

/// Share of the loaded propellant that stays aboard unusable when a stage states no
/// `residual_mass_kg`: the middle of the 0.5–2 % that Sutton & Biblarz give for the propellant
/// that clings to tank walls or stays trapped in valves, lines and cooling passages
/// (*Rocket Propulsion Elements*, "Propellant Budget" list, item 6; see `docs/vehicle-file.md`).
pub const DEFAULT_RESIDUAL_FRACTION: f64 = 0.0125;

/// Flight performance reserve when `[margins]` states none: share of the last stage's usable
/// propellant held back unburned (see `docs/vehicle-file.md` for the source).
pub const DEFAULT_FLIGHT_PERFORMANCE_RESERVE: f64 = 0.0;

/// Payload adapter and separation system when `[margins]` states none, kg (see
/// `docs/vehicle-file.md` for the source).
pub const DEFAULT_PAYLOAD_ADAPTER_MASS_KG: f64 = 0.0;

/// Mass items and margins that published payload figures leave out of the payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Flight performance reserve: share of the last stage's usable propellant kept unburned.
    pub flight_performance_reserve: f64,
    /// Payload adapter and separation system, kg: flown to orbit, not counted as payload.
    pub payload_adapter_mass_kg: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Margins { flight_performance_reserve: DEFAULT_FLIGHT_PERFORMANCE_RESERVE, payload_adapter_mass_kg: DEFAULT_PAYLOAD_ADAPTER_MASS_KG }
    }
}

/// When a jettisoned item leaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JettisonTrigger {
    /// This long after the stage with this index separates, s.
    AfterSeparation {
        /// Stage index.
        stage: usize,
        /// Delay, s.
        delay_s: f64,
    },
    /// At this time after liftoff, s.
    Time(f64),
}

/// Structure dropped during the ascent apart from the stages and the fairing: an interstage
/// left behind after staging (Saturn V's S-II aft interstage), a launch escape tower.
#[derive(Debug, Clone, PartialEq)]
pub struct JettisonItem {
    /// Name in events.
    pub name: String,
    /// Mass, kg.
    pub mass_kg: f64,
    /// When it leaves.
    pub trigger: JettisonTrigger,
}

/// A default of the format that a vehicle file left in force, with its value: what `info`
/// and the reports list so an analyst sees every assumed figure of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultUsed {
    /// Key path (`stage[2].residual_mass_kg`, `margins.flight_performance_reserve`).
    pub key: String,
    /// The value used, in the unit of the key.
    pub value: f64,
    /// How it follows from the default (`1.25 % of 132600 kg loaded`).
    pub rule: String,
}

/// Where a figure of the vehicle file comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// What the source gives (`stage masses`).
    pub what: String,
    /// The reference.
    pub reference: String,
}

/// A non-fatal finding of validation (e.g. sea-level thrust and Isp that disagree by more than 2 %).
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where.
    pub location: crate::error::FileLocation,
    /// What.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A validated, immutable launch vehicle.
///
/// Invariants established by validation: at least one stage burns from liftoff; all masses,
/// thrusts and Isp are finite and positive; every throttle `until` names an existing stage;
/// liftoff stages come first in `stages`, then the sequential stages in firing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    /// Display name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Family (`Angara`, `Soyuz-2`), when the file states it: a cosmodrome launches the vehicle
    /// from the first of its pads that serves the family.
    pub family: Option<String>,
    /// Where the figures come from.
    pub sources: Vec<Source>,
    /// Stages, liftoff stages first.
    pub stages: Vec<Stage>,
    /// Payload fairing, if any.
    pub fairing: Option<Fairing>,
    /// Aerodynamics.
    pub aero: Aero,
    /// Limits.
    pub limits: Limits,
    /// Flight performance reserve and payload adapter.
    pub margins: Margins,
    /// Structure dropped during the ascent besides stages and fairing.
    pub jettison: Vec<JettisonItem>,
    /// The defaults this vehicle's file left in force.
    pub defaults_used: Vec<DefaultUsed>,
}

impl Vehicle {
    /// Parse and validate a vehicle file. `file` names the text in error messages.
    ///
    /// ```
    /// use cosmodrome::vehicle::Vehicle;
    ///
    /// let text = r#"
    /// format = 1
    /// name = "Example Two"
    ///
    /// [[engine]]
    /// id = "RD-191"
    /// propellant = "LOX/kerosene"
    /// thrust_vac_kn = 2085.0
    /// thrust_sl_kn = 1922.1
    /// isp_vac_s = 337.5
    /// isp_sl_s = 311.2
    ///
    /// [[engine]]
    /// id = "RD-0124A"
    /// propellant = "LOX/kerosene"
    /// thrust_vac_kn = 294.3
    /// isp_vac_s = 359.0
    ///
    /// [[stage]]
    /// name = "Core"
    /// engine = "RD-191"
    /// dry_mass_kg = 9800.0
    /// propellant_mass_kg = 132600.0
    /// diameter_m = 2.9
    ///
    /// [[stage]]
    /// name = "Upper"
    /// engine = "RD-0124A"
    /// dry_mass_kg = 4000.0
    /// propellant_mass_kg = 35800.0
    /// diameter_m = 3.6
    /// "#;
    /// let (vehicle, _warnings) = Vehicle::from_toml(text, "example-two.toml")?;
    /// assert_eq!(vehicle.stages.len(), 2);
    /// // Both stages fully loaded, the margins' defaults (payload adapter) on top, no payload.
    /// let stages_kg = 9800.0 + 132_600.0 + 4000.0 + 35_800.0;
    /// assert!(vehicle.liftoff_mass_kg(0.0) >= stages_kg - 1000.0 && vehicle.liftoff_mass_kg(0.0) < stages_kg + 1000.0);
    ///
    /// // A misspelt key names the file, the line and the key.
    /// let error = Vehicle::from_toml(&text.replace("dry_mass_kg = 4000.0", "dry_mas_kg = 4000.0"), "example-two.toml").unwrap_err();
    /// let message = error.to_string();
    /// assert!(message.contains("example-two.toml") && message.contains("dry_mas_kg"), "{message}");
    /// # Ok::<(), cosmodrome::error::FileError>(())
    /// ```
    pub fn from_toml(text: &str, file: &str) -> Result<(Vehicle, Vec<Warning>), crate::error::FileError> {
        validate::vehicle_from_toml(text, file)
    }

    /// Mass of the whole vehicle at liftoff with a payload, kg: everything loaded, less the
    /// start-up propellant the liftoff engines burn on the pad before release.
    pub fn liftoff_mass_kg(&self, payload_kg: f64) -> f64 {
        let startup: f64 = self.stages.iter().filter(|s| s.burns_at_liftoff()).map(Stage::startup_mass_kg).sum();
        self.stages.iter().map(Stage::gross_mass_kg).sum::<f64>() - startup
            + self.fairing.map_or(0.0, |f| f.mass_kg)
            + self.jettison.iter().map(|j| j.mass_kg).sum::<f64>()
            + self.margins.payload_adapter_mass_kg
            + payload_kg
    }

    /// Sea-level thrust of everything that burns at liftoff (with its first throttle level; solid
    /// motors after their ignition transient, [`Stage::ignition_thrust_n`]), N. Summed from +0:
    /// `Iterator::sum` of floats starts at −0, which would print as `-0.000` with nothing lit.
    pub fn liftoff_thrust_n(&self) -> f64 {
        self.stages
            .iter()
            .filter(|s| s.burns_at_liftoff())
            .map(|s| {
                let throttle = s.throttle.first().map_or(1.0, |seg| seg.level);
                s.ignition_thrust_n(throttle, SEA_LEVEL_PRESSURE_PA)
            })
            .fold(0.0, |total, thrust| total + thrust)
    }

    /// Liftoff thrust over weight with a payload.
    pub fn liftoff_thrust_to_weight(&self, payload_kg: f64) -> f64 {
        self.liftoff_thrust_n() / (self.liftoff_mass_kg(payload_kg) * G0_M_S2)
    }

    /// The payload with which the vehicle lifts off at `thrust_to_weight`, kg; negative when it
    /// lifts off below that with no payload.
    pub fn payload_at_liftoff_thrust_to_weight_kg(&self, thrust_to_weight: f64) -> f64 {
        self.liftoff_thrust_n() / G0_M_S2 / thrust_to_weight - self.liftoff_mass_kg(0.0)
    }

    /// The heaviest payload that keeps the liftoff thrust-to-weight at the file's
    /// `limits.min_liftoff_thrust_to_weight`, kg; `None` without that limit. Negative when the
    /// vehicle is under the limit with no payload (the file's checks warn of such a file, and
    /// every payload run refuses it).
    pub fn liftoff_limited_payload_kg(&self) -> Option<f64> {
        let min = self.limits.min_liftoff_thrust_to_weight?;
        Some(self.payload_at_liftoff_thrust_to_weight_kg(min))
    }

    /// Index of a stage by name.
    pub fn stage_index(&self, name: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.name == name)
    }

    /// Whether any stage burns a solid motor.
    pub fn has_solid_motors(&self) -> bool {
        self.stages.iter().any(Stage::is_solid)
    }

    /// Whether the last stage burns a solid motor: the ascent then ends at its burnout, which
    /// cannot be timed to the orbit's energy as a cutoff is.
    pub fn last_stage_is_solid(&self) -> bool {
        self.stages.last().is_some_and(Stage::is_solid)
    }

    /// The coast the ascent chooses, when the file lets it: the stage whose coast before
    /// ignition lies in a range ([`Stage::ignition_delay_max_s`]), and the range, s.
    pub fn chosen_coast(&self) -> Option<ChosenCoast> {
        self.stages.iter().enumerate().find_map(|(stage, s)| {
            s.ignition_delay_max_s.map(|max_s| ChosenCoast { stage, min_s: s.ignition_delay_s, max_s: max_s.max(s.ignition_delay_s) })
        })
    }

    /// The coast before `stage`'s ignition when the ascent chose `coast_s` (`None`: none chosen):
    /// the chosen coast held to the stage's range, or the file's `ignition_delay_s`.
    pub fn coast_before_s(&self, stage: usize, coast_s: Option<f64>) -> f64 {
        let s = &self.stages[stage];
        match (s.ignition_delay_max_s, coast_s) {
            (Some(max_s), Some(c)) if c.is_finite() => c.clamp(s.ignition_delay_s, max_s.max(s.ignition_delay_s)),
            _ => s.ignition_delay_s,
        }
    }
}

/// A coast before a solid stage's ignition that the ascent chooses ([`Vehicle::chosen_coast`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChosenCoast {
    /// The stage (0-based) lit after the coast.
    pub stage: usize,
    /// Shortest coast, s (`ignition_delay_s`).
    pub min_s: f64,
    /// Longest coast, s (`ignition_delay_max_s`).
    pub max_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_clamps_and_interpolates() {
        let t = [(0.0, 1.0), (1.0, 3.0), (2.0, 2.0)];
        assert_eq!(interpolate_clamped(&t, -1.0), 1.0);
        assert_eq!(interpolate_clamped(&t, 0.5), 2.0);
        assert_eq!(interpolate_clamped(&t, 1.5), 2.5);
        assert_eq!(interpolate_clamped(&t, 9.0), 2.0);
    }

    /// A liftoff stage of two units, each a main engine, two sea-level verniers and a vacuum
    /// engine, by the file form `engines = [...]`.
    const MIXED: &str = r#"format = 1
name = "Mixed"
[[engine]]
id = "Main"
propellant = "LOX/kerosene"
thrust_vac_kn = 1681.6
isp_vac_s = 331.0
isp_sl_s = 297.23
throttle_min = 0.5
[[engine]]
id = "Vernier"
propellant = "LOX/kerosene"
thrust_vac_kn = 68.3
thrust_sl_kn = 59.4
isp_vac_s = 298.0
throttle_min = 0.7
[[engine]]
id = "Vacuum"
propellant = "N2O4/UDMH"
thrust_vac_kn = 31.0
isp_vac_s = 293.0
throttle_min = 0.6
[[stage]]
name = "Core"
units = 2
engines = [{ engine = "Main" }, { engine = "Vernier", count = 2 }, { engine = "Vacuum", count = 1 }]
dry_mass_kg = 9300.0
propellant_mass_kg = 119000.0
residual_mass_kg = 0.0
diameter_m = 2.95
"#;

    /// The one equivalent engine a stage of several engine types flies with gives the sum of its
    /// engines' thrusts and mass flows at every pressure and throttle, computed engine by engine
    /// here: linear where every engine has thrust, and past the pressure where one of them is
    /// over-expanded to zero too.
    #[test]
    fn a_stage_of_several_engines_gives_the_sum_of_their_thrusts() {
        let (vehicle, _) = Vehicle::from_toml(MIXED, "mixed.toml").expect("valid");
        let stage = &vehicle.stages[0];
        let listed = [("Main", 1.0), ("Vernier", 2.0), ("Vacuum", 1.0)];
        let engine = |id: &str| stage.engines.iter().find(|l| l.engine.id == id).map(|l| l.engine.clone()).expect("listed");
        let sum = |f: &dyn Fn(&Engine) -> f64| 2.0 * listed.iter().map(|(id, n)| n * f(&engine(id))).sum::<f64>();
        assert_eq!(stage.engine_count(), 8);
        assert!((stage.thrust_vac_n() / sum(&|e| e.thrust_vac_n) - 1.0).abs() < 1e-14);
        assert!((stage.engine_mass_flow_kg_s() / sum(&|e| e.mass_flow_kg_s()) - 1.0).abs() < 1e-14);
        assert_eq!(stage.engine.throttle_min, 0.7, "the highest minimum of the three");
        let mut clamped = 0;
        for throttle in [1.0, 0.85, 0.7, 0.3] {
            for pressure_pa in [0.0, 1_000.0, 26_500.0, 70_000.0, SEA_LEVEL_PRESSURE_PA, 200_000.0, 500_000.0] {
                let expected = sum(&|e| e.thrust_n(throttle, pressure_pa));
                let got = stage.thrust_n(throttle, pressure_pa);
                assert!(
                    (got - expected).abs() <= 1e-9 * expected.max(1.0),
                    "throttle {throttle}, {pressure_pa} Pa: {got} N against {expected} N"
                );
                // The linear sum alone (no engine floored at zero) is what the flight would get
                // without the check; count where it differs.
                let linear = sum(&|e| throttle * e.thrust_vac_n - pressure_pa * e.exit_area_m2).max(0.0);
                if (linear - expected).abs() > 1e-6 * expected.max(1.0) {
                    clamped += 1;
                }
            }
        }
        assert!(clamped > 0, "some cases have an engine over-expanded to zero thrust");
        // The stage's Isp is the total thrust over the total flow, in vacuum and at sea level.
        let isp_vac_s = sum(&|e| e.thrust_vac_n) / (sum(&|e| e.mass_flow_kg_s()) * G0_M_S2);
        assert!((stage.engine.isp_vac_s - isp_vac_s).abs() < 1e-9 && (stage.isp_s(0.0) - isp_vac_s).abs() < 1e-9);
        let isp_sl_s = sum(&|e| e.thrust_sl_n()) / (sum(&|e| e.mass_flow_kg_s()) * G0_M_S2);
        assert!((stage.isp_s(SEA_LEVEL_PRESSURE_PA) - isp_sl_s).abs() < 1e-9);
    }

    /// A stage of several engine types scaled in thrust and Isp is the stage of those engines
    /// scaled one by one: its thrust at every pressure (the zero-thrust pressure it caches moves
    /// with the thrust) and its mass flow.
    #[test]
    fn scaled_engines_keep_the_sum_of_their_thrusts() {
        let (vehicle, _) = Vehicle::from_toml(MIXED, "mixed.toml").expect("valid");
        let stage = &vehicle.stages[0];
        let scaled = stage.with_scaled_engines(0.98, 0.99);
        // Between the weakened engine's zero-thrust pressure and the unscaled one, the stage must
        // floor that engine at zero thrust.
        let between_pa = 0.99 * stage.zero_thrust_pressure_pa;
        assert!(between_pa.is_finite(), "an engine of the stage has an exit area");
        for pressure_pa in [0.0, 26_500.0, SEA_LEVEL_PRESSURE_PA, between_pa, 500_000.0] {
            let expected: f64 = f64::from(stage.units)
                * stage
                    .engines
                    .iter()
                    .map(|l| {
                        let e = Engine { thrust_vac_n: 0.98 * l.engine.thrust_vac_n, ..l.engine.clone() };
                        f64::from(l.count_per_unit) * e.thrust_n(1.0, pressure_pa)
                    })
                    .sum::<f64>();
            let got = scaled.thrust_n(1.0, pressure_pa);
            assert!((got - expected).abs() <= 1e-9 * expected.max(1.0), "{pressure_pa} Pa: {got} N against {expected} N");
        }
        let flow_ratio = scaled.engine_mass_flow_kg_s() / stage.engine_mass_flow_kg_s();
        assert!((flow_ratio - 0.98 / 0.99).abs() < 1e-12, "mass flow × {flow_ratio}");
        assert!((scaled.engine.isp_vac_s / stage.engine.isp_vac_s - 0.99).abs() < 1e-12);
    }

    #[test]
    fn sea_level_thrust_follows_exit_area() {
        let e = Engine {
            id: "X".into(),
            propellant: "LOX/kerosene".into(),
            thrust_vac_n: 2_085_000.0,
            isp_vac_s: 337.5,
            exit_area_m2: (2_085_000.0 - 1_922_103.4) / SEA_LEVEL_PRESSURE_PA,
            throttle_min: 0.27,
            chemistry: None,
        };
        assert!((e.thrust_sl_n() - 1_922_103.4).abs() < 1e-6);
        // Same mass flow at sea level: Isp scales with thrust.
        assert!((e.isp_sl_s() - 337.5 * 1_922_103.4 / 2_085_000.0).abs() < 1e-9);
    }
}
