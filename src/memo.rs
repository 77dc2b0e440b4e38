//! A memo that forgets what a build did not use.
//!
//! Each stage keeps the last build's results (extractions, briefing bodies,
//! page bytes) by a key of their inputs. Making the whole map again on every
//! build costs as many inserts as there are briefings, although an edit
//! changes one; instead, a build marks the entries it reads, inserts what it
//! made, and sweeps the rest once it is done. Entries are marked through a
//! shared reference, so the lookups can run on every core.

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

/// Values by key, each marked with the last run that read or made it.
pub struct Swept<K, V> {
    entries: FxHashMap<K, (V, AtomicU64)>,
    /// The current run (0 before the first).
    run: u64,
}

impl<K, V> Default for Swept<K, V> {
    fn default() -> Swept<K, V> {
        Swept {
            entries: FxHashMap::default(),
            run: 0,
        }
    }
}

impl<K: Hash + Eq, V> Swept<K, V> {
    /// Starts a run: what it neither reads nor inserts goes at [`Swept::sweep`].
    pub fn begin(&mut self) {
        self.run += 1;
    }

    /// The value at `key`, marked as used by this run.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let (value, seen) = self.entries.get(key)?;
        seen.store(self.run, Ordering::Relaxed);
        Some(value)
    }

    /// Keeps `value` at `key` for this run and the next.
    pub fn insert(&mut self, key: K, value: V) {
        self.entries.insert(key, (value, AtomicU64::new(self.run)));
    }

    /// Drops every entry this run did not use.
    pub fn sweep(&mut self) {
        let run = self.run;
        self.entries
            .retain(|_, (_, seen)| seen.load(Ordering::Relaxed) == run);
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Swept;

    #[test]
    fn a_run_keeps_what_it_read_or_made_and_nothing_else() {
        let mut memo: Swept<&str, u32> = Swept::default();
        memo.begin();
        memo.insert("a", 1);
        memo.insert("b", 2);
        memo.sweep();
        assert_eq!(memo.get("a"), Some(&1));

        memo.begin();
        assert_eq!(memo.get("a"), Some(&1));
        memo.insert("c", 3);
        memo.sweep();
        assert_eq!(
            (memo.get("a"), memo.get("b"), memo.get("c")),
            (Some(&1), None, Some(&3))
        );
    }

    #[test]
    fn a_run_that_is_not_swept_loses_nothing() {
        let mut memo: Swept<u64, u32> = Swept::default();
        memo.begin();
        memo.insert(1, 1);
        memo.insert(2, 2);
        memo.sweep();
        // A run that failed half way reads one entry and is never swept.
        memo.begin();
        assert_eq!(memo.get(&1), Some(&1));
        memo.begin();
        assert_eq!(memo.get(&2), Some(&2));
        memo.sweep();
        assert_eq!((memo.get(&1), memo.get(&2)), (None, Some(&2)));
    }
}
