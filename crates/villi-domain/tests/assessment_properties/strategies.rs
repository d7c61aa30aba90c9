//! Generators of valid intakes for the property tests.

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;
use villi_domain::intake::*;

const NAMES: &[&str] = &[
    "omeprazole",
    "Nexium 40mg",
    "metformin",
    "metforminn",
    "Glucophage",
    "ibuprofen",
    "Advil",
    "Vimovo",
    "Microgynon",
    "prednisolone tablets",
    "Flixotide inhaler",
    "sertraline",
    "quetiapine",
    "atorvastatin",
    "tramadol",
    "Movicol",
    "amoxicillin",
    "azithromycin",
    "levothyroxine",
    "famotidine",
    "co-codamol 30/500",
    "paracetamol",
    "Entocort",
    "Prempro",
    "Glorbexitol",
    "vitamin D3",
    "magnesium glycinate",
    "aspirin 75mg",
];

pub fn medication() -> impl Strategy<Value = MedicationEntry> {
    (
        prop_oneof![4 => select(NAMES).prop_map(str::to_owned), 1 => "[a-z]{3,12}"],
        of(0u16..=240),
        of(select(vec![
            UseFrequency::Daily,
            UseFrequency::SeveralTimesAWeek,
            UseFrequency::AsNeeded,
        ])),
        of(select(vec![
            Route::Oral,
            Route::Inhaled,
            Route::Topical,
            Route::Injection,
        ])),
    )
        .prop_map(
            |(name, duration_months, frequency, route)| MedicationEntry {
                name,
                dose: None,
                duration_months,
                frequency,
                route,
            },
        )
}

fn course() -> impl Strategy<Value = AntibioticCourse> {
    (
        of(select(vec![
            "amoxicillin",
            "Zithromax",
            "doxycycline",
            "unknown pill",
        ])),
        0u8..=24,
        of(1u16..=30),
    )
        .prop_map(|(name, months_ago, duration_days)| AntibioticCourse {
            name: name.map(str::to_owned),
            months_ago,
            duration_days,
            reason: None,
        })
}

fn frequency() -> impl Strategy<Value = Frequency> {
    select(vec![
        Frequency::Never,
        Frequency::LessThanWeekly,
        Frequency::Weekly,
        Frequency::SeveralTimesAWeek,
        Frequency::Daily,
        Frequency::SeveralTimesADay,
    ])
}

fn restriction() -> impl Strategy<Value = Restriction> {
    (
        vec(
            select(vec![
                FoodGroup::Gluten,
                FoodGroup::Dairy,
                FoodGroup::HighFodmap,
                FoodGroup::Meat,
            ]),
            1..3,
        ),
        0u16..=36,
        select(vec![
            Advisor::Dietitian,
            Advisor::Doctor,
            Advisor::SelfDirected,
            Advisor::OnlineSource,
        ]),
    )
        .prop_map(|(excluded, months, advised_by)| Restriction {
            excluded,
            months,
            advised_by,
            reintroduction_planned: None,
            note: None,
        })
}

fn diet() -> impl Strategy<Value = Diet> {
    (
        of(0u16..=60),
        of(frequency()),
        of(frequency()),
        of(frequency()),
        of(0u16..=40),
        of(vec(restriction(), 0..3)),
        of(vec(
            select(vec!["onion", "garlic", "bread", "milk"]).prop_map(str::to_owned),
            0..3,
        )),
    )
        .prop_map(
            |(plants, sugar, upf, fermented, alcohol, restrictions, foods)| Diet {
                pattern: None,
                plants_per_week: plants,
                added_sugar: sugar,
                ultra_processed: upf,
                fermented_foods: fermented,
                alcohol_drinks_per_week: alcohol,
                restrictions,
                suspected_trigger_foods: foods,
            },
        )
}

fn stress() -> impl Strategy<Value = StressSleep> {
    (
        of(vec(0u8..=4, 10)),
        of(vec(0u8..=3, 4)),
        of(vec(0u8..=3, 7)),
        of(any::<bool>()),
        of(0u8..=8),
    )
        .prop_map(
            |(pss10, phq4, gad7, self_harm_thoughts, exercise)| StressSleep {
                pss10,
                phq4,
                gad7,
                self_harm_thoughts,
                sleep_hours: Some(7.0),
                sleep_quality: None,
                long_hard_exercise_per_week: exercise,
            },
        )
}

fn environment() -> impl Strategy<Value = Environment> {
    (
        vec(
            (
                select(vec![Setting::Urban, Setting::Suburban, Setting::Rural]),
                0u8..=40,
            ),
            0..4,
        ),
        any::<bool>(),
        of(vec(
            select(vec![
                Exposure::Pesticides,
                Exposure::Herbicides,
                Exposure::Mould,
                Exposure::Solvents,
            ]),
            0..3,
        )),
        of(vec(select(vec![Pet::Dog, Pet::Cat, Pet::Bird]), 0..3)),
    )
        .prop_map(|(places, mark_current, exposures, pets)| {
            let n = places.len();
            Environment {
                places: Some(
                    places
                        .into_iter()
                        .enumerate()
                        .map(|(i, (setting, years))| Place {
                            setting,
                            years,
                            current: mark_current && i + 1 == n,
                            country: None,
                        })
                        .collect(),
                ),
                occupation: None,
                exposures,
                pets,
                household_size: Some(2),
                recent_travel: None,
            }
        })
}

fn warning_signs() -> impl Strategy<Value = WarningSigns> {
    vec(of(prop::bool::weighted(0.15)), 10).prop_map(|v| WarningSigns {
        blood_in_stool: v[0],
        black_stools: v[1],
        unintended_weight_loss: v[2],
        nocturnal_diarrhoea: v[3],
        nocturnal_pain: v[4],
        new_bowel_habit_change: v[5],
        fever: v[6],
        difficulty_swallowing: v[7],
        persistent_vomiting: v[8],
        known_anaemia: v[9],
    })
}

pub fn intake() -> impl Strategy<Value = Intake> {
    (
        of((
            of(18u8..=90),
            of(select(vec![SexAtBirth::Female, SexAtBirth::Male])),
        )),
        of(warning_signs()),
        of(vec(
            select(vec![
                FamilyCondition::ColorectalCancer,
                FamilyCondition::Ibd,
                FamilyCondition::CoeliacDisease,
            ]),
            0..3,
        )),
        of(vec(medication(), 0..6)),
        of(vec(course(), 0..4)),
        of(vec(
            select(vec!["IBS", "anaemia", "asthma", "type 2 diabetes"]),
            0..3,
        )),
        of((1u8..=7).prop_map(|t| StoolForm {
            usual_type: t,
            bowel_movements_per_week: None,
            alternates: None,
        })),
        of(diet()),
        of(stress()),
        of(environment()),
    )
        .prop_map(
            |(personal, warning, family, meds, courses, diagnoses, bristol, diet, stress, env)| {
                let mut intake = Intake::empty();
                intake.personal = personal.map(|(age_years, sex_at_birth)| Personal {
                    age_years,
                    sex_at_birth,
                    ..Personal::default()
                });
                intake.warning_signs = warning;
                intake.family_history = family;
                intake.medications = meds;
                intake.antibiotic_courses = courses;
                intake.diagnoses = diagnoses.map(|d| {
                    d.into_iter()
                        .map(|name| Diagnosis {
                            name: name.to_owned(),
                            year: None,
                        })
                        .collect()
                });
                intake.bristol = bristol;
                intake.diet = diet;
                intake.stress_sleep = stress;
                intake.environment = env;
                intake
            },
        )
}

pub fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_map(|n| serde_json::json!(n)),
        "[a-z_]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            vec(
                (
                    select(vec![
                        "name",
                        "age_years",
                        "usual_type",
                        "pss10",
                        "places",
                        "x",
                        "months"
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| serde_json::Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}
