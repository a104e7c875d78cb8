//! The least liftoff thrust-to-weight a vehicle file allows (`limits.min_liftoff_thrust_to_weight`).
//!
//! Conceptual design holds a launcher's liftoff thrust-to-weight near 1.2–1.5: below it the
//! vehicle creeps off the pad, the gravity loss of its first seconds grows fast, and it drifts
//! in wind near the tower. The payload search knows nothing of this: it loads the payload that
//! burns the propellant to the orbit, which on an underpowered design lifts off at 1.05. So the
//! limit caps the payload. Where the search's answer is heavier than the heaviest payload that
//! keeps the limit, the answer is that payload, flown into the orbit by the targeted ascent with
//! the propellant it does not need left aboard (as `fly` flies a given payload), and the report
//! says what the orbit alone would have taken.
//!
//! A restartable last stage keeps the load the search chose for the orbit: a lighter load would
//! lighten the vehicle at liftoff and let a heavier payload keep the limit, which is not weighed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{payload_down_kg, round};
use super::fly::{fly_targeted, TargetedFlight};
use crate::error::{Error, Result};
use crate::flight::FlightOptions;
use crate::guidance::Branch;
use crate::optimize::payload::{PayloadSolution, TargetOrbit};
use crate::optimize::transfer::{as_flown, as_payload_solution, fly_transfer_below, Transfer, TransferSolution};
use crate::optimize::Progress;
use crate::vehicle::{Site, Vehicle};

/// The liftoff limit of a vehicle file, and what it did to a payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftoffLimitReport {
    /// The file's least liftoff thrust-to-weight (`limits.min_liftoff_thrust_to_weight`).
    pub min_thrust_to_weight: f64,
    /// The heaviest payload that keeps it, kg (of the vehicle as flown: a restartable last stage
    /// with the load the ascent flew); 0 where the vehicle misses the limit with no payload.
    pub max_payload_kg: f64,
    /// The payload the orbit alone would take, kg: the payload search's answer, heavier than the
    /// limit allows, in place of which `max_payload_kg` was flown. Absent in `info`, and where the
    /// search targeted no payload and `max_payload_kg` answered in its place (a design that lifts
    /// off barely above its weight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orbit_payload_kg: Option<f64>,
    /// Usable propellant the capped payload's flight leaves aboard at its last cutoff, kg: what
    /// the limit costs. Absent in `info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propellant_left_kg: Option<f64>,
}

impl LiftoffLimitReport {
    /// The limit of `vehicle` and the heaviest payload that keeps it; `None` without a limit.
    pub fn of(vehicle: &Vehicle) -> Option<Self> {
        let min = vehicle.limits.min_liftoff_thrust_to_weight?;
        let max_kg = vehicle.liftoff_limited_payload_kg()?;
        Some(LiftoffLimitReport {
            min_thrust_to_weight: min,
            max_payload_kg: payload_down_kg(max_kg),
            orbit_payload_kg: None,
            propellant_left_kg: None,
        })
    }

    /// The note a capped payload's report carries; `None` where the limit capped nothing (and in
    /// `info`). A payload answered by the limit after the search failed (on a design lifting off
    /// barely above its weight) says that what the orbit alone would take is not known.
    pub fn note(&self) -> Option<String> {
        let left_kg = self.propellant_left_kg?;
        let (held, limit) = (super::common::kg_text(self.max_payload_kg), self.min_thrust_to_weight);
        let left = format!("{} kg of usable propellant left aboard", left_kg.round());
        Some(match self.orbit_payload_kg {
            Some(orbit_kg) => format!(
                "payload held to {held} kg by the liftoff limit (`limits.min_liftoff_thrust_to_weight` = {limit}): the orbit alone would take {} kg ({left})",
                super::common::kg_text(orbit_kg),
            ),
            None => format!(
                "payload held to {held} kg by the liftoff limit (`limits.min_liftoff_thrust_to_weight` = {limit}), flown into the orbit with {left}; the payload search targeted no heavier payload, so what the orbit alone would take is not known"
            ),
        })
    }
}

/// The capped payload of `flown` (the vehicle as the answer flew it) when `payload_kg` is heavier
/// than its limit allows: the limit's report and the payload to fly, rounded down to the 0.1 kg
/// a report states so that the figure read flies; `None` when the limit does not cap it.
fn capped(flown: &Vehicle, payload_kg: f64) -> Option<(LiftoffLimitReport, f64)> {
    let mut report = LiftoffLimitReport::of(flown)?;
    (payload_kg > report.max_payload_kg).then(|| {
        report.orbit_payload_kg = Some(payload_down_kg(payload_kg));
        let kg = report.max_payload_kg;
        (report, kg)
    })
}

/// `payload_kg` of `flown` (the vehicle as an answer flew it) held to its liftoff limit, kg,
/// without flying it: the figure a trade factor differences.
pub(crate) fn capped_payload_kg(flown: &Vehicle, payload_kg: f64) -> f64 {
    capped(flown, payload_kg).map_or(payload_kg, |(_, kg)| kg)
}

/// Why a capped payload could not be flown: the orbit takes more, but the ascent with the
/// lighter payload failed. An interruption (Ctrl-C) or a failed integration stays what it is.
fn refused(vehicle: &Vehicle, limit: &LiftoffLimitReport, orbit_kg: f64, e: &Error) -> Error {
    if matches!(e, Error::Interrupted | Error::Integration { .. }) {
        return e.clone();
    }
    Error::Unreachable(format!(
        "{}: the orbit takes {} kg, more than the liftoff limit allows (`limits.min_liftoff_thrust_to_weight` = {}: at most {} kg), but the ascent with {} kg could not be targeted: {e}",
        vehicle.name,
        super::common::kg_text(payload_down_kg(orbit_kg)),
        limit.min_thrust_to_weight,
        super::common::kg_text(limit.max_payload_kg),
        super::common::kg_text(limit.max_payload_kg),
    ))
}

/// A targeted ascent with `payload_kg` as a payload answer that took `flights`, and the usable
/// propellant it leaves aboard at its last cutoff, kg.
fn into_solution(targeted: TargetedFlight, payload_kg: f64, flights: usize) -> (PayloadSolution, f64) {
    match targeted {
        TargetedFlight::Direct(a) => {
            let left_kg = a.propellant_margin_kg;
            let solution = PayloadSolution {
                payload_kg,
                launch: a.launch,
                parameters: a.parameters,
                flight: a.flight,
                orbit: a.orbit,
                upper_stage_load_kg: a.upper_stage_load_kg,
                kick_evaluations: a.kick_evaluations,
                flights,
                profile: crate::optimize::payload::AscentProfile::Direct,
            };
            (solution, left_kg)
        }
        TargetedFlight::Profile(s) => {
            let mut solution = as_payload_solution(&s);
            solution.payload_kg = payload_kg;
            solution.flights = flights;
            (solution, s.propellant_left_kg)
        }
    }
}

/// The payload optimization's answer `found` held to the liftoff limit of `vehicle`: unchanged
/// (and `None`) where the limit allows it; otherwise the capped payload flown into `target` as
/// `fly` flies it, the vehicle loaded as the answer was, with its flights counted on.
pub(crate) fn held_to_liftoff_limit(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    found: PayloadSolution,
    progress: Progress<'_>,
) -> Result<(PayloadSolution, Option<LiftoffLimitReport>)> {
    let flown = found.flown_vehicle(vehicle);
    let Some((mut limit, payload_kg)) = capped(&flown, found.payload_kg) else { return Ok((found, None)) };
    let before = found.flights;
    let (targeted, flights) = fly_targeted(&flown, site, target, branch, options, payload_kg, &mut |n| progress(before + n))
        .map_err(|e| refused(vehicle, &limit, found.payload_kg, &e))?;
    let (mut solution, left_kg) = into_solution(targeted, payload_kg, before + flights);
    solution.upper_stage_load_kg = solution.upper_stage_load_kg.or(found.upper_stage_load_kg);
    solution.kick_evaluations = found.kick_evaluations;
    limit.propellant_left_kg = Some(round(left_kg, 1));
    Ok((solution, Some(limit)))
}

/// A payload search of `vehicle` that failed with `search`, answered by its liftoff limit where
/// the cap flies: on a design that lifts off barely above its weight the search, which loads the
/// payload that burns the propellant to the orbit, drives the liftoff thrust-to-weight towards 1
/// and may target nothing, while the heaviest payload the limit allows reaches the orbit with
/// propellant to spare. That payload is then the answer, whatever the orbit alone would take
/// (the report leaves `orbit_payload_kg` out and says why). `before`: the flights the search
/// flew. Without a limit, or where the capped payload does not fly either, the search's error.
/// Only a design that lifting off bounds ([`crate::optimize::reach::lifting_off_bounds_the_payload`])
/// tries: elsewhere the search fails for the orbit, and the capped payload's ascent would fail
/// too, in up to 19 s more over generated designs' refusals (ascents of one burn to 2,000 km).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rescued_by_liftoff_limit(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    search: Error,
    before: usize,
    progress: Progress<'_>,
) -> Result<(PayloadSolution, LiftoffLimitReport)> {
    let Some(mut limit) = LiftoffLimitReport::of(vehicle).filter(|l| l.max_payload_kg > 0.0) else { return Err(search) };
    if !matches!(search, Error::Unreachable(_) | Error::FlightBudget { .. })
        || crate::optimize::reach::is_proven_refusal(&vehicle.name, &search)
        || !crate::optimize::reach::lifting_off_bounds_the_payload(vehicle)
    {
        return Err(search);
    }
    let payload_kg = limit.max_payload_kg;
    let Ok((targeted, flights)) = fly_targeted(vehicle, site, target, branch, options, payload_kg, &mut |n| progress(before + n)) else {
        return Err(search);
    };
    let (solution, left_kg) = into_solution(targeted, payload_kg, before + flights);
    limit.propellant_left_kg = Some(round(left_kg, 1));
    Ok((solution, limit))
}

/// A transfer mission's answer `found` held to the liftoff limit, as [`held_to_liftoff_limit`]:
/// the capped payload flown from the largest payload's mission, through the same parking orbit.
pub(crate) fn transfer_held_to_liftoff_limit(
    transfer: &Transfer<'_>,
    found: TransferSolution,
    progress: Progress<'_>,
) -> Result<(TransferSolution, Option<LiftoffLimitReport>)> {
    let flown = as_flown(transfer.vehicle, found.upper_stage_load_kg);
    let Some((mut limit, payload_kg)) = capped(&flown, found.payload_kg) else { return Ok((found, None)) };
    let load_kg = found.upper_stage_load_kg;
    let orbit_kg = found.payload_kg;
    let mut solution =
        fly_transfer_below(transfer, payload_kg, found, progress).map_err(|e| refused(transfer.vehicle, &limit, orbit_kg, &e))?;
    limit.propellant_left_kg = Some(round(solution.propellant_left_kg, 1));
    solution.payload_kg = payload_kg;
    solution.upper_stage_load_kg = solution.upper_stage_load_kg.or(load_kg);
    Ok((solution, Some(limit)))
}

/// A vehicle whose liftoff limit no payload keeps (it misses it empty): refused before a payload
/// search, naming its thrust-to-weight, as a vehicle that cannot lift off is.
pub(crate) fn check_vehicle(vehicle: &Vehicle) -> Result<()> {
    match (vehicle.limits.min_liftoff_thrust_to_weight, vehicle.liftoff_limited_payload_kg()) {
        (Some(min), Some(max_kg)) if max_kg < 0.0 => Err(Error::Unreachable(format!(
            "{}: with no payload its liftoff thrust-to-weight is {:.3}, under its `limits.min_liftoff_thrust_to_weight` of {min}: no payload keeps the limit",
            vehicle.name,
            vehicle.liftoff_thrust_to_weight(0.0),
        ))),
        _ => Ok(()),
    }
}

/// A given payload (`fly`, `dropzones --payload-kg`) checked against the liftoff limit of
/// `vehicle` as its file loads it: heavier than the limit allows, it is refused with the
/// heaviest payload that keeps it.
pub fn check_payload_kg(vehicle: &Vehicle, payload_kg: f64) -> Result<()> {
    check_vehicle(vehicle)?;
    match LiftoffLimitReport::of(vehicle) {
        Some(limit) if payload_kg > limit.max_payload_kg => Err(Error::invalid(
            "payload",
            format!(
                "{} kg is more than {} lifts off with at its `limits.min_liftoff_thrust_to_weight` of {} (thrust-to-weight {:.3} with it): at most {} kg",
                super::common::kg_text(payload_kg),
                vehicle.name,
                limit.min_thrust_to_weight,
                vehicle.liftoff_thrust_to_weight(payload_kg),
                super::common::kg_text(limit.max_payload_kg),
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mission::orbits::OrbitShortcut;
    use crate::mission::{mission_target, payload, transfer_payload, OrbitOverrides, TransferRequest};
    use crate::optimize::transfer::MissionTarget;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// A catalog vehicle with a liftoff limit of `min`.
    fn limited(id: &str, min: f64) -> (Vehicle, Vehicle) {
        let (free, _) = resolve_vehicle(id).expect("catalog");
        let mut limited = free.clone();
        limited.limits.min_liftoff_thrust_to_weight = Some(min);
        (free, limited)
    }

    /// Soyuz-2.1b lifts off at 1.376 with no payload: held to 1.35 it may carry some 5.9 t, less
    /// than the 8.8 t the 200 km orbit takes. The answer is that payload, flown into the orbit
    /// with propellant to spare, the liftoff thrust-to-weight at the limit, and the report says
    /// what the orbit alone would take (the free vehicle's answer). A limit that does not bind
    /// (1.1) leaves the answer as it was, flight for flight.
    #[test]
    fn a_payload_above_the_liftoff_limit_is_held_to_it() {
        let (free, held) = limited("soyuz-2.1b", 1.35);
        let sites = SiteCatalog::builtin().expect("sites");
        let orbit = payload(&crate::mission::tests::vostochny_200_km(&free, &sites), &mut |_| {}).expect("free");
        let request = crate::mission::tests::vostochny_200_km(&held, &sites);
        let m = payload(&request, &mut |_| {}).expect("held");
        let limit = m.report.liftoff_limit.clone().expect("the limit capped the payload");
        assert_eq!(limit.orbit_payload_kg, Some(orbit.report.payload_kg));
        assert_eq!(m.report.payload_kg, limit.max_payload_kg);
        assert!((5_000.0..6_500.0).contains(&m.report.payload_kg), "{} kg", m.report.payload_kg);
        let ratio = held.liftoff_thrust_to_weight(m.report.payload_kg);
        assert!((1.35..1.3501).contains(&ratio), "liftoff thrust-to-weight {ratio}");
        assert!(m.solution.within_tolerance(&request.target), "{:?}", m.report.orbit);
        assert!(limit.propellant_left_kg.is_some_and(|kg| kg > 1_000.0), "{limit:?}");
        assert!(m.solution.flights > orbit.solution.flights, "the capped ascent's flights count on");
        assert!(m.report.notes.iter().any(|n| n.contains("held to") && n.contains("the orbit alone would take")), "{:?}", m.report.notes);
        let (_, loose) = limited("soyuz-2.1b", 1.1);
        let m = payload(&crate::mission::tests::vostochny_200_km(&loose, &sites), &mut |_| {}).expect("loose");
        assert_eq!((m.report.payload_kg, m.report.flights, m.report.liftoff_limit), (orbit.report.payload_kg, orbit.report.flights, None));
    }

    /// Where the limit holds the payload, its trade factors are the cap's: a kilogram of any
    /// stage's dry mass is a kilogram less at liftoff, so a kilogram less of payload (−1, to the
    /// 0.1 kg the capped payload is stated to over the ±50 kg step), whatever the orbit would
    /// take.
    #[test]
    fn trade_factors_of_a_held_payload_are_the_caps() {
        use crate::mission::trade::{trade_factors, TradeItem};
        let (_, held) = limited("soyuz-2.1b", 1.35);
        let sites = SiteCatalog::builtin().expect("sites");
        let request = crate::mission::tests::vostochny_200_km(&held, &sites);
        let nominal = payload(&request, &mut |_| {}).expect("held");
        let factors = trade_factors(&request, nominal.warm_start.as_ref(), &[TradeItem::DryMass { stage: 0 }], &|_, _| {}, &|| {});
        let slope = factors[0].result.as_ref().expect("both sides").payload_per_unit;
        assert!((slope + 1.0).abs() < 0.002, "{slope} kg per kg");
    }

    /// A solid last stage cannot be shut down: held to 30 % of the 6.8 t it takes to 200 km, the
    /// test launcher's motor overshoots the orbit with the lighter payload, which no weave burns
    /// off. That is refused, naming the orbit's payload, the cap and the ascent's failure (its
    /// least payload, to be made up with ballast); held to 60 %, the weave flies it.
    #[test]
    fn a_solid_last_stage_that_overshoots_with_the_capped_payload_is_refused() {
        let text = include_str!("../../../../tests/reference/solid-upper.toml");
        let sites = SiteCatalog::builtin().expect("sites");
        let held_to = |min: f64| {
            let (v, _) =
                Vehicle::from_toml(&format!("{text}\n[limits]\nmin_liftoff_thrust_to_weight = {min}\n"), "held.toml").expect("reads");
            payload(&crate::mission::tests::vostochny_200_km(&v, &sites), &mut |_| {})
        };
        let e = held_to(1.3336).expect_err("overshoots").to_string();
        assert!(
            e.contains("the orbit takes 6785.") && e.contains("at most 20") && e.contains("could not be targeted") && e.contains("ballast"),
            "{e}"
        );
        let m = held_to(1.3244).expect("weaves");
        assert!(m.report.liftoff_limit.is_some() && (3_900.0..4_200.0).contains(&m.report.payload_kg), "{} kg", m.report.payload_kg);
    }

    /// A design that lifts off at 1.005 empty (the restartable-upper test vehicle with weaker
    /// first-stage engines): the payload search targets nothing to 200 km from Cape Canaveral,
    /// while 1,000 kg reaches it with propellant to spare. Held to 1.002 it is answered by the
    /// heaviest payload that keeps the limit, flown, with what the orbit takes left unknown; a
    /// sweep's point says the same.
    #[test]
    fn a_failed_search_is_answered_by_the_liftoff_limit_where_its_cap_flies() {
        use crate::mission::sweep::{sweep, SweepInclination, SweepSite};
        let text = include_str!("../../../../tests/reference/restartable-upper.toml").replacen(
            "thrust_vac_kn = 4152.0\nthrust_sl_kn = 3827.0\nisp_vac_s = 338.4\nisp_sl_s = 311.3\n",
            "thrust_vac_kn = 3580.0\nthrust_sl_kn = 3255.0\nisp_vac_s = 338.4\n",
            1,
        );
        let sites = SiteCatalog::builtin().expect("sites");
        let (weak, _) = Vehicle::from_toml(&text, "weak.toml").expect("reads");
        let (held, _) = Vehicle::from_toml(&text.replacen("[limits]", "[limits]\nmin_liftoff_thrust_to_weight = 1.002", 1), "held.toml")
            .expect("reads");
        let site = sites.pad_for("cape-canaveral", weak.family.as_deref()).expect("pad").site;
        let target = crate::mission::target_orbit(site, 200e3, None, Some(28.6));
        assert!(payload(&crate::mission::PayloadRequest::new(&weak, site, target), &mut |_| {}).is_err(), "the search alone fails");
        let m = payload(&crate::mission::PayloadRequest::new(&held, site, target), &mut |_| {}).expect("the cap flies");
        let limit = m.report.liftoff_limit.clone().expect("answered by the limit");
        assert_eq!((m.report.payload_kg, limit.orbit_payload_kg), (limit.max_payload_kg, None));
        assert!((700.0..1_000.0).contains(&m.report.payload_kg) && m.solution.within_tolerance(&target), "{:?}", m.report.orbit);
        assert!(m.warm_start.is_none() && m.report.notes.iter().any(|n| n.contains("not known")), "{:?}", m.report.notes);
        let rows = sweep(
            &[&held],
            &[SweepSite::Catalog("cape-canaveral".into())],
            &[200.0],
            &[SweepInclination::Degrees(28.6)],
            Branch::Northbound,
            &|_, _| {},
        );
        let row = rows[0].result.as_ref().expect("answered");
        assert!(row.liftoff_limited && row.orbit_payload_kg.is_none() && row.payload_kg == m.report.payload_kg, "{row:?}");
    }

    /// `fly` refuses a payload above the limit, naming the heaviest that keeps it; that one flies.
    #[test]
    fn fly_refuses_a_payload_above_the_liftoff_limit() {
        let (_, held) = limited("soyuz-2.1b", 1.35);
        let max_kg = LiftoffLimitReport::of(&held).expect("a limit").max_payload_kg;
        let e = check_payload_kg(&held, max_kg + 0.1).expect_err("above the limit");
        let text = e.to_string();
        assert!(
            matches!(e, Error::InvalidInput { .. }) && text.contains(&format!("at most {}", super::super::common::kg_text(max_kg))),
            "{text}"
        );
        assert!(check_payload_kg(&held, max_kg).is_ok());
        // A limit no payload keeps (Soyuz-2.1b lifts off at 1.376 empty) refuses every run.
        let (_, over) = limited("soyuz-2.1b", 1.4);
        let sites = SiteCatalog::builtin().expect("sites");
        for e in [
            check_payload_kg(&over, 0.0).expect_err("no payload"),
            payload(&crate::mission::tests::vostochny_200_km(&over, &sites), &mut |_| {}).expect_err("no payload"),
        ] {
            assert!(
                matches!(e, Error::Unreachable(_))
                    && e.to_string().contains("1.376")
                    && e.to_string().contains("no payload keeps the limit"),
                "{e}"
            );
        }
    }

    /// A mission through the parking orbit is held the same way: Angara-A5/Briz-M (1.264 at
    /// liftoff) held to 1.26 carries some 2.2 t to GSO, where the orbit alone takes 3.3 t, and
    /// ends in GSO with Briz-M's propellant to spare.
    #[test]
    fn a_transfer_mission_is_held_to_the_liftoff_limit() {
        let (_, held) = limited("angara-a5-briz-m", 1.26);
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", held.family.as_deref()).expect("pad").site;
        let MissionTarget::Transfer { parking, target } =
            mission_target(OrbitShortcut::Gso, site, &held, &OrbitOverrides::default()).unwrap()
        else {
            panic!("GSO goes through the parking orbit")
        };
        let request =
            TransferRequest { vehicle: &held, site, parking, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let m = transfer_payload(&request, &mut |_| {}).expect("held");
        let limit = m.report.liftoff_limit.clone().expect("capped");
        assert_eq!(m.report.payload_kg, limit.max_payload_kg);
        assert!(limit.orbit_payload_kg.is_some_and(|kg| kg > m.report.payload_kg + 500.0), "{limit:?}");
        let orbit = m.report.orbit.as_ref().expect("a bound orbit");
        assert!((orbit.perigee_km - 35_786.0).abs() < 1.0 && (orbit.apogee_km - 35_786.0).abs() < 1.0, "{orbit:?}");
        assert!(m.report.propellant_left_kg > 100.0 && limit.propellant_left_kg == Some(m.report.propellant_left_kg), "{limit:?}");
    }
}
