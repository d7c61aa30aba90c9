//! The `villi` binary as a person runs it: exit codes, stable JSON keys and
//! help texts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn villi(args: &[&str]) -> Output {
    let data = std::env::temp_dir().join(format!("villi-cli-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_villi"))
        .args(["--data-dir", data.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

fn repo(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.join(path).to_str().unwrap().to_owned()
}

fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("villi-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn every_command_explains_itself() {
    let out = villi(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "serve",
        "demo",
        "migrate",
        "practitioner",
        "availability",
        "assess",
        "medications",
        "labs",
    ] {
        assert!(text.contains(cmd), "{cmd} missing from --help");
    }
    assert!(villi(&["labs", "import", "--help"]).status.success());
}

#[test]
fn assessing_a_persona_gives_json_with_the_stable_keys() {
    let file =
        repo("crates/villi-domain/tests/fixtures/personas/01-long-term-metformin.intake.json");
    let out = villi(&["assess", &file, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "groups",
        "instruments",
        "red_flags",
        "unrecognised_medications",
        "missing_sections",
        "next_steps",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn an_invalid_intake_exits_2_naming_the_path() {
    let file = temp_file(
        "bad-intake.json",
        r#"{"schema_version": 1, "medications": [{"name": 7}], "shoe_size": 9}"#,
    );
    let out = villi(&["assess", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("medications[0]") || err.contains("shoe_size"),
        "{err}"
    );
}

#[test]
fn a_bad_lab_file_exits_2_with_its_issues() {
    let file = temp_file("bad.csv", "nothing useful here\n");
    let out = villi(&["labs", "import", &file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["report"].is_null());
    assert!(!json["issues"].as_array().unwrap().is_empty());
}

#[test]
fn a_lab_import_with_the_intake_links_results_to_it() {
    let lab = repo("crates/villi-labs/tests/fixtures/gimap_style_qpcr.hl7");
    let intake =
        repo("crates/villi-domain/tests/fixtures/personas/01-long-term-metformin.intake.json");
    let out = villi(&[
        "labs", "import", &lab, "--intake", &intake, "--format", "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["report", "results", "areas", "issues"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert!(json.to_string().to_lowercase().contains("metformin"));
}

#[test]
fn medication_search_resolves_a_misspelling() {
    let out = villi(&["medications", "search", "metforminn"]);
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("metformin"));
}

#[test]
fn appointment_types_and_questions_are_configured_from_the_command_line() {
    let data = std::env::temp_dir().join(format!("villi-cli-config-{}", std::process::id()));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_villi"))
            .args(["--data-dir", data.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "appointment-type",
        "set",
        "--slug",
        "follow-up",
        "--name",
        "Follow-up",
        "--duration",
        "30",
        "--buffer-after",
        "10",
        "--daily-cap",
        "4",
        "--price-label",
        "£60",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "appointment-type",
        "set",
        "--slug",
        "follow-up",
        "--public",
        "false",
    ]);
    assert!(out.status.success());
    let listed = String::from_utf8(run(&["appointment-type", "list"]).stdout).unwrap();
    assert!(
        listed.contains("follow-up: Follow-up · 30 min, buffers 0/10 min"),
        "{listed}"
    );
    assert!(
        listed.contains("at most 4 a day") && listed.contains("not public"),
        "{listed}"
    );
    let bad = run(&[
        "appointment-type",
        "set",
        "--slug",
        "odd",
        "--name",
        "Odd",
        "--duration",
        "1",
    ]);
    assert!(!bad.status.success());

    let questions = temp_file(
        "questions.json",
        r#"[{"key":"goal","label":"Main goal","kind":{"type":"choice","options":["Energy","Digestion"]},"required":true}]"#,
    );
    assert!(run(&["questions", "set", &questions]).status.success());
    let listed = String::from_utf8(run(&["questions", "list"]).stdout).unwrap();
    assert!(listed.contains("Main goal"));
    let broken = temp_file(
        "questions-bad.json",
        r#"[{"key":"Bad Key","label":"x","kind":{"type":"short_text"},"required":false}]"#,
    );
    assert_eq!(run(&["questions", "set", &broken]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&data);
}
