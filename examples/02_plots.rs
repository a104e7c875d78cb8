//! Draw the ascent profile and ground track of Angara-A5 from Vostochny, PNG and SVG, with a
//! drop-zone outline passed in as a polygon.
//!
//! `cargo run --example plots [DIR]` writes `DIR/profile.{png,svg}` and `DIR/ground_track.{png,svg}`
//! (default `out/examples/plots`). The outline here is an illustrative ellipse around the point
//! 500 km down the track from the booster separation, not a computed drop zone.

use cosmodrome::flight::{FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use cosmodrome_io::plots::{ground_track_plot, profile_plot, PlotFormat};
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{create_dir, write_atomic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "out/examples/plots".to_owned()));
    let (vehicle, _warnings) = resolve_vehicle("angara-a5")?;
    let sites = SiteCatalog::builtin()?;
    let site = sites.get("vostochny")?;
    let azimuth = launch_azimuth(site.latitude_deg, site.default_inclination_deg(), 200e3, Branch::Northbound)?;
    let launch = Launch::from_site(site, azimuth.azimuth_deg);
    let setup = FlightSetup {
        vehicle: &vehicle,
        payload_kg: 20_000.0,
        launch,
        options: FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() },
    };
    let result = fly_default_ascent(&setup)?;
    let run = RunInfo {
        vehicle: &vehicle,
        vehicle_id: "angara-a5",
        site_id: &site.id,
        launch,
        inclination_deg: None,
        payload_kg: 20_000.0,
        upper_stage_load_kg: None,
        energy_weave_deg: None,
    };

    // An ellipse of 120 × 40 km semi-axes about a point ~500 km east of the booster separation.
    let sep = result.jettisoned.first().ok_or("no separation")?.point;
    let (lat0, lon0) = (sep.latitude_deg, sep.longitude_deg + 500.0 / (111.2 * sep.latitude_deg.to_radians().cos()));
    let ring: Vec<(f64, f64)> = (0..48)
        .map(|k| {
            let a = std::f64::consts::TAU * f64::from(k) / 48.0;
            (lon0 + 120.0 * a.cos() / (111.2 * lat0.to_radians().cos()), lat0 + 40.0 * a.sin() / 111.2)
        })
        .collect();
    let zones = vec![("illustrative zone".to_owned(), ring)];

    create_dir(&dir)?;
    for format in [PlotFormat::Png, PlotFormat::Svg] {
        let ext = format.extension();
        write_atomic(&dir.join(format!("profile.{ext}")), &profile_plot(&run, &result, format)?)?;
        write_atomic(&dir.join(format!("ground_track.{ext}")), &ground_track_plot(&run, &result, &zones, &[], format)?)?;
    }
    println!("wrote profile and ground_track, PNG and SVG, to {}", dir.display());
    Ok(())
}
