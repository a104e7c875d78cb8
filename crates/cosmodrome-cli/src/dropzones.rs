//! `cosmodrome dropzones`: fly the ascent (the optimizer's, or `fly`'s targeted one with
//! `--payload-kg`; with `--orbit` through a parking orbit, the whole mission of `payload --orbit`
//! or of `fly --orbit --payload-kg`), let every jettisoned body fall (nominal and dispersed),
//! print the drop zones and, with `--out`, write impacts.csv (and impacts.parquet with `--format
//! parquet`), dropzones.geojson, dropzones.kml and the nominal ascent's files with the drop zones
//! on its ground track.
//!
//! Every input is read and checked before the first flight; the files are written only after the
//! whole Monte Carlo has finished, as one set swapped in whole, so an error or an interruption
//! (Ctrl-C, a termination signal) leaves the directory as it was.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use cosmodrome::dropzone::footprint::MIN_FOOTPRINT_IMPACTS;
use cosmodrome::dropzone::monte_carlo::MAX_SAMPLES;
use cosmodrome::dropzone::{Dispersions, WindProfile};
use cosmodrome::flight::FlightOptions;
use cosmodrome::mission::dropzones::{fall_limit_text, falls_in_orbit_text, DispersedZoneReport};
use cosmodrome::mission::transfer::PERIGEE_FREE_NOTE;
use cosmodrome::mission::{self, DropzonesMission, DropzonesReport, DropzonesRequest, ErrorKind};
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome_io::dropzones_geojson::{dropzones_geojson, BodyInOrbit, DropZone};
use cosmodrome_io::dropzones_kml::dropzones_kml;
use cosmodrome_io::impacts_csv::{impacts_columns, impacts_csv};
use cosmodrome_io::parquet::parquet_bytes;
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{OutputOptions, RunSummary};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{DropzonesArgs, TableFormat};
use crate::output::{output_options, write_run_files};
use crate::present::{designated_plot_zones, plot_zones};
use crate::resolve::{load_vehicle, named_target, resolve_orbit, resolve_zones, targeted_ascent_error, Progress};
use crate::table::Table;

/// Set by Ctrl-C or a termination signal; the Monte Carlo stops at the next sample.
static CANCEL: AtomicBool = AtomicBool::new(false);

fn read_text(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {what} file {}", path.display()))
}

fn fmt_point(p: Option<(f64, f64)>) -> String {
    p.map_or_else(|| "–".to_owned(), |(lat, lon)| crate::present::lat_lon(lat, lon))
}

/// Run the command: the core's drop-zone mission, presented as tables or its report as JSON.
pub fn dropzones_command(args: &DropzonesArgs) -> Result<()> {
    if !(1..=MAX_SAMPLES).contains(&args.samples) {
        return Err(crate::failure::invalid_input(format!(
            "invalid samples: must be within 1 to {MAX_SAMPLES} dispersed falls per body, got {}",
            args.samples
        )));
    }
    if args.samples < MIN_FOOTPRINT_IMPACTS {
        eprintln!(
            "warning: --samples {}: a dispersion ellipse needs at least {MIN_FOOTPRINT_IMPACTS} impacts per body; only the nominal impacts are reported",
            args.samples
        );
    }
    let dispersions = match &args.dispersions {
        Some(path) => Dispersions::from_toml(&read_text(path, "dispersions")?, &path.display().to_string())?,
        None => Dispersions::default(),
    };
    let wind = match &args.wind {
        Some(path) => Some(WindProfile::from_toml(&read_text(path, "wind")?, &path.display().to_string())?),
        None => None,
    };
    let output_options = output_options(&args.output)?;
    let vehicle = load_vehicle(&args.vehicle)?;
    let designated = resolve_zones(&args.orbit, &vehicle)?;
    // A second signal ends the process at once (nothing is half-written: the set is swapped in
    // whole, and a staging directory left behind is removed by the next run).
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });

    // The mission: a named orbit through a parking orbit, or an orbit flown directly (a named
    // orbit flown directly is the same as its elements given).
    let (site, target, branch, note) = match &args.named.orbit_name {
        None => {
            let (site, orbit, branch) = resolve_orbit(args.orbit.elements(), args.named.argument_of_perigee_deg, &vehicle)?;
            (site, MissionTarget::Direct(orbit), branch, None)
        }
        Some(name) => named_target(args.orbit.elements(), &args.named, name, &vehicle)?,
    };
    // An orbit the ascent cannot be aimed at (an inclination farther under the site's latitude
    // than a dogleg turns) is said before any flight, as `payload` says it, not as a failed
    // optimization `--payload-kg` could get round.
    if let MissionTarget::Direct(orbit) = &target {
        orbit.check()?;
        cosmodrome::optimize::targeting::direct_launch_azimuth(&vehicle, &site, orbit, branch)?;
    }
    let request = DropzonesRequest {
        vehicle: &vehicle,
        site: &site,
        target,
        note: note.as_deref(),
        branch,
        payload_kg: args.payload_kg,
        zones: designated.as_ref(),
        dispersions: &dispersions,
        wind: wind.as_ref(),
        samples: args.samples,
        seed: args.seed,
        // Sampled when the trajectory is written, as `fly --orbit` samples the same mission.
        options: FlightOptions {
            sample_interval_s: args.output.out.as_ref().map(|_| mission::fly::default_sample_interval_s(&target)),
            ..FlightOptions::default()
        },
    };
    let mut progress = Progress::new(match target {
        MissionTarget::Direct(_) => "flying the ascent",
        MissionTarget::Transfer { .. } => "flying the ascent and the transfer",
    });
    let ascent = mission::dropzones_nominal_ascent(&request, &mut |n| progress.tick(n));
    progress.finish();
    let ascent = match (ascent, target, args.payload_kg) {
        (Ok(a), ..) => a,
        // Bad input (an orbit under the ground, an inclination the site cannot fly) is said as
        // `fly` and `payload` say it: no other way of flying it would help.
        (Err(e @ cosmodrome::Error::InvalidInput { .. }), ..) => return Err(e.into()),
        (Err(e), MissionTarget::Direct(orbit), Some(payload_kg)) => {
            return Err(targeted_ascent_error(e, &vehicle, &args.vehicle, (&site, &orbit, branch), payload_kg))
        }
        (Err(e), MissionTarget::Direct(_), None) => {
            let suggestion = optimized_failure_suggestion(&vehicle, &e);
            return Err(anyhow::Error::new(e).context(format!("the optimized ascent failed{suggestion}")));
        }
        // The mission's own errors say what is out of reach (the largest payload, the Δv).
        (Err(e), MissionTarget::Transfer { target: t, .. }, _) => {
            return Err(anyhow::Error::new(e).context(format!("the mission to {} through a parking orbit failed", t.describe())))
        }
    };
    let site_id = site.id.clone();
    if !args.json {
        println!(
            "{} from {site_id}, payload {:.0} kg, azimuth {:.2}°{}; {} jettisoned bodies, {} samples each, seed {}",
            vehicle.name,
            ascent.payload_kg,
            ascent.launch.azimuth_deg,
            match (&ascent.transfer, args.payload_kg.is_some()) {
                (None, true) => " (targeted ascent)".to_owned(),
                (None, false) => " (optimized ascent)".to_owned(),
                // The parking orbit flown (the optimizer may have chosen another than the request's).
                (Some(leg), given) => format!(
                    " ({} mission to {} through a {:.0} × {:.0} km parking orbit at {:.2}°)",
                    if given { "targeted" } else { "optimized" },
                    leg.target.describe(),
                    leg.parking.perigee_m / 1e3,
                    leg.parking.apogee_m / 1e3,
                    leg.parking.inclination_deg
                ),
            },
            ascent.flight.jettisoned.len(),
            args.samples,
            args.seed
        );
        if let Some(load_kg) = ascent.upper_stage_load_kg {
            println!("{}", crate::present::offload_line(load_kg));
        }
    }
    let total = ascent.flight.jettisoned.len() * args.samples;
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("falls {bar:40} {pos}/{len} {per_sec} eta {eta}") {
        bar.set_style(style);
    }
    let mission = mission::dropzones(&request, &ascent, &|_, _| bar.inc(1), &CANCEL);
    bar.finish_and_clear();
    let DropzonesMission { report, nominal, results, footprints } = mission.map_err(|e| match e {
        cosmodrome::Error::Interrupted => crate::failure::failure(ErrorKind::Interrupted, "interrupted: no file was written"),
        e => e.into(),
    })?;

    let mut notes = vec![format!("drop zones: {} dispersed falls per body, seed {}", args.samples, args.seed)];
    if let Some(t) = &report.transfer {
        notes.push(format!(
            "the whole mission to {} through a {:.0} × {:.0} km parking orbit: bodies left in orbit do not come down{}",
            t.target,
            t.parking.perigee_km,
            t.parking.apogee_km,
            if t.escape.is_some() { "; the upper stage and the payload leave on the escape hyperbola" } else { "" }
        ));
    }
    notes.extend(
        report.bodies.iter().filter_map(|b| {
            b.orbit.map(|o| format!("{}: {}; {}", b.name, o.describe(), falls_in_orbit_text(b.samples_down, report.samples)))
        }),
    );
    if let Some(d) = &report.designated_zones {
        notes.extend(d.zones.iter().map(|z| format!("designated zone {}: {} {}", z.zone, z.body, share_text(z))));
    }
    notes.extend(report.notes.iter().cloned());
    if !args.json {
        print_report(&report);
    }

    if let Some(dir) = &args.output.out {
        let zones: Vec<DropZone<'_>> = results
            .iter()
            .zip(&footprints)
            .filter_map(|(b, fp)| {
                fp.as_ref().map(|f| DropZone {
                    body: &b.name,
                    footprint: f,
                    not_down: b.not_down,
                    mean_downrange_km: b.mean_downrange_km(),
                })
            })
            .collect();
        // Everything is formatted before the first file is written.
        let csv = impacts_csv(&results)?;
        let parquet = match args.output.format {
            TableFormat::Parquet => Some(parquet_bytes("impacts.parquet", &impacts_columns(&results))?),
            TableFormat::Csv => None,
        };
        let designated_list = designated.as_ref().map_or(&[][..], |d| &d.zones[..]);
        let in_orbit = BodyInOrbit::of_report(&report);
        let geojson = dropzones_geojson(&zones, &in_orbit, designated_list)?;
        let kml = dropzones_kml(&format!("{} drop zones from {site_id}", vehicle.name), &zones, &in_orbit, designated_list)?;
        let mut extra_files = vec![("impacts.csv".to_owned(), csv)];
        if let Some(bytes) = parquet {
            extra_files.push(("impacts.parquet".to_owned(), bytes));
        }
        extra_files.push(("dropzones.geojson".to_owned(), geojson));
        extra_files.push(("dropzones.kml".to_owned(), kml));
        // The nominal ascent's files, its ground track with the 3-sigma ellipses.
        let flown = ascent.flown_vehicle(&vehicle);
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &flown,
                vehicle_id: &args.vehicle,
                site_id: &site_id,
                launch: ascent.launch,
                inclination_deg: Some(ascent.ascent_inclination_deg(&target)),
                payload_kg: cosmodrome::mission::common::payload_down_kg(ascent.payload_kg),
                upper_stage_load_kg: ascent.upper_stage_load_kg,
                energy_weave_deg: None,
            },
            site_name: &site.name,
            notes,
        };
        let options = OutputOptions {
            drop_zones: plot_zones(results.iter().zip(&footprints).filter_map(|(b, fp)| fp.as_ref().map(|f| (b.name.as_str(), f)))),
            designated_zones: designated_plot_zones(designated.as_ref()),
            impacts: nominal,
            extra_files,
            record: {
                let mut record = serde_json::json!({
                    "target_orbit": report.target,
                    "ascent": report.ascent,
                    "samples": args.samples,
                    "seed": args.seed,
                    "drop_zones": args.orbit.drop_zones,
                });
                if let Some(t) = &report.transfer {
                    record["transfer"] = serde_json::json!({ "target": t.target, "parking": t.parking });
                }
                if !report.notes.is_empty() {
                    record["notes"] = serde_json::json!(report.notes);
                }
                record
            },
            ..output_options
        };
        write_run_files(dir, &summary, &ascent.flight, &options)?;
    }
    // After the files: a run that fails writing them prints its error report instead.
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

/// A zone's share of dispersed falls inside, as the table and the report show it.
fn share_text(z: &DispersedZoneReport) -> String {
    format!("{:.1} % ({}/{})", z.share_inside_percent, z.samples_inside, z.samples)
}

/// The report as tables: every body's nominal and mean impact with its ellipse, the bodies left
/// in orbit (their orbit and lifetime: no drop zone), then the designated zones.
fn print_report(r: &DropzonesReport) {
    let mut t =
        Table::new(&["body", "tumbling Cd × m²", "nominal impact", "km", "mean impact", "km", "3σ ellipse km", "major axis °", "down"], 1);
    for b in &r.bodies {
        let fp = b.footprint.as_ref();
        t.row(vec![
            b.name.clone(),
            format!("{:.2} × {:.1}", b.tumbling_cd, b.tumbling_area_m2),
            match (b.nominal_impact, b.orbit) {
                (Some(i), _) => fmt_point(Some((i.latitude_deg, i.longitude_deg))),
                (None, Some(_)) => "in orbit".to_owned(),
                (None, None) => fmt_point(None),
            },
            b.nominal_impact.and_then(|i| i.downrange_km).map_or_else(|| "–".to_owned(), |d| format!("{d:.0}")),
            fmt_point(fp.map(|f| (f.mean_latitude_deg, f.mean_longitude_deg))),
            fp.map_or_else(|| "–".to_owned(), |f| format!("{:.0}", f.mean_downrange_km)),
            match (fp, b.orbit) {
                (Some(f), _) => format!("{:.1} × {:.1}{}", f.semi_major_km, f.semi_minor_km, if f.incomplete { " *" } else { "" }),
                (None, Some(_)) => "none".to_owned(),
                (None, None) => "–".to_owned(),
            },
            fp.map_or_else(|| "–".to_owned(), |f| format!("{:.1}", f.orientation_deg)),
            format!("{}/{}", b.samples_down, r.samples),
        ]);
    }
    print!("{}", t.render());
    println!("(ellipse: semi-major × semi-minor axes, major axis clockwise from north; distances along great circles from the pad)");
    for b in r.bodies.iter().filter(|b| b.footprint.is_some_and(|f| f.incomplete)) {
        println!(
            "* {}: {} of {} dispersed falls did not come down within {}; the ellipse is drawn from the {} that did and does not bound the rest",
            b.name,
            b.samples_not_down,
            r.samples,
            fall_limit_text(),
            b.samples_down
        );
    }
    // Enough falls came down, yet no ellipse: they do not spread.
    for b in r.bodies.iter().filter(|b| b.nominal_impact.is_some() && b.footprint.is_none() && b.samples_down >= MIN_FOOTPRINT_IMPACTS) {
        println!("* {}: the dispersed falls do not spread (every dispersion is zero): no ellipse is drawn", b.name);
    }
    let in_orbit: Vec<_> = r.bodies.iter().filter_map(|b| b.orbit.map(|o| (b, o))).collect();
    if !in_orbit.is_empty() {
        println!("left in orbit, no drop zone (each re-enters later, uncontrolled, anywhere under its track):");
        let width = in_orbit.iter().map(|(b, _)| b.name.chars().count()).max().unwrap_or(0);
        for (b, o) in &in_orbit {
            println!(
                "{:<width$}  {}, ballistic coefficient {:.0} kg/m²; {}",
                b.name,
                o.describe(),
                o.ballistic_coefficient_kg_m2,
                falls_in_orbit_text(b.samples_down, r.samples)
            );
        }
    }
    if let Some(t) = &r.transfer {
        // An escape states its C3 as `payload --orbit escape` does; the upper stage and the
        // payload leave on the hyperbola.
        let (achieved, stays_up) = match (&t.escape, &t.orbit) {
            (Some(e), _) => (
                format!(
                    "the mission escapes: achieved C3 {:.3} km²/s², perigee {:.1} km, inclination {:.3}°, asymptote declination {:.2}°",
                    e.c3_km2_s2, e.perigee_km, e.inclination_deg, e.asymptote_declination_deg
                ),
                "the upper stage and the payload leave on the hyperbola and never come down; a body that stays up (in orbit or escaping) has no impact",
            ),
            (None, Some(o)) => (
                format!(
                    "achieved {:.0} × {:.0} km at {:.2}°{}",
                    o.perigee_km,
                    o.apogee_km,
                    o.inclination_deg,
                    if t.perigee_free { format!(" (perigee {PERIGEE_FREE_NOTE})") } else { String::new() }
                ),
                "a body that stays up (in orbit) has no impact",
            ),
            (None, None) => ("no orbit reported at the last cutoff".to_owned(), "a body that stays up (in orbit) has no impact"),
        };
        println!(
            "mission to {} through a {:.0} × {:.0} km parking orbit at {:.2}°: {} burns of the upper stage, {:.0} kg aboard for the transfer, {achieved}, last cutoff at {:.2} h; {stays_up}",
            t.target,
            t.parking.perigee_km,
            t.parking.apogee_km,
            t.parking.inclination_deg,
            t.upper_stage_burns,
            t.held_back_kg,
            t.mission_time_s / 3600.0
        );
    }
    if let Some(d) = &r.designated_zones {
        let shaped = match (d.ascent_shaped, &r.transfer) {
            (true, _) => "ascent shaped to them",
            (false, Some(_)) => "the mission through a parking orbit is not shaped to them (its falls are checked only)",
            (false, None) => "the ascent with --payload-kg is not shaped to them",
        };
        println!("designated zones of {} ({}); {shaped}", d.name, d.file);
        let mut t = Table::new(
            &["designated zone", "for", "body", "radius km", "margin km", "nominal distance km", "nominal inside", "samples inside"],
            3,
        );
        for z in &d.zones {
            t.row(vec![
                z.zone.clone(),
                z.stage.clone(),
                z.body.clone(),
                format!("{:.0}", z.radius_km),
                format!("{:.0}", z.margin_km),
                z.nominal_distance_km.map_or_else(|| "does not come down".to_owned(), |d| format!("{d:.1}")),
                if z.nominal_inside { "yes" } else { "no" }.to_owned(),
                share_text(z),
            ]);
        }
        print!("{}", t.render());
    }
}

/// What to try when the optimized ascent of `vehicle` failed with `e`: `--payload-kg M`, which
/// flies the targeted ascent with a payload, unless that fails the same way: no payload reaches
/// the orbit (the refusal proves the vehicle cannot reach it: "… cannot reach …"), or the file's
/// limits throttle every ascent alike (a `max_q_kpa` or `max_accel_g` that holds the vehicle
/// down holds it down whatever it carries), when the limit is named instead.
fn optimized_failure_suggestion(vehicle: &cosmodrome::vehicle::Vehicle, e: &cosmodrome::Error) -> String {
    if cosmodrome::optimize::reach::is_proven_refusal(&vehicle.name, e) {
        return "; no payload reaches the orbit, so `--payload-kg M` would fail too: the file has to change".to_owned();
    }
    let limits = &vehicle.limits;
    let mut named = Vec::new();
    if let Some(q_pa) = limits.max_q_pa {
        named.push(format!("`max_q_kpa` = {}", q_pa / 1e3));
    }
    if let Some(g) = limits.max_accel_g {
        named.push(format!("`max_accel_g` = {g}"));
    }
    if named.is_empty() {
        return "; `--payload-kg M` flies the targeted ascent with that payload instead".to_owned();
    }
    if cosmodrome::optimize::reach::names_limits_holding_back(e) {
        return "; `--payload-kg M` would be held back the same way: only raising or removing the limit named here helps".to_owned();
    }
    format!(
        "; `--payload-kg M` flies the targeted ascent with that payload instead, but under the same `[limits]` ({}), which throttle every ascent alike: if they are what holds the vehicle back, only raising or removing them helps",
        named.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::optimized_failure_suggestion;
    use cosmodrome::vehicle::resolve_vehicle;
    use cosmodrome::Error;

    /// `--payload-kg M` is suggested only where it could fly: not when no payload reaches the
    /// orbit, and with the file's limits named when they throttle every ascent alike (Falcon 9
    /// with `max_q_kpa = 2` is refused by `--payload-kg` the same way).
    #[test]
    fn the_suggestion_after_a_failed_optimized_ascent_fits_the_cause() {
        let (mut falcon, _) = resolve_vehicle("falcon-9-block-5").expect("catalog");
        let searched = Error::Unreachable(format!("{}: the ascent could not be flown from the built-in initial guess", falcon.name));
        falcon.limits.max_q_pa = None;
        falcon.limits.max_accel_g = None;
        assert_eq!(
            optimized_failure_suggestion(&falcon, &searched),
            "; `--payload-kg M` flies the targeted ascent with that payload instead"
        );
        falcon.limits.max_q_pa = Some(2_000.0);
        let limited = optimized_failure_suggestion(&falcon, &searched);
        assert!(
            limited.contains("under the same `[limits]` (`max_q_kpa` = 2)") && limited.contains("raising or removing them"),
            "{limited}"
        );
        // When the refusal shows the limits hold the vehicle back, it says so without an "if".
        let shown = Error::Unreachable(format!(
            "{}: the file's `[limits]` `max_q_kpa` = 2 holds the vehicle back: without it the direct ascent carries 21000 kg there; the ascent could not be flown",
            falcon.name
        ));
        let held = optimized_failure_suggestion(&falcon, &shown);
        assert!(held.contains("would be held back the same way") && !held.contains("if they are"), "{held}");
        let proven = Error::Unreachable(format!("{} cannot reach 200 × 200 km: short", falcon.name));
        let none = optimized_failure_suggestion(&falcon, &proven);
        assert!(none.contains("no payload reaches the orbit") && none.contains("would fail too"), "{none}");
    }
}
