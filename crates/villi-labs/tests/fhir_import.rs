#![allow(clippy::unwrap_used, clippy::expect_used)]
//! FHIR R4 JSON import: Bundles, bare resources, references, value kinds.

mod common;

use common::*;
use villi_domain::labs::{Comparator, ParsedRange, Qualitative, ResultStatus, ValueKind};
use villi_labs::{Location, Severity, SourceFormat};

#[test]
fn an_ehr_style_searchset_bundle_resolves_every_kind_of_reference() {
    let import = ok(&fixture("ehr_style_bundle.json"));
    assert_eq!(import.format, SourceFormat::FhirJson);
    let r = &import.report;
    let names: Vec<&str> = r
        .results
        .iter()
        .map(|x| x.marker.printed.as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "Calprotectin, Fecal",
            "Elastase.pancreatic [Mass/mass] in Stool",
            "H. pylori Ag, Stool",
            "C. difficile toxin A+B",
            "% Butyrate",
            "% Acetate",
            "Entamoeba histolytica antibody titre"
        ]
    );
    assert_eq!(
        r.lab.as_deref(),
        Some("Regional Hospital Laboratory"),
        "performer reference resolved"
    );
    assert_eq!(r.specimen.as_deref(), Some("Stool specimen"));
    assert_eq!(
        r.received.as_ref().map(|d| d.as_str()),
        Some("2024-08-12T11:30:00-04:00")
    );
    assert_eq!(r.report_id.as_deref(), Some("ACC-2024-0815"));
    assert_eq!(
        r.notes,
        vec!["Calprotectin raised; correlate clinically.".to_owned()]
    );
}

#[test]
fn value_quantity_keeps_printed_digits_comparators_and_ucum() {
    let r = ok(&fixture("ehr_style_bundle.json")).report;
    let calpro = result(&r, "Calprotectin, Fecal");
    assert_eq!(calpro.marker.marker_id.as_deref(), Some("calprotectin"));
    assert_eq!(
        calpro.value.number().map(ToString::to_string).as_deref(),
        Some("212.0")
    );
    assert_eq!(
        (calpro.unit.raw.as_str(), calpro.unit.ucum.as_deref()),
        ("mcg/g", Some("ug/g"))
    );
    assert_eq!(calpro.lab_flag.as_deref(), Some("H"));
    assert_eq!(
        calpro.range.printed.as_deref(),
        Some("<=50"),
        "rebuilt from referenceRange.high"
    );
    let elastase = result(&r, "Elastase.pancreatic [Mass/mass] in Stool");
    assert!(matches!(
        elastase.value.kind,
        ValueKind::Quantity {
            comparator: Some(Comparator::Lt),
            ..
        }
    ));
    assert_eq!(
        elastase.range.printed.as_deref(),
        Some(">200 µg/g"),
        "text wins over low/high"
    );
}

#[test]
fn codeable_concepts_strings_components_and_ratios_are_read() {
    let r = ok(&fixture("ehr_style_bundle.json")).report;
    let hp = result(&r, "H. pylori Ag, Stool");
    assert_eq!(
        hp.value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::Negative
        }
    );
    assert_eq!(hp.marker.marker_id.as_deref(), Some("h_pylori_antigen"));
    let cdiff = result(&r, "C. difficile toxin A+B");
    assert_eq!(
        cdiff.value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::NotDetected
        }
    );
    assert_eq!(cdiff.status, ResultStatus::Preliminary);
    assert_eq!(
        cdiff.method.as_ref().map(|m| m.kind.label()),
        Some("immunoassay")
    );
    let butyrate = result(&r, "% Butyrate");
    assert_eq!(butyrate.panel.as_deref(), Some("Short chain fatty acids"));
    assert_eq!(
        butyrate.marker.marker_id.as_deref(),
        Some("butyrate_percent")
    );
    let acetate = result(&r, "% Acetate");
    assert!(matches!(acetate.range.parsed, ParsedRange::Numeric { .. }));
    assert_eq!(acetate.lab_flag.as_deref(), Some("High"));
    let titre = result(&r, "Entamoeba histolytica antibody titre");
    assert!(matches!(titre.value.kind, ValueKind::Ratio { .. }));
    assert_eq!(titre.value.raw, "1:256");
}

#[test]
fn what_is_not_imported_is_listed() {
    let issues = ok(&fixture("ehr_style_bundle.json")).issues;
    assert!(issues.iter().any(|i| i.code == "fhir.presented_form"));
    assert!(
        issues
            .iter()
            .any(|i| i.code == "fhir.resource.not_imported" && i.message.starts_with("Patient"))
    );
}

#[test]
fn a_bare_diagnostic_report_with_contained_observations_imports() {
    let json = r##"{
      "resourceType": "DiagnosticReport", "status": "final",
      "code": {"text": "GI panel"},
      "contained": [
        {"resourceType": "Observation", "id": "o1", "status": "final",
         "code": {"text": "Zonulin"}, "valueQuantity": {"value": 505, "unit": "ng/mL"},
         "referenceRange": [{"text": "<=107"}]},
        {"resourceType": "Observation", "id": "o2", "status": "final",
         "code": {"text": "Giardia"}, "valueCodeableConcept": {"text": "Detected"}}
      ],
      "result": [{"reference": "#o1"}, {"reference": "#o2"}]
    }"##;
    let r = ok(json.as_bytes()).report;
    assert_eq!(r.results.len(), 2);
    assert_eq!(r.results[0].panel.as_deref(), Some("GI panel"));
    assert_eq!(
        r.results[1].value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::Detected
        }
    );
}

#[test]
fn a_bare_observation_imports_as_a_one_result_report() {
    let json = r#"{"resourceType":"Observation","status":"final","code":{"text":"Calprotectin"},
      "effectiveDateTime":"2024-05-01","valueQuantity":{"value":30,"unit":"ug/g"},
      "valueRange_note":"ignored member"}"#;
    let r = ok(json.as_bytes()).report;
    assert_eq!(r.results.len(), 1);
    assert_eq!(r.collected.as_ref().map(|d| d.as_str()), Some("2024-05-01"));
}

#[test]
fn every_bundle_type_in_use_is_accepted() {
    for kind in [
        "collection",
        "transaction",
        "searchset",
        "document",
        "batch",
    ] {
        let json = format!(
            r#"{{"resourceType":"Bundle","type":"{kind}","entry":[{{"fullUrl":"urn:uuid:1","resource":
              {{"resourceType":"Observation","status":"final","code":{{"text":"pH"}},"valueQuantity":{{"value":6.5}}}}}}]}}"#
        );
        let import = ok(json.as_bytes());
        assert!(
            !import.issues.iter().any(|i| i.code == "fhir.bundle.type"),
            "{kind}"
        );
    }
}

#[test]
fn an_unresolved_reference_is_rejected_with_its_json_path() {
    let json = r#"{"resourceType":"Bundle","type":"collection","entry":[
  {"resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"x"},
   "result":[{"reference":"Observation/a"},{"reference":"Observation/missing"}]}},
  {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Observation","id":"a","status":"final",
   "code":{"text":"pH"},"valueQuantity":{"value":6.5}}}]}"#;
    let failure = fails(json.as_bytes());
    let error = failure
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .unwrap();
    assert_eq!(error.code, "fhir.reference.unresolved");
    let Location::Json { path, line, .. } = &error.location else {
        panic!("not a JSON location");
    };
    assert_eq!(path, "$.entry[0].resource.result[1]");
    assert_eq!(*line, 3);
    let import = partial(json.as_bytes()).unwrap();
    assert_eq!(import.report.results.len(), 1);
}

#[test]
fn invalid_json_fails_with_line_and_column() {
    let failure = fails(b"{\n  \"resourceType\": \"Bundle\",\n  \"entry\": [,]\n}");
    let Location::Json { line, column, .. } = failure.issues[0].location.clone() else {
        panic!("not a JSON location");
    };
    assert_eq!((line, column), (3, 13));
    assert_eq!(failure.issues[0].severity, Severity::Fatal);
}

#[test]
fn a_resource_that_is_not_a_report_fails() {
    let failure = fails(br#"{"resourceType":"Patient","id":"p"}"#);
    assert_eq!(failure.issues[0].code, "fhir.resource_type");
}

#[test]
fn a_hasmember_panel_brings_in_its_members() {
    let json = r#"{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Observation","status":"final","code":{"text":"SCFA panel"},
    "hasMember":[{"reference":"urn:uuid:m1"},{"reference":"urn:uuid:m2"}]}},
  {"fullUrl":"urn:uuid:m1","resource":{"resourceType":"Observation","status":"final","code":{"text":"Butyrate"},"valueQuantity":{"value":2.1,"unit":"mg/mL"}}},
  {"fullUrl":"urn:uuid:m2","resource":{"resourceType":"Observation","status":"final","code":{"text":"Total SCFAs"},"valueQuantity":{"value":9.0,"unit":"mg/mL"}}}]}"#;
    let r = ok(json.as_bytes()).report;
    assert_eq!(r.results.len(), 2);
    assert!(
        r.results
            .iter()
            .all(|x| x.panel.as_deref() == Some("SCFA panel"))
    );
}
