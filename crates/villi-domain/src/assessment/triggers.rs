//! Evaluating a rule's trigger against the facts: which answers fire it.

use super::facts::{Facts, MedFact};
use super::model::TriggerHit;
use crate::intake::{UseFrequency, WarningSigns};
use crate::knowledge::matching::Resolution;
use crate::knowledge::{CourseTrigger, FrequencyTrigger, MedicationTrigger, Trigger};

fn hit(path: impl Into<String>, answer: impl Into<String>) -> TriggerHit {
    TriggerHit {
        path: path.into(),
        answer: answer.into(),
        to_confirm: None,
    }
}

/// Every answer that fires `trigger`; empty when it does not fire.
pub(crate) fn evaluate(trigger: &Trigger, f: &Facts<'_>) -> Vec<TriggerHit> {
    let intake = f.intake;
    let diet = intake.diet.as_ref();
    let stress = intake.stress_sleep.as_ref();
    let env = intake.environment.as_ref();
    match trigger {
        Trigger::Medication(m) => f
            .meds
            .iter()
            .filter_map(|med| medication(m, med, f))
            .collect(),
        Trigger::AnyMedication => f
            .meds
            .iter()
            .filter(|m| m.matched.is_assessed())
            .map(|m| hit(&m.path, m.describe()))
            .collect(),
        Trigger::AntibioticCourse(c) => courses(c, f),
        Trigger::PlantsPerWeekAtMost { value } => diet
            .and_then(|d| d.plants_per_week)
            .filter(|n| n <= value)
            .map(|n| {
                vec![hit(
                    "diet.plants_per_week",
                    format!("{n} distinct plants a week"),
                )]
            })
            .unwrap_or_default(),
        Trigger::DietFrequency(t) => frequency(t, f),
        Trigger::AlcoholAtLeast { drinks_per_week } => diet
            .and_then(|d| d.alcohol_drinks_per_week)
            .filter(|n| n >= drinks_per_week)
            .map(|n| {
                vec![hit(
                    "diet.alcohol_drinks_per_week",
                    format!("{n} drinks a week"),
                )]
            })
            .unwrap_or_default(),
        Trigger::Restriction {
            min_months,
            unsupervised_only,
        } => diet
            .and_then(|d| d.restrictions.as_ref())
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, r)| {
                r.months >= *min_months && !(*unsupervised_only && r.advised_by.supervised())
            })
            .map(|(i, r)| {
                let groups: Vec<&str> = r.excluded.iter().map(|g| g.label()).collect();
                hit(
                    format!("diet.restrictions[{i}]"),
                    format!(
                        "{} excluded for {} months ({})",
                        groups.join(", "),
                        r.months,
                        r.advised_by.label()
                    ),
                )
            })
            .collect(),
        Trigger::SuspectedTriggerFoods => diet
            .and_then(|d| d.suspected_trigger_foods.as_ref())
            .filter(|foods| !foods.is_empty())
            .map(|foods| vec![hit("diet.suspected_trigger_foods", foods.join(", "))])
            .unwrap_or_default(),
        Trigger::ScoreAtLeast { score, value } => f
            .scores
            .get(score)
            .filter(|s| s.value >= *value)
            .map(|s| vec![hit(&s.path, format!("{} {}", s.label, s.value))])
            .unwrap_or_default(),
        Trigger::LongHardExerciseAtLeast { sessions_per_week } => stress
            .and_then(|s| s.long_hard_exercise_per_week)
            .filter(|n| n >= sessions_per_week)
            .map(|n| {
                vec![hit(
                    "stress_sleep.long_hard_exercise_per_week",
                    format!("{n} long, hard sessions a week"),
                )]
            })
            .unwrap_or_default(),
        Trigger::MovedRuralToUrban => moved_rural_to_urban(f),
        Trigger::Exposure { any_of } => env
            .and_then(|e| e.exposures.as_ref())
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, x)| any_of.contains(x))
            .map(|(i, x)| hit(format!("environment.exposures[{i}]"), x.label()))
            .collect(),
        Trigger::Pets => env
            .and_then(|e| e.pets.as_ref())
            .filter(|pets| !pets.is_empty())
            .map(|pets| {
                let names: Vec<&str> = pets.iter().map(|p| p.label()).collect();
                vec![hit("environment.pets", names.join(", "))]
            })
            .unwrap_or_default(),
        Trigger::WarningSign { sign } => intake
            .warning_signs
            .as_ref()
            .and_then(|w| w.get(*sign))
            .filter(|yes| *yes)
            .map(|_| vec![hit(format!("warning_signs.{}", sign.field()), "yes")])
            .unwrap_or_default(),
        Trigger::NewBowelChangeFromAge { age } => {
            bowel_change(intake.warning_signs.as_ref(), *age, f)
        }
        Trigger::FamilyHistory { any_of } => intake
            .family_history
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, c)| any_of.contains(c))
            .map(|(i, c)| hit(format!("family_history[{i}]"), c.label()))
            .collect(),
        Trigger::DiagnosisMentions { words } => intake
            .diagnoses
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, d)| {
                let name = d.name.to_lowercase();
                words.iter().any(|w| name.contains(&w.to_lowercase()))
            })
            .map(|(i, d)| hit(format!("diagnoses[{i}]"), d.name.clone()))
            .collect(),
        Trigger::SelfHarmThoughts => stress
            .and_then(|s| s.self_harm_thoughts)
            .filter(|yes| *yes)
            .map(|_| vec![hit("stress_sleep.self_harm_thoughts", "yes")])
            .unwrap_or_default(),
        Trigger::AnyOf { triggers } => triggers.iter().flat_map(|t| evaluate(t, f)).collect(),
    }
}

fn medication(t: &MedicationTrigger, med: &MedFact<'_>, f: &Facts<'_>) -> Option<TriggerHit> {
    if !med.matched.is_assessed() {
        return None;
    }
    let class_hit = |class: &str| {
        t.classes.iter().any(|c| c == class)
            || f.family_of(class)
                .is_some_and(|fam| t.families.iter().any(|x| x == fam))
    };
    let matches = med.ingredients.iter().any(|(ing, class)| {
        !t.except_ingredients.contains(&ing.id)
            && (class_hit(class) || t.ingredients.contains(&ing.id))
            && route_ok(t, med, ing.usual_route())
    }) || med
        .extra_classes
        .iter()
        .any(|c| class_hit(c) && route_ok(t, med, crate::intake::Route::Oral));
    if !matches {
        return None;
    }
    let mut to_confirm = Vec::new();
    if let Some(min) = t.min_months {
        match med.entry.duration_months {
            Some(m) if m < min => return None,
            Some(_) => {}
            None => to_confirm.push(format!(
                "duration not given; applies with use of {min} months or more"
            )),
        }
    }
    if t.regular_use {
        match med.entry.frequency {
            Some(UseFrequency::AsNeeded) => return None,
            Some(_) => {}
            None => to_confirm
                .push("how often it is taken was not given; applies to regular use".to_owned()),
        }
    }
    if med.matched.resolution == Resolution::ToConfirm {
        let names: Vec<&str> = med
            .matched
            .ingredients
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        to_confirm.push(format!(
            "name matched approximately; confirm it is {}",
            names.join(" + ")
        ));
    }
    Some(TriggerHit {
        path: med.path.clone(),
        answer: med.describe(),
        to_confirm: (!to_confirm.is_empty()).then(|| to_confirm.join("; ")),
    })
}

/// Route conditions use the route given or suggested by the name, falling
/// back to the ingredient's usual route.
fn route_ok(t: &MedicationTrigger, med: &MedFact<'_>, usual: crate::intake::Route) -> bool {
    t.routes.is_empty() || t.routes.contains(&med.route.unwrap_or(usual))
}

fn courses(t: &CourseTrigger, f: &Facts<'_>) -> Vec<TriggerHit> {
    let class_ok = |classes: &[&str]| {
        t.classes.is_empty() || classes.iter().any(|c| t.classes.iter().any(|x| x == c))
    };
    let mut hits: Vec<TriggerHit> = f
        .courses
        .iter()
        .filter(|c| (t.min_months_ago..=t.max_months_ago).contains(&c.course.months_ago))
        .filter(|c| class_ok(&c.classes))
        .map(|c| hit(&c.path, c.describe()))
        .collect();
    if t.include_current {
        for med in f.meds.iter().filter(|m| m.matched.is_assessed()) {
            let classes: Vec<&str> = med.ingredients.iter().map(|(_, c)| *c).collect();
            let antibiotic = classes.iter().any(|c| f.family_of(c) == Some("antibiotic"));
            if antibiotic && class_ok(&classes) {
                hits.push(hit(
                    &med.path,
                    format!("current course: {}", med.describe()),
                ));
            }
        }
    }
    hits
}

fn frequency(t: &FrequencyTrigger, f: &Facts<'_>) -> Vec<TriggerHit> {
    let Some(diet) = f.intake.diet.as_ref() else {
        return Vec::new();
    };
    let answer = match t.item {
        crate::knowledge::DietItem::AddedSugar => diet.added_sugar,
        crate::knowledge::DietItem::UltraProcessed => diet.ultra_processed,
        crate::knowledge::DietItem::FermentedFoods => diet.fermented_foods,
    };
    let Some(value) = answer else {
        return Vec::new();
    };
    let above = t.at_least.is_none_or(|min| value >= min);
    let below = t.at_most.is_none_or(|max| value <= max);
    if above && below {
        vec![hit(format!("diet.{}", t.item.field()), value.label())]
    } else {
        Vec::new()
    }
}

fn moved_rural_to_urban(f: &Facts<'_>) -> Vec<TriggerHit> {
    use crate::intake::Setting;
    let places = f
        .intake
        .environment
        .as_ref()
        .and_then(|e| e.places.as_ref());
    let Some(places) = places else {
        return Vec::new();
    };
    let rural: Vec<_> = places
        .iter()
        .filter(|p| p.setting == Setting::Rural && !p.current)
        .collect();
    let describe = |rural_years: u8, urban_years: u8| {
        format!("rural for {rural_years} years, now urban for {urban_years} years")
    };
    let rural_years = rural.iter().map(|p| u32::from(p.years)).sum::<u32>();
    let rural_years = u8::try_from(rural_years).unwrap_or(u8::MAX);
    if let Some(now) = places.iter().find(|p| p.current) {
        if now.setting == Setting::Urban && !rural.is_empty() {
            return vec![hit("environment.places", describe(rural_years, now.years))];
        }
        return Vec::new();
    }
    // No place marked current: a rural and an urban place are both there,
    // but the order of the move cannot be told. Years are summed so the
    // answer does not depend on list order.
    let urban_years: u32 = places
        .iter()
        .filter(|p| p.setting == Setting::Urban)
        .map(|p| u32::from(p.years))
        .sum();
    let has_urban = places.iter().any(|p| p.setting == Setting::Urban);
    if rural.is_empty() || !has_urban {
        return Vec::new();
    }
    vec![TriggerHit {
        path: "environment.places".to_owned(),
        answer: describe(rural_years, u8::try_from(urban_years).unwrap_or(u8::MAX)),
        to_confirm: Some(
            "no place is marked current; confirm the move was from rural to urban".to_owned(),
        ),
    }]
}

fn bowel_change(signs: Option<&WarningSigns>, age: u8, f: &Facts<'_>) -> Vec<TriggerHit> {
    if signs.and_then(|w| w.new_bowel_habit_change) != Some(true) {
        return Vec::new();
    }
    let path = "warning_signs.new_bowel_habit_change";
    match f.intake.personal.as_ref().and_then(|p| p.age_years) {
        Some(a) if a >= age => vec![hit(path, format!("yes, at age {a}"))],
        Some(_) => Vec::new(),
        None => vec![TriggerHit {
            path: path.to_owned(),
            answer: "yes".to_owned(),
            to_confirm: Some(format!(
                "age not given; this is a red flag at {age} or over"
            )),
        }],
    }
}
