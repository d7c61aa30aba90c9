//! Medication families, classes, ingredients and combination products.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::intake::Route;

/// A broad family of classes (`antibiotic`, `antidepressant`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationFamily {
    pub id: String,
    /// Name for practitioners.
    pub name: String,
}

/// A pharmacological class with a stable id (`ppi`, `macrolide`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationClass {
    pub id: String,
    /// Name for practitioners ("proton pump inhibitor").
    pub name: String,
    /// The family it belongs to.
    pub family: String,
    /// What the knowledge base does (not) hold for this class.
    pub note: Option<String>,
}

/// One active ingredient, with every name it goes by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ingredient {
    /// Stable id; also the generic name with hyphens for spaces (`clavulanic-acid`).
    pub id: String,
    /// International non-proprietary name, when it differs from the id.
    pub name: Option<String>,
    /// Class id for the usual route.
    pub class: String,
    /// A different class by route (oral budesonide acts systemically, inhaled does not).
    #[serde(default)]
    pub route_classes: BTreeMap<Route, String>,
    /// The route assumed when the intake does not say (oral unless set).
    pub default_route: Option<Route>,
    /// WHO ATC codes, where known (see the ATC note in the knowledge base).
    #[serde(default)]
    pub atc: Vec<String>,
    /// Brand names sold in the United States.
    #[serde(default)]
    pub us: Vec<String>,
    /// Brand names sold in the United Kingdom.
    #[serde(default)]
    pub uk: Vec<String>,
    /// Brand names sold in the European Union.
    #[serde(default)]
    pub eu: Vec<String>,
    /// Other generic names (US/UK spellings, salt forms, abbreviations).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Common misspellings.
    #[serde(default)]
    pub misspellings: Vec<String>,
    pub note: Option<String>,
}

impl Ingredient {
    /// The generic name.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.id.replace('-', " "))
    }

    /// The route to assume when none was given.
    pub fn usual_route(&self) -> Route {
        self.default_route.unwrap_or(Route::Oral)
    }

    /// The class that applies for a route.
    pub fn class_for(&self, route: Route) -> &str {
        self.route_classes
            .get(&route)
            .map(String::as_str)
            .unwrap_or(&self.class)
    }
}

/// A product with several active ingredients; it resolves to all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Stable id (`vimovo`).
    pub id: String,
    /// Name as sold or the generic combination name.
    pub name: String,
    /// Ingredient ids, at least two.
    pub ingredients: Vec<String>,
    /// Classes the product carries beyond its ingredients' (a contraceptive
    /// containing estradiol counts as a combined oral contraceptive).
    #[serde(default)]
    pub extra_classes: Vec<String>,
    #[serde(default)]
    pub us: Vec<String>,
    #[serde(default)]
    pub uk: Vec<String>,
    #[serde(default)]
    pub eu: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub misspellings: Vec<String>,
    pub note: Option<String>,
}
