//! The subcommands: flags → validated core objects → a mission of the core → its report
//! printed and written.

use anyhow::Result;
use cosmodrome::flight::{Ending, FlightOptions, FlightResult};
use cosmodrome::guidance::{AscentParameters, Branch, UpperSteering};
use cosmodrome::mission::flight::ascent_end_text;
use cosmodrome::mission::fly::{Heading, Steering};
use cosmodrome::mission::{self, FlyRequest, MarginsReport};
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, Corridor, Site, SiteCatalog};
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::{Cli, Command, FlyArgs, OrbitArgs};
use crate::output::{output_options, write_run_files};
use crate::present::event_table;
use crate::resolve::{load_vehicle, resolve_orbit, resolve_site, targeted_ascent_error, Progress};
use crate::table::Table;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Vehicles => vehicles(),
        Command::Sites => sites(),
        Command::Info { vehicle, payload_kg, json } => info(&vehicle, payload_kg, json),
        Command::Fly(args) => fly_command(&args),
        Command::Payload(args) => crate::payload::payload_command(&args),
        Command::Validate(args) => crate::validate::validate_command(&args),
        Command::Dropzones(args) => crate::dropzones::dropzones_command(&args),
        Command::Propellant(args) => crate::propellant::propellant_command(&args),
        Command::Serve { host, port } => Ok(cosmodrome_server::serve(&host, port)?),
        Command::Sweep(args) => crate::sweep::sweep_command(&args),
    }
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
    let mut t = Table::new(&["id", "cosmodrome", "name", "families", "lat °N", "lon °E", "alt m", "corridors"], 4);
    for s in &catalog.sites {
        t.row(vec![
            s.id.clone(),
            s.cosmodrome.clone(),
            s.name.clone(),
            if s.families.is_empty() { "–".to_owned() } else { s.families.join(", ") },
            format!("{:.4}", s.latitude_deg),
            format!("{:.4}", s.longitude_deg),
            format!("{:.0}", s.altitude_m),
            corridor_text(s),
        ]);
    }
    print!("{}", t.render());
    println!("(`--site COSMODROME` flies from its first pad listed here that serves the vehicle's family, else from its first pad)");
    Ok(())
}

fn info(id: &str, payload_kg: f64, json: bool) -> Result<()> {
    if !payload_kg.is_finite() || payload_kg < 0.0 {
        anyhow::bail!("invalid payload: must be a finite mass ≥ 0 kg, got {payload_kg} kg");
    }
    let vehicle = load_vehicle(id)?;
    let r = mission::info(&vehicle, payload_kg)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    println!("{} — {}", r.vehicle, r.description);
    println!(
        "liftoff mass {:.1} t with {:.0} kg payload; liftoff thrust-to-weight {:.3}\n",
        r.liftoff_mass_kg / 1e3,
        r.payload_kg,
        r.liftoff_thrust_to_weight
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
    for s in &r.stages {
        let isp_sl = s.isp_sl_s.map_or_else(|| "–".to_owned(), |i| format!("{i:.1}"));
        t.row(vec![
            s.name.clone(),
            format!("{}×{}", s.units, s.engines_per_unit),
            s.engine.clone(),
            format!("{:.1}", s.gross_mass_kg / 1e3),
            format!("{:.1}", s.propellant_mass_kg / 1e3),
            format!("{:.1}", s.burnout_mass_kg / 1e3),
            format!("{isp_sl}/{:.1}", s.isp_vac_s),
            fmt_opt(s.ignition_s, 1),
            fmt_opt(s.burn_time_s, 1),
            fmt_opt(s.thrust_to_weight_at_ignition, 2),
            format!("{:.0}", s.ideal_delta_v_m_s),
        ]);
    }
    print!("{}", t.render());
    for s in &r.stages {
        if let Some(m) = &s.motor {
            println!(
                "solid motor {} ({}, {}): total impulse {:.1} MN·s, burn time {:.1} s (action {:.1} s), average thrust {:.0} kN, peak {:.0} kN (vacuum, per motor); Isp {:.1} s delivered, {:.1} s rated",
                m.id,
                s.name,
                m.propellant,
                m.total_impulse_vac_n_s / 1e6,
                m.burn_time_s,
                m.action_time_s,
                m.average_thrust_vac_n / 1e3,
                m.max_thrust_vac_n / 1e3,
                m.delivered_isp_vac_s,
                m.rated_isp_vac_s
            );
        }
        if let Some(c) = &s.chemistry {
            println!(
                "engine {} ({}) from chemistry: ideal Isp {:.1} s vacuum, {:.1} s sea level, c* {:.0} m/s; efficiencies c* {:.3}, C_F {:.3} give {:.1} s vacuum (flown: {:.1} s)",
                s.engine,
                s.name,
                c.ideal_isp_vac_s,
                c.ideal_isp_sl_s,
                c.ideal_c_star_m_s,
                c.c_star_efficiency,
                c.thrust_coefficient_efficiency,
                c.delivered_isp_vac_s,
                s.isp_vac_s
            );
        }
    }
    println!("\nburn phases (vacuum, no gravity, fairing carried to the end):");
    let mut p = Table::new(&["phase", "from s", "to s", "mass from t", "to t", "c m/s", "Δv m/s"], 1);
    for ph in &r.phases {
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
    println!("\ntotal ideal Δv: {:.0} m/s", r.total_delta_v_m_s);
    print_margins(&r.margins);
    Ok(())
}

/// The mass items a published payload leaves out and the defaults of the format in force.
fn print_margins(m: &MarginsReport) {
    println!(
        "\nmargins: flight performance reserve {} of the last stage's usable propellant ({:.0} kg kept unburned); payload adapter {:.0} kg (not payload)",
        m.flight_performance_reserve, m.flight_performance_reserve_kg, m.payload_adapter_mass_kg
    );
    for r in m.residuals.iter().filter(|r| r.startup_propellant_kg > 0.0) {
        println!("start-up propellant of {}: {:.0} kg burned before rated thrust", r.stage, r.startup_propellant_kg);
    }
    for j in &m.jettison {
        println!("jettison: {} {:.0} kg {}", j.name, j.mass_kg, j.when);
    }
    if m.defaults_used.is_empty() {
        println!("defaults used: none (the file states every margin)");
    } else {
        println!("defaults used (the file is silent on these keys):");
        let mut t = Table::new(&["key", "value", "rule"], 3);
        for d in &m.defaults_used {
            t.row(vec![d.key.clone(), format!("{}", d.value), d.rule.clone()]);
        }
        print!("{}", t.render());
    }
}

fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

fn fly_command(args: &FlyArgs) -> Result<()> {
    if let Some(name) = &args.orbit_name {
        return crate::fly_orbit::fly_orbit_command(args, name);
    }
    // Output options are checked before the flight, so a bad epoch costs no flight time.
    let options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let payload_kg = args.payload_kg.ok_or_else(|| anyhow::anyhow!("--payload-kg is required without --orbit"))?;
    fly_given(args, options, &vehicle, payload_kg, None)
}

/// Fly `payload_kg` as the flags say, or into `targeted` (pad, orbit, branch) when a named orbit
/// resolved to a direct ascent.
pub(crate) fn fly_given(
    args: &FlyArgs,
    options: OutputOptions,
    vehicle: &cosmodrome::vehicle::Vehicle,
    payload_kg: f64,
    targeted: Option<(Site, cosmodrome::optimize::payload::TargetOrbit, Branch)>,
) -> Result<()> {
    let t = &args.target;
    let perigee_km = t.perigee_km.unwrap_or(crate::resolve::DEFAULT_PERIGEE_KM);
    let branch = if t.southbound { Branch::Southbound } else { Branch::Northbound };
    let (site, site_note, steering) = if let Some((site, target, branch)) = targeted {
        (site, None, Steering::Targeted { target, branch })
    } else if args.open_loop {
        let (site, note) = resolve_site(&t.site, vehicle)?;
        let heading = match (t.azimuth_deg, t.inclination_deg) {
            (Some(az), _) => Heading::Azimuth(az),
            (None, inclination_deg) => Heading::Inclination { inclination_deg, branch },
        };
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
        let kick_for_staging_fpa_deg = args.pitch_kick_deg.is_none().then_some(args.staging_fpa_deg);
        (site, note, Steering::OpenLoop { heading, perigee_m: perigee_km * 1e3, parameters, kick_for_staging_fpa_deg })
    } else {
        let orbit_args = OrbitArgs {
            site: t.site.clone(),
            perigee_km: Some(perigee_km),
            apogee_km: args.apogee_km,
            inclination_deg: t.inclination_deg,
            southbound: t.southbound,
            drop_zones: None,
        };
        let (site, target, branch) = resolve_orbit(&orbit_args, vehicle)?;
        (site, None, Steering::Targeted { target, branch })
    };
    let request = FlyRequest {
        vehicle,
        vehicle_id: &args.vehicle,
        site: &site,
        payload_kg,
        steering,
        options: FlightOptions { sample_interval_s: Some(args.sample_interval_s.unwrap_or(1.0)), ..FlightOptions::default() },
    };
    let mut progress = Progress::new(if args.open_loop { "tuning the pitch-over kick" } else { "targeting the ascent" });
    let mission = mission::fly(&request, |n| progress.tick(n));
    progress.finish();
    let m = match (mission, steering) {
        (Ok(m), _) => m,
        (Err(e), Steering::Targeted { target, branch }) => {
            return Err(targeted_ascent_error(e, vehicle, &args.vehicle, (&site, &target, branch), payload_kg))
        }
        (Err(e), Steering::OpenLoop { .. }) => return Err(e.into()),
    };
    let p = &m.parameters;
    let (headline, ascent_text) = match (steering, m.targeting) {
        (Steering::Targeted { target, .. }, Some((propellant_margin_kg, flights))) => {
            let steering = match p.steering {
                UpperSteering::Targeted(law) => format!(
                    "; from the first separation linear-tangent pitch {:.2}° with tan-rate {:.3e}/s",
                    law.pitch_deg, law.tan_pitch_rate_per_s
                ),
                _ => String::new(),
            };
            (
                format!("{} from {} ({}), payload {:.0} kg, to {} (targeted ascent)", vehicle.name, site.id, site.name, payload_kg, target.describe()),
                format!(
                    "ascent: azimuth {:.3}°, vertical rise {:.1} s (pitch-over at ≥ {:.0} m/s), kick {:.4}° over {:.1} s, gravity turn{steering}; engine cutoff at the orbit's energy with {:.0} kg of usable propellant to spare ({} flights)",
                    m.launch.azimuth_deg,
                    p.vertical_rise_s,
                    p.pitch_over_min_air_speed_m_s,
                    p.pitch_kick_deg,
                    p.pitch_kick_duration_s,
                    propellant_margin_kg,
                    flights,
                ),
            )
        }
        _ => (
            format!(
                "{} from {} ({}), payload {:.0} kg, azimuth {:.2}°{} (open loop)",
                vehicle.name,
                site.id,
                site.name,
                payload_kg,
                m.launch.azimuth_deg,
                m.inclination_deg.map_or(String::new(), |i| format!(" for inclination {i}°"))
            ),
            format!(
                "open-loop ascent: vertical rise {:.1} s, pitch kick {:.4}° over {:.1} s{}, then gravity turn; {}",
                p.vertical_rise_s,
                p.pitch_kick_deg,
                p.pitch_kick_duration_s,
                if args.pitch_kick_deg.is_none() { format!(" (for {:.1}° at staging)", args.staging_fpa_deg) } else { String::new() },
                match p.steering {
                    UpperSteering::GravityTurn => "gravity turn through the upper stages".to_owned(),
                    UpperSteering::LinearTangent { final_pitch_deg } =>
                        format!("linear-tangent upper-stage steering to {final_pitch_deg:.1}°"),
                    UpperSteering::Targeted(law) => format!("targeted steering from {:.2}° pitch, yaw {:.3}°", law.pitch_deg, law.yaw_deg),
                }
            ),
        ),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&m.report)?);
    } else {
        println!("{headline}");
        println!("{ascent_text}");
        print!("{}", event_table(&m.flight));
        print_final(&m.flight);
        if args.open_loop && !matches!(m.flight.ending(), Ending::Orbit { .. }) {
            println!("(the open-loop program does not target an orbit; without --open-loop, fly steers to one)");
        }
    }
    if let Some(dir) = &args.output.out {
        let notes = match steering {
            Steering::Targeted { target, .. } => vec![format!("targeted ascent to {}", target.describe()), ascent_text],
            Steering::OpenLoop { .. } => site_note.into_iter().chain([ascent_text]).collect(),
        };
        let summary = RunSummary { info: m.run_info(&request), site_name: &site.name, notes };
        write_run_files(dir, &summary, &m.flight, &OutputOptions { impacts: m.impacts.clone(), ..options })?;
    }
    Ok(())
}

pub(crate) fn print_final(result: &FlightResult) {
    let p = &result.final_point;
    println!(
        "final: t {:.1} s, altitude {:.2} km, speed {:.1} m/s (inertial), flight-path angle {:.3}°, mass {:.1} kg",
        p.time_s,
        p.altitude_m / 1e3,
        p.speed_m_s,
        p.flight_path_angle_deg,
        p.mass_kg
    );
    println!("outcome: {}", result.ending().describe());
    println!(
        "max q {:.2} kPa ({}), max axial acceleration {:.2} g",
        result.max_dynamic_pressure_pa / 1e3,
        ascent_end_text(&result.ascent_end()),
        result.max_axial_accel_g
    );
    if let Some(q) = result.reentry_max_dynamic_pressure_pa {
        println!("peak dynamic pressure of the fall back: {:.2} kPa (not the ascent's max q)", q / 1e3);
    }
    print!("{}", cosmodrome_io::budget_report::loss_budget_text(&result.loss_budget));
}
