//! The first targeting of an ascent from built-in guesses: open-loop flights whose kick puts
//! the flight-path angle at the first separation where a targeted ascent usually has it, their
//! pitch law laid over them, the azimuth corrected for the plane, a dogleg's yaw guessed, and
//! the pitch lofted when every guess comes down.

use super::*;

impl<const N: usize> Problem<'_, N> {
    /// First targeting, from built-in guesses tried in turn: a pitch-over speed, one of
    /// `guess_payloads_kg`, the open-loop kick that brings the gravity turn to a staging
    /// flight-path angle, and a pitch law from the flight-path angle at the first separation
    /// down to −10° at the end of the burn. The steeper stagings are for upper stages of low thrust-to-weight, which
    /// need height and time to gain speed before they fall back. Returns ln(kick).
    ///
    /// When none of them can be targeted, they are tried once more with the launch azimuth
    /// corrected first ([`Problem::azimuth_for_plane_at_separation`]): a vehicle that drops its
    /// boosters early and slowly (solid strap-ons) carries much of the Earth's eastward speed
    /// into the plane the exo-atmospheric law takes over, far more than the spherical-Earth
    /// azimuth allows for on a polar or retrograde launch from near the equator. Such a vehicle
    /// to a retrograde orbit tries the corrected guesses first, the others after; elsewhere a
    /// guess whose plane at separation lies that far off is left to the corrected ones
    /// ([`Problem::plane_far_off_at_separation`]).
    ///
    /// A first targeting that launches outside the site's azimuth corridors turns the problem
    /// into the dogleg from their edge ([`Problem::doglegged_if_outside`]) and starts again.
    pub(super) fn first_targeting(&mut self, guess_payloads_kg: &[f64]) -> Option<f64> {
        let u0 = self.first_targeting_in_corridors(guess_payloads_kg)?;
        let solved = self.solved.iter().find(|s| s.log_kick == u0).copied()?;
        if self.doglegged_if_outside(&solved) {
            return self.first_targeting_in_corridors(guess_payloads_kg);
        }
        Some(u0)
    }

    /// [`Problem::first_targeting`] as the problem stands (its launch and whether it doglegs):
    /// the targeted law taking over at the first separation; when no guess can be targeted so,
    /// and the guesses' first separation came in the dense air, below
    /// [`LOW_SEPARATION_ALTITUDE_M`], before the first upper-stage ignition, the guesses once
    /// more with the law taking over at that ignition ([`SteeringStart::UpperStageIgnition`]).
    /// Strap-ons dropped low onto a core that lifts less than its weight leave the law little
    /// it can steer from there: the test vehicle `low-strap-ons.toml` (strap-ons off at 11 km
    /// and Mach 1.4, a core at thrust-to-weight 0.9 burning on for 226 s) failed every guess
    /// there and carried 1,546 kg from the upper stage's ignition, until the guesses that come
    /// down were lofted ([`Problem::lofted`]): from the separation it carries 1,876 kg. The
    /// second pass is for a core the lofted guesses cannot hold up either; where both families
    /// fly, the payload search weighs them ([`Problem::with_law_from_upper_stage_ignition`]).
    pub(super) fn first_targeting_in_corridors(&mut self, guess_payloads_kg: &[f64]) -> Option<f64> {
        if self.law_from_upper_stage_ignition {
            self.takes_over = SteeringStart::UpperStageIgnition;
            return self.first_targeting_from(guess_payloads_kg, false);
        }
        self.takes_over = SteeringStart::FirstSeparation;
        self.low_separation = false;
        if let Some(u0) = self.first_targeting_from_separation(guess_payloads_kg) {
            return Some(u0);
        }
        if !self.low_separation || self.budget_spent() {
            return None;
        }
        // When these fail too, the problem is left as the first guesses left it when one of
        // them got as far as a targeting: why the vehicle falls short is read from those.
        let (base, last_failure, failures) = (self.base, self.last_failure, self.failures.clone());
        self.takes_over = SteeringStart::UpperStageIgnition;
        if let Some(u0) = self.first_targeting_from(guess_payloads_kg, false) {
            return Some(u0);
        }
        if last_failure.is_some() {
            self.takes_over = SteeringStart::FirstSeparation;
            (self.base, self.last_failure, self.failures) = (base, last_failure, failures);
        }
        None
    }

    /// [`Problem::first_targeting_in_corridors`] with the law taking over at the first
    /// separation.
    fn first_targeting_from_separation(&mut self, guess_payloads_kg: &[f64]) -> Option<f64> {
        // A dogleg's launch azimuth is the corridor's: there is no azimuth to correct. Solid
        // strap-ons flown to a retrograde orbit are the case the correction is for: there the
        // uncorrected guesses fail one after another (Ariane 62 to a 500 km SSO from Kourou:
        // 4,647 flights first, 3,235 corrected first; H-IIA 202 from Tanegashima: 2,350, 932).
        let corrected_first = !self.dogleg
            && self.target.inclination_deg > 90.0
            && self.vehicle.stages.iter().any(|s| s.kind == StageKind::Booster && s.is_solid());
        if !corrected_first {
            if let Some(u0) = self.first_targeting_from(guess_payloads_kg, false) {
                return Some(u0);
            }
            if self.dogleg {
                return None;
            }
        }
        // When the corrected guesses fail too, the problem is left as the built-in guesses left
        // it: why the vehicle falls short is read from those ([`Problem::last_failure`]).
        let (spherical, base, last_failure) = (self.launch, self.base, self.last_failure);
        if let Some(u0) = self.first_targeting_from(guess_payloads_kg, true) {
            return Some(u0);
        }
        self.set_launch(spherical);
        (self.base, self.last_failure) = (base, last_failure);
        if corrected_first {
            return self.first_targeting_from(guess_payloads_kg, false);
        }
        None
    }

    pub(super) fn first_targeting_from(&mut self, guess_payloads_kg: &[f64], correct_azimuth: bool) -> Option<f64> {
        let spherical = self.launch;
        let (mut came_down, mut every_guess_came_down) = (Vec::new(), true);
        let guesses = INITIAL_PITCH_OVER_SPEEDS_M_S.iter().flat_map(|&v| {
            guess_payloads_kg.iter().flat_map(move |&kg| INITIAL_STAGING_FLIGHT_PATH_ANGLES_DEG.iter().map(move |&fpa| (v, kg, fpa)))
        });
        for (pitch_over_speed_m_s, guess_payload_kg, staging_fpa_deg) in guesses {
            // The open-loop flights that shape each guess fly outside [`Problem::fly`].
            if self.budget_spent() {
                return None;
            }
            let start = AscentParameters { pitch_over_min_air_speed_m_s: pitch_over_speed_m_s, ..AscentParameters::default() };
            let open_loop = if correct_azimuth {
                self.set_launch(spherical);
                let setup = FlightSetup { vehicle: self.vehicle, payload_kg: guess_payload_kg, launch: spherical, options: self.options };
                let Some(open_loop) = self.kick_for_separation_flight_path_angle(&setup, start, staging_fpa_deg) else { continue };
                let Some(azimuth_deg) = self.azimuth_for_plane_at_separation(guess_payload_kg, open_loop) else { continue };
                self.set_launch(Launch { azimuth_deg, ..spherical });
                self.flights += 1;
                open_loop
            } else {
                let setup0 =
                    FlightSetup { vehicle: self.vehicle, payload_kg: guess_payload_kg, launch: self.launch, options: self.options };
                let Ok(open_loop) = tune_pitch_kick(&setup0, start, staging_fpa_deg) else { continue };
                self.flights += KICK_SEARCH_FLIGHTS + 1;
                open_loop
            };
            let setup0 = FlightSetup { vehicle: self.vehicle, payload_kg: guess_payload_kg, launch: self.launch, options: self.options };
            let Ok(guess_flight) = fly(&setup0, &mut AscentProgram::new(open_loop, self.vehicle, &self.launch)) else { continue };
            self.low_separation |= separates_low(self.vehicle, &guess_flight);
            // Far off the target's plane where the law takes over, Newton's azimuth would have
            // to travel tens of degrees at a few a step: the guess is left to the corrected pass.
            if !correct_azimuth && !self.dogleg && self.plane_far_off_at_separation(&guess_flight) {
                continue;
            }
            let (pitch0_deg, rate0) = first_pitch_law(self.vehicle, &guess_flight, correct_azimuth, self.takes_over);
            let x0 = first([pitch0_deg / PITCH_SCALE_DEG, rate0 / RATE_SCALE_PER_S, 0.0, guess_payload_kg / self.payload_scale_kg]);
            self.base = open_loop;
            let u0 = open_loop.pitch_kick_deg.max(1e-3).ln();
            let x0 = if self.dogleg {
                let (x0, miss_deg) = self.dogleg_yaw_guess(u0.exp(), x0);
                // Beyond the latitude, a guess whose turns bring the plane no nearer than the
                // guess tolerance is not targeted (its Newton search would fail, some 150
                // flights); the guesses differ in where they turn by a few tenths of a degree
                // (Soyuz-2.1b from Vostochny to 50.4°: 0.55–0.73° off; to 50.5°, the first 0.58°
                // off, the second targeted), so the next is tried unless this one lies farther
                // off than twice the tolerance (43° from Baikonur: 2.0–2.4° off).
                if self.beyond_latitude && miss_deg > DOGLEG_YAW_GUESS_TOLERANCE_DEG {
                    self.dogleg_miss_deg = Some(self.dogleg_miss_deg.map_or(miss_deg, |m: f64| m.min(miss_deg)));
                    if miss_deg > 2.0 * DOGLEG_YAW_GUESS_TOLERANCE_DEG {
                        return None;
                    }
                    continue;
                }
                x0
            } else {
                x0
            };
            let flown = self.flights;
            if self.target(u0, Some(x0)).is_some() {
                return Some(u0);
            }
            // Newton gives up at once, after its first flight, only when that flight does not
            // reach the end of powered flight.
            came_down.push((open_loop, self.launch, u0, x0));
            every_guess_came_down &= self.flights <= flown + 1;
        }
        // Only when every guess's flight came down, Newton never started, are they lofted: where
        // one flew and could not be targeted, the load or the orbit is more likely out of reach
        // (a lofted guess would cost a Newton search each time), and wherever a guess is
        // targeted the searches' paths do not move.
        if !every_guess_came_down {
            return None;
        }
        let mut targetings = 0;
        for (open_loop, launch, u0, x0) in came_down {
            if targetings == LOFTED_GUESS_TARGETINGS || self.budget_spent() {
                break;
            }
            self.base = open_loop;
            self.set_launch(launch);
            // A flight that stops short of the end of powered flight without hitting the ground
            // is no fall to loft: Vega-C's solid stages alone overshoot the energy of a
            // 110 × 200 km ellipse, where its upper stage is never lit.
            let fell = self.fly(u0.exp(), &x0, self.options).is_ok_and(|f| f.outcome == crate::flight::FlightOutcome::Impact);
            if !fell {
                return None;
            }
            if let Some(lofted) = self.lofted(u0.exp(), x0) {
                targetings += 1;
                let cold = self.newton.max_evaluations;
                self.newton.max_evaluations = LOFTED_TARGETING_FLIGHTS.min(cold);
                let targeted = self.target(u0, Some(lofted)).is_some();
                self.newton.max_evaluations = cold;
                if targeted {
                    return Some(u0);
                }
            }
        }
        None
    }

    /// Whether `guess`'s plane of motion at its first separation, where the targeted law takes
    /// over and holds the target's plane, lies more than [`PLANE_FAR_OFF_AT_SEPARATION_DEG`]
    /// from the target's inclination on the spherical-Earth azimuth. Strap-ons dropped early and
    /// slowly leave the Earth's eastward speed a large share of the inertial velocity there:
    /// kerosene strap-ons off at 21 km and 700 m/s put a 98.6° launch from Vandenberg in a
    /// plane of 40°, and none of the 24 guesses on that azimuth could be targeted (3,300
    /// flights) before the corrected ones were; Soyuz-2's strap-ons, off at 51 km and
    /// 1.7 km/s, put a 98° launch from Kourou in a plane 17.5° off, and its first guess is
    /// targeted.
    fn plane_far_off_at_separation(&self, guess: &FlightResult) -> bool {
        if self.takes_over != SteeringStart::FirstSeparation {
            return false;
        }
        guess.first(|k| matches!(k, EventKind::Separation { .. })).is_some_and(|e| {
            let plane = OrbitalElements::from_state(&e.point.position_eci_m, &e.point.velocity_eci_m_s, MU_EARTH_M3_S2);
            (plane.inclination_rad.to_degrees() - self.target.inclination_deg).abs() > PLANE_FAR_OFF_AT_SEPARATION_DEG
        })
    }

    /// A guess `x` whose flight comes down before the end of powered flight, its pitch law
    /// lofted: Newton has nothing to start from where every flight near the guess hits the
    /// ground. The guess law starts at the flight-path angle of the handover, at most 45°; an
    /// upper stage lit below a thrust-to-weight of one near the top of the atmosphere falls back
    /// under it (a kerosene first stage burned out at 47 km and 2.6 km/s under a hydrogen stage
    /// at 0.47: its payload to 200 km at 94° was targeted from the only guess that stayed up,
    /// and at 96° none did; its ascent pitches at 46°). The steeper starts of
    /// [`LOFTED_GUESS_PITCHES_DEG`] are flown in turn, each law still reaching −10° at the
    /// guess's end of powered flight; the first whose flight does not come down is returned,
    /// `None` when every one does.
    fn lofted(&mut self, kick_deg: f64, x: [f64; N]) -> Option<[f64; N]> {
        let stays_up = |problem: &mut Self, x: &[f64; N]| {
            problem.fly(kick_deg, x, problem.options).ok().is_some_and(|f| end_of_powered(problem.vehicle, &f).is_some())
        };
        let end_tan = (-10f64).to_radians().tan();
        let span_s = (end_tan - (x[0] * PITCH_SCALE_DEG).to_radians().tan()) / (x[1] * RATE_SCALE_PER_S);
        if !(span_s.is_finite() && span_s > 0.0) {
            return None;
        }
        LOFTED_GUESS_PITCHES_DEG.iter().filter(|&&p| p > x[0] * PITCH_SCALE_DEG).find_map(|&pitch_deg| {
            let mut lofted = x;
            lofted[0] = pitch_deg / PITCH_SCALE_DEG;
            lofted[1] = (end_tan - pitch_deg.to_radians().tan()) / span_s / RATE_SCALE_PER_S;
            stays_up(self, &lofted).then_some(lofted)
        })
    }

    /// A dogleg's first guess: `x` with the turn that brings the plane at the end of powered
    /// flight to the target inclination, by secant steps from none (each one flight). The
    /// corridor's plane lies tens of degrees from the target's, too far for Newton to start from
    /// no turn. Where the steps find no usable slope, the best turn tried so far is kept; with
    /// it, how far from the target's inclination its plane lies, degrees, never negative (NaN
    /// when no turn flew).
    pub(super) fn dogleg_yaw_guess(&mut self, kick_deg: f64, x: [f64; N]) -> ([f64; N], f64) {
        let inclination_error = |turn_deg: f64, problem: &mut Self| -> Option<f64> {
            let mut trial = x;
            trial[2] = turn_deg / AZIMUTH_SCALE_DEG;
            let flight = problem.fly(kick_deg, &trial, problem.options).ok()?;
            let p = end_of_powered(problem.vehicle, &flight)?.point;
            let plane = OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
            Some(plane.inclination_rad.to_degrees() - problem.target.inclination_deg)
        };
        let with_turn = |turn_deg: f64| {
            let mut guess = x;
            guess[2] = turn_deg / AZIMUTH_SCALE_DEG;
            guess
        };
        let Some(mut e0) = inclination_error(0.0, self) else { return (x, f64::NAN) };
        let (mut y0, mut y1) = (0.0, DOGLEG_YAW_FIRST_STEP_DEG);
        let mut best = (e0.abs(), y0);
        for _ in 0..DOGLEG_YAW_GUESS_STEPS {
            if e0.abs() < DOGLEG_YAW_GUESS_TOLERANCE_DEG {
                break;
            }
            let Some(e1) = inclination_error(y1, self) else {
                // That turn does not fly (the vehicle comes down): halve the step.
                y1 = 0.5 * (y0 + y1);
                continue;
            };
            if e1.abs() < best.0 {
                best = (e1.abs(), y1);
            }
            let slope = (e1 - e0) / (y1 - y0);
            if !(slope.is_finite() && slope.abs() > 1e-3) {
                break;
            }
            let step = (-e1 / slope).clamp(-DOGLEG_YAW_MAX_STEP_DEG * 2.0, DOGLEG_YAW_MAX_STEP_DEG * 2.0);
            (y0, e0) = (y1, e1);
            y1 = (y1 + step).clamp(-DOGLEG_YAW_RANGE_DEG, DOGLEG_YAW_RANGE_DEG);
        }
        (with_turn(best.1), best.0)
    }

    /// The open-loop ascent (`start` with its kick) whose gravity turn reaches `fpa_deg` at the
    /// first separation, where the exo-atmospheric law takes over (`tune_pitch_kick` aims at the
    /// first upper-stage ignition instead, which may come minutes later): bisection on the
    /// square root of the kick, as there; the flight-path angle falls as the kick grows.
    pub(super) fn kick_for_separation_flight_path_angle(
        &mut self,
        setup: &FlightSetup<'_>,
        start: AscentParameters,
        fpa_deg: f64,
    ) -> Option<AscentParameters> {
        let fpa_for = |kick_deg: f64, problem: &mut Self| -> Option<f64> {
            problem.flights += 1;
            let p = AscentParameters { pitch_kick_deg: kick_deg, ..start };
            let flight = fly(setup, &mut AscentProgram::new(p, problem.vehicle, &setup.launch)).ok();
            // A gravity turn that falls over before separating counts as too flat.
            Some(
                flight
                    .and_then(|f| f.first(|k| matches!(k, EventKind::Separation { .. })).map(|e| e.point.flight_path_angle_deg))
                    .unwrap_or(-90.0),
            )
        };
        let (mut low, mut high) = (0.0_f64, 60f64.sqrt());
        for _ in 0..KICK_SEARCH_FLIGHTS {
            let mid = 0.5 * (low + high);
            if fpa_for(mid * mid, self)? > fpa_deg {
                low = mid;
            } else {
                high = mid;
            }
        }
        Some(AscentParameters { pitch_kick_deg: (low * low).max(1e-3), ..start })
    }

    /// The launch azimuth whose open-loop ascent (`parameters`) has the target inclination in
    /// its plane of motion at the first separation, where the exo-atmospheric law takes that
    /// plane over: secant steps from the spherical-Earth azimuth, each one flight. `None` when
    /// the flights give no usable slope.
    pub(super) fn azimuth_for_plane_at_separation(&mut self, payload_kg: f64, parameters: AscentParameters) -> Option<f64> {
        let inclination_at = |azimuth_deg: f64, problem: &mut Self| -> Option<f64> {
            problem.flights += 1;
            let launch = Launch { azimuth_deg: azimuth_deg.rem_euclid(360.0), ..problem.launch };
            let setup = FlightSetup { vehicle: problem.vehicle, payload_kg, launch, options: problem.options };
            let flight = fly(&setup, &mut AscentProgram::new(parameters, problem.vehicle, &launch)).ok()?;
            let p = flight.first(|k| matches!(k, EventKind::Separation { .. }))?.point;
            let plane = OrbitalElements::from_state(&p.position_eci_m, &p.velocity_eci_m_s, MU_EARTH_M3_S2);
            Some(plane.inclination_rad.to_degrees() - problem.target.inclination_deg)
        };
        let mut a0 = self.launch.azimuth_deg;
        let mut e0 = inclination_at(a0, self)?;
        let mut a1 = a0 + AZIMUTH_CORRECTION_FIRST_STEP_DEG;
        for _ in 0..AZIMUTH_CORRECTION_STEPS {
            if e0.abs() < AZIMUTH_CORRECTION_TOLERANCE_DEG {
                break;
            }
            let e1 = inclination_at(a1, self)?;
            let slope = (e1 - e0) / (a1 - a0);
            if !(slope.is_finite() && slope.abs() > 1e-3) {
                return None;
            }
            let step = (-e1 / slope).clamp(-AZIMUTH_CORRECTION_MAX_STEP_DEG, AZIMUTH_CORRECTION_MAX_STEP_DEG);
            (a0, e0) = (a1, e1);
            a1 = self.on_the_leg_deg(a1 + step);
        }
        Some(a0.rem_euclid(360.0))
    }
}

/// How far from the target's inclination the plane of motion at the first separation may lie
/// for a guess on the spherical-Earth azimuth to be targeted, degrees
/// ([`Problem::plane_far_off_at_separation`]). Between the largest miss seen targeted (Soyuz-2
/// from Kourou to 98°: 17.5°) and the smallest seen where none of the 24 guesses could be (the
/// generated design the early strap-ons test vehicle was rounded from, Plesetsk to 90°: 22°).
const PLANE_FAR_OFF_AT_SEPARATION_DEG: f64 = 20.0;

/// Initial pitches of a lofted guess ([`Problem::lofted`]), degrees above the
/// horizon: steeper than the 45° the guess law starts at at most, short of the vertical.
const LOFTED_GUESS_PITCHES_DEG: [f64; 3] = [55.0, 65.0, 75.0];
/// Most lofted guesses targeted in one pass of the guesses ([`Problem::first_targeting_from`]).
const LOFTED_GUESS_TARGETINGS: usize = 2;
/// Flights a lofted guess's targeting may take: those of the designs that needed them took
/// 18–39; one that fails would run on to the 150 of a cold targeting.
const LOFTED_TARGETING_FLIGHTS: usize = 60;

/// Highest first separation that may leave the targeted law nothing to steer from, m: where
/// strap-ons leave the core in the dense air (the density there is still 7 % of sea level's;
/// the strap-ons of the designs that failed so left at 10–14 km, below Mach 2). The second pass of the guesses
/// ([`Problem::first_targeting_in_corridors`]) is flown only below it: wherever the first pass
/// fails for another reason (an orbit out of reach, a load that cannot fly), it would cost up
/// to half as many flights again for nothing.
const LOW_SEPARATION_ALTITUDE_M: f64 = 20e3;

/// Whether `flight`'s first separation comes below [`LOW_SEPARATION_ALTITUDE_M`] and before its
/// first upper-stage ignition (stages dropped while others lit at liftoff burn on).
pub(crate) fn separates_low(vehicle: &Vehicle, flight: &FlightResult) -> bool {
    let separation = flight.first(|k| matches!(k, EventKind::Separation { .. }));
    match (separation, first_upper_stage_ignition(vehicle, flight)) {
        (Some(s), Some(i)) => s.point.altitude_m < LOW_SEPARATION_ALTITUDE_M && s.point.time_s < i.point.time_s,
        _ => false,
    }
}
