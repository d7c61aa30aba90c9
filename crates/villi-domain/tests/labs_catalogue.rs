#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The embedded stool-marker catalogue is complete and consistent.

use std::collections::HashSet;

use villi_domain::labs::{Area, Catalogue, ParsedRange, ReferenceRange, to_ucum};

/// LOINC codes the reference verified (stool-tests.md §2); no others may be
/// used.
const VERIFIED_LOINC: [&str; 9] = [
    "38445-3", "25907-7", "2335-8", "29771-3", "17780-8", "34713-8", "10704-5", "10701-1", "625-4",
];

#[test]
fn the_embedded_catalogue_parses_and_holds_at_least_seventy_markers() {
    let catalogue = Catalogue::try_embedded().expect("catalogue parses");
    assert!(
        catalogue.markers().len() >= 70,
        "{} markers",
        catalogue.markers().len()
    );
}

#[test]
fn every_area_the_issue_names_has_markers() {
    let catalogue = Catalogue::embedded();
    for area in Area::ALL {
        assert!(
            catalogue.markers().iter().any(|m| m.area == area),
            "no marker in {area:?}"
        );
    }
}

#[test]
fn the_markers_the_issue_lists_are_all_present() {
    let catalogue = Catalogue::embedded();
    for name in [
        "zonulin",
        "secretory IgA",
        "occult blood",
        "Akkermansia",
        "Faecalibacterium",
        "Bifidobacterium",
        "Lactobacillus",
        "Bacteroides",
        "Escherichia",
        "Roseburia",
        "Klebsiella",
        "K. pneumoniae",
        "Citrobacter",
        "Proteus",
        "Morganella",
        "Pseudomonas",
        "Staphylococcus aureus",
        "Streptococcus",
        "Enterococcus",
        "C. difficile Toxin A",
        "Campylobacter",
        "Salmonella",
        "Shigella/EIEC",
        "STEC",
        "H. pylori",
        "cagA",
        "norovirus",
        "adenovirus",
        "Blastocystis",
        "Giardia",
        "Cryptosporidium",
        "Dientamoeba",
        "Entamoeba histolytica",
        "Ascaris",
        "Candida spp.",
        "C. albicans",
        "Geotrichum",
        "Rhodotorula",
        "pancreatic elastase-1",
        "steatocrit",
        "fecal fat",
        "products of protein breakdown",
        "calprotectin",
        "lactoferrin",
        "lysozyme",
        "EPX",
        "EDN",
        "anti-gliadin IgA",
        "β-glucuronidase",
        "Total SCFAs",
        "butyrate",
        "pH",
    ] {
        assert!(
            catalogue.by_name(name).is_some(),
            "{name} is not recognised"
        );
    }
}

#[test]
fn loinc_codes_are_only_the_verified_ones() {
    for marker in Catalogue::embedded().markers() {
        if let Some(code) = &marker.loinc {
            assert!(
                VERIFIED_LOINC.contains(&code.as_str()),
                "{} has unverified LOINC {code}",
                marker.id
            );
        }
    }
}

#[test]
fn every_marker_explains_itself_to_both_readers_and_cites_a_reference() {
    let catalogue = Catalogue::embedded();
    for marker in catalogue.markers() {
        assert!(marker.client.len() > 20, "{}: client text", marker.id);
        assert!(
            marker.practitioner.len() > 10,
            "{}: practitioner note",
            marker.id
        );
        assert!(!marker.references.is_empty(), "{}: no reference", marker.id);
        for r in &marker.references {
            assert!(
                catalogue.reference(r).is_some(),
                "{}: unknown reference {r}",
                marker.id
            );
        }
    }
}

#[test]
fn every_catalogue_range_is_readable_and_its_unit_is_known() {
    for marker in Catalogue::embedded().markers() {
        for range in &marker.ranges {
            let parsed = ReferenceRange::parse(&range.printed).parsed;
            assert!(
                !matches!(parsed, ParsedRange::Unreadable | ParsedRange::Absent),
                "{}: {} range {:?} unreadable",
                marker.id,
                range.lab,
                range.printed
            );
            if matches!(parsed, ParsedRange::Numeric { .. }) {
                assert!(
                    to_ucum(&range.unit).is_some(),
                    "{}: unit {:?}",
                    marker.id,
                    range.unit
                );
            }
        }
        if let Some(unit) = &marker.default_unit {
            assert_eq!(
                to_ucum(unit),
                Some(unit.as_str()),
                "{}: default unit is not canonical UCUM",
                marker.id
            );
        }
    }
}

#[test]
fn every_reference_is_used_and_every_link_resolves() {
    let catalogue = Catalogue::embedded();
    let mut used = HashSet::new();
    for marker in catalogue.markers() {
        used.extend(marker.references.iter().cloned());
    }
    for link in catalogue.links() {
        assert!(!link.references.is_empty(), "{} cites nothing", link.id);
        for r in &link.references {
            assert!(
                catalogue.reference(r).is_some(),
                "{}: unknown reference {r}",
                link.id
            );
            used.insert(r.clone());
        }
        for m in &link.markers {
            assert!(
                catalogue.marker(m).is_some(),
                "{}: unknown marker {m}",
                link.id
            );
        }
        for factor in &link.when {
            assert!(
                factor.starts_with("medication:")
                    || factor == "recent_antibiotics"
                    || factor == "daily_nsaid",
                "{}: unknown intake factor {factor}",
                link.id
            );
        }
    }
    for reference in catalogue.references() {
        assert!(
            used.contains(&reference.id),
            "reference {} is never cited",
            reference.id
        );
    }
}

#[test]
fn names_are_matched_without_regard_to_case_punctuation_or_spp() {
    let catalogue = Catalogue::embedded();
    let id = |n: &str| catalogue.by_name(n).map(|m| m.id.as_str());
    assert_eq!(id("BIFIDOBACTERIUM SPP."), Some("bifidobacterium"));
    assert_eq!(id("Calprotectin, stool"), Some("calprotectin"));
    assert_eq!(id("beta-Glucuronidase"), Some("beta_glucuronidase"));
    assert_eq!(id("Entamoeba coli"), Some("entamoeba_coli"));
    assert_eq!(id("E. coli"), Some("escherichia"));
    assert_eq!(id("Not a marker"), None);
}

#[test]
fn a_duplicate_name_in_catalogue_data_is_refused() {
    let file = r#"
[[marker]]
id = "a"
name = "Same"
area = "lining"
method = "qpcr"
concerning = "high"
client = "x"
practitioner = "y"

[[marker]]
id = "b"
name = "same"
area = "lining"
method = "qpcr"
concerning = "high"
client = "x"
practitioner = "y"
"#;
    let refs = "lab = []\nreference = []\n";
    let links = "link = []\n";
    let result = Catalogue::from_sources(&[("t.toml", file)], refs, links);
    assert!(result.is_err());
}
