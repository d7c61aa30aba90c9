//! The intake assessment: red flags first, then possible contributors in the
//! four groups, questionnaire scores, unrecognised medications, missing
//! sections and next steps. Pure and deterministic: the same intake and
//! knowledge base always give the same assessment, whatever the order of
//! list answers.

mod facts;
mod instruments;
mod lab_context;
mod model;
mod render;
mod summary;
mod triggers;

use facts::Facts;
pub use lab_context::lab_context;
pub use model::*;
pub use render::{render_html, render_json, render_text};

use crate::intake::Intake;
use crate::knowledge::matching::Resolution;
use crate::knowledge::{Group, KnowledgeBase, Reference, Role};

/// Assesses an intake against the knowledge base.
pub fn assess(intake: &Intake, kb: &KnowledgeBase) -> Assessment {
    let (instruments, scores) = instruments::score_all(intake, kb);
    let facts = Facts::new(intake, kb, scores);

    let mut red_flags: Vec<(usize, RedFlagFinding)> = kb
        .red_flags
        .iter()
        .enumerate()
        .filter_map(|(order, flag)| {
            let triggers = sorted(triggers::evaluate(&flag.trigger, &facts));
            (!triggers.is_empty()).then(|| {
                (
                    order,
                    RedFlagFinding {
                        id: flag.id.clone(),
                        title: flag.title.clone(),
                        action: flag.action,
                        action_text: flag.action.text().to_owned(),
                        practitioner: flag.practitioner.clone(),
                        client: flag.client.clone(),
                        triggers,
                        references: citations(kb, &flag.references),
                    },
                )
            })
        })
        .collect();
    red_flags.sort_by_key(|(order, f)| (f.action, *order));
    let red_flags: Vec<RedFlagFinding> = red_flags.into_iter().map(|(_, f)| f).collect();

    let groups: Vec<GroupFindings> = Group::ALL.into_iter().map(|g| group(g, &facts)).collect();
    let medications = medication_reports(&facts, &groups);
    let unrecognised_medications = unrecognised(&facts);
    let missing_sections = intake
        .missing_sections()
        .into_iter()
        .map(|section| MissingSection {
            section,
            title: section.title().to_owned(),
        })
        .collect();

    let mut assessment = Assessment {
        format_version: ASSESSMENT_FORMAT_VERSION,
        summary: Summary {
            headline: String::new(),
            lines: Vec::new(),
        },
        red_flags,
        groups,
        instruments,
        medications,
        unrecognised_medications,
        missing_sections,
        next_steps: Vec::new(),
    };
    assessment.next_steps = summary::next_steps(&assessment, kb);
    assessment.summary = summary::summary(&assessment, intake);
    assessment
}

fn group(group: Group, f: &Facts<'_>) -> GroupFindings {
    let kb = f.kb;
    let mut contributors: Vec<(usize, Contributor)> = Vec::new();
    let mut evidence_notes = Vec::new();
    for (order, rule) in kb
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.group == group)
    {
        let triggers = sorted(triggers::evaluate(&rule.trigger, f));
        if triggers.is_empty() {
            continue;
        }
        let next_steps: Vec<String> = rule
            .next_steps
            .iter()
            .filter_map(|id| kb.next_step(id).map(|n| n.text.clone()))
            .collect();
        match rule.role {
            Role::Contributor => contributors.push((
                order,
                Contributor {
                    id: rule.id.clone(),
                    title: rule.title.clone(),
                    plain_title: rule.plain_title.clone(),
                    practitioner: rule.practitioner.clone(),
                    client: rule.client.clone(),
                    effect_kinds: vec![rule.kind],
                    direction: rule.direction,
                    target: rule.target.clone(),
                    grade: rule.grade,
                    conditions: rule.conditions.clone(),
                    confirmed: triggers.iter().any(|t| t.to_confirm.is_none()),
                    triggers,
                    references: citations(kb, &rule.references),
                    next_steps,
                },
            )),
            Role::EvidenceNote => evidence_notes.push(EvidenceNote {
                id: rule.id.clone(),
                title: rule.title.clone(),
                practitioner: rule.practitioner.clone(),
                client: rule.client.clone(),
                effect_kinds: vec![rule.kind],
                direction: rule.direction,
                grade: rule.grade,
                triggers,
                references: citations(kb, &rule.references),
                next_steps,
            }),
        }
    }
    // Strongest evidence first; equal grades keep the knowledge base's order.
    contributors.sort_by(|(oa, a), (ob, b)| b.grade.cmp(&a.grade).then(oa.cmp(ob)));
    GroupFindings {
        group,
        title: kb
            .group(group)
            .map(|g| g.practitioner_title.clone())
            .unwrap_or_else(|| group.key().to_owned()),
        contributors: contributors.into_iter().map(|(_, c)| c).collect(),
        evidence_notes,
    }
}

/// Hits in a stable order, without duplicates, so answer order never matters.
fn sorted(mut hits: Vec<TriggerHit>) -> Vec<TriggerHit> {
    hits.sort_by(|a, b| {
        a.answer
            .cmp(&b.answer)
            .then_with(|| a.to_confirm.cmp(&b.to_confirm))
            .then_with(|| a.path.cmp(&b.path))
    });
    hits.dedup();
    hits
}

fn citations(kb: &KnowledgeBase, ids: &[String]) -> Vec<Citation> {
    ids.iter()
        .filter_map(|id| kb.reference(id))
        .map(citation)
        .collect()
}

fn citation(r: &Reference) -> Citation {
    Citation {
        id: r.id.clone(),
        short: r.short(),
        citation: r.citation(),
        verified: r.verified,
    }
}

fn medication_reports(f: &Facts<'_>, groups: &[GroupFindings]) -> Vec<MedicationReport> {
    f.meds
        .iter()
        .map(|m| {
            let fired = |hits: &[TriggerHit]| hits.iter().any(|h| h.path == m.path);
            let findings = groups
                .iter()
                .flat_map(|g| {
                    let c = g
                        .contributors
                        .iter()
                        .filter(|c| fired(&c.triggers))
                        .map(|c| c.id.clone());
                    let n = g
                        .evidence_notes
                        .iter()
                        .filter(|n| fired(&n.triggers))
                        .map(|n| n.id.clone());
                    c.chain(n).collect::<Vec<_>>()
                })
                .collect();
            let classes = m
                .ingredients
                .iter()
                .map(|(ing, class)| {
                    let info = f.kb.class(class);
                    AppliedClass {
                        ingredient: ing.display_name(),
                        class: (*class).to_owned(),
                        class_name: info.map(|c| c.name.clone()).unwrap_or_default(),
                        note: info
                            .and_then(|c| c.note.clone())
                            .or_else(|| ing.note.clone()),
                    }
                })
                .collect();
            MedicationReport {
                path: m.path.clone(),
                typed: m.entry.name.clone(),
                resolution: m.matched.resolution,
                method: m.matched.method,
                score: m.matched.score,
                product: m.matched.product.clone(),
                ingredients: m.matched.ingredients.clone(),
                route: m.route,
                classes,
                findings,
            }
        })
        .collect()
}

fn unrecognised(f: &Facts<'_>) -> Vec<UnrecognisedMedication> {
    let suggestions = |m: &crate::knowledge::matching::MedicationMatch| {
        m.candidates
            .iter()
            .map(|c| Suggestion {
                name: c.matched.clone(),
                ingredients: c.ingredients.iter().map(|i| i.name.clone()).collect(),
                score: c.score,
            })
            .collect()
    };
    let meds = f
        .meds
        .iter()
        .filter(|m| m.matched.resolution == Resolution::Unrecognised)
        .map(|m| UnrecognisedMedication {
            path: format!("{}.name", m.path),
            typed: m.entry.name.clone(),
            suggestions: suggestions(&m.matched),
        });
    let courses = f.courses.iter().filter_map(|c| {
        let m = c.matched.as_ref()?;
        (m.resolution == Resolution::Unrecognised).then(|| UnrecognisedMedication {
            path: format!("{}.name", c.path),
            typed: m.typed.clone(),
            suggestions: suggestions(m),
        })
    });
    meds.chain(courses).collect()
}
