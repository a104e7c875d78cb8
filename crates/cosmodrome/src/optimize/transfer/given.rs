//! A transfer mission flown with a given payload (`cosmodrome fly --orbit … --payload-kg`): the
//! same ascent, plan and targeting as [`maximize_transfer_payload`], with the payload fixed and
//! the propellant the mission does not need left aboard at the end.

use super::*;
use crate::optimize::payload::PayloadSolution;

/// A payload within this of the largest one is flown as the largest one's mission, kg.
const AT_MAXIMUM_WITHIN_KG: f64 = 0.5;

/// Fly `transfer` (its vehicle from its site into its target through its parking orbit) with
/// `payload_kg`: the largest
/// payload's mission first (it says why an unreachable target cannot be reached, with the Δv
/// lacking), then, for a lighter payload, the ascent re-targeted to it from that mission's
/// ascent (lightened in steps, then the kick that leaves the most propellant), the burns planned
/// for the mass in the parking orbit and targeted again. Its options sample the returned flight;
/// `progress` is called with the number of flights flown so far.
///
/// A payload heavier than the largest fails with the largest and the Δv the extra mass would
/// cost the upper stage's burns.
pub fn fly_transfer(transfer: &Transfer<'_>, payload_kg: f64, progress: Progress<'_>) -> Result<TransferSolution> {
    crate::flight::check_payload_kg(payload_kg)?;
    let max = maximize_transfer_payload(transfer, &mut *progress)?;
    fly_transfer_below(transfer, payload_kg, max, progress)
}

/// [`fly_transfer`] from `max`, the largest payload's mission of `transfer` already searched
/// (by [`maximize_transfer_payload`]): its vehicle as `max` flew it (the last stage offloaded
/// when the search did). The answer's flights count on from `max.flights`.
pub fn fly_transfer_below(
    transfer: &Transfer<'_>,
    payload_kg: f64,
    max: TransferSolution,
    progress: Progress<'_>,
) -> Result<TransferSolution> {
    let loaded = as_flown(transfer.vehicle, max.upper_stage_load_kg);
    fly_transfer_from(&Transfer { vehicle: loaded.as_ref(), ..*transfer }, payload_kg, max, progress)
}

/// [`fly_transfer`] from `max`, the largest payload's mission of `transfer` (already optimized:
/// the elliptic profile's comes from its own search).
pub(super) fn fly_transfer_from(
    transfer: &Transfer<'_>,
    payload_kg: f64,
    max: TransferSolution,
    progress: Progress<'_>,
) -> Result<TransferSolution> {
    let Transfer { vehicle, site, branch, options, .. } = *transfer;
    // The largest payload's parking orbit: the search may have raised it to the target's perigee.
    let parking = &{ max.parking };
    let target = &transfer.target;
    if payload_kg > max.payload_kg + AT_MAXIMUM_WITHIN_KG {
        return Err(too_heavy(transfer, payload_kg, &max));
    }
    if payload_kg >= max.payload_kg - AT_MAXIMUM_WITHIN_KG {
        return Ok(max);
    }
    let resolved = target.resolve(parking)?;
    let stage = UpperStage::of(vehicle);
    let upper = &vehicle.stages[stage.index];
    let mut flights = max.flights;

    // The ascent: from the largest payload's, lightened to the given one.
    let from = PayloadSolution {
        payload_kg: max.payload_kg,
        launch: max.launch,
        parameters: max.ascent,
        flight: max.flight.clone(),
        orbit: max.orbit,
        kick_evaluations: 0,
        flights: 0,
        upper_stage_load_kg: None,
        profile: crate::optimize::payload::AscentProfile::Direct,
    };
    let offset = flights;
    let mut progress_after = |n| progress(offset + n);
    let mut problem = Problem::<3>::new(vehicle, site, parking, branch, Payload::Given(payload_kg), options, &mut progress_after)?;
    elliptic::aim_insertion(&mut problem, parking, &resolved, max.insertion_height_m);
    let best = problem.search_from_heavier(&from)?.ok_or_else(|| {
        Error::Unreachable(format!(
            "{}: the ascent to the parking orbit {} with {} kg could not be targeted from the ascent of the largest payload ({} kg)",
            vehicle.name,
            parking.describe(),
            crate::units::kg_text(payload_kg),
            crate::units::kg_text(max.payload_kg)
        ))
    })?;
    // A lighter payload travels another way downrange: a parking orbit that holds its argument
    // of perigee (the raising ellipse's) is placed again.
    let best = problem.hold_argument_of_perigee(best)?;
    let kick_deg = best.log_kick.exp();
    // The launch keeps to the site's corridors (a dogleg's at their edge).
    site.check_corridor(problem.launch(&best.x).azimuth_deg, parking.inclination_deg)?;
    let mission_options = FlightOptions { sample_interval_s: None, max_time_s: MAX_MISSION_TIME_S, ..problem.options };
    let ascent = problem.fly(kick_deg, &best.x, mission_options)?;
    let mission = Mission {
        vehicle,
        launch: problem.launch(&best.x),
        parameters: problem.parameters(kick_deg, &best.x),
        payload_kg,
        options: mission_options,
    };
    flights += problem.flights;
    let insertion_height_m = problem.insertion_height_m();
    drop(problem);
    progress(flights);

    // The plan for the mass in the parking orbit, its first burn at the place of the two the
    // target allows ([`first_burn_centres_deg`]) where the largest payload's is centred.
    let cutoff = ascent.first(|k| matches!(k, EventKind::Cutoff { .. })).ok_or_else(|| {
        Error::Unreachable(format!("{}: the ascent does not cut `{}` off in the parking orbit", vehicle.name, upper.name))
    })?;
    let p = &cutoff.point;
    let parking_inclination_deg =
        OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2).inclination_rad.to_degrees();
    let inputs = |centre_deg, perigee_burns_at_least| DesignInputs {
        target: &resolved,
        r0: p.position_eci_m.norm(),
        i0: parking_inclination_deg,
        stage: &stage,
        mass_kg: p.mass_kg,
        centre_deg,
        perigee_left_radius_m: None,
        perigee_burns_at_least,
    };
    let [first, second] = first_burn_centres_deg(&resolved, p);
    let max_burns = upper.max_burns();
    // The plan with at least `perigee_burns` perigee burns, targeted, and the propellant its
    // flight leaves (negative: short).
    let mut plan = |perigee_burns: usize| -> Result<(Design, Vec<f64>, f64)> {
        let mut design = raise::apogee_burn_design(parking, &resolved, &stage, p).unwrap_or_else(|| {
            let design = inputs(first, perigee_burns).design();
            let max_centre_deg = match (max.burns.first().map(|b| b.start), design.legs.first()) {
                (Some(BurnStart::ArgumentOfLatitudeDeg(u)), Some(leg)) => u + leg.half_arc_deg,
                _ => first,
            };
            if wrap_degrees(second - max_centre_deg).abs() < wrap_degrees(first - max_centre_deg).abs() {
                inputs(second, perigee_burns).design()
            } else {
                design
            }
        });
        if design.legs.len() as u32 + 1 > max_burns {
            return Err(Error::Unreachable(format!(
                "{}: the transfer to {} with {} kg needs {} burns of `{}`, more than the {max_burns} it is rated for",
                vehicle.name,
                target.describe(),
                crate::units::kg_text(payload_kg),
                design.legs.len() + 1,
                upper.name
            )));
        }
        let x0 = vec![0.0; design.unknowns.len()];
        let mut design_inputs = inputs(design.centre_deg, perigee_burns);
        let targeted =
            solve_transfer_raising_perigee(&mut design, &mut design_inputs, &mission, stage.index, &x0, None, target, &mut flights)?;
        let (x, _) = targeted.ok_or_else(|| {
            let payload_text = crate::units::kg_text(payload_kg);
            Error::Unreachable(format!(
                "{}: the transfer burns to {} could not be targeted (payload {payload_text} kg)",
                vehicle.name,
                target.describe()
            ))
        })?;
        // The largest payload's plan left the target's perigee where its perigee burns put it
        // (its apogee trim negligible, dropped): so does this one's. A lighter payload could
        // afford the trim, but close to the largest it would run short (Ariane 64 from Kourou to
        // the named GTO: 99.9 % of the largest payload ended 5 kg of propellant short holding
        // the perigee at 250 km where the largest left it at 228 km).
        let start_phase = design.unknowns.iter().zip(&x).find(|(v, _)| **v == Unknown::StartPhase).map_or(0.0, |(_, &value)| value);
        let trims_perigee = max.perigee_free && !design.leaves_perigee_free(&resolved);
        let (design, x) = match trims_perigee.then(|| super::solve::perigee_left_free(&design_inputs, &mission, start_phase, &mut flights))
        {
            Some(Some((free, x_free, _))) => (free, x_free),
            _ => (design, x),
        };
        flights += 1;
        progress(flights);
        let search = mission.fly(design.burns(&x), true, mission_options)?;
        let left_kg = propellant_left_kg(&search);
        Ok((design, x, left_kg))
    };
    let (mut design, mut x, mut left_kg) = plan(1)?;
    if left_kg < 0.0 {
        // A perigee burn just short of the arc that splits it (60°) loses more to gravity than
        // the split pair the heavier largest payload flew: try the plan with one burn more
        // (Soyuz-2.1a/Fregat-M from Xichang to the named GTO: 99.7 % of the largest payload
        // ended 36 kg short with one perigee burn; the largest flew two).
        // (None in the elliptic profile's plan, one apogee burn: there is nothing to split.)
        let perigee_burns = design.legs.iter().filter(|l| l.kind == LegKind::Perigee).count();
        if let Some(Ok((more, x_more, left_more_kg))) = (perigee_burns > 0).then(|| plan(perigee_burns + 1)) {
            if left_more_kg > left_kg {
                (design, x, left_kg) = (more, x_more, left_more_kg);
            }
        }
    }
    if left_kg < 0.0 {
        // Lighter than the largest payload, yet short: this ascent's shape leaves less.
        let final_kg = upper.burnout_mass_kg().max(1.0) + payload_kg;
        let lacking_m_s = stage.delta_v_lacking_m_s(final_kg, -left_kg);
        return Err(Error::Unreachable(format!(
            "{} with {} kg cannot reach {}: the burns end {:.0} kg of propellant short, about {lacking_m_s:.0} m/s of Δv lacking (the largest payload found is {} kg)",
            vehicle.name,
            crate::units::kg_text(payload_kg),
            target.describe(),
            -left_kg,
            crate::units::kg_text(max.payload_kg)
        )));
    }

    let report_options = FlightOptions { sample_interval_s: options.sample_interval_s, ..mission_options };
    let Reported { burns, flight, orbit, burn_reports, coasts, dropped_tanks, perigee_free } =
        fly_reported(&mission, target, &resolved, &design, &x, stage.index, report_options)?;
    flights += 1;
    progress(flights);
    // Aboard at the ascent's cutoff: what it left, and the upper stage's whole load when the
    // ascent cut off the stage below it.
    let upper_unlit = cutoff.kind.stage() != Some(stage.index);
    let held_back_kg = best.margin_kg + if upper_unlit { upper.total_propellant_kg() } else { 0.0 };
    Ok(TransferSolution {
        payload_kg,
        launch: mission.launch,
        ascent: mission.parameters,
        parking: *parking,
        burns,
        held_back_kg,
        propellant_left_kg: flight.remaining_propellant_kg,
        flight,
        orbit,
        burn_reports,
        coasts,
        dropped_tanks,
        perigee_free,
        iterations: 1,
        flights,
        insertion_height_m,
        upper_stage_load_kg: max.upper_stage_load_kg,
        stage_overloaded: max.stage_overloaded,
    })
}

/// A payload heavier than the largest of `transfer`: the largest, and the Δv the extra mass
/// costs the upper stage's burns of the largest payload's mission (each burn's mass ratio with
/// the extra mass aboard, the burns otherwise as flown).
fn too_heavy(transfer: &Transfer<'_>, payload_kg: f64, max: &TransferSolution) -> Error {
    let Transfer { vehicle, site, target, .. } = *transfer;
    let extra_kg = payload_kg - max.payload_kg;
    let stage = UpperStage::of(vehicle);
    let c = stage.exhaust_velocity_m_s;
    let lacking_m_s: f64 = max
        .burn_reports
        .iter()
        .filter_map(|b| {
            let start = max.flight.events.iter().find(|e| e.point.time_s == b.start_s && e.kind.stage() == Some(stage.index))?;
            let m0 = start.point.mass_kg;
            let m1 = m0 - b.propellant_kg;
            (m1 > 0.0).then(|| c * ((m0 / m1).ln() - ((m0 + extra_kg) / (m1 + extra_kg)).ln()))
        })
        .sum();
    let payload_text = crate::units::kg_text(payload_kg);
    Error::Unreachable(format!(
        "{} cannot carry {payload_text} kg into {} from {}: the most it carries there is {:.0} kg; {extra_kg:.0} kg more would leave the upper stage's burns about {lacking_m_s:.0} m/s of Δv short",
        vehicle.name,
        target.describe(),
        site.id,
        max.payload_kg
    ))
}
