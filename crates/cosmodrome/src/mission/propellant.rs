//! Propellant performance from chemistry (`cosmodrome propellant`): the ideal rocket of a
//! propellant pair at one mixture ratio ([`PropellantReport`]), or over a sweep of mixture ratios
//! with the optimum of the vacuum Isp ([`PropellantSweepReport`]).
//!
//! Pressures are in bar and the specific impulse in seconds, as engine data sheets and NASA CEA
//! quote them; the vacuum Isp is also given in m/s.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::check_finite;
use crate::error::{Error, Result};
use crate::propulsion::chemistry::rocket::check_problem;
use crate::propulsion::chemistry::{
    check_roles, find_propellant, Flow, NozzleExit, Propellant, RocketPerformance, RocketProblem, RocketSolver, Species, Station,
};

/// Layout and version of [`PropellantReport`] (its `format` member).
pub const PROPELLANT_FORMAT: &str = "cosmodrome-propellant/1";
/// Layout and version of [`PropellantSweepReport`] (its `format` member).
pub const PROPELLANT_SWEEP_FORMAT: &str = "cosmodrome-propellant-sweep/1";

/// Most points of a mixture-ratio sweep ([`mixture_ratios`]).
pub const MAX_SWEEP_POINTS: usize = 1_000;

/// The input a mixture ratio that cannot be read is refused under ([`mixture_ratios`]): front
/// ends map it to their own flag or member.
pub const MIXTURE_RATIO_INPUT: &str = "mixture ratio";

/// The mixture ratios of a front end's text: one oxidizer-to-fuel mass ratio, or an inclusive
/// sweep `start:end:step` (at most [`MAX_SWEEP_POINTS`] points), and whether a sweep was asked
/// for. One parser for the command line's `--mixture-ratio`, the web API's `mixture_ratio` and
/// Python's, so that a text reads the same everywhere.
pub fn mixture_ratios(text: &str) -> Result<(Vec<f64>, bool)> {
    let bad = |why: String| Error::invalid(MIXTURE_RATIO_INPUT, why);
    let num = |p: &str| p.trim().parse::<f64>().map_err(|_| bad(format!("`{}` is not a number", p.trim())));
    match text.split(':').collect::<Vec<_>>().as_slice() {
        [one] => Ok((vec![num(one)?], false)),
        [a, b, step] => {
            let (a, b, step) = (num(a)?, num(b)?, num(step)?);
            if !(step > 0.0 && b >= a && a.is_finite() && b.is_finite()) {
                return Err(bad("a sweep is start:end:step with end ≥ start and step > 0".to_owned()));
            }
            let n = ((b - a) / step + 1e-9).floor() as usize + 1;
            if n > MAX_SWEEP_POINTS {
                return Err(bad(format!("{n} points, at most {MAX_SWEEP_POINTS}")));
            }
            Ok(((0..n).map(|i| a + step * i as f64).collect(), true))
        }
        _ => Err(bad("give a number or start:end:step".to_owned())),
    }
}

/// What to compute: a propellant pair from a table, in a species library, at one or more
/// mixture ratios.
#[derive(Debug, Clone)]
pub struct PropellantRequest<'a> {
    /// Species library (NASA Glenn polynomials).
    pub species: &'a [Species],
    /// Propellant table the names are looked up in.
    pub propellants: &'a [Propellant],
    /// Oxidizer name or alias.
    pub oxidizer: &'a str,
    /// Fuel name or alias.
    pub fuel: &'a str,
    /// Oxidizer-to-fuel mass ratios; one is a point, more are a sweep.
    pub mixture_ratios: &'a [f64],
    /// Chamber pressure, bar.
    pub chamber_pressure_bar: f64,
    /// Nozzle exit.
    pub exit: NozzleExit,
    /// Shifting or frozen flow.
    pub flow: Flow,
    /// Ambient pressure for the ambient Isp and the separation check, bar.
    pub ambient_pressure_bar: f64,
}

/// The answer of `cosmodrome propellant` at one mixture ratio: the point's figures with the
/// report's `format`. (serde cannot refuse unknown members of a flattened struct; the schema
/// refuses them.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false))]
pub struct PropellantReport {
    /// Layout and version of this report: `cosmodrome-propellant/1`.
    #[schemars(extend("const" = PROPELLANT_FORMAT))]
    pub format: String,
    /// The point.
    #[serde(flatten)]
    pub point: PropellantPoint,
}

/// The answer of `cosmodrome propellant` over a sweep of mixture ratios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropellantSweepReport {
    /// Layout and version of this report: `cosmodrome-propellant-sweep/1`.
    #[schemars(extend("const" = PROPELLANT_SWEEP_FORMAT))]
    pub format: String,
    /// Every point of the sweep whose chemistry converged, in order of mixture ratio.
    pub points: Vec<PropellantPoint>,
    /// The points whose chemistry did not converge (far off-stoichiometric ratios leave the
    /// equilibrium solver or the species data), in order of mixture ratio, each with its
    /// reason; absent when every point converged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedPropellantPoint>,
    /// Mixture ratio of the converged point with the highest vacuum Isp.
    pub best_point_mixture_ratio: f64,
    /// Mixture ratio of the vacuum-Isp optimum: the vertex of the parabola through the best
    /// point and its neighbours (the best point itself at an end of the sweep).
    pub optimum_mixture_ratio_isp_vac: f64,
    /// Vacuum Isp at that optimum, s.
    pub optimum_isp_vac_s: f64,
    /// Whether the optimum lies inside the sweep (false: the best point is at an end, and the
    /// optimum is beyond it).
    pub optimum_inside_sweep: bool,
}

/// A mixture ratio of a sweep whose chemistry did not converge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailedPropellantPoint {
    /// Oxidizer-to-fuel mass ratio.
    pub mixture_ratio: f64,
    /// Why no performance is given.
    pub reason: String,
}

/// Ideal performance at one mixture ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false))]
pub struct PropellantPoint {
    /// Oxidizer name.
    pub oxidizer: String,
    /// Fuel name.
    pub fuel: String,
    /// Oxidizer-to-fuel mass ratio.
    pub mixture_ratio: f64,
    /// Chamber pressure, bar.
    pub chamber_pressure_bar: f64,
    /// Nozzle exit over throat area.
    pub expansion_ratio: f64,
    /// How the composition evolves through the nozzle (`shifting equilibrium`, `frozen at the
    /// chamber`, `frozen at the throat`).
    pub flow: String,
    /// Adiabatic flame temperature, K.
    pub chamber_temperature_k: f64,
    /// Characteristic velocity, m/s.
    pub c_star_m_s: f64,
    /// Vacuum thrust coefficient.
    pub thrust_coefficient_vac: f64,
    /// Vacuum specific impulse, s.
    pub isp_vac_s: f64,
    /// Vacuum specific impulse, m/s.
    pub isp_vac_m_s: f64,
    /// Ambient pressure of the ambient Isp, bar.
    pub ambient_pressure_bar: f64,
    /// Specific impulse at the ambient pressure, s.
    pub isp_amb_s: Option<f64>,
    /// Thrust coefficient at the ambient pressure.
    pub thrust_coefficient_amb: Option<f64>,
    /// Whether the exit pressure is below 0.4 × ambient (Summerfield): the flow likely separates
    /// and the ambient Isp is not reliable.
    pub separation_likely: bool,
    /// Isentropic exponent in the chamber.
    pub gamma_chamber: f64,
    /// Molar mass of the chamber gas, g/mol.
    pub molar_mass_chamber_g_mol: f64,
    /// Exit pressure, bar.
    pub exit_pressure_bar: f64,
    /// Exit temperature, K.
    pub exit_temperature_k: f64,
    /// Exit Mach number.
    pub exit_mach: f64,
    /// Exit velocity, m/s.
    pub exit_velocity_m_s: f64,
    /// Chamber mole fractions above 1e-5, by species.
    pub species: BTreeMap<String, f64>,
    /// Chamber state.
    pub chamber: StationReport,
    /// Throat state.
    pub throat: StationReport,
    /// Exit state.
    pub exit: StationReport,
}

/// Flow state at one nozzle station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StationReport {
    /// Temperature, K.
    pub temperature_k: f64,
    /// Pressure, bar.
    pub pressure_bar: f64,
    /// Gas molar mass, g/mol.
    pub molar_mass_g_mol: f64,
    /// Isentropic exponent.
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
    /// Mole fractions above 1e-5, by species.
    pub mole_fractions: BTreeMap<String, f64>,
}

impl StationReport {
    fn new(s: &Station) -> Self {
        StationReport {
            temperature_k: s.temperature_k,
            pressure_bar: s.pressure_bar,
            molar_mass_g_mol: s.molar_mass_g_mol,
            gamma: s.gamma,
            sound_speed_m_s: s.sound_speed_m_s,
            velocity_m_s: s.velocity_m_s,
            mach: s.mach,
            density_kg_m3: s.density_kg_m3,
            area_ratio: s.area_ratio,
            mole_fractions: s.mole_fractions.iter().cloned().collect(),
        }
    }

    fn figures(&self) -> impl Iterator<Item = f64> + '_ {
        [
            self.temperature_k,
            self.pressure_bar,
            self.molar_mass_g_mol,
            self.gamma,
            self.sound_speed_m_s,
            self.velocity_m_s,
            self.mach,
            self.density_kg_m3,
            self.area_ratio,
        ]
        .into_iter()
        .chain(self.mole_fractions.values().copied())
    }
}

/// Name of a flow model as the reports write it.
pub fn flow_name(flow: Flow) -> &'static str {
    match flow {
        Flow::FrozenAtChamber => "frozen at the chamber",
        Flow::FrozenAtThroat => "frozen at the throat",
        Flow::Shifting => "shifting equilibrium",
    }
}

impl PropellantPoint {
    fn new(request: &PropellantRequest<'_>, ox: &Propellant, fu: &Propellant, mixture_ratio: f64, p: &RocketPerformance) -> Self {
        PropellantPoint {
            oxidizer: ox.name.clone(),
            fuel: fu.name.clone(),
            mixture_ratio,
            chamber_pressure_bar: request.chamber_pressure_bar,
            expansion_ratio: p.exit.area_ratio,
            flow: flow_name(request.flow).to_owned(),
            chamber_temperature_k: p.chamber.temperature_k,
            c_star_m_s: p.c_star_m_s,
            thrust_coefficient_vac: p.thrust_coefficient_vac,
            isp_vac_s: p.isp_vac_s(),
            isp_vac_m_s: p.isp_vac_m_s,
            ambient_pressure_bar: request.ambient_pressure_bar,
            isp_amb_s: p.isp_amb_s(),
            thrust_coefficient_amb: p.thrust_coefficient_amb,
            separation_likely: p.separation_likely,
            gamma_chamber: p.chamber.gamma,
            molar_mass_chamber_g_mol: p.chamber.molar_mass_g_mol,
            exit_pressure_bar: p.exit.pressure_bar,
            exit_temperature_k: p.exit.temperature_k,
            exit_mach: p.exit.mach,
            exit_velocity_m_s: p.exit_velocity_m_s,
            species: p.chamber.mole_fractions.iter().cloned().collect(),
            chamber: StationReport::new(&p.chamber),
            throat: StationReport::new(&p.throat),
            exit: StationReport::new(&p.exit),
        }
    }

    fn check(&self) -> Result<()> {
        let scalars = [
            self.mixture_ratio,
            self.chamber_pressure_bar,
            self.expansion_ratio,
            self.chamber_temperature_k,
            self.c_star_m_s,
            self.thrust_coefficient_vac,
            self.isp_vac_s,
            self.isp_vac_m_s,
            self.ambient_pressure_bar,
            self.isp_amb_s.unwrap_or(0.0),
            self.thrust_coefficient_amb.unwrap_or(0.0),
            self.gamma_chamber,
            self.molar_mass_chamber_g_mol,
            self.exit_pressure_bar,
            self.exit_temperature_k,
            self.exit_mach,
            self.exit_velocity_m_s,
        ];
        let stations = self.chamber.figures().chain(self.throat.figures()).chain(self.exit.figures());
        check_finite("propellant", scalars.into_iter().chain(self.species.values().copied()).chain(stations))
    }
}

/// The front ends' name of an input the chemistry refuses (the solver's own name otherwise):
/// the command line's flags, which the web API maps to its members.
fn input_name(name: &str) -> &str {
    match name {
        "mixture ratio" => "--mixture-ratio",
        "chamber pressure" => "--chamber-pressure-bar",
        "expansion ratio" => "--expansion-ratio",
        "pressure ratio" => "--pressure-ratio",
        "ambient pressure" => "--ambient-pressure-bar",
        "oxidizer" => "--oxidizer",
        "fuel" => "--fuel",
        other => other,
    }
}

/// The chemistry problem of one mixture ratio of the request.
fn problem_at<'a>(
    request: &PropellantRequest<'_>,
    (oxidizer, fuel): (&'a Propellant, &'a Propellant),
    mixture_ratio: f64,
) -> RocketProblem<'a> {
    RocketProblem {
        oxidizer,
        fuel,
        mixture_ratio,
        chamber_pressure_bar: request.chamber_pressure_bar,
        exit: request.exit,
        flow: request.flow,
        ambient_pressure_bar: Some(request.ambient_pressure_bar),
    }
}

/// Check the inputs every point shares (the propellants' roles among them), and every mixture ratio,
/// before any is solved: a bad input is the request's error, not a failed point of a sweep.
fn check_request(request: &PropellantRequest<'_>, oxidizer: &Propellant, fuel: &Propellant) -> Result<()> {
    let flagged = |e| match e {
        Error::InvalidInput { name, message } => Error::invalid(input_name(&name), message),
        e => e,
    };
    check_roles(oxidizer, fuel).map_err(flagged)?;
    for &mixture_ratio in request.mixture_ratios {
        check_problem(&problem_at(request, (oxidizer, fuel), mixture_ratio)).map_err(flagged)?;
    }
    Ok(())
}

/// One point: its performance, or why there is none (the equilibrium did not converge, or gave
/// a figure that is not finite).
fn solve_point(
    request: &PropellantRequest<'_>,
    solver: &mut RocketSolver,
    (oxidizer, fuel): (&Propellant, &Propellant),
    mixture_ratio: f64,
) -> Result<PropellantPoint> {
    let performance = solver.solve(&problem_at(request, (oxidizer, fuel), mixture_ratio)).map_err(|e| {
        let why = match e {
            Error::InvalidInput { name, message } => format!("{name}: {message}"),
            other => other.to_string(),
        };
        Error::invalid(format!("{}/{} at O/F {mixture_ratio}", oxidizer.name, fuel.name), why)
    })?;
    let point = PropellantPoint::new(request, oxidizer, fuel, mixture_ratio, &performance);
    point.check()?;
    Ok(point)
}

/// Solve every mixture ratio of the request, in order: each point's performance or the error
/// of its chemistry. Inputs that no point can take (an unknown propellant, a chamber pressure
/// out of range, an ambient pressure at or above the chamber's) are the request's error.
pub fn propellant_points(request: &PropellantRequest<'_>) -> Result<Vec<(f64, Result<PropellantPoint>)>> {
    if request.mixture_ratios.is_empty() {
        return Err(Error::invalid("--mixture-ratio", "no mixture ratio given"));
    }
    let oxidizer = find_propellant(request.propellants, request.oxidizer, "--oxidizer")?;
    let fuel = find_propellant(request.propellants, request.fuel, "--fuel")?;
    check_request(request, oxidizer, fuel)?;
    let mut solver = RocketSolver::new(request.species, oxidizer, fuel)?;
    Ok(request.mixture_ratios.iter().map(|&ratio| (ratio, solve_point(request, &mut solver, (oxidizer, fuel), ratio))).collect())
}

/// The ideal rocket at one mixture ratio (the request's first); its failure is the error.
pub fn propellant(request: &PropellantRequest<'_>) -> Result<PropellantReport> {
    let first = PropellantRequest { mixture_ratios: &request.mixture_ratios[..request.mixture_ratios.len().min(1)], ..request.clone() };
    let (_, point) = propellant_points(&first)?.remove(0);
    Ok(PropellantReport { format: PROPELLANT_FORMAT.to_owned(), point: point? })
}

/// The ideal rocket over a sweep of mixture ratios, with the optimum of the vacuum Isp among
/// the points that converge. A point whose chemistry fails is listed with its reason, as the
/// payload sweep lists an unreachable point, so that a wide sweep into ratios the equilibrium
/// cannot solve still answers; only a sweep of which no point converges is an error (the first
/// point's).
pub fn propellant_sweep(request: &PropellantRequest<'_>) -> Result<PropellantSweepReport> {
    let mut points = Vec::with_capacity(request.mixture_ratios.len());
    let mut failed = Vec::new();
    let mut first_error = None;
    for (mixture_ratio, point) in propellant_points(request)? {
        match point {
            Ok(point) => points.push(point),
            Err(e) => {
                // The message without the point's name (the row gives the ratio).
                let reason = match &e {
                    Error::InvalidInput { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                failed.push(FailedPropellantPoint { mixture_ratio, reason });
                first_error.get_or_insert(e);
            }
        }
    }
    let Some(best) = (0..points.len()).max_by(|&a, &b| points[a].isp_vac_s.total_cmp(&points[b].isp_vac_s)) else {
        let n = failed.len();
        return Err(match first_error {
            Some(Error::InvalidInput { name, message }) => {
                Error::invalid(name, format!("{message}; none of the sweep's {n} points converged"))
            }
            Some(e) => e,
            None => Error::invalid("--mixture-ratio", "no mixture ratio given"),
        });
    };
    let inside = best > 0 && best + 1 < points.len();
    let (mixture_ratio, isp_vac_s) =
        if inside { parabola_vertex(&points, best) } else { (points[best].mixture_ratio, points[best].isp_vac_s) };
    check_finite("propellant sweep", [mixture_ratio, isp_vac_s])?;
    Ok(PropellantSweepReport {
        format: PROPELLANT_SWEEP_FORMAT.to_owned(),
        best_point_mixture_ratio: points[best].mixture_ratio,
        optimum_mixture_ratio_isp_vac: mixture_ratio,
        optimum_isp_vac_s: isp_vac_s,
        optimum_inside_sweep: inside,
        points,
        failed,
    })
}

/// O/F and vacuum Isp (s) at the vertex of the parabola through point `i` and its neighbours,
/// clamped to them; point `i` itself when the parabola does not open downward.
fn parabola_vertex(points: &[PropellantPoint], i: usize) -> (f64, f64) {
    let at = |k: usize| (points[k].mixture_ratio, points[k].isp_vac_s);
    let ((x0, y0), (x1, y1), (x2, y2)) = (at(i - 1), at(i), at(i + 1));
    let denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
    let a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
    let b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
    let c = (x1 * x2 * (x1 - x2) * y0 + x2 * x0 * (x2 - x0) * y1 + x0 * x1 * (x0 - x1) * y2) / denom;
    if !(a < 0.0) {
        return at(i);
    }
    let x = (-b / (2.0 * a)).clamp(x0, x2);
    (x, a * x * x + b * x + c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propulsion::chemistry::{builtin_propellants, builtin_species};

    /// One ratio, or a sweep with its end included; what cannot be read is refused naming what
    /// is wrong.
    #[test]
    fn mixture_ratios_read_a_number_or_a_sweep() {
        assert_eq!(mixture_ratios("2.6").unwrap(), (vec![2.6], false));
        let (sweep, is_sweep) = mixture_ratios("2:3:0.5").unwrap();
        assert_eq!((sweep, is_sweep), (vec![2.0, 2.5, 3.0], true));
        assert_eq!(mixture_ratios("2.7:2.7:1").unwrap(), (vec![2.7], true));
        let refused = |text: &str| match mixture_ratios(text) {
            Err(Error::InvalidInput { name, message }) => {
                assert_eq!(name, MIXTURE_RATIO_INPUT);
                message
            }
            other => panic!("{text}: {other:?}"),
        };
        assert!(refused("x").contains("`x` is not a number"));
        assert!(refused("3:2:0.1").contains("end ≥ start"));
        assert!(refused("2:3:0").contains("step > 0"));
        assert!(refused("0:10000:0.001").contains("at most 1000"));
        assert!(refused("1:2").contains("give a number or start:end:step"));
        assert!(refused("nan:3:1").contains("end ≥ start"));
    }

    fn request<'a>(ratios: &'a [f64]) -> PropellantRequest<'a> {
        PropellantRequest {
            species: builtin_species(),
            propellants: builtin_propellants(),
            oxidizer: "LOX",
            fuel: "RP-1",
            mixture_ratios: ratios,
            chamber_pressure_bar: 100.0,
            exit: NozzleExit::AreaRatio(40.0),
            flow: Flow::Shifting,
            ambient_pressure_bar: 1.01325,
        }
    }

    /// The sweep's optimum lies between its neighbours and is no worse than its best point; a
    /// sweep whose best point is at its end says the optimum is outside it.
    #[test]
    fn sweep_optimum_is_bracketed_by_the_best_point_and_its_neighbours() {
        let ratios = [2.0, 2.2, 2.4, 2.6, 2.8, 3.0];
        let s = propellant_sweep(&request(&ratios)).expect("sweep");
        assert_eq!(s.points.len(), ratios.len());
        let best = s.points.iter().position(|p| p.mixture_ratio == s.best_point_mixture_ratio).unwrap();
        assert!(s.optimum_inside_sweep);
        assert!(s.optimum_isp_vac_s >= s.points[best].isp_vac_s);
        assert!(s.optimum_mixture_ratio_isp_vac > ratios[best - 1] && s.optimum_mixture_ratio_isp_vac < ratios[best + 1]);
        let edge = propellant_sweep(&request(&[1.6, 1.7, 1.8])).expect("lean sweep");
        assert!(!edge.optimum_inside_sweep, "Isp still rises at O/F 1.8: {edge:?}");
        assert_eq!(edge.optimum_mixture_ratio_isp_vac, 1.8);
    }

    /// The point report is the first point of the same sweep, with its format.
    #[test]
    fn point_report_equals_the_sweep_point() {
        let ratios = [2.6, 2.8];
        let point = propellant(&request(&ratios)).expect("point");
        let sweep = propellant_sweep(&request(&ratios)).expect("sweep");
        assert_eq!(point.format, PROPELLANT_FORMAT);
        assert_eq!(point.point, sweep.points[0]);
        let json = serde_json::to_value(&point).unwrap();
        assert_eq!(json["format"], PROPELLANT_FORMAT);
        assert_eq!(json["isp_vac_s"], serde_json::json!(point.point.isp_vac_s), "the point's figures sit at the top level");
    }

    /// A sweep into ratios the equilibrium cannot solve (LOX/LH2 at O/F 1 cools below the
    /// species data in the nozzle) keeps the points that converge, lists the others with their
    /// reason and finds the optimum among the converged; a single ratio that fails, or a sweep
    /// of which none converges, is an error.
    #[test]
    fn a_sweep_lists_the_points_that_do_not_converge() {
        let hydrogen = |ratios: &'static [f64]| PropellantRequest { fuel: "LH2", exit: NozzleExit::AreaRatio(80.0), ..request(ratios) };
        let s = propellant_sweep(&hydrogen(&[1.0, 4.5, 5.0, 5.5])).expect("the converged points answer");
        assert_eq!(s.points.iter().map(|p| p.mixture_ratio).collect::<Vec<_>>(), [4.5, 5.0, 5.5]);
        assert_eq!(s.failed.len(), 1, "{:?}", s.failed);
        assert_eq!(s.failed[0].mixture_ratio, 1.0);
        assert!(s.failed[0].reason.contains("no convergence") && !s.failed[0].reason.starts_with("invalid"), "{:?}", s.failed);
        assert!(s.optimum_inside_sweep && (4.5..5.5).contains(&s.optimum_mixture_ratio_isp_vac), "{s:?}");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["failed"][0]["mixture_ratio"], 1.0);
        let back: PropellantSweepReport = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
        // Every point converged: no `failed` member, as before.
        let all = serde_json::to_value(propellant_sweep(&request(&[2.6, 2.8])).unwrap()).unwrap();
        assert!(all.get("failed").is_none(), "{all}");

        let single = propellant(&hydrogen(&[1.0])).expect_err("one ratio that fails is an error");
        assert!(single.to_string().contains("LOX/LH2 at O/F 1") && single.to_string().contains("no convergence"), "{single}");
        let none = propellant_sweep(&hydrogen(&[0.5, 1.0])).expect_err("no point converges");
        assert!(none.to_string().contains("none of the sweep's 2 points converged"), "{none}");
    }

    /// At or above the chamber pressure the nozzle cannot exhaust: refused naming the flag, for
    /// a point and for a sweep alike, before any point is solved.
    #[test]
    fn an_ambient_pressure_at_or_above_the_chamber_pressure_is_refused() {
        for (ambient, ratios) in [(1e6, &[2.6][..]), (100.0, &[2.6][..]), (150.0, &[2.4, 2.6][..])] {
            let r = PropellantRequest { ambient_pressure_bar: ambient, ..request(ratios) };
            let e = if ratios.len() == 1 { propellant(&r).map(|_| ()) } else { propellant_sweep(&r).map(|_| ()) }.unwrap_err();
            match &e {
                Error::InvalidInput { name, message } => {
                    assert_eq!(name, "--ambient-pressure-bar");
                    assert!(message.contains("at or above the chamber pressure 100 bar"), "{e}");
                }
                other => panic!("{other:?}"),
            }
        }
        let below = PropellantRequest { ambient_pressure_bar: 50.0, ..request(&[2.6]) };
        assert!(propellant(&below).is_ok());
    }

    #[test]
    fn unknown_propellants_and_empty_sweeps_are_refused() {
        let mut r = request(&[2.6]);
        r.fuel = "KEROSINE-X";
        assert!(propellant(&r).unwrap_err().to_string().contains("--fuel"));
        assert!(propellant_sweep(&request(&[])).is_err());
    }
}
