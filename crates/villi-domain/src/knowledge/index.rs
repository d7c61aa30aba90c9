//! Lookup tables built once when the knowledge base is loaded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::KnowledgeBase;
use super::matching::normalise;

/// What a name resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "index")]
pub enum Target {
    /// Index into [`KnowledgeBase::ingredients`].
    Ingredient(usize),
    /// Index into [`KnowledgeBase::products`].
    Product(usize),
}

/// What kind of name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    /// The generic (international non-proprietary) name.
    Generic,
    /// Another generic name: US/UK spelling, salt form, abbreviation.
    Alias,
    /// A brand sold in the United States.
    BrandUs,
    /// A brand sold in the United Kingdom.
    BrandUk,
    /// A brand sold in the European Union.
    BrandEu,
    /// A known misspelling.
    Misspelling,
    /// The name of a combination product.
    Product,
}

impl AliasKind {
    /// The kind as printed.
    pub fn label(self) -> &'static str {
        match self {
            Self::Generic => "generic name",
            Self::Alias => "alternative name",
            Self::BrandUs => "US brand",
            Self::BrandUk => "UK brand",
            Self::BrandEu => "EU brand",
            Self::Misspelling => "known misspelling",
            Self::Product => "combination product",
        }
    }
}

/// One name as written in the data, with its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AliasEntry {
    pub text: String,
    pub kind: AliasKind,
    pub target: Target,
    /// Derived from an id or name rather than listed in the data; two
    /// derived keys for the same target are not a duplicate.
    pub derived: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub aliases: BTreeMap<String, Vec<AliasEntry>>,
    pub references: BTreeMap<String, usize>,
    pub families: BTreeMap<String, usize>,
    pub classes: BTreeMap<String, usize>,
    pub ingredients: BTreeMap<String, usize>,
    pub products: BTreeMap<String, usize>,
}

impl Index {
    pub fn build(kb: &KnowledgeBase) -> Index {
        let mut index = Index {
            references: ids(kb.references.iter().map(|r| r.id.as_str())),
            families: ids(kb.families.iter().map(|f| f.id.as_str())),
            classes: ids(kb.classes.iter().map(|c| c.id.as_str())),
            ingredients: ids(kb.ingredients.iter().map(|i| i.id.as_str())),
            products: ids(kb.products.iter().map(|p| p.id.as_str())),
            aliases: BTreeMap::new(),
        };
        for (i, ing) in kb.ingredients.iter().enumerate() {
            let target = Target::Ingredient(i);
            index.add(&ing.id, AliasKind::Generic, target, true);
            index.add(&ing.display_name(), AliasKind::Generic, target, true);
            index.add_all(&ing.aliases, AliasKind::Alias, target);
            index.add_all(&ing.us, AliasKind::BrandUs, target);
            index.add_all(&ing.uk, AliasKind::BrandUk, target);
            index.add_all(&ing.eu, AliasKind::BrandEu, target);
            index.add_all(&ing.misspellings, AliasKind::Misspelling, target);
        }
        for (i, p) in kb.products.iter().enumerate() {
            let target = Target::Product(i);
            index.add(&p.id, AliasKind::Product, target, true);
            index.add(&p.name, AliasKind::Product, target, true);
            index.add_all(&p.aliases, AliasKind::Alias, target);
            index.add_all(&p.us, AliasKind::BrandUs, target);
            index.add_all(&p.uk, AliasKind::BrandUk, target);
            index.add_all(&p.eu, AliasKind::BrandEu, target);
            index.add_all(&p.misspellings, AliasKind::Misspelling, target);
        }
        index
    }

    fn add_all(&mut self, names: &[String], kind: AliasKind, target: Target) {
        for name in names {
            self.add(name, kind, target, false);
        }
    }

    fn add(&mut self, text: &str, kind: AliasKind, target: Target, derived: bool) {
        let key = normalise(text);
        let entries = self.aliases.entry(key).or_default();
        // Derived keys repeat naturally (id "omeprazole", name "omeprazole").
        if derived && entries.iter().any(|e| e.target == target && e.derived) {
            return;
        }
        entries.push(AliasEntry {
            text: text.to_owned(),
            kind,
            target,
            derived,
        });
    }
}

fn ids<'a>(items: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (i, id) in items.enumerate() {
        map.entry(id.to_owned()).or_insert(i);
    }
    map
}
