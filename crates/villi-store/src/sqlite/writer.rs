//! SQLite's single writer: one OS thread owning the only writing
//! connection, with group commit.
//!
//! With `synchronous=FULL` every commit waits for an fsync of the WAL, so the
//! commit rate, not the work, bounds how many bookings per second one file can
//! take. The thread takes every write queued while it was busy (up to
//! [`MAX_BATCH`]), runs them as one `BEGIN IMMEDIATE` transaction, each inside
//! its own savepoint (a failing write rolls back alone and gets its own
//! error), commits once, and only then answers every caller. Nothing is
//! acknowledged before it is durable; if the commit fails, every write of the
//! batch gets an error. Writes still run one after another on one
//! connection, so a check-then-insert stays safe.
//!
//! Each write is one closure that runs all its statements here: one hand-off
//! between threads per store call, not one per statement.

use rusqlite::Connection;

use super::queue::{Failure, Job, Queue};

/// Most writes committed together.
pub(super) const MAX_BATCH: usize = 64;

/// Work for the writer thread.
pub(super) enum WriterJob {
    /// A write, run inside the next group commit.
    Write(Box<dyn Job>),
    /// Work that runs alone, outside any batch, and manages its own
    /// transactions: migrations, raw statements of tests, and every read of
    /// an in-memory database (which only this connection can see).
    Alone(Box<dyn Job>),
}

/// The writer thread's loop: runs until the queue is closed and drained.
pub(super) fn run(conn: &Connection, queue: &Queue<WriterJob>) {
    let mut taken = Vec::with_capacity(MAX_BATCH);
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.take(MAX_BATCH, &mut taken) {
        // Queue order is kept: work that runs alone ends the batch before it.
        for job in taken.drain(..) {
            match job {
                WriterJob::Write(write) => batch.push(write),
                WriterJob::Alone(mut alone) => {
                    commit_batch(conn, &mut batch);
                    alone.run(conn);
                    leave_no_transaction_open(conn);
                    alone.answer(None);
                }
            }
        }
        commit_batch(conn, &mut batch);
    }
}

/// Runs `batch` (emptying it) in one transaction and answers every write.
fn commit_batch(conn: &Connection, batch: &mut Vec<Box<dyn Job>>) {
    if batch.is_empty() {
        return;
    }
    if let Err(error) = statement(conn, "BEGIN IMMEDIATE") {
        tracing::warn!(%error, "sqlite write batch could not start");
        let failure = Failure::from_sqlite(error);
        for write in batch.drain(..) {
            write.answer(Some(&failure));
        }
        return;
    }
    let mut ran = Vec::with_capacity(batch.len());
    let mut broken = None;
    let mut queued = batch.drain(..);
    for mut write in queued.by_ref() {
        let kept = in_savepoint(conn, &mut *write);
        ran.push(write);
        if let Err(why) = kept {
            broken = Some(why);
            break;
        }
    }
    // Writes after a broken one never run.
    let skipped: Vec<_> = queued.collect();
    let failure = match broken {
        Some(why) => Some(Failure::Other(why)),
        None => statement(conn, "COMMIT").err().map(Failure::from_sqlite),
    };
    if let Some(failure) = &failure {
        tracing::warn!(?failure, "sqlite write batch not committed");
    }
    leave_no_transaction_open(conn);
    let skipped_failure = Failure::Other("an earlier write in its batch failed".to_owned());
    for write in skipped {
        write.answer(Some(&skipped_failure));
    }
    for write in ran {
        write.answer(failure.as_ref());
    }
}

/// Runs one write inside a savepoint, rolled back alone if it failed. An
/// error means the batch's transaction can no longer be trusted.
fn in_savepoint(conn: &Connection, write: &mut dyn Job) -> Result<(), String> {
    statement(conn, "SAVEPOINT op").map_err(|e| e.to_string())?;
    write.run(conn);
    if conn.is_autocommit() {
        // SQLite rolled the whole transaction back (a full disk, an I/O
        // error): the batch is lost.
        return Err("the transaction was rolled back by SQLite".to_owned());
    }
    if write.failed() {
        statement(conn, "ROLLBACK TO op").map_err(|e| e.to_string())?;
    }
    statement(conn, "RELEASE op").map_err(|e| e.to_string())
}

/// Ends any transaction a failure or a panic left open, so the next batch
/// starts clean.
fn leave_no_transaction_open(conn: &Connection) {
    if !conn.is_autocommit()
        && let Err(error) = statement(conn, "ROLLBACK")
    {
        tracing::error!(%error, "sqlite writer could not roll back");
    }
}

fn statement(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{StoreError, StoreResult};
    use crate::sqlite::queue::{Answer, call};
    use crate::sqlite::rows::{execute, scalar};

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE t (x INTEGER UNIQUE);
             CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
        )
        .unwrap();
        conn
    }

    fn insert(x: i64) -> (Box<dyn Job>, Answer<usize>) {
        call(move |conn: &Connection| execute(conn, "INSERT INTO t (x) VALUES (?)", [x]))
    }

    fn rows(conn: &Connection, sql: &str) -> i64 {
        scalar(conn, sql, []).unwrap().unwrap()
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_alone_and_the_rest_of_its_batch_commits() {
        let conn = db();
        let (first, first_answer) = insert(1);
        let (twice, twice_answer) = call(|conn: &Connection| {
            execute(conn, "INSERT INTO t (x) VALUES (2)", [])?;
            // The second insert fails, and the first must go with it.
            execute(conn, "INSERT INTO t (x) VALUES (1)", [])
        });
        let (last, last_answer) = insert(3);
        commit_batch(&conn, &mut vec![first, twice, last]);
        assert_eq!(first_answer.wait().await.unwrap(), 1);
        assert!(matches!(
            twice_answer.wait().await,
            Err(StoreError::Conflict { constraint }) if constraint == "t_x_key"
        ));
        assert_eq!(last_answer.wait().await.unwrap(), 1);
        let kept: Option<String> = scalar(
            &conn,
            "SELECT group_concat(x) FROM (SELECT x FROM t ORDER BY x)",
            [],
        )
        .unwrap();
        assert_eq!(kept.as_deref(), Some("1,3"));
        assert!(conn.is_autocommit());
    }

    #[tokio::test]
    async fn when_the_commit_fails_every_write_of_the_batch_fails_and_nothing_is_kept() {
        let conn = db();
        let (good, good_answer) = insert(1);
        // A deferred foreign key is checked only at COMMIT.
        let (orphan, orphan_answer) =
            call(|conn: &Connection| execute(conn, "INSERT INTO child (parent) VALUES (42)", []));
        commit_batch(&conn, &mut vec![good, orphan]);
        for answer in [good_answer, orphan_answer] {
            match answer.wait().await {
                Err(StoreError::NotCommitted { reason }) => {
                    assert!(reason.contains("FOREIGN KEY"), "{reason}");
                }
                other => panic!("expected NotCommitted, got {other:?}"),
            }
        }
        assert_eq!(rows(&conn, "SELECT count(*) FROM t"), 0);
        assert_eq!(rows(&conn, "SELECT count(*) FROM child"), 0);
        assert!(conn.is_autocommit());
    }

    #[tokio::test]
    async fn a_panicking_write_is_undone_alone_and_the_writer_goes_on() {
        let conn = db();
        let (panics, panic_answer) = call(|conn: &Connection| -> StoreResult<()> {
            execute(conn, "INSERT INTO t (x) VALUES (5)", [])?;
            panic!("a bug in one write");
        });
        let (after, after_answer) = insert(6);
        commit_batch(&conn, &mut vec![panics, after]);
        assert!(matches!(
            panic_answer.wait().await,
            Err(StoreError::Internal(_))
        ));
        assert_eq!(after_answer.wait().await.unwrap(), 1);
        assert_eq!(rows(&conn, "SELECT count(*) FROM t WHERE x = 5"), 0);
        assert_eq!(rows(&conn, "SELECT count(*) FROM t WHERE x = 6"), 1);
    }

    #[tokio::test]
    async fn work_that_runs_alone_sees_every_earlier_write_committed() {
        let conn = db();
        let queue = Queue::new(1);
        let (write, written) = insert(1);
        let (read, seen) = call(|conn: &Connection| {
            // Outside any transaction: the write before it has committed.
            Ok((
                conn.is_autocommit(),
                scalar::<i64>(conn, "SELECT count(*) FROM t", [])?,
            ))
        });
        assert!(queue.push(WriterJob::Write(write)).is_ok());
        assert!(queue.push(WriterJob::Alone(read)).is_ok());
        queue.close();
        run(&conn, &queue);
        assert_eq!(written.wait().await.unwrap(), 1);
        assert_eq!(seen.wait().await.unwrap(), (true, Some(1)));
    }
}
