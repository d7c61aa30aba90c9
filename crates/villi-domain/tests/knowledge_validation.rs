#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The embedded knowledge base is valid, and validation catches what it must.

use std::collections::BTreeSet;

use villi_domain::knowledge::{
    Direction, EMBEDDED_SOURCES, Grade, KnowledgeBase, Role, Trigger, forbidden_wording,
};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

#[test]
fn the_embedded_knowledge_base_has_no_problems() {
    let problems = match KnowledgeBase::from_sources(EMBEDDED_SOURCES) {
        Ok(kb) => kb.validate(),
        Err(problems) => problems,
    };
    let listing: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        listing.is_empty(),
        "{} problems:\n{}",
        listing.len(),
        listing.join("\n")
    );
}

#[test]
fn the_embedded_knowledge_base_is_parsed_once_per_process() {
    assert!(std::ptr::eq(
        KnowledgeBase::embedded(),
        KnowledgeBase::embedded()
    ));
}

#[test]
fn every_rule_and_red_flag_cites_an_existing_reference() {
    let kb = kb();
    for rule in &kb.rules {
        assert!(
            !rule.references.is_empty(),
            "rule {} cites nothing",
            rule.id
        );
        for r in &rule.references {
            assert!(
                kb.reference(r).is_some(),
                "rule {} cites unknown {r}",
                rule.id
            );
        }
    }
    for flag in &kb.red_flags {
        assert!(
            !flag.references.is_empty(),
            "red flag {} cites nothing",
            flag.id
        );
        for r in &flag.references {
            assert!(
                kb.reference(r).is_some(),
                "red flag {} cites unknown {r}",
                flag.id
            );
        }
    }
}

#[test]
fn every_reference_is_cited_somewhere() {
    let kb = kb();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    used.extend(
        kb.rules
            .iter()
            .flat_map(|r| r.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.red_flags
            .iter()
            .flat_map(|r| r.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.next_steps
            .iter()
            .flat_map(|n| n.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.instruments
            .iter()
            .flat_map(|i| i.references.iter().map(String::as_str)),
    );
    let unused: Vec<&str> = kb
        .references
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !used.contains(id))
        .collect();
    assert!(unused.is_empty(), "uncited references: {unused:?}");
}

#[test]
fn unverified_references_are_marked_in_their_citation() {
    let kb = kb();
    let unverified: Vec<_> = kb.references.iter().filter(|r| !r.verified).collect();
    assert!(!unverified.is_empty());
    for r in unverified {
        assert!(r.citation().ends_with("[unverified]"), "{}", r.id);
    }
    // Identifiers the evidence review marked as unverified are not carried over.
    assert!(kb.reference("imhann2016").unwrap().doi.is_none());
    assert!(!kb.reference("imhann2016").unwrap().verified);
    assert_eq!(
        kb.reference("lam2013").unwrap().doi.as_deref(),
        Some("10.1001/jama.2013.280490")
    );
}

#[test]
fn no_wording_tells_anyone_to_stop_a_medication() {
    let kb = kb();
    let mut texts: Vec<(String, &str)> = Vec::new();
    for r in &kb.rules {
        for t in [
            &r.title,
            &r.plain_title,
            &r.practitioner,
            &r.client,
            &r.target,
        ] {
            texts.push((format!("rule {}", r.id), t));
        }
        texts.extend(
            r.conditions
                .iter()
                .map(|c| (format!("rule {}", r.id), c.as_str())),
        );
    }
    for f in &kb.red_flags {
        for t in [&f.title, &f.practitioner, &f.client] {
            texts.push((format!("red flag {}", f.id), t));
        }
    }
    texts.extend(
        kb.next_steps
            .iter()
            .map(|n| (format!("next step {}", n.id), n.text.as_str())),
    );
    texts.extend(
        kb.classes
            .iter()
            .filter_map(|c| c.note.as_deref().map(|n| (format!("class {}", c.id), n))),
    );
    texts.extend(
        kb.overview
            .caveats
            .iter()
            .map(|c| ("overview".to_owned(), c.as_str())),
    );
    texts.extend(
        kb.groups
            .iter()
            .map(|g| ("group".to_owned(), g.public_intro.as_str())),
    );
    assert!(texts.len() > 300);
    for (at, text) in texts {
        assert_eq!(forbidden_wording(text), None, "{at}: {text}");
    }
}

#[test]
fn the_wording_check_catches_stop_discontinue_and_quit_but_not_stool() {
    assert_eq!(forbidden_wording("Stop taking omeprazole."), Some("stop"));
    assert_eq!(
        forbidden_wording("Consider discontinuing the PPI"),
        Some("discontinuing")
    );
    assert_eq!(forbidden_wording("you could quit metformin"), Some("quit"));
    assert_eq!(
        forbidden_wording("Time to come off the pill"),
        Some("come off")
    );
    assert_eq!(
        forbidden_wording("Blood in the stool; non-stop pain"),
        Some("stop")
    );
    assert_eq!(
        forbidden_wording("Discuss with the prescriber; stool form typical"),
        None
    );
}

#[test]
fn contributors_never_claim_what_only_an_evidence_note_may() {
    for rule in &kb().rules {
        if rule.role == Role::Contributor {
            assert!(
                !matches!(
                    rule.direction,
                    Direction::NoHumanEvidence | Direction::Favourable
                ),
                "{}",
                rule.id
            );
        }
    }
}

#[test]
fn weak_or_contradicted_claims_are_recorded_as_such() {
    let kb = kb();
    let note = |id: &str| {
        let r = kb.rule(id).unwrap_or_else(|| panic!("missing {id}"));
        assert_eq!(r.role, Role::EvidenceNote, "{id}");
        r
    };
    assert_eq!(
        note("oral-oestrogen-permeability-note").direction,
        Direction::NoHumanEvidence
    );
    assert_eq!(note("metformin-klebsiella-note").grade, Grade::VeryLow);
    assert_eq!(
        note("statin-less-dysbiosis-note").direction,
        Direction::Favourable
    );
    assert!(matches!(
        note("any-medication-claim-note").trigger,
        Trigger::AnyMedication
    ));
    assert_eq!(kb.rule("metformin-vitamin-b12").unwrap().grade, Grade::High);
    assert_eq!(kb.rule("coc-nutrient-status").unwrap().grade, Grade::Low);
}

#[test]
fn validation_reports_every_problem_not_just_the_first() {
    let broken_rules = r#"
[[rule]]
id = "broken-one"
group = "diet"
kind = "microbiome"
direction = "no_human_evidence"
target = "x"
grade = "high"
title = "t"
plain_title = "p"
practitioner = "Please stop the medication."
client = "c"
next_steps = ["no-such-step"]
references = ["no-such-reference"]
trigger = { type = "plants_per_week_at_most", value = 5 }

[[rule]]
id = "broken-two"
group = "diet"
kind = "barrier"
direction = "increases"
target = "x"
grade = "low"
title = "t"
plain_title = "p"
practitioner = "q"
client = "c"
references = []
trigger = { type = "medication", classes = ["no-such-class"] }
"#;
    let mut sources: Vec<(&str, &str)> = EMBEDDED_SOURCES.to_vec();
    sources.push(("rules/broken.toml", broken_rules));
    let problems = KnowledgeBase::from_sources(&sources).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let joined = text.join("\n");
    for expected in [
        "rule broken-one: practitioner uses \"stop\"",
        "rule broken-one: unknown next step `no-such-step`",
        "rule broken-one: cites unknown reference `no-such-reference`",
        "rule broken-one: direction `no human evidence found` is only allowed on evidence notes",
        "rule broken-one: a claim without human evidence cannot be graded above low",
        "rule broken-two: cites no reference",
        "rule broken-two: trigger names unknown class `no-such-class`",
        "rule broken-two: a medication trigger belongs in the medications group",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in:\n{joined}"
        );
    }
}

#[test]
fn an_invalid_grade_or_kind_is_rejected_with_the_file_named() {
    let bad = r#"
[[rule]]
id = "bad-grade"
group = "diet"
kind = "vibes"
direction = "increases"
target = "x"
grade = "excellent"
title = "t"
plain_title = "p"
practitioner = "q"
client = "c"
references = ["lam2013"]
trigger = { type = "pets" }
"#;
    let mut sources: Vec<(&str, &str)> = EMBEDDED_SOURCES.to_vec();
    sources.push(("rules/bad.toml", bad));
    let problems = KnowledgeBase::from_sources(&sources).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location, "rules/bad.toml");
    assert!(
        problems[0].problem.contains("unknown variant"),
        "{}",
        problems[0].problem
    );
}

#[test]
fn a_name_listed_for_two_ingredients_is_reported() {
    let clash = r#"
[[ingredient]]
id = "fakeprazole"
class = "ppi"
us = ["Nexium"]
"#;
    let mut sources: Vec<(&str, &str)> = EMBEDDED_SOURCES.to_vec();
    sources.push(("medications/clash.toml", clash));
    let problems = KnowledgeBase::from_sources(&sources).unwrap_err();
    let joined: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        joined
            .iter()
            .any(|p| p.contains("name \"nexium\": resolves to several entries")),
        "{joined:?}"
    );
}

#[test]
fn the_medication_table_covers_the_required_classes_with_enough_ingredients() {
    let kb = kb();
    assert!(
        kb.ingredients.len() >= 150,
        "{} ingredients",
        kb.ingredients.len()
    );
    let classes: BTreeSet<&str> = kb.ingredients.iter().map(|i| i.class.as_str()).collect();
    for class in [
        "penicillin",
        "macrolide",
        "fluoroquinolone",
        "tetracycline",
        "cephalosporin",
        "ppi",
        "h2ra",
        "nsaid",
        "aspirin",
        "biguanide",
        "sulfonylurea",
        "contraceptive_oestrogen",
        "progestogen",
        "hrt_oestrogen",
        "corticosteroid_systemic",
        "corticosteroid_inhaled",
        "ssri",
        "snri",
        "tricyclic",
        "antipsychotic",
        "statin",
        "opioid",
        "osmotic_laxative",
        "stimulant_laxative",
        "ace_inhibitor",
        "beta_blocker",
        "thyroid_hormone",
        "antiepileptic",
        "bisphosphonate",
        "oral_iron",
        "antimetabolite_immunosuppressant",
        "antihistamine_sedating",
        "antihistamine_non_sedating",
    ] {
        assert!(classes.contains(class), "no ingredient in class {class}");
    }
    let with_atc = kb.ingredients.iter().filter(|i| !i.atc.is_empty()).count();
    assert!(with_atc >= 150, "{with_atc} ingredients with ATC codes");
    let with_brand = kb
        .ingredients
        .iter()
        .filter(|i| !(i.us.is_empty() && i.uk.is_empty() && i.eu.is_empty()))
        .count();
    assert!(with_brand >= 150, "{with_brand} ingredients with brands");
    assert!(kb.products.len() >= 30);
}
