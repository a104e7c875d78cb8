//! Long computations as jobs: `POST /api/jobs/dropzones` and `POST /api/jobs/sweep` answer 202
//! with the job at once; the job reports its progress (`GET /api/jobs/{id}`, or as server-sent events from
//! `/api/jobs/{id}/events`) and can be cancelled (`DELETE /api/jobs/{id}`): the computation
//! stops within one flight or one dispersed fall and frees its core.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::StatusCode;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;

/// Jobs queued or running at once; more get 503.
pub const MAX_ACTIVE_JOBS: usize = 8;
/// Jobs remembered (finished ones go first, oldest first).
pub const KEPT_JOBS: usize = 32;

/// Where a job is.
#[derive(Debug, Clone)]
enum Phase {
    /// Waiting for a free core.
    Queued,
    /// Flying (optimizing) the ascent.
    Ascent,
    /// The Monte Carlo of the falls.
    Falls,
    /// The points of a payload sweep.
    Sweep,
    /// Finished with its answer.
    Done(Value),
    /// Finished with an error (a bad input found late, the time budget: 408).
    Failed(u16, Value),
    /// Cancelled by `DELETE`.
    Cancelled,
}

/// A job.
#[derive(Debug)]
pub struct Job {
    /// Job id.
    pub id: String,
    /// What it computes (`dropzones`, `sweep`).
    pub kind: &'static str,
    /// Set to stop the computation.
    pub cancel: Arc<AtomicBool>,
    flights: AtomicUsize,
    done: AtomicUsize,
    total: AtomicUsize,
    phase: Mutex<Phase>,
    started: Instant,
    /// Seconds from acceptance to the end, once finished: a finished job's clock stops.
    ended_s: std::sync::OnceLock<f64>,
}

/// `GET /api/jobs/{id}`: a job's state and progress.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct JobStatus {
    /// Job id.
    pub id: String,
    /// What it computes.
    pub kind: String,
    /// `queued`, `ascent` (flying the ascent), `falls` (the Monte Carlo), `sweep` (the points of
    /// a payload sweep), `done`, `failed`, `cancelled`.
    pub state: String,
    /// Flights flown so far (of the ascent; of every point of a sweep).
    pub flights: usize,
    /// Dispersed falls (of a sweep: points) computed so far.
    pub done: usize,
    /// Dispersed falls in all (0 until the Monte Carlo starts); of a sweep, its points.
    pub total: usize,
    /// Seconds since the job was accepted; once it has finished, from acceptance to its end.
    pub elapsed_s: f64,
    /// `done`: the answer (`{report, run}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// `failed`: the error, as an error answer of the API, with its HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    /// `failed`: the HTTP status the error would have had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

impl JobStatus {
    /// Done, failed or cancelled.
    pub fn finished(&self) -> bool {
        matches!(self.state.as_str(), "done" | "failed" | "cancelled")
    }

    /// What changes when the job moves on (not the clock).
    pub fn progress_key(&self) -> (String, usize, usize, usize) {
        (self.state.clone(), self.flights, self.done, self.total)
    }
}

impl Job {
    fn lock(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Its state now.
    pub fn status(&self) -> JobStatus {
        let phase = self.lock().clone();
        let (state, result, error, status) = match phase {
            Phase::Queued => ("queued", None, None, None),
            Phase::Ascent => ("ascent", None, None, None),
            Phase::Falls => ("falls", None, None, None),
            Phase::Sweep => ("sweep", None, None, None),
            Phase::Done(v) => ("done", Some(v), None, None),
            Phase::Failed(s, e) => ("failed", None, Some(e), Some(s)),
            Phase::Cancelled => ("cancelled", None, None, None),
        };
        JobStatus {
            id: self.id.clone(),
            kind: self.kind.to_owned(),
            state: state.to_owned(),
            flights: self.flights.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            elapsed_s: self.ended_s.get().copied().unwrap_or_else(|| self.elapsed_s()),
            result,
            error,
            status,
        }
    }

    /// Seconds since acceptance, to the ms.
    fn elapsed_s(&self) -> f64 {
        (self.started.elapsed().as_secs_f64() * 1e3).round() / 1e3
    }

    /// Finished.
    pub fn finished(&self) -> bool {
        matches!(*self.lock(), Phase::Done(_) | Phase::Failed(..) | Phase::Cancelled)
    }

    /// The ascent is being flown.
    pub fn start_ascent(&self) {
        *self.lock() = Phase::Ascent;
    }

    /// `n` flights of the ascent flown.
    pub fn flights_flown(&self, n: usize) {
        self.flights.store(n, Ordering::Relaxed);
    }

    /// `done` of `total` dispersed falls computed.
    pub fn falls(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.fetch_max(done, Ordering::Relaxed);
        let mut phase = self.lock();
        if matches!(*phase, Phase::Ascent) {
            *phase = Phase::Falls;
        }
    }

    /// A sweep of `total` points is being computed.
    pub fn start_sweep(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        *self.lock() = Phase::Sweep;
    }

    /// `done` points of the sweep computed.
    pub fn points(&self, done: usize) {
        self.done.fetch_max(done, Ordering::Relaxed);
    }

    /// One more flight flown (the flights of a sweep's points, counted together).
    pub fn flight(&self) {
        self.flights.fetch_add(1, Ordering::Relaxed);
    }

    /// The end: its answer, its error, or cancelled when the error is the cancellation asked for.
    pub fn finish(&self, outcome: Result<Value, ApiError>, cancelled_by_request: bool) {
        let mut phase = self.lock();
        let _ = self.ended_s.set(self.elapsed_s());
        *phase = match outcome {
            Ok(v) => Phase::Done(v),
            Err(_) if cancelled_by_request => Phase::Cancelled,
            Err(e) => Phase::Failed(e.status.as_u16(), serde_json::to_value(&e).unwrap_or(Value::Null)),
        };
    }
}

/// The jobs.
#[derive(Debug, Default)]
pub struct Jobs {
    kept: Mutex<VecDeque<Arc<Job>>>,
    next: AtomicU64,
}

impl Jobs {
    /// A new queued job, or 503 when [`MAX_ACTIVE_JOBS`] are queued or running.
    pub fn create(&self, kind: &'static str) -> Result<Arc<Job>, ApiError> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.iter().filter(|j| !j.finished()).count() >= MAX_ACTIVE_JOBS {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                format!("{MAX_ACTIVE_JOBS} jobs are queued or running; try again later or cancel one"),
            ));
        }
        let job = Arc::new(Job {
            id: format!("j{}", self.next.fetch_add(1, Ordering::Relaxed) + 1),
            kind,
            cancel: Arc::new(AtomicBool::new(false)),
            flights: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            phase: Mutex::new(Phase::Queued),
            ended_s: std::sync::OnceLock::new(),
            started: Instant::now(),
        });
        kept.push_back(job.clone());
        while kept.len() > KEPT_JOBS {
            let Some(oldest) = kept.iter().position(|j| j.finished()) else { break };
            kept.remove(oldest);
        }
        Ok(job)
    }

    /// Cancel every job that has not finished (at shutdown).
    pub fn cancel_all(&self) {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        for job in kept.iter().filter(|j| !j.finished()) {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// A job, or 404.
    pub fn get(&self, id: &str) -> Result<Arc<Job>, ApiError> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter()
            .find(|j| j.id == id)
            .cloned()
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, None, format!("no job `{id}` (the last {KEPT_JOBS} are kept)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Queued, the ascent, the falls, the end; once finished, its time stands still.
    #[test]
    fn a_job_moves_from_queued_through_its_phases_to_its_end() {
        let jobs = Jobs::default();
        let job = jobs.create("dropzones").unwrap();
        assert_eq!(job.status().state, "queued");
        job.start_ascent();
        job.flights_flown(3);
        assert_eq!((job.status().state.as_str(), job.status().flights), ("ascent", 3));
        job.falls(5, 40);
        job.falls(4, 40); // workers report out of order: the count never goes back
        let s = job.status();
        assert_eq!((s.state.as_str(), s.done, s.total), ("falls", 5, 40));
        job.finish(Err(ApiError::new(StatusCode::REQUEST_TIMEOUT, None, "late")), false);
        let s = job.status();
        assert_eq!((s.state.as_str(), s.status), ("failed", Some(408)));
        assert!(s.finished());
        // A finished job's clock has stopped.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(job.status().elapsed_s, s.elapsed_s);
        assert_eq!(jobs.get(&job.id).unwrap().id, job.id);
        assert_eq!(jobs.get("j999").unwrap_err().status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn more_active_jobs_than_allowed_get_503_and_finished_ones_make_room() {
        let jobs = Jobs::default();
        let active: Vec<_> = (0..MAX_ACTIVE_JOBS).map(|_| jobs.create("dropzones").unwrap()).collect();
        assert_eq!(jobs.create("dropzones").unwrap_err().status, StatusCode::SERVICE_UNAVAILABLE);
        active[0].finish(Err(ApiError::new(StatusCode::REQUEST_TIMEOUT, None, "x")), true);
        assert_eq!(active[0].status().state, "cancelled");
        assert!(jobs.create("dropzones").is_ok());
    }
}
