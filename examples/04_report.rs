//! Everything a run leaves behind, through the one entry point the commands use:
//! `trajectory.csv`, `events.json`, `trajectory.oem`, `trajectory.parquet`, the plots and the
//! self-contained `report.html` of Angara-1.2 from Plesetsk.
//!
//! `cargo run --example report [DIR]` (default `out/examples/report`); open `DIR/report.html`.

use cosmodrome::flight::{fly, FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG;
use cosmodrome::guidance::{launch_azimuth, tune_pitch_kick, AscentParameters, AscentProgram, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use cosmodrome_io::report::RunInfo;
use cosmodrome_io::{write_run, OutputOptions, RunSummary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "out/examples/report".to_owned()));
    let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1a")?;
    let sites = SiteCatalog::builtin()?;
    let site = sites.get("plesetsk")?;
    let inclination_deg = site.default_inclination_deg();
    let azimuth = launch_azimuth(site.latitude_deg, inclination_deg, 200e3, Branch::Northbound)?;
    let launch = Launch::from_site(site, azimuth.azimuth_deg);
    let setup = FlightSetup {
        vehicle: &vehicle,
        payload_kg: 6000.0,
        launch,
        options: FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() },
    };
    let parameters = tune_pitch_kick(&setup, AscentParameters::default(), DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG)?;
    let result = fly(&setup, &mut AscentProgram::new(parameters, &vehicle, &launch))?;

    let summary = RunSummary {
        info: RunInfo {
            vehicle: &vehicle,
            vehicle_id: "soyuz-2.1a",
            site_id: &site.id,
            launch,
            inclination_deg: Some(inclination_deg),
            payload_kg: 6000.0,
            upper_stage_load_kg: None,
            energy_weave_deg: None,
        },
        site_name: &site.name,
        notes: vec![format!("default ascent program, pitch kick {:.3}°", parameters.pitch_kick_deg)],
    };
    let options = OutputOptions { launch_epoch: "2026-09-15T06:30:00Z".parse()?, parquet: true, ..OutputOptions::default() };
    for path in write_run(&dir, &summary, &result, &options)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}
