//! Knowledge-base validation: every problem is reported, not just the first.

mod instruments;
mod medications;
mod rules;

use std::collections::BTreeSet;

use super::{Group, KbProblem, KnowledgeBase, forbidden_wording};

type Problems = Vec<KbProblem>;

pub(super) fn all(kb: &KnowledgeBase) -> Problems {
    let mut p = Vec::new();
    references(kb, &mut p);
    medications::check(kb, &mut p);
    rules::check(kb, &mut p);
    instruments::check(kb, &mut p);
    groups(kb, &mut p);
    references_used(kb, &mut p);
    p
}

/// Reports ids that appear more than once.
pub(crate) fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>, p: &mut Problems) {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.trim().is_empty() {
            p.push(KbProblem::new(what, "an entry has an empty id"));
        } else if !seen.insert(id) {
            p.push(KbProblem::new(
                format!("{what} {id}"),
                "id is used more than once",
            ));
        }
    }
}

/// Reports text that is empty or tells anyone to stop a medication.
pub(crate) fn wording(location: &str, field: &str, text: &str, p: &mut Problems) {
    if text.trim().is_empty() {
        p.push(KbProblem::new(location, format!("{field} is empty")));
    }
    if let Some(word) = forbidden_wording(text) {
        p.push(KbProblem::new(
            location,
            format!("{field} uses \"{word}\"; suggest a conversation with the prescriber instead"),
        ));
    }
}

/// Reports citations of unknown references, and a missing citation.
pub(crate) fn cites(
    kb: &KnowledgeBase,
    location: &str,
    refs: &[String],
    required: bool,
    p: &mut Problems,
) {
    if required && refs.is_empty() {
        p.push(KbProblem::new(location, "cites no reference"));
    }
    for r in refs {
        if kb.reference(r).is_none() {
            p.push(KbProblem::new(
                location,
                format!("cites unknown reference `{r}`"),
            ));
        }
    }
}

fn references(kb: &KnowledgeBase, p: &mut Problems) {
    unique("reference", kb.references.iter().map(|r| r.id.as_str()), p);
    for r in &kb.references {
        let at = format!("reference {}", r.id);
        for (field, value) in [("authors", &r.authors), ("source", &r.source)] {
            if value.trim().is_empty() {
                p.push(KbProblem::new(&at, format!("{field} is empty")));
            }
        }
        wording(&at, "finding", &r.finding, p);
        if let Some(pmid) = &r.pmid
            && (pmid.is_empty() || !pmid.chars().all(|c| c.is_ascii_digit()))
        {
            p.push(KbProblem::new(
                &at,
                format!("PMID `{pmid}` is not all digits"),
            ));
        }
        if let Some(doi) = &r.doi
            && !doi.starts_with("10.")
        {
            p.push(KbProblem::new(
                &at,
                format!("DOI `{doi}` does not start with 10."),
            ));
        }
        if let Some(pmc) = &r.pmc
            && !pmc.starts_with("PMC")
        {
            p.push(KbProblem::new(
                &at,
                format!("PMC id `{pmc}` does not start with PMC"),
            ));
        }
        if let Some(year) = r.year
            && !(1900..=2100).contains(&year)
        {
            p.push(KbProblem::new(&at, format!("year {year} is implausible")));
        }
    }
}

fn references_used(kb: &KnowledgeBase, p: &mut Problems) {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    used.extend(
        kb.rules
            .iter()
            .flat_map(|r| r.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.red_flags
            .iter()
            .flat_map(|r| r.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.next_steps
            .iter()
            .flat_map(|n| n.references.iter().map(String::as_str)),
    );
    used.extend(
        kb.instruments
            .iter()
            .flat_map(|i| i.references.iter().map(String::as_str)),
    );
    for r in &kb.references {
        if !used.contains(r.id.as_str()) {
            p.push(KbProblem::new(
                format!("reference {}", r.id),
                "is not cited by any rule, red flag, next step or instrument",
            ));
        }
    }
}

fn groups(kb: &KnowledgeBase, p: &mut Problems) {
    for g in Group::ALL {
        let n = kb.groups.iter().filter(|info| info.id == g).count();
        if n != 1 {
            p.push(KbProblem::new(
                format!("group {}", g.key()),
                format!("defined {n} times; exactly once expected"),
            ));
        }
    }
    for info in &kb.groups {
        let at = format!("group {}", info.id.key());
        wording(&at, "title", &info.title, p);
        wording(&at, "practitioner_title", &info.practitioner_title, p);
        wording(&at, "public_intro", &info.public_intro, p);
    }
    wording("overview", "title", &kb.overview.title, p);
    wording("overview", "intro", &kb.overview.intro, p);
    for (i, caveat) in kb.overview.caveats.iter().enumerate() {
        wording("overview", &format!("caveats[{i}]"), caveat, p);
    }
}
