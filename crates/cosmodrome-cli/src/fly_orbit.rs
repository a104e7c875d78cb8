//! `cosmodrome fly --orbit NAME`: the whole mission to a named orbit, with a given payload or the
//! largest found. A direct ascent (LEO, SSO, any orbit of a vehicle whose last stage burns once)
//! is flown as `fly` flies it; a vehicle with a restartable upper stage reaches the high orbits
//! through a parking orbit (the mission of `payload --orbit`), and the trajectory, events,
//! timeline and files cover the whole of it.

use anyhow::Result;
use cosmodrome::dropzone::{nominal_impacts, FallOptions, NominalImpact};
use cosmodrome::flight::{FlightOptions, FlightResult};
use cosmodrome::mission::timeline::TimelineReport;
use cosmodrome::mission::{self, FlightReport, PayloadRequest, RunInfo, TransferRequest};
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome::vehicle::{Site, Vehicle};
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::FlyArgs;
use crate::fly::{fly_given, print_final};
use crate::output::{output_options, write_run_files};
use crate::present::event_table;
use crate::resolve::Progress;
use crate::table::Table;

/// Run `fly --orbit NAME`.
pub fn fly_orbit_command(args: &FlyArgs, name: &str) -> Result<()> {
    // Output options first: a bad --out or epoch costs no flight.
    let output = output_options(&args.output)?;
    let vehicle = crate::resolve::load_vehicle(&args.vehicle)?;
    let (site, target, branch, note) = crate::resolve::named_target(args.elements(), &args.named, name, &vehicle)?;
    // Every second for a direct ascent, every 10 s through a parking orbit, unless
    // `--sample-interval-s` says otherwise.
    let options = FlightOptions {
        sample_interval_s: Some(args.sample_interval_s.unwrap_or(mission::fly::default_sample_interval_s(&target))),
        ..FlightOptions::default()
    };
    match target {
        MissionTarget::Direct(orbit) => match args.payload_kg {
            Some(payload_kg) => fly_given(args, output, &vehicle, payload_kg, Some((site, orbit, branch, note))),
            None => {
                // The largest payload's ascent, flown as `payload` finds it.
                let request =
                    PayloadRequest { vehicle: &vehicle, site: &site, target: orbit, branch, zones: None, options, note: note.as_deref() };
                let mut progress = Progress::new("optimizing the ascent");
                let m = mission::payload(&request, &mut |n| progress.tick(n));
                progress.finish();
                let m = m?;
                let s = &m.solution;
                let flown = s.flown_vehicle(&vehicle);
                let run =
                    run_info(&flown, &args.vehicle, &site, s.launch, Some(orbit.inclination_deg), s.payload_kg, s.upper_stage_load_kg);
                let headline = format!(
                    "{} from {} ({}), payload {:.0} kg (the largest found), to {} (targeted ascent)",
                    vehicle.name,
                    site.id,
                    site.name,
                    s.payload_kg,
                    orbit.describe()
                );
                let mut json = serde_json::to_vec_pretty(&m.report)?;
                json.push(b'\n');
                let files = Files {
                    extra: vec![("payload.json".to_owned(), json)],
                    record: serde_json::json!({ "target_orbit": m.report.target }),
                    notes: m.report.notes.clone(),
                };
                present(args, &site, &run, &s.flight, m.impacts.clone(), (headline, Vec::new()), files, output)
            }
        },
        MissionTarget::Transfer { parking, target } => {
            let request = TransferRequest { vehicle: &vehicle, site: &site, parking, target, branch, options };
            let mut progress = Progress::new("flying the ascent and the transfer");
            let m = mission::fly_transfer(&request, args.payload_kg, &mut |n| progress.tick(n));
            progress.finish();
            let m = m?;
            let (r, s) = (&m.report, &m.solution);
            // Its upper stage offloaded when the optimizer did.
            let flown = cosmodrome::optimize::transfer::as_flown(&vehicle, s.upper_stage_load_kg);
            let run =
                run_info(&flown, &args.vehicle, &site, s.launch, Some(s.parking.inclination_deg), s.payload_kg, s.upper_stage_load_kg);
            let which = if args.payload_kg.is_some() { "given" } else { "the largest found" };
            let headline = format!(
                "{} from {} ({}), payload {:.0} kg ({which}), to {} through a {:.0} × {:.0} km parking orbit at {:.2}°",
                vehicle.name,
                site.id,
                site.name,
                s.payload_kg,
                r.target,
                r.parking.perigee_km,
                r.parking.apogee_km,
                r.parking.inclination_deg
            );
            let achieved = crate::payload::achieved_transfer(r);
            let mut lines = vec![
                achieved,
                format!(
                    "launch azimuth {:.2}°; {:.0} kg of propellant aboard for the transfer at the parking orbit, {:.1} kg left at the end; mission time {:.2} h",
                    r.launch_azimuth_deg,
                    r.held_back_kg,
                    r.propellant_left_kg,
                    r.mission_time_s / 3600.0
                ),
            ];
            if let Some(load_kg) = s.upper_stage_load_kg {
                lines.push(crate::present::offload_line(load_kg));
            }
            let impacts = nominal_impacts(&flown, &s.launch, &s.flight.jettisoned, None, &FallOptions::default())?;
            let mut json = serde_json::to_vec_pretty(r)?;
            json.push(b'\n');
            let files = Files {
                extra: vec![("transfer.json".to_owned(), json)],
                record: serde_json::json!({ "target": r.target, "parking": r.parking }),
                notes: Vec::new(),
            };
            present(args, &site, &run, &s.flight, impacts, (headline, lines), files, output)
        }
    }
}

fn run_info<'a>(
    vehicle: &'a Vehicle,
    vehicle_id: &'a str,
    site: &'a Site,
    launch: cosmodrome::flight::Launch,
    inclination_deg: Option<f64>,
    payload_kg: f64,
    upper_stage_load_kg: Option<f64>,
) -> RunInfo<'a> {
    RunInfo { vehicle, vehicle_id, site_id: &site.id, launch, inclination_deg, payload_kg, upper_stage_load_kg, energy_weave_deg: None }
}

/// What a mission adds to its output set: its own report files and what `run.json` records.
struct Files {
    extra: Vec<(String, Vec<u8>)>,
    record: serde_json::Value,
    /// Notes for the set's summary (`report.html`) already given on stderr.
    notes: Vec<String>,
}

/// Print the flight (or its report as JSON) and write its files.
#[allow(clippy::too_many_arguments)]
fn present(
    args: &FlyArgs,
    site: &Site,
    run: &RunInfo<'_>,
    flight: &FlightResult,
    impacts: Vec<NominalImpact>,
    (headline, lines): (String, Vec<String>),
    files: Files,
    output: OutputOptions,
) -> Result<()> {
    // Made before the files, printed after them: a run that fails writing them prints its error
    // report instead.
    let json = args.json.then(|| FlightReport::new(run, flight)).transpose()?;
    if json.is_none() {
        println!("{headline}");
        for l in &lines {
            println!("{l}");
        }
        print!("{}", timeline_table(&TimelineReport::new(run.vehicle, flight)));
        print!("{}", event_table(flight));
        print_final(flight);
    }
    if let Some(dir) = &args.output.out {
        let notes = std::iter::once(headline).chain(lines).chain(files.notes).collect();
        let summary = RunSummary { info: run.clone(), site_name: &site.name, notes };
        write_run_files(dir, &summary, flight, &OutputOptions { impacts, extra_files: files.extra, record: files.record, ..output })?;
    }
    if let Some(report) = json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

/// The burns of every stage, with the orbit each leaves, and the coasts.
pub fn timeline_table(timeline: &TimelineReport) -> String {
    let mut t = Table::new(&["stage", "burn", "start s", "duration s", "Δv m/s", "propellant kg", "orbit after"], 1);
    let orbit = cosmodrome::mission::flight::FinalOrbitReport::describe;
    for b in &timeline.burns {
        t.row(vec![
            b.stage.clone(),
            b.burn.to_string(),
            format!("{:.1}", b.start_s),
            format!("{:.1}", b.duration_s),
            b.delta_v_m_s.map_or_else(|| "shared".to_owned(), |v| format!("{v:.1}")),
            b.propellant_kg.map_or_else(|| "–".to_owned(), |m| format!("{m:.1}")),
            orbit(&b.orbit_after),
        ]);
    }
    let mut out = String::from("mission timeline (Δv \"shared\": the stage burns with others):\n");
    out.push_str(&t.render());
    for c in &timeline.coasts {
        out.push_str(&format!("coast from {:.1} s for {:.1} min in {}\n", c.start_s, c.duration_s / 60.0, orbit(&c.orbit)));
    }
    out
}
