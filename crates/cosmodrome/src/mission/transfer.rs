//! The transfer mission: the largest payload a vehicle with a restartable upper stage puts into
//! a high orbit or an escape — GTO, GSO, MEO, Molniya, C3 — through a parking orbit
//! (`cosmodrome payload --orbit gso`, `transfer.json`).
//!
//! A named orbit (`--orbit`) resolves to its default elements from the site ([`super::orbits`]);
//! explicit elements override them. Low orbits (LEO, SSO) and every orbit of a vehicle whose last
//! stage burns once are flown directly by the targeted ascent (the payload mission); the others
//! go through a parking orbit ([`crate::optimize::transfer`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{check_finite, round, OrbitReport};
use super::orbits::{default_orbit, sun_synchronous_inclination_elliptic_deg, OrbitShortcut};
use crate::environment::earth::MU_EARTH_M3_S2;
use crate::error::{Error, Result};
use crate::optimize::payload::TargetOrbit;
use crate::optimize::payload::WarmStart;
use crate::optimize::transfer::{
    asymptote_declination_deg, maximize_transfer_payload_from, BurnReport, CoastReport, MissionTarget, TransferSolution, TransferTarget,
};
use crate::optimize::Progress;
use crate::vehicle::{Site, Vehicle};

/// Layout and version of [`TransferReport`] (its `format` member).
pub const TRANSFER_FORMAT: &str = "cosmodrome-transfer/1";

/// The elements a user may state beside (or instead of) a named orbit; `None` keeps the named
/// orbit's default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OrbitOverrides {
    /// Perigee altitude, m.
    pub perigee_m: Option<f64>,
    /// Apogee altitude, m.
    pub apogee_m: Option<f64>,
    /// Inclination, degrees.
    pub inclination_deg: Option<f64>,
    /// Argument of perigee, degrees.
    pub argument_of_perigee_deg: Option<f64>,
    /// Characteristic energy of an escape, km²/s².
    pub c3_km2_s2: Option<f64>,
    /// Declination of an escape's departure asymptote, degrees (`None`: free). Only an escape
    /// has one: [`super::named_target`] refuses it with any other orbit.
    pub declination_deg: Option<f64>,
}

/// The mission target of a named orbit from a site for a vehicle: direct for LEO and SSO and
/// for every orbit of a vehicle whose last stage burns once (its ascent injects directly, the
/// way Falcon 9 or Long March 3B reach GTO); through a parking orbit otherwise.
pub fn mission_target(shortcut: OrbitShortcut, site: &Site, vehicle: &Vehicle, overrides: &OrbitOverrides) -> Result<MissionTarget> {
    let d = default_orbit(shortcut, site)?;
    let perigee_m = overrides.perigee_m.unwrap_or(d.perigee_km * 1e3);
    // A circular orbit given by its altitude alone stays circular: `--orbit sso --perigee-km 500`
    // is the 500 km SSO, not a 500 × 800 km orbit.
    let circular = matches!(shortcut, OrbitShortcut::Leo | OrbitShortcut::Sso | OrbitShortcut::Meo);
    let apogee_default_m = if circular && overrides.perigee_m.is_some() { perigee_m } else { d.apogee_km * 1e3 };
    let apogee_m = overrides.apogee_m.unwrap_or(apogee_default_m);
    // An apogee under the perigee is refused, not raised to it: raised, `--orbit leo
    // --perigee-km 500 --apogee-km 300` flew a 500 km circle without a word.
    if apogee_m < perigee_m {
        let (apogee_km, perigee_km) = (apogee_m / 1e3, perigee_m / 1e3);
        let message = match (overrides.perigee_m, overrides.apogee_m) {
            (Some(_), None) => {
                format!("the perigee ({perigee_km:.0} km) lies above {shortcut}'s apogee ({apogee_km:.0} km): give the apogee too")
            }
            (None, Some(_)) => {
                format!("the apogee ({apogee_km:.0} km) lies below {shortcut}'s perigee ({perigee_km:.0} km): give the perigee too")
            }
            _ => format!("the apogee ({apogee_km:.0} km) lies below the perigee ({perigee_km:.0} km)"),
        };
        return Err(Error::invalid(super::fly::NAMED_ORBIT_INPUT, message));
    }
    // The sun-synchronous inclination follows the altitudes given (unless stated).
    let moved = overrides.perigee_m.is_some() || overrides.apogee_m.is_some();
    let inclination_deg = match overrides.inclination_deg {
        Some(i) => i,
        None if shortcut == OrbitShortcut::Sso && moved => sun_synchronous_inclination_elliptic_deg(perigee_m / 1e3, apogee_m / 1e3)
            .ok_or_else(|| {
                Error::invalid(
                    "--orbit sso",
                    format!(
                        "no sun-synchronous orbit at {:.0} × {:.0} km: J2 cannot turn its node once a year",
                        perigee_m / 1e3,
                        apogee_m / 1e3
                    ),
                )
            })?,
        None => d.inclination_deg,
    };
    let argument_of_perigee_deg = overrides.argument_of_perigee_deg.or(d.argument_of_perigee_deg);
    let target = match shortcut {
        OrbitShortcut::Leo | OrbitShortcut::Sso => {
            return Ok(MissionTarget::Direct(TargetOrbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg: None }));
        }
        OrbitShortcut::Gto | OrbitShortcut::Meo | OrbitShortcut::Molniya => {
            TransferTarget::Orbit { perigee_m, apogee_m, inclination_deg, argument_of_perigee_deg, exact_perigee: false }
        }
        OrbitShortcut::Gso => TransferTarget::Gso,
        OrbitShortcut::Gto1800 | OrbitShortcut::Gto1500 => TransferTarget::GtoShortOfGso {
            delta_v_m_s: d.delta_v_to_gso_m_s.ok_or_else(|| Error::invalid("--orbit", format!("{shortcut} has no Δv to GSO")))?,
            // Set from the vehicle by `MissionTarget::for_vehicle` below.
            raise_perigee: false,
        },
        OrbitShortcut::Escape => TransferTarget::Escape {
            c3_m2_s2: overrides.c3_km2_s2.or(d.c3_km2_s2).unwrap_or(0.0) * 1e6,
            declination_deg: overrides.declination_deg.or(d.declination_deg),
        },
    };
    Ok(MissionTarget::for_vehicle(vehicle, site, target))
}

/// What to find the transfer payload of: the optimizer's transfer mission itself, so that a
/// request is handed to it as it stands.
pub use crate::optimize::transfer::Transfer as TransferRequest;

/// The transfer mission's answer: the report, and the solution behind it for the writers.
#[derive(Debug, Clone)]
pub struct TransferMission {
    /// The report (`payload --orbit … --json`, `transfer.json`).
    pub report: TransferReport,
    /// The whole mission, ascent and burns.
    pub solution: TransferSolution,
}

/// The words shown beside a transfer's perigee when the mission left it free
/// ([`TransferReport::perigee_free`]): every front end says the same thing.
pub const PERIGEE_FREE_NOTE: &str = "not targeted: left where the perigee burns put it";

/// The answer of `cosmodrome payload --orbit` through a parking orbit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferReport {
    /// Layout and version of this report: `cosmodrome-transfer/1`.
    #[schemars(extend("const" = TRANSFER_FORMAT))]
    pub format: String,
    /// Vehicle name.
    pub vehicle: String,
    /// Pad id.
    pub site: String,
    /// The target asked for, in words (`GSO`, `escape, C3 5.0 km²/s²`).
    pub target: String,
    /// Largest payload, kg (to 0.1 kg).
    pub payload_kg: f64,
    /// The parking orbit the ascent flew to.
    pub parking: OrbitReport,
    /// Osculating orbit at the last cutoff; `null` after an escape (read `c3_km2_s2`,
    /// `perigee_km` and `inclination_deg`).
    pub orbit: Option<OrbitReport>,
    /// Perigee altitude of the final orbit or hyperbola, km.
    pub perigee_km: f64,
    /// Inclination of the final orbit or hyperbola, degrees.
    pub inclination_deg: f64,
    /// Argument of perigee of the final orbit or hyperbola, degrees. Of a nearly circular orbit
    /// (a GSO; eccentricity below [`super::common::ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY`]) the
    /// perigee is nowhere in particular and this angle means nothing; `orbit` then omits its own.
    pub argument_of_perigee_deg: f64,
    /// The target's perigee was no condition of the targeting: it is left where the finite
    /// perigee burns put it, within 50 km of the one asked (the built-in GTOs whose perigee is
    /// the 200 km parking orbit's); `orbit.perigee_km` is the one reached.
    #[serde(default)]
    pub perigee_free: bool,
    /// Characteristic energy of the final orbit (negative when bound), km²/s².
    pub c3_km2_s2: f64,
    /// Declination of the departure asymptote after an escape, degrees: the direction the
    /// payload leaves the Earth in, the figure an interplanetary launch period is planned on.
    /// Absent when the mission ends in an orbit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asymptote_declination_deg: Option<f64>,
    /// Launch azimuth, degrees from north.
    pub launch_azimuth_deg: f64,
    /// The turn of the upper stages' steering plane out of the air in the ascent to the parking
    /// orbit, degrees clockwise seen from above (a dogleg): flown when the parking orbit's
    /// launch azimuth lies outside the site's azimuth corridors or its plane below the site's
    /// latitude. Absent when the ascent keeps its launch plane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dogleg_deg: Option<f64>,
    /// Propellant aboard the upper stage at the ascent's cutoff for the transfer, kg.
    pub held_back_kg: f64,
    /// Propellant left at the end of the mission, kg.
    pub propellant_left_kg: f64,
    /// Usable propellant the upper stage was loaded with, kg, when the optimizer offloaded it:
    /// a stage loaded for far more than the transfer burns (Briz-M to 200 × 2,000 km) would burn
    /// the rest in the ascent for less payload than its mass. Absent when the stage flies as the
    /// vehicle file loads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_stage_load_kg: Option<f64>,
    /// The last cutoff, s after liftoff.
    pub mission_time_s: f64,
    /// Flights the optimization of the mission flew (ascents and transfers, failed ones too):
    /// its cost measured so that it does not move with the machine or its load. The trade
    /// factors' re-optimizations are not counted.
    #[serde(default)]
    pub flights: usize,
    /// Every burn of the upper stage (the ascent's first, when it flew one).
    pub burns: Vec<BurnEntry>,
    /// The coasts between them.
    pub coasts: Vec<CoastEntry>,
    /// Tanks dropped on the way.
    pub dropped_tanks: Vec<DroppedTankEntry>,
    /// The liftoff limit of the vehicle file (`limits.min_liftoff_thrust_to_weight`) where it
    /// capped the payload, as in the payload report: the mission carries the heaviest payload
    /// that keeps it, the rest of the propellant left aboard. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liftoff_limit: Option<super::LiftoffLimitReport>,
    /// The payload trade factors (`--trade-factors`): ∂(maximum payload) per unit of each
    /// stage's dry mass, propellant, Isp and thrust and of the fairing's mass, by central
    /// differences of re-optimized missions, ascent and transfer ([`super::trade`]); absent
    /// unless asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_factors: Option<Vec<super::trade::TradeFactorReport>>,
}

/// One burn of the upper stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BurnEntry {
    /// Burn number of the stage (1: its first).
    pub burn: u32,
    /// Start, s after liftoff.
    pub start_s: f64,
    /// Duration, s.
    pub duration_s: f64,
    /// Ideal Δv of the burn (vacuum exhaust velocity times the log of the mass ratio, the
    /// bodies dropped during it — fairing, tank, interstage — left out), m/s.
    pub delta_v_m_s: f64,
    /// Propellant burned, kg (the bodies dropped during the burn are not counted).
    pub propellant_kg: f64,
}

/// A coast between two burns.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoastEntry {
    /// Start (the cutoff before it), s after liftoff.
    pub start_s: f64,
    /// Duration, s.
    pub duration_s: f64,
}

impl BurnEntry {
    /// A burn as flown, to 0.01 s, 0.1 m/s and 0.1 kg.
    pub fn of(b: &BurnReport) -> Self {
        BurnEntry {
            burn: b.burn,
            start_s: round(b.start_s, 2),
            duration_s: round(b.duration_s, 2),
            delta_v_m_s: round(b.delta_v_m_s, 1),
            propellant_kg: round(b.propellant_kg, 1),
        }
    }
}

impl CoastEntry {
    /// A coast as flown, to 0.01 s.
    pub fn of(c: &CoastReport) -> Self {
        CoastEntry { start_s: round(c.start_s, 2), duration_s: round(c.duration_s, 2) }
    }
}

/// A tank dropped by the upper stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DroppedTankEntry {
    /// Name.
    pub name: String,
    /// Release, s after liftoff.
    pub time_s: f64,
    /// Dry mass, kg.
    pub mass_kg: f64,
    /// Orbit of the tank at release; `null` when it escapes.
    pub orbit: Option<OrbitReport>,
}

/// Find the largest payload of the request through its parking orbit. `progress` is called
/// with the number of flights flown.
pub fn transfer_payload(request: &TransferRequest<'_>, progress: Progress<'_>) -> Result<TransferMission> {
    transfer_payload_warm(request, progress).map(|(mission, _)| mission)
}

/// [`transfer_payload`], with the solution's ascent as the start of neighbouring missions (the
/// trade factors', [`super::transfer_trade_factors`]).
pub fn transfer_payload_warm(request: &TransferRequest<'_>, progress: Progress<'_>) -> Result<(TransferMission, WarmStart)> {
    let TransferRequest { vehicle, site, target, .. } = *request;
    super::liftoff_limit::check_vehicle(vehicle)?;
    let (solution, warm_start) = maximize_transfer_payload_from(request, None, &mut *progress)?;
    let (solution, liftoff_limit) = super::liftoff_limit::transfer_held_to_liftoff_limit(request, solution, progress)?;
    let mut report = TransferReport::new(vehicle, &site.id, &target, &solution)?;
    report.liftoff_limit = liftoff_limit;
    Ok((TransferMission { report, solution }, warm_start))
}

impl TransferReport {
    /// The report of a solved transfer.
    pub fn new(vehicle: &Vehicle, site_id: &str, target: &TransferTarget, s: &TransferSolution) -> Result<Self> {
        let o = &s.orbit;
        let c3_km2_s2 = o.c3_m2_s2(MU_EARTH_M3_S2) / 1e6;
        let report = TransferReport {
            format: TRANSFER_FORMAT.to_owned(),
            vehicle: vehicle.name.clone(),
            site: site_id.to_owned(),
            target: target.describe(),
            payload_kg: super::common::payload_down_kg(s.payload_kg),
            parking: OrbitReport::new(s.parking.perigee_m, s.parking.apogee_m, s.parking.inclination_deg),
            // An escape reports its C3, not an orbit: at C3 0 the osculating "orbit" at cutoff is
            // a parabola, bound or not by rounding, with an apogee of 10¹⁵ km.
            orbit: (o.eccentricity < 1.0 && !matches!(target, TransferTarget::Escape { .. })).then(|| OrbitReport::of(o)),
            perigee_km: round(o.perigee_altitude_m() / 1e3, 3),
            inclination_deg: round(o.inclination_rad.to_degrees(), 4),
            argument_of_perigee_deg: round(o.arg_perigee_rad.to_degrees().rem_euclid(360.0), 3),
            perigee_free: s.perigee_free,
            c3_km2_s2: round(c3_km2_s2, 4),
            asymptote_declination_deg: matches!(target, TransferTarget::Escape { .. }).then(|| {
                let p = &s.flight.final_point;
                round(asymptote_declination_deg(&p.position_eci_m, &p.velocity_eci_m_s), 3)
            }),
            launch_azimuth_deg: round(s.launch.azimuth_deg, 3),
            dogleg_deg: super::common::dogleg_deg(&s.ascent),
            held_back_kg: round(s.held_back_kg, 1),
            propellant_left_kg: round(s.propellant_left_kg, 1),
            upper_stage_load_kg: s.upper_stage_load_kg.map(|kg| round(kg, 1)),
            mission_time_s: round(s.flight.final_point.time_s, 2),
            flights: s.flights,
            burns: s.burn_reports.iter().map(BurnEntry::of).collect(),
            coasts: s.coasts.iter().map(CoastEntry::of).collect(),
            dropped_tanks: s
                .dropped_tanks
                .iter()
                .map(|t| {
                    let p = &t.point;
                    let e =
                        crate::environment::elements::OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
                    DroppedTankEntry {
                        name: t.name.clone(),
                        time_s: round(p.time_s, 2),
                        mass_kg: round(t.mass_kg * f64::from(t.count), 1),
                        orbit: (e.eccentricity < 1.0).then(|| OrbitReport::of(&e)),
                    }
                })
                .collect(),
            liftoff_limit: None,
            trade_factors: None,
        };
        let mut figures = vec![
            report.payload_kg,
            report.perigee_km,
            report.inclination_deg,
            report.argument_of_perigee_deg,
            report.c3_km2_s2,
            report.held_back_kg,
            report.propellant_left_kg,
            report.mission_time_s,
        ];
        figures.extend(report.asymptote_declination_deg);
        if let Some(o) = &report.orbit {
            figures.extend([o.perigee_km, o.apogee_km, o.inclination_deg]);
        }
        figures.extend(report.burns.iter().flat_map(|b| [b.start_s, b.duration_s, b.delta_v_m_s, b.propellant_kg]));
        check_finite("transfer report", figures)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::FlightOptions;
    use crate::guidance::Branch;
    use crate::optimize::transfer::PARKING_ALTITUDE_M;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    fn site(id: &str) -> Site {
        SiteCatalog::builtin().expect("sites").get(id).expect("site").clone()
    }

    /// An escape at C3 exactly 0 (parabolic energy) is targeted: the last cutoff leaves the
    /// Earth at C3 0 within 0.01 km²/s², the report gives no bound orbit, and the payload lies
    /// above that of C3 1 km²/s².
    #[test]
    fn an_escape_at_c3_zero_is_targeted() {
        let (v, _) = resolve_vehicle("angara-a5-dm03").expect("catalog");
        let vostochny = site("vostochny");
        let solve = |c3_km2_s2: f64| {
            let overrides = OrbitOverrides { c3_km2_s2: Some(c3_km2_s2), ..OrbitOverrides::default() };
            let MissionTarget::Transfer { parking, target } = mission_target(OrbitShortcut::Escape, &vostochny, &v, &overrides).unwrap()
            else {
                panic!("an escape goes through the parking orbit")
            };
            let request = TransferRequest {
                vehicle: &v,
                site: &vostochny,
                parking,
                target,
                branch: Branch::Northbound,
                options: FlightOptions::default(),
            };
            transfer_payload(&request, &mut |_| {}).unwrap_or_else(|e| panic!("C3 {c3_km2_s2}: {e}"))
        };
        let zero = solve(0.0);
        let p = &zero.solution.flight.final_point;
        let c3 = p.velocity_eci_m_s.norm_squared() - 2.0 * MU_EARTH_M3_S2 / p.position_eci_m.norm();
        assert!(c3.abs() < 0.01e6, "C3 {} km²/s²", c3 / 1e6);
        assert!(zero.report.orbit.is_none() && zero.report.c3_km2_s2.abs() < 0.01, "{:?}", zero.report);
        let one = solve(1.0);
        assert!(
            zero.report.payload_kg > one.report.payload_kg,
            "{} kg at C3 0, {} kg at C3 1",
            zero.report.payload_kg,
            one.report.payload_kg
        );
    }

    /// The transfer report of a named orbit from a site.
    fn named(id: &str, site_id: &str, shortcut: OrbitShortcut, overrides: OrbitOverrides) -> TransferMission {
        let (v, _) = resolve_vehicle(id).expect("catalog");
        let site = site(site_id);
        let MissionTarget::Transfer { parking, target } = mission_target(shortcut, &site, &v, &overrides).unwrap() else {
            panic!("{shortcut} goes through the parking orbit")
        };
        let request =
            TransferRequest { vehicle: &v, site: &site, parking, target, branch: Branch::Northbound, options: FlightOptions::default() };
        transfer_payload(&request, &mut |_| {}).unwrap_or_else(|e| panic!("{id} from {site_id} to {shortcut}: {e}"))
    }

    /// Molniya from Vostochny, ω 270° and its equivalent −90°: the period is half a sidereal day
    /// (43,082 s) within 0.2 %, perigee 600 km and apogee 39,767 km within 50 km, inclination
    /// 63.4° within 0.1°, argument of perigee 270° within 0.5°, so the apogee lies over the
    /// northern hemisphere. Angara-A5/Briz-M too, through its several perigee burns: the burns
    /// lie far from the nodes, where a yaw turns the node rather than the inclination, and the
    /// inclination is the parking orbit's.
    #[test]
    fn molniya_is_targeted_with_its_apogee_in_the_north() {
        for (id, w) in [("angara-a5-dm03", None), ("angara-a5-dm03", Some(-90.0)), ("angara-a5-briz-m", None)] {
            let m =
                named(id, "vostochny", OrbitShortcut::Molniya, OrbitOverrides { argument_of_perigee_deg: w, ..OrbitOverrides::default() });
            let o = &m.solution.orbit;
            let period_s = o.period_s(MU_EARTH_M3_S2);
            assert!((period_s - 0.5 * 86_164.090_5).abs() < 0.002 * 43_082.0, "{id} {w:?}: period {period_s} s");
            assert!((o.perigee_altitude_m() - 600e3).abs() < 50e3 && (o.apogee_altitude_m() - 39_767e3).abs() < 50e3, "{id} {w:?}: {o:?}");
            assert!((o.inclination_rad.to_degrees() - 63.4).abs() < 0.1, "{id} {w:?}: {o:?}");
            let aop = o.arg_perigee_rad.to_degrees().rem_euclid(360.0);
            assert!((aop - 270.0).abs() < 0.5, "{id} {w:?}: argument of perigee {aop}°");
            let apogee_sin_latitude = -o.inclination_rad.sin() * o.arg_perigee_rad.sin();
            assert!(apogee_sin_latitude > 0.85, "{id} {w:?}: apogee at {}°", apogee_sin_latitude.asin().to_degrees());
            assert!(m.report.payload_kg > 0.0);
        }
    }

    /// Soyuz ST-A/Fregat-M into the Kourou standard GTO (250 × 35,950 km, 6°, ω 178°): its one
    /// long perigee burn would lift the perigee to some 335 km; the burn's pitch holds it at
    /// 250 km, and the orbit is reached within the tolerances. No burn after the ascent is a
    /// pointless trim of a second or so (the perigee burns' pitch sets the perigee).
    #[test]
    fn fregat_m_reaches_the_kourou_gto() {
        let m = named("soyuz-2.1a-fregat", "kourou", OrbitShortcut::Gto, OrbitOverrides::default());
        assert!(m.report.burns.iter().skip(1).all(|b| b.duration_s >= 2.0), "{:?}", m.report.burns);
        let o = &m.solution.orbit;
        assert!((o.perigee_altitude_m() - 250e3).abs() < 5e3 && (o.apogee_altitude_m() - 35_950e3).abs() < 50e3, "{o:?}");
        assert!((o.inclination_rad.to_degrees() - 6.0).abs() < 0.1 && (o.arg_perigee_rad.to_degrees() - 178.0).abs() < 0.5, "{o:?}");
        assert!((1500.0..4000.0).contains(&m.report.payload_kg), "{} kg", m.report.payload_kg);
        assert!(!m.report.perigee_free, "the 250 km perigee is targeted by the burns' pitch");
    }

    /// Low orbits and every orbit of a vehicle whose last stage burns once are flown directly;
    /// the high orbits of a restartable upper stage go through the parking orbit, which lies in
    /// the site's lowest plane for an equatorial target.
    #[test]
    fn named_orbits_resolve_to_direct_or_transfer_targets() {
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").expect("catalog");
        let (bare, _) = resolve_vehicle("angara-a5").expect("catalog");
        let vostochny = site("vostochny");
        let none = OrbitOverrides::default();
        assert!(matches!(mission_target(OrbitShortcut::Leo, &vostochny, &briz, &none).unwrap(), MissionTarget::Direct(_)));
        assert!(matches!(mission_target(OrbitShortcut::Gto, &vostochny, &bare, &none).unwrap(), MissionTarget::Direct(_)));
        match mission_target(OrbitShortcut::Gso, &vostochny, &briz, &none).unwrap() {
            MissionTarget::Transfer { parking, target: TransferTarget::Gso } => {
                assert_eq!(parking.perigee_m, PARKING_ALTITUDE_M);
                assert!((parking.inclination_deg - vostochny.default_inclination_deg()).abs() < 1e-9);
            }
            other => panic!("{other:?}"),
        }
        let c3 = OrbitOverrides { c3_km2_s2: Some(5.0), ..none };
        match mission_target(OrbitShortcut::Escape, &vostochny, &briz, &c3).unwrap() {
            MissionTarget::Transfer { target: TransferTarget::Escape { c3_m2_s2, .. }, .. } => assert_eq!(c3_m2_s2, 5e6),
            other => panic!("{other:?}"),
        }
        let apogee = OrbitOverrides { apogee_m: Some(30_000e3), ..none };
        match mission_target(OrbitShortcut::Gto, &vostochny, &briz, &apogee).unwrap() {
            MissionTarget::Transfer { target: TransferTarget::Orbit { apogee_m, .. }, .. } => assert_eq!(apogee_m, 30_000e3),
            other => panic!("{other:?}"),
        }
    }

    /// A circular named orbit given by its altitude alone stays circular, and the SSO's
    /// inclination follows the altitudes given; stated elements win.
    #[test]
    fn a_circular_orbit_moved_by_its_altitude_stays_circular() {
        let (bare, _) = resolve_vehicle("angara-a5").expect("catalog");
        let plesetsk = site("plesetsk");
        let direct = |shortcut, overrides: OrbitOverrides| match mission_target(shortcut, &plesetsk, &bare, &overrides) {
            Ok(MissionTarget::Direct(t)) => t,
            other => panic!("{other:?}"),
        };
        let none = OrbitOverrides::default();
        let sso = direct(OrbitShortcut::Sso, OrbitOverrides { perigee_m: Some(500e3), ..none });
        assert_eq!((sso.perigee_m, sso.apogee_m), (500e3, 500e3));
        assert!((sso.inclination_deg - 97.40).abs() < 0.02, "{}", sso.inclination_deg);
        let leo = direct(OrbitShortcut::Leo, OrbitOverrides { perigee_m: Some(300e3), ..none });
        assert_eq!((leo.perigee_m, leo.apogee_m), (300e3, 300e3));
        // An apogee given keeps the orbit eccentric; an inclination given is kept.
        let eccentric = direct(OrbitShortcut::Sso, OrbitOverrides { perigee_m: Some(500e3), apogee_m: Some(800e3), ..none });
        assert_eq!(eccentric.apogee_m, 800e3);
        assert!(eccentric.inclination_deg > 97.40 && eccentric.inclination_deg < 98.60, "{}", eccentric.inclination_deg);
        let stated = direct(OrbitShortcut::Sso, OrbitOverrides { perigee_m: Some(500e3), inclination_deg: Some(97.0), ..none });
        assert_eq!(stated.inclination_deg, 97.0);
        // Too high for J2 to turn the node once a year: refused, naming the orbit.
        let e = mission_target(OrbitShortcut::Sso, &plesetsk, &bare, &OrbitOverrides { perigee_m: Some(8_000e3), ..none }).unwrap_err();
        assert!(e.to_string().contains("no sun-synchronous orbit at 8000 × 8000 km"), "{e}");
    }
}
