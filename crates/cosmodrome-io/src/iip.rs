//! The vacuum instantaneous impact point (IIP) trace of a flight, for range safety: where the
//! vehicle would come down if thrust stopped at each sample, and its files `iip.geojson` and
//! `iip.kml`.
//!
//! The IIP of a state is the core's [`instantaneous_impact_point`]: the Keplerian arc from that
//! state (point-mass gravity, no air) intersected with the WGS-84 ellipsoid, the Earth turning
//! under it during the fall. Vacuum by the range-safety convention: it needs nothing of the
//! unknown shape of what would fall, and drag mostly shortens a fall, so it is the reference
//! drawn against land and drop zones. It is computed here, per output sample, never in the
//! flight.
//! The arc of a state in orbit or on an escape does not come down: that sample has no IIP. A
//! state on the ground (a pad at 0 m, the end of a suborbital flight) is down where it is.
//!
//! The trace is cut into stretches of consecutive samples that have an IIP, and a stretch is
//! cut again where it crosses the antimeridian (as RFC 7946 asks), both ends at ±180°.

use std::fmt::Write;

use cosmodrome::dropzone::{instantaneous_impact_point, FallStart, GeoPoint};
use cosmodrome::environment::earth::great_circle_distance_m;
use cosmodrome::flight::{EventKind, FlightPoint, FlightResult};
use serde_json::json;

use crate::dropzones_geojson::{feature_collection_bytes, fixed, position};
use crate::dropzones_kml::{document_end, document_start, line_coordinates};
use crate::markup::escape;
use crate::IoError;

/// File name of the IIP trace as GeoJSON.
pub const IIP_GEOJSON: &str = "iip.geojson";
/// File name of the IIP trace as KML.
pub const IIP_KML: &str = "iip.kml";

/// The vacuum instantaneous impact point of one state of the flight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IipPoint {
    /// Time of the state (not of the impact) since liftoff, s.
    pub time_s: f64,
    /// Geodetic latitude of the impact point, degrees.
    pub latitude_deg: f64,
    /// Longitude of the impact point, degrees east in (-180, 180].
    pub longitude_deg: f64,
    /// Great-circle distance (mean sphere) of the impact point from the pad, km.
    pub downrange_km: f64,
}

/// The pad of a flight, latitude and longitude in degrees: the state at liftoff, or the first
/// sample of a flight without a liftoff event.
pub fn pad_deg(result: &FlightResult) -> Option<(f64, f64)> {
    result
        .event(&EventKind::Liftoff)
        .map(|e| &e.point)
        .or_else(|| result.samples.first().map(|s| &s.point))
        .map(|p| (p.latitude_deg, p.longitude_deg))
        .filter(|(lat, lon)| lat.is_finite() && lon.is_finite())
}

/// A state this close to the ellipsoid, or below it, is on the ground, m: the core's height along
/// the radius differs from the geodetic one by less than 1e-5 of the height, so a pad at 0 m may
/// read either side of zero.
const ON_GROUND_M: f64 = 0.01;

/// The vacuum IIP of a state, with its distance from `pad_deg` (latitude, longitude); `None`
/// when the arc from the state does not come down (orbit, escape, a degenerate state) or a
/// figure would not be finite. A state on the ground (a pad at 0 m at liftoff, the impact that
/// ends a suborbital flight) has come down where it is.
pub fn iip_of(point: &FlightPoint, pad_deg: (f64, f64)) -> Option<IipPoint> {
    let (latitude_deg, longitude_deg) = match instantaneous_impact_point(&FallStart::from(point)) {
        Some(impact) => (impact.latitude_deg, impact.longitude_deg),
        None if point.altitude_m <= ON_GROUND_M => (point.latitude_deg, point.longitude_deg),
        None => return None,
    };
    let downrange_m =
        great_circle_distance_m(pad_deg.0.to_radians(), pad_deg.1.to_radians(), latitude_deg.to_radians(), longitude_deg.to_radians());
    let iip = IipPoint { time_s: point.time_s, latitude_deg, longitude_deg, downrange_km: downrange_m / 1e3 };
    [iip.time_s, iip.latitude_deg, iip.longitude_deg, iip.downrange_km].iter().all(|v| v.is_finite()).then_some(iip)
}

/// The IIP of every sample of the flight, in sample order (`None` where it does not come down).
pub fn iip_trace(result: &FlightResult) -> Vec<Option<IipPoint>> {
    let Some(pad) = pad_deg(result) else { return vec![None; result.samples.len()] };
    result.samples.iter().map(|s| iip_of(&s.point, pad)).collect()
}

/// The stretches of consecutive samples with an IIP, each cut where it crosses the antimeridian
/// (the cut ends interpolated onto ±180°): polylines of (longitude, latitude) with the first and
/// last time of each.
pub fn iip_lines(trace: &[Option<IipPoint>]) -> Vec<IipLine> {
    let mut lines = Vec::new();
    for stretch in trace.split(Option::is_none).filter(|s| !s.is_empty()) {
        let points: Vec<&IipPoint> = stretch.iter().flatten().collect();
        let mut line = IipLine { start: *points[0], end: *points[0], points: vec![(points[0].longitude_deg, points[0].latitude_deg)] };
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let step = b.longitude_deg - a.longitude_deg;
            if step.abs() > 180.0 {
                // Crossing at ±180: the side `a` leaves by, the latitude interpolated on the
                // unwrapped step.
                let edge = if step < 0.0 { 180.0 } else { -180.0 };
                let unwrapped_b = b.longitude_deg + 2.0 * edge;
                let t = (edge - a.longitude_deg) / (unwrapped_b - a.longitude_deg);
                let lat = a.latitude_deg + t * (b.latitude_deg - a.latitude_deg);
                line.points.push((edge, lat));
                let next = IipLine { start: *b, end: *b, points: vec![(-edge, lat)] };
                lines.push(std::mem::replace(&mut line, next));
            }
            line.points.push((b.longitude_deg, b.latitude_deg));
            line.end = *b;
        }
        lines.push(line);
    }
    lines
}

/// A polyline of the IIP trace: (longitude, latitude) in degrees, longitudes in [-180, 180].
#[derive(Debug, Clone, PartialEq)]
pub struct IipLine {
    /// The IIP of the first sample of the line.
    pub start: IipPoint,
    /// The IIP of the last sample of the line.
    pub end: IipPoint,
    /// The points, (longitude, latitude), degrees.
    pub points: Vec<(f64, f64)>,
}

fn geo(&(longitude_deg, latitude_deg): &(f64, f64)) -> GeoPoint {
    GeoPoint { latitude_deg, longitude_deg }
}

/// `iip.geojson`: a FeatureCollection of LineStrings, one per line of [`iip_lines`] (a line of
/// a single sample is a Point), with the times and distances from the pad of its ends.
pub fn iip_geojson(result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let features: Vec<_> = iip_lines(&iip_trace(result))
        .iter()
        .map(|line| {
            let coordinates: Vec<_> = line.points.iter().map(|p| position(&geo(p))).collect();
            let geometry = if coordinates.len() >= 2 {
                json!({ "type": "LineString", "coordinates": coordinates })
            } else {
                json!({ "type": "Point", "coordinates": coordinates[0] })
            };
            json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "feature": "iip_trace",
                    "model": "vacuum Keplerian arc, point-mass gravity, WGS-84 ellipsoid",
                    "start_time_s": fixed(line.start.time_s, 3),
                    "end_time_s": fixed(line.end.time_s, 3),
                    "start_downrange_km": fixed(line.start.downrange_km, 3),
                    "end_downrange_km": fixed(line.end.downrange_km, 3),
                },
            })
        })
        .collect();
    feature_collection_bytes(features, IIP_GEOJSON)
}

/// `iip.kml`: the lines of [`iip_lines`] as LineStrings clamped to the ground, in one folder.
pub fn iip_kml(title: &str, result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let lines = iip_lines(&iip_trace(result));
    let mut out = document_start(
        &format!("{title} — vacuum instantaneous impact point"),
        "    <Style id=\"iip\"><LineStyle><color>ffa02878</color><width>2</width></LineStyle></Style>\n",
    );
    out.push_str("    <Folder>\n      <name>Vacuum IIP trace</name>\n");
    for line in &lines {
        let name = format!("IIP from t = {:.1} s to {:.1} s", line.start.time_s, line.end.time_s);
        let description = format!(
            "vacuum Keplerian impact point on the WGS-84 ellipsoid; {:.1} to {:.1} km from the pad",
            line.start.downrange_km, line.end.downrange_km
        );
        let geometry = if line.points.len() >= 2 {
            format!(
                "<LineString>\n          <tessellate>1</tessellate>\n          <altitudeMode>clampToGround</altitudeMode>\n          <coordinates>{}</coordinates>\n        </LineString>",
                line_coordinates(&line.points.iter().map(geo).collect::<Vec<_>>())
            )
        } else {
            format!("<Point><coordinates>{:.6},{:.6},0</coordinates></Point>", line.points[0].0, line.points[0].1)
        };
        let _ = write!(
            out,
            "      <Placemark>\n        <name>{}</name>\n        <description>{}</description>\n        <styleUrl>#iip</styleUrl>\n        {geometry}\n      </Placemark>\n",
            escape(&name),
            escape(&description)
        );
    }
    out.push_str("    </Folder>\n");
    out.push_str(document_end());
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time_s: f64, longitude_deg: f64, latitude_deg: f64) -> Option<IipPoint> {
        Some(IipPoint { time_s, latitude_deg, longitude_deg, downrange_km: time_s })
    }

    #[test]
    fn lines_break_where_the_iip_vanishes_and_at_the_antimeridian() {
        let trace = [at(0.0, 170.0, 10.0), at(1.0, 178.0, 12.0), at(2.0, -178.0, 14.0), None, at(4.0, 10.0, 0.0), None];
        let lines = iip_lines(&trace);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0].points, [(170.0, 10.0), (178.0, 12.0), (180.0, 13.0)]);
        assert_eq!(lines[1].points, [(-180.0, 13.0), (-178.0, 14.0)]);
        assert_eq!((lines[0].start.time_s, lines[0].end.time_s, lines[1].start.time_s), (0.0, 1.0, 2.0));
        assert_eq!(lines[2].points, [(10.0, 0.0)]);
        // Westward across the antimeridian.
        let lines = iip_lines(&[at(0.0, -179.0, 0.0), at(1.0, 179.0, 2.0)]);
        assert_eq!(lines[0].points, [(-179.0, 0.0), (-180.0, 1.0)]);
        assert_eq!(lines[1].points, [(180.0, 1.0), (179.0, 2.0)]);
        assert!(iip_lines(&[None, None]).is_empty());
    }
}

/// The IIP trace of a flown ascent in `trajectory.csv`, `trajectory.parquet`, `iip.geojson` and
/// `iip.kml`.
#[cfg(test)]
mod flown {
    use std::sync::OnceLock;

    use super::*;
    use crate::parquet::trajectory_columns;
    use crate::trajectory_csv::{trajectory_csv, COLUMNS};
    use cosmodrome::flight::{FlightOptions, FlightOutcome, Launch};
    use cosmodrome::guidance::Branch;
    use cosmodrome::mission::fly::{FlyRequest, Steering};
    use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};

    /// Electron (the lightest catalog vehicle: quick in a debug build) from Mahia with 150 kg,
    /// targeted to a 200 km circular orbit, sampled every second; and its launch. Mahia is at
    /// 177.9° E, so the trace crosses the antimeridian.
    fn electron() -> &'static (FlightResult, Launch) {
        static FLIGHT: OnceLock<(FlightResult, Launch)> = OnceLock::new();
        FLIGHT.get_or_init(|| {
            let vehicle = resolve_vehicle("electron").expect("electron").0;
            let sites = SiteCatalog::builtin().expect("sites");
            let site = sites.get("mahia").expect("mahia");
            let request = FlyRequest {
                vehicle: &vehicle,
                vehicle_id: "electron",
                site,
                payload_kg: 150.0,
                steering: Steering::Targeted {
                    target: cosmodrome::mission::target_orbit(site, 200e3, None, None),
                    branch: Branch::Northbound,
                },
                options: FlightOptions { sample_interval_s: Some(1.0), ..FlightOptions::default() },
            };
            let m = cosmodrome::mission::fly(&request, &mut |_| {}).expect("flight");
            (m.flight, m.launch)
        })
    }

    /// The rows of `trajectory.csv`, header checked.
    fn rows(result: &FlightResult) -> Vec<csv::StringRecord> {
        let bytes = trajectory_csv(result).expect("csv");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<&str> = reader.headers().expect("header").iter().collect();
        assert_eq!(header, COLUMNS);
        assert_eq!(header[13..], ["iip_latitude_deg", "iip_longitude_deg", "iip_downrange_km"]);
        reader.records().map(|r| r.expect("row")).collect()
    }

    /// The IIP of a row: `None` for three empty cells; panics on anything else than three finite
    /// numbers or three empty cells.
    fn row_iip(row: &csv::StringRecord) -> Option<(f64, f64, f64)> {
        let cells: Vec<&str> = row.iter().skip(13).collect();
        assert_eq!(cells.len(), 3, "{row:?}");
        if cells.iter().all(|c| c.is_empty()) {
            return None;
        }
        let v: Vec<f64> = cells
            .iter()
            .map(|c| c.parse::<f64>().ok().filter(|x| x.is_finite()).unwrap_or_else(|| panic!("IIP cell {c:?} in {row:?}")))
            .collect();
        Some((v[0], v[1], v[2]))
    }

    #[test]
    fn the_iip_starts_at_the_pad_runs_downrange_while_powered_and_vanishes_in_orbit() {
        let (result, launch) = electron();
        assert_eq!(result.outcome, FlightOutcome::Orbit);
        let rows = rows(result);
        assert_eq!(rows.len(), result.samples.len());
        // No cell anywhere is NaN or infinite.
        for row in &rows {
            for cell in row.iter().filter(|c| !c.is_empty()) {
                assert!(cell.parse::<f64>().map_or(true, f64::is_finite), "{cell} in {row:?}");
            }
            row_iip(row);
        }
        // At liftoff the vehicle stands on the pad: it would come down there.
        let (lat, lon, downrange_km) = row_iip(&rows[0]).expect("an IIP at liftoff");
        let from_pad_km = great_circle_distance_m(
            launch.latitude_deg.to_radians(),
            launch.longitude_deg.to_radians(),
            lat.to_radians(),
            lon.to_radians(),
        ) / 1e3;
        assert!(from_pad_km < 2.0 && downrange_km < 2.0, "{from_pad_km} km, {downrange_km} km");
        // Along the powered ascent, while it exists, the IIP moves only downrange (to a few
        // metres: the vertical rise). Past ~10 000 km the great-circle distance would fold back.
        let powered: Vec<(f64, f64)> = rows
            .iter()
            .zip(&result.samples)
            .map_while(|(row, s)| row_iip(row).map(|iip| (s, iip)))
            .filter(|(s, iip)| s.point.thrust_n > 0.0 && iip.2 < 10_000.0)
            .map(|(s, iip)| (s.point.time_s, iip.2))
            .collect();
        assert!(powered.len() > 100, "{} powered samples with an IIP", powered.len());
        for w in powered.windows(2) {
            assert!(w[1].1 >= w[0].1 - 0.01, "the IIP moves back from {:?} to {:?} (t s, km)", w[0], w[1]);
        }
        let farthest = powered.last().unwrap().1;
        assert!(farthest > 3_000.0, "the IIP reaches only {farthest} km");
        // From orbit insertion on, the arc no longer comes down: empty cells.
        let insertion_s = result.event(&EventKind::Insertion).expect("insertion").point.time_s;
        let after: Vec<_> = rows.iter().zip(&result.samples).filter(|(_, s)| s.point.time_s >= insertion_s).collect();
        assert!(!after.is_empty(), "no sample from the insertion on");
        for (row, s) in after {
            assert_eq!(row_iip(row), None, "an IIP at t = {} s, insertion at {insertion_s} s", s.point.time_s);
        }
    }

    #[test]
    fn a_state_on_or_below_the_ground_has_come_down_where_it_is() {
        let (result, launch) = electron();
        let p = result.samples[0].point;
        let pad = (launch.latitude_deg, launch.longitude_deg);
        // Below the ground the core finds no arc; the state is down at its own place.
        let below = FlightPoint { position_eci_m: p.position_eci_m * 0.999, altitude_m: -6_000.0, ..p };
        assert!(instantaneous_impact_point(&FallStart::from(&below)).is_none());
        let iip = iip_of(&below, pad).expect("down");
        assert_eq!((iip.latitude_deg, iip.longitude_deg), (p.latitude_deg, p.longitude_deg));
        assert!(iip.downrange_km < 1e-3, "{iip:?}");
        // Above it, no such shortcut: in orbit there is no IIP.
        assert_eq!(iip_of(&result.final_point, pad), None);
    }

    #[test]
    fn the_parquet_table_holds_the_iip_as_the_csv_with_nulls() {
        let (result, _) = electron();
        let columns = trajectory_columns(result);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, COLUMNS);
        let csv_rows = rows(result);
        for (k, column) in columns[13..].iter().enumerate() {
            let crate::parquet::ColumnData::OptionalF64(values) = &column.data else { panic!("{} is not nullable", column.name) };
            for (value, row) in values.iter().zip(&csv_rows) {
                let cell = &row[13 + k];
                match value {
                    Some(v) => assert!((v - cell.parse::<f64>().unwrap()).abs() < 1e-3, "{}: {v} vs {cell}", column.name),
                    None => assert!(cell.is_empty(), "{}: null vs {cell}", column.name),
                }
            }
        }
        let bytes = crate::parquet::parquet_bytes("trajectory.parquet", &columns).expect("parquet");
        assert!(bytes.starts_with(b"PAR1"));
    }

    #[test]
    fn the_geojson_and_kml_trace_are_lines_on_the_globe_cut_at_the_antimeridian() {
        let (result, launch) = electron();
        let value: serde_json::Value = serde_json::from_slice(&iip_geojson(result).expect("geojson")).expect("JSON");
        assert_eq!(value["type"], "FeatureCollection");
        let features = value["features"].as_array().expect("features");
        assert!(features.len() >= 2, "the trace from 177.9° E crosses the antimeridian: {} lines", features.len());
        let mut ends = Vec::new();
        for f in features {
            assert_eq!(f["type"], "Feature");
            assert_eq!(f["geometry"]["type"], "LineString", "{f}");
            assert_eq!(f["properties"]["feature"], "iip_trace");
            let line = f["geometry"]["coordinates"].as_array().expect("coordinates");
            assert!(line.len() >= 2, "{f}");
            for p in line {
                let p: Vec<f64> = p.as_array().expect("position").iter().map(|x| x.as_f64().expect("number")).collect();
                assert_eq!(p.len(), 2);
                assert!((-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]), "{p:?}");
            }
            ends.push((line[0][0].as_f64().unwrap(), line[line.len() - 1][0].as_f64().unwrap()));
        }
        // The first line leaves the pad; a cut line ends on the antimeridian and the next one
        // starts on its other side.
        let first = &features[0]["geometry"]["coordinates"][0];
        let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        assert!((lon - launch.longitude_deg).abs() < 0.02 && (lat - launch.latitude_deg).abs() < 0.02, "starts at {lon}, {lat}");
        assert!(ends.windows(2).any(|w| w[0].1 == 180.0 && w[1].0 == -180.0), "{ends:?}");

        let kml = String::from_utf8(iip_kml("Electron from Mahia <LC-1A>", result).expect("kml")).expect("utf-8");
        assert!(kml.starts_with("<?xml") && kml.ends_with("</kml>\n"));
        assert_eq!(kml.matches("<LineString>").count(), features.len());
        assert!(kml.contains("Electron from Mahia &lt;LC-1A&gt;"));
        assert!(!kml.contains("NaN") && !kml.contains("inf"));
    }
}
