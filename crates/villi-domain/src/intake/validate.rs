//! Ranges and lengths that serde's types cannot express. Each function checks
//! one section (or list entry) and appends every problem it finds.

use super::limits::*;
use super::{
    AntibioticCourse, Diagnosis, Diet, Environment, GiSymptoms, Goals, Intake, IntakeError,
    MedicationEntry, Personal, StoolForm, StressSleep,
};

use super::checks::{Errors, answers, at_most, each, list_len, text, texts};

/// Every range problem in an intake whose shape is already valid.
pub(super) fn check(intake: &Intake) -> Errors {
    let mut errors = Vec::new();
    if intake.schema_version != super::INTAKE_SCHEMA_VERSION {
        errors.push(IntakeError::new(
            "schema_version",
            format!("unsupported schema version {}", intake.schema_version),
            format!("{}", super::INTAKE_SCHEMA_VERSION),
        ));
    }
    if let Some(p) = &intake.personal {
        personal("personal", p, &mut errors);
    }
    each(
        "medications",
        intake.medications.as_deref(),
        medication,
        &mut errors,
    );
    each(
        "antibiotic_courses",
        intake.antibiotic_courses.as_deref(),
        antibiotic_course,
        &mut errors,
    );
    each(
        "diagnoses",
        intake.diagnoses.as_deref(),
        diagnosis,
        &mut errors,
    );
    list_len(
        "family_history",
        intake.family_history.as_deref(),
        &mut errors,
    );
    if let Some(g) = &intake.gi_symptoms {
        gi_symptoms("gi_symptoms", g, &mut errors);
    }
    if let Some(b) = &intake.bristol {
        bristol("bristol", b, &mut errors);
    }
    if let Some(d) = &intake.diet {
        diet("diet", d, &mut errors);
    }
    if let Some(s) = &intake.stress_sleep {
        stress_sleep("stress_sleep", s, &mut errors);
    }
    if let Some(e) = &intake.environment {
        environment("environment", e, &mut errors);
    }
    if let Some(g) = &intake.goals {
        goals("goals", g, &mut errors);
    }
    errors
}

pub(super) fn personal(path: &str, p: &Personal, errors: &mut Errors) {
    at_most(
        path,
        "age_years",
        p.age_years,
        0,
        MAX_AGE_YEARS,
        "years",
        errors,
    );
}

pub(super) fn medication(path: &str, m: &MedicationEntry, errors: &mut Errors) {
    text(path, "name", Some(&m.name), true, errors);
    text(path, "dose", m.dose.as_deref(), false, errors);
    at_most(
        path,
        "duration_months",
        m.duration_months,
        0,
        MAX_MONTHS,
        "months",
        errors,
    );
}

pub(super) fn antibiotic_course(path: &str, c: &AntibioticCourse, errors: &mut Errors) {
    text(path, "name", c.name.as_deref(), true, errors);
    text(path, "reason", c.reason.as_deref(), false, errors);
    at_most(
        path,
        "months_ago",
        Some(c.months_ago),
        0,
        MAX_COURSE_MONTHS_AGO,
        "months (courses in the last two years)",
        errors,
    );
    at_most(
        path,
        "duration_days",
        c.duration_days,
        1,
        MAX_COURSE_DAYS,
        "days",
        errors,
    );
}

pub(super) fn diagnosis(path: &str, d: &Diagnosis, errors: &mut Errors) {
    text(path, "name", Some(&d.name), true, errors);
    at_most(path, "year", d.year, MIN_YEAR, MAX_YEAR, "", errors);
}

pub(super) fn gi_symptoms(path: &str, g: &GiSymptoms, errors: &mut Errors) {
    at_most(
        path,
        "duration_months",
        g.duration_months,
        0,
        MAX_MONTHS,
        "months",
        errors,
    );
}

pub(super) fn bristol(path: &str, b: &StoolForm, errors: &mut Errors) {
    at_most(
        path,
        "usual_type",
        Some(b.usual_type),
        1,
        MAX_BRISTOL_TYPE,
        "",
        errors,
    );
    at_most(
        path,
        "bowel_movements_per_week",
        b.bowel_movements_per_week,
        0,
        MAX_BOWEL_MOVEMENTS_PER_WEEK,
        "",
        errors,
    );
}

pub(super) fn diet(path: &str, d: &Diet, errors: &mut Errors) {
    at_most(
        path,
        "plants_per_week",
        d.plants_per_week,
        0,
        MAX_PLANTS_PER_WEEK,
        "",
        errors,
    );
    at_most(
        path,
        "alcohol_drinks_per_week",
        d.alcohol_drinks_per_week,
        0,
        MAX_DRINKS_PER_WEEK,
        "",
        errors,
    );
    if let Some(restrictions) = &d.restrictions {
        let list_path = format!("{path}.restrictions");
        list_len(&list_path, Some(restrictions), errors);
        for (i, r) in restrictions.iter().enumerate() {
            let p = format!("{list_path}[{i}]");
            if r.excluded.is_empty() {
                errors.push(IntakeError::new(
                    format!("{p}.excluded"),
                    "no food group given",
                    "at least one food group",
                ));
            }
            at_most(
                &p,
                "months",
                Some(r.months),
                0,
                MAX_MONTHS,
                "months",
                errors,
            );
            text(&p, "note", r.note.as_deref(), false, errors);
        }
    }
    if let Some(foods) = &d.suspected_trigger_foods {
        texts(&format!("{path}.suspected_trigger_foods"), foods, errors);
    }
}

pub(super) fn stress_sleep(path: &str, s: &StressSleep, errors: &mut Errors) {
    answers(
        path,
        "pss10",
        s.pss10.as_deref(),
        PSS10_ITEMS,
        MAX_PSS_ANSWER,
        errors,
    );
    answers(
        path,
        "phq4",
        s.phq4.as_deref(),
        PHQ4_ITEMS,
        MAX_PHQ_ANSWER,
        errors,
    );
    answers(
        path,
        "gad7",
        s.gad7.as_deref(),
        GAD7_ITEMS,
        MAX_PHQ_ANSWER,
        errors,
    );
    if let Some(h) = s.sleep_hours
        && !(0.0..=MAX_SLEEP_HOURS).contains(&h)
    {
        errors.push(IntakeError::new(
            format!("{path}.sleep_hours"),
            format!("{h} is out of range"),
            format!("0 to {MAX_SLEEP_HOURS} hours"),
        ));
    }
    at_most(
        path,
        "long_hard_exercise_per_week",
        s.long_hard_exercise_per_week,
        0,
        MAX_EXERCISE_SESSIONS,
        "sessions",
        errors,
    );
}

pub(super) fn environment(path: &str, e: &Environment, errors: &mut Errors) {
    if let Some(places) = &e.places {
        let list_path = format!("{path}.places");
        list_len(&list_path, Some(places), errors);
        for (i, p) in places.iter().enumerate() {
            let item = format!("{list_path}[{i}]");
            at_most(
                &item,
                "years",
                Some(p.years),
                0,
                MAX_AGE_YEARS,
                "years",
                errors,
            );
            text(&item, "country", p.country.as_deref(), false, errors);
        }
        let current = places.iter().filter(|p| p.current).count();
        if current > 1 {
            errors.push(IntakeError::new(
                list_path,
                format!("{current} places marked current"),
                "at most one place marked current",
            ));
        }
    }
    text(path, "occupation", e.occupation.as_deref(), false, errors);
    list_len(&format!("{path}.exposures"), e.exposures.as_deref(), errors);
    list_len(&format!("{path}.pets"), e.pets.as_deref(), errors);
    at_most(
        path,
        "household_size",
        e.household_size,
        1,
        MAX_HOUSEHOLD,
        "people",
        errors,
    );
    if let Some(trips) = &e.recent_travel {
        let list_path = format!("{path}.recent_travel");
        list_len(&list_path, Some(trips), errors);
        for (i, t) in trips.iter().enumerate() {
            let item = format!("{list_path}[{i}]");
            text(&item, "destination", Some(&t.destination), true, errors);
            at_most(
                &item,
                "months_ago",
                Some(t.months_ago),
                0,
                MAX_TRAVEL_MONTHS_AGO,
                "months",
                errors,
            );
        }
    }
}

pub(super) fn goals(path: &str, g: &Goals, errors: &mut Errors) {
    texts(&format!("{path}.goals"), &g.goals, errors);
    text(
        path,
        "most_important",
        g.most_important.as_deref(),
        false,
        errors,
    );
}
