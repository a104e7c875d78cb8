//! Launch sites (pads) and their allowed launch corridors; parsed from `data/sites.toml`.
//!
//! A site file has `format = 1` and one `[[site]]` table per pad:
//!
//! ```toml
//! format = 1
//! [[site]]
//! id = "vostochny-1s"            # pad id, unique
//! cosmodrome = "vostochny"       # `get("vostochny")` gives the first pad of the cosmodrome
//! name = "Vostochny Site 1S (Soyuz-2)"
//! families = ["Soyuz-2"]         # optional: the vehicle families the pad serves
//! families_source = "..."        # optional
//! latitude_deg = 51.884167       # geodetic, north positive, [-90, 90]
//! longitude_deg = 128.334722     # east positive, [-180, 360)
//! altitude_m = 278.0
//! source = "..."
//! corridors = [{ inclination_min_deg = 50.0, inclination_max_deg = 52.0 }, { azimuth_min_deg = 35.0, azimuth_max_deg = 120.0 }]
//! corridor_source = "..."        # optional
//! notes = "..."                  # optional
//! ```
//!
//! Unknown keys are errors; every error names the file, the line and the key.
//!
//! A vehicle flies from its family's pad: [`SiteCatalog::pad_for`] turns a cosmodrome id into the
//! first of its pads that lists the vehicle's family, and into the cosmodrome's first pad, with a
//! note saying so, when none does.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::toml_text::{backticked, is_syntax_error, line_of, nearest, with_suggestion};
use crate::error::{Error, FileError};

/// The built-in site list.
const BUILTIN_SITES_TOML: &str = include_str!("../../../../data/sites.toml");

/// File name the built-in site list is reported under.
const BUILTIN_SITES_FILE: &str = "sites.toml";

/// The site-file format version this parser reads.
const SITES_FORMAT: i64 = 1;

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

impl fmt::Display for Corridor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Corridor::Azimuth { min_deg, max_deg } => write!(f, "azimuth {min_deg}–{max_deg}°"),
            Corridor::Inclination { min_deg, max_deg } => write!(f, "inclination {min_deg}–{max_deg}°"),
        }
    }
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
    /// Vehicle families the pad serves (`Angara`, `Soyuz-2`); empty when the sources name none.
    pub families: Vec<String>,
    /// Sources of the figures.
    pub sources: Vec<String>,
}

/// The pad a vehicle flies from, and why when it is not its family's.
#[derive(Debug, Clone, PartialEq)]
pub struct PadChoice<'a> {
    /// The pad.
    pub site: &'a Site,
    /// Said to the user when the pad does not serve the vehicle's family: the cosmodrome has no
    /// pad for it, or the pad was asked for by id.
    pub note: Option<String>,
}

/// Whether a site argument (`--site`, Python's `site=`) names a site file rather than a catalog
/// id: it ends in `.toml`, as no cosmodrome or pad id does.
pub fn is_site_file(site: &str) -> bool {
    site.len() >= ".toml".len() && site.get(site.len() - ".toml".len()..).is_some_and(|end| end.eq_ignore_ascii_case(".toml"))
}

impl Site {
    /// The pad of the site file at `path` ([`SiteCatalog::from_file`]): its first `[[site]]`,
    /// flown from by any vehicle whatever its family, since such a file names a pad the catalog
    /// lacks rather than a cosmodrome to pick a family's pad at.
    ///
    /// Its pad id must be its own: a pad or cosmodrome id of the catalog (`vostochny-1s`) is
    /// refused, since the outputs name the file's pad by its id and could not tell it from the
    /// catalog's (a sweep may fly both), and a run's report would read as flown from the catalog's.
    pub fn from_file(path: &str) -> Result<Site, Error> {
        let text = SiteCatalog::read_file(path)?;
        let catalog = SiteCatalog::from_toml(&text, path)?;
        // The parser refuses a file without a pad; this is not reached.
        let site = catalog.sites.into_iter().next().ok_or_else(|| FileError::new(path, None, "site", "the file lists no [[site]]"))?;
        let builtin = SiteCatalog::builtin()?;
        let taken = match builtin.sites.iter().find(|s| s.id.eq_ignore_ascii_case(&site.id)) {
            Some(pad) => Some(format!("the catalog's pad `{}` ({})", pad.id, pad.name)),
            None => builtin
                .sites
                .iter()
                .find(|s| s.cosmodrome.eq_ignore_ascii_case(&site.id))
                .map(|s| format!("the catalog's cosmodrome `{}`", s.cosmodrome)),
        };
        if let Some(taken) = taken {
            let line = Ctx { text: &text, file: path }.id_line(0);
            return Err(FileError::new(
                path,
                line,
                "site[0].id",
                format!(
                    "pad id `{}` is {taken}: the outputs name a site file's pad by its id and could not tell the two apart; give the file's pad an id of its own, or fly the catalog's pad by its id",
                    site.id
                ),
            )
            .into());
        }
        Ok(site)
    }

    /// Whether the pad serves a vehicle family (case-insensitive).
    pub fn serves(&self, family: &str) -> bool {
        self.families.iter().any(|f| f.eq_ignore_ascii_case(family.trim()))
    }

    /// Whether a launch azimuth (degrees, any turn) is allowed: true when no azimuth corridor
    /// restricts the site or when one of its azimuth corridors contains the azimuth.
    pub fn allows_azimuth(&self, az_deg: f64) -> bool {
        let az = az_deg.rem_euclid(360.0);
        let mut restricted = false;
        for c in &self.corridors {
            if let Corridor::Azimuth { min_deg, max_deg } = *c {
                restricted = true;
                if (min_deg..=max_deg).contains(&az) {
                    return true;
                }
            }
        }
        !restricted
    }

    /// Whether an orbit inclination (degrees) is allowed: true when no inclination corridor
    /// restricts the site or when one of its inclination corridors contains the inclination.
    pub fn allows_inclination(&self, inc_deg: f64) -> bool {
        let mut restricted = false;
        for c in &self.corridors {
            if let Corridor::Inclination { min_deg, max_deg } = *c {
                restricted = true;
                if (min_deg..=max_deg).contains(&inc_deg) {
                    return true;
                }
            }
        }
        !restricted
    }

    /// The allowed inclination nearest to `inc_deg` (degrees): `inc_deg` itself when no
    /// inclination corridor restricts the site or one contains it, else the nearest edge of an
    /// inclination corridor. A restartable upper stage bound for a plane outside them (GLONASS's
    /// 64.8° from Vostochny, whose corridors end at 64°) parks in this one and turns the rest of
    /// the plane in its transfer burns.
    pub fn nearest_allowed_inclination_deg(&self, inc_deg: f64) -> f64 {
        if self.allows_inclination(inc_deg) {
            return inc_deg;
        }
        let mut best = inc_deg;
        let mut best_distance = f64::INFINITY;
        for c in &self.corridors {
            if let Corridor::Inclination { min_deg, max_deg } = *c {
                for edge in [min_deg, max_deg] {
                    if (edge - inc_deg).abs() < best_distance {
                        (best, best_distance) = (edge, (edge - inc_deg).abs());
                    }
                }
            }
        }
        best
    }

    /// The allowed launch azimuth nearest to `az_deg` (degrees, any turn): an edge of the nearest
    /// azimuth corridor, or `az_deg` itself when a corridor contains it; `None` when no azimuth
    /// corridor restricts the site. A vehicle whose orbit needs an azimuth outside the corridors
    /// launches along this one and turns its plane in flight (a dogleg, by yaw steering).
    pub fn nearest_allowed_azimuth_deg(&self, az_deg: f64) -> Option<f64> {
        let az = az_deg.rem_euclid(360.0);
        let distance = |a: f64| ((a - az + 180.0).rem_euclid(360.0) - 180.0).abs();
        let mut best: Option<f64> = None;
        for c in &self.corridors {
            if let Corridor::Azimuth { min_deg, max_deg } = *c {
                let nearest = if (min_deg..=max_deg).contains(&az) {
                    az
                } else if distance(min_deg) <= distance(max_deg) {
                    min_deg
                } else {
                    max_deg
                };
                if best.is_none_or(|b| distance(nearest) < distance(b)) {
                    best = Some(nearest);
                }
            }
        }
        best
    }

    /// Check a launch against the corridors. A site without corridors allows everything; otherwise
    /// the launch is allowed when any corridor allows it (an azimuth corridor checks the azimuth,
    /// an inclination corridor the inclination). The error names the site, the values and the
    /// allowed corridors.
    pub fn check_corridor(&self, azimuth_deg: f64, inclination_deg: f64) -> Result<(), Error> {
        if self.corridors.is_empty() {
            return Ok(());
        }
        let az = azimuth_deg.rem_euclid(360.0);
        let allowed = self.corridors.iter().any(|c| match *c {
            Corridor::Azimuth { min_deg, max_deg } => (min_deg..=max_deg).contains(&az),
            Corridor::Inclination { min_deg, max_deg } => (min_deg..=max_deg).contains(&inclination_deg),
        });
        if allowed {
            return Ok(());
        }
        let has_az = self.corridors.iter().any(|c| matches!(c, Corridor::Azimuth { .. }));
        let has_inc = self.corridors.iter().any(|c| matches!(c, Corridor::Inclination { .. }));
        let what = match (has_az, has_inc) {
            (true, false) => format!("launch azimuth {az:.2}°"),
            (false, true) => format!("inclination {inclination_deg:.2}°"),
            _ => format!("launch azimuth {az:.2}° and inclination {inclination_deg:.2}°"),
        };
        let corridors = self.corridors.iter().map(Corridor::to_string).collect::<Vec<_>>().join(", ");
        Err(Error::Unreachable(format!("{what} is outside the allowed launch corridors of {} (`{}`): {corridors}", self.name, self.id)))
    }

    /// The default target inclination, degrees, rounded up to 0.1°: the lowest inclination the
    /// corridors allow that a direct ascent can reach (not below |latitude|); for an azimuth
    /// corridor, the inclination flown with its azimuth closest to due east; without corridors,
    /// |latitude|.
    pub fn default_inclination_deg(&self) -> f64 {
        let lat_deg = self.latitude_deg.abs();
        let mut best_deg = f64::INFINITY;
        for c in &self.corridors {
            match *c {
                Corridor::Inclination { min_deg, max_deg } => {
                    if max_deg >= lat_deg {
                        best_deg = best_deg.min(min_deg.max(lat_deg));
                    }
                }
                Corridor::Azimuth { min_deg, max_deg } => {
                    let az_deg = closest_to_east_deg(min_deg, max_deg);
                    best_deg = best_deg.min(inclination_for_azimuth_deg(self.latitude_deg, az_deg).max(lat_deg));
                }
            }
        }
        if !best_deg.is_finite() {
            best_deg = lat_deg;
        }
        round_up_tenth(best_deg)
    }
}

/// Azimuth in `[min_deg, max_deg]` closest to due east (90°).
fn closest_to_east_deg(min_deg: f64, max_deg: f64) -> f64 {
    if (min_deg..=max_deg).contains(&90.0) {
        return 90.0;
    }
    let distance = |az: f64| ((az - 90.0 + 180.0).rem_euclid(360.0) - 180.0).abs();
    if distance(min_deg) <= distance(max_deg) {
        min_deg
    } else {
        max_deg
    }
}

/// Inclination of the orbit plane through a point at `latitude_deg` heading `azimuth_deg`
/// (spherical Earth, inertial azimuth): `cos i = cos φ · sin A`.
fn inclination_for_azimuth_deg(latitude_deg: f64, azimuth_deg: f64) -> f64 {
    let cos_i = latitude_deg.to_radians().cos() * azimuth_deg.to_radians().sin();
    cos_i.clamp(-1.0, 1.0).acos().to_degrees()
}

/// Round up to the next 0.1 (values within 1e-9 of a tenth stay on it).
fn round_up_tenth(x: f64) -> f64 {
    (x * 10.0 - 1e-9).ceil() / 10.0
}

/// All known sites.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteCatalog {
    /// The pads, in file order.
    pub sites: Vec<Site>,
}

impl SiteCatalog {
    /// The built-in site list (`data/sites.toml`).
    pub fn builtin() -> Result<SiteCatalog, Error> {
        Ok(Self::from_toml(BUILTIN_SITES_TOML, BUILTIN_SITES_FILE)?)
    }

    /// Parse and validate a site file; `file` names the text in error messages.
    pub fn from_toml(text: &str, file: &str) -> Result<SiteCatalog, FileError> {
        let ctx = Ctx { text, file };
        let raw: SitesFile = toml::from_str(text).map_err(|e| ctx.de_error(&e))?;
        if *raw.format.get_ref() != SITES_FORMAT {
            return Err(ctx.err(
                raw.format.span(),
                "format",
                format!("unsupported site-file format {}; this version reads format {SITES_FORMAT}", raw.format.get_ref()),
            ));
        }
        if raw.site.is_empty() {
            return Err(FileError::new(file, None, "site", "the file lists no [[site]]"));
        }
        let mut sites: Vec<Site> = Vec::with_capacity(raw.site.len());
        for (i, dto) in raw.site.into_iter().enumerate() {
            let site = ctx.site(i, dto)?;
            sites.push(site);
        }
        ctx.check_unique(&sites)?;
        Ok(SiteCatalog { sites })
    }

    /// A site file read from `path` (named in errors as given), parsed by [`SiteCatalog::from_toml`].
    /// A file that is not there or cannot be read is [`Error::InvalidInput`] of `--site` naming
    /// the path (and the catalog site a missing `vostochny.toml` stands for); what the file says
    /// wrong is the parser's [`FileError`] at its line and key.
    pub fn from_file(path: &str) -> Result<SiteCatalog, Error> {
        let text = Self::read_file(path)?;
        Ok(Self::from_toml(&text, path)?)
    }

    /// The text of the site file at `path` ([`SiteCatalog::from_file`]'s errors).
    fn read_file(path: &str) -> Result<String, Error> {
        let file = std::path::Path::new(path);
        if file.is_dir() {
            return Err(Error::invalid("--site", format!("{path} is a directory, not a site file")));
        }
        if !file.is_file() {
            // A catalog site's id typed as a file name (`vostochny.toml`): name the id.
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let builtin = Self::builtin()?;
            let hint = match builtin.ids().into_iter().find(|id| id.eq_ignore_ascii_case(&stem)) {
                Some(id) => format!("; did you mean the catalog site `{id}`?"),
                None => String::new(),
            };
            return Err(Error::invalid("--site", format!("site file not found: {path}{hint}")));
        }
        std::fs::read_to_string(file).map_err(|e| Error::invalid("--site", format!("cannot read site file {path}: {e}")))
    }

    /// A pad by pad id or by cosmodrome id (its first pad in file order, the cosmodrome's default
    /// pad), case-insensitive. An unknown id gives [`Error::UnknownSite`] with the nearest
    /// cosmodrome and pad ids and the list of cosmodromes.
    pub fn get(&self, id: &str) -> Result<&Site, Error> {
        self.pad_for(id, None).map(|choice| choice.site)
    }

    /// The pad a vehicle of `family` flies from when the user names `id`: a pad id gives that pad
    /// (with a note when it does not serve the family); a cosmodrome id gives its first pad that
    /// serves the family, or else its first pad with a note saying that none does. Without a
    /// family, a cosmodrome gives its first pad. Ids are case-insensitive.
    pub fn pad_for(&self, id: &str, family: Option<&str>) -> Result<PadChoice<'_>, Error> {
        let key = id.trim();
        let family = family.map(str::trim).filter(|f| !f.is_empty());
        if let Some(site) = self.sites.iter().find(|s| s.id.eq_ignore_ascii_case(key)) {
            let note = family.filter(|f| !site.families.is_empty() && !site.serves(f)).map(|f| {
                format!("pad {} ({}) serves {}, not the {f} family; flying from it as asked", site.id, site.name, site.families.join(", "))
            });
            return Ok(PadChoice { site, note });
        }
        let mut pads = self.sites.iter().filter(|s| s.cosmodrome.eq_ignore_ascii_case(key)).peekable();
        let Some(&default) = pads.peek() else {
            let suggestions = nearest(key, self.cosmodromes().into_iter().chain(self.sites.iter().map(|s| s.id.as_str())));
            return Err(Error::UnknownSite {
                id: id.to_owned(),
                suggestions: suggestions.into_iter().map(str::to_owned).collect(),
                valid: self.cosmodromes().join(", "),
            });
        };
        let Some(family) = family else { return Ok(PadChoice { site: default, note: None }) };
        if let Some(site) = pads.find(|s| s.serves(family)) {
            return Ok(PadChoice { site, note: None });
        }
        let note = format!(
            "no pad of {} serves the {family} family; flying from {} ({}), the cosmodrome's default pad",
            default.cosmodrome, default.id, default.name
        );
        Ok(PadChoice { site: default, note: Some(note) })
    }

    /// The cosmodrome ids, in file order, once each.
    pub fn cosmodromes(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for s in &self.sites {
            if !ids.contains(&s.cosmodrome.as_str()) {
                ids.push(&s.cosmodrome);
            }
        }
        ids
    }

    /// Every id [`SiteCatalog::get`] accepts: the cosmodrome ids (file order, once each), then the pad ids.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids = self.cosmodromes();
        ids.extend(self.sites.iter().map(|s| s.id.as_str()));
        ids
    }
}

// ---------------------------------------------------------------------------------------------
// File DTOs

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SitesFile {
    format: Spanned<i64>,
    #[serde(default)]
    site: Vec<SiteDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteDto {
    id: Spanned<String>,
    cosmodrome: Spanned<String>,
    name: Spanned<String>,
    latitude_deg: Spanned<f64>,
    longitude_deg: Spanned<f64>,
    altitude_m: Spanned<f64>,
    source: Spanned<String>,
    #[serde(default)]
    families: Vec<Spanned<String>>,
    families_source: Option<String>,
    #[serde(default)]
    corridors: Vec<Spanned<CorridorDto>>,
    corridor_source: Option<String>,
    #[allow(dead_code)] // Read for the file format; not carried into `Site`.
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorridorDto {
    inclination_min_deg: Option<f64>,
    inclination_max_deg: Option<f64>,
    azimuth_min_deg: Option<f64>,
    azimuth_max_deg: Option<f64>,
}

/// The text being parsed, for turning byte offsets into lines.
struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
}

impl Ctx<'_> {
    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        line_of(self.text, offset)
    }

    /// 0-based index of the `[[site]]` table that contains a byte offset, if any.
    fn site_index(&self, offset: usize) -> Option<usize> {
        let mut index: Option<usize> = None;
        let mut pos = 0;
        for line in self.text.split_inclusive('\n') {
            if pos > offset {
                break;
            }
            match header(line) {
                Some("[[site]]") => index = Some(index.map_or(0, |i| i + 1)),
                Some(_) => index = None,
                None => {}
            }
            pos += line.len();
        }
        index
    }

    fn err(&self, span: Range<usize>, key: impl Into<String>, message: impl Into<String>) -> FileError {
        FileError::new(self.file, Some(self.line(span.start)), key, message)
    }

    /// A TOML or serde error, with line and key recovered from the span and message.
    fn de_error(&self, e: &toml::de::Error) -> FileError {
        let message = with_suggestion(e.message().trim());
        // A syntax error names no key (its backticks quote the syntax expected).
        if is_syntax_error(self.text) {
            return FileError::new(self.file, e.span().map(|s| self.line(s.start)), "", message);
        }
        let field = backticked(&message).unwrap_or_default().to_owned();
        let (line, key) = match e.span() {
            Some(span) => {
                let key = match (self.site_index(span.start), field.is_empty()) {
                    (Some(i), false) => format!("site[{i}].{field}"),
                    (Some(i), true) => format!("site[{i}]"),
                    (None, _) => field,
                };
                (Some(self.line(span.start)), key)
            }
            None => (None, field),
        };
        FileError::new(self.file, line, key, message)
    }

    fn site(&self, i: usize, dto: SiteDto) -> Result<Site, FileError> {
        let key = |k: &str| format!("site[{i}].{k}");
        let id = dto.id.get_ref().trim().to_owned();
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            return Err(self.err(dto.id.span(), key("id"), format!("pad id must be non-empty without spaces, got {:?}", dto.id.get_ref())));
        }
        let cosmodrome = dto.cosmodrome.get_ref().trim().to_owned();
        if cosmodrome.is_empty() || cosmodrome.chars().any(char::is_whitespace) {
            return Err(self.err(
                dto.cosmodrome.span(),
                key("cosmodrome"),
                format!("cosmodrome id must be non-empty without spaces, got {:?}", dto.cosmodrome.get_ref()),
            ));
        }
        if dto.name.get_ref().trim().is_empty() {
            return Err(self.err(dto.name.span(), key("name"), "name must not be empty"));
        }
        if dto.source.get_ref().trim().is_empty() {
            return Err(self.err(dto.source.span(), key("source"), "source must not be empty"));
        }
        let lat = *dto.latitude_deg.get_ref();
        if !(-90.0..=90.0).contains(&lat) {
            return Err(self.err(dto.latitude_deg.span(), key("latitude_deg"), format!("latitude must be within [-90, 90]°, got {lat}°")));
        }
        let lon = *dto.longitude_deg.get_ref();
        if !(-180.0..360.0).contains(&lon) {
            return Err(self.err(
                dto.longitude_deg.span(),
                key("longitude_deg"),
                format!("longitude must be within [-180, 360)°, got {lon}°"),
            ));
        }
        let alt = *dto.altitude_m.get_ref();
        if !alt.is_finite() {
            return Err(self.err(dto.altitude_m.span(), key("altitude_m"), format!("altitude must be finite, got {alt} m")));
        }
        let mut corridors = Vec::with_capacity(dto.corridors.len());
        for (j, c) in dto.corridors.iter().enumerate() {
            corridors.push(self.corridor(&format!("site[{i}].corridors[{j}]"), c)?);
        }
        let mut families: Vec<String> = Vec::with_capacity(dto.families.len());
        for (j, f) in dto.families.iter().enumerate() {
            let family = f.get_ref().trim();
            if family.is_empty() {
                return Err(self.err(f.span(), format!("site[{i}].families[{j}]"), "a family name must not be empty"));
            }
            if families.iter().any(|known| known.eq_ignore_ascii_case(family)) {
                return Err(self.err(f.span(), format!("site[{i}].families[{j}]"), format!("family `{family}` is listed twice")));
            }
            families.push(family.to_owned());
        }
        let mut sources = vec![dto.source.into_inner()];
        sources.extend(dto.corridor_source);
        sources.extend(dto.families_source);
        Ok(Site {
            id,
            cosmodrome,
            name: dto.name.into_inner(),
            latitude_deg: lat,
            longitude_deg: lon,
            altitude_m: alt,
            corridors,
            families,
            sources,
        })
    }

    fn corridor(&self, key: &str, c: &Spanned<CorridorDto>) -> Result<Corridor, FileError> {
        let span = c.span();
        let dto = c.get_ref();
        let (kind, min, max, range_deg) = match (dto.inclination_min_deg, dto.inclination_max_deg, dto.azimuth_min_deg, dto.azimuth_max_deg)
        {
            (Some(min), Some(max), None, None) => ("inclination", min, max, 0.0..=180.0),
            (None, None, Some(min), Some(max)) => ("azimuth", min, max, 0.0..=360.0),
            _ => return Err(self.err(
                span,
                key,
                "a corridor needs exactly one pair: { inclination_min_deg, inclination_max_deg } or { azimuth_min_deg, azimuth_max_deg }",
            )),
        };
        for (name, v) in [("min", min), ("max", max)] {
            if !range_deg.contains(&v) {
                return Err(self.err(
                    span.clone(),
                    format!("{key}.{kind}_{name}_deg"),
                    format!("{kind} must be within [{}, {}]°, got {v}°", range_deg.start(), range_deg.end()),
                ));
            }
        }
        if min > max {
            return Err(self.err(span, format!("{key}.{kind}_min_deg"), format!("corridor minimum {min}° exceeds its maximum {max}°")));
        }
        Ok(if kind == "inclination" {
            Corridor::Inclination { min_deg: min, max_deg: max }
        } else {
            Corridor::Azimuth { min_deg: min, max_deg: max }
        })
    }

    /// Pad ids unique (case-insensitive) and distinct from every cosmodrome id.
    fn check_unique(&self, sites: &[Site]) -> Result<(), FileError> {
        for (i, s) in sites.iter().enumerate() {
            let line = self.id_line(i);
            if let Some(j) = sites[..i].iter().position(|o| o.id.eq_ignore_ascii_case(&s.id)) {
                return Err(FileError::new(
                    self.file,
                    line,
                    format!("site[{i}].id"),
                    format!("pad id `{}` is already used by site[{j}]", s.id),
                ));
            }
            if let Some(o) = sites.iter().find(|o| o.cosmodrome.eq_ignore_ascii_case(&s.id)) {
                return Err(FileError::new(
                    self.file,
                    line,
                    format!("site[{i}].id"),
                    format!("pad id `{}` is also the cosmodrome id of pad `{}`; pad and cosmodrome ids must differ", s.id, o.id),
                ));
            }
        }
        Ok(())
    }

    /// Line of the `id` key of the `index`-th site, found again in the text.
    fn id_line(&self, index: usize) -> Option<usize> {
        let mut seen: Option<usize> = None;
        for (n, line) in self.text.lines().enumerate() {
            let t = line.trim_start();
            if header(line) == Some("[[site]]") {
                seen = Some(seen.map_or(0, |i| i + 1));
            } else if seen == Some(index) && t.strip_prefix("id").is_some_and(|r| r.trim_start().starts_with('=')) {
                return Some(n + 1);
            }
        }
        None
    }
}

/// A table header line (`[x]`, `[[x]]`) with the spaces inside the brackets removed and any
/// comment dropped; `None` for other lines.
fn header(line: &str) -> Option<&'static str> {
    let t = line.trim();
    if !t.starts_with('[') {
        return None;
    }
    let compact: String = t.split('#').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
    Some(if compact == "[[site]]" { "[[site]]" } else { "[other]" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> SiteCatalog {
        SiteCatalog::builtin().expect("built-in site list parses")
    }

    #[test]
    fn builtin_parses_with_the_required_cosmodromes() {
        let c = builtin();
        assert_eq!(c.sites[0].id, "vostochny-1s");
        assert_eq!(c.sites[1].id, "vostochny-1a");
        for id in ["vostochny", "baikonur", "plesetsk", "kourou", "cape-canaveral", "vandenberg"] {
            assert!(c.get(id).is_ok(), "{id}");
        }
        for pad in ["baikonur-31-6", "plesetsk-43-4", "plesetsk-35-1", "kourou-els", "cape-canaveral-slc40", "vandenberg-slc4e"] {
            assert_eq!(c.get(pad).expect(pad).id, pad);
        }
        assert!(c.sites.iter().all(|s| !s.sources.is_empty()));
    }

    #[test]
    fn vostochny_resolves_to_pad_1s_at_51_9_degrees() {
        let c = builtin();
        let s = c.get("VOSTOCHNY").expect("vostochny");
        assert_eq!(s.id, "vostochny-1s");
        assert_eq!(s.default_inclination_deg(), 51.9);
        assert!(s.check_corridor(10.0, 51.9).is_ok());
    }

    #[test]
    fn default_inclinations_follow_latitude_and_corridors() {
        let c = builtin();
        assert_eq!(c.get("plesetsk").unwrap().default_inclination_deg(), 63.0);
        assert_eq!(c.get("kourou").unwrap().default_inclination_deg(), 5.4);
        // Azimuth corridor containing due east: the inclination equals the latitude.
        assert_eq!(c.get("cape-canaveral").unwrap().default_inclination_deg(), 28.6);
        // Azimuth corridor north of east: the azimuth closest to east sets the inclination.
        let mut s = c.get("cape-canaveral").unwrap().clone();
        s.corridors = vec![Corridor::Azimuth { min_deg: 0.0, max_deg: 45.0 }];
        let expected = inclination_for_azimuth_deg(s.latitude_deg, 45.0);
        assert!((s.default_inclination_deg() - round_up_tenth(expected)).abs() < 1e-12);
        assert!(s.default_inclination_deg() > 50.0);
    }

    #[test]
    fn sun_synchronous_97_5_is_allowed_from_vostochny_and_plesetsk() {
        let c = builtin();
        for id in ["vostochny", "vostochny-1a", "plesetsk"] {
            let s = c.get(id).unwrap();
            assert!(s.allows_inclination(97.5), "{id}");
            assert!(s.check_corridor(350.0, 97.5).is_ok(), "{id}");
        }
    }

    #[test]
    fn nearest_allowed_azimuth_is_the_nearest_corridor_edge() {
        let mut s = SiteCatalog::builtin().unwrap().get("vostochny").unwrap().clone();
        assert_eq!(s.nearest_allowed_azimuth_deg(10.0), None, "inclination corridors only");
        s.corridors = vec![Corridor::Azimuth { min_deg: 132.0, max_deg: 140.0 }, Corridor::Azimuth { min_deg: 350.0, max_deg: 355.0 }];
        assert_eq!(s.nearest_allowed_azimuth_deg(135.0), Some(135.0));
        assert_eq!(s.nearest_allowed_azimuth_deg(190.0), Some(140.0));
        assert_eq!(s.nearest_allowed_azimuth_deg(100.0), Some(132.0));
        // Across north: 5° is 10° from 355° and 127° from 132°.
        assert_eq!(s.nearest_allowed_azimuth_deg(5.0), Some(355.0));
        assert_eq!(s.nearest_allowed_azimuth_deg(-200.0), Some(140.0));
    }

    #[test]
    fn nearest_allowed_inclination_is_the_nearest_corridor_edge() {
        let c = builtin();
        let vostochny = c.get("vostochny").unwrap();
        assert_eq!(vostochny.nearest_allowed_inclination_deg(64.8), 64.0, "GLONASS's plane");
        assert_eq!(vostochny.nearest_allowed_inclination_deg(51.0), 51.0, "inside a corridor");
        assert_eq!(vostochny.nearest_allowed_inclination_deg(60.0), 62.0);
        assert_eq!(vostochny.nearest_allowed_inclination_deg(110.0), 99.0);
        // Azimuth corridors leave every inclination to the launch azimuth check.
        assert_eq!(c.get("cape-canaveral").unwrap().nearest_allowed_inclination_deg(64.8), 64.8);
        assert_eq!(c.get("baikonur").unwrap().nearest_allowed_inclination_deg(64.8), 64.8);
    }

    #[test]
    fn corridor_rejection_names_site_value_and_corridors() {
        let c = builtin();
        let v = c.get("vostochny").unwrap();
        assert!(!v.allows_inclination(55.0));
        let Err(Error::Unreachable(msg)) = v.check_corridor(40.0, 55.0) else { panic!("55° must be rejected from Vostochny") };
        for needle in ["Vostochny", "vostochny-1s", "inclination 55.00°", "inclination 50–52°", "97–99°"] {
            assert!(msg.contains(needle), "{needle:?} missing: {msg}");
        }
        let cape = c.get("cape-canaveral").unwrap();
        assert!(cape.allows_azimuth(90.0) && cape.allows_azimuth(-270.0));
        assert!(cape.check_corridor(90.0, 28.6).is_ok());
        let Err(Error::Unreachable(msg)) = cape.check_corridor(190.0, 90.0) else { panic!("az 190° must be rejected from the Cape") };
        assert!(msg.contains("azimuth 190.00°") && msg.contains("azimuth 35–120°") && msg.contains("SLC-40"), "{msg}");
    }

    #[test]
    fn unknown_site_lists_the_cosmodromes_not_every_pad() {
        let c = builtin();
        let e = c.get("moon").unwrap_err();
        let Error::UnknownSite { id, suggestions, valid } = &e else { panic!("{e:?}") };
        assert_eq!(id, "moon");
        assert!(suggestions.is_empty(), "{suggestions:?}");
        assert_eq!(valid, &c.cosmodromes().join(", "));
        for needle in ["vostochny", "baikonur", "cape-canaveral", "kennedy", "sriharikota"] {
            assert!(valid.contains(needle), "{needle}");
        }
        assert!(!valid.contains("vostochny-1s") && !valid.contains("kourou-els"), "{valid}");
        let text = e.to_string();
        assert!(text.contains("`moon`") && text.contains("`cosmodrome sites`"), "{text}");
        assert!(text.len() < 250, "{} characters: {text}", text.len());
        assert_eq!(c.ids()[0], "vostochny");
        assert!(c.ids().contains(&"plesetsk-43-4"));
    }

    #[test]
    fn a_misspelt_site_gets_the_nearest_cosmodrome_or_pad() {
        let c = builtin();
        let hint = |id: &str| match c.get(id).unwrap_err() {
            Error::UnknownSite { suggestions, .. } => suggestions,
            e => panic!("{e:?}"),
        };
        assert_eq!(hint("vostochy"), ["vostochny"]);
        assert_eq!(hint("baikonour"), ["baikonur"]);
        assert_eq!(hint("plesetsk-43/4"), ["plesetsk-43-4"]);
        assert_eq!(hint("kourou-ela"), ["kourou-els", "kourou-ela3", "kourou-ela4", "kourou-elv"]);
        assert!(c
            .get("vostochy")
            .unwrap_err()
            .to_string()
            .starts_with("unknown site `vostochy`; did you mean `vostochny`? cosmodromes: vostochny, baikonur,"));
    }

    #[test]
    fn a_vehicle_flies_from_its_familys_pad() {
        let c = builtin();
        let pad = |id: &str, family: Option<&str>| c.pad_for(id, family).unwrap();
        assert_eq!(pad("vostochny", Some("Angara")).site.id, "vostochny-1a");
        assert_eq!(pad("vostochny", Some("soyuz-2")).site.id, "vostochny-1s");
        assert_eq!(pad("plesetsk", Some("Angara")).site.id, "plesetsk-35-1");
        assert_eq!(pad("plesetsk", Some("Soyuz-2")).site.id, "plesetsk-43-4");
        assert_eq!(pad("kourou", Some("Soyuz-2")).site.id, "kourou-els");
        assert_eq!(pad("Baikonur", Some("Soyuz-2")).site.id, "baikonur-31-6");
        assert!(["vostochny", "plesetsk", "kourou", "baikonur"].iter().all(|id| pad(id, Some("Soyuz-2")).note.is_none()));
        // Without a family, the cosmodrome's first pad, as `get` gives it.
        assert_eq!(pad("plesetsk", None).site.id, c.get("plesetsk").unwrap().id);
        // No Angara pad at Baikonur: the default pad, and a note saying so.
        let choice = pad("baikonur", Some("Angara"));
        assert_eq!(choice.site.id, "baikonur-31-6");
        let note = choice.note.expect("a note");
        assert!(note.contains("no pad of baikonur serves the Angara family") && note.contains("baikonur-31-6"), "{note}");
        // A pad asked for by id is flown from, with a note when it is another family's.
        let choice = pad("vostochny-1s", Some("Angara"));
        assert_eq!(choice.site.id, "vostochny-1s");
        assert!(choice.note.is_some_and(|n| n.contains("Soyuz-2") && n.contains("Angara")));
        assert!(pad("vostochny-1a", Some("Angara")).note.is_none());
        assert!(pad("baikonur-200-40", Some("Angara")).note.is_none(), "a pad that lists no family says nothing");
    }

    #[test]
    fn every_pad_lists_its_families_but_one_without_a_source() {
        let c = builtin();
        let without: Vec<&str> = c.sites.iter().filter(|s| s.families.is_empty()).map(|s| s.id.as_str()).collect();
        assert_eq!(without, ["baikonur-200-40"]);
        assert!(c.get("kennedy-lc39a").unwrap().serves("FALCON"));
    }

    #[test]
    fn family_lists_are_checked() {
        let with = |families: &str| SiteCatalog::from_toml(&format!("{ONE_SITE}families = {families}\n"), "x.toml");
        assert_eq!(with("[\"Angara\"]").unwrap().sites[0].families, ["Angara"]);
        let e = with("[\"Angara\", \" \"]").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(11), "site[0].families[1]"), "{e}");
        let e = with("[\"Angara\", \"angara\"]").unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = SiteCatalog::from_toml(&format!("{ONE_SITE}familes = [\"Angara\"]\n"), "x.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(11), "site[0].familes"), "{e}");
        assert!(e.message.contains("did you mean `families`?"), "{e}");
    }

    const ONE_SITE: &str = "format = 1\n\n[[site]]\nid = \"a-1\"\ncosmodrome = \"a\"\nname = \"A 1\"\nlatitude_deg = 10.0\nlongitude_deg = 20.0\naltitude_m = 5.0\nsource = \"s\"\n";

    #[test]
    fn minimal_file_parses() {
        let c = SiteCatalog::from_toml(ONE_SITE, "x.toml").unwrap();
        assert_eq!(c.sites.len(), 1);
        assert!(c.sites[0].corridors.is_empty());
        assert_eq!(c.sites[0].default_inclination_deg(), 10.0);
        assert!(c.sites[0].check_corridor(270.0, 170.0).is_ok());
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let text = format!("{ONE_SITE}latitude = 3.0\n");
        let e = SiteCatalog::from_toml(&text, "my-sites.toml").unwrap_err();
        assert_eq!(e.location.file, "my-sites.toml");
        assert_eq!(e.location.line, Some(11), "{e}");
        assert_eq!(e.location.key, "site[0].latitude");
        assert!(e.message.contains("unknown field"), "{e}");
        let top = SiteCatalog::from_toml("format = 1\nsites = []\n", "t.toml").unwrap_err();
        assert_eq!((top.location.line, top.location.key.as_str()), (Some(2), "sites"), "{top}");
    }

    #[test]
    fn invalid_values_are_rejected_with_line_and_key() {
        let bad_lat = ONE_SITE.replace("latitude_deg = 10.0", "latitude_deg = 95.0");
        let e = SiteCatalog::from_toml(&bad_lat, "x.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(7), "site[0].latitude_deg"), "{e}");
        assert!(e.message.contains("95"), "{e}");

        let bad_lon = ONE_SITE.replace("longitude_deg = 20.0", "longitude_deg = 360.0");
        assert_eq!(SiteCatalog::from_toml(&bad_lon, "x.toml").unwrap_err().location.key, "site[0].longitude_deg");

        let bad_alt = ONE_SITE.replace("altitude_m = 5.0", "altitude_m = nan");
        assert_eq!(SiteCatalog::from_toml(&bad_alt, "x.toml").unwrap_err().location.key, "site[0].altitude_m");

        let reversed = format!("{ONE_SITE}corridors = [{{ azimuth_min_deg = 120.0, azimuth_max_deg = 35.0 }}]\n");
        let e = SiteCatalog::from_toml(&reversed, "x.toml").unwrap_err();
        assert_eq!(e.location.line, Some(11), "{e}");
        assert!(e.location.key.starts_with("site[0].corridors[0]") && e.message.contains("exceeds"), "{e}");

        let too_steep = format!("{ONE_SITE}corridors = [{{ inclination_min_deg = 10.0, inclination_max_deg = 181.0 }}]\n");
        assert!(SiteCatalog::from_toml(&too_steep, "x.toml").unwrap_err().message.contains("[0, 180]"));

        let mixed = format!("{ONE_SITE}corridors = [{{ inclination_min_deg = 10.0, azimuth_max_deg = 80.0 }}]\n");
        assert!(SiteCatalog::from_toml(&mixed, "x.toml").unwrap_err().message.contains("exactly one pair"));

        let twice = format!("{ONE_SITE}\n{}", &ONE_SITE["format = 1\n\n".len()..]);
        let e = SiteCatalog::from_toml(&twice, "x.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(13), "site[1].id"), "{e}");

        let missing = ONE_SITE.replace("altitude_m = 5.0\n", "");
        let e = SiteCatalog::from_toml(&missing, "x.toml").unwrap_err();
        assert!(e.message.contains("altitude_m") && e.location.key.contains("altitude_m"), "{e}");

        let future = ONE_SITE.replace("format = 1", "format = 2");
        assert_eq!(SiteCatalog::from_toml(&future, "x.toml").unwrap_err().location.line, Some(1));
    }
}
