//! Solid rocket motors: a tabulated vacuum thrust–time curve with its tail-off, the propellant it
//! burns, and what a flight needs from them at a time since ignition — thrust in an ambient
//! pressure and mass flow.
//!
//! A solid motor cannot throttle or shut down: its thrust is the curve's. The curve is linear
//! between its points (the model, not an approximation of it), so impulses and burned
//! propellant are exact integrals. The mass flow follows the curve, `ṁ(t) = F_vac(t)·m_p/I`
//! with `I = ∫F_vac dt`, so the propellant is used exactly by the curve's end whatever the
//! stated Isp: the curve is the measured quantity, and the delivered Isp `I/(m_p·g0)` is what
//! the vehicle file's `isp_vac_s` is checked against (`docs/vehicle-file.md`).
//!
//! This module is a leaf: it uses `units` only, so the vehicle (which holds a motor per solid
//! stage) and the flight loop (which asks it for thrust and mass flow) may use it although
//! `propulsion` sits above them.

use crate::units::G0_M_S2;

/// Thrust share of the peak that bounds the action time: the time between the first and the
/// last point at 10 % of the maximum thrust (the usual definition of a solid motor's action
/// time, NASA SP-8064 and Sutton & Biblarz, *Rocket Propulsion Elements*, ch. 14).
pub const ACTION_TIME_THRUST_SHARE: f64 = 0.10;

/// Why a curve cannot be a solid motor's (the vehicle file's validation names the line and key).
#[derive(Debug, Clone, PartialEq)]
pub enum CurveError {
    /// Fewer than two points.
    TooShort,
    /// The point at this index (0-based) has a non-finite time or thrust.
    NotFinite(usize),
    /// The first point is not at time 0 (the curve starts at ignition).
    FirstNotAtIgnition,
    /// The time of the point at this index does not increase on the previous one.
    TimeNotIncreasing(usize),
    /// The thrust at this index is negative, or zero before the end.
    ThrustNotPositive(usize),
    /// The last point's thrust is not zero: the curve must end with its tail-off.
    NoTailOff,
    /// The propellant mass is not finite and positive.
    BadPropellant,
    /// No point has a positive thrust: the curve gives no impulse.
    NoImpulse,
}

impl std::fmt::Display for CurveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CurveError::TooShort => write!(f, "needs at least two [time_s, thrust] points"),
            CurveError::NotFinite(i) => write!(f, "point {} is not a pair of finite numbers", i + 1),
            CurveError::FirstNotAtIgnition => write!(f, "the first point must be at time 0 (ignition)"),
            CurveError::TimeNotIncreasing(i) => write!(f, "time must increase strictly: point {} does not follow point {}", i + 1, i),
            CurveError::ThrustNotPositive(i) => {
                write!(f, "point {}: thrust must be positive until the last point (a solid motor burns until it is out)", i + 1)
            }
            CurveError::NoTailOff => write!(f, "the last point's thrust must be 0: the curve ends with its tail-off"),
            CurveError::BadPropellant => write!(f, "propellant mass must be finite and positive"),
            CurveError::NoImpulse => write!(f, "no point has a positive thrust: the curve gives no impulse"),
        }
    }
}

/// The ignition transient of a solid motor, s: its thrust at ignition
/// ([`SolidMotor::ignition_thrust_vac_n`]) is the largest over this time.
pub const IGNITION_TRANSIENT_S: f64 = 1.0;

/// What a solid motor gives at one time since its ignition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MotorOutput {
    /// Vacuum thrust, N.
    pub thrust_vac_n: f64,
    /// Thrust in the ambient pressure, N: `F_vac − p·A_e`, never negative.
    pub thrust_n: f64,
    /// Propellant mass flow, kg/s.
    pub mass_flow_kg_s: f64,
}

/// A solid rocket motor: its vacuum thrust curve and the propellant the curve burns (one motor).
#[derive(Debug, Clone, PartialEq)]
pub struct SolidMotor {
    /// Identifier the stages refer to (`P241`).
    pub id: String,
    /// Propellant as written (`HTPB 1912`).
    pub propellant: String,
    /// `(time since ignition s, vacuum thrust N)`, from 0, strictly increasing in time, positive
    /// thrust until the last point, which is 0 (the end of the tail-off).
    curve: Vec<(f64, f64)>,
    /// Vacuum impulse from ignition to each point, N·s (exact for the piecewise-linear curve).
    cumulative_impulse_n_s: Vec<f64>,
    /// Propellant the curve burns, kg.
    pub propellant_mass_kg: f64,
    /// Nozzle exit area, m²: thrust falls by `p·A_e` in an ambient pressure `p`.
    pub exit_area_m2: f64,
    /// The vacuum Isp the source states, s: what the curve is checked against. The motor burns
    /// at its delivered Isp ([`SolidMotor::delivered_isp_vac_s`]); a new motor states that.
    pub rated_isp_vac_s: f64,
    /// Temperature sensitivity of the chamber pressure (and so of the thrust), per kelvin of
    /// grain temperature: `π_K = (∂ ln p_c/∂T)_K`, 0.002 for 0.2 %/K. `None` when the vehicle
    /// file does not state it; the drop-zone Monte Carlo then takes
    /// [`DEFAULT_TEMPERATURE_SENSITIVITY_PER_K`].
    pub temperature_sensitivity_per_k: Option<f64>,
}

/// Temperature sensitivity of the chamber pressure taken for a motor whose file does not state
/// one, per kelvin: the middle of the 0.067–0.278 %/°C that Sutton & Biblarz (*Rocket Propulsion
/// Elements*, ch. 12, "temperature sensitivity") give for production propellants.
// ASSUMPTION: a motor without a stated sensitivity is taken at 0.17 %/K, the middle of the
// textbook range (listed in data/README.md).
pub const DEFAULT_TEMPERATURE_SENSITIVITY_PER_K: f64 = 0.0017;

/// Smallest burn-rate or Isp factor a dispersed motor may take: a draw far in the tail must not
/// stop a motor or run its curve backwards.
pub const MIN_DISPERSION_FACTOR: f64 = 0.5;

impl SolidMotor {
    /// A motor from its vacuum thrust curve (N against s since ignition), the propellant the
    /// curve burns and the nozzle exit area.
    pub fn new(
        id: impl Into<String>,
        propellant: impl Into<String>,
        curve: Vec<(f64, f64)>,
        propellant_mass_kg: f64,
        exit_area_m2: f64,
    ) -> Result<SolidMotor, CurveError> {
        check_curve(&curve)?;
        if !(propellant_mass_kg.is_finite() && propellant_mass_kg > 0.0) {
            return Err(CurveError::BadPropellant);
        }
        let mut cumulative_impulse_n_s = Vec::with_capacity(curve.len());
        let mut impulse = 0.0;
        cumulative_impulse_n_s.push(0.0);
        for w in curve.windows(2) {
            impulse += 0.5 * (w[0].1 + w[1].1) * (w[1].0 - w[0].0);
            cumulative_impulse_n_s.push(impulse);
        }
        let rated_isp_vac_s = impulse / (propellant_mass_kg * G0_M_S2);
        Ok(SolidMotor {
            id: id.into(),
            propellant: propellant.into(),
            curve,
            cumulative_impulse_n_s,
            propellant_mass_kg,
            exit_area_m2: exit_area_m2.max(0.0),
            rated_isp_vac_s,
            temperature_sensitivity_per_k: None,
        })
    }

    /// The same motor with a stated temperature sensitivity of its chamber pressure, per kelvin.
    pub fn with_temperature_sensitivity(mut self, per_k: Option<f64>) -> SolidMotor {
        self.temperature_sensitivity_per_k = per_k;
        self
    }

    /// The temperature sensitivity the Monte Carlo uses, per kelvin: the stated one or
    /// [`DEFAULT_TEMPERATURE_SENSITIVITY_PER_K`].
    pub fn temperature_sensitivity_or_default_per_k(&self) -> f64 {
        self.temperature_sensitivity_per_k.unwrap_or(DEFAULT_TEMPERATURE_SENSITIVITY_PER_K)
    }

    /// This motor burning `burn_rate_factor` times as fast with `isp_factor` times the specific
    /// impulse: a dispersed motor of the Monte Carlo.
    ///
    /// A faster burn rate (a hotter grain, or a propellant batch that burns faster) consumes the
    /// same grain sooner: the curve's times divide by the factor and its thrust multiplies by it,
    /// so the total impulse and the propellant are unchanged, and the burn time is
    /// `t_b/(1+δ)`. A higher Isp multiplies the thrust at the same mass flow, and so the total
    /// impulse. Both factors are held at [`MIN_DISPERSION_FACTOR`] or more.
    pub fn dispersed(&self, burn_rate_factor: f64, isp_factor: f64) -> SolidMotor {
        let k = burn_rate_factor.max(MIN_DISPERSION_FACTOR);
        let j = isp_factor.max(MIN_DISPERSION_FACTOR);
        let curve = self.curve.iter().map(|&(t, f)| (t / k, f * k * j)).collect();
        let cumulative_impulse_n_s = self.cumulative_impulse_n_s.iter().map(|i| i * j).collect();
        SolidMotor {
            curve,
            cumulative_impulse_n_s,
            rated_isp_vac_s: self.rated_isp_vac_s * j,
            id: self.id.clone(),
            propellant: self.propellant.clone(),
            ..*self
        }
    }

    /// The burn-rate factor of a grain `delta_t_k` kelvin warmer than the curve's, `exp(π_K·ΔT)`:
    /// a hotter grain burns faster, at a higher chamber pressure and thrust, and sooner out.
    pub fn temperature_burn_rate_factor(&self, delta_t_k: f64) -> f64 {
        (self.temperature_sensitivity_or_default_per_k() * delta_t_k).exp()
    }

    /// The same motor with the vacuum Isp its source states.
    pub fn with_rated_isp(mut self, isp_vac_s: f64) -> SolidMotor {
        self.rated_isp_vac_s = isp_vac_s;
        self
    }

    /// Relative disagreement of the curve's impulse with propellant × rated Isp × g0 (positive
    /// when the curve gives more): what validation holds within its tolerance.
    pub fn impulse_disagreement(&self) -> f64 {
        let expected = self.propellant_mass_kg * self.rated_isp_vac_s * G0_M_S2;
        (self.total_impulse_vac_n_s() - expected) / expected
    }

    /// The vacuum thrust curve, `(s since ignition, N)`: its points are the kinks a flight's
    /// integrator should step to.
    pub fn curve(&self) -> &[(f64, f64)] {
        &self.curve
    }

    /// Burn time, s: from ignition to the end of the tail-off (the curve's last point).
    pub fn burn_time_s(&self) -> f64 {
        self.curve[self.curve.len() - 1].0
    }

    /// Action time, s: between the first and the last time the thrust is at
    /// [`ACTION_TIME_THRUST_SHARE`] of its maximum, the burn time data sheets often quote.
    pub fn action_time_s(&self) -> f64 {
        let level = ACTION_TIME_THRUST_SHARE * self.max_thrust_vac_n();
        let rise = self.first_time_at_or_above(level);
        let fall = self.time_thrust_falls_below_s(level).unwrap_or_else(|| self.burn_time_s());
        (fall - rise).max(0.0)
    }

    /// Total vacuum impulse, N·s.
    pub fn total_impulse_vac_n_s(&self) -> f64 {
        self.cumulative_impulse_n_s[self.cumulative_impulse_n_s.len() - 1]
    }

    /// Average vacuum thrust over the burn time, N.
    pub fn average_thrust_vac_n(&self) -> f64 {
        self.total_impulse_vac_n_s() / self.burn_time_s()
    }

    /// Largest vacuum thrust of the curve, N.
    pub fn max_thrust_vac_n(&self) -> f64 {
        self.curve.iter().map(|p| p.1).fold(0.0, f64::max)
    }

    /// Vacuum thrust once the motor has ignited, N: the largest of the curve over its first
    /// [`IGNITION_TRANSIENT_S`] (the rise of a large motor takes 0.35–0.5 s). What lifts the
    /// vehicle off, and its thrust-to-weight at ignition: the curve's average can be far below it
    /// (a P120C built from its 4,615 kN maximum averages 2,865 kN).
    pub fn ignition_thrust_vac_n(&self) -> f64 {
        self.curve.iter().take_while(|p| p.0 <= IGNITION_TRANSIENT_S).map(|p| p.1).fold(self.thrust_vac_n(IGNITION_TRANSIENT_S), f64::max)
    }

    /// Delivered vacuum specific impulse, s: total impulse over propellant weight. The mass
    /// flow makes every instant burn at this Isp.
    pub fn delivered_isp_vac_s(&self) -> f64 {
        self.total_impulse_vac_n_s() / (self.propellant_mass_kg * G0_M_S2)
    }

    /// Vacuum thrust at a time since ignition, N; 0 before ignition and after burnout.
    #[inline]
    pub fn thrust_vac_n(&self, since_ignition_s: f64) -> f64 {
        let t = since_ignition_s;
        if !(t >= 0.0 && t <= self.burn_time_s()) {
            return 0.0;
        }
        let i = self.segment(t);
        let (t0, f0) = self.curve[i];
        let (t1, f1) = self.curve[i + 1];
        f0 + (f1 - f0) * (t - t0) / (t1 - t0)
    }

    /// Thrust in an ambient pressure, N: `F_vac − p·A_e`, never negative (an over-expanded
    /// nozzle late in the tail-off gives no useful thrust in this model).
    #[inline]
    pub fn thrust_n(&self, since_ignition_s: f64, ambient_pressure_pa: f64) -> f64 {
        self.thrust_in_ambient_n(self.thrust_vac_n(since_ignition_s), ambient_pressure_pa)
    }

    /// Propellant mass flow at a time since ignition, kg/s: proportional to the vacuum thrust,
    /// so that it integrates to the propellant mass over the curve.
    #[inline]
    pub fn mass_flow_kg_s(&self, since_ignition_s: f64) -> f64 {
        self.thrust_vac_n(since_ignition_s) * self.propellant_mass_kg / self.total_impulse_vac_n_s()
    }

    /// Thrust and mass flow at a time since ignition in an ambient pressure: what the flight
    /// loop asks of a burning motor.
    #[inline]
    pub fn output(&self, since_ignition_s: f64, ambient_pressure_pa: f64) -> MotorOutput {
        // The curve is looked up once: this is asked at every stage of every integration step.
        let thrust_vac_n = self.thrust_vac_n(since_ignition_s);
        MotorOutput {
            thrust_vac_n,
            thrust_n: self.thrust_in_ambient_n(thrust_vac_n, ambient_pressure_pa),
            mass_flow_kg_s: thrust_vac_n * self.propellant_mass_kg / self.total_impulse_vac_n_s(),
        }
    }

    /// [`SolidMotor::thrust_n`] from the vacuum thrust at that time.
    #[inline]
    fn thrust_in_ambient_n(&self, thrust_vac_n: f64, ambient_pressure_pa: f64) -> f64 {
        if thrust_vac_n <= 0.0 {
            0.0
        } else {
            (thrust_vac_n - ambient_pressure_pa * self.exit_area_m2).max(0.0)
        }
    }

    /// Vacuum impulse from ignition to a time since ignition, N·s (exact).
    pub fn impulse_vac_n_s(&self, since_ignition_s: f64) -> f64 {
        let t = since_ignition_s;
        if t <= 0.0 || t.is_nan() {
            return 0.0;
        }
        if t >= self.burn_time_s() {
            return self.total_impulse_vac_n_s();
        }
        let i = self.segment(t);
        let t0 = self.curve[i].0;
        self.cumulative_impulse_n_s[i] + 0.5 * (self.curve[i].1 + self.thrust_vac_n(t)) * (t - t0)
    }

    /// Propellant burned from ignition to a time since ignition, kg (exact).
    pub fn propellant_burned_kg(&self, since_ignition_s: f64) -> f64 {
        self.impulse_vac_n_s(since_ignition_s) * self.propellant_mass_kg / self.total_impulse_vac_n_s()
    }

    /// Time since ignition after which the vacuum thrust stays below `level_n` until burnout
    /// (a booster separated at a thrust level in its tail-off), s; `None` when the curve never
    /// reaches the level.
    pub fn time_thrust_falls_below_s(&self, level_n: f64) -> Option<f64> {
        // The last point at or above the level, then the crossing on the segment after it.
        let last = self.curve.iter().rposition(|p| p.1 >= level_n)?;
        let (t0, f0) = self.curve[last];
        match self.curve.get(last + 1) {
            Some(&(t1, f1)) if f0 > f1 => Some(t0 + (f0 - level_n) / (f0 - f1) * (t1 - t0)),
            _ => Some(t0),
        }
    }

    /// Time since ignition of the first interior point of the curve after `since_ignition_s`
    /// (a kink an integrator should land on), s; ∞ when none is left (the end of the curve is
    /// the burnout, scheduled apart).
    #[inline]
    pub fn next_point_s(&self, since_ignition_s: f64) -> f64 {
        let interior = &self.curve[..self.curve.len() - 1];
        let i = interior.partition_point(|p| p.0 <= since_ignition_s);
        interior.get(i).map_or(f64::INFINITY, |p| p.0)
    }

    /// Index of the segment `[curve[i], curve[i+1]]` holding `t` (within the curve).
    #[inline]
    fn segment(&self, t: f64) -> usize {
        self.curve.partition_point(|p| p.0 <= t).saturating_sub(1).min(self.curve.len() - 2)
    }

    /// First time the thrust reaches `level_n` (0 when the curve starts above it).
    fn first_time_at_or_above(&self, level_n: f64) -> f64 {
        let Some(first) = self.curve.iter().position(|p| p.1 >= level_n) else { return self.burn_time_s() };
        if first == 0 {
            return 0.0;
        }
        let (t0, f0) = self.curve[first - 1];
        let (t1, f1) = self.curve[first];
        t0 + (level_n - f0) / (f1 - f0) * (t1 - t0)
    }
}

/// The rules of a vacuum thrust curve (see [`CurveError`]).
pub fn check_curve(curve: &[(f64, f64)]) -> Result<(), CurveError> {
    if curve.len() < 2 {
        return Err(CurveError::TooShort);
    }
    for (i, &(t, f)) in curve.iter().enumerate() {
        if !(t.is_finite() && f.is_finite()) {
            return Err(CurveError::NotFinite(i));
        }
        if i == 0 && t != 0.0 {
            return Err(CurveError::FirstNotAtIgnition);
        }
        if i > 0 && t <= curve[i - 1].0 {
            return Err(CurveError::TimeNotIncreasing(i));
        }
        let last = i + 1 == curve.len();
        if f < 0.0 || (f == 0.0 && !last && i > 0) {
            return Err(CurveError::ThrustNotPositive(i));
        }
        if last && f != 0.0 {
            return Err(CurveError::NoTailOff);
        }
    }
    if curve.iter().all(|p| p.1 <= 0.0) {
        return Err(CurveError::NoImpulse);
    }
    Ok(())
}

/// Ideal vacuum thrust coefficient `C_F = F_vac/(p_c·A_t)` of a nozzle of area ratio
/// `A_e/A_t` for an exhaust of ratio of specific heats `gamma` (frozen one-dimensional
/// isentropic flow, Sutton & Biblarz eq. 3-30 with `p_a = 0`). `None` when `gamma` is not in
/// (1, 2) or the area ratio is below 1 or not finite.
pub fn thrust_coefficient_vac(gamma: f64, area_ratio: f64) -> Option<f64> {
    if !(gamma > 1.0 && gamma < 2.0 && area_ratio.is_finite() && area_ratio >= 1.0) {
        return None;
    }
    let mach = exit_mach(gamma, area_ratio);
    let pressure_ratio = (1.0 + 0.5 * (gamma - 1.0) * mach * mach).powf(-gamma / (gamma - 1.0));
    let momentum = (2.0 * gamma * gamma / (gamma - 1.0)
        * (2.0 / (gamma + 1.0)).powf((gamma + 1.0) / (gamma - 1.0))
        * (1.0 - pressure_ratio.powf((gamma - 1.0) / gamma)))
    .sqrt();
    Some(momentum + pressure_ratio * area_ratio)
}

/// Area ratio `A/A*` at a Mach number (isentropic flow).
fn area_ratio_at(gamma: f64, mach: f64) -> f64 {
    let e = (gamma + 1.0) / (2.0 * (gamma - 1.0));
    ((2.0 / (gamma + 1.0)) * (1.0 + 0.5 * (gamma - 1.0) * mach * mach)).powf(e) / mach
}

/// The supersonic exit Mach number of an area ratio ≥ 1, by bisection on `ln M` (the area
/// ratio grows monotonically with M above 1; 200 halvings reach the last bit).
fn exit_mach(gamma: f64, area_ratio: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1000.0_f64.ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if area_ratio_at(gamma, mid.exp()) < area_ratio {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (0.5 * (lo + hi)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trapezoid: linear rise over 1 s to 100 kN, flat to 9 s, linear tail-off to 0 at 12 s.
    /// Impulse = 100 kN · (0.5 + 8 + 1.5) s = 1,000 kN·s.
    fn trapezoid(propellant_kg: f64) -> SolidMotor {
        let curve = vec![(0.0, 0.0), (1.0, 100e3), (9.0, 100e3), (12.0, 0.0)];
        SolidMotor::new("T", "HTPB", curve, propellant_kg, 0.5).expect("valid curve")
    }

    #[test]
    fn a_consistent_curve_gives_isp_times_propellant() {
        // Propellant for 280 s exactly: I = Isp·g0·m.
        let isp_s = 280.0;
        let m = 1.0e6 / (isp_s * G0_M_S2);
        let motor = trapezoid(m);
        assert!((motor.total_impulse_vac_n_s() - 1.0e6).abs() < 1e-6);
        assert!((motor.total_impulse_vac_n_s() - isp_s * G0_M_S2 * m).abs() < 1e-6);
        assert!((motor.delivered_isp_vac_s() - isp_s).abs() < 1e-12);
        assert_eq!(motor.burn_time_s(), 12.0);
        assert!((motor.average_thrust_vac_n() - 1.0e6 / 12.0).abs() < 1e-9);
        assert_eq!(motor.max_thrust_vac_n(), 100e3);
        // 10 % points: 0.1 s on the rise, 11.7 s in the tail-off.
        assert!((motor.action_time_s() - 11.6).abs() < 1e-12, "{}", motor.action_time_s());
    }

    /// A burn-rate factor `1+δ` divides the burn time by it and multiplies the thrust by it: the
    /// total impulse and the propellant stay, at every instant the same share of the grain is
    /// gone at `t/(1+δ)`. An Isp factor multiplies the impulse at the same mass flow.
    #[test]
    fn burn_rate_scaling_keeps_the_impulse_and_isp_scales_it() {
        let motor = trapezoid(3000.0);
        for delta in [-0.05, -0.01, 0.0, 0.015, 0.08] {
            let k = 1.0 + delta;
            let d = motor.dispersed(k, 1.0);
            assert!((d.burn_time_s() - 12.0 / k).abs() < 1e-12, "burn time at δ = {delta}");
            assert!((d.total_impulse_vac_n_s() / motor.total_impulse_vac_n_s() - 1.0).abs() < 1e-12);
            assert!((d.max_thrust_vac_n() - 100e3 * k).abs() < 1e-6);
            assert!((d.propellant_burned_kg(d.burn_time_s()) - 3000.0).abs() < 1e-9);
            for t in [0.5, 3.0, 9.5, 11.0] {
                assert!((d.propellant_burned_kg(t / k) - motor.propellant_burned_kg(t)).abs() < 1e-9, "t = {t}");
                assert!((d.impulse_vac_n_s(t / k) - motor.impulse_vac_n_s(t)).abs() < 1e-6, "t = {t}");
            }
        }
        let d = motor.dispersed(1.0, 1.01);
        assert!((d.total_impulse_vac_n_s() / motor.total_impulse_vac_n_s() - 1.01).abs() < 1e-12);
        assert!((d.delivered_isp_vac_s() / motor.delivered_isp_vac_s() - 1.01).abs() < 1e-12);
        assert!((d.mass_flow_kg_s(5.0) - motor.mass_flow_kg_s(5.0)).abs() < 1e-9, "the same mass flow");
        assert_eq!(d.burn_time_s(), 12.0);
        // Held at the floor: a wild factor cannot stop the motor.
        assert_eq!(motor.dispersed(-3.0, 0.0).burn_time_s(), 12.0 / MIN_DISPERSION_FACTOR);
    }

    /// A hotter grain burns faster by `exp(π_K·ΔT)`: 10 K at 0.2 %/K is +2.02 % thrust and
    /// −1.98 % burn time; an unstated sensitivity takes the default.
    #[test]
    fn a_hotter_grain_burns_faster_and_sooner_out() {
        let motor = trapezoid(3000.0).with_temperature_sensitivity(Some(0.002));
        let k = motor.temperature_burn_rate_factor(10.0);
        assert!((k - (0.02f64).exp()).abs() < 1e-15);
        let hot = motor.dispersed(k, 1.0);
        assert!((hot.max_thrust_vac_n() / motor.max_thrust_vac_n() - 1.0202).abs() < 1e-4);
        assert!((hot.burn_time_s() / motor.burn_time_s() - 0.9802).abs() < 1e-4);
        assert!((hot.total_impulse_vac_n_s() - motor.total_impulse_vac_n_s()).abs() < 1e-6);
        assert!(motor.temperature_burn_rate_factor(-10.0) < 1.0);
        let unstated = trapezoid(3000.0);
        assert_eq!(unstated.temperature_burn_rate_factor(1.0), DEFAULT_TEMPERATURE_SENSITIVITY_PER_K.exp());
    }

    /// The tail-off integrates as the triangle it is: I(t) = I(9) + F·τ·(1 − (1 − x)²)/2 with
    /// x = (t − 9)/τ, τ = 3 s; the propellant is used exactly by the curve's end.
    #[test]
    fn the_tail_off_integrates_in_closed_form() {
        let motor = trapezoid(3000.0);
        let before = 100e3 * (0.5 + 8.0);
        for k in 0..=30 {
            let t = 9.0 + 0.1 * f64::from(k);
            let x = (t - 9.0) / 3.0;
            let expected = before + 100e3 * 3.0 * (1.0 - (1.0 - x) * (1.0 - x)) / 2.0;
            assert!((motor.impulse_vac_n_s(t) - expected).abs() < 1e-6, "t = {t}");
            assert!((motor.thrust_vac_n(t) - 100e3 * (1.0 - x)).abs() < 1e-6);
        }
        assert!((motor.propellant_burned_kg(12.0) - 3000.0).abs() < 1e-9);
        assert_eq!(motor.propellant_burned_kg(100.0), 3000.0);
        assert_eq!(motor.propellant_burned_kg(-1.0), 0.0);
        // The mass flow integrates to the propellant (Simpson on each linear piece is exact).
        let mut burned = 0.0;
        for w in motor.curve().windows(2) {
            let (a, b) = (w[0].0, w[1].0);
            burned += (b - a) / 6.0 * (motor.mass_flow_kg_s(a) + 4.0 * motor.mass_flow_kg_s(0.5 * (a + b)) + motor.mass_flow_kg_s(b));
        }
        assert!((burned - 3000.0).abs() < 1e-9, "{burned}");
        assert_eq!(motor.mass_flow_kg_s(12.5), 0.0);
        assert_eq!(motor.thrust_vac_n(-0.1), 0.0);
    }

    /// A constant curve (with a tail-off too short to matter) burns as a liquid engine of the
    /// same thrust and Isp: same mass flow and burn time, and the rocket equation integrated
    /// through the curve gives Tsiolkovsky's Δv = Isp·g0·ln(m0/m1).
    #[test]
    fn a_constant_curve_reproduces_the_liquid_engine_tsiolkovsky_result() {
        let (thrust_n, isp_s, burn_s) = (500e3, 250.0, 80.0);
        let flow = thrust_n / (isp_s * G0_M_S2);
        // A tail-off of 1 µs: its impulse, 0.25 N·s, is lost in the comparison below.
        let curve = vec![(0.0, thrust_n), (burn_s, thrust_n), (burn_s + 1e-6, 0.0)];
        let propellant = flow * burn_s;
        let motor = SolidMotor::new("C", "HTPB", curve, propellant, 0.0).expect("valid");
        let engine = crate::vehicle::Engine {
            id: "L".into(),
            propellant: "LOX/kerosene".into(),
            thrust_vac_n: thrust_n,
            isp_vac_s: isp_s,
            exit_area_m2: 0.0,
            throttle_min: 1.0,
            chemistry: None,
        };
        assert!((motor.mass_flow_kg_s(40.0) - engine.mass_flow_kg_s()).abs() / flow < 1e-8);
        assert!((motor.delivered_isp_vac_s() - isp_s).abs() / isp_s < 1e-8);
        let dry = 20_000.0;
        let m0 = dry + propellant;
        // RK4 on dv/dt = F/m, dm/dt = −ṁ over the burn.
        let (mut v, mut m, mut t) = (0.0_f64, m0, 0.0_f64);
        let dt = 0.01;
        let deriv = |t: f64, m: f64| (motor.thrust_vac_n(t) / m, -motor.mass_flow_kg_s(t));
        while t < burn_s - 1e-9 {
            let (a1, b1) = deriv(t, m);
            let (a2, b2) = deriv(t + 0.5 * dt, m + 0.5 * dt * b1);
            let (a3, b3) = deriv(t + 0.5 * dt, m + 0.5 * dt * b2);
            let (a4, b4) = deriv(t + dt, m + dt * b3);
            v += dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4);
            m += dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4);
            t += dt;
        }
        let tsiolkovsky = isp_s * G0_M_S2 * (m0 / dry).ln();
        assert!((v - tsiolkovsky).abs() < 1e-3, "{v} against {tsiolkovsky}");
        assert!((m - dry).abs() < 1e-3 * propellant);
    }

    /// Whatever the thrust profile, the mass flow follows the thrust, so c = F/ṁ is constant and
    /// Tsiolkovsky holds for the whole burn in vacuum: the figure the Δv budget uses.
    #[test]
    fn any_profile_gives_tsiolkovsky_at_the_delivered_isp() {
        let motor = SolidMotor::new(
            "R",
            "HTPB",
            vec![(0.0, 0.0), (0.3, 900e3), (20.0, 1.1e6), (60.0, 700e3), (75.0, 650e3), (80.0, 0.0)],
            22_000.0,
            1.0,
        )
        .expect("valid");
        let c = motor.delivered_isp_vac_s() * G0_M_S2;
        let (dry, mut v, mut m) = (5_000.0, 0.0_f64, 27_000.0_f64);
        let n = 80_000;
        let dt = motor.burn_time_s() / f64::from(n);
        for k in 0..n {
            let t = (f64::from(k) + 0.5) * dt;
            v += motor.thrust_vac_n(t) / (m - 0.5 * dt * motor.mass_flow_kg_s(t)) * dt;
            m -= motor.mass_flow_kg_s(t) * dt;
        }
        assert!((m - dry).abs() < 1e-6 * 22_000.0, "{m}");
        let expected = c * (27_000.0_f64 / dry).ln();
        assert!((v - expected).abs() / expected < 1e-6, "{v} against {expected}");
    }

    /// The thrust at ignition is the curve's after its rise, not its average: a trapezoid rising
    /// in 1 s to its plateau gives the plateau; a curve still rising at 1 s gives its value
    /// there; a curve starting at its peak gives the peak.
    #[test]
    fn the_ignition_thrust_is_the_curve_after_its_rise() {
        let m = trapezoid(10_000.0);
        let plateau = m.curve()[1].1;
        assert!(m.ignition_thrust_vac_n() == plateau && m.average_thrust_vac_n() < plateau);
        let slow = SolidMotor::new("slow", "HTPB", vec![(0.0, 0.0), (4.0, 4e5), (20.0, 4e5), (21.0, 0.0)], 3000.0, 0.5).unwrap();
        assert!((slow.ignition_thrust_vac_n() - 1e5).abs() < 1e-6, "{}", slow.ignition_thrust_vac_n());
        let peak = SolidMotor::new("peak", "HTPB", vec![(0.0, 6e5), (0.5, 5e5), (20.0, 4e5), (21.0, 0.0)], 3000.0, 0.5).unwrap();
        assert_eq!(peak.ignition_thrust_vac_n(), 6e5);
    }

    #[test]
    fn back_pressure_lowers_thrust_by_p_times_exit_area() {
        let motor = trapezoid(3000.0);
        assert!((motor.thrust_n(5.0, 101_325.0) - (100e3 - 0.5 * 101_325.0)).abs() < 1e-9);
        assert_eq!(motor.thrust_n(5.0, 0.0), 100e3);
        // Deep in the tail-off at sea level the nozzle gives nothing, never a negative thrust.
        assert_eq!(motor.thrust_n(11.9, 101_325.0), 0.0);
        let out = motor.output(5.0, 50_000.0);
        assert_eq!(out.thrust_vac_n, 100e3);
        assert!((out.thrust_n - (100e3 - 25_000.0)).abs() < 1e-9);
        assert!((out.mass_flow_kg_s - 3000.0 * 100e3 / 1.0e6).abs() < 1e-12);
    }

    #[test]
    fn separation_at_a_thrust_level_is_found_in_the_tail_off() {
        let motor = trapezoid(3000.0);
        assert!((motor.time_thrust_falls_below_s(20e3).expect("reached") - 11.4).abs() < 1e-12);
        assert_eq!(motor.time_thrust_falls_below_s(200e3), None);
    }

    #[test]
    fn bad_curves_are_refused_with_the_point() {
        let ok = |c: Vec<(f64, f64)>| SolidMotor::new("X", "p", c, 1.0, 0.0).map(|_| ());
        assert_eq!(ok(vec![(0.0, 1.0)]), Err(CurveError::TooShort));
        assert_eq!(ok(vec![(0.5, 1.0), (1.0, 0.0)]), Err(CurveError::FirstNotAtIgnition));
        assert_eq!(ok(vec![(0.0, 1.0), (2.0, 1.0), (2.0, 0.0)]), Err(CurveError::TimeNotIncreasing(2)));
        assert_eq!(ok(vec![(0.0, 1.0), (1.0, 0.0), (2.0, 0.0)]), Err(CurveError::ThrustNotPositive(1)));
        assert_eq!(ok(vec![(0.0, 1.0), (1.0, -1.0), (2.0, 0.0)]), Err(CurveError::ThrustNotPositive(1)));
        assert_eq!(ok(vec![(0.0, 1.0), (1.0, 1.0)]), Err(CurveError::NoTailOff));
        assert_eq!(ok(vec![(0.0, f64::NAN), (1.0, 0.0)]), Err(CurveError::NotFinite(0)));
        assert_eq!(SolidMotor::new("X", "p", vec![(0.0, 1.0), (1.0, 0.0)], 0.0, 0.0), Err(CurveError::BadPropellant));
        assert_eq!(ok(vec![(0.0, 0.0), (1.0, 0.0)]), Err(CurveError::NoImpulse));
    }

    /// The two closed forms of the thrust coefficient: a sonic exit (area ratio 1) gives
    /// `(γ+1)·(2/(γ+1))^(γ/(γ−1))`, an infinite one `Γ·√(2γ/(γ−1))`.
    #[test]
    fn thrust_coefficient_meets_its_closed_forms() {
        for gamma in [1.15_f64, 1.2, 1.4] {
            let sonic = (gamma + 1.0) * (2.0 / (gamma + 1.0)).powf(gamma / (gamma - 1.0));
            let cf = thrust_coefficient_vac(gamma, 1.0).expect("valid");
            assert!((cf - sonic).abs() < 1e-9, "γ {gamma}: {cf} against {sonic}");
            let limit = (2.0 * gamma * gamma / (gamma - 1.0) * (2.0 / (gamma + 1.0)).powf((gamma + 1.0) / (gamma - 1.0))).sqrt();
            let cf = thrust_coefficient_vac(gamma, 1.0e8).expect("valid");
            assert!(cf < limit && limit - cf < 0.05 * limit, "γ {gamma}: {cf} below {limit}");
        }
        // γ = 1.4, sonic: 1.2679 (the textbook figure).
        assert!((thrust_coefficient_vac(1.4, 1.0).unwrap() - 1.2679).abs() < 1e-4);
        // It grows with the area ratio.
        let a = thrust_coefficient_vac(1.2, 10.0).unwrap();
        let b = thrust_coefficient_vac(1.2, 20.0).unwrap();
        assert!(b > a && a > thrust_coefficient_vac(1.2, 1.0).unwrap());
        assert_eq!(thrust_coefficient_vac(1.0, 10.0), None);
        assert_eq!(thrust_coefficient_vac(1.2, 0.5), None);
        assert_eq!(thrust_coefficient_vac(1.2, f64::NAN), None);
    }
}
