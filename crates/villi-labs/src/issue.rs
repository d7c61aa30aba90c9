//! Issues found while importing, each with a precise location.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file cannot be imported at all.
    Fatal,
    /// One result (or message) was rejected; `--partial` imports the rest.
    Error,
    /// Imported, but read leniently or with a doubt worth checking.
    Warning,
    /// Something the file said that villi does not import, stated so that
    /// nothing is dropped silently.
    Info,
}

/// Where in the file an issue is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "format")]
pub enum Location {
    /// The file as a whole.
    File,
    /// An HL7 v2 segment, field and component (1-based, HL7 numbering).
    Hl7 {
        /// Line of the segment in the file.
        line: usize,
        /// Segment name (`OBX`).
        segment: String,
        /// Field number (`OBX-5` is 5), if the issue is in one field.
        field: Option<usize>,
        /// Component number within the field.
        component: Option<usize>,
    },
    /// A place in a JSON document.
    Json {
        /// JSONPath-like path: `$.entry[2].resource.valueQuantity`.
        path: String,
        /// Line (1-based).
        line: usize,
        /// Column (1-based, in characters).
        column: usize,
    },
    /// A CSV line and column.
    Csv {
        /// Line (1-based).
        line: usize,
        /// Column (1-based), if the issue is in one cell.
        column: Option<usize>,
        /// The column's header, if known.
        header: Option<String>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => f.write_str("file"),
            Location::Hl7 {
                line,
                segment,
                field,
                component,
            } => {
                write!(f, "line {line}, {segment}")?;
                if let Some(field) = field {
                    write!(f, "-{field}")?;
                    if let Some(c) = component {
                        write!(f, ".{c}")?;
                    }
                }
                Ok(())
            }
            Location::Json { path, line, column } => {
                write!(f, "{path} (line {line}, column {column})")
            }
            Location::Csv {
                line,
                column,
                header,
            } => {
                write!(f, "line {line}")?;
                if let Some(c) = column {
                    write!(f, ", column {c}")?;
                }
                if let Some(h) = header {
                    write!(f, " ({h})")?;
                }
                Ok(())
            }
        }
    }
}

/// One issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Severity.
    pub severity: Severity,
    /// Stable machine code (`hl7.obx.no_identifier`).
    pub code: String,
    /// Where.
    pub location: Location,
    /// What, in words.
    pub message: String,
    /// For a rejected result: the text of what was rejected, so it can be
    /// listed and fixed.
    pub rejected: Option<String>,
}

impl Issue {
    /// A new issue.
    pub fn new(
        severity: Severity,
        code: &str,
        location: Location,
        message: impl Into<String>,
    ) -> Issue {
        Issue {
            severity,
            code: code.to_owned(),
            location,
            message: message.into(),
            rejected: None,
        }
    }

    /// Marks the issue as the rejection of `text`.
    pub fn rejecting(mut self, text: impl Into<String>) -> Issue {
        self.rejected = Some(text.into());
        self
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Fatal => "fatal",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(
            f,
            "{severity} [{}] {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// Most issues one import reports; beyond it one issue says how many more
/// there were, so a hostile file cannot make the list unbounded.
pub const MAX_ISSUES: usize = 1000;

/// How many issues of one repeated kind are listed in full before the rest
/// are summarised with their lines.
pub const REPEATS_LISTED: usize = 3;

/// Collects issues up to [`MAX_ISSUES`].
#[derive(Debug, Default)]
pub struct Issues {
    list: Vec<Issue>,
    overflow: usize,
    errors: usize,
    fatal: bool,
    /// Per repeated warning kind: how many seen, and where the unlisted ones are.
    repeats: Vec<(&'static str, usize, Vec<usize>)>,
}

impl Issues {
    /// Adds an issue.
    pub fn push(&mut self, issue: Issue) {
        match issue.severity {
            Severity::Fatal => self.fatal = true,
            Severity::Error => self.errors += 1,
            _ => {}
        }
        if self.list.len() < MAX_ISSUES {
            self.list.push(issue);
        } else {
            self.overflow += 1;
        }
    }

    /// Records a warning that tends to repeat on every result (a sender's
    /// habit such as exponents in NM values): the first
    /// [`REPEATS_LISTED`] are listed in full, the rest summarised at the end
    /// with their line numbers. `make` is called only for listed ones.
    pub fn repeated(&mut self, code: &'static str, line: usize, make: impl FnOnce() -> Issue) {
        let entry = match self.repeats.iter_mut().find(|(c, _, _)| *c == code) {
            Some(entry) => entry,
            None => {
                self.repeats.push((code, 0, Vec::new()));
                let last = self.repeats.len() - 1;
                &mut self.repeats[last]
            }
        };
        entry.1 += 1;
        if entry.1 <= REPEATS_LISTED {
            self.push(make());
        } else {
            entry.2.push(line);
        }
    }

    /// Whether a fatal issue was recorded.
    pub fn has_fatal(&self) -> bool {
        self.fatal
    }

    /// Number of rejections (errors) recorded, including unlisted ones.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// The issues, with a closing note when some were not listed.
    pub fn finish(mut self) -> Vec<Issue> {
        for (code, _, lines) in std::mem::take(&mut self.repeats) {
            if lines.is_empty() {
                continue;
            }
            let shown: Vec<String> = lines.iter().take(50).map(usize::to_string).collect();
            let more = if lines.len() > 50 { ", ..." } else { "" };
            self.push(Issue::new(
                Severity::Warning,
                code,
                Location::File,
                format!(
                    "The same issue occurs {} more time(s), on lines {}{more}.",
                    lines.len(),
                    shown.join(", ")
                ),
            ));
        }
        if self.overflow > 0 {
            self.list.push(Issue::new(
                Severity::Info,
                "issues.truncated",
                Location::File,
                format!(
                    "{} further issue(s) were found but are not listed.",
                    self.overflow
                ),
            ));
        }
        self.list
    }
}
