//! Practitioners.

use jiff::Timestamp;

use super::SqliteStore;
use super::rows::{all_rows, optional_row};
use crate::error::{StoreError, StoreResult};
use crate::model::{NewPractitioner, Practitioner};
use crate::rows::{self, PractitionerRow, practitioner_columns, secs};

impl SqliteStore {
    pub(crate) async fn add_practitioner(
        &self,
        new: &NewPractitioner,
    ) -> StoreResult<Practitioner> {
        let id = uuid::Uuid::now_v7().to_string();
        let new = new.clone();
        let row: Option<PractitionerRow> = self
            .write(move |tx| {
                optional_row(
                    tx,
                    concat!(
                        "INSERT INTO practitioners (id, slug, name, email, time_zone, bio, \
                         created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ",
                        practitioner_columns!()
                    ),
                    (
                        &id,
                        &new.slug,
                        &new.name,
                        &new.email,
                        &new.time_zone,
                        &new.bio,
                        secs(Timestamp::now()),
                    ),
                )
            })
            .await?;
        row.ok_or_else(|| StoreError::Internal("the insert returned no practitioner".to_owned()))?
            .into_model()
    }

    pub(crate) async fn practitioners(&self) -> StoreResult<Vec<Practitioner>> {
        self.read(|conn| {
            let rows: Vec<PractitionerRow> = all_rows(
                conn,
                concat!(
                    "SELECT ",
                    practitioner_columns!(),
                    " FROM practitioners ORDER BY name, id"
                ),
                [],
            )?;
            rows::all(rows, PractitionerRow::into_model)
        })
        .await
    }

    pub(crate) async fn practitioner(&self, id: &str) -> StoreResult<Option<Practitioner>> {
        let id = id.to_owned();
        self.read(move |conn| {
            let row: Option<PractitionerRow> = optional_row(
                conn,
                concat!(
                    "SELECT ",
                    practitioner_columns!(),
                    " FROM practitioners WHERE id = ?"
                ),
                [&id],
            )?;
            row.map(PractitionerRow::into_model).transpose()
        })
        .await
    }

    pub(crate) async fn practitioner_by_slug(
        &self,
        slug: &str,
    ) -> StoreResult<Option<Practitioner>> {
        let slug = slug.to_owned();
        self.read(move |conn| {
            let row: Option<PractitionerRow> = optional_row(
                conn,
                concat!(
                    "SELECT ",
                    practitioner_columns!(),
                    " FROM practitioners WHERE slug = ?"
                ),
                [&slug],
            )?;
            row.map(PractitionerRow::into_model).transpose()
        })
        .await
    }
}
