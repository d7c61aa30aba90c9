#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Medication name matching: exact, alias, brand, misspelling, salt form,
//! combination, fuzzy, and names that match nothing.

use villi_domain::intake::Route;
use villi_domain::knowledge::matching::{
    MatchMethod, Resolution, match_medication, normalise, render_medication_search,
    search_medications,
};
use villi_domain::knowledge::{AliasKind, KnowledgeBase};

fn ids(name: &str) -> (Resolution, Vec<String>) {
    let m = match_medication(KnowledgeBase::embedded(), name);
    (
        m.resolution,
        m.ingredients.into_iter().map(|i| i.id).collect(),
    )
}

fn recognised(name: &str, expected: &[&str]) {
    let (resolution, got) = ids(name);
    assert_eq!(resolution, Resolution::Recognised, "{name}");
    assert_eq!(got, expected, "{name}");
}

#[test]
fn the_verified_brand_examples_resolve_to_their_generics() {
    recognised("Nexium", &["esomeprazole"]);
    recognised("Dexilant", &["dexlansoprazole"]);
    recognised("Prilosec", &["omeprazole"]);
    recognised("Prilosec OTC", &["omeprazole"]);
    recognised("Prevacid 24HR", &["lansoprazole"]);
    recognised("Protonix", &["pantoprazole"]);
    recognised("AcipHex", &["rabeprazole"]);
    recognised("Advil", &["ibuprofen"]);
}

#[test]
fn combination_products_resolve_to_every_ingredient() {
    recognised("Vimovo", &["esomeprazole", "naproxen"]);
    recognised("Zegerid", &["omeprazole", "sodium-bicarbonate"]);
    recognised("Augmentin 625mg", &["amoxicillin", "clavulanic-acid"]);
    recognised("co-codamol 30/500", &["codeine", "paracetamol"]);
    recognised("Janumet", &["sitagliptin", "metformin"]);
    recognised("Microgynon 30", &["ethinylestradiol", "levonorgestrel"]);
}

#[test]
fn names_joined_by_a_plus_or_slash_resolve_as_a_combination() {
    let m = match_medication(KnowledgeBase::embedded(), "omeprazole/amoxicillin");
    assert_eq!(m.method, Some(MatchMethod::Combination));
    recognised(
        "amoxicillin/clavulanate",
        &["amoxicillin", "clavulanic-acid"],
    );
    recognised("paracetamol + codeine", &["codeine", "paracetamol"]);
    recognised("lisinopril + amlodipine", &["lisinopril", "amlodipine"]);
    recognised("omeprazole and naproxen", &["omeprazole", "naproxen"]);
}

#[test]
fn doses_forms_and_salts_are_ignored() {
    recognised("Metformin Hydrochloride 500 mg tablets", &["metformin"]);
    recognised("OMEPRAZOLE 20MG GASTRO-RESISTANT CAPSULES", &["omeprazole"]);
    recognised("levothyroxine sodium 75 mcg", &["levothyroxine"]);
    recognised("sertraline 50mg once daily", &["sertraline"]);
    assert_eq!(normalise("Nexium 40mg tablets"), "nexium");
}

#[test]
fn aliases_uk_and_us_spellings_and_known_misspellings_resolve() {
    recognised("acetaminophen", &["paracetamol"]);
    recognised("frusemide", &["furosemide"]);
    recognised("glyburide", &["glibenclamide"]);
    recognised("Losec", &["omeprazole"]);
    recognised("amoxicilin", &["amoxicillin"]);
    recognised("ibuprofin", &["ibuprofen"]);
    let m = match_medication(KnowledgeBase::embedded(), "Zoloft");
    assert_eq!(m.candidates[0].alias_kind, AliasKind::BrandUs);
}

#[test]
fn a_misspelling_is_matched_approximately_and_flagged_for_confirmation() {
    let m = match_medication(KnowledgeBase::embedded(), "metforminn");
    assert_eq!(m.resolution, Resolution::ToConfirm);
    assert_eq!(m.method, Some(MatchMethod::Fuzzy));
    assert_eq!(m.ingredients[0].id, "metformin");
    assert!(m.score >= 0.88 && m.score < 1.0, "{}", m.score);
    for typo in [
        "atorvastatinn",
        "omeprazol 20",
        "lisinoprl",
        "setraline",
        "quetiapine fumarat",
    ] {
        let (resolution, _) = ids(typo);
        assert_ne!(resolution, Resolution::Unrecognised, "{typo}");
    }
}

#[test]
fn a_name_that_matches_nothing_is_kept_as_unrecognised_with_suggestions_if_any() {
    let kb = KnowledgeBase::embedded();
    let m = match_medication(kb, "Glorbexitol");
    assert_eq!(m.resolution, Resolution::Unrecognised);
    assert!(m.ingredients.is_empty());
    assert_eq!(m.typed, "Glorbexitol");
    let m = match_medication(kb, "");
    assert_eq!(m.resolution, Resolution::Unrecognised);
    let m = match_medication(kb, "magnesium glycinate");
    assert_eq!(
        m.resolution,
        Resolution::Unrecognised,
        "a supplement not in the table is not guessed"
    );
}

#[test]
fn a_known_name_inside_a_longer_text_is_found() {
    recognised("metformin for my diabetes", &["metformin"]);
    let m = match_medication(KnowledgeBase::embedded(), "amlodipine atorvastatin");
    assert_eq!(m.resolution, Resolution::ToConfirm);
    assert_eq!(m.ingredients.len(), 2);
}

#[test]
fn a_route_is_suggested_by_words_in_the_name() {
    let kb = KnowledgeBase::embedded();
    assert_eq!(
        match_medication(kb, "Flixotide inhaler").route_hint,
        Some(Route::Inhaled)
    );
    assert_eq!(
        match_medication(kb, "hydrocortisone cream 1%").route_hint,
        Some(Route::Topical)
    );
    assert_eq!(
        match_medication(kb, "fentanyl patch").route_hint,
        Some(Route::Transdermal)
    );
    assert_eq!(match_medication(kb, "omeprazole").route_hint, None);
}

#[test]
fn the_search_lists_candidates_with_scores_class_and_ingredient() {
    let kb = KnowledgeBase::embedded();
    let s = search_medications(kb, "metforminn");
    assert!(!s.candidates.is_empty());
    let scores: Vec<f64> = s.candidates.iter().map(|c| c.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let text = render_medication_search(&s);
    assert!(text.contains("metformin"), "{text}");
    assert!(text.contains("biguanide"), "{text}");
    assert!(text.contains("to confirm"), "{text}");
    let s = search_medications(kb, "Vimovo");
    let text = render_medication_search(&s);
    assert!(
        text.contains("esomeprazole") && text.contains("naproxen"),
        "{text}"
    );
    assert!(text.contains("A02BC05"), "{text}");
}

#[test]
fn matching_never_panics_on_odd_input() {
    let kb = KnowledgeBase::embedded();
    for name in [
        "",
        " ",
        "////",
        "+ + +",
        "💊💊",
        "a",
        "ñ",
        "\u{0}",
        &"x".repeat(500),
        "20mg",
        "and with plus",
    ] {
        let _ = match_medication(kb, name);
        let _ = search_medications(kb, name);
    }
}
