//! Maximum of a function of one variable on an interval: Brent's method (golden-section
//! search with parabolic interpolation; R. P. Brent, *Algorithms for Minimization without
//! Derivatives*, 1973, ch. 5). It needs no derivatives, which suits an objective that is itself
//! the result of a targeting solve, and it never leaves the interval.

/// Where [`maximize`] stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScalarMaximum {
    /// The best point found.
    pub x: f64,
    /// The value there.
    pub value: f64,
    /// Evaluations used.
    pub evaluations: usize,
}

/// Maximise `f` on `[a, b]` to an absolute tolerance `tolerance` in `x`, starting at `x0`
/// (inside the interval). `f` returns `None` where it cannot be evaluated; such points count as
/// the worst. At most `max_evaluations` evaluations; `None` when no evaluation succeeded.
pub fn maximize(
    mut f: impl FnMut(f64) -> Option<f64>,
    a: f64,
    b: f64,
    x0: f64,
    tolerance: f64,
    max_evaluations: usize,
) -> Option<ScalarMaximum> {
    const GOLDEN: f64 = 0.381_966_011_250_105_1; // (3 − √5)/2
    let (mut a, mut b) = if a <= b { (a, b) } else { (b, a) };
    let mut evaluations = 0;
    // Minimise g = −f; a failed evaluation is +∞.
    let mut g = |x: f64| {
        evaluations += 1;
        f(x).filter(|v| v.is_finite()).map_or(f64::INFINITY, |v| -v)
    };
    let mut x = x0.clamp(a, b);
    let mut fx = g(x);
    let (mut w, mut v, mut fw, mut fv) = (x, x, fx, fx);
    let (mut d, mut e) = (0.0_f64, 0.0_f64);
    let tol = tolerance.max(f64::EPSILON);
    let mut used = 1;
    while used < max_evaluations {
        let xm = 0.5 * (a + b);
        if (x - xm).abs() <= 2.0 * tol - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol && fx.is_finite() && fw.is_finite() && fv.is_finite() {
            // Parabola through (v, fv), (w, fw), (x, fx).
            let r = (x - w) * (fx - fv);
            let q0 = (x - v) * (fx - fw);
            let mut p = (x - v) * q0 - (x - w) * r;
            let mut q = 2.0 * (q0 - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let previous = e;
            e = d;
            if p.abs() < (0.5 * q * previous).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < 2.0 * tol || b - u < 2.0 * tol {
                    d = tol.copysign(xm - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= xm { a - x } else { b - x };
            d = GOLDEN * e;
        }
        let u = if d.abs() >= tol { x + d } else { x + tol.copysign(d) };
        let fu = g(u);
        used += 1;
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    fx.is_finite().then_some(ScalarMaximum { x, value: -fx, evaluations })
}

/// Maximise `f` on `[a, b]` where it may have more than one local maximum: `f` is first
/// evaluated at the `intervals − 1` inner points of an even grid (and at `known`, a point whose
/// value the caller already has, counted as the best of its cell), then [`maximize`] refines
/// within the two cells around the best grid point. Brent's method alone, started anywhere,
/// settles on whichever local maximum its first steps fall toward. At most `max_evaluations`
/// evaluations for the refinement, beside the grid's; `None` when no evaluation succeeded.
pub fn maximize_scanned(
    mut f: impl FnMut(f64) -> Option<f64>,
    a: f64,
    b: f64,
    known: Option<(f64, f64)>,
    intervals: usize,
    tolerance: f64,
    max_evaluations: usize,
) -> Option<ScalarMaximum> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let intervals = intervals.max(2);
    let step = (b - a) / intervals as f64;
    let mut best: Option<(f64, f64)> = known.filter(|k| k.1.is_finite());
    let mut evaluations = 0;
    for i in 1..intervals {
        let x = a + step * i as f64;
        evaluations += 1;
        if let Some(value) = f(x).filter(|v| v.is_finite()) {
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((x, value));
            }
        }
    }
    let Some(best) = best else { return maximize(f, a, b, 0.5 * (a + b), tolerance, max_evaluations) };
    Some(refine(f, best, step, (a, b), tolerance, max_evaluations, evaluations))
}

/// [`maximize_scanned`] on a grid that takes in the interval's ends, evaluated in order from
/// `from` to `to`, for an `f` whose evaluations depend on the ones before (each aimed by the
/// miss of the last): `f` at the `intervals + 1` points `from + i·(to − from)/intervals`, then
/// [`maximize`] within a grid step either side of the best (at most `max_evaluations`
/// evaluations beside the grid's), unless the step is within `tolerance` already. `None`, with
/// no evaluation past the grid, when no grid point can be evaluated: the grid has spanned the
/// interval, ends included, and the caller says why.
pub fn maximize_scanned_with_ends(
    mut f: impl FnMut(f64) -> Option<f64>,
    from: f64,
    to: f64,
    intervals: usize,
    tolerance: f64,
    max_evaluations: usize,
) -> Option<ScalarMaximum> {
    let intervals = intervals.max(1);
    let step = (to - from) / intervals as f64;
    let mut best: Option<(f64, f64)> = None;
    let mut evaluations = 0;
    for i in 0..=intervals {
        let x = from + step * i as f64;
        evaluations += 1;
        if let Some(value) = f(x).filter(|v| v.is_finite()) {
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((x, value));
            }
        }
    }
    let (x, value) = best?;
    if step.abs() <= tolerance {
        return Some(ScalarMaximum { x, value, evaluations });
    }
    Some(refine(f, (x, value), step.abs(), (from.min(to), from.max(to)), tolerance, max_evaluations, evaluations))
}

/// [`maximize`] within `step` either side of `best` (a grid point and its value) inside `bounds`,
/// started there; the grid point when the refinement finds nothing better. `evaluations` are the
/// grid's, added to the refinement's.
fn refine(
    f: impl FnMut(f64) -> Option<f64>,
    best: (f64, f64),
    step: f64,
    bounds: (f64, f64),
    tolerance: f64,
    max_evaluations: usize,
    evaluations: usize,
) -> ScalarMaximum {
    let (x0, value0) = best;
    let refined = maximize(f, (x0 - step).max(bounds.0), (x0 + step).min(bounds.1), x0, tolerance, max_evaluations);
    let evaluations = evaluations + refined.map_or(0, |m| m.evaluations);
    match refined {
        Some(m) if m.value >= value0 => ScalarMaximum { evaluations, ..m },
        _ => ScalarMaximum { x: x0, value: value0, evaluations },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_maximum() {
        // max of x·e^(−x) at x = 1.
        let m = maximize(|x| Some(x * (-x).exp()), 0.0, 5.0, 0.3, 1e-8, 100).unwrap();
        assert!((m.x - 1.0).abs() < 1e-6, "{m:?}");
        assert!(m.evaluations < 40, "{m:?}");
    }

    #[test]
    fn maximum_at_the_interval_end() {
        let m = maximize(Some, 0.0, 2.0, 1.0, 1e-8, 100).unwrap();
        assert!((m.x - 2.0).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn failures_count_as_worst() {
        // Undefined beyond 1.5; the maximum of −(x−1)² is inside the defined part.
        let m = maximize(|x| (x <= 1.5).then(|| -(x - 1.0) * (x - 1.0)), 0.0, 4.0, 3.0, 1e-8, 100).unwrap();
        assert!((m.x - 1.0).abs() < 1e-6, "{m:?}");
        assert!(maximize(|_| None, 0.0, 1.0, 0.5, 1e-6, 20).is_none());
    }

    #[test]
    fn the_scan_finds_the_higher_of_two_maxima() {
        // Two peaks: 1.0 at x = 0.3, 1.2 at x = 0.75 (narrow). Brent from the middle climbs the
        // wide, lower one; the scan brackets the higher.
        let f = |x: f64| Some((-((x - 0.3) / 0.15).powi(2)).exp() + 1.2 * (-((x - 0.75) / 0.06).powi(2)).exp());
        let brent = maximize(f, 0.0, 1.0, 0.5, 1e-6, 40).unwrap();
        assert!((brent.x - 0.3).abs() < 1e-3, "{brent:?}");
        let scanned = maximize_scanned(f, 0.0, 1.0, Some((0.0, f(0.0).unwrap())), 8, 1e-6, 40).unwrap();
        assert!((scanned.x - 0.75).abs() < 1e-3, "{scanned:?}");
        assert!(scanned.value > 1.19, "{scanned:?}");
        // A known point better than the whole grid is kept.
        let kept = maximize_scanned(|x| Some(-x), 0.0, 1.0, Some((0.0, 0.0)), 4, 1e-6, 40).unwrap();
        assert!(kept.x.abs() < 1e-5 && kept.value > -1e-5, "{kept:?}");
        assert!(maximize_scanned(|_| None, 0.0, 1.0, None, 4, 1e-6, 20).is_none());
    }

    #[test]
    fn the_scan_with_ends_flies_them_in_order_and_keeps_an_end_maximum() {
        // The maximum of −(x − 1)² lies on the end the scan starts from: flown first, exactly.
        let mut xs = Vec::new();
        let m = maximize_scanned_with_ends(
            |x| {
                xs.push(x);
                Some(-(x - 1.0) * (x - 1.0))
            },
            1.0,
            0.0,
            4,
            1e-6,
            20,
        )
        .unwrap();
        assert_eq!(xs[..5], [1.0, 0.75, 0.5, 0.25, 0.0]);
        assert_eq!((m.x, m.value), (1.0, 0.0), "{m:?}");
        assert_eq!(m.evaluations, xs.len());
        // The two peaks of `the_scan_finds_the_higher_of_two_maxima`, scanned from either end.
        let f = |x: f64| Some((-((x - 0.3) / 0.15).powi(2)).exp() + 1.2 * (-((x - 0.75) / 0.06).powi(2)).exp());
        for (from, to) in [(0.0, 1.0), (1.0, 0.0)] {
            let m = maximize_scanned_with_ends(f, from, to, 8, 1e-6, 40).unwrap();
            assert!((m.x - 0.75).abs() < 1e-3 && m.value > 1.19, "{m:?}");
        }
    }

    #[test]
    fn the_scan_with_ends_stops_at_a_fine_grid_or_when_nothing_flies() {
        // A grid step within the tolerance is not refined: the grid's best, its evaluations only.
        let mut n = 0;
        let m = maximize_scanned_with_ends(
            |x| {
                n += 1;
                Some(-(x - 0.33) * (x - 0.33))
            },
            0.0,
            1.0,
            4,
            0.25,
            20,
        )
        .unwrap();
        assert_eq!((m.x, m.evaluations, n), (0.25, 5, 5), "{m:?}");
        // Points that cannot be evaluated count as the worst, and a grid where none can be
        // gives up without searching on (unlike `maximize_scanned`, which searches the interval).
        let m = maximize_scanned_with_ends(|x| (x >= 0.5).then_some(-x), 0.0, 1.0, 4, 1e-6, 20).unwrap();
        assert!((m.x - 0.5).abs() < 1e-5, "{m:?}");
        let mut n = 0;
        let none = maximize_scanned_with_ends(
            |_| {
                n += 1;
                None
            },
            0.0,
            1.0,
            4,
            1e-6,
            20,
        );
        assert!(none.is_none() && n == 5, "{n} evaluations");
    }
}
