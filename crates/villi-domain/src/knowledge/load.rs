//! Parsing the TOML data files into one [`KnowledgeBase`].

use serde::Deserialize;

use super::index::Index;
use super::{
    AtcNote, GroupInfo, Ingredient, Instrument, KbProblem, KnowledgeBase, MedicationClass,
    MedicationFamily, NextStepTemplate, OverviewText, Product, RedFlag, Reference, Rule,
};

/// The data files compiled into the binary, as `(path under knowledge/, text)`.
pub const EMBEDDED_SOURCES: &[(&str, &str)] = &[
    (
        "references.toml",
        include_str!("../../knowledge/references.toml"),
    ),
    ("classes.toml", include_str!("../../knowledge/classes.toml")),
    ("atc.toml", include_str!("../../knowledge/atc.toml")),
    (
        "medications/antibiotics.toml",
        include_str!("../../knowledge/medications/antibiotics.toml"),
    ),
    (
        "medications/acid_and_pain.toml",
        include_str!("../../knowledge/medications/acid_and_pain.toml"),
    ),
    (
        "medications/metabolic.toml",
        include_str!("../../knowledge/medications/metabolic.toml"),
    ),
    (
        "medications/hormones_steroids.toml",
        include_str!("../../knowledge/medications/hormones_steroids.toml"),
    ),
    (
        "medications/mental_health.toml",
        include_str!("../../knowledge/medications/mental_health.toml"),
    ),
    (
        "medications/other.toml",
        include_str!("../../knowledge/medications/other.toml"),
    ),
    (
        "medications/combinations.toml",
        include_str!("../../knowledge/medications/combinations.toml"),
    ),
    (
        "rules/medications.toml",
        include_str!("../../knowledge/rules/medications.toml"),
    ),
    (
        "rules/diet.toml",
        include_str!("../../knowledge/rules/diet.toml"),
    ),
    (
        "rules/stress.toml",
        include_str!("../../knowledge/rules/stress.toml"),
    ),
    (
        "rules/environment.toml",
        include_str!("../../knowledge/rules/environment.toml"),
    ),
    (
        "next_steps.toml",
        include_str!("../../knowledge/next_steps.toml"),
    ),
    (
        "red_flags.toml",
        include_str!("../../knowledge/red_flags.toml"),
    ),
    (
        "questionnaires.toml",
        include_str!("../../knowledge/questionnaires.toml"),
    ),
    ("groups.toml", include_str!("../../knowledge/groups.toml")),
];

/// One data file: any mix of the knowledge base's tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct KbFile {
    reference: Vec<Reference>,
    family: Vec<MedicationFamily>,
    class: Vec<MedicationClass>,
    ingredient: Vec<Ingredient>,
    product: Vec<Product>,
    rule: Vec<Rule>,
    next_step: Vec<NextStepTemplate>,
    instrument: Vec<Instrument>,
    red_flag: Vec<RedFlag>,
    group: Vec<GroupInfo>,
    overview: Option<OverviewText>,
    atc: Option<AtcNote>,
}

/// Parses every source; reports every file that does not parse.
pub(super) fn parse(sources: &[(&str, &str)]) -> Result<KnowledgeBase, Vec<KbProblem>> {
    let mut problems = Vec::new();
    let mut all = KbFile::default();
    for (name, text) in sources {
        match toml::from_str::<KbFile>(text) {
            Ok(file) => merge(&mut all, file, name, &mut problems),
            Err(e) => problems.push(KbProblem::new(*name, e.to_string().trim_end().to_owned())),
        }
    }
    let Some(overview) = all.overview else {
        problems.push(KbProblem::new("(all files)", "no [overview] table found"));
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut kb = KnowledgeBase {
        references: all.reference,
        families: all.family,
        classes: all.class,
        ingredients: all.ingredient,
        products: all.product,
        rules: all.rule,
        next_steps: all.next_step,
        instruments: all.instrument,
        red_flags: all.red_flag,
        groups: all.group,
        overview,
        atc: all.atc,
        index: Index::default(),
    };
    kb.index = Index::build(&kb);
    Ok(kb)
}

fn merge(all: &mut KbFile, file: KbFile, name: &str, problems: &mut Vec<KbProblem>) {
    all.reference.extend(file.reference);
    all.family.extend(file.family);
    all.class.extend(file.class);
    all.ingredient.extend(file.ingredient);
    all.product.extend(file.product);
    all.rule.extend(file.rule);
    all.next_step.extend(file.next_step);
    all.instrument.extend(file.instrument);
    all.red_flag.extend(file.red_flag);
    all.group.extend(file.group);
    if let Some(o) = file.overview {
        if all.overview.is_some() {
            problems.push(KbProblem::new(name, "a second [overview] table"));
        }
        all.overview = Some(o);
    }
    if let Some(a) = file.atc {
        if all.atc.is_some() {
            problems.push(KbProblem::new(name, "a second [atc] table"));
        }
        all.atc = Some(a);
    }
}
