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

use crate::environment::earth::{MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, WGS84_A_M, WGS84_B_M};
use crate::environment::elements::{circular_speed_m_s, specific_energy, vis_viva_speed_m_s};
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
/// (the longest of a chosen coast's range) and its propellant at the lowest throttle it may run at (its schedule's lowest level, and the
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
            // A coast the ascent chooses may be as long as its range allows.
            s.ignition_delay_max_s.unwrap_or(s.ignition_delay_s).max(s.ignition_delay_s).max(0.0) + burn_s
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
        "{}{} from {}: its ascent enters the orbit at the end of one continuous burn, at or above the perigee, and its stages burn for at most {t_s:.0} s, in which no ascent climbs above {:.0} km (at most the {rotation_m_s:.0} m/s of the Earth's rotation, its {ideal_m_s:.0} m/s of ideal Δv and what gravity adds): at least {short_m_s:.0} m/s short of the Δv that climb needs in that time (a coast and a second burn would be needed)",
        proven_refusal_prefix(&vehicle.name),
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
    let parking_km = parking.perigee_m / 1e3;
    // A negative figure is the ascent's own shortfall: its stages burned out before the
    // parking orbit, holding nothing there ("hold -131 m/s" would not say that).
    let held = if available.available_m_s < 0.0 {
        format!("the ascent burns out about {:.0} m/s short of the {parking_km:.0} km parking orbit", -available.available_m_s)
    } else {
        format!("in the {parking_km:.0} km parking orbit its stages hold {:.0} m/s of Δv", available.available_m_s)
    };
    Err(Error::Unreachable(format!(
        "{}{what}: with no payload, {held}, and the impulsive transfer from there needs {needed_m_s:.0} m/s (finite burns need more): short by {short_m_s:.0} m/s",
        proven_refusal_prefix(&vehicle.name),
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
        "{}{what}: from the {:.0} × {:.0} km parking orbit it needs at least {needed_m_s:.0} m/s of impulsive Δv, and `{stage}` alone (its whole load burned with no payload, nothing spent in the ascent) gives at most {most_m_s:.0} m/s",
        proven_refusal_prefix(&vehicle.name),
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
    let Ok(flight) = fly_straight_up(vehicle, site, options) else { return Ok(1) };
    let highest_m = match flight.outcome {
        crate::flight::FlightOutcome::BurnedOutShort if flight.final_orbit.eccentricity < 1.0 => flight.final_orbit.apogee_altitude_m(),
        // Back on the ground before the last burnout: the highest point it was seen at.
        crate::flight::FlightOutcome::Impact => flight.events.iter().map(|e| e.point.altitude_m).fold(0.0, f64::max),
        _ => return Ok(1),
    };
    if highest_m >= HELD_DOWN_BELOW_M {
        return Ok(1);
    }
    let climb = format!(
        "{}: flown straight up with no payload it climbs to {:.1} km at most, and the orbit's perigee is {:.0} km",
        vehicle.name,
        highest_m / 1e3,
        target.perigee_m / 1e3
    );
    // The liftoff thrust-to-weight is checked with the file; a stack that lifts less than its
    // weight once a stage has gone (strap-ons burned out onto a weak core) is short of thrust,
    // not held down by its drag.
    Err(Error::Unreachable(match first_separation_under_weight(&flight) {
        Some(e) => format!(
            "{climb}: it is short of thrust: after the {} at {:.0} s ({:.1} km up), the stages still burning lift {:.2} of the stack's weight (check their thrust and the stages' masses)",
            e.description,
            e.point.time_s,
            e.point.altitude_m / 1e3,
            thrust_to_weight(&e.point)
        ),
        None => format!("{climb}: the vehicle is held down by its drag or short of thrust (check the stages' thrust and the `aero` table)"),
    }))
}

/// `vehicle` with no payload flown from `site` with its thrust along the local vertical
/// ([`Vertical`]): the flight [`check_vertical`] and the refusals' hints read, each with its own
/// sampling and fall options.
fn fly_straight_up(vehicle: &Vehicle, site: &Site, options: FlightOptions) -> Result<crate::flight::FlightResult> {
    let setup = crate::flight::FlightSetup { vehicle, payload_kg: 0.0, launch: crate::flight::Launch::from_site(site, 90.0), options };
    crate::flight::fly(&setup, &mut Vertical)
}

/// The first separation of `flight` after which the stages still burning lift less than the
/// stack's weight (strap-ons burned out onto a weak core).
fn first_separation_under_weight(flight: &crate::flight::FlightResult) -> Option<&crate::flight::FlightEvent> {
    flight
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Separation { .. }) && e.point.thrust_n > 0.0 && thrust_to_weight(&e.point) < 1.0)
}

/// Thrust over weight at `point` (weight at standard gravity).
fn thrust_to_weight(point: &crate::flight::FlightPoint) -> f64 {
    point.thrust_n / (point.mass_kg * G0_M_S2)
}

/// Why a vehicle whose every search for the orbit failed reaches none ([`why_no_orbit`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoOrbit {
    /// A cause the figures prove: no steering reaches the orbit.
    pub cause: Option<String>,
    /// A figure that likely explains the failure without proving it.
    pub hint: Option<String>,
}

/// Why `vehicle` found no ascent to `target` from `site`, for a refusal. A failed search says only
/// what it saw ("could not be targeted from the built-in initial guess", or a restartable stage's
/// elliptic profile failing after the direct ascent ran out of its budget), the same words
/// whatever the file's fault; these figures name the fault, and cost at most one flight, so they
/// are computed only once the searches have failed. In turn:
///
/// - the ideal Δv the stages hold with no payload against the least impulsive Δv from the pad
///   into the orbit ([`least_delta_v_from_pad_m_s`]): short of it no steering reaches the orbit,
///   and mass kept aboard unburned that alone makes the gap (a flight performance reserve, a
///   residual beyond the usual share) is named;
/// - a stage that ignites only after the stack below it, which cannot orbit, is back on the
///   ground (a long `ignition_delay_s`), seen on the flight straight up with no payload;
/// - otherwise, as a hint, a liftoff thrust-to-weight so low that lifting off, not the orbit,
///   bounds the payload.
///
/// Short of a cause, the hints, each a figure that bears on the failure without proving it: the
/// liftoff thrust-to-weight; a stack that, flown straight up, lifts less than its weight after a
/// separation and falls back into the atmosphere under power; a stage lit only after the stack
/// below has passed its apogee (the
/// stage must stop the fall as well as gain the orbit's speed, and the longest delay that lights
/// it before that apogee); the ideal Δv with the fairing carried to the end against the least
/// Δv from the pad (short before any loss to gravity, drag or steering); a residual beyond the
/// usual share or a flight performance reserve, with the ideal Δv each costs.
pub fn why_no_orbit(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, options: FlightOptions) -> NoOrbit {
    let bare = without_jettisoned_mass(vehicle);
    let needed_m_s = least_delta_v_from_pad_m_s(site, target);
    let mut hints: Vec<String> = Vec::new();
    let mut cause = needed_m_s.and_then(|needed_m_s| delta_v_short(vehicle, &bare, needed_m_s));
    if cause.is_none() {
        match lit_after_the_fall(vehicle, &bare, site, options) {
            Some(Found::Cause(c)) => cause = Some(c),
            Some(Found::Hint(h)) => hints.push(h),
            None => {}
        }
    }
    if cause.is_some() {
        return NoOrbit { cause, hint: None };
    }
    hints.splice(0..0, liftoff_hint(vehicle));
    hints.extend(falls_back_under_power(vehicle, site, options));
    if let Some(needed_m_s) = needed_m_s {
        hints.extend(delta_v_short_carrying_the_fairing(vehicle, &bare, needed_m_s));
    }
    hints.extend(unburned_mass_hints(vehicle, &bare));
    NoOrbit { cause: None, hint: (!hints.is_empty()).then(|| hints.join("; ")) }
}

/// Height under which a stack falling back is said to be back in the atmosphere, m.
const BACK_IN_THE_AIR_BELOW_M: f64 = 100e3;

/// What [`lit_after_the_fall`] finds: a proven cause, or a hint.
enum Found {
    Cause(String),
    Hint(String),
}

/// Losses to gravity, drag and steering no ascent to a low orbit is taken to stay under, m/s:
/// the least of them run some 1.5 km/s (Saturn V 1.6 km/s); a hint only.
const LEAST_ASCENT_LOSSES_M_S: f64 = 1_500.0;

/// A hint when `vehicle` with no payload, its fairing and jettisoned structure carried to the end
/// (as `cosmodrome info` counts its ideal Δv), holds less ideal Δv than the least `needed_m_s`
/// from the pad: short before any loss. Not a proof (the fairing leaves on the way, and
/// [`delta_v_short`], which drops it at liftoff, found the stages hold enough then), but an
/// ascent also loses [`LEAST_ASCENT_LOSSES_M_S`] or more.
fn delta_v_short_carrying_the_fairing(vehicle: &Vehicle, bare: &Vehicle, needed_m_s: f64) -> Option<String> {
    let loaded_m_s = ideal_delta_v_m_s(vehicle);
    let short_m_s = short_of_m_s(loaded_m_s, needed_m_s)?;
    let dropped = if (ideal_delta_v_m_s(bare) - loaded_m_s).abs() >= 0.5 {
        format!(" ({:.0} m/s were the fairing and the jettisoned structure gone from liftoff)", ideal_delta_v_m_s(bare))
    } else {
        String::new()
    };
    Some(format!(
        "with no payload its stages hold {loaded_m_s:.0} m/s of ideal Δv carrying the fairing to the end{dropped}, and the orbit needs at least {needed_m_s:.0} m/s from the pad with no loss to gravity, drag or steering: {short_m_s:.0} m/s short before any loss, where an ascent loses some {LEAST_ASCENT_LOSSES_M_S:.0} m/s or more"
    ))
}

/// Mass kept aboard unburned that a refusal may name, with `bare` ([`delta_v_short`]) rid of
/// it: the flight performance reserve, and each stage's residual beyond the usual share brought
/// back to the default share. Each with what it is and how the stages would be without it (the
/// words before "the stages would hold").
fn unburned_mass(vehicle: &Vehicle, bare: &Vehicle) -> Vec<(String, Vehicle)> {
    let mut items = Vec::new();
    let reserve = |s: &crate::vehicle::Stage| f64::from(s.units) * s.reserve_mass_kg;
    if let Some(k) = bare.stages.iter().position(|s| reserve(s) > 0.0) {
        let mut unreserved = bare.clone();
        unreserved.stages.iter_mut().for_each(|s| s.reserve_mass_kg = 0.0);
        items.push((
            format!(
                "the flight performance reserve (`margins.flight_performance_reserve` = {}) keeps {:.0} kg of `{}`'s propellant unburned: without it",
                vehicle.margins.flight_performance_reserve,
                reserve(&bare.stages[k]),
                bare.stages[k].name
            ),
            unreserved,
        ));
    }
    for (k, s) in bare.stages.iter().enumerate() {
        let load_kg = s.propellant_mass_kg + s.residual_mass_kg;
        if s.residual_mass_kg <= USUAL_RESIDUAL_SHARE_MAX * load_kg {
            continue;
        }
        let mut usual = bare.clone();
        usual.stages[k].residual_mass_kg = crate::vehicle::DEFAULT_RESIDUAL_FRACTION * load_kg;
        items.push((
            format!(
                "`{}` keeps a residual of {:.0} kg aboard (`residual_mass_kg`), {:.0} % of its load where 0.5 to 2 % is usual: with {} %",
                s.name,
                f64::from(s.units) * s.residual_mass_kg,
                100.0 * s.residual_mass_kg / load_kg,
                100.0 * crate::vehicle::DEFAULT_RESIDUAL_FRACTION
            ),
            usual,
        ));
    }
    items
}

/// Hints naming mass kept aboard unburned ([`unburned_mass`]) that costs more than
/// [`DELTA_V_ALLOWANCE_FRACTION`] of the vehicle's ideal Δv with no payload, with what it costs.
/// A residual a little over the share that costs little (Soyuz's boosters keep 3 %, their
/// turbopump peroxide and nitrogen, some 40 m/s) is no hint.
fn unburned_mass_hints(vehicle: &Vehicle, bare: &Vehicle) -> Vec<String> {
    let held_m_s = ideal_delta_v_m_s(bare);
    if !held_m_s.is_finite() {
        return Vec::new();
    }
    unburned_mass(vehicle, bare)
        .into_iter()
        .filter_map(|(what, without)| {
            let cost_m_s = ideal_delta_v_m_s(&without) - held_m_s;
            (cost_m_s > DELTA_V_ALLOWANCE_FRACTION * held_m_s)
                .then(|| format!("{what} the stages would hold {cost_m_s:.0} m/s more ideal Δv with no payload"))
        })
        .collect()
}

/// `why` (a refusal of `vehicle` to `target` from `site`) with what [`why_no_orbit`] finds: a
/// proven cause instead of the search's account, a hint before it.
pub fn explained(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, options: FlightOptions, why: String) -> String {
    let NoOrbit { cause, hint } = why_no_orbit(vehicle, site, target, options);
    if let Some(cause) = cause {
        return format!("{}{} from {}: {cause}", proven_refusal_prefix(&vehicle.name), target.describe(), site.id);
    }
    match (hint, why.strip_prefix(&format!("{}: ", vehicle.name))) {
        (Some(hint), Some(rest)) => format!("{}: {hint}; {rest}", vehicle.name),
        (Some(hint), None) => format!("{why}; {hint}"),
        (None, _) => why,
    }
}

/// The words every proven refusal of `vehicle_name` starts with (this module's and
/// [`explained`]'s): what a caller matches to tell a proof that no payload reaches the orbit from
/// a search that found none ([`is_proven_refusal`]).
fn proven_refusal_prefix(vehicle_name: &str) -> String {
    format!("{vehicle_name} cannot reach ")
}

/// Whether `e` is a proven refusal of `vehicle_name` (`proven_refusal_prefix`): no payload,
/// however flown, reaches the orbit, so flying a given payload fails too.
pub fn is_proven_refusal(vehicle_name: &str, e: &crate::Error) -> bool {
    matches!(e, crate::Error::Unreachable(said) if said.starts_with(&proven_refusal_prefix(vehicle_name)))
}

/// `e`, a refusal of `vehicle` to `target` from `site` after every search failed, with the
/// file's `[limits]` named in front when they are what holds the vehicle back
/// ([`limits_holding_back`]). A proven refusal, or any other error, is returned as it is.
pub(crate) fn with_limits_named(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    e: crate::Error,
) -> crate::Error {
    let Error::Unreachable(why) = e else { return e };
    if why.starts_with(&proven_refusal_prefix(&vehicle.name)) {
        return Error::Unreachable(why);
    }
    let Some(limits) = limits_holding_back(vehicle, site, target, branch, options) else { return Error::Unreachable(why) };
    Error::Unreachable(match why.strip_prefix(&format!("{}: ", vehicle.name)) {
        Some(rest) => format!("{}: {limits}; {rest}", vehicle.name),
        None => format!("{why}; {limits}"),
    })
}

/// The words that open [`limits_holding_back`]'s text, which [`names_limits_holding_back`] looks for.
const LIMITS_NAMED: &str = "the file's `[limits]` ";

/// Whether the refusal `e` names the file's `[limits]` as what holds the vehicle back
/// (`with_limits_named`): then a run with a given payload is held back the same way.
pub fn names_limits_holding_back(e: &crate::Error) -> bool {
    matches!(e, crate::Error::Unreachable(said) if said.contains(LIMITS_NAMED) && said.contains(" the vehicle back: without "))
}

/// Most flights the targeting of the ascent with no payload may take in [`limits_holding_back`]
/// with a limit lifted: one that converges takes some 70 ([`parking_delta_v`]'s), one beyond the
/// vehicle's reach would take thousands to fail, on a path that has failed already.
const LIMIT_LIFTED_PROBE_FLIGHTS: usize = 400;
/// Most flights of the payload search in [`limits_holding_back`] with a limit lifted, once the
/// ascent with no payload was targeted: a search that converges takes hundreds.
const LIMIT_LIFTED_SEARCH_FLIGHTS: usize = 3_000;

/// The file's `[limits]` (`max_q_kpa`, `max_accel_g`) as the cause of a search for the ascent to
/// `target` that found none: held to them, the ascent with no payload is not targeted within
/// `LIMIT_LIFTED_PROBE_FLIGHTS`; lifted, it is targeted and the payload
/// search (the direct ascent, the stages as loaded) finds the largest payload; then the limit is
/// what makes the difference, and the refusal says so with what the engines do held to it
/// (that ascent flown with the limit, its throttling, and how far it then falls short) and what
/// the vehicle carries without it. Each limit is lifted alone first, then both together, and the
/// first set that flies is named. `None` without limits, or when no lifting flies within
/// `LIMIT_LIFTED_PROBE_FLIGHTS` and `LIMIT_LIFTED_SEARCH_FLIGHTS`: the limits are then not
/// shown to be the cause, and are not named.
pub fn limits_holding_back(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, branch: Branch, options: FlightOptions) -> Option<String> {
    let limits = vehicle.limits;
    let q = limits.max_q_pa.map(|q_pa| (format!("`max_q_kpa` = {}", q_pa / 1e3), crate::vehicle::Limits { max_q_pa: None, ..limits }));
    let g = limits.max_accel_g.map(|g| (format!("`max_accel_g` = {g}"), crate::vehicle::Limits { max_accel_g: None, ..limits }));
    let both = match (&q, &g) {
        (Some((q_named, _)), Some((g_named, _))) => Some((format!("{q_named} and {g_named}"), crate::vehicle::Limits::default())),
        _ => None,
    };
    let options = FlightOptions { sample_interval_s: None, ..options };
    // Held to its limits, the ascent with no payload must fail too: a vehicle that flies it (a
    // given payload refused for a reason of its own) is not held back by them.
    if (q.is_none() && g.is_none()) || no_payload_targeted(vehicle, site, target, branch, options) {
        return None;
    }
    [q, g, both].into_iter().flatten().find_map(|(named, lifted_limits)| {
        let lifted = Vehicle { limits: lifted_limits, ..vehicle.clone() };
        let carried = carried_without(&lifted, site, target, branch, options)?;
        let (holds, it) =
            if lifted_limits == crate::vehicle::Limits::default() && named.contains(" and ") { ("hold", "them") } else { ("holds", "it") };
        Some(format!(
            "{LIMITS_NAMED}{named} {holds} the vehicle back: without {it} the direct ascent carries {} kg there{}",
            crate::units::kg_text(carried.payload_kg),
            held_to_the_limits(vehicle, target, &carried, options, it)
        ))
    })
}

/// The largest payload of the direct ascent of `lifted` (a vehicle with a limit lifted) to
/// `target`, once its ascent with no payload was targeted; `None` when either fails within its
/// budget ([`limits_holding_back`]).
fn carried_without(
    lifted: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
) -> Option<super::payload::PayloadSolution> {
    if !no_payload_targeted(lifted, site, target, branch, options) {
        return None;
    }
    let ascent = super::targeting::DirectAscent { vehicle: lifted, site, target: *target, branch, options };
    let mut quiet = |_| {};
    super::payload::maximize_payload_within(&ascent, &[], None, LIMIT_LIFTED_SEARCH_FLIGHTS, &mut quiet).ok().map(|w| w.solution)
}

/// Whether the ascent of `vehicle` with no payload to `target` is targeted within
/// [`LIMIT_LIFTED_PROBE_FLIGHTS`] (a liquid last stage cutting off with propellant to spare).
fn no_payload_targeted(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, branch: Branch, options: FlightOptions) -> bool {
    let mut quiet = |_| {};
    let Ok(problem) = Problem::<3>::new(vehicle, site, target, branch, Payload::Given(0.0), options, &mut quiet) else { return false };
    let mut problem = problem.with_flight_budget(LIMIT_LIFTED_PROBE_FLIGHTS);
    let Ok(Some(best)) = problem.search(0.0) else { return false };
    vehicle.last_stage_is_solid() || best.margin_kg > 0.0
}

/// What the ascent of `carried` (found with a limit lifted) does flown with that payload by
/// `vehicle`, held to its limits: for each limit it throttles for, how deep its engines go
/// (marked when that is the least they can) and from when; then where it ends, back on the
/// ground or short of the orbit's energy by about so much speed. `it` names the limits lifted
/// ("it", "them"). Empty when that flight fails.
fn held_to_the_limits(
    vehicle: &Vehicle,
    target: &TargetOrbit,
    carried: &super::payload::PayloadSolution,
    options: FlightOptions,
    it: &str,
) -> String {
    use crate::flight::{FlightOutcome, ThrottleLimit};
    let setup = crate::flight::FlightSetup { vehicle, payload_kg: carried.payload_kg, launch: carried.launch, options };
    let Ok(flight) = crate::flight::fly(&setup, &mut crate::guidance::AscentProgram::new(carried.parameters, vehicle, &carried.launch))
    else {
        return String::new();
    };
    let least_throttle =
        vehicle.stages.iter().filter(|s| !s.is_solid()).map(|s| s.engine.throttle_min.max(crate::flight::eom::MIN_LIMIT_THROTTLE));
    let least_throttle = least_throttle.fold(f64::INFINITY, f64::min);
    let mut throttling = Vec::new();
    for limit in [ThrottleLimit::MaxQ, ThrottleLimit::Acceleration] {
        let from_s = flight.first(|k| matches!(k, EventKind::LimitThrottleStart { limit: l, .. } if *l == limit)).map(|e| e.point.time_s);
        let deepest = flight
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::LimitThrottleEnd { limit: l, min_throttle, .. } if l == limit => Some(min_throttle),
                _ => None,
            })
            .fold(f64::INFINITY, f64::min);
        let Some(from_s) = from_s.filter(|_| deepest.is_finite()) else { continue };
        let least = if deepest <= least_throttle + 5e-3 { " (the least they can)" } else { "" };
        throttling.push(format!("to {:.0} %{least} for {} from {from_s:.0} s after liftoff", 100.0 * deepest, limit.describe(vehicle)));
    }
    let throttled = if throttling.is_empty() { String::new() } else { format!(" throttles its engines {}", throttling.join(" and ")) };
    let p = &flight.final_point;
    let ends = match flight.outcome {
        FlightOutcome::Impact => format!(" is back on the ground {:.0} s after liftoff", p.time_s),
        _ => {
            let deficit_j_kg = target.energy_j_kg() - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
            if deficit_j_kg > 0.0 {
                let short_m_s = (p.speed_m_s * p.speed_m_s + 2.0 * deficit_j_kg).sqrt() - p.speed_m_s;
                format!(" ends about {short_m_s:.0} m/s short of the orbit's energy")
            } else {
                String::new()
            }
        }
    };
    match (throttled.is_empty(), ends.is_empty()) {
        (true, true) => String::new(),
        (false, false) => format!(", and that ascent flown held to {it}{throttled} and{ends}"),
        _ => format!(", and that ascent flown held to {it}{throttled}{ends}"),
    }
}

/// Largest ratio of the apogee radius to the pad's for which [`least_delta_v_from_pad_m_s`]'s
/// two burns are the cheapest way (Hohmann's transfer, beaten by three burns beyond 11.94).
const HOHMANN_BEST_WITHIN_RATIO: f64 = 11.94;

/// The pad's distance from the Earth's centre, m, and the speed the Earth's rotation gives it, m/s.
fn pad_radius_and_rotation(site: &Site) -> (f64, f64) {
    let pad = crate::flight::Launch::from_site(site, 0.0).pad_position_m();
    (pad.norm(), OMEGA_EARTH_RAD_S * pad.xy().norm())
}

/// Least impulsive Δv that takes a vehicle from the pad of `site` into `target`, m/s: a burn at the
/// pad onto the ellipse out to one apsis of the target, then one there onto the target, the
/// cheaper order, less the Earth's rotation (all of it counted, whatever the azimuth). Every
/// real ascent needs more (gravity, drag, steering, a climb under power). `None` for a perigee
/// under the pad or an apogee beyond 11.94 pad radii (`HOHMANN_BEST_WITHIN_RATIO`).
pub fn least_delta_v_from_pad_m_s(site: &Site, target: &TargetOrbit) -> Option<f64> {
    let (r0, rotation_m_s) = pad_radius_and_rotation(site);
    let (rp, ra) = (WGS84_A_M + target.perigee_m, WGS84_A_M + target.apogee_m);
    if !(rp >= r0 && ra >= rp && ra <= HOHMANN_BEST_WITHIN_RATIO * r0) {
        return None;
    }
    // Out to `far`, then onto the target there (its other apsis `near`).
    let via = |far: f64, near: f64| {
        let a1 = 0.5 * (r0 + far);
        vis_viva_speed_m_s(r0, a1) + (vis_viva_speed_m_s(far, 0.5 * (near + far)) - vis_viva_speed_m_s(far, a1)).abs()
    };
    Some(via(ra, rp).min(via(rp, ra)) - rotation_m_s)
}

/// `vehicle` with its fairing and the structure it jettisons gone from liftoff: its ideal Δv
/// ([`delta_v_budget`] carries what leaves by altitude or heat flux to the end) is then at least
/// what any ascent gets.
fn without_jettisoned_mass(vehicle: &Vehicle) -> Vehicle {
    let mut bare = vehicle.clone();
    bare.fairing = None;
    bare.jettison.clear();
    bare
}

/// How far `held_m_s` of ideal Δv falls short of `needed_m_s`, m/s, when by more than
/// [`DELTA_V_ALLOWANCE_FRACTION`] of it (what the point-mass estimate leaves out); `None` when it
/// holds enough.
fn short_of_m_s(held_m_s: f64, needed_m_s: f64) -> Option<f64> {
    let short_m_s = needed_m_s - held_m_s;
    (held_m_s.is_finite() && short_m_s > DELTA_V_ALLOWANCE_FRACTION * needed_m_s).then_some(short_m_s)
}

/// Ideal Δv of `vehicle` with no payload, m/s.
fn ideal_delta_v_m_s(vehicle: &Vehicle) -> f64 {
    delta_v_budget(vehicle, 0.0).total_delta_v_m_s
}

/// Highest residual share of a stage's load that is usual: Sutton & Biblarz give 0.5–2 %.
const USUAL_RESIDUAL_SHARE_MAX: f64 = 0.02;

/// Why `vehicle` (`bare`: its fairing and jettisoned structure gone, [`without_jettisoned_mass`])
/// cannot reach an orbit `needed_m_s` of impulsive Δv from the pad: its stages hold less ideal Δv
/// than that by more than [`DELTA_V_ALLOWANCE_FRACTION`] (what the point-mass estimate leaves
/// out, the Earth's oblateness); then the flight performance reserve, or a stage's residual
/// beyond the usual share, when without it alone the stages would hold enough. `None` when
/// they hold enough.
fn delta_v_short(vehicle: &Vehicle, bare: &Vehicle, needed_m_s: f64) -> Option<String> {
    let held_m_s = ideal_delta_v_m_s(bare);
    let short_m_s = short_of_m_s(held_m_s, needed_m_s)?;
    let mut text = format!(
        "with no payload its stages hold at most {held_m_s:.0} m/s of ideal Δv, and the orbit needs {needed_m_s:.0} m/s from the pad with no loss to gravity, drag or steering: {short_m_s:.0} m/s short"
    );
    let enough = |v: &Vehicle| short_of_m_s(ideal_delta_v_m_s(v), needed_m_s).is_none();
    for (what, without) in unburned_mass(vehicle, bare) {
        if enough(&without) {
            text.push_str(&format!("; {what} the stages would hold enough"));
        }
    }
    Some(text)
}

/// Why `vehicle` (`bare` as in [`delta_v_short`]) cannot reach orbit when a stage ignites so long
/// after the stages below it that the stack, which cannot orbit on those (the ideal Δv they hold,
/// added to the pad's speed, stays under the circular speed at the Earth's polar radius: every
/// orbit they could reach passes below the ground), is back on the ground first: the flight
/// straight up with no payload, which climbs highest, comes down before that stage ignites.
/// `None` otherwise (one flight at most, for the first stage ignited after a delay under which
/// the stack cannot orbit).
///
/// When the stage does ignite on that flight but only after the stack's apogee, a hint: the
/// height it peaks at and when, how fast it falls and how high it is at the ignition, and the
/// longest `ignition_delay_s` that lights the stage at or before that apogee. Past its apogee the
/// stage must stop the fall as well as gain the orbit's speed; the payload search's built-in
/// guesses aim for a climbing flight path at the first upper-stage ignition, which no ascent
/// reaches then.
fn lit_after_the_fall(vehicle: &Vehicle, bare: &Vehicle, site: &Site, options: FlightOptions) -> Option<Found> {
    let budget = delta_v_budget(bare, 0.0);
    let (r0, rotation_m_s) = pad_radius_and_rotation(site);
    // The most speed the stack could have at the polar radius with the pad's own.
    let pad_m_s = (rotation_m_s * rotation_m_s + 2.0 * MU_EARTH_M3_S2 * (1.0 / WGS84_B_M - 1.0 / r0).max(0.0)).sqrt();
    // The ideal Δv of the phases that end by `t_s`.
    let burned_by_m_s = |t_s: f64| budget.phases.iter().filter(|p| p.end_s <= t_s).map(|p| p.delta_v_m_s).sum::<f64>();
    let (k, ignition_s, below_m_s) = (1..vehicle.stages.len()).find_map(|k| {
        let ignition_s = budget.stages.get(k)?.ignition_s;
        let below_m_s = burned_by_m_s(ignition_s);
        (vehicle.stages[k].ignition_delay_s > 0.0 && pad_m_s + below_m_s < circular_speed_m_s(WGS84_B_M))
            .then_some((k, ignition_s, below_m_s))
    })?;
    let options = FlightOptions { sample_interval_s: None, follow_suborbital_fall: true, ..options };
    let flight = fly_straight_up(vehicle, site, options).ok()?;
    let stage = &vehicle.stages[k];
    if let Some(lit) = flight.event(&EventKind::Ignition { stage: k }) {
        let p = &lit.point;
        let apogee = flight.events.iter().find(|e| e.kind == EventKind::Apogee && e.point.time_s <= p.time_s)?;
        let falling_m_s = -p.speed_m_s * p.flight_path_angle_deg.to_radians().sin();
        if falling_m_s <= 0.0 {
            return None;
        }
        let longest_s = stage.ignition_delay_s - (p.time_s - apogee.point.time_s);
        let longest = if longest_s > 0.0 {
            format!("; an `ignition_delay_s` up to {longest_s:.0} s lights it by that apogee")
        } else {
            String::new()
        };
        return Some(Found::Hint(format!(
            "`{}` ignites {ignition_s:.0} s after liftoff (`ignition_delay_s` = {}), after the stack below it has passed its highest point: flown straight up with no payload, the steering that climbs highest, the stack peaks at {:.0} km {:.0} s after liftoff and is falling at {falling_m_s:.0} m/s ({:.1}° below the horizontal), {:.0} km up{}, when `{}` ignites, which must then stop the fall as well as gain the orbit's speed (the payload search's built-in guesses all light it while the stack still climbs){longest}",
            stage.name,
            stage.ignition_delay_s,
            apogee.point.altitude_m / 1e3,
            apogee.point.time_s,
            -p.flight_path_angle_deg,
            p.altitude_m / 1e3,
            if p.altitude_m < BACK_IN_THE_AIR_BELOW_M { ", back in the atmosphere" } else { "" },
            stage.name,
        )));
    }
    if flight.outcome != crate::flight::FlightOutcome::Impact {
        return None;
    }
    Some(Found::Cause(format!(
        "`{}` ignites {ignition_s:.0} s after liftoff (`ignition_delay_s` = {}), but the stages below it hold at most {below_m_s:.0} m/s of ideal Δv, too little for any orbit, and flown straight up with no payload the stack is back on the ground {:.0} s after liftoff, before it ignites",
        stage.name,
        stage.ignition_delay_s,
        flight.final_point.time_s,
    )))
}

/// A hint when `vehicle`, flown straight up with no payload (the steering that climbs highest),
/// lifts less than its weight once a stage has separated and falls back into the atmosphere
/// while its stages still burn: strap-ons that burn out onto a core too weak for the stack,
/// which climbs above the height [`check_vertical`] refuses under but comes down before the
/// core burns out (four solid boosters leaving a hydrogen core that lifts 0.45 of the stack's
/// weight 40 km up: no built-in guess could be flown, and the refusal said no more). Not a
/// proof (flown level, a stage under its weight can still gain an orbit's speed); one flight,
/// sampled each second.
fn falls_back_under_power(vehicle: &Vehicle, site: &Site, options: FlightOptions) -> Option<String> {
    let options = FlightOptions { sample_interval_s: Some(1.0), follow_suborbital_fall: true, ..options };
    let flight = fly_straight_up(vehicle, site, options).ok()?;
    let last_burnout_s = flight.event(&EventKind::Burnout { stage: vehicle.stages.len() - 1 }).map_or(f64::INFINITY, |e| e.point.time_s);
    let weak = first_separation_under_weight(&flight)?;
    let after = || flight.samples.iter().map(|s| &s.point).filter(|p| p.time_s >= weak.point.time_s);
    let peak = after().max_by(|a, b| a.altitude_m.total_cmp(&b.altitude_m))?;
    let back = after().find(|p| p.time_s > peak.time_s && p.altitude_m < BACK_IN_THE_AIR_BELOW_M)?;
    (back.thrust_n > 0.0 && back.time_s < last_burnout_s).then(|| {
        let burnout = if last_burnout_s.is_finite() {
            format!("its last burnout due at {last_burnout_s:.0} s")
        } else {
            "before its last burnout".to_owned()
        };
        format!(
            "flown straight up with no payload, the steering that climbs highest, after the {} at {:.0} s ({:.1} km up) the stages still burning lift {:.2} of the stack's weight: it peaks at {:.0} km {:.0} s after liftoff and is back under {:.0} km at {:.0} s, {burnout} (check the thrust of the stages burning after that separation)",
            weak.description,
            weak.point.time_s,
            weak.point.altitude_m / 1e3,
            thrust_to_weight(&weak.point),
            peak.altitude_m / 1e3,
            peak.time_s,
            BACK_IN_THE_AIR_BELOW_M / 1e3,
            back.time_s,
        )
    })
}

/// A hint when the liftoff thrust-to-weight with no payload is so low that the heaviest payload
/// that lifts off is under [`crate::optimize::payload::DIRECT_PAYLOAD_GUESS_SHARE`] of the liftoff
/// mass, the least launchers put into a low orbit: lifting off, not the orbit, then bounds the
/// payload, and the payload search, which looks for the payload that burns the propellant to
/// the orbit, may find none.
fn liftoff_hint(vehicle: &Vehicle) -> Option<String> {
    let heaviest_kg = crate::optimize::payload::heaviest_liftoff_payload_kg(vehicle);
    lifting_off_bounds_the_payload(vehicle).then(|| {
        format!(
            "with no payload its liftoff thrust-to-weight is only {:.3}, so no payload over {heaviest_kg:.0} kg lifts off",
            vehicle.liftoff_thrust_to_weight(0.0)
        )
    })
}

/// Whether lifting off, not the orbit, bounds the payload of `vehicle`: the heaviest payload that
/// lifts off is under [`crate::optimize::payload::DIRECT_PAYLOAD_GUESS_SHARE`] of the liftoff
/// mass, the least launchers put into a low orbit. The payload search may then target nothing.
pub(crate) fn lifting_off_bounds_the_payload(vehicle: &Vehicle) -> bool {
    let heaviest_kg = crate::optimize::payload::heaviest_liftoff_payload_kg(vehicle);
    heaviest_kg < crate::optimize::payload::DIRECT_PAYLOAD_GUESS_SHARE * vehicle.liftoff_mass_kg(0.0)
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

    /// Four solid boosters that leave a hydrogen core lifting under half the stack's weight 40 km
    /// up: flown straight up the stack climbs past the 50 km the climb check refuses under, but
    /// falls back into the atmosphere with the core still burning. A refusal names that as a
    /// hint, with the separation and the figure; with the core twice as strong there is none.
    #[test]
    fn a_stack_falling_back_under_power_is_named() {
        let text = |core_kn: f64| {
            format!(
                r#"format = 1
name = "weak core"
[[motor]]
id = "SRB"
propellant = "HTPB"
isp_vac_s = 280.0
exit_area_m2 = 1.25
thrust_curve_vac_kn = [[0.0, 0.0], [0.5, 2006.9], [77.75, 1289.5], [86.39, 0.0]]
[[engine]]
id = "Core"
propellant = "LOX/LH2"
thrust_vac_kn = {core_kn}
isp_vac_s = 438.7
isp_sl_s = 355.9
[[engine]]
id = "Upper"
propellant = "LOX/LH2"
thrust_vac_kn = 120.3
isp_vac_s = 449.2
[[stage]]
name = "Boosters"
kind = "booster"
units = 4
motor = "SRB"
dry_mass_kg = 6218.0
propellant_mass_kg = 48574.0
residual_mass_kg = 0.0
diameter_m = 1.64
ignition = "liftoff"
separation_delay_s = 3.8
[[stage]]
name = "Core"
kind = "core"
engine = "Core"
dry_mass_kg = 22015.0
propellant_mass_kg = 177249.0
diameter_m = 4.0
ignition = "liftoff"
[[stage]]
name = "Upper"
engine = "Upper"
dry_mass_kg = 5340.0
propellant_mass_kg = 29842.0
diameter_m = 4.0
[fairing]
mass_kg = 2136.0
jettison_altitude_km = 109.0
"#
            )
        };
        let kourou = site("kourou");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 5.4, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let (weak, _) = Vehicle::from_toml(&text(958.1), "weak-core.toml").expect("a valid file");
        assert_eq!(check_vertical(&weak, &kourou, &low, options).expect("climbs past 50 km"), 1);
        let hint = why_no_orbit(&weak, &kourou, &low, options).hint.expect("a hint");
        assert!(hint.contains("after the separation of Boosters at") && hint.contains("lift 0.4"), "{hint}");
        assert!(hint.contains("is back under 100 km at"), "{hint}");
        let (strong, _) = Vehicle::from_toml(&text(1916.2), "strong-core.toml").expect("a valid file");
        let hint = why_no_orbit(&strong, &kourou, &low, options).hint;
        assert!(hint.as_ref().is_none_or(|h| !h.contains("back under")), "{hint:?}");
    }

    /// Strap-ons that lift the stack off and leave a core lifting half its weight: the refusal
    /// names the separation after which the stack is short of thrust, and the figure, rather
    /// than the drag.
    #[test]
    fn a_core_short_of_thrust_after_its_strap_ons_is_named() {
        let text =
            include_str!("../../../../tests/reference/low-strap-ons.toml").replacen("thrust_vac_kn = 560.0", "thrust_vac_kn = 300.0", 1);
        let (weak, _) = Vehicle::from_toml(&text, "weak-core.toml").expect("a valid file: it lifts off");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let refused = check_vertical(&weak, &site("vostochny"), &low, FlightOptions::default()).expect_err("held down").to_string();
        assert!(refused.contains("short of thrust: after the separation of Strap-ons at"), "{refused}");
        let lifts = crate::figure_in(&refused, "still burning lift ", " ");
        assert!((0.3..0.7).contains(&lifts), "{refused}");
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

    /// A parking orbit the ascent burned out short of is said so, not as a negative Δv held.
    #[test]
    fn a_parking_orbit_out_of_reach_is_not_a_negative_delta_v_held() {
        let (v, _) = resolve_vehicle("electron").expect("vehicle");
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 30.0, argument_of_perigee_deg: None };
        let parked = |available_m_s| ParkingDeltaV {
            available_m_s,
            radius_m: WGS84_A_M + 200e3,
            mass_kg: 1_000.0,
            left_kg: 0.0,
            flights: 1,
            ascent: None,
        };
        let e = check_delta_v(&v, " to 1000 km", &parking, 434.0, &parked(-131.0)).expect_err("short").to_string();
        assert!(e.contains("the ascent burns out about 131 m/s short of the 200 km parking orbit"), "{e}");
        assert!(e.ends_with("needs 434 m/s (finite burns need more): short by 565 m/s") && !e.contains("-131"), "{e}");
        let e = check_delta_v(&v, " to 1000 km", &parking, 434.0, &parked(100.0)).expect_err("short").to_string();
        assert!(e.contains("in the 200 km parking orbit its stages hold 100 m/s of Δv"), "{e}");
        assert!(check_delta_v(&v, " to 1000 km", &parking, 434.0, &parked(430.0)).is_ok(), "within the allowance");
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

    /// A kerosene first stage under a restartable hydrogen upper stage (figures of the Atlas V
    /// 401 class, rounded), shared with the command line's tests.
    const RESTARTABLE_UPPER: &str = include_str!("../../../../tests/reference/restartable-upper.toml");

    /// That vehicle with `from` in its file replaced by `to`.
    fn restartable_upper(from: &str, to: &str) -> Vehicle {
        assert!(RESTARTABLE_UPPER.contains(from), "{from}");
        Vehicle::from_toml(&RESTARTABLE_UPPER.replacen(from, to, 1), "restartable-upper.toml").expect("reads").0
    }

    /// 200 km at 28.6° from Cape Canaveral.
    fn low_from_the_cape() -> (Site, TargetOrbit) {
        (site("cape-canaveral"), TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 28.6, argument_of_perigee_deg: None })
    }

    /// The least Δv from the pad is Hohmann's from the pad's radius less the Earth's rotation:
    /// from Cape Canaveral to 200 km, some 7.62 km/s (7.97 km/s out of the pad, 61 m/s at the
    /// top, 409 m/s of rotation); more to an ellipse reaching higher, none beyond Hohmann's range.
    #[test]
    fn the_least_delta_v_from_the_pad_is_hohmanns() {
        let (cape, low) = low_from_the_cape();
        let needed_m_s = least_delta_v_from_pad_m_s(&cape, &low).expect("within Hohmann's range");
        assert!((7_580.0..7_680.0).contains(&needed_m_s), "{needed_m_s:.0} m/s");
        let gto = TargetOrbit { apogee_m: 35_786e3, ..low };
        let gto_m_s = least_delta_v_from_pad_m_s(&cape, &gto).expect("within Hohmann's range");
        assert!(gto_m_s > needed_m_s + 2_000.0, "{gto_m_s:.0} m/s");
        assert_eq!(least_delta_v_from_pad_m_s(&cape, &TargetOrbit { apogee_m: 400_000e3, ..low }), None);
    }

    /// A restartable vehicle whose upper stage keeps 30 t of residual aboard holds less ideal Δv
    /// than the orbit needs from the pad with no loss at all: the payload search used to refuse
    /// it with the elliptic profile's failure alone ("no elliptical orbit under 200 × 200 km …
    /// could be flown"), the direct ascent having only run out of its budget. The refusal now
    /// says by how much Δv it falls short and names the residual; the vehicle as loaded is given
    /// no cause and no hint.
    #[test]
    fn a_restartable_vehicle_short_of_orbit_is_refused_naming_what_it_lacks() {
        let (cape, low) = low_from_the_cape();
        let options = FlightOptions::default();
        let sound = restartable_upper("", "");
        assert!(sound.stages[1].max_burns() > 1);
        assert_eq!(why_no_orbit(&sound, &cape, &low, options), NoOrbit::default());
        let heavy = restartable_upper("max_burns = 3\n", "max_burns = 3\nresidual_mass_kg = 30000.0\n");
        let e = maximize_payload(&heavy, &cape, &low, Branch::Northbound, options, &mut |_| {}).expect_err("short").to_string();
        assert!(e.starts_with("Restartable upper cannot reach 200 × 200 km at 28.60° from cape-canaveral"), "{e}");
        assert!(e.contains("`Upper` keeps a residual of 30000 kg aboard (`residual_mass_kg`)") && !e.contains("elliptical"), "{e}");
        let short_m_s: f64 = e
            .split(" m/s short")
            .next()
            .and_then(|t| t.rsplit(": ").next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no shortfall in: {e}"));
        assert!(short_m_s > 100.0 && short_m_s < 1_000.0, "{e}");
    }

    /// The other faults of a file that leave a vehicle without orbit, each named with its figure:
    /// a flight performance reserve of 99 % (Δv short, the reserve alone the cause); an upper
    /// stage lit 3,000 s after the first burns out, under which the stack cannot orbit and is back
    /// on the ground first (one flight straight up); a liftoff thrust-to-weight of 1.005, which
    /// proves nothing (with a light payload that vehicle does reach the orbit) and is a hint.
    #[test]
    fn a_reserve_a_late_ignition_and_a_low_liftoff_thrust_are_named() {
        let (cape, low) = low_from_the_cape();
        let options = FlightOptions::default();
        let reserved = restartable_upper("[limits]", "[margins]\nflight_performance_reserve = 0.99\n\n[limits]");
        let found = why_no_orbit(&reserved, &cape, &low, options);
        let cause = found.cause.expect("short of Δv");
        assert!(
            cause.contains("m/s short") && cause.contains("`margins.flight_performance_reserve` = 0.99") && cause.contains("`Upper`"),
            "{cause}"
        );
        let late = restartable_upper("max_burns = 3\n", "max_burns = 3\nignition_delay_s = 3000.0\n");
        let cause = why_no_orbit(&late, &cape, &low, options).cause.expect("lit after the fall");
        assert!(
            cause.contains("`Upper` ignites") && cause.contains("`ignition_delay_s` = 3000") && cause.contains("back on the ground"),
            "{cause}"
        );
        let weak = restartable_upper(
            "thrust_vac_kn = 4152.0\nthrust_sl_kn = 3827.0\nisp_vac_s = 338.4\nisp_sl_s = 311.3\n",
            "thrust_vac_kn = 3580.0\nthrust_sl_kn = 3255.0\nisp_vac_s = 338.4\n",
        );
        let found = why_no_orbit(&weak, &cape, &low, options);
        assert_eq!(found.cause, None);
        let hint = found.hint.expect("a hint");
        assert!(hint.contains("thrust-to-weight is only 1.00") && hint.contains("lifts off"), "{hint}");
        // A hint goes before the search's account, a cause replaces it.
        let said = explained(&weak, &cape, &low, options, "Restartable upper: the ascent could not be targeted".to_owned());
        assert!(
            said.starts_with("Restartable upper: with no payload its liftoff thrust-to-weight")
                && said.ends_with("; the ascent could not be targeted"),
            "{said}"
        );
        let said = explained(&late, &cape, &low, options, "Restartable upper: no elliptical orbit".to_owned());
        assert!(said.starts_with("Restartable upper cannot reach") && !said.contains("elliptical"), "{said}");
    }

    /// A catalog vehicle with `from` in its file replaced by `to` (a user's faulty variant).
    fn catalog_variant(id: &str, from: &str, to: &str) -> Vehicle {
        let text = crate::vehicle::catalog::catalog_vehicle(id).expect("catalog");
        assert_eq!(text.matches(from).count(), 1, "{from}");
        Vehicle::from_toml(&text.replacen(from, to, 1), "variant.toml").expect("reads").0
    }

    /// Soyuz-2.1b's Block I lit 600 s after the core burns out: the payload search, whose guesses
    /// all light it while the stack climbs, found no ascent ("could not be flown from the built-in
    /// initial guess"). Flown straight up the stack peaks 376 s after the core's burnout, so Block
    /// I ignites falling fast; the refusal now says so in figures, with the longest delay that
    /// lights it by that apogee (300 s flies, 4,432 kg). Falcon 9's second stage lit 600 s late
    /// ignites with the stack back in the atmosphere. Hints, not causes: no figure here proves
    /// that no steering reaches the orbit.
    #[test]
    fn an_upper_stage_lit_past_the_stacks_apogee_is_named_with_its_figures() {
        let vostochny = site("vostochny");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let late = catalog_variant("soyuz-2.1b", "ignition_delay_s = 0.0", "ignition_delay_s = 600.0");
        let found = why_no_orbit(&late, &vostochny, &low, options);
        assert_eq!(found.cause, None);
        let hint = found.hint.expect("a hint");
        assert!(
            hint.starts_with(
                "`Block I` ignites 883 s after liftoff (`ignition_delay_s` = 600), after the stack below it has passed its highest point"
            ) && hint.contains("must then stop the fall")
                && !hint.contains("back in the atmosphere")
                && !hint.contains("residual"),
            "{hint}"
        );
        let longest_s = crate::figure_in(&hint, "an `ignition_delay_s` up to ", " s");
        assert!((300.0..450.0).contains(&longest_s), "{hint}");
        let falcon = catalog_variant("falcon-9-block-5", "ignition_delay_s = 0.0", "ignition_delay_s = 600.0");
        let hint = why_no_orbit(&falcon, &vostochny, &low, options).hint.expect("a hint");
        assert!(hint.contains("`Second stage` ignites") && hint.contains("back in the atmosphere"), "{hint}");
        // The vehicle as loaded: nothing to say.
        let (soyuz, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        assert_eq!(why_no_orbit(&soyuz, &vostochny, &low, options), NoOrbit::default());
    }

    /// Fregat-MT keeping 6,000 kg of residual (46 % of its load): the stack still holds more ideal
    /// Δv than the orbit needs with no loss, so no cause, but the residual is named as a hint with
    /// the Δv it costs, as the single-stage-to-orbit stacks name theirs as a cause; the boosters'
    /// 3 % (peroxide and nitrogen, some 40 m/s) is not.
    #[test]
    fn a_large_residual_short_of_a_cause_is_a_hint_with_its_cost() {
        let vostochny = site("vostochny");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let heavy = catalog_variant(
            "soyuz-2.1b-fregat",
            "propellant_mass_kg = 7100.0\n",
            "propellant_mass_kg = 7100.0\nresidual_mass_kg = 6000.0\n",
        );
        let found = why_no_orbit(&heavy, &vostochny, &low, FlightOptions::default());
        assert_eq!(found.cause, None);
        let hint = found.hint.expect("a hint");
        assert!(
            hint.starts_with("`Fregat-MT` keeps a residual of 6000 kg aboard (`residual_mass_kg`), 46 % of its load")
                && hint.contains("m/s more ideal Δv with no payload")
                && !hint.contains("Boosters"),
            "{hint}"
        );
        let said =
            explained(&heavy, &vostochny, &low, FlightOptions::default(), format!("{}: the ascent could not be targeted", heavy.name));
        assert!(
            said.starts_with("Soyuz-2.1b / Fregat-MT: `Fregat-MT` keeps") && said.ends_with("; the ascent could not be targeted"),
            "{said}"
        );
    }

    /// A vehicle whose `[limits]` are not what holds it back has them left unnamed: Falcon 9
    /// with too little propellant (below) keeps the catalog's `max_accel_g = 6`, and lifted it
    /// still reaches no orbit; the catalog's Falcon 9 reaches the orbit with it. Held to a
    /// 2 kPa max-Q instead, the lifted limit is named.
    #[test]
    fn only_limits_that_hold_the_vehicle_back_are_named() {
        let vostochny = site("vostochny");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let text = crate::vehicle::catalog::catalog_vehicle("falcon-9-block-5").expect("catalog");
        let text = text.replacen("propellant_mass_kg = 418700.0", "propellant_mass_kg = 150000.0", 1).replacen(
            "propellant_mass_kg = 111500.0",
            "propellant_mass_kg = 8000.0",
            1,
        );
        let (short, _) = Vehicle::from_toml(&text, "short.toml").expect("reads");
        assert!(short.limits.max_accel_g.is_some());
        assert_eq!(limits_holding_back(&short, &vostochny, &low, Branch::Northbound, options), None);
        // Falcon 9 as loaded flies the orbit held to its 6 g: a refusal of a given payload there
        // (too heavy, say) is none of its limits' doing, though lifted it flies too.
        let (falcon, _) = resolve_vehicle("falcon-9-block-5").expect("catalog");
        assert_eq!(limits_holding_back(&falcon, &vostochny, &low, Branch::Northbound, options), None);
        let held = catalog_variant("falcon-9-block-5", "max_accel_g = 6.0", "max_q_kpa = 2.0\nmax_accel_g = 6.0");
        let named = limits_holding_back(&held, &vostochny, &low, Branch::Northbound, options).expect("named");
        assert!(
            named.starts_with("the file's `[limits]` `max_q_kpa` = 2 holds the vehicle back: without it the direct ascent carries")
                && !named.contains("max_accel_g"),
            "{named}"
        );
        assert!(names_limits_holding_back(&Error::Unreachable(format!("{}: {named}; searched", held.name))));
        assert!(!names_limits_holding_back(&Error::Unreachable(format!("{}: the ascent could not be flown", held.name))));
    }

    /// Falcon 9 with too little propellant holds 7,204 m/s of ideal Δv with no payload, its
    /// fairing carried (as `cosmodrome info` says), against the 7,755 m/s the orbit needs from
    /// Vostochny with no loss: not a proof (with the fairing gone from liftoff it would hold
    /// 8,041 m/s), so a hint, with the shortfall before any loss.
    #[test]
    fn a_vehicle_short_before_any_loss_with_its_fairing_is_told_so() {
        let vostochny = site("vostochny");
        let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let text = crate::vehicle::catalog::catalog_vehicle("falcon-9-block-5").expect("catalog");
        let text = text.replacen("propellant_mass_kg = 418700.0", "propellant_mass_kg = 150000.0", 1).replacen(
            "propellant_mass_kg = 111500.0",
            "propellant_mass_kg = 8000.0",
            1,
        );
        let (short, _) = Vehicle::from_toml(&text, "short.toml").expect("reads");
        let found = why_no_orbit(&short, &vostochny, &low, FlightOptions::default());
        assert_eq!(found.cause, None);
        let hint = found.hint.expect("a hint");
        let short_m_s: f64 = hint
            .split(" m/s short before any loss")
            .next()
            .and_then(|t| t.rsplit(": ").next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no shortfall in: {hint}"));
        assert!((400.0..700.0).contains(&short_m_s) && hint.contains("carrying the fairing to the end"), "{hint}");
    }
}
