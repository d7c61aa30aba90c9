//! Rules over intake answers, red flags and next steps: all data.

use serde::{Deserialize, Serialize};

use super::evidence::{Direction, EffectKind, Grade, Group, Role};
use crate::intake::{Exposure, FamilyCondition, Frequency, Route, WarningSign};

/// One possible contributor (or evidence note), with its trigger and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id (`ppi-vitamin-b12`).
    pub id: String,
    pub group: Group,
    #[serde(default)]
    pub role: Role,
    /// Which of the four kinds of effect this is about.
    pub kind: EffectKind,
    pub direction: Direction,
    /// What changes ("vitamin B12", "small-intestinal permeability").
    pub target: String,
    pub grade: Grade,
    /// When it applies ("use for 2 years or more"), in words.
    pub conditions: Option<String>,
    /// Heading for the practitioner.
    pub title: String,
    /// Heading for clients and the public page.
    pub plain_title: String,
    /// What the evidence shows, for the practitioner.
    pub practitioner: String,
    /// The same in plain words for the client: a possible contributor to discuss.
    pub client: String,
    /// Ids of next steps to suggest.
    #[serde(default)]
    pub next_steps: Vec<String>,
    /// Ids of the references behind it.
    pub references: Vec<String>,
    pub trigger: Trigger,
}

/// Which intake answers fire a rule or red flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// A recognised medication in one of the classes, families or ingredients.
    Medication(MedicationTrigger),
    /// Any recognised medication at all.
    AnyMedication,
    /// An antibiotic course in a window of months (and, optionally, a current antibiotic).
    AntibioticCourse(CourseTrigger),
    /// Distinct plants per week at or below a value.
    PlantsPerWeekAtMost { value: u16 },
    /// A diet frequency answer at or above / at or below a value.
    DietFrequency(FrequencyTrigger),
    /// Alcoholic drinks per week at or above a value.
    AlcoholAtLeast { drinks_per_week: u16 },
    /// A food-group restriction lasting at least some months.
    Restriction {
        min_months: u16,
        #[serde(default)]
        unsupervised_only: bool,
    },
    /// Any suspected trigger food listed.
    SuspectedTriggerFoods,
    /// A questionnaire score at or above a value.
    ScoreAtLeast { score: ScoreId, value: u32 },
    /// Long, hard exercise sessions per week at or above a value.
    LongHardExerciseAtLeast { sessions_per_week: u8 },
    /// A rural place lived in before a current urban one.
    MovedRuralToUrban,
    /// Any of these regular exposures.
    Exposure { any_of: Vec<Exposure> },
    /// Any animal in the home.
    Pets,
    /// A warning sign answered yes.
    WarningSign { sign: WarningSign },
    /// A new bowel-habit change at or after an age (or with age not given).
    NewBowelChangeFromAge { age: u8 },
    /// A family history of any of these.
    FamilyHistory { any_of: Vec<FamilyCondition> },
    /// A diagnosis mentioning any of these words.
    DiagnosisMentions { words: Vec<String> },
    /// Thoughts of self-harm answered yes.
    SelfHarmThoughts,
    /// Any of several triggers.
    AnyOf { triggers: Vec<Trigger> },
}

/// Medication trigger: what must match and under which conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MedicationTrigger {
    pub classes: Vec<String>,
    pub families: Vec<String>,
    pub ingredients: Vec<String>,
    /// Ingredients excluded even when their class matches.
    pub except_ingredients: Vec<String>,
    /// Minimum duration of use in months.
    pub min_months: Option<u16>,
    /// Only daily or near-daily use counts.
    pub regular_use: bool,
    /// Only these routes count (empty = any route).
    pub routes: Vec<Route>,
}

/// Antibiotic-course trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseTrigger {
    #[serde(default)]
    pub min_months_ago: u8,
    pub max_months_ago: u8,
    /// Only antibiotics of these classes (empty = any antibiotic).
    #[serde(default)]
    pub classes: Vec<String>,
    /// A current antibiotic in the medication list also counts.
    #[serde(default)]
    pub include_current: bool,
}

/// A diet answer given as a frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DietItem {
    AddedSugar,
    UltraProcessed,
    FermentedFoods,
}

impl DietItem {
    /// Field name in the intake's diet section.
    pub fn field(self) -> &'static str {
        match self {
            Self::AddedSugar => "added_sugar",
            Self::UltraProcessed => "ultra_processed",
            Self::FermentedFoods => "fermented_foods",
        }
    }
}

/// Frequency trigger: at least and/or at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrequencyTrigger {
    pub item: DietItem,
    pub at_least: Option<Frequency>,
    pub at_most: Option<Frequency>,
}

/// A questionnaire score or subscale that rules can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreId {
    Pss10,
    Phq4,
    Phq4Anxiety,
    Phq4Depression,
    Gad7,
}

/// What to do about a red flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Same-day contact: the client should be seen by a physician now.
    DiscussUrgently,
    /// Refer to a physician before continuing the dietetic work.
    ReferBeforeContinuing,
    /// Raise at the discovery call and consider referral.
    DiscussAtCall,
}

impl Action {
    /// The action as printed.
    pub fn text(self) -> &'static str {
        match self {
            Self::DiscussUrgently => {
                "Discuss urgently: the client should be seen by a physician without delay"
            }
            Self::ReferBeforeContinuing => "Refer to a physician before continuing",
            Self::DiscussAtCall => {
                "Discuss at the discovery call and consider referral to a physician"
            }
        }
    }
}

/// A warning sign that points to medical referral; screened before anything else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    pub id: String,
    /// Heading for the practitioner.
    pub title: String,
    /// Why it matters, for the practitioner.
    pub practitioner: String,
    /// Plain words for the client.
    pub client: String,
    pub action: Action,
    pub references: Vec<String>,
    pub trigger: Trigger,
}

/// A suggested next step, written once and shared by rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextStepTemplate {
    pub id: String,
    /// The step in words ("Discuss vitamin B12 testing with the prescriber").
    pub text: String,
    #[serde(default)]
    pub references: Vec<String>,
}
