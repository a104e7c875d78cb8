//! Physical constants and unit conversions used across the core.
//!
//! Quantities carry their unit in their name (`thrust_vac_n`, `altitude_m`); this module only
//! holds the few constants and conversions that several layers need.

/// Standard gravity used to convert specific impulse to effective exhaust velocity, m/s².
pub const G0_M_S2: f64 = 9.80665;

/// Degrees to radians.
#[inline]
pub fn deg_to_rad(deg: f64) -> f64 {
    deg.to_radians()
}

/// Radians to degrees.
#[inline]
pub fn rad_to_deg(rad: f64) -> f64 {
    rad.to_degrees()
}

/// Effective exhaust velocity for a specific impulse, m/s.
#[inline]
pub fn exhaust_velocity_m_s(isp_s: f64) -> f64 {
    isp_s * G0_M_S2
}

/// Wrap an angle to (-π, π].
#[inline]
pub fn wrap_pi(angle_rad: f64) -> f64 {
    let two_pi = std::f64::consts::TAU;
    let mut a = angle_rad % two_pi;
    if a <= -std::f64::consts::PI {
        a += two_pi;
    } else if a > std::f64::consts::PI {
        a -= two_pi;
    }
    a
}

/// Angle in degrees wrapped to (−180, 180].
pub fn wrap_degrees(deg: f64) -> f64 {
    wrap_pi(deg.to_radians()).to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_pi_keeps_range() {
        for k in -10..10 {
            let a = 0.3 + k as f64 * std::f64::consts::TAU;
            assert!((wrap_pi(a) - 0.3).abs() < 1e-12);
        }
        assert!((wrap_pi(std::f64::consts::PI) - std::f64::consts::PI).abs() < 1e-15);
    }
}
