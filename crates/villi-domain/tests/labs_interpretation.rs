#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Flags, area summaries and intake links for a report.

use villi_domain::labs::{
    Area, Catalogue, Flag, FlagBasis, IntakeContext, LabReport, LabResult, LinkKind, MarkerName,
    ReferenceRange, ResultStatus, ResultValue, Unit, interpret,
};

fn result(name: &str, value: &str, unit: &str, range: &str) -> LabResult {
    let catalogue = Catalogue::embedded();
    LabResult {
        marker: MarkerName {
            printed: name.to_owned(),
            code: None,
            marker_id: catalogue.by_name(name).map(|m| m.id.clone()),
        },
        panel: None,
        value: ResultValue::parse(value).0,
        unit: Unit::parse(unit),
        range: ReferenceRange::parse(range),
        lab_flag: None,
        method: None,
        status: ResultStatus::Final,
        notes: vec![],
    }
}

fn report(lab: &str, results: Vec<LabResult>) -> LabReport {
    LabReport {
        lab: Some(lab.to_owned()),
        results,
        ..LabReport::default()
    }
}

#[test]
fn the_printed_range_decides_the_flag_even_when_the_catalogue_differs() {
    // GI-MAP's catalogue ceiling is <173; this report printed <=50
    let r = report("GI-MAP", vec![result("Calprotectin", "90", "ug/g", "<=50")]);
    let reading = &interpret(&r, Catalogue::embedded(), &IntakeContext::default()).results[0];
    assert_eq!(reading.flag, Flag::High);
    assert_eq!(reading.basis, FlagBasis::PrintedRange);
}

#[test]
fn without_a_printed_range_the_catalogue_range_is_used_and_the_result_says_so() {
    let r = report(
        "Diagnostic Solutions Laboratory",
        vec![result("Calprotectin", "90", "ug/g", "")],
    );
    let reading = &interpret(&r, Catalogue::embedded(), &IntakeContext::default()).results[0];
    assert_eq!(reading.flag, Flag::Normal, "GI-MAP's <173 applies");
    assert!(matches!(&reading.basis, FlagBasis::CatalogueRange { lab, .. } if lab == "GI-MAP"));
    assert!(
        reading
            .notes
            .iter()
            .any(|n| n.contains("No range was printed"))
    );
}

#[test]
fn a_catalogue_range_in_another_unit_is_never_used() {
    // sIgA in mg/dL: only Doctor's Data's range is in that unit
    let r = report("GI-MAP", vec![result("Secretory IgA", "20", "mg/dL", "")]);
    let reading = &interpret(&r, Catalogue::embedded(), &IntakeContext::default()).results[0];
    assert!(
        matches!(&reading.basis, FlagBasis::CatalogueRange { lab, .. } if lab == "Doctor's Data")
    );
    assert_eq!(reading.flag, Flag::Low);
}

#[test]
fn the_lab_flag_is_used_when_the_printed_range_is_unreadable() {
    let mut res = result("Zonulin", "505", "ng/mL", "see guide");
    res.lab_flag = Some("H".into());
    let r = report("GI-MAP", vec![res]);
    let reading = &interpret(&r, Catalogue::embedded(), &IntakeContext::default()).results[0];
    assert_eq!(
        (reading.flag, &reading.basis),
        (Flag::High, &FlagBasis::LabFlag)
    );
}

#[test]
fn metformin_links_raised_escherichia_with_references() {
    let r = report(
        "GI-MAP",
        vec![result(
            "Escherichia spp.",
            "9.1e9",
            "CFU/g",
            "3.70e6-3.80e9",
        )],
    );
    let intake = IntakeContext {
        medication_classes: vec!["Metformin".into()],
        ..IntakeContext::default()
    };
    let interpretation = interpret(&r, Catalogue::embedded(), &intake);
    let link = interpretation
        .links
        .iter()
        .find(|l| l.rule_id == "metformin-escherichia")
        .expect("link found");
    assert_eq!(link.factors, vec!["medication:metformin".to_owned()]);
    assert!(link.references.len() >= 2);
    assert!(!link.weak_evidence);
    assert!(!link.client.to_lowercase().contains("stop taking"));
}

#[test]
fn the_same_result_without_metformin_has_no_metformin_link() {
    let r = report(
        "GI-MAP",
        vec![result(
            "Escherichia spp.",
            "9.1e9",
            "CFU/g",
            "3.70e6-3.80e9",
        )],
    );
    let interpretation = interpret(&r, Catalogue::embedded(), &IntakeContext::default());
    assert!(
        interpretation
            .links
            .iter()
            .all(|l| !l.rule_id.starts_with("metformin"))
    );
}

#[test]
fn a_weak_link_says_its_evidence_is_weak() {
    let r = report(
        "GI-MAP",
        vec![result("Klebsiella spp.", "2.0e5", "CFU/g", "<5.00e3")],
    );
    let intake = IntakeContext {
        medication_classes: vec!["metformin".into()],
        ..IntakeContext::default()
    };
    let interpretation = interpret(&r, Catalogue::embedded(), &intake);
    let link = interpretation
        .links
        .iter()
        .find(|l| l.rule_id == "metformin-klebsiella")
        .expect("link");
    assert!(link.weak_evidence);
    assert!(link.client.contains("evidence for this link is weak"));
}

#[test]
fn ppi_antibiotics_and_nsaids_each_link_to_their_findings() {
    let r = report(
        "GI-MAP",
        vec![
            result("Streptococcus spp.", "4.2e4", "CFU/g", "<1.00e3"),
            result("Bifidobacterium", "<dl", "CFU/g", ">6.70e7"),
            result("Calprotectin", "95", "ug/g", "<=50"),
        ],
    );
    let intake = IntakeContext {
        medication_classes: vec!["ppi".into()],
        recent_antibiotics: true,
        daily_nsaid: true,
    };
    let ids: Vec<String> = interpret(&r, Catalogue::embedded(), &intake)
        .links
        .into_iter()
        .map(|l| l.rule_id)
        .collect();
    for expected in [
        "ppi-oral-taxa",
        "antibiotics-low-commensals",
        "nsaid-calprotectin",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} missing from {ids:?}"
        );
    }
    assert!(
        !ids.iter().any(|i| i == "calprotectin-referral"),
        "95 is below the referral threshold"
    );
}

#[test]
fn high_calprotectin_and_a_detected_pathogen_lead_to_referral_first() {
    let r = report(
        "GI-MAP",
        vec![
            result("Bifidobacterium", "8.0e8", "CFU/g", ">6.70e7"),
            result("Calprotectin", "340", "ug/g", "<173"),
            result("Giardia", "2.1e4", "CFU/g", "<5.00e3"),
            result("Pancreatic Elastase 1", "150", "ug/g", ">200"),
        ],
    );
    let links = interpret(&r, Catalogue::embedded(), &IntakeContext::default()).links;
    let referrals: Vec<&str> = links
        .iter()
        .filter(|l| l.kind == LinkKind::MedicalReferral)
        .map(|l| l.rule_id.as_str())
        .collect();
    assert_eq!(
        referrals,
        vec!["calprotectin-referral", "pathogen-referral"]
    );
    assert_eq!(links[0].kind, LinkKind::MedicalReferral);
    assert!(
        links.iter().any(
            |l| l.rule_id == "low-elastase-digestive-support" && l.kind == LinkKind::Discussion
        )
    );
}

#[test]
fn area_summaries_speak_plainly_to_the_client_and_precisely_to_the_practitioner() {
    let r = report(
        "GI-MAP",
        vec![
            result("Zonulin", "505", "ng/mL", "<=107"),
            result("Secretory IgA", "900", "ug/g", "510-2010"),
            result("Mystery marker", "12", "mg/L", "0-5"),
        ],
    );
    let areas = interpret(&r, Catalogue::embedded(), &IntakeContext::default()).areas;
    let lining = areas
        .iter()
        .find(|a| a.area == Some(Area::Lining))
        .expect("lining summary");
    assert_eq!(lining.client_title, "Intestinal lining");
    assert!(
        lining
            .client
            .contains("Zonulin (higher than the lab's range)")
    );
    assert!(lining.client.contains("not a diagnosis"));
    assert!(
        lining
            .practitioner
            .contains("505 ng/mL [H] (range <=107; by printed range)")
    );
    let other = areas.last().expect("other");
    assert_eq!(other.area, None);
    assert_eq!(
        other.attention,
        vec![2],
        "an unknown marker outside its range still gets attention"
    );
}
