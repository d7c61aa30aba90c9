//! The knowledge base: references, medications, rules, questionnaires and red
//! flags, kept as TOML data files under `knowledge/` and embedded at compile
//! time. [`KnowledgeBase::embedded`] parses and validates them once per
//! process; [`KnowledgeBase::validate`] reports every problem it finds.

mod evidence;
mod index;
mod load;
pub mod matching;
mod medication;
mod overview;
mod pss_items;
mod questionnaire;
mod reference;
mod rule;
mod validate;
mod wording;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use evidence::{Direction, EffectKind, Grade, Group, Role};
pub use index::{AliasKind, Target};
pub use load::EMBEDDED_SOURCES;
pub use matching::{
    MedicationSearch, match_medication, render_medication_search, search_medications,
};
pub use medication::{Ingredient, MedicationClass, MedicationFamily, Product};
pub use overview::{PublicGroup, PublicItem, PublicOverview, PublicSource, public_overview};
pub use pss_items::{PssItemFileError, PssItemText, parse_pss10_items};
pub use questionnaire::{AnswerOption, Band, Instrument, InstrumentKind, Item, Licence, Subscale};
pub use reference::Reference;
pub use rule::{
    Action, CourseTrigger, DietItem, FrequencyTrigger, MedicationTrigger, NextStepTemplate,
    RedFlag, Rule, ScoreId, Trigger,
};
pub use wording::forbidden_wording;

/// A problem found while loading or validating the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct KbProblem {
    /// File and entry, e.g. `rules/diet.toml: rule diet-low-plant-diversity`.
    pub location: String,
    pub problem: String,
}

impl KbProblem {
    pub(crate) fn new(location: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            location: location.into(),
            problem: problem.into(),
        }
    }
}

/// One of the four groups, with its headings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupInfo {
    pub id: Group,
    /// Heading for clients and the public page ("Food and drink").
    pub title: String,
    /// Heading for the practitioner ("Diet").
    pub practitioner_title: String,
    /// Plain-language introduction for the public page.
    pub public_intro: String,
}

/// Text of the public "What can affect gut health" page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewText {
    pub title: String,
    pub intro: String,
    pub caveats: Vec<String>,
}

/// Where the ATC codes come from and whether they were checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtcNote {
    pub source: String,
    pub verified: bool,
}

/// Everything villi knows, parsed from the embedded data files.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub references: Vec<Reference>,
    pub families: Vec<MedicationFamily>,
    pub classes: Vec<MedicationClass>,
    pub ingredients: Vec<Ingredient>,
    pub products: Vec<Product>,
    pub rules: Vec<Rule>,
    pub next_steps: Vec<NextStepTemplate>,
    pub instruments: Vec<Instrument>,
    pub red_flags: Vec<RedFlag>,
    pub groups: Vec<GroupInfo>,
    pub overview: OverviewText,
    pub atc: Option<AtcNote>,
    index: index::Index,
}

static EMBEDDED: OnceLock<Result<KnowledgeBase, Vec<KbProblem>>> = OnceLock::new();

impl KnowledgeBase {
    /// The embedded knowledge base, parsed and validated on first use and
    /// shared for the rest of the process.
    ///
    /// # Panics
    ///
    /// Only if the embedded data files are invalid, which the test suite
    /// rules out; use [`KnowledgeBase::try_embedded`] to handle that case.
    pub fn embedded() -> &'static KnowledgeBase {
        match Self::try_embedded() {
            Ok(kb) => kb,
            Err(problems) => panic!(
                "the embedded knowledge base is invalid ({} problems), first: {}",
                problems.len(),
                problems
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        }
    }

    /// The embedded knowledge base, or every problem found in it.
    pub fn try_embedded() -> Result<&'static KnowledgeBase, &'static [KbProblem]> {
        EMBEDDED
            .get_or_init(|| Self::from_sources(EMBEDDED_SOURCES))
            .as_ref()
            .map_err(Vec::as_slice)
    }

    /// Parses and validates a set of `(file name, TOML text)` sources.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<KnowledgeBase, Vec<KbProblem>> {
        let kb = load::parse(sources)?;
        let problems = kb.validate();
        if problems.is_empty() {
            Ok(kb)
        } else {
            Err(problems)
        }
    }

    /// Every problem in the knowledge base; empty when it is valid.
    pub fn validate(&self) -> Vec<KbProblem> {
        validate::all(self)
    }

    /// A reference by id.
    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.index.references.get(id).map(|&i| &self.references[i])
    }

    /// A medication class by id.
    pub fn class(&self, id: &str) -> Option<&MedicationClass> {
        self.index.classes.get(id).map(|&i| &self.classes[i])
    }

    /// A medication family by id.
    pub fn family(&self, id: &str) -> Option<&MedicationFamily> {
        self.index.families.get(id).map(|&i| &self.families[i])
    }

    /// An ingredient by id.
    pub fn ingredient(&self, id: &str) -> Option<&Ingredient> {
        self.index
            .ingredients
            .get(id)
            .map(|&i| &self.ingredients[i])
    }

    /// A combination product by id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.index.products.get(id).map(|&i| &self.products[i])
    }

    /// An instrument by id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }

    /// A next-step template by id.
    pub fn next_step(&self, id: &str) -> Option<&NextStepTemplate> {
        self.next_steps.iter().find(|n| n.id == id)
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The headings of a group.
    pub fn group(&self, group: Group) -> Option<&GroupInfo> {
        self.groups.iter().find(|g| g.id == group)
    }

    /// Number of distinct names (generic names, aliases, brands,
    /// misspellings) that resolve to an ingredient or product.
    pub fn alias_count(&self) -> usize {
        self.index.aliases.len()
    }

    /// Every normalised name with what it resolves to, for validation and
    /// listings.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, AliasKind, Target)> {
        self.index
            .aliases
            .iter()
            .flat_map(|(k, v)| v.iter().map(move |e| (k.as_str(), e.kind, e.target)))
    }

    pub(crate) fn alias_index(&self) -> &BTreeMap<String, Vec<index::AliasEntry>> {
        &self.index.aliases
    }
}
