//! The fly mission: an ascent with a given payload, either the targeted ascent into an orbit or
//! the open-loop program as given, with its flight report and the nominal falls of what it
//! jettisons (`cosmodrome fly`).

use super::flight::{FlightReport, RunInfo};
use crate::dropzone::{nominal_impacts, FallOptions, NominalImpact};
use crate::error::Result;
use crate::flight::{fly as fly_setup, FlightOptions, FlightResult, FlightSetup, Launch};
use crate::guidance::{inclination_from_azimuth, launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch};
use crate::optimize::payload::TargetOrbit;
use crate::optimize::targeting::fly_to_orbit;
use crate::vehicle::{Site, Vehicle};

/// Which direction the open-loop program flies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heading {
    /// A launch azimuth over the ground, degrees from north.
    Azimuth(f64),
    /// The azimuth of an inclination (with the Earth-rotation correction at `perigee_m`).
    Inclination {
        /// Inclination, degrees; the pad's lowest when `None`.
        inclination_deg: Option<f64>,
        /// Northbound or southbound leg.
        branch: Branch,
    },
}

/// How the ascent is steered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Steering {
    /// The targeted ascent into an orbit (the one of `payload`, with the payload given).
    Targeted {
        /// The orbit.
        target: TargetOrbit,
        /// Northbound or southbound leg.
        branch: Branch,
    },
    /// The open-loop program.
    OpenLoop {
        /// Where it heads.
        heading: Heading,
        /// Perigee altitude of the rotation correction of the azimuth, m.
        perigee_m: f64,
        /// The program (its kick is ignored when `kick_for_staging_fpa_deg` is given).
        parameters: AscentParameters,
        /// Tune the kick so that the gravity turn reaches this flight-path angle at upper-stage
        /// ignition, degrees.
        kick_for_staging_fpa_deg: Option<f64>,
    },
}

/// What to fly.
#[derive(Debug, Clone, Copy)]
pub struct FlyRequest<'a> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// Vehicle id or file as the user gave it (for the report).
    pub vehicle_id: &'a str,
    /// The pad.
    pub site: &'a Site,
    /// Payload, kg.
    pub payload_kg: f64,
    /// The steering.
    pub steering: Steering,
    /// Flight options (sampling).
    pub options: FlightOptions,
}

/// The fly mission's answer.
#[derive(Debug, Clone)]
pub struct FlyMission {
    /// The flight report (`fly --json`, `events.json`).
    pub report: FlightReport,
    /// The flight.
    pub flight: FlightResult,
    /// The launch with its azimuth.
    pub launch: Launch,
    /// The inclination the azimuth was found for (`None` when an azimuth was given).
    pub inclination_deg: Option<f64>,
    /// The ascent program flown.
    pub parameters: AscentParameters,
    /// Of a targeted ascent: usable propellant left at engine cutoff, kg, and the flights flown.
    pub targeting: Option<(f64, usize)>,
    /// Usable propellant of the restartable upper stage when the targeted ascent had to fly it
    /// offloaded, kg ([`crate::optimize::targeting::fly_to_orbit`]); `None`: as the file says.
    pub upper_stage_load_kg: Option<f64>,
    /// The nominal fall of every jettisoned body (calm air).
    pub impacts: Vec<NominalImpact>,
}

impl FlyMission {
    /// `vehicle` as this ascent flew it (its upper stage offloaded when it had to be).
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        crate::optimize::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }

    /// What the writers of the run are told about it; `flown` is [`Self::flown_vehicle`].
    pub fn run_info<'a>(&self, request: &FlyRequest<'a>, flown: &'a Vehicle) -> RunInfo<'a> {
        RunInfo {
            vehicle: flown,
            vehicle_id: request.vehicle_id,
            site_id: &request.site.id,
            launch: self.launch,
            inclination_deg: self.inclination_deg,
            payload_kg: request.payload_kg,
        }
    }
}

/// Fly the request. `progress` counts the flights of a targeted ascent or a kick search.
pub fn fly(request: &FlyRequest<'_>, mut progress: impl FnMut(usize)) -> Result<FlyMission> {
    let r = request;
    let (flight, launch, inclination_deg, parameters, targeting, upper_stage_load_kg) = match r.steering {
        Steering::Targeted { target, branch } => {
            let a = fly_to_orbit(r.vehicle, r.site, &target, branch, r.payload_kg, r.options, &mut progress)?;
            let margin = Some((a.propellant_margin_kg, a.flights));
            (a.flight, a.launch, Some(target.inclination_deg), a.parameters, margin, a.upper_stage_load_kg)
        }
        Steering::OpenLoop { heading, perigee_m, parameters, kick_for_staging_fpa_deg } => {
            let site = r.site;
            if !perigee_m.is_finite() || perigee_m < 0.0 {
                return Err(crate::Error::invalid("perigee", format!("must be ≥ 0 km, got {} km", perigee_m / 1e3)));
            }
            let (azimuth_deg, inclination_deg) = match heading {
                Heading::Azimuth(az) => {
                    if !az.is_finite() {
                        return Err(crate::Error::invalid("azimuth", format!("{az}")));
                    }
                    site.check_corridor(az, inclination_from_azimuth(site.latitude_deg, az, perigee_m))?;
                    (az.rem_euclid(360.0), None)
                }
                Heading::Inclination { inclination_deg, branch } => {
                    let inclination_deg = inclination_deg.unwrap_or_else(|| site.default_inclination_deg());
                    let az = launch_azimuth(site.latitude_deg, inclination_deg, perigee_m, branch)?;
                    site.check_corridor(az.azimuth_deg, inclination_deg)?;
                    (az.azimuth_deg, Some(inclination_deg))
                }
            };
            let launch = Launch::from_site(site, azimuth_deg);
            parameters.check()?;
            let setup = FlightSetup { vehicle: r.vehicle, payload_kg: r.payload_kg, launch, options: r.options };
            setup.check()?;
            let parameters = match kick_for_staging_fpa_deg {
                Some(fpa_deg) => tune_pitch_kick(&setup, parameters, fpa_deg)?,
                None => parameters,
            };
            let mut guidance = AscentProgram::new(parameters, r.vehicle, &launch);
            (fly_setup(&setup, &mut guidance)?, launch, inclination_deg, parameters, None, None)
        }
    };
    let flown = crate::optimize::transfer::as_flown(r.vehicle, upper_stage_load_kg);
    let impacts = nominal_impacts(&flown, &launch, &flight.jettisoned, None, &FallOptions::default())?;
    let run = RunInfo { vehicle: &flown, vehicle_id: r.vehicle_id, site_id: &r.site.id, launch, inclination_deg, payload_kg: r.payload_kg };
    let report = FlightReport::new(&run, &flight)?;
    Ok(FlyMission { report, flight, launch, inclination_deg, parameters, targeting, upper_stage_load_kg, impacts })
}

/// The whole mission of a vehicle with a restartable upper stage through a parking orbit
/// (`fly --orbit`): with `payload_kg`, that payload
/// ([`crate::optimize::transfer::fly_transfer`]); without, the largest payload
/// ([`super::transfer_payload`]). The request's options sample the flight.
pub fn fly_transfer(
    request: &super::TransferRequest<'_>,
    payload_kg: Option<f64>,
    progress: impl FnMut(usize),
) -> Result<super::TransferMission> {
    let Some(payload_kg) = payload_kg else { return super::transfer_payload(request, progress) };
    let super::TransferRequest { vehicle, site, parking, target, branch, options } = *request;
    let solution = crate::optimize::transfer::fly_transfer(vehicle, site, &parking, &target, branch, payload_kg, options, progress)?;
    let report = super::TransferReport::new(vehicle, &site.id, &target, &solution)?;
    Ok(super::TransferMission { report, solution })
}
