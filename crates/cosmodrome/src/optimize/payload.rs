//! The largest payload a vehicle puts into a target orbit from a site, and the ascent that does it.
//!
//! The targeting of [`super::targeting`] with the payload as a fourth unknown: for a kick,
//! damped Newton solves initial pitch, pitch rate, launch azimuth and payload so that engine
//! cutoff comes at the perigee radius with zero flight-path angle, at the target inclination
//! and energy, with the last drop of usable propellant; Brent's method then picks the kick that
//! carries the most, holding the vehicle's max-Q limit and the designated drop zones. On an
//! eccentric target the cutoff may then move above the perigee, on the orbit's way up: its
//! height and the kick are searched in turn, then together along the ridge between them
//! (`Problem::optimize_insertion`).

use crate::dropzone::designated::DesignatedZone;
use crate::environment::earth::MU_EARTH_M3_S2;
use crate::environment::elements::OrbitalElements;
use crate::error::{Error, Result};
use crate::flight::{FlightOptions, FlightResult, Launch};
use crate::guidance::{AscentParameters, Branch, SteeringStart, UpperSteering};
use crate::optimize::Progress;
use crate::vehicle::{Site, Vehicle};

use super::scalar;
use super::targeting::{end_of_powered, separates_low, DirectAscent, KickSearch, Payload, Polish, Problem, Seed};
pub use super::targeting::{TargetOrbit, APOGEE_TOLERANCE_M, INCLINATION_TOLERANCE_DEG, PERIGEE_TOLERANCE_M};

/// The optimized ascent.
#[derive(Debug, Clone)]
pub struct PayloadSolution {
    /// Largest payload, kg.
    pub payload_kg: f64,
    /// Launch from the pad with its azimuth.
    pub launch: Launch,
    /// The ascent parameters found.
    pub parameters: AscentParameters,
    /// The optimized flight (sampled when the options ask for samples).
    pub flight: FlightResult,
    /// Osculating orbit at engine cutoff.
    pub orbit: OrbitalElements,
    /// Usable propellant loaded in the last stage when the optimizer offloaded it, kg: a
    /// restartable upper stage (Briz-M, DM-03, Fregat) flown to a low orbit carries the load
    /// that gives the most payload (`super::transfer::maximize_offloaded_payload`); `None`:
    /// loaded as the vehicle file says.
    pub upper_stage_load_kg: Option<f64>,
    /// Kicks tried by the ascent-shape search, each a targeting solve.
    pub kick_evaluations: usize,
    /// Flights flown.
    pub flights: usize,
    /// How the answer reaches its orbit: one powered ascent, or the elliptic profile's ascent,
    /// coast and circularization.
    pub profile: AscentProfile,
}

/// How a payload optimization's answer reaches its orbit. An analyst reading a payload needs to
/// know whether it assumes a restart and a coast of the last stage.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AscentProfile {
    /// One powered ascent whose last cutoff is in the target orbit.
    #[default]
    Direct,
    /// The elliptic profile of a restartable last stage ([`super::transfer::maximize_elliptic_payload`]):
    /// the ascent ends in an ellipse whose apogee is the target's altitude, the stage coasts to
    /// the apogee and circularizes there. Or, where that carries more (a circular orbit
    /// thousands of km up), the mission through a circular parking orbit, whose burns raise it
    /// to the target.
    Elliptic {
        /// The ellipse the ascent was targeted to (its apogee aimed off the target by what J2
        /// moves it over the coast), or the circular parking orbit.
        ellipse: TargetOrbit,
        /// Every burn of the last stage: the ascent's, when it flew one, and the
        /// circularization.
        burns: Vec<super::transfer::BurnReport>,
        /// The coasts between them.
        coasts: Vec<super::transfer::CoastReport>,
        /// Height of the ascent's cutoff above the ellipse's perigee, m (0: at the perigee).
        cutoff_height_m: f64,
    },
}

impl PayloadSolution {
    /// Whether the achieved orbit is inside the contract's tolerances.
    pub fn within_tolerance(&self, target: &TargetOrbit) -> bool {
        target.reached_by(&self.orbit)
    }

    /// `vehicle` as this ascent flew it (its upper stage offloaded when the optimizer did).
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        super::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }
}

/// Shares of the first payload guess tried in turn while none can be targeted: a last stage that
/// completes the ascent at a low thrust-to-weight (Briz-M) cannot be targeted from a heavy first
/// guess. A vehicle targeted from the first share never tries the others.
const FIRST_GUESS_SHARES: [f64; 3] = [1.0, 0.25, 0.0625];

/// Maximise the payload of `vehicle` from `site` into `target`. `progress` is called with the
/// number of flights flown so far (for a progress display).
///
/// ```
/// use cosmodrome::flight::FlightOptions;
/// use cosmodrome::guidance::Branch;
/// use cosmodrome::optimize::payload::{maximize_payload, TargetOrbit};
/// use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
///
/// let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1b")?;
/// let sites = SiteCatalog::builtin()?;
/// let vostochny = sites.get("vostochny")?;
/// let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
/// let best = maximize_payload(&vehicle, vostochny, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})?;
/// // Within the contract's tolerances (1 km, 1 km, 0.05°), with some 8.8 t aboard.
/// assert!(best.within_tolerance(&target));
/// assert!((8000.0..9500.0).contains(&best.payload_kg), "{} kg", best.payload_kg);
/// # Ok::<(), cosmodrome::Error>(())
/// ```
pub fn maximize_payload(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    progress: Progress<'_>,
) -> Result<PayloadSolution> {
    maximize_payload_with(vehicle, site, target, branch, options, &[], progress)
}

/// [`maximize_payload`] with designated drop zones: the ascent shape is chosen among those that
/// bring the nominal (windless, undispersed) fall of every stage a zone selects down inside it,
/// the way a range shapes the flown ascent. The zones must suit the vehicle
/// ([`crate::dropzone::DesignatedZones::check_against`]).
pub fn maximize_payload_with(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    zones: &[DesignatedZone],
    progress: Progress<'_>,
) -> Result<PayloadSolution> {
    maximize_payload_from(vehicle, site, target, branch, options, zones, None, progress).map(|w| w.solution)
}

/// Where a payload optimization may start: the solution of a neighbouring one (a sweep's
/// previous point: another altitude, inclination, site or vehicle variant), its kick, targeting
/// unknowns and payload. Made by [`maximize_payload_from`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarmStart {
    seed: Seed<4>,
    /// How the kick is searched from the start's: near it (a neighbour), over the whole range
    /// ([`WarmStart::distant`]) or not at all ([`WarmStart::held`]).
    kick: KickSearch,
    /// For a last stage with burn-on engines, the share of its full-throttle burn at which the
    /// start's main engines were cut off (`None`: every engine burned to the cutoff); the
    /// shares are weighed from it.
    main_engine_share: Option<f64>,
    /// For a vehicle whose ascent chooses a coast ([`Vehicle::chosen_coast`]), the start's
    /// coast, s; the coasts are weighed from it.
    coast_s: Option<f64>,
    /// Whether the start gives way to the built-in guesses when its kick search stops at the
    /// edge of the kicks it can target: a caller's neighbour, which may lie far off (a sweep's
    /// 200 km point for its 1,000 km one), not a load search's own nearby start, whose answer
    /// is weighed against the other loads' anyway.
    gives_way: bool,
}

impl WarmStart {
    /// The neighbour's solution, for a targeting of another problem of the optimizer.
    pub(super) fn seed(&self) -> &super::targeting::Seed<4> {
        &self.seed
    }

    /// The neighbour's payload, kg.
    pub fn payload_kg(&self) -> f64 {
        self.seed.payload_kg()
    }

    /// The start of another problem's solution (a transfer's ascent to its parking orbit).
    pub(super) fn from_seed(seed: super::targeting::Seed<4>) -> WarmStart {
        WarmStart { seed, kick: KickSearch::Near, main_engine_share: None, coast_s: None, gives_way: false }
    }

    /// This start for a problem farther off than a sweep's neighbour (another propellant load
    /// of the upper stage): its unknowns and Jacobian start the targeting, as a neighbour's do,
    /// but the kick is then searched from its kick over the whole range, as a cold search
    /// searches it, since the best kick of a distant problem need not lie near.
    pub(super) fn distant(self) -> WarmStart {
        WarmStart { kick: KickSearch::Whole, ..self }
    }

    /// This start with its kick kept, and on an eccentric target its cutoff height: the
    /// optimization only targets the ascent at the start's kick and height (holding the
    /// constraints), a few flights instead of a search's tens. For an outer search over a
    /// neighbouring problem (another load of the upper stage) whose evaluations need the
    /// payload to second order only; the caller searches the answer it picks again.
    pub(super) fn held(self) -> WarmStart {
        WarmStart { kick: KickSearch::Held, ..self }
    }

    /// This start with its kick searched near its own at its cutoff height, and on an eccentric
    /// target the height then searched from there ([`KickSearch::NearAtHeight`]): the start's
    /// own problem searched again where it was held.
    pub(super) fn at_its_height(self) -> WarmStart {
        WarmStart { kick: KickSearch::NearAtHeight, ..self }
    }
}

/// A payload optimization and where its neighbours may start.
#[derive(Debug, Clone)]
pub struct WarmSolution {
    /// The optimized ascent.
    pub solution: PayloadSolution,
    /// Its solution as a neighbour's starting guess.
    pub warm_start: WarmStart,
    /// Whether the search started from the given [`WarmStart`] (false without one, or when it
    /// could not be targeted and the built-in guesses were used instead).
    pub warm_started: bool,
    /// Whether the flight budget the search was given ran out while it refined the cutoff
    /// height and kick of an eccentric target: the answer is a targeted ascent, but the
    /// search would have carried (a little) more without the budget.
    pub refinement_cut_short: bool,
}

/// [`maximize_payload_with`] starting from a neighbour's solution when `start` is given: the
/// targeting starts from its kick, unknowns and payload, and the kick is searched near its kick
/// (the whole range when the best lies at the edge of that). A start that cannot be targeted
/// falls back to the built-in guesses. From a neighbour (a sweep's next altitude, inclination or
/// variant) the answer is the cold one's within the search's tolerances (the kick to 0.5 %, the
/// payload to ~0.1 kg); from a distant start it need not be: where the payload over the kick has
/// two maxima, the bracket around the start's kick may hold only the lower one (Ariane 62 to
/// 200 km with 65 % of its Vinci load: 15,958 kg cold, 15,508 kg started from the full load).
///
/// ```
/// use cosmodrome::flight::FlightOptions;
/// use cosmodrome::guidance::Branch;
/// use cosmodrome::optimize::payload::{maximize_payload_from, TargetOrbit};
/// use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
///
/// let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1b")?;
/// let sites = SiteCatalog::builtin()?;
/// let site = sites.get("vostochny")?;
/// let low = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
/// let high = TargetOrbit { perigee_m: 300e3, apogee_m: 300e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
/// let first = maximize_payload_from(&vehicle, site, &low, Branch::Northbound, FlightOptions::default(), &[], None, &mut |_| {})?;
/// let next = maximize_payload_from(&vehicle, site, &high, Branch::Northbound, FlightOptions::default(), &[], Some(&first.warm_start), &mut |_| {})?;
/// assert!(next.warm_started && next.solution.within_tolerance(&high));
/// assert!(next.solution.flights < first.solution.flights, "{} vs {} flights", next.solution.flights, first.solution.flights);
/// # Ok::<(), cosmodrome::Error>(())
/// ```
///
/// A held argument of perigee that the ascents on `branch` cannot place is refused with what the
/// other leg does, flown to say so (Ariane 5 ECA from Kourou to the standard GTO at 178°: refused
/// northbound, "the southbound leg holds it, carrying 10216 kg"); it is not flown in its place,
/// the leg being the mission's.
#[allow(clippy::too_many_arguments)]
pub fn maximize_payload_from(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    // A cold search is refused at once, on both legs, when the vehicle is held down
    // ([`super::reach::check_vertical`]): every way there (direct, elliptic, through a parking
    // orbit) would fail only after its whole budget. A neighbour's start has flown.
    let checked = match start {
        None => super::reach::check_vertical(vehicle, site, target, options)?,
        Some(_) => 0,
    };
    let progress = &mut |n| progress(checked + n);
    let ascent = DirectAscent { vehicle, site, target: *target, branch, options };
    let start = start.map(|s| WarmStart { gives_way: true, ..*s });
    let found = maximize_payload_on_leg(&ascent, zones, start.as_ref(), &mut *progress);
    let on_other_leg = |branch| maximize_payload_on_leg(&DirectAscent { branch, ..ascent }, zones, None, progress);
    let carrying = |w: &WarmSolution| format!(", carrying {:.0} kg", w.solution.payload_kg);
    // A refusal says why where a few figures can tell ([`super::reach::explained`]), and names
    // the file's limits when lifting them lets the vehicle fly ([`super::reach::with_limits_named`]):
    // the search only saw that its ascents could not be targeted.
    let mut found = super::targeting::or_what_the_other_leg_does(target, branch, found, on_other_leg, carrying).map_err(|e| match e {
        Error::Unreachable(why) => super::reach::with_limits_named(
            vehicle,
            site,
            target,
            branch,
            options,
            Error::Unreachable(super::reach::explained(vehicle, site, target, options, why)),
        ),
        other => other,
    })?;
    found.solution.flights += checked;
    Ok(found)
}

/// [`maximize_payload_from`] on the leg of `ascent`.
fn maximize_payload_on_leg(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    let DirectAscent { vehicle, ref target, .. } = *ascent;
    if vehicle.stages.last().is_some_and(|s| s.max_burns() > 1) {
        // The elliptic profile (first burn to an ellipse under the target, coast, circularize)
        // when it carries more; not yet with designated drop zones.
        if zones.is_empty() && super::transfer::elliptic_profile_applies(vehicle, target) {
            return super::transfer::better_of_direct_and_elliptic(ascent, start, progress);
        }
        // An eccentric target also through the parking orbit, when that carries more.
        if super::transfer::parking_orbit_weighed(vehicle, target, !zones.is_empty()) {
            return super::transfer::better_of_direct_and_parking(ascent, progress);
        }
        return super::transfer::maximize_offloaded_payload(ascent, zones, None, usize::MAX, None, progress);
    }
    let (found, flown) = super::counting_flights(progress, 0, |p| maximize_payload_as_loaded(ascent, zones, start, p));
    match found {
        Err(Error::Unreachable(why)) => continued_from_below(ascent, zones, flown, progress).map_err(|highest| {
            Error::Unreachable(match highest {
                // Where the walk stopped says more than the search's closest ascent: the orbit
                // the vehicle was last seen to reach, and what it carried there.
                Some((reached, payload_kg)) => with_walk_reached(
                    &why,
                    &format!(
                        "walked up from lower orbits, the ascent reached {} carrying {} kg; the next step up could not be targeted",
                        reached.describe(),
                        crate::units::kg_text(payload_kg)
                    ),
                ),
                None => why,
            })
        }),
        found => found,
    }
}

/// The refusal `why` of a search from the built-in guesses, with where a walk from lower orbits
/// stopped (`walked`) in place of the search's closest failed ascent ([`CLOSEST_TRIED`] up to the
/// next "; ", the hints after it kept). The walk's orbit was flown carrying a payload, so it tells
/// how far the vehicle gets; the closest ascent's shortfall is wherever the targeting stopped,
/// and beside it read as a contradiction (a generated design to a 700 km SSO: "about 1014 m/s
/// short of the orbit's energy", yet 550 km reached carrying 0.5 kg, where the two orbits'
/// energies differ by some 80 m/s). So does a dogleg "that does not turn the plane that far"
/// ([`DOGLEG_SHORT`]) beside a walk that reached the plane by it, lower down (a generated
/// design from Sriharikota to an 800 km SSO: 681 km reached carrying 2,162 kg).
fn with_walk_reached(why: &str, walked: &str) -> String {
    if let Some((head, hints)) = why.split_once(DOGLEG_SHORT) {
        return format!("{head} turns the plane; {walked}{hints}");
    }
    match why.split_once(CLOSEST_TRIED) {
        Some((head, tail)) => match tail.split_once("; ") {
            Some((_, hints)) => format!("{head}: {walked}; {hints}"),
            None => format!("{head}: {walked}"),
        },
        None => format!("{why}; {walked}"),
    }
}

/// How far below the target's perigee and apogee the lower orbits [`continued_from_below`]
/// starts from lie, m, tried in turn.
const CONTINUATION_DROPS_M: [f64; 2] = [100e3, 300e3];
/// Lowest target perigee [`continued_from_below`] walks up to, m: below it the built-in
/// guesses' failure is the vehicle's.
const CONTINUATION_ABOVE_M: f64 = 400e3;
/// Most flights the search of [`continued_from_below`]'s lower orbit from the built-in guesses
/// may take: one that converges takes some 350 to 520 (Soyuz-2.1v 680 km SSO, Electron 500 km),
/// one that fails as many as the target's own search (8,500 to 31,000), which the walk would
/// otherwise add to every target out of the vehicle's reach.
const CONTINUATION_COLD_FLIGHTS: usize = 2_000;
/// Most flights a step of [`continued_from_below`] may take: started from the step below, a
/// sweep's neighbour is found in tens, but near the edge of the vehicle's reach, where the
/// payload falls fast with height, a step can take 700 (Angara-1.2 from Kennedy at 30°, 825 →
/// 850 km, 633 → 449 kg).
const CONTINUATION_STEP_FLIGHTS: usize = 1_200;
/// Most a step of [`continued_from_below`] raises the orbit, m: a sweep's neighbour.
const CONTINUATION_STEP_M: f64 = 25e3;
/// Most times [`continued_from_below`] halves a step that failed: near the edge of reach the
/// payload falls by some 8 kg a km, and a 25 km step can start too far from its answer
/// (Soyuz-2.1v from Kourou to its 800 km SSO: 775 → 800 km failed in 1,200 flights, where a
/// sweep goes 780 → 800 km).
const CONTINUATION_HALVINGS: usize = 2;

/// Widest gap, m, between the highest start orbit [`continued_from_below`]'s bisection found
/// flying and the lowest it found failing, where the walk takes over: four sweep steps, which a
/// walk climbs in a few hundred flights each, where each halving of the gap costs a search from
/// the guesses.
const CONTINUATION_BISECTION_GAP_M: f64 = 100e3;
/// Most flights a start orbit of [`continued_from_below`]'s bisection may take from the built-in
/// guesses: one that converges takes 350–520 ([`CONTINUATION_COLD_FLIGHTS`]); a start given up
/// too soon only moves the walk's start down.
const CONTINUATION_BISECTION_FLIGHTS: usize = 800;

/// The largest payload to the target of `ascent` whose search from the built-in guesses failed
/// (after `flown` flights), found from a lower orbit's ascent instead: the orbit with perigee and
/// apogee [`CONTINUATION_DROPS_M`] lower, searched from the built-in guesses, then raised in steps
/// of at most [`CONTINUATION_STEP_M`] to the target, each started from the one below as a sweep's
/// neighbour is. A one-burn last stage flies a lofted ascent to a high circular orbit, which the
/// guesses may not find though it flies: Soyuz-2.1v to 780 km SSO from Vostochny carries
/// 306 kg walked up from 680 km, where its search from the guesses failed (a sweep over
/// 700–820 km, each altitude from the one below, 317 kg). A last stage whose steering engine
/// burns on climbs on that tail, which the guesses miss too; each step starts from the share of
/// the main engines' burn found below.
///
/// Where neither lower orbit flies, the target lies well beyond the vehicle's reach, and (but
/// for a target refused before any flight and a vehicle whose ascent chooses a coast) the
/// walk's start is bisected down to the parking orbit's height
/// ([`super::transfer::PARKING_ALTITUDE_M`]) to within [`CONTINUATION_BISECTION_GAP_M`]: the walk
/// from there names the highest orbit reached. Without it the refusal quoted the shortfall of
/// whichever failed ascent came closest, which depends on where the targeting stopped (Angara-1.2
/// from Vostochny: 59, 91, 124 m/s short at 1,200–1,400 km, 11 m/s at 1,700 km).
///
/// An error when the target is lower than [`CONTINUATION_ABOVE_M`], eccentric with burn-on
/// engines, or no walk reaches the target (the caller's error stands), with the highest orbit a
/// walk reached and the payload it carried there, when one reached any.
fn continued_from_below(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    flown: usize,
    progress: Progress<'_>,
) -> std::result::Result<WarmSolution, Option<(TargetOrbit, f64)>> {
    let target = ascent.target;
    // A last stage with burn-on engines weighs main-engine cutoffs, each search to its own
    // budget, and on an eccentric target the cutoff height with each (Zenit-2 spends 16,000
    // flights on a lower Molniya it cannot reach either): there its error stands.
    let burn_on = ascent.vehicle.stages.last().is_some_and(|s| s.burn_on_engine.is_some());
    if target.perigee_m < CONTINUATION_ABOVE_M || (burn_on && target.insertion_searched()) {
        return Err(None);
    }
    let mut walk = Walk { ascent, zones, progress, flights: flown, highest: None };
    let deepest_drop_m = target.perigee_m - super::transfer::PARKING_ALTITUDE_M;
    let mut failed_drop_m = 0.0;
    for drop_m in CONTINUATION_DROPS_M.into_iter().filter(|&d| d <= deepest_drop_m) {
        let Some(lowest) = walk.cold(drop_m, CONTINUATION_COLD_FLIGHTS) else {
            failed_drop_m = drop_m;
            continue;
        };
        if let Some(w) = walk.up_from(lowest, drop_m) {
            return Ok(w);
        }
    }
    // A target refused before any flight of its own is beyond a bound its refusal states (no
    // ascent of one burn climbs that high in its burn time): a walk would add only where its
    // steps happened to stop, at the cost of seconds. A vehicle whose ascent chooses a coast
    // searches each start over its coasts, which made its refusals twice as slow (two generated
    // designs of three solid stages to 1,500 km from Kourou: 15 → 28 s and 13 → 25 s).
    let scans_coasts = ascent.vehicle.chosen_coast().is_some_and(|c| c.max_s > c.min_s);
    if walk.highest.is_none() && flown > 0 && !scans_coasts && deepest_drop_m > failed_drop_m {
        // The highest start found flying, and its drop below the target.
        if let Some(mut flying) = walk.cold(deepest_drop_m, CONTINUATION_BISECTION_FLIGHTS) {
            let mut flying_drop_m = deepest_drop_m;
            while flying_drop_m - failed_drop_m > CONTINUATION_BISECTION_GAP_M {
                let middle_m = 0.5 * (flying_drop_m + failed_drop_m);
                match walk.cold(middle_m, CONTINUATION_BISECTION_FLIGHTS) {
                    Some(w) => (flying, flying_drop_m) = (w, middle_m),
                    None => failed_drop_m = middle_m,
                }
            }
            if let Some(w) = walk.up_from(flying, flying_drop_m) {
                return Ok(w);
            }
        }
    }
    Err(walk.highest)
}

/// The state of [`continued_from_below`]: the flights flown so far and the highest orbit reached,
/// with the payload carried there.
struct Walk<'a, 'p> {
    ascent: &'a DirectAscent<'a>,
    zones: &'a [DesignatedZone],
    progress: Progress<'p>,
    flights: usize,
    highest: Option<(TargetOrbit, f64)>,
}

impl<'a> Walk<'a, '_> {
    /// The ascent to the target with perigee and apogee `drop_m` lower.
    fn lowered(&self, drop_m: f64) -> DirectAscent<'a> {
        let target = self.ascent.target;
        DirectAscent {
            target: TargetOrbit { perigee_m: target.perigee_m - drop_m, apogee_m: target.apogee_m - drop_m, ..target },
            ..*self.ascent
        }
    }

    /// The payload to the orbit `drop_m` below the target: from the built-in guesses without
    /// `below`, else from its solution, in at most `max_flights` flights.
    fn search(&mut self, drop_m: f64, below: Option<&WarmStart>, max_flights: usize) -> Option<WarmSolution> {
        let (step, zones) = (self.lowered(drop_m), self.zones);
        let (found, n) =
            super::counting_flights(&mut *self.progress, self.flights, |p| maximize_payload_within(&step, zones, below, max_flights, p));
        self.flights += found.as_ref().map_or(n, |w| w.solution.flights);
        let found = found.ok()?;
        if self.highest.as_ref().is_none_or(|(h, _)| step.target.perigee_m > h.perigee_m) {
            self.highest = Some((step.target, found.solution.payload_kg));
        }
        Some(found)
    }

    /// [`Self::search`] from the built-in guesses.
    fn cold(&mut self, drop_m: f64, max_flights: usize) -> Option<WarmSolution> {
        self.search(drop_m, None, max_flights)
    }

    /// The walk from `lowest`, the solution `drop_m` below the target, up to the target: each
    /// step from the one below; a step that fails is halved, up to [`CONTINUATION_HALVINGS`]
    /// times in the walk, and the walk ends at the next failure. The target's solution, with the
    /// walk's flights, when it gets there.
    fn up_from(&mut self, lowest: WarmSolution, drop_m: f64) -> Option<WarmSolution> {
        let mut step_m = drop_m / (drop_m / CONTINUATION_STEP_M).ceil();
        let mut below_m = drop_m;
        let mut below = lowest;
        let mut halvings = 0;
        while below_m > 0.0 {
            let next_m = (below_m - step_m).max(0.0);
            match self.search(next_m, Some(&below.warm_start), CONTINUATION_STEP_FLIGHTS) {
                Some(w) => (below, below_m) = (w, next_m),
                None if halvings < CONTINUATION_HALVINGS => {
                    halvings += 1;
                    step_m *= 0.5;
                }
                None => return None,
            }
        }
        below.solution.flights = self.flights;
        below.warm_started = false;
        Some(below)
    }
}

/// [`maximize_payload_from`] of `ascent` with every stage loaded as the vehicle says (no offload
/// of a restartable upper stage: with [`super::transfer::offloaded`], the payload at one load).
pub fn maximize_payload_as_loaded(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    maximize_payload_within(ascent, zones, start, usize::MAX, progress)
}

/// [`maximize_payload_as_loaded`] in at most `max_flights` flights (besides the answer's flight
/// flown again): a search that would need more fails with [`Error::FlightBudget`] rather than
/// answer from a search cut short. A vehicle whose ascent chooses a coast has `max_flights` for
/// each coast's search ([`maximize_over_coast`]): held for the whole scan, the walk up from lower
/// orbits lost answers it finds only that way (1,221 kg and 280 kg to 1,200 km, of two designs
/// of three solid stages). For a caller that has cheaper ways to its answer (the offload
/// search of a restartable upper stage).
pub(crate) fn maximize_payload_within(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    match ascent.vehicle.chosen_coast().filter(|c| c.max_s > c.min_s) {
        Some(coast) => maximize_over_coast(ascent, zones, start, max_flights, coast, progress),
        None => maximize_payload_coasting(ascent, zones, start, max_flights, None, progress),
    }
}

/// [`maximize_payload_within`] with the coast `coast_s` before the stage whose coast the ascent
/// chooses (`None`: the file's `ignition_delay_s`).
fn maximize_payload_coasting(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    coast_s: Option<f64>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    match ascent.vehicle.stages.last().filter(|s| s.burn_on_engine.is_some()) {
        Some(last) => {
            maximize_over_main_engine_burn(ascent, zones, start, max_flights, last.burn_time_full_throttle_s(), coast_s, progress)
        }
        None => maximize_payload_at(ascent, zones, start, max_flights, None, coast_s, progress),
    }
}

/// Coast steps across a chosen coast's range ([`scan_coast_range`]): its first step from the
/// shortest coast is this share of the range.
const COAST_RANGE_STEPS: f64 = 8.0;

/// First step of [`scan_coast_range`] from a neighbour's coast, share of the range: the best
/// coast moves little between a sweep's neighbouring orbits.
const NEAR_COAST_STEPS: f64 = 32.0;

/// Resolution of the chosen coast, s: near its best, a second of coast moves the payload of an
/// Antares 230-class vehicle by well under a kilogram.
const COAST_TOLERANCE_S: f64 = 1.0;

/// Most flights the search of a coast may take from the built-in guesses once the coasts weighed
/// before it all failed: one that converges takes some 60 to 700 (random solid and kick-stage
/// designs to 500 km SSO–2,000 km, each coast of theirs after a failed shortest one), one that
/// fails as many as the first coast's search, 4,000 to 9,000, at every coast of the scan.
const COLD_COAST_FLIGHTS: usize = 2_000;

/// Most coasts [`scan_coast_range`] weighs, each started from the nearest coast weighed.
const COAST_EVALUATIONS: usize = 12;

/// The coasts of `coast`'s range weighed by `weigh`, the scan both a payload search
/// ([`maximize_over_coast`]) and a given payload's targeting (the most it spares) make: from
/// `from` (a neighbour's coast; the shortest coast when `None`) coasts are stepped to where the
/// value rises and refined by Brent's method ([`scalar::maximize_near`]), within
/// [`COAST_TOLERANCE_S`] and [`COAST_EVALUATIONS`]. `weigh` gets each coast with the answer of
/// the nearest coast weighed before it (its start) and gives the value and answer there, `None`
/// when that coast could not be flown. Returns every coast weighed: coast, value, answer, and
/// the first coast weighed.
pub(super) fn scan_coast_range<T>(
    coast: crate::vehicle::ChosenCoast,
    from: Option<f64>,
    mut weigh: impl FnMut(f64, Option<&T>) -> Option<(f64, T)>,
) -> (Vec<(f64, f64, T)>, f64) {
    let range_s = coast.max_s - coast.min_s;
    let (x0, step_s) = match from.map(|c| c.clamp(coast.min_s, coast.max_s)) {
        Some(c) => (c, range_s / NEAR_COAST_STEPS),
        None => (coast.min_s, range_s / COAST_RANGE_STEPS),
    };
    let mut weighed: Vec<(f64, f64, T)> = Vec::new();
    let mut value_at = |coast_s: f64| -> Option<f64> {
        let nearest = weighed.iter().min_by(|a, b| (a.0 - coast_s).abs().total_cmp(&(b.0 - coast_s).abs())).map(|w| &w.2);
        let (value, answer) = weigh(coast_s, nearest)?;
        weighed.push((coast_s, value, answer));
        Some(value)
    };
    scalar::maximize_near(&mut value_at, coast.min_s, coast.max_s, x0, step_s, COAST_TOLERANCE_S, COAST_EVALUATIONS);
    (weighed, x0)
}

/// Whether the best of a coast scan (`searched`: coast, payload, answer) is also the longest
/// coast that flew: the payload was still rising there, and its summit may be the range's end,
/// which a scan converging on it from inside reaches only within its evaluations (random solid
/// designs to 1,000–2,000 km whose summit is their longest coast stopped 1 to 2.5 s short of it,
/// at 1–5 kg a second).
fn still_rising_at_the_longest(searched: &[(f64, f64, WarmSolution)]) -> bool {
    let Some(best) = searched.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else { return false };
    let longest_flown = searched.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    best.0 == longest_flown
}

/// Share by which the scan's best coast, its kick searched again, may carry more than with the
/// first coast's kick held before the scan's summit is doubted ([`maximize_over_coast`]): a
/// kick that moves the payload that much may move the summit too. Over random solid designs
/// with a chosen coast the search again gained 7–20 % where the range's end carried more (up to
/// 26 kg, 1.2 %), and 0–11 % where the summit stood: weighing the end costs some 20 flights, so
/// it is skipped only where the kick held (the worked example `solid-coast.toml`: 0 %).
const HELD_KICK_DOUBTED_FRACTION: f64 = 0.01;

/// [`maximize_payload_coasting`] for a vehicle whose ascent chooses the coast before a solid
/// stage ([`Vehicle::chosen_coast`]): a motor that cannot throttle or shut down leaves where
/// it is lit as the ascent's hold on its energy, and the payload over the coast rises to one
/// summit (coasting up towards the apogee of the stages below trades their gravity loss
/// against the solid stage's, and a coast past the summit falls back). The payload is searched
/// at the shortest coast (or at a neighbour's `start` coast), then coasts are stepped to where it
/// rises and refined by Brent's method ([`scalar::maximize_near`]), each searched from the
/// solution of the nearest coast searched (its kick searched near that one's). The largest
/// payload wins, with its coast in its ascent parameters ([`AscentParameters::coast_s`]); the
/// range's end is searched as well where the summit may lie there ([`still_rising_at_the_longest`],
/// [`HELD_KICK_DOUBTED_FRACTION`]). When no coast can be targeted, the error is the shortest
/// coast's.
fn maximize_over_coast(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    coast: crate::vehicle::ChosenCoast,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    let mut flown = 0;
    // The first coast's error, flights and warm start.
    let mut first_error: Option<Error> = None;
    let mut first_flights = None;
    let mut warm_started = false;
    let weigh = |coast_s: f64, nearest: Option<&WarmSolution>| -> Option<(f64, WarmSolution)> {
        // From the nearest coast searched (the caller's start for the first), with a budget of
        // a few times the first search's.
        let is_first = first_flights.is_none();
        let from = if is_first { start.copied() } else { nearest.map(|w| WarmStart::held(w.warm_start)) };
        // Every coast before failed (no start): searched from the built-in guesses again, capped.
        let cap = if from.is_some() { max_flights } else { COLD_COAST_FLIGHTS.min(max_flights) };
        let budget = first_flights.map_or(max_flights, |n: usize| NEIGHBOUR_WEIGHING_FLIGHTS.max(n).min(cap));
        let (result, n) = super::counting_flights(&mut *progress, flown, |p| {
            maximize_payload_coasting(ascent, zones, from.as_ref(), budget, Some(coast_s), p)
        });
        let n = result.as_ref().map_or(n, |w| w.solution.flights);
        flown += n;
        if is_first {
            first_flights = Some(n);
        }
        match result {
            Ok(mut w) => {
                if is_first {
                    warm_started = w.warm_started;
                }
                w.warm_start.coast_s = Some(coast_s);
                Some((w.solution.payload_kg, w))
            }
            Err(e) => {
                if is_first {
                    first_error = Some(e);
                }
                None
            }
        }
    };
    let (searched, x0) = scan_coast_range(coast, start.and_then(|s| s.coast_s), weigh);
    let rising = still_rising_at_the_longest(&searched);
    let best = searched.into_iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(coast_s, _, w)| (coast_s, w));
    let held_kg = best.as_ref().map_or(0.0, |b| b.1.solution.payload_kg);
    let mut answer = match best {
        // The first coast's search is an answer as it is; any other held the first one's kick
        // (and cutoff height), and is searched again from there with its kick searched near it.
        Some((coast_s, w)) if coast_s != x0 || w.refinement_cut_short => {
            let near = WarmStart { kick: KickSearch::Near, ..w.warm_start };
            let again = maximize_payload_coasting(ascent, zones, Some(&near), usize::MAX, Some(coast_s), &mut |n| progress(flown + n));
            match again {
                Ok(mut a) if a.solution.payload_kg >= w.solution.payload_kg => {
                    flown += a.solution.flights;
                    a.warm_start.coast_s = Some(coast_s);
                    a
                }
                Ok(a) => {
                    flown += a.solution.flights;
                    w
                }
                Err(_) => w,
            }
        }
        Some((_, w)) => w,
        None => {
            return Err(first_error.unwrap_or_else(|| {
                Error::Unreachable(format!(
                    "{}: no coast before `{}` could be targeted",
                    ascent.vehicle.name, ascent.vehicle.stages[coast.stage].name
                ))
            }))
        }
    };
    // The range's end weighed as well, from the answer with its kick searched near, where the
    // summit may lie there: the payload still rising at the longest coast that flew, or the
    // scan's values (the first coast's kick held) too far below what the answer's own kick
    // carries to have placed the summit (a solid stack to a 500 km SSO from Plesetsk: the summit
    // at 219 s of a range up to 252 s, 2,705 kg held and 3,251 kg searched again there, where
    // the end carries 3,268 kg). A summit inside the range with a kick that held (the worked
    // example's, 95 s of 20–300 s) is not weighed against the end.
    let doubted = answer.solution.payload_kg > held_kg * (1.0 + HELD_KICK_DOUBTED_FRACTION);
    if (rising || doubted) && answer.warm_start.coast_s.is_some_and(|c| c < coast.max_s - COAST_TOLERANCE_S) {
        let budget = NEIGHBOUR_WEIGHING_FLIGHTS.max(first_flights.unwrap_or(0)).min(max_flights);
        let from = WarmStart { kick: KickSearch::Near, ..answer.warm_start };
        let (result, n) = super::counting_flights(&mut *progress, flown, |p| {
            maximize_payload_coasting(ascent, zones, Some(&from), budget, Some(coast.max_s), p)
        });
        flown += result.as_ref().map_or(n, |w| w.solution.flights);
        if let Some(mut w) = result.ok().filter(|w| w.solution.payload_kg > answer.solution.payload_kg) {
            w.warm_start.coast_s = Some(coast.max_s);
            answer = w;
        }
    }
    answer.solution.flights = flown;
    answer.warm_started = warm_started;
    Ok(answer)
}

/// The direct ascent's first payload guess, share of the liftoff mass: launchers put 1–4 % of
/// their liftoff mass into a low orbit.
pub(crate) const DIRECT_PAYLOAD_GUESS_SHARE: f64 = 0.02;

/// Least liftoff thrust-to-weight the payload search lets a payload take the vehicle down to:
/// just above one, where it still leaves the pad.
pub(crate) const LIFTOFF_THRUST_TO_WEIGHT_MIN: f64 = 1.001;

/// Heaviest payload `vehicle` lifts off with (thrust-to-weight [`LIFTOFF_THRUST_TO_WEIGHT_MIN`]),
/// kg; 0 when it cannot lift off empty.
pub(crate) fn heaviest_liftoff_payload_kg(vehicle: &Vehicle) -> f64 {
    vehicle.payload_at_liftoff_thrust_to_weight_kg(LIFTOFF_THRUST_TO_WEIGHT_MIN).max(0.0)
}

/// Shares of the last stage's full-throttle burn time at which its main engines are cut off,
/// tried in turn by [`maximize_over_main_engine_burn`] before it refines the best.
const MAIN_ENGINE_BURN_SHARES: [f64; 6] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.97];

/// First step from a start's main-engine burn share when the shares are weighed from it: the
/// payload's summit over the share moves by a few hundredths from one orbit to its sweep
/// neighbour (Long March 2D-like vernier tails, 0.82–0.86 between 360 and 700 km).
const NEAR_SHARE_STEP: f64 = 0.03;

/// Most shares weighed refining the best main-engine burn share between its neighbours.
const MAIN_ENGINE_BURN_REFINEMENTS: usize = 8;

/// Resolution of the refined main-engine burn share: 0.3 % of the burn (1 s of Zenit-2's
/// RD-120), where the payload over the share, at its summit, moves by a few kilograms.
const MAIN_ENGINE_BURN_TOLERANCE: f64 = 0.003;

/// Most flights the search of one main-engine burn share may fly: a share that can be targeted
/// is found in a few hundred; one that cannot takes thousands to refuse and counts as carrying
/// nothing.
const WEIGHING_FLIGHTS: usize = 2000;

/// Fewest flights for a share weighed once another ascent has carried (or as many as that
/// ascent's search took, when more: an eccentric target's cutoff height is searched as well):
/// started from that one's solution a share is found in tens of flights, and from the built-in
/// guesses, where that start fails, in under 250 (Zenit-2 to 200–1,000 km at 51.6° and 99.64°
/// from Baikonur, 500 km SSO from Vostochny); a share past the summit that cannot be targeted
/// took 1,400 to refuse.
const NEIGHBOUR_WEIGHING_FLIGHTS: usize = 600;

/// What [`maximize_over_main_engine_burn`] keeps while it weighs shares of the main-engine burn.
struct Weighed {
    /// The last ascent targeted: the next share starts from it.
    neighbour: Option<WarmStart>,
    /// Most flights for the next share's search.
    neighbour_budget: usize,
    /// The share that carried most, and its search.
    best: Option<(f64, WarmSolution)>,
}

impl Weighed {
    /// Keep `w`, an ascent that carried, as the next share's start; the first sets the budget
    /// of the searches started from a neighbour.
    fn carried(&mut self, w: &WarmSolution) {
        if self.neighbour.is_none() {
            self.neighbour_budget = NEIGHBOUR_WEIGHING_FLIGHTS.max(w.solution.flights);
        }
        self.neighbour = Some(w.warm_start);
    }
}

/// [`maximize_payload_at`] for a last stage with burn-on engines, whose main-engine burn is the
/// ascent's choice. All engines burning to the cutoff is one candidate; the others cut the main
/// engines off at shares of the stage's full-throttle burn time `burn_s`: a longer low-thrust
/// tail trades gravity loss for height at the cutoff, which a high orbit needs and a low one
/// does not (Zenit-2 to 600 km: 2.5 t with every engine to the cutoff, 7.2 t with the RD-120
/// cut off at 83 % of its burn). The payload over the share rises to one summit: the shares of
/// a grid are searched from the longest down, each from its neighbour's solution, until one
/// carries less than the longer one before it (or cannot be targeted after one that carried),
/// the best refined by Brent's method between its neighbours (their payloads known); the
/// search of the share that carried most is the answer, searched again only when its budget
/// cut it short. A `start` that cut its main engines off (a sweep's neighbour, a step of the walk
/// up from a lower orbit) starts the shares from its own share instead
/// ([`scalar::maximize_near`]), the all-engines ascent weighed after them only when the summit
/// lies at the longest share: a neighbour's summit moves by hundredths, and the all-engines
/// ascent to a high orbit, the grid's longest shares, refused from the start, took most of a
/// neighbour's flights. The largest payload wins; when none can be targeted, the error is the
/// all-engines ascent's, searched in full. Flights count over every search.
fn maximize_over_main_engine_burn(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    burn_s: f64,
    coast_s: Option<f64>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    let mut flown = 0;
    let mut search = |share: Option<f64>, from: Option<&WarmStart>, budget: usize| {
        let (result, n) = super::counting_flights(&mut *progress, flown, |p| {
            maximize_payload_at(ascent, zones, from, budget.min(max_flights), share.map(|f| f * burn_s), coast_s, p)
        });
        flown += n;
        result
    };
    // A start that cut its main engines off (a sweep's neighbour, a lower orbit's ascent)
    // starts the shares itself: the all-engines ascent is then weighed after them, only when
    // the longest share carries most (or none carries).
    let share_start = start.filter(|s| s.main_engine_share.is_some());
    // Every engine to the cutoff, within a weighing's budget: where the tail is needed (a high
    // orbit) this ascent is refused, and its built-in guesses would take thousands of flights
    // to say so; it is searched in full only when nothing else carries, for its refusal.
    let mut together = share_start.is_none().then(|| search(None, start, WEIGHING_FLIGHTS));
    // The last ascent targeted (each share starts from it) and the share that carried most.
    let neighbour_budget = if share_start.is_some() { NEIGHBOUR_WEIGHING_FLIGHTS } else { WEIGHING_FLIGHTS };
    let mut weighed = Weighed { neighbour: share_start.copied(), neighbour_budget, best: None };
    if let Some(Ok(w)) = &together {
        weighed.carried(w);
    }
    // Weigh one share from the last ascent targeted (the first, with no neighbour, in full).
    let mut weigh = |share: f64, weighed: &mut Weighed| -> f64 {
        match search(Some(share), weighed.neighbour.as_ref(), weighed.neighbour_budget) {
            Ok(w) => {
                let payload_kg = w.solution.payload_kg;
                weighed.carried(&w);
                if weighed.best.as_ref().is_none_or(|(_, b)| payload_kg > b.solution.payload_kg) {
                    weighed.best = Some((share, w));
                }
                payload_kg
            }
            Err(_) => f64::NEG_INFINITY,
        }
    };
    let longest = MAIN_ENGINE_BURN_SHARES[MAIN_ENGINE_BURN_SHARES.len() - 1];
    let together_after = match share_start.and_then(|s| s.main_engine_share) {
        // From the start's share, stepping to where the payload rises, then Brent's method
        // within the bracket: each share from the last one targeted, a few tens of flights.
        Some(share) => {
            let summit = scalar::maximize_near(
                |share| Some(weigh(share, &mut weighed)).filter(|p| p.is_finite()),
                MAIN_ENGINE_BURN_SHARES[0],
                longest,
                share,
                NEAR_SHARE_STEP,
                MAIN_ENGINE_BURN_TOLERANCE,
                MAIN_ENGINE_BURN_REFINEMENTS + 4,
            );
            summit.is_none_or(|m| m.x + NEAR_SHARE_STEP > longest)
        }
        None => {
            // From the longest main-engine burn down, each share from the one before it: the
            // all-engines ascent is the limit of the longest.
            let mut grid = [f64::NEG_INFINITY; MAIN_ENGINE_BURN_SHARES.len()];
            for (k, &share) in MAIN_ENGINE_BURN_SHARES.iter().enumerate().rev() {
                grid[k] = weigh(share, &mut weighed);
                // Past the summit a shorter main-engine burn only loses: once a share that carried is
                // followed by one that carries less or cannot be targeted, the shorter ones are not
                // tried (where the tail is too long to target, refusing a share takes a thousand
                // flights or more).
                if grid.get(k + 1).is_some_and(|&longer| longer.is_finite() && grid[k] < longer) {
                    break;
                }
            }
            let best = (0..grid.len()).max_by(|&a, &b| grid[a].total_cmp(&grid[b])).unwrap_or(0);
            if grid[best].is_finite() {
                // The summit lies between the best share's neighbours (beyond the longest, the
                // all-engines ascent, its limit, whose value is not a share's). Every share weighed
                // keeps its search in `weighed`, so the refinement's own answer is not needed.
                let lower =
                    best.checked_sub(1).map_or((MAIN_ENGINE_BURN_SHARES[0], f64::NEG_INFINITY), |k| (MAIN_ENGINE_BURN_SHARES[k], grid[k]));
                let upper = MAIN_ENGINE_BURN_SHARES.get(best + 1).map_or((1.0, f64::NEG_INFINITY), |&share| (share, grid[best + 1]));
                scalar::maximize_bracketed(
                    |share| Some(weigh(share, &mut weighed)).filter(|p| p.is_finite()),
                    (lower.0, upper.0),
                    (MAIN_ENGINE_BURN_SHARES[best], grid[best]),
                    [lower, upper],
                    MAIN_ENGINE_BURN_TOLERANCE,
                    MAIN_ENGINE_BURN_REFINEMENTS,
                );
            }
            false
        }
    };
    if together_after {
        // The all-engines ascent, the longest share's limit, from the last ascent targeted.
        together = Some(search(None, weighed.neighbour.as_ref(), WEIGHING_FLIGHTS));
    }
    let together = together.and_then(Result::ok);
    // Whether the caller's start served: the shares start from one another's solutions.
    let warm_started = match share_start {
        Some(_) => weighed.best.as_ref().is_some_and(|(_, w)| w.warm_started),
        None => together.as_ref().is_some_and(|w| w.warm_started),
    };
    // The best share's search is the answer, searched again without the weighing's budget only
    // where that cut the refinement of an eccentric target's cutoff height short.
    // Its warm start carries the share, for a neighbour's search to start from.
    let tail = match weighed.best {
        Some((share, w)) if w.refinement_cut_short => search(Some(share), Some(&w.warm_start), usize::MAX).ok().map(|w| (share, w)),
        best => best,
    }
    .map(|(share, mut w)| {
        w.warm_start.main_engine_share = Some(share);
        w
    });
    let mut answer = match (together, tail) {
        (Some(t), Some(b)) if b.solution.payload_kg > t.solution.payload_kg => b,
        (Some(t), _) => t,
        (None, Some(b)) => b,
        (None, None) => search(None, start, usize::MAX)?,
    };
    answer.solution.flights = flown;
    answer.warm_started = warm_started;
    Ok(answer)
}

/// [`maximize_payload_within`] with the last stage's main engines cut off `main_engine_burn_s`
/// after its ignition (`None`: every engine burns to the cutoff) and the coast `coast_s` before
/// the stage whose coast the ascent chooses (`None`: the file's `ignition_delay_s`).
///
/// A cold search whose answer drops its strap-ons in the dense air, the law taking over there,
/// is searched again with the law from the first upper-stage ignition, and the one that carries
/// more is the answer: neither family of ascents is the better everywhere. From a separation
/// that low the law steers a core lifting less than its weight, lofted, and carried 17–36 %
/// more than the other on five generated designs to 200 km from Vostochny; from Vandenberg to
/// 90° one carried 3,068 kg that way, launched due west with a kick of 26° so as to hold the
/// target's plane from where the Earth's rotation is most of the velocity, and 3,720 kg with the
/// law from its upper stage's ignition. Their first targetings do not tell which is the better.
fn maximize_payload_at(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    main_engine_burn_s: Option<f64>,
    coast_s: Option<f64>,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    let search = |from_ignition: bool, budget: usize, progress: Progress<'_>| {
        maximize_payload_in_family(ascent, zones, start, budget, main_engine_burn_s, coast_s, from_ignition, progress)
    };
    let from_separation = search(false, max_flights, &mut *progress)?;
    let takes_over_at_separation = matches!(
        from_separation.solution.parameters.steering,
        UpperSteering::Targeted(law) if law.takes_over == SteeringStart::FirstSeparation
    );
    let flown = from_separation.solution.flights;
    if start.is_some()
        || !takes_over_at_separation
        || !separates_low(ascent.vehicle, &from_separation.solution.flight)
        || flown >= max_flights
    {
        return Ok(from_separation);
    }
    // The second search's flights count whichever family is kept (a failed search's as its
    // progress saw them).
    let (from_ignition, other_flown) = super::counting_flights(progress, flown, |p| search(true, max_flights - flown, p));
    let other_flown = from_ignition.as_ref().map_or(other_flown, |other| other.solution.flights);
    let mut better = match from_ignition {
        Ok(other) if other.solution.payload_kg > from_separation.solution.payload_kg => other,
        _ => from_separation,
    };
    better.solution.flights = flown + other_flown;
    Ok(better)
}

/// [`maximize_payload_at`] in one family of ascents: with `from_ignition`, the law taking over
/// at the first upper-stage ignition in the cold search.
#[allow(clippy::too_many_arguments)]
fn maximize_payload_in_family(
    ascent: &DirectAscent<'_>,
    zones: &[DesignatedZone],
    start: Option<&WarmStart>,
    max_flights: usize,
    main_engine_burn_s: Option<f64>,
    coast_s: Option<f64>,
    from_ignition: bool,
    progress: Progress<'_>,
) -> Result<WarmSolution> {
    let DirectAscent { vehicle, site, branch, options, .. } = *ascent;
    let target = &ascent.target;
    let liftoff_kg = vehicle.liftoff_mass_kg(0.0);
    // Heaviest payload the vehicle lifts off with (thrust-to-weight just above one).
    let max_payload_kg = heaviest_liftoff_payload_kg(vehicle);
    let mut problem = Problem::<4>::new(vehicle, site, target, branch, Payload::Unknown { max_kg: max_payload_kg }, options, progress)?
        .with_zones(zones)
        .with_flight_budget(max_flights)
        .with_main_engine_burn(main_engine_burn_s)
        .with_coast(coast_s);
    if from_ignition {
        problem = problem.with_law_from_upper_stage_ignition();
    }
    let over_budget = |vehicle: &Vehicle| Error::FlightBudget { vehicle: vehicle.name.clone(), flights: max_flights };
    if max_payload_kg <= 0.0 {
        return Err(Error::NoLiftoff {
            vehicle: vehicle.name.clone(),
            thrust_to_weight: vehicle.liftoff_thrust_to_weight(0.0),
            payload_kg: 0.0,
        });
    }
    let warm = match start {
        Some(start) => problem.search_from(&start.seed, start.kick, start.gives_way)?,
        None => None,
    };
    let warm_started = warm.is_some();
    // A start whose kick is held holds its cutoff height too ([`KickSearch::Held`]).
    let held = warm_started && start.is_some_and(|s| s.kick == KickSearch::Held);
    let best = match warm {
        Some(best) if held => problem.hold_argument_of_perigee(best),
        Some(best) => problem.optimize_insertion(best),
        None => {
            // A target beyond the vehicle is refused at once rather than after every guess.
            problem.flights += super::reach::check_direct(vehicle, site, target, branch, options)?;
            // The first guess: 2 % of the liftoff mass as payload (half what lifts off, at most);
            // lighter guesses when that one cannot be targeted.
            let payload0_kg = (DIRECT_PAYLOAD_GUESS_SHARE * liftoff_kg).min(0.5 * max_payload_kg);
            let guesses = FIRST_GUESS_SHARES.map(|share| share * payload0_kg);
            let Some(best) = problem.search_among_then_higher(&guesses)? else {
                if problem.budget_spent() {
                    return Err(over_budget(vehicle));
                }
                return Err(unreachable_reason(&mut problem, site, target));
            };
            Ok(best)
        }
    };
    let refinement_cut_short = problem.refinement_cut_short();
    if problem.budget_spent() && !refinement_cut_short {
        return Err(over_budget(vehicle));
    }
    let mut best = best?;
    let mut problem = problem.with_flight_budget(usize::MAX);

    // The optimized flight, flown again with the caller's sampling (for the files) and the
    // search's tolerances (so that it is the flight the search found).
    let answer = |problem: &mut Problem<'_, 4>, best: &super::targeting::Solved<4>| -> Result<PayloadSolution> {
        let kick_deg = best.log_kick.exp();
        let flight = problem.fly(kick_deg, &best.x, FlightOptions { sample_interval_s: options.sample_interval_s, ..problem.options })?;
        let parameters = problem.parameters(kick_deg, &best.x);
        let end = end_of_powered(vehicle, &flight)
            .ok_or_else(|| Error::Unreachable(format!("{}: the optimized ascent does not reach engine cutoff", vehicle.name)))?;
        let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
        let launch = problem.launch(&best.x);
        site.check_corridor(launch.azimuth_deg, target.inclination_deg)?;
        Ok(PayloadSolution {
            payload_kg: best.payload_kg,
            launch,
            parameters,
            flight,
            orbit,
            upper_stage_load_kg: None,
            kick_evaluations: problem.kicks_solved(),
            flights: problem.flights,
            profile: AscentProfile::Direct,
        })
    };
    let mut solution = answer(&mut problem, &best)?;
    if !solution.within_tolerance(target) {
        // Settled to the search's propellant margin, a high apogee can stray past the
        // tolerance (a GTO's moves ~60 km per m/s): polish the answer at the apogee's scale,
        // or failing that with a little propellant to spare.
        for polish in [Polish::Tight, Polish::Reserved] {
            if let Some(polished) = problem.polish(&best, polish) {
                let polished_solution = answer(&mut problem, &polished)?;
                if polished_solution.within_tolerance(target) {
                    (best, solution) = (polished, polished_solution);
                    break;
                }
            }
        }
    }
    if !solution.within_tolerance(target) {
        let orbit = &solution.orbit;
        return Err(Error::Unreachable(format!(
            "{}: the optimized ascent misses the orbit (payload {:.0} kg, perigee {:.1} km, apogee {:.1} km, inclination {:.3}°)",
            vehicle.name,
            solution.payload_kg,
            orbit.perigee_altitude_m() / 1e3,
            orbit.apogee_altitude_m() / 1e3,
            orbit.inclination_rad.to_degrees(),
        )));
    }
    Ok(WarmSolution {
        warm_start: WarmStart { seed: problem.seed(&best), kick: KickSearch::Near, main_engine_share: None, coast_s, gives_way: false },
        solution,
        warm_started,
        refinement_cut_short,
    })
}

/// Why the first targeting failed: the ascent could not be steered there, and with no payload
/// the closest of the ascents tried burns out short of the orbit's energy, by how much Δv
/// ([`Problem::closest_shortfall_m_s`]). That figure is the search's, not a bound of the
/// vehicle (the bounds that are, [`super::reach`], have let the target through): a failed
/// ascent's steering is wherever the targeting stopped, and its shortfall varies with it
/// (Electron from Vostochny, the last failure's: 128 m/s to 800 km, 1,477 m/s to 1,000 km,
/// 228 m/s to 1,200 km), so it is worded as what the search saw. Where no guess started
/// Newton and every flight it was given came back to the ground before the last burnout, that
/// is said, with how many (two kerosene designs whose second stage lights at a thrust-to-weight
/// of 0.56 over a kick stage at 0.08 were refused with the bare words before).
fn unreachable_reason(problem: &mut Problem<'_, 4>, site: &Site, target: &TargetOrbit) -> Error {
    let vehicle = problem.vehicle;
    let orbit =
        format!("{:.0} × {:.0} km at {:.2}° from {}", target.perigee_m / 1e3, target.apogee_m / 1e3, target.inclination_deg, site.id);
    let beyond_latitude = |problem: &Problem<'_, 4>| {
        Error::Unreachable(format!("{}: the ascent to {orbit} could not be targeted: {}", vehicle.name, problem.beyond_latitude_text()))
    };
    if problem.beyond_latitude && problem.last_failure.is_none() {
        return beyond_latitude(problem);
    }
    // The steering where targeting stopped.
    let Some(x) = problem.last_failure else {
        let unended = problem.unended;
        let fell = if unended.flights > 0 && unended.impacts == unended.flights {
            format!(
                ": each of the {} ascents flown from the guesses came back to the ground before its last stage burned out (a stage too weak to stop the fall, or lit too late, is the usual cause)",
                unended.flights
            )
        } else {
            String::new()
        };
        return Error::Unreachable(format!(
            "{}: the ascent to {orbit} could not be flown from the built-in initial guess{fell}",
            vehicle.name
        ));
    };
    if let Some(short_m_s) = problem.closest_shortfall_m_s() {
        let hint = one_burn_hint(vehicle, target);
        return Error::Unreachable(format!(
            "{}: the ascent to {orbit} could not be targeted{CLOSEST_TRIED}{}{hint}",
            vehicle.name,
            closest_shortfall_text(short_m_s)
        ));
    }
    if problem.beyond_latitude {
        return beyond_latitude(problem);
    }
    if problem.dogleg {
        return Error::Unreachable(format!(
            "{}: the ascent to {orbit} could not be targeted: the orbit's launch azimuth is outside the site's corridors, and the dogleg from the corridor's {:.1}°{DOGLEG_SHORT}",
            vehicle.name,
            problem.launch(&x).azimuth_deg
        ));
    }
    let hint = one_burn_hint(vehicle, target);
    Error::Unreachable(format!("{}: the ascent to {orbit} could not be targeted from the built-in initial guess{hint}", vehicle.name))
}

/// The words of [`unreachable_reason`] before the closest failed ascent's shortfall, which
/// [`with_walk_reached`] replaces.
const CLOSEST_TRIED: &str = ": with no payload, the closest of the ascents tried ";

/// The end of [`unreachable_reason`]'s dogleg refusal, which [`with_walk_reached`] drops: a walk
/// reached the target's plane by that dogleg, lower down.
const DOGLEG_SHORT: &str = " does not turn the plane that far";

/// What the closest of a failed search's ascents with no payload did, given its shortfall of
/// the target's energy, m/s. Within a metre per second the energy was there and the shape of
/// the orbit was what the steering missed (Saturn V to a 19,100 km circular orbit: one burn
/// cannot climb that high), which "0 m/s short" would hide.
fn closest_shortfall_text(short_m_s: f64) -> String {
    if short_m_s < 1.0 {
        "burns out within 1 m/s of the orbit's energy, yet could not be steered into the orbit itself".to_owned()
    } else {
        format!("burns out about {short_m_s:.0} m/s short of the orbit's energy")
    }
}

/// Why a failed ascent to a high orbit may be out of reach: a one-burn last stage must climb
/// under power all the way up, which few vehicles can, so say that the usual way there is a
/// transfer. Empty for low orbits and restartable last stages.
fn one_burn_hint(vehicle: &Vehicle, target: &TargetOrbit) -> String {
    let Some(last) = vehicle.stages.last().filter(|s| s.max_burns() < 2) else { return String::new() };
    let mut hint = String::new();
    if target.perigee_m > HIGH_PERIGEE_M {
        hint = format!(
            "; its last stage burns once, so the ascent has to climb under power to the {:.0} km perigee: orbits this high are usually reached by a transfer from a parking orbit, which needs a restartable last stage (`max_burns` ≥ 2)",
            target.perigee_m / 1e3
        );
    }
    if last.engines.len() > 1 && last.burn_on_engine.is_none() && target.perigee_m > STEERING_ENGINE_HINT_ABOVE_M {
        hint.push_str(&format!(
            "; `{}` burns its engine types together to the cutoff: if one is a steering engine that burns on alone after the main engine stops (as Zenit's RD-8 does), flag it `burns_on = true` in the stage's `engines`, and the ascent chooses when the main engine stops, which lets a stage that burns once climb higher",
            last.name
        ));
    }
    hint
}

/// Perigee above which a failed one-burn ascent is explained by the height it must climb to.
const HIGH_PERIGEE_M: f64 = 1_000e3;
/// Perigee above which a failed one-burn ascent of a last stage with several engine types, none
/// flagged `burns_on`, also says what the flag is for: Zenit-2 flew 2,500 kg to 1,000 km with
/// its RD-8 burning on, and without the flag the model refuses it above some 700 km.
const STEERING_ENGINE_HINT_ABOVE_M: f64 = 500e3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::resolve_vehicle;

    #[test]
    fn a_shortfall_under_a_metre_per_second_names_the_orbit_not_the_energy() {
        assert_eq!(closest_shortfall_text(128.4), "burns out about 128 m/s short of the orbit's energy");
        assert_eq!(closest_shortfall_text(1.0), "burns out about 1 m/s short of the orbit's energy");
        let within = closest_shortfall_text(0.3);
        assert!(
            within.contains("within 1 m/s") && within.contains("could not be steered into the orbit") && !within.contains("0 m/s"),
            "{within}"
        );
    }

    /// Where a walk from below reached an orbit, its words replace the closest ascent's, and the
    /// hints after them stay; a dogleg said to fall short of the plane is said to turn it; a
    /// refusal without those words gets the walk's at its end.
    #[test]
    fn the_walk_replaces_the_closest_ascent_in_a_refusal() {
        let walked = "walked up from lower orbits, the ascent reached 550 × 550 km carrying 0.5 kg; the next step up could not be targeted";
        let head = "X: the ascent to 700 × 700 km could not be targeted";
        let closest = format!("{head}{CLOSEST_TRIED}burns out about 1014 m/s short of the orbit's energy");
        assert_eq!(with_walk_reached(&closest, walked), format!("{head}: {walked}"));
        assert_eq!(
            with_walk_reached(&format!("{closest}; its last stage burns once"), walked),
            format!("{head}: {walked}; its last stage burns once")
        );
        let guess = format!("{head} from the built-in initial guess");
        assert_eq!(with_walk_reached(&guess, walked), format!("{guess}; {walked}"));
        // The walk reached the plane by the dogleg the refusal said falls short of it.
        let dogleg =
            format!("{head}: the orbit's launch azimuth is outside the site's corridors, and the dogleg from the corridor's 140.0°");
        assert_eq!(with_walk_reached(&format!("{dogleg}{DOGLEG_SHORT}"), walked), format!("{dogleg} turns the plane; {walked}"));
    }

    /// A kerosene second stage lit at a quarter of the stack's weight 60 km up: every ascent the
    /// built-in guesses give, lofted ones too, comes back to the ground before it burns out, and
    /// the refusal says so with how many, where it gave only the bare "could not be flown".
    #[test]
    fn a_refusal_says_every_guess_came_down() {
        let text = r#"
format = 1
name = "Weak second stage"
[[engine]]
id = "E1"
propellant = "LOX/kerosene"
thrust_vac_kn = 41.0
isp_vac_s = 300.5
isp_sl_s = 275.1
[[engine]]
id = "E2"
propellant = "LOX/kerosene"
thrust_vac_kn = 6.0
isp_vac_s = 342.3
[[stage]]
name = "First"
engine = "E1"
engines_per_unit = 5
dry_mass_kg = 854.0
propellant_mass_kg = 9180.0
diameter_m = 1.2
[[stage]]
name = "Second"
engine = "E2"
dry_mass_kg = 261.0
propellant_mass_kg = 1957.0
diameter_m = 1.2
[fairing]
mass_kg = 119.0
jettison_altitude_km = 102.0
"#;
        let (vehicle, _) = Vehicle::from_toml(text, "weak-second.toml").expect("a valid file");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let kourou = sites.get("kourou").expect("kourou");
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 5.4, argument_of_perigee_deg: None };
        let refused = maximize_payload(&vehicle, kourou, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .expect_err("every ascent falls")
            .to_string();
        assert!(refused.contains("ascents flown from the guesses came back to the ground before its last stage burned out"), "{refused}");
    }

    /// A two-stage launcher on storable propellants whose second stage's steering engine burns
    /// on after the main engine (figures of the Long March 2D class, rounded): it climbs to a high
    /// circular orbit on that tail alone.
    const VERNIER_TAIL_LAUNCHER: &str = r#"
format = 1
name = "Vernier tail"

[[engine]]
id = "Main 1"
propellant = "N2O4/UDMH"
thrust_vac_kn = 3265.0
isp_vac_s = 289.0
isp_sl_s = 261.0

[[engine]]
id = "Main 2"
propellant = "N2O4/UDMH"
thrust_vac_kn = 742.0
isp_vac_s = 298.0

[[engine]]
id = "Vernier"
propellant = "N2O4/UDMH"
thrust_vac_kn = 47.1
isp_vac_s = 289.0

[[stage]]
name = "Stage 1"
engine = "Main 1"
dry_mass_kg = 9500.0
propellant_mass_kg = 182000.0
diameter_m = 3.35

[[stage]]
name = "Stage 2"
engines = [{ engine = "Main 2", count = 1 }, { engine = "Vernier", count = 1, burns_on = true }]
dry_mass_kg = 4000.0
propellant_mass_kg = 52700.0
diameter_m = 3.35

[fairing]
mass_kg = 1000.0
jettison_altitude_km = 110.0
"#;

    /// Above ~650 km the built-in guesses target no main-engine share of this launcher (every
    /// share's search from them fails), though the orbit flies: the payload is found from a lower
    /// orbit's ascent, walked up as a sweep walks, and a sweep's neighbour starts from its share.
    /// Both agree with each other, and the warm start takes a small part of the flights.
    #[test]
    fn a_burn_on_tail_reaches_a_high_circular_orbit_from_below() {
        let vehicle = Vehicle::from_toml(VERNIER_TAIL_LAUNCHER, "vernier-tail.toml").expect("reads").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("xichang").expect("Xichang");
        let circular =
            |km: f64| TargetOrbit { perigee_m: km * 1e3, apogee_m: km * 1e3, inclination_deg: 97.5, argument_of_perigee_deg: None };
        let solve = |km: f64, start: Option<&WarmStart>| {
            maximize_payload_from(&vehicle, site, &circular(km), Branch::Northbound, FlightOptions::default(), &[], start, &mut |_| {})
                .unwrap_or_else(|e| panic!("{km} km: {e}"))
        };
        let walked = solve(700.0, None);
        assert!(walked.solution.within_tolerance(&circular(700.0)), "{:?}", walked.solution.orbit);
        assert!(walked.solution.payload_kg > 500.0, "{}", walked.solution.payload_kg);
        let below = solve(650.0, Some(&walked.warm_start));
        let neighbour = solve(700.0, Some(&below.warm_start));
        assert!(neighbour.warm_started && neighbour.solution.within_tolerance(&circular(700.0)));
        let (a, b) = (walked.solution.payload_kg, neighbour.solution.payload_kg);
        assert!((a - b).abs() <= 0.002 * a, "walked up {a:.1} kg, from the neighbour {b:.1} kg");
        assert!(below.solution.payload_kg > a, "650 km {:.1} kg, 700 km {a:.1} kg", below.solution.payload_kg);
        assert!(neighbour.solution.flights * 10 < walked.solution.flights, "{} vs {}", neighbour.solution.flights, walked.solution.flights);
    }

    /// A liquid first stage and a solid second stage lit after a coast (figures of the Antares
    /// 230 class, rounded; shared with the command line's tests): the solid stage cannot be cut
    /// off, so the payload sets where its burnout lands.
    const SOLID_UPPER_LAUNCHER: &str = include_str!("../../../../tests/reference/solid-upper.toml");

    /// The vehicle of [`SOLID_UPPER_LAUNCHER`] with its coast before the solid stage left to the
    /// ascent, from 20 to 300 s (`ignition_delay_max_s`).
    const SOLID_COAST_LAUNCHER: &str = include_str!("../../../../tests/reference/solid-coast.toml");

    /// With its coast left to the ascent, the payload search finds the coast: it carries at least
    /// what the best of several fixed coasts in the range carries (the fixed ones searched cold,
    /// each to its own ~0.1 % resolution), far more than the shortest coast alone (6,065 kg),
    /// and the flight lights the stage that long after the separation below it. To 250 km at
    /// 51.6° from Cape Canaveral: 20 s 6,065 kg, 60 s 6,393 kg, 120 s 6,462 kg, 300 s 5,274 kg;
    /// the search 6,479 kg at 95 s, in fewer flights than the 120 s coast's cold search.
    #[test]
    fn a_solid_upper_stage_coast_in_a_range_is_searched() {
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("cape-canaveral").expect("Cape Canaveral");
        let target = TargetOrbit { perigee_m: 250e3, apogee_m: 250e3, inclination_deg: 51.6, argument_of_perigee_deg: None };
        let solve = |vehicle: &Vehicle| {
            maximize_payload(vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("targeted")
        };
        let fixed = |delay_s: f64| {
            let text = SOLID_COAST_LAUNCHER
                .replace("ignition_delay_max_s = 300.0\n", "")
                .replace("ignition_delay_s = 20.0", &format!("ignition_delay_s = {delay_s:.1}"));
            let vehicle = Vehicle::from_toml(&text, "fixed.toml").expect("reads").0;
            assert!(vehicle.chosen_coast().is_none());
            solve(&vehicle).payload_kg
        };
        let best_fixed_kg = [20.0, 60.0, 120.0, 300.0].map(fixed).into_iter().fold(f64::NEG_INFINITY, f64::max);
        let vehicle = Vehicle::from_toml(SOLID_COAST_LAUNCHER, "solid-coast.toml").expect("reads").0;
        let found = solve(&vehicle);
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        assert!(
            found.payload_kg >= best_fixed_kg - 0.001 * best_fixed_kg,
            "searched {:.1} kg, best fixed coast {best_fixed_kg:.1} kg",
            found.payload_kg
        );
        let coast_s = found.parameters.coast_s.expect("a chosen coast");
        assert!((20.0..=300.0).contains(&coast_s) && (coast_s - 20.0).abs() > 10.0, "{coast_s} s");
        let time_of = |kind: crate::flight::EventKind| found.flight.event(&kind).expect("event").point.time_s;
        let coasted_s =
            time_of(crate::flight::EventKind::Ignition { stage: 1 }) - time_of(crate::flight::EventKind::Separation { stage: 0 });
        assert!((coasted_s - coast_s).abs() < 1e-6, "flew {coasted_s} s, chose {coast_s} s");
    }

    /// A coast whose summit is the range's end, the best kick moving along the range
    /// (`solid-long-coast.toml` to a 500 km SSO from Plesetsk): the search lights the stage at the
    /// end and carries what that fixed coast carries searched cold. The scan with the first
    /// coast's kick held drew its summit at 219 s and stopped there (3,251 kg against 3,268 kg).
    #[test]
    fn a_coast_whose_summit_is_the_range_end_is_found_there() {
        const LONG_COAST: &str = include_str!("../../../../tests/reference/solid-long-coast.toml");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("plesetsk").expect("Plesetsk");
        let inclination_deg = crate::mission::orbits::sun_synchronous_inclination_deg(500.0).expect("sun-synchronous");
        let target = TargetOrbit { perigee_m: 500e3, apogee_m: 500e3, inclination_deg, argument_of_perigee_deg: None };
        let solve = |vehicle: &Vehicle| {
            maximize_payload(vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("targeted")
        };
        let at_the_end = Vehicle::from_toml(
            &LONG_COAST.replace("ignition_delay_max_s = 252.0\n", "").replace("ignition_delay_s = 2.9", "ignition_delay_s = 252.0"),
            "fixed.toml",
        )
        .expect("reads")
        .0;
        assert!(at_the_end.chosen_coast().is_none());
        let fixed_kg = solve(&at_the_end).payload_kg;
        let found = solve(&Vehicle::from_toml(LONG_COAST, "solid-long-coast.toml").expect("reads").0);
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        let coast_s = found.parameters.coast_s.expect("a chosen coast");
        assert!(coast_s > 252.0 - COAST_TOLERANCE_S, "chose {coast_s:.1} s");
        assert!(
            found.payload_kg >= fixed_kg - 0.001 * fixed_kg,
            "searched {:.1} kg, the end's fixed coast {fixed_kg:.1} kg",
            found.payload_kg
        );
    }

    /// A solid last stage burns past the point where a liquid one would cut off: the payload
    /// search must put its burnout on the orbit's energy. Every circular orbit is reached within
    /// the tolerances (200 and 300 km missed their apogee by 6 and 29 km, the search stopping
    /// anywhere above the orbit's energy), the payload falls with the height, and an ellipse
    /// above the parking orbit is flown.
    #[test]
    fn a_solid_last_stage_burns_out_on_the_orbit() {
        let vehicle = Vehicle::from_toml(SOLID_UPPER_LAUNCHER, "solid-upper.toml").expect("reads").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("cape-canaveral").expect("Cape Canaveral");
        let mut previous_kg = f64::INFINITY;
        for km in [180.0, 200.0, 300.0, 500.0] {
            let target = TargetOrbit { perigee_m: km * 1e3, apogee_m: km * 1e3, inclination_deg: 51.6, argument_of_perigee_deg: None };
            let found = maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .unwrap_or_else(|e| panic!("{km} km: {e}"));
            assert!(found.within_tolerance(&target), "{km} km: {:?}", found.orbit);
            assert!(found.payload_kg > 0.0 && found.payload_kg < previous_kg, "{km} km: {:.1} kg after {previous_kg:.1}", found.payload_kg);
            previous_kg = found.payload_kg;
        }
        // An ellipse beyond the parking orbit's energy: the reach check counts the surplus the
        // solid stage burns out with as Δv in hand (it counted none, and refused the ellipse).
        let ellipse = TargetOrbit { perigee_m: 200e3, apogee_m: 2_000e3, inclination_deg: 51.6, argument_of_perigee_deg: None };
        let found = maximize_payload(&vehicle, site, &ellipse, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .unwrap_or_else(|e| panic!("200 × 2,000 km: {e}"));
        assert!(found.within_tolerance(&ellipse) && found.payload_kg > 0.0, "{:?}", found.orbit);
    }

    /// Four solid stages, the last a kick motor of some 100 kg dry (figures of the Minotaur I
    /// class, rounded): a twentieth of a kilogram of its propellant moves the apogee of an 800 km
    /// circle by 3 km, so the burnout's energy is held to the apogee it moves, not to a mass.
    /// Payloads up to the largest it carries there all reach the orbit, the apogee within a
    /// quarter of the kilometre of tolerance (15 and 27–30.5 kg missed it by 1–3 km).
    #[test]
    fn a_small_solid_kick_stage_meets_the_apogee_at_any_payload() {
        let vehicle = Vehicle::from_toml(include_str!("../../../../tests/reference/solid-kick.toml"), "solid-kick.toml").expect("reads").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("vandenberg").expect("Vandenberg");
        let target = TargetOrbit { perigee_m: 800e3, apogee_m: 800e3, inclination_deg: 98.0, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        for kg in [15.0, 27.0, 29.0, 30.5] {
            let flown = super::super::targeting::fly_to_orbit(&vehicle, site, &target, Branch::Northbound, kg, options, &mut |_| {})
                .unwrap_or_else(|e| panic!("{kg} kg: {e}"));
            let apogee_km = flown.orbit.apogee_altitude_m() / 1e3;
            assert!((apogee_km - 800.0).abs() < 0.3, "{kg} kg: apogee {apogee_km:.3} km");
        }
    }

    /// Flown with a given payload lighter than the largest, a solid last stage would pass the
    /// orbit's energy: it weaves out of its plane to burn the surplus off (energy management),
    /// the lighter the payload the wider, down to no payload at all; the plane holds (the orbit
    /// is met at its inclination), and what the weave wastes shows as steering loss: with no
    /// payload, over the largest payload's, some `1 − cos` of the weave times the stage's ideal
    /// Δv (the along-track Δv a weave gives up; at least 80 % of it, the ascents differing).
    #[test]
    fn a_solid_last_stage_flies_a_given_payload_onto_the_orbit() {
        let vehicle = Vehicle::from_toml(SOLID_UPPER_LAUNCHER, "solid-upper.toml").expect("reads").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("cape-canaveral").expect("Cape Canaveral");
        let target = TargetOrbit { perigee_m: 250e3, apogee_m: 250e3, inclination_deg: 51.6, argument_of_perigee_deg: None };
        let options = FlightOptions::default();
        let max = maximize_payload(&vehicle, site, &target, Branch::Northbound, options, &mut |_| {}).expect("largest payload");
        let fly = |kg: f64| super::super::targeting::fly_to_orbit(&vehicle, site, &target, Branch::Northbound, kg, options, &mut |_| {});
        let weave_deg = |a: &super::super::targeting::TargetedAscent| match a.parameters.steering {
            crate::guidance::UpperSteering::Targeted(law) => law.energy_weave_deg,
            other => panic!("{other:?}"),
        };
        let steering_loss = |a: &super::super::targeting::TargetedAscent| a.flight.loss_budget.steering_loss_m_s;
        let mut previous: Option<(f64, f64)> = None;
        for kg in [max.payload_kg, max.payload_kg - 150.0, 0.5 * max.payload_kg, 0.0] {
            let flown = fly(kg).unwrap_or_else(|e| panic!("{kg:.1} kg: {e}"));
            assert!(target.reached_by(&flown.orbit), "{kg:.1} kg: {:?}", flown.orbit);
            assert!(flown.flight.event(&crate::flight::EventKind::Burnout { stage: 1 }).is_some(), "{kg:.1} kg: ends at the burnout");
            let (weave, loss) = (weave_deg(&flown), steering_loss(&flown));
            assert!(weave <= crate::guidance::MAX_ENERGY_WEAVE_DEG, "{kg:.1} kg: {weave}°");
            if let Some((weave0, loss0)) = previous {
                assert!(
                    weave > weave0 && loss > loss0,
                    "{kg:.1} kg: weave {weave:.2}° after {weave0:.2}°, loss {loss:.0} after {loss0:.0} m/s"
                );
            }
            previous = Some((weave, loss));
        }
        assert!(weave_deg(&fly(max.payload_kg).expect("largest")) < 1.0, "the largest payload needs (almost) no weave");
        // The weave's along-track waste, from the burn's ideal Δv with no payload.
        let empty = fly(0.0).expect("no payload");
        let upper = &vehicle.stages[1];
        let burnout = empty.flight.event(&crate::flight::EventKind::Burnout { stage: 1 }).expect("burnout").point.mass_kg;
        // The weave changes side at half the ideal Δv of the propellant the stage burns.
        let ignition = empty.flight.event(&crate::flight::EventKind::Ignition { stage: 1 }).expect("ignition").point.mass_kg;
        assert!(
            (ignition - burnout - upper.total_propellant_kg()).abs() < 1e-6 * upper.total_propellant_kg(),
            "burned {} kg",
            ignition - burnout
        );
        let ideal = upper.motor.as_ref().expect("solid").delivered_isp_vac_s()
            * crate::units::G0_M_S2
            * ((burnout + upper.total_propellant_kg()) / burnout).ln();
        let along = (1.0 - weave_deg(&empty).to_radians().cos()) * ideal;
        let heavier_loss = steering_loss(&fly(max.payload_kg).expect("largest"));
        assert!(
            steering_loss(&empty) - heavier_loss > 0.8 * along,
            "steering loss {:.0} m/s over {heavier_loss:.0}, along-track weave {along:.0} m/s",
            steering_loss(&empty)
        );
    }

    #[test]
    fn a_failed_one_burn_ascent_to_a_high_orbit_names_the_transfer() {
        let circular =
            |km: f64| TargetOrbit { perigee_m: km * 1e3, apogee_m: km * 1e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let soyuz = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let hint = one_burn_hint(&soyuz, &circular(2000.0));
        assert!(hint.contains("2000 km perigee") && hint.contains("max_burns"), "{hint}");
        assert_eq!(one_burn_hint(&soyuz, &circular(400.0)), "");
        // A restartable last stage can coast up: the hint would mislead.
        let briz = resolve_vehicle("angara-a5-briz-m").expect("catalog").0;
        assert!(briz.stages.last().unwrap().max_burns() >= 2);
        assert_eq!(one_burn_hint(&briz, &circular(2000.0)), "");
        // A last stage with a steering engine beside its main engine (Zenit-2's RD-120 and RD-8)
        // not flagged to burn on says what the flag does; flagged, as in the catalog, it does not.
        let zenit = resolve_vehicle("zenit-2").expect("catalog").0;
        assert!(zenit.stages[1].burn_on_engine.is_some());
        assert_eq!(one_burn_hint(&zenit, &circular(800.0)), "");
        let text = crate::vehicle::catalog::catalog_vehicle("zenit-2").expect("catalog").replace(", burns_on = true", "");
        let unflagged = Vehicle::from_toml(&text, "zenit-2.toml").expect("reads").0;
        let hint = one_burn_hint(&unflagged, &circular(800.0));
        assert!(hint.contains("steering engine") && hint.contains("burns_on = true") && !hint.contains("max_burns"), "{hint}");
        assert!(!one_burn_hint(&soyuz, &circular(800.0)).contains("steering engine"));
        assert_eq!(one_burn_hint(&unflagged, &circular(400.0)), "");
    }

    /// Electron (its second stage burns once) from Kourou to a 250 × 35,950 km transfer orbit:
    /// the reach bounds let the target through, no built-in guess can be targeted, and with a
    /// perigee below the walk's [`CONTINUATION_ABOVE_M`] the error says what the search saw
    /// (the closest of its ascents with no payload, a shortfall in m/s); the figure is finite and
    /// positive and no claim of what the vehicle cannot do.
    #[test]
    fn an_ascent_the_search_cannot_steer_gives_its_closest_shortfall() {
        let (v, _) = resolve_vehicle("electron").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("kourou").expect("site");
        let target = TargetOrbit { perigee_m: 250e3, apogee_m: 35_950e3, inclination_deg: 6.0, argument_of_perigee_deg: None };
        let e = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .expect_err("not targeted")
            .to_string();
        assert!(e.contains("could not be targeted") && !e.contains("cannot reach") && e.contains(CLOSEST_TRIED), "{e}");
        let short_m_s: f64 = e
            .split(" m/s short")
            .next()
            .and_then(|t| t.rsplit("about ").next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no shortfall in: {e}"));
        assert!(short_m_s > 0.0 && short_m_s < 2_000.0, "{e}");
    }

    /// Solid strap-ons flown to a retrograde orbit try the azimuth-corrected guesses first:
    /// H-IIA 202 from Tanegashima to a 500 km SSO reaches its orbit in about 930 flights, where
    /// the uncorrected guesses, tried first, took 2,350.
    #[test]
    fn solid_strap_ons_to_a_retrograde_orbit_start_from_the_corrected_azimuth() {
        let h2a = resolve_vehicle("h-iia-202").expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("tanegashima", h2a.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 500e3, apogee_m: 500e3, inclination_deg: 97.5, argument_of_perigee_deg: None };
        let found = maximize_payload(&h2a, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        assert!(found.flights < 1_500, "{} flights", found.flights);
    }

    /// A lofted ascent the built-in guesses miss is reached from a lower orbit's: Soyuz-2.1v's
    /// one-burn Block I to a 780 km SSO from Vostochny, which a sweep reaches from 700 km up,
    /// was refused on its own (its closest guess 12 m/s short with no payload); walked up from
    /// 680 km it carries some 300 kg, between the sweep's 443 kg at 760 km and 191 kg at 800 km.
    /// Angara-1.2 from Kennedy to 900 km at 30°, near the edge of its reach, too, and Soyuz-2.1v
    /// from Kourou to 800 km, whose last step is halved.
    #[test]
    fn a_high_circular_orbit_the_guesses_miss_is_walked_up_to_from_a_lower_one() {
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        // The payload of `id` from `cosmodrome` to `altitude_km` circular at `inclination_deg`
        // (its sun-synchronous one when `None`), reached, within `payload_kg`.
        let walked = |id: &str, cosmodrome: &str, altitude_km: f64, inclination_deg: Option<f64>, payload_kg: std::ops::Range<f64>| {
            let vehicle = resolve_vehicle(id).expect("catalog").0;
            let site = sites.pad_for(cosmodrome, vehicle.family.as_deref()).expect("pad").site;
            let inclination_deg =
                inclination_deg.unwrap_or_else(|| crate::mission::orbits::sun_synchronous_inclination_deg(altitude_km).expect("an SSO"));
            let target =
                TargetOrbit { perigee_m: altitude_km * 1e3, apogee_m: altitude_km * 1e3, inclination_deg, argument_of_perigee_deg: None };
            let found =
                maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
            assert!(found.within_tolerance(&target), "{id}: {:?}", found.orbit);
            assert!(payload_kg.contains(&found.payload_kg), "{id}: {} kg", found.payload_kg);
        };
        walked("soyuz-2.1v", "vostochny", 780.0, None, 191.0..443.0);
        // Near the edge of reach a step takes hundreds of flights: Angara-1.2 from Kennedy to
        // 900 km at 30°, which a sweep reaches from 700 km (93 kg), was refused when a step had
        // 600 flights (825 → 850 km took 687).
        walked("angara-1.2", "kennedy", 900.0, Some(30.0), 50.0..449.0);
        // A step that fails is halved: Soyuz-2.1v from Kourou to its 800 km SSO failed 775 →
        // 800 km (349 kg at 775 km; a sweep carries 152 kg at 800 km from 780 km's 287 kg).
        walked("soyuz-2.1v", "kourou", 800.0, None, 100.0..349.0);
    }

    /// The payload of catalog vehicle `id` from `cosmodrome` to a sun-synchronous orbit `km`
    /// high, kg: searched alone, and from the answer at `below_km` as a sweep's next point is.
    fn sso_alone_and_from_below(id: &str, cosmodrome: &str, km: f64, below_km: f64) -> (f64, f64) {
        let vehicle = resolve_vehicle(id).expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for(cosmodrome, vehicle.family.as_deref()).expect("pad").site;
        let sso = |km: f64| TargetOrbit {
            perigee_m: km * 1e3,
            apogee_m: km * 1e3,
            inclination_deg: crate::mission::orbits::sun_synchronous_inclination_deg(km).expect("an SSO"),
            argument_of_perigee_deg: None,
        };
        let solve = |km: f64, start: Option<&WarmStart>| {
            maximize_payload_from(&vehicle, site, &sso(km), Branch::Northbound, FlightOptions::default(), &[], start, &mut |_| {})
                .unwrap_or_else(|e| panic!("{id}, {km} km: {e}"))
        };
        let alone = solve(km, None);
        let neighbour = solve(km, Some(&solve(below_km, None).warm_start));
        assert!(neighbour.warm_started && neighbour.solution.within_tolerance(&sso(km)), "{id}");
        (alone.solution.payload_kg, neighbour.solution.payload_kg)
    }

    /// The kick search's range (a factor either side of the open-loop kick) bounds nothing
    /// physical: Soyuz-2.1v's one-burn Block I to a 700 km SSO from Vandenberg climbs steeper
    /// than the lowest kick of its range, where the search stopped with 838.6 kg. A sweep's
    /// point started from 600 km stopped at its own range's end (827.4 kg). Past the ends both
    /// climb to the same summit.
    #[test]
    fn a_kick_summit_past_the_range_end_is_climbed_to() {
        let (alone, from_below) = sso_alone_and_from_below("soyuz-2.1v", "vandenberg", 700.0, 600.0);
        assert!(alone > 840.0, "alone {alone:.1} kg");
        assert!((alone - from_below).abs() <= 0.001 * alone, "alone {alone:.1} kg, from the 600 km neighbour {from_below:.1} kg");
    }

    /// A last stage that burns once climbs to a high circular orbit in one of two families of
    /// ascents, and the payload over the kick has a summit for each: Electron to a 500 km SSO
    /// from Vandenberg climbed from its first kick to 53.1 kg at a 24.6° kick (the upper
    /// stage's pitch starting at 62°), where a 19.1° kick carries 72.5 kg (46°), the answer a
    /// sweep's point started from 400 km finds. Probed beside its summit, the lone search finds
    /// the higher one too.
    #[test]
    fn a_one_burn_ascent_finds_the_higher_of_two_kick_summits() {
        let (alone, from_below) = sso_alone_and_from_below("electron", "vandenberg", 500.0, 400.0);
        assert!((alone - from_below).abs() <= 0.002 * from_below, "alone {alone:.1} kg, from the 400 km neighbour {from_below:.1} kg");
    }

    /// The refusal of catalog vehicle `id` from `cosmodrome` to a circular orbit `km` high at
    /// `inclination_deg`, and the height of the orbit its walk from lower orbits reached, km.
    fn walked_to_before_refusal(id: &str, cosmodrome: &str, km: f64, inclination_deg: f64) -> (String, f64) {
        let vehicle = resolve_vehicle(id).expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for(cosmodrome, vehicle.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: km * 1e3, apogee_m: km * 1e3, inclination_deg, argument_of_perigee_deg: None };
        match maximize_payload(&vehicle, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}) {
            Err(Error::Unreachable(m)) => {
                let reached = m.split("the ascent reached ").nth(1).unwrap_or_else(|| panic!("{m}"));
                let reached_km: f64 = reached.split(" × ").next().and_then(|k| k.parse().ok()).unwrap_or_else(|| panic!("{m}"));
                assert!(reached.contains("kg; the next step up could not be targeted"), "{m}");
                assert!(!m.contains(CLOSEST_TRIED), "the walk's orbit in place of the closest ascent: {m}");
                (m, reached_km)
            }
            other => panic!("{id}: {:?}", other.map(|s| s.payload_kg)),
        }
    }

    /// A circular orbit beyond the walk's reach is refused saying where the walk stopped:
    /// Soyuz-2.1v from Plesetsk to 1,000 km at 97.4°, whose payload runs out some 830 km up
    /// (a sweep: 170 kg at 800 km). The search's closest ascent alone ("32 m/s short") said
    /// nothing of how far the vehicle gets.
    #[test]
    fn an_orbit_beyond_the_walk_is_refused_naming_the_highest_reached() {
        let (m, km) = walked_to_before_refusal("soyuz-2.1v", "plesetsk", 1_000.0, 97.4);
        assert!((700.0..1_000.0).contains(&km), "{m}");
    }

    /// A circular orbit far beyond a one-burn vehicle's reach, where neither lower orbit the walk
    /// starts from flies from the guesses, is refused with the highest orbit a walk from a
    /// bisected start reached: Angara-1.2 from Vostochny to 1,500 km, whose reach ends near
    /// 900 km (the refusal quoted "141 m/s short" before, from whichever failed ascent came
    /// closest, and 11 m/s at 1,700 km).
    #[test]
    fn a_target_far_beyond_reach_names_the_highest_orbit_walked_to() {
        let (m, km) = walked_to_before_refusal("angara-1.2", "vostochny", 1_500.0, 51.9);
        assert!((850.0..950.0).contains(&km), "{m}");
        assert!(m.contains("its last stage burns once"), "the one-burn hint stays: {m}");
    }

    /// Into a plane just above the site's latitude (Vostochny, 51.88°, to 51.9°) the two legs
    /// launch a few degrees either side of due east, and each is flown as asked: Soyuz-2.1v's
    /// northbound search settled on the southbound leg's 95.5° before, and both legs gave the
    /// same ascent. The legs carry within a few kg of each other.
    #[test]
    fn each_leg_keeps_its_side_of_due_east_at_the_site_latitude() {
        let soyuz = resolve_vehicle("soyuz-2.1v").expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", soyuz.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
        let leg = |branch| maximize_payload(&soyuz, site, &target, branch, FlightOptions::default(), &mut |_| {}).expect("payload");
        let (north, south) = (leg(Branch::Northbound), leg(Branch::Southbound));
        assert!(north.within_tolerance(&target) && south.within_tolerance(&target));
        assert!(
            north.launch.azimuth_deg < 90.0 && south.launch.azimuth_deg > 90.0,
            "{} / {}",
            north.launch.azimuth_deg,
            south.launch.azimuth_deg
        );
        assert!((north.payload_kg - south.payload_kg).abs() < 0.005 * south.payload_kg, "{} / {}", north.payload_kg, south.payload_kg);
    }

    /// The ISS's plane (51.6°) lies below Vostochny's latitude (51.88°): no launch azimuth
    /// reaches it, and it was refused. Soyuz-2.1b now launches due east and doglegs into it,
    /// carrying about what the site's own plane (51.9°) takes; a plane the dogleg does not
    /// turn to, and one far beyond the latitude, are refused saying why. Falcon 9's restartable
    /// second stage likewise, to the pad's geocentric latitude.
    #[test]
    fn a_plane_just_below_the_site_latitude_is_reached_by_a_dogleg() {
        let soyuz = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", soyuz.family.as_deref()).expect("pad").site;
        let at = |inclination_deg: f64| TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg, argument_of_perigee_deg: None };
        let payload =
            |target: &TargetOrbit| maximize_payload(&soyuz, site, target, Branch::Northbound, FlightOptions::default(), &mut |_| {});
        let iss = at(51.6);
        let found = payload(&iss).expect("the ISS's plane");
        assert!(found.within_tolerance(&iss), "{:?}", found.orbit);
        assert_eq!(found.launch.azimuth_deg, 90.0);
        let crate::guidance::UpperSteering::Targeted(law) = found.parameters.steering else { panic!("targeted") };
        assert!(law.dogleg_deg != 0.0, "{law:?}");
        let own_plane = payload(&at(51.9)).expect("the site's plane").payload_kg;
        assert!((found.payload_kg - own_plane).abs() < 0.01 * own_plane, "{:.0} kg vs {own_plane:.0} kg", found.payload_kg);
        // Near the edge of the dogleg's reach the turn costs payload: turned at Block I's
        // ignition it reaches 50.5° (at the fairing's jettison, 51.1°).
        let edge = payload(&at(50.5)).expect("50.5°");
        assert!(edge.within_tolerance(&at(50.5)) && edge.payload_kg < found.payload_kg - 300.0, "{:.0} kg", edge.payload_kg);
        let too_far = payload(&at(50.0)).expect_err("beyond the dogleg").to_string();
        assert!(too_far.contains("dogleg") && too_far.contains("51.884°") && too_far.contains("° off"), "{too_far}");
        let far_beyond = payload(&at(46.0)).expect_err("beyond the latitude").to_string();
        assert!(far_beyond.contains("a dogleg closes at most 5°") && far_beyond.contains("5.9° beyond"), "{far_beyond}");
        // A restartable last stage doglegs down to the pad's geocentric latitude: Falcon 9 from
        // Cape Canaveral (28.56°) to 28.5°, refused before, carries what 28.6° takes.
        let falcon = resolve_vehicle("falcon-9-block-5").expect("catalog").0;
        let cape = sites.pad_for("cape-canaveral", falcon.family.as_deref()).expect("pad").site;
        let falcon_to = |inclination_deg: f64| {
            let target = at(inclination_deg);
            let found =
                maximize_payload(&falcon, cape, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
            assert!(found.within_tolerance(&target), "{:?}", found.orbit);
            found.payload_kg
        };
        let (below, own) = (falcon_to(28.5), falcon_to(28.6));
        assert!((below - own).abs() < 0.01 * own, "{below:.0} kg vs {own:.0} kg");
    }

    /// A low-thrust last stage (Fregat-MT) loaded full cannot lift 2 % of the liftoff mass to a
    /// 500 km SSO whatever the steering: the search tries the lighter payload guesses at the
    /// first pitch-over speed before the second speed's steering guesses and the
    /// azimuth-corrected ones, and targets in 185 flights where trying all sixteen steering
    /// guesses at the heavy payload first took 529.
    #[test]
    fn a_low_thrust_last_stage_tries_a_lighter_guess_before_another_pitch_over_speed() {
        let soyuz = resolve_vehicle("soyuz-2.1b-fregat").expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("vostochny", soyuz.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 500e3, apogee_m: 500e3, inclination_deg: 97.4, argument_of_perigee_deg: None };
        let ascent = DirectAscent { vehicle: &soyuz, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let found = maximize_payload_as_loaded(&ascent, &[], None, &mut |_| {}).expect("targeted").solution;
        assert!(found.within_tolerance(&target), "{:?}", found.orbit);
        assert!(found.payload_kg < 0.02 * soyuz.liftoff_mass_kg(0.0), "{:.0} kg", found.payload_kg);
        assert_eq!(found.parameters.pitch_over_min_air_speed_m_s, crate::optimize::targeting::INITIAL_PITCH_OVER_SPEEDS_M_S[0]);
        assert!(found.flights < 350, "{} flights", found.flights);
    }

    /// An apogee some 400,000 km out moves 4,700 km per m/s at the perigee, so the propellant
    /// margin would have to be settled below 1e-4 kg for the engines to run dry exactly at the
    /// target energy: the polish holds a few tenths of a kilogram back instead, the engines are
    /// cut off at the energy, and the orbit is met to the kilometre (Angara-A5 ran dry 4.4 km
    /// short and was refused). The payload stays between the lower and the higher apogee's.
    #[test]
    fn an_apogee_at_lunar_distance_is_met_to_the_kilometre() {
        let (v, _) = resolve_vehicle("angara-a5").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.get("vostochny").expect("site");
        let to = |apogee_m: f64| {
            let target = TargetOrbit { perigee_m: 200e3, apogee_m, inclination_deg: 51.9, argument_of_perigee_deg: None };
            let found = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
            assert!(found.within_tolerance(&target), "{:?}", found.orbit);
            found
        };
        let lunar = to(400_000e3);
        let end = end_of_powered(&v, &lunar.flight).expect("cutoff");
        assert!(end.cut_off && lunar.flight.remaining_propellant_kg > 0.0, "{} kg left", lunar.flight.remaining_propellant_kg);
        let (lower, higher) = (to(100_000e3).payload_kg, to(900_000e3).payload_kg);
        assert!(higher < lunar.payload_kg && lunar.payload_kg < lower, "{higher:.1} < {:.1} < {lower:.1} kg", lunar.payload_kg);
    }

    /// A restartable last stage whose best load is the file's full load is not reported as
    /// offloaded: Falcon 9 to 200 km from Cape Canaveral burns its second stage's whole load.
    #[test]
    fn a_full_load_is_not_reported_as_an_offload() {
        let (v, _) = resolve_vehicle("falcon-9-block-5").expect("catalog");
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("cape-canaveral", v.family.as_deref()).expect("pad").site;
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 28.6, argument_of_perigee_deg: None };
        let found = maximize_payload(&v, site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {}).expect("payload");
        assert_eq!(found.upper_stage_load_kg, None, "{:.0} kg loaded", super::super::transfer::upper_stage_load_kg(&v));
        assert!(found.payload_kg > 20_000.0, "{:.0} kg", found.payload_kg);
    }

    /// Another propellant load of PSLV-XL's PS4, started from the dead-mass end's ascent with
    /// its kick searched over the whole range, reaches the answer of the built-in guesses (to
    /// the search's tolerances) in fewer flights: what the load search's distant starts rely on.
    #[test]
    fn a_distant_start_reaches_the_cold_answer_in_fewer_flights() {
        let pslv = resolve_vehicle("pslv-xl").expect("catalog").0;
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let site = sites.pad_for("sriharikota", pslv.family.as_deref()).expect("pad").site;
        let target = TargetOrbit {
            perigee_m: 200e3,
            apogee_m: 200e3,
            inclination_deg: site.default_inclination_deg(),
            argument_of_perigee_deg: None,
        };
        let solve = |fraction: f64, start: Option<&WarmStart>| {
            let v = super::super::transfer::offloaded(&pslv, fraction);
            let ascent = DirectAscent { vehicle: &v, site, target, branch: Branch::Northbound, options: FlightOptions::default() };
            maximize_payload_as_loaded(&ascent, &[], start, &mut |_| {}).expect("targeted")
        };
        let dead_mass = solve(0.001, None);
        let cold = solve(0.6, None);
        let distant = solve(0.6, Some(&dead_mass.warm_start.distant()));
        assert!(distant.warm_started);
        let (cold_kg, distant_kg) = (cold.solution.payload_kg, distant.solution.payload_kg);
        assert!((distant_kg - cold_kg).abs() < 2.0, "{distant_kg:.1} kg against {cold_kg:.1} kg cold");
        assert!(distant.solution.flights < cold.solution.flights, "{} flights against {}", distant.solution.flights, cold.solution.flights);
    }
}
