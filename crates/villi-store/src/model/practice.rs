//! Practitioners, the practice's pre-call questions and the audit trail.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A practitioner to add; the store gives it an id and a creation time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPractitioner {
    /// Unique, used in public URLs (`/book/ana`).
    pub slug: String,
    pub name: String,
    pub email: String,
    /// IANA zone name (`Europe/London`); the caller checks that it exists.
    pub time_zone: String,
    pub bio: String,
}

/// A practitioner as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practitioner {
    /// UUID v7, as text.
    pub id: String,
    pub slug: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub bio: String,
    pub created_at: Timestamp,
}

/// A question the practice asks visitors before a discovery call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable key under which answers are stored (`main_symptom`).
    pub key: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
}

/// How a question is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line of free text.
    ShortText,
    /// One of the listed options.
    Choice { options: Vec<String> },
}

/// One row of the append-only audit trail: ids and verbs, never health data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    /// Who acted: `visitor`, `practitioner:<id>`, `worker`, ...
    pub actor: String,
    /// What happened: `booking.create`, `booking.cancel`, ...
    pub action: String,
    /// The id of the record acted on.
    pub subject: String,
    pub at: Timestamp,
}
