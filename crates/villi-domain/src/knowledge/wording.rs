//! The wording rule: nothing in villi tells anyone to stop a medication.

/// Single words that would tell someone to stop or reduce a medication.
const WORDS: &[&str] = &[
    "stop",
    "stops",
    "stopped",
    "stopping",
    "discontinue",
    "discontinues",
    "discontinued",
    "discontinuing",
    "discontinuation",
    "quit",
    "quits",
    "quitting",
    "cease",
    "ceases",
    "ceased",
    "ceasing",
    "wean",
    "weaning",
    "taper",
    "tapering",
];

/// Phrases with the same effect.
const PHRASES: &[&str] = &["come off", "coming off", "get off", "give up"];

/// The first forbidden word or phrase in `text`, if any (case-insensitive,
/// whole words only, so "stool" is fine).
pub fn forbidden_wording(text: &str) -> Option<&'static str> {
    let lowered = text.to_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(word) = WORDS.iter().find(|w| words.contains(w)) {
        return Some(word);
    }
    let joined = words.join(" ");
    PHRASES
        .iter()
        .find(|p| {
            joined == **p
                || joined.starts_with(&format!("{p} "))
                || joined.ends_with(&format!(" {p}"))
                || joined.contains(&format!(" {p} "))
        })
        .copied()
}
