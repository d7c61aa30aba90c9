//! Families, classes, ingredients, products and every name they go by.

use std::collections::BTreeSet;

use super::{Problems, unique, wording};
use crate::knowledge::matching::{Resolution, match_medication};
use crate::knowledge::{KbProblem, KnowledgeBase, Target};

pub(super) fn check(kb: &KnowledgeBase, p: &mut Problems) {
    unique("family", kb.families.iter().map(|f| f.id.as_str()), p);
    unique("class", kb.classes.iter().map(|c| c.id.as_str()), p);
    unique(
        "ingredient",
        kb.ingredients.iter().map(|i| i.id.as_str()),
        p,
    );
    unique("product", kb.products.iter().map(|x| x.id.as_str()), p);
    for c in &kb.classes {
        let at = format!("class {}", c.id);
        if kb.family(&c.family).is_none() {
            p.push(KbProblem::new(
                &at,
                format!("unknown family `{}`", c.family),
            ));
        }
        if let Some(note) = &c.note {
            wording(&at, "note", note, p);
        }
    }
    ingredients(kb, p);
    products(kb, p);
    aliases(kb, p);
    names_resolve(kb, p);
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// WHO ATC codes at level 5 (A10BA02) or a shorter level (A10B).
fn is_atc(code: &str) -> bool {
    let b = code.as_bytes();
    let shape = [
        u8::is_ascii_uppercase,
        u8::is_ascii_digit,
        u8::is_ascii_digit,
        u8::is_ascii_uppercase,
        u8::is_ascii_uppercase,
        u8::is_ascii_digit,
        u8::is_ascii_digit,
    ];
    matches!(b.len(), 1 | 3 | 4 | 5 | 7) && b.iter().zip(shape).all(|(c, f)| f(c))
}

fn ingredients(kb: &KnowledgeBase, p: &mut Problems) {
    for ing in &kb.ingredients {
        let at = format!("ingredient {}", ing.id);
        if !is_id(&ing.id) {
            p.push(KbProblem::new(
                &at,
                "id must be lowercase letters, digits and hyphens",
            ));
        }
        if kb.class(&ing.class).is_none() {
            p.push(KbProblem::new(
                &at,
                format!("unknown class `{}`", ing.class),
            ));
        }
        for class in ing.route_classes.values() {
            if kb.class(class).is_none() {
                p.push(KbProblem::new(
                    &at,
                    format!("unknown route class `{class}`"),
                ));
            }
        }
        for code in &ing.atc {
            if !is_atc(code) {
                p.push(KbProblem::new(&at, format!("`{code}` is not an ATC code")));
            }
        }
        if let Some(note) = &ing.note {
            wording(&at, "note", note, p);
        }
    }
}

fn products(kb: &KnowledgeBase, p: &mut Problems) {
    for prod in &kb.products {
        let at = format!("product {}", prod.id);
        if !is_id(&prod.id) {
            p.push(KbProblem::new(
                &at,
                "id must be lowercase letters, digits and hyphens",
            ));
        }
        if kb.ingredient(&prod.id).is_some() {
            p.push(KbProblem::new(&at, "id is also an ingredient id"));
        }
        if prod.ingredients.len() < 2 {
            p.push(KbProblem::new(
                &at,
                "a combination needs at least two ingredients",
            ));
        }
        let mut seen = BTreeSet::new();
        for id in &prod.ingredients {
            if kb.ingredient(id).is_none() {
                p.push(KbProblem::new(&at, format!("unknown ingredient `{id}`")));
            }
            if !seen.insert(id) {
                p.push(KbProblem::new(
                    &at,
                    format!("ingredient `{id}` listed twice"),
                ));
            }
        }
        for class in &prod.extra_classes {
            if kb.class(class).is_none() {
                p.push(KbProblem::new(
                    &at,
                    format!("unknown extra class `{class}`"),
                ));
            }
        }
        if let Some(note) = &prod.note {
            wording(&at, "note", note, p);
        }
    }
}

fn target_name(kb: &KnowledgeBase, target: Target) -> String {
    match target {
        Target::Ingredient(i) => format!("ingredient {}", kb.ingredients[i].id),
        Target::Product(i) => format!("product {}", kb.products[i].id),
    }
}

/// Every name is unique: it resolves to one ingredient or product, and is
/// listed once.
fn aliases(kb: &KnowledgeBase, p: &mut Problems) {
    for (key, entries) in kb.alias_index() {
        let at = format!("name \"{key}\"");
        if key.is_empty() {
            let texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
            p.push(KbProblem::new(
                "names",
                format!("{texts:?} normalise to nothing; they can never match"),
            ));
            continue;
        }
        let targets: BTreeSet<Target> = entries.iter().map(|e| e.target).collect();
        if targets.len() > 1 {
            let names: Vec<String> = targets.iter().map(|t| target_name(kb, *t)).collect();
            p.push(KbProblem::new(
                &at,
                format!("resolves to several entries: {}", names.join(", ")),
            ));
        }
        // The same brand sold in several countries is expected; the same
        // name twice in one list is a slip.
        let listed: Vec<_> = entries.iter().filter(|e| !e.derived).collect();
        let kinds: BTreeSet<_> = listed.iter().map(|e| e.kind).collect();
        if targets.len() == 1 && kinds.len() < listed.len() {
            let texts: Vec<&str> = listed.iter().map(|e| e.text.as_str()).collect();
            p.push(KbProblem::new(
                &at,
                format!("listed more than once in one list: {texts:?}"),
            ));
        }
    }
}

/// Every listed name, typed as is, resolves exactly to its own entry.
fn names_resolve(kb: &KnowledgeBase, p: &mut Problems) {
    let mut check = |name: &str, expected: Vec<&str>, owner: String| {
        let m = match_medication(kb, name);
        let got: Vec<&str> = m.ingredients.iter().map(|i| i.id.as_str()).collect();
        if m.resolution != Resolution::Recognised || got != expected {
            p.push(KbProblem::new(
                owner,
                format!(
                    "name \"{name}\" resolves to {got:?} ({:?}), not {expected:?}",
                    m.resolution
                ),
            ));
        }
    };
    for ing in &kb.ingredients {
        let names = std::iter::once(&ing.id)
            .chain(&ing.aliases)
            .chain(&ing.us)
            .chain(&ing.uk)
            .chain(&ing.eu)
            .chain(&ing.misspellings);
        for name in names {
            check(
                name,
                vec![ing.id.as_str()],
                format!("ingredient {}", ing.id),
            );
        }
    }
    for prod in &kb.products {
        let expected: Vec<&str> = prod.ingredients.iter().map(String::as_str).collect();
        let names = std::iter::once(&prod.id)
            .chain(&prod.aliases)
            .chain(&prod.us)
            .chain(&prod.uk)
            .chain(&prod.eu)
            .chain(&prod.misspellings);
        for name in names {
            check(name, expected.clone(), format!("product {}", prod.id));
        }
    }
}
