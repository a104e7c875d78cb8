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
//! solid_burn_rate_fraction = 0.005     # relative error of each solid stage's burn rate
//! solid_isp_fraction = 0.003           # relative error of each solid stage's Isp (and impulse)
//! grain_temperature_k = 3.0            # error of the propellant bulk temperature, K
//! grain_temperature_offset_k = 0.0     # the day's grain temperature over the curves' (not a sigma)
//! ```
//!
//! The last four disperse the solid motors themselves, so they act through a dispersed ascent
//! ([`Dispersions::disperse_vehicle`]) rather than on the separation state directly.

use nalgebra::Vector3;
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::Deserialize;
use toml::Spanned;

use super::fall::FallStart;
use crate::error::FileError;
use crate::propulsion::solid::MIN_DISPERSION_FACTOR;
use crate::vehicle::toml_text::{check_format, line_of, parse};
use crate::vehicle::Vehicle;

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
    /// Relative error of each solid stage's burn rate: its curve runs faster or slower in time
    /// with the thrust scaled inversely, the total impulse kept.
    pub solid_burn_rate_fraction: f64,
    /// Relative error of each solid stage's specific impulse: the thrust at the same mass flow,
    /// so the total impulse, follows it.
    pub solid_isp_fraction: f64,
    /// Error of the propellant bulk temperature, K: one draw for all the motors of a launch.
    pub grain_temperature_k: f64,
    /// The launch's mean grain temperature above the temperature the motors' curves hold for,
    /// K (negative when colder): not a one-sigma value but the nominal of the draw.
    pub grain_temperature_offset_k: f64,
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
            solid_burn_rate_fraction: DEFAULT_SOLID_BURN_RATE_FRACTION,
            solid_isp_fraction: DEFAULT_SOLID_ISP_FRACTION,
            grain_temperature_k: DEFAULT_GRAIN_TEMPERATURE_K,
            grain_temperature_offset_k: 0.0,
        }
    }
}

// ASSUMPTION: the three defaults below are not from a launcher's user's guide (none publishes
// its motors' dispersions); each is listed in data/README.md with its reasoning.
/// One-sigma burn-rate error of a large solid motor: a 3-sigma spread of 1.5 %, within the
/// 1–2 % usual for the ballistic reproducibility of large segmented and monolithic motors.
pub const DEFAULT_SOLID_BURN_RATE_FRACTION: f64 = 0.005;
/// One-sigma Isp (total impulse at a given loading) error of a solid motor: a 3-sigma spread of
/// about 1 %.
pub const DEFAULT_SOLID_ISP_FRACTION: f64 = 0.003;
/// One-sigma error of the propellant bulk temperature at launch, K: a large motor's grain
/// follows the mean air temperature of days, not the hour's (Kourou's daily means vary by a few
/// kelvin).
pub const DEFAULT_GRAIN_TEMPERATURE_K: f64 = 3.0;

/// Largest magnitude of `grain_temperature_offset_k`, K: beyond it a grain is outside any
/// motor's qualified temperature range (typically 0–40 °C around a 20 °C reference).
pub const MAX_GRAIN_TEMPERATURE_OFFSET_K: f64 = 40.0;

/// Each key with its unit and the largest sigma that still makes sense: beyond it the figure is a
/// typing error (percent for fraction, radians for degrees) rather than a dispersion.
const KEYS: [(&str, &str, f64); 10] = [
    ("separation_speed_fraction", "", 0.1),
    ("flight_path_angle_deg", "°", 10.0),
    ("heading_deg", "°", 10.0),
    ("cd_fraction", "", 0.5),
    ("density_fraction", "", 0.5),
    ("wind_scale_fraction", "", 1.0),
    ("wind_extra_m_s", "m/s", 50.0),
    ("solid_burn_rate_fraction", "", 0.1),
    ("solid_isp_fraction", "", 0.1),
    ("grain_temperature_k", "K", 30.0),
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
    solid_burn_rate_fraction: Option<Spanned<f64>>,
    solid_isp_fraction: Option<Spanned<f64>>,
    grain_temperature_k: Option<Spanned<f64>>,
    grain_temperature_offset_k: Option<Spanned<f64>>,
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
            (&raw.solid_burn_rate_fraction, &mut d.solid_burn_rate_fraction),
            (&raw.solid_isp_fraction, &mut d.solid_isp_fraction),
            (&raw.grain_temperature_k, &mut d.grain_temperature_k),
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
        if let Some(value) = &raw.grain_temperature_offset_k {
            let x = *value.get_ref();
            if !(x.is_finite() && x.abs() <= MAX_GRAIN_TEMPERATURE_OFFSET_K) {
                return Err(FileError::new(
                    file,
                    Some(line_of(text, value.span().start)),
                    "grain_temperature_offset_k",
                    format!("must be within ±{MAX_GRAIN_TEMPERATURE_OFFSET_K} K of the motors' reference temperature, got {x} K"),
                ));
            }
            d.grain_temperature_offset_k = x;
        }
        Ok(d)
    }

    /// Whether these dispersions change the solid motors of `vehicle`: it has some, and a
    /// motor sigma or the grain temperature offset is not zero. Without, the Monte Carlo flies
    /// no dispersed ascent.
    pub fn disperses_motors(&self, vehicle: &Vehicle) -> bool {
        vehicle.has_solid_motors()
            && (self.solid_burn_rate_fraction > 0.0
                || self.solid_isp_fraction > 0.0
                || self.grain_temperature_k > 0.0
                || self.grain_temperature_offset_k != 0.0)
    }

    /// Draw one launch's solid motors from a random stream: the grain temperature first (one for
    /// all motors), then per solid stage in file order its burn rate and its Isp. Returns, per
    /// stage, `(burn-rate factor, Isp factor)`, `(1, 1)` for a liquid stage.
    ///
    /// The burn-rate factor is `(1 + σ_r·z_r)·exp(π_K·ΔT)`: the batch's own error times the
    /// grain temperature's, `ΔT` the drawn temperature over the curve's.
    pub fn draw_motors<R: rand::Rng + ?Sized>(&self, vehicle: &Vehicle, rng: &mut R) -> Vec<(f64, f64)> {
        let z_temperature: f64 = rng.sample(StandardNormal);
        let delta_t_k = self.grain_temperature_offset_k + self.grain_temperature_k * z_temperature;
        let factor = |sigma: f64, z: f64| (1.0 + sigma * z).max(MIN_DISPERSION_FACTOR);
        vehicle
            .stages
            .iter()
            .map(|stage| match &stage.motor {
                Some(motor) => {
                    let (z_rate, z_isp): (f64, f64) = (rng.sample(StandardNormal), rng.sample(StandardNormal));
                    let rate = factor(self.solid_burn_rate_fraction, z_rate) * motor.temperature_burn_rate_factor(delta_t_k);
                    (rate.max(MIN_DISPERSION_FACTOR), factor(self.solid_isp_fraction, z_isp))
                }
                None => (1.0, 1.0),
            })
            .collect()
    }

    /// `vehicle` with its solid motors dispersed by one draw of [`Dispersions::draw_motors`].
    pub fn disperse_vehicle<R: rand::Rng + ?Sized>(&self, vehicle: &Vehicle, rng: &mut R) -> Vehicle {
        let factors = self.draw_motors(vehicle, rng);
        let stages = vehicle.stages.iter().zip(factors).map(|(s, (rate, isp))| s.with_dispersed_motor(rate, isp)).collect();
        Vehicle { stages, ..vehicle.clone() }
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
    fn motor_keys_are_read_and_checked() {
        let text =
            "solid_burn_rate_fraction = 0.01\nsolid_isp_fraction = 0.002\ngrain_temperature_k = 5.0\ngrain_temperature_offset_k = -8.0\n";
        let d = Dispersions::from_toml(text, "d.toml").unwrap();
        assert_eq!(
            (d.solid_burn_rate_fraction, d.solid_isp_fraction, d.grain_temperature_k, d.grain_temperature_offset_k),
            (0.01, 0.002, 5.0, -8.0)
        );
        let e = Dispersions::from_toml("cd_fraction = 0.2\nsolid_burn_rate_fraction = -0.01\n", "d.toml").unwrap_err();
        assert_eq!(e.to_string(), "d.toml:2: key `solid_burn_rate_fraction`: a one-sigma value must be finite and ≥ 0, got -0.01");
        let e = Dispersions::from_toml("solid_isp_fraction = 3.0\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:1: key `solid_isp_fraction`: 3 is not a plausible"), "{e}");
        let e = Dispersions::from_toml("\n\ngrain_temperature_k = 60.0\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:3: key `grain_temperature_k`"), "{e}");
        let e = Dispersions::from_toml("grain_temperature_offset_k = 55.0\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:1: key `grain_temperature_offset_k`: must be within ±40 K"), "{e}");
        assert!(Dispersions::from_toml("grain_temperature_offset_k = inf\n", "d.toml").is_err());
    }

    /// The motor draw: liquid stages untouched, a solid stage's burn-rate factor spread by the
    /// burn-rate sigma and the grain temperature through its sensitivity, its Isp factor by the
    /// Isp sigma; a warm offset moves the mean burn rate by `exp(π_K·ΔT)`.
    #[test]
    fn motor_draws_have_the_asked_spread() {
        let vehicle = crate::vehicle::resolve_vehicle("vega-c").expect("catalog").0;
        let first_solid = vehicle.stages.iter().position(|s| s.is_solid()).expect("a solid stage");
        let sensitivity = vehicle.stages[first_solid].motor.as_ref().expect("motor").temperature_sensitivity_or_default_per_k();
        let d =
            Dispersions { solid_burn_rate_fraction: 0.005, solid_isp_fraction: 0.003, grain_temperature_k: 3.0, ..Dispersions::default() };
        assert!(d.disperses_motors(&vehicle));
        let off = Dispersions { solid_burn_rate_fraction: 0.0, solid_isp_fraction: 0.0, grain_temperature_k: 0.0, ..d };
        assert!(!off.disperses_motors(&vehicle));
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(3);
        let n = 20_000;
        let draws: Vec<Vec<(f64, f64)>> = (0..n).map(|_| d.draw_motors(&vehicle, &mut rng)).collect();
        // Mean and standard deviation of the first solid stage's burn-rate (0) or Isp (1) factor.
        let stats = |component: usize| {
            let x: Vec<f64> = draws.iter().map(|v| if component == 0 { v[first_solid].0 } else { v[first_solid].1 }).collect();
            let mean = x.iter().sum::<f64>() / n as f64;
            (mean, (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt())
        };
        let (rate_mean, rate_sd) = stats(0);
        let expected_sd = (0.005f64.powi(2) + (sensitivity * 3.0).powi(2)).sqrt();
        assert!((rate_mean - 1.0).abs() < 4e-4 && (rate_sd / expected_sd - 1.0).abs() < 0.03, "{rate_mean} {rate_sd} vs {expected_sd}");
        let (isp_mean, isp_sd) = stats(1);
        assert!((isp_mean - 1.0).abs() < 1e-4 && (isp_sd / 0.003 - 1.0).abs() < 0.03, "{isp_mean} {isp_sd}");
        for (i, s) in vehicle.stages.iter().enumerate().filter(|(_, s)| !s.is_solid()) {
            assert!(draws.iter().all(|v| v[i] == (1.0, 1.0)), "liquid stage {} dispersed", s.name);
        }
        let warm = Dispersions { grain_temperature_offset_k: 10.0, ..off };
        let v = warm.draw_motors(&vehicle, &mut rng);
        assert!((v[first_solid].0 - (10.0 * sensitivity).exp()).abs() < 1e-15 && v[first_solid].1 == 1.0);
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
