//! The JSON API: request bodies named as the CLI's flags (snake_case), turned into the core's
//! requests, answered with the core's reports unchanged.

use std::sync::atomic::AtomicBool;

use cosmodrome::dropzone::{DesignatedZones, Dispersions, WindProfile};
use cosmodrome::flight::{FlightOptions, FlightResult};
use cosmodrome::guidance::Branch;
use cosmodrome::mission::fly::Steering;
use cosmodrome::mission::{self, FlyRequest, PayloadRequest, PropellantRequest};
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::propulsion::chemistry::{builtin_propellants, builtin_species, Flow, NozzleExit};
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, unknown_vehicle, Corridor, Site, SiteCatalog, Vehicle};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

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
fn default_sample_interval_s() -> f64 {
    1.0
}
fn default_ambient_pressure_bar() -> f64 {
    1.01325
}

/// `POST /api/payload`: the flags of `cosmodrome payload`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayloadBody {
    /// Catalog id (`soyuz-2.1b`); give this or `vehicle_toml`.
    pub vehicle: Option<String>,
    /// The text of a vehicle file, instead of a catalog id.
    pub vehicle_toml: Option<String>,
    /// Cosmodrome or pad id.
    #[serde(default = "default_site")]
    pub site: String,
    /// Target perigee altitude, km.
    #[serde(default = "default_perigee_km")]
    pub perigee_km: f64,
    /// Target apogee altitude, km (default: the perigee).
    pub apogee_km: Option<f64>,
    /// Target inclination, degrees (default: the lowest the site allows).
    pub inclination_deg: Option<f64>,
    /// Fly the southbound leg.
    #[serde(default)]
    pub southbound: bool,
    /// A built-in designated drop-zone set id (no paths).
    pub drop_zones: Option<String>,
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
    /// Catalog id; give this or `vehicle_toml`.
    pub vehicle: Option<String>,
    /// The text of a vehicle file.
    pub vehicle_toml: Option<String>,
    /// Payload mass, kg.
    pub payload_kg: f64,
    /// Cosmodrome or pad id.
    #[serde(default = "default_site")]
    pub site: String,
    /// Target perigee altitude, km.
    #[serde(default = "default_perigee_km")]
    pub perigee_km: f64,
    /// Target apogee altitude, km.
    pub apogee_km: Option<f64>,
    /// Target inclination, degrees.
    pub inclination_deg: Option<f64>,
    /// Fly the southbound leg.
    #[serde(default)]
    pub southbound: bool,
    /// Trajectory sampling interval, s (for `?trajectory=true`).
    #[serde(default = "default_sample_interval_s")]
    pub sample_interval_s: f64,
}

/// `POST /api/dropzones`: the flags of `cosmodrome dropzones`; files are sent as text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DropzonesBody {
    /// Catalog id; give this or `vehicle_toml`.
    pub vehicle: Option<String>,
    /// The text of a vehicle file.
    pub vehicle_toml: Option<String>,
    /// Cosmodrome or pad id.
    #[serde(default = "default_site")]
    pub site: String,
    /// Target perigee altitude, km.
    #[serde(default = "default_perigee_km")]
    pub perigee_km: f64,
    /// Target apogee altitude, km.
    pub apogee_km: Option<f64>,
    /// Target inclination, degrees.
    pub inclination_deg: Option<f64>,
    /// Fly the southbound leg.
    #[serde(default)]
    pub southbound: bool,
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
}

/// `POST /api/propellant`: the flags of `cosmodrome propellant` (one mixture ratio).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropellantBody {
    /// Oxidizer name.
    pub oxidizer: String,
    /// Fuel name.
    pub fuel: String,
    /// Oxidizer-to-fuel mass ratio.
    pub mixture_ratio: f64,
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

/// One pad of `GET /api/sites`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SiteEntry {
    /// Pad id.
    pub id: String,
    /// Cosmodrome id.
    pub cosmodrome: String,
    /// Name.
    pub name: String,
    /// Vehicle families it serves.
    pub families: Vec<String>,
    /// Geodetic latitude, degrees north.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Altitude, m.
    pub altitude_m: f64,
    /// Allowed azimuth corridors, degrees from north (`[min, max]`).
    pub azimuth_corridors_deg: Vec<[f64; 2]>,
    /// Allowed inclination ranges, degrees (`[min, max]`).
    pub inclination_ranges_deg: Vec<[f64; 2]>,
    /// The lowest inclination it allows (the default target), degrees.
    pub default_inclination_deg: f64,
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

/// A report with the sampled flight behind it.
#[derive(Debug, Serialize)]
pub struct WithTrajectory<R: Serialize> {
    /// The core's report, as without `?trajectory=true`.
    pub report: R,
    /// The flight report of the ascent behind a payload report (its events, its final state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<mission::FlightReport>,
    /// The sampled flight.
    pub trajectory: Trajectory,
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

/// `GET /api/sites`.
pub fn sites() -> Result<Vec<SiteEntry>, ApiError> {
    let catalog = SiteCatalog::builtin()?;
    Ok(catalog
        .sites
        .iter()
        .map(|s| {
            let (mut az, mut inc) = (Vec::new(), Vec::new());
            for c in &s.corridors {
                match *c {
                    Corridor::Azimuth { min_deg, max_deg } => az.push([min_deg, max_deg]),
                    Corridor::Inclination { min_deg, max_deg } => inc.push([min_deg, max_deg]),
                }
            }
            SiteEntry {
                id: s.id.clone(),
                cosmodrome: s.cosmodrome.clone(),
                name: s.name.clone(),
                families: s.families.clone(),
                latitude_deg: s.latitude_deg,
                longitude_deg: s.longitude_deg,
                altitude_m: s.altitude_m,
                azimuth_corridors_deg: az,
                inclination_ranges_deg: inc,
                default_inclination_deg: s.default_inclination_deg(),
            }
        })
        .collect())
}

/// The vehicle of a request: a catalog id, or vehicle-file text (never a path).
pub fn load_vehicle(vehicle: Option<&str>, vehicle_toml: Option<&str>) -> Result<(Vehicle, String), ApiError> {
    match (vehicle, vehicle_toml) {
        (Some(_), Some(_)) => {
            Err(ApiError::bad("vehicle", "give either `vehicle` (a catalog id) or `vehicle_toml` (a vehicle file's text), not both"))
        }
        (None, None) => Err(ApiError::bad("vehicle", "missing `vehicle` (a catalog id) or `vehicle_toml` (a vehicle file's text)")),
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
    let catalog = SiteCatalog::builtin()?;
    let choice = catalog.pad_for(id, vehicle.family.as_deref())?;
    Ok(choice.site.clone())
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

/// A finite number or a 400 naming the member.
fn finite(field: &str, v: f64) -> Result<f64, ApiError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ApiError::bad(field, format!("invalid {field}: must be a finite number, got {v}")))
    }
}

fn orbit(site: &Site, perigee_km: f64, apogee_km: Option<f64>, inclination_deg: Option<f64>) -> Result<TargetOrbit, ApiError> {
    finite("perigee_km", perigee_km)?;
    if let Some(a) = apogee_km {
        finite("apogee_km", a)?;
    }
    if let Some(i) = inclination_deg {
        finite("inclination_deg", i)?;
    }
    Ok(mission::target_orbit(site, perigee_km * 1e3, apogee_km.map(|a| a * 1e3), inclination_deg))
}

fn branch(southbound: bool) -> Branch {
    if southbound {
        Branch::Southbound
    } else {
        Branch::Northbound
    }
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

/// `POST /api/payload`.
pub fn payload(b: &PayloadBody, trajectory: bool) -> Result<serde_json::Value, ApiError> {
    let (vehicle, vehicle_id) = load_vehicle(b.vehicle.as_deref(), b.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.site, &vehicle)?;
    let target = orbit(&site, b.perigee_km, b.apogee_km, b.inclination_deg)?;
    let zones = resolve_zones(b.drop_zones.as_deref(), &vehicle)?;
    let options = FlightOptions { sample_interval_s: trajectory.then_some(1.0), ..FlightOptions::default() };
    let request = PayloadRequest { vehicle: &vehicle, site: &site, target, branch: branch(b.southbound), zones: zones.as_ref(), options };
    let m = mission::payload(&request, |_| {})?;
    to_value(if trajectory {
        let run = mission::RunInfo {
            vehicle: &vehicle,
            vehicle_id: &vehicle_id,
            site_id: &site.id,
            launch: m.solution.launch,
            inclination_deg: Some(target.inclination_deg),
            payload_kg: m.solution.payload_kg,
        };
        let flight = mission::FlightReport::new(&run, &m.solution.flight)?;
        serde_json::to_value(WithTrajectory { trajectory: Trajectory::new(&m.solution.flight), flight: Some(flight), report: m.report })
    } else {
        serde_json::to_value(m.report)
    })
}

/// `POST /api/fly` (the targeted ascent).
pub fn fly(b: &FlyBody, trajectory: bool) -> Result<serde_json::Value, ApiError> {
    let (vehicle, vehicle_id) = load_vehicle(b.vehicle.as_deref(), b.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.site, &vehicle)?;
    let target = orbit(&site, b.perigee_km, b.apogee_km, b.inclination_deg)?;
    let min = cosmodrome::flight::simulate::MIN_SAMPLE_INTERVAL_S;
    if !(b.sample_interval_s.is_finite() && b.sample_interval_s >= min) {
        return Err(ApiError::bad(
            "sample_interval_s",
            format!("must be a finite interval of at least {min} s, got {}", b.sample_interval_s),
        ));
    }
    let request = FlyRequest {
        vehicle: &vehicle,
        vehicle_id: &vehicle_id,
        site: &site,
        payload_kg: finite("payload_kg", b.payload_kg)?,
        steering: Steering::Targeted { target, branch: branch(b.southbound) },
        options: FlightOptions { sample_interval_s: Some(b.sample_interval_s), ..FlightOptions::default() },
    };
    let m = mission::fly(&request, |_| {})?;
    to_value(if trajectory {
        serde_json::to_value(WithTrajectory { trajectory: Trajectory::new(&m.flight), flight: None, report: m.report })
    } else {
        serde_json::to_value(m.report)
    })
}

/// `POST /api/dropzones`; `cancel` stops the Monte Carlo when the request's time is up.
pub fn dropzones(b: &DropzonesBody, cancel: &AtomicBool) -> Result<mission::DropzonesReport, ApiError> {
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
    let (vehicle, _) = load_vehicle(b.vehicle.as_deref(), b.vehicle_toml.as_deref())?;
    let site = resolve_site(&b.site, &vehicle)?;
    let target = orbit(&site, b.perigee_km, b.apogee_km, b.inclination_deg)?;
    let zones = resolve_zones(b.drop_zones.as_deref(), &vehicle)?;
    if let Some(p) = b.payload_kg {
        finite("payload_kg", p)?;
    }
    let request = mission::DropzonesRequest {
        vehicle: &vehicle,
        site: &site,
        target,
        branch: branch(b.southbound),
        payload_kg: b.payload_kg,
        zones: zones.as_ref(),
        dispersions: &dispersions,
        wind: wind.as_ref(),
        samples: b.samples,
        seed: b.seed,
        options: FlightOptions::default(),
    };
    let ascent = mission::dropzones_ascent(&request, |_| {})?;
    Ok(mission::dropzones(&request, &ascent, &|_, _| {}, cancel)?.report)
}

/// `POST /api/propellant`.
pub fn propellant(b: &PropellantBody) -> Result<mission::PropellantReport, ApiError> {
    let exit = match (b.expansion_ratio, b.pressure_ratio) {
        (Some(e), None) => NozzleExit::AreaRatio(e),
        (None, Some(r)) => NozzleExit::PressureRatio(r),
        (Some(_), Some(_)) => return Err(ApiError::bad("expansion_ratio", "give `expansion_ratio` or `pressure_ratio`, not both")),
        (None, None) => return Err(ApiError::bad("expansion_ratio", "give `expansion_ratio` or `pressure_ratio`")),
    };
    let flow = match (b.frozen, b.frozen_at_throat) {
        (true, true) => return Err(ApiError::bad("frozen", "give `frozen` or `frozen_at_throat`, not both")),
        (true, false) => Flow::FrozenAtChamber,
        (false, true) => Flow::FrozenAtThroat,
        (false, false) => Flow::Shifting,
    };
    let ratios = [b.mixture_ratio];
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
    Ok(mission::propellant(&request)?)
}

fn to_value(v: serde_json::Result<serde_json::Value>) -> Result<serde_json::Value, ApiError> {
    v.map_err(|e| ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, None, format!("report does not serialize: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let body = FlyBody {
            vehicle: Some("soyuz-2.1b".into()),
            vehicle_toml: None,
            payload_kg: 5000.0,
            site: default_site(),
            perigee_km: 200.0,
            apogee_km: None,
            inclination_deg: None,
            southbound: false,
            sample_interval_s: 2.0,
        };
        let v = fly(&body, true).unwrap();
        let n = v["trajectory"]["time_s"].as_array().unwrap().len();
        assert!(n > 100, "{n}");
        for column in ["altitude_m", "speed_m_s", "dynamic_pressure_pa", "axial_accel_g", "mass_kg", "latitude_deg", "longitude_deg"] {
            assert_eq!(v["trajectory"][column].as_array().unwrap().len(), n, "{column}");
        }
        assert_eq!(v["report"]["vehicle"], vehicle.name.as_str());
    }
}
