//! The client intake: what they take, eat, feel and live with.
//!
//! Every section is optional so a partial intake can be saved and assessed;
//! the assessment lists what is missing. Unknown fields are rejected so a typo
//! never silently drops an answer. [`Intake::from_json`] reports every problem
//! with its JSON path; [`intake_json_schema`] describes the format.

mod checks;
mod diet;
mod environment;
mod error;
pub mod limits;
mod medication;
mod parse;
mod personal;
mod schema;
mod stress;
mod symptoms;
mod validate;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use diet::{Advisor, Diet, DietPattern, FoodGroup, Frequency, Restriction};
pub use environment::{Environment, Exposure, Pet, Place, Setting, Travel};
pub use error::IntakeError;
pub use medication::{AntibioticCourse, MedicationEntry, Route, UseFrequency};
pub use personal::{Diagnosis, FamilyCondition, Goals, Personal, SexAtBirth, Smoking};
pub use schema::intake_json_schema;
pub use stress::{SleepQuality, StressSleep};
pub use symptoms::{
    GiSymptoms, Severity, StoolForm, SymptomFrequency, SymptomRating, WarningSign, WarningSigns,
};

/// The intake format version this build reads and writes.
pub const INTAKE_SCHEMA_VERSION: u32 = 1;

/// One client's intake answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Format version; must be 1.
    pub schema_version: u32,
    /// Age, sex at birth, pregnancy, smoking.
    pub personal: Option<Personal>,
    /// Yes/no warning signs, screened first.
    pub warning_signs: Option<WarningSigns>,
    /// Conditions in parents, siblings or children; an empty list means none.
    pub family_history: Option<Vec<FamilyCondition>>,
    /// Medications and supplements taken now; an empty list means none.
    pub medications: Option<Vec<MedicationEntry>>,
    /// Antibiotic courses in the last two years; an empty list means none.
    pub antibiotic_courses: Option<Vec<AntibioticCourse>>,
    /// Diagnoses given by a clinician; an empty list means none.
    pub diagnoses: Option<Vec<Diagnosis>>,
    /// The GI symptom checklist.
    pub gi_symptoms: Option<GiSymptoms>,
    /// Usual stool form.
    pub bristol: Option<StoolForm>,
    /// Eating pattern and habits.
    pub diet: Option<Diet>,
    /// Stress, mood and sleep questionnaires.
    pub stress_sleep: Option<StressSleep>,
    /// Places lived, work, exposures, pets, household, travel.
    pub environment: Option<Environment>,
    /// What the client wants to achieve.
    pub goals: Option<Goals>,
}

/// A top-level section of the intake.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IntakeSection {
    Personal,
    WarningSigns,
    FamilyHistory,
    Medications,
    AntibioticCourses,
    Diagnoses,
    GiSymptoms,
    Bristol,
    Diet,
    StressSleep,
    Environment,
    Goals,
}

impl IntakeSection {
    /// Every section, in the order the intake asks them.
    pub const ALL: [IntakeSection; 12] = [
        Self::Personal,
        Self::WarningSigns,
        Self::FamilyHistory,
        Self::Medications,
        Self::AntibioticCourses,
        Self::Diagnoses,
        Self::GiSymptoms,
        Self::Bristol,
        Self::Diet,
        Self::StressSleep,
        Self::Environment,
        Self::Goals,
    ];

    /// The JSON key of the section.
    pub fn key(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::WarningSigns => "warning_signs",
            Self::FamilyHistory => "family_history",
            Self::Medications => "medications",
            Self::AntibioticCourses => "antibiotic_courses",
            Self::Diagnoses => "diagnoses",
            Self::GiSymptoms => "gi_symptoms",
            Self::Bristol => "bristol",
            Self::Diet => "diet",
            Self::StressSleep => "stress_sleep",
            Self::Environment => "environment",
            Self::Goals => "goals",
        }
    }

    /// The section's heading in plain words.
    pub fn title(self) -> &'static str {
        match self {
            Self::Personal => "About you",
            Self::WarningSigns => "Warning signs",
            Self::FamilyHistory => "Family history",
            Self::Medications => "Medications and supplements",
            Self::AntibioticCourses => "Antibiotic courses (last two years)",
            Self::Diagnoses => "Diagnoses",
            Self::GiSymptoms => "Gut symptoms",
            Self::Bristol => "Stool form",
            Self::Diet => "Diet",
            Self::StressSleep => "Stress, mood and sleep",
            Self::Environment => "Environment",
            Self::Goals => "Goals",
        }
    }

    /// The section with this JSON key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Intake {
    /// An intake with no sections answered yet.
    pub fn empty() -> Self {
        Self {
            schema_version: INTAKE_SCHEMA_VERSION,
            personal: None,
            warning_signs: None,
            family_history: None,
            medications: None,
            antibiotic_courses: None,
            diagnoses: None,
            gi_symptoms: None,
            bristol: None,
            diet: None,
            stress_sleep: None,
            environment: None,
            goals: None,
        }
    }

    /// Parses and validates an intake, reporting every problem found.
    pub fn from_json(text: &str) -> Result<Intake, Vec<IntakeError>> {
        parse::from_json(text)
    }

    /// Checks ranges and lengths that the types alone cannot express.
    pub fn validate(&self) -> Result<(), Vec<IntakeError>> {
        let errors = validate::check(self);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether a section was answered (an empty list counts as answered).
    pub fn has_section(&self, section: IntakeSection) -> bool {
        match section {
            IntakeSection::Personal => self.personal.is_some(),
            IntakeSection::WarningSigns => self.warning_signs.is_some(),
            IntakeSection::FamilyHistory => self.family_history.is_some(),
            IntakeSection::Medications => self.medications.is_some(),
            IntakeSection::AntibioticCourses => self.antibiotic_courses.is_some(),
            IntakeSection::Diagnoses => self.diagnoses.is_some(),
            IntakeSection::GiSymptoms => self.gi_symptoms.is_some(),
            IntakeSection::Bristol => self.bristol.is_some(),
            IntakeSection::Diet => self.diet.is_some(),
            IntakeSection::StressSleep => self.stress_sleep.is_some(),
            IntakeSection::Environment => self.environment.is_some(),
            IntakeSection::Goals => self.goals.is_some(),
        }
    }

    /// Sections not answered yet, in intake order.
    pub fn missing_sections(&self) -> Vec<IntakeSection> {
        IntakeSection::ALL
            .into_iter()
            .filter(|s| !self.has_section(*s))
            .collect()
    }
}
