//! A complete, self-contained, printable HTML page: inline CSS, no scripts,
//! no external assets, every piece of text escaped.

use std::fmt::Write as _;

use super::{all_citations, short_sources};
use crate::assessment::model::{Assessment, Contributor, InstrumentResult, TriggerHit};
use crate::knowledge::KnowledgeBase;
use crate::knowledge::matching::Resolution;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2421;line-height:1.45}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #2f6f5e;padding-bottom:.2rem;margin-top:2rem}\
h3{font-size:1rem;margin:.2rem 0}.muted{color:#5b6661;font-size:.9rem}\
.summary{background:#eef5f2;border-radius:.4rem;padding:.8rem 1rem}\
.flag{border-left:5px solid #b3261e;background:#fdf0ef;padding:.6rem .9rem;margin:.6rem 0}\
.finding{border-left:4px solid #2f6f5e;padding:.4rem .9rem;margin:.8rem 0;break-inside:avoid}\
.note{border-left:4px solid #9aa5a0;padding:.3rem .9rem;margin:.5rem 0;font-size:.92rem;break-inside:avoid}\
.grade{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border-radius:1rem;background:#dde9e4;margin-left:.3rem}\
.grade.high{background:#2f6f5e;color:#fff}.grade.moderate{background:#6fa593;color:#fff}\
.confirm{color:#8a5a00;font-weight:600}table{border-collapse:collapse;width:100%;font-size:.92rem}\
td,th{border-bottom:1px solid #d7dedb;padding:.3rem .4rem;text-align:left;vertical-align:top}\
ol.sources{font-size:.85rem}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}.flag,.finding{break-inside:avoid}}";

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The assessment as a printable, self-contained HTML page.
pub fn render_html(a: &Assessment, kb: &KnowledgeBase) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Intake assessment</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(o, "<h1>Intake assessment</h1>");
    let _ = writeln!(
        o,
        "<p class=\"muted\">Decision support for the practitioner, not a diagnosis. Medication questions belong with the prescriber.</p>"
    );
    let _ = writeln!(
        o,
        "<section class=\"summary\"><p><strong>{}</strong></p><ul>",
        esc(&a.summary.headline)
    );
    for line in &a.summary.lines {
        let _ = writeln!(o, "<li>{}</li>", esc(line));
    }
    let _ = writeln!(o, "</ul></section>");

    let _ = writeln!(o, "<h2>Red flags (screened first)</h2>");
    if a.red_flags.is_empty() {
        let _ = writeln!(o, "<p>None of the screened red flags were reported.</p>");
    }
    for f in &a.red_flags {
        let _ = writeln!(
            o,
            "<div class=\"flag\"><h3>{}</h3><p><strong>{}.</strong> {}</p>",
            esc(&f.title),
            esc(&f.action_text),
            esc(&f.practitioner)
        );
        hits(&mut o, &f.triggers);
        let _ = writeln!(
            o,
            "<p class=\"muted\">Sources: {}</p></div>",
            esc(&short_sources(&f.references))
        );
    }

    for g in &a.groups {
        let _ = writeln!(o, "<h2>{}</h2>", esc(&g.title));
        if g.contributors.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"muted\">No possible contributors found in the answers given.</p>"
            );
        }
        for c in &g.contributors {
            contributor(&mut o, c);
        }
        for n in &g.evidence_notes {
            let _ = writeln!(
                o,
                "<div class=\"note\"><strong>{}</strong><span class=\"grade\">{} evidence</span><br>{}<br><span class=\"muted\">Sources: {}</span></div>",
                esc(&n.title),
                esc(n.grade.label()),
                esc(&n.practitioner),
                esc(&short_sources(&n.references))
            );
        }
    }

    let _ = writeln!(o, "<h2>Questionnaires and measures</h2>");
    if a.instruments.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">None answered.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>Measure</th><th>Result</th><th>Details</th></tr>"
        );
        for i in &a.instruments {
            instrument(&mut o, i);
        }
        let _ = writeln!(o, "</table>");
    }

    medications(&mut o, a);

    if !a.missing_sections.is_empty() {
        let _ = writeln!(o, "<h2>Not answered yet</h2><ul>");
        for m in &a.missing_sections {
            let _ = writeln!(o, "<li>{}</li>", esc(&m.title));
        }
        let _ = writeln!(o, "</ul>");
    }

    let _ = writeln!(o, "<h2>Next steps</h2><ol>");
    for s in &a.next_steps {
        let _ = writeln!(o, "<li>{}</li>", esc(&s.text));
    }
    let _ = writeln!(o, "</ol>");

    let cited = all_citations(a);
    if !cited.is_empty() {
        let _ = writeln!(o, "<h2>Sources</h2><ol class=\"sources\">");
        for c in cited {
            let finding = kb
                .reference(&c.id)
                .map(|r| r.finding.as_str())
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<li id=\"ref-{}\">{}<br><span class=\"muted\">{}</span></li>",
                esc(&c.id),
                esc(&c.citation),
                esc(finding)
            );
        }
        let _ = writeln!(o, "</ol>");
    }
    if let Some(notice) = a.instruments.iter().find_map(|i| i.notice.as_deref()) {
        let _ = writeln!(o, "<p class=\"muted\">PHQ-4 and GAD-7: {}</p>", esc(notice));
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}

fn contributor(o: &mut String, c: &Contributor) {
    let kinds: Vec<&str> = c.effect_kinds.iter().map(|k| k.label()).collect();
    let grade = c.grade.label();
    let _ = writeln!(
        o,
        "<div class=\"finding\"><h3>{}<span class=\"grade {}\">{} evidence</span></h3>",
        esc(&c.title),
        esc(&grade.replace(' ', "-")),
        esc(grade)
    );
    if !c.confirmed {
        let _ = writeln!(o, "<p class=\"confirm\">To confirm with the client.</p>");
    }
    let _ = writeln!(
        o,
        "<p>{}</p><p><em>For the client:</em> {}</p>",
        esc(&c.practitioner),
        esc(&c.client)
    );
    let _ = writeln!(o, "<p class=\"muted\">Kind: {}", esc(&kinds.join(", ")));
    if let Some(cond) = &c.conditions {
        let _ = write!(o, ". Applies when: {}", esc(cond));
    }
    let _ = writeln!(o, "</p>");
    hits(o, &c.triggers);
    if !c.next_steps.is_empty() {
        let _ = writeln!(o, "<ul>");
        for s in &c.next_steps {
            let _ = writeln!(o, "<li>{}</li>", esc(s));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(
        o,
        "<p class=\"muted\">Sources: {}</p></div>",
        esc(&short_sources(&c.references))
    );
}

fn hits(o: &mut String, hits: &[TriggerHit]) {
    let _ = writeln!(o, "<ul class=\"muted\">");
    for h in hits {
        let _ = write!(
            o,
            "<li>Because <code>{}</code>: {}",
            esc(&h.path),
            esc(&h.answer)
        );
        if let Some(note) = &h.to_confirm {
            let _ = write!(
                o,
                " <span class=\"confirm\">(to confirm: {})</span>",
                esc(note)
            );
        }
        let _ = writeln!(o, "</li>");
    }
    let _ = writeln!(o, "</ul>");
}

fn instrument(o: &mut String, i: &InstrumentResult) {
    let mut result = match (i.score, i.max) {
        (Some(s), Some(max)) if i.id != "bristol" => format!("{s} of {max}"),
        (Some(s), _) => s.to_string(),
        _ => String::new(),
    };
    if let Some(b) = &i.band {
        let mark = if b.verified {
            ""
        } else {
            ", band not official"
        };
        result.push_str(&format!(" ({}{mark})", b.label));
    }
    if let Some(answer) = &i.answer {
        result.push_str(&format!(" {answer}"));
    }
    if !i.complete {
        result.push_str(" (incomplete, not scored)");
    }
    let mut details: Vec<String> = i
        .subscales
        .iter()
        .map(|s| {
            let screen = match s.positive {
                Some(true) => ", positive screen",
                _ => "",
            };
            format!("{}: {}{screen}", s.name, s.score)
        })
        .collect();
    details.extend(i.details.iter().cloned());
    if let Some(note) = &i.interpretation {
        details.push(note.clone());
    }
    let details: Vec<String> = details.iter().map(|d| esc(d)).collect();
    let _ = writeln!(
        o,
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        esc(&i.name),
        esc(result.trim()),
        details.join("<br>")
    );
}

fn medications(o: &mut String, a: &Assessment) {
    let _ = writeln!(o, "<h2>Medications as typed</h2>");
    if a.medications.is_empty() {
        let _ = writeln!(o, "<p class=\"muted\">None listed.</p>");
        return;
    }
    let _ = writeln!(
        o,
        "<table><tr><th>Typed</th><th>Resolved to</th><th>Status</th></tr>"
    );
    for m in &a.medications {
        let names: Vec<String> = m
            .ingredients
            .iter()
            .map(|i| format!("{} ({})", i.name, i.class_name))
            .collect();
        let status = match m.resolution {
            Resolution::Recognised => "recognised",
            Resolution::ToConfirm => "to confirm",
            Resolution::Unrecognised => "not recognised, not assessed",
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.typed),
            esc(&names.join(" + ")),
            status
        );
    }
    let _ = writeln!(o, "</table>");
    for u in &a.unrecognised_medications {
        let hints: Vec<String> = u.suggestions.iter().map(|s| s.name.clone()).collect();
        let hint = if hints.is_empty() {
            "no close match".to_owned()
        } else {
            format!("close names: {}", hints.join(", "))
        };
        let _ = writeln!(
            o,
            "<p class=\"muted\">Not recognised: \"{}\" ({})</p>",
            esc(&u.typed),
            esc(&hint)
        );
    }
}
