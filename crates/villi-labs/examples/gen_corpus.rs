//! Writes a synthetic ORU^R01 corpus: `gen_corpus COUNT FILE [SEED]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(path)) = (args.get(1).and_then(|c| c.parse().ok()), args.get(2)) else {
        eprintln!("usage: gen_corpus COUNT FILE [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let corpus = villi_labs::corpus::generate(count, seed);
    if let Err(e) = std::fs::write(path, corpus.as_bytes()) {
        eprintln!("{path}: {e}");
        return ExitCode::FAILURE;
    }
    println!("wrote {count} messages, {} bytes, to {path}", corpus.len());
    ExitCode::SUCCESS
}
