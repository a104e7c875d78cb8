//! The raising ellipse: how a last stage with a single burn after the ascent's reaches an
//! eccentric target whose perigee lies well above the 200 km parking orbit (Molniya's 600 km).
//!
//! From the circular parking orbit such a stage cannot raise the perigee: its one burn leaves
//! the perigee where it starts. The ascent could end in a circular orbit at the target's perigee
//! (a lofted ascent, [`super::parking_at_target_perigee`]), but it pays gravity loss all the way
//! up. Here the ascent ends in an ellipse from the parking altitude up to the target's perigee,
//! its apogee placed where the target's perigee lies (where a target holds its argument of
//! perigee; otherwise wherever the ascent's travel downrange puts it); the stage coasts half an
//! orbit and burns once at that apogee, which becomes the target's perigee as the burn raises
//! the far side to the target's apogee. The climb to the perigee height is a coast, as in the
//! elliptic profile of a circular target ([`super::elliptic`]), whose circularization is the
//! same burn to a target with its apogee at the burn.
//!
//! The burn is cut off at the target's energy; its pitch places the apsides on a held argument
//! of perigee (cut off half a burn past the apogee, the stage would otherwise leave its perigee
//! there) or zeroes the flight-path angle at cutoff, its yaw meets the inclination where the
//! burn lies near enough to a node to turn it. The perigee stays where the burn leaves it,
//! within the transfer's tolerance of the target's, or is met exactly by moving the ellipse
//! ([`toward_exact_perigee`]).

use super::*;

/// Whether `parking` is the raising ellipse under `target`: an eccentric target, the ellipse's
/// apogee at the target's perigee radius and its perigee below (an ellipse, not the circular
/// parking orbit: no other parking orbit of an eccentric target is one; once moved to an exact
/// perigee its apogee may lie less than [`RAISE_ABOVE_M`] above its perigee).
pub(super) fn raises(parking: &TargetOrbit, target: &Resolved) -> bool {
    let Resolved::Orbit { perigee_radius_m, apogee_radius_m, .. } = *target else { return false };
    apogee_radius_m - perigee_radius_m >= CIRCULAR_WITHIN_M
        && (WGS84_A_M + parking.apogee_m - perigee_radius_m).abs() < PERIGEE_MATCH_M
        && parking.apogee_m > parking.perigee_m
}

/// How far above the parking orbit a target's perigee must lie for the raising ellipse to be
/// flown, m. Below it the ellipse is all but the circle, and the direct ascent carries more
/// (Falcon 9 from Cape Canaveral to 205 × 35,786 km: 7,772 kg directly); above it the ellipse's
/// coast replaces a climb under power (215 km: 7,755 kg, the direct ascent 7,708 kg; 250 km:
/// 7,713 kg against 7,479 kg).
const RAISE_ABOVE_M: f64 = 10e3;

/// The raising ellipse's apogee lies within this of the target's perigee, m: moved to meet
/// an exact perigee ([`toward_exact_perigee`]), by what the burn left it off.
const PERIGEE_MATCH_M: f64 = REACHED_RADIUS_M;

/// An exact perigee is met within this, m: half the direct ascent's tolerance (1 km), so that the
/// answer meets the target as a direct ascent's would.
const EXACT_PERIGEE_WITHIN_M: f64 = 0.5e3;

/// How far the perigee of `orbit` lies from `target`'s, m (0 for a target without one).
pub(super) fn perigee_miss_m(target: &TransferTarget, orbit: &OrbitalElements) -> f64 {
    match *target {
        TransferTarget::Orbit { perigee_m, .. } => (orbit.perigee_altitude_m() - perigee_m).abs(),
        _ => 0.0,
    }
}

/// The raising ellipse `parking` moved so that its burn leaves an exact perigee where `reached`
/// left it off by more than [`EXACT_PERIGEE_WITHIN_M`]: its apogee, where the burn starts, moved
/// by the miss (the burn climbs some 13 km from Molniya's 600 km, and the perigee follows the
/// height the burn starts from). `None` for a perigee left free, one met, or a move beyond
/// [`PERIGEE_MATCH_M`].
pub(super) fn toward_exact_perigee(parking: &TargetOrbit, target: &TransferTarget, reached: &OrbitalElements) -> Option<TargetOrbit> {
    let TransferTarget::Orbit { perigee_m, exact_perigee: true, .. } = *target else { return None };
    let miss_m = perigee_m - reached.perigee_altitude_m();
    let apogee_m = parking.apogee_m + miss_m;
    let resolved = target.resolve(parking).ok()?;
    (raises(parking, &resolved)
        && miss_m.abs() > EXACT_PERIGEE_WITHIN_M
        && (apogee_m - perigee_m).abs() < PERIGEE_MATCH_M
        && apogee_m > parking.perigee_m + EXACT_PERIGEE_WITHIN_M)
        .then_some(TargetOrbit { apogee_m, ..*parking })
}

/// The raising ellipse under the eccentric `target` from `parking` (the circular parking
/// orbit, whose altitude becomes the ellipse's perigee), its argument of perigee opposite the
/// target's when the target holds one (free otherwise: the ascent cuts off at the ellipse's
/// perigee wherever its travel downrange ends, and the burn half a revolution on becomes the
/// target's perigee); `None` unless the target's perigee lies more than [`RAISE_ABOVE_M`]
/// above the parking orbit. An exact perigee (a target given by its elements) is met by moving
/// the ellipse ([`toward_exact_perigee`]).
pub(super) fn raising_ellipse(parking: &TargetOrbit, target: &TransferTarget) -> Option<TargetOrbit> {
    let TransferTarget::Orbit { perigee_m, apogee_m, argument_of_perigee_deg, .. } = *target else { return None };
    (apogee_m - perigee_m >= CIRCULAR_WITHIN_M && perigee_m - parking.apogee_m > RAISE_ABOVE_M).then_some(TargetOrbit {
        perigee_m: parking.perigee_m,
        apogee_m: perigee_m,
        inclination_deg: parking.inclination_deg,
        argument_of_perigee_deg: argument_of_perigee_deg.map(|w| (w + 180.0).rem_euclid(360.0)),
    })
}

/// The speeds at the raising ellipse's apogee before and after the burn, m/s; `None` when
/// `parking` is not the raising ellipse under `target`.
fn burn_speeds_m_s(parking: &TargetOrbit, target: &Resolved) -> Option<(f64, f64)> {
    if !raises(parking, target) {
        return None;
    }
    let Resolved::Orbit { apogee_radius_m: ra, .. } = *target else { return None };
    let (rp0, rb) = (WGS84_A_M + parking.perigee_m, WGS84_A_M + parking.apogee_m);
    Some((vis_viva_speed_m_s(rb, 0.5 * (rp0 + rb)), vis_viva_speed_m_s(rb, 0.5 * (rb + ra))))
}

/// The impulsive Δv of the burn at the raising ellipse's apogee (with the plane change from
/// `parking`'s inclination, combined), m/s; `None` when `parking` is not the raising ellipse.
pub(super) fn raise_delta_v(parking: &TargetOrbit, target: &Resolved) -> Option<f64> {
    let (v0, v1) = burn_speeds_m_s(parking, target)?;
    let Resolved::Orbit { inclination_deg, .. } = *target else { return None };
    Some(combined_delta_v(v0, v1, (inclination_deg - parking.inclination_deg).to_radians()))
}

/// The plan from the raising ellipse: one burn centred on its apogee, cut off at the target's
/// energy; its pitch places the argument of perigee a target holds (otherwise it zeroes the
/// flight-path angle at cutoff: the perigee where the burn ends), its yaw the inclination
/// unless the burn lies far from the nodes (there a yaw turns the node; the ellipse's plane is
/// the target's). `mass_kg` is the mass at the ascent's cutoff, `apogee_latitude_argument_deg`
/// the argument of latitude of the ellipse's apogee the ascent reached.
pub(super) fn design(
    parking: &TargetOrbit,
    target: &Resolved,
    stage: &UpperStage,
    mass_kg: f64,
    apogee_latitude_argument_deg: f64,
) -> Option<Design> {
    let dv = raise_delta_v(parking, target)?;
    let (v0, v1) = burn_speeds_m_s(parking, target)?;
    let Resolved::Orbit { perigee_radius_m: rp, apogee_radius_m: ra, inclination_deg, argument_of_perigee_deg, .. } = *target else {
        return None;
    };
    let rb = WGS84_A_M + parking.apogee_m;
    let arc_deg = (stage.burn_time_s(mass_kg, dv) * 0.5 * (v0 + v1) / rb).to_degrees();
    let leg = Leg {
        kind: LegKind::Apogee,
        cutoff: BurnCutoff::EnergyJKg(-MU_EARTH_M3_S2 / (rp + ra)),
        yaw_deg: 0.0,
        yaw_rate_deg_s: 0.0,
        half_arc_deg: (0.5 * arc_deg).min(60.0),
    };
    let mut unknowns = vec![Unknown::Pitch(0)];
    let mut conditions = vec![argument_of_perigee_deg.map_or(Condition::Circular, Condition::ArgumentOfPerigee)];
    if (inclination_deg - parking.inclination_deg).abs() > 1e-4 || apogee_latitude_argument_deg.to_radians().cos().abs() > 0.5 {
        unknowns.push(Unknown::Yaw(0));
        conditions.push(Condition::Inclination(inclination_deg));
    }
    Some(Design { legs: vec![leg], centre_deg: 0.0, unknowns, conditions, flat_perigee_radius_m: None })
}

/// The impulsive Δv of the one burn at a parking ellipse's apogee, the elliptic profile's
/// circularization or the raise here, m/s; `None` for any other parking orbit.
pub(super) fn apogee_burn_delta_v(parking: &TargetOrbit, target: &Resolved) -> Option<f64> {
    elliptic::circularization_delta_v(parking, target).or_else(|| raise_delta_v(parking, target))
}

/// The plan of the one burn at a parking ellipse's apogee, the elliptic profile's or the raise
/// here, after the ascent's `cutoff`; `None` for any other parking orbit.
pub(super) fn apogee_burn_design(parking: &TargetOrbit, target: &Resolved, stage: &UpperStage, cutoff: &FlightPoint) -> Option<Design> {
    elliptic::design(parking, target, stage, cutoff.mass_kg).or_else(|| {
        let ellipse = OrbitalElements::from_state(&cutoff.position_eci_m, &cutoff.velocity_eci_m_s, MU_EARTH_M3_S2);
        design(parking, target, stage, cutoff.mass_kg, ellipse.arg_perigee_rad.to_degrees() + 180.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Molniya orbit with its perigee at `perigee_m` and argument of perigee `w`, the perigee
    /// met exactly when `exact_perigee`.
    fn orbit(perigee_m: f64, w: Option<f64>, exact_perigee: bool) -> TransferTarget {
        TransferTarget::Orbit { perigee_m, apogee_m: 39_767e3, inclination_deg: 63.4, argument_of_perigee_deg: w, exact_perigee }
    }

    fn molniya() -> TransferTarget {
        orbit(600e3, Some(270.0), false)
    }

    fn circular_parking() -> TargetOrbit {
        TargetOrbit { perigee_m: PARKING_ALTITUDE_M, apogee_m: PARKING_ALTITUDE_M, inclination_deg: 63.4, argument_of_perigee_deg: None }
    }

    #[test]
    fn the_raising_ellipse_puts_its_apogee_on_the_targets_perigee() {
        let parking = raising_ellipse(&circular_parking(), &molniya()).expect("Molniya's perigee lies 400 km up");
        assert_eq!((parking.perigee_m, parking.apogee_m), (PARKING_ALTITUDE_M, 600e3));
        assert_eq!(parking.argument_of_perigee_deg, Some(90.0));
        let resolved = molniya().resolve(&parking).expect("a Molniya orbit");
        assert!(raises(&parking, &resolved));
        // The burn from the ellipse's apogee costs more than the one from a circular orbit there
        // (the same end speed), by what the ellipse lacks of the circular speed at its apogee:
        // √(μ/r) − √(μ·(2/r − 1/a)) at r = 6,978 km, a = 6,778 km, 7,557.9 − 7,445.6 m/s.
        let rb = WGS84_A_M + 600e3;
        let from_ellipse = raise_delta_v(&parking, &resolved).expect("the raising ellipse");
        let (v_ellipse, v_after) = burn_speeds_m_s(&parking, &resolved).expect("the raising ellipse");
        assert!((from_ellipse - (v_after - v_ellipse)).abs() < 1e-6, "in plane: the speed change");
        assert!((circular_speed_m_s(rb) - v_ellipse - 112.3).abs() < 0.1, "{}", circular_speed_m_s(rb) - v_ellipse);
        // A circle is not the raising ellipse; with the target's argument of perigee free, the
        // ellipse's is too.
        assert!(!raises(&circular_parking(), &resolved));
        let free = raising_ellipse(&circular_parking(), &orbit(600e3, None, false)).expect("raised");
        assert_eq!((free.apogee_m, free.argument_of_perigee_deg), (600e3, None));
        // From 10 km above the parking orbit up; an ellipse moved to an exact perigee stays one
        // however near its apogee comes to its perigee, but never below it.
        let low = orbit(250e3, Some(270.0), false);
        let raised = raising_ellipse(&circular_parking(), &low).expect("a perigee 50 km up is raised");
        assert_eq!((raised.perigee_m, raised.apogee_m), (PARKING_ALTITUDE_M, 250e3));
        assert!(raising_ellipse(&circular_parking(), &orbit(PARKING_ALTITUDE_M + 11e3, None, false)).is_some());
        assert!(raising_ellipse(&circular_parking(), &orbit(PARKING_ALTITUDE_M + 9e3, None, false)).is_none(), "all but the circle");
        let near = TargetOrbit { apogee_m: PARKING_ALTITUDE_M + 9e3, ..raised };
        let near_target = orbit(PARKING_ALTITUDE_M + 9e3, None, true);
        assert!(raises(&near, &near_target.resolve(&near).expect("resolves")));
        // An exact perigee left 13 km high moves the ellipse's apogee 13 km down, and no
        // further than the transfer's tolerance.
        let exact = orbit(600e3, Some(270.0), true);
        let parking = raising_ellipse(&circular_parking(), &exact).expect("raised, then moved");
        let left = |perigee_m: f64| OrbitalElements {
            semi_major_axis_m: WGS84_A_M + 0.5 * (perigee_m + 39_767e3),
            eccentricity: (39_767e3 - perigee_m) / (2.0 * WGS84_A_M + perigee_m + 39_767e3),
            inclination_rad: 63.4f64.to_radians(),
            raan_rad: 0.0,
            arg_perigee_rad: 270f64.to_radians(),
            true_anomaly_rad: 0.0,
        };
        let moved = toward_exact_perigee(&parking, &exact, &left(613e3)).expect("13 km off");
        assert!((moved.apogee_m - 587e3).abs() < 1.0, "{moved:?}");
        // Not below the ellipse's own perigee: a 212 km perigee left 18 km high stays.
        let just_above = orbit(PARKING_ALTITUDE_M + 12e3, None, true);
        let ellipse = raising_ellipse(&circular_parking(), &just_above).expect("raised");
        assert!(toward_exact_perigee(&ellipse, &just_above, &left(PARKING_ALTITUDE_M + 30e3)).is_none());
        assert!(toward_exact_perigee(&ellipse, &just_above, &left(PARKING_ALTITUDE_M + 20e3)).is_some(), "4 km above it");
        assert!(toward_exact_perigee(&parking, &exact, &left(600.2e3)).is_none(), "met");
        assert!(toward_exact_perigee(&parking, &exact, &left(680e3)).is_none(), "beyond the tolerance");
        assert!(toward_exact_perigee(&parking, &molniya(), &left(613e3)).is_none(), "a named orbit's is left free");
    }

    #[test]
    fn the_raising_burn_places_the_apsides_and_leaves_the_plane_far_from_the_nodes() {
        let vehicle = super::super::fixtures::falcon_9_restartable(2);
        let stage = UpperStage::of(&vehicle);
        let parking = raising_ellipse(&circular_parking(), &molniya()).expect("raised");
        let resolved = molniya().resolve(&parking).expect("a Molniya orbit");
        let design = design(&parking, &resolved, &stage, 20_000.0, 270.0).expect("the raising ellipse's");
        assert_eq!(design.legs.len(), 1);
        assert_eq!(design.legs[0].kind, LegKind::Apogee);
        assert_eq!(design.unknowns, vec![Unknown::Pitch(0)]);
        assert_eq!(design.conditions, vec![Condition::ArgumentOfPerigee(270.0)]);
        // At 0° the burn lies on a node: its yaw turns the inclination.
        let on_node = orbit(600e3, Some(0.0), false);
        let parking = raising_ellipse(&circular_parking(), &on_node).expect("raised");
        let resolved = on_node.resolve(&parking).expect("an orbit");
        let design = super::design(&parking, &resolved, &stage, 20_000.0, 0.0).expect("the raising ellipse's");
        assert_eq!(design.unknowns, vec![Unknown::Pitch(0), Unknown::Yaw(0)]);
        // With the argument of perigee free, the pitch leaves the perigee where the burn ends;
        // the yaw turns the plane where the ascent put the apogee near a node.
        let free = orbit(600e3, None, false);
        let parking = raising_ellipse(&circular_parking(), &free).expect("raised");
        let resolved = free.resolve(&parking).expect("an orbit");
        let far = super::design(&parking, &resolved, &stage, 20_000.0, 100.0).expect("the raising ellipse's");
        assert_eq!((far.unknowns, far.conditions), (vec![Unknown::Pitch(0)], vec![Condition::Circular]));
        let near = super::design(&parking, &resolved, &stage, 20_000.0, 190.0).expect("the raising ellipse's");
        assert_eq!(near.conditions, vec![Condition::Circular, Condition::Inclination(63.4)]);
    }
}
