#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Intake parsing and validation: every problem is reported with its JSON
//! path, what is wrong and what is allowed.

use serde_json::json;
use villi_domain::intake::{Intake, IntakeError, IntakeSection, intake_json_schema};

fn errors(value: serde_json::Value) -> Vec<IntakeError> {
    Intake::from_json(&value.to_string()).expect_err("should not validate")
}

fn paths(errs: &[IntakeError]) -> Vec<&str> {
    errs.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn a_minimal_intake_with_only_the_version_is_accepted_and_lists_every_section_missing() {
    let intake = Intake::from_json(r#"{"schema_version": 1}"#).unwrap();
    assert_eq!(intake.missing_sections(), IntakeSection::ALL);
}

#[test]
fn a_partial_intake_is_accepted_and_an_empty_list_counts_as_answered() {
    let intake = Intake::from_json(
        r#"{"schema_version": 1, "medications": [], "personal": {"age_years": 30}}"#,
    )
    .unwrap();
    let missing = intake.missing_sections();
    assert!(!missing.contains(&IntakeSection::Medications));
    assert!(!missing.contains(&IntakeSection::Personal));
    assert!(missing.contains(&IntakeSection::Diet));
}

#[test]
fn a_null_section_counts_as_not_answered() {
    let intake = Intake::from_json(r#"{"schema_version": 1, "diet": null}"#).unwrap();
    assert!(intake.missing_sections().contains(&IntakeSection::Diet));
}

#[test]
fn an_out_of_range_duration_names_the_medication_path_and_the_allowed_range() {
    let errs = errors(json!({
        "schema_version": 1,
        "medications": [{"name": "omeprazole"}, {"name": "metformin"}, {"name": "Nexium", "duration_months": 5000}]
    }));
    assert_eq!(paths(&errs), ["medications[2].duration_months"]);
    assert_eq!(errs[0].problem, "5000 is out of range");
    assert_eq!(errs[0].allowed, "0 to 1200 months");
}

#[test]
fn an_unknown_field_is_rejected_with_the_allowed_fields() {
    let errs = errors(json!({
        "schema_version": 1,
        "medications": [{"name": "omeprazole", "durration_months": 3}]
    }));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].path.starts_with("medications[0]"), "{:?}", errs[0]);
    assert!(
        errs[0].problem.contains("unknown field `durration_months`"),
        "{:?}",
        errs[0]
    );
    assert!(errs[0].allowed.contains("duration_months"), "{:?}", errs[0]);
}

#[test]
fn an_unknown_section_is_rejected_with_the_list_of_sections() {
    let errs = errors(json!({"schema_version": 1, "medication": []}));
    assert_eq!(paths(&errs), ["medication"]);
    assert!(errs[0].allowed.contains("medications"));
}

#[test]
fn a_wrong_type_says_what_was_found_and_what_is_expected() {
    let errs = errors(json!({"schema_version": 1, "personal": {"age_years": "forty"}}));
    assert_eq!(paths(&errs), ["personal.age_years"]);
    assert!(
        errs[0].problem.contains("invalid type: string"),
        "{:?}",
        errs[0]
    );
    assert_eq!(errs[0].allowed, "a whole number from 0 to 120");
    let errs = errors(json!({"schema_version": 1, "stress_sleep": {"pss10": "high"}}));
    assert_eq!(paths(&errs), ["stress_sleep.pss10"]);
    assert_eq!(
        errs[0].allowed,
        "a list of exactly 10, each a whole number from 0 to 4"
    );
}

#[test]
fn an_unknown_choice_lists_the_allowed_choices() {
    let errs = errors(json!({"schema_version": 1, "diet": {"ultra_processed": "sometimes"}}));
    assert_eq!(paths(&errs), ["diet.ultra_processed"]);
    assert!(errs[0].problem.contains("unknown variant `sometimes`"));
    assert!(
        errs[0].allowed.contains("several_times_a_week"),
        "{:?}",
        errs[0]
    );
}

#[test]
fn a_missing_required_field_is_named_in_the_path() {
    let errs =
        errors(json!({"schema_version": 1, "antibiotic_courses": [{"name": "amoxicillin"}]}));
    assert_eq!(paths(&errs), ["antibiotic_courses[0].months_ago"]);
    assert_eq!(errs[0].problem, "required field is missing");
    assert_eq!(errs[0].allowed, "a whole number from 0 to 24");
}

#[test]
fn questionnaire_answers_must_have_the_right_count_and_range() {
    let errs = errors(
        json!({"schema_version": 1, "stress_sleep": {"pss10": [1, 2, 3], "gad7": [0, 1, 2, 3, 4, 0, 0]}}),
    );
    assert_eq!(paths(&errs), ["stress_sleep.pss10", "stress_sleep.gad7[4]"]);
    assert_eq!(errs[0].allowed, "exactly 10 answers, in item order");
    assert_eq!(errs[1].allowed, "0 to 3");
}

#[test]
fn every_problem_in_every_section_is_reported_at_once() {
    let errs = errors(json!({
        "personal": {"age_years": 130},
        "medications": [{"name": ""}, {"name": "x", "route": "ear"}],
        "bristol": {"usual_type": 9},
        "environment": {"places": [
            {"setting": "urban", "years": 3, "current": true},
            {"setting": "rural", "years": 5, "current": true}
        ]},
        "mystery": 1
    }));
    let got = paths(&errs);
    for expected in [
        "schema_version",
        "personal.age_years",
        "medications[0].name",
        "medications[1].route",
        "bristol.usual_type",
        "environment.places",
        "mystery",
    ] {
        assert!(got.contains(&expected), "missing {expected} in {got:?}");
    }
}

#[test]
fn a_wrong_schema_version_is_rejected() {
    let errs = errors(json!({"schema_version": 2}));
    assert_eq!(paths(&errs), ["schema_version"]);
    assert_eq!(errs[0].allowed, "1");
}

#[test]
fn text_that_is_not_json_or_not_an_object_gets_one_clear_error() {
    let errs = Intake::from_json("{\"schema_version\": 1,").unwrap_err();
    assert_eq!(paths(&errs), ["$"]);
    assert!(errs[0].problem.starts_with("not valid JSON"));
    let errs = Intake::from_json("[1, 2]").unwrap_err();
    assert_eq!(errs[0].problem, "the intake is a list");
}

#[test]
fn a_list_section_given_as_an_object_is_rejected() {
    let errs = errors(json!({"schema_version": 1, "medications": {"name": "omeprazole"}}));
    assert_eq!(paths(&errs), ["medications"]);
    assert!(errs[0].allowed.contains("list"));
}

#[test]
fn an_intake_round_trips_through_json() {
    let text = include_str!("fixtures/personas/17-full-intake.intake.json");
    let intake = Intake::from_json(text).unwrap();
    let again = Intake::from_json(&serde_json::to_string(&intake).unwrap()).unwrap();
    assert_eq!(intake, again);
}

#[test]
fn the_json_schema_rejects_unknown_fields_and_documents_every_section() {
    let schema = intake_json_schema();
    assert_eq!(schema["additionalProperties"], json!(false));
    assert_eq!(schema["properties"]["schema_version"]["const"], json!(1));
    for section in IntakeSection::ALL {
        assert!(
            schema["properties"].get(section.key()).is_some(),
            "{}",
            section.key()
        );
    }
    let defs = schema["$defs"].as_object().unwrap();
    let med = &defs["MedicationEntry"];
    assert_eq!(med["additionalProperties"], json!(false));
    assert_eq!(med["properties"]["duration_months"]["maximum"], json!(1200));
    assert_eq!(schema["required"], json!(["schema_version"]));
}

#[test]
fn the_example_in_the_intake_documentation_validates() {
    let doc = include_str!("../../../docs/intake-schema.md");
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let intake = Intake::from_json(&doc[start..end]).unwrap();
    assert_eq!(intake.medications.unwrap().len(), 2);
}
