//! The hand-off between async callers and the database threads.
//!
//! A caller pushes one job and awaits one answer; a database thread takes
//! jobs and runs them on the connection it owns. Pushing never blocks for
//! long (a short lock, no I/O), so it is safe on an async worker thread.
//! The queue is not bounded: every caller waits for its answer, so it holds
//! at most one job per waiting caller.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{StoreError, StoreResult};

/// Jobs waiting for a database thread, shared by the threads that take them.
pub(super) struct Queue<J> {
    state: Mutex<State<J>>,
    ready: Condvar,
    /// Threads still taking jobs; the last to leave closes the queue.
    consumers: AtomicUsize,
}

struct State<J> {
    jobs: VecDeque<J>,
    closed: bool,
}

impl<J> Queue<J> {
    pub(super) fn new(consumers: usize) -> Self {
        Self {
            state: Mutex::new(State {
                jobs: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
            consumers: AtomicUsize::new(consumers),
        }
    }

    /// The lock holds only the deque: no code that can panic runs under it,
    /// so a poisoned lock still guards consistent data.
    fn lock(&self) -> MutexGuard<'_, State<J>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `job`, or hands it back once the queue is closed.
    pub(super) fn push(&self, job: J) -> Result<(), J> {
        let mut state = self.lock();
        if state.closed {
            return Err(job);
        }
        state.jobs.push_back(job);
        drop(state);
        self.ready.notify_one();
        Ok(())
    }

    /// Refuses new jobs; those already queued are still taken.
    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Waits for at least one job and moves up to `max` into `into`.
    /// False once the queue is closed and empty: the thread should stop.
    pub(super) fn take(&self, max: usize, into: &mut Vec<J>) -> bool {
        let mut state = self.lock();
        while state.jobs.is_empty() {
            if state.closed {
                return false;
            }
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        let n = state.jobs.len().min(max);
        into.extend(state.jobs.drain(..n));
        true
    }

    /// Called by each consuming thread as it ends, however it ends. When the
    /// last one leaves, the queue closes and anything still in it is
    /// dropped, which tells each waiting caller that the thread stopped.
    pub(super) fn leave(&self) {
        if self.consumers.fetch_sub(1, Ordering::AcqRel) == 1 {
            let orphans = {
                let mut state = self.lock();
                state.closed = true;
                std::mem::take(&mut state.jobs)
            };
            drop(orphans);
        }
    }
}

/// One caller's operation, type-erased so one queue carries every kind.
pub(super) trait Job: Send {
    /// Runs the operation on `conn` and keeps its outcome. A panic is
    /// caught and kept as an error: the thread lives on.
    fn run(&mut self, conn: &Connection);
    /// Whether the operation has run and failed (its writes must be undone).
    fn failed(&self) -> bool;
    /// Answers the caller: the kept outcome, unless `failure` says its
    /// writes were not committed.
    fn answer(self: Box<Self>, failure: Option<&Failure>);
}

/// Why a batch of writes was not committed; every write in it that did not
/// fail on its own gets this as its error.
#[derive(Debug, Clone)]
pub(super) enum Failure {
    Busy,
    Other(String),
}

impl Failure {
    /// Busy stays busy (the caller may retry); anything else is told in
    /// SQLite's own words.
    pub(super) fn from_sqlite(error: rusqlite::Error) -> Self {
        let text = error.to_string();
        match StoreError::from(error) {
            StoreError::Busy => Self::Busy,
            _ => Self::Other(text),
        }
    }

    fn error(&self) -> StoreError {
        match self {
            Self::Busy => StoreError::Busy,
            Self::Other(reason) => StoreError::NotCommitted {
                reason: reason.clone(),
            },
        }
    }
}

/// An operation, its outcome once run, and where to send it.
struct Call<T, F> {
    op: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

/// The job to queue for `op`, and the answer to await.
pub(super) fn call<T, F>(op: F) -> (Box<dyn Job>, Answer<T>)
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
{
    let (reply, answer) = oneshot::channel();
    let call = Call {
        op: Some(op),
        outcome: None,
        reply,
    };
    (Box::new(call), Answer(answer))
}

impl<T, F> Job for Call<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
{
    fn run(&mut self, conn: &Connection) {
        if let Some(op) = self.op.take() {
            let outcome = catch_unwind(AssertUnwindSafe(|| op(conn)))
                .unwrap_or_else(|panic| Err(StoreError::Internal(panic_message(&*panic))));
            self.outcome = Some(outcome);
        }
    }

    fn failed(&self) -> bool {
        matches!(self.outcome, Some(Err(_)))
    }

    fn answer(self: Box<Self>, failure: Option<&Failure>) {
        let outcome = match (self.outcome, failure) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), None) => Ok(value),
            (_, Some(failure)) => Err(failure.error()),
            (None, None) => Err(StoreError::NotCommitted {
                reason: "the operation never ran".to_owned(),
            }),
        };
        // The caller may have gone away; the work is done either way.
        let _ = self.reply.send(outcome);
    }
}

/// The receiving end of one call.
pub(super) struct Answer<T>(oneshot::Receiver<StoreResult<T>>);

impl<T> Answer<T> {
    /// The operation's outcome; `Stopped` if its thread ended without
    /// answering.
    pub(super) async fn wait(self) -> StoreResult<T> {
        self.0.await.unwrap_or(Err(StoreError::Stopped))
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a database operation panicked".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_queue_hands_out_what_it_holds_then_stops() {
        let queue = Queue::new(1);
        queue.push(1).unwrap();
        queue.push(2).unwrap();
        queue.close();
        assert_eq!(queue.push(3), Err(3));
        let mut taken = Vec::new();
        assert!(queue.take(64, &mut taken));
        assert_eq!(taken, [1, 2]);
        assert!(!queue.take(64, &mut taken));
    }

    #[test]
    fn take_moves_at_most_max_jobs() {
        let queue = Queue::new(1);
        for i in 0..5 {
            queue.push(i).unwrap();
        }
        let mut taken = Vec::new();
        assert!(queue.take(2, &mut taken));
        assert_eq!(taken, [0, 1]);
    }

    #[tokio::test]
    async fn a_panicking_operation_answers_with_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        let (mut job, answer) = call(|_: &Connection| -> StoreResult<()> {
            panic!("boom");
        });
        job.run(&conn);
        assert!(job.failed());
        job.answer(None);
        match answer.wait().await {
            Err(StoreError::Internal(message)) => assert_eq!(message, "boom"),
            other => panic!("expected Internal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn jobs_left_when_the_last_thread_leaves_answer_stopped() {
        let queue = Queue::new(2);
        let (job, answer) = call(|_: &Connection| Ok(1));
        assert!(queue.push(job).is_ok());
        queue.leave();
        queue.leave();
        assert!(matches!(answer.wait().await, Err(StoreError::Stopped)));
        let (job, answer) = call(|_: &Connection| Ok(2));
        assert!(queue.push(job).is_err());
        drop(answer);
    }

    #[tokio::test]
    async fn an_uncommitted_write_gets_the_batch_failure_and_a_failed_one_its_own_error() {
        let conn = Connection::open_in_memory().unwrap();
        let (mut ok, ok_answer) = call(|_: &Connection| Ok(()));
        let (mut bad, bad_answer) =
            call(|_: &Connection| -> StoreResult<()> { Err(StoreError::SlotTaken) });
        ok.run(&conn);
        bad.run(&conn);
        let failure = Failure::Other("disk full".to_owned());
        ok.answer(Some(&failure));
        bad.answer(Some(&failure));
        assert!(matches!(
            ok_answer.wait().await,
            Err(StoreError::NotCommitted { reason }) if reason == "disk full"
        ));
        assert!(matches!(
            bad_answer.wait().await,
            Err(StoreError::SlotTaken)
        ));
    }
}
