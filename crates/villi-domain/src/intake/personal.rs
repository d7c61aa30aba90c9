//! Personal context, family history, diagnoses and goals.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{MAX_AGE_YEARS, MAX_TEXT_CHARS, MAX_YEAR, MIN_YEAR};

/// Who the client is, as far as the assessment needs to know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Personal {
    /// Age in whole years.
    #[schemars(range(max = MAX_AGE_YEARS))]
    pub age_years: Option<u8>,
    /// Sex recorded at birth; some evidence (oral contraceptives, pregnancy) depends on it.
    pub sex_at_birth: Option<SexAtBirth>,
    /// Currently pregnant.
    pub pregnant: Option<bool>,
    /// Currently breastfeeding.
    pub breastfeeding: Option<bool>,
    /// Smoking history; it modifies the oral-contraceptive and IBD association.
    pub smoking: Option<Smoking>,
}

/// Sex recorded at birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SexAtBirth {
    Female,
    Male,
    Intersex,
    PreferNotToSay,
}

/// Smoking history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Smoking {
    Never,
    Former,
    Current,
}

/// A condition in a first-degree relative that changes how soon to refer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FamilyCondition {
    /// Bowel (colorectal) cancer.
    ColorectalCancer,
    /// Crohn's disease or ulcerative colitis.
    Ibd,
    /// Coeliac disease.
    CoeliacDisease,
}

impl FamilyCondition {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::ColorectalCancer => "bowel (colorectal) cancer",
            Self::Ibd => "inflammatory bowel disease (Crohn's or ulcerative colitis)",
            Self::CoeliacDisease => "coeliac disease",
        }
    }
}

/// A diagnosis the client has been given, as they wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// The diagnosis as typed ("IBS", "iron-deficiency anaemia").
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub name: String,
    /// Year it was diagnosed.
    #[schemars(range(min = MIN_YEAR, max = MAX_YEAR))]
    pub year: Option<u16>,
}

/// What the client hopes to get from working with the practice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// Goals in the client's words.
    #[serde(default)]
    pub goals: Vec<String>,
    /// The one that matters most.
    pub most_important: Option<String>,
}
