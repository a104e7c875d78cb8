//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use cosmodrome::mission::sweep::SweepInclination;

/// Launch-vehicle ascent performance: fly modular rockets from real cosmodromes.
#[derive(Debug, Parser)]
#[command(name = "cosmodrome", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the catalog vehicles.
    Vehicles,
    /// List the launch sites and their corridors.
    Sites,
    /// Propulsion at a glance: per stage masses, burn time, thrust-to-weight, ideal delta-v.
    Info {
        /// Catalog id (`angara-a5`) or path to a vehicle file.
        vehicle: String,
        /// Payload carried for the budget, kg.
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        payload_kg: f64,
        /// Print the propulsion report as one JSON object (docs/schema/info.schema.json).
        #[arg(long)]
        json: bool,
    },
    /// Fly an ascent with a given payload to the target orbit (targeted guidance; `--open-loop`
    /// for the open-loop program) and print its events and how it ended.
    Fly(FlyArgs),
    /// The largest payload into a target orbit, and the ascent that does it.
    Payload(PayloadArgs),
    /// Predicted against published payloads of the catalog vehicles.
    Validate(ValidateArgs),
    /// Where the spent stages fall: nominal impacts, a Monte Carlo of dispersed falls and the
    /// drop-zone footprints (impacts.csv, dropzones.geojson, dropzones.kml with --out).
    Dropzones(DropzonesArgs),
    /// Equilibrium combustion and nozzle flow of a propellant pair (as NASA CEA): chamber
    /// temperature, c*, Isp; a mixture-ratio sweep `start:end:step` finds the optimum.
    Propellant(PropellantArgs),
    /// Serve the JSON API and the web page (http://127.0.0.1:8080/ by default) until Ctrl-C.
    Serve {
        /// Address to bind; loopback by default (another address exposes the API to the network).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port (0: any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// The payload over a grid: vehicles × sites × circular-orbit altitudes × inclinations, on
    /// all cores; unreachable points are rows with their reason (a user's guide payload chart).
    Sweep(SweepArgs),
}

impl Command {
    /// Whether the command prints its report as JSON (`--json`): a failure is then reported as
    /// JSON on stdout too.
    pub fn json(&self) -> bool {
        match self {
            Command::Info { json, .. } => *json,
            Command::Fly(a) => a.json,
            Command::Payload(a) => a.json,
            Command::Validate(a) => a.json,
            Command::Dropzones(a) => a.json,
            Command::Propellant(a) => a.json,
            Command::Sweep(a) => a.json,
            Command::Vehicles | Command::Sites | Command::Serve { .. } => false,
        }
    }
}

/// `sweep` arguments.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Catalog ids or vehicle files.
    #[arg(required = true)]
    pub vehicles: Vec<String>,
    /// Cosmodromes or pads (repeat or comma-separate), or site files (`my-pad.toml`, written as
    /// data/sites.toml is: its first pad, flown from by every vehicle, named by its id).
    #[arg(long, value_delimiter = ',', default_value = "vostochny")]
    pub site: Vec<String>,
    /// Circular-orbit altitudes, km (repeat or comma-separate; START:END:STEP for a range).
    #[arg(long, value_delimiter = ',', default_value = "200", allow_negative_numbers = true, value_parser = axis_values)]
    pub altitude_km: Vec<AxisValues>,
    /// Inclinations, degrees (repeat or comma-separate; START:END:STEP for a range), or `sso`
    /// for the sun-synchronous inclination at each altitude; each pad's lowest when not given.
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true, value_parser = inclination_values)]
    pub inclination_deg: Vec<InclinationValues>,
    /// Southbound leg to the inclinations.
    #[arg(long)]
    pub southbound: bool,
    /// Sweep one value of the vehicle's file instead of (or with) the orbit: PATH=START:END:STEP
    /// or PATH=V1,V2,…, PATH being stage.NAME.KEY, engine.ID.KEY or TABLE.KEY
    /// (e.g. stage.URM-2.propellant_mass_kg=30000:40000:2500).
    #[arg(long, value_name = "PATH=VALUES")]
    pub vary: Option<String>,
    /// Start every point from the built-in guesses instead of its neighbour's solution.
    #[arg(long)]
    pub cold: bool,
    /// Write sweep.csv, sweep.parquet and the payload chart (payload.png, payload.svg) into
    /// this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the sweep as one JSON object (docs/schema/sweep.schema.json) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// `validate` arguments.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Table of published payloads (default: the built-in ones, data/reference/published-payloads.toml,
    /// -solid.toml and -upper.toml). A case's `vehicle` is a catalog id or a vehicle file, its path
    /// relative to the table's directory.
    #[arg(long)]
    pub table: Option<PathBuf>,
    /// Print the validation report as one JSON object (docs/schema/validate.schema.json).
    #[arg(long)]
    pub json: bool,
}

/// Site and target orbit of the commands that optimize the ascent (`payload`, `dropzones`).
#[derive(Debug, Args)]
pub struct OrbitArgs {
    /// Launch site: cosmodrome id (`vostochny`: the pad of the vehicle's family there), pad id
    /// (`vostochny-1a`; `cosmodrome sites` lists them) or a site file (`my-pad.toml`, written as
    /// data/sites.toml is: its first pad).
    #[arg(long, default_value = "vostochny")]
    pub site: String,
    /// Target perigee altitude above the equatorial radius, km (default: 200, or the named
    /// orbit's); `--altitude-km` alone sets a circular orbit, as `sweep` does.
    #[arg(long, visible_alias = "altitude-km", allow_negative_numbers = true)]
    pub perigee_km: Option<f64>,
    /// Target apogee altitude above the equatorial radius, km (default: the perigee, or the
    /// named orbit's).
    #[arg(long, allow_negative_numbers = true)]
    pub apogee_km: Option<f64>,
    /// Target inclination, degrees (default: the lowest the site allows, or the named orbit's).
    #[arg(long, allow_negative_numbers = true)]
    pub inclination_deg: Option<f64>,
    /// Fly the southbound leg to the inclination.
    #[arg(long)]
    pub southbound: bool,
    /// Designated drop zones the ascent must respect: a built-in zone file (`baikonur-iss`) or a
    /// path (docs/dropzones.md). The optimized ascent keeps the nominal impact of every stage a
    /// zone selects inside it (`dropzones` through a parking orbit checks the falls against them
    /// without shaping the mission).
    #[arg(long, value_name = "ID|FILE")]
    pub drop_zones: Option<String>,
}

/// A named target of `fly`, `payload` and `dropzones`: its name and the elements only a named
/// target has. One set of flags, so the three commands read and resolve them alike.
#[derive(Debug, Args)]
pub struct NamedOrbitArgs {
    /// A named target with default elements per site (docs/missions.md): leo, sso, gto,
    /// gto-1800, gto-1500, gso, meo, molniya, escape; the perigee, apogee and inclination flags
    /// override its elements. A vehicle with a restartable upper stage reaches the high ones
    /// through a parking orbit: the whole mission (ascent, coast, the upper stage's burns and
    /// coasts, tank drops) is flown, and is in the trajectory and files.
    #[arg(long = "orbit", value_name = "NAME")]
    pub orbit_name: Option<String>,
    /// Argument of perigee of the target, degrees: of the named orbit (with --orbit), or of the
    /// eccentric orbit the element flags give. The ascent holds it where it can place it
    /// (docs/missions.md).
    #[arg(long, allow_negative_numbers = true)]
    pub argument_of_perigee_deg: Option<f64>,
    /// Characteristic energy of an escape, km²/s² (with --orbit escape).
    #[arg(long, allow_negative_numbers = true, requires = "orbit_name")]
    pub c3_km2_s2: Option<f64>,
    /// Declination of an escape's departure asymptote, degrees, −90…90 (with --orbit escape;
    /// free when not given). The parking orbit's inclination bounds it.
    #[arg(long, allow_negative_numbers = true, requires = "orbit_name")]
    pub declination_deg: Option<f64>,
}

/// `dropzones` arguments.
#[derive(Debug, Args)]
pub struct DropzonesArgs {
    /// Catalog id (`angara-a5`) or path to a vehicle file.
    pub vehicle: String,
    /// Site and target orbit.
    #[command(flatten)]
    pub orbit: OrbitArgs,
    /// A named target orbit: through a parking orbit, the bodies are those the whole mission
    /// jettisons (those left in orbit or on an escape hyperbola reported as not down).
    #[command(flatten)]
    pub named: NamedOrbitArgs,
    /// Fly the targeted ascent of `fly` with this payload instead of the optimized ascent (with
    /// `--orbit` through a parking orbit, `fly`'s whole mission with it), kg.
    #[arg(long, allow_negative_numbers = true)]
    pub payload_kg: Option<f64>,
    /// Dispersed falls per body.
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// Seed of the random draws: the same seed gives the same impacts on any number of threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One-sigma dispersions (TOML; docs/dropzones.md), instead of the defaults.
    #[arg(long)]
    pub dispersions: Option<PathBuf>,
    /// Wind profile (TOML; docs/dropzones.md); calm air co-rotating with the Earth without it.
    #[arg(long)]
    pub wind: Option<PathBuf>,
    /// Print the drop-zone report as one JSON object (docs/schema/dropzones.schema.json).
    #[arg(long)]
    pub json: bool,
    /// Output files (impacts.csv, dropzones.geojson, dropzones.kml and the nominal ascent's).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `payload` arguments.
#[derive(Debug, Args)]
pub struct PayloadArgs {
    /// Catalog id (`angara-a5`) or path to a vehicle file.
    pub vehicle: String,
    /// Site and target orbit.
    #[command(flatten)]
    pub orbit: OrbitArgs,
    /// A named target orbit.
    #[command(flatten)]
    pub named: NamedOrbitArgs,
    /// Print the report as one JSON object (docs/schema/payload.schema.json; through a parking
    /// orbit docs/schema/transfer.schema.json).
    #[arg(long)]
    pub json: bool,
    /// After the report, the payload trade factors: kg of payload per kg of each stage's dry
    /// mass and propellant, per s of its vacuum Isp, per % of its vacuum thrust and per kg of
    /// the fairing, each by central differences of two re-optimized payloads (docs/trade-factors.md);
    /// through a parking orbit (`--orbit gso`), of two re-optimized missions.
    #[arg(long)]
    pub trade_factors: bool,
    /// Output files (payload.json and the optimized ascent's).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Target flags shared by the flight commands.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Launch site: cosmodrome id (`vostochny`: the pad of the vehicle's family there), pad id
    /// (`vostochny-1a`; `cosmodrome sites` lists them) or a site file (`my-pad.toml`, written as
    /// data/sites.toml is: its first pad).
    #[arg(long, default_value = "vostochny")]
    pub site: String,
    /// Target orbit inclination, degrees (default: the lowest the site allows).
    #[arg(long, conflicts_with = "azimuth_deg", allow_negative_numbers = true)]
    pub inclination_deg: Option<f64>,
    /// Launch azimuth over the ground, degrees from north, instead of an inclination
    /// (`--open-loop` only: the targeted ascent solves the azimuth for the inclination).
    #[arg(long, allow_negative_numbers = true, requires = "open_loop")]
    pub azimuth_deg: Option<f64>,
    /// Target perigee altitude above the equatorial radius, km (default: 200, or the named
    /// orbit's; with `--open-loop` it only sets the rotation correction of the azimuth);
    /// `--altitude-km` alone sets a circular orbit, as `sweep` does.
    #[arg(long, visible_alias = "altitude-km", allow_negative_numbers = true)]
    pub perigee_km: Option<f64>,
    /// Fly the southbound leg to the inclination (e.g. polar launches heading south).
    #[arg(long)]
    pub southbound: bool,
}

/// `fly` arguments.
#[derive(Debug, Args)]
pub struct FlyArgs {
    /// Catalog id (`angara-a5`) or path to a vehicle file.
    pub vehicle: String,
    /// Payload mass, kg (with `--orbit`, the largest payload found when not given).
    #[arg(long, allow_negative_numbers = true, required_unless_present = "orbit_name")]
    pub payload_kg: Option<f64>,
    /// Target and site.
    #[command(flatten)]
    pub target: TargetArgs,
    /// A named orbit: the whole mission to it, with the payload given or the largest found.
    #[command(flatten)]
    pub named: NamedOrbitArgs,
    /// Target apogee altitude above the equatorial radius, km (default: the perigee, or the
    /// named orbit's).
    #[arg(long, allow_negative_numbers = true, conflicts_with = "open_loop")]
    pub apogee_km: Option<f64>,
    /// Fly the open-loop program (vertical rise, kick, gravity turn, linear-tangent steering to
    /// `--final-pitch-deg`) instead of the targeted ascent: it reports the orbit it reaches, or
    /// where it comes down. Not with --orbit, whose mission is targeted.
    #[arg(long, conflicts_with = "orbit_name")]
    pub open_loop: bool,
    /// Vertical rise after liftoff, s (`--open-loop`).
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true, requires = "open_loop")]
    pub vertical_rise_s: f64,
    /// The pitch-over waits until the air speed reaches this, m/s (`--open-loop`).
    #[arg(long, default_value_t = 25.0, allow_negative_numbers = true, requires = "open_loop")]
    pub pitch_over_speed_m_s: f64,
    /// Pitch-over kick from the vertical, degrees; by default the kick that brings the gravity
    /// turn to `--staging-fpa-deg` at upper-stage ignition (`--open-loop`).
    #[arg(long, allow_negative_numbers = true, requires = "open_loop")]
    pub pitch_kick_deg: Option<f64>,
    /// Inertial flight-path angle at upper-stage ignition the default kick aims for, degrees (`--open-loop`).
    #[arg(long, default_value_t = cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, allow_negative_numbers = true, requires = "open_loop")]
    pub staging_fpa_deg: f64,
    /// Duration of the pitch-over kick, s (`--open-loop`).
    #[arg(long, default_value_t = 10.0, allow_negative_numbers = true, requires = "open_loop")]
    pub pitch_kick_duration_s: f64,
    /// Pitch above the horizon at the end of powered flight (linear-tangent upper-stage steering), degrees (`--open-loop`).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true, requires = "open_loop")]
    pub final_pitch_deg: f64,
    /// Keep the gravity turn through the upper stages instead of linear-tangent steering (`--open-loop`).
    #[arg(long, requires = "open_loop")]
    pub gravity_turn_only: bool,
    /// Cut the last stage's main engines off this long after its ignition, s, leaving the
    /// engines its file flags `burns_on` to burn alone (`--open-loop`; the targeted ascent
    /// chooses this time itself).
    #[arg(long, allow_negative_numbers = true, requires = "open_loop")]
    pub main_engine_burn_s: Option<f64>,
    /// Print the flight report as one JSON object instead of the tables (the `events.json` of
    /// `--out`; docs/schema/flight.schema.json).
    #[arg(long)]
    pub json: bool,
    /// Trajectory sampling interval, s (at least 0.01; default 1, or 10 for a mission through a
    /// parking orbit, which lasts hours).
    #[arg(long, allow_negative_numbers = true, value_parser = sample_interval)]
    pub sample_interval_s: Option<f64>,
    /// Output files.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Output flags shared by `fly`, `payload` and `dropzones`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the run's files to this directory: trajectory.csv, events.json, trajectory.oem,
    /// the vacuum impact-point trace (iip.geojson, iip.kml), profile and ground-track plots (PNG,
    /// SVG), report.html, and the command's own files.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// UTC epoch of liftoff for trajectory.oem and the report (default 2026-01-01T00:00:00Z).
    #[arg(long, value_name = "YYYY-MM-DDThh:mm:ssZ")]
    pub launch_utc: Option<String>,
    /// Do not draw the plots (faster; the report then has none).
    #[arg(long)]
    pub no_plots: bool,
    /// Table format: `parquet` adds trajectory.parquet (and impacts.parquet) beside the CSV.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
}

/// Format of the tables written with `--out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// CSV only.
    Csv,
    /// CSV and Parquet.
    Parquet,
}

/// `--sample-interval-s`: a finite interval no finer than the core samples, refused before any
/// work (an interval of 1e-9 s grew without end).
fn sample_interval(text: &str) -> Result<f64, String> {
    let dt: f64 = text.parse().map_err(|e| format!("{e}"))?;
    let min = cosmodrome::flight::simulate::MIN_SAMPLE_INTERVAL_S;
    if dt.is_finite() && dt >= min {
        Ok(dt)
    } else {
        Err(format!("must be a finite interval of at least {min} s"))
    }
}

/// `propellant` arguments.
#[derive(Debug, Args)]
pub struct PropellantArgs {
    /// Oxidizer (LOX, N2O4, H2O2-98, ...; an unknown name lists the known ones).
    #[arg(long)]
    pub oxidizer: String,
    /// Fuel (LH2, RP-1, LCH4, UDMH, MMH, N2H4, A-50, ETHANOL, ...).
    #[arg(long)]
    pub fuel: String,
    /// Oxidizer-to-fuel mass ratio, or a sweep `start:end:step` (e.g. 1.5:3.5:0.05).
    #[arg(long, allow_negative_numbers = true)]
    pub mixture_ratio: String,
    /// Chamber pressure, bar.
    #[arg(long, allow_negative_numbers = true)]
    pub chamber_pressure_bar: f64,
    /// Nozzle exit over throat area.
    #[arg(long, allow_negative_numbers = true, conflicts_with = "pressure_ratio", required_unless_present = "pressure_ratio")]
    pub expansion_ratio: Option<f64>,
    /// Chamber over exit pressure, instead of --expansion-ratio.
    #[arg(long, allow_negative_numbers = true)]
    pub pressure_ratio: Option<f64>,
    /// Composition frozen at the chamber instead of shifting equilibrium.
    #[arg(long, conflicts_with = "frozen_at_throat")]
    pub frozen: bool,
    /// Shifting equilibrium to the throat, composition frozen beyond it.
    #[arg(long)]
    pub frozen_at_throat: bool,
    /// Ambient pressure for the ambient Isp and the flow-separation check, bar (sea level by
    /// default; 0 for vacuum).
    #[arg(long, allow_negative_numbers = true, default_value_t = 1.01325)]
    pub ambient_pressure_bar: f64,
    /// Extra species in NASA thermo.inp format, added to (or replacing) the built-in ones.
    #[arg(long)]
    pub thermo: Option<PathBuf>,
    /// Propellant table (TOML, the format of data/propellants.toml) instead of the built-in one.
    #[arg(long)]
    pub propellants: Option<PathBuf>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// With a mixture-ratio sweep: write sweep.csv and sweep.svg (vacuum Isp and chamber
    /// temperature against O/F) into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// One member of a sweep's axis as typed: a number or a START:END:STEP range.
#[derive(Debug, Clone)]
pub struct AxisValues(pub Vec<f64>);

fn axis_values(text: &str) -> Result<AxisValues, String> {
    cosmodrome::mission::sweep::range_values(text).map(AxisValues)
}

/// Values of a sweep's inclination axis: degrees, or `sso`.
#[derive(Debug, Clone)]
pub struct InclinationValues(pub Vec<SweepInclination>);

fn inclination_values(text: &str) -> Result<InclinationValues, String> {
    if let Some(named) = SweepInclination::named(text) {
        return Ok(InclinationValues(vec![named]));
    }
    cosmodrome::mission::sweep::range_values(text)
        .map(|v| InclinationValues(v.into_iter().map(SweepInclination::Degrees).collect()))
        .map_err(|e| format!("{e} (or `sso` for the sun-synchronous inclination at each altitude)"))
}

/// The values of an axis, in the order typed.
pub fn flatten(axis: &[AxisValues]) -> Vec<f64> {
    axis.iter().flat_map(|a| a.0.iter().copied()).collect()
}
