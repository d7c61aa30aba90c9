//! The practice's pre-call questions.

use rusqlite::Connection;

use super::SqliteStore;
use super::rows::{all_rows, execute, json_text};
use crate::error::StoreResult;
use crate::model::Question;
use crate::rows::{self, QuestionRow, question_kind_columns};

fn replace_in(tx: &Connection, questions: &[Question]) -> StoreResult<()> {
    execute(tx, "DELETE FROM questions", [])?;
    for (position, question) in (0_i64..).zip(questions) {
        let (kind, options) = question_kind_columns(&question.kind);
        execute(
            tx,
            "INSERT INTO questions (key, position, label, kind, options, required) \
             VALUES (?, ?, ?, ?, ?, ?)",
            (
                &question.key,
                position,
                &question.label,
                kind,
                json_text(&options.0)?,
                question.required,
            ),
        )?;
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn replace_questions(&self, questions: &[Question]) -> StoreResult<()> {
        let questions = questions.to_vec();
        self.write(move |tx| replace_in(tx, &questions)).await
    }

    pub(crate) async fn questions(&self) -> StoreResult<Vec<Question>> {
        self.read(|conn| {
            let rows: Vec<QuestionRow> = all_rows(
                conn,
                "SELECT key, label, kind, options, required FROM questions ORDER BY position",
                [],
            )?;
            rows::all(rows, QuestionRow::into_model)
        })
        .await
    }
}
