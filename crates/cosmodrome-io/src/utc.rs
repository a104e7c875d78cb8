//! UTC epochs for the outputs that need an absolute time (the CCSDS OEM, the report, `run.json`).
//!
//! The core counts seconds from liftoff; an epoch is attached only here, as a hifitime [`Epoch`]
//! (an instant, with the IERS leap seconds). A flight time is elapsed SI seconds, so the epoch of
//! a state is the launch instant plus that time, rounded to the microsecond; written in UTC, a
//! state inside an inserted leap second reads `23:59:60.ffffff`, as CCSDS time codes allow. Where
//! no leap second intervenes this is the calendar arithmetic of POSIX time, to the microsecond.
//!
//! hifitime keeps the table and the calendar; two things are done here on top of it. Its text
//! parser panics on ten fractional digits and folds `23:59:60` into `23:59:59`, so `--launch-utc`
//! is read by a strict grammar and its fields validated by hifitime. Its TAI-to-UTC conversion
//! (4.3) applies a new leap second up to ~37 s early, so each label is checked by converting it
//! back to the instant (UTC-to-TAI, which is exact) and corrected.

use hifitime::{Duration, TimeScale, Unit};

use crate::IoError;

/// An instant: hifitime's epoch, re-exported so that users of the writers need no other crate.
pub use hifitime::Epoch;

/// The default launch epoch, fixed so that runs are reproducible.
pub const DEFAULT_LAUNCH_UTC: &str = "2026-01-01T00:00:00Z";

/// The latest label the writers accept (their time codes have four-digit years).
const LAST_YEAR: i32 = 9999;

/// [`DEFAULT_LAUNCH_UTC`] as an epoch.
pub fn default_launch() -> Epoch {
    Epoch::from_gregorian_utc_at_midnight(2026, 1, 1)
}

/// The current time, to the second; `SOURCE_DATE_EPOCH` (seconds since 1970), when set,
/// replaces the clock so that files can be reproduced byte for byte. A time outside the years
/// 1–9999 gives [`default_launch`].
pub fn now() -> Epoch {
    let pinned = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    let seconds = pinned.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    from_unix_seconds(seconds).unwrap_or_else(default_launch)
}

/// From Unix time, whole seconds since 1970-01-01T00:00:00 UTC (as the system clock and
/// `SOURCE_DATE_EPOCH` give them); `None` outside the years 1–9999.
pub fn from_unix_seconds(seconds: i64) -> Option<Epoch> {
    // Unix time counts days of 86 400 s: it is added to the 1970 label in UTC, not as elapsed time.
    if seconds.unsigned_abs() > 400_000_000_000 {
        return None;
    }
    let epoch = Epoch::from_gregorian_utc_at_midnight(1970, 1, 1) + Unit::Second * seconds;
    (1..=LAST_YEAR).contains(&label(epoch).year).then_some(epoch)
}

/// `launch` plus `flight_time_s` of elapsed time, rounded to the microsecond; `None` when the
/// time is not finite or the label would pass 9999-12-31T23:59:59.999999.
pub fn after_liftoff(launch: Epoch, flight_time_s: f64) -> Option<Epoch> {
    let micros = (flight_time_s * 1e6).round();
    if !micros.is_finite() || micros.abs() > 1e17 {
        return None;
    }
    let epoch = launch.to_time_scale(TimeScale::TAI) + Duration::from_total_nanoseconds(i128::from(micros as i64) * 1000);
    (1..=LAST_YEAR).contains(&label(epoch).year).then_some(epoch)
}

/// CCSDS ASCII time code A with microseconds, `2026-01-01T00:02:15.250000`, as OEM data lines use.
pub fn ccsds(epoch: Epoch) -> String {
    let l = label(epoch);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}", l.year, l.month, l.day, l.hour, l.minute, l.second, l.micros)
}

/// ISO 8601 with a `Z`, to the second when the microseconds are zero: `2026-01-01T00:00:00Z`.
pub fn iso(epoch: Epoch) -> String {
    let l = label(epoch);
    let mut text = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", l.year, l.month, l.day, l.hour, l.minute, l.second);
    if l.micros != 0 {
        text.push_str(&format!(".{:06}", l.micros));
    }
    text.push('Z');
    text
}

/// Parses an ISO 8601 UTC epoch: `YYYY-MM-DDThh:mm:ss[.ffffff][Z|±hh:mm]` (a space may replace
/// the `T`; up to six decimals; `23:59:60` on the days that ended with a leap second).
pub fn parse(text: &str) -> Result<Epoch, IoError> {
    let bad = |why: &str| IoError::Parse {
        what: "UTC epoch".to_owned(),
        message: format!("{text:?}: {why} (expected YYYY-MM-DDThh:mm:ss[.ffffff]Z, e.g. {DEFAULT_LAUNCH_UTC})"),
    };
    let s = text.trim();
    let (s, offset_min) = split_offset(s).ok_or_else(|| bad("the offset must be Z or ±hh:mm"))?;
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
    let micros = if fraction.is_empty() { 0 } else { number(fraction, fraction.len(), "seconds")? * 10u32.pow(6 - fraction.len() as u32) };
    let (year, month, day) = (number(year, 4, "year")?, number(month, 2, "month")?, number(day, 2, "day")?);
    let (hour, minute, second) = (number(hour, 2, "hour")?, number(minute, 2, "minute")?, number(second, 2, "second")?);
    if year == 0 || hour > 23 || minute > 59 || second > 60 {
        return Err(bad("a field is out of range"));
    }
    // Narrowing is safe: every field has been bounded above.
    let (year, month, day, hour, minute) = (year as i32, month as u8, day as u8, hour as u8, minute as u8);
    // hifitime checks the day of the month and whether that day ended with a leap second.
    let valid = |second: u8| Epoch::maybe_from_gregorian(year, month, day, hour, minute, second, 0, TimeScale::UTC);
    let whole_second = if second == 60 {
        valid(60).map_err(|_| bad("no leap second was inserted at the end of that day"))?;
        // The leap second is the one after 23:59:59 of that day, in elapsed time.
        valid(59).map_err(|_| bad("a field is out of range"))?.to_time_scale(TimeScale::TAI) + Unit::Second * 1
    } else {
        valid(second as u8).map_err(|_| bad("a field is out of range"))?.to_time_scale(TimeScale::TAI)
    };
    let epoch = whole_second + Unit::Microsecond * i64::from(micros) - Unit::Minute * offset_min;
    if !(1..=LAST_YEAR).contains(&label(epoch).year) {
        return Err(bad("a field is out of range"));
    }
    Ok(epoch)
}

/// The text without its UTC offset, and the offset in minutes (`Z` or none: 0); `None` for a
/// malformed offset.
fn split_offset(s: &str) -> Option<(&str, i64)> {
    if let Some(rest) = s.strip_suffix(['Z', 'z']) {
        return Some((rest, 0));
    }
    // An offset is the last six characters, `+hh:mm` or `-hh:mm`, after the time of day.
    let Some(at) = s.len().checked_sub(6).filter(|&i| s.is_char_boundary(i) && s[..i].contains(['T', 't', ' '])) else {
        return Some((s, 0));
    };
    let (rest, offset) = s.split_at(at);
    let sign = match offset.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return Some((s, 0)),
    };
    let b = offset.as_bytes();
    if !(b[1..3].iter().chain(&b[4..6]).all(u8::is_ascii_digit) && b[3] == b':') {
        return None;
    }
    let (hours, minutes) = (i64::from((b[1] - b'0') * 10 + b[2] - b'0'), i64::from((b[4] - b'0') * 10 + b[5] - b'0'));
    (hours <= 23 && minutes <= 59).then_some((rest, sign * (hours * 60 + minutes)))
}

/// The UTC calendar label of an instant; `second` is 60 inside a leap second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Label {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    micros: u32,
}

/// The label of `epoch`, microseconds truncated. hifitime's guess (its UTC duration) is kept when
/// converting it back gives the instant, moved by a second when that does; otherwise the instant
/// is inside a leap second, the second after a 23:59:59 label.
fn label(epoch: Epoch) -> Label {
    let tai = epoch.to_time_scale(TimeScale::TAI);
    let guess = tai.to_time_scale(TimeScale::UTC);
    let utc = |duration: Duration| Epoch::from_duration(duration, TimeScale::UTC);
    let fields = |e: Epoch, second_60: bool| {
        let (year, month, day, hour, minute, second, nanos) = e.to_gregorian_utc();
        Label { year, month, day, hour, minute, second: if second_60 { 60 } else { second }, micros: nanos / 1000 }
    };
    for shift_s in [0, 1, -1] {
        let candidate = utc(guess.duration + Unit::Second * shift_s);
        if candidate.to_time_scale(TimeScale::TAI) == tai {
            return fields(candidate, false);
        }
    }
    for shift_s in [0, -1, 1, -2] {
        let candidate = utc(guess.duration + Unit::Second * shift_s);
        let into_leap = tai - candidate.to_time_scale(TimeScale::TAI) - Unit::Second * 1;
        let (_, _, _, hour, minute, second, _) = candidate.to_gregorian_utc();
        if (hour, minute, second) == (23, 59, 59) && into_leap >= Duration::ZERO && into_leap < Unit::Second * 1 {
            return fields(candidate, true);
        }
    }
    // Before 1972 UTC had fractional steps; hifitime's own label is the answer there.
    fields(guess, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_format_and_add() {
        let e = parse(DEFAULT_LAUNCH_UTC).unwrap();
        assert_eq!(e, default_launch());
        assert_eq!(iso(e), DEFAULT_LAUNCH_UTC);
        assert_eq!(ccsds(after_liftoff(e, 86_399.999_999_6).unwrap()), "2026-01-02T00:00:00.000000");
        let e = parse("2024-02-29 23:59:59.25").unwrap();
        assert_eq!(ccsds(e), "2024-02-29T23:59:59.250000");
        assert_eq!(iso(after_liftoff(e, 0.75).unwrap()), "2024-03-01T00:00:00Z");
        assert_eq!(parse("2026-07-01T14:30:00+02:00").unwrap(), parse("2026-07-01T12:30:00Z").unwrap());
        assert_eq!(parse("2026-01-01T00:10:00-00:20").unwrap(), parse("2026-01-01T00:30:00Z").unwrap());
        assert_eq!(iso(parse("0001-01-01T00:00:00Z").unwrap()), "0001-01-01T00:00:00Z");
        assert_eq!(iso(parse("9999-12-31T23:59:59.999999Z").unwrap()), "9999-12-31T23:59:59.999999Z");
        // Before 1972 UTC stepped by fractions of a second; labels still round-trip.
        for text in ["1961-08-01T00:00:00Z", "1965-03-01T00:00:00.5Z", "1968-01-31T23:59:59.9Z", "1955-05-05T05:05:05Z"] {
            assert_eq!(iso(parse(text).unwrap()), text.replace(".5Z", ".500000Z").replace(".9Z", ".900000Z"));
        }
    }

    /// The leap second at the end of 2016: the labels run through 23:59:60, and a flight time
    /// is elapsed time (TAI − UTC goes from 36 s to 37 s).
    #[test]
    fn labels_run_through_an_inserted_leap_second() {
        let launch = parse("2016-12-31T23:59:30Z").unwrap();
        let at = |t: f64| ccsds(after_liftoff(launch, t).unwrap());
        assert_eq!(at(0.0), "2016-12-31T23:59:30.000000");
        assert_eq!(at(5.0), "2016-12-31T23:59:35.000000");
        assert_eq!(at(29.5), "2016-12-31T23:59:59.500000");
        assert_eq!(at(30.0), "2016-12-31T23:59:60.000000");
        assert_eq!(at(30.999_999), "2016-12-31T23:59:60.999999");
        assert_eq!(at(31.0), "2017-01-01T00:00:00.000000");
        assert_eq!(at(91.0), "2017-01-01T00:01:00.000000");
        let leap = parse("2016-12-31T23:59:60.5Z").unwrap();
        assert_eq!(ccsds(leap), "2016-12-31T23:59:60.500000");
        assert_eq!(leap, after_liftoff(launch, 30.5).unwrap());
        assert_eq!(iso(leap), "2016-12-31T23:59:60.500000Z");
        // The instant is elapsed time: TAI runs 37 s ahead after the leap second.
        let tai = after_liftoff(launch, 91.0).unwrap().to_time_scale(TimeScale::TAI);
        assert_eq!(tai.to_gregorian(TimeScale::TAI), (2017, 1, 1, 0, 1, 37, 0));
        // Every other kind of leap-second day of the table, the first and a June one included.
        for (day, next) in [("1972-06-30", "1972-07-01"), ("1998-12-31", "1999-01-01"), ("2015-06-30", "2015-07-01")] {
            let before = parse(&format!("{day}T23:59:59Z")).unwrap();
            assert_eq!(ccsds(after_liftoff(before, 1.25).unwrap()), format!("{day}T23:59:60.250000"));
            assert_eq!(ccsds(after_liftoff(before, 2.0).unwrap()), format!("{next}T00:00:00.000000"));
        }
        // Without a leap second the label is the calendar sum, as before.
        let june = parse("2016-06-30T23:59:30Z").unwrap();
        assert_eq!(ccsds(after_liftoff(june, 30.0).unwrap()), "2016-07-01T00:00:00.000000");
    }

    /// No leap second since 2017: there the label of launch + t is the calendar sum (hifitime's
    /// addition in its UTC scale, which ignores leap seconds), for launches every ~37 h over
    /// eight years at odd microseconds and flight times up to two hours.
    #[test]
    fn without_a_leap_second_labels_are_calendar_sums() {
        let mut x: u64 = 1;
        for k in 0..2000_i64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let launch =
                Epoch::from_gregorian_utc_at_midnight(2017, 1, 1) + Unit::Second * (k * 133_337) + Unit::Microsecond * (x >> 44) as i64;
            let t = (x >> 11) as f64 / (1u64 << 53) as f64 * 7200.0;
            let sum = launch + Duration::from_total_nanoseconds(i128::from((t * 1e6).round() as i64) * 1000);
            let (y, mo, d, h, mi, s, ns) = sum.to_gregorian_utc();
            let expected = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}", ns / 1000);
            assert_eq!(ccsds(after_liftoff(launch, t).unwrap()), expected, "t = {t} s");
        }
    }

    #[test]
    fn bad_epochs_are_refused_with_the_reason() {
        for (text, why) in [
            ("2023-02-29T00:00:00Z", "out of range"),
            ("2026-13-01T00:00:00Z", "out of range"),
            ("2026-01-01", "no time of day"),
            ("2026-01-01T24:00:00", "out of range"),
            ("0000-01-01T00:00:00Z", "out of range"),
            ("2026-06-30T23:59:60Z", "no leap second"),
            ("2016-12-30T23:59:60Z", "no leap second"),
            ("2026-1-01T00:00:00Z", "month"),
            ("2026-01-01T00:00:00.1234567Z", "six decimal"),
            ("2026-01-01T00:00:00.1234567890Z", "six decimal"),
            ("2026-01-01T00:00:00+1:00", "time must be"),
            ("2026-01-01T00:00:00+01:60", "offset"),
            ("2026-01-01T00:00:00 TAI", "second must have 2 digits"),
            ("tomorrow", "date must be"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(why) && e.contains(text), "{text}: {e}");
        }
        assert!(after_liftoff(default_launch(), f64::NAN).is_none());
        assert!(after_liftoff(default_launch(), 1e300).is_none());
        assert!(after_liftoff(parse("9999-12-31T23:59:59Z").unwrap(), 1.0).is_none());
    }

    #[test]
    fn unix_seconds_count_days_of_86_400_s() {
        // 2017-01-01 came one leap second later in elapsed time; Unix time does not count it.
        assert_eq!(iso(from_unix_seconds(1_483_228_800).unwrap()), "2017-01-01T00:00:00Z");
        assert_eq!(iso(from_unix_seconds(1_767_225_600).unwrap()), DEFAULT_LAUNCH_UTC);
        assert!(from_unix_seconds(i64::MAX).is_none() && from_unix_seconds(300_000_000_000).is_none());
    }
}
