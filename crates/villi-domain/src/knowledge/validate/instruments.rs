//! Questionnaire metadata: items, subscales, bands and licences.

use std::collections::BTreeSet;

use super::{Problems, cites, unique, wording};
use crate::intake::GiSymptoms;
use crate::knowledge::{Instrument, InstrumentKind, KbProblem, KnowledgeBase, Licence};

/// Instruments the assessment scores; each must be present.
const REQUIRED: &[&str] = &[
    "phq4",
    "gad7",
    "pss10",
    "bristol",
    "gi_checklist",
    "plants_per_week",
    "added_sugar",
    "ultra_processed",
    "fermented_foods",
    "restriction",
    "sleep",
];

pub(super) fn check(kb: &KnowledgeBase, p: &mut Problems) {
    unique(
        "instrument",
        kb.instruments.iter().map(|i| i.id.as_str()),
        p,
    );
    for id in REQUIRED {
        if kb.instrument(id).is_none() {
            p.push(KbProblem::new(format!("instrument {id}"), "is missing"));
        }
    }
    for inst in &kb.instruments {
        one(kb, inst, p);
    }
    expect_items(kb, "phq4", 4, &[], p);
    expect_items(kb, "gad7", 7, &[], p);
    expect_items(kb, "pss10", 10, &[4, 5, 7, 8], p);
    expect_items(kb, "bristol", 7, &[], p);
    if let Some(gi) = kb.instrument("gi_checklist") {
        let fields: BTreeSet<&str> = gi.items.iter().filter_map(|i| i.field.as_deref()).collect();
        let intake: BTreeSet<&str> = GiSymptoms::default()
            .ratings()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        if fields != intake {
            p.push(KbProblem::new(
                "instrument gi_checklist",
                format!("item fields {fields:?} differ from the intake's checklist {intake:?}"),
            ));
        }
    }
}

fn one(kb: &KnowledgeBase, inst: &Instrument, p: &mut Problems) {
    let at = format!("instrument {}", inst.id);
    cites(kb, &at, &inst.references, false, p);
    wording(&at, "name", &inst.name, p);
    for text in [&inst.note, &inst.bands_note].into_iter().flatten() {
        wording(&at, "note", text, p);
    }
    match inst.licence {
        Licence::FreeWithNotice => {
            if inst.notice.as_deref().is_none_or(|n| n.trim().is_empty()) {
                p.push(KbProblem::new(
                    &at,
                    "a free-with-notice instrument must carry its notice",
                ));
            }
            if inst.items.iter().any(|i| i.text.is_none()) {
                p.push(KbProblem::new(&at, "every item needs its text"));
            }
        }
        Licence::MetadataOnly => {
            if inst.items.iter().any(|i| i.text.is_some()) {
                p.push(KbProblem::new(
                    &at,
                    "licence is metadata-only: item text must not ship",
                ));
            }
        }
        Licence::OwnWording => {}
    }
    for (n, item) in inst.items.iter().enumerate() {
        if usize::try_from(item.number).ok() != Some(n + 1) {
            p.push(KbProblem::new(
                &at,
                format!("item {} is out of order (expected {})", item.number, n + 1),
            ));
        }
        if item.topic.trim().is_empty() {
            p.push(KbProblem::new(
                &at,
                format!("item {} has no topic", item.number),
            ));
        }
    }
    for sub in &inst.subscales {
        for n in &sub.items {
            if !inst.items.iter().any(|i| i.number == *n) {
                p.push(KbProblem::new(
                    &at,
                    format!("subscale {} names unknown item {n}", sub.id),
                ));
            }
        }
    }
    bands(&at, inst, p);
    if inst.kind == InstrumentKind::SummedScale && (inst.min.is_none() || inst.max.is_none()) {
        p.push(KbProblem::new(&at, "a summed scale needs min and max"));
    }
}

/// Bands must run from min to max without gaps or overlaps.
fn bands(at: &str, inst: &Instrument, p: &mut Problems) {
    if inst.bands.is_empty() {
        return;
    }
    let (Some(min), Some(max)) = (inst.min, inst.max) else {
        p.push(KbProblem::new(
            at,
            "bands need the instrument's min and max",
        ));
        return;
    };
    let mut next = min;
    for band in &inst.bands {
        if band.min != next || band.max < band.min {
            p.push(KbProblem::new(
                at,
                format!(
                    "band {} covers {}-{}; expected it to start at {next}",
                    band.id, band.min, band.max
                ),
            ));
        }
        next = band.max.saturating_add(1);
    }
    if next != max.saturating_add(1) {
        p.push(KbProblem::new(
            at,
            format!(
                "bands end at {}, the scale at {max}",
                next.saturating_sub(1)
            ),
        ));
    }
}

fn expect_items(kb: &KnowledgeBase, id: &str, count: usize, reverse: &[u32], p: &mut Problems) {
    let Some(inst) = kb.instrument(id) else {
        return;
    };
    if inst.items.len() != count {
        p.push(KbProblem::new(
            format!("instrument {id}"),
            format!("{} items; {count} expected", inst.items.len()),
        ));
    }
    if inst.reverse_items() != reverse {
        p.push(KbProblem::new(
            format!("instrument {id}"),
            format!(
                "reverse-scored items {:?}; {reverse:?} expected",
                inst.reverse_items()
            ),
        ));
    }
}
