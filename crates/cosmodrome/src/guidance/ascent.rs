//! Open-loop ascent program: vertical rise, pitch-over kick, zero-angle-of-attack gravity turn
//! through the atmosphere, then a steering law for the upper stages.
//!
//! The gravity turn keeps the thrust along the air-relative velocity in the launch plane, so the
//! angle of attack — and the aerodynamic load — stays zero while gravity bends the path over. Above the
//! atmosphere the upper stages follow a linear-tangent law, the optimal steering for a flat
//! Earth in vacuum (Bryson & Ho, *Applied Optimal Control*, §2.7): `tan θ` varies linearly in
//! time from its value at the switch to a final pitch.

use nalgebra::Vector3;

use crate::environment::earth::enu_basis;
use crate::flight::{Action, Direction, EventDetector, EventKind, EventState, Guidance, GuidanceInput, Launch, Transition};
use crate::vehicle::{Ignition, Vehicle};

/// The steering law once the first sequential (upper) stage ignites.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UpperSteering {
    /// Keep flying the zero-angle-of-attack gravity turn.
    GravityTurn,
    /// Linear-tangent pitch from the attitude at the switch to `final_pitch_deg` above the
    /// local horizontal at the burnout of the last stage (full-throttle burn times).
    LinearTangent {
        /// Pitch above the local horizontal at the end of powered flight, degrees.
        final_pitch_deg: f64,
    },
    /// [`ExoSteering`] from where [`ExoSteering::takes_over`] says (the first separation, the
    /// atmosphere thin by then), with engine cutoff at the target energy.
    Targeted(ExoSteering),
}

/// Steering above the atmosphere toward a target orbit: a linear-tangent pitch law in the
/// local horizontal frame, a constant yaw out of the plane, and engine cutoff at the target
/// orbital energy. Flat-Earth optimal control in vacuum gives exactly the linear-tangent law;
/// over a curved Earth it stays near-optimal, and its few parameters are what the payload
/// optimizer adjusts so that the cutoff state has the target perigee and inclination.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExoSteering {
    /// Pitch above the local horizontal when the law takes over, degrees.
    pub pitch_deg: f64,
    /// Rate of change of tan(pitch), 1/s (negative: the nose comes down).
    pub tan_pitch_rate_per_s: f64,
    /// Yaw out of the plane of motion at the switch, degrees, positive toward the orbit normal
    /// (north for an eastward launch): turns the orbit plane.
    pub yaw_deg: f64,
    /// The engines are cut off when the specific orbital energy `v²/2 − μ/r` reaches this, J/kg.
    pub cutoff_energy_j_kg: f64,
    /// Dogleg, degrees (positive clockwise seen from above): when the first upper stage ignites
    /// or the fairing is jettisoned, whichever comes first once this law steers (at the
    /// ignition only, as [`ExoSteering::dogleg_turn`] may say), the plane it
    /// steers in turns about the local vertical by this much from the plane of motion. The
    /// velocity then swings toward it as the stages add speed, so the plane change is spread
    /// over all of them (cheapest where the speed is still low), while the stages before fly
    /// the launch azimuth. The fairing goes once the air's heating allows, out of the dense air
    /// where a yaw would load the vehicle: a core that burns on past it turns there, at a lower
    /// speed than its upper stage's ignition (Angara-A5 at 208 s and 3.3 km/s rather than 325 s
    /// and 4.5 km/s; Soyuz-2.1b at 212 s and 2.6 km/s rather than 283 s and 3.6 km/s).
    /// A range that forbids the orbit's azimuth (a corridor) is left along an allowed one and
    /// the path bent once out of the air, as PSLV does round Sri Lanka (at PS2 ignition, before
    /// its fairing goes). 0: none.
    pub dogleg_deg: f64,
    /// Where the dogleg turns.
    pub dogleg_turn: DoglegTurn,
    /// Energy-management weave of the last solid stage, degrees (0 to [`MAX_ENERGY_WEAVE_DEG`]):
    /// its thrust yawed this far out of the steering plane to one side for the first quarter of
    /// its ideal Δv, as far to the other for the next half, and back for the last quarter. A
    /// motor cannot be shut down, so a payload lighter than the most it carries leaves it with
    /// energy over (a solid last stage at its burnout, or one that burns out past the orbit's
    /// energy before a liquid stage could cut off: Vega-C's Zefiro 9 with a light payload);
    /// solid upper stages burn that off by steering it sideways (general energy management)
    /// while the stages below fly their nominal ascent. The along-track Δv falls by
    /// about `1 − cos` of the angle; the sideways velocity the three legs give cancels, and so
    /// (nearly) does the sideways drift, which a two-leg weave would leave: near the top of its
    /// orbit's latitude that drift tilts the plane, which the launch azimuth can hardly undo for
    /// an orbit near the pad's own latitude. Only a solid upper stage weaves (boosters burn in the
    /// air, before this law steers). 0: none.
    pub energy_weave_deg: f64,
    /// Where the law takes over from the gravity turn.
    pub takes_over: SteeringStart,
}

/// Where the targeted law ([`ExoSteering`]) takes over from the zero-angle-of-attack gravity
/// turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SteeringStart {
    /// At the first separation: strap-on boosters or a first stage dropped out of the dense air
    /// (Soyuz's boosters at 43 km, Ariane 5's at 68 km), from where one linear-tangent law
    /// steers the stages that burn on.
    #[default]
    FirstSeparation,
    /// At the first upper-stage ignition, the stages lit at liftoff flying the gravity turn to
    /// their end. For strap-ons dropped low in the dense air onto a core that lifts less than
    /// its weight (10 km up and 460 m/s, a core at thrust-to-weight 0.9): a law that takes over
    /// there must hold the core steep for minutes and bring the upper stage down flat in one
    /// linear-tangent line, or hold the target's plane from where the Earth's rotation is most
    /// of the velocity, while the gravity turn climbs out as the core needs. Neither family
    /// carries more everywhere: the payload search flies this one when no built-in guess can be
    /// targeted from the first separation, and searches both for such a vehicle.
    UpperStageIgnition,
}

/// Largest energy-management weave ([`ExoSteering::energy_weave_deg`]), degrees: beyond, the
/// stage would spend most of its Δv sideways, and a payload needing that much waste is better
/// flown to a higher orbit or with ballast.
pub const MAX_ENERGY_WEAVE_DEG: f64 = 75.0;

/// Where a dogleg ([`ExoSteering::dogleg_deg`]) turns the steering plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DoglegTurn {
    /// At the first upper-stage ignition or the fairing's jettison, whichever comes first: out of
    /// the dense air at the lowest speed, the cheapest turn of a plane the launch could have
    /// flown but a corridor forbids.
    #[default]
    OutOfTheAir,
    /// At the first upper-stage ignition: into a plane inclined less than the pad's latitude,
    /// which passes south of it (north, below the equator). The vehicle must have flown towards
    /// it before the turn can bring the orbit there, and a core burning on past the fairing's
    /// jettison gets it farther: Soyuz-2.1b from Vostochny reaches 50.5° turning at Block I's
    /// ignition, 51.1° at the fairing's jettison, and carries 8,765 kg rather than 8,733 kg to
    /// 200 km at 51.2°; Angara-A5 reaches 50.0° (25,136 kg), where 50.5° was refused turning at
    /// the fairing's jettison.
    UpperStageIgnition,
}

/// Parameters of the open-loop ascent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentParameters {
    /// Time of vertical flight after liftoff, s (at least).
    pub vertical_rise_s: f64,
    /// The pitch-over waits until the vehicle moves this fast through the air, m/s: a gravity
    /// turn started at walking pace falls over, and a heavy vehicle with a liftoff
    /// thrust-to-weight near 1 needs longer than the nominal rise to reach a safe speed.
    pub pitch_over_min_air_speed_m_s: f64,
    /// Pitch-over kick: tilt of the thrust from the vertical toward the launch azimuth, degrees.
    pub pitch_kick_deg: f64,
    /// Time over which the kick is applied, s.
    pub pitch_kick_duration_s: f64,
    /// Steering after the first upper-stage ignition.
    pub steering: UpperSteering,
    /// How long the last stage burns its main engines before they are cut off and its burn-on
    /// engines go on alone, s from its ignition ([`crate::vehicle::Stage::burn_on_engine`]);
    /// `None`: all its engines burn together to the cutoff. Ignored for a vehicle without
    /// burn-on engines.
    pub main_engine_burn_s: Option<f64>,
    /// The coast before the solid stage lit in flight whose coast the file leaves to the ascent
    /// (`ignition_delay_max_s`, [`crate::vehicle::Vehicle::chosen_coast`]), s from the
    /// separation below it, held to the file's range; `None`: its `ignition_delay_s`, the
    /// shortest. The payload search chooses it. Ignored for a vehicle without such a stage.
    pub coast_s: Option<f64>,
}

impl Default for AscentParameters {
    fn default() -> Self {
        AscentParameters {
            vertical_rise_s: 10.0,
            pitch_over_min_air_speed_m_s: 25.0,
            pitch_kick_deg: 3.0,
            pitch_kick_duration_s: 10.0,
            steering: UpperSteering::LinearTangent { final_pitch_deg: 0.0 },
            main_engine_burn_s: None,
            coast_s: None,
        }
    }
}

/// Shortest vertical rise (other than none) and pitch kick, s: the resolution the flight locates
/// its events to.
pub const MIN_TIMED_PHASE_S: f64 = 1e-3;

impl AscentParameters {
    /// Check the parameters: finite, non-negative times, kick within 0–60°.
    pub fn check(&self) -> crate::Result<()> {
        let bad = |name: &str, msg: String| Err(crate::Error::invalid(name, msg));
        // The flight locates its events to a millisecond: a rise or a kick shorter than that (but
        // not none) ends at an event it cannot step to, and the integration stalls there.
        if !(self.vertical_rise_s.is_finite() && (self.vertical_rise_s == 0.0 || self.vertical_rise_s >= MIN_TIMED_PHASE_S)) {
            return bad("vertical rise", format!("must be 0 s or at least {MIN_TIMED_PHASE_S} s, got {}", self.vertical_rise_s));
        }
        if !(self.pitch_over_min_air_speed_m_s.is_finite() && (0.0..=300.0).contains(&self.pitch_over_min_air_speed_m_s)) {
            return bad("pitch-over speed", format!("must be within 0–300 m/s, got {}", self.pitch_over_min_air_speed_m_s));
        }
        if !(self.pitch_kick_deg.is_finite() && (0.0..=60.0).contains(&self.pitch_kick_deg)) {
            return bad("pitch kick", format!("must be within 0–60°, got {}", self.pitch_kick_deg));
        }
        if !(self.pitch_kick_duration_s.is_finite() && self.pitch_kick_duration_s >= MIN_TIMED_PHASE_S) {
            return bad("pitch kick duration", format!("must be at least {MIN_TIMED_PHASE_S} s, got {}", self.pitch_kick_duration_s));
        }
        if let Some(burn_s) = self.main_engine_burn_s.filter(|b| !(b.is_finite() && *b >= 0.0)) {
            return bad("main-engine burn", format!("must be ≥ 0 s, got {burn_s}"));
        }
        if let Some(coast_s) = self.coast_s.filter(|c| !(c.is_finite() && *c >= 0.0)) {
            return bad("coast", format!("must be ≥ 0 s, got {coast_s}"));
        }
        if let UpperSteering::Targeted(law) = self.steering {
            if !(law.pitch_deg.is_finite()
                && law.pitch_deg.abs() < 89.0
                && law.tan_pitch_rate_per_s.is_finite()
                && law.yaw_deg.is_finite()
                && law.yaw_deg.abs() <= 90.0
                && law.dogleg_deg.is_finite()
                && law.dogleg_deg.abs() <= 90.0
                && (0.0..=MAX_ENERGY_WEAVE_DEG).contains(&law.energy_weave_deg)
                && law.cutoff_energy_j_kg.is_finite())
            {
                return bad("exo-atmospheric steering", format!("parameters out of range: {law:?}"));
            }
        }
        if let UpperSteering::LinearTangent { final_pitch_deg } = self.steering {
            if !(final_pitch_deg.is_finite() && (-60.0..=60.0).contains(&final_pitch_deg)) {
                return bad("final pitch", format!("must be within ±60°, got {final_pitch_deg}"));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Vertical,
    /// The vertical rise has lasted its time; the pitch-over waits for the air speed.
    AwaitSpeed,
    Kick {
        start_s: f64,
    },
    GravityTurn,
    LinearTangent {
        start_s: f64,
        tan_start: f64,
        tan_end: f64,
        duration_s: f64,
    },
    Exo {
        start_s: f64,
        normal: Vector3<f64>,
        /// The dogleg has turned `normal` (at the first upper-stage ignition).
        turned: bool,
    },
}

/// Where the energy-management weave of the last solid stage stands
/// ([`ExoSteering::energy_weave_deg`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Weave {
    /// No weave is flown.
    Off,
    /// The weaving stage has not ignited yet.
    Pending,
    /// On leg `leg` (0, 1, 2: toward the orbit normal, away from it, toward it again) until the
    /// mass falls to `switch_mass_kg[leg]` (the last leg to the burnout): a quarter and three
    /// quarters of the stage's ideal Δv, `m₀ (m_f/m₀)^¼` and `m₀ (m_f/m₀)^¾` over its ignition
    /// and burnout masses, the exhaust speed of a motor whose mass flow follows its thrust being
    /// constant.
    Flying { leg: u8, switch_mass_kg: [f64; 2] },
}

/// The open-loop ascent program as a [`Guidance`] law.
#[derive(Debug, Clone, PartialEq)]
pub struct AscentProgram {
    parameters: AscentParameters,
    /// Horizontal unit vector of the launch azimuth at the pad, inertial frame.
    downrange: Vector3<f64>,
    /// Normal of the launch plane (the great circle through the pad along the azimuth), inertial
    /// frame: the gravity turn is held in this plane.
    launch_plane_normal: Vector3<f64>,
    /// Full-throttle burn time of the upper stages, s (the linear-tangent horizon).
    upper_burn_s: f64,
    /// Bit `i` set when stage `i` ignites sequentially: its ignition starts the steering law.
    upper_stages: u32,
    /// The fairing has been jettisoned: the vehicle is out of the dense air (a dogleg may turn).
    fairing_gone: bool,
    phase: Phase,
    /// Index of the last solid stage, the one an energy-management weave steers, and its
    /// propellant when it weaves (0 otherwise), kg.
    weave_stage: usize,
    weave_stage_propellant_kg: f64,
    weave: Weave,
}

impl AscentProgram {
    /// Normal of the inertial plane of motion, where the targeted law takes over (of the launch
    /// plane, should the vehicle stand still).
    fn plane_of_motion_normal(&self, input: &GuidanceInput) -> Vector3<f64> {
        input.position_m.cross(&input.velocity_m_s).try_normalize(1e-9).unwrap_or_else(|| input.up.cross(&self.downrange))
    }

    /// The steering plane's `normal` turned by the law's dogleg about the local vertical (as it
    /// is without a dogleg or a targeted law).
    fn dogleg_turned(&self, input: &GuidanceInput, normal: &Vector3<f64>) -> Vector3<f64> {
        match self.parameters.steering {
            UpperSteering::Targeted(law) if law.dogleg_deg != 0.0 => {
                let up = input.position_m.try_normalize(1.0).unwrap_or(input.up);
                turn_plane_normal(normal, &up, law.dogleg_deg.to_radians())
            }
            _ => *normal,
        }
    }

    /// Whether a dogleg turns out of the air ([`DoglegTurn::OutOfTheAir`]) rather than waiting
    /// for the upper stage.
    fn turns_out_of_the_air(&self) -> bool {
        !matches!(self.parameters.steering, UpperSteering::Targeted(law) if law.dogleg_turn == DoglegTurn::UpperStageIgnition)
    }

    /// A program for a vehicle launched from `launch` (its azimuth sets the pitch plane).
    pub fn new(parameters: AscentParameters, vehicle: &Vehicle, launch: &Launch) -> Self {
        let [east, north, _] = enu_basis(launch.latitude_deg.to_radians(), launch.longitude_deg.to_radians());
        let az = launch.azimuth_deg.to_radians();
        // The inertial frame equals Earth-fixed at liftoff, so the pad basis serves as it is.
        let downrange = (north * az.cos() + east * az.sin()).normalize();
        let pad = launch.pad_position_m();
        let launch_plane_normal = pad.cross(&downrange).try_normalize(1.0).unwrap_or_else(Vector3::z);
        let upper_burn_s = vehicle
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| s.ignition == Ignition::Sequential)
            .map(|(i, s)| s.burn_time_full_throttle_s() + vehicle.coast_before_s(i, parameters.coast_s))
            .sum();
        let upper_stages = vehicle
            .stages
            .iter()
            .enumerate()
            .filter(|(i, s)| *i < 32 && s.ignition == Ignition::Sequential)
            .fold(0u32, |m, (i, _)| m | (1 << i));
        let weave_stage = vehicle
            .stages
            .iter()
            .rposition(|s| s.is_solid())
            .filter(|&i| vehicle.stages[i].ignition == Ignition::Sequential)
            .filter(|_| matches!(parameters.steering, UpperSteering::Targeted(law) if law.energy_weave_deg > 0.0));
        let weave_stage_propellant_kg = weave_stage.map_or(0.0, |i| vehicle.stages[i].total_propellant_kg());
        AscentProgram {
            parameters,
            downrange,
            launch_plane_normal,
            upper_burn_s,
            upper_stages,
            fairing_gone: false,
            phase: Phase::Vertical,
            weave_stage: weave_stage.unwrap_or(usize::MAX),
            weave_stage_propellant_kg,
            weave: if weave_stage.is_some() { Weave::Pending } else { Weave::Off },
        }
    }
}

/// `normal` (a unit vector normal to `up`) turned about `up` so that the heading of the plane it
/// is the normal of, the direction `normal × up`, grows by `turn_rad` (clockwise seen from
/// above): Rodrigues' rotation by −`turn_rad`.
fn turn_plane_normal(normal: &Vector3<f64>, up: &Vector3<f64>, turn_rad: f64) -> Vector3<f64> {
    let (sin, cos) = (-turn_rad).sin_cos();
    normal * cos + up.cross(normal) * sin + up * up.dot(normal) * (1.0 - cos)
}

impl AscentProgram {
    /// Engine-cutoff function: positive while the engines should burn, zero at the target
    /// orbital energy (targeted steering only; ∞ otherwise).
    pub(crate) fn cutoff_margin(&self, input: &GuidanceInput) -> f64 {
        match (self.phase, self.parameters.steering) {
            (Phase::Exo { .. }, UpperSteering::Targeted(law)) => {
                law.cutoff_energy_j_kg
                    - crate::environment::elements::specific_energy(
                        &input.position_m,
                        &input.velocity_m_s,
                        crate::environment::earth::MU_EARTH_M3_S2,
                    )
            }
            _ => f64::INFINITY,
        }
    }

    /// Switch function of the energy-management weave: positive while the last solid stage has
    /// not spent the share of its ideal Δv where its leg ends (∞ on its last leg and without a
    /// weave). Located as an event, so that the side changes at a step of the integration.
    pub(crate) fn weave_margin(&self, input: &GuidanceInput) -> f64 {
        match self.weave {
            Weave::Flying { leg, switch_mass_kg } if leg < 2 => input.mass_kg - switch_mass_kg[usize::from(leg)],
            _ => f64::INFINITY,
        }
    }

    /// Yaw of the energy-management weave now, radians (signed: toward the orbit normal first).
    #[inline]
    fn weave_yaw_rad(&self, law: &ExoSteering) -> f64 {
        match self.weave {
            Weave::Flying { leg: 1, .. } => -law.energy_weave_deg.to_radians(),
            Weave::Flying { .. } => law.energy_weave_deg.to_radians(),
            Weave::Off | Weave::Pending => 0.0,
        }
    }

    /// Switch function of the pitch-over that waits for its air speed: positive while the
    /// vehicle is slower (∞ in any other phase). Located as an event, the pitch-over happens at
    /// a time that varies smoothly with the vehicle and its payload, which the optimizer's
    /// finite differences need.
    pub(crate) fn switch_margin(&self, input: &GuidanceInput) -> f64 {
        match self.phase {
            Phase::AwaitSpeed => self.parameters.pitch_over_min_air_speed_m_s - input.air_velocity_m_s.norm(),
            _ => f64::INFINITY,
        }
    }
}

/// Engine cutoff at the target energy: the targeted steering's detector.
struct CutoffAtTargetEnergy;

impl EventDetector<AscentProgram> for CutoffAtTargetEnergy {
    fn g(&self, s: &EventState<'_, AscentProgram>) -> f64 {
        s.guidance().cutoff_margin(s.input())
    }
    fn direction(&self) -> Direction {
        Direction::Decreasing
    }
    fn watches(&self, start: &EventState<'_, AscentProgram>, _: &EventState<'_, AscentProgram>) -> bool {
        start.sequencer().config().is_burning()
    }
    fn action(&self, _: &EventState<'_, AscentProgram>) -> Action {
        Action::Transition(Transition::Cutoff)
    }
}

/// A phase switch of the program where one of its switch functions falls through zero: the
/// pitch-over once the air speed is reached after the vertical rise
/// ([`AscentProgram::switch_margin`]), the energy-management weave's changes of side a quarter
/// and three quarters of the way through the last solid stage's Δv
/// ([`AscentProgram::weave_margin`]).
struct UpdateWhenFalls(fn(&AscentProgram, &GuidanceInput) -> f64);

impl EventDetector<AscentProgram> for UpdateWhenFalls {
    fn g(&self, s: &EventState<'_, AscentProgram>) -> f64 {
        (self.0)(s.guidance(), s.input())
    }
    fn direction(&self) -> Direction {
        Direction::Decreasing
    }
    fn action(&self, _: &EventState<'_, AscentProgram>) -> Action {
        Action::UpdateGuidance
    }
}

/// Pitch of `direction` above the horizontal plane normal to `up`, radians.
fn pitch_above_horizontal(direction: &Vector3<f64>, up: &Vector3<f64>) -> f64 {
    let n = direction.norm();
    if n == 0.0 {
        return std::f64::consts::FRAC_PI_2;
    }
    (direction.dot(up) / n).clamp(-1.0, 1.0).asin()
}

impl Guidance for AscentProgram {
    #[inline]
    fn thrust_direction(&self, input: &GuidanceInput) -> Vector3<f64> {
        let up = input.up;
        match self.phase {
            Phase::Vertical | Phase::AwaitSpeed => up,
            Phase::Kick { start_s } => {
                let fraction = ((input.time_s - start_s) / self.parameters.pitch_kick_duration_s).clamp(0.0, 1.0);
                let tilt = (self.parameters.pitch_kick_deg * fraction).to_radians();
                let horizontal = (self.downrange - up * self.downrange.dot(&up)).try_normalize(1e-12).unwrap_or(self.downrange);
                up * tilt.cos() + horizontal * tilt.sin()
            }
            Phase::GravityTurn => {
                // Zero angle of attack in pitch; the sideways part of the air velocity is left
                // out, so the turn stays in the launch plane instead of drifting with the
                // Coriolis deflection (which a slow, heavy vehicle would follow into a fall).
                let va = input.air_velocity_m_s;
                let n = self.launch_plane_normal;
                (va - n * va.dot(&n)).try_normalize(1e-9).unwrap_or(up)
            }
            Phase::Exo { start_s, normal, .. } => {
                let UpperSteering::Targeted(law) = self.parameters.steering else { return up };
                let radial = input.position_m.try_normalize(1.0).unwrap_or(up);
                let horizontal = normal.cross(&radial).try_normalize(1e-12).unwrap_or(self.downrange);
                let tan_pitch = law.pitch_deg.to_radians().tan() + law.tan_pitch_rate_per_s * (input.time_s - start_s);
                let pitch = tan_pitch.atan();
                let (sin_yaw, cos_yaw) = (law.yaw_deg.to_radians() + self.weave_yaw_rad(&law)).sin_cos();
                (horizontal * pitch.cos() + radial * pitch.sin()) * cos_yaw + normal * sin_yaw
            }
            Phase::LinearTangent { start_s, tan_start, tan_end, duration_s } => {
                let s = ((input.time_s - start_s) / duration_s).clamp(0.0, 1.0);
                let pitch = (tan_start + (tan_end - tan_start) * s).atan();
                // Pitch plane: local vertical and the horizontal part of the inertial velocity.
                let v = input.velocity_m_s;
                let horizontal = (v - up * v.dot(&up)).try_normalize(1e-9).unwrap_or(self.downrange);
                up * pitch.sin() + horizontal * pitch.cos()
            }
        }
    }

    fn detectors(&self) -> Vec<Box<dyn EventDetector<Self>>> {
        let pitch_over = Box::new(UpdateWhenFalls(AscentProgram::switch_margin));
        if self.weave == Weave::Off {
            vec![Box::new(CutoffAtTargetEnergy), pitch_over]
        } else {
            vec![Box::new(CutoffAtTargetEnergy), pitch_over, Box::new(UpdateWhenFalls(AscentProgram::weave_margin))]
        }
    }

    fn next_update_s(&self) -> f64 {
        match self.phase {
            Phase::Vertical => self.parameters.vertical_rise_s,
            Phase::Kick { start_s } => start_s + self.parameters.pitch_kick_duration_s,
            _ => f64::INFINITY,
        }
    }

    fn main_engine_burn_s(&self) -> Option<f64> {
        self.parameters.main_engine_burn_s
    }

    fn coast_s(&self) -> Option<f64> {
        self.parameters.coast_s
    }

    fn update(&mut self, input: &GuidanceInput, staging: Option<&EventKind>) -> Option<EventKind> {
        self.fairing_gone |= staging == Some(&EventKind::FairingJettison);
        match (self.weave, staging) {
            (Weave::Pending, Some(EventKind::Ignition { stage })) if *stage == self.weave_stage => {
                let m0 = input.mass_kg;
                let ratio = ((m0 - self.weave_stage_propellant_kg) / m0).max(0.0);
                self.weave = Weave::Flying { leg: 0, switch_mass_kg: [m0 * ratio.powf(0.25), m0 * ratio.powf(0.75)] };
            }
            // The located crossing lies within a few grams of the mass; allow for that.
            (Weave::Flying { leg, switch_mass_kg }, None) if self.weave_margin(input) <= 1e-3 => {
                self.weave = Weave::Flying { leg: leg + 1, switch_mass_kg };
            }
            _ => {}
        }
        match (self.phase, staging) {
            (Phase::Vertical, _) if input.time_s >= self.parameters.vertical_rise_s => {
                if input.air_velocity_m_s.norm() >= self.parameters.pitch_over_min_air_speed_m_s {
                    self.phase = Phase::Kick { start_s: input.time_s };
                    Some(EventKind::PitchOver)
                } else {
                    // Wait for the speed: the switch function locates the moment it is reached.
                    self.phase = Phase::AwaitSpeed;
                    None
                }
            }
            // The located crossing lies within nanoseconds of the speed; allow for that.
            (Phase::AwaitSpeed, None) if self.switch_margin(input) <= 1e-6 => {
                self.phase = Phase::Kick { start_s: input.time_s };
                Some(EventKind::PitchOver)
            }
            (Phase::Kick { start_s }, _) if input.time_s >= start_s + self.parameters.pitch_kick_duration_s => {
                self.phase = Phase::GravityTurn;
                Some(EventKind::GravityTurn)
            }
            (Phase::GravityTurn, Some(EventKind::Separation { .. })) if matches!(self.parameters.steering, UpperSteering::Targeted(law) if law.takes_over == SteeringStart::FirstSeparation) =>
            {
                let normal = self.plane_of_motion_normal(input);
                // Out of the dense air already (the fairing gone): a dogleg turns here, unless it
                // waits for the upper stage.
                let turned = self.fairing_gone && self.turns_out_of_the_air();
                let normal = if turned { self.dogleg_turned(input, &normal) } else { normal };
                self.phase = Phase::Exo { start_s: input.time_s, normal, turned };
                Some(EventKind::Steering)
            }
            // A dogleg: at the first upper-stage ignition or the fairing jettison, whichever
            // comes first (at the ignition only, when it waits for it), the steering plane turns
            // about the local vertical; the pitch law carries on.
            (Phase::Exo { start_s, normal, turned: false }, Some(kind))
                if (matches!(kind, EventKind::FairingJettison) && self.turns_out_of_the_air())
                    || matches!(kind, EventKind::Ignition { stage } if *stage < 32 && self.upper_stages & (1 << stage) != 0) =>
            {
                self.phase = Phase::Exo { start_s, normal: self.dogleg_turned(input, &normal), turned: true };
                None
            }
            (Phase::GravityTurn, Some(EventKind::Ignition { stage })) if stage < &32 && self.upper_stages & (1 << stage) != 0 => {
                match self.parameters.steering {
                    UpperSteering::Targeted(law) if law.takes_over == SteeringStart::UpperStageIgnition => {
                        let normal = self.plane_of_motion_normal(input);
                        // The first upper-stage ignition is where either kind of dogleg turns.
                        self.phase = Phase::Exo { start_s: input.time_s, normal: self.dogleg_turned(input, &normal), turned: true };
                        Some(EventKind::Steering)
                    }
                    UpperSteering::GravityTurn | UpperSteering::Targeted(_) => None,
                    UpperSteering::LinearTangent { final_pitch_deg } => {
                        let start_pitch = pitch_above_horizontal(&input.air_velocity_m_s, &input.up);
                        let remaining = self.upper_burn_s.max(1.0);
                        self.phase = Phase::LinearTangent {
                            start_s: input.time_s,
                            tan_start: start_pitch.tan(),
                            tan_end: final_pitch_deg.to_radians().tan(),
                            duration_s: remaining,
                        };
                        Some(EventKind::Steering)
                    }
                }
            }
            _ => None,
        }
    }
}

/// Flight-path angle at staging the default ascent aims for, degrees: the inertial angle when the
/// first upper stage ignites. Low enough that the upper stage need not kill much vertical
/// speed, high enough that it does not fall back while it gains speed.
pub const DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG: f64 = 12.0;

/// Bisection steps of [`tune_pitch_kick`]: the kick is known to ~1e-6 of its range after 24.
const KICK_BISECTIONS: usize = 24;

/// Flights [`tune_pitch_kick`] flies at most: the bracket check and the bisections.
pub const KICK_SEARCH_FLIGHTS: usize = KICK_BISECTIONS + 1;

/// Inertial flight-path angle, degrees, where the liftoff stages hand over: at the first
/// upper-stage ignition, or at the last event of a vehicle with no upper stage. A flight that
/// crashes before handing over counts as −90° when it came down ahead of the pad (the kick was
/// too strong) and +90° when it fell back behind it (too weak to overcome the westward Coriolis
/// drift of a slow, heavy vehicle), so the angle keeps falling as the kick grows.
fn staging_flight_path_angle_deg(vehicle: &Vehicle, result: &crate::flight::FlightResult, launch: &Launch) -> f64 {
    let first_upper = vehicle.stages.iter().position(|s| s.ignition == Ignition::Sequential);
    let event = match first_upper {
        Some(stage) => result.event(&EventKind::Ignition { stage }),
        None => result.last(|k| matches!(k, EventKind::Burnout { .. })),
    };
    if let Some(e) = event {
        return e.point.flight_path_angle_deg;
    }
    let p = &result.final_point;
    let north = (p.latitude_deg - launch.latitude_deg).to_radians();
    let east = crate::units::wrap_pi((p.longitude_deg - launch.longitude_deg).to_radians()) * launch.latitude_deg.to_radians().cos();
    let az = launch.azimuth_deg.to_radians();
    if north * az.cos() + east * az.sin() < 0.0 {
        90.0
    } else {
        -90.0
    }
}

/// The pitch-over kick that brings the gravity turn to `target_fpa_deg` at staging, for a
/// given vertical rise and kick duration.
///
/// A zero-angle-of-attack gravity turn is decided by its initial kick: too little and the
/// vehicle climbs steeply and wastes its speed against gravity, too much and, at the low
/// thrust-to-weight of a heavy first stage, it falls over and crashes. The flight-path angle at
/// staging decreases monotonically with the kick, so a bisection on the kick finds it; each
/// trial is one flight. Until the payload optimizer chooses the whole ascent, this is the
/// open-loop program's default.
pub fn tune_pitch_kick(
    setup: &crate::flight::FlightSetup<'_>,
    parameters: AscentParameters,
    target_fpa_deg: f64,
) -> crate::Result<AscentParameters> {
    parameters.check()?;
    if !(target_fpa_deg.is_finite() && (0.0..90.0).contains(&target_fpa_deg)) {
        return Err(crate::Error::invalid("staging flight-path angle", format!("must be within 0–90°, got {target_fpa_deg}")));
    }
    let fpa_for = |kick_deg: f64| -> crate::Result<f64> {
        let p = AscentParameters { pitch_kick_deg: kick_deg, ..parameters };
        let mut program = AscentProgram::new(p, setup.vehicle, &setup.launch);
        let trial =
            crate::flight::FlightSetup { options: crate::flight::FlightOptions { sample_interval_s: None, ..setup.options }, ..*setup };
        let result = crate::flight::fly(&trial, &mut program)?;
        Ok(staging_flight_path_angle_deg(setup.vehicle, &result, &setup.launch))
    };
    // The kick lies within 0–60°; bisect on its square root so small kicks are resolved finely.
    let (mut low, mut high) = (0.0_f64, 60f64.sqrt());
    if fpa_for(high * high)? > target_fpa_deg {
        return Ok(AscentParameters { pitch_kick_deg: high * high, ..parameters });
    }
    for _ in 0..KICK_BISECTIONS {
        let mid = 0.5 * (low + high);
        if fpa_for(mid * mid)? > target_fpa_deg {
            low = mid;
        } else {
            high = mid;
        }
    }
    let kick = 0.5 * (low + high);
    Ok(AscentParameters { pitch_kick_deg: kick * kick, ..parameters })
}

/// The default open-loop ascent (`cosmodrome fly --open-loop`): the kick that brings the
/// gravity turn to [`DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG`] at staging, then that ascent flown.
/// It does not target an orbit ([`crate::optimize::targeting::fly_to_orbit`] does).
///
/// ```
/// use cosmodrome::flight::{Ending, FlightOptions, FlightSetup, Launch};
/// use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
/// use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
///
/// // Soyuz-2.1b with 7 t from Vostochny, toward the site's lowest inclination.
/// let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1b")?;
/// let sites = SiteCatalog::builtin()?;
/// let vostochny = sites.get("vostochny")?;
/// let azimuth = launch_azimuth(vostochny.latitude_deg, vostochny.default_inclination_deg(), 200e3, Branch::Northbound)?;
/// let launch = Launch::from_site(vostochny, azimuth.azimuth_deg);
/// let setup = FlightSetup { vehicle: &vehicle, payload_kg: 7000.0, launch, options: FlightOptions::default() };
/// let flight = fly_default_ascent(&setup)?;
///
/// // The boosters (four bodies, one stage) and the core are jettisoned, each with its state.
/// let stages_dropped = flight.jettisoned.iter().filter(|body| body.stage.is_some()).count();
/// assert_eq!(stages_dropped, 2);
/// // Not targeted, this ascent still ends in an orbit whose perigee clears the atmosphere.
/// match flight.ending() {
///     Ending::Orbit { perigee_altitude_m, apogee_altitude_m, .. } => {
///         assert!(perigee_altitude_m > 150e3 && apogee_altitude_m > perigee_altitude_m)
///     }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), cosmodrome::Error>(())
/// ```
pub fn fly_default_ascent(setup: &crate::flight::FlightSetup<'_>) -> crate::Result<crate::flight::FlightResult> {
    let parameters = tune_pitch_kick(setup, AscentParameters::default(), DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG)?;
    crate::flight::fly(setup, &mut AscentProgram::new(parameters, setup.vehicle, &setup.launch))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A level targeted law that turns nothing: what each test varies.
    /// A vertical rise or a pitch kick shorter than the flight's event resolution is refused
    /// (one of a nanosecond stalled the integration at its end); none, or a millisecond, flies.
    #[test]
    fn timed_phases_shorter_than_a_millisecond_are_refused() {
        let with = |vertical_rise_s: f64, pitch_kick_duration_s: f64| {
            AscentParameters { vertical_rise_s, pitch_kick_duration_s, ..AscentParameters::default() }.check()
        };
        assert!(with(0.0, 4.0).is_ok() && with(MIN_TIMED_PHASE_S, MIN_TIMED_PHASE_S).is_ok());
        let e = with(1e-9, 4.0).unwrap_err().to_string();
        assert!(e.contains("vertical rise") && e.contains("at least 0.001 s"), "{e}");
        let e = with(10.0, 1e-9).unwrap_err().to_string();
        assert!(e.contains("pitch kick duration") && e.contains("at least 0.001 s"), "{e}");
    }

    fn level_law() -> ExoSteering {
        ExoSteering {
            pitch_deg: 0.0,
            tan_pitch_rate_per_s: 0.0,
            yaw_deg: 0.0,
            cutoff_energy_j_kg: 0.0,
            dogleg_deg: 0.0,
            dogleg_turn: DoglegTurn::OutOfTheAir,
            takes_over: SteeringStart::FirstSeparation,
            energy_weave_deg: 0.0,
        }
    }

    /// On the equator at 0° E (up = x, east = y, north = z) a plane heading north has the normal
    /// −y; turned 90° clockwise it heads east (normal z), turned −45° north-west; the turned
    /// normal stays a unit vector normal to the vertical.
    #[test]
    fn the_dogleg_turns_the_plane_heading_clockwise_about_the_vertical() {
        let (up, north, east) = (Vector3::x(), Vector3::z(), Vector3::y());
        let normal = -east;
        assert!((normal.cross(&up) - north).norm() < 1e-15, "heading north");
        let to_east = turn_plane_normal(&normal, &up, 90f64.to_radians());
        assert!((to_east.cross(&up) - east).norm() < 1e-15, "heading east: {to_east:?}");
        let to_north_west = turn_plane_normal(&normal, &up, -45f64.to_radians());
        let heading = to_north_west.cross(&up);
        let expected = (north - east).normalize();
        assert!((heading - expected).norm() < 1e-15, "heading north-west: {heading:?}");
        assert!((to_north_west.norm() - 1.0).abs() < 1e-15 && to_north_west.dot(&up).abs() < 1e-15);
    }

    /// The energy-management weave of a solid last stage: nothing sideways before the stage
    /// ignites; then yawed by the weave toward the orbit normal for the first quarter of the
    /// stage's ideal Δv (to the mass `m₀ (m_f/m₀)^¼`), away from it for the next half and toward
    /// it again for the last quarter, so that the legs' sideways Δv cancels. Only a solid stage
    /// weaves, and only a weaving program watches for the changes of side.
    #[test]
    fn a_solid_last_stage_weaves_one_way_the_other_and_back_over_its_delta_v() {
        let text = r#"
format = 1
name = "Weaver"
[[engine]]
id = "E"
propellant = "LOX/kerosene"
thrust_vac_kn = 2000.0
isp_vac_s = 330.0
[[motor]]
id = "M"
propellant = "HTPB"
isp_vac_s = 295.0
exit_area_m2 = 1.0
thrust_curve_vac_kn = [[0.0, 0.0], [0.5, 400.0], [100.0, 380.0], [110.0, 0.0]]
[[stage]]
name = "Core"
engine = "E"
dry_mass_kg = 10000.0
propellant_mass_kg = 120000.0
diameter_m = 3.0
[[stage]]
name = "Kick"
motor = "M"
dry_mass_kg = 1500.0
propellant_mass_kg = 14000.0
diameter_m = 2.0
"#;
        let vehicle = Vehicle::from_toml(text, "weaver.toml").expect("reads").0;
        let launch = Launch { latitude_deg: 0.0, longitude_deg: 0.0, altitude_m: 0.0, azimuth_deg: 0.0 };
        let law = ExoSteering { energy_weave_deg: 30.0, ..level_law() };
        let parameters = AscentParameters { steering: UpperSteering::Targeted(law), ..AscentParameters::default() };
        // Heading north over the equator at 0° E: up = x, the orbit normal r × v is −y.
        let input = |time_s: f64, mass_kg: f64| GuidanceInput { mass_kg, thrust_n: 4e5, ..heading_north(time_s) };
        let sideways = |p: &AscentProgram, t: f64, m: f64| p.thrust_direction(&input(t, m)).dot(&-Vector3::y());
        let mut p = AscentProgram::new(parameters, &vehicle, &launch);
        assert_eq!(p.detectors().len(), 3, "a weaving program watches for the change of side");
        p.phase = Phase::GravityTurn;
        let m0 = 20_000.0;
        p.update(&input(150.0, m0), Some(&EventKind::Separation { stage: 0 }));
        assert!(sideways(&p, 150.0, m0).abs() < 1e-12, "no weave before the last stage lights");
        p.update(&input(160.0, m0), Some(&EventKind::Ignition { stage: 1 }));
        let half = 0.5f64;
        assert!((sideways(&p, 160.0, m0) - half).abs() < 1e-12, "toward the orbit normal: {}", sideways(&p, 160.0, m0));
        let mf = m0 - vehicle.stages[1].total_propellant_kg();
        let ideal = (m0 / mf).ln();
        let first_kg = m0 - p.weave_margin(&input(160.0, m0));
        assert!(((m0 / first_kg).ln() - 0.25 * ideal).abs() < 1e-12, "first side change at {first_kg} kg");
        assert!(p.weave_margin(&input(170.0, first_kg + 1.0)) > 0.0);
        p.update(&input(180.0, first_kg), None);
        assert!((sideways(&p, 180.0, first_kg) + half).abs() < 1e-12, "then away from it");
        let second_kg = first_kg - p.weave_margin(&input(180.0, first_kg));
        assert!(((first_kg / second_kg).ln() - 0.5 * ideal).abs() < 1e-12, "second side change at {second_kg} kg");
        p.update(&input(230.0, second_kg), None);
        assert!((sideways(&p, 230.0, second_kg) - half).abs() < 1e-12, "then toward it again");
        assert!(((second_kg / mf).ln() - 0.25 * ideal).abs() < 1e-12, "for the last quarter");
        assert!(p.weave_margin(&input(240.0, mf)).is_infinite(), "to the burnout");
        // No weave: nothing sideways, no watch.
        let still = AscentParameters { steering: UpperSteering::Targeted(ExoSteering { energy_weave_deg: 0.0, ..law }), ..parameters };
        assert_eq!(AscentProgram::new(still, &vehicle, &launch).detectors().len(), 2);
        // A vehicle with no solid stage cuts off instead: it never weaves.
        let liquid = crate::vehicle::resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let mut q = AscentProgram::new(parameters, &liquid, &launch);
        assert_eq!(q.detectors().len(), 2);
        q.phase = Phase::GravityTurn;
        q.update(&input(118.0, 1e5), Some(&EventKind::Separation { stage: 0 }));
        q.update(&input(287.0, 3e4), Some(&EventKind::Ignition { stage: liquid.stages.len() - 1 }));
        assert!(sideways(&q, 287.0, 3e4).abs() < 1e-12);
    }

    /// Heading north over the equator at 0° E, 100 km up: up = x, the plane of motion's normal −y.
    fn heading_north(time_s: f64) -> GuidanceInput {
        GuidanceInput {
            time_s,
            position_m: Vector3::x() * 6.5e6,
            velocity_m_s: Vector3::z() * 2e3,
            air_velocity_m_s: Vector3::z() * 2e3,
            up: Vector3::x(),
            altitude_m: 1e5,
            mass_kg: 1e5,
            thrust_n: 1e6,
        }
    }

    /// A dogleg turns the steering plane at the fairing's jettison when that comes before the
    /// first upper-stage ignition, at the steering switch when the fairing went before it, and
    /// at the upper stage's ignition otherwise; once only. One that waits for the upper stage
    /// turns at its ignition.
    #[test]
    fn the_dogleg_turns_out_of_the_dense_air_or_at_upper_stage_ignition() {
        let vehicle = crate::vehicle::resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let launch = Launch { latitude_deg: 0.0, longitude_deg: 0.0, altitude_m: 0.0, azimuth_deg: 0.0 };
        let law = ExoSteering { dogleg_deg: 30.0, ..level_law() };
        let out_of_the_air = AscentParameters { steering: UpperSteering::Targeted(law), ..AscentParameters::default() };
        let at_ignition = AscentParameters {
            steering: UpperSteering::Targeted(ExoSteering { dogleg_turn: DoglegTurn::UpperStageIgnition, ..law }),
            ..AscentParameters::default()
        };
        let input = heading_north;
        let plane_normal = -Vector3::y();
        // The sideways share of the thrust: 0 in the plane of motion, sin 30° once turned.
        let sideways = |p: &AscentProgram, t: f64| p.thrust_direction(&input(t)).dot(&plane_normal).abs();
        let block_i = || EventKind::Ignition { stage: 2 };
        let separation = || EventKind::Separation { stage: 0 };
        let turned_by = |parameters: AscentParameters, events: &[(f64, EventKind)]| -> Vec<bool> {
            let mut p = AscentProgram::new(parameters, &vehicle, &launch);
            p.phase = Phase::GravityTurn;
            events
                .iter()
                .map(|(t, kind)| {
                    p.update(&input(*t), Some(kind));
                    sideways(&p, *t) > 0.49
                })
                .collect()
        };
        let turned = |events: &[(f64, EventKind)]| turned_by(out_of_the_air, events);
        assert!(vehicle.stages[2].ignition == Ignition::Sequential, "Block I is an upper stage");
        // Boosters go, then the fairing, then Block I lights: the turn comes with the fairing.
        assert_eq!(turned(&[(118.0, separation()), (160.0, EventKind::FairingJettison), (287.0, block_i())]), [false, true, true]);
        // The fairing went first: the turn comes at the switch.
        assert_eq!(turned(&[(100.0, EventKind::FairingJettison), (118.0, separation()), (287.0, block_i())]), [false, true, true]);
        // Block I lights before the fairing goes: the turn comes with it, once.
        assert_eq!(turned(&[(118.0, separation()), (287.0, block_i()), (300.0, EventKind::FairingJettison)]), [false, true, true]);
        // Waiting for the upper stage, the turn comes with Block I wherever the fairing goes.
        let waits = |events: &[(f64, EventKind)]| turned_by(at_ignition, events);
        assert_eq!(waits(&[(118.0, separation()), (160.0, EventKind::FairingJettison), (287.0, block_i())]), [false, false, true]);
        assert_eq!(waits(&[(100.0, EventKind::FairingJettison), (118.0, separation()), (287.0, block_i())]), [false, false, true]);
    }

    /// The targeted law takes over at the first separation, or, told so, at the first
    /// upper-stage ignition, the gravity turn flown through the boosters' separation; either way
    /// it says so once (the `Steering` event) and a dogleg turns at the ignition.
    #[test]
    fn the_law_takes_over_at_the_separation_or_the_upper_stage_ignition() {
        let vehicle = crate::vehicle::resolve_vehicle("soyuz-2.1b").expect("catalog").0;
        let launch = Launch { latitude_deg: 0.0, longitude_deg: 0.0, altitude_m: 0.0, azimuth_deg: 0.0 };
        let input = heading_north;
        let events = [
            (118.0, EventKind::Separation { stage: 0 }),
            (287.0, EventKind::Separation { stage: 1 }),
            (287.0, EventKind::Ignition { stage: 2 }),
        ];
        let flown = |law: ExoSteering| -> (Vec<Option<EventKind>>, f64) {
            let parameters = AscentParameters { steering: UpperSteering::Targeted(law), ..AscentParameters::default() };
            let mut p = AscentProgram::new(parameters, &vehicle, &launch);
            p.phase = Phase::GravityTurn;
            let said = events.iter().map(|(t, kind)| p.update(&input(*t), Some(kind))).collect();
            (said, p.thrust_direction(&input(300.0)).dot(&-Vector3::y()).abs())
        };
        let steering = Some(EventKind::Steering);
        let (said, _) = flown(level_law());
        assert_eq!(said, [steering.clone(), None, None]);
        let late = ExoSteering { takes_over: SteeringStart::UpperStageIgnition, ..level_law() };
        let (said, sideways) = flown(late);
        assert_eq!(said, [None, None, steering]);
        assert!(sideways < 1e-12, "{sideways}");
        let (_, sideways) = flown(ExoSteering { dogleg_deg: 30.0, ..late });
        assert!((sideways - 0.5).abs() < 1e-9, "{sideways}");
    }
}
