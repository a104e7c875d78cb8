//! Propellant chemistry against NASA CEA (the `propellant` command's own tests sit in
//! `crates/cosmodrome-cli/src/propellant.rs`): the committed reference grid
//! `tests/reference/cea-grid.csv` (written by `tests/python/cea_grid.py` with the `cea`
//! package from PyPI) and, when the `cea` module is importable, a live rerun of that script.
//!
//! Tolerances (the accuracy bar against CEA): chamber temperature, c* and Isp (shifting and frozen) within 0.5 %,
//! major species mole fractions within 1 % of CEA (relative, for fractions above 1 %).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use cosmodrome::propulsion::chemistry::{
    builtin_propellants, builtin_species, find_propellant, solve_rocket, Flow, NozzleExit, RocketProblem,
};

const MAJOR: [&str; 10] = ["H2O", "CO2", "CO", "H2", "H", "OH", "O", "O2", "N2", "NO"];

struct Worst {
    what: &'static str,
    error: f64,
    at: String,
}

fn check_table(csv_text: &str) -> Vec<Worst> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let props = builtin_propellants();
    let lib = builtin_species();
    let mut worst: Vec<Worst> =
        ["chamber T", "c*", "Isp vac shifting", "Isp exit shifting", "Isp vac frozen", "species", "Isp vac frozen at throat"]
            .iter()
            .map(|w| Worst { what: w, error: 0.0, at: String::new() })
            .collect();
    let mut rows = 0;
    let mut failures = Vec::new();
    // Worst relative error per pair: T, c*, Isp vac shifting, Isp vac frozen.
    let mut per_pair: Vec<(String, usize, [f64; 4])> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let row: HashMap<&str, &str> = headers.iter().zip(rec.iter()).collect();
        let num = |k: &str| row[k].parse::<f64>().unwrap();
        let ox = find_propellant(props, row["oxidizer"], "oxidizer").unwrap();
        let fu = find_propellant(props, row["fuel"], "fuel").unwrap();
        let at = format!(
            "{}/{} O/F {} pc {} bar ε {}",
            row["oxidizer"], row["fuel"], row["mixture_ratio"], row["chamber_pressure_bar"], row["area_ratio"]
        );
        let mut problem = RocketProblem {
            oxidizer: ox,
            fuel: fu,
            mixture_ratio: num("mixture_ratio"),
            chamber_pressure_bar: num("chamber_pressure_bar"),
            exit: NozzleExit::AreaRatio(num("area_ratio")),
            flow: Flow::Shifting,
            ambient_pressure_bar: None,
        };
        let s = solve_rocket(lib, &problem).unwrap_or_else(|e| panic!("{at}: {e}"));
        problem.flow = Flow::FrozenAtChamber;
        let f = solve_rocket(lib, &problem).unwrap_or_else(|e| panic!("{at} frozen: {e}"));
        problem.flow = Flow::FrozenAtThroat;
        let ft = solve_rocket(lib, &problem).unwrap_or_else(|e| panic!("{at} frozen at the throat: {e}"));
        let mut rel = |k: usize, ours: f64, cea: f64, tol: f64| {
            let e = (ours / cea - 1.0).abs();
            if e > worst[k].error {
                worst[k].error = e;
                worst[k].at = at.clone();
            }
            if e > tol {
                failures.push(format!("{at}: {} {ours:.5} vs CEA {cea:.5} ({:.3} %)", worst[k].what, e * 100.0));
            }
        };
        let pair = format!("{}/{}", row["oxidizer"], row["fuel"]);
        if per_pair.last().is_none_or(|p| p.0 != pair) {
            per_pair.push((pair, 0, [0.0; 4]));
        }
        let entry = per_pair.last_mut().unwrap();
        entry.1 += 1;
        for (k, (ours, cea)) in [
            (s.chamber.temperature_k, num("chamber_temperature_k")),
            (s.c_star_m_s, num("c_star_m_s")),
            (s.isp_vac_m_s, num("isp_vac_m_s")),
            (f.isp_vac_m_s, num("frozen_isp_vac_m_s")),
        ]
        .into_iter()
        .enumerate()
        {
            entry.2[k] = entry.2[k].max((ours / cea - 1.0).abs());
        }
        rel(0, s.chamber.temperature_k, num("chamber_temperature_k"), 0.005);
        rel(1, s.c_star_m_s, num("c_star_m_s"), 0.005);
        rel(2, s.isp_vac_m_s, num("isp_vac_m_s"), 0.005);
        rel(3, s.exit_velocity_m_s, num("isp_exit_m_s"), 0.005);
        rel(4, f.isp_vac_m_s, num("frozen_isp_vac_m_s"), 0.005);
        rel(6, ft.isp_vac_m_s, num("throat_frozen_isp_vac_m_s"), 0.005);
        for sp in MAJOR {
            let cea = num(&format!("x_chamber_{sp}"));
            if cea > 0.01 {
                let ours = s.chamber.mole_fractions.iter().find(|(n, _)| n == sp).map_or(0.0, |x| x.1);
                rel(5, ours, cea, 0.01);
            }
        }
        rows += 1;
    }
    assert!(rows >= 60, "{rows} grid points");
    println!("pair | points | T chamber | c* | Isp vac shifting | Isp vac frozen (worst |error| %)");
    for (pair, n, e) in &per_pair {
        println!("{pair} | {n} | {:.5} | {:.5} | {:.5} | {:.5}", e[0] * 100.0, e[1] * 100.0, e[2] * 100.0, e[3] * 100.0);
    }
    for w in &worst {
        println!("worst {:<18} {:.5} % at {}", w.what, w.error * 100.0, w.at);
    }
    assert!(failures.is_empty(), "{} checks out of tolerance:\n{}", failures.len(), failures.join("\n"));
    worst
}

#[test]
fn matches_the_committed_cea_grid() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/cea-grid.csv")).unwrap();
    check_table(&text);
}

/// Condensed products against CEA (shifting): liquid alumina turning solid in the nozzle
/// (ammonium perchlorate with aluminium) and graphite from very fuel-rich LOX/RP-1.
fn check_condensed(csv_text: &str) {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let props = builtin_propellants();
    let mut worst: f64 = 0.0;
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let row: HashMap<&str, &str> = headers.iter().zip(rec.iter()).collect();
        let num = |k: &str| row[k].parse::<f64>().unwrap();
        let at = format!(
            "{}/{} O/F {} pc {} bar ε {}",
            row["oxidizer"], row["fuel"], row["mixture_ratio"], row["chamber_pressure_bar"], row["area_ratio"]
        );
        let problem = RocketProblem {
            oxidizer: find_propellant(props, row["oxidizer"], "oxidizer").unwrap(),
            fuel: find_propellant(props, row["fuel"], "fuel").unwrap(),
            mixture_ratio: num("mixture_ratio"),
            chamber_pressure_bar: num("chamber_pressure_bar"),
            exit: NozzleExit::AreaRatio(num("area_ratio")),
            flow: Flow::Shifting,
            ambient_pressure_bar: None,
        };
        let s = solve_rocket(builtin_species(), &problem).unwrap_or_else(|e| panic!("{at}: {e}"));
        for (what, ours, cea) in [
            ("chamber T", s.chamber.temperature_k, num("chamber_temperature_k")),
            ("throat T", s.throat.temperature_k, num("throat_temperature_k")),
            ("exit T", s.exit.temperature_k, num("exit_temperature_k")),
            ("c*", s.c_star_m_s, num("c_star_m_s")),
            ("Isp vac", s.isp_vac_m_s, num("isp_vac_m_s")),
        ] {
            let e = (ours / cea - 1.0).abs();
            worst = worst.max(e);
            assert!(e < 0.005, "{at}: {what} {ours} vs CEA {cea}");
        }
        for (station, name_key, x_key) in
            [(&s.chamber, "chamber_condensed", "x_chamber_condensed"), (&s.exit, "exit_condensed", "x_exit_condensed")]
        {
            let ours = station.mole_fractions.iter().find(|(n, _)| n == row[name_key]).map_or(0.0, |x| x.1);
            assert!((ours / num(x_key) - 1.0).abs() < 0.01, "{at}: {} {ours} vs CEA {}", row[name_key], num(x_key));
        }
        rows += 1;
    }
    assert!(rows >= 10);
    println!("condensed points: {rows}, worst relative error {:.5} %", worst * 100.0);
}

#[test]
fn matches_cea_with_condensed_products() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/cea-condensed.csv")).unwrap();
    check_condensed(&text);
}

/// Rerun CEA now (COSMODROME_PYTHON with `cea`), so a change of CEA or of the script shows.
#[test]
fn matches_cea_run_live() {
    let python = std::env::var("COSMODROME_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let has_cea = Command::new(&python).args(["-c", "import cea"]).output().is_ok_and(|o| o.status.success());
    if !has_cea {
        if std::env::var("COSMODROME_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
            panic!("{python} cannot import cea and COSMODROME_REQUIRE_PYTHON=1: pip install cea");
        }
        println!("skipped: pip install cea (and set COSMODROME_PYTHON) to compare with NASA CEA live");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/cea_grid.py");
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("cea-grid.csv");
    let condensed = dir.path().join("cea-condensed.csv");
    let o = Command::new(&python).arg(script).arg(&table).arg(&condensed).output().expect("run cea_grid.py");
    assert!(o.status.success(), "cea_grid.py failed: {}", String::from_utf8_lossy(&o.stderr));
    check_table(&std::fs::read_to_string(&table).unwrap());
    check_condensed(&std::fs::read_to_string(&condensed).unwrap());
}

/// Any pair, mixture ratio, pressure and area ratio in range either solves to finite, positive
/// figures or fails with a message — never a NaN, a panic or an endless loop. 150 problems drawn
/// by a fixed generator (log-uniform mixture ratio 0.05–30, pressure 0.1–1000 bar, area ratio
/// 1.01–1000, all three flows), so every run checks the same ones.
#[test]
fn random_problems_solve_or_fail_cleanly() {
    let props = builtin_propellants();
    let oxidizers = ["LOX", "N2O4", "H2O2-98", "AP"];
    let fuels = ["LH2", "RP-1", "LCH4", "UDMH", "MMH", "N2H4", "A-50", "ETHANOL", "AL"];
    // xorshift64*: a fixed sequence of uniform numbers in [0, 1).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    let log_uniform = |u: f64, lo: f64, hi: f64| (lo.ln() + u * (hi.ln() - lo.ln())).exp();
    let (mut solved, mut refused) = (0, 0);
    for _ in 0..150 {
        let ox = oxidizers[(uniform() * oxidizers.len() as f64) as usize];
        let fu = fuels[(uniform() * fuels.len() as f64) as usize];
        let mixture_ratio = log_uniform(uniform(), 0.05, 30.0);
        let chamber_pressure_bar = log_uniform(uniform(), 0.1, 1000.0);
        let problem = RocketProblem {
            oxidizer: find_propellant(props, ox, "oxidizer").unwrap(),
            fuel: find_propellant(props, fu, "fuel").unwrap(),
            mixture_ratio,
            chamber_pressure_bar,
            exit: NozzleExit::AreaRatio(log_uniform(uniform(), 1.01, 1000.0)),
            flow: [Flow::Shifting, Flow::FrozenAtChamber, Flow::FrozenAtThroat][(uniform() * 3.0) as usize],
            // Sea level, or half the chamber pressure below it: an ambient at or above the
            // chamber pressure is refused.
            ambient_pressure_bar: Some(1.01325f64.min(0.5 * chamber_pressure_bar)),
        };
        let start = std::time::Instant::now();
        match solve_rocket(builtin_species(), &problem) {
            Ok(p) => {
                for v in [p.chamber.temperature_k, p.c_star_m_s, p.isp_vac_m_s, p.exit.pressure_bar, p.exit.mach, p.chamber.gamma] {
                    assert!(v.is_finite() && v > 0.0, "{problem:?}: {v}");
                }
                assert!(p.isp_amb_m_s.is_some_and(f64::is_finite));
                solved += 1;
            }
            Err(e) => {
                println!(
                    "refused: {ox}/{fu} O/F {:.3} {:.1} bar {:?} {:?}: {e}",
                    problem.mixture_ratio, problem.chamber_pressure_bar, problem.exit, problem.flow
                );
                assert!(!e.to_string().is_empty());
                refused += 1;
            }
        }
        // Generous bound: a point takes well under a millisecond optimized.
        assert!(start.elapsed().as_secs_f64() < 2.0, "{problem:?}");
    }
    println!("{solved} solved, {refused} refused with a message");
    assert!(solved > 100, "{solved} solved");
}

/// A textbook sanity row: Sutton & Biblarz, *Rocket Propulsion Elements* (7th ed. 2001 and
/// later, Table 5-5 "Theoretical performance of liquid rocket propellant combinations"):
/// LOX/RP-1, shifting equilibrium, chamber 1000 psia expanded optimally to 14.7 psia, mixture
/// ratio 2.56: chamber temperature 3677 K, c* 1800 m/s, Isp 300 s, molar mass 23.3 kg/kmol.
/// The table is rounded and older than NASA's current data, so the bar is 1 % (the solver
/// agrees with CEA itself to a few ppm, above).
#[test]
fn matches_the_textbook_table_sutton_lox_rp1() {
    let props = builtin_propellants();
    let psi_bar = 0.068_947_572_9;
    let problem = RocketProblem {
        oxidizer: find_propellant(props, "LOX", "oxidizer").unwrap(),
        fuel: find_propellant(props, "RP-1", "fuel").unwrap(),
        mixture_ratio: 2.56,
        chamber_pressure_bar: 1000.0 * psi_bar,
        exit: NozzleExit::PressureRatio(1000.0 / 14.7),
        flow: Flow::Shifting,
        ambient_pressure_bar: Some(14.7 * psi_bar),
    };
    let p = solve_rocket(builtin_species(), &problem).unwrap();
    for (what, ours, sutton) in [
        ("chamber temperature K", p.chamber.temperature_k, 3677.0),
        ("c* m/s", p.c_star_m_s, 1800.0),
        ("Isp s (optimum expansion)", p.isp_amb_s().unwrap(), 300.0),
        ("molar mass kg/kmol", p.chamber.molar_mass_g_mol, 23.3),
    ] {
        println!("Sutton LOX/RP-1: {what}: {ours:.2} vs {sutton}");
        assert!((ours / sutton - 1.0).abs() < 0.01, "{what}: {ours} vs Sutton & Biblarz {sutton}");
    }
}

/// An engine from chemistry in a vehicle file: Angara 1.2 with its RD-191 given by propellants,
/// mixture ratio, chamber pressure and expansion ratio instead of Isp. Published RD-191
/// figures (NPO Energomash, as compiled on en.wikipedia.org/wiki/RD-191): chamber pressure
/// 25.8 MPa, mixture ratio 2.6, expansion ratio 37; Isp 337.5 s vacuum, 311.2 s sea level (the
/// catalog's figures, data/vehicles/angara-1.2.toml). Bars: the published Isp is 0.90–0.99 of
/// the ideal (the plausible band of real engines), the delivered Isp with the default
/// efficiencies (0.98 × 0.98) within 3 % of the published one at vacuum and sea level, and the
/// vehicle flies to orbit with a payload within 10 % of the catalog vehicle's.
#[test]
fn a_chemistry_defined_engine_loads_matches_its_published_isp_and_flies() {
    use cosmodrome::flight::FlightOptions;
    use cosmodrome::guidance::Branch;
    use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
    use cosmodrome::units::G0_M_S2;
    use cosmodrome::vehicle::{catalog_vehicle, SiteCatalog, Vehicle};

    let chemistry = r#"{ oxidizer = "LOX", fuel = "RP-1", mixture_ratio = 2.6, chamber_pressure_bar = 258.0, expansion_ratio = 37.0 }"#;
    let props = builtin_propellants();
    let problem = RocketProblem {
        oxidizer: find_propellant(props, "LOX", "oxidizer").unwrap(),
        fuel: find_propellant(props, "RP-1", "fuel").unwrap(),
        mixture_ratio: 2.6,
        chamber_pressure_bar: 258.0,
        exit: NozzleExit::AreaRatio(37.0),
        flow: Flow::Shifting,
        ambient_pressure_bar: Some(1.01325),
    };
    let ideal = solve_rocket(builtin_species(), &problem).unwrap();
    let implied = 337.5 / ideal.isp_vac_s();
    println!(
        "RD-191: ideal Isp vac {:.1} s, sl {:.1} s; published 337.5 / 311.2 s: implied efficiency {implied:.3}",
        ideal.isp_vac_s(),
        ideal.isp_amb_s().unwrap()
    );
    assert!((0.90..=0.99).contains(&implied), "implied efficiency {implied}");

    let stated = catalog_vehicle("angara-1.2").unwrap();
    let text = stated.replacen("thrust_sl_kn = 1922.1034\nisp_vac_s = 337.5\nisp_sl_s = 311.2\n", &format!("chemistry = {chemistry}\n"), 1);
    assert_ne!(text, stated);
    let (from_chemistry, _) = Vehicle::from_toml(&text, "angara-1.2-chemistry.toml").unwrap();
    let e = &from_chemistry.stages[0].engine;
    let isp_sl = e.thrust_sl_n() / (e.mass_flow_kg_s() * G0_M_S2);
    println!("RD-191 from chemistry: delivered Isp vac {:.1} s, sl {isp_sl:.1} s", e.isp_vac_s);
    assert!((e.isp_vac_s / 337.5 - 1.0).abs() < 0.03, "vacuum Isp {}", e.isp_vac_s);
    assert!((isp_sl / 311.2 - 1.0).abs() < 0.03, "sea-level Isp {isp_sl}");

    let sites = SiteCatalog::builtin().unwrap();
    let site = sites.get("vostochny").unwrap();
    let target =
        TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: site.default_inclination_deg(), argument_of_perigee_deg: None };
    let payload = |v: &Vehicle| maximize_payload(v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).unwrap();
    let (catalog, _) = Vehicle::from_toml(stated, "angara-1.2.toml").unwrap();
    let (a, b) = (payload(&from_chemistry), payload(&catalog));
    println!("payload to 200 km: {:.0} kg with the chemistry engine, {:.0} kg with the catalog's", a.payload_kg, b.payload_kg);
    assert!(a.within_tolerance(&target) && a.payload_kg > 0.0);
    assert!((a.payload_kg / b.payload_kg - 1.0).abs() < 0.10, "{} vs {}", a.payload_kg, b.payload_kg);
}

/// `tests/reference/engine-chamber-data.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineChamberFile {
    engine: Vec<EngineChamberData>,
}

/// One `[[engine]]` of it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineChamberData {
    name: String,
    cycle: String,
    oxidizer: String,
    fuel: String,
    mixture_ratio: Option<f64>,
    chamber_pressure_bar: Option<f64>,
    expansion_ratio: Option<f64>,
    isp_vac_s: Option<f64>,
    isp_sl_s: Option<f64>,
    #[serde(default)]
    missing: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    alternatives: Vec<String>,
}

/// The engines of the file, each figure positive and finite.
fn parse_engine_chamber_data(text: &str, file: &str) -> Result<Vec<EngineChamberData>, String> {
    let parsed: EngineChamberFile = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    for e in &parsed.engine {
        for (key, v) in [
            ("mixture_ratio", e.mixture_ratio),
            ("chamber_pressure_bar", e.chamber_pressure_bar),
            ("expansion_ratio", e.expansion_ratio),
            ("isp_vac_s", e.isp_vac_s),
            ("isp_sl_s", e.isp_sl_s),
        ] {
            if v.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
                return Err(format!("{file}: engine {}: `{key}` must be a positive number", e.name));
            }
        }
    }
    Ok(parsed.engine)
}

/// For every catalog engine with public chamber data, the ideal shifting-
/// equilibrium vacuum Isp at its chamber pressure, mixture ratio and expansion ratio, and the
/// implied efficiency published / ideal. The data and every source are in
/// `tests/reference/engine-chamber-data.toml`; an engine listed there with `missing` is printed
/// and skipped.
///
/// Band: 0.90–0.99 for every cycle, the plausible band for real engines. Why it holds: the delivered Isp is the
/// ideal one times a c* efficiency (incomplete mixing and combustion, a few per cent) and a
/// thrust-coefficient efficiency (divergence, boundary layer, kinetics, a few per cent); an open
/// (gas-generator) cycle also spends 1–3 % of its flow on the turbine at low Isp. Both loss
/// families are described in Sutton & Biblarz, Rocket Propulsion Elements, chapter 3 (real
/// nozzles) and the chapter on engine cycles; the exact section numbers were not re-read in this
/// change. The gas-generator engines land at 0.91–0.94 (the F-1 lowest), the expander at 0.965: no
/// engine needed a band of its own, and an engine that falls outside with sourced data is a finding
/// to report in the data file, not a band to widen.
#[test]
fn catalog_engines_deliver_a_plausible_fraction_of_their_ideal_isp() {
    let file = "tests/reference/engine-chamber-data.toml";
    let text = include_str!("reference/engine-chamber-data.toml");
    let engines = parse_engine_chamber_data(text, file).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = engines.iter().map(|e| e.name.as_str()).collect();
    for wanted in ["RD-191", "RD-0124", "RD-107A", "RD-108A", "Vulcain 2", "RL10A-3-3A", "Merlin 1D", "F-1", "J-2"] {
        assert!(names.contains(&wanted), "{file} lists no {wanted}");
    }
    let props = builtin_propellants();
    let band = 0.90..=0.99;
    let mut checked = 0;
    println!("engine        cycle                                        ideal vac  published  efficiency  ideal SL  published SL");
    for e in &engines {
        assert!(!e.sources.is_empty(), "{}: no sources", e.name);
        assert!(e.isp_vac_s.is_some(), "{}: no published vacuum Isp", e.name);
        let (Some(mr), Some(pc), Some(eps)) = (e.mixture_ratio, e.chamber_pressure_bar, e.expansion_ratio) else {
            assert!(!e.missing.is_empty(), "{}: incomplete chamber data but no `missing` list", e.name);
            println!("{:<13} skipped: no source found for {}", e.name, e.missing.join(", "));
            continue;
        };
        assert!(e.missing.is_empty(), "{}: complete chamber data yet `missing` = {:?}", e.name, e.missing);
        let problem = RocketProblem {
            oxidizer: find_propellant(props, &e.oxidizer, "oxidizer").unwrap(),
            fuel: find_propellant(props, &e.fuel, "fuel").unwrap(),
            mixture_ratio: mr,
            chamber_pressure_bar: pc,
            exit: NozzleExit::AreaRatio(eps),
            flow: Flow::Shifting,
            ambient_pressure_bar: Some(1.01325),
        };
        let ideal = solve_rocket(builtin_species(), &problem).unwrap();
        let published = e.isp_vac_s.unwrap();
        let efficiency = published / ideal.isp_vac_s();
        let sea_level = match e.isp_sl_s {
            Some(p) => format!(
                "{:>8.1}  {p:>6.1}{}",
                ideal.isp_amb_s().unwrap(),
                if ideal.separation_likely { " (ideal nozzle separates at sea level: not compared)" } else { "" }
            ),
            None => "       –       –".to_owned(),
        };
        println!(
            "{:<13} {:<44} {:>9.1}  {published:>9.1}  {efficiency:>10.3}  {sea_level}",
            e.name,
            e.cycle.chars().take(44).collect::<String>(),
            ideal.isp_vac_s()
        );
        assert!(band.contains(&efficiency), "{}: implied efficiency {efficiency:.3} outside {band:?}", e.name);
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} engines with complete chamber data");
}
