//! From flags to validated core objects: the vehicle, the pad, the target orbit, the designated
//! zones, and the hint a payload refused by a targeted ascent gets. Used
//! by every command; uses none of them.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cosmodrome::dropzone::DesignatedZones;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::ErrorKind;
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, unknown_vehicle, Site, Vehicle};

use crate::args::{FlyArgs, NamedOrbitArgs, OrbitArgs};

/// Most characters of a user's argument quoted back in an error.
const MAX_QUOTED_CHARS: usize = 80;

/// A catalog id, or else a path to a vehicle file. Warnings go to stderr. An argument that looks
/// like a path (a directory separator, or ending in `.toml`) and names no file is reported as a
/// missing file; any other unknown argument as an unknown id with the nearest catalog ids.
pub fn load_vehicle(id_or_path: &str) -> Result<Vehicle> {
    let path = Path::new(id_or_path);
    let looks_like_path = id_or_path.contains(['/', std::path::MAIN_SEPARATOR]) || id_or_path.to_ascii_lowercase().ends_with(".toml");
    let (vehicle, warnings) = if catalog_ids().contains(&id_or_path) {
        resolve_vehicle(id_or_path)?
    } else if path.is_file() {
        let text = std::fs::read_to_string(id_or_path).with_context(|| format!("cannot read vehicle file {}", clip(id_or_path)))?;
        Vehicle::from_toml(&text, id_or_path)?
    } else if path.is_dir() {
        return Err(crate::failure::io(format!("{} is a directory, not a vehicle file", clip(id_or_path))));
    } else if looks_like_path {
        // A catalog vehicle's file name typed for its id (`angara-a5.toml`): name the id.
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if catalog_ids().contains(&stem.as_str()) {
            return Err(crate::failure::io(format!(
                "vehicle file not found: {}; did you mean the catalog vehicle `{stem}`?",
                clip(id_or_path)
            )));
        }
        return Err(crate::failure::io(format!("vehicle file not found: {}", clip(id_or_path))));
    } else {
        return Err(unknown_vehicle(&clip(id_or_path)).into());
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(vehicle)
}

/// A user's argument cut to [`MAX_QUOTED_CHARS`] characters for a message.
fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
        None => text.to_owned(),
    }
}

/// The pad of `--site` a vehicle flies from: at a cosmodrome, the pad of the vehicle's family.
/// When that is not possible (no pad of the family there, or another family's pad asked for by
/// id) a note on stderr says so, and is returned for the run's report.
///
/// A path to a site file (ending in `.toml`, written as `data/sites.toml` is) names a pad the
/// catalog lacks (Wallops, Jiuquan): its first `[[site]]`, whatever its family
/// ([`cosmodrome::mission::sites::resolve_site`], as the sweep and the Python package read it).
pub fn resolve_site(id: &str, vehicle: &Vehicle) -> Result<(Site, Option<String>)> {
    let (site, note) = cosmodrome::mission::sites::resolve_site(id, vehicle.family.as_deref()).map_err(|e| site_error(id, e))?;
    if let Some(note) = &note {
        eprintln!("note: {note}");
    }
    Ok((site, note))
}

/// A site argument's error: a site file that is not there (or not a file) is an I/O failure to
/// the JSON error report, as a missing vehicle file is; the message stays the core's.
pub fn site_error(site: &str, e: cosmodrome::Error) -> anyhow::Error {
    if cosmodrome::vehicle::is_site_file(site) && !Path::new(site).is_file() {
        return crate::failure::io(e.to_string());
    }
    e.into()
}

/// Progress on stderr, only once a run has taken longer than a second, and only on a terminal
/// (as `validate` and `sweep` do): redirected to a file or a pipe, the `\r`-rewritten line would
/// pile up as one long line of carriage returns in the log.
pub struct Progress {
    start: Instant,
    shown: bool,
    /// Whether stderr is a terminal.
    on_terminal: bool,
    /// What is in progress (`optimizing the ascent`).
    what: &'static str,
}

impl Progress {
    /// Starts the clock.
    pub fn new(what: &'static str) -> Self {
        Progress { start: Instant::now(), shown: false, on_terminal: std::io::stderr().is_terminal(), what }
    }

    /// One more flight flown.
    pub fn tick(&mut self, flights: usize) {
        if self.on_terminal && self.start.elapsed() > Duration::from_secs(1) && flights.is_multiple_of(10) {
            eprint!("\r{}: {flights} flights, {:.1} s", self.what, self.start.elapsed().as_secs_f64());
            self.shown = true;
        }
    }

    /// Ends the progress line.
    pub fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

/// Progress of jobs finished on several threads (the trade factors' rows), on stderr as
/// [`Progress`] shows it: only once the run has taken longer than a second, only on a terminal.
pub struct RowProgress {
    start: Instant,
    shown: AtomicBool,
    /// Whether stderr is a terminal.
    on_terminal: bool,
    /// What is in progress (`trade factors`).
    what: &'static str,
}

impl RowProgress {
    /// Starts the clock.
    pub fn new(what: &'static str) -> Self {
        RowProgress { start: Instant::now(), shown: AtomicBool::new(false), on_terminal: std::io::stderr().is_terminal(), what }
    }

    /// `done` of `total` rows finished.
    pub fn done(&self, done: usize, total: usize) {
        if self.on_terminal && self.start.elapsed() > Duration::from_secs(1) {
            eprint!("\r{}: {done}/{total} rows, {:.1} s", self.what, self.start.elapsed().as_secs_f64());
            self.shown.store(true, Ordering::Relaxed);
        }
    }

    /// Ends the progress line.
    pub fn finish(&self) {
        if self.shown.load(Ordering::Relaxed) {
            eprintln!();
        }
    }
}

/// A targeted ascent's error for the user: a payload over the maximum gets the `payload` command
/// that finds the largest one, an orbit out of reach says with what payload.
pub fn targeted_ascent_error(
    e: cosmodrome::Error,
    vehicle: &Vehicle,
    vehicle_arg: &str,
    (site, target, branch): (&Site, &TargetOrbit, Branch),
    payload_kg: f64,
) -> anyhow::Error {
    match e {
        cosmodrome::Error::PayloadTooHeavy { .. } => {
            // The hint rewrites the message, so the kind is carried over by hand.
            let message = format!(
                "{e}\nthe largest payload into that orbit: cosmodrome payload {vehicle_arg} --site {} --perigee-km {} --apogee-km {} --inclination-deg {}{}",
                site.id,
                target.perigee_m / 1e3,
                target.apogee_m / 1e3,
                target.inclination_deg,
                if branch == Branch::Southbound { " --southbound" } else { "" }
            );
            crate::failure::failure(ErrorKind::PayloadTooHeavy, message)
        }
        e @ cosmodrome::Error::Unreachable(_) => anyhow::Error::new(e).context(format!(
            "{} with {} kg does not reach {}",
            vehicle.name,
            cosmodrome::units::kg_text(payload_kg),
            target.describe()
        )),
        e => e.into(),
    }
}

/// Perigee of a target orbit when neither `--perigee-km` nor `--orbit` gives one, km.
pub const DEFAULT_PERIGEE_KM: f64 = 200.0;

/// The site and orbit-element flags of a command (`--site`, `--perigee-km`, `--apogee-km`,
/// `--inclination-deg`, `--southbound`), whichever struct of flags holds them.
#[derive(Debug, Clone, Copy)]
pub struct SiteElements<'a> {
    /// `--site`.
    pub site: &'a str,
    /// `--perigee-km`.
    pub perigee_km: Option<f64>,
    /// `--apogee-km`.
    pub apogee_km: Option<f64>,
    /// `--inclination-deg`.
    pub inclination_deg: Option<f64>,
    /// `--southbound`.
    pub southbound: bool,
}

impl OrbitArgs {
    /// Its site and element flags.
    pub fn elements(&self) -> SiteElements<'_> {
        SiteElements {
            site: &self.site,
            perigee_km: self.perigee_km,
            apogee_km: self.apogee_km,
            inclination_deg: self.inclination_deg,
            southbound: self.southbound,
        }
    }
}

impl FlyArgs {
    /// Its site and element flags.
    pub fn elements(&self) -> SiteElements<'_> {
        let t = &self.target;
        SiteElements {
            site: &t.site,
            perigee_km: t.perigee_km,
            apogee_km: self.apogee_km,
            inclination_deg: t.inclination_deg,
            southbound: t.southbound,
        }
    }
}

/// The pad (the vehicle's family's at a cosmodrome), the target orbit (the site's lowest
/// inclination unless given, the argument of perigee held when given) and the branch.
pub fn resolve_orbit(o: SiteElements<'_>, argument_of_perigee_deg: Option<f64>, vehicle: &Vehicle) -> Result<(Site, TargetOrbit, Branch)> {
    let (site, _note) = resolve_site(o.site, vehicle)?;
    let elements = cosmodrome::mission::target_orbit(
        &site,
        o.perigee_km.unwrap_or(DEFAULT_PERIGEE_KM) * 1e3,
        o.apogee_km.map(|a| a * 1e3),
        o.inclination_deg,
    );
    // Refused before any flight, naming the flag (a circular orbit has no perigee to place).
    let target = elements.holding_argument_of_perigee(argument_of_perigee_deg).map_err(|e| match (e, argument_of_perigee_deg) {
        (cosmodrome::Error::InvalidInput { message, .. }, Some(w)) => {
            crate::failure::invalid_input(format!("invalid --argument-of-perigee-deg {w}: {message}"))
        }
        (e, _) => e.into(),
    })?;
    Ok((site, target, Branch::from_southbound(o.southbound)))
}

/// The designated drop zones of `--drop-zones`, checked against the vehicle.
pub fn resolve_zones(o: &OrbitArgs, vehicle: &Vehicle) -> Result<Option<DesignatedZones>> {
    let Some(id) = &o.drop_zones else { return Ok(None) };
    let zones = DesignatedZones::resolve(id)?;
    zones.check_against(vehicle)?;
    Ok(Some(zones))
}

/// The pad and the mission target of `--orbit NAME` with the flags that override its elements:
/// the one resolver of `fly --orbit`, `payload --orbit` and `dropzones --orbit`. With them the
/// note, also printed on stderr, when the target does not hold an element of the named orbit
/// (the payload and drop-zone reports carry it in `notes`).
pub fn named_target(
    o: SiteElements<'_>,
    named: &NamedOrbitArgs,
    name: &str,
    vehicle: &Vehicle,
) -> Result<(Site, MissionTarget, Branch, Option<String>)> {
    let (site, _note) = resolve_site(o.site, vehicle)?;
    let overrides = cosmodrome::mission::OrbitOverrides {
        perigee_m: o.perigee_km.map(|km| km * 1e3),
        apogee_m: o.apogee_km.map(|km| km * 1e3),
        inclination_deg: o.inclination_deg,
        argument_of_perigee_deg: named.argument_of_perigee_deg,
        c3_km2_s2: named.c3_km2_s2,
        declination_deg: named.declination_deg,
    };
    // A transfer target its parking orbit cannot lead to (a C3 out of range, a perigee below the
    // parking orbit) and a declination that is no escape's are refused by the core before any
    // flight; the message names the flags that set them.
    let named_target = cosmodrome::mission::named_target(name, &site, vehicle, &overrides).map_err(|e| match e {
        cosmodrome::Error::InvalidInput { name: input, message } if input == cosmodrome::mission::fly::NAMED_ORBIT_INPUT => {
            let flags: Vec<String> = [
                ("--perigee-km", o.perigee_km),
                ("--apogee-km", o.apogee_km),
                ("--inclination-deg", o.inclination_deg),
                ("--argument-of-perigee-deg", named.argument_of_perigee_deg),
                ("--c3-km2-s2", named.c3_km2_s2),
                ("--declination-deg", named.declination_deg),
            ]
            .iter()
            .filter_map(|(flag, value)| value.map(|v| format!("{flag} {v}")))
            .collect();
            let given = if flags.is_empty() { String::new() } else { format!(" with {}", flags.join(" ")) };
            crate::failure::invalid_input(format!("invalid --orbit {name}{given}: {message}"))
        }
        cosmodrome::Error::InvalidInput { name: input, message } if input == cosmodrome::mission::fly::DECLINATION_INPUT => {
            let value = named.declination_deg.map_or_else(String::new, |d| format!(" {d}"));
            crate::failure::invalid_input(format!("invalid --declination-deg{value}: {message}"))
        }
        e => e.into(),
    })?;
    if let Some(note) = &named_target.note {
        eprintln!("note: {note}");
    }
    Ok((site, named_target.target, Branch::from_southbound(o.southbound), named_target.note))
}
