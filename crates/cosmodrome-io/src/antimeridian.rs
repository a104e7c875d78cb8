//! Rings cut at the antimeridian, as RFC 7946 (3.1.9) asks of a shape that crosses it.
//!
//! A drop zone east of New Zealand (Electron from Mahia) straddles ±180°: its vertices jump
//! between +179.9° and −179.9°, and a map that reads the ring as longitude/latitude (QGIS, GDAL,
//! Leaflet) draws a band round the whole globe instead. The ring is unwrapped into one
//! continuous run of longitudes, clipped on either side of the meridian it crosses, and the
//! part beyond it shifted back by 360°. Footprints and designated zones are convex, so each side
//! is one ring, its vertices in the same turning order as the original.

use cosmodrome::dropzone::GeoPoint;

/// The ring `points` (not closed) as the rings it makes on a map whose longitudes run from
/// −180° to 180°: itself when it does not cross the antimeridian; else the part on the side of
/// its first vertex, then the part across, each not closed. A ring around a pole (its unwrapped longitudes do not
/// close) is returned as it is: no cut makes it two rings.
pub fn split_ring(points: &[GeoPoint]) -> Vec<Vec<GeoPoint>> {
    let Some(first) = points.first() else { return vec![Vec::new()] };
    let mut unwrapped = Vec::with_capacity(points.len());
    let mut longitude_deg = first.longitude_deg;
    for p in points {
        longitude_deg += wrap_180(p.longitude_deg - longitude_deg);
        unwrapped.push(GeoPoint { latitude_deg: p.latitude_deg, longitude_deg });
    }
    let closing_deg = longitude_deg + wrap_180(first.longitude_deg - longitude_deg) - first.longitude_deg;
    let (west, east) =
        unwrapped.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(w, e), p| (w.min(p.longitude_deg), e.max(p.longitude_deg)));
    if closing_deg.abs() > 1.0 || (west >= -180.0 && east <= 180.0) {
        return vec![points.to_vec()];
    }
    // The meridian the unwrapped ring crosses: +180° or −180° (a ring is narrower than 360°).
    let cut_deg = if east > 180.0 { 180.0 } else { -180.0 };
    let shift_deg = -2.0 * cut_deg;
    // The part on the map as it is, and the part past the meridian, shifted back onto the map.
    let inside = clip(&unwrapped, cut_deg, cut_deg < 0.0);
    let mut beyond = clip(&unwrapped, cut_deg, cut_deg > 0.0);
    for p in &mut beyond {
        p.longitude_deg += shift_deg;
    }
    [inside, beyond].into_iter().filter(|r| r.len() >= 3).collect()
}

/// The part of the ring `points` with longitudes at or below `cut_deg` (`above`: at or above),
/// with a vertex where each edge crosses it (Sutherland–Hodgman against one meridian; the edge
/// a straight line in longitude and latitude, as GeoJSON draws it).
fn clip(points: &[GeoPoint], cut_deg: f64, above: bool) -> Vec<GeoPoint> {
    let inside = |p: &GeoPoint| if above { p.longitude_deg >= cut_deg } else { p.longitude_deg <= cut_deg };
    let mut out = Vec::with_capacity(points.len() + 2);
    for (i, b) in points.iter().enumerate() {
        let a = &points[(i + points.len() - 1) % points.len()];
        if inside(a) != inside(b) {
            let t = (cut_deg - a.longitude_deg) / (b.longitude_deg - a.longitude_deg);
            out.push(GeoPoint { latitude_deg: a.latitude_deg + t * (b.latitude_deg - a.latitude_deg), longitude_deg: cut_deg });
        }
        if inside(b) {
            out.push(*b);
        }
    }
    out
}

/// `deg` wrapped into [−180°, 180°).
fn wrap_180(deg: f64) -> f64 {
    (deg + 180.0).rem_euclid(360.0) - 180.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(longitude_deg: f64, latitude_deg: f64) -> GeoPoint {
        GeoPoint { latitude_deg, longitude_deg }
    }

    /// Twice the signed area in longitude/latitude (positive: counter-clockwise).
    fn twice_area(ring: &[GeoPoint]) -> f64 {
        (0..ring.len())
            .map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                a.longitude_deg * b.latitude_deg - b.longitude_deg * a.latitude_deg
            })
            .sum()
    }

    #[test]
    fn a_ring_clear_of_the_antimeridian_is_kept_whole() {
        let ring = vec![at(170.0, -40.0), at(175.0, -40.0), at(175.0, -35.0), at(170.0, -35.0)];
        assert_eq!(split_ring(&ring), vec![ring]);
    }

    #[test]
    fn a_square_across_the_antimeridian_is_cut_into_two_counter_clockwise_rings_on_the_map() {
        // 2° square centred on 180°, counter-clockwise, its vertices written in (−180, 180].
        let ring = vec![at(179.0, -41.0), at(-179.0, -41.0), at(-179.0, -39.0), at(179.0, -39.0)];
        let parts = split_ring(&ring);
        assert_eq!(parts.len(), 2, "{parts:?}");
        let (west, east) = (&parts[0], &parts[1]); // the first vertex's side first
        assert!(west.iter().all(|p| (179.0..=180.0).contains(&p.longitude_deg)), "{west:?}");
        assert!(east.iter().all(|p| (-180.0..=-179.0).contains(&p.longitude_deg)), "{east:?}");
        // Each half is a 1° × 2° rectangle, still counter-clockwise.
        for part in &parts {
            assert!((twice_area(part) - 4.0).abs() < 1e-9, "{part:?}");
        }
        // The cut runs along the meridian at the latitudes the square spans.
        let on_cut: Vec<f64> = west.iter().filter(|p| p.longitude_deg == 180.0).map(|p| p.latitude_deg).collect();
        assert_eq!(on_cut.len(), 2);
        assert!(on_cut.contains(&-41.0) && on_cut.contains(&-39.0), "{on_cut:?}");
    }

    #[test]
    fn a_ring_that_crosses_westward_from_the_west_side_is_cut_too() {
        // Most of the ring east of 180° (negative longitudes), one vertex past it.
        let ring = vec![at(-178.0, 10.0), at(-176.0, 10.0), at(-176.0, 12.0), at(179.0, 11.0)];
        let parts = split_ring(&ring);
        assert_eq!(parts.len(), 2, "{parts:?}");
        let area: f64 = parts.iter().map(|p| twice_area(p)).sum();
        let whole = twice_area(&[at(-178.0, 10.0), at(-176.0, 10.0), at(-176.0, 12.0), at(-181.0, 11.0)]);
        assert!((area - whole).abs() < 1e-9, "{area} vs {whole}");
        assert!(parts.iter().flatten().all(|p| (-180.0..=180.0).contains(&p.longitude_deg)));
    }

    #[test]
    fn a_ring_around_a_pole_is_left_as_it_is() {
        let ring: Vec<GeoPoint> = (0..8).map(|k| at(-180.0 + 45.0 * k as f64, 85.0)).collect();
        assert_eq!(split_ring(&ring), vec![ring]);
    }
}
