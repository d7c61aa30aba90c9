//! Resolving one typed name, in order: exact, salt form, combination, name
//! within text, similar spelling.

use std::collections::BTreeMap;

use strsim::{jaro_winkler, normalized_levenshtein};

use super::normalise::{combination_parts, normalise, route_hint, strip_salts};
use super::{Candidate, MatchMethod, MedicationMatch, Resolution, ResolvedIngredient};
use crate::knowledge::index::AliasEntry;
use crate::knowledge::{KnowledgeBase, Target};

/// Candidates below this similarity are not shown.
pub(super) const SUGGEST_AT: f64 = 0.72;
/// A similar spelling at or above this is assessed (to be confirmed).
const ACCEPT_AT: f64 = 0.88;
/// The best reading must lead the next different one by this much.
const MARGIN: f64 = 0.03;
const MAX_CANDIDATES: usize = 5;

/// Resolves a typed name against the knowledge base.
pub fn match_medication(kb: &KnowledgeBase, typed: &str) -> MedicationMatch {
    let normalised = normalise(typed);
    let mut result = MedicationMatch {
        typed: typed.to_owned(),
        normalised: normalised.clone(),
        resolution: Resolution::Unrecognised,
        method: None,
        score: 0.0,
        product: None,
        ingredients: Vec::new(),
        candidates: Vec::new(),
        route_hint: route_hint(typed),
    };
    if normalised.is_empty() {
        return result;
    }
    if let Some(c) = exact(kb, &normalised, MatchMethod::Exact, 1.0) {
        return accept(result, c, Resolution::Recognised, Vec::new());
    }
    let salt_free = strip_salts(&normalised);
    if !salt_free.is_empty()
        && salt_free != normalised
        && let Some(c) = exact(kb, &salt_free, MatchMethod::SaltForm, 0.98)
    {
        return accept(result, c, Resolution::Recognised, Vec::new());
    }
    let parts = combination_parts(typed);
    if parts.len() >= 2
        && let Some(c) = combination(kb, &parts)
    {
        return accept(result, c, Resolution::Recognised, Vec::new());
    }
    let mut within = contained(kb, &normalised);
    if within.len() == 1 {
        let c = within.remove(0);
        return accept(result, c, Resolution::Recognised, Vec::new());
    }
    if within.len() > 1 {
        // Several known names in one line without separators: keep them all,
        // but ask the practitioner to confirm.
        let merged = merge(within.clone(), MatchMethod::Contained, 0.9);
        return accept(result, merged, Resolution::ToConfirm, within);
    }
    let mut candidates = fuzzy(kb, &normalised);
    let accepted = match candidates.as_slice() {
        [best, rest @ ..] if best.score >= ACCEPT_AT => rest.first().is_none_or(|second| {
            best.score - second.score >= MARGIN || second.ingredients == best.ingredients
        }),
        _ => false,
    };
    if accepted {
        let best = candidates.remove(0);
        return accept(result, best, Resolution::ToConfirm, candidates);
    }
    result.candidates = candidates;
    result
}

fn accept(
    mut result: MedicationMatch,
    chosen: Candidate,
    resolution: Resolution,
    others: Vec<Candidate>,
) -> MedicationMatch {
    result.resolution = resolution;
    result.method = Some(chosen.method);
    result.score = chosen.score;
    result.product = chosen.product.clone();
    result.ingredients = chosen.ingredients.clone();
    result.candidates = std::iter::once(chosen).chain(others).collect();
    result
}

fn exact(kb: &KnowledgeBase, key: &str, method: MatchMethod, score: f64) -> Option<Candidate> {
    let entry = kb.alias_index().get(key)?.first()?;
    Some(candidate(kb, entry, method, score))
}

fn combination(kb: &KnowledgeBase, parts: &[String]) -> Option<Candidate> {
    let mut found = Vec::new();
    for part in parts {
        let c = exact(kb, part, MatchMethod::Exact, 1.0)
            .or_else(|| exact(kb, &strip_salts(part), MatchMethod::SaltForm, 0.98))?;
        found.push(c);
    }
    Some(merge(found, MatchMethod::Combination, 0.97))
}

/// Known names appearing as whole words inside a longer text, longest first,
/// one reading per target.
fn contained(kb: &KnowledgeBase, normalised: &str) -> Vec<Candidate> {
    let words: Vec<&str> = normalised.split(' ').collect();
    let mut found: BTreeMap<Target, Candidate> = BTreeMap::new();
    let mut used = vec![false; words.len()];
    for len in (1..=words.len().min(4)).rev() {
        for start in 0..=(words.len() - len) {
            if used[start..start + len].iter().any(|u| *u) {
                continue;
            }
            let key = words[start..start + len].join(" ");
            if let Some(entry) = kb.alias_index().get(&key).and_then(|v| v.first()) {
                used[start..start + len].iter_mut().for_each(|u| *u = true);
                found
                    .entry(entry.target)
                    .or_insert_with(|| candidate(kb, entry, MatchMethod::Contained, 0.9));
            }
        }
    }
    found.into_values().collect()
}

/// Similar spellings, best per target, best first.
pub(super) fn fuzzy(kb: &KnowledgeBase, normalised: &str) -> Vec<Candidate> {
    let words: Vec<&str> = normalised.split(' ').collect();
    let mut pieces: Vec<(String, f64)> = vec![(normalised.to_owned(), 1.0)];
    if words.len() > 1 {
        // Parts of a longer text count a little less than the whole.
        pieces.extend(words.iter().map(|w| ((*w).to_owned(), 0.95)));
        pieces.extend(words.windows(2).map(|w| (w.join(" "), 0.95)));
    }
    let mut best: BTreeMap<Target, (f64, &AliasEntry)> = BTreeMap::new();
    for (key, entries) in kb.alias_index() {
        let Some(entry) = entries.first() else {
            continue;
        };
        let score = pieces
            .iter()
            .map(|(piece, weight)| similarity(piece, key) * weight)
            .fold(0.0, f64::max);
        if score < SUGGEST_AT {
            continue;
        }
        let slot = best.entry(entry.target).or_insert((score, entry));
        if score > slot.0 {
            *slot = (score, entry);
        }
    }
    let mut out: Vec<Candidate> = best
        .into_values()
        .map(|(score, entry)| candidate(kb, entry, MatchMethod::Fuzzy, round(score)))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.matched.cmp(&b.matched))
    });
    out.truncate(MAX_CANDIDATES);
    out
}

/// Blend of Jaro-Winkler (forgiving of typos near the end) and normalised
/// Levenshtein (counts every edit); short names are penalised because a
/// one-letter difference there is a different drug. Cheap bounds skip pairs
/// that cannot reach the suggestion threshold.
fn similarity(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = (la.min(lb), la.max(lb));
    // Levenshtein similarity is at most short/long; Jaro-Winkler at most 1.
    let lev_bound = if long == 0 {
        1.0
    } else {
        short as f64 / long as f64
    };
    if 0.5 + 0.5 * lev_bound < SUGGEST_AT {
        return 0.0;
    }
    let jw = jaro_winkler(a, b);
    if 0.5 * jw + 0.5 * lev_bound < SUGGEST_AT {
        return 0.0;
    }
    let score = 0.5 * jw + 0.5 * normalized_levenshtein(a, b);
    if short < 5 { score * 0.9 } else { score }
}

fn round(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

fn merge(parts: Vec<Candidate>, method: MatchMethod, score: f64) -> Candidate {
    let matched = parts
        .iter()
        .map(|c| c.matched.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    let alias_kind = parts
        .first()
        .map(|c| c.alias_kind)
        .unwrap_or(crate::knowledge::AliasKind::Generic);
    let mut ingredients: Vec<ResolvedIngredient> = Vec::new();
    for c in parts {
        for ing in c.ingredients {
            if !ingredients.iter().any(|i| i.id == ing.id) {
                ingredients.push(ing);
            }
        }
    }
    Candidate {
        matched,
        alias_kind,
        method,
        score,
        product: None,
        ingredients,
    }
}

fn candidate(kb: &KnowledgeBase, entry: &AliasEntry, method: MatchMethod, score: f64) -> Candidate {
    let (product, ids): (Option<String>, Vec<&str>) = match entry.target {
        Target::Ingredient(i) => (None, vec![kb.ingredients[i].id.as_str()]),
        Target::Product(p) => {
            let product = &kb.products[p];
            (
                Some(product.name.clone()),
                product.ingredients.iter().map(String::as_str).collect(),
            )
        }
    };
    Candidate {
        matched: entry.text.clone(),
        alias_kind: entry.kind,
        method,
        score,
        product,
        ingredients: ids.into_iter().filter_map(|id| resolved(kb, id)).collect(),
    }
}

/// An ingredient with its class, for display.
pub(crate) fn resolved(kb: &KnowledgeBase, id: &str) -> Option<ResolvedIngredient> {
    let ing = kb.ingredient(id)?;
    let class = kb.class(&ing.class);
    Some(ResolvedIngredient {
        id: ing.id.clone(),
        name: ing.display_name(),
        class: ing.class.clone(),
        class_name: class.map(|c| c.name.clone()).unwrap_or_default(),
        family: class.map(|c| c.family.clone()).unwrap_or_default(),
        atc: ing.atc.clone(),
    })
}
