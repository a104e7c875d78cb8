//! Orbital lifetime of a body left in orbit: how long a spent stage stays up before drag brings
//! it down, uncontrolled, somewhere under its track.
//!
//! The model is the orbit-averaged drag decay of King-Hele (*Theory of Satellite Orbits in an
//! Atmosphere*, 1964). Drag along the velocity, `f = −½·δ·ρ·v²` with `δ = F·Cd·A/m`, changes
//! the semi-major axis and the eccentricity by, per revolution (Gauss's equations integrated
//! over one orbit in the eccentric anomaly `E`, the other elements held):
//!
//! ```text
//! Δa = −δ·a²·∫₀²ᵖⁱ ρ(h)·(1 + e·cos E)^{3/2}·(1 − e·cos E)^{−1/2} dE
//! Δe = −δ·a·(1 − e²)·∫₀²ᵖⁱ ρ(h)·cos E·((1 + e·cos E)/(1 − e·cos E))^{1/2} dE
//! ```
//!
//! with `h = a·(1 − e·cos E) − R` (R the equatorial radius, the altitude convention of the
//! orbit's perigee and apogee). Divided by the period they are the secular rates `da/dt`,
//! `de/dt`, integrated in time (classic fourth-order Runge–Kutta) with steps that move the
//! perigee by at most 2 % of the density scale height there and `a·e` by at most 1 %, until the
//! perigee is down to [`REENTRY_PERIGEE_ALTITUDE_M`]: below it a body has hours left, so that is
//! the end of its life here.
//!
//! `F = (1 − r_p·ω·cos i / v_p)²` is King-Hele's factor for the atmosphere turning with the Earth
//! (the air at perigee moves with the body on a prograde orbit, so it drags less): included, from
//! the perigee of the orbit at separation (some 8 % at 52°).
//!
//! The atmosphere is static: the US Standard Atmosphere 1976 (moderate solar activity), zero
//! above its 1000 km top. Real densities at 300–600 km vary with the solar cycle and geomagnetic
//! storms by a factor of ten and more, so a real lifetime may be several times shorter (solar
//! maximum) or longer (minimum) than this estimate: an order of magnitude for range safety, not a
//! re-entry prediction. Neither J2 (which turns the perigee around the orbit, under air of
//! varying latitude) nor the Earth's flattening (the air at a perigee over high latitudes is
//! that of a higher altitude, so the life is somewhat longer) nor lift, attitude or outgassing
//! is modelled.
//!
//! Every lifetime ends: a cap ([`DecayOptions::max_lifetime_s`], 100 years by default) and a
//! step budget end the integration, and the lifetime is then flagged as capped, a lower bound.

use nalgebra::Vector3;

use super::fall::density_kg_m3;
use crate::environment::earth::{MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, WGS84_A_M};
use crate::environment::elements::OrbitalElements;
use crate::error::{Error, Result};
use crate::vehicle::Tumbling;

/// Perigee altitude (above the equatorial radius) at which a decaying orbit ends, m: below it a
/// stage comes down within hours, on the next few perigee passes.
pub const REENTRY_PERIGEE_ALTITUDE_M: f64 = 120e3;

/// Longest lifetime computed, years: a longer one is reported as this, capped.
pub const MAX_LIFETIME_YEARS: f64 = 100.0;

/// Seconds in a Julian year.
pub const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;

/// Top of the US Standard Atmosphere 1976, m: the decay model takes no air above it.
pub const ATMOSPHERE_TOP_M: f64 = 1_000e3;

/// Simpson intervals of the orbit average over half an orbit (even).
const QUADRATURE_INTERVALS: usize = 128;

/// Largest change of the perigee radius per step, in density scale heights at the perigee.
const PERIGEE_STEP_SCALE_HEIGHTS: f64 = 0.02;

/// Largest relative change of `a·e` (the half-difference of apogee and perigee) per step.
const ECCENTRIC_STEP: f64 = 0.01;

/// Settings of a lifetime estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecayOptions {
    /// Perigee altitude where the orbit's life ends, m.
    pub reentry_altitude_m: f64,
    /// Longest lifetime computed, s; a longer one is capped.
    pub max_lifetime_s: f64,
    /// Most integration steps; when spent the lifetime so far is returned, capped.
    pub max_steps: usize,
}

impl Default for DecayOptions {
    fn default() -> Self {
        DecayOptions {
            reentry_altitude_m: REENTRY_PERIGEE_ALTITUDE_M,
            max_lifetime_s: MAX_LIFETIME_YEARS * SECONDS_PER_YEAR,
            max_steps: 100_000,
        }
    }
}

/// An estimated orbital lifetime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifetime {
    /// Time until the perigee is down to the re-entry altitude, s; with `capped`, a lower bound.
    pub lifetime_s: f64,
    /// The integration stopped at the cap (or its step budget) before the orbit decayed; the
    /// body escapes, or stays up longer than `lifetime_s`.
    pub capped: bool,
    /// Integration steps taken.
    pub steps: usize,
}

impl Lifetime {
    /// The lifetime in days.
    pub fn days(&self) -> f64 {
        self.lifetime_s / 86_400.0
    }
}

/// USSA76 density at an altitude above the equatorial radius, kg/m³, zero above its 1000 km
/// top: the air of the lifetime estimate.
pub fn standard_density_kg_m3(altitude_m: f64) -> f64 {
    if altitude_m > ATMOSPHERE_TOP_M {
        0.0
    } else {
        density_kg_m3(altitude_m)
    }
}

/// Secular drag rates `(da/dt, de/dt)` of an orbit (`a` m, `e`), m/s and 1/s, for the drag
/// factor `δ = F·Cd·A/m` (m²/kg) in the air `density(altitude above the equatorial radius)`.
///
/// The orbit average is a Simpson rule over half the orbit (the integrands are even in `E`) in
/// `u` with `E = π·u²`: points crowd at perigee, where on an eccentric orbit all the drag is
/// (over a fraction of a degree of `E` for a GTO).
pub fn decay_rates(semi_major_axis_m: f64, eccentricity: f64, drag_factor_m2_kg: f64, density: &impl Fn(f64) -> f64) -> (f64, f64) {
    let (a, e) = (semi_major_axis_m, eccentricity.clamp(0.0, 0.999_999));
    let n = QUADRATURE_INTERVALS;
    let (mut sum_a, mut sum_e) = (0.0, 0.0);
    for k in 0..=n {
        let u = k as f64 / n as f64;
        let big_e = std::f64::consts::PI * u * u;
        let jacobian = 2.0 * std::f64::consts::PI * u;
        let c = big_e.cos();
        let rho = density(a * (1.0 - e * c) - WGS84_A_M);
        if !(rho > 0.0) {
            continue;
        }
        let (plus, minus) = (1.0 + e * c, 1.0 - e * c);
        let weight = jacobian * super::simpson_weight(k, n);
        sum_a += weight * rho * plus * (plus / minus).sqrt();
        sum_e += weight * rho * c * (plus / minus).sqrt();
    }
    // Simpson's h/3 over u ∈ [0, 1], doubled for the whole orbit.
    let scale = 2.0 / (3.0 * n as f64);
    let delta_a_per_rev = -drag_factor_m2_kg * a * a * scale * sum_a;
    let delta_e_per_rev = if e > 0.0 { -drag_factor_m2_kg * a * (1.0 - e * e) * scale * sum_e } else { 0.0 };
    let period_s = std::f64::consts::TAU * (a * a * a / MU_EARTH_M3_S2).sqrt();
    (delta_a_per_rev / period_s, delta_e_per_rev / period_s)
}

/// Density scale height at an altitude, m, from the density 1 km above it (`None` without air).
fn scale_height_m(altitude_m: f64, density: &impl Fn(f64) -> f64) -> Option<f64> {
    let (low, high) = (density(altitude_m), density(altitude_m + 1e3));
    (low > 0.0 && high > 0.0 && low > high).then(|| 1e3 / (low / high).ln())
}

/// The lifetime of an orbit (`a` m, `e`) decaying by drag with the drag factor `δ = F·Cd·A/m`
/// (m²/kg) in the air `density(altitude above the equatorial radius)`: the time until its
/// perigee is down to the re-entry altitude (0 when it already is), capped as `options` says.
/// The density is a parameter so that a test can supply an exponential atmosphere.
pub fn orbital_lifetime(
    semi_major_axis_m: f64,
    eccentricity: f64,
    drag_factor_m2_kg: f64,
    density: impl Fn(f64) -> f64,
    options: &DecayOptions,
) -> Result<Lifetime> {
    let (a0, e0, delta) = (semi_major_axis_m, eccentricity, drag_factor_m2_kg);
    if !(a0.is_finite() && a0 > 0.0 && (0.0..1.0).contains(&e0)) {
        return Err(Error::invalid(
            "orbit",
            format!("a bound orbit needs a finite positive semi-major axis and 0 ≤ e < 1, got {a0} m, e {e0}"),
        ));
    }
    if !(delta.is_finite() && delta > 0.0) {
        return Err(Error::invalid("drag factor", format!("Cd·A/m must be finite and positive, got {delta} m²/kg")));
    }
    if !(options.reentry_altitude_m.is_finite() && options.max_lifetime_s.is_finite() && options.max_lifetime_s > 0.0) {
        return Err(Error::invalid("decay options", format!("re-entry altitude and cap must be finite, the cap positive: {options:?}")));
    }
    let r_end = WGS84_A_M + options.reentry_altitude_m;
    let perigee = |a: f64, e: f64| a * (1.0 - e);
    if perigee(a0, e0) <= r_end {
        return Ok(Lifetime { lifetime_s: 0.0, capped: false, steps: 0 });
    }
    let rates = |a: f64, e: f64| decay_rates(a, e.max(0.0), delta, &density);
    let (mut a, mut e, mut t) = (a0, e0, 0.0);
    for step in 0..options.max_steps {
        let (da, de) = rates(a, e);
        let rp = perigee(a, e);
        let perigee_rate = da * (1.0 - e) - a * de;
        let eccentric_rate = a * de + e * da;
        let scale_height = scale_height_m(rp - WGS84_A_M, &density);
        let remaining = options.max_lifetime_s - t;
        let (Some(h), true) = (scale_height, perigee_rate < 0.0) else {
            // No air at the perigee (above the atmosphere's top), or none that lowers it.
            return Ok(Lifetime { lifetime_s: options.max_lifetime_s, capped: true, steps: step });
        };
        let mut dt = PERIGEE_STEP_SCALE_HEIGHTS * h / -perigee_rate;
        if eccentric_rate < 0.0 {
            dt = dt.min(ECCENTRIC_STEP * (a * e + h) / -eccentric_rate);
        }
        let dt = dt.min(remaining);
        // One classic Runge–Kutta step of (a, e).
        let (k2a, k2e) = rates(a + 0.5 * dt * da, e + 0.5 * dt * de);
        let (k3a, k3e) = rates(a + 0.5 * dt * k2a, e + 0.5 * dt * k2e);
        let (k4a, k4e) = rates(a + dt * k3a, e + dt * k3e);
        let a1 = a + dt / 6.0 * (da + 2.0 * k2a + 2.0 * k3a + k4a);
        let e1 = (e + dt / 6.0 * (de + 2.0 * k2e + 2.0 * k3e + k4e)).max(0.0);
        if !(a1.is_finite() && e1.is_finite() && a1 > 0.0) {
            return Err(Error::Integration { time_s: t, reason: format!("orbital decay: a = {a1} m, e = {e1}") });
        }
        let rp1 = perigee(a1, e1);
        if rp1 <= r_end {
            // The perigee crossed the re-entry altitude within the step: interpolate linearly.
            let f = ((rp - r_end) / (rp - rp1)).clamp(0.0, 1.0);
            return Ok(Lifetime { lifetime_s: t + f * dt, capped: false, steps: step + 1 });
        }
        (a, e, t) = (a1, e1, t + dt);
        if t >= options.max_lifetime_s {
            return Ok(Lifetime { lifetime_s: options.max_lifetime_s, capped: true, steps: step + 1 });
        }
    }
    Ok(Lifetime { lifetime_s: t, capped: true, steps: options.max_steps })
}

/// The orbit of a body left up and its estimated lifetime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitDecay {
    /// Osculating elements at separation.
    pub elements: OrbitalElements,
    /// Ballistic coefficient `m/(Cd·A)` of the tumbling body, kg/m².
    pub ballistic_coefficient_kg_m2: f64,
    /// King-Hele's factor for the atmosphere's rotation, `(1 − r_p·ω·cos i / v_p)²`.
    pub rotation_factor: f64,
    /// The estimated lifetime from separation; capped for a body that escapes.
    pub lifetime: Lifetime,
}

impl OrbitDecay {
    /// Whether the body escapes (a hyperbola, or a parabola): no apogee, no decay.
    pub fn escapes(&self) -> bool {
        escapes(&self.elements)
    }
}

/// Whether an orbit is open (a hyperbola, or a parabola): no apogee, no decay.
fn escapes(elements: &OrbitalElements) -> bool {
    !(elements.eccentricity < 1.0 && elements.semi_major_axis_m > 0.0)
}

/// Time from the state to the first descent of the Keplerian orbit through the radius `r_m`, s
/// (0 when the body is already below it, or descending between it and the perigee). For an
/// orbit whose perigee is below the re-entry altitude: it comes down on that descent.
fn time_to_descent_s(elements: &OrbitalElements, r_m: f64) -> f64 {
    let (a, e) = (elements.semi_major_axis_m, elements.eccentricity);
    let p = a * (1.0 - e * e);
    let cos_nu = ((p / r_m - 1.0) / e).clamp(-1.0, 1.0);
    // The descending crossing, in (π, 2π]; the body's true anomaly in [0, 2π).
    let nu_cross = std::f64::consts::TAU - cos_nu.acos();
    let nu = elements.true_anomaly_rad.rem_euclid(std::f64::consts::TAU);
    if nu >= nu_cross || p / (1.0 + e * nu.cos()) <= r_m {
        return 0.0;
    }
    let mean_anomaly = |nu: f64| {
        let big_e = ((1.0 - e * e).sqrt() * nu.sin()).atan2(e + nu.cos()).rem_euclid(std::f64::consts::TAU);
        big_e - e * big_e.sin()
    };
    let n = (MU_EARTH_M3_S2 / (a * a * a)).sqrt();
    ((mean_anomaly(nu_cross) - mean_anomaly(nu)).max(0.0)) / n
}

/// The orbit at separation of a body (state in the liftoff-aligned inertial frame, its mass and
/// tumbling drag) and its estimated lifetime in the standard atmosphere.
pub fn orbit_decay(
    position_eci_m: &Vector3<f64>,
    velocity_eci_m_s: &Vector3<f64>,
    mass_kg: f64,
    tumbling: &Tumbling,
    options: &DecayOptions,
) -> Result<OrbitDecay> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !(positive(mass_kg) && positive(tumbling.cd) && positive(tumbling.area_m2)) {
        return Err(Error::invalid(
            "body in orbit",
            format!("mass, Cd and area must be finite and positive, got {mass_kg} kg, Cd {}, {} m²", tumbling.cd, tumbling.area_m2),
        ));
    }
    if !(position_eci_m.iter().chain(velocity_eci_m_s.iter()).all(|x| x.is_finite()) && position_eci_m.norm() > 0.0) {
        return Err(Error::invalid(
            "body in orbit",
            format!("separation state must be finite, got {position_eci_m:?}, {velocity_eci_m_s:?}"),
        ));
    }
    let elements = OrbitalElements::from_state(position_eci_m, velocity_eci_m_s, MU_EARTH_M3_S2);
    let ballistic_coefficient_kg_m2 = mass_kg / (tumbling.cd * tumbling.area_m2);
    let (a, e) = (elements.semi_major_axis_m, elements.eccentricity);
    let escaping = escapes(&elements);
    let rp = elements.perigee_radius_m();
    let perigee_speed = if escaping { 0.0 } else { (MU_EARTH_M3_S2 * (1.0 + e) / rp).sqrt() };
    let rotation_factor =
        if perigee_speed > 0.0 { (1.0 - rp * OMEGA_EARTH_RAD_S * elements.inclination_rad.cos() / perigee_speed).powi(2) } else { 1.0 };
    let lifetime = if escaping {
        Lifetime { lifetime_s: options.max_lifetime_s, capped: true, steps: 0 }
    } else if rp <= WGS84_A_M + options.reentry_altitude_m {
        Lifetime { lifetime_s: time_to_descent_s(&elements, WGS84_A_M + options.reentry_altitude_m), capped: false, steps: 0 }
    } else {
        orbital_lifetime(a, e, rotation_factor / ballistic_coefficient_kg_m2, standard_density_kg_m3, options)?
    };
    Ok(OrbitDecay { elements, ballistic_coefficient_kg_m2, rotation_factor, lifetime })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exponential atmosphere `ρ0·exp(−(h − h0)/H)`.
    fn exponential(rho0: f64, h0_m: f64, scale_height_m: f64) -> impl Fn(f64) -> f64 {
        move |h: f64| rho0 * (-(h - h0_m) / scale_height_m).exp()
    }

    /// A circular orbit in an exponential atmosphere decays as `da/dt = −δ·ρ(a)·√(μa)` (the
    /// per-revolution loss `2π·δ·a²·ρ` over the period): its lifetime from `a0` down to `a1` is
    /// `t = ∫ da / (δ·ρ(a)·√(μa))` from `a1` to `a0`, here by a 200,000-interval Simpson rule.
    /// The model steps the orbit-averaged rates; it agrees within 1e-3 (its error is the
    /// Runge–Kutta step's, a few 1e-6). With √a held at √a0 the integral is King-Hele's
    /// `H·(1 − exp(−(h0 − h1)/H)) / (δ·ρ(h0)·√(μ·a0))`, within 3 % (√a changes by 2 % on the way).
    #[test]
    fn a_circular_orbit_in_an_exponential_atmosphere_lives_as_the_closed_form_says() {
        let (rho0, h0, scale) = (3e-12, 400e3, 60e3);
        let delta = 1.0 / 100.0;
        let density = exponential(rho0, h0, scale);
        let a0 = WGS84_A_M + h0;
        let a1 = WGS84_A_M + REENTRY_PERIGEE_ALTITUDE_M;
        let life = orbital_lifetime(a0, 0.0, delta, &density, &DecayOptions::default()).unwrap();
        assert!(!life.capped, "{life:?}");
        let integrand = |a: f64| 1.0 / (delta * density(a - WGS84_A_M) * (MU_EARTH_M3_S2 * a).sqrt());
        let n = 200_000;
        let h = (a0 - a1) / n as f64;
        let simpson: f64 = (0..=n).map(|k| super::super::simpson_weight(k, n) * integrand(a1 + k as f64 * h)).sum::<f64>() * h / 3.0;
        let error = life.lifetime_s / simpson - 1.0;
        assert!(error.abs() < 1e-3, "model {} d, exact {} d ({error:e})", life.days(), simpson / 86_400.0);
        let king_hele = scale * (1.0 - (-(h0 - REENTRY_PERIGEE_ALTITUDE_M) / scale).exp()) / (delta * rho0 * (MU_EARTH_M3_S2 * a0).sqrt());
        assert!((life.lifetime_s / king_hele - 1.0).abs() < 0.03, "model {} d, King-Hele {} d", life.days(), king_hele / 86_400.0);
        assert!(life.steps > 10 && life.steps < 5_000, "{} steps", life.steps);
    }

    /// The orbit average against a brute-force one (the midpoint rule over the whole orbit in
    /// 400,000 points) on a near-circular, a moderately eccentric and a GTO-like orbit, where the
    /// drag is all within a degree of perigee: the crowded Simpson rule agrees to 1e-4.
    #[test]
    fn the_orbit_average_matches_a_brute_force_quadrature() {
        for (perigee_km, apogee_km) in [(300.0, 310.0), (200.0, 1_500.0), (180.0, 35_786.0)] {
            let (rp, ra) = (WGS84_A_M + perigee_km * 1e3, WGS84_A_M + apogee_km * 1e3);
            let (a, e) = (0.5 * (rp + ra), (ra - rp) / (ra + rp));
            let delta = 0.01;
            let (da, de) = decay_rates(a, e, delta, &standard_density_kg_m3);
            let n = 400_000;
            let (mut sa, mut se) = (0.0, 0.0);
            for k in 0..n {
                let big_e = std::f64::consts::TAU * (k as f64 + 0.5) / n as f64;
                let c = big_e.cos();
                let rho = standard_density_kg_m3(a * (1.0 - e * c) - WGS84_A_M);
                sa += rho * (1.0 + e * c).powf(1.5) / (1.0 - e * c).sqrt();
                se += rho * c * ((1.0 + e * c) / (1.0 - e * c)).sqrt();
            }
            let d_e = std::f64::consts::TAU / n as f64;
            let period = std::f64::consts::TAU * (a.powi(3) / MU_EARTH_M3_S2).sqrt();
            let (da_ref, de_ref) = (-delta * a * a * sa * d_e / period, -delta * a * (1.0 - e * e) * se * d_e / period);
            assert!((da / da_ref - 1.0).abs() < 1e-4, "{perigee_km} × {apogee_km} km: da/dt {da} vs {da_ref}");
            assert!((de / de_ref - 1.0).abs() < 1e-4, "{perigee_km} × {apogee_km} km: de/dt {de} vs {de_ref}");
            assert!(da < 0.0 && de < 0.0, "drag lowers the orbit and circularizes it");
        }
    }

    /// Heavier or smaller bodies, and higher orbits, live longer; an eccentric orbit with the
    /// same perigee outlives the circular one.
    #[test]
    fn lifetimes_grow_with_the_ballistic_coefficient_and_the_altitude() {
        let options = DecayOptions::default();
        let circular = |h_km: f64, delta: f64| {
            orbital_lifetime(WGS84_A_M + h_km * 1e3, 0.0, delta, standard_density_kg_m3, &options).unwrap().lifetime_s
        };
        assert!(circular(300.0, 0.005) > circular(300.0, 0.01), "a heavier body lives longer");
        assert!(circular(300.0, 0.01) > circular(300.0, 0.02), "a smaller body lives longer");
        let by_altitude: Vec<f64> = [200.0, 250.0, 300.0, 400.0, 500.0].iter().map(|&h| circular(h, 0.01)).collect();
        assert!(by_altitude.windows(2).all(|w| w[1] > w[0]), "higher lives longer: {by_altitude:?}");
        let (rp, ra) = (WGS84_A_M + 250e3, WGS84_A_M + 1_000e3);
        let eccentric = orbital_lifetime(0.5 * (rp + ra), (ra - rp) / (ra + rp), 0.01, standard_density_kg_m3, &options).unwrap();
        assert!(eccentric.lifetime_s > by_altitude[1], "{} d against {} d", eccentric.days(), by_altitude[1] / 86_400.0);
    }

    /// An orbit whose perigee is already below the re-entry altitude has no life left; a body at
    /// the top of such an orbit comes down on its descent, half an orbit later.
    #[test]
    fn an_orbit_with_its_perigee_below_the_reentry_altitude_has_no_life_left() {
        let (rp, ra) = (WGS84_A_M + 100e3, WGS84_A_M + 20_000e3);
        let (a, e) = (0.5 * (rp + ra), (ra - rp) / (ra + rp));
        let life = orbital_lifetime(a, e, 0.01, standard_density_kg_m3, &DecayOptions::default()).unwrap();
        assert_eq!((life.lifetime_s, life.capped), (0.0, false));
        // At apogee, moving horizontally: the descent to 120 km is a little less than half a period.
        let r = Vector3::new(ra, 0.0, 0.0);
        let v = Vector3::new(0.0, (MU_EARTH_M3_S2 * (2.0 / ra - 1.0 / a)).sqrt(), 0.0);
        let d = orbit_decay(&r, &v, 3_000.0, &Tumbling { cd: 1.0, area_m2: 30.0 }, &DecayOptions::default()).unwrap();
        let half_period = std::f64::consts::PI * (a.powi(3) / MU_EARTH_M3_S2).sqrt();
        assert!(!d.lifetime.capped && d.lifetime.lifetime_s < half_period && d.lifetime.lifetime_s > 0.95 * half_period, "{d:?}");
    }

    /// A plausible spent upper stage (3.5 t, Cd 1 on 30 m², 117 kg/m²) in a 400 km circular orbit
    /// lives months to a few years in the standard atmosphere; one at 200 km days; one at 1200 km
    /// (no air at all) is capped; an escape is capped too.
    #[test]
    fn a_stage_in_a_low_orbit_lives_months_and_one_in_a_high_orbit_is_capped() {
        let body = Tumbling { cd: 1.0, area_m2: 30.0 };
        let circular = |h_km: f64, inclination_deg: f64| {
            let r = WGS84_A_M + h_km * 1e3;
            let i = f64::to_radians(inclination_deg);
            let v = (MU_EARTH_M3_S2 / r).sqrt();
            orbit_decay(&Vector3::new(r, 0.0, 0.0), &Vector3::new(0.0, v * i.cos(), v * i.sin()), 3_500.0, &body, &DecayOptions::default())
                .unwrap()
        };
        let d400 = circular(400.0, 51.7);
        assert!(!d400.lifetime.capped && d400.lifetime.days() > 60.0 && d400.lifetime.days() < 5.0 * 365.25, "{d400:?}");
        assert!((d400.ballistic_coefficient_kg_m2 - 116.67).abs() < 0.01);
        assert!(d400.rotation_factor > 0.9 && d400.rotation_factor < 0.95, "{}", d400.rotation_factor);
        let d200 = circular(200.0, 51.7);
        assert!(!d200.lifetime.capped && d200.lifetime.days() > 1.0 && d200.lifetime.days() < 30.0, "{d200:?}");
        // A retrograde orbit meets the air head on: a shorter life than the prograde one.
        assert!(circular(200.0, 128.3).lifetime.lifetime_s < d200.lifetime.lifetime_s);
        let high = circular(1_200.0, 51.7);
        assert!(high.lifetime.capped && high.lifetime.lifetime_s == MAX_LIFETIME_YEARS * SECONDS_PER_YEAR, "{high:?}");
        let r = WGS84_A_M + 400e3;
        let escape = orbit_decay(
            &Vector3::new(r, 0.0, 0.0),
            &Vector3::new(0.0, 1.1 * (2.0 * MU_EARTH_M3_S2 / r).sqrt(), 0.0),
            3_500.0,
            &body,
            &DecayOptions::default(),
        )
        .unwrap();
        assert!(escape.escapes() && escape.lifetime.capped, "{escape:?}");
    }

    /// Every estimate ends within its step budget, and bad input is an error naming what is wrong.
    #[test]
    fn the_estimate_always_ends_and_refuses_bad_input() {
        let few = DecayOptions { max_steps: 3, ..DecayOptions::default() };
        let life = orbital_lifetime(WGS84_A_M + 400e3, 0.0, 0.01, standard_density_kg_m3, &few).unwrap();
        assert!(life.capped && life.steps == 3 && life.lifetime_s > 0.0, "{life:?}");
        for (a, e, delta) in [(f64::NAN, 0.0, 0.01), (7e6, 1.2, 0.01), (7e6, -0.1, 0.01), (7e6, 0.0, 0.0), (7e6, 0.0, f64::INFINITY)] {
            assert!(orbital_lifetime(a, e, delta, standard_density_kg_m3, &DecayOptions::default()).is_err(), "{a} {e} {delta}");
        }
        let r = Vector3::new(7e6, 0.0, 0.0);
        let v = Vector3::new(0.0, 7.5e3, 0.0);
        let e = orbit_decay(&r, &v, 0.0, &Tumbling { cd: 1.0, area_m2: 30.0 }, &DecayOptions::default()).unwrap_err();
        assert!(e.to_string().contains("body in orbit"), "{e}");
        assert!(orbit_decay(&r, &Vector3::new(f64::NAN, 0.0, 0.0), 1.0, &Tumbling { cd: 1.0, area_m2: 30.0 }, &DecayOptions::default())
            .is_err());
    }
}
