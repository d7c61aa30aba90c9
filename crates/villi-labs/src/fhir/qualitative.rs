//! Qualitative readings as codes: villi's own keys, and SNOMED CT where a
//! reading has a code seen in lab messages (stool-tests.md §3.1, §3.3).

use villi_domain::labs::{MicroscopyGrade, Qualitative};

/// villi's key for a reading.
pub fn key(q: Qualitative) -> String {
    match q {
        Qualitative::NotDetected => "not_detected".into(),
        Qualitative::Detected => "detected".into(),
        Qualitative::BelowDetectionLimit => "below_detection_limit".into(),
        Qualitative::Positive => "positive".into(),
        Qualitative::Negative => "negative".into(),
        Qualitative::NoGrowth => "no_growth".into(),
        Qualitative::Growth(n) => format!("growth_{n}"),
        Qualitative::Microscopy(g) => format!("microscopy_{}", format!("{g:?}").to_lowercase()),
        Qualitative::Equivocal => "equivocal".into(),
    }
}

/// The reading for a villi key.
pub fn from_key(key: &str) -> Option<Qualitative> {
    Some(match key {
        "not_detected" => Qualitative::NotDetected,
        "detected" => Qualitative::Detected,
        "below_detection_limit" => Qualitative::BelowDetectionLimit,
        "positive" => Qualitative::Positive,
        "negative" => Qualitative::Negative,
        "no_growth" => Qualitative::NoGrowth,
        "equivocal" => Qualitative::Equivocal,
        "microscopy_none" => Qualitative::Microscopy(MicroscopyGrade::None),
        "microscopy_rare" => Qualitative::Microscopy(MicroscopyGrade::Rare),
        "microscopy_few" => Qualitative::Microscopy(MicroscopyGrade::Few),
        "microscopy_moderate" => Qualitative::Microscopy(MicroscopyGrade::Moderate),
        "microscopy_many" => Qualitative::Microscopy(MicroscopyGrade::Many),
        k => {
            let n: u8 = k.strip_prefix("growth_")?.parse().ok()?;
            if !(1..=4).contains(&n) {
                return None;
            }
            Qualitative::Growth(n)
        }
    })
}

/// SNOMED CT code for a reading, where one is known.
pub fn snomed(q: Qualitative) -> Option<&'static str> {
    match q {
        Qualitative::NotDetected => Some("260415000"),
        Qualitative::Detected => Some("260373001"),
        Qualitative::Positive => Some("10828004"),
        Qualitative::Negative => Some("260385009"),
        _ => None,
    }
}

/// The reading for a SNOMED CT code.
pub fn from_snomed(code: &str) -> Option<Qualitative> {
    match code {
        "260415000" => Some(Qualitative::NotDetected),
        "260373001" => Some(Qualitative::Detected),
        "10828004" => Some(Qualitative::Positive),
        "260385009" => Some(Qualitative::Negative),
        _ => None,
    }
}
