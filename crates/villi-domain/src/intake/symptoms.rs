//! Warning signs, the GI symptom checklist and stool form.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{MAX_BOWEL_MOVEMENTS_PER_WEEK, MAX_BRISTOL_TYPE, MAX_MONTHS};

/// Yes/no answers screened before anything else; each can be a red flag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningSigns {
    /// Blood in or on the stool.
    pub blood_in_stool: Option<bool>,
    /// Black, tarry stools.
    pub black_stools: Option<bool>,
    /// Weight lost without trying.
    pub unintended_weight_loss: Option<bool>,
    /// Diarrhoea that wakes the client at night.
    pub nocturnal_diarrhoea: Option<bool>,
    /// Abdominal pain that wakes the client at night.
    pub nocturnal_pain: Option<bool>,
    /// A new change in bowel habit that has persisted for weeks.
    pub new_bowel_habit_change: Option<bool>,
    /// Fevers alongside the gut symptoms.
    pub fever: Option<bool>,
    /// Difficulty or pain swallowing.
    pub difficulty_swallowing: Option<bool>,
    /// Vomiting that keeps coming back.
    pub persistent_vomiting: Option<bool>,
    /// Anaemia diagnosed by a clinician.
    pub known_anaemia: Option<bool>,
}

/// The warning signs, named, so rules can refer to one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningSign {
    BloodInStool,
    BlackStools,
    UnintendedWeightLoss,
    NocturnalDiarrhoea,
    NocturnalPain,
    NewBowelHabitChange,
    Fever,
    DifficultySwallowing,
    PersistentVomiting,
    KnownAnaemia,
}

impl WarningSign {
    /// The field name in the intake, used in paths.
    pub fn field(self) -> &'static str {
        match self {
            Self::BloodInStool => "blood_in_stool",
            Self::BlackStools => "black_stools",
            Self::UnintendedWeightLoss => "unintended_weight_loss",
            Self::NocturnalDiarrhoea => "nocturnal_diarrhoea",
            Self::NocturnalPain => "nocturnal_pain",
            Self::NewBowelHabitChange => "new_bowel_habit_change",
            Self::Fever => "fever",
            Self::DifficultySwallowing => "difficulty_swallowing",
            Self::PersistentVomiting => "persistent_vomiting",
            Self::KnownAnaemia => "known_anaemia",
        }
    }
}

impl WarningSigns {
    /// The answer given for one sign.
    pub fn get(&self, sign: WarningSign) -> Option<bool> {
        match sign {
            WarningSign::BloodInStool => self.blood_in_stool,
            WarningSign::BlackStools => self.black_stools,
            WarningSign::UnintendedWeightLoss => self.unintended_weight_loss,
            WarningSign::NocturnalDiarrhoea => self.nocturnal_diarrhoea,
            WarningSign::NocturnalPain => self.nocturnal_pain,
            WarningSign::NewBowelHabitChange => self.new_bowel_habit_change,
            WarningSign::Fever => self.fever,
            WarningSign::DifficultySwallowing => self.difficulty_swallowing,
            WarningSign::PersistentVomiting => self.persistent_vomiting,
            WarningSign::KnownAnaemia => self.known_anaemia,
        }
    }
}

/// How often a symptom happens.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SymptomFrequency {
    Never,
    LessThanWeekly,
    Weekly,
    SeveralTimesAWeek,
    Daily,
}

impl SymptomFrequency {
    /// Points on the checklist (0-4).
    pub fn points(self) -> u32 {
        match self {
            Self::Never => 0,
            Self::LessThanWeekly => 1,
            Self::Weekly => 2,
            Self::SeveralTimesAWeek => 3,
            Self::Daily => 4,
        }
    }

    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::LessThanWeekly => "less than weekly",
            Self::Weekly => "weekly",
            Self::SeveralTimesAWeek => "several times a week",
            Self::Daily => "daily",
        }
    }
}

/// How bad a symptom is when it happens.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    None,
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    /// Points on the checklist (0-3).
    pub fn points(self) -> u32 {
        match self {
            Self::None => 0,
            Self::Mild => 1,
            Self::Moderate => 2,
            Self::Severe => 3,
        }
    }

    /// Words a person understands.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }
}

/// One symptom's frequency and severity over the last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SymptomRating {
    pub frequency: SymptomFrequency,
    pub severity: Severity,
}

/// villi's own GI symptom checklist (not a validated instrument).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GiSymptoms {
    pub bloating: Option<SymptomRating>,
    pub gas: Option<SymptomRating>,
    pub abdominal_pain: Option<SymptomRating>,
    pub constipation: Option<SymptomRating>,
    pub diarrhoea: Option<SymptomRating>,
    pub urgency: Option<SymptomRating>,
    pub incomplete_emptying: Option<SymptomRating>,
    pub reflux: Option<SymptomRating>,
    pub nausea: Option<SymptomRating>,
    pub belching: Option<SymptomRating>,
    pub food_reactions: Option<SymptomRating>,
    pub fatigue_after_meals: Option<SymptomRating>,
    /// How long the main symptoms have been present, in months.
    #[schemars(range(max = MAX_MONTHS))]
    pub duration_months: Option<u16>,
}

impl GiSymptoms {
    /// Every checklist field name with its rating, in checklist order.
    pub fn ratings(&self) -> [(&'static str, Option<SymptomRating>); 12] {
        [
            ("bloating", self.bloating),
            ("gas", self.gas),
            ("abdominal_pain", self.abdominal_pain),
            ("constipation", self.constipation),
            ("diarrhoea", self.diarrhoea),
            ("urgency", self.urgency),
            ("incomplete_emptying", self.incomplete_emptying),
            ("reflux", self.reflux),
            ("nausea", self.nausea),
            ("belching", self.belching),
            ("food_reactions", self.food_reactions),
            ("fatigue_after_meals", self.fatigue_after_meals),
        ]
    }
}

/// Usual stool form on the Bristol scale (types described in villi's own words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoolForm {
    /// The type seen most often over the last two weeks, 1-7.
    #[schemars(range(min = 1, max = MAX_BRISTOL_TYPE))]
    pub usual_type: u8,
    /// Bowel movements in a typical week.
    #[schemars(range(max = MAX_BOWEL_MOVEMENTS_PER_WEEK))]
    pub bowel_movements_per_week: Option<u16>,
    /// Stool form swings between hard and loose.
    pub alternates: Option<bool>,
}
