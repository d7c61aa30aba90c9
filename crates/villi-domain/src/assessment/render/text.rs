//! Plain text for a terminal.

use std::fmt::Write as _;

use super::{all_citations, short_sources};
use crate::assessment::model::{Assessment, Contributor, InstrumentResult, TriggerHit};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::matching::Resolution;

/// The assessment as plain text, sections in reading order: summary, red
/// flags, the four groups, questionnaires, medications, next steps, sources.
pub fn render_text(a: &Assessment, kb: &KnowledgeBase) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "villi intake assessment (decision support, not a diagnosis)"
    );
    let _ = writeln!(
        o,
        "============================================================"
    );
    let _ = writeln!(o, "{}", a.summary.headline);
    for line in &a.summary.lines {
        let _ = writeln!(o, "  - {line}");
    }

    heading(&mut o, "RED FLAGS (screened first)");
    if a.red_flags.is_empty() {
        let _ = writeln!(o, "  None of the screened red flags were reported.");
    }
    for f in &a.red_flags {
        let _ = writeln!(o, "  [!] {}: {}.", f.title, f.action_text);
        let _ = writeln!(o, "      {}", f.practitioner);
        triggers(&mut o, &f.triggers, 6);
        let _ = writeln!(o, "      Sources: {}", short_sources(&f.references));
    }

    for g in &a.groups {
        heading(&mut o, &g.title.to_uppercase());
        if g.contributors.is_empty() {
            let _ = writeln!(o, "  No possible contributors found in the answers given.");
        }
        for (n, c) in g.contributors.iter().enumerate() {
            contributor(&mut o, n + 1, c);
        }
        if !g.evidence_notes.is_empty() {
            let _ = writeln!(o, "  Evidence notes:");
        }
        for note in &g.evidence_notes {
            let _ = writeln!(
                o,
                "   - {} [{} evidence]: {}",
                note.title,
                note.grade.label(),
                note.practitioner
            );
            let _ = writeln!(o, "     Sources: {}", short_sources(&note.references));
        }
    }

    heading(&mut o, "QUESTIONNAIRES AND MEASURES");
    if a.instruments.is_empty() {
        let _ = writeln!(o, "  None answered.");
    }
    for i in &a.instruments {
        instrument(&mut o, i);
    }

    heading(&mut o, "MEDICATIONS AS TYPED");
    if a.medications.is_empty() {
        let _ = writeln!(o, "  None listed.");
    }
    for m in &a.medications {
        let names: Vec<String> = m
            .ingredients
            .iter()
            .map(|i| format!("{} [{}]", i.name, i.class_name))
            .collect();
        let status = match m.resolution {
            Resolution::Recognised => "recognised",
            Resolution::ToConfirm => "to confirm",
            Resolution::Unrecognised => "not recognised, not assessed",
        };
        let _ = writeln!(
            o,
            "  \"{}\" -> {} ({status})",
            m.typed,
            if names.is_empty() {
                "?".to_owned()
            } else {
                names.join(" + ")
            }
        );
        for c in m.classes.iter().filter(|c| c.note.is_some()) {
            let _ = writeln!(
                o,
                "      {}: {}",
                c.ingredient,
                c.note.as_deref().unwrap_or_default()
            );
        }
    }
    if !a.unrecognised_medications.is_empty() {
        let _ = writeln!(o, "  Not recognised:");
        for u in &a.unrecognised_medications {
            let hints: Vec<String> = u
                .suggestions
                .iter()
                .map(|s| format!("{} ({:.2})", s.name, s.score))
                .collect();
            let hint = if hints.is_empty() {
                "no close match".to_owned()
            } else {
                format!("did you mean {}", hints.join(", "))
            };
            let _ = writeln!(o, "   - {}: \"{}\" ({hint})", u.path, u.typed);
        }
    }

    if !a.missing_sections.is_empty() {
        heading(&mut o, "NOT ANSWERED YET");
        for m in &a.missing_sections {
            let _ = writeln!(o, "  - {} ({})", m.title, m.section.key());
        }
    }

    heading(&mut o, "NEXT STEPS");
    for (n, s) in a.next_steps.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", n + 1, s.text);
    }
    if a.next_steps.is_empty() {
        let _ = writeln!(o, "  None.");
    }

    let cited = all_citations(a);
    if !cited.is_empty() {
        heading(&mut o, "SOURCES");
        for c in cited {
            let _ = writeln!(o, "  [{}] {}", c.id, c.citation);
            if let Some(r) = kb.reference(&c.id) {
                let _ = writeln!(o, "      Finding: {}", r.finding);
            }
        }
    }
    let notices: Vec<&str> = a
        .instruments
        .iter()
        .filter_map(|i| i.notice.as_deref())
        .collect();
    if let Some(notice) = notices.first() {
        heading(&mut o, "NOTICES");
        let _ = writeln!(o, "  PHQ-4 and GAD-7: {notice}");
    }
    o
}

fn heading(o: &mut String, title: &str) {
    let _ = writeln!(o);
    let _ = writeln!(o, "{title}");
    let _ = writeln!(o, "{}", "-".repeat(title.chars().count()));
}

fn contributor(o: &mut String, n: usize, c: &Contributor) {
    let kinds: Vec<&str> = c.effect_kinds.iter().map(|k| k.label()).collect();
    let confirm = if c.confirmed { "" } else { "; to confirm" };
    let _ = writeln!(
        o,
        "  {n}. {} [{} evidence; {}{confirm}]",
        c.title,
        c.grade.label(),
        kinds.join(", ")
    );
    let _ = writeln!(o, "     {}", c.practitioner);
    let _ = writeln!(o, "     For the client: {}", c.client);
    if let Some(cond) = &c.conditions {
        let _ = writeln!(o, "     Applies when: {cond}");
    }
    triggers(o, &c.triggers, 5);
    for step in &c.next_steps {
        let _ = writeln!(o, "     Next: {step}");
    }
    let _ = writeln!(o, "     Sources: {}", short_sources(&c.references));
}

fn triggers(o: &mut String, hits: &[TriggerHit], indent: usize) {
    for h in hits {
        let _ = write!(o, "{:indent$}Because {}: {}", "", h.path, h.answer);
        if let Some(note) = &h.to_confirm {
            let _ = write!(o, " (to confirm: {note})");
        }
        let _ = writeln!(o);
    }
}

fn instrument(o: &mut String, i: &InstrumentResult) {
    let mut line = format!("  {}", i.name);
    match (i.score, i.max) {
        (Some(s), Some(max)) if i.id != "bristol" => line.push_str(&format!(": {s} of {max}")),
        (Some(s), _) => line.push_str(&format!(": {s}")),
        _ => {}
    }
    if let Some(b) = &i.band {
        let mark = if b.verified {
            ""
        } else {
            ", band not official"
        };
        line.push_str(&format!(" ({}{mark})", b.label));
    }
    if let Some(answer) = &i.answer {
        line.push_str(&format!(": {answer}"));
    }
    if !i.complete {
        line.push_str(" (incomplete answers, not scored)");
    }
    let _ = writeln!(o, "{line}");
    for s in &i.subscales {
        let screen = match s.positive {
            Some(true) => ", positive screen",
            Some(false) => ", negative screen",
            None => "",
        };
        let _ = writeln!(o, "      {}: {}{screen}", s.name, s.score);
    }
    for d in &i.details {
        let _ = writeln!(o, "      {d}");
    }
    if let Some(note) = &i.interpretation {
        let _ = writeln!(o, "      Note: {note}");
    }
}
