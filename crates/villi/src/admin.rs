//! Practice administration from the command line.

use std::process::ExitCode;

use anyhow::{Context, bail};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use villi_domain::booking::{DateOverride, OverrideKind, WeeklyRule, Window, weekday_name};
use villi_store::{NewPractitioner, Practitioner, Store};

use crate::cli::{AvailabilityCommand, PractitionerCommand};
use crate::config::Config;
use crate::server::open_store;

pub async fn practitioner(config: &Config, cmd: PractitionerCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match cmd {
        PractitionerCommand::Add {
            slug,
            name,
            email,
            time_zone,
            bio,
        } => {
            if TimeZone::get(&time_zone).is_err() {
                bail!("'{time_zone}' is not an IANA time zone such as Europe/London");
            }
            let p = store
                .add_practitioner(&NewPractitioner {
                    slug,
                    name,
                    email,
                    time_zone,
                    bio,
                })
                .await
                .context("could not add the practitioner")?;
            println!("Added {} ({}) in {}", p.name, p.slug, p.time_zone);
        }
        PractitionerCommand::List => {
            let list = store.practitioners().await?;
            if list.is_empty() {
                println!("No practitioners yet. Add one with `villi practitioner add`.");
            }
            for p in list {
                println!(
                    "{:<20} {:<30} {:<22} {}",
                    p.slug, p.name, p.time_zone, p.email
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn find(store: &Store, slug: &str) -> anyhow::Result<Practitioner> {
    store.practitioner_by_slug(slug).await?.with_context(|| {
        format!("no practitioner is called '{slug}' (see `villi practitioner list`)")
    })
}

pub async fn availability(config: &Config, cmd: AvailabilityCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match cmd {
        AvailabilityCommand::Set {
            practitioner,
            day,
            hours,
            appointment_type,
        } => {
            let p = find(&store, &practitioner).await?;
            let weekday = weekday_name::parse(&day)
                .with_context(|| format!("'{day}' is not a weekday (mon, tue, … or monday, …)"))?;
            let windows = hours
                .iter()
                .map(|h| Window::parse(h).with_context(|| format!("--hours {h}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut rules: Vec<WeeklyRule> = store
                .weekly_rules(&p.id)
                .await?
                .into_iter()
                .filter(|r| !(r.weekday == weekday && r.appointment_type == appointment_type))
                .collect();
            rules.extend(windows.into_iter().map(|window| WeeklyRule {
                weekday,
                window,
                appointment_type: appointment_type.clone(),
            }));
            store.replace_weekly_rules(&p.id, &rules).await?;
            println!(
                "{} on {}: {}",
                p.name,
                weekday_name::name(weekday),
                describe_day(&rules, weekday)
            );
        }
        AvailabilityCommand::Override {
            practitioner,
            date,
            day_off,
            off,
            extra,
        } => {
            let p = find(&store, &practitioner).await?;
            let date: Date = date
                .parse()
                .with_context(|| format!("--date '{date}' is not a date like 2026-12-24"))?;
            let kind = match (day_off, off, extra) {
                (true, _, _) => OverrideKind::DayOff,
                (_, Some(w), _) => OverrideKind::TimeOff {
                    window: Window::parse(&w).with_context(|| format!("--off {w}"))?,
                },
                (_, _, Some(w)) => OverrideKind::ExtraHours {
                    window: Window::parse(&w).with_context(|| format!("--extra {w}"))?,
                },
                _ => bail!("say what changes: --day-off, --off HH:MM-HH:MM or --extra HH:MM-HH:MM"),
            };
            store
                .add_override(&p.id, &DateOverride { date, kind })
                .await?;
            println!("Saved the change for {} on {date}.", p.name);
        }
        AvailabilityCommand::Show {
            practitioner,
            appointment_type,
            days,
        } => show(&store, &practitioner, &appointment_type, days).await?,
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_day(rules: &[WeeklyRule], day: jiff::civil::Weekday) -> String {
    let mut parts: Vec<String> = rules
        .iter()
        .filter(|r| r.weekday == day)
        .map(|r| match &r.appointment_type {
            Some(t) => format!("{} ({t} only)", r.window),
            None => r.window.to_string(),
        })
        .collect();
    parts.sort();
    if parts.is_empty() {
        "not available".to_owned()
    } else {
        parts.join(", ")
    }
}

async fn show(store: &Store, slug: &str, type_slug: &str, days: u32) -> anyhow::Result<()> {
    let p = find(store, slug).await?;
    let kind = store
        .appointment_type(type_slug)
        .await?
        .with_context(|| format!("no appointment type is called '{type_slug}'"))?;
    let zone = TimeZone::get(&p.time_zone)?;
    let rules = store.weekly_rules(&p.id).await?;
    println!("{} ({}), times in {}", p.name, p.slug, p.time_zone);
    for day in [
        jiff::civil::Weekday::Monday,
        jiff::civil::Weekday::Tuesday,
        jiff::civil::Weekday::Wednesday,
        jiff::civil::Weekday::Thursday,
        jiff::civil::Weekday::Friday,
        jiff::civil::Weekday::Saturday,
        jiff::civil::Weekday::Sunday,
    ] {
        println!(
            "  {:<10} {}",
            weekday_name::name(day),
            describe_day(&rules, day)
        );
    }
    let now = Timestamp::now();
    let today = now.to_zoned_datetime(zone.clone()).date();
    let last = today.checked_add(i64::from(days.clamp(1, 60)).days())?;
    let from = today.to_zoned_datetime(zone.clone())?.timestamp();
    let until = last.to_zoned_datetime(zone.clone())?.timestamp();
    let overrides = store.overrides(&p.id, today, last).await?;
    let existing = store.active_bookings(&p.id, from, until).await?;
    let query = villi_domain::booking::SlotQuery {
        time_zone: &zone,
        kind: &kind,
        rules: &rules,
        overrides: &overrides,
        existing: &existing,
        now,
        from,
        until,
    };
    let slots = villi_domain::booking::generate_slots(&query);
    println!(
        "Free {} slots in the next {days} days: {}",
        kind.slug,
        slots.len()
    );
    let mut current = None;
    for s in slots {
        let local = s.start.to_zoned_datetime(zone.clone());
        if current != Some(local.date()) {
            current = Some(local.date());
            print!("\n  {} ", local.strftime("%a %Y-%m-%d"));
        }
        print!(" {}", local.strftime("%H:%M"));
    }
    println!();
    Ok(())
}
