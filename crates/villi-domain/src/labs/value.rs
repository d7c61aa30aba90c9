//! Result values: the text a lab printed and what villi reads from it.
//!
//! Grammar (reference: stool-tests.md §5.3):
//! `value := qualitative | comparator? number unit?`, where a number may carry
//! an exponent in any of the forms [`Decimal`] accepts, and qualitative
//! results are detection words, culture grades (`NG`, `1+`..`4+`) and
//! microscopy grades (`None`, `Rare`, `Few`, `Moderate`, `Many`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::number::Decimal;

/// The comparator printed before a number: `<10`, `≥500`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// `<`
    Lt,
    /// `<=` or `≤`
    Le,
    /// `>`
    Gt,
    /// `>=` or `≥`
    Ge,
}

impl Comparator {
    /// Reads a comparator at the start of `text`; returns it and the rest.
    pub fn parse_prefix(text: &str) -> Option<(Comparator, &str)> {
        const FORMS: [(&str, Comparator); 8] = [
            ("<=", Comparator::Le),
            ("=<", Comparator::Le),
            ("≤", Comparator::Le),
            (">=", Comparator::Ge),
            ("=>", Comparator::Ge),
            ("≥", Comparator::Ge),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
        ];
        let text = text.trim_start();
        FORMS
            .iter()
            .find_map(|(form, cmp)| text.strip_prefix(form).map(|rest| (*cmp, rest)))
    }

    /// The ASCII form FHIR uses (`<`, `<=`, `>`, `>=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// A qualitative result, including ordinal culture and microscopy grades.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "grade")]
pub enum Qualitative {
    /// "Not detected", "ND"; SNOMED 260415000.
    NotDetected,
    /// "Detected"; SNOMED 260373001.
    Detected,
    /// "<dl": below the assay's detection limit.
    BelowDetectionLimit,
    /// "Positive".
    Positive,
    /// "Negative".
    Negative,
    /// Culture: "NG", no growth.
    NoGrowth,
    /// Culture grade `1+` to `4+`.
    Growth(u8),
    /// Microscopy grade: None, Rare, Few, Moderate, Many.
    Microscopy(MicroscopyGrade),
    /// "Equivocal", "Indeterminate".
    Equivocal,
}

/// The five microscopy grades, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MicroscopyGrade {
    /// None seen.
    None,
    /// Rare.
    Rare,
    /// Few.
    Few,
    /// Moderate.
    Moderate,
    /// Many.
    Many,
}

impl Qualitative {
    /// Reads a whole text as a qualitative result, ignoring case and spacing.
    pub fn parse(text: &str) -> Option<Qualitative> {
        // lower-cased ASCII without spaces or dots, in a stack buffer: this
        // runs for every value imported, so it must not allocate
        let mut buf = [0u8; 24];
        let mut len = 0;
        for c in text.chars() {
            if c.is_whitespace() || c == '.' {
                continue;
            }
            if !c.is_ascii() || len == buf.len() {
                return None;
            }
            buf[len] = c.to_ascii_lowercase() as u8;
            len += 1;
        }
        let q = match &buf[..len] {
            b"notdetected" | b"nd" | b"nonedetected" | b"notdet" => Qualitative::NotDetected,
            b"detected" | b"det" => Qualitative::Detected,
            b"<dl" | b"<lod" | b"bdl" | b"belowdetectionlimit" => Qualitative::BelowDetectionLimit,
            b"positive" | b"pos" => Qualitative::Positive,
            b"negative" | b"neg" => Qualitative::Negative,
            b"ng" | b"nogrowth" => Qualitative::NoGrowth,
            b"1+" => Qualitative::Growth(1),
            b"2+" => Qualitative::Growth(2),
            b"3+" => Qualitative::Growth(3),
            b"4+" => Qualitative::Growth(4),
            b"none" => Qualitative::Microscopy(MicroscopyGrade::None),
            b"rare" => Qualitative::Microscopy(MicroscopyGrade::Rare),
            b"few" => Qualitative::Microscopy(MicroscopyGrade::Few),
            b"moderate" | b"mod" => Qualitative::Microscopy(MicroscopyGrade::Moderate),
            b"many" => Qualitative::Microscopy(MicroscopyGrade::Many),
            b"equivocal" | b"indeterminate" => Qualitative::Equivocal,
            _ => return None,
        };
        Some(q)
    }

    /// Whether the result says something was found.
    pub fn is_present(self) -> bool {
        match self {
            Qualitative::Detected | Qualitative::Positive | Qualitative::Growth(_) => true,
            Qualitative::Microscopy(g) => g > MicroscopyGrade::None,
            _ => false,
        }
    }

    /// Position on an ordinal scale (0 = nothing found), for grades and
    /// detection words; `None` for an equivocal result.
    pub fn ordinal(self) -> Option<u8> {
        match self {
            Qualitative::NotDetected
            | Qualitative::BelowDetectionLimit
            | Qualitative::Negative
            | Qualitative::NoGrowth => Some(0),
            Qualitative::Detected | Qualitative::Positive => Some(1),
            Qualitative::Growth(n) => Some(n),
            Qualitative::Microscopy(g) => Some(g as u8),
            Qualitative::Equivocal => None,
        }
    }

    /// Plain words for display.
    pub fn label(self) -> String {
        match self {
            Qualitative::NotDetected => "Not detected".into(),
            Qualitative::Detected => "Detected".into(),
            Qualitative::BelowDetectionLimit => "<dl (below detection limit)".into(),
            Qualitative::Positive => "Positive".into(),
            Qualitative::Negative => "Negative".into(),
            Qualitative::NoGrowth => "NG (no growth)".into(),
            Qualitative::Growth(n) => format!("{n}+"),
            Qualitative::Microscopy(g) => format!("{g:?}"),
            Qualitative::Equivocal => "Equivocal".into(),
        }
    }
}

/// What a result value is, once read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ValueKind {
    /// A number, perhaps with a comparator: `3.5e7`, `<10`.
    Quantity {
        /// `<`, `<=`, `>`, `>=` when printed.
        comparator: Option<Comparator>,
        /// The number.
        number: Decimal,
    },
    /// A range value such as SN `^1^-^5` or FHIR valueRange.
    Range {
        /// Lower end.
        low: Decimal,
        /// Upper end.
        high: Decimal,
    },
    /// A ratio such as a titre `1:256`.
    Ratio {
        /// Numerator.
        numerator: Decimal,
        /// Denominator.
        denominator: Decimal,
    },
    /// A qualitative result or grade.
    Qualitative {
        /// The reading.
        reading: Qualitative,
    },
    /// Text that is none of the above; kept and shown as printed.
    Text,
    /// No value (a pending result).
    Missing,
}

/// A result value: exactly what the lab printed, and what villi read from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultValue {
    /// The text as the source gave it (after transport decoding).
    pub raw: String,
    /// The reading.
    pub kind: ValueKind,
}

impl ResultValue {
    /// Reads a printed value; never fails (unreadable text becomes `Text`).
    ///
    /// Trailing words after a number (`212 ug/g`) are returned as a unit hint.
    pub fn parse(raw: &str) -> (ResultValue, Option<String>) {
        let (kind, hint) = read_kind(raw.trim());
        (
            ResultValue {
                raw: raw.to_owned(),
                kind,
            },
            hint,
        )
    }

    /// A value with an already decided reading (used by structured formats).
    pub fn structured(raw: impl Into<String>, kind: ValueKind) -> ResultValue {
        ResultValue {
            raw: raw.into(),
            kind,
        }
    }

    /// The number, for quantities (ignoring any comparator).
    pub fn number(&self) -> Option<&Decimal> {
        match &self.kind {
            ValueKind::Quantity { number, .. } => Some(number),
            _ => None,
        }
    }
}

impl fmt::Display for ResultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ValueKind::Quantity { comparator, number } => {
                if let Some(c) = comparator {
                    f.write_str(c.symbol())?;
                }
                write!(f, "{number}")
            }
            ValueKind::Range { low, high } => write!(f, "{low}-{high}"),
            ValueKind::Ratio {
                numerator,
                denominator,
            } => write!(f, "{numerator}:{denominator}"),
            ValueKind::Qualitative { reading } => f.write_str(&reading.label()),
            ValueKind::Text => f.write_str(self.raw.trim()),
            ValueKind::Missing => f.write_str("(no value)"),
        }
    }
}

fn read_kind(text: &str) -> (ValueKind, Option<String>) {
    if text.is_empty() {
        return (ValueKind::Missing, None);
    }
    if let Some(reading) = Qualitative::parse(text) {
        return (ValueKind::Qualitative { reading }, None);
    }
    let (comparator, rest) = match Comparator::parse_prefix(text) {
        Some((c, rest)) => (Some(c), rest),
        None => (None, text.strip_prefix('=').unwrap_or(text)),
    };
    let Some((number, tail)) = Decimal::parse_prefix(rest) else {
        return (ValueKind::Text, None);
    };
    let tail = tail.trim();
    if comparator.is_none() {
        if let Some(second) = tail.strip_prefix(':').and_then(Decimal::parse) {
            return (
                ValueKind::Ratio {
                    numerator: number,
                    denominator: second,
                },
                None,
            );
        }
        let dash = tail
            .strip_prefix('-')
            .or_else(|| tail.strip_prefix('–'))
            .map(str::trim_start);
        if let Some(second) = dash.and_then(Decimal::parse) {
            return (
                ValueKind::Range {
                    low: number,
                    high: second,
                },
                None,
            );
        }
    }
    let hint = looks_like_unit(tail).then(|| tail.to_owned());
    if !tail.is_empty() && hint.is_none() {
        return (ValueKind::Text, None);
    }
    (ValueKind::Quantity { comparator, number }, hint)
}

/// A unit after a number is short and has no spaces of prose.
fn looks_like_unit(tail: &str) -> bool {
    !tail.is_empty()
        && tail.chars().count() <= 24
        && tail.split_whitespace().count() <= 2
        && tail.chars().any(char::is_alphabetic)
        || tail == "%"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> ValueKind {
        ResultValue::parse(text).0.kind
    }

    #[test]
    fn below_detection_limit_is_its_own_reading() {
        assert_eq!(
            kind("<dl"),
            ValueKind::Qualitative {
                reading: Qualitative::BelowDetectionLimit
            }
        );
    }

    #[test]
    fn comparator_with_exponent_is_a_quantity() {
        let ValueKind::Quantity { comparator, number } = kind("<1.0e2") else {
            panic!("not a quantity");
        };
        assert_eq!(comparator, Some(Comparator::Lt));
        assert_eq!(number.to_f64(), 100.0);
    }

    #[test]
    fn a_number_followed_by_a_unit_gives_a_unit_hint() {
        let (value, hint) = ResultValue::parse("212 ug/g");
        assert!(matches!(value.kind, ValueKind::Quantity { .. }));
        assert_eq!(hint.as_deref(), Some("ug/g"));
    }

    #[test]
    fn prose_stays_text() {
        assert_eq!(kind("see comment below for details"), ValueKind::Text);
        assert_eq!(kind("12 colonies of something odd seen"), ValueKind::Text);
    }

    #[test]
    fn grades_have_an_order() {
        let grades = ["NG", "1+", "2+", "3+", "4+"]
            .map(|g| Qualitative::parse(g).and_then(Qualitative::ordinal));
        assert_eq!(grades, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert!(Qualitative::parse("Rare").is_some_and(Qualitative::is_present));
        assert!(!Qualitative::parse("None").is_some_and(Qualitative::is_present));
    }

    #[test]
    fn titres_and_ranges_are_read() {
        assert!(matches!(kind("1:256"), ValueKind::Ratio { .. }));
        assert!(matches!(kind("0-2"), ValueKind::Range { .. }));
    }
}
