//! Medication name matching: exact, alias, brand, misspelling, combination
//! and fuzzy, with scores, so the practitioner can confirm what a typed name
//! resolved to. A name that matches nothing is reported, never dropped.

mod normalise;
mod resolve;
mod search;

use serde::{Deserialize, Serialize};

use super::AliasKind;
use crate::intake::Route;

pub use normalise::{combination_parts, normalise, route_hint, strip_salts};
pub use resolve::match_medication;
pub use search::{MedicationSearch, render_medication_search, search_medications};

/// How confident the match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// An exact name, alias, brand, known misspelling or combination.
    Recognised,
    /// A close but inexact match; assessed, and listed for the practitioner to confirm.
    ToConfirm,
    /// Nothing close enough; not assessed, listed with any suggestions.
    Unrecognised,
}

/// Which step of matching found the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// The normalised name equals a known name.
    Exact,
    /// Equal once salt words ("hydrochloride", "sodium") are removed.
    SaltForm,
    /// Each part of "A + B" or "A/B" matched exactly.
    Combination,
    /// A known name appears inside a longer text ("metformin for diabetes").
    Contained,
    /// Similar spelling.
    Fuzzy,
}

impl MatchMethod {
    /// The method as printed.
    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::SaltForm => "salt form",
            Self::Combination => "combination",
            Self::Contained => "name within text",
            Self::Fuzzy => "similar spelling",
        }
    }
}

/// An ingredient a name resolved to, with its class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedIngredient {
    pub id: String,
    pub name: String,
    /// Class id for the ingredient's usual route.
    pub class: String,
    pub class_name: String,
    pub family: String,
    pub atc: Vec<String>,
}

/// One possible reading of a typed name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The known name that matched, as written in the knowledge base.
    pub matched: String,
    pub alias_kind: AliasKind,
    pub method: MatchMethod,
    /// Similarity from 0 to 1 (1 = exact).
    pub score: f64,
    /// The combination product, when the name is one.
    pub product: Option<String>,
    pub ingredients: Vec<ResolvedIngredient>,
}

/// What a typed medication name resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationMatch {
    /// The name exactly as typed.
    pub typed: String,
    /// The lookup key derived from it.
    pub normalised: String,
    pub resolution: Resolution,
    pub method: Option<MatchMethod>,
    /// Score of the chosen reading (0 when unrecognised).
    pub score: f64,
    /// The combination product, when the name is one.
    pub product: Option<String>,
    /// Every ingredient the name resolved to (several for a combination).
    pub ingredients: Vec<ResolvedIngredient>,
    /// Other close readings, best first, for confirmation or as suggestions.
    pub candidates: Vec<Candidate>,
    /// A route suggested by the name itself ("inhaler", "cream").
    pub route_hint: Option<Route>,
}

impl MedicationMatch {
    /// Whether the medication is assessed (recognised or close enough to confirm).
    pub fn is_assessed(&self) -> bool {
        self.resolution != Resolution::Unrecognised
    }
}
