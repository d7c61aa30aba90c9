//! Reference ranges: the text printed on the report and what villi reads.
//!
//! Printed ranges are free text (stool-tests.md §3.1, OBX-7): `3.1-9.7`,
//! `4.3 to 6.2`, `70_105`, `<200`, `≤500`, `1.60e9–2.50e11`,
//! `<9 mcg/dL: Acceptable ...`, `Negative`, `None - Moderate`, `2-4+`.
//! Inclusivity follows the printed sign (§5.3): `<173` is exclusive, `≤500`
//! inclusive, `>200` exclusive; both ends of `a-b` are inclusive.

use serde::{Deserialize, Serialize};

use super::number::Decimal;
use super::value::{Comparator, Qualitative};

/// One end of a numeric range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// The limit.
    pub value: Decimal,
    /// Whether a value equal to the limit is inside the range.
    pub inclusive: bool,
}

/// What a printed range says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ParsedRange {
    /// One- or two-sided numeric range.
    Numeric {
        /// Lower limit, if any.
        low: Option<Bound>,
        /// Upper limit, if any.
        high: Option<Bound>,
    },
    /// The expected reading for a qualitative result (`Negative`, `NG`).
    Expected {
        /// The expected reading.
        reading: Qualitative,
    },
    /// A span of grades (`None - Moderate`, `2-4+`).
    Grades {
        /// Lowest acceptable grade (ordinal).
        low: u8,
        /// Highest acceptable grade (ordinal).
        high: u8,
    },
    /// Text villi could not read; the printed text is still shown.
    Unreadable,
    /// No range was given.
    Absent,
}

/// A reference range: printed text and its reading side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceRange {
    /// The range as printed; `None` when the report gave no range.
    pub printed: Option<String>,
    /// The reading of `printed`.
    pub parsed: ParsedRange,
}

impl ReferenceRange {
    /// No range printed.
    pub fn absent() -> ReferenceRange {
        ReferenceRange {
            printed: None,
            parsed: ParsedRange::Absent,
        }
    }

    /// Reads a printed range; never fails.
    pub fn parse(printed: &str) -> ReferenceRange {
        if printed.trim().is_empty() {
            return ReferenceRange::absent();
        }
        ReferenceRange {
            printed: Some(printed.to_owned()),
            parsed: read(printed.trim()),
        }
    }

    /// A range already structured by the source (FHIR low/high without
    /// text). The printed form is rebuilt as `low-high`, `<=high`, `>=low`.
    pub fn from_bounds(low: Option<Decimal>, high: Option<Decimal>) -> ReferenceRange {
        let printed = match (&low, &high) {
            (Some(l), Some(h)) => format!("{l}-{h}"),
            (None, Some(h)) => format!("<={h}"),
            (Some(l), None) => format!(">={l}"),
            (None, None) => return ReferenceRange::absent(),
        };
        ReferenceRange {
            printed: Some(printed),
            parsed: ParsedRange::Numeric {
                low: low.map(|value| Bound {
                    value,
                    inclusive: true,
                }),
                high: high.map(|value| Bound {
                    value,
                    inclusive: true,
                }),
            },
        }
    }
}

fn read(text: &str) -> ParsedRange {
    // "<9 mcg/dL: Acceptable background" - the range is before the colon
    let head = text.split(':').next().unwrap_or(text).trim();
    if let Some(reading) = Qualitative::parse(head) {
        return ParsedRange::Expected { reading };
    }
    if let Some(grades) = read_grades(head) {
        return grades;
    }
    if let Some((cmp, rest)) = Comparator::parse_prefix(head) {
        let Some((value, tail)) = Decimal::parse_prefix(rest) else {
            return ParsedRange::Unreadable;
        };
        if !is_unit_tail(tail) {
            return ParsedRange::Unreadable;
        }
        let inclusive = matches!(cmp, Comparator::Le | Comparator::Ge);
        let bound = Some(Bound { value, inclusive });
        return match cmp {
            Comparator::Lt | Comparator::Le => ParsedRange::Numeric {
                low: None,
                high: bound,
            },
            Comparator::Gt | Comparator::Ge => ParsedRange::Numeric {
                low: bound,
                high: None,
            },
        };
    }
    let Some((low, tail)) = Decimal::parse_prefix(head) else {
        return ParsedRange::Unreadable;
    };
    let tail = tail.trim_start();
    let after_sep = ["-", "–", "—", "_", "to", "TO", "To"]
        .iter()
        .find_map(|sep| tail.strip_prefix(sep));
    match after_sep.and_then(Decimal::parse_prefix) {
        Some((high, rest)) if is_unit_tail(rest) => ParsedRange::Numeric {
            low: Some(Bound {
                value: low,
                inclusive: true,
            }),
            high: Some(Bound {
                value: high,
                inclusive: true,
            }),
        },
        _ => ParsedRange::Unreadable,
    }
}

/// `None - Moderate`, `None–Rare`, `2-4+`, `NG-1+`.
fn read_grades(text: &str) -> Option<ParsedRange> {
    let (a, b) = ["-", "–", "—", " to "]
        .iter()
        .find_map(|sep| text.split_once(sep))?;
    let a = a.trim();
    let b = b.trim();
    // "2-4+": the plus sign of the upper grade applies to the lower one too
    let bare_grade = match a {
        "1" => Some(Qualitative::Growth(1)),
        "2" => Some(Qualitative::Growth(2)),
        "3" => Some(Qualitative::Growth(3)),
        "4" => Some(Qualitative::Growth(4)),
        _ => None,
    };
    let low = Qualitative::parse(a).or(bare_grade.filter(|_| b.ends_with('+')))?;
    let high = Qualitative::parse(b)?;
    let (low, high) = (low.ordinal()?, high.ordinal()?);
    (low <= high
        && !matches!(
            Qualitative::parse(b),
            Some(Qualitative::Detected | Qualitative::Positive)
        ))
    .then_some(ParsedRange::Grades { low, high })
}

/// After a range, only a unit (or nothing) may follow.
fn is_unit_tail(tail: &str) -> bool {
    let tail = tail.trim();
    tail.is_empty()
        || (tail.chars().count() <= 16
            && !tail.starts_with(|c: char| c.is_ascii_digit())
            && tail.split_whitespace().count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (value, inclusive) of each end.
    type Ends = (Option<(f64, bool)>, Option<(f64, bool)>);

    fn numeric(text: &str) -> Ends {
        match ReferenceRange::parse(text).parsed {
            ParsedRange::Numeric { low, high } => (
                low.map(|b| (b.value.to_f64(), b.inclusive)),
                high.map(|b| (b.value.to_f64(), b.inclusive)),
            ),
            other => panic!("{text} read as {other:?}"),
        }
    }

    #[test]
    fn every_two_sided_form_reads_as_inclusive_ends() {
        for text in ["3.1-9.7", "3.1 - 9.7", "3.1 to 9.7", "3.1_9.7", "3.1–9.7"] {
            assert_eq!(
                numeric(text),
                (Some((3.1, true)), Some((9.7, true))),
                "{text}"
            );
        }
    }

    #[test]
    fn one_sided_ranges_follow_the_printed_sign() {
        assert_eq!(numeric("<173"), (None, Some((173.0, false))));
        assert_eq!(numeric("≤500"), (None, Some((500.0, true))));
        assert_eq!(numeric(">200"), (Some((200.0, false)), None));
        assert_eq!(numeric("<5.00e3"), (None, Some((5000.0, false))));
    }

    #[test]
    fn scientific_two_sided_ranges_are_read() {
        assert_eq!(
            numeric("1.60e9–2.50e11"),
            (Some((1.6e9, true)), Some((2.5e11, true)))
        );
    }

    #[test]
    fn a_comment_after_a_colon_is_not_part_of_the_range() {
        assert_eq!(
            numeric("<9 mcg/dL:  Acceptable background lead exposure"),
            (None, Some((9.0, false)))
        );
    }

    #[test]
    fn qualitative_and_grade_ranges_are_read() {
        assert_eq!(
            ReferenceRange::parse("Negative").parsed,
            ParsedRange::Expected {
                reading: Qualitative::Negative
            }
        );
        assert_eq!(
            ReferenceRange::parse("None - Moderate").parsed,
            ParsedRange::Grades { low: 0, high: 3 }
        );
        assert_eq!(
            ReferenceRange::parse("2-4+").parsed,
            ParsedRange::Grades { low: 2, high: 4 }
        );
    }

    #[test]
    fn prose_is_kept_but_unreadable() {
        let range = ReferenceRange::parse("see interpretive guide");
        assert_eq!(range.parsed, ParsedRange::Unreadable);
        assert_eq!(range.printed.as_deref(), Some("see interpretive guide"));
    }
}
