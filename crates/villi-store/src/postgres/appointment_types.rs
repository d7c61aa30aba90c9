//! Appointment types.

use villi_domain::booking::AppointmentType;

use super::PgStore;
use crate::error::StoreResult;
use crate::rows::{self, AppointmentTypeRow, appointment_type_columns};

impl PgStore {
    pub(crate) async fn upsert_appointment_type(&self, kind: &AppointmentType) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO appointment_types (slug, name, duration_min, buffer_before_min, \
             buffer_after_min, min_notice_min, horizon_days, daily_cap, public, price_label, \
             slot_interval_min) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, \
             duration_min = excluded.duration_min, \
             buffer_before_min = excluded.buffer_before_min, \
             buffer_after_min = excluded.buffer_after_min, \
             min_notice_min = excluded.min_notice_min, horizon_days = excluded.horizon_days, \
             daily_cap = excluded.daily_cap, public = excluded.public, \
             price_label = excluded.price_label, slot_interval_min = excluded.slot_interval_min",
        )
        .bind(&kind.slug)
        .bind(&kind.name)
        .bind(i64::from(kind.duration_min))
        .bind(i64::from(kind.buffer_before_min))
        .bind(i64::from(kind.buffer_after_min))
        .bind(i64::from(kind.min_notice_min))
        .bind(i64::from(kind.horizon_days))
        .bind(kind.daily_cap.map(i64::from))
        .bind(kind.public)
        .bind(&kind.price_label)
        .bind(i64::from(kind.slot_interval_min))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub(crate) async fn appointment_types(&self) -> StoreResult<Vec<AppointmentType>> {
        let rows: Vec<AppointmentTypeRow> = sqlx::query_as(concat!(
            "SELECT ",
            appointment_type_columns!(),
            " FROM appointment_types ORDER BY slug"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows::all(rows, AppointmentTypeRow::into_model)
    }

    pub(crate) async fn appointment_type(
        &self,
        slug: &str,
    ) -> StoreResult<Option<AppointmentType>> {
        let row: Option<AppointmentTypeRow> = sqlx::query_as(concat!(
            "SELECT ",
            appointment_type_columns!(),
            " FROM appointment_types WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.map(AppointmentTypeRow::into_model).transpose()
    }
}
