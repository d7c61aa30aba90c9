//! Links between results and the client's intake, as evidence-graded rules.
//!
//! Rules are data (`labs/links.toml`). Each names the intake factors it needs
//! (`when`, any of them; empty means the result alone suffices), the markers
//! or areas and the finding it looks for, an evidence grade, and references.
//! The wording is decision support: a possible contributor to discuss, a
//! conversation to have, or a medical referral; never a diagnosis and never
//! advice to change a medication.

use serde::{Deserialize, Serialize};

use super::catalogue::{Area, Marker};

/// What villi knows of the client's intake that results can be linked to.
///
/// This is deliberately small and owned by the labs module, so it can be
/// filled from an intake assessment later without either depending on the
/// other's types. Medication classes are lower-case class names:
/// `metformin`, `ppi`, `nsaid`, `antibiotic` are the ones current rules use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeContext {
    /// Medication classes the client takes (`metformin`, `ppi`, ...).
    #[serde(default)]
    pub medication_classes: Vec<String>,
    /// Antibiotics taken within the past three months.
    #[serde(default)]
    pub recent_antibiotics: bool,
    /// An NSAID taken daily or almost daily.
    #[serde(default)]
    pub daily_nsaid: bool,
}

impl IntakeContext {
    /// Whether the context has a factor named as in `links.toml`:
    /// `medication:<class>`, `recent_antibiotics`, `daily_nsaid`.
    pub fn has(&self, factor: &str) -> bool {
        match factor {
            "recent_antibiotics" => self.recent_antibiotics,
            "daily_nsaid" => self.daily_nsaid,
            _ => factor.strip_prefix("medication:").is_some_and(|class| {
                self.medication_classes
                    .iter()
                    .any(|c| c.trim().eq_ignore_ascii_case(class))
            }),
        }
    }

    /// The factor in plain words.
    pub fn describe(factor: &str) -> String {
        match factor {
            "recent_antibiotics" => "antibiotics in the past three months".to_owned(),
            "daily_nsaid" => "daily anti-inflammatory painkillers (NSAIDs)".to_owned(),
            f => match f.strip_prefix("medication:") {
                Some("ppi") => "a proton pump inhibitor (acid reducer)".to_owned(),
                Some("nsaid") => "anti-inflammatory painkillers (NSAIDs)".to_owned(),
                Some("antibiotic") => "antibiotics".to_owned(),
                Some(class) => class.to_owned(),
                None => f.to_owned(),
            },
        }
    }
}

/// What kind of follow-up a link suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A medical referral to discuss promptly; shown first.
    MedicalReferral,
    /// An intake factor that may contribute to the finding.
    PossibleContributor,
    /// A topic for the practitioner and client to discuss.
    Discussion,
}

/// Evidence grade (evidence.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// High.
    High,
    /// Moderate.
    Moderate,
    /// Low.
    Low,
    /// Very low.
    VeryLow,
    /// Clinical practice guidance (a laboratory's or guideline's cut-off)
    /// rather than graded research evidence.
    ClinicalGuidance,
}

impl Grade {
    /// Whether the evidence is weak enough that the link must say so.
    pub fn is_weak(self) -> bool {
        matches!(self, Grade::Low | Grade::VeryLow)
    }

    /// The grade in words.
    pub fn label(self) -> &'static str {
        match self {
            Grade::High => "high",
            Grade::Moderate => "moderate",
            Grade::Low => "low",
            Grade::VeryLow => "very low",
            Grade::ClinicalGuidance => "clinical guidance",
        }
    }
}

/// The result finding a rule looks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Finding {
    /// Flagged above its range (or detected, for presence markers).
    High,
    /// Flagged below its range.
    Low,
    /// Outside its range either way, or detected when it should not be.
    Abnormal,
    /// A numeric value above a fixed threshold in a given UCUM unit.
    Above {
        /// The threshold (exclusive).
        value: f64,
        /// The UCUM unit the threshold is in.
        unit: String,
    },
}

/// One link rule from `links.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRule {
    /// Stable id.
    pub id: String,
    /// Kind of follow-up.
    pub kind: LinkKind,
    /// Intake factors, any of which makes the rule apply; empty = always.
    #[serde(default)]
    pub when: Vec<String>,
    /// Marker ids the rule looks at.
    #[serde(default)]
    pub markers: Vec<String>,
    /// Areas the rule looks at (every marker in them).
    #[serde(default)]
    pub areas: Vec<Area>,
    /// The finding.
    pub finding: Finding,
    /// Evidence grade.
    pub grade: Grade,
    /// Reference ids.
    pub references: Vec<String>,
    /// Wording for the client.
    pub client: String,
    /// Wording for the practitioner.
    pub practitioner: String,
}

impl LinkRule {
    /// Whether the rule looks at this marker.
    pub fn applies_to(&self, marker: &Marker) -> bool {
        self.markers.contains(&marker.id) || self.areas.contains(&marker.area)
    }

    /// Whether the intake satisfies the rule's `when`.
    pub fn intake_matches(&self, intake: &IntakeContext) -> bool {
        self.when.is_empty() || self.when.iter().any(|f| intake.has(f))
    }
}
