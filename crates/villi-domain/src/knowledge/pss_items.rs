//! Practice-supplied PSS-10 item text. The scale's licence for redistribution
//! is unclear, so villi ships scoring and topics only; a practice that holds a
//! licence supplies the wording in a small TOML file:
//!
//! ```toml
//! attribution = "Used with permission of ..."
//! instructions = "The questions in this scale ask you about..."
//! items = ["...", "...", "...", "...", "...", "...", "...", "...", "...", "..."]
//! ```

use serde::{Deserialize, Serialize};

use crate::intake::limits::PSS10_ITEMS;

/// Longest item text accepted, in characters.
const MAX_ITEM_CHARS: usize = 500;

/// PSS-10 wording supplied by the practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PssItemText {
    /// Licence or permission statement to show with the items.
    pub attribution: Option<String>,
    /// Instructions shown above the items.
    pub instructions: Option<String>,
    /// The ten items, in order.
    pub items: Vec<String>,
}

/// A problem in a practice-supplied item file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct PssItemFileError {
    /// `line N` for syntax errors, `items[N]` for item problems.
    pub location: String,
    pub problem: String,
}

/// Parses and checks a practice-supplied PSS-10 item file, reporting every
/// problem found.
pub fn parse_pss10_items(text: &str) -> Result<PssItemText, Vec<PssItemFileError>> {
    let parsed: PssItemText = toml::from_str(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| {
                let line = text.get(..span.start).unwrap_or("").matches('\n').count() + 1;
                format!("line {line}")
            })
            .unwrap_or_else(|| "file".to_owned());
        vec![PssItemFileError {
            location,
            problem: e.message().to_owned(),
        }]
    })?;
    let mut errors = Vec::new();
    if parsed.items.len() != PSS10_ITEMS {
        errors.push(PssItemFileError {
            location: "items".to_owned(),
            problem: format!(
                "{} items given; the PSS-10 has exactly {PSS10_ITEMS}",
                parsed.items.len()
            ),
        });
    }
    for (i, item) in parsed.items.iter().enumerate() {
        let chars = item.chars().count();
        if item.trim().is_empty() || chars > MAX_ITEM_CHARS {
            errors.push(PssItemFileError {
                location: format!("items[{i}]"),
                problem: format!("item text of {chars} characters; 1 to {MAX_ITEM_CHARS} allowed"),
            });
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}
