//! A load test on loopback: `payload` requests at concurrency 8 against one server, with no
//! errors, the same answer every time and bounded memory; prints p50/p99 latency. CI runs 40
//! requests (about 20 s on two cores); `COSMODROME_LOAD_REQUESTS=400` runs the issue's full load.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cosmodrome_server::Limits;

const CONCURRENCY: usize = 8;

/// Resident memory of this process (the server runs in it), bytes; `None` off Linux.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn payload_requests_at_concurrency_8_all_answer_the_same_with_bounded_memory() {
    let requests: usize = std::env::var("COSMODROME_LOAD_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/payload", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(cosmodrome_server::serve_on(listener, Limits::default(), std::future::pending())).unwrap();
    });
    let body = r#"{"vehicle":"soyuz-2.1b","site":"vostochny","inclination_deg":97.5}"#;
    // One request first: the answer every other must give, and the memory after warm-up.
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(600))).build().into();
    let post = move |agent: &ureq::Agent, url: &str| -> Result<serde_json::Value, String> {
        let mut resp = agent.post(url).header("content-type", "application/json").send(body).map_err(|e| e.to_string())?;
        let text = resp.body_mut().read_to_string().map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
    };
    let first = post(&agent, &url).expect("first request");
    let rss_before = rss_bytes();

    let latencies = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|w| {
            let (url, latencies, failures, first) = (url.clone(), latencies.clone(), failures.clone(), first.clone());
            let agent = agent.clone();
            std::thread::spawn(move || {
                for _ in (w..requests).step_by(CONCURRENCY) {
                    let t = Instant::now();
                    match post(&agent, &url) {
                        Ok(answer) if answer == first => latencies.lock().unwrap().push(t.elapsed()),
                        Ok(answer) => failures.lock().unwrap().push(format!("a different answer: {answer}")),
                        Err(e) => failures.lock().unwrap().push(e),
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let wall = start.elapsed();
    let failures = failures.lock().unwrap();
    assert!(failures.is_empty(), "{} of {requests} requests failed, first: {}", failures.len(), failures[0]);
    let mut l = latencies.lock().unwrap().clone();
    l.sort();
    let pct = |p: f64| l[((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1].as_secs_f64() * 1e3;
    let rss_after = rss_bytes();
    println!(
        "{requests} payload requests at concurrency {CONCURRENCY}: p50 {:.0} ms, p99 {:.0} ms, {:.1} requests/s; resident memory {:?} → {:?} MB",
        pct(0.5),
        pct(0.99),
        requests as f64 / wall.as_secs_f64(),
        rss_before.map(|b| b / (1 << 20)),
        rss_after.map(|b| b / (1 << 20)),
    );
    assert_eq!(l.len(), requests);
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        // Eight requests in flight, at most two computing: a leak of even a flight's samples per
        // request would pass this bound long before 400 requests.
        assert!(after < before + (256 << 20), "resident memory grew from {} to {} MB", before >> 20, after >> 20);
    }
}
