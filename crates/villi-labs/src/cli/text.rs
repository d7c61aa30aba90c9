//! Text rendering of an import for the terminal.

use std::fmt::Write;

use villi_domain::labs::{Catalogue, Interpretation, LinkKind};

use crate::import::Import;
use crate::issue::Issue;

/// The report, area by area, then links and issues.
pub fn render(import: &Import, interpretation: &Interpretation, dry_run: bool) -> String {
    let report = &import.report;
    let catalogue = Catalogue::embedded();
    let mut out = String::new();
    let title = report.test_name.as_deref().unwrap_or("Stool test");
    let _ = writeln!(
        out,
        "{title} from {}",
        report.lab.as_deref().unwrap_or("an unnamed lab")
    );
    let mut facts = vec![format!("format {}", import.format.label())];
    if let Some(d) = &report.collected {
        facts.push(format!("collected {}", d.as_str()));
    }
    if let Some(d) = &report.reported {
        facts.push(format!("reported {}", d.as_str()));
    }
    if let Some(s) = &report.specimen {
        facts.push(format!("specimen {s}"));
    }
    facts.push(format!("{} result(s)", report.results.len()));
    let _ = writeln!(out, "{}", facts.join(" · "));
    if dry_run {
        let _ = writeln!(out, "Dry run: nothing was stored.");
    }
    for area in &interpretation.areas {
        let _ = writeln!(out, "\n== {} ==", area.practitioner_title);
        for &i in &area.results {
            let (result, reading) = (&report.results[i], &interpretation.results[i]);
            let name = reading
                .marker_id
                .as_deref()
                .and_then(|id| catalogue.marker(id))
                .map_or(result.marker.printed.as_str(), |m| m.name.as_str());
            let value = format!("{} {}", result.value, result.unit.display());
            let range = result.range.printed.as_deref().unwrap_or("-");
            let mark = if reading.attention { "!" } else { " " };
            let _ = writeln!(
                out,
                " {mark} {name:<38} {value:<22} {flag:<2} range {range}",
                flag = reading.flag.symbol()
            );
            for note in &reading.notes {
                let _ = writeln!(out, "      note: {note}");
            }
        }
        let _ = writeln!(out, "  For the client: {}", area.client);
        let _ = writeln!(out, "  For the practitioner: {}", area.practitioner);
    }
    if !interpretation.links.is_empty() {
        let _ = writeln!(out, "\n== Referrals and intake links ==");
        for link in &interpretation.links {
            let kind = match link.kind {
                LinkKind::MedicalReferral => "medical referral",
                LinkKind::PossibleContributor => "possible contributor",
                LinkKind::Discussion => "to discuss",
            };
            let refs: Vec<&str> = link.references.iter().map(|r| r.id.as_str()).collect();
            let marker = &report.results[link.result_index].marker.printed;
            let _ = writeln!(out, "  [{kind}] {marker}: {}", link.practitioner);
            let _ = writeln!(out, "      references: {}", refs.join(", "));
        }
    }
    out.push_str(&render_issues(&import.issues));
    out
}

/// The issues, one per line.
pub fn render_issues(issues: &[Issue]) -> String {
    if issues.is_empty() {
        return String::new();
    }
    let mut out = format!("\n== Issues ({}) ==\n", issues.len());
    for issue in issues {
        let _ = writeln!(out, "  {issue}");
        if let Some(rejected) = &issue.rejected {
            let _ = writeln!(out, "      rejected: {rejected}");
        }
    }
    out
}
