//! Helpers shared by the integration tests.

use cosmodrome::flight::{FlightOptions, FlightResult, FlightSetup, Launch};
use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::optimize::transfer::{maximize_mission_payload, MissionPayload, MissionTarget, TransferTarget};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog, Vehicle};

/// A catalog vehicle (panics in tests only).
pub fn vehicle(id: &str) -> Vehicle {
    resolve_vehicle(id).unwrap_or_else(|e| panic!("catalog vehicle {id}: {e}")).0
}

/// A test vehicle of `tests/reference/` by its file name (panics in tests only).
pub fn reference_vehicle(file: &str) -> Vehicle {
    let path = format!("{}/tests/reference/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Vehicle::from_toml(&text, &format!("tests/reference/{file}")).unwrap_or_else(|e| panic!("test vehicle {file}: {e}")).0
}

/// The launch from a site toward an inclination (northbound).
pub fn launch(site: &str, inclination_deg: Option<f64>) -> Launch {
    let sites = SiteCatalog::builtin().expect("built-in sites");
    let s = sites.get(site).expect("site");
    let inc = inclination_deg.unwrap_or_else(|| s.default_inclination_deg());
    let az = launch_azimuth(s.latitude_deg, inc, 200e3, Branch::Northbound).expect("azimuth");
    Launch::from_site(s, az.azimuth_deg)
}

/// Fly a catalog vehicle with the default open-loop ascent program (`fly --open-loop`: the pitch
/// kick tuned for the default flight-path angle at staging).
pub fn fly_default(id: &str, payload_kg: f64, site: &str, sample_interval_s: Option<f64>) -> (Vehicle, FlightResult) {
    let v = vehicle(id);
    let launch = launch(site, None);
    let options = FlightOptions { sample_interval_s, ..FlightOptions::default() };
    let setup = FlightSetup { vehicle: &v, payload_kg, launch, options };
    let result = fly_default_ascent(&setup).unwrap_or_else(|e| panic!("{id}: {e}"));
    (v, result)
}

/// The catalog's Saturn V from Kennedy to escape (C3 0) through its parking orbit, the mission
/// optimized with `options`: the vehicle, the parking orbit and the answer.
pub fn saturn_v_escape(options: FlightOptions) -> (Vehicle, TargetOrbit, MissionPayload) {
    let v = vehicle("saturn-v");
    let sites = SiteCatalog::builtin().expect("built-in sites");
    let site = sites.get("kennedy").expect("site");
    let mission = MissionTarget::for_vehicle(&v, site, TransferTarget::Escape { c3_m2_s2: 0.0, declination_deg: None });
    let MissionTarget::Transfer { parking, .. } = mission else { panic!("flown directly: {mission:?}") };
    let found = maximize_mission_payload(&v, site, &mission, Branch::Northbound, options, &mut |_| {}).expect("escape");
    (v, parking, found)
}
