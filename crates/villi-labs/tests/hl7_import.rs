#![allow(clippy::unwrap_used, clippy::expect_used)]
//! HL7 v2 ORU^R01 import, in the shapes real senders use.

mod common;

use common::*;
use villi_domain::labs::{Comparator, Flag, ParsedRange, Qualitative, ResultStatus, ValueKind};
use villi_labs::{Severity, SourceFormat, detect};

#[test]
fn a_nist_style_lri_message_imports_every_result_with_ucum_units() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    assert_eq!(import.format, SourceFormat::Hl7v2);
    let report = &import.report;
    assert_eq!(report.results.len(), 7);
    assert_eq!(
        report.lab.as_deref(),
        Some("VILLI TEST LAB"),
        "OBX-23 performing lab"
    );
    assert_eq!(
        report.test_name.as_deref(),
        Some("CBC W Auto Differential panel in Blood")
    );
    assert_eq!(report.report_id.as_deref(), Some("FIL-555"));
    assert_eq!(
        report.collected.as_ref().map(|d| d.as_str()),
        Some("2024-03-04T08:30:00-05:00")
    );
    assert_eq!(report.specimen.as_deref(), Some("Blood specimen"));
    let wbc = result(report, "Leukocytes [#/volume] in Blood by Automated count");
    assert_eq!(wbc.unit.ucum.as_deref(), Some("10*3/uL"));
    assert_eq!(wbc.lab_flag.as_deref(), Some("N"));
    let code = wbc.marker.code.as_ref().unwrap();
    assert_eq!(
        (code.system.as_deref(), code.code.as_str()),
        (Some("http://loinc.org"), "6690-2")
    );
}

#[test]
fn unknown_markers_are_kept_under_their_printed_names_and_noted() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    let hgb = result(&import.report, "Hemoglobin [Mass/volume] in Blood");
    assert_eq!(hgb.marker.marker_id, None);
    let rbc = result(
        &import.report,
        "Erythrocytes [#/volume] in Blood by Automated count",
    );
    assert_eq!(
        rbc.marker.marker_id, None,
        "a blood-count LOINC is not stool red cells"
    );
    assert_eq!(with_code(&import.issues, "marker.unknown").len(), 6);
}

#[test]
fn sn_values_nte_comments_and_free_text_ranges_are_read() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    let report = &import.report;
    let eos = result(report, "Eosinophils [#/volume] in Blood");
    assert_eq!(eos.value.raw, "<^0.1");
    assert!(
        matches!(&eos.value.kind, ValueKind::Quantity { comparator: Some(Comparator::Lt), number } if number.to_string() == "0.1")
    );
    let hgb = result(report, "Hemoglobin [Mass/volume] in Blood");
    assert_eq!(
        hgb.notes,
        vec!["Repeat in 4 weeks if symptoms persist.".to_owned()]
    );
    assert!(
        matches!(hgb.range.parsed, ParsedRange::Numeric { .. }),
        "'12.0 to 16.0'"
    );
    let plt = result(report, "Platelets [#/volume] in Blood by Automated count");
    assert!(
        matches!(plt.range.parsed, ParsedRange::Numeric { .. }),
        "'150_400'"
    );
}

#[test]
fn a_unit_with_an_unescaped_caret_is_read_as_one_unit_with_a_warning() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    let plt = result(
        &import.report,
        "Platelets [#/volume] in Blood by Automated count",
    );
    assert_eq!(plt.unit.raw, "10^9/L");
    assert_eq!(plt.unit.ucum.as_deref(), Some("10*9/L"));
    let warning = with_code(&import.issues, "hl7.unit.unescaped_caret");
    assert_eq!(warning[0].location, hl7_at(10, "OBX", Some(6)));
}

#[test]
fn a_coded_not_detected_value_reads_as_a_qualitative_result() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    let hp = result(
        &import.report,
        "Helicobacter pylori Ag [Presence] in Stool by Immunoassay",
    );
    assert_eq!(
        hp.marker.marker_id.as_deref(),
        Some("h_pylori_antigen"),
        "by LOINC 17780-8"
    );
    assert_eq!(
        hp.value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::NotDetected
        }
    );
}

#[test]
fn patient_identity_is_not_imported_and_says_so() {
    let import = ok(&fixture("nist_style_lri.hl7"));
    let notes = with_code(&import.issues, "hl7.segment.not_imported");
    assert!(notes.iter().any(|i| i.message.starts_with("PID")));
    let json = serde_json::to_string(&import.report).unwrap();
    assert!(!json.contains("Sample^Pat") && !json.contains("PAT-1001"));
}

#[test]
fn a_public_health_stool_culture_keeps_the_organism_the_method_and_comments() {
    let import = ok(&fixture("public_health_stool_culture.hl7"));
    let report = &import.report;
    assert_eq!(
        report.lab.as_deref(),
        Some("State Public Health Laboratory")
    );
    assert_eq!(report.specimen.as_deref(), Some("Stool specimen"));
    assert_eq!(report.results.len(), 2);
    let culture = &report.results[0];
    assert_eq!(culture.marker.marker_id.as_deref(), Some("stool_culture"));
    assert_eq!(culture.value.raw, "Campylobacter jejuni");
    assert_eq!(culture.value.kind, ValueKind::Text);
    assert!(culture.notes.iter().any(|n| n.contains("66543000")));
    assert!(
        culture
            .notes
            .iter()
            .any(|n| n.contains("whole genome sequencing"))
    );
    assert_eq!(
        culture.method.as_ref().map(|m| m.printed.as_str()),
        Some("Bacterial identification")
    );
    assert_eq!(
        report.results[1].notes,
        vec!["No Salmonella&Shigella isolated.".to_owned()]
    );
}

#[test]
fn a_gimap_style_qpcr_panel_reads_every_exponent_form_and_panel() {
    let import = ok(&fixture("gimap_style_qpcr.hl7"));
    let report = &import.report;
    assert_eq!(report.results.len(), 15);
    let number = |name: &str| result(report, name).value.number().map(|n| n.to_f64());
    assert_eq!(number("C. difficile Toxin A"), Some(2.3e3));
    assert_eq!(number("Bifidobacterium spp."), Some(3.2e6));
    assert_eq!(number("Escherichia spp."), Some(9.1e9));
    assert_eq!(number("Akkermansia muciniphila"), Some(1.2e4));
    let campy = result(report, "Campylobacter");
    assert_eq!(
        campy.value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::BelowDetectionLimit
        }
    );
    assert_eq!(campy.panel.as_deref(), Some("Pathogens"));
    assert_eq!(
        result(report, "Streptococcus spp.").panel.as_deref(),
        Some("Opportunistic/Overgrowth Microbes")
    );
    assert!(!with_code(&import.issues, "hl7.nm.nonconformant").is_empty());
}

#[test]
fn a_hex_escape_gives_the_micro_sign_and_recognises_greek_names() {
    let import = ok(&fixture("gimap_style_qpcr.hl7"));
    let calpro = result(&import.report, "Calprotectin");
    assert_eq!(calpro.unit.raw, "µg/g");
    assert_eq!(calpro.unit.ucum.as_deref(), Some("ug/g"));
    let bg = result(&import.report, "β-Glucuronidase");
    assert_eq!(bg.marker.marker_id.as_deref(), Some("beta_glucuronidase"));
}

#[test]
fn escaped_separators_in_a_comment_decode() {
    let import = ok(&fixture("gimap_style_qpcr.hl7"));
    let esch = result(&import.report, "Escherichia spp.");
    assert_eq!(
        esch.notes,
        vec!["Value above the reportable range was estimated|confirm on retest.".to_owned()]
    );
}

#[test]
fn a_pending_result_without_a_value_is_kept_as_pending() {
    let import = ok(&fixture("gimap_style_qpcr.hl7"));
    let zon = result(&import.report, "Zonulin");
    assert_eq!(zon.status, ResultStatus::Pending);
    assert_eq!(zon.value.kind, ValueKind::Missing);
}

#[test]
fn lf_cr_and_crlf_files_import_identically() {
    let text = String::from_utf8(fixture("gimap_style_qpcr.hl7")).unwrap();
    let lf = ok(text.as_bytes()).report;
    let cr = ok(text.replace('\n', "\r").as_bytes()).report;
    let crlf = ok(text.replace('\n', "\r\n").as_bytes()).report;
    assert_eq!(lf, cr);
    assert_eq!(lf, crlf);
}

#[test]
fn several_messages_in_one_file_are_read_into_one_report_with_a_warning() {
    let one = String::from_utf8(fixture("nist_style_lri.hl7")).unwrap();
    let two = String::from_utf8(fixture("public_health_stool_culture.hl7")).unwrap();
    let both = format!("{one}\r\n{two}");
    let import = ok(both.as_bytes());
    assert_eq!(import.report.results.len(), 9);
    assert_eq!(with_code(&import.issues, "hl7.several_messages").len(), 1);
    assert_eq!(with_code(&import.issues, "hl7.messages_disagree").len(), 1);
}

#[test]
fn mllp_framing_and_a_blank_line_do_not_lose_segments() {
    let body = "MSH|^~\\&|A|LAB|||20240101||ORU^R01|1|P|2.5.1\r\rOBR|1||X|P^Panel\r\rOBX|1|NM|38445-3^Calprotectin^LN||40|ug/g|<50||||F\r";
    let framed = format!("\x0b{body}\x1c\r");
    let import = ok(framed.as_bytes());
    assert_eq!(import.report.results.len(), 1);
    assert_eq!(
        import.report.results[0].marker.marker_id.as_deref(),
        Some("calprotectin")
    );
}

#[test]
fn repetitions_in_flags_and_values_are_kept() {
    let msg =
        "MSH|^~\\&|A|LAB\rOBR|1||X|P^Panel\rOBX|1|NM|C^Calprotectin^L||250~260|ug/g|<50|H~A|||F\r";
    let import = ok(msg.as_bytes());
    let r = &import.report.results[0];
    assert_eq!(r.lab_flag.as_deref(), Some("H~A"));
    assert_eq!(r.value.number().map(|n| n.to_f64()), Some(250.0));
    assert_eq!(r.notes, vec!["260".to_owned()]);
    assert_eq!(with_code(&import.issues, "hl7.obx.repeated_value").len(), 1);
}

#[test]
fn a_result_without_an_identifier_fails_the_import_by_default_with_its_location() {
    let msg = "MSH|^~\\&|A|LAB\nOBR|1||X|P^Panel\nOBX|1|NM|38445-3^Calprotectin^LN||40|ug/g|<50||||F\nOBX|2|NM|||17|ug/g|<50||||F\n";
    let failure = fails(msg.as_bytes());
    let error = failure
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .unwrap();
    assert_eq!(error.code, "hl7.obx.no_identifier");
    assert_eq!(error.location, hl7_at(4, "OBX", Some(3)));
    assert!(error.rejected.as_deref().unwrap().starts_with("OBX|2|"));
    assert!(
        failure
            .issues
            .iter()
            .any(|i| i.code == "import.rejected_results")
    );
}

#[test]
fn partial_mode_keeps_the_good_results_and_lists_the_rejected_one() {
    let msg = "MSH|^~\\&|A|LAB\nOBR|1||X|P^Panel\nOBX|1|NM|38445-3^Calprotectin^LN||40|ug/g|<50||||F\nOBX|2|NM|||17|ug/g|<50||||F\n";
    let import = partial(msg.as_bytes()).unwrap();
    assert_eq!(import.report.results.len(), 1);
    assert_eq!(
        import
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count(),
        1
    );
}

#[test]
fn text_that_is_not_hl7_fails_with_a_fatal_issue() {
    let failure = as_format(b"hello world", SourceFormat::Hl7v2).unwrap_err();
    let fatal: Vec<_> = failure
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Fatal)
        .collect();
    assert_eq!(fatal[0].code, "hl7.no_message");
    assert_eq!(
        with_code(&failure.issues, "hl7.before_msh").len(),
        1,
        "the text itself is listed"
    );
}

#[test]
fn latin1_input_is_read_with_a_warning() {
    let mut bytes = b"MSH|^~\\&|A|LAB\rOBR|1||X|P^Panel\rOBX|1|NM|C^Calprotectin^L||40|".to_vec();
    bytes.extend_from_slice(&[0xB5, b'g', b'/', b'g']);
    bytes.extend_from_slice(b"|<50||||F\r");
    let import = ok(&bytes);
    assert_eq!(import.report.results[0].unit.ucum.as_deref(), Some("ug/g"));
    assert_eq!(with_code(&import.issues, "text.not_utf8").len(), 1);
}

#[test]
fn the_printed_range_decides_the_flag_for_an_imported_result() {
    let import = ok(&fixture("gimap_style_qpcr.hl7"));
    let reading = villi_domain::labs::interpret(
        &import.report,
        villi_domain::labs::Catalogue::embedded(),
        &Default::default(),
    );
    let i = import
        .report
        .results
        .iter()
        .position(|r| r.marker.printed == "Calprotectin")
        .unwrap();
    assert_eq!(reading.results[i].flag, Flag::High);
}

#[test]
fn content_detection_recognises_each_format() {
    assert_eq!(detect(b"\xEF\xBB\xBFMSH|^~\\&|"), Some(SourceFormat::Hl7v2));
    assert_eq!(
        detect(b"  {\"resourceType\":\"Bundle\"}"),
        Some(SourceFormat::FhirJson)
    );
    assert_eq!(detect(b"marker,value\n"), Some(SourceFormat::Csv));
    assert_eq!(detect(b"   \n"), None);
}

#[test]
fn every_message_of_the_benchmark_corpus_imports_without_a_rejection() {
    let text = villi_labs::corpus::generate(50, 3);
    let messages = villi_labs::hl7::split_messages(&text);
    assert_eq!(messages.len(), 50);
    for m in messages {
        let import = ok(m.as_bytes());
        assert_eq!(import.report.results.len(), 24);
        assert!(
            import
                .report
                .results
                .iter()
                .all(|r| r.marker.marker_id.is_some()),
            "all corpus markers are known"
        );
    }
}
