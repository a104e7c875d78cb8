//! The sweep: the payload over a grid of vehicles × sites × circular-orbit altitudes ×
//! inclinations, the points of a user's guide payload chart (`cosmodrome sweep`,
//! `cosmodrome.sweep` in Python), or over the values of one vehicle-file parameter
//! ([`VaryParameter`]: a stage's propellant mass, an engine's thrust).
//!
//! Neighbouring points have nearly the same ascent, so each point starts its optimization from
//! its neighbour's solution ([`maximize_payload_from`]): the grid is cut into chains along the
//! altitude (for each vehicle, site and inclination) or, for a parameter swept at one altitude,
//! along the parameter's values, and the chains share rayon's pool. Within a chain every fourth
//! point (a head) starts from the head before it and the points between from their neighbour,
//! so that the stretches between the heads run beside the heads' chain and a sweep along one
//! axis uses every core (`solve_chain`). A chain depends on nothing but its own points, so a
//! chain run alone (a Ray task) gives the same numbers bit for bit. A point that cannot be flown
//! (outside the pad's corridors, no payload left, an unknown site) is a row with its reason: it
//! does not stop the sweep, and the next point starts from the last solution found before it.
//! The command line, the web API and the Python package refuse an unknown site before the run ([`sweep_sites`], or
//! [`check_sites`] for the web API, which takes catalog ids only); a site file is read then,
//! once, and the grid carries its pad ([`SweepSite`]).

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FileError, Result};
use crate::flight::FlightOptions;
use crate::guidance::Branch;
use crate::optimize::payload::{maximize_payload_from, PayloadSolution, WarmStart};
use crate::vehicle::{is_site_file, Site, SiteCatalog, Vehicle};

/// What the optimization found at one grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPayload {
    /// Largest payload, kg.
    pub payload_kg: f64,
    /// Launch azimuth, degrees.
    pub launch_azimuth_deg: f64,
    /// Flights the optimization flew.
    pub flights: usize,
    /// Whether it started from its neighbour's solution (else from the built-in guesses).
    pub warm_started: bool,
    /// Usable propellant the optimizer loaded in the restartable upper stage, kg; `None` when
    /// the stage flew as its file loads it.
    pub upper_stage_load_kg: Option<f64>,
    /// Whether the answer is the elliptic profile (ascent to an ellipse, coast, circularization
    /// by the last stage), not one powered ascent.
    pub elliptic_profile: bool,
    /// When the optimizer cut the last stage's main engines off, s after liftoff, leaving its
    /// burn-on engines; `None` when all its engines burned to the insertion.
    pub main_engine_cutoff_s: Option<f64>,
    /// The coast the ascent chose before the solid stage whose vehicle file gives it a range
    /// (`ignition_delay_max_s`), s; `None` for a vehicle without one.
    pub chosen_coast_s: Option<f64>,
    /// The payload the orbit alone would take, kg, where the vehicle file's liftoff limit
    /// (`limits.min_liftoff_thrust_to_weight`) capped `payload_kg` to the heaviest payload that
    /// keeps it; `None` where it did not, or where the search targeted no payload and the
    /// limit's answered in its place.
    pub orbit_payload_kg: Option<f64>,
    /// Whether the liftoff limit set `payload_kg` (capped, or answering a search that failed).
    pub liftoff_limited: bool,
}

/// The answer at one grid point.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// Index into the vehicles swept.
    pub vehicle: usize,
    /// Index into the sites swept.
    pub site: usize,
    /// The pad flown from (the vehicle's family's pad at the site, or a site file's pad); `None`
    /// for an unknown site.
    pub pad: Option<String>,
    /// Circular-orbit altitude over the equatorial radius, km.
    pub altitude_km: f64,
    /// Inclination, degrees (the pad's lowest when the grid left it open, the sun-synchronous
    /// one at the altitude for [`SweepInclination::SunSynchronous`]); `None` when the site is
    /// unknown and none was given, or when no sun-synchronous orbit exists at the altitude.
    pub inclination_deg: Option<f64>,
    /// Whether the point's inclination is the sun-synchronous one at its altitude (the grid's
    /// [`SweepInclination::SunSynchronous`]): a chart draws such points as one line.
    pub sun_synchronous: bool,
    /// What the optimization found, or why the point cannot be flown.
    pub result: std::result::Result<SweepPayload, String>,
}

/// The row of a point's answer: `solution` flown by `vehicle` (held to its liftoff limit or
/// answered by it: `liftoff_limited`, with what the orbit alone takes when that is known).
fn row_payload(
    vehicle: &Vehicle,
    solution: &PayloadSolution,
    warm_started: bool,
    orbit_payload_kg: Option<f64>,
    liftoff_limited: bool,
) -> SweepPayload {
    SweepPayload {
        payload_kg: super::common::payload_down_kg(solution.payload_kg),
        launch_azimuth_deg: solution.launch.azimuth_deg,
        flights: solution.flights,
        warm_started,
        upper_stage_load_kg: solution.upper_stage_load_kg,
        elliptic_profile: matches!(solution.profile, crate::optimize::payload::AscentProfile::Elliptic { .. }),
        main_engine_cutoff_s: solution
            .flight
            .events
            .iter()
            .find(|e| matches!(e.kind, crate::flight::EventKind::MainEngineCutoff { .. }))
            .map(|e| e.point.time_s),
        chosen_coast_s: super::payload::ChosenCoastReport::flown(vehicle, &solution.flight).map(|c| c.coast_s),
        orbit_payload_kg,
        liftoff_limited,
    }
}

/// One value of a sweep's inclination axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SweepInclination {
    /// Each pad's lowest inclination.
    Lowest,
    /// An inclination, degrees.
    Degrees(f64),
    /// The sun-synchronous inclination at each altitude (`sso`): the line of a user's guide's
    /// payload chart for sun-synchronous orbits, whose inclination rises with the altitude
    /// (97.4° at 500 km, 98.6° at 800 km).
    SunSynchronous,
}

impl SweepInclination {
    /// The inclination a word names: `sso` (any case, spaces around it) for
    /// [`SweepInclination::SunSynchronous`]; `None` for any other text. The one spelling the
    /// command line, the web API and Python take beside numbers.
    pub fn named(text: &str) -> Option<SweepInclination> {
        text.trim().eq_ignore_ascii_case("sso").then_some(SweepInclination::SunSynchronous)
    }

    /// The inclination of `text`: `sso` ([`SweepInclination::named`]) or a finite number of
    /// degrees; `None` otherwise.
    pub fn parse(text: &str) -> Option<SweepInclination> {
        SweepInclination::named(text)
            .or_else(|| text.trim().parse::<f64>().ok().filter(|deg| deg.is_finite()).map(SweepInclination::Degrees))
    }

    /// The inclination flown at `altitude_km`, degrees; `None` for the pad's lowest. An error
    /// where no sun-synchronous orbit exists (above about 5,970 km).
    fn at(self, altitude_km: f64) -> std::result::Result<Option<f64>, String> {
        match self {
            SweepInclination::Lowest => Ok(None),
            SweepInclination::Degrees(deg) => Ok(Some(deg)),
            SweepInclination::SunSynchronous => super::orbits::sun_synchronous_inclination_deg(altitude_km).map(Some).ok_or_else(|| {
                format!("no sun-synchronous orbit at {altitude_km} km: above about 5,970 km J2 cannot turn an orbit's plane once a year")
            }),
        }
    }
}

impl From<Option<f64>> for SweepInclination {
    fn from(deg: Option<f64>) -> SweepInclination {
        deg.map_or(SweepInclination::Lowest, SweepInclination::Degrees)
    }
}

/// A sweep's grid and how it is run.
#[derive(Debug, Clone, Copy)]
pub struct SweepGrid<'a> {
    /// The vehicles.
    pub vehicles: &'a [&'a Vehicle],
    /// Whether the vehicles are variants of one vehicle in the order of a swept parameter
    /// ([`VaryParameter::variants`]): with a single altitude, the chains then run along them.
    pub variants: bool,
    /// Cosmodromes or pads of the catalog, or site files' pads.
    pub sites: &'a [SweepSite],
    /// Circular-orbit altitudes over the equatorial radius, km.
    pub altitudes_km: &'a [f64],
    /// Inclinations: degrees, each pad's lowest, or the sun-synchronous one at each altitude.
    pub inclinations: &'a [SweepInclination],
    /// Leg to the inclinations.
    pub branch: Branch,
    /// Start each point from its neighbour's solution (false: every point from the built-in
    /// guesses, as a lone `payload` would).
    pub warm_start: bool,
}

impl SweepGrid<'_> {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.vehicles.len() * self.sites.len() * self.altitudes_km.len() * self.inclinations.len()
    }

    /// Whether the grid has no point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Grid index of a point: the last axis (inclination) varies fastest.
    fn index(&self, vehicle: usize, site: usize, altitude: usize, inclination: usize) -> usize {
        ((vehicle * self.sites.len() + site) * self.altitudes_km.len() + altitude) * self.inclinations.len() + inclination
    }

    /// The chains of grid indices, each in the order its points are solved: along the altitude
    /// (ascending) for each vehicle, site and inclination; along the vehicles for variants swept
    /// at one altitude; one point each without warm starts.
    pub fn chains(&self) -> Vec<Vec<usize>> {
        let (nv, ns, na, ni) = (self.vehicles.len(), self.sites.len(), self.altitudes_km.len(), self.inclinations.len());
        if !self.warm_start {
            return (0..self.len()).map(|i| vec![i]).collect();
        }
        let mut chains = Vec::new();
        if self.variants && na == 1 {
            for s in 0..ns {
                for i in 0..ni {
                    chains.push((0..nv).map(|v| self.index(v, s, 0, i)).collect());
                }
            }
            return chains;
        }
        let mut by_altitude: Vec<usize> = (0..na).collect();
        by_altitude.sort_by(|&a, &b| self.altitudes_km[a].total_cmp(&self.altitudes_km[b]));
        for v in 0..nv {
            for s in 0..ns {
                for i in 0..ni {
                    chains.push(by_altitude.iter().map(|&a| self.index(v, s, a, i)).collect());
                }
            }
        }
        chains
    }

    /// The point of a grid index: vehicle, site, altitude and inclination indices.
    fn point(&self, index: usize) -> (usize, usize, usize, usize) {
        let (ns, na, ni) = (self.sites.len(), self.altitudes_km.len(), self.inclinations.len());
        (index / (ns * na * ni), index / (na * ni) % ns, index / ni % na, index % ni)
    }
}

/// A site of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepSite {
    /// A cosmodrome or pad id of the catalog: each vehicle flies from its family's pad there
    /// ([`SiteCatalog::pad_for`]).
    Catalog(String),
    /// The first pad of a site file, read before the run: every vehicle flies from it, whatever
    /// its family.
    File(Site),
}

impl SweepSite {
    /// The site of an argument: a site file (a path ending in `.toml`) read and checked now, or a
    /// catalog id, taken as given (an unknown one is a row with its reason; [`sweep_sites`]
    /// refuses it).
    pub fn parse(site: &str) -> Result<SweepSite> {
        if is_site_file(site) {
            return Ok(SweepSite::File(Site::from_file(site)?));
        }
        Ok(SweepSite::Catalog(site.to_owned()))
    }

    /// What the outputs name the site by (the `site` column, the chart): the catalog id as
    /// given, or the file's pad id, since a path says where the file was, not which pad it is.
    pub fn label(&self) -> &str {
        match self {
            SweepSite::Catalog(id) => id,
            SweepSite::File(site) => &site.id,
        }
    }
}

/// Every site of a sweep is a cosmodrome or pad of the catalog, and none is given twice
/// (`refuse_repeated_sites`). The sweep itself makes an
/// unknown site a row with its reason, as any point it cannot fly; the front ends refuse it
/// before the run, since a mistyped site is bad input, not an unreachable point. A site file's
/// name is an unknown id here: the web API, which checks its sites with this, reads no files.
pub fn check_sites(sites: &[String]) -> Result<()> {
    check_known_sites(&SiteCatalog::builtin()?, sites)?;
    refuse_repeated_sites(sites)
}

/// Every one of `sites` a site of `catalog` (a cosmodrome or a pad id).
fn check_known_sites(catalog: &SiteCatalog, sites: &[String]) -> Result<()> {
    sites.iter().try_for_each(|s| catalog.pad_for(s, None).map(|_| ()))
}

/// A site given twice (the same catalog id in any case, or the same site file) is refused: the
/// sweep would fly each of its points twice and give every row twice, which no analyst means.
fn refuse_repeated_sites(sites: &[String]) -> Result<()> {
    refuse_repeated_inputs(sites, "--site", "site", is_site_file)
}

/// A vehicle given twice (the same catalog id in any case, or the same vehicle file by any
/// path) is refused, as a site given twice is: every row of it would be given twice.
/// `option` names the input in the error (`<VEHICLES>`); `is_file` tells a file from a catalog id.
pub fn refuse_repeated_vehicles(vehicles: &[String], option: &str, is_file: impl Fn(&str) -> bool) -> Result<()> {
    refuse_repeated_inputs(vehicles, option, "vehicle", is_file)
}

/// The first input of `given` (each a `what`: a catalog id, or a file when `is_file` says so)
/// that repeats one before it refused, naming `option`: the same id in any case, or one file by
/// two paths (`pad.toml`, `./pad.toml`).
fn refuse_repeated_inputs(given: &[String], option: &str, what: &str, is_file: impl Fn(&str) -> bool) -> Result<()> {
    let same = |a: &str, b: &str| {
        let (a, b) = (a.trim(), b.trim());
        if is_file(a) && is_file(b) {
            a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    for (i, input) in given.iter().enumerate() {
        if let Some(first) = given[..i].iter().find(|s| same(s, input)) {
            let also = if first == input { String::new() } else { format!(" (as `{first}`)") };
            return Err(Error::invalid(
                option,
                format!("`{input}` is given twice{also}: every row of it would be given twice; give each {what} once"),
            ));
        }
    }
    Ok(())
}

/// Relative tolerance within which two values of a sweep's axis are one ([`merge_repeated`]):
/// far below any step an analyst types, far above the rounding of a parsed range.
pub const REPEATED_VALUE_TOLERANCE: f64 = 1e-9;

/// `values` with each value once, in the order first given, and the values that were repeated
/// (once each): overlapping ranges of an axis (`200:1000:200,1000:2000:500`) give a value twice,
/// which would fly its points twice and give their rows twice. Two values are one within
/// [`REPEATED_VALUE_TOLERANCE`] of the larger's magnitude.
pub fn merge_repeated(values: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let same = |a: f64, b: f64| (a - b).abs() <= REPEATED_VALUE_TOLERANCE * a.abs().max(b.abs());
    let (mut kept, mut repeated): (Vec<f64>, Vec<f64>) = (Vec::with_capacity(values.len()), Vec::new());
    for &v in values {
        if kept.iter().any(|&k| same(k, v)) {
            if !repeated.iter().any(|&r| same(r, v)) {
                repeated.push(v);
            }
        } else {
            kept.push(v);
        }
    }
    (kept, repeated)
}

/// An axis given as a list of values (the web API's, Python's) with a value twice is refused,
/// naming `field`: where the command line merges what overlapping ranges repeat
/// ([`merge_repeated`]), a list written out value by value holds a value twice by mistake.
/// `None` stands for each pad's lowest inclination.
pub fn refuse_repeated_values(field: &str, values: &[Option<f64>]) -> Result<()> {
    let given: Vec<f64> = values.iter().flatten().copied().collect();
    let repeated = merge_repeated(&given).1.first().map(|v| format!("{v}"));
    let repeated = repeated.or_else(|| (values.iter().filter(|v| v.is_none()).count() > 1).then(|| "null".to_owned()));
    match repeated {
        Some(v) => Err(Error::invalid(field, format!("{v} is given twice: its points would be swept twice; give each value once"))),
        None => Ok(()),
    }
}

/// [`refuse_repeated_values`] for an inclination axis: a value, each pad's lowest or `sso` given
/// twice is refused, naming `field`.
pub fn refuse_repeated_inclinations(field: &str, values: &[SweepInclination]) -> Result<()> {
    let degrees: Vec<Option<f64>> = values
        .iter()
        .filter_map(|v| match *v {
            SweepInclination::Lowest => Some(None),
            SweepInclination::Degrees(deg) => Some(Some(deg)),
            SweepInclination::SunSynchronous => None,
        })
        .collect();
    refuse_repeated_values(field, &degrees)?;
    if values.iter().filter(|v| **v == SweepInclination::SunSynchronous).count() > 1 {
        return Err(Error::invalid(field, "sso is given twice: its points would be swept twice; give each value once"));
    }
    Ok(())
}

/// The inclinations of an axis with each once, in the order typed ([`merge_repeated`] for the
/// degrees), and the values given more than once (`sso` as such).
pub fn merge_repeated_inclinations(values: &[SweepInclination]) -> (Vec<SweepInclination>, Vec<String>) {
    let degrees: Vec<f64> = values.iter().filter_map(|v| if let SweepInclination::Degrees(d) = v { Some(*d) } else { None }).collect();
    let (kept_degrees, repeated_degrees) = merge_repeated(&degrees);
    let mut repeated: Vec<String> = repeated_degrees.iter().map(|v| format!("{v}")).collect();
    let mut kept = Vec::with_capacity(values.len());
    for &v in values {
        // The degrees merge_repeated kept, each pad's lowest and `sso`, each at its first.
        let first = !kept.contains(&v) && !matches!(v, SweepInclination::Degrees(d) if !kept_degrees.contains(&d));
        if first {
            kept.push(v);
        } else if v == SweepInclination::SunSynchronous && !repeated.iter().any(|r| r == "sso") {
            repeated.push("sso".to_owned());
        }
    }
    (kept, repeated)
}

/// The sites of a sweep as the user gave them (`--site`, Python's `sites=`): each site file
/// read and checked once, here, each catalog id checked as [`check_sites`] checks it. Refused, too: a site
/// given twice, and a site file whose pad has the id of another site's pad (another file's; one
/// of the catalog's is refused as the file is read), since the outputs name a file's site and
/// pad by that id and the two would read as one.
pub fn sweep_sites(sites: &[String]) -> Result<Vec<SweepSite>> {
    let parsed = sites.iter().map(|s| SweepSite::parse(s)).collect::<Result<Vec<_>>>()?;
    let catalog_ids: Vec<String> = parsed
        .iter()
        .filter_map(|s| match s {
            SweepSite::Catalog(id) => Some(id.clone()),
            SweepSite::File(_) => None,
        })
        .collect();
    let catalog = SiteCatalog::builtin()?;
    check_known_sites(&catalog, &catalog_ids)?;
    refuse_repeated_sites(sites)?;
    // The pad ids a site's rows may show: a file's pad, or every pad of a catalog cosmodrome.
    let pad_ids = |site: &SweepSite| -> Vec<String> {
        match site {
            SweepSite::File(pad) => vec![pad.id.clone()],
            SweepSite::Catalog(id) => {
                let cosmodrome = catalog.pad_for(id, None).map(|c| c.site.cosmodrome.clone()).unwrap_or_default();
                catalog.sites.iter().filter(|s| s.cosmodrome == cosmodrome).map(|s| s.id.clone()).collect()
            }
        }
    };
    for (i, site) in parsed.iter().enumerate() {
        let SweepSite::File(pad) = site else { continue };
        let clash = (0..parsed.len()).find(|&j| j != i && pad_ids(&parsed[j]).iter().any(|id| id.eq_ignore_ascii_case(&pad.id)));
        if let Some(j) = clash {
            return Err(Error::invalid(
                "--site",
                format!(
                    "{} and {} both have a pad `{}`: the outputs could not tell them apart; give the file's pad another id",
                    sites[i.min(j)],
                    sites[i.max(j)],
                    pad.id
                ),
            ));
        }
    }
    Ok(parsed)
}

/// Payload at every point of vehicles × sites × altitudes (km) × inclinations, in grid order
/// (the last axis varies fastest), on all cores, each point warm-started from its neighbour
/// along the altitude. `progress(done, total)` is called after
/// every point.
pub fn sweep(
    vehicles: &[&Vehicle],
    sites: &[SweepSite],
    altitudes_km: &[f64],
    inclinations: &[SweepInclination],
    branch: Branch,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<SweepRow> {
    sweep_grid(&SweepGrid { vehicles, variants: false, sites, altitudes_km, inclinations, branch, warm_start: true }, progress)
}

/// Payload at every point of `grid`, in grid order (the last axis varies fastest), its chains
/// ([`SweepGrid::chains`]) on all cores. `progress(done, total)` is called after every point.
pub fn sweep_grid(grid: &SweepGrid<'_>, progress: &(dyn Fn(usize, usize) + Sync)) -> Vec<SweepRow> {
    sweep_grid_watched(grid, progress, &|| {})
}

/// [`sweep_grid`], calling `flown()` after every flight of every point: where a caller that
/// stops the sweep early (a server cancelling a job, by unwinding from it) stops it within one
/// flight rather than one point (a point can take seconds).
pub fn sweep_grid_watched(grid: &SweepGrid<'_>, progress: &(dyn Fn(usize, usize) + Sync), flown: &(dyn Fn() + Sync)) -> Vec<SweepRow> {
    // Pads once per vehicle and site: a site file's pad is the same for every vehicle.
    let catalog = SiteCatalog::builtin().map_err(|e| e.to_string());
    let pads: Vec<Vec<std::result::Result<Site, String>>> = grid
        .vehicles
        .iter()
        .map(|v| {
            grid.sites
                .iter()
                .map(|s| match s {
                    SweepSite::Catalog(id) => {
                        let catalog = catalog.as_ref().map_err(Clone::clone)?;
                        catalog.pad_for(id, v.family.as_deref()).map(|c| c.site.clone()).map_err(|e| e.to_string())
                    }
                    SweepSite::File(site) => Ok(site.clone()),
                })
                .collect()
        })
        .collect();
    let total = grid.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    // The point at grid `index`, started from `seed` (a point before it: its warm start and
    // payload): its row, and its solution's warm start and payload when it found one.
    let solve = |index: usize, seed: Option<&(WarmStart, f64)>| -> (SweepRow, Option<(WarmStart, f64)>) {
        let (vi, si, ai, ii) = grid.point(index);
        let (altitude_km, inclination) = (grid.altitudes_km[ai], grid.inclinations[ii]);
        // Computed once: the row gives it, the search flies it (or the point says why not).
        let inclination_deg = inclination.at(altitude_km);
        let pad = &pads[vi][si];
        let mut found_start = None;
        let result = pad.clone().and_then(|pad| {
            if !(altitude_km.is_finite() && altitude_km > 0.0) {
                return Err(format!("invalid altitude_km: must be a positive number, got {altitude_km}"));
            }
            let inclination_deg = inclination_deg.clone()?;
            let target = super::target_orbit(&pad, altitude_km * 1e3, None, inclination_deg);
            let options = FlightOptions::default();
            super::liftoff_limit::check_vehicle(grid.vehicles[vi]).map_err(|e| e.to_string())?;
            // The flights of the last search, for a failed one's row.
            let searched = std::cell::Cell::new(0);
            let optimize = |start: Option<&WarmStart>| {
                maximize_payload_from(grid.vehicles[vi], &pad, &target, grid.branch, options, &[], start, &mut |n| {
                    searched.set(n);
                    flown()
                })
            };
            let first = optimize(seed.map(|(start, _)| start));
            let mut found = match first {
                Ok(found) => found,
                // A search that failed, answered by the liftoff limit where its cap flies; the
                // chain's next point starts from the built-in guesses.
                Err(e) => {
                    let (solution, _) = super::liftoff_limit::rescued_by_liftoff_limit(
                        grid.vehicles[vi],
                        &pad,
                        &target,
                        grid.branch,
                        options,
                        e,
                        searched.get(),
                        &mut |_| flown(),
                    )
                    // Not answered, it is the search's own error.
                    .map_err(|e| e.to_string())?;
                    return Ok(row_payload(grid.vehicles[vi], &solution, false, None, true));
                }
            };
            if seed.is_some_and(|&(_, before_kg)| found.warm_started && near_the_edge(before_kg, found.solution.payload_kg)) {
                if let Ok(cold) = optimize(None) {
                    let flights = found.solution.flights + cold.solution.flights;
                    if cold.solution.payload_kg > found.solution.payload_kg {
                        found = cold;
                    }
                    found.solution.flights = flights;
                }
            }
            // The chain goes on from the search's answer; the row states the one held to the
            // liftoff limit.
            found_start = Some((found.warm_start, found.solution.payload_kg));
            let (solution, liftoff_limit) = super::liftoff_limit::held_to_liftoff_limit(
                grid.vehicles[vi],
                &pad,
                &target,
                grid.branch,
                options,
                found.solution,
                &mut |_| flown(),
            )
            .map_err(|e| e.to_string())?;
            let orbit_payload_kg = liftoff_limit.as_ref().and_then(|l| l.orbit_payload_kg);
            Ok(row_payload(grid.vehicles[vi], &solution, found.warm_started, orbit_payload_kg, liftoff_limit.is_some()))
        });
        progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
        let row = SweepRow {
            vehicle: vi,
            site: si,
            pad: pad.as_ref().ok().map(|p| p.id.clone()),
            altitude_km,
            inclination_deg: match inclination {
                SweepInclination::Lowest => pad.as_ref().ok().map(Site::default_inclination_deg),
                _ => inclination_deg.ok().flatten(),
            },
            sun_synchronous: inclination == SweepInclination::SunSynchronous,
            result,
        };
        (row, found_start)
    };
    // One task per chain: a long chain must not wait behind another on the same thread.
    let mut rows: Vec<(usize, SweepRow)> =
        grid.chains().into_par_iter().with_max_len(1).flat_map_iter(|chain| solve_chain(&chain, &solve)).collect();
    rows.sort_by_key(|(index, _)| *index);
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Whether a point warm-started from a point that carried `before_kg` and carrying `payload_kg`
/// lies near the edge of the vehicle's reach, where it is searched cold as well and the heavier
/// answer kept: the payload lost from its start is more than twice what is left, so at that rate
/// it would run out within half the distance from the start again. There a start from
/// a point before can settle on a lower summit than the lone search finds (Angara-1.2 to its
/// 800 km SSO from Vandenberg: 396 kg started from 700 km, 376.2 kg from 400 km, the head before
/// it in a sweep over 400–1,000 km, and 401.4 kg cold); elsewhere the warm start finds the cold
/// answer to within a kilogram or so at a fraction of its flights.
fn near_the_edge(before_kg: f64, payload_kg: f64) -> bool {
    before_kg - payload_kg > 2.0 * payload_kg
}

/// Points of a chain apart by this many are solved one from the other: the chain's heads.
const HEAD_STRIDE: usize = 4;

/// The points of `chain` (grid indices, in order), each solved by `solve` from the warm start of
/// a point before it, the rows in any order. Solved strictly one after the other, a chain would
/// hold a sweep of one vehicle along one axis (a payload chart, a parameter's values) to one
/// core. So every [`HEAD_STRIDE`]-th point (a head) starts from the head before it, and the
/// points between two heads one after the other, the first from the head below them: the heads
/// run as a chain while the stretches between them run beside it on the other cores. Each point
/// still starts from a point at most [`HEAD_STRIDE`] before it (the one before for all but the
/// heads), and which one is fixed by the chain alone, not by the cores or the order the threads
/// finish in: the rows are the same bit for bit on any machine and in a chain run alone. A
/// point that finds nothing hands on the start it was given.
fn solve_chain<R, S, F>(chain: &[usize], solve: &F) -> Vec<(usize, R)>
where
    R: Send,
    S: Clone + Send + Sync,
    F: Fn(usize, Option<&S>) -> (R, Option<S>) + Sync,
{
    let rows = std::sync::Mutex::new(Vec::with_capacity(chain.len()));
    let keep = |index: usize, row: R| rows.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((index, row));
    rayon::scope(|scope| {
        let mut head_start: Option<S> = None;
        for stretch in chain.chunks(HEAD_STRIDE) {
            let (row, found) = solve(stretch[0], head_start.as_ref());
            keep(stretch[0], row);
            if found.is_some() {
                head_start = found;
            }
            let between = &stretch[1..];
            if between.is_empty() {
                continue;
            }
            let (mut start, keep) = (head_start.clone(), &keep);
            scope.spawn(move |_| {
                for &index in between {
                    let (row, found) = solve(index, start.as_ref());
                    keep(index, row);
                    if found.is_some() {
                        start = found;
                    }
                }
            });
        }
    });
    rows.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `format` of [`SweepReport`].
pub const SWEEP_FORMAT: &str = "cosmodrome-sweep/1";

/// The answer of a payload sweep (`cosmodrome sweep --json`, the web API's sweep job): one point
/// per grid point, in grid order (the last axis varies fastest), with the members of the
/// `sweep.csv` columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepReport {
    /// Layout and version of this report: `cosmodrome-sweep/1`.
    #[schemars(extend("const" = SWEEP_FORMAT))]
    pub format: String,
    /// The vehicle-file value swept (`--vary`), when the vehicles are its variants.
    pub parameter: Option<String>,
    /// Every point.
    pub points: Vec<SweepPoint>,
}

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false))]
pub struct SweepPoint {
    /// The vehicle as the user named it (catalog id or file).
    pub vehicle: String,
    /// The site as given: a cosmodrome or pad id, or for a site file (`--site my-pad.toml`) its
    /// pad's id, not its path.
    pub site: String,
    /// The pad flown from; `null` for an unknown site.
    pub pad: Option<String>,
    /// The swept parameter's value for this point's vehicle (with `parameter`), else `null`.
    pub parameter_value: Option<f64>,
    /// Circular-orbit altitude over the equatorial radius, km.
    pub altitude_km: f64,
    /// Inclination, degrees (the pad's lowest when the grid left it open, the sun-synchronous
    /// one at the altitude when the grid asked for `sso`); `null` for an unknown site given none,
    /// or where no sun-synchronous orbit exists.
    pub inclination_deg: Option<f64>,
    /// Whether the point's inclination is the sun-synchronous one at its altitude (the grid's
    /// `sso`).
    #[serde(default)]
    pub sun_synchronous: bool,
    /// `ok`, or `unreachable` (with `message`).
    pub status: String,
    /// Largest payload, kg; `null` when unreachable.
    pub payload_kg: Option<f64>,
    /// Launch azimuth, degrees; `null` when unreachable.
    pub launch_azimuth_deg: Option<f64>,
    /// Why the point cannot be flown; `null` when it can.
    pub message: Option<String>,
    /// `direct` (one powered ascent) or `elliptic` (ascent to an ellipse, coast, circularization
    /// by the last stage); `null` when unreachable.
    pub profile: Option<String>,
    /// Usable propellant the optimizer loaded in the restartable upper stage, kg; `null` when
    /// the stage flew as its file loads it.
    pub upper_stage_load_kg: Option<f64>,
    /// When the optimizer cut the last stage's main engines off, s after liftoff, leaving the
    /// engines its file flags `burns_on`; `null` when all its engines burned to the insertion.
    pub main_engine_cutoff_s: Option<f64>,
    /// Flights the optimization flew; `null` when unreachable.
    pub flights: Option<usize>,
    /// Whether the optimization started from its neighbour's solution; `null` when unreachable.
    pub warm_started: Option<bool>,
    /// The coast the ascent chose before the solid stage whose vehicle file gives it a range
    /// (`ignition_delay_max_s`), s; `null` for a vehicle without one or when unreachable.
    #[serde(default)]
    pub chosen_coast_s: Option<f64>,
    /// The payload the orbit alone would take, kg, where the vehicle file's liftoff limit
    /// (`limits.min_liftoff_thrust_to_weight`) capped `payload_kg`; `null` where it did not, where
    /// the search targeted no payload and the limit's answered, or when unreachable.
    #[serde(default)]
    pub orbit_payload_kg: Option<f64>,
    /// Whether the vehicle file's liftoff limit set `payload_kg`: capped below the orbit's
    /// payload (`orbit_payload_kg`), or answering a search that targeted no payload (then
    /// `orbit_payload_kg` is null); false when unreachable.
    #[serde(default)]
    pub liftoff_limited: bool,
}

impl SweepReport {
    /// The report of `rows`, the rows' indices labelled by `vehicles` as the user named them and
    /// `sites` ([`SweepSite::label`]), and `parameter` (its path and a value per vehicle) for a
    /// parameter sweep.
    pub fn new(rows: &[SweepRow], vehicles: &[String], sites: &[String], parameter: Option<(&str, &[f64])>) -> SweepReport {
        let points = rows
            .iter()
            .map(|r| {
                let found = r.result.as_ref().ok();
                SweepPoint {
                    vehicle: vehicles.get(r.vehicle).cloned().unwrap_or_default(),
                    site: sites.get(r.site).cloned().unwrap_or_default(),
                    pad: r.pad.clone(),
                    parameter_value: parameter.and_then(|(_, values)| values.get(r.vehicle).copied()),
                    altitude_km: r.altitude_km,
                    inclination_deg: r.inclination_deg,
                    sun_synchronous: r.sun_synchronous,
                    status: if found.is_some() { "ok" } else { "unreachable" }.to_owned(),
                    payload_kg: found.map(|p| p.payload_kg),
                    launch_azimuth_deg: found.map(|p| p.launch_azimuth_deg),
                    message: r.result.as_ref().err().cloned(),
                    profile: found.map(|p| if p.elliptic_profile { "elliptic" } else { "direct" }.to_owned()),
                    upper_stage_load_kg: found.and_then(|p| p.upper_stage_load_kg),
                    main_engine_cutoff_s: found.and_then(|p| p.main_engine_cutoff_s),
                    flights: found.map(|p| p.flights),
                    warm_started: found.map(|p| p.warm_started),
                    chosen_coast_s: found.and_then(|p| p.chosen_coast_s),
                    orbit_payload_kg: found.and_then(|p| p.orbit_payload_kg),
                    liftoff_limited: found.is_some_and(|p| p.liftoff_limited),
                }
            })
            .collect();
        SweepReport { format: SWEEP_FORMAT.to_owned(), parameter: parameter.map(|(path, _)| path.to_owned()), points }
    }
}

/// Most values a parameter sweep takes, and a range of a sweep's axis.
pub const MAX_VARY_VALUES: usize = 1_000;

/// The values of `START:END:STEP` (both ends inclusive, at most [`MAX_VARY_VALUES`]) or of one
/// number: the range syntax of a sweep's axes and of its parameter. The error says what is wrong.
///
/// ```
/// use cosmodrome::mission::sweep::range_values;
///
/// assert_eq!(range_values("200:1000:200").unwrap(), [200.0, 400.0, 600.0, 800.0, 1000.0]);
/// assert_eq!(range_values("51.9").unwrap(), [51.9]);
/// assert!(range_values("1000:200:200").is_err());
/// ```
pub fn range_values(spec: &str) -> std::result::Result<Vec<f64>, String> {
    let number = |s: &str| -> std::result::Result<f64, String> {
        s.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| format!("`{}` is not a number", s.trim()))
    };
    match spec.split(':').collect::<Vec<_>>().as_slice() {
        [start, end, step] => {
            let (a, b, step) = (number(start)?, number(end)?, number(step)?);
            if !(b >= a && step > 0.0) {
                return Err("a range is START:END:STEP with END ≥ START and STEP > 0".to_owned());
            }
            let n = ((b - a) / step + 1e-9).floor() + 1.0;
            if n > MAX_VARY_VALUES as f64 {
                return Err(format!("{n} values, at most {MAX_VARY_VALUES}"));
            }
            // Each value from the start, not by accumulation, and rounded to 12 digits so that
            // 0.1 steps print as typed.
            Ok((0..n as usize).map(|i| round_12(a + step * i as f64)).collect())
        }
        [one] => Ok(vec![number(one)?]),
        _ => Err("give START:END:STEP or one number".to_owned()),
    }
}

/// `x` rounded to 12 significant digits.
fn round_12(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// A vehicle-file value swept over a list of values: `stage.<name>.<key>`, `engine.<id>.<key>`,
/// `jettison.<name>.<key>`, `motor.<id>.<key>` for an entry of an array of tables (found by its
/// `name` or `id`), or `<table>.<key>` for a table (`fairing.mass_kg`, `margins.…`). The key
/// must be a number of that entry; when the entry does not state it (an optional key), it is
/// added. Each variant is the file with that one value changed, validated like any file.
#[derive(Debug, Clone, PartialEq)]
pub struct VaryParameter {
    /// The path as given: `stage.URM-2.propellant_mass_kg`.
    pub path: String,
    /// The values, in sweep order.
    pub values: Vec<f64>,
}

/// Arrays of tables of the vehicle file, whose entries a path names.
const ENTRY_ARRAYS: [&str; 4] = ["stage", "engine", "jettison", "motor"];

/// Tables of the vehicle file whose keys are all optional: a path into one the file leaves out
/// adds it.
const OPTIONAL_TABLES: [&str; 2] = ["limits", "margins"];

/// `value` as a TOML number: an integer where it is one (as files write masses), else the
/// shortest float that reads back as it.
fn toml_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:?}")
    }
}

impl VaryParameter {
    /// Parse `PATH=START:END:STEP` (inclusive) or `PATH=V1,V2,…`.
    ///
    /// ```
    /// use cosmodrome::mission::sweep::VaryParameter;
    ///
    /// let vary = VaryParameter::parse("stage.URM-2.propellant_mass_kg=30000:40000:2500")?;
    /// assert_eq!(vary.path, "stage.URM-2.propellant_mass_kg");
    /// assert_eq!(vary.values, [30000.0, 32500.0, 35000.0, 37500.0, 40000.0]);
    /// assert!(VaryParameter::parse("stage.URM-2.propellant_mass_kg=40000:30000:10").is_err());
    /// # Ok::<(), cosmodrome::Error>(())
    /// ```
    pub fn parse(spec: &str) -> Result<VaryParameter> {
        let bad = |message: String| Error::invalid("vary", format!("{spec}: {message}"));
        let Some((path, values)) = spec.split_once('=') else {
            return Err(bad("give PATH=START:END:STEP or PATH=V1,V2,… (e.g. stage.URM-2.propellant_mass_kg=30000:40000:2500)".to_owned()));
        };
        let path = path.trim();
        let segments: Vec<&str> = path.split('.').collect();
        if segments.len() < 2 || segments.iter().any(|s| s.trim().is_empty()) {
            return Err(bad(format!("`{path}` is not TABLE.KEY or ARRAY.NAME.KEY ({}.<name>.<key>)", ENTRY_ARRAYS.join("|"))));
        }
        let values = if values.contains(':') {
            range_values(values).map_err(bad)?
        } else {
            let number = |s: &str| range_values(s).map(|v| v[0]).map_err(bad);
            values.split(',').map(number).collect::<Result<Vec<f64>>>()?
        };
        if values.len() > MAX_VARY_VALUES {
            return Err(bad(format!("{} values, at most {MAX_VARY_VALUES}", values.len())));
        }
        Ok(VaryParameter { path: path.to_owned(), values })
    }

    /// The vehicle file `text` (named `file` in errors) with the parameter set to `value`.
    /// Errors name the file, the line and the key: an entry or table the file does not have
    /// (with those it has), a key that is not a number.
    pub fn apply(&self, text: &str, file: &str, value: f64) -> std::result::Result<String, FileError> {
        let segments: Vec<&str> = self.path.split('.').collect();
        let (table, key) = (segments[0], segments[segments.len() - 1]);
        let entry = (segments.len() > 2).then(|| segments[1..segments.len() - 1].join("."));
        let err = |line: Option<usize>, message: String| FileError::new(file, line, self.path.clone(), message);
        let document: toml::Table = crate::vehicle::toml_text::parse(text, file)?;
        // Which header in the text opens the table: the n-th `[[table]]` or the one `[table]`.
        let (header, nth, stated) = match (&entry, ENTRY_ARRAYS.contains(&table)) {
            (Some(name), true) => {
                let entries = document.get(table).and_then(toml::Value::as_array).map(Vec::as_slice).unwrap_or_default();
                let label = |e: &toml::Value| e.get("name").or_else(|| e.get("id")).and_then(toml::Value::as_str).map(str::to_owned);
                let Some(nth) = entries.iter().position(|e| label(e).as_deref() == Some(name.as_str())) else {
                    let known: Vec<String> = entries.iter().filter_map(label).collect();
                    return Err(err(None, format!("no [[{table}]] named \"{name}\" (the file has: {})", known.join(", "))));
                };
                (format!("[[{table}]]"), nth, entries[nth].get(key).cloned())
            }
            (None, false) => {
                let Some(t) = document.get(table).and_then(toml::Value::as_table) else {
                    // An optional table of optional keys, which a file may leave out, is added
                    // with the one key: a catalog vehicle's reserve or liftoff limit swept.
                    if OPTIONAL_TABLES.contains(&table) && !document.contains_key(table) {
                        let newline = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
                        return Ok(format!("{text}{newline}\n[{table}]\n{key} = {}\n", toml_number(value)));
                    }
                    return Err(err(None, format!("the file has no [{table}] table")));
                };
                (format!("[{table}]"), 0, t.get(key).cloned())
            }
            (Some(_), false) => return Err(err(None, format!("{table} is not an array of tables ({})", ENTRY_ARRAYS.join(", ")))),
            (None, true) => return Err(err(None, format!("name the {table} entry: {table}.<name>.{key}"))),
        };
        if let Some(v) = &stated {
            if !(v.is_float() || v.is_integer()) {
                return Err(err(None, format!("`{key}` is not a number in that entry (it is {})", v.type_str())));
            }
        }
        let number = toml_number(value);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // The header line of the entry, then the entry's own lines (up to the next header).
        let Some(start) = lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with(&header)).map(|(i, _)| i).nth(nth) else {
            return Err(err(None, format!("the {header} header is not on a line of its own")));
        };
        let end = (start + 1..lines.len()).find(|&i| lines[i].trim_start().starts_with('[')).unwrap_or(lines.len());
        let key_line = (start + 1..end).find(|&i| lines[i].split_once('=').is_some_and(|(k, _)| k.trim().trim_matches('"') == key));
        let mut out = String::with_capacity(text.len() + 32);
        for (i, line) in lines.iter().enumerate() {
            if Some(i) == key_line {
                let newline = if line.ends_with('\n') { "\n" } else { "" };
                let (k, _) = line.split_once('=').expect("the key line has =");
                out.push_str(&format!("{k}= {number}{newline}"));
            } else {
                out.push_str(line);
                if i == start && key_line.is_none() {
                    if !line.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&format!("{key} = {number}\n"));
                }
            }
        }
        // The edited text must say exactly that (a file not written one key per line is refused).
        let edited: Option<toml::Table> = toml::from_str(&out).ok();
        let entry_of = |doc: &toml::Table| -> Option<f64> {
            let t = match &entry {
                Some(_) => doc.get(table)?.as_array()?.get(nth)?,
                None => doc.get(table)?,
            };
            let v = t.get(key)?;
            v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
        };
        if edited.as_ref().and_then(entry_of) != Some(value) {
            let line = key_line.map(|i| i + 1).or(Some(start + 1));
            return Err(err(
                line,
                format!("cannot set `{key}` in the {header} entry: write it as `{key} = <number>` on a line of its own"),
            ));
        }
        Ok(out)
    }

    /// The validated vehicle of each value, from the vehicle file `text` (named `file`); a value
    /// the file's rules refuse is an error naming it.
    pub fn variants(&self, text: &str, file: &str) -> Result<Vec<Vehicle>> {
        self.values
            .iter()
            .map(|&value| {
                let edited = self.apply(text, file, value)?;
                let (vehicle, _warnings) = Vehicle::from_toml(&edited, file).map_err(|e| {
                    let message = format!("with {} = {value}: {}", self.path, e.message);
                    Error::File(FileError { message, ..e })
                })?;
                Ok(vehicle)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Overlapping ranges give a value twice: kept once, in the order first given, and said.
    #[test]
    fn repeated_axis_values_are_merged_in_order() {
        let mut values = range_values("200:1000:200").unwrap();
        values.extend(range_values("1000:2000:500").unwrap());
        values.push(0.1 + 0.2);
        values.push(0.3);
        let (kept, repeated) = merge_repeated(&values);
        assert_eq!(kept, [200.0, 400.0, 600.0, 800.0, 1000.0, 1500.0, 2000.0, 0.1 + 0.2]);
        assert_eq!(repeated, [1000.0, 0.3]);
        // Values a step apart, however small beside the tolerance's scale, stay apart.
        assert_eq!(merge_repeated(&[51.6, 51.60001, -51.6]).0, [51.6, 51.60001, -51.6]);
        assert_eq!(merge_repeated(&[0.0, 0.0]), (vec![0.0], vec![0.0]));
    }

    /// A list with a value twice is refused, naming the field and the value.
    #[test]
    fn a_value_given_twice_in_a_list_is_refused() {
        let e = refuse_repeated_values("altitudes_km", &[Some(200.0), Some(450.0), Some(450.0)]).unwrap_err().to_string();
        assert_eq!(e, "invalid altitudes_km: 450 is given twice: its points would be swept twice; give each value once");
        let e = refuse_repeated_values("inclinations_deg", &[None, Some(51.9), None]).unwrap_err().to_string();
        assert!(e.starts_with("invalid inclinations_deg: null is given twice"), "{e}");
        assert!(refuse_repeated_values("altitudes_km", &[Some(200.0), Some(200.001), None]).is_ok());
    }

    /// A vehicle given twice is refused, naming the input; a catalog id in any case is one.
    #[test]
    fn a_vehicle_given_twice_is_refused() {
        let e = refuse_repeated_vehicles(&["soyuz-2.1b".into(), "angara-a5".into(), "Soyuz-2.1B".into()], "<VEHICLES>", |_| false)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("invalid <VEHICLES>: `Soyuz-2.1B` is given twice (as `soyuz-2.1b`)"), "{e}");
        assert!(refuse_repeated_vehicles(&["soyuz-2.1b".into(), "angara-a5".into()], "<VEHICLES>", |_| false).is_ok());
    }
    use crate::optimize::payload::maximize_payload;
    use crate::vehicle::{catalog_vehicle, resolve_vehicle};

    #[test]
    fn unreachable_and_unknown_points_are_rows_not_failures() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let sites = [SweepSite::Catalog("vostochny".into()), SweepSite::Catalog("nowhere".into())];
        let rows =
            sweep(&[&v], &sites, &[300.0], &[SweepInclination::Degrees(30.0), SweepInclination::Lowest], Branch::Northbound, &|_, _| {});
        assert_eq!(rows.len(), 4);
        assert!(rows[0].result.as_ref().unwrap_err().contains("inclination"), "{:?}", rows[0].result);
        let found = rows[1].result.clone().expect("the pad's lowest inclination is reachable");
        assert!(found.payload_kg > 1000.0);
        assert_eq!(rows[1].pad.as_deref(), Some("vostochny-1s"));
        assert!(rows[2].result.as_ref().unwrap_err().contains("unknown site"));
        assert_eq!(rows[3].inclination_deg, None);
    }

    /// A sweep naming a site the catalog does not know is refused by the check, with the nearest
    /// id suggested; a cosmodrome and a pad id pass.
    #[test]
    fn the_site_check_refuses_an_unknown_site() {
        check_sites(&["vostochny".into(), "kourou-ela3".into()]).expect("known");
        let e = check_sites(&["vostochny".into(), "plesetk".into()]).expect_err("unknown").to_string();
        assert!(e.contains("unknown site `plesetk`") && e.contains("did you mean `plesetsk`"), "{e}");
        assert!(check_sites(&[String::new()]).is_err());
    }

    /// The report has a point per row with the table's values, and reads back from its JSON.
    #[test]
    fn the_report_names_each_point_and_reads_back_from_its_json() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let sites = ["vostochny".to_owned(), "nowhere".to_owned()];
        let grid_sites: Vec<SweepSite> = sites.iter().map(|s| SweepSite::Catalog(s.clone())).collect();
        let rows = sweep(&[&v], &grid_sites, &[300.0], &[SweepInclination::Lowest], Branch::Northbound, &|_, _| {});
        let report = SweepReport::new(&rows, &["soyuz-2.1b".to_owned()], &sites, None);
        assert_eq!(report.format, SWEEP_FORMAT);
        let [ok, unknown] = &report.points[..] else { panic!("{report:?}") };
        assert_eq!((ok.status.as_str(), ok.profile.as_deref(), ok.pad.as_deref()), ("ok", Some("direct"), Some("vostochny-1s")));
        assert_eq!(ok.payload_kg, rows[0].result.as_ref().ok().map(|p| p.payload_kg));
        assert_eq!((unknown.status.as_str(), unknown.payload_kg, unknown.site.as_str()), ("unreachable", None, "nowhere"));
        assert!(unknown.message.as_deref().is_some_and(|m| m.contains("unknown site")), "{unknown:?}");
        let back: SweepReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        assert_eq!(back, report);
    }

    /// A site file's pad, read once before the run, is flown from by every vehicle whatever its
    /// family, and named by its pad id; a file that is missing, or whose pad has the id of
    /// another site's pad, is refused before the run.
    #[test]
    fn a_site_file_is_read_once_and_flown_by_every_vehicle() {
        let dir = std::env::temp_dir().join(format!("cosmodrome-sweep-site-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pad = |id: &str| {
            format!(
                "format = 1\n[[site]]\nid = \"{id}\"\ncosmodrome = \"wallops\"\nname = \"Wallops LP-0A\"\nlatitude_deg = 37.8338\n\
                 longitude_deg = -75.4881\naltitude_m = 0.0\nsource = \"test\"\nfamilies = [\"Antares\"]\n"
            )
        };
        let (wallops, copy, clash) = (dir.join("wallops.toml"), dir.join("copy.toml"), dir.join("clash.toml"));
        std::fs::write(&wallops, pad("wallops-0a")).unwrap();
        std::fs::write(&copy, pad("Wallops-0A")).unwrap();
        std::fs::write(&clash, pad("vostochny-1a")).unwrap();
        let path = |p: &std::path::Path| p.to_str().expect("a UTF-8 path").to_owned();

        let sites = sweep_sites(&[path(&wallops), "vostochny".to_owned()]).expect("a file and a catalog id");
        assert_eq!(sites.iter().map(SweepSite::label).collect::<Vec<_>>(), ["wallops-0a", "vostochny"]);
        let (soyuz, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let (angara, _) = resolve_vehicle("angara-a5").expect("catalog");
        let grid = SweepGrid {
            vehicles: &[&soyuz, &angara],
            variants: false,
            sites: &sites[..1],
            altitudes_km: &[200.0],
            inclinations: &[SweepInclination::Lowest],
            branch: Branch::Northbound,
            warm_start: true,
        };
        let rows = sweep_grid(&grid, &|_, _| {});
        for row in &rows {
            assert_eq!(row.pad.as_deref(), Some("wallops-0a"), "every family flies from the file's pad");
            assert!(row.inclination_deg.is_some_and(|i| (37.8..38.5).contains(&i)), "{row:?}");
        }
        assert!(rows[0].result.as_ref().is_ok_and(|p| p.payload_kg > 8_000.0), "{:?}", rows[0].result);

        // A site given twice is refused (every row would be given twice), a file by another
        // path too, and so is a catalog id in another case; two pads of one id are refused,
        // and a file's pad with a catalog pad's id whatever the other sites.
        let e = sweep_sites(&[path(&wallops), path(&wallops)]).unwrap_err().to_string();
        assert!(e.starts_with("invalid --site: ") && e.contains("is given twice"), "{e}");
        let dotted = format!("{}/./wallops.toml", dir.display());
        let e = sweep_sites(&[path(&wallops), dotted.clone()]).unwrap_err().to_string();
        assert!(e.contains(&format!("`{dotted}` is given twice (as `{}`)", path(&wallops))), "{e}");
        let e = sweep_sites(&["vostochny".to_owned(), "baikonur".to_owned(), "Vostochny".to_owned()]).unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid --site: `Vostochny` is given twice (as `vostochny`): every row of it would be given twice; give each site once"
        );
        let e = check_sites(&["vostochny".to_owned(), "vostochny".to_owned()]).unwrap_err().to_string();
        assert!(e.contains("`vostochny` is given twice"), "{e}");
        let e = sweep_sites(&[path(&wallops), path(&copy)]).unwrap_err().to_string();
        assert!(e.starts_with("invalid --site: ") && e.contains("both have a pad `wallops-0a`"), "{e}");
        for other in ["vostochny", "baikonur"] {
            let Err(Error::File(e)) = sweep_sites(&[other.to_owned(), path(&clash)]) else { panic!("a file error") };
            assert_eq!((e.location.line, e.location.key.as_str()), (Some(3), "site[0].id"), "{e}");
            assert!(e.message.contains("pad id `vostochny-1a` is the catalog's pad `vostochny-1a`"), "{e}");
        }
        let e = sweep_sites(&["vostochny".to_owned(), "no-such-pad.toml".to_owned()]).unwrap_err().to_string();
        assert_eq!(e, "invalid --site: site file not found: no-such-pad.toml");
        let e = sweep_sites(&["plesetk".to_owned(), path(&wallops)]).unwrap_err().to_string();
        assert!(e.contains("unknown site `plesetk`"), "{e}");
        std::fs::write(&wallops, pad("wallops-0a").replace("latitude_deg = 37.8338\n", "")).unwrap();
        let Err(Error::File(e)) = sweep_sites(&[path(&wallops)]) else { panic!("a file error") };
        assert!(e.location.file.ends_with("wallops.toml") && e.message.contains("latitude_deg"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn chains_run_along_the_altitude_or_the_variants() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let vehicles = [&v, &v];
        let sites = [SweepSite::Catalog("vostochny".to_owned())];
        let grid = SweepGrid {
            vehicles: &vehicles,
            variants: false,
            sites: &sites,
            altitudes_km: &[400.0, 200.0, 300.0],
            inclinations: &[SweepInclination::Degrees(51.0), SweepInclination::Degrees(63.0)],
            branch: Branch::Northbound,
            warm_start: true,
        };
        // Grid order: vehicle, site, altitude, inclination (fastest); chains ascend in altitude.
        assert_eq!(grid.chains(), [vec![2, 4, 0], vec![3, 5, 1], vec![8, 10, 6], vec![9, 11, 7]]);
        assert_eq!(grid.point(9), (1, 0, 1, 1));
        let variants = SweepGrid { variants: true, altitudes_km: &[200.0], ..grid };
        assert_eq!(variants.chains(), [vec![0, 2], vec![1, 3]]);
        let cold = SweepGrid { warm_start: false, ..grid };
        assert_eq!(cold.chains().len(), 12);
    }

    /// Warm starts change the path to the answer, not the answer: a chain of altitudes at two
    /// inclinations agrees with the cold-started points within 1 kg, with fewer flights.
    /// Soyuz-2.1b's sweep from Vostochny over `altitudes_km` × `inclinations_deg`, warm-started
    /// and cold, with the vehicle.
    fn soyuz_warm_and_cold(altitudes_km: &[f64], inclinations_deg: &[Option<f64>]) -> (Vehicle, Vec<SweepRow>, Vec<SweepRow>) {
        let inclinations: Vec<SweepInclination> = inclinations_deg.iter().map(|&i| i.into()).collect();
        warm_and_cold("soyuz-2.1b", "vostochny", altitudes_km, &inclinations)
    }

    /// The sweep of catalog vehicle `id` from `site` over `altitudes_km` × `inclinations`,
    /// warm-started and cold, with the vehicle.
    fn warm_and_cold(
        id: &str,
        site: &str,
        altitudes_km: &[f64],
        inclinations: &[SweepInclination],
    ) -> (Vehicle, Vec<SweepRow>, Vec<SweepRow>) {
        let (v, _) = resolve_vehicle(id).expect("catalog");
        let sites = [SweepSite::Catalog(site.to_owned())];
        let grid = SweepGrid {
            vehicles: &[&v],
            variants: false,
            sites: &sites,
            altitudes_km,
            inclinations,
            branch: Branch::Northbound,
            warm_start: true,
        };
        let warm = sweep_grid(&grid, &|_, _| {});
        let cold = sweep_grid(&SweepGrid { warm_start: false, ..grid }, &|_, _| {});
        (v, warm, cold)
    }

    /// Near the edge of a vehicle's reach a point started from the one before it is searched
    /// cold as well, and the heavier answer kept: Angara-1.2's 800 km SSO from Vandenberg, a
    /// chain's head started from the head at 400 km (3,155 kg), settled on a lower summit,
    /// 376.2 kg, where the lone search finds 401.4 kg; the sweep now gives the lone answer. The
    /// 700 km point, started from 600 km, is not near the edge.
    #[test]
    fn a_point_near_the_edge_of_reach_is_searched_cold_as_well() {
        let altitudes_km = [400.0, 500.0, 600.0, 700.0, 800.0];
        let (_, warm, cold) = warm_and_cold("angara-1.2", "vandenberg", &altitudes_km, &[SweepInclination::SunSynchronous]);
        let kg = |rows: &[SweepRow], i: usize| rows[i].result.as_ref().expect("reached").payload_kg;
        let (warm_kg, cold_kg) = (kg(&warm, 4), kg(&cold, 4));
        assert!((warm_kg - cold_kg).abs() <= 0.1 && cold_kg > 390.0, "{warm_kg} kg swept, {cold_kg} kg cold");
        assert!(near_the_edge(kg(&warm, 0), 376.2) && !near_the_edge(kg(&warm, 2), kg(&warm, 3)));
        assert!(warm[3].result.as_ref().is_ok_and(|p| p.warm_started));
    }

    #[test]
    fn warm_started_points_agree_with_cold_ones_within_a_kilogram() {
        let (v, warm, cold) = soyuz_warm_and_cold(&[200.0, 400.0, 600.0, 800.0], &[Some(51.9), Some(97.5)]);
        let (mut warm_flights, mut cold_flights) = (0, 0);
        for (w, c) in warm.iter().zip(&cold) {
            let (w, c) = (w.result.clone().expect("warm"), c.result.clone().expect("cold"));
            assert!((w.payload_kg - c.payload_kg).abs() <= 1.0, "{w:?} vs {c:?}");
            assert!(!c.warm_started);
            warm_flights += w.flights;
            cold_flights += c.flights;
        }
        assert_eq!(warm.iter().filter(|r| r.result.as_ref().is_ok_and(|p| p.warm_started)).count(), 6, "all but the chains' first points");
        assert!(warm_flights < cold_flights, "{warm_flights} vs {cold_flights} flights");
        // A cold-started point is the lone optimization's answer.
        let pad = SiteCatalog::builtin().unwrap().pad_for("vostochny", v.family.as_deref()).unwrap().site.clone();
        let target = crate::mission::target_orbit(&pad, 600e3, None, Some(51.9));
        let lone = maximize_payload(&v, &pad, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(Ok(crate::mission::common::payload_down_kg(lone.payload_kg)), cold[4].result.as_ref().map(|p| p.payload_kg));
    }

    /// `sso` sweeps each altitude at its own sun-synchronous inclination, as `payload --orbit
    /// sso --altitude-km` flies it, and says where there is none.
    #[test]
    fn a_sun_synchronous_axis_takes_each_altitude_s_inclination() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let sites = [SweepSite::Catalog("vostochny".to_owned())];
        let grid = SweepGrid {
            vehicles: &[&v],
            variants: false,
            sites: &sites,
            altitudes_km: &[500.0, 800.0, 6500.0],
            inclinations: &[SweepInclination::SunSynchronous, SweepInclination::Degrees(97.0)],
            branch: Branch::Northbound,
            warm_start: false,
        };
        let rows = sweep_grid(&grid, &|_, _| {});
        let pad = SiteCatalog::builtin().unwrap().pad_for("vostochny", v.family.as_deref()).unwrap().site.clone();
        for (row, altitude_km) in [(&rows[0], 500.0), (&rows[2], 800.0)] {
            let inclination_deg = crate::mission::orbits::sun_synchronous_inclination_deg(altitude_km).unwrap();
            assert!(row.sun_synchronous && row.inclination_deg == Some(inclination_deg), "{row:?}");
            let target = crate::mission::target_orbit(&pad, altitude_km * 1e3, None, Some(inclination_deg));
            let lone = maximize_payload(&v, &pad, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).unwrap();
            assert_eq!(row.result.as_ref().map(|p| p.payload_kg), Ok(crate::mission::common::payload_down_kg(lone.payload_kg)));
        }
        assert!(!rows[1].sun_synchronous && rows[1].inclination_deg == Some(97.0));
        // Higher inclination, less payload: 97.40° at 500 km against 97°.
        assert!(rows[0].result.as_ref().unwrap().payload_kg < rows[1].result.as_ref().unwrap().payload_kg);
        let none = &rows[4];
        assert_eq!((none.sun_synchronous, none.inclination_deg), (true, None));
        assert!(none.result.as_ref().unwrap_err().starts_with("no sun-synchronous orbit at 6500 km"), "{none:?}");
        // The JSON report says which points are sun-synchronous.
        let report = SweepReport::new(&rows, &["soyuz-2.1b".to_owned()], &["vostochny".to_owned()], None);
        assert_eq!(report.points.iter().filter(|p| p.sun_synchronous).count(), 3);
    }

    #[test]
    fn an_inclination_axis_takes_sso_once() {
        let (sso, deg) = (SweepInclination::SunSynchronous, SweepInclination::Degrees);
        assert_eq!(SweepInclination::parse(" SSO "), Some(sso));
        assert_eq!(SweepInclination::parse("51.9"), Some(deg(51.9)));
        assert_eq!(SweepInclination::parse("ssx"), None);
        assert_eq!((SweepInclination::named(" Sso"), SweepInclination::named("51.9")), (Some(sso), None));
        let (kept, repeated) = merge_repeated_inclinations(&[deg(51.9), sso, deg(63.0), sso, deg(51.9)]);
        assert_eq!((kept, repeated), (vec![deg(51.9), sso, deg(63.0)], vec!["51.9".to_owned(), "sso".to_owned()]));
        assert!(refuse_repeated_inclinations("inclinations_deg", &[sso, deg(98.0)]).is_ok());
        let e = refuse_repeated_inclinations("inclinations_deg", &[sso, deg(98.0), sso]).unwrap_err().to_string();
        assert!(e.contains("sso is given twice"), "{e}");
        let e = refuse_repeated_inclinations("inclinations_deg", &[deg(98.0), sso, deg(98.0)]).unwrap_err().to_string();
        assert!(e.contains("98 is given twice"), "{e}");
    }

    /// Which point each point of a chain starts from: the heads (every fourth) from the head
    /// before, the points between from the one before them; a point that finds nothing hands on
    /// its own start. The same on every run, whatever order the threads finish in.
    #[test]
    fn a_chain_starts_each_point_from_a_point_before_it() {
        // Grid indices 10, 11, …: each point's row is the index of the point its start came
        // from (None: cold), and it finds a start of its own except at index 15.
        let chain: Vec<usize> = (10..21).collect();
        let solve = |index: usize, start: Option<&usize>| (start.copied(), (index != 15).then_some(index));
        for _ in 0..20 {
            let mut rows = solve_chain(&chain, &solve);
            rows.sort_by_key(|(index, _)| *index);
            let starts: Vec<Option<usize>> = rows.iter().map(|(_, start)| *start).collect();
            assert_eq!(rows.iter().map(|(index, _)| *index).collect::<Vec<_>>(), chain);
            #[rustfmt::skip]
            assert_eq!(starts, [
                None, Some(10), Some(11), Some(12), // head 10 cold, then 11–13 one after the other
                Some(10), Some(14), Some(14), Some(16), // head 14 from head 10; 15 finds nothing
                Some(14), Some(18), Some(19), // head 18 from head 14
            ]);
        }
        // Without warm starts every chain is one point: cold.
        assert_eq!(solve_chain(&[3], &solve), [(3, None)]);
    }

    /// A neighbour far off is no neighbour: from its 200 km ascent, Soyuz-2.1b's kick search to
    /// 1,000 km climbed to the kicks its start could not target and stopped there (1,157 kg at
    /// 4.4°), while the built-in guesses find 1,734 kg at 2.0°. Such a start gives way to the
    /// cold search.
    #[test]
    fn a_start_whose_kicks_stop_short_of_the_summit_gives_way_to_a_cold_search() {
        let (_, warm, cold) = soyuz_warm_and_cold(&[200.0, 1000.0], &[Some(51.9)]);
        let (w, c) = (warm[1].result.clone().expect("warm"), cold[1].result.clone().expect("cold"));
        assert!((w.payload_kg - c.payload_kg).abs() <= 1.0, "{w:?} vs {c:?}");
    }

    #[test]
    fn a_parameter_edits_one_value_of_the_file() {
        let text = catalog_vehicle("angara-a5").unwrap();
        let vary = VaryParameter::parse("stage.URM-2.propellant_mass_kg=30000,40000.5").unwrap();
        let edited = vary.apply(text, "angara-a5.toml", 30000.0).unwrap();
        let changed: Vec<_> = text.lines().zip(edited.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0].1, "propellant_mass_kg = 30000");
        let vehicles = vary.variants(text, "angara-a5.toml").unwrap();
        let (base, _) = resolve_vehicle("angara-a5").unwrap();
        assert!((vehicles[1].stages[2].gross_mass_kg() - base.stages[2].gross_mass_kg() - 4200.5).abs() < 1e-6);
        assert_eq!(vehicles[0].stages[1], base.stages[1], "the core keeps its load");
        // An optional key the entry does not state is added to it.
        let residual = VaryParameter::parse("stage.URM-2.residual_mass_kg=500").unwrap();
        let v = &residual.variants(text, "angara-a5.toml").unwrap()[0];
        assert_eq!(v.stages[2].residual_mass_kg, 500.0);
        // An optional table the file leaves out is added with the key: Soyuz-2.1b's file has no
        // [limits] and no [margins].
        let soyuz = catalog_vehicle("soyuz-2.1b").unwrap();
        assert!(!soyuz.contains("[limits]") && !soyuz.contains("[margins]"));
        let limit = VaryParameter::parse("limits.min_liftoff_thrust_to_weight=1.3,1.35").unwrap();
        let held = limit.variants(soyuz, "soyuz-2.1b.toml").unwrap();
        assert_eq!(held[1].limits.min_liftoff_thrust_to_weight, Some(1.35));
        let reserve = VaryParameter::parse("margins.flight_performance_reserve=0.01").unwrap();
        assert_eq!(reserve.variants(soyuz, "soyuz-2.1b.toml").unwrap()[0].margins.flight_performance_reserve, 0.01);
    }

    #[test]
    fn bad_parameters_name_what_is_wrong() {
        let text = catalog_vehicle("angara-a5").unwrap();
        let e = |spec: &str| match VaryParameter::parse(spec) {
            Ok(v) => v.variants(text, "angara-a5.toml").unwrap_err().to_string(),
            Err(e) => e.to_string(),
        };
        assert!(e("stage.URM-3.propellant_mass_kg=1").contains("URM-1 core, URM-2"), "{}", e("stage.URM-3.propellant_mass_kg=1"));
        assert!(e("stage.URM-2.name=1").contains("not a number"));
        assert!(e("stage.URM-2.propellant_mass_kg=-5").contains("propellant_mass_kg = -5"), "{}", e("stage.URM-2.propellant_mass_kg=-5"));
        assert!(e("stage.URM-2.propellant_mass_kg=1:0:1").contains("END ≥ START"));
        assert!(e("stage.URM-2.propellant_mass_kg=0:1e9:1").contains("at most"));
        assert!(e("propellant_mass_kg=1").contains("TABLE.KEY"));
        assert!(e("stage.URM-2.propellant_mass_kg=abc").contains("`abc` is not a number"));
        assert!(e("wings.span_m=1").contains("no [wings]"));
        assert!(e("stage.propellant_mass_kg=1").contains("name the stage entry"));
    }
}
