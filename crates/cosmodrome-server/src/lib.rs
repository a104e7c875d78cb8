//! `cosmodrome serve`: the toolkit over HTTP. A JSON API that answers with the core's mission
//! reports (the objects of the CLI's `--json`), and one page embedded in the binary that uses
//! it offline. Loopback by default; every request is logged to stderr.
//!
//! Limits: request bodies over [`Limits::max_body_bytes`] get 413; at most
//! [`Limits::max_concurrent`] computations run at once (others wait up to
//! [`Limits::queue_timeout`], then get 503), each within [`Limits::request_timeout`] (then 408).
//! A computation past its budget is stopped (at its next flight or fall), not left running.
//! A panic in a computation becomes a 500 JSON error; the server goes on.
//!
//! The computations run on the server's own rayon pool of [`Limits::compute_threads`] threads
//! (`cosmodrome-compute-N`; the cores by default), not on rayon's global one: a computation's
//! sequential part holds one of its threads, and its parallel work (the trade factors'
//! re-optimizations, the drop zones' Monte Carlo) runs on the pool's threads, shared with every
//! other computation. However many requests run at once, the computations keep that many cores
//! busy at most; a parallel request alone has them all. (A pool thread waiting for its parallel
//! work may meanwhile run another computation's: that one's answer is not delayed, this one's
//! may be.)
//!
//! Long computations (the drop zones' Monte Carlo) also run as jobs ([`jobs`]) with progress and
//! cancellation; a run's output files are kept in memory for download ([`runs`]).

// An error answer is built once per failed request and turned into JSON at once: its size on the
// return path costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod error;
pub mod jobs;
pub mod openapi;
pub mod runs;
pub mod sweep;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cosmodrome::mission::ErrorKind;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::api::{Answer, Extras};
use crate::error::ApiError;
use crate::jobs::{JobStatus, Jobs};
use crate::runs::Runs;

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// Computations at once (the cores).
    pub max_concurrent: usize,
    /// Threads of the server's compute pool, which every computation and its parallel work
    /// share (the cores): the bound on the cores the computations use together.
    pub compute_threads: usize,
    /// How long a request waits for a free core before 503.
    pub queue_timeout: Duration,
    /// How long a computation may take before 408.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_body_bytes: 1 << 20,
            max_concurrent: cores,
            compute_threads: cores,
            queue_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(300),
        }
    }
}

#[derive(Clone)]
struct AppState {
    limits: Limits,
    cores: Arc<Semaphore>,
    /// The threads every computation runs on, its parallel work included.
    pool: Arc<rayon::ThreadPool>,
    runs: Arc<Runs>,
    jobs: Arc<Jobs>,
}

/// The name of the compute pool's threads, `cosmodrome-compute-N`.
const COMPUTE_THREAD_PREFIX: &str = "cosmodrome-compute-";

impl AppState {
    fn new(limits: Limits) -> std::io::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(limits.compute_threads.max(1))
            .thread_name(|i| format!("{COMPUTE_THREAD_PREFIX}{i}"))
            .build()
            .map_err(|e| std::io::Error::other(format!("cannot start the compute pool: {e}")))?;
        Ok(AppState {
            limits,
            cores: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
            pool: Arc::new(pool),
            runs: Arc::new(Runs::default()),
            jobs: Arc::new(Jobs::default()),
        })
    }
}

/// The page and its script, compiled in.
const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");

/// The routes of the API and the page (an error: the compute pool's threads cannot start).
pub fn router(limits: Limits) -> std::io::Result<Router> {
    Ok(router_and_jobs(limits)?.0)
}

/// The routes, and the jobs they start (cancelled at shutdown).
fn router_and_jobs(limits: Limits) -> std::io::Result<(Router, Arc<Jobs>)> {
    let state = AppState::new(limits)?;
    let jobs = state.jobs.clone();
    let router = Router::new()
        .route("/", get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX_HTML) }))
        .route("/app.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], APP_JS) }))
        .route("/style.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE_CSS) }))
        .route("/api/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/api/vehicles", get(|| async { api::vehicles().map(Json) }))
        .route("/api/vehicles/{id}", get(|Path(id): Path<String>| async move { api::info(&id).map(Json) }))
        .route("/api/vehicles/{id}/toml", get(|Path(id): Path<String>| async move { vehicle_file(&id) }))
        .route("/api/sites", get(|| async { api::sites().map(Json) }))
        .route("/api/coastline", get(|| async { Json(cosmodrome_io::coastline::coastlines()) }))
        .route("/api/info", post(info))
        .route("/api/payload", post(payload))
        .route("/api/fly", post(fly))
        .route("/api/dropzones", post(dropzones))
        .route("/api/propellant", post(propellant))
        .route("/api/validate", get(validate))
        .route("/api/transfer", post(transfer))
        .route("/api/dropzone-sets", get(|| async { api::dropzone_sets().map(Json) }))
        .route("/api/jobs/dropzones", post(start_dropzones_job))
        .route("/api/jobs/sweep", post(start_sweep_job))
        .route("/api/jobs/{id}", get(job_status).delete(cancel_job))
        .route("/api/jobs/{id}/cancel", post(cancel_job))
        .route("/api/jobs/{id}/events", get(job_events))
        .route("/api/runs/{id}", get(run_listing))
        .route("/api/runs/{id}/files/{name}", get(run_file))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, None, "no such page or API path (see /api/openapi.json)") })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(middleware::from_fn(log_request))
        .with_state(state);
    Ok((router, jobs))
}

/// A catalog vehicle's file, as text for the page's editor.
fn vehicle_file(id: &str) -> Result<Response, ApiError> {
    let text = cosmodrome::vehicle::catalog_vehicle(id).ok_or_else(|| ApiError::core(cosmodrome::vehicle::unknown_vehicle(id)))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// One line per request on stderr: method, path, status, milliseconds.
async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let start = Instant::now();
    let response = next.run(request).await;
    eprintln!("{method} {path} {} {:.1} ms", response.status().as_u16(), start.elapsed().as_secs_f64() * 1e3);
    response
}

/// A request body parsed as `T`: 415 unless it is declared JSON, 413 past the size limit, 400
/// naming the member at fault. Requiring `content-type: application/json` keeps other web
/// sites from posting to the API through a visitor's browser: such a request needs a CORS
/// preflight, which this server never grants.
fn parse_json<T: api::Body>(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            "send the request body as JSON with `content-type: application/json`",
        ));
    }
    parse_body(body)
}

/// A request body parsed as `T`: 413 past the size limit, 400 naming the member at fault.
fn parse_body<T: api::Body>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| ApiError::new(e.status(), None, e.body_text()))?;
    let error = match parse_path::<T>(&bytes) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    let at_top = |e: &serde_path_to_error::Error<serde_json::Error>| matches!(e.path().to_string().as_str(), "." | "");
    // An error without a member may lie in the flattened part, which serde reads from a
    // buffer: parsed alone, its member and line are named.
    let error = match parse_path::<T::Flattened>(&bytes) {
        Err(flat) if at_top(&error) && !at_top(&flat) => flat,
        _ => error,
    };
    let path = error.path().to_string();
    let mut message = cosmodrome::error::plain_value_kinds(&error.into_inner().to_string());
    let field = if path == "." || path.is_empty() { field_in_message(&message) } else { Some(path) };
    // Serde lists the accepted members of a body without a flattened part only.
    if let (true, Some(name)) = (message.starts_with("unknown field `") && !message.contains("expected"), &field) {
        let at = "unknown field ``".len() + name.len();
        message.insert_str(at, &format!(", expected one of {}", members::<T>()));
    }
    // A body that does not parse is refused as the command line refuses flags it cannot parse.
    Err(ApiError::new(StatusCode::BAD_REQUEST, field.as_deref(), format!("invalid request body: {message}")).with_kind(ErrorKind::Usage))
}

/// `T` parsed from JSON, the path of the member at fault kept.
fn parse_path<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(bytes))
}

/// The members of body `T`, from its JSON schema (the OpenAPI document's): `` `a`, `b` ``.
fn members<T: schemars::JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let names = schema.get("properties").and_then(|p| p.as_object()).map(|p| p.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>());
    names.unwrap_or_default().join(", ")
}

/// The member a serde message names (`missing field `payload_kg``, `unknown field `x``).
fn field_in_message(message: &str) -> Option<String> {
    let rest = message.split_once("field `")?.1;
    Some(rest.split_once('`')?.0.to_owned())
}

/// A free core within the queue's patience, or 503.
async fn core(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    tokio::time::timeout(state.limits.queue_timeout, state.cores.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, None, "every core is busy; try again later"))?
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, None, "the server is shutting down"))
}

/// The answer of a computation that was cancelled: 408 past the time budget.
fn timed_out(limits: &Limits) -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        None,
        format!("the computation took longer than {} s and was stopped", limits.request_timeout.as_secs_f64()),
    )
}

/// The result of a blocking computation's task: a panic becomes a 500, the unwind of a
/// cancellation ([`api::Cancelled`]) the core's "interrupted".
fn joined<T>(result: Result<Result<T, ApiError>, tokio::task::JoinError>) -> Result<T, ApiError> {
    let join = match result {
        Ok(r) => return r,
        Err(join) => join,
    };
    if join.is_panic() && join.into_panic().is::<api::Cancelled>() {
        return Err(ApiError::core(cosmodrome::Error::Interrupted));
    }
    Err(ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        "internal error: the computation panicked (a bug; please report the request)",
    ))
}

/// Run `work` on the compute pool, from a blocking thread that waits for it, holding `permit`
/// until it ends: its rayon work (`par_iter`) runs on the pool too, never on rayon's global pool.
fn on_pool<T: Send + 'static>(
    state: &AppState,
    permit: tokio::sync::OwnedSemaphorePermit,
    work: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let pool = state.pool.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        pool.install(work)
    })
}

/// Run `work` on the compute pool once a core is free, within the time budget: past it, the
/// cancellation flag `work` is given is set (the computation stops at its next flight or fall,
/// and only then frees its core) and the request gets 408.
async fn compute_value<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AtomicBool) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let limits = state.limits;
    let permit = core(state).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let task = on_pool(state, permit, move || work(&flag));
    match tokio::time::timeout(limits.request_timeout, task).await {
        Ok(result) => joined(result),
        Err(_) => {
            cancel.store(true, Ordering::Relaxed);
            Err(timed_out(&limits))
        }
    }
}

/// [`compute_value`] answered as JSON.
async fn compute<T: Serialize + Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&AtomicBool) -> Result<T, ApiError> + Send + 'static,
) -> Result<Json<T>, ApiError> {
    compute_value(state, work).await.map(Json)
}

/// An answer with its run kept for download, the run's link put into it.
fn keep_run(state: &AppState, (mut answer, inputs): Answer) -> serde_json::Value {
    if let Some(inputs) = inputs {
        let link = state.runs.insert(inputs);
        answer["run"] = serde_json::to_value(link).unwrap_or_default();
    }
    answer
}

/// The query of a computation (`?trajectory=true&files=true`): refused as a JSON error naming
/// the parameter, as a body is, not as axum's plain-text rejection.
fn extras(query: Result<Query<Extras>, QueryRejection>) -> Result<Extras, ApiError> {
    query.map(|Query(q)| q).map_err(|rejection| {
        let text = rejection.body_text();
        let why = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
        let field = ["trajectory", "files"].into_iter().find(|f| why.starts_with(&format!("{f}:"))).unwrap_or("query");
        ApiError::usage(field, format!("invalid query string: {why}"))
    })
}

async fn info(State(s): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let b: api::InfoBody = parse_json(&headers, body)?;
    Ok(compute(&s, move |_| api::info_of(&b)).await?.into_response())
}

async fn payload(
    State(s): State<AppState>,
    q: Result<Query<Extras>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (b, q): (api::PayloadBody, _) = (parse_json(&headers, body)?, extras(q)?);
    let answer = compute_value(&s, move |cancel| api::payload(&b, q, cancel)).await?;
    Ok(Json(keep_run(&s, answer)).into_response())
}

async fn fly(
    State(s): State<AppState>,
    q: Result<Query<Extras>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (b, q): (api::FlyBody, _) = (parse_json(&headers, body)?, extras(q)?);
    let answer = compute_value(&s, move |cancel| api::fly(&b, q, cancel)).await?;
    Ok(Json(keep_run(&s, answer)).into_response())
}

async fn dropzones(
    State(s): State<AppState>,
    q: Result<Query<Extras>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (b, q): (api::DropzonesBody, _) = (parse_json(&headers, body)?, extras(q)?);
    let input = api::dropzones_input(&b)?;
    let answer = compute_value(&s, move |cancel| {
        let progress = api::Progress { flights: &|_| {}, falls: &|_, _| {}, cancel };
        api::dropzones(&input, q.files, &progress)
    })
    .await?;
    Ok(Json(keep_run(&s, answer)).into_response())
}

/// `POST /api/transfer`: `cosmodrome payload --orbit NAME --json`.
async fn transfer(State(s): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let b: api::TransferBody = parse_json(&headers, body)?;
    Ok(compute(&s, move |cancel| api::transfer(&b, cancel)).await?.into_response())
}

async fn propellant(State(s): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let b: api::PropellantBody = parse_json(&headers, body)?;
    Ok(compute(&s, move |_| api::propellant(&b)).await?.into_response())
}

async fn validate(State(s): State<AppState>) -> Result<Response, ApiError> {
    Ok(compute(&s, |_| api::validate()).await?.into_response())
}

/// `POST /api/jobs/dropzones`: the request is checked at once (400/404 as `POST /api/dropzones`),
/// then runs as a job: 202 with its status and `Location`. The job waits for a core like a
/// request; its run's files are kept for download.
async fn start_dropzones_job(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let b: api::DropzonesBody = parse_json(&headers, body)?;
    let input = api::dropzones_input(&b)?;
    let job = s.jobs.create("dropzones")?;
    let state = s.clone();
    Ok(spawn_job(&s, job, move |j| {
        j.start_ascent();
        let progress = api::Progress { flights: &|n| j.flights_flown(n), falls: &|d, t| j.falls(d, t), cancel: &j.cancel };
        api::dropzones(&input, true, &progress).map(|answer| keep_run(&state, answer))
    }))
}

/// `POST /api/jobs/sweep`: the payload sweep as a job (202 at once, as the drop-zone job); its
/// answer is `{report, csv, chart_svg}`.
async fn start_sweep_job(State(s): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    let b: sweep::SweepBody = parse_json(&headers, body)?;
    let input = sweep::sweep_input(b)?;
    let job = s.jobs.create("sweep")?;
    Ok(spawn_job(&s, job, move |j| {
        j.start_sweep(input.points());
        let answer = sweep::sweep(&input, &|done, _| j.points(done), &|| j.flight(), &j.cancel)?;
        serde_json::to_value(answer).map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, None, e.to_string()))
    }))
}

/// Run `work` as `job` on the compute pool once a core is free (cancelled while it waits, it
/// never starts), within the time budget: past it, the job is cancelled (the work stops at its
/// next flight or fall) and fails with 408, as a request would. Answers 202 with the job.
fn spawn_job(
    s: &AppState,
    job: Arc<jobs::Job>,
    work: impl FnOnce(&jobs::Job) -> Result<serde_json::Value, ApiError> + Send + 'static,
) -> Response {
    let status = job.status();
    let state = s.clone();
    tokio::spawn(async move {
        let limits = state.limits;
        let permit = tokio::select! {
            p = core(&state) => p,
            () = wait_for(&job.cancel) => Err(ApiError::core(cosmodrome::Error::Interrupted)),
        };
        let permit = match permit {
            Ok(p) => p,
            Err(e) => {
                let by_request = job.cancel.load(Ordering::Relaxed);
                return job.finish(Err(e), by_request);
            }
        };
        let worker = job.clone();
        let task = on_pool(&state, permit, move || work(&worker));
        let timed_out_flag = Arc::new(AtomicBool::new(false));
        let watchdog = {
            let (cancel, flag) = (job.cancel.clone(), timed_out_flag.clone());
            tokio::spawn(async move {
                tokio::time::sleep(limits.request_timeout).await;
                flag.store(true, Ordering::Relaxed);
                cancel.store(true, Ordering::Relaxed);
            })
        };
        let result = joined(task.await);
        watchdog.abort();
        let late = timed_out_flag.load(Ordering::Relaxed);
        let result = match result {
            Err(e) if late && e.status == StatusCode::REQUEST_TIMEOUT => Err(timed_out(&limits)),
            other => other,
        };
        let by_request = !late && job.cancel.load(Ordering::Relaxed) && result.is_err();
        job.finish(result, by_request);
    });
    let location = format!("/api/jobs/{}", status.id);
    (StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(status)).into_response()
}

/// Completes once `flag` is set (checked every 50 ms).
async fn wait_for(flag: &AtomicBool) {
    while !flag.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `GET /api/jobs/{id}`.
async fn job_status(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<JobStatus>, ApiError> {
    Ok(Json(s.jobs.get(&id)?.status()))
}

/// `DELETE /api/jobs/{id}` (or `POST /api/jobs/{id}/cancel`): stop the job; answers its status,
/// `cancelled` once the computation has stopped (at most one flight or fall later).
async fn cancel_job(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<JobStatus>, ApiError> {
    let job = s.jobs.get(&id)?;
    if !job.finished() {
        job.cancel.store(true, Ordering::Relaxed);
        // Wait a little for the stop, so that the answer usually says so.
        for _ in 0..40 {
            if job.finished() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
    Ok(Json(job.status()))
}

/// `GET /api/jobs/{id}/events`: server-sent events, `progress` whenever the job moves on (at
/// most ten a second), then one `end` with its final status.
async fn job_events(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>>, ApiError> {
    let job = s.jobs.get(&id)?;
    let stream = futures_util::stream::unfold((job, None, false), |(job, last, ended)| async move {
        if ended {
            return None;
        }
        loop {
            let status = job.status();
            let key = status.progress_key();
            let finished = status.finished();
            if finished || last.as_ref() != Some(&key) {
                let event = Event::default().event(if finished { "end" } else { "progress" }).json_data(&status).unwrap_or_default();
                return Some((Ok(event), (job, Some(key), finished)));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// `GET /api/runs/{id}`: the files of a run (formatted on the first request, on a core).
async fn run_listing(State(s): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let run = s.runs.get(&id)?;
    Ok(compute(&s, move |_| run.listing(&id)).await?.into_response())
}

/// `GET /api/runs/{id}/files/{name}`: one file of a run, as an attachment.
async fn run_file(State(s): State<AppState>, Path((id, name)): Path<(String, String)>) -> Result<Response, ApiError> {
    let run = s.runs.get(&id)?;
    let wanted = name.clone();
    let bytes = compute_value(&s, move |_| {
        let files = run.files()?;
        files.iter().find(|(n, _)| *n == wanted).map(|(_, b)| b.clone()).ok_or_else(|| {
            let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            ApiError {
                known: Some(names.iter().map(|n| (*n).to_owned()).collect()),
                ..ApiError::new(StatusCode::NOT_FOUND, None, format!("run {id} has no file `{wanted}`; it has {}", names.join(", ")))
            }
        })
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, runs::media_type(&name).to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// Serve on a bound listener until `shutdown` completes: in-flight requests are finished, jobs
/// are cancelled (so that their event streams end).
pub async fn serve_on(
    listener: std::net::TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (router, jobs) = router_and_jobs(limits)?;
    let shutdown = async move {
        shutdown.await;
        jobs.cancel_all();
    };
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("shutting down");
}

/// `cosmodrome serve`: bind `host:port` and serve until Ctrl-C or SIGTERM.
pub fn serve(host: &str, port: u16) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind((host, port))
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {host}:{port}: {e} (--host, --port)")))?;
    let addr: SocketAddr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!("warning: serving on {addr}, reachable from other machines; the API has no authentication");
    }
    eprintln!("cosmodrome serve: http://{addr}/ (Ctrl-C to stop)");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(serve_on(listener, Limits::default(), shutdown_signal()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(field_in_message("missing field `payload_kg` at line 1 column 24").as_deref(), Some("payload_kg"));
        assert_eq!(field_in_message("unknown field `inclination`, expected one of `vehicle`").as_deref(), Some("inclination"));
        assert_eq!(field_in_message("EOF while parsing an object at line 1 column 26"), None);
    }

    #[test]
    fn a_body_is_parsed_with_the_member_at_fault_named() {
        let ok: api::PayloadBody = parse_body(Ok(Bytes::from_static(br#"{"vehicle":"soyuz-2.1b"}"#))).unwrap();
        assert_eq!((ok.target.site.as_str(), ok.target.perigee_km.0, ok.target.southbound), ("vostochny", 200.0, false));
        let err = parse_body::<api::PayloadBody>(Ok(Bytes::from_static(br#"{"vehicle":"x","apogee_km":[1]}"#))).unwrap_err();
        assert_eq!((err.status, err.field.as_deref()), (StatusCode::BAD_REQUEST, Some("apogee_km")));
    }

    fn parse<T: api::Body>(json: &str) -> Result<T, ApiError> {
        parse_body(Ok(Bytes::copy_from_slice(json.as_bytes())))
    }

    /// The bodies of the missions share one flattened part (`TargetBody`) and parse as before:
    /// the shared members at the top level, their defaults per body (`perigee_km` 200 km
    /// without a named orbit, absent with one), `null` still refused where a number is.
    #[test]
    fn the_shared_members_parse_as_before_in_every_body() {
        let full =
            r#""vehicle":"soyuz-2.1b","site":"plesetsk","perigee_km":300,"apogee_km":500.5,"inclination_deg":97.5,"southbound":true"#;
        let p: api::PayloadBody = parse(&format!(r#"{{{full},"drop_zones":"soyuz-vostochny","trade_factors":true}}"#)).unwrap();
        let t = &p.target;
        assert_eq!(
            (t.vehicle.as_deref(), t.site.as_str(), t.perigee_km.0, t.apogee_km, t.inclination_deg, t.southbound),
            (Some("soyuz-2.1b"), "plesetsk", 300.0, Some(500.5), Some(97.5), true)
        );
        assert_eq!((p.drop_zones.as_deref(), p.trade_factors, p.launch_utc), (Some("soyuz-vostochny"), true, None));
        let t: api::TransferBody = parse(&format!(r#"{{{full},"orbit":"gso","c3_km2_s2":1}}"#)).unwrap();
        assert_eq!((t.target.perigee_km, t.target.southbound, t.orbit.as_str(), t.c3_km2_s2), (Some(300.0), true, "gso", Some(1.0)));
        let f: api::FlyBody = parse(&format!(r#"{{{full},"payload_kg":5000,"open_loop":false}}"#)).unwrap();
        assert_eq!((f.target.perigee_km, f.target.inclination_deg, f.payload_kg), (Some(300.0), Some(97.5), Some(5000.0)));
        let d: api::DropzonesBody = parse(&format!(r#"{{{full},"samples":10}}"#)).unwrap();
        assert_eq!((d.target.perigee_km, d.target.site.as_str(), d.samples, d.seed), (Some(300.0), "plesetsk", 10, 1));
        let d: api::DropzonesBody = parse(&format!(r#"{{{full},"orbit":"gto","argument_of_perigee_deg":178}}"#)).unwrap();
        assert_eq!((d.orbit.as_deref(), d.argument_of_perigee_deg, d.c3_km2_s2), (Some("gto"), Some(178.0), None));
        // The defaults.
        let p: api::PayloadBody = parse(r#"{"vehicle_toml":"x"}"#).unwrap();
        let t = &p.target;
        assert_eq!((t.vehicle.as_deref(), t.vehicle_toml.as_deref(), t.site.as_str()), (None, Some("x"), "vostochny"));
        assert_eq!((t.perigee_km.0, t.apogee_km, t.inclination_deg, t.southbound), (200.0, None, None, false));
        let d: api::DropzonesBody = parse(r#"{"vehicle":"soyuz-2.1b"}"#).unwrap();
        assert_eq!((d.target.perigee_km, d.samples, d.orbit), (None, 1000, None));
        let t: api::TransferBody = parse(r#"{"vehicle":"soyuz-2.1b","orbit":"sso","perigee_km":null}"#).unwrap();
        assert_eq!((t.target.perigee_km, t.target.site.as_str()), (None, "vostochny"));
        let f: api::FlyBody = parse(r#"{"vehicle":"soyuz-2.1b","payload_kg":1}"#).unwrap();
        assert_eq!(f.target.perigee_km, None);
        // A number where a number is required, named with its line and column.
        for body in [r#"{"vehicle":"soyuz-2.1b","perigee_km":null}"#, r#"{"vehicle":"soyuz-2.1b","perigee_km":"high"}"#] {
            let e = parse::<api::PayloadBody>(body).unwrap_err();
            assert_eq!((e.status, e.field.as_deref()), (StatusCode::BAD_REQUEST, Some("perigee_km")), "{body}: {}", e.error);
            assert!(e.error.contains("expected a number at line 1 column"), "{}", e.error);
        }
        let e = parse::<api::TransferBody>(r#"{"orbit":"gso","southbound":"yes"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("southbound"), "{}", e.error);
        assert!(e.error.contains("expected a boolean at line 1 column 33"), "{}", e.error);
        // A member of the body's own, as before.
        let e = parse::<api::DropzonesBody>(r#"{"samples":-1}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("samples"), "{}", e.error);
        let e = parse::<api::TransferBody>(r#"{"vehicle":"soyuz-2.1b"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("orbit"), "{}", e.error);
        assert!(e.error.contains("missing field `orbit`"), "{}", e.error);
        let e = parse::<api::PayloadBody>(r#"{"site":"a","site":"b"}"#).unwrap_err();
        assert!(e.error.contains("duplicate field `site`"), "{}", e.error);
    }

    /// An unknown member is refused in every body, flattened or not, named, with the members
    /// the body takes (from its schema, shared ones included) and where it is.
    #[test]
    fn an_unknown_member_is_refused_with_the_members_taken() {
        fn check<T: api::Body>(body: &str, unknown: &str, taken: &[&str]) {
            let Err(e) = parse::<T>(body) else { panic!("{body} parsed") };
            assert_eq!((e.status, e.field.as_deref()), (StatusCode::BAD_REQUEST, Some(unknown)), "{body}: {}", e.error);
            let start = format!("invalid request body: unknown field `{unknown}`, expected one of `");
            assert!(e.error.starts_with(&start) && e.error.contains(" at line 1 column "), "{}", e.error);
            for member in taken {
                assert!(e.error.contains(&format!("`{member}`")), "{member} in {}", e.error);
            }
        }
        let shared = ["vehicle", "vehicle_toml", "site", "perigee_km", "apogee_km", "inclination_deg", "southbound"];
        check::<api::PayloadBody>(r#"{"vehicle":"soyuz-2.1b","perigee":300}"#, "perigee", &[&shared[..], &["trade_factors"]].concat());
        check::<api::TransferBody>(r#"{"orbit":"gso","inclination":0}"#, "inclination", &[&shared[..], &["orbit", "c3_km2_s2"]].concat());
        check::<api::FlyBody>(r#"{"payload_kg":1,"x":1}"#, "x", &[&shared[..], &["open_loop", "payload_kg"]].concat());
        check::<api::DropzonesBody>(r#"{"southbound":true,"sample":5}"#, "sample", &[&shared[..], &["samples", "orbit"]].concat());
        // A body without a flattened part: serde's own message, unchanged.
        check::<api::InfoBody>(r#"{"vehicle":"soyuz-2.1b","site":"x"}"#, "site", &["vehicle", "payload_kg"]);
    }

    /// A multi-threaded runtime, as `serve` runs.
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap()
    }

    /// Every computation, and the parallel work inside it, runs on the server's own pool: three
    /// at once on a pool of two threads see a pool of two, and their work runs on those two
    /// threads and no others (rayon's global pool, or a blocking thread).
    #[test]
    fn computations_and_their_parallel_work_share_the_servers_pool() {
        use rayon::prelude::*;
        let state = AppState::new(Limits { max_concurrent: 3, compute_threads: 2, ..Limits::default() }).unwrap();
        let name = || std::thread::current().name().map(str::to_owned);
        let answers = runtime().block_on(async {
            let tasks: Vec<_> = (0..3)
                .map(|_| {
                    let state = state.clone();
                    tokio::spawn(async move {
                        compute_value(&state, move |_| {
                            let outer = (name(), rayon::current_thread_index(), rayon::current_num_threads());
                            let inner: Vec<_> = (0..256).into_par_iter().with_max_len(1).map(|_| name()).collect();
                            Ok((outer, inner))
                        })
                        .await
                    })
                })
                .collect();
            let mut answers = Vec::new();
            for t in tasks {
                answers.push(t.await.unwrap().unwrap());
            }
            answers
        });
        let mut names = std::collections::BTreeSet::new();
        for ((outer, index, threads), inner) in answers {
            assert!(index.is_some_and(|i| i < 2) && threads == 2, "{outer:?} {index:?} {threads}");
            names.extend(std::iter::once(outer).chain(inner));
        }
        assert!(names.iter().all(|n| n.as_deref().is_some_and(|n| n.starts_with(COMPUTE_THREAD_PREFIX))), "{names:?}");
        assert!(!names.is_empty() && names.len() <= 2, "{names:?}");
    }

    /// A cancellation unwinds out of the pool's parallel work to the request, as out of a
    /// computation on one thread: the core's "interrupted" (408), not a panic's 500; the pool
    /// goes on.
    #[test]
    fn a_cancellation_in_parallel_work_is_the_interruption() {
        use rayon::prelude::*;
        let state = AppState::new(Limits { compute_threads: 2, ..Limits::default() }).unwrap();
        let rt = runtime();
        let err = rt
            .block_on(compute_value(&state, |cancel| {
                cancel.store(true, Ordering::Relaxed);
                (0..64).into_par_iter().for_each(|_| api::stop_if_cancelled(cancel));
                Ok(())
            }))
            .unwrap_err();
        assert_eq!(err.status, StatusCode::REQUEST_TIMEOUT, "{}", err.error);
        let sum: u64 = rt.block_on(compute_value(&state, |_| Ok((1..=100u64).into_par_iter().sum()))).unwrap();
        assert_eq!(sum, 5050);
    }
}
