//! The fly mission: an ascent with a given payload, either the targeted ascent into an orbit or
//! the open-loop program as given, with its flight report and the nominal falls of what it
//! jettisons (`cosmodrome fly`).

use super::flight::{FlightReport, RunInfo};
use crate::dropzone::{nominal_impacts, FallOptions, NominalImpact};
use crate::error::Result;
use crate::flight::{fly as fly_setup, FlightOptions, FlightResult, FlightSetup, Launch};
use crate::guidance::{inclination_from_azimuth, launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch};
use crate::optimize::payload::TargetOrbit;
use crate::optimize::targeting::{fly_to_orbit_keeping_elliptic, DirectAscent};
use crate::optimize::transfer::{
    elliptic_profile_applies, fly_elliptic, fly_elliptic_from, parking_orbit_weighed, via_parking_orbit, TransferSolution,
};
use crate::optimize::Progress;
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
    /// Of a targeted ascent: usable propellant left at engine cutoff (by the elliptic profile:
    /// after the circularization), kg, and the flights flown.
    pub targeting: Option<(f64, usize)>,
    /// Usable propellant of the restartable upper stage when the targeted ascent had to fly it
    /// offloaded, kg ([`crate::optimize::targeting::fly_to_orbit`]); `None`: as the file says.
    pub upper_stage_load_kg: Option<f64>,
    /// The nominal fall of every jettisoned body (calm air).
    pub impacts: Vec<NominalImpact>,
    /// Of a targeted ascent flown by the elliptic profile (the direct ascent could not be
    /// targeted with this payload): the ellipse, the coast and the circularization burn.
    pub elliptic: Option<EllipticProfile>,
}

/// A targeted ascent flown by the elliptic profile: to an ellipse whose apogee is the circular
/// target's altitude, a coast to the apogee, and the restartable last stage's circularization
/// burn there ([`crate::optimize::transfer::fly_elliptic`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EllipticProfile {
    /// The ellipse the ascent cuts off in (its apogee aimed off the target by what J2 moves it).
    pub ellipse: TargetOrbit,
    /// The coast from the ascent's cutoff to the circularization.
    pub coasts: Vec<crate::optimize::transfer::CoastReport>,
    /// The last stage's burns (the ascent's last, then the circularization).
    pub burns: Vec<crate::optimize::transfer::BurnReport>,
}

impl EllipticProfile {
    /// Whether the ascent ended in a circular parking orbit, the burns raising it to the target,
    /// rather than in an ellipse under the target.
    pub fn through_parking_orbit(&self) -> bool {
        self.ellipse.apogee_m - self.ellipse.perigee_m < 1e3
    }

    /// Whether the ellipse is the raising ellipse under the eccentric `target`: its one burn at
    /// the apogee raises the far side rather than circularizing.
    pub fn raises(&self, target: &TargetOrbit) -> bool {
        !self.through_parking_orbit() && target.apogee_m - target.perigee_m >= crate::optimize::transfer::CIRCULAR_WITHIN_M
    }

    /// How far the last stage's burns change the inclination from the ellipse's to `target`'s,
    /// degrees: 0 where an ascent reaches the target's plane, more where the site's corridors
    /// or latitude keep the ascent out of it (the plane turns by more where the burn lies off
    /// the node).
    pub fn inclination_change_deg(&self, target: &TargetOrbit) -> f64 {
        (target.inclination_deg - self.ellipse.inclination_deg).abs()
    }
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
            upper_stage_load_kg: self.upper_stage_load_kg,
            energy_weave_deg: super::common::energy_weave_deg(&self.parameters),
        }
    }
}

/// Fly the request. `progress` counts the flights of a targeted ascent or a kick search.
pub fn fly(request: &FlyRequest<'_>, progress: Progress<'_>) -> Result<FlyMission> {
    let r = request;
    crate::flight::check_payload_kg(r.payload_kg)?;
    super::liftoff_limit::check_payload_kg(r.vehicle, r.payload_kg)?;
    let mut elliptic_profile = None;
    let (flight, launch, inclination_deg, parameters, targeting, upper_stage_load_kg) = match r.steering {
        Steering::Targeted { target, branch } => {
            let (targeted, flights) = fly_targeted(r.vehicle, r.site, &target, branch, r.options, r.payload_kg, progress)?;
            match targeted {
                TargetedFlight::Direct(a) => (
                    a.flight,
                    a.launch,
                    Some(target.inclination_deg),
                    a.parameters,
                    Some((a.propellant_margin_kg, flights)),
                    a.upper_stage_load_kg,
                ),
                TargetedFlight::Profile(s) => {
                    elliptic_profile = Some(EllipticProfile { ellipse: s.parking, coasts: s.coasts, burns: s.burn_reports });
                    (
                        s.flight,
                        s.launch,
                        Some(target.inclination_deg),
                        s.ascent,
                        Some((s.propellant_left_kg, flights)),
                        s.upper_stage_load_kg,
                    )
                }
            }
        }
        Steering::OpenLoop { heading, perigee_m, parameters, kick_for_staging_fpa_deg } => {
            let site = r.site;
            if !perigee_m.is_finite() || perigee_m < 0.0 {
                let got = crate::error::quantity_text(perigee_m, 1e3, Some(1));
                return Err(crate::Error::invalid("perigee", format!("must be a finite altitude ≥ 0 km, got {got} km")));
            }
            let (azimuth_deg, inclination_deg) = match heading {
                Heading::Azimuth(az) => {
                    // An azimuth is a bearing: 0 to 360° (a negative one read as its bearing west of
                    // north), not a count of turns, so a typo such as 405 is refused, not flown as 45°.
                    if !(az.is_finite() && (-360.0..=360.0).contains(&az)) {
                        return Err(crate::Error::invalid("azimuth", format!("must be a bearing from −360° to 360°, got {az}°")));
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
            if parameters.main_engine_burn_s.is_some() && r.vehicle.stages.last().is_none_or(|s| s.burn_on_engine.is_none()) {
                return Err(crate::Error::invalid(
                    "main-engine burn",
                    format!(
                        "{}: its last stage has no engine that burns on after its main engines (`burns_on` in its `engines`)",
                        r.vehicle.name
                    ),
                ));
            }
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
    let run = RunInfo {
        vehicle: &flown,
        vehicle_id: r.vehicle_id,
        site_id: &r.site.id,
        launch,
        inclination_deg,
        payload_kg: r.payload_kg,
        upper_stage_load_kg,
        energy_weave_deg: super::common::energy_weave_deg(&parameters),
    };
    let report = FlightReport::new(&run, &flight)?;
    Ok(FlyMission {
        report,
        flight,
        launch,
        inclination_deg,
        parameters,
        targeting,
        upper_stage_load_kg,
        impacts,
        elliptic: elliptic_profile,
    })
}

/// How a targeted ascent with a given payload reached its orbit ([`fly_targeted`]).
#[derive(Debug, Clone)]
pub(crate) enum TargetedFlight {
    /// One powered ascent into the orbit.
    Direct(crate::optimize::targeting::TargetedAscent),
    /// The elliptic profile, or the mission through the parking orbit: the ascent, a coast and
    /// the restartable last stage's burns.
    Profile(TransferSolution),
}

/// `payload_kg` flown by `vehicle` from `site` into `target` as `fly` flies it: the direct
/// targeted ascent, and where that cannot be targeted, the profiles the payload search weighs
/// for such a target (through the parking orbit to an eccentric target; the elliptic profile,
/// then the parking orbit, to a circular one). Returns the flight and the flights flown.
pub(crate) fn fly_targeted(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    payload_kg: f64,
    progress: Progress<'_>,
) -> Result<(TargetedFlight, usize)> {
    let target = *target;
    // A vehicle that cannot climb near the orbit is refused before any profile is tried.
    let mut flown = crate::optimize::reach::check_vertical(vehicle, site, &target, options)?;
    let checked = flown;
    // The elliptic profile's largest payload, when the direct ascent's failure path searched it
    // (to say how much the vehicle carries there).
    let mut elliptic_max = None;
    let ascent = DirectAscent { vehicle, site, target, branch, options };
    // Every profile failed: the file's limits named when lifting them lets it fly.
    let limits_named = |e| crate::optimize::reach::with_limits_named(vehicle, site, &target, branch, options, e);
    let direct = fly_to_orbit_keeping_elliptic(&ascent, payload_kg, &mut elliptic_max, &mut |n| {
        flown = checked + n;
        progress(checked + n)
    });
    match direct {
        Ok(a) => {
            let flights = a.flights;
            Ok((TargetedFlight::Direct(a), flights))
        }
        // An eccentric target through the parking orbit, as `payload` weighs it.
        Err(e @ crate::Error::Unreachable(_)) if parking_orbit_weighed(vehicle, &target, false) => {
            let s = through_parking_orbit(&ascent, payload_kg, &mut |n| progress(flown + n))
                .filter(|s| target.reached_by(&s.orbit))
                .ok_or_else(|| limits_named(crate::Error::Unreachable(format!("{e}; nor through a parking orbit"))))?;
            let flights = flown + s.flights;
            Ok((TargetedFlight::Profile(s), flights))
        }
        Err(e @ crate::Error::Unreachable(_)) if elliptic_profile_applies(vehicle, &target) => {
            // Flown from that largest payload (its flights are among the `flown` already);
            // searched afresh only when the failure path did not get that far.
            let elliptic = match elliptic_max {
                Some(max) => max.and_then(|max| {
                    let max = TransferSolution { flights: 0, ..max };
                    fly_elliptic_from(&ascent, payload_kg, max, &mut |n| progress(flown + n))
                }),
                None => fly_elliptic(&ascent, payload_kg, &mut |n| progress(flown + n)),
            };
            // Failing that, through the parking orbit, as `payload` weighs it for such a target
            // (a circular orbit thousands of km up).
            let s = match elliptic {
                Ok(s) => s,
                Err(elliptic) => through_parking_orbit(&ascent, payload_kg, &mut |n| progress(flown + n))
                    .ok_or_else(|| limits_named(crate::Error::Unreachable(format!("{e}; by the elliptic profile: {elliptic}"))))?,
            };
            let flights = flown + s.flights;
            Ok((TargetedFlight::Profile(s), flights))
        }
        Err(e) => Err(limits_named(e)),
    }
}

/// `payload_kg` flown to the target of `ascent` through the parking orbit
/// ([`via_parking_orbit`]), as `--orbit` with the same elements flies it; `None` when
/// the stage cannot fly that mission or the payload is more than it carries there.
fn through_parking_orbit(ascent: &DirectAscent<'_>, payload_kg: f64, progress: Progress<'_>) -> Option<TransferSolution> {
    crate::optimize::transfer::fly_transfer(&via_parking_orbit(ascent)?, payload_kg, progress).ok()
}

/// The whole mission of a vehicle with a restartable upper stage through a parking orbit
/// (`fly --orbit`): with `payload_kg`, that payload
/// ([`crate::optimize::transfer::fly_transfer`]); without, the largest payload
/// ([`super::transfer_payload`]). The request's options sample the flight.
pub fn fly_transfer(
    request: &super::TransferRequest<'_>,
    payload_kg: Option<f64>,
    progress: Progress<'_>,
) -> Result<super::TransferMission> {
    let Some(payload_kg) = payload_kg else { return super::transfer_payload(request, progress) };
    let super::TransferRequest { vehicle, site, target, .. } = *request;
    super::liftoff_limit::check_payload_kg(vehicle, payload_kg)?;
    let solution = crate::optimize::transfer::fly_transfer(request, payload_kg, progress)?;
    let report = super::TransferReport::new(vehicle, &site.id, &target, &solution)?;
    Ok(super::TransferMission { report, solution })
}

/// Sampling of a mission through a parking orbit unless a front end is told otherwise, s: it
/// lasts hours, and a sample a second would make files of tens of MB.
pub const TRANSFER_SAMPLE_INTERVAL_S: f64 = 10.0;

/// Sampling of a direct ascent unless a front end is told otherwise, s.
pub const ASCENT_SAMPLE_INTERVAL_S: f64 = 1.0;

/// Sampling of the flight to `target` unless a front end is told otherwise, s: every
/// [`ASCENT_SAMPLE_INTERVAL_S`] for a direct ascent, every [`TRANSFER_SAMPLE_INTERVAL_S`] through
/// a parking orbit. The one choice behind `fly --orbit` and `dropzones --orbit` of every front
/// end, so that they write the same trajectory for the same mission.
pub fn default_sample_interval_s(target: &crate::optimize::transfer::MissionTarget) -> f64 {
    match target {
        crate::optimize::transfer::MissionTarget::Direct(_) => ASCENT_SAMPLE_INTERVAL_S,
        crate::optimize::transfer::MissionTarget::Transfer { .. } => TRANSFER_SAMPLE_INTERVAL_S,
    }
}

/// Name of the [`crate::Error::InvalidInput`] with which [`named_target`] refuses a named orbit
/// whose transfer target its parking orbit cannot lead to: a front end that knows which of its
/// inputs set the elements (the command-line tool, its flags) can say so.
pub const NAMED_ORBIT_INPUT: &str = "orbit";

/// Name of the [`crate::Error::InvalidInput`] with which [`named_target`] refuses an asymptote
/// declination: given with an orbit other than an escape, or not an angle within −90…90°.
pub const DECLINATION_INPUT: &str = "declination_deg";

/// The mission target of a named orbit (`leo`, `sso`, `gto`, `gto-1800`, `gto-1500`, `gso`,
/// `meo`, `molniya`, `escape`, case-insensitive) from `site` for `vehicle`, with `overrides` of its
/// default elements: the one resolver of `--orbit NAME` behind the command-line tool, the web
/// server and the Python package, so the three fly the same mission for the same name. An
/// unknown name is an [`crate::Error::InvalidInput`] listing the valid ones. A transfer target
/// its parking orbit cannot lead to (a C3 out of range, a perigee below the parking orbit) is
/// refused here, before any flight, as an [`crate::Error::InvalidInput`] named
/// [`NAMED_ORBIT_INPUT`] saying why: otherwise the mission would find out only once flown. An
/// asymptote declination is refused as [`DECLINATION_INPUT`] when the orbit is no escape (it
/// would be dropped silently) or the angle is not a finite one within −90…90°. So, as
/// [`NAMED_ORBIT_INPUT`], are the other elements an orbit would drop: an argument of perigee
/// outside 0–360°, given to an orbit other than GTO, MEO or Molniya, or to one the vehicle's
/// ascent flies directly (it cannot hold it); a C3 given to an orbit other than an escape.
pub fn named_target(name: &str, site: &Site, vehicle: &Vehicle, overrides: &super::OrbitOverrides) -> Result<NamedTarget> {
    use super::orbits::OrbitShortcut;
    let shortcut: OrbitShortcut = name.parse()?;
    if let Some(d) = overrides.declination_deg {
        if !(d.is_finite() && (-90.0..=90.0).contains(&d)) {
            return Err(crate::Error::invalid(DECLINATION_INPUT, format!("the asymptote declination must be within −90…90°, got {d}")));
        }
        if shortcut != OrbitShortcut::Escape {
            return Err(crate::Error::invalid(
                DECLINATION_INPUT,
                format!("an asymptote declination belongs to an escape (orbit escape), not to {shortcut}"),
            ));
        }
    }
    // An element the named orbit does not use would be dropped silently: refused, as the
    // declination is above.
    let refused = |message: String| Err(crate::Error::invalid(NAMED_ORBIT_INPUT, message));
    if let Some(w) = overrides.argument_of_perigee_deg {
        if !(w.is_finite() && (0.0..=360.0).contains(&w)) {
            return refused(format!("the argument of perigee must be within 0–360°, got {w}"));
        }
        if !matches!(shortcut, OrbitShortcut::Gto | OrbitShortcut::Meo | OrbitShortcut::Molniya) {
            return refused(format!("an argument of perigee belongs to gto, meo or molniya, not to {shortcut}"));
        }
    }
    if overrides.c3_km2_s2.is_some() && shortcut != OrbitShortcut::Escape {
        return refused(format!("a C3 belongs to an escape (orbit escape), not to {shortcut}"));
    }
    // The orbits a definition fixes rather than their elements have no perigee, apogee or
    // inclination to move: the definition would drop them.
    let fixed_by = match shortcut {
        OrbitShortcut::Gso => Some("its elements are fixed (one sidereal day, circular, equatorial)"),
        OrbitShortcut::Gto1800 | OrbitShortcut::Gto1500 => {
            Some("its elements follow from its Δv short of GSO and the parking orbit's perigee")
        }
        OrbitShortcut::Escape => Some("an escape is set by its C3 and, when given, its asymptote's declination"),
        _ => None,
    };
    if let Some(definition) = fixed_by {
        let given: Vec<&str> =
            [("a perigee", overrides.perigee_m), ("an apogee", overrides.apogee_m), ("an inclination", overrides.inclination_deg)]
                .into_iter()
                .filter_map(|(element, value)| value.map(|_| element))
                .collect();
        if !given.is_empty() {
            return refused(format!(
                "{} {} not apply to {shortcut}: {definition}; an orbit of other elements is given by its elements alone, or as gto, meo or molniya with them",
                given.join(" and "),
                if given.len() == 1 { "does" } else { "do" }
            ));
        }
    }
    let mut target = super::mission_target(shortcut, site, vehicle, overrides)?;
    if let (crate::optimize::transfer::MissionTarget::Direct(orbit), Some(w)) = (&mut target, overrides.argument_of_perigee_deg) {
        // Asked for, the ascent holds it: its cutoff moves along the orbit until the perigee
        // lies there. A circular orbit (MEO) has none to place, as a transfer's says.
        *orbit = orbit.holding_argument_of_perigee(Some(w)).map_err(|e| match e {
            crate::Error::InvalidInput { message, .. } => crate::Error::invalid(NAMED_ORBIT_INPUT, message),
            e => e,
        })?;
    }
    if let crate::optimize::transfer::MissionTarget::Transfer { parking, target: transfer } = &target {
        transfer.target_orbit(parking).map_err(|e| match e {
            crate::Error::InvalidInput { message, .. } => crate::Error::invalid(NAMED_ORBIT_INPUT, message),
            e => e,
        })?;
    }
    let note = match overrides.argument_of_perigee_deg {
        Some(_) => None,
        None => argument_of_perigee_not_held(shortcut, site, vehicle, &target)?,
    };
    Ok(NamedTarget { target, note })
}

/// A named orbit resolved for a vehicle: the mission to fly and what it does not hold of the
/// orbit's default elements. The note travels with the target so that every front end (and
/// every report it writes) says the same thing for the same name.
#[derive(Debug, Clone)]
pub struct NamedTarget {
    /// The orbit, reached directly or through a parking orbit.
    pub target: crate::optimize::transfer::MissionTarget,
    /// In words, what the target does not hold of the named orbit: its default argument of
    /// perigee (a GTO's, a Molniya's) when the vehicle's ascent flies it directly, which leaves
    /// the orbit free to face another way. `None` when it holds all of it.
    pub note: Option<String>,
}

/// Why a named orbit flown directly by `vehicle`'s ascent does not hold an argument of perigee.
fn perigee_left_free(vehicle: &Vehicle, shortcut: super::orbits::OrbitShortcut) -> String {
    format!("{} flies {shortcut} in its ascent (its last stage burns once), which leaves the argument of perigee free", vehicle.name)
}

/// The note of a named orbit with a default argument of perigee (a GTO, Molniya) that `target`,
/// flown directly by the ascent, does not hold: the orbit reached may face another way.
fn argument_of_perigee_not_held(
    shortcut: super::orbits::OrbitShortcut,
    site: &Site,
    vehicle: &Vehicle,
    target: &crate::optimize::transfer::MissionTarget,
) -> Result<Option<String>> {
    if !matches!(target, crate::optimize::transfer::MissionTarget::Direct(_)) {
        return Ok(None);
    }
    let held = super::orbits::default_orbit(shortcut, site)?.argument_of_perigee_deg;
    Ok(held.map(|w| {
        format!(
            "{}: the named orbit's {w:.0}° is not held unless asked for (an argument of perigee given with the orbit is held where the ascent can place it)",
            perigee_left_free(vehicle, shortcut)
        )
    }))
}

/// What to fly to a named orbit (`fly --orbit NAME`): a target from [`named_target`].
#[derive(Debug, Clone, Copy)]
pub struct FlyOrbitRequest<'a> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// Vehicle id or file as the user gave it (for the report).
    pub vehicle_id: &'a str,
    /// The pad.
    pub site: &'a Site,
    /// The orbit, reached directly or through a parking orbit.
    pub target: crate::optimize::transfer::MissionTarget,
    /// What `target` does not hold of the named orbit ([`NamedTarget::note`]), said in the
    /// payload report's `notes`; `None` otherwise.
    pub note: Option<&'a str>,
    /// Northbound or southbound leg.
    pub branch: Branch,
    /// Payload, kg; `None`: the largest the vehicle carries there.
    pub payload_kg: Option<f64>,
    /// Flight options (sampling).
    pub options: FlightOptions,
}

/// The answer of a mission to a named orbit: the flight report of the whole mission (with its
/// timeline of burns and coasts), the flight, and the report of the search behind it.
#[derive(Debug, Clone)]
pub struct FlyOrbitMission {
    /// The flight report of the whole mission (`fly --orbit … --json`, `events.json`).
    pub report: FlightReport,
    /// The flight, ascent and (through a parking orbit) coasts and burns.
    pub flight: FlightResult,
    /// The launch with its azimuth.
    pub launch: Launch,
    /// The inclination the ascent flew to (of the parking orbit when through one), degrees.
    pub inclination_deg: f64,
    /// The payload flown, kg (given, or the largest found).
    pub payload_kg: f64,
    /// Usable propellant of the restartable upper stage when the direct ascent flew it
    /// offloaded, kg; `None`: as the file says.
    pub upper_stage_load_kg: Option<f64>,
    /// The nominal fall of every jettisoned body (calm air).
    pub impacts: Vec<NominalImpact>,
    /// Of a direct ascent with the largest payload: the payload report (`payload.json`).
    pub payload: Option<super::PayloadReport>,
    /// Of a mission through a parking orbit: the transfer report (`transfer.json`).
    pub transfer: Option<super::TransferReport>,
}

impl FlyOrbitMission {
    /// `vehicle` as this mission flew it (its upper stage offloaded when it had to be).
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        crate::optimize::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }
}

/// Fly the whole mission to a named orbit (`cosmodrome fly --orbit`): a direct ascent with the
/// payload given (the targeted ascent of [`fly`]) or the largest ([`super::payload`](mod@super::payload)), or the
/// ascent to a parking orbit, coasts and burns ([`fly_transfer`]). `progress` counts flights.
pub fn fly_orbit(request: &FlyOrbitRequest<'_>, progress: Progress<'_>) -> Result<FlyOrbitMission> {
    use crate::optimize::transfer::MissionTarget;
    let r = request;
    if let Some(p) = r.payload_kg {
        crate::flight::check_payload_kg(p)?;
    }
    match r.target {
        MissionTarget::Direct(target) => match r.payload_kg {
            Some(payload_kg) => {
                let steering = Steering::Targeted { target, branch: r.branch };
                let fly_request =
                    FlyRequest { vehicle: r.vehicle, vehicle_id: r.vehicle_id, site: r.site, payload_kg, steering, options: r.options };
                let m = fly(&fly_request, progress)?;
                Ok(FlyOrbitMission {
                    report: m.report,
                    flight: m.flight,
                    launch: m.launch,
                    inclination_deg: target.inclination_deg,
                    payload_kg,
                    upper_stage_load_kg: m.upper_stage_load_kg,
                    impacts: m.impacts,
                    payload: None,
                    transfer: None,
                })
            }
            None => {
                let payload_request = super::PayloadRequest {
                    vehicle: r.vehicle,
                    site: r.site,
                    target,
                    branch: r.branch,
                    zones: None,
                    options: r.options,
                    note: r.note,
                };
                let m = super::payload(&payload_request, progress)?;
                let s = m.solution;
                let flown = s.flown_vehicle(r.vehicle);
                let run = RunInfo {
                    vehicle: &flown,
                    vehicle_id: r.vehicle_id,
                    site_id: &r.site.id,
                    launch: s.launch,
                    inclination_deg: Some(target.inclination_deg),
                    payload_kg: s.payload_kg,
                    upper_stage_load_kg: s.upper_stage_load_kg,
                    energy_weave_deg: None,
                };
                let report = FlightReport::new(&run, &s.flight)?;
                let upper_stage_load_kg = s.upper_stage_load_kg;
                Ok(FlyOrbitMission {
                    report,
                    launch: s.launch,
                    inclination_deg: target.inclination_deg,
                    payload_kg: s.payload_kg,
                    upper_stage_load_kg,
                    impacts: m.impacts,
                    flight: s.flight,
                    payload: Some(m.report),
                    transfer: None,
                })
            }
        },
        MissionTarget::Transfer { parking, target } => {
            let transfer_request =
                super::TransferRequest { vehicle: r.vehicle, site: r.site, parking, target, branch: r.branch, options: r.options };
            let m = fly_transfer(&transfer_request, r.payload_kg, progress)?;
            let s = m.solution;
            let flown = crate::optimize::transfer::as_flown(r.vehicle, s.upper_stage_load_kg);
            let run = RunInfo {
                vehicle: &flown,
                vehicle_id: r.vehicle_id,
                site_id: &r.site.id,
                launch: s.launch,
                inclination_deg: Some(s.parking.inclination_deg),
                payload_kg: s.payload_kg,
                upper_stage_load_kg: s.upper_stage_load_kg,
                energy_weave_deg: None,
            };
            let report = FlightReport::new(&run, &s.flight)?;
            let impacts = nominal_impacts(&flown, &s.launch, &s.flight.jettisoned, None, &FallOptions::default())?;
            Ok(FlyOrbitMission {
                report,
                launch: s.launch,
                inclination_deg: s.parking.inclination_deg,
                payload_kg: s.payload_kg,
                upper_stage_load_kg: s.upper_stage_load_kg,
                impacts,
                flight: s.flight,
                payload: None,
                transfer: Some(m.report),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimize::transfer::MissionTarget;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// The one resolver of named orbits: LEO is a direct ascent, GSO of a vehicle with a
    /// restartable upper stage goes through a parking orbit, an unknown name lists the valid
    /// ones; a direct mission with a given payload is the targeted ascent of [`fly`].
    #[test]
    fn named_orbits_resolve_and_a_direct_mission_is_the_targeted_ascent() {
        let sites = SiteCatalog::builtin().expect("sites");
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let site = sites.pad_for("vostochny", briz.family.as_deref()).expect("pad").site;
        let none = super::super::OrbitOverrides::default();
        assert!(matches!(named_target("GSO", site, &briz, &none).map(|n| n.target), Ok(MissionTarget::Transfer { .. })));
        let e = named_target("geo", site, &briz, &none).unwrap_err().to_string();
        assert!(e.contains("unknown orbit `geo`") && e.contains("gto-1800"), "{e}");

        let (soyuz, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let site = sites.pad_for("vostochny", soyuz.family.as_deref()).expect("pad").site;
        let target = named_target("leo", site, &soyuz, &none).expect("leo").target;
        let MissionTarget::Direct(orbit) = target else { panic!("LEO is flown directly: {target:?}") };
        let options = FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() };
        let request = FlyOrbitRequest {
            vehicle: &soyuz,
            vehicle_id: "soyuz-2.1b",
            site,
            target,
            note: None,
            branch: Branch::Northbound,
            payload_kg: Some(5000.0),
            options,
        };
        let m = fly_orbit(&request, &mut |_| {}).expect("flies");
        let steering = Steering::Targeted { target: orbit, branch: Branch::Northbound };
        let direct =
            fly(&FlyRequest { vehicle: &soyuz, vehicle_id: "soyuz-2.1b", site, payload_kg: 5000.0, steering, options }, &mut |_| {})
                .expect("flies");
        assert_eq!(m.report, direct.report);
        assert!(m.transfer.is_none() && m.payload.is_none());
        let bad = FlyOrbitRequest { payload_kg: Some(f64::NAN), ..request };
        assert!(fly_orbit(&bad, &mut |_| {}).is_err());
    }

    /// A given payload to a circular orbit at GSO altitude in Vostochny's own plane, which
    /// neither the direct ascent nor the elliptic profile reaches with Fregat-MT, is flown through
    /// the parking orbit, as `payload` answers for it, into the orbit (refused before).
    #[test]
    fn a_given_payload_beyond_the_ellipses_reach_flies_through_a_parking_orbit() {
        let (fregat, _) = resolve_vehicle("soyuz-2.1b-fregat").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", fregat.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 35_786e3, apogee_m: 35_786e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        flies_through_a_parking_orbit(&targeted(&fregat, "soyuz-2.1b-fregat", site, target, 1_000.0));
    }

    /// `payload_kg` on `vehicle` from `site`, the ascent targeted to `target`.
    fn targeted<'a>(vehicle: &'a Vehicle, vehicle_id: &'a str, site: &'a Site, target: TargetOrbit, payload_kg: f64) -> FlyRequest<'a> {
        let steering = Steering::Targeted { target, branch: Branch::Northbound };
        FlyRequest { vehicle, vehicle_id, site, payload_kg, steering, options: FlightOptions::default() }
    }

    /// `request` flown through a parking orbit into its target, with propellant to spare.
    fn flies_through_a_parking_orbit(request: &FlyRequest<'_>) {
        let Steering::Targeted { target, .. } = request.steering else { panic!("{:?}", request.steering) };
        let m = fly(request, &mut |_| {}).expect("through a parking orbit");
        let e = m.elliptic.as_ref().expect("a restart profile");
        assert!(e.through_parking_orbit(), "{:?}", e.ellipse);
        assert!(target.reached_by(&m.flight.final_orbit), "{:?}", m.flight.final_orbit);
        assert!(m.targeting.is_some_and(|(left_kg, _)| left_kg > 0.0), "{:?}", m.targeting);
    }

    /// A given payload to an eccentric target that the direct ascent cannot carry (Briz-M to
    /// Kourou's GTO: 9,405 kg directly, some 10,400 kg through the parking orbit) flies through
    /// the parking orbit, as `payload` answers for it, into the orbit; a payload beyond both is
    /// refused naming the most it carries there.
    #[test]
    fn a_given_payload_beyond_the_direct_ascent_flies_to_an_eccentric_target_through_a_parking_orbit() {
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("kourou", briz.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 250e3, apogee_m: 35_943e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
        let request = targeted(&briz, "angara-a5-briz-m", site, target, 9_700.0);
        flies_through_a_parking_orbit(&request);
        let too_heavy = FlyRequest { payload_kg: 11_500.0, ..request };
        let refused = fly(&too_heavy, &mut |_| {}).expect_err("too heavy").to_string();
        assert!(refused.contains("11500 kg") && refused.contains("the most it carries"), "{refused}");
    }

    /// A named orbit whose transfer target its parking orbit cannot lead to is refused by the
    /// resolver itself, naming [`NAMED_ORBIT_INPUT`] and saying why, so no front end flies it:
    /// an escape with a C3 out of range, a GTO with its perigee below the parking orbit. The
    /// same orbits within range resolve; a target flown directly is not checked against a parking
    /// orbit it does not have (a 100 km perigee of a vehicle whose last stage burns once).
    #[test]
    fn named_target_refuses_a_transfer_target_its_parking_orbit_cannot_lead_to() {
        let sites = SiteCatalog::builtin().expect("sites");
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let site = sites.pad_for("vostochny", briz.family.as_deref()).expect("pad").site;
        let refused = |name: &str, overrides: super::super::OrbitOverrides| match named_target(name, site, &briz, &overrides) {
            Err(crate::Error::InvalidInput { name, message }) => {
                assert_eq!(name, NAMED_ORBIT_INPUT);
                message
            }
            other => panic!("{other:?}"),
        };
        let c3 = |c3_km2_s2| super::super::OrbitOverrides { c3_km2_s2: Some(c3_km2_s2), ..Default::default() };
        let low = super::super::OrbitOverrides { perigee_m: Some(100e3), ..Default::default() };
        assert_eq!(refused("escape", c3(500.0)), "C3 must be within 0–200 km²/s², got 500 km²/s²");
        assert!(refused("escape", c3(-1.0)).starts_with("C3 must be within"));
        let m = refused("gto", low);
        assert!(m.contains("the perigee (100 km) is below the parking orbit's (200 km)"), "{m}");
        assert!(matches!(named_target("escape", site, &briz, &c3(5.0)).map(|n| n.target), Ok(MissionTarget::Transfer { .. })));
        assert!(matches!(named_target("gto", site, &briz, &Default::default()).map(|n| n.target), Ok(MissionTarget::Transfer { .. })));

        let (bare, _) = resolve_vehicle("angara-a5").expect("catalog");
        let site = sites.pad_for("vostochny", bare.family.as_deref()).expect("pad").site;
        assert!(matches!(named_target("gto", site, &bare, &low).map(|n| n.target), Ok(MissionTarget::Direct(_))));
    }

    /// An asymptote declination: carried to the escape target; refused, naming
    /// [`DECLINATION_INPUT`], with another orbit or outside −90…90° (NaN, infinite); refused,
    /// naming [`NAMED_ORBIT_INPUT`], when the parking orbit's plane cannot reach it.
    #[test]
    fn named_target_takes_an_asymptote_declination_for_an_escape_only() {
        let sites = SiteCatalog::builtin().expect("sites");
        let (dm, _) = resolve_vehicle("angara-a5-dm03").expect("catalog");
        let site = sites.pad_for("vostochny", dm.family.as_deref()).expect("pad").site;
        let declination = |d| super::super::OrbitOverrides { c3_km2_s2: Some(5.0), declination_deg: Some(d), ..Default::default() };
        match named_target("escape", site, &dm, &declination(20.0)).map(|n| n.target) {
            Ok(MissionTarget::Transfer {
                target: crate::optimize::transfer::TransferTarget::Escape { c3_m2_s2, declination_deg }, ..
            }) => {
                assert_eq!((c3_m2_s2, declination_deg), (5e6, Some(20.0)));
            }
            other => panic!("{other:?}"),
        }
        let refused = |name: &str, overrides| match named_target(name, site, &dm, &overrides) {
            Err(crate::Error::InvalidInput { name, message }) => (name, message),
            other => panic!("{other:?}"),
        };
        let gto = super::super::OrbitOverrides { declination_deg: Some(20.0), ..Default::default() };
        let (input, message) = refused("gto", gto);
        assert_eq!(input, DECLINATION_INPUT);
        assert!(message.contains("escape") && message.contains("not to gto"), "{message}");
        for d in [91.0, -90.5, f64::NAN, f64::INFINITY] {
            let (input, message) = refused("escape", declination(d));
            assert_eq!(input, DECLINATION_INPUT, "{d}");
            assert!(message.contains("−90…90°"), "{message}");
        }
        // From a 51.9° parking orbit the asymptote cannot point 60° north.
        let (input, message) = refused("escape", declination(60.0));
        assert_eq!(input, NAMED_ORBIT_INPUT);
        assert!(message.contains("asymptote declination of 60°"), "{message}");
    }

    /// An element a named orbit would drop is refused, naming [`NAMED_ORBIT_INPUT`], rather than
    /// flown without it: an argument of perigee outside 0–360°, or given to GSO, an escape or
    /// LEO, or to a circular MEO flown directly; a C3 given to anything but an escape. Within
    /// range on Molniya it is carried to the target, and on a GTO flown directly (Angara-A5, no
    /// upper stage) held by the ascent.
    #[test]
    fn named_target_refuses_an_element_the_orbit_would_drop() {
        let sites = SiteCatalog::builtin().expect("sites");
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let (bare, _) = resolve_vehicle("angara-a5").expect("catalog");
        let site = sites.pad_for("vostochny", briz.family.as_deref()).expect("pad").site;
        let aop = |w| super::super::OrbitOverrides { argument_of_perigee_deg: Some(w), ..Default::default() };
        let refused = |name: &str, v: &Vehicle, overrides| match named_target(name, site, v, &overrides) {
            Err(crate::Error::InvalidInput { name, message }) => {
                assert_eq!(name, NAMED_ORBIT_INPUT, "{message}");
                message
            }
            other => panic!("{other:?}"),
        };
        for w in [400.0, -1.0, f64::NAN] {
            let m = refused("gto", &briz, aop(w));
            assert!(m.contains("within 0–360°"), "{m}");
        }
        for name in ["gso", "escape", "leo", "gto-1800"] {
            let m = refused(name, &briz, aop(90.0));
            assert!(m.contains(&format!("not to {name}")), "{m}");
        }
        // Asked for, a GTO flown directly holds its argument of perigee, with no note.
        let asked = named_target("gto", site, &bare, &aop(178.0)).expect("held");
        assert!(matches!(asked.target, MissionTarget::Direct(o) if o.argument_of_perigee_deg == Some(178.0)), "{:?}", asked.target);
        assert_eq!(asked.note, None);
        // A circular MEO flown directly has none to place, as a transfer's MEO says.
        let m = refused("meo", &bare, aop(10.0));
        assert!(m.contains("no perigee to place"), "{m}");
        // Not asked for, the named GTO's is not held: a note says so.
        let direct = named_target("gto", site, &bare, &Default::default()).expect("direct");
        assert!(matches!(direct.target, MissionTarget::Direct(_)));
        let note = direct.note.expect("a GTO has one");
        assert!(note.contains("the named orbit's 180° is not held"), "{note}");
        let through = named_target("gto", site, &briz, &Default::default()).expect("through the parking orbit");
        assert!(matches!(through.target, MissionTarget::Transfer { .. }));
        assert_eq!(through.note, None);
        // A circular orbit has no argument of perigee to leave free.
        assert_eq!(named_target("sso", site, &bare, &Default::default()).expect("sso").note, None);
        let c3 = super::super::OrbitOverrides { c3_km2_s2: Some(5.0), ..Default::default() };
        let m = refused("gto", &briz, c3);
        assert!(m.contains("a C3 belongs to an escape") && m.contains("not to gto"), "{m}");
        match named_target("molniya", site, &briz, &aop(270.0)).map(|n| n.target) {
            Ok(MissionTarget::Transfer {
                target: crate::optimize::transfer::TransferTarget::Orbit { argument_of_perigee_deg, .. },
                ..
            }) => assert_eq!(argument_of_perigee_deg, Some(270.0)),
            other => panic!("{other:?}"),
        }
    }

    /// GSO, the GTOs short of GSO by a Δv and an escape are fixed by their definitions: a
    /// perigee, apogee or inclination given with them is refused, naming what was given, where
    /// it was flown without them. An apogee under the perigee is refused rather than raised to
    /// it (a LEO of 500 × 300 km flew a 500 km circle).
    #[test]
    fn named_target_refuses_elements_a_definition_fixes_and_an_apogee_under_the_perigee() {
        let sites = SiteCatalog::builtin().expect("sites");
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let site = sites.pad_for("vostochny", briz.family.as_deref()).expect("pad").site;
        let refused = |name: &str, overrides| match named_target(name, site, &briz, &overrides) {
            Err(crate::Error::InvalidInput { name, message }) => {
                assert_eq!(name, NAMED_ORBIT_INPUT, "{message}");
                message
            }
            other => panic!("{name}: {other:?}"),
        };
        let o = super::super::OrbitOverrides::default;
        for name in ["gso", "gto-1800", "gto-1500", "escape"] {
            let m = refused(name, super::super::OrbitOverrides { apogee_m: Some(50_000e3), ..o() });
            assert!(m.starts_with(&format!("an apogee does not apply to {name}")), "{m}");
            let m = refused(name, super::super::OrbitOverrides { perigee_m: Some(300e3), inclination_deg: Some(10.0), ..o() });
            assert!(m.starts_with(&format!("a perigee and an inclination do not apply to {name}")), "{m}");
        }
        // Their C3 and declination still set an escape.
        assert!(named_target("escape", site, &briz, &super::super::OrbitOverrides { c3_km2_s2: Some(5.0), ..o() }).is_ok());
        let m = refused("leo", super::super::OrbitOverrides { perigee_m: Some(500e3), apogee_m: Some(300e3), ..o() });
        assert!(m.contains("the apogee (300 km) lies below the perigee (500 km)"), "{m}");
        let m = refused("gto", super::super::OrbitOverrides { perigee_m: Some(40_000e3), ..o() });
        assert!(m.contains("the perigee (40000 km) lies above gto's apogee") && m.contains("give the apogee too"), "{m}");
        let m = refused("sso", super::super::OrbitOverrides { apogee_m: Some(300e3), ..o() });
        assert!(m.contains("lies below sso's perigee") && m.contains("give the perigee too"), "{m}");
        // An apogee at the perigee is a circle, as before.
        let circle =
            named_target("leo", site, &briz, &super::super::OrbitOverrides { perigee_m: Some(500e3), apogee_m: Some(500e3), ..o() });
        assert!(matches!(circle.expect("circle").target, MissionTarget::Direct(t) if t.apogee_m == t.perigee_m));
    }

    /// A direct ascent is sampled every second, a mission through a parking orbit every 10 s.
    #[test]
    fn a_mission_through_a_parking_orbit_is_sampled_less_often() {
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.8, argument_of_perigee_deg: None };
        let transfer = MissionTarget::Transfer { parking, target: crate::optimize::transfer::TransferTarget::Gso };
        assert_eq!(default_sample_interval_s(&MissionTarget::Direct(parking)), 1.0);
        assert_eq!(default_sample_interval_s(&transfer), 10.0);
        assert_eq!(transfer.ascent_orbit(), parking);
    }
}
