//! The insertion height of an eccentric target: where on the orbit's way up from the perigee
//! the ascent cuts off. A stack whose last stage burns long in the ascent can carry more cut
//! off above the perigee; the height and the pitch kick are searched together. A target that
//! holds its argument of perigee fixes the height instead: the cutoff's place on the orbit is
//! what turns the perigee.

use super::*;

impl<const N: usize> Problem<'_, N> {
    /// Aim the cutoff `height_m` above the target perigee, on the orbit's way up (negative: as
    /// far above it on the way down): the radius and the flight-path angle there follow from the
    /// orbit (cos γ = h / (r v), h its angular momentum). Forgets the kicks solved for another
    /// height.
    pub(in crate::optimize) fn set_insertion_height(&mut self, height_m: f64) {
        let perigee_m = self.target_radius_m;
        let apogee_m = WGS84_A_M + self.target.apogee_m;
        let radius_m = perigee_m + height_m.abs();
        let momentum = (MU_EARTH_M3_S2 * 2.0 * apogee_m * perigee_m / (apogee_m + perigee_m)).sqrt();
        let speed_m_s = (MU_EARTH_M3_S2 * (2.0 / radius_m - 2.0 / (apogee_m + perigee_m))).sqrt();
        self.insertion_height_m = height_m;
        self.insertion_fpa_deg = (momentum / (radius_m * speed_m_s)).clamp(-1.0, 1.0).acos().to_degrees().copysign(height_m);
        self.earlier_kicks += self.solved.len();
        self.solved.clear();
        self.last = None;
    }

    /// Height of the aimed cutoff above the target perigee, m (0: at the perigee; negative: on
    /// the way down to it).
    pub(in crate::optimize) fn insertion_height_m(&self) -> f64 {
        self.insertion_height_m
    }

    /// Keep a kick solved before the insertion height was set to this one (already counted).
    pub(super) fn keep_solved(&mut self, solved: Solved<N>) {
        self.solved.push(solved);
        self.earlier_kicks = self.earlier_kicks.saturating_sub(1);
    }

    /// On an eccentric target, the insertion height above the perigee that carries the most
    /// (payload unknown) or leaves the most propellant (payload given), from `best`, the
    /// ascent that inserts at the perigee. First [`SCANNED_INSERTION_PASSES`] passes search
    /// height and kick in turn: a scan of the heights then Brent's method around the best
    /// ([`scalar::maximize_scanned`]) with the kick held, each height targeted from the nearest
    /// one solved, then the kick searched again at the height found. The two are coupled (a
    /// higher insertion wants a lofted ascent, a larger kick), so that turns alone would climb
    /// the ridge between them in many short steps; line searches along the ridge then refine
    /// their answer ([`Problem::refine_insertion`]). `best` itself when the target is (nearly)
    /// circular or no other height does better. Then, when the target holds its argument of
    /// perigee, the height that places it ([`Problem::hold_argument_of_perigee`]).
    pub(in crate::optimize) fn optimize_insertion(&mut self, best: Solved<N>) -> Result<Solved<N>> {
        // From the perigee, or from where a start aimed it ([`Problem::search_from`]); a height
        // the caller aimed is kept.
        let from_start = std::mem::take(&mut self.height_from_start);
        let searched = self.target.insertion_searched() && (from_start || self.insertion_height_m == 0.0);
        let best = if searched { self.search_insertion_from(best, self.insertion_height_m)? } else { best };
        self.hold_argument_of_perigee(best)
    }

    /// [`Problem::optimize_insertion`] from `start`, the ascent cut off `start_height_m` above
    /// the perigee (where the problem is aimed).
    pub(super) fn search_insertion_from(&mut self, start: Solved<N>, start_height_m: f64) -> Result<Solved<N>> {
        let span_m = self.target.insertion_span_m();
        let (mut best, mut best_height_m) = (start, start_height_m);
        // The step of the last scanned pass, (ln kick, height), for the refinement.
        let mut last_step = None;
        for pass in 0..SCANNED_INSERTION_PASSES {
            let (log_kick, pass_start_m) = (best.log_kick, best_height_m);
            let mut tried: Vec<(f64, Solved<N>)> = vec![(best_height_m, best)];
            let known = (best_height_m, best.objective());
            let evaluate = |height_m: f64| {
                let start = tried.iter().min_by(|a, b| (a.0 - height_m).abs().total_cmp(&(b.0 - height_m).abs()))?.1;
                self.set_insertion_height(height_m);
                let solved = self.target_seeded(log_kick, Some(start.x), Some(start.jacobian))?;
                tried.push((height_m, solved));
                Some(solved.objective())
            };
            // Each pass scans the heights (the payload can peak twice: a low insertion and a
            // lofted one) with the kick held, then refines around the best.
            let found = scalar::maximize_scanned(
                evaluate,
                0.0,
                span_m,
                Some(known),
                INSERTION_SCAN_INTERVALS,
                INSERTION_TOLERANCE_M,
                MAX_INSERTION_EVALUATIONS,
            );
            let Some((height_m, start)) = found.and_then(|m| tried.iter().find(|t| t.0 == m.x).copied()) else { break };
            self.set_insertion_height(height_m);
            self.keep_solved(start);
            match self.search_kick_from(log_kick) {
                Ok(moved) if moved.objective() > best.objective() => (best, best_height_m) = (moved, height_m),
                _ => break,
            }
            if pass + 1 == SCANNED_INSERTION_PASSES && !self.budget_spent() {
                last_step = Some((best.log_kick - log_kick, best_height_m - pass_start_m));
            }
        }
        if let Some(step) = last_step {
            (best, best_height_m) = self.refine_insertion((best, best_height_m), step, span_m);
            self.refinement_cut_short = self.budget_spent();
        }
        // Leave the problem aimed at the height of the answer, with the answer among its kicks.
        let (answer, height_m) = if best.objective() > start.objective() { (best, best_height_m) } else { (start, start_height_m) };
        self.set_insertion_height(height_m);
        self.keep_solved(answer);
        Ok(answer)
    }

    /// With the target's argument of perigee held ([`TargetOrbit::argument_of_perigee_deg`]),
    /// the ascent from `best` (the one that carries the most with the perigee free, the problem
    /// aimed at its height) moved along the orbit until its perigee lies there, its kick searched
    /// at every height: the most it carries with the perigee in place. The argument of perigee is
    /// where the cutoff lies on the orbit (its argument of latitude, set by the ascent's
    /// downrange travel) less its true anomaly, which grows with the height: cut off higher up
    /// the orbit, the perigee falls further back, so a secant on the height (then false position
    /// between the nearest misses either side, once it changes sign) finds it, from the cutoff as far down the orbit's descending
    /// side as it rises on its way up. `best` itself when its perigee is in place (a circular
    /// or perigee-free target). Refused, naming the arguments of perigee the ascent reached,
    /// when none of the heights places it.
    pub(in crate::optimize) fn hold_argument_of_perigee(&mut self, best: Solved<N>) -> Result<Solved<N>> {
        let Some(held_deg) = self.target.argument_of_perigee_deg else { return Ok(best) };
        let miss = |s: &Solved<N>| wrap_degrees(s.arg_perigee_deg - held_deg);
        if !self.target.insertion_searched() || miss(&best).abs() <= HELD_ARGUMENT_OF_PERIGEE_DEG {
            return Ok(best);
        }
        let span_m = self.target.insertion_span_m();
        let start_height_m = self.insertion_height_m;
        // Every height tried: (height, miss, ascent); the nearest one solved starts the next.
        let mut tried: Vec<(f64, f64, Solved<N>)> = vec![(start_height_m, miss(&best), best)];
        // The two ends of the heights that cannot place the perigee further (their ascents or
        // the end of the span).
        let (mut lowest_m, mut highest_m) = (-span_m, span_m);
        let mut max_step_m = MAX_HEIGHT_STEP_M;
        for iteration in 0..MAX_ARGUMENT_OF_PERIGEE_ITERATIONS {
            // The latest ascent and its miss; the next height by false position between the
            // nearest misses either side once there are such, else by the secant of the latest
            // two (the first step from the guessed slope), in steps of at most
            // [`MAX_HEIGHT_STEP_M`]: the targeting follows the ascent from the nearest height.
            let &(h, m, _) = tried.last().expect("the start");
            let mut next_m = match bracket_of(&tried) {
                Some(((h0, m0), (h1, m1))) => h0 - m0 * (h1 - h0) / (m1 - m0),
                None => {
                    let measured = match tried.len() {
                        1 => None,
                        n => {
                            let (h0, m0, _) = tried[n - 2];
                            Some((m - m0) / (h - h0)).filter(|s| *s < 0.0)
                        }
                    };
                    let needed_m = -m / measured.unwrap_or(ARGUMENT_OF_PERIGEE_PER_HEIGHT_DEG_M);
                    // At the rate the ascents show, out of the heights or of the steps left:
                    // refused now rather than after them.
                    let steps_left = (MAX_ARGUMENT_OF_PERIGEE_ITERATIONS - iteration) as f64;
                    if measured.is_some() && (!(lowest_m..=highest_m).contains(&(h + needed_m)) || needed_m.abs() > steps_left * max_step_m)
                    {
                        break;
                    }
                    h + needed_m.clamp(-max_step_m, max_step_m)
                }
            }
            .clamp(lowest_m, highest_m);
            // Near the perigee the argument of perigee turns fast with the height (the true
            // anomaly grows as the height's square root: on a 200 × 600 km ellipse 0.75° a km 14 km
            // from the perigee, 5° a km within 2 km), so once a change of sign brackets it the
            // heights are told apart to what turns it by the hold's tolerance, as the bracket's
            // slope gives it.
            let tolerance_m = match bracket_of(&tried) {
                Some(((h0, m0), (h1, m1))) => {
                    INSERTION_TOLERANCE_M.min(HELD_ARGUMENT_OF_PERIGEE_DEG * ((h1 - h0) / (m1 - m0)).abs()).max(MIN_HOLD_HEIGHT_STEP_M)
                }
                None => INSERTION_TOLERANCE_M,
            };
            let near_tried = |next_m: f64| tried.iter().any(|t| (t.0 - next_m).abs() < tolerance_m);
            if near_tried(next_m) {
                // False position creeps up on the root from one side in steps under the
                // tolerance while the miss is still out: then the secant of the latest two
                // heights, else the bracket's middle; otherwise pinned against an end the
                // ascent cannot pass, or converged in height.
                let Some(((h0, _), (h1, _))) = bracket_of(&tried) else { break };
                let (low_m, high_m) = (h0.min(h1), h0.max(h1));
                let secant_m = match tried.len() {
                    n if n >= 2 => {
                        let (ha, ma, _) = tried[n - 2];
                        (m != ma).then(|| h - m * (h - ha) / (m - ma)).filter(|s| (low_m..=high_m).contains(s) && !near_tried(*s))
                    }
                    _ => None,
                };
                match secant_m {
                    Some(s) => next_m = s,
                    None if high_m - low_m > 2.0 * tolerance_m => next_m = 0.5 * (low_m + high_m),
                    None => break,
                }
            }
            let nearest = *tried.iter().min_by(|a, b| (a.0 - next_m).abs().total_cmp(&(b.0 - next_m).abs())).expect("the start");
            self.set_insertion_height(next_m);
            let solved = self
                .target_seeded(nearest.2.log_kick, Some(nearest.2.x), Some(nearest.2.jacobian))
                .and_then(|s| self.search_kick_from(s.log_kick).ok())
                .filter(|s| self.feasible(s));
            let Some(solved) = solved else {
                // No ascent targeted there from the nearest: shorter steps, and past a step as
                // short as the tolerance, no heights beyond.
                max_step_m = 0.5 * (next_m - nearest.0).abs();
                if max_step_m < INSERTION_TOLERANCE_M {
                    if next_m > nearest.0 {
                        highest_m = nearest.0;
                    } else {
                        lowest_m = nearest.0;
                    }
                }
                continue;
            };
            let m = miss(&solved);
            tried.push((next_m, m, solved));
            if m.abs() <= HELD_ARGUMENT_OF_PERIGEE_DEG {
                // The problem is aimed at its height, with it among its kicks.
                return Ok(solved);
            }
        }
        // The range reached, from the misses (which do not wrap at 0°/360° as the angles do),
        // and the change from the lowest height tried to the highest.
        let over = |f: fn(f64, f64) -> f64, of: fn(&(f64, f64, Solved<N>)) -> f64| tried.iter().map(of).fold(of(&tried[0]), f);
        let (low_miss, high_miss) = (over(f64::min, |t| t.1), over(f64::max, |t| t.1));
        let (low_deg, high_deg) = ((held_deg + low_miss).rem_euclid(360.0), (held_deg + high_miss).rem_euclid(360.0));
        let lowest = tried.iter().min_by(|a, b| a.0.total_cmp(&b.0)).expect("the start");
        let highest = tried.iter().max_by(|a, b| a.0.total_cmp(&b.0)).expect("the start");
        let (low_m, high_m) = (lowest.0, highest.0);
        let rate = if high_m > low_m {
            format!(", {:+.1}° for every 100 km higher", 1e5 * (highest.1 - lowest.1) / (high_m - low_m))
        } else {
            String::new()
        };
        // Leave the problem as it came: aimed at the start's height, with it among its kicks.
        self.set_insertion_height(start_height_m);
        self.keep_solved(best);
        // One height tried (no other could be targeted): one height and one angle, not a range.
        let placed = if tried.len() == 1 {
            let height = if low_m < 0.0 {
                format!("{:.0} km before the perigee, on the way down to it", -low_m / 1e3)
            } else {
                format!("{:.0} km above the perigee", low_m / 1e3)
            };
            format!(
                "cut off {height} (no other cutoff height could be targeted), the ascent that carries the most there places it at \
                 {low_deg:.1}°"
            )
        } else {
            format!(
                "cut off from {:.0} to {:.0} km above the perigee (negative: on the way down to it), the ascents that carry the \
                 most there place it between {low_deg:.1}° and {high_deg:.1}°{rate}",
                low_m / 1e3,
                high_m / 1e3
            )
        };
        Err(Error::Unreachable(format!(
            "{}: no ascent to {} found that puts the perigee there: {placed}; the ascent's travel downrange sets it{OTHER_LEG}",
            self.vehicle.name,
            self.target.describe(),
        )))
    }

    /// Kick and insertion height refined from `from` (the ascent the scanned passes of
    /// [`Problem::optimize_insertion`] found, and its height), whose last pass made `step`
    /// (ln kick, height): a line search ([`Problem::line_search_insertion`]) along that step,
    /// then iterations of line searches along the height, along the kick, and along the span
    /// from where the refinement stood two iterations back (the first iteration's from `from`),
    /// which follows the ridge between them (a conjugate direction in Powell's sense). The
    /// searches along the axes zigzag across the ridge, so that the step of one iteration points
    /// across it as much as along it: searched along that step, the refinement stalled short of
    /// the summit on a long ridge (Ariane 5 ECA from Kourou to its GTO: 10,338 kg where the
    /// summit carries 10,349); over two iterations the zigzags cancel. Powell's replacement of
    /// a search direction by such a step made the search stall short of the summit on the rugged
    /// payload surface of solid first stages, so the two axes stay. Iterations stop when one
    /// gains less than [`INSERTION_GAIN_TOLERANCE`] of the objective, at most
    /// [`MAX_INSERTION_ITERATIONS`]. Only ascents that keep the constraints are taken.
    pub(super) fn refine_insertion(&mut self, from: (Solved<N>, f64), step: (f64, f64), span_m: f64) -> (Solved<N>, f64) {
        let axes = [(0.0, span_m / (2 * INSERTION_SCAN_INTERVALS) as f64), (KICK_FIRST_STEP, 0.0)];
        let negligible = |d: (f64, f64)| d.0.abs() < KICK_TOLERANCE && d.1.abs() < INSERTION_TOLERANCE_M;
        let place = |p: &(Solved<N>, f64)| (p.0.log_kick, p.1);
        let mut best = from;
        if !negligible(step) {
            best = self.line_search_insertion(best, step, span_m);
        }
        // Where the refinement stood (ln kick, height) two iterations back and one back.
        let (mut two_back, mut one_back) = (place(&from), place(&best));
        for _ in 0..MAX_INSERTION_ITERATIONS {
            let start = best;
            for axis in axes {
                best = self.line_search_insertion(best, axis, span_m);
            }
            let (log_kick, height_m) = place(&best);
            let span = (log_kick - two_back.0, height_m - two_back.1);
            if !negligible(span) {
                best = self.line_search_insertion(best, span, span_m);
            }
            (two_back, one_back) = (one_back, place(&best));
            let gain = best.0.objective() - start.0.objective();
            if self.budget_spent() || gain < INSERTION_GAIN_TOLERANCE * start.0.objective().abs().max(1.0) {
                break;
            }
        }
        best
    }

    /// The best ascent on the line from `from` (an ascent and its insertion height) along
    /// `direction` (ln kick, height): a search on the multiple `t` of the direction from `t = 0`,
    /// within the span of heights and the range of a kick search, each point targeted from the
    /// nearest one solved. `from` when nothing on the line does better and keeps the
    /// constraints. Leaves the problem aimed at the height returned, its ascent among the kicks.
    pub(super) fn line_search_insertion(&mut self, from: (Solved<N>, f64), direction: (f64, f64), span_m: f64) -> (Solved<N>, f64) {
        let (origin, height0_m) = from;
        let (kick_step, height_step_m) = direction;
        // The multiples that keep the height within the span and the kick within a kick search's range.
        let mut range = (-MAX_LINE_MULTIPLE, MAX_LINE_MULTIPLE);
        let mut bound = |low: f64, high: f64| range = (range.0.max(low.min(high)), range.1.min(low.max(high)));
        if height_step_m != 0.0 {
            bound(-height0_m / height_step_m, (span_m - height0_m) / height_step_m);
        }
        if kick_step != 0.0 {
            let kick_range = KICK_RANGE_FACTOR.ln() / kick_step.abs();
            bound(-kick_range, kick_range);
        }
        // Resolve the line to the refinement's kick tolerance and the height's.
        let tolerance = (REFINED_KICK_TOLERANCE / kick_step.abs()).min(INSERTION_TOLERANCE_M / height_step_m.abs());
        let mut tried: Vec<(f64, Solved<N>)> = vec![(0.0, origin)];
        let evaluate = |t: f64| {
            let by_distance = |a: &&(f64, Solved<N>), b: &&(f64, Solved<N>)| (a.0 - t).abs().total_cmp(&(b.0 - t).abs());
            let (t_nearest, nearest) = *tried.iter().min_by(by_distance)?;
            if t_nearest == t {
                return Some(nearest.objective());
            }
            // From the nearest point solved, on the secant through the next nearest (the
            // unknowns move smoothly along the line).
            let x0 = match tried.iter().filter(|p| p.0 != t_nearest).min_by(by_distance) {
                Some(&(t_second, second)) => self.extrapolated(&nearest.x, &second.x, (t - t_nearest) / (t_nearest - t_second)),
                None => nearest.x,
            };
            self.set_insertion_height(height0_m + t * height_step_m);
            let solved = self.target_seeded(origin.log_kick + t * kick_step, Some(x0), Some(nearest.jacobian))?;
            tried.push((t, solved));
            self.feasible(&solved).then(|| solved.objective())
        };
        let found = scalar::maximize_near(evaluate, range.0, range.1, 0.0, 1.0, tolerance, MAX_LINE_EVALUATIONS);
        let (t, solved) = found
            .and_then(|m| tried.iter().find(|p| p.0 == m.x).copied())
            .filter(|(_, s)| self.feasible(s) && s.objective() > origin.objective())
            .unwrap_or((0.0, origin));
        let height_m = height0_m + t * height_step_m;
        self.set_insertion_height(height_m);
        self.keep_solved(solved);
        (solved, height_m)
    }
}

/// The pair of tried heights nearest each other whose misses of the argument of perigee have
/// opposite signs, ((height, miss), (height, miss)); `None` before the miss changes sign.
fn bracket_of<const N: usize>(tried: &[(f64, f64, Solved<N>)]) -> Option<((f64, f64), (f64, f64))> {
    let below = tried.iter().filter(|t| t.1 > 0.0).min_by(|a, b| a.1.total_cmp(&b.1))?;
    let above = tried.iter().filter(|t| t.1 < 0.0).max_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(((below.0, below.1), (above.0, above.1)))
}
