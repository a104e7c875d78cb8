//! Helpers shared by the integration tests.

use cosmodrome::flight::{FlightOptions, FlightResult, FlightSetup, Launch};
use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog, Vehicle};

/// A catalog vehicle (panics in tests only).
pub fn vehicle(id: &str) -> Vehicle {
    resolve_vehicle(id).unwrap_or_else(|e| panic!("catalog vehicle {id}: {e}")).0
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
