//! Medications as the client typed them, and antibiotic courses.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{MAX_COURSE_DAYS, MAX_COURSE_MONTHS_AGO, MAX_MONTHS, MAX_TEXT_CHARS};

/// One medication or supplement currently taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicationEntry {
    /// The name exactly as typed: generic, brand, or misspelt ("Nexium 20mg").
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// Dose as typed ("20 mg twice a day").
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub dose: Option<String>,
    /// How long it has been taken, in months.
    #[schemars(range(max = MAX_MONTHS))]
    pub duration_months: Option<u16>,
    /// How often it is taken.
    pub frequency: Option<UseFrequency>,
    /// How it is taken; inhaled or topical steroids do not act like tablets.
    pub route: Option<Route>,
}

/// How often a medication is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UseFrequency {
    Daily,
    SeveralTimesAWeek,
    AsNeeded,
}

impl UseFrequency {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::SeveralTimesAWeek => "several times a week",
            Self::AsNeeded => "as needed",
        }
    }
}

/// How a medication enters the body.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Oral,
    Inhaled,
    Nasal,
    Topical,
    Injection,
    Rectal,
    Vaginal,
    Transdermal,
    Other,
}

impl Route {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Oral => "by mouth",
            Self::Inhaled => "inhaled",
            Self::Nasal => "nasal",
            Self::Topical => "on the skin",
            Self::Injection => "injection",
            Self::Rectal => "rectal",
            Self::Vaginal => "vaginal",
            Self::Transdermal => "patch",
            Self::Other => "other route",
        }
    }
}

/// A course of antibiotics in the last two years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AntibioticCourse {
    /// The antibiotic as typed, if known ("amoxicillin", "Zithromax").
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub name: Option<String>,
    /// When the course ended, in whole months before today (0 = this month).
    #[schemars(range(max = MAX_COURSE_MONTHS_AGO))]
    pub months_ago: u8,
    /// Length of the course in days.
    #[schemars(range(min = 1, max = MAX_COURSE_DAYS))]
    pub duration_days: Option<u16>,
    /// What it was for, as typed.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub reason: Option<String>,
}
