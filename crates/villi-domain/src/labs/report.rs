//! A lab report as imported: what the lab printed, and what villi derived.

use serde::{Deserialize, Serialize};

use super::range::ReferenceRange;
use super::unit::Unit;
use super::value::ResultValue;

/// One stool-test report (one file, one specimen).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabReport {
    /// Performing laboratory, as printed.
    pub lab: Option<String>,
    /// Test or panel name (e.g. "GI-MAP").
    pub test_name: Option<String>,
    /// Report or test version, when the lab states one.
    pub test_version: Option<String>,
    /// The lab's report or order id (filler order number).
    pub report_id: Option<String>,
    /// Specimen, as printed (e.g. "Stool").
    pub specimen: Option<String>,
    /// When the specimen was collected.
    pub collected: Option<LabDate>,
    /// When the lab received it.
    pub received: Option<LabDate>,
    /// When the lab reported.
    pub reported: Option<LabDate>,
    /// The results, in the order the lab gave them.
    pub results: Vec<LabResult>,
    /// Comments on the report as a whole.
    pub notes: Vec<String>,
}

/// One result line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabResult {
    /// The marker as named by the lab, and the catalogue id when recognised.
    pub marker: MarkerName,
    /// Section or panel the lab printed it under (e.g. "Pathogens").
    pub panel: Option<String>,
    /// The value.
    pub value: ResultValue,
    /// The unit.
    pub unit: Unit,
    /// The reference range printed with the result.
    pub range: ReferenceRange,
    /// The lab's own flag, as sent (`H`, `L`, `A`, `POS`, ...).
    pub lab_flag: Option<String>,
    /// How the lab measured it.
    pub method: Option<Method>,
    /// Result status.
    pub status: ResultStatus,
    /// Comments attached to this result (HL7 NTE, FHIR note).
    pub notes: Vec<String>,
}

/// A marker name as printed and how villi recognised it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerName {
    /// The name the lab printed; an unknown marker is kept under this name.
    pub printed: String,
    /// The code the lab sent, if any.
    pub code: Option<Code>,
    /// The catalogue marker id, when recognised.
    pub marker_id: Option<String>,
}

/// A code from a coding system (LOINC, a lab's local codes, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Code {
    /// The system, as sent (`LN`, `http://loinc.org`, a lab's own name).
    pub system: Option<String>,
    /// The code.
    pub code: String,
}

impl Code {
    /// Whether the code is a LOINC code (HL7 `LN` or the FHIR LOINC URI).
    pub fn is_loinc(&self) -> bool {
        matches!(
            self.system.as_deref(),
            Some("LN" | "LOINC" | "http://loinc.org")
        )
    }
}

/// A measuring method, printed text kept beside its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// The method as printed.
    pub printed: String,
    /// The kind villi reads from it.
    pub kind: MethodKind,
}

/// The kinds of method stool tests use (stool-tests.md §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// Quantitative PCR.
    Qpcr,
    /// Culture.
    Culture,
    /// Immunoassay (ELISA, EIA, FIT).
    Immunoassay,
    /// Microscopy.
    Microscopy,
    /// Chemistry (GC, electrode, colorimetry).
    Chemistry,
    /// Anything else.
    Other,
}

impl Method {
    /// Reads a printed method.
    pub fn parse(printed: &str) -> Method {
        Method {
            printed: printed.to_owned(),
            kind: MethodKind::read(printed),
        }
    }
}

impl MethodKind {
    /// Reads a method kind from free text.
    pub fn read(text: &str) -> MethodKind {
        let t = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["pcr", "polymerase"]) {
            MethodKind::Qpcr
        } else if has(&["culture", "maldi"]) {
            MethodKind::Culture
        } else if has(&["immuno", "elisa", "eia", "fit", "antigen"]) {
            MethodKind::Immunoassay
        } else if has(&["micro", "o&p", "stain"]) {
            MethodKind::Microscopy
        } else if has(&["chem", "chromatograph", "electrode", "colori", "enzym"]) {
            MethodKind::Chemistry
        } else {
            MethodKind::Other
        }
    }

    /// A short label for display and export.
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::Qpcr => "qPCR",
            MethodKind::Culture => "culture",
            MethodKind::Immunoassay => "immunoassay",
            MethodKind::Microscopy => "microscopy",
            MethodKind::Chemistry => "chemistry",
            MethodKind::Other => "other",
        }
    }
}

/// Result status (HL7 OBX-11, FHIR Observation.status).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    /// Final (the default when a source states none).
    #[default]
    Final,
    /// Preliminary.
    Preliminary,
    /// Corrected or amended after being final.
    Corrected,
    /// Ordered, no result yet.
    Pending,
    /// Cancelled: no result will come.
    Cancelled,
    /// Entered in error.
    EnteredInError,
}

impl ResultStatus {
    /// The FHIR Observation.status code.
    pub fn fhir_code(self) -> &'static str {
        match self {
            ResultStatus::Final => "final",
            ResultStatus::Preliminary => "preliminary",
            ResultStatus::Corrected => "corrected",
            ResultStatus::Pending => "registered",
            ResultStatus::Cancelled => "cancelled",
            ResultStatus::EnteredInError => "entered-in-error",
        }
    }

    /// Reads a FHIR Observation.status code.
    pub fn from_fhir(code: &str) -> Option<ResultStatus> {
        Some(match code {
            "final" => ResultStatus::Final,
            "preliminary" => ResultStatus::Preliminary,
            "corrected" | "amended" => ResultStatus::Corrected,
            "registered" => ResultStatus::Pending,
            "cancelled" => ResultStatus::Cancelled,
            "entered-in-error" => ResultStatus::EnteredInError,
            _ => return None,
        })
    }

    /// Reads an HL7 v2 OBX-11 code (table 0085).
    pub fn from_hl7(code: &str) -> Option<ResultStatus> {
        Some(match code {
            "F" => ResultStatus::Final,
            "P" | "R" | "S" => ResultStatus::Preliminary,
            "C" | "U" => ResultStatus::Corrected,
            "I" | "O" => ResultStatus::Pending,
            "X" | "N" => ResultStatus::Cancelled,
            "W" | "D" => ResultStatus::EnteredInError,
            _ => return None,
        })
    }
}

/// A date or date-time in ISO 8601 form, at the precision the lab gave.
///
/// `2024-03-01`, `2024-03-01T10:15:00`, `2024-03-01T10:15:00-05:00`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabDate(String);

impl LabDate {
    /// Accepts ISO 8601 text (a FHIR `date` or `dateTime`), checking its
    /// calendar date.
    pub fn parse_iso(text: &str) -> Option<LabDate> {
        let text = text.trim();
        let date = text.get(..10)?;
        date.parse::<jiff::civil::Date>().ok()?;
        let rest = &text[10..];
        if !rest.is_empty() {
            let time = rest.strip_prefix('T')?;
            let ok = time.len() >= 5
                && time
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z'));
            if !ok {
                return None;
            }
        }
        Some(LabDate(text.to_owned()))
    }

    /// Reads an HL7 v2 TS/DTM (`YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]`).
    pub fn parse_hl7(text: &str) -> Option<LabDate> {
        let text = text.trim();
        let (stamp, zone) = match text.find(['+', '-']) {
            Some(i) => (&text[..i], Some(&text[i..])),
            None => (text, None),
        };
        let (whole, fraction) = match stamp.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (stamp, None),
        };
        if !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() < 8 || whole.len() % 2 != 0 {
            return None;
        }
        let mut out = format!("{}-{}-{}", &whole[..4], &whole[4..6], &whole[6..8]);
        out.parse::<jiff::civil::Date>().ok()?;
        if whole.len() > 8 {
            let hh = &whole[8..10];
            let mm = whole.get(10..12).unwrap_or("00");
            let ss = whole.get(12..14).unwrap_or("00");
            if whole.len() > 14 || hh > "23" || mm > "59" || ss > "60" {
                return None;
            }
            out.push_str(&format!("T{hh}:{mm}:{ss}"));
            if let Some(f) =
                fraction.filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
            {
                out.push('.');
                out.push_str(f);
            }
            if let Some(z) = zone {
                if z.len() != 5 || !z[1..].bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                out.push_str(&format!("{}:{}", &z[..3], &z[3..]));
            }
        }
        Some(LabDate(out))
    }

    /// The ISO 8601 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The calendar date part.
    pub fn date(&self) -> Option<jiff::civil::Date> {
        self.0.get(..10)?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hl7_timestamps_become_iso_text_at_their_precision() {
        let read = |t: &str| LabDate::parse_hl7(t).map(|d| d.as_str().to_owned());
        assert_eq!(read("20240301"), Some("2024-03-01".into()));
        assert_eq!(read("202403011015"), Some("2024-03-01T10:15:00".into()));
        assert_eq!(
            read("20240301101500-0500"),
            Some("2024-03-01T10:15:00-05:00".into())
        );
        assert_eq!(read("20240230"), None);
        assert_eq!(read("2024"), None);
    }

    #[test]
    fn iso_dates_are_checked() {
        assert!(LabDate::parse_iso("2024-03-01T10:15:00Z").is_some());
        assert!(LabDate::parse_iso("2024-13-01").is_none());
        assert!(LabDate::parse_iso("yesterday").is_none());
    }
}
