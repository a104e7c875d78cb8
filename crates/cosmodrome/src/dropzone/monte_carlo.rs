//! Monte Carlo of the falls: every jettisoned body, `samples` times, each with its own draw of
//! the dispersions.
//!
//! Reproducibility does not depend on scheduling: sample `k` of body `b` draws from its own
//! ChaCha8 stream — the run's seed with stream number `b·2³² + k` — so a seed gives the same
//! impacts on one thread or many, in any order. Samples run in parallel on the current rayon
//! pool; a progress callback sees every finished fall, and a cancellation flag is checked
//! before each sample.
//!
//! When the dispersions reach the vehicle's solid motors (burn rate, Isp, grain temperature) and
//! the setup carries the nominal ascent ([`AscentReplay`]), sample `k` first flies that ascent
//! again with its own motors, drawn from the stream `(2³² − 1)·2³² + k` (no body's), steered by
//! the nominal vehicle's program. Each body's separation state is then its nominal one moved by
//! what the dispersed ascent changed (the dispersed flight's state less the undispersed
//! replay's), so motor sigmas of zero give the nominal states bit for bit.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::SeedableRng;
use rayon::prelude::*;

use super::dispersion::{disperse_start, Dispersions};
use super::fall::{fall, Air, FallOptions, FallOutcome, FallStart, Impact};
use super::footprint::{footprint, Footprint, GeoPoint};
use super::wind::WindProfile;
use super::{body_tumbling, downrange_m};
use crate::error::{Error, Result};
use crate::flight::{fly, FlightOptions, FlightSetup};
use crate::flight::{JettisonedBody, Launch};
use crate::guidance::{AscentParameters, AscentProgram};
use crate::vehicle::{Tumbling, Vehicle};

/// Most samples per body: every impact is kept (about 100 bytes each) for the impact table, so a
/// million per body is a few hundred megabytes for a whole vehicle.
pub const MAX_SAMPLES: usize = 1_000_000;

/// Everything a Monte Carlo run needs; immutable and shared by the workers.
#[derive(Debug, Clone, Copy)]
pub struct MonteCarloSetup<'a> {
    /// The vehicle (for the tumbling drag of its stages).
    pub vehicle: &'a Vehicle,
    /// The pad, for downrange distances.
    pub launch: Launch,
    /// The bodies to fly, with their separation states.
    pub bodies: &'a [JettisonedBody],
    /// One-sigma dispersions.
    pub dispersions: Dispersions,
    /// Wind profile, if any.
    pub wind: Option<&'a WindProfile>,
    /// Fall settings.
    pub options: FallOptions,
    /// The nominal ascent, flown again per sample with dispersed solid motors; `None` disperses
    /// the falls only (as does a vehicle without solid motors, or motor sigmas of zero).
    pub ascent: Option<AscentReplay>,
    /// Samples per body.
    pub samples: usize,
    /// Seed of the run.
    pub seed: u64,
}

/// The ascent whose bodies fall, as the Monte Carlo flies it again with dispersed solid motors:
/// the open-loop program of the nominal ascent ([`AscentProgram`]) with its payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentReplay {
    /// Payload carried, kg.
    pub payload_kg: f64,
    /// The program's parameters, as the nominal ascent was flown.
    pub parameters: AscentParameters,
    /// Flight options of the nominal ascent (its sampling is not used).
    pub options: FlightOptions,
}

/// Stream "body" number of the dispersed ascents: above any body's.
const ASCENT_STREAM: usize = u32::MAX as usize;

/// Fly the replayed ascent with `vehicle` (the nominal or a dispersed one), steered by the
/// nominal vehicle's program: the same commands, whatever the motors do.
fn replay_flight(setup: &MonteCarloSetup<'_>, replay: &AscentReplay, vehicle: &Vehicle) -> Result<crate::flight::FlightResult> {
    let flight_setup = FlightSetup {
        vehicle,
        payload_kg: replay.payload_kg,
        launch: setup.launch,
        options: FlightOptions { sample_interval_s: None, ..replay.options },
    };
    fly(&flight_setup, &mut AscentProgram::new(replay.parameters, setup.vehicle, &setup.launch))
}

/// Per body of the setup, the body of a replayed ascent with the same name and stage (the
/// `n`-th such body for the `n`-th, in separation order); `None` when the replay does not drop
/// it. Matched by name rather than position: a dispersed ascent may drop the fairing (jettisoned
/// on a heat-flux or altitude rule) before or after a stage it followed nominally.
fn matching_bodies(setup: &MonteCarloSetup<'_>, flight: crate::flight::FlightResult) -> Vec<Option<JettisonedBody>> {
    let mut replayed: Vec<Option<JettisonedBody>> = flight.jettisoned.into_iter().map(Some).collect();
    setup
        .bodies
        .iter()
        .map(|nominal| {
            let slot = replayed.iter_mut().find(|b| b.as_ref().is_some_and(|b| b.name == nominal.name && b.stage == nominal.stage))?;
            slot.take()
        })
        .collect()
}

/// The undispersed replay's bodies when this run disperses the solid motors, `None` otherwise.
fn motor_reference(setup: &MonteCarloSetup<'_>) -> Result<Option<Vec<Option<JettisonedBody>>>> {
    if !setup.dispersions.disperses_motors(setup.vehicle) {
        return Ok(None);
    }
    motor_reference_bodies(setup)
}

/// The bodies of the setup's replayed ascent flown with the nominal motors (per setup body, as
/// [`motor_shifted_bodies`] takes them); `None` without an ascent to replay.
pub fn motor_reference_bodies(setup: &MonteCarloSetup<'_>) -> Result<Option<Vec<Option<JettisonedBody>>>> {
    let Some(replay) = setup.ascent else { return Ok(None) };
    let flight = replay_flight(setup, &replay, setup.vehicle)?;
    Ok(Some(matching_bodies(setup, flight)))
}

/// Whether a jettisoned body is a solid stage (boosters or a solid stage): the bodies whose
/// separation the motor dispersions move.
fn burns_solid(vehicle: &Vehicle, body: &JettisonedBody) -> bool {
    body.stage.and_then(|i| vehicle.stages.get(i)).is_some_and(|s| s.is_solid())
}

/// The bodies of sample `k` with its dispersed motors: each solid stage's nominal separation
/// moved by what the motors changed (time, state and mass at separation against the undispersed
/// replay). The other bodies — liquid stages, the fairing, jettisoned structure — keep their
/// nominal separation: guidance, cutoffs and jettison rules take back much of a motor's error
/// before they leave, which the open-loop replay would not, and their separation-state
/// dispersions stand for the rest. So does a solid stage that either replay does not drop.
pub fn motor_dispersed_bodies(
    setup: &MonteCarloSetup<'_>,
    reference: &[Option<JettisonedBody>],
    sample: usize,
) -> Result<Vec<JettisonedBody>> {
    if setup.ascent.is_none() {
        return Ok(setup.bodies.to_vec());
    }
    let mut rng = sample_rng(setup.seed, ASCENT_STREAM, sample);
    let vehicle = setup.dispersions.disperse_vehicle(setup.vehicle, &mut rng);
    motor_shifted_bodies(setup, reference, &vehicle)
}

/// The bodies of the setup with each solid stage's nominal separation moved by what flying the
/// replayed ascent with `vehicle` (the setup's vehicle with other motors) changed against the
/// undispersed replay `reference` ([`motor_reference_bodies`]): what
/// [`motor_dispersed_bodies`] does with a sample's drawn motors, for motors chosen by the caller
/// (a sensitivity check flies one factor at a time through it).
pub fn motor_shifted_bodies(
    setup: &MonteCarloSetup<'_>,
    reference: &[Option<JettisonedBody>],
    vehicle: &Vehicle,
) -> Result<Vec<JettisonedBody>> {
    let Some(replay) = setup.ascent else { return Ok(setup.bodies.to_vec()) };
    let flight = replay_flight(setup, &replay, vehicle)?;
    let dispersed = matching_bodies(setup, flight);
    Ok(setup
        .bodies
        .iter()
        .zip(reference)
        .zip(&dispersed)
        .map(|((nominal, reference), d)| {
            let mut body = nominal.clone();
            if let (true, Some(reference), Some(d)) = (burns_solid(setup.vehicle, nominal), reference, d) {
                let (p, r, q) = (&mut body.point, &reference.point, &d.point);
                p.time_s += q.time_s - r.time_s;
                p.position_eci_m += q.position_eci_m - r.position_eci_m;
                p.velocity_eci_m_s += q.velocity_eci_m_s - r.velocity_eci_m_s;
                body.mass_kg += d.mass_kg - reference.mass_kg;
            }
            body
        })
        .collect())
}

/// One dispersed impact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleImpact {
    /// Sample index, from 0.
    pub sample: usize,
    /// Where and how it came down.
    pub impact: Impact,
    /// Great-circle distance from the pad, km.
    pub downrange_km: f64,
}

/// The dispersed impacts of one body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyImpacts {
    /// Body name.
    pub name: String,
    /// Stage index; `None` for the fairing.
    pub stage: Option<usize>,
    /// Nominal tumbling drag.
    pub tumbling: Tumbling,
    /// Impacts in sample order.
    pub impacts: Vec<SampleImpact>,
    /// Samples that did not come down (in orbit, or still flying at the time limit).
    pub not_down: usize,
}

/// The random stream of one sample of one body.
pub fn sample_rng(seed: u64, body: usize, sample: usize) -> rand::rngs::ChaCha8Rng {
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((body as u64) << 32) | sample as u64);
    rng
}

/// One dispersed fall of `body` (the setup's body `body_index`, its separation possibly moved by
/// the sample's dispersed motors).
fn one_sample(
    setup: &MonteCarloSetup<'_>,
    body: &JettisonedBody,
    body_index: usize,
    sample: usize,
    tumbling: &Tumbling,
) -> Result<FallOutcome> {
    let mut rng = sample_rng(setup.seed, body_index, sample);
    let draw = setup.dispersions.draw(&mut rng);
    let start = disperse_start(&FallStart::from(&body.point), &draw);
    let air = Air {
        enabled: true,
        density_factor: draw.density_factor,
        wind: setup.wind,
        wind_scale: draw.wind_scale,
        wind_offset_m_s: draw.wind_offset_m_s,
    };
    let dispersed = Tumbling { cd: tumbling.cd * draw.cd_factor, area_m2: tumbling.area_m2 };
    fall(&start, body.mass_kg, &dispersed, &air, &setup.options)
}

impl BodyImpacts {
    /// The `sigma` ellipse and hull of the body's impacts, `vertices` points each; `None` when
    /// too few came down or they do not spread ([`footprint`]).
    pub fn footprint(&self, sigma: f64, vertices: usize) -> Option<Footprint> {
        let points: Vec<GeoPoint> =
            self.impacts.iter().map(|s| GeoPoint { latitude_deg: s.impact.latitude_deg, longitude_deg: s.impact.longitude_deg }).collect();
        footprint(&points, sigma, vertices)
    }

    /// Mean great-circle distance of the impacts from the pad, km (0 when none came down).
    pub fn mean_downrange_km(&self) -> f64 {
        self.impacts.iter().map(|s| s.downrange_km).sum::<f64>() / self.impacts.len().max(1) as f64
    }
}

/// Run the Monte Carlo on the current rayon pool. `progress(done, total)` is called from the
/// workers after every sample; `cancel` stops the run between samples with
/// [`Error::Interrupted`].
///
/// ```
/// use std::sync::atomic::AtomicBool;
///
/// use cosmodrome::dropzone::{run_monte_carlo, Dispersions, FallOptions, MonteCarloSetup};
/// use cosmodrome::flight::{FlightOptions, FlightSetup, Launch};
/// use cosmodrome::guidance::{fly_default_ascent, launch_azimuth, Branch};
/// use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
///
/// // The spent stages of a Soyuz-2.1b ascent from Vostochny, 20 dispersed falls each.
/// let (vehicle, _warnings) = resolve_vehicle("soyuz-2.1b")?;
/// let sites = SiteCatalog::builtin()?;
/// let vostochny = sites.get("vostochny")?;
/// let azimuth = launch_azimuth(vostochny.latitude_deg, vostochny.default_inclination_deg(), 200e3, Branch::Northbound)?;
/// let launch = Launch::from_site(vostochny, azimuth.azimuth_deg);
/// let flight = fly_default_ascent(&FlightSetup { vehicle: &vehicle, payload_kg: 7000.0, launch, options: FlightOptions::default() })?;
/// let setup = MonteCarloSetup {
///     vehicle: &vehicle,
///     launch,
///     bodies: &flight.jettisoned,
///     dispersions: Dispersions::default(),
///     wind: None,
///     options: FallOptions::default(),
///     ascent: None,
///     samples: 20,
///     seed: 7,
/// };
/// let bodies = run_monte_carlo(&setup, &|_done, _total| {}, &AtomicBool::new(false))?;
/// assert_eq!(bodies.len(), flight.jettisoned.len());
/// // Boosters, fairing and core all come down, the boosters nearest to the pad.
/// let mean_downrange_km = |i: usize| bodies[i].impacts.iter().map(|s| s.downrange_km).sum::<f64>() / 20.0;
/// assert!(bodies.iter().all(|body| body.impacts.len() == 20 && body.not_down == 0));
/// assert!(bodies[0].name.starts_with("Boosters") && mean_downrange_km(0) < mean_downrange_km(2));
/// // A seed gives the same impacts again, on any number of threads.
/// assert_eq!(run_monte_carlo(&setup, &|_, _| {}, &AtomicBool::new(false))?, bodies);
/// # Ok::<(), cosmodrome::Error>(())
/// ```
pub fn run_monte_carlo(
    setup: &MonteCarloSetup<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<BodyImpacts>> {
    if setup.samples == 0 || setup.samples > MAX_SAMPLES {
        return Err(Error::invalid("samples", format!("must be within 1 to {MAX_SAMPLES}, got {}", setup.samples)));
    }
    let tumbling: Vec<Tumbling> = setup.bodies.iter().map(|b| body_tumbling(setup.vehicle, b)).collect();
    let reference = motor_reference(setup)?;
    let total = setup.bodies.len() * setup.samples;
    let done = AtomicUsize::new(0);
    // An error (or the cancellation) in any sample ends the collection early.
    let per_sample: Vec<Vec<FallOutcome>> = (0..setup.samples)
        .into_par_iter()
        .map(|k| {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            let shifted = reference.as_deref().map(|r| motor_dispersed_bodies(setup, r, k)).transpose()?;
            let bodies = shifted.as_deref().unwrap_or(setup.bodies);
            bodies
                .iter()
                .enumerate()
                .map(|(b, body)| {
                    let outcome = one_sample(setup, body, b, k, &tumbling[b])?;
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                    Ok(outcome)
                })
                .collect()
        })
        .collect::<Result<_>>()?;
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Interrupted);
    }
    let results = setup
        .bodies
        .iter()
        .enumerate()
        .map(|(b, body)| {
            let impacts: Vec<SampleImpact> = per_sample
                .iter()
                .map(|outcomes| &outcomes[b])
                .enumerate()
                .filter_map(|(sample, o)| {
                    o.impact().map(|&impact| SampleImpact {
                        sample,
                        impact,
                        downrange_km: downrange_m(&setup.launch, impact.latitude_deg, impact.longitude_deg) / 1e3,
                    })
                })
                .collect();
            BodyImpacts {
                name: body.name.clone(),
                stage: body.stage,
                tumbling: tumbling[b],
                not_down: setup.samples - impacts.len(),
                impacts,
            }
        })
        .collect();
    Ok(results)
}

/// The samples `first..end` of every body of the run `setup` (whose `samples` is the whole run's
/// count): each sample draws from its own stream, so the chunks of a run split over processes or
/// machines hold exactly the impacts of the run made at once. `not_down` counts the chunk's.
pub fn run_monte_carlo_chunk(setup: &MonteCarloSetup<'_>, first: usize, end: usize) -> Result<Vec<BodyImpacts>> {
    if setup.samples == 0 || setup.samples > MAX_SAMPLES || first >= end || end > setup.samples {
        return Err(Error::invalid(
            "samples",
            format!("a chunk {first}..{end} within a run of 1 to {MAX_SAMPLES} samples, got {}", setup.samples),
        ));
    }
    let tumbling: Vec<Tumbling> = setup.bodies.iter().map(|b| body_tumbling(setup.vehicle, b)).collect();
    let reference = motor_reference(setup)?;
    let per_sample: Vec<Vec<FallOutcome>> = (first..end)
        .into_par_iter()
        .map(|k| {
            let shifted = reference.as_deref().map(|r| motor_dispersed_bodies(setup, r, k)).transpose()?;
            let bodies = shifted.as_deref().unwrap_or(setup.bodies);
            bodies.iter().enumerate().map(|(b, body)| one_sample(setup, body, b, k, &tumbling[b])).collect()
        })
        .collect::<Result<_>>()?;
    Ok(setup
        .bodies
        .iter()
        .enumerate()
        .map(|(b, body)| {
            let impacts: Vec<SampleImpact> = per_sample
                .iter()
                .map(|outcomes| &outcomes[b])
                .zip(first..end)
                .filter_map(|(o, sample)| {
                    o.impact().map(|&impact| SampleImpact {
                        sample,
                        impact,
                        downrange_km: downrange_m(&setup.launch, impact.latitude_deg, impact.longitude_deg) / 1e3,
                    })
                })
                .collect();
            BodyImpacts {
                name: body.name.clone(),
                stage: body.stage,
                tumbling: tumbling[b],
                not_down: (end - first) - impacts.len(),
                impacts,
            }
        })
        .collect())
}
