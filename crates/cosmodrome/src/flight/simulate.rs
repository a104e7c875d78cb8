//! The flight loop: integrate between events, find every event of the detector list on the
//! step's dense output, apply their actions in time order, restart after a change.
//!
//! The loop knows no event by name. Everything that happens is an [`EventDetector`]
//! ([`super::events`]): the built-in ones (burnout per burn slot, fairing, max-Q, apogee,
//! impact, the sequencer's and the steering law's scheduled times), the steering law's own
//! ([`Guidance::detectors`]: cutoff at the target, phase switches) and the caller's
//! ([`fly_with`]). Configuration changes go through the one [`Sequencer`]; each separation
//! forks a [`JettisonedBody`] carrying the state at separation.

use nalgebra::Vector3;

use super::eom::{Dynamics, Forces, StepDynamics};
use super::events::{builtin, Action, EventDetector, EventState};
use super::integrator::{locate_root, DenseSegment, DormandPrince, IntegratorOptions};
use super::losses::{self, LossBudget};
use super::sequence::{Configuration, Release, SequenceObserver, Sequencer, Transition, LOSS_OFFSET, MAX_BURNING, MAX_STAGES, STATE_DIM};
use super::trajectory::{EventKind, FlightEvent, FlightOutcome, FlightPoint, FlightResult, JettisonedBody, Sample, ThrottleLimit};
use super::Guidance;
use crate::environment::earth::{geodetic_to_ecef, Geodetic, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S};
use crate::environment::elements::OrbitalElements;
use crate::environment::gravity::GravityModel;
use crate::error::{Error, Result};
use crate::vehicle::{Ignition, Site, Vehicle};

/// Events are located to this time tolerance, s (the contract asks for ≤ 1 ms).
const EVENT_TOLERANCE_S: f64 = 1e-9;

/// A time event within this of the current time is due, s.
pub(crate) const TIME_EVENT_TOLERANCE_S: f64 = 1e-9;

/// Integration steps a flight may take: an ascent to orbit or impact takes 40–120, a schedule of
/// a thousand throttle segments a few thousand, so this ends a runaway flight within about a
/// second instead of the ten a million steps took.
pub const MAX_FLIGHT_STEPS: usize = 100_000;
/// A search's flight (one that does not follow a fall, [`FlightOptions::follow_suborbital_fall`]
/// off) that has coasted in orbit to a planned burn and comes back under this altitude is
/// refused there: it re-enters. At orbital speed the air at 50 km (some 1 g/m³, a dynamic
/// pressure near 30 kPa) brakes a spent stage at a g or more, and harder below, beyond what any
/// planned burn recovers; following such a burn down to the ground took up to 94,000
/// integration steps, a thousand ascents' worth (the transfer targeting's trial burns that
/// pitch the stage down: H-IIA 202 to a 220 km SSO from Vostochny, 12 s of its answer's
/// 12.5 s), m.
pub const REENTRY_ALTITUDE_M: f64 = 50e3;

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

    /// The pad's position, m, Earth-fixed: inertial at liftoff, the frames then coinciding.
    pub fn pad_position_m(&self) -> Vector3<f64> {
        geodetic_to_ecef(&Geodetic {
            latitude_rad: self.latitude_deg.to_radians(),
            longitude_rad: self.longitude_deg.to_radians(),
            altitude_m: self.altitude_m,
        })
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
    /// Whether a flight whose last burnout leaves it short of orbit coasts on to apogee and
    /// impact (`true`) or ends at that burnout ([`FlightOutcome::BurnedOutShort`]). The
    /// optimizer's searches need only the burnout, and following a failed ascent down through
    /// the atmosphere costs as much again as the ascent.
    pub follow_suborbital_fall: bool,
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
            follow_suborbital_fall: true,
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

/// The heaviest payload an input may ask for, kg: the largest stage load a vehicle file takes.
/// Above it the number is a mistyped exponent, not a design, and its digits would fill the
/// tables and messages it appears in.
pub const MAX_PAYLOAD_KG: f64 = 1e7;

/// A payload as asked for (`--payload-kg`, a request's `payload_kg`): a finite mass from 0 to
/// [`MAX_PAYLOAD_KG`].
pub fn check_payload_kg(payload_kg: f64) -> Result<()> {
    if payload_kg.is_finite() && (0.0..=MAX_PAYLOAD_KG).contains(&payload_kg) {
        return Ok(());
    }
    let got = if payload_kg.is_finite() && payload_kg.abs() >= 1e9 { format!("{payload_kg:e}") } else { format!("{payload_kg}") };
    Err(Error::invalid("payload", format!("must be a finite mass from 0 to {MAX_PAYLOAD_KG:.0} kg, got {got} kg")))
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

/// Fly a vehicle: returns events, samples, jettisoned bodies and the final state.
pub fn fly<G: Guidance>(setup: &FlightSetup<'_>, guidance: &mut G) -> Result<FlightResult> {
    fly_with(setup, guidance, &[])
}

/// Fly with the caller's own event detectors besides the built-in ones and the steering
/// law's: a marker at an altitude, a stop at a condition, a transition of the sequencer. They
/// run after the built-in state events (so a tie at one instant goes to those first) and
/// before the scheduled time events; the loop is the same.
pub fn fly_with<G: Guidance>(setup: &FlightSetup<'_>, guidance: &mut G, extra: &[&dyn EventDetector<G>]) -> Result<FlightResult> {
    setup.check()?;
    let own = guidance.detectors();
    // Built once per flight: the loop itself allocates nothing per step.
    let mut detectors: Vec<&dyn EventDetector<G>> = Vec::with_capacity(16 + own.len() + extra.len());
    detectors.extend(builtin::state_events::<G>());
    detectors.extend(own.iter().map(|d| d.as_ref()));
    detectors.extend(builtin::end_and_observations::<G>());
    detectors.extend(extra.iter().copied());
    detectors.extend(builtin::time_events::<G>());
    let mut flight = Flight::new(setup);
    flight.sequencer.allow_propellant_deficit = guidance.propellant_deficit_allowed();
    flight.sequencer.main_engine_burn_s = guidance.main_engine_burn_s();
    flight.sequencer.coast_s = guidance.coast_s();
    flight.run(guidance, &detectors)
}

/// Everything a flight records besides its state.
struct Log {
    events: Vec<FlightEvent>,
    samples: Vec<Sample>,
    phase_names: Vec<String>,
    jettisoned: Vec<JettisonedBody>,
    /// Per kind, the event of highest dynamic pressure ([`Action::RecordPeak`]).
    peaks: Vec<FlightEvent>,
    max_accel_g: f64,
}

impl Log {
    fn push(&mut self, vehicle: &Vehicle, kind: EventKind, point: FlightPoint) {
        let description = kind.describe(vehicle);
        self.max_accel_g = self.max_accel_g.max(point.axial_accel_g);
        self.events.push(FlightEvent { kind, description, point });
    }

    /// A candidate peak: kept when it is the first of its kind or higher than the one kept.
    fn peak(&mut self, vehicle: &Vehicle, kind: EventKind, point: FlightPoint) {
        match self.peaks.iter_mut().find(|e| e.kind == kind) {
            Some(e) if point.dynamic_pressure_pa > e.point.dynamic_pressure_pa => e.point = point,
            Some(_) => {}
            None => {
                let description = kind.describe(vehicle);
                self.peaks.push(FlightEvent { kind, description, point });
            }
        }
    }
}

/// The dynamics of a configuration (a free function, so the loop can borrow fields apart).
fn dynamics<'a, G: Guidance>(setup: &'a FlightSetup<'_>, config: &'a Configuration, guidance: &'a G) -> Dynamics<'a, G> {
    Dynamics { vehicle: setup.vehicle, config, guidance, gravity: setup.options.gravity, atmosphere: setup.options.atmosphere }
}

/// The flight's side of the sequencer: records events at the state of the moment, forks the
/// released bodies, lets guidance change phase at staging.
struct Recorder<'a, 'v, G: Guidance> {
    setup: &'a FlightSetup<'v>,
    guidance: &'a mut G,
    log: &'a mut Log,
    t: f64,
    y: [f64; STATE_DIM],
}

impl<G: Guidance> Recorder<'_, '_, G> {
    fn point(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING]) -> FlightPoint {
        self.y[6..6 + MAX_BURNING].copy_from_slice(propellant_kg);
        dynamics(self.setup, config, &*self.guidance).point(self.t, &self.y)
    }
}

impl<G: Guidance> SequenceObserver for Recorder<'_, '_, G> {
    fn event(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], kind: EventKind) {
        let point = self.point(config, propellant_kg);
        self.log.push(self.setup.vehicle, kind, point);
    }

    fn release(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], body: Release) {
        let point = self.point(config, propellant_kg);
        let vehicle = self.setup.vehicle;
        let body = match body {
            Release::Stage(stage) => {
                let s = &vehicle.stages[stage];
                JettisonedBody {
                    name: s.name.clone(),
                    stage: Some(stage),
                    kind: Some(s.kind),
                    count: s.units,
                    mass_kg: s.dry_mass_kg + s.residual_mass_kg,
                    point,
                }
            }
            Release::DropTank(stage) => {
                let s = &vehicle.stages[stage];
                let (name, mass_kg) = s.drop_tank.as_ref().map_or_else(|| (String::new(), 0.0), |t| (t.name.clone(), t.dry_mass_kg));
                JettisonedBody { name, stage: Some(stage), kind: Some(s.kind), count: s.units, mass_kg, point }
            }
            Release::Fairing => {
                let mass_kg = vehicle.fairing.map_or(0.0, |f| f.mass_kg) / 2.0;
                JettisonedBody { name: "fairing".to_owned(), stage: None, kind: None, count: 2, mass_kg, point }
            }
        };
        self.log.jettisoned.push(body);
    }

    fn staging(&mut self, config: &Configuration, propellant_kg: &[f64; MAX_BURNING], kind: &EventKind) {
        self.y[6..6 + MAX_BURNING].copy_from_slice(propellant_kg);
        let input = dynamics(self.setup, config, &*self.guidance).forces(self.t, &self.y).input;
        if let Some(phase) = self.guidance.update(&input, Some(kind)) {
            let point = self.point(config, propellant_kg);
            self.log.push(self.setup.vehicle, phase, point);
        }
    }
}

struct Flight<'s, 'v> {
    setup: &'s FlightSetup<'v>,
    sequencer: Sequencer<'v>,
    y: [f64; STATE_DIM],
    t: f64,
    log: Log,
    /// Inertial speed on the pad at liftoff (the Earth-rotation term of the Δv budget), m/s.
    liftoff_speed_m_s: f64,
    next_sample_s: f64,
    max_q_pa: f64,
    /// Past the apogee of the final coast: dynamic pressure from here on is the fall's, not
    /// the ascent's.
    falling: bool,
    reentry_max_q_pa: f64,
    steps: usize,
    /// The gravity integral when the current coast to a planned burn began (`None`: no such
    /// coast now), m/s.
    coast_started_gravity_m_s: Option<f64>,
    /// Gravity integral accrued on finished coasts to planned burns (the budget's coast
    /// exchange), m/s.
    coast_exchange_m_s: f64,
    /// A coast to a planned burn has begun: the vehicle was in orbit, above the air.
    coasted_in_orbit: bool,
    /// The limit throttling followed step to step, for its start and end events.
    hold: LimitHold,
}

/// The limit throttling of a flight ([`Forces::limit`]), followed from one step's end to the
/// next: a flag and two numbers per step, nothing computed that the step does not have. Where
/// the flag changes inside a step, the start or end is located on the step's dense output (the
/// zero of [`Forces::limit_excess_n`]); where it changes at a change of the flight (a burnout,
/// a cutoff, a throttle segment), it is at that instant.
#[derive(Debug, Clone, Copy)]
struct LimitHold {
    /// The limit held since its start event, and the deepest throttle share seen since.
    active: Option<(ThrottleLimit, f64)>,
    /// [`Forces::limit_excess_n`] at the start of the step being flown, N.
    excess_n: f64,
    /// The throttle share at the current state (the last step's end).
    throttle: f64,
    /// A change of the flight applied while a limit is held: the length of the event list, the
    /// state and the throttle share just before it, where an end it causes is recorded (before
    /// the change's own events).
    before_change: Option<(usize, FlightPoint, f64)>,
}

impl Default for LimitHold {
    fn default() -> Self {
        LimitHold { active: None, excess_n: f64::NAN, throttle: 1.0, before_change: None }
    }
}

/// One crossing found in a step: time, detector index, action.
type Crossing = (f64, usize, Action);

impl<'s, 'v> Flight<'s, 'v> {
    fn new(setup: &'s FlightSetup<'v>) -> Self {
        let pad = setup.launch.pad_position_m();
        // The inertial frame coincides with Earth-fixed at liftoff; the pad moves with the Earth.
        let v = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S).cross(&pad);
        let mut y = [0.0; STATE_DIM];
        y[..3].copy_from_slice(pad.as_slice());
        y[3..6].copy_from_slice(v.as_slice());
        Flight {
            setup,
            sequencer: Sequencer::new(setup.vehicle, setup.payload_kg),
            y,
            t: 0.0,
            log: Log {
                events: Vec::with_capacity(24),
                samples: Vec::new(),
                phase_names: Vec::new(),
                jettisoned: Vec::with_capacity(8),
                peaks: Vec::new(),
                max_accel_g: 0.0,
            },
            liftoff_speed_m_s: v.norm(),
            next_sample_s: 0.0,
            max_q_pa: 0.0,
            falling: false,
            reentry_max_q_pa: 0.0,
            steps: 0,
            coast_started_gravity_m_s: None,
            coast_exchange_m_s: 0.0,
            coasted_in_orbit: false,
            hold: LimitHold::default(),
        }
    }

    /// Record a limit-throttling event at `point`, in time order (at `index` when given: before
    /// the events of a change of the flight at the same instant).
    fn record_hold(&mut self, kind: EventKind, point: FlightPoint, index: Option<usize>) {
        let description = kind.describe(self.setup.vehicle);
        let at = index.unwrap_or_else(|| self.log.events.partition_point(|e| e.point.time_s <= point.time_s));
        self.log.events.insert(at, FlightEvent { kind, description, point });
    }

    /// End the hold going on, at `point` (or where a change of the flight was applied).
    fn end_hold(&mut self, point: FlightPoint, throttle: f64) {
        if let Some((limit, min_throttle)) = self.hold.active.take() {
            let (index, point, throttle) = match self.hold.before_change.take() {
                Some((index, before, throttle_before)) => (Some(index), before, throttle_before),
                None => (None, point, throttle),
            };
            self.record_hold(EventKind::LimitThrottleEnd { limit, throttle, min_throttle: min_throttle.min(throttle) }, point, index);
        }
    }

    /// The limit throttling at the end of a step flown in one configuration, `forces` at the
    /// current time: a start or end inside the step is located on its dense output.
    fn follow_hold_in_step<G: Guidance>(&mut self, guidance: &G, segment: &DenseSegment<STATE_DIM>, forces: &Forces) {
        let was = self.hold.active.map(|(limit, _)| limit);
        let (excess_start, excess_end) = (self.hold.excess_n, forces.limit_excess_n);
        self.hold.excess_n = excess_end;
        self.hold.throttle = forces.limit_throttle;
        if was == forces.limit {
            if let Some((_, min_throttle)) = self.hold.active.as_mut() {
                *min_throttle = min_throttle.min(forces.limit_throttle);
            }
            return;
        }
        let dynamics = dynamics(self.setup, self.sequencer.config(), guidance);
        let state = |t: f64| if t >= segment.t1 { segment.end() } else { segment.state_at(t) };
        // The excess changes sign where the hold starts or ends (a switch from one limit to the
        // other does not: it is put at the step's end, as is a start from where no limit was
        // watched).
        let t =
            locate_root(|t| dynamics.forces(t, &state(t)).limit_excess_n, segment.t0, excess_start, self.t, excess_end, EVENT_TOLERANCE_S);
        let (at, y) = if t >= self.t { (*forces, self.y) } else { (dynamics.forces(t, &state(t)), state(t)) };
        let point = dynamics.point(t, &y);
        if was.is_some() {
            self.end_hold(point, at.limit_throttle);
        }
        if let Some(limit) = forces.limit {
            self.record_hold(EventKind::LimitThrottleStart { limit, throttle: at.limit_throttle }, point, None);
            self.hold.active = Some((limit, at.limit_throttle.min(forces.limit_throttle)));
        }
    }

    /// Before a change of the flight is applied at the current state: where a limit is held,
    /// the state an end caused by the change is recorded at.
    fn before_change<G: Guidance>(&mut self, guidance: &G) {
        if self.hold.active.is_some() && self.hold.before_change.is_none() {
            let point = self.point(guidance, self.t, &self.y);
            self.hold.before_change = Some((self.log.events.len(), point, self.hold.throttle));
        }
    }

    /// The limit throttling after a change of the flight, `forces` at the current state in the
    /// new configuration: a hold the change ended ends where it was applied, one it started
    /// starts here.
    fn follow_hold_at_change<G: Guidance>(&mut self, guidance: &G, forces: &Forces) {
        self.hold.excess_n = forces.limit_excess_n;
        self.hold.throttle = forces.limit_throttle;
        let was = self.hold.active.map(|(limit, _)| limit);
        if was == forces.limit {
            if let Some((_, min_throttle)) = self.hold.active.as_mut() {
                *min_throttle = min_throttle.min(forces.limit_throttle);
            }
            self.hold.before_change = None;
            return;
        }
        let point = self.point(guidance, self.t, &self.y);
        if was.is_some() {
            self.end_hold(point, forces.limit_throttle);
        }
        self.hold.before_change = None;
        if let Some(limit) = forces.limit {
            self.record_hold(EventKind::LimitThrottleStart { limit, throttle: forces.limit_throttle }, point, None);
            self.hold.active = Some((limit, forces.limit_throttle));
        }
    }

    fn vehicle(&self) -> &'v Vehicle {
        self.setup.vehicle
    }

    fn point<G: Guidance>(&self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) -> FlightPoint {
        dynamics(self.setup, self.sequencer.config(), guidance).point(t, y)
    }

    fn push_event<G: Guidance>(&mut self, guidance: &G, kind: EventKind) {
        let point = self.point(guidance, self.t, &self.y);
        self.log.push(self.setup.vehicle, kind, point);
    }

    fn current_phase(&mut self) -> usize {
        let name = self.sequencer.config().phase_name(self.vehicle());
        match self.log.phase_names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                self.log.phase_names.push(name);
                self.log.phase_names.len() - 1
            }
        }
    }

    fn record_sample<G: Guidance>(&mut self, guidance: &G, t: f64, y: &[f64; STATE_DIM]) {
        let phase = self.current_phase();
        let point = self.point(guidance, t, y);
        self.log.samples.push(Sample { point, phase });
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

    fn guidance_update<G: Guidance>(&mut self, guidance: &mut G) {
        let input = dynamics(self.setup, self.sequencer.config(), &*guidance).forces(self.t, &self.y).input;
        if let Some(kind) = guidance.update(&input, None) {
            self.push_event(guidance, kind);
        }
    }

    /// Run a sequencer transition (or the liftoff, `None`) at the current state.
    fn transition<G: Guidance>(&mut self, guidance: &mut G, transition: Option<Transition>) -> Result<()> {
        let mut propellant_kg = [0.0; MAX_BURNING];
        propellant_kg.copy_from_slice(&self.y[6..6 + MAX_BURNING]);
        let mut recorder = Recorder { setup: self.setup, guidance, log: &mut self.log, t: self.t, y: self.y };
        match transition {
            Some(tr) => self.sequencer.apply(tr, self.t, &mut propellant_kg, &mut recorder)?,
            None => self.sequencer.liftoff(self.t, &mut propellant_kg, &mut recorder)?,
        }
        self.y[6..6 + MAX_BURNING].copy_from_slice(&propellant_kg);
        if self.sequencer.config().is_burning() {
            self.end_coast();
        }
        Ok(())
    }

    /// The gravity integral so far, m/s.
    fn gravity_integral_m_s(&self) -> f64 {
        self.y[LOSS_OFFSET + losses::GRAVITY]
    }

    /// Close a coast to a planned burn: its gravity integral goes to the coast exchange.
    fn end_coast(&mut self) {
        if let Some(start) = self.coast_started_gravity_m_s.take() {
            self.coast_exchange_m_s += self.gravity_integral_m_s() - start;
        }
    }

    /// After a (re)start: the g of every detector at `(t, y)` into `g`, and the time of the next
    /// time event (or the time limit). Both configuration and steering stay as they are until
    /// the next restart, so the time events are asked once here, not at every step.
    ///
    /// The forces there (which the max-Q detector has computed) follow the limit throttling.
    fn evaluate<G: Guidance>(&mut self, guidance: &G, detectors: &[&dyn EventDetector<G>], g: &mut [f64]) -> f64 {
        let dynamics = dynamics(self.setup, self.sequencer.config(), guidance);
        let state = EventState::new(self.t, self.y, &dynamics, &self.sequencer, self.falling);
        let mut t_next = self.setup.options.max_time_s;
        for (gi, d) in g.iter_mut().zip(detectors) {
            *gi = d.g(&state);
            t_next = t_next.min(d.next_time_s(&state));
        }
        let forces = *state.forces();
        self.follow_hold_at_change(guidance, &forces);
        t_next
    }

    /// An observation at `t` inside the step (an action that changes nothing).
    fn observe<G: Guidance>(&mut self, guidance: &G, segment: &DenseSegment<STATE_DIM>, t: f64, action: Action) {
        match action {
            Action::Record(kind) => {
                self.record_samples_until(guidance, segment, t);
                let point = self.point(guidance, t, &segment.state_at(t));
                // An apogee with nothing left to ignite ends the ascent: what follows is the fall.
                self.falling |= kind == EventKind::Apogee && !self.sequencer.ignition_pending() && !guidance.burns_planned();
                self.log.push(self.setup.vehicle, kind, point);
            }
            Action::RecordPeak(kind) => {
                let point = self.point(guidance, t, &segment.state_at(t));
                self.log.peak(self.setup.vehicle, kind, point);
            }
            _ => {}
        }
    }

    fn run<G: Guidance>(mut self, guidance: &mut G, detectors: &[&dyn EventDetector<G>]) -> Result<FlightResult> {
        let n = detectors.len();
        // Scratch built once per flight: g at both ends of the step, the crossings found in it.
        let mut g_start = vec![0.0; n];
        let mut g_end = vec![0.0; n];
        let mut crossings: Vec<Crossing> = Vec::with_capacity(n);
        let mut ties: Vec<usize> = Vec::with_capacity(n);
        self.transition(guidance, None)?;
        let max_time_s = self.setup.options.max_time_s;
        let mut integrator = DormandPrince::new(self.setup.options.integrator, self.t, self.y);
        let mut t_next = self.evaluate(guidance, detectors, &mut g_start);
        let outcome = 'flight: loop {
            crossings.clear();
            // Time events clip the step so that it ends exactly on the next one; one due within
            // the tolerance (or past) is applied at once, without a step shorter than any the
            // integrator can take (an ignition delay of 1e-299 s).
            let t_limit = if t_next <= self.t + TIME_EVENT_TOLERANCE_S { self.t } else { t_next };
            let segment;
            let (t_cut, cut, end_forces) = {
                let dynamics = dynamics(self.setup, self.sequencer.config(), &*guidance);
                let stepping = StepDynamics::new(&dynamics);
                segment = integrator
                    .step(&stepping, t_limit)
                    .map_err(|e| Error::Integration { time_s: integrator.time(), reason: e.to_string() })?;
                let y_end = segment.end();
                // Every step's end needs the forces (impact reads the altitude): those of the
                // integrator's last evaluation, which is there.
                let end_forces = stepping.forces(segment.t1, &y_end);
                let end = EventState::new(segment.t1, y_end, &dynamics, &self.sequencer, self.falling).with_forces(&end_forces);
                for (gi, d) in g_end.iter_mut().zip(detectors) {
                    *gi = d.g(&end);
                }
                for (i, d) in detectors.iter().enumerate() {
                    if !d.direction().crossed(g_start[i], g_end[i]) {
                        continue;
                    }
                    let start = EventState::new(self.t, self.y, &dynamics, &self.sequencer, self.falling);
                    if !d.watches(&start, &end) {
                        continue;
                    }
                    let at = |t: f64| EventState::new(t, segment.state_at(t), &dynamics, &self.sequencer, self.falling);
                    let t = locate_root(|t| d.g(&at(t)), segment.t0, g_start[i], segment.t1, g_end[i], EVENT_TOLERANCE_S);
                    crossings.push((t, i, d.action(&at(t))));
                }
                // The earliest action that changes the flight cuts the step (ties: list order).
                let mut cut: Option<usize> = None;
                for (k, c) in crossings.iter().enumerate() {
                    if c.2.ends_step() && cut.is_none_or(|j| c.0 < crossings[j].0) {
                        cut = Some(k);
                    }
                }
                (cut.map_or(segment.t1, |k| crossings[k].0), cut, end_forces)
            };
            self.steps += 1;
            let cut_action = cut.map(|k| std::mem::replace(&mut crossings[k].2, Action::Continue));
            // Other changes found at the same instant (two stages burning out together): applied
            // right after the first, in list order, if they still hold then.
            ties.clear();
            ties.extend(crossings.iter().filter(|c| c.2.ends_step() && c.0 <= t_cut + EVENT_TOLERANCE_S).map(|c| c.1));
            ties.sort_unstable();

            // Observations up to the cut, in time order.
            crossings.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (t, _, action) in crossings.drain(..) {
                if t <= t_cut && !action.ends_step() {
                    self.observe(guidance, &segment, t, action);
                }
            }

            self.record_samples_until(guidance, &segment, t_cut);
            self.t = t_cut;
            self.y = if t_cut >= segment.t1 { segment.end() } else { segment.state_at(t_cut) };
            // The configuration is still the step's: at its end, its end's forces.
            let forces = if t_cut >= segment.t1 {
                end_forces
            } else {
                dynamics(self.setup, self.sequencer.config(), &*guidance).forces(self.t, &self.y)
            };
            self.log.max_accel_g = self.log.max_accel_g.max(forces.axial_accel_g());
            self.follow_hold_in_step(&*guidance, &segment, &forces);
            if self.falling {
                self.reentry_max_q_pa = self.reentry_max_q_pa.max(forces.dynamic_pressure_pa);
            } else {
                self.max_q_pa = self.max_q_pa.max(forces.dynamic_pressure_pa);
            }
            if self.coasted_in_orbit && !self.setup.options.follow_suborbital_fall && forces.input.altitude_m < REENTRY_ALTITUDE_M {
                return Err(Error::Unreachable(format!(
                    "the vehicle comes back from its orbit into the air under {:.0} km at t = {:.1} s: it re-enters before its planned burns are flown",
                    REENTRY_ALTITUDE_M / 1e3,
                    self.t
                )));
            }

            let mut restart = false;
            if let Some(action) = cut_action.clone() {
                self.before_change(&*guidance);
                if let Some(outcome) = self.act(guidance, action)? {
                    break outcome;
                }
                restart = true;
                for &i in &ties {
                    let d = detectors[i];
                    let action = {
                        let dynamics = dynamics(self.setup, self.sequencer.config(), &*guidance);
                        let now = EventState::new(self.t, self.y, &dynamics, &self.sequencer, self.falling);
                        if !(d.watches(&now, &now) && d.direction().crossed(g_start[i], d.g(&now))) {
                            continue;
                        }
                        d.action(&now)
                    };
                    if let Some(outcome) = self.act(guidance, action)? {
                        break 'flight outcome;
                    }
                }
            }
            if cut_action.is_none() && self.t >= t_limit {
                if self.t >= max_time_s {
                    break FlightOutcome::TimeLimit;
                }
                self.before_change(&*guidance);
                if let Some(outcome) = self.apply_time_events(guidance, detectors)? {
                    break outcome;
                }
                restart = true;
            }
            if restart && self.sequencer.is_exhausted() {
                // Nothing left to burn: in orbit, or coast to the ground.
                let elements = OrbitalElements::from_state(
                    &Vector3::new(self.y[0], self.y[1], self.y[2]),
                    &Vector3::new(self.y[3], self.y[4], self.y[5]),
                    MU_EARTH_M3_S2,
                );
                let in_orbit = elements.perigee_altitude_m() > self.setup.options.orbit_perigee_min_m;
                if guidance.burns_planned() {
                    if self.coast_started_gravity_m_s.is_none() {
                        self.coast_started_gravity_m_s = Some(self.gravity_integral_m_s());
                    }
                    self.coasted_in_orbit = true;
                    // A coast to a planned burn: it must stay in orbit.
                    if !in_orbit {
                        return Err(Error::Unreachable(format!(
                            "the coast after the engines stop at t = {:.1} s would re-enter: perigee {:.1} km, below the {:.0} km a coast to the next burn needs",
                            self.t,
                            elements.perigee_altitude_m() / 1e3,
                            self.setup.options.orbit_perigee_min_m / 1e3
                        )));
                    }
                } else if in_orbit {
                    self.push_event(guidance, EventKind::Insertion);
                    break FlightOutcome::Orbit;
                } else if !self.setup.options.follow_suborbital_fall {
                    break FlightOutcome::BurnedOutShort;
                } else {
                    // Already coming down when the engines stop: the fall starts here.
                    let radial_m2_s = self.y[0] * self.y[3] + self.y[1] * self.y[4] + self.y[2] * self.y[5];
                    self.falling |= radial_m2_s <= 0.0;
                }
            }
            if restart {
                integrator.reset(self.t, self.y);
                t_next = self.evaluate(guidance, detectors, &mut g_start);
            } else {
                std::mem::swap(&mut g_start, &mut g_end);
            }
        };
        self.finish(guidance, outcome)
    }

    /// Apply an action at the current state; `Some` when it ends the flight.
    fn act<G: Guidance>(&mut self, guidance: &mut G, action: Action) -> Result<Option<FlightOutcome>> {
        match action {
            Action::Transition(tr) => self.transition(guidance, Some(tr))?,
            Action::UpdateGuidance => self.guidance_update(guidance),
            Action::Stop { event, outcome } => {
                self.push_event(guidance, event);
                return Ok(Some(outcome));
            }
            Action::Record(kind) | Action::RecordPeak(kind) => self.push_event(guidance, kind),
            Action::Continue => {}
        }
        Ok(None)
    }

    /// Apply, in list order, the action of every time event due now (each asked after the
    /// previous one acted, as an action may move another's time).
    fn apply_time_events<G: Guidance>(&mut self, guidance: &mut G, detectors: &[&dyn EventDetector<G>]) -> Result<Option<FlightOutcome>> {
        for d in detectors {
            let action = {
                let dynamics = dynamics(self.setup, self.sequencer.config(), &*guidance);
                let state = EventState::new(self.t, self.y, &dynamics, &self.sequencer, self.falling);
                if d.next_time_s(&state) > self.t + TIME_EVENT_TOLERANCE_S {
                    continue;
                }
                d.action(&state)
            };
            if let Some(outcome) = self.act(guidance, action)? {
                return Ok(Some(outcome));
            }
        }
        Ok(None)
    }

    /// Usable propellant aboard: in the burning slots and left by a cutoff in attached stages.
    fn remaining_propellant_kg(&self) -> f64 {
        let config = self.sequencer.config();
        let burning: f64 = (0..MAX_BURNING).filter(|&k| config.slots[k].is_some()).map(|k| self.y[6 + k].max(0.0)).sum();
        let shut: f64 = (0..self.vehicle().stages.len()).filter(|&i| config.is_attached(i)).map(|i| config.shutdown_propellant_kg[i]).sum();
        burning + shut
    }

    fn finish<G: Guidance>(mut self, guidance: &G, outcome: FlightOutcome) -> Result<FlightResult> {
        // A hold still going on ends with the flight (or where the change that ended it was
        // applied: a cutoff into orbit).
        if self.hold.active.is_some() {
            let point = self.point(guidance, self.t, &self.y);
            let throttle = self.hold.throttle;
            self.end_hold(point, throttle);
        }
        for peak in std::mem::take(&mut self.log.peaks) {
            let q = peak.point.dynamic_pressure_pa;
            match peak.kind {
                EventKind::ReentryMaxQ => self.reentry_max_q_pa = self.reentry_max_q_pa.max(q),
                _ => self.max_q_pa = self.max_q_pa.max(q),
            }
            let at = self.log.events.partition_point(|e| e.point.time_s <= peak.point.time_s);
            self.log.events.insert(at, peak);
        }
        if self.setup.options.sample_interval_s.is_some() {
            let (t, y) = (self.t, self.y);
            if self.log.samples.last().is_none_or(|s| s.point.time_s < t) {
                self.record_sample(guidance, t, &y);
            }
        }
        self.end_coast();
        let final_point = self.point(guidance, self.t, &self.y);
        let remaining_propellant_kg = self.remaining_propellant_kg();
        let final_orbit = OrbitalElements::from_state(&final_point.position_eci_m, &final_point.velocity_eci_m_s, MU_EARTH_M3_S2);
        if !(final_point.speed_m_s.is_finite() && final_point.mass_kg.is_finite()) {
            return Err(Error::Integration { time_s: self.t, reason: "non-finite final state".to_owned() });
        }
        Ok(FlightResult {
            events: self.log.events,
            samples: self.log.samples,
            phase_names: self.log.phase_names,
            jettisoned: self.log.jettisoned,
            final_point,
            final_orbit,
            outcome,
            max_dynamic_pressure_pa: self.max_q_pa,
            reentry_max_dynamic_pressure_pa: self.falling.then_some(self.reentry_max_q_pa),
            max_axial_accel_g: self.log.max_accel_g,
            remaining_propellant_kg,
            steps: self.steps,
            loss_budget: LossBudget::from_state(&self.y, self.coast_exchange_m_s, self.liftoff_speed_m_s, final_point.speed_m_s),
        })
    }
}

/// Whether a stage ignites at liftoff (for front ends).
pub fn ignites_at_liftoff(vehicle: &Vehicle, stage: usize) -> bool {
    vehicle.stages.get(stage).is_some_and(|s| s.ignition == Ignition::Liftoff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::elements::j2_nodal_regression_rad_s;

    /// Falcon 9 with `limits` for its file's `[limits]`.
    fn falcon_9(limits: &str) -> Vehicle {
        let text = crate::vehicle::catalog::catalog_vehicle("falcon-9-block-5").expect("catalog");
        assert!(text.contains("max_accel_g = 6.0"), "the test replaces the file's [limits]");
        Vehicle::from_toml(&text.replace("max_accel_g = 6.0", limits), "falcon-9-limited.toml").expect("valid").0
    }

    /// Falcon 9 flown open-loop from Cape Canaveral with 15 t, up to `max_time_s`.
    fn fly_falcon_9(vehicle: &Vehicle, max_time_s: f64) -> FlightResult {
        use crate::guidance::{AscentParameters, AscentProgram};
        let launch = Launch { latitude_deg: 28.56, longitude_deg: -80.58, altitude_m: 0.0, azimuth_deg: 90.0 };
        let setup =
            FlightSetup { vehicle, payload_kg: 15_000.0, launch, options: FlightOptions { max_time_s, ..FlightOptions::default() } };
        fly(&setup, &mut AscentProgram::new(AscentParameters::default(), vehicle, &launch)).expect("flown")
    }

    fn holds(flight: &FlightResult) -> Vec<&FlightEvent> {
        flight
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::LimitThrottleStart { .. } | EventKind::LimitThrottleEnd { .. }))
            .collect()
    }

    /// A 30 kPa max-Q limit (the free ascent peaks near 35 kPa) is held by throttling: exactly
    /// one start and one end, in order, bracketing max-Q, the deepest throttle between. The
    /// start is located inside its step, where the engines leave the free flight's thrust.
    #[test]
    fn a_max_q_hold_has_one_start_and_one_end_around_max_q() {
        let (free_vehicle, vehicle) = (falcon_9(""), falcon_9("max_q_kpa = 30.0"));
        let free = fly_falcon_9(&free_vehicle, 7200.0);
        assert!(free.max_dynamic_pressure_pa > 33e3, "the free flight must exceed the limit: {}", free.max_dynamic_pressure_pa);
        assert!(holds(&free).is_empty(), "no limit, no hold");
        let flight = fly_falcon_9(&vehicle, 7200.0);
        let events = holds(&flight);
        assert_eq!(events.len(), 2, "{:#?}", events.iter().map(|e| &e.description).collect::<Vec<_>>());
        let (start, end) = (events[0], events[1]);
        let max_q = flight.event(&EventKind::MaxQ).expect("max-Q");
        let EventKind::LimitThrottleStart { limit: ThrottleLimit::MaxQ, throttle } = start.kind else { panic!("{:?}", start.kind) };
        assert!((throttle - 1.0).abs() < 1e-6, "the hold starts at full thrust: {throttle}");
        let EventKind::LimitThrottleEnd { limit: ThrottleLimit::MaxQ, throttle, min_throttle } = end.kind else { panic!("{:?}", end.kind) };
        assert!((throttle - 1.0).abs() < 1e-6 && (0.39..0.95).contains(&min_throttle), "{throttle} {min_throttle}");
        assert!(start.point.time_s < max_q.point.time_s && max_q.point.time_s < end.point.time_s);
        assert!(start.point.dynamic_pressure_pa < 30e3 && end.point.dynamic_pressure_pa <= 30e3);
        assert_eq!(start.description, "throttling to hold max-Q 30.0 kPa");
        assert!(end.description.starts_with("end of max-Q 30.0 kPa throttling, min "), "{}", end.description);
        assert!(flight.events.windows(2).all(|w| w[0].point.time_s <= w[1].point.time_s), "in time order");
        // Up to the start the limited flight is the free one; 50 ms after it, it throttles.
        let t = start.point.time_s;
        assert_eq!(fly_falcon_9(&vehicle, t - 0.05).final_point, fly_falcon_9(&free_vehicle, t - 0.05).final_point);
        assert!(fly_falcon_9(&vehicle, t + 0.05).final_point.thrust_n < fly_falcon_9(&free_vehicle, t + 0.05).final_point.thrust_n - 1e3);
    }

    /// A vehicle whose limit is never reached gets no hold events. A 4 g limit binds at the
    /// end of each stage's burn (the open-loop ascent burns the second stage out) and ends with
    /// it: each end is recorded just before its burnout, at the same instant, with the throttle
    /// flown there, its deepest.
    #[test]
    fn an_acceleration_hold_ends_at_burnout_and_an_unreached_limit_has_none() {
        let flight = fly_falcon_9(&falcon_9("max_accel_g = 8.0\nmax_q_kpa = 60.0"), 7200.0);
        assert!(flight.max_axial_accel_g < 8.0 && flight.max_dynamic_pressure_pa < 60e3);
        assert!(holds(&flight).is_empty(), "{:?}", holds(&flight));
        let flight = fly_falcon_9(&falcon_9("max_accel_g = 4.0"), 7200.0);
        let events = holds(&flight);
        let list = || flight.events.iter().map(|e| (e.point.time_s, &e.description)).collect::<Vec<_>>();
        assert_eq!(events.len(), 4, "{:#?}", list());
        for (stage, pair) in events.chunks(2).enumerate() {
            let EventKind::LimitThrottleStart { limit: ThrottleLimit::Acceleration, .. } = pair[0].kind else {
                panic!("{:?}", pair[0].kind)
            };
            let EventKind::LimitThrottleEnd { limit: ThrottleLimit::Acceleration, throttle, min_throttle } = pair[1].kind else {
                panic!("{:?}", pair[1].kind)
            };
            assert!(throttle < 0.95 && (min_throttle - throttle).abs() < 1e-3, "{throttle} {min_throttle}");
            let burnout = flight.events.iter().position(|e| e.kind == EventKind::Burnout { stage }).expect("burnout");
            let end = flight.events.iter().position(|e| std::ptr::eq(e, pair[1])).expect("end");
            assert_eq!(end + 1, burnout, "the end comes just before the burnout: {:#?}", list());
            assert_eq!(flight.events[end].point.time_s, flight.events[burnout].point.time_s);
            assert!((flight.events[end].point.axial_accel_g - 4.0).abs() < 0.01);
            assert!((pair[0].point.axial_accel_g - 4.0).abs() < 1e-3, "the start is located where 4 g is reached");
        }
    }

    /// Ariane 5's Vulcain burns 2,291 kg on the pad before the boosters light and the vehicle
    /// is released: its ignition comes first, with the vehicle as fuelled; the liftoff gives
    /// the mass at release (the vehicle's liftoff mass) and the boosters light at it.
    #[test]
    fn the_liftoff_gives_the_mass_at_release_after_the_pad_burn() {
        use crate::guidance::{AscentParameters, AscentProgram};
        let vehicle = crate::vehicle::resolve_vehicle("ariane-5-eca").expect("catalog").0;
        let launch = Launch { latitude_deg: 5.24, longitude_deg: -52.77, altitude_m: 0.0, azimuth_deg: 90.0 };
        let options = FlightOptions { max_time_s: 5.0, ..FlightOptions::default() };
        let setup = FlightSetup { vehicle: &vehicle, payload_kg: 10_000.0, launch, options };
        let flight = fly(&setup, &mut AscentProgram::new(AscentParameters::default(), &vehicle, &launch)).expect("flown");
        let kinds: Vec<&EventKind> = flight.events.iter().take(3).map(|e| &e.kind).collect();
        assert_eq!(kinds, [&EventKind::Ignition { stage: 1 }, &EventKind::Liftoff, &EventKind::Ignition { stage: 0 }]);
        let startup_kg = vehicle.stages[1].startup_mass_kg();
        assert!(startup_kg > 2000.0);
        let [pad, liftoff, boosters] = [0, 1, 2].map(|k| flight.events[k].point);
        let release_kg = vehicle.liftoff_mass_kg(10_000.0);
        assert!((liftoff.mass_kg - release_kg).abs() < 1e-6, "{} against {release_kg}", liftoff.mass_kg);
        assert!((pad.mass_kg - liftoff.mass_kg - startup_kg).abs() < 1e-6, "the pad burn is the difference");
        assert!((boosters.mass_kg - release_kg).abs() < 1e-6);
        // The Vulcain burns at release; the boosters add theirs.
        assert!(liftoff.thrust_n > 0.0 && liftoff.thrust_n == pad.thrust_n && boosters.thrust_n > 5.0 * liftoff.thrust_n);
        assert!(flight.events[0].description.starts_with("ignition of EPC"));
    }

    /// A steering law for a coast: nothing burns, any direction.
    struct Coast;
    impl Guidance for Coast {
        fn thrust_direction(&self, input: &super::super::GuidanceInput) -> Vector3<f64> {
            input.up
        }
    }

    /// Ten orbits of coast with the flight's own dynamics and default tolerances (J2, 700 km,
    /// 51.9°): steps of the integrator's largest size, energy `v²/2 − U` conserved to 1e-6
    /// and the node regressing as the J2 closed form says, within 1 %.
    #[test]
    fn a_ten_orbit_coast_conserves_energy_and_regresses_the_node() {
        let vehicle = crate::vehicle::resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let mut config = Configuration::on_pad(&vehicle, 1000.0);
        config.attached = 0;
        config.refresh(&vehicle, 1000.0);
        let options = FlightOptions::default();
        let dynamics = Dynamics { vehicle: &vehicle, config: &config, guidance: &Coast, gravity: options.gravity, atmosphere: false };
        let (a, inclination) = (crate::environment::earth::WGS84_A_M + 700e3, 51.9f64.to_radians());
        let speed = (MU_EARTH_M3_S2 / a).sqrt();
        let mut y = [0.0; STATE_DIM];
        y[0] = a;
        y[4] = speed * inclination.cos();
        y[5] = speed * inclination.sin();
        let energy = |y: &[f64; STATE_DIM]| {
            let (r, v) = (Vector3::new(y[0], y[1], y[2]), Vector3::new(y[3], y[4], y[5]));
            0.5 * v.norm_squared() - options.gravity.potential(&r)
        };
        let node = |y: &[f64; STATE_DIM]| {
            OrbitalElements::from_state(&Vector3::new(y[0], y[1], y[2]), &Vector3::new(y[3], y[4], y[5]), MU_EARTH_M3_S2).raan_rad
        };
        let e0 = energy(&y);
        let omega0 = node(&y);
        let period_s = 2.0 * std::f64::consts::PI * (a.powi(3) / MU_EARTH_M3_S2).sqrt();
        let t_end = 10.0 * period_s;
        let mut integrator = DormandPrince::new(options.integrator, 0.0, y);
        let mut t = 0.0;
        let mut steps = 0;
        while t < t_end {
            let segment = integrator.step(&dynamics, t_end).expect("step");
            t = segment.t1;
            y = segment.end();
            steps += 1;
        }
        assert!(steps < 12 * (period_s / options.integrator.max_step_s).ceil() as usize, "{steps} steps");
        // 1e-6 of the energy is 14 m of semi-major axis after ten orbits.
        assert!(((energy(&y) - e0) / e0).abs() < 1e-6, "energy drift {}", (energy(&y) - e0) / e0);
        let drift = crate::units::wrap_pi(node(&y) - omega0);
        let closed_form = j2_nodal_regression_rad_s(a, 0.0, inclination) * t_end;
        assert!(((drift - closed_form) / closed_form).abs() < 0.01, "node {} vs {} deg", drift.to_degrees(), closed_form.to_degrees());
    }
}
