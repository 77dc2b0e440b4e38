//! The static search index: a handful of compact JSON files under `search/` that
//! the search page's script queries in the browser, so search works on any static
//! host without a server.
//!
//! It is built from data already in memory (titles, plain body text, and the
//! actor, kind and place filters from extraction); no HTML is parsed again. Each
//! briefing's term list is memoised by a hash of what it is made of, so a rebuild
//! after one briefing changed tokenises that briefing only; merging the lists
//! into term shards is then two linear passes, and shards whose terms and
//! postings did not change keep their bytes.
//!
//! The format (documented for users in docs/output.md):
//!
//! - `search/meta.json`: format version, number of briefings, chunk size, the
//!   shard keys that exist, a content hash for cache-busting, the facet names,
//!   and the normalisation settings the script must mirror (stop words, letter
//!   folds, longest term).
//! - `search/docs/<n>.json`: briefings `n * chunk ..`, each
//!   `[url, title, date, dateline, excerpt]`. Doc ids are positions in the
//!   briefing order, which is newest first, so sorting by id sorts by date.
//! - `search/terms/<key>.json`: `{term: [posting, ...]}` for the terms whose
//!   first two characters are the key (`key` is the hex of their UTF-8 bytes).
//!   A posting is `gap * 16 + title * 8 + min(tf, 7)`, where `gap` is the doc
//!   id minus the previous posting's (the first one's is the id itself).
//! - `search/filter/<facet>.json`: `{value: [gap, ...]}` for `actor`, `kind`
//!   and `place`.

use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::escape::JsonMarkupEscaper;
use super::labels;
use super::pages::Links;
use super::{Page, hash_of};
use crate::briefing::SameBriefing;
use crate::content::{Article, Format};

/// Bumped whenever the files change shape, so a script can tell.
const FORMAT_VERSION: u32 = 1;

/// Briefings per `docs/<n>.json` file: a page of results costs at most this
/// many entries per result to fetch, and a date-sorted page usually one file.
const CHUNK: usize = 64;

/// Terms are cut to this many characters: long runs (identifiers, hashes)
/// would otherwise bloat the shards, and the query is cut the same way.
const MAX_TERM_CHARS: usize = 40;

/// Characters of plain body text kept as the excerpt the results show.
const EXCERPT_CHARS: usize = 300;

/// Words too common in English to narrow a search; only for English sites.
/// Listed in meta.json, so the script leaves them out of queries too.
const STOP_WORDS_EN: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have",
    "he", "her", "his", "in", "into", "is", "it", "its", "not", "of", "on", "or", "she", "that",
    "the", "their", "them", "they", "this", "to", "was", "were", "which", "will", "with",
];

/// Latin letters that have no canonical decomposition but that readers type
/// without their stroke or ligature. Applied after lowercasing; the script
/// reads the same table from meta.json, so the two sides agree. The final
/// sigma is here because browsers lowercase a word-final Σ to ς and Rust to σ.
const FOLDS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ı', "i"),
    ('ħ', "h"),
    ('ς', "σ"),
];

/// The facets, in the order of [`Facets`]' fields and of meta.json.
const FACETS: [&str; 3] = ["actor", "kind", "place"];

/// The search stage's memo: per-briefing term lists keyed by a hash of what the
/// record is made of, the term dictionary they point into, and each file's
/// bytes with a hash of what it was made from, so a rebuild re-tokenises and
/// re-serialises only what changed.
#[derive(Default)]
pub struct Indexer {
    docs: FxHashMap<u64, Arc<DocEntry>>,
    vocab: Vocab,
    /// Per output file other than meta.json: a hash of what it was made from,
    /// and its bytes.
    files: FileMemo,
    /// The whole index of the last build, under a hash of every briefing's key.
    last: Option<(u64, Vec<Page>)>,
    /// The keys of the last build by briefing, valid while the names and the
    /// language are the same (see [`Indexer::keys`]).
    keys: (u64, SameBriefing<(u64, u64)>),
    /// What the term shards of the last build were made from.
    shards: Option<Shards>,
}

/// The term shards of one build: the records they index, in order, and the
/// live term ids of each shard in byte order. After a small edit only the
/// shards of the terms whose postings changed are made again.
struct Shards {
    docs: Vec<Arc<DocEntry>>,
    groups: FxHashMap<String, Vec<u32>>,
    /// Every live term's postings, so a patch reads the lists of the terms
    /// it remakes instead of every briefing's terms.
    postings: Postings,
    /// Builds patched since the shards were last made whole: terms no
    /// briefing uses any more are only dropped from the dictionary then.
    patches: usize,
}

/// Postings by term id: the lists of the last whole build, in one array cut
/// by term (`all[starts[id]..starts[id + 1]]`), and the lists patches made
/// since, which take their place.
struct Postings {
    starts: Vec<u32>,
    all: Vec<u32>,
    patched: FxHashMap<u32, Vec<u32>>,
}

impl Postings {
    /// Term `id`'s postings (`doc << 4 | weight`) in doc order; none for a
    /// term new since the whole build.
    fn list(&self, id: u32) -> &[u32] {
        if let Some(list) = self.patched.get(&id) {
            return list;
        }
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.all[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// A file of the index: path, hash of what it is made from, bytes.
type IndexFile = (String, u64, Arc<Vec<u8>>);

/// The index files of the last build by path: hash of their inputs, bytes.
type FileMemo = FxHashMap<String, (u64, Arc<Vec<u8>>)>;

/// More changed briefings than this, or more patches in a row, and the
/// shards are made whole again.
const SHARD_PATCH_LIMIT: usize = 64;

/// Every term seen so far, with ids that stay stable across builds so memoised
/// term lists remain valid.
#[derive(Default)]
struct Vocab {
    words: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
    /// Ids `0..sorted.len()` ordered by word; newer ids are merged in per build.
    sorted: Vec<u32>,
}

impl Vocab {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    /// Brings `sorted` up to date with the ids added since the last build.
    fn sort_new(&mut self) {
        let old = self.sorted.len();
        if old == self.words.len() {
            return;
        }
        let words = &self.words;
        let mut fresh: Vec<u32> = (old as u32..words.len() as u32).collect();
        fresh.sort_unstable_by(|a, b| words[*a as usize].cmp(&words[*b as usize]));
        let mut merged = Vec::with_capacity(words.len());
        let (mut i, mut j) = (0, 0);
        while i < old && j < fresh.len() {
            if words[self.sorted[i] as usize] <= words[fresh[j] as usize] {
                merged.push(self.sorted[i]);
                i += 1;
            } else {
                merged.push(fresh[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&self.sorted[i..]);
        merged.extend_from_slice(&fresh[j..]);
        self.sorted = merged;
    }
}

/// One briefing as the index holds it.
struct DocEntry {
    /// `term_id << 4 | weight`, one per distinct term; weight is
    /// `title * 8 + min(tf, 7)`.
    terms: Box<[u32]>,
    /// This briefing's entry of its `docs/<n>.json` file, escaped.
    json: Box<[u8]>,
    facets: Facets,
}

/// A briefing's filter values: the names its actors and places are filed under
/// and its actors' kinds, each sorted and without repeats.
struct Facets([Vec<String>; 3]);

/// A briefing's term list before its terms have ids: the distinct terms, one
/// after another in `text`, each with its end offset and weight.
struct Tokens {
    text: String,
    terms: Vec<(u32, u8)>,
    json: Box<[u8]>,
    facets: Facets,
}

/// Where the memo stands for one briefing of this build.
enum Slot {
    Memo(Arc<DocEntry>),
    Fresh(Tokens),
}

impl Indexer {
    /// All files of the index (paths under `search/`, e.g. `search/meta.json`),
    /// sorted by path. `language` decides whether English stop words are left out.
    pub fn build(&mut self, links: &Links, language: &str) -> Vec<Page> {
        let english = is_english(language);
        let articles = &links.briefing.articles;

        // Every briefing's key (what its record is made of, hashed), and its
        // filter values' part of it; nothing is cloned for briefings the memo has.
        let keys = self.keys(links, english);
        let whole = hash_of(&(&keys, english));
        if let Some((old, pages)) = &self.last
            && *old == whole
        {
            return pages.clone();
        }

        // Tokenising what the memo lacks, in parallel.
        let memo = &self.docs;
        let slots: Vec<Slot> = keys
            .par_iter()
            .enumerate()
            .map(|(i, &(key, _))| match memo.get(&key) {
                Some(entry) => Slot::Memo(Arc::clone(entry)),
                None => Slot::Fresh(tokenise(&articles[i], facets(links, i), english)),
            })
            .collect();

        // Term ids for the fresh lists (one pass over their terms), and the memo
        // for the next build: exactly this build's briefings.
        let mut next_memo = FxHashMap::default();
        next_memo.reserve(slots.len());
        let mut docs: Vec<Arc<DocEntry>> = Vec::with_capacity(slots.len());
        for (slot, &(key, _)) in slots.into_iter().zip(&keys) {
            let entry = match slot {
                Slot::Memo(entry) => entry,
                Slot::Fresh(tokens) => Arc::new(tokens.intern(&mut self.vocab)),
            };
            next_memo.insert(key, Arc::clone(&entry));
            docs.push(entry);
        }
        self.docs = next_memo;
        self.vocab.sort_new();

        // Every file as (path, hash of its inputs, bytes), reusing the bytes of
        // files whose inputs hash the same as last time.
        let old = std::mem::take(&mut self.files);
        let reuse = |path: String, hash: u64, make: &dyn Fn() -> Vec<u8>| {
            let bytes = match old.get(&path) {
                Some((h, bytes)) if *h == hash => Arc::clone(bytes),
                _ => Arc::new(make()),
            };
            (path, hash, bytes)
        };
        let mut files = self.term_shards(&docs, &old);
        files.par_extend(
            docs.par_chunks(CHUNK)
                .zip(keys.par_chunks(CHUNK))
                .enumerate()
                .map(|(n, (chunk, chunk_keys))| {
                    reuse(
                        format!("search/docs/{n}.json"),
                        hash_of(&chunk_keys),
                        &|| docs_file(chunk),
                    )
                }),
        );
        let facet_hash = hash_of(&keys.iter().map(|k| k.1).collect::<Vec<u64>>());
        files.par_extend(FACETS.par_iter().enumerate().map(|(f, name)| {
            reuse(format!("search/filter/{name}.json"), facet_hash, &|| {
                facet_file(&docs, f)
            })
        }));
        files.sort_by(|a, b| a.0.cmp(&b.0));

        // The content hash: from each file's input hash, so no bytes are read
        // again; equal inputs make equal bytes, so it changes exactly when a file does.
        let mut hasher = Xxh3::new();
        for (path, hash, _) in &files {
            hasher.update(path.as_bytes());
            hasher.update(&hash.to_le_bytes());
        }
        let shard_keys: Vec<&str> = files
            .iter()
            .filter_map(|f| f.0.strip_prefix("search/terms/")?.strip_suffix(".json"))
            .collect();
        let meta = json(&Meta {
            version: FORMAT_VERSION,
            docs: docs.len(),
            chunk: CHUNK,
            shards: shard_keys,
            hash: format!("{:016x}", hasher.finish()),
            facets: &FACETS,
            stop: if english { STOP_WORDS_EN } else { &[] },
            folds: FOLDS.iter().map(|(c, s)| (*c, *s)).collect(),
            max_term: MAX_TERM_CHARS,
        });

        let mut pages = Vec::with_capacity(files.len() + 1);
        pages.push(Page::new("search/meta.json", meta));
        for (path, hash, bytes) in files {
            pages.push(Page {
                path: path.clone(),
                bytes: Arc::clone(&bytes).into(),
            });
            self.files.insert(path, (hash, bytes));
        }
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        self.last = Some((whole, pages.clone()));
        pages
    }

    /// Every briefing's key and the filter values' part of it. A briefing
    /// whose article and extraction are the very ones of the last build (the
    /// earlier stages reuse what did not change) keeps its key without being
    /// read, when the actor and place names and the language are unchanged.
    fn keys(&mut self, links: &Links, english: bool) -> Vec<(u64, u64)> {
        let briefing = links.briefing;
        let names = Names::new(links);
        let context = hash_of(&(names.hash, english));
        let (old_context, old) = std::mem::take(&mut self.keys);
        let reuse = old_context == context;
        let keys: Vec<(u64, u64)> = (0..briefing.articles.len())
            .into_par_iter()
            .map(|i| match old.get(briefing, i) {
                Some(&key) if reuse => key,
                _ => doc_key(links, &names, i, english),
            })
            .collect();
        drop(old);
        self.keys = (context, SameBriefing::new(briefing, keys.iter().copied()));
        keys
    }

    /// The term shards: postings grouped by term (a counting sort over term
    /// ids, so each list comes out in doc order), terms in byte order, one file
    /// per two-character prefix. Shards whose contents hash the same as last
    /// time keep their bytes.
    fn term_shards(&mut self, docs: &[Arc<DocEntry>], old: &FileMemo) -> Vec<IndexFile> {
        if let Some(last) = self.shards.take()
            && let Some(files) = self.patch_shards(last, docs, old)
        {
            return files;
        }
        self.whole_shards(docs, old)
    }

    /// The term shards after a small edit: the last build's, with those made
    /// again whose terms gained, lost or reweighed a posting. `None` when the
    /// edit is not small (then every shard is made).
    fn patch_shards(
        &mut self,
        mut last: Shards,
        docs: &[Arc<DocEntry>],
        old: &FileMemo,
    ) -> Option<Vec<IndexFile>> {
        if last.docs.len() != docs.len() || last.patches >= SHARD_PATCH_LIMIT {
            return None;
        }
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&i| !Arc::ptr_eq(&last.docs[i], &docs[i]))
            .collect();
        if changed.len() > SHARD_PATCH_LIMIT {
            return None;
        }
        // Terms whose posting for a changed briefing appeared, went or changed
        // weight: the postings of every other term are as they were.
        let words = &self.vocab.words;
        let mut dirty_terms: Vec<u32> = Vec::new();
        for &i in &changed {
            let mut before = last.docs[i].terms.to_vec();
            let mut after = docs[i].terms.to_vec();
            before.sort_unstable();
            after.sort_unstable();
            let (mut a, mut b) = (0, 0);
            while a < before.len() || b < after.len() {
                match (before.get(a), after.get(b)) {
                    (Some(x), Some(y)) if x == y => {
                        a += 1;
                        b += 1;
                    }
                    (Some(x), Some(y)) if x < y => {
                        dirty_terms.push(x >> 4);
                        a += 1;
                    }
                    (Some(x), None) => {
                        dirty_terms.push(x >> 4);
                        a += 1;
                    }
                    (_, Some(y)) => {
                        dirty_terms.push(y >> 4);
                        b += 1;
                    }
                    (None, None) => break,
                }
            }
        }
        dirty_terms.sort_unstable();
        dirty_terms.dedup();
        // The shards of those terms, with every term they hold.
        let mut dirty: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let held = &last.groups;
        for &id in &dirty_terms {
            let key = shard_key(&words[id as usize]);
            dirty
                .entry(key)
                .or_insert_with_key(|key| held.get(key).cloned().unwrap_or_default())
                .push(id);
        }
        // Their postings: the last lists without the changed briefings, and
        // the changed briefings' postings as they are now.
        let mut slot = vec![u32::MAX; words.len()];
        let mut lists: Vec<Vec<u32>> = Vec::new();
        // The term of each list.
        let mut slotted: Vec<u32> = Vec::new();
        let changed_doc = |posting: &u32| changed.binary_search(&((posting >> 4) as usize)).is_ok();
        for ids in dirty.values_mut() {
            ids.sort_unstable();
            ids.dedup();
            for &id in ids.iter() {
                slot[id as usize] = lists.len() as u32;
                slotted.push(id);
                let list = last.postings.list(id);
                lists.push(list.iter().copied().filter(|p| !changed_doc(p)).collect());
            }
        }
        for &i in &changed {
            for &t in docs[i].terms.iter() {
                let s = slot[(t >> 4) as usize];
                if s != u32::MAX {
                    lists[s as usize].push(((i as u32) << 4) | (t & 15));
                }
            }
        }
        // One posting per briefing in a list, so sorting by value is by briefing.
        for list in &mut lists {
            list.sort_unstable();
        }
        let mut made = Vec::with_capacity(dirty.len());
        for (key, mut ids) in dirty {
            ids.retain(|&id| !lists[slot[id as usize] as usize].is_empty());
            ids.sort_unstable_by(|a, b| words[*a as usize].cmp(&words[*b as usize]));
            if ids.is_empty() {
                last.groups.remove(&key);
                continue;
            }
            let shard = ids.iter().map(|&id| {
                let i = id as usize;
                (&*words[i], &lists[slot[i] as usize][..])
            });
            let (hash, bytes) = shard_bytes(shard, old.get(&shard_path(&key)));
            made.push((shard_path(&key), hash, bytes));
            last.groups.insert(key, ids);
        }
        // The lists made now stand for their terms from here on, an empty one
        // for a term no briefing uses any more.
        for (id, list) in slotted.into_iter().zip(lists) {
            last.postings.patched.insert(id, list);
        }
        let remade: FxHashSet<&str> = made.iter().map(|(path, _, _)| path.as_str()).collect();
        let mut files = Vec::with_capacity(last.groups.len());
        for key in last.groups.keys() {
            let path = shard_path(key);
            if remade.contains(path.as_str()) {
                continue;
            }
            let (hash, bytes) = old.get(&path)?;
            files.push((path, *hash, Arc::clone(bytes)));
        }
        files.extend(made);
        self.shards = Some(Shards {
            docs: docs.to_vec(),
            groups: last.groups,
            postings: last.postings,
            patches: last.patches + 1,
        });
        Some(files)
    }

    /// Every term shard, made from every briefing's terms.
    fn whole_shards(&mut self, docs: &[Arc<DocEntry>], old: &FileMemo) -> Vec<IndexFile> {
        let n_terms = self.vocab.words.len();
        let mut starts = vec![0u32; n_terms + 1];
        for doc in docs {
            for t in doc.terms.iter() {
                starts[(t >> 4) as usize + 1] += 1;
            }
        }
        for i in 0..n_terms {
            starts[i + 1] += starts[i];
        }
        let mut postings = vec![0u32; starts[n_terms] as usize];
        let mut cursor = starts.clone();
        for (id, doc) in docs.iter().enumerate() {
            for t in doc.terms.iter() {
                let slot = &mut cursor[(t >> 4) as usize];
                postings[*slot as usize] = ((id as u32) << 4) | (t & 15);
                *slot += 1;
            }
        }

        // Live terms in byte order, cut into runs that share a shard key.
        let words = &self.vocab.words;
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &id in &self.vocab.sorted {
            let i = id as usize;
            if starts[i] == starts[i + 1] {
                continue;
            }
            let key = shard_key(&words[i]);
            match groups.last_mut() {
                Some((last, ids)) if *last == key => ids.push(id),
                _ => groups.push((key, vec![id])),
            }
        }

        let files: Vec<IndexFile> = groups
            .par_iter()
            .map(|(key, ids)| {
                let path = shard_path(key);
                let lists = ids.iter().map(|&id| {
                    let i = id as usize;
                    (
                        &*words[i],
                        &postings[starts[i] as usize..starts[i + 1] as usize],
                    )
                });
                let (hash, bytes) = shard_bytes(lists, old.get(&path));
                (path, hash, bytes)
            })
            .collect();

        // Ids of terms no briefing uses any more are dropped now and then, so
        // a long `serve` session does not grow the dictionary without bound:
        // the memo is emptied with it, since its lists point at old ids.
        let live = self
            .vocab
            .sorted
            .iter()
            .filter(|&&id| starts[id as usize] != starts[id as usize + 1])
            .count();
        if n_terms > 4096 && live * 2 < n_terms {
            self.vocab = Vocab::default();
            self.docs.clear();
        } else {
            self.shards = Some(Shards {
                docs: docs.to_vec(),
                groups: groups.into_iter().collect(),
                postings: Postings {
                    starts,
                    all: postings,
                    patched: FxHashMap::default(),
                },
                patches: 0,
            });
        }
        files
    }
}

/// `search/meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    chunk: usize,
    shards: Vec<&'a str>,
    hash: String,
    facets: &'a [&'a str],
    stop: &'a [&'a str],
    folds: std::collections::BTreeMap<char, &'a str>,
    max_term: usize,
}

/// Whether the site's language is English (`en`, `en-GB`, ...).
fn is_english(language: &str) -> bool {
    language
        .split(['-', '_'])
        .next()
        .is_some_and(|primary| primary.eq_ignore_ascii_case("en"))
}

/// `value` as compact JSON with markup characters escaped.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    super::escape::json_for_markup(value, 256, b"{}")
}

/// The hash of every actor's and place's name, by id, so a briefing's key
/// hashes one integer per actor or place rather than looking up and hashing
/// its name.
struct Names<'a> {
    actors: FxHashMap<&'a str, u64>,
    places: FxHashMap<&'a str, u64>,
    /// All of it, hashed in id order.
    hash: u64,
}

impl<'a> Names<'a> {
    fn new(links: &'a Links) -> Names<'a> {
        let hashed = |refs: Vec<(&'a str, &str)>| {
            let mut hashed: Vec<(&'a str, u64)> = refs
                .into_iter()
                .map(|(id, name)| (id, hash_of(&name)))
                .collect();
            hashed.sort_unstable();
            hashed
        };
        let actors = hashed(
            links
                .actor_refs
                .iter()
                .map(|(id, r)| (*id, r.name.as_str()))
                .collect(),
        );
        let places = hashed(
            links
                .place_refs
                .iter()
                .map(|(id, r)| (*id, r.name.as_str()))
                .collect(),
        );
        Names {
            hash: hash_of(&(&actors, &places)),
            actors: actors.into_iter().collect(),
            places: places.into_iter().collect(),
        }
    }
}

/// What briefing `i`'s record is made of, hashed: when it is unchanged, so
/// are its term list, its docs entry and its filter values. The second hash
/// covers the filter values alone. Nothing is cloned, so a briefing the memo
/// has costs next to nothing.
fn doc_key(links: &Links, names: &Names, i: usize, english: bool) -> (u64, u64) {
    let article = &links.briefing.articles[i];
    let extraction = &links.briefing.extractions[i];
    // An actor or place without a page has no name to file under: 0.
    let mut parts: Vec<u64> =
        Vec::with_capacity(2 * extraction.actors.len() + extraction.places.len() + 1);
    for actor in &extraction.actors {
        parts.push(names.actors.get(actor.id.as_str()).copied().unwrap_or(0));
        parts.push(actor.kind as u64);
    }
    parts.push(u64::MAX);
    for place in &extraction.places {
        parts.push(names.places.get(place.id.as_str()).copied().unwrap_or(0));
    }
    let facets = hash_of(&parts);
    let key = hash_of(&(
        article.hash,
        article.body_start,
        &article.headline,
        article.format == Format::Wire,
        &article.slug,
        &article.title,
        article.date,
        &article.dateline,
        facets,
        english,
    ));
    (key, facets)
}

/// Briefing `i`'s filter values: its actors' names and kinds, its places' names.
fn facets(links: &Links, i: usize) -> Facets {
    let extraction = &links.briefing.extractions[i];
    let mut actors: Vec<String> = extraction
        .actors
        .iter()
        .filter_map(|a| links.actor_refs.get(a.id.as_str()).map(|r| r.name.clone()))
        .collect();
    let mut kinds: Vec<String> = extraction
        .actors
        .iter()
        .map(|a| labels::kind_label(a.kind).to_string())
        .collect();
    let mut places: Vec<String> = extraction
        .places
        .iter()
        .filter_map(|p| links.place_refs.get(p.id.as_str()).map(|r| r.name.clone()))
        .collect();
    for list in [&mut actors, &mut kinds, &mut places] {
        list.sort_unstable();
        list.dedup();
    }
    Facets([actors, kinds, places])
}

/// The body of a briefing as rendered (see `body_range`): for wire copy the
/// headline is the title and is indexed as such.
fn body(article: &Article) -> &str {
    article
        .text
        .get(super::body_range(article)..)
        .unwrap_or_default()
}

/// Tokenises one briefing: its distinct terms with their weights, its docs
/// entry and its filter values.
fn tokenise(article: &Article, facets: Facets, english: bool) -> Tokens {
    let body = body(article);
    let (title, title_words) = normalise(&article.title);
    let (text, words) = normalise(body);

    // Distinct terms: (body count, in the title). Stop words are counted like
    // any word and dropped at the end: a few removals per briefing cost less
    // than a check per word.
    let mut counts: FxHashMap<&str, (u16, bool)> = FxHashMap::default();
    counts.reserve(1024);
    for term in title_words.iter().filter_map(|&w| term_at(&title, w)) {
        counts.entry(term).or_insert((0, true));
    }
    for term in words.iter().filter_map(|&w| term_at(&text, w)) {
        match counts.entry(term) {
            Entry::Occupied(mut e) => {
                let tf = &mut e.get_mut().0;
                *tf = tf.saturating_add(1);
            }
            Entry::Vacant(e) => {
                e.insert((1, false));
            }
        }
    }
    if english {
        for stop in STOP_WORDS_EN {
            counts.remove(stop);
        }
    }
    let mut arena = String::with_capacity(counts.keys().map(|t| t.len()).sum());
    let mut terms = Vec::with_capacity(counts.len());
    for (term, (tf, in_title)) in counts {
        arena.push_str(term);
        let weight = (u8::from(in_title) << 3) | tf.min(7) as u8;
        terms.push((arena.len() as u32, weight));
    }

    let date = labels::display_date(article.date);
    let url = format!("briefings/{}/", article.slug);
    let record = (
        url.as_str(),
        article.title.as_str(),
        date.as_str(),
        article.dateline.as_deref().unwrap_or_default(),
        excerpt(body),
    );
    Tokens {
        text: arena,
        terms,
        json: super::escape::json_for_markup(&record, 512, b"[\"\",\"\",\"\",\"\",\"\"]")
            .into_boxed_slice(),
        facets,
    }
}

impl Tokens {
    /// The term list with dictionary ids in place of the terms.
    fn intern(self, vocab: &mut Vocab) -> DocEntry {
        let mut start = 0;
        let terms = self
            .terms
            .iter()
            .map(|&(end, weight)| {
                let word = &self.text[start..end as usize];
                start = end as usize;
                (vocab.id(word) << 4) | u32::from(weight)
            })
            .collect();
        DocEntry {
            terms,
            json: self.json,
            facets: self.facets,
        }
    }
}

/// The start of the body as plain text, cut at a word boundary. Only the
/// first few hundred bytes of the body are turned into plain text: the rest
/// would be thrown away.
fn excerpt(body: &str) -> String {
    let mut end = body.len().min(EXCERPT_CHARS * 3);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let plain = super::pages::plain_text_unbounded(&body[..end]);
    match plain.char_indices().nth(EXCERPT_CHARS) {
        None if end == body.len() => plain,
        None => {
            let mut out = plain;
            out.push('…');
            out
        }
        Some((cut, _)) => {
            let head = &plain[..cut];
            let head = match head.rfind(' ') {
                Some(space) if space > cut / 2 => &head[..space],
                _ => head,
            };
            let mut out = head.trim_end_matches([',', ';', ':', ' ']).to_string();
            out.push('…');
            out
        }
    }
}

/// Writes `text` normalised for search into `out`: canonically decomposed,
/// lowercased, diacritical marks (U+0300–U+036F) dropped, [`FOLDS`] applied,
/// and every run of characters that are neither letters nor digits replaced by
/// one space. The search page's script does the same with
/// `normalize("NFD")`, `toLowerCase()` and `\p{Alphabetic}\p{N}`, so queries
/// and index agree; letters of other scripts are kept as they are.
///
/// The `(url)` of a Markdown link `[text](url)` is skipped, as the plain text
/// the results show leaves it out; any other markup is punctuation and only
/// separates words.
fn normalise_into(text: &str, out: &mut Vec<u8>, words: &mut Vec<(u32, u32)>) {
    let bytes = text.as_bytes();
    let mut word_start = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            let lower = ASCII_WORD[usize::from(b)];
            i += 1;
            if lower != 0 {
                if word_start.is_none() {
                    word_start = Some(out.len());
                }
                out.push(lower);
                // The rest of an ASCII word, without the checks above.
                while let Some(&b) = bytes.get(i) {
                    let lower = ASCII_WORD[usize::from(b & 0x7f)];
                    if !b.is_ascii() || lower == 0 {
                        break;
                    }
                    out.push(lower);
                    i += 1;
                }
                continue;
            }
            if b == b']' && bytes.get(i) == Some(&b'(') {
                i = memchr::memchr(b')', &bytes[i..]).map_or(bytes.len(), |j| i + j + 1);
            }
            end_word(&mut word_start, out, words);
            continue;
        }
        // `i` is always on a character boundary: it only moves by whole characters.
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let mut buf = [0u8; 4];
        unicode_normalization::char::decompose_canonical(c, |d| {
            for l in d.to_lowercase() {
                if ('\u{300}'..='\u{36f}').contains(&l) {
                    continue;
                }
                let folded = FOLDS.iter().find(|(f, _)| *f == l).map(|(_, to)| *to);
                if folded.is_some() || l.is_alphanumeric() {
                    if word_start.is_none() {
                        word_start = Some(out.len());
                    }
                    let piece = folded.unwrap_or_else(|| l.encode_utf8(&mut buf));
                    out.extend_from_slice(piece.as_bytes());
                } else {
                    end_word(&mut word_start, out, words);
                }
            }
        });
    }
    end_word(&mut word_start, out, words);
}

/// Records the word being written, if any, as ended.
fn end_word(word_start: &mut Option<usize>, out: &[u8], words: &mut Vec<(u32, u32)>) {
    if let Some(start) = word_start.take() {
        words.push((start as u32, out.len() as u32));
    }
}

/// For each ASCII byte: its lowercase form if it is a letter or digit, else 0.
const ASCII_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The words of `text`, normalised (see [`normalise_into`]): the normalised
/// text, and the byte range of each word in it.
fn normalise(text: &str) -> (String, Vec<(u32, u32)>) {
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut words = Vec::with_capacity(text.len() / 5);
    normalise_into(text, &mut out, &mut words);
    // Only whole characters were written, so this is always UTF-8.
    let out = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (out, words)
}

/// The word at `range` of normalised text if it can be a term: two characters
/// or more, cut to [`MAX_TERM_CHARS`]. Stop words are the caller's to drop.
fn term_at(text: &str, (start, end): (u32, u32)) -> Option<&str> {
    let word = text.get(start as usize..end as usize)?;
    let first = *word.as_bytes().first()?;
    // A word of one character is as long as its first byte says.
    let one_char = match first {
        0..0x80 => 1,
        0x80..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    };
    if word.len() <= one_char {
        return None;
    }
    if word.len() <= MAX_TERM_CHARS {
        return Some(word);
    }
    Some(match word.char_indices().nth(MAX_TERM_CHARS) {
        Some((cut, _)) => &word[..cut],
        None => word,
    })
}

/// The terms of `text` in order, as the index and the search page see them.
#[cfg(test)]
fn terms(text: &str, english: bool) -> Vec<String> {
    let (norm, words) = normalise(text);
    words
        .into_iter()
        .filter_map(|w| term_at(&norm, w))
        .filter(|t| !(english && STOP_WORDS_EN.contains(t)))
        .map(str::to_string)
        .collect()
}

/// The shard a term goes to: the hex of the UTF-8 bytes of its first two
/// characters (file-name safe for any script).
fn shard_key(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    let mut key = String::with_capacity(end * 2);
    for b in &term.as_bytes()[..end] {
        key.push(char::from(HEX[usize::from(b >> 4)]));
        key.push(char::from(HEX[usize::from(b & 15)]));
    }
    key
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The path of the term shard `key`.
fn shard_path(key: &str) -> String {
    format!("search/terms/{key}.json")
}

/// A term shard's hash (of its terms and postings) and bytes: `old`'s bytes
/// when its hash is the same.
fn shard_bytes<'a>(
    lists: impl Iterator<Item = (&'a str, &'a [u32])> + Clone,
    old: Option<&(u64, Arc<Vec<u8>>)>,
) -> (u64, Arc<Vec<u8>>) {
    let mut hasher = super::KeyHasher::default();
    for (word, postings) in lists.clone() {
        word.hash(&mut hasher);
        postings.hash(&mut hasher);
    }
    let hash = hasher.finish();
    match old {
        Some((h, bytes)) if *h == hash => (hash, Arc::clone(bytes)),
        _ => (hash, Arc::new(shard_file(lists))),
    }
}

/// One `terms/<key>.json` file from `(term, postings)` in term order, each
/// posting `doc << 4 | weight` in doc order.
fn shard_file<'a>(lists: impl Iterator<Item = (&'a str, &'a [u32])>) -> Vec<u8> {
    let mut out = JsonMarkupEscaper(Vec::new());
    let mut ints = itoa::Buffer::new();
    out.0.push(b'{');
    for (n, (term, postings)) in lists.enumerate() {
        if n > 0 {
            out.0.push(b',');
        }
        write_string(&mut out, term);
        out.0.extend_from_slice(b":[");
        let mut previous = 0u64;
        for (k, p) in postings.iter().enumerate() {
            if k > 0 {
                out.0.push(b',');
            }
            let doc = u64::from(p >> 4);
            let packed = ((doc - previous) << 4) | u64::from(p & 15);
            previous = doc;
            out.0.extend_from_slice(ints.format(packed).as_bytes());
        }
        out.0.push(b']');
    }
    out.0.push(b'}');
    out.0
}

/// One `docs/<n>.json` file: the entries of `chunk`, in doc order.
fn docs_file(chunk: &[Arc<DocEntry>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(chunk.iter().map(|d| d.json.len() + 1).sum::<usize>() + 1);
    out.push(b'[');
    for (k, doc) in chunk.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&doc.json);
    }
    out.push(b']');
    out
}

/// One `filter/<facet>.json` file: each value with the ids of its briefings.
fn facet_file(docs: &[Arc<DocEntry>], facet: usize) -> Vec<u8> {
    let mut by_value: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (id, doc) in docs.iter().enumerate() {
        for value in &doc.facets.0[facet] {
            by_value.entry(value.as_str()).or_default().push(id as u32);
        }
    }
    let mut values: Vec<(&str, Vec<u32>)> = by_value.into_iter().collect();
    values.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = JsonMarkupEscaper(Vec::new());
    let mut ints = itoa::Buffer::new();
    out.0.push(b'{');
    for (n, (value, ids)) in values.iter().enumerate() {
        if n > 0 {
            out.0.push(b',');
        }
        write_string(&mut out, value);
        out.0.extend_from_slice(b":[");
        let mut previous = 0;
        for (k, id) in ids.iter().enumerate() {
            if k > 0 {
                out.0.push(b',');
            }
            out.0
                .extend_from_slice(ints.format(id - previous).as_bytes());
            previous = *id;
        }
        out.0.push(b']');
    }
    out.0.push(b'}');
    out.0
}

/// Writes `text` as a JSON string with markup characters escaped.
fn write_string(out: &mut JsonMarkupEscaper, text: &str) {
    if serde_json::to_writer(&mut *out, text).is_err() {
        // Writing a `&str` into memory cannot fail; an empty string keeps the
        // file valid JSON if it ever did.
        out.0.extend_from_slice(b"\"\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold_away() {
        assert_eq!(
            terms("Erdoğan MET Şahin in Zürich", true),
            ["erdogan", "met", "sahin", "zurich"]
        );
        assert_eq!(terms("ÉCOLE école", true), ["ecole", "ecole"]);
        // Decomposed input folds the same as precomposed.
        assert_eq!(terms("Erdog\u{306}an", true), ["erdogan"]);
        assert_eq!(
            terms("İstanbul Straße Łódź Ørsted", true),
            ["istanbul", "strasse", "lodz", "orsted"]
        );
    }

    #[test]
    fn hyphens_and_apostrophes_split_words() {
        assert_eq!(
            terms("al-Sisi's cease-fire", true),
            ["al", "sisi", "cease", "fire"]
        );
        assert_eq!(
            terms("Israel’s 2026 talks", true),
            ["israel", "2026", "talks"]
        );
    }

    #[test]
    fn short_words_and_stop_words_are_left_out() {
        assert_eq!(
            terms("A talk of the UN in Gaza, x y", true),
            ["talk", "un", "gaza"]
        );
        // Other languages keep every word of two letters or more.
        assert_eq!(terms("the in", false), ["the", "in"]);
        assert!(STOP_WORDS_EN.windows(2).all(|w| w[0] < w[1]), "sorted");
    }

    #[test]
    fn other_scripts_are_kept_lowercased() {
        assert_eq!(
            terms("Москва ΑΘΗΝΑ Ἀθῆναι", true),
            ["москва", "αθηνα", "αθηναι"]
        );
        assert_eq!(terms("ΟΔΟΣ", true), ["οδοσ"]);
        assert_eq!(terms("東京 x", true), ["東京"]);
    }

    #[test]
    fn link_targets_are_not_words() {
        assert_eq!(
            terms("[Hamas](https://hamas.example/x)said", true),
            ["hamas", "said"]
        );
    }

    #[test]
    fn long_terms_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(terms(&long, true), ["a".repeat(MAX_TERM_CHARS)]);
    }

    #[test]
    fn shard_keys_are_hex_of_two_characters() {
        assert_eq!(shard_key("negotiation"), "6e65");
        assert_eq!(shard_key("ok"), "6f6b");
        assert_eq!(shard_key("москва"), "d0bcd0be");
    }

    #[test]
    fn postings_are_gaps_with_weights() {
        let lists = [
            ("talks", &[(3 << 4) | 9, (10 << 4) | 2][..]),
            ("tanks", &[1][..]),
        ];
        let bytes = shard_file(lists.into_iter());
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"talks":[57,114],"tanks":[1]}"#
        );
    }

    #[test]
    fn excerpts_end_at_a_word() {
        let text = "word ".repeat(100);
        let e = excerpt(&text);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short text"), "short text");
        assert_eq!(
            excerpt("**Bold** [link](https://x.org) text"),
            "Bold link text"
        );
    }

    /// Index build times on a generated corpus (`cargo run --release --example
    /// corpus` writes one): a fresh build, an unchanged rebuild, and a rebuild
    /// after one briefing changed. Run with
    /// `DOSSIER_BENCH_CORPUS=<site root> cargo test --release --lib index_build_timings -- --ignored --nocapture`.
    #[test]
    #[ignore = "needs DOSSIER_BENCH_CORPUS; prints timings"]
    fn index_build_timings() {
        let Ok(root) = std::env::var("DOSSIER_BENCH_CORPUS") else {
            eprintln!("DOSSIER_BENCH_CORPUS is not set; nothing measured");
            return;
        };
        let mut site = crate::site::Site::new(root, crate::site::BuildOptions::default());
        let built = site.render().expect("the corpus renders").built;
        let site_ctx = |config: &crate::config::Config| super::super::context::SiteCtx {
            title: config.title.clone(),
            description: String::new(),
            base_url: config.base_url.clone(),
            base_path: config.base_path().to_string(),
            language: config.language.clone(),
            version: String::new(),
            year: String::new(),
            css_url: String::new(),
            js_url: String::new(),
            favicon_url: String::new(),
            value: Default::default(),
        };
        let mut briefing = built.briefing;
        let config = &built.config;
        let mut indexer = Indexer::default();
        let mut timed = |what: &str, briefing: &crate::briefing::Briefing| {
            let links = Links::new(briefing, config, site_ctx(config));
            let started = std::time::Instant::now();
            let pages = indexer.build(&links, &config.language);
            let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
            eprintln!(
                "{what}: {:?} for {} briefings, {} files, {} bytes",
                started.elapsed(),
                briefing.articles.len(),
                pages.len(),
                bytes
            );
        };
        timed("fresh", &briefing);
        timed("unchanged", &briefing);
        let middle = briefing.articles.len() / 2;
        if let Some(article) = briefing.articles.get_mut(middle) {
            let article = Arc::make_mut(article);
            article
                .text
                .push_str("\nA freshly added closing sentence about apricots.\n");
            article.hash ^= 1;
        }
        timed("one changed", &briefing);
    }
}
