//! NASA Glenn thermodynamic data: the 9-coefficient polynomials of McBride, Zehe & Gordon
//! (NASA TP-2002-211556) read from the `thermo.inp` format, so users can add species.
//!
//! Per temperature interval, with `T` in K:
//! `cp/R = a₁T⁻² + a₂T⁻¹ + a₃ + a₄T + a₅T² + a₆T³ + a₇T⁴`,
//! `H/RT = −a₁T⁻² + a₂lnT/T + a₃ + a₄T/2 + a₅T²/3 + a₆T³/4 + a₇T⁴/5 + b₁/T`,
//! `S/R = −a₁T⁻²/2 − a₂/T + a₃lnT + a₄T + a₅T²/2 + a₆T³/3 + a₇T⁴/4 + b₂` (standard state 1 bar).

use crate::error::{Error, FileError, Result};

/// Universal gas constant the NASA data were fitted with, J/(kmol·K) (CEA's value).
pub const GAS_CONSTANT_J_KMOL_K: f64 = 8_314.51;

/// The shipped library: NASA's C/H/O/N/Al/Cl product species (see `data/thermo/README.md`).
pub const BUILTIN_THERMO_INP: &str = include_str!("../../../../../data/thermo/thermo.inp");

/// Atomic weights, kg/kmol, as used by NASA's thermo.inp (CEA's table) for the elements a
/// propellant formula may use.
pub const ATOMIC_WEIGHTS: [(&str, f64); 8] =
    [("H", 1.00794), ("C", 12.0107), ("N", 14.0067), ("O", 15.9994), ("AL", 26.981538), ("CL", 35.453), ("F", 18.9984032), ("AR", 39.948)];

/// Atomic weight of an element symbol (any case), kg/kmol.
pub fn atomic_weight(symbol: &str) -> Option<f64> {
    let upper = symbol.to_ascii_uppercase();
    ATOMIC_WEIGHTS.iter().find(|(s, _)| *s == upper).map(|&(_, w)| w)
}

/// One temperature interval of a species' polynomial.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Lower bound, K.
    pub t_low_k: f64,
    /// Upper bound, K.
    pub t_high_k: f64,
    /// a₁…a₇, b₁, b₂.
    pub coefficients: [f64; 9],
}

/// A species of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct Species {
    /// Name as in the file, e.g. `H2O`, `C(gr)`, `AL2O3(L)`.
    pub name: String,
    /// Elements (upper-case symbols) and their atom counts.
    pub formula: Vec<(String, f64)>,
    /// Condensed phase (liquid or solid) rather than gas.
    pub condensed: bool,
    /// Molar mass, kg/kmol.
    pub molar_mass_kg_kmol: f64,
    /// Polynomial intervals in increasing temperature; empty for a reactant known only by
    /// its enthalpy at one temperature.
    pub intervals: Vec<Interval>,
    /// For a reactant record (no polynomial): its enthalpy, J/mol, at the given temperature, K.
    pub assigned_enthalpy: Option<(f64, f64)>,
    /// Listed after `END PRODUCTS`: a reactant only, never a combustion product.
    pub reactant_only: bool,
}

/// Powers of the temperature the polynomials use, computed once per temperature, and the
/// weights that turn the nine coefficients into cp/R, H/RT, S/R and G/RT by one dot product
/// each (no division per species).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TemperaturePowers {
    /// T, K.
    pub t: f64,
    /// 1/T.
    pub inv_t: f64,
    /// 1/T².
    pub inv_t2: f64,
    /// ln T.
    pub ln_t: f64,
    /// T².
    pub t2: f64,
    /// T³.
    pub t3: f64,
    /// T⁴.
    pub t4: f64,
    cp: [f64; 9],
    h: [f64; 9],
    s: [f64; 9],
    g: [f64; 9],
}

impl TemperaturePowers {
    /// Powers of `t_k`.
    pub fn new(t_k: f64) -> Self {
        let inv_t = 1.0 / t_k;
        let t2 = t_k * t_k;
        let (inv_t2, ln_t, t3, t4) = (inv_t * inv_t, t_k.ln(), t2 * t_k, t2 * t2);
        let h = [-inv_t2, ln_t * inv_t, 1.0, t_k / 2.0, t2 / 3.0, t3 / 4.0, t4 / 5.0, inv_t, 0.0];
        let s = [-inv_t2 / 2.0, -inv_t, ln_t, t_k, t2 / 2.0, t3 / 3.0, t4 / 4.0, 0.0, 1.0];
        Self {
            t: t_k,
            inv_t,
            inv_t2,
            ln_t,
            t2,
            t3,
            t4,
            cp: [inv_t2, inv_t, 1.0, t_k, t2, t3, t4, 0.0, 0.0],
            h,
            s,
            g: std::array::from_fn(|k| h[k] - s[k]),
        }
    }
}

#[inline]
fn dot9(a: &[f64; 9], b: &[f64; 9]) -> f64 {
    (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) + (a[3] * b[3] + a[4] * b[4] + a[5] * b[5]) + (a[6] * b[6] + a[7] * b[7] + a[8] * b[8])
}

/// Dimensionless properties of a species at one temperature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Properties {
    /// cp/R.
    pub cp_r: f64,
    /// H/(RT).
    pub h_rt: f64,
    /// S/R at 1 bar.
    pub s_r: f64,
}

impl Species {
    /// Lowest and highest temperature of the polynomial, K.
    pub fn temperature_range_k(&self) -> (f64, f64) {
        match (self.intervals.first(), self.intervals.last()) {
            (Some(a), Some(b)) => (a.t_low_k, b.t_high_k),
            _ => (f64::NAN, f64::NAN),
        }
    }

    /// The interval that holds `t_k`, the nearest one outside the range (gases are
    /// extrapolated as CEA does).
    fn interval(&self, t_k: f64) -> &Interval {
        self.intervals.iter().find(|i| t_k <= i.t_high_k).unwrap_or_else(|| self.intervals.last().expect("polynomial"))
    }

    /// cp/R, H/RT and S/R at `t_k`. Only for species with a polynomial.
    pub fn properties(&self, t_k: f64) -> Properties {
        self.properties_at(&TemperaturePowers::new(t_k))
    }

    /// cp/R, H/RT and S/R with the powers of T computed once for all species.
    #[inline]
    pub fn properties_at(&self, tp: &TemperaturePowers) -> Properties {
        let a = &self.interval(tp.t).coefficients;
        Properties { cp_r: dot9(a, &tp.cp), h_rt: dot9(a, &tp.h), s_r: dot9(a, &tp.s) }
    }

    /// G°/RT = H/RT − S/R alone, one dot product.
    #[inline]
    pub fn gibbs_rt_at(&self, tp: &TemperaturePowers) -> f64 {
        dot9(&self.interval(tp.t).coefficients, &tp.g)
    }

    /// Molar enthalpy at `t_k`, J/mol: from the polynomial, or the assigned value of a
    /// reactant record at its own temperature.
    pub fn enthalpy_j_mol(&self, t_k: f64) -> Result<f64> {
        if !self.intervals.is_empty() {
            let (lo, hi) = self.temperature_range_k();
            if t_k < lo - 1e-6 || t_k > hi + 1e-6 {
                return Err(Error::InvalidInput {
                    name: format!("temperature of {}", self.name),
                    message: format!("{t_k} K is outside its data range {lo}–{hi} K"),
                });
            }
            return Ok(self.properties(t_k).h_rt * GAS_CONSTANT_J_KMOL_K * t_k / 1000.0);
        }
        match self.assigned_enthalpy {
            Some((t, h)) if (t - t_k).abs() < 0.01 => Ok(h),
            Some((t, _)) => Err(Error::InvalidInput {
                name: format!("temperature of {}", self.name),
                message: format!("{t_k} K given, but its enthalpy is known at {t} K only"),
            }),
            None => Err(Error::InvalidInput { name: self.name.clone(), message: "no thermodynamic data".into() }),
        }
    }
}

fn bad(file: &str, line: impl Into<Option<usize>>, key: &str, message: impl Into<String>) -> Error {
    Error::File(FileError::new(file, line.into(), key, message))
}

/// Parse a fixed-column field (1-based columns, inclusive) as a Fortran number (`D` exponents).
fn field(file: &str, line_no: usize, line: &str, cols: (usize, usize), key: &str) -> Result<f64> {
    let text = line.get(cols.0 - 1..cols.1.min(line.len())).unwrap_or("").trim();
    if text.is_empty() {
        return Ok(0.0);
    }
    let value: f64 = text
        .replace(['D', 'd'], "E")
        .parse()
        .map_err(|_| bad(file, line_no, key, format!("columns {}–{}: `{text}` is not a number", cols.0, cols.1)))?;
    if !value.is_finite() {
        return Err(bad(file, line_no, key, format!("`{text}` is not finite")));
    }
    Ok(value)
}

/// Parse a `thermo.inp` text (NASA TP-2002-211556 format). `file` names it in errors.
///
/// Lines starting with `!` or `#` are comments; `thermo` and the following line of common
/// temperature bounds open the file; `END PRODUCTS` ends the product species and `END
/// REACTANTS` the reactant-only ones.
pub fn parse_thermo_inp(text: &str, file: &str) -> Result<Vec<Species>> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('!') && !l.starts_with('#'))
        .collect();
    let mut species = Vec::new();
    let mut reactant_only = false;
    let mut k = 0;
    if lines.first().is_some_and(|(_, l)| l.trim().eq_ignore_ascii_case("thermo")) {
        k = 2;
    }
    while k < lines.len() {
        let (no, line) = lines[k];
        let upper = line.trim().to_ascii_uppercase();
        if upper.starts_with("END PROD") {
            reactant_only = true;
            k += 1;
            continue;
        }
        if upper.starts_with("END REAC") {
            break;
        }
        if looks_like_toml(line) {
            return Err(bad(
                file,
                no,
                "",
                format!(
                    "`{}` is a TOML line, not a species record: species are given in NASA's thermo.inp format \
                     (NASA TP-2002-211556: a name line, a line of formula, phase and molar mass, three lines per \
                     temperature interval)",
                    line.trim()
                ),
            ));
        }
        let name = line.split_whitespace().next().unwrap_or("").to_owned();
        let Some(&(no2, rec2)) = lines.get(k + 1) else {
            return Err(bad(file, no, &name, "species record ends after its name line"));
        };
        let ntl = field(file, no2, rec2, (1, 2), &name)?;
        if !(0.0..=10.0).contains(&ntl) || ntl.fract() != 0.0 {
            return Err(bad(file, no2, &name, format!("columns 1–2: {ntl} temperature intervals (expected 0–10)")));
        }
        let ntl = ntl as usize;
        let mut formula = Vec::new();
        for j in 0..5 {
            let c0 = 11 + 8 * j;
            let symbol = rec2.get(c0 - 1..(c0 + 1).min(rec2.len())).unwrap_or("").trim().to_ascii_uppercase();
            let count = field(file, no2, rec2, (c0 + 2, c0 + 7), &name)?;
            if !symbol.is_empty() && count != 0.0 {
                formula.push((symbol, count));
            }
        }
        if formula.is_empty() {
            return Err(bad(file, no2, &name, "columns 11–50: no elements in the formula"));
        }
        let phase = field(file, no2, rec2, (52, 52), &name)?;
        let molar_mass = field(file, no2, rec2, (53, 65), &name)?;
        if !(molar_mass > 0.0) {
            return Err(bad(file, no2, &name, format!("columns 53–65: molar mass {molar_mass} must be positive")));
        }
        let hf = field(file, no2, rec2, (66, 80), &name)?;
        let mut intervals = Vec::with_capacity(ntl);
        let mut assigned_enthalpy = None;
        if ntl == 0 {
            let Some(&(no3, rec3)) = lines.get(k + 2) else {
                return Err(bad(file, no2, &name, "reactant record lacks its temperature line"));
            };
            let t = field(file, no3, rec3, (2, 11), &name)?;
            if !(t > 0.0) {
                return Err(bad(file, no3, &name, format!("columns 2–11: temperature {t} K must be positive")));
            }
            assigned_enthalpy = Some((t, hf));
            k += 3;
        } else {
            for i in 0..ntl {
                let base = k + 2 + 3 * i;
                let (Some(&(n3, r3)), Some(&(n4, r4)), Some(&(n5, r5))) = (lines.get(base), lines.get(base + 1), lines.get(base + 2))
                else {
                    return Err(bad(file, no2, &name, format!("{ntl} intervals announced, the file ends in interval {}", i + 1)));
                };
                let t_low = field(file, n3, r3, (2, 11), &name)?;
                let t_high = field(file, n3, r3, (12, 21), &name)?;
                if !(t_low > 0.0 && t_high > t_low) {
                    return Err(bad(file, n3, &name, format!("columns 2–21: temperature range {t_low}–{t_high} K is not increasing")));
                }
                let exponents: Vec<f64> = (0..8).map(|e| field(file, n3, r3, (24 + 5 * e, 28 + 5 * e), &name)).collect::<Result<_>>()?;
                if exponents[..7] != [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0] {
                    return Err(bad(file, n3, &name, format!("columns 24–63: exponents {exponents:?}, expected -2 -1 0 1 2 3 4")));
                }
                let mut a = [0.0; 9];
                for c in 0..5 {
                    a[c] = field(file, n4, r4, (1 + 16 * c, 16 + 16 * c), &name)?;
                }
                a[5] = field(file, n5, r5, (1, 16), &name)?;
                a[6] = field(file, n5, r5, (17, 32), &name)?;
                a[7] = field(file, n5, r5, (49, 64), &name)?;
                a[8] = field(file, n5, r5, (65, 80), &name)?;
                if let Some(prev) = intervals.last() {
                    let prev: &Interval = prev;
                    if (prev.t_high_k - t_low).abs() > 1e-3 {
                        return Err(bad(
                            file,
                            n3,
                            &name,
                            format!("interval starts at {t_low} K, the previous one ends at {} K", prev.t_high_k),
                        ));
                    }
                }
                intervals.push(Interval { t_low_k: t_low, t_high_k: t_high, coefficients: a });
            }
            k += 2 + 3 * ntl;
        }
        if species.iter().any(|s: &Species| s.name == name) {
            return Err(bad(file, no, &name, format!("species `{name}` is defined twice")));
        }
        species.push(Species {
            name,
            formula,
            condensed: phase != 0.0,
            molar_mass_kg_kmol: molar_mass,
            intervals,
            assigned_enthalpy,
            reactant_only,
        });
    }
    if species.is_empty() {
        return Err(bad(file, None, "", "no species records: a thermo.inp file holds at least one species"));
    }
    Ok(species)
}

/// Whether a line has the shape of TOML (`key = value` or a `[table]` header), as a vehicle,
/// site or propellant file given in place of a thermo.inp file would: its own columns would
/// otherwise be read as a species record and fail on an unrelated field.
fn looks_like_toml(line: &str) -> bool {
    let line = line.trim();
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    line.starts_with('[') || words.next() == Some("=") || (first.contains('=') && !first.starts_with('='))
}

/// The shipped species library, parsed once.
pub fn builtin_species() -> &'static [Species] {
    static LIBRARY: std::sync::OnceLock<Vec<Species>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| parse_thermo_inp(BUILTIN_THERMO_INP, "data/thermo/thermo.inp").expect("the shipped thermo.inp parses"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str) -> &'static Species {
        builtin_species().iter().find(|s| s.name == name).unwrap()
    }

    #[test]
    fn builtin_library_parses_with_products_and_condensed_phases() {
        let lib = builtin_species();
        assert!(lib.len() > 200, "{} species", lib.len());
        assert!(find("C(gr)").condensed && !find("H2O").condensed);
        assert!(find("AL2O3(L)").condensed);
    }

    #[test]
    fn water_matches_standard_values() {
        // JANAF / CODATA: ΔHf°(H2O, g, 298.15 K) = −241.826 kJ/mol, S° = 188.835 J/(mol·K),
        // cp = 33.59 J/(mol·K).
        let w = find("H2O");
        let p = w.properties(298.15);
        let r = GAS_CONSTANT_J_KMOL_K / 1000.0;
        assert!((p.h_rt * r * 298.15 - -241_826.0).abs() < 30.0, "{}", p.h_rt * r * 298.15);
        assert!((p.s_r * r - 188.835).abs() < 0.05);
        assert!((p.cp_r * r - 33.59).abs() < 0.05);
    }

    #[test]
    fn polynomials_are_continuous_at_interval_bounds() {
        for s in builtin_species().iter().filter(|s| !s.condensed) {
            for pair in s.intervals.windows(2) {
                let t = pair[0].t_high_k;
                let below = Species { intervals: vec![pair[0].clone()], ..s.clone() }.properties(t);
                let above = Species { intervals: vec![pair[1].clone()], ..s.clone() }.properties(t);
                assert!((below.h_rt - above.h_rt).abs() < 1e-3 * below.h_rt.abs().max(1.0), "{} at {t} K", s.name);
            }
        }
    }

    #[test]
    fn errors_name_file_line_and_columns() {
        let text = "thermo\n   200.000  1000.000  6000.000 20000.000   9/08/21\nXX   test\n 1 g12/97 H   2.00                                 0    2.0158800          0.000\n    200.000  1000.000 7 -2.0 -1.0  0.0  1.0  2.0  3.0  4.0  0.0            0.000\n 1.0D+00 oops\n 1.0D+00\n";
        let e = parse_thermo_inp(text, "my.inp").unwrap_err().to_string();
        assert!(e.contains("my.inp:6") && e.contains("XX") && e.contains("not a number"), "{e}");
        let short = "thermo\nbounds\nYY  x\n 2 g12/97 H   2.00                                 0    2.0158800          0.000\n";
        let e = parse_thermo_inp(short, "s.inp").unwrap_err().to_string();
        assert!(e.contains("s.inp:4") && e.contains("2 intervals announced"), "{e}");
    }

    #[test]
    fn a_toml_file_or_an_empty_one_is_refused_as_such() {
        let vehicle = "# a vehicle file\nformat = 1\nname = \"X\"\n\n[[stage]]\nname = \"S\"\n";
        let e = parse_thermo_inp(vehicle, "v.toml").unwrap_err().to_string();
        assert!(e.starts_with("v.toml:2: `format = 1` is a TOML line") && e.contains("thermo.inp format"), "{e}");
        let table = "[[propellant]]\nid = \"X\"\n";
        let e = parse_thermo_inp(table, "p.toml").unwrap_err().to_string();
        assert!(e.starts_with("p.toml:1: `[[propellant]]` is a TOML line"), "{e}");
        for empty in ["", "! only a comment\n", "thermo\n   200.000  1000.000\nEND PRODUCTS\nEND REACTANTS\n"] {
            let e = parse_thermo_inp(empty, "e.inp").unwrap_err().to_string();
            assert_eq!(e, "e.inp: no species records: a thermo.inp file holds at least one species");
        }
    }
}
