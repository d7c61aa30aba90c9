//! Next steps and the short pre-call summary.

use super::model::{Assessment, NextStep};
use crate::intake::Intake;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::matching::Resolution;

/// Red-flag actions first, then steps from contributors and evidence notes
/// in group order, then screening, confirmation and completion steps.
pub(super) fn next_steps(a: &Assessment, kb: &KnowledgeBase) -> Vec<NextStep> {
    let mut steps: Vec<NextStep> = Vec::new();
    let mut add = |text: &str, because: &str| match steps.iter_mut().find(|s| s.text == text) {
        Some(s) if !s.because.iter().any(|b| b == because) => s.because.push(because.to_owned()),
        Some(_) => {}
        None => steps.push(NextStep {
            text: text.to_owned(),
            because: vec![because.to_owned()],
        }),
    };
    for flag in &a.red_flags {
        add(&format!("{}: {}.", flag.title, flag.action_text), &flag.id);
    }
    for group in &a.groups {
        for c in &group.contributors {
            for step in &c.next_steps {
                add(step, &c.id);
            }
        }
        for n in &group.evidence_notes {
            for step in &n.next_steps {
                add(step, &n.id);
            }
        }
    }
    let positive_screen = a.instruments.iter().any(|i| {
        i.subscales.iter().any(|s| s.positive == Some(true))
            || (i.id == "gad7" && i.score.is_some_and(|s| s >= 10))
    });
    if positive_screen && let Some(step) = kb.next_step("discuss-mood-screen") {
        add(&step.text, "mood-screen");
    }
    let unsure = a
        .medications
        .iter()
        .any(|m| m.resolution != Resolution::Recognised)
        || !a.unrecognised_medications.is_empty();
    if unsure && let Some(step) = kb.next_step("confirm-medication-names") {
        add(&step.text, "medication-names");
    }
    if !a.missing_sections.is_empty()
        && let Some(step) = kb.next_step("complete-missing-sections")
    {
        add(&step.text, "missing-sections");
    }
    steps
}

/// A few lines to read before the discovery call.
pub(super) fn summary(a: &Assessment, intake: &Intake) -> super::Summary {
    let contributors: usize = a.groups.iter().map(|g| g.contributors.len()).sum();
    let headline = match (a.red_flags.len(), contributors) {
        (0, 0) => {
            "No red flags and no possible contributors found in the answers given.".to_owned()
        }
        (0, n) => format!(
            "No red flags. {n} possible contributor{} to discuss.",
            plural(n)
        ),
        (r, n) => format!(
            "{r} red flag{} to address first, before anything else. {n} possible contributor{} to discuss.",
            plural(r),
            plural(n)
        ),
    };
    let mut lines = Vec::new();
    if !a.red_flags.is_empty() {
        let flags: Vec<String> = a
            .red_flags
            .iter()
            .map(|f| format!("{} ({})", f.title, f.action_text.to_lowercase()))
            .collect();
        lines.push(format!("Red flags: {}.", flags.join("; ")));
    }
    for g in &a.groups {
        if g.contributors.is_empty() {
            continue;
        }
        let mut items: Vec<String> = g
            .contributors
            .iter()
            .take(4)
            .map(|c| {
                let mark = if c.confirmed { "" } else { ", to confirm" };
                format!("{} ({} evidence{mark})", c.title, c.grade.label())
            })
            .collect();
        if g.contributors.len() > 4 {
            items.push(format!("and {} more", g.contributors.len() - 4));
        }
        lines.push(format!("{}: {}.", g.title, items.join("; ")));
    }
    if let Some(gi) = a.instruments.iter().find(|i| i.id == "gi_checklist") {
        let top: Vec<&str> = gi
            .details
            .iter()
            .filter(|d| d.ends_with("/12)"))
            .take(3)
            .map(String::as_str)
            .collect();
        if !top.is_empty() {
            lines.push(format!("Main symptoms: {}.", top.join("; ")));
        }
    }
    if let Some(diagnoses) = intake.diagnoses.as_ref().filter(|d| !d.is_empty()) {
        let names: Vec<&str> = diagnoses.iter().map(|d| d.name.as_str()).collect();
        lines.push(format!("Diagnoses given: {}.", names.join(", ")));
    }
    let scores: Vec<String> = a
        .instruments
        .iter()
        .filter_map(|i| {
            let score = i.score?;
            let band = i.band.as_ref()?;
            if matches!(i.id.as_str(), "bristol" | "plants_per_week") {
                return None;
            }
            let mark = if band.verified {
                ""
            } else {
                ", unofficial band"
            };
            Some(format!(
                "{} {score} ({}{mark})",
                i.name,
                band.label.to_lowercase()
            ))
        })
        .collect();
    if !scores.is_empty() {
        lines.push(format!("Questionnaires: {}.", scores.join("; ")));
    }
    let to_confirm: Vec<String> = a
        .medications
        .iter()
        .filter(|m| m.resolution == Resolution::ToConfirm)
        .map(|m| {
            let names: Vec<&str> = m.ingredients.iter().map(|i| i.name.as_str()).collect();
            format!("\"{}\" read as {}", m.typed, names.join(" + "))
        })
        .collect();
    if !to_confirm.is_empty() {
        lines.push(format!(
            "Medication names to confirm: {}.",
            to_confirm.join("; ")
        ));
    }
    if !a.unrecognised_medications.is_empty() {
        let names: Vec<String> = a
            .unrecognised_medications
            .iter()
            .map(|u| format!("\"{}\"", u.typed))
            .collect();
        lines.push(format!(
            "Not recognised (not assessed): {}.",
            names.join(", ")
        ));
    }
    if !a.missing_sections.is_empty() {
        let names: Vec<&str> = a
            .missing_sections
            .iter()
            .map(|m| m.title.as_str())
            .collect();
        lines.push(format!("Not answered yet: {}.", names.join(", ")));
    }
    if let Some(goal) = intake
        .goals
        .as_ref()
        .and_then(|g| g.most_important.as_ref().or(g.goals.first()))
    {
        lines.push(format!("Client's main goal: {goal}"));
    }
    super::Summary { headline, lines }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
