//! Speed of the payload optimization over the whole catalog, one thread: every catalog vehicle
//! from Vostochny (the default cosmodrome) to a 200 km circular orbit at 51.9°, to a 500 km
//! sun-synchronous orbit and to a 200 × 35,786 km transfer orbit at 51.9° given by its elements,
//! through `mission::payload` as `cosmodrome payload` runs it (the load search of a restartable
//! last stage, the elliptic profile from 160 km up, the mission through the parking orbit weighed
//! beside the direct ascent to an ellipse, the stages' falls).
//!
//! The optimize and transfer benches time one vehicle against the low-orbit bar (≤ 100 ms) and
//! the GTO bar (≤ 300 ms); this one shows how the rest of the catalog stands, case by case:
//! payload, flights, wall and CPU time, then the median and the slowest of each orbit and how
//! many cases are within its bar. A table-printing bench rather than criterion: some cases take
//! seconds, so each is run once, after one warm-up case. `cargo bench --bench catalog -- ID…`
//! runs only the vehicles whose id contains an ID.

mod common;

use std::time::Instant;

use common::process_cpu_s;
use cosmodrome::mission::orbits::sun_synchronous_inclination_deg;
use cosmodrome::mission::{payload, PayloadRequest};
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, SiteCatalog};

/// The low-orbit bar of one payload optimization, ms.
const LOW_ORBIT_BAR_MS: f64 = 100.0;
/// The bar of one payload optimization to GTO or GSO, ms.
const TRANSFER_ORBIT_BAR_MS: f64 = 300.0;

/// One timed case: the payload (or why there is none), flights, wall and CPU milliseconds.
struct Case {
    vehicle: &'static str,
    orbit: &'static str,
    answer: Result<(f64, usize), String>,
    wall_ms: f64,
    cpu_ms: Option<f64>,
}

fn main() {
    // Cargo passes `--bench` (and criterion-style flags); any other argument filters the ids.
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let sites = SiteCatalog::builtin().expect("built-in sites");
    let site = sites.get("vostochny").expect("Vostochny");
    let sso_inclination_deg = sun_synchronous_inclination_deg(500.0).expect("a 500 km SSO exists");
    // Each orbit, its target and its bar.
    let orbits = [
        (
            "LEO 200 km 51.9°",
            TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None },
            LOW_ORBIT_BAR_MS,
        ),
        (
            "SSO 500 km",
            TargetOrbit { perigee_m: 500e3, apogee_m: 500e3, inclination_deg: sso_inclination_deg, argument_of_perigee_deg: None },
            LOW_ORBIT_BAR_MS,
        ),
        (
            "GTO 200 km 51.9°",
            TargetOrbit { perigee_m: 200e3, apogee_m: 35_786e3, inclination_deg: 51.9, argument_of_perigee_deg: None },
            TRANSFER_ORBIT_BAR_MS,
        ),
    ];
    let run = |id: &'static str, orbit: &'static str, target: TargetOrbit| -> Case {
        let (vehicle, _) = resolve_vehicle(id).expect("catalog vehicle");
        let request = PayloadRequest::new(&vehicle, site, target);
        let (cpu0, wall0) = (process_cpu_s(), Instant::now());
        let answer = payload(&request, &mut |_| {}).map(|m| (m.solution.payload_kg, m.solution.flights)).map_err(|e| e.to_string());
        let wall_ms = wall0.elapsed().as_secs_f64() * 1e3;
        let cpu_ms = cpu0.zip(process_cpu_s()).map(|(a, b)| (b - a) * 1e3);
        Case { vehicle: id, orbit, answer, wall_ms, cpu_ms }
    };
    let ids: Vec<&'static str> =
        catalog_ids().into_iter().filter(|id| filters.is_empty() || filters.iter().any(|f| id.contains(f.as_str()))).collect();
    let Some(&first) = ids.first() else {
        eprintln!("no catalog vehicle matches {filters:?}");
        return;
    };
    // Warm-up: the tables built on first use (atmosphere, sites) are not any case's time.
    run(first, orbits[0].0, orbits[0].1);

    println!("{:<18}  {:<16}  {:>10}  {:>7}  {:>9}  {:>8}", "vehicle", "orbit", "payload kg", "flights", "wall ms", "CPU ms");
    println!("{:-<18}  {:-<16}  {:->10}  {:->7}  {:->9}  {:->8}", "", "", "", "", "", "");
    let mut cases = Vec::new();
    for &id in &ids {
        for &(orbit, target, _) in &orbits {
            let case = run(id, orbit, target);
            let (payload, flights) = match &case.answer {
                Ok((kg, flights)) => (format!("{kg:.0}"), flights.to_string()),
                Err(_) => ("–".to_owned(), "–".to_owned()),
            };
            let cpu = case.cpu_ms.map_or_else(|| "–".to_owned(), |ms| format!("{ms:.0}"));
            println!("{id:<18}  {orbit:<16}  {payload:>10}  {flights:>7}  {:>9.1}  {cpu:>8}", case.wall_ms);
            if let Err(e) = &case.answer {
                println!("    {e}");
            }
            cases.push(case);
        }
    }
    println!();
    for &(orbit, _, bar_ms) in &orbits {
        let mut ms: Vec<(f64, &str)> = cases.iter().filter(|c| c.orbit == orbit).map(|c| (c.wall_ms, c.vehicle)).collect();
        ms.sort_by(|a, b| a.0.total_cmp(&b.0));
        let Some(&(slowest_ms, slowest)) = ms.last() else { continue };
        let median_ms = ms[ms.len() / 2].0;
        let within = ms.iter().filter(|(t, _)| *t <= bar_ms).count();
        println!(
            "{orbit}: median {median_ms:.0} ms, slowest {slowest_ms:.0} ms ({slowest}); {within} of {} within {bar_ms:.0} ms",
            ms.len()
        );
    }
}
