//! The built-in launch sites as front ends list them (`GET /api/sites`, Python's `sites()`):
//! one entry per pad, its corridors split into azimuth and inclination ranges.

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Result;
use crate::vehicle::{Corridor, Site, SiteCatalog};

/// One pad of the built-in sites.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SiteEntry {
    /// Pad id.
    pub id: String,
    /// Cosmodrome id.
    pub cosmodrome: String,
    /// Name.
    pub name: String,
    /// Vehicle families it serves.
    pub families: Vec<String>,
    /// Geodetic latitude, degrees north.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Altitude, m.
    pub altitude_m: f64,
    /// Allowed azimuth corridors, degrees from north (`[min, max]`).
    pub azimuth_corridors_deg: Vec<[f64; 2]>,
    /// Allowed inclination ranges, degrees (`[min, max]`).
    pub inclination_ranges_deg: Vec<[f64; 2]>,
    /// The lowest inclination it allows (the default target), degrees.
    pub default_inclination_deg: f64,
}

impl SiteEntry {
    /// The entry of one pad.
    pub fn of(s: &Site) -> Self {
        let (mut azimuths, mut inclinations) = (Vec::new(), Vec::new());
        for c in &s.corridors {
            match *c {
                Corridor::Azimuth { min_deg, max_deg } => azimuths.push([min_deg, max_deg]),
                Corridor::Inclination { min_deg, max_deg } => inclinations.push([min_deg, max_deg]),
            }
        }
        SiteEntry {
            id: s.id.clone(),
            cosmodrome: s.cosmodrome.clone(),
            name: s.name.clone(),
            families: s.families.clone(),
            latitude_deg: s.latitude_deg,
            longitude_deg: s.longitude_deg,
            altitude_m: s.altitude_m,
            azimuth_corridors_deg: azimuths,
            inclination_ranges_deg: inclinations,
            default_inclination_deg: s.default_inclination_deg(),
        }
    }
}

/// Every pad of the built-in site catalog, in its order.
pub fn sites() -> Result<Vec<SiteEntry>> {
    Ok(SiteCatalog::builtin()?.sites.iter().map(SiteEntry::of).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pad is listed with its corridors: Vostochny's Soyuz pad by inclination ranges,
    /// Sriharikota's by azimuths, each with the lowest inclination it allows.
    #[test]
    fn every_pad_is_listed_with_its_corridors() {
        let all = sites().expect("built-in sites");
        assert_eq!(all.len(), SiteCatalog::builtin().unwrap().sites.len());
        let soyuz = all.iter().find(|s| s.id == "vostochny-1s").expect("Vostochny 1S");
        assert!(soyuz.inclination_ranges_deg.contains(&[50.0, 52.0]) && soyuz.azimuth_corridors_deg.is_empty(), "{soyuz:?}");
        assert!((soyuz.default_inclination_deg - 50.0).abs() < 2.0, "{soyuz:?}");
        let shar = all.iter().find(|s| s.id == "sriharikota-flp").expect("Sriharikota");
        assert_eq!(shar.azimuth_corridors_deg, vec![[132.0, 140.0]]);
    }
}
