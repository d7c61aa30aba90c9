//! Literature references.

use serde::{Deserialize, Serialize};

/// One source the knowledge base cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Stable id used by rules (`lam2013`).
    pub id: String,
    /// Authors as far as they were seen ("Lam JR, Schneider JL, Zhao W, Corley DA").
    pub authors: String,
    /// Publication year, when known.
    pub year: Option<u16>,
    /// Title, when it was seen.
    pub title: Option<String>,
    /// Journal (with volume and pages) or publisher.
    pub source: String,
    /// PubMed id, only where it was seen in a source.
    pub pmid: Option<String>,
    /// DOI, only where it was seen in a source.
    pub doi: Option<String>,
    /// PubMed Central id, only where it was seen.
    pub pmc: Option<String>,
    /// A web address for regulatory or web sources.
    pub url: Option<String>,
    /// False while any detail (authors, identifiers, attribution) still needs
    /// checking against PubMed or the DOI; shown as such wherever it is cited.
    pub verified: bool,
    /// The finding this knowledge base relies on, in one line.
    pub finding: String,
    /// Design and caveats (conflicts of interest, animal data...).
    pub note: Option<String>,
    /// Short label when the first author's surname will not do ("FDA 2011").
    pub label: Option<String>,
}

impl Reference {
    /// A one-line citation: authors, year, title, source and identifiers,
    /// ending in "[unverified]" when details still need checking.
    pub fn citation(&self) -> String {
        let mut out = self.bare_citation();
        if !self.verified {
            out.push_str(" [unverified]");
        }
        out
    }

    /// The citation without the "[unverified]" marker, for pages that show
    /// [`Reference::verified`] their own way.
    pub fn bare_citation(&self) -> String {
        let mut out = self.authors.clone();
        if let Some(year) = self.year {
            out.push_str(&format!(" ({year})"));
        }
        if let Some(title) = &self.title {
            out.push_str(&format!(". {title}"));
        }
        out.push_str(&format!(". {}", self.source));
        for (prefix, value) in [
            ("PMID ", &self.pmid),
            ("doi:", &self.doi),
            ("", &self.pmc),
            ("", &self.url),
        ] {
            if let Some(v) = value {
                out.push_str(&format!(". {prefix}{v}"));
            }
        }
        out
    }

    /// A short label such as "Lam 2013" or "Vich Vila 2020".
    pub fn short(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        let first = self
            .authors
            .split(',')
            .next()
            .unwrap_or(&self.authors)
            .trim();
        let mut words: Vec<&str> = first.split_whitespace().collect();
        // Drop trailing initials ("Vich Vila A" -> "Vich Vila").
        if words.len() > 1
            && words
                .last()
                .is_some_and(|w| w.len() <= 3 && w.chars().all(|c| c.is_ascii_uppercase()))
        {
            words.pop();
        }
        let name = words.join(" ");
        match self.year {
            Some(year) => format!("{name} {year}"),
            None => name,
        }
    }
}
