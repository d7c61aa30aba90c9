//! Interpreting a report: a flag per result, area summaries, intake links.

use serde::{Deserialize, Serialize};

use super::areas::{AreaSummary, summarise};
use super::catalogue::{Area, Catalogue, CatalogueRange, Concern, Confidence, Marker};
use super::flag::{Flag, flag_against};
use super::links::{Finding, Grade, IntakeContext, LinkKind, LinkRule};
use super::range::ReferenceRange;
use super::report::{LabReport, LabResult};
use super::unit::to_ucum;
use super::value::{Comparator, ValueKind};

/// What a flag was decided from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum FlagBasis {
    /// The range printed on this report.
    PrintedRange,
    /// The lab's own flag (the printed range was missing or unreadable).
    LabFlag,
    /// The catalogue's typical range, because the report printed none.
    CatalogueRange {
        /// Lab whose range was used.
        lab: String,
        /// The range, as that lab prints it.
        printed: String,
        /// How far that range was checked.
        confidence: Confidence,
    },
    /// Nothing to compare with.
    Nothing,
}

/// One result, read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultReading {
    /// Index into `LabReport::results`.
    pub index: usize,
    /// Catalogue marker id, when recognised.
    pub marker_id: Option<String>,
    /// Area, when recognised.
    pub area: Option<Area>,
    /// The flag.
    pub flag: Flag,
    /// What the flag was decided from.
    pub basis: FlagBasis,
    /// Whether the result deserves attention given the marker's concerning
    /// direction (for unknown markers: any result outside its range).
    pub attention: bool,
    /// Explanations: why a fallback was used, disagreement with the lab's flag.
    pub notes: Vec<String>,
}

/// A link between a result and the intake (or a referral the result alone
/// calls for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkFinding {
    /// The rule's id.
    pub rule_id: String,
    /// Kind of follow-up.
    pub kind: LinkKind,
    /// Index of the result that triggered it.
    pub result_index: usize,
    /// The intake factors that matched (empty for result-only rules).
    pub factors: Vec<String>,
    /// Evidence grade.
    pub grade: Grade,
    /// True when the evidence is weak; the wording says so.
    pub weak_evidence: bool,
    /// Citations.
    pub references: Vec<CitedReference>,
    /// Wording for the client.
    pub client: String,
    /// Wording for the practitioner.
    pub practitioner: String,
}

/// A reference as shown beside a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedReference {
    /// Reference id.
    pub id: String,
    /// Citation text.
    pub citation: String,
    /// DOI, PMID or address.
    pub identifier: Option<String>,
    /// False when parts of the citation are unverified.
    pub verified: bool,
}

/// The whole interpretation of one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interpretation {
    /// One reading per result, in report order.
    pub results: Vec<ResultReading>,
    /// Summaries per area, in `Area::ALL` order, then unrecognised results.
    pub areas: Vec<AreaSummary>,
    /// Intake links and referrals; referrals first.
    pub links: Vec<LinkFinding>,
}

/// Interprets a report against the catalogue and what is known of the intake.
pub fn interpret(
    report: &LabReport,
    catalogue: &Catalogue,
    intake: &IntakeContext,
) -> Interpretation {
    let results: Vec<ResultReading> = report
        .results
        .iter()
        .enumerate()
        .map(|(index, result)| read_result(index, result, report, catalogue))
        .collect();
    let mut links = Vec::new();
    for reading in &results {
        let Some(marker) = reading
            .marker_id
            .as_deref()
            .and_then(|id| catalogue.marker(id))
        else {
            continue;
        };
        let result = &report.results[reading.index];
        for rule in catalogue.links_for(marker) {
            if rule.intake_matches(intake)
                && finding_matches(&rule.finding, reading, result, marker)
            {
                links.push(link_finding(rule, reading.index, intake, catalogue));
            }
        }
    }
    links.sort_by_key(|l| (l.kind, l.result_index));
    let areas = summarise(report, &results, &links, catalogue);
    Interpretation {
        results,
        areas,
        links,
    }
}

fn read_result(
    index: usize,
    result: &LabResult,
    report: &LabReport,
    catalogue: &Catalogue,
) -> ResultReading {
    let marker = result
        .marker
        .marker_id
        .as_deref()
        .and_then(|id| catalogue.marker(id));
    let mut notes = Vec::new();
    let lab_flag = result.lab_flag.as_deref().and_then(Flag::from_lab);
    let (flag, basis) = if let Some(flag) = flag_against(&result.value.kind, &result.range.parsed) {
        (flag, FlagBasis::PrintedRange)
    } else if let Some(flag) = lab_flag {
        if result.range.printed.is_some() {
            notes.push(
                "The printed range could not be read; the lab's own flag is shown.".to_owned(),
            );
        }
        (flag, FlagBasis::LabFlag)
    } else if result.range.printed.is_some() {
        notes.push("The printed range could not be read, so the result is not flagged.".to_owned());
        (Flag::NotAssessed, FlagBasis::Nothing)
    } else if let Some((flag, range)) =
        marker.and_then(|m| catalogue_flag(m, result, report, catalogue))
    {
        notes.push(format!(
            "No range was printed with this result; flagged against {}'s typical range {} ({}).",
            range.lab,
            range.printed,
            confidence_words(range.confidence)
        ));
        let basis = FlagBasis::CatalogueRange {
            lab: range.lab.clone(),
            printed: range.printed.clone(),
            confidence: range.confidence,
        };
        (flag, basis)
    } else {
        (Flag::NotAssessed, FlagBasis::Nothing)
    };
    if let (Some(lab), FlagBasis::PrintedRange | FlagBasis::CatalogueRange { .. }) =
        (lab_flag, &basis)
        && lab != flag
        && flag != Flag::Indeterminate
    {
        notes.push(format!(
            "The lab flagged this {:?} but the range reads {:?}; check the printed report.",
            lab, flag
        ));
    }
    let attention = match marker {
        Some(m) => is_concerning(m.concerning, flag),
        None => flag.is_outside(),
    };
    ResultReading {
        index,
        marker_id: marker.map(|m| m.id.clone()),
        area: marker.map(|m| m.area),
        flag,
        basis,
        attention,
        notes,
    }
}

/// Picks the catalogue range for this report's lab in the result's unit,
/// else any catalogue range in that unit.
fn catalogue_flag<'a>(
    marker: &'a Marker,
    result: &LabResult,
    report: &LabReport,
    catalogue: &Catalogue,
) -> Option<(Flag, &'a CatalogueRange)> {
    let lab_text = format!(
        "{} {}",
        report.lab.as_deref().unwrap_or(""),
        report.test_name.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let unit_fits = |range: &CatalogueRange| {
        let qualitative = matches!(result.value.kind, ValueKind::Qualitative { .. });
        qualitative || to_ucum(&range.unit).is_some_and(|u| result.unit.ucum.as_deref() == Some(u))
    };
    let same_lab = |range: &&CatalogueRange| catalogue.lab_matches(&range.lab, &lab_text);
    let range = marker
        .ranges
        .iter()
        .filter(|r| unit_fits(r))
        .find(same_lab)
        .or_else(|| marker.ranges.iter().find(|r| unit_fits(r)))?;
    let flag = flag_against(
        &result.value.kind,
        &ReferenceRange::parse(&range.printed).parsed,
    )?;
    Some((flag, range))
}

fn confidence_words(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Verified => "verified",
        Confidence::Corroborated => "corroborated by a secondary source",
        Confidence::Unverified => "unverified: check the lab's current report",
    }
}

fn is_concerning(concern: Concern, flag: Flag) -> bool {
    match flag {
        Flag::High => matches!(concern, Concern::High | Concern::Either | Concern::Presence),
        Flag::Low => matches!(concern, Concern::Low | Concern::Either),
        Flag::Abnormal => true,
        Flag::Normal | Flag::Indeterminate | Flag::NotAssessed => false,
    }
}

fn finding_matches(
    finding: &Finding,
    reading: &ResultReading,
    result: &LabResult,
    marker: &Marker,
) -> bool {
    let presence = matches!(marker.concerning, Concern::Presence | Concern::High);
    match finding {
        Finding::High => reading.flag == Flag::High || (reading.flag == Flag::Abnormal && presence),
        Finding::Low => reading.flag == Flag::Low,
        Finding::Abnormal => reading.flag.is_outside(),
        Finding::Above { value, unit } => match &result.value.kind {
            ValueKind::Quantity { comparator, number } => {
                let can_exceed = !matches!(comparator, Some(Comparator::Lt | Comparator::Le));
                can_exceed
                    && result.unit.ucum.as_deref() == Some(unit.as_str())
                    && number.to_f64() > *value
            }
            _ => false,
        },
    }
}

fn link_finding(
    rule: &LinkRule,
    result_index: usize,
    intake: &IntakeContext,
    catalogue: &Catalogue,
) -> LinkFinding {
    let factors: Vec<String> = rule
        .when
        .iter()
        .filter(|f| intake.has(f))
        .cloned()
        .collect();
    let weak = rule.grade.is_weak();
    let caution = if weak {
        " The evidence for this link is weak, so treat it as a question to explore, not a conclusion."
    } else {
        ""
    };
    let references = rule
        .references
        .iter()
        .filter_map(|id| catalogue.reference(id))
        .map(|r| CitedReference {
            id: r.id.clone(),
            citation: r.citation.clone(),
            identifier: r.identifier.clone(),
            verified: r.verified,
        })
        .collect();
    LinkFinding {
        rule_id: rule.id.clone(),
        kind: rule.kind,
        result_index,
        factors,
        grade: rule.grade,
        weak_evidence: weak,
        references,
        client: format!("{}{caution}", rule.client),
        practitioner: format!(
            "{} (evidence: {}){caution}",
            rule.practitioner,
            rule.grade.label()
        ),
    }
}
