//! Diet: pattern, plant diversity, sugar, ultra-processed food, restrictions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{MAX_DRINKS_PER_WEEK, MAX_MONTHS, MAX_PLANTS_PER_WEEK, MAX_TEXT_CHARS};

/// What and how the client eats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diet {
    /// The overall eating pattern.
    pub pattern: Option<DietPattern>,
    /// Distinct plant foods in a typical week (vegetables, fruit, grains, legumes, nuts, seeds, herbs).
    #[schemars(range(max = MAX_PLANTS_PER_WEEK))]
    pub plants_per_week: Option<u16>,
    /// How often foods or drinks with added sugar are had.
    pub added_sugar: Option<Frequency>,
    /// How often ultra-processed foods are had (packaged snacks, ready meals, processed meats, soft drinks).
    pub ultra_processed: Option<Frequency>,
    /// How often fermented foods are had (yoghurt, kefir, kimchi, sauerkraut, kombucha).
    pub fermented_foods: Option<Frequency>,
    /// Alcoholic drinks in a typical week.
    #[schemars(range(max = MAX_DRINKS_PER_WEEK))]
    pub alcohol_drinks_per_week: Option<u16>,
    /// Food groups currently left out.
    pub restrictions: Option<Vec<Restriction>>,
    /// Foods the client suspects of causing symptoms, as typed.
    pub suspected_trigger_foods: Option<Vec<String>>,
}

/// An overall eating pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DietPattern {
    Omnivore,
    Flexitarian,
    Pescatarian,
    Vegetarian,
    Vegan,
    Other,
}

/// How often something is eaten or drunk. Ordered from least to most often.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Never,
    LessThanWeekly,
    Weekly,
    SeveralTimesAWeek,
    Daily,
    SeveralTimesADay,
}

impl Frequency {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::LessThanWeekly => "less than weekly",
            Self::Weekly => "about weekly",
            Self::SeveralTimesAWeek => "several times a week",
            Self::Daily => "daily",
            Self::SeveralTimesADay => "several times a day",
        }
    }
}

/// Food groups left out now, for how long, and on whose advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Restriction {
    /// The food groups excluded (at least one).
    #[schemars(length(min = 1))]
    pub excluded: Vec<FoodGroup>,
    /// For how long, in months.
    #[schemars(range(max = MAX_MONTHS))]
    pub months: u16,
    /// Who advised it.
    pub advised_by: Advisor,
    /// Whether a plan to reintroduce the foods exists.
    pub reintroduction_planned: Option<bool>,
    /// Anything to add, as typed.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub note: Option<String>,
}

/// A food group that can be excluded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FoodGroup {
    Gluten,
    Grains,
    Dairy,
    Eggs,
    Meat,
    Fish,
    Legumes,
    Fruit,
    Nightshades,
    HighFodmap,
    Soy,
    NutsAndSeeds,
    Sugar,
    Other,
}

impl FoodGroup {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Gluten => "gluten",
            Self::Grains => "grains",
            Self::Dairy => "dairy",
            Self::Eggs => "eggs",
            Self::Meat => "meat",
            Self::Fish => "fish",
            Self::Legumes => "legumes",
            Self::Fruit => "fruit",
            Self::Nightshades => "nightshades",
            Self::HighFodmap => "high-FODMAP foods",
            Self::Soy => "soy",
            Self::NutsAndSeeds => "nuts and seeds",
            Self::Sugar => "sugar",
            Self::Other => "other foods",
        }
    }
}

/// Who advised a restriction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Advisor {
    Dietitian,
    Doctor,
    OtherPractitioner,
    SelfDirected,
    OnlineSource,
}

impl Advisor {
    /// Restrictions overseen by a dietitian or doctor count as supervised.
    pub fn supervised(self) -> bool {
        matches!(self, Self::Dietitian | Self::Doctor)
    }

    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Dietitian => "a dietitian",
            Self::Doctor => "a doctor",
            Self::OtherPractitioner => "another practitioner",
            Self::SelfDirected => "self-directed",
            Self::OnlineSource => "an online source",
        }
    }
}
