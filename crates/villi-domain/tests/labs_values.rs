#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The value, unit, range and date readers never panic and keep what was
//! printed.

use proptest::prelude::*;
use villi_domain::labs::{
    Decimal, LabDate, ParsedRange, Qualitative, ReferenceRange, ResultValue, Unit, ValueKind,
    flag_against,
};

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic_and_keep_the_printed_text(text in any::<String>()) {
        let (value, _) = ResultValue::parse(&text);
        prop_assert_eq!(&value.raw, &text);
        let range = ReferenceRange::parse(&text);
        if let Some(printed) = &range.printed {
            prop_assert_eq!(printed, &text);
        }
        prop_assert_eq!(Unit::parse(&text).raw, text.clone());
        let _ = flag_against(&value.kind, &range.parsed);
        let _ = LabDate::parse_hl7(&text);
        let _ = LabDate::parse_iso(&text);
        let _ = Decimal::parse(&text);
    }

    #[test]
    fn a_decimal_reads_back_from_its_own_text(m in "-?[0-9]{1,12}(\\.[0-9]{1,6})?", e in -300i32..300) {
        let d = Decimal::parse(&format!("{m}e{e}")).unwrap();
        prop_assert_eq!(Decimal::parse(&d.to_string()), Some(d));
    }

    #[test]
    fn every_exponent_spelling_of_a_number_reads_the_same(m in "[1-9]\\.[0-9]{1,3}", e in 1i32..15) {
        let forms = [format!("{m}e{e}"), format!("{m}E+{e:02}"), format!("{m} x 10^{e}"), format!("{m}x10E{e}")];
        let read: Vec<Option<Decimal>> = forms.iter().map(|f| Decimal::parse(f)).collect();
        prop_assert!(read.iter().all(|r| r.is_some() && *r == read[0]), "{:?}", forms);
    }
}

#[test]
fn qualitative_words_are_read_in_any_case_and_spacing() {
    for (text, want) in [
        ("NOT DETECTED", Qualitative::NotDetected),
        ("not  detected", Qualitative::NotDetected),
        ("<DL", Qualitative::BelowDetectionLimit),
        ("pos", Qualitative::Positive),
        ("NG", Qualitative::NoGrowth),
        ("4+", Qualitative::Growth(4)),
    ] {
        assert_eq!(
            ResultValue::parse(text).0.kind,
            ValueKind::Qualitative { reading: want },
            "{text}"
        );
    }
}

#[test]
fn an_unreadable_range_is_kept_with_its_text() {
    let range = ReferenceRange::parse("varies with age, see page 2");
    assert_eq!(range.parsed, ParsedRange::Unreadable);
    assert_eq!(
        range.printed.as_deref(),
        Some("varies with age, see page 2")
    );
}
