//! Parquet tables for the large outputs (Monte Carlo impacts, sweeps, trajectories), readable by
//! pandas, polars, pyarrow, DuckDB.
//!
//! A table is a list of named columns of f64, i64, booleans or strings, required or, for f64 and
//! strings, nullable. The file
//! is built in memory and written atomically by the caller. It goes through the column writers
//! of the `parquet` crate without arrow or compression codecs: an uncompressed file is larger
//! but needs no codec at build time; readers need none either.

use std::sync::Arc;

use cosmodrome::flight::FlightResult;
use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::iip::{iip_trace, IipPoint};
use crate::trajectory_csv::{COLUMNS, STAGE_COLUMN};
use crate::IoError;

/// Rows per row group: bounds the memory a reader needs per group.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Floating point (units belong in the column name); NaN and infinities are refused.
    F64(Vec<f64>),
    /// Integers (counts, indices, seeds).
    I64(Vec<i64>),
    /// UTF-8 text (names, phases).
    Str(Vec<String>),
    /// Yes or no (a sweep point flown at its altitude's sun-synchronous inclination).
    Bool(Vec<bool>),
    /// Floating point where a row may have no value (null): a sweep point that was not reached.
    OptionalF64(Vec<Option<f64>>),
    /// Text where a row may have no value (null): a sweep point's message when it was reached.
    OptionalStr(Vec<Option<String>>),
}

impl ColumnData {
    fn len(&self) -> usize {
        match self {
            ColumnData::F64(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::Str(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::OptionalF64(v) => v.len(),
            ColumnData::OptionalStr(v) => v.len(),
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name, with its unit (`altitude_m`).
    pub name: String,
    /// Values.
    pub data: ColumnData,
}

impl Column {
    /// A column of floats.
    pub fn f64(name: &str, values: Vec<f64>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::F64(values) }
    }

    /// A column of integers.
    pub fn i64(name: &str, values: Vec<i64>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::I64(values) }
    }

    /// A column of strings.
    pub fn str(name: &str, values: Vec<String>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::Str(values) }
    }

    /// A column of booleans.
    pub fn bool(name: &str, values: Vec<bool>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::Bool(values) }
    }

    /// A column of floats with nulls.
    pub fn optional_f64(name: &str, values: Vec<Option<f64>>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::OptionalF64(values) }
    }

    /// A column of text with nulls.
    pub fn optional_str(name: &str, values: Vec<Option<String>>) -> Column {
        Column { name: name.to_owned(), data: ColumnData::OptionalStr(values) }
    }
}

/// The table as Parquet bytes. `what` names the output in errors (`impacts.parquet`).
/// Refuses an empty column list, duplicate or empty names, columns of unequal length and
/// non-finite floats (naming the column and row).
pub fn parquet_bytes(what: &str, columns: &[Column]) -> Result<Vec<u8>, IoError> {
    let invalid = |message: String| IoError::Invalid { what: what.to_owned(), message };
    let Some(first) = columns.first() else { return Err(invalid("no columns".to_owned())) };
    let rows = first.data.len();
    for (i, c) in columns.iter().enumerate() {
        if c.name.is_empty() || columns[..i].iter().any(|d| d.name == c.name) {
            return Err(invalid(format!("column name {:?} is empty or repeated", c.name)));
        }
        if c.data.len() != rows {
            return Err(invalid(format!("column {} has {} rows, column {} has {rows}", c.name, c.data.len(), first.name)));
        }
        if let ColumnData::F64(v) = &c.data {
            if let Some(row) = v.iter().position(|x| !x.is_finite()) {
                return Err(invalid(format!("column {} is {} at row {row}", c.name, v[row])));
            }
        }
        if let ColumnData::OptionalF64(v) = &c.data {
            if let Some((row, x)) = v.iter().enumerate().find_map(|(row, x)| x.filter(|x| !x.is_finite()).map(|x| (row, x))) {
                return Err(invalid(format!("column {} is {x} at row {row}", c.name)));
            }
        }
    }
    write(columns, rows, ROW_GROUP_ROWS).map_err(|e| invalid(e.to_string()))
}

fn write(columns: &[Column], rows: usize, group_rows: usize) -> Result<Vec<u8>, parquet::errors::ParquetError> {
    let fields = columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.data {
                ColumnData::F64(_) | ColumnData::OptionalF64(_) => (PhysicalType::DOUBLE, None),
                ColumnData::I64(_) => (PhysicalType::INT64, None),
                ColumnData::Bool(_) => (PhysicalType::BOOLEAN, None),
                ColumnData::Str(_) | ColumnData::OptionalStr(_) => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
            };
            let optional = matches!(c.data, ColumnData::OptionalF64(_) | ColumnData::OptionalStr(_));
            let repetition = if optional { Repetition::OPTIONAL } else { Repetition::REQUIRED };
            Type::primitive_type_builder(&c.name, physical).with_repetition(repetition).with_logical_type(logical).build().map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build()?);
    let properties = WriterProperties::builder()
        .set_compression(Compression::UNCOMPRESSED)
        .set_created_by(format!("cosmodrome {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, Arc::new(properties))?;
    let mut start = 0;
    // One row group even for an empty table, so readers see the schema and zero rows.
    loop {
        let end = (start + group_rows).min(rows);
        let mut group = writer.next_row_group()?;
        for c in columns {
            let Some(mut col) = group.next_column()? else { break };
            match &c.data {
                ColumnData::F64(v) => {
                    col.typed::<DoubleType>().write_batch(&v[start..end], None, None)?;
                }
                ColumnData::I64(v) => {
                    col.typed::<Int64Type>().write_batch(&v[start..end], None, None)?;
                }
                ColumnData::Bool(v) => {
                    col.typed::<BoolType>().write_batch(&v[start..end], None, None)?;
                }
                ColumnData::Str(v) => {
                    let bytes: Vec<ByteArray> = v[start..end].iter().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&bytes, None, None)?;
                }
                ColumnData::OptionalF64(v) => {
                    // Definition level 1: a value; 0: null (only the values are written).
                    let levels: Vec<i16> = v[start..end].iter().map(|x| i16::from(x.is_some())).collect();
                    let values: Vec<f64> = v[start..end].iter().flatten().copied().collect();
                    col.typed::<DoubleType>().write_batch(&values, Some(&levels), None)?;
                }
                ColumnData::OptionalStr(v) => {
                    let levels: Vec<i16> = v[start..end].iter().map(|x| i16::from(x.is_some())).collect();
                    let values: Vec<ByteArray> = v[start..end].iter().flatten().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None)?;
                }
            }
            col.close()?;
        }
        group.close()?;
        start = end;
        if start >= rows {
            break;
        }
    }
    writer.into_inner()
}

/// The trajectory table, the columns of `trajectory.csv`, as Parquet columns (the IIP's nullable).
pub fn trajectory_columns(result: &FlightResult) -> Vec<Column> {
    let pts = || result.samples.iter().map(|s| &s.point);
    let getters: [fn(&cosmodrome::flight::FlightPoint) -> f64; 12] = [
        |p| p.time_s,
        |p| p.altitude_m,
        |p| p.latitude_deg,
        |p| p.longitude_deg,
        |p| p.speed_m_s,
        |p| p.air_speed_m_s,
        |p| p.flight_path_angle_deg,
        |p| p.mass_kg,
        |p| p.thrust_n,
        |p| p.dynamic_pressure_pa,
        |p| p.mach,
        |p| p.axial_accel_g,
    ];
    let mut columns: Vec<Column> = COLUMNS.iter().zip(getters).map(|(name, get)| Column::f64(name, pts().map(get).collect())).collect();
    let stage = result.samples.iter().map(|s| result.phase_names.get(s.phase).cloned().unwrap_or_default()).collect();
    columns.push(Column::str(COLUMNS[STAGE_COLUMN], stage));
    // The vacuum IIP, null where the state does not come down (as the CSV's empty cells).
    let iip = iip_trace(result);
    let iip_getters: [fn(&IipPoint) -> f64; 3] = [|i| i.latitude_deg, |i| i.longitude_deg, |i| i.downrange_km];
    for (name, get) in COLUMNS[STAGE_COLUMN + 1..].iter().zip(iip_getters) {
        columns.push(Column::optional_f64(name, iip.iter().map(|i| i.as_ref().map(get)).collect()));
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_table_has_the_parquet_magic_and_bad_tables_are_refused() {
        let ok = parquet_bytes(
            "t.parquet",
            &[Column::f64("x_m", vec![1.0, 2.5]), Column::i64("n", vec![3, 4]), Column::str("s", vec!["a".into(), "b".into()])],
        )
        .unwrap();
        assert!(ok.starts_with(b"PAR1") && ok.ends_with(b"PAR1"));
        let empty = parquet_bytes("t.parquet", &[Column::f64("x_m", vec![])]).unwrap();
        assert!(empty.ends_with(b"PAR1"));

        let e = parquet_bytes("t.parquet", &[Column::f64("x_m", vec![1.0, f64::NAN])]).unwrap_err().to_string();
        assert!(e.contains("t.parquet") && e.contains("x_m") && e.contains("row 1"), "{e}");
        let e = parquet_bytes("t.parquet", &[Column::f64("x_m", vec![1.0]), Column::i64("n", vec![])]).unwrap_err().to_string();
        assert!(e.contains("column n has 0 rows"), "{e}");
        assert!(parquet_bytes("t.parquet", &[Column::f64("a", vec![]), Column::f64("a", vec![])]).is_err());
        assert!(parquet_bytes("t.parquet", &[]).is_err());
        let e = parquet_bytes("t.parquet", &[Column::optional_f64("y_m", vec![None, Some(f64::INFINITY)])]).unwrap_err().to_string();
        assert!(e.contains("y_m") && e.contains("row 1"), "{e}");
    }

    #[test]
    fn optional_columns_read_back_with_their_nulls() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::RowAccessor;
        let columns = [Column::optional_f64("x_m", vec![Some(1.5), None, Some(-2.0)]), Column::i64("n", vec![1, 2, 3])];
        let bytes = write(&columns, 3, 2).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let rows: Vec<(Option<f64>, i64)> =
            reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).map(|r| (r.get_double(0).ok(), r.get_long(1).unwrap())).collect();
        assert_eq!(rows, [(Some(1.5), 1), (None, 2), (Some(-2.0), 3)]);
    }

    #[test]
    fn long_tables_split_into_row_groups_that_read_back() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::RowAccessor;
        let columns = [
            Column::f64("x_m", (0..5).map(f64::from).collect()),
            Column::str("name", (0..5).map(|i| format!("n{i}")).collect()),
            Column::bool("even", (0..5).map(|i| i % 2 == 0).collect()),
        ];
        let bytes = write(&columns, 5, 2).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 3);
        let rows: Vec<(f64, String, bool)> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .map(|r| (r.get_double(0).unwrap(), r.get_string(1).unwrap().clone(), r.get_bool(2).unwrap()))
            .collect();
        assert_eq!(rows, (0..5).map(|i| (f64::from(i), format!("n{i}"), i % 2 == 0)).collect::<Vec<_>>());
    }
}
