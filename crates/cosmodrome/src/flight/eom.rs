//! Equations of motion of a point mass in the Earth-centred inertial frame aligned with the
//! Earth-fixed frame at liftoff:
//!
//! `r' = v`, `v' = g(r) + (T·û − D·v̂ₐ)/m`, `pₖ' = −ṁₖ` for each burning stage `k`,
//! and the Δv budget integrands of [`super::losses`],
//!
//! with zonal gravity `g`, thrust `T` from every burning stage at the ambient pressure, drag
//! `D = ½ρ|vₐ|²·Cd(M)·S` along the velocity relative to the co-rotating air `vₐ = v − ω×r`.

use nalgebra::Vector3;

use super::integrator::OdeSystem;
use super::losses;
use super::sequence::{Configuration, LOSS_OFFSET, STATE_DIM};
use super::trajectory::{FlightPoint, ThrottleLimit};
use super::{Guidance, GuidanceInput};
use crate::environment::atmosphere::{ussa76, AtmosphereSample};
use crate::environment::earth::{ecef_to_geodetic, geodetic_altitude_and_up, OMEGA_EARTH_RAD_S};
use crate::environment::elements::flight_path_angle_rad;
use crate::environment::frames::air_relative_velocity_eci;
use crate::environment::gravity::GravityModel;
use crate::units::G0_M_S2;
use crate::vehicle::Vehicle;

/// The atmosphere switched off.
const VACUUM: AtmosphereSample = AtmosphereSample { temperature_k: 0.0, pressure_pa: 0.0, density_kg_m3: 0.0, speed_of_sound_m_s: 0.0 };

/// Deepest throttling the limits (acceleration, dynamic pressure) ask of the engines: below this
/// fraction of the scheduled thrust a limit is not held (a guard; the engines' own
/// `throttle_min` usually stops the throttling first).
pub(crate) const MIN_LIMIT_THROTTLE: f64 = 0.05;

/// Share of the max-Q limit the throttled ascent holds the dynamic pressure at: a hair under the
/// limit, so that the held plateau does not read as a violation through rounding.
pub(crate) const MAX_Q_HOLD_SHARE: f64 = 0.999;

/// Share of the max-Q limit above which the hold is worked out (below it the hold, whose time
/// constant is a second, allows many times the engines' thrust).
const MAX_Q_HOLD_WATCH: f64 = 0.5;

/// Time constant with which the hold draws the dynamic pressure to its plateau, s: short enough
/// that the engines throttle down only in the last second or two before the limit, long enough
/// not to make the equations stiff for the integrator's steps through the dense air.
const MAX_Q_HOLD_TIME_CONSTANT_S: f64 = 1.0;

/// Thrust at more than this angle of attack does not hold max-Q (cos 84°): throttling would act
/// mostly across the air velocity.
const MIN_COS_ALPHA_MAX_Q_HOLD: f64 = 0.1;

/// Altitude step of the density gradient the hold uses, m: a one-sided difference over a metre
/// is off by less than a ten-thousandth of the gradient (half the step over the density's scale
/// height of 6–8 km), and rounding in the density leaves it far finer still.
const DENSITY_GRADIENT_STEP_M: f64 = 1.0;

/// The state the max-Q hold needs: how fast the air speed and the density change.
struct MaxQHold {
    air_velocity_m_s: Vector3<f64>,
    velocity_m_s: Vector3<f64>,
    up: Vector3<f64>,
    altitude_m: f64,
    mass_kg: f64,
    drag_n: f64,
    gravity_m_s2: Vector3<f64>,
}

impl MaxQHold {
    /// Thrust along the air velocity, N, at which the dynamic pressure `q = ½ρV²` relaxes to
    /// [`MAX_Q_HOLD_SHARE`] of `q_limit_pa` with [`MAX_Q_HOLD_TIME_CONSTANT_S`]:
    /// `dq/dt = ½V²·(dρ/dh)·ḣ + ρV·dV/dt`, and `dV/dt = (T∥ − D)/m + (g − ω×v)·V̂`, the air
    /// speed's rate in the co-rotating frame. Below the plateau it allows more than the
    /// equilibrium thrust, so the engines throttle only as `q` closes on the limit; after max-Q,
    /// as the air thins, it allows more than the engines give and they return to full thrust.
    fn thrust_n(&self, q_limit_pa: f64, q_pa: f64, density_kg_m3: f64) -> f64 {
        let air_speed = self.air_velocity_m_s.norm();
        if !(density_kg_m3 > 0.0 && air_speed > 0.0) {
            return f64::INFINITY;
        }
        let climb_m_s = self.velocity_m_s.dot(&self.up);
        // The gradient on the side the flight is going (one-sided, so that a layer boundary of
        // the atmosphere, where the lapse rate jumps, is taken on the layer being entered).
        let step_m = if climb_m_s >= 0.0 { DENSITY_GRADIENT_STEP_M } else { -DENSITY_GRADIENT_STEP_M.min(self.altitude_m.max(0.0)) };
        let density_gradient = if step_m == 0.0 { 0.0 } else { (ussa76(self.altitude_m + step_m).density_kg_m3 - density_kg_m3) / step_m };
        // The air speed's rate that gives the wanted dq/dt.
        let wanted_q_rate = (MAX_Q_HOLD_SHARE * q_limit_pa - q_pa) / MAX_Q_HOLD_TIME_CONSTANT_S;
        let wanted_accel = (wanted_q_rate - 0.5 * air_speed * air_speed * density_gradient * climb_m_s) / (density_kg_m3 * air_speed);
        let along = self.air_velocity_m_s / air_speed;
        let omega = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S);
        let other_accel = (self.gravity_m_s2 - omega.cross(&self.velocity_m_s)).dot(&along);
        self.mass_kg * (wanted_accel - other_accel) + self.drag_n
    }
}

/// The factor `f` on the scheduled throttles at which the liquid slots, each at `max(f, floor)`
/// of its scheduled vacuum thrust `vac_n`, give `wanted_vac_n` in all (1 when they give no more at
/// full schedule; 0 when even their floors give more: every slot then sits at its floor). The sum
/// is piecewise linear and increasing in `f`: the slots whose floor lies above the factor are
/// held there in turn, each pass solving for the others, until no more are (at most one pass per
/// slot).
fn limit_throttle_factor(
    vac_n: &[f64; super::sequence::MAX_BURNING],
    floors: &[f64; super::sequence::MAX_BURNING],
    wanted_vac_n: f64,
) -> f64 {
    let mut factor = 1.0_f64;
    for _ in 0..=super::sequence::MAX_BURNING {
        let (mut held_n, mut free_n) = (0.0, 0.0);
        for (v, floor) in vac_n.iter().zip(floors) {
            if *floor >= factor {
                held_n += floor * v;
            } else {
                free_n += v;
            }
        }
        if free_n <= 0.0 {
            return if factor >= 1.0 { 1.0 } else { 0.0 };
        }
        let next = ((wanted_vac_n - held_n) / free_n).clamp(0.0, 1.0);
        if next >= factor {
            return factor.min(next);
        }
        factor = next;
    }
    factor
}

/// Lightest mass the dynamics divide by, kg: guards against a slot that overshoots burnout.
const MIN_MASS_KG: f64 = 1.0;

/// Forces and derived quantities at one instant.
#[derive(Debug, Clone, Copy)]
pub struct Forces {
    /// Guidance input at this instant (position, velocities, vertical, altitude, mass, thrust).
    pub input: GuidanceInput,
    /// Atmosphere at the altitude.
    pub atmosphere: AtmosphereSample,
    /// Thrust direction.
    pub thrust_direction: Vector3<f64>,
    /// Drag force magnitude, N.
    pub drag_n: f64,
    /// Dynamic pressure, Pa.
    pub dynamic_pressure_pa: f64,
    /// Mach number.
    pub mach: f64,
    /// Mass flow of each slot, kg/s.
    pub mass_flow_kg_s: [f64; super::sequence::MAX_BURNING],
    /// Vacuum thrust at the throttle flown (after any acceleration limit), N: the ideal Δv's.
    pub thrust_vac_n: f64,
    /// Gravity acceleration, m/s².
    pub gravity_m_s2: Vector3<f64>,
    /// The limit the liquid engines are throttled to hold here (`None`: they burn as scheduled).
    pub limit: Option<ThrottleLimit>,
    /// Vacuum thrust of the liquid engines as a share of what their schedules ask: below 1
    /// while a limit throttles them, 1 otherwise.
    pub limit_throttle: f64,
    /// Thrust the liquid engines' schedules ask beyond what the limits allow, N: positive while
    /// a limit throttles them, negative below; not finite where no limit is watched. Continuous
    /// through the start and end of a hold, whose times are its zeros.
    pub limit_excess_n: f64,
}

impl Forces {
    /// Total acceleration, m/s².
    #[inline]
    pub fn acceleration(&self) -> Vector3<f64> {
        let m = self.input.mass_kg;
        let air_speed = self.input.air_velocity_m_s.norm();
        let drag = if air_speed > 0.0 { self.input.air_velocity_m_s * (-self.drag_n / air_speed) } else { Vector3::zeros() };
        self.gravity_m_s2 + (self.thrust_direction * self.input.thrust_n + drag) / m
    }

    /// Acceleration along the vehicle axis (thrust minus the axial part of drag), in g0. Under
    /// thrust the axis is the thrust's; without it the steering commands nothing the body
    /// follows, and the axis is taken along the air-relative velocity (a body falling nose first,
    /// or tumbling: the whole drag decelerates it, and reads negative).
    pub fn axial_accel_g(&self) -> f64 {
        let air_speed = self.input.air_velocity_m_s.norm();
        let cos_alpha = if air_speed > 0.0 && self.input.thrust_n > 0.0 {
            self.thrust_direction.dot(&self.input.air_velocity_m_s) / air_speed
        } else {
            1.0
        };
        (self.input.thrust_n - self.drag_n * cos_alpha) / self.input.mass_kg / G0_M_S2
    }
}

/// The dynamics of one flight between two events: an immutable vehicle, a constant
/// configuration and a guidance law.
pub struct Dynamics<'a, G: Guidance> {
    /// The vehicle.
    pub vehicle: &'a Vehicle,
    /// What is attached and burning.
    pub config: &'a Configuration,
    /// Steering.
    pub guidance: &'a G,
    /// Gravity field.
    pub gravity: GravityModel,
    /// Whether the atmosphere acts; without it density and ambient pressure are zero.
    pub atmosphere: bool,
}

impl<G: Guidance> Dynamics<'_, G> {
    /// Evaluate forces at `(t, y)`.
    #[inline]
    pub fn forces(&self, t: f64, y: &[f64; STATE_DIM]) -> Forces {
        let r = Vector3::new(y[0], y[1], y[2]);
        let v = Vector3::new(y[3], y[4], y[5]);
        // Geodetic altitude and the ellipsoid normal do not depend on the Earth's rotation angle
        // (rotation is about z), so the inertial position serves directly; the local vertical
        // comes out in the inertial frame, which is what the forces need.
        let (altitude_m, up) = geodetic_altitude_and_up(&r);
        let atmosphere = if self.atmosphere { ussa76(altitude_m) } else { VACUUM };
        let air_velocity = air_relative_velocity_eci(&r, &v);
        let air_speed = air_velocity.norm();

        let mut mass = self.config.fixed_mass_kg;
        // Liquid engines (which the acceleration limit may throttle) and solid motors (which
        // follow their curves at the time since their ignition and cannot throttle) apart.
        let mut thrust = 0.0;
        let mut thrust_vac = 0.0;
        let mut solid_thrust = 0.0;
        let mut solid_thrust_vac = 0.0;
        let mut mass_flow = [0.0; super::sequence::MAX_BURNING];
        let mut solid_slots = [false; super::sequence::MAX_BURNING];
        // Vacuum thrust of each liquid slot at its scheduled throttle, N (what a limit scales).
        let mut liquid_vac_n = [0.0; super::sequence::MAX_BURNING];
        for (k, slot) in self.config.slots.iter().enumerate() {
            if let Some(slot) = slot {
                let stage = &self.vehicle.stages[slot.stage];
                mass += y[6 + k];
                if let Some(out) = stage.solid_output(t - slot.ignition_s, atmosphere.pressure_pa) {
                    solid_thrust += out.thrust_n;
                    solid_thrust_vac += out.thrust_vac_n;
                    mass_flow[k] = out.mass_flow_kg_s;
                    solid_slots[k] = true;
                } else if let Some((tail_n, tail_vac_n, tail_flow)) =
                    slot.main_cut.then(|| stage.burn_on_output(atmosphere.pressure_pa)).flatten()
                {
                    thrust += tail_n;
                    thrust_vac += tail_vac_n;
                    liquid_vac_n[k] = tail_vac_n;
                    mass_flow[k] = tail_flow;
                } else {
                    thrust += stage.thrust_n(slot.throttle, atmosphere.pressure_pa);
                    thrust_vac += slot.throttle * stage.thrust_vac_n();
                    liquid_vac_n[k] = slot.throttle * stage.thrust_vac_n();
                    mass_flow[k] = slot.throttle * stage.mass_flow_kg_s();
                }
            }
        }
        let liquid_thrust = thrust;
        let liquid_thrust_vac = thrust_vac;
        let thrust = liquid_thrust + solid_thrust;
        let thrust_vac = liquid_thrust_vac + solid_thrust_vac;
        let mass = mass.max(MIN_MASS_KG);

        let mach = if atmosphere.speed_of_sound_m_s > 0.0 { air_speed / atmosphere.speed_of_sound_m_s } else { 0.0 };
        let dynamic_pressure = 0.5 * atmosphere.density_kg_m3 * air_speed * air_speed;
        let drag = dynamic_pressure * self.vehicle.aero.cd(mach) * self.config.reference_area_m2;

        let mut input = GuidanceInput {
            time_s: t,
            position_m: r,
            velocity_m_s: v,
            air_velocity_m_s: air_velocity,
            up,
            altitude_m,
            mass_kg: mass,
            thrust_n: thrust,
        };
        let thrust_direction = if thrust > 0.0 { self.guidance.thrust_direction(&input) } else { up };
        let gravity = self.gravity.acceleration(&r);
        let mut thrust_vac = thrust_vac;
        let (mut limit, mut limit_throttle, mut limit_excess_n) = (None, 1.0, f64::NAN);
        let limits = &self.vehicle.limits;
        if liquid_thrust_vac > 0.0 && (limits.max_accel_g.is_some() || limits.max_q_pa.is_some()) {
            // The limits are held by throttling every burning liquid engine alike, as vehicles
            // stating them do (near the end of a burn for the acceleration, through the densest
            // air for the dynamic pressure); solid motors cannot throttle, so their thrust counts
            // in full. No engine throttles below its `throttle_min`: where that is not deep
            // enough, the flight exceeds the limit and reports it (the optimizer then shapes the
            // ascent to keep max-Q) rather than the engines doing what they cannot.
            let cos_alpha = if air_speed > 0.0 { thrust_direction.dot(&air_velocity) / air_speed } else { 1.0 };
            let accel_allowed_n = limits.max_accel_g.map_or(f64::INFINITY, |g| g * G0_M_S2 * mass + drag * cos_alpha);
            let mut allowed_n = accel_allowed_n;
            if let Some(q_limit_pa) = limits.max_q_pa {
                if self.atmosphere && dynamic_pressure > MAX_Q_HOLD_WATCH * q_limit_pa && cos_alpha > MIN_COS_ALPHA_MAX_Q_HOLD {
                    let hold = MaxQHold {
                        air_velocity_m_s: air_velocity,
                        velocity_m_s: v,
                        up,
                        altitude_m,
                        mass_kg: mass,
                        drag_n: drag,
                        gravity_m_s2: gravity,
                    };
                    allowed_n = allowed_n.min(hold.thrust_n(q_limit_pa, dynamic_pressure, atmosphere.density_kg_m3) / cos_alpha);
                }
            }
            // The liquid share of the allowed thrust, as a factor on the scheduled throttles: the
            // throttle scales the vacuum thrust, and the ambient pressure takes the same back-
            // pressure share off at any throttle (`T = f·T_vac − p·A_e`).
            let allowed_liquid_n = allowed_n - solid_thrust;
            limit_excess_n = liquid_thrust - allowed_liquid_n;
            if liquid_thrust > allowed_liquid_n {
                // Each burning liquid slot throttles by the same factor on its schedule, but none
                // below its own lowest throttle (Angara-A5's core, already at 30 % through the
                // booster phase, stays at its 27 % while the boosters throttle deeper).
                let mut floors = [1.0; super::sequence::MAX_BURNING];
                for (k, slot) in self.config.slots.iter().enumerate() {
                    if let Some(s) = slot.as_ref().filter(|s| !solid_slots[k] && s.throttle > 0.0) {
                        floors[k] = (self.vehicle.stages[s.stage].engine.throttle_min / s.throttle).clamp(MIN_LIMIT_THROTTLE, 1.0);
                    }
                }
                let back_pressure_n = liquid_thrust_vac - liquid_thrust;
                let factor = limit_throttle_factor(&liquid_vac_n, &floors, allowed_liquid_n + back_pressure_n);
                let mut throttled_vac_n = 0.0;
                for k in 0..super::sequence::MAX_BURNING {
                    if liquid_vac_n[k] > 0.0 {
                        let share = factor.max(floors[k]);
                        throttled_vac_n += share * liquid_vac_n[k];
                        mass_flow[k] *= share;
                    }
                }
                input.thrust_n = (throttled_vac_n - back_pressure_n).max(0.0) + solid_thrust;
                thrust_vac = throttled_vac_n + solid_thrust_vac;
                // Engines held at a throttle of 1 (none can throttle) do not hold the limit.
                if throttled_vac_n < liquid_thrust_vac {
                    limit = Some(if allowed_n < accel_allowed_n { ThrottleLimit::MaxQ } else { ThrottleLimit::Acceleration });
                    limit_throttle = throttled_vac_n / liquid_thrust_vac;
                }
            }
        }
        Forces {
            input,
            atmosphere,
            thrust_direction,
            drag_n: drag,
            dynamic_pressure_pa: dynamic_pressure,
            mach,
            mass_flow_kg_s: mass_flow,
            thrust_vac_n: thrust_vac,
            gravity_m_s2: gravity,
            limit,
            limit_throttle,
            limit_excess_n,
        }
    }

    /// The flight quantities reported in tables and events.
    pub fn point(&self, t: f64, y: &[f64; STATE_DIM]) -> FlightPoint {
        let f = self.forces(t, y);
        let r = f.input.position_m;
        let v = f.input.velocity_m_s;
        // Latitude, longitude and the exact closed-form height for the tables and events: the
        // forces need neither the angles nor the last micrometre of height.
        let geo = ecef_to_geodetic(&r);
        let longitude_rad = crate::units::wrap_pi(geo.longitude_rad - OMEGA_EARTH_RAD_S * t);
        FlightPoint {
            time_s: t,
            position_eci_m: r,
            velocity_eci_m_s: v,
            altitude_m: geo.altitude_m,
            latitude_deg: geo.latitude_rad.to_degrees(),
            longitude_deg: longitude_rad.to_degrees(),
            speed_m_s: v.norm(),
            air_speed_m_s: f.input.air_velocity_m_s.norm(),
            flight_path_angle_deg: flight_path_angle_rad(&r, &v).to_degrees(),
            mass_kg: f.input.mass_kg,
            thrust_n: f.input.thrust_n,
            dynamic_pressure_pa: f.dynamic_pressure_pa,
            mach: f.mach,
            axial_accel_g: f.axial_accel_g(),
        }
    }
}

impl Forces {
    /// The state derivatives these forces give at the state `y` they were evaluated at.
    #[inline]
    fn write_derivatives(&self, y: &[f64; STATE_DIM], dydt: &mut [f64; STATE_DIM]) {
        let f = self;
        let a = f.acceleration();
        dydt[0] = y[3];
        dydt[1] = y[4];
        dydt[2] = y[5];
        dydt[3] = a.x;
        dydt[4] = a.y;
        dydt[5] = a.z;
        for k in 0..super::sequence::MAX_BURNING {
            dydt[6 + k] = -f.mass_flow_kg_s[k];
        }
        // The Δv budget: each term of d|v|/dt = a·v̂ (see `losses`), so they add up by construction.
        let v = f.input.velocity_m_s;
        let speed = v.norm();
        let budget = &mut dydt[LOSS_OFFSET..];
        if speed > 0.0 {
            let v_hat = v / speed;
            let m = f.input.mass_kg;
            let air_speed = f.input.air_velocity_m_s.norm();
            let drag_along = if air_speed > 0.0 { f.drag_n * f.input.air_velocity_m_s.dot(&v_hat) / air_speed } else { 0.0 };
            let thrust_along = if f.input.thrust_n > 0.0 { f.input.thrust_n * f.thrust_direction.dot(&v_hat) } else { 0.0 };
            budget[losses::IDEAL] = f.thrust_vac_n / m;
            budget[losses::GRAVITY] = -f.gravity_m_s2.dot(&v_hat);
            budget[losses::DRAG] = drag_along / m;
            budget[losses::STEERING] = (f.input.thrust_n - thrust_along) / m;
            budget[losses::THRUST] = (f.thrust_vac_n - f.input.thrust_n) / m;
        } else {
            budget.fill(0.0);
        }
    }
}

impl<G: Guidance> OdeSystem<STATE_DIM> for Dynamics<'_, G> {
    #[inline]
    fn derivatives(&self, t: f64, y: &[f64; STATE_DIM], dydt: &mut [f64; STATE_DIM]) {
        self.forces(t, y).write_derivatives(y, dydt);
    }
}

/// The dynamics of a flight step that keep the forces of the integrator's last evaluation, at
/// the end of the step: the flight loop needs the forces there for its events and its max-Q
/// and acceleration records, and [`StepDynamics::forces`] hands them over instead of computing
/// them a second time (a fifth of a step's work). Any other instant is computed afresh, so the
/// forces are always exactly those of [`Dynamics::forces`].
pub(crate) struct StepDynamics<'a, G: Guidance> {
    /// The dynamics.
    pub dynamics: &'a Dynamics<'a, G>,
    /// Time, state and forces of the last end-of-step evaluation.
    step_end: std::cell::Cell<Option<(f64, [f64; STATE_DIM], Forces)>>,
}

impl<'a, G: Guidance> StepDynamics<'a, G> {
    /// Nothing kept yet.
    pub fn new(dynamics: &'a Dynamics<'a, G>) -> Self {
        StepDynamics { dynamics, step_end: std::cell::Cell::new(None) }
    }

    /// The forces at `(t, y)`: those of the last step end when it is the same instant and state
    /// to the bit, computed otherwise.
    #[inline]
    pub fn forces(&self, t: f64, y: &[f64; STATE_DIM]) -> Forces {
        if let Some((t_end, y_end, forces)) = self.step_end.get() {
            let same = t_end.to_bits() == t.to_bits() && y_end.iter().zip(y).all(|(a, b)| a.to_bits() == b.to_bits());
            if same {
                return forces;
            }
        }
        self.dynamics.forces(t, y)
    }
}

impl<G: Guidance> OdeSystem<STATE_DIM> for StepDynamics<'_, G> {
    #[inline]
    fn derivatives(&self, t: f64, y: &[f64; STATE_DIM], dydt: &mut [f64; STATE_DIM]) {
        self.dynamics.derivatives(t, y, dydt);
    }

    #[inline]
    fn derivatives_at_step_end(&self, t: f64, y: &[f64; STATE_DIM], dydt: &mut [f64; STATE_DIM]) {
        let forces = self.dynamics.forces(t, y);
        forces.write_derivatives(y, dydt);
        self.step_end.set(Some((t, *y, forces)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::gravity::GravityModel;

    /// The limit's factor on the schedules holds a slot at its floor once the factor falls
    /// below it and solves for the rest: a core at 90 % of its schedule as its floor beside a
    /// booster pair free to 27 % gives 200 of 300 N as 90 + 0.55 × 200; below what the floors
    /// give, every slot sits at its floor; above the full schedule, no throttling.
    #[test]
    fn limit_throttle_factor_holds_each_slot_at_its_floor() {
        let mut vac_n = [0.0; super::super::sequence::MAX_BURNING];
        let mut floors = [1.0; super::super::sequence::MAX_BURNING];
        (vac_n[0], vac_n[1], floors[0], floors[1]) = (100.0, 200.0, 0.9, 0.27);
        let given = |f: f64| vac_n.iter().zip(&floors).map(|(v, fl)| f.max(*fl) * v).sum::<f64>();
        let f = limit_throttle_factor(&vac_n, &floors, 200.0);
        assert!((f - 0.55).abs() < 1e-12 && (given(f) - 200.0).abs() < 1e-9, "{f}");
        let f = limit_throttle_factor(&vac_n, &floors, 285.0);
        assert!((f - 0.95).abs() < 1e-12, "{f}: every slot free above the floors");
        assert_eq!(limit_throttle_factor(&vac_n, &floors, 50.0), 0.0);
        assert!((given(0.0) - 144.0).abs() < 1e-9);
        assert_eq!(limit_throttle_factor(&vac_n, &floors, 400.0), 1.0);
        // Nothing that can throttle: the full schedule.
        floors[1] = 1.0;
        floors[0] = 1.0;
        assert_eq!(limit_throttle_factor(&vac_n, &floors, 100.0), 1.0);
    }

    /// The hold's thrust gives the dynamic pressure the rate it aims for: flown for a
    /// millisecond along the air velocity, `q` moves by `(0.999·limit − q)/τ` per second, at
    /// the plateau (rate zero) and below it, climbing steeply or shallowly.
    #[test]
    fn max_q_hold_thrust_gives_the_aimed_rate_of_dynamic_pressure() {
        let q_limit_pa = 40e3;
        for (altitude_m, climb_deg, q_share) in [(12e3, 25.0, 0.95), (14e3, 60.0, 1.02), (9e3, 5.0, 0.9), (11e3, 40.0, 0.999)] {
            let r = Vector3::new(crate::environment::earth::WGS84_A_M + altitude_m, 0.0, 0.0);
            let (altitude_m, up) = geodetic_altitude_and_up(&r);
            let atmosphere = ussa76(altitude_m);
            // The air speed that puts q at the share of the limit wanted.
            let q_pa = q_share * q_limit_pa;
            let speed_m_s = (2.0 * q_pa / atmosphere.density_kg_m3).sqrt();
            let east = Vector3::new(0.0, 1.0, 0.0);
            let climb = f64::to_radians(climb_deg);
            let rotation = Vector3::new(0.0, 0.0, OMEGA_EARTH_RAD_S).cross(&r);
            let air_velocity = (up * climb.sin() + east * climb.cos()) * speed_m_s;
            let v = air_velocity + rotation;
            let mass_kg = 300e3;
            let drag_n = q_pa * 0.5 * 10.0;
            let gravity = GravityModel::J2.acceleration(&r);
            let hold = MaxQHold { air_velocity_m_s: air_velocity, velocity_m_s: v, up, altitude_m, mass_kg, drag_n, gravity_m_s2: gravity };
            let thrust_n = hold.thrust_n(q_limit_pa, q_pa, atmosphere.density_kg_m3);
            assert!(thrust_n.is_finite() && thrust_n > 0.0, "{thrust_n}");
            let dt = 1e-3;
            let along = air_velocity / speed_m_s;
            let a = gravity + along * ((thrust_n - drag_n) / mass_kg);
            let r2 = r + v * dt + a * (0.5 * dt * dt);
            let v2 = v + a * dt;
            let (altitude2_m, _) = geodetic_altitude_and_up(&r2);
            let air2 = air_relative_velocity_eci(&r2, &v2).norm();
            let q2_pa = 0.5 * ussa76(altitude2_m).density_kg_m3 * air2 * air2;
            let rate = (q2_pa - q_pa) / dt;
            let aimed = (MAX_Q_HOLD_SHARE * q_limit_pa - q_pa) / MAX_Q_HOLD_TIME_CONSTANT_S;
            assert!((rate - aimed).abs() < 1.0 + 1e-3 * aimed.abs(), "at {q_share} of the limit: dq/dt {rate:.1} Pa/s, aimed {aimed:.1}");
        }
    }
}
