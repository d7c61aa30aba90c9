//! Facts derived once from the intake: matched medications with the route
//! and classes that apply, matched antibiotic courses, and questionnaire
//! scores. Rules then read facts rather than raw answers.

use std::collections::BTreeMap;

use crate::intake::{AntibioticCourse, Intake, MedicationEntry, Route};
use crate::knowledge::matching::{MedicationMatch, Resolution, match_medication};
use crate::knowledge::{Ingredient, KnowledgeBase, ScoreId};

/// A medication from the intake, matched and ready for rules.
pub(crate) struct MedFact<'a> {
    pub path: String,
    pub entry: &'a MedicationEntry,
    pub matched: MedicationMatch,
    pub route: Option<Route>,
    /// Each ingredient with the class that applies for the route.
    pub ingredients: Vec<(&'a Ingredient, &'a str)>,
    /// Classes a combination product adds.
    pub extra_classes: Vec<&'a str>,
}

/// An antibiotic course, with its name matched where given.
pub(crate) struct CourseFact<'a> {
    pub path: String,
    pub course: &'a AntibioticCourse,
    pub matched: Option<MedicationMatch>,
    pub classes: Vec<&'a str>,
}

/// A score with where its answers are.
#[derive(Debug, Clone)]
pub(crate) struct ScoreFact {
    pub value: u32,
    pub path: String,
    pub label: String,
}

pub(crate) struct Facts<'a> {
    pub intake: &'a Intake,
    pub kb: &'a KnowledgeBase,
    pub meds: Vec<MedFact<'a>>,
    pub courses: Vec<CourseFact<'a>>,
    pub scores: BTreeMap<ScoreId, ScoreFact>,
}

impl<'a> Facts<'a> {
    pub fn new(
        intake: &'a Intake,
        kb: &'a KnowledgeBase,
        scores: BTreeMap<ScoreId, ScoreFact>,
    ) -> Self {
        let meds = intake
            .medications
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, entry)| med_fact(kb, format!("medications[{i}]"), entry))
            .collect();
        let courses = intake
            .antibiotic_courses
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, course)| course_fact(kb, format!("antibiotic_courses[{i}]"), course))
            .collect();
        Facts {
            intake,
            kb,
            meds,
            courses,
            scores,
        }
    }

    /// The family a class belongs to.
    pub fn family_of(&self, class: &str) -> Option<&'a str> {
        self.kb.class(class).map(|c| c.family.as_str())
    }
}

fn med_fact<'a>(kb: &'a KnowledgeBase, path: String, entry: &'a MedicationEntry) -> MedFact<'a> {
    let matched = match_medication(kb, &entry.name);
    let route = entry.route.or(matched.route_hint);
    let mut ingredients = Vec::new();
    let mut extra_classes = Vec::new();
    if matched.resolution != Resolution::Unrecognised {
        for resolved in &matched.ingredients {
            if let Some(ing) = kb.ingredient(&resolved.id) {
                let class = ing.class_for(route.unwrap_or_else(|| ing.usual_route()));
                ingredients.push((ing, class));
            }
        }
        if let Some(product) = kb
            .products
            .iter()
            .find(|p| Some(&p.name) == matched.product.as_ref())
        {
            extra_classes.extend(product.extra_classes.iter().map(String::as_str));
        }
    }
    MedFact {
        path,
        entry,
        matched,
        route,
        ingredients,
        extra_classes,
    }
}

fn course_fact<'a>(
    kb: &'a KnowledgeBase,
    path: String,
    course: &'a AntibioticCourse,
) -> CourseFact<'a> {
    let matched = course.name.as_deref().map(|n| match_medication(kb, n));
    let classes = matched
        .iter()
        .filter(|m| m.is_assessed())
        .flat_map(|m| m.ingredients.iter())
        .filter_map(|r| kb.ingredient(&r.id).map(|i| i.class.as_str()))
        .collect();
    CourseFact {
        path,
        course,
        matched,
        classes,
    }
}

impl MedFact<'_> {
    /// The medication described for the practitioner:
    /// `"Nexium 40mg" (esomeprazole); 36 months; daily; by mouth`.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("\"{}\"", self.entry.name)];
        let names: Vec<String> = self
            .matched
            .ingredients
            .iter()
            .map(|i| i.name.clone())
            .collect();
        if !names.is_empty() {
            parts[0].push_str(&format!(" ({})", names.join(" + ")));
        }
        if let Some(dose) = &self.entry.dose {
            parts.push(dose.clone());
        }
        if let Some(m) = self.entry.duration_months {
            parts.push(format!("{m} months"));
        }
        if let Some(f) = self.entry.frequency {
            parts.push(f.label().to_owned());
        }
        if let Some(r) = self.route {
            parts.push(r.label().to_owned());
        }
        parts.join("; ")
    }
}

impl CourseFact<'_> {
    /// The course described for the practitioner.
    pub fn describe(&self) -> String {
        let name = self
            .course
            .name
            .as_deref()
            .unwrap_or("antibiotic (name not given)");
        let mut out = format!("\"{name}\", ended {} months ago", self.course.months_ago);
        if let Some(days) = self.course.duration_days {
            out.push_str(&format!(", {days} days"));
        }
        out
    }
}
