//! What one `create_booking` costs on a SQLite file with villi's settings
//! (WAL, `synchronous=FULL`): wall time, CPU time (user and kernel) and
//! thread switches per booking, one caller at a time and then many at once.
//!
//! It uses only the public `Store` API, so the same program measures any
//! version of the store. CPU and switch counts come from `/proc` (Linux);
//! elsewhere only wall time is shown.
//!
//! ```text
//! cargo run --release -p villi-store --example booking_cost -- [BOOKINGS] [CONCURRENCY] [DIR]
//! ```
//!
//! Defaults: 2000 bookings, concurrency 16, the system's temporary folder.
//! The tokio runtime has two worker threads, as the server has on a 2-core
//! machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use villi_domain::booking::{AppointmentType, Block};
use villi_store::{CreateBooking, NewBooking, NewJob, NewPractitioner, Practitioner, Store};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let bookings: u64 = args.next().map_or(Ok(2000), |a| a.parse())?;
    let concurrency: u64 = args.next().map_or(Ok(16), |a| a.parse())?;
    let dir = args.next().map_or_else(std::env::temp_dir, PathBuf::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let file = dir.join(format!("villi-booking-cost-{}.db", std::process::id()));
    let outcome = runtime.block_on(measure(&file, bookings, concurrency.max(1)));
    for suffix in ["", "-wal", "-shm"] {
        let mut side = file.clone().into_os_string();
        side.push(suffix);
        // A missing side file is normal.
        let _ = std::fs::remove_file(side);
    }
    outcome
}

async fn measure(file: &Path, bookings: u64, concurrency: u64) -> Result<(), Error> {
    let store = Store::connect(&format!("sqlite://{}", file.display())).await?;
    store.migrate().await?;
    store
        .upsert_appointment_type(&AppointmentType::new("discovery", "Discovery call", 15))
        .await?;
    let practitioner = store
        .add_practitioner(&NewPractitioner {
            slug: "ana".to_owned(),
            name: "Ana Example".to_owned(),
            email: "ana@practice.example".to_owned(),
            time_zone: "Europe/London".to_owned(),
            bio: String::new(),
        })
        .await?;
    println!(
        "{bookings} bookings per run on {} (WAL, synchronous=FULL)",
        file.display()
    );
    println!(
        "| callers | wall ms/op | CPU ms/op | user ms/op | kernel ms/op | switches/op | ops/s |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let store = Arc::new(store);
    let practitioner = Arc::new(practitioner);
    let mut next_slot = 0;
    for callers in [1, concurrency] {
        let before = Usage::now();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for caller in 0..callers {
            let (store, practitioner) = (Arc::clone(&store), Arc::clone(&practitioner));
            let share = bookings / callers + u64::from(caller < bookings % callers);
            let first = next_slot + caller;
            tasks.push(tokio::spawn(async move {
                for i in 0..share {
                    let request = booking(&practitioner, first + i * callers);
                    store.create_booking(&request).await?;
                }
                Ok::<(), villi_store::StoreError>(())
            }));
        }
        for task in tasks {
            task.await??;
        }
        let wall = started.elapsed();
        next_slot += bookings;
        print_row(callers, bookings, wall, &before, &Usage::now());
    }
    store.close().await;
    Ok(())
}

fn print_row(callers: u64, ops: u64, wall: Duration, before: &Usage, after: &Usage) {
    let per_op = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1e3 / ops as f64);
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    let user = before
        .user
        .zip(after.user)
        .map(|(b, a)| a.saturating_sub(b));
    let kernel = before
        .kernel
        .zip(after.kernel)
        .map(|(b, a)| a.saturating_sub(b));
    let cpu = user.zip(kernel).map(|(u, k)| u + k);
    let switches = before
        .switches
        .zip(after.switches)
        .map(|(b, a)| format!("{:.1}", a.saturating_sub(b) as f64 / ops as f64));
    println!(
        "| {callers} | {} | {} | {} | {} | {} | {:.0} |",
        per_op(wall),
        or_dash(cpu.map(per_op)),
        or_dash(user.map(per_op)),
        or_dash(kernel.map(per_op)),
        or_dash(switches),
        ops as f64 / wall.as_secs_f64(),
    );
}

/// A 15-minute call in its own slot (`slot` counts 15-minute steps from a
/// fixed start), with the jobs and idempotency key a web booking carries.
fn booking(practitioner: &Practitioner, slot: u64) -> CreateBooking {
    let base: Timestamp = "2031-01-06T08:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let offset = i64::try_from(slot).unwrap_or(i64::MAX / 1000);
    let start = base + SignedDuration::from_mins(15 * offset);
    let end = start + SignedDuration::from_mins(15);
    let now: Timestamp = "2031-01-01T00:00:00Z"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let id = uuid::Uuid::now_v7().to_string();
    let job = |kind: &str, run_at: Timestamp| NewJob {
        kind: kind.to_owned(),
        booking_id: Some(id.clone()),
        payload: serde_json::json!({}),
        run_at,
    };
    let jobs = vec![
        job("email.confirmation", now),
        job("email.practitioner.new", now),
        job("reminder", start - SignedDuration::from_hours(24)),
        job("reminder", start - SignedDuration::from_hours(1)),
    ];
    CreateBooking {
        booking: NewBooking {
            id: id.clone(),
            practitioner_id: practitioner.id.clone(),
            appointment_type: "discovery".to_owned(),
            start,
            end,
            block: Block { start, end },
            name: "Robin Visitor".to_owned(),
            email: format!("visitor-{slot}@example.org"),
            phone: None,
            help_with: "Bloating after meals".to_owned(),
            heard_from: "A friend".to_owned(),
            consent: true,
            answers: serde_json::json!({ "main_concern": "Bloating or gas" }),
            visitor_time_zone: "America/New_York".to_owned(),
            manage_token_hash: format!("hash-{id}"),
            manage_token_expires_at: start,
        },
        idempotency: Some((format!("key-{id}"), format!("request-{id}"))),
        max_active_per_email: 3,
        jobs,
        calendar: None,
        now,
    }
}

/// Process-wide CPU time and thread switches so far, where `/proc` has them.
struct Usage {
    user: Option<Duration>,
    kernel: Option<Duration>,
    switches: Option<u64>,
}

impl Usage {
    fn now() -> Self {
        let times = cpu_times();
        Self {
            user: times.map(|t| t.0),
            kernel: times.map(|t| t.1),
            switches: switches(),
        }
    }
}

/// User and kernel time of the whole process (all threads, living or
/// ended), from `/proc/self/stat` in clock ticks of 1/100 s.
fn cpu_times() -> Option<(Duration, Duration)> {
    const TICK: Duration = Duration::from_millis(10);
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; fields are counted after its ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: u32 = fields.get(11)?.parse().ok()?;
    let kernel: u32 = fields.get(12)?.parse().ok()?;
    Some((TICK * user, TICK * kernel))
}

/// Voluntary and involuntary context switches of every living thread.
fn switches() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let status = std::fs::read_to_string(task.ok()?.path().join("status")).ok()?;
        total += status
            .lines()
            .filter(|l| l.contains("ctxt_switches:"))
            .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
            .sum::<u64>();
    }
    Some(total)
}
