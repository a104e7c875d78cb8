//! The payload mission: the largest payload into a target orbit, the ascent that carries it, and
//! where each jettisoned stage falls (`cosmodrome payload`, `payload.json`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, round, LossBudgetReport, MarginsReport, OrbitReport, ZoneChecksReport};
use super::liftoff_limit::LiftoffLimitReport;
use super::transfer::{BurnEntry, CoastEntry};
use crate::dropzone::designated::ZoneCheck;
use crate::dropzone::{nominal_impacts, DesignatedZones, FallOptions, NominalImpact};
use crate::error::Result;
use crate::flight::{EventKind, FlightOptions};
use crate::guidance::Branch;
use crate::optimize::payload::{maximize_payload_from, AscentProfile, PayloadSolution, TargetOrbit, WarmStart};
use crate::optimize::Progress;
use crate::vehicle::{Site, Vehicle};

/// Layout and version of [`PayloadReport`] (its `format` member).
pub const PAYLOAD_FORMAT: &str = "cosmodrome-payload/1";

/// What to find the payload of.
#[derive(Debug, Clone, Copy)]
pub struct PayloadRequest<'a> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// The pad it flies from.
    pub site: &'a Site,
    /// The orbit to reach.
    pub target: TargetOrbit,
    /// Northbound or southbound leg to the inclination.
    pub branch: Branch,
    /// Designated drop zones the ascent must keep the spent stages' nominal falls inside.
    pub zones: Option<&'a DesignatedZones>,
    /// Flight options (sampling when the trajectory is written).
    pub options: FlightOptions,
    /// What `target` does not hold of a named orbit ([`super::NamedTarget::note`]), said in the
    /// report's `notes`; `None` otherwise.
    pub note: Option<&'a str>,
}

impl<'a> PayloadRequest<'a> {
    /// `vehicle` from `site` to `target` on the northbound leg, without drop zones, sampling or
    /// note: what `cosmodrome payload` asks with its orbit flags alone.
    pub fn new(vehicle: &'a Vehicle, site: &'a Site, target: TargetOrbit) -> Self {
        PayloadRequest { vehicle, site, target, branch: Branch::Northbound, zones: None, options: FlightOptions::default(), note: None }
    }
}

/// The payload mission's answer: the report, and the flight behind it for the writers.
#[derive(Debug, Clone)]
pub struct PayloadMission {
    /// The report (`payload --json`, `payload.json`).
    pub report: PayloadReport,
    /// The optimized ascent.
    pub solution: PayloadSolution,
    /// The nominal fall of every jettisoned body (calm air), in separation order.
    pub impacts: Vec<NominalImpact>,
    /// The designated zones' checks, when zones were given.
    pub zone_checks: Vec<ZoneCheck>,
    /// The solution as the starting guess of a neighbouring optimization (the trade factors');
    /// `None` where the search failed and the liftoff limit's payload answered
    /// ([`super::liftoff_limit`]).
    pub warm_start: Option<WarmStart>,
}

/// The coast before a solid stage that the ascent chose within its vehicle file's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChosenCoastReport {
    /// The stage lit after the coast.
    pub stage: String,
    /// The coast from the separation of the stage below to its ignition, s.
    pub coast_s: f64,
    /// Its ignition, s after liftoff.
    pub ignition_time_s: f64,
    /// The shortest coast the file allows (`ignition_delay_s`), s.
    pub min_s: f64,
    /// The longest coast the file allows (`ignition_delay_max_s`), s.
    pub max_s: f64,
}

impl ChosenCoastReport {
    /// The coast `vehicle` flew in `flight`, read from its events (the separation of the stage
    /// below to the stage's ignition), when its file lets the ascent choose one: whatever chose
    /// it (the payload search, a targeted ascent, the open-loop program's shortest), the report
    /// says what was flown.
    /// `None` without a range or when the flight ended before that ignition.
    pub fn flown(vehicle: &Vehicle, flight: &crate::flight::FlightResult) -> Option<Self> {
        let coast = vehicle.chosen_coast()?;
        let ignition_s = flight.event(&EventKind::Ignition { stage: coast.stage })?.point.time_s;
        let separation_s = flight.event(&EventKind::Separation { stage: coast.stage.checked_sub(1)? })?.point.time_s;
        Some(ChosenCoastReport {
            stage: vehicle.stages[coast.stage].name.clone(),
            coast_s: round(ignition_s - separation_s, 3),
            ignition_time_s: round(ignition_s, 3),
            min_s: coast.min_s,
            max_s: coast.max_s,
        })
    }
}

/// The answer of `cosmodrome payload`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayloadReport {
    /// Layout and version of this report: `cosmodrome-payload/1`.
    #[schemars(extend("const" = PAYLOAD_FORMAT))]
    pub format: String,
    /// Vehicle name.
    pub vehicle: String,
    /// Pad id.
    pub site: String,
    /// The orbit asked for.
    pub target: OrbitReport,
    /// Largest payload, kg (to 0.1 kg).
    pub payload_kg: f64,
    /// Osculating orbit at engine cutoff.
    pub orbit: OrbitReport,
    /// Launch azimuth, degrees from north.
    pub launch_azimuth_deg: f64,
    /// The turn of the upper stages' steering plane out of the air, degrees clockwise seen from
    /// above (a dogleg): flown when the orbit's launch azimuth lies outside the site's azimuth
    /// corridors or its plane below the site's latitude. Absent when the ascent keeps its
    /// launch plane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dogleg_deg: Option<f64>,
    /// Peak dynamic pressure of the ascent, kPa.
    pub max_q_kpa: f64,
    /// Peak axial acceleration, g.
    pub max_accel_g: f64,
    /// Engine cutoff at insertion, s after liftoff.
    pub insertion_time_s: f64,
    /// Ascents the payload optimization flew (each simulated to its end, failed ones too): its
    /// cost measured so that it does not move with the machine or its load. The trade factors'
    /// re-optimizations are not counted.
    #[serde(default)]
    pub flights: usize,
    /// When the last stage's main engines were cut off, s after liftoff, leaving its burn-on
    /// engines (`burns_on`) to burn alone to the insertion; the ascent's choice for this orbit.
    /// Absent when all its engines burned to the insertion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_engine_cutoff_s: Option<f64>,
    /// The coast the ascent chose before a solid stage whose vehicle file gives it a range
    /// (`ignition_delay_max_s`); absent for a vehicle without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_coast: Option<ChosenCoastReport>,
    /// Each jettisoned stage (the fairing and other items left out) in separation order.
    pub stages: Vec<StageFallReport>,
    /// The Δv budget of the ascent.
    pub loss_budget: LossBudgetReport,
    /// The vehicle's mass margins and the defaults in force.
    pub margins: MarginsReport,
    /// The designated zones the ascent was shaped to (`--drop-zones`); absent without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_zones: Option<ZoneChecksReport>,
    /// Usable propellant loaded in the restartable upper stage, kg, when the optimizer offloaded
    /// it for this orbit (a low orbit's direct ascent: Briz-M, DM-03, Fregat; the elliptic
    /// profile to a higher circular orbit: Vinci, Fregat, a kick stage loaded for the
    /// circularization); absent when the stage flies as the vehicle file loads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_stage_load_kg: Option<f64>,
    /// How the payload reaches its orbit when the last stage restarts for it (the elliptic
    /// profile of a restartable last stage to a circular orbit of 160 km and up: the ascent ends in
    /// an ellipse, the stage coasts to its apogee and circularizes there; or, where that carries
    /// more, as on a circular orbit thousands of km up or an ellipse whose perigee lies above
    /// the parking orbit, a circular parking orbit and the burns that raise it); absent when one
    /// powered ascent ends in the orbit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elliptic_transfer: Option<EllipticTransferReport>,
    /// The liftoff limit of the vehicle file (`limits.min_liftoff_thrust_to_weight`) where it
    /// set the payload: `payload_kg` is the heaviest payload that keeps the limit, flown into the
    /// orbit with the propellant it does not need left aboard, where the orbit alone would take
    /// `orbit_payload_kg`, or where the search targeted no payload at all (a design lifting off
    /// barely above its weight; then without `orbit_payload_kg`). Absent where the limit did not
    /// set the payload or the file has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liftoff_limit: Option<LiftoffLimitReport>,
    /// The payload trade factors (`--trade-factors`): ∂(maximum payload) per unit of each
    /// stage's dry mass, propellant, Isp and thrust and of the fairing's mass, by central
    /// differences of re-optimized payloads ([`super::trade`]); absent unless asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_factors: Option<Vec<super::trade::TradeFactorReport>>,
    /// What the answer does not hold of the orbit asked for, or what it cost, in words: a
    /// dogleg of more than 20° (its degrees and the steering loss), a named orbit's argument of
    /// perigee left free by the direct ascent that flies it. Absent when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The elliptic profile's flight after the ascent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EllipticTransferReport {
    /// The ellipse the ascent was targeted to; its apogee lies off the target's altitude by what
    /// J2 moves it over the coast. Under an eccentric target, the raising ellipse: its apogee at
    /// the target's perigee, where one burn raises the far side to the target's apogee.
    /// Circular (perigee and apogee equal) when the mission went through a parking orbit
    /// instead, its burns raising it to the target.
    pub ellipse: OrbitReport,
    /// Every burn of the last stage: the ascent's, when it flew one, and the circularization.
    pub burns: Vec<BurnEntry>,
    /// The coasts between them.
    pub coasts: Vec<CoastEntry>,
    /// Height of the ascent's cutoff above the ellipse's perigee, km: 0 when the ascent ends at
    /// the perigee, more when it ends on the ellipse's way up (a last stage that burns long in
    /// the ascent), negative on its way down to the perigee (where the cutoff places the raising
    /// ellipse's apogee). Read as 0 from reports written before it.
    #[serde(default)]
    pub cutoff_height_km: f64,
}

impl EllipticTransferReport {
    /// Whether the ascent ended in a circular parking orbit, the burns raising it to the target
    /// (a circular orbit thousands of km up, an ellipse with a high perigee), rather than in an
    /// ellipse under the target.
    pub fn through_parking_orbit(&self) -> bool {
        self.ellipse.apogee_km - self.ellipse.perigee_km < 1.0
    }

    /// Whether the ellipse is the raising ellipse under the eccentric `target`: its one burn at
    /// the apogee raises the far side rather than circularizing.
    pub fn raises(&self, target: &OrbitReport) -> bool {
        !self.through_parking_orbit() && 1e3 * (target.apogee_km - target.perigee_km) >= crate::optimize::transfer::CIRCULAR_WITHIN_M
    }

    /// How far the last stage's burns change the inclination from the ellipse's to `target`'s,
    /// degrees: 0 where an ascent reaches the target's plane, more where the site's corridors
    /// or latitude keep the ascent out of it (the plane turns by more where the burn lies off
    /// the node).
    pub fn inclination_change_deg(&self, target: &OrbitReport) -> f64 {
        (target.inclination_deg - self.ellipse.inclination_deg).abs()
    }

    /// Where the ascent was cut off on the ellipse, in words.
    pub fn cutoff_text(&self) -> String {
        match self.cutoff_height_km {
            h if h > 0.0 => format!("cut off {h:.0} km above its perigee"),
            h if h < 0.0 => format!("cut off {:.0} km above its perigee on the way down to it", -h),
            _ => "cut off at its perigee".to_owned(),
        }
    }

    /// The report of an elliptic profile; `None` for a direct ascent.
    pub fn of(profile: &AscentProfile) -> Option<Self> {
        let AscentProfile::Elliptic { ellipse, burns, coasts, cutoff_height_m } = profile else { return None };
        Some(EllipticTransferReport {
            ellipse: OrbitReport::new(ellipse.perigee_m, ellipse.apogee_m, ellipse.inclination_deg),
            burns: burns.iter().map(BurnEntry::of).collect(),
            coasts: coasts.iter().map(CoastEntry::of).collect(),
            cutoff_height_km: round(cutoff_height_m / 1e3, 1),
        })
    }
}

/// A jettisoned stage: its state at separation and its nominal impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageFallReport {
    /// Body name (`URM-1 boosters`).
    pub name: String,
    /// State at separation.
    pub separation: SeparationReport,
    /// Nominal impact (tumbling drag, calm air); `null` when the stage stays in orbit.
    pub impact: Option<ImpactReport>,
}

/// A body's state at separation (a flight state: SI units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeparationReport {
    /// Time after liftoff, s.
    pub time_s: f64,
    /// Geodetic altitude, m.
    pub altitude_m: f64,
    /// The same altitude in km, as the first layout of this report gave it and its readers
    /// expect (`stages[].separation.altitude_km`).
    pub altitude_km: f64,
    /// Inertial speed, m/s.
    pub speed_m_s: f64,
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Inertial flight-path angle, degrees.
    pub flight_path_angle_deg: f64,
}

/// Where a body comes down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactReport {
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Great-circle distance from the pad, km.
    pub downrange_km: Option<f64>,
    /// Speed at impact, m/s.
    pub speed_m_s: f64,
    /// Duration of the fall from separation, s.
    pub flight_time_s: f64,
}

/// Find the largest payload of the request, fly the ascent that carries it and let every stage
/// fall from its separation. `progress` is called with the number of flights flown.
pub fn payload(request: &PayloadRequest<'_>, progress: Progress<'_>) -> Result<PayloadMission> {
    let PayloadRequest { vehicle, site, target, branch, zones, options, note } = *request;
    let zone_list = zones.map_or(&[][..], |z| &z.zones[..]);
    super::liftoff_limit::check_vehicle(vehicle)?;
    let mut searched = 0;
    let found = maximize_payload_from(vehicle, site, &target, branch, options, zone_list, None, &mut |n| {
        searched = n;
        progress(n)
    });
    // The warm start stays the search's: a neighbouring search's start.
    let (solution, liftoff_limit, warm_start) = match found {
        Ok(found) => {
            let (solution, limit) =
                super::liftoff_limit::held_to_liftoff_limit(vehicle, site, &target, branch, options, found.solution, progress)?;
            (solution, limit, Some(found.warm_start))
        }
        Err(e) => {
            let (solution, limit) =
                super::liftoff_limit::rescued_by_liftoff_limit(vehicle, site, &target, branch, options, e, searched, progress)?;
            (solution, Some(limit), None)
        }
    };
    let flown = solution.flown_vehicle(vehicle);
    let impacts = nominal_impacts(&flown, &solution.launch, &solution.flight.jettisoned, None, &FallOptions::default())?;
    let zone_checks = zones.map_or_else(Vec::new, |z| z.check_nominal(&flown, &solution.flight.jettisoned));
    let mut report = PayloadReport::new(vehicle, &site.id, &target, &solution, &impacts, zones.map(|z| (z, &zone_checks[..])))?;
    report.notes.extend(liftoff_limit.as_ref().and_then(LiftoffLimitReport::note));
    report.liftoff_limit = liftoff_limit;
    report.notes.extend(note.map(str::to_owned));
    Ok(PayloadMission { report, solution, impacts, zone_checks, warm_start })
}

impl ImpactReport {
    /// The impact of a nominal fall, to 0.0001° and 0.1 km; `None` when the body does not come
    /// down (or a figure is not finite).
    pub fn of(n: &NominalImpact) -> Option<Self> {
        let i = n.impact()?;
        [i.latitude_deg, i.longitude_deg, i.speed_m_s, i.flight_time_s].iter().all(|v| v.is_finite()).then(|| ImpactReport {
            latitude_deg: round(i.latitude_deg, 4),
            longitude_deg: round(i.longitude_deg, 4),
            downrange_km: n.downrange_km.filter(|d| d.is_finite()).map(|d| round(d, 1)),
            speed_m_s: round(i.speed_m_s, 1),
            flight_time_s: round(i.flight_time_s, 1),
        })
    }
}

impl PayloadReport {
    /// The report of a solved payload; `impacts` are the nominal falls of its jettisoned bodies.
    pub fn new(
        vehicle: &Vehicle,
        site_id: &str,
        target: &TargetOrbit,
        solution: &PayloadSolution,
        impacts: &[NominalImpact],
        zones: Option<(&DesignatedZones, &[ZoneCheck])>,
    ) -> Result<Self> {
        let o = &solution.orbit;
        let flight = &solution.flight;
        check_finite(
            "payload",
            [
                solution.payload_kg,
                o.perigee_altitude_m(),
                o.apogee_altitude_m(),
                o.inclination_rad,
                solution.launch.azimuth_deg,
                flight.max_dynamic_pressure_pa,
                flight.max_axial_accel_g,
                flight.final_point.time_s,
            ]
            .into_iter()
            .chain(flight.jettisoned.iter().flat_map(|b| {
                let p = &b.point;
                [p.time_s, p.altitude_m, p.speed_m_s, p.latitude_deg, p.longitude_deg, p.flight_path_angle_deg]
            }))
            .chain(match &solution.profile {
                AscentProfile::Direct => Vec::new(),
                AscentProfile::Elliptic { ellipse, burns, coasts, cutoff_height_m } => {
                    [ellipse.perigee_m, ellipse.apogee_m, *cutoff_height_m]
                        .into_iter()
                        .chain(burns.iter().flat_map(|b| [b.start_s, b.duration_s, b.delta_v_m_s, b.propellant_kg]))
                        .chain(coasts.iter().flat_map(|c| [c.start_s, c.duration_s]))
                        .collect()
                }
            }),
        )?;
        let stages = flight
            .jettisoned
            .iter()
            .filter(|b| b.stage.is_some())
            .map(|b| {
                let p = &b.point;
                let impact = impacts.iter().find(|n| n.stage == b.stage).and_then(ImpactReport::of);
                StageFallReport {
                    name: b.name.clone(),
                    separation: SeparationReport {
                        time_s: round(p.time_s, 3),
                        altitude_m: round(p.altitude_m, 1),
                        altitude_km: round(p.altitude_m / 1e3, 4),
                        speed_m_s: round(p.speed_m_s, 2),
                        latitude_deg: round(p.latitude_deg, 5),
                        longitude_deg: round(p.longitude_deg, 5),
                        flight_path_angle_deg: round(p.flight_path_angle_deg, 3),
                    },
                    impact,
                }
            })
            .collect();
        Ok(PayloadReport {
            format: PAYLOAD_FORMAT.to_owned(),
            vehicle: vehicle.name.clone(),
            site: site_id.to_owned(),
            target: OrbitReport::target(target),
            payload_kg: super::common::payload_down_kg(solution.payload_kg),
            orbit: OrbitReport::of(o),
            launch_azimuth_deg: round(solution.launch.azimuth_deg, 4),
            dogleg_deg: super::common::dogleg_deg(&solution.parameters),
            max_q_kpa: round(flight.max_dynamic_pressure_pa / 1e3, 3),
            max_accel_g: round(flight.max_axial_accel_g, 3),
            insertion_time_s: round(flight.final_point.time_s, 3),
            flights: solution.flights,
            main_engine_cutoff_s: flight
                .events
                .iter()
                .find(|e| matches!(e.kind, EventKind::MainEngineCutoff { .. }))
                .map(|e| round(e.point.time_s, 3)),
            chosen_coast: ChosenCoastReport::flown(vehicle, flight),
            stages,
            loss_budget: LossBudgetReport::new(&flight.loss_budget)?,
            margins: MarginsReport::new(vehicle),
            drop_zones: zones.map(|(z, c)| ZoneChecksReport::new(z, c)),
            upper_stage_load_kg: solution.upper_stage_load_kg.map(|kg| round(kg, 1)),
            elliptic_transfer: EllipticTransferReport::of(&solution.profile),
            liftoff_limit: None,
            trade_factors: None,
            notes: super::common::dogleg_deg(&solution.parameters)
                .and_then(|deg| super::common::dogleg_note(deg, flight.loss_budget.steering_loss_m_s))
                .into_iter()
                .collect(),
        })
    }
}
