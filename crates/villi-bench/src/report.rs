//! Turns one benchmark run's result files into the Markdown tables of
//! BENCHMARKS.md, with the targets judged from the numbers.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use serde::de::DeserializeOwned;

use crate::drain::Drained;
use crate::load::RunReport;
use crate::raw_insert::InsertReport;
use crate::rss::Memory;

/// Peak RSS must stay under 40 MB, read as 40 × 10^6 bytes (the stricter
/// of the two readings).
pub const RSS_LIMIT_BYTES: u64 = 40_000_000;

/// Everything one run of the booking benchmark measured.
///
/// The baselines may be measured more than once in a run (before and after
/// the server's measurements, on a machine whose load drifts); each target
/// is then judged against the *highest* baseline, the stricter reading.
#[derive(Debug, Clone)]
pub struct Results {
    /// `raw-insert*.json`, in file-name order.
    pub raw_inserts: Vec<InsertReport>,
    /// `bare-axum*.json`, in file-name order.
    pub bare_axum: Vec<RunReport>,
    /// `availability*.json`, in file-name order (plain, then compressed).
    pub availability: Vec<RunReport>,
    /// One per concurrency, lowest first.
    pub bookings: Vec<RunReport>,
    pub server_memory: Memory,
    /// The worker's catch-up after each booking run, by concurrency.
    pub drains: Vec<(usize, Drained)>,
}

/// One target of the issue and whether the run met it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub target: String,
    pub measured: String,
    pub met: bool,
}

fn read<T: DeserializeOwned>(dir: &Path, name: &str) -> anyhow::Result<T> {
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

impl Results {
    /// Reads every `raw-insert*.json`, `bare-axum*.json`,
    /// `availability*.json` and `booking-c*.json`, and `memory.json`, from
    /// `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut bookings = Vec::new();
        let mut drains = Vec::new();
        let mut raw_inserts = Vec::new();
        let mut bare_axum = Vec::new();
        let mut availability = Vec::new();
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in names {
            if !name.ends_with(".json") {
                continue;
            }
            if name.starts_with("booking-c") {
                bookings.push(read::<RunReport>(dir, &name)?);
            } else if name.starts_with("raw-insert") {
                raw_inserts.push(read::<InsertReport>(dir, &name)?);
            } else if name.starts_with("bare-axum") {
                bare_axum.push(read::<RunReport>(dir, &name)?);
            } else if name.starts_with("availability") {
                availability.push(read::<RunReport>(dir, &name)?);
            }
            let concurrency = name
                .strip_prefix("drain-after-c")
                .and_then(|rest| rest.strip_suffix(".json"))
                .and_then(|c| c.parse::<usize>().ok());
            if let Some(c) = concurrency {
                drains.push((c, read::<Drained>(dir, &name)?));
            }
        }
        bookings.sort_by_key(|r| r.concurrency);
        drains.sort_by_key(|(c, _)| *c);
        if raw_inserts.is_empty() || bare_axum.is_empty() || availability.is_empty() {
            bail!(
                "{} lacks raw-insert*.json, bare-axum*.json or availability*.json",
                dir.display()
            );
        }
        Ok(Self {
            raw_inserts,
            bare_axum,
            availability,
            bookings,
            server_memory: read(dir, "memory.json")?,
            drains,
        })
    }

    /// Judges the three targets of the issue.
    pub fn verdicts(&self) -> anyhow::Result<Vec<Verdict>> {
        let Some(c16) = self.bookings.iter().find(|r| r.concurrency == 16) else {
            bail!("no booking run at concurrency 16");
        };
        let raw = highest(self.raw_inserts.iter().map(|r| r.rows_per_s));
        let bare = highest(self.bare_axum.iter().map(|r| r.ok_per_s));
        let book_ratio = ratio(c16.ok_per_s, raw);
        let peak_bytes = self.server_memory.peak_kib.saturating_mul(1024);
        let mut verdicts = vec![Verdict {
            target: "bookings/s at concurrency 16 >= 0.5 x raw durable insert rate (highest run)"
                .to_owned(),
            measured: format!("{:.1} / {raw:.1} = {book_ratio:.2}", c16.ok_per_s),
            met: book_ratio >= 0.5,
        }];
        for run in &self.availability {
            let get_ratio = ratio(run.ok_per_s, bare);
            verdicts.push(Verdict {
                target: format!("{} GET/s >= 0.5 x bare-axum GET/s (highest run)", run.label),
                measured: format!("{:.0} / {bare:.0} = {get_ratio:.2}", run.ok_per_s),
                met: get_ratio >= 0.5,
            });
        }
        verdicts.push(Verdict {
            target: "server peak RSS (VmHWM) < 40 MB".to_owned(),
            measured: format!(
                "{} KiB = {:.1} MB",
                self.server_memory.peak_kib,
                peak_bytes as f64 / 1e6
            ),
            met: peak_bytes < RSS_LIMIT_BYTES,
        });
        Ok(verdicts)
    }

    /// The results as Markdown: one table of runs, one of targets.
    pub fn to_markdown(&self) -> anyhow::Result<String> {
        let mut md = String::new();
        md.push_str("| measurement | concurrency | ok/s | p50 ms | p99 ms | ok | other statuses | transport errors | stopped by |\n");
        md.push_str("|---|---:|---:|---:|---:|---:|---|---:|---|\n");
        for raw in &self.raw_inserts {
            writeln!(
                md,
                "| SQLite durable insert, 1 row per transaction | 1 | {:.1} | {} | {} | {} | - | - | - |",
                raw.rows_per_s,
                ms(raw.latency.p50_us),
                ms(raw.latency.p99_us),
                raw.rows
            )?;
        }
        for run in self
            .bookings
            .iter()
            .chain(&self.availability)
            .chain(&self.bare_axum)
        {
            row(&mut md, run)?;
        }
        md.push('\n');
        md.push_str("| target | measured | met |\n|---|---|---|\n");
        for v in self.verdicts()? {
            let met = if v.met { "yes" } else { "**no**" };
            writeln!(md, "| {} | {} | {met} |", v.target, v.measured)?;
        }
        if !self.drains.is_empty() {
            md.push_str("\nBackground work left when each booking run ended (e-mails due), and the time the worker took to finish it before the next run:\n\n");
            for (c, d) in &self.drains {
                writeln!(
                    md,
                    "- after concurrency {c}: {} jobs due, done in {:.1} s",
                    d.due_at_start, d.waited_s
                )?;
            }
        }
        let failures: Vec<_> = self
            .bookings
            .iter()
            .chain(&self.availability)
            .chain(&self.bare_axum)
            .filter_map(|r| r.first_failure.as_ref().map(|f| (r.label.as_str(), f)))
            .collect();
        if !failures.is_empty() {
            md.push_str("\nFirst unexpected answer per run:\n\n");
            for (label, text) in failures {
                writeln!(md, "- {label}: `{}`", text.replace('`', "'"))?;
            }
        }
        Ok(md)
    }
}

fn row(md: &mut String, run: &RunReport) -> anyhow::Result<()> {
    let other = if run.other_statuses.is_empty() {
        "none".to_owned()
    } else {
        run.other_statuses
            .iter()
            .map(|(status, n)| format!("{n} x {status}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(
        md,
        "| {} | {} | {:.1} | {} | {} | {} | {other} | {} | {:?} |",
        run.label,
        run.concurrency,
        run.ok_per_s,
        ms(run.latency.p50_us),
        ms(run.latency.p99_us),
        run.ok,
        run.transport_errors,
        run.stopped_by
    )?;
    Ok(())
}

fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

fn highest(rates: impl Iterator<Item = f64>) -> f64 {
    rates.fold(0.0, f64::max)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::StopReason;
    use crate::stats::Latency;

    fn run(label: &str, concurrency: usize, ok_per_s: f64) -> RunReport {
        RunReport {
            label: label.to_owned(),
            concurrency,
            requests: 100,
            ok: 100,
            other_statuses: Default::default(),
            transport_errors: 0,
            elapsed_s: 1.0,
            ok_per_s,
            latency: Latency::default(),
            stopped_by: StopReason::Count,
            first_failure: None,
        }
    }

    fn results(booking_c16: f64, availability: f64, peak_kib: u64) -> Results {
        let raw = |rows_per_s| InsertReport {
            rows: 100,
            elapsed_s: 1.0,
            rows_per_s,
            latency: Latency::default(),
            journal_mode: "wal".into(),
            synchronous: 2,
        };
        Results {
            raw_inserts: vec![raw(150.0), raw(200.0)],
            bare_axum: vec![run("bare", 16, 10_000.0), run("bare", 16, 8_000.0)],
            availability: vec![run("availability", 16, availability)],
            bookings: vec![run("b1", 1, 10.0), run("b16", 16, booking_c16)],
            server_memory: Memory {
                pid: 1,
                peak_kib,
                current_kib: peak_kib,
            },
            drains: Vec::new(),
        }
    }

    #[test]
    fn targets_are_met_when_each_ratio_reaches_one_half_and_memory_stays_under_40_mb() {
        let verdicts = results(100.0, 5_000.0, 39_000).verdicts().unwrap();
        assert!(verdicts.iter().all(|v| v.met), "{verdicts:?}");
    }

    #[test]
    fn each_target_just_missed_is_reported_as_missed() {
        let verdicts = results(99.0, 4_999.0, 39_063).verdicts().unwrap();
        assert!(verdicts.iter().all(|v| !v.met), "{verdicts:?}");
    }

    #[test]
    fn each_availability_run_is_judged_against_the_highest_bare_run() {
        let mut r = results(100.0, 5_000.0, 1_000);
        r.availability.push(run("compressed", 16, 4_000.0));
        let verdicts = r.verdicts().unwrap();
        let judged: Vec<_> = verdicts.iter().map(|v| v.met).collect();
        assert_eq!(judged, [true, true, false, true], "{verdicts:?}");
        assert!(verdicts[2].measured.contains("/ 10000 ="), "{verdicts:?}");
    }

    #[test]
    fn a_failure_message_shows_in_the_markdown() {
        let mut r = results(100.0, 5_000.0, 1_000);
        r.bookings[0].other_statuses.insert(409, 3);
        r.bookings[0].first_failure = Some("POST /api/v1/bookings -> 409".into());
        let md = r.to_markdown().unwrap();
        assert!(md.contains("3 x 409"), "{md}");
        assert!(md.contains("b1: `POST /api/v1/bookings -> 409`"), "{md}");
    }
}
