//! The discrete side of a flight: which stages are attached, which burn at which throttle, and
//! whether the fairing is still on. It changes only at events; between events it is constant,
//! which is what lets the integrator take long smooth steps.
//!
//! [`Sequencer`] is the one owner of every configuration transition — ignition, burnout,
//! separation, engine cutoff, throttle segments, fairing and `[[jettison]]` drops — and of the
//! transitions scheduled at a known time (delayed ignitions, timed throttle changes and drops).
//! The flight loop and the ideal Δv budget ([`crate::propulsion::delta_v_budget`]) both walk it,
//! so the staging rules exist once: a rule changed here changes the flight and the budget alike.
//! The sequencer reports what happens through a [`SequenceObserver`], in order, with the
//! configuration as it is at that moment (the flight records events and forks bodies there).

use super::trajectory::EventKind;
use crate::error::{Error, Result};
use crate::vehicle::{FairingJettison, Ignition, JettisonTrigger, Separation, StageEvent, ThrottleUntil, Vehicle};

pub use crate::vehicle::{MAX_JETTISON_ITEMS, MAX_STAGES};

/// Most stages burning at once (boosters, core and one more); the vehicle file enforces it.
pub const MAX_BURNING: usize = crate::vehicle::MAX_BURNING_STAGES;
/// First state component of the Δv budget integrals (see [`super::losses`]).
pub const LOSS_OFFSET: usize = 6 + MAX_BURNING;
/// Dimension of the integrated state: position (3), velocity (3), usable propellant per burn
/// slot, and the Δv budget integrals.
pub const STATE_DIM: usize = LOSS_OFFSET + super::losses::LOSS_TERMS;

/// Time tolerance within which a scheduled transition counts as due, s.
const DUE_TOLERANCE_S: f64 = 1e-9;

/// One stage burning: which stage and at what throttle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnSlot {
    /// Stage index in the vehicle.
    pub stage: usize,
    /// Throttle level, fraction of full thrust (a solid motor's is 1: it follows its curve).
    pub throttle: f64,
    /// Time of ignition since liftoff, s: a solid motor's thrust and mass flow follow its curve
    /// at the time since then.
    pub ignition_s: f64,
    /// The stage's main engines are cut off: only its burn-on engines run
    /// ([`crate::vehicle::Stage::burn_on_output`]).
    pub main_cut: bool,
}

/// Constant-between-events configuration of the vehicle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Configuration {
    /// Bit `i` set when stage `i` is attached.
    pub attached: u32,
    /// Stages that have been ignited (bit set once, never cleared).
    pub ignited: u32,
    /// Burning stages; the propellant of slot `k` is state component `6 + k`.
    pub slots: [Option<BurnSlot>; MAX_BURNING],
    /// Index of the current segment of each stage's throttle schedule; past the last segment the
    /// stage runs at full throttle. Wide enough to count past any schedule that fits in memory
    /// (a `u8` saturated at 255 and replayed the last segment's end without end).
    pub throttle_segment: [u32; MAX_STAGES],
    /// Whether the payload fairing is still on.
    pub fairing_attached: bool,
    /// Mass that does not change until the next event: payload, fairing, structure, residuals
    /// and the propellant of stages not yet ignited, kg.
    pub fixed_mass_kg: f64,
    /// Aerodynamic reference area, m².
    pub reference_area_m2: f64,
    /// Usable propellant left aboard each stage that guidance shut down before burnout, kg.
    pub shutdown_propellant_kg: [f64; MAX_STAGES],
    /// Bit `j` set once `[[jettison]]` item `j` has been dropped.
    pub dropped: u32,
    /// Burns each stage has started (ignition and restarts).
    pub burns: [u32; MAX_STAGES],
    /// Time of each stage's last engine cutoff, s (−∞ before any): restarts count their coast
    /// from it.
    pub last_cutoff_s: [f64; MAX_STAGES],
    /// Bit `i` set once stage `i`'s drop tank has been jettisoned.
    pub tanks_dropped: u32,
    /// Bit `i` set once stage `i` has burned its start-up propellant on the pad: a liquid stage
    /// lit before release ([`pad_lit_stages`]); from liftoff on it no longer carries it, though
    /// the sequencer lights it at liftoff with the others.
    pub pad_burned: u32,
}

impl Configuration {
    /// The vehicle on the pad: everything attached, nothing burning.
    pub fn on_pad(vehicle: &Vehicle, payload_kg: f64) -> Self {
        let n = vehicle.stages.len();
        let attached = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        let mut c = Configuration {
            attached,
            ignited: 0,
            slots: [None; MAX_BURNING],
            throttle_segment: [0; MAX_STAGES],
            fairing_attached: vehicle.fairing.is_some(),
            fixed_mass_kg: 0.0,
            reference_area_m2: 0.0,
            shutdown_propellant_kg: [0.0; MAX_STAGES],
            dropped: 0,
            burns: [0; MAX_STAGES],
            last_cutoff_s: [f64::NEG_INFINITY; MAX_STAGES],
            tanks_dropped: 0,
            pad_burned: 0,
        };
        c.refresh(vehicle, payload_kg);
        c
    }

    /// Whether stage `i` is attached.
    #[inline]
    pub fn is_attached(&self, i: usize) -> bool {
        self.attached & (1 << i) != 0
    }

    /// Whether stage `i` has been ignited.
    #[inline]
    pub fn is_ignited(&self, i: usize) -> bool {
        self.ignited & (1 << i) != 0
    }

    /// Whether stage `i`'s drop tank has been jettisoned.
    #[inline]
    pub fn tank_dropped(&self, i: usize) -> bool {
        self.tanks_dropped & (1 << i) != 0
    }

    /// Slot of a burning stage.
    pub fn slot_of(&self, stage: usize) -> Option<usize> {
        self.slots.iter().position(|s| s.is_some_and(|s| s.stage == stage))
    }

    /// Whether anything burns.
    pub fn is_burning(&self) -> bool {
        self.slots.iter().any(Option::is_some)
    }

    /// Recompute the fixed mass and the reference area after a change.
    pub fn refresh(&mut self, vehicle: &Vehicle, payload_kg: f64) {
        let mut mass = payload_kg + vehicle.margins.payload_adapter_mass_kg;
        // The frontal area: the liftoff stages stand side by side (boosters around a core), the
        // sequential stages stand on top of them, each in the shadow of the widest below it.
        let mut side_by_side_m2 = 0.0;
        let mut stacked_m2: f64 = 0.0;
        for (i, s) in vehicle.stages.iter().enumerate() {
            if !self.is_attached(i) {
                continue;
            }
            // A stage not yet ignited carries its whole load (less what it burned on the pad);
            // once ignited, its start-up propellant is gone and the burning slot holds the rest.
            mass += if self.is_ignited(i) {
                s.burnout_mass_kg()
            } else if self.pad_burned & (1 << i) != 0 {
                s.gross_mass_kg() - s.startup_mass_kg()
            } else {
                s.gross_mass_kg()
            };
            if let (true, Some(tank)) = (self.tank_dropped(i), &s.drop_tank) {
                mass -= f64::from(s.units) * tank.dry_mass_kg;
            }
            mass += self.shutdown_propellant_kg.get(i).copied().unwrap_or(0.0);
            if s.ignition == Ignition::Liftoff {
                side_by_side_m2 += s.cross_section_m2();
            } else {
                stacked_m2 = stacked_m2.max(s.cross_section_m2());
            }
        }
        let area = stacked_m2.max(side_by_side_m2);
        if self.fairing_attached {
            if let Some(f) = vehicle.fairing {
                mass += f.mass_kg;
            }
        }
        for (j, item) in vehicle.jettison.iter().enumerate() {
            if self.dropped & (1 << j) == 0 {
                mass += item.mass_kg;
            }
        }
        self.fixed_mass_kg = mass;
        self.reference_area_m2 = vehicle.aero.reference_area_m2.unwrap_or(area);
    }

    /// Throttle level stage `i` runs at under the current schedule segment.
    pub fn scheduled_throttle(&self, vehicle: &Vehicle, i: usize) -> f64 {
        let seg = self.throttle_segment[i] as usize;
        vehicle.stages[i].throttle.get(seg).map_or(1.0, |s| s.level)
    }

    /// Ignite stage `i` at time `t` into a free slot; returns the slot, or `None` when all
    /// slots are busy.
    pub fn ignite(&mut self, vehicle: &Vehicle, i: usize, t: f64) -> Option<usize> {
        let k = self.slots.iter().position(Option::is_none)?;
        let throttle = self.scheduled_throttle(vehicle, i);
        self.slots[k] = Some(BurnSlot { stage: i, throttle, ignition_s: t, main_cut: false });
        self.ignited |= 1 << i;
        self.burns[i] = self.burns[i].saturating_add(1);
        Some(k)
    }

    /// Name of the current burn phase: burning stage names joined by `+`, or `coast`.
    pub fn phase_name(&self, vehicle: &Vehicle) -> String {
        let names: Vec<&str> = self.slots.iter().flatten().map(|s| vehicle.stages[s.stage].name.as_str()).collect();
        if names.is_empty() {
            "coast".to_owned()
        } else {
            names.join("+")
        }
    }
}

/// The liquid stages lit on the pad: those that burn from liftoff and spend start-up propellant,
/// which they burn held down before release (Ariane 5's Vulcain, 7 s before the boosters light
/// and the vehicle lifts off). Bit `i` for stage `i`.
pub fn pad_lit_stages(vehicle: &Vehicle) -> u32 {
    liftoff_stages(vehicle)
        .filter(|&i| {
            i < 32 && vehicle.stages[i].burns_at_liftoff() && !vehicle.stages[i].is_solid() && vehicle.stages[i].startup_mass_kg() > 0.0
        })
        .fold(0, |mask, i| mask | (1 << i))
}

/// Stages of the liftoff group that ignite at liftoff (now or after their delay), not at
/// another stage's event.
pub fn liftoff_stages(vehicle: &Vehicle) -> impl Iterator<Item = usize> + '_ {
    vehicle.stages.iter().enumerate().filter(|(_, s)| s.ignition == Ignition::Liftoff && s.ignition_after.is_none()).map(|(i, _)| i)
}

/// Time since liftoff at which the solid stage burning in `slot` reaches the end of its curve
/// (its burnout: the propellant is gone), s; `None` for a liquid stage.
pub fn solid_burnout_s(vehicle: &Vehicle, slot: &BurnSlot) -> Option<f64> {
    vehicle.stages[slot.stage].motor.as_ref().map(|m| slot.ignition_s + m.burn_time_s())
}

/// Usable propellant left in the burn slot of stage `i` when its drop tank runs empty, kg: the
/// stage burns the tank's propellant first (restart and coast consumables included, while the
/// tank is aboard). `None` for a stage without a drop tank.
pub fn drop_tank_empty_level_kg(vehicle: &Vehicle, i: usize) -> Option<f64> {
    let s = vehicle.stages.get(i)?;
    let tank = s.drop_tank.as_ref()?;
    Some(s.total_propellant_kg() - f64::from(s.units) * tank.propellant_mass_kg)
}

/// The stage that ignites when stage `separated` leaves: the next sequential stage in the list.
pub fn successor(vehicle: &Vehicle, separated: usize) -> Option<usize> {
    let next = separated + 1;
    let stage = vehicle.stages.get(next)?;
    (stage.ignition == Ignition::Sequential).then_some(next)
}

/// Whether stage `i`'s current throttle segment ends with the separation of stage `separated`.
pub fn segment_ends_at_separation(vehicle: &Vehicle, config: &Configuration, i: usize, separated: usize) -> bool {
    let seg = config.throttle_segment[i] as usize;
    matches!(vehicle.stages[i].throttle.get(seg), Some(s) if s.until == ThrottleUntil::Separation(separated))
}

/// End time of stage `i`'s current throttle segment, when it is a time.
pub fn segment_end_time(vehicle: &Vehicle, config: &Configuration, i: usize) -> Option<f64> {
    let seg = config.throttle_segment[i] as usize;
    match vehicle.stages[i].throttle.get(seg) {
        Some(s) => match s.until {
            ThrottleUntil::Time(t) => Some(t),
            ThrottleUntil::Separation(_) => None,
        },
        None => None,
    }
}

/// A body that leaves the vehicle, reported before the configuration loses it so that its
/// state is the vehicle's at release (the seed of its fall).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// A spent stage (all its units).
    Stage(usize),
    /// The payload fairing (both halves).
    Fairing,
    /// The empty drop tank of a stage.
    DropTank(usize),
}

/// Why a restart is refused: the stage's limits ([`crate::vehicle::Restart`]) or its state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RestartRefusal {
    /// The stage has no restart capability (`max_burns` is 1).
    NotRestartable,
    /// The stage has separated.
    Separated,
    /// The stage has not burned yet: its first burn is an ignition, not a restart.
    NotIgnited,
    /// The stage is burning.
    Burning,
    /// Every burn the stage is rated for has been made.
    MaxBurns {
        /// The stage's `max_burns`.
        max_burns: u32,
    },
    /// The coast since the last cutoff is shorter than the stage's `min_coast_s`.
    CoastTooShort {
        /// The coast so far, s.
        coast_s: f64,
        /// The stage's shortest coast, s.
        min_coast_s: f64,
    },
    /// The propellant aboard does not cover the restart and the coast's consumables.
    NoPropellant {
        /// Propellant aboard at the cutoff, kg.
        aboard_kg: f64,
        /// Restart and coast consumables, kg.
        needed_kg: f64,
    },
}

impl std::fmt::Display for RestartRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            RestartRefusal::NotRestartable => write!(f, "the stage is not restartable (max_burns = 1)"),
            RestartRefusal::Separated => write!(f, "the stage has separated"),
            RestartRefusal::NotIgnited => write!(f, "the stage has not burned yet"),
            RestartRefusal::Burning => write!(f, "the stage is burning"),
            RestartRefusal::MaxBurns { max_burns } => write!(f, "the stage has made all {max_burns} burns it is rated for"),
            RestartRefusal::CoastTooShort { coast_s, min_coast_s } => {
                write!(f, "the coast since the last cutoff is {coast_s:.1} s, shorter than the stage's minimum of {min_coast_s:.1} s")
            }
            RestartRefusal::NoPropellant { aboard_kg, needed_kg } => {
                write!(f, "{aboard_kg:.1} kg of propellant aboard does not cover the {needed_kg:.1} kg the restart and the coast consume")
            }
        }
    }
}

/// A configuration transition: what an event detector asks of the [`Sequencer`].
///
/// The set is the vocabulary of what can happen to the vehicle's configuration; the rules of
/// what each one entails (a burnout separates the stage that carries others, a separation
/// ignites the next sequential stage, ends throttle segments and drops `[[jettison]]` items)
/// live in the sequencer alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The stage burning in slot `slot` has used its usable propellant.
    Burnout {
        /// Burn slot (see [`Configuration::slots`]).
        slot: usize,
    },
    /// Engine cutoff commanded by guidance: every burning liquid stage shuts down, keeping its
    /// propellant aboard; stages waiting to ignite never will. A solid motor cannot be shut down:
    /// it burns on to the end of its curve (and separates by its rule), nothing ignites after it.
    Cutoff,
    /// A stage ignites now for its first burn.
    Ignite {
        /// Stage index.
        stage: usize,
    },
    /// A restartable stage that was cut off ignites again: refused (with a
    /// [`RestartRefusal`]) at its `max_burns`, before its `min_coast_s`, or without the
    /// propellant to restart; the restart propellant and the coast's consumables are deducted
    /// here.
    Restart {
        /// Stage index.
        stage: usize,
    },
    /// The empty drop tank of the stage burning in slot `slot` is jettisoned.
    DropTank {
        /// Burn slot.
        slot: usize,
    },
    /// The payload fairing goes.
    JettisonFairing,
    /// A `[[jettison]]` item is dropped.
    Jettison {
        /// Index in the vehicle's `jettison` list.
        item: usize,
    },
    /// Every transition scheduled at a known time that is due now (throttle segment ends,
    /// delayed ignitions, timed drops, a fairing jettison time, the end of a solid motor's
    /// curve, a solid stage's separation after its delay or at its thrust level).
    Scheduled,
}

/// Receives what the [`Sequencer`] does, in order. Each call sees the configuration and the
/// burn slots' propellant as they are at that moment.
pub trait SequenceObserver {
    /// An event happened.
    fn event(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], kind: EventKind);

    /// A body leaves; called before the configuration loses it.
    fn release(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], body: Release) {
        let _ = (config, propellant_kg, body);
    }

    /// A staging point where steering may change phase (liftoff, an ignition, a separation),
    /// called once the transitions that belong to it are applied.
    fn staging(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], kind: &EventKind) {
        let _ = (config, propellant_kg, kind);
    }
}

/// The owner of the vehicle's configuration and of every transition of it.
///
/// The propellant of the burning stages is not kept here: in flight it is part of the
/// integrated state. Each transition takes the burn slots' propellant (`propellant_kg[k]` for
/// slot `k`) and updates it (filled at ignition, emptied at burnout and cutoff).
#[derive(Debug, Clone)]
pub struct Sequencer<'v> {
    vehicle: &'v Vehicle,
    payload_kg: f64,
    config: Configuration,
    /// Ignitions due at a known time: (time, stage).
    pending_ignitions: Vec<(f64, usize)>,
    /// `[[jettison]]` items due at a known time: (time, item).
    pending_jettison: Vec<(f64, usize)>,
    /// Solid stages due to separate at a known time (after their delay past burnout, or when
    /// their thrust falls below their level): (time, stage).
    pending_separations: Vec<(f64, usize)>,
    /// Guidance has cut the engines off: nothing ignites any more.
    cut_off: bool,
    /// A planned burn may run its stage's propellant below zero (a targeting's search flights:
    /// the shortfall stays a smooth quantity instead of a burnout).
    pub(crate) allow_propellant_deficit: bool,
    /// How long a stage with burn-on engines burns its main engines before they are cut off,
    /// s from its ignition (the guidance's [`crate::flight::Guidance::main_engine_burn_s`]);
    /// `None`: they burn to the stage's cutoff or burnout.
    pub(crate) main_engine_burn_s: Option<f64>,
    /// The coast before the stage whose coast the ascent chooses, s (the guidance's
    /// [`crate::flight::Guidance::coast_s`], held to the stage's range by
    /// [`Vehicle::coast_before_s`]); `None`: the file's `ignition_delay_s`.
    pub(crate) coast_s: Option<f64>,
}

impl<'v> Sequencer<'v> {
    /// The vehicle on the pad with its payload: everything attached, nothing burning; the
    /// items dropped at a time are scheduled.
    pub fn new(vehicle: &'v Vehicle, payload_kg: f64) -> Self {
        let pending_jettison = vehicle
            .jettison
            .iter()
            .enumerate()
            .filter_map(|(j, item)| match item.trigger {
                JettisonTrigger::Time(t) => Some((t, j)),
                JettisonTrigger::AfterSeparation { .. } => None,
            })
            .collect();
        Sequencer {
            vehicle,
            payload_kg,
            config: Configuration::on_pad(vehicle, payload_kg),
            pending_ignitions: Vec::new(),
            pending_jettison,
            pending_separations: Vec::new(),
            cut_off: false,
            allow_propellant_deficit: false,
            main_engine_burn_s: None,
            coast_s: None,
        }
    }

    /// The vehicle.
    pub fn vehicle(&self) -> &'v Vehicle {
        self.vehicle
    }

    /// The current configuration.
    pub fn config(&self) -> &Configuration {
        &self.config
    }

    /// Whether an ignition is still scheduled.
    pub fn ignition_pending(&self) -> bool {
        !self.pending_ignitions.is_empty()
    }

    /// Nothing burns and nothing is left to ignite: powered flight is over. A spent solid stage
    /// waiting to separate keeps it going unless the engines were cut off (its separation may
    /// ignite the next stage).
    pub fn is_exhausted(&self) -> bool {
        !self.config.is_burning() && self.pending_ignitions.is_empty() && (self.cut_off || self.pending_separations.is_empty())
    }

    /// Liftoff at `t`: the liftoff stages without delay ignite, the delayed ones are scheduled.
    ///
    /// The liftoff event is the release. A stage lit on the pad ([`pad_lit_stages`]) burns its
    /// start-up propellant before it: its ignition event comes first, with the vehicle as
    /// fuelled and its engines burning, and the liftoff event follows with the mass at release
    /// (that propellant gone, [`Vehicle::liftoff_mass_kg`]) and the thrust of the engines lit on
    /// the pad. The other liftoff stages light at release, after it. The flight itself does
    /// not change: the stages are lit in the same order, into the same burn slots.
    pub fn liftoff(&mut self, t: f64, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let pad = pad_lit_stages(self.vehicle);
        if pad == 0 {
            obs.event(&self.config, propellant_kg, EventKind::Liftoff);
        } else {
            // The pad burn, reported on a copy: the vehicle as fuelled, the engines lit on the pad
            // burning; then the release, their start-up propellant gone.
            let mut lit = self.config;
            let mut lit_propellant_kg = *propellant_kg;
            let mut lit_slots = [None; MAX_BURNING];
            for i in liftoff_stages(self.vehicle).filter(|&i| pad & (1 << i) != 0) {
                let stage = &self.vehicle.stages[i];
                if let Some(k) = lit.ignite(self.vehicle, i, t) {
                    lit.refresh(self.vehicle, self.payload_kg);
                    lit_propellant_kg[k] = stage.total_propellant_kg() + stage.startup_mass_kg();
                    lit_slots[k] = Some(i);
                    obs.event(&lit, &lit_propellant_kg, EventKind::Ignition { stage: i });
                }
            }
            for (k, i) in lit_slots.iter().enumerate() {
                if let Some(i) = i {
                    lit_propellant_kg[k] = self.vehicle.stages[*i].total_propellant_kg();
                }
            }
            obs.event(&lit, &lit_propellant_kg, EventKind::Liftoff);
        }
        obs.staging(&self.config, propellant_kg, &EventKind::Liftoff);
        self.config.pad_burned = pad;
        self.refresh();
        for i in liftoff_stages(self.vehicle) {
            self.ignite_or_schedule(t, i, propellant_kg, obs)?;
        }
        Ok(())
    }

    /// Apply a transition at time `t`.
    pub fn apply(
        &mut self,
        transition: Transition,
        t: f64,
        propellant_kg: &mut [f64; MAX_BURNING],
        obs: &mut impl SequenceObserver,
    ) -> Result<()> {
        self.check(transition)?;
        match transition {
            Transition::Burnout { slot } => self.burnout(t, slot, propellant_kg, obs),
            Transition::Cutoff => {
                self.cutoff(t, propellant_kg, obs);
                Ok(())
            }
            Transition::Ignite { stage } => {
                // An ignition a detector asks for (a planned burn after a guidance cutoff) first
                // separates the spent stage below, which the cutoff left attached.
                if stage > 0 && self.config.is_attached(stage - 1) && self.config.slot_of(stage - 1).is_none() {
                    self.separate(t, stage - 1, propellant_kg, obs)?;
                }
                self.ignite(t, stage, propellant_kg, obs)
            }
            Transition::Restart { stage } => self.restart(t, stage, propellant_kg, obs),
            Transition::DropTank { slot } => {
                if let Some(stage) = self.config.slots[slot].map(|s| s.stage) {
                    self.drop_tank(stage, propellant_kg, obs);
                }
                Ok(())
            }
            Transition::JettisonFairing => {
                self.jettison_fairing(propellant_kg, obs);
                Ok(())
            }
            Transition::Jettison { item } => {
                self.drop_item(item, propellant_kg, obs);
                Ok(())
            }
            Transition::Scheduled => self.apply_due(t, propellant_kg, obs),
        }
    }

    /// Refuse a transition a detector cannot ask for: out of range, or the ignition of a stage
    /// that is gone, burning, or burned already (restarts are not modelled).
    fn check(&self, transition: Transition) -> Result<()> {
        let vehicle = self.vehicle;
        let refuse = |msg: String| Err(Error::invalid("event", msg));
        match transition {
            Transition::Burnout { slot } | Transition::DropTank { slot } if slot >= MAX_BURNING => {
                refuse(format!("burn slot {slot} does not exist (at most {MAX_BURNING})"))
            }
            Transition::Jettison { item } if item >= vehicle.jettison.len() => {
                refuse(format!("[[jettison]] item {item} does not exist ({} items)", vehicle.jettison.len()))
            }
            Transition::Ignite { stage } => match vehicle.stages.get(stage) {
                None => refuse(format!("stage {stage} does not exist ({} stages)", vehicle.stages.len())),
                Some(s) if !self.config.is_attached(stage) => refuse(format!("stage `{}` has separated and cannot ignite", s.name)),
                Some(s) if self.config.is_ignited(stage) => refuse(format!("stage `{}` has been ignited already", s.name)),
                Some(_) => Ok(()),
            },
            Transition::Restart { stage } => match vehicle.stages.get(stage) {
                None => refuse(format!("stage {stage} does not exist ({} stages)", vehicle.stages.len())),
                Some(_) => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Whether stage `stage` may restart at `t`, and the propellant it then burns with (the
    /// propellant left at its cutoff less the restart and the coast's consumables), kg.
    pub fn restart_propellant(&self, t: f64, stage: usize) -> std::result::Result<f64, RestartRefusal> {
        let s = &self.vehicle.stages[stage];
        let Some(r) = s.restart else { return Err(RestartRefusal::NotRestartable) };
        let c = &self.config;
        if !c.is_attached(stage) {
            return Err(RestartRefusal::Separated);
        }
        if !c.is_ignited(stage) {
            return Err(RestartRefusal::NotIgnited);
        }
        if c.slot_of(stage).is_some() {
            return Err(RestartRefusal::Burning);
        }
        if c.burns[stage] >= r.max_burns {
            return Err(RestartRefusal::MaxBurns { max_burns: r.max_burns });
        }
        let coast_s = t - c.last_cutoff_s[stage];
        if coast_s < r.min_coast_s {
            return Err(RestartRefusal::CoastTooShort { coast_s, min_coast_s: r.min_coast_s });
        }
        let units = f64::from(s.units);
        let needed_kg = units * (r.restart_propellant_kg + r.coast_propellant_kg_per_h * coast_s.max(0.0) / 3600.0);
        let aboard_kg = c.shutdown_propellant_kg[stage];
        if aboard_kg - needed_kg <= 0.0 && !self.allow_propellant_deficit {
            return Err(RestartRefusal::NoPropellant { aboard_kg, needed_kg });
        }
        Ok(aboard_kg - needed_kg)
    }

    /// Time of the next scheduled transition (∞ when none): the end of a burning stage's
    /// throttle segment, a delayed ignition, a timed drop or fairing jettison. It may lie in
    /// the past when it was due at an ignition; the flight then applies it at once.
    pub fn next_scheduled_s(&self) -> f64 {
        let vehicle = self.vehicle;
        let mut t_next = f64::INFINITY;
        for slot in self.config.slots.iter().flatten() {
            if let Some(t) = segment_end_time(vehicle, &self.config, slot.stage) {
                t_next = t_next.min(t);
            }
            if let Some(t) = solid_burnout_s(vehicle, slot) {
                t_next = t_next.min(t);
            }
            if let Some(t) = self.main_engine_cutoff_s(slot) {
                t_next = t_next.min(t);
            }
        }
        for &(t, _) in self.pending_ignitions.iter().chain(&self.pending_jettison).chain(&self.pending_separations) {
            t_next = t_next.min(t);
        }
        if let (true, Some(FairingJettison::Time(t))) = (self.config.fairing_attached, vehicle.fairing.map(|f| f.jettison)) {
            t_next = t_next.min(t);
        }
        t_next
    }

    /// Apply every scheduled transition due at `t`.
    fn apply_due(&mut self, t: f64, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let due = |x: f64| x <= t + DUE_TOLERANCE_S;
        let vehicle = self.vehicle;
        for i in 0..vehicle.stages.len() {
            // A stage may pass several zero-length segments at once; bounded by the schedule length.
            for _ in 0..=vehicle.stages[i].throttle.len() {
                let burning = self.config.slot_of(i).is_some();
                match segment_end_time(vehicle, &self.config, i) {
                    Some(end) if burning && due(end) => self.next_throttle_segment(i, propellant_kg, obs),
                    _ => break,
                }
            }
        }
        for k in 0..MAX_BURNING {
            let cutoff = self.config.slots[k].and_then(|slot| self.main_engine_cutoff_s(&slot));
            if let (Some(slot), true) = (self.config.slots[k].as_mut(), cutoff.is_some_and(due)) {
                slot.main_cut = true;
                let stage = slot.stage;
                obs.event(&self.config, propellant_kg, EventKind::MainEngineCutoff { stage });
            }
        }
        // A solid stage separating at a thrust level goes before its curve's end.
        let mut k = 0;
        while k < self.pending_separations.len() {
            if due(self.pending_separations[k].0) {
                let (_, stage) = self.pending_separations.swap_remove(k);
                self.separate_solid(t, stage, propellant_kg, obs)?;
                k = 0;
            } else {
                k += 1;
            }
        }
        for k in 0..MAX_BURNING {
            let end = self.config.slots[k].and_then(|slot| solid_burnout_s(vehicle, &slot));
            if end.is_some_and(due) {
                self.burnout(t, k, propellant_kg, obs)?;
            }
        }
        let mut k = 0;
        while k < self.pending_ignitions.len() {
            if due(self.pending_ignitions[k].0) {
                let (_, stage) = self.pending_ignitions.swap_remove(k);
                self.ignite(t, stage, propellant_kg, obs)?;
            } else {
                k += 1;
            }
        }
        let mut k = 0;
        while k < self.pending_jettison.len() {
            if due(self.pending_jettison[k].0) {
                let (_, item) = self.pending_jettison.swap_remove(k);
                self.drop_item(item, propellant_kg, obs);
            } else {
                k += 1;
            }
        }
        if let (true, Some(FairingJettison::Time(tj))) = (self.config.fairing_attached, vehicle.fairing.map(|f| f.jettison)) {
            if due(tj) {
                self.jettison_fairing(propellant_kg, obs);
            }
        }
        Ok(())
    }

    /// When the main engines of the stage burning in `slot` are cut off, s after liftoff: for a
    /// stage with burn-on engines whose main engines still run, when the guidance sets a time.
    fn main_engine_cutoff_s(&self, slot: &BurnSlot) -> Option<f64> {
        let burn_s = self.main_engine_burn_s?;
        let has_tail = self.vehicle.stages[slot.stage].burn_on_engine.is_some();
        (has_tail && !slot.main_cut).then_some(slot.ignition_s + burn_s)
    }

    fn refresh(&mut self) {
        self.config.refresh(self.vehicle, self.payload_kg);
    }

    fn ignite_or_schedule(
        &mut self,
        t: f64,
        stage: usize,
        propellant_kg: &mut [f64; MAX_BURNING],
        obs: &mut impl SequenceObserver,
    ) -> Result<()> {
        if self.cut_off {
            return Ok(());
        }
        let delay = self.vehicle.coast_before_s(stage, self.coast_s);
        if delay > 0.0 {
            self.pending_ignitions.push((t + delay, stage));
            Ok(())
        } else {
            self.ignite(t, stage, propellant_kg, obs)
        }
    }

    /// The stages of the liftoff group that wait for `event` ignite (or are scheduled).
    fn ignite_after(
        &mut self,
        t: f64,
        event: StageEvent,
        propellant_kg: &mut [f64; MAX_BURNING],
        obs: &mut impl SequenceObserver,
    ) -> Result<()> {
        for i in 0..self.vehicle.stages.len() {
            if self.vehicle.stages[i].ignition_after == Some(event) && self.config.is_attached(i) && !self.config.is_ignited(i) {
                self.ignite_or_schedule(t, i, propellant_kg, obs)?;
            }
        }
        Ok(())
    }

    fn ignite(&mut self, t: f64, stage: usize, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let vehicle = self.vehicle;
        if let Separation::BelowThrust { since_ignition_s, .. } = vehicle.stages[stage].separation {
            if vehicle.stages[stage].is_solid() {
                self.pending_separations.push((t + since_ignition_s, stage));
            }
        }
        let Some(k) = self.config.ignite(vehicle, stage, t) else {
            return Err(Error::invalid(
                "vehicle",
                format!("more than {MAX_BURNING} stages would burn at once when `{}` ignites", vehicle.stages[stage].name),
            ));
        };
        propellant_kg[k] = vehicle.stages[stage].total_propellant_kg();
        self.refresh();
        let kind = EventKind::Ignition { stage };
        // A stage lit on the pad was reported before the liftoff.
        if self.config.pad_burned & (1 << stage) == 0 {
            obs.event(&self.config, propellant_kg, kind.clone());
        }
        obs.staging(&self.config, propellant_kg, &kind);
        Ok(())
    }

    fn next_throttle_segment(&mut self, stage: usize, propellant_kg: &[f64; MAX_BURNING], obs: &mut impl SequenceObserver) {
        self.config.throttle_segment[stage] = self.config.throttle_segment[stage].saturating_add(1);
        let level = self.config.scheduled_throttle(self.vehicle, stage);
        if let Some(k) = self.config.slot_of(stage) {
            if let Some(slot) = self.config.slots[k].as_mut() {
                slot.throttle = level;
            }
        }
        obs.event(&self.config, propellant_kg, EventKind::Throttle { stage, level });
    }

    /// Burnout of the stage in slot `k`, then its separation unless it carries the payload.
    fn burnout(&mut self, t: f64, k: usize, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let Some(slot) = self.config.slots[k] else { return Ok(()) };
        let stage = slot.stage;
        // Reported while the stage still burns: the event's thrust and acceleration are the
        // last of the burn.
        obs.event(&self.config, propellant_kg, EventKind::Burnout { stage });
        self.config.slots[k] = None;
        propellant_kg[k] = 0.0;
        let carries_others = (stage + 1..self.vehicle.stages.len()).any(|j| self.config.is_attached(j));
        let separation_pending = self.pending_separations.iter().any(|&(_, s)| s == stage);
        let delay_s = match self.vehicle.stages[stage].separation {
            Separation::AfterBurnout { delay_s } if self.vehicle.stages[stage].is_solid() => delay_s,
            _ => 0.0,
        };
        if carries_others && delay_s > 0.0 && !separation_pending {
            self.pending_separations.push((t + delay_s, stage));
            self.refresh();
        } else if carries_others && !separation_pending {
            self.separate(t, stage, propellant_kg, obs)?;
        } else {
            self.refresh();
        }
        self.ignite_after(t, StageEvent::Burnout(stage), propellant_kg, obs)
    }

    /// A solid stage separates by its rule (after its delay past burnout, or at its thrust
    /// level): when it still burns, its motor's thrust ends here and the unburned propellant
    /// leaves with it (reported as its burnout, then its separation).
    fn separate_solid(
        &mut self,
        t: f64,
        stage: usize,
        propellant_kg: &mut [f64; MAX_BURNING],
        obs: &mut impl SequenceObserver,
    ) -> Result<()> {
        if !self.config.is_attached(stage) {
            return Ok(());
        }
        if let Some(k) = self.config.slot_of(stage) {
            obs.event(&self.config, propellant_kg, EventKind::Burnout { stage });
            self.config.slots[k] = None;
            propellant_kg[k] = 0.0;
            self.ignite_after(t, StageEvent::Burnout(stage), propellant_kg, obs)?;
        }
        let carries_others = (stage + 1..self.vehicle.stages.len()).any(|j| self.config.is_attached(j));
        if carries_others {
            self.separate(t, stage, propellant_kg, obs)
        } else {
            self.refresh();
            Ok(())
        }
    }

    fn separate(&mut self, t: f64, stage: usize, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let vehicle = self.vehicle;
        obs.release(&self.config, propellant_kg, Release::Stage(stage));
        self.config.attached &= !(1u32 << stage);
        self.refresh();
        let kind = EventKind::Separation { stage };
        obs.event(&self.config, propellant_kg, kind.clone());
        for (j, item) in vehicle.jettison.iter().enumerate() {
            if let JettisonTrigger::AfterSeparation { stage: after, delay_s } = item.trigger {
                if after == stage && delay_s > 0.0 {
                    self.pending_jettison.push((t + delay_s, j));
                } else if after == stage {
                    self.drop_item(j, propellant_kg, obs);
                }
            }
        }
        for i in 0..vehicle.stages.len() {
            if self.config.is_attached(i) && segment_ends_at_separation(vehicle, &self.config, i, stage) {
                self.next_throttle_segment(i, propellant_kg, obs);
            }
        }
        obs.staging(&self.config, propellant_kg, &kind);
        if let Some(next) = successor(vehicle, stage) {
            self.ignite_or_schedule(t, next, propellant_kg, obs)?;
        }
        self.ignite_after(t, StageEvent::Separation(stage), propellant_kg, obs)
    }

    fn cutoff(&mut self, t: f64, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) {
        let mut stages = [None; MAX_BURNING];
        self.cut_off = true;
        for (k, stage) in stages.iter_mut().enumerate() {
            // A solid motor cannot be shut down: it burns on to the end of its curve.
            if let Some(slot) = self.config.slots[k].filter(|s| !self.vehicle.stages[s.stage].is_solid()) {
                let left_kg = if self.allow_propellant_deficit { propellant_kg[k] } else { propellant_kg[k].max(0.0) };
                self.config.shutdown_propellant_kg[slot.stage] += left_kg;
                self.config.last_cutoff_s[slot.stage] = t;
                propellant_kg[k] = 0.0;
                self.config.slots[k] = None;
                *stage = Some(slot.stage);
            }
        }
        self.pending_ignitions.clear();
        // The events after the refresh, so that their mass keeps the propellant left aboard.
        self.refresh();
        for stage in stages.into_iter().flatten() {
            obs.event(&self.config, propellant_kg, EventKind::Cutoff { stage });
        }
        // A steering law that plans further burns learns of the cutoff here (the ascent's
        // ignores it).
        for stage in stages.into_iter().flatten() {
            obs.staging(&self.config, propellant_kg, &EventKind::Cutoff { stage });
        }
    }

    /// Restart of a stage that was cut off (see [`Transition::Restart`]).
    fn restart(&mut self, t: f64, stage: usize, propellant_kg: &mut [f64; MAX_BURNING], obs: &mut impl SequenceObserver) -> Result<()> {
        let vehicle = self.vehicle;
        let burn_kg = self.restart_propellant(t, stage).map_err(|reason| Error::RestartRefused {
            stage: vehicle.stages[stage].name.clone(),
            time_s: t,
            reason,
        })?;
        let Some(k) = self.config.ignite(vehicle, stage, t) else {
            return Err(Error::invalid(
                "vehicle",
                format!("more than {MAX_BURNING} stages would burn at once when `{}` restarts", vehicle.stages[stage].name),
            ));
        };
        self.config.shutdown_propellant_kg[stage] = 0.0;
        propellant_kg[k] = burn_kg;
        self.refresh();
        let kind = EventKind::Restart { stage, burn: self.config.burns[stage] };
        obs.event(&self.config, propellant_kg, kind.clone());
        // The consumables may have emptied the drop tank during the coast.
        if drop_tank_empty_level_kg(vehicle, stage).is_some_and(|level| burn_kg <= level) {
            self.drop_tank(stage, propellant_kg, obs);
        }
        obs.staging(&self.config, propellant_kg, &kind);
        Ok(())
    }

    /// Jettison the empty drop tank of stage `stage`: its dry mass leaves.
    fn drop_tank(&mut self, stage: usize, propellant_kg: &[f64; MAX_BURNING], obs: &mut impl SequenceObserver) {
        if self.vehicle.stages[stage].drop_tank.is_none() || self.config.tank_dropped(stage) || !self.config.is_attached(stage) {
            return;
        }
        obs.release(&self.config, propellant_kg, Release::DropTank(stage));
        self.config.tanks_dropped |= 1 << stage;
        self.refresh();
        obs.event(&self.config, propellant_kg, EventKind::TankDrop { stage });
    }

    fn jettison_fairing(&mut self, propellant_kg: &[f64; MAX_BURNING], obs: &mut impl SequenceObserver) {
        if self.vehicle.fairing.is_none() || !self.config.fairing_attached {
            return;
        }
        obs.release(&self.config, propellant_kg, Release::Fairing);
        self.config.fairing_attached = false;
        self.refresh();
        obs.event(&self.config, propellant_kg, EventKind::FairingJettison);
        // Out of the dense air: a dogleg may turn the plane from here.
        obs.staging(&self.config, propellant_kg, &EventKind::FairingJettison);
    }

    /// Drop `[[jettison]]` item `j`: its mass leaves the vehicle.
    fn drop_item(&mut self, j: usize, propellant_kg: &[f64; MAX_BURNING], obs: &mut impl SequenceObserver) {
        if self.config.dropped & (1 << j) != 0 {
            return;
        }
        self.config.dropped |= 1 << j;
        self.refresh();
        obs.event(&self.config, propellant_kg, EventKind::Jettison { item: j });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::resolve_vehicle;

    /// Collects what the sequencer reports.
    #[derive(Default)]
    struct Seen {
        events: Vec<EventKind>,
        released: Vec<Release>,
    }

    impl SequenceObserver for Seen {
        fn event(&mut self, _: &Configuration, _: &[f64; MAX_BURNING], kind: EventKind) {
            self.events.push(kind);
        }
        fn release(&mut self, config: &Configuration, _: &[f64; MAX_BURNING], body: Release) {
            // Released bodies are reported while still attached.
            if let Release::Stage(i) = body {
                assert!(config.is_attached(i));
            }
            self.released.push(body);
        }
    }

    /// Soyuz-2.1b's boosters burn out: they separate at once, the core keeps burning, the mass
    /// falls by their burnout mass; the core's burnout separates it, schedules the aft section
    /// 12.7 s later and lights Block I (or schedules it after its delay). Every step keeps the
    /// configuration consistent: a burning stage is attached and ignited.
    #[test]
    fn staging_follows_the_vehicle_and_keeps_the_configuration_consistent() {
        let v = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let mut seq = Sequencer::new(&v, 5_000.0);
        let mut propellant = [0.0; MAX_BURNING];
        let mut seen = Seen::default();
        seq.liftoff(0.0, &mut propellant, &mut seen).expect("liftoff");
        assert_eq!(seen.events[..3], [EventKind::Liftoff, EventKind::Ignition { stage: 0 }, EventKind::Ignition { stage: 1 }]);
        assert_eq!(propellant[0], v.stages[0].total_propellant_kg());
        let consistent = |seq: &Sequencer<'_>| {
            seq.config().slots.iter().flatten().all(|s| seq.config().is_attached(s.stage) && seq.config().is_ignited(s.stage))
        };
        assert!(consistent(&seq));

        let mass_before = seq.config().fixed_mass_kg;
        seen.events.clear();
        propellant[0] = 0.0;
        seq.apply(Transition::Burnout { slot: 0 }, 118.0, &mut propellant, &mut seen).expect("booster burnout");
        assert_eq!(seen.events[..2], [EventKind::Burnout { stage: 0 }, EventKind::Separation { stage: 0 }]);
        assert_eq!(seen.released, [Release::Stage(0)]);
        assert!(!seq.config().is_attached(0) && seq.config().slot_of(1).is_some() && consistent(&seq));
        assert!((mass_before - seq.config().fixed_mass_kg - v.stages[0].burnout_mass_kg()).abs() < 1e-9);

        seen.events.clear();
        let core_slot = seq.config().slot_of(1).expect("core burning");
        seq.apply(Transition::Burnout { slot: core_slot }, 286.0, &mut propellant, &mut seen).expect("core burnout");
        assert_eq!(seen.events[..2], [EventKind::Burnout { stage: 1 }, EventKind::Separation { stage: 1 }]);
        let delay = v.stages[2].ignition_delay_s;
        if delay > 0.0 {
            assert!(seq.ignition_pending() && seq.next_scheduled_s() <= 286.0 + delay);
        } else {
            assert!(seen.events.contains(&EventKind::Ignition { stage: 2 }));
        }
        assert!(consistent(&seq));
        // The aft section is due 12.7 s after the core leaves (or earlier, with Block I's ignition).
        assert!(seq.next_scheduled_s() <= 286.0 + 12.7 + 1e-9);
        assert!(!seq.is_exhausted());
    }

    /// A guidance cutoff while solid boosters burn: the liquid core shuts down, the motors burn
    /// on to the end of their curve (a scheduled burnout) and separate, and nothing ignites
    /// after that — the upper stage stays dark and powered flight is over.
    #[test]
    fn a_cutoff_leaves_solid_motors_burning_to_their_end_and_ignites_nothing_more() {
        let text = r#"
format = 1
name = "Cutoff test"
[[motor]]
id = "B"
propellant = "HTPB"
isp_vac_s = 270.0
exit_area_m2 = 1.0
thrust_curve_vac_kn = [[0.0, 0.0], [0.5, 1000.0], [75.0, 1000.0], [80.0, 0.0]]
[[engine]]
id = "C"
propellant = "LOX/kerosene"
thrust_vac_kn = 1500.0
isp_vac_s = 320.0
[[stage]]
name = "boosters"
units = 2
motor = "B"
dry_mass_kg = 3000.0
propellant_mass_kg = 29500.0
residual_mass_kg = 0.0
diameter_m = 1.5
[[stage]]
name = "core"
engine = "C"
dry_mass_kg = 8000.0
propellant_mass_kg = 150000.0
diameter_m = 3.0
ignition = "liftoff"
[[stage]]
name = "upper"
engine = "C"
dry_mass_kg = 2000.0
propellant_mass_kg = 20000.0
diameter_m = 3.0
"#;
        let v = Vehicle::from_toml(text, "cutoff.toml").expect("valid").0;
        let mut seq = Sequencer::new(&v, 1000.0);
        let mut propellant = [0.0; MAX_BURNING];
        let mut seen = Seen::default();
        seq.liftoff(0.0, &mut propellant, &mut seen).expect("liftoff");
        // The boosters' burnout is the end of their curve, scheduled.
        assert_eq!(seq.next_scheduled_s(), 80.0);
        seen.events.clear();
        seq.apply(Transition::Cutoff, 30.0, &mut propellant, &mut seen).expect("cutoff");
        assert_eq!(seen.events, [EventKind::Cutoff { stage: 1 }]);
        assert!(seq.config().slot_of(0).is_some() && seq.config().slot_of(1).is_none() && !seq.is_exhausted());
        seen.events.clear();
        seq.apply(Transition::Scheduled, 80.0, &mut propellant, &mut seen).expect("booster burnout");
        assert_eq!(seen.events, [EventKind::Burnout { stage: 0 }, EventKind::Separation { stage: 0 }]);
        assert!(!seq.config().is_ignited(2) && seq.is_exhausted());
    }

    /// A detector cannot ask for an impossible transition: the sequencer refuses it with the
    /// reason, and the configuration is unchanged.
    #[test]
    fn impossible_transitions_are_refused() {
        let v = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let mut seq = Sequencer::new(&v, 5_000.0);
        let mut propellant = [0.0; MAX_BURNING];
        let mut seen = Seen::default();
        seq.liftoff(0.0, &mut propellant, &mut seen).expect("liftoff");
        let before = *seq.config();
        for (transition, reason) in [
            (Transition::Ignite { stage: 0 }, "ignited already"),
            (Transition::Ignite { stage: 9 }, "does not exist"),
            (Transition::Burnout { slot: 7 }, "does not exist"),
            (Transition::Jettison { item: 5 }, "does not exist"),
        ] {
            let e = seq.apply(transition, 10.0, &mut propellant, &mut seen).expect_err("refused").to_string();
            assert!(e.contains(reason), "{transition:?}: {e}");
        }
        assert_eq!(*seq.config(), before);
    }

    /// A restartable stage restarts within its limits: the burn count, the shortest coast and
    /// the propellant; each refusal says why, and a restart deducts the restart propellant and
    /// the coast's consumables from what the cutoff left.
    #[test]
    fn restarts_keep_the_stage_limits() {
        let v = crate::optimize::transfer::fixtures::angara_a5_briz_m();
        let briz = v.stages.len() - 1;
        let restart = v.stages[briz].restart.expect("restartable");
        let mut seq = Sequencer::new(&v, 3000.0);
        let mut propellant = [0.0; MAX_BURNING];
        let mut seen = Seen::default();
        seq.liftoff(0.0, &mut propellant, &mut seen).expect("liftoff");
        // Up to the Briz-M: boosters, core and URM-2 burn out.
        for stage in 0..briz {
            let slot = seq.config().slot_of(stage).expect("burning");
            propellant[slot] = 0.0;
            seq.apply(Transition::Burnout { slot }, 100.0 * (stage + 1) as f64, &mut propellant, &mut seen).expect("burnout");
        }
        let slot = seq.config().slot_of(briz).expect("Briz-M burning");
        assert_eq!(seq.config().burns[briz], 1);
        propellant[slot] = 15_000.0;
        seq.apply(Transition::Cutoff, 1000.0, &mut propellant, &mut seen).expect("cutoff");
        let refused = |seq: &mut Sequencer<'_>, t: f64| match seq.apply(
            Transition::Restart { stage: briz },
            t,
            &mut [0.0; MAX_BURNING],
            &mut Seen::default(),
        ) {
            Err(Error::RestartRefused { reason, .. }) => Some(reason),
            Err(e) => panic!("{e}"),
            Ok(()) => None,
        };
        let mut early = seq.clone();
        assert!(matches!(refused(&mut early, 1000.0 + 0.5 * restart.min_coast_s), Some(RestartRefusal::CoastTooShort { .. })));
        assert_eq!(seq.restart_propellant(1000.0, 0), Err(RestartRefusal::NotRestartable));
        // One hour of coast, then the restart: what the cutoff left less the consumables.
        let t = 1000.0 + 3600.0;
        propellant = [0.0; MAX_BURNING];
        seq.apply(Transition::Restart { stage: briz }, t, &mut propellant, &mut seen).expect("restart");
        let k = seq.config().slot_of(briz).expect("burning again");
        let expected = 15_000.0 - restart.restart_propellant_kg - restart.coast_propellant_kg_per_h;
        assert!((propellant[k] - expected).abs() < 1e-9, "{} vs {expected}", propellant[k]);
        assert_eq!(seq.config().burns[briz], 2);
        assert!(seen.events.contains(&EventKind::Restart { stage: briz, burn: 2 }));
        assert!(matches!(refused(&mut seq.clone(), t + 1e4), Some(RestartRefusal::Burning)));
        // Burn by burn up to the rating, then refused.
        let mut time = t;
        for _ in 2..restart.max_burns {
            time += 1000.0;
            seq.apply(Transition::Cutoff, time, &mut propellant, &mut seen).expect("cutoff");
            time += 1000.0;
            seq.apply(Transition::Restart { stage: briz }, time, &mut propellant, &mut seen).expect("restart");
        }
        assert_eq!(seq.config().burns[briz], restart.max_burns);
        seq.apply(Transition::Cutoff, time + 1000.0, &mut propellant, &mut seen).expect("cutoff");
        let e = seq.apply(Transition::Restart { stage: briz }, time + 5000.0, &mut propellant, &mut seen).expect_err("refused").to_string();
        assert!(e.contains("all 8 burns"), "{e}");
    }

    /// The drop tank leaves with its dry mass, once.
    #[test]
    fn a_tank_drop_takes_its_dry_mass() {
        let v = crate::optimize::transfer::fixtures::angara_a5_briz_m();
        let briz = v.stages.len() - 1;
        let mut seq = Sequencer::new(&v, 3000.0);
        let mut propellant = [0.0; MAX_BURNING];
        let mut seen = Seen::default();
        seq.liftoff(0.0, &mut propellant, &mut seen).expect("liftoff");
        for stage in 0..briz {
            let slot = seq.config().slot_of(stage).expect("burning");
            seq.apply(Transition::Burnout { slot }, 100.0 * (stage + 1) as f64, &mut propellant, &mut seen).expect("burnout");
        }
        let slot = seq.config().slot_of(briz).expect("Briz-M burning");
        let before = seq.config().fixed_mass_kg;
        seq.apply(Transition::DropTank { slot }, 900.0, &mut propellant, &mut seen).expect("drop");
        let tank = v.stages[briz].drop_tank.as_ref().expect("tank");
        assert!((before - seq.config().fixed_mass_kg - tank.dry_mass_kg).abs() < 1e-9);
        assert!(seen.released.contains(&Release::DropTank(briz)) && seen.events.contains(&EventKind::TankDrop { stage: briz }));
        let after = seq.config().fixed_mass_kg;
        seq.apply(Transition::DropTank { slot }, 901.0, &mut propellant, &mut seen).expect("again: nothing");
        assert_eq!(seq.config().fixed_mass_kg, after);
    }
}
