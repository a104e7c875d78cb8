//! Where spent stages fall: the ballistic fall of every jettisoned body from its separation
//! state ([`fall`](mod@fall)), Monte Carlo dispersions of that fall ([`dispersion`], [`monte_carlo`]) and
//! the drop-zone footprints drawn from the impacts ([`footprint`](mod@footprint)); a body left in orbit has no
//! drop zone, but an orbit and an estimated lifetime ([`decay`]).
//!
//! A spent stage tumbles, so its drag is that of a tumbling body: one drag coefficient and one
//! reference area per body, from the vehicle file's `tumbling` or from the defaults per kind
//! below ([`body_tumbling`]). Distances from the pad are great-circle distances on the mean
//! sphere (IUGG mean radius, 6371.0088 km): the convention of range-safety maps, within 0.5 % of
//! the ellipsoidal geodesic.

pub mod decay;
pub mod designated;
pub mod dispersion;
pub mod fall;
pub mod footprint;
pub mod monte_carlo;
pub mod wind;

pub use designated::{DesignatedZone, DesignatedZones, ZoneBodies};
pub use dispersion::Dispersions;
pub use fall::{fall, instantaneous_impact_point, Air, FallOptions, FallOutcome, FallStart, Impact};
pub use footprint::{footprint, Footprint, GeoPoint};
pub use monte_carlo::{run_monte_carlo, AscentReplay, BodyImpacts, MonteCarloSetup, SampleImpact};
pub use wind::WindProfile;

use crate::environment::earth::great_circle_distance_m;
use crate::error::Result;
use crate::flight::{FlightPoint, JettisonedBody, Launch};
use crate::vehicle::{StageKind, Tumbling, Vehicle};

/// Weight of node `k` of `n` (even) in Simpson's rule, before the `h/3` factor: 1 at the ends,
/// 4 at odd nodes, 2 at even ones. The fall's terminal descent and the orbit decay both
/// integrate tabulated air this way.
pub(crate) fn simpson_weight(k: usize, n: usize) -> f64 {
    if k == 0 || k == n {
        1.0
    } else if k % 2 == 1 {
        4.0
    } else {
        2.0
    }
}

/// Drag coefficient of a tumbling stage on its mean projected area: a tumbling cylinder averages
/// about 0.8 subsonic and 1.1–1.3 hypersonic (Newtonian); 1.0 sits between.
pub const DEFAULT_STAGE_CD: f64 = 1.0;
/// Drag coefficient of a tumbling fairing half: an open shell catches more air than a closed one.
pub const DEFAULT_FAIRING_CD: f64 = 1.3;
/// Assumed length over diameter of a strap-on booster (Soyuz 19.6/2.68 m = 7.3; URM-1 25.1/2.9 = 8.7).
pub const BOOSTER_FINENESS: f64 = 7.5;
/// Assumed length over diameter of a core stage (Soyuz Block A 27.1/2.95 m = 9.2; URM-1 8.7).
pub const CORE_FINENESS: f64 = 9.0;
/// Assumed length over diameter of an upper stage (Block I 6.7/2.66 m = 2.5; URM-2 6.9/3.6 = 1.9).
pub const UPPER_FINENESS: f64 = 2.5;
/// Assumed length of a fairing over its diameter, the diameter being the widest stage's.
pub const FAIRING_FINENESS: f64 = 3.0;

/// Mean projected area of a closed cylinder over all orientations, m²: a quarter of its surface
/// (Cauchy's theorem for convex bodies), the area a randomly tumbling body shows the flow.
pub fn tumbling_cylinder_area_m2(diameter_m: f64, length_m: f64) -> f64 {
    let d = diameter_m;
    0.25 * (std::f64::consts::PI * d * length_m + 0.5 * std::f64::consts::PI * d * d)
}

/// The tumbling drag of a jettisoned body: the vehicle file's `tumbling` when given, otherwise
/// the default of its kind, sized by its diameter (see `docs/dropzones.md`).
pub fn body_tumbling(vehicle: &Vehicle, body: &JettisonedBody) -> Tumbling {
    match body.stage.and_then(|i| vehicle.stages.get(i)) {
        Some(stage) => stage.tumbling.unwrap_or_else(|| {
            let fineness = match stage.kind {
                StageKind::Booster => BOOSTER_FINENESS,
                StageKind::Core => CORE_FINENESS,
                StageKind::Upper => UPPER_FINENESS,
            };
            Tumbling { cd: DEFAULT_STAGE_CD, area_m2: tumbling_cylinder_area_m2(stage.diameter_m, fineness * stage.diameter_m) }
        }),
        None => vehicle.fairing.and_then(|f| f.tumbling).unwrap_or_else(|| {
            let d = vehicle.stages.iter().map(|s| s.diameter_m).fold(1.0, f64::max);
            // A half shell, seen from all sides: a quarter of both faces of half the cylinder wall.
            Tumbling { cd: DEFAULT_FAIRING_CD, area_m2: 0.25 * std::f64::consts::PI * d * FAIRING_FINENESS * d }
        }),
    }
}

/// Great-circle distance on the mean sphere from the pad to a point, m.
pub fn downrange_m(launch: &Launch, latitude_deg: f64, longitude_deg: f64) -> f64 {
    great_circle_distance_m(
        launch.latitude_deg.to_radians(),
        launch.longitude_deg.to_radians(),
        latitude_deg.to_radians(),
        longitude_deg.to_radians(),
    )
}

/// The vacuum instantaneous impact point of a state of the ascent (see
/// [`instantaneous_impact_point`]) with its great-circle distance from the pad, km; `None` when
/// the arc from that state does not come down.
pub fn iip_with_downrange(point: &FlightPoint, launch: &Launch) -> Option<(Impact, f64)> {
    let impact = instantaneous_impact_point(&FallStart::from(point))?;
    let downrange_km = downrange_m(launch, impact.latitude_deg, impact.longitude_deg) / 1e3;
    Some((impact, downrange_km))
}

/// The nominal (undispersed) fall of one jettisoned body.
#[derive(Debug, Clone, PartialEq)]
pub struct NominalImpact {
    /// Body name (`URM-1 boosters`, `fairing`).
    pub name: String,
    /// Stage index; `None` for the fairing.
    pub stage: Option<usize>,
    /// Tumbling drag used.
    pub tumbling: Tumbling,
    /// How the fall ended.
    pub outcome: FallOutcome,
    /// Distance from the pad when it came down, km.
    pub downrange_km: Option<f64>,
}

impl NominalImpact {
    /// The impact, if the body came down.
    pub fn impact(&self) -> Option<&Impact> {
        self.outcome.impact()
    }
}

/// The nominal impact of every jettisoned body of a flight (in order of separation), in the
/// co-rotating air with the given wind profile.
pub fn nominal_impacts(
    vehicle: &Vehicle,
    launch: &Launch,
    jettisoned: &[JettisonedBody],
    wind: Option<&WindProfile>,
    options: &FallOptions,
) -> Result<Vec<NominalImpact>> {
    let air = Air { wind, ..Air::default() };
    jettisoned
        .iter()
        .map(|body| {
            let tumbling = body_tumbling(vehicle, body);
            let outcome = fall(&FallStart::from(&body.point), body.mass_kg, &tumbling, &air, options)?;
            let downrange_km = outcome.impact().map(|i| downrange_m(launch, i.latitude_deg, i.longitude_deg) / 1e3);
            Ok(NominalImpact { name: body.name.clone(), stage: body.stage, tumbling, outcome, downrange_km })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iip_along_a_lob_moves_downrange_as_the_speed_grows() {
        use crate::environment::earth::{enu_basis, geodetic_to_ecef, Geodetic};
        use crate::environment::frames::ecef_to_eci_velocity;
        let launch = Launch { latitude_deg: 46.0, longitude_deg: 63.5, altitude_m: 100.0, azimuth_deg: 62.0 };
        let (lat, lon) = (46.2f64.to_radians(), 64.0f64.to_radians());
        let r = geodetic_to_ecef(&Geodetic { latitude_rad: lat, longitude_rad: lon, altitude_m: 40e3 });
        let [east, north, up] = enu_basis(lat, lon);
        let point_at = |speed: f64| {
            let v = speed * (0.6 * up + 0.8 * (0.88 * east + 0.47 * north));
            let p = FlightPoint {
                time_s: 100.0,
                position_eci_m: crate::environment::frames::ecef_to_eci_position(&r, 100.0),
                velocity_eci_m_s: crate::environment::frames::ecef_to_eci_position(&ecef_to_eci_velocity(&r, &v, 0.0), 100.0),
                altitude_m: 40e3,
                latitude_deg: 46.2,
                longitude_deg: 64.0,
                speed_m_s: speed,
                air_speed_m_s: speed,
                flight_path_angle_deg: 37.0,
                mass_kg: 1.0,
                thrust_n: 0.0,
                dynamic_pressure_pa: 0.0,
                mach: 0.0,
                axial_accel_g: 0.0,
            };
            iip_with_downrange(&p, &launch).expect("comes down").1
        };
        let (slow, fast) = (point_at(1_000.0), point_at(2_000.0));
        assert!(slow > 50.0 && fast > slow + 150.0, "{slow} km then {fast} km");
    }

    #[test]
    fn default_areas_scale_with_the_stage() {
        // A 2.68 m × 20.1 m booster shows about 45 m² on average.
        let a = tumbling_cylinder_area_m2(2.68, 7.5 * 2.68);
        assert!((a - 45.1).abs() < 0.1, "{a}");
    }
}
