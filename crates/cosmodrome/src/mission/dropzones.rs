//! The drop-zone mission: the nominal ascent to an orbit, every jettisoned body's nominal fall,
//! a seeded Monte Carlo of dispersed falls with each body's 3-sigma footprint, and, with
//! designated zones, the share of dispersed falls inside each (`cosmodrome dropzones`).
//!
//! A mission through a parking orbit (`dropzones --orbit gso` for a vehicle with a restartable
//! upper stage, a [`MissionTarget::Transfer`] of [`dropzones_nominal_ascent`]) is the transfer
//! mission of `payload --orbit` (or of `fly --orbit` with a given payload): its bodies are those
//! the whole mission jettisons, in separation order, the ones left in orbit reported as not
//! down; the Monte Carlo's replays fly its ascent to the parking orbit, the transfer burns coming
//! after every body that falls.
//!
//! An escape (`dropzones --orbit escape`) is such a mission too: the boosters, core, fairing and
//! whatever else the ascent and the burns drop fall as on a mission to GSO; the upper stage and
//! the payload leave on the hyperbola and never come down, nor does a body released on it (a
//! body with the energy to escape is not down, as one left in orbit). The report then has no
//! target orbit; its `transfer.escape` states the C3 asked for and achieved.
//!
//! A body whose nominal fall does not come down (in orbit, or still flying at the fall's time
//! limit) has no drop zone: it re-enters later, uncontrolled, anywhere under its track. Its report
//! gives its orbit at separation and an estimated lifetime ([`crate::dropzone::decay`]) instead
//! of a footprint, even when some of its dispersed falls came down within the limit (those, a
//! cut and far from normal set strung along the track, would give an "ellipse" thousands of km
//! long that bounds nothing).

use std::sync::atomic::AtomicBool;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, round, OrbitReport};
use super::payload::ImpactReport;
use crate::dropzone::decay::{orbit_decay, DecayOptions, OrbitDecay};
use crate::dropzone::designated::dispersed_inside;
use crate::dropzone::footprint::footprint_incomplete;
use crate::dropzone::{
    nominal_impacts, run_monte_carlo, AscentReplay, BodyImpacts, DesignatedZones, Dispersions, FallOptions, Footprint, MonteCarloSetup,
    NominalImpact, WindProfile,
};
use crate::environment::earth::MU_EARTH_M3_S2;
use crate::environment::elements::OrbitalElements;
use crate::error::{Error, Result};
use crate::flight::{FlightOptions, FlightResult, Launch};
use crate::guidance::{AscentParameters, Branch};
use crate::optimize::payload::{maximize_payload_with, TargetOrbit};
use crate::optimize::targeting::{fly_to_orbit, search_options};
use crate::optimize::transfer::{
    asymptote_declination_deg, fly_transfer, maximize_transfer_payload, MissionTarget, Transfer, TransferTarget,
};
use crate::optimize::Progress;
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
    /// Where the mission goes: an orbit the ascent flies to directly, or a parking orbit and the
    /// transfer after it (a named orbit's [`super::named_target`]).
    pub target: MissionTarget,
    /// What `target` does not hold of the named orbit it was resolved from
    /// ([`super::NamedTarget::note`]), said in the report's `notes`; `None` otherwise.
    pub note: Option<&'a str>,
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
    /// The transfer after the ascent when the flight is a mission through a parking orbit
    /// (`flight` then covers the whole mission); `None` for a direct ascent.
    pub transfer: Option<TransferLeg>,
}

/// What a mission through a parking orbit flew after its ascent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferLeg {
    /// Where the upper stage took the payload.
    pub target: TransferTarget,
    /// The parking orbit the ascent flew to: the request's, or the one the optimizer chose
    /// instead (the target's perigee for a stage that cannot raise it, the corridor's plane
    /// for a target beyond the site's corridors).
    pub parking: TargetOrbit,
    /// The mission's target orbit in elements (GSO, a GTO short of GSO resolved); `None` for an
    /// escape, which ends on a hyperbola.
    pub target_orbit: Option<TargetOrbit>,
    /// Usable propellant aboard at the ascent's cutoff for the transfer, kg.
    pub held_back_kg: f64,
    /// Burns of the upper stage, the ascent's own included when it flew one.
    pub upper_stage_burns: usize,
    /// The target's perigee was left where the perigee burns put it (not targeted).
    pub perigee_free: bool,
    /// Osculating orbit (or hyperbola) at the last cutoff: its C3 is the one `payload --orbit
    /// escape` reports.
    pub orbit: OrbitalElements,
}

impl NominalAscent {
    /// Inclination of the orbit this ascent flew to, degrees: its transfer's parking orbit's
    /// (which the optimizer may have chosen instead of the request's), otherwise `target`'s.
    pub fn ascent_inclination_deg(&self, target: &MissionTarget) -> f64 {
        self.transfer.as_ref().map_or_else(|| target.ascent_orbit().inclination_deg, |t| t.parking.inclination_deg)
    }

    /// `vehicle` as this ascent flew it: the one the Monte Carlo flies again.
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        crate::optimize::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }

    /// The ascent as the Monte Carlo flies it again per sample when it disperses solid motors;
    /// `options` are the request's flight options. A mission through a parking orbit was flown
    /// with the targeting's tolerances and the mission's time limit (which sets the
    /// integrator's first step): the replay keeps them, so that it flies the mission's ascent to
    /// the parking orbit step for step.
    pub fn replay(&self, options: FlightOptions) -> AscentReplay {
        let options = match self.transfer {
            Some(_) => FlightOptions {
                max_time_s: crate::optimize::transfer::MAX_MISSION_TIME_S,
                follow_suborbital_fall: options.follow_suborbital_fall,
                ..search_options(options)
            },
            None => options,
        };
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
    /// Footprint of each body, in the order of `results`: `None` when too few came down or they
    /// do not spread, and for a body whose nominal fall stays up (it has no drop zone).
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
    /// The orbit of the ascent; through a parking orbit, the mission's target orbit (the
    /// ascent's orbit is `transfer.parking`); absent for an escape, which ends on a hyperbola
    /// (`transfer.escape`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<OrbitReport>,
    /// Which ascent: through a parking orbit, the payload optimizer's whole mission or `fly`'s
    /// with the payload given.
    pub ascent: AscentKind,
    /// The mission through a parking orbit whose flight the bodies fall from (`dropzones
    /// --orbit gso`, `--orbit escape`); absent for a direct ascent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferMissionReport>,
    /// Payload it carries, kg.
    pub payload_kg: f64,
    /// Usable propellant loaded in the restartable upper stage, kg, when the payload optimizer
    /// offloaded it for this orbit (the ascent and every replay fly it so); absent otherwise.
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
    /// What the ascent does not hold of the orbit asked for, in words: a named orbit's argument
    /// of perigee left free by the direct ascent that flies it (the stages fall from that
    /// ascent). Absent when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A mission through a parking orbit, as a drop-zone report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferMissionReport {
    /// The target in words, as `payload --orbit` names it (`GSO`, `GTO-1800`, `200 × 35786 km
    /// at 51.90°, argument of perigee 180.0°`, `escape with C3 5.00 km²/s²`).
    pub target: String,
    /// The parking orbit the ascent flew to.
    pub parking: OrbitReport,
    /// Osculating orbit at the mission's last cutoff; absent after an escape (read `escape`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orbit: Option<OrbitReport>,
    /// The target's perigee was no condition of the targeting: it is left where the finite
    /// perigee burns put it, within 50 km of the one asked; `orbit.perigee_km` is the one
    /// reached.
    #[serde(default)]
    pub perigee_free: bool,
    /// The escape asked for and achieved (`--orbit escape`); absent for a mission that ends in
    /// an orbit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escape: Option<EscapeReport>,
    /// Propellant aboard the upper stage at the ascent's cutoff for the transfer, kg.
    pub held_back_kg: f64,
    /// Burns of the upper stage, the ascent's own included when it flew one.
    pub upper_stage_burns: usize,
    /// The mission's last cutoff, s after liftoff.
    pub mission_time_s: f64,
}

/// An escape mission's hyperbola: the C3 asked for and the one flown, with the figures
/// `payload --orbit escape` gives (`c3_km2_s2`, `perigee_km`, `inclination_deg`, same meaning).
/// The upper stage and the payload leave on it and never come down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscapeReport {
    /// Characteristic energy asked for, km²/s².
    pub target_c3_km2_s2: f64,
    /// Declination of the departure asymptote asked for, degrees; absent when free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_asymptote_declination_deg: Option<f64>,
    /// Characteristic energy at the last cutoff, v² − 2μ/r, km²/s².
    pub c3_km2_s2: f64,
    /// Declination of the departure asymptote at the last cutoff, degrees.
    pub asymptote_declination_deg: f64,
    /// Perigee altitude of the hyperbola, km.
    pub perigee_km: f64,
    /// Inclination of the hyperbola, degrees.
    pub inclination_deg: f64,
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
    /// Dispersed falls that came down within the fall's time limit.
    pub samples_down: usize,
    /// Dispersed falls that did not come down (orbit, time limit).
    pub samples_not_down: usize,
    /// The footprint of the dispersed impacts; `null` when too few came down or they do not
    /// spread (every dispersion zero), and for a body whose nominal fall stays up (`orbit`): a
    /// body in orbit has no drop zone.
    pub footprint: Option<FootprintReport>,
    /// The orbit at separation and the estimated lifetime of a body whose nominal fall does not
    /// come down (in orbit, or still flying at the fall's time limit); absent for a body that
    /// comes down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orbit: Option<BodyOrbitReport>,
}

/// A body left up: its osculating orbit at separation and how long drag keeps it there, in the
/// static US Standard Atmosphere 1976 (docs/dropzones.md, *Bodies left in orbit*).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyOrbitReport {
    /// Perigee altitude above the equatorial radius, km.
    pub perigee_km: f64,
    /// Apogee altitude above the equatorial radius, km; absent when the body escapes (a
    /// hyperbola).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apogee_km: Option<f64>,
    /// Inclination, degrees.
    pub inclination_deg: f64,
    /// Ballistic coefficient m/(Cd·A) of the tumbling body, kg/m².
    pub ballistic_coefficient_kg_m2: f64,
    /// Estimated orbital lifetime from separation until the perigee has decayed to 120 km (the
    /// last hours are not counted), days; with `lifetime_capped`, a lower bound.
    pub lifetime_days: f64,
    /// The lifetime is more than the estimate's cap (100 years) or the body escapes:
    /// `lifetime_days` is then a lower bound.
    pub lifetime_capped: bool,
}

impl BodyOrbitReport {
    /// The lifetime in words: `2.1 d`, `140 d`, `6.3 years`, `more than 100 years`; `none:
    /// escapes` for a body on a hyperbola.
    pub fn lifetime_text(&self) -> String {
        let days = self.lifetime_days;
        match (self.apogee_km, self.lifetime_capped) {
            (None, _) => "none: escapes".to_owned(),
            (Some(_), true) => format!("more than {:.0} years", (days / 365.25).floor()),
            (Some(_), false) if days < 60.0 => format!("{days:.1} d"),
            (Some(_), false) if days < 730.0 => format!("{days:.0} d"),
            (Some(_), false) => format!("{:.1} years", days / 365.25),
        }
    }

    /// The orbit and lifetime in words, as every output states them: `in orbit 180 × 200 km at
    /// 63.00°, est. lifetime 2.1 d (static USSA76)`.
    pub fn describe(&self) -> String {
        match self.apogee_km {
            Some(apogee_km) => format!(
                "in orbit {:.0} × {:.0} km at {:.2}°, est. lifetime {} (static USSA76)",
                self.perigee_km,
                apogee_km,
                self.inclination_deg,
                self.lifetime_text()
            ),
            None => format!("escaping, perigee {:.0} km at {:.2}°: never comes down", self.perigee_km, self.inclination_deg),
        }
    }

    fn of(d: &OrbitDecay) -> Self {
        let e = &d.elements;
        BodyOrbitReport {
            perigee_km: round(e.perigee_altitude_m() / 1e3, 1),
            apogee_km: (!d.escapes()).then(|| round(e.apogee_altitude_m() / 1e3, 1)),
            inclination_deg: round(e.inclination_rad.to_degrees(), 3),
            ballistic_coefficient_kg_m2: round(d.ballistic_coefficient_kg_m2, 1),
            lifetime_days: round(d.lifetime.days(), 2),
            lifetime_capped: d.lifetime.capped,
        }
    }
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
    /// More than 1.1 % of the dispersed falls (what a 3-sigma ellipse leaves outside) did not come
    /// down: the ellipse is drawn from those that did and does not bound the body's falls. Absent
    /// (false) otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub incomplete: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The fall's time limit in words (`3 h`): the dispersed falls of the report end there.
pub fn fall_limit_text() -> String {
    format!("{:.0} h", FallOptions::default().max_flight_time_s / 3600.0)
}

/// What the dispersed falls of a body left in orbit did, in words, as every output says it:
/// `10/50 dispersed falls re-entered within 3 h: no drop zone`.
pub fn falls_in_orbit_text(samples_down: usize, samples: usize) -> String {
    format!("{samples_down}/{samples} dispersed falls re-entered within {}: no drop zone", fall_limit_text())
}

/// The designated zones and the dispersed falls inside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignatedZonesReport {
    /// Name of the zone set.
    pub name: String,
    /// The zone file (a built-in id's file, or the path given).
    pub file: String,
    /// Whether the ascent was shaped to the zones (the optimized direct ascent is; a given
    /// payload's is not, nor is a mission's through a parking orbit: its falls are only checked).
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

/// The nominal flight of a request whose stages fall, to a target orbit directly or through a
/// parking orbit: `fly`'s with the payload given, otherwise the payload optimizer's. The one
/// entry of every front end (`dropzones`, `POST /api/dropzones`, the Python package).
/// `progress` counts the flights.
pub fn dropzones_nominal_ascent(request: &DropzonesRequest<'_>, progress: Progress<'_>) -> Result<NominalAscent> {
    match request.payload_kg {
        Some(payload_kg) => {
            crate::flight::check_payload_kg(payload_kg)?;
            super::liftoff_limit::check_payload_kg(request.vehicle, payload_kg)?;
        }
        None => super::liftoff_limit::check_vehicle(request.vehicle)?,
    }
    match request.target {
        MissionTarget::Direct(target) => direct_ascent(request, &target, progress),
        MissionTarget::Transfer { parking, target } => transfer_ascent(request, parking, &target, progress),
    }
}

/// The direct ascent to `target`: `fly`'s targeted ascent with the payload given, otherwise the
/// payload optimizer's (shaped to the designated zones).
fn direct_ascent(request: &DropzonesRequest<'_>, target: &TargetOrbit, progress: Progress<'_>) -> Result<NominalAscent> {
    let r = request;
    if let Some(payload_kg) = r.payload_kg {
        let a = fly_to_orbit(r.vehicle, r.site, target, r.branch, payload_kg, r.options, progress)?;
        return Ok(NominalAscent {
            payload_kg,
            launch: a.launch,
            parameters: a.parameters,
            flight: a.flight,
            upper_stage_load_kg: a.upper_stage_load_kg,
            transfer: None,
        });
    }
    let zones = r.zones.map_or(&[][..], |z| &z.zones[..]);
    let s = maximize_payload_with(r.vehicle, r.site, target, r.branch, r.options, zones, &mut *progress)?;
    let (s, _) = super::liftoff_limit::held_to_liftoff_limit(r.vehicle, r.site, target, r.branch, r.options, s, progress)?;
    Ok(NominalAscent {
        payload_kg: s.payload_kg,
        launch: s.launch,
        parameters: s.parameters,
        flight: s.flight,
        upper_stage_load_kg: s.upper_stage_load_kg,
        transfer: None,
    })
}

/// The mission through `parking` on to `target`: with the payload given, `fly`'s mission
/// ([`fly_transfer`]); otherwise the payload optimizer's ([`maximize_transfer_payload`], the
/// mission of `payload --orbit`). The transfer optimizer takes no designated zones: the
/// request's zones are checked against the falls, not shaped to. An escape has no target orbit:
/// the leg states the C3 of its last cutoff.
fn transfer_ascent(
    request: &DropzonesRequest<'_>,
    parking: TargetOrbit,
    target: &TransferTarget,
    progress: Progress<'_>,
) -> Result<NominalAscent> {
    let r = request;
    let target_orbit = target.target_orbit(&parking)?;
    let mission = Transfer { vehicle: r.vehicle, site: r.site, parking, target: *target, branch: r.branch, options: r.options };
    let s = match r.payload_kg {
        Some(payload_kg) => fly_transfer(&mission, payload_kg, progress)?,
        None => {
            let s = maximize_transfer_payload(&mission, &mut *progress)?;
            super::liftoff_limit::transfer_held_to_liftoff_limit(&mission, s, progress)?.0
        }
    };
    let transfer = TransferLeg {
        target: *target,
        parking: s.parking,
        target_orbit,
        held_back_kg: s.held_back_kg,
        upper_stage_burns: s.burn_reports.len(),
        perigee_free: s.perigee_free,
        orbit: s.orbit,
    };
    Ok(NominalAscent {
        payload_kg: s.payload_kg,
        launch: s.launch,
        parameters: s.ascent,
        flight: s.flight,
        upper_stage_load_kg: s.upper_stage_load_kg,
        transfer: Some(transfer),
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
    let footprints = body_footprints(&results, &nominal);
    let bodies = results
        .iter()
        .zip(&nominal)
        .zip(&footprints)
        .zip(&flight.jettisoned)
        .map(|(((b, n), fp), body)| {
            let mean_downrange_km = b.mean_downrange_km();
            let footprint = fp.as_ref().map(|f| FootprintReport {
                sigma: f.sigma,
                mean_latitude_deg: round(f.mean.latitude_deg, 4),
                mean_longitude_deg: round(f.mean.longitude_deg, 4),
                mean_downrange_km: round(mean_downrange_km, 1),
                semi_major_km: round(f.semi_major_km, 2),
                semi_minor_km: round(f.semi_minor_km, 2),
                orientation_deg: round(f.orientation_deg, 2),
                incomplete: footprint_incomplete(b.impacts.len(), b.not_down),
            });
            if let Some(f) = &footprint {
                check_finite(
                    "drop-zone",
                    [f.mean_latitude_deg, f.mean_longitude_deg, f.mean_downrange_km, f.semi_major_km, f.semi_minor_km, f.orientation_deg],
                )?;
            }
            // A body whose nominal fall stays up: its orbit and lifetime (the nominal fall's
            // body: its separation state, mass and tumbling drag, no dispersion).
            let orbit = match n.impact() {
                Some(_) => None,
                None => {
                    let p = &body.point;
                    let d = orbit_decay(&p.position_eci_m, &p.velocity_eci_m_s, body.mass_kg, &n.tumbling, &DecayOptions::default())?;
                    let o = BodyOrbitReport::of(&d);
                    check_finite(
                        "drop-zone",
                        [o.perigee_km, o.apogee_km.unwrap_or(0.0), o.inclination_deg, o.ballistic_coefficient_kg_m2, o.lifetime_days],
                    )?;
                    Some(o)
                }
            };
            Ok(BodyFallReport {
                name: b.name.clone(),
                tumbling_cd: round(b.tumbling.cd, 3),
                tumbling_area_m2: round(b.tumbling.area_m2, 2),
                nominal_impact: ImpactReport::of(n),
                samples_down: b.impacts.len(),
                samples_not_down: b.not_down,
                footprint,
                orbit,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let designated_zones = r.zones.map(|zones| {
        let checks = zones.check_nominal(&vehicle, &flight.jettisoned);
        let inside = dispersed_inside(&zones.zones, &checks, &results);
        DesignatedZonesReport {
            name: zones.name.clone(),
            file: zones.file.clone(),
            ascent_shaped: r.payload_kg.is_none() && ascent.transfer.is_none(),
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
    let ascent_orbit = r.target.ascent_orbit();
    let transfer = ascent.transfer.as_ref().map(|t| TransferMissionReport {
        target: t.target.describe(),
        parking: OrbitReport::new(t.parking.perigee_m, t.parking.apogee_m, t.parking.inclination_deg),
        // An escape reports its C3, not an orbit (as `payload --orbit escape` does).
        orbit: t.target_orbit.map(|_| OrbitReport::of(&t.orbit)),
        perigee_free: t.perigee_free,
        escape: match t.target {
            TransferTarget::Escape { c3_m2_s2, declination_deg } => Some(EscapeReport {
                target_c3_km2_s2: round(c3_m2_s2 / 1e6, 4),
                target_asymptote_declination_deg: declination_deg.map(|d| round(d, 3)),
                c3_km2_s2: round(t.orbit.c3_m2_s2(MU_EARTH_M3_S2) / 1e6, 4),
                asymptote_declination_deg: round(
                    asymptote_declination_deg(&flight.final_point.position_eci_m, &flight.final_point.velocity_eci_m_s),
                    3,
                ),
                perigee_km: round(t.orbit.perigee_altitude_m() / 1e3, 3),
                inclination_deg: round(t.orbit.inclination_rad.to_degrees(), 4),
            }),
            _ => None,
        },
        held_back_kg: round(t.held_back_kg, 1),
        upper_stage_burns: t.upper_stage_burns,
        mission_time_s: round(flight.final_point.time_s, 2),
    });
    if let Some(t) = &transfer {
        check_finite("drop-zone", [t.held_back_kg, t.mission_time_s])?;
        if let Some(o) = &t.orbit {
            check_finite("drop-zone", [o.perigee_km, o.apogee_km, o.inclination_deg])?;
        }
        if let Some(e) = &t.escape {
            check_finite("drop-zone", [e.c3_km2_s2, e.asymptote_declination_deg, e.perigee_km, e.inclination_deg])?;
        }
    }
    let target = match &ascent.transfer {
        Some(t) => t.target_orbit,
        None => Some(ascent_orbit),
    };
    let report = DropzonesReport {
        format: DROPZONES_FORMAT.to_owned(),
        vehicle: r.vehicle.name.clone(),
        site: r.site.id.clone(),
        target: target.map(|t| OrbitReport::target(&t)),
        ascent: if r.payload_kg.is_some() { AscentKind::Targeted } else { AscentKind::Optimized },
        transfer,
        payload_kg: super::common::payload_down_kg(ascent.payload_kg),
        upper_stage_load_kg: ascent.upper_stage_load_kg.map(|kg| round(kg, 1)),
        launch_azimuth_deg: round(ascent.launch.azimuth_deg, 4),
        samples: r.samples,
        seed: r.seed,
        bodies,
        designated_zones,
        notes: r.note.map(str::to_owned).into_iter().collect(),
    };
    Ok(DropzonesMission { report, nominal, results, footprints })
}

/// Each body's footprint: `None` for a body whose nominal fall does not come down (it has no
/// drop zone, however many of its dispersed falls did) and when too few came down or they do not
/// spread ([`crate::dropzone::footprint::footprint`]).
fn body_footprints(results: &[BodyImpacts], nominal: &[NominalImpact]) -> Vec<Option<Footprint>> {
    results.iter().zip(nominal).map(|(b, n)| n.impact().and_then(|_| b.footprint(FOOTPRINT_SIGMA, ELLIPSE_VERTICES))).collect()
}

/// The footprints of a small Monte Carlo with the default dispersions (calm air), by body name:
/// what the ground track of `payload --out` outlines; none for a body whose nominal fall stays
/// up, as [`dropzones`] reports it. The solid motors are dispersed as
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
    let nominal = nominal_impacts(vehicle, launch, &flight.jettisoned, None, &FallOptions::default())?;
    let footprints = body_footprints(&results, &nominal);
    Ok(results.iter().zip(footprints).filter_map(|(b, f)| f.map(|f| (b.name.clone(), f))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dropzone::monte_carlo::motor_reference_bodies;
    use crate::mission::orbits::OrbitShortcut;
    use crate::mission::transfer::{mission_target, OrbitOverrides};
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// The parking orbit and transfer target of a named orbit.
    fn transfer_of(shortcut: OrbitShortcut, site: &Site, vehicle: &Vehicle, overrides: &OrbitOverrides) -> (TargetOrbit, TransferTarget) {
        match mission_target(shortcut, site, vehicle, overrides).expect("named orbit") {
            MissionTarget::Transfer { parking, target } => (parking, target),
            MissionTarget::Direct(t) => panic!("{shortcut} is flown directly: {t:?}"),
        }
    }

    /// Soyuz-2.1b/Fregat-MT to GSO from Vostochny, the payload optimizer's mission: its bodies
    /// are the whole mission's in separation order; each that comes down falls exactly where the
    /// same ascent flown on its own to the parking orbit (the Monte Carlo's replay, without the
    /// transfer burns) drops it; the report states the mission's target orbit (GSO), its parking
    /// orbit and its burns; the Monte Carlo gives the same impacts for the same seed and others
    /// for another.
    #[test]
    fn a_gso_mission_drops_its_stages_where_its_ascent_to_the_parking_orbit_does() {
        let (v, _) = resolve_vehicle("soyuz-2.1b-fregat").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.get("vostochny").expect("site");
        let (parking, target) = transfer_of(OrbitShortcut::Gso, site, &v, &OrbitOverrides::default());
        let dispersions = Dispersions::default();
        let request = mission_request(&v, site, MissionTarget::Transfer { parking, target }, &dispersions, 20, 7);
        let ascent = dropzones_nominal_ascent(&request, &mut |_| {}).expect("mission to GSO");
        let leg = ascent.transfer.expect("through the parking orbit");
        assert!(ascent.upper_stage_load_kg.is_none());
        assert!(leg.upper_stage_burns >= 3, "{leg:?}");
        assert!(ascent.flight.final_point.time_s > 3.0 * 3600.0, "the flight is the whole mission");
        let down = falls_where_the_ascent_alone_drops(&v, &request, &ascent);
        assert!(down >= 3, "boosters, core, third stage and fairing come down: {down}");

        let m = dropzones(&request, &ascent, &|_, _| {}, &AtomicBool::new(false)).expect("drop zones");
        let r = &m.report;
        assert_eq!(r.target, Some(OrbitReport::new(35_786e3, 35_786e3, 0.0)));
        let t = r.transfer.as_ref().expect("transfer member");
        assert_eq!((t.target.as_str(), t.parking), ("GSO", OrbitReport::new(200e3, 200e3, parking.inclination_deg)));
        let o = t.orbit.expect("an orbit at the last cutoff");
        assert!((o.apogee_km - 35_786.0).abs() < 50.0 && o.inclination_deg < 0.1, "{t:?}");
        assert!(t.escape.is_none(), "{t:?}");
        bodies_match_the_flight(r, &ascent);
        let again = dropzones(&request, &ascent, &|_, _| {}, &AtomicBool::new(false)).expect("drop zones");
        assert_eq!(again.results, m.results);
        let other = dropzones(&DropzonesRequest { seed: 8, ..request }, &ascent, &|_, _| {}, &AtomicBool::new(false)).expect("drop zones");
        assert_ne!(other.results, m.results);
    }

    /// Every body of the mission `ascent` (flown for `request`) that comes down nominally falls
    /// exactly where the same ascent flown on its own to the parking orbit (the Monte Carlo's
    /// replay, without the burns after it) drops it: the burns after the parking orbit move
    /// nothing that falls. Returns how many come down. `v` is the vehicle of the request: the
    /// replay flies it as the mission did (its upper stage offloaded when the optimizer did).
    fn falls_where_the_ascent_alone_drops(v: &Vehicle, request: &DropzonesRequest<'_>, ascent: &NominalAscent) -> usize {
        let flown = ascent.flown_vehicle(v);
        let v = flown.as_ref();
        let setup = MonteCarloSetup {
            vehicle: v,
            launch: ascent.launch,
            bodies: &ascent.flight.jettisoned,
            dispersions: *request.dispersions,
            wind: None,
            options: FallOptions::default(),
            ascent: Some(ascent.replay(request.options)),
            samples: request.samples,
            seed: request.seed,
        };
        let alone = motor_reference_bodies(&setup).expect("replay").expect("an ascent to replay");
        let options = FallOptions::default();
        let nominal = nominal_impacts(v, &ascent.launch, &ascent.flight.jettisoned, None, &options).expect("falls");
        let mut down = 0;
        for ((body, n), replayed) in ascent.flight.jettisoned.iter().zip(&nominal).zip(&alone) {
            let Some(impact) = n.impact() else { continue };
            down += 1;
            let replayed = replayed.as_ref().unwrap_or_else(|| panic!("{} falls, but the ascent alone does not drop it", body.name));
            let own = nominal_impacts(v, &ascent.launch, std::slice::from_ref(replayed), None, &options).expect("fall");
            let own = own[0].impact().unwrap_or_else(|| panic!("{} stays up from the ascent alone", body.name));
            assert_eq!((impact.latitude_deg, impact.longitude_deg), (own.latitude_deg, own.longitude_deg), "{}", body.name);
        }
        down
    }

    /// The report's bodies are the flight's, in separation order, each with every sample
    /// accounted for, finite figures, and no impact only for a body released above the
    /// atmosphere (in orbit, or escaping).
    fn bodies_match_the_flight(r: &DropzonesReport, ascent: &NominalAscent) {
        assert_eq!(r.bodies.len(), ascent.flight.jettisoned.len());
        for (b, body) in r.bodies.iter().zip(&ascent.flight.jettisoned) {
            assert_eq!(b.name, body.name);
            assert_eq!(b.samples_down + b.samples_not_down, r.samples, "{b:?}");
            match &b.nominal_impact {
                None => assert!(body.point.altitude_m > 140e3, "{} stays up from {} m", b.name, body.point.altitude_m),
                Some(i) => assert!(i.latitude_deg.is_finite() && i.longitude_deg.is_finite() && i.flight_time_s.is_finite(), "{b:?}"),
            }
        }
        assert!(ascent.flight.jettisoned.windows(2).all(|w| w[0].point.time_s <= w[1].point.time_s));
    }

    /// The payload optimizer's mission from `site` to `target`, northbound, without zones or
    /// wind.
    fn mission_request<'a>(
        vehicle: &'a Vehicle,
        site: &'a Site,
        target: MissionTarget,
        dispersions: &'a Dispersions,
        samples: usize,
        seed: u64,
    ) -> DropzonesRequest<'a> {
        DropzonesRequest {
            vehicle,
            site,
            target,
            note: None,
            branch: Branch::Northbound,
            payload_kg: None,
            zones: None,
            dispersions,
            wind: None,
            samples,
            seed,
            options: FlightOptions::default(),
        }
    }

    /// Escapes at C3 5 km²/s² from Vostochny, the payload optimizer's missions of Soyuz-2.1b/
    /// Fregat-MT and Angara-A5/Briz-M (whose drop tank leaves between the burns): every body
    /// that comes down falls where the same ascent alone to the parking orbit drops it; the upper
    /// stage, left at the last cutoff on the hyperbola, does not come down; the report has no
    /// target orbit and states the C3 asked for and achieved (within 0.05 km²/s²), every body
    /// accounted for with finite figures.
    #[test]
    fn an_escape_drops_its_stages_where_its_ascent_to_the_parking_orbit_does() {
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.get("vostochny").expect("site");
        for id in ["soyuz-2.1b-fregat", "angara-a5-briz-m"] {
            let (v, _) = resolve_vehicle(id).expect("catalog");
            let overrides = OrbitOverrides { c3_km2_s2: Some(5.0), ..OrbitOverrides::default() };
            let (parking, target) = transfer_of(OrbitShortcut::Escape, site, &v, &overrides);
            let dispersions = Dispersions::default();
            let request = mission_request(&v, site, MissionTarget::Transfer { parking, target }, &dispersions, 8, 3);
            let ascent = dropzones_nominal_ascent(&request, &mut |_| {}).unwrap_or_else(|e| panic!("{id}: {e}"));
            let leg = ascent.transfer.expect("through the parking orbit");
            assert!(leg.target_orbit.is_none(), "{id}: {leg:?}");
            let c3_m2_s2 = leg.orbit.c3_m2_s2(MU_EARTH_M3_S2);
            assert!((c3_m2_s2 - 5e6).abs() < 0.05e6, "{id}: C3 {} km²/s²", c3_m2_s2 / 1e6);
            let down = falls_where_the_ascent_alone_drops(&v, &request, &ascent);
            assert!(down >= 3, "{id}: boosters, core and fairing come down: {down}");

            // The upper stage at its last cutoff, as a released body, does not come down.
            let last = v.stages.len() - 1;
            let s = &v.stages[last];
            let upper = crate::flight::JettisonedBody {
                name: s.name.clone(),
                stage: Some(last),
                kind: Some(s.kind),
                count: s.units,
                mass_kg: s.dry_mass_kg + s.residual_mass_kg,
                point: ascent.flight.final_point,
            };
            let falls = nominal_impacts(&v, &ascent.launch, std::slice::from_ref(&upper), None, &FallOptions::default()).expect("fall");
            assert!(falls[0].impact().is_none(), "{id}: the upper stage comes down from its escape: {:?}", falls[0]);

            let m = dropzones(&request, &ascent, &|_, _| {}, &AtomicBool::new(false)).expect("drop zones");
            let r = &m.report;
            assert!(r.target.is_none(), "{id}: {:?}", r.target);
            let t = r.transfer.as_ref().expect("transfer member");
            assert!(t.orbit.is_none() && t.target.starts_with("escape with C3 5.00"), "{id}: {t:?}");
            let e = t.escape.expect("escape member");
            assert_eq!(e.target_c3_km2_s2, 5.0);
            assert!((e.c3_km2_s2 - 5.0).abs() < 0.05 && e.perigee_km > 140.0, "{id}: {e:?}");
            bodies_match_the_flight(r, &ascent);
            let json = serde_json::to_string(r).expect("json");
            assert_eq!(serde_json::from_str::<DropzonesReport>(&json).expect("round trip"), *r);
            eprintln!(
                "{id}: payload {} kg, C3 {} km²/s², bodies {:?}",
                r.payload_kg,
                e.c3_km2_s2,
                r.bodies
                    .iter()
                    .map(|b| (b.name.as_str(), b.nominal_impact.map(|i| (i.latitude_deg, i.longitude_deg)), b.samples_down))
                    .collect::<Vec<_>>()
            );
        }
    }

    /// Angara-A5/Briz-M to GSO from Plesetsk, the payload optimizer's mission: URM-2 is left in
    /// the 200 km parking orbit and the auxiliary propellant tank in a high one. Neither has a
    /// footprint, whatever share of their dispersed falls came down within the time limit; each
    /// has its orbit at separation and a lifetime: URM-2 days (a stage in a 200 km orbit), the
    /// tank more than the cap (its perigee is near 1000 km). Every body that comes down keeps its
    /// footprint and has no orbit.
    #[test]
    fn a_body_left_in_the_parking_orbit_has_an_orbit_and_a_lifetime_and_no_footprint() {
        let (v, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.get("plesetsk").expect("site");
        let (parking, target) = transfer_of(OrbitShortcut::Gso, site, &v, &OrbitOverrides::default());
        let dispersions = Dispersions::default();
        let request = mission_request(&v, site, MissionTarget::Transfer { parking, target }, &dispersions, 50, 1);
        let ascent = dropzones_nominal_ascent(&request, &mut |_| {}).expect("mission to GSO");
        let m = dropzones(&request, &ascent, &|_, _| {}, &AtomicBool::new(false)).expect("drop zones");
        let r = &m.report;
        let urm2 = r.bodies.iter().find(|b| b.name == "URM-2").expect("URM-2");
        assert!(urm2.nominal_impact.is_none() && urm2.footprint.is_none(), "{urm2:?}");
        let o = urm2.orbit.expect("URM-2's orbit");
        // The osculating orbit at separation, an hour into the parking orbit: within the 20 km that
        // J2 moves an osculating perigee about its mean.
        assert!(
            (o.perigee_km - parking.perigee_m / 1e3).abs() < 30.0 && o.apogee_km.is_some_and(|a| (a - parking.apogee_m / 1e3).abs() < 30.0),
            "{o:?}"
        );
        assert!((o.inclination_deg - parking.inclination_deg).abs() < 0.5, "{o:?}");
        assert!(!o.lifetime_capped && o.lifetime_days > 0.5 && o.lifetime_days < 60.0, "{o:?}");
        let apt = r.bodies.iter().find(|b| b.name == "Briz-M APT").expect("the tank");
        let t = apt.orbit.expect("the tank's orbit");
        assert!(apt.footprint.is_none() && t.perigee_km > 500.0 && t.lifetime_capped, "{apt:?}");
        assert!(t.lifetime_days >= 0.99 * crate::dropzone::decay::MAX_LIFETIME_YEARS * 365.25, "{t:?}");
        for (b, fp) in r.bodies.iter().zip(&m.footprints) {
            assert_eq!(b.orbit.is_none(), b.nominal_impact.is_some(), "{b:?}");
            assert_eq!(fp.is_some(), b.footprint.is_some(), "{b:?}");
            if b.nominal_impact.is_some() {
                assert!(b.footprint.is_some_and(|f| !f.incomplete), "{b:?}");
            }
        }
        let json = serde_json::to_string(r).expect("json");
        assert_eq!(serde_json::from_str::<DropzonesReport>(&json).expect("round trip"), *r);
        eprintln!("URM-2 {o:?}, {}/{} down; tank {t:?}", urm2.samples_down, r.samples);
    }

    /// A footprint is incomplete past 1.1 % of falls not down (what a 3-sigma ellipse leaves
    /// out), and only then.
    #[test]
    fn a_footprint_is_incomplete_when_more_falls_stay_up_than_its_ellipse_leaves_out() {
        assert!(!footprint_incomplete(1000, 0) && !footprint_incomplete(989, 11));
        assert!(footprint_incomplete(988, 12) && footprint_incomplete(41, 9));
    }

    /// The lifetime in words: days, then years, the cap, an escape.
    #[test]
    fn a_lifetime_reads_in_days_or_years() {
        let o = |lifetime_days: f64, lifetime_capped: bool, apogee_km: Option<f64>| BodyOrbitReport {
            perigee_km: 180.3,
            apogee_km,
            inclination_deg: 63.0,
            ballistic_coefficient_kg_m2: 145.6,
            lifetime_days,
            lifetime_capped,
        };
        let text = |d, c, a| o(d, c, a).lifetime_text();
        assert_eq!(text(2.13, false, Some(200.1)), "2.1 d");
        assert_eq!(text(140.4, false, Some(400.0)), "140 d");
        assert_eq!(text(2300.0, false, Some(600.0)), "6.3 years");
        assert_eq!(text(36525.0, true, Some(35783.2)), "more than 100 years");
        assert_eq!(text(36525.0, true, None), "none: escapes");
        assert_eq!(o(2.13, false, Some(200.1)).describe(), "in orbit 180 × 200 km at 63.00°, est. lifetime 2.1 d (static USSA76)");
    }
}
