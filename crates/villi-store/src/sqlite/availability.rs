//! Weekly rules and date overrides.

use jiff::civil::Date;
use rusqlite::Connection;
use villi_domain::booking::{DateOverride, WeeklyRule};

use super::SqliteStore;
use super::rows::{all_rows, execute, scalar};
use crate::error::{StoreError, StoreResult};
use crate::rows::{self, OverrideRow, WeeklyRuleRow, override_columns, weekday_number};

fn replace_rules_in(
    tx: &Connection,
    practitioner_id: &str,
    rules: &[WeeklyRule],
) -> StoreResult<()> {
    let known: Option<i64> = scalar(
        tx,
        "SELECT 1 FROM practitioners WHERE id = ?",
        [practitioner_id],
    )?;
    if known.is_none() {
        return Err(StoreError::NotFound);
    }
    execute(
        tx,
        "DELETE FROM weekly_rules WHERE practitioner_id = ?",
        [practitioner_id],
    )?;
    for rule in rules {
        execute(
            tx,
            "INSERT INTO weekly_rules \
             (practitioner_id, weekday, window_start, window_end, appointment_type) \
             VALUES (?, ?, ?, ?, ?)",
            (
                practitioner_id,
                weekday_number(rule.weekday),
                rule.window.start.to_string(),
                rule.window.end.to_string(),
                &rule.appointment_type,
            ),
        )?;
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn replace_weekly_rules(
        &self,
        practitioner_id: &str,
        rules: &[WeeklyRule],
    ) -> StoreResult<()> {
        let (practitioner_id, rules) = (practitioner_id.to_owned(), rules.to_vec());
        self.write(move |tx| replace_rules_in(tx, &practitioner_id, &rules))
            .await
    }

    pub(crate) async fn weekly_rules(&self, practitioner_id: &str) -> StoreResult<Vec<WeeklyRule>> {
        let practitioner_id = practitioner_id.to_owned();
        self.read(move |conn| {
            let rows: Vec<WeeklyRuleRow> = all_rows(
                conn,
                "SELECT weekday, window_start, window_end, appointment_type FROM weekly_rules \
                 WHERE practitioner_id = ? ORDER BY weekday, window_start, id",
                [&practitioner_id],
            )?;
            rows::all(rows, WeeklyRuleRow::into_model)
        })
        .await
    }

    pub(crate) async fn add_override(
        &self,
        practitioner_id: &str,
        date_override: &DateOverride,
    ) -> StoreResult<()> {
        let (kind, start, end) = override_columns(&date_override.kind);
        let practitioner_id = practitioner_id.to_owned();
        let date = date_override.date.to_string();
        self.write(move |tx| {
            execute(
                tx,
                "INSERT INTO date_overrides \
                 (practitioner_id, date, kind, window_start, window_end) VALUES (?, ?, ?, ?, ?)",
                (&practitioner_id, &date, kind, &start, &end),
            )
            .map(drop)
        })
        .await
    }

    pub(crate) async fn overrides(
        &self,
        practitioner_id: &str,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<DateOverride>> {
        let practitioner_id = practitioner_id.to_owned();
        self.read(move |conn| {
            let rows: Vec<OverrideRow> = all_rows(
                conn,
                "SELECT date, kind, window_start, window_end FROM date_overrides \
                 WHERE practitioner_id = ? AND date >= ? AND date <= ? ORDER BY date, id",
                (&practitioner_id, from.to_string(), to.to_string()),
            )?;
            rows::all(rows, OverrideRow::into_model)
        })
        .await
    }
}
