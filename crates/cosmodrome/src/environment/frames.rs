//! Frames: the Earth-centred inertial frame of a flight is the Earth-fixed frame frozen at
//! liftoff (t = 0), so the two differ by a rotation `ωt` about z and no Earth-orientation model
//! (precession, nutation, polar motion) is needed for an ascent of minutes. An absolute epoch is
//! attached only by the writers that need one.

use nalgebra::Vector3;

use super::earth::OMEGA_EARTH_RAD_S;

/// The Earth's rotation vector, rad/s, along +z.
#[inline]
pub fn earth_rotation_vector() -> Vector3<f64> {
    Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S)
}

/// Rotate a vector about z by `angle_rad`.
#[inline]
fn rotate_z(v: &Vector3<f64>, angle_rad: f64) -> Vector3<f64> {
    let (s, c) = angle_rad.sin_cos();
    Vector3::new(c * v.x - s * v.y, s * v.x + c * v.y, v.z)
}

/// Inertial position at time `t_s` after liftoff → Earth-fixed position.
#[inline]
pub fn eci_to_ecef_position(r_eci: &Vector3<f64>, t_s: f64) -> Vector3<f64> {
    rotate_z(r_eci, -OMEGA_EARTH_RAD_S * t_s)
}

/// Earth-fixed position → inertial position at time `t_s` after liftoff.
#[inline]
pub fn ecef_to_eci_position(r_ecef: &Vector3<f64>, t_s: f64) -> Vector3<f64> {
    rotate_z(r_ecef, OMEGA_EARTH_RAD_S * t_s)
}

/// Inertial velocity → velocity relative to the rotating Earth, expressed in the Earth-fixed frame.
#[inline]
pub fn eci_to_ecef_velocity(r_eci: &Vector3<f64>, v_eci: &Vector3<f64>, t_s: f64) -> Vector3<f64> {
    rotate_z(&air_relative_velocity_eci(r_eci, v_eci), -OMEGA_EARTH_RAD_S * t_s)
}

/// Earth-fixed velocity (relative to the ground) → inertial velocity.
#[inline]
pub fn ecef_to_eci_velocity(r_ecef: &Vector3<f64>, v_ecef: &Vector3<f64>, t_s: f64) -> Vector3<f64> {
    rotate_z(&(v_ecef + earth_rotation_vector().cross(r_ecef)), OMEGA_EARTH_RAD_S * t_s)
}

/// Velocity relative to the co-rotating atmosphere, in the inertial frame: `v − ω × r`.
#[inline]
pub fn air_relative_velocity_eci(r_eci: &Vector3<f64>, v_eci: &Vector3<f64>) -> Vector3<f64> {
    Vector3::new(v_eci.x + OMEGA_EARTH_RAD_S * r_eci.y, v_eci.y - OMEGA_EARTH_RAD_S * r_eci.x, v_eci.z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_the_ground_is_at_rest() {
        let r = Vector3::new(3_900e3, 1_200e3, 4_900e3);
        let v = Vector3::new(10.0, -20.0, 30.0);
        let t = 1234.5;
        let r_eci = ecef_to_eci_position(&r, t);
        assert!((eci_to_ecef_position(&r_eci, t) - r).norm() < 1e-8);
        let v_eci = ecef_to_eci_velocity(&r, &v, t);
        assert!((eci_to_ecef_velocity(&r_eci, &v_eci, t) - v).norm() < 1e-10);
        // A point fixed on the ground has no air-relative velocity.
        let v_ground = earth_rotation_vector().cross(&r);
        assert!(air_relative_velocity_eci(&r, &v_ground).norm() < 1e-12);
    }
}
