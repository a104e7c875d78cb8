//! `trajectory.oem`: the trajectory as a CCSDS Orbit Ephemeris Message, version 2.0, in
//! key–value notation (CCSDS 502.0-B-2/-3), the ephemeris format of GMAT, Orekit and STK; the
//! tests read it back with the `oem` Python package.
//!
//! The flight is integrated in an inertial frame that coincides with the Earth-fixed frame at
//! liftoff. The OEM carries Earth-fixed states instead: the position rotated by −ωt about z and
//! the velocity relative to the rotating Earth, `R(−ωt)(v − ω × r)`. The frame is named
//! `ITRF2000`, the Earth-fixed name that ODM 2.0 lists and common readers accept; the Earth of
//! cosmodrome has no precession, nutation or polar motion, so the states are ITRF to that
//! approximation (metres over an ascent). Epochs are the launch epoch plus the flight time (elapsed
//! seconds), written in UTC: across a leap second they read `23:59:60` ([`crate::utc`]).

use std::fmt::Write as _;

use cosmodrome::environment::frames::{eci_to_ecef_position, eci_to_ecef_velocity};
use cosmodrome::flight::{FlightPoint, FlightResult};

use crate::utc::{self, Epoch};
use crate::IoError;

/// Earth-fixed reference frame name written in `REF_FRAME`.
pub const REF_FRAME: &str = "ITRF2000";

/// What the OEM header and metadata say besides the states.
#[derive(Debug, Clone, PartialEq)]
pub struct OemOptions {
    /// UTC epoch of liftoff (t = 0).
    pub launch_epoch: Epoch,
    /// `CREATION_DATE`.
    pub creation_date: Epoch,
    /// `OBJECT_NAME` (the vehicle name).
    pub object_name: String,
    /// `OBJECT_ID`; CCSDS recommends the international designator, which a simulated ascent lacks.
    pub object_id: String,
    /// `ORIGINATOR`.
    pub originator: String,
}

/// One state line: flight time, Earth-fixed position (m) and ground-relative velocity (m/s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarthFixedState {
    /// Time since liftoff, s.
    pub time_s: f64,
    /// Earth-fixed position, m.
    pub position_m: [f64; 3],
    /// Velocity relative to the rotating Earth, in Earth-fixed axes, m/s.
    pub velocity_m_s: [f64; 3],
}

/// The Earth-fixed state of a flight point.
pub fn earth_fixed_state(p: &FlightPoint) -> EarthFixedState {
    let r = eci_to_ecef_position(&p.position_eci_m, p.time_s);
    let v = eci_to_ecef_velocity(&p.position_eci_m, &p.velocity_eci_m_s, p.time_s);
    EarthFixedState { time_s: p.time_s, position_m: [r.x, r.y, r.z], velocity_m_s: [v.x, v.y, v.z] }
}

/// The points an OEM lists: every sample and every event (staging states are exact there),
/// in time order, one per microsecond epoch (OEM epochs must increase).
fn states(result: &FlightResult) -> Vec<&FlightPoint> {
    let mut points: Vec<&FlightPoint> =
        result.samples.iter().map(|s| &s.point).chain(result.events.iter().map(|e| &e.point)).chain([&result.final_point]).collect();
    points.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    points.dedup_by(|b, a| (b.time_s * 1e6).round() == (a.time_s * 1e6).round());
    points
}

/// Replaces what KVN cannot hold on one line (line breaks, `=` is fine as values run to the end).
fn kvn_value(text: &str) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "UNKNOWN".to_owned()
    } else {
        clean.to_owned()
    }
}

/// The OEM text. Refuses non-finite states and flights without states.
pub fn oem_kvn(result: &FlightResult, options: &OemOptions) -> Result<Vec<u8>, IoError> {
    let invalid = |message: String| IoError::Invalid { what: "trajectory.oem".to_owned(), message };
    let points = states(result);
    let mut lines = Vec::with_capacity(points.len());
    for p in &points {
        let s = earth_fixed_state(p);
        let values = [s.time_s, s.position_m[0], s.position_m[1], s.position_m[2], s.velocity_m_s[0], s.velocity_m_s[1], s.velocity_m_s[2]];
        if values.iter().any(|v| !v.is_finite()) {
            return Err(invalid(format!("a non-finite state at t = {} s", p.time_s)));
        }
        let epoch = utc::after_liftoff(options.launch_epoch, s.time_s)
            .ok_or_else(|| invalid(format!("epoch of t = {} s is out of range", s.time_s)))?;
        let [x, y, z] = s.position_m.map(|v| v / 1e3);
        let [vx, vy, vz] = s.velocity_m_s.map(|v| v / 1e3);
        lines.push((epoch, format!("{} {x:.6} {y:.6} {z:.6} {vx:.9} {vy:.9} {vz:.9}", utc::ccsds(epoch))));
    }
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Err(invalid("the flight has no states".to_owned()));
    };
    let (start, stop) = (first.0, last.0);

    let mut text = String::with_capacity(lines.len() * 110 + 1200);
    let mut put = |line: &str| {
        text.push_str(line);
        text.push('\n');
    };
    put("CCSDS_OEM_VERS = 2.0");
    put("COMMENT Simulated launch-vehicle ascent; t = 0 (liftoff) at the START_TIME epoch");
    put(&format!("CREATION_DATE = {}", utc::ccsds(options.creation_date)));
    put(&format!("ORIGINATOR = {}", kvn_value(&options.originator)));
    put("");
    put("META_START");
    put("COMMENT Earth-fixed states: WGS-84 Earth rotating at 7.292115e-5 rad/s about its z axis,");
    put("COMMENT without precession, nutation or polar motion (ITRF to that approximation).");
    put("COMMENT Velocity relative to the rotating Earth. Units km and km/s.");
    put(&format!("OBJECT_NAME = {}", kvn_value(&options.object_name)));
    put(&format!("OBJECT_ID = {}", kvn_value(&options.object_id)));
    put("CENTER_NAME = EARTH");
    put(&format!("REF_FRAME = {REF_FRAME}"));
    put("TIME_SYSTEM = UTC");
    put(&format!("START_TIME = {}", utc::ccsds(start)));
    put(&format!("STOP_TIME = {}", utc::ccsds(stop)));
    put("INTERPOLATION = HERMITE");
    put("INTERPOLATION_DEGREE = 5");
    put("META_STOP");
    put("");
    // The events by epoch (staging, throttling, cutoffs), as comments at the head of the data
    // (where OEM allows them), the same list as events.json.
    for e in &result.events {
        if let Some(epoch) = utc::after_liftoff(options.launch_epoch, e.point.time_s) {
            put(&format!("COMMENT {} {}", utc::ccsds(epoch), kvn_value(&e.description)));
        }
    }
    for (_, line) in &lines {
        put(line);
    }
    Ok(text.into_bytes())
}

/// `OBJECT_ID` for a vehicle id or file name: `SIM-ANGARA-A5`.
pub fn simulated_object_id(vehicle_id: &str) -> String {
    // A file's name without its `.toml`; a catalog id whole (`soyuz-2.1b` is no file with an
    // extension `.1b`, and its sister `soyuz-2.1a` must not share its id).
    let name = std::path::Path::new(vehicle_id).file_name().map_or(vehicle_id.to_owned(), |s| s.to_string_lossy().into_owned());
    let stem = name.strip_suffix(".toml").or_else(|| name.strip_suffix(".TOML")).unwrap_or(&name);
    let mut id = String::from("SIM-");
    for c in stem.chars() {
        let _ = write!(id, "{}", if c.is_ascii_alphanumeric() || c == '.' { c.to_ascii_uppercase() } else { '-' });
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmodrome::environment::earth::{geodetic_to_ecef, Geodetic};
    use cosmodrome::environment::frames::{earth_rotation_vector, ecef_to_eci_position};

    #[test]
    fn a_point_fixed_on_the_ground_stays_put_with_zero_velocity() {
        let site = geodetic_to_ecef(&Geodetic { latitude_rad: 0.9, longitude_rad: 2.2, altitude_m: 100.0 });
        let t = 600.0;
        // The inertial state of the ground point at t: rotated by ωt, moving with ω × r.
        let r_eci = ecef_to_eci_position(&site, t);
        assert!((r_eci - site).norm() > 1e3, "the Earth turned");
        let p = FlightPoint {
            time_s: t,
            position_eci_m: r_eci,
            velocity_eci_m_s: earth_rotation_vector().cross(&r_eci),
            altitude_m: 100.0,
            latitude_deg: 0.0,
            longitude_deg: 0.0,
            speed_m_s: 0.0,
            air_speed_m_s: 0.0,
            flight_path_angle_deg: 0.0,
            mass_kg: 1.0,
            thrust_n: 0.0,
            dynamic_pressure_pa: 0.0,
            mach: 0.0,
            axial_accel_g: 0.0,
        };
        let e = earth_fixed_state(&p);
        for k in 0..3 {
            assert!((e.position_m[k] - site[k]).abs() < 1e-6, "{e:?}");
            assert!(e.velocity_m_s[k].abs() < 1e-9, "{e:?}");
        }
    }

    #[test]
    fn object_ids_and_values_are_tidy() {
        assert_eq!(simulated_object_id("angara-a5"), "SIM-ANGARA-A5");
        assert_eq!(simulated_object_id("rockets/my rocket.toml"), "SIM-MY-ROCKET");
        assert_eq!(simulated_object_id("soyuz-2.1b"), "SIM-SOYUZ-2.1B");
        assert_ne!(simulated_object_id("soyuz-2.1a"), simulated_object_id("soyuz-2.1b"));
        assert_eq!(simulated_object_id("data/vehicles/angara-1.2.toml"), "SIM-ANGARA-1.2");
        assert_eq!(kvn_value("a\nb "), "a b");
        assert_eq!(kvn_value(" "), "UNKNOWN");
    }
}
