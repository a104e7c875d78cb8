//! `dropzones.geojson` (RFC 7946): per body a Point at the mean impact, a Polygon for the
//! 3-sigma ellipse and a Polygon for the convex hull of the impacts, and a Polygon for each
//! designated zone the ascent was shaped to, for QGIS and web maps. A body left in orbit has no
//! drop zone: its feature has no geometry (`null`, an unlocated feature) and gives its orbit and
//! estimated lifetime; an ellipse drawn while more than 1.1 % of the falls stayed up is marked
//! `incomplete`.
//! Coordinates are `[longitude, latitude]` in degrees with 6 decimals (~0.1 m); rings are closed
//! and counter-clockwise; a zone that crosses the antimeridian is a MultiPolygon of its parts
//! either side of it. Keys are written in sorted order, so the bytes depend only on the
//! figures.

use cosmodrome::dropzone::footprint::footprint_incomplete;
use cosmodrome::dropzone::{DesignatedZone, Footprint, GeoPoint};
use cosmodrome::mission::dropzones::falls_in_orbit_text;
use cosmodrome::mission::{BodyOrbitReport, DropzonesReport};
use serde_json::{json, Value};

use crate::antimeridian::split_ring;
use crate::IoError;

/// The drop zone of one body, as the map writers draw it.
#[derive(Debug, Clone, Copy)]
pub struct DropZone<'a> {
    /// Body name.
    pub body: &'a str,
    /// Its footprint.
    pub footprint: &'a Footprint,
    /// Samples that did not come down (in orbit or at the time limit).
    pub not_down: usize,
    /// Mean great-circle distance of the impacts from the pad, km.
    pub mean_downrange_km: f64,
}

/// A body whose nominal fall stays up, as the map writers list it: no drop zone, its orbit and
/// estimated lifetime.
#[derive(Debug, Clone, Copy)]
pub struct BodyInOrbit<'a> {
    /// Body name.
    pub body: &'a str,
    /// Its orbit at separation and lifetime.
    pub orbit: &'a BodyOrbitReport,
    /// Dispersed falls that came down within the fall's time limit anyway.
    pub samples_down: usize,
    /// Dispersed falls in all.
    pub samples: usize,
}

impl<'a> BodyInOrbit<'a> {
    /// The bodies of a drop-zone report that stay up, in separation order.
    pub fn of_report(report: &'a DropzonesReport) -> Vec<BodyInOrbit<'a>> {
        report
            .bodies
            .iter()
            .filter_map(|b| {
                b.orbit.as_ref().map(|orbit| BodyInOrbit {
                    body: &b.name,
                    orbit,
                    samples_down: b.samples_down,
                    samples: b.samples_down + b.samples_not_down,
                })
            })
            .collect()
    }

    /// What the body's dispersed falls did, in words.
    pub(crate) fn falls_text(&self) -> String {
        falls_in_orbit_text(self.samples_down, self.samples)
    }
}

/// Every figure of the bodies in orbit is finite.
pub(crate) fn check_finite_in_orbit(bodies: &[BodyInOrbit<'_>], what: &str) -> Result<(), IoError> {
    for b in bodies {
        let o = b.orbit;
        let figures = [o.perigee_km, o.apogee_km.unwrap_or(0.0), o.inclination_deg, o.ballistic_coefficient_kg_m2, o.lifetime_days];
        if !figures.iter().all(|v| v.is_finite()) {
            return Err(IoError::Invalid { what: what.to_owned(), message: format!("a non-finite figure in the orbit of {}", b.body) });
        }
    }
    Ok(())
}

/// Rounds to a fixed number of decimals.
pub(crate) fn fixed(v: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (v * k).round() / k
}

/// A GeoJSON position, `[longitude, latitude]` with 6 decimals.
pub(crate) fn position(p: &GeoPoint) -> Value {
    json!([fixed(p.longitude_deg, 6), fixed(p.latitude_deg, 6)])
}

fn ring(points: &[GeoPoint]) -> Value {
    let mut ring: Vec<Value> = points.iter().map(position).collect();
    if let Some(first) = points.first() {
        ring.push(position(first));
    }
    Value::Array(ring)
}

/// A convex ring as a Polygon, or a MultiPolygon of its two parts when it crosses the
/// antimeridian ([`split_ring`]).
fn polygon(points: &[GeoPoint]) -> Value {
    match split_ring(points).as_slice() {
        [whole] => json!({ "type": "Polygon", "coordinates": [ring(whole)] }),
        parts => json!({ "type": "MultiPolygon", "coordinates": parts.iter().map(|p| json!([ring(p)])).collect::<Vec<_>>() }),
    }
}

/// Every figure of a zone is finite.
pub(crate) fn check_finite(zones: &[DropZone<'_>], what: &str) -> Result<(), IoError> {
    for z in zones {
        let f = z.footprint;
        let points = std::iter::once(&f.mean).chain(&f.ellipse).chain(&f.hull);
        let finite = points.into_iter().all(|p| p.latitude_deg.is_finite() && p.longitude_deg.is_finite())
            && [f.semi_major_km, f.semi_minor_km, f.orientation_deg, z.mean_downrange_km].iter().all(|v| v.is_finite());
        if !finite {
            return Err(IoError::Invalid { what: what.to_owned(), message: format!("a non-finite figure in the drop zone of {}", z.body) });
        }
    }
    Ok(())
}

/// Vertices of a designated zone's drawn edge (one every 5°).
pub(crate) const ZONE_VERTICES: usize = 72;

/// The drop zones, the bodies left in orbit (after them, a feature each without geometry) and
/// the designated zones, as a GeoJSON FeatureCollection.
pub fn dropzones_geojson(zones: &[DropZone<'_>], in_orbit: &[BodyInOrbit<'_>], designated: &[DesignatedZone]) -> Result<Vec<u8>, IoError> {
    check_finite(zones, "dropzones.geojson")?;
    check_finite_in_orbit(in_orbit, "dropzones.geojson")?;
    let mut features = Vec::with_capacity(3 * zones.len() + in_orbit.len() + designated.len());
    for z in zones {
        let f = z.footprint;
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": position(&f.mean) },
            "properties": {
                "body": z.body,
                "feature": "mean_impact",
                "samples": f.samples,
                "not_down": z.not_down,
                "mean_downrange_km": fixed(z.mean_downrange_km, 3),
            },
        }));
        let mut ellipse = json!({
            "type": "Feature",
            "geometry": polygon(&f.ellipse),
            "properties": {
                "body": z.body,
                "feature": "ellipse",
                "sigma": f.sigma,
                "semi_major_km": fixed(f.semi_major_km, 3),
                "semi_minor_km": fixed(f.semi_minor_km, 3),
                "orientation_deg": fixed(f.orientation_deg, 3),
            },
        });
        if footprint_incomplete(f.samples, z.not_down) {
            ellipse["properties"]["incomplete"] = json!(true);
        }
        features.push(ellipse);
        if f.hull.len() >= 3 {
            features.push(json!({
                "type": "Feature",
                "geometry": polygon(&f.hull),
                "properties": { "body": z.body, "feature": "convex_hull", "vertices": f.hull.len() },
            }));
        }
    }
    for b in in_orbit {
        let o = b.orbit;
        let mut properties = json!({
            "body": b.body,
            "feature": "in_orbit",
            "perigee_km": fixed(o.perigee_km, 1),
            "inclination_deg": fixed(o.inclination_deg, 3),
            "ballistic_coefficient_kg_m2": fixed(o.ballistic_coefficient_kg_m2, 1),
            "lifetime_days": fixed(o.lifetime_days, 2),
            "lifetime_capped": o.lifetime_capped,
            "samples_down": b.samples_down,
            "samples": b.samples,
            "description": format!("{}; {}", o.describe(), b.falls_text()),
        });
        if let Some(apogee_km) = o.apogee_km {
            properties["apogee_km"] = json!(fixed(apogee_km, 1));
        }
        features.push(json!({ "type": "Feature", "geometry": null, "properties": properties }));
    }
    for z in designated {
        features.push(json!({
            "type": "Feature",
            "geometry": polygon(&z.outline(ZONE_VERTICES)),
            "properties": {
                "feature": "designated_zone",
                "zone": z.name,
                "stage": z.bodies.to_string(),
                "radius_km": fixed(z.radius_km, 3),
                "margin_km": fixed(z.margin_km, 3),
                "source": z.source,
            },
        }));
    }
    feature_collection_bytes(features, "dropzones.geojson")
}

/// Features as a pretty-printed GeoJSON FeatureCollection; `what` names the file in errors.
pub(crate) fn feature_collection_bytes(features: Vec<Value>, what: &str) -> Result<Vec<u8>, IoError> {
    let collection = json!({ "type": "FeatureCollection", "features": features });
    let mut bytes =
        serde_json::to_vec_pretty(&collection).map_err(|e| IoError::Invalid { what: what.to_owned(), message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use cosmodrome::dropzone::footprint;

    use super::*;

    /// An ellipse is marked incomplete only past 1.1 % of falls not down; a body in orbit is an
    /// unlocated feature with its orbit and lifetime, no polygon; an escape has no apogee.
    #[test]
    fn bodies_in_orbit_are_unlocated_features_and_cut_ellipses_are_marked() {
        let points: Vec<GeoPoint> = [(55.0, 127.0), (55.1, 127.2), (54.9, 127.1), (55.05, 126.9)]
            .map(|(latitude_deg, longitude_deg)| GeoPoint { latitude_deg, longitude_deg })
            .to_vec();
        let f = footprint(&points, 3.0, 8).expect("a footprint");
        let zone = |not_down| DropZone { body: "core", footprint: &f, not_down, mean_downrange_km: 900.0 };
        let orbit = BodyOrbitReport {
            perigee_km: 180.3,
            apogee_km: Some(200.1),
            inclination_deg: 63.0,
            ballistic_coefficient_kg_m2: 145.6,
            lifetime_days: 2.13,
            lifetime_capped: false,
        };
        let escaping = BodyOrbitReport { apogee_km: None, lifetime_days: 36525.0, lifetime_capped: true, ..orbit };
        let in_orbit = [
            BodyInOrbit { body: "URM-2", orbit: &orbit, samples_down: 5, samples: 20 },
            BodyInOrbit { body: "tank", orbit: &escaping, samples_down: 0, samples: 20 },
        ];
        let features = |not_down| -> Vec<Value> {
            let bytes = dropzones_geojson(&[zone(not_down)], &in_orbit, &[]).expect("geojson");
            serde_json::from_slice::<Value>(&bytes).unwrap()["features"].as_array().unwrap().clone()
        };
        let ellipse = |fs: &[Value]| fs.iter().find(|f| f["properties"]["feature"] == "ellipse").unwrap().clone();
        assert!(ellipse(&features(0))["properties"].get("incomplete").is_none());
        assert_eq!(ellipse(&features(1))["properties"]["incomplete"], true, "1 of 5 falls stayed up");
        let fs = features(0);
        let urm2: Vec<&Value> = fs.iter().filter(|f| f["properties"]["body"] == "URM-2").collect();
        assert_eq!(urm2.len(), 1);
        let p = &urm2[0]["properties"];
        assert!(urm2[0]["geometry"].is_null() && p["feature"] == "in_orbit", "{p}");
        assert_eq!(
            (p["perigee_km"].as_f64(), p["apogee_km"].as_f64(), p["lifetime_days"].as_f64()),
            (Some(180.3), Some(200.1), Some(2.13))
        );
        assert!(p["description"].as_str().unwrap().starts_with("in orbit 180 × 200 km at 63.00°, est. lifetime 2.1 d"), "{p}");
        let tank = fs.iter().find(|f| f["properties"]["body"] == "tank").unwrap();
        assert!(tank["properties"].get("apogee_km").is_none() && tank["properties"]["lifetime_capped"] == true, "{tank}");
        let bad = BodyOrbitReport { lifetime_days: f64::NAN, ..orbit };
        let e = dropzones_geojson(&[], &[BodyInOrbit { body: "URM-2", orbit: &bad, samples_down: 0, samples: 1 }], &[]).unwrap_err();
        assert!(e.to_string().contains("URM-2"), "{e}");
        let kml = String::from_utf8(crate::dropzones_kml::dropzones_kml("t", &[zone(1)], &in_orbit, &[]).unwrap()).unwrap();
        assert!(kml.contains("<name>URM-2 (in orbit, no drop zone)</name>") && kml.contains("incomplete: drawn from the falls"), "{kml}");
        assert_eq!(kml.matches("<Polygon>").count(), 2, "the core's ellipse and hull only");
    }
}
