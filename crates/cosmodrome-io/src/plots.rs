//! Plots of a flight, PNG or SVG: the ascent profile (altitude, speed, dynamic pressure, axial
//! acceleration and mass against time, staging marked) and the ground track on a coastline map.
//!
//! Text is drawn with a font compiled into the crate (a subset of DejaVu Sans, `data/fonts/`),
//! so plots render the same on a machine without any system font. PNGs are drawn into memory
//! and encoded here, so that files are written atomically like every other output.

use std::error::Error;
use std::sync::OnceLock;

use cosmodrome::flight::{EventKind, FlightPoint, FlightResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

use crate::coastline::coastlines;
use crate::report::RunInfo;
use crate::IoError;

const FONT_BYTES: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-subset.ttf");
const FONT: &str = "sans-serif";

const TRACK: RGBColor = RGBColor(200, 30, 30);
const COAST: RGBColor = RGBColor(90, 110, 130);
const SEPARATION: RGBColor = RGBColor(20, 70, 200);
const DROP_ZONE: RGBColor = RGBColor(230, 120, 0);
const DESIGNATED_ZONE: RGBColor = RGBColor(0, 150, 60);
const EVENT_LINE: RGBColor = RGBColor(150, 150, 150);
const SECOND_SERIES: RGBColor = RGBColor(0, 140, 70);

/// Image format of a plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotFormat {
    /// Portable Network Graphics, 8-bit RGB.
    Png,
    /// Scalable Vector Graphics (text as `<text>` elements).
    Svg,
}

impl PlotFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            PlotFormat::Png => "png",
            PlotFormat::Svg => "svg",
        }
    }
}

/// A drop zone to outline on the ground track: a name and a closed polygon of
/// (longitude_deg, latitude_deg) vertices, GeoJSON order.
pub type DropZone = (String, Vec<(f64, f64)>);

/// Size of the profile plot, pixels.
pub const PROFILE_SIZE_PX: (u32, u32) = (1100, 1500);
/// Size of the ground-track map, pixels.
pub const GROUND_TRACK_SIZE_PX: (u32, u32) = (1200, 850);

type DrawResult = Result<(), Box<dyn Error>>;

fn ensure_font() -> Result<(), IoError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(IoError::Invalid { what: "plots".to_owned(), message: "the built-in font does not load".to_owned() })
    }
}

fn plot_error(what: &str, e: impl std::fmt::Display) -> IoError {
    IoError::Invalid { what: what.to_owned(), message: format!("drawing failed: {e}") }
}

fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Plots are mostly flat colour: adaptive filtering and strong deflate keep them small.
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Draw with `$draw` (a generic function of the drawing area) on the backend of `$format`.
macro_rules! render {
    ($format:expr, $size:expr, $what:expr, $draw:expr) => {{
        let (w, h) = $size;
        match $format {
            PlotFormat::Png => {
                let mut buf = vec![255u8; w as usize * h as usize * 3];
                {
                    let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                    $draw(&root).map_err(|e| plot_error($what, e))?;
                    root.present().map_err(|e| plot_error($what, e))?;
                }
                encode_png(&buf, (w, h)).map_err(|e| plot_error($what, e))
            }
            PlotFormat::Svg => {
                let mut svg = String::new();
                {
                    let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                    $draw(&root).map_err(|e| plot_error($what, e))?;
                    root.present().map_err(|e| plot_error($what, e))?;
                }
                Ok(svg.into_bytes())
            }
        }
    }};
}

/// Title line of the plots: vehicle, site, payload.
fn title(run: &RunInfo<'_>) -> String {
    format!("{} from {}, payload {:.0} kg", run.vehicle.name, run.site_id, run.payload_kg)
}

/// A named, coloured line of (time, value) points; an empty name has no legend entry.
type Series = (&'static str, RGBColor, Vec<(f64, f64)>);

/// One panel of the profile: a y-axis label and its series.
struct Panel {
    label: &'static str,
    series: Vec<Series>,
}

/// The staging events the profile marks: time and short label.
fn staging_marks(result: &FlightResult) -> Vec<(f64, String)> {
    result
        .events
        .iter()
        .filter_map(|e| {
            let label = match e.kind {
                EventKind::Separation { .. } => {
                    e.description.strip_prefix("separation of ").map_or_else(|| e.description.clone(), |n| format!("{n} sep."))
                }
                EventKind::FairingJettison => "fairing".to_owned(),
                EventKind::Cutoff { .. } => "cutoff".to_owned(),
                EventKind::Insertion => "insertion".to_owned(),
                _ => return None,
            };
            Some((e.point.time_s, label))
        })
        .collect()
}

/// The states a plot draws: the samples and the final state or, for a flight run without
/// sampling, its event states and final state.
fn plotted_points(result: &FlightResult) -> Vec<&FlightPoint> {
    let mut points: Vec<&FlightPoint> = if result.samples.is_empty() {
        result.events.iter().map(|e| &e.point).collect()
    } else {
        result.samples.iter().map(|s| &s.point).collect()
    };
    points.push(&result.final_point);
    points.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    points.dedup_by(|b, a| b.time_s == a.time_s);
    points
}

fn finite_or_refuse(what: &str, values: impl IntoIterator<Item = f64>) -> Result<(), IoError> {
    if values.into_iter().all(f64::is_finite) {
        Ok(())
    } else {
        Err(IoError::Invalid { what: what.to_owned(), message: "a plotted value is not finite".to_owned() })
    }
}

/// The ascent profile: altitude, speed (inertial and air-relative), dynamic pressure, axial
/// acceleration and mass against time, one panel each, staging events as vertical lines.
pub fn profile_plot(run: &RunInfo<'_>, result: &FlightResult, format: PlotFormat) -> Result<Vec<u8>, IoError> {
    let what = format!("profile.{}", format.extension());
    ensure_font()?;
    let points = plotted_points(result);
    let pts = || points.iter().copied();
    if points.len() < 2 {
        return Err(IoError::Invalid { what, message: "the flight has fewer than two states to plot".to_owned() });
    }
    let panels = vec![
        Panel { label: "altitude, km", series: vec![("", TRACK, pts().map(|p| (p.time_s, p.altitude_m / 1e3)).collect())] },
        Panel {
            label: "speed, km/s",
            series: vec![
                ("inertial", TRACK, pts().map(|p| (p.time_s, p.speed_m_s / 1e3)).collect()),
                ("air-relative", SECOND_SERIES, pts().map(|p| (p.time_s, p.air_speed_m_s / 1e3)).collect()),
            ],
        },
        Panel {
            label: "dynamic pressure, kPa",
            series: vec![("", TRACK, pts().map(|p| (p.time_s, p.dynamic_pressure_pa / 1e3)).collect())],
        },
        Panel { label: "axial acceleration, g", series: vec![("", TRACK, pts().map(|p| (p.time_s, p.axial_accel_g)).collect())] },
        Panel { label: "mass, t", series: vec![("", TRACK, pts().map(|p| (p.time_s, p.mass_kg / 1e3)).collect())] },
    ];
    let marks = staging_marks(result);
    let plotted = panels.iter().flat_map(|p| &p.series).flat_map(|s| &s.2).flat_map(|&(t, v)| [t, v]);
    finite_or_refuse(&what, plotted.chain(marks.iter().map(|m| m.0)))?;
    let t_end = pts().map(|p| p.time_s).fold(0.0, f64::max).max(1.0);
    let title = title(run);
    render!(format, PROFILE_SIZE_PX, &what, |root: &DrawingArea<_, Shift>| draw_profile(root, &title, &panels, &marks, t_end))
}

fn draw_profile<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    panels: &[Panel],
    marks: &[(f64, String)],
    t_end: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let root = root.titled(title, (FONT, 26))?;
    let areas = root.split_evenly((panels.len(), 1));
    for (i, (panel, area)) in panels.iter().zip(&areas).enumerate() {
        let values = panel.series.iter().flat_map(|s| s.2.iter().map(|p| p.1));
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let lo = lo.min(0.0);
        let pad = ((hi - lo) * 0.06).max(1e-3);
        let (y0, y1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
        let last = i + 1 == panels.len();
        let mut chart = ChartBuilder::on(area)
            .margin_left(10)
            .margin_right(25)
            .margin_top(if i == 0 { 30 } else { 8 })
            .x_label_area_size(if last { 45 } else { 22 })
            .y_label_area_size(80)
            .build_cartesian_2d(0.0..t_end, y0..y1)?;
        let plot_px = chart.plotting_area().dim_in_pixel();
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(panel.label)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 17))
            .light_line_style(RGBColor(235, 235, 235));
        if last {
            mesh.x_desc("time since liftoff, s");
        }
        mesh.draw()?;
        chart.draw_series(marks.iter().map(|(t, _)| PathElement::new(vec![(*t, y0), (*t, y1)], EVENT_LINE.stroke_width(1))))?;
        for (name, color, points) in &panel.series {
            let scale = (f64::from(plot_px.0) / t_end, f64::from(plot_px.1) / (y1 - y0));
            let series =
                chart.draw_series(pieces(points, scale, 0.0).into_iter().map(|piece| PathElement::new(piece, color.stroke_width(2))))?;
            if !name.is_empty() {
                let color = *color;
                series.label(*name).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            }
        }
        if panel.series.len() > 1 {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        if i == 0 {
            // Labels of the staging lines, staggered in three rows so neighbours do not overlap.
            // Near the right edge a label goes to the left of its line.
            for (k, (t, label)) in marks.iter().enumerate() {
                let y = y1 - (y1 - y0) * (0.04 + 0.1 * (k % 3) as f64);
                let (x, anchor) = if *t > 0.8 * t_end { (*t - t_end * 0.004, HPos::Right) } else { (*t + t_end * 0.004, HPos::Left) };
                let style = (FONT, 14).into_font().color(&BLACK).pos(Pos::new(anchor, VPos::Top));
                chart.draw_series(std::iter::once(Text::new(label.clone(), (x, y), style)))?;
            }
        }
    }
    Ok(())
}

/// The map window, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    lon: (f64, f64),
    lat: (f64, f64),
}

/// Shift a longitude by whole turns to lie within 180° of `reference`.
fn near(lon: f64, reference: f64) -> f64 {
    lon - 360.0 * ((lon - reference) / 360.0).round()
}

/// Window around the points with a margin, shaped so that a degree of longitude is cos(φ) of a
/// degree of latitude at the centre (equirectangular with that standard parallel): true
/// proportions near the track for a plotting area of `aspect` = width/height.
fn map_view(points: &[(f64, f64)], aspect: f64) -> View {
    let (mut lon0, mut lon1, mut lat0, mut lat1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(lon, lat) in points {
        lon0 = lon0.min(lon);
        lon1 = lon1.max(lon);
        lat0 = lat0.min(lat);
        lat1 = lat1.max(lat);
    }
    let margin_lon = ((lon1 - lon0) * 0.15).max(4.0);
    let margin_lat = ((lat1 - lat0) * 0.15).max(3.0);
    let (mut lon0, mut lon1) = (lon0 - margin_lon, lon1 + margin_lon);
    let (mut lat0, mut lat1) = ((lat0 - margin_lat).max(-90.0), (lat1 + margin_lat).min(90.0));
    let k = (0.5 * (lat0 + lat1)).to_radians().cos().max(0.25);
    let (lon_span, lat_span) = (lon1 - lon0, lat1 - lat0);
    if lon_span * k / lat_span < aspect {
        let grow = (aspect * lat_span / k - lon_span) / 2.0;
        lon0 -= grow;
        lon1 += grow;
    } else {
        let grow = (lon_span * k / aspect - lat_span) / 2.0;
        lat0 -= grow;
        lat1 += grow;
        // Keep the window on the globe: slide it back inside the poles, then cut.
        if lat0 < -90.0 {
            lat1 = (lat1 + (-90.0 - lat0)).min(90.0);
            lat0 = -90.0;
        }
        if lat1 > 90.0 {
            lat0 = (lat0 - (lat1 - 90.0)).max(-90.0);
            lat1 = 90.0;
        }
    }
    if lon1 - lon0 > 360.0 {
        let mid = 0.5 * (lon0 + lon1);
        (lon0, lon1) = (mid - 180.0, mid + 180.0);
    }
    View { lon: (lon0, lon1), lat: (lat0, lat1) }
}

/// Liang–Barsky: the part of segment a→b inside the window, if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), v: &View) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - v.lon.0), (dx, v.lon.1 - a.0), (-dy, a.1 - v.lat.0), (dy, v.lat.1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some(((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
}

/// The runs of a polyline inside the window.
fn clip_polyline(points: &[(f64, f64)], v: &View) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], v) {
            Some((p, q)) => {
                if !(open && p == w[0]) {
                    runs.push(vec![p]);
                }
                if let Some(run) = runs.last_mut() {
                    run.push(q);
                }
                open = q == w[1];
            }
            None => open = false,
        }
    }
    runs
}

/// Axis tick text without a spurious `.0` or floating-point noise.
fn tick(v: f64) -> String {
    let r = v.round();
    if (v - r).abs() < 1e-6 * v.abs().max(1.0) {
        format!("{r:.0}")
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-6 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A thick polyline as drawable pieces, in data coordinates; `scale` gives pixels per unit of x
/// and y. Points closer than `min_px` to the last kept one are dropped (a 3-pixel line through
/// hundreds of sub-pixel segments renders with ragged edges), and the line is cut where it
/// turns by more than 60° on screen: thick lines are drawn with mitred joins, and at a sharp
/// turn (the drop of the acceleration at staging) the mitre grows into a long spike.
fn pieces(points: &[(f64, f64)], scale: (f64, f64), min_px: f64) -> Vec<Vec<(f64, f64)>> {
    let px = |p: (f64, f64), q: (f64, f64)| ((q.0 - p.0) * scale.0, (q.1 - p.1) * scale.1);
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        let far = kept.last().is_none_or(|&q| {
            let d = px(q, p);
            d.0.hypot(d.1) >= min_px
        });
        if far || i + 1 == points.len() {
            kept.push(p);
        }
    }
    let mut out = vec![Vec::new()];
    for (i, &p) in kept.iter().enumerate() {
        if let Some(run) = out.last_mut() {
            run.push(p);
        }
        if i > 0 && i + 1 < kept.len() {
            let (u, v) = (px(kept[i - 1], p), px(p, kept[i + 1]));
            let cos = (u.0 * v.0 + u.1 * v.1) / (u.0.hypot(u.1) * v.0.hypot(v.1));
            if !(cos >= 0.5) {
                out.push(vec![p]);
            }
        }
    }
    out
}

fn lon_label(lon: f64) -> String {
    let l = near(lon, 0.0);
    if l.abs() < 1e-9 || (l.abs() - 180.0).abs() < 1e-9 {
        format!("{:.0}°", l.abs())
    } else {
        format!("{:.0}°{}", l.abs(), if l > 0.0 { "E" } else { "W" })
    }
}

fn lat_label(lat: f64) -> String {
    if lat.abs() < 1e-9 {
        "0°".to_owned()
    } else {
        format!("{:.0}°{}", lat.abs(), if lat > 0.0 { "N" } else { "S" })
    }
}

/// What the ground track draws, in unwrapped longitudes (continuous from the launch site).
struct MapData {
    title: String,
    view: View,
    coast: Vec<Vec<(f64, f64)>>,
    track: Vec<Vec<(f64, f64)>>,
    site: (String, (f64, f64)),
    separations: Vec<(String, (f64, f64))>,
    end: (String, (f64, f64)),
    zones: Vec<(String, Vec<(f64, f64)>)>,
    designated: Vec<(String, Vec<(f64, f64)>)>,
}

/// The ground track on an equirectangular coastline map zoomed to the flight: launch site,
/// track, separation points, the end of the flight and, when given, drop-zone outlines (filled)
/// and the designated zones the ascent was shaped to (outlined in green).
pub fn ground_track_plot(
    run: &RunInfo<'_>,
    result: &FlightResult,
    drop_zones: &[DropZone],
    designated_zones: &[DropZone],
    format: PlotFormat,
) -> Result<Vec<u8>, IoError> {
    let what = format!("ground_track.{}", format.extension());
    ensure_font()?;
    let site_lon = run.launch.longitude_deg;
    let mut values = vec![run.launch.latitude_deg, site_lon];
    let points = plotted_points(result);
    values.extend(points.iter().flat_map(|p| [p.latitude_deg, p.longitude_deg]));
    values.extend(result.jettisoned.iter().flat_map(|b| [b.point.latitude_deg, b.point.longitude_deg]));
    values.extend([result.final_point.latitude_deg, result.final_point.longitude_deg]);
    values.extend(drop_zones.iter().chain(designated_zones).flat_map(|z| z.1.iter().flat_map(|&(lon, lat)| [lon, lat])));
    finite_or_refuse(&what, values)?;

    let mut track = Vec::with_capacity(points.len());
    let mut previous = site_lon;
    for p in &points {
        previous = near(p.longitude_deg, previous);
        track.push((previous, p.latitude_deg));
    }
    let site = (run.site_id.to_owned(), (site_lon, run.launch.latitude_deg));
    let separations: Vec<(String, (f64, f64))> =
        result.jettisoned.iter().map(|b| (b.name.clone(), (near(b.point.longitude_deg, site_lon), b.point.latitude_deg))).collect();
    let end_name = match result.outcome {
        cosmodrome::flight::FlightOutcome::Orbit => "insertion",
        cosmodrome::flight::FlightOutcome::Impact => "impact",
        cosmodrome::flight::FlightOutcome::TimeLimit => "end",
    };
    let end = (end_name.to_owned(), *track.last().unwrap_or(&site.1));
    let unwrap = |zones: &[DropZone]| -> Vec<(String, Vec<(f64, f64)>)> {
        zones.iter().map(|(name, ring)| (name.clone(), ring.iter().map(|&(lon, lat)| (near(lon, site_lon), lat)).collect())).collect()
    };
    let zones = unwrap(drop_zones);
    let designated = unwrap(designated_zones);

    let mut extent: Vec<(f64, f64)> = track.clone();
    extent.push(site.1);
    extent.extend(separations.iter().map(|s| s.1));
    extent.extend(zones.iter().chain(&designated).flat_map(|z| z.1.iter().copied()));
    let (w, h) = GROUND_TRACK_SIZE_PX;
    // Plotting area: the image less the margins and label areas of draw_ground_track.
    let view = map_view(&extent, f64::from(w - 70 - 30) / f64::from(h - 50 - 50 - 20));
    let mut coast = Vec::new();
    for shift in [-360.0, 0.0, 360.0] {
        for line in coastlines() {
            let shifted: Vec<(f64, f64)> = line.iter().map(|&(lon, lat)| (lon + shift, lat)).collect();
            coast.extend(clip_polyline(&shifted, &view));
        }
    }
    let scale = (f64::from(w - 100) / (view.lon.1 - view.lon.0), f64::from(h - 120) / (view.lat.1 - view.lat.0));
    let track = pieces(&track, scale, 3.0);
    let data = MapData { title: title(run), view, coast, track, site, separations, end, zones, designated };
    render!(format, GROUND_TRACK_SIZE_PX, &what, |root: &DrawingArea<_, Shift>| draw_ground_track(root, &data))
}

/// The corner of the map with the fewest of the drawn points and labels, for the legend.
fn legend_corner(d: &MapData) -> SeriesLabelPosition {
    let (lon, lat) = (d.view.lon, d.view.lat);
    let in_corner = |left: bool, top: bool, &(x, y): &(f64, f64)| {
        let fx = (x - lon.0) / (lon.1 - lon.0);
        let fy = (y - lat.0) / (lat.1 - lat.0);
        (if left { fx < 0.3 } else { fx > 0.7 }) && (if top { fy > 0.75 } else { fy < 0.25 })
    };
    let points: Vec<(f64, f64)> = d
        .track
        .iter()
        .flatten()
        .copied()
        .chain([d.site.1, d.end.1])
        .chain(d.separations.iter().map(|s| s.1))
        .chain(d.zones.iter().flat_map(|z| z.1.iter().copied()))
        .collect();
    [
        (SeriesLabelPosition::UpperLeft, true, true),
        (SeriesLabelPosition::UpperRight, false, true),
        (SeriesLabelPosition::LowerLeft, true, false),
        (SeriesLabelPosition::LowerRight, false, false),
    ]
    .into_iter()
    .min_by_key(|(_, left, top)| points.iter().filter(|p| in_corner(*left, *top, p)).count())
    .map_or(SeriesLabelPosition::UpperLeft, |c| c.0)
}

fn draw_ground_track<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &MapData) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let root = root.titled(&format!("Ground track — {}", d.title), (FONT, 24))?;
    let mut chart = ChartBuilder::on(&root)
        .margin_left(10)
        .margin_right(30)
        .margin_top(10)
        .margin_bottom(10)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(d.view.lon.0..d.view.lon.1, d.view.lat.0..d.view.lat.1)?;
    chart
        .configure_mesh()
        .x_labels(12)
        .y_labels(10)
        .x_label_formatter(&|v| lon_label(*v))
        .y_label_formatter(&|v| lat_label(*v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 16))
        .x_desc("longitude")
        .y_desc("geodetic latitude")
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    chart.draw_series(d.coast.iter().map(|run| PathElement::new(run.clone(), COAST.stroke_width(1))))?;
    for (k, (name, ring)) in d.zones.iter().enumerate() {
        let mut outline = ring.clone();
        if let Some(&first) = ring.first() {
            outline.push(first);
        }
        chart.draw_series(std::iter::once(Polygon::new(ring.clone(), DROP_ZONE.mix(0.25).filled())))?;
        let series = chart.draw_series(std::iter::once(PathElement::new(outline, DROP_ZONE.stroke_width(2))))?;
        if k == 0 {
            series.label("drop zones").legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], DROP_ZONE.mix(0.5).filled()));
        }
        // The name goes under the zone: separation labels stack upwards, so below is free.
        if let Some(&(lon, lat)) = ring.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
            let style = (FONT, 13).into_font().color(&DROP_ZONE).pos(Pos::new(HPos::Center, VPos::Top));
            chart.draw_series(std::iter::once(EmptyElement::at((lon, lat)) + Text::new(name.clone(), (0, 4), style)))?;
        }
    }
    for (k, (name, ring)) in d.designated.iter().enumerate() {
        let outline: Vec<(f64, f64)> = ring.iter().chain(ring.first()).copied().collect();
        let series = chart.draw_series(std::iter::once(PathElement::new(outline, DESIGNATED_ZONE.stroke_width(2))))?;
        if k == 0 {
            series.label("designated zones").legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], DESIGNATED_ZONE.stroke_width(2)));
        }
        // The name goes above the zone, clear of the footprint's name below it.
        if let Some(&(lon, lat)) = ring.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            let style = (FONT, 13).into_font().color(&DESIGNATED_ZONE).pos(Pos::new(HPos::Center, VPos::Bottom));
            chart.draw_series(std::iter::once(EmptyElement::at((lon, lat)) + Text::new(name.clone(), (0, -4), style)))?;
        }
    }
    chart
        .draw_series(d.track.iter().map(|piece| PathElement::new(piece.clone(), TRACK.stroke_width(3))))?
        .label("ground track")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], TRACK.stroke_width(3)));
    let label = |text: &str, at: (f64, f64), dy: i32, color: RGBColor| {
        EmptyElement::at(at) + Text::new(text.to_owned(), (8, dy), (FONT, 15).into_font().color(&color))
    };
    chart
        .draw_series(d.separations.iter().enumerate().map(|(k, (name, at))| {
            // Separations often lie close together: stack their labels upwards in order.
            EmptyElement::at(*at)
                + Circle::new((0, 0), 5, SEPARATION.filled())
                + Text::new(format!("{name} separation"), (6, -24 - 18 * k as i32), (FONT, 14).into_font().color(&SEPARATION))
                + PathElement::new(vec![(0, 0), (4, -18 - 18 * k as i32)], SEPARATION.stroke_width(1))
        }))?
        .label("separation")
        .legend(|(x, y)| Circle::new((x + 10, y), 5, SEPARATION.filled()));
    chart.draw_series(std::iter::once(EmptyElement::at(d.end.1) + Circle::new((0, 0), 6, TRACK.filled())))?;
    chart.draw_series(std::iter::once(label(&d.end.0, d.end.1, -18, TRACK)))?;
    chart
        .draw_series(std::iter::once(EmptyElement::at(d.site.1) + TriangleMarker::new((0, 0), 9, BLACK.filled())))?
        .label("launch site")
        .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, BLACK.filled()));
    chart.draw_series(std::iter::once(
        EmptyElement::at(d.site.1)
            + Text::new(d.site.0.clone(), (0, 12), (FONT, 15).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top))),
    ))?;
    chart
        .configure_series_labels()
        .position(legend_corner(d))
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_has_the_plot_aspect_and_holds_the_points() {
        let pts = [(128.3, 51.9), (150.0, 58.0), (160.0, 52.0)];
        let v = map_view(&pts, 1.5);
        let k = (0.5 * (v.lat.0 + v.lat.1)).to_radians().cos();
        let aspect = (v.lon.1 - v.lon.0) * k / (v.lat.1 - v.lat.0);
        assert!((aspect - 1.5).abs() < 1e-9, "{v:?} {aspect}");
        for (lon, lat) in pts {
            assert!(v.lon.0 < lon && lon < v.lon.1 && v.lat.0 < lat && lat < v.lat.1, "{v:?}");
        }
        // Near a pole the window stays on the globe.
        let v = map_view(&[(0.0, 88.0), (100.0, 89.0)], 3.0);
        assert!(v.lat.1 <= 90.0 && v.lat.0 >= -90.0 && v.lon.1 - v.lon.0 <= 360.0, "{v:?}");
    }

    #[test]
    fn clipping_keeps_the_inside_and_splits_runs() {
        let v = View { lon: (0.0, 10.0), lat: (0.0, 10.0) };
        let runs = clip_polyline(&[(-5.0, 5.0), (5.0, 5.0), (15.0, 5.0), (15.0, 8.0), (5.0, 8.0)], &v);
        assert_eq!(runs, vec![vec![(0.0, 5.0), (5.0, 5.0), (10.0, 5.0)], vec![(10.0, 8.0), (5.0, 8.0)]]);
        assert!(clip_polyline(&[(20.0, 20.0), (30.0, 30.0)], &v).is_empty());
    }

    #[test]
    fn thick_lines_are_cut_at_sharp_turns_and_thinned() {
        // A rise, a drop (staging), a rise again: three pieces meeting at the corners.
        let line = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (2.001, 0.2), (3.0, 1.0)];
        let cut = pieces(&line, (100.0, 100.0), 0.0);
        assert_eq!(cut, vec![vec![(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)], vec![(2.0, 2.0), (2.001, 0.2)], vec![(2.001, 0.2), (3.0, 1.0)]]);
        // Sub-pixel steps are dropped, the ends kept.
        let dense: Vec<(f64, f64)> = (0..=100).map(|i| (f64::from(i) * 0.01, 0.0)).collect();
        let thin = pieces(&dense, (100.0, 100.0), 3.0);
        assert_eq!(thin.len(), 1);
        assert_eq!((thin[0].first(), thin[0].last()), (Some(&(0.0, 0.0)), Some(&(1.0, 0.0))));
        let gaps: Vec<f64> = thin[0].windows(2).map(|w| (w[1].0 - w[0].0) * 100.0).collect();
        assert!(gaps[..gaps.len() - 1].iter().all(|g| (3.0 - 1e-9..=4.0 + 1e-9).contains(g)), "{gaps:?}");
    }

    #[test]
    fn longitudes_unwrap_and_label() {
        assert_eq!(near(-179.0, 178.0), 181.0);
        assert_eq!(lon_label(181.0), "179°W");
        assert_eq!(lon_label(128.0), "128°E");
        assert_eq!(lat_label(-12.0), "12°S");
    }
}
