//! The closed-loop load driver: `concurrency` workers, each with its own
//! kept-alive connection, send one request, wait for the whole reply, and
//! send the next, until a request count or a time limit is reached.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::http::{Connection, Target};
use crate::stats::{Latency, rate};

/// One request to send.
#[derive(Debug, Clone)]
pub struct Job {
    pub method: Method,
    pub path: String,
    pub body: Option<Bytes>,
}

/// Makes the request with a given index, or `None` when there is no more
/// work (e.g. no free slot left to book).
pub type JobSource = Arc<dyn Fn(u64) -> Option<Job> + Send + Sync>;

/// How much load to apply and what counts as success.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What the run is called in the report.
    pub label: String,
    pub concurrency: usize,
    /// At most this many requests in all.
    pub max_requests: u64,
    /// Stop sending new requests after this long.
    pub max_duration: Duration,
    /// The status a successful request answers with.
    pub expect: StatusCode,
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    Count,
    Time,
    Exhausted,
    /// Workers could not reach the server.
    Unreachable,
}

/// What one run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    pub label: String,
    pub concurrency: usize,
    /// Requests that got an answer or a transport error.
    pub requests: u64,
    /// Requests answered with the expected status.
    pub ok: u64,
    /// Answers with any other status, by status.
    pub other_statuses: BTreeMap<u16, u64>,
    /// Connections refused, reset or closed mid-request.
    pub transport_errors: u64,
    pub elapsed_s: f64,
    /// Successful requests per second: the headline number.
    pub ok_per_s: f64,
    /// Latency of the successful requests only.
    pub latency: Latency,
    pub stopped_by: StopReason,
    /// The first unexpected answer, as the server put it (cut to 300 bytes).
    pub first_failure: Option<String>,
}

struct Shared {
    next: AtomicU64,
    source: JobSource,
    max_requests: u64,
    deadline: Instant,
    expect: StatusCode,
}

#[derive(Default)]
struct Tally {
    requests: u64,
    latencies: Vec<Duration>,
    other: BTreeMap<u16, u64>,
    transport_errors: u64,
    first_failure: Option<String>,
    stopped_by: Option<StopReason>,
}

/// Runs `plan` against `target`. Connections are opened before the clock
/// starts so that the rate measures requests, not TCP handshakes.
pub async fn run(target: &Target, plan: &Plan, source: JobSource) -> anyhow::Result<RunReport> {
    let mut connections = Vec::with_capacity(plan.concurrency);
    for _ in 0..plan.concurrency.max(1) {
        connections.push(Connection::open(target).await?);
    }
    let started = Instant::now();
    let shared = Arc::new(Shared {
        next: AtomicU64::new(0),
        source,
        max_requests: plan.max_requests,
        deadline: started + plan.max_duration,
        expect: plan.expect,
    });
    let workers: Vec<_> = connections
        .into_iter()
        .map(|conn| tokio::spawn(worker(target.clone(), conn, Arc::clone(&shared))))
        .collect();
    let mut tallies = Vec::with_capacity(workers.len());
    for w in workers {
        tallies.push(w.await?);
    }
    let elapsed = started.elapsed();
    Ok(merge(plan, tallies, elapsed))
}

async fn worker(target: Target, conn: Connection, shared: Arc<Shared>) -> Tally {
    let mut tally = Tally::default();
    let mut conn = Some(conn);
    loop {
        if Instant::now() >= shared.deadline {
            tally.stopped_by = Some(StopReason::Time);
            break;
        }
        let index = shared.next.fetch_add(1, Ordering::Relaxed);
        if index >= shared.max_requests {
            tally.stopped_by = Some(StopReason::Count);
            break;
        }
        let Some(job) = (shared.source)(index) else {
            tally.stopped_by = Some(StopReason::Exhausted);
            break;
        };
        let open = match conn.as_mut() {
            Some(c) => c,
            None => match Connection::open(&target).await {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    tally.transport_errors += 1;
                    tally.first_failure.get_or_insert_with(|| format!("{e:#}"));
                    tally.stopped_by = Some(StopReason::Unreachable);
                    break;
                }
            },
        };
        tally.requests += 1;
        let sent = Instant::now();
        match open.send(job.method.clone(), &job.path, job.body).await {
            Ok(reply) if reply.status == shared.expect => tally.latencies.push(sent.elapsed()),
            Ok(reply) => {
                *tally.other.entry(reply.status.as_u16()).or_default() += 1;
                tally.first_failure.get_or_insert_with(|| {
                    let body = String::from_utf8_lossy(&reply.body);
                    let cut: String = body.chars().take(300).collect();
                    format!("{} {} -> {}: {cut}", job.method, job.path, reply.status)
                });
            }
            Err(e) => {
                tally.transport_errors += 1;
                tally.first_failure.get_or_insert_with(|| format!("{e:#}"));
                // The connection may be half-dead; start a fresh one.
                conn = None;
            }
        }
    }
    tally
}

fn merge(plan: &Plan, tallies: Vec<Tally>, elapsed: Duration) -> RunReport {
    let mut latencies = Vec::new();
    let mut other = BTreeMap::new();
    let (mut requests, mut transport_errors) = (0, 0);
    let mut first_failure = None;
    let mut stopped_by = StopReason::Count;
    for t in tallies {
        requests += t.requests;
        transport_errors += t.transport_errors;
        latencies.extend(t.latencies);
        for (status, n) in t.other {
            *other.entry(status).or_default() += n;
        }
        first_failure = first_failure.or(t.first_failure);
        // The most telling reason wins: unreachable, then exhausted, then time.
        stopped_by = match (stopped_by, t.stopped_by) {
            (_, Some(StopReason::Unreachable)) | (StopReason::Unreachable, _) => {
                StopReason::Unreachable
            }
            (_, Some(StopReason::Exhausted)) | (StopReason::Exhausted, _) => StopReason::Exhausted,
            (_, Some(StopReason::Time)) | (StopReason::Time, _) => StopReason::Time,
            _ => StopReason::Count,
        };
    }
    let ok = latencies.len() as u64;
    RunReport {
        label: plan.label.clone(),
        concurrency: plan.concurrency,
        requests,
        ok,
        other_statuses: other,
        transport_errors,
        elapsed_s: elapsed.as_secs_f64(),
        ok_per_s: rate(ok, elapsed),
        latency: Latency::of(&mut latencies),
        stopped_by,
        first_failure,
    }
}
