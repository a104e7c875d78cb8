//! The Δv budget of a flight: where the propellant's velocity went.
//!
//! Along the inertial velocity `v`, the equations of motion give
//! `d|v|/dt = a·v̂ = T_vac/m − (T_vac − T)/m − T(1 − û·v̂)/m + g·v̂ − D(v̂ₐ·v̂)/m`,
//! with `T_vac` the vacuum thrust at the throttle flown, `T` the thrust at the ambient pressure,
//! `û` the thrust direction, `v̂ₐ` the direction of the air-relative velocity. Each term is
//! integrated alongside the state, so
//!
//! `|v(t)| = |v(0)| + ideal − back-pressure − steering − gravity − drag`
//!
//! holds by construction, to the integrator's accuracy: the ideal Δv `∫T_vac/m dt`, the thrust
//! (back-pressure) loss `∫(T_vac − T)/m dt`, the steering loss `∫T(1 − cos θ)/m dt` (θ between
//! thrust and velocity), the gravity loss `∫−g·v̂ dt` and the drag loss `∫D(v̂ₐ·v̂)/m dt`; the
//! Earth-rotation contribution is the inertial speed on the pad, `|v(0)| = |ω × r|`.
//!
//! On a coast between the burns of a restartable stage the same `−g·v̂` integral is orbital
//! mechanics, not a loss: climbing from perigee to apogee trades kilometres per second of speed
//! for height and gives it back on the way down. It is kept apart as the coast exchange, so a
//! mission to GSO does not show a "gravity loss" of 10 km/s; the gravity loss stays what it is
//! on an ascent, the part of gravity against the motion while something burns (and during
//! staging gaps).

use super::sequence::LOSS_OFFSET;

/// Number of integrated budget terms.
pub const LOSS_TERMS: usize = 5;
/// Index of each term after [`LOSS_OFFSET`].
pub(crate) const IDEAL: usize = 0;
pub(crate) const GRAVITY: usize = 1;
pub(crate) const DRAG: usize = 2;
pub(crate) const STEERING: usize = 3;
pub(crate) const THRUST: usize = 4;

/// The Δv budget of a flight from liftoff to its end (insertion, impact or time limit), m/s.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LossBudget {
    /// `∫ T_vac/m dt`: what the engines would give in vacuum without gravity, m/s.
    pub ideal_delta_v_m_s: f64,
    /// `∫ −g·v̂ dt`: the part of gravity against the motion, m/s.
    pub gravity_loss_m_s: f64,
    /// `∫ D(v̂ₐ·v̂)/m dt`: drag along the motion, m/s.
    pub drag_loss_m_s: f64,
    /// `∫ T(1 − û·v̂)/m dt`: thrust not along the motion, m/s.
    pub steering_loss_m_s: f64,
    /// `∫ (T_vac − T)/m dt`: thrust lost to the ambient pressure on the nozzles, m/s.
    pub thrust_loss_m_s: f64,
    /// `∫ −g·v̂ dt` over the coasts between planned burns: speed traded for height while
    /// coasting (positive when the coasts end higher than they start), m/s; 0 on a direct ascent.
    pub coast_exchange_m_s: f64,
    /// Inertial speed at liftoff (the pad carried by the Earth's rotation), m/s.
    pub earth_rotation_m_s: f64,
    /// Inertial speed at the end, m/s.
    pub final_speed_m_s: f64,
}

impl LossBudget {
    /// The budget from the loss integrals of a final state, the part of the gravity integral
    /// accrued on coasts between planned burns, and the speeds at both ends.
    pub(crate) fn from_state(y: &[f64], coast_exchange_m_s: f64, earth_rotation_m_s: f64, final_speed_m_s: f64) -> Self {
        let term = |i: usize| y[LOSS_OFFSET + i];
        LossBudget {
            ideal_delta_v_m_s: term(IDEAL),
            gravity_loss_m_s: term(GRAVITY) - coast_exchange_m_s,
            coast_exchange_m_s,
            drag_loss_m_s: term(DRAG),
            steering_loss_m_s: term(STEERING),
            thrust_loss_m_s: term(THRUST),
            earth_rotation_m_s,
            final_speed_m_s,
        }
    }

    /// Sum of the losses, m/s.
    pub fn total_loss_m_s(&self) -> f64 {
        self.gravity_loss_m_s + self.drag_loss_m_s + self.steering_loss_m_s + self.thrust_loss_m_s
    }

    /// The final inertial speed the budget adds up to: rotation + ideal − losses − coast
    /// exchange, m/s.
    pub fn budget_speed_m_s(&self) -> f64 {
        self.earth_rotation_m_s + self.ideal_delta_v_m_s - self.total_loss_m_s() - self.coast_exchange_m_s
    }

    /// How far the budget misses the final speed, m/s (integration error only).
    pub fn closure_error_m_s(&self) -> f64 {
        self.final_speed_m_s - self.budget_speed_m_s()
    }
}
