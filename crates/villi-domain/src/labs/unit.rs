//! Units: as printed, and as UCUM codes.
//!
//! The alias table follows stool-tests.md §5.2. Facts it relies on, checked
//! there with a UCUM validator: `mcg` and `µ` are not UCUM (so `µg/g`,
//! `μg/g`, `ug/g` and `mcg/g` are one unit, `ug/g`); `CFU/g` is not UCUM.
//! qPCR counts are genome equivalents rather than cultured colonies, so the
//! reference's recommendation is followed: `CFU/g` maps to the annotation
//! form `{CFU}/g`, and `[CFU]/g` is kept only when a file sends it as such.

use serde::{Deserialize, Serialize};

/// A unit as printed with its UCUM code when villi recognises it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unit {
    /// The unit text as the source gave it; empty when none was printed.
    pub raw: String,
    /// The UCUM code, when the printed unit is known.
    pub ucum: Option<String>,
}

impl Unit {
    /// Reads a printed unit, mapping it to UCUM through the alias table.
    pub fn parse(raw: &str) -> Unit {
        Unit {
            raw: raw.to_owned(),
            ucum: to_ucum(raw).map(str::to_owned),
        }
    }

    /// A unit whose UCUM code was given by the source (FHIR `Quantity.code`,
    /// an HL7 unit coded in the UCUM system). The code is kept as sent.
    pub fn coded(raw: &str, ucum: &str) -> Unit {
        Unit {
            raw: raw.to_owned(),
            ucum: Some(ucum.to_owned()),
        }
    }

    /// No unit.
    pub fn none() -> Unit {
        Unit::default()
    }

    /// Whether nothing was printed.
    pub fn is_empty(&self) -> bool {
        self.raw.trim().is_empty() && self.ucum.is_none()
    }

    /// The form shown to people: the printed text, else the UCUM code.
    pub fn display(&self) -> &str {
        if self.raw.trim().is_empty() {
            self.ucum.as_deref().unwrap_or("")
        } else {
            self.raw.trim()
        }
    }

    /// Two units measure the same thing in the same scale.
    pub fn same_as(&self, other: &Unit) -> bool {
        match (&self.ucum, &other.ucum) {
            (Some(a), Some(b)) => a == b,
            (None, None) => unit_key(&self.raw) == unit_key(&other.raw),
            _ => false,
        }
    }
}

/// Maps a printed unit to its UCUM code; `None` when not in the table.
pub fn to_ucum(raw: &str) -> Option<&'static str> {
    let key = unit_key(raw);
    if key.is_empty() {
        return None;
    }
    ALIASES
        .iter()
        .find(|(_, forms)| forms.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

/// Lower-cased, spaces removed, both micro signs and `mcg` read as `u`.
fn unit_key(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        match c {
            // U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU
            'µ' | 'μ' => key.push('u'),
            c if c.is_whitespace() => {}
            c if c.is_ascii() => key.push(c.to_ascii_lowercase()),
            c => key.extend(c.to_lowercase()),
        }
    }
    if key.contains("mcg") {
        key = key.replace("mcg", "ug");
    }
    if key.contains("micromol") {
        key = key.replace("micromol", "umol");
    }
    key
}

/// UCUM code and the printed forms (already keyed) that mean it.
const ALIASES: &[(&str, &[&str])] = &[
    ("ug/g", &["ug/g"]),
    ("ug/mL", &["ug/ml"]),
    ("ng/mL", &["ng/ml"]),
    ("ng/g", &["ng/g"]),
    ("mg/dL", &["mg/dl"]),
    ("mg/mL", &["mg/ml"]),
    ("mg/g", &["mg/g"]),
    ("mg/L", &["mg/l"]),
    ("umol/g", &["umol/g"]),
    ("mmol/L", &["mmol/l"]),
    ("U/L", &["u/l", "iu/l"]),
    ("U/mL", &["u/ml"]),
    ("U/g", &["u/g"]),
    ("{CFU}/g", &["cfu/g", "{cfu}/g", "cfu/gm", "cfu/gram"]),
    ("[CFU]/g", &["[cfu]/g"]),
    (
        "{copies}/g",
        &[
            "genomecopies/g",
            "ge/g",
            "copies/g",
            "{copies}/g",
            "{genome_copies}/g",
        ],
    ),
    ("10*9/L", &["10^9/l", "10*9/l", "x10e9/l", "10e9/l"]),
    ("10*6/uL", &["10^6/ul", "10*6/ul", "x10e6/ul"]),
    ("%", &["%", "percent"]),
    ("[pH]", &["ph", "[ph]"]),
    ("{ratio}", &["ratio", "{ratio}"]),
    ("/[HPF]", &["/hpf", "/[hpf]", "perhpf"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micrograms_per_gram_are_one_unit_however_printed() {
        for raw in ["µg/g", "μg/g", "ug/g", "mcg/g", "MCG/G", " ug / g "] {
            assert_eq!(to_ucum(raw), Some("ug/g"), "{raw}");
        }
    }

    #[test]
    fn qpcr_counts_use_the_annotation_form() {
        assert_eq!(to_ucum("CFU/g"), Some("{CFU}/g"));
    }

    #[test]
    fn unknown_units_keep_their_text_without_a_code() {
        let unit = Unit::parse("bananas/fortnight");
        assert_eq!(unit.ucum, None);
        assert_eq!(unit.display(), "bananas/fortnight");
    }

    #[test]
    fn units_with_different_codes_are_not_the_same() {
        assert!(!Unit::parse("ug/g").same_as(&Unit::parse("ug/mL")));
        assert!(Unit::parse("mcg/g").same_as(&Unit::parse("µg/g")));
    }
}
