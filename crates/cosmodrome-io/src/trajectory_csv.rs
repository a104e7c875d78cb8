//! `trajectory.csv`: one row per sample, the columns fixed by the product contract.

use cosmodrome::flight::FlightResult;

use crate::IoError;

/// Column names of `trajectory.csv`, in order.
pub const COLUMNS: [&str; 13] = [
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
];

/// The trajectory table as CSV text. Refuses (rather than writes) a non-finite value.
pub fn trajectory_csv(result: &FlightResult) -> Result<Vec<u8>, IoError> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(result.samples.len() * 160));
    let csv_err = |e: csv::Error| IoError::Invalid { what: "trajectory.csv".to_owned(), message: e.to_string() };
    w.write_record(COLUMNS).map_err(csv_err)?;
    for sample in &result.samples {
        let p = &sample.point;
        let values = p.table_figures();
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(IoError::Invalid {
                what: "trajectory.csv".to_owned(),
                message: format!("column {} is {} at t = {} s", COLUMNS[i], values[i], p.time_s),
            });
        }
        let mut record: Vec<String> = values.iter().zip(PRECISION).map(|(v, digits)| format!("{v:.digits$}")).collect();
        record.push(result.phase_names.get(sample.phase).cloned().unwrap_or_default());
        w.write_record(&record).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| IoError::Invalid { what: "trajectory.csv".to_owned(), message: e.to_string() })
}

/// Decimal places per numeric column: millisecond time, millimetre altitude, ~1 cm in angles.
const PRECISION: [usize; 12] = [3, 3, 7, 7, 4, 4, 5, 3, 1, 3, 5, 5];
