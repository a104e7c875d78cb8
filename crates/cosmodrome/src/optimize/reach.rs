//! Quick refusals of targets a vehicle cannot reach, before the targeting searches for them.
//!
//! A target beyond the vehicle makes every targeting fail, and the payload search tries all its
//! built-in guesses before it gives up: thousands of flights. These bounds refuse such a target
//! at once, each erring on the side of searching (a refusal must be certain, a search of a
//! target that turns out unreachable only costs time):
//!
//! - [`check_vertical`]: the vehicle flown straight up with no payload, once, through the air:
//!   one that does not climb half as high as the lowest orbit reaches none, and every profile
//!   is refused at once. The one bound that sees drag: a file whose drag holds the vehicle down
//!   passes the vacuum bounds below and failed only after every search.
//!
//! - [`check_climb`]: a direct ascent enters its orbit at the end of one continuous burn, at or
//!   above the perigee. Its speed can never exceed the Earth's rotation plus the vehicle's ideal
//!   Δv plus what gravity could add (`|dv/dt| ≤ a_thrust + g0`), and it burns for a bounded
//!   time, so it cannot climb above `T·(v_rot + Δv_ideal) + ½·g0·T²`. A perigee above that
//!   (a circular MEO for a stage that burns once) is out of reach whatever the steering.
//! - [`check_delta_v`]: the targeted ascent to a low parking orbit with no payload, flown once;
//!   the Δv the stages still hold at its cutoff (rocket equation on what is left) against the
//!   impulsive Δv from that orbit to the target. Finite burns, gravity and restarts only need
//!   more than the impulsive Δv, so a vehicle short of it by more than
//!   [`DELTA_V_ALLOWANCE_FRACTION`] cannot reach the target; the allowance covers what the
//!   estimate leaves out (the ascent shaped for the parking orbit, not for the whole mission).
//!   A vehicle whose ideal Δv with no payload covers the parking orbit, the transfer and any
//!   ascent's losses several times over is not flown for it: it could not be refused.
//! - [`check_last_stage_alone`]: a transfer beyond the parking orbit is made by the restartable
//!   last stage; with its whole load, no payload and nothing burned in the ascent (tanks dropped
//!   at the start) it gives the most any mission could, which must cover the least impulsive Δv
//!   of the transfer (the caller's bound: the coplanar two-burn Δv, or the burn out to the
//!   target's apogee, [`apogee_raise_delta_v`]): no flight needed (Vega-C's AVUM+ alone holds
//!   2,196 m/s; Kourou's GTO from 200 km needs at least 2,462 m/s).

use crate::environment::earth::{OMEGA_EARTH_RAD_S, WGS84_A_M};
use crate::environment::elements::{circular_speed_m_s, vis_viva_speed_m_s};
use crate::error::{Error, Result};
use crate::flight::{EventKind, FlightOptions};
use crate::guidance::Branch;
use crate::propulsion::delta_v_budget;
use crate::units::G0_M_S2;
use crate::vehicle::{Site, Vehicle};

use super::targeting::{Payload, Problem, TargetOrbit};

/// A vehicle is refused when its Δv falls short of the impulsive Δv by more than this share of
/// it: the benefit of the doubt the parking-orbit estimate leaves a target near the edge.
pub const DELTA_V_ALLOWANCE_FRACTION: f64 = 0.02;
/// Targets needing less impulsive Δv than this from the parking orbit are not checked (a low
/// orbit: the search itself finds quickly whether it is reached), m/s.
pub const MIN_CHECKED_DELTA_V_M_S: f64 = 300.0;
/// Altitude of the parking orbit of the Δv check (or the target's perigee when lower), m.
pub const CHECK_PARKING_ALTITUDE_M: f64 = 200e3;

/// Longest a vehicle can burn from liftoff to its last burnout, s: every stage's ignition delay
/// and its propellant at the lowest throttle it may run at (its schedule's lowest level, and the
/// acceleration limit's deepest throttling when it has one), summed as if no two stages burned
/// together. A bound, not a timeline.
pub fn longest_ascent_s(vehicle: &Vehicle) -> f64 {
    vehicle
        .stages
        .iter()
        .map(|s| {
            let burn_s = match s.solid_separation_since_ignition_s() {
                Some(t) => t,
                None => {
                    let scheduled = s.throttle.iter().map(|t| t.level).fold(1.0, f64::min);
                    let limited = if vehicle.limits.max_accel_g.is_some() || vehicle.limits.max_q_pa.is_some() {
                        crate::flight::eom::MIN_LIMIT_THROTTLE
                    } else {
                        1.0
                    };
                    s.total_propellant_kg() / (s.mass_flow_kg_s() * scheduled.min(limited)).max(1e-9)
                }
            };
            s.ignition_delay_s.max(0.0) + burn_s
        })
        .sum()
}

/// Refuse a target of a direct ascent whose perigee lies above anything one continuous burn of
/// `vehicle` can climb to (see the module's first bound). The error says by how much Δv the
/// vehicle falls short at least: the speed it would need besides to cover the climb in its
/// burn time.
pub fn check_climb(vehicle: &Vehicle, site: &Site, target: &TargetOrbit) -> Result<()> {
    let t_s = longest_ascent_s(vehicle);
    let ideal_m_s = delta_v_budget(vehicle, 0.0).total_delta_v_m_s;
    if !(t_s.is_finite() && ideal_m_s.is_finite() && t_s > 0.0) {
        return Ok(());
    }
    let rotation_m_s = OMEGA_EARTH_RAD_S * WGS84_A_M;
    let highest_m = t_s * (rotation_m_s + ideal_m_s) + 0.5 * G0_M_S2 * t_s * t_s + site.altitude_m.max(0.0);
    if target.perigee_m <= highest_m {
        return Ok(());
    }
    let short_m_s = (target.perigee_m - highest_m) / t_s;
    Err(Error::Unreachable(format!(
        "{} cannot reach {} from {}: its ascent enters the orbit at the end of one continuous burn, at or above the perigee, and its stages burn for at most {t_s:.0} s, in which no ascent climbs above {:.0} km (at most the {rotation_m_s:.0} m/s of the Earth's rotation, its {ideal_m_s:.0} m/s of ideal Δv and what gravity adds): at least {short_m_s:.0} m/s short of the Δv that climb needs in that time (a coast and a second burn would be needed)",
        vehicle.name,
        target.describe(),
        site.id,
        highest_m / 1e3,
    )))
}

/// What the Δv check found: the vehicle's Δv left in the parking orbit and the flights it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParkingDeltaV {
    /// Δv the stages still hold at the parking orbit's cutoff with no payload, m/s (negative:
    /// the ascent burned out short of the parking orbit, by about that much).
    pub available_m_s: f64,
    /// Radius of the cutoff, m.
    pub radius_m: f64,
    /// Mass at the cutoff, kg.
    pub mass_kg: f64,
    /// Usable propellant the cut-off stage has left there, kg (0 when it burned out short).
    pub left_kg: f64,
    /// Flights flown.
    pub flights: usize,
    /// The no-payload ascent to the cutoff, as a start for the same ascent with a payload
    /// (`None` when it burned out short).
    pub(super) ascent: Option<super::targeting::Seed<3>>,
}

/// The targeted ascent of `vehicle` with no payload to `parking` (circular), the kick that
/// leaves the most propellant, and the Δv its stages still hold at cutoff: the cut-off stage's
/// propellant left, then every stage after it whole (rocket equation at vacuum Isp, dropping
/// only the stage dry masses: an upper bound). `None` when the ascent cannot be targeted (the
/// caller's search then says why) within `max_flights` (`usize::MAX`: no limit).
pub fn parking_delta_v(
    vehicle: &Vehicle,
    site: &Site,
    parking: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    max_flights: usize,
) -> Option<ParkingDeltaV> {
    let mut quiet = |_| {};
    let mut problem =
        Problem::<3>::new(vehicle, site, parking, branch, Payload::Given(0.0), options, &mut quiet).ok()?.with_flight_budget(max_flights);
    let best = problem.search(0.0).ok().flatten()?;
    problem.set_flight_budget(usize::MAX);
    let flight = problem.fly(best.log_kick.exp(), &best.x, problem.options).ok()?;
    let flights = problem.flights;
    let exhaust_m_s = |k: usize| vehicle.stages[k].thrust_vac_n() / vehicle.stages[k].mass_flow_kg_s();
    let Some(cutoff) = flight.first(|k| matches!(k, EventKind::Cutoff { .. })) else {
        // Burned out short of the parking orbit: the deficit in Δv, from the margin's
        // linearisation (propellant short × exhaust velocity / mass). A solid last stage, which
        // cannot be cut off, burns out past the orbit's energy as well: its surplus, counted as
        // propellant by the margin, is Δv in hand by the same rate.
        let last = vehicle.stages.len() - 1;
        let end = flight.event(&EventKind::Burnout { stage: last })?;
        let margin_kg = if vehicle.stages[last].is_solid() { best.margin_kg } else { best.margin_kg.min(0.0) };
        return Some(ParkingDeltaV {
            available_m_s: margin_kg * exhaust_m_s(last) / end.point.mass_kg.max(1.0),
            radius_m: end.point.position_eci_m.norm(),
            mass_kg: end.point.mass_kg,
            left_kg: 0.0,
            flights,
            ascent: None,
        });
    };
    let k = cutoff.kind.stage()?;
    let mass_kg = cutoff.point.mass_kg;
    let left_kg = best.margin_kg.clamp(0.0, 0.999 * mass_kg);
    let mut available_m_s = exhaust_m_s(k) * (mass_kg / (mass_kg - left_kg)).ln();
    let mut m = mass_kg - left_kg - vehicle.stages[k].burnout_mass_kg();
    for j in k + 1..vehicle.stages.len() {
        let s = &vehicle.stages[j];
        let burned_kg = s.total_propellant_kg();
        if !(m > burned_kg && burned_kg > 0.0) {
            break;
        }
        available_m_s += exhaust_m_s(j) * (m / (m - burned_kg)).ln();
        m -= s.gross_mass_kg();
    }
    let ascent = Some(problem.seed(&best));
    Some(ParkingDeltaV { available_m_s, radius_m: cutoff.point.position_eci_m.norm(), mass_kg, left_kg, flights, ascent })
}

/// Whether `vehicle` with no payload holds so much ideal Δv that the Δv check could not refuse a
/// target `needed_m_s` beyond the circular parking orbit of radius `r0`: its ideal Δv covers the
/// parking orbit's speed, the transfer and [`CLEAR_ASCENT_LOSSES_M_S`] of losses (the Earth's
/// rotation not counted). The check then only costs its flights (some 70: a targeted ascent and
/// its kick search); skipping it wrongly would only let an unreachable target be searched.
fn clearly_within_reach(vehicle: &Vehicle, r0: f64, needed_m_s: f64) -> bool {
    let ideal_m_s = delta_v_budget(vehicle, 0.0).total_delta_v_m_s;
    ideal_m_s > circular_speed_m_s(r0) + needed_m_s + CLEAR_ASCENT_LOSSES_M_S
}

/// Whether the Δv check of a target `needed_m_s` beyond the circular parking orbit of radius `r0`
/// is worth its flights: the transfer is not short ([`MIN_CHECKED_DELTA_V_M_S`]) and the
/// vehicle's ideal Δv does not clearly cover it ([`clearly_within_reach`]).
pub(crate) fn delta_v_check_worth_flying(vehicle: &Vehicle, r0: f64, needed_m_s: f64) -> bool {
    needed_m_s >= MIN_CHECKED_DELTA_V_M_S && !clearly_within_reach(vehicle, r0, needed_m_s)
}

/// Losses an ascent to a low orbit is taken never to exceed in [`clearly_within_reach`], m/s:
/// gravity, drag, steering and back-pressure losses to a low orbit run 1.5–2.5 km/s (Saturn V
/// 1.6 km/s, PSLV to its sun-synchronous orbit with its dogleg some 3 km/s).
const CLEAR_ASCENT_LOSSES_M_S: f64 = 3_500.0;

/// Least impulsive Δv from the circular orbit of radius `r0` to the coplanar orbit with apsides
/// `rp` ≤ `ra` (both at or above `r0`), m/s: two tangential burns, the cheaper of the two orders
/// (raise the apogee first, or the perigee first).
pub fn coplanar_delta_v(r0: f64, rp: f64, ra: f64) -> f64 {
    let (rp, ra) = (rp.max(r0), ra.max(rp.max(r0)));
    let v0 = circular_speed_m_s(r0);
    // Out to `far` at r0, then the other apsis `near` at `far`.
    let via = |far: f64, near: f64| {
        let a1 = 0.5 * (r0 + far);
        (vis_viva_speed_m_s(r0, a1) - v0).abs() + (vis_viva_speed_m_s(far, 0.5 * (near + far)) - vis_viva_speed_m_s(far, a1)).abs()
    };
    via(ra, rp).min(via(rp, ra))
}

/// Refuse a target `needed_m_s` of impulsive Δv beyond the parking orbit when the vehicle holds
/// `available.available_m_s` there and is short by more than the allowance; `what` names the
/// target.
pub fn check_delta_v(vehicle: &Vehicle, what: &str, parking: &TargetOrbit, needed_m_s: f64, available: &ParkingDeltaV) -> Result<()> {
    let short_m_s = needed_m_s - available.available_m_s;
    if short_m_s <= DELTA_V_ALLOWANCE_FRACTION * needed_m_s {
        return Ok(());
    }
    Err(Error::Unreachable(format!(
        "{} cannot reach {what}: with no payload, in the {:.0} km parking orbit its stages hold {:.0} m/s of Δv, and the impulsive transfer from there needs {needed_m_s:.0} m/s (finite burns need more): short by {short_m_s:.0} m/s",
        vehicle.name,
        parking.perigee_m / 1e3,
        available.available_m_s,
    )))
}

/// The most Δv the last stage of `vehicle` could give beyond the parking orbit, m/s: its whole
/// expendable load burned at its vacuum exhaust speed with no payload, nothing spent in the
/// ascent, and its drop tank (if any) gone from the start.
pub fn last_stage_alone_delta_v(vehicle: &Vehicle) -> f64 {
    let Some(s) = vehicle.stages.last() else { return 0.0 };
    let tank_kg = s.drop_tank.as_ref().map_or(0.0, |t| f64::from(s.units) * t.dry_mass_kg);
    let final_kg = (s.burnout_mass_kg() - tank_kg).max(1e-9);
    let exhaust_m_s = s.thrust_vac_n() / s.mass_flow_kg_s().max(1e-9);
    exhaust_m_s * ((final_kg + s.total_propellant_kg()) / final_kg).ln()
}

/// The least impulsive Δv that takes a vehicle on the orbit of perigee radius `rp0` and apogee
/// radius `ra0` out to radius `ra` (the target's apogee), m/s: one burn along the velocity at
/// the perigee, where a burn raises the apogee cheapest; zero when the orbit reaches `ra`
/// already.
pub fn apogee_raise_delta_v(rp0: f64, ra0: f64, ra: f64) -> f64 {
    if ra <= ra0 {
        return 0.0;
    }
    vis_viva_speed_m_s(rp0, 0.5 * (rp0 + ra)) - vis_viva_speed_m_s(rp0, 0.5 * (rp0 + ra0))
}

/// Refuse a transfer from `parking` that needs at least `needed_m_s` of impulsive Δv when the
/// last stage alone ([`last_stage_alone_delta_v`]) holds less; `what` names the target.
pub fn check_last_stage_alone(vehicle: &Vehicle, what: &str, parking: &TargetOrbit, needed_m_s: f64) -> Result<()> {
    let most_m_s = last_stage_alone_delta_v(vehicle);
    if most_m_s >= needed_m_s {
        return Ok(());
    }
    let stage = vehicle.stages.last().map_or("", |s| s.name.as_str());
    Err(Error::Unreachable(format!(
        "{} cannot reach {what}: from the {:.0} × {:.0} km parking orbit it needs at least {needed_m_s:.0} m/s of impulsive Δv, and `{stage}` alone (its whole load burned with no payload, nothing spent in the ascent) gives at most {most_m_s:.0} m/s",
        vehicle.name,
        parking.perigee_m / 1e3,
        parking.apogee_m / 1e3,
    )))
}

/// Height a vehicle must climb to flown straight up with no payload, m: half the lowest
/// perigee a target may have (100 km). A vehicle that reaches any orbit climbs far higher (a
/// 200 km orbit holds the energy of a vertical shot to some 6,800 km; Electron with its Curie
/// kick stage, whose thrust is a fraction of its weight and gains no height straight up, still
/// climbs to 986 km); one that stays under it is held down (its thrust, or its drag).
pub const HELD_DOWN_BELOW_M: f64 = 50e3;

/// Thrust along the local vertical from liftoff to the last burnout: the steering that climbs
/// highest while the stages lift more than their weight (the whole burn spent against
/// gravity, the shortest path through the air).
struct Vertical;

impl crate::flight::Guidance for Vertical {
    fn thrust_direction(&self, input: &crate::flight::GuidanceInput) -> nalgebra::Vector3<f64> {
        input.up
    }
}

/// Refuse every target of a vehicle that, flown straight up with no payload, does not climb
/// [`HELD_DOWN_BELOW_M`]: one flight, with the air, the bound the vacuum estimates cannot give
/// (a vehicle given a drag coefficient of 10 on 2,000 m², within the file's ranges, crawls up
/// at walking pace and burns out a few kilometres up). It is not a bound of the target's
/// height: a stage whose thrust is below its weight climbs little straight up, yet flown
/// level reaches orbits far above that climb. The flight ends at the last burnout, its apogee
/// the vacuum one of that state (above what the air lets it reach: the bound errs on the side
/// of searching). Returns the flights flown (one).
pub fn check_vertical(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, options: FlightOptions) -> Result<usize> {
    let options = FlightOptions { sample_interval_s: None, follow_suborbital_fall: false, ..options };
    let setup = crate::flight::FlightSetup { vehicle, payload_kg: 0.0, launch: crate::flight::Launch::from_site(site, 90.0), options };
    let Ok(flight) = crate::flight::fly(&setup, &mut Vertical) else { return Ok(1) };
    let highest_m = match flight.outcome {
        crate::flight::FlightOutcome::BurnedOutShort if flight.final_orbit.eccentricity < 1.0 => flight.final_orbit.apogee_altitude_m(),
        // Back on the ground before the last burnout: the highest point it was seen at.
        crate::flight::FlightOutcome::Impact => flight.events.iter().map(|e| e.point.altitude_m).fold(0.0, f64::max),
        _ => return Ok(1),
    };
    if highest_m >= HELD_DOWN_BELOW_M {
        return Ok(1);
    }
    Err(Error::Unreachable(format!(
        "{}: flown straight up with no payload it climbs to {:.1} km at most, and the orbit's perigee is {:.0} km: the vehicle is held down by its drag or short of thrust (check the stages' thrust and the `aero` table)",
        vehicle.name,
        highest_m / 1e3,
        target.perigee_m / 1e3
    )))
}

/// Both bounds for the direct ascent to `target`: the climb, then (for a target more than
/// [`MIN_CHECKED_DELTA_V_M_S`] beyond a low parking orbit) the Δv. Returns the flights flown.
pub fn check_direct(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, branch: Branch, options: FlightOptions) -> Result<usize> {
    check_climb(vehicle, site, target)?;
    let altitude_m = target.perigee_m.min(CHECK_PARKING_ALTITUDE_M);
    let r0 = WGS84_A_M + altitude_m;
    let needed_m_s = coplanar_delta_v(r0, WGS84_A_M + target.perigee_m, WGS84_A_M + target.apogee_m);
    if !delta_v_check_worth_flying(vehicle, r0, needed_m_s) {
        return Ok(0);
    }
    let parking =
        TargetOrbit { perigee_m: altitude_m, apogee_m: altitude_m, inclination_deg: target.inclination_deg, argument_of_perigee_deg: None };
    let Some(available) = parking_delta_v(vehicle, site, &parking, branch, options, usize::MAX) else { return Ok(0) };
    // From the radius the ascent actually cut off at.
    let needed_m_s = coplanar_delta_v(available.radius_m, WGS84_A_M + target.perigee_m, WGS84_A_M + target.apogee_m);
    check_delta_v(vehicle, &format!("{} from {}", target.describe(), site.id), &parking, needed_m_s, &available)?;
    Ok(available.flights)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimize::payload::maximize_payload;
    use crate::optimize::targeting::fly_to_orbit;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    fn site(id: &str) -> Site {
        SiteCatalog::builtin().expect("sites").get(id).expect("site").clone()
    }

    /// A vehicle that reaches orbit climbs far above 50 km flown straight up, and is let through;
    /// the same vehicle given a drag coefficient of 10 on 2,000 m² (both within the file's
    /// ranges) crawls up at walking pace, burns out a few kilometres up, and is refused at once
    /// by name, where every profile's search used to spend its budget (Electron/Curie: 307 s)
    /// to fail. The payload optimizer and `fly` refuse it the same way.
    #[test]
    fn a_vehicle_held_down_by_its_drag_is_refused_by_its_vertical_climb() {
        let vostochny = site("vostochny");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let (curie, _) = resolve_vehicle("electron-curie").expect("catalog");
        assert_eq!(check_vertical(&curie, &vostochny, &low, options).expect("climbs far above 50 km"), 1);
        // Not a bound of the orbit's height: Curie pushes less than its weight and gains little
        // straight up (986 km), yet carries 166 kg to a 2,000 km circular orbit flown level.
        let high = TargetOrbit { perigee_m: 2_000e3, apogee_m: 2_000e3, ..low };
        assert_eq!(check_vertical(&curie, &vostochny, &high, options).expect("not held down"), 1);
        let text = crate::vehicle::catalog::catalog_vehicle("electron-curie").expect("catalog");
        let draggy = format!("{text}\n[aero]\ncd_mach = [[0.0, 10.0]]\nreference_area_m2 = 2000.0\n");
        let (draggy, _) = Vehicle::from_toml(&draggy, "draggy.toml").expect("a valid file");
        let refused = check_vertical(&draggy, &vostochny, &low, options).expect_err("held down").to_string();
        assert!(refused.contains("flown straight up with no payload it climbs to") && refused.contains("`aero`"), "{refused}");
        let payload = maximize_payload(&draggy, &vostochny, &low, Branch::Northbound, options, &mut |_| {});
        assert!(payload.is_err_and(|e| e.to_string() == refused));
        let fly = fly_to_orbit(&draggy, &vostochny, &low, Branch::Northbound, 10.0, options, &mut |_| {});
        assert!(fly.is_err_and(|e| e.to_string() == refused));
    }

    /// The last stage alone: the rocket equation on its whole expendable load from its burnout
    /// mass (Vega-C's AVUM+: 3,094 m/s of exhaust speed, 1.4 t to 0.7 t, some 2,200 m/s), the
    /// drop tank's dry mass gone from the start (Briz-M's, more than without the drop). The
    /// apogee raise: the Hohmann transfer's first burn from a circular orbit (2,455 m/s from
    /// 200 km to GSO's radius), less from the perigee of an ellipse already reaching out, none
    /// when the orbit reaches the radius.
    #[test]
    fn the_last_stage_alone_and_the_least_apogee_raise() {
        let (vega, _) = resolve_vehicle("vega-c").expect("vehicle");
        let avum = vega.stages.last().unwrap();
        let ve = avum.thrust_vac_n() / avum.mass_flow_kg_s();
        let expected = ve * ((avum.burnout_mass_kg() + avum.total_propellant_kg()) / avum.burnout_mass_kg()).ln();
        assert!((last_stage_alone_delta_v(&vega) - expected).abs() < 1e-9);
        assert!((2_100.0..2_300.0).contains(&expected), "{expected:.0} m/s");
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("vehicle");
        let s = briz.stages.last().unwrap();
        assert!(s.drop_tank.is_some());
        let ve = s.thrust_vac_n() / s.mass_flow_kg_s();
        let with_tank = ve * ((s.burnout_mass_kg() + s.total_propellant_kg()) / s.burnout_mass_kg()).ln();
        assert!(last_stage_alone_delta_v(&briz) > with_tank + 100.0);

        let r0 = WGS84_A_M + 200e3;
        let gso = 42_164e3;
        let hohmann_first = vis_viva_speed_m_s(r0, 0.5 * (r0 + gso)) - circular_speed_m_s(r0);
        assert!((apogee_raise_delta_v(r0, r0, gso) - hohmann_first).abs() < 1e-9);
        assert!((hohmann_first - 2_455.0).abs() < 5.0, "{hohmann_first:.0} m/s");
        let halfway = apogee_raise_delta_v(r0, 0.5 * (r0 + gso), gso);
        assert!(halfway > 0.0 && halfway < hohmann_first, "{halfway:.0} m/s");
        assert_eq!(apogee_raise_delta_v(r0, gso, gso), 0.0);
    }

    /// Soyuz-2.1b's Block I burns once: a circular MEO would have to be entered at the end of
    /// the one continuous ascent, 19,100 km up. Refused before any flight (the search used to
    /// fly some 7,000), saying by how much Δv; `fly` with a payload the same.
    #[test]
    fn a_circular_meo_is_beyond_one_continuous_burn() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("vehicle");
        let vostochny = site("vostochny");
        let meo = TargetOrbit { perigee_m: 19_100e3, apogee_m: 19_100e3, inclination_deg: 63.0, argument_of_perigee_deg: None };
        let mut flights = 0;
        let e = maximize_payload(&v, &vostochny, &meo, Branch::Northbound, FlightOptions::default(), &mut |n| flights = n)
            .expect_err("unreachable")
            .to_string();
        assert!(e.contains("cannot reach") && e.contains("at least") && e.contains("m/s short of the Δv"), "{e}");
        assert_eq!(flights, 0, "{e}");
        let e = fly_to_orbit(&v, &vostochny, &meo, Branch::Northbound, 100.0, FlightOptions::default(), &mut |n| flights = n)
            .expect_err("unreachable")
            .to_string();
        assert!(e.contains("m/s short of the Δv"), "{e}");
        assert_eq!(flights, 0, "{e}");
        // The bound leaves what one burn can climb to: a GTO's perigee.
        let gto = TargetOrbit { perigee_m: 200e3, apogee_m: 35_786e3, inclination_deg: 51.8, argument_of_perigee_deg: None };
        check_climb(&v, &vostochny, &gto).expect("a GTO is entered low");
    }

    /// Electron cannot put anything into GTO: with no payload its second stage holds about
    /// 2.36 km/s in a 200 km orbit, short of the 2.45 km/s perigee burn. Refused after the one
    /// parking-orbit search (a few hundred flights at most; the target's own search flew
    /// thousands before it gave up), with the shortfall.
    #[test]
    fn electron_is_short_of_gto_by_the_parking_orbit_delta_v() {
        let (v, _) = resolve_vehicle("electron").expect("vehicle");
        let mahia = site("mahia");
        let gto = TargetOrbit {
            perigee_m: 200e3,
            apogee_m: 35_786e3,
            inclination_deg: mahia.default_inclination_deg(),
            argument_of_perigee_deg: None,
        };
        let e = check_direct(&v, &mahia, &gto, Branch::Northbound, FlightOptions::default()).expect_err("short").to_string();
        let short_m_s: f64 = e
            .rsplit("short by ")
            .next()
            .and_then(|t| t.trim_end_matches(" m/s").parse().ok())
            .unwrap_or_else(|| panic!("no shortfall in: {e}"));
        assert!(short_m_s > DELTA_V_ALLOWANCE_FRACTION * 2_455.0 && short_m_s < 1_000.0, "{e}");
        // With the same vehicle, a 1,000 km apogee is within reach: not refused.
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 1_000e3, inclination_deg: gto.inclination_deg, argument_of_perigee_deg: None };
        check_direct(&v, &mahia, &low, Branch::Northbound, FlightOptions::default()).expect("reachable");
    }

    /// Ariane 5 ECA with no payload holds 14.8 km/s of ideal Δv, a GTO from a 200 km orbit needs
    /// 7.8 + 2.5 km/s and losses: the check is passed without its flights (it flew some 70),
    /// while Electron's 10.8 km/s still has it flown (and refused, above).
    #[test]
    fn a_vehicle_clearly_within_reach_skips_the_parking_orbit_flights() {
        let (a5, _) = resolve_vehicle("ariane-5-eca").expect("vehicle");
        let kourou = SiteCatalog::builtin().expect("sites").pad_for("kourou", a5.family.as_deref()).expect("pad").site.clone();
        let gto = TargetOrbit { perigee_m: 250e3, apogee_m: 35_943e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
        let r0 = WGS84_A_M + 200e3;
        let needed_m_s = coplanar_delta_v(r0, WGS84_A_M + gto.perigee_m, WGS84_A_M + gto.apogee_m);
        assert!(clearly_within_reach(&a5, r0, needed_m_s));
        assert_eq!(check_direct(&a5, &kourou, &gto, Branch::Northbound, FlightOptions::default()).expect("reachable"), 0);
        let (electron, _) = resolve_vehicle("electron").expect("vehicle");
        assert!(!clearly_within_reach(&electron, r0, needed_m_s));
    }

    /// The coplanar Δv is Hohmann's: 200 km to GSO needs 2,455 + 1,478 m/s.
    #[test]
    fn the_coplanar_delta_v_is_hohmann() {
        let r0 = WGS84_A_M + 200e3;
        let rg = WGS84_A_M + 35_786e3;
        let dv = coplanar_delta_v(r0, rg, rg);
        assert!((dv - 3_933.0).abs() < 15.0, "{dv}");
        // To GTO: the perigee burn only.
        let gto = coplanar_delta_v(r0, r0, rg);
        assert!((gto - 2_455.0).abs() < 10.0, "{gto}");
        assert_eq!(coplanar_delta_v(r0, r0, r0), 0.0);
    }
}
