//! Where and how the client lives and works.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{MAX_AGE_YEARS, MAX_HOUSEHOLD, MAX_TEXT_CHARS, MAX_TRAVEL_MONTHS_AGO};

/// Places, work, exposures, pets, household and travel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Places lived for a year or more, in any order; mark the current one.
    pub places: Option<Vec<Place>>,
    /// Occupation as typed.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub occupation: Option<String>,
    /// Regular exposures at work or home.
    pub exposures: Option<Vec<Exposure>>,
    /// Animals living in the home.
    pub pets: Option<Vec<Pet>>,
    /// People in the household, the client included.
    #[schemars(range(min = 1, max = MAX_HOUSEHOLD))]
    pub household_size: Option<u8>,
    /// Travel abroad in the last two years.
    pub recent_travel: Option<Vec<Travel>>,
}

/// A place lived in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub setting: Setting,
    /// Years lived there.
    #[schemars(range(max = MAX_AGE_YEARS))]
    pub years: u8,
    /// The client lives there now.
    #[serde(default)]
    pub current: bool,
    /// Country, as typed.
    #[schemars(length(max = MAX_TEXT_CHARS))]
    pub country: Option<String>,
}

/// Urban, suburban or rural.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Urban,
    Suburban,
    Rural,
}

impl Setting {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Urban => "urban",
            Self::Suburban => "suburban",
            Self::Rural => "rural",
        }
    }
}

/// A regular exposure at work or home.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    Pesticides,
    Herbicides,
    IndustrialChemicals,
    Solvents,
    HeavyMetals,
    Mould,
    FarmAnimals,
    Healthcare,
    Other,
}

impl Exposure {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pesticides => "pesticides",
            Self::Herbicides => "herbicides (weed killers)",
            Self::IndustrialChemicals => "industrial chemicals",
            Self::Solvents => "solvents",
            Self::HeavyMetals => "heavy metals",
            Self::Mould => "mould",
            Self::FarmAnimals => "farm animals",
            Self::Healthcare => "a healthcare setting",
            Self::Other => "other exposures",
        }
    }
}

/// An animal in the home.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Pet {
    Dog,
    Cat,
    Bird,
    SmallMammal,
    Reptile,
    Fish,
    Horse,
    FarmAnimals,
    Other,
}

impl Pet {
    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Dog => "dog",
            Self::Cat => "cat",
            Self::Bird => "bird",
            Self::SmallMammal => "small mammal",
            Self::Reptile => "reptile",
            Self::Fish => "fish",
            Self::Horse => "horse",
            Self::FarmAnimals => "farm animals",
            Self::Other => "other animal",
        }
    }
}

/// A trip abroad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Travel {
    /// Where, as typed.
    #[schemars(length(min = 1, max = MAX_TEXT_CHARS))]
    pub destination: String,
    /// How many months ago the trip ended.
    #[schemars(range(max = MAX_TRAVEL_MONTHS_AGO))]
    pub months_ago: u8,
    /// A gut illness during or just after the trip.
    pub gut_illness: Option<bool>,
}
