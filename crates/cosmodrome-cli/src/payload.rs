//! `cosmodrome payload`: the largest payload into a target orbit, the ascent that does it, and
//! its JSON answer (`--json`, `payload.json`).

use anyhow::Result;
use cosmodrome::dropzone::AscentReplay;
use cosmodrome::dropzone::NominalImpact;
use cosmodrome::flight::FlightOptions;
use cosmodrome::mission::common::ZoneChecksReport;
use cosmodrome::mission::dropzones::ascent_footprints;
use cosmodrome::mission::transfer::{BurnEntry, CoastEntry, PERIGEE_FREE_NOTE};
use cosmodrome::mission::{
    self, PayloadMission, PayloadReport, PayloadRequest, TradeFactorReport, TradeItem, TransferReport, TransferRequest,
};
use cosmodrome::optimize::payload::PayloadSolution;
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::PayloadArgs;
use crate::output::{output_options, write_run_files};
use crate::present::{designated_plot_zones, event_table, plot_zones};
use crate::resolve::{load_vehicle, named_target, resolve_orbit, resolve_zones, Progress, RowProgress};
use crate::table::Table;

/// Dispersed falls per body behind the drop zones drawn on a `payload` ground track (seed 1).
const PLOT_SAMPLES: usize = 300;

/// Each designated zone's check against the nominal falls, as a table.
fn zone_table(zones: &ZoneChecksReport) -> String {
    let mut t = Table::new(&["designated zone", "for", "body", "radius km", "margin km", "nominal distance km", "nominal inside"], 3);
    for z in &zones.zones {
        t.row(vec![
            z.zone.clone(),
            z.stage.clone(),
            z.body.clone(),
            format!("{:.0}", z.radius_km),
            format!("{:.0}", z.margin_km),
            z.nominal_distance_km.map_or_else(|| "does not come down".to_owned(), |d| format!("{d:.1}")),
            if z.inside { "yes" } else { "no" }.to_owned(),
        ]);
    }
    t.render()
}

/// The payload trade factors as a table, with the reason of every row that could not be found.
fn trade_table(factors: &[TradeFactorReport]) -> String {
    let mut t = Table::new(&["stage", "item", "step", "∂payload", "unit"], 2);
    let mut errors = String::new();
    for f in factors {
        let step = match f.item.as_str() {
            "isp_vac_s" => format!("±{} s", f.step),
            "thrust_vac_percent" => format!("±{} %", f.step),
            _ => format!("±{:.1} kg", f.step),
        };
        let value = f.payload_per_unit.map_or_else(|| "–".to_owned(), |v| format!("{v:.4}"));
        if let Some(e) = &f.error {
            errors.push_str(&format!("{} {}: {e}\n", f.stage, f.item));
        }
        t.row(vec![f.stage.clone(), f.item.clone(), step, value, f.unit.clone()]);
    }
    format!(
        "payload trade factors (central differences of re-optimized payloads; masses of the whole stage; solid thrust at the same impulse):\n{}{errors}",
        t.render()
    )
}

/// Run the command: the core's payload mission, presented as a table or its report as JSON.
pub fn payload_command(args: &PayloadArgs) -> Result<()> {
    // Output flags first: a bad --out or epoch costs no optimization.
    let output_options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let (site, target, branch, note) = match &args.named.orbit_name {
        None => {
            let (site, target, branch) = resolve_orbit(args.orbit.elements(), args.named.argument_of_perigee_deg, &vehicle)?;
            (site, target, branch, None)
        }
        Some(name) => {
            let o = &args.orbit;
            let (site, target, branch, note) = named_target(o.elements(), &args.named, name, &vehicle)?;
            match target {
                MissionTarget::Direct(target) => (site, target, branch, note),
                MissionTarget::Transfer { parking, target } => {
                    if o.drop_zones.is_some() {
                        return Err(crate::failure::usage(
                            "--drop-zones shapes a direct ascent; it is not available through a parking orbit yet",
                        ));
                    }
                    let options = FlightOptions {
                        sample_interval_s: args.output.out.as_ref().map(|_| mission::fly::TRANSFER_SAMPLE_INTERVAL_S),
                        ..FlightOptions::default()
                    };
                    let request = TransferRequest { vehicle: &vehicle, site: &site, parking, target, branch, options };
                    let mut progress = Progress::new("optimizing the ascent and the transfer");
                    let mission = mission::transfer_payload_warm(&request, &mut |n| progress.tick(n));
                    progress.finish();
                    let (mut mission, warm_start) = mission?;
                    if args.trade_factors {
                        let items = TradeItem::all(&vehicle);
                        let rows = RowProgress::new("trade factors");
                        let factors =
                            mission::transfer_trade_factors(&request, &warm_start, &items, &|done, total| rows.done(done, total), &|| {});
                        rows.finish();
                        mission.report.trade_factors = Some(factors.iter().map(|f| TradeFactorReport::new(&vehicle, f)).collect());
                    }
                    return transfer_output(args, &vehicle, &site, &mission, output_options);
                }
            }
        }
    };
    let zones = resolve_zones(&args.orbit, &vehicle)?;
    let options = FlightOptions { sample_interval_s: args.output.out.as_ref().map(|_| 1.0), ..FlightOptions::default() };
    let request = PayloadRequest { vehicle: &vehicle, site: &site, target, branch, zones: zones.as_ref(), options, note: note.as_deref() };
    let mut progress = Progress::new("optimizing the ascent");
    let mission = mission::payload(&request, &mut |n| progress.tick(n));
    progress.finish();
    let PayloadMission { mut report, solution, impacts, warm_start, .. } = mission?;
    // A large dogleg is said on stderr too (the report's notes hold it), whether or not JSON.
    if let Some(warning) = report.dogleg_deg.and_then(|deg| mission::dogleg_note(deg, solution.flight.loss_budget.steering_loss_m_s)) {
        eprintln!("warning: {warning}");
    }
    if args.trade_factors {
        let items = TradeItem::all(&vehicle);
        let rows = RowProgress::new("trade factors");
        let factors = mission::trade_factors(&request, warm_start.as_ref(), &items, &|done, total| rows.done(done, total), &|| {});
        rows.finish();
        report.trade_factors = Some(factors.iter().map(|f| TradeFactorReport::new(&vehicle, f)).collect());
    }

    if !args.json {
        print_summary(&report, &solution, &impacts);
        if let (Some(z), Some(checks)) = (&zones, &report.drop_zones) {
            println!("ascent shaped to the designated zones of {} ({})", z.name, z.file);
            print!("{}", zone_table(checks));
        }
        if let Some(factors) = &report.trade_factors {
            print!("{}", trade_table(factors));
        }
    }
    if let Some(dir) = &args.output.out {
        let flown = solution.flown_vehicle(&vehicle);
        let mut json = serde_json::to_vec_pretty(&report)?;
        json.push(b'\n');
        let drop_zones = if output_options.plots {
            let footprints = ascent_footprints(
                &flown,
                &solution.launch,
                &solution.flight,
                AscentReplay { payload_kg: solution.payload_kg, parameters: solution.parameters, options },
                PLOT_SAMPLES,
                1,
            )?;
            plot_zones(footprints.iter().map(|(name, f)| (name.as_str(), f)))
        } else {
            Vec::new()
        };
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &flown,
                vehicle_id: &args.vehicle,
                site_id: &site.id,
                launch: solution.launch,
                inclination_deg: Some(target.inclination_deg),
                payload_kg: report.payload_kg,
                upper_stage_load_kg: solution.upper_stage_load_kg,
                energy_weave_deg: None,
            },
            site_name: &site.name,
            notes: std::iter::once(format!(
                "maximum payload into {:.0} × {:.0} km at {:.2}°: {} kg; drop zones: 3-sigma ellipses of dispersed falls",
                report.target.perigee_km,
                report.target.apogee_km,
                report.target.inclination_deg,
                cosmodrome_io::kg_text(report.payload_kg)
            ))
            .chain(report.notes.iter().cloned())
            .collect(),
        };
        write_run_files(
            dir,
            &summary,
            &solution.flight,
            &OutputOptions {
                drop_zones,
                designated_zones: designated_plot_zones(zones.as_ref()),
                impacts,
                extra_files: vec![("payload.json".to_owned(), json)],
                record: serde_json::json!({ "target_orbit": report.target, "drop_zones": args.orbit.drop_zones }),
                ..output_options
            },
        )?;
    }
    // The report after the files: a run that fails writing them prints its error report on
    // stdout instead, never two documents.
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

/// Print or write the answer of a transfer through a parking orbit.
fn transfer_output(
    args: &PayloadArgs,
    vehicle: &cosmodrome::vehicle::Vehicle,
    site: &cosmodrome::vehicle::Site,
    mission: &mission::TransferMission,
    output_options: OutputOptions,
) -> Result<()> {
    let report = &mission.report;
    let solution = &mission.solution;
    // A large dogleg of the ascent to the parking orbit, said as a direct ascent's.
    let dogleg_warning = report.dogleg_deg.and_then(|deg| mission::dogleg_note(deg, solution.flight.loss_budget.steering_loss_m_s));
    if let Some(warning) = &dogleg_warning {
        eprintln!("warning: {warning}");
    }
    if !args.json {
        print_transfer(report);
        if let Some(factors) = &report.trade_factors {
            print!("{}", trade_table(factors));
        }
    }
    if let Some(dir) = &args.output.out {
        let mut json = serde_json::to_vec_pretty(report)?;
        json.push(b'\n');
        let flown = cosmodrome::optimize::transfer::as_flown(vehicle, solution.upper_stage_load_kg);
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &flown,
                vehicle_id: &args.vehicle,
                site_id: &site.id,
                launch: solution.launch,
                inclination_deg: Some(solution.parking.inclination_deg),
                payload_kg: report.payload_kg,
                upper_stage_load_kg: solution.upper_stage_load_kg,
                energy_weave_deg: None,
            },
            site_name: &site.name,
            notes: std::iter::once(format!(
                "maximum payload into {} through a {:.0} km parking orbit: {} kg",
                report.target,
                report.parking.perigee_km,
                cosmodrome_io::kg_text(report.payload_kg)
            ))
            .chain(dogleg_warning)
            .chain(report.liftoff_limit.as_ref().and_then(mission::LiftoffLimitReport::note))
            .collect(),
        };
        write_run_files(
            dir,
            &summary,
            &solution.flight,
            &OutputOptions {
                extra_files: vec![("transfer.json".to_owned(), json)],
                record: serde_json::json!({ "target": report.target, "parking": report.parking }),
                ..output_options
            },
        )?;
    }
    // After the files, as for a direct ascent.
    if args.json {
        println!("{}", serde_json::to_string_pretty(report)?);
    }
    Ok(())
}

/// The escape a transfer report ends on, in a line: its C3, perigee, inclination and the
/// declination of its departure asymptote.
fn achieved_escape(r: &TransferReport) -> String {
    let declination = r.asymptote_declination_deg.map_or_else(String::new, |d| format!(", asymptote declination {d:.2}°"));
    format!(
        "achieved escape: C3 {:.3} km²/s², perigee {:.1} km, inclination {:.3}°{declination}",
        r.c3_km2_s2, r.perigee_km, r.inclination_deg
    )
}

/// Where a transfer report's mission ended, in a line: the orbit reached, its perigee marked
/// when the mission left it free, or the escape.
pub(crate) fn achieved_transfer(r: &TransferReport) -> String {
    match &r.orbit {
        Some(o) => {
            let free = if r.perigee_free { format!(" ({PERIGEE_FREE_NOTE})") } else { String::new() };
            format!(
                "achieved orbit: perigee {:.1} km{free}, apogee {:.1} km, inclination {:.3}°, argument of perigee {:.2}°",
                o.perigee_km, o.apogee_km, o.inclination_deg, r.argument_of_perigee_deg
            )
        }
        None => achieved_escape(r),
    }
}

/// The upper stage's burns as a table, then its coasts.
fn print_burns(burns: &[BurnEntry], coasts: &[CoastEntry]) {
    let mut t = Table::new(&["burn", "start s", "duration s", "Δv m/s", "propellant kg"], 0);
    for b in burns {
        t.row(vec![
            b.burn.to_string(),
            format!("{:.1}", b.start_s),
            format!("{:.1}", b.duration_s),
            format!("{:.1}", b.delta_v_m_s),
            format!("{:.1}", b.propellant_kg),
        ]);
    }
    print!("{}", t.render());
    for c in coasts {
        println!("coast from {:.1} s for {:.1} min", c.start_s, c.duration_s / 60.0);
    }
}

/// The transfer report as text: the payload, the orbits, and every burn and coast.
fn print_transfer(r: &TransferReport) {
    println!("maximum payload: {} kg into {} ({} from {})", cosmodrome_io::kg_text(r.payload_kg), r.target, r.vehicle, r.site);
    if let Some(note) = r.liftoff_limit.as_ref().and_then(mission::LiftoffLimitReport::note) {
        println!("{note}");
    }
    if let Some(load_kg) = r.upper_stage_load_kg {
        println!("{}", crate::present::offload_line(load_kg));
    }
    println!("{}", achieved_transfer(r));
    let dogleg = r.dogleg_deg.map_or_else(String::new, |d| format!(", the plane turned {d:.2}° out of the air (a dogleg)"));
    println!(
        "parking orbit {:.0} × {:.0} km at {:.2}°; launch azimuth {:.2}°{dogleg}; {:.0} kg held back for the transfer, {:.1} kg left at the end",
        r.parking.perigee_km, r.parking.apogee_km, r.parking.inclination_deg, r.launch_azimuth_deg, r.held_back_kg, r.propellant_left_kg
    );
    print_burns(&r.burns, &r.coasts);
    for d in &r.dropped_tanks {
        let into = d.orbit.as_ref().map_or_else(|| "an escape".to_owned(), |o| format!("{:.0} × {:.0} km", o.perigee_km, o.apogee_km));
        println!("{} ({:.0} kg) dropped at {:.1} s into {into}", d.name, d.mass_kg, d.time_s);
    }
    println!("mission time {:.2} h; {} flights", r.mission_time_s / 3600.0, r.flights);
}

/// The report as text, with the ascent law, the events and the Δv budget of its flight.
fn print_summary(r: &PayloadReport, s: &PayloadSolution, impacts: &[NominalImpact]) {
    let (t, o) = (&r.target, &r.orbit);
    println!("{} from {} to {:.0} × {:.0} km at {:.2}°", r.vehicle, r.site, t.perigee_km, t.apogee_km, t.inclination_deg);
    println!("maximum payload: {} kg", cosmodrome_io::kg_text(r.payload_kg));
    if let Some(note) = r.liftoff_limit.as_ref().and_then(mission::LiftoffLimitReport::note) {
        println!("{note}");
    }
    if let Some(load_kg) = r.upper_stage_load_kg {
        println!("{}", crate::present::offload_line(load_kg));
    }
    let perigee = crate::present::argument_of_perigee_text(o.argument_of_perigee_deg);
    println!(
        "achieved orbit: perigee {:.2} km, apogee {:.2} km, inclination {:.3}°{perigee} (insertion at {:.1} s)",
        o.perigee_km, o.apogee_km, o.inclination_deg, r.insertion_time_s
    );
    if let Some(e) = &r.elliptic_transfer {
        let cutoff = e.cutoff_text();
        if e.through_parking_orbit() {
            println!(
                "through a parking orbit: the ascent ends in a {:.0} × {:.0} km orbit at {:.2}°; the last stage's burns take it from there to the target",
                e.ellipse.perigee_km, e.ellipse.apogee_km, e.ellipse.inclination_deg
            );
        } else if e.raises(t) {
            println!(
                "raising ellipse: the ascent ends in a {:.0} × {:.0} km ellipse at {:.2}°, {cutoff}; the last stage coasts to its apogee, the target's perigee, and raises the far side there",
                e.ellipse.perigee_km, e.ellipse.apogee_km, e.ellipse.inclination_deg
            );
        } else {
            let turn = crate::present::inclination_changed_deg(e.inclination_change_deg(t))
                .map_or_else(String::new, |deg| format!(", changing the inclination by {deg:.2}° (no ascent reaches the target's plane)"));
            println!(
                "elliptic profile: the ascent ends in a {:.0} × {:.0} km ellipse at {:.2}°, {cutoff}; the last stage coasts to its apogee and circularizes there{turn}",
                e.ellipse.perigee_km, e.ellipse.apogee_km, e.ellipse.inclination_deg
            );
        }
        print_burns(&e.burns, &e.coasts);
    }
    if let cosmodrome::guidance::UpperSteering::Targeted(law) = s.parameters.steering {
        println!(
            "ascent: azimuth {:.3}°, vertical rise {:.1} s (pitch-over at ≥ {:.0} m/s), kick {:.4}°, gravity turn; {}",
            s.launch.azimuth_deg,
            s.parameters.vertical_rise_s,
            s.parameters.pitch_over_min_air_speed_m_s,
            s.parameters.pitch_kick_deg,
            crate::present::exo_steering_text(&law)
        );
    }
    if let Some(c) = &r.chosen_coast {
        println!(
            "coast before {}: {:.1} s, chosen in {:.1}–{:.1} s (ignition at {:.1} s)",
            c.stage, c.coast_s, c.min_s, c.max_s, c.ignition_time_s
        );
    }
    if let Some(t) = r.main_engine_cutoff_s {
        println!("main engines of the last stage cut off at {t:.1} s, its burn-on engines burning alone to the insertion");
    }
    // The elliptic profile's kicks are its missions' (each perigee's), not counted here.
    let kicks = if r.elliptic_transfer.is_none() { format!(", {} kicks tried", s.kick_evaluations) } else { String::new() };
    println!(
        "max q {:.2} kPa, max axial acceleration {:.2} g; {} flights{kicks}",
        s.flight.max_dynamic_pressure_pa / 1e3,
        s.flight.max_axial_accel_g,
        s.flights,
    );
    // Every jettisoned body (the fairing too), as the core's nominal falls give them.
    let mut table = Table::new(&["jettisoned", "separation t s", "alt km", "speed m/s", "impact", "downrange km"], 1);
    for (b, n) in s.flight.jettisoned.iter().zip(impacts) {
        let (impact, downrange) = match (n.impact(), n.downrange_km) {
            (Some(i), Some(d)) => (crate::present::lat_lon(i.latitude_deg, i.longitude_deg), format!("{d:.0}")),
            _ => ("stays in orbit".to_owned(), "–".to_owned()),
        };
        table.row(vec![
            b.name.clone(),
            format!("{:.1}", b.point.time_s),
            format!("{:.1}", b.point.altitude_m / 1e3),
            format!("{:.0}", b.point.speed_m_s),
            impact,
            downrange,
        ]);
    }
    print!("{}", table.render());
    print!("{}", event_table(&s.flight));
    print!("{}", cosmodrome_io::budget_report::loss_budget_text(&s.flight.loss_budget));
}
