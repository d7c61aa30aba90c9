//! What the stool-test interpretation needs to know from an assessed intake:
//! the medication classes (with their families and ingredients), and whether
//! a recent antibiotic course or daily NSAID use was found.

use super::Assessment;
use crate::knowledge::KnowledgeBase;
use crate::labs::IntakeContext;

/// Contributor ids whose presence means "antibiotics in the recent past".
const RECENT_ANTIBIOTICS: &[&str] = &["antibiotic-recent-course", "macrolide-delayed-recovery"];
/// Contributor ids that fire only for daily or near-daily NSAID use.
const DAILY_NSAID: &[&str] = &["nsaid-small-intestinal-permeability"];

/// The intake facts lab results are linked to.
pub fn lab_context(assessment: &Assessment, kb: &KnowledgeBase) -> IntakeContext {
    let mut classes: Vec<String> = Vec::new();
    for med in &assessment.medications {
        for applied in &med.classes {
            classes.push(applied.class.clone());
            classes.push(applied.ingredient.clone());
            if let Some(class) = kb.class(&applied.class) {
                classes.push(class.family.clone());
            }
        }
    }
    classes.sort();
    classes.dedup();
    let fired = |ids: &[&str]| {
        assessment
            .groups
            .iter()
            .flat_map(|g| &g.contributors)
            .any(|c| ids.contains(&c.id.as_str()))
    };
    IntakeContext {
        medication_classes: classes,
        recent_antibiotics: fired(RECENT_ANTIBIOTICS),
        daily_nsaid: fired(DAILY_NSAID),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::assess;
    use crate::intake::Intake;

    fn persona(name: &str) -> IntakeContext {
        let path = format!(
            "{}/tests/fixtures/personas/{name}.intake.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let kb = KnowledgeBase::embedded();
        lab_context(&assess(&Intake::from_json(&text).unwrap(), kb), kb)
    }

    #[test]
    fn metformin_users_link_to_the_metformin_lab_rules() {
        let ctx = persona("01-long-term-metformin");
        assert!(ctx.has("medication:metformin"), "{ctx:?}");
        assert!(!ctx.daily_nsaid);
    }

    #[test]
    fn daily_nsaid_and_recent_antibiotics_are_carried_over() {
        assert!(persona("04-daily-nsaid").daily_nsaid);
        let antibiotics = persona("03-recent-antibiotics");
        assert!(antibiotics.recent_antibiotics);
        assert!(antibiotics.has("medication:antibiotic") || antibiotics.recent_antibiotics);
    }
}
