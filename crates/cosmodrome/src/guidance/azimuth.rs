//! Launch azimuth from the site latitude and the target inclination, corrected for the
//! eastward velocity the Earth's rotation lends the vehicle on the pad.
//!
//! Spherical trigonometry gives the inertial azimuth `sin β_I = cos i / cos φ`; the vehicle
//! already moves east at `ω R cos φ`, so the azimuth to fly relative to the ground is the
//! direction of the velocity still to be gained (Vallado, *Fundamentals of Astrodynamics and
//! Applications*, 4th ed., §6.4; Curtis, *Orbital Mechanics for Engineering Students*, §4.7).

use crate::environment::earth::{MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, WGS84_A_M};
use crate::error::{Error, Result};

/// Which of the two launch directions that reach an inclination to fly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Branch {
    /// Northward leg: the vehicle crosses the site latitude going north (ascending node behind it).
    #[default]
    Northbound,
    /// Southward leg (e.g. sun-synchronous launches from Vandenberg).
    Southbound,
}

impl Branch {
    /// The branch a front end's `southbound` switch asks for (`--southbound`, the web API's and
    /// Python's `southbound`): northbound unless it is set.
    pub fn from_southbound(southbound: bool) -> Self {
        if southbound {
            Branch::Southbound
        } else {
            Branch::Northbound
        }
    }

    /// The other leg to the same inclination.
    pub fn other(self) -> Self {
        match self {
            Branch::Northbound => Branch::Southbound,
            Branch::Southbound => Branch::Northbound,
        }
    }

    /// `northbound` or `southbound`, as the front ends' `southbound` switch names the legs.
    pub fn name(self) -> &'static str {
        match self {
            Branch::Northbound => "northbound",
            Branch::Southbound => "southbound",
        }
    }
}

/// A launch azimuth with the inertial azimuth it came from, degrees clockwise from north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaunchAzimuth {
    /// Azimuth to fly over the rotating Earth, degrees in [0, 360).
    pub azimuth_deg: f64,
    /// Azimuth of the orbit plane at the site in inertial space, degrees in [0, 360).
    pub inertial_azimuth_deg: f64,
}

/// Launch azimuth that puts a vehicle launched at `latitude_deg` into an orbit of
/// `inclination_deg`, for a circular target orbit at `orbit_altitude_m` above the equatorial
/// radius (the orbital speed enters the rotation correction).
///
/// Errors when the inclination is below the site latitude (direct ascent cannot reach it) or
/// an input is not finite.
pub fn launch_azimuth(latitude_deg: f64, inclination_deg: f64, orbit_altitude_m: f64, branch: Branch) -> Result<LaunchAzimuth> {
    if !latitude_deg.is_finite() || latitude_deg.abs() > 90.0 {
        return Err(Error::invalid("latitude", format!("must be within ±90°, got {latitude_deg}")));
    }
    if !inclination_deg.is_finite() || !(0.0..=180.0).contains(&inclination_deg) {
        return Err(Error::invalid("inclination", format!("must be within 0–180°, got {inclination_deg}")));
    }
    if !orbit_altitude_m.is_finite() || orbit_altitude_m <= -WGS84_A_M * 0.5 {
        return Err(Error::invalid("orbit altitude", format!("got {orbit_altitude_m} m")));
    }
    let phi = latitude_deg.to_radians();
    let inc = inclination_deg.to_radians();
    let sin_beta = inc.cos() / phi.cos();
    // A small tolerance lets an inclination equal to the latitude (rounded) through: that is a due-east launch.
    if sin_beta.abs() > 1.0 + 1e-9 {
        let lowest = latitude_deg.abs();
        return Err(Error::Unreachable(format!(
            "inclination {inclination_deg}° cannot be reached by direct ascent from latitude {latitude_deg:.3}°: \
             the lowest reachable is {lowest:.3}° (prograde) and the highest {:.3}° (retrograde)",
            180.0 - lowest
        )));
    }
    let beta_inertial = sin_beta.clamp(-1.0, 1.0).asin();
    let beta_inertial = match branch {
        Branch::Northbound => beta_inertial,
        Branch::Southbound => std::f64::consts::PI - beta_inertial,
    };
    let v_orbit = (MU_EARTH_M3_S2 / (WGS84_A_M + orbit_altitude_m)).sqrt();
    let v_rotation = OMEGA_EARTH_RAD_S * WGS84_A_M * phi.cos();
    let east = v_orbit * beta_inertial.sin() - v_rotation;
    let north = v_orbit * beta_inertial.cos();
    let azimuth = east.atan2(north);
    Ok(LaunchAzimuth { azimuth_deg: normalize_deg(azimuth.to_degrees()), inertial_azimuth_deg: normalize_deg(beta_inertial.to_degrees()) })
}

/// Inclination of the orbit a vehicle reaches when it flies the ground azimuth `azimuth_deg`
/// from `latitude_deg` (inverse of [`launch_azimuth`]).
pub fn inclination_from_azimuth(latitude_deg: f64, azimuth_deg: f64, orbit_altitude_m: f64) -> f64 {
    let phi = latitude_deg.to_radians();
    let az = azimuth_deg.to_radians();
    let v_orbit = (MU_EARTH_M3_S2 / (WGS84_A_M + orbit_altitude_m.max(-WGS84_A_M * 0.5))).sqrt();
    let v_rotation = OMEGA_EARTH_RAD_S * WGS84_A_M * phi.cos();
    // Inertial velocity direction = relative direction plus the pad's eastward velocity, at orbital speed.
    // Solve |v_rel| so that |v_rel·d + v_rot·east| = v_orbit.
    let (de, dn) = (az.sin(), az.cos());
    let b = v_rotation * de;
    let c = v_rotation * v_rotation - v_orbit * v_orbit;
    let speed_rel = -b + (b * b - c).max(0.0).sqrt();
    let east = speed_rel * de + v_rotation;
    let north = speed_rel * dn;
    let beta_inertial = east.atan2(north);
    (phi.cos() * beta_inertial.sin()).clamp(-1.0, 1.0).acos().to_degrees()
}

fn normalize_deg(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    if r >= 360.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_east_when_inclination_equals_latitude() {
        let a = launch_azimuth(28.5, 28.5, 200e3, Branch::Northbound).unwrap();
        assert!((a.azimuth_deg - 90.0).abs() < 1e-3, "{a:?}");
    }

    #[test]
    fn rotation_correction_pushes_prograde_azimuths_north() {
        // Inertial azimuth for 51.9° from Vostochny is close to 90°; the rotation correction
        // tilts the ground azimuth further north for a prograde orbit.
        let a = launch_azimuth(51.884, 63.0, 200e3, Branch::Northbound).unwrap();
        assert!(a.azimuth_deg < a.inertial_azimuth_deg);
        // Retrograde (sun-synchronous) launches head north-west, corrected further west.
        let s = launch_azimuth(51.884, 97.5, 200e3, Branch::Northbound).unwrap();
        assert!(s.azimuth_deg > 270.0 && s.azimuth_deg < s.inertial_azimuth_deg, "{s:?}");
        let south = launch_azimuth(34.632, 97.5, 500e3, Branch::Southbound).unwrap();
        assert!(south.azimuth_deg > 180.0 && south.azimuth_deg < 200.0, "{south:?}");
    }

    #[test]
    fn inverse_recovers_inclination() {
        for &(lat, inc) in &[(51.884, 51.9), (51.884, 63.0), (45.996, 51.6), (5.3, 5.4), (62.93, 97.5), (28.56, 28.56)] {
            let a = launch_azimuth(lat, inc, 200e3, Branch::Northbound).unwrap();
            let back = inclination_from_azimuth(lat, a.azimuth_deg, 200e3);
            assert!((back - inc).abs() < 1e-6, "lat {lat} inc {inc}: {back}");
        }
    }

    #[test]
    fn inclination_below_latitude_is_unreachable() {
        let e = launch_azimuth(51.884, 51.7, 200e3, Branch::Northbound).unwrap_err();
        assert!(e.to_string().contains("51.884"), "{e}");
        assert!(launch_azimuth(f64::NAN, 51.7, 200e3, Branch::Northbound).is_err());
    }
}
