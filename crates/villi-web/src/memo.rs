//! A small, bounded memory of recent answers, forgotten the moment the data
//! behind them changes.
//!
//! What villi keeps here is never the truth, only a recent reading of it: the
//! database still decides every booking. An entry is used only while
//!
//! * the store's change counter still shows the value read *before* the
//!   answer was computed (every write through this server moves it, so a
//!   write that lands while an answer is being computed makes that answer
//!   stale at once), and
//! * its own deadline has not passed. The deadline bounds how long a change
//!   made elsewhere (the command line, another server on the same PostgreSQL)
//!   can go unseen, and callers bring it forward when the answer itself
//!   expires sooner (a slot about to fall inside the minimum notice).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer may be shown again at most: the longest a change made
/// outside this server goes unseen here.
pub const KEEP_FOR: Duration = Duration::from_secs(1);

/// Recent answers by key, within a budget of entries and of bytes.
pub struct Memo<K, V> {
    entries: Mutex<Entries<K, V>>,
    max_entries: usize,
    max_bytes: usize,
}

struct Entries<K, V> {
    map: HashMap<K, Entry<V>>,
    bytes: usize,
}

struct Entry<V> {
    value: V,
    generation: u64,
    deadline: Instant,
    bytes: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// At most `max_entries` answers holding at most `max_bytes` together;
    /// an answer larger than a quarter of the byte budget is not kept.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries {
                map: HashMap::new(),
                bytes: 0,
            }),
            max_entries,
            max_bytes,
        }
    }

    /// The answer for `key`, if it was computed at `generation` and its
    /// deadline is still ahead of `now`.
    pub fn get<Q>(&self, key: &Q, generation: u64, now: Instant) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let entries = self.entries.lock().ok()?;
        let entry = entries.map.get(key)?;
        (entry.generation == generation && now < entry.deadline).then(|| entry.value.clone())
    }

    /// Keeps `value` (about `bytes` large) for `key` until `deadline` or the
    /// next change after `generation`, whichever comes first.
    pub fn put(&self, key: K, value: V, bytes: usize, generation: u64, deadline: Instant) {
        if bytes > self.max_bytes / 4 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let now = Instant::now();
        if entries.map.len() >= self.max_entries || entries.bytes + bytes > self.max_bytes {
            entries
                .map
                .retain(|_, e| e.generation == generation && e.deadline > now);
            entries.bytes = entries.map.values().map(|e| e.bytes).sum();
        }
        if entries.map.len() >= self.max_entries || entries.bytes + bytes > self.max_bytes {
            // Every entry is current: start again rather than track ages.
            entries.map.clear();
            entries.bytes = 0;
        }
        let entry = Entry {
            value,
            generation,
            deadline,
            bytes,
        };
        if let Some(old) = entries.map.insert(key, entry) {
            entries.bytes -= old.bytes;
        }
        entries.bytes += bytes;
    }

    /// How many answers are kept, and their size together.
    #[cfg(test)]
    fn usage(&self) -> (usize, usize) {
        self.entries
            .lock()
            .map(|e| (e.map.len(), e.bytes))
            .unwrap_or((0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later(secs: u64) -> Instant {
        Instant::now() + Duration::from_secs(secs)
    }

    #[test]
    fn an_answer_is_used_until_the_data_changes() {
        let memo: Memo<String, u32> = Memo::new(8, 1000);
        memo.put("a".into(), 1, 10, 7, later(60));
        assert_eq!(memo.get("a", 7, Instant::now()), Some(1));
        assert_eq!(memo.get("a", 8, Instant::now()), None);
        assert_eq!(memo.get("b", 7, Instant::now()), None);
    }

    #[test]
    fn an_answer_is_not_used_after_its_deadline() {
        let memo: Memo<String, u32> = Memo::new(8, 1000);
        let deadline = later(5);
        memo.put("a".into(), 1, 10, 0, deadline);
        assert_eq!(
            memo.get("a", 0, deadline - Duration::from_millis(1)),
            Some(1)
        );
        assert_eq!(memo.get("a", 0, deadline), None);
    }

    #[test]
    fn replacing_an_answer_keeps_the_byte_count_right() {
        let memo: Memo<String, u32> = Memo::new(8, 1000);
        memo.put("a".into(), 1, 100, 0, later(60));
        memo.put("a".into(), 2, 150, 0, later(60));
        assert_eq!(memo.usage(), (1, 150));
        assert_eq!(memo.get("a", 0, Instant::now()), Some(2));
    }

    #[test]
    fn the_budgets_are_never_exceeded() {
        let memo: Memo<u32, u32> = Memo::new(4, 1000);
        for i in 0..100 {
            memo.put(i, i, 200, 0, later(60));
            let (n, bytes) = memo.usage();
            assert!(n <= 4 && bytes <= 1000, "{n} entries, {bytes} bytes");
        }
        // Stale entries make room first; current ones survive that.
        let memo: Memo<u32, u32> = Memo::new(3, 1000);
        memo.put(1, 1, 10, 0, later(60));
        memo.put(2, 2, 10, 1, later(60));
        memo.put(3, 3, 10, 1, later(60));
        memo.put(4, 4, 10, 1, later(60));
        assert_eq!(memo.get(&1, 0, Instant::now()), None);
        assert_eq!(memo.get(&2, 1, Instant::now()), Some(2));
        assert_eq!(memo.get(&4, 1, Instant::now()), Some(4));
    }

    #[test]
    fn an_answer_too_large_for_the_budget_is_not_kept() {
        let memo: Memo<u32, u32> = Memo::new(4, 1000);
        memo.put(1, 1, 251, 0, later(60));
        assert_eq!(memo.get(&1, 0, Instant::now()), None);
        assert_eq!(memo.usage(), (0, 0));
    }
}
