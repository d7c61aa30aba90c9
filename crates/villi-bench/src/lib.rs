//! villi's booking benchmark: a closed-loop HTTP load generator, the two
//! baselines it is compared with (a bare axum page and raw durable SQLite
//! inserts), and the report that judges the targets in BENCHMARKS.md.
#![forbid(unsafe_code)]

pub mod bare;
pub mod booking;
pub mod drain;
pub mod http;
pub mod load;
pub mod raw_insert;
pub mod report;
pub mod rss;
pub mod stats;
