//! `dropzones.kml` (OGC KML 2.2) for Google Earth: per body a folder with a placemark at the
//! mean impact, the 3-sigma ellipse and the convex hull as polygons clamped to the ground; the
//! designated zones the ascent was shaped to in a folder of their own. A body left in orbit has
//! no drop zone: its folder holds a placemark without geometry that gives its orbit and
//! estimated lifetime; an ellipse drawn while more than 1.1 % of the falls stayed up says so.
//! Fixed decimals, so the bytes depend only on the figures.

use std::fmt::Write;

use cosmodrome::dropzone::{DesignatedZone, GeoPoint};

use cosmodrome::dropzone::footprint::footprint_incomplete;

use crate::antimeridian::split_ring;
use crate::dropzones_geojson::{check_finite, check_finite_in_orbit, BodyInOrbit, DropZone, ZONE_VERTICES};
use crate::markup::escape;
use crate::IoError;

/// A ring's coordinates, closed on its first point.
fn coordinates(points: &[GeoPoint]) -> String {
    let closed: Vec<GeoPoint> = points.iter().chain(points.first()).copied().collect();
    line_coordinates(&closed)
}

/// A line's coordinates as KML writes them (`lon,lat,0` with 6 decimals), not closed.
pub(crate) fn line_coordinates(points: &[GeoPoint]) -> String {
    let mut s = String::with_capacity(32 * points.len());
    for p in points {
        let _ = write!(s, "{:.6},{:.6},0 ", p.longitude_deg, p.latitude_deg);
    }
    s.pop();
    s
}

/// The opening of a KML document: XML declaration, `<kml>`, `<Document>` with its name and the
/// given `<Style>` lines.
pub(crate) fn document_start(title: &str, styles: &str) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n  <Document>\n    <name>{}</name>\n{styles}",
        escape(title)
    );
    out
}

/// The end of a KML document begun by [`document_start`].
pub(crate) fn document_end() -> &'static str {
    "  </Document>\n</kml>\n"
}

/// A placemark of a convex ring; a ring across the antimeridian is drawn as its two parts
/// ([`split_ring`]) in a MultiGeometry, which GDAL-based readers draw as Google Earth does.
fn polygon(out: &mut String, name: &str, style: &str, points: &[GeoPoint]) {
    let parts = split_ring(points);
    let _ = write!(out, "      <Placemark>\n        <name>{}</name>\n        <styleUrl>#{style}</styleUrl>\n", escape(name));
    if parts.len() > 1 {
        out.push_str("        <MultiGeometry>\n");
    }
    for part in &parts {
        let _ = write!(
            out,
            "        <Polygon>\n          <tessellate>1</tessellate>\n          <altitudeMode>clampToGround</altitudeMode>\n          <outerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs>\n        </Polygon>\n",
            coordinates(part)
        );
    }
    if parts.len() > 1 {
        out.push_str("        </MultiGeometry>\n");
    }
    out.push_str("      </Placemark>\n");
}

/// The drop zones, the bodies left in orbit (after them, a folder each with a placemark without
/// geometry) and the designated zones, as a KML document.
pub fn dropzones_kml(
    title: &str,
    zones: &[DropZone<'_>],
    in_orbit: &[BodyInOrbit<'_>],
    designated: &[DesignatedZone],
) -> Result<Vec<u8>, IoError> {
    check_finite(zones, "dropzones.kml")?;
    check_finite_in_orbit(in_orbit, "dropzones.kml")?;
    let mut out = document_start(
        title,
        "    <Style id=\"ellipse\"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle><PolyStyle><color>400000ff</color></PolyStyle></Style>\n    <Style id=\"hull\"><LineStyle><color>ff00ffff</color><width>1</width></LineStyle><PolyStyle><fill>0</fill></PolyStyle></Style>\n    <Style id=\"designated\"><LineStyle><color>ff00c000</color><width>2</width></LineStyle><PolyStyle><fill>0</fill></PolyStyle></Style>\n",
    );
    out.reserve(6000 * zones.len());
    for z in zones {
        let f = z.footprint;
        let _ = write!(
            out,
            "    <Folder>\n      <name>{}</name>\n      <Placemark>\n        <name>{} mean impact</name>\n        <description>{} impacts ({} did not come down); mean {:.1} km from the pad; 3-sigma ellipse {:.1} × {:.1} km, major axis {:.1}° from north{}</description>\n        <Point><coordinates>{:.6},{:.6},0</coordinates></Point>\n      </Placemark>\n",
            escape(z.body),
            escape(z.body),
            f.samples,
            z.not_down,
            z.mean_downrange_km,
            f.semi_major_km,
            f.semi_minor_km,
            f.orientation_deg,
            if footprint_incomplete(f.samples, z.not_down) {
                "; incomplete: drawn from the falls that came down, it does not bound the rest"
            } else {
                ""
            },
            f.mean.longitude_deg,
            f.mean.latitude_deg
        );
        polygon(&mut out, &format!("{} {}-sigma ellipse", z.body, f.sigma), "ellipse", &f.ellipse);
        if f.hull.len() >= 3 {
            polygon(&mut out, &format!("{} convex hull", z.body), "hull", &f.hull);
        }
        out.push_str("    </Folder>\n");
    }
    for b in in_orbit {
        let _ = write!(
            out,
            "    <Folder>\n      <name>{} (in orbit, no drop zone)</name>\n      <Placemark>\n        <name>{} in orbit</name>\n        <description>{}; {}</description>\n      </Placemark>\n    </Folder>\n",
            escape(b.body),
            escape(b.body),
            escape(&b.orbit.describe()),
            escape(&b.falls_text())
        );
    }
    if !designated.is_empty() {
        out.push_str("    <Folder>\n      <name>Designated zones</name>\n");
        for z in designated {
            let name = format!("{} ({}, {:.0} km)", z.name, z.bodies, z.radius_km);
            polygon(&mut out, &name, "designated", &z.outline(ZONE_VERTICES));
        }
        out.push_str("    </Folder>\n");
    }
    out.push_str(document_end());
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(escape("Blocks <B & V>"), "Blocks &lt;B &amp; V&gt;");
    }
}
