//! Weekly rules and date overrides.

use jiff::civil::Date;
use villi_domain::booking::{DateOverride, WeeklyRule};

use super::SqliteStore;
use crate::error::{StoreError, StoreResult};
use crate::rows::{self, OverrideRow, WeeklyRuleRow, override_columns, weekday_number};

impl SqliteStore {
    pub(crate) async fn replace_weekly_rules(
        &self,
        practitioner_id: &str,
        rules: &[WeeklyRule],
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM practitioners WHERE id = ?")
            .bind(practitioner_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM weekly_rules WHERE practitioner_id = ?")
            .bind(practitioner_id)
            .execute(&mut *tx)
            .await?;
        for rule in rules {
            sqlx::query(
                "INSERT INTO weekly_rules \
                 (practitioner_id, weekday, window_start, window_end, appointment_type) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(practitioner_id)
            .bind(weekday_number(rule.weekday))
            .bind(rule.window.start.to_string())
            .bind(rule.window.end.to_string())
            .bind(&rule.appointment_type)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn weekly_rules(&self, practitioner_id: &str) -> StoreResult<Vec<WeeklyRule>> {
        let rows: Vec<WeeklyRuleRow> = sqlx::query_as(
            "SELECT weekday, window_start, window_end, appointment_type FROM weekly_rules \
             WHERE practitioner_id = ? ORDER BY weekday, window_start, id",
        )
        .bind(practitioner_id)
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, WeeklyRuleRow::into_model)
    }

    pub(crate) async fn add_override(
        &self,
        practitioner_id: &str,
        date_override: &DateOverride,
    ) -> StoreResult<()> {
        let (kind, start, end) = override_columns(&date_override.kind);
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO date_overrides (practitioner_id, date, kind, window_start, window_end) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(practitioner_id)
        .bind(date_override.date.to_string())
        .bind(kind)
        .bind(start)
        .bind(end)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn overrides(
        &self,
        practitioner_id: &str,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<DateOverride>> {
        let rows: Vec<OverrideRow> = sqlx::query_as(
            "SELECT date, kind, window_start, window_end FROM date_overrides \
             WHERE practitioner_id = ? AND date >= ? AND date <= ? ORDER BY date, id",
        )
        .bind(practitioner_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, OverrideRow::into_model)
    }
}
