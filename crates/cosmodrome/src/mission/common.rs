//! Parts shared by several reports: an orbit, the Δv loss budget, the vehicle's mass margins and
//! the check of designated drop zones.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::dropzone::designated::ZoneCheck;
use crate::dropzone::DesignatedZones;
use crate::environment::elements::OrbitalElements;
use crate::error::{Error, Result};
use crate::flight::losses::LossBudget;
use crate::vehicle::{JettisonTrigger, Vehicle};

/// Rounds to a fixed number of decimals: the precision a report states. A figure that rounds
/// to zero from below (a pad's height a hair under the ellipsoid) is `0`, not `-0`, which
/// JSON would print as `-0.0`.
pub(crate) fn round(v: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    // IEEE addition of +0 turns −0 into +0 and leaves every other value as it is.
    (v * k).round() / k + 0.0
}

/// The largest payload as a report states it: rounded down to 0.1 kg, so that the figure a
/// user reads flies when given back (`fly --payload-kg`); rounded to nearest, 26,179.87 kg
/// would read 26,179.9, a tenth of a gram too much, and be refused as beyond the vehicle.
/// A payload given by the user (one decimal at most) reads as given.
pub fn payload_down_kg(kg: f64) -> f64 {
    // The nudge (a micro-tenth) keeps a typed 7000.3, which is 70,002.999… tenths, at 7000.3.
    ((kg * 10.0 + 1e-6).floor() / 10.0).max(0.0) + 0.0
}

pub use crate::units::kg_text;

/// The turn of the upper stages' steering plane out of the air of an ascent flown with
/// `parameters`, degrees (a dogleg), to 0.0001°; `None` when the ascent keeps its launch plane.
pub(crate) fn dogleg_deg(parameters: &crate::guidance::AscentParameters) -> Option<f64> {
    match parameters.steering {
        crate::guidance::UpperSteering::Targeted(law) if law.dogleg_deg != 0.0 => Some(round(law.dogleg_deg, 4)),
        _ => None,
    }
}

/// A dogleg larger than this, degrees, is said in the run's notes (`payload`'s report, the
/// command line's stderr and report.html): range-safety doglegs of flown missions stay below it
/// (PSLV-XL's GTO from Sriharikota turns 14°); past it the turn is a plane change flown in the
/// air (from Wallops' 38–130° corridor to a 98° orbit, 84°), which costs much of the payload.
pub const LARGE_DOGLEG_DEG: f64 = 20.0;

/// The note on a dogleg larger than [`LARGE_DOGLEG_DEG`]: its degrees and what the ascent paid
/// for it, the steering loss of the loss budget (which holds the turn with the pitch steering);
/// `None` for a smaller one.
pub fn dogleg_note(dogleg_deg: f64, steering_loss_m_s: f64) -> Option<String> {
    (dogleg_deg.abs() > LARGE_DOGLEG_DEG).then(|| {
        format!(
            "large dogleg: the ascent turns its plane {:.1}° out of the air (more than {LARGE_DOGLEG_DEG:.0}°) to reach the orbit's plane, since no launch azimuth the pad allows leads to it; the turn is paid in the steering loss, {steering_loss_m_s:.0} m/s of the loss budget, and in payload",
            dogleg_deg.abs()
        )
    })
}

/// The energy-management weave of the solid last stage of an ascent flown with `parameters`,
/// degrees, to 0.01°; `None` when it flew none.
pub(crate) fn energy_weave_deg(parameters: &crate::guidance::AscentParameters) -> Option<f64> {
    match parameters.steering {
        crate::guidance::UpperSteering::Targeted(law) if law.energy_weave_deg != 0.0 => Some(round(law.energy_weave_deg, 2)),
        _ => None,
    }
}

/// Fails when a figure of a report would be NaN or infinite (serde_json would write `null`).
pub(crate) fn check_finite(report: &str, figures: impl IntoIterator<Item = f64>) -> Result<()> {
    if figures.into_iter().all(f64::is_finite) {
        Ok(())
    } else {
        Err(Error::InvalidInput { name: format!("{report} report"), message: "a figure is not finite".to_owned() })
    }
}

/// An orbit by its altitudes above the equatorial radius and its inclination (a target, or the
/// osculating orbit reached).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrbitReport {
    /// Perigee altitude above the equatorial radius (6378.137 km), km.
    pub perigee_km: f64,
    /// Apogee altitude above the equatorial radius, km.
    pub apogee_km: f64,
    /// Inclination, degrees.
    pub inclination_deg: f64,
    /// Of an osculating orbit reached: its argument of perigee, degrees (0–360), the angle from
    /// the ascending node to the perigee along the motion, which sets where the apogee of a
    /// transfer orbit lies; absent from an orbit nearly circular
    /// ([`ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY`]). Of a target: the one the ascent holds, when
    /// asked for; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argument_of_perigee_deg: Option<f64>,
}

impl OrbitReport {
    /// An orbit from its altitudes in metres, to 1 m and 0.0001°.
    pub fn new(perigee_m: f64, apogee_m: f64, inclination_deg: f64) -> Self {
        OrbitReport {
            perigee_km: round(perigee_m / 1e3, 3),
            apogee_km: round(apogee_m / 1e3, 3),
            inclination_deg: round(inclination_deg, 4),
            argument_of_perigee_deg: None,
        }
    }

    /// A target orbit, with the argument of perigee it holds when it holds one.
    pub fn target(t: &crate::optimize::payload::TargetOrbit) -> Self {
        OrbitReport { argument_of_perigee_deg: t.argument_of_perigee_deg, ..Self::new(t.perigee_m, t.apogee_m, t.inclination_deg) }
    }

    /// The osculating orbit of a set of elements.
    pub fn of(o: &OrbitalElements) -> Self {
        OrbitReport {
            argument_of_perigee_deg: argument_of_perigee_deg(o),
            ..Self::new(o.perigee_altitude_m(), o.apogee_altitude_m(), o.inclination_rad.to_degrees())
        }
    }
}

/// Below this eccentricity an orbit reached has no argument of perigee in a report: a circular
/// target is met within 1 km in perigee and apogee (eccentricity some 0.0003 at 200 km), and the
/// perigee of such an orbit wanders with the last metre per second of the cutoff. A 200 × 230 km
/// orbit is 0.0022.
pub const ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY: f64 = 1e-3;

/// The argument of perigee of `o` in degrees (0–360, to 0.001°), when its eccentricity reaches
/// [`ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY`].
pub(crate) fn argument_of_perigee_deg(o: &OrbitalElements) -> Option<f64> {
    (o.eccentricity >= ARGUMENT_OF_PERIGEE_MIN_ECCENTRICITY).then(|| round(o.arg_perigee_rad.to_degrees().rem_euclid(360.0), 3) % 360.0)
}

/// The Δv budget of a flight: its terms add up (with the Earth's rotation) to the final inertial
/// speed, up to `closure_error_m_s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LossBudgetReport {
    /// `∫ T_vac/m dt`, m/s.
    pub ideal_delta_v_m_s: f64,
    /// Gravity against the motion, m/s.
    pub gravity_loss_m_s: f64,
    /// Drag along the motion, m/s.
    pub drag_loss_m_s: f64,
    /// Thrust not along the motion, m/s.
    pub steering_loss_m_s: f64,
    /// Thrust lost to the ambient pressure on the nozzles, m/s.
    pub thrust_loss_m_s: f64,
    /// Gravity's work on the coasts between planned burns: speed traded for height (positive)
    /// or back, not a loss; 0 on a direct ascent, m/s.
    #[serde(default)]
    pub coast_exchange_m_s: f64,
    /// Inertial speed at liftoff from the Earth's rotation, m/s.
    pub earth_rotation_m_s: f64,
    /// Inertial speed at the end of the flight, m/s.
    pub final_inertial_speed_m_s: f64,
    /// What the budget misses of the final speed, m/s.
    pub closure_error_m_s: f64,
}

impl LossBudgetReport {
    /// The budget to 0.01 m/s (its closure to 0.001 m/s).
    pub fn new(b: &LossBudget) -> Result<Self> {
        check_finite(
            "loss budget",
            [
                b.ideal_delta_v_m_s,
                b.gravity_loss_m_s,
                b.drag_loss_m_s,
                b.steering_loss_m_s,
                b.thrust_loss_m_s,
                b.coast_exchange_m_s,
                b.earth_rotation_m_s,
                b.final_speed_m_s,
            ],
        )?;
        Ok(LossBudgetReport {
            ideal_delta_v_m_s: round(b.ideal_delta_v_m_s, 2),
            gravity_loss_m_s: round(b.gravity_loss_m_s, 2),
            drag_loss_m_s: round(b.drag_loss_m_s, 2),
            steering_loss_m_s: round(b.steering_loss_m_s, 2),
            thrust_loss_m_s: round(b.thrust_loss_m_s, 2),
            coast_exchange_m_s: round(b.coast_exchange_m_s, 2),
            earth_rotation_m_s: round(b.earth_rotation_m_s, 2),
            final_inertial_speed_m_s: round(b.final_speed_m_s, 2),
            closure_error_m_s: round(b.closure_error_m_s(), 3),
        })
    }
}

/// The mass items a published payload leaves out, and every default of the vehicle format the
/// run used with its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarginsReport {
    /// Share of the last stage's usable propellant kept unburned (a fraction of one).
    pub flight_performance_reserve: f64,
    /// That reserve, kg.
    pub flight_performance_reserve_kg: f64,
    /// Payload adapter and separation system, flown with the payload and not counted as payload, kg.
    pub payload_adapter_mass_kg: f64,
    /// Residual and start-up propellant of each stage (all its units).
    pub residuals: Vec<StageResidualReport>,
    /// Items jettisoned on the way (interstages, escape towers).
    pub jettison: Vec<JettisonItemReport>,
    /// Defaults of the format the vehicle file left in force.
    pub defaults_used: Vec<DefaultUsedReport>,
}

/// A stage's residual and start-up propellant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageResidualReport {
    /// Stage name.
    pub stage: String,
    /// Propellant left unburned in the tanks and lines, all units, kg.
    pub residual_kg: f64,
    /// Propellant burned before rated thrust, kg.
    pub startup_propellant_kg: f64,
}

/// A jettisoned item of the vehicle file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JettisonItemReport {
    /// Its name.
    pub name: String,
    /// Its mass, kg.
    pub mass_kg: f64,
    /// When it is dropped (`at 300 s`, `2 s after the separation of Core (Block A)`).
    pub when: String,
}

/// A default of the format in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultUsedReport {
    /// Key path (`stage[2].residual_mass_kg`); its suffix names the unit of `value`.
    pub key: String,
    /// The value used, in the unit of the key.
    pub value: f64,
    /// How it follows from the default.
    pub rule: String,
}

impl MarginsReport {
    /// The margins of a vehicle, to 0.1 kg.
    pub fn new(vehicle: &Vehicle) -> Self {
        let reserve_kg: f64 = vehicle.stages.iter().map(|s| s.reserve_mass_kg * f64::from(s.units)).sum();
        MarginsReport {
            flight_performance_reserve: vehicle.margins.flight_performance_reserve,
            flight_performance_reserve_kg: round(reserve_kg, 1),
            payload_adapter_mass_kg: round(vehicle.margins.payload_adapter_mass_kg, 1),
            residuals: vehicle
                .stages
                .iter()
                .map(|s| StageResidualReport {
                    stage: s.name.clone(),
                    residual_kg: round(s.residual_mass_kg * f64::from(s.units), 1),
                    startup_propellant_kg: round(s.startup_mass_kg(), 1),
                })
                .collect(),
            jettison: vehicle
                .jettison
                .iter()
                .map(|j| JettisonItemReport {
                    name: j.name.clone(),
                    mass_kg: round(j.mass_kg, 1),
                    when: match j.trigger {
                        JettisonTrigger::AfterSeparation { stage, delay_s } => {
                            format!("{delay_s} s after the separation of {}", vehicle.stages.get(stage).map_or("?", |s| s.name.as_str()))
                        }
                        JettisonTrigger::Time(t) => format!("at {t} s"),
                    },
                })
                .collect(),
            defaults_used: vehicle
                .defaults_used
                .iter()
                .map(|d| DefaultUsedReport { key: d.key.clone(), value: round(d.value, 4), rule: d.rule.clone() })
                .collect(),
        }
    }
}

/// The designated zones an ascent was shaped to, each selected body's nominal fall measured
/// against its zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneChecksReport {
    /// Name of the zone set (`Baikonur, ISS launches`).
    pub name: String,
    /// One entry per zone and body it selects, in zone order.
    pub zones: Vec<ZoneCheckReport>,
}

/// One body's nominal fall against its zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneCheckReport {
    /// Zone name.
    pub zone: String,
    /// Which bodies the zone is for, as its file states it (`booster`).
    pub stage: String,
    /// The body measured.
    pub body: String,
    /// Zone centre latitude, degrees.
    pub latitude_deg: f64,
    /// Zone centre longitude, degrees.
    pub longitude_deg: f64,
    /// Zone radius, km.
    pub radius_km: f64,
    /// Margin kept inside the edge, km.
    pub margin_km: f64,
    /// Great-circle distance of the nominal impact from the centre, km; `null` when the body
    /// does not come down.
    pub nominal_distance_km: Option<f64>,
    /// Whether the nominal impact lies inside, the margin kept.
    pub inside: bool,
}

impl ZoneChecksReport {
    /// The checks of a zone set.
    pub fn new(zones: &DesignatedZones, checks: &[ZoneCheck]) -> Self {
        ZoneChecksReport {
            name: zones.name.clone(),
            zones: checks
                .iter()
                .map(|c| {
                    let z = &zones.zones[c.zone];
                    ZoneCheckReport {
                        zone: z.name.clone(),
                        stage: z.bodies.to_string(),
                        body: c.body.clone(),
                        latitude_deg: round(z.latitude_deg, 4),
                        longitude_deg: round(z.longitude_deg, 4),
                        radius_km: round(z.radius_km, 3),
                        margin_km: round(z.margin_km, 3),
                        nominal_distance_km: c.distance_km.filter(|d| d.is_finite()).map(|d| round(d, 2)),
                        inside: c.inside,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dogleg past the threshold is said with its degrees and the steering loss; a trim of a
    /// few degrees is not.
    #[test]
    fn a_large_dogleg_is_noted() {
        assert_eq!(dogleg_note(LARGE_DOGLEG_DEG, 300.0), None);
        assert_eq!(dogleg_note(-4.2, 300.0), None);
        let note = dogleg_note(-84.198, 2659.17).expect("noted");
        assert!(note.starts_with("large dogleg: the ascent turns its plane 84.2° out of the air"), "{note}");
        assert!(note.contains("2659 m/s"), "{note}");
    }

    const VEHICLE: &str = "format = 1\nname = \"T\"\n[[engine]]\nid = \"E\"\npropellant = \"x\"\nthrust_vac_kn = 100\nisp_vac_s = 300\n[[stage]]\nname = \"S\"\nengine = \"E\"\ndry_mass_kg = 100\npropellant_mass_kg = 1000\ndiameter_m = 1\n";

    /// A figure that rounds to zero from below is +0 (JSON `0.0`, not `-0.0`); others round as
    /// usual, sign kept.
    #[test]
    fn a_largest_payload_is_rounded_down_so_that_it_flies() {
        assert_eq!(payload_down_kg(26179.873), 26179.8);
        assert_eq!(payload_down_kg(26179.8), 26179.8);
        assert_eq!(payload_down_kg(7000.3), 7000.3);
        assert_eq!(payload_down_kg(0.04), 0.0);
        assert_eq!(payload_down_kg(-0.0).to_string(), "0");
    }

    #[test]
    fn rounding_to_zero_from_below_gives_positive_zero() {
        assert!(round(-1e-9, 2).is_sign_positive());
        assert_eq!(serde_json::to_string(&round(-1e-9, 2)).unwrap(), "0.0");
        assert_eq!(round(-0.126, 2), -0.13);
        assert_eq!(round(2.345_1, 3), 2.345);
    }

    /// The orbit reached gives its argument of perigee as the elements of its state say: Ariane's
    /// reference GTO (250 × 35,943 km at 6°, ω 178°) read back from a state on it, the angle
    /// kept within 0–360° when it rounds up to a full turn, and none for a nearly circular orbit.
    #[test]
    fn an_eccentric_orbit_reached_reports_its_argument_of_perigee() {
        use crate::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
        use crate::environment::elements::OrbitalElements;
        let (perigee_m, apogee_m) = (WGS84_A_M + 250e3, WGS84_A_M + 35_943e3);
        let gto = OrbitalElements {
            semi_major_axis_m: (perigee_m + apogee_m) / 2.0,
            eccentricity: (apogee_m - perigee_m) / (apogee_m + perigee_m),
            inclination_rad: 6f64.to_radians(),
            raan_rad: 1.0,
            arg_perigee_rad: 178f64.to_radians(),
            true_anomaly_rad: 0.3,
        };
        let reached = |o: &OrbitalElements| {
            let (r, v) = o.to_state(MU_EARTH_M3_S2);
            OrbitalElements::from_state(&r, &v, MU_EARTH_M3_S2)
        };
        let o = reached(&gto);
        assert_eq!(OrbitReport::of(&o).argument_of_perigee_deg, Some(178.0));
        assert_eq!(super::super::flight::FinalOrbitReport::of(&o).argument_of_perigee_deg, Some(178.0));
        let near_a_turn = reached(&OrbitalElements { arg_perigee_rad: std::f64::consts::TAU - 1e-8, ..gto });
        assert_eq!(OrbitReport::of(&near_a_turn).argument_of_perigee_deg, Some(0.0));
        let circular = OrbitalElements { semi_major_axis_m: WGS84_A_M + 200e3, eccentricity: 3e-4, ..gto };
        assert_eq!(OrbitReport::of(&reached(&circular)).argument_of_perigee_deg, None);
        // A target has none, unless it holds one.
        assert_eq!(OrbitReport::new(250e3, 35_943e3, 6.0).argument_of_perigee_deg, None);
        let gto = crate::optimize::payload::TargetOrbit {
            perigee_m: 250e3,
            apogee_m: 35_943e3,
            inclination_deg: 6.0,
            argument_of_perigee_deg: None,
        };
        assert_eq!(OrbitReport::target(&gto), OrbitReport::new(250e3, 35_943e3, 6.0));
        let held = crate::optimize::payload::TargetOrbit { argument_of_perigee_deg: Some(178.0), ..gto };
        assert_eq!(OrbitReport::target(&held).argument_of_perigee_deg, Some(178.0));
    }

    #[test]
    fn loss_budget_closes_and_refuses_holes() {
        let b = LossBudget {
            ideal_delta_v_m_s: 9000.0,
            gravity_loss_m_s: 1200.0,
            drag_loss_m_s: 100.0,
            steering_loss_m_s: 300.0,
            thrust_loss_m_s: 150.0,
            coast_exchange_m_s: 0.0,
            earth_rotation_m_s: 400.0,
            final_speed_m_s: 7650.5,
        };
        let r = LossBudgetReport::new(&b).expect("finite");
        assert_eq!(r.closure_error_m_s, 0.5);
        assert!(LossBudgetReport::new(&LossBudget { drag_loss_m_s: f64::NAN, ..b }).is_err());
    }

    #[test]
    fn margins_list_the_defaults_in_force() {
        let (v, _) = Vehicle::from_toml(VEHICLE, "t.toml").expect("valid");
        let m = MarginsReport::new(&v);
        let keys: Vec<&str> = m.defaults_used.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["stage[1].residual_mass_kg", "margins.flight_performance_reserve", "margins.payload_adapter_mass_kg"]);
        assert_eq!(m.residuals[0].residual_kg, 12.5);
    }
}
