//! Rules, triggers, red flags and next steps.

use super::{Problems, cites, unique, wording};
use crate::knowledge::{Direction, Grade, Group, KbProblem, KnowledgeBase, Role, Rule, Trigger};

pub(super) fn check(kb: &KnowledgeBase, p: &mut Problems) {
    unique("rule", kb.rules.iter().map(|r| r.id.as_str()), p);
    unique("red flag", kb.red_flags.iter().map(|r| r.id.as_str()), p);
    unique("next step", kb.next_steps.iter().map(|n| n.id.as_str()), p);
    for rule in &kb.rules {
        check_rule(kb, rule, p);
    }
    for flag in &kb.red_flags {
        let at = format!("red flag {}", flag.id);
        cites(kb, &at, &flag.references, true, p);
        wording(&at, "title", &flag.title, p);
        wording(&at, "practitioner", &flag.practitioner, p);
        wording(&at, "client", &flag.client, p);
        trigger(kb, &at, &flag.trigger, p);
        if matches!(
            flag.trigger,
            Trigger::Medication(_) | Trigger::AnyMedication
        ) {
            p.push(KbProblem::new(
                &at,
                "a red flag cannot be triggered by a medication",
            ));
        }
    }
    for step in &kb.next_steps {
        let at = format!("next step {}", step.id);
        wording(&at, "text", &step.text, p);
        cites(kb, &at, &step.references, false, p);
    }
}

fn check_rule(kb: &KnowledgeBase, rule: &Rule, p: &mut Problems) {
    let at = format!("rule {}", rule.id);
    cites(kb, &at, &rule.references, true, p);
    for (field, text) in [
        ("title", &rule.title),
        ("plain_title", &rule.plain_title),
        ("practitioner", &rule.practitioner),
        ("client", &rule.client),
        ("target", &rule.target),
    ] {
        wording(&at, field, text, p);
    }
    if let Some(conditions) = &rule.conditions {
        wording(&at, "conditions", conditions, p);
    }
    for step in &rule.next_steps {
        if kb.next_step(step).is_none() {
            p.push(KbProblem::new(&at, format!("unknown next step `{step}`")));
        }
    }
    // A contributor must point somewhere; "no human evidence" or a
    // favourable association can only be an evidence note.
    if rule.role == Role::Contributor
        && matches!(
            rule.direction,
            Direction::NoHumanEvidence | Direction::Favourable
        )
    {
        p.push(KbProblem::new(
            &at,
            format!(
                "direction `{}` is only allowed on evidence notes",
                rule.direction.label()
            ),
        ));
    }
    if rule.direction == Direction::NoHumanEvidence && rule.grade > Grade::Low {
        p.push(KbProblem::new(
            &at,
            "a claim without human evidence cannot be graded above low",
        ));
    }
    let medication = uses_medication(&rule.trigger);
    if medication && rule.group != Group::Medications {
        p.push(KbProblem::new(
            &at,
            "a medication trigger belongs in the medications group",
        ));
    }
    if !medication && rule.group == Group::Medications {
        p.push(KbProblem::new(
            &at,
            "a medications rule needs a medication or antibiotic trigger",
        ));
    }
    trigger(kb, &at, &rule.trigger, p);
}

fn uses_medication(t: &Trigger) -> bool {
    match t {
        Trigger::Medication(_) | Trigger::AnyMedication | Trigger::AntibioticCourse(_) => true,
        Trigger::AnyOf { triggers } => triggers.iter().any(uses_medication),
        _ => false,
    }
}

fn trigger(kb: &KnowledgeBase, at: &str, t: &Trigger, p: &mut Problems) {
    match t {
        Trigger::Medication(m) => {
            if m.classes.is_empty() && m.families.is_empty() && m.ingredients.is_empty() {
                p.push(KbProblem::new(
                    at,
                    "medication trigger names no class, family or ingredient",
                ));
            }
            for c in &m.classes {
                if kb.class(c).is_none() {
                    p.push(KbProblem::new(
                        at,
                        format!("trigger names unknown class `{c}`"),
                    ));
                }
            }
            for f in &m.families {
                if kb.family(f).is_none() {
                    p.push(KbProblem::new(
                        at,
                        format!("trigger names unknown family `{f}`"),
                    ));
                }
            }
            for i in m.ingredients.iter().chain(&m.except_ingredients) {
                if kb.ingredient(i).is_none() {
                    p.push(KbProblem::new(
                        at,
                        format!("trigger names unknown ingredient `{i}`"),
                    ));
                }
            }
        }
        Trigger::AntibioticCourse(c) => {
            if c.min_months_ago > c.max_months_ago {
                p.push(KbProblem::new(at, "course window starts after it ends"));
            }
            for class in &c.classes {
                match kb.class(class) {
                    Some(k) if k.family == "antibiotic" => {}
                    _ => p.push(KbProblem::new(
                        at,
                        format!("`{class}` is not an antibiotic class"),
                    )),
                }
            }
        }
        Trigger::DietFrequency(f) if f.at_least.is_none() && f.at_most.is_none() => {
            p.push(KbProblem::new(
                at,
                "frequency trigger needs at_least or at_most",
            ));
        }
        Trigger::Exposure { any_of } if any_of.is_empty() => {
            p.push(KbProblem::new(at, "exposure trigger lists no exposure"));
        }
        Trigger::FamilyHistory { any_of } if any_of.is_empty() => {
            p.push(KbProblem::new(
                at,
                "family-history trigger lists no condition",
            ));
        }
        Trigger::DiagnosisMentions { words }
            if words.iter().any(|w| w.trim().is_empty()) || words.is_empty() =>
        {
            p.push(KbProblem::new(
                at,
                "diagnosis trigger needs non-empty words",
            ));
        }
        Trigger::AnyOf { triggers } => {
            if triggers.is_empty() {
                p.push(KbProblem::new(at, "any_of lists no trigger"));
            }
            for inner in triggers {
                trigger(kb, at, inner, p);
            }
        }
        _ => {}
    }
}
