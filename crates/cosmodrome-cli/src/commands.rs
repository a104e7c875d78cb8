//! The subcommands: flags → validated core objects → a mission of the core → its report
//! printed and written.

use anyhow::Result;
use cosmodrome::mission::{self, MarginsReport};
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, Corridor, Site, SiteCatalog};

use crate::args::{Cli, Command};
use crate::resolve::load_vehicle;
use crate::table::Table;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Vehicles => vehicles(),
        Command::Sites => sites(),
        Command::Info { vehicle, payload_kg, json } => info(&vehicle, payload_kg, json),
        Command::Fly(args) => match args.named.orbit_name.as_deref() {
            Some(name) => crate::fly_orbit::fly_orbit_command(&args, name),
            None => crate::fly::fly_command(&args),
        },
        Command::Payload(args) => crate::payload::payload_command(&args),
        Command::Validate(args) => crate::validate::validate_command(&args),
        Command::Dropzones(args) => crate::dropzones::dropzones_command(&args),
        Command::Propellant(args) => crate::propellant::propellant_command(&args),
        Command::Serve { host, port } => Ok(cosmodrome_server::serve(&host, port)?),
        Command::Sweep(args) => crate::sweep::sweep_command(&args),
    }
}

fn vehicles() -> Result<()> {
    let mut t = Table::new(&["id", "name", "liftoff mass t", "stages", "description"], 2).left_aligned(&[3, 4]);
    for id in catalog_ids() {
        let (v, _) = resolve_vehicle(id)?;
        let stages: Vec<String> =
            v.stages.iter().map(|s| if s.units > 1 { format!("{}×{}", s.units, s.name) } else { s.name.clone() }).collect();
        t.row(vec![
            (*id).to_owned(),
            v.name.clone(),
            format!("{:.1}", v.liftoff_mass_kg(0.0) / 1e3),
            stages.join(" / "),
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
    let mut t = Table::new(&["id", "cosmodrome", "name", "families", "lat °N", "lon °E", "alt m", "corridors"], 4).left_aligned(&[7]);
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
    cosmodrome::flight::check_payload_kg(payload_kg)?;
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
    if let Some(limit) = &r.liftoff_limit {
        let payload = match vehicle.liftoff_limited_payload_kg() {
            Some(kg) if kg < 0.0 => "no payload keeps it".to_owned(),
            _ => format!("payload at most {} kg", cosmodrome::units::kg_text(limit.max_payload_kg)),
        };
        println!(
            "liftoff limit: thrust-to-weight at least {} (`limits.min_liftoff_thrust_to_weight`): {payload}\n",
            limit.min_thrust_to_weight
        );
    }
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
    for s in r.stages.iter().filter(|s| s.max_burns > 1) {
        println!("restartable: {} is rated for {} burns in all, the first included", s.name, s.max_burns);
    }
    for s in r.stages.iter().filter(|s| s.engines.len() > 1) {
        // A stage of several engine types: each engine, then what they make together.
        let isp = |sl: Option<f64>, vac: f64| format!("{}/{vac:.1} s", sl.map_or_else(|| "–".to_owned(), |i| format!("{i:.1}")));
        let listed: Vec<String> = s
            .engines
            .iter()
            .map(|e| {
                format!("{} × {} ({:.1} kN vacuum, Isp {})", e.count_per_unit, e.id, e.thrust_vac_n / 1e3, isp(e.isp_sl_s, e.isp_vac_s))
            })
            .collect();
        let units = if s.units > 1 { format!(" × {} units", s.units) } else { String::new() };
        println!(
            "engines of {} burning together (per unit): {}; stage{units}: {:.1} kN vacuum, {} sea level, Isp {}",
            s.name,
            listed.join(" + "),
            s.thrust_vac_n / 1e3,
            s.thrust_sl_n.map_or_else(|| "–".to_owned(), |t| format!("{:.1} kN", t / 1e3)),
            isp(s.isp_sl_s, s.isp_vac_s)
        );
        let tail: Vec<_> = s.engines.iter().filter(|e| e.burns_on).collect();
        if !tail.is_empty() {
            let thrust_vac_n: f64 = tail.iter().map(|e| f64::from(e.count_per_unit) * e.thrust_vac_n).sum();
            let flow: f64 = tail.iter().map(|e| f64::from(e.count_per_unit) * e.thrust_vac_n / e.isp_vac_s).sum();
            let ids: Vec<String> = tail.iter().map(|e| format!("{} × {}", e.count_per_unit, e.id)).collect();
            println!(
                "after the main engines of {} are cut off (when the ascent chooses), {} burn on alone (per unit): {:.1} kN vacuum, Isp –/{:.1} s",
                s.name,
                ids.join(" + "),
                thrust_vac_n / 1e3,
                thrust_vac_n / flow
            );
        }
        for (e, c) in s.engines.iter().filter_map(|e| e.chemistry.as_ref().map(|c| (e, c))) {
            print_chemistry(&e.id, &s.name, c, e.isp_vac_s);
        }
    }
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
            print_chemistry(&s.engine, &s.name, c, s.isp_vac_s);
        }
    }
    if let Some(coast) = &r.chosen_coast {
        println!(
            "coast before {}: chosen by the ascent in {:.1}–{:.1} s (`ignition_delay_s`–`ignition_delay_max_s`); the tables give the shortest",
            coast.stage, coast.min_s, coast.max_s
        );
    }
    // What the budget does with the fairing: a jettison time is kept, a jettison by altitude or
    // heat flux depends on the trajectory, so the fairing rides to the end.
    let fairing = match vehicle.fairing.map(|f| f.jettison) {
        Some(cosmodrome::vehicle::FairingJettison::Time(t)) => format!("; the fairing dropped at {t:.1} s"),
        Some(_) => "; the fairing, jettisoned by altitude or heat flux, carried to the end".to_owned(),
        None => String::new(),
    };
    println!("\nburn phases (vacuum, no gravity{fairing}):");
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
            t.row(vec![d.key.clone(), cosmodrome_io::significant(d.value, 6), d.rule.clone()]);
        }
        print!("{}", t.render());
    }
}

fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

/// One engine's ideal performance from its propellant chemistry beside the Isp it flies.
fn print_chemistry(engine: &str, stage: &str, c: &mission::info::EngineChemistryReport, flown_isp_vac_s: f64) {
    println!(
        "engine {engine} ({stage}) from chemistry: ideal Isp {:.1} s vacuum, {}, c* {:.0} m/s; efficiencies c* {:.3}, C_F {:.3} give {:.1} s vacuum (flown: {flown_isp_vac_s:.1} s)",
        c.ideal_isp_vac_s,
        // A vacuum nozzle has no sea-level figure (see `EngineChemistry::ideal_isp_sl_s`).
        c.ideal_isp_sl_s.map_or_else(|| "none at sea level (a vacuum nozzle)".to_owned(), |v| format!("{v:.1} s sea level")),
        c.ideal_c_star_m_s,
        c.c_star_efficiency,
        c.thrust_coefficient_efficiency,
        c.delivered_isp_vac_s,
    );
}
