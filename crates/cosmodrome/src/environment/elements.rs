//! Classical orbital elements and the two-body invariants used to judge an insertion.
//!
//! Perigee and apogee *altitudes* are measured above the equatorial radius (6378.137 km), as
//! launch-vehicle user's manuals quote orbits.

use nalgebra::Vector3;

use super::earth::{MU_EARTH_M3_S2, WGS84_A_M};
use super::gravity::J2;

/// Below this |e| or |sin i| an angle is undefined and set to zero by convention.
const SINGULAR: f64 = 1e-11;

/// Keplerian elements of an osculating orbit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitalElements {
    /// Semi-major axis, m (negative for a hyperbola).
    pub semi_major_axis_m: f64,
    /// Eccentricity.
    pub eccentricity: f64,
    /// Inclination to the equator, rad.
    pub inclination_rad: f64,
    /// Right ascension (longitude in the liftoff-aligned inertial frame) of the ascending node, rad.
    pub raan_rad: f64,
    /// Argument of perigee, rad.
    pub arg_perigee_rad: f64,
    /// True anomaly, rad.
    pub true_anomaly_rad: f64,
}

impl OrbitalElements {
    /// Elements of the orbit through a state. Never NaN: a degenerate state (zero position, a
    /// radial trajectory, an exactly parabolic speed) gets the nearest well-defined elements,
    /// with undefined angles set to zero.
    pub fn from_state(r: &Vector3<f64>, v: &Vector3<f64>, mu_m3_s2: f64) -> Self {
        let rn = r.norm().max(1.0);
        let h = r.cross(v);
        let hn = h.norm();
        let mut energy = specific_energy(r, v, mu_m3_s2);
        // A parabola has no finite semi-major axis: nudge it to a very long ellipse.
        if energy.abs() < 1e-12 * mu_m3_s2 / rn {
            energy = -1e-12 * mu_m3_s2 / rn;
        }
        let semi_major_axis_m = -mu_m3_s2 / (2.0 * energy);
        let e_vec = (v.cross(&h)) / mu_m3_s2 - r / rn;
        let mut eccentricity = e_vec.norm();
        // Near a parabola the eccentricity vector's norm and the energy may fall on opposite
        // sides of 1 by rounding (or by the nudge above), and `a·(1 − e)` then puts the perigee
        // at minus hundreds of thousands of km: take e from the energy there, e² = 1 + 2Eh²/μ².
        if (eccentricity - 1.0).abs() < 1e-6 {
            eccentricity = (1.0 + 2.0 * energy * hn * hn / (mu_m3_s2 * mu_m3_s2)).max(0.0).sqrt();
        }
        let inclination_rad = if hn > 0.0 { (h.z / hn).clamp(-1.0, 1.0).acos() } else { 0.0 };
        let node = Vector3::new(-h.y, h.x, 0.0);
        let node_n = node.norm();
        let equatorial = node_n <= SINGULAR * hn.max(1.0);
        let circular = eccentricity < SINGULAR;
        let raan_rad = if equatorial { 0.0 } else { wrap_two_pi(node.y.atan2(node.x)) };
        // Reference direction in the orbit plane from which the perigee is measured.
        let reference = if equatorial { Vector3::x() } else { node / node_n };
        let normal = if hn > 0.0 { h / hn } else { Vector3::z() };
        let angle_from = |from: &Vector3<f64>, to: &Vector3<f64>| wrap_two_pi(normal.dot(&from.cross(to)).atan2(from.dot(to)));
        let arg_perigee_rad = if circular { 0.0 } else { angle_from(&reference, &e_vec) };
        let true_anomaly_rad = if circular { angle_from(&reference, r) } else { angle_from(&e_vec, r) };
        Self { semi_major_axis_m, eccentricity, inclination_rad, raan_rad, arg_perigee_rad, true_anomaly_rad }
    }

    /// Position and velocity on the orbit at its true anomaly.
    pub fn to_state(&self, mu_m3_s2: f64) -> (Vector3<f64>, Vector3<f64>) {
        let e = self.eccentricity;
        let p = self.semi_major_axis_m * (1.0 - e * e);
        let nu = self.true_anomaly_rad;
        let r = p / (1.0 + e * nu.cos());
        let r_pf = Vector3::new(r * nu.cos(), r * nu.sin(), 0.0);
        let k = (mu_m3_s2 / p).sqrt();
        let v_pf = Vector3::new(-k * nu.sin(), k * (e + nu.cos()), 0.0);
        let rot = nalgebra::Rotation3::from_axis_angle(&Vector3::z_axis(), self.raan_rad)
            * nalgebra::Rotation3::from_axis_angle(&Vector3::x_axis(), self.inclination_rad)
            * nalgebra::Rotation3::from_axis_angle(&Vector3::z_axis(), self.arg_perigee_rad);
        (rot * r_pf, rot * v_pf)
    }

    /// Distance of the perigee from the Earth's centre, m.
    pub fn perigee_radius_m(&self) -> f64 {
        self.semi_major_axis_m * (1.0 - self.eccentricity)
    }

    /// Distance of the apogee from the Earth's centre, m; infinite on an escape trajectory.
    pub fn apogee_radius_m(&self) -> f64 {
        if self.eccentricity < 1.0 {
            self.semi_major_axis_m * (1.0 + self.eccentricity)
        } else {
            f64::INFINITY
        }
    }

    /// Perigee altitude above the equatorial radius, m (may be negative: a suborbital arc).
    pub fn perigee_altitude_m(&self) -> f64 {
        self.perigee_radius_m() - WGS84_A_M
    }

    /// Apogee altitude above the equatorial radius, m.
    pub fn apogee_altitude_m(&self) -> f64 {
        self.apogee_radius_m() - WGS84_A_M
    }

    /// Characteristic energy, C3 = −μ/a, m²/s²: positive on a hyperbola, negative when bound.
    pub fn c3_m2_s2(&self, mu_m3_s2: f64) -> f64 {
        -mu_m3_s2 / self.semi_major_axis_m
    }

    /// Orbital period, s (infinite when not bound).
    pub fn period_s(&self, mu_m3_s2: f64) -> f64 {
        if self.semi_major_axis_m > 0.0 && self.eccentricity < 1.0 {
            std::f64::consts::TAU * (self.semi_major_axis_m.powi(3) / mu_m3_s2).sqrt()
        } else {
            f64::INFINITY
        }
    }
}

fn wrap_two_pi(x: f64) -> f64 {
    let y = x.rem_euclid(std::f64::consts::TAU);
    if y.is_finite() {
        y
    } else {
        0.0
    }
}

/// Specific orbital energy `v²/2 − μ/r`, J/kg.
#[inline]
pub fn specific_energy(r: &Vector3<f64>, v: &Vector3<f64>, mu_m3_s2: f64) -> f64 {
    0.5 * v.norm_squared() - mu_m3_s2 / r.norm()
}

/// Speed on an Earth orbit of semi-major axis `a_m` at radius `r_m` (vis-viva), m/s; zero
/// beyond the apogee.
#[inline]
pub fn vis_viva_speed_m_s(r_m: f64, a_m: f64) -> f64 {
    (MU_EARTH_M3_S2 * (2.0 / r_m - 1.0 / a_m)).max(0.0).sqrt()
}

/// Speed on a circular Earth orbit of radius `r_m`, m/s.
#[inline]
pub fn circular_speed_m_s(r_m: f64) -> f64 {
    (MU_EARTH_M3_S2 / r_m).sqrt()
}

/// Specific angular momentum `r × v`, m²/s.
#[inline]
pub fn specific_angular_momentum(r: &Vector3<f64>, v: &Vector3<f64>) -> Vector3<f64> {
    r.cross(v)
}

/// Flight-path angle: elevation of the velocity above the local horizontal (geocentric), rad.
#[inline]
pub fn flight_path_angle_rad(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
    let denominator = r.norm() * v.norm();
    if denominator > 0.0 {
        (r.dot(v) / denominator).clamp(-1.0, 1.0).asin()
    } else {
        0.0
    }
}

/// Secular drift of the ascending node under J2, rad/s:
/// `dΩ/dt = −(3/2) n J2 (a_e/p)² cos i` (e.g. Vallado, *Fundamentals of Astrodynamics*, §9.6).
pub fn j2_nodal_regression_rad_s(semi_major_axis_m: f64, eccentricity: f64, inclination_rad: f64) -> f64 {
    let n = (MU_EARTH_M3_S2 / semi_major_axis_m.powi(3)).sqrt();
    let p = semi_major_axis_m * (1.0 - eccentricity * eccentricity);
    -1.5 * n * J2 * (WGS84_A_M / p).powi(2) * inclination_rad.cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// C3 from the elements is twice the specific energy of the state they came from, on a
    /// hyperbola and on a bound orbit.
    #[test]
    fn c3_is_twice_the_specific_energy() {
        let r = Vector3::new(6_578e3, 0.0, 0.0);
        for v in [Vector3::new(0.0, 11_500.0, 1_000.0), Vector3::new(0.0, 7_800.0, 300.0)] {
            let c3 = OrbitalElements::from_state(&r, &v, MU_EARTH_M3_S2).c3_m2_s2(MU_EARTH_M3_S2);
            let twice_energy = 2.0 * specific_energy(&r, &v, MU_EARTH_M3_S2);
            assert!((c3 - twice_energy).abs() < 1e-6 * twice_energy.abs(), "{c3} against {twice_energy}");
        }
    }

    #[test]
    fn state_round_trip() {
        let o = OrbitalElements {
            semi_major_axis_m: 7_200e3,
            eccentricity: 0.05,
            inclination_rad: 1.7,
            raan_rad: 4.0,
            arg_perigee_rad: 2.5,
            true_anomaly_rad: 0.7,
        };
        let (r, v) = o.to_state(MU_EARTH_M3_S2);
        let b = OrbitalElements::from_state(&r, &v, MU_EARTH_M3_S2);
        assert!((b.semi_major_axis_m - o.semi_major_axis_m).abs() < 1e-5);
        assert!((b.eccentricity - o.eccentricity).abs() < 1e-12);
        for (x, y) in [
            (b.inclination_rad, o.inclination_rad),
            (b.raan_rad, o.raan_rad),
            (b.arg_perigee_rad, o.arg_perigee_rad),
            (b.true_anomaly_rad, o.true_anomaly_rad),
        ] {
            assert!((x - y).abs() < 1e-10, "{x} vs {y}");
        }
    }

    #[test]
    fn circular_orbit_altitudes_are_above_the_equatorial_radius() {
        let r = Vector3::new(WGS84_A_M + 200e3, 0.0, 0.0);
        let speed = (MU_EARTH_M3_S2 / r.x).sqrt();
        let o = OrbitalElements::from_state(&r, &Vector3::new(0.0, speed * 0.6, speed * 0.8), MU_EARTH_M3_S2);
        assert!((o.perigee_altitude_m() - 200e3).abs() < 1e-3 && (o.apogee_altitude_m() - 200e3).abs() < 1e-3);
        assert!((o.inclination_rad - 0.8f64.atan2(0.6)).abs() < 1e-12);
        assert!(flight_path_angle_rad(&r, &Vector3::new(0.0, speed, 0.0)).abs() < 1e-15);
    }

    /// Just above and just below the escape speed at a perigee, the perigee stays where the
    /// state is (the eccentricity follows the energy's side of the parabola).
    #[test]
    fn near_parabolic_states_keep_their_perigee() {
        let r0 = WGS84_A_M + 650e3;
        let r = Vector3::new(r0, 0.0, 0.0);
        let escape = (2.0 * MU_EARTH_M3_S2 / r0).sqrt();
        for dv in [-1e-6, -1e-9, 0.0, 1e-9, 1e-6, 1e-4] {
            let o = OrbitalElements::from_state(&r, &Vector3::new(0.0, escape + dv, 0.0), MU_EARTH_M3_S2);
            assert!((o.perigee_radius_m() - r0).abs() < 1e3, "{dv} m/s over escape: perigee {} m", o.perigee_radius_m());
            assert!((o.eccentricity < 1.0) == (o.semi_major_axis_m > 0.0), "{dv}: {o:?}");
        }
    }

    #[test]
    fn degenerate_states_give_finite_elements() {
        let cases = [
            (Vector3::zeros(), Vector3::zeros()),
            (Vector3::new(7e6, 0.0, 0.0), Vector3::new(100.0, 0.0, 0.0)),
            (Vector3::new(7e6, 0.0, 0.0), Vector3::new(0.0, (2.0 * MU_EARTH_M3_S2 / 7e6).sqrt(), 0.0)),
        ];
        for (r, v) in cases {
            let o = OrbitalElements::from_state(&r, &v, MU_EARTH_M3_S2);
            assert!(o.semi_major_axis_m.is_finite() && o.eccentricity.is_finite() && o.perigee_altitude_m().is_finite(), "{o:?}");
            assert!(o.inclination_rad.is_finite() && o.raan_rad.is_finite() && o.true_anomaly_rad.is_finite());
        }
    }

    #[test]
    fn nodal_regression_of_the_iss_orbit_is_about_five_degrees_a_day() {
        let rate = j2_nodal_regression_rad_s(6_778e3, 0.0, 51.6f64.to_radians()).to_degrees() * 86_400.0;
        assert!((rate + 5.0).abs() < 0.1, "{rate} °/day");
    }
}
