//! The discrete side of a flight: which stages are attached, which burn at which throttle, and
//! whether the fairing is still on. It changes only at events; between events it is constant,
//! which is what lets the integrator take long smooth steps.

use crate::vehicle::{Ignition, ThrottleUntil, Vehicle};

/// Most stages burning at once (boosters, core and one more); the vehicle file enforces it.
pub const MAX_BURNING: usize = 3;
/// Most stages a vehicle may have in the simulator.
pub const MAX_STAGES: usize = 16;
/// First state component of the Δv budget integrals (see [`super::losses`]).
pub const LOSS_OFFSET: usize = 6 + MAX_BURNING;
/// Dimension of the integrated state: position (3), velocity (3), usable propellant per burn
/// slot, and the Δv budget integrals.
pub const STATE_DIM: usize = LOSS_OFFSET + super::losses::LOSS_TERMS;
/// Most `[[jettison]]` items the simulator tracks (bits of [`Configuration::dropped`]).
pub const MAX_JETTISON_ITEMS: usize = 32;

/// One stage burning: which stage and at what throttle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnSlot {
    /// Stage index in the vehicle.
    pub stage: usize,
    /// Throttle level, fraction of full thrust.
    pub throttle: f64,
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
            // A stage not yet ignited carries its whole load; once ignited, its start-up
            // propellant is gone and the burning slot holds the rest.
            mass += if self.is_ignited(i) { s.burnout_mass_kg() } else { s.gross_mass_kg() };
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

    /// Ignite stage `i` into a free slot; returns the slot, or `None` when all slots are busy.
    pub fn ignite(&mut self, vehicle: &Vehicle, i: usize) -> Option<usize> {
        let k = self.slots.iter().position(Option::is_none)?;
        let throttle = self.scheduled_throttle(vehicle, i);
        self.slots[k] = Some(BurnSlot { stage: i, throttle });
        self.ignited |= 1 << i;
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

/// Stages that ignite at liftoff without delay.
pub fn liftoff_stages(vehicle: &Vehicle) -> impl Iterator<Item = usize> + '_ {
    vehicle.stages.iter().enumerate().filter(|(_, s)| s.ignition == Ignition::Liftoff).map(|(i, _)| i)
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
