//! Trends for one marker across a client's reports.
//!
//! Two results are compared only when they come from the same lab, the same
//! assay (method) and the same unit (stool-tests.md §1.6: labs change
//! targets and units between versions; GI-MAP and Doctor's Data report sIgA
//! in different units). Otherwise the step says plainly "not comparable".

use serde::{Deserialize, Serialize};

use super::catalogue::{Catalogue, Concern, Marker};
use super::report::{LabDate, LabReport, LabResult, MethodKind};
use super::value::ValueKind;

/// Whether a change is good news given the marker's concerning direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Moved away from the concerning direction.
    Better,
    /// Moved toward it.
    Worse,
    /// The same value.
    NoChange,
    /// A change whose meaning villi does not judge (e.g. either side of a
    /// range for a marker concerning both ways, or a value with a comparator).
    NotJudged,
}

/// One step between two consecutive results of a marker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum TrendStep {
    /// The two results can be compared.
    Change {
        /// Date of the earlier report.
        from_date: Option<LabDate>,
        /// Date of the later report.
        to_date: Option<LabDate>,
        /// Earlier value as shown.
        from: String,
        /// Later value as shown.
        to: String,
        /// Later minus earlier, for plain numbers (or grade steps).
        change: Option<f64>,
        /// Later divided by earlier, for plain positive numbers.
        ratio: Option<f64>,
        /// Better or worse.
        direction: Direction,
    },
    /// The two results cannot be compared.
    NotComparable {
        /// Date of the earlier report.
        from_date: Option<LabDate>,
        /// Date of the later report.
        to_date: Option<LabDate>,
        /// Why, in plain words.
        reason: String,
    },
}

/// A marker's history across reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The marker.
    pub marker_id: String,
    /// Steps between consecutive results, oldest first.
    pub steps: Vec<TrendStep>,
}

/// Builds the trend of one marker across reports (any order; sorted by
/// collection date, then report date).
pub fn trend(catalogue: &Catalogue, marker_id: &str, reports: &[LabReport]) -> Trend {
    let marker = catalogue.marker(marker_id);
    let mut points: Vec<(&LabReport, &LabResult)> = reports
        .iter()
        .filter_map(|report| {
            report
                .results
                .iter()
                .find(|r| r.marker.marker_id.as_deref() == Some(marker_id))
                .map(|r| (report, r))
        })
        .collect();
    points.sort_by(|a, b| date_of(a.0).cmp(&date_of(b.0)));
    let steps = points
        .windows(2)
        .map(|pair| step(pair[0], pair[1], marker))
        .collect();
    Trend {
        marker_id: marker_id.to_owned(),
        steps,
    }
}

fn date_of(report: &LabReport) -> Option<&LabDate> {
    report.collected.as_ref().or(report.reported.as_ref())
}

fn method_of(result: &LabResult, marker: Option<&Marker>) -> Option<MethodKind> {
    result
        .method
        .as_ref()
        .map(|m| m.kind)
        .or(marker.map(|m| m.method))
}

fn step(
    a: (&LabReport, &LabResult),
    b: (&LabReport, &LabResult),
    marker: Option<&Marker>,
) -> TrendStep {
    let from_date = date_of(a.0).cloned();
    let to_date = date_of(b.0).cloned();
    let not = |reason: String| TrendStep::NotComparable {
        from_date: from_date.clone(),
        to_date: to_date.clone(),
        reason,
    };
    let lab = |r: &LabReport| r.lab.as_deref().map(|l| l.trim().to_lowercase());
    match (lab(a.0), lab(b.0)) {
        (Some(x), Some(y)) if x == y => {}
        (None, _) | (_, None) => {
            return not("Not comparable: the lab is not stated on both reports.".into());
        }
        _ => {
            return not(format!(
                "Not comparable: different labs ({} and {}).",
                a.0.lab.as_deref().unwrap_or(""),
                b.0.lab.as_deref().unwrap_or("")
            ));
        }
    }
    if method_of(a.1, marker) != method_of(b.1, marker) {
        return not("Not comparable: measured by different methods.".into());
    }
    if !a.1.unit.same_as(&b.1.unit) {
        return not(format!(
            "Not comparable: different units ({} and {}).",
            a.1.unit.display(),
            b.1.unit.display()
        ));
    }
    let concern = marker.map(|m| m.concerning);
    let (change, ratio, direction) = compare(&a.1.value.kind, &b.1.value.kind, concern);
    TrendStep::Change {
        from_date,
        to_date,
        from: a.1.value.to_string(),
        to: b.1.value.to_string(),
        change,
        ratio,
        direction,
    }
}

fn compare(
    a: &ValueKind,
    b: &ValueKind,
    concern: Option<Concern>,
) -> (Option<f64>, Option<f64>, Direction) {
    let (x, y, exact) = match (a, b) {
        (
            ValueKind::Quantity {
                comparator: ca,
                number: na,
            },
            ValueKind::Quantity {
                comparator: cb,
                number: nb,
            },
        ) => (na.to_f64(), nb.to_f64(), ca.is_none() && cb.is_none()),
        (ValueKind::Qualitative { reading: ra }, ValueKind::Qualitative { reading: rb }) => {
            match (ra.ordinal(), rb.ordinal()) {
                (Some(x), Some(y)) => (f64::from(x), f64::from(y), true),
                _ => return (None, None, Direction::NotJudged),
            }
        }
        _ => return (None, None, Direction::NotJudged),
    };
    if !exact {
        return (None, None, Direction::NotJudged);
    }
    let change = y - x;
    let ratio = (x > 0.0 && matches!(a, ValueKind::Quantity { .. })).then(|| y / x);
    let direction = if change == 0.0 {
        Direction::NoChange
    } else {
        let up = change > 0.0;
        match concern {
            Some(Concern::High | Concern::Presence) => {
                if up {
                    Direction::Worse
                } else {
                    Direction::Better
                }
            }
            Some(Concern::Low) => {
                if up {
                    Direction::Better
                } else {
                    Direction::Worse
                }
            }
            Some(Concern::Either) | None => Direction::NotJudged,
        }
    };
    (Some(change), ratio, direction)
}
