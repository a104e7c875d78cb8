//! Presentation shared by the commands: the event table of a flight and the outlines the ground
//! track draws. Uses no command module.

use cosmodrome::dropzone::{DesignatedZones, Footprint};
use cosmodrome::flight::FlightResult;
use cosmodrome::mission::dropzones::ELLIPSE_VERTICES;
pub(crate) use cosmodrome_io::fixed;
use cosmodrome_io::plots::DropZone as PlotZone;

use crate::table::Table;

/// `, argument of perigee 178.00°` after an orbit reached, as the reports give it (absent from a
/// nearly circular orbit): empty without one.
pub fn argument_of_perigee_text(argument_of_perigee_deg: Option<f64>) -> String {
    argument_of_perigee_deg.map_or_else(String::new, |w| format!(", argument of perigee {w:.2}°"))
}

/// The inclination a mission's last stage changed after an ascent that could not reach the
/// target's plane, when it shows at the reports' 0.01°: `None` below it (the ascent flew in the
/// target's plane).
pub fn inclination_changed_deg(change_deg: f64) -> Option<f64> {
    (change_deg >= 0.005).then_some(change_deg)
}

/// The line that says an optimized ascent flew its restartable upper stage offloaded.
pub fn offload_line(load_kg: f64) -> String {
    format!("upper stage offloaded to {load_kg:.0} kg of usable propellant (the load that carries the most into this orbit)")
}

/// `x` to `decimals` places, without the minus sign of a figure that rounds to zero from below
/// (a pad's height a hair under the ellipsoid would read `-0.00`).
/// The exo-atmospheric steering of a targeted ascent, as `payload` and `fly` print it: the
/// linear-tangent law, and the dogleg that turned its plane and the solid last stage's
/// energy-management weave when there were.
pub(crate) fn exo_steering_text(law: &cosmodrome::guidance::ExoSteering) -> String {
    let dogleg =
        if law.dogleg_deg != 0.0 { format!(", its plane turned {:.2}° out of the air (a dogleg)", law.dogleg_deg) } else { String::new() };
    let weave = if law.energy_weave_deg != 0.0 {
        format!(
            ", the last solid stage weaving ±{:.2}° out of its plane to burn off the energy the payload leaves over (energy management)",
            law.energy_weave_deg
        )
    } else {
        String::new()
    };
    let from = match law.takes_over {
        cosmodrome::guidance::SteeringStart::FirstSeparation => "the first separation",
        cosmodrome::guidance::SteeringStart::UpperStageIgnition => "the first upper-stage ignition",
    };
    format!("from {from} linear-tangent pitch {:.2}° with tan-rate {:.3e}/s{dogleg}{weave}", law.pitch_deg, law.tan_pitch_rate_per_s)
}

/// A geodetic position as a reader of maps writes it, with hemisphere letters rather than signs
/// (`22.913° N 159.178° W`).
pub(crate) fn lat_lon(latitude_deg: f64, longitude_deg: f64) -> String {
    // The letter of the figure as printed: a hair south of the equator reads 0.000° N.
    let ns = if (latitude_deg * 1e3).round() < 0.0 { 'S' } else { 'N' };
    let ew = if (longitude_deg * 1e3).round() < 0.0 { 'W' } else { 'E' };
    format!("{}° {ns} {}° {ew}", fixed(latitude_deg.abs(), 3), fixed(longitude_deg.abs(), 3))
}

/// The event table of a flight.
pub fn event_table(result: &FlightResult) -> String {
    let mut t = Table::new(&["event", "t s", "alt km", "speed m/s", "q kPa", "mass t", "accel g"], 1);
    for e in &result.events {
        let p = &e.point;
        t.row(vec![
            e.description.clone(),
            format!("{:.3}", p.time_s),
            fixed(p.altitude_m / 1e3, 2),
            format!("{:.1}", p.speed_m_s),
            format!("{:.2}", p.dynamic_pressure_pa / 1e3),
            format!("{:.2}", p.mass_kg / 1e3),
            fixed(p.axial_accel_g, 2),
        ]);
    }
    t.render()
}

/// Footprints as the ground-track plot outlines them: body name and (longitude, latitude) ring.
pub fn plot_zones<'a>(footprints: impl IntoIterator<Item = (&'a str, &'a Footprint)>) -> Vec<PlotZone> {
    footprints
        .into_iter()
        .map(|(name, f)| (name.to_owned(), f.ellipse.iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect()))
        .collect()
}

/// The designated zones' edges for the ground-track plot.
pub fn designated_plot_zones(zones: Option<&DesignatedZones>) -> Vec<PlotZone> {
    zones.map_or_else(Vec::new, |d| {
        d.zones
            .iter()
            .map(|z| {
                (
                    format!("{} ({})", z.name, z.bodies),
                    z.outline(ELLIPSE_VERTICES).iter().map(|p| (p.longitude_deg, p.latitude_deg)).collect(),
                )
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::lat_lon;

    #[test]
    fn positions_carry_hemisphere_letters_not_signs() {
        assert_eq!(lat_lon(22.9134, -159.1781), "22.913° N 159.178° W");
        assert_eq!(lat_lon(-5.2361, 52.7683), "5.236° S 52.768° E");
        assert_eq!(lat_lon(-0.0001, -0.0002), "0.000° N 0.000° E");
    }
}
