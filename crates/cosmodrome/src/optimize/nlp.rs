//! A small dense SQP solver for the parameter optimizations of an ascent: a handful of
//! variables, a few equality constraints and at most a few inequalities, every evaluation one
//! or more flights.
//!
//! Minimise `f(x)` subject to `c(x) = 0` and `g(x) ≤ 0`. Each iteration linearises the
//! constraints (forward differences: one evaluation per variable), solves the equality-
//! constrained QP with a damped-BFGS Hessian of the Lagrangian (Nocedal & Wright, *Numerical
//! Optimization*, §18.3, Procedure 18.2), treats the inequalities that are violated or nearly
//! active as equalities (a simple active set), limits the step to a trust box, and accepts it
//! on the ℓ1 merit function `f + μ(‖c‖₁ + ‖g⁺‖₁)` with backtracking. Deterministic: no random
//! restarts, same answer for the same inputs.

use nalgebra::{DMatrix, DVector};

/// Value of the objective and constraints at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Objective (minimised).
    pub objective: f64,
    /// Equality constraints, driven to zero.
    pub equalities: Vec<f64>,
    /// Inequality constraints, kept ≤ 0.
    pub inequalities: Vec<f64>,
}

impl Evaluation {
    fn is_finite(&self) -> bool {
        self.objective.is_finite() && self.equalities.iter().chain(&self.inequalities).all(|x| x.is_finite())
    }

    fn violation(&self) -> f64 {
        self.equalities.iter().map(|c| c.abs()).sum::<f64>() + self.inequalities.iter().map(|g| g.max(0.0)).sum::<f64>()
    }
}

/// Settings of the solver. Variables are expected to be scaled to order one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SqpOptions {
    /// Largest number of iterations.
    pub max_iterations: usize,
    /// Forward-difference step of each (scaled) variable.
    pub difference_step: f64,
    /// Largest change of any variable in one iteration (trust box half-width).
    pub max_step: f64,
    /// Converged when every |constraint| is below this …
    pub constraint_tolerance: f64,
    /// … and the step is below this, or the Lagrangian gradient is below the next.
    pub step_tolerance: f64,
    /// First-order optimality tolerance (largest component of the Lagrangian gradient).
    pub optimality_tolerance: f64,
}

impl Default for SqpOptions {
    fn default() -> Self {
        SqpOptions {
            max_iterations: 60,
            difference_step: 1e-4,
            max_step: 0.5,
            constraint_tolerance: 1e-4,
            step_tolerance: 1e-5,
            optimality_tolerance: 1e-5,
        }
    }
}

/// Result of a solve.
#[derive(Debug, Clone, PartialEq)]
pub struct SqpResult {
    /// Final point.
    pub x: Vec<f64>,
    /// Evaluation at the final point.
    pub evaluation: Evaluation,
    /// Iterations taken.
    pub iterations: usize,
    /// Evaluations of the problem (each a flight or a few).
    pub evaluations: usize,
    /// Whether the tolerances were met.
    pub converged: bool,
}

/// Minimise with `evaluate(x)` returning the objective and constraints, or `None` where the
/// model cannot be evaluated (the solver then backs off). `lower`/`upper` bound each variable.
pub fn minimize(
    mut evaluate: impl FnMut(&[f64]) -> Option<Evaluation>,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    options: &SqpOptions,
) -> Option<SqpResult> {
    let n = x0.len();
    let clamp = |x: &mut [f64]| {
        for i in 0..n {
            x[i] = x[i].clamp(lower[i], upper[i]);
        }
    };
    let mut x = x0.to_vec();
    clamp(&mut x);
    let mut evaluations = 1;
    let mut current = evaluate(&x).filter(Evaluation::is_finite)?;
    let mut hessian = DMatrix::<f64>::identity(n, n);
    let mut penalty: f64 = 1.0;
    let mut previous_gradient_of_lagrangian: Option<(DVector<f64>, DVector<f64>)> = None;
    let mut multipliers = DVector::<f64>::zeros(0);

    for iteration in 0..options.max_iterations {
        // Forward-difference Jacobian of objective and constraints.
        let m_eq = current.equalities.len();
        let m_in = current.inequalities.len();
        let mut grad = DVector::<f64>::zeros(n);
        let mut jac_eq = DMatrix::<f64>::zeros(m_eq, n);
        let mut jac_in = DMatrix::<f64>::zeros(m_in, n);
        for j in 0..n {
            let mut xp = x.clone();
            // Step inward at an upper bound so the probe stays feasible.
            let h = if xp[j] + options.difference_step > upper[j] { -options.difference_step } else { options.difference_step };
            xp[j] += h;
            evaluations += 1;
            let e = evaluate(&xp).filter(Evaluation::is_finite)?;
            grad[j] = (e.objective - current.objective) / h;
            for i in 0..m_eq {
                jac_eq[(i, j)] = (e.equalities[i] - current.equalities[i]) / h;
            }
            for i in 0..m_in {
                jac_in[(i, j)] = (e.inequalities[i] - current.inequalities[i]) / h;
            }
        }

        // BFGS update of the Lagrangian Hessian with Powell's damping (keeps it positive definite).
        let active: Vec<usize> = (0..m_in).filter(|&i| current.inequalities[i] > -options.constraint_tolerance * 10.0).collect();
        let rows = m_eq + active.len();
        let mut a = DMatrix::<f64>::zeros(rows, n);
        let mut rhs_c = DVector::<f64>::zeros(rows);
        for i in 0..m_eq {
            a.set_row(i, &jac_eq.row(i));
            rhs_c[i] = current.equalities[i];
        }
        for (k, &i) in active.iter().enumerate() {
            a.set_row(m_eq + k, &jac_in.row(i));
            rhs_c[m_eq + k] = current.inequalities[i];
        }
        let lagrangian_gradient = |g: &DVector<f64>, a: &DMatrix<f64>, lam: &DVector<f64>| {
            if lam.len() == a.nrows() {
                g - a.transpose() * lam
            } else {
                g.clone()
            }
        };
        if let Some((x_prev, gl_prev)) = previous_gradient_of_lagrangian.take() {
            let s = DVector::from_column_slice(&x) - x_prev;
            let y = lagrangian_gradient(&grad, &a, &multipliers) - gl_prev;
            let bs = &hessian * &s;
            let sbs = s.dot(&bs);
            let sy = s.dot(&y);
            if sbs > 1e-16 {
                let theta = if sy >= 0.2 * sbs { 1.0 } else { 0.8 * sbs / (sbs - sy) };
                let r = &y * theta + &bs * (1.0 - theta);
                let sr = s.dot(&r);
                if sr > 1e-16 {
                    hessian = &hessian - (&bs * bs.transpose()) / sbs + (&r * r.transpose()) / sr;
                }
            }
        }

        // KKT system of the QP: [B Aᵀ; A 0] [d; −λ] = [−∇f; −c].
        let size = n + rows;
        let mut kkt = DMatrix::<f64>::zeros(size, size);
        kkt.view_mut((0, 0), (n, n)).copy_from(&hessian);
        kkt.view_mut((0, n), (n, rows)).copy_from(&a.transpose());
        kkt.view_mut((n, 0), (rows, n)).copy_from(&a);
        let mut rhs = DVector::<f64>::zeros(size);
        rhs.rows_mut(0, n).copy_from(&(-&grad));
        rhs.rows_mut(n, rows).copy_from(&(-&rhs_c));
        let solution = kkt.clone().lu().solve(&rhs).or_else(|| {
            // Rank-deficient constraints: regularise the multiplier block slightly.
            let mut k = kkt;
            for i in n..size {
                k[(i, i)] = -1e-8;
            }
            k.lu().solve(&rhs)
        })?;
        let mut d = solution.rows(0, n).into_owned();
        let lam = -solution.rows(n, rows).into_owned();
        // First-order optimality at the current point: the gradient of the Lagrangian (free
        // variables only: a variable held at a bound by a descent direction does not count).
        let grad_l = lagrangian_gradient(&grad, &a, &lam);
        let stationarity = (0..n)
            .filter(|&j| !((x[j] <= lower[j] && grad_l[j] > 0.0) || (x[j] >= upper[j] && grad_l[j] < 0.0)))
            .map(|j| grad_l[j].abs())
            .fold(0.0, f64::max);
        let feasible_now = current.equalities.iter().all(|c| c.abs() <= options.constraint_tolerance)
            && current.inequalities.iter().all(|g| *g <= options.constraint_tolerance);
        if feasible_now && stationarity <= options.optimality_tolerance {
            return Some(SqpResult { x, evaluation: current, iterations: iteration, evaluations, converged: true });
        }
        // Trust box.
        let biggest = d.amax();
        if biggest > options.max_step {
            d *= options.max_step / biggest;
        }
        penalty = penalty.max(1.1 * lam.amax() + 1e-3);

        let merit = |e: &Evaluation| e.objective + penalty * e.violation();
        let directional = grad.dot(&d) - penalty * current.violation();
        let merit_now = merit(&current);
        let mut alpha = 1.0;
        let mut accepted = None;
        for _ in 0..12 {
            let mut trial: Vec<f64> = x.iter().zip(d.iter()).map(|(xi, di)| xi + alpha * di).collect();
            clamp(&mut trial);
            evaluations += 1;
            if let Some(e) = evaluate(&trial).filter(Evaluation::is_finite) {
                if merit(&e) <= merit_now + 1e-4 * alpha * directional.min(0.0) || alpha < 1e-3 {
                    accepted = Some((trial, e));
                    break;
                }
            }
            alpha *= 0.5;
        }
        // When the merit function refuses all but a sliver of the step (noise, a poor Hessian),
        // restore feasibility with a minimum-norm Gauss–Newton step on the constraints alone and
        // restart the Hessian.
        let accepted = match accepted {
            Some((trial, e)) if alpha >= 1.0 / 64.0 || rows == 0 => Some((trial, e)),
            sliver => {
                let restoration = (&a * a.transpose()).lu().solve(&rhs_c).map(|w| -(a.transpose() * w));
                let restored = restoration.and_then(|mut d| {
                    let biggest = d.amax();
                    if biggest > options.max_step {
                        d *= options.max_step / biggest;
                    }
                    let mut trial: Vec<f64> = x.iter().zip(d.iter()).map(|(xi, di)| xi + di).collect();
                    clamp(&mut trial);
                    evaluations += 1;
                    evaluate(&trial).filter(|e| e.is_finite() && e.violation() < current.violation()).map(|e| (trial, e))
                });
                hessian = DMatrix::identity(n, n);
                restored.or(sliver)
            }
        };
        let Some((x_new, e_new)) = accepted else {
            return Some(SqpResult { x, evaluation: current, iterations: iteration, evaluations, converged: false });
        };
        previous_gradient_of_lagrangian = Some((DVector::from_column_slice(&x), lagrangian_gradient(&grad, &a, &lam)));
        multipliers = lam;
        let step = x.iter().zip(&x_new).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        x = x_new;
        current = e_new;
        let feasible = current.equalities.iter().all(|c| c.abs() <= options.constraint_tolerance)
            && current.inequalities.iter().all(|g| *g <= options.constraint_tolerance);
        // A full step that no longer moves: converged even if noise keeps the gradient test short.
        if feasible && alpha >= 1.0 && step <= options.step_tolerance {
            return Some(SqpResult { x, evaluation: current, iterations: iteration + 1, evaluations, converged: true });
        }
    }
    Some(SqpResult { x, evaluation: current, iterations: options.max_iterations, evaluations, converged: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closest point to (2, 1) on the unit circle: (2, 1)/√5.
    #[test]
    fn equality_constrained_quadratic() {
        let r = minimize(
            |x| {
                Some(Evaluation {
                    objective: (x[0] - 2.0).powi(2) + (x[1] - 1.0).powi(2),
                    equalities: vec![x[0] * x[0] + x[1] * x[1] - 1.0],
                    inequalities: vec![],
                })
            },
            &[0.5, 0.5],
            &[-5.0, -5.0],
            &[5.0, 5.0],
            &SqpOptions { constraint_tolerance: 1e-9, step_tolerance: 1e-7, difference_step: 1e-7, ..SqpOptions::default() },
        )
        .unwrap();
        assert!(r.converged, "{r:?}");
        let s = 5f64.sqrt();
        assert!((r.x[0] - 2.0 / s).abs() < 1e-5 && (r.x[1] - 1.0 / s).abs() < 1e-5, "{:?}", r.x);
    }

    /// Rosenbrock-like objective with an active inequality: min (1−x)² + 10(y−x²)² s.t. x + y ≤ 1.
    #[test]
    fn active_inequality() {
        let r = minimize(
            |x| {
                Some(Evaluation {
                    objective: (1.0 - x[0]).powi(2) + 10.0 * (x[1] - x[0] * x[0]).powi(2),
                    equalities: vec![],
                    inequalities: vec![x[0] + x[1] - 1.0],
                })
            },
            &[0.0, 0.0],
            &[-3.0, -3.0],
            &[3.0, 3.0],
            &SqpOptions {
                constraint_tolerance: 1e-8,
                step_tolerance: 1e-7,
                difference_step: 1e-7,
                max_iterations: 200,
                ..SqpOptions::default()
            },
        )
        .unwrap();
        // On the line y = 1 − x the optimum solves d/dx[(1−x)² + 10(1−x−x²)²] = 0: x = 0.625451.
        assert!((r.x[0] + r.x[1] - 1.0).abs() < 1e-6, "{:?}", r);
        assert!((r.x[0] - 0.625_451).abs() < 1e-5, "{:?}", r.x);
    }
}
