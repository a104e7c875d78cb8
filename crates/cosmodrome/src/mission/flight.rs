//! The flight report: a flown ascent's setup, every event with its state, the jettisoned bodies,
//! the final state and orbit, how it ended, its loads and Δv budget (`fly --json`,
//! `events.json` of every output set).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, round, LossBudgetReport, MarginsReport};
use super::timeline::TimelineReport;
use crate::environment::elements::OrbitalElements;
use crate::error::Result;
use crate::flight::{AscentEnd, Ending, EventKind, FlightEvent, FlightPoint, FlightResult, Launch, ThrottleLimit};
use crate::vehicle::Vehicle;

/// Layout and version of [`FlightReport`] (its `format` member).
pub const FLIGHT_FORMAT: &str = "cosmodrome-flight/1";

/// What the run was: vehicle, site, launch and payload, as every report and writer of a run
/// names them.
#[derive(Debug, Clone)]
pub struct RunInfo<'a> {
    /// The vehicle flown.
    pub vehicle: &'a Vehicle,
    /// Vehicle id or file as the user gave it.
    pub vehicle_id: &'a str,
    /// Site id.
    pub site_id: &'a str,
    /// Pad and azimuth.
    pub launch: Launch,
    /// Target inclination, if the azimuth came from one.
    pub inclination_deg: Option<f64>,
    /// Payload, kg.
    pub payload_kg: f64,
    /// Usable propellant the last stage was loaded with when the optimizer offloaded it, kg
    /// (`vehicle` is then the vehicle so loaded); `None`: as the vehicle file loads it.
    pub upper_stage_load_kg: Option<f64>,
    /// The last solid stage's energy-management weave, degrees, when the ascent flew one
    /// ([`crate::guidance::ExoSteering::energy_weave_deg`]); `None`: none.
    pub energy_weave_deg: Option<f64>,
}

/// The report of a flight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlightReport {
    /// Layout and version of this report: `cosmodrome-flight/1`.
    #[schemars(extend("const" = FLIGHT_FORMAT))]
    pub format: String,
    /// Vehicle name.
    pub vehicle: String,
    /// Vehicle id or file as the user gave it.
    pub vehicle_id: String,
    /// Pad id.
    pub site: String,
    /// Payload, kg.
    pub payload_kg: f64,
    /// Usable propellant loaded in the restartable upper stage, kg, when the flight flew it
    /// offloaded (the load the payload optimizer chose; the masses of the events are that
    /// vehicle's); absent when the stage was loaded as the vehicle file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_stage_load_kg: Option<f64>,
    /// Energy-management weave of the last solid stage, degrees, when the guidance flew one: its
    /// thrust yawed this far to one side of its plane for the first quarter of its Δv, to the
    /// other for the next half and back for the last quarter, burning off the energy a payload
    /// lighter than the most it carries leaves it (a motor cannot be shut down): at its
    /// burnout when it is the last stage, before the liquid stage above it could cut off
    /// otherwise (Vega-C's Zefiro 9). The waste shows as steering loss. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_weave_deg: Option<f64>,
    /// The coast before a solid stage whose vehicle file lets the ascent choose it
    /// (`ignition_delay_max_s`), as this flight flew it (from the events); absent for a vehicle
    /// without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_coast: Option<super::payload::ChosenCoastReport>,
    /// The pad and the launch azimuth.
    pub launch: LaunchReport,
    /// The frame of the ECI vectors.
    pub frame: String,
    /// How the flight ended: `orbit`, `escape`, `suborbital`, `time_limit` or `burned_out_short`.
    pub outcome: String,
    /// The figures of that ending.
    pub ending: EndingReport,
    /// Peak dynamic pressure of the ascent (up to `max_q_ascent`), kPa.
    pub max_q_kpa: f64,
    /// Where the ascent whose max-Q is reported ends, in words.
    pub max_q_ascent: String,
    /// Peak dynamic pressure of a fall back, kPa; `null` when the vehicle does not fall back.
    pub reentry_max_q_kpa: Option<f64>,
    /// Peak axial acceleration, g.
    pub max_accel_g: f64,
    /// Every event in time order.
    pub events: Vec<EventReport>,
    /// Every jettisoned body with its state at separation.
    pub jettisoned: Vec<JettisonedReport>,
    /// The state at the end and its osculating orbit.
    #[serde(rename = "final")]
    pub end: FinalReport,
    /// The Δv budget.
    pub loss_budget: LossBudgetReport,
    /// The vehicle's mass margins and the defaults in force.
    pub margins: MarginsReport,
    /// Every burn of every stage and the coasts between them (absent from reports written
    /// before it was added).
    #[serde(default)]
    pub timeline: TimelineReport,
}

/// The pad and the azimuth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchReport {
    /// Geodetic latitude of the pad, degrees.
    pub latitude_deg: f64,
    /// Longitude of the pad, degrees east.
    pub longitude_deg: f64,
    /// Altitude of the pad above the ellipsoid, m.
    pub altitude_m: f64,
    /// Launch azimuth, degrees from north.
    pub azimuth_deg: f64,
    /// The inclination the azimuth was found for; `null` when the azimuth was given.
    pub target_inclination_deg: Option<f64>,
}

/// A flight state: the quantities of a row of `trajectory.csv`, in its units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateReport {
    /// Time after liftoff, s.
    pub time_s: f64,
    /// Geodetic altitude, m.
    pub altitude_m: f64,
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Inertial speed, m/s.
    pub speed_m_s: f64,
    /// Speed relative to the air, m/s.
    pub air_speed_m_s: f64,
    /// Inertial flight-path angle, degrees.
    pub flight_path_angle_deg: f64,
    /// Mass, kg.
    pub mass_kg: f64,
    /// Thrust, N.
    pub thrust_n: f64,
    /// Dynamic pressure, Pa.
    pub dynamic_pressure_pa: f64,
    /// Mach number.
    pub mach: f64,
    /// Axial acceleration, g.
    pub axial_accel_g: f64,
}

impl StateReport {
    /// A state to 1 ms, 0.1 m, 0.01 m/s, 0.1 kg, 1 N.
    pub fn new(p: &FlightPoint) -> Self {
        StateReport {
            time_s: round(p.time_s, 3),
            altitude_m: round(p.altitude_m, 1),
            latitude_deg: round(p.latitude_deg, 5),
            longitude_deg: round(p.longitude_deg, 5),
            speed_m_s: round(p.speed_m_s, 2),
            air_speed_m_s: round(p.air_speed_m_s, 2),
            flight_path_angle_deg: round(p.flight_path_angle_deg, 3),
            mass_kg: round(p.mass_kg, 1),
            thrust_n: round(p.thrust_n, 0),
            dynamic_pressure_pa: round(p.dynamic_pressure_pa, 1),
            mach: round(p.mach, 3),
            axial_accel_g: round(p.axial_accel_g, 3),
        }
    }
}

/// An event with its state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventReport {
    /// Kind of event (`liftoff`, `separation`, `max_q`, …; the limit throttling's
    /// `max_q_throttle_start`, `max_q_throttle_end`, `accel_throttle_start`,
    /// `accel_throttle_end`).
    pub event: String,
    /// The stage it concerns, if any.
    pub stage: Option<String>,
    /// In words (`separation of URM-1 boosters`).
    pub description: String,
    /// The maximum dynamic pressure the engines throttle to hold, kPa (the vehicle's
    /// `max_q_kpa`): `max_q_throttle_start` and `max_q_throttle_end` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_kpa: Option<f64>,
    /// The axial acceleration the engines throttle to hold, g (the vehicle's `max_accel_g`):
    /// `accel_throttle_start` and `accel_throttle_end` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_g: Option<f64>,
    /// The liquid engines' vacuum thrust as a share of what their throttle schedules ask, at
    /// the event (1: as scheduled): the limit-throttling events only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<f64>,
    /// The deepest share of the hold, at the integrator's step ends and the hold's ends: the
    /// end events of limit throttling only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_throttle: Option<f64>,
    /// The state at the event.
    #[serde(flatten)]
    pub state: StateReport,
}

impl EventReport {
    /// The report of an event of a flight of `vehicle`; `stage` names the stage it concerns.
    pub fn new(e: &FlightEvent, vehicle: &Vehicle, stage: Option<String>) -> Self {
        let (limit, throttle, min_throttle) = match e.kind {
            EventKind::LimitThrottleStart { limit, throttle } => (Some(limit), Some(throttle), None),
            EventKind::LimitThrottleEnd { limit, throttle, min_throttle } => (Some(limit), Some(throttle), Some(min_throttle)),
            _ => (None, None, None),
        };
        let limits = &vehicle.limits;
        EventReport {
            event: e.kind.name().to_owned(),
            stage,
            description: e.description.clone(),
            limit_kpa: (limit == Some(ThrottleLimit::MaxQ)).then_some(limits.max_q_pa).flatten().map(|q| round(q / 1e3, 3)),
            limit_g: (limit == Some(ThrottleLimit::Acceleration)).then_some(limits.max_accel_g).flatten().map(|g| round(g, 3)),
            throttle: throttle.map(|t| round(t, 4)),
            min_throttle: min_throttle.map(|t| round(t, 4)),
            state: StateReport::new(&e.point),
        }
    }
}

/// A jettisoned body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JettisonedReport {
    /// Name (`URM-1 boosters`, `fairing`).
    pub name: String,
    /// How many identical bodies (boosters of a cluster).
    pub count: u32,
    /// Mass of each, kg.
    pub mass_each_kg: f64,
    /// The vehicle's state at separation, as an event's: its mass and thrust are the vehicle's
    /// just before the body leaves (the body's own mass is `mass_each_kg`).
    pub separation: StateReport,
    /// Position at separation in the inertial frame (`frame`), m.
    pub position_eci_m: [f64; 3],
    /// Velocity at separation in the inertial frame, m/s.
    pub velocity_eci_m_s: [f64; 3],
}

/// The final state and its orbit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalReport {
    /// The state at the end of the flight.
    pub state: StateReport,
    /// Its osculating orbit.
    pub orbit: FinalOrbitReport,
}

/// The osculating orbit at the end (altitudes above the equatorial radius).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalOrbitReport {
    /// Perigee altitude, km.
    pub perigee_km: f64,
    /// Apogee altitude, km; `null` for an escape (unbound) orbit.
    pub apogee_km: Option<f64>,
    /// Inclination, degrees.
    pub inclination_deg: f64,
    /// Eccentricity.
    pub eccentricity: f64,
    /// Argument of perigee, degrees (0–360); absent when the orbit is nearly circular
    /// ([`super::common::ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argument_of_perigee_deg: Option<f64>,
}

impl FinalOrbitReport {
    /// The osculating orbit of a set of elements, to 1 m, 0.0001° and 1e-7.
    pub fn of(o: &OrbitalElements) -> Self {
        let apogee_m = o.apogee_altitude_m();
        FinalOrbitReport {
            perigee_km: round(o.perigee_altitude_m() / 1e3, 3),
            apogee_km: apogee_m.is_finite().then(|| round(apogee_m / 1e3, 3)),
            inclination_deg: round(o.inclination_rad.to_degrees(), 4),
            eccentricity: round(o.eccentricity, 7),
            argument_of_perigee_deg: super::common::argument_of_perigee_deg(o),
        }
    }

    /// In words, as the timeline tables print it: `242 × 2779 km at 51.24°, argument of perigee
    /// 179.9°` (the argument of perigee when the report gives one), `suborbital`, or `escape
    /// (perigee 200 km, 51.90°)`.
    pub fn describe(&self) -> String {
        match self.apogee_km {
            _ if self.perigee_km < 0.0 => "suborbital".to_owned(),
            Some(a) => {
                let perigee = self.argument_of_perigee_deg.map_or_else(String::new, |w| format!(", argument of perigee {w:.1}°"));
                format!("{:.0} × {a:.0} km at {:.2}°{perigee}", self.perigee_km, self.inclination_deg)
            }
            None => format!("escape (perigee {:.0} km, {:.2}°)", self.perigee_km, self.inclination_deg),
        }
    }
}

/// How the flight ended, with its figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum EndingReport {
    /// A bound orbit with its perigee above the atmosphere.
    Orbit {
        /// Perigee altitude above the equatorial radius, km.
        perigee_km: f64,
        /// Apogee altitude above the equatorial radius, km.
        apogee_km: f64,
        /// Inclination, degrees.
        inclination_deg: f64,
    },
    /// An escape.
    Escape {
        /// Characteristic energy, km²/s².
        c3_km2_s2: f64,
        /// Hyperbolic excess speed, km/s.
        v_infinity_km_s: f64,
        /// Inclination, degrees.
        inclination_deg: f64,
    },
    /// The vehicle came down.
    Suborbital {
        /// Time of impact, s.
        impact_time_s: f64,
        /// Impact latitude, degrees.
        impact_latitude_deg: f64,
        /// Impact longitude, degrees east.
        impact_longitude_deg: f64,
    },
    /// The flight reached its time limit.
    TimeLimit {
        /// Time, s.
        time_s: f64,
        /// Geodetic altitude, m.
        altitude_m: f64,
    },
    /// The last stage burned out short of orbit and the fall was not followed.
    BurnedOutShort {
        /// Time of the burnout, s.
        time_s: f64,
        /// Geodetic altitude, m.
        altitude_m: f64,
    },
}

impl EndingReport {
    /// The figures of an ending.
    pub fn new(ending: &Ending) -> Self {
        match *ending {
            Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => EndingReport::Orbit {
                perigee_km: round(perigee_altitude_m / 1e3, 3),
                apogee_km: round(apogee_altitude_m / 1e3, 3),
                inclination_deg: round(inclination_deg, 4),
            },
            Ending::Escape { c3_m2_s2, v_infinity_m_s, inclination_deg } => EndingReport::Escape {
                c3_km2_s2: round(c3_m2_s2 / 1e6, 4),
                v_infinity_km_s: round(v_infinity_m_s / 1e3, 4),
                inclination_deg: round(inclination_deg, 4),
            },
            Ending::Suborbital { impact_time_s, latitude_deg, longitude_deg } => EndingReport::Suborbital {
                impact_time_s: round(impact_time_s, 3),
                impact_latitude_deg: round(latitude_deg, 5),
                impact_longitude_deg: round(longitude_deg, 5),
            },
            Ending::TimeLimit { time_s, altitude_m } => {
                EndingReport::TimeLimit { time_s: round(time_s, 3), altitude_m: round(altitude_m, 1) }
            }
            Ending::BurnedOutShort { time_s, altitude_m } => {
                EndingReport::BurnedOutShort { time_s: round(time_s, 3), altitude_m: round(altitude_m, 1) }
            }
        }
    }
}

/// Where the ascent whose max-Q is reported ends, and why there, in words.
pub fn ascent_end_text(end: &AscentEnd) -> String {
    match *end {
        AscentEnd::Apogee { time_s, altitude_m } => format!(
            "ascent up to the apogee at {:.1} km, t {time_s:.1} s: the vehicle falls back after it, and the fall's peak is reported apart",
            altitude_m / 1e3
        ),
        AscentEnd::EndOfPowered { time_s, falls_back: false } => format!("ascent up to the last burnout or engine cutoff, t {time_s:.1} s"),
        AscentEnd::EndOfPowered { time_s, falls_back: true } => format!(
            "ascent up to the last burnout, t {time_s:.1} s: the vehicle was already descending then and falls back; the fall's peak is reported apart"
        ),
        AscentEnd::ImpactUnderPower => "the whole flight: it came down with its engines burning".to_owned(),
        AscentEnd::EndOfFlight => "the whole flight: it ended before the last burnout".to_owned(),
    }
}

impl FlightReport {
    /// The report of a flown ascent; fails on a non-finite figure rather than writing a hole.
    pub fn new(run: &RunInfo<'_>, result: &FlightResult) -> Result<Self> {
        let points = result.events.iter().map(|e| &e.point).chain(result.jettisoned.iter().map(|b| &b.point)).chain([&result.final_point]);
        check_finite(
            "flight",
            points
                .flat_map(FlightPoint::table_figures)
                .chain([run.payload_kg, run.launch.azimuth_deg, result.max_dynamic_pressure_pa, result.max_axial_accel_g])
                .chain(result.reentry_max_dynamic_pressure_pa),
        )?;
        let stage_name = |i: Option<usize>| i.and_then(|i| run.vehicle.stages.get(i)).map(|s| s.name.clone());
        let o = &result.final_orbit;
        let ending = result.ending();
        Ok(FlightReport {
            format: FLIGHT_FORMAT.to_owned(),
            vehicle: run.vehicle.name.clone(),
            vehicle_id: run.vehicle_id.to_owned(),
            site: run.site_id.to_owned(),
            payload_kg: run.payload_kg,
            upper_stage_load_kg: run.upper_stage_load_kg.map(|kg| round(kg, 1)),
            energy_weave_deg: run.energy_weave_deg,
            chosen_coast: super::payload::ChosenCoastReport::flown(run.vehicle, result),
            launch: LaunchReport {
                latitude_deg: run.launch.latitude_deg,
                longitude_deg: run.launch.longitude_deg,
                altitude_m: run.launch.altitude_m,
                azimuth_deg: round(run.launch.azimuth_deg, 4),
                target_inclination_deg: run.inclination_deg,
            },
            frame: "inertial frame aligned with Earth-fixed (WGS-84) axes at liftoff".to_owned(),
            outcome: ending.name().to_owned(),
            ending: EndingReport::new(&ending),
            max_q_kpa: round(result.max_dynamic_pressure_pa / 1e3, 3),
            max_q_ascent: ascent_end_text(&result.ascent_end()),
            reentry_max_q_kpa: result.reentry_max_dynamic_pressure_pa.map(|q| round(q / 1e3, 3)),
            max_accel_g: round(result.max_axial_accel_g, 3),
            events: result.events.iter().map(|e| EventReport::new(e, run.vehicle, stage_name(e.kind.stage()))).collect(),
            jettisoned: result
                .jettisoned
                .iter()
                .map(|b| JettisonedReport {
                    name: b.name.clone(),
                    count: b.count,
                    mass_each_kg: round(b.mass_kg, 1),
                    separation: StateReport::new(&b.point),
                    position_eci_m: b.point.position_eci_m.into(),
                    velocity_eci_m_s: b.point.velocity_eci_m_s.into(),
                })
                .collect(),
            end: FinalReport { state: StateReport::new(&result.final_point), orbit: FinalOrbitReport::of(o) },
            loss_budget: LossBudgetReport::new(&result.loss_budget)?,
            margins: MarginsReport::new(run.vehicle),
            timeline: TimelineReport::new(run.vehicle, result),
        })
    }
}
