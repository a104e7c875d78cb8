//! Zonal gravity of the Earth: point mass, J2, and J2–J4.
//!
//! The potential is `U = μ/r · [1 − Σₙ Jₙ (a/r)ⁿ Pₙ(sin φ)]` with geocentric latitude φ. Only
//! zonal terms are kept: they depend on latitude alone, so they are the same in the inertial
//! frame aligned with the Earth-fixed one at liftoff as in the Earth-fixed frame, for any
//! rotation angle, and the ascent needs no Earth-orientation model.

use nalgebra::Vector3;

use super::earth::{MU_EARTH_M3_S2, WGS84_A_M};

/// Second zonal harmonic (WGS-84 / EGM96, unnormalised): the Earth's oblateness.
pub const J2: f64 = 1.082_626_68e-3;
/// Third zonal harmonic (EGM96, unnormalised): the pear shape.
pub const J3: f64 = -2.532_153_06e-6;
/// Fourth zonal harmonic (EGM96, unnormalised).
pub const J4: f64 = -1.610_987_61e-6;

/// Which gravity field acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GravityModel {
    /// No gravity at all (closed-form checks such as Tsiolkovsky).
    None,
    /// Spherical Earth: `−μ r / r³`.
    PointMass,
    /// Point mass plus the oblateness term J2: the contract's default.
    #[default]
    J2,
    /// Point mass plus J2, J3 and J4.
    J2J3J4,
}

impl GravityModel {
    /// Gravitational acceleration at a position (Earth-centred, z along the rotation axis), m/s².
    /// Always inlined: the callers' hot loops then share its `|r|` (one square root less).
    #[inline(always)]
    pub fn acceleration(&self, r: &Vector3<f64>) -> Vector3<f64> {
        if *self == GravityModel::None {
            return Vector3::zeros();
        }
        let r2 = r.norm_squared();
        if !(r2 > 0.0) {
            return Vector3::zeros();
        }
        let rn = r2.sqrt();
        let mu_r3 = MU_EARTH_M3_S2 / (r2 * rn);
        let mut a = -mu_r3 * r;
        if *self == GravityModel::PointMass {
            return a;
        }
        let (x, y, z) = (r.x, r.y, r.z);
        let u = z / rn;
        let u2 = u * u;
        let ar = WGS84_A_M / rn;
        // J2: a = −(3/2) J2 μ a²/r⁵ · (x(1 − 5u²), y(1 − 5u²), z(3 − 5u²)).
        let k2 = -1.5 * J2 * mu_r3 * ar * ar;
        a += Vector3::new(k2 * x * (1.0 - 5.0 * u2), k2 * y * (1.0 - 5.0 * u2), k2 * z * (3.0 - 5.0 * u2));
        if *self == GravityModel::J2 {
            return a;
        }
        // J3: a = −(5/2) J3 μ a³/r⁵ · (x(3u − 7u³), y(3u − 7u³), r(6u² − 7u⁴ − 3/5)).
        let k3 = -2.5 * J3 * mu_r3 * ar * ar * ar;
        let h3 = 3.0 * u - 7.0 * u2 * u;
        a += Vector3::new(k3 * x * h3, k3 * y * h3, k3 * rn * (6.0 * u2 - 7.0 * u2 * u2 - 0.6));
        // J4: a = (15/8) J4 μ a⁴/r⁵ · (x(1 − 14u² + 21u⁴), y(…), z(5 − 70u²/3 + 21u⁴)).
        let k4 = 1.875 * J4 * mu_r3 * ar * ar * ar * ar;
        let h4 = 1.0 - 14.0 * u2 + 21.0 * u2 * u2;
        a += Vector3::new(k4 * x * h4, k4 * y * h4, k4 * z * (5.0 - 70.0 / 3.0 * u2 + 21.0 * u2 * u2));
        a
    }

    /// Gravitational potential per unit mass, m²/s² (positive, `U → μ/r` far away), so that the
    /// acceleration is its gradient and `v²/2 − U` is conserved in a non-rotating field.
    pub fn potential(&self, r: &Vector3<f64>) -> f64 {
        let rn = r.norm();
        if *self == GravityModel::None || !(rn > 0.0) {
            return 0.0;
        }
        let mut sum = 1.0;
        if matches!(self, GravityModel::J2 | GravityModel::J2J3J4) {
            let u = r.z / rn;
            let ar = WGS84_A_M / rn;
            let p2 = 0.5 * (3.0 * u * u - 1.0);
            sum -= J2 * ar * ar * p2;
            if *self == GravityModel::J2J3J4 {
                let p3 = 0.5 * (5.0 * u * u * u - 3.0 * u);
                let p4 = (35.0 * u.powi(4) - 30.0 * u * u + 3.0) / 8.0;
                sum -= J3 * ar.powi(3) * p3 + J4 * ar.powi(4) * p4;
            }
        }
        MU_EARTH_M3_S2 / rn * sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The acceleration of every model is the gradient of its potential (checks signs and
    /// factors of each harmonic independently of a reference implementation).
    #[test]
    fn acceleration_is_the_gradient_of_the_potential() {
        let points =
            [Vector3::new(6_500e3, 1_200e3, 2_900e3), Vector3::new(-3_000e3, 4_000e3, -5_100e3), Vector3::new(100e3, -50e3, 6_400e3)];
        for model in [GravityModel::PointMass, GravityModel::J2, GravityModel::J2J3J4] {
            for r in &points {
                let a = model.acceleration(r);
                let h = 1.0;
                for i in 0..3 {
                    let mut dr = Vector3::zeros();
                    dr[i] = h;
                    let grad = (model.potential(&(r + dr)) - model.potential(&(r - dr))) / (2.0 * h);
                    assert!((grad - a[i]).abs() < 1e-7, "{model:?} component {i}: gradient {grad} vs {}", a[i]);
                }
            }
        }
    }

    #[test]
    fn surface_gravity_is_about_9_8() {
        let g_eq = GravityModel::J2.acceleration(&Vector3::new(WGS84_A_M, 0.0, 0.0)).norm();
        // Gravitation alone (no centrifugal term) at the equator: 9.814 m/s².
        assert!((g_eq - 9.814).abs() < 2e-3, "{g_eq}");
        assert_eq!(GravityModel::None.acceleration(&Vector3::new(7e6, 0.0, 0.0)), Vector3::zeros());
        assert_eq!(GravityModel::J2.acceleration(&Vector3::zeros()), Vector3::zeros());
    }
}
