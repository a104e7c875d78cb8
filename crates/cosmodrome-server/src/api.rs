//! The JSON API: request bodies named as the CLI's flags (snake_case), turned into the core's
//! requests, answered with the core's reports unchanged. The bodies of the missions share their
//! vehicle, pad and orbit members ([`TargetBody`], flattened: the wire format is flat).

use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::StatusCode;
use cosmodrome::dropzone::{AscentReplay, DesignatedZones, Dispersions, WindProfile};
use cosmodrome::flight::{FlightOptions, FlightResult};
use cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG;
use cosmodrome::guidance::{AscentParameters, Branch, UpperSteering};
use cosmodrome::mission::fly::{Heading, Steering};
use cosmodrome::mission::{self, FlyRequest, PayloadRequest, PropellantRequest, TradeFactorReport, TradeItem};
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome::propulsion::chemistry::{builtin_propellants, builtin_species, Flow, NozzleExit};
use cosmodrome::vehicle::{catalog_ids, is_site_file, resolve_vehicle, unknown_vehicle, Site, SiteCatalog, Vehicle};
use cosmodrome_io::dropzones_geojson::{dropzones_geojson, BodyInOrbit, DropZone};
use cosmodrome_io::dropzones_kml::dropzones_kml;
use cosmodrome_io::impacts_csv::{impacts_columns, impacts_csv};
use cosmodrome_io::parquet::parquet_bytes;
use cosmodrome_io::{utc, Epoch, OutputOptions};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::runs::{designated_plot_zones, PlotZones, RunInputs, RunLink};

/// Most dispersed falls per body a request may ask for (as the CLI).
pub const MAX_SAMPLES: usize = 100_000;

fn default_site() -> String {
    "vostochny".to_owned()
}
fn default_perigee_km() -> f64 {
    200.0
}
fn default_samples() -> usize {
    1000
}
fn default_seed() -> u64 {
    1
}
fn default_ambient_pressure_bar() -> f64 {
    1.01325
}

/// The members every request for a mission shares (`payload`, `transfer`, `fly`, `dropzones`):
/// the vehicle, the pad, and the target orbit's elements. Flattened into each body (the members
/// sit at its top level, as the CLI's flags); unknown members are still refused by the body's
/// `deny_unknown_fields`, which serde applies to what no part of the body takes.
/// `P` is the type of `perigee_km`: [`PerigeeKm`] (200 km unless given) where the body has no
/// named orbit, `Option<f64>` (absent: the named orbit's) where it may have one.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct TargetBody<P: PerigeeMember = Option<f64>> {
    /// Catalog id (`soyuz-2.1b`); give this or `vehicle_toml`.
    pub vehicle: Option<String>,
    /// The text of a vehicle file, instead of a catalog id.
    pub vehicle_toml: Option<String>,
    /// Cosmodrome or pad id.
    #[serde(default = "default_site")]
    pub site: String,
    /// Target perigee altitude, km (default 200; in a body with `orbit`, the named orbit's).
    #[serde(default = "P::absent", skip_serializing_if = "P::is_absent")]
    pub perigee_km: P,
    /// Target apogee altitude, km (default: the perigee; in a body with `orbit`, the named
    /// orbit's).
    pub apogee_km: Option<f64>,
    /// Target inclination, degrees (default: the lowest the site allows; in a body with `orbit`,
    /// the named orbit's).
    pub inclination_deg: Option<f64>,
    /// Fly the southbound leg.
    #[serde(default)]
    pub southbound: bool,
}

/// A request body: what the server parses, and the part flattened into it.
pub trait Body: serde::de::DeserializeOwned + JsonSchema {
    /// The members flattened into the body ([`TargetBody`]), parsed alone to name the one at
    /// fault: serde reads a flattened part from a buffer, and its errors lose the member's name
    /// and line. `IgnoredAny` for a body with none.
    type Flattened: serde::de::DeserializeOwned;
}

impl Body for PayloadBody {
    type Flattened = TargetBody<PerigeeKm>;
}
impl Body for DropzonesBody {
    type Flattened = TargetBody;
}
impl Body for TransferBody {
    type Flattened = TargetBody;
}
impl Body for FlyBody {
    type Flattened = TargetBody;
}
impl Body for InfoBody {
    type Flattened = serde::de::IgnoredAny;
}
impl Body for PropellantBody {
    type Flattened = serde::de::IgnoredAny;
}

/// The type of `perigee_km` in a [`TargetBody`]: its value when the member is absent (serde's
/// default, and the default the OpenAPI document states unless [`Self::is_absent`]).
pub trait PerigeeMember: Serialize + JsonSchema + Sized {
    /// The value of an absent member.
    fn absent() -> Self;
    /// Whether the value stands for no perigee given (no default stated).
    fn is_absent(&self) -> bool;
}

/// `perigee_km` where the body has no named orbit: a number, 200 km when absent.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(inline)]
pub struct PerigeeKm(pub f64);

impl PerigeeMember for PerigeeKm {
    fn absent() -> Self {
        PerigeeKm(default_perigee_km())
    }
    fn is_absent(&self) -> bool {
        false
    }
}

impl PerigeeMember for Option<f64> {
    fn absent() -> Self {
        None
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

/// `POST /api/payload`: the flags of `cosmodrome payload`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayloadBody {
    /// The vehicle, the pad and the orbit (perigee 200 km unless given).
    #[serde(flatten)]
    pub target: TargetBody<PerigeeKm>,
    /// Argument of perigee the ascent holds, degrees (an eccentric orbit's; default: free).
    pub argument_of_perigee_deg: Option<f64>,
    /// A built-in designated drop-zone set id (no paths).
    pub drop_zones: Option<String>,
    /// UTC epoch of liftoff in the run's files (`trajectory.oem`, the report), as
    /// `YYYY-MM-DDThh:mm:ssZ` (default 2026-01-01T00:00:00Z).
    pub launch_utc: Option<String>,
    /// Add the payload trade factors to the report (`trade_factors`), as `--trade-factors`
    /// does: two more payload optimizations per stage figure and for the fairing.
    #[serde(default)]
    pub trade_factors: bool,
}

/// `POST /api/transfer`: the flags of `cosmodrome payload --orbit NAME` — a named orbit with
/// default elements per site, each overridable; the high orbits of a vehicle with a restartable
/// upper stage through a parking orbit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The vehicle, the pad, and the elements that override the named orbit's.
    #[serde(flatten)]
    pub target: TargetBody,
    /// The named orbit: leo, sso, gto, gto-1800, gto-1500, gso, meo, molniya, escape.
    pub orbit: String,
    /// Argument of perigee, degrees (default: the named orbit's).
    pub argument_of_perigee_deg: Option<f64>,
    /// Characteristic energy of an escape, km²/s² (default: the named orbit's).
    pub c3_km2_s2: Option<f64>,
    /// Declination of an escape's departure asymptote, degrees, −90…90 (`orbit` escape only;
    /// default: free).
    pub declination_deg: Option<f64>,
    /// Add the payload trade factors to the report (`trade_factors`), as `--trade-factors`
    /// does: two more optimizations of the whole mission per stage figure and for the fairing.
    #[serde(default)]
    pub trade_factors: bool,
}

/// `POST /api/info`: the arguments of `cosmodrome info`, for a vehicle file sent as text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfoBody {
    /// Catalog id; give this or `vehicle_toml`.
    pub vehicle: Option<String>,
    /// The text of a vehicle file.
    pub vehicle_toml: Option<String>,
    /// Payload carried for the budget, kg.
    #[serde(default)]
    pub payload_kg: f64,
}

/// `POST /api/fly`: the flags of `cosmodrome fly` (targeted ascent).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlyBody {
    /// The vehicle, the pad and the orbit (without `orbit`: perigee 200 km unless given; with
    /// it, the elements that override the named orbit's).
    #[serde(flatten)]
    pub target: TargetBody,
    /// Payload mass, kg; required without `orbit`. With `orbit`, absent: the largest payload.
    pub payload_kg: Option<f64>,
    /// Fly the whole mission to this named orbit (`cosmodrome fly --orbit NAME`): leo, sso, gto,
    /// gto-1800, gto-1500, gso, meo, molniya, escape, with default elements per site that
    /// `perigee_km`, `apogee_km`, `inclination_deg`, `argument_of_perigee_deg`, `c3_km2_s2` and
    /// `declination_deg` override. A direct ascent, or for a vehicle with a restartable upper stage the ascent to
    /// a parking orbit, coasts and burns; the answer is then `{report, transfer | payload,
    /// trajectory?, run?}` (see the member `orbit` of the OpenAPI document).
    pub orbit: Option<String>,
    /// Argument of perigee the ascent holds, degrees (with `orbit`, default: the named orbit's;
    /// without it, an eccentric orbit's, default: free; not with `open_loop`).
    pub argument_of_perigee_deg: Option<f64>,
    /// Characteristic energy of an escape, km²/s² (with `orbit`; default: the named orbit's).
    pub c3_km2_s2: Option<f64>,
    /// Declination of an escape's departure asymptote, degrees, −90…90 (with `orbit` escape;
    /// default: free).
    pub declination_deg: Option<f64>,
    /// Trajectory sampling interval, s (default 1; through a parking orbit, 10).
    pub sample_interval_s: Option<f64>,
    /// Fly the open-loop program (vertical rise, kick, gravity turn, linear-tangent steering to
    /// `final_pitch_deg`) instead of the targeted ascent: the answer is the orbit it reaches, or
    /// where it comes down. The members below need it.
    #[serde(default)]
    pub open_loop: bool,
    /// Launch azimuth over the ground, degrees from north, instead of `inclination_deg` (open loop).
    pub azimuth_deg: Option<f64>,
    /// Vertical rise after liftoff, s (open loop; default 10).
    pub vertical_rise_s: Option<f64>,
    /// The pitch-over waits until the air speed reaches this, m/s (open loop; default 25).
    pub pitch_over_speed_m_s: Option<f64>,
    /// Pitch-over kick from the vertical, degrees (open loop; default: the kick that brings the
    /// gravity turn to `staging_fpa_deg` at upper-stage ignition).
    pub pitch_kick_deg: Option<f64>,
    /// Inertial flight-path angle at upper-stage ignition the default kick aims for, degrees
    /// (open loop; default 12).
    pub staging_fpa_deg: Option<f64>,
    /// Duration of the pitch-over kick, s (open loop; default 10).
    pub pitch_kick_duration_s: Option<f64>,
    /// Pitch above the horizon at the end of powered flight, degrees (open loop; default 0).
    pub final_pitch_deg: Option<f64>,
    /// Keep the gravity turn through the upper stages (open loop).
    #[serde(default)]
    pub gravity_turn_only: bool,
    /// Cut the last stage's main engines off this long after its ignition, s, leaving the
    /// engines its file flags `burns_on` (open loop; the targeted ascent chooses it itself).
    pub main_engine_burn_s: Option<f64>,
    /// UTC epoch of liftoff in the run's files (`trajectory.oem`, the report), as
    /// `YYYY-MM-DDThh:mm:ssZ` (default 2026-01-01T00:00:00Z).
    pub launch_utc: Option<String>,
}

/// `POST /api/dropzones`: the flags of `cosmodrome dropzones`; files are sent as text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DropzonesBody {
    /// The vehicle, the pad and the orbit (without `orbit`: perigee 200 km unless given; with
    /// it, the elements that override the named orbit's).
    #[serde(flatten)]
    pub target: TargetBody,
    /// The bodies of the whole mission to this named orbit fall (`cosmodrome dropzones --orbit
    /// NAME`): leo, sso, gto, gto-1800, gto-1500, gso, meo, molniya, escape (the upper stage and
    /// the payload leave on the hyperbola: the report has no `target`, its `transfer.escape`
    /// gives the C3), with default elements per site that
    /// `perigee_km`, `apogee_km`, `inclination_deg`, `argument_of_perigee_deg`, `c3_km2_s2` and
    /// `declination_deg` override. Through a parking orbit the nominal flight is the whole mission's (the
    /// report's `transfer`), and designated zones are checked, not shaped to.
    pub orbit: Option<String>,
    /// Argument of perigee the ascent holds, degrees (with `orbit`, default: the named orbit's;
    /// without it, an eccentric orbit's, default: free).
    pub argument_of_perigee_deg: Option<f64>,
    /// Characteristic energy of an escape, km²/s² (with `orbit`; default: the named orbit's).
    pub c3_km2_s2: Option<f64>,
    /// Declination of an escape's departure asymptote, degrees, −90…90 (with `orbit` escape;
    /// default: free).
    pub declination_deg: Option<f64>,
    /// A built-in designated drop-zone set id.
    pub drop_zones: Option<String>,
    /// Fly `fly`'s targeted ascent with this payload instead of the optimized one, kg.
    pub payload_kg: Option<f64>,
    /// Dispersed falls per body.
    #[serde(default = "default_samples")]
    pub samples: usize,
    /// Seed of the draws.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// One-sigma dispersions file text (docs/dropzones.md).
    pub dispersions_toml: Option<String>,
    /// Wind profile file text.
    pub wind_toml: Option<String>,
    /// UTC epoch of liftoff in the run's files (`trajectory.oem`, the report), as
    /// `YYYY-MM-DDThh:mm:ssZ` (default 2026-01-01T00:00:00Z).
    pub launch_utc: Option<String>,
}

/// `POST /api/propellant`: the flags of `cosmodrome propellant` (one mixture ratio).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropellantBody {
    /// Oxidizer name.
    pub oxidizer: String,
    /// Fuel name.
    pub fuel: String,
    /// Oxidizer-to-fuel mass ratio, or a sweep `"start:end:step"` (e.g. `"1.5:3.5:0.05"`),
    /// answered with the sweep report.
    pub mixture_ratio: MixtureRatio,
    /// Chamber pressure, bar.
    pub chamber_pressure_bar: f64,
    /// Nozzle exit over throat area; give this or `pressure_ratio`.
    pub expansion_ratio: Option<f64>,
    /// Chamber over exit pressure.
    pub pressure_ratio: Option<f64>,
    /// Composition frozen at the chamber.
    #[serde(default)]
    pub frozen: bool,
    /// Frozen from the throat on.
    #[serde(default)]
    pub frozen_at_throat: bool,
    /// Ambient pressure, bar.
    #[serde(default = "default_ambient_pressure_bar")]
    pub ambient_pressure_bar: f64,
}

/// `mixture_ratio`: one number, or a sweep as the CLI's `--mixture-ratio start:end:step`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MixtureRatio {
    /// One oxidizer-to-fuel mass ratio.
    Value(f64),
    /// `"start:end:step"`, end included (or one number as text).
    Sweep(String),
}

impl MixtureRatio {
    /// The ratios, and whether a sweep was asked for (the core's parser, naming the member).
    fn ratios(&self) -> Result<(Vec<f64>, bool), ApiError> {
        let text = match self {
            MixtureRatio::Value(v) => return Ok((vec![finite("mixture_ratio", *v)?], false)),
            MixtureRatio::Sweep(t) => t,
        };
        let (ratios, sweep) = mission::propellant::mixture_ratios(text).map_err(|e| match e {
            cosmodrome::Error::InvalidInput { message, .. } => {
                ApiError::bad("mixture_ratio", format!("invalid mixture_ratio `{text}`: {message}"))
            }
            e => ApiError::core(e),
        })?;
        if let [one] = ratios[..] {
            finite("mixture_ratio", one)?;
        }
        Ok((ratios, sweep))
    }
}

/// One catalog vehicle of `GET /api/vehicles`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VehicleEntry {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Family (the pads that serve it).
    pub family: Option<String>,
    /// Stage names, bottom up.
    pub stages: Vec<String>,
    /// Liftoff mass without payload, kg.
    pub liftoff_mass_kg: f64,
    /// One line about it.
    pub description: String,
}

/// The sampled flight for the page's plots and ground track (`?trajectory=true`): one array per
/// quantity, as the columns of `trajectory.csv`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Trajectory {
    /// Time after liftoff, s.
    pub time_s: Vec<f64>,
    /// Geodetic altitude, m.
    pub altitude_m: Vec<f64>,
    /// Inertial speed, m/s.
    pub speed_m_s: Vec<f64>,
    /// Dynamic pressure, Pa.
    pub dynamic_pressure_pa: Vec<f64>,
    /// Axial acceleration, g.
    pub axial_accel_g: Vec<f64>,
    /// Vehicle mass, kg.
    pub mass_kg: Vec<f64>,
    /// Geodetic latitude, degrees.
    pub latitude_deg: Vec<f64>,
    /// Longitude, degrees east.
    pub longitude_deg: Vec<f64>,
}

impl Trajectory {
    fn new(flight: &FlightResult) -> Self {
        let pts: Vec<_> = flight.samples.iter().map(|s| &s.point).collect();
        let col = |f: fn(&cosmodrome::flight::FlightPoint) -> f64, scale: f64| -> Vec<f64> {
            pts.iter().map(|p| (f(p) * scale).round() / scale).collect()
        };
        Trajectory {
            time_s: col(|p| p.time_s, 1e3),
            altitude_m: col(|p| p.altitude_m, 10.0),
            speed_m_s: col(|p| p.speed_m_s, 100.0),
            dynamic_pressure_pa: col(|p| p.dynamic_pressure_pa, 10.0),
            axial_accel_g: col(|p| p.axial_accel_g, 1e4),
            mass_kg: col(|p| p.mass_kg, 10.0),
            latitude_deg: col(|p| p.latitude_deg, 1e5),
            longitude_deg: col(|p| p.longitude_deg, 1e5),
        }
    }
}

/// A report with the sampled flight behind it (`?trajectory=true`) and the run's files
/// (`?files=true`).
#[derive(Debug, Serialize)]
pub struct WithTrajectory<R: Serialize> {
    /// The core's report, as without `?trajectory=true`.
    pub report: R,
    /// The flight report of the ascent behind a payload report (its events, its final state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<mission::FlightReport>,
    /// The sampled flight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Trajectory>,
    /// The run kept for download (`?files=true`); filled in by the server once kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunLink>,
}

/// What the answer of a computation adds to the core's report.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Extras {
    /// Add the sampled flight (`{report, trajectory}`).
    #[serde(default)]
    pub trajectory: bool,
    /// Keep the run's files for download (`{report, run}`).
    #[serde(default)]
    pub files: bool,
}

/// An answer, and the run to keep for download when files were asked for.
pub type Answer = (serde_json::Value, Option<RunInputs>);

/// The payload of the unwind that stops a cancelled computation inside the core's optimizer,
/// which takes a progress callback but no cancellation flag: the callback, called after every
/// flight, unwinds out of it (no lock is held there), and the server catches this at the join
/// of the blocking task.
#[derive(Debug)]
pub struct Cancelled;

/// Stop here when `cancel` is set (see [`Cancelled`]).
pub fn stop_if_cancelled(cancel: &AtomicBool) {
    if cancel.load(Ordering::Relaxed) {
        std::panic::resume_unwind(Box::new(Cancelled));
    }
}

/// `GET /api/vehicles`.
pub fn vehicles() -> Result<Vec<VehicleEntry>, ApiError> {
    catalog_ids()
        .into_iter()
        .map(|id| {
            let (v, _) = resolve_vehicle(id)?;
            Ok(VehicleEntry {
                id: id.to_owned(),
                name: v.name.clone(),
                family: v.family.clone(),
                stages: v.stages.iter().map(|s| if s.units > 1 { format!("{}×{}", s.units, s.name) } else { s.name.clone() }).collect(),
                liftoff_mass_kg: v.liftoff_mass_kg(0.0),
                description: v.description.clone(),
            })
        })
        .collect()
}

/// `GET /api/validate`: the built-in validation, `cosmodrome validate --json` (every published
/// case of the catalog vehicles and the flown flights, flown on the compute pool). It depends on
/// nothing but the catalog the server was built with, so it is computed once and kept.
pub fn validate() -> Result<serde_json::Value, ApiError> {
    static REPORT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    if let Some(report) = REPORT.get() {
        return Ok(report.clone());
    }
    let report = mission::validate::validate_tables(&mission::validate::builtin_tables(), |_| {})?;
    let value = to_value(serde_json::to_value(report))?;
    Ok(REPORT.get_or_init(|| value).clone())
}

/// `GET /api/sites`.
pub fn sites() -> Result<Vec<mission::SiteEntry>, ApiError> {
    Ok(mission::sites()?)
}

/// The vehicle of a request: a catalog id, or vehicle-file text (never a path).
pub fn load_vehicle(vehicle: Option<&str>, vehicle_toml: Option<&str>) -> Result<(Vehicle, String), ApiError> {
    match (vehicle, vehicle_toml) {
        (Some(_), Some(_)) => {
            Err(ApiError::usage("vehicle", "give either `vehicle` (a catalog id) or `vehicle_toml` (a vehicle file's text), not both"))
        }
        (None, None) => Err(ApiError::usage("vehicle", "missing `vehicle` (a catalog id) or `vehicle_toml` (a vehicle file's text)")),
        (Some(id), None) => {
            if !catalog_ids().contains(&id) {
                return Err(unknown_vehicle(id).into());
            }
            Ok((resolve_vehicle(id)?.0, id.to_owned()))
        }
        (None, Some(text)) => {
            let (v, _warnings) = Vehicle::from_toml(text, "vehicle_toml")?;
            Ok((v, "vehicle_toml".to_owned()))
        }
    }
}

/// The pad of `site` for the vehicle's family.
fn resolve_site(id: &str, vehicle: &Vehicle) -> Result<Site, ApiError> {
    refuse_site_file("site", id)?;
    let catalog = SiteCatalog::builtin()?;
    let choice = catalog.pad_for(id, vehicle.family.as_deref())?;
    Ok(choice.site.clone())
}

/// A site file's name (`my-pad.toml`, which the command line and Python read) refused as what
/// it is, not as an unknown id: no request reaches the file system.
pub(crate) fn refuse_site_file(field: &str, site: &str) -> Result<(), ApiError> {
    if !is_site_file(site) {
        return Ok(());
    }
    let message = format!("`{site}` is a site file: the server reads no files; give a cosmodrome or pad id (GET /api/sites lists them)");
    Err(ApiError::bad(field, cosmodrome::error::clip_quoted(&message)))
}

/// A built-in designated drop-zone set; a path is refused (no request reaches the file system).
fn resolve_zones(id: Option<&str>, vehicle: &Vehicle) -> Result<Option<DesignatedZones>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    if id.contains(['/', '\\']) || id.contains("..") || id.to_ascii_lowercase().ends_with(".toml") {
        return Err(ApiError::bad("drop_zones", format!("`{id}` is not a built-in drop-zone id (the server reads no files)")));
    }
    let zones = DesignatedZones::resolve(id).map_err(|e| ApiError { field: Some("drop_zones".into()), ..ApiError::core(e) })?;
    zones.check_against(vehicle)?;
    Ok(Some(zones))
}

/// The liftoff epoch of a run's files: `launch_utc`, checked as the CLI's `--launch-utc`.
fn launch_epoch(text: Option<&str>) -> Result<Epoch, ApiError> {
    let Some(text) = text else { return Ok(utc::default_launch()) };
    let epoch = utc::parse(text).map_err(|e| ApiError::bad("launch_utc", format!("invalid launch_utc: {e}")))?;
    let longest_s = FlightOptions::default().max_time_s;
    if utc::after_liftoff(epoch, longest_s).is_none() {
        return Err(ApiError::bad(
            "launch_utc",
            format!("launch_utc {text}: a flight may last {longest_s:.0} s, and its epochs would pass 9999-12-31T23:59:59Z; give an earlier epoch"),
        ));
    }
    Ok(epoch)
}

/// A finite number or a 400 naming the member.
fn finite(field: &str, v: f64) -> Result<f64, ApiError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ApiError::bad(field, format!("invalid {field}: must be a finite number, got {v}")))
    }
}

/// The target of a body without `orbit`: circular at the perigee unless an apogee is given, the
/// pad's lowest inclination unless given, the argument of perigee held when given (a circular
/// orbit's refused before any flight, naming the member).
fn orbit(
    site: &Site,
    perigee_km: f64,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    argument_of_perigee_deg: Option<f64>,
) -> Result<TargetOrbit, ApiError> {
    finite("perigee_km", perigee_km)?;
    if let Some(a) = apogee_km {
        finite("apogee_km", a)?;
    }
    if let Some(i) = inclination_deg {
        finite("inclination_deg", i)?;
    }
    mission::target_orbit(site, perigee_km * 1e3, apogee_km.map(|a| a * 1e3), inclination_deg)
        .holding_argument_of_perigee(argument_of_perigee_deg)
        .map_err(|e| ApiError { field: Some("argument_of_perigee_deg".into()), ..ApiError::core(e) })
}

/// The target of a body with `orbit` (`transfer`, `fly`, `dropzones`): the core's resolver of named orbits,
/// as the CLI's `--orbit NAME`, its elements overridden by the body's members; a resolver error
/// (an unknown name, a transfer target its parking orbit cannot lead to) names `orbit`. With it
/// the note when the target does not hold an element of the named orbit (the CLI's stderr note).
fn named_orbit(
    target: &TargetBody,
    name: &str,
    (argument_of_perigee_deg, c3_km2_s2, declination_deg): (Option<f64>, Option<f64>, Option<f64>),
    site: &Site,
    vehicle: &Vehicle,
) -> Result<mission::NamedTarget, ApiError> {
    let overrides = mission::OrbitOverrides {
        perigee_m: target.perigee_km.map(|km| finite("perigee_km", km)).transpose()?.map(|km| km * 1e3),
        apogee_m: target.apogee_km.map(|km| finite("apogee_km", km)).transpose()?.map(|km| km * 1e3),
        inclination_deg: target.inclination_deg.map(|i| finite("inclination_deg", i)).transpose()?,
        argument_of_perigee_deg: argument_of_perigee_deg.map(|w| finite("argument_of_perigee_deg", w)).transpose()?,
        c3_km2_s2: c3_km2_s2.map(|c3| finite("c3_km2_s2", c3)).transpose()?,
        // Checked by the core's resolver (an angle within −90…90°, an escape's only), which
        // names it.
        declination_deg,
    };
    let named = |e| match e {
        cosmodrome::Error::InvalidInput { ref name, .. } if name == mission::fly::DECLINATION_INPUT => ApiError::core(e),
        e => ApiError { field: Some("orbit".into()), ..ApiError::core(e) },
    };
    mission::named_target(name, site, vehicle, &overrides).map_err(named)
}

/// Without `orbit`, the elements only a named orbit has (an escape's) are refused, naming the
/// member.
fn no_orbit_overrides(c3_km2_s2: Option<f64>, declination_deg: Option<f64>) -> Result<(), ApiError> {
    for (name, given) in [("c3_km2_s2", c3_km2_s2.is_some()), ("declination_deg", declination_deg.is_some())] {
        if given {
            return Err(ApiError::usage(name, format!("`{name}` overrides an element of a named orbit: add \"orbit\"")));
        }
    }
    Ok(())
}

/// `GET /api/vehicles/{id}`: the info report with no payload.
pub fn info(id: &str) -> Result<mission::InfoReport, ApiError> {
    let (vehicle, _) = load_vehicle(Some(id), None)?;
    Ok(mission::info(&vehicle, 0.0)?)
}

/// `POST /api/info`.
pub fn info_of(b: &InfoBody) -> Result<mission::InfoReport, ApiError> {
    let (vehicle, _) = load_vehicle(b.vehicle.as_deref(), b.vehicle_toml.as_deref())?;
    mission::info(&vehicle, b.payload_kg).map_err(|e| ApiError { field: Some("payload_kg".into()), ..ApiError::core(e) })
}

/// `POST /api/transfer`: the transfer report through a parking orbit, or the payload report
/// when the named orbit is flown directly (as `cosmodrome payload --orbit`), either with its
/// trade factors on request; `cancel` stops the optimization and every one of the factors'.
pub fn transfer(b: &TransferBody, cancel: &AtomicBool) -> Result<serde_json::Value, ApiError> {
    let (vehicle, _) = load_vehicle(b.target.vehicle.as_deref(), b.target.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.target.site, &vehicle)?;
    let mission::NamedTarget { target: mission_target, note } =
        named_orbit(&b.target, &b.orbit, (b.argument_of_perigee_deg, b.c3_km2_s2, b.declination_deg), &site, &vehicle)?;
    let options = FlightOptions::default();
    let items = if b.trade_factors { TradeItem::all(&vehicle) } else { Vec::new() };
    match mission_target {
        MissionTarget::Direct(target) => {
            let request = PayloadRequest {
                vehicle: &vehicle,
                site: &site,
                target,
                branch: Branch::from_southbound(b.target.southbound),
                zones: None,
                options,
                note: note.as_deref(),
            };
            let mut m = mission::payload(&request, &mut |_| stop_if_cancelled(cancel))?;
            if b.trade_factors {
                let factors = mission::trade_factors(&request, m.warm_start.as_ref(), &items, &|_, _| {}, &|| stop_if_cancelled(cancel));
                m.report.trade_factors = Some(factors.iter().map(|f| TradeFactorReport::new(&vehicle, f)).collect());
            }
            to_value(serde_json::to_value(m.report))
        }
        MissionTarget::Transfer { parking, target } => {
            let request = mission::TransferRequest {
                vehicle: &vehicle,
                site: &site,
                parking,
                target,
                branch: Branch::from_southbound(b.target.southbound),
                options,
            };
            let (mut m, warm_start) = mission::transfer_payload_warm(&request, &mut |_| stop_if_cancelled(cancel))?;
            if b.trade_factors {
                let factors = mission::transfer_trade_factors(&request, &warm_start, &items, &|_, _| {}, &|| stop_if_cancelled(cancel));
                m.report.trade_factors = Some(factors.iter().map(|f| TradeFactorReport::new(&vehicle, f)).collect());
            }
            to_value(serde_json::to_value(m.report))
        }
    }
}

/// `POST /api/payload`; `cancel` stops the optimization.
pub fn payload(b: &PayloadBody, extras: Extras, cancel: &AtomicBool) -> Result<Answer, ApiError> {
    let launch_epoch = launch_epoch(b.launch_utc.as_deref())?;
    let (vehicle, vehicle_id) = load_vehicle(b.target.vehicle.as_deref(), b.target.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.target.site, &vehicle)?;
    let target = orbit(&site, b.target.perigee_km.0, b.target.apogee_km, b.target.inclination_deg, b.argument_of_perigee_deg)?;
    let zones = resolve_zones(b.drop_zones.as_deref(), &vehicle)?;
    let sampled = extras.trajectory || extras.files;
    let options = FlightOptions { sample_interval_s: sampled.then_some(1.0), ..FlightOptions::default() };
    let request = PayloadRequest {
        vehicle: &vehicle,
        site: &site,
        target,
        branch: Branch::from_southbound(b.target.southbound),
        zones: zones.as_ref(),
        options,
        note: None,
    };
    let mut m = mission::payload(&request, &mut |_| stop_if_cancelled(cancel))?;
    if b.trade_factors {
        let items = TradeItem::all(&vehicle);
        let factors = mission::trade_factors(&request, m.warm_start.as_ref(), &items, &|_, _| {}, &|| stop_if_cancelled(cancel));
        m.report.trade_factors = Some(factors.iter().map(|f| TradeFactorReport::new(&vehicle, f)).collect());
    }
    if !sampled {
        return Ok((to_value(serde_json::to_value(m.report))?, None));
    }
    let flown = m.solution.flown_vehicle(&vehicle);
    let run = mission::RunInfo {
        vehicle: &flown,
        vehicle_id: &vehicle_id,
        site_id: &site.id,
        launch: m.solution.launch,
        inclination_deg: Some(target.inclination_deg),
        payload_kg: m.solution.payload_kg,
        upper_stage_load_kg: m.solution.upper_stage_load_kg,
        energy_weave_deg: None,
    };
    let flight = mission::FlightReport::new(&run, &m.solution.flight)?;
    let inputs = extras.files.then(|| -> Result<RunInputs, ApiError> {
        let mut json = serde_json::to_vec_pretty(&m.report).map_err(|e| to_value(Err(e)).unwrap_err())?;
        json.push(b'\n');
        Ok(RunInputs {
            vehicle: flown.clone().into_owned(),
            vehicle_id: vehicle_id.clone(),
            vehicle_toml: b.target.vehicle_toml.clone(),
            site_id: site.id.clone(),
            site_name: site.name.clone(),
            launch: m.solution.launch,
            inclination_deg: Some(target.inclination_deg),
            payload_kg: m.solution.payload_kg,
            upper_stage_load_kg: m.solution.upper_stage_load_kg,
            energy_weave_deg: None,
            notes: vec![format!(
                "maximum payload into {:.0} × {:.0} km at {:.2}°: {:.0} kg; drop zones: 3-sigma ellipses of dispersed falls",
                m.report.target.perigee_km, m.report.target.apogee_km, m.report.target.inclination_deg, m.report.payload_kg
            )],
            flight: m.solution.flight.clone(),
            zones: PlotZones::OfTheAscent(AscentReplay { payload_kg: m.solution.payload_kg, parameters: m.solution.parameters, options }),
            designated: zones.clone(),
            options: OutputOptions {
                launch_epoch,
                parquet: true,
                impacts: m.impacts.clone(),
                extra_files: vec![("payload.json".to_owned(), json)],
                record: serde_json::json!({ "target_orbit": m.report.target, "drop_zones": b.drop_zones }),
                ..OutputOptions::default()
            },
        })
    });
    let inputs = inputs.transpose()?;
    let trajectory = extras.trajectory.then(|| Trajectory::new(&m.solution.flight));
    let answer = WithTrajectory { trajectory, flight: Some(flight), report: m.report, run: None };
    Ok((to_value(serde_json::to_value(answer))?, inputs))
}

/// The steering of a `fly` request: the targeted ascent, or the open-loop program with the
/// CLI's defaults. An open-loop member without `open_loop` is refused, as the CLI refuses it.
fn steering(b: &FlyBody, site: &Site) -> Result<(Steering, String), ApiError> {
    let open_loop_members = [
        ("azimuth_deg", b.azimuth_deg.is_some()),
        ("vertical_rise_s", b.vertical_rise_s.is_some()),
        ("pitch_over_speed_m_s", b.pitch_over_speed_m_s.is_some()),
        ("pitch_kick_deg", b.pitch_kick_deg.is_some()),
        ("staging_fpa_deg", b.staging_fpa_deg.is_some()),
        ("pitch_kick_duration_s", b.pitch_kick_duration_s.is_some()),
        ("final_pitch_deg", b.final_pitch_deg.is_some()),
        ("gravity_turn_only", b.gravity_turn_only),
        ("main_engine_burn_s", b.main_engine_burn_s.is_some()),
    ];
    if !b.open_loop {
        if let Some((name, _)) = open_loop_members.iter().find(|(_, given)| *given) {
            return Err(ApiError::usage(name, format!("`{name}` belongs to the open-loop program: add \"open_loop\": true")));
        }
        let perigee_km = b.target.perigee_km.unwrap_or(default_perigee_km());
        let target = orbit(site, perigee_km, b.target.apogee_km, b.target.inclination_deg, b.argument_of_perigee_deg)?;
        return Ok((
            Steering::Targeted { target, branch: Branch::from_southbound(b.target.southbound) },
            format!("targeted ascent to {}", target.describe()),
        ));
    }
    if b.target.apogee_km.is_some() {
        return Err(ApiError::usage("apogee_km", "`apogee_km` is a target of the targeted ascent; the open-loop program has none"));
    }
    if b.argument_of_perigee_deg.is_some() {
        return Err(ApiError::usage(
            "argument_of_perigee_deg",
            "`argument_of_perigee_deg` is held by the targeted ascent; the open-loop program targets no orbit",
        ));
    }
    let heading = match (b.azimuth_deg, b.target.inclination_deg) {
        (Some(_), Some(_)) => return Err(ApiError::usage("azimuth_deg", "give `azimuth_deg` or `inclination_deg`, not both")),
        (Some(az), None) => Heading::Azimuth(finite("azimuth_deg", az)?),
        (None, i) => Heading::Inclination {
            inclination_deg: i.map(|i| finite("inclination_deg", i)).transpose()?,
            branch: Branch::from_southbound(b.target.southbound),
        },
    };
    let num = |name: &str, v: Option<f64>, default: f64| finite(name, v.unwrap_or(default));
    let parameters = AscentParameters {
        vertical_rise_s: num("vertical_rise_s", b.vertical_rise_s, 10.0)?,
        pitch_over_min_air_speed_m_s: num("pitch_over_speed_m_s", b.pitch_over_speed_m_s, 25.0)?,
        pitch_kick_deg: num("pitch_kick_deg", b.pitch_kick_deg, 0.0)?,
        pitch_kick_duration_s: num("pitch_kick_duration_s", b.pitch_kick_duration_s, 10.0)?,
        steering: if b.gravity_turn_only {
            UpperSteering::GravityTurn
        } else {
            UpperSteering::LinearTangent { final_pitch_deg: num("final_pitch_deg", b.final_pitch_deg, 0.0)? }
        },
        main_engine_burn_s: b.main_engine_burn_s.map(|s| finite("main_engine_burn_s", s)).transpose()?,
        coast_s: None,
    };
    let kick_for_staging_fpa_deg = match b.pitch_kick_deg {
        Some(_) => None,
        None => Some(num("staging_fpa_deg", b.staging_fpa_deg, DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG)?),
    };
    let steering = Steering::OpenLoop {
        heading,
        perigee_m: finite("perigee_km", b.target.perigee_km.unwrap_or(default_perigee_km()))? * 1e3,
        parameters,
        kick_for_staging_fpa_deg,
    };
    Ok((steering, "open-loop ascent".to_owned()))
}

/// `POST /api/fly`: the targeted ascent, or the open-loop program; `cancel` stops a search.
pub fn fly(b: &FlyBody, extras: Extras, cancel: &AtomicBool) -> Result<Answer, ApiError> {
    let launch_epoch = launch_epoch(b.launch_utc.as_deref())?;
    let (vehicle, vehicle_id) = load_vehicle(b.target.vehicle.as_deref(), b.target.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.target.site, &vehicle)?;
    if let Some(name) = &b.orbit {
        return fly_orbit(b, name, (vehicle, vehicle_id, site), launch_epoch, extras, cancel);
    }
    no_orbit_overrides(b.c3_km2_s2, b.declination_deg)?;
    let payload_kg = b.payload_kg.ok_or_else(|| ApiError::usage("payload_kg", "`payload_kg` is required without `orbit`"))?;
    let (steering, note) = steering(b, &site)?;
    let sample_interval_s = sample_interval(b.sample_interval_s, 1.0)?;
    let request = FlyRequest {
        vehicle: &vehicle,
        vehicle_id: &vehicle_id,
        site: &site,
        payload_kg: finite("payload_kg", payload_kg)?,
        steering,
        options: FlightOptions { sample_interval_s: Some(sample_interval_s), ..FlightOptions::default() },
    };
    let m = mission::fly(&request, &mut |_| stop_if_cancelled(cancel))?;
    if !(extras.trajectory || extras.files) {
        return Ok((to_value(serde_json::to_value(m.report))?, None));
    }
    let inputs = extras.files.then(|| RunInputs {
        vehicle: m.flown_vehicle(&vehicle).into_owned(),
        vehicle_id: vehicle_id.clone(),
        vehicle_toml: b.target.vehicle_toml.clone(),
        site_id: site.id.clone(),
        site_name: site.name.clone(),
        launch: m.launch,
        inclination_deg: m.inclination_deg,
        payload_kg,
        upper_stage_load_kg: m.upper_stage_load_kg,
        energy_weave_deg: m.report.energy_weave_deg,
        notes: vec![note],
        flight: m.flight.clone(),
        zones: PlotZones::None,
        designated: None,
        options: OutputOptions { launch_epoch, parquet: true, impacts: m.impacts.clone(), ..OutputOptions::default() },
    });
    let trajectory = extras.trajectory.then(|| Trajectory::new(&m.flight));
    Ok((to_value(serde_json::to_value(WithTrajectory { trajectory, flight: None, report: m.report, run: None }))?, inputs))
}

/// The sampling interval of a flight, s: `given`, or `default`.
fn sample_interval(given: Option<f64>, default: f64) -> Result<f64, ApiError> {
    let s = given.unwrap_or(default);
    let min = cosmodrome::flight::simulate::MIN_SAMPLE_INTERVAL_S;
    if !(s.is_finite() && s >= min) {
        return Err(ApiError::bad("sample_interval_s", format!("must be a finite interval of at least {min} s, got {s}")));
    }
    Ok(s)
}

/// The answer of `POST /api/fly` with `orbit`: the whole mission to a named orbit.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FlyOrbitAnswer {
    /// The flight report of the whole mission, with its timeline of burns and coasts.
    pub report: mission::FlightReport,
    /// Through a parking orbit: the transfer report (`transfer.json` of the CLI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer: Option<mission::TransferReport>,
    /// A direct ascent without `payload_kg`: the payload report of the largest payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<mission::PayloadReport>,
    /// What the mission does not hold of the named orbit, in words (a default argument of
    /// perigee a direct ascent leaves free); absent when there is nothing to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The sampled flight (`?trajectory=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Trajectory>,
    /// The run kept for download (`?files=true`); filled in by the server once kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunLink>,
}

/// `POST /api/fly` with `orbit` (`cosmodrome fly --orbit NAME`): the core's resolver of named
/// orbits and its mission, as the CLI flies them. Open-loop members do not belong here.
fn fly_orbit(
    b: &FlyBody,
    name: &str,
    (vehicle, vehicle_id, site): (Vehicle, String, Site),
    launch_epoch: Epoch,
    extras: Extras,
    cancel: &AtomicBool,
) -> Result<Answer, ApiError> {
    let open_loop_members = [
        ("open_loop", b.open_loop),
        ("azimuth_deg", b.azimuth_deg.is_some()),
        ("vertical_rise_s", b.vertical_rise_s.is_some()),
        ("pitch_over_speed_m_s", b.pitch_over_speed_m_s.is_some()),
        ("pitch_kick_deg", b.pitch_kick_deg.is_some()),
        ("staging_fpa_deg", b.staging_fpa_deg.is_some()),
        ("pitch_kick_duration_s", b.pitch_kick_duration_s.is_some()),
        ("final_pitch_deg", b.final_pitch_deg.is_some()),
        ("gravity_turn_only", b.gravity_turn_only),
        ("main_engine_burn_s", b.main_engine_burn_s.is_some()),
    ];
    if let Some((member, _)) = open_loop_members.iter().find(|(_, given)| *given) {
        return Err(ApiError::usage(member, format!("`{member}` belongs to the open-loop program, not to a mission to a named orbit")));
    }
    let mission::NamedTarget { target, note } =
        named_orbit(&b.target, name, (b.argument_of_perigee_deg, b.c3_km2_s2, b.declination_deg), &site, &vehicle)?;
    let sample_interval_s = sample_interval(b.sample_interval_s, mission::fly::default_sample_interval_s(&target))?;
    let payload_kg = b.payload_kg.map(|p| finite("payload_kg", p)).transpose()?;
    let request = mission::FlyOrbitRequest {
        vehicle: &vehicle,
        vehicle_id: &vehicle_id,
        site: &site,
        target,
        note: note.as_deref(),
        branch: Branch::from_southbound(b.target.southbound),
        payload_kg,
        options: FlightOptions { sample_interval_s: Some(sample_interval_s), ..FlightOptions::default() },
    };
    let m = mission::fly_orbit(&request, &mut |_| stop_if_cancelled(cancel))?;
    let notes: Vec<String> = note.into_iter().collect();
    let inputs = extras.files.then(|| -> Result<RunInputs, ApiError> {
        let (file, json) = match (&m.transfer, &m.payload) {
            (Some(t), _) => ("transfer.json", serde_json::to_vec_pretty(t)),
            (None, Some(p)) => ("payload.json", serde_json::to_vec_pretty(p)),
            (None, None) => ("flight.json", serde_json::to_vec_pretty(&m.report)),
        };
        let mut json = json.map_err(|e| to_value(Err(e)).unwrap_err())?;
        json.push(b'\n');
        let extra_files = if m.transfer.is_some() || m.payload.is_some() { vec![(file.to_owned(), json)] } else { Vec::new() };
        let record = match (&m.transfer, &m.payload) {
            (Some(t), _) => serde_json::json!({ "target": t.target, "parking": t.parking }),
            (None, Some(p)) => serde_json::json!({ "target_orbit": p.target }),
            (None, None) => serde_json::Value::Null,
        };
        Ok(RunInputs {
            vehicle: m.flown_vehicle(&vehicle).into_owned(),
            vehicle_id: vehicle_id.clone(),
            vehicle_toml: b.target.vehicle_toml.clone(),
            site_id: site.id.clone(),
            site_name: site.name.clone(),
            launch: m.launch,
            inclination_deg: Some(m.inclination_deg),
            payload_kg: m.payload_kg,
            upper_stage_load_kg: m.upper_stage_load_kg,
            energy_weave_deg: None,
            notes: std::iter::once(format!("mission to the named orbit `{name}`, payload {:.0} kg", m.payload_kg))
                .chain(notes.clone())
                .collect(),
            flight: m.flight.clone(),
            zones: PlotZones::None,
            designated: None,
            options: OutputOptions {
                launch_epoch,
                parquet: true,
                impacts: m.impacts.clone(),
                extra_files,
                record,
                ..OutputOptions::default()
            },
        })
    });
    let inputs = inputs.transpose()?;
    let trajectory = extras.trajectory.then(|| Trajectory::new(&m.flight));
    let answer = FlyOrbitAnswer { report: m.report, transfer: m.transfer, payload: m.payload, notes, trajectory, run: None };
    Ok((to_value(serde_json::to_value(answer))?, inputs))
}

/// A drop-zone request read and checked (files parsed, vehicle, site and zones found): what
/// runs later, on a core, as a job or within the request.
#[derive(Debug)]
pub struct DropzonesInput {
    vehicle: Vehicle,
    vehicle_id: String,
    vehicle_toml: Option<String>,
    site: Site,
    /// The orbit the ascent flies to, or a parking orbit and the transfer after it.
    target: MissionTarget,
    /// What the target does not hold of the named orbit (the report's `notes`).
    note: Option<String>,
    branch: Branch,
    payload_kg: Option<f64>,
    zones: Option<DesignatedZones>,
    zones_id: Option<String>,
    launch_epoch: Epoch,
    dispersions: Dispersions,
    wind: Option<WindProfile>,
    samples: usize,
    seed: u64,
}

/// Read and check a drop-zone request (cheap: no flight).
pub fn dropzones_input(b: &DropzonesBody) -> Result<DropzonesInput, ApiError> {
    if !(1..=MAX_SAMPLES).contains(&b.samples) {
        return Err(ApiError::bad(
            "samples",
            format!("invalid samples: must be within 1 to {MAX_SAMPLES} dispersed falls per body, got {}", b.samples),
        ));
    }
    let dispersions = match &b.dispersions_toml {
        Some(text) => Dispersions::from_toml(text, "dispersions_toml")?,
        None => Dispersions::default(),
    };
    let wind = b.wind_toml.as_deref().map(|t| WindProfile::from_toml(t, "wind_toml")).transpose()?;
    let launch_epoch = launch_epoch(b.launch_utc.as_deref())?;
    let (vehicle, vehicle_id) = load_vehicle(b.target.vehicle.as_deref(), b.target.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.target.site, &vehicle)?;
    // A named orbit as `dropzones --orbit NAME`: through a parking orbit, the ascent flies to
    // the parking orbit and the transfer follows; flown directly, the same as its elements given.
    let mission::NamedTarget { target, note } = match &b.orbit {
        None => {
            no_orbit_overrides(b.c3_km2_s2, b.declination_deg)?;
            let perigee_km = b.target.perigee_km.unwrap_or(default_perigee_km());
            let inclination_deg = b.target.inclination_deg;
            let target = MissionTarget::Direct(orbit(&site, perigee_km, b.target.apogee_km, inclination_deg, b.argument_of_perigee_deg)?);
            mission::NamedTarget { target, note: None }
        }
        Some(name) => named_orbit(&b.target, name, (b.argument_of_perigee_deg, b.c3_km2_s2, b.declination_deg), &site, &vehicle)?,
    };
    let zones = resolve_zones(b.drop_zones.as_deref(), &vehicle)?;
    if let Some(p) = b.payload_kg {
        finite("payload_kg", p)?;
    }
    Ok(DropzonesInput {
        vehicle,
        vehicle_id,
        vehicle_toml: b.target.vehicle_toml.clone(),
        site,
        target,
        note,
        branch: Branch::from_southbound(b.target.southbound),
        payload_kg: b.payload_kg,
        zones,
        zones_id: b.drop_zones.clone(),
        launch_epoch,
        dispersions,
        wind,
        samples: b.samples,
        seed: b.seed,
    })
}

/// How a drop-zone computation reports and stops: `flights(n)` after every flight of the
/// ascent, `falls(done, total)` after every dispersed fall, `cancel` checked between both.
pub struct Progress<'a> {
    /// Flights of the ascent flown.
    pub flights: &'a (dyn Fn(usize) + Sync),
    /// Dispersed falls done of all.
    pub falls: &'a (dyn Fn(usize, usize) + Sync),
    /// Set to stop.
    pub cancel: &'a AtomicBool,
}

/// `POST /api/dropzones` and its job: the ascent (through a parking orbit, the whole mission's
/// flight, as `dropzones --orbit`), then the Monte Carlo of the falls. With `files`, the answer
/// is `{report, trajectory, run}`: the sampled ascent the stages fall from and its run's files.
pub fn dropzones(d: &DropzonesInput, files: bool, progress: &Progress<'_>) -> Result<Answer, ApiError> {
    let request = mission::DropzonesRequest {
        vehicle: &d.vehicle,
        site: &d.site,
        target: d.target,
        note: d.note.as_deref(),
        branch: d.branch,
        payload_kg: d.payload_kg,
        zones: d.zones.as_ref(),
        dispersions: &d.dispersions,
        wind: d.wind.as_ref(),
        samples: d.samples,
        seed: d.seed,
        // Sampled when the trajectory is written (as the CLI with --out), as `fly --orbit`
        // samples the same mission.
        options: FlightOptions {
            sample_interval_s: files.then(|| mission::fly::default_sample_interval_s(&d.target)),
            ..FlightOptions::default()
        },
    };
    let mut flown = |n| {
        (progress.flights)(n);
        stop_if_cancelled(progress.cancel);
    };
    let ascent = mission::dropzones_nominal_ascent(&request, &mut flown)?;
    let m = mission::dropzones(&request, &ascent, progress.falls, progress.cancel)?;
    if !files {
        return Ok((to_value(serde_json::to_value(m.report))?, None));
    }
    let zones: Vec<DropZone<'_>> = m
        .results
        .iter()
        .zip(&m.footprints)
        .filter_map(|(b, fp)| {
            fp.as_ref().map(|f| DropZone { body: &b.name, footprint: f, not_down: b.not_down, mean_downrange_km: b.mean_downrange_km() })
        })
        .collect();
    let io_error = |e: cosmodrome_io::IoError| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, None, format!("the run's files cannot be written: {e}"))
            .with_kind(cosmodrome::mission::ErrorKind::Io)
    };
    let designated = d.zones.as_ref().map_or(&[][..], |z| &z.zones[..]);
    // Bodies left in orbit have no drop zone: the map files name them with their orbit instead.
    let in_orbit = BodyInOrbit::of_report(&m.report);
    let mut json = serde_json::to_vec_pretty(&m.report).map_err(|e| to_value(Err(e)).unwrap_err())?;
    json.push(b'\n');
    let extra_files = vec![
        ("dropzones.json".to_owned(), json),
        ("impacts.csv".to_owned(), impacts_csv(&m.results).map_err(io_error)?),
        ("impacts.parquet".to_owned(), parquet_bytes("impacts.parquet", &impacts_columns(&m.results)).map_err(io_error)?),
        ("dropzones.geojson".to_owned(), dropzones_geojson(&zones, &in_orbit, designated).map_err(io_error)?),
        (
            "dropzones.kml".to_owned(),
            dropzones_kml(&format!("{} drop zones from {}", d.vehicle.name, d.site.id), &zones, &in_orbit, designated).map_err(io_error)?,
        ),
    ];
    let mut notes = vec![format!("drop zones: {} dispersed falls per body, seed {}", d.samples, d.seed)];
    if let Some(t) = &m.report.transfer {
        notes.push(format!(
            "the whole mission to {} through a {:.0} × {:.0} km parking orbit: bodies left in orbit do not come down",
            t.target, t.parking.perigee_km, t.parking.apogee_km
        ));
    }
    if let Some(z) = &m.report.designated_zones {
        notes.extend(z.zones.iter().map(|z| format!("designated zone {}: {}", z.zone, z.body)));
    }
    let plot_zones = m
        .results
        .iter()
        .zip(&m.footprints)
        .filter_map(|(b, fp)| fp.as_ref().map(|f| (b.name.clone(), f.ellipse.iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect())))
        .collect();
    let trajectory = Trajectory::new(&ascent.flight);
    let inputs = RunInputs {
        vehicle: ascent.flown_vehicle(&d.vehicle).into_owned(),
        vehicle_id: d.vehicle_id.clone(),
        vehicle_toml: d.vehicle_toml.clone(),
        site_id: d.site.id.clone(),
        site_name: d.site.name.clone(),
        launch: ascent.launch,
        inclination_deg: Some(ascent.ascent_inclination_deg(&d.target)),
        payload_kg: ascent.payload_kg,
        upper_stage_load_kg: ascent.upper_stage_load_kg,
        energy_weave_deg: None,
        notes,
        flight: ascent.flight,
        zones: PlotZones::Given(plot_zones),
        designated: d.zones.clone(),
        options: OutputOptions {
            launch_epoch: d.launch_epoch,
            parquet: true,
            impacts: m.nominal,
            extra_files,
            record: {
                let mut record = serde_json::json!({
                    "target_orbit": m.report.target,
                    "ascent": m.report.ascent,
                    "samples": d.samples,
                    "seed": d.seed,
                    "drop_zones": d.zones_id,
                });
                if let Some(t) = &m.report.transfer {
                    record["transfer"] = serde_json::json!({ "target": t.target, "parking": t.parking });
                }
                record
            },
            ..OutputOptions::default()
        },
    };
    let answer = WithTrajectory { report: m.report, flight: None, trajectory: Some(trajectory), run: None };
    Ok((to_value(serde_json::to_value(answer))?, Some(inputs)))
}

/// `POST /api/propellant`: one mixture ratio (the propellant report) or a sweep (the sweep report).
pub fn propellant(b: &PropellantBody) -> Result<serde_json::Value, ApiError> {
    let exit = match (b.expansion_ratio, b.pressure_ratio) {
        (Some(e), None) => NozzleExit::AreaRatio(e),
        (None, Some(r)) => NozzleExit::PressureRatio(r),
        (Some(_), Some(_)) => return Err(ApiError::usage("expansion_ratio", "give `expansion_ratio` or `pressure_ratio`, not both")),
        (None, None) => return Err(ApiError::usage("expansion_ratio", "give `expansion_ratio` or `pressure_ratio`")),
    };
    let flow = match (b.frozen, b.frozen_at_throat) {
        (true, true) => return Err(ApiError::usage("frozen", "give `frozen` or `frozen_at_throat`, not both")),
        (true, false) => Flow::FrozenAtChamber,
        (false, true) => Flow::FrozenAtThroat,
        (false, false) => Flow::Shifting,
    };
    let (ratios, sweep) = b.mixture_ratio.ratios()?;
    let request = PropellantRequest {
        species: builtin_species(),
        propellants: builtin_propellants(),
        oxidizer: &b.oxidizer,
        fuel: &b.fuel,
        mixture_ratios: &ratios,
        chamber_pressure_bar: b.chamber_pressure_bar,
        exit,
        flow,
        ambient_pressure_bar: b.ambient_pressure_bar,
    };
    if sweep {
        to_value(serde_json::to_value(mission::propellant_sweep(&request)?))
    } else {
        to_value(serde_json::to_value(mission::propellant(&request)?))
    }
}

/// One built-in designated drop-zone set (`GET /api/dropzone-sets`), for the map.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ZoneSetEntry {
    /// Id, the value of `drop_zones`.
    pub id: String,
    /// Name.
    pub name: String,
    /// The zones.
    pub zones: Vec<ZoneEntry>,
}

/// One designated zone.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ZoneEntry {
    /// Name.
    pub name: String,
    /// The bodies that fall there.
    pub bodies: String,
    /// Centre, degrees north.
    pub latitude_deg: f64,
    /// Centre, degrees east.
    pub longitude_deg: f64,
    /// Radius, km.
    pub radius_km: f64,
    /// The edge, `[longitude_deg, latitude_deg]` points.
    pub outline: Vec<[f64; 2]>,
    /// Where the zone is published.
    pub source: String,
}

/// `GET /api/dropzone-sets`: the built-in designated zones.
pub fn dropzone_sets() -> Result<Vec<ZoneSetEntry>, ApiError> {
    cosmodrome::dropzone::designated::catalog_ids()
        .into_iter()
        .map(|id| {
            let set = DesignatedZones::resolve(id)?;
            let outlines = designated_plot_zones(Some(&set));
            let zones = set
                .zones
                .iter()
                .zip(outlines)
                .map(|(z, (_, ring))| ZoneEntry {
                    name: z.name.clone(),
                    bodies: z.bodies.to_string(),
                    latitude_deg: z.latitude_deg,
                    longitude_deg: z.longitude_deg,
                    radius_km: z.radius_km,
                    outline: ring.iter().map(|&(lon, lat)| [(lon * 1e4).round() / 1e4, (lat * 1e4).round() / 1e4]).collect(),
                    source: z.source.clone(),
                })
                .collect();
            Ok(ZoneSetEntry { id: id.to_owned(), name: set.name, zones })
        })
        .collect()
}

fn to_value(v: serde_json::Result<serde_json::Value>) -> Result<serde_json::Value, ApiError> {
    v.map_err(|e| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, None, format!("report does not serialize: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixture_ratios_are_one_number_or_a_sweep_with_its_end() {
        assert_eq!(MixtureRatio::Value(2.6).ratios().unwrap(), (vec![2.6], false));
        assert_eq!(MixtureRatio::Sweep("2.6".into()).ratios().unwrap(), (vec![2.6], false));
        let (r, sweep) = MixtureRatio::Sweep("1.5:2.5:0.5".into()).ratios().unwrap();
        assert_eq!((r, sweep), (vec![1.5, 2.0, 2.5], true));
        for bad in ["2:1:0.1", "1:2:0", "1:2:1e-6", "1:2", "a:b:c"] {
            let e = MixtureRatio::Sweep(bad.into()).ratios().unwrap_err();
            assert_eq!(e.field.as_deref(), Some("mixture_ratio"), "{bad}");
        }
    }

    #[test]
    fn a_cancelled_optimization_unwinds_with_the_cancellation() {
        let body: PayloadBody = serde_json::from_value(serde_json::json!({ "vehicle": "soyuz-2.1b" })).unwrap();
        let cancel = AtomicBool::new(true);
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| payload(&body, Extras::default(), &cancel)));
        assert!(unwound.unwrap_err().is::<Cancelled>());
    }

    #[test]
    fn a_vehicle_is_an_id_or_text_never_a_path() {
        let both = load_vehicle(Some("soyuz-2.1b"), Some("")).unwrap_err();
        assert_eq!((both.status.as_u16(), both.field.as_deref()), (400, Some("vehicle")));
        let none = load_vehicle(None, None).unwrap_err();
        assert_eq!(none.status.as_u16(), 400);
        // A path is an unknown id: nothing is read.
        let path = load_vehicle(Some("data/vehicles/soyuz-2.1b.toml"), None).unwrap_err();
        assert_eq!((path.status.as_u16(), path.field.as_deref()), (404, Some("vehicle")));
        let text = cosmodrome::vehicle::catalog_vehicle("soyuz-2.1b").unwrap();
        assert_eq!(load_vehicle(None, Some(text)).unwrap().0.name, "Soyuz-2.1b");
    }

    /// A site is a catalog id: a site file's name is refused as one, an unknown id with the
    /// known ones.
    #[test]
    fn a_site_is_a_catalog_id_never_a_file() {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").unwrap();
        let e = resolve_site("data/my-pad.toml", &vehicle).unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some("site")));
        assert!(e.error.contains("`data/my-pad.toml` is a site file: the server reads no files"), "{}", e.error);
        let e = resolve_site("plesetk", &vehicle).unwrap_err();
        assert_eq!((e.status.as_u16(), e.field.as_deref()), (404, Some("site")));
        assert!(e.error.contains("unknown site `plesetk`; did you mean `plesetsk`?") && e.known.is_some(), "{}", e.error);
    }

    #[test]
    fn drop_zones_are_built_in_ids_only() {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").unwrap();
        for path in ["../data/dropzones/x.toml", "/etc/hosts", "zones.toml", "a\\b"] {
            let e = resolve_zones(Some(path), &vehicle).unwrap_err();
            assert_eq!((e.status.as_u16(), e.field.as_deref()), (400, Some("drop_zones")), "{path}");
        }
    }

    #[test]
    fn the_trajectory_has_one_value_per_sample_in_every_column() {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").unwrap();
        let body: FlyBody =
            serde_json::from_value(serde_json::json!({ "vehicle": "soyuz-2.1b", "payload_kg": 5000.0, "sample_interval_s": 2.0 })).unwrap();
        let (v, run) = fly(&body, Extras { trajectory: true, files: false }, &AtomicBool::new(false)).unwrap();
        assert!(run.is_none());
        let n = v["trajectory"]["time_s"].as_array().unwrap().len();
        assert!(n > 100, "{n}");
        for column in ["altitude_m", "speed_m_s", "dynamic_pressure_pa", "axial_accel_g", "mass_kg", "latitude_deg", "longitude_deg"] {
            assert_eq!(v["trajectory"][column].as_array().unwrap().len(), n, "{column}");
        }
        assert_eq!(v["report"]["vehicle"], vehicle.name.as_str());
    }
}
