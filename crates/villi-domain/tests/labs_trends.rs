#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Trends across retests: only within one lab, assay and unit.

use villi_domain::labs::{
    Catalogue, Direction, LabDate, LabReport, LabResult, MarkerName, Method, ReferenceRange,
    ResultStatus, ResultValue, TrendStep, Unit, trend,
};

fn report(lab: &str, date: &str, marker: &str, value: &str, unit: &str) -> LabReport {
    let catalogue = Catalogue::embedded();
    LabReport {
        lab: Some(lab.to_owned()),
        collected: LabDate::parse_iso(date),
        results: vec![LabResult {
            marker: MarkerName {
                printed: marker.to_owned(),
                code: None,
                marker_id: catalogue.by_name(marker).map(|m| m.id.clone()),
            },
            panel: None,
            value: ResultValue::parse(value).0,
            unit: Unit::parse(unit),
            range: ReferenceRange::absent(),
            lab_flag: None,
            method: None,
            status: ResultStatus::Final,
            notes: vec![],
        }],
        ..LabReport::default()
    }
}

#[test]
fn falling_calprotectin_at_the_same_lab_is_better() {
    let reports = [
        report("GI-MAP", "2024-06-01", "Calprotectin", "80", "µg/g"),
        report("GI-MAP", "2024-01-10", "Calprotectin", "240", "ug/g"),
    ];
    let t = trend(Catalogue::embedded(), "calprotectin", &reports);
    let [
        TrendStep::Change {
            change,
            direction,
            from,
            ..
        },
    ] = t.steps.as_slice()
    else {
        panic!("one comparable step expected: {:?}", t.steps);
    };
    assert_eq!(from, "240", "sorted by collection date");
    assert_eq!(*change, Some(-160.0));
    assert_eq!(*direction, Direction::Better);
}

#[test]
fn rising_bifidobacterium_is_better_because_low_is_the_concern() {
    let reports = [
        report("GI-MAP", "2024-01-10", "Bifidobacterium", "1.2e7", "CFU/g"),
        report("GI-MAP", "2024-06-01", "Bifidobacterium", "3.4e8", "CFU/g"),
    ];
    let t = trend(Catalogue::embedded(), "bifidobacterium", &reports);
    assert!(matches!(
        t.steps[0],
        TrendStep::Change {
            direction: Direction::Better,
            ..
        }
    ));
}

#[test]
fn different_labs_are_not_comparable() {
    let reports = [
        report("GI-MAP", "2024-01-10", "Secretory IgA", "900", "ug/g"),
        report(
            "Doctor's Data",
            "2024-06-01",
            "Secretory IgA",
            "120",
            "mg/dL",
        ),
    ];
    let t = trend(Catalogue::embedded(), "secretory_iga", &reports);
    assert!(
        matches!(&t.steps[0], TrendStep::NotComparable { reason, .. } if reason.contains("different labs"))
    );
}

#[test]
fn different_units_at_one_lab_are_not_comparable() {
    let reports = [
        report("Doctor's Data", "2024-01-10", "Butyrate", "2.0", "mg/mL"),
        report(
            "Doctor's Data",
            "2024-06-01",
            "Butyrate",
            "15",
            "micromol/g",
        ),
    ];
    let t = trend(Catalogue::embedded(), "butyrate", &reports);
    assert!(
        matches!(&t.steps[0], TrendStep::NotComparable { reason, .. } if reason.contains("different units"))
    );
}

#[test]
fn a_change_of_method_makes_results_not_comparable() {
    let mut later = report("Doctor's Data", "2024-06-01", "Candida", "3+", "");
    later.results[0].method = Some(Method::parse("Culture"));
    let mut earlier = report("Doctor's Data", "2024-01-10", "Candida", "2+", "");
    earlier.results[0].method = Some(Method::parse("Microscopy"));
    let t = trend(Catalogue::embedded(), "candida", &[earlier, later]);
    assert!(
        matches!(&t.steps[0], TrendStep::NotComparable { reason, .. } if reason.contains("methods"))
    );
}

#[test]
fn culture_grades_trend_by_their_order() {
    let reports = [
        report("Doctor's Data", "2024-01-10", "Klebsiella", "3+", ""),
        report("Doctor's Data", "2024-06-01", "Klebsiella", "1+", ""),
    ];
    let t = trend(Catalogue::embedded(), "klebsiella", &reports);
    assert!(matches!(
        t.steps[0],
        TrendStep::Change { change: Some(c), direction: Direction::Better, .. } if c == -2.0
    ));
}

#[test]
fn a_value_with_a_comparator_is_compared_but_not_judged() {
    let reports = [
        report("GI-MAP", "2024-01-10", "Calprotectin", "<10", "ug/g"),
        report("GI-MAP", "2024-06-01", "Calprotectin", "40", "ug/g"),
    ];
    let t = trend(Catalogue::embedded(), "calprotectin", &reports);
    assert!(matches!(
        t.steps[0],
        TrendStep::Change {
            direction: Direction::NotJudged,
            change: None,
            ..
        }
    ));
}
