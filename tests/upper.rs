//! Restartable upper stages in flight: a Hohmann transfer by a high-thrust stage against the
//! impulsive closed form, a drop tank leaving with its dry mass at the moment it is empty, and
//! the Saturn V's S-IVB restarting to leave the Earth.

use cosmodrome::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
use cosmodrome::environment::gravity::GravityModel;
use cosmodrome::flight::{fly, EventKind, FlightOptions, FlightSetup};
use cosmodrome::guidance::{fly_default_ascent, AscentProgram, Branch, BurnCutoff, BurnStart, BurnSteering, MissionProgram, PlannedBurn};
use cosmodrome::optimize::payload::maximize_payload;
use cosmodrome::optimize::targeting::{fly_to_orbit, TargetOrbit};
use cosmodrome::optimize::transfer::{burn_reports, MissionPayload};
use cosmodrome::vehicle::{catalog_vehicle, SiteCatalog, Vehicle};

use crate::common::saturn_v_escape;

/// A high-thrust restartable kick stage (test values: 150 kN, 330 s, 0.8 t dry, 6 t
/// propellant) on Soyuz-2.1b: its burns are short enough to be nearly impulsive.
const KICK_STAGE: &str = r#"
[[engine]]
id = "KICK"
propellant = "N2O4/UDMH"
thrust_vac_kn = 150.0
isp_vac_s = 330.0

[[stage]]
name = "kick"
kind = "upper"
engine = "KICK"
dry_mass_kg = 800.0
propellant_mass_kg = 6000.0
diameter_m = 2.7
ignition = "sequential"
max_burns = 4
"#;

/// Briz-M from the project's reference data (`data/reference/upper-stages.toml`): dry 2,370 kg
/// with the APT's 770 kg, 19,800 kg propellant of which 14,650 kg in the APT, 19.61 kN, 328 s.
const BRIZ_M: &str = r#"
[[engine]]
id = "S5.98M"
propellant = "N2O4/UDMH"
thrust_vac_kn = 19.61
isp_vac_s = 328.0

[[stage]]
name = "Briz-M"
kind = "upper"
engine = "S5.98M"
dry_mass_kg = 2370.0
propellant_mass_kg = 19800.0
diameter_m = 4.1
ignition = "sequential"
max_burns = 8

[stage.drop_tank]
name = "Briz-M APT"
dry_mass_kg = 770.0
propellant_mass_kg = 14650.0
"#;

fn with_upper_stage(base: &str, upper: &str) -> Vehicle {
    let text = format!("{}\n{upper}", catalog_vehicle(base).expect("catalog"));
    Vehicle::from_toml(&text, "test.toml").expect("valid").0
}

/// Soyuz-2.1b with the kick stage into 200 km at 51.9° from Vostochny, then a Hohmann transfer
/// to 2,000 km: the two burns' Δv matches the impulsive closed form within the finite-burn
/// losses (0.5 %), the final orbit is circular at 2,000 km within 10 km, and the Δv budget puts
/// the transfer orbit's climb in its coast exchange.
#[test]
fn a_hohmann_transfer_matches_the_impulsive_delta_v() {
    let vehicle = with_upper_stage("soyuz-2.1b", KICK_STAGE);
    let kick = vehicle.stages.len() - 1;
    let site = SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
    let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    // A spherical Earth, so that Kepler's orbits are the closed form's.
    let spherical = FlightOptions { gravity: GravityModel::PointMass, ..FlightOptions::default() };
    let ascent = fly_to_orbit(&vehicle, &site, &parking, Branch::Northbound, 1000.0, spherical, &mut |_| {}).expect("ascent");
    let r2 = WGS84_A_M + 2000e3;
    let burns = vec![
        PlannedBurn { start: BurnStart::AfterCutoffS(600.0), cutoff: BurnCutoff::ApogeeRadiusM(r2), steering: BurnSteering::default() },
        PlannedBurn {
            start: BurnStart::TrueAnomalyDeg(179.5),
            cutoff: BurnCutoff::EnergyJKg(-MU_EARTH_M3_S2 / (2.0 * r2)),
            steering: BurnSteering::default(),
        },
    ];
    let mut options = FlightOptions { max_time_s: 20_000.0, ..spherical };
    options.integrator.rel_tol = 1e-10;
    options.integrator.abs_tol = 1e-7;
    let setup = FlightSetup { vehicle: &vehicle, payload_kg: 1000.0, launch: ascent.launch, options };
    let mut program = MissionProgram::new(AscentProgram::new(ascent.parameters, &vehicle, &ascent.launch), burns, kick);
    let flight = fly(&setup, &mut program).expect("mission");
    let (reports, coasts) = burn_reports(&vehicle, kick, &flight);
    assert!(reports.len() >= 2 && !coasts.is_empty(), "{reports:?}");
    let transfer = &reports[reports.len() - 2..];
    // From the state where the first transfer burn starts (the parking orbit is circular within
    // the ascent's tolerances): the transfer's perigee speed less that speed, then the circular
    // speed at 2,000 km less the transfer's apogee speed.
    let first_start = transfer[0].start_s;
    let start = &flight.events.iter().find(|e| (e.point.time_s - first_start).abs() < 1e-6).expect("burn start").point;
    let (r1, v1) = (start.position_eci_m.norm(), start.velocity_eci_m_s.norm());
    let mu = MU_EARTH_M3_S2;
    let a = 0.5 * (r1 + r2);
    let impulsive = ((mu * (2.0 / r1 - 1.0 / a)).sqrt() - v1) + ((mu / r2).sqrt() - (mu * (2.0 / r2 - 1.0 / a)).sqrt());
    let flown: f64 = transfer.iter().map(|b| b.delta_v_m_s).sum();
    assert!(flown > impulsive * 0.998 && flown < impulsive * 1.005, "flown {flown:.1} m/s, impulsive {impulsive:.1} m/s");
    let orbit = flight.final_orbit;
    assert!((orbit.perigee_radius_m() - r2).abs() < 10e3 && (orbit.apogee_radius_m() - r2).abs() < 10e3, "{orbit:?}");
    // The Δv budget keeps the coasts apart: the climb from perigee to apogee trades the
    // transfer orbit's perigee-minus-apogee speed for height, and is not a gravity loss.
    let b = &flight.loss_budget;
    let climb = (mu * (2.0 / r1 - 1.0 / a)).sqrt() - (mu * (2.0 / r2 - 1.0 / a)).sqrt();
    assert!(
        (b.coast_exchange_m_s - climb).abs() < 0.02 * climb,
        "coast exchange {:.1} m/s, closed form {climb:.1} m/s",
        b.coast_exchange_m_s
    );
    assert!(b.gravity_loss_m_s > 500.0 && b.gravity_loss_m_s < 2000.0, "gravity loss of the ascent and burns: {b:?}");
    assert!(b.closure_error_m_s().abs() < 1.0, "{b:?}");
}

/// Angara-A5/Briz-M on the default ascent: the APT is dropped when the 14,650 kg it holds are
/// burned (at the constant vacuum mass flow: that long after the Briz-M's ignition), and the
/// vehicle's mass falls by the tank's dry mass there; the tank is a jettisoned body.
#[test]
fn the_drop_tank_leaves_with_its_dry_mass_when_empty() {
    let vehicle = with_upper_stage("angara-a5", BRIZ_M);
    let briz = vehicle.stages.len() - 1;
    let site = SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
    let setup = FlightSetup {
        vehicle: &vehicle,
        payload_kg: 3000.0,
        launch: cosmodrome::flight::Launch::from_site(&site, 45.0),
        options: FlightOptions::default(),
    };
    let flight = fly_default_ascent(&setup).expect("flight");
    let ignition = flight.event(&EventKind::Ignition { stage: briz }).expect("Briz-M ignites");
    let drop = flight.event(&EventKind::TankDrop { stage: briz }).expect("APT dropped");
    let stage = &vehicle.stages[briz];
    let expected_s = 14_650.0 / stage.mass_flow_kg_s();
    assert!(
        (drop.point.time_s - ignition.point.time_s - expected_s).abs() < 1e-3,
        "{} s vs {expected_s} s",
        drop.point.time_s - ignition.point.time_s
    );
    let body = flight.jettisoned.iter().find(|b| b.name == "Briz-M APT").expect("the tank is a jettisoned body");
    assert_eq!(body.mass_kg, 770.0);
    assert!((body.point.mass_kg - drop.point.mass_kg - 770.0).abs() < 1e-6, "{} → {}", body.point.mass_kg, drop.point.mass_kg);
}

/// The catalog's Saturn V to escape (C3 0) from Kennedy: the S-IVB's first burn ends in the
/// parking orbit and its one restart leaves the Earth, as on the Apollo flights. The mission
/// reaches its C3; the restart's Δv is at least the impulsive escape from the circular orbit it
/// starts on and exceeds it by no more than a long burn's finite-burn loss (10 %); and the
/// payload is below what the vehicle puts into the parking orbit.
#[test]
fn the_saturn_v_s_ivb_restarts_to_leave_the_earth() {
    let (vehicle, parking, found) = saturn_v_escape(FlightOptions::default());
    let s_ivb = vehicle.stages.len() - 1;
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("kennedy").expect("site");
    let MissionPayload::Transfer(s) = &found else { panic!("flown directly: {found:?}") };
    let p = &s.flight.final_point;
    let c3 = p.velocity_eci_m_s.norm_squared() - 2.0 * MU_EARTH_M3_S2 / p.position_eci_m.norm();
    assert!(c3.abs() < 0.01e6, "C3 {} km²/s²", c3 / 1e6);
    let (burns, coasts) = burn_reports(&vehicle, s_ivb, &s.flight);
    assert_eq!((burns.len(), coasts.len()), (2, 1), "{burns:?} {coasts:?}");
    let restart = &burns[1];
    let start = &s.flight.events.iter().find(|e| (e.point.time_s - restart.start_s).abs() < 1e-6).expect("restart").point;
    let r = start.position_eci_m.norm();
    let impulsive = (2.0 * MU_EARTH_M3_S2 / r).sqrt() - (MU_EARTH_M3_S2 / r).sqrt();
    assert!(
        restart.delta_v_m_s > 0.999 * impulsive && restart.delta_v_m_s < 1.1 * impulsive,
        "restart {:.0} m/s, impulsive {impulsive:.0} m/s",
        restart.delta_v_m_s
    );
    let parked =
        maximize_payload(&vehicle, site, &parking, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("parking orbit");
    assert!(
        s.payload_kg > 0.0 && s.payload_kg < parked.payload_kg,
        "{} kg to escape, {} kg to the parking orbit",
        s.payload_kg,
        parked.payload_kg
    );
}
