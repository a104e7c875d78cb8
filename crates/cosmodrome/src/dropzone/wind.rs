//! Wind profiles: the horizontal velocity of the air over the co-rotating Earth against
//! altitude, read from a small TOML file (`docs/dropzones.md`).
//!
//! ```toml
//! format = 1
//! levels = [
//!   { altitude_m = 0.0,     east_m_s = 3.0,  north_m_s = -1.0 },
//!   { altitude_m = 10000.0, east_m_s = 35.0, north_m_s = 4.0 },
//! ]
//! ```
//!
//! `east_m_s` and `north_m_s` are the components of the velocity *toward which* the air moves
//! (a westerly wind has `east_m_s > 0`). Between levels the components are interpolated linearly
//! in altitude; below the first and above the last level they are held constant.

use serde::Deserialize;
use toml::Spanned;

use crate::error::FileError;
use crate::vehicle::toml_text::{check_format, line_of, parse};

/// Highest wind speed component a profile may state, m/s: the strongest jet streams reach about
/// 120 m/s, so larger figures are typing errors (km/h, knots).
pub const MAX_WIND_M_S: f64 = 200.0;

/// Most levels of a profile: a sounding every 100 m up to 100 km.
pub const MAX_LEVELS: usize = 1000;

/// Altitudes a profile may cover, m: from the lowest land surface to the edge of the air.
const ALTITUDE_RANGE_M: (f64, f64) = (-1_000.0, 1_000_000.0);

/// A validated wind profile: altitudes strictly increasing, every figure finite.
#[derive(Debug, Clone, PartialEq)]
pub struct WindProfile {
    /// `(altitude_m, east_m_s, north_m_s)`, sorted by altitude.
    levels: Vec<(f64, f64, f64)>,
}

/// The wind file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindFile {
    format: Option<Spanned<i64>>,
    levels: Spanned<Vec<Spanned<LevelEntry>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelEntry {
    altitude_m: Spanned<f64>,
    east_m_s: Spanned<f64>,
    north_m_s: Spanned<f64>,
}

impl WindProfile {
    /// A profile from `(altitude_m, east_m_s, north_m_s)` levels; `None` unless the levels are
    /// non-empty, finite and strictly increasing in altitude.
    pub fn new(levels: Vec<(f64, f64, f64)>) -> Option<Self> {
        let finite = levels.iter().all(|&(h, e, n)| h.is_finite() && e.is_finite() && n.is_finite());
        let increasing = levels.windows(2).all(|w| w[1].0 > w[0].0);
        (!levels.is_empty() && finite && increasing).then_some(WindProfile { levels })
    }

    /// Parse and validate a wind file; `file` names the text in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<Self, FileError> {
        let raw: WindFile = parse(text, file)?;
        check_format(text, file, raw.format.as_ref(), 1)?;
        let error = |span: std::ops::Range<usize>, key: String, message: String| {
            FileError::new(file, Some(line_of(text, span.start)), key, message)
        };
        if raw.levels.get_ref().is_empty() {
            return Err(error(raw.levels.span(), "levels".into(), "needs at least one level".into()));
        }
        if let Some(extra) = raw.levels.get_ref().get(MAX_LEVELS) {
            return Err(error(
                extra.span(),
                format!("levels[{}]", MAX_LEVELS + 1),
                format!("a profile has at most {MAX_LEVELS} levels, this file has {}", raw.levels.get_ref().len()),
            ));
        }
        let mut levels = Vec::with_capacity(raw.levels.get_ref().len());
        for (i, level) in raw.levels.get_ref().iter().enumerate() {
            let l = level.get_ref();
            let key = |name: &str| format!("levels[{}].{name}", i + 1);
            let h = *l.altitude_m.get_ref();
            if !(h.is_finite() && (ALTITUDE_RANGE_M.0..=ALTITUDE_RANGE_M.1).contains(&h)) {
                return Err(error(
                    l.altitude_m.span(),
                    key("altitude_m"),
                    format!("must be within {} to {} m, got {h} m", ALTITUDE_RANGE_M.0, ALTITUDE_RANGE_M.1),
                ));
            }
            if let Some(&(previous, _, _)) = levels.last() {
                if !(h > previous) {
                    return Err(error(
                        l.altitude_m.span(),
                        key("altitude_m"),
                        format!("altitudes must increase from level to level; {h} m follows {previous} m"),
                    ));
                }
            }
            let component = |v: &Spanned<f64>, name: &str| -> Result<f64, FileError> {
                let x = *v.get_ref();
                if x.is_finite() && x.abs() <= MAX_WIND_M_S {
                    Ok(x)
                } else {
                    Err(error(v.span(), key(name), format!("must be within ±{MAX_WIND_M_S} m/s, got {x} m/s")))
                }
            };
            let east = component(&l.east_m_s, "east_m_s")?;
            let north = component(&l.north_m_s, "north_m_s")?;
            levels.push((h, east, north));
        }
        Ok(WindProfile { levels })
    }

    /// East and north components of the wind at an altitude, m/s.
    #[inline]
    pub fn at(&self, altitude_m: f64) -> (f64, f64) {
        let levels = &self.levels;
        let first = levels[0];
        if !(altitude_m > first.0) {
            return (first.1, first.2);
        }
        let last = levels[levels.len() - 1];
        if altitude_m >= last.0 {
            return (last.1, last.2);
        }
        // Bisection: a long profile costs no more per evaluation than a short one.
        let i = levels.partition_point(|l| l.0 < altitude_m).clamp(1, levels.len() - 1);
        let (h0, e0, n0) = levels[i - 1];
        let (h1, e1, n1) = levels[i];
        let f = (altitude_m - h0) / (h1 - h0);
        (e0 + f * (e1 - e0), n0 + f * (n1 - n0))
    }

    /// The levels, `(altitude_m, east_m_s, north_m_s)`.
    pub fn levels(&self) -> &[(f64, f64, f64)] {
        &self.levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = WindProfile::from_toml(&text, "w.toml");
        }

        #[test]
        fn truncated_file_never_panics(cut in 0..PROFILE.len()) {
            let _ = WindProfile::from_toml(&PROFILE[..cut], "w.toml");
        }
    }

    const PROFILE: &str = "format = 1\nlevels = [\n  { altitude_m = 0.0, east_m_s = 2.0, north_m_s = 0.0 },\n  { altitude_m = 10000.0, east_m_s = 22.0, north_m_s = -10.0 },\n]\n";

    #[test]
    fn interpolates_linearly_and_holds_the_ends() {
        let w = WindProfile::from_toml(PROFILE, "wind.toml").expect("valid");
        assert_eq!(w.at(-50.0), (2.0, 0.0));
        assert_eq!(w.at(5000.0), (12.0, -5.0));
        assert_eq!(w.at(50_000.0), (22.0, -10.0));
        assert_eq!(w.at(f64::NAN), (2.0, 0.0));
    }

    #[test]
    fn a_long_profile_interpolates_as_its_short_one_and_is_capped() {
        let level = |i: usize| {
            let h = 10.0 * i as f64;
            format!("  {{ altitude_m = {h:?}, east_m_s = {:?}, north_m_s = {:?} }},", 2.0 + 0.002 * h, -0.001 * h)
        };
        let text = |n: usize| format!("format = 1\nlevels = [\n{}\n]\n", (0..n).map(level).collect::<Vec<_>>().join("\n"));
        let long = WindProfile::from_toml(&text(MAX_LEVELS), "w.toml").expect("valid");
        let short = WindProfile::from_toml(PROFILE, "w.toml").expect("valid");
        for h in [0.0, 5.0, 1234.5, 5000.0, 9990.0] {
            let (a, b) = (long.at(h), short.at(h));
            assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9, "{h} m: {a:?} against {b:?}");
        }
        let e = WindProfile::from_toml(&text(MAX_LEVELS + 1), "w.toml").unwrap_err();
        assert_eq!(e.location.key, format!("levels[{}]", MAX_LEVELS + 1));
        assert_eq!(e.location.line, Some(MAX_LEVELS + 3));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = WindProfile::from_toml(&PROFILE.replace("east_m_s = 22.0", "east_m_s = 900.0"), "wind.toml").unwrap_err();
        assert_eq!(e.location.line, Some(4));
        assert_eq!(e.location.key, "levels[2].east_m_s");
        assert!(e.to_string().starts_with("wind.toml:4"), "{e}");
        let e = WindProfile::from_toml(&PROFILE.replace("altitude_m = 10000.0", "altitude_m = 0.0"), "wind.toml").unwrap_err();
        assert_eq!(e.location.key, "levels[2].altitude_m");
        let e = WindProfile::from_toml(&PROFILE.replace("north_m_s = 0.0", "nort_m_s = 0.0"), "wind.toml").unwrap_err();
        assert_eq!(e.location.line, Some(3));
        assert!(e.to_string().contains("nort_m_s"), "{e}");
        assert!(WindProfile::from_toml("levels = []", "w.toml").is_err());
        assert!(WindProfile::from_toml("format = 2\nlevels = [{ altitude_m = 0.0, east_m_s = 1.0, north_m_s = 1.0 }]", "w.toml").is_err());
    }
}
