//! The ideal rocket of NASA CEA (Gordon & McBride, NASA RP-1311, ch. 6) with an infinite-area
//! combustor: adiabatic combustion at the chamber pressure, then isentropic expansion to the
//! throat (where the flow speed equals the sound speed) and to the nozzle exit, with the
//! composition in shifting equilibrium, frozen at the chamber or frozen at the throat.

use std::collections::BTreeMap;

use super::equilibrium::{Constraint, Mixture, System, Workspace, MAX_ELEMENTS, MIN_TEMPERATURE_K, TOLERANCE};
use super::propellant::Propellant;
use super::thermo::{Species, GAS_CONSTANT_J_KMOL_K};
use crate::error::{Error, Result};
use crate::units::G0_M_S2;

/// Chamber pressures accepted, bar.
pub const CHAMBER_PRESSURE_RANGE_BAR: (f64, f64) = (0.1, 1_000.0);
/// Supersonic area ratios accepted.
pub const AREA_RATIO_RANGE: (f64, f64) = (1.0001, 1_000.0);
/// Relative corrections to which the equilibria of a search's early points (throat, exit)
/// are converged: such a point only steers the search, so a tight equilibrium there would
/// spend iterations on digits the next step discards. The accepted point is always solved
/// to the full tolerance.
const SEARCH_TOLERANCE: f64 = 1e-4;
/// A search step (in ln p) above which the next point is still an early one.
const FAR_STEP: f64 = 1e-3;

/// Smallest mole fraction of a chamber gas whose thermodynamic data must reach the chamber's
/// temperature ([`System::gas_beyond_data`]): a trace species extrapolated past its data moves
/// no figure of the report.
const MIN_FRACTION_WITHIN_DATA: f64 = 1e-3;

/// Summerfield criterion: the flow likely separates when the exit pressure falls below this
/// fraction of the ambient pressure (Summerfield, Foster & Swan, Jet Propulsion 24, 1954).
pub const SUMMERFIELD_RATIO: f64 = 0.4;

/// Where the nozzle ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NozzleExit {
    /// Exit over throat area.
    AreaRatio(f64),
    /// Chamber over exit pressure.
    PressureRatio(f64),
}

/// How the composition evolves through the nozzle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Equilibrium at every station.
    Shifting,
    /// Composition of the chamber throughout.
    FrozenAtChamber,
    /// Shifting to the throat, the throat's composition beyond.
    FrozenAtThroat,
}

/// One rocket problem.
#[derive(Debug, Clone, PartialEq)]
pub struct RocketProblem<'a> {
    /// Oxidizer.
    pub oxidizer: &'a Propellant,
    /// Fuel.
    pub fuel: &'a Propellant,
    /// Oxidizer over fuel mass flow.
    pub mixture_ratio: f64,
    /// Chamber pressure, bar.
    pub chamber_pressure_bar: f64,
    /// Nozzle exit.
    pub exit: NozzleExit,
    /// Shifting or frozen flow.
    pub flow: Flow,
    /// Ambient pressure for the ambient Isp, bar.
    pub ambient_pressure_bar: Option<f64>,
}

/// Flow state at one nozzle station.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Temperature, K.
    pub temperature_k: f64,
    /// Pressure, bar.
    pub pressure_bar: f64,
    /// Gas molar mass 1/n, g/mol.
    pub molar_mass_g_mol: f64,
    /// Isentropic exponent (equilibrium for shifting, frozen for frozen flow).
    pub gamma: f64,
    /// Speed of sound, m/s.
    pub sound_speed_m_s: f64,
    /// Flow speed, m/s.
    pub velocity_m_s: f64,
    /// Mach number.
    pub mach: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Area over throat area (0 for the infinite-area chamber).
    pub area_ratio: f64,
    /// Mole fractions above 1e-5, largest first.
    pub mole_fractions: Vec<(String, f64)>,
}

/// Result of a rocket problem.
#[derive(Debug, Clone, PartialEq)]
pub struct RocketPerformance {
    /// Chamber, throat, exit.
    pub chamber: Station,
    /// Throat.
    pub throat: Station,
    /// Exit.
    pub exit: Station,
    /// Characteristic velocity c* = p_c A_t / ṁ, m/s.
    pub c_star_m_s: f64,
    /// Vacuum thrust coefficient.
    pub thrust_coefficient_vac: f64,
    /// Vacuum specific impulse, m/s.
    pub isp_vac_m_s: f64,
    /// Exit velocity (Isp of the ideally expanded nozzle), m/s.
    pub exit_velocity_m_s: f64,
    /// Isp at the ambient pressure, m/s (None without an ambient pressure).
    pub isp_amb_m_s: Option<f64>,
    /// Thrust coefficient at the ambient pressure.
    pub thrust_coefficient_amb: Option<f64>,
    /// The exit pressure is below the Summerfield fraction of the ambient pressure.
    pub separation_likely: bool,
    /// Newton iterations spent (all equilibria).
    pub iterations: usize,
}

impl RocketPerformance {
    /// Vacuum Isp, s.
    pub fn isp_vac_s(&self) -> f64 {
        self.isp_vac_m_s / G0_M_S2
    }
    /// Ambient Isp, s.
    pub fn isp_amb_s(&self) -> Option<f64> {
        self.isp_amb_m_s.map(|v| v / G0_M_S2)
    }
}

fn invalid(name: &str, message: String) -> Error {
    Error::InvalidInput { name: name.to_owned(), message }
}

/// Check the inputs; every failure names the parameter and the accepted range.
pub fn check_problem(p: &RocketProblem<'_>) -> Result<()> {
    if !(p.mixture_ratio > 0.0) || !p.mixture_ratio.is_finite() {
        return Err(invalid("mixture ratio", format!("{} must be positive and finite", p.mixture_ratio)));
    }
    let (lo, hi) = CHAMBER_PRESSURE_RANGE_BAR;
    if !(p.chamber_pressure_bar >= lo && p.chamber_pressure_bar <= hi) {
        return Err(invalid("chamber pressure", format!("{} bar is outside {lo}–{hi} bar", p.chamber_pressure_bar)));
    }
    match p.exit {
        NozzleExit::AreaRatio(e) => {
            let (lo, hi) = AREA_RATIO_RANGE;
            if !(e >= lo && e <= hi) {
                // Said as the bounds read (above 1: an exit wider than the throat), not with the
                // last digit of the numerical floor, which the value 1 itself would seem to meet.
                return Err(invalid(
                    "expansion ratio",
                    format!("must be above 1 (an exit wider than the throat) and at most {hi}, got {e}"),
                ));
            }
        }
        NozzleExit::PressureRatio(r) => {
            if !(r > 1.9 && r <= 1e6) {
                return Err(invalid("pressure ratio", format!("must be above 1.9 (expanding beyond the throat) and at most 1e6, got {r}")));
            }
        }
    }
    if let Some(pa) = p.ambient_pressure_bar {
        if !(pa >= 0.0 && pa.is_finite()) {
            return Err(invalid("ambient pressure", format!("must be a finite number, zero or positive, got {pa} bar")));
        }
        // The nozzle exhausts into the ambient: at or above the chamber pressure nothing flows
        // out, and `Isp_vac − p_a·A_e/ṁ` would be a large negative number, not an Isp.
        if pa >= p.chamber_pressure_bar {
            return Err(invalid(
                "ambient pressure",
                format!("{pa} bar is at or above the chamber pressure {} bar: the nozzle cannot exhaust into it", p.chamber_pressure_bar),
            ));
        }
    }
    Ok(())
}

/// Elements (kmol/kg) and enthalpy (J/kg) of `oxidizer` and `fuel` at `mixture_ratio`.
fn mixture_of(oxidizer: &Propellant, fuel: &Propellant, mixture_ratio: f64) -> (BTreeMap<String, f64>, f64) {
    let wo = mixture_ratio / (1.0 + mixture_ratio);
    let wf = 1.0 - wo;
    let mut elements = BTreeMap::new();
    for (prop, w) in [(oxidizer, wo), (fuel, wf)] {
        for (e, b) in prop.elements_kmol_kg() {
            *elements.entry(e).or_insert(0.0) += w * b;
        }
    }
    (elements, wo * oxidizer.enthalpy_j_kg() + wf * fuel.enthalpy_j_kg())
}

/// Valence of an element in the products of complete combustion, as CEA counts it for its
/// equivalence ratio (RP-1311 sec. 9.1: C +4, H +1, O −2, N 0, ...).
fn valence(element: &str) -> Option<f64> {
    Some(match element {
        "C" => 4.0,
        "H" => 1.0,
        "O" => -2.0,
        "N" | "AR" | "HE" => 0.0,
        "AL" | "B" => 3.0,
        "CL" | "F" => -1.0,
        "MG" => 2.0,
        "S" => 4.0,
        _ => return None,
    })
}

/// Stoichiometric oxidizer-to-fuel mass ratio by valences: the oxidizer's negative valence per kg
/// balances the fuel's positive one. None when the pair has no such balance (an unknown element,
/// or no oxidizing/reducing pair).
fn stoichiometric_mixture_ratio(oxidizer: &Propellant, fuel: &Propellant) -> Option<f64> {
    let per_kg =
        |p: &Propellant| -> Option<f64> { p.elements_kmol_kg().iter().try_fold(0.0, |v, (e, b)| valence(e).map(|val| v + val * b)) };
    let (v_ox, v_fuel) = (per_kg(oxidizer)?, per_kg(fuel)?);
    let ratio = -v_fuel / v_ox;
    (v_ox < 0.0 && v_fuel > 0.0 && ratio.is_finite()).then_some(ratio)
}

/// Solve a rocket problem with the species of `library`.
pub fn solve_rocket(library: &[Species], p: &RocketProblem<'_>) -> Result<RocketPerformance> {
    check_problem(p)?;
    RocketSolver::new(library, p.oxidizer, p.fuel)?.solve(p)
}

/// A solver for one propellant pair: the product species and the workspace are set up once,
/// so a mixture-ratio sweep or a benchmark loop does not rebuild them.
#[derive(Debug, Clone)]
pub struct RocketSolver {
    system: System,
    workspace: Workspace,
    /// The pair's chamber equilibrium at its stoichiometric ratio and `REFERENCE_PRESSURE_BAR`,
    /// solved once: every solve starts from it (see [`RocketSolver::solve`]).
    reference: Option<Workspace>,
    oxidizer: Propellant,
    fuel: Propellant,
    /// Element amounts of the oxidizer and of the fuel, kmol/kg, in the order of the system's
    /// elements, and their enthalpies, J/kg: a solve mixes them without building maps.
    oxidizer_b0: [f64; MAX_ELEMENTS],
    fuel_b0: [f64; MAX_ELEMENTS],
    oxidizer_h_j_kg: f64,
    fuel_h_j_kg: f64,
}

/// Chamber pressure of the reference equilibrium every solve starts from, bar.
const REFERENCE_PRESSURE_BAR: f64 = 50.0;

impl RocketSolver {
    /// Products of `library` made of the pair's elements.
    pub fn new(library: &[Species], oxidizer: &Propellant, fuel: &Propellant) -> Result<Self> {
        let mut elements: Vec<String> = oxidizer.elements_kmol_kg().into_keys().collect();
        elements.extend(fuel.elements_kmol_kg().into_keys());
        elements.sort();
        elements.dedup();
        let mut system = System::new(library, &elements, &vec![0.0; elements.len()])?;
        let mut workspace = system.workspace();
        let reference = stoichiometric_mixture_ratio(oxidizer, fuel).and_then(|mixture_ratio| {
            let (amounts, h0) = mixture_of(oxidizer, fuel, mixture_ratio);
            for (i, e) in system.elements.iter().enumerate() {
                system.b0[i] = amounts.get(e).copied().unwrap_or(0.0);
            }
            system.reset_to_small_molecules(&mut workspace);
            let h0_r = h0 / GAS_CONSTANT_J_KMOL_K;
            system.equilibrate(&mut workspace, REFERENCE_PRESSURE_BAR, Constraint::Enthalpy(h0_r)).ok().map(|()| workspace.clone())
        });
        let amounts = |p: &Propellant| {
            let per_kg = p.elements_kmol_kg();
            let mut b = [0.0; MAX_ELEMENTS];
            for (i, e) in system.elements.iter().enumerate() {
                b[i] = per_kg.get(e).copied().unwrap_or(0.0);
            }
            b
        };
        Ok(Self {
            oxidizer_b0: amounts(oxidizer),
            fuel_b0: amounts(fuel),
            oxidizer_h_j_kg: oxidizer.enthalpy_j_kg(),
            fuel_h_j_kg: fuel.enthalpy_j_kg(),
            system,
            workspace,
            reference,
            oxidizer: oxidizer.clone(),
            fuel: fuel.clone(),
        })
    }

    /// Solve `p`, whose propellants must be the solver's pair. Each solve starts from the same
    /// state, so results do not depend on the previous problem: the pair's chamber equilibrium
    /// at its stoichiometric ratio, solved when the solver was built (the major products are
    /// then in place from the first iteration: four Newton iterations fewer per LOX/LH2 point at
    /// O/F 6 than from the small molecules); else from the small molecules; else from CEA's
    /// initial estimate.
    pub fn solve(&mut self, p: &RocketProblem<'_>) -> Result<RocketPerformance> {
        check_problem(p)?;
        if p.oxidizer != &self.oxidizer || p.fuel != &self.fuel {
            return Err(invalid("propellants", format!("this solver is for {}/{}", self.oxidizer.name, self.fuel.name)));
        }
        let wo = p.mixture_ratio / (1.0 + p.mixture_ratio);
        let wf = 1.0 - wo;
        for i in 0..self.system.elements.len() {
            self.system.b0[i] = wo * self.oxidizer_b0[i] + wf * self.fuel_b0[i];
        }
        let h0 = wo * self.oxidizer_h_j_kg + wf * self.fuel_h_j_kg;
        let rocket = Rocket { system: &self.system, frozen: p.flow == Flow::FrozenAtChamber };
        let mut spent = 0;
        if let Some(reference) = &self.reference {
            self.workspace.start_from(reference);
            match rocket.solve(&mut self.workspace, p, h0) {
                Ok(perf) => return self.within_data(perf, h0),
                Err(_) => spent += self.workspace.iterations,
            }
        }
        self.system.reset_to_small_molecules(&mut self.workspace);
        let mut perf = match rocket.solve(&mut self.workspace, p, h0) {
            Ok(perf) => perf,
            Err(_) => {
                // The quick starts failed (very fuel-rich, graphite): CEA's own start.
                spent += self.workspace.iterations;
                self.system.reset(&mut self.workspace);
                rocket.solve(&mut self.workspace, p, h0)?
            }
        };
        perf.iterations += spent;
        self.within_data(perf, h0)
    }

    /// `perf`, unless a chamber gas holding at least [`MIN_FRACTION_WITHIN_DATA`] of the
    /// products has thermodynamic data that end below the chamber's temperature. Above its top
    /// the polynomial is extrapolated, as CEA extrapolates gases: sound a little past it,
    /// meaningless far past it (LOX with methane given 10 MJ/mol for −89 kJ/mol: a chamber at
    /// 13,600 K holding 6 % ozone, whose data end at 6,000 K, γ 0.96 and an exit hotter than the
    /// chamber). Rocket chambers lie below 4,000 K and every gas of the shipped data that
    /// matters there reaches 6,000 K.
    fn within_data(&self, perf: RocketPerformance, h0_j_kg: f64) -> Result<RocketPerformance> {
        let t_k = perf.chamber.temperature_k;
        let beyond = perf
            .chamber
            .mole_fractions
            .iter()
            .filter(|(_, x)| *x >= MIN_FRACTION_WITHIN_DATA)
            .filter_map(|(name, x)| {
                let gas = self.system.gases.iter().find(|g| &g.species.name == name)?;
                let top_k = gas.species.temperature_range_k().1;
                (t_k > top_k).then_some((name, top_k, *x))
            })
            .max_by(|a, b| a.2.total_cmp(&b.2));
        match beyond {
            None => Ok(perf),
            Some((gas, top_k, fraction)) => Err(invalid(
                "chamber",
                format!(
                    "the equilibrium lies at {t_k:.0} K, above the thermodynamic data of {gas} ({:.1} % of the products), which end at {top_k:.0} K: the propellants' enthalpy, {:.2} MJ/kg, takes the chamber beyond what the data cover",
                    100.0 * fraction,
                    h0_j_kg / 1e6
                ),
            )),
        }
    }
}

struct Rocket<'s> {
    system: &'s System,
    frozen: bool,
}

impl Rocket<'_> {
    /// State at pressure `p_bar` on the isentrope `s0_r` (equilibrium or frozen), from the
    /// workspace's state `from` on the same isentrope.
    fn expand(&self, w: &mut Workspace, from: &Mixture, p_bar: f64, s0_r: f64, tolerance: f64) -> Result<Mixture> {
        // Start at the temperature the isentrope's slope at `from` predicts rather than at
        // `from`'s: the first Newton step then corrects the composition, not a large ln T the
        // control factor would cut (two to three iterations fewer per LOX/LH2 point).
        let dln_p = (p_bar / from.pressure_bar).ln();
        let predicted_k = from.temperature_k * (from.dlnt_dlnp_s * dln_p).exp();
        if predicted_k.is_finite() && predicted_k > MIN_TEMPERATURE_K {
            w.temperature_k = predicted_k;
            if !self.frozen {
                // The composition follows the equilibrium's tangent to the same point, from the
                // derivatives `from`'s mixture properties found (`System::predict_along`): one
                // Newton step fewer at each of the throat's and the exit's first points (LOX/LH2
                // O/F 6: 17 iterations per point become 14; LOX/RP-1 O/F 2.6: 21 become 16).
                self.system.predict_along(w, (predicted_k / from.temperature_k).ln(), dln_p);
            }
        }
        if self.frozen {
            // Newton on T: d(s/R)/dlnT = cp/R at frozen composition.
            let mut t = w.temperature_k;
            for _ in 0..50 {
                if t < MIN_TEMPERATURE_K {
                    return Err(invalid(
                        "frozen expansion",
                        format!("at {p_bar:.4} bar the temperature falls below {MIN_TEMPERATURE_K} K, under the range of the thermodynamic data (200 K); a smaller area or pressure ratio stays within it"),
                    ));
                }
                w.set_frozen_temperature(self.system, t, p_bar);
                let m = self.system.mixture(w, true);
                let ds = s0_r - m.entropy_r;
                let cp_r = m.cp_j_kg_k / GAS_CONSTANT_J_KMOL_K;
                let dln_t = (ds / cp_r).clamp(-0.5, 0.5);
                t *= dln_t.exp();
                if dln_t.abs() < 1e-10 {
                    w.set_frozen_temperature(self.system, t, p_bar);
                    // As CEA: a frozen condensed phase cannot be carried far outside the
                    // temperatures it exists at.
                    for &c in &w.active {
                        let species = &self.system.condensed[c].species;
                        let (lo, hi) = species.temperature_range_k();
                        if t < lo - 50.0 || t > hi + 50.0 {
                            return Err(invalid(
                                "frozen expansion",
                                format!("at {p_bar:.4} bar the temperature {t:.0} K is more than 50 K outside the range of the frozen condensed species {} ({lo}–{hi} K); use shifting equilibrium", species.name),
                            ));
                        }
                    }
                    return Ok(self.system.mixture(w, true));
                }
            }
            Err(invalid("frozen expansion", format!("no convergence at {p_bar:.4} bar")))
        } else {
            self.system.equilibrate_to(w, p_bar, Constraint::Entropy(s0_r), tolerance)?;
            Ok(self.system.mixture(w, false))
        }
    }

    fn station(&self, w: &Workspace, m: &Mixture, h0: f64, area_ratio: f64) -> Station {
        // The infinite-area chamber is at rest by definition.
        let velocity = if area_ratio == 0.0 { 0.0 } else { (2.0 * (h0 - m.enthalpy_j_kg)).max(0.0).sqrt() };
        let mut x: Vec<(String, f64)> = self.system.major_mole_fractions(w, 1e-5).map(|(n, x)| (n.to_owned(), x)).collect();
        x.sort_by(|a, b| b.1.total_cmp(&a.1));
        Station {
            temperature_k: m.temperature_k,
            pressure_bar: m.pressure_bar,
            molar_mass_g_mol: m.molar_mass_kg_kmol,
            gamma: m.gamma,
            sound_speed_m_s: m.sound_speed_m_s,
            velocity_m_s: velocity,
            mach: velocity / m.sound_speed_m_s,
            density_kg_m3: m.density_kg_m3,
            area_ratio,
            mole_fractions: x,
        }
    }

    fn solve(&self, w: &mut Workspace, p: &RocketProblem<'_>, h0: f64) -> Result<RocketPerformance> {
        let pc = p.chamber_pressure_bar;
        let r = GAS_CONSTANT_J_KMOL_K;
        self.system.equilibrate(w, pc, Constraint::Enthalpy(h0 / r))?;
        let chamber = self.system.mixture(w, self.frozen);
        let chamber_station = self.station(w, &chamber, h0, 0.0);
        let s0 = chamber.entropy_r;
        // Throat: Newton on x = ln(pc/p) for u² = a² (d(u²−a²)/dx ≈ (γ+1)a²/γ).
        let g = chamber.gamma;
        let mut x = g / (g - 1.0) * ((g + 1.0) / 2.0).ln();
        let mut throat = None;
        let mut last = chamber;
        let mut far = true;
        for _ in 0..30 {
            let m = self.expand(w, &last, pc * (-x).exp(), s0, if far { SEARCH_TOLERANCE } else { TOLERANCE })?;
            last = m;
            let u2 = 2.0 * (h0 - m.enthalpy_j_kg);
            let a2 = m.sound_speed_m_s * m.sound_speed_m_s;
            let step = (a2 - u2) * m.gamma / ((m.gamma + 1.0) * a2);
            // The mass flux is stationary at the throat, so c* is insensitive to the last
            // digits of its pressure; the workspace still holds this state for the station.
            if step.abs() < 1e-6 {
                if far {
                    // Converged on a loosely solved point: solve it tightly before accepting.
                    far = false;
                    continue;
                }
                throat = Some(m);
                break;
            }
            far = step.abs() > FAR_STEP;
            x += step.clamp(-0.5, 0.5);
        }
        let throat = throat.ok_or_else(|| invalid("throat", "the sonic point was not found".into()))?;
        let throat_station = self.station(w, &throat, h0, 1.0);
        let mass_flux_t = throat.density_kg_m3 * throat_station.velocity_m_s;
        let x_t = x;
        // Beyond the throat the flow may freeze at its composition there.
        let nozzle = Rocket { system: self.system, frozen: p.flow != Flow::Shifting };
        // Exit.
        let exit = match p.exit {
            NozzleExit::PressureRatio(ratio) => nozzle.expand(w, &throat, pc / ratio, s0, TOLERANCE)?,
            NozzleExit::AreaRatio(eps) => {
                // Start from the ideal-gas exit of the throat's γ, then Newton on ln ε with
                // d ln ε / dx = (1 − 1/M²)/γ.
                let gt = throat.gamma;
                let mach = ideal_exit_mach(eps, gt);
                let mut x = (gt / (gt - 1.0) * (1.0 + (gt - 1.0) / 2.0 * mach * mach).ln()).max(x_t + 0.05);
                let mut found = None;
                let mut last = throat;
                let mut far = true;
                for _ in 0..50 {
                    let m = nozzle.expand(w, &last, pc * (-x).exp(), s0, if far { SEARCH_TOLERANCE } else { TOLERANCE })?;
                    last = m;
                    let u = (2.0 * (h0 - m.enthalpy_j_kg)).max(0.0).sqrt();
                    let eps_x = mass_flux_t / (m.density_kg_m3 * u);
                    let mach = u / m.sound_speed_m_s;
                    let slope = ((1.0 - 1.0 / (mach * mach)) / m.gamma).max(1e-3);
                    let step = ((eps.ln() - eps_x.ln()) / slope).clamp(-1.0, 1.0);
                    if step.abs() < 1e-7 {
                        if far {
                            far = false;
                            continue;
                        }
                        found = Some(m);
                        break;
                    }
                    far = step.abs() > FAR_STEP;
                    x = (x + step).max(x_t + 1e-4);
                }
                found.ok_or_else(|| invalid("expansion ratio", format!("the exit pressure for area ratio {eps} was not found")))?
            }
        };
        let u_e = (2.0 * (h0 - exit.enthalpy_j_kg)).max(0.0).sqrt();
        let eps = mass_flux_t / (exit.density_kg_m3 * u_e);
        let exit_station = self.station(w, &exit, h0, eps);
        let c_star = pc * 1e5 / mass_flux_t;
        let isp_vac = u_e + exit.pressure_bar * 1e5 * eps / mass_flux_t;
        let isp_amb = p.ambient_pressure_bar.map(|pa| isp_vac - pa * 1e5 * eps / mass_flux_t);
        let iterations = w.iterations;
        let perf = RocketPerformance {
            chamber: chamber_station,
            throat: throat_station,
            exit: exit_station,
            c_star_m_s: c_star,
            thrust_coefficient_vac: isp_vac / c_star,
            isp_vac_m_s: isp_vac,
            exit_velocity_m_s: u_e,
            isp_amb_m_s: isp_amb,
            thrust_coefficient_amb: isp_amb.map(|i| i / c_star),
            separation_likely: p.ambient_pressure_bar.is_some_and(|pa| exit.pressure_bar < SUMMERFIELD_RATIO * pa),
            iterations,
        };
        let finite = [perf.c_star_m_s, perf.isp_vac_m_s, perf.exit_velocity_m_s, perf.exit.temperature_k, perf.exit.pressure_bar]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0);
        if !finite {
            return Err(invalid("rocket performance", "the solution is not physical (non-finite or non-positive figures)".into()));
        }
        Ok(perf)
    }
}

/// Supersonic Mach number of an ideal gas at area ratio `eps`: Newton on ln ε(M), whose
/// derivative is (M² − 1)/(M (1 + (γ−1)M²/2)), from the supersonic side. Only the starting
/// point of the exit search, so a few steps suffice.
fn ideal_exit_mach(eps: f64, gamma: f64) -> f64 {
    let e = (gamma + 1.0) / (2.0 * (gamma - 1.0));
    let ln_area = |m: f64| e * (2.0 / (gamma + 1.0) * (1.0 + (gamma - 1.0) / 2.0 * m * m)).ln() - m.ln();
    let target = eps.ln();
    // ε grows at least like M^((γ+1)/(γ−1)) / const, so this start is on the supersonic branch.
    let mut m: f64 = 1.0 + 2.0 * target.sqrt();
    for _ in 0..30 {
        let slope = (m * m - 1.0) / (m * (1.0 + (gamma - 1.0) / 2.0 * m * m));
        let step = (ln_area(m) - target) / slope;
        m = (m - step).max(0.5 * (m + 1.0));
        if step.abs() < 1e-10 * m {
            break;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propulsion::chemistry::{builtin_propellants, builtin_species, find_propellant};

    fn problem(mr: f64, pc: f64, exit: NozzleExit) -> RocketProblem<'static> {
        let t = builtin_propellants();
        RocketProblem {
            oxidizer: find_propellant(t, "LOX", "oxidizer").unwrap(),
            fuel: find_propellant(t, "RP-1", "fuel").unwrap(),
            mixture_ratio: mr,
            chamber_pressure_bar: pc,
            exit,
            flow: Flow::Shifting,
            ambient_pressure_bar: Some(1.01325),
        }
    }

    #[test]
    fn bad_input_is_an_error_never_nan() {
        let lib = builtin_species();
        for (p, what) in [
            (problem(0.0, 100.0, NozzleExit::AreaRatio(40.0)), "mixture ratio"),
            (problem(f64::NAN, 100.0, NozzleExit::AreaRatio(40.0)), "mixture ratio"),
            (problem(2.6, 0.0, NozzleExit::AreaRatio(40.0)), "chamber pressure"),
            (problem(2.6, f64::INFINITY, NozzleExit::AreaRatio(40.0)), "chamber pressure"),
            (problem(2.6, 100.0, NozzleExit::AreaRatio(1.0)), "expansion ratio"),
            (problem(2.6, 100.0, NozzleExit::AreaRatio(f64::NAN)), "expansion ratio"),
            (problem(2.6, 100.0, NozzleExit::PressureRatio(1.2)), "pressure ratio"),
        ] {
            let e = solve_rocket(lib, &p).unwrap_err().to_string();
            assert!(e.contains(what), "{e}");
        }
        // The bounds as they read: the value at the bound is not said to lie inside them.
        let e = solve_rocket(lib, &problem(2.6, 100.0, NozzleExit::AreaRatio(1.0))).unwrap_err().to_string();
        assert!(e.contains("must be above 1 (an exit wider than the throat) and at most 1000, got 1"), "{e}");
        let e = solve_rocket(lib, &problem(2.6, 100.0, NozzleExit::PressureRatio(1.9))).unwrap_err().to_string();
        assert!(e.contains("must be above 1.9 (expanding beyond the throat) and at most 1e6, got 1.9"), "{e}");
    }

    #[test]
    fn extreme_mixture_ratios_either_solve_or_fail_cleanly() {
        // Very fuel-rich LOX/RP-1 deposits graphite; very lean is nearly cold oxygen.
        for mr in [0.2, 0.5, 1.0, 10.0, 50.0] {
            match solve_rocket(builtin_species(), &problem(mr, 50.0, NozzleExit::AreaRatio(20.0))) {
                Ok(p) => assert!(p.isp_vac_m_s.is_finite() && p.isp_vac_m_s > 0.0 && p.chamber.temperature_k > 0.0, "O/F {mr}"),
                Err(e) => assert!(e.to_string().contains("convergence") || e.to_string().contains("physical"), "O/F {mr}: {e}"),
            }
        }
    }

    /// A chamber far above the thermodynamic data (LOX with methane given 10 MJ/mol, a
    /// plausible-looking number in the wrong unit) is an error naming the gas and the data's
    /// end, not a report with γ below 1.
    #[test]
    fn a_chamber_beyond_the_thermodynamic_data_is_an_error() {
        let library = builtin_species();
        let table = builtin_propellants();
        let mut fuel = find_propellant(table, "LCH4", "fuel").unwrap().clone();
        fuel.components[0].enthalpy_j_mol = 1e7;
        let lox = find_propellant(table, "LOX", "oxidizer").unwrap();
        let p = RocketProblem { oxidizer: lox, fuel: &fuel, ..problem(3.4, 100.0, NozzleExit::AreaRatio(40.0)) };
        let e = solve_rocket(library, &p).unwrap_err().to_string();
        assert!(e.contains("above the thermodynamic data of") && e.contains("6000 K"), "{e}");
        // The shipped methane is well within them.
        let p = RocketProblem { oxidizer: lox, fuel: find_propellant(table, "LCH4", "fuel").unwrap(), ..p };
        solve_rocket(library, &p).expect("LOX/LCH4");
    }

    #[test]
    fn frozen_alumina_far_below_its_range_is_an_error_as_in_cea() {
        let t = builtin_propellants();
        let p = RocketProblem {
            oxidizer: find_propellant(t, "AP", "oxidizer").unwrap(),
            fuel: find_propellant(t, "AL", "fuel").unwrap(),
            mixture_ratio: 4.0,
            chamber_pressure_bar: 70.0,
            exit: NozzleExit::AreaRatio(10.0),
            flow: Flow::FrozenAtChamber,
            ambient_pressure_bar: None,
        };
        let e = solve_rocket(builtin_species(), &p).unwrap_err().to_string();
        assert!(e.contains("AL2O3(L)") && e.contains("shifting"), "{e}");
    }

    #[test]
    fn pressure_ratio_exit_matches_area_ratio_exit() {
        let lib = builtin_species();
        let by_area = solve_rocket(lib, &problem(2.6, 100.0, NozzleExit::AreaRatio(40.0))).unwrap();
        let ratio = 100.0 / by_area.exit.pressure_bar;
        let by_pressure = solve_rocket(lib, &problem(2.6, 100.0, NozzleExit::PressureRatio(ratio))).unwrap();
        assert!((by_pressure.exit.area_ratio / 40.0 - 1.0).abs() < 1e-5, "{}", by_pressure.exit.area_ratio);
        assert!(
            (by_pressure.isp_vac_m_s / by_area.isp_vac_m_s - 1.0).abs() < 1e-6,
            "{} vs {}",
            by_pressure.isp_vac_m_s,
            by_area.isp_vac_m_s
        );
    }

    #[test]
    fn ideal_exit_mach_solves_the_area_mach_relation() {
        for gamma in [1.1, 1.2, 1.4] {
            for eps in [1.01, 1.5, 4.0, 40.0, 200.0, 1000.0] {
                let m = ideal_exit_mach(eps, gamma);
                let area = (2.0 / (gamma + 1.0) * (1.0 + (gamma - 1.0) / 2.0 * m * m)).powf((gamma + 1.0) / (2.0 * (gamma - 1.0))) / m;
                assert!(m > 1.0 && (area / eps - 1.0).abs() < 1e-9, "γ {gamma} ε {eps}: M {m}, area {area}");
            }
        }
    }

    #[test]
    fn nozzle_stations_start_from_the_equilibrium_tangent() {
        // The iteration counts of the bench points: a start that lost the tangent predictor
        // (or the temperature predictor, or the stoichiometric reference) takes more.
        let t = builtin_propellants();
        for (fuel, mr, most) in [("LH2", 6.0, 14), ("RP-1", 2.6, 16)] {
            let p = RocketProblem {
                fuel: find_propellant(t, fuel, "fuel").unwrap(),
                mixture_ratio: mr,
                ambient_pressure_bar: None,
                ..problem(mr, 100.0, NozzleExit::AreaRatio(40.0))
            };
            let mut solver = RocketSolver::new(builtin_species(), p.oxidizer, p.fuel).unwrap();
            let r = solver.solve(&p).unwrap();
            assert!(r.iterations <= most, "LOX/{fuel}: {} Newton iterations per point, expected at most {most}", r.iterations);
        }
    }

    #[test]
    fn frozen_flow_obeys_the_ideal_gas_closed_form() {
        // Frozen composition with nearly constant γ: c* = √(R T_c / M) / Γ(γ), Γ = √γ (2/(γ+1))^((γ+1)/(2(γ−1))).
        let mut p = problem(2.6, 100.0, NozzleExit::AreaRatio(10.0));
        p.flow = Flow::FrozenAtChamber;
        let r = solve_rocket(builtin_species(), &p).unwrap();
        let g = 0.5 * (r.chamber.gamma + r.throat.gamma);
        let gamma_fn = g.sqrt() * (2.0 / (g + 1.0)).powf((g + 1.0) / (2.0 * (g - 1.0)));
        let c_star = (GAS_CONSTANT_J_KMOL_K * r.chamber.temperature_k / r.chamber.molar_mass_g_mol).sqrt() / gamma_fn;
        assert!((r.c_star_m_s / c_star - 1.0).abs() < 0.005, "{} vs {c_star}", r.c_star_m_s);
        assert!((r.throat.mach - 1.0).abs() < 1e-6);
    }
}
