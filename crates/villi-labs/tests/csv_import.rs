#![allow(clippy::unwrap_used, clippy::expect_used)]
//! CSV import: the template, header synonyms, BOM, separators.

mod common;

use common::*;
use villi_domain::labs::{MethodKind, ParsedRange, Qualitative, ValueKind};
use villi_labs::{Location, Severity, SourceFormat};

#[test]
fn a_doctors_data_style_culture_panel_imports_grades_and_chemistries() {
    let import = ok(&fixture("doctors_data_style_culture.csv"));
    assert_eq!(import.format, SourceFormat::Csv);
    let r = &import.report;
    assert_eq!(r.results.len(), 18);
    assert_eq!(r.lab.as_deref(), Some("Doctor's Data"));
    assert_eq!(r.collected.as_ref().map(|d| d.as_str()), Some("2024-02-14"));
    let kleb = result(r, "Klebsiella pneumoniae");
    assert_eq!(
        kleb.value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::Growth(3)
        }
    );
    assert_eq!(
        kleb.range.parsed,
        ParsedRange::Expected {
            reading: Qualitative::NoGrowth
        }
    );
    assert_eq!(kleb.panel.as_deref(), Some("Dysbiotic flora"));
    assert_eq!(
        kleb.method.as_ref().map(|m| m.kind),
        Some(MethodKind::Culture)
    );
    assert_eq!(
        kleb.notes,
        vec!["Susceptibility: see report, page 3".to_owned()]
    );
    let yeast = result(r, "Microscopic yeast");
    assert_eq!(yeast.range.parsed, ParsedRange::Grades { low: 0, high: 1 });
    assert_eq!(
        result(r, "% Butyrate").marker.marker_id.as_deref(),
        Some("butyrate_percent")
    );
    assert_eq!(
        result(r, "Butyrate").marker.marker_id.as_deref(),
        Some("butyrate")
    );
    assert_eq!(
        result(r, "Lactobacillus spp.").value.kind,
        ValueKind::Qualitative {
            reading: Qualitative::NoGrowth
        }
    );
}

#[test]
fn header_names_match_without_regard_to_case_spacing_or_synonyms() {
    let csv = "ANALYTE ; Result Value ; UOM ; Reference-Range ; H/L ; Date Collected ; LABORATORY\n\
               Calprotectin;212;ug/g;<173;H;2024-03-01;GI-MAP\n";
    let r = ok(csv.as_bytes()).report;
    let c = &r.results[0];
    assert_eq!(c.marker.marker_id.as_deref(), Some("calprotectin"));
    assert_eq!(c.lab_flag.as_deref(), Some("H"));
    assert_eq!(r.lab.as_deref(), Some("GI-MAP"));
}

#[test]
fn semicolon_files_may_use_a_decimal_comma_and_keep_the_printed_text() {
    let csv = "\u{feff}marker;value;unit;range\npH;6,4;;5,8-7,0\nCalprotectin;1.234;ug/g;<50\n";
    let r = ok(csv.as_bytes()).report;
    assert_eq!(r.results[0].value.raw, "6,4");
    assert_eq!(r.results[0].value.number().map(|n| n.to_f64()), Some(6.4));
    assert_eq!(r.results[0].range.printed.as_deref(), Some("5,8-7,0"));
    assert!(matches!(
        r.results[0].range.parsed,
        ParsedRange::Numeric { .. }
    ));
    assert_eq!(r.results[1].value.number().map(|n| n.to_f64()), Some(1.234));
}

#[test]
fn a_comma_file_reads_thousands_separators_in_quoted_cells() {
    let csv = "marker,value,unit\n\"Bifidobacterium\",\"35,000,000\",CFU/g\n";
    let r = ok(csv.as_bytes()).report;
    assert_eq!(r.results[0].value.number().map(|n| n.to_f64()), Some(3.5e7));
}

#[test]
fn a_value_with_its_unit_in_one_cell_gives_the_unit() {
    let r = ok(b"marker,value\nZonulin,505 ng/mL\n").report;
    assert_eq!(r.results[0].unit.ucum.as_deref(), Some("ng/mL"));
}

#[test]
fn unknown_columns_and_extra_cells_are_kept_as_notes() {
    let csv = "marker,value,unit,Barcode\nZonulin,505,ng/mL,BC-77,stray\n";
    let import = ok(csv.as_bytes());
    assert_eq!(
        import.report.results[0].notes,
        vec!["Barcode: BC-77".to_owned(), "stray".to_owned()]
    );
    let extra = with_code(&import.issues, "csv.row.extra_cell");
    assert_eq!(
        extra[0].location,
        Location::Csv {
            line: 2,
            column: Some(5),
            header: None
        }
    );
}

#[test]
fn a_row_without_a_value_is_rejected_with_line_and_column() {
    let csv = "marker,value,unit\nZonulin,505,ng/mL\nCalprotectin,,ug/g\n";
    let failure = fails(csv.as_bytes());
    let error = failure
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .unwrap();
    assert_eq!(error.code, "csv.row.no_value");
    assert_eq!(
        error.location,
        Location::Csv {
            line: 3,
            column: Some(2),
            header: Some("value".into())
        }
    );
    assert_eq!(error.rejected.as_deref(), Some("Calprotectin |  | ug/g"));
    let import = partial(csv.as_bytes()).unwrap();
    assert_eq!(import.report.results.len(), 1);
}

#[test]
fn a_header_without_marker_and_value_columns_fails() {
    let failure = fails(b"foo,bar\n1,2\n");
    assert!(
        failure
            .issues
            .iter()
            .any(|i| i.code == "csv.header" && i.severity == Severity::Fatal)
    );
}

#[test]
fn rows_that_disagree_on_lab_or_date_are_reported() {
    let csv = "marker,value,lab,collected\nZonulin,505,GI-MAP,2024-01-01\npH,6.5,Doctor's Data,2024-02-01\n";
    let import = ok(csv.as_bytes());
    assert_eq!(with_code(&import.issues, "csv.rows_disagree").len(), 1);
    assert_eq!(import.report.lab.as_deref(), Some("GI-MAP"));
}

#[test]
fn a_date_villi_cannot_read_is_left_out_with_a_warning() {
    let import = ok(b"marker,value,collected\nZonulin,505,03/04/2024\n");
    assert_eq!(import.report.collected, None);
    assert_eq!(with_code(&import.issues, "csv.date").len(), 1);
}
