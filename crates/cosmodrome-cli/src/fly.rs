//! `cosmodrome fly`: an ascent with a given payload, targeted to an orbit or flown by the
//! open-loop program, its events and how it ended (`--orbit NAME`: [`crate::fly_orbit`]).

use anyhow::Result;
use cosmodrome::flight::{Ending, EventKind, FlightOptions, FlightResult};
use cosmodrome::guidance::{AscentParameters, Branch, UpperSteering};
use cosmodrome::mission::flight::{ascent_end_text, FinalOrbitReport};
use cosmodrome::mission::fly::{Heading, Steering};
use cosmodrome::mission::{self, FlyRequest};
use cosmodrome::vehicle::Site;
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::FlyArgs;
use crate::output::{output_options, write_run_files};
use crate::present::event_table;
use crate::resolve::{load_vehicle, resolve_orbit, resolve_site, targeted_ascent_error, Progress};

/// Run `fly` without `--orbit`.
pub fn fly_command(args: &FlyArgs) -> Result<()> {
    // Output options are checked before the flight, so a bad epoch costs no flight time.
    let options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let payload_kg = args.payload_kg.ok_or_else(|| crate::failure::usage("--payload-kg is required without --orbit"))?;
    fly_given(args, options, &vehicle, payload_kg, None)
}

/// Fly `payload_kg` as the flags say, or into `targeted` (pad, orbit, branch) when a named orbit
/// resolved to a direct ascent.
pub(crate) fn fly_given(
    args: &FlyArgs,
    options: OutputOptions,
    vehicle: &cosmodrome::vehicle::Vehicle,
    payload_kg: f64,
    targeted: Option<(Site, cosmodrome::optimize::payload::TargetOrbit, Branch, Option<String>)>,
) -> Result<()> {
    let t = &args.target;
    let perigee_km = t.perigee_km.unwrap_or(crate::resolve::DEFAULT_PERIGEE_KM);
    let branch = Branch::from_southbound(t.southbound);
    // The pad's note of an open-loop flight, or a named orbit's (on stderr already), goes to
    // the set's summary.
    let (site, note, steering) = if let Some((site, target, branch, orbit_note)) = targeted {
        (site, orbit_note, Steering::Targeted { target, branch })
    } else if args.open_loop {
        if let Some(w) = args.named.argument_of_perigee_deg {
            // An open-loop flight targets no orbit: a perigee to hold would be dropped silently.
            return Err(crate::failure::usage(format!(
                "--argument-of-perigee-deg {w} is held by the targeted ascent, not by --open-loop, which targets no orbit"
            )));
        }
        let (site, note) = resolve_site(&t.site, vehicle)?;
        let heading = match (t.azimuth_deg, t.inclination_deg) {
            (Some(az), _) => Heading::Azimuth(az),
            (None, inclination_deg) => Heading::Inclination { inclination_deg, branch },
        };
        let parameters = AscentParameters {
            vertical_rise_s: args.vertical_rise_s,
            pitch_over_min_air_speed_m_s: args.pitch_over_speed_m_s,
            pitch_kick_deg: args.pitch_kick_deg.unwrap_or(0.0),
            pitch_kick_duration_s: args.pitch_kick_duration_s,
            steering: if args.gravity_turn_only {
                UpperSteering::GravityTurn
            } else {
                UpperSteering::LinearTangent { final_pitch_deg: args.final_pitch_deg }
            },
            main_engine_burn_s: args.main_engine_burn_s,
            coast_s: None,
        };
        let kick_for_staging_fpa_deg = args.pitch_kick_deg.is_none().then_some(args.staging_fpa_deg);
        (site, note, Steering::OpenLoop { heading, perigee_m: perigee_km * 1e3, parameters, kick_for_staging_fpa_deg })
    } else {
        let (site, target, branch) = resolve_orbit(args.elements(), args.named.argument_of_perigee_deg, vehicle)?;
        (site, None, Steering::Targeted { target, branch })
    };
    let request = FlyRequest {
        vehicle,
        vehicle_id: &args.vehicle,
        site: &site,
        payload_kg,
        steering,
        options: FlightOptions { sample_interval_s: Some(args.sample_interval_s.unwrap_or(1.0)), ..FlightOptions::default() },
    };
    let mut progress = Progress::new(if args.open_loop { "tuning the pitch-over kick" } else { "targeting the ascent" });
    let mission = mission::fly(&request, &mut |n| progress.tick(n));
    progress.finish();
    let m = match (mission, steering) {
        (Ok(m), _) => m,
        (Err(e), Steering::Targeted { target, branch }) => {
            return Err(targeted_ascent_error(e, vehicle, &args.vehicle, (&site, &target, branch), payload_kg))
        }
        (Err(e), Steering::OpenLoop { .. }) => return Err(e.into()),
    };
    let p = &m.parameters;
    // A large dogleg of the targeted ascent, said on stderr and in report.html's notes.
    let dogleg_warning = match p.steering {
        UpperSteering::Targeted(law) if m.targeting.is_some() => {
            mission::dogleg_note(law.dogleg_deg, m.flight.loss_budget.steering_loss_m_s)
        }
        _ => None,
    };
    if let Some(warning) = &dogleg_warning {
        eprintln!("warning: {warning}");
    }
    let (headline, ascent_text) = match (steering, m.targeting) {
        (Steering::Targeted { target, .. }, Some((propellant_margin_kg, flights))) => {
            let steering = match p.steering {
                UpperSteering::Targeted(law) => format!("; {}", crate::present::exo_steering_text(&law)),
                _ => String::new(),
            };
            // Why not directly: the target's plane out of the ascent's reach (the last stage's
            // burns turn it), or the payload.
            let why_not_direct = |e: &cosmodrome::mission::EllipticProfile| {
                crate::present::inclination_changed_deg(e.inclination_change_deg(&target)).map_or_else(
                    || "the direct ascent could not be targeted with this payload".to_owned(),
                    |deg| format!("no ascent reaches the target's plane; the last stage changes the inclination by {deg:.2}°"),
                )
            };
            // By the elliptic profile: the ellipse, the coast and the circularization.
            let (profile, cutoff) = match &m.elliptic {
                Some(e) if e.through_parking_orbit() => (
                    format!(", through a parking orbit: {}", why_not_direct(e)),
                    format!(
                        "cutoff in the parking orbit {}, then {} over {:.0} s of coasts, the last of {:.1} m/s; {:.0} kg of usable propellant left",
                        e.ellipse.describe(),
                        match e.burns.len().saturating_sub(1) {
                            1 => "1 burn".to_string(),
                            n => format!("{n} burns"),
                        },
                        e.coasts.iter().map(|c| c.duration_s).sum::<f64>(),
                        e.burns.last().map_or(0.0, |b| b.delta_v_m_s),
                        propellant_margin_kg
                    ),
                ),
                Some(e) => {
                    let dv_m_s = e.burns.last().map_or(0.0, |b| b.delta_v_m_s);
                    let (profile, burn) = if e.raises(&target) {
                        (
                            format!(", raising ellipse: {}", why_not_direct(e)),
                            format!("the target's perigee, where a burn of {dv_m_s:.1} m/s raises the far side"),
                        )
                    } else {
                        (
                            format!(", elliptic profile: {}", why_not_direct(e)),
                            format!("circularization burn of {dv_m_s:.1} m/s there"),
                        )
                    };
                    (
                        profile,
                        format!(
                            "cutoff in the ellipse {}, coast {:.0} s to its apogee, {burn}; {:.0} kg of usable propellant left",
                            e.ellipse.describe(),
                            e.coasts.iter().map(|c| c.duration_s).sum::<f64>(),
                            propellant_margin_kg
                        ),
                    )
                }
                // A solid last stage cannot be cut off: the ascent's shape put its burnout there.
                None if vehicle.last_stage_is_solid() => (String::new(), "burnout of the solid last stage at the orbit's energy".to_owned()),
                None => (String::new(), format!("engine cutoff at the orbit's energy with {propellant_margin_kg:.0} kg of usable propellant to spare")),
            };
            // A last stage whose steering engine burns on: when its main engines stopped.
            let main_cutoff = match m.flight.events.iter().find(|e| matches!(e.kind, EventKind::MainEngineCutoff { .. })) {
                Some(e) => format!("; main engines of the last stage cut off at {:.1} s, its burn-on engines burning on", e.point.time_s),
                None => String::new(),
            };
            (
                format!(
                    "{} from {} ({}), payload {:.0} kg, to {} (targeted ascent{profile})",
                    vehicle.name,
                    site.id,
                    site.name,
                    payload_kg,
                    target.describe()
                ),
                format!(
                    "ascent: azimuth {:.3}°, vertical rise {:.1} s (pitch-over at ≥ {:.0} m/s), kick {:.4}° over {:.1} s, gravity turn{steering}{main_cutoff}; {cutoff} ({} flights)",
                    m.launch.azimuth_deg,
                    p.vertical_rise_s,
                    p.pitch_over_min_air_speed_m_s,
                    p.pitch_kick_deg,
                    p.pitch_kick_duration_s,
                    flights,
                ),
            )
        }
        _ => (
            format!(
                "{} from {} ({}), payload {:.0} kg, azimuth {:.2}°{} (open loop)",
                vehicle.name,
                site.id,
                site.name,
                payload_kg,
                m.launch.azimuth_deg,
                m.inclination_deg.map_or(String::new(), |i| format!(" for inclination {i}°"))
            ),
            format!(
                "open-loop ascent: vertical rise {:.1} s, pitch kick {:.4}° over {:.1} s{}, then gravity turn; {}",
                p.vertical_rise_s,
                p.pitch_kick_deg,
                p.pitch_kick_duration_s,
                if args.pitch_kick_deg.is_none() { format!(" (for {:.1}° at staging)", args.staging_fpa_deg) } else { String::new() },
                match p.steering {
                    UpperSteering::GravityTurn => "gravity turn through the upper stages".to_owned(),
                    UpperSteering::LinearTangent { final_pitch_deg } =>
                        format!("linear-tangent upper-stage steering to {final_pitch_deg:.1}°"),
                    UpperSteering::Targeted(law) => format!("targeted steering from {:.2}° pitch, yaw {:.3}°", law.pitch_deg, law.yaw_deg),
                }
            ),
        ),
    };
    // The coast before a solid stage whose file gives it a range: the targeted ascent chose it,
    // the open-loop program flies the shortest (it has no objective to choose one by).
    let coast_text = m.report.chosen_coast.as_ref().map(|c| match steering {
        Steering::Targeted { .. } => format!(
            "coast before {}: {:.1} s, chosen in {:.1}–{:.1} s for the most {} to spare with this payload (ignition at {:.1} s)",
            c.stage,
            c.coast_s,
            c.min_s,
            c.max_s,
            // A solid last stage cannot keep propellant: what it spares is energy, burned off.
            if vehicle.last_stage_is_solid() { "energy" } else { "propellant" },
            c.ignition_time_s
        ),
        Steering::OpenLoop { .. } => format!(
            "coast before {}: {:.1} s, the shortest of {:.1}–{:.1} s: the open-loop program does not choose it (without --open-loop, fly does)",
            c.stage, c.coast_s, c.min_s, c.max_s
        ),
    });
    if !args.json {
        println!("{headline}");
        println!("{ascent_text}");
        if let Some(text) = &coast_text {
            println!("{text}");
        }
        if let Some(load_kg) = m.upper_stage_load_kg {
            println!("{}", crate::present::offload_line(load_kg));
        }
        print!("{}", event_table(&m.flight));
        print_final(&m.flight);
        if args.open_loop && !matches!(m.flight.ending(), Ending::Orbit { .. }) {
            println!("(the open-loop program does not target an orbit; without --open-loop, fly steers to one)");
        }
    }
    if let Some(dir) = &args.output.out {
        let notes = match steering {
            Steering::Targeted { target, .. } => vec![
                format!(
                    "targeted ascent to {}{}",
                    target.describe(),
                    match &m.elliptic {
                        Some(e) if e.through_parking_orbit() => " through a parking orbit",
                        Some(_) => " by the elliptic profile",
                        None => "",
                    }
                ),
                ascent_text,
            ]
            .into_iter()
            .chain(coast_text)
            .chain(note)
            .chain(dogleg_warning)
            .collect(),
            Steering::OpenLoop { .. } => note.into_iter().chain([ascent_text]).chain(coast_text).collect(),
        };
        let flown = m.flown_vehicle(vehicle);
        let summary = RunSummary { info: m.run_info(&request, &flown), site_name: &site.name, notes };
        write_run_files(dir, &summary, &m.flight, &OutputOptions { impacts: m.impacts.clone(), ..options })?;
    }
    // After the files: a run that fails writing them prints its error report instead.
    if args.json {
        println!("{}", serde_json::to_string_pretty(&m.report)?);
    }
    Ok(())
}

pub(crate) fn print_final(result: &FlightResult) {
    let p = &result.final_point;
    println!(
        "final: t {:.1} s, altitude {} km, speed {:.1} m/s (inertial), flight-path angle {}°, mass {:.1} kg",
        p.time_s,
        crate::present::fixed(p.altitude_m / 1e3, 2),
        p.speed_m_s,
        crate::present::fixed(p.flight_path_angle_deg, 3),
        p.mass_kg
    );
    // An eccentric orbit's argument of perigee, as the report gives it (a direct GTO's may face
    // another way than the named orbit's).
    let perigee = match result.ending() {
        Ending::Orbit { .. } => crate::present::argument_of_perigee_text(FinalOrbitReport::of(&result.final_orbit).argument_of_perigee_deg),
        _ => String::new(),
    };
    println!("outcome: {}{perigee}", result.ending().describe());
    println!(
        "max q {:.2} kPa ({}), max axial acceleration {:.2} g",
        result.max_dynamic_pressure_pa / 1e3,
        ascent_end_text(&result.ascent_end()),
        result.max_axial_accel_g
    );
    if let Some(q) = result.reentry_max_dynamic_pressure_pa {
        println!("peak dynamic pressure of the fall back: {:.2} kPa (not the ascent's max q)", q / 1e3);
    }
    print!("{}", cosmodrome_io::budget_report::loss_budget_text(&result.loss_budget));
}
