//! Stress, mood and sleep answers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{
    GAD7_ITEMS, MAX_EXERCISE_SESSIONS, MAX_PHQ_ANSWER, MAX_PSS_ANSWER, MAX_SLEEP_HOURS, PHQ4_ITEMS,
    PSS10_ITEMS,
};

/// Questionnaire answers and sleep.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StressSleep {
    /// PSS-10 answers in item order, each 0 (never) to 4 (very often), as given (not reversed).
    #[schemars(length(equal = PSS10_ITEMS), inner(range(max = MAX_PSS_ANSWER)))]
    pub pss10: Option<Vec<u8>>,
    /// PHQ-4 answers in item order, each 0 (not at all) to 3 (nearly every day).
    #[schemars(length(equal = PHQ4_ITEMS), inner(range(max = MAX_PHQ_ANSWER)))]
    pub phq4: Option<Vec<u8>>,
    /// GAD-7 answers in item order, each 0 (not at all) to 3 (nearly every day).
    #[schemars(length(equal = GAD7_ITEMS), inner(range(max = MAX_PHQ_ANSWER)))]
    pub gad7: Option<Vec<u8>>,
    /// The client has had thoughts of harming themselves recently.
    pub self_harm_thoughts: Option<bool>,
    /// Hours of sleep on a typical night.
    #[schemars(range(min = 0.0, max = MAX_SLEEP_HOURS))]
    pub sleep_hours: Option<f32>,
    /// How rested the client usually feels.
    pub sleep_quality: Option<SleepQuality>,
    /// Sessions per week of hard endurance exercise lasting an hour or more.
    #[schemars(range(max = MAX_EXERCISE_SESSIONS))]
    pub long_hard_exercise_per_week: Option<u8>,
}

/// How rested the client usually feels after sleep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SleepQuality {
    Good,
    Fair,
    Poor,
}

impl SleepQuality {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Poor => "poor",
        }
    }
}
