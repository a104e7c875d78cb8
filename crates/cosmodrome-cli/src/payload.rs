//! `cosmodrome payload`: the largest payload into a target orbit, the ascent that does it, and
//! its JSON answer (`--json`, `payload.json`).

use std::time::{Duration, Instant};

use anyhow::Result;
use cosmodrome::dropzone::designated::ZoneCheck;
use cosmodrome::dropzone::{DesignatedZones, NominalImpact};
use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::{self, PayloadMission, PayloadReport, PayloadRequest};
use cosmodrome::optimize::payload::{PayloadSolution, TargetOrbit};
use cosmodrome::optimize::targeting::{fly_to_orbit, TargetedAscent};
use cosmodrome::vehicle::{Site, Vehicle};
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{OutputOptions, RunSummary};

use crate::args::{OrbitArgs, PayloadArgs};
use crate::commands::{event_table, load_vehicle, output_options, write_run_files};
use crate::dropzones::{ascent_drop_zones, designated_plot_zones};
use crate::table::Table;

/// Progress on stderr, only once a run has taken longer than a second.
pub(crate) struct Progress {
    start: Instant,
    shown: bool,
    /// What is in progress (`optimizing the ascent`).
    what: &'static str,
}

impl Progress {
    /// Starts the clock.
    pub(crate) fn new(what: &'static str) -> Self {
        Progress { start: Instant::now(), shown: false, what }
    }

    /// One more flight flown.
    pub(crate) fn tick(&mut self, flights: usize) {
        if self.start.elapsed() > Duration::from_secs(1) && flights.is_multiple_of(10) {
            eprint!("\r{}: {flights} flights, {:.1} s", self.what, self.start.elapsed().as_secs_f64());
            self.shown = true;
        }
    }

    /// Ends the progress line.
    pub(crate) fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

/// The targeted ascent of a given payload into the orbit (`fly`, `dropzones --payload-kg`), with
/// progress; a payload over the maximum is refused with the `payload` command that finds it.
pub fn targeted_ascent(
    vehicle: &Vehicle,
    vehicle_arg: &str,
    (site, target, branch): (&Site, &TargetOrbit, Branch),
    payload_kg: f64,
    options: FlightOptions,
) -> Result<TargetedAscent> {
    let mut progress = Progress::new("targeting the ascent");
    let ascent = fly_to_orbit(vehicle, site, target, branch, payload_kg, options, |n| progress.tick(n));
    progress.finish();
    ascent.map_err(|e| match e {
        cosmodrome::Error::PayloadTooHeavy { .. } => anyhow::anyhow!(
            "{e}\nthe largest payload into that orbit: cosmodrome payload {vehicle_arg} --site {} --perigee-km {} --apogee-km {} --inclination-deg {}{}",
            site.id,
            target.perigee_m / 1e3,
            target.apogee_m / 1e3,
            target.inclination_deg,
            if branch == Branch::Southbound { " --southbound" } else { "" }
        ),
        e @ cosmodrome::Error::Unreachable(_) => {
            anyhow::Error::new(e).context(format!("{} with {payload_kg:.0} kg does not reach {}", vehicle.name, target.describe()))
        }
        e => e.into(),
    })
}

/// The pad (the vehicle's family's at a cosmodrome), the target orbit (the site's lowest
/// inclination unless given) and the branch.
pub fn resolve_orbit(o: &OrbitArgs, vehicle: &Vehicle) -> Result<(Site, TargetOrbit, Branch)> {
    let (site, _note) = crate::commands::resolve_site(&o.site, vehicle)?;
    let target = TargetOrbit {
        perigee_m: o.perigee_km * 1e3,
        apogee_m: o.apogee_km.unwrap_or(o.perigee_km) * 1e3,
        inclination_deg: o.inclination_deg.unwrap_or_else(|| site.default_inclination_deg()),
    };
    let branch = if o.southbound { Branch::Southbound } else { Branch::Northbound };
    Ok((site, target, branch))
}

/// The designated drop zones of `--drop-zones`, checked against the vehicle.
pub fn resolve_zones(o: &OrbitArgs, vehicle: &Vehicle) -> Result<Option<DesignatedZones>> {
    let Some(id) = &o.drop_zones else { return Ok(None) };
    let zones = DesignatedZones::resolve(id)?;
    zones.check_against(vehicle)?;
    Ok(Some(zones))
}

/// Each designated zone's check against the nominal falls, as a table.
pub fn zone_table(zones: &DesignatedZones, checks: &[ZoneCheck], inside_share: Option<&[String]>) -> String {
    let mut header = vec!["designated zone", "for", "body", "radius km", "margin km", "nominal distance km", "nominal inside"];
    if inside_share.is_some() {
        header.push("samples inside");
    }
    let mut t = Table::new(&header, 3);
    for (i, c) in checks.iter().enumerate() {
        let zone = &zones.zones[c.zone];
        let mut row = vec![
            zone.name.clone(),
            zone.bodies.to_string(),
            c.body.clone(),
            format!("{:.0}", zone.radius_km),
            format!("{:.0}", zone.margin_km),
            c.distance_km.map_or_else(|| "does not come down".to_owned(), |d| format!("{d:.1}")),
            if c.inside { "yes" } else { "no" }.to_owned(),
        ];
        if let Some(shares) = inside_share {
            row.push(shares[i].clone());
        }
        t.row(row);
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
    let PayloadMission { report, solution, impacts, zone_checks } = mission?;

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report, &solution, &impacts);
        if let Some(z) = &zones {
            println!("ascent shaped to the designated zones of {} ({})", z.name, z.file);
            print!("{}", zone_table(z, &zone_checks, None));
        }
    }
    if let Some(dir) = &args.output.out {
        let mut json = serde_json::to_vec_pretty(&report)?;
        json.push(b'\n');
        let drop_zones = if output_options.plots { ascent_drop_zones(&vehicle, &solution.launch, &solution.flight)? } else { Vec::new() };
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
