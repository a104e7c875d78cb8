//! `cosmodrome propellant`: equilibrium combustion and nozzle flow of a propellant pair (the
//! ideal rocket of NASA CEA), at one mixture ratio or over a sweep `start:end:step`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use cosmodrome::mission::propellant::StationReport;
use cosmodrome::mission::{self, PropellantPoint, PropellantRequest};
use cosmodrome::propulsion::chemistry::{
    builtin_propellants, builtin_species, parse_propellants, parse_thermo_inp, Flow, NozzleExit, Propellant, Species,
};

use cosmodrome_io::write_set;

use crate::args::PropellantArgs;
use crate::table::Table;

/// Mixture ratios: one value or an inclusive sweep (the core's parser, naming the flag).
fn mixture_ratios(text: &str) -> Result<Vec<f64>> {
    match mission::propellant::mixture_ratios(text) {
        Ok((ratios, _)) => Ok(ratios),
        Err(cosmodrome::Error::InvalidInput { message, .. }) => {
            Err(crate::failure::invalid_input(format!("invalid --mixture-ratio {text}: {message}")))
        }
        Err(e) => Err(e.into()),
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
    print!("{}", propellant_report(args)?);
    Ok(())
}

/// Everything the command prints (and, with `--out`, the sweep files written).
pub fn propellant_report(args: &PropellantArgs) -> Result<String> {
    let mut out = String::new();
    if let Some(dir) = &args.out {
        cosmodrome_io::check_out_dir(dir)?;
    }
    let ratios = mixture_ratios(&args.mixture_ratio)?;
    let table = propellants(args)?;
    let lib = library(args)?;
    let exit = match (args.expansion_ratio, args.pressure_ratio) {
        (Some(e), _) => NozzleExit::AreaRatio(e),
        (None, Some(r)) => NozzleExit::PressureRatio(r),
        (None, None) => return Err(crate::failure::usage("give --expansion-ratio or --pressure-ratio")),
    };
    let request = PropellantRequest {
        species: &lib,
        propellants: &table,
        oxidizer: &args.oxidizer,
        fuel: &args.fuel,
        mixture_ratios: &ratios,
        chamber_pressure_bar: args.chamber_pressure_bar,
        exit,
        flow: flow(args),
        ambient_pressure_bar: args.ambient_pressure_bar,
    };
    if ratios.len() == 1 {
        let report = mission::propellant(&request)?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            print_point(&mut out, args, &report.point)?;
        }
        return Ok(out);
    }
    let sweep = mission::propellant_sweep(&request)?;
    if let Some(dir) = &args.out {
        write_sweep(dir, args, &sweep.points)?;
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&sweep)?)?;
        return Ok(out);
    }
    // A point whose chemistry failed is a row with its reason, in order of mixture ratio, under
    // a status column that only a sweep with such points has.
    let with_status = !sweep.failed.is_empty();
    let mut header = vec!["O/F", "T chamber K", "c* m/s", "Isp vac s", "Isp amb s", "M g/mol", "γ", "p exit bar"];
    if with_status {
        header.push("status");
    }
    let mut t = Table::new(&header, 0).left_aligned(&[8]);
    let mut rows: Vec<(f64, Vec<String>)> = sweep
        .points
        .iter()
        .map(|p| {
            let mut row = vec![
                format!("{:.3}", p.mixture_ratio),
                format!("{:.1}", p.chamber_temperature_k),
                format!("{:.1}", p.c_star_m_s),
                format!("{:.2}", p.isp_vac_s),
                p.isp_amb_s.map_or("-".into(), |v| format!("{v:.2}{}", if p.separation_likely { " (sep.)" } else { "" })),
                format!("{:.3}", p.molar_mass_chamber_g_mol),
                format!("{:.4}", p.gamma_chamber),
                format!("{:.4}", p.exit_pressure_bar),
            ];
            if with_status {
                row.push("ok".to_owned());
            }
            (p.mixture_ratio, row)
        })
        .collect();
    for f in &sweep.failed {
        let mut row = vec![format!("{:.3}", f.mixture_ratio)];
        row.extend(std::iter::repeat_n("-".to_owned(), 7));
        row.push(format!("failed: {}", f.reason));
        rows.push((f.mixture_ratio, row));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, row) in rows {
        t.row(row);
    }
    let first = &sweep.points[0];
    writeln!(out, "{} / {}, {} bar, {}, {}", first.oxidizer, first.fuel, args.chamber_pressure_bar, exit_text(args), first.flow)?;
    write!(out, "{}", t.render())?;
    let best = sweep.points.iter().find(|p| p.mixture_ratio == sweep.best_point_mixture_ratio).unwrap_or(first);
    if with_status {
        writeln!(
            out,
            "{} of {} points did not converge (status column); the optimum is that of the {} that did",
            sweep.failed.len(),
            sweep.failed.len() + sweep.points.len(),
            sweep.points.len()
        )?;
    }
    writeln!(out, "best point: vacuum Isp {:.2} s at O/F {:.3}", best.isp_vac_s, best.mixture_ratio)?;
    if sweep.optimum_inside_sweep {
        writeln!(
            out,
            "optimum vacuum Isp {:.2} s at O/F {:.3} (parabola through the best point and its neighbours)",
            sweep.optimum_isp_vac_s, sweep.optimum_mixture_ratio_isp_vac
        )?;
    } else {
        writeln!(out, "the best vacuum Isp is at the end of the sweep: the optimum lies outside it")?;
    }
    if let Some(dir) = &args.out {
        writeln!(out, "wrote {} and {}", dir.join("sweep.csv").display(), dir.join("sweep.svg").display())?;
    }
    Ok(out)
}

/// The sweep's `sweep.csv` and `sweep.svg` in `dir`, written as one set with `run.json`.
fn write_sweep(dir: &Path, args: &PropellantArgs, points: &[PropellantPoint]) -> Result<()> {
    let mut csv = String::from("mixture_ratio,chamber_temperature_k,c_star_m_s,isp_vac_s,isp_amb_s,molar_mass_chamber_g_mol,gamma_chamber,exit_pressure_bar,separation_likely\n");
    for p in points {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            p.mixture_ratio,
            p.chamber_temperature_k,
            p.c_star_m_s,
            p.isp_vac_s,
            p.isp_amb_s.map_or(String::new(), |v| v.to_string()),
            p.molar_mass_chamber_g_mol,
            p.gamma_chamber,
            p.exit_pressure_bar,
            p.separation_likely
        ));
    }
    let first = &points[0];
    let title = format!("{} / {}, {} bar, {}, {}", first.oxidizer, first.fuel, args.chamber_pressure_bar, exit_text(args), first.flow);
    let x: Vec<f64> = points.iter().map(|p| p.mixture_ratio).collect();
    let isp: Vec<f64> = points.iter().map(|p| p.isp_vac_s).collect();
    let temp: Vec<f64> = points.iter().map(|p| p.chamber_temperature_k).collect();
    let svg = sweep_svg(&title, &x, &[("vacuum Isp, s", &isp), ("chamber temperature, K", &temp)]);
    let record = serde_json::Value::Object(crate::output::command_record());
    write_set(dir, &[("sweep.csv", csv.into_bytes()), ("sweep.svg", svg.into_bytes())], &record)?;
    Ok(())
}

/// A plain SVG of panels stacked vertically, one series each, sharing the O/F axis.
fn sweep_svg(title: &str, x: &[f64], panels: &[(&str, &[f64])]) -> String {
    let (width, panel_h, left, top, gap) = (720.0, 260.0, 80.0, 40.0, 50.0);
    let plot_w = width - left - 30.0;
    let height = top + panels.len() as f64 * (panel_h + gap);
    let (x_min, x_max) = (x[0], x[x.len() - 1]);
    let sx = |v: f64| left + (v - x_min) / (x_max - x_min).max(1e-12) * plot_w;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{left}\" y=\"24\" font-size=\"14\">{}</text>\n",
        title.replace('&', "&amp;").replace('<', "&lt;")
    );
    for (k, (label, y)) in panels.iter().enumerate() {
        let y0 = top + k as f64 * (panel_h + gap);
        let lo = y.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.05).max(1e-9);
        let (lo, hi) = (lo - pad, hi + pad);
        let sy = |v: f64| y0 + panel_h - (v - lo) / (hi - lo) * panel_h;
        svg.push_str(&format!("<rect x=\"{left}\" y=\"{y0}\" width=\"{plot_w}\" height=\"{panel_h}\" fill=\"none\" stroke=\"black\"/>\n"));
        svg.push_str(&format!("<text x=\"{}\" y=\"{}\">{label}</text>\n", left + 6.0, y0 + 16.0));
        for t in 0..=4 {
            let v = lo + (hi - lo) * t as f64 / 4.0;
            svg.push_str(&format!("<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.1}</text>\n", left - 6.0, sy(v) + 4.0));
        }
        for t in 0..=5 {
            let v = x_min + (x_max - x_min) * t as f64 / 5.0;
            svg.push_str(&format!("<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{v:.2}</text>\n", sx(v), y0 + panel_h + 16.0));
        }
        let points: Vec<String> = x.iter().zip(y.iter()).map(|(a, b)| format!("{:.1},{:.1}", sx(*a), sy(*b))).collect();
        svg.push_str(&format!("<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{}\"/>\n", points.join(" ")));
    }
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">mixture ratio O/F</text>\n</svg>\n",
        left + plot_w / 2.0,
        height - 8.0
    ));
    svg
}

fn exit_text(args: &PropellantArgs) -> String {
    match (args.expansion_ratio, args.pressure_ratio) {
        (Some(e), _) => format!("area ratio {e}"),
        (_, Some(r)) => format!("pressure ratio {r}"),
        _ => String::new(),
    }
}

fn flow(args: &PropellantArgs) -> Flow {
    match (args.frozen, args.frozen_at_throat) {
        (true, _) => Flow::FrozenAtChamber,
        (_, true) => Flow::FrozenAtThroat,
        _ => Flow::Shifting,
    }
}

fn print_point(out: &mut String, args: &PropellantArgs, p: &PropellantPoint) -> Result<()> {
    writeln!(out, "{} / {}, O/F {}, {} bar, {}, {}", p.oxidizer, p.fuel, p.mixture_ratio, p.chamber_pressure_bar, exit_text(args), p.flow)?;
    let mut t = Table::new(&["", "chamber", "throat", "exit"], 1);
    type Cell = fn(&StationReport) -> String;
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
    write!(out, "{}", t.render())?;
    writeln!(
        out,
        "c* {:.1} m/s, C_F vac {:.4}, Isp vac {:.2} s ({:.1} m/s)",
        p.c_star_m_s, p.thrust_coefficient_vac, p.isp_vac_s, p.isp_vac_m_s
    )?;
    if let (Some(isp), Some(cf)) = (p.isp_amb_s, p.thrust_coefficient_amb) {
        writeln!(out, "Isp at {} bar {isp:.2} s (C_F {cf:.4})", p.ambient_pressure_bar)?;
        if p.separation_likely {
            writeln!(out,
                "warning: exit pressure {:.4} bar is below 0.4 × ambient (Summerfield criterion): the flow likely separates and the ambient Isp is not reliable",
                p.exit_pressure_bar
            )?;
        }
    }
    // Chamber species in descending mole fraction, as the solver lists them.
    let mut species: Vec<(&String, &f64)> = p.species.iter().collect();
    species.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let species: Vec<String> = species.iter().map(|(n, x)| format!("{n} {x:.5}")).collect();
    writeln!(out, "chamber mole fractions: {}", species.join(", "))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use clap::Parser;

    /// The command's output for a command line, or its error as `main` prints it.
    fn run(args: &[&str]) -> Result<String, String> {
        let cli = crate::args::Cli::try_parse_from(std::iter::once("cosmodrome").chain(args.iter().copied())).map_err(|e| e.to_string())?;
        match cli.command {
            crate::args::Command::Propellant(a) => propellant_report(&a).map_err(|e| format!("{e:#}")),
            _ => unreachable!("a propellant command line"),
        }
    }

    /// The acceptance point of the propellant chemistry, against the CEA figures of the same problem (LOX/LH2,
    /// O/F 6, 100 bar, ε 80, shifting; `cea` 3.3.4).
    #[test]
    fn json_matches_cea_for_lox_lh2() {
        let out = run(&[
            "propellant",
            "--oxidizer",
            "LOX",
            "--fuel",
            "LH2",
            "--mixture-ratio",
            "6",
            "--chamber-pressure-bar",
            "100",
            "--expansion-ratio",
            "80",
            "--ambient-pressure-bar",
            "1.01325",
            "--json",
        ])
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let close = |k: &str, cea: f64| {
            let ours = v[k].as_f64().unwrap_or_else(|| panic!("{k} missing"));
            assert!((ours / cea - 1.0).abs() < 0.005, "{k}: {ours} vs CEA {cea}");
        };
        close("chamber_temperature_k", 3523.7931);
        close("c_star_m_s", 2311.0004);
        close("isp_vac_s", 4557.5839 / 9.80665);
        close("exit_pressure_bar", 0.086676824);
        close("exit_mach", 4.6722463);
        close("gamma_chamber", 1.1425496);
        for k in ["isp_amb_s", "molar_mass_chamber_g_mol"] {
            assert!(v[k].as_f64().is_some_and(f64::is_finite), "{k}");
        }
        // 0.087 bar at the exit against 1.013 ambient: Summerfield says the flow separates.
        assert_eq!(v["separation_likely"], true);
        assert!(v["species"]["H2O"].as_f64().unwrap() > 0.6);
    }

    #[test]
    fn sweep_finds_the_optimum_and_writes_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("sweep");
        let out = run(&[
            "propellant",
            "--oxidizer",
            "LOX",
            "--fuel",
            "RP-1",
            "--mixture-ratio",
            "2.0:3.2:0.2",
            "--chamber-pressure-bar",
            "100",
            "--expansion-ratio",
            "40",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .unwrap();
        // The optimum lies between the sweep's points around the best one (2.8 here).
        let optimum: f64 = out
            .lines()
            .find(|l| l.starts_with("optimum"))
            .and_then(|l| l.split("O/F ").nth(1))
            .and_then(|t| t.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!((2.6..=3.0).contains(&optimum), "{optimum}");
        let csv = std::fs::read_to_string(out_dir.join("sweep.csv")).unwrap();
        assert_eq!(csv.lines().count(), 1 + 7);
        assert!(std::fs::read_to_string(out_dir.join("sweep.svg")).unwrap().contains("<polyline"));
        assert!(std::fs::read_to_string(out_dir.join("run.json")).unwrap().contains("\"sweep.svg\""), "the set's list");
    }

    #[test]
    fn bad_input_is_refused_with_a_message() {
        for (args, expected) in [
            (vec!["--oxidizer", "LOX", "--fuel", "KEROSENE", "--mixture-ratio", "2.6"], "unknown propellant `KEROSENE`"),
            (vec!["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "0"], "--mixture-ratio"),
            (vec!["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "-1"], "--mixture-ratio"),
            (vec!["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "nan"], "--mixture-ratio"),
            (
                vec!["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "2.6", "--ambient-pressure-bar", "-1"],
                "--ambient-pressure-bar",
            ),
            (
                vec!["--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "2.6", "--ambient-pressure-bar", "inf"],
                "must be a finite number",
            ),
            // A fuel named as the oxidizer, an oxidizer as the fuel: said so, before any point.
            (vec!["--oxidizer", "RP-1", "--fuel", "LH2", "--mixture-ratio", "2.6"], "--oxidizer: `RP-1` is a fuel"),
            (vec!["--oxidizer", "LOX", "--fuel", "LOX", "--mixture-ratio", "2.6"], "--fuel: `LOX` is an oxidizer"),
        ] {
            let mut full = vec!["propellant"];
            full.extend(args);
            full.extend(["--chamber-pressure-bar", "100", "--expansion-ratio", "40"]);
            let err = run(&full).unwrap_err();
            assert!(err.contains(expected), "{full:?}: {err}");
        }
        let base = ["propellant", "--oxidizer", "LOX", "--fuel", "RP-1", "--mixture-ratio", "2.6"];
        let err = run(&[&base[..], &["--chamber-pressure-bar", "5000", "--expansion-ratio", "40"]].concat()).unwrap_err();
        assert!(err.contains("--chamber-pressure-bar") && err.contains("outside 0.1–1000 bar"), "{err}");
        let err = run(&[&base[..], &["--chamber-pressure-bar", "100", "--expansion-ratio", "0.5"]].concat()).unwrap_err();
        assert!(err.contains("--expansion-ratio"), "{err}");
    }

    /// Users' own data: a propellant table with gaseous oxygen and hydrogen, and a thermo.inp
    /// record that redefines a product species (H2O, copied from the shipped file, so the result
    /// is the same to rounding).
    #[test]
    fn reads_user_propellants_and_thermo_files() {
        let dir = tempfile::tempdir().unwrap();
        let props = dir.path().join("props.toml");
        std::fs::write(
            &props,
            "[[propellant]]\nname = \"GOX\"\ndescription = \"gaseous oxygen at 298.15 K\"\ncomponents = [ { species = \"O2\", formula = { O = 2 }, mass_fraction = 1.0, temperature_k = 298.15, enthalpy_j_mol = 0.0, source = \"reference element\" } ]\n\n[[propellant]]\nname = \"GH2\"\ndescription = \"gaseous hydrogen at 298.15 K\"\ncomponents = [ { species = \"H2\", formula = { H = 2 }, mass_fraction = 1.0, temperature_k = 298.15, enthalpy_j_mol = 0.0, source = \"reference element\" } ]\n",
        )
        .unwrap();
        let lines: Vec<&str> = cosmodrome::propulsion::chemistry::thermo::BUILTIN_THERMO_INP.lines().collect();
        let start = lines.iter().position(|l| l.starts_with("H2O ")).unwrap();
        let record = lines[start..start + 8].join("\n");
        let thermo = dir.path().join("extra.inp");
        let header = "thermo\n   200.000  1000.000  6000.000 20000.000   9/08/21\n";
        std::fs::write(&thermo, format!("{header}{record}\nEND PRODUCTS\nEND REACTANTS\n")).unwrap();
        let mut args = vec![
            "propellant",
            "--oxidizer",
            "GOX",
            "--fuel",
            "GH2",
            "--mixture-ratio",
            "6",
            "--chamber-pressure-bar",
            "50",
            "--expansion-ratio",
            "20",
            "--json",
            "--propellants",
            props.to_str().unwrap(),
        ];
        let plain: serde_json::Value = serde_json::from_str(&run(&args).unwrap()).unwrap();
        args.extend(["--thermo", thermo.to_str().unwrap()]);
        let with_thermo: serde_json::Value = serde_json::from_str(&run(&args).unwrap()).unwrap();
        let (a, b) = (plain["isp_vac_s"].as_f64().unwrap(), with_thermo["isp_vac_s"].as_f64().unwrap());
        assert!((a / b - 1.0).abs() < 1e-9, "{a} vs {b}");
        // A broken record is reported with its file and line.
        std::fs::write(&thermo, format!("{header}{}\n", record.replace("D+", "X+"))).unwrap();
        let err = run(&args).unwrap_err();
        assert!(err.contains("extra.inp:") && err.contains("not a number"), "{err}");
    }

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

    #[test]
    fn svg_has_one_polyline_per_panel() {
        let svg = sweep_svg("a & b", &[1.0, 2.0, 3.0], &[("Isp", &[300.0, 310.0, 305.0]), ("T", &[3000.0, 3100.0, 3050.0])]);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("a &amp; b") && svg.ends_with("</svg>\n"));
    }
}
