//! Damped Newton (Levenberg–Marquardt) for small square systems `F(x) = 0` whose every
//! evaluation is a flight: the targeting of an ascent, a few unknowns against as many
//! end conditions.
//!
//! The Jacobian comes from forward differences (one evaluation per unknown) and is kept up to
//! date between recomputations by Broyden's rank-one update, so a warm-started solve costs a
//! few evaluations. Steps are damped Levenberg–Marquardt style (Moré, *The Levenberg–Marquardt
//! algorithm: implementation and theory*, 1978) and projected onto the bounds; a step is taken
//! only when it lowers `‖F‖`. Deterministic.

use nalgebra::{DMatrix, DVector, SMatrix, SVector};

/// Settings of [`solve`]. Unknowns and residuals are expected to be scaled to order one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonOptions<const N: usize> {
    /// Forward-difference step of each unknown.
    pub difference_step: [f64; N],
    /// Lower bounds of the unknowns.
    pub lower: [f64; N],
    /// Upper bounds of the unknowns.
    pub upper: [f64; N],
    /// Largest change of an unknown in one step.
    pub max_step: [f64; N],
    /// Converged when every `|F_i|` is below this.
    pub tolerance: f64,
    /// Evaluations allowed (Jacobian columns included).
    pub max_evaluations: usize,
}

/// Outcome of [`solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonResult<const N: usize> {
    /// Last accepted point.
    pub x: [f64; N],
    /// Residual there.
    pub residual: [f64; N],
    /// Jacobian at (or near) the last point, to warm-start a neighbouring solve.
    pub jacobian: SMatrix<f64, N, N>,
    /// Evaluations used.
    pub evaluations: usize,
    /// Whether `max |F_i| ≤ tolerance`.
    pub converged: bool,
}

/// One evaluation, counted; non-finite residuals count as a failure.
fn evaluate_finite<const N: usize>(
    evaluate: &mut impl FnMut(&[f64; N]) -> Option<[f64; N]>,
    x: &[f64; N],
    evaluations: &mut usize,
) -> Option<[f64; N]> {
    *evaluations += 1;
    evaluate(x).filter(|f| f.iter().all(|v| v.is_finite()))
}

/// Forward-difference Jacobian at `x` (where the residual is `f`).
fn differences<const N: usize>(
    evaluate: &mut impl FnMut(&[f64; N]) -> Option<[f64; N]>,
    x: &[f64; N],
    f: &[f64; N],
    options: &NewtonOptions<N>,
    evaluations: &mut usize,
) -> Option<SMatrix<f64, N, N>> {
    let mut j = SMatrix::<f64, N, N>::zeros();
    for c in 0..N {
        let mut xp = *x;
        // Step inward at an upper bound so the probe stays inside.
        let h =
            if xp[c] + options.difference_step[c] > options.upper[c] { -options.difference_step[c] } else { options.difference_step[c] };
        xp[c] += h;
        let fp = evaluate_finite(evaluate, &xp, evaluations)?;
        for r in 0..N {
            j[(r, c)] = (fp[r] - f[r]) / h;
        }
    }
    Some(j)
}

fn max_abs<const N: usize>(v: &[f64; N]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Solve `F(x) = 0` from `x0`. `evaluate` returns `None` where the model cannot be evaluated
/// (the step is then shortened). `jacobian` warm-starts the solve with a Jacobian from a
/// neighbouring problem; `None` computes one by differences. Returns `None` only when `x0`
/// itself cannot be evaluated.
pub fn solve<const N: usize>(
    mut evaluate: impl FnMut(&[f64; N]) -> Option<[f64; N]>,
    x0: [f64; N],
    jacobian: Option<SMatrix<f64, N, N>>,
    options: &NewtonOptions<N>,
) -> Option<NewtonResult<N>> {
    let project = |x: &mut [f64; N]| {
        for i in 0..N {
            x[i] = x[i].clamp(options.lower[i], options.upper[i]);
        }
    };
    let mut x = x0;
    project(&mut x);
    let mut evaluations = 0;
    let mut f = evaluate_finite(&mut evaluate, &x, &mut evaluations)?;
    let mut j = match jacobian {
        Some(j) => j,
        None => match differences(&mut evaluate, &x, &f, options, &mut evaluations) {
            Some(j) => j,
            None => return Some(NewtonResult { x, residual: f, jacobian: SMatrix::zeros(), evaluations, converged: false }),
        },
    };
    let mut fresh = jacobian.is_none();
    let mut damping = 0.0_f64;
    while max_abs(&f) > options.tolerance && evaluations < options.max_evaluations {
        let fv = SVector::<f64, N>::from_column_slice(&f);
        let jtj = j.transpose() * j;
        let mut a = jtj;
        for i in 0..N {
            a[(i, i)] += damping * jtj[(i, i)].max(1e-12);
        }
        let rhs = -(j.transpose() * fv);
        let step = DMatrix::from_fn(N, N, |r, c| a[(r, c)]).lu().solve(&DVector::from_fn(N, |i, _| rhs[i]));
        let mut accepted = None;
        if let Some(mut d) = step {
            let scale = (0..N).map(|i| d[i].abs() / options.max_step[i]).fold(1.0, f64::max);
            d /= scale;
            let mut trial = x;
            for i in 0..N {
                trial[i] += d[i];
            }
            project(&mut trial);
            if let Some(ft) = evaluate_finite(&mut evaluate, &trial, &mut evaluations) {
                let norm = |v: &[f64; N]| v.iter().map(|x| x * x).sum::<f64>();
                if norm(&ft) < norm(&f) {
                    accepted = Some((trial, ft));
                }
            }
        }
        match accepted {
            Some((trial, ft)) => {
                // Broyden's update along the step actually taken.
                let s = SVector::<f64, N>::from_fn(|i, _| trial[i] - x[i]);
                let y = SVector::<f64, N>::from_fn(|i, _| ft[i] - f[i]);
                let ss = s.dot(&s);
                if ss > 0.0 {
                    j += (y - j * s) * s.transpose() / ss;
                }
                x = trial;
                f = ft;
                fresh = false;
                damping *= 0.25;
                if damping < 1e-6 {
                    damping = 0.0;
                }
            }
            None if !fresh => {
                // The updated Jacobian misled the step: recompute it before damping.
                match differences(&mut evaluate, &x, &f, options, &mut evaluations) {
                    Some(jn) => j = jn,
                    None => break,
                }
                fresh = true;
            }
            None => {
                damping = if damping == 0.0 { 1e-3 } else { damping * 10.0 };
                if damping > 1e8 {
                    break;
                }
            }
        }
    }
    let converged = max_abs(&f) <= options.tolerance;
    Some(NewtonResult { x, residual: f, jacobian: j, evaluations, converged })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options<const N: usize>() -> NewtonOptions<N> {
        NewtonOptions {
            difference_step: [1e-7; N],
            lower: [-10.0; N],
            upper: [10.0; N],
            max_step: [1.0; N],
            tolerance: 1e-10,
            max_evaluations: 200,
        }
    }

    /// Intersection of the unit circle and the parabola y = x²: x² + x⁴ = 1.
    #[test]
    fn circle_and_parabola() {
        let r = solve(|x: &[f64; 2]| Some([x[0] * x[0] + x[1] * x[1] - 1.0, x[1] - x[0] * x[0]]), [2.0, 2.0], None, &options()).unwrap();
        assert!(r.converged, "{r:?}");
        let y = (5f64.sqrt() - 1.0) / 2.0;
        assert!((r.x[1] - y).abs() < 1e-9 && (r.x[0] - y.sqrt()).abs() < 1e-9, "{:?}", r.x);
    }

    /// Rosenbrock's function as a system, from a far start: damping must carry it.
    #[test]
    fn rosenbrock_system() {
        let r = solve(|x: &[f64; 2]| Some([10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]]), [-1.2, 1.0], None, &options()).unwrap();
        assert!(r.converged, "{r:?}");
        assert!((r.x[0] - 1.0).abs() < 1e-9 && (r.x[1] - 1.0).abs() < 1e-9, "{:?}", r.x);
    }

    /// A root outside the bounds: the solver stops at the bound without claiming convergence.
    #[test]
    fn root_outside_bounds_is_not_converged() {
        let mut o = options::<1>();
        o.lower = [0.0];
        let r = solve(|x: &[f64; 1]| Some([x[0] + 1.0]), [1.0], None, &o).unwrap();
        assert!(!r.converged);
        assert!(r.x[0].abs() < 1e-12, "{:?}", r.x);
    }

    /// Regions where the model fails are stepped around, not fatal.
    #[test]
    fn failing_region_shortens_the_step() {
        // Newton's first step on atan overshoots far into the failing region.
        let mut o = options::<1>();
        o.max_step = [100.0];
        let r = solve(|x: &[f64; 1]| if x[0] > 3.0 { None } else { Some([(x[0] - 2.5).atan()]) }, [0.0], None, &o).unwrap();
        assert!(r.converged, "{r:?}");
        assert!((r.x[0] - 2.5).abs() < 1e-9);
    }
}
