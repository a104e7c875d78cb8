//! Write the ascent of Soyuz-2.1b from Vostochny as a CCSDS OEM (Earth-fixed states, UTC).
//!
//! `cargo run --example oem [DIR]` writes `DIR/trajectory.oem` (default `out/examples/oem`).

use cosmodrome::flight::{FlightOptions, FlightSetup, Launch};
use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use cosmodrome_io::oem::{oem_kvn, simulated_object_id, OemOptions};
use cosmodrome_io::{create_dir, utc, write_atomic};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "out/examples/oem".to_owned()));
    let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1b")?;
    let sites = SiteCatalog::builtin()?;
    let site = sites.get("vostochny")?;
    let azimuth = launch_azimuth(site.latitude_deg, site.default_inclination_deg(), 200e3, Branch::Northbound)?;
    let launch = Launch::from_site(site, azimuth.azimuth_deg);
    let setup = FlightSetup {
        vehicle: &vehicle,
        payload_kg: 7000.0,
        launch,
        options: FlightOptions { sample_interval_s: Some(10.0), ..FlightOptions::default() },
    };
    let result = fly_default_ascent(&setup)?;

    let options = OemOptions {
        launch_epoch: utc::parse("2026-07-01T12:00:00Z")?,
        creation_date: utc::now(),
        object_name: vehicle.name.clone(),
        object_id: simulated_object_id("soyuz-2.1b"),
        originator: "COSMODROME".to_owned(),
    };
    let text = oem_kvn(&result, &options)?;
    create_dir(&dir)?;
    write_atomic(&dir.join("trajectory.oem"), &text)?;
    let text = String::from_utf8_lossy(&text);
    for line in text.lines().take(24) {
        println!("{line}");
    }
    println!("… {} states in {}", text.lines().filter(|l| l.starts_with("20")).count(), dir.join("trajectory.oem").display());
    Ok(())
}
