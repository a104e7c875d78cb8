//! The elliptic-transfer profile of a small launcher's restartable last stage (Vega-C's AVUM+,
//! Electron's Curie kick stage) to a circular low orbit: the ascent ends in an elliptical orbit
//! whose apogee is the target altitude and whose perigee the optimizer chooses above
//! [`PERIGEE_FLOOR_M`]; the stage coasts to the apogee and circularizes there in one burn.
//!
//! Lifting the whole stack to the target altitude under power (the direct ascent) costs
//! gravity loss all the way up; the elliptic profile puts that climb into a coast, at the price
//! of a restart. The flight is the transfer machinery's ([`super::maximize_transfer_payload`])
//! with the elliptical orbit as the "parking" orbit and the circular target as the transfer
//! target: the plan is one apogee burn, targeted on its pitch (zero flight-path angle at
//! cutoff) and yaw (inclination), cut off at the target's energy.

use super::*;
use crate::optimize::counting_flights;
use crate::optimize::payload::PayloadSolution;
use crate::optimize::targeting::{DirectAscent, KickSearch, Seed};

/// Lowest perigee the scan of the ellipses under a target tries where the target leaves room
/// (250 km and up), m: from lower, a coast of half an orbit loses more to drag (a 150 km
/// circular orbit decays within about a day).
pub const PERIGEE_FLOOR_M: f64 = 150e3;
/// Lowest perigee of an ellipse under a target below 250 km, m. There the ellipse lies
/// 2 × [`CIRCULAR_WITHIN_M`] under the target, and no lower than this: 10 km above the 100 km
/// perigee a coast to a planned burn needs (`FlightOptions::orbit_perigee_min_m`), which an
/// ellipse at that very perigee fails by the targeting's own noise (Falcon 9 to 200 km: every
/// circularization from a 100 × 200 km ellipse was refused on its coast). The drag of the one
/// half-orbit coast from so low is flown with the rest, and costs less than the direct
/// ascent's climb: Falcon 9 from Vostochny to 200 km at 51.9° carries 21,830 kg by a
/// 110 × 200 km ellipse, 21,122 kg directly.
const LOWEST_ELLIPSE_PERIGEE_M: f64 = 110e3;
/// Perigees first flown, evenly spaced from the highest to the floor.
const PERIGEE_GRID_POINTS: usize = 4;
/// The refinement of the best perigee stops within this, m.
const PERIGEE_SEARCH_TOLERANCE_M: f64 = 10e3;
/// Most transfer optimizations the refinement flies.
const MAX_PERIGEE_EVALUATIONS: usize = 4;
/// First step of the perigee search around the best perigee when the ascent is cut off up the
/// ellipse, m.
const LOFTED_PERIGEE_STEP_M: f64 = 40e3;
/// A circular target below this altitude is flown directly, m: no ellipse under it lies
/// [`CIRCULAR_WITHIN_M`] below it (nearer, it is itself nearly circular, its osculating apogee
/// swung by J2's short-period terms as much as the circularization raises it) and at or above
/// [`LOWEST_ELLIPSE_PERIGEE_M`]. Under a target below 210 km the ellipse's perigee is that
/// lowest one. At the edge the ellipse is too nearly circular to gain: Falcon 9 from Vostochny
/// at 51.9° carries 21,681 kg to 160 km directly and 21,984 kg to 170 km by a 110 × 170 km
/// ellipse. An orbit so low decays within days, so no target a mission flies lies near the edge.
pub const ELLIPTIC_FROM_ALTITUDE_M: f64 = LOWEST_ELLIPSE_PERIGEE_M + CIRCULAR_WITHIN_M;
/// The circularization burn is planned when the elliptical orbit's apogee lies within this of
/// the circular target, m (the ascent aims it off the target by what J2 moves the apogee on the
/// coast, tens of km).
const APOGEE_MATCH_M: f64 = 100e3;
/// Most flights the built-in guesses of an ascent to an ellipse take when the start handed to
/// its targeting (the direct ascent's, or a neighbouring mission's) cannot be targeted. Over the
/// catalog's survey (756 cases) such an ascent converged from the guesses 136 times, in a median
/// of 109 flights, nine in ten within 340, a few only near the budget, and failed 91 times.
/// Without the budget, where it does not converge (Falcon 9 to a 1,800 km SSO, the ellipses of
/// 1,183 and 1,700 km perigee, which its second stage cannot loft to in its first burn), they
/// took some 2,400 flights to fail, for each such perigee of the scan. Past the budget the
/// ascent is retried from the parking orbit's no-payload ascent as before, then counts as not
/// flown.
const ELLIPSE_GUESS_FLIGHTS: usize = 600;
/// Most missions flown again to bring the best perigee's orbit to the target.
const MAX_APOGEE_ITERATIONS: usize = 5;
/// Most missions of the search, best first, that are brought to the target in turn while the
/// one before cannot be flown once moved.
const MISSIONS_BROUGHT: usize = 3;
/// Slopes of the miss over the apogee move that the secant of the last missions may take; one
/// outside (two flights on either side of a jump of the ascent's solution) gives way to 1.
const MIN_APOGEE_MISS_SLOPE: f64 = 0.25;
/// See [`MIN_APOGEE_MISS_SLOPE`].
const MAX_APOGEE_MISS_SLOPE: f64 = 4.0;

/// Whether `parking` is the elliptical orbit of this profile for `target`: its apogee at the
/// target's circular radius, its perigee well below.
pub(super) fn circularizes(parking: &TargetOrbit, target: &Resolved) -> bool {
    let Resolved::Orbit { perigee_radius_m, apogee_radius_m, .. } = *target else { return false };
    apogee_radius_m - perigee_radius_m < CIRCULAR_WITHIN_M
        && (WGS84_A_M + parking.apogee_m - apogee_radius_m).abs() < APOGEE_MATCH_M
        && parking.apogee_m - parking.perigee_m > CIRCULAR_WITHIN_M
}

/// The impulsive Δv of the circularization at the apogee of `parking` (with the plane change
/// from `parking`'s inclination, combined), m/s; `None` when `parking` is not this profile's.
pub(super) fn circularization_delta_v(parking: &TargetOrbit, target: &Resolved) -> Option<f64> {
    if !circularizes(parking, target) {
        return None;
    }
    let Resolved::Orbit { apogee_radius_m: ra, inclination_deg, .. } = *target else { return None };
    let rp = WGS84_A_M + parking.perigee_m;
    let di = (inclination_deg - parking.inclination_deg).to_radians();
    Some(combined_delta_v(vis_viva_speed_m_s(ra, 0.5 * (rp + ra)), circular_speed_m_s(ra), di))
}

/// The plan from `parking` when it is this profile's: one burn centred on the apogee, cut off at
/// the target's energy; its pitch zeroes the flight-path angle at cutoff and its yaw meets the
/// inclination. `mass_kg` is the mass at the ascent's cutoff.
pub(super) fn design(parking: &TargetOrbit, target: &Resolved, stage: &UpperStage, mass_kg: f64) -> Option<Design> {
    let dv = circularization_delta_v(parking, target)?;
    let Resolved::Orbit { apogee_radius_m: ra, inclination_deg, .. } = *target else { return None };
    let rp = WGS84_A_M + parking.perigee_m;
    let va = vis_viva_speed_m_s(ra, 0.5 * (rp + ra));
    let arc_deg = (stage.burn_time_s(mass_kg, dv) * 0.5 * (va + circular_speed_m_s(ra)) / ra).to_degrees();
    let leg = Leg {
        kind: LegKind::Apogee,
        cutoff: BurnCutoff::EnergyJKg(-MU_EARTH_M3_S2 / (2.0 * ra)),
        yaw_deg: 0.0,
        yaw_rate_deg_s: 0.0,
        half_arc_deg: (0.5 * arc_deg).min(60.0),
    };
    Some(Design {
        legs: vec![leg],
        centre_deg: 0.0,
        unknowns: vec![Unknown::Pitch(0), Unknown::Yaw(0)],
        conditions: vec![Condition::Circular, Condition::Inclination(inclination_deg)],
        flat_perigee_radius_m: None,
    })
}

/// Where on the ellipse the ascent cuts off besides its perigee, as a share of the way from
/// its perigee to its apogee altitude: on the way up. The perigee is where a cutoff adds its
/// energy cheapest (the stage below Electron's Curie burns out near 230 km: aimed halfway up a
/// 150 × 500 km ellipse, at 325 km, its ascent lofts and carries 148 kg, at the perigee 188 kg),
/// but a stack whose last stage burns long in the ascent (AVUM+ some 900 s) climbs far past the
/// Zefiro 9's burnout and may not come back down to a low perigee with zero flight-path angle,
/// or carries more cut off higher (Vega-C to 700 km: 2,608 kg halfway up, 2,597 kg at the
/// perigee). The profile flies the perigees at the perigee first, and the best perigee cut off
/// here too ([`elliptic_from`]).
const LOFTED_INSERTION_SHARE: f64 = 0.5;
/// The perigees near the best are searched cut off up the ellipse when the best cut off there
/// carries at least this share of what it carries cut off at the perigee: near the summit the
/// payload over perigee and cutoff is flat to a few kilograms, and which perigee of the scan
/// comes out best there is a matter of search noise (Vega-C from Kourou to a 600 km SSO: the
/// best at the perigee 2,691.8 kg at a 222 km perigee, 2,690.7 kg cut off halfway up it, and
/// 2,702 kg cut off halfway up a 272 km ellipse, which a 232 km best, 0.4 kg better, had led to).
const LOFTED_SEARCH_SHARE: f64 = 0.998;
/// Where no perigee can be flown cut off at the perigee, the cutoff is searched between this
/// share of the way up the ellipse and [`LOFTED_INSERTION_SHARE`] at the best perigee halfway
/// up: the nearer the perigee the cutoff, the more the ascent carries, down to where the last
/// stage has burned too much in the ascent to circularize. Vega-C to 1,800 km at 5.3° from
/// Kourou, whose solid stages throw it eastward faster than an ellipse under the target needs
/// at its perigee (no perigee cutoff can be targeted), from the 179 km perigee: 1,414 kg halfway
/// up, 1,963 kg at 35 %, 2,356 kg at 20 %, 2,641 kg at 11 %, none at 5 % (5 kg of propellant
/// short of the circularization).
const LOWEST_INSERTION_SHARE: f64 = 0.05;
/// First step of the cutoff search down from [`LOFTED_INSERTION_SHARE`], share of the way up.
const INSERTION_SHARE_STEP: f64 = 0.15;
/// The cutoff search stops within this share of the way up.
const INSERTION_SHARE_TOLERANCE: f64 = 0.03;
/// Most missions the cutoff search flies.
const MAX_INSERTION_SHARE_EVALUATIONS: usize = 5;
/// Cutoffs, evenly between a lowered cutoff and halfway up, that a payload lighter than the
/// largest is flown with when it cannot be flown at the largest payload's.
const RAISED_CUTOFFS_TRIED: usize = 4;

/// Whether a mission cut off at `share` of the way up its ellipse has its cutoff lowered from
/// halfway up ([`LOWEST_INSERTION_SHARE`]): neither at the perigee nor halfway up.
fn lowered_cutoff(share: f64) -> bool {
    share > 0.0 && share < LOFTED_INSERTION_SHARE
}

/// The ascent's cutoff height above the perigee of `parking` at `share` of the way up to its
/// apogee, m.
fn insertion_height_m(parking: &TargetOrbit, share: f64) -> f64 {
    share * (parking.apogee_m - parking.perigee_m)
}

/// Aim the ascent of `problem` at its cutoff `height_m` above the perigee when `parking` is
/// this profile's ellipse and the height is above its perigee, or the raising ellipse
/// ([`super::raise`]; negative: on the way down to the perigee, where its argument of perigee
/// was placed); otherwise leave it at the perigee.
pub(super) fn aim_insertion<const N: usize>(problem: &mut Problem<'_, N>, parking: &TargetOrbit, target: &Resolved, height_m: f64) {
    if (height_m > 0.0 && circularizes(parking, target)) || (height_m != 0.0 && super::raise::raises(parking, target)) {
        problem.set_insertion_height(height_m);
    }
}

/// The last stage's load for the elliptic profile, kg of usable propellant; `None` when it flies
/// as the file says: when the stage can burn its load within a quarter of the target orbit's
/// period (its share of the ascent ends before the vehicle has gone round the Earth: Vega-C's
/// AVUM+, 740 kg in some 930 s). Otherwise (a kick stage such as Curie, 245 kg at 120 N: some
/// 6,400 s) offloaded to what the circularization needs, the impulsive Δv from the ellipse's
/// lowest perigee (in the plane `plane_deg`, the target's turned at the apogee) at the stage's
/// full mass with the payload a quarter of that mass, 3 % over: the stage below then flies the
/// whole ascent.
pub fn circularization_load_kg(vehicle: &Vehicle, target: &TargetOrbit, plane_deg: f64) -> Option<f64> {
    let s = vehicle.stages.last()?;
    let burn_s = s.total_propellant_kg() / s.mass_flow_kg_s().max(1e-9);
    let ra = WGS84_A_M + target.apogee_m;
    let quarter_period_s = 0.25 * std::f64::consts::TAU * (ra.powi(3) / MU_EARTH_M3_S2).sqrt();
    if burn_s <= quarter_period_s {
        return None;
    }
    let dv = lowest_circularization_delta_v(target, plane_deg);
    let full_kg = f64::from(s.units) * (s.dry_mass_kg + s.total_propellant_kg());
    let mass_kg = 1.25 * full_kg;
    let need_kg = mass_kg * (1.0 - (-1.03 * dv / (s.thrust_vac_n() / s.mass_flow_kg_s())).exp());
    Some(need_kg.min(upper_stage_load_kg(vehicle)))
}

/// The impulsive Δv of the circularization into the circular `target` from the ellipse of
/// lowest perigee ([`lowest_ellipse_perigee_m`]) in the plane `plane_deg`, the plane turned
/// with it, m/s. In the form that is the speed difference itself without a turn (the law of
/// cosines of [`combined_delta_v`] loses digits there to cancellation).
fn lowest_circularization_delta_v(target: &TargetOrbit, plane_deg: f64) -> f64 {
    let (rp, ra) = (WGS84_A_M + lowest_ellipse_perigee_m(target), WGS84_A_M + target.apogee_m);
    let half_turn_sin = (0.5 * (target.inclination_deg - plane_deg).to_radians()).sin();
    let (va, vc) = (vis_viva_speed_m_s(ra, 0.5 * (rp + ra)), circular_speed_m_s(ra));
    ((vc - va).powi(2) + 4.0 * va * vc * half_turn_sin * half_turn_sin).sqrt()
}

/// The highest perigee of the ellipses under the circular `target` the profile flies, m: 100 km
/// under it, no lower than [`LOWEST_ELLIPSE_PERIGEE_M`].
fn highest_ellipse_perigee_m(target: &TargetOrbit) -> f64 {
    (target.perigee_m - 2.0 * CIRCULAR_WITHIN_M).max(LOWEST_ELLIPSE_PERIGEE_M)
}

/// The lowest perigee of the ellipses under the circular `target` the profile flies, m: the
/// [`PERIGEE_FLOOR_M`], or the highest perigee under a target below 250 km.
fn lowest_ellipse_perigee_m(target: &TargetOrbit) -> f64 {
    PERIGEE_FLOOR_M.min(highest_ellipse_perigee_m(target))
}

/// The elliptical orbit of perigee altitude `perigee_m` under the circular `target`, its apogee
/// aimed `apogee_shift_m` above the target's altitude, in the plane `plane_deg`
/// ([`ellipse_plane_deg`]).
pub fn elliptic_parking(target: &TargetOrbit, plane_deg: f64, perigee_m: f64, apogee_shift_m: f64) -> TargetOrbit {
    TargetOrbit { perigee_m, apogee_m: target.apogee_m + apogee_shift_m, inclination_deg: plane_deg, argument_of_perigee_deg: None }
}

/// The plane of the elliptic profile's ellipses to the circular target of `ascent`, degrees:
/// the target's own where an ascent reaches it (doglegged or not); otherwise the plane its
/// mission through the parking orbit parks in ([`MissionTarget::for_vehicle`]: the nearest the
/// site's corridors allow, not below the lowest the site reaches), the circularization at the
/// apogee turning the rest, the yaw of its one burn holding the target's inclination. A stage
/// rated for two burns has no other way there: Falcon 9 from Vostochny to a 300 km SSO (96.67°,
/// the corridor starting at 97°), or from Cape Canaveral to 25°, where the parking orbit needs
/// a perigee and an apogee burn after the ascent's.
pub fn ellipse_plane_deg(ascent: &DirectAscent<'_>) -> f64 {
    let DirectAscent { vehicle, site, target, branch, .. } = *ascent;
    if crate::optimize::targeting::direct_launch_azimuth(vehicle, site, &target, branch).is_ok() {
        return target.inclination_deg;
    }
    let orbit = circular_transfer_target(&target);
    MissionTarget::for_vehicle(vehicle, site, orbit).ascent_orbit().inclination_deg
}

/// Whether the elliptic profile applies to `vehicle` and `target`: a restartable last stage and
/// a circular target at or above `ELLIPTIC_FROM_ALTITUDE_M`.
pub fn elliptic_profile_applies(vehicle: &Vehicle, target: &TargetOrbit) -> bool {
    vehicle.stages.last().is_some_and(|s| s.max_burns() > 1)
        && target.apogee_m - target.perigee_m < CIRCULAR_WITHIN_M
        && target.perigee_m >= ELLIPTIC_FROM_ALTITUDE_M
}

/// The direct ascent the elliptic profile is weighed against and started from: with the last
/// stage as the file loads it when the profile flies it so ([`circularization_load_kg`]: a stage
/// that burns its load within a quarter of the target's period, Vega-C's AVUM+), so that the
/// profile starts from the vehicle it flies (the optimizer then also searches the direct
/// ascent's load, [`better_of_direct_and_elliptic`]); otherwise (a kick stage) the stage
/// offloaded to its best load ([`maximize_offloaded_payload`]). The stage as loaded is
/// optimized within [`DIRECT_ASCENT_FLIGHTS`].
fn direct_ascent(
    ascent: &DirectAscent<'_>,
    start: Option<&crate::optimize::payload::WarmStart>,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    if circularization_load_kg(ascent.vehicle, &ascent.target, ascent.target.inclination_deg).is_none() {
        return crate::optimize::payload::maximize_payload_within(ascent, &[], start, DIRECT_ASCENT_FLIGHTS, progress);
    }
    maximize_offloaded_payload(ascent, &[], None, usize::MAX, None, progress)
}

/// Most flights the direct ascent beside the elliptic profile takes, its load search included,
/// when its last stage flies as loaded in the profile. To a catalog vehicle's circular orbits
/// (300 to 1,800 km from Plesetsk and Kourou) it takes 70 to 750 flights, load search included,
/// wherever it carries more than a sixth of the elliptic profile's payload; past this budget
/// the target lies at the edge of what lifting the whole stack to it under power can reach
/// (PSLV-XL to 1,800 km: 4,000 flights for 32 kg, then 17,000 more in the load search, against
/// the elliptic profile's 2,049 kg; Falcon 9 above 1,000 km and Vega-C at 1,800 km: 5,000 to
/// 7,000 flights to fail). Cut off, the direct ascent counts as not flown; the profile's ascents
/// then start from the direct ascent to the parking orbit's altitude ([`elliptic_from`]).
const DIRECT_ASCENT_FLIGHTS: usize = 1_000;

/// The largest payload into the circular target of `ascent` by the elliptic profile, and its
/// mission, its ellipses in the plane of [`ellipse_plane_deg`]; the direct ascent to that target
/// (`direct_ascent`) is optimized first, as the start of every targeting of the ascent to an
/// ellipse (see `elliptic_from`).
pub fn maximize_elliptic_payload(ascent: &DirectAscent<'_>, progress: Progress<'_>) -> Result<TransferSolution> {
    ascent.target.check()?;
    elliptic_after_direct(ascent, Insertion::PerigeeFirst, Load::Searched { hint: None }, progress)
}

/// The direct ascent to the circular target of `ascent` optimized, then the elliptic profile
/// searched from it ([`elliptic_from`], its ascents cut off as `insertion` says); the answer's
/// flights count both searches.
fn elliptic_after_direct(ascent: &DirectAscent<'_>, insertion: Insertion, load: Load, progress: Progress<'_>) -> Result<TransferSolution> {
    let (direct, direct_flown) = counting_flights(progress, 0, |p| direct_ascent(ascent, None, p));
    let done = direct.as_ref().map_or(direct_flown, |d| d.solution.flights);
    let seed = direct.as_ref().ok().map(|d| d.warm_start.seed());
    let plane_deg = ellipse_plane_deg(ascent);
    let (mut s, _) = elliptic_from(ascent, plane_deg, seed, insertion, load, &mut None, &mut |n| progress(done + n))?;
    s.flights += done;
    Ok(s)
}

/// The circular `target` as the elliptic profile's transfer target (the argument of perigee
/// free: a circle has none).
pub(super) fn circular_transfer_target(target: &TargetOrbit) -> TransferTarget {
    TransferTarget::Orbit {
        perigee_m: target.perigee_m,
        apogee_m: target.apogee_m,
        inclination_deg: target.inclination_deg,
        argument_of_perigee_deg: None,
        exact_perigee: false,
    }
}

/// The last stage's load in [`elliptic_from`] when it flies as its file loads it (a kick stage
/// is loaded for the circularization, [`circularization_load_kg`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Load {
    /// As the file loads it.
    AsLoaded,
    /// Searched ([`search_elliptic_load`]), from `hint` (a share of the usable propellant).
    Searched { hint: Option<f64> },
}

/// Where the ascents of [`elliptic_from`] cut off on their ellipses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Insertion {
    /// At the perigee, then the best perigee up the ellipse too.
    PerigeeFirst,
    /// Up the ellipse only ([`LOFTED_INSERTION_SHARE`]).
    Lofted,
}

/// The elliptic profile's largest payload into the circular target of `ascent`, its ellipses in
/// the plane `plane_deg` (the target's, or the one [`ellipse_plane_deg`] turns it from), each
/// ascent to an ellipse targeted first from `seed` (the direct ascent's solution to that target).
///
/// Why the seed: from the built-in guesses (open-loop kick searches, a payload of 0.5 % of the
/// liftoff mass) the ascent of a stack whose last stage burns long in it (Vega-C: three solid
/// stages, then AVUM+ for some 900 s) is targeted only in scattered narrow bands of the
/// ellipse's elements (577 × 685 km, not 577 × 700 km nor any perigee from 300 to 650 km).
/// The direct ascent to the circular orbit ends at the ellipse's apogee radius with the same
/// stack, so Newton started from its pitch, rate, azimuth and payload converges to every
/// ellipse of the search in about 120 flights; the built-in guesses remain the fallback.
///
/// The perigee of the ellipse: [`PERIGEE_GRID_POINTS`] perigees evenly from twice
/// [`CIRCULAR_WITHIN_M`] below the target down to [`PERIGEE_FLOOR_M`], then Brent's method
/// within a grid step of the best ([`MAX_PERIGEE_EVALUATIONS`] more), by the shared scanner
/// ([`crate::optimize::scalar::maximize_scanned_with_ends`]); each evaluation is a whole
/// transfer optimization, and one that cannot be targeted counts as the worst. Where the ascent
/// cuts off: `insertion` (at the perigee, then the best perigee halfway up too, or halfway up
/// only; [`LOFTED_INSERTION_SHARE`]); where no perigee can be flown cut off at the perigee, the
/// cutoff is lowered from halfway up as far as it can be flown ([`LOWEST_INSERTION_SHARE`]),
/// each such mission started from the one flown nearest it.
///
/// The load: a last stage that flies as its file loads it ([`circularization_load_kg`] is
/// `None`) may carry more offloaded, as on the direct ascent (Ariane 62 from Vostochny to
/// 400 km: 12,399 kg full, 14,140 kg with 65 % of the Vinci stage's load; Soyuz-2.1b/Fregat to
/// a 500 km SSO 4,554 kg full, 6,298 kg with 34 %). With `load` searched, the load is searched
/// at the full load's best perigee and cutoff ([`search_elliptic_load`]), and when a smaller load
/// carries more, the perigee again near the best at that load. `fly`'s light-payload fallback
/// flies the stage as loaded.
///
/// The apogee: the ellipse's osculating apogee at the ascent's cutoff is not the radius the coast
/// reaches: J2's short-period terms move the osculating elements along the orbit (some 15 km of
/// apogee at 700 km and 98°, between a cutoff halfway up the ellipse and the apogee), and the
/// circularization, one burn at the apogee, ends at the radius it starts from. So each mission
/// aims the ellipse's apogee off the target by the miss of the mission flown before it (the
/// miss hardly depends on the perigee: 14.4 to 16.5 km from 300 to 640 km for Vega-C), and the
/// best perigee is flown again with the last miss taken off (at most
/// [`MAX_APOGEE_ITERATIONS`] times) until the orbit reached is the target's within the
/// optimizer's tolerances. Fails with the first error when no perigee can be flown, or when the
/// orbit cannot be brought within the tolerances. Without a `seed`, the direct ascent to the
/// parking orbit's altitude it flies instead is handed out in `low_flown` (its answer or why it
/// failed).
fn elliptic_from(
    ascent: &DirectAscent<'_>,
    plane_deg: f64,
    seed: Option<&Seed<4>>,
    insertion: Insertion,
    load: Load,
    low_flown: &mut Option<Result<crate::optimize::payload::WarmSolution>>,
    progress: Progress<'_>,
) -> Result<(TransferSolution, Seed<4>)> {
    let DirectAscent { vehicle, site, branch, options, .. } = *ascent;
    let target = &ascent.target;
    if !elliptic_profile_applies(vehicle, target) {
        return Err(Error::invalid(
            "elliptic transfer",
            format!(
                "{}: needs a restartable last stage and a circular target at or above {:.0} km, got {}",
                vehicle.name,
                ELLIPTIC_FROM_ALTITUDE_M / 1e3,
                target.describe()
            ),
        ));
    }
    // A turn of the plane beyond the last stage alone is refused before any flight: whatever
    // the ellipse, the circularization turns the plane at the target's circular speed at least
    // by the inclination's change (more off the node).
    if plane_deg != target.inclination_deg {
        let half_turn_rad = 0.5 * (target.inclination_deg - plane_deg).abs().to_radians();
        let needed_m_s = 2.0 * circular_speed_m_s(WGS84_A_M + target.apogee_m) * half_turn_rad.sin();
        let most_m_s = crate::optimize::reach::last_stage_alone_delta_v(vehicle);
        if needed_m_s > most_m_s {
            return Err(Error::Unreachable(format!(
                "{} cannot reach {} by the elliptic profile: its ellipses lie at {plane_deg:.2}° (the plane nearest it the site reaches), and the circularization's turn of the plane alone needs at least {needed_m_s:.0} m/s of impulsive Δv, where `{}` alone (its whole load burned with no payload) gives at most {most_m_s:.0} m/s",
                vehicle.name,
                target.describe(),
                vehicle.stages[vehicle.stages.len() - 1].name
            )));
        }
    }
    let kick_load_kg = circularization_load_kg(vehicle, target, plane_deg);
    let loaded = as_flown(vehicle, kick_load_kg);
    let vehicle = loaded.as_ref();
    let circular = circular_transfer_target(target);
    let highest_m = highest_ellipse_perigee_m(target);
    let lowest_m = lowest_ellipse_perigee_m(target);
    let target_radius_m = WGS84_A_M + target.apogee_m;
    let mut flights = 0usize;
    // Without the direct ascent's solution (it could not be targeted: Vega-C to 1,800 km, whose
    // AVUM+ cannot climb there in one burn), the ascents start from the direct ascent to the
    // parking orbit's altitude, which ends at an ellipse's lowest perigees: from the built-in
    // guesses no ellipse of Vega-C's under 1,800 km could be targeted.
    let low_seed;
    let seed = match seed {
        Some(seed) => Some(seed),
        None => {
            let low = TargetOrbit {
                perigee_m: PARKING_ALTITUDE_M,
                apogee_m: PARKING_ALTITUDE_M,
                inclination_deg: plane_deg,
                argument_of_perigee_deg: None,
            };
            let low_ascent = DirectAscent { vehicle, target: low, ..*ascent };
            let (found, flown) =
                counting_flights(progress, 0, |p| crate::optimize::payload::maximize_payload_as_loaded(&low_ascent, &[], None, p));
            flights += found.as_ref().map_or(flown, |w| w.solution.flights);
            low_seed = found.as_ref().ok().map(|w| *w.warm_start.seed());
            *low_flown = Some(found);
            low_seed.as_ref()
        }
    };
    // Why the lowest perigee tried failed, and that perigee, m: the ascent reaches the lowest
    // ellipse most easily, so its failure is the one that binds (Falcon 9 to a 19,100 km orbit:
    // its ascent cannot be targeted to a perigee of 19,000 km, and from 150 km its second stage
    // is 322 m/s short of the transfer even with no payload).
    let mut lowest_error: Option<(f64, Error)> = None;
    // The apogee move of the next mission: the last mission's miss taken off.
    let shift_m = std::cell::Cell::new(0.0);
    let miss_of = |s: &TransferSolution| s.flight.final_point.position_eci_m.norm() - target_radius_m;
    // One mission: the last stage loaded with `fraction` of its usable propellant, the ellipse
    // of perigee `perigee_m`, its apogee moved by `shift_m`, the ascent cut off at `share` of the
    // way up it, its targeting started from `start` (its kick searched as `kick` says). Returns
    // the apogee move it flew with besides.
    let mut fly = |fraction: f64,
                   perigee_m: f64,
                   share: f64,
                   start: Option<&Seed<4>>,
                   kick: KickSearch|
     -> Result<(TransferSolution, Seed<4>, f64)> {
        let flown_shift_m = shift_m.get();
        let parking = elliptic_parking(target, plane_deg, perigee_m, flown_shift_m);
        let done = flights;
        let offloaded_vehicle = (fraction < 1.0).then(|| offloaded(vehicle, fraction));
        let vehicle = offloaded_vehicle.as_ref().unwrap_or(vehicle);
        let transfer = Transfer { vehicle, site, parking, target: circular, branch, options };
        let height_m = insertion_height_m(&parking, share);
        // A mission that fails still flew.
        let (result, flown) = counting_flights(progress, done, |p| {
            transfer_payload_from(&transfer, start, kick, height_m, ELLIPSE_GUESS_FLIGHTS, &mut false, p)
        });
        flights += result.as_ref().map_or(flown, |(s, _)| s.flights);
        let (s, ascent_seed) = result?;
        let miss_m = miss_of(&s);
        if miss_m.abs() < APOGEE_MATCH_M {
            shift_m.set(flown_shift_m - miss_m);
        }
        Ok((s, ascent_seed, flown_shift_m))
    };
    // The perigees from the highest down, cut off at the perigee (each mission aimed by the last
    // one's miss), then Brent's method around the best unless the best is the floor and the
    // payload still rises to it; a perigee that cannot be flown counts as the worst. Then the
    // best perigee cut off up its ellipse ([`LOFTED_INSERTION_SHARE`]), and when that carries
    // nearly as much or more ([`LOFTED_SEARCH_SHARE`]), the perigees near it cut off there too;
    // when no perigee could be flown cut off at the perigee, the whole scan again cut off up the
    // ellipse. The first error is the answer when nothing can be flown.
    // Every mission flown; read by the load search while `evaluate` adds to it.
    let tried: std::cell::RefCell<Vec<Mission>> = std::cell::RefCell::new(Vec::new());
    let mut evaluate = |fraction: f64, perigee_m: f64, share: f64| {
        // The full load from the direct ascent's solution; another load from the mission flown
        // with the nearest load (the best of them), whose ascent lies nearer, its kick searched
        // afresh: the payload over the kick can have two maxima, and which is higher changes
        // with the load (Ariane 62 to 400 km at 69 % load: 13,449 kg from the full load's kick,
        // 14,116 kg searched afresh).
        let nearest = (fraction < 1.0)
            .then(|| {
                tried
                    .borrow()
                    .iter()
                    .min_by(|a, b| {
                        (a.fraction - fraction)
                            .abs()
                            .total_cmp(&(b.fraction - fraction).abs())
                            .then(b.solution.payload_kg.total_cmp(&a.solution.payload_kg))
                    })
                    .map(|m| m.seed)
            })
            .flatten();
        // The mission flown with this load and cutoff at the nearest other perigee. Where the
        // start above does not converge to an ellipse far below it (Vega-C to 1,600 km: the 150
        // and 256 km perigees, best of all, failed from the 1,600 km direct ascent), the ascent
        // is targeted again from that mission's, its kick searched afresh; where there is no
        // start at all (neither the direct ascent nor the one to 200 km could be targeted), from
        // that mission's first, rather than from the built-in guesses.
        let neighbour = || {
            tried
                .borrow()
                .iter()
                .filter(|m| m.fraction == fraction && m.share == share && m.perigee_m != perigee_m)
                .min_by(|a, b| (a.perigee_m - perigee_m).abs().total_cmp(&(b.perigee_m - perigee_m).abs()))
                .map(|m| m.seed)
        };
        let nearest = nearest.or_else(|| seed.is_none().then(neighbour).flatten());
        // A cutoff lowered from halfway up (only where no perigee cutoff flies): from the
        // mission flown nearest it, with its kick searched near that one's.
        let lowered = (nearest.is_none() && lowered_cutoff(share))
            .then(|| {
                tried
                    .borrow()
                    .iter()
                    .filter(|m| m.fraction == fraction && m.share > 0.0)
                    .min_by(|a, b| {
                        let d = |m: &Mission| ((m.perigee_m - perigee_m) / 100e3).abs() + (m.share - share).abs() / INSERTION_SHARE_STEP;
                        d(a).total_cmp(&d(b))
                    })
                    .map(|m| m.seed)
            })
            .flatten();
        // Otherwise from the mission flown with this load and cutoff at the nearest other perigee
        // (the scan's last), which lies nearer than the direct ascent the scan starts from: the
        // same answers in fewer flights (Electron/Curie to a 700 km SSO: 1,480 instead of 2,663;
        // Falcon 9 to 500 km: a perigee of 150 km in 86 instead of 148), the direct ascent's
        // start kept for when it fails.
        let near_start = lowered.or_else(|| (nearest.is_none() && share == 0.0).then(neighbour).flatten());
        let mut r = match (&nearest, &near_start) {
            (Some(start), _) => fly(fraction, perigee_m, share, Some(start), KickSearch::Whole),
            (None, Some(start)) => fly(fraction, perigee_m, share, Some(start), KickSearch::Near),
            (None, None) => fly(fraction, perigee_m, share, seed, KickSearch::Near),
        };
        if r.is_err() && near_start.is_some() {
            r = fly(fraction, perigee_m, share, seed, KickSearch::Near);
        }
        // Not in the lofted search of `fly`'s fallback ([`fly_elliptic_from`]): it looks for an
        // ellipse a lighter payload comes down to, not for the lowest (Vega-C to 1,500 km with
        // 1,100 kg flies from a 567 km perigee's mission, not from the 150 km one of the most).
        if r.is_err() && nearest.is_none() && insertion == Insertion::PerigeeFirst {
            if let Some(start) = neighbour() {
                if let Ok(flown) = fly(fraction, perigee_m, share, Some(&start), KickSearch::Whole) {
                    r = Ok(flown);
                }
            }
        }
        match r {
            Ok((solution, seed, shift_m)) => {
                let payload_kg = solution.payload_kg;
                tried.borrow_mut().push(Mission { fraction, perigee_m, share, shift_m, solution, seed });
                Some(payload_kg)
            }
            Err(e) => {
                if lowest_error.as_ref().is_none_or(|(lowest_m, _)| perigee_m < *lowest_m) {
                    lowest_error = Some((perigee_m, e));
                }
                None
            }
        }
    };
    let scan = |share: f64, evaluate: &mut dyn FnMut(f64, f64, f64) -> Option<f64>| {
        super::super::scalar::maximize_scanned_with_ends(
            |perigee_m| evaluate(1.0, perigee_m, share),
            highest_m,
            lowest_m,
            PERIGEE_GRID_POINTS - 1,
            PERIGEE_SEARCH_TOLERANCE_M,
            MAX_PERIGEE_EVALUATIONS,
        )
    };
    // The perigees near `from` (flown already, carrying `from_kg`), each with `fraction` of the
    // load and cut off at `share` of the way up.
    let search_near =
        |evaluate: &mut dyn FnMut(f64, f64, f64) -> Option<f64>, fraction: f64, share: f64, from: f64, from_kg: Option<f64>| {
            super::super::scalar::maximize_near(
                |perigee_m| if perigee_m == from { from_kg } else { evaluate(fraction, perigee_m, share) },
                lowest_m,
                highest_m,
                from,
                LOFTED_PERIGEE_STEP_M,
                PERIGEE_SEARCH_TOLERANCE_M,
                MAX_PERIGEE_EVALUATIONS,
            );
        };
    // With no start at all (neither the direct ascent nor the one to the parking orbit's
    // altitude could be targeted), the lowest ellipse cut off at its perigee, the one the ascent
    // reaches most easily, is flown first. Where it fails from the built-in guesses, so does the
    // rest of the scan, halfway up as well: over generated designs whose ascent to the parking
    // orbit failed, no other ellipse flew where the lowest did not (up to 23,000 flights to
    // fail, 5 s), and where it flew the higher perigees failed around it (a small launcher to a
    // 500 km SSO from Mahia: 400, 317 and 233 km failed, 150 km flew). Flown, it is the scan's
    // lowest point.
    let lowest_first = (seed.is_none() && insertion == Insertion::PerigeeFirst).then(|| evaluate(1.0, lowest_m, 0.0));
    let at_lowest = |fraction: f64, perigee_m: f64, share: f64| {
        lowest_first.filter(|_| fraction == 1.0 && share == 0.0 && (perigee_m - lowest_m).abs() < 1.0)
    };
    let mut evaluate = |fraction: f64, perigee_m: f64, share: f64| match at_lowest(fraction, perigee_m, share) {
        Some(flown) => flown,
        None => evaluate(fraction, perigee_m, share),
    };
    // The lowest ellipse failed with no start: no other is flown.
    let lowest_failed = lowest_first == Some(None);
    let at_perigee = match insertion {
        Insertion::PerigeeFirst if !lowest_failed => scan(0.0, &mut evaluate),
        Insertion::PerigeeFirst | Insertion::Lofted => None,
    };
    match at_perigee {
        _ if lowest_failed => {}
        Some(best) => {
            let lofted_kg = evaluate(1.0, best.x, LOFTED_INSERTION_SHARE);
            if lofted_kg.is_some_and(|kg| kg > LOFTED_SEARCH_SHARE * best.value) {
                search_near(&mut evaluate, 1.0, LOFTED_INSERTION_SHARE, best.x, lofted_kg);
            }
        }
        None => {
            // When no perigee could be flown cut off at the perigee, but one halfway up: the
            // cutoff lowered towards the perigee at the best of them, as far as it can be flown,
            // then the perigees near it cut off there. Not for a search up the ellipse only (a
            // given payload's fallback, which looks for the loftiest answers, not the heaviest).
            let lofted = scan(LOFTED_INSERTION_SHARE, &mut evaluate);
            if let Some(best) = lofted.filter(|_| insertion == Insertion::PerigeeFirst) {
                let lowered = super::super::scalar::maximize_near(
                    |share| if share == LOFTED_INSERTION_SHARE { Some(best.value) } else { evaluate(1.0, best.x, share) },
                    LOWEST_INSERTION_SHARE,
                    LOFTED_INSERTION_SHARE,
                    LOFTED_INSERTION_SHARE,
                    INSERTION_SHARE_STEP,
                    INSERTION_SHARE_TOLERANCE,
                    MAX_INSERTION_SHARE_EVALUATIONS,
                );
                if let Some(lowered) = lowered.filter(|m| m.x < LOFTED_INSERTION_SHARE && m.value > best.value) {
                    search_near(&mut evaluate, 1.0, lowered.x, best.x, Some(lowered.value));
                }
            }
        }
    }
    // A stage flown as its file loads it: its load searched at the best perigee and cutoff of the
    // full load ([`search_elliptic_load`]), and when a smaller load carries more, the perigee
    // searched again near the best at that load (unless the best is the floor).
    let by_payload = |a: &&Mission, b: &&Mission| a.solution.payload_kg.total_cmp(&b.solution.payload_kg);
    let full_best = tried.borrow().iter().max_by(by_payload).map(|m| (m.perigee_m, m.share, m.solution.payload_kg));
    if let (None, Some((perigee_m, share, full_kg)), Load::Searched { hint }) = (kick_load_kg, full_best, load) {
        // A load that cannot be cut off at the perigee is flown cut off up its ellipse: a lighter
        // stack leaves the stage below higher and faster, and the ascent brought down to the
        // perigee under power may not be targeted where the one cut off on the way up is
        // (Soyuz-2.1b/Fregat-MT to a 220 km SSO from Vostochny: at 38 % of its load no ellipse
        // of perigee 120 km cut off there was targeted; cut off 36 km above it, 6,559 kg).
        let lofted_too = share == 0.0 && insertion == Insertion::PerigeeFirst;
        let found = search_elliptic_load(
            |fraction| {
                evaluate(fraction, perigee_m, share)
                    .or_else(|| lofted_too.then(|| evaluate(fraction, perigee_m, LOFTED_INSERTION_SHARE)).flatten())
            },
            full_kg,
            hint,
        );
        // A full load best at the floor keeps it at the load found: the payload rises to the
        // floor about as steeply whatever the load (Ariane 62 to a 500 km SSO: 2.7 kg per km of
        // perigee full, 2.8 kg per km at 66 %), so the search would fly perigees above it in vain.
        let at_floor = perigee_m <= lowest_m;
        if let Some(load) = found.filter(|m| m.x < 1.0 && m.value > full_kg && !at_floor) {
            // The perigees near the best at that load, cut off where it was.
            let load_share = tried.borrow().iter().filter(|m| m.fraction == load.x).max_by(by_payload).map_or(share, |m| m.share);
            search_near(&mut evaluate, load.x, load_share, perigee_m, Some(load.value));
        }
    }
    // The best mission flown, brought to the target: flown again with the last miss taken off
    // until the orbit reached is the target's. Picked among the missions flown rather than at
    // the scan's answer: the lofted cutoff and the load search fly after the scan.
    let missions = tried.into_inner();
    // The stage's load of a mission flown with `fraction` of it, when not the file's.
    let load_kg = |fraction: f64| if fraction < 1.0 { Some(upper_stage_load_kg(&offloaded(vehicle, fraction))) } else { kick_load_kg };
    let mut ranked: Vec<&Mission> = missions.iter().collect();
    ranked.sort_by(|a, b| by_payload(b, a));
    if ranked.is_empty() {
        // Said of the ellipses: the transfer machinery names the orbit its ascent ends in the
        // parking orbit, which here is an ellipse under the target.
        let none = format!("{}: no elliptical orbit under {} could be flown", vehicle.name, target.describe());
        return Err(match lowest_error {
            Some((perigee_m, Error::Unreachable(why))) => {
                let why = why.strip_prefix(&format!("{}: ", vehicle.name)).unwrap_or(&why);
                let why =
                    why.replacen("through the parking orbit", "through the ellipse", 1).replacen("the parking orbit", "the ellipse", 1);
                Error::Unreachable(format!("{none} (at the lowest perigee tried, {:.0} km: {why})", perigee_m / 1e3))
            }
            Some((_, e)) => e,
            None => Error::Unreachable(none),
        });
    }
    // The best mission of the search that reached the target, when the best one cannot be
    // brought there (the answer of a neighbouring perigee, rather than none and the direct
    // ascent's).
    let reached_instead = |flights: usize| {
        missions.iter().filter(|m| target.reached_by(&m.solution.orbit)).max_by(by_payload).map(|m| {
            let mut reached = m.solution.clone();
            reached.flights = flights;
            reached.upper_stage_load_kg = load_kg(m.fraction);
            (reached, m.seed)
        })
    };
    // The first move is the last mission's miss taken off, as in the search; then by the secant
    // through the last two moves of this mission and their misses. The miss need not follow the
    // move one for one: Angara-A5/Briz-M to 1,400 km from a 150 km perigee (a long
    // circularization burn) changes its miss by one to three times the move, and the search's
    // rule swung between misses of ±3.5 km until the profile was given up, 3,500 kg below its
    // neighbours. A mission that can no longer be flown once moved (one at the edge of what the
    // stage can circularize from, as a cutoff lowered from halfway up finds) gives way to the
    // next best, up to [`MISSIONS_BROUGHT`].
    let mut first_failure: Option<Error> = None;
    for (rank, m) in ranked.iter().take(MISSIONS_BROUGHT).enumerate() {
        let &&Mission { fraction, perigee_m, share, shift_m: best_shift_m, solution: ref best, seed: best_seed } = m;
        let (mut best, mut best_seed) = (best.clone(), best_seed);
        if rank > 0 {
            // This mission's own miss taken off (the last one flown was another's).
            shift_m.set(best_shift_m - miss_of(&best));
        }
        let mut aims = vec![(best_shift_m, miss_of(&best))];
        let mut iterations = 0;
        // A mission with an offloaded stage or a lowered cutoff is flown again from its own
        // ascent (it was targeted from a neighbour's); one with the full load cut off at the
        // perigee or halfway up from the search's start, as it was first flown.
        let own_start = fraction < 1.0 || lowered_cutoff(share);
        let mut moved_out = false;
        while !target.reached_by(&best.orbit) {
            if iterations == MAX_APOGEE_ITERATIONS {
                // Brought no nearer: the best mission that reached the target stands.
                if let Some(reached) = reached_instead(flights) {
                    return Ok(reached);
                }
                return Err(Error::Unreachable(format!(
                    "{}: the circularization from the ellipse of perigee {:.0} km ends in {:.2} × {:.2} km, not {} within the tolerances, after {MAX_APOGEE_ITERATIONS} moves of its apogee",
                    vehicle.name,
                    perigee_m / 1e3,
                    best.orbit.perigee_altitude_m() / 1e3,
                    best.orbit.apogee_altitude_m() / 1e3,
                    target.describe()
                )));
            }
            iterations += 1;
            if aims.len() >= 2 {
                // The latest move, and the latest before it whose miss has the other sign
                // (regula falsi: the move sought lies between them), else the one before it.
                let (s1, m1) = aims[aims.len() - 1];
                let earlier = &aims[..aims.len() - 1];
                let other = earlier.iter().rev().find(|(_, m)| m.signum() != m1.signum()).or(earlier.last());
                let slope = other.map_or(1.0, |&(s0, m0)| (m1 - m0) / (s1 - s0));
                let slope = if (MIN_APOGEE_MISS_SLOPE..=MAX_APOGEE_MISS_SLOPE).contains(&slope) { slope } else { 1.0 };
                shift_m.set(s1 - m1 / slope);
            }
            let start = if own_start { Some(best_seed) } else { seed.copied() };
            match fly(fraction, perigee_m, share, start.as_ref(), KickSearch::Near) {
                Ok((flown, flown_seed, flown_shift_m)) => {
                    (best, best_seed) = (flown, flown_seed);
                    aims.push((flown_shift_m, miss_of(&best)));
                }
                Err(e) => {
                    first_failure.get_or_insert(Error::Unreachable(format!(
                        "{}: the ellipse of perigee {:.0} km could not be flown with its apogee moved for J2: {e}",
                        vehicle.name,
                        perigee_m / 1e3
                    )));
                    moved_out = true;
                    break;
                }
            }
        }
        if !moved_out {
            best.flights = flights;
            best.upper_stage_load_kg = load_kg(fraction);
            return Ok((best, best_seed));
        }
    }
    reached_instead(flights).ok_or_else(|| {
        first_failure.unwrap_or_else(|| {
            Error::Unreachable(format!("{}: no elliptical orbit under {} could be flown", vehicle.name, target.describe()))
        })
    })
}

/// One mission of [`elliptic_from`]'s search: the load, the ellipse's perigee, where the ascent
/// cut off, the apogee move it was aimed with, and the answer with its ascent's seed.
struct Mission {
    fraction: f64,
    perigee_m: f64,
    share: f64,
    shift_m: f64,
    solution: TransferSolution,
    seed: Seed<4>,
}

/// The load search of [`elliptic_from`], by `payload_at(fraction)` (the largest payload with the
/// last stage loaded with that share of its usable propellant, at one perigee and cutoff; `None`
/// when it cannot be flown) from the full load's `full_kg`. The best load of the elliptic profile
/// lies near the direct ascent's (`hint`, when its load search offloaded the stage: Ariane 62
/// to 400 km, about 65 % of the Vinci stage's load for both) or near the full load (Angara-A5's
/// Briz-M, best nearly empty on the direct ascent and full on this one). So the hint is flown
/// first, then (when it gains nothing) 90 %, and 80 % when 90 % cannot be flown (Vega-C to a
/// 1,800 km SSO: the transfer burns at 90 % were not targeted, and its AVUM+ flew full, 1,721 kg,
/// where at 1,700 and 1,900 km 64 % carried 1,823 and 1,722 kg); a load that gains less than
/// [`ELLIPTIC_LOAD_MIN_GAIN`] leaves the full load standing, one that gains more is followed by
/// [`crate::optimize::scalar::maximize_near`].
fn search_elliptic_load(
    mut payload_at: impl FnMut(f64) -> Option<f64>,
    full_kg: f64,
    hint: Option<f64>,
) -> Option<crate::optimize::scalar::ScalarMaximum> {
    let gains = |kg: Option<f64>| kg.filter(|&kg| kg > full_kg * (1.0 + ELLIPTIC_LOAD_MIN_GAIN));
    let first_step = 1.0 - ELLIPTIC_LOAD_STEP;
    let first = hint.filter(|&f| f < 1.0 - 0.5 * ELLIPTIC_LOAD_STEP).into_iter().chain([first_step, 1.0 - 2.0 * ELLIPTIC_LOAD_STEP]);
    let mut start = None;
    for fraction in first {
        let kg = payload_at(fraction);
        if let Some(kg) = gains(kg) {
            start = Some((fraction, kg));
            break;
        }
        if kg.is_some() && fraction == first_step {
            break;
        }
    }
    let (x0, value0) = start?;
    super::super::scalar::maximize_near(
        |fraction| {
            if fraction == x0 {
                Some(value0)
            } else if fraction == 1.0 {
                Some(full_kg)
            } else {
                payload_at(fraction)
            }
        },
        MIN_UPPER_LOAD_FRACTION,
        1.0,
        x0,
        ELLIPTIC_LOAD_STEP,
        ELLIPTIC_LOAD_TOLERANCE,
        MAX_ELLIPTIC_LOAD_EVALUATIONS,
    )
}

/// First step of [`search_elliptic_load`], share of the stage's usable propellant.
const ELLIPTIC_LOAD_STEP: f64 = 0.1;
/// [`search_elliptic_load`] settles the load to this share.
const ELLIPTIC_LOAD_TOLERANCE: f64 = 0.02;
/// Most loads the refinement of [`search_elliptic_load`] counts (its start and the full load,
/// flown before, among them). Eight leave Brent's method two loads once the steps from 90 %
/// have run to the empty stage: Angara-A5/DM-03 to a 220 km SSO from Vostochny is best near a
/// fifth of its load, 18,855 kg at the steps' 38 % and 19,076 kg at 19 %.
const MAX_ELLIPTIC_LOAD_EVALUATIONS: usize = 8;
/// Least gain over the full load, as a share of its payload, for which [`search_elliptic_load`]
/// searches the load: below it the gain is within the transfer optimizations' own resolution
/// (H-IIA 202 to 800 km: 10,206 kg at 90 %, 10,205 kg full).
const ELLIPTIC_LOAD_MIN_GAIN: f64 = 2e-3;

/// The elliptic profile's mission to the circular target of `ascent` with `payload_kg`: the
/// largest payload's ([`maximize_elliptic_payload`]), then the given payload flown from it
/// through the same ellipse (`fly_elliptic_from`).
pub fn fly_elliptic(ascent: &DirectAscent<'_>, payload_kg: f64, progress: Progress<'_>) -> Result<TransferSolution> {
    let max = maximize_elliptic_payload(ascent, &mut *progress)?;
    fly_elliptic_from(ascent, payload_kg, max, progress)
}

/// [`fly_elliptic`] from `max`, the elliptic profile's largest payload of `ascent` already
/// searched (by [`maximize_elliptic_payload`], or by the payload optimizer when `fly`'s direct
/// ascent failed: [`maximize_payload_keeping_elliptic`]): the given payload flown from it
/// through the same ellipse ([`super::given::fly_transfer_from`]). The answer's flights count
/// on from `max.flights`.
pub(crate) fn fly_elliptic_from(
    ascent: &DirectAscent<'_>,
    payload_kg: f64,
    max: TransferSolution,
    progress: Progress<'_>,
) -> Result<TransferSolution> {
    let DirectAscent { vehicle, site, branch, options, .. } = *ascent;
    let target = &ascent.target;
    let loaded = as_flown(vehicle, max.upper_stage_load_kg);
    let circular = circular_transfer_target(target);
    let transfer = Transfer { vehicle: loaded.as_ref(), site, parking: max.parking, target: circular, branch, options };
    // Cut off below halfway up: at the perigee, or lowered ([`LOWEST_INSERTION_SHARE`]).
    let halfway_m = insertion_height_m(&max.parking, LOFTED_INSERTION_SHARE);
    let below_halfway = max.insertion_height_m < 0.9 * halfway_m;
    let max_flights = max.flights;
    // At the largest payload's cutoff; where that was lowered from halfway up, then higher, at
    // heights evenly between there and halfway up: a lighter payload arrives with more energy to
    // spare (the lofted search below finds only payloads up to halfway up's largest).
    let lowered_m = (below_halfway && max.insertion_height_m > 0.0).then_some(max.insertion_height_m);
    let raised = lowered_m
        .into_iter()
        .flat_map(|h| (1..=RAISED_CUTOFFS_TRIED).map(move |k| h + (halfway_m - h) * k as f64 / (RAISED_CUTOFFS_TRIED + 1) as f64));
    // One attempt cut off at `height_m`, after attempts that failed in `spent` flights: its
    // answer, and the flights failed attempts have spent with it (they count towards the
    // answer's; each attempt reports its flights on from those of the mission it starts from).
    let mut attempt = |height_m: f64, spent: usize| {
        let from = TransferSolution { insertion_height_m: height_m, flights: max_flights + spent, ..max.clone() };
        let (flown, reported) = counting_flights(progress, 0, |p| super::given::fly_transfer_from(&transfer, payload_kg, from, p));
        (flown, spent.max(reported.saturating_sub(max_flights)))
    };
    let (mut flown, mut spent) = attempt(max.insertion_height_m, 0);
    for height_m in raised {
        if flown.is_ok() {
            break;
        }
        (flown, spent) = attempt(height_m, spent);
    }
    let lofted_from = below_halfway.then_some(max_flights + spent);
    let (Err(at_perigee), Some(done)) = (&flown, lofted_from) else { return flown };
    // A payload lighter than the largest may not come down to the ellipse's perigee (Vega-C's
    // solid stages burn out with energy to spare and cannot be shut down): the profile searched
    // again cut off up its ellipses with the stage as its file loads it (a heavier stack comes
    // down lower), and the payload flown from that answer.
    let lofted = elliptic_after_direct(ascent, Insertion::Lofted, Load::AsLoaded, &mut |n| progress(done + n))
        .map(|s| TransferSolution { flights: done + s.flights, ..s });
    let (flown, halfway_kg) = match lofted {
        Ok(lofted) => {
            let halfway_kg = lofted.payload_kg;
            let loaded = as_flown(vehicle, lofted.upper_stage_load_kg);
            let transfer = Transfer { vehicle: loaded.as_ref(), parking: lofted.parking, ..transfer };
            (super::given::fly_transfer_from(&transfer, payload_kg, lofted, progress), Some(halfway_kg))
        }
        Err(_) => (Err(at_perigee.clone()), None),
    };
    match lowered_m {
        // Lighter than the largest payload, yet flown at none of the cutoffs tried: say so,
        // rather than what halfway up carries alone.
        Some(lowered_m) if flown.is_err() && payload_kg < max.payload_kg => {
            Err(no_cutoff_flies(ascent, payload_kg, &max, lowered_m, halfway_m, halfway_kg))
        }
        _ => flown,
    }
}

/// Why `fly_elliptic_from` could not fly `payload_kg`, lighter than the largest payload `max`
/// whose cutoff was lowered to `lowered_m` up its ellipse: at none of the cutoffs tried between
/// there and halfway up (`halfway_m`), which carries at most `halfway_kg` (when its search
/// converged).
fn no_cutoff_flies(
    ascent: &DirectAscent<'_>,
    payload_kg: f64,
    max: &TransferSolution,
    lowered_m: f64,
    halfway_m: f64,
    halfway_kg: Option<f64>,
) -> Error {
    let halfway = halfway_kg.map_or_else(
        || format!("the search cut off halfway up ({:.0} km above the perigee) did not converge", halfway_m / 1e3),
        |kg| format!("cut off halfway up ({:.0} km above the perigee) it carries at most {kg:.0} kg", halfway_m / 1e3),
    );
    let payload_text = crate::units::kg_text(payload_kg);
    Error::Unreachable(format!(
        "{} could not fly {payload_text} kg into {} from {} by the elliptic profile, though it carries up to {:.0} kg there cut off {:.0} km above the perigee of its {:.0} × {:.0} km ellipse: {payload_text} kg was flown neither at that cutoff nor at the {RAISED_CUTOFFS_TRIED} higher ones tried up to halfway (a payload lighter than a cutoff's largest arrives with energy to spare, which stages that cannot be shut down do not shed), and {halfway}",
        ascent.vehicle.name,
        ascent.target.describe(),
        ascent.site.id,
        max.payload_kg,
        lowered_m / 1e3,
        max.parking.perigee_m / 1e3,
        max.parking.apogee_m / 1e3,
    ))
}

/// An elliptic-profile mission as the payload optimizer's answer: the ascent, the whole flight to
/// the circularization's cutoff, the orbit there, and the last stage's load when the profile
/// offloaded it.
pub fn as_payload_solution(s: &TransferSolution) -> PayloadSolution {
    PayloadSolution {
        payload_kg: s.payload_kg,
        launch: s.launch,
        parameters: s.ascent,
        flight: s.flight.clone(),
        orbit: s.orbit,
        upper_stage_load_kg: s.upper_stage_load_kg,
        kick_evaluations: 0,
        flights: s.flights,
        profile: crate::optimize::payload::AscentProfile::Elliptic {
            ellipse: s.parking,
            burns: s.burn_reports.clone(),
            coasts: s.coasts.clone(),
            cutoff_height_m: s.insertion_height_m,
        },
    }
}

/// The payload optimizer's answer for a restartable last stage to a circular orbit the elliptic
/// profile applies to ([`elliptic_profile_applies`]): the direct ascent's ([`direct_ascent`],
/// warm-started from `start` when it flies the stage as loaded), the elliptic profile's or the
/// mission's through the parking orbit ([`through_parking_orbit`]), whichever carries more, the
/// elliptic one started from the direct one ([`elliptic_from`]).
/// The direct answer keeps its warm start for a neighbour; when only the elliptic profile
/// flies (a direct ascent that cannot be targeted), its answer is the elliptic one's. Where no
/// ascent reaches the target's plane and neither the elliptic profile in it nor the parking
/// orbit flies, the elliptic profile from the plane [`ellipse_plane_deg`] gives is the last way
/// (the turn at the apogee, off the node, costs more than the parking orbit's at a node, so
/// that way comes first: Electron/Curie to a 300 km SSO from Vostochny, 226 kg through the
/// parking orbit, 182 kg turned at the apogee). Where nothing flies in the target's plane and the
/// direct ascent only ran out of its budget, [`after_the_direct_budget`] answers.
pub(crate) fn better_of_direct_and_elliptic(
    ascent: &DirectAscent<'_>,
    start: Option<&crate::optimize::payload::WarmStart>,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    better_of_direct_and_elliptic_keeping(ascent, start, &mut None, progress)
}

/// [`better_of_direct_and_elliptic`], handing the elliptic profile's own answer (its largest
/// payload's mission, or why it failed) out in `elliptic` whatever the answer.
fn better_of_direct_and_elliptic_keeping(
    ascent: &DirectAscent<'_>,
    start: Option<&crate::optimize::payload::WarmStart>,
    elliptic: &mut Option<Result<TransferSolution>>,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    let DirectAscent { vehicle, ref target, .. } = *ascent;
    // A kick stage offloaded to the circularization, rather than flown as its file loads it.
    let kick_stage = circularization_load_kg(vehicle, target, target.inclination_deg).is_some();
    let (direct, seed, direct_flights) = direct_with_load_search(ascent, start, kick_stage, progress);
    // Whether the direct ascent only ran out of its budget: the refusal, when nothing else flies,
    // then looks again ([`after_the_direct_budget`]).
    let direct_ran_out = matches!(direct, Err(Error::FlightBudget { .. }));
    // The elliptic profile's load search starts from the direct ascent's best load.
    let hint = direct.as_ref().ok().and_then(|d| d.solution.upper_stage_load_kg).map(|kg| load_fraction(vehicle, kg));
    // Without the direct ascent's solution, the profile flies the direct ascent to the parking
    // orbit's altitude for its start.
    let mut low = None;
    let (found, elliptic_flown) = counting_flights(progress, direct_flights, |p| {
        elliptic_from(ascent, target.inclination_deg, seed.as_ref(), Insertion::PerigeeFirst, Load::Searched { hint }, &mut low, p)
    });
    let elliptic_seed = found.as_ref().ok().map(|(_, seed)| *seed);
    let elliptic_flights = found.as_ref().map_or(elliptic_flown, |(e, _)| e.flights);
    let found = &*elliptic.insert(found.map(|(s, _)| s));
    let flown = direct_flights + elliptic_flights;
    let better = match (direct, found, elliptic_seed) {
        (Ok(mut d), Ok(e), _) => {
            if e.payload_kg > d.solution.payload_kg {
                d.solution = as_payload_solution(e);
                d.warm_started = false;
            }
            Ok(d)
        }
        (Ok(d), Err(_), _) => Ok(d),
        // Only the elliptic profile flies: its answer, and its ascent to the ellipse as a
        // neighbour's start (a direct targeting started there falls back to the built-in guesses
        // when it cannot be targeted).
        (Err(_), Ok(e), Some(seed)) => Ok(crate::optimize::payload::WarmSolution {
            solution: as_payload_solution(e),
            warm_start: crate::optimize::payload::WarmStart::from_seed(seed),
            warm_started: false,
            refinement_cut_short: false,
        }),
        // Neither flies: why the elliptic profile could not, when the direct ascent only ran out
        // of its budget.
        (Err(Error::FlightBudget { .. }), Err(e), _) => Err(e.clone()),
        (Err(d), _, _) => Err(d),
    };
    // The mission through the parking orbit, as the named orbits above low orbit are flown,
    // when it carries more; not weighed for a stage that burns past a revolution of the parking
    // orbit unless nothing else flies.
    let weigh = better.is_err() || !burns_past_a_parking_revolution(vehicle);
    // The parking mission reports the flights from `flown` on (none when it is not flown).
    let (found, reported) = counting_flights(progress, 0, |p| or_through_parking_orbit(ascent, better, flown, weigh, p));
    let flown = flown.max(reported);
    // Neither flies, and no ascent reaches the target's plane: the elliptic profile from the
    // plane the parking orbit flies in, its circularization turning the rest.
    let plane_deg = ellipse_plane_deg(ascent);
    if plane_deg == target.inclination_deg && direct_ran_out && !kick_stage {
        if let Err(refused) = found {
            return after_the_direct_budget(ascent, refused, low, flown, progress);
        }
    }
    match found {
        Err(Error::Unreachable(why)) if plane_deg != target.inclination_deg => {
            elliptic_turning_the_plane(ascent, plane_deg, &why, flown, elliptic, progress).0
        }
        // Within [`CIRCULAR_WITHIN_M`] above the parking orbit, the parking mission's transfer
        // is itself nearly circular, a climb of tens of km with two more burns, and no better
        // placed than the ellipse under the target: both are weighed (Soyuz-2.1b/Fregat-MT to a
        // 220 km SSO from Vostochny: 5,166 kg through the parking orbit, 6,525 kg turned at the
        // apogee).
        Ok(parked) if plane_deg != target.inclination_deg && target.apogee_m < PARKING_ALTITUDE_M + CIRCULAR_WITHIN_M => {
            let kept = elliptic.take();
            let flown = flown.max(parked.solution.flights);
            let (turned, turned_flights) = elliptic_turning_the_plane(ascent, plane_deg, "", flown, elliptic, progress);
            match turned {
                Ok(turned) if turned.solution.payload_kg > parked.solution.payload_kg => Ok(turned),
                _ => {
                    *elliptic = kept;
                    Ok(crate::optimize::payload::WarmSolution {
                        solution: PayloadSolution { flights: flown + turned_flights, ..parked.solution },
                        ..parked
                    })
                }
            }
        }
        found => found,
    }
}

/// The direct ascent beside the elliptic profile ([`direct_ascent`], started from `start`), with,
/// unless the last stage is a `kick_stage` (offloaded to the circularization), the load search
/// within what is left of [`DIRECT_ASCENT_FLIGHTS`]; the seed of its ascent as loaded, the one the
/// elliptic profile starts from; and the flights both took.
fn direct_with_load_search(
    ascent: &DirectAscent<'_>,
    start: Option<&crate::optimize::payload::WarmStart>,
    kick_stage: bool,
    progress: Progress<'_>,
) -> (Result<crate::optimize::payload::WarmSolution>, Option<Seed<4>>, usize) {
    // Either search may fail after flying.
    let (direct, direct_flown) = counting_flights(progress, 0, |p| direct_ascent(ascent, start, p));
    let loaded_flights = direct.as_ref().map_or(direct_flown, |d| d.solution.flights);
    let seed = direct.as_ref().ok().map(|d| *d.warm_start.seed());
    // A stage that flies as loaded in the elliptic profile (it burns its load within a quarter of
    // the target's period: Vega-C's AVUM+, Ariane 6's Vinci) may carry more offloaded on the direct
    // ascent, as it does to a low orbit: the load search too, from the ascent as loaded (the
    // one the elliptic profile starts from).
    let direct = match direct {
        Ok(loaded) if !kick_stage => {
            // The search keeps the full load's answer unless a load carries more, so it never
            // fails; handed back, that answer flies the stage as its file loads it.
            let loaded_kg = loaded.solution.payload_kg;
            let budget = DIRECT_ASCENT_FLIGHTS.saturating_sub(loaded_flights);
            maximize_offloaded_payload(ascent, &[], Some(loaded), budget, None, &mut |n| progress(loaded_flights + n)).map(|mut w| {
                if w.solution.payload_kg <= loaded_kg {
                    w.solution.upper_stage_load_kg = None;
                }
                w.solution.flights += loaded_flights;
                w
            })
        }
        other => other,
    };
    let direct_flights = direct.as_ref().map_or(loaded_flights, |d| d.solution.flights);
    (direct, seed, direct_flights)
}

/// The answer of [`better_of_direct_and_elliptic`] when the direct ascent (its last stage flown as
/// loaded) only ran out of its budget and nothing else flew (`refused`, after `flown` flights),
/// the elliptic profile having flown the direct ascent to the parking orbit's altitude in the
/// target's plane for its start (`low`). Where that ascent flew, the stack reaches orbit: the
/// direct ascent is searched again from it, as a sweep's neighbour is, within the same budget
/// (Atlas V 401 with a 2 t Centaur load to 200 km, a nearly single-stage stack: some 4,100
/// flights from the built-in guesses, past the budget, then found at once from the ascent to
/// the same orbit). Where it failed, its reason is the refusal: it is the search a last stage
/// that burns once gets, and it says why (a Δv shortfall) where the elliptic profile, its
/// ellipses started from nothing, only says that none could be targeted; for another target
/// the profile's reason follows it.
fn after_the_direct_budget(
    ascent: &DirectAscent<'_>,
    refused: Error,
    low: Option<Result<crate::optimize::payload::WarmSolution>>,
    flown: usize,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    let name = format!("{}: ", ascent.vehicle.name);
    match low {
        Some(Ok(reached)) => {
            let (again, _, again_flights) = direct_with_load_search(ascent, Some(&reached.warm_start), false, &mut |n| progress(flown + n));
            again
                .map(|mut d| {
                    d.solution.flights = flown + again_flights;
                    d.warm_started = false;
                    d
                })
                .or(Err(refused))
        }
        Some(Err(Error::Unreachable(why))) => {
            let target = &ascent.target;
            let same_orbit = target.perigee_m == PARKING_ALTITUDE_M && target.apogee_m == PARKING_ALTITUDE_M;
            match refused {
                Error::Unreachable(elliptic) if !same_orbit => {
                    let elliptic = elliptic.strip_prefix(&name).unwrap_or(&elliptic);
                    Err(Error::Unreachable(format!("{why}; {elliptic}")))
                }
                _ => Err(Error::Unreachable(why)),
            }
        }
        _ => Err(refused),
    }
}

/// The elliptic profile's answer to the circular target of `ascent` from its ellipses in the
/// plane `plane_deg`, when no ascent reaches the target's plane and the other ways failed
/// (`why`, after `flown` flights, the count it goes on from) or flew a nearly circular transfer;
/// its own answer, or why it failed, handed out in `elliptic` as
/// [`better_of_direct_and_elliptic_keeping`] does; and the flights it took itself.
fn elliptic_turning_the_plane(
    ascent: &DirectAscent<'_>,
    plane_deg: f64,
    why: &str,
    flown: usize,
    elliptic: &mut Option<Result<TransferSolution>>,
    progress: Progress<'_>,
) -> (Result<crate::optimize::payload::WarmSolution>, usize) {
    let (turned, counted) = counting_flights(progress, flown, |p| {
        elliptic_from(ascent, plane_deg, None, Insertion::PerigeeFirst, Load::Searched { hint: None }, &mut None, p)
    });
    let own_flights = turned.as_ref().map_or(counted, |(e, _)| e.flights);
    let answer = match turned {
        Ok((e, seed)) => {
            let solution = PayloadSolution { flights: flown + e.flights, ..as_payload_solution(&e) };
            *elliptic = Some(Ok(e));
            Ok(crate::optimize::payload::WarmSolution {
                solution,
                warm_start: crate::optimize::payload::WarmStart::from_seed(seed),
                warm_started: false,
                refinement_cut_short: false,
            })
        }
        Err(e) => {
            let refused = match &e {
                Error::Unreachable(turned_why) => Error::Unreachable(format!(
                    "{why}; by the elliptic profile from {plane_deg:.2}°, turning the plane at the apogee: {}",
                    turned_why.strip_prefix(&format!("{}: ", ascent.vehicle.name)).unwrap_or(turned_why)
                )),
                other => other.clone(),
            };
            *elliptic = Some(Err(e));
            Err(refused)
        }
    };
    (answer, own_flights)
}

/// Whether the last stage of `vehicle` burns its whole load at full thrust for longer than one
/// revolution of the [`PARKING_ALTITUDE_M`] parking orbit (some 5,300 s): Electron's Curie,
/// some 6,400 s. The mission through the parking orbit is then not weighed unless nothing else
/// flies: its perigee burns, each kept within [`MAX_PERIGEE_ARC_DEG`] of the orbit, would
/// take more than the stage is rated for, and each try took 2 to 3 s to fail. Briz-M (some
/// 3,300 s) is weighed: from Vostochny its parking mission carries 12,155 kg to a 5,000 km
/// circular orbit, where the elliptic profile, its stage offloaded to the circularization,
/// carries 9,235 kg.
fn burns_past_a_parking_revolution(vehicle: &Vehicle) -> bool {
    let Some(s) = vehicle.stages.last() else { return false };
    let r = WGS84_A_M + PARKING_ALTITUDE_M;
    let period_s = std::f64::consts::TAU * (r.powi(3) / MU_EARTH_M3_S2).sqrt();
    s.total_propellant_kg() / s.mass_flow_kg_s().max(1e-9) > period_s
}

/// `found` (the answer of the direct ascent, or of the elliptic profile beside it, after
/// `flown` flights) or, when `weigh` and it carries more into the target within the
/// tolerances, the mission through the parking orbit ([`through_parking_orbit`]); that
/// mission's ascent is then a neighbour's start. The flights count both. The error is
/// `found`'s when neither flies.
fn or_through_parking_orbit(
    ascent: &DirectAscent<'_>,
    found: Result<crate::optimize::payload::WarmSolution>,
    flown: usize,
    weigh: bool,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    let (parking, parking_flights) = if weigh {
        // The only way when the direct ascent failed: then lighter loads of a last stage whose
        // whole load the parking ascent cannot lift are tried too.
        parking_mission(ascent, found.is_err(), flown, progress)
    } else {
        (Err(Error::Unreachable("not weighed".to_owned())), 0)
    };
    better_of_found_and_parking(ascent, found, parking, weigh).map(|mut b| {
        b.solution.flights = flown + parking_flights;
        b
    })
}

/// The answer of the mission through the parking orbit, and its ascent as a neighbour's start.
type ParkingMission = Result<(TransferSolution, crate::optimize::payload::WarmStart)>;

/// The mission through the parking orbit ([`through_parking_orbit`], lighter loads of the last
/// stage tried when `only_way`), its progress counted on from `done` flights, and the flights it
/// took.
fn parking_mission(ascent: &DirectAscent<'_>, only_way: bool, done: usize, progress: Progress<'_>) -> (ParkingMission, usize) {
    let (parking, flown) = counting_flights(progress, done, |p| through_parking_orbit(ascent, only_way, p));
    let flights = parking.as_ref().map_or(flown, |(t, _)| t.flights);
    (parking, flights)
}

/// The answer of `found` (the direct ascent's or the elliptic profile's) or of `parking` (the
/// mission through the parking orbit), whichever carries more; the mission only when it meets
/// the target within the direct ascent's tolerances (the transfer accepts its orbit 50 km off,
/// [`REACHED_RADIUS_M`]). Neither flying: `found`'s error, with the mission's beside it when
/// it was `weighed`.
fn better_of_found_and_parking(
    ascent: &DirectAscent<'_>,
    found: Result<crate::optimize::payload::WarmSolution>,
    parking: ParkingMission,
    weighed: bool,
) -> Result<crate::optimize::payload::WarmSolution> {
    let parking = parking.and_then(|(t, warm_start)| {
        if ascent.target.reached_by(&t.orbit) {
            Ok((t, warm_start))
        } else {
            Err(Error::Unreachable(format!(
                "the mission ends in {:.1} × {:.1} km at {:.2}°, not the target within the tolerances",
                t.orbit.perigee_altitude_m() / 1e3,
                t.orbit.apogee_altitude_m() / 1e3,
                t.orbit.inclination_rad.to_degrees()
            )))
        }
    });
    match (found, parking) {
        (Ok(b), Ok((t, _))) if b.solution.payload_kg >= t.payload_kg => Ok(b),
        (_, Ok((t, warm_start))) => Ok(crate::optimize::payload::WarmSolution {
            solution: as_payload_solution(&t),
            warm_start,
            warm_started: false,
            refinement_cut_short: false,
        }),
        // Neither flies: why not, both ways; a direct ascent that only ran out of flights says
        // so beside the mission's reason (Vega-C to 1,000 × 35,786 km: its AVUM+ alone is
        // 339 m/s short of the transfer from the parking orbit).
        (Err(budget @ Error::FlightBudget { .. }), Err(Error::Unreachable(parked))) if weighed => {
            Err(Error::Unreachable(format!("{budget}; through the {:.0} km parking orbit: {parked}", PARKING_ALTITUDE_M / 1e3)))
        }
        (Err(Error::Unreachable(why)), Err(Error::Unreachable(parked))) if weighed => Err(Error::Unreachable(format!(
            "{why}; through the {:.0} km parking orbit: {}",
            PARKING_ALTITUDE_M / 1e3,
            parked.strip_prefix(&format!("{}: ", ascent.vehicle.name)).unwrap_or(&parked)
        ))),
        (found, Err(_)) => found,
    }
}

/// Whether the mission through the parking orbit is weighed beside the direct ascent of
/// `vehicle` to `target` ([`better_of_direct_and_parking`]): a restartable last stage, no
/// designated drop zones (the mission is not shaped by them), and an eccentric target, given
/// by its elements rather than by `--orbit`, whose perigee lies no more than
/// [`PERIGEE_BURNS_ONLY_WITHIN_M`] below the parking orbit's (the transfer's own bound); the
/// mission sets that perigee (the last perigee burn's pitch or an apogee burn), even one at
/// the parking orbit's, which the perigee burns alone lift by tens of km (Fregat-MT to
/// 200 × 100,000 km: 271 km; [`TransferTarget::Orbit`]'s `exact_perigee`). Not for
/// a stage that burns past a revolution of the parking orbit
/// ([`burns_past_a_parking_revolution`]: Electron's Curie). A circular target is weighed with
/// the elliptic profile ([`better_of_direct_and_elliptic`]).
pub(crate) fn parking_orbit_weighed(vehicle: &Vehicle, target: &TargetOrbit, zones_given: bool) -> bool {
    !zones_given
        && vehicle.stages.last().is_some_and(|s| s.max_burns() > 1)
        && target.apogee_m - target.perigee_m >= CIRCULAR_WITHIN_M
        && target.perigee_m >= PARKING_ALTITUDE_M - PERIGEE_BURNS_ONLY_WITHIN_M
        && !burns_past_a_parking_revolution(vehicle)
}

/// The payload optimizer's answer for a restartable last stage to an eccentric target
/// ([`parking_orbit_weighed`]): the direct ascent's, its load searched
/// ([`maximize_offloaded_payload`]), or the mission's through the [`PARKING_ALTITUDE_M`]
/// parking orbit (its perigee burns raising the apogee, the last one's pitch or an apogee burn
/// setting the perigee), the one `--orbit` with these elements flies but for the perigee it
/// always sets, whichever carries more into the target. Lifting the whole stack under power to
/// the transfer's energy costs dearly: to Kourou's 250 × 35,943 km GTO at 6°, Angara-A5/Briz-M
/// carries 9,349 kg directly and 10,638 kg through the parking orbit (its load searched there),
/// Soyuz-2.1b/Fregat-MT about 3,290 and 3,496 kg; from Vostochny to 1,000 × 35,786 km, Ariane 62
/// 2,761 and 5,431 kg; to 200 × 35,786 km, Briz-M 5,414 and 9,635 kg. The mission's answer
/// counts only when it meets the target within the direct ascent's tolerances: the transfer
/// accepts its orbit 50 km off ([`REACHED_RADIUS_M`]); the direct answer stands when it ends
/// farther off.
///
/// The mission is flown first (100 to 7,000 flights over the catalog). Where it flies, the
/// direct ascent's load search skips the final search of its best load's kick when the mission
/// carries more than that search could add, and keeps to its first pass, each load's search
/// held to the cold budget: a direct ascent none of whose loads converges there lies at the
/// edge of what lifting the whole stack can reach, and flying every load again without the
/// budget took Falcon 9 from Vostochny to 1,000 × 35,786 km 160,000 flights to fail, and
/// PSLV-XL 1,800 more to carry 460 kg beside the mission's 838 kg. Over the restartable
/// vehicles × seven eccentric targets, no direct answer that beat the mission took more than
/// 4,000 flights. Where the mission fails, the direct ascent searches as it always has, and
/// where that fails too the mission is flown again with lighter loads of its last stage, the
/// only way left.
pub(crate) fn better_of_direct_and_parking(
    ascent: &DirectAscent<'_>,
    progress: Progress<'_>,
) -> Result<crate::optimize::payload::WarmSolution> {
    // The mission first: where it flies, the direct ascent's load search keeps to its first pass.
    // Its answer is kept as flown (the tolerances are applied when the two are weighed), so that
    // only a mission that failed is flown again, not one that ended off the target.
    let (mut parking, mut parking_flights) = parking_mission(ascent, false, 0, progress);
    let carried_kg = parking.as_ref().ok().filter(|(t, _)| ascent.target.reached_by(&t.orbit)).map(|(t, _)| t.payload_kg);
    let (direct, flown) =
        counting_flights(progress, parking_flights, |p| maximize_offloaded_payload(ascent, &[], None, usize::MAX, carried_kg, p));
    let direct_flights = direct.as_ref().map_or(flown, |d| d.solution.flights);
    if direct.is_err() && matches!(parking, Err(Error::Unreachable(_))) {
        // Neither flew: the mission is the only way left, lighter loads of its last stage too.
        let (again, flown) = parking_mission(ascent, true, parking_flights + direct_flights, progress);
        (parking, parking_flights) = (again, parking_flights + flown);
    }
    better_of_found_and_parking(ascent, direct, parking, true).map(|mut b| {
        b.solution.flights = parking_flights + direct_flights;
        b
    })
}

/// The mission to the target of `ascent` through the [`PARKING_ALTITUDE_M`] parking orbit
/// ([`MissionTarget::for_vehicle`]), the one `--orbit` with the same elements flies but for its
/// perigee, met within the tolerances even at the parking orbit's (`exact_perigee`); `None` for
/// a last stage that does not restart.
pub(crate) fn via_parking_orbit<'a>(ascent: &DirectAscent<'a>) -> Option<Transfer<'a>> {
    let DirectAscent { vehicle, site, target, branch, options } = *ascent;
    let orbit = TransferTarget::Orbit {
        perigee_m: target.perigee_m,
        apogee_m: target.apogee_m,
        inclination_deg: target.inclination_deg,
        argument_of_perigee_deg: target.argument_of_perigee_deg,
        exact_perigee: true,
    };
    let MissionTarget::Transfer { parking, target } = MissionTarget::for_vehicle(vehicle, site, orbit) else { return None };
    Some(Transfer { vehicle, site, parking, target, branch, options })
}

/// The target of `ascent` reached through the [`PARKING_ALTITUDE_M`] parking orbit
/// ([`via_parking_orbit`]), the way `--orbit meo` flies it: weighed beside the direct
/// ascent (and beside the elliptic profile, for a circular target). A circular orbit thousands of km up is out of a direct
/// ascent's reach, and the ellipses under it ask the ascent to lift the whole stack to its
/// apogee in one burn (Angara-A5/Briz-M to 10,000 km and above, Fregat and DM-03 to 20,000 km:
/// every ellipse refused after 4 to 8 s; Briz-M to 15,000 km: 3,873 kg), where a low parking
/// orbit, perigee burns and the apogee's circularization carry 6,353 kg (Briz-M, 20,000 km at
/// 51.9°) and 7,073 kg (15,000 km). `None` when the stage cannot fly that mission (Falcon 9's
/// second stage, rated for two burns, needs three). `only_way`: the direct ascent failed.
fn through_parking_orbit(
    ascent: &DirectAscent<'_>,
    only_way: bool,
    progress: Progress<'_>,
) -> Result<(TransferSolution, crate::optimize::payload::WarmStart)> {
    let transfer = via_parking_orbit(ascent).ok_or_else(|| Error::Unreachable("its last stage does not restart".to_owned()))?;
    super::maximize_transfer_payload_beside(&transfer, None, only_way, progress)
}

/// [`crate::optimize::payload::maximize_payload`] (no drop zones, no warm start), handing out in
/// `elliptic` the elliptic profile's own answer when the optimizer searched it (its largest
/// payload's mission or why it failed; left `None` when the profile does not apply): `fly`,
/// when the direct ascent with a given payload fails, flies that payload from it
/// ([`fly_elliptic_from`]) instead of searching the profile again.
pub(crate) fn maximize_payload_keeping_elliptic(
    ascent: &DirectAscent<'_>,
    elliptic: &mut Option<Result<TransferSolution>>,
    progress: Progress<'_>,
) -> Result<PayloadSolution> {
    let DirectAscent { vehicle, site, ref target, branch, options } = *ascent;
    // The dispatch of `maximize_payload_from` with no zones: the elliptic profile's condition
    // implies the restartable last stage.
    if !elliptic_profile_applies(vehicle, target) {
        return crate::optimize::payload::maximize_payload(vehicle, site, target, branch, options, progress);
    }
    better_of_direct_and_elliptic_keeping(ascent, None, elliptic, progress).map(|w| w.solution)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest payload of the named orbit `perigee_m` × `apogee_m` at `inclination_deg`
    /// (perigee left where the perigee burns put it, argument of perigee free) through the
    /// 200 km parking orbit in its plane: the mission `--orbit` flies with these elements.
    fn named_through_parking(v: &Vehicle, site: &Site, perigee_m: f64, apogee_m: f64, inclination_deg: f64) -> TransferSolution {
        let target = TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg: None, exact_perigee: false };
        let parking =
            TargetOrbit { perigee_m: PARKING_ALTITUDE_M, apogee_m: PARKING_ALTITUDE_M, inclination_deg, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        maximize_transfer_payload(&Transfer { vehicle: v, site, parking, target, branch: Branch::Northbound, options }, &mut |_| {})
            .expect("named")
    }

    /// A circular orbit at GSO altitude in Vostochny's own plane: no direct ascent and no
    /// ellipse under it can be flown with Fregat's whole load, so the answer is the mission
    /// through the 200 km parking orbit, the one `--orbit` with these elements flies (refused
    /// before, naming a 35,686 × 35,786 km "parking orbit").
    #[test]
    fn a_circular_orbit_beyond_the_ellipses_reach_is_flown_through_a_parking_orbit() {
        let (v, _) = crate::vehicle::resolve_vehicle("soyuz-2.1b-fregat").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 35_786e3, apogee_m: 35_786e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let found =
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("through a parking orbit");
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        let crate::optimize::payload::AscentProfile::Elliptic { ellipse, ref burns, .. } = found.profile else {
            panic!("{:?}", found.profile)
        };
        assert_eq!((ellipse.perigee_m, ellipse.apogee_m), (PARKING_ALTITUDE_M, PARKING_ALTITUDE_M));
        assert!(burns.len() >= 3, "{} burns", burns.len());
        // The mission `--orbit` flies with these elements: from the parking orbit in the
        // target's plane to the circular orbit, its argument of perigee free.
        let named = named_through_parking(&v, site, 35_786e3, 35_786e3, 51.9);
        assert!((found.payload_kg - named.payload_kg).abs() < 1.0, "{:.1} kg against {:.1} kg", found.payload_kg, named.payload_kg);
    }

    /// The largest payload is the most the vehicle carries: 10 kg less, flown by the given
    /// payload's search (which takes the ascent's shape wherever the most propellant is left),
    /// keeps about as much propellant, not hundreds of kilograms. Falcon 9 to a 700 km SSO from
    /// Vostochny had its kick searched holding back some 5 t for a circularization of about 1 t:
    /// the answer was 16,110 kg, and 16,100 kg flown kept 313 kg (now 16,412 kg, and 10 kg).
    #[test]
    fn the_largest_payload_leaves_nothing_to_spare_when_flown() {
        let (v, _) = crate::vehicle::resolve_vehicle("falcon-9-block-5").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 700e3, apogee_m: 700e3, inclination_deg: 97.6, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let largest =
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, options, &mut |_| {}).expect("largest");
        assert!(matches!(largest.profile, crate::optimize::payload::AscentProfile::Elliptic { .. }), "{:?}", largest.profile);
        let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options };
        let flown = fly_elliptic(&ascent, largest.payload_kg - 10.0, &mut |_| {}).expect("flown");
        assert!(target.reached_by(&flown.orbit), "{:?}", flown.orbit);
        assert!(flown.propellant_left_kg < 30.0, "{:.0} kg carried, {:.1} kg left", largest.payload_kg, flown.propellant_left_kg);
    }

    /// The largest payloads of catalog vehicle `id` from Vostochny to circular orbits of
    /// `altitudes_m` at 97.6°: three points of its SSO payload chart.
    fn vostochny_sso_chart_kg(id: &str, altitudes_m: [f64; 3]) -> [f64; 3] {
        let (v, _) = crate::vehicle::resolve_vehicle(id).expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        altitudes_m.map(|altitude_m| {
            let target = TargetOrbit { perigee_m: altitude_m, apogee_m: altitude_m, inclination_deg: 97.6, argument_of_perigee_deg: None };
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("an SSO")
                .payload_kg
        })
    }

    /// The payload over the altitude is smooth where the ascent to the lowest ellipse moves far
    /// from its first guess of the propellant held back: Falcon 9 to a 1,300 km SSO from
    /// Vostochny holds back 1.9 t where it guessed 9.5 t, and the ascent retargeted in one move
    /// did not converge, so the kick stayed the guess's: 14,220 kg between 14,839 kg at 1,200 km
    /// and 13,913 kg at 1,400 km. Moved in steps, the kick is searched again there.
    #[test]
    fn a_large_move_of_the_held_back_propellant_is_made_in_steps() {
        let [below, at, above] = vostochny_sso_chart_kg("falcon-9-block-5", [1_200e3, 1_300e3, 1_400e3]);
        assert!(at > 0.995 * 0.5 * (below + above), "{below:.0}, {at:.0}, {above:.0} kg at 1,200, 1,300, 1,400 km");
    }

    /// A kick searched far from its start climbs to the summit: Long March 3B/E to a 1,700 km
    /// SSO from Vostochny, its 150 km ellipse's ascent started from the direct ascent's, whose
    /// kick is a fifth of the ellipse's. The search over the whole kick range opened with a
    /// step across it that could not be targeted and crept toward it, stopping 0.2 in ln(kick)
    /// short of the summit: 8,857 kg between 9,043 kg at 1,600 km and 8,791 kg at 1,800 km.
    #[test]
    fn a_kick_far_from_its_start_is_climbed_to() {
        let [below, at, above] = vostochny_sso_chart_kg("long-march-3b-e", [1_600e3, 1_700e3, 1_800e3]);
        assert!(at > 0.997 * 0.5 * (below + above), "{below:.0}, {at:.0}, {above:.0} kg at 1,600, 1,700, 1,800 km");
    }

    /// The payload falls steadily through 200 km: the elliptic profile flies that target too,
    /// by the lowest ellipse the coast allows. It applied above 200 km only, from 201 km by a
    /// 101 km perigee, and Falcon 9 from Vostochny at 51.9° carried 21,122 kg to 200 km and
    /// some 21,800 kg to 210 km.
    #[test]
    fn the_payload_falls_steadily_through_200_km() {
        let (v, _) = crate::vehicle::resolve_vehicle("falcon-9-block-5").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        let [below, at, above] = [190e3, 200e3, 210e3].map(|altitude_m: f64| {
            let target = TargetOrbit { perigee_m: altitude_m, apogee_m: altitude_m, inclination_deg: 51.9, argument_of_perigee_deg: None };
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("a low orbit")
        });
        let crate::optimize::payload::AscentProfile::Elliptic { ellipse, .. } = at.profile else { panic!("{:?}", at.profile) };
        assert!((ellipse.perigee_m - LOWEST_ELLIPSE_PERIGEE_M).abs() < 1.0, "{ellipse:?}");
        let kg = [below.payload_kg, at.payload_kg, above.payload_kg];
        assert!(kg[0] > kg[1] && kg[1] > kg[2], "{kg:.0?} kg at 190, 200, 210 km");
    }

    /// The elliptic profile's load search flies a load whose ascent cannot be cut off at the
    /// perigee cut off up its ellipse instead. Soyuz-2.1b/Fregat-MT from Vostochny to its 220 km
    /// SSO (0.6° of plane to turn at the apogee): below some 45 % of Fregat's load, no ellipse
    /// cut off at its perigee was targeted, the search stopped at 63 % and carried 5,935 kg,
    /// where the 240 km SSO (0.54° to turn) carries 6,410 kg through the parking orbit.
    #[test]
    fn a_load_the_perigee_cutoff_cannot_fly_is_cut_off_up_the_ellipse() {
        let (v, _) = crate::vehicle::resolve_vehicle("soyuz-2.1b-fregat").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        let [low, high] = [220e3, 240e3].map(|altitude_m: f64| {
            let inclination_deg = crate::mission::orbits::sun_synchronous_inclination_deg(altitude_m / 1e3).expect("an SSO");
            let target = TargetOrbit { perigee_m: altitude_m, apogee_m: altitude_m, inclination_deg, argument_of_perigee_deg: None };
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("an SSO")
        });
        assert!(
            matches!(low.profile, crate::optimize::payload::AscentProfile::Elliptic { .. }) && low.upper_stage_load_kg.is_some(),
            "{:?}, load {:?}",
            low.profile,
            low.upper_stage_load_kg
        );
        assert!(low.payload_kg > 0.98 * high.payload_kg, "{:.0} kg to 220 km, {:.0} kg to 240 km", low.payload_kg, high.payload_kg);
    }

    /// An inclination below the pad's latitude (Electron/Curie from Mahia, 39.3° S, to 500 km at
    /// 37°) is reached only through the parking orbit, the kick stage turning the plane. The
    /// ascent cannot lift Curie's whole load into the parking orbit, so lighter loads are
    /// searched (refused before: "the ascent to the parking orbit … could not be targeted").
    /// The 2.3° turn costs payload against the pad's own plane, and the lower orbit carries
    /// more: its load search, down from a full load that flies, searches the kick afresh far
    /// from the best load (it found 260 kg to 300 km against 273 kg to 500 km before).
    #[test]
    fn a_kick_stage_too_heavy_for_the_parking_ascent_is_offloaded_to_turn_the_plane() {
        let (v, _) = crate::vehicle::resolve_vehicle("electron-curie").expect("catalog");
        let site = crate::vehicle::SiteCatalog::builtin().expect("sites").get("mahia").expect("site").clone();
        let maximize = |altitude_m, inclination_deg| {
            let target = TargetOrbit { perigee_m: altitude_m, apogee_m: altitude_m, inclination_deg, argument_of_perigee_deg: None };
            crate::optimize::payload::maximize_payload(&v, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .map(|found| (target, found))
        };
        let (target, turned) = maximize(500e3, 37.0).expect("through the parking orbit");
        assert!(turned.within_tolerance(&target), "{:?}", turned.orbit);
        let full_kg = v.stages.last().expect("kick stage").propellant_mass_kg;
        assert!(turned.upper_stage_load_kg.is_some_and(|kg| kg < 0.5 * full_kg), "{:?}", turned.upper_stage_load_kg);
        let (_, own_plane) = maximize(500e3, 39.3).expect("direct");
        assert!(
            turned.payload_kg < own_plane.payload_kg && turned.payload_kg > 0.8 * own_plane.payload_kg,
            "{} against {}",
            turned.payload_kg,
            own_plane.payload_kg
        );
        let (target, lower) = maximize(300e3, 37.0).expect("through the parking orbit");
        assert!(lower.within_tolerance(&target), "{:?}", lower.orbit);
        assert!(lower.payload_kg > turned.payload_kg, "{} kg to 300 km, {} kg to 500 km", lower.payload_kg, turned.payload_kg);
    }

    /// Only a stage whose load burns past a revolution of the parking orbit is kept off the
    /// parking mission: Curie (some 6,400 s), not Briz-M (3,300 s) nor Fregat-MT.
    #[test]
    fn only_a_stage_burning_past_a_parking_revolution_skips_the_parking_mission() {
        let stage = |id: &str| crate::vehicle::resolve_vehicle(id).expect("catalog").0;
        assert!(burns_past_a_parking_revolution(&stage("electron-curie")));
        assert!(!burns_past_a_parking_revolution(&stage("angara-a5-briz-m")));
        assert!(!burns_past_a_parking_revolution(&stage("soyuz-2.1b-fregat")));
    }

    /// A circular orbit no way reaches (Falcon 9 to 20,000 km: its second stage cannot loft the
    /// stack to an ellipse under it in one burn, and the mission through the parking orbit needs
    /// three burns of a stage rated for two) is refused saying why both ways, the ellipse named
    /// as an ellipse (the refusal named it "the parking orbit 19900 × 20000 km" before).
    #[test]
    fn a_circular_orbit_out_of_reach_is_refused_saying_why_each_way_fails() {
        let (v, _) = crate::vehicle::resolve_vehicle("falcon-9-block-5").expect("catalog");
        let site = crate::vehicle::SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
        let target = TargetOrbit { perigee_m: 20_000e3, apogee_m: 20_000e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let e = crate::optimize::payload::maximize_payload(&v, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .expect_err("out of reach")
            .to_string();
        assert!(e.contains("no elliptical orbit under") && !e.contains("parking orbit 19900"), "{e}");
        assert!(e.contains("through the 200 km parking orbit") && e.contains("more than the 2 it is rated for"), "{e}");
    }

    /// An eccentric target given by its elements, Kourou's GTO: Briz-M's long burns lift the
    /// whole stack less dearly from a low parking orbit than on the direct ascent, so the answer
    /// is the mission through the 200 km parking orbit (its payload the `--orbit` mission's with
    /// these elements; its perigee, 50 km above the parking orbit, met by an apogee burn), above
    /// the direct ascent's with the load searched (9,405 kg before, some 10,400 kg now). Weighed
    /// only where the mission can meet the perigee: not with designated drop zones, not for a
    /// perigee more than 30 km under the parking orbit's, not for a circular target.
    #[test]
    fn an_eccentric_target_is_flown_through_a_parking_orbit_when_that_carries_more() {
        let (v, _) = crate::vehicle::resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("kourou", v.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 250e3, apogee_m: 35_943e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        assert!(parking_orbit_weighed(&v, &target, false) && !parking_orbit_weighed(&v, &target, true));
        let low_perigee = TargetOrbit { perigee_m: PARKING_ALTITUDE_M - 40e3, ..target };
        let circular = TargetOrbit { perigee_m: 20_000e3, apogee_m: 20_000e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
        assert!(parking_orbit_weighed(&v, &TargetOrbit { perigee_m: PARKING_ALTITUDE_M, ..target }, false));
        assert!(!parking_orbit_weighed(&v, &low_perigee, false) && !parking_orbit_weighed(&v, &circular, false));
        let found =
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, options, &mut |_| {}).expect("an answer");
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        let crate::optimize::payload::AscentProfile::Elliptic { ellipse, ref burns, .. } = found.profile else {
            panic!("{:?}", found.profile)
        };
        assert_eq!((ellipse.perigee_m, ellipse.apogee_m), (PARKING_ALTITUDE_M, PARKING_ALTITUDE_M));
        assert!(burns.len() >= 3, "{} burns", burns.len());
        let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options };
        let direct = maximize_offloaded_payload(&ascent, &[], None, usize::MAX, None, &mut |_| {}).expect("direct");
        assert!(
            found.payload_kg > direct.solution.payload_kg * 1.02,
            "{:.1} kg against {:.1} kg",
            found.payload_kg,
            direct.solution.payload_kg
        );
        let named = named_through_parking(&v, site, 250e3, 35_943e3, 6.0);
        assert!((found.payload_kg - named.payload_kg).abs() < 1.0, "{:.1} kg against {:.1} kg", found.payload_kg, named.payload_kg);
    }

    /// A perigee at the parking orbit's, given by its elements (200 × 35,786 km from Vostochny):
    /// the named GTO with these elements leaves it where Briz-M's perigee burns put it, some
    /// 290 km up; asked for by elements, the mission keeps a short apogee burn that sets it within
    /// the tolerance. That burn costs little (within 2 % of the named GTO's payload, which asks
    /// more energy of the orbit, and below it), and the mission carries more than the direct
    /// ascent, which lifts the whole stack to the transfer's energy under power.
    #[test]
    fn a_perigee_at_the_parking_orbits_is_met_by_an_apogee_burn() {
        let (v, _) = crate::vehicle::resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", v.family.as_deref()).expect("pad").site;
        let target =
            TargetOrbit { perigee_m: PARKING_ALTITUDE_M, apogee_m: 35_786e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let found =
            crate::optimize::payload::maximize_payload(&v, site, &target, Branch::Northbound, options, &mut |_| {}).expect("an answer");
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        let crate::optimize::payload::AscentProfile::Elliptic { ref burns, .. } = found.profile else { panic!("{:?}", found.profile) };
        let trim = burns.last().expect("burns");
        assert!((MIN_BURN_DELTA_V_M_S..30.0).contains(&trim.delta_v_m_s), "{burns:?}");
        let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options };
        let direct = maximize_offloaded_payload(&ascent, &[], None, usize::MAX, None, &mut |_| {}).expect("direct");
        assert!(
            found.payload_kg > 1.05 * direct.solution.payload_kg,
            "{:.1} against {:.1} kg",
            found.payload_kg,
            direct.solution.payload_kg
        );
        let named = named_through_parking(&v, site, PARKING_ALTITUDE_M, 35_786e3, 51.9);
        assert!(named.perigee_free && named.orbit.perigee_altitude_m() > PARKING_ALTITUDE_M + 30e3, "{:?}", named.orbit);
        assert!(
            found.payload_kg < named.payload_kg && found.payload_kg > 0.98 * named.payload_kg,
            "{:.1} against {:.1} kg",
            found.payload_kg,
            named.payload_kg
        );
    }

    /// The load search on a payload curve with its maximum at 40 % of the load: from a hint at
    /// 65 % it finds the maximum within its tolerance; with no hint it starts at 90 %. A curve
    /// that falls from the full load, or rises by less than the least gain, leaves the full load
    /// after one load flown (with no hint; two with one).
    #[test]
    fn the_load_search_follows_a_gain_and_leaves_the_full_load_otherwise() {
        let peaked = |f: f64| 7_200.0 - 9_000.0 * (f - 0.4).powi(2);
        let full_kg = peaked(1.0);
        for hint in [Some(0.65), None] {
            let found = search_elliptic_load(|f| Some(peaked(f)), full_kg, hint).expect("a gain");
            assert!((found.x - 0.4).abs() < 2.0 * ELLIPTIC_LOAD_TOLERANCE, "{hint:?}: {found:?}");
            assert!(found.evaluations <= MAX_ELLIPTIC_LOAD_EVALUATIONS, "{found:?}");
        }
        let falling = |f: f64| 5_000.0 + 800.0 * f;
        let mut flown = 0;
        assert!(search_elliptic_load(
            |f| {
                flown += 1;
                Some(falling(f))
            },
            falling(1.0),
            None
        )
        .is_none());
        assert_eq!(flown, 1);
        let flat = |f: f64| 10_205.0 + (1.0 - f);
        flown = 0;
        assert!(search_elliptic_load(
            |f| {
                flown += 1;
                Some(flat(f))
            },
            flat(1.0),
            Some(0.5)
        )
        .is_none());
        assert_eq!(flown, 2);
        // A load that cannot be flown is no gain.
        assert!(search_elliptic_load(|_| None, 1_000.0, Some(0.5)).is_none());
        // Where 90 % cannot be flown, 80 % is, and the search goes on from there; it does not
        // when 90 % flies and gains nothing (`falling` above: one load flown).
        let found = search_elliptic_load(|f| (f != 0.9).then(|| peaked(f)), full_kg, None).expect("a gain");
        assert!(found.x < 0.7 && found.value > peaked(0.7), "{found:?}");
    }

    /// Ariane 62 from Kourou to 400 km: the Vinci stage full is more than the orbit needs. The
    /// profile with the load searched carries over 10 % more than with the stage full (15,602
    /// against 13,809 kg measured), with some 65 % of the load, and says so.
    #[test]
    fn the_elliptic_profile_offloads_a_stage_the_orbit_does_not_need() {
        let (v, _) = crate::vehicle::resolve_vehicle("ariane-62").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("kourou-ela4").expect("pad");
        let target = TargetOrbit { perigee_m: 400e3, apogee_m: 400e3, inclination_deg: 5.3, argument_of_perigee_deg: None };
        let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let full = elliptic_after_direct(&ascent, Insertion::PerigeeFirst, Load::AsLoaded, &mut |_| {}).expect("as loaded");
        let searched =
            elliptic_after_direct(&ascent, Insertion::PerigeeFirst, Load::Searched { hint: None }, &mut |_| {}).expect("searched");
        assert_eq!(full.upper_stage_load_kg, None);
        let load_kg = searched.upper_stage_load_kg.expect("offloaded");
        let share = load_kg / upper_stage_load_kg(&v);
        assert!((0.5..0.8).contains(&share), "{share:.3} of the load");
        assert!(searched.payload_kg > 1.1 * full.payload_kg, "{:.0} kg against {:.0} kg full", searched.payload_kg, full.payload_kg);
        assert!(target.reached_by(&searched.orbit), "{:?}", searched.orbit);
        // The mission flew the offloaded stage: at liftoff the two missions differ by the
        // propellant offloaded and the payloads.
        let lighter_kg = full.flight.events[0].point.mass_kg - searched.flight.events[0].point.mass_kg;
        let offloaded_kg = upper_stage_load_kg(&v) - load_kg;
        let expected_kg = offloaded_kg + full.payload_kg - searched.payload_kg;
        assert!((lighter_kg - expected_kg).abs() < 1.0, "{lighter_kg:.1} kg lighter at liftoff, {expected_kg:.1} kg expected");
    }

    /// The design's closed form: the circularization Δv at the apogee of a 200 × 700 km ellipse
    /// is the vis-viva difference there (138.66 m/s), and a coast from the perigee to the apogee conserves
    /// the energy and angular momentum (the apogee speed is the perigee speed times rp/ra).
    #[test]
    fn the_circularization_is_the_vis_viva_difference_at_the_apogee() {
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 700e3, inclination_deg: 98.2, argument_of_perigee_deg: None };
        let target = TransferTarget::Orbit {
            perigee_m: 700e3,
            apogee_m: 700e3,
            inclination_deg: 98.2,
            argument_of_perigee_deg: None,
            exact_perigee: false,
        }
        .resolve(&parking)
        .expect("resolves");
        let (rp, ra) = (WGS84_A_M + 200e3, WGS84_A_M + 700e3);
        let a = 0.5 * (rp + ra);
        let vp = vis_viva_speed_m_s(rp, a);
        let va = vis_viva_speed_m_s(ra, a);
        let mu = MU_EARTH_M3_S2;
        assert!(((0.5 * vp * vp - mu / rp) - (0.5 * va * va - mu / ra)).abs() < 1e-6, "energy");
        assert!((rp * vp - ra * va).abs() < 1e-9 * rp * vp, "angular momentum");
        let dv = circularization_delta_v(&parking, &target).expect("this profile");
        assert!((dv - ((mu / ra).sqrt() - va)).abs() < 1.0, "{dv} m/s");
        // 138.66 m/s computed independently (μ 3.986004418e14, equatorial radius 6,378,137 m).
        assert!((dv - 138.66).abs() < 0.01, "{dv} m/s");
        // A circular parking orbit is not this profile's.
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 98.2, argument_of_perigee_deg: None };
        assert!(circularization_delta_v(&low, &target).is_none());
    }

    /// With no start (neither the direct ascent nor the one to the parking orbit's altitude
    /// targeted), the profile flies its lowest ellipse first and, when that fails too, no other:
    /// the scan of four perigees cut off there and halfway up flew 19,200 flights to fail.
    #[test]
    fn without_a_start_a_failed_lowest_ellipse_ends_the_profile() {
        let (vehicle, site) = super::super::fixtures::weak_kick_at_vandenberg();
        let target = super::super::fixtures::WEAK_KICK_TARGET;
        let ascent = DirectAscent { vehicle: &vehicle, site: &site, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let (mut low, mut flown) = (None, 0);
        let found = elliptic_from(
            &ascent,
            target.inclination_deg,
            None,
            Insertion::PerigeeFirst,
            Load::Searched { hint: None },
            &mut low,
            &mut |n| flown = flown.max(n),
        );
        assert!(matches!(low, Some(Err(_))), "the ascent to the parking orbit's altitude fails");
        let Err(Error::Unreachable(why)) = found else { panic!("{:?}", found.map(|(s, _)| s.payload_kg)) };
        assert!(why.contains("no elliptical orbit under 500 × 500 km") && why.contains("at the lowest perigee tried, 150 km"), "{why}");
        assert!(flown < 9_000, "{flown} flights");
    }

    /// Catalog vehicle `id` and the Vostochny site.
    fn at_vostochny(id: &str) -> (Vehicle, Site) {
        let (v, _) = crate::vehicle::resolve_vehicle(id).expect("catalog");
        (v, crate::vehicle::SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone())
    }

    /// The northbound ascent of `v` from `site` to `target` with the default flight options.
    fn northbound<'a>(v: &'a Vehicle, site: &'a Site, target: TargetOrbit) -> DirectAscent<'a> {
        DirectAscent { vehicle: v, site, target, branch: Branch::Northbound, options: FlightOptions::default() }
    }

    /// A turn of the plane the last stage alone cannot give is refused before any flight: from
    /// Vostochny's 51.9° to a 500 km orbit at 10°, the pure turn at the target's circular speed,
    /// 2v·sin(Δi/2), is some 5.4 km/s, where Vega-C's AVUM+ with no payload gives at most
    /// 2.2 km/s. A turn within that bound goes on to fly.
    #[test]
    fn a_plane_turn_beyond_the_last_stage_alone_is_refused_before_any_flight() {
        let (v, site) = at_vostochny("vega-c");
        let target = TargetOrbit { perigee_m: 500e3, apogee_m: 500e3, inclination_deg: 10.0, argument_of_perigee_deg: None };
        let ascent = northbound(&v, &site, target);
        let plane_deg = 51.9;
        let turn_m_s = 2.0 * circular_speed_m_s(WGS84_A_M + 500e3) * (0.5 * (plane_deg - 10.0_f64).to_radians()).sin();
        let alone_m_s = crate::optimize::reach::last_stage_alone_delta_v(&v);
        assert!(turn_m_s > 5_000.0 && alone_m_s < 0.6 * turn_m_s, "turn {turn_m_s:.0} m/s, stage alone {alone_m_s:.0} m/s");
        let mut flights = 0;
        let refused =
            elliptic_from(&ascent, plane_deg, None, Insertion::PerigeeFirst, Load::Searched { hint: None }, &mut None, &mut |n| {
                flights = n
            })
            .expect_err("beyond the stage");
        let Error::Unreachable(why) = refused else { panic!("{refused}") };
        assert_eq!(flights, 0, "{why}");
        assert!(why.contains(&format!("at least {turn_m_s:.0} m/s")) && why.contains(&format!("at most {alone_m_s:.0} m/s")), "{why}");
        // A turn of a tenth of a degree is within the bound: the profile flies ascents.
        let near = DirectAscent { target: TargetOrbit { inclination_deg: 51.8, ..target }, ..ascent };
        let _ = elliptic_from(&near, plane_deg, None, Insertion::PerigeeFirst, Load::AsLoaded, &mut None, &mut |n| flights = n);
        assert!(flights > 0);
    }

    /// Where the direct ascent only ran out of flights and the mission through the parking
    /// orbit was refused for a reason, the refusal gives both: the reason, not the budget alone
    /// (Vega-C to 1,000 × 35,786 km answered "did not converge within its budget of 200 flights"
    /// after 99,000 flights, leaving out that AVUM+ alone is 339 m/s short from the parking
    /// orbit).
    #[test]
    fn a_direct_ascent_out_of_flights_is_refused_with_the_parking_missions_reason() {
        let (v, site) = at_vostochny("vega-c");
        let target = TargetOrbit { perigee_m: 1_000e3, apogee_m: 35_786e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let ascent = northbound(&v, &site, target);
        let budget = || Err(Error::FlightBudget { vehicle: v.name.clone(), flights: 107_100 });
        let parked = || Err(Error::Unreachable("`AVUM+` alone gives at most 2196 m/s".to_owned()));
        let refused = better_of_found_and_parking(&ascent, budget(), parked(), true).expect_err("neither flies");
        let Error::Unreachable(why) = refused else { panic!("{refused}") };
        assert!(why.contains("budget of 107100 flights") && why.contains("through the 200 km parking orbit: `AVUM+` alone"), "{why}");
        // Not weighed, the direct ascent's answer stands.
        let refused = better_of_found_and_parking(&ascent, budget(), parked(), false).expect_err("neither flies");
        assert!(matches!(refused, Error::FlightBudget { .. }), "{refused}");
    }

    /// A kerosene first stage under a restartable hydrogen upper stage loaded with 2 t only
    /// (figures of the Atlas V 401 class): a nearly single-stage stack, whose direct ascent to
    /// 200 km at 28.6° from Cape Canaveral takes some 4,100 flights from the built-in guesses,
    /// past the restartable stage's budget, and whose ellipses could not be targeted. It was
    /// refused ("no elliptical orbit under 200 × 200 km … could be flown"), though the elliptic
    /// profile had flown that very ascent for its start; the direct ascent, searched again from
    /// it, answers what the same stack burning once carries.
    #[test]
    fn a_direct_ascent_out_of_flights_is_searched_again_from_the_profiles_low_ascent() {
        let text = include_str!("../../../../../tests/reference/restartable-upper.toml").replacen(
            "propellant_mass_kg = 20830.0",
            "propellant_mass_kg = 2000.0",
            1,
        );
        let restartable = Vehicle::from_toml(&text, "restartable-upper.toml").expect("reads").0;
        let once = Vehicle::from_toml(&text.replacen("max_burns = 3\n", "", 1), "restartable-upper.toml").expect("reads").0;
        assert!(restartable.stages[1].max_burns() > 1 && once.stages[1].max_burns() == 1);
        let site = crate::vehicle::SiteCatalog::builtin().expect("sites").get("cape-canaveral").expect("site").clone();
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 28.6, argument_of_perigee_deg: None };
        let payload = |v: &Vehicle| {
            crate::optimize::payload::maximize_payload(v, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let (again, burning_once) = (payload(&restartable), payload(&once));
        assert!(again.within_tolerance(&target) && again.profile == crate::optimize::payload::AscentProfile::Direct, "{:?}", again.orbit);
        let (a, b) = (again.payload_kg, burning_once.payload_kg);
        assert!(a > 1_000.0 && (a - b).abs() <= 0.005 * b, "restartable {a:.1} kg, burning once {b:.1} kg");
    }

    /// Soyuz-2.1b/Fregat-MT from Vostochny to a 220 km SSO (96.40°, out of the corridors):
    /// the parking orbit at 97° lies 20 km under the target, so its mission's transfer is
    /// itself nearly circular, and the ellipse turned at its apogee is weighed beside it; the
    /// answer is the one that carries more, 6,525 kg turned at the apogee against 5,166 kg
    /// through the parking orbit.
    #[test]
    fn just_above_the_parking_orbit_the_turned_ellipse_is_weighed_beside_it() {
        let (v, site) = at_vostochny("soyuz-2.1b-fregat");
        let inclination_deg = crate::mission::orbits::sun_synchronous_inclination_deg(220.0).expect("an SSO");
        let target = TargetOrbit { perigee_m: 220e3, apogee_m: 220e3, inclination_deg, argument_of_perigee_deg: None };
        let ascent = northbound(&v, &site, target);
        let (parked, _) = through_parking_orbit(&ascent, false, &mut |_| {}).expect("through the parking orbit");
        let found =
            crate::optimize::payload::maximize_payload(&v, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("an SSO");
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        assert!(found.payload_kg >= parked.payload_kg, "{:.0} kg, through the parking orbit {:.0} kg", found.payload_kg, parked.payload_kg);
        let crate::optimize::payload::AscentProfile::Elliptic { ellipse, .. } = found.profile else { panic!("{:?}", found.profile) };
        assert!(ellipse.perigee_m < ellipse.apogee_m && (ellipse.inclination_deg - 97.0).abs() < 0.05, "{ellipse:?}");
    }
}
