//! `cosmodrome propellant`: equilibrium combustion and nozzle flow of a propellant pair (the
//! ideal rocket of NASA CEA), at one mixture ratio or over a sweep `start:end:step`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use cosmodrome::propulsion::chemistry::{
    builtin_propellants, builtin_species, find_propellant, parse_propellants, parse_thermo_inp, NozzleExit, Propellant, RocketPerformance,
    RocketProblem, RocketSolver, Species, Station,
};
use serde_json::{json, Value};

use crate::table::Table;

/// Most points of a mixture-ratio sweep.
const MAX_SWEEP_POINTS: usize = 1_000;

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
    #[arg(long)]
    pub frozen: bool,
    /// Ambient pressure for the ambient Isp and the flow-separation check, bar.
    #[arg(long, allow_negative_numbers = true)]
    pub ambient_pressure_bar: Option<f64>,
    /// Extra species in NASA thermo.inp format, added to (or replacing) the built-in ones.
    #[arg(long)]
    pub thermo: Option<PathBuf>,
    /// Propellant table (TOML, the format of data/propellants.toml) instead of the built-in one.
    #[arg(long)]
    pub propellants: Option<PathBuf>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Mixture ratios: one value or an inclusive sweep.
fn mixture_ratios(text: &str) -> Result<Vec<f64>> {
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| -> Result<f64> { s.trim().parse::<f64>().with_context(|| format!("--mixture-ratio: `{s}` is not a number")) };
    match parts.as_slice() {
        [one] => Ok(vec![num(one)?]),
        [a, b, step] => {
            let (a, b, step) = (num(a)?, num(b)?, num(step)?);
            if !(step > 0.0) || !(b >= a) || !a.is_finite() || !b.is_finite() {
                bail!("--mixture-ratio {text}: a sweep is start:end:step with end ≥ start and step > 0");
            }
            let n = ((b - a) / step + 1e-9).floor() as usize + 1;
            if n > MAX_SWEEP_POINTS {
                bail!("--mixture-ratio {text}: {n} points, at most {MAX_SWEEP_POINTS}");
            }
            Ok((0..n).map(|i| a + step * i as f64).collect())
        }
        _ => bail!("--mixture-ratio {text}: give a number or start:end:step"),
    }
}

fn library(args: &PropellantArgs) -> Result<Vec<Species>> {
    let mut lib = builtin_species().to_vec();
    if let Some(path) = &args.thermo {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        for s in parse_thermo_inp(&text, &path.display().to_string())? {
            lib.retain(|old| old.name != s.name);
            lib.push(s);
        }
    }
    Ok(lib)
}

fn propellants(args: &PropellantArgs) -> Result<Vec<Propellant>> {
    match &args.propellants {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(parse_propellants(&text, &path.display().to_string())?)
        }
        None => Ok(builtin_propellants().to_vec()),
    }
}

/// Run the command.
pub fn propellant_command(args: &PropellantArgs) -> Result<()> {
    let ratios = mixture_ratios(&args.mixture_ratio)?;
    let table = propellants(args)?;
    let oxidizer = find_propellant(&table, &args.oxidizer, "--oxidizer")?;
    let fuel = find_propellant(&table, &args.fuel, "--fuel")?;
    let lib = library(args)?;
    let exit = match (args.expansion_ratio, args.pressure_ratio) {
        (Some(e), _) => NozzleExit::AreaRatio(e),
        (None, Some(r)) => NozzleExit::PressureRatio(r),
        (None, None) => bail!("give --expansion-ratio or --pressure-ratio"),
    };
    let mut solver = RocketSolver::new(&lib, oxidizer, fuel)?;
    let mut results = Vec::with_capacity(ratios.len());
    for &mixture_ratio in &ratios {
        let problem = RocketProblem {
            oxidizer,
            fuel,
            mixture_ratio,
            chamber_pressure_bar: args.chamber_pressure_bar,
            exit,
            frozen: args.frozen,
            ambient_pressure_bar: args.ambient_pressure_bar,
        };
        let perf = solver.solve(&problem).with_context(|| format!("{}/{} at O/F {mixture_ratio}", oxidizer.name, fuel.name))?;
        results.push((mixture_ratio, perf));
    }
    if results.len() == 1 {
        let (mr, perf) = &results[0];
        if args.json {
            println!("{}", serde_json::to_string_pretty(&point_json(args, oxidizer, fuel, *mr, perf))?);
        } else {
            print_point(args, oxidizer, fuel, *mr, perf);
        }
        return Ok(());
    }
    let best = results.iter().max_by(|a, b| a.1.isp_vac_m_s.total_cmp(&b.1.isp_vac_m_s)).expect("a sweep has points");
    if args.json {
        let points: Vec<Value> = results.iter().map(|(mr, p)| point_json(args, oxidizer, fuel, *mr, p)).collect();
        println!("{}", serde_json::to_string_pretty(&json!({ "points": points, "optimum_mixture_ratio_isp_vac": best.0 }))?);
        return Ok(());
    }
    let mut t = Table::new(&["O/F", "T chamber K", "c* m/s", "Isp vac s", "Isp amb s", "M g/mol", "γ", "p exit bar"], 0);
    for (mr, p) in &results {
        t.row(vec![
            format!("{mr:.3}"),
            format!("{:.1}", p.chamber.temperature_k),
            format!("{:.1}", p.c_star_m_s),
            format!("{:.2}", p.isp_vac_s()),
            p.isp_amb_s().map_or("-".into(), |v| format!("{v:.2}{}", if p.separation_likely { " (sep.)" } else { "" })),
            format!("{:.3}", p.chamber.molar_mass_g_mol),
            format!("{:.4}", p.chamber.gamma),
            format!("{:.4}", p.exit.pressure_bar),
        ]);
    }
    println!("{} / {}, {} bar, {}, {}", oxidizer.name, fuel.name, args.chamber_pressure_bar, exit_text(args), flow_text(args));
    print!("{}", t.render());
    println!("optimum vacuum Isp {:.2} s at O/F {:.3}", best.1.isp_vac_s(), best.0);
    Ok(())
}

fn exit_text(args: &PropellantArgs) -> String {
    match (args.expansion_ratio, args.pressure_ratio) {
        (Some(e), _) => format!("area ratio {e}"),
        (_, Some(r)) => format!("pressure ratio {r}"),
        _ => String::new(),
    }
}

fn flow_text(args: &PropellantArgs) -> &'static str {
    if args.frozen {
        "frozen at the chamber"
    } else {
        "shifting equilibrium"
    }
}

fn station_json(s: &Station) -> Value {
    json!({
        "temperature_k": s.temperature_k,
        "pressure_bar": s.pressure_bar,
        "molar_mass_g_mol": s.molar_mass_g_mol,
        "gamma": s.gamma,
        "sound_speed_m_s": s.sound_speed_m_s,
        "velocity_m_s": s.velocity_m_s,
        "mach": s.mach,
        "density_kg_m3": s.density_kg_m3,
        "area_ratio": s.area_ratio,
        "mole_fractions": s.mole_fractions.iter().map(|(n, x)| (n.clone(), json!(x))).collect::<serde_json::Map<_, _>>(),
    })
}

fn point_json(args: &PropellantArgs, ox: &Propellant, fu: &Propellant, mr: f64, p: &RocketPerformance) -> Value {
    json!({
        "oxidizer": ox.name,
        "fuel": fu.name,
        "mixture_ratio": mr,
        "chamber_pressure_bar": args.chamber_pressure_bar,
        "expansion_ratio": p.exit.area_ratio,
        "frozen": args.frozen,
        "chamber_temperature_k": p.chamber.temperature_k,
        "c_star_m_s": p.c_star_m_s,
        "thrust_coefficient_vac": p.thrust_coefficient_vac,
        "isp_vac_s": p.isp_vac_s(),
        "isp_vac_m_s": p.isp_vac_m_s,
        "ambient_pressure_bar": args.ambient_pressure_bar,
        "isp_amb_s": p.isp_amb_s(),
        "thrust_coefficient_amb": p.thrust_coefficient_amb,
        "separation_likely": p.separation_likely,
        "gamma_chamber": p.chamber.gamma,
        "molar_mass_chamber_g_mol": p.chamber.molar_mass_g_mol,
        "exit_pressure_bar": p.exit.pressure_bar,
        "exit_temperature_k": p.exit.temperature_k,
        "exit_mach": p.exit.mach,
        "exit_velocity_m_s": p.exit_velocity_m_s,
        "species": p.chamber.mole_fractions.iter().map(|(n, x)| (n.clone(), json!(x))).collect::<serde_json::Map<_, _>>(),
        "chamber": station_json(&p.chamber),
        "throat": station_json(&p.throat),
        "exit": station_json(&p.exit),
    })
}

fn print_point(args: &PropellantArgs, ox: &Propellant, fu: &Propellant, mr: f64, p: &RocketPerformance) {
    println!("{} / {}, O/F {mr}, {} bar, {}, {}", ox.name, fu.name, args.chamber_pressure_bar, exit_text(args), flow_text(args));
    let mut t = Table::new(&["", "chamber", "throat", "exit"], 1);
    type Cell = fn(&Station) -> String;
    let rows: [(&str, Cell); 8] = [
        ("T K", |s| format!("{:.1}", s.temperature_k)),
        ("p bar", |s| format!("{:.4}", s.pressure_bar)),
        ("M g/mol", |s| format!("{:.3}", s.molar_mass_g_mol)),
        ("γ", |s| format!("{:.4}", s.gamma)),
        ("sound speed m/s", |s| format!("{:.1}", s.sound_speed_m_s)),
        ("Mach", |s| format!("{:.3}", s.mach)),
        ("density kg/m³", |s| format!("{:.4}", s.density_kg_m3)),
        ("area ratio", |s| if s.area_ratio == 0.0 { "-".into() } else { format!("{:.3}", s.area_ratio) }),
    ];
    for (label, f) in rows {
        t.row(vec![label.to_owned(), f(&p.chamber), f(&p.throat), f(&p.exit)]);
    }
    print!("{}", t.render());
    println!(
        "c* {:.1} m/s, C_F vac {:.4}, Isp vac {:.2} s ({:.1} m/s)",
        p.c_star_m_s,
        p.thrust_coefficient_vac,
        p.isp_vac_s(),
        p.isp_vac_m_s
    );
    if let (Some(isp), Some(pa)) = (p.isp_amb_s(), args.ambient_pressure_bar) {
        println!("Isp at {pa} bar {isp:.2} s (C_F {:.4})", p.thrust_coefficient_amb.unwrap_or(f64::NAN));
        if p.separation_likely {
            println!(
                "warning: exit pressure {:.4} bar is below 0.4 × ambient (Summerfield criterion): the flow likely separates and the ambient Isp is not reliable",
                p.exit.pressure_bar
            );
        }
    }
    let species: Vec<String> = p.chamber.mole_fractions.iter().map(|(n, x)| format!("{n} {x:.5}")).collect();
    println!("chamber mole fractions: {}", species.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixture_ratio_sweeps_are_inclusive_and_checked() {
        let r = mixture_ratios("1.5:3.5:0.05").unwrap();
        assert_eq!(r.len(), 41);
        assert!((r[40] - 3.5).abs() < 1e-9);
        assert_eq!(mixture_ratios("2.6").unwrap(), vec![2.6]);
        assert!(mixture_ratios("3:1:0.1").is_err());
        assert!(mixture_ratios("1:2:0").is_err());
        assert!(mixture_ratios("x").unwrap_err().to_string().contains("not a number"));
    }
}
