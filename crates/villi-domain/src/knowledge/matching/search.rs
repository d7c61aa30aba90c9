//! `villi medications search NAME`: what a typed name resolves to, and what
//! else it might be.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::resolve::{fuzzy, match_medication};
use super::{Candidate, MedicationMatch, Resolution};
use crate::knowledge::KnowledgeBase;

/// The answer to a medication search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationSearch {
    /// How the name would be resolved in an assessment.
    pub result: MedicationMatch,
    /// Every candidate reading, best first (the chosen one included).
    pub candidates: Vec<Candidate>,
}

/// Looks a name up the way an assessment would, and lists close alternatives.
pub fn search_medications(kb: &KnowledgeBase, name: &str) -> MedicationSearch {
    let result = match_medication(kb, name);
    let mut candidates = result.candidates.clone();
    for c in fuzzy(kb, &result.normalised) {
        let same = |o: &Candidate| o.ingredients == c.ingredients && o.product == c.product;
        if !candidates.iter().any(same) {
            candidates.push(c);
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.matched.cmp(&b.matched))
    });
    MedicationSearch { result, candidates }
}

/// Plain-text rendering for the terminal.
pub fn render_medication_search(search: &MedicationSearch) -> String {
    let r = &search.result;
    let mut out = String::new();
    let _ = writeln!(out, "\"{}\" (looked up as \"{}\")", r.typed, r.normalised);
    let status = match r.resolution {
        Resolution::Recognised => "Recognised",
        Resolution::ToConfirm => "Close match, to confirm",
        Resolution::Unrecognised => "Not recognised: it would be listed, not assessed",
    };
    match r.method {
        Some(method) => {
            let _ = writeln!(out, "{status} ({}, score {:.2})", method.label(), r.score);
        }
        None => {
            let _ = writeln!(out, "{status}");
        }
    }
    if let Some(product) = &r.product {
        let _ = writeln!(out, "  product: {product}");
    }
    for ing in &r.ingredients {
        let _ = writeln!(out, "  {}", ingredient_line(ing));
    }
    if let Some(route) = r.route_hint {
        let _ = writeln!(out, "  route suggested by the name: {}", route.label());
    }
    if search.candidates.is_empty() {
        let _ = writeln!(out, "No candidates.");
        return out;
    }
    let _ = writeln!(out, "Candidates:");
    for c in &search.candidates {
        let names = c
            .ingredients
            .iter()
            .map(|i| format!("{} [{}]", i.name, i.class_name))
            .collect::<Vec<_>>()
            .join(" + ");
        let _ = writeln!(
            out,
            "  {:.2}  {} ({}, {}) -> {}",
            c.score,
            c.matched,
            c.alias_kind.label(),
            c.method.label(),
            names
        );
    }
    out
}

fn ingredient_line(ing: &super::ResolvedIngredient) -> String {
    let atc = if ing.atc.is_empty() {
        String::new()
    } else {
        format!(", ATC {}", ing.atc.join("/"))
    };
    format!("{}: {} ({}){atc}", ing.name, ing.class_name, ing.family)
}
