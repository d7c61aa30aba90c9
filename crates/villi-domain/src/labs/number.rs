//! Exact decimal numbers as labs print them.
//!
//! A lab's digits are significant: `6.30` is not `6.3` on a report, and FHIR
//! treats decimal precision as meaningful. [`Decimal`] therefore keeps the
//! printed mantissa as text plus a power-of-ten exponent, and converts to
//! `f64` only to compare.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest mantissa accepted, in characters; longer input is not a lab value.
const MAX_MANTISSA: usize = 40;
/// Largest exponent magnitude accepted; beyond it `f64` would overflow.
const MAX_EXPONENT: i32 = 300;

/// A decimal number with its printed digits kept.
///
/// The mantissa is canonical text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`), so it is
/// also a valid JSON and FHIR decimal. `3.5e7`, `3.5E+07`, `3.5 x 10^7` and
/// `3.5x10E7` all parse to mantissa `3.5`, exponent `7`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Decimal {
    mantissa: String,
    exponent: i32,
}

impl Decimal {
    /// Parses a whole string as a number; `None` when any part is not numeric.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (number, rest) = Self::parse_prefix(text)?;
        rest.trim().is_empty().then_some(number)
    }

    /// Parses the longest number at the start of `text` (after spaces) and
    /// returns it with the text that follows.
    pub fn parse_prefix(text: &str) -> Option<(Decimal, &str)> {
        let text = text.trim_start();
        let bytes = text.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i = 1;
                true
            }
            Some(b'+') => {
                i = 1;
                false
            }
            _ => false,
        };
        // one allocation: digits are copied straight into the mantissa
        let mut mantissa = String::with_capacity(bytes.len().min(MAX_MANTISSA) + 2);
        if negative {
            mantissa.push('-');
        }
        let int_start = mantissa.len();
        let mut int_count = 0;
        // digits since the start or the last thousands comma
        let mut run = 0;
        let mut grouped = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                // drop leading zeros as they come
                if !(b == b'0' && mantissa.len() == int_start) {
                    mantissa.push(b as char);
                }
                int_count += 1;
                run += 1;
                i += 1;
            } else if b == b',' && is_thousands_comma(bytes, i, run, grouped) {
                grouped = true;
                run = 0;
                i += 1;
            } else {
                break;
            }
        }
        if mantissa.len() == int_start {
            mantissa.push('0');
        }
        let mut frac_count = 0;
        if i < bytes.len() && bytes[i] == b'.' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            frac_count = j - i - 1;
            if frac_count > 0 {
                mantissa.push('.');
                mantissa.push_str(&text[i + 1..j]);
                i = j;
            } else if int_count > 0 {
                i = j;
            }
        }
        if int_count == 0 && frac_count == 0 {
            return None;
        }
        if mantissa.len() > MAX_MANTISSA {
            return None;
        }
        if mantissa == "-0" {
            mantissa = "0".to_owned();
        }
        let (exponent, used) = parse_exponent(&text[i..]).unwrap_or((0, 0));
        Some((Decimal { mantissa, exponent }, &text[i + used..]))
    }

    /// Builds a number from an `f64` (used by generators and tests).
    pub fn from_f64(value: f64) -> Option<Decimal> {
        if !value.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{value}"))
    }

    /// The printed digits, without the exponent.
    pub fn mantissa(&self) -> &str {
        &self.mantissa
    }

    /// The power of ten the mantissa is multiplied by.
    pub fn exponent(&self) -> i32 {
        self.exponent
    }

    /// The value as a float, correctly rounded from the decimal text.
    pub fn to_f64(&self) -> f64 {
        if self.exponent == 0 {
            return self.mantissa.parse().unwrap_or(f64::NAN);
        }
        // "<mantissa>e<exponent>" in a stack buffer: parsing the decimal
        // text is exact where multiplying by a power of ten is not
        let mut buf = [0u8; MAX_MANTISSA + 8];
        let m = self.mantissa.as_bytes();
        let mut len = m.len().min(MAX_MANTISSA);
        buf[..len].copy_from_slice(&m[..len]);
        buf[len] = b'e';
        len += 1;
        let mut e = self.exponent;
        if e < 0 {
            buf[len] = b'-';
            len += 1;
            e = -e;
        }
        // |exponent| <= MAX_EXPONENT, so at most three digits
        let digits = [e / 100, e / 10 % 10, e % 10];
        let skip = if e >= 100 {
            0
        } else if e >= 10 {
            1
        } else {
            2
        };
        for d in &digits[skip..] {
            buf[len] = b'0' + *d as u8;
            len += 1;
        }
        std::str::from_utf8(&buf[..len])
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Decimal {
    /// Writes a valid JSON/FHIR decimal: `212`, `6.30`, `3.5e7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.exponent == 0 {
            f.write_str(&self.mantissa)
        } else {
            write!(f, "{}e{}", self.mantissa, self.exponent)
        }
    }
}

/// A comma is a thousands separator only inside a well-formed grouping
/// (`35,000,000`); anything else ends the number, so `5,8` is not read as 58.
fn is_thousands_comma(bytes: &[u8], comma: usize, run: usize, grouped: bool) -> bool {
    let run_ok = if grouped {
        run == 3
    } else {
        (1..=3).contains(&run)
    };
    let group_ok = bytes
        .get(comma + 1..comma + 4)
        .is_some_and(|g| g.iter().all(u8::is_ascii_digit));
    let ends_ok = bytes.get(comma + 4).is_none_or(|b| !b.is_ascii_digit());
    run_ok && group_ok && ends_ok
}

/// Reads `e7`, `E+07`, ` x 10^7`, `x10E7`, `×10⁷`; returns (exponent, bytes used).
fn parse_exponent(text: &str) -> Option<(i32, usize)> {
    let bytes = text.as_bytes();
    if let Some(&b) = bytes.first()
        && (b == b'e' || b == b'E')
    {
        let (value, used) = signed_digits(&text[1..])?;
        return Some((value, 1 + used));
    }
    // "x 10^7" forms: optional spaces, a times sign, optional spaces, "10"
    let trimmed = text.trim_start();
    let mut used = text.len() - trimmed.len();
    let times = ["x", "X", "×", "*"]
        .iter()
        .find(|t| trimmed.starts_with(**t))?;
    used += times.len();
    let rest = &text[used..];
    let rest_trimmed = rest.trim_start();
    used += rest.len() - rest_trimmed.len();
    let after_ten = rest_trimmed.strip_prefix("10")?;
    used += 2;
    for marker in ["^", "E", "e", "**"] {
        if let Some(tail) = after_ten.strip_prefix(marker) {
            let (value, n) = signed_digits(tail)?;
            return Some((value, used + marker.len() + n));
        }
    }
    let (value, n) = superscript_digits(after_ten)?;
    Some((value, used + n))
}

fn signed_digits(text: &str) -> Option<(i32, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut value: i32 = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        value = value
            .checked_mul(10)?
            .checked_add(i32::from(bytes[i] - b'0'))?;
        i += 1;
    }
    if i == start || value > MAX_EXPONENT {
        return None;
    }
    Some((if negative { -value } else { value }, i))
}

fn superscript_digits(text: &str) -> Option<(i32, usize)> {
    let mut value: i32 = 0;
    let mut negative = false;
    let mut used = 0;
    let mut any = false;
    for c in text.chars() {
        let digit = match c {
            '⁰' => 0,
            '¹' => 1,
            '²' => 2,
            '³' => 3,
            '⁴' => 4,
            '⁵' => 5,
            '⁶' => 6,
            '⁷' => 7,
            '⁸' => 8,
            '⁹' => 9,
            '⁻' if !any && !negative => {
                negative = true;
                used += c.len_utf8();
                continue;
            }
            _ => break,
        };
        value = value.checked_mul(10)?.checked_add(digit)?;
        used += c.len_utf8();
        any = true;
    }
    if !any || value > MAX_EXPONENT {
        return None;
    }
    Some((if negative { -value } else { value }, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<(String, i32)> {
        Decimal::parse(text).map(|d| (d.mantissa().to_owned(), d.exponent()))
    }

    #[test]
    fn every_exponent_notation_labs_print_reads_the_same() {
        for text in [
            "3.5e7",
            "3.5E+07",
            "3.5 x 10^7",
            "3.5x10E7",
            "3.5×10⁷",
            "3.5 X 10E7",
        ] {
            assert_eq!(parts(text), Some(("3.5".to_owned(), 7)), "{text}");
        }
    }

    #[test]
    fn printed_trailing_zeros_are_kept() {
        assert_eq!(
            Decimal::parse("6.30").map(|d| d.to_string()),
            Some("6.30".to_owned())
        );
    }

    #[test]
    fn thousands_groups_are_read_but_a_decimal_comma_is_not() {
        assert_eq!(parts("35,000,000"), Some(("35000000".to_owned(), 0)));
        assert_eq!(Decimal::parse("5,8"), None);
        assert_eq!(Decimal::parse("1,23,456"), None);
    }

    #[test]
    fn leading_zeros_and_signs_are_made_canonical() {
        assert_eq!(parts("007"), Some(("7".to_owned(), 0)));
        assert_eq!(parts(".5"), Some(("0.5".to_owned(), 0)));
        assert_eq!(parts("+2"), Some(("2".to_owned(), 0)));
        assert_eq!(parts("-0"), Some(("0".to_owned(), 0)));
    }

    #[test]
    fn huge_exponents_and_non_numbers_are_refused() {
        assert_eq!(Decimal::parse("1e999"), None);
        assert_eq!(Decimal::parse("abc"), None);
        assert_eq!(Decimal::parse("."), None);
        assert_eq!(Decimal::parse("-"), None);
    }

    #[test]
    fn comparison_value_is_exact_at_a_boundary() {
        assert_eq!(Decimal::parse("1.73e2").map(|d| d.to_f64()), Some(173.0));
    }
}
