#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the assessment over generated intakes: it never panics,
//! adding a medication never removes an unrelated finding, and the order of
//! answers does not matter.

#[path = "assessment_properties/strategies.rs"]
mod strategies;

use proptest::prelude::*;
use strategies::{intake, json_value, medication};
use villi_domain::assessment::{Assessment, assess, render_html, render_json, render_text};
use villi_domain::intake::Intake;
use villi_domain::knowledge::KnowledgeBase;

/// What an assessment found, independent of where in a list an answer was.
fn findings(a: &Assessment) -> Vec<String> {
    let mut out = Vec::new();
    for g in &a.groups {
        for c in &g.contributors {
            let mut answers: Vec<String> = c
                .triggers
                .iter()
                .map(|t| format!("{}|{:?}", t.answer, t.to_confirm))
                .collect();
            answers.sort();
            out.push(format!(
                "{} {:?} {} {answers:?}",
                c.id, c.grade, c.confirmed
            ));
        }
        for n in &g.evidence_notes {
            out.push(format!("note {}", n.id));
        }
    }
    for f in &a.red_flags {
        let mut answers: Vec<&str> = f.triggers.iter().map(|t| t.answer.as_str()).collect();
        answers.sort();
        out.push(format!("flag {} {answers:?}", f.id));
    }
    let mut unrecognised: Vec<&str> = a
        .unrecognised_medications
        .iter()
        .map(|u| u.typed.as_str())
        .collect();
    unrecognised.sort();
    out.push(format!("unrecognised {unrecognised:?}"));
    for i in &a.instruments {
        let mut details = i.details.clone();
        details.sort();
        out.push(format!(
            "{} {:?} {:?} {details:?}",
            i.id,
            i.score,
            i.band.as_ref().map(|b| &b.id)
        ));
    }
    out.extend(a.next_steps.iter().map(|s| s.text.clone()));
    out
}

fn ids(a: &Assessment) -> Vec<String> {
    let mut out: Vec<String> = a.contributor_ids().into_iter().map(str::to_owned).collect();
    out.extend(
        a.evidence_note_ids()
            .into_iter()
            .map(|s| format!("note {s}")),
    );
    out.extend(a.red_flag_ids().into_iter().map(|s| format!("flag {s}")));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_intake_that_validates_is_assessed_and_rendered_without_panicking(intake in intake()) {
        prop_assert!(intake.validate().is_ok(), "{:?}", intake.validate());
        let kb = KnowledgeBase::embedded();
        let a = assess(&intake, kb);
        prop_assert_eq!(a.groups.len(), 4);
        let json: serde_json::Value = serde_json::from_str(&render_json(&a)).unwrap();
        for key in ["groups", "instruments", "red_flags", "unrecognised_medications", "missing_sections", "next_steps"] {
            prop_assert!(json.get(key).is_some(), "missing key {}", key);
        }
        prop_assert!(render_text(&a, kb).contains("NEXT STEPS"));
        prop_assert!(render_html(&a, kb).ends_with("</html>\n"));
        let again = Intake::from_json(&serde_json::to_string(&intake).unwrap()).unwrap();
        prop_assert_eq!(&again, &intake);
        prop_assert_eq!(assess(&again, kb), a);
    }

    #[test]
    fn adding_a_medication_never_removes_an_unrelated_finding(intake in intake(), extra in medication()) {
        let kb = KnowledgeBase::embedded();
        let before = assess(&intake, kb);
        let mut more = intake.clone();
        more.medications.get_or_insert_with(Vec::new).push(extra);
        let after = assess(&more, kb);
        let after_ids = ids(&after);
        for id in ids(&before) {
            prop_assert!(after_ids.contains(&id), "{} disappeared", id);
        }
        for (b, a) in before.groups.iter().zip(&after.groups).skip(1) {
            prop_assert_eq!(&b.contributors, &a.contributors, "non-medication group changed");
        }
        prop_assert_eq!(&before.red_flags, &after.red_flags);
        prop_assert_eq!(&before.instruments, &after.instruments);
    }

    #[test]
    fn the_order_of_answers_does_not_matter(intake in intake(), seed in any::<u64>()) {
        let kb = KnowledgeBase::embedded();
        let mut shuffled = intake.clone();
        let mut state = seed;
        let mut reorder = |len: usize| -> Vec<usize> {
            let mut order: Vec<usize> = (0..len).collect();
            for i in (1..len).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = usize::try_from(state >> 33).unwrap() % (i + 1);
                order.swap(i, j);
            }
            order
        };
        fn apply<T: Clone>(items: &mut Option<Vec<T>>, order: &[usize]) {
            if let Some(v) = items {
                *v = order.iter().map(|i| v[*i].clone()).collect();
            }
        }
        let n = shuffled.medications.as_ref().map_or(0, Vec::len);
        apply(&mut shuffled.medications, &reorder(n));
        let n = shuffled.antibiotic_courses.as_ref().map_or(0, Vec::len);
        apply(&mut shuffled.antibiotic_courses, &reorder(n));
        let n = shuffled.diagnoses.as_ref().map_or(0, Vec::len);
        apply(&mut shuffled.diagnoses, &reorder(n));
        let n = shuffled.family_history.as_ref().map_or(0, Vec::len);
        apply(&mut shuffled.family_history, &reorder(n));
        if let Some(d) = shuffled.diet.as_mut() {
            let n = d.restrictions.as_ref().map_or(0, Vec::len);
            apply(&mut d.restrictions, &reorder(n));
            let n = d.suspected_trigger_foods.as_ref().map_or(0, Vec::len);
            apply(&mut d.suspected_trigger_foods, &reorder(n));
        }
        if let Some(e) = shuffled.environment.as_mut() {
            let n = e.exposures.as_ref().map_or(0, Vec::len);
            apply(&mut e.exposures, &reorder(n));
            let n = e.places.as_ref().map_or(0, Vec::len);
            apply(&mut e.places, &reorder(n));
            let n = e.pets.as_ref().map_or(0, Vec::len);
            apply(&mut e.pets, &reorder(n));
        }
        prop_assert_eq!(findings(&assess(&intake, kb)), findings(&assess(&shuffled, kb)));
    }

    #[test]
    fn the_intake_parser_never_panics_on_any_text(text in ".{0,200}") {
        let _ = Intake::from_json(&text);
    }

    #[test]
    fn the_intake_parser_never_panics_on_any_json_shape(value in json_value()) {
        let mut doc = serde_json::Map::new();
        doc.insert("schema_version".to_owned(), serde_json::json!(1));
        for key in ["personal", "medications", "diet", "stress_sleep", "environment", "bristol"] {
            doc.insert(key.to_owned(), value.clone());
        }
        let _ = Intake::from_json(&serde_json::Value::Object(doc).to_string());
        let _ = Intake::from_json(&value.to_string());
    }
}
