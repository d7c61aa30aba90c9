//! The vocabulary of evidence: grades, effect kinds, directions, groups.

use serde::{Deserialize, Serialize};

/// Strength of the evidence behind a rule. Ordered weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// In-vitro or animal data only, narrative reviews, opinion, or conflicting data.
    VeryLow,
    /// Small or uncontrolled human studies, cross-sectional associations, consistent animal data.
    Low,
    /// Replicated human observational data, or a single well-run RCT.
    Moderate,
    /// Consistent human RCTs or meta-analyses, or large replicated prospective cohorts.
    High,
}

impl Grade {
    /// The grade as printed ("very low").
    pub fn label(self) -> &'static str {
        match self {
            Self::VeryLow => "very low",
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }

    /// A sentence a client understands.
    pub fn plain(self) -> &'static str {
        match self {
            Self::VeryLow => {
                "Very limited evidence: laboratory or animal studies, or conflicting results."
            }
            Self::Low => "Limited evidence: small or observational human studies.",
            Self::Moderate => "Moderate evidence: repeated human studies or one good trial.",
            Self::High => "Strong evidence: consistent human trials or large long-term studies.",
        }
    }
}

/// What a rule is about. The four are kept apart on purpose: a change in
/// bacteria is not a change in permeability, and neither is a deficiency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    /// Relative abundances or diversity of gut microbes.
    Microbiome,
    /// Intestinal barrier function or permeability.
    Barrier,
    /// Measured nutrient levels or deficiency.
    Nutrient,
    /// An association with the risk of a disease.
    DiseaseRisk,
}

impl EffectKind {
    /// The kind as printed.
    pub fn label(self) -> &'static str {
        match self {
            Self::Microbiome => "microbiome composition",
            Self::Barrier => "barrier / permeability",
            Self::Nutrient => "nutrient status",
            Self::DiseaseRisk => "disease-risk association",
        }
    }
}

/// Which way the evidence points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More of the target (permeability, risk, a taxon).
    Increases,
    /// Less of the target (a nutrient, diversity).
    Decreases,
    /// A change in composition without a single direction.
    Shifts,
    /// A favourable association; shown as context, never as a contributor.
    Favourable,
    /// A common claim for which no human evidence was found.
    NoHumanEvidence,
}

impl Direction {
    /// The direction as printed.
    pub fn label(self) -> &'static str {
        match self {
            Self::Increases => "increases",
            Self::Decreases => "decreases",
            Self::Shifts => "shifts",
            Self::Favourable => "favourable association",
            Self::NoHumanEvidence => "no human evidence found",
        }
    }
}

/// The four groups of possible contributors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Medications,
    Diet,
    Stress,
    Environment,
}

impl Group {
    /// The groups in the order they are shown.
    pub const ALL: [Group; 4] = [
        Self::Medications,
        Self::Diet,
        Self::Stress,
        Self::Environment,
    ];

    /// The group's key in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Medications => "medications",
            Self::Diet => "diet",
            Self::Stress => "stress",
            Self::Environment => "environment",
        }
    }
}

/// Whether a rule names a possible contributor or only records what the
/// evidence does (not) show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A possible contributor to discuss.
    #[default]
    Contributor,
    /// Context: weak, favourable or contradicting evidence about a common claim.
    EvidenceNote,
}

macro_rules! display_as_label {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    )*};
}

display_as_label!(Grade, EffectKind, Direction);

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
