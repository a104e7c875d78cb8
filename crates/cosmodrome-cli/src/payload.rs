//! `cosmodrome payload`: the largest payload into a target orbit, the ascent that does it, and
//! its JSON answer (`--json`, `payload.json`).

use anyhow::Result;
use cosmodrome::dropzone::NominalImpact;
use cosmodrome::flight::FlightOptions;
use cosmodrome::mission::common::ZoneChecksReport;
use cosmodrome::mission::dropzones::ascent_footprints;
use cosmodrome::mission::{self, PayloadMission, PayloadReport, PayloadRequest};
use cosmodrome::optimize::payload::PayloadSolution;
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::PayloadArgs;
use crate::output::{output_options, write_run_files};
use crate::present::{designated_plot_zones, event_table, plot_zones};
use crate::resolve::{load_vehicle, resolve_orbit, resolve_zones, Progress};
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

/// Run the command: the core's payload mission, presented as a table or its report as JSON.
pub fn payload_command(args: &PayloadArgs) -> Result<()> {
    // Output flags first: a bad --out or epoch costs no optimization.
    let output_options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let (site, target, branch) = resolve_orbit(&args.orbit, &vehicle)?;
    let zones = resolve_zones(&args.orbit, &vehicle)?;
    let options = FlightOptions { sample_interval_s: args.output.out.as_ref().map(|_| 1.0), ..FlightOptions::default() };
    let request = PayloadRequest { vehicle: &vehicle, site: &site, target, branch, zones: zones.as_ref(), options };
    let mut progress = Progress::new("optimizing the ascent");
    let mission = mission::payload(&request, |n| progress.tick(n));
    progress.finish();
    let PayloadMission { report, solution, impacts, .. } = mission?;

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report, &solution, &impacts);
        if let (Some(z), Some(checks)) = (&zones, &report.drop_zones) {
            println!("ascent shaped to the designated zones of {} ({})", z.name, z.file);
            print!("{}", zone_table(checks));
        }
    }
    if let Some(dir) = &args.output.out {
        let mut json = serde_json::to_vec_pretty(&report)?;
        json.push(b'\n');
        let drop_zones = if output_options.plots {
            let footprints = ascent_footprints(&vehicle, &solution.launch, &solution.flight, PLOT_SAMPLES, 1)?;
            plot_zones(footprints.iter().map(|(name, f)| (name.as_str(), f)))
        } else {
            Vec::new()
        };
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &vehicle,
                vehicle_id: &args.vehicle,
                site_id: &site.id,
                launch: solution.launch,
                inclination_deg: Some(target.inclination_deg),
                payload_kg: solution.payload_kg,
            },
            site_name: &site.name,
            notes: vec![format!(
                "maximum payload into {:.0} × {:.0} km at {:.2}°: {:.0} kg; drop zones: 3-sigma ellipses of dispersed falls",
                report.target.perigee_km, report.target.apogee_km, report.target.inclination_deg, report.payload_kg
            )],
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
    Ok(())
}

/// The report as text, with the ascent law, the events and the Δv budget of its flight.
fn print_summary(r: &PayloadReport, s: &PayloadSolution, impacts: &[NominalImpact]) {
    let (t, o) = (&r.target, &r.orbit);
    println!("{} from {} to {:.0} × {:.0} km at {:.2}°", r.vehicle, r.site, t.perigee_km, t.apogee_km, t.inclination_deg);
    println!("maximum payload: {:.0} kg", r.payload_kg);
    println!(
        "achieved orbit: perigee {:.2} km, apogee {:.2} km, inclination {:.3}° (insertion at {:.1} s)",
        o.perigee_km, o.apogee_km, o.inclination_deg, r.insertion_time_s
    );
    if let cosmodrome::guidance::UpperSteering::Targeted(law) = s.parameters.steering {
        println!(
            "ascent: azimuth {:.3}°, vertical rise {:.1} s (pitch-over at ≥ {:.0} m/s), kick {:.4}°, gravity turn; from the first separation linear-tangent pitch {:.2}° with tan-rate {:.3e}/s",
            s.launch.azimuth_deg,
            s.parameters.vertical_rise_s,
            s.parameters.pitch_over_min_air_speed_m_s,
            s.parameters.pitch_kick_deg,
            law.pitch_deg,
            law.tan_pitch_rate_per_s
        );
    }
    println!(
        "max q {:.2} kPa, max axial acceleration {:.2} g; {} flights, {} kicks tried",
        s.flight.max_dynamic_pressure_pa / 1e3,
        s.flight.max_axial_accel_g,
        s.flights,
        s.kick_evaluations
    );
    // Every jettisoned body (the fairing too), as the core's nominal falls give them.
    let mut table = Table::new(&["jettisoned", "separation t s", "alt km", "speed m/s", "impact", "downrange km"], 1);
    for (b, n) in s.flight.jettisoned.iter().zip(impacts) {
        let (impact, downrange) = match (n.impact(), n.downrange_km) {
            (Some(i), Some(d)) => (format!("{:.3}° N {:.3}° E", i.latitude_deg, i.longitude_deg), format!("{d:.0}")),
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
