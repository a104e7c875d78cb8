//! Targeted ascent to an orbit through the flight simulator: what `payload` and the closed-loop
//! `fly` share.
//!
//! The ascent is the flight simulator's own (rotating oblate Earth, USSA76, staging, thrust
//! varying with ambient pressure), steered by [`AscentProgram`] with [`UpperSteering::Targeted`]:
//! a vertical rise, a pitch-over kick and a zero-angle-of-attack gravity turn through the
//! atmosphere, then from the first separation a linear-tangent pitch law in the plane of
//! motion, and engine cutoff at the target orbital energy.
//!
//! The problem splits the way the physics does:
//!
//! - **Targeting** (inner): for a given kick, the initial pitch and pitch rate of the
//!   linear-tangent law and the launch azimuth are solved by damped Newton ([`super::newton`])
//!   so that engine cutoff happens at the perigee radius with zero flight-path angle (insertion
//!   at perigee) and at the target inclination. The energy cutoff fixes the semi-major axis, so
//!   perigee and apogee follow exactly. On an eccentric target the insertion may lie above the
//!   perigee, on the orbit's way up (radius and flight-path angle of the orbit there): its
//!   height is searched too (`Problem::optimize_insertion`), since a low-thrust last stage
//!   gains most by injecting well past the perigee. When the payload is the unknown (`payload`), a fourth
//!   unknown, the payload, meets a fourth condition: the cutoff comes with the last drop of
//!   usable propellant. With a given payload (`fly`) the propellant left at cutoff is what the
//!   ascent has to spare.
//! - **Ascent shape** (outer): the kick decides the gravity turn; the payload (or, with a given
//!   payload, the propellant to spare) as a function of the kick is maximised by Brent's method
//!   ([`super::scalar::maximize_near`]): steps out from the first kick targeted bracket the
//!   maximum, so every kick tried lies near one solved before, and its targeting starts on the
//!   secant through the two nearest solved kicks. Linear-tangent steering is the vacuum
//!   flat-Earth optimum (Bryson & Ho §2.7), so once it is targeted no steering freedom is left
//!   worth optimizing.
//! - **Constraints**: when that ascent exceeds the vehicle's max-Q limit or drops a stage outside
//!   its designated zone ([`crate::dropzone::designated`]), the objective falls off either side
//!   of it, so the answer is the nearest kick on either side that keeps them, found by walking
//!   out and bisecting the boundary.
//!
//! Targeting conditions are smooth functions of the unknowns (a perigee-altitude condition
//! would not be: for a circular target it is the tip of a cone in the velocity), which is what
//! lets Newton converge in a few flights.

use nalgebra::SMatrix;

use crate::dropzone::designated::{check_nominal, worst_excess, DesignatedZone};
use crate::environment::earth::{MU_EARTH_M3_S2, WGS84_A_M};
use crate::environment::elements::{specific_energy, vis_viva_speed_m_s, OrbitalElements};
use crate::error::{Error, Result};
use crate::flight::{fly, EventKind, FlightOptions, FlightPoint, FlightResult, FlightSetup, JettisonedBody, Launch};
use crate::guidance::ascent::{tune_pitch_kick, DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, KICK_SEARCH_FLIGHTS};
use crate::guidance::{
    launch_azimuth, AscentParameters, AscentProgram, Branch, DoglegTurn, ExoSteering, SteeringStart, UpperSteering, MAX_ENERGY_WEAVE_DEG,
};
use crate::optimize::Progress;
use crate::units::wrap_degrees;
use crate::vehicle::{Site, StageKind, Vehicle};

use super::newton::{self, NewtonOptions};
use super::scalar;

mod guesses;
pub(crate) use guesses::separates_low;
mod insertion;

/// One ascent flown directly to an orbit: `vehicle` from `site` on the `branch` to `target`'s
/// plane, every flight integrated with `options`. The targeted ascent with a given payload and
/// the elliptic profile weighed against it need the same five facts at every step; they travel
/// together rather than as five arguments.
#[derive(Debug, Clone, Copy)]
pub struct DirectAscent<'a> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// The pad it flies from.
    pub site: &'a Site,
    /// The orbit the ascent (or the elliptic profile's circularization) ends in.
    pub target: TargetOrbit,
    /// Northbound or southbound leg to the target's inclination.
    pub branch: Branch,
    /// Flight options (the sampling of the reported flight).
    pub options: FlightOptions,
}

/// The target orbit, altitudes above the equatorial radius as user's manuals quote them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetOrbit {
    /// Perigee altitude, m.
    pub perigee_m: f64,
    /// Apogee altitude, m.
    pub apogee_m: f64,
    /// Inclination, degrees.
    pub inclination_deg: f64,
    /// Argument of perigee the ascent must hold, degrees (an eccentric orbit flown directly:
    /// where its perigee lies, counted from the ascending node); `None`: where the ascent that
    /// carries the most puts it.
    pub argument_of_perigee_deg: Option<f64>,
}

impl TargetOrbit {
    /// Semi-major axis, m.
    pub fn semi_major_axis_m(&self) -> f64 {
        WGS84_A_M + 0.5 * (self.perigee_m + self.apogee_m)
    }

    /// Specific orbital energy, J/kg.
    pub fn energy_j_kg(&self) -> f64 {
        -MU_EARTH_M3_S2 / (2.0 * self.semi_major_axis_m())
    }

    /// Whether a direct ascent's cutoff height above the perigee is searched
    /// ([`Problem::optimize_insertion`]): an eccentric target; a (nearly) circular one is
    /// entered at its perigee.
    pub(super) fn insertion_searched(&self) -> bool {
        self.insertion_span_m() >= MIN_INSERTION_SPAN_M
    }

    /// Heights above the perigee a direct ascent's cutoff is searched over, m: up the ellipse to
    /// its apogee, at most [`MAX_INSERTION_HEIGHT_M`].
    fn insertion_span_m(&self) -> f64 {
        (self.apogee_m - self.perigee_m).min(MAX_INSERTION_HEIGHT_M)
    }

    /// Two-body period, s.
    pub fn period_s(&self) -> f64 {
        std::f64::consts::TAU * (self.semi_major_axis_m().powi(3) / MU_EARTH_M3_S2).sqrt()
    }

    /// Check the orbit: perigee ≥ 100 km, apogee ≥ perigee and inside the Earth's sphere of
    /// influence, inclination within 0–180°.
    pub fn check(&self) -> Result<()> {
        if self.perigee_m.is_nan() || self.apogee_m.is_nan() {
            return Err(Error::invalid("target orbit", "the perigee and the apogee must be numbers, got NaN".to_owned()));
        }
        // Before the order of the two: an altitude past the sphere of influence (a mistyped
        // exponent, one whose metres overflowed) is said as such, not as a rule it keeps.
        let (beyond, which) = if self.apogee_m >= self.perigee_m { (self.apogee_m, "apogee") } else { (self.perigee_m, "perigee") };
        if beyond > EARTH_SPHERE_OF_INFLUENCE_M {
            return Err(Error::invalid(
                "target orbit",
                format!(
                    "{which} {} km lies beyond the Earth's sphere of influence ({:.0} km), where the Sun, not the Earth, holds \
                     the orbit; a departure from the Earth is the named orbit `escape`",
                    crate::error::quantity_text(beyond, 1e3, Some(0)),
                    EARTH_SPHERE_OF_INFLUENCE_M / 1e3
                ),
            ));
        }
        // Each rule on its own, so that the error names the altitude at fault.
        let km = |m: f64| crate::error::quantity_text(m, 1e3, Some(1));
        if !(self.perigee_m >= 100e3) {
            return Err(Error::invalid("target orbit", format!("perigee must be ≥ 100 km, got {} km", km(self.perigee_m))));
        }
        if !(self.apogee_m >= self.perigee_m) {
            return Err(Error::invalid(
                "target orbit",
                format!(
                    "apogee {} km is below the perigee {} km: the apogee must be at or above the perigee",
                    km(self.apogee_m),
                    km(self.perigee_m)
                ),
            ));
        }
        if !(self.inclination_deg.is_finite() && (0.0..=180.0).contains(&self.inclination_deg)) {
            return Err(Error::invalid("target inclination", format!("must be within 0–180°, got {}", self.inclination_deg)));
        }
        if let Some(w) = self.argument_of_perigee_deg {
            if !(w.is_finite() && (0.0..=360.0).contains(&w)) {
                return Err(Error::invalid(ARGUMENT_OF_PERIGEE_INPUT, format!("must be within 0–360°, got {w}")));
            }
            if !self.insertion_searched() {
                return Err(Error::invalid(
                    ARGUMENT_OF_PERIGEE_INPUT,
                    format!(
                        "a {:.0} × {:.0} km orbit is (nearly) circular: it has no perigee to place (apogee at least {:.0} km above the perigee)",
                        self.perigee_m / 1e3,
                        self.apogee_m / 1e3,
                        MIN_INSERTION_SPAN_M / 1e3
                    ),
                ));
            }
        }
        Ok(())
    }

    /// This orbit with the argument of perigee the ascent is to hold (`None`: left free), that
    /// element checked before any flight. An error names [`ARGUMENT_OF_PERIGEE_INPUT`], which a
    /// front end maps to its own flag or member; the other elements are checked, as before, by
    /// the mission that flies the orbit.
    pub fn holding_argument_of_perigee(self, argument_of_perigee_deg: Option<f64>) -> Result<Self> {
        // −0° is 0°, and said so.
        let held = Self { argument_of_perigee_deg: argument_of_perigee_deg.map(|w| w + 0.0), ..self };
        match held.check() {
            Err(e) if matches!(&e, Error::InvalidInput { name, .. } if name == ARGUMENT_OF_PERIGEE_INPUT) => Err(e),
            _ => Ok(held),
        }
    }

    /// Whether `orbit` is this one within the contract's tolerances ([`PERIGEE_TOLERANCE_M`],
    /// [`APOGEE_TOLERANCE_M`], [`INCLINATION_TOLERANCE_DEG`]).
    pub fn reached_by(&self, orbit: &OrbitalElements) -> bool {
        (orbit.perigee_altitude_m() - self.perigee_m).abs() <= PERIGEE_TOLERANCE_M
            && (orbit.apogee_altitude_m() - self.apogee_m).abs() <= APOGEE_TOLERANCE_M
            && (orbit.inclination_rad.to_degrees() - self.inclination_deg).abs() <= INCLINATION_TOLERANCE_DEG
            && self
                .argument_of_perigee_deg
                .is_none_or(|w| wrap_degrees(orbit.arg_perigee_rad.to_degrees() - w).abs() <= ARGUMENT_OF_PERIGEE_TOLERANCE_DEG)
    }

    /// `200 × 200 km at 51.90°`.
    pub fn describe(&self) -> String {
        let perigee = self.argument_of_perigee_deg.map_or_else(String::new, |w| format!(", argument of perigee {w:.1}°"));
        format!("{:.0} × {:.0} km at {:.2}°{perigee}", self.perigee_m / 1e3, self.apogee_m / 1e3, self.inclination_deg)
    }
}

/// Radius of the Earth's sphere of influence in the Sun's field, m: Laplace's a (m/M)^(2/5)
/// with a = 1 au and the Sun-to-Earth mass ratio 332,946 (IAU 2009 constants). An apogee
/// beyond it is no Earth orbit.
pub const EARTH_SPHERE_OF_INFLUENCE_M: f64 = 924.6e6;

/// Tolerances of the achieved orbit (the contract's: 1 km, 1 km, 0.05°).
pub const PERIGEE_TOLERANCE_M: f64 = 1e3;
/// See [`PERIGEE_TOLERANCE_M`].
pub const APOGEE_TOLERANCE_M: f64 = 1e3;
/// See [`PERIGEE_TOLERANCE_M`].
pub const INCLINATION_TOLERANCE_DEG: f64 = 0.05;
/// The input an invalid argument of perigee of a [`TargetOrbit`] is refused under
/// ([`TargetOrbit::check`]): front ends map it to their own flag or member.
pub const ARGUMENT_OF_PERIGEE_INPUT: &str = "target argument of perigee";
/// How a refused hold of the argument of perigee ends (`Problem::hold_argument_of_perigee`):
/// [`or_what_the_other_leg_does`] replaces it with what that leg does.
const OTHER_LEG: &str = ", and the other leg to the inclination starts from the other side of the node";

/// When `e` refuses a hold of the argument of perigee ([`Problem::hold_argument_of_perigee`]:
/// the ascents were targeted, and none is cut off where it places the perigee), its reason
/// without the other leg's ending; `None` for any other error.
pub(crate) fn refused_hold(e: &Error) -> Option<&str> {
    match e {
        Error::Unreachable(why) => why.strip_suffix(OTHER_LEG),
        _ => None,
    }
}

/// `found`, or when it is a hold of the argument of perigee the ascents on `branch` cannot place,
/// that refusal with what the other leg does (`flown_on` flies it; `carried` says what it
/// carries). From Kourou into a 6° orbit the two legs start 60° of argument of latitude apart,
/// and one may hold what the other cannot (Ariane 5 ECA's standard GTO, 178°: refused
/// northbound, held southbound). The other leg is not flown instead: the leg is the mission's
/// (the range, where the stages fall).
pub(crate) fn or_what_the_other_leg_does<T>(
    target: &TargetOrbit,
    branch: Branch,
    found: Result<T>,
    flown_on: impl FnOnce(Branch) -> Result<T>,
    carried: impl FnOnce(&T) -> String,
) -> Result<T> {
    let refused = match &found {
        Err(e) if target.argument_of_perigee_deg.is_some() => refused_hold(e).map(str::to_owned),
        _ => None,
    };
    let Some(why) = refused else { return found };
    let other = branch.other();
    let said = match flown_on(other) {
        Ok(t) => format!("; the {} leg holds it{}", other.name(), carried(&t)),
        Err(_) => format!("; the {} leg does not hold it either", other.name()),
    };
    Err(Error::Unreachable(format!("{why}{said}")))
}
/// Tolerance of a held argument of perigee, degrees: as a transfer's burns hold it.
pub const ARGUMENT_OF_PERIGEE_TOLERANCE_DEG: f64 = 0.5;

/// A targeted ascent with a given payload: the flight `cosmodrome fly` flies by default.
#[derive(Debug, Clone)]
pub struct TargetedAscent {
    /// Payload carried, kg.
    pub payload_kg: f64,
    /// Launch from the pad with its azimuth.
    pub launch: Launch,
    /// The ascent parameters found.
    pub parameters: AscentParameters,
    /// The flight (sampled when the options ask for samples).
    pub flight: FlightResult,
    /// Osculating orbit at engine cutoff.
    pub orbit: OrbitalElements,
    /// Usable propellant left aboard at engine cutoff, kg: what this ascent has to spare.
    pub propellant_margin_kg: f64,
    /// Usable propellant of the restartable upper stage when it was offloaded, kg: the load of
    /// the largest payload into this orbit, flown when the file's full load cannot carry the
    /// payload there ([`fly_to_orbit`]); `None`: loaded as the vehicle file says.
    pub upper_stage_load_kg: Option<f64>,
    /// Kicks tried by the ascent-shape search, each a targeting solve.
    pub kick_evaluations: usize,
    /// Flights flown.
    pub flights: usize,
}

impl TargetedAscent {
    /// `vehicle` as this ascent flew it (its upper stage offloaded when it had to be).
    pub fn flown_vehicle<'v>(&self, vehicle: &'v Vehicle) -> std::borrow::Cow<'v, Vehicle> {
        super::transfer::as_flown(vehicle, self.upper_stage_load_kg)
    }
}

/// Scales of the targeting unknowns (all of order one once scaled): initial pitch 10°,
/// tan-pitch rate 1e-3/s, launch azimuth 1°; the payload's scale is 1 % of the liftoff mass.
///
/// The inclination is reached by the launch azimuth, not by yawing the upper stage: the whole
/// ascent then lies in the orbit plane and no propellant goes into turning it. Only when the
/// site's azimuth corridors forbid that azimuth (range safety) is the launch azimuth fixed at the
/// nearest allowed one, and the third unknown is then the turn of the upper stages' steering
/// plane instead (a dogleg, [`ExoSteering::dogleg_deg`]), scaled as the azimuth: 1°.
const PITCH_SCALE_DEG: f64 = 10.0;
const RATE_SCALE_PER_S: f64 = 1e-3;
const AZIMUTH_SCALE_DEG: f64 = 1.0;
const PAYLOAD_SCALE_OF_LIFTOFF: f64 = 0.01;

/// Scales of the targeting conditions: 1 km in radius, 0.01° in flight-path angle and
/// inclination, 10 kg of propellant (less to polish a high apogee, see [`margin_scale_kg`]).
const RADIUS_SCALE_M: f64 = 1e3;
const FLIGHT_PATH_SCALE_DEG: f64 = 0.01;
const INCLINATION_SCALE_DEG: f64 = 0.01;
const MARGIN_SCALE_KG: f64 = 10.0;

/// Scale of the propellant-margin condition that holds `target`'s apogee as tightly as a low
/// orbit's, kg: [`MARGIN_SCALE_KG`] to low orbits, less in proportion as the target's apogee is
/// more sensitive to the speed at its perigee (`dr_a/dv = 4a²v_p/μ`) than a 200 km circular
/// orbit's (3.4 km per m/s). The margin's tolerance, 0.1 kg, moves a 200 km orbit's apogee by
/// some 50 m, but a GTO's, at 61 km per m/s, by 1–2 km, past the contract's 1 km. Only the
/// search's answer is polished at this scale ([`Problem::polish`]): the search itself, held to
/// it, leaves more kicks untargeted and can settle on a lower optimum (Ariane 5 ECA to GTO from
/// Vostochny: 8,709 kg instead of 8,806 kg).
fn margin_scale_kg(target: &TargetOrbit) -> f64 {
    let apogee_per_speed = |perigee_radius_m: f64, apogee_radius_m: f64| {
        let a = 0.5 * (perigee_radius_m + apogee_radius_m);
        4.0 * a * a * vis_viva_speed_m_s(perigee_radius_m, a) / MU_EARTH_M3_S2
    };
    let reference = apogee_per_speed(WGS84_A_M + 200e3, WGS84_A_M + 200e3);
    let this = apogee_per_speed(WGS84_A_M + target.perigee_m, WGS84_A_M + target.apogee_m.max(target.perigee_m));
    MARGIN_SCALE_KG * (reference / this).min(1.0)
}

/// How [`Problem::polish`] holds the propellant margin of a search's answer whose apogee strays
/// past the tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Polish {
    /// At the apogee's scale ([`margin_scale_kg`]): the engines still run dry at the target
    /// energy, the margin settled to what the apogee needs.
    Tight,
    /// [`POLISH_RESERVE_KG`] more held back at the usual scale, so the engines are cut off at
    /// the target energy with propellant to spare instead of running dry a hair short of it.
    /// Where the apogee lies hundreds of thousands of km out (some 5,000 km per m/s at its
    /// perigee), the tight margin's tolerance (below 1e-4 kg) is finer than the flights' own
    /// noise and the tight polish does not converge: Angara-A5 to 200 × 400,000 km from
    /// Vostochny ran dry 1 mm/s short, 4.4 km under the apogee.
    Reserved,
}

/// Propellant [`Polish::Reserved`] holds back beyond the search's, kg: three times the usual
/// margin tolerance (0.1 kg), so the margin stays positive whatever the targeting settles to.
/// The payload falls by as much, below the kilogram a payload is reported to.
const POLISH_RESERVE_KG: f64 = 0.3;

/// Targeting is converged when every scaled condition is below this: 10 m, 1e-4°, 1e-4°,
/// 0.1 kg — far inside the contract's tolerances, so the payload is settled to ~0.1 kg.
const TARGETING_TOLERANCE: f64 = 0.01;

/// Pitch-over speeds of the built-in initial guesses, m/s, tried in turn: a vehicle that barely
/// lifts off (thrust-to-weight near 1) cannot start a gravity turn at walking pace without
/// falling over one way or the other, and needs more speed first.
pub(crate) const INITIAL_PITCH_OVER_SPEEDS_M_S: [f64; 2] = [25.0, 50.0];
/// Staging flight-path angles of the built-in initial guesses, degrees, tried in turn.
const INITIAL_STAGING_FLIGHT_PATH_ANGLES_DEG: [f64; 4] = [DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG, 20.0, 28.0, 36.0];
/// Flights a targeting may fly from a built-in guess, and from a neighbouring solution.
const COLD_TARGETING_FLIGHTS: usize = 150;
const WARM_TARGETING_FLIGHTS: usize = 60;
/// Most flights the built-in guesses of an eccentric target are tried with the cutoff at the
/// perigee before it is aimed halfway up the insertion heights
/// ([`Problem::search_among_then_higher`]): where they target there, the first targeting and
/// the kick search after it took 60 to 290 flights in every eccentric case of `validate`, and at
/// most 1,100 (Zenit-2 to GTO) over eccentric orbits of every catalog vehicle.
const PERIGEE_GUESS_FLIGHTS: usize = 1_500;
/// Most flights of each Newton run targeting a distant seed ([`Problem::search_from`] over the
/// whole kick range): those that converge take some 5 to 10.
const DISTANT_TARGETING_FLIGHTS: usize = 20;

/// The kick search spans a factor of this either side of the open-loop default kick.
const KICK_RANGE_FACTOR: f64 = 4.0;
/// Smallest kick a search may widen its range to, ln(degrees): a [`KICK_RANGE_FACTOR`] below
/// the open-loop program's least kick, 0.001°, as low as a range centred there reaches. The
/// gravity turn of a summit this low leans over from next to no kick (Soyuz-2.1v from Kourou
/// to an 800 km SSO, at 0.0003°, separates its first stage at 66° of climb).
const MIN_LOG_KICK: f64 = -8.294_049_640_102_028;
/// Largest kick a search may widen its range to, ln(degrees): the open-loop kicks tuned to a
/// flight-path angle at separation lie below 60°.
const MAX_LOG_KICK: f64 = 4.094_344_562_222_1;
/// The kick search stops when the kick is known to this fraction of itself.
const KICK_TOLERANCE: f64 = 0.005;
/// The refinement of kick and insertion height on an eccentric target
/// ([`Problem::refine_insertion`]) resolves the kick to this fraction of itself, half the kick
/// search's [`KICK_TOLERANCE`]: the payload over the two lies on a narrow ridge, across which a
/// kick 0.5 % off its crest carries up to some 4 kg less (Ariane 5 ECA from Kourou to its GTO),
/// so that resolved to the kick search's tolerance the refinement's answer lay anywhere within
/// those kilograms of the crest.
const REFINED_KICK_TOLERANCE: f64 = 0.5 * KICK_TOLERANCE;
/// Kicks the search may try.
const MAX_KICK_EVALUATIONS: usize = 30;
/// First step in ln(kick) of the kick search from the kick targeted first (10 %): the optimum
/// lies within a few such steps of it, and a kick that near is targeted from its neighbour's
/// solution in a few flights.
const KICK_FIRST_STEP: f64 = 0.1;
/// Step in ln(kick) from the kick search's summit to the kicks probed for a higher summit beside
/// it (35 %): beyond the summit's own slopes, within the neighbouring family's.
const KICK_PROBE_STEP: f64 = 0.3;
/// Step in ln(kick) of the walk from the optimal kick to the nearest kick that keeps the
/// constraints: fine enough not to step over a designated zone of a few tens of km.
const CONSTRAINT_WALK_STEP: f64 = 0.05;
/// Bisections that settle the kick on a constraint's boundary.
const CONSTRAINT_BISECTIONS: usize = 12;
/// An eccentric target orbit may be entered above its perigee, on its way up: a long burn of a
/// low-thrust last stage injects well past the perigee (Ariane 5's ESC-A, thrust-to-weight 0.26
/// at ignition, burns about 990 s and shuts down at some 9,400 m/s, ESA's timeline of the
/// 2006-03-11 flight, below the 10.2 km/s of its 250 × 35,943 km orbit's perigee), and a cutoff
/// forced onto the perigee makes the ascent loft its core stage and come down to it. The height
/// of the insertion above the perigee is searched within this, m (and within the apogee).
const MAX_INSERTION_HEIGHT_M: f64 = 1_000e3;
/// Targets whose apogee lies less than this above the perigee are entered at the perigee, m:
/// the flight-path angle of the insertion would barely differ from zero.
const MIN_INSERTION_SPAN_M: f64 = 10e3;
/// A held argument of perigee is met within this, degrees (half the reached tolerance,
/// [`ARGUMENT_OF_PERIGEE_TOLERANCE_DEG`], for the answer flown again).
const HELD_ARGUMENT_OF_PERIGEE_DEG: f64 = 0.25;
/// How the argument of perigee moves with the cutoff's height up the orbit, degrees per m: the
/// first step's guess (a GTO's 250 km perigee: some 0.05° per km).
const ARGUMENT_OF_PERIGEE_PER_HEIGHT_DEG_M: f64 = -5e-5;
/// Most heights tried to place the perigee.
const MAX_ARGUMENT_OF_PERIGEE_ITERATIONS: usize = 16;
/// Longest step of the cutoff's height while placing the perigee, m: targeted at the kick of
/// the nearest height, Ariane 5 ECA's ascent to its GTO follows a 22 km step and fails at 44.
const MAX_HEIGHT_STEP_M: f64 = 25e3;
/// The insertion height is searched to this, m.
const INSERTION_TOLERANCE_M: f64 = 1e3;
/// The finest step of the cutoff's height while placing the perigee, m
/// ([`Problem::hold_argument_of_perigee`]).
const MIN_HOLD_HEIGHT_STEP_M: f64 = 10.0;
/// Insertion heights the search tries at most, in each pass.
const MAX_INSERTION_EVALUATIONS: usize = 12;
/// Passes of the insertion search that scan the heights with the kick held, then search the
/// kick; line searches refine their answer ([`Problem::refine_insertion`]).
const SCANNED_INSERTION_PASSES: usize = 2;
/// Iterations of the refinement of kick and insertion height at most.
const MAX_INSERTION_ITERATIONS: usize = 10;
/// The refinement stops after an iteration that raised the objective by less than this share.
const INSERTION_GAIN_TOLERANCE: f64 = 1e-4;
/// A line search of the refinement goes at most this many times its direction either way.
const MAX_LINE_MULTIPLE: f64 = 8.0;
/// Points a line search of the refinement tries at most.
const MAX_LINE_EVALUATIONS: usize = 10;
/// Grid cells of each pass's scan of the insertion height: the payload against the height
/// can have two maxima (PSLV-XL to its 284 × 20,650 km sub-GTO: one near 410 km, one lofted
/// near 650–730 km, the lower one better by some 70 kg), and Brent's method started mid-span
/// settled on either, so that a stronger second stage carried less.
const INSERTION_SCAN_INTERVALS: usize = 8;

/// The launch azimuth may move this far from the spherical-Earth estimate, degrees. The
/// estimate assumes the orbital speed at insertion; the first stages carry the Earth's eastward
/// speed across their launch plane, which tilts the plane of motion at separation, and the
/// azimuth must make up for it: by ~20° for a retrograde orbit from near the equator.
const AZIMUTH_RANGE_DEG: f64 = 40.0;
/// Largest dogleg, degrees (the steering law allows up to 90°).
const DOGLEG_YAW_RANGE_DEG: f64 = 85.0;
/// Largest change of the dogleg per Newton step, degrees: the first guess flies the corridor's
/// plane, tens of degrees from the target's.
const DOGLEG_YAW_MAX_STEP_DEG: f64 = 10.0;
/// First trial turn of the dogleg's first guess, degrees, and its secant steps and tolerance.
const DOGLEG_YAW_FIRST_STEP_DEG: f64 = 20.0;
const DOGLEG_YAW_GUESS_STEPS: usize = 10;
const DOGLEG_YAW_GUESS_TOLERANCE_DEG: f64 = 0.5;

/// Where the ascent ends for the targeting: engine cutoff, or the last burnout when the
/// propellant ran out first.
pub(super) struct EndOfPowered {
    pub(super) point: FlightPoint,
    pub(super) cut_off: bool,
}

pub(super) fn end_of_powered(vehicle: &Vehicle, result: &FlightResult) -> Option<EndOfPowered> {
    if let Some(e) = result.first(|k| matches!(k, EventKind::Cutoff { .. })) {
        return Some(EndOfPowered { point: e.point, cut_off: true });
    }
    let last = vehicle.stages.len() - 1;
    result.event(&EventKind::Burnout { stage: last }).map(|e| EndOfPowered { point: e.point, cut_off: false })
}

/// Propellant left at cutoff, kg; when the propellant ran out short of the target energy, minus
/// the propellant that would have been needed, linearised from the energy rate (`dE/dm =
/// −v·c/m`), so the margin crosses zero smoothly as the payload grows. A solid last stage
/// cannot be cut off at the target energy and burns out past it as well: its surplus counts
/// as propellant left, by the same rate, so that the margin is zero only where the burnout
/// meets the orbit's energy (a margin held at zero for every surplus let the payload search
/// stop anywhere above it, the orbit missed by kilometres).
fn propellant_margin_kg(vehicle: &Vehicle, result: &FlightResult, end: &EndOfPowered, target_energy: f64) -> f64 {
    if end.cut_off {
        return result.remaining_propellant_kg;
    }
    let p = &end.point;
    let last = &vehicle.stages[vehicle.stages.len() - 1];
    let surplus = specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2) - target_energy;
    let surplus = if last.is_solid() { surplus } else { surplus.min(0.0) };
    energy_as_last_stage_propellant_kg(vehicle, p, surplus)
}

/// Specific orbital energy `energy_j_kg` at `p` as the last stage's propellant that would give
/// it there, kg, linearised from the energy rate (`dE/dm = −v·c/m`, `c` the effective exhaust
/// velocity: thrust over all the mass that leaves, auxiliary consumables too).
fn energy_as_last_stage_propellant_kg(vehicle: &Vehicle, p: &FlightPoint, energy_j_kg: f64) -> f64 {
    let last = &vehicle.stages[vehicle.stages.len() - 1];
    let exhaust_velocity = last.thrust_vac_n() / last.mass_flow_kg_s();
    energy_j_kg * p.mass_kg / (p.speed_m_s.max(1.0) * exhaust_velocity)
}

/// Flights of a targeting that had no end of powered flight (Newton stops at such a flight):
/// how many, and how many of them came back to the ground with their stages still burning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Unended {
    pub(super) flights: usize,
    pub(super) impacts: usize,
}

/// What the payload is to the targeting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Payload {
    /// An unknown (the fourth), up to this mass, kg: the cutoff must come with the last usable
    /// propellant, and the search maximizes the payload.
    Unknown {
        /// The heaviest payload the vehicle lifts off with, kg.
        max_kg: f64,
    },
    /// Given, kg: the search maximizes the propellant left at cutoff.
    Given(f64),
}

/// What a flight did against the ascent's constraints.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ConstraintState {
    /// Largest dynamic pressure of the ascent, Pa.
    max_q_pa: f64,
    /// How far the worst body fell outside its designated zone, in zone radii (negative inside;
    /// −∞ without zones).
    zone_excess: f64,
    /// That zone and the body's distance from its centre, km (`None`: it did not come down).
    zone_miss: Option<(usize, Option<f64>)>,
}

/// One solved kick: the targeted ascent and what it carries.
#[derive(Debug, Clone, Copy)]
pub(super) struct Solved<const N: usize> {
    /// ln(kick in degrees): the search variable.
    pub(super) log_kick: f64,
    /// The targeting unknowns, scaled: initial pitch, tan-pitch rate, launch azimuth change and,
    /// when it is unknown, the payload.
    pub(super) x: [f64; N],
    jacobian: SMatrix<f64, N, N>,
    /// Payload, kg.
    pub(super) payload_kg: f64,
    /// Propellant left at cutoff (negative: short of the target energy), kg.
    pub(super) margin_kg: f64,
    /// Argument of perigee of the orbit at cutoff, degrees (0–360).
    arg_perigee_deg: f64,
    constraints: ConstraintState,
}

impl<const N: usize> Solved<N> {
    /// What the ascent-shape search maximizes: the payload when it is unknown, else the
    /// propellant to spare.
    fn objective(&self) -> f64 {
        if N == 4 {
            self.payload_kg
        } else {
            self.margin_kg
        }
    }
}

/// The speed a burnout at `speed_m_s` lacks to hold `deficit_j_kg` more specific energy at the
/// same place: √(v² + 2Δe) − v. Near the target it is Δe / v, the usual linearization; far
/// from it (an ascent that never leaves the air, burning out at a few hundred m/s) the
/// linearization would quote 112 km/s where some 8 km/s are missing.
fn speed_short_m_s(speed_m_s: f64, deficit_j_kg: f64) -> f64 {
    (speed_m_s * speed_m_s + 2.0 * deficit_j_kg).max(0.0).sqrt() - speed_m_s
}

/// Most failed targetings [`Problem`] keeps for [`Problem::closest_shortfall_m_s`]: a failed
/// payload search tries some ten built-in guesses, twice over with the azimuth corrected.
const MAX_FAILURES_KEPT: usize = 32;

/// Where a targeting stopped without converging, and the launch and ascent it flew.
#[derive(Debug, Clone, Copy)]
struct Failure<const N: usize> {
    launch: Launch,
    base: AscentParameters,
    kick_deg: f64,
    x: [f64; N],
}

/// What the targeting keeps of its last flight (its last evaluation is its answer).
#[derive(Debug, Clone, Copy)]
struct LastFlight<const N: usize> {
    kick_deg: f64,
    /// The targeting unknowns flown.
    x: [f64; N],
    max_q_pa: f64,
    /// Propellant left at cutoff, kg ([`propellant_margin_kg`]).
    margin_kg: f64,
    /// Argument of perigee of the orbit at cutoff, degrees (0–360).
    arg_perigee_deg: f64,
}

impl<const N: usize> LastFlight<N> {
    /// Whether it flew kick `kick_deg` with unknowns `x`.
    fn is_of(&self, kick_deg: f64, x: &[f64; N]) -> bool {
        self.kick_deg == kick_deg && self.x == *x
    }
}

/// The targeting of one vehicle from one pad to one orbit, over flights.
pub(super) struct Problem<'a, const N: usize> {
    pub(super) vehicle: &'a Vehicle,
    launch: Launch,
    pub(super) options: FlightOptions,
    target: TargetOrbit,
    pub(super) target_energy_j_kg: f64,
    target_radius_m: f64,
    /// Height of the engine cutoff above the target perigee, m (0: insertion at the perigee).
    insertion_height_m: f64,
    /// Flight-path angle of the target orbit at the insertion height, on its way up, degrees.
    insertion_fpa_deg: f64,
    /// Whether the insertion height is a start's, to be searched from there rather than from
    /// the perigee ([`Problem::optimize_insertion`]): a [`KickSearch::NearAtHeight`] start's, or
    /// a held one's that could not be targeted, where the built-in guesses then start
    /// ([`Problem::search_among_then_higher`]).
    height_from_start: bool,
    /// Targetings of a kick forgotten when the insertion height moved (for the count reported).
    earlier_kicks: usize,
    base: AscentParameters,
    /// How long the last stage's main engines burn before its burn-on engines go on alone, s
    /// from its ignition; held through the targeting (`None`: all burn to the cutoff).
    main_engine_burn_s: Option<f64>,
    /// The coast before the stage whose coast the ascent chooses, s; held through the
    /// targeting (`None`: the file's `ignition_delay_s`).
    coast_s: Option<f64>,
    payload: Payload,
    payload_scale_kg: f64,
    /// Scale of the propellant-margin condition, kg ([`margin_scale_kg`]).
    margin_scale_kg: f64,
    newton: NewtonOptions<N>,
    pub(super) flights: usize,
    /// Most flights this problem may fly (`usize::MAX`: no limit); past it every flight fails,
    /// so each search ends at once as a targeting that could not converge.
    max_flights: usize,
    /// Whether the flight budget ran out in the refinement of [`Problem::optimize_insertion`]
    /// ([`Problem::refine_insertion`]), after its scanned passes had found their answer.
    refinement_cut_short: bool,
    progress: Progress<'a>,
    /// Designated zones the nominal impacts must stay in.
    zones: &'a [DesignatedZone],
    /// The last flight's figures the targeting's answer needs.
    last: Option<LastFlight<N>>,
    /// The last flight's jettisoned bodies, kept (in reused storage) only when there are zones:
    /// their falls are computed once per solved kick, not on every flight of the targeting.
    last_jettisoned: Vec<JettisonedBody>,
    /// Where the last targeting that failed to converge stopped.
    pub(super) last_failure: Option<[f64; N]>,
    /// Flights of the targeting that had no end of powered flight, and how many of them came
    /// back to the ground: what a refusal says when no guess started Newton.
    pub(super) unended: Unended,
    /// Where the last [`MAX_FAILURES_KEPT`] failed targetings stopped, with the launch and
    /// ascent they flew: what [`Problem::closest_shortfall_m_s`] reads.
    failures: Vec<Failure<N>>,
    solved: Vec<Solved<N>>,
    /// Usable propellant the ascent holds back at cutoff for the burns after it (an upper
    /// stage's orbit transfer), kg: the margin condition meets it instead of zero.
    pub(super) held_back_kg: f64,
    /// The azimuth the orbit needs lies outside the site's azimuth corridors: the launch flies
    /// the nearest allowed azimuth and the third unknown is the dogleg that turns the upper
    /// stages' steering plane instead of the launch azimuth.
    pub(super) dogleg: bool,
    /// The dogleg is into a plane inclined less than the site's latitude (more than 180° less
    /// it), flown from due east (west): how far beyond the latitude it reaches depends on how far
    /// the vehicle has flown from the pad when it turns, which only flights tell.
    pub(super) beyond_latitude: bool,
    /// Where the dogleg turns: at the first upper-stage ignition beyond the latitude, out of the
    /// air otherwise.
    dogleg_turn: DoglegTurn,
    /// Where the targeted law takes over from the gravity turn ([`SteeringStart`]): at the
    /// first separation, unless no built-in guess could be targeted from there
    /// ([`Problem::first_targeting`]) or the search runs in the other family
    /// ([`Problem::with_law_from_upper_stage_ignition`]).
    pub(super) takes_over: SteeringStart,
    /// A guess flight of the first targeting separated low, in the dense air, before its first
    /// upper-stage ignition ([`guesses`]): the law may take over at that ignition instead.
    low_separation: bool,
    /// The law takes over only at the first upper-stage ignition in the first targeting
    /// ([`Problem::with_law_from_upper_stage_ignition`]).
    law_from_upper_stage_ignition: bool,
    /// Energy-management weave of a solid last stage flown with a given payload, degrees
    /// ([`ExoSteering::energy_weave_deg`]; 0: none): set by [`Problem::weave_off_surplus`].
    energy_weave_deg: f64,
    /// How far from the target's inclination the nearest plane a first guess's dogleg turned
    /// into lay, degrees, when that was too far to target (beyond the latitude): why the search
    /// failed.
    pub(super) dogleg_miss_deg: Option<f64>,
    /// Where the spherical-Earth azimuth lies inside the site's azimuth corridors: the site,
    /// whose corridors the azimuth the targeting settles on is checked against; when it leaves
    /// them, the launch doglegs from the nearest allowed one ([`Problem::doglegged_if_outside`]).
    corridor_site: Option<Site>,
    /// The leg to the inclination asked for: the launch azimuth is kept on its side of due east
    /// (due west for a retrograde orbit) ([`Problem::keep_to_the_leg`]).
    branch: Branch,
}

/// The launch azimuth a dogleg to `target` flies from `site`: the allowed azimuth nearest to
/// either leg's (`azimuth_deg` on `branch`; the other leg reaches the same inclination). `None`
/// when no azimuth corridor restricts the site or its inclination corridors refuse the target.
fn dogleg_azimuth_deg(site: &Site, target: &TargetOrbit, branch: Branch, azimuth_deg: f64) -> Option<f64> {
    let other = match branch {
        Branch::Northbound => Branch::Southbound,
        Branch::Southbound => Branch::Northbound,
    };
    let legs =
        [Some(azimuth_deg), launch_azimuth(site.latitude_deg, target.inclination_deg, target.perigee_m, other).ok().map(|a| a.azimuth_deg)];
    let distance = |a: f64, b: f64| ((a - b + 180.0).rem_euclid(360.0) - 180.0).abs();
    let nearest = legs
        .into_iter()
        .flatten()
        .filter_map(|leg| site.nearest_allowed_azimuth_deg(leg).map(|edge| (distance(edge, leg), edge)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    nearest.filter(|_| site.allows_inclination(target.inclination_deg)).map(|(_, edge)| edge)
}

/// Greatest gap, degrees, between the lowest inclination a site's latitude reaches by direct
/// ascent (the latitude, launching due east; 180° less it, due west) and a target's beyond it
/// that the ascent of a vehicle whose last stage burns once closes by a dogleg. Such targets lie
/// near the latitude (the ISS's 51.6° from Vostochny, 51.9°); the turn comes at the upper
/// stage's ignition, a few hundred km from the pad, and reaches 1–2° below it (from Vostochny:
/// Soyuz-2.1b 50.5°, Angara-A5 50.0°). A wider gap is refused at once rather than after a
/// search that cannot succeed.
pub const MAX_DOGLEG_BEYOND_LATITUDE_DEG: f64 = 5.0;

/// Why a direct ascent turns its plane out of the air rather than launching along it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dogleg {
    /// The plane's launch azimuth lies outside the site's azimuth corridors.
    OutOfCorridor,
    /// The plane is inclined less than the site's latitude (or more than 180° less it).
    BeyondLatitude,
}

impl DoglegTurn {
    /// Where a direct ascent of `vehicle` turns a dogleg it flies for `why`: into a plane beyond
    /// the latitude at the first upper-stage ignition when it has an upper stage, out of the air
    /// otherwise.
    fn for_dogleg(vehicle: &Vehicle, why: Option<Dogleg>) -> DoglegTurn {
        let upper_stage = vehicle.stages.iter().any(|s| s.ignition == crate::vehicle::Ignition::Sequential);
        if why == Some(Dogleg::BeyondLatitude) && upper_stage {
            DoglegTurn::UpperStageIgnition
        } else {
            DoglegTurn::OutOfTheAir
        }
    }
}

/// The launch azimuth of a direct ascent of `vehicle` from `site` on `branch` to `target`'s
/// plane, and whether the ascent doglegs into it. Inside the site's corridors, the azimuth of
/// the plane; outside its azimuth corridors, the nearest allowed azimuth and a dogleg. An
/// inclination below the site's latitude (or above 180° less it), which no launch azimuth
/// reaches by the spherical-Earth formula, is flown from due east (due west) — the lowest plane
/// the site reaches — or the allowed azimuth nearest to that, and doglegged: up to
/// [`MAX_DOGLEG_BEYOND_LATITUDE_DEG`] beyond the latitude when the last stage burns once; down to
/// the pad's geocentric latitude when it restarts. The plane through the pad's position is
/// inclined at least its geocentric latitude, some 0.16° under the geodetic one at 28.5°
/// (Falcon 9 from Cape Canaveral to 28.5°, a common request, was refused); below that a
/// restartable stage reaches the plane through the parking orbit in the site's lowest plane,
/// its transfer burns turning the rest, since its payload and load searches fly dozens of
/// ascents to the target's plane, and each dogleg there would search every built-in guess
/// before failing where the turn cannot reach (Electron/Curie from Vostochny to 51°: 5 s became
/// 36 s, the same 276 kg). Errors when the site's inclination corridors refuse the target or it
/// lies farther beyond the latitude.
pub fn direct_launch_azimuth(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, branch: Branch) -> Result<(f64, Option<Dogleg>)> {
    let inclination_deg = target.inclination_deg;
    match launch_azimuth(site.latitude_deg, inclination_deg, target.perigee_m, branch) {
        Ok(azimuth) => match site.check_corridor(azimuth.azimuth_deg, inclination_deg) {
            Ok(()) => Ok((azimuth.azimuth_deg, None)),
            Err(refused) => {
                Ok((dogleg_azimuth_deg(site, target, branch, azimuth.azimuth_deg).ok_or(refused)?, Some(Dogleg::OutOfCorridor)))
            }
        },
        Err(Error::Unreachable(why)) => {
            let lowest_deg = site.latitude_deg.abs();
            let (beyond_deg, vertex_deg) = if inclination_deg <= 90.0 {
                (lowest_deg - inclination_deg, 90.0)
            } else {
                (inclination_deg - (180.0 - lowest_deg), 270.0)
            };
            let geocentric_deg = geocentric_latitude_deg(lowest_deg);
            if vehicle.stages.last().is_some_and(|s| s.max_burns() > 1) && beyond_deg > lowest_deg - geocentric_deg {
                return Err(Error::Unreachable(format!(
                    "{why}; with a restartable last stage the ascent doglegs only down to the pad's geocentric latitude, {geocentric_deg:.3}°"
                )));
            }
            if beyond_deg > MAX_DOGLEG_BEYOND_LATITUDE_DEG {
                return Err(Error::Unreachable(format!(
                    "{why}; a dogleg closes at most {MAX_DOGLEG_BEYOND_LATITUDE_DEG:.0}° beyond the latitude, and {inclination_deg}° lies {beyond_deg:.1}° beyond it"
                )));
            }
            if !site.allows_inclination(inclination_deg) {
                site.check_corridor(vertex_deg, inclination_deg)?;
                return Err(Error::Unreachable(why));
            }
            Ok((site.nearest_allowed_azimuth_deg(vertex_deg).unwrap_or(vertex_deg), Some(Dogleg::BeyondLatitude)))
        }
        Err(e) => Err(e),
    }
}

/// Geocentric latitude of a point on the WGS-84 ellipsoid at geodetic latitude
/// `latitude_deg`, degrees: `tan ψ = (1 − f)² tan φ`.
fn geocentric_latitude_deg(latitude_deg: f64) -> f64 {
    let squeeze = (1.0 - crate::environment::earth::WGS84_F).powi(2);
    (squeeze * latitude_deg.to_radians().tan()).atan().to_degrees()
}

/// The first `N` of four values.
fn first<const N: usize>(values: [f64; 4]) -> [f64; N] {
    std::array::from_fn(|i| values[i])
}

impl<'a, const N: usize> Problem<'a, N> {
    /// The targeting of `vehicle` from `site` to `target`; `N` is 4 when the payload is unknown,
    /// 3 when it is given. Checks the target and the corridor of the launch azimuth.
    pub(super) fn new(
        vehicle: &'a Vehicle,
        site: &Site,
        target: &TargetOrbit,
        branch: Branch,
        payload: Payload,
        options: FlightOptions,
        progress: Progress<'a>,
    ) -> Result<Self> {
        assert_eq!(N, if matches!(payload, Payload::Unknown { .. }) { 4 } else { 3 }, "targeting unknowns");
        target.check()?;
        // An azimuth outside the site's azimuth corridors, or a plane below the latitude, is
        // flown as a dogleg; an inclination outside its inclination corridors cannot be reached.
        let (azimuth_deg, why_dogleg) = direct_launch_azimuth(vehicle, site, target, branch)?;
        let dogleg = why_dogleg.is_some();
        // Inside the corridors but near their edge, the azimuth the targeting settles on may
        // leave them (the spherical-Earth azimuth ignores how far the ascent carries the
        // vehicle north or south before cutoff: Angara-A5 to 57° from Cape Canaveral, 35.9°
        // estimated, settles on 31.9°): then it doglegs from the edge.
        let corridor_site = (!dogleg && site.nearest_allowed_azimuth_deg(azimuth_deg).is_some()).then(|| site.clone());
        let launch = Launch::from_site(site, azimuth_deg);
        let third_range = if dogleg { DOGLEG_YAW_RANGE_DEG } else { AZIMUTH_RANGE_DEG } / AZIMUTH_SCALE_DEG;
        let third_step = if dogleg { DOGLEG_YAW_MAX_STEP_DEG / AZIMUTH_SCALE_DEG } else { 2.0 };
        let search_options = search_options(options);
        let payload_scale_kg = PAYLOAD_SCALE_OF_LIFTOFF * vehicle.liftoff_mass_kg(0.0);
        let max_payload_scaled = match payload {
            Payload::Unknown { max_kg } => max_kg / payload_scale_kg,
            Payload::Given(_) => 0.0,
        };
        Ok(Problem {
            vehicle,
            launch,
            options: search_options,
            target: *target,
            target_energy_j_kg: target.energy_j_kg(),
            target_radius_m: WGS84_A_M + target.perigee_m,
            insertion_height_m: 0.0,
            insertion_fpa_deg: 0.0,
            height_from_start: false,
            earlier_kicks: 0,
            refinement_cut_short: false,
            base: AscentParameters::default(),
            main_engine_burn_s: None,
            coast_s: None,
            payload,
            payload_scale_kg,
            margin_scale_kg: MARGIN_SCALE_KG,
            newton: NewtonOptions {
                difference_step: first([1e-4, 1e-4, 1e-3, 1e-3]),
                lower: first([-6.0, -30.0, -third_range, 0.0]),
                upper: first([8.0, 10.0, third_range, max_payload_scaled]),
                max_step: first([0.5, 0.5, third_step, 2.0]),
                tolerance: TARGETING_TOLERANCE,
                max_evaluations: COLD_TARGETING_FLIGHTS,
            },
            flights: 0,
            max_flights: usize::MAX,
            progress,
            zones: &[],
            last: None,
            last_jettisoned: Vec::new(),
            last_failure: None,
            unended: Unended::default(),
            failures: Vec::new(),
            solved: Vec::new(),
            held_back_kg: 0.0,
            dogleg,
            beyond_latitude: why_dogleg == Some(Dogleg::BeyondLatitude),
            dogleg_turn: DoglegTurn::for_dogleg(vehicle, why_dogleg),
            takes_over: SteeringStart::FirstSeparation,
            low_separation: false,
            law_from_upper_stage_ignition: false,
            energy_weave_deg: 0.0,
            dogleg_miss_deg: None,
            corridor_site,
            branch,
        }
        .keeping_to_the_leg())
    }

    /// How far `azimuth_deg` lies past due east (due west for a retrograde orbit), degrees in
    /// [−180°, 180°).
    fn past_due_deg(&self, azimuth_deg: f64) -> f64 {
        let due_deg = if self.target.inclination_deg <= 90.0 { 90.0 } else { 270.0 };
        (azimuth_deg - due_deg + 180.0).rem_euclid(360.0) - 180.0
    }

    /// Whether the asked leg launches below due east (west): northbound to a prograde orbit,
    /// southbound to a retrograde one.
    fn leg_below_due(&self) -> bool {
        (self.target.inclination_deg <= 90.0) == (self.branch == Branch::Northbound)
    }

    /// Whether the other leg's azimuth (the launch's mirrored about due east or west) lies within
    /// the change of azimuth the targeting may make ([`AZIMUTH_RANGE_DEG`]): only then can a
    /// search cross to it. Never for a dogleg, whose third unknown is a turn of the plane.
    fn other_leg_within_reach(&self) -> bool {
        !self.dogleg && 2.0 * self.past_due_deg(self.launch.azimuth_deg).abs() <= AZIMUTH_RANGE_DEG
    }

    /// `azimuth_deg` (near the problem's launch azimuth) moved to due east (west) when it lies on
    /// the other leg's side: the azimuth correction of the built-in guesses keeps to the leg as
    /// the targeting does ([`Problem::keep_to_the_leg`]).
    pub(super) fn on_the_leg_deg(&self, azimuth_deg: f64) -> f64 {
        let past_due = self.past_due_deg(azimuth_deg);
        let crossed = if self.leg_below_due() { past_due > 0.0 } else { past_due < 0.0 };
        if self.other_leg_within_reach() && crossed {
            azimuth_deg - past_due
        } else {
            azimuth_deg
        }
    }

    /// [`Problem::keep_to_the_leg`] on a new problem.
    fn keeping_to_the_leg(mut self) -> Self {
        self.keep_to_the_leg();
        self
    }

    /// Launch along `launch` from now on, the azimuth's change bounded to its leg
    /// ([`Problem::keep_to_the_leg`]): the bound follows the launch it is measured from.
    pub(super) fn set_launch(&mut self, launch: Launch) {
        self.launch = launch;
        self.keep_to_the_leg();
    }

    /// Bound the launch azimuth's change (the third unknown, when it is no dogleg's turn) to the
    /// side of due east (due west for a retrograde orbit) its leg lies on: north of it for the
    /// northbound leg, south for the southbound. Where the inclination lies just above the
    /// site's latitude the two legs' azimuths are a few degrees either side of due east, both
    /// within the change allowed (Vostochny to 51.9°: 83.5° and 95.2° for Angara-A5), and a
    /// northbound search could settle on the southbound leg's azimuth, or a warm start carry it
    /// there from a neighbour. Elsewhere the other leg lies out of reach and the change keeps its
    /// whole range, so that the searches' paths do not move.
    fn keep_to_the_leg(&mut self) {
        if self.dogleg {
            return;
        }
        let range = AZIMUTH_RANGE_DEG / AZIMUTH_SCALE_DEG;
        let (mut lower, mut upper) = (-range, range);
        if self.other_leg_within_reach() {
            let to_due = -self.past_due_deg(self.launch.azimuth_deg) / AZIMUTH_SCALE_DEG;
            if self.leg_below_due() {
                upper = upper.min(to_due);
            } else {
                lower = lower.max(to_due);
            }
        }
        (self.newton.lower[2], self.newton.upper[2]) = (lower, upper);
    }

    /// Why a dogleg beyond the site's latitude could not be targeted, for an error message: the
    /// launch, where the plane turns and how near the turns tried came.
    pub(super) fn beyond_latitude_text(&self) -> String {
        let lowest_deg = self.launch.latitude_deg.abs();
        let (side, edge_deg) = if self.target.inclination_deg <= 90.0 { ("less", lowest_deg) } else { ("more", 180.0 - lowest_deg) };
        let miss = self.dogleg_miss_deg.map_or_else(String::new, |m| format!(": the nearest plane the turns tried reach lies {m:.2}° off"));
        let turn = match self.dogleg_turn {
            DoglegTurn::UpperStageIgnition => "when its upper stage ignites",
            DoglegTurn::OutOfTheAir => "out of the air",
        };
        format!(
            "its plane is inclined {side} than a launch from the site's latitude reaches ({edge_deg:.3}°), so the ascent launches along {:.1}° and turns its plane {turn} (a dogleg), which does not turn it that far{miss}",
            self.launch.azimuth_deg
        )
    }

    /// When the targeted `solved` launches outside the site's azimuth corridors, turn this
    /// problem into the dogleg from the allowed azimuth nearest to its launch's (its third
    /// unknown the turn of the plane, the kicks solved forgotten) and return true; false when
    /// it keeps to them.
    fn doglegged_if_outside(&mut self, solved: &Solved<N>) -> bool {
        let azimuth_deg = self.launch(&solved.x).azimuth_deg;
        let Some(edge_deg) = self.corridor_edge_deg(azimuth_deg).filter(|&edge| edge != azimuth_deg.rem_euclid(360.0)) else {
            return false;
        };
        self.dogleg_from(edge_deg);
        true
    }

    /// The allowed azimuth nearest to `azimuth_deg` while this problem may still turn into a
    /// dogleg (`None` once it is one, or when the site has no azimuth corridor).
    fn corridor_edge_deg(&self, azimuth_deg: f64) -> Option<f64> {
        self.corridor_site.as_ref().and_then(|site| site.nearest_allowed_azimuth_deg(azimuth_deg))
    }

    /// This problem kept as it is when the azimuth it settles on leaves the site's corridors
    /// (no dogleg from their edge): to learn where an ascent settles.
    pub(super) fn without_dogleg(mut self) -> Self {
        self.corridor_site = None;
        self
    }

    /// Turn this problem into the dogleg launched at `azimuth_deg`: the third unknown becomes
    /// the turn of the plane, the kicks solved are forgotten.
    fn dogleg_from(&mut self, azimuth_deg: f64) {
        let Some(site) = self.corridor_site.take() else { return };
        self.launch = Launch::from_site(&site, azimuth_deg);
        self.dogleg = true;
        let range = DOGLEG_YAW_RANGE_DEG / AZIMUTH_SCALE_DEG;
        (self.newton.lower[2], self.newton.upper[2]) = (-range, range);
        self.newton.max_step[2] = DOGLEG_YAW_MAX_STEP_DEG / AZIMUTH_SCALE_DEG;
        self.earlier_kicks += self.solved.len();
        self.solved.clear();
        self.last = None;
    }

    /// The third unknown of a seed for this problem: its azimuth change, or its dogleg's turn
    /// when both doglegged, turning this problem into the seed's dogleg when it may; 0 when
    /// the two disagree (an azimuth change is no turn of the plane).
    fn third_unknown_of(&mut self, seed_azimuth_change_deg: f64, seed_dogleg_azimuth_deg: Option<f64>) -> f64 {
        if let Some(edge_deg) = seed_dogleg_azimuth_deg.and_then(|az| self.corridor_edge_deg(az)) {
            self.dogleg_from(edge_deg);
        }
        if self.dogleg == seed_dogleg_azimuth_deg.is_some() {
            seed_azimuth_change_deg / AZIMUTH_SCALE_DEG
        } else {
            0.0
        }
    }

    /// Cut the last stage's main engines off `burn_s` after its ignition on every flight
    /// ([`AscentParameters::main_engine_burn_s`]).
    pub(super) fn with_main_engine_burn(self, burn_s: Option<f64>) -> Self {
        Problem { main_engine_burn_s: burn_s, ..self }
    }

    /// Coast `coast_s` before the stage whose coast the ascent chooses, on every flight
    /// ([`AscentParameters::coast_s`]).
    pub(super) fn with_coast(self, coast_s: Option<f64>) -> Self {
        Problem { coast_s, ..self }
    }

    /// The first targeting from built-in guesses with the law taking over at the first
    /// upper-stage ignition only: the other family of ascents of a vehicle that drops its
    /// strap-ons in the dense air ([`crate::optimize::payload`] weighs the two).
    pub(super) fn with_law_from_upper_stage_ignition(self) -> Self {
        Problem { law_from_upper_stage_ignition: true, ..self }
    }

    /// Fly at most `max_flights` flights (see [`Problem::max_flights`]).
    pub(super) fn with_flight_budget(self, max_flights: usize) -> Self {
        Problem { max_flights, ..self }
    }

    /// Fly at most `max_flights` flights from now on, those flown so far included
    /// (`usize::MAX`: no limit).
    pub(super) fn set_flight_budget(&mut self, max_flights: usize) {
        self.max_flights = max_flights;
    }

    /// Whether the flight budget is spent.
    pub(super) fn budget_spent(&self) -> bool {
        self.flights >= self.max_flights
    }

    /// Whether the flight budget ran out only in the refinement of the insertion search
    /// ([`Problem::optimize_insertion`]): its answer is then at least what the scanned passes
    /// found, an ascent flown and targeted, and may be taken where the refinement is not needed
    /// (an outer search comparing loads, which searches its answer again).
    pub(super) fn refinement_cut_short(&self) -> bool {
        self.refinement_cut_short
    }

    /// Hold back `kg` of usable propellant at cutoff (see [`Problem::held_back_kg`]).
    pub(super) fn with_held_back(self, kg: f64) -> Self {
        Problem { held_back_kg: kg, ..self }
    }

    /// Remember where a targeting at `kick_deg` stopped without converging.
    fn record_failure(&mut self, kick_deg: f64, x: [f64; N]) {
        self.last_failure = Some(x);
        if self.failures.len() == MAX_FAILURES_KEPT {
            self.failures.remove(0);
        }
        self.failures.push(Failure { launch: self.launch, base: self.base, kick_deg, x });
    }

    /// How far short of the target's energy the closest of the failed targetings kept comes
    /// with no payload (the payload unknown's problem; a given payload's as given), m/s (the
    /// speed missing at the last burnout, [`speed_short_m_s`]): each flown again with its launch, ascent,
    /// kick and steering and the payload set to zero, the least deficit of those that burn out
    /// below the target's energy. `None` when none does (or none failed):
    /// then the failures do not say the vehicle is short, only that it was not steered there.
    /// One flight per failure kept; the problem is left as it was.
    pub(super) fn closest_shortfall_m_s(&mut self) -> Option<f64> {
        let (launch, base) = (self.launch, self.base);
        let failures = std::mem::take(&mut self.failures);
        let mut closest: Option<f64> = None;
        for f in &failures {
            (self.launch, self.base) = (f.launch, f.base);
            let mut x = f.x;
            if N == 4 {
                x[N - 1] = 0.0;
            }
            let Ok(flight) = self.fly(f.kick_deg, &x, self.options) else { continue };
            let Some(end) = end_of_powered(self.vehicle, &flight).filter(|e| !e.cut_off) else { continue };
            let p = &end.point;
            let deficit_j_kg = self.target_energy_j_kg - specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
            let short_m_s = speed_short_m_s(p.speed_m_s, deficit_j_kg);
            if short_m_s.is_finite() && short_m_s > 0.0 {
                closest = Some(closest.map_or(short_m_s, |c| c.min(short_m_s)));
            }
        }
        (self.launch, self.base, self.failures) = (launch, base, failures);
        closest
    }

    /// Target the ascent at kick `exp(log_kick)` from the unknowns `x0`.
    pub(super) fn target_at(&mut self, log_kick: f64, x0: [f64; N]) -> Option<Solved<N>> {
        self.target(log_kick, Some(x0))
    }

    /// The search's answer `from` targeted again, warm-started from it, with the propellant
    /// margin held as `polish` says; `None` when that does not converge. Forgets the kicks
    /// solved; the propellant held back stays the search's.
    pub(super) fn polish(&mut self, from: &Solved<N>, polish: Polish) -> Option<Solved<N>> {
        match polish {
            Polish::Tight => {
                self.margin_scale_kg = margin_scale_kg(&self.target);
                let polished = self.retarget(self.held_back_kg, from, 0.0);
                self.margin_scale_kg = MARGIN_SCALE_KG;
                polished
            }
            Polish::Reserved => {
                let held_back_kg = self.held_back_kg;
                let polished = self.retarget(held_back_kg + POLISH_RESERVE_KG, from, -POLISH_RESERVE_KG);
                self.held_back_kg = held_back_kg;
                polished
            }
        }
    }

    /// The converged targeting `result` at `log_kick` as a solved kick, kept among the problem's.
    fn keep_converged(
        &mut self,
        log_kick: f64,
        result: &newton::NewtonResult<N>,
        margin_kg: f64,
        arg_perigee_deg: f64,
        constraints: ConstraintState,
    ) -> Solved<N> {
        let solved = Solved {
            log_kick,
            x: result.x,
            jacobian: result.jacobian,
            payload_kg: self.payload_kg(&result.x),
            margin_kg,
            arg_perigee_deg,
            constraints,
        };
        self.solved.push(solved);
        solved
    }

    /// Target the ascent again at `from`'s kick with `held_back_kg` held back, warm-started
    /// from `from` (its unknowns with the payload moved by `payload_shift_kg`, and its
    /// Jacobian). Forgets the kicks solved for the previous amount.
    pub(super) fn retarget(&mut self, held_back_kg: f64, from: &Solved<N>, payload_shift_kg: f64) -> Option<Solved<N>> {
        self.held_back_kg = held_back_kg;
        self.solved.clear();
        let kick_deg = from.log_kick.exp();
        let mut x0 = from.x;
        if N == 4 {
            x0[N - 1] = (x0[N - 1] + payload_shift_kg / self.payload_scale_kg).clamp(self.newton.lower[N - 1], self.newton.upper[N - 1]);
        }
        let options = self.newton;
        let result = newton::solve(|x| self.conditions(kick_deg, x), x0, Some(from.jacobian), &options)?;
        let result = if result.converged { result } else { newton::solve(|x| self.conditions(kick_deg, x), result.x, None, &options)? };
        if !result.converged {
            self.record_failure(kick_deg, result.x);
            return None;
        }
        let last = self.last.filter(|l| l.is_of(kick_deg, &result.x));
        let (margin_kg, arg_perigee_deg) = last.map_or((held_back_kg, from.arg_perigee_deg), |l| (l.margin_kg, l.arg_perigee_deg));
        let constraints =
            ConstraintState { max_q_pa: self.last.map_or(0.0, |l| l.max_q_pa), zone_excess: f64::NEG_INFINITY, zone_miss: None };
        Some(self.keep_converged(from.log_kick, &result, margin_kg, arg_perigee_deg, constraints))
    }

    /// [`Problem::retarget`] of `from` (solved holding back `from_kg`) to `to_kg` held back, the
    /// payload moved by the difference: in one move, and where that does not converge, in two
    /// and then four equal moves, each from the last.
    pub(super) fn retarget_in_steps(&mut self, from: &Solved<N>, from_kg: f64, to_kg: f64) -> Option<Solved<N>> {
        [1, 2, 4].into_iter().find_map(|moves| {
            let moved = (1..=moves).try_fold((*from, from_kg), |(solved, held_kg), k| {
                let next_kg = from_kg + (to_kg - from_kg) * k as f64 / moves as f64;
                self.retarget(next_kg, &solved, held_kg - next_kg).map(|next| (next, next_kg))
            });
            moved.map(|(solved, _)| solved)
        })
    }

    /// Hold the designated zones: the nominal fall of every stage a zone selects must come down
    /// inside it.
    pub(super) fn with_zones(self, zones: &'a [DesignatedZone]) -> Self {
        Problem { zones, ..self }
    }

    /// Payload of unknowns `x`, kg.
    pub(super) fn payload_kg(&self, x: &[f64; N]) -> f64 {
        match self.payload {
            Payload::Unknown { .. } => x[N - 1] * self.payload_scale_kg,
            Payload::Given(kg) => kg,
        }
    }

    pub(super) fn parameters(&self, kick_deg: f64, x: &[f64; N]) -> AscentParameters {
        AscentParameters {
            pitch_kick_deg: kick_deg,
            steering: UpperSteering::Targeted(ExoSteering {
                pitch_deg: x[0] * PITCH_SCALE_DEG,
                tan_pitch_rate_per_s: x[1] * RATE_SCALE_PER_S,
                yaw_deg: 0.0,
                cutoff_energy_j_kg: self.target_energy_j_kg,
                dogleg_deg: if self.dogleg { x[2] * AZIMUTH_SCALE_DEG } else { 0.0 },
                dogleg_turn: self.dogleg_turn,
                energy_weave_deg: self.energy_weave_deg,
                takes_over: self.takes_over,
            }),
            main_engine_burn_s: self.main_engine_burn_s,
            coast_s: self.coast_s,
            ..self.base
        }
    }

    pub(super) fn launch(&self, x: &[f64; N]) -> Launch {
        if self.dogleg {
            return self.launch;
        }
        Launch { azimuth_deg: (self.launch.azimuth_deg + x[2] * AZIMUTH_SCALE_DEG).rem_euclid(360.0), ..self.launch }
    }

    pub(super) fn fly(&mut self, kick_deg: f64, x: &[f64; N], options: FlightOptions) -> Result<FlightResult> {
        if self.budget_spent() {
            return Err(Error::FlightBudget { vehicle: self.vehicle.name.clone(), flights: self.max_flights });
        }
        self.flights += 1;
        (self.progress)(self.flights);
        let launch = self.launch(x);
        let setup = FlightSetup { vehicle: self.vehicle, payload_kg: self.payload_kg(x), launch, options };
        let parameters = self.parameters(kick_deg, x);
        parameters.check()?;
        fly(&setup, &mut AscentProgram::new(parameters, self.vehicle, &launch))
    }

    /// Targeting conditions, scaled: radius and flight-path angle at cutoff against insertion at
    /// the insertion height (the perigee unless [`Problem::optimize_insertion`] moved it) on the
    /// target orbit, inclination and, when the payload is unknown, the propellant margin.
    fn conditions(&mut self, kick_deg: f64, x: &[f64; N]) -> Option<[f64; N]> {
        let result = self.fly(kick_deg, x, self.options).ok()?;
        let (end_point, margin_kg) = match end_of_powered(self.vehicle, &result) {
            Some(end) => (end.point, propellant_margin_kg(self.vehicle, &result, &end, self.target_energy_j_kg)),
            None => match self.in_orbit_before_the_last_stage(&result) {
                Some(end) => end,
                None => {
                    self.unended.flights += 1;
                    self.unended.impacts += usize::from(result.outcome == crate::flight::FlightOutcome::Impact);
                    return None;
                }
            },
        };
        let p = &end_point;
        let orbit = OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
        let arg_perigee_deg = orbit.arg_perigee_rad.to_degrees().rem_euclid(360.0);
        self.last = Some(LastFlight { kick_deg, x: *x, max_q_pa: result.max_dynamic_pressure_pa, margin_kg, arg_perigee_deg });
        if !self.zones.is_empty() {
            self.last_jettisoned.clone_from(&result.jettisoned);
        }
        Some(first([
            (p.position_eci_m.norm() - self.target_radius_m - self.insertion_height_m.abs()) / RADIUS_SCALE_M,
            (p.flight_path_angle_deg - self.insertion_fpa_deg) / FLIGHT_PATH_SCALE_DEG,
            (orbit.inclination_rad.to_degrees() - self.target.inclination_deg) / INCLINATION_SCALE_DEG,
            (margin_kg - self.held_back_kg) / self.margin_scale_kg,
        ]))
    }

    /// Where a flight that reached orbit before its last stage was lit ends for the targeting of
    /// an unknown payload, and its propellant margin: the stages below overshoot the target's
    /// energy at this payload, and the flight ends in orbit at their last burnout with the last
    /// stage unlit. Four solid stages under a small liquid kick stage, with the built-in
    /// guesses' payloads (2 % of the liftoff mass and lighter), pass a 200 km orbit's energy
    /// before their last burnout, 200 to 520 km up; the same vehicle carries 3,230 kg to a
    /// 700 km SSO and 4,815 kg to the 200 km orbit. Such a flight had no end for Newton, which
    /// stopped at its first flight, and the 200 km orbit was refused from every site. The
    /// margin counts the last stage's whole load and the surplus energy by the rate of a solid
    /// last stage's ([`propellant_margin_kg`]): it meets the margin of a last stage lit for an
    /// instant where the surplus vanishes, and it is large and positive, so Newton raises the
    /// payload until the stages below fall short and the last stage burns. `None` where the
    /// payload is given (the margin is then no condition, and the radius and flight-path angle
    /// alone would target an orbit past the target's energy) or the flight did not reach orbit.
    fn in_orbit_before_the_last_stage(&self, result: &FlightResult) -> Option<(FlightPoint, f64)> {
        let last_index = self.vehicle.stages.len() - 1;
        if !matches!(self.payload, Payload::Unknown { .. })
            || result.outcome != crate::flight::FlightOutcome::Orbit
            || result.event(&EventKind::Ignition { stage: last_index }).is_some()
        {
            return None;
        }
        let point = result.event(&EventKind::Insertion)?.point;
        let last = &self.vehicle.stages[last_index];
        let load_kg = f64::from(last.units) * (last.propellant_mass_kg - last.reserve_mass_kg - last.startup_propellant_kg).max(0.0);
        let surplus = specific_energy(&point.position_eci_m, &point.velocity_eci_m_s, MU_EARTH_M3_S2) - self.target_energy_j_kg;
        let margin_kg = load_kg + energy_as_last_stage_propellant_kg(self.vehicle, &point, surplus.max(0.0));
        margin_kg.is_finite().then_some((point, margin_kg))
    }

    /// Target the ascent with kick `exp(log_kick)`, warm-started from the nearest solved kick
    /// (or from `start` when none is solved yet).
    fn target(&mut self, log_kick: f64, start: Option<[f64; N]>) -> Option<Solved<N>> {
        self.target_seeded(log_kick, start, None)
    }

    /// [`Problem::target`], with the Jacobian of `start` when it is known (a neighbouring
    /// point's solution).
    fn target_seeded(&mut self, log_kick: f64, start: Option<[f64; N]>, start_jacobian: Option<SMatrix<f64, N, N>>) -> Option<Solved<N>> {
        let kick_deg = log_kick.exp();
        let nearest = self.solved.iter().min_by(|a, b| (a.log_kick - log_kick).abs().total_cmp(&(b.log_kick - log_kick).abs())).copied();
        if let Some(n) = nearest.filter(|n| n.log_kick == log_kick) {
            return Some(n);
        }
        let (x0, jacobian) = match (nearest, start) {
            (Some(n), _) => (self.predicted_unknowns(&n, log_kick), Some(n.jacobian)),
            (None, Some(x0)) => (x0, start_jacobian),
            (None, None) => return None,
        };
        let options = self.newton;
        let mut result = newton::solve(|x| self.conditions(kick_deg, x), x0, jacobian, &options)?;
        if !result.converged && jacobian.is_some() {
            // The neighbour's Jacobian may not suit this kick: once more with a fresh one.
            result = newton::solve(|x| self.conditions(kick_deg, x), result.x, None, &options)?;
        }
        if !result.converged {
            self.record_failure(kick_deg, result.x);
            return None;
        }
        let (constraints, margin_kg, arg_perigee_deg) = match self.last {
            Some(l) if l.is_of(kick_deg, &result.x) => {
                (self.constraint_state(l.max_q_pa, &self.last_jettisoned), l.margin_kg, l.arg_perigee_deg)
            }
            _ => {
                let flight = self.fly(kick_deg, &result.x, self.options).ok()?;
                let end = end_of_powered(self.vehicle, &flight)?;
                let margin_kg = propellant_margin_kg(self.vehicle, &flight, &end, self.target_energy_j_kg);
                let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
                let arg_perigee_deg = orbit.arg_perigee_rad.to_degrees().rem_euclid(360.0);
                (self.constraint_state(flight.max_dynamic_pressure_pa, &flight.jettisoned), margin_kg, arg_perigee_deg)
            }
        };
        Some(self.keep_converged(log_kick, &result, margin_kg, arg_perigee_deg, constraints))
    }

    /// The unknowns at kick `exp(log_kick)` extrapolated along the line through the nearest
    /// solved kick `nearest` and the solved kick next nearest to it: the solution moves
    /// smoothly with the kick, and a start on that secant leaves Newton fewer flights than
    /// the neighbour's own unknowns (a first-order continuation predictor). The neighbour's
    /// unknowns when it is the only kick solved; within the bounds.
    fn predicted_unknowns(&self, nearest: &Solved<N>, log_kick: f64) -> [f64; N] {
        let second = self
            .solved
            .iter()
            .filter(|s| s.log_kick != nearest.log_kick)
            .min_by(|a, b| (a.log_kick - nearest.log_kick).abs().total_cmp(&(b.log_kick - nearest.log_kick).abs()));
        let Some(second) = second else { return nearest.x };
        self.extrapolated(&nearest.x, &second.x, (log_kick - nearest.log_kick) / (nearest.log_kick - second.log_kick))
    }

    /// The unknowns `fraction` of the way from `second` to `nearest` beyond `nearest`, within
    /// the bounds: a secant predictor along any line of solved neighbours.
    fn extrapolated(&self, nearest: &[f64; N], second: &[f64; N], fraction: f64) -> [f64; N] {
        let mut x = *nearest;
        for (i, xi) in x.iter_mut().enumerate() {
            *xi = (*xi + fraction * (nearest[i] - second[i])).clamp(self.newton.lower[i], self.newton.upper[i]);
        }
        x
    }

    /// Max-Q and the designated zones, for one flight.
    fn constraint_state(&self, max_q_pa: f64, jettisoned: &[JettisonedBody]) -> ConstraintState {
        let (zone_excess, zone_miss) = if self.zones.is_empty() {
            (f64::NEG_INFINITY, None)
        } else {
            let checks = check_nominal(self.zones, self.vehicle, jettisoned);
            let (excess, worst) = worst_excess(self.zones, &checks);
            (excess, worst.map(|c| (c.zone, c.distance_km)))
        };
        ConstraintState { max_q_pa, zone_excess, zone_miss }
    }

    /// Relative excess over the max-Q limit (negative under it, −∞ without a limit).
    fn max_q_excess(&self, s: &Solved<N>) -> f64 {
        self.vehicle.limits.max_q_pa.map_or(f64::NEG_INFINITY, |limit| (s.constraints.max_q_pa - limit) / limit)
    }

    /// The worst relative violation of any constraint: ≤ 0 when the ascent keeps them all.
    fn violation(&self, s: &Solved<N>) -> f64 {
        self.max_q_excess(s).max(s.constraints.zone_excess)
    }

    fn feasible(&self, s: &Solved<N>) -> bool {
        self.violation(s) <= 0.0
    }

    /// Why no ascent shape keeps the constraints, from the shape that came nearest.
    fn infeasible(&self) -> Error {
        let vehicle = &self.vehicle.name;
        let nearest = self.solved.iter().min_by(|a, b| self.violation(a).total_cmp(&self.violation(b)));
        if let (Some(limit), Some(s)) = (self.vehicle.limits.max_q_pa, nearest) {
            if self.max_q_excess(s) > 0.0 || s.constraints.zone_excess <= 0.0 {
                let throttled = self.vehicle.stages.iter().any(|s| s.motor.is_none() && s.engine.throttle_min < 1.0);
                return Error::Unreachable(format!(
                    "{vehicle}: no ascent shape keeps the dynamic pressure under the vehicle's limit of {:.1} kPa{} (lowest reached {:.1} kPa)",
                    limit / 1e3,
                    if throttled { ", its liquid engines throttled no deeper than their `throttle_min`" } else { "" },
                    self.solved.iter().map(|s| s.constraints.max_q_pa).fold(f64::INFINITY, f64::min) / 1e3
                ));
            }
        }
        let Some((zone_index, _)) = nearest.and_then(|s| s.constraints.zone_miss) else {
            return Error::Unreachable(format!("{vehicle}: no ascent shape keeps the ascent's constraints"));
        };
        let zone = &self.zones[zone_index];
        let nearest_km = self
            .solved
            .iter()
            .filter_map(|s| s.constraints.zone_miss.filter(|m| m.0 == zone_index).and_then(|m| m.1))
            .fold(f64::INFINITY, f64::min);
        Error::Unreachable(format!(
            "{vehicle}: no ascent shape brings the {} stage down inside the designated zone {} ({} km around {:.3}° N {:.3}° E): the nearest nominal impact found is {} from its centre",
            zone.bodies,
            zone.name,
            zone.radius_km,
            zone.latitude_deg,
            zone.longitude_deg,
            if nearest_km.is_finite() { format!("{nearest_km:.0} km") } else { "nowhere (it does not come down)".to_owned() }
        ))
    }

    /// The whole search: the first targeting from built-in guesses, then the kick that carries
    /// the most (payload unknown) or leaves the most propellant (payload given), holding the
    /// constraints. `guess_payload_kg` is the payload of the first guess. `Ok(None)` when no
    /// built-in guess could be targeted (the caller says why: [`Problem::last_failure`] holds
    /// where the last attempt stopped, [`Problem::base`] its ascent).
    pub(super) fn search(&mut self, guess_payload_kg: f64) -> Result<Option<Solved<N>>> {
        self.search_among(&[guess_payload_kg])
    }

    /// [`Problem::search`] from the first of `guess_payloads_kg` (heaviest first) that can be
    /// targeted: each pitch-over speed is tried with every payload guess before the next speed,
    /// and all of them before the azimuth-corrected guesses ([`Problem::first_targeting`]). A
    /// payload too heavy for the last stage fails whatever the steering, so its other steering
    /// guesses would be flown in vain.
    pub(super) fn search_among(&mut self, guess_payloads_kg: &[f64]) -> Result<Option<Solved<N>>> {
        self.search_among_within(guess_payloads_kg, usize::MAX)
    }

    /// [`Problem::search_among`] with its first targeting held to `first_flights` more flights
    /// (within the problem's own budget); the kick search after it is not held.
    fn search_among_within(&mut self, guess_payloads_kg: &[f64], first_flights: usize) -> Result<Option<Solved<N>>> {
        let budget = self.max_flights;
        self.max_flights = budget.min(self.flights.saturating_add(first_flights));
        let first = self.first_targeting(guess_payloads_kg);
        self.max_flights = budget;
        let Some(log_kick0) = first else { return Ok(None) };
        self.search_kick_from(log_kick0).map(Some)
    }

    /// [`Problem::search_among`] then the insertion search ([`Problem::optimize_insertion`]);
    /// on an eccentric target whose built-in guesses cannot be targeted at the perigee, the
    /// guesses once more with the cutoff aimed halfway up the span of heights the insertion
    /// search covers, and that search from there. A stack whose solid stages burn out steep and
    /// fast cannot always come down to a perigee a little above its best ascent's (Vega-C, its
    /// AVUM+ flown in one burn: 1,916 kg to 200 × 8,000 km, but no ascent found to 220 × 8,000 km
    /// cut off at the perigee), and cut off higher up the orbit it carries nearly as much.
    /// There the guesses at the perigee are held to [`PERIGEE_GUESS_FLIGHTS`] before the cutoff
    /// is aimed halfway: trying them all to fail took some 8,500 flights, four fifths of Vega-C's
    /// search to a GTO flown in one burn; only when halfway fails too are they tried in full.
    pub(super) fn search_among_then_higher(&mut self, guess_payloads_kg: &[f64]) -> Result<Option<Solved<N>>> {
        if self.height_from_start {
            // Aimed at the height of a start that could not be targeted there: the guesses at
            // that height, then the height searched from it. The start lay near (another load
            // of the upper stage: Electron/Curie to 200 × 35,786 km, whose best cutoff climbs
            // from 630 km at 9 % of the load to 950 km at 11 %, and whose ascent at one load's
            // kick and height is targeted within half a percent of that load only), so its
            // height is nearer the answer than the perigee, where Curie's guesses all fail.
            let Some(best) = self.search_among(guess_payloads_kg)? else { return Ok(None) };
            return self.optimize_insertion(best).map(Some);
        }
        let halfway_next = self.target.insertion_searched() && self.insertion_height_m == 0.0;
        let first_flights = if halfway_next { PERIGEE_GUESS_FLIGHTS } else { usize::MAX };
        if let Some(best) = self.search_among_within(guess_payloads_kg, first_flights)? {
            return self.optimize_insertion(best).map(Some);
        }
        if !self.target.insertion_searched() || self.insertion_height_m != 0.0 || self.budget_spent() {
            return Ok(None);
        }
        let height_m = 0.5 * self.target.insertion_span_m();
        self.set_insertion_height(height_m);
        let Some(best) = self.search_among(guess_payloads_kg)? else {
            self.set_insertion_height(0.0);
            if !self.budget_spent() {
                // Every guess at the perigee, as before the cutoff was aimed higher.
                if let Some(best) = self.search_among(guess_payloads_kg)? {
                    return self.optimize_insertion(best).map(Some);
                }
            }
            return Ok(None);
        };
        let best = self.search_insertion_from(best, height_m)?;
        self.hold_argument_of_perigee(best).map(Some)
    }

    /// With a given payload and a solid last stage, which cannot be cut off at the orbit's
    /// energy: the ascent whose burnout meets it, from `best` (the kick that leaves the largest
    /// surplus, counted as propellant by [`propellant_margin_kg`]); `best` itself when it has
    /// none. First the last stage's energy-management weave at `best`'s kick
    /// ([`Problem::weave_off_surplus`]), as solid upper stages fly it: the stages below keep
    /// their ascent (and their drop zones), and the vehicle's limits (max-Q) hold as they did.
    /// Where the weave finds nothing, the ascent's shape ([`Problem::shape_off_surplus`]).
    /// `None` when neither burns the surplus off.
    fn burn_off_surplus(&mut self, best: Solved<N>) -> Option<Solved<N>> {
        let tolerance_kg = self.solid_surplus_tolerance_kg();
        if best.margin_kg <= tolerance_kg {
            return (best.margin_kg >= -tolerance_kg).then_some(best);
        }
        self.weave_off_surplus(best).or_else(|| self.shape_off_surplus(best))
    }

    /// [`SOLID_SURPLUS_APOGEE_M`] as the propellant of the solid last stage, kg, the margin's
    /// unit ([`propellant_margin_kg`]: energy over speed, times mass over exhaust velocity):
    /// the apogee moves by `4a²·Δε/μ` with the perigee held, the speed is the orbit's at its
    /// perigee, and the mass the lightest the stage can burn out with (its dry mass and the
    /// given payload), so that the tolerance errs tight.
    fn solid_surplus_tolerance_kg(&self) -> f64 {
        let Some(last) = self.vehicle.stages.last() else { return 0.0 };
        let a_m = self.target.semi_major_axis_m();
        let perigee_radius_m = WGS84_A_M + self.target.perigee_m;
        let speed_m_s = (MU_EARTH_M3_S2 * (2.0 / perigee_radius_m - 1.0 / a_m)).max(1.0).sqrt();
        let energy_j_kg = MU_EARTH_M3_S2 * SOLID_SURPLUS_APOGEE_M / (4.0 * a_m * a_m);
        let exhaust_velocity_m_s = last.thrust_vac_n() / last.mass_flow_kg_s();
        let payload_kg = match self.payload {
            Payload::Given(kg) => kg,
            Payload::Unknown { .. } => 0.0,
        };
        let burnout_mass_kg = last.dry_mass_kg + payload_kg.max(0.0);
        energy_j_kg / speed_m_s * burnout_mass_kg / exhaust_velocity_m_s
    }

    /// [`Problem::burn_off_surplus`] by the ascent's shape: the surplus falls as the kick moves
    /// away from `best`'s, the ascent lofted or flattened past its best shape, so steps of
    /// growing length either way bracket a kick with none, and the secant of the surplus over
    /// ln(kick) within the bracket (kept by regula falsi's rule) finds where it vanishes, to
    /// [`Problem::solid_surplus_tolerance_kg`], keeping the vehicle's limits (max-Q). `None` when no kick
    /// within the range of a kick search burns the surplus off.
    fn shape_off_surplus(&mut self, best: Solved<N>) -> Option<Solved<N>> {
        let tolerance_kg = self.solid_surplus_tolerance_kg();
        let (lowest, highest) = self.kick_range();
        for direction in [1.0, -1.0] {
            // Out from `best` until a kick leaves no surplus (or none is targeted further).
            let (mut inside, mut step) = (best, KICK_FIRST_STEP);
            let mut outside = None;
            for _ in 0..MAX_KICK_EVALUATIONS {
                let u = (inside.log_kick + direction * step).clamp(lowest, highest);
                if u == inside.log_kick || self.budget_spent() {
                    break;
                }
                let Some(solved) = self.target(u, None) else { break };
                if solved.margin_kg <= 0.0 {
                    outside = Some(solved);
                    break;
                }
                (inside, step) = (solved, step * 1.618_033_988_749_895);
            }
            let Some(mut outside) = outside else { continue };
            for _ in 0..MAX_SURPLUS_ITERATIONS {
                // An ascent on the orbit's energy ends the search on this side, taken when it
                // keeps the vehicle's limits.
                let on_energy = [outside, inside].into_iter().find(|s| s.margin_kg.abs() <= tolerance_kg);
                if let Some(on_energy) = on_energy {
                    if self.feasible(&on_energy) {
                        return Some(on_energy);
                    }
                    break;
                }
                let t = inside.margin_kg / (inside.margin_kg - outside.margin_kg);
                let u = inside.log_kick + t * (outside.log_kick - inside.log_kick);
                if self.budget_spent() {
                    break;
                }
                let solved = self.target(u, None)?;
                if solved.margin_kg > 0.0 {
                    inside = solved;
                } else {
                    outside = solved;
                }
            }
        }
        None
    }

    /// [`Problem::burn_off_surplus`] by the energy-management weave of the solid last stage
    /// ([`ExoSteering::energy_weave_deg`]), the ascent's shape kept at `best`'s kick: the weave
    /// whose burnout meets the orbit's energy, each weave's ascent targeted from the last one's.
    /// The along-track Δv the weave costs grows as `1 − cos` of its angle, so the surplus falls
    /// nearly in proportion to that, and the search runs over it: out from none in steps
    /// extrapolated along the secant until a weave leaves no surplus, then regula falsi (the
    /// Illinois rule) to [`Problem::solid_surplus_tolerance_kg`]. `None` when even
    /// [`MAX_ENERGY_WEAVE_DEG`] leaves a surplus, a weave's ascent cannot be targeted, or the
    /// answer breaks a limit; the problem then flies no weave and keeps the kicks it had solved.
    /// The weaves' targetings count as flights, not as kicks tried.
    fn weave_off_surplus(&mut self, best: Solved<N>) -> Option<Solved<N>> {
        let kicks = self.kicks_solved();
        let unweaved = self.solved.clone();
        let found = self.search_weave(best);
        if found.is_none() {
            self.set_energy_weave_deg(0.0);
            self.solved = unweaved;
        }
        self.earlier_kicks = kicks.saturating_sub(self.solved.len());
        found
    }

    /// The search of [`Problem::weave_off_surplus`]; the weave it ends on is the problem's.
    fn search_weave(&mut self, best: Solved<N>) -> Option<Solved<N>> {
        let tolerance_kg = self.solid_surplus_tolerance_kg();
        let most = 1.0 - MAX_ENERGY_WEAVE_DEG.to_radians().cos();
        // The weave of a share `w` of the along-track Δv, targeted from `from`.
        let at = |this: &mut Self, w: f64, from: &Solved<N>| {
            this.set_energy_weave_deg((1.0 - w).acos().to_degrees());
            if this.budget_spent() {
                return None;
            }
            this.target_seeded(from.log_kick, Some(from.x), Some(from.jacobian))
        };
        let (mut inside, mut inside_w) = (best, 0.0);
        let mut w = WEAVE_FIRST_SHARE.min(most);
        let mut shortened = 0;
        let (mut outside, mut outside_w) = loop {
            let Some(solved) = at(self, w, &inside) else {
                // Too far a step for the targeting to follow (the launch azimuth moves fast with
                // the weave near the pad's latitude): half as far.
                if shortened == MAX_WEAVE_STEP_HALVINGS {
                    return None;
                }
                shortened += 1;
                w = inside_w + 0.5 * (w - inside_w);
                continue;
            };
            if solved.margin_kg <= 0.0 {
                break (solved, w);
            }
            if w >= most {
                return None;
            }
            // Along the secant from the last two, at least half as far again and at most four times.
            let slope = (inside.margin_kg - solved.margin_kg) / (w - inside_w);
            let next = if slope > 0.0 { w + solved.margin_kg / slope } else { 2.0 * w };
            (inside, inside_w) = (solved, w);
            w = next.clamp(1.5 * w, 4.0 * w).min(most);
        };
        // Illinois: the end kept twice running has its surplus halved in the secant.
        let (mut inside_kg, mut outside_kg) = (inside.margin_kg, outside.margin_kg);
        let mut kept_side = 0i8;
        for _ in 0..MAX_SURPLUS_ITERATIONS {
            let on_energy = [(outside, outside_w), (inside, inside_w)].into_iter().find(|(s, _)| s.margin_kg.abs() <= tolerance_kg);
            if let Some((s, w)) = on_energy {
                self.set_energy_weave_deg((1.0 - w).acos().to_degrees());
                return self.feasible(&s).then_some(s);
            }
            let w = inside_w + inside_kg / (inside_kg - outside_kg) * (outside_w - inside_w);
            let solved = at(self, w, &inside)?;
            if solved.margin_kg > 0.0 {
                (inside, inside_w, inside_kg) = (solved, w, solved.margin_kg);
                outside_kg = if kept_side == -1 { 0.5 * outside_kg } else { outside_kg };
                kept_side = -1;
            } else {
                (outside, outside_w, outside_kg) = (solved, w, solved.margin_kg);
                inside_kg = if kept_side == 1 { 0.5 * inside_kg } else { inside_kg };
                kept_side = 1;
            }
        }
        None
    }

    /// Fly the last solid stage's energy-management weave at `deg` from now on: the targetings
    /// kept for other weaves no longer describe this problem's flights.
    fn set_energy_weave_deg(&mut self, deg: f64) {
        if self.energy_weave_deg != deg {
            self.energy_weave_deg = deg;
            self.solved.clear();
            self.last = None;
        }
    }

    /// With a given payload that the built-in guesses could not target: start from the ascent
    /// that carries the maximum payload `max` (always targetable, the optimizer having found
    /// it) and lighten the payload to the given one in [`CONTINUATION_STEPS`] steps, each
    /// targeting from the last; then the kick search. `Ok(None)` when a step fails.
    pub(super) fn search_from_heavier(&mut self, max: &super::payload::PayloadSolution) -> Result<Option<Solved<N>>> {
        self.search_from_heavier_weaving(max, 0.0)
    }

    /// [`Problem::search_from_heavier`] with the last solid stage's energy-management weave
    /// widened with the payload's steps to the one that costs the share `weave_share` (`1 − cos`)
    /// of its along-track Δv ([`weave_share_below_liquid`]); 0: no weave.
    fn search_from_heavier_weaving(&mut self, max: &super::payload::PayloadSolution, weave_share: f64) -> Result<Option<Solved<N>>> {
        let Payload::Given(given_kg) = self.payload else { return Ok(None) };
        let UpperSteering::Targeted(law) = max.parameters.steering else { return Ok(None) };
        self.base = max.parameters;
        self.main_engine_burn_s = max.parameters.main_engine_burn_s;
        self.coast_s = max.parameters.coast_s;
        // The largest payload's dogleg is this one's too (its launch at the corridor's edge).
        let max_dogleg_azimuth_deg = (law.dogleg_deg != 0.0).then_some(max.launch.azimuth_deg);
        let azimuth_change_deg = if max_dogleg_azimuth_deg.is_some() {
            law.dogleg_deg
        } else {
            crate::units::wrap_pi((max.launch.azimuth_deg - self.launch.azimuth_deg).to_radians()).to_degrees()
        };
        let third = self.third_unknown_of(azimuth_change_deg, max_dogleg_azimuth_deg);
        let mut x: [f64; N] = first([law.pitch_deg / PITCH_SCALE_DEG, law.tan_pitch_rate_per_s / RATE_SCALE_PER_S, third, 0.0]);
        let log_kick = max.parameters.pitch_kick_deg.max(1e-3).ln();
        for step in 1..=CONTINUATION_STEPS {
            let fraction = step as f64 / CONTINUATION_STEPS as f64;
            self.payload = Payload::Given(max.payload_kg + (given_kg - max.payload_kg) * fraction);
            self.set_energy_weave_deg((1.0 - weave_share * fraction).acos().to_degrees());
            self.solved.clear();
            self.last = None;
            let Some(solved) = self.target(log_kick, Some(x)) else { return Ok(None) };
            x = solved.x;
        }
        self.search_kick_from(log_kick).map(Some)
    }

    /// The kick search from a targeted kick.
    fn search_kick_from(&mut self, log_kick0: f64) -> Result<Solved<N>> {
        self.newton.max_evaluations = WARM_TARGETING_FLIGHTS;
        // Ascent shape: the kick that carries the most.
        let span = KICK_RANGE_FACTOR.ln();
        let (lowest, highest) = (log_kick0 - span, log_kick0 + span);
        let best = self
            .climb_kick_from(log_kick0, (lowest, highest))
            .ok_or_else(|| Error::Unreachable(format!("{}: no ascent shape could be targeted", self.vehicle.name)))?;
        let (best, range) = self.climb_past_range_end(best, (lowest, highest));
        let best = self.other_summit_beside(best, range);
        let best = if self.feasible(&best) { best } else { hold_constraints(self, best, range)? };
        Ok(best)
    }

    /// The kick search's summit `best` in `range`, or, where it lies on an end of the range, the
    /// summit past that end: the range is [`KICK_RANGE_FACTOR`] either side of the open-loop
    /// kick that reaches a set flight-path angle at the first separation, which centres the
    /// search and bounds nothing physical. A lofted ascent to a high orbit with a last stage that
    /// burns once wants a steeper climb than any of those angles: Soyuz-2.1v from Vandenberg to a
    /// 700 km SSO carried 838.6 kg at the range's lowest kick, 0.025°, and 841.2 kg at 0.020°;
    /// to 800 km 176.6 kg walked up from lower orbits, whose searches stopped at their ranges'
    /// ends, and 211.4 kg past them. The range is widened by the same factor beyond the end the
    /// summit lies on, and the climb goes on from it, while the summit keeps to the new end and
    /// the kick stays within [`MIN_LOG_KICK`]..[`MAX_LOG_KICK`]. Returns the summit and the
    /// range searched, which the vehicle's limits are then held within.
    fn climb_past_range_end(&mut self, best: Solved<N>, range: (f64, f64)) -> (Solved<N>, (f64, f64)) {
        let span = KICK_RANGE_FACTOR.ln();
        let (mut best, mut range) = (best, range);
        loop {
            let (at_lowest, at_highest) = on_movable_end(best.log_kick, range, (MIN_LOG_KICK, MAX_LOG_KICK));
            if !(at_lowest || at_highest) || self.budget_spent() {
                return (best, range);
            }
            range = if at_lowest { ((range.0 - span).max(MIN_LOG_KICK), range.1) } else { (range.0, (range.1 + span).min(MAX_LOG_KICK)) };
            match self.climb_kick_from(best.log_kick, range) {
                Some(climbed) if climbed.objective() > best.objective() => best = climbed,
                _ => return (best, range),
            }
        }
    }

    /// The summit of the payload over ln(kick) in `[lowest, highest]` that the search climbs to
    /// from `log_kick0` ([`scalar::maximize_near`]), as solved; `None` when none is targeted.
    fn climb_kick_from(&mut self, log_kick0: f64, (lowest, highest): (f64, f64)) -> Option<Solved<N>> {
        let summit = scalar::maximize_near(
            |u| self.target(u, None).map(|s| s.objective()),
            lowest,
            highest,
            log_kick0,
            KICK_FIRST_STEP,
            KICK_TOLERANCE,
            MAX_KICK_EVALUATIONS,
        )?;
        self.solved.iter().find(|s| s.log_kick == summit.x).copied()
    }

    /// The kick search's summit `best`, or a higher one beside it, where the payload over the
    /// kick can have more than one summit. On an eccentric target flown by a vehicle with a
    /// solid motor, the motors (which cannot be throttled or shut down) burn out in a different
    /// regime for each family of ascents (Vega-C with its AVUM+ in one burn to 250 × 8,000 km:
    /// from the first kick targeted the search climbed to 1,497 kg at a 34° kick, a summit of the
    /// steeper family, where a 29° kick carries 1,887 kg). On a circular target, a last stage
    /// that burns once climbs to the orbit's height under power, lofted either by the stages
    /// below or by its own steep pitch (Electron to a 500 km SSO from Vandenberg: 53.1 kg at a
    /// 24.6° kick, its upper stage's pitch starting at 62°; 72.5 kg at 19.1° and 46°). A kick
    /// [`KICK_PROBE_STEP`] either side of the summit is targeted once; where one carries more,
    /// the search climbs again from it, and the higher summit is kept. Not for a restartable
    /// last stage on a circular target nor for a liquid vehicle on an eccentric one: there the
    /// probes gained at most 0.04 % over the catalog's low-orbit and SSO cases and 168 named
    /// orbits, for 5–30 % more flights, and they can send the elliptic profile's cutoff search
    /// down a poorer path (docs/validation.md).
    fn other_summit_beside(&mut self, best: Solved<N>, (lowest, highest): (f64, f64)) -> Solved<N> {
        let mut best = best;
        let solid_to_an_ellipse = self.target.insertion_searched() && self.vehicle.stages.iter().any(|s| s.is_solid());
        let one_burn_to_a_circle = !self.target.insertion_searched() && self.vehicle.stages.last().is_some_and(|s| s.max_burns() == 1);
        if !(solid_to_an_ellipse || one_burn_to_a_circle) {
            return best;
        }
        for side in [-1.0, 1.0] {
            let probe = best.log_kick + side * KICK_PROBE_STEP;
            if !(lowest..=highest).contains(&probe) || self.budget_spent() {
                continue;
            }
            let Some(probed) = self.target(probe, None) else { continue };
            if probed.objective() <= best.objective() {
                continue;
            }
            if let Some(climbed) = self.climb_kick_from(probe, (lowest, highest)).filter(|c| c.objective() > best.objective()) {
                best = climbed;
            }
        }
        best
    }

    /// Kicks targeted so far.
    pub(super) fn kicks_solved(&self) -> usize {
        self.earlier_kicks + self.solved.len()
    }
}

/// Whether a kick search's summit `x` (ln of the kick) lies on the lower or the upper end of the
/// interval `[a, b]` it searched, within two of its tolerances, where that end could move out
/// toward `lo` or `hi`: the summit may lie beyond it.
fn on_movable_end(x: f64, (a, b): (f64, f64), (lo, hi): (f64, f64)) -> (bool, bool) {
    (x - a < 2.0 * KICK_TOLERANCE && a > lo, b - x < 2.0 * KICK_TOLERANCE && b < hi)
}

/// A solved ascent as the starting guess of a neighbouring problem (the next point of a sweep):
/// physical values, so that it carries over to another orbit, site or vehicle variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Seed<const N: usize> {
    /// The open-loop program the solution's search was centred on (its kick is the centre of
    /// the kick range; vertical rise and pitch-over speed are the solution's).
    base: AscentParameters,
    /// The solution's kick, degrees.
    kick_deg: f64,
    /// Initial pitch of the linear-tangent law, degrees.
    pitch_deg: f64,
    /// Its tan-pitch rate, 1/s.
    tan_pitch_rate_per_s: f64,
    /// Launch azimuth less the spherical-Earth estimate for its orbit, degrees: what the
    /// Earth's rotation under the first stages takes from the plane, which varies slowly from
    /// one orbit to the next. In a dogleg (a corridor fixes the azimuth), the yaw, degrees.
    azimuth_change_deg: f64,
    /// Payload, kg.
    payload_kg: f64,
    /// Height of the solution's cutoff above the target's perigee, m
    /// ([`Problem::optimize_insertion`]; 0: at the perigee).
    insertion_height_m: f64,
    /// Jacobian of the scaled conditions at the solution.
    jacobian: SMatrix<f64, N, N>,
    /// The launch azimuth of a doglegged solution, degrees (`None`: no dogleg).
    dogleg_azimuth_deg: Option<f64>,
    /// Where the solution's targeted law took over from the gravity turn.
    takes_over: SteeringStart,
}

/// Half-width of the kick bracket searched around a seed's kick, in ln(kick): neighbouring
/// points of a sweep have optimal kicks within a few per cent of each other. When the maximum
/// lands on the bracket's edge the whole range is searched.
const SEED_KICK_BRACKET: f64 = 0.1;
/// How near a kick that could not be targeted, in ln(kick), puts a seeded kick search's summit
/// at the edge of what its start targets ([`Problem::search_kick_near_watching`]): a few times
/// the search's tolerance, within which Brent's steps close in on a failure the payload rises
/// toward (Soyuz-2.1b to 1,000 km from its 200 km ascent: summit at 4.370°, failure at 4.331°,
/// 0.009 apart).
const UNTARGETED_EDGE: f64 = 4.0 * KICK_TOLERANCE;

impl<const N: usize> Seed<N> {
    /// Payload, kg.
    pub(super) fn payload_kg(&self) -> f64 {
        self.payload_kg
    }
}

impl<const N: usize> Problem<'_, N> {
    /// The seed of a solution of this problem, for a neighbouring one.
    pub(super) fn seed(&self, solved: &Solved<N>) -> Seed<N> {
        Seed {
            base: self.base,
            kick_deg: solved.log_kick.exp(),
            pitch_deg: solved.x[0] * PITCH_SCALE_DEG,
            tan_pitch_rate_per_s: solved.x[1] * RATE_SCALE_PER_S,
            azimuth_change_deg: solved.x[2] * AZIMUTH_SCALE_DEG,
            payload_kg: self.payload_kg(&solved.x),
            insertion_height_m: self.insertion_height_m,
            jacobian: solved.jacobian,
            dogleg_azimuth_deg: self.dogleg.then_some(self.launch.azimuth_deg),
            takes_over: self.takes_over,
        }
    }

    /// [`Problem::search`] from a neighbour's solution instead of the built-in guesses: target
    /// at the seed's kick from its unknowns and Jacobian, then search the kick as `kick` says,
    /// holding the constraints. `Ok(None)` when the seed cannot be targeted, or (`gives_way`)
    /// when a near kick search stops at the edge of the kicks it can target; the problem is then
    /// as before for [`Problem::search`].
    pub(super) fn search_from(&mut self, seed: &Seed<N>, kick: KickSearch, gives_way: bool) -> Result<Option<Solved<N>>> {
        let cold = (self.base, self.newton.max_evaluations, self.takes_over);
        self.base = seed.base;
        self.takes_over = seed.takes_over;
        let whole_kick_range = kick == KickSearch::Whole;
        // A distant seed that does not target quickly is not worth more than a cold start.
        self.newton.max_evaluations = if whole_kick_range { DISTANT_TARGETING_FLIGHTS } else { WARM_TARGETING_FLIGHTS };
        let payload_scaled = match self.payload {
            Payload::Unknown { .. } => seed.payload_kg / self.payload_scale_kg,
            Payload::Given(_) => 0.0,
        };
        let third = self.third_unknown_of(seed.azimuth_change_deg, seed.dogleg_azimuth_deg);
        let x0 = first([seed.pitch_deg / PITCH_SCALE_DEG, seed.tan_pitch_rate_per_s / RATE_SCALE_PER_S, third, payload_scaled]);
        let u0 = seed.kick_deg.max(1e-3).ln();
        let at_seed_height = matches!(kick, KickSearch::Held | KickSearch::NearAtHeight)
            && seed.insertion_height_m != 0.0
            && self.insertion_height_m == 0.0
            && self.target.insertion_searched();
        if at_seed_height {
            // The seed's cutoff height held as well (unless the caller aimed the cutoff
            // itself): its Jacobian is that height's.
            self.set_insertion_height(seed.insertion_height_m.min(self.target.insertion_span_m()));
        }
        let held = self.target_seeded(u0, Some(x0), Some(seed.jacobian));
        // A seed that launches outside the corridors leaves the search to the built-in guesses,
        // flown as the dogleg from their edge; from the seed's height where it aimed there.
        let Some(held) = held.filter(|h| !self.doglegged_if_outside(h)) else {
            (self.base, self.newton.max_evaluations, self.takes_over) = cold;
            self.height_from_start = at_seed_height;
            return Ok(None);
        };
        self.height_from_start = at_seed_height && kick == KickSearch::NearAtHeight;
        if whole_kick_range {
            // The kick range is centred on the start, as a cold search's is on its first kick.
            self.base.pitch_kick_deg = seed.kick_deg;
            return self.search_kick_from(u0).map(Some);
        }
        if kick == KickSearch::Held {
            let held = if self.feasible(&held) { held } else { hold_constraints(self, held, self.kick_range_around(u0))? };
            return Ok(Some(held));
        }
        let (best, at_untargeted_edge) = self.search_kick_near_watching(u0)?;
        if at_untargeted_edge && gives_way {
            // The payload still rose toward kicks this start could not target: its ascents end
            // there, and the best ascent may belong to another family, which the built-in
            // guesses find (Soyuz-2.1b, 200 → 1,000 km: 1,157 kg at a 4.4° kick from the start,
            // 1,734 kg at 2.0° from the guesses).
            (self.base, self.newton.max_evaluations, self.takes_over) = cold;
            return Ok(None);
        }
        Ok(Some(best))
    }

    /// The range of kicks searched, ln(kick): [`KICK_RANGE_FACTOR`] either side of the kick
    /// the search is centred on.
    fn kick_range(&self) -> (f64, f64) {
        let span = KICK_RANGE_FACTOR.ln();
        let centre = self.base.pitch_kick_deg.max(1e-3).ln();
        (centre - span, centre + span)
    }

    /// [`Problem::kick_range`], reaching [`SEED_KICK_BRACKET`] past `u0` (ln of a seed's kick)
    /// where the seed lies near or beyond an end: its own search widened its range
    /// ([`Problem::climb_past_range_end`]), or a dogleg's walk step started from it.
    fn kick_range_around(&self, u0: f64) -> (f64, f64) {
        let (lowest, highest) = self.kick_range();
        (lowest.min((u0 - SEED_KICK_BRACKET).max(MIN_LOG_KICK)), highest.max((u0 + SEED_KICK_BRACKET).min(MAX_LOG_KICK)))
    }

    /// The kick that carries the most, searched in a bracket of [`SEED_KICK_BRACKET`] around
    /// `u0` (ln of a kick targeted already), then, when the best lies on the bracket's edge,
    /// climbed to from there over the whole range ([`scalar::maximize_near`]: steps growing from
    /// the edge, each targeted from its neighbour; a golden-section step across the range could
    /// not be targeted from that far and left the search creeping toward it, short of the
    /// summit); then the vehicle's limits held.
    fn search_kick_near(&mut self, u0: f64) -> Result<Solved<N>> {
        self.search_kick_near_watching(u0).map(|(best, _)| best)
    }

    /// [`Problem::search_kick_near`], and whether its summit lies at the edge of the kicks that
    /// could be targeted: a kick within [`UNTARGETED_EDGE`] of it failed, so the search stopped
    /// where the targeting did, not where the payload stops rising.
    fn search_kick_near_watching(&mut self, u0: f64) -> Result<(Solved<N>, bool)> {
        let (lowest, highest) = self.kick_range_around(u0);
        let (a, b) = ((u0 - SEED_KICK_BRACKET).max(lowest), (u0 + SEED_KICK_BRACKET).min(highest));
        let mut untargeted = Vec::new();
        let mut payload_at = |problem: &mut Self, u: f64| {
            let objective = problem.target(u, None).map(|s| s.objective());
            if objective.is_none() {
                untargeted.push(u);
            }
            objective
        };
        let mut m = scalar::maximize(|u| payload_at(self, u), a, b, u0, KICK_TOLERANCE, MAX_KICK_EVALUATIONS);
        if let Some(edge) = m.filter(|m| on_movable_end(m.x, (a, b), (lowest, highest)) != (false, false)) {
            m = scalar::maximize_near(
                |u| payload_at(self, u),
                lowest,
                highest,
                edge.x,
                KICK_FIRST_STEP,
                KICK_TOLERANCE,
                MAX_KICK_EVALUATIONS,
            );
        }
        let best = m
            .and_then(|m| self.solved.iter().find(|s| s.log_kick == m.x).copied())
            .ok_or_else(|| Error::Unreachable(format!("{}: no ascent shape could be targeted", self.vehicle.name)))?;
        let (best, range) = self.climb_past_range_end(best, (lowest, highest));
        let at_untargeted_edge = untargeted.iter().any(|u| (u - best.log_kick).abs() <= UNTARGETED_EDGE);
        let best = if self.feasible(&best) { best } else { hold_constraints(self, best, range)? };
        Ok((best, at_untargeted_edge))
    }

    /// The kick searched again near `from`'s (solved by [`Problem::retarget`]) with what is
    /// held back now: the kick that carries the most moves with the propellant held back.
    pub(super) fn search_kick_again(&mut self, from: &Solved<N>) -> Result<Solved<N>> {
        self.newton.max_evaluations = WARM_TARGETING_FLIGHTS;
        self.search_kick_near(from.log_kick)
    }
}

impl Problem<'_, 4> {
    /// [`Problem::search`] from the ascent with no payload `empty` (the given-payload problem's
    /// solution at no payload, which left `margin_kg` of usable propellant at cutoff): with that
    /// much held back it is this problem's solution at no payload, so it targets where the
    /// built-in guesses may not (a stage that does much of the ascent and must also hold back
    /// most of its load for a transfer). From there the held-back propellant is moved to this
    /// problem's in [`CONTINUATION_STEPS`] steps, the payload taking up the difference, each
    /// step targeted from the last; then the kick search. `Ok(None)` when a step fails.
    pub(super) fn search_from_empty(&mut self, empty: &Seed<3>, margin_kg: f64) -> Result<Option<Solved<4>>> {
        // Left as it was for the built-in guesses when a step fails, as [`Problem::search_from`]
        // leaves it.
        let cold = (self.base, self.newton.max_evaluations, self.held_back_kg, self.takes_over);
        let held_back_kg = self.held_back_kg;
        self.base = empty.base;
        self.takes_over = empty.takes_over;
        self.newton.max_evaluations = WARM_TARGETING_FLIGHTS;
        let third = self.third_unknown_of(empty.azimuth_change_deg, empty.dogleg_azimuth_deg);
        let x0 = [empty.pitch_deg / PITCH_SCALE_DEG, empty.tan_pitch_rate_per_s / RATE_SCALE_PER_S, third, 0.0];
        let log_kick = empty.kick_deg.max(1e-3).ln();
        self.held_back_kg = margin_kg;
        self.solved.clear();
        let mut solved = self.target(log_kick, Some(x0));
        let mut step_kg = margin_kg;
        for step in 1..=CONTINUATION_STEPS {
            let Some(from) = solved else { break };
            let next_kg = margin_kg + (held_back_kg - margin_kg) * step as f64 / CONTINUATION_STEPS as f64;
            solved = self.retarget(next_kg, &from, step_kg - next_kg);
            step_kg = next_kg;
        }
        if solved.is_none() {
            (self.base, self.newton.max_evaluations, self.held_back_kg, self.takes_over) = cold;
            return Ok(None);
        }
        self.search_kick_from(log_kick).map(Some)
    }
}

/// How [`Problem::search_from`] searches the kick after targeting at its seed's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KickSearch {
    /// In a narrow bracket around the seed's kick (the whole range when the best kick lies on
    /// the bracket's edge): a neighbour's seed, whose best kick lies near.
    Near,
    /// Over the whole range, from the seed's kick: a distant seed, whose best kick need not
    /// lie near (the payload over the kick can have two maxima).
    Whole,
    /// As [`KickSearch::Near`], at the seed's cutoff height on an eccentric target whose height
    /// is searched, the height then searched from there, not from the perigee: a search of the
    /// seed's own problem again (the best load of a load search, found with its kick and height
    /// held), where a cutoff at the perigee may not be targeted at all (Vega-C and
    /// Electron/Curie to 200 × 35,786 km, their best cutoffs 600–1,000 km up the orbit).
    NearAtHeight,
    /// Not at all: the seed's kick is kept (the constraints still held), and on an eccentric
    /// target its cutoff height above the perigee too, unsearched. For an outer search over a
    /// parameter the payload is smooth in (the upper stage's load), whose nearby evaluations
    /// need the payload only to second order in the kick and the height: they move little
    /// between neighbours, and the payload is flat in them at its best.
    Held,
}

/// The exo-atmospheric pitch law of a first guess, from its open-loop flight `guess`: the
/// flight-path angle where the law takes over (`takes_over`: the first separation, or the first
/// upper-stage ignition; 20° without one), its tangent falling linearly to that of −10° at the
/// end of powered flight. Returns the pitch, degrees, and the rate of its tangent, 1/s.
///
/// The end of powered flight is the guess's last burnout, or the burn times' end
/// ([`powered_flight_s`]) when that is later and the guess came down before its last stage
/// burned out (a low-thrust last stage with a heavy payload: a law laid over the stages below
/// only points it at the ground) or flew the corrected azimuth (a flat guess on it may come
/// down early).
fn first_pitch_law(vehicle: &Vehicle, guess: &FlightResult, correct_azimuth: bool, takes_over: SteeringStart) -> (f64, f64) {
    let handover = match takes_over {
        SteeringStart::FirstSeparation => guess.first(|k| matches!(k, EventKind::Separation { .. })),
        SteeringStart::UpperStageIgnition => first_upper_stage_ignition(vehicle, guess),
    };
    let pitch0_deg = handover.map_or(20.0, |e| e.point.flight_path_angle_deg.clamp(0.0, 45.0));
    let t_sep = handover.map_or(0.0, |e| e.point.time_s);
    let t_end = guess.last(|k| matches!(k, EventKind::Burnout { .. })).map_or(t_sep + 300.0, |e| e.point.time_s);
    let fell_short = guess.event(&EventKind::Burnout { stage: vehicle.stages.len() - 1 }).is_none();
    let t_end = if correct_azimuth || fell_short { t_end.max(powered_flight_s(vehicle)) } else { t_end };
    let rate = ((-10f64).to_radians().tan() - pitch0_deg.to_radians().tan()) / (t_end - t_sep).max(60.0);
    (pitch0_deg, rate)
}

/// The first ignition in `flight` of a stage lit in flight (an upper stage).
fn first_upper_stage_ignition<'f>(vehicle: &Vehicle, flight: &'f FlightResult) -> Option<&'f crate::flight::FlightEvent> {
    let upper = |stage: usize| vehicle.stages.get(stage).is_some_and(|s| s.ignition == crate::vehicle::Ignition::Sequential);
    flight.first(|k| matches!(k, EventKind::Ignition { stage } if upper(*stage)))
}

/// Full-throttle length of powered flight, s: the longest-burning liftoff stage, then the
/// sequential stages one after another.
fn powered_flight_s(vehicle: &Vehicle) -> f64 {
    let liftoff = vehicle
        .stages
        .iter()
        .filter(|s| s.ignition != crate::vehicle::Ignition::Sequential)
        .map(|s| s.burn_time_full_throttle_s() + s.ignition_delay_s)
        .fold(0.0, f64::max);
    let upper: f64 = vehicle
        .stages
        .iter()
        .filter(|s| s.ignition == crate::vehicle::Ignition::Sequential)
        .map(|s| s.burn_time_full_throttle_s() + s.ignition_delay_s)
        .sum();
    liftoff + upper
}

/// Steps from the maximum payload down to a given one when a given payload is targeted from
/// the maximum's ascent ([`Problem::search_from_heavier`]).
const CONTINUATION_STEPS: usize = 4;
/// How near the burnout of a solid last stage flown with a given payload comes to the orbit's
/// energy ([`Problem::burn_off_surplus`]), as the apogee (or, on a circle, the orbit's far side)
/// that energy moves, m: a quarter of the orbit's kilometre of tolerance. As propellant it is
/// worked out per vehicle ([`Problem::solid_surplus_tolerance_kg`]): a kilogram moves the apogee
/// of a 250 km circle by about a kilometre for an Antares-class second stage, but by 90 km for a
/// Minotaur-class fourth stage with a light payload.
const SOLID_SURPLUS_APOGEE_M: f64 = 250.0;
/// Most secant steps of [`Problem::burn_off_surplus`] (and of its weave's regula falsi).
const MAX_SURPLUS_ITERATIONS: usize = 40;
/// First energy-management weave [`Problem::weave_off_surplus`] tries, as the share of the
/// along-track Δv it costs (`1 − cos`: 0.02 is a weave of 11.5°).
const WEAVE_FIRST_SHARE: f64 = 0.02;
/// Most times [`Problem::weave_off_surplus`] halves a step whose weave cannot be targeted from
/// the last one.
const MAX_WEAVE_STEP_HALVINGS: usize = 4;

/// First trial change of the launch azimuth of the correction, degrees.
const AZIMUTH_CORRECTION_FIRST_STEP_DEG: f64 = 5.0;
/// Largest secant step of the azimuth correction, degrees.
const AZIMUTH_CORRECTION_MAX_STEP_DEG: f64 = 30.0;
/// Secant steps of the azimuth correction.
const AZIMUTH_CORRECTION_STEPS: usize = 8;
/// The azimuth correction stops once the plane at separation is this close to the target
/// inclination, degrees (the targeting's azimuth unknown does the rest).
const AZIMUTH_CORRECTION_TOLERANCE_DEG: f64 = 0.5;

/// The best ascent that keeps the constraints (max-Q, designated zones), when the optimal one,
/// `best`, breaks one. The objective falls off either side of `best`, so the answer is the
/// kick nearest to it that keeps them: walk out on both sides to the first such kick, settle
/// each boundary by bisection and keep the side that carries more. A designated zone may be
/// met on both sides (a lofted and a flat ascent can drop a stage at the same place), which is
/// why both are walked. When the walks find nothing, the kick breaking the constraints least
/// is searched for before giving up.
fn hold_constraints<const N: usize>(problem: &mut Problem<'_, N>, best: Solved<N>, range: (f64, f64)) -> Result<Solved<N>> {
    // The two walks advance in turn. Once one side has its edge, the other goes on only while it
    // still carries more than that edge: beyond, the objective only falls.
    let mut found: Option<Solved<N>> = None;
    let mut walks = [Walk { direction: -1.0, outside: best, done: false }, Walk { direction: 1.0, outside: best, done: false }];
    while walks.iter().any(|w| !w.done) {
        for walk in walks.iter_mut().filter(|w| !w.done) {
            let u = walk.outside.log_kick + walk.direction * CONSTRAINT_WALK_STEP;
            if !(range.0..=range.1).contains(&u) || found.is_some_and(|f| walk.outside.objective() <= f.objective()) {
                walk.done = true;
                continue;
            }
            let Some(s) = problem.target(u, None) else {
                // A kick that cannot be targeted is stepped over.
                walk.outside.log_kick = u;
                continue;
            };
            if problem.feasible(&s) {
                walk.done = true;
                let edge = bisect_boundary(problem, walk.outside, s);
                if found.is_none_or(|f| edge.objective() > f.objective()) {
                    found = Some(edge);
                }
            } else {
                walk.outside = s;
            }
        }
    }
    if let Some(edge) = found {
        return Ok(edge);
    }
    // A window narrower than the walk's step: the least violation, then its boundary.
    let least =
        problem.solved.iter().min_by(|a, b| problem.violation(a).total_cmp(&problem.violation(b))).map_or(best.log_kick, |s| s.log_kick);
    scalar::maximize(
        |u| problem.target(u, None).map(|s| -problem.violation(&s)),
        range.0,
        range.1,
        least,
        KICK_TOLERANCE,
        MAX_KICK_EVALUATIONS,
    );
    let Some(inside) = problem
        .solved
        .iter()
        .filter(|s| problem.feasible(s))
        .min_by(|a, b| (a.log_kick - best.log_kick).abs().total_cmp(&(b.log_kick - best.log_kick).abs()))
        .copied()
    else {
        return Err(problem.infeasible());
    };
    // The infeasible kick tried nearest to it on the side of the best.
    let outside = problem
        .solved
        .iter()
        .filter(|s| !problem.feasible(s) && (s.log_kick - inside.log_kick) * (best.log_kick - inside.log_kick) > 0.0)
        .min_by(|a, b| (a.log_kick - inside.log_kick).abs().total_cmp(&(b.log_kick - inside.log_kick).abs()))
        .copied()
        .unwrap_or(best);
    Ok(bisect_boundary(problem, outside, inside))
}

/// One side's walk of [`hold_constraints`] from the optimal kick, in steps of
/// [`CONSTRAINT_WALK_STEP`] in ln(kick).
struct Walk<const N: usize> {
    /// −1 toward smaller kicks, +1 toward larger.
    direction: f64,
    /// The last kick reached that breaks the constraints (its `log_kick` also moves past kicks
    /// that could not be targeted).
    outside: Solved<N>,
    done: bool,
}

/// Settle the boundary between a kick that breaks the constraints and one that keeps them:
/// the kept side of it.
fn bisect_boundary<const N: usize>(problem: &mut Problem<'_, N>, mut outside: Solved<N>, mut inside: Solved<N>) -> Solved<N> {
    for _ in 0..CONSTRAINT_BISECTIONS {
        let Some(mid) = problem.target(0.5 * (inside.log_kick + outside.log_kick), None) else { break };
        if problem.feasible(&mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    inside
}

/// Fly `vehicle` with `payload_kg` from `site` into `target`, steered by the targeted guidance:
/// the kick, the linear-tangent pitch law and the launch azimuth are solved so that the engines
/// cut off at the target energy at the perigee radius, with zero flight-path angle, at the
/// target inclination, with propellant to spare; of the kicks that do, the one that leaves the
/// most propellant (and keeps the vehicle's max-Q limit). `options` sample the returned flight.
/// `progress` is called with the number of flights flown so far.
///
/// A payload heavier than the vehicle carries into `target` fails with
/// [`Error::PayloadTooHeavy`], which gives the largest payload (one payload optimization more).
/// A refusal names the file's `[limits]` when lifting them lets the vehicle fly
/// (`super::reach::with_limits_named`).
/// A vehicle whose restartable upper stage cannot carry the payload into a low orbit with the
/// file's full load (Briz-M's tanks are for the high orbits) flies it with the load of that
/// largest payload, the way `payload` quotes it ([`TargetedAscent::upper_stage_load_kg`]).
pub fn fly_to_orbit(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    branch: Branch,
    payload_kg: f64,
    options: FlightOptions,
    progress: Progress<'_>,
) -> Result<TargetedAscent> {
    let checked = super::reach::check_vertical(vehicle, site, target, options)?;
    let ascent = DirectAscent { vehicle, site, target: *target, branch, options };
    fly_to_orbit_keeping_elliptic(&ascent, payload_kg, &mut None, &mut |n| progress(checked + n))
        .map(|mut a| {
            a.flights += checked;
            a
        })
        .map_err(|e| super::reach::with_limits_named(vehicle, site, target, branch, options, e))
}

/// [`fly_to_orbit`] of `ascent`, handing out in `elliptic` the elliptic profile's largest
/// payload (its mission, or why it failed) when the failure path's payload optimization searched
/// it ([`super::transfer::maximize_payload_keeping_elliptic`]); `None` when it did not get that
/// far or the profile does not apply. `fly` flies its given payload by that profile from it when the
/// direct ascent fails, rather than searching the profile a second time.
pub(crate) fn fly_to_orbit_keeping_elliptic(
    ascent: &DirectAscent<'_>,
    payload_kg: f64,
    elliptic: &mut Option<Result<super::transfer::TransferSolution>>,
    progress: Progress<'_>,
) -> Result<TargetedAscent> {
    let found = fly_to_orbit_on_leg(ascent, payload_kg, elliptic, &mut *progress);
    let on_other_leg = |branch| fly_to_orbit_on_leg(&DirectAscent { branch, ..*ascent }, payload_kg, &mut None, progress);
    or_what_the_other_leg_does(&ascent.target, ascent.branch, found, on_other_leg, |_| String::new())
}

/// [`fly_to_orbit_keeping_elliptic`] on the leg of `ascent`.
fn fly_to_orbit_on_leg(
    ascent: &DirectAscent<'_>,
    payload_kg: f64,
    elliptic: &mut Option<Result<super::transfer::TransferSolution>>,
    progress: Progress<'_>,
) -> Result<TargetedAscent> {
    let DirectAscent { vehicle, site, branch, options, .. } = *ascent;
    let target = &ascent.target;
    target.check()?;
    let (azimuth_deg, _) = direct_launch_azimuth(vehicle, site, target, branch)?;
    FlightSetup { vehicle, payload_kg, launch: Launch::from_site(site, azimuth_deg), options }.check()?;
    // A target beyond the vehicle even with no payload is refused at once.
    let mut checked = super::reach::check_direct(vehicle, site, target, branch, options)?;
    // A coast the ascent chooses: the one that leaves this payload the most to spare, and the
    // ascent that found it, whose kick is searched again near its own. When no coast could be
    // targeted, the search goes on to the largest payload's ascent below.
    let chosen = match vehicle.chosen_coast().filter(|c| c.max_s > c.min_s) {
        Some(coast) => {
            let (best, n) = coast_leaving_most(ascent, payload_kg, coast, &mut |n| progress(checked + n));
            checked += n;
            Some(best)
        }
        None => None,
    };
    let coast_s = chosen.flatten().map(|(coast_s, _)| coast_s);
    let mut problem =
        Problem::<3>::new(vehicle, site, target, branch, Payload::Given(payload_kg), options, &mut *progress)?.with_coast(coast_s);
    problem.flights += checked;
    // A liquid last stage cuts off at the orbit's energy with propellant to spare; a solid one
    // burns out, its surplus burned off by the ascent's shape.
    let solid_last = vehicle.last_stage_is_solid();
    let found = match chosen {
        None => problem.search(payload_kg)?,
        Some(None) => None,
        Some(Some((_, seed))) => match problem.search_from(&seed, KickSearch::Near, false)? {
            Some(best) => Some(best),
            None => problem.search(payload_kg)?,
        },
    };
    if let Some(best) = found {
        let best = problem.optimize_insertion(best)?;
        if let Some(best) = settled(&mut problem, best, solid_last) {
            return finish_targeted(vehicle, site, target, options, payload_kg, &mut problem, best);
        }
    }
    let flights = problem.flights;
    drop(problem);
    // Short of the orbit (or not targetable from the built-in guesses): the payload optimizer
    // says by how much, and its ascent is the start of a last attempt when the payload is lighter.
    let max = super::transfer::maximize_payload_keeping_elliptic(ascent, elliptic, &mut |n| progress(flights + n))?;
    if max.payload_kg < payload_kg {
        return Err(Error::PayloadTooHeavy {
            vehicle: vehicle.name.clone(),
            orbit: format!("{} from {}", target.describe(), site.id),
            payload_kg,
            max_payload_kg: max.payload_kg,
        });
    }
    let offset = flights + max.flights;
    let flown = max.flown_vehicle(vehicle);
    let lighter = LighterThanMax { vehicle: &flown, site, target, branch, options, max: &max };
    let (found, tried) = lighter.fly(payload_kg, &mut |n| progress(offset + n))?;
    if let Some(ascent) = found {
        // Every flight counts: the failed attempt's and the payload optimization's too.
        return Ok(TargetedAscent { upper_stage_load_kg: max.upper_stage_load_kg, flights: offset + ascent.flights, ..ascent });
    }
    let offset = offset + tried;
    let overshoot = solid_overshoot_hint(&flown, &max, payload_kg, target, options, || {
        lighter.least_flying_kg(payload_kg, &mut |n| progress(offset + n))
    })
    .unwrap_or_default();
    // `payload` may have quoted the elliptic profile, which `fly` tries next
    // ([`crate::mission::fly`]).
    let elliptic = if super::transfer::elliptic_profile_applies(vehicle, target) {
        "; the largest payload may be the elliptic profile's (the last stage coasts up an ellipse and circularizes at its apogee), which `fly` tries when the direct ascent cannot be targeted".to_owned()
    } else {
        String::new()
    };
    Err(Error::Unreachable(format!(
        "{}: the ascent to {} from {} with {} kg could not be targeted from the built-in initial guesses nor from the ascent of the most it carries there ({} kg){overshoot}{elliptic}",
        vehicle.name,
        target.describe(),
        site.id,
        crate::units::kg_text(payload_kg),
        crate::units::kg_text(max.payload_kg)
    )))
}

/// The coast before the stage whose coast the ascent chooses ([`Vehicle::chosen_coast`]) that
/// leaves `payload_kg` flown by `ascent` the most to spare: the objective of the kick search of a
/// given payload ([`Solved::objective`]: usable propellant at cutoff, or the surplus a solid last
/// stage then burns off), so that the coast is chosen as the kick is. The largest payload's coast
/// would answer another question (what the vehicle carries at most), and the shortest coast
/// leaves a coast-sensitive stage (a solid motor whose ignition sets where its energy goes) well
/// short of what it can spare. Scanned as the payload search scans its coast
/// ([`super::payload::scan_coast_range`]): the shortest coast searched from the built-in
/// guesses, then steps up the range refined by Brent's method, each coast targeted from the
/// nearest one's ascent with its kick held. Returns the best coast with the seed of its ascent
/// (`None`: no coast could be targeted) and the flights flown.
fn coast_leaving_most(
    ascent: &DirectAscent<'_>,
    payload_kg: f64,
    coast: crate::vehicle::ChosenCoast,
    progress: Progress<'_>,
) -> (Option<(f64, Seed<3>)>, usize) {
    let DirectAscent { vehicle, site, branch, options, target } = *ascent;
    let mut flown = 0;
    let weigh = |coast_s: f64, nearest: Option<&Seed<3>>| -> Option<(f64, Seed<3>)> {
        let offset = flown;
        let mut progress_after = |n| progress(offset + n);
        let mut problem = Problem::<3>::new(vehicle, site, &target, branch, Payload::Given(payload_kg), options, &mut progress_after)
            .ok()?
            .with_coast(Some(coast_s));
        let found = match nearest {
            Some(seed) => problem.search_from(seed, KickSearch::Held, false),
            None => problem.search(payload_kg),
        };
        let solved = found.ok().flatten().map(|best| (best.margin_kg, problem.seed(&best)));
        flown += problem.flights;
        solved
    };
    let (searched, _) = super::payload::scan_coast_range(coast, None, weigh);
    let best = searched.into_iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(coast_s, _, seed)| (coast_s, seed));
    (best, flown)
}

/// A payload lighter than the largest one `max` of `vehicle` (the vehicle flown with its load)
/// into `target`, targeted from the ascent of that largest payload: the last attempt of
/// [`fly_to_orbit`] once its built-in guesses failed, and the judge of which lighter payloads fly
/// when that attempt fails too ([`LighterThanMax::least_flying_kg`]).
struct LighterThanMax<'a> {
    vehicle: &'a Vehicle,
    site: &'a Site,
    target: &'a TargetOrbit,
    branch: Branch,
    options: FlightOptions,
    max: &'a super::payload::PayloadSolution,
}

impl LighterThanMax<'_> {
    /// The targeted ascent with `payload_kg`, stepped down from the largest payload's, and the
    /// flights tried (the ascent's own count is from the start of this attempt); `None` when
    /// it cannot be targeted there. A solid stage below the liquid last stage that would burn
    /// out past the orbit's energy with this payload (Vega-C's Zefiro 9) weaves off what it
    /// would not have with the largest ([`weave_share_below_liquid`]).
    fn fly(&self, payload_kg: f64, progress: Progress<'_>) -> Result<(Option<TargetedAscent>, usize)> {
        let LighterThanMax { vehicle, site, target, branch, options, max } = *self;
        let solid_last = vehicle.last_stage_is_solid();
        let mut warm = Problem::<3>::new(vehicle, site, target, branch, Payload::Given(payload_kg), options, &mut *progress)?;
        if let Some(best) = warm.search_from_heavier(max)? {
            let best = warm.optimize_insertion(best)?;
            if let Some(best) = settled(&mut warm, best, solid_last) {
                return Ok((Some(finish_targeted(vehicle, site, target, options, payload_kg, &mut warm, best)?), 0));
            }
        }
        let offset = warm.flights;
        drop(warm);
        let Some((weave_share, flown_open)) = weave_share_below_liquid(vehicle, max, payload_kg, options) else {
            return Ok((None, offset));
        };
        let offset = offset + flown_open;
        let mut progress_after = |n| progress(offset + n);
        let mut weaving = Problem::<3>::new(vehicle, site, target, branch, Payload::Given(payload_kg), options, &mut progress_after)?;
        if let Some(best) = weaving.search_from_heavier_weaving(max, weave_share)? {
            let best = weaving.optimize_insertion(best)?;
            if let Some(best) = settled(&mut weaving, best, solid_last) {
                let ascent = finish_targeted(vehicle, site, target, options, payload_kg, &mut weaving, best)?;
                return Ok((Some(TargetedAscent { flights: offset + ascent.flights, ..ascent }), 0));
            }
        }
        Ok((None, offset + weaving.flights))
    }

    /// The least payload, to within [`LEAST_PAYLOAD_RESOLUTION_KG`], that [`LighterThanMax::fly`]
    /// flies, above `refused_kg` (which it did not fly): bisected in whole kilograms between that
    /// payload and the largest, each candidate flown as `fly` would fly it with that payload once
    /// its built-in guesses failed, so the payload named is one seen to fly. The largest payload
    /// when none lighter flew within [`LEAST_PAYLOAD_BISECTIONS`] candidates; a candidate whose
    /// attempt fails with an error counts as refused.
    fn least_flying_kg(&self, refused_kg: f64, progress: Progress<'_>) -> f64 {
        let (mut refused_kg, mut flies_kg) = (refused_kg, self.max.payload_kg);
        let mut flown = 0;
        for _ in 0..LEAST_PAYLOAD_BISECTIONS {
            let candidate_kg = (0.5 * (refused_kg + flies_kg)).round();
            if flies_kg - refused_kg <= LEAST_PAYLOAD_RESOLUTION_KG || candidate_kg <= refused_kg || candidate_kg >= flies_kg {
                break;
            }
            let offset = flown;
            let found = self.fly(candidate_kg, &mut |n| progress(offset + n));
            match found {
                Ok((Some(ascent), _)) => {
                    flown += ascent.flights;
                    flies_kg = candidate_kg;
                }
                Ok((None, tried)) => {
                    flown += tried;
                    refused_kg = candidate_kg;
                }
                Err(_) => refused_kg = candidate_kg,
            }
        }
        flies_kg
    }
}

/// How close [`LighterThanMax::least_flying_kg`] brackets the least payload that flies, kg.
const LEAST_PAYLOAD_RESOLUTION_KG: f64 = 1.0;
/// Most candidates [`LighterThanMax::least_flying_kg`] flies: halving from a payload of tens of
/// tonnes down to a kilogram takes 15 (the solid-kick test vehicle's 10 to 538 kg to a 200 km
/// SSO takes about 10, some 0.25 s).
const LEAST_PAYLOAD_BISECTIONS: usize = 16;

/// `best` when its ascent ends as the targeting must: a liquid last stage cuts off at the
/// orbit's energy with propellant to spare; a solid one (`solid_last`) burns out, its surplus
/// burned off by the ascent's shape ([`Problem::burn_off_surplus`]).
fn settled(problem: &mut Problem<'_, 3>, best: Solved<3>, solid_last: bool) -> Option<Solved<3>> {
    if solid_last {
        problem.burn_off_surplus(best)
    } else {
        (best.margin_kg > 0.0).then_some(best)
    }
}

/// The energy-management weave, as the share `1 − cos` of the along-track Δv it costs, that
/// brings the burnout of the last solid stage of `vehicle` (below a liquid last stage, which
/// could cut off but not shed energy) flown with `payload_kg` on the ascent of the largest
/// payload `max` down to the energy it burns out at with that payload, and the open-loop
/// flights it took: the liquid stage then has its usual share of the ascent to fly, lighter.
/// Found by [`crate::flight::integrator::locate_root`] over the share. `None` without such a
/// stage (an upper stage: boosters burn before the steering law that weaves takes over), when
/// it burns out below that energy anyway, when even [`MAX_ENERGY_WEAVE_DEG`] does not bring it
/// there, or when a flight fails.
fn weave_share_below_liquid(
    vehicle: &Vehicle,
    max: &super::payload::PayloadSolution,
    payload_kg: f64,
    options: FlightOptions,
) -> Option<(f64, usize)> {
    let last_solid = vehicle
        .stages
        .iter()
        .rposition(|s| s.is_solid())
        .filter(|&i| i + 1 < vehicle.stages.len() && vehicle.stages[i].ignition == crate::vehicle::Ignition::Sequential)?;
    let UpperSteering::Targeted(law) = max.parameters.steering else { return None };
    let options = FlightOptions { sample_interval_s: None, ..options };
    let mut flights = 0;
    // Specific energy at the solid stage's burnout, J/kg.
    let mut energy_at = |payload_kg: f64, share: f64| {
        flights += 1;
        let law = ExoSteering { energy_weave_deg: (1.0 - share).acos().to_degrees(), ..law };
        let parameters = AscentParameters { steering: UpperSteering::Targeted(law), ..max.parameters };
        let setup = FlightSetup { vehicle, payload_kg, launch: max.launch, options };
        let flight = fly(&setup, &mut AscentProgram::new(parameters, vehicle, &max.launch)).ok()?;
        let p = &flight.event(&EventKind::Burnout { stage: last_solid })?.point;
        Some(specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2))
    };
    let reference = energy_at(max.payload_kg, 0.0)?;
    let most = 1.0 - MAX_ENERGY_WEAVE_DEG.to_radians().cos();
    let (none, widest) = (energy_at(payload_kg, 0.0)? - reference, energy_at(payload_kg, most)? - reference);
    if none <= 0.0 || widest > 0.0 {
        return None;
    }
    // A flight that fails ends the search (as a root, then refused).
    let mut failed = false;
    let share = crate::flight::integrator::locate_root(
        |share| {
            energy_at(payload_kg, share).map_or_else(
                || {
                    failed = true;
                    0.0
                },
                |e| e - reference,
            )
        },
        0.0,
        none,
        most,
        widest,
        WEAVE_SHARE_TOLERANCE,
    );
    (!failed).then_some((share, flights))
}

/// How narrow [`weave_share_below_liquid`] brackets the weave, as the share of the along-track
/// Δv it costs: the solid stage's burnout energy then lies within some 300 J/kg of the one it
/// aims at (0.04 m/s at orbital speed: the targeting does the rest), never above it.
const WEAVE_SHARE_TOLERANCE: f64 = 1e-5;

/// Why a payload lighter than the most a vehicle carries may not be targeted: a solid stage,
/// which cannot be shut down, already puts it above the orbit's energy. The ascent of the
/// largest payload is flown once with `payload_kg`; when the burnout of the last solid stage
/// that burns (followed by a stage that could cut off, or the last stage itself; a lower solid
/// stage that passes the orbit's energy leaves the stages above it unlit, and is named with the
/// first of them) passes the target's energy, the hint says so (the guidance, or the ascent's
/// shape and the energy-management weave for a solid last stage, takes the surplus off only as
/// far as its targeting reaches), with the least payload that flies there (`least_flying_kg`,
/// called only then: the ballast that makes up the difference). `None` otherwise.
fn solid_overshoot_hint(
    vehicle: &Vehicle,
    max: &super::payload::PayloadSolution,
    payload_kg: f64,
    target: &TargetOrbit,
    options: FlightOptions,
    least_flying_kg: impl FnOnce() -> f64,
) -> Option<String> {
    let last_solid = vehicle.stages.iter().rposition(|s| s.is_solid())?;
    let setup = FlightSetup { vehicle, payload_kg, launch: max.launch, options: FlightOptions { sample_interval_s: None, ..options } };
    let flight = fly(&setup, &mut AscentProgram::new(max.parameters, vehicle, &max.launch)).ok()?;
    // The last solid stage that burned: one passing the orbit's energy leaves the stages above
    // it unlit (four solid stages with half their largest payload: the third burns out past
    // it, and the fourth never lights).
    let (burned, burnout) = flight.events.iter().rev().find_map(|e| match e.kind {
        EventKind::Burnout { stage } if stage <= last_solid && vehicle.stages[stage].is_solid() => Some((stage, e)),
        _ => None,
    })?;
    let p = &burnout.point;
    let energy = specific_energy(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
    (energy > target.energy_j_kg()).then(|| {
        let payload_text = crate::units::kg_text(payload_kg);
        let (which, unlit) = if burned == last_solid {
            (format!("its last solid stage, `{}`,", vehicle.stages[burned].name), String::new())
        } else {
            (format!("its solid stage `{}`", vehicle.stages[burned].name), format!(" and `{}` is never lit", vehicle.stages[burned + 1].name))
        };
        format!(
            "; flown with {payload_text} kg, that ascent is already past the orbit's energy when {which} burns out ({:.0} m/s at {:.0} km){unlit}, and a solid motor cannot be shut down: no ascent burned the surplus off, even weaving {MAX_ENERGY_WEAVE_DEG:.0}° out of its plane (energy management); a payload this light needs a higher orbit or ballast: the least payload that flies there is about {} kg (add ballast up to it)",
            p.speed_m_s,
            p.altitude_m / 1e3,
            crate::units::kg_text(least_flying_kg())
        )
    })
}

/// The targeted ascent of the kick `best` found by `problem`, flown with the caller's sampling.
fn finish_targeted(
    vehicle: &Vehicle,
    site: &Site,
    target: &TargetOrbit,
    options: FlightOptions,
    payload_kg: f64,
    problem: &mut Problem<'_, 3>,
    best: Solved<3>,
) -> Result<TargetedAscent> {
    // The flight, flown again with the caller's sampling (for the files) and the search's
    // tolerances (so that it is the flight the search found).
    let kick_deg = best.log_kick.exp();
    let flight = problem.fly(kick_deg, &best.x, FlightOptions { sample_interval_s: options.sample_interval_s, ..problem.options })?;
    let parameters = problem.parameters(kick_deg, &best.x);
    let launch = problem.launch(&best.x);
    // A solid last stage ends the ascent at its burnout, which the search put on the orbit.
    let solid_last = vehicle.last_stage_is_solid();
    let end = end_of_powered(vehicle, &flight)
        .filter(|e| e.cut_off || solid_last)
        .ok_or_else(|| Error::Unreachable(format!("{}: the targeted ascent does not reach engine cutoff", vehicle.name)))?;
    let orbit = OrbitalElements::from_state(&end.point.position_eci_m, &end.point.velocity_eci_m_s, MU_EARTH_M3_S2);
    site.check_corridor(launch.azimuth_deg, target.inclination_deg)?;
    if !target.reached_by(&orbit) {
        return Err(Error::Unreachable(format!(
            "{}: the targeted ascent misses {} (perigee {:.1} km, apogee {:.1} km, inclination {:.3}°)",
            vehicle.name,
            target.describe(),
            orbit.perigee_altitude_m() / 1e3,
            orbit.apogee_altitude_m() / 1e3,
            orbit.inclination_rad.to_degrees(),
        )));
    }
    Ok(TargetedAscent {
        payload_kg,
        launch,
        parameters,
        propellant_margin_kg: flight.remaining_propellant_kg,
        flight,
        orbit,
        upper_stage_load_kg: None,
        kick_evaluations: problem.kicks_solved(),
        flights: problem.flights,
    })
}

/// The options of the targeting's flights, and of the flights it reports, for a caller's
/// `options`: events only, at a tighter tolerance than a plain flight (relative 1e-9 against
/// 1e-7) so that the difference quotients see the unknowns, not the step-size controller.
/// Whatever flies a targeted ascent again step for step (a drop-zone replay of a mission's
/// ascent) flies with these. The tolerance is what a search flight costs: a search flight at
/// 1e-10 took some 150 steps where a plain one takes 40. At 1e-9 every catalog vehicle's
/// payload to 200 km and to a 500 km SSO is the one at 1e-10 to the kg in as many flights
/// (±5 %), 40 % faster; over 588 cases to circular orbits up to 1,800 km, GTO, GSO, MEO,
/// Molniya and escape the payloads move by at most 0.12 % either way (the search's own
/// resolution). At 1e-8 the noise shows: searches take up to 60 % more flights (Vega-C to
/// 200 km 452 → 725) and a payload moves by 3 kg (Soyuz-2.1v).
pub fn search_options(options: FlightOptions) -> FlightOptions {
    let mut search_options = FlightOptions { sample_interval_s: None, follow_suborbital_fall: false, ..options };
    search_options.integrator.rel_tol = search_options.integrator.rel_tol.min(1e-9);
    search_options.integrator.abs_tol = search_options.integrator.abs_tol.min(1e-6);
    search_options
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The speed a burnout lacks: exact, so close to the target it is the linearization Δe / v,
    /// and from rest it is √(2Δe) (the escape-speed form), not a division by a small speed.
    #[test]
    fn the_speed_short_of_an_energy_is_exact_far_from_it() {
        let close = speed_short_m_s(7_700.0, 7_700.0 * 10.0);
        assert!((close - 10.0).abs() < 0.01, "{close}");
        let from_rest = speed_short_m_s(0.0, 32e6);
        assert!((from_rest - 8_000.0).abs() < 1e-6, "{from_rest}");
        // Some 300 m/s at burnout, 33 MJ/kg below a low orbit: about 7.8 km/s, not 110 km/s.
        let crawling = speed_short_m_s(300.0, 33e6);
        assert!((7_800.0..7_900.0).contains(&crawling), "{crawling}");
    }

    /// A plane beyond the site's latitude is launched due east (prograde) or due west
    /// (retrograde), or along the allowed azimuth nearest to that, and doglegged; inside the
    /// corridors and within reach the azimuth is the plane's own.
    #[test]
    fn a_plane_beyond_the_latitude_is_launched_from_due_east_or_west() {
        let sites = crate::vehicle::SiteCatalog::builtin().expect("sites");
        let at = |inclination_deg: f64| TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg, argument_of_perigee_deg: None };
        let soyuz = crate::vehicle::resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let launch = |site: &str, inclination_deg: f64| {
            direct_launch_azimuth(&soyuz, sites.get(site).expect("site"), &at(inclination_deg), Branch::Northbound)
        };
        assert_eq!(launch("vostochny", 51.6).expect("51.6°"), (90.0, Some(Dogleg::BeyondLatitude)));
        assert_eq!(launch("baikonur", 134.2).expect("134.2°"), (270.0, Some(Dogleg::BeyondLatitude)));
        let (azimuth_deg, dogleg) = launch("vostochny", 51.9).expect("51.9°");
        assert!(dogleg.is_none() && (60.0..90.0).contains(&azimuth_deg), "{azimuth_deg}");
        // Cape Canaveral's azimuth corridor (35–120°) holds due east.
        assert_eq!(launch("cape-canaveral", 28.0).expect("28°"), (90.0, Some(Dogleg::BeyondLatitude)));
        // A restartable last stage doglegs down to the pad's geocentric latitude (28.40° at
        // Cape Canaveral's 28.56°) and turns the plane in orbit below it.
        let falcon = crate::vehicle::resolve_vehicle("falcon-9-block-5").expect("catalog").0;
        let cape = sites.get("cape-canaveral").expect("site");
        let restarts = |inclination_deg: f64| direct_launch_azimuth(&falcon, cape, &at(inclination_deg), Branch::Northbound);
        assert_eq!(restarts(28.45).expect("28.45°"), (90.0, Some(Dogleg::BeyondLatitude)));
        assert!(restarts(28.38)
            .expect_err("restartable")
            .to_string()
            .contains("doglegs only down to the pad's geocentric latitude, 28.401°"));
        assert!((geocentric_latitude_deg(cape.latitude_deg) - 28.4006).abs() < 1e-3, "{}", geocentric_latitude_deg(cape.latitude_deg));
        // Vostochny's inclination corridors refuse 49°, whatever the dogleg.
        let refused = launch("vostochny", 49.0).expect_err("outside the corridors").to_string();
        assert!(refused.contains("outside the allowed launch corridors"), "{refused}");
        let far = launch("kourou", 0.0).expect_err("5.2° beyond").to_string();
        assert!(far.contains("a dogleg closes at most 5°"), "{far}");
    }

    /// The margin's scale is the full 10 kg to a 200 km circular orbit and shrinks with the
    /// apogee's sensitivity to the perigee speed: about 18 times less to a GTO, some 7 % less
    /// to a 500 km circular orbit.
    #[test]
    fn the_margin_scale_follows_the_apogee_sensitivity() {
        let orbit = |perigee_km: f64, apogee_km: f64| TargetOrbit {
            perigee_m: perigee_km * 1e3,
            apogee_m: apogee_km * 1e3,
            inclination_deg: 51.9,
            argument_of_perigee_deg: None,
        };
        assert!((margin_scale_kg(&orbit(200.0, 200.0)) - MARGIN_SCALE_KG).abs() < 1e-9);
        assert_eq!(margin_scale_kg(&orbit(150.0, 150.0)), MARGIN_SCALE_KG, "never above the low-orbit scale");
        let leo_500 = margin_scale_kg(&orbit(500.0, 500.0));
        assert!((9.0..9.6).contains(&leo_500), "{leo_500}");
        let gto = margin_scale_kg(&orbit(185.0, 35_786.0));
        assert!((0.4..0.7).contains(&gto), "{gto}");
    }
    use crate::environment::elements::OrbitalElements;
    use crate::flight::Ending;
    use crate::optimize::payload::maximize_payload;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// A first guess whose open-loop flight comes down before its last stage burns out (Soyuz-2.1b
    /// with a Fregat and 6.3 t, 2 % of the liftoff mass) lays its pitch law over the whole powered
    /// flight; one that burns out its last stage (the same stack with 1 t), up to that burnout.
    #[test]
    fn the_first_pitch_law_spans_the_powered_flight() {
        let vehicle = resolve_vehicle("soyuz-2.1b-fregat").expect("catalog").0;
        let site = SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
        let launch =
            Launch::from_site(&site, launch_azimuth(site.latitude_deg, 97.4, 500e3, Branch::Northbound).expect("azimuth").azimuth_deg);
        let last = vehicle.stages.len() - 1;
        for payload_kg in [6_300.0, 1_000.0] {
            let setup = FlightSetup { vehicle: &vehicle, payload_kg, launch, options: FlightOptions::default() };
            let start = AscentParameters::default();
            let open_loop = tune_pitch_kick(&setup, start, DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG).expect("kick");
            let guess = crate::flight::fly(&setup, &mut AscentProgram::new(open_loop, &vehicle, &launch)).expect("flown");
            let burnout = guess.event(&EventKind::Burnout { stage: last }).map(|e| e.point.time_s);
            let (pitch0_deg, rate) = first_pitch_law(&vehicle, &guess, false, SteeringStart::FirstSeparation);
            let t_sep = guess.first(|k| matches!(k, EventKind::Separation { .. })).expect("separation").point.time_s;
            let t_end = t_sep + ((-10f64).to_radians().tan() - pitch0_deg.to_radians().tan()) / rate;
            match burnout {
                None => assert!((t_end - powered_flight_s(&vehicle)).abs() < 1e-6, "{payload_kg} kg: law ends at {t_end:.0} s"),
                Some(t) => assert!((t_end - t).abs() < 1e-6, "{payload_kg} kg: law ends at {t_end:.0} s, burnout {t:.0} s"),
            }
            assert_eq!(burnout.is_none(), payload_kg > 5_000.0, "{payload_kg} kg: last burnout {burnout:?}");
        }
    }

    fn soyuz_to_sun_synchronous() -> (Vehicle, Site, TargetOrbit) {
        let vehicle = resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let site = SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
        (vehicle, site, TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 97.5, argument_of_perigee_deg: None })
    }

    fn fly(vehicle: &Vehicle, site: &Site, target: &TargetOrbit, payload_kg: f64) -> Result<TargetedAscent> {
        fly_to_orbit(vehicle, site, target, Branch::Northbound, payload_kg, FlightOptions::default(), &mut |_| {})
    }

    /// An orbit is refused naming what is wrong: below 100 km, apogee under perigee, not a
    /// number, an apogee the Sun holds rather than the Earth, an inclination out of 0–180°; a
    /// lunar-distance apogee is still an Earth orbit.
    #[test]
    fn a_target_orbit_out_of_bounds_is_refused() {
        let orbit = |perigee_km: f64, apogee_km: f64, inclination_deg: f64| TargetOrbit {
            perigee_m: perigee_km * 1e3,
            apogee_m: apogee_km * 1e3,
            inclination_deg,
            argument_of_perigee_deg: None,
        };
        let refused = |o: TargetOrbit| o.check().expect_err("refused").to_string();
        assert!(refused(orbit(90.0, 200.0, 51.9)).contains("≥ 100 km"));
        assert!(refused(orbit(400.0, 300.0, 51.9)).contains("apogee 300.0 km is below the perigee 400.0 km"));
        assert!(refused(orbit(f64::NAN, 300.0, 51.9)).contains("NaN"));
        let far = refused(orbit(200.0, 1e6, 51.9));
        assert!(far.contains("sphere of influence") && far.contains("escape"), "{far}");
        let mistyped = refused(orbit(200.0, 1e300, 51.9));
        assert!(mistyped.contains("apogee 1.000e300 km") && mistyped.len() < 300, "{mistyped}");
        // Metres that overflowed, and a perigee over the apogee past it, are said as such.
        for (perigee_km, apogee_km) in [(1e308, 1e308), (200.0, 1e306), (1e307, 300.0)] {
            let overflowed = refused(orbit(perigee_km, apogee_km, 51.9));
            assert!(
                overflowed.contains("over 2e305 km lies beyond") && !overflowed.split(|c: char| !c.is_alphanumeric()).any(|w| w == "inf"),
                "{overflowed}"
            );
        }
        assert!(refused(orbit(-1e307, 300.0, 51.9)).contains("perigee must be ≥ 100 km, got under −2e305 km"));
        assert!(refused(orbit(200.0, 200.0, 181.0)).contains("0–180°"));
        orbit(200.0, 400_000.0, 51.9).check().expect("a lunar-distance apogee");
        let placed = |o: TargetOrbit, w: f64| TargetOrbit { argument_of_perigee_deg: Some(w), ..o };
        assert!(refused(placed(orbit(250.0, 35_950.0, 6.0), 361.0)).contains("within 0–360°, got 361"));
        assert!(refused(placed(orbit(250.0, 35_950.0, 6.0), f64::NAN)).contains("got NaN"));
        let circular = refused(placed(orbit(500.0, 505.0, 97.4), 90.0));
        assert!(circular.contains("target argument of perigee") && circular.contains("no perigee to place"), "{circular}");
        placed(orbit(250.0, 35_950.0, 6.0), 178.0).check().expect("a GTO's");
        // Held by a front end: its own element refused before any flight, the others left to
        // the mission (a perigee below 100 km is the mission's error, not the perigee's).
        let held = orbit(250.0, 35_950.0, 6.0).holding_argument_of_perigee(Some(178.0)).expect("a GTO's");
        assert_eq!(held.argument_of_perigee_deg, Some(178.0));
        let refused_held = orbit(500.0, 500.0, 97.4).holding_argument_of_perigee(Some(90.0)).expect_err("circular").to_string();
        assert!(refused_held.contains("target argument of perigee") && refused_held.contains("no perigee to place"), "{refused_held}");
        assert!(orbit(90.0, 35_950.0, 6.0).holding_argument_of_perigee(Some(178.0)).is_ok());
        assert_eq!(orbit(500.0, 500.0, 97.4).holding_argument_of_perigee(None).unwrap().argument_of_perigee_deg, None);
    }

    /// The README's case: 7 t on Soyuz-2.1b into the retrograde 200 km orbit from Vostochny,
    /// which the open-loop program misses. The targeted ascent cuts off in the target orbit with
    /// propellant left, and the flight itself ends in that orbit.
    #[test]
    fn a_given_payload_is_flown_into_the_target_orbit_with_propellant_to_spare() {
        let (vehicle, site, target) = soyuz_to_sun_synchronous();
        let a = fly(&vehicle, &site, &target, 7000.0).expect("targeted ascent");
        assert_eq!(a.payload_kg, 7000.0);
        assert!(target.reached_by(&a.orbit), "{:?}", a.orbit);
        assert!(a.propellant_margin_kg > 0.0, "{} kg to spare", a.propellant_margin_kg);
        assert!(a.flight.first(|k| matches!(k, EventKind::Cutoff { .. })).is_some(), "the engines are cut off, not burnt out");
        assert!(target.reached_by(&a.flight.final_orbit), "the flight ends in the orbit");
        match a.flight.ending() {
            Ending::Orbit { perigee_altitude_m, apogee_altitude_m, inclination_deg } => {
                assert!((perigee_altitude_m - target.perigee_m).abs() <= PERIGEE_TOLERANCE_M);
                assert!((apogee_altitude_m - target.apogee_m).abs() <= APOGEE_TOLERANCE_M);
                assert!((inclination_deg - target.inclination_deg).abs() <= INCLINATION_TOLERANCE_DEG);
            }
            e => panic!("{e:?}"),
        }
        let o = OrbitalElements::from_state(&a.flight.final_point.position_eci_m, &a.flight.final_point.velocity_eci_m_s, MU_EARTH_M3_S2);
        assert!((o.semi_major_axis_m - target.semi_major_axis_m()).abs() < 100.0, "cutoff at the target energy");
    }

    /// The two modes share the targeting: the payload optimizer's maximum, flown as a given
    /// payload a little under it, leaves about that little in propellant (an upper-stage kg of
    /// payload costs about a kg of propellant); over it, `fly` is refused with that maximum.
    #[test]
    fn the_given_payload_and_the_maximum_agree() {
        let (vehicle, site, target) = soyuz_to_sun_synchronous();
        let max = maximize_payload(&vehicle, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
            .expect("maximum")
            .payload_kg;
        let light = fly(&vehicle, &site, &target, 0.5 * max).expect("half the maximum");
        let near = fly(&vehicle, &site, &target, max - 50.0).expect("50 kg under the maximum");
        assert!(near.propellant_margin_kg > 10.0 && near.propellant_margin_kg < 150.0, "{} kg left", near.propellant_margin_kg);
        assert!(light.propellant_margin_kg > near.propellant_margin_kg + 0.5 * max * 0.5, "a lighter payload leaves more");
        match fly(&vehicle, &site, &target, max + 100.0) {
            Err(Error::PayloadTooHeavy { payload_kg, max_payload_kg, .. }) => {
                assert_eq!(payload_kg, max + 100.0);
                assert!((max_payload_kg - max).abs() < 1.0, "{max_payload_kg} vs {max}");
            }
            other => panic!("{other:?}"),
        }
    }

    /// A payload too light for a solid last stage (the solid-kick test vehicle's 10 kg to a
    /// 200 km SSO, where its `Stage 4` burns out past the orbit's energy) is refused with the
    /// least payload that flies there: that payload flies, and 2 kg less is refused, naming the
    /// same least payload.
    #[test]
    fn a_payload_too_light_for_a_solid_last_stage_is_refused_with_the_least_that_flies() {
        let vehicle = Vehicle::from_toml(include_str!("../../../../tests/reference/solid-kick.toml"), "solid-kick.toml").expect("reads").0;
        let site = SiteCatalog::builtin().expect("sites").get("vandenberg").expect("site").clone();
        let inclination_deg = crate::mission::orbits::sun_synchronous_inclination_deg(200.0).expect("SSO");
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg, argument_of_perigee_deg: None };
        let least_named = |payload_kg: f64| {
            let e = fly(&vehicle, &site, &target, payload_kg).expect_err("too light").to_string();
            assert!(e.contains("burns out") && e.contains("add ballast up to it"), "{e}");
            crate::figure_in(&e, "the least payload that flies there is about ", " kg")
        };
        let least_kg = least_named(10.0);
        assert!(least_kg > 10.0 && least_kg < 100.0, "{least_kg} kg");
        let flown = fly(&vehicle, &site, &target, least_kg).unwrap_or_else(|e| panic!("{least_kg} kg: {e}"));
        assert!(target.reached_by(&flown.orbit), "{:?}", flown.orbit);
        assert_eq!(least_named(least_kg - 2.0), least_kg);
    }

    /// Four solid stages with half the most they carry to 200 km: the third burns out past the
    /// orbit's energy, so the fourth is never lit. The refusal names the stage that burned out
    /// and the one left unlit (it said only that no ascent could be targeted), with the least
    /// payload that flies.
    #[test]
    fn a_lower_solid_stage_past_the_orbit_is_named_with_the_stage_left_unlit() {
        let motor = |id: &str, isp: f64, exit: f64, curve: &str| {
            format!("[[motor]]\nid = \"{id}\"\npropellant = \"HTPB\"\nisp_vac_s = {isp}\nexit_area_m2 = {exit}\nthrust_curve_vac_kn = {curve}\n")
        };
        let stage = |name: &str, motor: &str, dry: f64, prop: f64, dia: f64, extra: &str| {
            format!("[[stage]]\nname = \"{name}\"\nmotor = \"{motor}\"\ndry_mass_kg = {dry:.1}\npropellant_mass_kg = {prop:.1}\nresidual_mass_kg = 0.0\ndiameter_m = {dia}\n{extra}")
        };
        let text = [
            "format = 1\nname = \"Four solids\"\n".to_owned(),
            motor("M1", 274.6, 3.11, "[[0.0, 0.0], [0.5, 2855.5], [82.56, 2746.3], [91.74, 0.0]]"),
            motor("M2", 296.5, 0.872, "[[0.0, 0.0], [0.5, 730.9], [105.12, 223.0], [116.80, 0.0]]"),
            motor("M3", 291.0, 0.382, "[[0.0, 0.0], [0.5, 237.6], [64.25, 136.6], [71.38, 0.0]]"),
            motor("M4", 295.6, 0.218, "[[0.0, 0.0], [0.5, 26.7], [115.46, 15.1], [128.29, 0.0]]"),
            stage("S1", "M1", 6915.0, 90296.0, 2.72, "kind = \"core\"\n"),
            stage("S2", "M2", 1469.0, 17670.0, 1.74, "ignition_delay_s = 13.8\n"),
            stage("S3", "M3", 489.0, 4371.0, 1.06, ""),
            stage("S4", "M4", 72.0, 864.0, 0.71, "ignition_delay_s = 11.9\n"),
            "[fairing]\nmass_kg = 100.0\njettison_altitude_km = 91.0\n".to_owned(),
        ]
        .concat();
        let vehicle = Vehicle::from_toml(&text, "four-solids.toml").expect("reads").0;
        let site = SiteCatalog::builtin().expect("sites").get("mahia").expect("site").clone();
        let target = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 39.3, argument_of_perigee_deg: None };
        let max =
            crate::optimize::payload::maximize_payload(&vehicle, &site, &target, Branch::Northbound, FlightOptions::default(), &mut |_| {})
                .expect("the largest payload");
        let e = fly(&vehicle, &site, &target, 0.5 * max.payload_kg).expect_err("too light").to_string();
        assert!(e.contains("when its solid stage `S3` burns out") && e.contains("and `S4` is never lit"), "{e}");
        let least_kg = crate::figure_in(&e, "the least payload that flies there is about ", " kg");
        assert!(least_kg > 0.5 * max.payload_kg && least_kg < max.payload_kg, "{least_kg} kg");
    }

    /// A payload the vehicle cannot lift is refused before any targeting.
    #[test]
    fn a_payload_too_heavy_to_lift_off_is_refused() {
        let (vehicle, site, target) = soyuz_to_sun_synchronous();
        assert!(matches!(fly(&vehicle, &site, &target, 400_000.0), Err(Error::NoLiftoff { .. })));
        assert!(matches!(fly(&vehicle, &site, &target, f64::NAN), Err(Error::InvalidInput { .. })));
    }
}
