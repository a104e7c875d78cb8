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

/// A payload in text, kg: whole kilograms when it is whole, else to 0.1 kg as the reports state
/// it, so that a largest payload (rounded down to 0.1 kg) is not rounded up again in a title or
/// an error (26,179.8 kg read as 26,180 kg is more than the vehicle carries), and a payload given
/// as 30.5 kg is not echoed as 30 kg.
pub fn kg_text(kg: f64) -> String {
    // + 0.0 writes a negative zero as 0.
    let kg = kg + 0.0;
    if (kg - kg.round()).abs() < 0.05 {
        format!("{kg:.0}")
    } else {
        format!("{kg:.1}")
    }
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
