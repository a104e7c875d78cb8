//! `trajectory.csv`: one row per sample, the columns fixed by the product contract, then the
//! vacuum instantaneous impact point of the sample ([`crate::iip`]), empty where the state does
//! not come down (in orbit, an escape).

use cosmodrome::flight::FlightResult;

use crate::iip::iip_trace;
use crate::IoError;

/// Column names of `trajectory.csv`, in order: the contract's thirteen (up to `stage`), then the
/// three of the vacuum instantaneous impact point.
pub const COLUMNS: [&str; 16] = [
    "time_s",
    "altitude_m",
    "latitude_deg",
    "longitude_deg",
    "speed_m_s",
    "air_speed_m_s",
    "flight_path_angle_deg",
    "mass_kg",
    "thrust_n",
    "dynamic_pressure_pa",
    "mach",
    "axial_accel_g",
    "stage",
    "iip_latitude_deg",
    "iip_longitude_deg",
    "iip_downrange_km",
];

/// Index of the `stage` column; the IIP columns follow it.
pub const STAGE_COLUMN: usize = 12;

/// `value` with `digits` decimals, without the sign of a value that rounds to zero: a height of
/// −0.0004 m at impact is `0.000`, not `-0.000`. The command line's tables print with it too.
pub fn fixed(value: f64, digits: usize) -> String {
    let text = format!("{value:.digits$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => text,
    }
}

/// `value` to `digits` significant figures, trailing zeros dropped, for a figure of any size in
/// a table: to six, a residual of 191.3375 kg prints `191.338`, one of 1393.75 kg `1393.75`,
/// a reserve share of 0.0125 `0.0125`.
pub fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return fixed(value, 0);
    }
    let decimals = (digits - 1 - value.abs().log10().floor() as i32).max(0) as usize;
    let text = fixed(value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// The trajectory table as CSV text. Refuses (rather than writes) a non-finite value; an IIP
/// that does not exist is written as empty cells.
pub fn trajectory_csv(result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(result.samples.len() * 200));
    let csv_err = |e: csv::Error| IoError::Invalid { what: "trajectory.csv".to_owned(), message: e.to_string() };
    w.write_record(COLUMNS).map_err(csv_err)?;
    for (sample, iip) in result.samples.iter().zip(iip_trace(result)) {
        let p = &sample.point;
        let values = p.table_figures();
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(IoError::Invalid {
                what: "trajectory.csv".to_owned(),
                message: format!("column {} is {} at t = {} s", COLUMNS[i], values[i], p.time_s),
            });
        }
        let mut record: Vec<String> = values.iter().zip(PRECISION).map(|(&v, digits)| fixed(v, digits)).collect();
        record.push(result.phase_names.get(sample.phase).cloned().unwrap_or_default());
        // iip_trace gives only finite figures.
        match iip {
            Some(i) => record.extend([
                format!("{:.IIP_ANGLE_DIGITS$}", i.latitude_deg),
                format!("{:.IIP_ANGLE_DIGITS$}", i.longitude_deg),
                format!("{:.3}", i.downrange_km),
            ]),
            None => record.extend([String::new(), String::new(), String::new()]),
        }
        w.write_record(&record).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| IoError::Invalid { what: "trajectory.csv".to_owned(), message: e.to_string() })
}

/// Decimal places per numeric column: millisecond time, millimetre altitude, ~1 cm in angles.
const PRECISION: [usize; 12] = [3, 3, 7, 7, 4, 4, 5, 3, 1, 3, 5, 5];

/// Decimal places of the IIP's latitude and longitude: ~1 m, finer than a vacuum impact point
/// means anything.
const IIP_ANGLE_DIGITS: usize = 5;

#[cfg(test)]
mod tests {
    use super::{fixed, significant};

    /// A height a hair under the ellipsoid prints as 0.00, not -0.00; real negatives keep their
    /// sign (the tables of the command line and `trajectory.csv` alike).
    #[test]
    fn a_value_that_rounds_to_zero_has_no_sign() {
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-1e-9, 2), "0.00");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-0.006, 2), "-0.01");
        assert_eq!(fixed(-0.0006, 3), "-0.001");
        assert_eq!(fixed(0.0, 3), "0.000");
        assert_eq!(fixed(12.345, 1), "12.3");
        assert_eq!(fixed(12.5, 1), "12.5");
    }

    /// A defaulted figure of any size prints short: kilograms of residual and shares alike.
    #[test]
    fn significant_figures_drop_trailing_zeros() {
        assert_eq!(significant(191.3375, 6), "191.338");
        assert_eq!(significant(1393.75, 6), "1393.75");
        assert_eq!(significant(0.0125, 6), "0.0125");
        assert_eq!(significant(2_476_375.5, 6), "2476376");
        assert_eq!(significant(24.462_500_000_000_003, 6), "24.4625");
        assert_eq!(significant(0.0, 6), "0");
        assert_eq!(significant(-0.00012345678, 3), "-0.000123");
    }
}
