//! What a flight produces: the event list, sampled trajectory, the states of jettisoned bodies
//! and the final state. Plain data for the writers.

use nalgebra::Vector3;

use crate::environment::earth::MU_EARTH_M3_S2;
use crate::environment::elements::OrbitalElements;
use crate::vehicle::{StageKind, Vehicle};

/// Kind of a flight event.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// Engines of the liftoff stages start and the vehicle leaves the pad.
    Liftoff,
    /// Vertical rise ends and the pitch-over kick starts.
    PitchOver,
    /// The pitch-over kick ends and the zero-angle-of-attack gravity turn starts.
    GravityTurn,
    /// The steering law above the atmosphere takes over.
    Steering,
    /// A stage ignites.
    Ignition {
        /// Stage index in the vehicle.
        stage: usize,
    },
    /// A stage changes throttle.
    Throttle {
        /// Stage index.
        stage: usize,
        /// New throttle level.
        level: f64,
    },
    /// Guidance shut the engines of a stage down before burnout (the target orbit is reached).
    Cutoff {
        /// Stage index.
        stage: usize,
    },
    /// The main engines of a stage are cut off and its burn-on engines burn on alone from the
    /// same tanks ([`crate::vehicle::Stage::burn_on_engine`]).
    MainEngineCutoff {
        /// Stage index.
        stage: usize,
    },
    /// A restartable stage that was cut off ignites again.
    Restart {
        /// Stage index.
        stage: usize,
        /// The burn this starts, counting the first ignition as 1.
        burn: u32,
    },
    /// The empty drop tank of a stage is jettisoned.
    TankDrop {
        /// Stage index.
        stage: usize,
    },
    /// A stage has used its usable propellant.
    Burnout {
        /// Stage index.
        stage: usize,
    },
    /// A stage leaves the vehicle.
    Separation {
        /// Stage index.
        stage: usize,
    },
    /// The payload fairing is jettisoned.
    FairingJettison,
    /// A `[[jettison]]` item of the vehicle (interstage, escape tower) is dropped.
    Jettison {
        /// Index of the item in the vehicle's `jettison` list.
        item: usize,
    },
    /// Maximum dynamic pressure of the ascent.
    MaxQ,
    /// The liquid engines start throttling to hold a limit of the vehicle's `[limits]` (the
    /// max-Q throttle bucket, the acceleration held near the end of a burn).
    LimitThrottleStart {
        /// The limit held.
        limit: ThrottleLimit,
        /// The liquid engines' vacuum thrust at the event as a share of what their throttle
        /// schedules ask (1 where the hold begins between two steps: the engines are about to
        /// throttle down).
        throttle: f64,
    },
    /// The liquid engines stop throttling for that limit: they are back at their scheduled
    /// thrust, or the throttled burn ends (burnout, cutoff, the end of the flight).
    LimitThrottleEnd {
        /// The limit that was held.
        limit: ThrottleLimit,
        /// The share of the scheduled thrust at the event (1 when the engines come back up).
        throttle: f64,
        /// The deepest share of the hold, at the integrator's step ends and the hold's ends.
        min_throttle: f64,
    },
    /// Peak dynamic pressure of a fall back after the ascent's apogee.
    ReentryMaxQ,
    /// The flight reached orbit: the last stage burned out with a perigee above the atmosphere.
    Insertion,
    /// Highest point of a ballistic arc.
    Apogee,
    /// The vehicle meets the ellipsoid (altitude 0).
    Impact,
    /// An event of a detector the caller added ([`super::fly_with`]), by its name.
    Custom {
        /// Short name, used as the kind's name and description.
        name: &'static str,
    },
}

impl EventKind {
    /// Short machine-readable name (`separation`), used in `events.json`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Liftoff => "liftoff",
            EventKind::PitchOver => "pitch_over",
            EventKind::GravityTurn => "gravity_turn",
            EventKind::Steering => "steering",
            EventKind::Ignition { .. } => "ignition",
            EventKind::Throttle { .. } => "throttle",
            EventKind::Cutoff { .. } => "cutoff",
            EventKind::MainEngineCutoff { .. } => "main_engine_cutoff",
            EventKind::Restart { .. } => "restart",
            EventKind::TankDrop { .. } => "tank_drop",
            EventKind::Burnout { .. } => "burnout",
            EventKind::Separation { .. } => "separation",
            EventKind::FairingJettison => "fairing_jettison",
            EventKind::Jettison { .. } => "jettison",
            EventKind::MaxQ => "max_q",
            EventKind::LimitThrottleStart { limit: ThrottleLimit::MaxQ, .. } => "max_q_throttle_start",
            EventKind::LimitThrottleEnd { limit: ThrottleLimit::MaxQ, .. } => "max_q_throttle_end",
            EventKind::LimitThrottleStart { limit: ThrottleLimit::Acceleration, .. } => "accel_throttle_start",
            EventKind::LimitThrottleEnd { limit: ThrottleLimit::Acceleration, .. } => "accel_throttle_end",
            EventKind::ReentryMaxQ => "reentry_max_q",
            EventKind::Insertion => "insertion",
            EventKind::Apogee => "apogee",
            EventKind::Impact => "impact",
            EventKind::Custom { name } => name,
        }
    }

    /// Human-readable description naming the stage or item (`separation of URM-1 boosters`).
    pub fn describe(&self, vehicle: &crate::vehicle::Vehicle) -> String {
        let name = |i: usize| vehicle.stages.get(i).map_or("?", |s| s.name.as_str());
        match self {
            EventKind::Liftoff => "liftoff".to_owned(),
            EventKind::PitchOver => "end of vertical rise, pitch-over".to_owned(),
            EventKind::GravityTurn => "gravity turn (zero angle of attack)".to_owned(),
            EventKind::Steering => "upper-stage steering".to_owned(),
            EventKind::Ignition { stage } => format!("ignition of {}", name(*stage)),
            EventKind::Throttle { stage, level } => format!("{} throttle to {:.0} %", name(*stage), level * 100.0),
            EventKind::Cutoff { stage } => format!("engine cutoff of {}", name(*stage)),
            EventKind::MainEngineCutoff { stage } => {
                let tail = vehicle.stages.get(*stage).and_then(|s| s.burn_on_engine.as_ref()).map_or("?", |e| e.id.as_str());
                format!("main-engine cutoff of {}, {tail} burning on", name(*stage))
            }
            EventKind::Restart { stage, burn } => format!("burn {burn} of {}", name(*stage)),
            EventKind::TankDrop { stage } => {
                format!("jettison of {}", vehicle.stages.get(*stage).and_then(|s| s.drop_tank.as_ref()).map_or("?", |t| t.name.as_str()))
            }
            EventKind::Burnout { stage } => format!("burnout of {}", name(*stage)),
            EventKind::Separation { stage } => format!("separation of {}", name(*stage)),
            EventKind::FairingJettison => "fairing jettison".to_owned(),
            EventKind::Jettison { item } => format!("jettison of {}", vehicle.jettison.get(*item).map_or("?", |j| j.name.as_str())),
            EventKind::MaxQ => "maximum dynamic pressure".to_owned(),
            EventKind::LimitThrottleStart { limit, .. } => format!("throttling to hold {}", limit.describe(vehicle)),
            EventKind::LimitThrottleEnd { limit, min_throttle, .. } => {
                format!("end of {} throttling, min {:.0} %", limit.describe(vehicle), min_throttle * 100.0)
            }
            EventKind::ReentryMaxQ => "peak dynamic pressure of the fall".to_owned(),
            EventKind::Insertion => "orbit insertion".to_owned(),
            EventKind::Apogee => "apogee".to_owned(),
            EventKind::Impact => "impact".to_owned(),
            EventKind::Custom { name } => (*name).to_owned(),
        }
    }

    /// The stage the event concerns, if any.
    pub fn stage(&self) -> Option<usize> {
        match *self {
            EventKind::Ignition { stage }
            | EventKind::Throttle { stage, .. }
            | EventKind::Burnout { stage }
            | EventKind::Cutoff { stage }
            | EventKind::MainEngineCutoff { stage }
            | EventKind::Restart { stage, .. }
            | EventKind::TankDrop { stage }
            | EventKind::Separation { stage } => Some(stage),
            _ => None,
        }
    }
}

/// A limit of the vehicle's `[limits]` that the liquid engines throttle to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleLimit {
    /// The maximum dynamic pressure, `max_q_kpa`.
    MaxQ,
    /// The maximum axial acceleration, `max_accel_g`.
    Acceleration,
}

impl ThrottleLimit {
    /// The limit with its value in the vehicle's units (`max-Q 30.0 kPa`, `6.0 g`).
    pub fn describe(self, vehicle: &crate::vehicle::Vehicle) -> String {
        match self {
            ThrottleLimit::MaxQ => format!("max-Q {:.1} kPa", vehicle.limits.max_q_pa.unwrap_or(f64::NAN) / 1e3),
            ThrottleLimit::Acceleration => format!("{:.1} g", vehicle.limits.max_accel_g.unwrap_or(f64::NAN)),
        }
    }
}

/// Flight quantities at one instant, as the trajectory table and events report them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightPoint {
    /// Time since liftoff, s.
    pub time_s: f64,
    /// Position in the inertial frame aligned with Earth-fixed at liftoff, m.
    pub position_eci_m: Vector3<f64>,
    /// Inertial velocity, m/s.
    pub velocity_eci_m_s: Vector3<f64>,
    /// Geodetic altitude above WGS-84, m.
    pub altitude_m: f64,
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east in (-180, 180].
    pub longitude_deg: f64,
    /// Inertial speed, m/s.
    pub speed_m_s: f64,
    /// Speed relative to the co-rotating air, m/s.
    pub air_speed_m_s: f64,
    /// Inertial flight-path angle above the local horizontal, degrees.
    pub flight_path_angle_deg: f64,
    /// Vehicle mass, kg.
    pub mass_kg: f64,
    /// Total thrust, N.
    pub thrust_n: f64,
    /// Dynamic pressure ½ρv², Pa.
    pub dynamic_pressure_pa: f64,
    /// Mach number of the air-relative speed.
    pub mach: f64,
    /// Acceleration along the vehicle axis from thrust and drag, in g0.
    pub axial_accel_g: f64,
}

/// One event with the flight state when it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightEvent {
    /// What happened.
    pub kind: EventKind,
    /// Human-readable description naming the stage (`separation of URM-1 boosters`).
    pub description: String,
    /// State at the event.
    pub point: FlightPoint,
}

impl FlightPoint {
    /// The numeric figures of a trajectory-table row, in its column order: time, altitude,
    /// latitude, longitude, speed, air speed, flight-path angle, mass, thrust, dynamic pressure,
    /// Mach, axial acceleration (the writers and the reports check the same figures).
    pub fn table_figures(&self) -> [f64; 12] {
        [
            self.time_s,
            self.altitude_m,
            self.latitude_deg,
            self.longitude_deg,
            self.speed_m_s,
            self.air_speed_m_s,
            self.flight_path_angle_deg,
            self.mass_kg,
            self.thrust_n,
            self.dynamic_pressure_pa,
            self.mach,
            self.axial_accel_g,
        ]
    }
}

/// One row of the sampled trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Flight quantities.
    pub point: FlightPoint,
    /// Index into [`FlightResult::phase_names`]: what burns (`URM-1 boosters+URM-1 core`, `coast`).
    pub phase: usize,
}

/// A body that left the vehicle: its state at separation seeds its ballistic fall.
#[derive(Debug, Clone, PartialEq)]
pub struct JettisonedBody {
    /// Name (`URM-1 boosters`, `fairing`).
    pub name: String,
    /// Stage index; `None` for the fairing.
    pub stage: Option<usize>,
    /// Kind of stage, `None` for the fairing.
    pub kind: Option<StageKind>,
    /// Identical bodies leaving together (4 boosters, 2 fairing halves).
    pub count: u32,
    /// Mass of one body, kg.
    pub mass_kg: f64,
    /// State at separation.
    pub point: FlightPoint,
}

/// How the flight ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlightOutcome {
    /// The last stage burned out in orbit.
    Orbit,
    /// The vehicle came back to the ground.
    Impact,
    /// The time limit ended the flight.
    TimeLimit,
    /// The last stage burned out short of orbit and the fall was not followed
    /// ([`crate::flight::FlightOptions::follow_suborbital_fall`] off).
    BurnedOutShort,
}

/// Everything one flight produces.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightResult {
    /// Events in time order.
    pub events: Vec<FlightEvent>,
    /// Sampled trajectory (empty when sampling is off).
    pub samples: Vec<Sample>,
    /// Names of the burn phases the samples refer to.
    pub phase_names: Vec<String>,
    /// Jettisoned stages and fairing, in order of separation.
    pub jettisoned: Vec<JettisonedBody>,
    /// Final state.
    pub final_point: FlightPoint,
    /// Osculating orbit at the end (also for suborbital ends, for the record).
    pub final_orbit: OrbitalElements,
    /// How the flight ended.
    pub outcome: FlightOutcome,
    /// Highest dynamic pressure of the ascent, Pa: up to the apogee of the final coast when the
    /// vehicle falls back ([`FlightResult::ascent_end`]), so a re-entry does not count as max-Q.
    pub max_dynamic_pressure_pa: f64,
    /// Highest dynamic pressure of the fall after that apogee, Pa (`None`: no fall back).
    pub reentry_max_dynamic_pressure_pa: Option<f64>,
    /// Highest axial acceleration, g0.
    pub max_axial_accel_g: f64,
    /// Usable propellant still aboard at the end (left by a guidance cutoff), kg.
    pub remaining_propellant_kg: f64,
    /// Accepted integration steps.
    pub steps: usize,
    /// The Δv budget from liftoff to the end of the flight.
    pub loss_budget: super::losses::LossBudget,
}

impl FlightResult {
    /// First event of exactly this kind (`&EventKind::Burnout { stage: 1 }`).
    pub fn event(&self, kind: &EventKind) -> Option<&FlightEvent> {
        self.events.iter().find(|e| e.kind == *kind)
    }

    /// First event whose kind matches (`|k| matches!(k, EventKind::Separation { .. })`).
    pub fn first(&self, matches: impl Fn(&EventKind) -> bool) -> Option<&FlightEvent> {
        self.events.iter().find(|e| matches(&e.kind))
    }

    /// Last event whose kind matches.
    pub fn last(&self, matches: impl Fn(&EventKind) -> bool) -> Option<&FlightEvent> {
        self.events.iter().rev().find(|e| matches(&e.kind))
    }

    /// Ideal Δv (m/s) and propellant (kg) of a burn of stage `stage` flown alone, from event
    /// `start` (its ignition or restart) to event `end` (`None`: the end of the flight). The
    /// mass ratio is split where a body leaves during the burn — a fairing, an interstage, a
    /// drop tank — so its mass counts neither as propellant burned nor as Δv: a body flown on
    /// ([`FlightResult::jettisoned`]) holds the mass before its release, the event the mass
    /// after; a `[[jettison]]` item flies on as no body, so the mass before its drop is the
    /// event's plus the item's. `None` when the masses give no finite figure.
    pub fn ideal_burn(&self, vehicle: &Vehicle, stage: usize, start: usize, end: Option<usize>) -> Option<(f64, f64)> {
        let s = vehicle.stages.get(stage)?;
        let exhaust_m_s = s.thrust_vac_n() / s.mass_flow_kg_s();
        let first = &self.events.get(start)?.point;
        let last = end.map_or(Some(&self.final_point), |k| self.events.get(k).map(|e| &e.point))?;
        let mut segment_kg = first.mass_kg;
        let (mut delta_v_m_s, mut propellant_kg) = (0.0, 0.0);
        for e in &self.events[start + 1..end.unwrap_or(self.events.len())] {
            let drops = matches!(
                e.kind,
                EventKind::Separation { .. } | EventKind::FairingJettison | EventKind::Jettison { .. } | EventKind::TankDrop { .. }
            );
            if !drops || e.point.time_s <= first.time_s || e.point.time_s >= last.time_s {
                continue;
            }
            let before_kg = match e.kind {
                EventKind::Jettison { item } => e.point.mass_kg + vehicle.jettison.get(item).map_or(0.0, |j| j.mass_kg),
                _ => self.jettisoned.iter().find(|b| b.point.time_s == e.point.time_s).map_or(e.point.mass_kg, |b| b.point.mass_kg),
            };
            delta_v_m_s += exhaust_m_s * (segment_kg / before_kg).ln();
            propellant_kg += segment_kg - before_kg;
            segment_kg = e.point.mass_kg;
        }
        delta_v_m_s += exhaust_m_s * (segment_kg / last.mass_kg).ln();
        propellant_kg += segment_kg - last.mass_kg;
        (delta_v_m_s.is_finite() && propellant_kg.is_finite()).then_some((delta_v_m_s, propellant_kg))
    }

    /// Perigee altitude above the equatorial radius at the end, m.
    pub fn perigee_altitude_m(&self) -> f64 {
        self.final_orbit.perigee_altitude_m()
    }

    /// Apogee altitude above the equatorial radius at the end, m (infinite when escaping).
    pub fn apogee_altitude_m(&self) -> f64 {
        self.final_orbit.apogee_altitude_m()
    }

    /// Where the flight ended up: orbit, escape, a fall to the ground, or the time limit.
    pub fn ending(&self) -> Ending {
        Ending::classify(self.outcome, &self.final_point)
    }

    /// Where the ascent of [`FlightResult::max_dynamic_pressure_pa`] ends.
    pub fn ascent_end(&self) -> AscentEnd {
        let powered_end = self.events.iter().rev().find(|e| matches!(e.kind, EventKind::Burnout { .. } | EventKind::Cutoff { .. }));
        let falls_back = self.reentry_max_dynamic_pressure_pa.is_some();
        // The apogee of the coast after the engines stopped.
        let apogee = self
            .events
            .iter()
            .rev()
            .find(|e| e.kind == EventKind::Apogee)
            .filter(|a| powered_end.is_none_or(|p| a.point.time_s > p.point.time_s));
        match (apogee, powered_end) {
            (Some(a), _) if falls_back => AscentEnd::Apogee { time_s: a.point.time_s, altitude_m: a.point.altitude_m },
            _ if self.outcome == FlightOutcome::Impact && self.final_point.thrust_n > 0.0 => AscentEnd::ImpactUnderPower,
            (_, Some(e)) => AscentEnd::EndOfPowered { time_s: e.point.time_s, falls_back },
            (_, None) => AscentEnd::EndOfFlight,
        }
    }
}

/// Where the ascent ends, for its max-Q: a vehicle that falls back meets denser air on the way
/// down than on the way up, and that peak is the re-entry's, reported apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AscentEnd {
    /// At the apogee of the final coast: after it the vehicle falls back.
    Apogee {
        /// Time, s.
        time_s: f64,
        /// Geodetic altitude, m.
        altitude_m: f64,
    },
    /// At the last burnout or engine cutoff: in orbit, or already descending then (the fall
    /// starts there).
    EndOfPowered {
        /// Time, s.
        time_s: f64,
        /// Whether the vehicle was descending then and falls back.
        falls_back: bool,
    },
    /// The vehicle hit the ground with its engines burning: the whole flight is the ascent.
    ImpactUnderPower,
    /// No burnout yet at the end of the flight (time limit): the whole flight.
    EndOfFlight,
}

/// How a flight ended, named for the user (the summary of `fly`, `events.json`, the report).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ending {
    /// A bound orbit with its perigee above the atmosphere (the simulator's insertion rule).
    Orbit {
        /// Perigee altitude above the equatorial radius, m.
        perigee_altitude_m: f64,
        /// Apogee altitude above the equatorial radius, m.
        apogee_altitude_m: f64,
        /// Inclination, degrees.
        inclination_deg: f64,
    },
    /// An escape trajectory: the specific energy is not negative, so the vehicle leaves the
    /// Earth with the hyperbolic excess speed `v∞ = √C3`, `C3 = v² − 2μ/r`.
    Escape {
        /// Characteristic energy C3, m²/s².
        c3_m2_s2: f64,
        /// Hyperbolic excess speed, m/s.
        v_infinity_m_s: f64,
        /// Inclination of the departure, degrees.
        inclination_deg: f64,
    },
    /// Back on the ground.
    Suborbital {
        /// Time of impact since liftoff, s.
        impact_time_s: f64,
        /// Geodetic latitude of the impact, degrees.
        latitude_deg: f64,
        /// Longitude of the impact, degrees east.
        longitude_deg: f64,
    },
    /// Stopped at the time limit neither in orbit, nor escaping, nor down.
    TimeLimit {
        /// Time, s.
        time_s: f64,
        /// Geodetic altitude, m.
        altitude_m: f64,
    },
    /// The last stage burned out short of orbit and the flight ended there (a search's flight,
    /// [`crate::flight::FlightOptions::follow_suborbital_fall`] off).
    BurnedOutShort {
        /// Time of the burnout, s.
        time_s: f64,
        /// Geodetic altitude, m.
        altitude_m: f64,
    },
}

impl Ending {
    /// Classify the end of a flight from how the simulation stopped and the final state
    /// (point-mass energy: the escape test is `C3 ≥ 0`).
    pub fn classify(outcome: FlightOutcome, p: &FlightPoint) -> Ending {
        let (r, v) = (&p.position_eci_m, &p.velocity_eci_m_s);
        let c3_m2_s2 = v.norm_squared() - 2.0 * MU_EARTH_M3_S2 / r.norm().max(1.0);
        let orbit = OrbitalElements::from_state(r, v, MU_EARTH_M3_S2);
        let inclination_deg = orbit.inclination_rad.to_degrees();
        // Unbound and coasting away (or past the insertion test, whose perigee is above the air).
        let escaping = c3_m2_s2 >= 0.0 && (outcome == FlightOutcome::Orbit || (p.thrust_n == 0.0 && r.dot(v) > 0.0));
        match outcome {
            FlightOutcome::Impact => {
                Ending::Suborbital { impact_time_s: p.time_s, latitude_deg: p.latitude_deg, longitude_deg: p.longitude_deg }
            }
            _ if escaping => Ending::Escape { c3_m2_s2, v_infinity_m_s: c3_m2_s2.sqrt(), inclination_deg },
            FlightOutcome::Orbit => Ending::Orbit {
                perigee_altitude_m: orbit.perigee_altitude_m(),
                apogee_altitude_m: orbit.apogee_altitude_m(),
                inclination_deg,
            },
            FlightOutcome::TimeLimit => Ending::TimeLimit { time_s: p.time_s, altitude_m: p.altitude_m },
            FlightOutcome::BurnedOutShort => Ending::BurnedOutShort { time_s: p.time_s, altitude_m: p.altitude_m },
        }
    }

    /// Short machine-readable name: `orbit`, `escape`, `suborbital`, `time_limit`,
    /// `burned_out_short`.
    pub fn name(&self) -> &'static str {
        match self {
            Ending::Orbit { .. } => "orbit",
            Ending::Escape { .. } => "escape",
            Ending::Suborbital { .. } => "suborbital",
            Ending::TimeLimit { .. } => "time_limit",
            Ending::BurnedOutShort { .. } => "burned_out_short",
        }
    }

    /// One line for people: `orbit: perigee 200.00 km, apogee 200.00 km, inclination 51.900°`.
    pub fn describe(&self) -> String {
        match *self {
            Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => format!(
                "orbit: perigee {:.2} km, apogee {:.2} km, inclination {inclination_deg:.3}° (altitudes above the equatorial radius)",
                perigee_altitude_m / 1e3,
                apogee_altitude_m / 1e3
            ),
            Ending::Escape { c3_m2_s2, v_infinity_m_s, inclination_deg } => format!(
                "escape: C3 {:.3} km²/s², v∞ {:.3} km/s, inclination {inclination_deg:.3}° (leaves the Earth)",
                c3_m2_s2 / 1e6,
                v_infinity_m_s / 1e3
            ),
            Ending::Suborbital { impact_time_s, latitude_deg, longitude_deg } => {
                format!("suborbital: impact at {latitude_deg:.4}° N, {longitude_deg:.4}° E at t {impact_time_s:.1} s")
            }
            Ending::TimeLimit { time_s, altitude_m } => {
                format!("stopped at the time limit, t {time_s:.1} s, at {:.2} km altitude: neither in orbit nor down", altitude_m / 1e3)
            }
            Ending::BurnedOutShort { time_s, altitude_m } => {
                format!("burned out short of orbit at t {time_s:.1} s, at {:.2} km altitude (the fall was not followed)", altitude_m / 1e3)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::Vector3;

    use super::*;
    use crate::environment::earth::WGS84_A_M;

    /// A coasting point at `position` with `velocity` (inertial), time `time_s`.
    fn point(time_s: f64, position: Vector3<f64>, velocity: Vector3<f64>) -> FlightPoint {
        FlightPoint {
            time_s,
            position_eci_m: position,
            velocity_eci_m_s: velocity,
            altitude_m: position.norm() - WGS84_A_M,
            latitude_deg: 12.5,
            longitude_deg: -40.25,
            speed_m_s: velocity.norm(),
            air_speed_m_s: velocity.norm(),
            flight_path_angle_deg: 0.0,
            mass_kg: 1000.0,
            thrust_n: 0.0,
            dynamic_pressure_pa: 0.0,
            mach: 0.0,
            axial_accel_g: 0.0,
        }
    }

    /// A circular orbit 300 km up, inclined 51.6°: perigee and apogee at 300 km, the
    /// inclination of the velocity's plane.
    #[test]
    fn a_circular_state_is_an_orbit_with_its_altitude_and_inclination() {
        let r = WGS84_A_M + 300e3;
        let v = (MU_EARTH_M3_S2 / r).sqrt();
        let i = 51.6f64.to_radians();
        let p = point(600.0, Vector3::new(r, 0.0, 0.0), Vector3::new(0.0, v * i.cos(), v * i.sin()));
        match Ending::classify(FlightOutcome::Orbit, &p) {
            Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => {
                assert!((perigee_altitude_m - 300e3).abs() < 1e-3 && (apogee_altitude_m - 300e3).abs() < 1e-3);
                assert!((inclination_deg - 51.6).abs() < 1e-9, "{inclination_deg}");
            }
            e => panic!("{e:?}"),
        }
    }

    /// Above escape speed the end is an escape, whatever the simulator's insertion test said:
    /// `C3 = v² − 2μ/r` (vis-viva with a = −μ/C3), `v∞ = √C3`, both finite.
    #[test]
    fn a_hyperbolic_state_is_an_escape_with_c3_in_closed_form() {
        let r_m = 7.0e6;
        let v_m_s = 11.0e3;
        // 11 km/s at 7000 km: C3 = 121 km²/s² − 2·398600.4418/7000 km²/s² = 7.1141588 km²/s².
        let c3_expected: f64 = 121.0e6 - 2.0 * 398_600.441_8e9 / 7.0e6;
        assert!((c3_expected / 1e6 - 7.114_158_8).abs() < 1e-6);
        let p = point(900.0, Vector3::new(0.0, r_m, 0.0), Vector3::new(-v_m_s * 0.6, v_m_s * 0.8, 0.0));
        let ending = Ending::classify(FlightOutcome::Orbit, &p);
        let Ending::Escape { c3_m2_s2, v_infinity_m_s, inclination_deg } = ending else { panic!("{ending:?}") };
        assert!((c3_m2_s2 - c3_expected).abs() < 1e-6 * c3_expected, "{c3_m2_s2} vs {c3_expected}");
        assert!((v_infinity_m_s - c3_expected.sqrt()).abs() < 1e-6, "{v_infinity_m_s}");
        assert!(inclination_deg.abs() < 1e-9);
        assert_eq!(ending.name(), "escape");
        let text = ending.describe();
        assert!(text.contains("C3 7.114 km²/s²") && text.contains("v∞ 2.667 km/s"), "{text}");
        assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        // Coasting outward on a hyperbola at the time limit escapes too; inward it does not.
        assert!(matches!(Ending::classify(FlightOutcome::TimeLimit, &p), Ending::Escape { .. }));
        let inward = point(900.0, Vector3::new(0.0, r_m, 0.0), Vector3::new(-v_m_s * 0.6, -v_m_s * 0.8, 0.0));
        assert!(matches!(Ending::classify(FlightOutcome::TimeLimit, &inward), Ending::TimeLimit { .. }));
    }

    /// A flight that came down is suborbital, with the impact point and time of its last state.
    #[test]
    fn an_impact_is_suborbital_with_its_point_and_time() {
        let p = point(412.5, Vector3::new(WGS84_A_M, 0.0, 0.0), Vector3::new(-300.0, 50.0, 0.0));
        let ending = Ending::classify(FlightOutcome::Impact, &p);
        assert_eq!(ending, Ending::Suborbital { impact_time_s: 412.5, latitude_deg: 12.5, longitude_deg: -40.25 });
        assert_eq!(ending.name(), "suborbital");
        assert_eq!(ending.describe(), "suborbital: impact at 12.5000° N, -40.2500° E at t 412.5 s");
    }

    /// A bound state stopped by the time limit is named as such, with finite figures.
    #[test]
    fn a_time_limit_is_named_with_finite_figures() {
        let r = WGS84_A_M + 50e3;
        let p = point(7200.0, Vector3::new(r, 0.0, 0.0), Vector3::new(0.0, 3000.0, 0.0));
        let ending = Ending::classify(FlightOutcome::TimeLimit, &p);
        assert!(matches!(ending, Ending::TimeLimit { time_s, altitude_m } if time_s == 7200.0 && (altitude_m - 50e3).abs() < 1e-6));
        assert!(!ending.describe().contains("inf"));
    }
}
