//! Drop-zone footprints: the mean impact point, the 3-sigma dispersion ellipse and the convex
//! hull of a cloud of impacts.
//!
//! Impacts are projected orthographically onto the plane tangent to the ellipsoid at their mean
//! (east, north), where the covariance, its eigen-decomposition and the hull are plain 2-D
//! geometry; ellipse and hull vertices are then dropped back onto the ellipsoid along the
//! plane's normal, so a point's east/north coordinates round-trip exactly. Over a few hundred
//! kilometres the projection shortens distances by less than 0.1 %.

use nalgebra::Vector3;

use crate::environment::earth::{ecef_to_geodetic, enu_basis, geodetic_to_ecef, Geodetic, WGS84_A_M, WGS84_B_M};

/// A point on the ground.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    /// Geodetic latitude, degrees.
    pub latitude_deg: f64,
    /// Longitude, degrees east in (-180, 180].
    pub longitude_deg: f64,
}

/// The footprint of one body's impacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    /// Impacts it was drawn from.
    pub samples: usize,
    /// Mean impact point.
    pub mean: GeoPoint,
    /// Semi-major axis of the ellipse, km (`sigma` standard deviations along it).
    pub semi_major_km: f64,
    /// Semi-minor axis of the ellipse, km.
    pub semi_minor_km: f64,
    /// Direction of the major axis, degrees clockwise from north, in [0, 180).
    pub orientation_deg: f64,
    /// How many standard deviations the ellipse spans (3: 98.9 % of a 2-D normal cloud).
    pub sigma: f64,
    /// Ellipse vertices, counter-clockwise seen from above, not closed.
    pub ellipse: Vec<GeoPoint>,
    /// Convex hull vertices, counter-clockwise, not closed.
    pub hull: Vec<GeoPoint>,
}

/// The local tangent plane at a point of the ellipsoid.
struct TangentPlane {
    origin: Vector3<f64>,
    east: Vector3<f64>,
    north: Vector3<f64>,
    up: Vector3<f64>,
}

impl TangentPlane {
    fn at(point: &GeoPoint) -> Self {
        let (lat, lon) = (point.latitude_deg.to_radians(), point.longitude_deg.to_radians());
        let origin = geodetic_to_ecef(&Geodetic { latitude_rad: lat, longitude_rad: lon, altitude_m: 0.0 });
        let [east, north, up] = enu_basis(lat, lon);
        TangentPlane { origin, east, north, up }
    }

    /// East and north of a ground point, m.
    fn project(&self, point: &GeoPoint) -> (f64, f64) {
        let p = surface_ecef(point);
        let d = p - self.origin;
        (d.dot(&self.east), d.dot(&self.north))
    }

    /// The ground point whose projection is (east, north): the near intersection of the plane's
    /// normal through it with the ellipsoid.
    fn unproject(&self, east_m: f64, north_m: f64) -> GeoPoint {
        let s = self.origin + self.east * east_m + self.north * north_m;
        let d = self.up;
        let (a2, b2) = (WGS84_A_M * WGS84_A_M, WGS84_B_M * WGS84_B_M);
        let qa = (d.x * d.x + d.y * d.y) / a2 + d.z * d.z / b2;
        let qb = 2.0 * ((s.x * d.x + s.y * d.y) / a2 + s.z * d.z / b2);
        let qc = (s.x * s.x + s.y * s.y) / a2 + s.z * s.z / b2 - 1.0;
        let disc = qb * qb - 4.0 * qa * qc;
        let q = if disc >= 0.0 { s + d * ((-qb + disc.sqrt()) / (2.0 * qa)) } else { s };
        let g = ecef_to_geodetic(&q);
        GeoPoint { latitude_deg: g.latitude_rad.to_degrees(), longitude_deg: g.longitude_rad.to_degrees() }
    }
}

fn surface_ecef(p: &GeoPoint) -> Vector3<f64> {
    geodetic_to_ecef(&Geodetic { latitude_rad: p.latitude_deg.to_radians(), longitude_rad: p.longitude_deg.to_radians(), altitude_m: 0.0 })
}

/// Convex hull of planar points, counter-clockwise from the lowest-leftmost, without collinear
/// points (Andrew's monotone chain). Fewer than three distinct points come back as they are.
fn convex_hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = points.to_vec();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(2 * p.len());
    // Lower chain left to right.
    for &pt in &p {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], pt) <= 0.0 {
            hull.pop();
        }
        hull.push(pt);
    }
    // Upper chain right to left, never popping into the lower one.
    let floor = hull.len() + 1;
    for &pt in p.iter().rev().skip(1) {
        while hull.len() >= floor && cross(hull[hull.len() - 2], hull[hull.len() - 1], pt) <= 0.0 {
            hull.pop();
        }
        hull.push(pt);
    }
    hull.pop();
    hull
}

/// Fewest impacts a footprint is drawn from. The covariance of one or two points is singular:
/// their "ellipse" is a point or a line, 0 km across, which reads like a result but says nothing
/// about the dispersion.
pub const MIN_FOOTPRINT_IMPACTS: usize = 3;

/// Least spread of a cloud of impacts, m (standard deviation along its widest axis), that a
/// footprint is drawn for. Falls that coincide to a metre (every dispersion set to zero) have no
/// spread to draw: their "ellipse" is a point whose orientation is rounding noise.
pub const MIN_FOOTPRINT_SPREAD_M: f64 = 1.0;

/// Largest share of a body's dispersed falls that may stay up (in orbit, or still flying at the
/// fall's time limit) for its footprint to stand for all of them: what a 3-sigma ellipse leaves
/// outside of a normal cloud (1.1 %). Past it, the ellipse is drawn from a cut set and does not
/// bound the body's falls.
pub const INCOMPLETE_FOOTPRINT_SHARE: f64 = 0.011;

/// Whether a footprint drawn from `down` impacts, `not_down` more falls having stayed up, is
/// incomplete (see [`INCOMPLETE_FOOTPRINT_SHARE`]).
pub fn footprint_incomplete(down: usize, not_down: usize) -> bool {
    not_down as f64 > INCOMPLETE_FOOTPRINT_SHARE * (down + not_down) as f64
}

/// The footprint of a set of impact points: mean, `sigma`-sigma ellipse drawn with `vertices`
/// points, convex hull. `None` with fewer than [`MIN_FOOTPRINT_IMPACTS`] points, or when they
/// spread less than [`MIN_FOOTPRINT_SPREAD_M`].
pub fn footprint(points: &[GeoPoint], sigma: f64, vertices: usize) -> Option<Footprint> {
    if points.len() < MIN_FOOTPRINT_IMPACTS {
        return None;
    }
    let n = points.len() as f64;
    let mean_ecef = points.iter().map(surface_ecef).fold(Vector3::zeros(), |acc, p| acc + p) / n;
    let g = ecef_to_geodetic(&mean_ecef);
    let mean = GeoPoint { latitude_deg: g.latitude_rad.to_degrees(), longitude_deg: g.longitude_rad.to_degrees() };
    let plane = TangentPlane::at(&mean);
    let local: Vec<(f64, f64)> = points.iter().map(|p| plane.project(p)).collect();
    let (me, mn) = local.iter().fold((0.0, 0.0), |acc, p| (acc.0 + p.0 / n, acc.1 + p.1 / n));
    // Sample covariance (n − 1), zero for a single point.
    let dof = (n - 1.0).max(1.0);
    let (mut cee, mut cen, mut cnn) = (0.0, 0.0, 0.0);
    for &(e, nn) in &local {
        let (de, dn) = (e - me, nn - mn);
        cee += de * de / dof;
        cen += de * dn / dof;
        cnn += dn * dn / dof;
    }
    let half_trace = 0.5 * (cee + cnn);
    let radius = (0.25 * (cee - cnn).powi(2) + cen * cen).sqrt();
    let (l1, l2) = (half_trace + radius, (half_trace - radius).max(0.0));
    if !(l1.sqrt() >= MIN_FOOTPRINT_SPREAD_M) {
        return None;
    }
    // Major axis at `theta` counter-clockwise from east.
    let theta = 0.5 * (2.0 * cen).atan2(cee - cnn);
    let (a, b) = (sigma * l1.sqrt(), sigma * l2.sqrt());
    let (st, ct) = theta.sin_cos();
    let ellipse = (0..vertices)
        .map(|k| {
            let (s, c) = (std::f64::consts::TAU * k as f64 / vertices as f64).sin_cos();
            let (x, y) = (a * c, b * s);
            plane.unproject(me + x * ct - y * st, mn + x * st + y * ct)
        })
        .collect();
    let hull = convex_hull(&local).into_iter().map(|(e, nn)| plane.unproject(e, nn)).collect();
    Some(Footprint {
        samples: points.len(),
        mean,
        semi_major_km: a / 1e3,
        semi_minor_km: b / 1e3,
        orientation_deg: (90.0 - theta.to_degrees()).rem_euclid(180.0),
        sigma,
        ellipse,
        hull,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_of_a_square_with_inner_points() {
        let pts = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.5), (0.2, 0.7), (0.5, 0.0)];
        assert_eq!(convex_hull(&pts), vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]);
    }

    #[test]
    fn projection_round_trips() {
        let plane = TangentPlane::at(&GeoPoint { latitude_deg: 60.0, longitude_deg: 120.0 });
        let p = plane.unproject(80e3, -150e3);
        let (e, n) = plane.project(&p);
        assert!((e - 80e3).abs() < 1e-6 && (n + 150e3).abs() < 1e-6, "{e} {n}");
    }

    /// Falls that coincide (a run with every dispersion zero) or spread less than a metre have
    /// no footprint; a cloud spread along one line alone still has one, its minor axis zero.
    #[test]
    fn falls_without_spread_have_no_footprint() {
        let at = GeoPoint { latitude_deg: 47.3, longitude_deg: 65.1 };
        assert!(footprint(&[at; 50], 3.0, 72).is_none());
        let plane = TangentPlane::at(&at);
        let within_cm: Vec<GeoPoint> = (0..50).map(|k| plane.unproject(0.01 * (k % 5) as f64, 0.0)).collect();
        assert!(footprint(&within_cm, 3.0, 72).is_none());
        let line: Vec<GeoPoint> = (0..50).map(|k| plane.unproject(100.0 * k as f64, 0.0)).collect();
        let f = footprint(&line, 3.0, 72).expect("a line of falls");
        assert!(f.semi_major_km > 1.0 && f.semi_minor_km < 1e-3 && (f.orientation_deg - 90.0).abs() < 0.1, "{f:?}");
    }

    #[test]
    fn ellipse_of_a_cloud_stretched_north_east() {
        // Points along a line at 45° (north-east), every km over ±10 km, at 0 and ±1 km across.
        let plane = TangentPlane::at(&GeoPoint { latitude_deg: 55.0, longitude_deg: 127.0 });
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let mut pts = Vec::new();
        for i in -10..=10 {
            for j in [-1.0, 0.0, 1.0] {
                let (along, across) = (i as f64 * 1e3, j * 1e3);
                pts.push(plane.unproject(s * (along + across), s * (along - across)));
            }
        }
        let f = footprint(&pts, 3.0, 72).unwrap();
        assert!((f.orientation_deg - 45.0).abs() < 1e-6, "{}", f.orientation_deg);
        // Sample standard deviations (n − 1 = 62): along √(3·2·385/62) km, across √(42/62) km.
        let (sd_along, sd_across) = ((2310.0f64 / 62.0).sqrt(), (42.0f64 / 62.0).sqrt());
        assert!((f.semi_major_km - 3.0 * sd_along).abs() < 1e-3, "{} vs {}", f.semi_major_km, 3.0 * sd_along);
        assert!((f.semi_minor_km - 3.0 * sd_across).abs() < 1e-3, "{}", f.semi_minor_km);
        assert!((f.mean.latitude_deg - 55.0).abs() < 1e-6 && (f.mean.longitude_deg - 127.0).abs() < 1e-6);
        assert_eq!(f.ellipse.len(), 72);
        // Every ellipse vertex is 3 sigma away in the Mahalanobis sense.
        for p in &f.ellipse {
            let (e, n) = plane.project(p);
            let (along, across) = (s * (e + n) / 1e3, s * (e - n) / 1e3);
            let m = (along / sd_along).powi(2) + (across / sd_across).powi(2);
            assert!((m - 9.0).abs() < 1e-3, "{m}");
        }
        // The hull is the rectangle: its corners and nothing strictly inside.
        let local: Vec<(f64, f64)> = f.hull.iter().map(|p| plane.project(p)).map(|(e, n)| (s * (e + n), s * (e - n))).collect();
        for corner in [(10e3, 1e3), (10e3, -1e3), (-10e3, 1e3), (-10e3, -1e3)] {
            assert!(local.iter().any(|p| (p.0 - corner.0).abs() < 1e-3 && (p.1 - corner.1).abs() < 1e-3), "{corner:?} missing: {local:?}");
        }
        assert!(local.iter().all(|p| (p.0.abs() - 10e3).abs() < 1e-3 || (p.1.abs() - 1e3).abs() < 1e-3), "{local:?}");
        assert!(footprint(&[], 3.0, 72).is_none());
        assert!(footprint(&pts[..1], 3.0, 8).is_none() && footprint(&pts[..2], 3.0, 8).is_none());
        let three = footprint(&pts[..3], 3.0, 8).unwrap();
        assert!(three.semi_major_km > 0.0 && three.semi_minor_km < 1e-6, "three collinear points: a line");
    }
}
