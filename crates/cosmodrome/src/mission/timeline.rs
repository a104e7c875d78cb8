//! The mission timeline of a flight: every burn of every stage — from its ignition or restart to
//! its cutoff, burnout or separation — with its ideal Δv, the propellant it burned and the orbit
//! it left, and the coasts when nothing burns (the parking orbit, the coasts between an upper
//! stage's burns). It is read off the flight's events, so it holds for any vehicle: an ascent
//! is one run of burns with no coast; a mission through a parking orbit shows its restarts.
//! `events.json` carries it (`timeline`); the plots and `report.html` draw it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::round;
use super::flight::FinalOrbitReport;
use crate::environment::earth::MU_EARTH_M3_S2;
use crate::environment::elements::OrbitalElements;
use crate::flight::{EventKind, FlightPoint, FlightResult};
use crate::vehicle::Vehicle;

/// The burns and coasts of a flight.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineReport {
    /// Every burn of every stage, in order of start (stages burning together start together).
    pub burns: Vec<TimelineBurn>,
    /// The coasts between burns, when no stage burns.
    pub coasts: Vec<TimelineCoast>,
}

/// One burn of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineBurn {
    /// Stage name.
    pub stage: String,
    /// Index of the stage in the vehicle (0: the first listed).
    pub stage_index: usize,
    /// Burn number of the stage (1: its first).
    pub burn: u32,
    /// Ignition or restart, s after liftoff.
    pub start_s: f64,
    /// Cutoff, burnout or separation, s after liftoff.
    pub end_s: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// What ended it: `cutoff`, `burnout`, `separation` or `end_of_flight`.
    pub ended_by: String,
    /// Whether the vehicle coasted (no stage burning) before it: an upper stage's burn out of a
    /// parking orbit or a restart.
    pub after_coast: bool,
    /// Ideal Δv of the burn (vacuum exhaust velocity times the log of the mass ratio, the
    /// bodies dropped during it left out), m/s; `null` when another stage burns at the same
    /// time (a cluster's share is not the stage's own).
    pub delta_v_m_s: Option<f64>,
    /// Propellant burned, kg; `null` as for `delta_v_m_s`.
    pub propellant_kg: Option<f64>,
    /// Osculating orbit at the end of the burn (a perigee below the surface: suborbital).
    pub orbit_after: FinalOrbitReport,
}

/// A coast: no stage burns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineCoast {
    /// Start (the end of the burn before it), s after liftoff.
    pub start_s: f64,
    /// End (the next ignition or restart), s after liftoff.
    pub end_s: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Osculating orbit during the coast (at its start).
    pub orbit: FinalOrbitReport,
}

/// A burn being read off the events.
#[derive(Debug, Clone, Copy)]
struct Open {
    burn: u32,
    start: usize,
}

/// A burn read off the events: stage, number, index of its first and last event.
#[derive(Debug, Clone, Copy)]
struct Span {
    stage: usize,
    burn: u32,
    start: usize,
    end: Option<usize>,
    ended_by: &'static str,
}

fn orbit_of(p: &FlightPoint) -> FinalOrbitReport {
    FinalOrbitReport::of(&OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2))
}

impl TimelineReport {
    /// The timeline of a flight of `vehicle`.
    pub fn new(vehicle: &Vehicle, result: &FlightResult) -> Self {
        let events = &result.events;
        let mut open: Vec<Option<Open>> = vec![None; vehicle.stages.len()];
        let mut count = vec![0u32; vehicle.stages.len()];
        let mut spans: Vec<Span> = Vec::new();
        for (k, e) in events.iter().enumerate() {
            let Some(stage) = e.kind.stage().filter(|&s| s < open.len()) else { continue };
            match e.kind {
                EventKind::Ignition { .. } | EventKind::Restart { .. } if open[stage].is_none() => {
                    count[stage] = match e.kind {
                        EventKind::Restart { burn, .. } => burn,
                        _ => count[stage] + 1,
                    };
                    open[stage] = Some(Open { burn: count[stage], start: k });
                }
                EventKind::Cutoff { .. } | EventKind::Burnout { .. } | EventKind::Separation { .. } => {
                    if let Some(o) = open[stage].take() {
                        let ended_by = match e.kind {
                            EventKind::Cutoff { .. } => "cutoff",
                            EventKind::Burnout { .. } => "burnout",
                            _ => "separation",
                        };
                        spans.push(Span { stage, burn: o.burn, start: o.start, end: Some(k), ended_by });
                    }
                }
                _ => {}
            }
        }
        spans.extend(
            open.iter()
                .enumerate()
                .filter_map(|(stage, o)| o.map(|o| Span { stage, burn: o.burn, start: o.start, end: None, ended_by: "end_of_flight" })),
        );
        spans.sort_by_key(|a| (a.start, a.stage));
        let point = |end: Option<usize>| end.map_or(&result.final_point, |k| &events[k].point);
        let interval = |s: &Span| (events[s.start].point.time_s, point(s.end).time_s);

        // Coasts: the gaps of the union of the burns.
        let mut coasts = Vec::new();
        let mut burning_until: Option<(f64, &FlightPoint)> = None;
        let mut after_coast = Vec::with_capacity(spans.len());
        for s in &spans {
            let (t0, t1) = interval(s);
            let coasted = match burning_until {
                Some((until, at)) if t0 > until => {
                    coasts.push(TimelineCoast {
                        start_s: round(until, 3),
                        end_s: round(t0, 3),
                        duration_s: round(t0 - until, 3),
                        orbit: orbit_of(at),
                    });
                    true
                }
                _ => false,
            };
            after_coast.push(coasted);
            if burning_until.is_none_or(|(until, _)| t1 > until) {
                burning_until = Some((t1, point(s.end)));
            }
        }

        let burns = spans
            .iter()
            .zip(after_coast)
            .map(|(s, after_coast)| {
                let (t0, t1) = interval(s);
                let alone = spans.iter().all(|o| {
                    std::ptr::eq(o, s) || {
                        let (u0, u1) = interval(o);
                        u0 >= t1 || u1 <= t0
                    }
                });
                let (delta_v_m_s, propellant_kg) = match result.ideal_burn(vehicle, s.stage, s.start, s.end).filter(|_| alone) {
                    Some((dv, kg)) => (Some(dv), Some(kg)),
                    None => (None, None),
                };
                let end = point(s.end);
                TimelineBurn {
                    stage: vehicle.stages[s.stage].name.clone(),
                    stage_index: s.stage,
                    burn: s.burn,
                    start_s: round(t0, 3),
                    end_s: round(t1, 3),
                    duration_s: round(t1 - t0, 3),
                    ended_by: s.ended_by.to_owned(),
                    after_coast,
                    delta_v_m_s: delta_v_m_s.map(|v| round(v, 1)),
                    propellant_kg: propellant_kg.map(|m| round(m, 1)),
                    orbit_after: orbit_of(end),
                }
            })
            .collect();
        TimelineReport { burns, coasts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::FlightOptions;
    use crate::guidance::Branch;
    use crate::optimize::payload::TargetOrbit;
    use crate::optimize::targeting::fly_to_orbit;
    use crate::optimize::transfer::{burn_reports, fly_transfer, maximize_transfer_payload, Transfer, TransferTarget};
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    fn site(id: &str) -> crate::vehicle::Site {
        SiteCatalog::builtin().expect("sites").get(id).expect("site").clone()
    }

    /// An ascent has no coast: the boosters and the core burn together (no Δv of their own), the
    /// third stage alone, from the core's burnout to the cutoff in orbit, where the orbit after it
    /// is the target's. Block I drops its aft section 12.7 s into its burn: its propellant is its
    /// load less what is left at cutoff, its Δv the `∫T/m dt` of the flown states (in vacuum),
    /// neither counting the section as burned.
    #[test]
    fn an_ascent_is_one_run_of_burns() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let options = FlightOptions { sample_interval_s: Some(0.5), ..FlightOptions::default() };
        let a = fly_to_orbit(&v, &site("vostochny"), &target, Branch::Northbound, 7000.0, options, &mut |_| {}).expect("ascent");
        let t = TimelineReport::new(&v, &a.flight);
        assert!(t.coasts.is_empty(), "{t:?}");
        assert_eq!(t.burns.len(), v.stages.len(), "{t:?}");
        assert!(t.burns.iter().all(|b| b.burn == 1 && !b.after_coast));
        let (first, last) = (&t.burns[0], t.burns.last().expect("burns"));
        assert!(first.delta_v_m_s.is_none() && first.ended_by == "burnout", "{first:?}");
        assert_eq!(last.ended_by, "cutoff");
        assert!(last.delta_v_m_s.is_some_and(|dv| dv > 1000.0), "{last:?}");
        assert!((last.orbit_after.perigee_km - 200.0).abs() < 1.0 && last.orbit_after.apogee_km.is_some_and(|a| (a - 200.0).abs() < 1.0));
        // The third stage starts when the core stops: nothing coasts between them.
        assert_eq!(t.burns[t.burns.len() - 2].end_s, last.start_s);

        let (t0, t1) = (last.start_s - 1e-3, last.end_s + 1e-3);
        let aft_drop_s = a.flight.events.iter().find(|e| matches!(e.kind, EventKind::Jettison { .. })).expect("aft section").point.time_s;
        assert!(aft_drop_s > t0 + 1.0 && aft_drop_s < t1 - 1.0, "the aft section leaves during the burn: {aft_drop_s} s");
        let burned_kg = v.stages[2].total_propellant_kg() - a.flight.remaining_propellant_kg;
        assert!((last.propellant_kg.expect("alone") - burned_kg).abs() < 1.0, "{last:?}, burned {burned_kg} kg");
        let mut points: Vec<&FlightPoint> =
            a.flight.samples.iter().map(|s| &s.point).chain(a.flight.events.iter().map(|e| &e.point)).collect();
        points.retain(|p| p.time_s > t0 && p.time_s < t1);
        points.sort_by(|p, q| p.time_s.total_cmp(&q.time_s));
        // Block I burns at full vacuum thrust throughout (the cutoff's state has none left).
        let thrust_n = v.stages[2].thrust_vac_n();
        let flown_m_s: f64 =
            points.windows(2).map(|w| 0.5 * thrust_n * (1.0 / w[0].mass_kg + 1.0 / w[1].mass_kg) * (w[1].time_s - w[0].time_s)).sum();
        assert!((last.delta_v_m_s.expect("alone") - flown_m_s).abs() < 1.0, "{last:?}, flown {flown_m_s} m/s");
    }

    /// The upper stage's burns of a GSO mission are those of the transfer's own report (the same
    /// ideal Δv and propellant, read the same way off the events), each after a coast, and the
    /// coasts are the transfer's plus the parking orbit's; a lighter given payload reaches the
    /// same orbit with propellant to spare.
    #[test]
    fn a_transfer_has_the_burns_of_its_report_and_its_coasts() {
        let (v, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let vostochny = site("vostochny");
        let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let transfer = Transfer {
            vehicle: &v,
            site: &vostochny,
            parking,
            target: TransferTarget::Gso,
            branch: Branch::Northbound,
            options: FlightOptions::default(),
        };
        let s = maximize_transfer_payload(&transfer, &mut |_| {}).expect("GSO");
        let stage = v.stages.len() - 1;
        let t = TimelineReport::new(&v, &s.flight);
        let (burns, coasts) = burn_reports(&v, stage, &s.flight);
        let upper: Vec<&TimelineBurn> = t.burns.iter().filter(|b| b.stage_index == stage).collect();
        assert_eq!(upper.len(), burns.len());
        for (a, b) in upper.iter().zip(&burns) {
            assert!(a.after_coast && a.burn == b.burn, "{a:?}");
            assert!((a.start_s - b.start_s).abs() < 1e-3 && (a.duration_s - b.duration_s).abs() < 2e-3, "{a:?} {b:?}");
            assert!((a.delta_v_m_s.expect("alone") - b.delta_v_m_s).abs() < 0.1, "{a:?} {b:?}");
            assert!((a.propellant_kg.expect("alone") - b.propellant_kg).abs() < 0.1, "{a:?} {b:?}");
        }
        assert_eq!(t.coasts.len(), coasts.len() + 1, "{:?}", t.coasts);
        let last = &upper.last().expect("burns").orbit_after;
        assert!((last.perigee_km - 35_786.0).abs() < 50.0 && last.inclination_deg < 0.1, "{last:?}");

        let given = fly_transfer(&transfer, s.payload_kg - 500.0, &mut |_| {}).expect("a lighter payload");
        assert_eq!(given.payload_kg, s.payload_kg - 500.0);
        assert!(
            (given.orbit.perigee_altitude_m() - 35_786e3).abs() < 50e3 && given.orbit.inclination_rad.to_degrees() < 0.1,
            "{:?}",
            given.orbit
        );
        assert!(given.propellant_left_kg > 100.0, "{} kg left", given.propellant_left_kg);
    }
}
