//! Practitioners.

use jiff::Timestamp;

use super::PgStore;
use crate::error::StoreResult;
use crate::model::{NewPractitioner, Practitioner};
use crate::rows::{self, PractitionerRow, practitioner_columns, secs};

impl PgStore {
    pub(crate) async fn add_practitioner(
        &self,
        new: &NewPractitioner,
    ) -> StoreResult<Practitioner> {
        let row: PractitionerRow = sqlx::query_as(concat!(
            "INSERT INTO practitioners (id, slug, name, email, time_zone, bio, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            practitioner_columns!()
        ))
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&new.slug)
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.time_zone)
        .bind(&new.bio)
        .bind(secs(Timestamp::now()))
        .fetch_one(&self.pool)
        .await?;
        row.into_model()
    }

    pub(crate) async fn practitioners(&self) -> StoreResult<Vec<Practitioner>> {
        let rows: Vec<PractitionerRow> = sqlx::query_as(concat!(
            "SELECT ",
            practitioner_columns!(),
            " FROM practitioners ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows::all(rows, PractitionerRow::into_model)
    }

    pub(crate) async fn practitioner(&self, id: &str) -> StoreResult<Option<Practitioner>> {
        let row: Option<PractitionerRow> = sqlx::query_as(concat!(
            "SELECT ",
            practitioner_columns!(),
            " FROM practitioners WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(PractitionerRow::into_model).transpose()
    }

    pub(crate) async fn practitioner_by_slug(
        &self,
        slug: &str,
    ) -> StoreResult<Option<Practitioner>> {
        let row: Option<PractitionerRow> = sqlx::query_as(concat!(
            "SELECT ",
            practitioner_columns!(),
            " FROM practitioners WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.map(PractitionerRow::into_model).transpose()
    }
}
