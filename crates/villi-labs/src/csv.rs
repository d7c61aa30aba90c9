//! CSV import: the documented template.
//!
//! ```text
//! marker,value,unit,range,flag,collected,lab
//! Calprotectin,212,ug/g,<173,H,2024-03-01,GI-MAP
//! ```
//!
//! Header names are matched without regard to case, spacing or punctuation,
//! and common synonyms are accepted (`test`, `analyte` for marker; `result`
//! for value; `reference range` for range; ...). Optional columns: `method`,
//! `panel`, `code`, `status`, `notes`, `reported`, `test`. UTF-8 with or
//! without a byte-order mark; comma, semicolon or tab separated (detected
//! from the header). With semicolons, a decimal comma (`5,8`) is read as a
//! decimal point. Cells in columns villi does not know are kept as notes on
//! the result.

use villi_domain::labs::{
    Code, LabDate, LabReport, LabResult, Method, ReferenceRange, ResultStatus, ResultValue, Unit,
};

use crate::import::Parsed;
use crate::issue::{Issue, Issues, Location, Severity};
use crate::normalise;
use crate::text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Marker,
    Value,
    Unit,
    Range,
    Flag,
    Collected,
    Lab,
    Method,
    Panel,
    Code,
    Status,
    Notes,
    Reported,
    Test,
}

const SYNONYMS: &[(Column, &[&str])] = &[
    (
        Column::Marker,
        &[
            "marker",
            "test",
            "analyte",
            "name",
            "testname",
            "component",
            "parameter",
            "organism",
            "biomarker",
        ],
    ),
    (
        Column::Value,
        &[
            "value",
            "result",
            "resultvalue",
            "measurement",
            "observation",
        ],
    ),
    (Column::Unit, &["unit", "units", "uom"]),
    (
        Column::Range,
        &[
            "range",
            "referencerange",
            "refrange",
            "reference",
            "normalrange",
            "referenceinterval",
            "expected",
            "expectedrange",
        ],
    ),
    (
        Column::Flag,
        &[
            "flag",
            "abnormalflag",
            "labflag",
            "interpretation",
            "hl",
            "abnormal",
        ],
    ),
    (
        Column::Collected,
        &[
            "collected",
            "collectiondate",
            "datecollected",
            "collecteddate",
            "date",
            "specimendate",
            "sampledate",
        ],
    ),
    (Column::Lab, &["lab", "laboratory", "performinglab"]),
    (Column::Method, &["method", "assay", "technique"]),
    (Column::Panel, &["panel", "section", "category", "group"]),
    (Column::Code, &["code", "loinc", "loinccode"]),
    (Column::Status, &["status", "resultstatus"]),
    (Column::Notes, &["notes", "note", "comment", "comments"]),
    (
        Column::Reported,
        &["reported", "reportdate", "datereported"],
    ),
    (
        Column::Test,
        &["panelname", "testpanel", "report", "kit", "profile"],
    ),
];

fn header_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn column_for(name: &str) -> Option<Column> {
    let key = header_key(name);
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(c, _)| *c)
}

/// Picks the delimiter that splits the header line most.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut in_quotes = false;
    let mut counts = [0usize; 3];
    for c in header.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// `5,8` to `5.8` (semicolon files), leaving `35,000` and text alone.
fn decimal_comma(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let between_digits = c == ','
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && !text.contains('.');
        out.push(if between_digits { '.' } else { c });
    }
    out
}

fn date(text: &str) -> Option<LabDate> {
    LabDate::parse_iso(text).or_else(|| LabDate::parse_hl7(text))
}

/// Parses CSV bytes. Never panics; every problem becomes an issue.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut issues = Issues::default();
    let text = text::decode(bytes, &mut issues);
    let delim = delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<(Vec<String>, Vec<Option<Column>>)> = None;
    let mut report = LabReport::default();
    let mut report_fields = ReportFields::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                issues.push(Issue::new(
                    Severity::Error,
                    "csv.syntax",
                    Location::Csv {
                        line,
                        column: None,
                        header: None,
                    },
                    format!("This row could not be read: {e}."),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let Some((names, columns)) = &header else {
            header = Some(read_header(&cells, line, &mut issues));
            continue;
        };
        let row = Row {
            cells: &cells,
            names,
            columns,
            line,
            semicolon: delim == b';',
        };
        if let Some(result) = row.read(&mut issues, &mut report_fields) {
            report.results.push(result);
        }
    }
    let Some((_, columns)) = header else {
        issues.push(Issue::new(
            Severity::Fatal,
            "csv.empty",
            Location::File,
            "The CSV file has no header row.",
        ));
        return Parsed {
            report: None,
            issues,
        };
    };
    if !columns.contains(&Some(Column::Marker)) || !columns.contains(&Some(Column::Value)) {
        issues.push(Issue::new(
            Severity::Fatal,
            "csv.header",
            Location::Csv { line: 1, column: None, header: None },
            "The header must name a marker and a value column (template: marker,value,unit,range,flag,collected,lab).",
        ));
        return Parsed {
            report: None,
            issues,
        };
    }
    report_fields.apply(&mut report);
    Parsed {
        report: Some(report),
        issues,
    }
}

fn read_header(
    cells: &[&str],
    line: usize,
    issues: &mut Issues,
) -> (Vec<String>, Vec<Option<Column>>) {
    let mut columns: Vec<Option<Column>> = Vec::new();
    for (i, name) in cells.iter().enumerate() {
        let mut column = column_for(name);
        if column.is_some() && columns.contains(&column) {
            issues.push(Issue::new(
                Severity::Warning,
                "csv.header.duplicate",
                Location::Csv {
                    line,
                    column: Some(i + 1),
                    header: Some((*name).to_owned()),
                },
                format!("A second {name:?} column; its cells are kept as notes."),
            ));
            column = None;
        }
        columns.push(column);
    }
    (cells.iter().map(|c| (*c).to_owned()).collect(), columns)
}

/// Report-level values given per row; the first wins and disagreements are
/// reported.
#[derive(Default)]
struct ReportFields {
    lab: Option<String>,
    collected: Option<LabDate>,
    reported: Option<LabDate>,
    test: Option<String>,
    disagreement_noted: bool,
}

impl ReportFields {
    fn apply(self, report: &mut LabReport) {
        report.lab = self.lab;
        report.collected = self.collected;
        report.reported = self.reported;
        report.test_name = self.test;
    }
}

struct Row<'r> {
    cells: &'r [&'r str],
    names: &'r [String],
    columns: &'r [Option<Column>],
    line: usize,
    semicolon: bool,
}

impl Row<'_> {
    fn cell(&self, want: Column) -> Option<(usize, &str)> {
        let i = self.columns.iter().position(|c| *c == Some(want))?;
        let value = self.cells.get(i).copied().unwrap_or("");
        (!value.is_empty()).then_some((i, value))
    }

    fn at(&self, i: usize) -> Location {
        Location::Csv {
            line: self.line,
            column: Some(i + 1),
            header: self.names.get(i).cloned(),
        }
    }

    fn read(&self, issues: &mut Issues, report: &mut ReportFields) -> Option<LabResult> {
        let whole = self.cells.join(" | ");
        let Some((marker_col, printed)) = self.cell(Column::Marker) else {
            let i = self
                .columns
                .iter()
                .position(|c| *c == Some(Column::Marker))
                .unwrap_or(0);
            issues.push(
                Issue::new(
                    Severity::Error,
                    "csv.row.no_marker",
                    self.at(i),
                    "The marker cell is empty.",
                )
                .rejecting(whole),
            );
            return None;
        };
        let Some((_, value_text)) = self.cell(Column::Value) else {
            let i = self
                .columns
                .iter()
                .position(|c| *c == Some(Column::Value))
                .unwrap_or(0);
            issues.push(
                Issue::new(
                    Severity::Error,
                    "csv.row.no_value",
                    self.at(i),
                    format!("{printed:?} has no value."),
                )
                .rejecting(whole),
            );
            return None;
        };
        let numeric = |t: &str| {
            if self.semicolon {
                decimal_comma(t)
            } else {
                t.to_owned()
            }
        };
        let (parsed, hint) = ResultValue::parse(&numeric(value_text));
        let value = ResultValue::structured(value_text, parsed.kind);
        let unit = match (self.cell(Column::Unit), hint) {
            (Some((_, u)), _) => Unit::parse(u),
            (None, Some(h)) => Unit::parse(&h),
            (None, None) => Unit::none(),
        };
        let unit_col = self
            .columns
            .iter()
            .position(|c| *c == Some(Column::Unit))
            .unwrap_or(marker_col);
        normalise::check_unit(&unit, issues, || self.at(unit_col));
        let range = match self.cell(Column::Range) {
            Some((_, r)) => {
                let mut range = ReferenceRange::parse(&numeric(r));
                range.printed = Some(r.to_owned());
                range
            }
            None => ReferenceRange::absent(),
        };
        let code = self.cell(Column::Code).map(|(_, c)| {
            let loinc = c.contains('-') && c.chars().all(|ch| ch.is_ascii_digit() || ch == '-');
            Code {
                system: loinc.then(|| normalise::LOINC.to_owned()),
                code: c.to_owned(),
            }
        });
        let marker = normalise::marker(code, printed, issues, || self.at(marker_col));
        let status = match self.cell(Column::Status) {
            None => ResultStatus::Final,
            Some((i, s)) => ResultStatus::from_fhir(&s.to_lowercase())
                .or_else(|| ResultStatus::from_hl7(&s.to_uppercase()))
                .unwrap_or_else(|| {
                    issues.push(Issue::new(
                        Severity::Warning,
                        "csv.status",
                        self.at(i),
                        format!("Status {s:?} is not known; read as final."),
                    ));
                    ResultStatus::Final
                }),
        };
        let mut notes: Vec<String> = self
            .cell(Column::Notes)
            .map(|(_, n)| n.to_owned())
            .into_iter()
            .collect();
        for (i, cell) in self.cells.iter().enumerate() {
            if cell.is_empty() || self.columns.get(i).is_some_and(Option::is_some) {
                continue;
            }
            match self.names.get(i) {
                Some(name) => notes.push(format!("{name}: {cell}")),
                None => {
                    issues.push(Issue::new(
                        Severity::Warning,
                        "csv.row.extra_cell",
                        self.at(i),
                        "A cell beyond the header; kept as a note.",
                    ));
                    notes.push((*cell).to_owned());
                }
            }
        }
        self.report_fields(issues, report);
        Some(LabResult {
            marker,
            panel: self.cell(Column::Panel).map(|(_, p)| p.to_owned()),
            value,
            unit,
            range,
            lab_flag: self.cell(Column::Flag).map(|(_, f)| f.to_owned()),
            method: self.cell(Column::Method).map(|(_, m)| Method::parse(m)),
            status,
            notes,
        })
    }

    fn report_fields(&self, issues: &mut Issues, report: &mut ReportFields) {
        let mut differs = Vec::new();
        for column in [Column::Lab, Column::Test] {
            if let Some((_, text)) = self.cell(column) {
                let slot = if column == Column::Lab {
                    &mut report.lab
                } else {
                    &mut report.test
                };
                match slot {
                    None => *slot = Some(text.to_owned()),
                    Some(existing) if existing != text => differs.push(text.to_owned()),
                    Some(_) => {}
                }
            }
        }
        for column in [Column::Collected, Column::Reported] {
            let Some((i, text)) = self.cell(column) else {
                continue;
            };
            let Some(parsed) = date(text) else {
                issues.push(Issue::new(
                    Severity::Warning,
                    "csv.date",
                    self.at(i),
                    format!("{text:?} is not a date villi reads (use YYYY-MM-DD); left out."),
                ));
                continue;
            };
            let slot = if column == Column::Collected {
                &mut report.collected
            } else {
                &mut report.reported
            };
            match slot {
                None => *slot = Some(parsed),
                Some(existing) if *existing != parsed => differs.push(text.to_owned()),
                Some(_) => {}
            }
        }
        if !differs.is_empty() && !report.disagreement_noted {
            report.disagreement_noted = true;
            issues.push(Issue::new(
                Severity::Warning,
                "csv.rows_disagree",
                Location::Csv { line: self.line, column: None, header: None },
                format!("Rows give different labs or dates ({}); the first row's were used for the report.", differs.join(", ")),
            ));
        }
    }
}
