//! Launch sites (pads) and their allowed launch corridors; parsed from `data/sites.toml`.
//! PLACEHOLDER: implemented by the vehicle-file work.

/// An allowed launch corridor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Corridor {
    /// Launch azimuths from `min_deg` to `max_deg` (clockwise from north) are allowed.
    Azimuth {
        /// Lowest allowed azimuth, degrees.
        min_deg: f64,
        /// Highest allowed azimuth, degrees.
        max_deg: f64,
    },
    /// Orbit inclinations from `min_deg` to `max_deg` are allowed.
    Inclination {
        /// Lowest allowed inclination, degrees.
        min_deg: f64,
        /// Highest allowed inclination, degrees.
        max_deg: f64,
    },
}

/// A launch pad.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Pad id (`vostochny-1s`).
    pub id: String,
    /// Cosmodrome id the pad belongs to (`vostochny`).
    pub cosmodrome: String,
    /// Display name.
    pub name: String,
    /// Geodetic latitude, degrees north.
    pub latitude_deg: f64,
    /// Longitude, degrees east.
    pub longitude_deg: f64,
    /// Altitude above the WGS-84 ellipsoid, m.
    pub altitude_m: f64,
    /// Allowed corridors; empty means unrestricted.
    pub corridors: Vec<Corridor>,
    /// Sources of the figures.
    pub sources: Vec<String>,
}

/// All known sites.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteCatalog {
    /// The pads, in file order.
    pub sites: Vec<Site>,
}
