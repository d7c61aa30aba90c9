#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every persona under `tests/fixtures/personas/` is assessed and compared
//! with its expected findings: `NAME.intake.json` holds the intake and
//! `NAME.expected.json` the contributor ids, evidence notes, red flags (in
//! order), unrecognised and to-confirm medications, missing sections and
//! selected scores and bands.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use villi_domain::assessment::assess;
use villi_domain::intake::Intake;
use villi_domain::knowledge::KnowledgeBase;
use villi_domain::knowledge::matching::Resolution;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    description: String,
    contributors: Vec<String>,
    evidence_notes: Vec<String>,
    red_flags: Vec<String>,
    unrecognised_medications: Vec<String>,
    to_confirm_medications: Vec<String>,
    missing_sections: Vec<String>,
    unconfirmed_contributors: Vec<String>,
    instrument_bands: BTreeMap<String, String>,
    instrument_scores: BTreeMap<String, u32>,
}

fn personas() -> Vec<(String, Intake, Expected)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/personas");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".intake.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let intake_text = fs::read_to_string(dir.join(format!("{name}.intake.json"))).unwrap();
            let intake = Intake::from_json(&intake_text)
                .unwrap_or_else(|e| panic!("{name}: intake does not validate: {e:?}"));
            let expected_text =
                fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap();
            let expected: Expected = serde_json::from_str(&expected_text).unwrap();
            (name, intake, expected)
        })
        .collect()
}

fn sorted(items: Vec<&str>) -> Vec<String> {
    let mut v: Vec<String> = items.into_iter().map(str::to_owned).collect();
    v.sort();
    v
}

#[test]
fn every_persona_yields_its_expected_findings() {
    let kb = KnowledgeBase::embedded();
    let all = personas();
    assert!(
        all.len() >= 12,
        "at least 12 personas expected, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    for (name, intake, exp) in &all {
        let a = assess(intake, kb);
        let mut check = |what: &str, got: String, want: String| {
            if got != want {
                failures.push(format!(
                    "{name} ({}): {what}\n   got  {got}\n   want {want}",
                    exp.description
                ));
            }
        };
        check(
            "contributors",
            format!("{:?}", sorted(a.contributor_ids())),
            format!("{:?}", exp.contributors),
        );
        check(
            "evidence notes",
            format!("{:?}", sorted(a.evidence_note_ids())),
            format!("{:?}", exp.evidence_notes),
        );
        check(
            "red flags in order",
            format!("{:?}", a.red_flag_ids()),
            format!("{:?}", exp.red_flags),
        );
        let unrecognised: Vec<&str> = a
            .unrecognised_medications
            .iter()
            .map(|u| u.typed.as_str())
            .collect();
        check(
            "unrecognised",
            format!("{unrecognised:?}"),
            format!("{:?}", exp.unrecognised_medications),
        );
        let to_confirm: Vec<&str> = a
            .medications
            .iter()
            .filter(|m| m.resolution == Resolution::ToConfirm)
            .map(|m| m.typed.as_str())
            .collect();
        check(
            "to confirm",
            format!("{to_confirm:?}"),
            format!("{:?}", exp.to_confirm_medications),
        );
        let missing: Vec<&str> = a.missing_sections.iter().map(|m| m.section.key()).collect();
        check(
            "missing sections",
            format!("{missing:?}"),
            format!("{:?}", exp.missing_sections),
        );
        let unconfirmed: Vec<&str> = a
            .groups
            .iter()
            .flat_map(|g| g.contributors.iter())
            .filter(|c| !c.confirmed)
            .map(|c| c.id.as_str())
            .collect();
        check(
            "unconfirmed",
            format!("{:?}", sorted(unconfirmed)),
            format!("{:?}", exp.unconfirmed_contributors),
        );
        for (id, band) in &exp.instrument_bands {
            let got = a
                .instrument(id)
                .and_then(|i| i.band.as_ref())
                .map(|b| b.id.clone());
            check(
                &format!("band of {id}"),
                format!("{got:?}"),
                format!("{:?}", Some(band)),
            );
        }
        for (id, score) in &exp.instrument_scores {
            let got = a.instrument(id).and_then(|i| i.score);
            check(
                &format!("score of {id}"),
                format!("{got:?}"),
                format!("{:?}", Some(score)),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn red_flags_come_first_in_the_next_steps_and_the_text() {
    let kb = KnowledgeBase::embedded();
    let (_, intake, _) = personas()
        .into_iter()
        .find(|(n, _, _)| n.starts_with("10-"))
        .unwrap();
    let a = assess(&intake, kb);
    assert_eq!(a.red_flag_ids()[0], "blood-in-stool");
    assert!(a.next_steps[0].text.starts_with("Blood in or on the stool"));
    assert!(a.summary.headline.contains("red flag"));
    let text = villi_domain::assessment::render_text(&a, kb);
    let flags_at = text.find("RED FLAGS").unwrap();
    let meds_at = text.find("MEDICATIONS").unwrap();
    assert!(
        flags_at < meds_at,
        "red flags must be printed before the groups"
    );
}

#[test]
fn an_inhaled_or_skin_steroid_does_not_fire_the_systemic_rule() {
    let kb = KnowledgeBase::embedded();
    let (_, intake, _) = personas()
        .into_iter()
        .find(|(n, _, _)| n.starts_with("14-"))
        .unwrap();
    let a = assess(&intake, kb);
    let rule = a
        .contributor("systemic-corticosteroid-calcium-vitamin-d")
        .unwrap();
    let paths: Vec<&str> = rule.triggers.iter().map(|t| t.path.as_str()).collect();
    assert_eq!(paths, ["medications[0]"]);
}

#[test]
fn a_combination_product_fires_the_rules_of_every_ingredient() {
    let kb = KnowledgeBase::embedded();
    let (_, intake, _) = personas()
        .into_iter()
        .find(|(n, _, _)| n.starts_with("11-"))
        .unwrap();
    let a = assess(&intake, kb);
    for id in ["ppi-vitamin-b12", "nsaid-small-intestinal-permeability"] {
        let c = a.contributor(id).unwrap();
        assert!(
            c.triggers.iter().any(|t| t.path == "medications[0]"),
            "{id} not fired by Vimovo"
        );
    }
}
