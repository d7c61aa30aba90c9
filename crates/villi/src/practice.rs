//! Practice settings from the command line: appointment types and the
//! questions asked at booking.

use std::process::ExitCode;

use anyhow::{Context, bail};
use villi_domain::booking::AppointmentType;
use villi_store::Question;

use crate::cli::{AppointmentTypeCommand, QuestionsCommand};
use crate::config::Config;
use crate::server::open_store;

pub async fn appointment_type(
    config: &Config,
    cmd: AppointmentTypeCommand,
) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match cmd {
        AppointmentTypeCommand::Set {
            slug,
            name,
            duration,
            buffer_before,
            buffer_after,
            min_notice_hours,
            horizon_days,
            daily_cap,
            interval,
            price_label,
            public,
        } => {
            let mut kind = match store.appointment_type(&slug).await? {
                Some(existing) => existing,
                None => {
                    let (Some(name), Some(duration)) = (&name, duration) else {
                        bail!("a new appointment type needs --name and --duration");
                    };
                    AppointmentType::new(&slug, name, duration)
                }
            };
            if let Some(v) = name {
                kind.name = v;
            }
            if let Some(v) = duration {
                kind.duration_min = v;
            }
            if let Some(v) = buffer_before {
                kind.buffer_before_min = v;
            }
            if let Some(v) = buffer_after {
                kind.buffer_after_min = v;
            }
            if let Some(v) = min_notice_hours {
                kind.min_notice_min = v.saturating_mul(60);
            }
            if let Some(v) = horizon_days {
                kind.horizon_days = v;
            }
            if let Some(v) = daily_cap {
                kind.daily_cap = (v > 0).then_some(v);
            }
            if let Some(v) = interval {
                kind.slot_interval_min = v;
            }
            if let Some(v) = price_label {
                kind.price_label = v;
            }
            if let Some(v) = public {
                kind.public = v;
            }
            kind.validate()
                .with_context(|| format!("appointment type '{slug}'"))?;
            store.upsert_appointment_type(&kind).await?;
            println!("Saved {}", describe(&kind));
        }
        AppointmentTypeCommand::List => {
            for kind in store.appointment_types().await? {
                println!("{}", describe(&kind));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(k: &AppointmentType) -> String {
    let cap = k.daily_cap.map_or_else(
        || "no daily cap".to_owned(),
        |c| format!("at most {c} a day"),
    );
    format!(
        "{slug}: {name} · {d} min, buffers {b}/{a} min, every {i} min, notice {n} h, \
         {h} days ahead, {cap}, {price}, {visibility}",
        slug = k.slug,
        name = k.name,
        d = k.duration_min,
        b = k.buffer_before_min,
        a = k.buffer_after_min,
        i = k.slot_interval_min,
        n = k.min_notice_min / 60,
        h = k.horizon_days,
        price = k.price_label,
        visibility = if k.public { "public" } else { "not public" },
    )
}

pub async fn questions(config: &Config, cmd: QuestionsCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match cmd {
        QuestionsCommand::Set { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let questions: Vec<Question> = match serde_json::from_str(&text) {
                Ok(q) => q,
                Err(e) => {
                    eprintln!(
                        "{}: line {}, column {}: {e}",
                        file.display(),
                        e.line(),
                        e.column()
                    );
                    return Ok(ExitCode::from(2));
                }
            };
            if let Some(problem) = check_questions(&questions) {
                eprintln!("{}: {problem}", file.display());
                return Ok(ExitCode::from(2));
            }
            store.replace_questions(&questions).await?;
            println!("Saved {} question(s).", questions.len());
        }
        QuestionsCommand::List => {
            println!(
                "{}",
                serde_json::to_string_pretty(&store.questions().await?)?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Keys become form field names: keep them short and plain, and unique.
fn check_questions(questions: &[Question]) -> Option<String> {
    for (i, q) in questions.iter().enumerate() {
        let key_ok = !q.key.is_empty()
            && q.key.len() <= 40
            && q.key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            return Some(format!(
                "question {i}: key '{}' must be 1-40 of a-z, 0-9 and _",
                q.key
            ));
        }
        if questions[..i].iter().any(|o| o.key == q.key) {
            return Some(format!("question {i}: key '{}' is used twice", q.key));
        }
        if q.label.trim().is_empty() {
            return Some(format!("question {i} ('{}'): the label is empty", q.key));
        }
        if let villi_store::QuestionKind::Choice { options } = &q.kind
            && options.is_empty()
        {
            return Some(format!(
                "question {i} ('{}'): a choice needs options",
                q.key
            ));
        }
    }
    None
}
