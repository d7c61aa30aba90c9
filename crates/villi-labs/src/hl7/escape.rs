//! HL7 v2 escape sequences (stool-tests.md §3.1): `\F\ \S\ \T\ \R\ \E\`,
//! `\Xhh..\` hex data, `\H\`/`\N\` highlighting and `\.br\`-style
//! formatting. Sequences do not nest. Anything unknown or unterminated is
//! kept as it was sent and reported, never dropped.

use std::borrow::Cow;

use super::tokens::Separators;

/// Decodes a value. Returns the text and, when something was kept
/// verbatim, a description of it.
pub fn decode<'a>(value: &'a str, seps: &Separators) -> (Cow<'a, str>, Option<String>) {
    let Some(esc) = seps.escape else {
        return (Cow::Borrowed(value), None);
    };
    if !value.contains(esc) {
        return (Cow::Borrowed(value), None);
    }
    let mut out = String::with_capacity(value.len());
    let mut doubt = None;
    let mut rest = value;
    while let Some(start) = rest.find(esc) {
        out.push_str(&rest[..start]);
        let after = &rest[start + esc.len_utf8()..];
        let Some(end) = after.find(esc) else {
            doubt = Some(format!(
                "an unterminated escape sequence {:?} was kept as sent",
                &rest[start..]
            ));
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let sequence = &after[..end];
        match sequence {
            "F" => out.push(seps.field),
            "S" => out.push(seps.component),
            "T" => out.push(seps.subcomponent),
            "R" => out.push(seps.repetition),
            "E" => out.push(esc),
            "H" | "N" => {}
            ".br" | ".sp" => out.push('\n'),
            s if s.starts_with(".in") || s.starts_with(".ti") || s.starts_with(".sk") => {
                out.push(' ')
            }
            ".fi" | ".nf" | ".ce" => {}
            s if s.starts_with('X') || s.starts_with('x') => match hex(&s[1..]) {
                Some(text) => out.push_str(&text),
                None => {
                    doubt = Some(format!(
                        "the hex escape {esc}{s}{esc} is not valid hex and was kept as sent"
                    ));
                    keep(&mut out, esc, s);
                }
            },
            s => {
                doubt = Some(format!(
                    "the escape sequence {esc}{s}{esc} is not supported and was kept as sent"
                ));
                keep(&mut out, esc, s);
            }
        }
        rest = &after[end + esc.len_utf8()..];
    }
    out.push_str(rest);
    (Cow::Owned(out), doubt)
}

fn keep(out: &mut String, esc: char, sequence: &str) {
    out.push(esc);
    out.push_str(sequence);
    out.push(esc);
}

/// Hex data: UTF-8 when it is, else one character per byte (ISO-8859-1).
fn hex(digits: &str) -> Option<String> {
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..digits.len())
        .step_by(2)
        .map(|i| {
            digits
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let bytes = bytes?;
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEPS: Separators = Separators {
        field: '|',
        component: '^',
        repetition: '~',
        escape: Some('\\'),
        subcomponent: '&',
    };

    fn d(text: &str) -> String {
        decode(text, &SEPS).0.into_owned()
    }

    #[test]
    fn separator_escapes_decode() {
        assert_eq!(d(r"10\S\9/L"), "10^9/L");
        assert_eq!(d(r"a\F\b\T\c\R\d\E\e"), "a|b&c~d\\e");
    }

    #[test]
    fn an_escape_at_the_end_of_a_field_decodes() {
        assert_eq!(d(r"path\E\"), "path\\");
    }

    #[test]
    fn hex_data_decodes_as_utf8_and_back_to_back() {
        assert_eq!(d(r"\XC2B5\g/g"), "µg/g");
        assert_eq!(d(r"line\X0D\\X0A\next"), "line\r\nnext");
    }

    #[test]
    fn non_ascii_text_around_escapes_is_safe() {
        assert_eq!(d("µµ\\F\\x"), "µµ|x");
    }

    #[test]
    fn unknown_and_unterminated_sequences_are_kept_and_reported() {
        let (text, doubt) = decode(r"a\Zlocal\b", &SEPS);
        assert_eq!(text, r"a\Zlocal\b");
        assert!(doubt.is_some());
        let (text, doubt) = decode(r"50\F", &SEPS);
        assert_eq!(text, r"50\F");
        assert!(doubt.is_some());
    }
}
