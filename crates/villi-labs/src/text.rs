//! Bytes to text: UTF-8 with or without a byte-order mark; anything else is
//! read as ISO-8859-1, which many HL7 senders still use, with a warning.

use std::borrow::Cow;

use crate::issue::{Issue, Issues, Location, Severity};

/// Decodes input bytes, recording a warning when they were not UTF-8.
pub fn decode<'a>(bytes: &'a [u8], issues: &mut Issues) -> Cow<'a, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(e) => {
            issues.push(Issue::new(
                Severity::Warning,
                "text.not_utf8",
                Location::File,
                format!(
                    "The file is not valid UTF-8 (first bad byte at offset {}); it was read as ISO-8859-1. Check accented characters and the µ sign.",
                    e.valid_up_to()
                ),
            ));
            Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())
        }
    }
}
