//! The sweep: the payload over a grid of vehicles × sites × circular-orbit altitudes ×
//! inclinations, the points of a user's guide payload chart (`cosmodrome sweep`,
//! `cosmodrome.sweep` in Python). Every point is an independent payload optimization run on
//! rayon's pool; the optimizer takes no starting guess, so points are not warm-started from
//! their neighbours. A point that cannot be flown (outside the pad's corridors, no payload
//! left, an unknown site) is a row with its reason: it does not stop the sweep.

use rayon::prelude::*;

use crate::flight::FlightOptions;
use crate::guidance::Branch;
use crate::optimize::payload::maximize_payload;
use crate::vehicle::{Site, SiteCatalog, Vehicle};

/// The answer at one grid point.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// Index into the vehicles swept.
    pub vehicle: usize,
    /// Index into the sites swept.
    pub site: usize,
    /// The pad flown from (the vehicle's family's pad at the site); `None` for an unknown site.
    pub pad: Option<String>,
    /// Circular-orbit altitude over the equatorial radius, km.
    pub altitude_km: f64,
    /// Inclination, degrees (the pad's lowest when the grid left it open); `None` when the site
    /// is unknown and none was given.
    pub inclination_deg: Option<f64>,
    /// Largest payload, kg, and the launch azimuth, degrees; or why the point cannot be flown.
    pub result: Result<(f64, f64), String>,
}

/// Payload at every point of vehicles × sites × altitudes (km) × inclinations (degrees, `None`
/// for the pad's lowest), in grid order (the last axis varies fastest), on all cores.
/// `progress(done, total)` is called after every point.
pub fn sweep(
    vehicles: &[&Vehicle],
    sites: &[String],
    altitudes_km: &[f64],
    inclinations_deg: &[Option<f64>],
    branch: Branch,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<SweepRow> {
    // Pads once per vehicle and site.
    let pads: Vec<Vec<Result<Site, String>>> = vehicles
        .iter()
        .map(|v| {
            sites
                .iter()
                .map(|s| {
                    let catalog = SiteCatalog::builtin().map_err(|e| e.to_string())?;
                    catalog.pad_for(s, v.family.as_deref()).map(|c| c.site.clone()).map_err(|e| e.to_string())
                })
                .collect()
        })
        .collect();
    let mut grid = Vec::new();
    for vi in 0..vehicles.len() {
        for si in 0..sites.len() {
            for &altitude_km in altitudes_km {
                for &inclination_deg in inclinations_deg {
                    grid.push((vi, si, altitude_km, inclination_deg));
                }
            }
        }
    }
    let total = grid.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    grid.into_par_iter()
        .map(|(vi, si, altitude_km, inclination_deg)| {
            let pad = &pads[vi][si];
            let result = pad.clone().and_then(|pad| {
                if !(altitude_km.is_finite() && altitude_km > 0.0) {
                    return Err(format!("invalid altitude_km: must be a positive number, got {altitude_km}"));
                }
                let target = super::target_orbit(&pad, altitude_km * 1e3, None, inclination_deg);
                maximize_payload(vehicles[vi], &pad, &target, branch, FlightOptions::default(), |_| {})
                    .map(|s| (s.payload_kg, s.launch.azimuth_deg))
                    .map_err(|e| e.to_string())
            });
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
            SweepRow {
                vehicle: vi,
                site: si,
                pad: pad.as_ref().ok().map(|p| p.id.clone()),
                altitude_km,
                inclination_deg: inclination_deg.or_else(|| pad.as_ref().ok().map(Site::default_inclination_deg)),
                result,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::resolve_vehicle;

    #[test]
    fn unreachable_and_unknown_points_are_rows_not_failures() {
        let (v, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let rows = sweep(&[&v], &["vostochny".into(), "nowhere".into()], &[300.0], &[Some(30.0), None], Branch::Northbound, &|_, _| {});
        assert_eq!(rows.len(), 4);
        assert!(rows[0].result.as_ref().unwrap_err().contains("inclination"), "{:?}", rows[0].result);
        let (kg, _) = rows[1].result.clone().expect("the pad's lowest inclination is reachable");
        assert!(kg > 1000.0);
        assert_eq!(rows[1].pad.as_deref(), Some("vostochny-1s"));
        assert!(rows[2].result.as_ref().unwrap_err().contains("unknown site"));
        assert_eq!(rows[3].inclination_deg, None);
    }
}
