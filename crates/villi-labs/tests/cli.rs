#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The `villi labs` command's output, without a process.

mod common;

use common::fixture;
use villi_domain::labs::IntakeContext;
use villi_labs::SourceFormat;
use villi_labs::cli::{self, CliError, ExportOptions, ImportOptions, OutputFormat};

fn json_options() -> ImportOptions {
    ImportOptions {
        format: OutputFormat::Json,
        ..ImportOptions::default()
    }
}

#[test]
fn json_output_has_exactly_the_four_stable_keys() {
    let out = cli::import(&fixture("gimap_style_qpcr.hl7"), &json_options()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["areas", "issues", "report", "results"]);
    assert_eq!(json["report"]["source_format"], "hl7v2");
    assert_eq!(json["results"].as_array().unwrap().len(), 15);
    let calpro = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["marker"]["id"] == "calprotectin")
        .unwrap();
    assert_eq!(calpro["flag"], "high");
    assert_eq!(calpro["flag_basis"]["source"], "printed_range");
    assert_eq!(calpro["value"]["raw"], "212");
    assert_eq!(calpro["unit"]["ucum"], "ug/g");
}

#[test]
fn bad_input_gives_the_same_keys_the_issues_and_exit_code_two() {
    let err: CliError = cli::import(b"{ not json", &json_options()).unwrap_err();
    assert_eq!(CliError::EXIT_CODE, 2);
    let json: serde_json::Value = serde_json::from_str(&err.output).unwrap();
    assert_eq!(json["report"], serde_json::Value::Null);
    assert_eq!(json["issues"][0]["code"], "fhir.json.syntax");
    assert!(err.message.contains("not valid JSON"));
}

#[test]
fn text_output_shows_areas_flags_links_and_issues() {
    let options = ImportOptions {
        dry_run: true,
        intake: IntakeContext {
            medication_classes: vec!["metformin".into(), "ppi".into()],
            ..IntakeContext::default()
        },
        ..ImportOptions::default()
    };
    let out = cli::import(&fixture("gimap_style_qpcr.hl7"), &options).unwrap();
    assert!(out.contains("Dry run: nothing was stored."));
    assert!(out.contains("== Bacterial and viral pathogens =="));
    assert!(out.contains("For the client:"));
    assert!(
        out.contains("[medical referral]"),
        "C. difficile toxin above range"
    );
    assert!(out.contains("[possible contributor] Escherichia spp."));
    assert!(out.contains("== Issues"));
}

#[test]
fn partial_is_passed_through_to_the_import() {
    let csv = b"marker,value\nZonulin,505\n,7\n";
    assert!(cli::import(csv, &ImportOptions::default()).is_err());
    let options = ImportOptions {
        partial: true,
        ..ImportOptions::default()
    };
    let out = cli::import(csv, &options).unwrap();
    assert!(out.contains("rejected: "));
}

#[test]
fn an_explicit_source_format_overrides_detection() {
    let options = ImportOptions {
        source_format: Some(SourceFormat::Csv),
        ..ImportOptions::default()
    };
    assert!(
        cli::import(b"MSH,value\nZonulin,5\n", &options).is_err(),
        "read as CSV: no marker column"
    );
}

#[test]
fn export_writes_a_fhir_bundle_from_any_format() {
    let out = cli::export(
        &fixture("doctors_data_style_culture.csv"),
        &ExportOptions::default(),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["resourceType"], "Bundle");
    assert_eq!(json["entry"].as_array().unwrap().len(), 19);
    assert!(cli::export(b"", &ExportOptions::default()).is_err());
}
