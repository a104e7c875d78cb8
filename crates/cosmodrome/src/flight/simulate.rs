//! The flight loop: integrate between events, locate every event on the dense output, apply
//! the staging logic, restart.
//!
//! Time-known events (throttle changes, delayed ignitions, guidance phase changes, a fairing
//! jettison time) clip the integration step so a step ends exactly on them. State events are
//! sign changes of g-functions located by root finding on the step's dense output
//! (Orekit/nyx style): burnout (`g` = usable propellant left), fairing jettison (altitude or
//! free-molecular heat flux), guidance cutoff and phase switches, max-Q (`g` = dq/dt), apogee (`g` = r·v), impact (`g` = altitude).
//! Each separation forks a [`JettisonedBody`] carrying the state at separation.

use nalgebra::Vector3;

use super::eom::Dynamics;
use super::integrator::{locate_root, DenseSegment, DormandPrince, IntegratorOptions};
use super::losses::LossBudget;
use super::sequence::{self, Configuration, MAX_BURNING, MAX_STAGES, STATE_DIM};
use super::trajectory::{EventKind, FlightEvent, FlightOutcome, FlightPoint, FlightResult, JettisonedBody, Sample};
use super::Guidance;
use crate::environment::earth::{geodetic_to_ecef, Geodetic, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S};
use crate::environment::elements::OrbitalElements;
use crate::environment::gravity::GravityModel;
use crate::error::{Error, Result};
use crate::vehicle::{FairingJettison, Ignition, JettisonTrigger, Site, Vehicle};

/// Events are located to this time tolerance, s (the contract asks for ≤ 1 ms).
const EVENT_TOLERANCE_S: f64 = 1e-9;

/// Integration steps a flight may take: an ascent to orbit or impact takes 40–120, a schedule of
/// a thousand throttle segments a few thousand, so this ends a runaway flight within about a
/// second instead of the ten a million steps took.
pub const MAX_FLIGHT_STEPS: usize = 100_000;

/// Finest trajectory sampling, s: 100 samples a second is finer than any plot or table needs,
/// and the events are recorded at their exact times anyway.
pub const MIN_SAMPLE_INTERVAL_S: f64 = 0.01;

/// Most trajectory samples one flight may hold (about 150 MB): the time limit over the sample
/// interval must stay below it, so memory is bounded before the flight starts.
pub const MAX_SAMPLES: f64 = 1.0e6;

/// Where and in which direction the vehicle leaves the pad.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Launch {
    /// Geodetic latitude of the pad, degrees.
    pub latitude_deg: f64,
    /// Longitude of the pad, degrees east.
    pub longitude_deg: f64,
    /// Pad altitude above the ellipsoid, m.
    pub altitude_m: f64,
    /// Launch azimuth over the ground, degrees clockwise from north.
    pub azimuth_deg: f64,
}

impl Launch {
    /// From a launch pad toward an azimuth, degrees.
    pub fn from_site(site: &Site, azimuth_deg: f64) -> Launch {
        Launch { latitude_deg: site.latitude_deg, longitude_deg: site.longitude_deg, altitude_m: site.altitude_m, azimuth_deg }
    }
}

/// Numerical and termination settings of a flight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightOptions {
    /// Integrator tolerances and limits.
    pub integrator: IntegratorOptions,
    /// Gravity field.
    pub gravity: GravityModel,
    /// Whether the atmosphere acts (drag, ambient pressure on the nozzles); off for vacuum checks.
    pub atmosphere: bool,
    /// The flight stops at this time at the latest, s.
    pub max_time_s: f64,
    /// Trajectory sampling interval, s; `None` records no samples (fastest).
    pub sample_interval_s: Option<f64>,
    /// A flight whose last burnout leaves a perigee above this altitude (over the equatorial
    /// radius) is in orbit and ends there; otherwise it coasts on to apogee and impact, m.
    pub orbit_perigee_min_m: f64,
}

impl Default for FlightOptions {
    fn default() -> Self {
        FlightOptions {
            integrator: IntegratorOptions { rel_tol: 1e-7, abs_tol: 1e-4, max_steps: MAX_FLIGHT_STEPS, ..IntegratorOptions::default() },
            gravity: GravityModel::J2,
            atmosphere: true,
            max_time_s: 7200.0,
            sample_interval_s: None,
            orbit_perigee_min_m: 100e3,
        }
    }
}

/// An immutable description of one flight: vehicle, payload, pad and options.
#[derive(Debug, Clone, Copy)]
pub struct FlightSetup<'a> {
    /// The validated vehicle.
    pub vehicle: &'a Vehicle,
    /// Payload mass, kg.
    pub payload_kg: f64,
    /// Pad and azimuth.
    pub launch: Launch,
    /// Options.
    pub options: FlightOptions,
}

impl FlightSetup<'_> {
    /// Check the setup before flying: finite, non-negative payload; the vehicle can lift off.
    pub fn check(&self) -> Result<()> {
        if !self.payload_kg.is_finite() || self.payload_kg < 0.0 {
            return Err(Error::invalid("payload", format!("must be a finite mass ≥ 0 kg, got {} kg", self.payload_kg)));
        }
        let l = &self.launch;
        if !(l.latitude_deg.is_finite()
            && l.latitude_deg.abs() <= 90.0
            && l.longitude_deg.is_finite()
            && l.altitude_m.is_finite()
            && l.azimuth_deg.is_finite())
        {
            return Err(Error::invalid("launch", format!("latitude, longitude, altitude and azimuth must be finite, got {l:?}")));
        }
        if self.vehicle.stages.len() > MAX_STAGES {
            return Err(Error::invalid("vehicle", format!("{} stages; at most {MAX_STAGES} are supported", self.vehicle.stages.len())));
        }
        let t_w = self.vehicle.liftoff_thrust_to_weight(self.payload_kg);
        if !(t_w > 1.0) {
            return Err(Error::NoLiftoff { vehicle: self.vehicle.name.clone(), thrust_to_weight: t_w, payload_kg: self.payload_kg });
        }
        let o = &self.options;
        if !(o.max_time_s.is_finite() && o.max_time_s > 0.0) || o.sample_interval_s.is_some_and(|dt| !(dt.is_finite() && dt > 0.0)) {
            return Err(Error::invalid("flight options", "max time and sample interval must be finite and positive"));
        }
        if let Some(dt) = o.sample_interval_s {
            if dt < MIN_SAMPLE_INTERVAL_S {
                return Err(Error::invalid("sample interval", format!("must be at least {MIN_SAMPLE_INTERVAL_S} s, got {dt} s")));
            }
            if o.max_time_s / dt > MAX_SAMPLES {
                return Err(Error::invalid(
                    "sample interval",
                    format!(
                        "{dt} s over the {} s time limit would record up to {:.0} samples; at most {MAX_SAMPLES:.0} are allowed",
                        o.max_time_s,
                        (o.max_time_s / dt).ceil()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Values of the state g-functions at the end of the last step, to detect sign changes.
#[derive(Debug, Clone, Copy)]
struct Signs {
    altitude_m: f64,
    fairing: f64,
    q_rate: f64,
    radial: f64,
    cutoff: f64,
    switch: f64,
}

/// Fly a vehicle: returns events, samples, jettisoned bodies and the final state.
pub fn fly<G: Guidance>(setup: &FlightSetup<'_>, guidance: &mut G) -> Result<FlightResult> {
    setup.check()?;
    Flight::new(setup).run(guidance)
}

struct Flight<'s, 'v> {
    setup: &'s FlightSetup<'v>,
    config: Configuration,
    y: [f64; STATE_DIM],
    t: f64,
    events: Vec<FlightEvent>,
    samples: Vec<Sample>,
    phase_names: Vec<String>,
    jettisoned: Vec<JettisonedBody>,
    pending_ignitions: Vec<(f64, usize)>,
    /// `[[jettison]]` items due at a known time: (time, item).
    pending_jettison: Vec<(f64, usize)>,
    /// Inertial speed on the pad at liftoff (the Earth-rotation term of the Δv budget), m/s.
    liftoff_speed_m_s: f64,
    next_sample_s: f64,
    max_q: Option<FlightEvent>,
    max_q_pa: f64,
    /// Past the apogee of the final coast: dynamic pressure from here on is the fall's, not
    /// the ascent's.
    falling: bool,
    reentry_max_q: Option<FlightEvent>,
    reentry_max_q_pa: f64,
    max_accel_g: f64,
    steps: usize,
}

impl<'s, 'v> Flight<'s, 'v> {
    fn new(setup: &'s FlightSetup<'v>) -> Self {
        let l = &setup.launch;
        let pad = geodetic_to_ecef(&Geodetic {
            latitude_rad: l.latitude_deg.to_radians(),
            longitude_rad: l.longitude_deg.to_radians(),
            altitude_m: l.altitude_m,
        });
        // The inertial frame coincides with Earth-fixed at liftoff; the pad moves with the Earth.
        let v = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S).cross(&pad);
        let mut y = [0.0; STATE_DIM];
        y[..3].copy_from_slice(pad.as_slice());
        y[3..6].copy_from_slice(v.as_slice());
        Flight {
            setup,
            config: Configuration::on_pad(setup.vehicle, setup.payload_kg),
            y,
            t: 0.0,
            events: Vec::with_capacity(24),
            samples: Vec::new(),
            phase_names: Vec::new(),
            jettisoned: Vec::with_capacity(8),
            pending_ignitions: Vec::new(),
            pending_jettison: setup
                .vehicle
                .jettison
                .iter()
                .enumerate()
                .filter_map(|(j, item)| match item.trigger {
                    JettisonTrigger::Time(t) => Some((t, j)),
                    JettisonTrigger::AfterSeparation { .. } => None,
                })
                .collect(),
            liftoff_speed_m_s: v.norm(),
            next_sample_s: 0.0,
            max_q: None,
            max_q_pa: 0.0,
            falling: false,
            reentry_max_q: None,
            reentry_max_q_pa: 0.0,
            max_accel_g: 0.0,
            steps: 0,
        }
    }

    fn vehicle(&self) -> &'v Vehicle {
        self.setup.vehicle
    }

    fn dynamics<'a, G: Guidance>(&'a self, guidance: &'a G) -> Dynamics<'a, G> {
        Dynamics {
            vehicle: self.setup.vehicle,
            config: &self.config,
            guidance,
            gravity: self.setup.options.gravity,
            atmosphere: self.setup.options.atmosphere,
        }
    }

    fn point<G: Guidance>(&self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) -> FlightPoint {
        self.dynamics(guidance).point(t, y)
    }

    fn push_event<G: Guidance>(&mut self, guidance: &G, kind: EventKind) {
        let point = self.point(guidance, self.t, &self.y);
        let description = describe(self.vehicle(), &kind);
        self.max_accel_g = self.max_accel_g.max(point.axial_accel_g);
        self.events.push(FlightEvent { kind, description, point });
    }

    fn current_phase(&mut self) -> usize {
        let name = self.config.phase_name(self.vehicle());
        match self.phase_names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                self.phase_names.push(name);
                self.phase_names.len() - 1
            }
        }
    }

    fn record_sample<G: Guidance>(&mut self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) {
        let phase = self.current_phase();
        let point = self.point(guidance, t, y);
        self.samples.push(Sample { point, phase });
    }

    /// Samples at the regular cadence inside `(segment.t0, t_end]`.
    fn record_samples_until<G: Guidance>(&mut self, guidance: &G, segment: &DenseSegment<STATE_DIM>, t_end: f64) {
        let Some(dt) = self.setup.options.sample_interval_s else { return };
        while self.next_sample_s <= t_end {
            let t = self.next_sample_s;
            let y = if t <= segment.t0 { segment.start() } else { segment.state_at(t) };
            self.record_sample(guidance, t, &y);
            self.next_sample_s += dt;
        }
    }

    fn guidance_update<G: Guidance>(&mut self, guidance: &mut G, staging: Option<&EventKind>) {
        let input = self.dynamics(guidance).forces(self.t, &self.y).input;
        if let Some(kind) = guidance.update(&input, staging) {
            self.push_event(guidance, kind);
        }
    }

    fn ignite<G: Guidance>(&mut self, guidance: &mut G, stage: usize) -> Result<()> {
        let vehicle = self.vehicle();
        let Some(k) = self.config.ignite(vehicle, stage) else {
            return Err(Error::invalid(
                "vehicle",
                format!("more than {MAX_BURNING} stages would burn at once when `{}` ignites", vehicle.stages[stage].name),
            ));
        };
        self.y[6 + k] = vehicle.stages[stage].total_propellant_kg();
        self.config.refresh(vehicle, self.setup.payload_kg);
        let kind = EventKind::Ignition { stage };
        self.push_event(guidance, kind.clone());
        self.guidance_update(guidance, Some(&kind));
        Ok(())
    }

    fn set_throttle<G: Guidance>(&mut self, guidance: &G, stage: usize) {
        self.config.throttle_segment[stage] = self.config.throttle_segment[stage].saturating_add(1);
        let level = self.config.scheduled_throttle(self.vehicle(), stage);
        if let Some(k) = self.config.slot_of(stage) {
            if let Some(slot) = self.config.slots[k].as_mut() {
                slot.throttle = level;
            }
        }
        self.push_event(guidance, EventKind::Throttle { stage, level });
    }

    /// Burnout of the stage in slot `k`, then its separation unless it carries the payload.
    fn burnout<G: Guidance>(&mut self, guidance: &mut G, k: usize) -> Result<()> {
        let Some(slot) = self.config.slots[k] else { return Ok(()) };
        let stage = slot.stage;
        self.push_event(guidance, EventKind::Burnout { stage });
        self.config.slots[k] = None;
        self.y[6 + k] = 0.0;
        let vehicle = self.vehicle();
        let carries_others = (stage + 1..vehicle.stages.len()).any(|j| self.config.is_attached(j));
        if carries_others {
            self.separate(guidance, stage)?;
        } else {
            self.config.refresh(vehicle, self.setup.payload_kg);
        }
        Ok(())
    }

    fn separate<G: Guidance>(&mut self, guidance: &mut G, stage: usize) -> Result<()> {
        let vehicle = self.vehicle();
        let s = &vehicle.stages[stage];
        let point = self.point(guidance, self.t, &self.y);
        self.jettisoned.push(JettisonedBody {
            name: s.name.clone(),
            stage: Some(stage),
            kind: Some(s.kind),
            count: s.units,
            mass_kg: s.dry_mass_kg + s.residual_mass_kg,
            point,
        });
        self.config.attached &= !(1u32 << stage);
        self.config.refresh(vehicle, self.setup.payload_kg);
        let kind = EventKind::Separation { stage };
        self.push_event(guidance, kind.clone());
        for (j, item) in vehicle.jettison.iter().enumerate() {
            if let JettisonTrigger::AfterSeparation { stage: after, delay_s } = item.trigger {
                if after == stage && delay_s > 0.0 {
                    self.pending_jettison.push((self.t + delay_s, j));
                } else if after == stage {
                    self.drop_item(guidance, j);
                }
            }
        }
        for i in 0..vehicle.stages.len() {
            if self.config.is_attached(i) && sequence::segment_ends_at_separation(vehicle, &self.config, i, stage) {
                self.set_throttle(guidance, i);
            }
        }
        self.guidance_update(guidance, Some(&kind));
        if let Some(next) = sequence::successor(vehicle, stage) {
            let delay = vehicle.stages[next].ignition_delay_s;
            if delay > 0.0 {
                self.pending_ignitions.push((self.t + delay, next));
            } else {
                self.ignite(guidance, next)?;
            }
        }
        Ok(())
    }

    /// Guidance cutoff: every burning stage shuts down and keeps its propellant aboard; stages
    /// still waiting to ignite never will.
    fn cutoff<G: Guidance>(&mut self, guidance: &G) {
        let mut stages = [None; MAX_BURNING];
        for (k, stage) in stages.iter_mut().enumerate() {
            if let Some(slot) = self.config.slots[k] {
                self.config.shutdown_propellant_kg[slot.stage] += self.y[6 + k].max(0.0);
                self.y[6 + k] = 0.0;
                self.config.slots[k] = None;
                *stage = Some(slot.stage);
            }
        }
        self.pending_ignitions.clear();
        // The events after the refresh, so that their mass keeps the propellant left aboard.
        self.config.refresh(self.vehicle(), self.setup.payload_kg);
        for stage in stages.into_iter().flatten() {
            self.push_event(guidance, EventKind::Cutoff { stage });
        }
    }

    fn jettison_fairing<G: Guidance>(&mut self, guidance: &G) {
        let Some(fairing) = self.vehicle().fairing else { return };
        if !self.config.fairing_attached {
            return;
        }
        let point = self.point(guidance, self.t, &self.y);
        self.jettisoned.push(JettisonedBody {
            name: "fairing".to_owned(),
            stage: None,
            kind: None,
            count: 2,
            mass_kg: fairing.mass_kg / 2.0,
            point,
        });
        self.config.fairing_attached = false;
        self.config.refresh(self.vehicle(), self.setup.payload_kg);
        self.push_event(guidance, EventKind::FairingJettison);
    }

    /// Drop `[[jettison]]` item `j`: its mass leaves the vehicle.
    fn drop_item<G: Guidance>(&mut self, guidance: &G, j: usize) {
        if self.config.dropped & (1 << j) != 0 {
            return;
        }
        self.config.dropped |= 1 << j;
        self.config.refresh(self.vehicle(), self.setup.payload_kg);
        self.push_event(guidance, EventKind::Jettison { item: j });
    }

    /// Next time-known discrete event after `self.t`.
    fn next_time_event<G: Guidance>(&self, guidance: &G) -> f64 {
        let vehicle = self.vehicle();
        let mut t_next = self.setup.options.max_time_s.min(guidance.next_update_s());
        for slot in self.config.slots.iter().flatten() {
            if let Some(t) = sequence::segment_end_time(vehicle, &self.config, slot.stage) {
                t_next = t_next.min(t);
            }
        }
        for &(t, _) in self.pending_ignitions.iter().chain(&self.pending_jettison) {
            t_next = t_next.min(t);
        }
        if let (true, Some(FairingJettison::Time(t))) = (self.config.fairing_attached, vehicle.fairing.map(|f| f.jettison)) {
            t_next = t_next.min(t);
        }
        t_next.max(self.t)
    }

    /// Apply every time-known event due at `self.t`.
    fn apply_time_events<G: Guidance>(&mut self, guidance: &mut G) -> Result<()> {
        let t = self.t;
        let due = |x: f64| x <= t + 1e-9;
        let vehicle = self.vehicle();
        for i in 0..vehicle.stages.len() {
            // A stage may pass several zero-length segments at once; bounded by the schedule length.
            for _ in 0..=vehicle.stages[i].throttle.len() {
                let burning = self.config.slot_of(i).is_some();
                match sequence::segment_end_time(vehicle, &self.config, i) {
                    Some(end) if burning && due(end) => self.set_throttle(guidance, i),
                    _ => break,
                }
            }
        }
        let mut k = 0;
        while k < self.pending_ignitions.len() {
            if due(self.pending_ignitions[k].0) {
                let (_, stage) = self.pending_ignitions.swap_remove(k);
                self.ignite(guidance, stage)?;
            } else {
                k += 1;
            }
        }
        let mut k = 0;
        while k < self.pending_jettison.len() {
            if due(self.pending_jettison[k].0) {
                let (_, item) = self.pending_jettison.swap_remove(k);
                self.drop_item(guidance, item);
            } else {
                k += 1;
            }
        }
        if let (true, Some(FairingJettison::Time(tj))) = (self.config.fairing_attached, vehicle.fairing.map(|f| f.jettison)) {
            if due(tj) {
                self.jettison_fairing(guidance);
            }
        }
        if due(guidance.next_update_s()) {
            self.guidance_update(guidance, None);
        }
        Ok(())
    }

    fn signs<G: Guidance>(&self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) -> Signs {
        let dynamics = self.dynamics(guidance);
        let f = dynamics.forces(t, y);
        let r = f.input.position_m;
        let v = f.input.velocity_m_s;
        let fairing = match (self.config.fairing_attached, self.vehicle().fairing.map(|f| f.jettison)) {
            (true, Some(FairingJettison::Altitude(h))) => f.input.altitude_m - h,
            (true, Some(FairingJettison::HeatFlux(limit))) => {
                let va = f.input.air_velocity_m_s.norm();
                0.5 * f.atmosphere.density_kg_m3 * va * va * va - limit
            }
            _ => f64::NAN,
        };
        let cutoff = if self.config.is_burning() { guidance.cutoff_margin(&f.input) } else { f64::INFINITY };
        let switch = guidance.switch_margin(&f.input);
        Signs { altitude_m: f.input.altitude_m, fairing, q_rate: dynamic_pressure_rate(&f), radial: r.dot(&v), cutoff, switch }
    }

    fn run<G: Guidance>(mut self, guidance: &mut G) -> Result<FlightResult> {
        let vehicle = self.vehicle();
        // Liftoff: every liftoff stage without delay ignites; delayed ones wait.
        self.push_event(guidance, EventKind::Liftoff);
        self.guidance_update(guidance, Some(&EventKind::Liftoff));
        for i in sequence::liftoff_stages(vehicle).collect::<Vec<_>>() {
            let delay = vehicle.stages[i].ignition_delay_s;
            if delay > 0.0 {
                self.pending_ignitions.push((delay, i));
            } else {
                self.ignite(guidance, i)?;
            }
        }
        let mut integrator = DormandPrince::new(self.setup.options.integrator, self.t, self.y);
        let mut signs = self.signs(guidance, self.t, &self.y);
        let outcome = loop {
            let t_limit = self.next_time_event(guidance);
            let segment = {
                let dynamics = self.dynamics(guidance);
                integrator.step(&dynamics, t_limit).map_err(|e| Error::Integration { time_s: integrator.time(), reason: e.to_string() })?
            };
            self.steps += 1;
            let end = segment.end();
            let end_signs = self.signs(guidance, segment.t1, &end);

            // Earliest state event in this step that changes the configuration.
            let mut first: Option<(f64, StateEvent)> = None;
            let mut consider = |t: f64, e: StateEvent| {
                if first.is_none_or(|(tf, _)| t < tf) {
                    first = Some((t, e));
                }
            };
            for k in 0..MAX_BURNING {
                if self.config.slots[k].is_some() && end[6 + k] <= 0.0 {
                    let g0 = segment.start()[6 + k];
                    let t = locate_root(|t| segment.state_at(t)[6 + k], segment.t0, g0, segment.t1, end[6 + k], EVENT_TOLERANCE_S);
                    consider(t, StateEvent::Burnout(k));
                }
            }
            if signs.fairing.is_finite() && end_signs.fairing.is_finite() {
                let rising = matches!(vehicle.fairing.map(|f| f.jettison), Some(FairingJettison::Altitude(_)));
                let crossed =
                    if rising { signs.fairing < 0.0 && end_signs.fairing >= 0.0 } else { signs.fairing > 0.0 && end_signs.fairing <= 0.0 };
                if crossed {
                    let t = self.root(guidance, &segment, signs.fairing, end_signs.fairing, |s| s.fairing);
                    consider(t, StateEvent::Fairing);
                }
            }
            if signs.cutoff > 0.0 && end_signs.cutoff <= 0.0 && signs.cutoff.is_finite() && end_signs.cutoff.is_finite() {
                let t = self.root(guidance, &segment, signs.cutoff, end_signs.cutoff, |s| s.cutoff);
                consider(t, StateEvent::Cutoff);
            }
            if signs.switch > 0.0 && end_signs.switch <= 0.0 && signs.switch.is_finite() && end_signs.switch.is_finite() {
                let t = self.root(guidance, &segment, signs.switch, end_signs.switch, |s| s.switch);
                consider(t, StateEvent::GuidanceSwitch);
            }
            if signs.altitude_m > 0.0 && end_signs.altitude_m <= 0.0 && segment.t1 > 1.0 {
                let t = self.root(guidance, &segment, signs.altitude_m, end_signs.altitude_m, |s| s.altitude_m);
                consider(t, StateEvent::Impact);
            }
            let t_cut = first.map_or(segment.t1, |(t, _)| t);

            // Events that change nothing: max-Q and the apogee of a coast, before the cut.
            if signs.q_rate > 0.0 && end_signs.q_rate <= 0.0 && signs.altitude_m < 150e3 {
                let t = self.root(guidance, &segment, signs.q_rate, end_signs.q_rate, |s| s.q_rate);
                if t <= t_cut {
                    self.note_max_q(guidance, t, &segment.state_at(t));
                }
            }
            let coasting = !self.config.is_burning();
            if coasting && signs.radial > 0.0 && end_signs.radial <= 0.0 {
                let t = self.root(guidance, &segment, signs.radial, end_signs.radial, |s| s.radial);
                if t <= t_cut {
                    self.record_samples_until(guidance, &segment, t);
                    let (t_saved, y_saved) = (self.t, self.y);
                    self.t = t;
                    self.y = segment.state_at(t);
                    self.push_event(guidance, EventKind::Apogee);
                    // Nothing left to ignite: the ascent is over, what follows is the fall.
                    self.falling |= self.pending_ignitions.is_empty();
                    self.t = t_saved;
                    self.y = y_saved;
                }
            }

            self.record_samples_until(guidance, &segment, t_cut);
            self.t = t_cut;
            self.y = if t_cut >= segment.t1 { end } else { segment.state_at(t_cut) };
            let point = self.point(guidance, self.t, &self.y);
            self.max_accel_g = self.max_accel_g.max(point.axial_accel_g);
            if self.falling {
                self.reentry_max_q_pa = self.reentry_max_q_pa.max(point.dynamic_pressure_pa);
            } else {
                self.max_q_pa = self.max_q_pa.max(point.dynamic_pressure_pa);
            }

            let mut restart = false;
            match first {
                Some((_, StateEvent::Burnout(k))) => {
                    self.burnout(guidance, k)?;
                    restart = true;
                }
                Some((_, StateEvent::Cutoff)) => {
                    self.cutoff(guidance);
                    restart = true;
                }
                Some((_, StateEvent::Fairing)) => {
                    self.jettison_fairing(guidance);
                    restart = true;
                }
                Some((_, StateEvent::GuidanceSwitch)) => {
                    self.guidance_update(guidance, None);
                    restart = true;
                }
                Some((_, StateEvent::Impact)) => {
                    self.push_event(guidance, EventKind::Impact);
                    break FlightOutcome::Impact;
                }
                None => {}
            }
            if first.is_none() && self.t >= t_limit {
                if self.t >= self.setup.options.max_time_s {
                    break FlightOutcome::TimeLimit;
                }
                self.apply_time_events(guidance)?;
                restart = true;
            }
            if !self.config.is_burning() && self.pending_ignitions.is_empty() && restart {
                // Nothing left to burn: in orbit, or coast to the ground.
                let elements = OrbitalElements::from_state(
                    &Vector3::new(self.y[0], self.y[1], self.y[2]),
                    &Vector3::new(self.y[3], self.y[4], self.y[5]),
                    MU_EARTH_M3_S2,
                );
                if elements.perigee_altitude_m() > self.setup.options.orbit_perigee_min_m {
                    self.push_event(guidance, EventKind::Insertion);
                    break FlightOutcome::Orbit;
                }
                // Already coming down when the engines stop: the fall starts here.
                let radial_m2_s = self.y[0] * self.y[3] + self.y[1] * self.y[4] + self.y[2] * self.y[5];
                self.falling |= radial_m2_s <= 0.0;
            }
            if restart {
                integrator.reset(self.t, self.y);
                signs = self.signs(guidance, self.t, &self.y);
            } else {
                signs = end_signs;
            }
        };
        self.finish(guidance, outcome)
    }

    /// Root of a g-function of [`Signs`] inside a step.
    fn root<G: Guidance>(&self, guidance: &G, segment: &DenseSegment<STATE_DIM>, g0: f64, g1: f64, pick: impl Fn(&Signs) -> f64) -> f64 {
        locate_root(|t| pick(&self.signs(guidance, t, &segment.state_at(t))), segment.t0, g0, segment.t1, g1, EVENT_TOLERANCE_S)
    }

    /// Usable propellant aboard: in the burning slots and left by a cutoff in attached stages.
    fn remaining_propellant_kg(&self) -> f64 {
        let burning: f64 = (0..MAX_BURNING).filter(|&k| self.config.slots[k].is_some()).map(|k| self.y[6 + k].max(0.0)).sum();
        let shut: f64 =
            (0..self.vehicle().stages.len()).filter(|&i| self.config.is_attached(i)).map(|i| self.config.shutdown_propellant_kg[i]).sum();
        burning + shut
    }

    /// A peak of the dynamic pressure: the ascent's max-Q, or once past the apogee of the final
    /// coast, the fall's.
    fn note_max_q<G: Guidance>(&mut self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) {
        let point = self.point(guidance, t, y);
        let (peak, peak_pa, kind) = if self.falling {
            (&mut self.reentry_max_q, &mut self.reentry_max_q_pa, EventKind::ReentryMaxQ)
        } else {
            (&mut self.max_q, &mut self.max_q_pa, EventKind::MaxQ)
        };
        *peak_pa = peak_pa.max(point.dynamic_pressure_pa);
        if peak.as_ref().is_none_or(|e| point.dynamic_pressure_pa > e.point.dynamic_pressure_pa) {
            let description = describe(self.setup.vehicle, &kind);
            *peak = Some(FlightEvent { kind, description, point });
        }
    }

    fn finish<G: Guidance>(mut self, guidance: &G, outcome: FlightOutcome) -> Result<FlightResult> {
        for peak in [self.max_q.take(), self.reentry_max_q.take()].into_iter().flatten() {
            let at = self.events.partition_point(|e| e.point.time_s <= peak.point.time_s);
            self.events.insert(at, peak);
        }
        if self.setup.options.sample_interval_s.is_some() {
            let (t, y) = (self.t, self.y);
            if self.samples.last().is_none_or(|s| s.point.time_s < t) {
                self.record_sample(guidance, t, &y);
            }
        }
        let final_point = self.point(guidance, self.t, &self.y);
        let remaining_propellant_kg = self.remaining_propellant_kg();
        let final_orbit = OrbitalElements::from_state(&final_point.position_eci_m, &final_point.velocity_eci_m_s, MU_EARTH_M3_S2);
        if !(final_point.speed_m_s.is_finite() && final_point.mass_kg.is_finite()) {
            return Err(Error::Integration { time_s: self.t, reason: "non-finite final state".to_owned() });
        }
        Ok(FlightResult {
            events: self.events,
            samples: self.samples,
            phase_names: self.phase_names,
            jettisoned: self.jettisoned,
            final_point,
            final_orbit,
            outcome,
            max_dynamic_pressure_pa: self.max_q_pa,
            reentry_max_dynamic_pressure_pa: self.falling.then_some(self.reentry_max_q_pa),
            max_axial_accel_g: self.max_accel_g,
            remaining_propellant_kg,
            steps: self.steps,
            loss_budget: LossBudget::from_state(&self.y, self.liftoff_speed_m_s, final_point.speed_m_s),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum StateEvent {
    Burnout(usize),
    Cutoff,
    Fairing,
    GuidanceSwitch,
    Impact,
}

/// Time derivative of the dynamic pressure, Pa/s: `d(½ρvₐ²)/dt = ½vₐ²·(dρ/dh)·ḣ + ρ·vₐ·(a − ω×v)`;
/// its downward zero crossing is max-Q.
fn dynamic_pressure_rate(f: &super::eom::Forces) -> f64 {
    let va = f.input.air_velocity_m_s;
    let h = f.input.altitude_m;
    if f.atmosphere.density_kg_m3 <= 0.0 {
        return 0.0;
    }
    let dh = 1.0;
    let drho_dh = (crate::environment::atmosphere::ussa76(h + dh).density_kg_m3 - f.atmosphere.density_kg_m3) / dh;
    let h_dot = va.dot(&f.input.up);
    let omega = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S);
    let air_accel = f.acceleration() - omega.cross(&f.input.velocity_m_s);
    0.5 * va.norm_squared() * drho_dh * h_dot + f.atmosphere.density_kg_m3 * va.dot(&air_accel)
}

/// Human-readable event description naming the stage.
fn describe(vehicle: &Vehicle, kind: &EventKind) -> String {
    let name = |i: usize| vehicle.stages.get(i).map_or("?", |s| s.name.as_str());
    match kind {
        EventKind::Liftoff => "liftoff".to_owned(),
        EventKind::PitchOver => "end of vertical rise, pitch-over".to_owned(),
        EventKind::GravityTurn => "gravity turn (zero angle of attack)".to_owned(),
        EventKind::Steering => "upper-stage steering".to_owned(),
        EventKind::Ignition { stage } => format!("ignition of {}", name(*stage)),
        EventKind::Throttle { stage, level } => format!("{} throttle to {:.0} %", name(*stage), level * 100.0),
        EventKind::Cutoff { stage } => format!("engine cutoff of {}", name(*stage)),
        EventKind::Burnout { stage } => format!("burnout of {}", name(*stage)),
        EventKind::Separation { stage } => format!("separation of {}", name(*stage)),
        EventKind::FairingJettison => "fairing jettison".to_owned(),
        EventKind::Jettison { item } => format!("jettison of {}", vehicle.jettison.get(*item).map_or("?", |j| j.name.as_str())),
        EventKind::MaxQ => "maximum dynamic pressure".to_owned(),
        EventKind::ReentryMaxQ => "peak dynamic pressure of the fall".to_owned(),
        EventKind::Insertion => "orbit insertion".to_owned(),
        EventKind::Apogee => "apogee".to_owned(),
        EventKind::Impact => "impact".to_owned(),
    }
}

/// Whether a stage ignites at liftoff (for front ends).
pub fn ignites_at_liftoff(vehicle: &Vehicle, stage: usize) -> bool {
    vehicle.stages.get(stage).is_some_and(|s| s.ignition == Ignition::Liftoff)
}
