//! UTC epochs for the outputs that need an absolute time (the CCSDS OEM, the report).
//!
//! The core counts seconds from liftoff; an epoch is attached only here. Times are kept as whole
//! microseconds since 1970-01-01T00:00:00 UTC on the proleptic Gregorian calendar, without leap
//! seconds (as POSIX time): an ascent lasts minutes, and a leap second inside one is ignored.

use std::fmt;
use std::str::FromStr;

use crate::IoError;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A UTC instant, microsecond resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcEpoch {
    micros: i64,
}

impl UtcEpoch {
    /// The default launch epoch, 2026-01-01T00:00:00Z: fixed so that runs are reproducible.
    pub const DEFAULT_LAUNCH: UtcEpoch = UtcEpoch { micros: days_from_civil(2026, 1, 1) * MICROS_PER_DAY };

    /// From calendar fields; `None` when a field is out of range.
    pub fn from_calendar(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32, micros: u32) -> Option<UtcEpoch> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && second < 60
            && micros < 1_000_000;
        valid.then(|| UtcEpoch {
            micros: days_from_civil(year, month, day) * MICROS_PER_DAY
                + ((i64::from(hour) * 60 + i64::from(minute)) * 60 + i64::from(second)) * 1_000_000
                + i64::from(micros),
        })
    }

    /// From whole seconds since 1970-01-01T00:00:00 UTC (as the system clock gives them).
    pub fn from_unix_seconds(seconds: i64) -> Option<UtcEpoch> {
        seconds.checked_mul(1_000_000).map(|micros| UtcEpoch { micros }).filter(|e| e.year_in_range())
    }

    /// The current time, to the second; `SOURCE_DATE_EPOCH` (seconds since 1970), when set,
    /// replaces the clock so that files can be reproduced byte for byte.
    pub fn now() -> UtcEpoch {
        let pinned = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
        let seconds = pinned.unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
        UtcEpoch::from_unix_seconds(seconds).unwrap_or(UtcEpoch::DEFAULT_LAUNCH)
    }

    /// This epoch plus `seconds` (rounded to the microsecond); `None` if not finite or beyond year 9999.
    pub fn plus_seconds(self, seconds: f64) -> Option<UtcEpoch> {
        let delta = (seconds * 1e6).round();
        if !delta.is_finite() || delta.abs() > 1e17 {
            return None;
        }
        self.micros.checked_add(delta as i64).map(|micros| UtcEpoch { micros }).filter(|e| e.year_in_range())
    }

    fn year_in_range(&self) -> bool {
        (1..=9999).contains(&self.fields().0)
    }

    /// (year, month, day, hour, minute, second, microsecond).
    fn fields(&self) -> (i64, u32, u32, u32, u32, u32, u32) {
        let days = self.micros.div_euclid(MICROS_PER_DAY);
        let of_day = self.micros.rem_euclid(MICROS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let seconds = of_day / 1_000_000;
        ((year), month, day, (seconds / 3600) as u32, (seconds / 60 % 60) as u32, (seconds % 60) as u32, (of_day % 1_000_000) as u32)
    }

    /// CCSDS ASCII time code A with microseconds, `2026-01-01T00:02:15.250000`, as OEM data lines use.
    pub fn ccsds(&self) -> String {
        let (y, mo, d, h, mi, s, us) = self.fields();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{us:06}")
    }
}

/// ISO 8601 with a `Z`, to the second when the microseconds are zero: `2026-01-01T00:00:00Z`.
impl fmt::Display for UtcEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s, us) = self.fields();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if us != 0 {
            write!(f, ".{us:06}")?;
        }
        write!(f, "Z")
    }
}

/// Parses `YYYY-MM-DDThh:mm:ss[.ffffff][Z]` (a space may replace the `T`; up to six decimals).
impl FromStr for UtcEpoch {
    type Err = IoError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| IoError::Parse {
            what: "UTC epoch".to_owned(),
            message: format!("{text:?}: {why} (expected YYYY-MM-DDThh:mm:ss[.ffffff]Z, e.g. 2026-01-01T00:00:00Z)"),
        };
        let s = text.trim();
        let s = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')).unwrap_or(s);
        let (date, time) = s.split_once(['T', 't', ' ']).ok_or_else(|| bad("no time of day"))?;
        let number = |field: &str, digits: usize, name: &str| -> Result<u32, IoError> {
            if field.len() != digits || !field.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("{name} must have {digits} digits")));
            }
            field.parse().map_err(|_| bad(name))
        };
        let date: Vec<&str> = date.split('-').collect();
        let [year, month, day] = date[..] else { return Err(bad("date must be YYYY-MM-DD")) };
        let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
        let clock: Vec<&str> = clock.split(':').collect();
        let [hour, minute, second] = clock[..] else { return Err(bad("time must be hh:mm:ss")) };
        if fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("at most six decimal digits of seconds"));
        }
        let micros = if fraction.is_empty() {
            0
        } else {
            fraction.parse::<u32>().map_err(|_| bad("seconds"))? * 10u32.pow(6 - fraction.len() as u32)
        };
        let (year, month, day) = (number(year, 4, "year")?, number(month, 2, "month")?, number(day, 2, "day")?);
        let (hour, minute, second) = (number(hour, 2, "hour")?, number(minute, 2, "minute")?, number(second, 2, "second")?);
        if second == 60 {
            return Err(bad("leap seconds are not supported"));
        }
        UtcEpoch::from_calendar(i64::from(year), month, day, hour, minute, second, micros).ok_or_else(|| bad("a field is out of range"))
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date. Counts 400-year eras from 0000-03-01 so
/// that the leap day is the last day of a counted year.
const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = ((month + 9) % 12) as i64;
    let day_of_year = (153 * month_from_march + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_day_numbers() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 1, 1), 20_454);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in (-800_000..800_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn parse_format_and_add() {
        let e: UtcEpoch = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(e, UtcEpoch::DEFAULT_LAUNCH);
        assert_eq!(e.to_string(), "2026-01-01T00:00:00Z");
        let later = e.plus_seconds(86_399.9999996).unwrap();
        assert_eq!(later.ccsds(), "2026-01-02T00:00:00.000000");
        let e: UtcEpoch = "2024-02-29 23:59:59.25".parse().unwrap();
        assert_eq!(e.ccsds(), "2024-02-29T23:59:59.250000");
        assert_eq!(e.plus_seconds(0.75).unwrap().to_string(), "2024-03-01T00:00:00Z");
    }

    #[test]
    fn bad_epochs_are_refused_with_the_reason() {
        for (text, why) in [
            ("2023-02-29T00:00:00Z", "out of range"),
            ("2026-13-01T00:00:00Z", "out of range"),
            ("2026-01-01", "no time of day"),
            ("2026-01-01T24:00:00", "out of range"),
            ("2026-06-30T23:59:60Z", "leap seconds"),
            ("2026-1-01T00:00:00Z", "month"),
            ("2026-01-01T00:00:00.1234567Z", "six decimal"),
            ("tomorrow", "date must be"),
        ] {
            let e = text.parse::<UtcEpoch>().unwrap_err().to_string();
            assert!(e.contains(why) && e.contains(text), "{text}: {e}");
        }
        assert!(UtcEpoch::DEFAULT_LAUNCH.plus_seconds(f64::NAN).is_none());
        assert!(UtcEpoch::DEFAULT_LAUNCH.plus_seconds(1e300).is_none());
    }
}
