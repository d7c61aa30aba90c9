//! Scoring the questionnaires and single-item measures, using the
//! knowledge base's metadata (reverse items, subscales, bands).

use std::collections::BTreeMap;

use super::facts::ScoreFact;
use super::model::{BandResult, InstrumentResult, SubscaleResult};
use crate::intake::{Frequency, Intake};
use crate::knowledge::{Instrument, KnowledgeBase, ScoreId};

/// Every answered instrument, in a fixed order, and the scores rules can read.
pub(crate) fn score_all(
    intake: &Intake,
    kb: &KnowledgeBase,
) -> (Vec<InstrumentResult>, BTreeMap<ScoreId, ScoreFact>) {
    let mut results = Vec::new();
    let mut scores = BTreeMap::new();
    let stress = intake.stress_sleep.as_ref();
    let diet = intake.diet.as_ref();

    if let (Some(answers), Some(inst)) = (
        stress.and_then(|s| s.phq4.as_deref()),
        kb.instrument("phq4"),
    ) {
        let r = summed(inst, answers, "stress_sleep.phq4");
        record(&mut scores, ScoreId::Phq4, &r, "PHQ-4");
        for sub in &r.subscales {
            let id = match sub.id.as_str() {
                "anxiety" => ScoreId::Phq4Anxiety,
                "depression" => ScoreId::Phq4Depression,
                _ => continue,
            };
            scores.insert(
                id,
                ScoreFact {
                    value: sub.score,
                    path: r.path.clone(),
                    label: format!("PHQ-4 {}", sub.name),
                },
            );
        }
        results.push(r);
    }
    if let (Some(answers), Some(inst)) = (
        stress.and_then(|s| s.gad7.as_deref()),
        kb.instrument("gad7"),
    ) {
        let r = summed(inst, answers, "stress_sleep.gad7");
        record(&mut scores, ScoreId::Gad7, &r, "GAD-7");
        results.push(r);
    }
    if let (Some(answers), Some(inst)) = (
        stress.and_then(|s| s.pss10.as_deref()),
        kb.instrument("pss10"),
    ) {
        let r = summed(inst, answers, "stress_sleep.pss10");
        record(&mut scores, ScoreId::Pss10, &r, "PSS-10");
        results.push(r);
    }
    if let (Some(b), Some(inst)) = (intake.bristol.as_ref(), kb.instrument("bristol")) {
        let value = u32::from(b.usual_type);
        let mut r = base(inst, "bristol.usual_type");
        r.score = Some(value);
        r.band = band(inst, value);
        r.answer = inst
            .items
            .iter()
            .find(|i| i.number == value)
            .and_then(|i| i.text.clone());
        if let Some(n) = b.bowel_movements_per_week {
            r.details.push(format!("{n} bowel movements a week"));
        }
        if b.alternates == Some(true) {
            r.details
                .push("stool form alternates between hard and loose".to_owned());
        }
        r.complete = (1..=7).contains(&value);
        results.push(r);
    }
    if let (Some(g), Some(inst)) = (intake.gi_symptoms.as_ref(), kb.instrument("gi_checklist")) {
        results.push(gi_checklist(inst, g));
    }
    if let (Some(n), Some(inst)) = (
        diet.and_then(|d| d.plants_per_week),
        kb.instrument("plants_per_week"),
    ) {
        let mut r = base(inst, "diet.plants_per_week");
        r.score = Some(u32::from(n));
        r.band = band(inst, u32::from(n));
        results.push(r);
    }
    for (id, value) in [
        ("added_sugar", diet.and_then(|d| d.added_sugar)),
        ("ultra_processed", diet.and_then(|d| d.ultra_processed)),
        ("fermented_foods", diet.and_then(|d| d.fermented_foods)),
    ] {
        if let (Some(v), Some(inst)) = (value, kb.instrument(id)) {
            results.push(frequency(inst, &format!("diet.{id}"), v));
        }
    }
    if let (Some(rs), Some(inst)) = (
        diet.and_then(|d| d.restrictions.as_ref()),
        kb.instrument("restriction"),
    ) {
        let mut r = base(inst, "diet.restrictions");
        r.details = rs
            .iter()
            .map(|x| {
                let groups: Vec<&str> = x.excluded.iter().map(|g| g.label()).collect();
                let plan = match x.reintroduction_planned {
                    Some(true) => "; reintroduction planned",
                    Some(false) => "; no reintroduction plan",
                    None => "",
                };
                format!(
                    "{} for {} months, advised by {}{plan}",
                    groups.join(", "),
                    x.months,
                    x.advised_by.label()
                )
            })
            .collect();
        if r.details.is_empty() {
            r.answer = Some("no food groups excluded".to_owned());
        }
        results.push(r);
    }
    if let (Some(s), Some(inst)) = (stress, kb.instrument("sleep"))
        && (s.sleep_hours.is_some() || s.sleep_quality.is_some())
    {
        let mut r = base(inst, "stress_sleep");
        if let Some(h) = s.sleep_hours {
            r.details.push(format!("{h} hours a night"));
        }
        if let Some(q) = s.sleep_quality {
            r.details.push(format!("sleep quality {}", q.label()));
        }
        results.push(r);
    }
    (results, scores)
}

fn record(
    scores: &mut BTreeMap<ScoreId, ScoreFact>,
    id: ScoreId,
    r: &InstrumentResult,
    label: &str,
) {
    if let Some(value) = r.score {
        scores.insert(
            id,
            ScoreFact {
                value,
                path: r.path.clone(),
                label: label.to_owned(),
            },
        );
    }
}

fn base(inst: &Instrument, path: &str) -> InstrumentResult {
    InstrumentResult {
        id: inst.id.clone(),
        name: inst.name.clone(),
        score: None,
        min: inst.min,
        max: inst.max,
        band: None,
        subscales: Vec::new(),
        answer: None,
        details: Vec::new(),
        interpretation: inst.bands_note.clone().or_else(|| inst.note.clone()),
        notice: inst.notice.clone(),
        path: path.to_owned(),
        complete: true,
    }
}

fn band(inst: &Instrument, score: u32) -> Option<BandResult> {
    inst.band_for(score).map(|b| BandResult {
        id: b.id.clone(),
        label: b.label.clone(),
        verified: b.verified,
    })
}

/// Sums item answers, reversing the items the metadata marks; scores only a
/// complete, in-range set of answers.
fn summed(inst: &Instrument, answers: &[u8], path: &str) -> InstrumentResult {
    let mut r = base(inst, path);
    let top = inst.options.iter().map(|o| o.value).max().unwrap_or(0);
    let in_range = answers.iter().all(|a| u32::from(*a) <= top);
    if answers.len() != inst.items.len() || !in_range {
        r.complete = false;
        return r;
    }
    let item_score = |number: u32| -> u32 {
        let index = usize::try_from(number).ok().and_then(|n| n.checked_sub(1));
        let raw = index
            .and_then(|i| answers.get(i))
            .map(|a| u32::from(*a))
            .unwrap_or(0);
        let reverse = inst.items.iter().any(|i| i.number == number && i.reverse);
        if reverse { top - raw } else { raw }
    };
    let total: u32 = inst.items.iter().map(|i| item_score(i.number)).sum();
    r.score = Some(total);
    r.band = band(inst, total);
    r.subscales = inst
        .subscales
        .iter()
        .map(|s| {
            let score: u32 = s.items.iter().map(|n| item_score(*n)).sum();
            SubscaleResult {
                id: s.id.clone(),
                name: s.name.clone(),
                score,
                positive: s.positive_at.map(|cut| score >= cut),
            }
        })
        .collect();
    r
}

fn gi_checklist(inst: &Instrument, g: &crate::intake::GiSymptoms) -> InstrumentResult {
    let mut r = base(inst, "gi_symptoms");
    let mut burdens: Vec<(u32, &str)> = Vec::new();
    for (field, rating) in g.ratings() {
        let Some(rating) = rating else { continue };
        let points = rating.frequency.points() * rating.severity.points();
        let topic = inst
            .items
            .iter()
            .find(|i| i.field.as_deref() == Some(field))
            .map(|i| i.topic.as_str())
            .unwrap_or(field);
        burdens.push((points, topic));
        if points > 0 {
            r.details.push(format!(
                "{topic}: {}, {} ({points}/12)",
                rating.frequency.label(),
                rating.severity.label()
            ));
        }
    }
    r.score = Some(burdens.iter().map(|(p, _)| p).sum());
    // Highest burden first; ties keep checklist order.
    let mut order: Vec<usize> = (0..r.details.len()).collect();
    let nonzero: Vec<u32> = burdens
        .iter()
        .filter(|(p, _)| *p > 0)
        .map(|(p, _)| *p)
        .collect();
    order.sort_by(|a, b| nonzero[*b].cmp(&nonzero[*a]));
    r.details = order.into_iter().map(|i| r.details[i].clone()).collect();
    if let Some(months) = g.duration_months {
        r.details.push(format!("symptoms for {months} months"));
    }
    r
}

fn frequency(inst: &Instrument, path: &str, value: Frequency) -> InstrumentResult {
    let mut r = base(inst, path);
    r.answer = Some(value.label().to_owned());
    r
}
