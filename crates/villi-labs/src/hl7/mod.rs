//! HL7 v2.x ORU^R01 import.
//!
//! A small tokenizer of our own rather than the `hl7-parser` crate: in its
//! 0.3.0 release the escape decoder slices text by character count and
//! panics on non-ASCII input such as `µg/g`, decodes only the `\X0A\` and
//! `\X0D\` hex escapes, and stops at the first blank line without an error,
//! dropping the segments after it. A lab importer has to survive all three.

mod escape;
mod obx;
mod oru;
mod tokens;

pub use escape::decode as decode_escapes;
pub use oru::parse;
pub use tokens::Separators;

/// Splits a file holding several messages into one text per message
/// (each starting at its MSH segment). Used by the benchmark, which imports
/// messages one at a time as an interface engine would.
pub fn split_messages(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = text
        .match_indices("MSH")
        .filter(|(i, _)| *i == 0 || matches!(text.as_bytes()[i - 1], b'\r' | b'\n' | 0x0B))
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) && !starts.is_empty() {
        starts[0] = 0;
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            &text[start..end]
        })
        .collect()
}
