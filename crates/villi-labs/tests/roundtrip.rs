#![allow(clippy::unwrap_used, clippy::expect_used)]
//! import(export(r)) == r: the FHIR exporter loses nothing villi holds.

mod common;

use common::*;
use proptest::prelude::*;
use villi_domain::labs::{
    Catalogue, Code, Comparator, Decimal, LabDate, LabReport, LabResult, MarkerName, Method,
    MicroscopyGrade, Qualitative, ReferenceRange, ResultStatus, ResultValue, Unit, ValueKind,
};
use villi_labs::{SourceFormat, fhir};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ -~]{0,12}",
        1 => prop::collection::vec(any::<char>(), 0..10).prop_map(String::from_iter),
        1 => Just("µg/g \"quoted\" \\ back\nline".to_owned()),
    ]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    ("-?(0|[1-9][0-9]{0,8})(\\.[0-9]{1,4})?", -20i32..20)
        .prop_map(|(m, e)| Decimal::parse(&format!("{m}e{e}")).expect("generated decimals parse"))
}

fn qualitative() -> impl Strategy<Value = Qualitative> {
    prop_oneof![
        Just(Qualitative::NotDetected),
        Just(Qualitative::Detected),
        Just(Qualitative::BelowDetectionLimit),
        Just(Qualitative::Positive),
        Just(Qualitative::Negative),
        Just(Qualitative::NoGrowth),
        (1u8..=4).prop_map(Qualitative::Growth),
        Just(Qualitative::Microscopy(MicroscopyGrade::Rare)),
        Just(Qualitative::Microscopy(MicroscopyGrade::Many)),
        Just(Qualitative::Equivocal),
    ]
}

fn kind() -> impl Strategy<Value = ValueKind> {
    let comparator = prop::option::of(prop_oneof![
        Just(Comparator::Lt),
        Just(Comparator::Le),
        Just(Comparator::Gt),
        Just(Comparator::Ge)
    ]);
    prop_oneof![
        (comparator, decimal())
            .prop_map(|(comparator, number)| ValueKind::Quantity { comparator, number }),
        (decimal(), decimal()).prop_map(|(low, high)| ValueKind::Range { low, high }),
        (decimal(), decimal()).prop_map(|(numerator, denominator)| ValueKind::Ratio {
            numerator,
            denominator
        }),
        qualitative().prop_map(|reading| ValueKind::Qualitative { reading }),
        Just(ValueKind::Text),
        Just(ValueKind::Missing),
    ]
}

fn date() -> impl Strategy<Value = LabDate> {
    (
        1990u32..2031,
        1u32..13,
        1u32..29,
        prop::option::of((0u32..24, 0u32..60, prop::option::of(-12i32..13))),
    )
        .prop_map(|(y, m, d, time)| {
            let mut s = format!("{y:04}-{m:02}-{d:02}");
            if let Some((h, min, zone)) = time {
                s.push_str(&format!("T{h:02}:{min:02}:00"));
                if let Some(z) = zone {
                    s.push_str(&format!(
                        "{}{:02}:00",
                        if z < 0 { '-' } else { '+' },
                        z.abs()
                    ));
                }
            }
            LabDate::parse_iso(&s).expect("generated dates parse")
        })
}

fn range() -> impl Strategy<Value = ReferenceRange> {
    prop_oneof![
        Just(ReferenceRange::absent()),
        prop_oneof![
            Just("<173"),
            Just("1.60e9-2.50e11"),
            Just("None - Rare"),
            Just("Negative"),
            Just("2-4+")
        ]
        .prop_map(ReferenceRange::parse),
        text().prop_map(|t| ReferenceRange::parse(&t)),
    ]
}

fn status() -> impl Strategy<Value = ResultStatus> {
    prop_oneof![
        Just(ResultStatus::Final),
        Just(ResultStatus::Preliminary),
        Just(ResultStatus::Corrected),
        Just(ResultStatus::Pending),
        Just(ResultStatus::Cancelled),
        Just(ResultStatus::EnteredInError),
    ]
}

fn marker() -> impl Strategy<Value = MarkerName> {
    let ids: Vec<String> = Catalogue::embedded()
        .markers()
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let code = prop::option::of((
        prop::option::of(prop_oneof![Just("http://loinc.org".to_owned()), text()]),
        "[A-Z0-9-]{1,8}",
    ))
    .prop_map(|c| c.map(|(system, code)| Code { system, code }));
    (text(), code, prop::option::of(prop::sample::select(ids))).prop_map(
        |(printed, code, marker_id)| MarkerName {
            printed,
            code,
            marker_id,
        },
    )
}

fn result() -> impl Strategy<Value = LabResult> {
    (
        marker(),
        prop::option::of(text()),
        (text(), kind()),
        (
            text(),
            prop::option::of(prop_oneof![
                Just("ug/g".to_owned()),
                Just("{CFU}/g".to_owned()),
                text()
            ]),
        ),
        range(),
        prop::option::of(text()),
        prop::option::of(text().prop_map(|t| Method::parse(&t))),
        status(),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(
            |(
                marker,
                panel,
                (raw, kind),
                (unit_raw, ucum),
                range,
                lab_flag,
                method,
                status,
                notes,
            )| LabResult {
                marker,
                panel,
                value: ResultValue::structured(raw, kind),
                unit: Unit {
                    raw: unit_raw,
                    ucum,
                },
                range,
                lab_flag,
                method,
                status,
                notes,
            },
        )
}

fn report() -> impl Strategy<Value = LabReport> {
    (
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        (prop::option::of(text()), prop::option::of(text())),
        (
            prop::option::of(date()),
            prop::option::of(date()),
            prop::option::of(date()),
        ),
        prop::collection::vec(result(), 1..6),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(
            |(
                (lab, test_name, test_version),
                (report_id, specimen),
                (collected, received, reported),
                results,
                notes,
            )| {
                LabReport {
                    lab,
                    test_name,
                    test_version,
                    report_id,
                    specimen,
                    collected,
                    received,
                    reported,
                    results,
                    notes,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn importing_an_export_gives_back_the_same_report(r in report()) {
        let exported = fhir::export(&r);
        let back = as_format(exported.as_bytes(), SourceFormat::FhirJson)
            .unwrap_or_else(|f| panic!("{:#?}\n{exported}", f.issues));
        prop_assert_eq!(back.report, r);
    }
}

#[test]
fn every_fixture_survives_export_and_import_unchanged() {
    for name in [
        "nist_style_lri.hl7",
        "public_health_stool_culture.hl7",
        "gimap_style_qpcr.hl7",
        "doctors_data_style_culture.csv",
        "ehr_style_bundle.json",
    ] {
        let first = ok(&fixture(name)).report;
        let exported = fhir::export(&first);
        let back = ok(exported.as_bytes()).report;
        assert_eq!(back, first, "{name}");
    }
}

#[test]
fn the_export_is_plain_fhir_other_systems_can_read() {
    let report = ok(&fixture("gimap_style_qpcr.hl7")).report;
    let exported = fhir::export(&report);
    let json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(json["resourceType"], "Bundle");
    assert_eq!(
        json["entry"][0]["resource"]["resourceType"],
        "DiagnosticReport"
    );
    let calpro = json["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["code"]["text"] == "Calprotectin")
        .unwrap();
    assert_eq!(calpro["code"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(calpro["code"]["coding"][0]["code"], "38445-3");
    assert_eq!(
        calpro["code"]["coding"][1]["system"],
        fhir::LOCAL_CODE_SYSTEM
    );
    assert_eq!(calpro["valueQuantity"]["code"], "ug/g");
    assert_eq!(
        calpro["valueQuantity"]["system"],
        "http://unitsofmeasure.org"
    );
    assert_eq!(calpro["referenceRange"][0]["text"], "<173");
    assert_eq!(calpro["interpretation"][0]["coding"][0]["code"], "H");
    assert!(exported.contains("\"value\": 2.3e3"), "printed digits kept");
}
