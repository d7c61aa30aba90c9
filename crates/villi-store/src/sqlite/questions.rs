//! The practice's pre-call questions.

use super::SqliteStore;
use crate::error::StoreResult;
use crate::model::Question;
use crate::rows::{self, QuestionRow, question_kind_columns};

impl SqliteStore {
    pub(crate) async fn replace_questions(&self, questions: &[Question]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM questions")
            .execute(&mut *tx)
            .await?;
        for (position, question) in (0_i64..).zip(questions) {
            let (kind, options) = question_kind_columns(&question.kind);
            sqlx::query(
                "INSERT INTO questions (key, position, label, kind, options, required) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&question.key)
            .bind(position)
            .bind(&question.label)
            .bind(kind)
            .bind(options)
            .bind(question.required)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn questions(&self) -> StoreResult<Vec<Question>> {
        let rows: Vec<QuestionRow> = sqlx::query_as(
            "SELECT key, label, kind, options, required FROM questions ORDER BY position",
        )
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, QuestionRow::into_model)
    }
}
