//! A payload sweep's outputs: the table as CSV (`sweep.csv`) and Parquet (`sweep.parquet`), and
//! the payload chart of a user's guide (`payload.png`, `payload.svg`): payload against orbit
//! altitude, one line per inclination (or, for a parameter swept at one altitude, against the
//! parameter's value). The files are written as one set with `run.json`, the way a run's are
//! ([`crate::run_outputs::write_set`]): staged beside the directory and swapped in whole, so a
//! reader never sees half a table, and a directory that holds other files is refused.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cosmodrome::mission::sweep::{SweepPayload, SweepRow};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::parquet::{parquet_bytes, Column};
use crate::plots::{encode_png, ensure_font, plot_error, render, tick, PlotFormat, FONT, PALETTE};
use crate::run_outputs::write_set;
use crate::IoError;

/// Size of the payload chart, pixels.
pub const CHART_SIZE_PX: (u32, u32) = (1100, 750);

/// What the rows' indices stand for.
#[derive(Debug, Clone, Copy)]
pub struct SweepLabels<'a> {
    /// Each vehicle as the user named it (catalog id or file): the tables' `vehicle` column.
    pub vehicles: &'a [String],
    /// Each vehicle's `name` from its file: how the chart's legend and title name it (a file's
    /// path, or a catalog id, is no name for a reader of the chart).
    pub names: &'a [String],
    /// Each site as given; a site file by its pad's id (`SweepSite::label`).
    pub sites: &'a [String],
    /// The parameter swept and its value for each vehicle, when the vehicles are its variants.
    pub parameter: Option<(&'a str, &'a [f64])>,
}

impl SweepLabels<'_> {
    fn value(&self, row: &SweepRow) -> Option<f64> {
        self.parameter.and_then(|(_, values)| values.get(row.vehicle).copied())
    }
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Names of the table's columns; the swept parameter's path (`stage.URM-2.propellant_mass_kg`)
/// comes after `pad` when there is one. New columns are appended, so that readers of
/// `sweep.csv` by position keep working.
pub const COLUMNS: [&str; 16] = [
    "vehicle",
    "site",
    "pad",
    "altitude_km",
    "inclination_deg",
    "payload_kg",
    "launch_azimuth_deg",
    "status",
    "message",
    "profile",
    "upper_stage_load_kg",
    "main_engine_cutoff_s",
    "chosen_coast_s",
    "sun_synchronous",
    "orbit_payload_kg",
    "liftoff_limited",
];

/// How a sweep point's answer reaches its orbit (the `profile` column): `direct`, one powered
/// ascent; `elliptic`, the ascent to an ellipse, a coast and the last stage's circularization.
fn profile_name(p: &SweepPayload) -> &'static str {
    if p.elliptic_profile {
        "elliptic"
    } else {
        "direct"
    }
}

/// The rows as the table's columns, in row order; `payload_kg`, `launch_azimuth_deg`,
/// `inclination_deg`, `upper_stage_load_kg`, `main_engine_cutoff_s` and `chosen_coast_s` (the
/// coast a vehicle file's `ignition_delay_max_s` lets the ascent choose) and `orbit_payload_kg`
/// (what the orbit alone would take where the file's liftoff limit held the payload below it)
/// are empty (null) where there is no value, `liftoff_limited` is true where that limit set the
/// payload, and
/// `profile` is empty for a point that cannot be reached; `sun_synchronous` is true for a point
/// flown at its altitude's sun-synchronous inclination (`sso`), reached or not.
pub fn sweep_columns(rows: &[SweepRow], labels: &SweepLabels<'_>) -> Vec<Column> {
    let text = |f: &dyn Fn(&SweepRow) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let mut columns = vec![
        Column::str(COLUMNS[0], text(&|r| labels.vehicles[r.vehicle].clone())),
        Column::str(COLUMNS[1], text(&|r| labels.sites[r.site].clone())),
        Column::optional_str(COLUMNS[2], rows.iter().map(|r| r.pad.clone()).collect()),
    ];
    if let Some((path, _)) = labels.parameter {
        columns.push(Column::optional_f64(path, rows.iter().map(|r| labels.value(r)).collect()));
    }
    columns.extend([
        Column::f64(COLUMNS[3], rows.iter().map(|r| r.altitude_km).collect()),
        Column::optional_f64(COLUMNS[4], rows.iter().map(|r| r.inclination_deg).collect()),
        Column::optional_f64(COLUMNS[5], rows.iter().map(|r| r.result.as_ref().ok().map(|p| p.payload_kg)).collect()),
        Column::optional_f64(COLUMNS[6], rows.iter().map(|r| r.result.as_ref().ok().map(|p| p.launch_azimuth_deg)).collect()),
        Column::str(COLUMNS[7], text(&|r| if r.result.is_ok() { "ok" } else { "unreachable" }.to_owned())),
        // Null where there is nothing to say, as the JSON report's null (not an empty string).
        Column::optional_str(COLUMNS[8], rows.iter().map(|r| r.result.as_ref().err().cloned()).collect()),
        Column::optional_str(COLUMNS[9], rows.iter().map(|r| r.result.as_ref().ok().map(|p| profile_name(p).to_owned())).collect()),
        Column::optional_f64(COLUMNS[10], rows.iter().map(|r| r.result.as_ref().ok().and_then(|p| p.upper_stage_load_kg)).collect()),
        Column::optional_f64(COLUMNS[11], rows.iter().map(|r| r.result.as_ref().ok().and_then(|p| p.main_engine_cutoff_s)).collect()),
        Column::optional_f64(COLUMNS[12], rows.iter().map(|r| r.result.as_ref().ok().and_then(|p| p.chosen_coast_s)).collect()),
        Column::bool(COLUMNS[13], rows.iter().map(|r| r.sun_synchronous).collect()),
        Column::optional_f64(COLUMNS[14], rows.iter().map(|r| r.result.as_ref().ok().and_then(|p| p.orbit_payload_kg)).collect()),
        Column::bool(COLUMNS[15], rows.iter().map(|r| r.result.as_ref().is_ok_and(|p| p.liftoff_limited)).collect()),
    ]);
    columns
}

/// The table as CSV: payload to 0.1 kg, azimuth to 0.001°, empty fields where there is no value.
pub fn sweep_csv(rows: &[SweepRow], labels: &SweepLabels<'_>) -> String {
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if let Some((path, _)) = labels.parameter {
        header.insert(3, path);
    }
    let mut csv = header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",") + "\n";
    let opt = |v: Option<f64>, digits: usize| v.map_or_else(String::new, |v| format!("{v:.digits$}"));
    for r in rows {
        let found = r.result.as_ref().ok();
        let mut fields = vec![labels.vehicles[r.vehicle].clone(), labels.sites[r.site].clone(), r.pad.clone().unwrap_or_default()];
        if labels.parameter.is_some() {
            fields.push(labels.value(r).map_or_else(String::new, |v| format!("{v}")));
        }
        fields.extend([
            format!("{}", r.altitude_km),
            r.inclination_deg.map_or_else(String::new, |i| format!("{i}")),
            opt(found.map(|p| p.payload_kg), 1),
            opt(found.map(|p| p.launch_azimuth_deg), 3),
            if found.is_some() { "ok" } else { "unreachable" }.to_owned(),
            r.result.as_ref().err().cloned().unwrap_or_default(),
            found.map_or("", profile_name).to_owned(),
            opt(found.and_then(|p| p.upper_stage_load_kg), 1),
            opt(found.and_then(|p| p.main_engine_cutoff_s), 1),
            opt(found.and_then(|p| p.chosen_coast_s), 1),
            r.sun_synchronous.to_string(),
            opt(found.and_then(|p| p.orbit_payload_kg), 1),
            found.is_some_and(|p| p.liftoff_limited).to_string(),
        ]);
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(csv, "{}", line.join(",")).expect("writing to a String");
    }
    csv
}

/// The table as Parquet.
pub fn sweep_parquet(rows: &[SweepRow], labels: &SweepLabels<'_>) -> Result<Vec<u8>, IoError> {
    parquet_bytes("sweep.parquet", &sweep_columns(rows, labels))
}

/// One line of the chart.
struct Series {
    label: String,
    points: Vec<(f64, f64)>,
}

/// What the chart draws: its axis, title and lines (the reached points only).
fn chart_data(rows: &[SweepRow], labels: &SweepLabels<'_>) -> (String, String, Vec<Series>) {
    // Against the parameter when it was swept at one altitude, else against the altitude.
    let altitudes = {
        let mut a: Vec<f64> = rows.iter().map(|r| r.altitude_km).collect();
        a.sort_by(f64::total_cmp);
        a.dedup();
        a.len()
    };
    let by_parameter = labels.parameter.filter(|_| altitudes == 1);
    let several = |f: &dyn Fn(&SweepRow) -> usize| rows.iter().any(|r| f(r) != f(&rows[0]));
    let (vehicles, sites) = (several(&|r| r.vehicle), several(&|r| r.site));
    let mut series: Vec<Series> = Vec::new();
    // A line per inclination; the sun-synchronous points, whose inclination rises with the
    // altitude, as one line.
    let mut keys: Vec<(usize, usize, Option<u64>)> = Vec::new();
    for r in rows {
        let Ok(found) = &r.result else { continue };
        let (x, vehicle_key) = match by_parameter {
            Some(_) => (labels.value(r).unwrap_or(f64::NAN), 0),
            None => (r.altitude_km, r.vehicle),
        };
        let inclination_key = if r.sun_synchronous { Some(u64::MAX) } else { r.inclination_deg.map(f64::to_bits) };
        let key = (vehicle_key, r.site, inclination_key);
        let i = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            let mut parts = Vec::new();
            if vehicles && by_parameter.is_none() {
                parts.push(labels.names[r.vehicle].clone());
            }
            if sites {
                parts.push(r.pad.clone().unwrap_or_else(|| labels.sites[r.site].clone()));
            }
            parts.push(match r.inclination_deg {
                _ if r.sun_synchronous => "sun-synchronous".to_owned(),
                Some(i) => format!("{i}°"),
                None => "lowest inclination".to_owned(),
            });
            keys.push(key);
            series.push(Series { label: parts.join(", "), points: Vec::new() });
            keys.len() - 1
        });
        series[i].points.push((x, found.payload_kg));
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        let name = labels.names[r.vehicle].as_str();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut title = format!("Payload to circular orbit: {}", names.join(", "));
    let mut site_names: Vec<&str> = rows.iter().map(|r| labels.sites[r.site].as_str()).collect();
    site_names.dedup();
    if !sites {
        title.push_str(&format!(" from {}", site_names.first().copied().unwrap_or_default()));
    }
    let x_label = match by_parameter {
        Some((path, _)) => {
            title.push_str(&format!(" at {} km", rows.first().map_or(0.0, |r| r.altitude_km)));
            path.to_owned()
        }
        None => "circular orbit altitude, km".to_owned(),
    };
    (title, x_label, series)
}

/// The payload chart of a user's guide: payload against orbit altitude, one line per
/// inclination (and vehicle and site, when there are several), reached points marked; for a
/// parameter swept at one altitude, payload against the parameter. Unreached points are left
/// out (their rows say why). Refused when no point was reached.
pub fn sweep_chart(rows: &[SweepRow], labels: &SweepLabels<'_>, format: PlotFormat) -> Result<Vec<u8>, IoError> {
    let what = format!("payload.{}", format.extension());
    ensure_font()?;
    let (title, x_label, series) = chart_data(rows, labels);
    let points = || series.iter().flat_map(|s| s.points.iter().copied());
    if points().next().is_none() {
        return Err(IoError::Invalid { what, message: "no point of the sweep reached its orbit".to_owned() });
    }
    if !points().all(|(x, y)| x.is_finite() && y.is_finite()) {
        return Err(IoError::Invalid { what, message: "a plotted value is not finite".to_owned() });
    }
    render!(format, CHART_SIZE_PX, &what, |root: &DrawingArea<_, Shift>| draw_chart(root, &title, &x_label, &series))
}

fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let root = root.titled(title, (FONT, 24))?;
    let all = || series.iter().flat_map(|s| s.points.iter().copied());
    let (x0, x1) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| (a.min(x), b.max(x)));
    let y1 = all().fold(0.0_f64, |m, (_, y)| m.max(y));
    let x_pad = ((x1 - x0) * 0.04).max(1.0);
    let mut chart = ChartBuilder::on(&root)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d((x0 - x_pad)..(x1 + x_pad), 0.0..(y1 * 1.08).max(1.0))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("payload, kg")
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))?
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// Write the sweep's files into `dir` (created if missing) as one set: `sweep.csv`,
/// `sweep.parquet`, when a point was reached `payload.png` and `payload.svg`, then `run.json`
/// with `record` (what the command records of itself). `dir` must pass
/// [`crate::check_out_dir`]: new, empty or a previous run. Returns the paths written.
pub fn write_sweep(dir: &Path, rows: &[SweepRow], labels: &SweepLabels<'_>, record: &serde_json::Value) -> Result<Vec<PathBuf>, IoError> {
    // Everything is built before the first file is written.
    let mut files: Vec<(&str, Vec<u8>)> =
        vec![("sweep.csv", sweep_csv(rows, labels).into_bytes()), ("sweep.parquet", sweep_parquet(rows, labels)?)];
    if rows.iter().any(|r| r.result.is_ok()) {
        files.push(("payload.png", sweep_chart(rows, labels, PlotFormat::Png)?));
        files.push(("payload.svg", sweep_chart(rows, labels, PlotFormat::Svg)?));
    }
    write_set(dir, &files, record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(vehicle: usize, altitude_km: f64, inclination_deg: f64, payload_kg: Option<f64>) -> SweepRow {
        SweepRow {
            vehicle,
            site: 0,
            pad: Some("vostochny-1a".to_owned()),
            altitude_km,
            inclination_deg: Some(inclination_deg),
            sun_synchronous: false,
            result: payload_kg
                .map(|payload_kg| SweepPayload {
                    payload_kg,
                    launch_azimuth_deg: 45.0,
                    flights: 10,
                    warm_started: true,
                    upper_stage_load_kg: None,
                    elliptic_profile: false,
                    main_engine_cutoff_s: None,
                    chosen_coast_s: None,
                    orbit_payload_kg: None,
                    liftoff_limited: false,
                })
                .ok_or_else(|| "cannot be reached, \"here\"".to_owned()),
        }
    }

    fn labels<'a>(vehicles: &'a [String], sites: &'a [String]) -> SweepLabels<'a> {
        SweepLabels { vehicles, names: vehicles, sites, parameter: None }
    }

    #[test]
    fn the_csv_and_the_parquet_hold_every_row_with_empty_values_where_unreached() {
        let (vehicles, sites) = (vec!["angara-a5".to_owned()], vec!["vostochny".to_owned()]);
        // A point answered by the elliptic profile with its upper stage offloaded.
        let mut elliptic = row(0, 700.0, 98.0, Some(2608.2));
        if let Ok(p) = elliptic.result.as_mut() {
            (p.elliptic_profile, p.upper_stage_load_kg) = (true, Some(740.0));
        }
        elliptic.sun_synchronous = true;
        // A point whose last stage's main engines were cut off before its steering engine's.
        let mut tail = row(0, 1000.0, 99.6, Some(4558.9));
        if let Ok(p) = tail.result.as_mut() {
            p.main_engine_cutoff_s = Some(365.866);
        }
        // A point whose ascent chose the coast before its solid stage.
        let mut coasted = row(0, 300.0, 51.0, Some(6545.0));
        if let Ok(p) = coasted.result.as_mut() {
            p.chosen_coast_s = Some(108.5);
        }
        // A point whose payload the vehicle file's liftoff limit held below the orbit's.
        if let Ok(p) = coasted.result.as_mut() {
            p.orbit_payload_kg = Some(7012.3);
            p.liftoff_limited = true;
        }
        let rows = [row(0, 200.0, 51.0, Some(24000.0)), row(0, 200.0, 30.0, None), elliptic, tail, coasted];
        let csv = sweep_csv(&rows, &labels(&vehicles, &sites));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines[1], "angara-a5,vostochny,vostochny-1a,200,51,24000.0,45.000,ok,,direct,,,,false,,false");
        assert_eq!(lines[2], "angara-a5,vostochny,vostochny-1a,200,30,,,unreachable,\"cannot be reached, \"\"here\"\"\",,,,,false,,false");
        assert_eq!(lines[3], "angara-a5,vostochny,vostochny-1a,700,98,2608.2,45.000,ok,,elliptic,740.0,,,true,,false");
        assert_eq!(lines[4], "angara-a5,vostochny,vostochny-1a,1000,99.6,4558.9,45.000,ok,,direct,,365.9,,false,,false");
        assert_eq!(lines[5], "angara-a5,vostochny,vostochny-1a,300,51,6545.0,45.000,ok,,direct,,,108.5,false,7012.3,true");
        // New columns come last: a reader of the earlier columns by position is unaffected.
        assert_eq!(COLUMNS[12..], ["chosen_coast_s", "sun_synchronous", "orbit_payload_kg", "liftoff_limited"]);
        let bytes = sweep_parquet(&rows, &labels(&vehicles, &sites)).unwrap();
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.parquet");
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 5);
        let read: Vec<String> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap().to_string()).collect();
        assert!(read[0].contains("payload_kg: 24000.0") && read[0].contains("upper_stage_load_kg: null"), "{}", read[0]);
        assert!(read[1].contains("payload_kg: null"), "{}", read[1]);
        assert!(read[2].contains("profile: \"elliptic\"") && read[2].contains("upper_stage_load_kg: 740.0"), "{}", read[2]);
        assert!(read[0].contains("main_engine_cutoff_s: null") && read[3].contains("main_engine_cutoff_s: 365.866"), "{}", read[3]);
        // Nothing to say is null, as in the JSON report, not an empty string.
        assert!(read[0].contains("message: null") && read[1].contains("profile: null"), "{} / {}", read[0], read[1]);
        assert!(read[1].contains("message: \"cannot be reached"), "{}", read[1]);
        assert!(read[0].contains("chosen_coast_s: null") && read[4].contains("chosen_coast_s: 108.5"), "{}", read[4]);
        assert!(read[2].contains("sun_synchronous: true") && read[0].contains("sun_synchronous: false"), "{}", read[2]);
        assert!(read[0].contains("orbit_payload_kg: null") && read[4].contains("orbit_payload_kg: 7012.3"), "{}", read[4]);
        assert!(read[0].contains("liftoff_limited: false") && read[4].contains("liftoff_limited: true"), "{}", read[4]);
    }

    /// The chart names a vehicle by its file's `name`, a file given by its path as a catalog
    /// vehicle by its id; the tables keep the vehicle as the user gave it.
    #[test]
    fn the_chart_names_each_vehicle_by_its_name() {
        let vehicles = vec!["soyuz-2.1b".to_owned(), "tests/reference/solid-coast.toml".to_owned()];
        let names = vec!["Soyuz-2.1b".to_owned(), "Solid coast".to_owned()];
        let sites = vec!["vostochny".to_owned()];
        let l = SweepLabels { names: &names, ..labels(&vehicles, &sites) };
        let rows = [row(0, 200.0, 51.0, Some(8000.0)), row(1, 200.0, 51.0, Some(6500.0))];
        let (title, _, series) = chart_data(&rows, &l);
        assert_eq!(title, "Payload to circular orbit: Soyuz-2.1b, Solid coast from vostochny");
        let legend: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(legend, ["Soyuz-2.1b, 51°", "Solid coast, 51°"]);
        assert!(sweep_csv(&rows, &l).lines().nth(2).unwrap().starts_with("tests/reference/solid-coast.toml,"));
    }

    #[test]
    fn a_parameter_sweep_has_its_column_and_is_charted_against_it() {
        let (vehicles, sites) = (vec!["angara-a5".to_owned(); 3], vec!["vostochny".to_owned()]);
        let values = [30000.0, 35000.0, 40000.0];
        let l = SweepLabels { parameter: Some(("stage.URM-2.propellant_mass_kg", &values)), ..labels(&vehicles, &sites) };
        let rows = [row(0, 200.0, 51.0, Some(23000.0)), row(1, 200.0, 51.0, Some(24000.0)), row(2, 200.0, 51.0, Some(24500.0))];
        let csv = sweep_csv(&rows, &l);
        assert!(csv.starts_with("vehicle,site,pad,stage.URM-2.propellant_mass_kg,altitude_km,"), "{csv}");
        assert!(csv.lines().nth(2).unwrap().starts_with("angara-a5,vostochny,vostochny-1a,35000,200,"), "{csv}");
        let (title, x_label, series) = chart_data(&rows, &l);
        assert_eq!(x_label, "stage.URM-2.propellant_mass_kg");
        assert!(title.contains("at 200 km"), "{title}");
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].points, [(30000.0, 23000.0), (35000.0, 24000.0), (40000.0, 24500.0)]);
    }

    #[test]
    fn the_chart_has_a_line_per_inclination_and_refuses_an_empty_sweep() {
        let (vehicles, sites) = (vec!["angara-a5".to_owned()], vec!["vostochny".to_owned()]);
        let rows = [
            row(0, 400.0, 51.0, Some(22000.0)),
            row(0, 400.0, 63.0, Some(21000.0)),
            row(0, 200.0, 51.0, Some(24000.0)),
            row(0, 200.0, 63.0, Some(23000.0)),
            row(0, 200.0, 30.0, None),
        ];
        let (_, x_label, series) = chart_data(&rows, &labels(&vehicles, &sites));
        assert_eq!(x_label, "circular orbit altitude, km");
        let lines: Vec<(&str, &[(f64, f64)])> = series.iter().map(|s| (s.label.as_str(), s.points.as_slice())).collect();
        assert_eq!(lines, [("51°", &[(200.0, 24000.0), (400.0, 22000.0)][..]), ("63°", &[(200.0, 23000.0), (400.0, 21000.0)][..])]);
        let svg = String::from_utf8(sweep_chart(&rows, &labels(&vehicles, &sites), PlotFormat::Svg).unwrap()).unwrap();
        assert!(svg.contains("63°") && svg.contains("payload, kg"), "legend and axis");
        let png = sweep_chart(&rows, &labels(&vehicles, &sites), PlotFormat::Png).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let e = sweep_chart(&rows[4..], &labels(&vehicles, &sites), PlotFormat::Png).unwrap_err().to_string();
        assert!(e.contains("no point"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let written = write_sweep(&out, &rows[4..], &labels(&vehicles, &sites), &serde_json::json!({ "command": "sweep" })).unwrap();
        let names: Vec<_> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["sweep.csv", "sweep.parquet", "run.json"], "no chart without a reached point");
        // Written again over its own set; refused over a directory holding other files.
        write_sweep(&out, &rows, &labels(&vehicles, &sites), &serde_json::json!({})).unwrap();
        assert!(out.join("payload.png").is_file());
        let foreign = dir.path().join("notes");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let e = write_sweep(&foreign, &rows, &labels(&vehicles, &sites), &serde_json::json!({})).unwrap_err().to_string();
        assert!(e.contains("holds no run.json"), "{e}");
        assert_eq!(std::fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
    }
}
