//! Dispersions of a fall: the one-sigma errors a Monte Carlo draws from, read from their own
//! TOML file (they overlay the nominal design rather than change it). Every key is optional and
//! has a documented default (`docs/dropzones.md`):
//!
//! ```toml
//! format = 1
//! separation_speed_fraction = 0.005   # relative error of the speed at separation
//! flight_path_angle_deg = 0.2         # error of the flight-path angle at separation
//! heading_deg = 0.1                   # error of the heading at separation
//! cd_fraction = 0.15                  # relative error of the tumbling drag coefficient
//! density_fraction = 0.10             # relative error of the air density (whole profile)
//! wind_scale_fraction = 0.30          # relative error of the wind profile's strength
//! wind_extra_m_s = 10.0               # extra wind, each of east and north, at all altitudes
//! ```

use nalgebra::Vector3;
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::Deserialize;
use toml::Spanned;

use super::fall::FallStart;
use crate::error::FileError;
use crate::vehicle::toml_text::{check_format, line_of, parse};

/// Smallest value a dispersed multiplicative factor (Cd, density, speed) may take: a normal draw
/// far in the tail must not make a drag coefficient or a density negative.
pub const MIN_FACTOR: f64 = 0.05;

/// One-sigma dispersions of a fall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispersions {
    /// Relative error of the separation speed (inertial).
    pub separation_speed_fraction: f64,
    /// Error of the inertial flight-path angle at separation, degrees.
    pub flight_path_angle_deg: f64,
    /// Error of the inertial heading at separation, degrees.
    pub heading_deg: f64,
    /// Relative error of the tumbling drag coefficient.
    pub cd_fraction: f64,
    /// Relative error of the density of the whole atmosphere.
    pub density_fraction: f64,
    /// Relative error of the wind profile's strength (no effect without a profile).
    pub wind_scale_fraction: f64,
    /// Extra wind at all altitudes, per component (east, north), m/s.
    pub wind_extra_m_s: f64,
}

impl Default for Dispersions {
    /// The defaults of `docs/dropzones.md`.
    fn default() -> Self {
        Dispersions {
            separation_speed_fraction: 0.005,
            flight_path_angle_deg: 0.2,
            heading_deg: 0.1,
            cd_fraction: 0.15,
            density_fraction: 0.10,
            wind_scale_fraction: 0.30,
            wind_extra_m_s: 10.0,
        }
    }
}

/// Each key with its unit and the largest sigma that still makes sense: beyond it the figure is a
/// typing error (percent for fraction, radians for degrees) rather than a dispersion.
const KEYS: [(&str, &str, f64); 7] = [
    ("separation_speed_fraction", "", 0.1),
    ("flight_path_angle_deg", "°", 10.0),
    ("heading_deg", "°", 10.0),
    ("cd_fraction", "", 0.5),
    ("density_fraction", "", 0.5),
    ("wind_scale_fraction", "", 1.0),
    ("wind_extra_m_s", "m/s", 50.0),
];

/// The dispersion file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DispersionFile {
    format: Option<Spanned<i64>>,
    separation_speed_fraction: Option<Spanned<f64>>,
    flight_path_angle_deg: Option<Spanned<f64>>,
    heading_deg: Option<Spanned<f64>>,
    cd_fraction: Option<Spanned<f64>>,
    density_fraction: Option<Spanned<f64>>,
    wind_scale_fraction: Option<Spanned<f64>>,
    wind_extra_m_s: Option<Spanned<f64>>,
}

/// One draw of every dispersed quantity, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    /// Multiplies the separation speed.
    pub speed_factor: f64,
    /// Added to the flight-path angle, rad.
    pub flight_path_angle_rad: f64,
    /// Added to the heading (clockwise seen from above), rad.
    pub heading_rad: f64,
    /// Multiplies the drag coefficient.
    pub cd_factor: f64,
    /// Multiplies the density.
    pub density_factor: f64,
    /// Multiplies the wind profile.
    pub wind_scale: f64,
    /// Extra wind, east and north, m/s.
    pub wind_offset_m_s: (f64, f64),
}

impl Draw {
    /// No dispersion at all: the nominal fall.
    pub const NOMINAL: Draw = Draw {
        speed_factor: 1.0,
        flight_path_angle_rad: 0.0,
        heading_rad: 0.0,
        cd_factor: 1.0,
        density_factor: 1.0,
        wind_scale: 1.0,
        wind_offset_m_s: (0.0, 0.0),
    };
}

impl Dispersions {
    /// Parse and validate a dispersion file; `file` names the text in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<Self, FileError> {
        let raw: DispersionFile = parse(text, file)?;
        check_format(text, file, raw.format.as_ref(), 1)?;
        let mut d = Dispersions::default();
        let given = [
            (&raw.separation_speed_fraction, &mut d.separation_speed_fraction),
            (&raw.flight_path_angle_deg, &mut d.flight_path_angle_deg),
            (&raw.heading_deg, &mut d.heading_deg),
            (&raw.cd_fraction, &mut d.cd_fraction),
            (&raw.density_fraction, &mut d.density_fraction),
            (&raw.wind_scale_fraction, &mut d.wind_scale_fraction),
            (&raw.wind_extra_m_s, &mut d.wind_extra_m_s),
        ];
        for ((value, target), (key, unit, max)) in given.into_iter().zip(KEYS) {
            let Some(value) = value else { continue };
            let x = *value.get_ref();
            let line = Some(line_of(text, value.span().start));
            if !x.is_finite() || x < 0.0 {
                return Err(FileError::new(file, line, key, format!("a one-sigma value must be finite and ≥ 0, got {x}{unit}")));
            }
            if x > max {
                return Err(FileError::new(file, line, key, format!("{x}{unit} is not a plausible one-sigma value (at most {max}{unit})")));
            }
            *target = x;
        }
        Ok(d)
    }

    /// Draw one sample's errors from a random stream (standard normal deviates, in a fixed order
    /// so that a seed always gives the same draw).
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> Draw {
        let mut z = [0.0f64; 8];
        for zi in &mut z {
            *zi = rng.sample(StandardNormal);
        }
        let factor = |sigma: f64, z: f64| (1.0 + sigma * z).max(MIN_FACTOR);
        Draw {
            speed_factor: factor(self.separation_speed_fraction, z[0]),
            flight_path_angle_rad: (self.flight_path_angle_deg * z[1]).to_radians(),
            heading_rad: (self.heading_deg * z[2]).to_radians(),
            cd_factor: factor(self.cd_fraction, z[3]),
            density_factor: factor(self.density_fraction, z[4]),
            // A profile may weaken to calm but not blow backwards.
            wind_scale: (1.0 + self.wind_scale_fraction * z[5]).max(0.0),
            wind_offset_m_s: (self.wind_extra_m_s * z[6], self.wind_extra_m_s * z[7]),
        }
    }
}

/// The separation state with the drawn errors of speed, flight-path angle and heading applied to
/// its inertial velocity, in the local frame of the geocentric vertical.
pub fn disperse_start(start: &FallStart, draw: &Draw) -> FallStart {
    let r = start.position_eci_m;
    let v = start.velocity_eci_m_s;
    let speed = v.norm();
    let up = r.normalize();
    let horizontal = v - up * v.dot(&up);
    let along = if horizontal.norm() > 1e-9 * speed.max(1.0) {
        horizontal.normalize()
    } else {
        // A vertical velocity has no heading: measure it from east.
        Vector3::new(-up.y, up.x, 0.0).try_normalize(1e-12).unwrap_or(Vector3::x())
    };
    let left = up.cross(&along);
    let gamma = v.dot(&up).atan2(horizontal.norm()) + draw.flight_path_angle_rad;
    // Heading is clockwise from above: a positive error turns the track to the right.
    let (sh, ch) = draw.heading_rad.sin_cos();
    let track = along * ch - left * sh;
    let (sg, cg) = gamma.sin_cos();
    let velocity = (up * sg + track * cg) * (speed * draw.speed_factor);
    FallStart { velocity_eci_m_s: velocity, ..*start }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = Dispersions::from_toml(&text, "d.toml");
        }

        #[test]
        fn any_accepted_value_gives_finite_draws(key in 0..KEYS.len(), value in any::<f64>(), seed in any::<u64>()) {
            if let Ok(d) = Dispersions::from_toml(&format!("{} = {value:e}", KEYS[key].0), "d.toml") {
                let draw = d.draw(&mut rand::rngs::ChaCha8Rng::seed_from_u64(seed));
                let values = [draw.speed_factor, draw.flight_path_angle_rad, draw.heading_rad, draw.cd_factor, draw.density_factor, draw.wind_scale, draw.wind_offset_m_s.0, draw.wind_offset_m_s.1];
                prop_assert!(values.iter().all(|v| v.is_finite()));
                prop_assert!(draw.cd_factor >= MIN_FACTOR && draw.density_factor >= MIN_FACTOR && draw.speed_factor >= MIN_FACTOR && draw.wind_scale >= 0.0);
            }
        }
    }

    #[test]
    fn defaults_apply_to_missing_keys() {
        let d = Dispersions::from_toml("format = 1\ncd_fraction = 0.2\n", "d.toml").unwrap();
        assert_eq!(d, Dispersions { cd_fraction: 0.2, ..Dispersions::default() });
        assert_eq!(Dispersions::from_toml("", "d.toml").unwrap(), Dispersions::default());
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = Dispersions::from_toml("cd_fraction = 0.2\nheading_deg = -1.0\n", "d.toml").unwrap_err();
        assert_eq!(e.to_string(), "d.toml:2: key `heading_deg`: a one-sigma value must be finite and ≥ 0, got -1°");
        let e = Dispersions::from_toml("\ndensity_fraction = 15.0\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:2: key `density_fraction`: 15 is not a plausible"), "{e}");
        let e = Dispersions::from_toml("cd_fraction = 0.2\ncd_fractoin = 0.3\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:2: key `cd_fractoin`: unknown field"), "{e}");
        let e = Dispersions::from_toml("cd_fraction = \"big\"\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:1"), "{e}");
        assert!(Dispersions::from_toml("format = 3\n", "d.toml").is_err());
        assert!(Dispersions::from_toml("cd_fraction = nan\n", "d.toml").is_err());
    }

    #[test]
    fn nominal_draw_leaves_the_state_unchanged_and_errors_act_as_named() {
        let start = FallStart {
            time_s: 100.0,
            position_eci_m: Vector3::new(6_400e3, 100e3, 50e3),
            velocity_eci_m_s: Vector3::new(500.0, 1500.0, 800.0),
        };
        let same = disperse_start(&start, &Draw::NOMINAL);
        assert!((same.velocity_eci_m_s - start.velocity_eci_m_s).norm() < 1e-9);
        let up = start.position_eci_m.normalize();
        let fpa = |s: &FallStart| (s.velocity_eci_m_s.dot(&up) / s.velocity_eci_m_s.norm()).asin().to_degrees();
        let steeper = disperse_start(&start, &Draw { flight_path_angle_rad: 1f64.to_radians(), speed_factor: 1.01, ..Draw::NOMINAL });
        assert!((fpa(&steeper) - fpa(&start) - 1.0).abs() < 1e-9);
        assert!((steeper.velocity_eci_m_s.norm() / start.velocity_eci_m_s.norm() - 1.01).abs() < 1e-12);
    }

    #[test]
    fn draws_have_the_asked_spread() {
        let d = Dispersions::default();
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        let n = 20_000;
        let cds: Vec<f64> = (0..n).map(|_| d.draw(&mut rng).cd_factor).collect();
        let mean = cds.iter().sum::<f64>() / n as f64;
        let sd = (cds.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((mean - 1.0).abs() < 0.005 && (sd - 0.15).abs() < 0.005, "mean {mean} sd {sd}");
    }
}
