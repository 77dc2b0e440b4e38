//! A small, fast, deterministic hasher for the short string keys of the
//! extractor's per-article tables.
//!
//! The standard library's SipHash is built to resist hash flooding, which is
//! worth nothing here (the keys are words of one article) and costs a large
//! share of the per-token budget. This is the multiply-rotate scheme used by
//! rustc's `FxHasher`, written out so the crate needs no extra dependency. It
//! has no random seed, so table behaviour is reproducible run to run.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Multiply-rotate hasher over 8-byte words.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_lookups_work() {
        let mut map: FastMap<&str, u32> = FastMap::default();
        map.insert("Ankara", 1);
        map.insert("Ankara's", 2);
        map.insert("a-rather-long-key-over-eight-bytes", 3);
        assert_eq!(map.get("Ankara"), Some(&1));
        assert_eq!(map.get("Ankara's"), Some(&2));
        assert_eq!(map.get("a-rather-long-key-over-eight-bytes"), Some(&3));
        assert_eq!(map.get("ankara"), None);
    }
}
