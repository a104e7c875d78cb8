//! Missions: what a user asks of cosmodrome, answered as one typed report each. The command-line
//! tool, and later the web page and the Python package, only parse the inputs, call a mission
//! and present its report (as a table, or serialized as JSON); nothing is computed in a front end.
//!
//! Every report serializes with serde and has a JSON Schema generated from its type
//! ([`schemas`]), shipped in `docs/schema/` with a changelog. Each report opens with a `format`
//! member naming its layout and version (`cosmodrome-payload/1`), raised when a member changes
//! meaning or is removed.
//!
//! # Units
//! Every numeric member names its unit as a suffix (`_s`, `_m`, `_km`, `_kg`, `_m_s`, `_deg`,
//! `_pa`, `_kpa`, `_n`, `_g`), by one rule:
//! - a **flight state** (an event, a separation, the final state: the quantities of a row of
//!   `trajectory.csv`) is in SI units as the trajectory table: `time_s`, `altitude_m` (geodetic),
//!   `speed_m_s`, `mass_kg`, `thrust_n`, `dynamic_pressure_pa`, with angles in degrees and the
//!   axial acceleration in g;
//! - **summary figures** are in the units launch-vehicle user's manuals and the vehicle file quote
//!   them: orbit altitudes (perigee, apogee, above the equatorial radius) and distances over the
//!   ground (downrange, zone radii, ellipse axes) in km, the peak dynamic pressure in kPa
//!   (`max_q_kpa`, the vehicle file's limit), C3 in km²/s² and v∞ in km/s (as mission designers
//!   quote them), masses in kg, speeds in m/s;
//! - dimensionless figures carry no unit (`mach`, `eccentricity`, counts); a share is a fraction
//!   of one unless its name ends in `_percent`.
//!
//! Figures are rounded to what is meaningful (a state to 1 ms, 0.1 m, 0.01 m/s; orbits to 1 m),
//! and a report never holds NaN or infinity: a mission that would produce one fails instead.

pub mod common;
pub mod dropzones;
pub mod error_report;
pub mod flight;
pub mod fly;
pub mod info;
pub mod liftoff_limit;
pub mod orbits;
pub mod payload;
pub mod propellant;
pub mod sites;
pub mod sweep;
pub mod timeline;
pub mod trade;
pub mod transfer;
pub mod validate;

pub use common::{dogleg_note, LossBudgetReport, MarginsReport, OrbitReport, LARGE_DOGLEG_DEG};
pub use dropzones::{
    dropzones, dropzones_nominal_ascent, BodyOrbitReport, DropzonesMission, DropzonesReport, DropzonesRequest, EscapeReport, NominalAscent,
    TransferLeg,
};
pub use error_report::{ErrorKind, ErrorLocation, ErrorReport};
pub use flight::{FlightReport, RunInfo};
pub use fly::{
    fly, fly_orbit, fly_transfer, named_target, EllipticProfile, FlyMission, FlyOrbitMission, FlyOrbitRequest, FlyRequest, NamedTarget,
};
pub use info::{info, InfoReport};
pub use liftoff_limit::LiftoffLimitReport;
pub use payload::{payload, PayloadMission, PayloadReport, PayloadRequest};
pub use propellant::{
    propellant, propellant_sweep, FailedPropellantPoint, PropellantPoint, PropellantReport, PropellantRequest, PropellantSweepReport,
};
pub use sites::{sites, SiteEntry};
pub use trade::{trade_factors, transfer_trade_factors, TradeFactor, TradeFactorReport, TradeItem, TradeSlope};
pub use transfer::{
    mission_target, transfer_payload, transfer_payload_warm, OrbitOverrides, TransferMission, TransferReport, TransferRequest,
};
pub use validate::{validate, ValidateReport};

/// The orbit a mission flies to from a pad: apogee at the perigee unless given (a circular
/// orbit), and the pad's lowest inclination (its latitude, or its corridors' lowest) unless given.
pub fn target_orbit(
    site: &crate::vehicle::Site,
    perigee_m: f64,
    apogee_m: Option<f64>,
    inclination_deg: Option<f64>,
) -> crate::optimize::payload::TargetOrbit {
    crate::optimize::payload::TargetOrbit {
        perigee_m,
        apogee_m: apogee_m.unwrap_or(perigee_m),
        inclination_deg: inclination_deg.unwrap_or_else(|| site.default_inclination_deg()),
        argument_of_perigee_deg: None,
    }
}

/// Every report's JSON Schema with its name: `docs/schema/NAME.schema.json` holds each.
pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("payload", schemars::schema_for!(PayloadReport)),
        ("dropzones", schemars::schema_for!(DropzonesReport)),
        ("flight", schemars::schema_for!(FlightReport)),
        ("info", schemars::schema_for!(InfoReport)),
        ("validate", schemars::schema_for!(ValidateReport)),
        ("propellant", schemars::schema_for!(PropellantReport)),
        ("propellant-sweep", schemars::schema_for!(PropellantSweepReport)),
        ("sweep", schemars::schema_for!(sweep::SweepReport)),
        ("transfer", schemars::schema_for!(TransferReport)),
        ("error", schemars::schema_for!(ErrorReport)),
    ]
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde::de::DeserializeOwned;
    use serde::Serialize;

    use super::fly::{Heading, Steering};
    use super::*;
    use crate::flight::FlightOptions;
    use crate::guidance::{AscentParameters, Branch};
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// A report read back from its JSON is the same report (what a Rust consumer of the JSON
    /// does): the serde attributes of the types (`final`, the tagged ending, the flattened event
    /// states, absent optional members) read what they write.
    fn round_trips<T: Serialize + DeserializeOwned>(report: &T) {
        let text = serde_json::to_string(report).expect("serializes");
        let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("reads back: {e}\n{text}"));
        assert_eq!(serde_json::to_value(&back).unwrap(), serde_json::from_str::<serde_json::Value>(&text).unwrap());
    }

    #[test]
    fn info_and_flight_reports_read_back_from_their_json() {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let report = info(&vehicle, 1000.0).expect("info");
        assert_eq!((report.format.as_str(), report.stages.len()), (info::INFO_FORMAT, vehicle.stages.len()));
        round_trips(&report);
        let sites = SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", vehicle.family.as_deref()).expect("pad").site;
        let request = FlyRequest {
            vehicle: &vehicle,
            vehicle_id: "soyuz-2.1b",
            site,
            payload_kg: 7000.0,
            steering: Steering::OpenLoop {
                heading: Heading::Inclination { inclination_deg: None, branch: Branch::Northbound },
                perigee_m: 200e3,
                parameters: AscentParameters::default(),
                kick_for_staging_fpa_deg: Some(12.0),
            },
            options: FlightOptions::default(),
        };
        let m = fly(&request, &mut |_| {}).expect("flies");
        assert_eq!(m.report.jettisoned.len(), m.flight.jettisoned.len());
        assert_eq!(m.report.events.len(), m.flight.events.len());
        assert_eq!(m.impacts.len(), m.flight.jettisoned.len());
        assert_eq!(m.report.launch.target_inclination_deg, Some(site.default_inclination_deg()));
        round_trips(&m.report);
    }

    /// The payload mission of the mission tests: `vehicle` from its Vostochny pad to 200 km at
    /// the site's lowest inclination, northbound, without zones.
    pub(super) fn vostochny_200_km<'a>(vehicle: &'a crate::vehicle::Vehicle, sites: &'a SiteCatalog) -> PayloadRequest<'a> {
        let site = sites.pad_for("vostochny", vehicle.family.as_deref()).expect("pad").site;
        PayloadRequest::new(vehicle, site, target_orbit(site, 200e3, None, None))
    }

    /// The payload report reads back from its JSON too, and states the orbit it reached.
    #[test]
    fn payload_report_reads_back_from_its_json() {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let request = vostochny_200_km(&vehicle, &sites);
        let m = payload(&request, &mut |_| {}).expect("payload");
        assert_eq!(m.report.format, payload::PAYLOAD_FORMAT);
        assert!(m.solution.within_tolerance(&request.target));
        round_trips(&m.report);
    }

    /// The schemas shipped in `docs/schema/` are the ones the report types generate. After a
    /// change of a report type, regenerate them with
    /// `UPDATE_SCHEMAS=1 cargo test -p cosmodrome mission::tests::shipped_schemas` and record the
    /// change in `docs/schema/CHANGELOG.md`.
    #[test]
    fn shipped_schemas_match_the_report_types() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
        let update = std::env::var("UPDATE_SCHEMAS").is_ok_and(|v| v == "1");
        let mut stale = Vec::new();
        for (name, schema) in super::schemas() {
            let path = dir.join(format!("{name}.schema.json"));
            let mut generated = serde_json::to_string_pretty(&schema).expect("a schema serializes");
            generated.push('\n');
            if update {
                std::fs::write(&path, &generated).expect("write the schema");
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "shipped schemas differ from the report types: {stale:?}; regenerate them with \
             `UPDATE_SCHEMAS=1 cargo test -p cosmodrome mission::tests::shipped_schemas` and note the change in docs/schema/CHANGELOG.md"
        );
    }
}
