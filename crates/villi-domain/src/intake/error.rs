//! One problem found in an intake.

use serde::{Deserialize, Serialize};

/// What is wrong where, and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{path}: {problem} (allowed: {allowed})")]
pub struct IntakeError {
    /// JSON path of the offending value, e.g. `medications[2].duration_months`;
    /// `$` is the whole document.
    pub path: String,
    /// What is wrong.
    pub problem: String,
    /// What is allowed instead.
    pub allowed: String,
}

impl IntakeError {
    pub(crate) fn new(
        path: impl Into<String>,
        problem: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            problem: problem.into(),
            allowed: allowed.into(),
        }
    }
}
