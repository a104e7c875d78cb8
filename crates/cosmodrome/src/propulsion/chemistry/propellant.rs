//! Propellant definitions: composition and enthalpy at storage temperature
//! (`data/propellants.toml`, or a user's file in the same format).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::thermo::atomic_weight;
use crate::error::{Error, FileError, Result};

/// The shipped propellant table.
pub const BUILTIN_PROPELLANTS_TOML: &str = include_str!("../../../../../data/propellants.toml");

/// One ingredient of a propellant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Species name in NASA's library (informative; the formula and enthalpy below are used).
    pub species: String,
    /// Element symbols and atom counts.
    pub formula: BTreeMap<String, f64>,
    /// Mass fraction within the propellant.
    pub mass_fraction: f64,
    /// Storage temperature, K.
    pub temperature_k: f64,
    /// Enthalpy of the formula as written at the storage temperature, J/mol.
    pub enthalpy_j_mol: f64,
    /// Where the figures come from.
    pub source: String,
}

impl Component {
    /// Molar mass from the formula, kg/kmol.
    pub fn molar_mass_kg_kmol(&self) -> f64 {
        self.formula.iter().map(|(e, n)| atomic_weight(e).unwrap_or(f64::NAN) * n).sum()
    }
}

/// A propellant: one or more components by mass.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Propellant {
    /// Name used on the command line, e.g. `LOX`, `RP-1`.
    pub name: String,
    /// Other accepted names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line for people.
    pub description: String,
    /// Ingredients; mass fractions sum to 1.
    pub components: Vec<Component>,
}

impl Propellant {
    /// Specific enthalpy, J/kg.
    pub fn enthalpy_j_kg(&self) -> f64 {
        self.components.iter().map(|c| c.mass_fraction * c.enthalpy_j_mol * 1000.0 / c.molar_mass_kg_kmol()).sum()
    }

    /// Oxidizing valence per kg, kmol/kg: the elements' amounts weighted by the valence they take
    /// in complete combustion (C +4, H +1, Al and B +3, Be and Mg +2, Li +1, N 0, O −2, F and Cl −1),
    /// the propellant-chemistry convention of "propellant valence". Negative: the propellant
    /// brings oxidizing power (LOX, N2O4, AP); positive: it needs it (RP-1, LH2, UDMH, Al). `None`
    /// when an element has no such valence here.
    pub fn oxidizing_valence_kmol_kg(&self) -> Option<f64> {
        let valence = |element: &str| match element {
            "C" => Some(4.0),
            "H" | "LI" => Some(1.0),
            "AL" | "B" => Some(3.0),
            "BE" | "MG" => Some(2.0),
            "N" => Some(0.0),
            "O" => Some(-2.0),
            "F" | "CL" => Some(-1.0),
            _ => None,
        };
        self.elements_kmol_kg().iter().map(|(e, n)| valence(e).map(|v| v * n)).sum()
    }

    /// Element amounts per kg, kmol/kg, keyed by upper-case symbol.
    pub fn elements_kmol_kg(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for c in &self.components {
            let moles = c.mass_fraction / c.molar_mass_kg_kmol();
            for (e, n) in &c.formula {
                *out.entry(e.to_ascii_uppercase()).or_insert(0.0) += n * moles;
            }
        }
        out
    }
}

/// Largest magnitude of a component's enthalpy accepted, MJ/kg: the heats of formation of real
/// ingredients lie between liquid water's −15.9 and acetylene's +8.7 MJ/kg, so a value far
/// outside is a unit slip (J/kg or kJ given as J/mol), which would put the chamber beyond the
/// thermodynamic data.
const MAX_COMPONENT_ENTHALPY_MJ_KG: f64 = 20.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PropellantFile {
    propellant: Vec<Propellant>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Parse and check a propellant table; `file` names it in errors.
pub fn parse_propellants(text: &str, file: &str) -> Result<Vec<Propellant>> {
    let parsed: PropellantFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        Error::File(FileError::new(file, line, "", crate::error::plain_value_kinds(e.message())))
    })?;
    // Lines of each `name = "..."` for error locations.
    let line_of_name = |name: &str| text.find(&format!("name = \"{name}\"")).map(|o| line_of(text, o));
    // Entries are numbered from 1 in messages, as in the vehicle, wind and dispersion files.
    for (i, p) in parsed.propellant.iter().enumerate() {
        let key = |k: &str| format!("propellant[{}].{k}", i + 1);
        let err = |k: &str, m: String| Error::File(FileError::new(file, line_of_name(&p.name), key(k), m));
        if p.components.is_empty() {
            return Err(err("components", format!("`{}` has no components", p.name)));
        }
        for (j, c) in p.components.iter().enumerate() {
            let k = |field: &str| format!("components[{}].{field}", j + 1);
            if let Some(e) = c.formula.keys().find(|e| atomic_weight(e).is_none()) {
                return Err(err(&k("formula"), format!("unknown element `{e}` in the formula of {}", c.species)));
            }
            if c.formula.values().any(|n| !(n.is_finite() && *n > 0.0)) || c.formula.is_empty() {
                return Err(err(&k("formula"), format!("formula of {} needs positive, finite atom counts", c.species)));
            }
            // Finite first: an infinite temperature or enthalpy would reach the equilibrium as
            // NaN and come out as a figure of the report.
            for (field, value, positive) in [
                ("mass_fraction", c.mass_fraction, true),
                ("temperature_k", c.temperature_k, true),
                ("enthalpy_j_mol", c.enthalpy_j_mol, false),
            ] {
                if !value.is_finite() {
                    return Err(err(&k(field), format!("{}: must be a finite number, got {value}", c.species)));
                }
                if positive && !(value > 0.0) {
                    return Err(err(&k(field), format!("{}: must be positive, got {value}", c.species)));
                }
            }
        }
        for (j, c) in p.components.iter().enumerate() {
            let h_mj_kg = c.enthalpy_j_mol / c.molar_mass_kg_kmol() / 1e3;
            if h_mj_kg.abs() > MAX_COMPONENT_ENTHALPY_MJ_KG {
                return Err(err(
                    &format!("components[{}].enthalpy_j_mol", j + 1),
                    format!(
                        "{}: {} J/mol is {h_mj_kg:.1} MJ/kg, outside the ±{MAX_COMPONENT_ENTHALPY_MJ_KG:.0} MJ/kg of real propellant ingredients (liquid water −15.9, acetylene +8.7); the unit is J per mole of the formula",
                        c.species, c.enthalpy_j_mol
                    ),
                ));
            }
        }
        let sum: f64 = p.components.iter().map(|c| c.mass_fraction).sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(err("components", format!("mass fractions of `{}` sum to {sum}, not 1", p.name)));
        }
        if parsed.propellant[..i].iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
            return Err(err("name", format!("`{}` is defined twice", p.name)));
        }
    }
    Ok(parsed.propellant)
}

/// The shipped propellants, parsed once.
pub fn builtin_propellants() -> &'static [Propellant] {
    static TABLE: std::sync::OnceLock<Vec<Propellant>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| parse_propellants(BUILTIN_PROPELLANTS_TOML, "data/propellants.toml").expect("the shipped propellants parse"))
}

/// Look a propellant up by name or alias (any case); the error lists the known names.
pub fn find_propellant<'a>(table: &'a [Propellant], name: &str, role: &str) -> Result<&'a Propellant> {
    table.iter().find(|p| p.name.eq_ignore_ascii_case(name) || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))).ok_or_else(|| {
        Error::InvalidInput {
            name: role.to_owned(),
            message: format!(
                "unknown propellant `{name}`; known propellants: {}",
                table.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        }
    })
}

/// The oxidizer brings oxidizing power and the fuel needs it
/// ([`Propellant::oxidizing_valence_kmol_kg`]): a fuel named as the oxidizer (or the reverse) has
/// no combustion for the equilibrium to find, which would fail point by point with a temperature
/// out of range. The error names the role (`oxidizer` or `fuel`).
pub fn check_roles(oxidizer: &Propellant, fuel: &Propellant) -> Result<()> {
    let role = |p: &Propellant, name: &str, oxidizing: bool| {
        let Some(valence) = p.oxidizing_valence_kmol_kg() else { return Ok(()) };
        if (valence < 0.0) == oxidizing {
            return Ok(());
        }
        let (is, give) =
            if oxidizing { ("a fuel", "an oxidizer such as LOX, N2O4 or AP") } else { ("an oxidizer", "a fuel such as RP-1, LH2 or UDMH") };
        let does = if valence < 0.0 { "bring" } else { "need" };
        Err(Error::invalid(
            name,
            format!("`{}` is {is}: its elements {does} oxidizing power (propellant valence {valence:+.4} kmol/kg); give {give}", p.name),
        ))
    };
    role(oxidizer, "oxidizer", true)?;
    role(fuel, "fuel", false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_rp1_matches_nasa() {
        let t = builtin_propellants();
        assert_eq!(t.len(), 15);
        let rp1 = find_propellant(t, "rp-1", "fuel").unwrap();
        // NASA: RP-1 molar mass 13.976183 (CH1.95).
        assert!((rp1.components[0].molar_mass_kg_kmol() - 13.976183).abs() < 1e-6);
        let e = find_propellant(t, "XYZ", "--fuel").unwrap_err().to_string();
        assert!(e.contains("unknown propellant `XYZ`") && e.contains("LOX") && e.contains("ETHANOL"), "{e}");
    }

    /// The shipped oxidizers bring oxidizing power, the fuels need it.
    #[test]
    fn oxidizers_and_fuels_have_opposite_valences() {
        let t = builtin_propellants();
        let valence = |name: &str| find_propellant(t, name, "x").unwrap().oxidizing_valence_kmol_kg().expect("known elements");
        for oxidizer in ["LOX", "N2O4", "H2O2-98", "AP"] {
            assert!(valence(oxidizer) < 0.0, "{oxidizer}: {}", valence(oxidizer));
        }
        for fuel in ["LH2", "RP-1", "LCH4", "UDMH", "MMH", "N2H4", "ETHANOL", "AL", "HTPB", "AL-HTPB"] {
            assert!(valence(fuel) > 0.0, "{fuel}: {}", valence(fuel));
        }
        // LOX: −2 × 2 / 31.999 kg/kmol.
        assert!((valence("LOX") + 4.0 / 31.9988).abs() < 1e-6, "{}", valence("LOX"));
    }

    #[test]
    fn bad_files_name_the_line() {
        let text = "[[propellant]]\nname = \"X\"\ndescription = \"x\"\ncomponents = [ { species = \"a\", formula = { Q = 1 }, mass_fraction = 1.0, temperature_k = 1.0, enthalpy_j_mol = 0.0, source = \"s\" } ]\n";
        let e = parse_propellants(text, "p.toml").unwrap_err().to_string();
        assert!(e.contains("p.toml:2") && e.contains("unknown element `Q`"), "{e}");
        let e = parse_propellants("[[propellant]]\nname = 3\n", "p.toml").unwrap_err().to_string();
        assert!(e.contains("p.toml:2"), "{e}");
    }

    /// A number that is not finite is refused naming the file, the line of the entry and the
    /// field; entries and components are numbered from 1, as in the other data files.
    #[test]
    fn non_finite_numbers_are_refused_naming_the_field() {
        let entry = |name: &str, component: &str| {
            format!("[[propellant]]\nname = \"{name}\"\ndescription = \"x\"\ncomponents = [ {{ species = \"O2(L)\", formula = {{ O = 2 }}, {component}, source = \"s\" }} ]\n")
        };
        let good = "mass_fraction = 1.0, temperature_k = 90.17, enthalpy_j_mol = -12979.0";
        parse_propellants(&entry("A", good), "p.toml").expect("valid");
        for (from, to, key) in [
            ("temperature_k = 90.17", "temperature_k = inf", "temperature_k"),
            ("temperature_k = 90.17", "temperature_k = nan", "temperature_k"),
            ("enthalpy_j_mol = -12979.0", "enthalpy_j_mol = -inf", "enthalpy_j_mol"),
            ("mass_fraction = 1.0", "mass_fraction = inf", "mass_fraction"),
            ("O = 2", "O = inf", "formula"),
        ] {
            let text = format!("{}{}", entry("A", good), entry("B", good).replacen(from, to, 1));
            let e = parse_propellants(&text, "p.toml").unwrap_err();
            let Error::File(f) = &e else { panic!("{e:?}") };
            assert_eq!((f.location.file.as_str(), f.location.line), ("p.toml", Some(6)), "{e}");
            assert_eq!(f.location.key, format!("propellant[2].components[1].{key}"), "{e}");
            assert!(e.to_string().contains("finite"), "{e}");
        }
    }

    /// An enthalpy far outside what real ingredients hold is a unit slip, refused naming the
    /// field: methane's −74.6 kJ/mol given per kilogram (−4.65 MJ/kg) reads −290 MJ/kg.
    #[test]
    fn an_enthalpy_outside_real_ingredients_is_refused() {
        let text = |h: &str| {
            format!("[[propellant]]\nname = \"M\"\ndescription = \"x\"\ncomponents = [ {{ species = \"CH4\", formula = {{ C = 1, H = 4 }}, mass_fraction = 1.0, temperature_k = 298.15, enthalpy_j_mol = {h}, source = \"s\" }} ]\n")
        };
        parse_propellants(&text("-74600.0"), "p.toml").expect("methane gas");
        let e = parse_propellants(&text("-4.65e6"), "p.toml").unwrap_err();
        let Error::File(f) = &e else { panic!("{e:?}") };
        assert_eq!((f.location.line, f.location.key.as_str()), (Some(2), "propellant[1].components[1].enthalpy_j_mol"), "{e}");
        assert!(e.to_string().contains("-289.9 MJ/kg"), "{e}");
        // Every shipped ingredient lies well inside.
        for p in builtin_propellants() {
            assert!(p.enthalpy_j_kg().abs() < 0.5 * MAX_COMPONENT_ENTHALPY_MJ_KG * 1e6, "{}", p.name);
        }
    }
}
