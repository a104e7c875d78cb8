//! The page in a real browser: tests/python/test_page.py drives Debian's Chromium (Playwright
//! for Python) against a server on 127.0.0.1, and must see the payload the core computes for
//! the CLI, a Monte Carlo job's progress and its cancel, files of a run arrive as downloads, and
//! a mission to a named orbit (GSO through a parking orbit) shows the core's payload, and the drop
//! zones of that mission name the parking orbit the core resolves and the bodies left in orbit.
//! It also holds the page to a 390 px phone without sideways scrolling, to fields refused on the
//! page by their label with no request sent, and to one job at a time (the other job's button
//! held, the running job keeping its progress bar and Cancel).
//! Skipped without Playwright or Chromium unless `COSMODROME_REQUIRE_PYTHON=1` (CI).

#[path = "../../../tests/python/harness.rs"]
mod harness;

use std::path::PathBuf;

use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::{self, PayloadRequest};
use cosmodrome::optimize::transfer::MissionTarget;
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use cosmodrome_server::Limits;

/// Debian's Chromium: `COSMODROME_CHROMIUM`, else the headless shell or the full browser.
fn chromium() -> Option<String> {
    let candidates =
        [std::env::var("COSMODROME_CHROMIUM").ok(), Some("/usr/bin/chromium-headless-shell".into()), Some("/usr/bin/chromium".into())];
    candidates.into_iter().flatten().find(|p| PathBuf::from(p).is_file())
}

#[test]
fn the_page_computes_the_cli_payload_draws_it_and_puts_file_errors_at_their_line() {
    let Some(python) = harness::python_with("playwright", "playwright", "the_page_computes_the_cli_payload") else { return };
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("COSMODROME_REQUIRE_PYTHON").map_or(true, |v| v != "1"),
            "no Chromium (apt-get install chromium-headless-shell); COSMODROME_REQUIRE_PYTHON=1 forbids skipping"
        );
        eprintln!("skipped the browser test: no Chromium (apt-get install chromium-headless-shell)");
        return;
    };
    // What `cosmodrome payload soyuz-2.1b --site vostochny --inclination-deg 97.5` answers.
    let (vehicle, _) = resolve_vehicle("soyuz-2.1b").unwrap();
    let sites = SiteCatalog::builtin().unwrap();
    let site = sites.pad_for("vostochny", vehicle.family.as_deref()).unwrap().site;
    let target = mission::target_orbit(site, 200e3, None, Some(97.5));
    let request = PayloadRequest::new(&vehicle, site, target);
    let expected_kg = mission::payload(&request, &mut |_| {}).unwrap().report.payload_kg;
    // What `cosmodrome fly angara-a5-briz-m --site plesetsk --orbit gso` answers: the page's
    // named-orbit choice flies the same mission.
    let (briz, _) = resolve_vehicle("angara-a5-briz-m").unwrap();
    let plesetsk = sites.pad_for("plesetsk", briz.family.as_deref()).unwrap().site;
    let gso_target = mission::named_target("gso", plesetsk, &briz, &mission::OrbitOverrides::default()).unwrap().target;
    // The parking orbit the drop zones of that mission must name (the resolver's, as the CLI's).
    let MissionTarget::Transfer { parking, .. } = gso_target else { panic!("GSO is reached through a parking orbit") };
    let parking_arg = format!("{},{},{}", parking.perigee_m / 1e3, parking.apogee_m / 1e3, parking.inclination_deg);
    let gso_request = mission::FlyOrbitRequest {
        vehicle: &briz,
        vehicle_id: "angara-a5-briz-m",
        site: plesetsk,
        target: gso_target,
        note: None,
        branch: Branch::Northbound,
        payload_kg: None,
        options: FlightOptions { sample_interval_s: Some(mission::fly::TRANSFER_SAMPLE_INTERVAL_S), ..FlightOptions::default() },
    };
    let gso_kg = mission::fly_orbit(&gso_request, &mut |_| {}).unwrap().payload_kg;

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(cosmodrome_server::serve_on(listener, Limits::default(), std::future::pending())).unwrap();
    });
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("page-screenshots");
    let script = harness::script("test_page.py");
    harness::run_check(
        &python,
        &[script.to_str().unwrap(), &base, &expected_kg.to_string(), &gso_kg.to_string(), shots.to_str().unwrap(), &browser, &parking_arg],
    );
    eprintln!("screenshots in {}", shots.display());
}
