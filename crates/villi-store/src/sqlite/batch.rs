//! Group commit for SQLite's single writer.
//!
//! With `synchronous=FULL` every commit waits for an fsync of the WAL, so the
//! commit rate, not the work, bounds how many bookings per second one file can
//! take. Writes that arrive while a commit is in flight are queued; the
//! writer task runs the queue as one `BEGIN IMMEDIATE` transaction, each
//! operation inside its own savepoint (a failing operation rolls back alone),
//! commits once, and only then answers every caller. Nothing is acknowledged
//! before it is durable, and operations still run one after another on one
//! connection, so a check-then-insert stays safe.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::error::{StoreError, StoreResult};

/// Most operations committed together.
const MAX_BATCH: usize = 64;
/// Operations waiting for the writer before callers queue in `send`.
const QUEUE: usize = 1024;

pub(crate) type BoxFut<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Answers a caller once the batch's fate is known: `None` when it
/// committed, else why it did not.
type Deliver = Box<dyn FnOnce(Option<&str>) + Send>;

/// Runs one queued operation on the writer connection and says whether it
/// left the transaction usable.
type Run = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, (Deliver, bool)> + Send>;

/// One queued operation, and how to answer it if its batch cannot start.
struct Op {
    run: Run,
    refuse: Box<dyn FnOnce(StoreError) + Send>,
}

/// The queue in front of the writer task.
#[derive(Clone)]
pub(crate) struct Batcher {
    queue: mpsc::Sender<Op>,
}

impl Batcher {
    /// Starts the writer task over `writer` (a pool of one connection).
    pub(crate) fn start(writer: SqlitePool) -> Self {
        let (queue, ops) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, ops));
        Self { queue }
    }

    /// Runs `op` in the next batch and returns its result once committed.
    pub(crate) async fn write<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, StoreResult<T>> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<StoreResult<T>>();
        // Exactly one of `run` and `refuse` answers.
        let answer = Arc::new(Mutex::new(Some(answer)));
        let refused = Arc::clone(&answer);
        let run: Run = Box::new(move |conn| {
            Box::pin(async move {
                let (result, usable) = in_savepoint(conn, op).await;
                let deliver: Deliver = Box::new(move |failed: Option<&str>| {
                    let outcome = match (result, failed) {
                        (Ok(value), None) => Ok(value),
                        (Ok(_), Some(why)) => Err(batch_failed(why)),
                        (Err(e), _) => Err(e),
                    };
                    answer_once(&answer, outcome);
                });
                (deliver, usable)
            })
        });
        let queued = Op {
            run,
            refuse: Box::new(move |error| answer_once(&refused, Err(error))),
        };
        self.queue
            .send(queued)
            .await
            .map_err(|_| batch_failed("the writer has stopped"))?;
        answered
            .await
            .map_err(|_| batch_failed("the writer stopped before answering"))?
    }
}

/// Sends the outcome unless it was sent already; the caller may have gone
/// away, and the work is done either way.
fn answer_once<T>(slot: &Mutex<Option<oneshot::Sender<StoreResult<T>>>>, outcome: StoreResult<T>) {
    let sender = match slot.lock() {
        Ok(mut guard) => guard.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    if let Some(sender) = sender {
        let _ = sender.send(outcome);
    }
}

fn batch_failed(why: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!("write not committed: {why}")))
}

/// Runs one operation inside a savepoint; a failed operation is rolled back
/// alone. The flag says whether the transaction is still usable.
async fn in_savepoint<T, F>(conn: &mut SqliteConnection, op: F) -> (StoreResult<T>, bool)
where
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, StoreResult<T>>,
{
    if let Err(e) = sqlx::query("SAVEPOINT op").execute(&mut *conn).await {
        return (Err(e.into()), false);
    }
    let result = op(&mut *conn).await;
    let close = if result.is_ok() {
        sqlx::query("RELEASE op").execute(&mut *conn).await
    } else {
        match sqlx::query("ROLLBACK TO op").execute(&mut *conn).await {
            Ok(_) => sqlx::query("RELEASE op").execute(&mut *conn).await,
            Err(e) => Err(e),
        }
    };
    match close {
        Ok(_) => (result, true),
        Err(e) => (result.and(Err(e.into())), false),
    }
}

async fn run(writer: SqlitePool, mut ops: mpsc::Receiver<Op>) {
    while let Some(first) = ops.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match ops.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        run_batch(&writer, batch).await;
    }
}

async fn run_batch(writer: &SqlitePool, batch: Vec<Op>) {
    let mut conn = match writer.acquire().await {
        Ok(conn) => conn,
        Err(e) => return refuse_all(batch, e),
    };
    if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
        return refuse_all(batch, e);
    }
    let mut delivers = Vec::with_capacity(batch.len());
    let mut usable = true;
    let mut queued = batch.into_iter();
    for op in queued.by_ref() {
        let (deliver, still_usable) = (op.run)(&mut conn).await;
        delivers.push(deliver);
        if !still_usable {
            usable = false;
            break;
        }
    }
    for op in queued {
        (op.refuse)(batch_failed("an earlier write in its batch failed"));
    }
    let failure = if usable {
        sqlx::query("COMMIT")
            .execute(&mut *conn)
            .await
            .err()
            .map(|e| e.to_string())
    } else {
        Some("a savepoint could not be closed".to_owned())
    };
    if failure.is_some() {
        // Leave the connection clean for the next batch.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    for deliver in delivers {
        deliver(failure.as_deref());
    }
}

/// Answers operations whose batch could not start with the reason: the
/// first gets the error itself (a busy database stays `Busy`), the others a
/// copy of its meaning.
fn refuse_all(batch: Vec<Op>, error: sqlx::Error) {
    tracing::warn!(%error, "sqlite write batch could not start");
    let text = error.to_string();
    let first = StoreError::from(error);
    let busy = matches!(first, StoreError::Busy);
    let mut first = Some(first);
    for op in batch {
        let error = match first.take() {
            Some(e) => e,
            None if busy => StoreError::Busy,
            None => batch_failed(&text),
        };
        (op.refuse)(error);
    }
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqlitePoolOptions;

    use super::*;

    async fn batcher() -> (Batcher, SqlitePool) {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        (Batcher::start(pool.clone()), pool)
    }

    fn insert(b: &Batcher, x: i64) -> impl Future<Output = StoreResult<()>> + use<> {
        let b = b.clone();
        async move {
            b.write(move |c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (x) VALUES (?)")
                        .bind(x)
                        .execute(&mut *c)
                        .await?;
                    Ok(())
                })
            })
            .await
        }
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_alone_and_the_rest_of_its_batch_commits() {
        let (b, pool) = batcher().await;
        let writes: Vec<_> = (0..40).map(|i| tokio::spawn(insert(&b, i % 10))).collect();
        let mut ok = 0;
        for w in writes {
            if w.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 10);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 10);
    }

    #[tokio::test]
    async fn a_write_answers_only_after_its_commit() {
        use sqlx::Connection;
        let path =
            std::env::temp_dir().join(format!("villi-batch-{}.db", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        let b = Batcher::start(pool.clone());
        insert(&b, 7).await.unwrap();
        // Another connection sees it: the transaction has committed.
        let mut other = SqliteConnection::connect(&url).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t WHERE x = 7")
            .fetch_one(&mut other)
            .await
            .unwrap();
        assert_eq!(rows, 1);
        drop(other);
        pool.close().await;
        let _ = std::fs::remove_file(&path);
    }
}
