#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Renderers: stable JSON keys, escaped and self-contained HTML, readable
//! text, and no advice to stop a medication anywhere.

use std::fs;
use std::path::Path;

use villi_domain::assessment::{Assessment, assess, render_html, render_json, render_text};
use villi_domain::intake::{Intake, MedicationEntry};
use villi_domain::knowledge::{KnowledgeBase, forbidden_wording};

fn persona(prefix: &str) -> Intake {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/personas");
    let name = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with(prefix) && n.ends_with(".intake.json"))
        .unwrap();
    Intake::from_json(&fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

fn all_personas() -> Vec<Assessment> {
    let kb = KnowledgeBase::embedded();
    (1..=17)
        .map(|n| assess(&persona(&format!("{n:02}-")), kb))
        .collect()
}

#[test]
fn the_json_has_the_stable_top_level_keys() {
    let a = assess(&persona("17-"), KnowledgeBase::embedded());
    let json: serde_json::Value = serde_json::from_str(&render_json(&a)).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "groups",
        "instruments",
        "red_flags",
        "unrecognised_medications",
        "missing_sections",
        "next_steps",
        "summary",
    ] {
        assert!(keys.contains(&key), "missing {key} in {keys:?}");
    }
    let groups: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["medications", "diet", "stress", "environment"]);
    let c = &json["groups"][0]["contributors"][0];
    for field in [
        "id",
        "title",
        "client",
        "effect_kinds",
        "grade",
        "triggers",
        "references",
        "next_steps",
    ] {
        assert!(c.get(field).is_some(), "contributor lacks {field}");
    }
    let back: Assessment = serde_json::from_str(&render_json(&a)).unwrap();
    assert_eq!(back, a);
}

#[test]
fn the_html_is_a_complete_self_contained_page_with_escaped_text() {
    let kb = KnowledgeBase::embedded();
    let mut intake = persona("02-");
    intake.medications.as_mut().unwrap().push(MedicationEntry {
        name: "<script>alert('x')</script> & \"Nexium\"".to_owned(),
        dose: None,
        duration_months: Some(30),
        frequency: None,
        route: None,
    });
    let html = render_html(&assess(&intake, kb), kb);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<style>"));
    assert!(html.contains("@media print"));
    assert!(!html.contains("<script"), "raw script tag in output");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Nexium&quot;")
    );
    for external in ["http://", "https://", "src=", "<link", "@import"] {
        assert!(!html.contains(external), "external reference {external}");
    }
}

#[test]
fn the_text_lists_sections_in_reading_order() {
    let kb = KnowledgeBase::embedded();
    let text = render_text(&assess(&persona("17-"), kb), kb);
    let order = [
        "RED FLAGS",
        "MEDICATIONS",
        "DIET",
        "STRESS",
        "ENVIRONMENT",
        "QUESTIONNAIRES",
        "MEDICATIONS AS TYPED",
        "NEXT STEPS",
        "SOURCES",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|h| text.find(h).unwrap_or_else(|| panic!("no {h}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(text.contains("Because medications[0]"));
    assert!(
        text.contains("No permission required"),
        "the PHQ/GAD-7 notice is shown"
    );
}

#[test]
fn assessing_twice_gives_identical_output() {
    let kb = KnowledgeBase::embedded();
    let intake = persona("17-");
    let (a, b) = (assess(&intake, kb), assess(&intake, kb));
    assert_eq!(render_json(&a), render_json(&b));
    assert_eq!(render_html(&a, kb), render_html(&b, kb));
}

#[test]
fn no_rendered_assessment_tells_anyone_to_stop_a_medication() {
    let kb = KnowledgeBase::embedded();
    for a in all_personas() {
        for out in [render_text(&a, kb), render_html(&a, kb), render_json(&a)] {
            for line in out.lines() {
                assert_eq!(forbidden_wording(line), None, "{line}");
            }
        }
    }
}

#[test]
fn every_contributor_names_its_answers_references_and_a_grade() {
    for a in all_personas() {
        for g in &a.groups {
            for c in &g.contributors {
                assert!(!c.triggers.is_empty(), "{}", c.id);
                assert!(!c.references.is_empty(), "{}", c.id);
                assert!(!c.effect_kinds.is_empty(), "{}", c.id);
                assert!(
                    c.triggers
                        .iter()
                        .all(|t| !t.path.is_empty() && !t.answer.is_empty()),
                    "{}",
                    c.id
                );
            }
        }
    }
}

#[test]
fn a_partial_intake_lists_its_missing_sections_and_asks_for_them() {
    let a = assess(&persona("12-"), KnowledgeBase::embedded());
    assert_eq!(a.missing_sections.len(), 10);
    assert!(
        a.next_steps
            .iter()
            .any(|s| s.because.contains(&"missing-sections".to_owned()))
    );
    assert!(
        a.summary
            .lines
            .iter()
            .any(|l| l.starts_with("Not answered yet"))
    );
}
