//! Targeting a transfer's burns on the finite-burn flight: damped Newton on the design's
//! unknowns, and the variants that hold a perigee the burns leave off (an apogee burn added,
//! the burn pitched down, the parking orbit's perigee left free), the apogee burn dropped when
//! the perigee burns have all but done its work, and the plane change's split searched.

use super::*;

/// Newton on the design's unknowns, `N` of them; `x0` and `jacobian` warm-start it.
pub(super) fn target_transfer<const N: usize>(
    design: &Design,
    mission: &Mission<'_>,
    stage: usize,
    x0: &[f64],
    jacobian: Option<&[f64]>,
    flights: &mut usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut x = [0.0; N];
    x.copy_from_slice(&x0[..N]);
    let options = NewtonOptions::<N> {
        difference_step: [1e-3; N],
        lower: std::array::from_fn(|i| match design.unknowns[i] {
            Unknown::StartPhase => -40.0,
            Unknown::ApogeeShift(_) => -2000.0,
            _ => -80.0,
        }),
        upper: std::array::from_fn(|i| match design.unknowns[i] {
            Unknown::StartPhase => 40.0,
            Unknown::ApogeeShift(_) => 2000.0,
            _ => 80.0,
        }),
        // 5° of an angle, 1,000 km of the transfer's apogee.
        max_step: std::array::from_fn(|i| if matches!(design.unknowns[i], Unknown::ApogeeShift(_)) { 1000.0 } else { 5.0 }),
        tolerance: 0.05,
        max_evaluations: 40,
    };
    let jac = jacobian.map(nalgebra::SMatrix::<f64, N, N>::from_column_slice);
    let mut evaluate = |x: &[f64; N]| -> Option<[f64; N]> {
        *flights += 1;
        let flight = mission.fly(design.burns(x), true, mission.options).ok()?;
        let c = design.conditions(stage, &flight)?;
        let mut f = [0.0; N];
        f.copy_from_slice(&c);
        Some(f)
    };
    let mut result = newton::solve(&mut evaluate, x, jac, &options)?;
    if !result.converged && jac.is_some() {
        result = newton::solve(&mut evaluate, result.x, None, &options)?;
    }
    result.converged.then(|| (result.x.to_vec(), result.jacobian.as_slice().to_vec()))
}

/// The design in which an apogee burn raises the target's perigee, where `design` left it to the
/// pitch of one perigee burn ([`PERIGEE_BY_PITCH_WITHIN_M`]): a long burn sweeping tens of degrees
/// lifts the perigee by itself (Fregat's to the Kourou GTO), a short one cannot put it much above
/// the orbit it starts from. `None` when the target's perigee is near the parking orbit's or
/// `design` has an apogee burn already.
pub(super) fn with_apogee_burn_for_perigee(design: &Design, inputs: &DesignInputs<'_>) -> Option<Design> {
    let Resolved::Orbit { perigee_radius_m, .. } = *inputs.target else { return None };
    if perigee_radius_m <= inputs.r0 + PERIGEE_BURNS_ONLY_WITHIN_M || design.legs.iter().any(|l| l.kind == LegKind::Apogee) {
        return None;
    }
    let raised = design_with(inputs, false, None);
    raised.legs.iter().any(|l| l.kind == LegKind::Apogee).then_some(raised)
}

/// The unknowns `to` starts from when it replaces `from`, flown with the unknowns `x`: the first
/// burn's phase and the transfer's apogee carry over; the yaws and pitches start from the design.
pub(super) fn start_carried_over(from: &Design, x: &[f64], to: &Design) -> Vec<f64> {
    to.unknowns
        .iter()
        .map(|u| match u {
            Unknown::StartPhase | Unknown::ApogeeShift(_) => from.unknowns.iter().position(|v| v == u).map_or(0.0, |k| x[k]),
            _ => 0.0,
        })
        .collect()
}

/// The design whose apogee burn lowers the target's perigee, where the perigee burns of
/// `design` (flown with the unknowns `x`) left it above the target's: split low-thrust burns
/// (Briz-M's four to a 250 km GTO perigee from a 200 km parking orbit) each lift it tens of km,
/// and an apogee burn along the velocity only raises it further. A burn against the velocity at
/// the apogee brings it down for a few m/s. The design (for `inputs` with the perigee left) and
/// its unknowns' start; `None` when the target is circular or escapes, `design` has no apogee
/// burn, its perigee burns were not all flown or left the perigee at or below the target's.
pub(super) fn with_apogee_burn_lowering_perigee<'a>(
    design: &Design,
    inputs: &DesignInputs<'a>,
    mission: &Mission<'_>,
    stage: usize,
    x: &[f64],
    flights: &mut usize,
) -> Option<(Design, DesignInputs<'a>, Vec<f64>)> {
    let Resolved::Orbit { perigee_radius_m, apogee_radius_m, .. } = *inputs.target else { return None };
    if apogee_radius_m - perigee_radius_m < CIRCULAR_WITHIN_M || design.legs.last()?.kind != LegKind::Apogee {
        return None;
    }
    *flights += 1;
    let flight = mission.fly(design.burns(x), true, mission.options).ok()?;
    let last_perigee_cutoff = *planned_cutoffs(stage, &flight).get(design.legs.len().checked_sub(2)?)?;
    let left = OrbitalElements::from_state(&last_perigee_cutoff.position_eci_m, &last_perigee_cutoff.velocity_eci_m_s, MU_EARTH_M3_S2);
    if left.perigee_radius_m() <= perigee_radius_m {
        return None;
    }
    let lowering = DesignInputs { perigee_left_radius_m: Some(left.perigee_radius_m()), ..*inputs };
    let lowered = design_with(&lowering, false, None);
    if lowered.legs.len() != design.legs.len() {
        return None;
    }
    let x0 = start_carried_over(design, x, &lowered);
    Some((lowered, lowering, x0))
}

/// [`solve_transfer`] (an exact perigee the perigee burns leave off then set by an apogee burn,
/// [`pin_perigee_by_apogee_burn`]), and where `design` cannot be targeted because the pitch of its
/// perigee burn cannot lift the perigee to the target's, once more with an apogee burn raising it
/// ([`with_apogee_burn_for_perigee`]; `design` becomes that one); where the perigee burns of the
/// design with an apogee burn left the perigee above the target's, once more with that burn
/// lowering it ([`with_apogee_burn_lowering_perigee`]; `design` and `inputs` become those).
/// `Ok(None)` when none can be targeted; `Err` when the apogee burn would exceed the burns the
/// stage is rated for.
#[allow(clippy::too_many_arguments)]
pub(super) fn solve_transfer_raising_perigee<'a>(
    design: &mut Design,
    inputs: &mut DesignInputs<'a>,
    mission: &Mission<'_>,
    stage: usize,
    x0: &[f64],
    jacobian: Option<&[f64]>,
    target: &TransferTarget,
    flights: &mut usize,
) -> Result<Option<(Vec<f64>, Vec<f64>)>> {
    if let Some(solved) = solve_transfer(design, mission, stage, x0, jacobian, flights) {
        if leaves_exact_perigee_to_burns(design, inputs) {
            return pin_perigee_by_apogee_burn(design, inputs, mission, stage, solved, target, flights);
        }
        return Ok(Some(solved));
    }
    if design.legs.iter().any(|l| l.kind == LegKind::Apogee) {
        return Ok(solve_transfer_lowering_perigee(design, inputs, mission, stage, x0, flights));
    }
    let Some(raised) = with_apogee_burn_for_perigee(design, inputs) else { return Ok(None) };
    let upper = &mission.vehicle.stages[stage];
    let max_burns = upper.max_burns();
    let burns = raised.legs.len() as u32 + 1;
    if burns > max_burns {
        // No burn to spare: the perigee where the perigee burn leaves it, if near enough.
        let start_phase = design.unknowns.iter().position(|u| *u == Unknown::StartPhase).and_then(|k| x0.get(k).copied()).unwrap_or(0.0);
        if let Some((plan, x, jacobian)) = perigee_left_free(inputs, mission, start_phase, flights) {
            *design = plan;
            return Ok(Some((x, jacobian)));
        }
        let Resolved::Orbit { perigee_radius_m, .. } = *inputs.target else { return Ok(None) };
        return Err(Error::Unreachable(format!(
            "{}: the perigee of {} lies {:.0} km above the parking orbit, higher than one perigee burn of `{}` lifts it (a burn short against the orbit leaves the perigee near the height it starts from); an apogee burn would raise it, which takes {burns} burns of `{}`, more than the {max_burns} it is rated for (`max_burns`)",
            mission.vehicle.name,
            target.describe(),
            (perigee_radius_m - inputs.r0) / 1e3,
            upper.name,
            upper.name
        )));
    }
    let x0 = vec![0.0; raised.unknowns.len()];
    if let Some(solved) = solve_transfer(&raised, mission, stage, &x0, None, flights) {
        *design = raised;
        return Ok(Some(solved));
    }
    let mut raised = raised;
    Ok(solve_transfer_lowering_perigee(&mut raised, inputs, mission, stage, &x0, flights).inspect(|_| *design = raised))
}

/// Whether `design` leaves to its perigee burns alone a perigee that must be met within the
/// tolerances (a target given by its elements, [`TransferTarget::Orbit`]'s `exact_perigee`,
/// within [`PERIGEE_BURNS_ONLY_WITHIN_M`] of the parking orbit): no burn's pitch and no apogee
/// burn sets it.
pub(super) fn leaves_exact_perigee_to_burns(design: &Design, inputs: &DesignInputs<'_>) -> bool {
    matches!(*inputs.target, Resolved::Orbit { exact_perigee: true, .. })
        && design.legs.iter().all(|l| l.kind == LegKind::Perigee)
        && !design.conditions.iter().any(|c| matches!(c, Condition::PerigeeRadius(_)))
}

/// The targeted plan `solved` of `design` ([`leaves_exact_perigee_to_burns`]) when its perigee
/// burns leave the perigee within half the tolerance of the target's, else the plan with an
/// apogee burn that sets it: a target given as 200 × 35,786 km asks for the 200 km its named
/// GTO leaves free (Briz-M's four perigee burns lift it to some 290 km; lowering it from there
/// at the apogee takes some 9 m/s). A stage with no burn to spare for it pitches its perigee burn
/// instead ([`pin_perigee_by_pitch`]). `Ok(None)` when that plan cannot be targeted; `Err` when
/// neither can be flown (`design` then holds the perigee the burns left, which a parking orbit
/// moved by the shortfall would meet: [`parking_for_exact_perigee`]).
pub(super) fn pin_perigee_by_apogee_burn<'a>(
    design: &mut Design,
    inputs: &mut DesignInputs<'a>,
    mission: &Mission<'_>,
    stage: usize,
    solved: (Vec<f64>, Vec<f64>),
    target: &TransferTarget,
    flights: &mut usize,
) -> Result<Option<(Vec<f64>, Vec<f64>)>> {
    let Resolved::Orbit { perigee_radius_m, .. } = *inputs.target else { return Ok(Some(solved)) };
    *flights += 1;
    let Ok(flight) = mission.fly(design.burns(&solved.0), true, mission.options) else { return Ok(None) };
    let Some(last) = planned_cutoffs(stage, &flight).last().copied() else { return Ok(None) };
    let left = OrbitalElements::from_state(&last.position_eci_m, &last.velocity_eci_m_s, MU_EARTH_M3_S2).perigee_radius_m();
    if (left - perigee_radius_m).abs() <= 0.5 * crate::optimize::targeting::PERIGEE_TOLERANCE_M {
        return Ok(Some(solved));
    }
    let pinning = DesignInputs { perigee_left_radius_m: Some(left), ..*inputs };
    let pinned = design_with(&pinning, false, None);
    let perigee_legs = |d: &Design| d.legs.iter().filter(|l| l.kind == LegKind::Perigee).count();
    if pinned.legs.last().is_none_or(|l| l.kind != LegKind::Apogee) || perigee_legs(&pinned) != perigee_legs(design) {
        return Ok(None);
    }
    let upper = &mission.vehicle.stages[stage];
    let max_burns = upper.max_burns();
    let burns = pinned.legs.len() as u32 + 1;
    if burns > max_burns {
        if let Some((pitched, x, jacobian)) = pin_perigee_by_pitch(design, perigee_radius_m, mission, stage, &solved.0, last, flights) {
            *design = pitched;
            return Ok(Some((x, jacobian)));
        }
        design.flat_perigee_radius_m = Some(left);
        return Err(Error::Unreachable(format!(
            "{}: the perigee burns to {} leave the perigee at {:.0} km; an apogee burn would set it, which takes {burns} burns of `{}`, more than the {max_burns} it is rated for (`max_burns`)",
            mission.vehicle.name,
            target.describe(),
            (left - WGS84_A_M) / 1e3,
            upper.name
        )));
    }
    let x0 = start_carried_over(design, &solved.0, &pinned);
    let Some(pinned_solution) = solve_transfer(&pinned, mission, stage, &x0, None, flights) else { return Ok(None) };
    *design = pinned;
    *inputs = pinning;
    Ok(Some(pinned_solution))
}

/// The design of `design` (targeted as `x`, its last burn ending at `cutoff`) with the target's
/// perigee, `perigee_radius_m`, set by the pitch of its last perigee burn, for a stage with no
/// burn to spare for an apogee burn: a flat burn climbs as it speeds up and leaves the perigee a
/// few km above the orbit it starts from (H-IIA's LE-5B from a 250 km parking orbit to a GTO:
/// 256 km), and pitching down holds it there. Only lowering works so (the flat burn leaves the
/// highest perigee), and the perigee is flattest in the pitch at zero, where Newton's method
/// cannot start: the first pitch is the one that turns the cutoff's flight-path angle to that of
/// a point of the target's orbit as far above its perigee, each sign tried. The design, its
/// unknowns and Jacobian; `None` when the perigee lies below the target's, the last burn's pitch
/// is targeted already, or no start converges.
pub(super) fn pin_perigee_by_pitch(
    design: &Design,
    perigee_radius_m: f64,
    mission: &Mission<'_>,
    stage: usize,
    x: &[f64],
    cutoff: &FlightPoint,
    flights: &mut usize,
) -> Option<(Design, Vec<f64>, Vec<f64>)> {
    let last = design.legs.len().checked_sub(1)?;
    if design.legs[last].kind != LegKind::Perigee || design.unknowns.len() >= 4 || design.unknowns.contains(&Unknown::Pitch(last)) {
        return None;
    }
    let orbit = OrbitalElements::from_state(&cutoff.position_eci_m, &cutoff.velocity_eci_m_s, MU_EARTH_M3_S2);
    let above_m = orbit.perigee_radius_m() - perigee_radius_m;
    if above_m <= 0.0 {
        return None;
    }
    // A point of the orbit `above_m` above its perigee: r/rp − 1 ≈ e ν² / 2(1 + e), and there
    // tan γ ≈ e ν / (1 + e). A pitch θ held through a burn adding Δv turns the velocity by
    // about θ Δv / v.
    let e = orbit.eccentricity.max(1e-3);
    let anomaly_rad = (2.0 * (1.0 + e) * above_m / (e * perigee_radius_m)).sqrt();
    let gamma_rad = e * anomaly_rad / (1.0 + e);
    let speed_m_s = cutoff.velocity_eci_m_s.norm();
    let added_m_s = (speed_m_s - circular_speed_m_s(cutoff.position_eci_m.norm())).max(0.1 * speed_m_s);
    let pitch_deg = (gamma_rad * speed_m_s / added_m_s).to_degrees().min(20.0);
    let mut pitched = design.clone();
    pitched.unknowns.push(Unknown::Pitch(last));
    pitched.conditions.push(Condition::PerigeeRadius(perigee_radius_m));
    pitched.flat_perigee_radius_m = Some(orbit.perigee_radius_m());
    [-pitch_deg, pitch_deg].into_iter().find_map(|start| {
        let mut x0 = x.to_vec();
        x0.push(start);
        let (x, jacobian) = solve_transfer(&pitched, mission, stage, &x0, None, flights)?;
        Some((pitched.clone(), x, jacobian))
    })
}

/// [`solve_transfer`] on the design of [`with_apogee_burn_lowering_perigee`] (`design` and
/// `inputs` become those when it converges).
pub(super) fn solve_transfer_lowering_perigee(
    design: &mut Design,
    inputs: &mut DesignInputs<'_>,
    mission: &Mission<'_>,
    stage: usize,
    x0: &[f64],
    flights: &mut usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let (lowered, lowering, x0) = with_apogee_burn_lowering_perigee(design, inputs, mission, stage, x0, flights)?;
    let solved = solve_transfer(&lowered, mission, stage, &x0, None, flights)?;
    *design = lowered;
    *inputs = lowering;
    Some(solved)
}

/// Dispatch [`target_transfer`] on the number of unknowns.
pub(super) fn solve_transfer(
    design: &Design,
    mission: &Mission<'_>,
    stage: usize,
    x0: &[f64],
    jacobian: Option<&[f64]>,
    flights: &mut usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    match design.unknowns.len() {
        0 => Some((Vec::new(), Vec::new())),
        1 => target_transfer::<1>(design, mission, stage, x0, jacobian, flights),
        2 => target_transfer::<2>(design, mission, stage, x0, jacobian, flights),
        3 => target_transfer::<3>(design, mission, stage, x0, jacobian, flights),
        _ => target_transfer::<4>(design, mission, stage, x0, jacobian, flights),
    }
}

/// A planned burn of less Δv than this is not worth a restart (its ullage, start transient and
/// restart propellant), m/s: a plan whose targeted apogee burn comes out smaller drops it.
pub const MIN_BURN_DELTA_V_M_S: f64 = 5.0;
/// Nor is a burn shorter than this, s: below the start transient of any engine in the catalog's
/// upper stages (ASSUMPTION: the files give no minimum burn time).
pub const MIN_BURN_S: f64 = 1.0;

/// The design without its apogee burn when the targeted plan `x` flies that burn for less than
/// [`MIN_BURN_DELTA_V_M_S`] or [`MIN_BURN_S`]: long perigee burns (Fregat's, some 60° of arc
/// each) lift the perigee nearly to a low GTO's by themselves, and the apogee burn left is a
/// trim of a fraction of a m/s. The perigee is then what the perigee burns leave it (pitching
/// the last one only turns the apsides: a flat burn gives the highest perigee), accepted when
/// it lies within the reached tolerance ([`REACHED_RADIUS_M`]) of the target's; the rest is
/// targeted as before. The design, its unknowns and Jacobian; `None` when the apogee burn is
/// needed, the perigee left is too far off, or the plan without it cannot be targeted.
pub(super) fn without_negligible_apogee_burn(
    design: &Design,
    inputs: &DesignInputs<'_>,
    mission: &Mission<'_>,
    x: &[f64],
    flights: &mut usize,
) -> Option<(Design, Vec<f64>, Vec<f64>)> {
    let stage = inputs.stage;
    // An exact perigee keeps its trim ([`pin_perigee_by_apogee_burn`]).
    if !matches!(inputs.target, Resolved::Orbit { exact_perigee: false, .. }) || design.legs.last()?.kind != LegKind::Apogee {
        return None;
    }
    *flights += 1;
    let flight = mission.fly(design.burns(x), true, mission.options).ok()?;
    let (burns, _) = burn_reports(mission.vehicle, stage.index, &flight);
    let apogee = burns.last()?;
    if apogee.delta_v_m_s >= MIN_BURN_DELTA_V_M_S && apogee.duration_s >= MIN_BURN_S {
        return None;
    }
    let start_phase = design.unknowns.iter().zip(x).find(|(v, _)| **v == Unknown::StartPhase).map_or(0.0, |(_, &value)| value);
    perigee_left_free(inputs, mission, start_phase, flights)
}

/// The plan whose perigee burns alone shape the orbit, the target's perigee left where they put
/// it (pitching the last burn only turns the apsides: a flat burn gives the highest perigee),
/// targeted from the start phase `start_phase` and accepted when that perigee lies within the
/// reached tolerance ([`REACHED_RADIUS_M`]) of the target's. The design, its unknowns and
/// Jacobian; `None` when the plan needs an apogee burn, cannot be targeted or leaves the perigee
/// too far off.
pub(super) fn perigee_left_free(
    inputs: &DesignInputs<'_>,
    mission: &Mission<'_>,
    start_phase: f64,
    flights: &mut usize,
) -> Option<(Design, Vec<f64>, Vec<f64>)> {
    let stage = inputs.stage;
    let Resolved::Orbit { perigee_radius_m, .. } = *inputs.target else { return None };
    let mut plan = design_with(inputs, true, None);
    if plan.legs.iter().any(|l| l.kind == LegKind::Apogee) {
        return None;
    }
    if let Some(k) = plan.conditions.iter().position(|c| matches!(c, Condition::PerigeeRadius(_))) {
        plan.conditions.remove(k);
        plan.unknowns.retain(|u| !matches!(u, Unknown::Pitch(_)));
    }
    let x0: Vec<f64> = plan.unknowns.iter().map(|u| if *u == Unknown::StartPhase { start_phase } else { 0.0 }).collect();
    let (x_new, jacobian_new) = solve_transfer(&plan, mission, stage.index, &x0, None, flights)?;
    *flights += 1;
    let flight = mission.fly(plan.burns(&x_new), true, mission.options).ok()?;
    let last = flight.last(|k| *k == EventKind::Cutoff { stage: stage.index })?;
    let orbit = OrbitalElements::from_state(&last.point.position_eci_m, &last.point.velocity_eci_m_s, MU_EARTH_M3_S2);
    ((orbit.perigee_radius_m() - perigee_radius_m).abs() <= REACHED_RADIUS_M).then_some((plan, x_new, jacobian_new))
}

/// Half-width of the window about the impulsive optimum the finite-burn plane split is searched
/// in, degrees of plane change at the perigee.
pub(super) const PLANE_SPLIT_WINDOW_DEG: f64 = 3.0;
/// The plane split is settled to this, degrees.
pub(super) const PLANE_SPLIT_TOLERANCE_DEG: f64 = 0.1;
/// Most missions the plane split search targets.
pub(super) const MAX_PLANE_SPLIT_EVALUATIONS: usize = 8;

/// The plane change split between the perigee burns and the apogee burn for the finite burns:
/// Brent's method on the perigee burns' share, within [`PLANE_SPLIT_WINDOW_DEG`] of the impulsive
/// optimum, each evaluation the transfer targeted (warm-started from `x` and `jacobian`) and flown
/// after `mission`'s ascent, maximizing the propellant left at the end (the same ascent and
/// payload for every split, so the most propellant left is the largest payload). The design,
/// its targeted unknowns and Jacobian at the best split when it beats the impulsive one (whose
/// targeted mission `left_kg` is), `None` when the plan has no apogee burn or nothing is gained.
pub(super) fn optimize_plane_split(
    design: &Design,
    inputs: &DesignInputs<'_>,
    mission: &Mission<'_>,
    x: &[f64],
    jacobian: Option<&[f64]>,
    flights: &mut usize,
) -> Option<(Design, Vec<f64>, Vec<f64>)> {
    let DesignInputs { target, r0, i0, stage, perigee_left_radius_m, .. } = *inputs;
    let Resolved::Orbit { perigee_radius_m: rp, apogee_radius_m: ra, inclination_deg, .. } = *target else { return None };
    let total = (inclination_deg - i0).to_radians();
    if total.abs() < 1e-3 || !design.legs.iter().any(|l| l.kind == LegKind::Apogee) {
        return None;
    }
    let r_before_apogee_burn = perigee_left_radius_m.unwrap_or(r0);
    let (va0, va1) = (vis_viva_speed_m_s(ra, 0.5 * (r_before_apogee_burn + ra)), vis_viva_speed_m_s(ra, 0.5 * (rp + ra)));
    let impulsive = optimal_plane_split(circular_speed_m_s(r0), vis_viva_speed_m_s(r0, 0.5 * (r0 + ra)), va0, va1, total);
    let (lo, hi) = (total.min(0.0), total.max(0.0));
    let window = PLANE_SPLIT_WINDOW_DEG.to_radians();
    let mut best: Option<(f64, Design, Vec<f64>, Vec<f64>)> = None;
    let mut impulsive_left: Option<f64> = None;
    let evaluate = |split: f64| -> Option<f64> {
        let d = inputs.design_split(Some(split));
        if d.legs.len() != design.legs.len() || d.unknowns != design.unknowns {
            return None;
        }
        let (x_new, jacobian_new) = solve_transfer(&d, mission, stage.index, x, jacobian, flights)?;
        *flights += 1;
        let left = propellant_left_kg(&mission.fly(d.burns(&x_new), true, mission.options).ok()?);
        if split == impulsive {
            impulsive_left = Some(left);
        }
        if best.as_ref().is_none_or(|b| left > b.0) {
            best = Some((left, d, x_new, jacobian_new));
        }
        Some(left)
    };
    crate::optimize::scalar::maximize(
        evaluate,
        (impulsive - window).clamp(lo, hi),
        (impulsive + window).clamp(lo, hi),
        impulsive,
        PLANE_SPLIT_TOLERANCE_DEG.to_radians(),
        MAX_PLANE_SPLIT_EVALUATIONS,
    )?;
    let (left, d, x_best, jacobian_best) = best?;
    // Keep the impulsive split unless the finite burns gain more than the targeting's noise.
    (left > impulsive_left.unwrap_or(f64::NEG_INFINITY) + 0.5 * HELD_BACK_TOLERANCE_KG).then_some((d, x_best, jacobian_best))
}
