//! Area summaries: plain words for the client, precise ones for the
//! practitioner.

use serde::{Deserialize, Serialize};

use super::catalogue::{Area, Catalogue};
use super::flag::Flag;
use super::interpret::{FlagBasis, LinkFinding, ResultReading};
use super::links::LinkKind;
use super::report::LabReport;

/// One area's summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSummary {
    /// The area; `None` groups results not in the catalogue.
    pub area: Option<Area>,
    /// Title for the client.
    pub client_title: String,
    /// Title for the practitioner.
    pub practitioner_title: String,
    /// Indexes of the results in this area.
    pub results: Vec<usize>,
    /// Indexes of results outside their range.
    pub outside: Vec<usize>,
    /// Indexes of results that deserve attention.
    pub attention: Vec<usize>,
    /// Summary for the client.
    pub client: String,
    /// Summary for the practitioner.
    pub practitioner: String,
}

/// Builds one summary per area that has results, in `Area::ALL` order, then
/// one for results the catalogue does not know.
pub fn summarise(
    report: &LabReport,
    readings: &[ResultReading],
    links: &[LinkFinding],
    catalogue: &Catalogue,
) -> Vec<AreaSummary> {
    let groups = Area::ALL
        .iter()
        .map(|a| Some(*a))
        .chain(std::iter::once(None));
    groups
        .filter_map(|area| {
            let members: Vec<&ResultReading> = readings.iter().filter(|r| r.area == area).collect();
            (!members.is_empty()).then(|| summary(area, &members, report, links, catalogue))
        })
        .collect()
}

fn summary(
    area: Option<Area>,
    members: &[&ResultReading],
    report: &LabReport,
    links: &[LinkFinding],
    catalogue: &Catalogue,
) -> AreaSummary {
    let name = |r: &ResultReading| -> String {
        r.marker_id
            .as_deref()
            .and_then(|id| catalogue.marker(id))
            .map_or_else(
                || report.results[r.index].marker.printed.clone(),
                |m| m.name.clone(),
            )
    };
    let results: Vec<usize> = members.iter().map(|r| r.index).collect();
    let outside: Vec<usize> = members
        .iter()
        .filter(|r| r.flag.is_outside())
        .map(|r| r.index)
        .collect();
    let attention: Vec<&&ResultReading> = members.iter().filter(|r| r.attention).collect();
    let not_assessed = members
        .iter()
        .filter(|r| matches!(r.flag, Flag::NotAssessed | Flag::Indeterminate))
        .count();
    let referrals: Vec<&LinkFinding> = links
        .iter()
        .filter(|l| l.kind == LinkKind::MedicalReferral && results.contains(&l.result_index))
        .collect();

    let (client_title, practitioner_title) = match area {
        Some(a) => (
            a.client_title().to_owned(),
            a.practitioner_title().to_owned(),
        ),
        None => (
            "Other results".to_owned(),
            "Results not in the marker catalogue".to_owned(),
        ),
    };

    let mut client = if attention.is_empty() {
        let assessed = members.len() - not_assessed;
        if assessed == 0 {
            format!(
                "{} result(s) here could not be compared with a range; your practitioner will go through them with you.",
                members.len()
            )
        } else {
            format!(
                "{assessed} of {} result(s) here are within the lab's ranges.",
                members.len()
            )
        }
    } else {
        let items: Vec<String> = attention
            .iter()
            .map(|r| format!("{} ({})", name(r), direction_words(r.flag)))
            .collect();
        format!(
            "{} of {} result(s) here are worth talking through with your practitioner: {}. This is information for a conversation, not a diagnosis.",
            attention.len(),
            members.len(),
            items.join(", ")
        )
    };
    if !referrals.is_empty() {
        client.push_str(" Your practitioner will talk with you about seeing a doctor about one of these results.");
    }

    let mut practitioner = format!(
        "{} result(s); {} outside range; {} not assessed.",
        members.len(),
        outside.len(),
        not_assessed
    );
    for r in members
        .iter()
        .filter(|r| r.flag.is_outside() || r.attention)
    {
        let result = &report.results[r.index];
        let range = result.range.printed.as_deref().unwrap_or("none printed");
        let basis = match &r.basis {
            FlagBasis::PrintedRange => "printed range".to_owned(),
            FlagBasis::LabFlag => "lab flag".to_owned(),
            FlagBasis::CatalogueRange { lab, printed, .. } => {
                format!("catalogue range {printed} ({lab})")
            }
            FlagBasis::Nothing => "no basis".to_owned(),
        };
        practitioner.push_str(&format!(
            " {}: {} {} [{}] (range {range}; by {basis}).",
            name(r),
            result.value,
            result.unit.display(),
            r.flag.symbol()
        ));
        if let Some(marker) = r.marker_id.as_deref().and_then(|id| catalogue.marker(id)) {
            practitioner.push_str(&format!(" Note: {}", marker.practitioner));
        }
    }
    for referral in &referrals {
        practitioner.push_str(&format!(" Referral: {}", referral.practitioner));
    }

    AreaSummary {
        area,
        client_title,
        practitioner_title,
        results,
        outside,
        attention: attention.iter().map(|r| r.index).collect(),
        client,
        practitioner,
    }
}

fn direction_words(flag: Flag) -> &'static str {
    match flag {
        Flag::High => "higher than the lab's range",
        Flag::Low => "lower than the lab's range",
        Flag::Abnormal => "found where the lab expects none, or the reverse",
        Flag::Normal | Flag::Indeterminate | Flag::NotAssessed => "worth a look",
    }
}
