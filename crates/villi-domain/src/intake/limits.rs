//! Allowed ranges for intake answers, shared by validation and the JSON Schema.

/// Oldest age accepted, in years.
pub const MAX_AGE_YEARS: u8 = 120;
/// Longest duration accepted for a medication, restriction or symptom (100 years).
pub const MAX_MONTHS: u16 = 1200;
/// Antibiotic courses are asked about for the last two years.
pub const MAX_COURSE_MONTHS_AGO: u8 = 24;
/// Longest antibiotic course accepted, in days.
pub const MAX_COURSE_DAYS: u16 = 365;
/// Longest text accepted in a free-text answer, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Most entries accepted in any list (medications, places, foods...).
pub const MAX_LIST_LEN: usize = 100;
/// Earliest and latest year accepted for a diagnosis.
pub const MIN_YEAR: u16 = 1900;
/// Latest year accepted for a diagnosis.
pub const MAX_YEAR: u16 = 2100;
/// Highest Bristol stool form type.
pub const MAX_BRISTOL_TYPE: u8 = 7;
/// Most bowel movements per week accepted.
pub const MAX_BOWEL_MOVEMENTS_PER_WEEK: u16 = 140;
/// Most distinct plants per week accepted.
pub const MAX_PLANTS_PER_WEEK: u16 = 200;
/// Most alcoholic drinks per week accepted.
pub const MAX_DRINKS_PER_WEEK: u16 = 200;
/// PSS-10 items are answered 0-4.
pub const MAX_PSS_ANSWER: u8 = 4;
/// PHQ-4 and GAD-7 items are answered 0-3.
pub const MAX_PHQ_ANSWER: u8 = 3;
/// Number of PSS-10 items.
pub const PSS10_ITEMS: usize = 10;
/// Number of PHQ-4 items.
pub const PHQ4_ITEMS: usize = 4;
/// Number of GAD-7 items.
pub const GAD7_ITEMS: usize = 7;
/// Most hours of sleep per night accepted.
pub const MAX_SLEEP_HOURS: f32 = 24.0;
/// Most long, hard exercise sessions per week accepted.
pub const MAX_EXERCISE_SESSIONS: u8 = 50;
/// Largest household accepted.
pub const MAX_HOUSEHOLD: u8 = 50;
/// Recent travel is asked about for the last two years.
pub const MAX_TRAVEL_MONTHS_AGO: u8 = 24;
