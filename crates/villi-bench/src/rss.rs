//! A process's memory as Linux counts it in `/proc/<pid>/status`.

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// Resident memory of one process, in KiB as the kernel reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    pub pid: u32,
    /// Peak resident set size (`VmHWM`).
    pub peak_kib: u64,
    /// Resident set size now (`VmRSS`).
    pub current_kib: u64,
}

/// Reads `VmHWM` and `VmRSS` of process `pid`.
pub fn of_process(pid: u32) -> anyhow::Result<Memory> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    parse_status(pid, &text).with_context(|| format!("in {path}"))
}

/// Picks `VmHWM` and `VmRSS` out of the text of a `/proc/<pid>/status` file.
pub fn parse_status(pid: u32, text: &str) -> anyhow::Result<Memory> {
    let field = |name: &str| -> anyhow::Result<u64> {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .with_context(|| format!("no {name} line"))?;
        let number = line
            .trim()
            .strip_suffix("kB")
            .with_context(|| format!("{name} '{}' is not in kB", line.trim()))?;
        number
            .trim()
            .parse()
            .with_context(|| format!("{name} '{}' is not a number", line.trim()))
    };
    Ok(Memory {
        pid,
        peak_kib: field("VmHWM:")?,
        current_kib: field("VmRSS:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_and_current_resident_sizes_are_read_in_kib() {
        let text = "Name:\tvilli\nVmPeak:\t  900000 kB\nVmHWM:\t   23456 kB\nVmRSS:\t   20000 kB\n";
        let m = parse_status(7, text).unwrap();
        assert_eq!((m.peak_kib, m.current_kib), (23456, 20000));
    }

    #[test]
    fn a_status_without_vmhwm_is_an_error_that_names_the_field() {
        let err = parse_status(7, "VmRSS:\t 1 kB\n").unwrap_err();
        assert!(err.to_string().contains("VmHWM"), "{err}");
    }

    #[test]
    fn this_process_has_a_peak_at_least_as_large_as_its_current_size() {
        let m = of_process(std::process::id()).unwrap();
        assert!(m.peak_kib >= m.current_kib && m.current_kib > 0);
    }
}
