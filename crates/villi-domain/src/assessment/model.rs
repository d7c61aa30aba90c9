//! The assessment as data. Serialised with stable top-level keys: `groups`,
//! `instruments`, `red_flags`, `unrecognised_medications`,
//! `missing_sections`, `next_steps` (plus `summary`, `medications` and
//! `format_version`).

use serde::{Deserialize, Serialize};

use crate::intake::{IntakeSection, Route};
use crate::knowledge::matching::{MatchMethod, Resolution, ResolvedIngredient};
use crate::knowledge::{Action, Direction, EffectKind, Grade, Group};

/// Version of this output format; bumped on any breaking change.
pub const ASSESSMENT_FORMAT_VERSION: u32 = 1;

/// What may be driving one client's gut symptoms, and what to do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub format_version: u32,
    /// A short summary to read before the discovery call.
    pub summary: Summary,
    /// Screened first; each points to medical referral. Most urgent first.
    pub red_flags: Vec<RedFlagFinding>,
    /// The four groups, always present and in order: medications, diet,
    /// stress, environment.
    pub groups: Vec<GroupFindings>,
    /// Questionnaire scores and single-item measures that were answered.
    pub instruments: Vec<InstrumentResult>,
    /// Every medication as typed and what it resolved to.
    pub medications: Vec<MedicationReport>,
    /// Names that matched nothing: listed, not assessed.
    pub unrecognised_medications: Vec<UnrecognisedMedication>,
    /// Intake sections not answered yet.
    pub missing_sections: Vec<MissingSection>,
    /// Suggested next steps, red-flag actions first. Never advice to change
    /// a medication: medication questions go to the prescriber.
    pub next_steps: Vec<NextStep>,
}

/// A short pre-call summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub headline: String,
    pub lines: Vec<String>,
}

/// An intake answer that fired a rule or red flag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TriggerHit {
    /// JSON path of the answer, e.g. `medications[2]`.
    pub path: String,
    /// The answer in words.
    pub answer: String,
    /// Set when a condition could not be checked from the answers
    /// ("duration not given; applies with use of 24 months or more").
    pub to_confirm: Option<String>,
}

/// A reference as cited in an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub id: String,
    /// "Lam 2013".
    pub short: String,
    /// The full citation, marked "[unverified]" where details need checking.
    pub citation: String,
    pub verified: bool,
}

/// A red flag that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedFlagFinding {
    pub id: String,
    pub title: String,
    pub action: Action,
    /// The action in words ("Refer to a physician before continuing").
    pub action_text: String,
    pub practitioner: String,
    pub client: String,
    pub triggers: Vec<TriggerHit>,
    pub references: Vec<Citation>,
}

/// The findings of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFindings {
    pub group: Group,
    /// Heading for the practitioner ("Medications").
    pub title: String,
    /// Possible contributors, strongest evidence first.
    pub contributors: Vec<Contributor>,
    /// Weak, favourable or unsupported claims relevant to this client.
    pub evidence_notes: Vec<EvidenceNote>,
}

/// A possible contributor to discuss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// The rule id (`ppi-vitamin-b12`), stable across releases.
    pub id: String,
    /// Heading for the practitioner.
    pub title: String,
    /// Heading for the client.
    pub plain_title: String,
    /// What the evidence shows, for the practitioner.
    pub practitioner: String,
    /// Plain words for the client.
    pub client: String,
    /// Which of the four kinds of effect this is about.
    pub effect_kinds: Vec<EffectKind>,
    pub direction: Direction,
    /// What changes ("vitamin B12").
    pub target: String,
    pub grade: Grade,
    /// When the evidence applies, in words.
    pub conditions: Option<String>,
    /// False when every triggering answer still needs confirming.
    pub confirmed: bool,
    /// The answers that fired it.
    pub triggers: Vec<TriggerHit>,
    pub references: Vec<Citation>,
    /// Suggested next steps in words.
    pub next_steps: Vec<String>,
}

/// Context for the practitioner: what the evidence does not show, or shows
/// as favourable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceNote {
    pub id: String,
    pub title: String,
    pub practitioner: String,
    pub client: String,
    pub effect_kinds: Vec<EffectKind>,
    pub direction: Direction,
    pub grade: Grade,
    pub triggers: Vec<TriggerHit>,
    pub references: Vec<Citation>,
    pub next_steps: Vec<String>,
}

/// A scored questionnaire or answered measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentResult {
    pub id: String,
    pub name: String,
    /// The score, when the instrument has one and was fully answered.
    pub score: Option<u32>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub band: Option<BandResult>,
    pub subscales: Vec<SubscaleResult>,
    /// The answer in words, for single-item measures ("daily").
    pub answer: Option<String>,
    /// Further detail (top symptoms, restrictions, sleep).
    pub details: Vec<String>,
    /// How to read the score (no official cut-offs, a screener not a diagnosis...).
    pub interpretation: Option<String>,
    /// Notice required alongside the instrument.
    pub notice: Option<String>,
    /// JSON path of the answers.
    pub path: String,
    /// False when answers were missing or malformed, so no score was given.
    pub complete: bool,
}

/// The band a score falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandResult {
    pub id: String,
    pub label: String,
    /// False when the cut-offs come from secondary sources.
    pub verified: bool,
}

/// A subscale score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscaleResult {
    pub id: String,
    pub name: String,
    pub score: u32,
    /// A positive screen, where the subscale has a cut-off.
    pub positive: Option<bool>,
}

/// One medication as typed, with what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationReport {
    /// JSON path (`medications[0]`).
    pub path: String,
    pub typed: String,
    pub resolution: Resolution,
    pub method: Option<MatchMethod>,
    pub score: f64,
    pub product: Option<String>,
    pub ingredients: Vec<ResolvedIngredient>,
    /// The route used for the rules (given, suggested by the name, or the usual one).
    pub route: Option<Route>,
    /// Classes applied for that route, with notes where no rule exists.
    pub classes: Vec<AppliedClass>,
    /// Rules this medication fired.
    pub findings: Vec<String>,
}

/// A class applied to a medication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedClass {
    pub ingredient: String,
    pub class: String,
    pub class_name: String,
    pub note: Option<String>,
}

/// A medication name that matched nothing close enough.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnrecognisedMedication {
    /// JSON path of the name.
    pub path: String,
    pub typed: String,
    /// Close names, best first, for the practitioner to consider.
    pub suggestions: Vec<Suggestion>,
}

/// A suggested reading of an unrecognised name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    pub ingredients: Vec<String>,
    pub score: f64,
}

/// An intake section not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingSection {
    pub section: IntakeSection,
    pub title: String,
}

/// A suggested next step and the findings behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub text: String,
    /// Ids of the red flags, rules or instruments that suggested it.
    pub because: Vec<String>,
}

impl Assessment {
    /// The findings of one group.
    pub fn group(&self, group: Group) -> Option<&GroupFindings> {
        self.groups.iter().find(|g| g.group == group)
    }

    /// Ids of every contributor, in group order.
    pub fn contributor_ids(&self) -> Vec<&str> {
        self.groups
            .iter()
            .flat_map(|g| g.contributors.iter().map(|c| c.id.as_str()))
            .collect()
    }

    /// Ids of every evidence note, in group order.
    pub fn evidence_note_ids(&self) -> Vec<&str> {
        self.groups
            .iter()
            .flat_map(|g| g.evidence_notes.iter().map(|n| n.id.as_str()))
            .collect()
    }

    /// Ids of the red flags, most urgent first.
    pub fn red_flag_ids(&self) -> Vec<&str> {
        self.red_flags.iter().map(|r| r.id.as_str()).collect()
    }

    /// A contributor by id.
    pub fn contributor(&self, id: &str) -> Option<&Contributor> {
        self.groups
            .iter()
            .flat_map(|g| g.contributors.iter())
            .find(|c| c.id == id)
    }

    /// An instrument result by id.
    pub fn instrument(&self, id: &str) -> Option<&InstrumentResult> {
        self.instruments.iter().find(|i| i.id == id)
    }
}
