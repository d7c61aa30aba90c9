//! The SQLite backend: one file, one writer thread, a few reader threads.
//!
//! SQLite is called synchronously, so each connection lives on an OS thread
//! of its own, and each store call sends that thread one closure that runs
//! all its statements and answers once: one hand-off per call, however many
//! statements it runs.
//!
//! SQLite lets one writer in at a time. Every write runs on the writer
//! thread inside a `BEGIN IMMEDIATE` transaction (see [`writer`]), which
//! takes the write lock up front and honours the busy timeout; a plain
//! `BEGIN` would upgrade on its first write and fail with "database is
//! locked" under concurrent writers. Check-then-insert is therefore safe:
//! nobody else writes between the check and the insert.
//!
//! Reads go to [`READERS`] threads with read-only connections, which in WAL
//! mode never block the writer. An in-memory database exists only inside the
//! writer's connection, so there every read goes to the writer thread.

mod appointment_types;
mod audit;
mod availability;
mod bookings;
mod jobs;
mod migrate;
mod open;
mod practitioners;
mod questions;
mod queue;
mod rate_limits;
mod reschedule;
mod rows;
mod writer;

use std::convert::Infallible;
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{Mutex, oneshot};

use self::open::Target;
use self::queue::{Job, Queue, call};
use self::writer::WriterJob;
use crate::error::{StoreError, StoreResult};

/// Reading threads (and connections) of a file database. Few on purpose: a
/// connection drops its whole page cache whenever it finds the file changed,
/// so with writes arriving all the time each extra reader mostly means one
/// more cold cache (four readers cost a third more CPU per booking than two).
const READERS: usize = 2;

#[derive(Clone)]
pub(crate) struct SqliteStore {
    threads: Arc<Threads>,
}

/// The queues in front of the database threads. Dropping the last handle
/// closes them: the threads finish what is queued and end on their own.
struct Threads {
    writer: Arc<Queue<WriterJob>>,
    /// `None` for an in-memory database.
    readers: Option<Arc<Queue<Box<dyn Job>>>>,
    /// One per thread, closed when the thread has ended (its connection
    /// closed); [`SqliteStore::close`] waits for them.
    ended: Mutex<Vec<oneshot::Receiver<Infallible>>>,
}

impl Drop for Threads {
    fn drop(&mut self) {
        self.writer.close();
        if let Some(readers) = &self.readers {
            readers.close();
        }
    }
}

impl SqliteStore {
    pub(crate) async fn connect(url: &str) -> StoreResult<Self> {
        let target = Target::parse(url)?;
        let mut threads = Threads {
            writer: Arc::new(Queue::new(1)),
            readers: None,
            ended: Mutex::new(Vec::new()),
        };
        // The writer first: it creates the file and turns on WAL mode.
        let opening = target.clone();
        start(
            "villi-sqlite-writer",
            &threads.writer,
            &mut threads.ended,
            move || opening.open_writer(),
            writer::run,
        )
        .await?;
        if target != Target::Memory {
            let readers = Arc::new(Queue::new(READERS));
            threads.readers = Some(Arc::clone(&readers));
            for _ in 0..READERS {
                let opening = target.clone();
                start(
                    "villi-sqlite-reader",
                    &readers,
                    &mut threads.ended,
                    move || opening.open_reader(),
                    serve_reads,
                )
                .await?;
            }
        }
        Ok(Self {
            threads: Arc::new(threads),
        })
    }

    pub(crate) async fn migrate(&self) -> StoreResult<()> {
        self.alone(migrate::run).await?;
        tracing::debug!(backend = "sqlite", "migrations applied");
        Ok(())
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        self.read(|conn| rows::scalar::<i64>(conn, "SELECT 1", []).map(drop))
            .await
    }

    /// Lets the threads finish what is queued, then waits until each has
    /// closed its connection. Later calls fail with `Stopped`.
    pub(crate) async fn close(&self) {
        self.threads.writer.close();
        if let Some(readers) = &self.threads.readers {
            readers.close();
        }
        let mut ended = self.threads.ended.lock().await;
        for thread in ended.drain(..) {
            // An error is the news awaited: the thread has ended.
            let _ = thread.await;
        }
    }

    /// Runs `op` on a reading connection.
    pub(crate) async fn read<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (job, answer) = call(op);
        let queued = match &self.threads.readers {
            Some(readers) => readers.push(job).is_ok(),
            None => self.threads.writer.push(WriterJob::Alone(job)).is_ok(),
        };
        if !queued {
            return Err(StoreError::Stopped);
        }
        answer.wait().await
    }

    /// Runs `op` on the writer inside the next group commit; answers once
    /// the batch has committed.
    pub(crate) async fn write<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.on_writer(WriterJob::Write, op).await
    }

    /// Runs `op` on the writer outside any batch; `op` manages its own
    /// transactions.
    pub(crate) async fn alone<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.on_writer(WriterJob::Alone, op).await
    }

    async fn on_writer<T, F>(&self, kind: fn(Box<dyn Job>) -> WriterJob, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (job, answer) = call(op);
        self.threads
            .writer
            .push(kind(job))
            .map_err(|_| StoreError::Stopped)?;
        answer.wait().await
    }
}

/// Starts one database thread that opens its connection with `open` and
/// then serves `queue` with `serve`; returns once the connection is open.
async fn start<J: Send + 'static>(
    name: &str,
    queue: &Arc<Queue<J>>,
    ended: &mut Mutex<Vec<oneshot::Receiver<Infallible>>>,
    open: impl FnOnce() -> StoreResult<Connection> + Send + 'static,
    serve: fn(&Connection, &Queue<J>),
) -> StoreResult<()> {
    let (opened, ready) = oneshot::channel();
    let (end, has_ended) = oneshot::channel::<Infallible>();
    let queue = Arc::clone(queue);
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            // Dropped last, after the connection has closed.
            let _end = end;
            let _leaving = Leaving(&queue);
            match open() {
                Ok(conn) => {
                    let _ = opened.send(Ok(()));
                    serve(&conn, &queue);
                }
                Err(error) => {
                    let _ = opened.send(Err(error));
                }
            }
        });
    if let Err(error) = spawned {
        return Err(StoreError::Internal(format!(
            "could not start a database thread: {error}"
        )));
    }
    ended.get_mut().push(has_ended);
    ready.await.unwrap_or(Err(StoreError::Stopped))
}

/// Tells the queue its thread has ended, however it ended.
struct Leaving<'q, J>(&'q Queue<J>);

impl<J> Drop for Leaving<'_, J> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            tracing::error!("a sqlite database thread panicked; its queued calls fail");
        }
        self.0.leave();
    }
}

/// A reader thread's loop: one call at a time, until the queue is closed
/// and drained.
fn serve_reads(conn: &Connection, queue: &Queue<Box<dyn Job>>) {
    let mut taken = Vec::with_capacity(1);
    while queue.take(1, &mut taken) {
        for mut call in taken.drain(..) {
            call.run(conn);
            if !conn.is_autocommit()
                && let Err(error) = rows::execute(conn, "ROLLBACK", [])
            {
                tracing::error!(%error, "sqlite reader could not roll back");
            }
            call.answer(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::rows::{execute, scalar};
    use super::*;

    /// A database file removed (with its side files) at the end of a test.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new() -> Self {
            let name = format!("villi-sqlite-{}.db", uuid::Uuid::new_v4().simple());
            Self(std::env::temp_dir().join(name))
        }

        fn url(&self) -> String {
            format!("sqlite://{}", self.0.display())
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut file = self.0.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }

    async fn store_with_table(url: &str) -> SqliteStore {
        let store = SqliteStore::connect(url).await.unwrap();
        store
            .alone(|conn| execute(conn, "CREATE TABLE IF NOT EXISTS t (x INTEGER)", []))
            .await
            .unwrap();
        store
    }

    #[tokio::test]
    async fn a_write_is_answered_only_once_another_connection_can_see_it() {
        let file = TempFile::new();
        let store = store_with_table(&file.url()).await;
        store
            .write(|conn| execute(conn, "INSERT INTO t (x) VALUES (7)", []))
            .await
            .unwrap();
        let other = Connection::open(&file.0).unwrap();
        let seen: i64 = other
            .query_row("SELECT count(*) FROM t WHERE x = 7", [], |row| row.get(0))
            .unwrap();
        assert_eq!(seen, 1);
        store.close().await;
    }

    #[tokio::test]
    async fn reads_run_on_connections_that_cannot_write() {
        let file = TempFile::new();
        let store = store_with_table(&file.url()).await;
        let refused = store
            .read(|conn| execute(conn, "INSERT INTO t (x) VALUES (1)", []))
            .await;
        assert!(refused.is_err(), "{refused:?}");
        let count = store
            .read(|conn| scalar::<i64>(conn, "SELECT count(*) FROM t", []))
            .await
            .unwrap();
        assert_eq!(count, Some(0));
        store.close().await;
    }

    #[tokio::test]
    async fn an_in_memory_store_reads_on_its_writer() {
        let store = store_with_table("sqlite::memory:").await;
        assert!(store.threads.readers.is_none());
        store
            .write(|conn| execute(conn, "INSERT INTO t (x) VALUES (3)", []))
            .await
            .unwrap();
        let count = store
            .read(|conn| scalar::<i64>(conn, "SELECT count(*) FROM t", []))
            .await
            .unwrap();
        assert_eq!(count, Some(1));
    }

    #[tokio::test]
    async fn close_finishes_every_queued_call_and_refuses_later_ones() {
        let file = TempFile::new();
        let store = store_with_table(&file.url()).await;
        let mut answers = Vec::new();
        for x in 0..200 {
            let (job, answer) =
                call(move |conn: &Connection| execute(conn, "INSERT INTO t (x) VALUES (?)", [x]));
            assert!(store.threads.writer.push(WriterJob::Write(job)).is_ok());
            answers.push(answer);
        }
        store.close().await;
        for answer in answers {
            assert_eq!(answer.wait().await.unwrap(), 1);
        }
        assert!(matches!(store.ping().await, Err(StoreError::Stopped)));
        assert!(matches!(
            store.write(|_| Ok(())).await,
            Err(StoreError::Stopped)
        ));
        let other = Connection::open(&file.0).unwrap();
        let kept: i64 = other
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(kept, 200);
    }

    #[tokio::test]
    async fn a_dropped_store_lets_its_threads_finish_without_waiting_for_them() {
        let file = TempFile::new();
        let store = store_with_table(&file.url()).await;
        let (job, answer) =
            call(|conn: &Connection| execute(conn, "INSERT INTO t (x) VALUES (1)", []));
        assert!(store.threads.writer.push(WriterJob::Write(job)).is_ok());
        drop(store);
        assert_eq!(answer.wait().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_file_that_cannot_be_opened_is_an_error_not_a_hang() {
        let missing = std::env::temp_dir()
            .join(format!(
                "villi-no-such-dir-{}",
                uuid::Uuid::new_v4().simple()
            ))
            .join("villi.db");
        let refused = SqliteStore::connect(&format!("sqlite://{}", missing.display())).await;
        assert!(
            matches!(refused, Err(StoreError::Sqlite(_))),
            "{:?}",
            refused.err()
        );
    }
}
