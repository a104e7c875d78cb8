//! The drop-zone mission: the nominal ascent to an orbit, every jettisoned body's nominal fall,
//! a seeded Monte Carlo of dispersed falls with each body's 3-sigma footprint, and, with
//! designated zones, the share of dispersed falls inside each (`cosmodrome dropzones`).

use std::sync::atomic::AtomicBool;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, round, OrbitReport};
use super::payload::ImpactReport;
use crate::dropzone::designated::dispersed_inside;
use crate::dropzone::{
    nominal_impacts, run_monte_carlo, AscentReplay, BodyImpacts, DesignatedZones, Dispersions, FallOptions, Footprint, MonteCarloSetup,
    NominalImpact, WindProfile,
};
use crate::error::{Error, Result};
use crate::flight::{FlightOptions, FlightResult, Launch};
use crate::guidance::{AscentParameters, Branch};
use crate::optimize::payload::{maximize_payload_with, TargetOrbit};
use crate::optimize::targeting::fly_to_orbit;
use crate::vehicle::{Site, Vehicle};

/// Layout and version of [`DropzonesReport`] (its `format` member).
pub const DROPZONES_FORMAT: &str = "cosmodrome-dropzones/1";

/// The footprints are the ellipses of this many standard deviations.
pub const FOOTPRINT_SIGMA: f64 = 3.0;

/// Vertices of each footprint ellipse and zone outline (one every 5°).
pub const ELLIPSE_VERTICES: usize = 72;

/// Where the stages of which ascent fall, and how the falls are dispersed.
#[derive(Debug, Clone, Copy)]
pub struct DropzonesRequest<'a> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// The pad.
    pub site: &'a Site,
    /// The orbit of the ascent.
    pub target: TargetOrbit,
    /// Northbound or southbound leg.
    pub branch: Branch,
    /// `Some`: the targeted ascent of `fly` with this payload; `None`: the payload optimizer's
    /// ascent (shaped to the designated zones when there are some).
    pub payload_kg: Option<f64>,
    /// Designated zones.
    pub zones: Option<&'a DesignatedZones>,
    /// One-sigma dispersions of the falls.
    pub dispersions: &'a Dispersions,
    /// Wind profile; calm air co-rotating with the Earth without it.
    pub wind: Option<&'a WindProfile>,
    /// Dispersed falls per body.
    pub samples: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Flight options of the ascent.
    pub options: FlightOptions,
}

/// The nominal ascent whose stages fall.
#[derive(Debug, Clone)]
pub struct NominalAscent {
    /// Payload carried, kg.
    pub payload_kg: f64,
    /// Launch with its azimuth.
    pub launch: Launch,
    /// The program that flew it (flown again per sample when the solid motors are dispersed).
    pub parameters: AscentParameters,
    /// The flight.
    pub flight: FlightResult,
    /// Usable propellant of the restartable upper stage when the payload optimizer offloaded
    /// it, kg; `None`: loaded as the vehicle file says.
    pub upper_stage_load_kg: Option<f64>,
}

impl NominalAscent {
    /// `vehicle` as this ascent flew it: the one the Monte Carlo flies again.
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        crate::optimize::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }

    /// The ascent as the Monte Carlo flies it again per sample when it disperses solid motors;
    /// `options` are the request's flight options.
    pub fn replay(&self, options: FlightOptions) -> AscentReplay {
        AscentReplay { payload_kg: self.payload_kg, parameters: self.parameters, options }
    }
}

/// The mission's answer: the report, and what the writers draw (nominal falls, every dispersed
/// impact, the footprints).
#[derive(Debug, Clone)]
pub struct DropzonesMission {
    /// The report (`dropzones --json`).
    pub report: DropzonesReport,
    /// Nominal fall of every jettisoned body, in separation order.
    pub nominal: Vec<NominalImpact>,
    /// Dispersed impacts of every body.
    pub results: Vec<BodyImpacts>,
    /// Footprint of each body (`None` when too few came down), in the order of `results`.
    pub footprints: Vec<Option<Footprint>>,
}

/// Which ascent the stages fall from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AscentKind {
    /// The payload optimizer's ascent.
    Optimized,
    /// `fly`'s targeted ascent with a given payload.
    Targeted,
}

/// The answer of `cosmodrome dropzones`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DropzonesReport {
    /// Layout and version of this report: `cosmodrome-dropzones/1`.
    #[schemars(extend("const" = DROPZONES_FORMAT))]
    pub format: String,
    /// Vehicle name.
    pub vehicle: String,
    /// Pad id.
    pub site: String,
    /// The orbit of the ascent.
    pub target: OrbitReport,
    /// Which ascent.
    pub ascent: AscentKind,
    /// Payload it carries, kg.
    pub payload_kg: f64,
    /// Usable propellant loaded in the restartable upper stage, kg, when the payload optimizer
    /// offloaded it for this low orbit (the ascent and every replay fly it so); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_stage_load_kg: Option<f64>,
    /// Launch azimuth, degrees from north.
    pub launch_azimuth_deg: f64,
    /// Dispersed falls per body.
    pub samples: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Every jettisoned body in separation order.
    pub bodies: Vec<BodyFallReport>,
    /// The designated zones (`--drop-zones`); absent without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated_zones: Option<DesignatedZonesReport>,
}

/// One body's falls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyFallReport {
    /// Body name.
    pub name: String,
    /// Drag coefficient of the tumbling body.
    pub tumbling_cd: f64,
    /// Its reference area, m².
    pub tumbling_area_m2: f64,
    /// Nominal impact (undispersed, with the wind profile when given); `null` when it stays up.
    pub nominal_impact: Option<ImpactReport>,
    /// Dispersed falls that came down.
    pub samples_down: usize,
    /// Dispersed falls that did not come down (orbit, time limit).
    pub samples_not_down: usize,
    /// The footprint of the dispersed impacts; `null` when too few came down.
    pub footprint: Option<FootprintReport>,
}

/// The ellipse of the dispersed impacts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FootprintReport {
    /// Standard deviations the ellipse spans.
    pub sigma: f64,
    /// Mean impact latitude, degrees.
    pub mean_latitude_deg: f64,
    /// Mean impact longitude, degrees east.
    pub mean_longitude_deg: f64,
    /// Mean great-circle distance of the impacts from the pad, km.
    pub mean_downrange_km: f64,
    /// Semi-major axis, km.
    pub semi_major_km: f64,
    /// Semi-minor axis, km.
    pub semi_minor_km: f64,
    /// Major axis clockwise from north, degrees.
    pub orientation_deg: f64,
}

/// The designated zones and the dispersed falls inside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignatedZonesReport {
    /// Name of the zone set.
    pub name: String,
    /// The zone file (a built-in id's file, or the path given).
    pub file: String,
    /// Whether the ascent was shaped to the zones (the optimized ascent is; a given payload's is not).
    pub ascent_shaped: bool,
    /// One entry per zone and body it selects, in zone order.
    pub zones: Vec<DispersedZoneReport>,
}

/// A body's falls against its zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispersedZoneReport {
    /// Zone name.
    pub zone: String,
    /// Which bodies the zone is for, as its file states it.
    pub stage: String,
    /// The body.
    pub body: String,
    /// Zone radius, km.
    pub radius_km: f64,
    /// Margin kept inside the edge for the nominal fall, km.
    pub margin_km: f64,
    /// Distance of the nominal impact from the centre, km; `null` when it does not come down.
    pub nominal_distance_km: Option<f64>,
    /// Whether the nominal impact lies inside, the margin kept.
    pub nominal_inside: bool,
    /// Dispersed falls inside the zone's radius.
    pub samples_inside: usize,
    /// Dispersed falls in all (a fall that does not come down is not inside).
    pub samples: usize,
    /// `samples_inside` out of `samples`, percent.
    pub share_inside_percent: f64,
}

/// The nominal ascent of a request: `fly`'s targeted ascent with the payload given, otherwise the
/// payload optimizer's (shaped to the designated zones). `progress` counts the flights.
pub fn dropzones_ascent(request: &DropzonesRequest<'_>, progress: impl FnMut(usize)) -> Result<NominalAscent> {
    let r = request;
    if let Some(payload_kg) = r.payload_kg {
        let a = fly_to_orbit(r.vehicle, r.site, &r.target, r.branch, payload_kg, r.options, progress)?;
        return Ok(NominalAscent {
            payload_kg,
            launch: a.launch,
            parameters: a.parameters,
            flight: a.flight,
            upper_stage_load_kg: a.upper_stage_load_kg,
        });
    }
    let zones = r.zones.map_or(&[][..], |z| &z.zones[..]);
    let s = maximize_payload_with(r.vehicle, r.site, &r.target, r.branch, r.options, zones, progress)?;
    Ok(NominalAscent {
        payload_kg: s.payload_kg,
        launch: s.launch,
        parameters: s.parameters,
        flight: s.flight,
        upper_stage_load_kg: s.upper_stage_load_kg,
    })
}

/// Let every body of the ascent fall, nominally and dispersed. `progress(done, total)` is called
/// after every dispersed fall; `cancel` stops the Monte Carlo with [`Error::Interrupted`].
pub fn dropzones(
    request: &DropzonesRequest<'_>,
    ascent: &NominalAscent,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &AtomicBool,
) -> Result<DropzonesMission> {
    let r = request;
    let flight = &ascent.flight;
    let vehicle = ascent.flown_vehicle(r.vehicle);
    if flight.jettisoned.is_empty() {
        return Err(Error::Unreachable(format!("{} jettisons nothing before the end of the ascent: no drop zones", r.vehicle.name)));
    }
    let options = FallOptions::default();
    let nominal = nominal_impacts(&vehicle, &ascent.launch, &flight.jettisoned, r.wind, &options)?;
    let setup = MonteCarloSetup {
        vehicle: &vehicle,
        launch: ascent.launch,
        bodies: &flight.jettisoned,
        dispersions: *r.dispersions,
        wind: r.wind,
        options,
        ascent: Some(ascent.replay(r.options)),
        samples: r.samples,
        seed: r.seed,
    };
    let results = run_monte_carlo(&setup, progress, cancel)?;
    let footprints: Vec<Option<Footprint>> = results.iter().map(|b| b.footprint(FOOTPRINT_SIGMA, ELLIPSE_VERTICES)).collect();
    let bodies = results
        .iter()
        .zip(&nominal)
        .zip(&footprints)
        .map(|((b, n), fp)| {
            let mean_downrange_km = b.mean_downrange_km();
            let footprint = fp.as_ref().map(|f| FootprintReport {
                sigma: f.sigma,
                mean_latitude_deg: round(f.mean.latitude_deg, 4),
                mean_longitude_deg: round(f.mean.longitude_deg, 4),
                mean_downrange_km: round(mean_downrange_km, 1),
                semi_major_km: round(f.semi_major_km, 2),
                semi_minor_km: round(f.semi_minor_km, 2),
                orientation_deg: round(f.orientation_deg, 2),
            });
            if let Some(f) = &footprint {
                check_finite(
                    "drop-zone",
                    [f.mean_latitude_deg, f.mean_longitude_deg, f.mean_downrange_km, f.semi_major_km, f.semi_minor_km, f.orientation_deg],
                )?;
            }
            Ok(BodyFallReport {
                name: b.name.clone(),
                tumbling_cd: round(b.tumbling.cd, 3),
                tumbling_area_m2: round(b.tumbling.area_m2, 2),
                nominal_impact: ImpactReport::of(n),
                samples_down: b.impacts.len(),
                samples_not_down: b.not_down,
                footprint,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let designated_zones = r.zones.map(|zones| {
        let checks = zones.check_nominal(&vehicle, &flight.jettisoned);
        let inside = dispersed_inside(&zones.zones, &checks, &results);
        DesignatedZonesReport {
            name: zones.name.clone(),
            file: zones.file.clone(),
            ascent_shaped: r.payload_kg.is_none(),
            zones: checks
                .iter()
                .zip(inside)
                .map(|(c, samples_inside)| {
                    let z = &zones.zones[c.zone];
                    DispersedZoneReport {
                        zone: z.name.clone(),
                        stage: z.bodies.to_string(),
                        body: c.body.clone(),
                        radius_km: round(z.radius_km, 3),
                        margin_km: round(z.margin_km, 3),
                        nominal_distance_km: c.distance_km.filter(|d| d.is_finite()).map(|d| round(d, 2)),
                        nominal_inside: c.inside,
                        samples_inside,
                        samples: r.samples,
                        share_inside_percent: round(100.0 * samples_inside as f64 / r.samples as f64, 2),
                    }
                })
                .collect(),
        }
    });
    check_finite("drop-zone", [ascent.payload_kg, ascent.launch.azimuth_deg])?;
    let report = DropzonesReport {
        format: DROPZONES_FORMAT.to_owned(),
        vehicle: r.vehicle.name.clone(),
        site: r.site.id.clone(),
        target: OrbitReport::new(r.target.perigee_m, r.target.apogee_m, r.target.inclination_deg),
        ascent: if r.payload_kg.is_some() { AscentKind::Targeted } else { AscentKind::Optimized },
        payload_kg: round(ascent.payload_kg, 1),
        upper_stage_load_kg: ascent.upper_stage_load_kg.map(|kg| round(kg, 1)),
        launch_azimuth_deg: round(ascent.launch.azimuth_deg, 4),
        samples: r.samples,
        seed: r.seed,
        bodies,
        designated_zones,
    };
    Ok(DropzonesMission { report, nominal, results, footprints })
}

/// The footprints of a small Monte Carlo with the default dispersions (calm air), by body name:
/// what the ground track of `payload --out` outlines. The solid motors are dispersed as
/// [`dropzones`] disperses them (`ascent`, the program that flew `flight`, flown again per
/// sample with each sample's motors), through the same [`run_monte_carlo`].
pub fn ascent_footprints(
    vehicle: &Vehicle,
    launch: &Launch,
    flight: &FlightResult,
    ascent: AscentReplay,
    samples: usize,
    seed: u64,
) -> Result<Vec<(String, Footprint)>> {
    if flight.jettisoned.is_empty() {
        return Ok(Vec::new());
    }
    let setup = MonteCarloSetup {
        vehicle,
        launch: *launch,
        bodies: &flight.jettisoned,
        dispersions: Dispersions::default(),
        wind: None,
        options: FallOptions::default(),
        ascent: Some(ascent),
        samples,
        seed,
    };
    let results = run_monte_carlo(&setup, &|_, _| {}, &AtomicBool::new(false))?;
    Ok(results.iter().filter_map(|b| b.footprint(FOOTPRINT_SIGMA, ELLIPSE_VERTICES).map(|f| (b.name.clone(), f))).collect())
}
