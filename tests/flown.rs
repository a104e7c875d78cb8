//! Flown trajectories. Saturn V AS-506 (Apollo 11) as flown — its flight masses, loads, engine
//! figures and event times (tests/reference/as-506.toml) — flown by the payload optimizer into
//! the flown parking orbit, and its state at each cutoff set beside the flight evaluation
//! report's (tests/reference/as-506-events.toml). And PSLV-C52, a solid-boosted flight: the
//! catalog's PSLV-XL file (data/vehicles/pslv-xl.toml) against ISRO's published nominal profile
//! (tests/reference/pslv-c52-events.toml), and Ariane 5 ECA V176 likewise against ESA's published
//! states (tests/reference/ariane-5-v176-events.toml); see their tests. The computation is the core's
//! (`cosmodrome::validation::fly_flown`), the one `cosmodrome validate` presents.
//!
//! Tolerances. The accuracy goal is the bar at the three cutoffs it names (S-IC OECO, S-II ECO,
//! S-IVB first ECO): altitude within 2 %, space-fixed velocity within 1 %. The S-II centre-engine
//! cutoff, a mid-burn state, is compared too and misses the altitude goal (−2.5 %): there the
//! altitude is decided by the steering law — the optimizer's linear-tangent pitch against the
//! flight's iterative guidance, which climbed higher early and flatter late — so it is held at
//! 3 % and reported as a miss (docs/validation.md). Flight-path angle, not a ratio quantity, is
//! held in degrees: 1.5° at the S-IC cutoff (the model flies a zero-lift gravity turn where the
//! S-IC flew a stored tilt programme; the flight's own angle of attack reached 1.6°, FER Table
//! 11-2) and 1° above the atmosphere. Event times: 3 s, the spread of the S-IVB ignition time in
//! the sources read (start command 549.2 s in FER Table 2-2, a start at 552.2 s in the
//! transcription); the S-IC cutoff time is held too, though it follows from the flow derived to
//! it. This tolerance was set after the first comparison (−2.6 s at the S-IVB cutoff), from that
//! spread. The payload the optimizer finds must be the flown spacecraft mass within 5 %: about the
//! payload a 1 % velocity error at the S-II cutoff costs the S-IVB (69 m/s at 4.2 km/s exhaust
//! velocity, 1.6 % of 135 t).

use cosmodrome::validation::{fly_flown, FlownFlight, FlownResult, Quantity, BUILTIN_FLIGHTS};
use cosmodrome::vehicle::SiteCatalog;

/// Altitude within 2 % and space-fixed velocity within 1 % (the accuracy goal for flown trajectories).
const ALTITUDE_TOLERANCE_PERCENT: f64 = 2.0;
/// See [`ALTITUDE_TOLERANCE_PERCENT`].
const SPEED_TOLERANCE_PERCENT: f64 = 1.0;
/// Altitude at the S-II centre-engine cutoff, a mid-burn state decided by the steering law.
const ALTITUDE_TOLERANCE_MID_BURN_PERCENT: f64 = 3.0;
/// Event times, s.
const TIME_TOLERANCE_S: f64 = 3.0;
/// Flight-path angle at the S-IC cutoff (in the atmosphere) and above it, degrees.
const FLIGHT_PATH_TOLERANCE_S_IC_DEG: f64 = 1.5;
/// See [`FLIGHT_PATH_TOLERANCE_S_IC_DEG`].
const FLIGHT_PATH_TOLERANCE_DEG: f64 = 1.0;
/// Predicted payload against the flown spacecraft mass, percent.
const PAYLOAD_TOLERANCE_PERCENT: f64 = 5.0;

/// The built-in flown flight named `flight`.
fn builtin(flight: &str) -> &'static FlownFlight {
    BUILTIN_FLIGHTS
        .iter()
        .find(|f| f.events_text.lines().any(|l| l == format!("flight = \"{flight}\"")))
        .unwrap_or_else(|| panic!("{flight} is not a built-in flown flight"))
}

/// Fly the built-in flight `flight` as `cosmodrome validate` does.
fn fly(flight: &str) -> FlownResult {
    let sites = SiteCatalog::builtin().expect("sites");
    let result = fly_flown(builtin(flight), &sites).unwrap_or_else(|e| panic!("{flight} flies to its orbit: {e}"));
    assert_eq!(result.reference.flight, flight);
    result
}

/// The comparison as a table, for failure messages and `--nocapture`.
fn report(result: &FlownResult) -> String {
    let mut report = format!(
        "{}: payload predicted {:.0} kg, flown {:.0} kg ({:+.2} %)\n",
        result.reference.flight,
        result.predicted_payload_kg,
        result.reference.payload_kg,
        result.payload_error_percent()
    );
    for r in &result.rows {
        report += &format!(
            "{:30} {:22} published {:10.3} predicted {:>10} diff {:>9} ({})\n",
            r.event,
            r.quantity.name(),
            r.published,
            r.predicted.map_or("–".into(), |p| format!("{p:.3}")),
            r.difference().map_or("–".into(), |d| format!("{d:+.3}")),
            r.error_percent().map_or("–".into(), |e| format!("{e:+.2} %")),
        );
    }
    report
}

#[test]
fn as506_cutoff_states_match_the_flight() {
    let result = fly("AS-506");
    let report = report(&result);
    eprintln!("{report}");
    // Every published event has its model event: a missing one fails here, not silently.
    let mut failures = Vec::new();
    for r in &result.rows {
        let Some(difference) = r.difference() else {
            failures.push(format!("{} has no model event", r.event));
            continue;
        };
        let ok = match r.quantity {
            Quantity::Time => difference.abs() <= TIME_TOLERANCE_S,
            Quantity::Altitude => {
                let tolerance = if r.event == "S-II CECO" { ALTITUDE_TOLERANCE_MID_BURN_PERCENT } else { ALTITUDE_TOLERANCE_PERCENT };
                r.error_percent().is_some_and(|e| e.abs() <= tolerance)
            }
            Quantity::Speed => r.error_percent().is_some_and(|e| e.abs() <= SPEED_TOLERANCE_PERCENT),
            Quantity::FlightPathAngle => {
                let tolerance = if r.event == "S-IC OECO" { FLIGHT_PATH_TOLERANCE_S_IC_DEG } else { FLIGHT_PATH_TOLERANCE_DEG };
                difference.abs() <= tolerance
            }
        };
        if !ok {
            failures.push(format!("{} {}: published {}, predicted {:?}", r.event, r.quantity.name(), r.published, r.predicted));
        }
    }
    assert!(
        result.payload_error_percent().abs() <= PAYLOAD_TOLERANCE_PERCENT,
        "payload {:.0} kg against the flown {:.0} kg\n{report}",
        result.predicted_payload_kg,
        result.reference.payload_kg
    );
    assert!(failures.is_empty(), "{failures:#?}\n{report}");
    // The comparison covers the three cutoffs of the accuracy goal.
    for event in ["S-IC OECO", "S-II ECO", "S-IVB first ECO"] {
        for quantity in [Quantity::Time, Quantity::Altitude, Quantity::Speed, Quantity::FlightPathAngle] {
            assert!(result.rows.iter().any(|r| r.event == event && r.quantity == quantity), "{event} {}", quantity.name());
        }
    }
}

/// How a row of a flown comparison stands against the goal: met, or missed high or low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Meets,
    MissesHigh,
    MissesLow,
}

/// PSLV-C52 (EOS-04): the catalog's PSLV-XL file itself (data/vehicles/pslv-xl.toml, so the
/// comparison tracks the catalog) flown into the reached 529 km orbit and set beside ISRO's
/// published nominal profile of the flight (tests/reference/pslv-c52-events.toml). No as-flown
/// PSLV data are public, so this flight does not meet the goal AS-506 meets, and the test holds
/// what it does meet and what it misses, row by row, with the sign of each miss: the same goals
/// (altitude 2 %, speed 1 %, times 3 s, payload 5 %), and the exact list of rows that miss them.
/// Any change — a row newly met or newly missed, a miss changing sign — fails here and must be
/// explained in docs/validation.md ("Flown trajectory: PSLV-C52"), which says what each miss may
/// point to: the speed in the atmosphere (inertial magnitudes that the launch heading and the
/// solid motors' impulse change alike, and no source gives the heading flown), the PS2 (with ISRO's
/// 800 kN Vikas it separates 6.8 s early, 8.6 s late with the pre-C5 724.7 kN), the profile (ISRO
/// lofts and coasts before the PS4, the model does not) and the payload (now just within 5 % under
/// the flown one, below it as the catalog's published cases are).
#[test]
fn pslv_c52_against_isro_nominal_profile() {
    use Standing::{Meets, MissesHigh, MissesLow};
    let result = fly("PSLV-C52");
    let report = report(&result);
    eprintln!("{report}");
    let measured = standings(&result, &report);
    // Measured with the catalog's file (PS3/PS4 dry masses 1,100/920 kg, Vikas 800 kN, S12 peak
    // from Space Launch Report's 73.4 tf) and explained in docs/validation.md.
    let expected = [
        ("PSOM-XL ground-lit separation", "time_s", Meets),
        ("PSOM-XL ground-lit separation", "altitude_km", Meets),
        ("PSOM-XL ground-lit separation", "speed_m_s", MissesHigh),
        // +3.0 s: the catalog's 25 s air start and 70 s burn against ISRO's 92.0 s.
        ("PSOM-XL air-lit separation", "time_s", Meets),
        ("PSOM-XL air-lit separation", "altitude_km", Meets),
        ("PSOM-XL air-lit separation", "speed_m_s", MissesHigh),
        ("PS1 separation", "time_s", Meets),
        ("PS1 separation", "altitude_km", MissesLow),
        ("PS1 separation", "speed_m_s", MissesHigh),
        // −6.8 s (+8.6 s with the pre-C5 724.7 kN Vikas).
        ("PS2 separation", "time_s", MissesLow),
        ("PS2 separation", "altitude_km", MissesLow),
        // +1.4 % (+0.5 % with the 724.7 kN Vikas): the solid phase's excess carried through.
        ("PS2 separation", "speed_m_s", MissesHigh),
        ("PS4 cut-off", "time_s", MissesLow),
        // Set by the targeted orbit: a check of the targeting, not of the model.
        ("PS4 cut-off", "altitude_km", Meets),
        ("PS4 cut-off", "speed_m_s", Meets),
    ];
    let expected: Vec<(String, &str, Standing)> = expected.iter().map(|(e, q, s)| ((*e).to_owned(), *q, *s)).collect();
    assert_eq!(measured, expected, "the PSLV-C52 comparison changed: update docs/validation.md\n{report}");
    // The payload against the one that flew (1,735.6 kg into this orbit), with the same 5 % as
    // AS-506's. The flown mass is a lower bound of what the vehicle could carry (the flight's PS4
    // load is not published), so a payload under it is a model or data shortfall, above it not
    // necessarily an error. Measured: −4.84 % (1,652 kg), within the 5 % by 0.16 points, below as
    // the catalog's published PSLV-XL cases are (−6.7 % with the pre-C5 724.7 kN Vikas;
    // docs/validation.md).
    assert_eq!(payload_standing(&result), Meets, "the PSLV-C52 payload changed standing: update docs/validation.md\n{report}");
}

/// Where `met` (within the goal) or the sign of `difference` puts a compared figure.
fn standing_of(met: bool, difference: f64) -> Standing {
    match (met, difference > 0.0) {
        (true, _) => Standing::Meets,
        (false, true) => Standing::MissesHigh,
        (false, false) => Standing::MissesLow,
    }
}

/// Every row of `result` against the goals of the accuracy bar (altitude 2 %, speed 1 %, times
/// 3 s, flight-path angle 1°): (event, quantity, standing).
fn standings(result: &FlownResult, report: &str) -> Vec<(String, &'static str, Standing)> {
    let standing = |r: &cosmodrome::validation::TrajectoryRow| -> Standing {
        let difference = r.difference().unwrap_or_else(|| panic!("{} has no model event\n{report}", r.event));
        let met = match r.quantity {
            Quantity::Time => difference.abs() <= TIME_TOLERANCE_S,
            Quantity::Altitude => r.error_percent().is_some_and(|e| e.abs() <= ALTITUDE_TOLERANCE_PERCENT),
            Quantity::Speed => r.error_percent().is_some_and(|e| e.abs() <= SPEED_TOLERANCE_PERCENT),
            Quantity::FlightPathAngle => difference.abs() <= FLIGHT_PATH_TOLERANCE_DEG,
        };
        standing_of(met, difference)
    };
    result.rows.iter().map(|r| (r.event.clone(), r.quantity.name(), standing(r))).collect()
}

/// The predicted payload against the flown one, within [`PAYLOAD_TOLERANCE_PERCENT`].
fn payload_standing(result: &FlownResult) -> Standing {
    standing_of(result.payload_error_percent().abs() <= PAYLOAD_TOLERANCE_PERCENT, result.payload_error_percent())
}

/// Ariane 5 ECA V176 (Astra 1L and Galaxy 17): the catalog's file (data/vehicles/ariane-5-eca.toml)
/// flown into the orbit the flight reached, its argument of perigee held at the standard GTO's
/// 178° (assumed: the sources give the other elements only) on the southbound leg, beside ESA's
/// published times and shutdown state (tests/reference/ariane-5-v176-events.toml). As for
/// PSLV-C52, the test holds each row's standing against the goals, explained in
/// docs/validation.md ("Flown trajectory: Ariane 5 V176"). The shutdown's speed meets the goal
/// and its altitude misses high by 4.5 % (with the perigee free the shutdown came 859 km up, +38 %);
/// the EPC burns out 24 s early on the file's load and flow; the payload the optimizer puts into
/// the orbit is 8 % over the 9,402 kg flown, a lower bound of the capability (no propellant figure
/// at the shutdown is public).
#[test]
fn ariane_5_v176_against_esas_published_states() {
    use Standing::{Meets, MissesHigh, MissesLow};
    let result = fly("V176");
    let report = report(&result);
    eprintln!("{report}");
    let expected = [
        ("EAP separation", "time_s", Meets),
        ("EPC shutdown", "time_s", MissesLow),
        ("ESC-A shutdown", "time_s", MissesHigh),
        ("ESC-A shutdown", "altitude_km", MissesHigh),
        ("ESC-A shutdown", "speed_m_s", Meets),
    ];
    let expected: Vec<(String, &str, Standing)> = expected.iter().map(|(e, q, s)| ((*e).to_owned(), *q, *s)).collect();
    assert_eq!(standings(&result, &report), expected, "the V176 comparison changed: update docs/validation.md\n{report}");
    assert_eq!(payload_standing(&result), MissesHigh, "the V176 payload changed standing: update docs/validation.md\n{report}");
    // The shutdown lies where the held argument of perigee puts it: within 10 % of the flown
    // altitude, where the perigee left free puts it a third higher.
    let altitude = result.rows.iter().find(|r| r.event == "ESC-A shutdown" && r.quantity == Quantity::Altitude).expect("altitude");
    assert!(altitude.error_percent().is_some_and(|e| e.abs() < 10.0), "{report}");
}
