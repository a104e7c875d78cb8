//! `impacts.csv`: every dispersed impact of a drop-zone Monte Carlo, one row per body and sample,
//! with fixed decimals so that a seed always gives the same bytes.

use cosmodrome::dropzone::BodyImpacts;

use crate::parquet::{Column, ColumnData};
use crate::IoError;

/// Column names of `impacts.csv`, in order.
pub const COLUMNS: [&str; 7] = ["body", "sample", "latitude_deg", "longitude_deg", "downrange_km", "impact_speed_m_s", "flight_time_s"];

/// Decimal places of the numeric columns after `sample`: ~0.1 m in angles, metres, cm/s, ms.
const PRECISION: [usize; 5] = [6, 6, 3, 2, 3];

/// The impacts table as CSV text. Refuses (rather than writes) a non-finite value.
pub fn impacts_csv(bodies: &[BodyImpacts]) -> Result<Vec<u8>, IoError> {
    let rows: usize = bodies.iter().map(|b| b.impacts.len()).sum();
    let mut w = csv::Writer::from_writer(Vec::with_capacity(64 * (rows + 1)));
    let csv_err = |e: csv::Error| IoError::Invalid { what: "impacts.csv".to_owned(), message: e.to_string() };
    w.write_record(COLUMNS).map_err(csv_err)?;
    for body in bodies {
        for s in &body.impacts {
            let i = &s.impact;
            let values = [i.latitude_deg, i.longitude_deg, s.downrange_km, i.speed_m_s, i.flight_time_s];
            if let Some(k) = values.iter().position(|v| !v.is_finite()) {
                return Err(IoError::Invalid {
                    what: "impacts.csv".to_owned(),
                    message: format!("{} of {} sample {} is {}", COLUMNS[k + 2], body.name, s.sample, values[k]),
                });
            }
            let mut record = vec![body.name.clone(), s.sample.to_string()];
            record.extend(values.iter().zip(PRECISION).map(|(v, digits)| format!("{v:.digits$}")));
            w.write_record(&record).map_err(csv_err)?;
        }
    }
    w.into_inner().map_err(|e| IoError::Invalid { what: "impacts.csv".to_owned(), message: e.to_string() })
}

/// The impacts table as Parquet columns, named as in `impacts.csv` (for `--format parquet`,
/// where a large campaign is read by pandas or polars).
pub fn impacts_columns(bodies: &[BodyImpacts]) -> Vec<Column> {
    let rows = || bodies.iter().flat_map(|b| b.impacts.iter().map(move |s| (b, s)));
    let f64_column = |name: &str, get: fn(&cosmodrome::dropzone::SampleImpact) -> f64| Column {
        name: name.to_owned(),
        data: ColumnData::F64(rows().map(|(_, s)| get(s)).collect()),
    };
    vec![
        Column { name: COLUMNS[0].to_owned(), data: ColumnData::Str(rows().map(|(b, _)| b.name.clone()).collect()) },
        Column { name: COLUMNS[1].to_owned(), data: ColumnData::I64(rows().map(|(_, s)| s.sample as i64).collect()) },
        f64_column(COLUMNS[2], |s| s.impact.latitude_deg),
        f64_column(COLUMNS[3], |s| s.impact.longitude_deg),
        f64_column(COLUMNS[4], |s| s.downrange_km),
        f64_column(COLUMNS[5], |s| s.impact.speed_m_s),
        f64_column(COLUMNS[6], |s| s.impact.flight_time_s),
    ]
}
