//! Chemical equilibrium by Gibbs energy minimization in the formulation of NASA's CEA
//! (Gordon & McBride, NASA RP-1311, ch. 2–3): Lagrange multipliers π for the element
//! balances, Newton iterations on the reduced system (elements, active condensed species,
//! total gas moles and, at fixed enthalpy or entropy, temperature), the control factor of
//! RP-1311 eq. 3.1–3.3 on each step, condensed species entering when they lower the Gibbs
//! energy and leaving when their amount falls to zero. Amounts are kmol per kg of mixture.
//!
//! A [`Workspace`] holds every array the iterations touch: after it is built for a set of
//! elements and species no iteration allocates.

use super::thermo::{Species, TemperaturePowers, GAS_CONSTANT_J_KMOL_K};
use crate::error::{Error, Result};

/// Most elements a problem may have.
pub const MAX_ELEMENTS: usize = 8;
/// Most condensed species active at once.
pub const MAX_ACTIVE_CONDENSED: usize = 6;
const N_MAX: usize = MAX_ELEMENTS + MAX_ACTIVE_CONDENSED + 2;
/// Column of the (first) right-hand side in a [`Matrix`].
const RHS: usize = N_MAX;
/// Column of the second right-hand side (the mixture's two derivatives share one matrix).
const RHS2: usize = N_MAX + 1;
/// An augmented linear system of at most `N_MAX` unknowns with two right-hand sides; held
/// in the [`Workspace`] so an iteration zeroes only the part its system uses.
type Matrix = [[f64; N_MAX + 2]; N_MAX];

/// Lowest temperature an iteration may reach, K (the gas data start at 200 K).
pub const MIN_TEMPERATURE_K: f64 = 100.0;
/// Newton iterations allowed per equilibrium (CEA allows 50 + number of species / 2).
const MAX_ITERATIONS: usize = 200;
/// Phase-set changes (condensed species entering or leaving) allowed per equilibrium.
const MAX_PHASE_CHANGES: usize = 30;
/// Relative tolerance on every correction (RP-1311 eq. 3.5), tighter than CEA's 0.5e-5: it
/// costs no extra iteration on the validation grid (Newton converges quadratically) and keeps
/// results independent of the starting point to about 1e-7.
pub const TOLERANCE: f64 = 0.5e-7;
/// Convergence of ln T; CEA stops at 1e-4. The flow speed comes from an enthalpy difference,
/// so the temperature is converged further (one more Newton step at most).
const TOLERANCE_LN_T: f64 = 1e-7;
/// ln(1e-8): a gas below this mole fraction is "trace" for the control factor (RP-1311 3.2).
const LN_TRACE: f64 = -18.420681;
/// A gas whose mole fraction falls below e^-25 (1.4e-11) leaves the iterations: its share of
/// every sum of the reduced system (element balances, total moles, enthalpy, entropy) is under
/// 1e-11 each, far inside the 0.5e-7 tolerance even for a hundred such gases, yet every live gas
/// costs its polynomial, an exponential and its share of the sums each iteration. Of the 121
/// C/H/O products of LOX/RP-1 about twenty stay live. At convergence every such gas gets its
/// equilibrium amount and comes back if that exceeds `LN_READMIT` (see `readmit_trace_gases`),
/// so the result is the one of iterating on all of them to within 1e-9.
const LN_DROP: f64 = -25.0;
/// Mole fraction (ln) above which a left-out gas rejoins the iterations; above `LN_DROP` so a
/// gas at the border does not leave and return at every equilibrium.
const LN_READMIT: f64 = -23.0;
/// Gases of at most this many atoms make up the quick initial estimate
/// (`System::reset_to_small_molecules`).
const START_ATOMS: f64 = 3.0;
/// A system of at most this many gases starts with all of them (as CEA): their iterations
/// are cheap, and a gas joining later costs two more (H2O2 of LOX/LH2, four atoms).
const SMALL_SYSTEM_GASES: usize = 30;

/// One product species as the solver sees it.
#[derive(Debug, Clone)]
pub struct Product {
    /// The library record.
    pub species: Species,
    /// Atoms of each problem element per molecule.
    pub atoms: [f64; MAX_ELEMENTS],
}

/// What is held fixed besides pressure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint {
    /// Temperature, K.
    Temperature(f64),
    /// Specific enthalpy over R, kmol·K/kg (h / R).
    Enthalpy(f64),
    /// Specific entropy over R, kmol/kg (s / R).
    Entropy(f64),
}

/// Elements, products and the element amounts of the reactants.
#[derive(Debug, Clone)]
pub struct System {
    /// Element symbols, upper case.
    pub elements: Vec<String>,
    /// Gaseous products.
    pub gases: Vec<Product>,
    /// Condensed products (each phase a species).
    pub condensed: Vec<Product>,
    /// Element amounts of the reactants, kmol/kg.
    pub b0: [f64; MAX_ELEMENTS],
    /// Atoms of each element per gas molecule, contiguous (the `atoms` of `gases`).
    gas_rows: Vec<[f64; MAX_ELEMENTS]>,
}

impl System {
    /// Every product of `library` made only of `elements` (ions and reactant-only records
    /// left out), with reactant element amounts `b0` (kmol/kg, in the order of `elements`).
    pub fn new(library: &[Species], elements: &[String], b0: &[f64]) -> Result<Self> {
        if elements.is_empty() || elements.len() > MAX_ELEMENTS {
            return Err(Error::InvalidInput {
                name: "elements".into(),
                message: format!("{} elements (1–{MAX_ELEMENTS} supported)", elements.len()),
            });
        }
        let mut gases = Vec::new();
        let mut condensed = Vec::new();
        for s in library.iter().filter(|s| !s.reactant_only && !s.intervals.is_empty()) {
            let mut atoms = [0.0; MAX_ELEMENTS];
            let mut inside = true;
            for (sym, n) in &s.formula {
                match elements.iter().position(|e| e == sym) {
                    Some(i) => atoms[i] += n,
                    None => inside = false,
                }
            }
            if !inside {
                continue;
            }
            let p = Product { species: s.clone(), atoms };
            if s.condensed {
                condensed.push(p);
            } else {
                gases.push(p);
            }
        }
        for (i, e) in elements.iter().enumerate() {
            if !gases.iter().any(|g| g.atoms[i] > 0.0) {
                return Err(Error::InvalidInput { name: "elements".into(), message: format!("no gaseous product species contains {e}") });
            }
        }
        let mut b = [0.0; MAX_ELEMENTS];
        b[..b0.len()].copy_from_slice(b0);
        let gas_rows = gases.iter().map(|g| g.atoms).collect();
        Ok(Self { elements: elements.to_vec(), gases, condensed, b0: b, gas_rows })
    }

    /// A fresh workspace sized for this system.
    pub fn workspace(&self) -> Workspace {
        let ng = self.gases.len();
        let nc = self.condensed.len();
        Workspace {
            temperature_k: 3800.0,
            pressure_bar: 1.0,
            ln_n: 0.1f64.ln(),
            ln_nj: vec![(0.1 / ng as f64).ln(); ng],
            n_cond: vec![0.0; nc],
            active: Vec::with_capacity(MAX_ACTIVE_CONDENSED),
            live: (0..ng).collect(),
            is_live: vec![true; ng],
            g_cp: vec![0.0; ng],
            g_h: vec![0.0; ng],
            g_s: vec![0.0; ng],
            mu: vec![0.0; ng],
            nj: vec![0.0; ng],
            dln_nj: vec![0.0; ng],
            c_cp: vec![0.0; nc],
            c_h: vec![0.0; nc],
            c_s: vec![0.0; nc],
            pi: [0.0; MAX_ELEMENTS],
            matrix: Box::new([[0.0; N_MAX + 2]; N_MAX]),
            tangent: [[0.0; N_MAX]; 2],
            tangent_ready: false,
            iterations: 0,
        }
    }

    /// Back to CEA's initial estimate (RP-1311 sec. 3.4: 0.1 kmol/kg spread evenly over the
    /// gases, 3800 K, no condensed species), without allocating.
    pub fn reset(&self, w: &mut Workspace) {
        self.reset_over(w, |_| true);
    }

    /// CEA's initial estimate spread over the gases of at most `START_ATOMS` atoms only, in a
    /// system of more than `SMALL_SYSTEM_GASES` (else all of them): the larger molecules are
    /// trace at combustion temperatures, and starting each at 1/ng of the mixture costs the
    /// first iterations most of their work on bringing them down. They join at convergence
    /// with their equilibrium amounts if they are not trace (`readmit_trace_gases`). About
    /// half the iterations of [`System::reset`] for LOX/RP-1; a caller falls back to that
    /// start when this one does not converge (very fuel-rich mixtures depositing graphite).
    pub fn reset_to_small_molecules(&self, w: &mut Workspace) {
        let all = self.gases.len() <= SMALL_SYSTEM_GASES;
        self.reset_over(w, |atoms| all || atoms.iter().sum::<f64>() <= START_ATOMS);
    }

    fn reset_over(&self, w: &mut Workspace, start: impl Fn(&[f64; MAX_ELEMENTS]) -> bool) {
        w.temperature_k = 3800.0;
        w.ln_n = 0.1f64.ln();
        w.live.clear();
        w.live.extend((0..self.gases.len()).filter(|&j| start(&self.gas_rows[j])));
        w.ln_nj.fill(w.ln_n - 300.0);
        let ln_start = (0.1 / w.live.len() as f64).ln();
        for &j in &w.live {
            w.ln_nj[j] = ln_start;
        }
        w.n_cond.fill(0.0);
        w.active.clear();
        w.pi = [0.0; MAX_ELEMENTS];
        w.tangent_ready = false;
        w.iterations = 0;
    }

    fn update_properties(&self, w: &mut Workspace) {
        let tp = TemperaturePowers::new(w.temperature_k);
        for &j in &w.live {
            let p = self.gases[j].species.properties_at(&tp);
            w.g_cp[j] = p.cp_r;
            w.g_h[j] = p.h_rt;
            w.g_s[j] = p.s_r;
        }
        for &c in &w.active {
            let p = self.condensed[c].species.properties_at(&tp);
            w.c_cp[c] = p.cp_r;
            w.c_h[c] = p.h_rt;
            w.c_s[c] = p.s_r;
        }
    }

    /// Equilibrium at `pressure_bar` under `constraint`, starting from the workspace's state.
    pub fn equilibrate(&self, w: &mut Workspace, pressure_bar: f64, constraint: Constraint) -> Result<()> {
        self.equilibrate_to(w, pressure_bar, constraint, TOLERANCE)
    }

    /// As [`System::equilibrate`], converged to relative corrections of `tolerance` (looser
    /// for the intermediate points of a search, which only steer it).
    pub fn equilibrate_to(&self, w: &mut Workspace, pressure_bar: f64, constraint: Constraint, tolerance: f64) -> Result<()> {
        if !(pressure_bar > 0.0) || !pressure_bar.is_finite() {
            return Err(Error::InvalidInput { name: "pressure".into(), message: format!("{pressure_bar} bar must be positive") });
        }
        w.pressure_bar = pressure_bar;
        if let Constraint::Temperature(t) = constraint {
            w.temperature_k = t;
        }
        for _ in 0..MAX_PHASE_CHANGES {
            self.newton(w, constraint, tolerance)?;
            if !self.adjust_phases(w) {
                return Ok(());
            }
        }
        Err(no_convergence(w, "condensed phases kept entering and leaving"))
    }

    /// Drop condensed species with no amount or out of range, add the one that lowers the
    /// Gibbs energy most (RP-1311 sec. 3.3). True when the phase set changed.
    fn adjust_phases(&self, w: &mut Workspace) -> bool {
        let t = w.temperature_k;
        let before = w.active.len();
        let mut i = 0;
        let mut switched = false;
        while i < w.active.len() {
            let c = w.active[i];
            let (lo, hi) = self.condensed[c].species.temperature_range_k();
            if w.n_cond[c] > 0.0 && (t < lo - 50.0 || t > hi + 50.0) {
                // Out of its range: the same compound in the phase of this temperature takes
                // over its amount (RP-1311 sec. 3.3: the adjacent phase), if there is one.
                if let Some(other) = self.other_phase(c, t) {
                    w.n_cond[other] = w.n_cond[c];
                    w.n_cond[c] = 0.0;
                    w.active[i] = other;
                    switched = true;
                    i += 1;
                    continue;
                }
            }
            if w.n_cond[c] <= 0.0 || t < lo - 50.0 || t > hi + 50.0 {
                w.n_cond[c] = 0.0;
                w.active.swap_remove(i);
            } else {
                i += 1;
            }
        }
        if switched {
            self.update_properties(w);
            return true;
        }
        let removed = w.active.len() != before;
        if removed {
            return true;
        }
        if w.active.len() >= MAX_ACTIVE_CONDENSED {
            return false;
        }
        let mut best: Option<(usize, f64)> = None;
        for (c, p) in self.condensed.iter().enumerate() {
            let (lo, hi) = p.species.temperature_range_k();
            if w.active.contains(&c) || t < lo || t > hi {
                continue;
            }
            let props = p.species.properties(t);
            let mut delta = props.h_rt - props.s_r;
            for i in 0..self.elements.len() {
                delta -= p.atoms[i] * w.pi[i];
            }
            if delta < -1e-8 && best.is_none_or(|(_, d)| delta < d) {
                best = Some((c, delta));
            }
        }
        match best {
            Some((c, _)) => {
                w.active.push(c);
                w.n_cond[c] = 0.0;
                self.update_properties(w);
                true
            }
            None => false,
        }
    }

    /// The same compound (same atoms, same name before the phase) in a phase whose range holds
    /// `t_k`, not active yet.
    fn other_phase(&self, c: usize, t_k: f64) -> Option<usize> {
        let this = &self.condensed[c];
        let this_stem = phase_stem(&this.species.name);
        self.condensed.iter().position(|o| {
            let (lo, hi) = o.species.temperature_range_k();
            o.atoms == this.atoms
                && phase_stem(&o.species.name) == this_stem
                && lo <= t_k
                && t_k <= hi
                && o.species.name != this.species.name
        })
    }

    /// Newton iterations to convergence at the workspace's phase set. The common element
    /// counts (H/O: 2, C/H/O: 3, C/H/O/N: 4) get their own copies of the loops, whose bounds
    /// are then known at compile time: the element loops unroll and lose their index checks.
    /// The arithmetic is the same in every copy.
    fn newton(&self, w: &mut Workspace, constraint: Constraint, tolerance: f64) -> Result<()> {
        match self.elements.len() {
            2 => self.newton_for::<2>(w, constraint, tolerance),
            3 => self.newton_for::<3>(w, constraint, tolerance),
            4 => self.newton_for::<4>(w, constraint, tolerance),
            _ => self.newton_for::<0>(w, constraint, tolerance),
        }
    }

    /// [`System::newton`] for `NEL` elements (0: any number, read from the system).
    fn newton_for<const NEL: usize>(&self, w: &mut Workspace, constraint: Constraint, tolerance: f64) -> Result<()> {
        let nel = if NEL == 0 { self.elements.len() } else { NEL };
        debug_assert_eq!(nel, self.elements.len());
        let fixed_t = matches!(constraint, Constraint::Temperature(_));
        let ln_p = w.pressure_bar.ln();
        let b0_max = self.b0[..nel].iter().fold(0.0, |a: f64, &v| a.max(v));
        let (mut worst_before, mut full_step_before) = (f64::INFINITY, false);
        w.tangent_ready = false;
        for _ in 0..MAX_ITERATIONS {
            w.iterations += 1;
            self.update_properties(w);
            let n = w.ln_n.exp();
            let na = w.active.len();
            let size = nel + na + 1 + usize::from(!fixed_t);
            let m = &mut *w.matrix;
            clear(m, size);
            let rhs = RHS;
            let i_n = nel + na;
            let i_t = i_n + 1;
            let entropy = matches!(constraint, Constraint::Entropy(_));
            let shift = w.ln_n - ln_p;
            // One pass over the live gases accumulates every sum of the reduced system
            // (RP-1311 eq. 2.24–2.28); trace gases are not live (see `LN_DROP`).
            let mut b_gas = [0.0; MAX_ELEMENTS];
            let mut an_h = [0.0; MAX_ELEMENTS];
            let mut an_s = [0.0; MAX_ELEMENTS];
            let (mut sum_nj, mut sum_nh, mut sum_n_mu, mut n_h2, mut n_h_mu, mut cp_gas) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            let (mut n_s, mut n_hs, mut n_s_mu) = (0.0, 0.0, 0.0);
            for &j in &w.live {
                let nj = w.ln_nj[j].exp();
                w.nj[j] = nj;
                let h = w.g_h[j];
                let mu = h - w.g_s[j] + w.ln_nj[j] - w.ln_n + ln_p;
                w.mu[j] = mu;
                sum_nj += nj;
                let nh = nj * h;
                sum_nh += nh;
                sum_n_mu += nj * mu;
                n_h2 += nh * h;
                n_h_mu += nh * mu;
                cp_gas += nj * w.g_cp[j];
                let ns = if entropy { nj * (w.g_s[j] - w.ln_nj[j] + shift) } else { 0.0 };
                n_s += ns;
                n_hs += ns * h;
                n_s_mu += ns * mu;
                let a = &self.gas_rows[j];
                for k in 0..nel {
                    if a[k] == 0.0 {
                        continue;
                    }
                    let ank = a[k] * nj;
                    for i in k..nel {
                        m[k][i] += ank * a[i];
                    }
                    b_gas[k] += ank;
                    m[k][rhs] += ank * mu;
                    an_h[k] += ank * h;
                    an_s[k] += a[k] * ns;
                }
            }
            // Element rows.
            let mut b = [0.0; MAX_ELEMENTS];
            for k in 0..nel {
                for i in 0..k {
                    m[k][i] = m[i][k];
                }
                b[k] = b_gas[k];
                m[k][i_n] = b_gas[k];
                if !fixed_t {
                    m[k][i_t] = an_h[k];
                }
                for (ci, &c) in w.active.iter().enumerate() {
                    let akc = self.condensed[c].atoms[k];
                    m[k][nel + ci] = akc;
                    b[k] += akc * w.n_cond[c];
                }
                m[k][rhs] += self.b0[k] - b[k];
            }
            // Condensed rows.
            for (ci, &c) in w.active.iter().enumerate() {
                let r = nel + ci;
                for i in 0..nel {
                    m[r][i] = self.condensed[c].atoms[i];
                }
                if !fixed_t {
                    m[r][i_t] = w.c_h[c];
                }
                m[r][rhs] = w.c_h[c] - w.c_s[c];
            }
            // Total gas moles row.
            m[i_n][..nel].copy_from_slice(&b_gas[..nel]);
            m[i_n][i_n] = sum_nj - n;
            if !fixed_t {
                m[i_n][i_t] = sum_nh;
            }
            m[i_n][rhs] = n - sum_nj + sum_n_mu;
            // Energy row.
            if !fixed_t {
                let mut cp_all = cp_gas;
                for &c in &w.active {
                    cp_all += w.n_cond[c] * w.c_cp[c];
                }
                match constraint {
                    Constraint::Enthalpy(h0_r) => {
                        let mut h_rt = sum_nh;
                        for (ci, &c) in w.active.iter().enumerate() {
                            m[i_t][nel + ci] = w.c_h[c];
                            h_rt += w.n_cond[c] * w.c_h[c];
                        }
                        m[i_t][..nel].copy_from_slice(&an_h[..nel]);
                        m[i_t][i_n] = sum_nh;
                        m[i_t][i_t] = cp_all + n_h2;
                        m[i_t][rhs] = h0_r / w.temperature_k - h_rt + n_h_mu;
                    }
                    Constraint::Entropy(s0_r) => {
                        let mut s_r = n_s;
                        m[i_t][..nel].copy_from_slice(&an_s[..nel]);
                        for (ci, &c) in w.active.iter().enumerate() {
                            m[i_t][nel + ci] = w.c_s[c];
                            s_r += w.n_cond[c] * w.c_s[c];
                        }
                        m[i_t][i_n] = n_s;
                        m[i_t][i_t] = cp_all + n_hs;
                        m[i_t][rhs] = s0_r - s_r + n - sum_nj + n_s_mu;
                    }
                    Constraint::Temperature(_) => unreachable!("fixed temperature has no energy row"),
                }
            }
            let mut solution = [[0.0; N_MAX]; 2];
            if !solve_linear(m, size, 1, &mut solution) {
                return Err(no_convergence(w, "singular equilibrium matrix"));
            }
            let x = &solution[0];
            w.pi[..nel].copy_from_slice(&x[..nel]);
            let dln_n = x[i_n];
            let dln_t = if fixed_t { 0.0 } else { x[i_t] };
            // Corrections of the gases (RP-1311 eq. 2.18).
            let mut total = sum_nj;
            for &c in &w.active {
                total += w.n_cond[c];
            }
            // Largest correction, each relative to its own tolerance (TOLERANCE's scale).
            let mut worst = (n * dln_n.abs() / total).max(dln_t.abs() * (TOLERANCE / TOLERANCE_LN_T));
            let mut lambda1_den = 5.0 * dln_t.abs().max(dln_n.abs());
            let mut lambda2: f64 = 1.0;
            for &j in &w.live {
                let a = &self.gas_rows[j];
                let mut d = -w.mu[j] + dln_n;
                for i in 0..nel {
                    d += a[i] * x[i];
                }
                if !fixed_t {
                    d += w.g_h[j] * dln_t;
                }
                w.dln_nj[j] = d;
                worst = worst.max(w.nj[j] * d.abs() / total);
                let ln_x = w.ln_nj[j] - w.ln_n;
                // Only growing species limit the step (RP-1311 eq. 3.1–3.2, as CEA's EQLBRM):
                // a species on its way to trace amounts may fall freely.
                if d > 0.0 {
                    if ln_x > LN_TRACE {
                        lambda1_den = lambda1_den.max(d);
                    } else if d - dln_n > 0.0 {
                        let l = ((-ln_x - 9.2103404) / (d - dln_n)).abs();
                        lambda2 = lambda2.min(l);
                    }
                }
            }
            for ci in 0..na {
                worst = worst.max(x[nel + ci].abs() / total);
            }
            let imbalance = (0..nel).fold(0.0, |m: f64, k| m.max((self.b0[k] - b[k]).abs())) / b0_max;
            let lambda1 = if lambda1_den > 2.0 { 2.0 / lambda1_den } else { 1.0 };
            let lambda = lambda1.min(lambda2).min(1.0);
            // Converged when this correction and the element imbalance are within the
            // tolerance (RP-1311 eq. 3.5; the imbalance within 1e-6 at least), or when full
            // Newton steps converge quadratically and leave, after this one, less than a tenth
            // of it: the error after a step of size δₖ is about K·δₖ², with K = δₖ/δₖ₋₁²
            // measured on the last two steps (a linear rate makes K large and fails the test);
            // the step also removes the imbalance to second order. This spares the step that
            // only confirms convergence (one per equilibrium, of about ten).
            let quadratic = lambda == 1.0
                && full_step_before
                && worst <= 1e-3
                && imbalance <= 1e-3
                && worst * worst * worst / (worst_before * worst_before) <= 0.1 * tolerance;
            let converged = (worst <= tolerance && imbalance <= tolerance.max(1e-6)) || quadratic;
            worst_before = worst;
            full_step_before = lambda == 1.0;
            w.ln_n += lambda * dln_n;
            let ln_n = w.ln_n;
            let mut p = 0;
            while p < w.live.len() {
                let j = w.live[p];
                w.ln_nj[j] += lambda * w.dln_nj[j];
                if w.ln_nj[j] - ln_n < LN_DROP {
                    w.live.swap_remove(p);
                } else {
                    p += 1;
                }
            }
            for (ci, &c) in w.active.iter().enumerate() {
                w.n_cond[c] += lambda * x[nel + ci];
            }
            if !fixed_t {
                w.temperature_k *= (lambda * dln_t).exp();
                if !(w.temperature_k > 0.0) || !w.temperature_k.is_finite() {
                    return Err(no_convergence(w, "temperature left the physical range"));
                }
                w.temperature_k = w.temperature_k.clamp(MIN_TEMPERATURE_K, 20_000.0);
            }
            if converged && !self.readmit_trace_gases(w) {
                self.update_properties(w);
                return Ok(());
            }
        }
        Err(no_convergence(w, "Newton iterations did not converge"))
    }

    /// At a converged state, give every gas that is not live its equilibrium amount
    /// `ln nⱼ = Σ aᵢⱼπᵢ − μ°ⱼ/RT + ln n − ln p` (RP-1311 eq. 2.18 with no corrections) and make
    /// live again those that reach `LN_READMIT`. True when a gas came back, so the iterations
    /// must go on with it.
    fn readmit_trace_gases(&self, w: &mut Workspace) -> bool {
        if w.live.len() == self.gases.len() {
            return false;
        }
        let nel = self.elements.len();
        let tp = TemperaturePowers::new(w.temperature_k);
        let base = w.ln_n - w.pressure_bar.ln();
        w.is_live.fill(false);
        for &j in &w.live {
            w.is_live[j] = true;
        }
        let mut back = false;
        for j in 0..self.gases.len() {
            if w.is_live[j] {
                continue;
            }
            let a = &self.gas_rows[j];
            let mut ln_nj = base - self.gases[j].species.gibbs_rt_at(&tp);
            for i in 0..nel {
                ln_nj += a[i] * w.pi[i];
            }
            // Kept representable: e^-300 of the total is zero for every sum.
            w.ln_nj[j] = ln_nj.max(w.ln_n - 300.0);
            if ln_nj - w.ln_n > LN_READMIT {
                w.live.push(j);
                back = true;
            }
        }
        back
    }

    /// Mixture properties at the workspace's (converged) state, with the equilibrium or
    /// frozen derivatives (RP-1311 eq. 2.50–2.59).
    pub fn mixture(&self, w: &mut Workspace, frozen: bool) -> Mixture {
        // One copy per common element count, as for the Newton iterations.
        match self.elements.len() {
            2 => self.mixture_for::<2>(w, frozen),
            3 => self.mixture_for::<3>(w, frozen),
            4 => self.mixture_for::<4>(w, frozen),
            _ => self.mixture_for::<0>(w, frozen),
        }
    }

    /// [`System::mixture`] for `NEL` elements (0: any number, read from the system).
    fn mixture_for<const NEL: usize>(&self, w: &mut Workspace, frozen: bool) -> Mixture {
        for &j in &w.live {
            w.nj[j] = w.ln_nj[j].exp();
        }
        let nel = if NEL == 0 { self.elements.len() } else { NEL };
        debug_assert_eq!(nel, self.elements.len());
        let t = w.temperature_k;
        let n = w.ln_n.exp();
        let ln_p = w.pressure_bar.ln();
        let mut h_rt = 0.0;
        let mut s_r = 0.0;
        let mut cp_fr = 0.0;
        let mut mass = 0.0;
        let mut n_gas = 0.0;
        for &j in &w.live {
            let nj = w.nj[j];
            n_gas += nj;
            h_rt += nj * w.g_h[j];
            s_r += nj * (w.g_s[j] - w.ln_nj[j] + w.ln_n - ln_p);
            cp_fr += nj * w.g_cp[j];
            mass += nj * self.gases[j].species.molar_mass_kg_kmol;
        }
        for &c in &w.active {
            let nc = w.n_cond[c];
            h_rt += nc * w.c_h[c];
            s_r += nc * w.c_s[c];
            cp_fr += nc * w.c_cp[c];
            mass += nc * self.condensed[c].species.molar_mass_kg_kmol;
        }
        let (cp_r, dlv_dlt, dlv_dlp) = if frozen {
            (cp_fr, 1.0, -1.0)
        } else {
            // The fixed-T, fixed-P matrix with two right-hand sides, solved once.
            let na = w.active.len();
            let size = nel + na + 1;
            let i_n = nel + na;
            let mt = &mut *w.matrix;
            clear(mt, size);
            for &j in &w.live {
                let nj = w.nj[j];
                let a = &self.gas_rows[j];
                for k in 0..nel {
                    let anj = a[k] * nj;
                    if anj == 0.0 {
                        continue;
                    }
                    for i in 0..nel {
                        mt[k][i] += anj * a[i];
                    }
                    mt[k][i_n] += anj;
                    mt[i_n][k] += anj;
                }
            }
            for (ci, &c) in w.active.iter().enumerate() {
                for k in 0..nel {
                    mt[k][nel + ci] = self.condensed[c].atoms[k];
                    mt[nel + ci][k] = self.condensed[c].atoms[k];
                }
            }
            // d/dlnT at constant P.
            let mut sum_nh = 0.0;
            for &j in &w.live {
                let nh = w.nj[j] * w.g_h[j];
                sum_nh += nh;
                for k in 0..nel {
                    mt[k][RHS] -= self.gas_rows[j][k] * nh;
                }
            }
            for (ci, &c) in w.active.iter().enumerate() {
                mt[nel + ci][RHS] = -w.c_h[c];
            }
            mt[i_n][RHS] = -sum_nh;
            // d/dlnP at constant T.
            for &j in &w.live {
                let nj = w.nj[j];
                for k in 0..nel {
                    mt[k][RHS2] += self.gas_rows[j][k] * nj;
                }
            }
            mt[i_n][RHS2] = n_gas;
            let mut solution = [[0.0; N_MAX]; 2];
            if solve_linear(mt, size, 2, &mut solution) {
                w.tangent = solution;
                w.tangent_ready = true;
                let [xt, xp] = &solution;
                let dlv_dlt = 1.0 + xt[i_n];
                let dlv_dlp = -1.0 + xp[i_n];
                let mut cp = cp_fr;
                for &j in &w.live {
                    let nh = w.nj[j] * w.g_h[j];
                    let mut a_pi = 0.0;
                    for i in 0..nel {
                        a_pi += self.gas_rows[j][i] * xt[i];
                    }
                    cp += nh * a_pi + nh * w.g_h[j];
                }
                for (ci, &c) in w.active.iter().enumerate() {
                    cp += w.c_h[c] * xt[nel + ci];
                }
                cp += sum_nh * xt[i_n];
                (cp, dlv_dlt, dlv_dlp)
            } else {
                (cp_fr, 1.0, -1.0)
            }
        };
        let cv_r = cp_r + n * dlv_dlt * dlv_dlt / dlv_dlp;
        let dlnt_dlnp_s = n * dlv_dlt / cp_r;
        let gamma = -(cp_r / cv_r) / dlv_dlp;
        let r = GAS_CONSTANT_J_KMOL_K;
        Mixture {
            temperature_k: t,
            pressure_bar: w.pressure_bar,
            enthalpy_j_kg: h_rt * r * t,
            entropy_r: s_r,
            molar_mass_kg_kmol: 1.0 / n,
            mean_molar_mass_kg_kmol: mass / (n_gas + w.active.iter().map(|&c| w.n_cond[c]).sum::<f64>()),
            gamma,
            cp_j_kg_k: cp_r * r,
            sound_speed_m_s: (n * r * t * gamma).sqrt(),
            density_kg_m3: w.pressure_bar * 1e5 / (n * r * t),
            dlnt_dlnp_s,
        }
    }

    /// Move the workspace's converged equilibrium along its tangent by `dln_t` and `dln_p`:
    /// each live gas by `∂ln nⱼ/∂ln T·dln T + ∂ln nⱼ/∂ln p·dln p`, with
    /// `∂ln nⱼ/∂ln T = Σ aᵢⱼ ∂πᵢ/∂ln T + ∂ln n/∂ln T + H°ⱼ/RT` and
    /// `∂ln nⱼ/∂ln p = Σ aᵢⱼ ∂πᵢ/∂ln p + ∂ln n/∂ln p − 1` (from ln nⱼ = Σ aᵢⱼπᵢ − μ°ⱼ/RT + ln n − ln p),
    /// the total moles and the condensed amounts likewise; the temperature is the caller's.
    /// A first-order start for the next equilibrium of a nozzle, whose composition then needs
    /// a Newton step or two fewer. Nothing happens unless [`System::mixture`] found the
    /// derivatives of this very state (equilibrium, not frozen). True when it moved.
    pub fn predict_along(&self, w: &mut Workspace, dln_t: f64, dln_p: f64) -> bool {
        if !w.tangent_ready || !dln_t.is_finite() || !dln_p.is_finite() {
            return false;
        }
        w.tangent_ready = false;
        let nel = self.elements.len();
        let na = w.active.len();
        let [xt, xp] = &w.tangent;
        // The change of Σ aᵢⱼπᵢ + ln n − ln p, common to every gas but for its atoms.
        let mut d_pi = [0.0; MAX_ELEMENTS];
        for i in 0..nel {
            d_pi[i] = xt[i] * dln_t + xp[i] * dln_p;
        }
        let d_ln_n = xt[nel + na] * dln_t + xp[nel + na] * dln_p;
        let base = d_ln_n - dln_p;
        for &j in &w.live {
            let a = &self.gas_rows[j];
            let mut d = base + w.g_h[j] * dln_t;
            for i in 0..nel {
                d += a[i] * d_pi[i];
            }
            w.ln_nj[j] += d;
        }
        w.ln_n += d_ln_n;
        for (ci, &c) in w.active.iter().enumerate() {
            // A condensed phase may grow freely but not vanish on an extrapolation.
            let d = xt[nel + ci] * dln_t + xp[nel + ci] * dln_p;
            w.n_cond[c] = (w.n_cond[c] + d).max(0.5 * w.n_cond[c]);
        }
        true
    }

    /// Mole fractions (over gases and condensed) of every species, with names.
    pub fn mole_fractions<'a>(&'a self, w: &'a Workspace) -> impl Iterator<Item = (&'a str, f64)> + 'a {
        let total: f64 = w.ln_nj.iter().map(|l| l.exp()).sum::<f64>() + w.active.iter().map(|&c| w.n_cond[c]).sum::<f64>();
        self.gases
            .iter()
            .zip(&w.ln_nj)
            .map(move |(g, l)| (g.species.name.as_str(), l.exp() / total))
            .chain(w.active.iter().map(move |&c| (self.condensed[c].species.name.as_str(), w.n_cond[c] / total)))
    }

    /// Mole fractions above `min_fraction` (≥ 1e-9), with names, at the state [`System::mixture`]
    /// was last called on. Only the live gases and active condensed species are visited: a gas
    /// left out of the iterations is below e⁻²³ (1e-10) of the total, so it is neither listed
    /// nor, with at most a few hundred of them, felt in the total beyond 1e-7 of it. For
    /// LOX/RP-1 this is a third of the 121 exponentials [`System::mole_fractions`] takes.
    pub fn major_mole_fractions<'a>(&'a self, w: &'a Workspace, min_fraction: f64) -> impl Iterator<Item = (&'a str, f64)> + 'a {
        debug_assert!(min_fraction >= 1e-9);
        let total: f64 = w.live.iter().map(|&j| w.nj[j]).sum::<f64>() + w.active.iter().map(|&c| w.n_cond[c]).sum::<f64>();
        w.live
            .iter()
            .map(move |&j| (self.gases[j].species.name.as_str(), w.nj[j] / total))
            .chain(w.active.iter().map(move |&c| (self.condensed[c].species.name.as_str(), w.n_cond[c] / total)))
            .filter(move |&(_, x)| x > min_fraction)
    }
}

/// Thermodynamic state of a mixture per kg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mixture {
    /// Temperature, K.
    pub temperature_k: f64,
    /// Pressure, bar.
    pub pressure_bar: f64,
    /// Specific enthalpy, J/kg.
    pub enthalpy_j_kg: f64,
    /// Specific entropy over R, kmol/kg.
    pub entropy_r: f64,
    /// Molar mass of the gas, 1/n, kg/kmol (CEA's M).
    pub molar_mass_kg_kmol: f64,
    /// Mean molar mass over gas and condensed, kg/kmol (CEA's MW).
    pub mean_molar_mass_kg_kmol: f64,
    /// Isentropic exponent (∂ln p/∂ln ρ)_s: equilibrium or frozen.
    pub gamma: f64,
    /// Specific heat at constant pressure, J/(kg·K): equilibrium or frozen.
    pub cp_j_kg_k: f64,
    /// Speed of sound, m/s.
    pub sound_speed_m_s: f64,
    /// Gas density, kg/m³.
    pub density_kg_m3: f64,
    /// Slope of the isentrope (∂ln T/∂ln p)_s = n·(∂ln v/∂ln T)_p/(c_p/R): equilibrium or
    /// frozen. It predicts the temperature of the next nozzle station.
    pub dlnt_dlnp_s: f64,
}

/// The iteration state of one problem, reused between stations.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Temperature, K.
    pub temperature_k: f64,
    /// Pressure, bar.
    pub pressure_bar: f64,
    /// ln of total gas moles, kmol/kg.
    pub ln_n: f64,
    /// ln of each gas amount, kmol/kg.
    pub ln_nj: Vec<f64>,
    /// Amount of each condensed species, kmol/kg (0 when inactive).
    pub n_cond: Vec<f64>,
    /// Indices of the active condensed species.
    pub active: Vec<usize>,
    g_cp: Vec<f64>,
    g_h: Vec<f64>,
    g_s: Vec<f64>,
    mu: Vec<f64>,
    nj: Vec<f64>,
    dln_nj: Vec<f64>,
    /// Gases in the iterations (not at trace level, see `LN_DROP`), in no particular order.
    live: Vec<usize>,
    /// Scratch: membership in `live`.
    is_live: Vec<bool>,
    c_cp: Vec<f64>,
    c_h: Vec<f64>,
    c_s: Vec<f64>,
    pi: [f64; MAX_ELEMENTS],
    matrix: Box<Matrix>,
    /// The equilibrium derivatives of the converged state, with respect to ln T at fixed p
    /// and to ln p at fixed T (π, condensed amounts, ln n: the solution of RP-1311 eq.
    /// 2.56–2.58), as [`System::mixture`] last found them; valid while `tangent_ready`.
    tangent: [[f64; N_MAX]; 2],
    /// `tangent` belongs to the current state (no iteration since).
    tangent_ready: bool,
    /// Newton iterations spent since the last reset.
    pub iterations: usize,
}

impl Workspace {
    /// Start from `state`, a converged state of the same system (another problem's), without
    /// allocating: its temperature, amounts and phase set; the iteration scratch is left as
    /// it is (every iteration recomputes it).
    pub fn start_from(&mut self, state: &Workspace) {
        self.temperature_k = state.temperature_k;
        self.pressure_bar = state.pressure_bar;
        self.ln_n = state.ln_n;
        self.ln_nj.copy_from_slice(&state.ln_nj);
        self.n_cond.copy_from_slice(&state.n_cond);
        self.active.clear();
        self.active.extend_from_slice(&state.active);
        self.live.clear();
        self.live.extend_from_slice(&state.live);
        self.pi = state.pi;
        self.tangent_ready = false;
        self.iterations = 0;
    }

    /// Frozen composition: set the temperature and refresh the species properties.
    pub fn set_frozen_temperature(&mut self, system: &System, temperature_k: f64, pressure_bar: f64) {
        self.temperature_k = temperature_k;
        self.pressure_bar = pressure_bar;
        self.tangent_ready = false;
        system.update_properties(self);
    }
}

/// The compound part of a condensed species name: `AL2O3` of `AL2O3(L)`.
fn phase_stem(name: &str) -> &str {
    name.split('(').next().unwrap_or(name)
}

fn no_convergence(w: &Workspace, why: &str) -> Error {
    let hint = if w.temperature_k <= MIN_TEMPERATURE_K * 1.001 {
        ": the temperature fell below the range of the thermodynamic data (200 K)"
    } else {
        ""
    };
    Error::InvalidInput {
        name: "chemical equilibrium".into(),
        message: format!("no convergence at {:.4} bar ({why}; last temperature {:.1} K){hint}", w.pressure_bar, w.temperature_k),
    }
}

/// Zero the part of `m` a system of `size` unknowns uses (both right-hand sides).
fn clear(m: &mut Matrix, size: usize) {
    for row in &mut m[..size] {
        row[..size].fill(0.0);
        row[RHS] = 0.0;
        row[RHS2] = 0.0;
    }
}

/// Gaussian elimination with partial pivoting on the augmented `size × size` system whose
/// right-hand sides sit in columns `RHS` (and `RHS2` when `nrhs` is 2); the solutions go to
/// `x[0]` (and `x[1]`), entries below `size` only. False when singular or not finite.
///
/// Each size has its own copy of the loops ([`solve_fixed`]): with the bounds known at compile
/// time they unroll and lose their index checks, which made up most of the work of these
/// small systems (4 unknowns for LOX/LH2). The operations and their order are those of one
/// generic loop, so results do not depend on the size dispatch.
fn solve_linear(m: &mut Matrix, size: usize, nrhs: usize, x: &mut [[f64; N_MAX]; 2]) -> bool {
    macro_rules! dispatch {
        ($($n:literal)*) => {
            match (size, nrhs) {
                $(($n, 1) => solve_fixed::<$n, 1>(m, x),)*
                $(($n, 2) => solve_fixed::<$n, 2>(m, x),)*
                _ => false,
            }
        };
    }
    // The list below covers every size up to N_MAX.
    const _: () = assert!(N_MAX == 16);
    dispatch!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

/// [`solve_linear`] for `N` unknowns and `R` right-hand sides.
fn solve_fixed<const N: usize, const R: usize>(m: &mut Matrix, x: &mut [[f64; N_MAX]; 2]) -> bool {
    for col in 0..N {
        let mut piv = col;
        for r in col + 1..N {
            if m[r][col].abs() > m[piv][col].abs() {
                piv = r;
            }
        }
        if !(m[piv][col].abs() > 1e-300) {
            return false;
        }
        // Swap only the columns still in use (the eliminated ones are never read again).
        if piv != col {
            for c in col..N {
                let t = m[col][c];
                m[col][c] = m[piv][c];
                m[piv][c] = t;
            }
            for c in RHS..RHS + R {
                let t = m[col][c];
                m[col][c] = m[piv][c];
                m[piv][c] = t;
            }
        }
        let inv_pivot = 1.0 / m[col][col];
        m[col][col] = inv_pivot;
        for r in col + 1..N {
            let f = m[r][col] * inv_pivot;
            if f != 0.0 {
                for c in col + 1..N {
                    m[r][c] -= f * m[col][c];
                }
                for c in RHS..RHS + R {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
    }
    // Back substitution; the diagonal holds the inverted pivots.
    for k in 0..R {
        for r in (0..N).rev() {
            let mut s = m[r][RHS + k];
            for c in r + 1..N {
                s -= m[r][c] * x[k][c];
            }
            x[k][r] = s * m[r][r];
        }
    }
    (0..R).all(|k| x[k][..N].iter().all(|v| v.is_finite()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propulsion::chemistry::{builtin_propellants, builtin_species, find_propellant};

    #[test]
    fn the_tangent_predicts_a_nearby_equilibrium_to_second_order() {
        // LOX/LH2 O/F 6: from the equilibrium at 3400 K, 60 bar, the tangent's estimate of the
        // one at 3300 K, 45 bar must be far closer to it than the starting state is, and a step
        // half as long must leave about a quarter of the error (first-order predictor).
        let t = builtin_propellants();
        let (ox, fu) = (find_propellant(t, "LOX", "oxidizer").unwrap(), find_propellant(t, "LH2", "fuel").unwrap());
        let elements: Vec<String> = ["H", "O"].map(String::from).to_vec();
        let (wo, wf) = (6.0 / 7.0, 1.0 / 7.0);
        let (eo, ef) = (ox.elements_kmol_kg(), fu.elements_kmol_kg());
        let b0: Vec<f64> = elements.iter().map(|e| wo * eo.get(e).unwrap_or(&0.0) + wf * ef.get(e).unwrap_or(&0.0)).collect();
        let system = System::new(builtin_species(), &elements, &b0).unwrap();
        let solve = |t_k: f64, p_bar: f64| {
            let mut w = system.workspace();
            system.reset(&mut w);
            system.equilibrate(&mut w, p_bar, Constraint::Temperature(t_k)).unwrap();
            w
        };
        let (t0, p0) = (3400.0, 60.0);
        let mut start = solve(t0, p0);
        system.mixture(&mut start, false);
        // Error over the gases above 1e-6 of the target, in ln n.
        let error = |w: &Workspace, target: &Workspace| {
            (0..system.gases.len())
                .filter(|&j| target.ln_nj[j] - target.ln_n > (1e-6f64).ln())
                .map(|j| (w.ln_nj[j] - target.ln_nj[j]).abs())
                .fold((w.ln_n - target.ln_n).abs(), f64::max)
        };
        let mut errors = Vec::new();
        for fraction in [1.0, 0.5] {
            let (t1, p1): (f64, f64) = (t0 * (3300.0f64 / t0).powf(fraction), p0 * (45.0f64 / p0).powf(fraction));
            let target = solve(t1, p1);
            let mut w = start.clone();
            assert!(system.predict_along(&mut w, (t1 / t0).ln(), (p1 / p0).ln()));
            // The derivatives belong to the state they were found at: a second call does nothing.
            assert!(!system.predict_along(&mut w, 0.1, 0.1));
            let (before, after) = (error(&start, &target), error(&w, &target));
            assert!(after < 0.1 * before, "step {fraction}: error {before:.3e} before the tangent, {after:.3e} after");
            errors.push(after);
        }
        let ratio = errors[1] / errors[0];
        assert!((0.15..0.35).contains(&ratio), "halving the step left {ratio:.3} of the error (second order: 0.25)");
    }

    #[test]
    fn left_out_trace_gases_are_trace_and_the_elements_balance_over_all_gases() {
        // LOX/RP-1 O/F 2.6 at 100 bar and 3000 K: most of the 121 C/H/O gases leave the
        // iterations; each must be below the readmission level, and the element balance must
        // hold over every gas with the amounts they are given.
        let t = builtin_propellants();
        let (ox, fu) = (find_propellant(t, "LOX", "oxidizer").unwrap(), find_propellant(t, "RP-1", "fuel").unwrap());
        let elements: Vec<String> = ["C", "H", "O"].map(String::from).to_vec();
        let (wo, wf) = (2.6 / 3.6, 1.0 / 3.6);
        let (eo, ef) = (ox.elements_kmol_kg(), fu.elements_kmol_kg());
        let b0: Vec<f64> = elements.iter().map(|e| wo * eo.get(e).unwrap_or(&0.0) + wf * ef.get(e).unwrap_or(&0.0)).collect();
        let system = System::new(builtin_species(), &elements, &b0).unwrap();
        let mut w = system.workspace();
        system.reset(&mut w);
        system.equilibrate(&mut w, 100.0, Constraint::Temperature(3000.0)).unwrap();
        assert!(w.live.len() < system.gases.len() / 2, "{} live of {}", w.live.len(), system.gases.len());
        for j in (0..system.gases.len()).filter(|j| !w.live.contains(j)) {
            assert!(w.ln_nj[j] - w.ln_n <= LN_READMIT, "{} left out at ln x {}", system.gases[j].species.name, w.ln_nj[j] - w.ln_n);
        }
        for (i, e) in elements.iter().enumerate() {
            let b: f64 = (0..system.gases.len()).map(|j| system.gas_rows[j][i] * w.ln_nj[j].exp()).sum();
            assert!((b / b0[i] - 1.0).abs() < 1e-6, "{e}: {b} vs {}", b0[i]);
        }
    }
}
