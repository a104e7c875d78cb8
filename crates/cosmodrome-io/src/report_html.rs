//! `report.html`: one self-contained page per run — summary, plots, events, jettisoned bodies and
//! where they come down, the files of the set — that a user can mail to a colleague. Styles and plots (SVG) are inline: nothing is fetched
//! when the page is viewed.

use std::fmt::Write as _;

use cosmodrome::dropzone::{FallOutcome, NominalImpact};
use cosmodrome::flight::{FlightOutcome, FlightPoint, FlightResult};
use cosmodrome::mission::timeline::TimelineReport;

pub use crate::fixed;
use crate::iip::{iip_trace, IIP_GEOJSON, IIP_KML};
use crate::markup::escape;
use crate::report::{ascent_end_text, RunSummary};
use crate::utc::{self, Epoch};
use crate::IoError;

const STYLE: &str =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;border-bottom:1px solid #e4e4e4;text-align:left}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f7}\
.plot svg{max-width:100%;height:auto;border:1px solid #ddd}.muted{color:#777;font-size:.9em}";

/// The plots to inline, as SVG documents.
#[derive(Debug, Clone, Copy)]
pub struct InlinePlots<'a> {
    /// `profile.svg`.
    pub profile_svg: &'a str,
    /// `ground_track.svg`.
    pub ground_track_svg: &'a str,
}

/// What the report lists besides the flight.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportExtras<'a> {
    /// Names of every file of the set, the report included.
    pub files: &'a [String],
    /// Nominal impact of each jettisoned body, in separation order.
    pub impacts: &'a [NominalImpact],
    /// `timeline.svg`, when the flight has a mission timeline to draw.
    pub timeline_svg: Option<&'a str>,
}

/// The SVG element of an SVG document (drops an XML declaration if there is one).
fn svg_element(doc: &str) -> &str {
    doc.find("<svg").map_or("", |i| &doc[i..])
}

fn row(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(key), escape(value));
}

fn point_cells(p: &FlightPoint) -> String {
    format!(
        "<td class=n>{:.3}</td><td class=n>{}</td><td class=n>{:.1}</td><td class=n>{}</td><td class=n>{:.3}</td><td class=n>{}</td>",
        p.time_s,
        fixed(p.altitude_m / 1e3, 2),
        p.speed_m_s,
        fixed(p.dynamic_pressure_pa / 1e3, 2),
        p.mass_kg / 1e3,
        fixed(p.axial_accel_g, 2)
    )
}

/// The report page. `launch_epoch` and `created` date the run; `extras` lists the files of the
/// set and the nominal impacts. Refuses non-finite figures, like the other writers.
pub fn report_html(
    summary: &RunSummary<'_>,
    result: &FlightResult,
    launch_epoch: Epoch,
    created: Epoch,
    plots: Option<InlinePlots<'_>>,
    extras: &ReportExtras<'_>,
) -> Result<Vec<u8>, IoError> {
    let files = extras.files;
    let run = &summary.info;
    let points = result.events.iter().map(|e| &e.point).chain(result.jettisoned.iter().map(|b| &b.point)).chain([&result.final_point]);
    let finite = points
        .flat_map(|p| {
            [p.time_s, p.altitude_m, p.speed_m_s, p.dynamic_pressure_pa, p.mass_kg, p.axial_accel_g, p.latitude_deg, p.longitude_deg]
        })
        .chain([run.payload_kg, run.launch.azimuth_deg, result.max_dynamic_pressure_pa, result.max_axial_accel_g])
        .chain(result.reentry_max_dynamic_pressure_pa)
        .all(f64::is_finite)
        && crate::budget_report::loss_budget_finite(&result.loss_budget);
    if !finite {
        return Err(IoError::Invalid {
            what: "report.html".to_owned(),
            message: "a non-finite figure in the summary or events".to_owned(),
        });
    }
    let title = format!("{} from {} — payload {} kg", run.vehicle.name, run.site_id, crate::kg_text(run.payload_kg));
    let mut h = String::with_capacity(64 * 1024 + plots.map_or(0, |p| p.profile_svg.len() + p.ground_track_svg.len()));
    let _ = writeln!(h, "<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n<meta name=viewport content=\"width=device-width, initial-scale=1\">");
    let _ = writeln!(h, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", escape(&title));
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(h, "<p class=muted>{}</p>", escape(&run.vehicle.description));

    h.push_str("<h2>Summary</h2>\n<table>\n");
    row(&mut h, "vehicle", &format!("{} ({})", run.vehicle.name, run.vehicle_id));
    row(
        &mut h,
        "launch site",
        &format!(
            "{} — {} ({:.4}° N, {:.4}° E, {:.0} m)",
            run.site_id, summary.site_name, run.launch.latitude_deg, run.launch.longitude_deg, run.launch.altitude_m
        ),
    );
    row(&mut h, "launch epoch", &format!("{} (UTC)", utc::iso(launch_epoch)));
    let target = run.inclination_deg.map_or(String::new(), |i| format!(", for an inclination of {i}°"));
    row(&mut h, "launch azimuth", &format!("{:.3}°{target}", run.launch.azimuth_deg));
    row(&mut h, "payload", &format!("{} kg", crate::kg_text(run.payload_kg)));
    if let Some(p) = result.events.first().map(|e| &e.point).filter(|p| p.time_s == 0.0) {
        row(&mut h, "liftoff mass", &format!("{:.1} t", p.mass_kg / 1e3));
    }
    row(&mut h, "outcome", &result.ending().describe());
    let f = &result.final_point;
    row(
        &mut h,
        "final state",
        &format!(
            "t {:.1} s, altitude {} km, speed {:.1} m/s (inertial), flight-path angle {}°, mass {:.1} kg",
            f.time_s,
            fixed(f.altitude_m / 1e3, 2),
            f.speed_m_s,
            fixed(f.flight_path_angle_deg, 3),
            f.mass_kg
        ),
    );
    row(
        &mut h,
        "max dynamic pressure",
        &format!("{:.2} kPa ({})", result.max_dynamic_pressure_pa / 1e3, ascent_end_text(&result.ascent_end())),
    );
    if let Some(q) = result.reentry_max_dynamic_pressure_pa {
        row(&mut h, "peak dynamic pressure of the fall", &format!("{:.2} kPa", q / 1e3));
    }
    row(&mut h, "max axial acceleration", &format!("{:.2} g", result.max_axial_accel_g));
    for note in &summary.notes {
        row(&mut h, "note", note);
    }
    h.push_str("</table>\n");

    timeline_html(&mut h, &TimelineReport::new(run.vehicle, result), extras.timeline_svg, launch_epoch);

    crate::budget_report::budget_html(&mut h, &result.loss_budget, run.vehicle);

    if let Some(p) = plots {
        let _ = writeln!(h, "<h2>Profile</h2>\n<div class=plot>{}</div>", svg_element(p.profile_svg));
        let _ = writeln!(h, "<h2>Ground track</h2>\n<div class=plot>{}</div>", svg_element(p.ground_track_svg));
    }

    h.push_str("<h2>Events</h2>\n<table>\n<tr><th>event</th><th class=n>t s</th><th>UTC</th><th class=n>alt km</th><th class=n>speed m/s</th><th class=n>q kPa</th><th class=n>mass t</th><th class=n>accel g</th></tr>\n");
    for e in &result.events {
        let utc = utc::after_liftoff(launch_epoch, e.point.time_s).map_or(String::new(), utc::ccsds);
        let cells = point_cells(&e.point);
        let (t_cell, rest) = cells.split_once("</td>").unwrap_or((&cells, ""));
        let _ = writeln!(h, "<tr><td>{}</td>{t_cell}</td><td>{}</td>{rest}</tr>", escape(&e.description), &utc[utc.len().min(11)..]);
    }
    h.push_str("</table>\n");

    h.push_str("<h2>Jettisoned bodies</h2>\n<table>\n<tr><th>body</th><th class=n>count</th><th class=n>mass each kg</th><th class=n>t s</th><th class=n>alt km</th><th class=n>speed m/s</th><th class=n>lat °</th><th class=n>lon °</th></tr>\n");
    for b in &result.jettisoned {
        let p = &b.point;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{:.1}</td><td class=n>{:.3}</td><td class=n>{:.2}</td><td class=n>{:.1}</td><td class=n>{:.4}</td><td class=n>{:.4}</td></tr>",
            escape(&b.name),
            b.count,
            b.mass_kg,
            p.time_s,
            p.altitude_m / 1e3,
            p.speed_m_s,
            p.latitude_deg,
            p.longitude_deg
        );
    }
    h.push_str("</table>\n");

    if !extras.impacts.is_empty() {
        h.push_str("<h2>Impact points</h2>\n<p class=muted>Nominal falls of the jettisoned bodies: ballistic, tumbling drag, from the separation state.</p>\n<table>\n<tr><th>body</th><th class=n>lat °</th><th class=n>lon °</th><th class=n>from the pad km</th><th class=n>fall s</th><th class=n>impact speed m/s</th></tr>\n");
        for n in extras.impacts {
            match n.impact().filter(|i| [i.latitude_deg, i.longitude_deg, i.flight_time_s, i.speed_m_s].iter().all(|v| v.is_finite())) {
                Some(i) => {
                    let downrange = n.downrange_km.filter(|d| d.is_finite()).map_or("–".to_owned(), |d| format!("{d:.0}"));
                    let _ = writeln!(
                        h,
                        "<tr><td>{}</td><td class=n>{:.4}</td><td class=n>{:.4}</td><td class=n>{downrange}</td><td class=n>{:.0}</td><td class=n>{:.0}</td></tr>",
                        escape(&n.name),
                        i.latitude_deg,
                        i.longitude_deg,
                        i.flight_time_s,
                        i.speed_m_s
                    );
                }
                None => {
                    let why = match n.outcome {
                        FallOutcome::Orbit => "stays in orbit",
                        _ => "still falling at the time limit of the fall",
                    };
                    let _ = writeln!(h, "<tr><td>{}</td><td colspan=5>{why}</td></tr>", escape(&n.name));
                }
            }
        }
        h.push_str("</table>\n");
    }

    iip_html(&mut h, result, files, plots.is_some());

    if !files.is_empty() {
        h.push_str("<h2>Files</h2>\n<ul>\n");
        for name in files {
            let _ = writeln!(h, "<li><a href=\"{0}\">{0}</a></li>", escape(name));
        }
        h.push_str("</ul>\n");
    }
    let _ = writeln!(
        h,
        "<p class=muted>cosmodrome {}, {}. Speeds inertial; altitudes geodetic above WGS-84; orbit altitudes above the equatorial radius (6378.137 km).</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        utc::iso(created)
    );
    Ok(h.into_bytes())
}

/// The vacuum instantaneous impact point: what it is, where the trace starts and ends, when it
/// leaves the Earth, and the plot and files that show it.
fn iip_html(h: &mut String, result: &FlightResult, files: &[String], plotted: bool) {
    let trace = iip_trace(result);
    let Some(last) = trace.iter().rposition(Option::is_some) else { return };
    h.push_str("<h2>Instantaneous impact point</h2>\n<p class=muted>Where the vehicle would come down if thrust stopped at that instant: the Keplerian arc from the state (point-mass gravity, no air) meeting the WGS-84 ellipsoid, the Earth turning under it. Vacuum by the range-safety convention: it needs nothing of the shape of what would fall, and drag mostly shortens a fall.");
    if plotted {
        h.push_str(" Dashed on the ground track.");
    }
    let maps: Vec<&str> = [IIP_GEOJSON, IIP_KML].into_iter().filter(|n| files.iter().any(|f| f == n)).collect();
    if !maps.is_empty() {
        let links: Vec<String> = maps.iter().map(|n| format!("<a href=\"{n}\">{n}</a>")).collect();
        let _ = write!(h, " The trace is in {} (GIS, Google Earth).", links.join(" and "));
    }
    h.push_str("</p>\n<table>\n<tr><th></th><th class=n>t s</th><th class=n>lat °</th><th class=n>lon °</th><th class=n>from the pad km</th></tr>\n");
    let first = trace.iter().flatten().next();
    for (label, iip) in [("first", first), ("last", trace[last].as_ref())] {
        if let Some(i) = iip {
            let _ = writeln!(
                h,
                "<tr><td>{label}</td><td class=n>{:.1}</td><td class=n>{:.4}</td><td class=n>{:.4}</td><td class=n>{:.0}</td></tr>",
                i.time_s, i.latitude_deg, i.longitude_deg, i.downrange_km
            );
        }
    }
    h.push_str("</table>\n");
    // After the last IIP of a flight to orbit the arc stays up (in orbit or escaping); after an
    // impact the state is on the ground, which is no news.
    if let (Some(s), FlightOutcome::Orbit) = (result.samples.get(last + 1), result.outcome) {
        let _ = writeln!(h, "<p>From t = {:.1} s the arc no longer comes down (orbit or escape): no impact point.</p>", s.point.time_s);
    }
}

/// The mission timeline: the plot (when drawn), every burn of every stage with its Δv,
/// propellant and the orbit it leaves, and the coasts.
fn timeline_html(h: &mut String, t: &TimelineReport, svg: Option<&str>, launch_epoch: Epoch) {
    h.push_str("<h2>Mission timeline</h2>\n");
    if let Some(svg) = svg {
        let _ = writeln!(h, "<div class=plot>{}</div>", svg_element(svg));
    }
    h.push_str("<p class=muted>Every burn of every stage, from its ignition or restart to its cutoff, burnout or separation. Δv is the ideal Δv (vacuum exhaust velocity and mass ratio, dropped bodies left out), given for a stage burning alone; the orbit is the osculating orbit at the burn's end (altitudes above the equatorial radius).</p>\n");
    h.push_str("<table>\n<tr><th>stage</th><th>burn</th><th class=n>start s</th><th>UTC</th><th class=n>duration s</th><th class=n>Δv m/s</th><th class=n>propellant kg</th><th>ended by</th><th>orbit after</th></tr>\n");
    for b in &t.burns {
        // The time of day of the start as the table gives it, to 0.1 s, not to the microsecond.
        let utc = utc::after_liftoff(launch_epoch, (b.start_s * 10.0).round() / 10.0).map_or(String::new(), utc::ccsds);
        let utc = utc.get(11..21).unwrap_or("");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>burn {}</td><td class=n>{:.1}</td><td>{}</td><td class=n>{:.1}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&b.stage),
            b.burn,
            b.start_s,
            utc,
            b.duration_s,
            b.delta_v_m_s.map_or_else(|| "shared".to_owned(), |v| format!("{v:.1}")),
            b.propellant_kg.map_or_else(|| "–".to_owned(), |m| format!("{m:.1}")),
            escape(&b.ended_by.replace('_', " ")),
            escape(&b.orbit_after.describe())
        );
    }
    h.push_str("</table>\n");
    if !t.coasts.is_empty() {
        h.push_str(
            "<table>\n<tr><th>coast</th><th class=n>from s</th><th class=n>to s</th><th class=n>duration min</th><th>orbit</th></tr>\n",
        );
        for (k, c) in t.coasts.iter().enumerate() {
            let _ = writeln!(
                h,
                "<tr><td>coast {}</td><td class=n>{:.1}</td><td class=n>{:.1}</td><td class=n>{:.1}</td><td>{}</td></tr>",
                k + 1,
                c.start_s,
                c.end_s,
                c.duration_s / 60.0,
                escape(&c.orbit.describe())
            );
        }
        h.push_str("</table>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_extraction() {
        assert_eq!(svg_element("<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>"), "<svg width=\"1\"></svg>");
        assert_eq!(svg_element("not svg"), "");
    }
}
