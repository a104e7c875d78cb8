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
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let x = x0.clamp(a, b);
    let fx = f(x).filter(|v| v.is_finite()).map_or(f64::INFINITY, |v| -v);
    brent(f, (a, b), Start::at((x, fx)), tolerance, max_evaluations, 1)
}

/// Brent's starting state, in the minimised `g = −f`: the best point `x` and the two before it
/// (`w` the better), each with its value; `parabolic` lets the first step be a parabola through
/// them when they are distinct.
struct Start {
    x: (f64, f64),
    w: (f64, f64),
    v: (f64, f64),
    parabolic: bool,
}

impl Start {
    /// From one point known (its value +∞ where `f` failed there): golden-section steps first.
    fn at(point: (f64, f64)) -> Start {
        Start { x: point, w: point, v: point, parabolic: false }
    }
}

/// Brent's iteration on `[a, b]` from `start`, `used` evaluations already spent of
/// `max_evaluations`.
fn brent(
    mut f: impl FnMut(f64) -> Option<f64>,
    (mut a, mut b): (f64, f64),
    start: Start,
    tolerance: f64,
    max_evaluations: usize,
    used: usize,
) -> Option<ScalarMaximum> {
    const GOLDEN: f64 = 0.381_966_011_250_105_1; // (3 − √5)/2
    let mut evaluations = used;
    // Minimise g = −f; a failed evaluation is +∞.
    let mut g = |x: f64| {
        evaluations += 1;
        f(x).filter(|v| v.is_finite()).map_or(f64::INFINITY, |v| -v)
    };
    let ((mut x, mut fx), (mut w, mut fw), (mut v, mut fv)) = (start.x, start.w, start.v);
    let (mut d, mut e) = (0.0_f64, if start.parabolic { b - a } else { 0.0 });
    let tol = tolerance.max(f64::EPSILON);
    let mut used = used;
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

/// Maximise `f` on `[a, b]` where the maximum is expected near `x0` and an evaluation costs less
/// the nearer it lies to one made before (a targeting warm-started from its nearest solved
/// neighbour): steps from `x0`, the first of `step` and each next one longer by the golden
/// ratio while `f` keeps rising, bracket the maximum (the downhill bracketing of Press et al.,
/// *Numerical Recipes*, §10.1, turned uphill), then Brent's method refines within the bracket
/// from its best point and the two beside it. [`maximize`] from `x0` opens with a golden-section
/// step across the whole interval instead: far from every point solved, and dear. Where `f`
/// cannot be evaluated at `x0`, [`maximize`] searches the interval as before, `x0` not
/// evaluated again.
pub fn maximize_near(
    mut f: impl FnMut(f64) -> Option<f64>,
    a: f64,
    b: f64,
    x0: f64,
    step: f64,
    tolerance: f64,
    max_evaluations: usize,
) -> Option<ScalarMaximum> {
    const GROWTH: f64 = 1.618_033_988_749_895;
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let x0 = x0.clamp(a, b);
    let mut used = 0;
    let mut value = |x: f64, used: &mut usize| {
        *used += 1;
        f(x).filter(|v| v.is_finite())
    };
    let Some(f0) = value(x0, &mut used) else {
        // Brent across the interval, as [`maximize`] from `x0`, whose failure is known: not
        // evaluated again (a targeting that failed there would fail again at the same cost).
        return brent(f, (a, b), Start::at((x0, f64::INFINITY)), tolerance, max_evaluations, used);
    };
    let step = step.abs().max(tolerance);
    let worst = f64::NEG_INFINITY;
    // Uphill first, then downhill: the side where f rises is followed.
    let up = (x0 + step).min(b);
    let f_up = if up > x0 { value(up, &mut used).unwrap_or(worst) } else { worst };
    let (direction, first) = if f_up > f0 {
        (1.0, (up, f_up))
    } else {
        let down = (x0 - step).max(a);
        let f_down = if down < x0 { value(down, &mut used).unwrap_or(worst) } else { worst };
        if f_down > f0 {
            (-1.0, (down, f_down))
        } else {
            // x0 is the best of three: bracketed already.
            let (w, v) = if f_up >= f_down { ((up, f_up), (down, f_down)) } else { ((down, f_down), (up, f_up)) };
            return finish_near(f, (down, up), (x0, f0), w, v, tolerance, max_evaluations, used);
        }
    };
    // March on while f rises: `behind` the point before the best, `best` the highest so far.
    let (mut behind, mut best) = ((x0, f0), first);
    let mut h = step;
    loop {
        if used >= max_evaluations {
            return Some(ScalarMaximum { x: best.0, value: best.1, evaluations: used });
        }
        h *= GROWTH;
        let next = (best.0 + direction * h).clamp(a, b);
        if next == best.0 {
            // At the end of the interval and still rising: the maximum is the end.
            let bracket = if direction > 0.0 { (behind.0, b) } else { (a, behind.0) };
            return finish_near(f, bracket, best, behind, behind, tolerance, max_evaluations, used);
        }
        let f_next = value(next, &mut used).unwrap_or(worst);
        if f_next <= best.1 {
            let bracket = if direction > 0.0 { (behind.0, next) } else { (next, behind.0) };
            let (w, v) = if f_next >= behind.1 { ((next, f_next), behind) } else { (behind, (next, f_next)) };
            return finish_near(f, bracket, best, w, v, tolerance, max_evaluations, used);
        }
        (behind, best) = (best, (next, f_next));
    }
}

/// Maximise `f` within a bracket `(lo, hi)` the caller has found: `best`, a point inside it,
/// and `beside`, two points already evaluated (its ends, or any two; −∞ where `f` could not be
/// evaluated), none evaluated again. Brent's method opens with a parabola through the three
/// when all are finite. At most `max_evaluations` new evaluations; `best` itself when none
/// does better.
pub fn maximize_bracketed(
    f: impl FnMut(f64) -> Option<f64>,
    (lo, hi): (f64, f64),
    best: (f64, f64),
    beside: [(f64, f64); 2],
    tolerance: f64,
    max_evaluations: usize,
) -> ScalarMaximum {
    let [w, v] = if beside[0].1 >= beside[1].1 { beside } else { [beside[1], beside[0]] };
    finish_near(f, (lo.min(hi), lo.max(hi)), best, w, v, tolerance, max_evaluations, 0).unwrap_or(ScalarMaximum {
        x: best.0,
        value: best.1,
        evaluations: 0,
    })
}

/// Brent's method within the bracket `(lo, hi)` of [`maximize_near`], from its best point and the
/// two beside it (values of `f`; −∞ where it could not be evaluated); the best point when Brent
/// finds nothing better.
#[allow(clippy::too_many_arguments)]
fn finish_near(
    f: impl FnMut(f64) -> Option<f64>,
    (lo, hi): (f64, f64),
    best: (f64, f64),
    w: (f64, f64),
    v: (f64, f64),
    tolerance: f64,
    max_evaluations: usize,
    used: usize,
) -> Option<ScalarMaximum> {
    let negate = |(x, value): (f64, f64)| (x, if value.is_finite() { -value } else { f64::INFINITY });
    let start = Start { x: negate(best), w: negate(w), v: negate(v), parabolic: w.1.is_finite() && v.1.is_finite() };
    let refined = brent(f, (lo, hi), start, tolerance, max_evaluations, used)?;
    Some(if refined.value >= best.1 { refined } else { ScalarMaximum { x: best.0, value: best.1, evaluations: refined.evaluations } })
}

/// Maximise `f` on `[a, b]` where it may have more than one local maximum: `f` is first
/// evaluated at the `intervals − 1` inner points of an even grid (and at `known`, a point whose
/// value the caller already has, counted as the best of its cell), then Brent's method refines
/// within the two cells around the best grid point, from its value (not evaluated again).
/// Brent's method alone, started anywhere, settles on whichever local maximum its first steps
/// fall toward. At most `max_evaluations` evaluations for the refinement (the best point counted
/// as one), beside the grid's; `None` when no evaluation succeeded.
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
/// Brent's method within a grid step either side of the best, from its value (at most
/// `max_evaluations` evaluations beside the grid's, the best point counted as one), unless the
/// step is within `tolerance` already, or the best is an end that `f` still rises to
/// (`rises_to_end`). `None`, with no evaluation past the grid, when no grid point can be
/// evaluated: the grid has spanned the interval, ends included, and the caller says why.
pub fn maximize_scanned_with_ends(
    mut f: impl FnMut(f64) -> Option<f64>,
    from: f64,
    to: f64,
    intervals: usize,
    tolerance: f64,
    max_evaluations: usize,
) -> Option<ScalarMaximum> {
    // An interval of one point is evaluated once: its grid would evaluate it at every point.
    if from == to {
        return f(from).filter(|v| v.is_finite()).map(|value| ScalarMaximum { x: from, value, evaluations: 1 });
    }
    let intervals = intervals.max(1);
    let step = (to - from) / intervals as f64;
    let mut values: Vec<Option<f64>> = Vec::with_capacity(intervals + 1);
    let mut best: Option<(usize, f64)> = None;
    for i in 0..=intervals {
        let value = f(from + step * i as f64).filter(|v| v.is_finite());
        if let Some(value) = value {
            if best.is_none_or(|(_, b)| value > b) {
                best = Some((i, value));
            }
        }
        values.push(value);
    }
    let evaluations = values.len();
    let (i, value) = best?;
    let x = from + step * i as f64;
    if step.abs() <= tolerance || rises_to_end(&values, i) {
        return Some(ScalarMaximum { x, value, evaluations });
    }
    Some(refine(f, (x, value), step.abs(), (from.min(to), from.max(to)), tolerance, max_evaluations, evaluations))
}

/// Whether grid point `best` of `values` (evaluated at equal steps) is an end of the grid that
/// the parabola through it and its two inner neighbours still rises to: its slope there,
/// outward, `(3·d₁ − d₂)/2` per step (`d₁`, `d₂` the rises of the last two steps), is not
/// negative, so the parabola's summit lies at or past the end and the refinement between the end
/// and its neighbour could only confirm it. Each evaluation of a perigee scan is a whole
/// mission's optimization: where the payload rises all the way to the perigee's floor, the
/// refinement flew two missions that never carried more (Falcon 9, H-IIA 202, Ariane 62, Briz-M
/// and Fregat stacks to a 500 km SSO). Not when a neighbour could not be evaluated.
fn rises_to_end(values: &[Option<f64>], best: usize) -> bool {
    let last = values.len() - 1;
    let inward: [usize; 2] = match best {
        0 if last >= 2 => [1, 2],
        b if b == last && last >= 2 => [last - 1, last - 2],
        _ => return false,
    };
    let (Some(end), Some(next), Some(after)) = (values[best], values[inward[0]], values[inward[1]]) else { return false };
    let (d1, d2) = (end - next, next - after);
    3.0 * d1 - d2 >= 0.0
}

/// Brent's method within `step` either side of `best` (a grid point and its value) inside
/// `bounds`, started there with its value known: an evaluation may be a whole optimization, and
/// flying the best point again would only repeat it. The best point counts as the first of the
/// refinement's `max_evaluations`, as if flown again. The grid point when the refinement finds
/// nothing better; `evaluations` are the grid's, added to the refinement's.
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
    let known = (x0, -value0);
    let start = Start::at(known);
    let bracket = ((x0 - step).max(bounds.0), (x0 + step).min(bounds.1));
    let refined = brent(f, bracket, start, tolerance, max_evaluations.saturating_sub(1), 0);
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
    fn a_bracket_is_refined_without_flying_its_points_again() {
        // max of −(x − 0.3)² in the bracket (0, 1) around 0.5, its three points known.
        let f = |x: f64| -(x - 0.3) * (x - 0.3);
        let mut asked = Vec::new();
        let m = maximize_bracketed(
            |x| {
                asked.push(x);
                Some(f(x))
            },
            (0.0, 1.0),
            (0.5, f(0.5)),
            [(0.0, f(0.0)), (1.0, f(1.0))],
            1e-4,
            8,
        );
        assert!((m.x - 0.3).abs() < 1e-3, "{m:?}");
        assert!(!asked.iter().any(|&x| x == 0.0 || x == 0.5 || x == 1.0), "{asked:?}");
        // The parabola through the three known points lands on the maximum at once; the
        // rest confirm it to the tolerance.
        assert!((asked[0] - 0.3).abs() < 1e-12 && asked.len() <= 4, "{asked:?}");
        // A side that could not be evaluated (−∞) still bounds the search, by golden sections.
        let m = maximize_bracketed(|x| Some(f(x)), (0.0, 1.0), (0.5, f(0.5)), [(0.0, f64::NEG_INFINITY), (1.0, f(1.0))], 1e-4, 20);
        assert!((m.x - 0.3).abs() < 1e-3, "{m:?}");
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
    fn the_search_near_the_start_stays_near_it() {
        // The maximum of −(x − 1.2)² lies two steps from the start: bracketed there, refined
        // within, and no point evaluated across the wide interval as golden sections would.
        let peak = |x: f64| Some(-(x - 1.2) * (x - 1.2));
        let mut xs = Vec::new();
        let near = maximize_near(
            |x| {
                xs.push(x);
                peak(x)
            },
            -3.0,
            5.0,
            1.0,
            0.1,
            1e-8,
            100,
        )
        .unwrap();
        assert!((near.x - 1.2).abs() < 1e-6, "{near:?}");
        assert_eq!(near.evaluations, xs.len());
        assert!(xs.iter().all(|x| (0.85..=1.55).contains(x)), "{xs:?}");
        let mut far = Vec::new();
        maximize(
            |x| {
                far.push(x);
                peak(x)
            },
            -3.0,
            5.0,
            1.0,
            1e-8,
            100,
        )
        .unwrap();
        assert!(far.iter().any(|x| (x - 1.0).abs() > 1.0), "Brent from the start opens wide: {far:?}");
        // Downhill from the start, and a start that is already the best of its three points.
        let m = maximize_near(peak, -3.0, 5.0, 2.0, 0.1, 1e-8, 100).unwrap();
        assert!((m.x - 1.2).abs() < 1e-6, "{m:?}");
        let m = maximize_near(peak, -3.0, 5.0, 1.2, 0.1, 1e-8, 100).unwrap();
        assert!((m.x - 1.2).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn the_search_near_the_start_reaches_ends_and_skips_failures() {
        // Rising to the end of the interval.
        let m = maximize_near(Some, 0.0, 2.0, 1.0, 0.1, 1e-8, 100).unwrap();
        assert!((m.x - 2.0).abs() < 1e-6, "{m:?}");
        // Undefined beyond 1.5, the maximum inside: the failed points bound the bracket.
        let m = maximize_near(|x| (x <= 1.5).then(|| -(x - 1.0) * (x - 1.0)), 0.0, 4.0, 1.45, 0.1, 1e-8, 100).unwrap();
        assert!((m.x - 1.0).abs() < 1e-6, "{m:?}");
        // Undefined at the start: the whole interval is searched, the start not tried again,
        // in at most the evaluations given.
        let mut xs = Vec::new();
        let m = maximize_near(
            |x| {
                xs.push(x);
                (x <= 1.5).then(|| -(x - 1.0) * (x - 1.0))
            },
            0.0,
            4.0,
            3.0,
            0.1,
            1e-8,
            100,
        )
        .unwrap();
        assert!((m.x - 1.0).abs() < 1e-6, "{m:?}");
        assert_eq!((xs.iter().filter(|&&x| x == 3.0).count(), m.evaluations), (1, xs.len()), "{xs:?}");
        let mut calls = 0;
        assert!(maximize_near(
            |_| {
                calls += 1;
                None
            },
            0.0,
            1.0,
            0.5,
            0.1,
            1e-6,
            20
        )
        .is_none());
        assert_eq!(calls, 20);
        // The budget holds.
        let m = maximize_near(|x| Some(-(x - 3.0) * (x - 3.0)), 0.0, 4.0, 0.5, 0.01, 1e-12, 6).unwrap();
        assert!(m.evaluations <= 6, "{m:?}");
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
    fn an_interval_of_one_point_is_evaluated_once() {
        // Each evaluation may be a whole optimization (the one ellipse under a low target).
        let mut n = 0;
        let m = maximize_scanned_with_ends(
            |x| {
                n += 1;
                Some(1.0 - x)
            },
            0.5,
            0.5,
            3,
            1e-6,
            20,
        )
        .unwrap();
        assert_eq!((m.x, m.value, m.evaluations, n), (0.5, 0.5, 1, 1), "{m:?}");
        assert!(maximize_scanned_with_ends(|_| None, 0.5, 0.5, 3, 1e-6, 20).is_none());
    }

    #[test]
    fn an_end_the_values_still_rise_to_is_not_refined() {
        // Rising to the end the scan finishes at, straight or bending over past it: the grid
        // only. A summit inside the last step is refined to (`the_refinement_flies_no_grid_point_again`).
        for f in [|x: f64| 2.0 - x, |x: f64| -(x + 0.2) * (x + 0.2)] {
            let mut n = 0;
            let m = maximize_scanned_with_ends(
                |x| {
                    n += 1;
                    Some(f(x))
                },
                1.0,
                0.0,
                3,
                1e-6,
                20,
            )
            .unwrap();
            assert_eq!((m.x, n, m.evaluations), (0.0, 4, 4), "{m:?}");
        }
        // A neighbour that cannot be evaluated leaves the end to the refinement.
        let mut n = 0;
        let gap = |x: f64| if (x - 1.0 / 3.0).abs() < 1e-9 { None } else { Some(2.0 - x) };
        maximize_scanned_with_ends(
            |x| {
                n += 1;
                gap(x)
            },
            1.0,
            0.0,
            3,
            1e-6,
            20,
        );
        assert!(n > 4, "{n} evaluations");
    }

    #[test]
    fn the_refinement_flies_no_grid_point_again() {
        // Each evaluation may be a whole optimization: the refinement starts from the best grid
        // point's value rather than flying it again.
        for (with_ends, peak) in [(true, 0.4), (false, 0.4), (true, 0.05)] {
            let mut xs: Vec<f64> = Vec::new();
            let f = |x: f64, xs: &mut Vec<f64>| {
                xs.push(x);
                Some(-(x - peak) * (x - peak))
            };
            let m = if with_ends {
                maximize_scanned_with_ends(|x| f(x, &mut xs), 1.0, 0.0, 4, 1e-6, 20)
            } else {
                maximize_scanned(|x| f(x, &mut xs), 0.0, 1.0, None, 4, 1e-6, 20)
            }
            .unwrap();
            assert!((m.x - peak).abs() < 1e-5, "{m:?} {xs:?}");
            assert_eq!(m.evaluations, xs.len());
            let grid = if with_ends { 5 } else { 3 };
            assert!(xs[grid..].iter().all(|x| xs[..grid].iter().all(|g| (g - x).abs() > 1e-12)), "{xs:?}");
        }
        // The budget counts the best grid point as the refinement's first evaluation.
        let mut n = 0;
        let m = maximize_scanned_with_ends(
            |x| {
                n += 1;
                Some(-(x - 0.4) * (x - 0.4))
            },
            1.0,
            0.0,
            4,
            1e-9,
            3,
        )
        .unwrap();
        assert_eq!((n, m.evaluations), (5 + 2, 5 + 2), "{m:?}");
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
