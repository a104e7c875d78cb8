//! The subcommands: flags → validated core objects → run → print and write.

use std::path::Path;

use anyhow::{Context, Result};
use cosmodrome::flight::{fly, FlightOptions, FlightOutcome, FlightResult, FlightSetup, Launch};
use cosmodrome::guidance::{launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch, UpperSteering};
use cosmodrome::propulsion::delta_v_budget;
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, Corridor, Site, SiteCatalog, Vehicle};
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::RunSummary;

use crate::args::{Cli, Command, FlyArgs, TargetArgs};
pub use crate::output::{output_options, write_run_files};
use crate::table::Table;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Vehicles => vehicles(),
        Command::Sites => sites(),
        Command::Info { vehicle, payload_kg } => info(&vehicle, payload_kg),
        Command::Fly(args) => fly_command(&args),
        Command::Payload(args) => crate::payload::payload_command(&args),
        Command::Validate(args) => crate::validate::validate_command(&args),
        Command::Dropzones(args) => crate::dropzones::dropzones_command(&args),
        Command::Propellant(args) => crate::propellant::propellant_command(&args),
    }
}

/// A catalog id, or else a path to a vehicle file. Warnings go to stderr.
pub fn load_vehicle(id_or_path: &str) -> Result<Vehicle> {
    let (vehicle, warnings) = if catalog_ids().contains(&id_or_path) {
        resolve_vehicle(id_or_path)?
    } else if Path::new(id_or_path).is_file() {
        let text = std::fs::read_to_string(id_or_path).with_context(|| format!("cannot read vehicle file {id_or_path}"))?;
        Vehicle::from_toml(&text, id_or_path)?
    } else {
        // Neither: let the catalog produce the error that lists the valid ids.
        resolve_vehicle(id_or_path)?
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(vehicle)
}

fn vehicles() -> Result<()> {
    let mut t = Table::new(&["id", "name", "stages", "liftoff mass t", "description"], 2);
    for id in catalog_ids() {
        let (v, _) = resolve_vehicle(id)?;
        let stages: Vec<String> =
            v.stages.iter().map(|s| if s.units > 1 { format!("{}×{}", s.units, s.name) } else { s.name.clone() }).collect();
        t.row(vec![
            (*id).to_owned(),
            v.name.clone(),
            stages.join(" / "),
            format!("{:.1}", v.liftoff_mass_kg(0.0) / 1e3),
            v.description.clone(),
        ]);
    }
    print!("{}", t.render());
    println!("(liftoff mass without payload; `cosmodrome info ID` for the propulsion budget)");
    Ok(())
}

fn corridor_text(site: &Site) -> String {
    if site.corridors.is_empty() {
        return "unrestricted".to_owned();
    }
    site.corridors
        .iter()
        .map(|c| match c {
            Corridor::Azimuth { min_deg, max_deg } => format!("az {min_deg}–{max_deg}°"),
            Corridor::Inclination { min_deg, max_deg } => format!("i {min_deg}–{max_deg}°"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn sites() -> Result<()> {
    let catalog = SiteCatalog::builtin()?;
    let mut t = Table::new(&["id", "cosmodrome", "name", "lat °N", "lon °E", "alt m", "corridors"], 3);
    for s in &catalog.sites {
        t.row(vec![
            s.id.clone(),
            s.cosmodrome.clone(),
            s.name.clone(),
            format!("{:.4}", s.latitude_deg),
            format!("{:.4}", s.longitude_deg),
            format!("{:.0}", s.altitude_m),
            corridor_text(s),
        ]);
    }
    print!("{}", t.render());
    println!("(`--site COSMODROME` flies from its first pad listed here)");
    Ok(())
}

fn info(id: &str, payload_kg: f64) -> Result<()> {
    if !payload_kg.is_finite() || payload_kg < 0.0 {
        anyhow::bail!("invalid payload: must be a finite mass ≥ 0 kg, got {payload_kg} kg");
    }
    let vehicle = load_vehicle(id)?;
    let budget = delta_v_budget(&vehicle, payload_kg);
    println!("{} — {}", vehicle.name, vehicle.description);
    println!(
        "liftoff mass {:.1} t with {:.0} kg payload; liftoff thrust-to-weight {:.3}\n",
        budget.liftoff_mass_kg / 1e3,
        payload_kg,
        vehicle.liftoff_thrust_to_weight(payload_kg)
    );
    let mut t = Table::new(
        &[
            "stage",
            "units×engines",
            "engine",
            "gross t",
            "propellant t",
            "dry+resid t",
            "Isp sl/vac s",
            "ignition s",
            "burn s",
            "T/W at ign.",
            "ideal Δv m/s",
        ],
        1,
    );
    for (s, b) in vehicle.stages.iter().zip(&budget.stages) {
        let isp_sl = if s.engine.exit_area_m2 > 0.0 { format!("{:.1}", s.engine.isp_sl_s()) } else { "–".to_owned() };
        t.row(vec![
            s.name.clone(),
            format!("{}×{}", s.units, s.engines_per_unit),
            s.engine.id.clone(),
            format!("{:.1}", b.gross_mass_kg / 1e3),
            format!("{:.1}", b.propellant_mass_kg / 1e3),
            format!("{:.1}", b.burnout_mass_kg / 1e3),
            format!("{isp_sl}/{:.1}", s.engine.isp_vac_s),
            fmt_opt(b.ignition_s, 1),
            fmt_opt(b.burn_time_s, 1),
            fmt_opt(b.thrust_to_weight_at_ignition, 2),
            format!("{:.0}", b.ideal_delta_v_m_s),
        ]);
    }
    print!("{}", t.render());
    println!("\nburn phases (vacuum, no gravity, fairing carried to the end):");
    let mut p = Table::new(&["phase", "from s", "to s", "mass from t", "to t", "c m/s", "Δv m/s"], 1);
    for ph in &budget.phases {
        p.row(vec![
            ph.stages.clone(),
            format!("{:.1}", ph.start_s),
            format!("{:.1}", ph.end_s),
            format!("{:.1}", ph.start_mass_kg / 1e3),
            format!("{:.1}", ph.end_mass_kg / 1e3),
            format!("{:.0}", ph.exhaust_velocity_m_s),
            format!("{:.0}", ph.delta_v_m_s),
        ]);
    }
    print!("{}", p.render());
    println!("\ntotal ideal Δv: {:.0} m/s", budget.total_delta_v_m_s);
    Ok(())
}

fn fmt_opt(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        "–".to_owned()
    }
}

/// Site, azimuth and target inclination from the target flags, with the corridor checked.
pub struct Target {
    /// The pad.
    pub site: Site,
    /// The launch.
    pub launch: Launch,
    /// Target inclination when the azimuth came from it.
    pub inclination_deg: Option<f64>,
}

/// Resolve the target flags.
pub fn resolve_target(args: &TargetArgs) -> Result<Target> {
    let catalog = SiteCatalog::builtin()?;
    let site = catalog.get(&args.site)?.clone();
    if !args.perigee_km.is_finite() || args.perigee_km < 0.0 {
        anyhow::bail!("invalid perigee: must be ≥ 0 km, got {} km", args.perigee_km);
    }
    let branch = if args.southbound { Branch::Southbound } else { Branch::Northbound };
    let (azimuth_deg, inclination_deg) = match (args.azimuth_deg, args.inclination_deg) {
        (Some(az), _) => {
            if !az.is_finite() {
                anyhow::bail!("invalid azimuth: {az}");
            }
            let inc = cosmodrome::guidance::inclination_from_azimuth(site.latitude_deg, az, args.perigee_km * 1e3);
            site.check_corridor(az, inc)?;
            (az.rem_euclid(360.0), None)
        }
        (None, inc) => {
            let inc = inc.unwrap_or_else(|| site.default_inclination_deg());
            let az = launch_azimuth(site.latitude_deg, inc, args.perigee_km * 1e3, branch)?;
            site.check_corridor(az.azimuth_deg, inc)?;
            (az.azimuth_deg, Some(inc))
        }
    };
    let launch = Launch::from_site(&site, azimuth_deg);
    Ok(Target { site, launch, inclination_deg })
}

fn fly_command(args: &FlyArgs) -> Result<()> {
    // Output options are checked before the flight, so a bad epoch costs no flight time.
    let options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let target = resolve_target(&args.target)?;
    let parameters = AscentParameters {
        vertical_rise_s: args.vertical_rise_s,
        pitch_over_min_air_speed_m_s: args.pitch_over_speed_m_s,
        pitch_kick_deg: args.pitch_kick_deg.unwrap_or(0.0),
        pitch_kick_duration_s: args.pitch_kick_duration_s,
        steering: if args.gravity_turn_only {
            UpperSteering::GravityTurn
        } else {
            UpperSteering::LinearTangent { final_pitch_deg: args.final_pitch_deg }
        },
    };
    parameters.check()?;
    let flight_options = FlightOptions { sample_interval_s: Some(args.sample_interval_s), ..FlightOptions::default() };
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: args.payload_kg, launch: target.launch, options: flight_options };
    setup.check()?;
    let parameters = match args.pitch_kick_deg {
        Some(_) => parameters,
        None => tune_pitch_kick(&setup, parameters, args.staging_fpa_deg)?,
    };
    let mut guidance = AscentProgram::new(parameters, &vehicle, &target.launch);
    let result = fly(&setup, &mut guidance)?;

    println!(
        "{} from {} ({}), payload {:.0} kg, azimuth {:.2}°{}",
        vehicle.name,
        target.site.id,
        target.site.name,
        args.payload_kg,
        target.launch.azimuth_deg,
        target.inclination_deg.map_or(String::new(), |i| format!(" for inclination {i}°"))
    );
    let ascent = format!(
        "ascent: vertical rise {:.1} s, pitch kick {:.4}° over {:.1} s{}, then gravity turn; {}",
        parameters.vertical_rise_s,
        parameters.pitch_kick_deg,
        parameters.pitch_kick_duration_s,
        if args.pitch_kick_deg.is_none() { format!(" (for {:.1}° at staging)", args.staging_fpa_deg) } else { String::new() },
        match parameters.steering {
            UpperSteering::GravityTurn => "gravity turn through the upper stages".to_owned(),
            UpperSteering::LinearTangent { final_pitch_deg } => format!("linear-tangent upper-stage steering to {final_pitch_deg:.1}°"),
            UpperSteering::Targeted(law) => format!("targeted steering from {:.2}° pitch, yaw {:.3}°", law.pitch_deg, law.yaw_deg),
        }
    );
    println!("{ascent}");
    print!("{}", event_table(&result));
    print_final(&result);
    if let Some(dir) = &args.output.out {
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &vehicle,
                vehicle_id: &args.vehicle,
                site_id: &target.site.id,
                launch: target.launch,
                inclination_deg: target.inclination_deg,
                payload_kg: args.payload_kg,
            },
            site_name: &target.site.name,
            notes: vec![ascent],
        };
        write_run_files(dir, &summary, &result, &options)?;
    }
    Ok(())
}

/// The event table of a flight.
pub fn event_table(result: &FlightResult) -> String {
    let mut t = Table::new(&["event", "t s", "alt km", "speed m/s", "q kPa", "mass t", "accel g"], 1);
    for e in &result.events {
        let p = &e.point;
        t.row(vec![
            e.description.clone(),
            format!("{:.3}", p.time_s),
            format!("{:.2}", p.altitude_m / 1e3),
            format!("{:.1}", p.speed_m_s),
            format!("{:.2}", p.dynamic_pressure_pa / 1e3),
            format!("{:.2}", p.mass_kg / 1e3),
            format!("{:.2}", p.axial_accel_g),
        ]);
    }
    t.render()
}

fn print_final(result: &FlightResult) {
    let p = &result.final_point;
    println!(
        "final: t {:.1} s, altitude {:.2} km, speed {:.1} m/s (inertial), flight-path angle {:.3}°, mass {:.1} kg",
        p.time_s,
        p.altitude_m / 1e3,
        p.speed_m_s,
        p.flight_path_angle_deg,
        p.mass_kg
    );
    match result.outcome {
        FlightOutcome::Orbit => {
            let o = &result.final_orbit;
            println!(
                "in orbit: perigee {:.2} km, apogee {:.2} km, inclination {:.3}° (altitudes above the equatorial radius)",
                o.perigee_altitude_m() / 1e3,
                o.apogee_altitude_m() / 1e3,
                o.inclination_rad.to_degrees()
            );
        }
        FlightOutcome::Impact => println!("not in orbit: impact at {:.4}° N, {:.4}° E", p.latitude_deg, p.longitude_deg),
        FlightOutcome::TimeLimit => println!("not in orbit: flight stopped at the time limit"),
    }
    println!("max q {:.2} kPa, max axial acceleration {:.2} g", result.max_dynamic_pressure_pa / 1e3, result.max_axial_accel_g);
}
