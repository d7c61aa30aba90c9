#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Questionnaire metadata, the practice-supplied PSS-10 item file, and the
//! public overview page.

use villi_domain::knowledge::{Group, KnowledgeBase, Licence, parse_pss10_items, public_overview};

#[test]
fn phq4_and_gad7_ship_in_full_with_their_notice() {
    let kb = KnowledgeBase::embedded();
    for (id, items) in [("phq4", 4), ("gad7", 7)] {
        let inst = kb.instrument(id).unwrap();
        assert_eq!(inst.licence, Licence::FreeWithNotice);
        assert!(
            inst.notice
                .as_deref()
                .unwrap()
                .contains("No permission required")
        );
        assert_eq!(inst.items.len(), items);
        assert!(inst.items.iter().all(|i| i.text.is_some()));
    }
}

#[test]
fn pss10_ships_scoring_and_topics_only_with_items_4_5_7_8_reversed() {
    let inst = KnowledgeBase::embedded().instrument("pss10").unwrap();
    assert_eq!(inst.licence, Licence::MetadataOnly);
    assert!(
        inst.items
            .iter()
            .all(|i| i.text.is_none() && !i.topic.is_empty())
    );
    assert_eq!(inst.reverse_items(), [4, 5, 7, 8]);
    assert_eq!((inst.min, inst.max), (Some(0), Some(40)));
    assert!(
        inst.bands.iter().all(|b| !b.verified),
        "PSS bands are not official"
    );
}

#[test]
fn the_bristol_scale_uses_villis_own_seven_descriptions() {
    let inst = KnowledgeBase::embedded().instrument("bristol").unwrap();
    assert_eq!(inst.licence, Licence::OwnWording);
    assert_eq!(inst.items.len(), 7);
    assert_eq!(inst.band_for(1).unwrap().id, "hard");
    assert_eq!(inst.band_for(4).unwrap().id, "typical");
    assert_eq!(inst.band_for(7).unwrap().id, "loose");
}

#[test]
fn a_practice_supplied_pss10_item_file_is_read() {
    let items: Vec<String> = (1..=10).map(|n| format!("\"Item {n} wording\"")).collect();
    let file = format!(
        "attribution = \"Used with permission\"\ninstructions = \"In the last month...\"\nitems = [{}]\n",
        items.join(", ")
    );
    let parsed = parse_pss10_items(&file).unwrap();
    assert_eq!(parsed.items.len(), 10);
    assert_eq!(parsed.items[3], "Item 4 wording");
    assert_eq!(parsed.attribution.as_deref(), Some("Used with permission"));
}

#[test]
fn a_pss10_item_file_with_problems_reports_each_one() {
    let errors = parse_pss10_items("items = [\"one\", \"\", \"three\"]\n").unwrap_err();
    let locations: Vec<&str> = errors.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(locations, ["items", "items[1]"]);
    let errors = parse_pss10_items("items = [\"one\",\n  unquoted]\n").unwrap_err();
    assert_eq!(errors[0].location, "line 2");
    let errors = parse_pss10_items("colour = \"blue\"\nitems = []\n").unwrap_err();
    assert!(errors[0].problem.contains("unknown field"), "{errors:?}");
}

#[test]
fn the_public_overview_has_four_plain_groups_with_grades_and_sources() {
    let kb = KnowledgeBase::embedded();
    let o = public_overview(kb);
    let groups: Vec<Group> = o.groups.iter().map(|g| g.group).collect();
    assert_eq!(groups, Group::ALL);
    assert!(o.caveats.iter().any(|c| c.contains("prescriber")));
    for g in &o.groups {
        assert!(!g.title.is_empty() && !g.intro.is_empty());
        assert!(!g.items.is_empty(), "{:?} has no items", g.group);
        for item in g.items.iter().chain(&g.evidence_notes) {
            assert!(!item.sources.is_empty(), "{}", item.id);
            for s in &item.sources {
                assert!(
                    o.sources.iter().any(|x| &x.id == s),
                    "{} cites {s} missing from sources",
                    item.id
                );
            }
        }
        let grades: Vec<_> = g.items.iter().map(|i| i.grade).collect();
        assert!(
            grades.windows(2).all(|w| w[0] >= w[1]),
            "strongest first in {:?}",
            g.group
        );
    }
    let meds = &o.groups[0];
    assert!(
        meds.evidence_notes
            .iter()
            .any(|n| n.id == "oral-oestrogen-permeability-note")
    );
    assert!(o.sources.iter().any(|s| !s.verified));
    assert!(
        o.sources
            .iter()
            .all(|s| !s.citation.contains("[unverified]"))
    );
}
