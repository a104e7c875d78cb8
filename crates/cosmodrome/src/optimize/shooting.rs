//! Indirect single shooting for minimum-time, multi-phase, constant-thrust ascents.
//!
//! With constant thrust and mass flow in every phase the mass is a known function of time, so
//! maximising the final mass is minimising the final time. Pontryagin's principle then gives the
//! primer-vector steering `û = −λ_v/|λ_v|` and a boundary-value problem in the initial costate
//! `λ(0) = (λ_r, λ_v)` and the final time, solved by Levenberg–Marquardt with a finite-difference
//! Jacobian. The state and costate are integrated together by fixed-step RK4, so the shooting
//! function is smooth in the unknowns (an adaptive step would make it only piecewise smooth).

use std::fmt;

/// Dimension of the integrated vector: position, velocity, position costate, velocity costate.
const DIM: usize = 12;
/// Unknowns and residuals: `λ_r(0)`, `λ_v(0)`, `t_f`.
const NX: usize = 7;
/// Scale of the unknown `λ_r(0)`, s: puts it on the order of `λ_v(0)` (a pitch time scale).
const COSTATE_TIME_SCALE_S: f64 = 1000.0;
/// Scale of the unknown `t_f`, s.
const FINAL_TIME_SCALE_S: f64 = 100.0;

/// Spherical, rotating central body with a point-mass field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CentralBody {
    /// Gravitational parameter, m³/s².
    pub mu_m3_s2: f64,
    /// Radius of the sphere (zero altitude), m.
    pub radius_m: f64,
    /// Rotation rate about +z, rad/s: the atmosphere co-rotates, so it sets the air-relative velocity.
    pub rotation_rad_s: f64,
}

/// Exponential atmosphere `ρ = ρ0 exp(−h/H)`: smooth, so the costate equations stay smooth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExponentialAtmosphere {
    /// Density at zero altitude, kg/m³.
    pub sea_level_density_kg_m3: f64,
    /// Scale height, m.
    pub scale_height_m: f64,
}

/// How long a phase lasts; only the last phase may have a free duration (the minimised time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PhaseDuration {
    /// Fixed duration, s.
    Fixed(f64),
    /// Free duration bounded above, s: the phase ends when the target is reached.
    Free {
        /// Longest allowed duration (propellant exhausted), s.
        max_s: f64,
    },
}

/// One constant-thrust arc; the mass at its start is set by staging bookkeeping, not integrated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// Duration of the arc.
    pub duration: PhaseDuration,
    /// Total vacuum thrust, N.
    pub thrust_n: f64,
    /// Total propellant flow, kg/s.
    pub mass_flow_kg_s: f64,
    /// Mass at the start of the arc, kg (after the jettison that opens it).
    pub start_mass_kg: f64,
    /// RK4 steps across the arc: sets the accuracy of the shooting function.
    pub steps: usize,
}

/// Terminal orbit condition; the position along the orbit (true anomaly) is always free.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// Five classical elements (angles in rad): fixes the orbit and its orientation.
    Elements {
        /// Semi-major axis, m.
        semi_major_axis_m: f64,
        /// Eccentricity (must be > 0 so the argument of perigee exists).
        eccentricity: f64,
        /// Inclination, rad.
        inclination_rad: f64,
        /// Right ascension of the ascending node, rad.
        raan_rad: f64,
        /// Argument of perigee, rad.
        arg_perigee_rad: f64,
    },
    /// Orbit shape and inclination only: node and apsides free, as for a payload-to-orbit run.
    PerigeeApogeeInclination {
        /// Perigee radius, m.
        perigee_radius_m: f64,
        /// Apogee radius, m.
        apogee_radius_m: f64,
        /// Inclination, rad.
        inclination_rad: f64,
    },
}

/// The complete optimal-control problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Gravity and rotation.
    pub body: CentralBody,
    /// Air density model.
    pub atmosphere: ExponentialAtmosphere,
    /// Drag coefficient times reference area, m²; 0 gives a vacuum problem.
    pub drag_area_m2: f64,
    /// Smoothing of `|v_r|` in the drag law, m/s: keeps the drag partials finite at liftoff.
    pub drag_speed_epsilon_m_s: f64,
    /// Arcs in flight order; only the last may be free.
    pub phases: Vec<Phase>,
    /// Inertial position at t = 0, m.
    pub initial_position_m: [f64; 3],
    /// Inertial velocity at t = 0, m/s.
    pub initial_velocity_m_s: [f64; 3],
    /// Terminal condition.
    pub target: Target,
}

/// Starting point of the shooting iteration; any positive scaling of the costate is equivalent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// Position costate at t = 0, 1/s (relative to `λ_v`).
    pub costate_position_per_s: [f64; 3],
    /// Velocity costate at t = 0 (the thrust points along its negative).
    pub costate_velocity: [f64; 3],
    /// Final time, s.
    pub final_time_s: f64,
}

/// Limits of the Levenberg–Marquardt iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverOptions {
    /// Iterations (accepted or rejected) before giving up.
    pub max_iterations: usize,
    /// Convergence threshold on the residual 2-norm (dimensionless, ~relative).
    pub tolerance: f64,
    /// Forward-difference step on the scaled unknowns.
    pub fd_step: f64,
    /// Update the Jacobian by Broyden's rank-one formula after an accepted step instead of
    /// differencing it again (one propagation per iteration instead of eight); it is differenced
    /// again when a step built on the update fails or gains little. For the loose intermediate
    /// problems of a continuation, where most iterations are near the solution.
    pub broyden: bool,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions { max_iterations: 60, tolerance: 1e-10, fd_step: 1e-7, broyden: false }
    }
}

/// A Broyden-updated step must cut the residual norm at least to this share of the last one;
/// otherwise the next iteration differences the Jacobian afresh.
const BROYDEN_MIN_REDUCTION: f64 = 0.8;
/// Damping increases tried on a Broyden-updated Jacobian before it is differenced afresh.
const BROYDEN_TRIES: usize = 3;

/// One sample of the optimal steering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlSample {
    /// Time, s.
    pub time_s: f64,
    /// Unit thrust direction in the inertial frame.
    pub direction: [f64; 3],
}

/// Converged extremal.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Final time, s.
    pub final_time_s: f64,
    /// Mass at the final time, kg.
    pub final_mass_kg: f64,
    /// Final inertial position, m.
    pub final_position_m: [f64; 3],
    /// Final inertial velocity, m/s.
    pub final_velocity_m_s: [f64; 3],
    /// Converged initial costate and final time (reusable as a warm start).
    pub guess: Guess,
    /// Hamiltonian at the final time: negative on a minimum-time extremal.
    pub final_hamiltonian: f64,
    /// Smallest radius along the path, m (the altitude ≥ 0 path constraint is checked, not imposed).
    pub min_radius_m: f64,
    /// Levenberg–Marquardt iterations used.
    pub iterations: usize,
    /// Final residual 2-norm.
    pub residual_norm: f64,
    /// Steering at every integration node.
    pub controls: Vec<ControlSample>,
}

/// Why the shooting failed.
#[derive(Debug, Clone, PartialEq)]
pub enum OptimizeError {
    /// The problem description is inconsistent.
    InvalidProblem(&'static str),
    /// No convergence within the iteration limit.
    NotConverged {
        /// Residual 2-norm reached.
        residual_norm: f64,
        /// Iterations used.
        iterations: usize,
    },
    /// The converged extremal violates a necessary condition or a bound.
    Infeasible(&'static str),
}

impl fmt::Display for OptimizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptimizeError::InvalidProblem(m) => write!(f, "invalid problem: {m}"),
            OptimizeError::NotConverged { residual_norm, iterations } => {
                write!(f, "shooting did not converge: residual {residual_norm:e} after {iterations} iterations")
            }
            OptimizeError::Infeasible(m) => write!(f, "extremal rejected: {m}"),
        }
    }
}

impl std::error::Error for OptimizeError {}

#[inline]
fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[inline]
fn cross(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

#[inline]
fn norm(a: &[f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// Constants of one arc needed by the right-hand side.
#[derive(Clone, Copy)]
struct ArcModel<'a> {
    problem: &'a Problem,
    thrust_n: f64,
    start_mass_kg: f64,
    mass_flow_kg_s: f64,
    start_time_s: f64,
}

impl ArcModel<'_> {
    #[inline]
    fn mass_kg(&self, t: f64) -> f64 {
        self.start_mass_kg - self.mass_flow_kg_s * (t - self.start_time_s)
    }

    /// State and costate derivatives (Pontryagin, min-time, primer steering).
    #[inline]
    fn derivatives(&self, t: f64, y: &[f64; DIM], dy: &mut [f64; DIM]) {
        let p = self.problem;
        let r = [y[0], y[1], y[2]];
        let v = [y[3], y[4], y[5]];
        let lr = [y[6], y[7], y[8]];
        let lv = [y[9], y[10], y[11]];
        let inv_m = 1.0 / self.mass_kg(t);
        let mu = p.body.mu_m3_s2;
        let w = p.body.rotation_rad_s;

        let rn = norm(&r);
        let inv_rn = 1.0 / rn;
        let mu_r3 = mu * inv_rn * inv_rn * inv_rn;
        let rhat = [r[0] * inv_rn, r[1] * inv_rn, r[2] * inv_rn];
        let lvn = norm(&lv);
        let acc_t = self.thrust_n * inv_m / lvn;

        // Drag, with |v_r| smoothed at zero relative speed.
        let vr = [v[0] + w * r[1], v[1] - w * r[0], v[2]];
        let vrn = (dot(&vr, &vr) + p.drag_speed_epsilon_m_s * p.drag_speed_epsilon_m_s).sqrt();
        let rho = p.atmosphere.sea_level_density_kg_m3 * (-(rn - p.body.radius_m) / p.atmosphere.scale_height_m).exp();
        let kd = 0.5 * p.drag_area_m2 * rho * inv_m; // drag acceleration = −kd |v_r| v_r

        for i in 0..3 {
            dy[i] = v[i];
            dy[3 + i] = -mu_r3 * r[i] - acc_t * lv[i] - kd * vrn * vr[i];
        }

        // Costates: λ̇_r = −(∂g/∂r)ᵀλ_v − (∂a_D/∂r)ᵀλ_v, λ̇_v = −λ_r − (∂a_D/∂v)ᵀλ_v.
        let rl = dot(&rhat, &lv);
        let vl = dot(&vr, &lv);
        // M λ_v with M = ∂a_D/∂v = −kd (|v_r| I + v_r v_rᵀ/|v_r|) (symmetric).
        let ml = [-kd * (vrn * lv[0] + vr[0] * vl / vrn), -kd * (vrn * lv[1] + vr[1] * vl / vrn), -kd * (vrn * lv[2] + vr[2] * vl / vrn)];
        // ω × (M λ_v), ω = (0, 0, w).
        let wml = [-w * ml[1], w * ml[0], 0.0];
        let dens = kd * vrn * vl / p.atmosphere.scale_height_m;
        for i in 0..3 {
            let grav = mu_r3 * (3.0 * rhat[i] * rl - lv[i]);
            dy[6 + i] = -(grav + dens * rhat[i] + wml[i]);
            dy[9 + i] = -(lr[i] + ml[i]);
        }
    }

    fn hamiltonian(&self, t: f64, y: &[f64; DIM]) -> f64 {
        let mut dy = [0.0; DIM];
        self.derivatives(t, y, &mut dy);
        (0..6).map(|i| y[6 + i] * dy[i]).sum()
    }
}

/// Classical RK4 step.
#[inline]
fn rk4_step(arc: &ArcModel, t: f64, h: f64, y: &mut [f64; DIM]) {
    let mut k1 = [0.0; DIM];
    let mut k2 = [0.0; DIM];
    let mut k3 = [0.0; DIM];
    let mut k4 = [0.0; DIM];
    let mut tmp = [0.0; DIM];
    arc.derivatives(t, y, &mut k1);
    for i in 0..DIM {
        tmp[i] = y[i] + 0.5 * h * k1[i];
    }
    arc.derivatives(t + 0.5 * h, &tmp, &mut k2);
    for i in 0..DIM {
        tmp[i] = y[i] + 0.5 * h * k2[i];
    }
    arc.derivatives(t + 0.5 * h, &tmp, &mut k3);
    for i in 0..DIM {
        tmp[i] = y[i] + h * k3[i];
    }
    arc.derivatives(t + h, &tmp, &mut k4);
    for i in 0..DIM {
        y[i] += h / 6.0 * (k1[i] + 2.0 * (k2[i] + k3[i]) + k4[i]);
    }
}

/// End of a propagation: the integrated vector, and what the solution report needs.
struct Propagation {
    y: [f64; DIM],
    final_mass_kg: f64,
    final_hamiltonian: f64,
    min_radius_m: f64,
}

impl Problem {
    fn validate(&self) -> Result<(), OptimizeError> {
        if self.phases.is_empty() {
            return Err(OptimizeError::InvalidProblem("no phases"));
        }
        for (k, ph) in self.phases.iter().enumerate() {
            if matches!(ph.duration, PhaseDuration::Free { .. }) && k + 1 != self.phases.len() {
                return Err(OptimizeError::InvalidProblem("only the last phase may have a free duration"));
            }
            if ph.steps == 0 || !(ph.thrust_n > 0.0) || !(ph.start_mass_kg > 0.0) || !(ph.mass_flow_kg_s >= 0.0) {
                return Err(OptimizeError::InvalidProblem("each phase needs steps > 0, thrust > 0, mass > 0, flow ≥ 0"));
            }
        }
        if !matches!(self.phases.last().map(|p| p.duration), Some(PhaseDuration::Free { .. })) {
            return Err(OptimizeError::InvalidProblem("the last phase must have a free duration (the minimised time)"));
        }
        Ok(())
    }

    /// Start time of the free (last) phase, s.
    fn free_phase_start_s(&self) -> f64 {
        self.phases.iter().map(|p| if let PhaseDuration::Fixed(d) = p.duration { d } else { 0.0 }).sum()
    }

    /// Integrate state and costate from t = 0 to `final_time_s`, optionally recording the steering.
    fn propagate(&self, lam0: &[f64; 6], final_time_s: f64, mut controls: Option<&mut Vec<ControlSample>>) -> Propagation {
        let mut y = [0.0; DIM];
        y[..3].copy_from_slice(&self.initial_position_m);
        y[3..6].copy_from_slice(&self.initial_velocity_m_s);
        y[6..].copy_from_slice(lam0);
        let mut t0 = 0.0;
        let mut min_radius_m = f64::INFINITY;
        let mut last = None;
        for ph in &self.phases {
            let dur = match ph.duration {
                PhaseDuration::Fixed(d) => d,
                PhaseDuration::Free { .. } => final_time_s - t0,
            };
            let arc = ArcModel {
                problem: self,
                thrust_n: ph.thrust_n,
                start_mass_kg: ph.start_mass_kg,
                mass_flow_kg_s: ph.mass_flow_kg_s,
                start_time_s: t0,
            };
            let h = dur / ph.steps as f64;
            for k in 0..ph.steps {
                let t = t0 + h * k as f64;
                if let Some(c) = controls.as_deref_mut() {
                    c.push(sample(t, &y));
                }
                rk4_step(&arc, t, h, &mut y);
                min_radius_m = min_radius_m.min(norm(&[y[0], y[1], y[2]]));
            }
            t0 += dur;
            last = Some(arc);
        }
        if let Some(c) = controls {
            c.push(sample(t0, &y));
        }
        let arc = last.expect("validated: at least one phase");
        Propagation { y, final_mass_kg: arc.mass_kg(t0), final_hamiltonian: arc.hamiltonian(t0, &y), min_radius_m }
    }

    /// Residuals of the boundary conditions (dimensionless) for scaled unknowns `x`.
    fn residuals(&self, x: &[f64; NX]) -> [f64; NX] {
        let (lam0, tf) = unscale(x);
        let y = self.propagate(&lam0, tf, None).y;
        self.terminal_residuals(&lam0, &y)
    }

    fn terminal_residuals(&self, lam0: &[f64; 6], y: &[f64; DIM]) -> [f64; NX] {
        let mu = self.body.mu_m3_s2;
        let r = [y[0], y[1], y[2]];
        let v = [y[3], y[4], y[5]];
        let lr = [y[6], y[7], y[8]];
        let lv = [y[9], y[10], y[11]];
        let rn = norm(&r);
        let g = [-mu * r[0] / rn.powi(3), -mu * r[1] / rn.powi(3), -mu * r[2] / rn.powi(3)];
        let h = cross(&r, &v);
        let vxh = cross(&v, &h);
        let e = [vxh[0] / mu - r[0] / rn, vxh[1] / mu - r[1] / rn, vxh[2] / mu - r[2] / rn];
        let lam_scale = norm(&lr) * norm(&v) + norm(&lv) * norm(&g);
        // λ ⊥ the Kepler flow (v, g): the position along the orbit is free.
        let kepler = (dot(&lr, &v) + dot(&lv, &g)) / lam_scale;
        let lv0 = [lam0[3], lam0[4], lam0[5]];
        let normalisation = norm(&lv0) - 1.0;
        match self.target {
            Target::Elements { semi_major_axis_m, eccentricity, inclination_rad, raan_rad, arg_perigee_rad } => {
                let (si, ci) = inclination_rad.sin_cos();
                let (so, co) = raan_rad.sin_cos();
                let (sw, cw) = arg_perigee_rad.sin_cos();
                let hn_t = (mu * semi_major_axis_m * (1.0 - eccentricity * eccentricity)).sqrt();
                let hhat_t = [si * so, -si * co, ci];
                let p_t = [co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si];
                let q_t = cross(&hhat_t, &p_t);
                [
                    h[0] / hn_t - hhat_t[0],
                    h[1] / hn_t - hhat_t[1],
                    h[2] / hn_t - hhat_t[2],
                    dot(&e, &p_t) - eccentricity,
                    dot(&e, &q_t),
                    kepler,
                    normalisation,
                ]
            }
            Target::PerigeeApogeeInclination { perigee_radius_m, apogee_radius_m, inclination_rad } => {
                let a_t = 0.5 * (perigee_radius_m + apogee_radius_m);
                let e_t = (apogee_radius_m - perigee_radius_m) / (apogee_radius_m + perigee_radius_m);
                let hn_t = (mu * a_t * (1.0 - e_t * e_t)).sqrt();
                let hn = norm(&h);
                let hhat = [h[0] / hn, h[1] / hn, h[2] / hn];
                // λ ⊥ rotations about z (node free) and about h (apsides free).
                let z = [0.0, 0.0, 1.0];
                let rot = |axis: &[f64; 3]| (dot(&lr, &cross(axis, &r)) + dot(&lv, &cross(axis, &v))) / lam_scale;
                [hn / hn_t - 1.0, norm(&e) - e_t, hhat[2] - inclination_rad.cos(), kepler, rot(&z), rot(&hhat), normalisation]
            }
        }
    }
}

fn sample(t: f64, y: &[f64; DIM]) -> ControlSample {
    let n = norm(&[y[9], y[10], y[11]]);
    ControlSample { time_s: t, direction: [-y[9] / n, -y[10] / n, -y[11] / n] }
}

fn scale(g: &Guess) -> [f64; NX] {
    let l = &g.costate_position_per_s;
    let v = &g.costate_velocity;
    let n = norm(v);
    let c = COSTATE_TIME_SCALE_S / n;
    [l[0] * c, l[1] * c, l[2] * c, v[0] / n, v[1] / n, v[2] / n, g.final_time_s / FINAL_TIME_SCALE_S]
}

fn unscale(x: &[f64; NX]) -> ([f64; 6], f64) {
    let c = 1.0 / COSTATE_TIME_SCALE_S;
    ([x[0] * c, x[1] * c, x[2] * c, x[3], x[4], x[5]], x[6] * FINAL_TIME_SCALE_S)
}

fn norm_n(r: &[f64; NX]) -> f64 {
    r.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// Solve `a x = b` (n = 7) by LU with partial pivoting; `None` if singular.
fn solve_linear(a: [[f64; NX]; NX], b: [f64; NX]) -> Option<[f64; NX]> {
    let x = nalgebra::SMatrix::<f64, NX, NX>::from_fn(|i, j| a[i][j]).lu().solve(&nalgebra::SVector::<f64, NX>::from(b))?;
    x.iter().all(|v| v.is_finite()).then(|| x.into())
}

/// Solve the shooting problem from `guess`: the optimal steering, final time and final mass.
///
/// Levenberg–Marquardt on the 7 boundary residuals (5 orbit conditions or 3 + 2 free-angle
/// transversality conditions, free-anomaly transversality, `|λ_v(0)| = 1`), damping adapted by
/// the ratio of actual to predicted reduction.
pub fn solve(problem: &Problem, guess: &Guess, options: &SolverOptions) -> Result<Solution, OptimizeError> {
    solve_from(problem, guess, options, None).map(|(solution, _)| solution)
}

/// Jacobian of the scaled residuals in the scaled unknowns.
type Jacobian = [[f64; NX]; NX];

/// Where an iteration's Jacobian comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum JacobianState {
    /// To be differenced at the current point: none yet, or the last update gained too little.
    Stale,
    /// A forward difference at the current point.
    Differenced,
    /// A Broyden update, or a neighbouring problem's Jacobian: used as it is
    /// ([`SolverOptions::broyden`]).
    Updated,
}

/// [`solve`], starting with [`SolverOptions::broyden`] from `start_jacobian` (a neighbouring
/// problem's, as a continuation has it) instead of a first difference; also returns the last
/// Jacobian.
fn solve_from(
    problem: &Problem,
    guess: &Guess,
    options: &SolverOptions,
    start_jacobian: Option<Jacobian>,
) -> Result<(Solution, Jacobian), OptimizeError> {
    problem.validate()?;
    let t_free0 = problem.free_phase_start_s();
    let max_tf = t_free0
        + match problem.phases.last().map(|p| p.duration) {
            Some(PhaseDuration::Free { max_s }) => max_s,
            _ => f64::INFINITY,
        };
    let mut x = scale(guess);
    let mut f = problem.residuals(&x);
    let mut fnorm = norm_n(&f);
    let mut lambda = 1e-6;
    let mut iterations = 0;
    let mut jac = start_jacobian.unwrap_or([[0.0; NX]; NX]);
    let mut state = if start_jacobian.is_some() { JacobianState::Updated } else { JacobianState::Stale };
    while iterations < options.max_iterations && !(fnorm < options.tolerance) {
        iterations += 1;
        if state == JacobianState::Stale || !options.broyden {
            // Forward-difference Jacobian.
            for j in 0..NX {
                let mut xp = x;
                let dx = options.fd_step * x[j].abs().max(1.0);
                xp[j] += dx;
                let fp = problem.residuals(&xp);
                for i in 0..NX {
                    jac[i][j] = (fp[i] - f[i]) / dx;
                }
            }
            state = JacobianState::Differenced;
        }
        // Normal equations (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀf.
        let mut jtj = [[0.0; NX]; NX];
        let mut jtf = [0.0; NX];
        for a in 0..NX {
            for b in 0..NX {
                jtj[a][b] = (0..NX).map(|i| jac[i][a] * jac[i][b]).sum();
            }
            jtf[a] = -(0..NX).map(|i| jac[i][a] * f[i]).sum::<f64>();
        }
        let mut accepted = false;
        let lambda_before = lambda;
        // A step on an updated Jacobian gets fewer tries before the Jacobian is differenced.
        let tries = if state == JacobianState::Differenced { 12 } else { BROYDEN_TRIES };
        for _ in 0..tries {
            let mut m = jtj;
            for a in 0..NX {
                m[a][a] += lambda * jtj[a][a].max(1e-12);
            }
            let Some(dx) = solve_linear(m, jtf) else {
                lambda *= 10.0;
                continue;
            };
            let mut xn = x;
            for a in 0..NX {
                xn[a] += dx[a];
            }
            let tf = xn[6] * FINAL_TIME_SCALE_S;
            if !(tf > t_free0) || tf > max_tf * 1.2 {
                lambda *= 10.0;
                continue;
            }
            let fnew = problem.residuals(&xn);
            let nnew = norm_n(&fnew);
            if nnew.is_finite() && nnew < fnorm {
                if options.broyden {
                    // J ← J + (Δf − J Δx) Δxᵀ / (Δxᵀ Δx); a poor step asks for a fresh difference.
                    let dx2: f64 = dx.iter().map(|d| d * d).sum();
                    for i in 0..NX {
                        let predicted: f64 = (0..NX).map(|b| jac[i][b] * dx[b]).sum();
                        let miss = fnew[i] - f[i] - predicted;
                        for b in 0..NX {
                            jac[i][b] += miss * dx[b] / dx2;
                        }
                    }
                    state = if nnew < BROYDEN_MIN_REDUCTION * fnorm { JacobianState::Updated } else { JacobianState::Stale };
                }
                x = xn;
                f = fnew;
                fnorm = nnew;
                lambda = (lambda / 10.0).max(1e-12);
                accepted = true;
                break;
            }
            lambda *= 10.0;
        }
        if !accepted {
            if state == JacobianState::Updated {
                // The update misled the step: difference the Jacobian at `x` and try again.
                state = JacobianState::Stale;
                lambda = lambda_before;
                continue;
            }
            break;
        }
    }
    if !(fnorm < options.tolerance) {
        return Err(OptimizeError::NotConverged { residual_norm: fnorm, iterations });
    }
    let (lam0, tf) = unscale(&x);
    let mut controls = Vec::new();
    let prop = problem.propagate(&lam0, tf, Some(&mut controls));
    if !(prop.final_hamiltonian < 0.0) {
        return Err(OptimizeError::Infeasible("final Hamiltonian is not negative: not a minimum-time extremal"));
    }
    if tf > max_tf {
        return Err(OptimizeError::Infeasible("final time beyond the end of the free phase's propellant"));
    }
    let y = prop.y;
    let solution = Solution {
        final_time_s: tf,
        final_mass_kg: prop.final_mass_kg,
        final_position_m: [y[0], y[1], y[2]],
        final_velocity_m_s: [y[3], y[4], y[5]],
        guess: Guess {
            costate_position_per_s: [lam0[0], lam0[1], lam0[2]],
            costate_velocity: [lam0[3], lam0[4], lam0[5]],
            final_time_s: tf,
        },
        final_hamiltonian: prop.final_hamiltonian,
        min_radius_m: prop.min_radius_m,
        iterations,
        residual_norm: fnorm,
        controls,
    };
    Ok((solution, jac))
}

/// Residual norm at `guess` (diagnostics: compare candidate starting points).
pub fn residual_norm(problem: &Problem, guess: &Guess) -> f64 {
    norm_n(&problem.residuals(&scale(guess)))
}

/// Natural-parameter continuation: solve `family(1)` by walking `s` from 0 (where `guess` should
/// converge) to 1, warm-starting each problem from the previous extremal with a secant predictor,
/// halving the step on failure and growing it on success.
///
/// Needed when the target problem has no good cold start (an ascent with drag, reached from vacuum).
pub fn solve_continuation(
    family: impl Fn(f64) -> Problem,
    guess: &Guess,
    first_step: f64,
    intermediate: &SolverOptions,
    last: &SolverOptions,
) -> Result<(Solution, usize), OptimizeError> {
    let (mut sol, mut jacobian) = solve_from(&family(0.0), guess, intermediate, None)?;
    let mut total = sol.iterations;
    let mut s = 0.0;
    let mut ds = first_step;
    let mut prev: Option<(f64, [f64; NX])> = None;
    while s < 1.0 {
        let s_new = (s + ds).min(1.0);
        let x_cur = scale(&sol.guess);
        // Secant predictor along the solution path.
        let mut x_pred = x_cur;
        if let Some((s_prev, x_prev)) = prev {
            let k = (s_new - s) / (s - s_prev);
            for a in 0..NX {
                x_pred[a] += k * (x_cur[a] - x_prev[a]);
            }
        }
        let (lam, tf) = unscale(&x_pred);
        let g = Guess { costate_position_per_s: [lam[0], lam[1], lam[2]], costate_velocity: [lam[3], lam[4], lam[5]], final_time_s: tf };
        let opts = if s_new >= 1.0 { last } else { intermediate };
        // With Broyden updates, the last problem's Jacobian starts the next one.
        let res = solve_from(&family(s_new), &g, opts, opts.broyden.then_some(jacobian));
        match res {
            Ok((next, next_jacobian)) => {
                total += next.iterations;
                prev = Some((s, x_cur));
                s = s_new;
                sol = next;
                jacobian = next_jacobian;
                if sol.iterations <= 2 {
                    ds *= 2.0;
                }
            }
            Err(e) => {
                if let OptimizeError::NotConverged { iterations, .. } = e {
                    total += iterations;
                }
                ds *= 0.5;
                if ds < 1e-4 {
                    return Err(e);
                }
            }
        }
    }
    Ok((sol, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_problem() -> Problem {
        crate::optimize::delta3::problem(1.0)
    }

    /// Broyden's updates change the path to the extremal, not the extremal: the vacuum Delta III
    /// problem from the cold start, to the full tolerance, lands on the same final time and mass
    /// with the Jacobian differenced every iteration and with it updated.
    #[test]
    fn broyden_updates_reach_the_same_extremal() {
        let vacuum = crate::optimize::delta3::problem(0.0);
        let guess = crate::optimize::delta3::cold_start_guess();
        let differenced = solve(&vacuum, &guess, &SolverOptions::default()).expect("differenced");
        let updated = solve(&vacuum, &guess, &SolverOptions { broyden: true, ..SolverOptions::default() }).expect("updated");
        assert!(
            (differenced.final_mass_kg - updated.final_mass_kg).abs() < 1e-6,
            "{} vs {} kg",
            differenced.final_mass_kg,
            updated.final_mass_kg
        );
        assert!(
            (differenced.final_time_s - updated.final_time_s).abs() < 1e-6,
            "{} vs {} s",
            differenced.final_time_s,
            updated.final_time_s
        );
        assert!(updated.residual_norm < 1e-10 && differenced.residual_norm < 1e-10);
    }

    /// The costate equations are −∂H/∂x of the Hamiltonian with the optimal control: check each
    /// against a central difference of `H(x)` with `û` frozen (the envelope theorem makes freezing exact).
    #[test]
    fn costate_equations_match_hamiltonian_partials() {
        let p = test_problem();
        let arc = ArcModel { problem: &p, thrust_n: 2.0e6, start_mass_kg: 1.5e5, mass_flow_kg_s: 900.0, start_time_s: 10.0 };
        let y = [5.61e6, 1.0e4, 3.05e6, -150.0, 1800.0, 400.0, 2e-3, -1e-3, 5e-4, -0.4, -0.8, 0.3];
        let t = 40.0;
        let mut dy = [0.0; DIM];
        arc.derivatives(t, &y, &mut dy);
        let h_at = |yy: &[f64; DIM]| -> f64 {
            // H with the control of `y` (not re-optimised).
            let mut d = [0.0; DIM];
            let mut frozen = *yy;
            frozen[9..].copy_from_slice(&y[9..]);
            arc.derivatives(t, &frozen, &mut d);
            (0..6).map(|i| yy[6 + i] * d[i]).sum()
        };
        for i in 0..6 {
            let step = if i < 3 { 1.0 } else { 1e-3 };
            let mut yp = y;
            let mut ym = y;
            yp[i] += step;
            ym[i] -= step;
            let dh = (h_at(&yp) - h_at(&ym)) / (2.0 * step);
            let expected = -dy[6 + i];
            assert!((dh - expected).abs() <= 1e-6 * expected.abs().max(1e-9), "component {i}: fd {dh:e} vs {expected:e}");
        }
    }
}
