//! Appointment types.

use villi_domain::booking::AppointmentType;

use super::SqliteStore;
use super::rows::{all_rows, execute, optional_row};
use crate::error::StoreResult;
use crate::rows::{self, AppointmentTypeRow, appointment_type_columns};

impl SqliteStore {
    pub(crate) async fn upsert_appointment_type(&self, kind: &AppointmentType) -> StoreResult<()> {
        let kind = kind.clone();
        self.write(move |tx| {
            execute(
                tx,
                "INSERT INTO appointment_types (slug, name, duration_min, buffer_before_min, \
                 buffer_after_min, min_notice_min, horizon_days, daily_cap, public, price_label, \
                 slot_interval_min) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name, \
                 duration_min = excluded.duration_min, \
                 buffer_before_min = excluded.buffer_before_min, \
                 buffer_after_min = excluded.buffer_after_min, \
                 min_notice_min = excluded.min_notice_min, horizon_days = excluded.horizon_days, \
                 daily_cap = excluded.daily_cap, public = excluded.public, \
                 price_label = excluded.price_label, slot_interval_min = excluded.slot_interval_min",
                rusqlite::params![
                    kind.slug,
                    kind.name,
                    i64::from(kind.duration_min),
                    i64::from(kind.buffer_before_min),
                    i64::from(kind.buffer_after_min),
                    i64::from(kind.min_notice_min),
                    i64::from(kind.horizon_days),
                    kind.daily_cap.map(i64::from),
                    kind.public,
                    kind.price_label,
                    i64::from(kind.slot_interval_min),
                ],
            )
            .map(drop)
        })
        .await
    }

    pub(crate) async fn appointment_types(&self) -> StoreResult<Vec<AppointmentType>> {
        self.read(|conn| {
            let rows: Vec<AppointmentTypeRow> = all_rows(
                conn,
                concat!(
                    "SELECT ",
                    appointment_type_columns!(),
                    " FROM appointment_types ORDER BY slug"
                ),
                [],
            )?;
            rows::all(rows, AppointmentTypeRow::into_model)
        })
        .await
    }

    pub(crate) async fn appointment_type(
        &self,
        slug: &str,
    ) -> StoreResult<Option<AppointmentType>> {
        let slug = slug.to_owned();
        self.read(move |conn| {
            let row: Option<AppointmentTypeRow> = optional_row(
                conn,
                concat!(
                    "SELECT ",
                    appointment_type_columns!(),
                    " FROM appointment_types WHERE slug = ?"
                ),
                [&slug],
            )?;
            row.map(AppointmentTypeRow::into_model).transpose()
        })
        .await
    }
}
