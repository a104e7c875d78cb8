//! Plots of a flight, PNG or SVG: the ascent profile (altitude, speed, dynamic pressure, axial
//! acceleration and mass against time, staging marked) and the ground track on a coastline map.
//!
//! Text is drawn with a font compiled into the crate (a subset of DejaVu Sans, `data/fonts/`),
//! so plots render the same on a machine without any system font. PNGs are drawn into memory
//! and encoded here, so that files are written atomically like every other output.

use std::error::Error;
use std::sync::OnceLock;

use cosmodrome::flight::{EventKind, FlightPoint, FlightResult};
use cosmodrome::mission::timeline::{TimelineBurn, TimelineReport};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

use crate::coastline::coastlines;
use crate::iip;
use crate::report::RunInfo;
use crate::IoError;

const FONT_BYTES: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-subset.ttf");
pub(crate) const FONT: &str = "sans-serif";

const TRACK: RGBColor = RGBColor(200, 30, 30);
const COAST: RGBColor = RGBColor(90, 110, 130);
const SEPARATION: RGBColor = RGBColor(20, 70, 200);
const DROP_ZONE: RGBColor = RGBColor(230, 120, 0);
const DESIGNATED_ZONE: RGBColor = RGBColor(0, 150, 60);
const IMPACT: RGBColor = RGBColor(140, 50, 0);
const EVENT_LINE: RGBColor = RGBColor(150, 150, 150);
const SECOND_SERIES: RGBColor = RGBColor(0, 140, 70);
const BURN: RGBColor = RGBColor(235, 110, 0);
const COAST_BAR: RGBColor = RGBColor(170, 185, 200);
/// The vacuum IIP trace (as the line colour of `iip.kml`).
const IIP: RGBColor = RGBColor(120, 40, 160);
/// Colours of series drawn side by side, in turn: the stages' bars on the timeline, the curves
/// of a sweep chart.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(200, 30, 30),
    RGBColor(20, 70, 200),
    RGBColor(0, 140, 70),
    RGBColor(230, 120, 0),
    RGBColor(120, 40, 160),
    RGBColor(0, 150, 170),
    RGBColor(140, 90, 40),
    RGBColor(90, 90, 90),
];

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

pub(crate) fn ensure_font() -> Result<(), IoError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(IoError::Invalid { what: "plots".to_owned(), message: "the built-in font does not load".to_owned() })
    }
}

pub(crate) fn plot_error(what: &str, e: impl std::fmt::Display) -> IoError {
    IoError::Invalid { what: what.to_owned(), message: format!("drawing failed: {e}") }
}

pub(crate) fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, png::EncodingError> {
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

pub(crate) use render;

/// Title line of the plots: vehicle, site, payload.
fn title(run: &RunInfo<'_>) -> String {
    format!("{} from {}, payload {} kg", run.vehicle.name, run.site_id, crate::kg_text(run.payload_kg))
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
                EventKind::TankDrop { .. } => {
                    e.description.strip_prefix("jettison of ").map_or_else(|| e.description.clone(), |n| format!("{n} drop"))
                }
                _ => return None,
            };
            Some((e.point.time_s, label))
        })
        .collect()
}

/// The states a plot draws: the samples, every event's state and the final state, in time
/// order. The events carry the peaks the samples step over (a booster burns out at 4.6 g between
/// samples at 4.2 and 1.4 g) and the jumps of staging: of several events at one instant (burnout,
/// separation, ignition) each state is kept in the order flown; a sample at an event's instant
/// gives way to the event.
fn plotted_points(result: &FlightResult) -> Vec<&FlightPoint> {
    let exact: Vec<&FlightPoint> = result.events.iter().map(|e| &e.point).chain(std::iter::once(&result.final_point)).collect();
    let mut points: Vec<&FlightPoint> = result
        .samples
        .iter()
        .map(|s| &s.point)
        .filter(|p| !exact.iter().any(|e| e.time_s == p.time_s))
        .chain(exact.iter().copied())
        .collect();
    // A stable sort keeps the events of one instant in their order.
    points.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
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
    let d = profile_data(run, result, &what)?;
    render!(format, PROFILE_SIZE_PX, &what, |root: &DrawingArea<_, Shift>| draw_profile(root, &d, &mut Vec::new()))
}

/// Where [`profile_plot`] puts the labels of the staging lines (drawn as SVG and dropped): to
/// check that none overlaps another or the curve, or leaves the panel.
pub fn profile_labels(run: &RunInfo<'_>, result: &FlightResult) -> Result<(Vec<MapLabel>, LabelBox), IoError> {
    let what = "profile.svg";
    let d = profile_data(run, result, what)?;
    let mut labels = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, PROFILE_SIZE_PX).into_drawing_area();
        draw_profile(&root, &d, &mut labels).map_err(|e| plot_error(what, e))?;
    }
    let (w, h) = PROFILE_SIZE_PX;
    Ok((labels, LabelBox { x0: 0.0, y0: 0.0, x1: f64::from(w), y1: f64::from(h) }))
}

/// A line the profile draws: its panel's axis label, its name (empty when the panel has one
/// line) and its (time s, value) points.
pub type ProfileLine = (&'static str, &'static str, Vec<(f64, f64)>);

/// The lines [`profile_plot`] draws, for a caller that draws its own or checks what is drawn.
pub fn profile_series(run: &RunInfo<'_>, result: &FlightResult) -> Result<Vec<ProfileLine>, IoError> {
    let d = profile_data(run, result, "profile")?;
    Ok(d.panels.into_iter().flat_map(|p| p.series.into_iter().map(move |(name, _, points)| (p.label, name, points))).collect())
}

/// What the profile draws.
struct ProfileData {
    title: String,
    panels: Vec<Panel>,
    marks: Vec<(f64, String)>,
    /// The burns after a coast (an upper stage's burns out of the parking orbit and its
    /// restarts), shaded: start, end, label.
    bands: Vec<(f64, f64, String)>,
    t_end: f64,
}

/// The label of a burn on the plots: `Briz-M burn 2`.
pub fn burn_label(b: &TimelineBurn) -> String {
    format!("{} burn {}", b.stage, b.burn)
}

/// The burns of a mission the plots mark: every burn of a stage that also burns after a coast
/// (an upper stage restarted, or lit out of the parking orbit), none for an ascent without coast.
fn mission_burns(timeline: &TimelineReport) -> Vec<&TimelineBurn> {
    let coasting: Vec<usize> = timeline.burns.iter().filter(|b| b.after_coast).map(|b| b.stage_index).collect();
    timeline.burns.iter().filter(|b| coasting.contains(&b.stage_index)).collect()
}

fn profile_data(run: &RunInfo<'_>, result: &FlightResult, what: &str) -> Result<ProfileData, IoError> {
    let what = what.to_owned();
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
    let timeline = TimelineReport::new(run.vehicle, result);
    let bands: Vec<(f64, f64, String)> = mission_burns(&timeline).into_iter().map(|b| (b.start_s, b.end_s, burn_label(b))).collect();
    let plotted = panels.iter().flat_map(|p| &p.series).flat_map(|s| &s.2).flat_map(|&(t, v)| [t, v]);
    finite_or_refuse(&what, plotted.chain(marks.iter().map(|m| m.0)).chain(bands.iter().flat_map(|b| [b.0, b.1])))?;
    let t_end = pts().map(|p| p.time_s).fold(0.0, f64::max).max(1.0);
    Ok(ProfileData { title: title(run), panels, marks, bands, t_end })
}

fn draw_profile<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &ProfileData, labels: &mut Vec<MapLabel>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (title, panels, marks, t_end) = (d.title.as_str(), &d.panels, &d.marks, d.t_end);
    root.fill(&WHITE)?;
    let canvas = root;
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
        // Burn bands at least 3 px wide, so that a short burn of a long mission shows.
        let min_band = 3.0 * t_end / f64::from(plot_px.0.max(1));
        chart.draw_series(
            d.bands.iter().map(|(t0, t1, _)| Rectangle::new([(*t0, y0), (t1.max(t0 + min_band), y1)], BURN.mix(0.22).filled())),
        )?;
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
            // Labels of the staging lines, each beside its line as high as it fits clear of the
            // altitude curve, the other labels and the edges.
            let mut placer = LabelPlacer::new(pixel_box(chart.plotting_area()).inset(2.0));
            for (_, _, points) in &panel.series {
                let px: Vec<(f64, f64)> = points.iter().map(|p| to_f64(chart.backend_coord(p))).collect();
                placer.line(&px, 100.0);
            }
            for (t, _) in marks {
                placer.line(&[to_f64(chart.backend_coord(&(*t, y0))), to_f64(chart.backend_coord(&(*t, y1)))], 1.0);
            }
            let top = f64::from(chart.backend_coord(&(0.0, y1)).1) + 4.0;
            let burn_labels = d.bands.iter().map(|(_, t1, label)| (t1, label, BURN));
            for (t, label, color) in marks.iter().map(|(t, l)| (t, l, BLACK)).chain(burn_labels) {
                let style = (FONT, 14).into_font().color(&color);
                let (w, h) = canvas.estimate_text_size(label, &style)?;
                let x = f64::from(chart.backend_coord(&(*t, y1)).0);
                let placed = placer.place_beside_line(x, top, (f64::from(w), f64::from(h)), 4.0);
                canvas.draw(&Text::new(label.clone(), (placed.rect.x0.round() as i32, placed.rect.y0.round() as i32), style))?;
                labels.push(MapLabel { text: label.clone(), anchor: (x, top), placed });
            }
        }
    }
    Ok(())
}

/// Width of the timeline plot, pixels; its height grows with the stages.
pub const TIMELINE_WIDTH_PX: u32 = 1100;

/// Size of the timeline plot of a flight with `rows` rows (the stages that burn and the coasts).
fn timeline_size(rows: usize) -> (u32, u32) {
    (TIMELINE_WIDTH_PX, 150 + 56 * rows as u32)
}

/// What the timeline draws.
struct TimelineData {
    title: String,
    /// Row names, top first: the stages that burn, then `coasts`.
    rows: Vec<String>,
    /// Bars: row, start, end, colour, label (empty: none).
    bars: Vec<(usize, f64, f64, RGBColor, String)>,
    /// Marks on a row: row, time, label (tank drops, separations of a burned stage).
    marks: Vec<(usize, f64, String)>,
    t_end: f64,
}

/// Whether a flight has a mission timeline to draw: a coast between burns (a parking orbit, an
/// upper stage's restarts). An ascent without one has none beyond its profile.
pub fn has_mission_timeline(run: &RunInfo<'_>, result: &FlightResult) -> bool {
    !TimelineReport::new(run.vehicle, result).coasts.is_empty()
}

fn timeline_data(run: &RunInfo<'_>, result: &FlightResult, what: &str) -> Result<TimelineData, IoError> {
    ensure_font()?;
    let timeline = TimelineReport::new(run.vehicle, result);
    let mut stages: Vec<usize> = timeline.burns.iter().map(|b| b.stage_index).collect();
    stages.sort_unstable();
    stages.dedup();
    let mut rows: Vec<String> = stages.iter().map(|&i| run.vehicle.stages[i].name.clone()).collect();
    let coast_row = rows.len();
    rows.push("coasts".to_owned());
    let row_of = |stage: usize| stages.iter().position(|&s| s == stage).unwrap_or(0);
    let labelled: Vec<&TimelineBurn> = mission_burns(&timeline);
    let mut bars: Vec<(usize, f64, f64, RGBColor, String)> = timeline
        .burns
        .iter()
        .map(|b| {
            let label = if labelled.iter().any(|l| std::ptr::eq(*l, b)) {
                match b.delta_v_m_s {
                    Some(dv) => format!("burn {} · {dv:.0} m/s", b.burn),
                    None => format!("burn {}", b.burn),
                }
            } else {
                String::new()
            };
            (row_of(b.stage_index), b.start_s, b.end_s, PALETTE[b.stage_index % PALETTE.len()], label)
        })
        .collect();
    bars.extend(timeline.coasts.iter().map(|c| (coast_row, c.start_s, c.end_s, COAST_BAR, format!("{:.0} min", c.duration_s / 60.0))));
    let marks: Vec<(usize, f64, String)> = result
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TankDrop { stage } => Some((
                row_of(stage),
                e.point.time_s,
                e.description.strip_prefix("jettison of ").map_or_else(|| e.description.clone(), |n| format!("{n} drop")),
            )),
            _ => None,
        })
        .collect();
    let t_end = result.final_point.time_s.max(1.0);
    finite_or_refuse(what, bars.iter().flat_map(|b| [b.1, b.2]).chain(marks.iter().map(|m| m.1)).chain([t_end]))?;
    Ok(TimelineData { title: title(run), rows, bars, marks, t_end })
}

/// The mission timeline: one row per stage with a bar for each of its burns (the burns of an
/// upper stage that coasts labelled with their number and ideal Δv), a row of the coasts with
/// their duration, and the tank drops.
pub fn timeline_plot(run: &RunInfo<'_>, result: &FlightResult, format: PlotFormat) -> Result<Vec<u8>, IoError> {
    let what = format!("timeline.{}", format.extension());
    let d = timeline_data(run, result, &what)?;
    render!(format, timeline_size(d.rows.len()), &what, |root: &DrawingArea<_, Shift>| draw_timeline(root, &d, &mut Vec::new()))
}

/// Where [`timeline_plot`] puts its labels (drawn as SVG and dropped), and the image's box.
pub fn timeline_labels(run: &RunInfo<'_>, result: &FlightResult) -> Result<(Vec<MapLabel>, LabelBox), IoError> {
    let what = "timeline.svg";
    let d = timeline_data(run, result, what)?;
    let (w, h) = timeline_size(d.rows.len());
    let mut labels = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_timeline(&root, &d, &mut labels).map_err(|e| plot_error(what, e))?;
    }
    Ok((labels, LabelBox { x0: 0.0, y0: 0.0, x1: f64::from(w), y1: f64::from(h) }))
}

fn draw_timeline<DB: DrawingBackend>(canvas: &DrawingArea<DB, Shift>, d: &TimelineData, labels: &mut Vec<MapLabel>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    canvas.fill(&WHITE)?;
    let root = canvas.titled(&format!("Mission timeline — {}", d.title), (FONT, 24))?;
    let n = d.rows.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin_left(10)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(45)
        .y_label_area_size(130)
        .build_cartesian_2d(0.0..d.t_end, 0.0..n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|v| tick(*v))
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 17))
        .x_desc("time since liftoff, s")
        .light_line_style(RGBColor(240, 240, 240))
        .draw()?;
    // Row k from the top spans y = n-k-1 .. n-k.
    let band = |row: usize| (n - row as f64 - 0.78, n - row as f64 - 0.22);
    let plot_px = chart.plotting_area().dim_in_pixel();
    let min_bar = 3.0 * d.t_end / f64::from(plot_px.0.max(1));
    for (row, t0, t1, color, _) in &d.bars {
        let (y0, y1) = band(*row);
        let t1 = t1.max(t0 + min_bar);
        chart.draw_series(std::iter::once(Rectangle::new([(*t0, y0), (t1, y1)], color.filled())))?;
    }
    chart.draw_series(
        d.marks.iter().map(|(row, t, _)| EmptyElement::at((*t, band(*row).1 + 0.1)) + TriangleMarker::new((0, 0), 7, SEPARATION.filled())),
    )?;
    let at = |p: (f64, f64)| to_f64(chart.backend_coord(&p));
    // Row names in the label area, right-aligned against the axis.
    for (row, name) in d.rows.iter().enumerate() {
        let (y0, y1) = band(row);
        let (x, y) = at((0.0, 0.5 * (y0 + y1)));
        let style = (FONT, 15).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
        canvas.draw(&Text::new(name.clone(), ((x - 8.0).round() as i32, y.round() as i32), style))?;
    }
    let mut placer = LabelPlacer::new(pixel_box(chart.plotting_area()).inset(2.0));
    for (row, t0, t1, _, _) in &d.bars {
        let (y0, y1) = band(*row);
        let (a, b) = (at((*t0, y1)), at((t1.max(t0 + min_bar), y0)));
        placer.block(LabelBox { x0: a.0, y0: a.1, x1: b.0, y1: b.1 });
    }
    for (row, t, _) in &d.marks {
        placer.block(LabelBox::around(at((*t, band(*row).1 + 0.1)), 8.0));
    }
    let items = d
        .bars
        .iter()
        .filter(|b| !b.4.is_empty())
        .map(|(row, t0, t1, color, label)| {
            let (_, y1) = band(*row);
            (at((0.5 * (t0 + t1), y1)), label.clone(), if *color == COAST_BAR { RGBColor(80, 90, 100) } else { BLACK })
        })
        .chain(d.marks.iter().map(|(row, t, label)| (at((*t, band(*row).1 + 0.1)), label.clone(), SEPARATION)));
    for (anchor, text, color) in items.collect::<Vec<_>>() {
        let style = (FONT, 14).into_font().color(&color);
        let (w, h) = canvas.estimate_text_size(&text, &style)?;
        let placed = placer.place(anchor, (f64::from(w), f64::from(h)), 3.0, &[Side::North, Side::NorthEast, Side::NorthWest]);
        if let Some(end) = placed.leader {
            canvas.draw(&PathElement::new(
                vec![(anchor.0.round() as i32, anchor.1.round() as i32), (end.0.round() as i32, end.1.round() as i32)],
                color.stroke_width(1),
            ))?;
        }
        canvas.draw(&Text::new(text.clone(), (placed.rect.x0.round() as i32, placed.rect.y0.round() as i32), style))?;
        labels.push(MapLabel { text, anchor, placed });
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

/// Liang–Barsky: the parameters `(t0, t1)` in [0, 1] of the part of segment a→b inside the box
/// `x0..x1 × y0..y1`, if any.
fn clip_parameters(a: (f64, f64), b: (f64, f64), (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
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
    (t0 <= t1).then_some((t0, t1))
}

/// The part of segment a→b inside the window, if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), v: &View) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    clip_parameters(a, b, v.lon, v.lat).map(|(t0, t1)| ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
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
pub(crate) fn tick(v: f64) -> String {
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
    impacts: Vec<(String, (f64, f64))>,
    end: (String, (f64, f64)),
    zones: Vec<(String, Vec<(f64, f64)>)>,
    designated: Vec<(String, Vec<(f64, f64)>)>,
    /// The burns of a mission's upper stage on the track: label and pieces.
    burns: Vec<LabelledLine>,
    /// The vacuum instantaneous impact point trace, where it exists, clipped to the map.
    iip: Vec<Vec<(f64, f64)>>,
}

/// A label and the pieces of a polyline it names.
type LabelledLine = (String, Vec<Vec<(f64, f64)>>);

/// A longitude in [−180, 180).
fn wrap_lon(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

/// A polyline of wrapped longitudes cut where it crosses the antimeridian.
fn split_at_antimeridian(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    for &p in points {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|q| (p.0 - q.0).abs() < 180.0) => run.push(p),
            _ => runs.push(vec![p]),
        }
    }
    runs
}

/// The ground track on an equirectangular coastline map zoomed to the flight: launch site,
/// track, separation points, the end of the flight and, when given, the 3σ impact ellipses
/// (filled) and the designated drop zones the ascent was shaped to (outlined in green).
pub fn ground_track_plot(
    run: &RunInfo<'_>,
    result: &FlightResult,
    drop_zones: &[DropZone],
    designated_zones: &[DropZone],
    format: PlotFormat,
) -> Result<Vec<u8>, IoError> {
    ground_track_plot_with_impacts(run, result, drop_zones, designated_zones, &[], format)
}

/// [`ground_track_plot`] with the nominal impact points of the jettisoned bodies marked and
/// labelled: body name and (longitude, latitude).
pub fn ground_track_plot_with_impacts(
    run: &RunInfo<'_>,
    result: &FlightResult,
    drop_zones: &[DropZone],
    designated_zones: &[DropZone],
    impacts: &[(String, (f64, f64))],
    format: PlotFormat,
) -> Result<Vec<u8>, IoError> {
    let what = format!("ground_track.{}", format.extension());
    let data = map_data(run, result, drop_zones, designated_zones, impacts, &what)?;
    render!(format, GROUND_TRACK_SIZE_PX, &what, |root: &DrawingArea<_, Shift>| draw_ground_track(root, &data, &mut Vec::new()))
}

fn map_data(
    run: &RunInfo<'_>,
    result: &FlightResult,
    drop_zones: &[DropZone],
    designated_zones: &[DropZone],
    impacts: &[(String, (f64, f64))],
    what: &str,
) -> Result<MapData, IoError> {
    ensure_font()?;
    let site_lon = run.launch.longitude_deg;
    let mut values = vec![run.launch.latitude_deg, site_lon];
    let points = plotted_points(result);
    values.extend(points.iter().flat_map(|p| [p.latitude_deg, p.longitude_deg]));
    values.extend(result.jettisoned.iter().flat_map(|b| [b.point.latitude_deg, b.point.longitude_deg]));
    values.extend([result.final_point.latitude_deg, result.final_point.longitude_deg]);
    values.extend(drop_zones.iter().chain(designated_zones).flat_map(|z| z.1.iter().flat_map(|&(lon, lat)| [lon, lat])));
    values.extend(impacts.iter().flat_map(|i| [i.1 .0, i.1 .1]));
    finite_or_refuse(what, values)?;

    let mut track = Vec::with_capacity(points.len());
    let mut previous = site_lon;
    for p in &points {
        previous = near(p.longitude_deg, previous);
        track.push((previous, p.latitude_deg));
    }
    // A track round the Earth (a mission through a parking orbit, hours of coasts) is drawn on
    // the whole map, cut at the antimeridian; a shorter one on a window unwrapped from the site.
    let (lo, hi) = track.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let world = hi - lo > 300.0;
    // A longitude on the map: wrapped on the whole map, on a window the turn nearest `reference`.
    let place_near = |lon: f64, reference: f64| if world { wrap_lon(lon) } else { near(lon, reference) };
    let place = |lon: f64| place_near(lon, site_lon);
    let runs_of = |line: &[(f64, f64)]| -> Vec<Vec<(f64, f64)>> {
        if world {
            split_at_antimeridian(&line.iter().map(|&(lon, lat)| (wrap_lon(lon), lat)).collect::<Vec<_>>())
        } else {
            vec![line.to_vec()]
        }
    };
    let timeline = TimelineReport::new(run.vehicle, result);
    let burn_arcs: Vec<LabelledLine> = mission_burns(&timeline)
        .into_iter()
        .map(|b| {
            let arc: Vec<(f64, f64)> =
                points.iter().zip(&track).filter(|(p, _)| p.time_s >= b.start_s && p.time_s <= b.end_s).map(|(_, q)| *q).collect();
            (burn_label(b), runs_of(&arc))
        })
        .filter(|(_, runs)| runs.iter().any(|r| r.len() >= 2))
        .collect();
    let site = (run.site_id.to_owned(), (place(site_lon), run.launch.latitude_deg));
    // A marker on a window goes where the track was at its time, not the turn nearest the site:
    // a track that runs more than half-way round (a Saturn V's escape burn over the Pacific)
    // would otherwise have its later markers a whole turn away from their line, off the map.
    let on_track = |lon: f64, time_s: f64| {
        let nearest = points.iter().zip(&track).min_by(|a, b| (a.0.time_s - time_s).abs().total_cmp(&(b.0.time_s - time_s).abs()));
        place_near(lon, nearest.map_or(site_lon, |(_, q)| q.0))
    };
    let separations: Vec<(String, (f64, f64))> = result
        .jettisoned
        .iter()
        .map(|b| (b.name.clone(), (on_track(b.point.longitude_deg, b.point.time_s), b.point.latitude_deg)))
        .collect();
    // An impact beside its body's separation.
    let impacts: Vec<(String, (f64, f64))> = impacts
        .iter()
        .map(|(n, (lon, lat))| {
            let separated = separations.iter().find(|(s, _)| s == n).map(|(_, (lon, _))| *lon);
            (n.clone(), (place_near(*lon, separated.unwrap_or(site_lon)), *lat))
        })
        .collect();
    let end_name = match result.outcome {
        cosmodrome::flight::FlightOutcome::Orbit => "insertion",
        cosmodrome::flight::FlightOutcome::Impact => "impact",
        cosmodrome::flight::FlightOutcome::TimeLimit => "end",
        cosmodrome::flight::FlightOutcome::BurnedOutShort => "burnout",
    };
    let end = (end_name.to_owned(), track.last().map_or(site.1, |&(lon, lat)| (place_near(lon, lon), lat)));
    let unwrap = |zones: &[DropZone]| -> Vec<(String, Vec<(f64, f64)>)> {
        zones.iter().map(|(name, ring)| (name.clone(), ring.iter().map(|&(lon, lat)| (place(lon), lat)).collect())).collect()
    };
    let zones = unwrap(drop_zones);
    let designated = unwrap(designated_zones);
    // The IIP trace, unwrapped like the track, in stretches where it exists. It runs thousands
    // of km ahead of the vehicle near the end of an orbital ascent (and leaves the Earth at
    // insertion), so it does not widen the map: it is clipped to the window of the flight.
    let iip_stretches: Vec<Vec<(f64, f64)>> = match iip::pad_deg(result) {
        Some(pad) => {
            let trace: Vec<Option<(f64, f64)>> =
                points.iter().map(|p| iip::iip_of(p, pad).map(|i| (i.longitude_deg, i.latitude_deg))).collect();
            trace
                .split(Option::is_none)
                .filter(|s| s.len() >= 2)
                .map(|s| {
                    let mut previous = site_lon;
                    s.iter()
                        .flatten()
                        .map(|&(lon, lat)| {
                            previous = near(lon, previous);
                            (previous, lat)
                        })
                        .collect()
                })
                .collect()
        }
        None => Vec::new(),
    };

    let mut extent: Vec<(f64, f64)> = track.clone();
    extent.push(site.1);
    extent.extend(separations.iter().chain(&impacts).map(|s| s.1));
    extent.extend(zones.iter().chain(&designated).flat_map(|z| z.1.iter().copied()));
    let (w, h) = GROUND_TRACK_SIZE_PX;
    // Plotting area: the image less the margins and label areas of draw_ground_track.
    let view = if world {
        View { lon: (-180.0, 180.0), lat: (-90.0, 90.0) }
    } else {
        map_view(&extent, f64::from(w - 70 - 30) / f64::from(h - 50 - 50 - 20))
    };
    let mut coast = Vec::new();
    for shift in [-360.0, 0.0, 360.0] {
        for line in coastlines() {
            let shifted: Vec<(f64, f64)> = line.iter().map(|&(lon, lat)| (lon + shift, lat)).collect();
            coast.extend(clip_polyline(&shifted, &view));
        }
    }
    let scale = (f64::from(w - 100) / (view.lon.1 - view.lon.0), f64::from(h - 120) / (view.lat.1 - view.lat.0));
    let track = runs_of(&track).iter().flat_map(|run| pieces(run, scale, 3.0)).collect();
    let burns = burn_arcs.into_iter().map(|(label, runs)| (label, runs.iter().flat_map(|r| pieces(r, scale, 3.0)).collect())).collect();
    let iip = iip_stretches
        .iter()
        .flat_map(|s| runs_of(s))
        .flat_map(|run| clip_polyline(&run, &view))
        .flat_map(|run| pieces(&run, scale, 2.0))
        .filter(|piece| piece.len() >= 2)
        .collect();
    Ok(MapData { title: title(run), view, coast, track, site, separations, impacts, end, zones, designated, burns, iip })
}

/// The corner of the map with the fewest of the drawn points, for the legend.
fn legend_corner(d: &MapData) -> (bool, bool) {
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
        .chain(d.iip.iter().flatten().copied())
        .chain([d.site.1, d.end.1])
        .chain(d.separations.iter().chain(&d.impacts).map(|s| s.1))
        .chain(d.zones.iter().chain(&d.designated).flat_map(|z| z.1.iter().copied()))
        .collect();
    [(true, true), (false, true), (true, false), (false, false)]
        .into_iter()
        .min_by_key(|(left, top)| points.iter().filter(|p| in_corner(*left, *top, p)).count())
        .unwrap_or((true, true))
}

/// The symbol of a legend entry.
#[derive(Debug, Clone, Copy)]
enum Symbol {
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
    Filled(RGBColor),
    Outline(RGBColor),
    Triangle,
    Dot(RGBColor),
    Cross(RGBColor),
}

/// A label placed on the map: its text and where it went.
#[derive(Debug, Clone)]
pub struct MapLabel {
    /// The text.
    pub text: String,
    /// The point it names, pixels.
    pub anchor: (f64, f64),
    /// Its box and what it still collides with.
    pub placed: Placed,
}

/// Where [`ground_track_plot_with_impacts`] puts its labels (drawn as SVG and dropped): to check
/// that none overlaps another, the track or a marker, or leaves the map.
pub fn ground_track_labels(
    run: &RunInfo<'_>,
    result: &FlightResult,
    drop_zones: &[DropZone],
    designated_zones: &[DropZone],
    impacts: &[(String, (f64, f64))],
) -> Result<(Vec<MapLabel>, LabelBox), IoError> {
    let what = "ground_track.svg";
    let data = map_data(run, result, drop_zones, designated_zones, impacts, what)?;
    let mut labels = Vec::new();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, GROUND_TRACK_SIZE_PX).into_drawing_area();
        draw_ground_track(&root, &data, &mut labels).map_err(|e| plot_error(what, e))?;
    }
    let (w, h) = GROUND_TRACK_SIZE_PX;
    Ok((labels, LabelBox { x0: 0.0, y0: 0.0, x1: f64::from(w), y1: f64::from(h) }))
}

/// A label to place: anchor (pixels), text, colour, preferred sides.
type LabelItem<'a> = ((f64, f64), String, RGBColor, &'a [Side]);

/// A segment labels should not cross (pixels) and the cost of crossing it.
type Segment = ((f64, f64), (f64, f64), f64);

/// Marker radius of separations and impacts, pixels.
const MARK_PX: f64 = 5.0;

fn draw_ground_track<DB: DrawingBackend>(canvas: &DrawingArea<DB, Shift>, d: &MapData, labels: &mut Vec<MapLabel>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    canvas.fill(&WHITE)?;
    let root = canvas.titled(&format!("Ground track — {}", d.title), (FONT, 24))?;
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
    for (_, ring) in &d.zones {
        let outline: Vec<(f64, f64)> = ring.iter().chain(ring.first()).copied().collect();
        chart.draw_series(std::iter::once(Polygon::new(ring.clone(), DROP_ZONE.mix(0.25).filled())))?;
        chart.draw_series(std::iter::once(PathElement::new(outline, DROP_ZONE.stroke_width(2))))?;
    }
    for (_, ring) in &d.designated {
        let outline: Vec<(f64, f64)> = ring.iter().chain(ring.first()).copied().collect();
        chart.draw_series(std::iter::once(PathElement::new(outline, DESIGNATED_ZONE.stroke_width(2))))?;
    }
    chart.draw_series(d.track.iter().map(|piece| PathElement::new(piece.clone(), TRACK.stroke_width(3))))?;
    chart.draw_series(d.burns.iter().flat_map(|(_, pieces)| pieces).map(|piece| PathElement::new(piece.clone(), BURN.stroke_width(6))))?;
    // Over the track, which it runs along: dashed, the track shows between the dashes.
    chart.draw_series(d.iip.iter().map(|piece| DashedPathElement::new(piece.clone(), 9, 6, IIP.stroke_width(2))))?;
    chart.draw_series(
        d.separations.iter().map(|(_, at)| EmptyElement::at(*at) + Circle::new((0, 0), MARK_PX as i32, SEPARATION.filled())),
    )?;
    chart
        .draw_series(d.impacts.iter().map(|(_, at)| EmptyElement::at(*at) + Cross::new((0, 0), MARK_PX as i32, IMPACT.stroke_width(2))))?;
    chart.draw_series(std::iter::once(EmptyElement::at(d.end.1) + Circle::new((0, 0), 6, TRACK.filled())))?;
    chart.draw_series(std::iter::once(EmptyElement::at(d.site.1) + TriangleMarker::new((0, 0), 9, BLACK.filled())))?;

    // The legend, drawn by hand so that its box is known to the label placer.
    let mut legend: Vec<(Symbol, &str)> = vec![(Symbol::Line(TRACK, 3), "ground track"), (Symbol::Triangle, "launch site")];
    if !d.burns.is_empty() {
        legend.push((Symbol::Line(BURN, 6), "burn after a coast"));
    }
    if !d.iip.is_empty() {
        legend.push((Symbol::Dashed(IIP, 2), "vacuum impact point (IIP)"));
    }
    if !d.separations.is_empty() {
        legend.push((Symbol::Dot(SEPARATION), "separation"));
    }
    if !d.impacts.is_empty() {
        legend.push((Symbol::Cross(IMPACT), "nominal impact"));
    }
    if !d.zones.is_empty() {
        legend.push((Symbol::Filled(DROP_ZONE), "3σ impact ellipse"));
    }
    if !d.designated.is_empty() {
        legend.push((Symbol::Outline(DESIGNATED_ZONE), "designated drop zone"));
    }
    let area = pixel_box(chart.plotting_area());
    let legend_font = (FONT, 15).into_font().color(&BLACK);
    let mut text_w = 0.0f64;
    for (_, text) in &legend {
        text_w = text_w.max(f64::from(canvas.estimate_text_size(text, &legend_font)?.0));
    }
    let (row_h, pad) = (22.0, 8.0);
    let (box_w, box_h) = (text_w + 40.0 + 2.0 * pad, row_h * legend.len() as f64 + 2.0 * pad);
    let (left, top) = legend_corner(d);
    let x0 = if left { area.x0 + 10.0 } else { area.x1 - 10.0 - box_w };
    let y0 = if top { area.y0 + 10.0 } else { area.y1 - 10.0 - box_h };
    let legend_box = LabelBox { x0, y0, x1: x0 + box_w, y1: y0 + box_h };
    let px = |v: f64| v.round() as i32;
    canvas.draw(&Rectangle::new([(px(x0), px(y0)), (px(legend_box.x1), px(legend_box.y1))], WHITE.mix(0.9).filled()))?;
    canvas.draw(&Rectangle::new([(px(x0), px(y0)), (px(legend_box.x1), px(legend_box.y1))], BLACK.stroke_width(1)))?;
    for (k, (symbol, text)) in legend.iter().enumerate() {
        let y = px(y0 + pad + row_h * (k as f64 + 0.5));
        let x = px(x0 + pad);
        match *symbol {
            Symbol::Line(color, width) => canvas.draw(&PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(width)))?,
            Symbol::Dashed(color, width) => {
                canvas.draw(&DashedPathElement::new(vec![(x, y), (x + 24, y)], 9, 6, color.stroke_width(width)))?
            }
            Symbol::Filled(color) => {
                canvas.draw(&Rectangle::new([(x, y - 6), (x + 24, y + 6)], color.mix(0.25).filled()))?;
                canvas.draw(&Rectangle::new([(x, y - 6), (x + 24, y + 6)], color.stroke_width(2)))?;
            }
            Symbol::Outline(color) => canvas.draw(&Rectangle::new([(x, y - 6), (x + 24, y + 6)], color.stroke_width(2)))?,
            Symbol::Triangle => canvas.draw(&TriangleMarker::new((x + 12, y), 7, BLACK.filled()))?,
            Symbol::Dot(color) => canvas.draw(&Circle::new((x + 12, y), 5, color.filled()))?,
            Symbol::Cross(color) => canvas.draw(&Cross::new((x + 12, y), 5, color.stroke_width(2)))?,
        }
        let style = legend_font.clone().pos(Pos::new(HPos::Left, VPos::Center));
        canvas.draw(&Text::new(text.to_string(), (x + 34, y), style))?;
    }

    // Labels: clear of the track, the markers, the legend, each other and the edges.
    let at = |p: &(f64, f64)| to_f64(chart.backend_coord(p));
    let mut placer = LabelPlacer::new(area.inset(3.0)).with_min_gap(MIN_LABEL_GAP_PX);
    placer.block(legend_box);
    for piece in &d.track {
        placer.line(&piece.iter().map(&at).collect::<Vec<_>>(), 100.0);
    }
    for piece in &d.iip {
        placer.line(&piece.iter().map(&at).collect::<Vec<_>>(), 20.0);
    }
    for (_, p) in d.separations.iter().chain(&d.impacts) {
        placer.block(LabelBox::around(at(p), MARK_PX + 1.0));
    }
    placer.block(LabelBox::around(at(&d.end.1), 7.0));
    placer.block(LabelBox::around(at(&d.site.1), 10.0));
    for (_, ring) in d.zones.iter().chain(&d.designated) {
        let outline: Vec<(f64, f64)> = ring.iter().chain(ring.first()).map(&at).collect();
        placer.line(&outline, 5.0);
    }
    // What to label, in order of importance: anchor, text, colour, preferred sides.
    let mut items: Vec<LabelItem<'_>> = Vec::new();
    items.push((at(&d.site.1), d.site.0.clone(), BLACK, &[Side::South, Side::SouthEast, Side::SouthWest]));
    items.push((at(&d.end.1), d.end.0.clone(), TRACK, &[Side::NorthEast, Side::SouthEast]));
    for (label, pieces) in &d.burns {
        if let Some(mid) = pieces.iter().flatten().nth(pieces.iter().map(Vec::len).sum::<usize>() / 2) {
            items.push((at(mid), label.clone(), BURN, &[Side::North, Side::NorthEast, Side::NorthWest]));
        }
    }
    for (name, p) in &d.separations {
        items.push((at(p), format!("{name} separation"), SEPARATION, &[Side::NorthWest, Side::North, Side::NorthEast]));
    }
    for (name, p) in &d.impacts {
        items.push((at(p), format!("{name} impact"), IMPACT, &[Side::SouthEast, Side::South, Side::SouthWest]));
    }
    for (name, ring) in &d.designated {
        if let Some(top) = ring.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            items.push((at(top), name.clone(), DESIGNATED_ZONE, &[Side::North, Side::NorthEast, Side::NorthWest]));
        }
    }
    // An ellipse whose body's impact is labelled is named by that label already.
    for (name, ring) in d.zones.iter().filter(|z| !d.impacts.iter().any(|i| i.0 == z.0)) {
        if let Some(bottom) = ring.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
            items.push((at(bottom), name.clone(), DROP_ZONE, &[Side::South, Side::SouthEast, Side::SouthWest]));
        }
    }
    // The site and the end are always named; an event label that finds no place clear of the
    // labels before it (events close together) is left out rather than drawn over them.
    for (i, (anchor, text, color, prefer)) in items.into_iter().enumerate() {
        let style = (FONT, 14).into_font().color(&color);
        let (w, h) = canvas.estimate_text_size(&text, &style)?;
        let size = (f64::from(w), f64::from(h));
        let placed = if i < 2 {
            placer.place(anchor, size, MARK_PX + 3.0, prefer)
        } else {
            match placer.place_or_skip(anchor, size, MARK_PX + 3.0, prefer) {
                Some(p) => p,
                None => continue,
            }
        };
        if let Some(end) = placed.leader {
            canvas.draw(&PathElement::new(vec![(px(anchor.0), px(anchor.1)), (px(end.0), px(end.1))], color.stroke_width(1)))?;
        }
        canvas.draw(&Text::new(text.clone(), (px(placed.rect.x0), px(placed.rect.y0)), style))?;
        labels.push(MapLabel { text, anchor, placed });
    }
    Ok(())
}

/// A box on the image, pixels (x to the right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl LabelBox {
    fn around(center: (f64, f64), half: f64) -> LabelBox {
        LabelBox { x0: center.0 - half, y0: center.1 - half, x1: center.0 + half, y1: center.1 + half }
    }

    fn overlap(&self, o: &LabelBox) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }

    /// Area of the box outside `bounds`.
    fn outside(&self, bounds: &LabelBox) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0) - self.overlap(bounds)
    }

    /// Whether the segment a→b passes through the box.
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        clip_parameters(a, b, (self.x0, self.x1), (self.y0, self.y1)).is_some()
    }

    /// The point of the box nearest to `p` (where a leader line meets it).
    fn nearest(&self, p: (f64, f64)) -> (f64, f64) {
        (p.0.clamp(self.x0, self.x1), p.1.clamp(self.y0, self.y1))
    }

    /// The box shrunk by `d` on every side.
    pub fn inset(&self, d: f64) -> LabelBox {
        LabelBox { x0: self.x0 + d, y0: self.y0 + d, x1: self.x1 - d, y1: self.y1 - d }
    }
}

/// Where a label may go relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Right of the anchor.
    East,
    /// Above right.
    NorthEast,
    /// Above.
    North,
    /// Above left.
    NorthWest,
    /// Left.
    West,
    /// Below left.
    SouthWest,
    /// Below.
    South,
    /// Below right.
    SouthEast,
}

const ALL_SIDES: [Side; 8] =
    [Side::East, Side::NorthEast, Side::SouthEast, Side::North, Side::South, Side::West, Side::NorthWest, Side::SouthWest];

/// A greedy label placer: each label in turn takes the first candidate position around its
/// anchor (preferred sides first, then farther out) whose box stays inside the bounds and meets
/// no line, marker or label placed before it; if every candidate collides, the one that collides
/// least (never one outside the bounds if any fits). Lines are segments with a weight: crossing
/// the track costs more than crossing a thin event line.
#[derive(Debug, Clone)]
pub struct LabelPlacer {
    bounds: LabelBox,
    boxes: Vec<LabelBox>,
    /// The labels placed so far: kept `min_gap_px` apart from the next ones.
    labels: Vec<LabelBox>,
    segments: Vec<Segment>,
    /// Least clear distance between two labels, pixels.
    min_gap_px: f64,
}

/// Least clear distance between two labels unless told otherwise, pixels: the air kept around
/// every obstacle.
const DEFAULT_LABEL_GAP_PX: f64 = 1.5;

/// Least clear distance between two labels of the ground track, pixels: closer labels of events
/// near each other read as one line of text.
pub const MIN_LABEL_GAP_PX: f64 = 4.0;

/// A placed label: its box, whether it stands off its anchor (draw a leader line), and what it
/// still collides with (0 when free).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The label's box.
    pub rect: LabelBox,
    /// Point of the box nearest to the anchor, when the label is far enough off to need a leader.
    pub leader: Option<(f64, f64)>,
    /// Collision cost left: 0 for a free position.
    pub penalty: f64,
}

/// Cost of a leader line crossing a placed label.
const LEADER_THROUGH_LABEL: f64 = 100.0;

/// Distances from the anchor tried, pixels beyond the first gap.
const STAND_OFFS_PX: [f64; 7] = [0.0, 12.0, 26.0, 44.0, 66.0, 92.0, 124.0];

impl LabelPlacer {
    /// A placer for labels that must stay inside `bounds`.
    pub fn new(bounds: LabelBox) -> LabelPlacer {
        LabelPlacer { bounds, boxes: Vec::new(), labels: Vec::new(), segments: Vec::new(), min_gap_px: DEFAULT_LABEL_GAP_PX }
    }

    /// The same placer keeping labels `min_gap_px` apart (`DEFAULT_LABEL_GAP_PX` by default).
    pub fn with_min_gap(self, min_gap_px: f64) -> LabelPlacer {
        LabelPlacer { min_gap_px, ..self }
    }

    /// A box labels must keep clear of (a marker, the legend).
    pub fn block(&mut self, rect: LabelBox) {
        self.boxes.push(rect);
    }

    /// A polyline labels should not cross, with the cost of crossing one of its segments.
    pub fn line(&mut self, points: &[(f64, f64)], weight: f64) {
        self.segments.extend(points.windows(2).map(|w| (w[0], w[1], weight)));
    }

    fn penalty(&self, r: &LabelBox) -> f64 {
        // Lines are 2–3 px wide: keep a pixel of air.
        let padded = LabelBox { x0: r.x0 - 1.5, y0: r.y0 - 1.5, x1: r.x1 + 1.5, y1: r.y1 + 1.5 };
        let lines: f64 = self.segments.iter().filter(|(a, b, _)| padded.crossed_by(*a, *b)).map(|s| s.2).sum();
        let boxes: f64 = self.boxes.iter().map(|b| padded.overlap(b)).sum();
        lines + boxes + self.crowding(r) + 1e6 * r.outside(&self.bounds)
    }

    /// The cost of a leader line from `anchor` to `end` that strikes through labels placed
    /// before it: as much as crossing the track, since the struck label no longer reads.
    fn leader_crossings(&self, anchor: (f64, f64), end: (f64, f64)) -> f64 {
        self.labels.iter().filter(|b| b.inset(-1.0).crossed_by(anchor, end)).count() as f64 * LEADER_THROUGH_LABEL
    }

    /// How much `r` crowds the labels placed before it: the overlap of its box grown by the
    /// minimum gap with theirs (0 when it keeps the gap to every one).
    fn crowding(&self, r: &LabelBox) -> f64 {
        let g = self.min_gap_px;
        let grown = LabelBox { x0: r.x0 - g, y0: r.y0 - g, x1: r.x1 + g, y1: r.y1 + g };
        self.labels.iter().map(|b| grown.overlap(b)).sum()
    }

    /// The box of a `size` label on `side` of `anchor` at `distance` pixels.
    fn candidate(anchor: (f64, f64), size: (f64, f64), side: Side, distance: f64) -> LabelBox {
        let (w, h) = size;
        let d = distance;
        let diag = d * std::f64::consts::FRAC_1_SQRT_2;
        let (x0, y0) = match side {
            Side::East => (anchor.0 + d, anchor.1 - h / 2.0),
            Side::West => (anchor.0 - d - w, anchor.1 - h / 2.0),
            Side::North => (anchor.0 - w / 2.0, anchor.1 - d - h),
            Side::South => (anchor.0 - w / 2.0, anchor.1 + d),
            Side::NorthEast => (anchor.0 + diag, anchor.1 - diag - h),
            Side::NorthWest => (anchor.0 - diag - w, anchor.1 - diag - h),
            Side::SouthEast => (anchor.0 + diag, anchor.1 + diag),
            Side::SouthWest => (anchor.0 - diag - w, anchor.1 + diag),
        };
        LabelBox { x0, y0, x1: x0 + w, y1: y0 + h }
    }

    /// Place a label of `size` (pixels) near `anchor`, `gap` pixels off it at the least, trying
    /// `prefer` first. The label's box then blocks the later ones.
    pub fn place(&mut self, anchor: (f64, f64), size: (f64, f64), gap: f64, prefer: &[Side]) -> Placed {
        let placed = self.best_place(anchor, size, gap, prefer);
        self.keep(anchor, &placed);
        placed
    }

    /// A placed label blocks the later ones, and so does its leader line.
    fn keep(&mut self, anchor: (f64, f64), placed: &Placed) {
        self.labels.push(placed.rect);
        if let Some(end) = placed.leader {
            self.segments.push((anchor, end, LEADER_THROUGH_LABEL));
        }
    }

    /// As [`Self::place`], but a label that can keep the minimum gap from the labels
    /// placed before it nowhere around its anchor is skipped (`None`, and it blocks nothing): of
    /// events too close together on the map, the first (the most important) is labelled.
    pub fn place_or_skip(&mut self, anchor: (f64, f64), size: (f64, f64), gap: f64, prefer: &[Side]) -> Option<Placed> {
        let placed = self.best_place(anchor, size, gap, prefer);
        if self.crowding(&placed.rect) > 0.0 {
            return None;
        }
        self.keep(anchor, &placed);
        Some(placed)
    }

    fn best_place(&self, anchor: (f64, f64), size: (f64, f64), gap: f64, prefer: &[Side]) -> Placed {
        let sides: Vec<Side> = prefer.iter().copied().chain(ALL_SIDES.iter().copied().filter(|s| !prefer.contains(s))).collect();
        let mut best: Option<(f64, LabelBox, f64)> = None;
        'search: for stand_off in STAND_OFFS_PX {
            for &side in &sides {
                let rect = Self::candidate(anchor, size, side, gap + stand_off);
                let leader = (stand_off > 0.0).then(|| rect.nearest(anchor));
                let penalty = self.penalty(&rect) + leader.map_or(0.0, |end| self.leader_crossings(anchor, end));
                if best.is_none_or(|b| penalty < b.0) {
                    best = Some((penalty, rect, stand_off));
                }
                if penalty == 0.0 {
                    break 'search;
                }
            }
        }
        let (penalty, rect, stand_off) = best.unwrap_or((0.0, Self::candidate(anchor, size, Side::East, gap), 0.0));
        // Never clipped: a label that fits nowhere inside is pushed in.
        let rect = self.shift_inside(rect);
        Placed { rect, leader: (stand_off > 0.0).then(|| rect.nearest(anchor)), penalty }
    }

    /// Place a label beside a vertical line at x = `x` (a staging mark of the profile), as high
    /// as it fits below `top`: right of the line first, then left.
    pub fn place_beside_line(&mut self, x: f64, top: f64, size: (f64, f64), gap: f64) -> Placed {
        let (w, h) = size;
        let mut best: Option<(f64, LabelBox)> = None;
        let rows = ((self.bounds.y1 - top) / (h + 2.0)).floor().max(1.0) as usize;
        'search: for row in 0..rows.min(12) {
            let y0 = top + row as f64 * (h + 2.0);
            for x0 in [x + gap, x - gap - w] {
                let rect = LabelBox { x0, y0, x1: x0 + w, y1: y0 + h };
                let penalty = self.penalty(&rect);
                if best.is_none_or(|b| penalty < b.0) {
                    best = Some((penalty, rect));
                }
                if penalty == 0.0 {
                    break 'search;
                }
            }
        }
        let (penalty, rect) = best.unwrap_or((0.0, LabelBox { x0: x + gap, y0: top, x1: x + gap + w, y1: top + h }));
        let rect = self.shift_inside(rect);
        self.labels.push(rect);
        Placed { rect, leader: None, penalty }
    }

    fn shift_inside(&self, r: LabelBox) -> LabelBox {
        let b = &self.bounds;
        let dx = if r.x0 < b.x0 {
            b.x0 - r.x0
        } else if r.x1 > b.x1 {
            (b.x1 - r.x1).max(b.x0 - r.x0)
        } else {
            0.0
        };
        let dy = if r.y0 < b.y0 {
            b.y0 - r.y0
        } else if r.y1 > b.y1 {
            (b.y1 - r.y1).max(b.y0 - r.y0)
        } else {
            0.0
        };
        LabelBox { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 + dx, y1: r.y1 + dy }
    }
}

fn pixel_box<DB: DrawingBackend, C: plotters::coord::CoordTranslate>(area: &DrawingArea<DB, C>) -> LabelBox {
    let (x, y) = area.get_pixel_range();
    LabelBox { x0: f64::from(x.start), y0: f64::from(y.start), x1: f64::from(x.end), y1: f64::from(y.end) }
}

fn to_f64(p: (i32, i32)) -> (f64, f64) {
    (f64::from(p.0), f64::from(p.1))
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

    /// Labels of events close together keep their minimum gap, offset off their anchors while
    /// there is room; once there is none, the later ones are skipped, never drawn over the others.
    #[test]
    fn labels_of_close_events_keep_apart_or_are_skipped() {
        let bounds = LabelBox { x0: 0.0, y0: 0.0, x1: 200.0, y1: 80.0 };
        let mut placer = LabelPlacer::new(bounds).with_min_gap(MIN_LABEL_GAP_PX);
        // Twenty events within 10 px: far more labels than the image holds.
        let mut kept = Vec::new();
        let mut skipped = 0;
        for i in 0..20 {
            let anchor = (95.0 + f64::from(i) * 0.5, 40.0);
            match placer.place_or_skip(anchor, (60.0, 14.0), 6.0, &[Side::North]) {
                Some(p) => kept.push(p.rect),
                None => skipped += 1,
            }
        }
        assert!(kept.len() >= 4, "the first labels find room around the anchors: {kept:?}");
        assert!(skipped > 0, "an image of 200 × 80 px cannot hold twenty labels of 60 × 14 px apart");
        for (i, a) in kept.iter().enumerate() {
            assert_eq!(a.outside(&bounds), 0.0, "{a:?}");
            for b in &kept[i + 1..] {
                let g = MIN_LABEL_GAP_PX - 1e-9;
                let grown = LabelBox { x0: a.x0 - g, y0: a.y0 - g, x1: a.x1 + g, y1: a.y1 + g };
                assert_eq!(grown.overlap(b), 0.0, "{a:?} and {b:?} are closer than {MIN_LABEL_GAP_PX} px");
            }
        }
        // `place` never skips: a label placed anyway is what a later one must avoid too.
        let mut placer = LabelPlacer::new(bounds).with_min_gap(MIN_LABEL_GAP_PX);
        let first = placer.place((100.0, 40.0), (60.0, 14.0), 6.0, &[Side::North]);
        let second = placer.place_or_skip((101.0, 40.0), (60.0, 14.0), 6.0, &[Side::North]).expect("room beside the first");
        let g = MIN_LABEL_GAP_PX - 1e-9;
        let grown = LabelBox { x0: first.rect.x0 - g, y0: first.rect.y0 - g, x1: first.rect.x1 + g, y1: first.rect.y1 + g };
        assert_eq!(grown.overlap(&second.rect), 0.0, "{first:?} {second:?}");
    }

    #[test]
    fn labels_avoid_the_line_each_other_and_the_edges() {
        let bounds = LabelBox { x0: 0.0, y0: 0.0, x1: 400.0, y1: 300.0 };
        let mut placer = LabelPlacer::new(bounds);
        // A diagonal track and five labels crowded on it, one at the right edge.
        let track: Vec<(f64, f64)> = (0..=40).map(|i| (f64::from(i) * 10.0, 250.0 - f64::from(i) * 5.0)).collect();
        placer.line(&track, 100.0);
        let anchors = [(100.0, 200.0), (105.0, 197.5), (110.0, 195.0), (115.0, 192.5), (398.0, 51.0)];
        let mut boxes = Vec::new();
        for a in anchors {
            let placed = placer.place(a, (90.0, 16.0), 6.0, &[Side::NorthEast]);
            assert_eq!(placed.penalty, 0.0, "{placed:?}");
            boxes.push(placed.rect);
        }
        for (i, b) in boxes.iter().enumerate() {
            assert!(b.outside(&bounds) == 0.0, "{b:?} leaves the image");
            assert!(track.windows(2).all(|w| !b.crossed_by(w[0], w[1])), "{b:?} crosses the track");
            for c in &boxes[i + 1..] {
                assert_eq!(b.overlap(c), 0.0, "{b:?} overlaps {c:?}");
            }
        }
        // A label at the right edge goes left of its anchor, never past the edge.
        assert!(boxes[4].x1 <= 398.0, "{:?}", boxes[4]);
        // Beside vertical lines: right of the line when free, else left or lower.
        let mut p = LabelPlacer::new(bounds);
        p.line(&[(200.0, 0.0), (200.0, 300.0)], 1.0);
        let a = p.place_beside_line(200.0, 4.0, (50.0, 14.0), 4.0);
        let b = p.place_beside_line(200.0, 4.0, (50.0, 14.0), 4.0);
        assert_eq!((a.rect.x0, a.rect.y0), (204.0, 4.0));
        assert_eq!(a.rect.overlap(&b.rect), 0.0);
        let c = p.place_beside_line(396.0, 4.0, (50.0, 14.0), 4.0);
        assert!(c.rect.x1 <= 400.0 && c.penalty == 0.0, "{c:?}");
    }

    #[test]
    fn leader_lines_strike_through_no_label() {
        // A bar along the bottom right, a label over its middle, and a marker at the bar's top
        // right corner whose label must stand off: its leader may not cross the first label,
        // nor may a label placed after it cross that leader.
        let bounds = LabelBox { x0: 0.0, y0: 0.0, x1: 400.0, y1: 300.0 };
        let mut placer = LabelPlacer::new(bounds);
        let bar = LabelBox { x0: 300.0, y0: 200.0, x1: 400.0, y1: 240.0 };
        placer.block(bar);
        placer.block(LabelBox::around((392.0, 196.0), 8.0));
        let placed = [
            ((350.0, 200.0), placer.place((350.0, 200.0), (110.0, 16.0), 3.0, &[Side::North, Side::NorthEast, Side::NorthWest])),
            ((392.0, 196.0), placer.place((392.0, 196.0), (100.0, 16.0), 3.0, &[Side::North, Side::NorthEast, Side::NorthWest])),
            ((380.0, 170.0), placer.place((380.0, 170.0), (60.0, 16.0), 3.0, &[Side::North, Side::NorthEast, Side::NorthWest])),
        ];
        for (i, (anchor, p)) in placed.iter().enumerate() {
            assert_eq!(p.penalty, 0.0, "{p:?}");
            let Some(end) = p.leader else { continue };
            for (j, (_, q)) in placed.iter().enumerate() {
                assert!(i == j || !q.rect.crossed_by(*anchor, end), "the leader of label {i} crosses label {j}: {placed:?}");
            }
        }
    }

    #[test]
    fn longitudes_unwrap_and_label() {
        assert_eq!(near(-179.0, 178.0), 181.0);
        assert_eq!(lon_label(181.0), "179°W");
        assert_eq!(lon_label(128.0), "128°E");
        assert_eq!(lat_label(-12.0), "12°S");
    }
}
