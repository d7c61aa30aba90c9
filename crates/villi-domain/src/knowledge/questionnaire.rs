//! Questionnaires and single-item measures: scoring metadata, and item text
//! only where the licence allows it.

use serde::{Deserialize, Serialize};

/// How an instrument is answered and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// Items summed to a total (PHQ-4, GAD-7, PSS-10).
    SummedScale,
    /// One category out of several (Bristol type).
    Categorical,
    /// Frequency and severity per symptom (villi's GI checklist).
    Checklist,
    /// A count (distinct plants per week).
    Count,
    /// How often something is had (added sugar, ultra-processed food).
    Frequency,
    /// A few structured questions without a score (restriction, sleep).
    Form,
}

/// Whether item text may be shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Licence {
    /// Free to reproduce with the notice shown alongside.
    FreeWithNotice,
    /// Licence unclear or restricted: scoring and metadata only; the practice
    /// may load item text it holds a licence for.
    MetadataOnly,
    /// Written by villi.
    OwnWording,
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: u32,
    pub label: String,
}

/// One item (question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// 1-based position.
    pub number: u32,
    /// Field name in the intake, where the item maps to one.
    pub field: Option<String>,
    /// Item text, only where the licence allows it.
    pub text: Option<String>,
    /// A short paraphrased topic, always present.
    pub topic: String,
    /// Scored in reverse (0 becomes the maximum).
    #[serde(default)]
    pub reverse: bool,
}

/// A subscale: some items summed, with an optional screening cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscale {
    pub id: String,
    pub name: String,
    pub items: Vec<u32>,
    /// A score at or above this is a positive screen.
    pub positive_at: Option<u32>,
}

/// A score band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub label: String,
    pub min: u32,
    pub max: u32,
    /// False when the cut-offs come from secondary sources or were not checked.
    pub verified: bool,
}

/// A questionnaire or measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Stable id (`gad7`).
    pub id: String,
    /// Short name ("GAD-7").
    pub name: String,
    pub full_name: String,
    pub kind: InstrumentKind,
    pub licence: Licence,
    /// Notice to show with the items (required for free-with-notice instruments).
    pub notice: Option<String>,
    /// The question stem.
    pub stem: Option<String>,
    /// Recall period ("last 2 weeks").
    pub recall: Option<String>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    #[serde(default)]
    pub options: Vec<AnswerOption>,
    /// A second answer scale (severity on the GI checklist).
    #[serde(default)]
    pub secondary_options: Vec<AnswerOption>,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub subscales: Vec<Subscale>,
    #[serde(default)]
    pub bands: Vec<Band>,
    /// How to read the bands (e.g. "no official cut-offs").
    pub bands_note: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    pub note: Option<String>,
}

impl Instrument {
    /// The band a score falls in.
    pub fn band_for(&self, score: u32) -> Option<&Band> {
        self.bands.iter().find(|b| (b.min..=b.max).contains(&score))
    }

    /// Item numbers scored in reverse.
    pub fn reverse_items(&self) -> Vec<u32> {
        self.items
            .iter()
            .filter(|i| i.reverse)
            .map(|i| i.number)
            .collect()
    }
}
