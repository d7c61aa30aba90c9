//! Renderers for the CLI: plain text, JSON and a printable HTML page. Pure
//! functions of the assessment (and the knowledge base, for reference
//! findings).

mod html;
mod text;

use std::collections::BTreeSet;

pub use html::render_html;
pub use text::render_text;

use super::model::{Assessment, Citation};

/// The assessment as pretty-printed JSON with the stable top-level keys.
pub fn render_json(assessment: &Assessment) -> String {
    match serde_json::to_string_pretty(assessment) {
        Ok(json) => json,
        // Plain data always serialises; keep the output valid JSON regardless.
        Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
    }
}

/// Every citation in the assessment, once, in order of first appearance.
pub(crate) fn all_citations(a: &Assessment) -> Vec<&Citation> {
    let mut seen = BTreeSet::new();
    let flags = a.red_flags.iter().flat_map(|f| f.references.iter());
    let groups = a.groups.iter().flat_map(|g| {
        g.contributors
            .iter()
            .flat_map(|c| c.references.iter())
            .chain(g.evidence_notes.iter().flat_map(|n| n.references.iter()))
    });
    flags
        .chain(groups)
        .filter(|c| seen.insert(c.id.as_str()))
        .collect()
}

/// "Lam 2013, Imhann 2016 (unverified)".
pub(crate) fn short_sources(refs: &[Citation]) -> String {
    refs.iter()
        .map(|r| {
            if r.verified {
                r.short.clone()
            } else {
                format!("{} (unverified)", r.short)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
