//! `cosmodrome dropzones`: fly the ascent (the optimizer's, or `fly`'s targeted one with
//! `--payload-kg`), let every jettisoned body fall (nominal and dispersed),
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
use cosmodrome::dropzone::monte_carlo::BodyImpacts;
use cosmodrome::dropzone::monte_carlo::MAX_SAMPLES;
use cosmodrome::dropzone::DesignatedZones;
use cosmodrome::dropzone::{
    footprint, nominal_impacts, run_monte_carlo, Dispersions, FallOptions, Footprint, GeoPoint, MonteCarloSetup, WindProfile,
};
use cosmodrome::flight::{FlightOptions, FlightResult, Launch};
use cosmodrome::optimize::payload::maximize_payload_with;
use cosmodrome::vehicle::{Site, Vehicle};
use cosmodrome_io::dropzones_geojson::{dropzones_geojson, DropZone};
use cosmodrome_io::dropzones_kml::dropzones_kml;
use cosmodrome_io::impacts_csv::{impacts_columns, impacts_csv};
use cosmodrome_io::parquet::parquet_bytes;
use cosmodrome_io::plots::DropZone as PlotZone;
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{OutputOptions, RunSummary};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{DropzonesArgs, TableFormat};
use crate::commands::{load_vehicle, output_options, write_run_files};
use crate::payload::{resolve_orbit, resolve_zones, targeted_ascent, zone_table};
use crate::table::Table;

/// Set by Ctrl-C or a termination signal; the Monte Carlo stops at the next sample.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// The 3-sigma ellipse of every body that came down, as the ground-track plot outlines it.
pub fn plot_zones(results: &[BodyImpacts], footprints: &[(Option<Footprint>, f64)]) -> Vec<PlotZone> {
    results
        .iter()
        .zip(footprints)
        .filter_map(|(b, (fp, _))| {
            fp.as_ref().map(|f| (b.name.clone(), f.ellipse.iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect()))
        })
        .collect()
}

/// The drop zones of an optimized ascent for its ground-track plot: a small Monte Carlo with the
/// default dispersions (seed 1).
pub fn ascent_drop_zones(vehicle: &Vehicle, launch: &Launch, flight: &FlightResult) -> Result<Vec<PlotZone>> {
    if flight.jettisoned.is_empty() {
        return Ok(Vec::new());
    }
    let setup = MonteCarloSetup {
        vehicle,
        launch: *launch,
        bodies: &flight.jettisoned,
        dispersions: Dispersions::default(),
        wind: None,
        options: FallOptions::default(),
        samples: PLOT_SAMPLES,
        seed: 1,
    };
    let results = run_monte_carlo(&setup, &|_, _| {}, &CANCEL)?;
    let footprints: Vec<_> = results.iter().map(|b| (body_footprint(b), 0.0)).collect();
    Ok(plot_zones(&results, &footprints))
}

/// The designated zones' edges for the ground-track plot.
pub fn designated_plot_zones(zones: Option<&DesignatedZones>) -> Vec<PlotZone> {
    zones.map_or_else(Vec::new, |d| {
        d.zones
            .iter()
            .map(|z| {
                (
                    format!("{} ({})", z.name, z.bodies),
                    z.outline(ELLIPSE_VERTICES).iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect(),
                )
            })
            .collect()
    })
}

fn body_footprint(b: &BodyImpacts) -> Option<Footprint> {
    let points: Vec<GeoPoint> =
        b.impacts.iter().map(|s| GeoPoint { latitude_deg: s.impact.latitude_deg, longitude_deg: s.impact.longitude_deg }).collect();
    footprint(&points, 3.0, ELLIPSE_VERTICES)
}

/// Dispersed falls per body behind the drop zones drawn on a `payload` ground track.
const PLOT_SAMPLES: usize = 300;

/// Vertices of each drawn ellipse (one every 5°).
const ELLIPSE_VERTICES: usize = 72;

fn read_text(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {what} file {}", path.display()))
}

/// The nominal ascent to the orbit of the flags: with `--payload-kg` the targeted ascent of `fly`
/// carrying that payload, otherwise the payload optimizer's (shaped to the designated zones).
/// Returns the payload, the pad, the launch, the target's inclination and the flight.
fn ascent(vehicle: &Vehicle, args: &DropzonesArgs, zones: Option<&DesignatedZones>) -> Result<(f64, Site, Launch, f64, FlightResult)> {
    // Sampled when the trajectory is written.
    let flight_options = FlightOptions { sample_interval_s: args.output.out.as_ref().map(|_| 1.0), ..FlightOptions::default() };
    let (site, target, branch) = resolve_orbit(&args.orbit, vehicle)?;
    if let Some(payload_kg) = args.payload_kg {
        let ascent = targeted_ascent(vehicle, &args.vehicle, (&site, &target, branch), payload_kg, flight_options)?;
        return Ok((payload_kg, site, ascent.launch, target.inclination_deg, ascent.flight));
    }
    let zones = zones.map_or(&[][..], |z| &z.zones[..]);
    let solution = maximize_payload_with(vehicle, &site, &target, branch, flight_options, zones, |_| {})
        .context("the optimized ascent failed; `--payload-kg M` flies the targeted ascent with that payload instead")?;
    Ok((solution.payload_kg, site, solution.launch, target.inclination_deg, solution.flight))
}

fn fmt_point(p: Option<(f64, f64)>) -> String {
    p.map_or_else(|| "–".to_owned(), |(lat, lon)| format!("{lat:.3}° N {lon:.3}° E"))
}

/// Run the command.
pub fn dropzones_command(args: &DropzonesArgs) -> Result<()> {
    if !(1..=MAX_SAMPLES).contains(&args.samples) {
        anyhow::bail!("invalid samples: must be within 1 to {MAX_SAMPLES} dispersed falls per body, got {}", args.samples);
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

    let (payload_kg, site, launch, inclination_deg, flight) = ascent(&vehicle, args, designated.as_ref())?;
    let site_id = site.id.clone();
    println!(
        "{} from {site_id}, payload {payload_kg:.0} kg, azimuth {:.2}°{}; {} jettisoned bodies, {} samples each, seed {}",
        vehicle.name,
        launch.azimuth_deg,
        if args.payload_kg.is_some() { " (targeted ascent)" } else { " (optimized ascent)" },
        flight.jettisoned.len(),
        args.samples,
        args.seed
    );
    if flight.jettisoned.is_empty() {
        anyhow::bail!("{} jettisons nothing before the end of the ascent: no drop zones", vehicle.name);
    }
    let options = FallOptions::default();
    let nominal = nominal_impacts(&vehicle, &launch, &flight.jettisoned, wind.as_ref(), &options)?;

    let setup = MonteCarloSetup {
        vehicle: &vehicle,
        launch,
        bodies: &flight.jettisoned,
        dispersions,
        wind: wind.as_ref(),
        options,
        samples: args.samples,
        seed: args.seed,
    };
    let total = flight.jettisoned.len() * args.samples;
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("falls {bar:40} {pos}/{len} {per_sec} eta {eta}") {
        bar.set_style(style);
    }
    let results = run_monte_carlo(&setup, &|_, _| bar.inc(1), &CANCEL);
    bar.finish_and_clear();
    let results = results.map_err(|e| match e {
        cosmodrome::Error::Interrupted => anyhow::anyhow!("interrupted: no file was written"),
        e => e.into(),
    })?;

    let footprints: Vec<_> = results
        .iter()
        .map(|b| {
            let mean_downrange_km = b.impacts.iter().map(|s| s.downrange_km).sum::<f64>() / b.impacts.len().max(1) as f64;
            (body_footprint(b), mean_downrange_km)
        })
        .collect();

    let mut t =
        Table::new(&["body", "tumbling Cd × m²", "nominal impact", "km", "mean impact", "km", "3σ ellipse km", "major axis °", "down"], 1);
    for ((body, nominal), (fp, mean_km)) in results.iter().zip(&nominal).zip(&footprints) {
        let nominal_point = nominal.impact().map(|i| (i.latitude_deg, i.longitude_deg));
        t.row(vec![
            body.name.clone(),
            format!("{:.2} × {:.1}", body.tumbling.cd, body.tumbling.area_m2),
            fmt_point(nominal_point),
            nominal.downrange_km.map_or_else(|| "–".to_owned(), |d| format!("{d:.0}")),
            fmt_point(fp.as_ref().map(|f| (f.mean.latitude_deg, f.mean.longitude_deg))),
            fp.as_ref().map_or_else(|| "–".to_owned(), |_| format!("{mean_km:.0}")),
            fp.as_ref().map_or_else(|| "–".to_owned(), |f| format!("{:.1} × {:.1}", f.semi_major_km, f.semi_minor_km)),
            fp.as_ref().map_or_else(|| "–".to_owned(), |f| format!("{:.1}", f.orientation_deg)),
            format!("{}/{}", body.impacts.len(), args.samples),
        ]);
    }
    print!("{}", t.render());
    println!("(ellipse: semi-major × semi-minor axes, major axis clockwise from north; distances along great circles from the pad)");
    let mut notes = vec![format!("drop zones: {} dispersed falls per body, seed {}", args.samples, args.seed)];
    if let Some(zones) = &designated {
        let checks = zones.check_nominal(&vehicle, &flight.jettisoned);
        // The share of every body's dispersed falls that land inside its zone (out of all samples:
        // one that does not come down is not inside).
        let shares: Vec<(usize, usize)> = checks
            .iter()
            .map(|c| {
                let zone = &zones.zones[c.zone];
                let inside = results.get(c.body_index).map_or(0, |b| b.impacts.iter().filter(|s| zone.contains(&s.impact)).count());
                (inside, args.samples)
            })
            .collect();
        let shown: Vec<String> = shares.iter().map(|(n, of)| format!("{:.1} % ({n}/{of})", 100.0 * *n as f64 / *of as f64)).collect();
        let shaped = if args.payload_kg.is_some() { "the ascent with --payload-kg is not shaped to them" } else { "ascent shaped to them" };
        println!("designated zones of {} ({}); {shaped}", zones.name, zones.file);
        print!("{}", zone_table(zones, &checks, Some(&shown)));
        for (c, s) in checks.iter().zip(&shown) {
            notes.push(format!("designated zone {}: {} {}", zones.zones[c.zone].name, c.body, s));
        }
    }

    if let Some(dir) = &args.output.out {
        let zones: Vec<DropZone<'_>> = results
            .iter()
            .zip(&footprints)
            .filter_map(|(b, (fp, km))| {
                fp.as_ref().map(|f| DropZone { body: &b.name, footprint: f, not_down: b.not_down, mean_downrange_km: *km })
            })
            .collect();
        // Everything is formatted before the first file is written.
        let csv = impacts_csv(&results)?;
        let parquet = match args.output.format {
            TableFormat::Parquet => Some(parquet_bytes("impacts.parquet", &impacts_columns(&results))?),
            TableFormat::Csv => None,
        };
        let designated_list = designated.as_ref().map_or(&[][..], |d| &d.zones[..]);
        let geojson = dropzones_geojson(&zones, designated_list)?;
        let kml = dropzones_kml(&format!("{} drop zones from {site_id}", vehicle.name), &zones, designated_list)?;
        let mut extra_files = vec![("impacts.csv".to_owned(), csv)];
        if let Some(bytes) = parquet {
            extra_files.push(("impacts.parquet".to_owned(), bytes));
        }
        extra_files.push(("dropzones.geojson".to_owned(), geojson));
        extra_files.push(("dropzones.kml".to_owned(), kml));
        // The nominal ascent's files, its ground track with the 3-sigma ellipses.
        let summary = RunSummary {
            info: RunInfo {
                vehicle: &vehicle,
                vehicle_id: &args.vehicle,
                site_id: &site_id,
                launch,
                inclination_deg: Some(inclination_deg),
                payload_kg,
            },
            site_name: &site.name,
            notes,
        };
        let options = OutputOptions {
            drop_zones: plot_zones(&results, &footprints),
            designated_zones: designated_plot_zones(designated.as_ref()),
            impacts: nominal,
            extra_files,
            record: serde_json::json!({
                "target_orbit": {
                    "perigee_km": args.orbit.perigee_km,
                    "apogee_km": args.orbit.apogee_km.unwrap_or(args.orbit.perigee_km),
                    "inclination_deg": inclination_deg,
                },
                "ascent": if args.payload_kg.is_some() { "targeted" } else { "optimized" },
                "samples": args.samples,
                "seed": args.seed,
                "drop_zones": args.orbit.drop_zones,
            }),
            ..output_options
        };
        write_run_files(dir, &summary, &flight, &options)?;
    }
    Ok(())
}
