//! `villi-bench`: the commands behind the numbers in BENCHMARKS.md.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use hyper::{Method, StatusCode};
use jiff::SignedDuration;
use jiff::tz::TimeZone;
use serde::Serialize;
use villi_bench::http::{Connection, Target};
use villi_bench::load::{self, Job, Plan};
use villi_bench::{bare, booking, drain, raw_insert, report, rss};

/// Load generator and baselines for villi's benchmarks. Loads only
/// loopback addresses.
#[derive(Debug, Parser)]
#[command(name = "villi-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a static page with bare axum (the baseline for GETs).
    BareAxum {
        #[arg(long, default_value = "127.0.0.1:8090")]
        bind: SocketAddr,
    },
    /// Insert rows one durable transaction each into a SQLite file.
    RawInsert {
        /// The SQLite file (created if missing).
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 5_000)]
        rows: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Also write the JSON result here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Book distinct free slots through POST /api/v1/bookings.
    Book {
        #[command(flatten)]
        load: LoadArgs,
        /// Appointment type to book.
        #[arg(long = "type", default_value = "discovery")]
        kind: String,
        /// Practitioner slugs, comma-separated [default: every practitioner].
        #[arg(long, value_delimiter = ',')]
        practitioners: Vec<String>,
        /// How many days of availability to fetch, from today (UTC).
        #[arg(long, default_value_t = 61)]
        days: i64,
        /// Minutes kept free after each picked slot (the type's buffers).
        #[arg(long, default_value_t = 15)]
        gap_min: i64,
    },
    /// GET one path over and over.
    Get {
        #[command(flatten)]
        load: LoadArgs,
        /// Path and query, e.g. /api/v1/practitioners.
        #[arg(long)]
        path: String,
        /// Send `Accept-Encoding: <VALUE>` (browsers send `gzip, deflate, br`);
        /// the reply is counted as it arrives, compressed or not.
        #[arg(long, value_name = "VALUE")]
        accept_encoding: Option<String>,
    },
    /// Wait until GET <url><path> answers 200.
    Wait {
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "/")]
        path: String,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Wait until villi's worker has no due job left (reads its SQLite file).
    Drain {
        /// villi's SQLite database file.
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 180)]
        seconds: u64,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record a process's peak and current RSS from /proc.
    Memory {
        #[arg(long)]
        pid: u32,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Render the Markdown report of a results folder.
    Report {
        #[arg(long)]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// Base URL of the server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// At most this many requests.
    #[arg(long, default_value_t = 10_000)]
    requests: u64,
    /// At most this many seconds of sending.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Name of the run in the report.
    #[arg(long)]
    label: Option<String>,
    /// Also write the JSON result here.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::BareAxum { bind } = cli.command {
        // The server side gets the default runtime, like villi itself.
        return tokio::runtime::Runtime::new()?.block_on(serve_bare(bind));
    }
    // The load side runs on one thread: it is pinned to one core anyway.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run(cli.command))
}

async fn serve_bare(bind: SocketAddr) -> anyhow::Result<()> {
    let (listener, local) = bare::bind(bind).await?;
    eprintln!("bare axum listening on http://{local}");
    bare::serve(listener).await
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::BareAxum { .. } => bail!("bare-axum runs on its own runtime"),
        Command::RawInsert {
            db,
            rows,
            seconds,
            out,
        } => {
            let r = raw_insert::run(&db, rows, Duration::from_secs(seconds)).await?;
            emit(&r, out.as_deref())
        }
        Command::Book {
            load,
            kind,
            practitioners,
            days,
            gap_min,
        } => book(load, kind, practitioners, days, gap_min).await,
        Command::Get {
            load,
            path,
            accept_encoding,
        } => {
            let target = Target::parse(&load.url)?.accepting(accept_encoding);
            let plan = plan(&load, "GET", StatusCode::OK);
            let job = Job {
                method: Method::GET,
                path,
                body: None,
            };
            let r = load::run(
                &target,
                &plan,
                std::sync::Arc::new(move |_| Some(job.clone())),
            )
            .await?;
            emit(&r, load.out.as_deref())
        }
        Command::Wait { url, path, seconds } => wait(&url, &path, seconds).await,
        Command::Drain { db, seconds, out } => {
            let d = drain::wait_for_worker(&db, Duration::from_secs(seconds)).await?;
            if d.due_at_end > 0 {
                bail!("{} jobs still due after {seconds} s", d.due_at_end);
            }
            emit(&d, out.as_deref())
        }
        Command::Memory { pid, out } => emit(&rss::of_process(pid)?, out.as_deref()),
        Command::Report { dir } => {
            print!("{}", report::Results::load(&dir)?.to_markdown()?);
            Ok(())
        }
    }
}

fn plan(args: &LoadArgs, default_label: &str, expect: StatusCode) -> Plan {
    Plan {
        label: args
            .label
            .clone()
            .unwrap_or_else(|| default_label.to_owned()),
        concurrency: args.concurrency,
        max_requests: args.requests,
        max_duration: Duration::from_secs(args.seconds),
        expect,
    }
}

async fn book(
    args: LoadArgs,
    kind: String,
    practitioners: Vec<String>,
    days: i64,
    gap_min: i64,
) -> anyhow::Result<()> {
    let target = Target::parse(&args.url)?;
    let mut conn = Connection::open(&target).await?;
    let slugs = if practitioners.is_empty() {
        booking::practitioner_slugs(&mut conn).await?
    } else {
        practitioners
    };
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(TimeZone::UTC)
        .date();
    let free = booking::fetch_free_slots(&mut conn, &slugs, &kind, today, days).await?;
    let free_count = free.len();
    let slots = booking::distinct_slots(free, SignedDuration::from_mins(gap_min));
    eprintln!(
        "{} free {kind} slots of {} practitioners; {} can be booked without conflict",
        free_count,
        slugs.len(),
        slots.len()
    );
    let wanted = usize::try_from(args.requests).unwrap_or(usize::MAX);
    if slots.len() < wanted {
        eprintln!(
            "warning: only {} distinct slots for up to {wanted} requests",
            slots.len()
        );
    }
    drop(conn);
    let run_tag = jiff::Timestamp::now().as_millisecond().to_string();
    let source = booking::booking_jobs(slots, kind, run_tag);
    let plan = plan(&args, "POST /api/v1/bookings", StatusCode::CREATED);
    let r = load::run(&target, &plan, source).await?;
    emit(&r, args.out.as_deref())
}

async fn wait(url: &str, path: &str, seconds: u64) -> anyhow::Result<()> {
    let target = Target::parse(url)?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        let last = match Connection::open(&target).await {
            Ok(mut conn) => match conn.send(Method::GET, path, None).await {
                Ok(reply) if reply.status == StatusCode::OK => return Ok(()),
                Ok(reply) => format!("answered {}", reply.status),
                Err(e) => format!("{e:#}"),
            },
            Err(e) => format!("{e:#}"),
        };
        if Instant::now() >= deadline {
            bail!("{url}{path} not ready after {seconds} s: {last}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Prints a result as one JSON line and, when asked, writes it to `out`.
fn emit<T: Serialize>(result: &T, out: Option<&Path>) -> anyhow::Result<()> {
    let line = serde_json::to_string(result)?;
    println!("{line}");
    if let Some(path) = out {
        std::fs::write(path, format!("{line}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
