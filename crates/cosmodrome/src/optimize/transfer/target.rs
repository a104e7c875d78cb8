//! What a transfer delivers its payload to: the targets above the parking orbit (GTO, GSO, MEO,
//! Molniya, an escape), how a vehicle flies to them (its ascent directly, or through the parking
//! orbit), the targets in elements checked against the parking orbit, and the least Δv and fewest
//! burns they take from it: the bounds that refuse a transfer before any flight.

use super::*;

/// What the upper stage delivers the payload to after the parking orbit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TransferTarget {
    /// An orbit above the parking orbit: GTO, MEO, Molniya. Altitudes above the equatorial
    /// radius, m; the argument of perigee, when given, is met too.
    Orbit {
        /// Perigee altitude, m.
        perigee_m: f64,
        /// Apogee altitude, m.
        apogee_m: f64,
        /// Inclination, degrees.
        inclination_deg: f64,
        /// Argument of perigee, degrees (`None`: free; the apsides fall on the nodes).
        argument_of_perigee_deg: Option<f64>,
        /// Whether a perigee within 30 km (`PERIGEE_BURNS_ONLY_WITHIN_M`) of the parking orbit's is
        /// met within the tolerances too, as a target given by its elements asks; a named
        /// orbit's (a GTO's 200 km) is left where the perigee burns put it, a few tens of km
        /// above (see [`TransferSolution::perigee_free`]).
        exact_perigee: bool,
    },
    /// The geostationary orbit: circular at [`GSO_ALTITUDE_M`], equatorial.
    Gso,
    /// A GTO short of GSO by `delta_v_m_s` (the user's guides' "GTO-1800", "GTO-1500"): apogee
    /// at GSO altitude and the inclination for which one apogee burn that circularizes and turns
    /// the plane to the equator (combined) needs exactly `delta_v_m_s`
    /// (`Δv² = v_a² + v_GSO² − 2·v_a·v_GSO·cos i`). The perigee is the parking orbit's, unless
    /// `raise_perigee` and that member's plane lies below the parking plane: then it is the one
    /// of the family reached for the least impulsive Δv ([`residual_gto_perigee_radius_m`]).
    /// A member whose plane lies above the parking orbit's (GTO-1800 from Kourou, at 27°) is
    /// flown in the parking plane: it leaves the satellite less Δv than the figure allows.
    GtoShortOfGso {
        /// Remaining Δv to GSO, m/s.
        delta_v_m_s: f64,
        /// Whether the upper stage may raise the perigee at the apogee (it is rated for the
        /// ascent's burn, a perigee burn and an apogee burn); [`MissionTarget::for_vehicle`]
        /// sets it from the vehicle.
        raise_perigee: bool,
    },
    /// An escape with characteristic energy `c3_m2_s2`; the declination of the departure
    /// asymptote is met when given.
    Escape {
        /// C3, m²/s².
        c3_m2_s2: f64,
        /// Declination of the departure asymptote, degrees.
        declination_deg: Option<f64>,
    },
}

/// What a mission delivers its payload to: a low orbit flown directly by the targeted ascent
/// (LEO, SSO: [`TargetOrbit`], as `payload` has always done), or a transfer target reached
/// from a parking orbit by the restartable upper stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MissionTarget {
    /// Flown directly.
    Direct(TargetOrbit),
    /// Through a parking orbit.
    Transfer {
        /// The parking orbit the ascent flies to.
        parking: TargetOrbit,
        /// Where the upper stage takes the payload from there.
        target: TransferTarget,
    },
}

impl MissionTarget {
    /// How `vehicle` flies to `target` from `site`: an orbit (GTO, MEO, Molniya) directly when
    /// its last stage burns once (its ascent injects, the way Falcon 9 or Long March 3B reach
    /// GTO); otherwise through the [`PARKING_ALTITUDE_M`] parking orbit, in the target's plane
    /// when the site reaches it, else in the site's lowest-inclination plane (the transfer turns
    /// the rest; GSO, GTO by Δv and escapes always start there), or in the allowed plane nearest
    /// the target's when the site's inclination corridors leave it out.
    pub fn for_vehicle(vehicle: &Vehicle, site: &Site, target: TransferTarget) -> MissionTarget {
        let lowest_deg = site.default_inclination_deg();
        let restartable = vehicle.stages.last().is_some_and(|s| s.max_burns() > 1);
        let target = match target {
            TransferTarget::GtoShortOfGso { delta_v_m_s, .. } => {
                let raise_perigee = vehicle.stages.last().is_some_and(|s| s.max_burns() >= 3);
                TransferTarget::GtoShortOfGso { delta_v_m_s, raise_perigee }
            }
            other => other,
        };
        let plane_deg = match target {
            TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg, .. } => {
                if !restartable {
                    return MissionTarget::Direct(TargetOrbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg: None });
                }
                site.nearest_allowed_inclination_deg(inclination_deg.max(lowest_deg))
            }
            TransferTarget::Gso | TransferTarget::GtoShortOfGso { .. } | TransferTarget::Escape { .. } => lowest_deg,
        };
        let parking = TargetOrbit {
            perigee_m: PARKING_ALTITUDE_M,
            apogee_m: PARKING_ALTITUDE_M,
            inclination_deg: plane_deg,
            argument_of_perigee_deg: None,
        };
        MissionTarget::Transfer { parking, target }
    }

    /// The orbit the ascent flies to: the target of a direct ascent, the parking orbit of a
    /// mission through one.
    pub fn ascent_orbit(&self) -> TargetOrbit {
        match *self {
            MissionTarget::Direct(target) => target,
            MissionTarget::Transfer { parking, .. } => parking,
        }
    }
}

/// A target orbit stated in elements (the transfer targets resolved).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Resolved {
    Orbit { perigee_radius_m: f64, apogee_radius_m: f64, inclination_deg: f64, argument_of_perigee_deg: Option<f64>, exact_perigee: bool },
    Escape { c3_m2_s2: f64, declination_deg: Option<f64> },
}

impl TransferTarget {
    /// `GSO`, `GTO-1800`, `300 × 35786 km at 6.00°`, `escape C3 12.0 km²/s²`.
    pub fn describe(&self) -> String {
        match *self {
            TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg, .. } => {
                let aop = argument_of_perigee_deg.map_or_else(String::new, |w| format!(", argument of perigee {w:.1}°"));
                format!("{:.0} × {:.0} km at {inclination_deg:.2}°{aop}", perigee_m / 1e3, apogee_m / 1e3)
            }
            TransferTarget::Gso => "GSO".to_owned(),
            TransferTarget::GtoShortOfGso { delta_v_m_s, .. } => format!("GTO-{delta_v_m_s:.0}"),
            TransferTarget::Escape { c3_m2_s2, declination_deg } => {
                let d = declination_deg.map_or_else(String::new, |d| format!(", asymptote declination {d:.1}°"));
                format!("escape with C3 {:.2} km²/s²{d}", c3_m2_s2 / 1e6)
            }
        }
    }

    /// The target orbit in elements from `parking` (GSO, a GTO short of GSO by its Δv), checked
    /// against it: what a report states as a mission's target orbit. `None` for an escape,
    /// which ends on a hyperbola.
    pub fn target_orbit(&self, parking: &TargetOrbit) -> Result<Option<TargetOrbit>> {
        Ok(match self.resolve(parking)? {
            Resolved::Orbit { perigee_radius_m, apogee_radius_m, inclination_deg, .. } => Some(TargetOrbit {
                perigee_m: perigee_radius_m - WGS84_A_M,
                apogee_m: apogee_radius_m - WGS84_A_M,
                inclination_deg,
                argument_of_perigee_deg: None,
            }),
            Resolved::Escape { .. } => None,
        })
    }

    /// The target in elements, checked against the parking orbit.
    pub(super) fn resolve(&self, parking: &TargetOrbit) -> Result<Resolved> {
        let invalid = |msg: String| Err(Error::invalid("transfer target", msg));
        let parking_perigee_radius_m = WGS84_A_M + parking.perigee_m;
        let resolved = match *self {
            TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg, exact_perigee } => Resolved::Orbit {
                perigee_radius_m: WGS84_A_M + perigee_m,
                apogee_radius_m: WGS84_A_M + apogee_m,
                inclination_deg,
                argument_of_perigee_deg,
                exact_perigee,
            },
            TransferTarget::Gso => Resolved::Orbit {
                perigee_radius_m: WGS84_A_M + GSO_ALTITUDE_M,
                apogee_radius_m: WGS84_A_M + GSO_ALTITUDE_M,
                inclination_deg: 0.0,
                argument_of_perigee_deg: None,
                exact_perigee: false,
            },
            TransferTarget::GtoShortOfGso { delta_v_m_s, raise_perigee } => {
                let rp = parking_perigee_radius_m;
                let ra = WGS84_A_M + GSO_ALTITUDE_M;
                if !(delta_v_m_s.is_finite() && residual_gto_inclination_deg(rp, ra, delta_v_m_s).is_some()) {
                    let va = (2.0 * MU_EARTH_M3_S2 * rp / (ra * (rp + ra))).sqrt();
                    let vc = (MU_EARTH_M3_S2 / ra).sqrt();
                    return invalid(format!(
                        "a GTO {delta_v_m_s} m/s short of GSO does not exist: from a {:.0} km perigee the remaining Δv lies within {:.0}–{:.0} m/s",
                        parking.perigee_m / 1e3,
                        vc - va,
                        vc + va
                    ));
                }
                let perigee_radius_m =
                    if raise_perigee { residual_gto_perigee_radius_m(rp, ra, parking.inclination_deg, delta_v_m_s) } else { rp };
                let Some(inclination_deg) = residual_gto_inclination_deg(perigee_radius_m, ra, delta_v_m_s) else {
                    return invalid(format!("no GTO leaves {delta_v_m_s} m/s to GSO"));
                };
                // Above the parking plane (a GTO-1800 from Kourou lies at 27°) the orbit would
                // be turned away from the equator only to leave the satellite its Δv: the one in
                // the parking plane leaves less, and is what the Δv figure asks at the most.
                let inclination_deg = inclination_deg.min(parking.inclination_deg);
                Resolved::Orbit {
                    perigee_radius_m,
                    apogee_radius_m: ra,
                    inclination_deg,
                    argument_of_perigee_deg: None,
                    exact_perigee: false,
                }
            }
            TransferTarget::Escape { c3_m2_s2, declination_deg } => Resolved::Escape { c3_m2_s2, declination_deg },
        };
        match resolved {
            Resolved::Orbit { perigee_radius_m, apogee_radius_m, inclination_deg, argument_of_perigee_deg, .. } => {
                // Not a number, past the sphere of influence (metres that overflowed among
                // them), the apogee under the perigee: said as a target flown directly says it.
                // (A perigee under 100 km is the parking orbit's check's, below.)
                let (perigee_m, apogee_m) = (perigee_radius_m - WGS84_A_M, apogee_radius_m - WGS84_A_M);
                if !(perigee_m < 100e3) {
                    let as_direct = TargetOrbit { perigee_m, apogee_m, inclination_deg: 0.0, argument_of_perigee_deg: None };
                    if let Err(Error::InvalidInput { message, .. }) = as_direct.check() {
                        return invalid(message);
                    }
                }
                if !(apogee_radius_m >= perigee_radius_m) {
                    return invalid("apogee must be at or above perigee".to_owned());
                }
                if perigee_radius_m < parking_perigee_radius_m - PERIGEE_BURNS_ONLY_WITHIN_M {
                    return invalid(format!(
                        "the perigee ({:.0} km) is below the parking orbit's ({:.0} km)",
                        (perigee_radius_m - WGS84_A_M) / 1e3,
                        parking.perigee_m / 1e3
                    ));
                }
                if apogee_radius_m <= WGS84_A_M + parking.apogee_m && !elliptic::circularizes(parking, &resolved) {
                    return invalid("the apogee must be above the parking orbit".to_owned());
                }
                if !(inclination_deg.is_finite() && (0.0..=180.0).contains(&inclination_deg)) {
                    return invalid(format!("inclination must be within 0–180°, got {inclination_deg}"));
                }
                if let Some(w) = argument_of_perigee_deg {
                    if !w.is_finite() {
                        return invalid("the argument of perigee must be finite".to_owned());
                    }
                    if apogee_radius_m - perigee_radius_m < CIRCULAR_WITHIN_M {
                        return invalid("a circular orbit has no argument of perigee".to_owned());
                    }
                }
            }
            Resolved::Escape { c3_m2_s2, declination_deg } => {
                if !(0.0..=200e6).contains(&c3_m2_s2) {
                    let got = crate::error::quantity_text(c3_m2_s2, 1e6, None);
                    return invalid(format!("C3 must be within 0–200 km²/s², got {got} km²/s²"));
                }
                if let Some(d) = declination_deg {
                    if !(d.is_finite() && d.abs() < parking.inclination_deg.min(180.0 - parking.inclination_deg)) {
                        return invalid(format!(
                            "an asymptote declination of {d}° cannot be reached from a parking orbit inclined {:.2}°",
                            parking.inclination_deg
                        ));
                    }
                }
            }
        }
        Ok(resolved)
    }
}

/// The fewest burns after the ascent's that any design of a transfer from `parking` to `target`
/// takes: two (a perigee burn and an apogee burn) where the target's perigee lies more than
/// [`PERIGEE_BY_PITCH_WITHIN_M`] above the highest point the ascent may cut off at (the parking
/// orbit's apogee, within the targeting's 1 km), one otherwise and from an ellipse whose apogee
/// is the target's (the elliptic profile's circularization). A lower bound: long burns split.
pub(super) fn fewest_burns_after_ascent(parking: &TargetOrbit, target: &Resolved) -> u32 {
    if raise::apogee_burn_delta_v(parking, target).is_some() {
        return 1;
    }
    match *target {
        Resolved::Orbit { perigee_radius_m, .. } if perigee_radius_m > WGS84_A_M + parking.apogee_m + 1e3 + PERIGEE_BY_PITCH_WITHIN_M => 2,
        _ => 1,
    }
}

/// The least impulsive Δv any transfer from `parking` to `target` needs, m/s; plane changes
/// only add to it. To an escape, its energy from the parking orbit's perigee. To an orbit from
/// a circular parking orbit, the two tangential burns of [`crate::optimize::reach::coplanar_delta_v`]
/// while the target's apogee lies within [`BI_ELLIPTIC_RATIO`] of the parking radius (beyond
/// it three burns can cost less); otherwise the burn out to the target's apogee alone
/// ([`crate::optimize::reach::apogee_raise_delta_v`]).
pub(super) fn least_delta_v(target: &Resolved, parking: &TargetOrbit) -> f64 {
    let (rp0, ra0) = (WGS84_A_M + parking.perigee_m, WGS84_A_M + parking.apogee_m);
    match *target {
        Resolved::Escape { c3_m2_s2, .. } => {
            ((c3_m2_s2 + 2.0 * MU_EARTH_M3_S2 / rp0).sqrt() - vis_viva_speed_m_s(rp0, 0.5 * (rp0 + ra0))).max(0.0)
        }
        Resolved::Orbit { perigee_radius_m, apogee_radius_m, .. } => {
            if parking.perigee_m == parking.apogee_m && perigee_radius_m >= rp0 && apogee_radius_m < BI_ELLIPTIC_RATIO * rp0 {
                crate::optimize::reach::coplanar_delta_v(rp0, perigee_radius_m, apogee_radius_m)
            } else {
                crate::optimize::reach::apogee_raise_delta_v(rp0, ra0, apogee_radius_m)
            }
        }
    }
}

/// Ratio of a target's apogee to a circular orbit's radius below which the two-burn (Hohmann)
/// transfer between them is the cheapest of all impulsive transfers; above it a bi-elliptic
/// one can cost less (Hoelker and Silber, 1961: 11.94 between circular orbits).
const BI_ELLIPTIC_RATIO: f64 = 11.94;

/// Impulsive Δv of the transfer from the circular parking orbit (the plan's split of the plane
/// change), m/s: the first estimate of the propellant held back.
pub(super) fn impulsive_delta_v(target: &Resolved, r0: f64, i0: f64) -> f64 {
    let v0 = circular_speed_m_s(r0);
    match *target {
        Resolved::Escape { c3_m2_s2, .. } => (c3_m2_s2 + 2.0 * MU_EARTH_M3_S2 / r0).sqrt() - v0,
        Resolved::Orbit { perigee_radius_m, apogee_radius_m, inclination_deg, .. } => {
            let (rp, ra) = (perigee_radius_m, apogee_radius_m);
            let di = (inclination_deg - i0).to_radians();
            let vp1 = vis_viva_speed_m_s(r0, 0.5 * (r0 + ra));
            if rp > r0 + PERIGEE_BURNS_ONLY_WITHIN_M {
                let va0 = vis_viva_speed_m_s(ra, 0.5 * (r0 + ra));
                let va1 = vis_viva_speed_m_s(ra, 0.5 * (rp + ra));
                let split = optimal_plane_split(v0, vp1, va0, va1, di);
                combined_delta_v(v0, vp1, split) + combined_delta_v(va0, va1, di - split)
            } else {
                combined_delta_v(v0, vp1, di)
            }
        }
    }
}

/// Inclination of the orbit of perigee radius `rp_m` and apogee radius `ra_m` (GSO's) from which
/// one apogee burn that circularizes and turns the plane to the equator needs `delta_v_m_s`
/// (`Δv² = v_a² + v_GSO² − 2·v_a·v_GSO·cos i`), degrees; `None` when no inclination does.
pub fn residual_gto_inclination_deg(rp_m: f64, ra_m: f64, delta_v_m_s: f64) -> Option<f64> {
    let va = vis_viva_speed_m_s(ra_m, 0.5 * (rp_m + ra_m));
    let vc = (MU_EARTH_M3_S2 / ra_m).sqrt();
    let cos_i = (va * va + vc * vc - delta_v_m_s * delta_v_m_s) / (2.0 * va * vc);
    (-1.0..=1.0).contains(&cos_i).then(|| cos_i.acos().to_degrees())
}

/// The perigee radius of the GTO short of GSO by `delta_v_m_s` (apogee radius `ra_m`) that a
/// vehicle parked in a circular orbit of radius `parking_m` at `plane_deg` reaches for the least
/// impulsive Δv ([`residual_gto_cost_m_s`]), m. The family's member at the parking perigee is
/// kept where its plane lies at or above the parking orbit's (Kourou: a GTO-1500 at 7.5°);
/// below it (every site north of about 27°), keeping the perigee low would leave the whole plane
/// change to the burns, and raising it is what user's guides do for a GTO-1500 or GTO-1800 from a
/// high latitude (Proton's from Baikonur at some 4,000 km and 23°).
pub fn residual_gto_perigee_radius_m(parking_m: f64, ra_m: f64, plane_deg: f64, delta_v_m_s: f64) -> f64 {
    if residual_gto_inclination_deg(parking_m, ra_m, delta_v_m_s).is_none_or(|i| i >= plane_deg) {
        return parking_m;
    }
    // Along the family the cost falls as the perigee rises and the plane change shrinks, then
    // rises again as raising the perigee costs more than the turn it saves.
    let cost = |rp_m: f64| Some(-residual_gto_cost_m_s(parking_m, ra_m, plane_deg, delta_v_m_s, rp_m));
    let start_m = parking_m + 0.1 * (ra_m - parking_m);
    crate::optimize::scalar::maximize(cost, parking_m, ra_m, start_m, 1.0, 200).map_or(parking_m, |m| m.x)
}

/// Impulsive Δv from a circular parking orbit of radius `parking_m` at `plane_deg` to the GTO of
/// perigee radius `rp_m` (apogee `ra_m`) that leaves `delta_v_m_s` to GSO, m/s: a burn at the
/// parking orbit's node up to the apogee radius and one at the apogee raising the perigee, the
/// plane change split between them at its best. Infinite where no member of the family has
/// that perigee, or its plane lies above `plane_deg`.
pub fn residual_gto_cost_m_s(parking_m: f64, ra_m: f64, plane_deg: f64, delta_v_m_s: f64, rp_m: f64) -> f64 {
    let Some(inclination_deg) = residual_gto_inclination_deg(rp_m, ra_m, delta_v_m_s) else { return f64::INFINITY };
    let turn_rad = (plane_deg - inclination_deg).to_radians();
    if turn_rad < 0.0 {
        return f64::INFINITY;
    }
    let a_transfer_m = 0.5 * (parking_m + ra_m);
    let (vc0, vp) = ((MU_EARTH_M3_S2 / parking_m).sqrt(), vis_viva_speed_m_s(parking_m, a_transfer_m));
    let (va, va1) = (vis_viva_speed_m_s(ra_m, a_transfer_m), vis_viva_speed_m_s(ra_m, 0.5 * (rp_m + ra_m)));
    let at_perigee = optimal_plane_split(vc0, vp, va, va1, turn_rad);
    combined_delta_v(vc0, vp, at_perigee) + combined_delta_v(va, va1, turn_rad - at_perigee)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GTO-Δv convention: GTO-1500 and GTO-1800 from a 200 km perigee lie at about 6.7°
    /// and 26.8°; a Δv below the coplanar circularization does not exist.
    #[test]
    fn gto_short_of_gso_resolves_to_an_inclination() {
        let resolved = |plane_deg: f64, dv: f64| {
            let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: plane_deg, argument_of_perigee_deg: None };
            match (TransferTarget::GtoShortOfGso { delta_v_m_s: dv, raise_perigee: plane_deg > 10.0 }).resolve(&parking) {
                Ok(Resolved::Orbit { perigee_radius_m, inclination_deg, .. }) => ((perigee_radius_m - WGS84_A_M) / 1e3, inclination_deg),
                other => panic!("{other:?}"),
            }
        };
        // From a plane at 10°, GTO-1500's 200 km member (6.7°) is reached as it is; GTO-1800's
        // (26.8°) would be turned away from the equator: it stays in the parking plane.
        let (perigee_km, inclination_deg) = resolved(10.0, 1500.0);
        assert!(perigee_km == 200.0 && (inclination_deg - 6.7).abs() < 0.2, "{perigee_km} km, {inclination_deg}°");
        let (perigee_km, inclination_deg) = resolved(10.0, 1800.0);
        assert!(perigee_km == 200.0 && inclination_deg == 10.0, "{perigee_km} km, {inclination_deg}°");
        // From a parking orbit at 51.8° those lie far below the plane: the perigee rises to
        // where the plane change left costs least.
        let (perigee_km, inclination_deg) = resolved(51.8, 1500.0);
        assert!((3_500.0..4_700.0).contains(&perigee_km) && (inclination_deg - 23.2).abs() < 0.5, "{perigee_km} km, {inclination_deg}°");
        let (perigee_km, inclination_deg) = resolved(51.8, 1800.0);
        assert!((1_500.0..2_800.0).contains(&perigee_km) && (inclination_deg - 31.0).abs() < 0.5, "{perigee_km} km, {inclination_deg}°");
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.8, argument_of_perigee_deg: None };
        assert!(TransferTarget::GtoShortOfGso { delta_v_m_s: 1000.0, raise_perigee: true }.resolve(&parking).is_err());
        // A stage that cannot burn at the apogee keeps the parking perigee, the plane change in
        // its perigee burns.
        let kept = TransferTarget::GtoShortOfGso { delta_v_m_s: 1500.0, raise_perigee: false }.resolve(&parking);
        assert!(matches!(kept, Ok(Resolved::Orbit { perigee_radius_m, .. }) if perigee_radius_m == WGS84_A_M + 200e3), "{kept:?}");
    }

    /// An orbit's altitudes that are not numbers, lie past the sphere of influence (metres that
    /// overflowed among them) or put the apogee under the perigee are said as such.
    #[test]
    fn an_orbit_target_out_of_bounds_says_what_is_wrong() {
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.8, argument_of_perigee_deg: None };
        let refused = |perigee_m: f64, apogee_m: f64| {
            let target =
                TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg: 10.0, argument_of_perigee_deg: None, exact_perigee: false };
            target.resolve(&parking).expect_err("refused").to_string()
        };
        assert!(refused(250e3, f64::NAN).contains("must be numbers, got NaN"));
        let far = refused(250e3, 1e308 * 1e3);
        assert!(far.contains("apogee over 2e305 km lies beyond the Earth's sphere of influence"), "{far}");
        assert!(refused(250e3, 2e9).contains("apogee 2000000 km lies beyond"));
        assert!(refused(500e3, 300e3).contains("apogee 300.0 km is below the perigee 500.0 km"));
        assert!(refused(150e3, 35_786e3).contains("below the parking orbit's"));
        let escape =
            |c3_m2_s2: f64| TransferTarget::Escape { c3_m2_s2, declination_deg: None }.resolve(&parking).expect_err("refused").to_string();
        assert!(escape(1e308 * 1e6).contains("got over 2e302 km²/s²"), "{}", escape(1e308 * 1e6));
        assert!(escape(500e6).contains("got 500 km²/s²"));
    }
}
