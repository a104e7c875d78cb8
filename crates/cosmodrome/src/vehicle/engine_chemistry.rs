//! An engine given by its propellants and chamber instead of its Isp: the `chemistry` table of an
//! `[[engine]]` in the vehicle file. At load time the ideal performance is computed by the
//! propellant chemistry (shifting equilibrium, as NASA's CEA) and scaled by the c* and thrust-
//! coefficient efficiencies to the delivered vacuum Isp, and the nozzle exit area per unit mass
//! flow gives the thrust lost to the ambient pressure.
//!
//! ```toml
//! [[engine]]
//! id = "RD-191"
//! propellant = "LOX/kerosene"
//! thrust_vac_kn = 2085.0
//! chemistry = { oxidizer = "LOX", fuel = "RP-1", mixture_ratio = 2.6, chamber_pressure_bar = 258.0, expansion_ratio = 37.0 }
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::SEA_LEVEL_PRESSURE_PA;
use crate::error::{Error, Result};
use crate::propulsion::chemistry::rocket::{AREA_RATIO_RANGE, CHAMBER_PRESSURE_RANGE_BAR};
use crate::propulsion::chemistry::{
    builtin_propellants, builtin_species, check_roles, find_propellant, solve_rocket, Flow, NozzleExit, RocketProblem,
};
use crate::units::G0_M_S2;

/// Default c* efficiency (delivered over ideal characteristic velocity).
///
/// ASSUMPTION: Sutton & Biblarz (*Rocket Propulsion Elements*, 9th ed., sec. 3.5) give real
/// c* about 1–4 % below the ideal and the thrust-coefficient correction 0.92–1.00 for the
/// nozzle's divergence, boundary layer and other losses; 0.98 on each, 0.96 together, is the
/// middle of what large booster and upper-stage engines deliver against their ideal Isp.
pub const DEFAULT_C_STAR_EFFICIENCY: f64 = 0.98;
/// Default thrust-coefficient efficiency (delivered over ideal C_F); see
/// [`DEFAULT_C_STAR_EFFICIENCY`].
pub const DEFAULT_THRUST_COEFFICIENT_EFFICIENCY: f64 = 0.98;
/// Efficiencies accepted for c* and C_F.
pub const EFFICIENCY_RANGE: (f64, f64) = (0.5, 1.0);
/// Delivered over ideal vacuum Isp of real engines (issue's plausible band): a stated Isp
/// outside it next to a chemistry table draws a warning.
pub const PLAUSIBLE_EFFICIENCY: (f64, f64) = (0.90, 0.99);
/// Mixture ratios accepted (oxidizer over fuel mass flow).
pub const MIXTURE_RATIO_RANGE: (f64, f64) = (0.01, 100.0);

/// `chemistry = { ... }` of an `[[engine]]`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChemistryEntry {
    /// Oxidizer, a name of the propellant table (`LOX`, `N2O4`, `AP`).
    pub oxidizer: Spanned<String>,
    /// Fuel, a name of the propellant table (`RP-1`, `LH2`, `UDMH`).
    pub fuel: Spanned<String>,
    /// Oxidizer over fuel mass flow in the chamber.
    pub mixture_ratio: Spanned<f64>,
    /// Chamber (injector-end) pressure, bar.
    pub chamber_pressure_bar: Spanned<f64>,
    /// Nozzle exit over throat area.
    pub expansion_ratio: Spanned<f64>,
    /// Delivered over ideal c*; [`DEFAULT_C_STAR_EFFICIENCY`] when absent.
    pub c_star_efficiency: Option<Spanned<f64>>,
    /// Delivered over ideal vacuum thrust coefficient; [`DEFAULT_THRUST_COEFFICIENT_EFFICIENCY`]
    /// when absent.
    pub thrust_coefficient_efficiency: Option<Spanned<f64>>,
}

/// What the chemistry gives for one engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineChemistry {
    /// Ideal vacuum Isp (shifting equilibrium), s.
    pub ideal_isp_vac_s: f64,
    /// Ideal sea-level Isp, s, of the nozzle flowing full; `None` when the sea-level pressure on
    /// the exit area takes the whole vacuum thrust or more. A vacuum nozzle (a large expansion
    /// ratio or a low chamber pressure: an upper stage's pressure-fed engine) has no sea-level
    /// performance: its flow would separate long before, and the full-flowing formula gives a
    /// figure at or below zero that no engineer would quote, so none is given.
    pub ideal_isp_sl_s: Option<f64>,
    /// Ideal characteristic velocity, m/s.
    pub ideal_c_star_m_s: f64,
    /// c* efficiency used.
    pub c_star_efficiency: f64,
    /// Thrust-coefficient efficiency used.
    pub thrust_coefficient_efficiency: f64,
    /// Delivered vacuum Isp: ideal × both efficiencies, s.
    pub isp_vac_s: f64,
    /// Nozzle exit area per unit mass flow, m²·s/kg: ε · η_c* · c* / p_c.
    pub exit_area_per_mass_flow_m2_s_kg: f64,
}

impl EngineChemistry {
    /// Delivered sea-level Isp, s: vacuum Isp less the ambient pressure on the exit area.
    pub fn isp_sl_s(&self) -> f64 {
        self.isp_vac_s - SEA_LEVEL_PRESSURE_PA * self.exit_area_per_mass_flow_m2_s_kg / G0_M_S2
    }
}

/// A bad value in the chemistry table: where it is, the key under `chemistry.`, what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct ChemistryProblem {
    /// Byte span of the value in the file.
    pub span: Range<usize>,
    /// Key under the engine (`chemistry.mixture_ratio`).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

fn problem(span: Range<usize>, key: &str, message: String) -> ChemistryProblem {
    let key = if key.is_empty() { "chemistry".to_owned() } else { format!("chemistry.{key}") };
    ChemistryProblem { span, key, message }
}

fn in_range(v: &Spanned<f64>, key: &str, (lo, hi): (f64, f64), unit: &str) -> std::result::Result<f64, ChemistryProblem> {
    let x = *v.get_ref();
    if x.is_finite() && x >= lo && x <= hi {
        Ok(x)
    } else {
        Err(problem(v.span(), key, format!("{x}{unit} is outside {lo}–{hi}{unit}")))
    }
}

/// The engine's performance from its chemistry with the built-in propellants and species;
/// `table_span` is the span of the whole table (for a problem that does not converge).
pub fn engine_chemistry(entry: &ChemistryEntry, table_span: Range<usize>) -> std::result::Result<EngineChemistry, ChemistryProblem> {
    let table = builtin_propellants();
    let oxidizer = find_propellant(table, entry.oxidizer.get_ref(), "oxidizer")
        .map_err(|e| problem(entry.oxidizer.span(), "oxidizer", e.to_string()))?;
    let fuel = find_propellant(table, entry.fuel.get_ref(), "fuel").map_err(|e| problem(entry.fuel.span(), "fuel", e.to_string()))?;
    check_roles(oxidizer, fuel).map_err(|e| match e {
        Error::InvalidInput { name, message } if name == "oxidizer" => problem(entry.oxidizer.span(), "oxidizer", message),
        Error::InvalidInput { message, .. } => problem(entry.fuel.span(), "fuel", message),
        e => problem(table_span.clone(), "", e.to_string()),
    })?;
    let mixture_ratio = in_range(&entry.mixture_ratio, "mixture_ratio", MIXTURE_RATIO_RANGE, "")?;
    let chamber_pressure_bar = in_range(&entry.chamber_pressure_bar, "chamber_pressure_bar", CHAMBER_PRESSURE_RANGE_BAR, " bar")?;
    let expansion_ratio = in_range(&entry.expansion_ratio, "expansion_ratio", AREA_RATIO_RANGE, "")?;
    let efficiency =
        |v: &Option<Spanned<f64>>, key: &str, default: f64| v.as_ref().map_or(Ok(default), |v| in_range(v, key, EFFICIENCY_RANGE, ""));
    let c_star_efficiency = efficiency(&entry.c_star_efficiency, "c_star_efficiency", DEFAULT_C_STAR_EFFICIENCY)?;
    let thrust_coefficient_efficiency =
        efficiency(&entry.thrust_coefficient_efficiency, "thrust_coefficient_efficiency", DEFAULT_THRUST_COEFFICIENT_EFFICIENCY)?;
    let problem_of = RocketProblem {
        oxidizer,
        fuel,
        mixture_ratio,
        chamber_pressure_bar,
        exit: NozzleExit::AreaRatio(expansion_ratio),
        flow: Flow::Shifting,
        // The sea-level figure follows below from the exit area: a vacuum engine's chamber
        // pressure may lie under the sea-level pressure, which the solver refuses as an ambient.
        ambient_pressure_bar: None,
    };
    let perf: Result<_> = solve_rocket(builtin_species(), &problem_of);
    let perf = perf.map_err(|e| problem(table_span, "", format!("the propellant chemistry failed: {e}")))?;
    // Isp_amb = Isp_vac − p_a·A_e/ṁ with A_e/ṁ = ε·c*/p_c, as the solver's ambient Isp.
    let ideal_isp_sl_s =
        perf.isp_vac_s() - SEA_LEVEL_PRESSURE_PA * perf.exit.area_ratio * perf.c_star_m_s / (chamber_pressure_bar * 1e5) / G0_M_S2;
    let ideal_isp_sl_s = (ideal_isp_sl_s > 0.0).then_some(ideal_isp_sl_s);
    let c_star = perf.c_star_m_s * c_star_efficiency;
    let chemistry = EngineChemistry {
        ideal_isp_vac_s: perf.isp_vac_s(),
        ideal_isp_sl_s,
        ideal_c_star_m_s: perf.c_star_m_s,
        c_star_efficiency,
        thrust_coefficient_efficiency,
        isp_vac_s: perf.isp_vac_s() * c_star_efficiency * thrust_coefficient_efficiency,
        exit_area_per_mass_flow_m2_s_kg: perf.exit.area_ratio * c_star / (chamber_pressure_bar * 1e5),
    };
    if !(chemistry.isp_vac_s.is_finite() && chemistry.isp_vac_s > 0.0 && chemistry.exit_area_per_mass_flow_m2_s_kg.is_finite()) {
        return Err(problem(entry.mixture_ratio.span(), "", "the propellant chemistry gives no usable Isp".into()));
    }
    Ok(chemistry)
}

#[cfg(test)]
mod tests {
    use crate::vehicle::{catalog_vehicle, Vehicle};

    /// Angara 1.2 with its RD-191 given by chemistry instead of Isp (`chemistry` replaces the
    /// stated vacuum and sea-level figures).
    fn angara_with(chemistry: &str) -> String {
        let text = catalog_vehicle("angara-1.2").unwrap();
        let stated = "thrust_sl_kn = 1922.1034\nisp_vac_s = 337.5\nisp_sl_s = 311.2\n";
        assert!(text.contains(stated));
        text.replacen(stated, &format!("chemistry = {chemistry}\n"), 1)
    }

    const RD191: &str = r#"{ oxidizer = "LOX", fuel = "RP-1", mixture_ratio = 2.6, chamber_pressure_bar = 258.0, expansion_ratio = 37.0 }"#;

    #[test]
    fn chemistry_gives_the_isp_and_the_exit_area() {
        let (v, _) = Vehicle::from_toml(&angara_with(RD191), "a.toml").unwrap();
        let e = &v.stages[0].engine;
        // Ideal 357.6 s (shifting, 258 bar, ε 37) × 0.98 × 0.98.
        assert!((e.isp_vac_s - 357.61 * 0.9604).abs() < 0.1, "{}", e.isp_vac_s);
        // Sea-level Isp from the exit area: ideal loss 26.9 s, × 0.98 (c* efficiency).
        let isp_sl = e.thrust_sl_n() / (e.mass_flow_kg_s() * crate::units::G0_M_S2);
        assert!((e.isp_vac_s - isp_sl - 26.94 * 0.98).abs() < 0.1, "{isp_sl}");
    }

    #[test]
    fn efficiencies_scale_the_isp() {
        let with = RD191.replace(" }", ", c_star_efficiency = 0.95, thrust_coefficient_efficiency = 1.0 }");
        let (v, _) = Vehicle::from_toml(&angara_with(&with), "a.toml").unwrap();
        assert!((v.stages[0].engine.isp_vac_s - 357.61 * 0.95).abs() < 0.1, "{}", v.stages[0].engine.isp_vac_s);
    }

    #[test]
    fn a_stated_isp_wins_and_an_implausible_one_draws_a_warning() {
        let text = catalog_vehicle("angara-1.2").unwrap();
        let both = text.replacen("isp_sl_s = 311.2\n", &format!("isp_sl_s = 311.2\nchemistry = {RD191}\n"), 1);
        let (v, warnings) = Vehicle::from_toml(&both, "a.toml").unwrap();
        assert_eq!(v.stages[0].engine.isp_vac_s, 337.5);
        assert!(!warnings.iter().any(|w| w.message.contains("chemistry")), "{warnings:?}");
        let high = both.replacen("isp_vac_s = 337.5", "isp_vac_s = 360.0", 1).replacen("isp_sl_s = 311.2\n", "", 1);
        let (_, warnings) = Vehicle::from_toml(&high, "a.toml").unwrap();
        let w = warnings.iter().find(|w| w.message.contains("of the ideal")).expect("warning");
        assert!(w.location.key.ends_with("isp_vac_s") && w.message.contains("357.6"), "{w}");
    }

    /// A vacuum nozzle (chamber pressure under the sea-level pressure, ε 1000) has no sea-level
    /// figure: on an upper stage it reads without one (never a negative Isp), on a liftoff
    /// stage it is refused at its chamber pressure, since it would give no thrust on the pad.
    #[test]
    fn a_vacuum_nozzle_has_no_sea_level_isp_and_cannot_lift_off() {
        let vacuum = r#"{ oxidizer = "LOX", fuel = "RP-1", mixture_ratio = 2.6, chamber_pressure_bar = 0.5, expansion_ratio = 1000.0 }"#;
        let text = catalog_vehicle("angara-1.2").unwrap();
        let upper = text.replacen("isp_vac_s = 359.0\n", &format!("chemistry = {vacuum}\n"), 1);
        assert_ne!(upper, text);
        let (v, _) = Vehicle::from_toml(&upper, "a.toml").expect("an upper-stage vacuum engine reads");
        let c = v.stages[1].engine.chemistry.expect("from chemistry");
        assert!(c.isp_vac_s > 300.0 && c.ideal_isp_sl_s.is_none(), "{c:?}");
        let report = crate::mission::info(&v, 0.0).expect("info");
        let json = serde_json::to_value(&report).unwrap();
        let chemistry = &json["stages"][1]["chemistry"];
        assert!(chemistry.is_object() && chemistry.get("ideal_isp_sl_s").is_none(), "{chemistry}");
        // A sea-level engine keeps its figure.
        let (v, _) = Vehicle::from_toml(&angara_with(RD191), "a.toml").unwrap();
        assert!(v.stages[0].engine.chemistry.and_then(|c| c.ideal_isp_sl_s).is_some_and(|sl| sl > 250.0));

        let liftoff = angara_with(vacuum);
        let e = Vehicle::from_toml(&liftoff, "bad.toml").expect_err("no thrust at liftoff");
        let line = liftoff.lines().position(|l| l.starts_with("chemistry")).unwrap() + 1;
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(line), "engine[1].chemistry.chamber_pressure_bar"), "{e}");
        assert!(e.message.contains("burns from liftoff") && e.message.contains("no thrust at sea level"), "{e}");
    }

    #[test]
    fn bad_chemistry_names_file_line_and_key() {
        for (bad, key, says) in [
            (RD191.replace("\"RP-1\"", "\"KEROSINE\""), "chemistry.fuel", "known propellants: LOX"),
            (RD191.replace("\"LOX\"", "\"XO\""), "chemistry.oxidizer", "unknown propellant `XO`"),
            (RD191.replace("\"RP-1\"", "\"LOX\""), "chemistry.fuel", "`LOX` is an oxidizer"),
            (RD191.replace("\"LOX\"", "\"UDMH\""), "chemistry.oxidizer", "`UDMH` is a fuel"),
            (RD191.replace("2.6", "-1.0"), "chemistry.mixture_ratio", "outside"),
            (RD191.replace("258.0", "5000.0"), "chemistry.chamber_pressure_bar", "outside"),
            (RD191.replace("37.0", "0.5"), "chemistry.expansion_ratio", "outside"),
            (RD191.replace(" }", ", c_star_efficiency = 1.2 }"), "chemistry.c_star_efficiency", "outside"),
            (RD191.replace(" }", ", efficiency = 0.9 }"), "chemistry", "unknown field"),
            // A problem the equilibrium cannot solve (aluminium burnt with a trace of oxygen
            // cools below the data's range): the whole table is named.
            (
                r#"{ oxidizer = "LOX", fuel = "AL", mixture_ratio = 0.081, chamber_pressure_bar = 2.1, expansion_ratio = 2.74 }"#
                    .to_owned(),
                "chemistry",
                "propellant chemistry failed",
            ),
        ] {
            let text = angara_with(&bad);
            let line = text.lines().position(|l| l.starts_with("chemistry")).unwrap() + 1;
            let e = Vehicle::from_toml(&text, "bad.toml").unwrap_err();
            assert_eq!(e.location.file, "bad.toml");
            assert_eq!(e.location.line, Some(line), "{e}");
            assert!(e.location.key.contains(key) || e.message.contains(key), "{key}: {e}");
            assert!(e.to_string().contains(says), "{says}: {e}");
        }
        // Neither Isp nor chemistry.
        let text = catalog_vehicle("angara-1.2").unwrap().replacen("isp_vac_s = 337.5\n", "", 1);
        let e = Vehicle::from_toml(&text, "bad.toml").unwrap_err();
        assert!(e.location.key.ends_with("isp_vac_s") && e.message.contains("chemistry"), "{e}");
    }
}
