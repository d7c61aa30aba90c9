//! Import throughput over a corpus file: `bench_import FILE [RUNS]`.
//!
//! Each message is imported on its own, as an interface engine would:
//! parse, normalise (markers, units, ranges) and interpret (flags, area
//! summaries, intake links). Single-threaded. Prints the best of RUNS.

use std::process::ExitCode;
use std::time::Instant;

use villi_domain::labs::{Catalogue, IntakeContext, interpret};
use villi_labs::{ImportOptions, SourceFormat, hl7, import};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: bench_import FILE [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        eprintln!("{path}: not UTF-8");
        return ExitCode::FAILURE;
    };
    let catalogue = Catalogue::embedded();
    let intake = IntakeContext {
        medication_classes: vec!["metformin".into(), "ppi".into()],
        recent_antibiotics: true,
        daily_nsaid: false,
    };
    let options = ImportOptions {
        partial: true,
        format: Some(SourceFormat::Hl7v2),
    };
    let mut best = f64::INFINITY;
    let mut messages = 0;
    let mut results = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        messages = 0;
        results = 0;
        for message in hl7::split_messages(text) {
            if let Ok(imported) = import(message.as_bytes(), &options) {
                let reading = interpret(&imported.report, catalogue, &intake);
                results += reading.results.len();
            }
            messages += 1;
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = bytes.len() as f64 / 1_000_000.0;
    println!(
        "villi messages={messages} results={results} bytes={} seconds={best:.4} msgs_per_s={:.0} mb_per_s={:.2}",
        bytes.len(),
        messages as f64 / best,
        mb / best
    );
    ExitCode::SUCCESS
}
