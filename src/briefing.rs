//! Stage 4, link: every article and its extraction into one [`Briefing`], the model
//! of the whole site.
//!
//! This is cheap aggregation over data already in memory (no IO, no templates), so
//! an incremental rebuild simply runs it again: actor timelines, statements,
//! relations, co-mention weights, related briefings and prev/next all come out
//! consistent with a clean build by construction.

mod patch;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::{Article, Registry};
use crate::extract::{Extraction, Extractor, Kind};

/// How many related briefings each briefing lists.
pub const RELATED_LIMIT: usize = 5;

/// The whole site's model.
#[derive(Debug, Default)]
pub struct Briefing {
    /// Briefings, newest first (date descending, then slug); undated last.
    pub articles: Vec<Arc<Article>>,
    /// Extraction of `articles[i]`, with actor ids made unique across the site.
    pub extractions: Vec<Arc<Extraction>>,
    /// Actors found in any briefing, sorted by id. Shared with the link memo,
    /// which patches them in place after a small edit.
    pub actors: Arc<Vec<ActorNode>>,
    /// Places found in any briefing, sorted by id.
    pub places: Arc<Vec<PlaceNode>>,
    /// For `articles[i]`: related briefings as (article index, shared actors),
    /// best first. Shared with the memo: an edit that keeps which actors each
    /// briefing names keeps the very same list.
    pub related: Arc<Related>,
    actor_index: Arc<FxHashMap<String, usize>>,
    place_index: Arc<FxHashMap<String, usize>>,
    slug_index: Arc<FxHashMap<String, usize>>,
    /// Which nodes changed since the previous link, when it is known.
    pub node_changes: NodeChanges,
    /// The briefings by identity, for the memos of later stages; made when
    /// first asked, so `articles` and `extractions` are final by then.
    identities: std::sync::OnceLock<Arc<Identities>>,
}

/// Which actor and place nodes a link changed, so the render stage can keep
/// what it made from the others. Every link gets a new number; a link that
/// patched the previous one's nodes says which positions it touched.
#[derive(Debug, Clone, Default)]
pub struct NodeChanges {
    /// This link's number (never 0).
    pub generation: u64,
    /// The patched link's number, and the positions in `actors` and `places`
    /// of the nodes that may differ from its (ascending); `None` when the
    /// nodes were made from scratch.
    pub since: Option<(u64, Vec<usize>, Vec<usize>)>,
}

impl NodeChanges {
    fn next_generation() -> u64 {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether actor node `k` of the link numbered `generation` is the same
    /// as in this one: it was patched into this one and not touched.
    pub fn kept_actor(&self, generation: u64, k: usize) -> bool {
        self.kept(generation, k, |(_, actors, _)| actors)
    }

    /// [`NodeChanges::kept_actor`] for places.
    pub fn kept_place(&self, generation: u64, k: usize) -> bool {
        self.kept(generation, k, |(_, _, places)| places)
    }

    fn kept(
        &self,
        generation: u64,
        k: usize,
        touched: impl Fn(&(u64, Vec<usize>, Vec<usize>)) -> &Vec<usize>,
    ) -> bool {
        self.since
            .as_ref()
            .is_some_and(|since| since.0 == generation && touched(since).binary_search(&k).is_err())
    }
}

/// See [`Briefing::node_positions`]. It holds the position maps it stands
/// for, so their addresses cannot be reused while it is kept.
#[derive(Clone, Default)]
pub struct NodePositions(Option<PositionMaps>);

type PositionMaps = (Arc<FxHashMap<String, usize>>, Arc<FxHashMap<String, usize>>);

impl NodePositions {
    /// Whether both stand for the same positions (never for a default token).
    pub fn same(&self, other: &NodePositions) -> bool {
        match (&self.0, &other.0) {
            (Some((a, p)), Some((b, q))) => Arc::ptr_eq(a, b) && Arc::ptr_eq(p, q),
            _ => false,
        }
    }
}

/// One appearance of an actor or place in one briefing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Appearance {
    /// Index into [`Briefing::articles`].
    pub article: usize,
    /// Byte offset of the first mention in that article's text.
    pub first_mention: usize,
    /// Number of mentions there.
    pub mentions: usize,
}

/// A statement as seen from the actor who made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementRef {
    pub article: usize,
    /// Index into that extraction's `statements`.
    pub index: usize,
}

/// A relation as seen from one of its two ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelationRef {
    pub article: usize,
    /// Index into that extraction's `relations`.
    pub index: usize,
    /// The relation type (`talks`, `accused`, ...).
    pub kind: String,
    /// The actor at the other end.
    pub other: String,
    /// Whether this actor is the relation's source (`Turkey` in "Turkey urged Hamas").
    pub outgoing: bool,
    /// `kind`, `outgoing` and `other` hashed: an actor's page groups its
    /// relations by them, and its key reads this one number per relation
    /// instead of two strings elsewhere in memory (an actor named in
    /// thousands of briefings has thousands of relations).
    pub group: u64,
}

impl RelationRef {
    pub fn new(
        article: usize,
        index: usize,
        kind: &str,
        other: &str,
        outgoing: bool,
    ) -> RelationRef {
        let kind_hash = xxhash_rust::xxh3::xxh3_64(kind.as_bytes());
        let seed = kind_hash.wrapping_mul(2).wrapping_add(u64::from(outgoing));
        RelationRef {
            article,
            index,
            kind: kind.to_string(),
            other: other.to_string(),
            outgoing,
            group: xxhash_rust::xxh3::xxh3_64_with_seed(other.as_bytes(), seed),
        }
    }
}

/// An actor with everything the site says about it.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct ActorNode {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    /// Markdown introduction from the registry.
    pub description: Option<String>,
    /// Total mentions across the site.
    pub mentions: usize,
    /// Newest briefing first.
    pub appearances: Vec<Appearance>,
    pub statements: Vec<StatementRef>,
    pub relations: Vec<RelationRef>,
    /// Actors appearing in the same briefings, as (actor id, briefings together), most first.
    pub co_mentions: Vec<(String, usize)>,
    /// People whose affiliation is this actor, by id.
    pub people: Vec<String>,
}

/// A place with everything the site says about it.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct PlaceNode {
    pub id: String,
    pub name: String,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub aliases: Vec<String>,
    pub mentions: usize,
    /// Newest briefing first.
    pub appearances: Vec<Appearance>,
    /// Briefings datelined here.
    pub datelines: usize,
    /// Actors mentioned in the same briefings, as (actor id, briefings together), most first.
    pub actors: Vec<(String, usize)>,
}

/// Values remembered per briefing from one build to the next, found again only
/// while the briefing is the very same values: the same `Arc`s of article and
/// extraction. The memo holds those `Arc`s (through the link's
/// [`Identities`], shared by every memo of the same build), so their addresses
/// cannot be taken by other values, and their contents cannot change while
/// shared: the same addresses mean the same briefing. The render stage keys
/// its per-briefing memos (bodies, pages, graph entries, search records) on this.
pub struct SameBriefing<V> {
    ids: Option<Arc<Identities>>,
    values: Vec<V>,
}

/// Every briefing of one link by the addresses of its article and extraction,
/// made once per link, when a memo first asks.
#[derive(Debug)]
pub struct Identities {
    at: FxHashMap<(usize, usize), usize>,
    /// In order; held so that the addresses stay taken while a memo refers
    /// to them.
    held: Vec<(Arc<Article>, Arc<Extraction>)>,
}

impl Identities {
    /// Whether briefing `i` of `briefing` is the very briefing that was at
    /// position `i` here.
    pub fn same_at(&self, briefing: &Briefing, i: usize) -> bool {
        self.held.get(i).is_some_and(|(a, e)| {
            Arc::ptr_eq(a, &briefing.articles[i]) && Arc::ptr_eq(e, &briefing.extractions[i])
        })
    }
}

impl<V> Default for SameBriefing<V> {
    fn default() -> Self {
        SameBriefing {
            ids: None,
            values: Vec::new(),
        }
    }
}

impl<V> SameBriefing<V> {
    /// `values[i]` for briefing `i` of `briefing`, kept for the next build.
    pub fn new(briefing: &Briefing, values: impl IntoIterator<Item = V>) -> SameBriefing<V> {
        SameBriefing {
            ids: Some(Arc::clone(briefing.identities())),
            values: values.into_iter().collect(),
        }
    }

    /// The value kept for briefing `i`, if it is the same briefing as then.
    pub fn get(&self, briefing: &Briefing, i: usize) -> Option<&V> {
        let ids = self.ids.as_ref()?;
        if briefing
            .identities
            .get()
            .is_some_and(|now| Arc::ptr_eq(now, ids))
        {
            return self.values.get(i);
        }
        // Most briefings stay where they were: two address comparisons, where
        // the table is a hash and a probe into ten thousand entries.
        if ids.same_at(briefing, i) {
            return self.values.get(i);
        }
        let id = identity(&briefing.articles[i], &briefing.extractions[i]);
        self.values.get(*ids.at.get(&id)?)
    }

    /// The value kept at `position` of the build that made it, whatever
    /// briefing is there now: for a caller that checks what it finds.
    pub fn at(&self, position: usize) -> Option<&V> {
        self.values.get(position)
    }

    pub fn clear(&mut self) {
        *self = SameBriefing::default();
    }
}

fn identity(article: &Arc<Article>, extraction: &Arc<Extraction>) -> (usize, usize) {
    (
        Arc::as_ptr(article) as usize,
        Arc::as_ptr(extraction) as usize,
    )
}

/// How many briefings each pair of actors (`a < b`, by position) shares: a
/// dense table while the actor count keeps it small (1,024 actors: 4 MB), a
/// hash map beyond. The table is a few plain additions per pair, where the
/// map is a hash and a probe.
enum PairCounts {
    Dense { n: usize, counts: Vec<u32> },
    Sparse(FxHashMap<(usize, usize), usize>),
}

const DENSE_PAIRS_UP_TO: usize = 1024;

impl PairCounts {
    fn new(n: usize) -> PairCounts {
        if n <= DENSE_PAIRS_UP_TO {
            PairCounts::Dense {
                n,
                counts: vec![0; n * n],
            }
        } else {
            PairCounts::Sparse(FxHashMap::default())
        }
    }

    fn add(&mut self, a: usize, b: usize, count: usize) {
        match self {
            PairCounts::Dense { n, counts } => {
                let cell = &mut counts[a * *n + b];
                *cell = cell.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
            }
            PairCounts::Sparse(map) => *map.entry((a, b)).or_default() += count,
        }
    }

    fn merge(mut self, other: PairCounts) -> PairCounts {
        other.for_each(&mut |a, b, count| self.add(a, b, count));
        self
    }

    /// Every pair with a count, as `(a, b, count)`, `a < b`.
    fn for_each(&self, f: &mut dyn FnMut(usize, usize, usize)) {
        match self {
            PairCounts::Dense { n, counts } => {
                for (cell, &count) in counts.iter().enumerate() {
                    if count > 0 {
                        f(cell / n, cell % n, count as usize);
                    }
                }
            }
            PairCounts::Sparse(map) => {
                for (&(a, b), &count) in map {
                    f(a, b, count);
                }
            }
        }
    }
}

/// What the link stage keeps from one build to the next.
#[derive(Default)]
pub struct LinkMemo {
    /// Related briefings, keyed by the actor ids of every briefing in site order.
    related: Option<(u64, Arc<Related>)>,
    /// The last link's nodes, for patching after a small edit.
    last: Option<patch::Last>,
    /// The last link's site order: for each position, the index of the article
    /// given. An edit seldom moves a briefing, and checking that the old order
    /// still holds is one comparison per briefing, not a sort.
    order: Vec<usize>,
}

/// For each briefing, its related briefings as (article index, shared actors).
pub type Related = Vec<Vec<(usize, usize)>>;

impl Briefing {
    /// Links articles and their extractions (given in the same order) into the site model.
    pub fn link(
        articles: Vec<Arc<Article>>,
        extractions: Vec<Arc<Extraction>>,
        extractor: &Extractor,
        registry: &Registry,
    ) -> Briefing {
        Briefing::link_with(
            articles,
            extractions,
            extractor,
            registry,
            &mut LinkMemo::default(),
        )
    }

    /// [`Briefing::link`], reusing what `memo` kept from the previous build.
    pub fn link_with(
        articles: Vec<Arc<Article>>,
        extractions: Vec<Arc<Extraction>>,
        extractor: &Extractor,
        registry: &Registry,
        memo: &mut LinkMemo,
    ) -> Briefing {
        // Site order: newest first, then by slug, then as given. The order is
        // total, so a sequence that is sorted is the sorted one.
        let site_order = |i: usize, j: usize| {
            let (a, b) = (&articles[i], &articles[j]);
            b.date
                .cmp(&a.date)
                .then_with(|| b.datetime.cmp(&a.datetime))
                .then_with(|| a.slug.cmp(&b.slug))
                .then(i.cmp(&j))
        };
        let mut order = std::mem::take(&mut memo.order);
        let still_sorted = order.len() == articles.len()
            && order
                .windows(2)
                .all(|w| site_order(w[0], w[1]) == std::cmp::Ordering::Less);
        if !still_sorted {
            order = (0..articles.len()).collect();
            order.sort_unstable_by(|&i, &j| site_order(i, j));
        }
        let (articles, extractions): (Vec<_>, Vec<_>) = order
            .iter()
            .map(|&i| (Arc::clone(&articles[i]), Arc::clone(&extractions[i])))
            .unzip();
        memo.order = order;

        // After a small edit, the last build's nodes with the changed briefings
        // swapped; otherwise every briefing aggregated again.
        let setting = link_setting(extractor, registry);
        let patched = memo
            .last
            .take()
            .and_then(|last| patch::patch(last, setting, &articles, &extractions));
        let generation = NodeChanges::next_generation();
        let (mut briefing, same_actor_ids) = match patched {
            Some((mut last, patched)) => {
                let briefing = Briefing {
                    articles,
                    extractions,
                    actors: Arc::clone(&last.actors),
                    places: Arc::clone(&last.places),
                    related: Arc::default(),
                    actor_index: Arc::clone(&last.actor_index),
                    place_index: Arc::clone(&last.place_index),
                    slug_index: Arc::clone(&last.slug_index),
                    node_changes: NodeChanges {
                        generation,
                        since: Some((last.generation, patched.actors, patched.places)),
                    },
                    identities: Default::default(),
                };
                last.generation = generation;
                memo.last = Some(last);
                (briefing, patched.same_actor_ids)
            }
            None => {
                let (extractions, clash) = disambiguate_ids(extractions);
                let mut briefing = Briefing {
                    slug_index: Arc::new(
                        articles
                            .iter()
                            .enumerate()
                            .map(|(i, a)| (a.slug.clone(), i))
                            .collect(),
                    ),
                    articles,
                    extractions,
                    node_changes: NodeChanges {
                        generation,
                        since: None,
                    },
                    ..Briefing::default()
                };
                // Actors and places are independent: one core each.
                let ((actors, actor_index, pairs), (places, place_index)) = rayon::join(
                    || briefing.collect_actors(extractor, registry),
                    || briefing.collect_places(extractor),
                );
                briefing.actors = Arc::new(actors);
                briefing.actor_index = Arc::new(actor_index);
                briefing.places = Arc::new(places);
                briefing.place_index = Arc::new(place_index);
                // Only a dense pair table can be patched, and only ids that
                // did not clash.
                memo.last = match pairs {
                    PairCounts::Dense { counts, .. } if !clash => Some(patch::Last {
                        setting,
                        articles: briefing.articles.clone(),
                        extractions: briefing.extractions.clone(),
                        actors: Arc::clone(&briefing.actors),
                        actor_index: Arc::clone(&briefing.actor_index),
                        places: Arc::clone(&briefing.places),
                        place_index: Arc::clone(&briefing.place_index),
                        slug_index: Arc::clone(&briefing.slug_index),
                        pairs: counts,
                        generation,
                    }),
                    _ => None,
                };
                (briefing, false)
            }
        };
        // Related briefings depend only on which actors each briefing names, in
        // site order; an edit that keeps them (the usual case) reuses the list.
        if same_actor_ids && let Some((_, related)) = &memo.related {
            briefing.related = Arc::clone(related);
            return briefing;
        }
        let key = {
            let per_briefing: Vec<u64> = briefing
                .extractions
                .par_iter()
                .map(|extraction| {
                    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                    for actor in &extraction.actors {
                        hasher.update(actor.id.as_bytes());
                        hasher.update(&[0]);
                    }
                    hasher.digest()
                })
                .collect();
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for h in per_briefing {
                hasher.update(&h.to_le_bytes());
            }
            hasher.digest()
        };
        briefing.related = match &memo.related {
            Some((old, related)) if *old == key => Arc::clone(related),
            _ => {
                let related = Arc::new(related(&briefing.extractions, &briefing.actor_index));
                memo.related = Some((key, Arc::clone(&related)));
                related
            }
        };
        briefing
    }

    /// Actors in first-seen order (newest briefing first, as the role and
    /// affiliation rules want), then sorted by id. Ids are looked up through a
    /// map of borrowed strings, so each actor's id is copied once, not once per
    /// mention.
    fn collect_actors(
        &self,
        extractor: &Extractor,
        registry: &Registry,
    ) -> (Vec<ActorNode>, FxHashMap<String, usize>, PairCounts) {
        let mut slot: FxHashMap<&str, usize> = FxHashMap::default();
        let mut nodes: Vec<ActorNode> = Vec::new();
        for (i, extraction) in self.extractions.iter().enumerate() {
            for hit in &extraction.actors {
                let n = *slot.entry(hit.id.as_str()).or_insert_with(|| {
                    let info = extractor.actor(&hit.id);
                    nodes.push(ActorNode {
                        id: hit.id.clone(),
                        name: hit.name.clone(),
                        kind: hit.kind,
                        role: None,
                        affiliation: None,
                        aliases: info.as_ref().map(|i| i.aliases.clone()).unwrap_or_default(),
                        wikidata: info.as_ref().and_then(|i| i.wikidata.clone()),
                        description: registry.description(&hit.id).map(str::to_string),
                        mentions: 0,
                        appearances: Vec::new(),
                        statements: Vec::new(),
                        relations: Vec::new(),
                        co_mentions: Vec::new(),
                        people: Vec::new(),
                    });
                    nodes.len() - 1
                });
                let node = &mut nodes[n];
                // Newest briefing first: the first role and affiliation seen win.
                if node.role.is_none() {
                    node.role.clone_from(&hit.role);
                }
                if node.affiliation.is_none() {
                    node.affiliation.clone_from(&hit.affiliation);
                }
                node.mentions += hit.mentions.len();
                node.appearances.push(Appearance {
                    article: i,
                    first_mention: hit.mentions.first().map_or(0, |m| m.start),
                    mentions: hit.mentions.len(),
                });
            }
            for (index, statement) in extraction.statements.iter().enumerate() {
                if let Some(&n) = slot.get(statement.actor.as_str()) {
                    nodes[n].statements.push(StatementRef { article: i, index });
                }
            }
            for (index, relation) in extraction.relations.iter().enumerate() {
                for (id, other, outgoing) in [
                    (&relation.source, &relation.target, true),
                    (&relation.target, &relation.source, false),
                ] {
                    if let Some(&n) = slot.get(id.as_str()) {
                        nodes[n].relations.push(RelationRef::new(
                            i,
                            index,
                            &relation.kind,
                            other,
                            outgoing,
                        ));
                    }
                }
            }
        }

        // Sorted by id; `position[n]` is where first-seen node `n` ends up.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_unstable_by(|&a, &b| nodes[a].id.cmp(&nodes[b].id));
        let mut position = vec![0; nodes.len()];
        for (at, &n) in order.iter().enumerate() {
            position[n] = at;
        }

        // Co-mentions: pairs of actors in the same briefing, by sorted position.
        // One table per core, added up at the end.
        let chunk = self
            .extractions
            .len()
            .div_ceil(rayon::current_num_threads())
            .max(1);
        let pair_counts = self
            .extractions
            .par_chunks(chunk)
            .map(|extractions| {
                let mut counts = PairCounts::new(nodes.len());
                let mut present: Vec<usize> = Vec::new();
                for extraction in extractions {
                    present.clear();
                    present.extend(
                        extraction
                            .actors
                            .iter()
                            .filter_map(|a| slot.get(a.id.as_str()).map(|&n| position[n])),
                    );
                    present.sort_unstable();
                    present.dedup();
                    for (k, &a) in present.iter().enumerate() {
                        for &b in &present[k + 1..] {
                            counts.add(a, b, 1);
                        }
                    }
                }
                counts
            })
            .reduce(|| PairCounts::new(nodes.len()), PairCounts::merge);
        let mut nodes: Vec<ActorNode> = {
            let mut taken: Vec<Option<ActorNode>> = nodes.into_iter().map(Some).collect();
            order.iter().filter_map(|&n| taken[n].take()).collect()
        };
        let mut co: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nodes.len()];
        pair_counts.for_each(&mut |a, b, count| {
            co[a].push((b, count));
            co[b].push((a, count));
        });
        let index: FxHashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut people = people_by_organisation(&nodes, |id| index.get(id).copied());
        drop(index);
        let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
        for (i, node) in nodes.iter_mut().enumerate() {
            let mut list = std::mem::take(&mut co[i]);
            // Positions follow id order, so comparing them compares ids.
            list.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            node.co_mentions = list.into_iter().map(|(j, c)| (ids[j].clone(), c)).collect();
            node.people = std::mem::take(&mut people[i]);
        }

        let index = ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect();
        (nodes, index, pair_counts)
    }

    fn collect_places(&self, extractor: &Extractor) -> (Vec<PlaceNode>, FxHashMap<String, usize>) {
        let mut slot: FxHashMap<&str, usize> = FxHashMap::default();
        let mut nodes: Vec<PlaceNode> = Vec::new();
        // Borrowed ids and a fast hash: this loop meets every (place, actor) pair
        // of every briefing.
        let mut with_actors: Vec<FxHashMap<&str, usize>> = Vec::new();
        for (i, extraction) in self.extractions.iter().enumerate() {
            let dateline_place = extraction
                .dateline
                .as_ref()
                .and_then(|d| d.place.as_deref());
            for hit in &extraction.places {
                let n = *slot.entry(hit.id.as_str()).or_insert_with(|| {
                    let info = extractor.place(&hit.id);
                    nodes.push(PlaceNode {
                        id: hit.id.clone(),
                        name: hit.name.clone(),
                        kind: info.as_ref().and_then(|i| i.kind.clone()),
                        country: info.as_ref().and_then(|i| i.country.clone()),
                        aliases: info.map(|i| i.aliases).unwrap_or_default(),
                        mentions: 0,
                        appearances: Vec::new(),
                        datelines: 0,
                        actors: Vec::new(),
                    });
                    with_actors.push(FxHashMap::default());
                    nodes.len() - 1
                });
                let node = &mut nodes[n];
                node.mentions += hit.mentions.len();
                node.appearances.push(Appearance {
                    article: i,
                    first_mention: hit.mentions.first().map_or(0, |m| m.start),
                    mentions: hit.mentions.len(),
                });
                if dateline_place == Some(hit.id.as_str()) {
                    node.datelines += 1;
                }
                let counts = &mut with_actors[n];
                for actor in &extraction.actors {
                    *counts.entry(actor.id.as_str()).or_default() += 1;
                }
            }
        }
        for (node, counts) in nodes.iter_mut().zip(with_actors) {
            node.actors = most_first(counts);
        }
        nodes.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        (nodes, index)
    }

    /// Every briefing by the addresses of its article and extraction (see
    /// [`SameBriefing`]); made on the first call.
    pub fn identities(&self) -> &Arc<Identities> {
        self.identities.get_or_init(|| {
            Arc::new(Identities {
                at: self
                    .articles
                    .iter()
                    .zip(&self.extractions)
                    .enumerate()
                    .map(|(i, (a, e))| (identity(a, e), i))
                    .collect(),
                held: self
                    .articles
                    .iter()
                    .cloned()
                    .zip(self.extractions.iter().cloned())
                    .collect(),
            })
        })
    }

    /// Where each actor and place sits in `actors` and `places`, as a token
    /// that compares equal ([`NodePositions::same`]) with another briefing's
    /// when every actor and place is at the same position in both: a patched
    /// link keeps them, a link from scratch makes new ones.
    pub fn node_positions(&self) -> NodePositions {
        NodePositions(Some((
            Arc::clone(&self.actor_index),
            Arc::clone(&self.place_index),
        )))
    }

    pub fn actor(&self, id: &str) -> Option<&ActorNode> {
        self.actor_position(id).map(|i| &self.actors[i])
    }

    pub fn place(&self, id: &str) -> Option<&PlaceNode> {
        self.place_position(id).map(|i| &self.places[i])
    }

    /// Where actor `id` is in `actors`.
    pub fn actor_position(&self, id: &str) -> Option<usize> {
        self.actor_index.get(id).copied()
    }

    /// Where place `id` is in `places`.
    pub fn place_position(&self, id: &str) -> Option<usize> {
        self.place_index.get(id).copied()
    }

    /// Index of the briefing with this slug.
    pub fn article_by_slug(&self, slug: &str) -> Option<usize> {
        self.slug_index.get(slug).copied()
    }

    /// Every briefing's index by slug, shared: a memo keeps it to find what
    /// it kept for a slug after the briefing there changed.
    pub fn slug_positions(&self) -> &Arc<FxHashMap<String, usize>> {
        &self.slug_index
    }

    /// The briefing published just before `i` (older), if any.
    pub fn previous(&self, i: usize) -> Option<usize> {
        (i + 1 < self.articles.len()).then_some(i + 1)
    }

    /// The briefing published just after `i` (newer), if any.
    pub fn next(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }
}

/// What actor and place nodes are made under besides the briefings: the
/// extractor (aliases, Wikidata ids) and the registry (descriptions).
fn link_setting(extractor: &Extractor, registry: &Registry) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&extractor.fingerprint().to_le_bytes());
    hasher.update(&registry.hash().to_le_bytes());
    hasher.digest()
}

/// Actor ids with their counts, most first, then by id: how a place lists the
/// actors named with it.
fn most_first(counts: FxHashMap<&str, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect();
    sort_most_first(&mut list);
    list
}

/// (id, count) pairs most first, then by id.
fn sort_most_first(list: &mut [(String, usize)]) {
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// For each actor (by position), the people whose affiliation it is, in actor
/// order. `position` finds an actor's position by id.
fn people_by_organisation(
    nodes: &[ActorNode],
    position: impl Fn(&str) -> Option<usize>,
) -> Vec<Vec<String>> {
    let mut people: Vec<Vec<String>> = vec![Vec::new(); nodes.len()];
    for node in nodes {
        if node.kind == Kind::Person
            && let Some(aff) = &node.affiliation
            && let Some(i) = position(aff)
        {
            people[i].push(node.id.clone());
        }
    }
    people
}

/// Makes actor ids unique site-wide: two different actors whose names slugify to
/// the same id (a person and an organisation both called "Al Noor", say) get
/// distinct ids, deterministically (the second by kind gets `-<kind>`).
/// Also says whether any id clashed.
fn disambiguate_ids(extractions: Vec<Arc<Extraction>>) -> (Vec<Arc<Extraction>>, bool) {
    let mut kinds: FxHashMap<&str, Kind> = FxHashMap::default();
    let mut clash = false;
    for extraction in &extractions {
        for hit in &extraction.actors {
            let first = *kinds.entry(hit.id.as_str()).or_insert(hit.kind);
            let smaller = first.min(hit.kind);
            if first != hit.kind {
                clash = true;
                kinds.insert(hit.id.as_str(), smaller);
            }
        }
    }
    if !clash {
        return (extractions, false);
    }
    let owner: BTreeMap<String, Kind> =
        kinds.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let rename = |id: &str, kind: Kind| -> Option<String> {
        let owned_by = owner.get(id)?;
        (*owned_by != kind).then(|| format!("{id}-{}", kind_slug(kind)))
    };
    let renamed = extractions
        .into_iter()
        .map(|extraction| {
            if !extraction
                .actors
                .iter()
                .any(|a| rename(&a.id, a.kind).is_some())
            {
                return extraction;
            }
            let mut e = (*extraction).clone();
            let mut renamed: HashMap<String, String> = HashMap::new();
            for hit in &mut e.actors {
                if let Some(new_id) = rename(&hit.id, hit.kind) {
                    renamed.insert(hit.id.clone(), new_id.clone());
                    hit.id = new_id;
                }
            }
            for s in &mut e.statements {
                if let Some(n) = renamed.get(&s.actor) {
                    s.actor.clone_from(n);
                }
            }
            for r in &mut e.relations {
                if let Some(n) = renamed.get(&r.source) {
                    r.source.clone_from(n);
                }
                if let Some(n) = renamed.get(&r.target) {
                    r.target.clone_from(n);
                }
            }
            Arc::new(e)
        })
        .collect();
    (renamed, true)
}

/// The URL-safe word for an actor kind.
pub fn kind_slug(kind: Kind) -> &'static str {
    match kind {
        Kind::State => "state",
        Kind::Organisation => "organisation",
        Kind::ArmedGroup => "armed-group",
        Kind::Person => "person",
        Kind::Other => "other",
    }
}

/// How many briefings on each side of a briefing an actor's list is searched
/// for candidates, when the actor is in more briefings than twice this.
const NEAR: usize = 24;

/// Related briefings by shared actors, through an inverted index: each briefing
/// only meets the briefings that share an actor with it. An actor in more than
/// `2 * NEAR` briefings (the United States, in most of a wire archive) proposes
/// only the `NEAR` briefings closest in time on each side, so the cost stays
/// linear in the size of the site; every candidate is then scored over all the
/// actors the two briefings share.
fn related(
    extractions: &[Arc<Extraction>],
    actor_index: &FxHashMap<String, usize>,
) -> Vec<Vec<(usize, usize)>> {
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); actor_index.len()];
    let per_article: Vec<Vec<usize>> = extractions
        .iter()
        .map(|e| {
            let mut ids: Vec<usize> = e
                .actors
                .iter()
                .filter_map(|a| actor_index.get(&a.id).copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    for (i, ids) in per_article.iter().enumerate() {
        for &a in ids {
            postings[a].push(i);
        }
    }
    let n = extractions.len();
    let actors = actor_index.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![false; n], Vec::new(), vec![false; actors]),
            |(seen, candidates, mine), i| {
                // Briefing `i`'s actors, marked: a candidate's shared count is
                // then one lookup per actor of the candidate.
                for &a in &per_article[i] {
                    mine[a] = true;
                }
                for &a in &per_article[i] {
                    let list = &postings[a];
                    let near = if list.len() > 2 * NEAR {
                        // `list` is sorted: the briefings around `i` in time.
                        let at = list.partition_point(|&j| j < i);
                        &list[at.saturating_sub(NEAR)..(at + NEAR + 1).min(list.len())]
                    } else {
                        list
                    };
                    for &j in near {
                        if j != i && !seen[j] {
                            seen[j] = true;
                            candidates.push(j);
                        }
                    }
                }
                // Most shared first; among equals the briefing closest in time.
                let better = |x: &(usize, usize), y: &(usize, usize)| {
                    y.1.cmp(&x.1)
                        .then_with(|| x.0.abs_diff(i).cmp(&y.0.abs_diff(i)))
                        .then_with(|| x.0.cmp(&y.0))
                };
                let mut best: Vec<(usize, usize)> = Vec::with_capacity(RELATED_LIMIT + 1);
                for &j in candidates.iter() {
                    seen[j] = false;
                    let shared = per_article[j].iter().filter(|&&a| mine[a]).count();
                    let candidate = (j, shared);
                    if best.len() == RELATED_LIMIT
                        && best
                            .last()
                            .is_some_and(|worst| better(&candidate, worst).is_ge())
                    {
                        continue;
                    }
                    let at = best.partition_point(|b| better(b, &candidate).is_lt());
                    best.insert(at, candidate);
                    best.truncate(RELATED_LIMIT);
                }
                candidates.clear();
                for &a in &per_article[i] {
                    mine[a] = false;
                }
                best
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_briefing;
    use crate::extract::{ActorHit, Form, Mention};

    fn article(slug: &str, date: &str) -> Arc<Article> {
        let text = format!("+++\ndate = {date}\n+++\nText.\n");
        Arc::new(
            parse_briefing(&format!("content/{slug}.md"), text)
                .unwrap()
                .0,
        )
    }

    fn hit(id: &str, kind: Kind, at: usize) -> ActorHit {
        ActorHit {
            id: id.into(),
            name: id.to_uppercase(),
            kind,
            role: None,
            affiliation: None,
            mentions: vec![Mention {
                start: at,
                end: at + 2,
                text: "xx".into(),
                form: Form::Name,
            }],
        }
    }

    fn extraction(hits: Vec<ActorHit>) -> Arc<Extraction> {
        Arc::new(Extraction {
            actors: hits,
            ..Extraction::default()
        })
    }

    fn link(items: Vec<(Arc<Article>, Arc<Extraction>)>) -> Briefing {
        let (articles, extractions) = items.into_iter().unzip();
        let extractor = Extractor::new(&[]).unwrap();
        Briefing::link(articles, extractions, &extractor, &Registry::default())
    }

    #[test]
    fn orders_newest_first_with_prev_and_next() {
        let b = link(vec![
            (article("old", "2026-11-01"), extraction(vec![])),
            (article("new", "2026-11-03"), extraction(vec![])),
            (article("mid", "2026-11-02"), extraction(vec![])),
        ]);
        let slugs: Vec<&str> = b.articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "mid", "old"]);
        let mid = b.article_by_slug("mid").unwrap();
        assert_eq!(b.previous(mid), b.article_by_slug("old"));
        assert_eq!(b.next(mid), b.article_by_slug("new"));
        assert_eq!(b.next(0), None);
    }

    #[test]
    fn related_is_the_exact_best_when_no_actor_is_ubiquitous() {
        // Pseudo-random actor sets over 12 actors, 60 briefings: every actor is in
        // fewer than 2 * NEAR briefings, so every sharing briefing is a candidate.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let ids: Vec<String> = (0..12).map(|a| format!("actor-{a}")).collect();
        let index: FxHashMap<String, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let extractions: Vec<Arc<Extraction>> = (0..60)
            .map(|_| {
                let hits = (0..1 + next() % 5)
                    .map(|k| hit(&ids[next() % 12], Kind::State, k))
                    .collect();
                extraction(hits)
            })
            .collect();
        let sets: Vec<Vec<usize>> = extractions
            .iter()
            .map(|e| {
                let mut v: Vec<usize> = e.actors.iter().map(|a| index[&a.id]).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let shared = |a: &[usize], b: &[usize]| a.iter().filter(|x| b.contains(x)).count();
        let got = related(&extractions, &index);
        for (i, list) in got.iter().enumerate() {
            // Brute force: every other briefing, most shared, then nearest, then first.
            let mut all: Vec<(usize, usize)> = (0..sets.len())
                .filter(|&j| j != i)
                .map(|j| (j, shared(&sets[i], &sets[j])))
                .filter(|&(_, c)| c > 0)
                .collect();
            all.sort_by(|x, y| {
                y.1.cmp(&x.1)
                    .then_with(|| x.0.abs_diff(i).cmp(&y.0.abs_diff(i)))
                    .then_with(|| x.0.cmp(&y.0))
            });
            all.truncate(RELATED_LIMIT);
            assert_eq!(list, &all, "briefing {i}");
        }
    }

    #[test]
    fn a_ubiquitous_actor_proposes_only_briefings_near_in_time() {
        // "everywhere" is in all 1,000 briefings; briefings 0 and 999 also share
        // "rare", so they are each other's best match despite the distance, and
        // the rest of briefing 0's list is its nearest neighbours.
        let n = 1000;
        let extractions: Vec<Arc<Extraction>> = (0..n)
            .map(|i| {
                let mut hits = vec![hit("everywhere", Kind::State, 0)];
                if i == 0 || i == n - 1 {
                    hits.push(hit("rare", Kind::Organisation, 5));
                }
                extraction(hits)
            })
            .collect();
        let index: FxHashMap<String, usize> =
            [("everywhere".to_string(), 0), ("rare".to_string(), 1)]
                .into_iter()
                .collect();
        let got = related(&extractions, &index);
        assert_eq!(got[0], vec![(n - 1, 2), (1, 1), (2, 1), (3, 1), (4, 1)]);
        assert_eq!(got[500][..2], [(499, 1), (501, 1)]);

        // Sharing only ubiquitous actors, a briefing far away in time is not
        // proposed, even if it shares more of them than the near ones do.
        let extractions: Vec<Arc<Extraction>> = (0..n)
            .map(|i| {
                let both = i == 0 || i == n - 1;
                let mut hits = Vec::new();
                if both || i % 2 == 0 {
                    hits.push(hit("everywhere", Kind::State, 0));
                }
                if both || i % 2 == 1 {
                    hits.push(hit("rare", Kind::Organisation, 5));
                }
                extraction(hits)
            })
            .collect();
        let got = related(&extractions, &index);
        assert!(
            got[0]
                .iter()
                .all(|&(j, shared)| j <= 2 * NEAR && shared == 1),
            "{:?}",
            got[0]
        );
    }

    #[test]
    fn counts_appearances_and_co_mentions() {
        let b = link(vec![
            (
                article("a", "2026-11-01"),
                extraction(vec![
                    hit("turkey", Kind::State, 0),
                    hit("hamas", Kind::ArmedGroup, 10),
                ]),
            ),
            (
                article("b", "2026-11-02"),
                extraction(vec![
                    hit("turkey", Kind::State, 0),
                    hit("hamas", Kind::ArmedGroup, 5),
                    hit("qatar", Kind::State, 9),
                ]),
            ),
        ]);
        let turkey = b.actor("turkey").unwrap();
        assert_eq!(turkey.appearances.len(), 2);
        assert_eq!(turkey.co_mentions[0], ("hamas".to_string(), 2));
        assert_eq!(turkey.co_mentions[1], ("qatar".to_string(), 1));
        let a = b.article_by_slug("a").unwrap();
        assert_eq!(b.related[a], vec![(b.article_by_slug("b").unwrap(), 2)]);
    }

    #[test]
    fn same_id_different_kinds_are_told_apart_deterministically() {
        let items = || {
            vec![
                (
                    article("a", "2026-11-01"),
                    extraction(vec![hit("al-noor", Kind::Organisation, 0)]),
                ),
                (
                    article("b", "2026-11-02"),
                    extraction(vec![hit("al-noor", Kind::Person, 0)]),
                ),
            ]
        };
        let b = link(items());
        let ids: Vec<&str> = b.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["al-noor", "al-noor-person"]);
        let again = link(items().into_iter().rev().collect());
        let ids_again: Vec<&str> = again.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ids_again);
    }

    /// A small random extraction: actors of fixed kinds from a pool of six,
    /// with roles and affiliations, statements and relations (some by actors
    /// the briefing does not name), places and a dateline.
    fn random_extraction(seed: u64) -> Arc<Extraction> {
        use crate::extract::{Dateline, PlaceHit, Relation, Statement};
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m) as usize
        };
        const POOL: [(&str, Kind); 6] = [
            ("a0", Kind::State),
            ("a1", Kind::Organisation),
            ("a2", Kind::Person),
            ("a3", Kind::Person),
            ("a4", Kind::ArmedGroup),
            ("a5", Kind::State),
        ];
        let mut actors = Vec::new();
        for (k, (id, kind)) in POOL.iter().enumerate() {
            if next(3) == 0 {
                continue;
            }
            let mut h = hit(id, *kind, 10 * k + next(5));
            h.name = format!("{} {}", id.to_uppercase(), next(2));
            if *kind == Kind::Person {
                h.role = (next(2) == 0).then(|| format!("Role {}", next(3)));
                h.affiliation = (next(2) == 0).then(|| POOL[next(2)].0.to_string());
            }
            for extra in 0..next(3) {
                h.mentions.push(Mention {
                    start: 100 + 10 * extra,
                    end: 102 + 10 * extra,
                    text: "xx".into(),
                    form: Form::Name,
                });
            }
            actors.push(h);
        }
        let statements = (0..next(3))
            .map(|n| Statement {
                actor: POOL[next(6)].0.to_string(),
                verb: "said".into(),
                text: format!("words {n}"),
                start: 200 + n,
                end: 210 + n,
            })
            .collect();
        let relations = (0..next(3))
            .map(|n| Relation {
                source: POOL[next(6)].0.to_string(),
                target: POOL[next(6)].0.to_string(),
                kind: ["talks", "urged", "accused"][next(3)].to_string(),
                start: 300 + n,
                end: 310 + n,
            })
            .collect();
        let mut places: Vec<PlaceHit> = Vec::new();
        for p in 0..4 {
            if next(2) == 0 {
                places.push(PlaceHit {
                    id: format!("p{p}"),
                    name: format!("P{p} {}", next(2)),
                    mentions: vec![Mention {
                        start: 400 + p,
                        end: 401 + p,
                        text: "x".into(),
                        form: Form::Name,
                    }],
                });
            }
        }
        let dateline = (next(2) == 0).then(|| Dateline {
            text: "P".into(),
            place: Some(format!("p{}", next(4))),
            start: 0,
            end: 1,
        });
        Arc::new(Extraction {
            dateline,
            actors,
            places,
            statements,
            relations,
            ..Extraction::default()
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 200,
            failure_persistence: None,
            .. proptest::prelude::ProptestConfig::default()
        })]

        /// A link that patched the last one equals a link from scratch, after
        /// any sequence of edits to a few briefings.
        #[test]
        fn a_patched_link_equals_a_fresh_one(
            first in proptest::collection::vec(0u64..1000, 8),
            edits in proptest::collection::vec(
                proptest::collection::vec((0usize..8, 0u64..1000), 1..3),
                1..5,
            ),
        ) {
            let extractor = Extractor::new(&[]).unwrap();
            let registry = Registry::default();
            let articles: Vec<Arc<Article>> = (0..8)
                .map(|d| article(&format!("b{d}"), &format!("2026-03-{:02}", d + 1)))
                .collect();
            let mut extractions: Vec<Arc<Extraction>> =
                first.iter().map(|&seed| random_extraction(seed)).collect();
            let mut memo = LinkMemo::default();
            Briefing::link_with(articles.clone(), extractions.clone(), &extractor, &registry, &mut memo);
            for edit in &edits {
                for &(i, seed) in edit {
                    extractions[i] = random_extraction(seed);
                }
                let kept = Briefing::link_with(
                    articles.clone(), extractions.clone(), &extractor, &registry, &mut memo,
                );
                let fresh = Briefing::link(articles.clone(), extractions.clone(), &extractor, &registry);
                proptest::prop_assert_eq!(&kept.actors, &fresh.actors);
                proptest::prop_assert_eq!(&kept.places, &fresh.places);
                proptest::prop_assert_eq!(&kept.related, &fresh.related);
                proptest::prop_assert_eq!(&kept.actor_index, &fresh.actor_index);
                proptest::prop_assert_eq!(&kept.place_index, &fresh.place_index);
            }
        }
    }

    #[test]
    fn a_small_edit_is_patched() {
        let extractor = Extractor::new(&[]).unwrap();
        let registry = Registry::default();
        let articles: Vec<Arc<Article>> = (0..3)
            .map(|d| article(&format!("b{d}"), &format!("2026-03-{:02}", d + 1)))
            .collect();
        let both = || {
            extraction(vec![
                hit("turkey", Kind::State, 0),
                hit("hamas", Kind::ArmedGroup, 9),
            ])
        };
        let mut extractions = vec![both(), both(), both()];
        let mut memo = LinkMemo::default();
        Briefing::link_with(
            articles.clone(),
            extractions.clone(),
            &extractor,
            &registry,
            &mut memo,
        );
        // The same actors, mentioned elsewhere in the text.
        extractions[1] = extraction(vec![
            hit("turkey", Kind::State, 4),
            hit("hamas", Kind::ArmedGroup, 20),
        ]);
        let last = memo.last.take().expect("a link leaves its nodes");
        let (sorted_articles, sorted_extractions) = {
            let b = Briefing::link(articles.clone(), extractions.clone(), &extractor, &registry);
            (b.articles, b.extractions)
        };
        let (patched, changes) = patch::patch(
            last,
            link_setting(&extractor, &registry),
            &sorted_articles,
            &sorted_extractions,
        )
        .expect("one briefing with the same actors is a small edit");
        assert!(changes.same_actor_ids);
        // The two actors of the edited briefing are the nodes it changed.
        assert_eq!(changes.actors, [0, 1]);
        let turkey = &patched.actors[1];
        assert_eq!(turkey.id, "turkey");
        let firsts: Vec<usize> = turkey.appearances.iter().map(|a| a.first_mention).collect();
        assert_eq!(firsts, [0, 4, 0]);
    }
}
