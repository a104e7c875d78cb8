//! Write tables as Parquet: the trajectory of Soyuz-2.1v, and a table of its events built from
//! named float, integer and string columns — the generic writer the large tables use.
//!
//! `cargo run --example parquet [DIR]` writes `DIR/trajectory.parquet` and `DIR/events.parquet`
//! (default `out/examples/parquet`); read them with `pandas.read_parquet` or `polars.read_parquet`.

use cosmodrome::flight::{FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use cosmodrome_io::parquet::{parquet_bytes, trajectory_columns, Column};
use cosmodrome_io::{create_dir, write_atomic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "out/examples/parquet".to_owned()));
    let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1v")?;
    let sites = SiteCatalog::builtin()?;
    let site = sites.get("plesetsk")?;
    let azimuth = launch_azimuth(site.latitude_deg, site.default_inclination_deg(), 200e3, Branch::Northbound)?;
    let launch = Launch::from_site(site, azimuth.azimuth_deg);
    let setup = FlightSetup {
        vehicle: &vehicle,
        payload_kg: 2000.0,
        launch,
        options: FlightOptions { sample_interval_s: Some(0.5), ..FlightOptions::default() },
    };
    let result = fly_default_ascent(&setup)?;

    create_dir(&dir)?;
    write_atomic(&dir.join("trajectory.parquet"), &parquet_bytes("trajectory.parquet", &trajectory_columns(&result))?)?;
    let events = [
        Column::i64("index", (0..result.events.len() as i64).collect()),
        Column::str("event", result.events.iter().map(|e| e.kind.name().to_owned()).collect()),
        Column::str("description", result.events.iter().map(|e| e.description.clone()).collect()),
        Column::f64("time_s", result.events.iter().map(|e| e.point.time_s).collect()),
        Column::f64("altitude_m", result.events.iter().map(|e| e.point.altitude_m).collect()),
        Column::f64("speed_m_s", result.events.iter().map(|e| e.point.speed_m_s).collect()),
    ];
    write_atomic(&dir.join("events.parquet"), &parquet_bytes("events.parquet", &events)?)?;
    println!("wrote {} trajectory rows and {} events to {}", result.samples.len(), result.events.len(), dir.display());
    Ok(())
}
