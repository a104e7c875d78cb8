//! The built-in launch sites as front ends list them (`GET /api/sites`, Python's `sites()`):
//! one entry per pad, its corridors split into azimuth and inclination ranges; and the pad a
//! user's site argument stands for ([`resolve_site`]), a catalog id or a site file, resolved
//! the same way by the command line and the Python package.

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::Result;
use crate::vehicle::{is_site_file, Corridor, Site, SiteCatalog};

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

/// The pad a vehicle of `family` flies from when the user gives `site`, with the note to show
/// when it is not the family's pad: a site file's first pad ([`Site::from_file`]), whatever the
/// family, or the catalog's choice at a cosmodrome or pad id ([`SiteCatalog::pad_for`]). The web
/// API does not call this: a request reads no files.
pub fn resolve_site(site: &str, family: Option<&str>) -> Result<(Site, Option<String>)> {
    if is_site_file(site) {
        return Ok((Site::from_file(site)?, None));
    }
    let catalog = SiteCatalog::builtin()?;
    let choice = catalog.pad_for(site, family)?;
    Ok((choice.site.clone(), choice.note))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site file's first pad is flown from whatever the family; a catalog id picks the
    /// family's pad; a missing file, an empty one and a bad key are refused naming the path, the
    /// line or the key.
    #[test]
    fn a_site_argument_is_a_catalog_id_or_a_site_file() {
        // A scratch directory of this test's own (the core has no temporary-directory crate).
        let dir = std::env::temp_dir().join(format!("cosmodrome-site-argument-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Pads.TOML");
        let two_pads = "format = 1\n\n[[site]]\nid = \"a-1\"\ncosmodrome = \"a\"\nname = \"A 1\"\nlatitude_deg = 10.0\n\
                        longitude_deg = 20.0\naltitude_m = 5.0\nsource = \"s\"\nfamilies = [\"Angara\"]\n\n[[site]]\nid = \"a-2\"\n\
                        cosmodrome = \"a\"\nname = \"A 2\"\nlatitude_deg = 11.0\nlongitude_deg = 20.0\naltitude_m = 5.0\nsource = \"s\"\n";
        std::fs::write(&path, two_pads).unwrap();
        let file = path.to_str().expect("a UTF-8 path");
        let (pad, note) = resolve_site(file, Some("Soyuz-2")).expect("the file's first pad");
        assert_eq!((pad.id.as_str(), note), ("a-1", None));
        let (pad, note) = resolve_site("vostochny", Some("Angara")).expect("the catalog's");
        assert_eq!((pad.id.as_str(), note), ("vostochny-1a", None));

        let e = resolve_site("no-such-pad.toml", None).unwrap_err().to_string();
        assert_eq!(e, "invalid --site: site file not found: no-such-pad.toml");
        let e = resolve_site("Vostochny.toml", None).unwrap_err().to_string();
        assert!(e.ends_with("did you mean the catalog site `vostochny`?"), "{e}");
        let e = resolve_site(dir.to_str().unwrap(), None).unwrap_err().to_string();
        assert!(e.contains("unknown site"), "a path without .toml is an id: {e}");
        std::fs::create_dir_all(dir.join("d.toml")).unwrap();
        let e = resolve_site(dir.join("d.toml").to_str().unwrap(), None).unwrap_err().to_string();
        assert!(e.contains("is a directory, not a site file"), "{e}");

        std::fs::write(&path, "format = 1\n").unwrap();
        let e = resolve_site(file, None).unwrap_err().to_string();
        assert!(e.contains("Pads.TOML") && e.contains("the file lists no [[site]]"), "{e}");
        std::fs::write(&path, two_pads.replace("altitude_m = 5.0\nsource = \"s\"\nfamilies", "source = \"s\"\nfamilies")).unwrap();
        let Err(crate::Error::File(e)) = resolve_site(file, None) else { panic!("a file error") };
        assert_eq!((e.location.file.as_str(), e.location.line), (file, Some(3)), "{e}");
        assert!(e.message.contains("altitude_m"), "{e}");
        // A pad with a catalog pad's or cosmodrome's id is refused at its id's line: the outputs
        // name the file's pad by its id.
        for (id, taken) in [("Vostochny-1S", "the catalog's pad `vostochny-1s`"), ("kourou", "the catalog's cosmodrome `kourou`")] {
            std::fs::write(&path, two_pads.replace("id = \"a-1\"", &format!("id = \"{id}\""))).unwrap();
            let Err(crate::Error::File(e)) = resolve_site(file, None) else { panic!("a file error") };
            assert_eq!((e.location.line, e.location.key.as_str()), (Some(4), "site[0].id"), "{e}");
            assert!(e.message.starts_with(&format!("pad id `{id}` is {taken}")), "{e}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
