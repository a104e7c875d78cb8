//! Designated drop zones: the areas a range assigns to the spent stages of a mission.
//!
//! A launch from an inland cosmodrome may only drop its stages where the range has cleared the
//! ground, so the flown ascent is shaped to put each spent stage into its area: Soyuz from
//! Baikonur to the ISS drops its boosters near Zhezkazgan whatever the payload-optimal ascent
//! would do. A zone file lists those areas, each a circle on the mean sphere with the stage it is
//! for; the payload optimizer keeps every nominal impact inside its zone
//! ([`crate::optimize::payload::maximize_payload_with`]) and the Monte Carlo reports how much of
//! each footprint falls inside.
//!
//! ```toml
//! format = 1
//! name = "Soyuz from Baikonur to the ISS"
//!
//! [[zone]]
//! name = "Zhezkazgan"
//! stage = "booster"          # a stage kind (booster, core, upper), "fairing", or a stage name
//! latitude_deg = 47.78
//! longitude_deg = 67.71
//! radius_km = 50.0
//! margin_km = 0.0            # optional: keep the nominal impact this far inside the edge
//! source = "where the figures come from"
//! ```

use serde::Deserialize;
use toml::Spanned;

use super::body_tumbling;
use super::fall::{fall, Air, FallOptions, FallStart, Impact};
use super::footprint::GeoPoint;
use super::monte_carlo::BodyImpacts;
use crate::environment::earth::{great_circle_distance_m, MEAN_RADIUS_M};
use crate::error::{Error, FileError};
use crate::flight::JettisonedBody;
use crate::vehicle::toml_text::{check_format, line_of, parse};
use crate::vehicle::{StageKind, Vehicle};

/// Built-in zone files (`data/dropzones/`): ids and texts, sorted by id.
const CATALOG: [(&str, &str); 1] = [("baikonur-iss", include_str!("../../../../data/dropzones/baikonur-iss.toml"))];

/// Which jettisoned bodies a zone is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneBodies {
    /// Every stage of a kind.
    Kind(StageKind),
    /// The stage of this name.
    Stage(String),
    /// The fairing halves.
    Fairing,
}

impl ZoneBodies {
    /// Whether a jettisoned body of `vehicle` is one of these.
    pub fn matches(&self, vehicle: &Vehicle, body: &JettisonedBody) -> bool {
        let stage = body.stage.and_then(|i| vehicle.stages.get(i));
        match self {
            ZoneBodies::Kind(kind) => body.kind == Some(*kind),
            ZoneBodies::Stage(name) => stage.is_some_and(|s| &s.name == name),
            ZoneBodies::Fairing => body.stage.is_none(),
        }
    }

    /// Whether `vehicle` has anything this selects (a stage of the kind or name, a fairing).
    fn exists_in(&self, vehicle: &Vehicle) -> bool {
        match self {
            ZoneBodies::Kind(kind) => vehicle.stages.iter().any(|s| s.kind == *kind),
            ZoneBodies::Stage(name) => vehicle.stages.iter().any(|s| &s.name == name),
            ZoneBodies::Fairing => vehicle.fairing.is_some(),
        }
    }
}

impl std::fmt::Display for ZoneBodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZoneBodies::Kind(StageKind::Booster) => f.write_str("booster"),
            ZoneBodies::Kind(StageKind::Core) => f.write_str("core"),
            ZoneBodies::Kind(StageKind::Upper) => f.write_str("upper"),
            ZoneBodies::Stage(name) => f.write_str(name),
            ZoneBodies::Fairing => f.write_str("fairing"),
        }
    }
}

/// One designated area: a circle on the mean sphere (the range maps' convention).
#[derive(Debug, Clone, PartialEq)]
pub struct DesignatedZone {
    /// Name of the area (`Zhezkazgan`).
    pub name: String,
    /// What falls there.
    pub bodies: ZoneBodies,
    /// Centre, geodetic latitude, degrees north.
    pub latitude_deg: f64,
    /// Centre, longitude, degrees east.
    pub longitude_deg: f64,
    /// Radius, km.
    pub radius_km: f64,
    /// How far inside the edge the nominal impact must stay, km: room for the dispersed falls
    /// around it (e.g. the 3-sigma semi-major axis of a first `dropzones` run).
    pub margin_km: f64,
    /// Where the area comes from.
    pub source: String,
}

impl DesignatedZone {
    /// Great-circle distance from the zone's centre to a point, km.
    pub fn distance_km(&self, latitude_deg: f64, longitude_deg: f64) -> f64 {
        great_circle_distance_m(
            self.latitude_deg.to_radians(),
            self.longitude_deg.to_radians(),
            latitude_deg.to_radians(),
            longitude_deg.to_radians(),
        ) / 1e3
    }

    /// The radius the nominal impact must keep within: the radius less the margin, km.
    pub fn nominal_radius_km(&self) -> f64 {
        self.radius_km - self.margin_km
    }

    /// The zone's edge as `vertices` points, counter-clockwise seen from above (the exterior
    /// ring of RFC 7946), starting due north: points at `radius_km` along great circles of the
    /// mean sphere, the distance [`Self::distance_km`] measures.
    pub fn outline(&self, vertices: usize) -> Vec<GeoPoint> {
        let (lat, lon) = (self.latitude_deg.to_radians(), self.longitude_deg.to_radians());
        let angle = self.radius_km * 1e3 / MEAN_RADIUS_M;
        (0..vertices)
            .map(|k| {
                // Bearing clockwise from north, stepped backwards: counter-clockwise.
                let bearing = -std::f64::consts::TAU * k as f64 / vertices as f64;
                let sin_lat = lat.sin() * angle.cos() + lat.cos() * angle.sin() * bearing.cos();
                let lat2 = sin_lat.clamp(-1.0, 1.0).asin();
                let lon2 = lon + (bearing.sin() * angle.sin() * lat.cos()).atan2(angle.cos() - lat.sin() * sin_lat);
                let lon_deg = (lon2.to_degrees() + 180.0).rem_euclid(360.0) - 180.0;
                GeoPoint { latitude_deg: lat2.to_degrees(), longitude_deg: if lon_deg == -180.0 { 180.0 } else { lon_deg } }
            })
            .collect()
    }

    /// Whether an impact lies inside the zone.
    pub fn contains(&self, impact: &Impact) -> bool {
        self.distance_km(impact.latitude_deg, impact.longitude_deg) <= self.radius_km
    }
}

/// Most zones of a zone file: a range assigns a handful per mission.
pub const MAX_ZONES: usize = 100;

/// The designated zones of a mission, read from a zone file.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignatedZones {
    /// What the zones are for (`Soyuz from Baikonur to the ISS`).
    pub name: String,
    /// File name or catalog id the zones came from (for messages).
    pub file: String,
    /// The zones.
    pub zones: Vec<DesignatedZone>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    format: Spanned<i64>,
    name: String,
    #[serde(default)]
    zone: Vec<ZoneEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneEntry {
    name: String,
    stage: Spanned<String>,
    latitude_deg: Spanned<f64>,
    longitude_deg: Spanned<f64>,
    radius_km: Spanned<f64>,
    margin_km: Option<Spanned<f64>>,
    source: String,
}

impl DesignatedZones {
    /// Parse and validate a zone file; `file` names the text in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<Self, FileError> {
        let raw: ZoneFile = parse(text, file)?;
        check_format(text, file, Some(&raw.format), 1)?;
        let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));
        if raw.zone.is_empty() {
            return Err(FileError::new(file, None, "zone", "the file lists no [[zone]]"));
        }
        if let Some(extra) = raw.zone.get(MAX_ZONES) {
            return Err(FileError::new(
                file,
                at(extra.stage.span()),
                format!("zone[{}]", MAX_ZONES + 1),
                format!("a zone file lists at most {MAX_ZONES} zones, this one {}", raw.zone.len()),
            ));
        }
        let zones = raw
            .zone
            .into_iter()
            .enumerate()
            .map(|(i, z)| {
                // Numbered from 1, as the stages and engines of a vehicle file are.
                let key = |k: &str| format!("zone[{}].{k}", i + 1);
                let number = |v: &Spanned<f64>, k: &str, ok: bool, what: &str| {
                    let x = *v.get_ref();
                    if x.is_finite() && ok {
                        Ok(x)
                    } else {
                        Err(FileError::new(file, at(v.span()), key(k), format!("{what}, got {x}")))
                    }
                };
                let lat = *z.latitude_deg.get_ref();
                let lon = *z.longitude_deg.get_ref();
                let radius = *z.radius_km.get_ref();
                let margin_km = match &z.margin_km {
                    Some(m) => number(m, "margin_km", (0.0..radius).contains(m.get_ref()), "a margin of at least 0 and below the radius")?,
                    None => 0.0,
                };
                let bodies = match z.stage.get_ref().as_str() {
                    "booster" => ZoneBodies::Kind(StageKind::Booster),
                    "core" => ZoneBodies::Kind(StageKind::Core),
                    "upper" => ZoneBodies::Kind(StageKind::Upper),
                    "fairing" => ZoneBodies::Fairing,
                    "" => return Err(FileError::new(file, at(z.stage.span()), key("stage"), "must name a stage kind or a stage")),
                    name => ZoneBodies::Stage(name.to_owned()),
                };
                Ok(DesignatedZone {
                    name: z.name,
                    bodies,
                    latitude_deg: number(&z.latitude_deg, "latitude_deg", lat.abs() <= 90.0, "a latitude within ±90°")?,
                    longitude_deg: number(&z.longitude_deg, "longitude_deg", lon.abs() <= 360.0, "a longitude within ±360°")?,
                    radius_km: number(&z.radius_km, "radius_km", radius > 0.0 && radius < 5000.0, "a radius above 0 and below 5,000 km")?,
                    margin_km,
                    source: z.source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DesignatedZones { name: raw.name, file: file.to_owned(), zones })
    }

    /// A built-in zone file by id (`baikonur-iss`), or a zone file by path.
    pub fn resolve(id_or_path: &str) -> crate::Result<Self> {
        if let Some((id, text)) = CATALOG.iter().find(|(id, _)| *id == id_or_path) {
            return Ok(Self::from_toml(text, &format!("{id}.toml"))?);
        }
        let path = std::path::Path::new(id_or_path);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|e| Error::invalid("--drop-zones", format!("{id_or_path}: {e}")))?;
            return Ok(Self::from_toml(&text, id_or_path)?);
        }
        Err(Error::invalid(
            "--drop-zones",
            format!("{id_or_path:?} is neither a built-in zone file ({}) nor a file", catalog_ids().join(", ")),
        ))
    }

    /// Check that every zone selects something `vehicle` drops: a zone for a stage the vehicle
    /// lacks is a mistake in the mission, not a constraint that holds trivially.
    pub fn check_against(&self, vehicle: &Vehicle) -> Result<(), FileError> {
        for (i, zone) in self.zones.iter().enumerate() {
            if !zone.bodies.exists_in(vehicle) {
                let stages: Vec<&str> = vehicle.stages.iter().map(|s| s.name.as_str()).collect();
                return Err(FileError::new(
                    &self.file,
                    None,
                    format!("zone[{}].stage", i + 1),
                    format!(
                        "{:?} selects nothing {} drops (its stages: {}; kinds booster, core, upper; fairing)",
                        zone.bodies.to_string(),
                        vehicle.name,
                        stages.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A jettisoned body's nominal impact measured against the zone that selects it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneCheck {
    /// Index of the zone in its file.
    pub zone: usize,
    /// Index of the body in the flight's jettisoned bodies (and so in a Monte Carlo's results).
    pub body_index: usize,
    /// Name of the body (`Boosters (Blocks B, V, G, D)`).
    pub body: String,
    /// Distance of the nominal impact from the zone's centre, km; `None` when the body did not
    /// come down.
    pub distance_km: Option<f64>,
    /// Whether the nominal impact lies inside the zone, its margin kept.
    pub inside: bool,
}

/// How far outside its zone a body may be counted, in radii: a body that does not come down, or
/// a zone that selects nothing of this flight, counts as this much outside, which keeps the
/// optimizer's penalty finite.
pub const MAX_ZONE_EXCESS: f64 = 10.0;

impl DesignatedZones {
    /// The nominal (undispersed, windless) fall of every jettisoned body a zone selects, measured
    /// against that zone, in zone order.
    pub fn check_nominal(&self, vehicle: &Vehicle, jettisoned: &[JettisonedBody]) -> Vec<ZoneCheck> {
        check_nominal(&self.zones, vehicle, jettisoned)
    }
}

/// See [`DesignatedZones::check_nominal`].
pub fn check_nominal(zones: &[DesignatedZone], vehicle: &Vehicle, jettisoned: &[JettisonedBody]) -> Vec<ZoneCheck> {
    let air = Air::default();
    let options = FallOptions::default();
    let mut checks = Vec::new();
    for (i, zone) in zones.iter().enumerate() {
        for (body_index, body) in jettisoned.iter().enumerate().filter(|(_, b)| zone.bodies.matches(vehicle, b)) {
            let tumbling = body_tumbling(vehicle, body);
            let impact =
                fall(&FallStart::from(&body.point), body.mass_kg, &tumbling, &air, &options).ok().and_then(|o| o.impact().copied());
            let distance_km = impact.map(|p| zone.distance_km(p.latitude_deg, p.longitude_deg));
            let inside = distance_km.is_some_and(|d| d <= zone.nominal_radius_km());
            checks.push(ZoneCheck { zone: i, body_index, body: body.name.clone(), distance_km, inside });
        }
    }
    checks
}

/// How many of each checked body's dispersed falls land inside its zone, in the order of
/// `checks` (`results` are a Monte Carlo's, in the flight's order of jettisoned bodies). A fall
/// that does not come down is not inside: the share is out of all samples.
pub fn dispersed_inside(zones: &[DesignatedZone], checks: &[ZoneCheck], results: &[BodyImpacts]) -> Vec<usize> {
    checks
        .iter()
        .map(|c| {
            let zone = &zones[c.zone];
            results.get(c.body_index).map_or(0, |b| b.impacts.iter().filter(|s| zone.contains(&s.impact)).count())
        })
        .collect()
}

/// How far the worst body lies outside its zone, in zone radii (`(distance − (radius − margin)) /
/// radius`, negative when every body is inside), and that body's check. A zone that selects nothing of
/// this flight, or a body that does not come down, counts as [`MAX_ZONE_EXCESS`].
pub fn worst_excess<'c>(zones: &[DesignatedZone], checks: &'c [ZoneCheck]) -> (f64, Option<&'c ZoneCheck>) {
    let mut worst = (f64::NEG_INFINITY, None);
    for (i, zone) in zones.iter().enumerate() {
        let mut any = false;
        for c in checks.iter().filter(|c| c.zone == i) {
            any = true;
            let excess = c.distance_km.map_or(MAX_ZONE_EXCESS, |d| ((d - zone.nominal_radius_km()) / zone.radius_km).min(MAX_ZONE_EXCESS));
            if excess > worst.0 {
                worst = (excess, Some(c));
            }
        }
        if !any && MAX_ZONE_EXCESS > worst.0 {
            worst = (MAX_ZONE_EXCESS, None);
        }
    }
    worst
}

/// Ids of the built-in zone files.
pub fn catalog_ids() -> Vec<&'static str> {
    CATALOG.iter().map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::catalog::resolve_vehicle;

    const ONE: &str = "format = 1\nname = \"test\"\n[[zone]]\nname = \"A\"\nstage = \"booster\"\nlatitude_deg = 47.0\nlongitude_deg = 67.0\nradius_km = 50.0\nsource = \"s\"\n";

    #[test]
    fn builtin_zones_parse_and_fit_soyuz() {
        for id in catalog_ids() {
            let zones = DesignatedZones::resolve(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(!zones.zones.is_empty());
            let (soyuz, _) = resolve_vehicle("soyuz-2.1b").unwrap();
            zones.check_against(&soyuz).unwrap();
        }
    }

    #[test]
    fn distance_and_containment_on_the_mean_sphere() {
        let zones = DesignatedZones::from_toml(ONE, "z.toml").unwrap();
        let z = &zones.zones[0];
        // One degree of latitude on the mean sphere is 111.195 km.
        let d = z.distance_km(48.0, 67.0);
        assert!((d - 111.195).abs() < 0.01, "{d}");
        assert!(z.distance_km(47.4, 67.0) < z.radius_km && z.distance_km(47.0, 67.6) < z.radius_km);
        assert!(z.distance_km(47.0, 67.8) > z.radius_km);
    }

    #[test]
    fn the_outline_lies_on_the_edge_counter_clockwise() {
        let zones = DesignatedZones::from_toml(ONE, "z.toml").unwrap();
        let z = &zones.zones[0];
        let ring = z.outline(72);
        assert_eq!(ring.len(), 72);
        for p in &ring {
            assert!((z.distance_km(p.latitude_deg, p.longitude_deg) - z.radius_km).abs() < 1e-6, "{p:?}");
        }
        // Due north first, then west (counter-clockwise).
        assert!(ring[0].latitude_deg > z.latitude_deg && (ring[0].longitude_deg - z.longitude_deg).abs() < 1e-9);
        assert!(ring[18].longitude_deg < z.longitude_deg);
        // Positive shoelace area in (longitude, latitude): counter-clockwise.
        let area: f64 = ring
            .iter()
            .zip(ring.iter().cycle().skip(1))
            .map(|(a, b)| a.longitude_deg * b.latitude_deg - b.longitude_deg * a.latitude_deg)
            .sum();
        assert!(area > 0.0);
    }

    #[test]
    fn bad_files_name_the_field() {
        let bad = |from: &str, to: &str| DesignatedZones::from_toml(&ONE.replace(from, to), "z.toml").unwrap_err();
        let e = bad("radius_km = 50.0", "radius_km = -5.0");
        assert_eq!((e.location.key.as_str(), e.location.line), ("zone[1].radius_km", Some(8)), "{e}");
        let e = bad("radius_km = 50.0", "radius_km = 50.0\nmargin_km = 60.0");
        assert!(e.to_string().contains("zone[1].margin_km") && e.to_string().contains("below the radius"), "{e}");
        assert!(bad("latitude_deg = 47.0", "latitude_deg = 97.0").to_string().contains("zone[1].latitude_deg"));
        assert!(bad("format = 1", "format = 2").to_string().contains("format"));
        assert!(bad("source = \"s\"", "source = \"s\"\ncolour = 1").to_string().contains("colour"));
        assert!(bad("stage = \"booster\"", "stage = \"\"").to_string().contains("zone[1].stage"));
        let e = DesignatedZones::from_toml("format = 1\nname = \"x\"\n", "z.toml").unwrap_err();
        assert!(e.to_string().contains("no [[zone]]"), "{e}");
        let zone = &ONE[ONE.find("[[zone]]").expect("a zone")..];
        let many = format!("{}{}", &ONE[..ONE.find("[[zone]]").expect("a zone")], zone.repeat(MAX_ZONES + 1));
        let e = DesignatedZones::from_toml(&many, "z.toml").unwrap_err();
        assert_eq!(e.location.key, format!("zone[{}]", MAX_ZONES + 1), "{e}");
        assert!(e.to_string().contains("at most 100 zones"), "{e}");
        let e = DesignatedZones::resolve("nowhere-zones").unwrap_err();
        assert!(e.to_string().contains("baikonur-iss"), "{e}");
    }

    #[test]
    fn a_zone_for_a_stage_the_vehicle_lacks_is_refused() {
        let (soyuz_v, _) = resolve_vehicle("soyuz-2.1v").unwrap();
        let zones = DesignatedZones::from_toml(ONE, "z.toml").unwrap();
        let e = zones.check_against(&soyuz_v).unwrap_err();
        assert!(e.to_string().contains("zone[1].stage") && e.to_string().contains("Soyuz-2.1v"), "{e}");
        let named = DesignatedZones::from_toml(&ONE.replace("\"booster\"", "\"Block I\""), "z.toml").unwrap();
        assert_eq!(named.zones[0].bodies, ZoneBodies::Stage("Block I".into()));
        named.check_against(&resolve_vehicle("soyuz-2.1b").unwrap().0).unwrap();
    }

    /// The share counts the falls within the zone's radius, out of every sample of the body the
    /// check names: a fall 40 km from the centre of a 50 km zone is in, one 60 km away is out.
    #[test]
    fn dispersed_inside_counts_the_falls_within_the_radius() {
        use crate::dropzone::monte_carlo::SampleImpact;
        let zones = DesignatedZones::from_toml(ONE, "z.toml").unwrap();
        let zone = &zones.zones[0];
        let north_km = |km: f64| zone.latitude_deg + (km * 1e3 / MEAN_RADIUS_M).to_degrees();
        let at = |sample: usize, km: f64| SampleImpact {
            sample,
            impact: Impact {
                time_s: 0.0,
                flight_time_s: 0.0,
                latitude_deg: north_km(km),
                longitude_deg: zone.longitude_deg,
                speed_m_s: 0.0,
                position_eci_m: nalgebra::Vector3::zeros(),
            },
            downrange_km: 0.0,
        };
        let body = |impacts: Vec<SampleImpact>| BodyImpacts {
            name: "b".into(),
            stage: Some(0),
            tumbling: crate::vehicle::Tumbling { cd: 1.0, area_m2: 1.0 },
            impacts,
            not_down: 0,
        };
        let results = [body(vec![at(0, 0.0)]), body(vec![at(0, 40.0), at(1, 60.0), at(2, -45.0)])];
        let check = |body_index| ZoneCheck { zone: 0, body_index, body: "b".into(), distance_km: Some(0.0), inside: true };
        assert_eq!(dispersed_inside(&zones.zones, &[check(1), check(0), check(5)], &results), [2, 1, 0]);
    }
}
