//! The payload optimizer end to end: every catalog vehicle reaches its orbit from the built-in
//! defaults, retrograde sun-synchronous and low-thrust upper stages included; the answer is a
//! maximum; limits are held; physics orders the answers the way it must; the published cases.
//! The targeted ascent of `fly` with a given payload: every catalog vehicle under its maximum
//! reaches the orbit, the README's cases too, and over the maximum it is refused.

use cosmodrome::flight::{Ending, FlightOptions};
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::payload::{maximize_payload, maximize_payload_as_loaded, PayloadSolution, TargetOrbit};
use cosmodrome::optimize::targeting::{fly_to_orbit, DirectAscent, TargetedAscent};
use cosmodrome::optimize::transfer::{loaded_with, offloaded, upper_stage_load_kg, MIN_UPPER_LOAD_FRACTION};
use cosmodrome::validation::{parse_table, run_case, BUILTIN_TABLE, BUILTIN_TABLE_FILE};
use cosmodrome::vehicle::{catalog_ids, catalog_vehicle, SiteCatalog, Vehicle};
use rayon::prelude::*;

use crate::common::{reference_vehicle, vehicle};

fn solve(v: &Vehicle, site: &str, perigee_km: f64, inclination_deg: Option<f64>) -> cosmodrome::Result<(TargetOrbit, PayloadSolution)> {
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get(site).expect("site");
    let target = TargetOrbit {
        perigee_m: perigee_km * 1e3,
        apogee_m: perigee_km * 1e3,
        inclination_deg: inclination_deg.unwrap_or_else(|| site.default_inclination_deg()),
        argument_of_perigee_deg: None,
    };
    let s = maximize_payload(v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})?;
    Ok((target, s))
}

/// What every answer must satisfy: orbit inside the contract's tolerances, no NaN, the flight
/// ended in orbit with (nearly) all usable propellant burned.
fn check_answer(label: &str, target: &TargetOrbit, s: &PayloadSolution) {
    assert!(s.payload_kg.is_finite() && s.payload_kg > 0.0, "{label}: payload {}", s.payload_kg);
    let o = &s.orbit;
    assert!(
        s.within_tolerance(target),
        "{label}: orbit {:.3} × {:.3} km at {:.4}°",
        o.perigee_altitude_m() / 1e3,
        o.apogee_altitude_m() / 1e3,
        o.inclination_rad.to_degrees()
    );
    assert!(s.flight.remaining_propellant_kg < 1.0, "{label}: {} kg of propellant left: not a maximum", s.flight.remaining_propellant_kg);
    assert!(s.flight.final_orbit.perigee_altitude_m() > target.perigee_m - 1e3, "{label}: not in orbit at the end of the flight");
}

fn limited(id: &str, limits: &str) -> Vehicle {
    let text = format!("{}\n[limits]\n{limits}\n", catalog_vehicle(id).expect("catalog"));
    Vehicle::from_toml(&text, &format!("{id}-limited.toml")).expect("limited vehicle").0
}

#[test]
fn every_catalog_vehicle_reaches_low_orbit_from_vostochny() {
    for id in catalog_ids() {
        let (target, s) = solve(&vehicle(id), "vostochny", 200.0, None).unwrap_or_else(|e| panic!("{id}: {e}"));
        check_answer(id, &target, &s);
    }
}

/// Every catalog vehicle to every corridor of Vostochny (50–52°, 62–64°, 71–73°, 82–84°,
/// 97–99°), to sun-synchronous orbit from Plesetsk, and to low and retrograde inclinations from
/// Kourou: the
/// built-in defaults must converge everywhere, with no tuning per vehicle or per orbit. The
/// cases run in parallel, so that the test does not hold the whole test run on one core.
#[test]
fn every_catalog_vehicle_converges_at_every_corridor() {
    let cases = [
        ("vostochny", 51.9),
        ("vostochny", 63.0),
        ("vostochny", 72.0),
        ("vostochny", 83.0),
        ("vostochny", 97.5),
        ("plesetsk", 97.8),
        ("kourou", 5.4),
        ("kourou", 98.0),
    ];
    // A restartable upper stage (Briz-M, DM-03, Fregat) flies with its propellant load
    // optimized (offloaded): it converges everywhere as well.
    let vehicles: Vec<(&str, Vehicle)> = catalog_ids().into_iter().map(|id| (id, vehicle(id))).collect();
    let runs: Vec<(&str, &Vehicle, &str, f64)> =
        vehicles.iter().flat_map(|(id, v)| cases.iter().map(move |&(site, inclination_deg)| (*id, v, site, inclination_deg))).collect();
    runs.par_iter().for_each(|&(id, v, site, inclination_deg)| {
        let label = format!("{id} from {site} at {inclination_deg}°");
        let (target, s) = solve(v, site, 200.0, Some(inclination_deg)).unwrap_or_else(|e| panic!("{label}: {e}"));
        check_answer(&label, &target, &s);
    });
}

/// Above the 200 km parking altitude a restartable stage that burns its load within a quarter of
/// the target's period (Ariane 62's Vinci) is also flown by the elliptic profile, its load
/// searched there too; the direct ascent keeps the freedom to offload it. Ariane 62 to 400 km from Kourou: the answer
/// is at least the direct ascent's with the Vinci at 70 % of its load, and offloaded (it used to
/// be the fully loaded vehicle's, 13,123 kg, where 70 % carries some 14,360 kg).
#[test]
fn a_restartable_stage_above_the_parking_altitude_keeps_its_offload() {
    best_load_carries_at_least_a_partial_one("ariane-62", "kourou", 400.0, 5.3, 0.7, 0.95);
}

/// A kick stage whose heavier loads cannot be targeted from the built-in guesses (Electron's
/// Curie, 120 N: full, it burns for over an hour on top of the second stage): the load search
/// gives those up after its flight budget and still answers with the best load, at least what
/// a quarter load flown as loaded carries.
#[test]
fn a_kick_stage_whose_full_load_cannot_be_targeted_gets_its_best_load() {
    best_load_carries_at_least_a_partial_one("electron-curie", "mahia", 400.0, 39.3, 0.25, 0.5);
}

/// Vega-C with its AVUM+ flown as loaded in one burn (no load search), from Kourou at 6° to
/// `perigee_km` × 8,000 km: the payload optimizer's answer, checked against the target.
fn vega_c_in_one_burn_to_8000_km(perigee_km: f64) -> cosmodrome::Result<PayloadSolution> {
    let sites = SiteCatalog::builtin().expect("sites");
    let mut v = vehicle("vega-c");
    v.stages.last_mut().expect("upper stage").restart = None;
    let site = sites.pad_for("kourou", v.family.as_deref()).expect("pad").site;
    let target = TargetOrbit { perigee_m: perigee_km * 1e3, apogee_m: 8_000e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
    let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
    let s = maximize_payload_as_loaded(&ascent, &[], None, &mut |_| {})?.solution;
    check_answer("vega-c", &target, &s);
    Ok(s)
}

/// On an eccentric target the cutoff height above the perigee and the pitch kick are searched
/// together, and they are coupled: a higher cutoff wants a lofted ascent. Vega-C to 175 × 8,000
/// km and to 200 × 8,000 km, nearly the same orbit, must come out nearly the same; searched in
/// two alternating passes only, the first stopped partway up the ridge between kick and height
/// (1,424 kg against 1,650 kg).
#[test]
fn neighbouring_eccentric_targets_reach_the_same_summit() {
    let low = vega_c_in_one_burn_to_8000_km(175.0).expect("175 km").payload_kg;
    let high = vega_c_in_one_burn_to_8000_km(200.0).expect("200 km").payload_kg;
    assert!((low - high).abs() < 0.015 * high, "175 km: {low:.1} kg, 200 km: {high:.1} kg");
}

/// Vega-C's solid stages burn out steep and fast, and no built-in guess brings its cutoff down to
/// a perigee of 250 km (it was refused as out of reach, though 200 km takes some 1.9 t); aimed
/// halfway up the span of cutoff heights, the guesses target, and the search goes on from
/// there. Raising the perigee 50 km costs some tens of m/s, not a fifth of the payload, nor
/// the eighth it cost when the kick search climbed the summit of the steeper family of ascents
/// it started in (1,674 kg at 61 kPa max-Q against 1,916 kg at 53 kPa): the kicks beside a
/// summit are probed for a higher one.
#[test]
fn a_perigee_the_guesses_miss_is_reached_cut_off_higher() {
    let at_200 = vega_c_in_one_burn_to_8000_km(200.0).expect("200 km").payload_kg;
    let at_250 = vega_c_in_one_burn_to_8000_km(250.0).expect("250 km").payload_kg;
    assert!(at_250 > 0.97 * at_200, "250 km: {at_250:.1} kg, 200 km: {at_200:.1} kg");
}

/// The payload optimizer's answer for `id` to the circular `altitude_km` orbit is a true
/// answer, carries at least the direct ascent with the restartable last stage at `partial` of
/// its load (flown as loaded, its restart dropped), and is offloaded below `max_load_share` of
/// the stage's usable propellant.
fn best_load_carries_at_least_a_partial_one(
    id: &str,
    site: &str,
    altitude_km: f64,
    inclination_deg: f64,
    partial: f64,
    max_load_share: f64,
) {
    let sites = SiteCatalog::builtin().expect("sites");
    let v = vehicle(id);
    let site = sites.pad_for(site, v.family.as_deref()).expect("pad").site;
    let target = TargetOrbit { perigee_m: altitude_km * 1e3, apogee_m: altitude_km * 1e3, inclination_deg, argument_of_perigee_deg: None };
    let best = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect(id);
    check_answer(id, &target, &best);
    let mut loaded = offloaded(&v, partial);
    loaded.stages.last_mut().expect("upper stage").restart = None;
    let ascent = DirectAscent { vehicle: &loaded, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
    let at_partial = maximize_payload_as_loaded(&ascent, &[], None, &mut |_| {}).expect("partial load").solution;
    assert!(
        best.payload_kg >= at_partial.payload_kg - 1.0,
        "{id}: {} kg, {} kg at {:.0} % load",
        best.payload_kg,
        at_partial.payload_kg,
        100.0 * partial
    );
    let load_kg = best.upper_stage_load_kg.expect("offloaded");
    assert!(load_kg < max_load_share * upper_stage_load_kg(&v), "{id}: {load_kg} kg of {} kg", upper_stage_load_kg(&v));
}

/// A restartable upper stage (Briz-M, Fregat-M) flown to a low orbit with its load optimized:
/// the payload is at least that with the stage as dead mass (its tanks all but empty); that
/// dead-mass payload is the bare vehicle's less the stage's burnout mass (the stage below flies
/// the same ascent with the same mass above it), within 1.5 %; and the vehicle as loaded has
/// the ideal Δv for the orbital speed less the Earth's eastward help at the pad (Tsiolkovsky:
/// losses are never negative).
#[test]
fn a_restartable_upper_stage_to_low_orbit_carries_at_least_its_dead_mass_case() {
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    for (id, bare_id) in [("angara-a5-briz-m", "angara-a5"), ("soyuz-2.1a-fregat", "soyuz-2.1a")] {
        let v = vehicle(id);
        let best = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect(id);
        check_answer(id, &target, &best);
        let load_kg = best.upper_stage_load_kg.expect("the load the optimizer chose");
        assert!(load_kg > 0.0 && load_kg <= upper_stage_load_kg(&v) + 1e-6, "{id}: {load_kg} kg loaded");
        let dead_vehicle = offloaded(&v, MIN_UPPER_LOAD_FRACTION);
        let dead_ascent =
            DirectAscent { vehicle: &dead_vehicle, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let dead = maximize_payload_as_loaded(&dead_ascent, &[], None, &mut |_| {}).expect("dead mass").solution;
        assert!(
            best.payload_kg >= dead.payload_kg - 1.0,
            "{id}: {} kg optimized, {} kg with the stage as dead mass",
            best.payload_kg,
            dead.payload_kg
        );
        let bare =
            maximize_payload(&vehicle(bare_id), site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect(bare_id);
        let upper = dead_vehicle.stages.last().expect("upper stage");
        let expected_kg = bare.payload_kg - upper.gross_mass_kg();
        assert!(
            (dead.payload_kg - expected_kg).abs() <= 0.015 * bare.payload_kg,
            "{id}: dead-mass payload {} kg, bare {bare_id} {} kg less the stage's {} kg",
            dead.payload_kg,
            bare.payload_kg,
            upper.gross_mass_kg()
        );
        let loaded = loaded_with(&v, load_kg);
        let ideal_m_s = cosmodrome::propulsion::delta_v_budget(&loaded, best.payload_kg).total_delta_v_m_s;
        let r = cosmodrome::environment::earth::WGS84_A_M + 200e3;
        let orbital_m_s = (cosmodrome::environment::earth::MU_EARTH_M3_S2 / r).sqrt();
        let rotation_m_s = 465.1 * site.latitude_deg.to_radians().cos();
        assert!(
            ideal_m_s >= orbital_m_s - rotation_m_s,
            "{id}: {ideal_m_s:.0} m/s ideal with {} kg, below the orbit's {orbital_m_s:.0} − {rotation_m_s:.0} m/s",
            best.payload_kg
        );
    }
}

#[test]
fn retrograde_sun_synchronous_from_vostochny_and_plesetsk() {
    for (id, site) in [("soyuz-2.1b", "vostochny"), ("angara-a5", "vostochny"), ("soyuz-2.1a", "plesetsk"), ("angara-1.2", "plesetsk")] {
        let (target, s) = solve(&vehicle(id), site, 600.0, Some(97.8)).unwrap_or_else(|e| panic!("{id} from {site}: {e}"));
        check_answer(&format!("{id} from {site} to SSO"), &target, &s);
    }
}

/// An upper stage with a thrust-to-weight of about 0.3 at ignition (a Centaur-like stage) must be
/// targeted as well as a high-thrust one.
#[test]
fn low_thrust_upper_stage_is_targeted() {
    let v = reference_vehicle("low-thrust-upper.toml");
    let (target, s) = solve(&v, "vostochny", 200.0, None).expect("low-thrust vehicle");
    check_answer("low-thrust upper stage", &target, &s);
    let upper = &v.stages[1];
    let ignition_mass_kg = upper.gross_mass_kg() + s.payload_kg;
    let thrust_to_weight = upper.thrust_vac_n() / (ignition_mass_kg * cosmodrome::units::G0_M_S2);
    assert!(thrust_to_weight <= 0.3, "upper-stage thrust-to-weight {thrust_to_weight:.3} with the payload found");
}

/// Strap-ons dropped low in the dense air onto a core that lifts less than its weight after
/// them: every built-in guess laid from their separation comes down, the core falling back
/// under a pitch that starts at the separation's flight-path angle (every one failed once).
/// Lofted, the law takes over at the separation and steers the core up steeply; that carries
/// more than flying the core's burn as a gravity turn with the law from the upper stage's
/// ignition, the answer before the guesses were lofted (1,546 kg, now some 1,880 kg).
#[test]
fn strap_ons_dropped_in_the_dense_air_are_targeted_lofted() {
    use cosmodrome::flight::EventKind;
    use cosmodrome::guidance::ascent::UpperSteering;
    let v = reference_vehicle("low-strap-ons.toml");
    let (target, s) = solve(&v, "vostochny", 200.0, None).expect("low strap-ons");
    check_answer("low strap-ons", &target, &s);
    let at = |kind: EventKind| s.flight.event(&kind).unwrap_or_else(|| panic!("{kind:?}")).point;
    let separation = at(EventKind::Separation { stage: 0 });
    assert!(separation.altitude_m < 15e3 && separation.dynamic_pressure_pa > 20e3, "{separation:?}");
    // The separation's state is the stack's once the strap-ons have left.
    let weight_n = separation.mass_kg * cosmodrome::units::G0_M_S2;
    assert!(v.stages[1].thrust_vac_n() < weight_n, "the core lifts less than its weight after the strap-ons");
    let steering = at(EventKind::Steering);
    assert_eq!(steering.time_s, separation.time_s, "the law takes over at the strap-ons' separation");
    let UpperSteering::Targeted(law) = s.parameters.steering else { panic!("{:?}", s.parameters.steering) };
    assert!(law.pitch_deg > 45.0, "the law starts above the guesses' 45° at most: {:.1}°", law.pitch_deg);
}

/// Four solid stages under a small kick stage pass a 200 km orbit's energy before their last
/// burnout at the built-in guesses' payloads, the kick stage never lit: the payload search
/// raises the payload until the kick burns (the orbit was refused from every site). The same
/// vehicle carries less to a 700 km sun-synchronous orbit, as it must.
#[test]
fn solids_that_overshoot_the_orbit_at_the_guesses_are_targeted() {
    use cosmodrome::flight::EventKind;
    let v = reference_vehicle("solid-stack-kick.toml");
    let (target, low) = solve(&v, "kourou", 200.0, None).expect("200 km");
    check_answer("solid stack to 200 km", &target, &low);
    let kick = v.stages.len() - 1;
    assert!(low.flight.event(&EventKind::Ignition { stage: kick }).is_some(), "the kick stage burns");
    let guess_kg = 0.02 * v.liftoff_mass_kg(0.0);
    assert!(low.payload_kg > guess_kg, "{:.0} kg: heavier than the first guess, {guess_kg:.0} kg", low.payload_kg);
    let (sso_target, sso) = solve(&v, "kourou", 700.0, Some(98.19)).expect("700 km SSO");
    check_answer("solid stack to a 700 km SSO", &sso_target, &sso);
    assert!(low.payload_kg > sso.payload_kg, "200 km: {:.0} kg, 700 km SSO: {:.0} kg", low.payload_kg, sso.payload_kg);
}

/// Solid strap-ons dropped 8 km up beside a core that lifts less than its weight: the ascents
/// come in two families, the law taking over at the strap-ons' separation (lofting the core) or
/// at the upper stage's ignition (the core flying a gravity turn), and neither carries more
/// everywhere. From Vandenberg the first carries more to 98.6° (some 3,030 kg against 2,530);
/// to 90° it launches due west with a 26° kick to hold the target's plane from where the
/// Earth's rotation is most of the velocity, some 3,070 kg against the other's 3,720. Both are
/// searched, and the answer is the better: the same vehicle carries more to 90° than to 98.6°.
#[test]
fn both_families_of_a_low_strap_on_ascent_are_weighed() {
    use cosmodrome::guidance::ascent::{SteeringStart, UpperSteering};
    let v = reference_vehicle("slow-solid-strap-ons.toml");
    let takes_over = |s: &PayloadSolution| match s.parameters.steering {
        UpperSteering::Targeted(law) => law.takes_over,
        other => panic!("{other:?}"),
    };
    let (polar_target, polar) = solve(&v, "vandenberg", 200.0, Some(90.0)).expect("polar");
    let (sso_target, sso) = solve(&v, "vandenberg", 200.0, Some(98.6)).expect("retrograde");
    check_answer("slow strap-ons at 90°", &polar_target, &polar);
    check_answer("slow strap-ons at 98.6°", &sso_target, &sso);
    assert_eq!(takes_over(&polar), SteeringStart::UpperStageIgnition);
    assert_eq!(takes_over(&sso), SteeringStart::FirstSeparation);
    assert!(polar.payload_kg > sso.payload_kg * 1.1, "90°: {:.0} kg, 98.6°: {:.0} kg", polar.payload_kg, sso.payload_kg);
}

/// An upper stage lit at a thrust-to-weight of 0.5 near the top of the atmosphere falls back
/// under every built-in guess whose pitch starts at the separation's flight-path angle once the
/// launch turns retrograde (from Vandenberg 94° was targeted, 96° and up refused): the lofted
/// guesses target it, and the payload falls with the inclination as it must.
#[test]
fn a_weak_upper_stage_is_targeted_to_a_retrograde_orbit() {
    let v = reference_vehicle("weak-hydrogen-upper.toml");
    let polar = solve(&v, "vandenberg", 200.0, Some(90.0)).expect("polar").1;
    let (target, sso) = solve(&v, "vandenberg", 200.0, Some(98.6)).expect("retrograde");
    check_answer("weak upper stage at 98.6°", &target, &sso);
    let upper = &v.stages[1];
    let ignition = sso.flight.event(&cosmodrome::flight::EventKind::Ignition { stage: 1 }).expect("upper-stage ignition").point;
    assert!(upper.thrust_vac_n() < 0.6 * ignition.mass_kg * cosmodrome::units::G0_M_S2, "lit at a thrust-to-weight under 0.6");
    let (polar_kg, sso_kg) = (polar.payload_kg, sso.payload_kg);
    assert!(sso_kg < polar_kg && sso_kg > 0.9 * polar_kg, "98.6°: {sso_kg:.0} kg, 90°: {polar_kg:.0} kg");
}

/// Strap-ons dropped at 20 km and 700 m/s put the plane of motion at separation some 40° from a
/// 98.6° orbit's on the spherical-Earth azimuth: with a restartable upper stage, the sun-synchronous
/// 800 km orbit from Vandenberg was refused (the direct ascent ran out of its budget on the 24
/// guesses along that azimuth, which none could be targeted from). The guesses on the corrected
/// azimuth come first there, and the orbit is reached.
#[test]
fn strap_ons_dropped_early_are_targeted_to_a_retrograde_orbit() {
    let text = include_str!("reference/early-strap-ons.toml").replacen("diameter_m = 1.05\n", "diameter_m = 1.05\nmax_burns = 2\n", 1);
    let v = Vehicle::from_toml(&text, "early-strap-ons.toml").expect("test vehicle").0;
    assert_eq!(v.stages[2].max_burns(), 2);
    let sites = SiteCatalog::builtin().expect("sites");
    let target = TargetOrbit { perigee_m: 800e3, apogee_m: 800e3, inclination_deg: 98.6, argument_of_perigee_deg: None };
    let s =
        maximize_payload(&v, sites.get("vandenberg").expect("site"), &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .expect("800 km sun-synchronous orbit");
    assert!(s.payload_kg > 500.0 && s.within_tolerance(&target), "{:.0} kg", s.payload_kg);
}

/// Earth's rotation helps an eastward launch near the equator most, a retrograde launch least;
/// a higher orbit costs payload.
#[test]
fn physics_orders_the_answers() {
    let v = vehicle("soyuz-2.1b");
    let kourou = solve(&v, "kourou", 200.0, Some(5.4)).expect("kourou").1.payload_kg;
    let vostochny = solve(&v, "vostochny", 200.0, Some(51.9)).expect("vostochny").1.payload_kg;
    let sso = solve(&v, "vostochny", 200.0, Some(97.5)).expect("sso").1.payload_kg;
    let high = solve(&v, "vostochny", 400.0, Some(51.9)).expect("400 km").1.payload_kg;
    assert!(kourou > vostochny && vostochny > sso, "Kourou {kourou:.0}, Vostochny {vostochny:.0}, SSO {sso:.0} kg");
    assert!(high < vostochny, "400 km {high:.0} kg ≥ 200 km {vostochny:.0} kg");
}

#[test]
fn max_q_limit_is_held_on_its_boundary() {
    let free = solve(&vehicle("soyuz-2.1b"), "vostochny", 200.0, None).expect("free").1;
    let limit_kpa = 0.9 * free.flight.max_dynamic_pressure_pa / 1e3;
    let (target, s) = solve(&limited("soyuz-2.1b", &format!("max_q_kpa = {limit_kpa:.3}")), "vostochny", 200.0, None).expect("limited");
    check_answer("max-Q limited", &target, &s);
    let q_kpa = s.flight.max_dynamic_pressure_pa / 1e3;
    assert!(q_kpa <= limit_kpa * 1.001, "max q {q_kpa:.3} kPa over the limit {limit_kpa:.3}");
    assert!(q_kpa >= limit_kpa * 0.97, "max q {q_kpa:.3} kPa: the limit should be active");
    assert!(s.payload_kg < free.payload_kg, "a binding limit costs payload");
}

#[test]
fn an_unreachable_max_q_limit_is_reported() {
    let e = solve(&limited("soyuz-2.1b", "max_q_kpa = 10.0"), "vostochny", 200.0, None).expect_err("10 kPa is below any ascent");
    assert!(e.to_string().contains("dynamic pressure"), "{e}");
}

/// Falcon 9's Merlins throttle to 39 %: a 30 kPa max-Q limit, below the 30.9 kPa that no shaping
/// of its ascent gets under, is held by throttling through the densest air, for about a per cent
/// of its payload; the dynamic pressure rides the limit instead of peaking above it.
#[test]
fn max_q_limit_is_held_by_throttling() {
    let free = solve(&vehicle("falcon-9-block-5"), "cape-canaveral", 200.0, Some(28.6)).expect("free").1;
    let limit_kpa = 30.0;
    assert!(free.flight.max_dynamic_pressure_pa / 1e3 > limit_kpa + 3.0, "the free flight must exceed the limit for this test");
    let text = catalog_vehicle("falcon-9-block-5").expect("catalog");
    assert!(text.contains("max_accel_g = 6.0"), "the test adds to the file's [limits]");
    let text = text.replace("max_accel_g = 6.0", &format!("max_accel_g = 6.0\nmax_q_kpa = {limit_kpa}"));
    let v = Vehicle::from_toml(&text, "falcon-9-30kpa.toml").expect("limited").0;
    let (target, s) = solve(&v, "cape-canaveral", 200.0, Some(28.6)).expect("held by throttling");
    check_answer("max-Q held by throttling", &target, &s);
    let q_kpa = s.flight.max_dynamic_pressure_pa / 1e3;
    assert!(q_kpa <= limit_kpa, "max q {q_kpa:.3} kPa over the limit");
    assert!(q_kpa >= 0.995 * limit_kpa, "max q {q_kpa:.3} kPa: the throttled plateau rides the limit");
    assert!(s.payload_kg < free.payload_kg, "throttling costs payload");
    assert!(s.payload_kg > 0.97 * free.payload_kg, "{:.0} kg against {:.0} kg free", s.payload_kg, free.payload_kg);
}

/// Angara-A5's core flies at 30 % through the booster phase, near its 27 % floor, while the
/// boosters' RD-191s may throttle to 27 % of full: held each to its own floor, the five hold a
/// 13 kPa limit (its free ascent peaks at 18 kPa), where one factor for all, stopped by the
/// core's floor at 90 % of its schedule, could not.
#[test]
fn max_q_limit_is_held_by_every_engine_to_its_own_floor() {
    let free = solve(&vehicle("angara-a5"), "vostochny", 200.0, None).expect("free").1;
    assert!(free.flight.max_dynamic_pressure_pa > 17e3, "the free flight must exceed the limit for this test");
    let (target, s) = solve(&limited("angara-a5", "max_q_kpa = 13.0"), "vostochny", 200.0, None).expect("held by throttling");
    check_answer("Angara-A5 at 13 kPa", &target, &s);
    let q_kpa = s.flight.max_dynamic_pressure_pa / 1e3;
    assert!((12.9..=13.0).contains(&q_kpa), "max q {q_kpa:.3} kPa rides the 13 kPa limit");
    assert!(
        s.payload_kg < free.payload_kg && s.payload_kg > 0.95 * free.payload_kg,
        "{:.0} kg against {:.0} kg",
        s.payload_kg,
        free.payload_kg
    );
}

/// Falcon 9's Merlins throttle to 39 %: a 4.5 g limit (its file states 6 g) binds at the end of
/// the first stage's burn and is held there by throttling, which costs payload.
#[test]
fn acceleration_limit_is_held_by_throttling() {
    let free = solve(&vehicle("falcon-9-block-5"), "cape-canaveral", 200.0, Some(28.6)).expect("free").1;
    let text = catalog_vehicle("falcon-9-block-5").expect("catalog");
    assert!(text.contains("max_accel_g = 6.0"), "the test replaces the file's 6 g limit");
    let v = Vehicle::from_toml(&text.replace("max_accel_g = 6.0", "max_accel_g = 4.5"), "falcon-9-4.5g.toml").expect("limited").0;
    let (target, s) = solve(&v, "cape-canaveral", 200.0, Some(28.6)).expect("limited");
    check_answer("acceleration limited", &target, &s);
    let peak = s.flight.max_axial_accel_g;
    assert!(
        free.flight.max_axial_accel_g > 4.6,
        "the free flight must exceed the limit for this test: {:.3} g",
        free.flight.max_axial_accel_g
    );
    assert!(peak <= 4.5 + 1e-6, "axial acceleration {peak:.4} g over the 4.5 g limit");
    assert!(s.payload_kg < free.payload_kg, "throttling costs payload");
}

/// Soyuz-2.1b's engines do not throttle (`throttle_min` 1): a 3.5 g limit cannot be held, so the
/// file gets a warning and the flight reaches the acceleration its engines give, with the
/// payload of the free vehicle, instead of throttling engines that cannot.
#[test]
fn acceleration_limit_is_not_held_below_the_engines_lowest_throttle() {
    let text = format!("{}\n[limits]\nmax_accel_g = 3.5\n", catalog_vehicle("soyuz-2.1b").expect("catalog"));
    let (v, warnings) = Vehicle::from_toml(&text, "soyuz-2.1b-limited.toml").expect("limited vehicle");
    assert!(
        warnings.iter().any(|w| w.to_string().contains("limits.max_accel_g") && w.to_string().contains("throttle_min")),
        "{warnings:?}"
    );
    let free = solve(&vehicle("soyuz-2.1b"), "vostochny", 200.0, None).expect("free").1;
    let (target, s) = solve(&v, "vostochny", 200.0, None).expect("limited");
    check_answer("acceleration limit out of the engines' reach", &target, &s);
    assert!(free.flight.max_axial_accel_g > 4.0, "the free flight must exceed the limit for this test");
    assert!(s.flight.max_axial_accel_g > 3.5 + 0.3, "fixed-thrust engines cannot hold 3.5 g: {:.3} g", s.flight.max_axial_accel_g);
    assert!((s.payload_kg - free.payload_kg).abs() < 0.5, "{:.1} kg against {:.1} kg free", s.payload_kg, free.payload_kg);
}

#[test]
fn an_unreachable_orbit_says_how_short_the_vehicle_is() {
    let e = solve(&vehicle("angara-1.2"), "vostochny", 20_000.0, None).expect_err("20 000 km is out of reach");
    let message = e.to_string();
    assert!(message.contains("m/s short"), "{message}");
}

/// The fully specified published cases (orbit given by the source), each held to a band of
/// ±1.5 percentage points around its recorded error, so that a change of any one of them shows
/// here (the goal's 10 % worst is the bar of `published_table_meets_the_accuracy_goal`, which the
/// LM-3B/E case misses today). Recorded (`cosmodrome validate`, November 2026), with the sources
/// in `data/reference/published-payloads.toml`:
/// - Soyuz ST (2.1b) from Kourou, 9 200 kg to 200 km at 5.4° (innerspace.net): 9 584 kg, +4.17 %;
/// - Saturn V from Kennedy LC-39A, 141 136 kg to 170 km at 30° (mass in the parking orbit):
///   139 773 kg, −0.97 %;
/// - Long March 3B/E from Xichang, 5 500 kg to GTO (200 × 35 954 km at 28.5°, ω 178°), through
///   the 200 km parking orbit as the manufacturer flies it: 6 168 kg, +12.14 % (6 158 kg,
///   +11.96 %, before the ascent's kick was searched again where the propellant held back for
///   the burns after it settles far from its guess, docs/validation.md; 6 179 kg,
///   +12.35 %, flown direct before its third stage was restartable; 6 070 kg, +10.36 %, while
///   the targeting held the cutoff on the perigee; the insertion height above the perigee is
///   now searched on eccentric targets, docs/validation.md; 6 221 kg, +13.11 %, until its
///   first-stage engines flew the manufacturer's mass flow, data/README.md).
///
/// A case added to the table, or a data change that moves a case on purpose, records its new
/// figure here with the reason.
#[test]
fn fully_specified_published_cases() {
    /// (vehicle, site, recorded error %).
    const RECORDED: [(&str, &str, f64); 3] =
        [("soyuz-2.1b", "kourou", 4.17), ("saturn-v", "kennedy-lc39a", -0.97), ("long-march-3b-e", "xichang", 12.14)];
    const BAND_PERCENT_POINTS: f64 = 1.5;
    let sites = SiteCatalog::builtin().expect("sites");
    let cases = parse_table(BUILTIN_TABLE, BUILTIN_TABLE_FILE).expect("table");
    let specified: Vec<_> = cases.iter().filter(|c| c.orbit_published).collect();
    let flown: Vec<(String, String, f64)> = specified
        .par_iter()
        .map(|case| {
            let r = run_case(case, &sites);
            let error = r.error_percent().unwrap_or_else(|| panic!("{} from {}: {:?}", case.vehicle, case.site, r.predicted_kg));
            (case.vehicle.clone(), case.site.clone(), error)
        })
        .collect();
    let keys: Vec<(&str, &str)> = flown.iter().map(|(v, s, _)| (v.as_str(), s.as_str())).collect();
    let recorded: Vec<(&str, &str)> = RECORDED.iter().map(|&(v, s, _)| (v, s)).collect();
    assert_eq!(keys, recorded, "the fully specified cases changed: record each one's error here");
    for ((vehicle, site, error), (_, _, recorded_percent)) in flown.iter().zip(RECORDED) {
        assert!(
            (error - recorded_percent).abs() <= BAND_PERCENT_POINTS,
            "{vehicle} from {site}: {error:+.2} %, recorded {recorded_percent:+.2} % (band ±{BAND_PERCENT_POINTS} points)"
        );
    }
}

/// Flies the whole built-in published table (`cosmodrome validate`'s cases, in parallel) and
/// returns the summaries of the fully specified cases and of all cases (the core's
/// `validation::summarize`, the figures `validate` prints).
fn published_table_summaries() -> (cosmodrome::validation::ErrorSummary, cosmodrome::validation::ErrorSummary) {
    table_summaries(&[(BUILTIN_TABLE, BUILTIN_TABLE_FILE)])
}

/// The summaries of every published case `cosmodrome validate` flies: the main, solid-boosted
/// and upper-stage tables.
fn validate_summaries() -> (cosmodrome::validation::ErrorSummary, cosmodrome::validation::ErrorSummary) {
    table_summaries(&cosmodrome::mission::validate::builtin_tables())
}

fn table_summaries(tables: &[(&str, &str)]) -> (cosmodrome::validation::ErrorSummary, cosmodrome::validation::ErrorSummary) {
    use cosmodrome::validation::summarize;
    let sites = SiteCatalog::builtin().expect("sites");
    let cases: Vec<_> = tables.iter().flat_map(|(text, file)| parse_table(text, file).expect("table")).collect();
    let results: Vec<_> = cases.par_iter().map(|case| run_case(case, &sites)).collect();
    let specified = summarize(results.iter().filter(|r| r.case.orbit_published)).expect("specified cases fly");
    let all = summarize(&results).expect("cases fly");
    eprintln!("fully specified {specified:?}\nall {all:?}");
    (specified, all)
}

/// The summary of the whole published table as a regression bar: each bound sits just above
/// today's figure, so the test fails when the figures slip; tighten it when they improve. Today
/// (December 2026): fully specified 3 cases, median 4.17 %, worst 12.14 % (LM-3B/E to GTO: 10.36 %
/// before the insertion height above the perigee was searched, which raised the bound from
/// 10.5 % to 13.2 %; 13.11 % until its first-stage engines flew the manufacturer's mass flow,
/// which tightened it to 12.4 %; 11.96 % through the parking orbit, 12.0 %; 12.14 % since the
/// kick is searched again where the held-back propellant settles far from its guess, an
/// optimizer that finds 10 kg more, 12.2 %); all 13
/// cases, median 6.60 % (6.31 % until Falcon 9's GTO flew its 27° through the parking orbit),
/// worst 56.76 % (Soyuz-2.1v). The Soyuz-2.1v NK-33 flies its 100 % rating
/// (1,681.6 kN vacuum) instead of the 105 % throttle limit, by the source rule of data/README.md:
/// 4,698 to 4,468 kg, which moved the all-case worst from 64.84 % to 56.76 %; the worst bound was
/// tightened from 65.0 % to 57.0 % (docs/validation.md). Where these bounds are looser than the
/// accuracy goal (count, specified worst), `published_table_meets_the_accuracy_goal` holds the goal.
#[test]
fn published_table_summary_holds_its_bar() {
    // (count, median, worst) bounds: fully specified, then all cases.
    assert_bar(published_table_summaries(), (3, 4.2, 12.2), (13, 6.7, 57.0));
}

/// Each summary within its `(least count, largest median %, largest worst %)`.
fn assert_bar(
    (specified, all): (cosmodrome::validation::ErrorSummary, cosmodrome::validation::ErrorSummary),
    specified_bar: (usize, f64, f64),
    all_bar: (usize, f64, f64),
) {
    for (what, s, (count, median, worst)) in [("fully specified", specified, specified_bar), ("all-case", all, all_bar)] {
        assert!(s.count >= count, "{what} cases flown: {s:?}");
        assert!(s.median_abs_error_percent <= median, "{what} median slipped: {s:?}");
        assert!(s.worst_abs_error_percent <= worst, "{what} worst slipped: {s:?}");
    }
}

/// The summary of every case `cosmodrome validate` flies (the main, solid-boosted and
/// upper-stage tables) as a regression bar, each bound just above today's figure: fully specified
/// 9 cases, median 7.5 % (7.49 %; 9.32 % before the elliptic profile cut its ascent off at the
/// ellipse's perigee), worst 24.8 % (Angara-A5/DM-03 GSO from Vostochny); all 30 cases, median
/// 7.6 % (7.57 %), worst 131.4 % (131.37 %, H-IIA 202 SSO: the range is not modelled,
/// docs/validation.md; 109.05 % before that cutoff and 130.76 % before the elliptic profile
/// searched the last stage's load, which the bound followed). It fails when they slip; tighten
/// it when they improve.
#[test]
fn validate_summary_holds_its_bar() {
    assert_bar(validate_summaries(), (9, 7.5, 24.9), (30, 7.6, 131.4));
}

/// The project's accuracy goal for published payloads, as written in docs/validation.md:
/// - fully specified cases (the source gives perigee, apogee, inclination and site): at least 8,
///   median |error| ≤ 5 %, worst |error| ≤ 10 %;
/// - all cases: median |error| ≤ 8 %.
///
/// It holds over every case `cosmodrome validate` flies (the main, solid-boosted and upper-stage
/// tables). Not met today, so the test is ignored by default; docs/validation.md gives the figures
/// and what each error is due to. Run it with
/// `cargo test --release --test cosmodrome-tests payload -- --ignored`; it fails, naming the bar
/// missed, until the goal is met, and then its `ignore` comes off.
#[test]
#[ignore = "accuracy goal not met yet: fully specified median and worst over the three tables (docs/validation.md)"]
fn published_table_meets_the_accuracy_goal() {
    const SPECIFIED_MIN_COUNT: usize = 8;
    const SPECIFIED_MEDIAN_MAX_PERCENT: f64 = 5.0;
    const SPECIFIED_WORST_MAX_PERCENT: f64 = 10.0;
    const ALL_MEDIAN_MAX_PERCENT: f64 = 8.0;

    let (specified, all) = validate_summaries();
    let mut missed = Vec::new();
    if specified.count < SPECIFIED_MIN_COUNT {
        missed.push(format!("{} fully specified cases (goal ≥ {SPECIFIED_MIN_COUNT})", specified.count));
    }
    if specified.median_abs_error_percent > SPECIFIED_MEDIAN_MAX_PERCENT {
        missed
            .push(format!("fully specified median {:.2} % (goal ≤ {SPECIFIED_MEDIAN_MAX_PERCENT} %)", specified.median_abs_error_percent));
    }
    if specified.worst_abs_error_percent > SPECIFIED_WORST_MAX_PERCENT {
        missed.push(format!("fully specified worst {:.2} % (goal ≤ {SPECIFIED_WORST_MAX_PERCENT} %)", specified.worst_abs_error_percent));
    }
    if all.median_abs_error_percent > ALL_MEDIAN_MAX_PERCENT {
        missed.push(format!("all-case median {:.2} % (goal ≤ {ALL_MEDIAN_MAX_PERCENT} %)", all.median_abs_error_percent));
    }
    assert!(missed.is_empty(), "accuracy goal missed: {}", missed.join("; "));
}

fn fly_targeted(v: &Vehicle, site: &str, target: &TargetOrbit, payload_kg: f64) -> cosmodrome::Result<TargetedAscent> {
    let sites = SiteCatalog::builtin().expect("sites");
    fly_to_orbit(v, sites.get(site).expect("site"), target, Branch::Northbound, payload_kg, FlightOptions::default(), &mut |_| {})
}

/// What every targeted flight must satisfy: the orbit at cutoff and the flight's named ending
/// inside the contract's tolerances, propellant left, no re-entry.
fn check_targeted(label: &str, target: &TargetOrbit, a: &TargetedAscent) {
    assert!(target.reached_by(&a.orbit), "{label}: cutoff orbit {:?}", a.orbit);
    assert!(a.propellant_margin_kg > 0.0, "{label}: {} kg of propellant left", a.propellant_margin_kg);
    match a.flight.ending() {
        Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => assert!(
            (perigee_altitude_m - target.perigee_m).abs() <= 1e3
                && (apogee_altitude_m - target.apogee_m).abs() <= 1e3
                && (inclination_deg - target.inclination_deg).abs() <= 0.05,
            "{label}: {perigee_altitude_m} × {apogee_altitude_m} m at {inclination_deg}°"
        ),
        e => panic!("{label}: {e:?}"),
    }
    assert!(a.flight.reentry_max_dynamic_pressure_pa.is_none(), "{label}: no fall back");
}

/// Every catalog vehicle flies 90 % of its maximum into the 200 km orbit of Vostochny (a payload
/// over the maximum is refused: `optimize::targeting`'s tests).
#[test]
fn every_catalog_vehicle_flies_a_payload_under_its_maximum_into_the_orbit() {
    for id in catalog_ids() {
        let v = vehicle(id);
        let (target, max) = solve(&v, "vostochny", 200.0, None).unwrap_or_else(|e| panic!("{id}: {e}"));
        // A restartable upper stage flies with the load the optimizer chose for it.
        let v = max.upper_stage_load_kg.map_or(v.clone(), |kg| loaded_with(&v, kg));
        let a = fly_targeted(&v, "vostochny", &target, 0.9 * max.payload_kg).unwrap_or_else(|e| panic!("{id}: {e}"));
        check_targeted(id, &target, &a);
    }
}

/// The README's `fly` examples reach their orbits: 7 t on Soyuz-2.1b to 97.5° and to 51.9° from
/// Vostochny, 20 t on Angara-A5 from Plesetsk (63°), and the docs' example vehicle with 500 kg
/// from Kourou at 6°.
#[test]
fn the_readme_fly_cases_reach_their_orbits() {
    let orbit = |inclination_deg: f64| TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg, argument_of_perigee_deg: None };
    let docs = include_str!("../docs/vehicle-file.md");
    // The example vehicle is the page's one whole file: the TOML block that opens with `format`.
    let example = docs
        .split("```toml")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.trim_start().starts_with("format = 1"))
        .expect("the example vehicle of docs/vehicle-file.md");
    let example = Vehicle::from_toml(example, "docs/vehicle-file.md").expect("the docs' example vehicle").0;
    let cases = [
        ("soyuz-2.1b", vehicle("soyuz-2.1b"), "vostochny", orbit(97.5), 7000.0),
        ("soyuz-2.1b", vehicle("soyuz-2.1b"), "vostochny", orbit(51.9), 7000.0),
        ("angara-a5", vehicle("angara-a5"), "plesetsk", orbit(63.0), 20_000.0),
        ("angara-a5", vehicle("angara-a5"), "plesetsk", TargetOrbit { apogee_m: 1000e3, ..orbit(63.0) }, 20_000.0),
        ("example heavy", example, "kourou", orbit(6.0), 500.0),
    ];
    for (id, v, site, target, payload_kg) in cases {
        let label = format!("{id} with {payload_kg} kg from {site} to {}", target.describe());
        let a = fly_targeted(&v, site, &target, payload_kg).unwrap_or_else(|e| panic!("{label}: {e}"));
        check_targeted(&label, &target, &a);
    }
}

/// A range-safety corridor that forbids the azimuth of the orbit: the ascent launches along the
/// corridor's nearest edge and its upper stages turn the plane (a dogleg), reaching the orbit's
/// inclination; the turn costs payload against the same pad without the corridor.
#[test]
fn dogleg_from_an_azimuth_corridor_reaches_the_inclination_at_a_cost() {
    let pad = |corridor: &str| {
        let text = format!(
            "format = 1\n[[site]]\nid = \"test-pad\"\ncosmodrome = \"test\"\nname = \"Test pad\"\nlatitude_deg = 28.5\nlongitude_deg = -80.6\naltitude_m = 0.0\nsource = \"test\"\n{corridor}"
        );
        SiteCatalog::from_toml(&text, "test-sites.toml").expect("sites").sites.remove(0)
    };
    let free = pad("");
    // 40° from 28.5° N: the northbound azimuth is about 55° (the southbound about 125°); the
    // corridor's nearest edge is 65°, 10° from the northbound leg (its 100° is 25° from the other).
    let fenced = pad("corridors = [{ azimuth_min_deg = 65.0, azimuth_max_deg = 100.0 }]\n");
    let v = vehicle("soyuz-2.1b");
    let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 40.0, argument_of_perigee_deg: None };
    let direct = maximize_payload(&v, &free, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("direct");
    let dogleg = maximize_payload(&v, &fenced, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("dogleg");
    check_answer("direct", &target, &direct);
    check_answer("dogleg", &target, &dogleg);
    assert!(direct.launch.azimuth_deg < 65.0, "direct azimuth {}", direct.launch.azimuth_deg);
    assert!((dogleg.launch.azimuth_deg - 65.0).abs() < 1e-9, "dogleg azimuth {}", dogleg.launch.azimuth_deg);
    let turn_deg = match dogleg.parameters.steering {
        cosmodrome::guidance::UpperSteering::Targeted(law) => law.dogleg_deg,
        other => panic!("{other:?}"),
    };
    // Launched 10° clockwise of the direct azimuth, it turns back (anticlockwise).
    assert!(turn_deg < -1.0, "the dogleg must turn the plane back toward north: {turn_deg}°");
    assert!(dogleg.payload_kg < direct.payload_kg, "dogleg {} kg, direct {} kg", dogleg.payload_kg, direct.payload_kg);
}

/// Initial great-circle bearing from (`lat0`, `lon0`) to (`lat`, `lon`), degrees in [0, 360).
fn bearing_deg(lat0_deg: f64, lon0_deg: f64, lat_deg: f64, lon_deg: f64) -> f64 {
    let (p0, p1) = (lat0_deg.to_radians(), lat_deg.to_radians());
    let dl = (lon_deg - lon0_deg).to_radians();
    let y = dl.sin() * p1.cos();
    let x = p0.cos() * p1.sin() - p0.sin() * p1.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

/// PSLV-XL to its published 620 km sun-synchronous orbit from Sriharikota, whose range allows
/// only 132–140° (data/sites.toml): it launches at 140°, the liftoff stages keep the ground
/// track on that bearing, and the upper stages turn the plane south (a dogleg of tens of
/// degrees, which a turn of the launch plane in the atmosphere alone could not fly) to the
/// target inclination, with the instantaneous impact point never on Sri Lanka.
#[test]
fn pslv_dogleg_from_sriharikota_keeps_the_corridor_and_clears_sri_lanka() {
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("sriharikota").expect("site");
    let v = vehicle("pslv-xl");
    let target = TargetOrbit { perigee_m: 620e3, apogee_m: 620e3, inclination_deg: 97.9, argument_of_perigee_deg: None };
    let options = FlightOptions { sample_interval_s: Some(2.0), ..FlightOptions::default() };
    let s = maximize_payload(&v, site, &target, Branch::Northbound, options, &mut |_| {}).expect("PSLV-XL to SSO");
    check_answer("pslv-xl sso", &target, &s);
    assert!((s.orbit.inclination_rad.to_degrees() - 97.9).abs() < 0.1, "inclination {}", s.orbit.inclination_rad.to_degrees());
    assert!((s.launch.azimuth_deg - 140.0).abs() < 1e-9, "launch azimuth {}", s.launch.azimuth_deg);
    let turn_deg = match s.parameters.steering {
        cosmodrome::guidance::UpperSteering::Targeted(law) => law.dogleg_deg,
        other => panic!("{other:?}"),
    };
    // From 140° to a southbound, slightly retrograde plane: a clockwise turn of tens of degrees.
    assert!(turn_deg > 30.0, "dogleg {turn_deg}°");
    let ps2_ignition_s = s
        .flight
        .events
        .iter()
        .find(|e| matches!(e.kind, cosmodrome::flight::EventKind::Ignition { stage } if v.stages[stage].name == "PS2"))
        .expect("PS2 ignition")
        .point
        .time_s;
    // Sri Lanka: the closed coastline of the maps' Natural Earth data that lies within
    // 5.5–10.5° N, 79–82.5° E.
    let sri_lanka = cosmodrome_io::coastline::coastlines()
        .iter()
        .find(|line| line.len() > 3 && line.iter().all(|&(lon, lat)| (79.0..=82.5).contains(&lon) && (5.5..=10.5).contains(&lat)))
        .expect("Sri Lanka's coastline")
        .clone();
    let inside = |polygon: &[(f64, f64)], lon: f64, lat: f64| {
        // Even-odd rule on the closed polyline.
        polygon
            .windows(2)
            .filter(|w| ((w[0].1 > lat) != (w[1].1 > lat)) && lon < w[0].0 + (lat - w[0].1) / (w[1].1 - w[0].1) * (w[1].0 - w[0].0))
            .count()
            % 2
            == 1
    };
    assert!(inside(&sri_lanka, 80.7, 7.9) && !inside(&sri_lanka, 82.5, 7.9), "Sri Lanka's polygon");
    let (lat0, lon0) = (site.latitude_deg, site.longitude_deg);
    let (mut checked, mut iip_points) = (0, 0);
    for sample in &s.flight.samples {
        let p = &sample.point;
        // Ground track on the corridor's bearing while the liftoff stages burn (a few tenths of
        // a degree of drift: the Earth turns under the inertial launch plane).
        if p.time_s > 20.0 && p.time_s <= ps2_ignition_s {
            let bearing = bearing_deg(lat0, lon0, p.latitude_deg, p.longitude_deg);
            assert!((131.0..=141.0).contains(&bearing), "t = {:.0} s: ground track at bearing {bearing:.2}° from the pad", p.time_s);
            checked += 1;
        }
        // What range safety watches: where the vehicle would come down if its engines stopped
        // (the vacuum instantaneous impact point) never lies on Sri Lanka.
        if let Some((iip, _)) = cosmodrome::dropzone::iip_with_downrange(p, &s.launch) {
            let on_sri_lanka = inside(&sri_lanka, iip.longitude_deg, iip.latitude_deg);
            assert!(
                !on_sri_lanka,
                "t = {:.0} s: impact point on Sri Lanka at {:.2}° N {:.2}° E",
                p.time_s, iip.latitude_deg, iip.longitude_deg
            );
            iip_points += 1;
        }
    }
    assert!(iip_points > 50, "{iip_points} impact points checked");
    assert!(checked > 10, "{checked} samples under the liftoff stages");
    // The flight crossed the latitudes of Sri Lanka before the ascent's cutoff (the checks above
    // saw them): the orbit's insertion, or the ellipse's when the PS4 circularizes later.
    let cutoff = s.flight.first(|k| matches!(k, cosmodrome::flight::EventKind::Cutoff { .. })).map_or(&s.flight.final_point, |e| &e.point);
    assert!(cutoff.latitude_deg < 5.9, "ascent cut off at {:.2}° N", cutoff.latitude_deg);
}

/// A core that burns on past its fairing's jettison turns the dogleg there, out of the dense
/// air and slower than at its upper stage's ignition: Angara-A5 to the 800 km SSO from
/// Sriharikota (launched at 140°, some 47° of plane to turn) was refused when the turn waited
/// for URM-2 at 325 s and 4.5 km/s. Its plane of motion now turns between the fairing's
/// jettison and URM-2's ignition, and the liftoff stages keep the corridor's bearing before it.
#[test]
fn a_dogleg_turns_where_the_fairing_goes_when_the_core_burns_on_past_it() {
    use cosmodrome::flight::EventKind;
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("sriharikota").expect("site");
    let v = vehicle("angara-a5");
    let target = TargetOrbit { perigee_m: 800e3, apogee_m: 800e3, inclination_deg: 98.6, argument_of_perigee_deg: None };
    let s = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
        .unwrap_or_else(|e| panic!("Angara-A5 to SSO from Sriharikota: {e}"));
    check_answer("angara-a5 sso from sriharikota", &target, &s);
    assert!((s.launch.azimuth_deg - 140.0).abs() < 1e-9, "launch azimuth {}", s.launch.azimuth_deg);
    let at = |kind: EventKind| &s.flight.first(|k| *k == kind).unwrap_or_else(|| panic!("{kind:?}")).point;
    let urm2 = v.stages.iter().position(|st| st.name == "URM-2").expect("URM-2");
    let (fairing, upper) = (at(EventKind::FairingJettison), at(EventKind::Ignition { stage: urm2 }));
    assert!(fairing.time_s < upper.time_s, "fairing at {} s, URM-2 at {} s", fairing.time_s, upper.time_s);
    let normal = |p: &cosmodrome::flight::FlightPoint| p.position_eci_m.cross(&p.velocity_eci_m_s).normalize();
    let turned_deg = normal(fairing).angle(&normal(upper)).to_degrees();
    assert!(turned_deg > 10.0, "the plane of motion turned {turned_deg:.1}° before URM-2 ignites");
}

/// A GTO's apogee moves some 60 km per m/s at its perigee, twenty times a 200 km orbit's: the
/// propellant-margin condition of the targeting, settled to 0.1 kg, left Ariane 5 ECA's GTO
/// from Cape Canaveral 1.2 km under its apogee, outside the contract's 1 km, and the answer was
/// refused. An answer outside them is now targeted once more with the margin's scale shrunk by
/// the target's sensitivity: the GTO answers from the equatorial and the Florida sites are
/// within the tolerances.
#[test]
fn a_gto_answer_is_held_to_the_apogee_tolerance() {
    let sites = SiteCatalog::builtin().expect("sites");
    let cases = [("ariane-5-eca", "cape-canaveral", 185.0, 35_786.0, 28.6), ("ariane-5-eca", "kourou", 250.0, 35_943.0, 6.0)];
    cases.par_iter().for_each(|&(id, site_id, perigee_km, apogee_km, inclination_deg)| {
        let v = vehicle(id);
        let site = sites.get(site_id).expect("site");
        let target = TargetOrbit { perigee_m: perigee_km * 1e3, apogee_m: apogee_km * 1e3, inclination_deg, argument_of_perigee_deg: None };
        let label = format!("{id} from {site_id}");
        let s = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        check_answer(&label, &target, &s);
    });
}

/// Angara-A5 to 200 km from Cape Canaveral, whose range allows azimuths of 35–120°, at 55–57°:
/// the spherical-Earth azimuth lies inside the corridor (35.9° at 57°), but the ascent carries
/// the vehicle north before cutoff and the targeting settles on 31.9–34.6°. Such an answer was
/// refused ("launch azimuth … outside the allowed launch corridors"); it now doglegs from the
/// corridor's edge, and the payload falls smoothly with the inclination across the band.
#[test]
fn an_azimuth_settling_outside_the_corridor_doglegs_from_its_edge() {
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("cape-canaveral").expect("site");
    let v = vehicle("angara-a5");
    let payload_at = |inclination_deg: f64| {
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg, argument_of_perigee_deg: None };
        let s = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .unwrap_or_else(|e| panic!("{inclination_deg}°: {e}"));
        check_answer("angara-a5 from the cape", &target, &s);
        assert!(site.allows_azimuth(s.launch.azimuth_deg), "{inclination_deg}°: launch azimuth {}", s.launch.azimuth_deg);
        s.payload_kg
    };
    let payloads: Vec<f64> = [54.0, 55.0, 56.0, 57.0, 58.0].into_iter().map(payload_at).collect();
    for w in payloads.windows(2) {
        // Each degree more costs something, and less than 2 % of the payload.
        assert!(w[1] < w[0] && w[1] > 0.98 * w[0], "{payloads:?}");
    }
}

/// A flown payload the single-burn Zenit-2 can only carry with its RD-8 steering engine burning
/// on after the RD-120: Meteor-3M No. 1, 2,500 kg (and four small secondaries), to 996 ×
/// 1,016 km at 99.64° from Baikonur in 2001 (NSSDC 2001-056A). The optimizer chooses when the
/// RD-120 stops, the answer carries at least the flown mass, and a `fly` with that mass reaches
/// the orbit the same way. With every engine burning to the cutoff the orbit is refused: the
/// tail is what carries it there.
#[test]
fn zenit_2_carries_its_flown_meteor_3m_payload_with_the_rd8_burning_on() {
    const FLOWN_KG: f64 = 2_500.0;
    let sites = SiteCatalog::builtin().expect("sites");
    let baikonur = sites.get("baikonur").expect("site");
    let target = TargetOrbit { perigee_m: 996e3, apogee_m: 1_016e3, inclination_deg: 99.64, argument_of_perigee_deg: None };
    let zenit = vehicle("zenit-2");
    let best = maximize_payload(&zenit, baikonur, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("flies");
    check_answer("Zenit-2 to Meteor-3M's orbit", &target, &best);
    assert!(best.payload_kg >= FLOWN_KG, "{:.0} kg, below the {FLOWN_KG} kg flown", best.payload_kg);
    let burn_s = best.parameters.main_engine_burn_s.expect("the main engine is cut off before the insertion");
    let cutoff = best.flight.event(&cosmodrome::flight::EventKind::MainEngineCutoff { stage: 1 }).expect("main-engine cutoff");
    let ignition = best.flight.event(&cosmodrome::flight::EventKind::Ignition { stage: 1 }).expect("ignition");
    assert!((cutoff.point.time_s - ignition.point.time_s - burn_s).abs() < 1e-6);
    // Before the RD-120 would have burned out at full thrust, and long before the insertion.
    assert!(burn_s < zenit.stages[1].burn_time_full_throttle_s(), "{burn_s} s");
    assert!(best.flight.final_point.time_s - cutoff.point.time_s > 300.0, "{} s", best.flight.final_point.time_s);

    let mut heard = 0;
    let flown = fly_to_orbit(&zenit, baikonur, &target, Branch::Northbound, FLOWN_KG, FlightOptions::default(), &mut |n| heard = n)
        .expect("the flown mass reaches the orbit");
    assert!(flown.parameters.main_engine_burn_s.is_some() && flown.propellant_margin_kg > 0.0);
    // Flown from the largest payload's ascent: its flights count with the failed first attempt's
    // and that payload optimization's, as progress heard them.
    assert!(
        flown.flights > best.flights && flown.flights == heard,
        "{} flights reported, {heard} heard, {} to the largest",
        flown.flights,
        best.flights
    );

    let text = catalog_vehicle("zenit-2").expect("catalog").replace(", burns_on = true", "");
    let together = Vehicle::from_toml(&text, "zenit-2-together.toml").expect("reads").0;
    assert!(together.stages[1].burn_on_engine.is_none());
    let refused = maximize_payload(&together, baikonur, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {});
    assert!(refused.is_err(), "{:?}", refused.map(|s| s.payload_kg));
}
