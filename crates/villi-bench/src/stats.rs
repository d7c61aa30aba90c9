//! Latency percentiles and rates from a run's recorded samples.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Percentiles of a set of latencies, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// How many samples the percentiles were taken from.
    pub samples: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub mean_us: u64,
}

impl Latency {
    /// Summarises `samples` (any order). An empty set gives all zeros.
    pub fn of(samples: &mut [Duration]) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let total: u128 = samples.iter().map(Duration::as_micros).sum();
        let count = samples.len();
        Self {
            samples: count as u64,
            p50_us: micros(percentile(samples, 50)),
            p90_us: micros(percentile(samples, 90)),
            p99_us: micros(percentile(samples, 99)),
            max_us: micros(samples[count - 1]),
            mean_us: u64::try_from(total / count as u128).unwrap_or(u64::MAX),
        }
    }
}

/// The nearest-rank percentile of sorted, non-empty `sorted`: the smallest
/// sample that at least `pct` percent of the samples do not exceed.
pub fn percentile(sorted: &[Duration], pct: u32) -> Duration {
    let n = sorted.len();
    if n == 0 {
        return Duration::ZERO;
    }
    let pct = pct.min(100) as usize;
    // ceil(pct/100 * n), at least 1, as a 1-based rank.
    let rank = (pct * n).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Events per second over `elapsed`; zero when no time passed.
pub fn rate(count: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 { count as f64 / secs } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn the_median_of_one_to_a_hundred_milliseconds_is_fifty() {
        let mut samples: Vec<_> = (1..=100).rev().map(ms).collect();
        let summary = Latency::of(&mut samples);
        assert_eq!(summary.p50_us, 50_000);
        assert_eq!(summary.p99_us, 99_000);
        assert_eq!(summary.max_us, 100_000);
        assert_eq!(summary.samples, 100);
    }

    #[test]
    fn a_single_slow_request_in_ten_shows_in_p99_but_not_in_p50() {
        let mut samples = vec![ms(1); 9];
        samples.push(ms(500));
        let summary = Latency::of(&mut samples);
        assert_eq!(summary.p50_us, 1_000);
        assert_eq!(summary.p99_us, 500_000);
    }

    #[test]
    fn no_samples_summarise_to_zeros_rather_than_panicking() {
        assert_eq!(Latency::of(&mut []), Latency::default());
        assert_eq!(percentile(&[], 99), Duration::ZERO);
    }

    #[test]
    fn a_rate_over_no_time_is_zero() {
        assert!((rate(10, Duration::ZERO)).abs() < f64::EPSILON);
        assert!((rate(10, Duration::from_secs(2)) - 5.0).abs() < 1e-9);
    }
}
