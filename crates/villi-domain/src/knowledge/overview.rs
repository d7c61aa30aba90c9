//! The public "What can affect gut health" page, built from the rules.

use serde::{Deserialize, Serialize};

use super::{EffectKind, Grade, Group, KnowledgeBase, Role};

/// Everything the public page shows, in plain language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOverview {
    pub title: String,
    pub intro: String,
    /// Caveats shown prominently (no "leaky gut" diagnosis, talk to the prescriber...).
    pub caveats: Vec<String>,
    /// The four groups in display order.
    pub groups: Vec<PublicGroup>,
    /// What each evidence grade means, strongest first.
    pub grades: Vec<(Grade, String)>,
    /// Every source cited on the page, in order of first citation.
    pub sources: Vec<PublicSource>,
}

/// One of the four groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicGroup {
    pub group: Group,
    pub title: String,
    pub intro: String,
    /// Possible contributors, strongest evidence first.
    pub items: Vec<PublicItem>,
    /// Common claims the evidence does not support, or favourable findings.
    pub evidence_notes: Vec<PublicItem>,
}

/// One finding, in plain language, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    /// The rule id, stable across releases.
    pub id: String,
    pub title: String,
    pub text: String,
    pub kind: EffectKind,
    /// "microbiome composition", "barrier / permeability"...
    pub kind_label: String,
    pub grade: Grade,
    /// "moderate"...
    pub grade_label: String,
    /// When it applies, if anything is required ("use for 2 years or more").
    pub conditions: Option<String>,
    /// Ids into [`PublicOverview::sources`].
    pub sources: Vec<String>,
}

/// A source with its citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSource {
    pub id: String,
    /// Full citation; show [`PublicSource::verified`] alongside it.
    pub citation: String,
    /// False while details still need checking against PubMed or the DOI.
    pub verified: bool,
}

/// Builds the public overview from the knowledge base.
pub fn public_overview(kb: &KnowledgeBase) -> PublicOverview {
    let mut sources: Vec<PublicSource> = Vec::new();
    let mut groups = Vec::new();
    for group in Group::ALL {
        let info = kb.group(group);
        let mut items = Vec::new();
        let mut notes = Vec::new();
        for rule in kb.rules.iter().filter(|r| r.group == group) {
            for id in &rule.references {
                if !sources.iter().any(|s| &s.id == id)
                    && let Some(r) = kb.reference(id)
                {
                    sources.push(PublicSource {
                        id: r.id.clone(),
                        citation: r.bare_citation(),
                        verified: r.verified,
                    });
                }
            }
            let item = PublicItem {
                id: rule.id.clone(),
                title: rule.plain_title.clone(),
                text: rule.client.clone(),
                kind: rule.kind,
                kind_label: rule.kind.label().to_owned(),
                grade: rule.grade,
                grade_label: rule.grade.label().to_owned(),
                conditions: rule.conditions.clone(),
                sources: rule.references.clone(),
            };
            match rule.role {
                Role::Contributor => items.push(item),
                Role::EvidenceNote => notes.push(item),
            }
        }
        // Stable sort: equal grades keep the knowledge base's order.
        items.sort_by_key(|i| std::cmp::Reverse(i.grade));
        groups.push(PublicGroup {
            group,
            title: info.map(|i| i.title.clone()).unwrap_or_default(),
            intro: info.map(|i| i.public_intro.clone()).unwrap_or_default(),
            items,
            evidence_notes: notes,
        });
    }
    PublicOverview {
        title: kb.overview.title.clone(),
        intro: kb.overview.intro.clone(),
        caveats: kb.overview.caveats.clone(),
        groups,
        grades: [Grade::High, Grade::Moderate, Grade::Low, Grade::VeryLow]
            .into_iter()
            .map(|g| (g, g.plain().to_owned()))
            .collect(),
        sources,
    }
}
