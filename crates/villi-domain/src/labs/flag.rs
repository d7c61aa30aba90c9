//! Flagging a result against a range.
//!
//! Rules (stool-tests.md §5.3): compare with the parsed range and its
//! inclusivity; when the value's own comparator leaves the answer open
//! (value `<1000` against range `<500`) the flag is indeterminate.

use serde::{Deserialize, Serialize};

use super::range::{Bound, ParsedRange};
use super::value::{Comparator, Qualitative, ValueKind};

/// Where a result stands against its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Within the range.
    Normal,
    /// Below the range.
    Low,
    /// Above the range (or a higher grade than expected).
    High,
    /// Found when it should not be, or the reverse.
    Abnormal,
    /// The value's comparator makes the comparison undecidable.
    Indeterminate,
    /// No usable range, or a value that cannot be compared.
    NotAssessed,
}

impl Flag {
    /// Whether the flag marks the result as outside its range.
    pub fn is_outside(self) -> bool {
        matches!(self, Flag::Low | Flag::High | Flag::Abnormal)
    }

    /// The short symbol shown beside a value.
    pub fn symbol(self) -> &'static str {
        match self {
            Flag::Normal => "",
            Flag::Low => "L",
            Flag::High => "H",
            Flag::Abnormal => "A",
            Flag::Indeterminate => "?",
            Flag::NotAssessed => "-",
        }
    }

    /// Reads a lab's flag (HL7 table 0078, FHIR v3 ObservationInterpretation).
    pub fn from_lab(flag: &str) -> Option<Flag> {
        let first = flag.split(['~', ',', ' ']).find(|s| !s.is_empty())?;
        let code = first.to_ascii_uppercase();
        Some(match code.as_str() {
            "H" | "HH" | "HU" | ">" | "HIGH" => Flag::High,
            "L" | "LL" | "LU" | "<" | "LOW" => Flag::Low,
            "A" | "AA" | "ABNORMAL" | "POS" | "DET" => Flag::Abnormal,
            "N" | "NORMAL" | "NEG" | "ND" => Flag::Normal,
            "IND" | "I" | "E" => Flag::Indeterminate,
            _ => return None,
        })
    }
}

/// Compares a value with a parsed range; `None` when the range cannot be
/// used (absent or unreadable).
pub fn flag_against(value: &ValueKind, range: &ParsedRange) -> Option<Flag> {
    let flag = match (value, range) {
        (_, ParsedRange::Absent | ParsedRange::Unreadable) => return None,
        (ValueKind::Quantity { comparator, number }, ParsedRange::Numeric { low, high }) => {
            quantity_flag(interval(*comparator, number.to_f64()), low, high)
        }
        (ValueKind::Qualitative { reading }, ParsedRange::Numeric { low, .. }) => {
            match reading.ordinal() {
                // nothing found: fine under a ceiling, low against a floor
                Some(0) if low.is_some() => Flag::Low,
                Some(0) => Flag::Normal,
                // found, but without an amount to compare
                Some(_) => Flag::Indeterminate,
                None => Flag::NotAssessed,
            }
        }
        (ValueKind::Qualitative { reading }, ParsedRange::Expected { reading: expected }) => {
            ordinal_flag(*reading, expected.ordinal(), expected.ordinal())
        }
        (ValueKind::Qualitative { reading }, ParsedRange::Grades { low, high }) => {
            ordinal_flag(*reading, Some(*low), Some(*high))
        }
        (ValueKind::Quantity { .. }, ParsedRange::Expected { reading }) => {
            // a number where a detection word was expected: a count above
            // zero means found
            if reading.ordinal() == Some(0) {
                Flag::Indeterminate
            } else {
                Flag::NotAssessed
            }
        }
        _ => Flag::NotAssessed,
    };
    Some(flag)
}

fn ordinal_flag(reading: Qualitative, low: Option<u8>, high: Option<u8>) -> Flag {
    let (Some(value), Some(low), Some(high)) = (reading.ordinal(), low, high) else {
        return Flag::NotAssessed;
    };
    let word = matches!(reading, Qualitative::Detected | Qualitative::Positive);
    if value > high {
        if word { Flag::Abnormal } else { Flag::High }
    } else if value < low {
        if value == 0 && low == 1 {
            Flag::Abnormal
        } else {
            Flag::Low
        }
    } else {
        Flag::Normal
    }
}

/// The set of true values a printed value allows: (low, low_open, high, high_open).
struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

fn interval(comparator: Option<Comparator>, v: f64) -> Interval {
    let (inf, ninf) = (f64::INFINITY, f64::NEG_INFINITY);
    match comparator {
        None => Interval {
            lo: v,
            lo_open: false,
            hi: v,
            hi_open: false,
        },
        Some(Comparator::Lt) => Interval {
            lo: ninf,
            lo_open: true,
            hi: v,
            hi_open: true,
        },
        Some(Comparator::Le) => Interval {
            lo: ninf,
            lo_open: true,
            hi: v,
            hi_open: false,
        },
        Some(Comparator::Gt) => Interval {
            lo: v,
            lo_open: true,
            hi: inf,
            hi_open: true,
        },
        Some(Comparator::Ge) => Interval {
            lo: v,
            lo_open: false,
            hi: inf,
            hi_open: true,
        },
    }
}

fn quantity_flag(v: Interval, low: &Option<Bound>, high: &Option<Bound>) -> Flag {
    if v.lo.is_nan() || v.hi.is_nan() {
        return Flag::NotAssessed;
    }
    if let Some(l) = low {
        let l_value = l.value.to_f64();
        // every allowed value is under the floor
        if v.hi < l_value || (v.hi == l_value && (v.hi_open || !l.inclusive)) {
            return Flag::Low;
        }
    }
    if let Some(h) = high {
        let h_value = h.value.to_f64();
        if v.lo > h_value || (v.lo == h_value && (v.lo_open || !h.inclusive)) {
            return Flag::High;
        }
    }
    let above_floor = low.as_ref().is_none_or(|l| {
        let l_value = l.value.to_f64();
        v.lo > l_value || (v.lo == l_value && (l.inclusive || v.lo_open))
    });
    let under_ceiling = high.as_ref().is_none_or(|h| {
        let h_value = h.value.to_f64();
        v.hi < h_value || (v.hi == h_value && (h.inclusive || v.hi_open))
    });
    if above_floor && under_ceiling {
        Flag::Normal
    } else {
        Flag::Indeterminate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::range::ReferenceRange;
    use crate::labs::value::ResultValue;

    fn flag(value: &str, range: &str) -> Option<Flag> {
        flag_against(
            &ResultValue::parse(value).0.kind,
            &ReferenceRange::parse(range).parsed,
        )
    }

    #[test]
    fn an_exclusive_ceiling_flags_the_value_equal_to_it() {
        assert_eq!(flag("173", "<173"), Some(Flag::High));
        assert_eq!(flag("172.9", "<173"), Some(Flag::Normal));
        assert_eq!(flag("500", "≤500"), Some(Flag::Normal));
        assert_eq!(flag("200", ">200"), Some(Flag::Low));
    }

    #[test]
    fn a_value_comparator_can_make_the_flag_indeterminate() {
        assert_eq!(flag("<1000", "<500"), Some(Flag::Indeterminate));
        assert_eq!(flag("<10", "<173"), Some(Flag::Normal));
        assert_eq!(flag(">2000", "0-500"), Some(Flag::High));
    }

    #[test]
    fn below_detection_limit_is_low_only_against_a_floor() {
        assert_eq!(flag("<dl", "<5.00e3"), Some(Flag::Normal));
        assert_eq!(flag("<dl", ">6.70e7"), Some(Flag::Low));
    }

    #[test]
    fn culture_grades_compare_with_expected_and_spans() {
        assert_eq!(flag("3+", "NG"), Some(Flag::High));
        assert_eq!(flag("1+", "2-4+"), Some(Flag::Low));
        assert_eq!(flag("Detected", "Not Detected"), Some(Flag::Abnormal));
        assert_eq!(flag("Negative", "Negative"), Some(Flag::Normal));
        assert_eq!(flag("Many", "None - Moderate"), Some(Flag::High));
    }

    #[test]
    fn no_range_gives_no_flag() {
        assert_eq!(flag("5", ""), None);
        assert_eq!(flag("5", "see report"), None);
    }

    #[test]
    fn lab_flags_are_read_from_both_vocabularies() {
        assert_eq!(Flag::from_lab("HH"), Some(Flag::High));
        assert_eq!(Flag::from_lab("L~A"), Some(Flag::Low));
        assert_eq!(Flag::from_lab("POS"), Some(Flag::Abnormal));
        assert_eq!(Flag::from_lab("N"), Some(Flag::Normal));
        assert_eq!(Flag::from_lab("zz"), None);
    }
}
