//! What each page is made of, as hashes: the keys that let a rebuild reuse a
//! page's bytes (or a briefing body's HTML) without building its context.
//!
//! Each key must cover everything the page reads, or a rebuild would keep a
//! stale page; the functions in `pages.rs` that build the contexts are the
//! reference, and `tests/incremental.rs` checks rebuilt sites against clean builds.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::KeyHasher;
use super::markdown::MentionLink;
use super::pages::{CO_MENTIONS_LIMIT, Links, STATEMENTS_LIMIT, TIMELINE_LIMIT};
use super::{body_range, hash_of};
use crate::briefing::{ActorNode, Appearance, Briefing, Identities, NodePositions, PlaceNode};
use crate::content::Format;
use crate::extract::sentence_at;

/// Hashes that many page keys share, each computed once per build: every
/// briefing's card, and every actor's and place's link with and without its
/// site-wide counts. A page key then combines numbers instead of walking strings.
///
/// A briefing page shows in how many briefings each of its actors and places
/// appears, but not their site-wide mention counts: those are kept apart, so
/// an edit that only adds or removes a mention does not touch the pages of
/// every other briefing naming the same actor.
pub(super) struct Parts<'a> {
    /// Hash of `links.briefing_refs[i]`.
    pub cards: Vec<u64>,
    briefing: &'a Briefing,
    /// By position in `briefing.actors`: the actor's link alone, with the
    /// number of its briefings, and with every count (`None`: no link).
    actors_at: Vec<Option<ActorParts>>,
    /// By position in `briefing.places`: the place's link with the counts a
    /// briefing page shows, and with every count.
    places_at: Vec<Option<(u64, u64)>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct ActorParts {
    alone: u64,
    in_briefings: u64,
    counted: u64,
}

impl<'a> Parts<'a> {
    pub fn new(links: &Links<'a>) -> Parts<'a> {
        let b = links.briefing;
        let cards = links.card_hashes.clone();
        let actors_at: Vec<Option<ActorParts>> = b
            .actors
            .iter()
            .map(|n| {
                let link = links.actor_refs.get(n.id.as_str())?;
                let alone = hash_of(link);
                Some(ActorParts {
                    alone,
                    in_briefings: hash_of(&(alone, n.appearances.len())),
                    counted: hash_of(&(alone, n.mentions, n.appearances.len())),
                })
            })
            .collect();
        let places_at: Vec<Option<(u64, u64)>> = b
            .places
            .iter()
            .map(|n| {
                let link = links.place_refs.get(n.id.as_str())?;
                let shown = hash_of(&(link, n.appearances.len(), n.datelines));
                Some((shown, hash_of(&(shown, n.mentions))))
            })
            .collect();
        Parts {
            cards,
            briefing: b,
            actors_at,
            places_at,
        }
    }

    fn actor(&self, id: &str) -> Option<ActorParts> {
        self.actors_at[self.briefing.actor_position(id)?]
    }

    fn place(&self, id: &str) -> Option<(u64, u64)> {
        self.places_at[self.briefing.place_position(id)?]
    }

    /// The actor's link alone, for lists that show no counts.
    fn actor_link(&self, id: &str) -> Option<u64> {
        self.actor(id).map(|a| a.alone)
    }

    /// The actor's link and the number of briefings naming it.
    fn actor_in_briefings(&self, id: &str) -> Option<u64> {
        self.actor(id).map(|a| a.in_briefings)
    }

    /// The actor's link and site-wide counts.
    fn actor_counted(&self, id: &str) -> Option<u64> {
        self.actor(id).map(|a| a.counted)
    }

    /// The place's link, its number of briefings and of datelines.
    fn place_in_briefings(&self, id: &str) -> Option<u64> {
        self.place(id).map(|(shown, _)| shown)
    }

    /// The place's link and site-wide counts.
    fn place_counted(&self, id: &str) -> Option<u64> {
        self.place(id).map(|(_, counted)| counted)
    }
}

/// The key of briefing `i`'s page: a hash of what the page reads besides its
/// own article and extraction: settings, template, body, its card, the cards
/// of its related, previous and next briefings, and the names of its actors
/// and places with the number of briefings naming each (its own mention
/// counts are in its extraction). `Links::briefing_page` is the reference; a
/// field added there must be added here (the incremental property test
/// compares against clean builds), and to what [`BriefingKeys::update`] watches.
fn briefing_key(links: &Links, parts: &Parts, body_key: u64, settings: u64, i: usize) -> u64 {
    let b = links.briefing;
    let cards = &parts.cards;
    let mut h = KeyHasher::default();
    settings.hash(&mut h);
    body_key.hash(&mut h);
    cards[i].hash(&mut h);
    for &(j, shared) in &b.related[i] {
        (j, shared, cards[j]).hash(&mut h);
    }
    b.previous(i).map(|j| cards[j]).hash(&mut h);
    b.next(i).map(|j| cards[j]).hash(&mut h);
    let extraction = &b.extractions[i];
    for a in &extraction.actors {
        parts.actor_in_briefings(&a.id).hash(&mut h);
    }
    for id in extraction.statements.iter().map(|s| &s.actor).chain(
        extraction
            .relations
            .iter()
            .flat_map(|r| [&r.source, &r.target]),
    ) {
        parts.actor_link(id).hash(&mut h);
    }
    for p in &extraction.places {
        parts.place_in_briefings(&p.id).hash(&mut h);
    }
    h.finish()
}

/// The briefing page keys of the last build and every input they were made
/// from, so the next build recomputes only the keys whose inputs changed:
/// after a one-briefing edit, a handful instead of every briefing's.
#[derive(Default)]
pub(super) struct BriefingKeys {
    settings: u64,
    positions: NodePositions,
    /// The briefings as they were.
    ids: Option<Arc<Identities>>,
    body_keys: Vec<u64>,
    cards: Vec<u64>,
    related: Arc<crate::briefing::Related>,
    actors: Vec<Option<ActorParts>>,
    places: Vec<Option<(u64, u64)>>,
    keys: Vec<u64>,
}

impl BriefingKeys {
    /// Every briefing page's key (see [`briefing_key`]), kept for the next
    /// build when `keep`.
    pub fn update(
        &mut self,
        links: &Links,
        parts: &Parts,
        body_keys: &[u64],
        settings: u64,
        template_hashes: &HashMap<String, u64>,
        keep: bool,
    ) -> Vec<u64> {
        let b = links.briefing;
        let settings = hash_of(&(settings, template_hashes.get("briefing.html")));
        let n = b.articles.len();
        let key = |i: usize| briefing_key(links, parts, body_keys[i], settings, i);
        let keys: Vec<u64> = match self.changed(links, parts, body_keys, settings) {
            Some(changed) => (0..n)
                .into_par_iter()
                .map(|i| if changed[i] { key(i) } else { self.keys[i] })
                .collect(),
            None => (0..n).into_par_iter().map(key).collect(),
        };
        debug_assert!(
            (0..n).all(|i| keys[i] == key(i)),
            "a briefing page key was kept although its inputs changed"
        );
        if !keep {
            self.clear();
            return keys;
        }
        *self = BriefingKeys {
            settings,
            positions: b.node_positions(),
            ids: Some(Arc::clone(b.identities())),
            body_keys: body_keys.to_vec(),
            cards: parts.cards.clone(),
            related: Arc::clone(&b.related),
            actors: parts.actors_at.clone(),
            places: parts.places_at.clone(),
            keys: keys.clone(),
        };
        keys
    }

    /// For each briefing, whether an input of its key may have changed since
    /// the last build; `None` when every key must be computed.
    fn changed(
        &self,
        links: &Links,
        parts: &Parts,
        body_keys: &[u64],
        settings: u64,
    ) -> Option<Vec<bool>> {
        let b = links.briefing;
        let n = b.articles.len();
        let ids = self.ids.as_ref()?;
        if settings != self.settings
            || self.keys.len() != n
            || !self.positions.same(&b.node_positions())
            || self.actors.len() != parts.actors_at.len()
            || self.places.len() != parts.places_at.len()
        {
            return None;
        }
        let card_changed: Vec<bool> = (0..n).map(|j| parts.cards[j] != self.cards[j]).collect();
        let same_related = Arc::ptr_eq(&b.related, &self.related);
        let mut changed: Vec<bool> = (0..n)
            .map(|i| {
                !ids.same_at(b, i)
                    || body_keys[i] != self.body_keys[i]
                    || card_changed[i]
                    || (!same_related && b.related[i] != self.related[i])
                    || b.related[i].iter().any(|&(j, _)| card_changed[j])
                    || b.previous(i).is_some_and(|j| card_changed[j])
                    || b.next(i).is_some_and(|j| card_changed[j])
            })
            .collect();
        // An actor's or place's counts reach the briefings that name it; an
        // actor's link also the statements and relations that name it.
        for (k, (now, was)) in parts.actors_at.iter().zip(&self.actors).enumerate() {
            if now.map(|p| p.alone) != was.map(|p| p.alone) {
                return None;
            }
            // Its site-wide mention count is not on briefing pages.
            if now.map(|p| p.in_briefings) == was.map(|p| p.in_briefings) {
                continue;
            }
            for a in &b.actors[k].appearances {
                changed[a.article] = true;
            }
        }
        for (k, (now, was)) in parts.places_at.iter().zip(&self.places).enumerate() {
            if now != was {
                for a in &b.places[k].appearances {
                    changed[a.article] = true;
                }
            }
        }
        Some(changed)
    }

    pub fn clear(&mut self) {
        *self = BriefingKeys::default();
    }
}

/// For each actor and each place, a key of everything its page reads: the
/// settings, template and registry (descriptions), every actor's and place's
/// name and link, what the page shows of the node and of the briefings it
/// quotes ([`Shown`]), and the card of each briefing it lists or links into.
/// `Links::actor_page` and `Links::place_page` are the reference.
pub(super) fn node_page_deps(
    links: &Links,
    parts: &Parts,
    nodes: &NodeHashes,
    registry_hash: u64,
    settings: u64,
    template_hashes: &HashMap<String, u64>,
) -> (Vec<u64>, Vec<u64>) {
    let b = links.briefing;
    let refs = {
        let mut h = KeyHasher::default();
        for a in b.actors.iter() {
            links.actor_refs.get(a.id.as_str()).hash(&mut h);
        }
        for p in b.places.iter() {
            links.place_refs.get(p.id.as_str()).hash(&mut h);
        }
        h.finish()
    };
    let settings =
        |template: &str| hash_of(&(settings, template_hashes.get(template), registry_hash, refs));
    let key = |settings: u64, shown: &Shown| {
        let mut h = KeyHasher::default();
        (settings, shown.hash).hash(&mut h);
        for &j in shown.articles.iter() {
            parts.cards[j].hash(&mut h);
        }
        h.finish()
    };
    let (actor_settings, place_settings) = (settings("actor.html"), settings("place.html"));
    let actors = nodes
        .actors
        .par_iter()
        .map(|s| key(actor_settings, s))
        .collect();
    let places = nodes
        .places
        .par_iter()
        .map(|s| key(place_settings, s))
        .collect();
    (actors, places)
}

/// What an actor's or place's page shows of its node and of the briefings it
/// quotes, as a hash, and the briefings whose card it shows. The page lists the
/// newest appearances and statements (a sentence or a statement, and where it
/// starts), the first relation with each other actor (for its link) and counts
/// of the rest, so a briefing further down the lists, or a part of a briefing
/// that the page does not quote, can change without the page changing: its
/// key then stays, and its context is not built.
///
/// A node's `Shown` is kept while the link keeps the node: a briefing whose
/// text changed is re-linked, and every node it names is then a changed node.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Shown {
    hash: u64,
    articles: Box<[usize]>,
}

impl Shown {
    fn actor(node: &ActorNode, b: &Briefing) -> Shown {
        let mut h = KeyHasher::default();
        let mut articles = Vec::new();
        (
            &node.id,
            &node.name,
            node.kind,
            &node.role,
            &node.affiliation,
        )
            .hash(&mut h);
        (
            &node.aliases,
            &node.wikidata,
            &node.description,
            node.mentions,
        )
            .hash(&mut h);
        (node.appearances.len(), node.statements.len(), &node.people).hash(&mut h);
        node.co_mentions[..node.co_mentions.len().min(CO_MENTIONS_LIMIT)].hash(&mut h);
        timeline(&node.appearances, b, &mut h, &mut articles);
        // First seen: the oldest briefing's card.
        if let Some(a) = node.appearances.last() {
            a.article.hash(&mut h);
            articles.push(a.article);
        }
        for s in node.statements.iter().take(STATEMENTS_LIMIT) {
            let st = b.extractions[s.article].statements.get(s.index);
            (s.article, st.map(|st| (&st.verb, &st.text, st.start))).hash(&mut h);
            articles.push(s.article);
        }
        // Every relation counts; the first with each other actor, kind and
        // direction (its group) is the one linked to.
        let mut linked: FxHashSet<u64> = FxHashSet::default();
        for r in &node.relations {
            (r.article, r.group).hash(&mut h);
            if linked.insert(r.group) {
                let rel = b.extractions[r.article].relations.get(r.index);
                rel.map(|rel| rel.start).hash(&mut h);
                articles.push(r.article);
            }
        }
        Shown {
            hash: h.finish(),
            articles: articles.into(),
        }
    }

    fn place(node: &PlaceNode, b: &Briefing) -> Shown {
        let mut h = KeyHasher::default();
        let mut articles = Vec::new();
        (
            &node.id,
            &node.name,
            &node.kind,
            &node.country,
            &node.aliases,
        )
            .hash(&mut h);
        (node.mentions, node.appearances.len(), node.datelines).hash(&mut h);
        node.actors[..node.actors.len().min(CO_MENTIONS_LIMIT)].hash(&mut h);
        timeline(&node.appearances, b, &mut h, &mut articles);
        Shown {
            hash: h.finish(),
            articles: articles.into(),
        }
    }
}

/// The newest appearances, as a timeline shows them: the sentence of the first
/// mention (its text and where it starts, for the link) under the briefing's card.
fn timeline(
    appearances: &[Appearance],
    b: &Briefing,
    h: &mut KeyHasher,
    articles: &mut Vec<usize>,
) {
    for a in appearances.iter().take(TIMELINE_LIMIT) {
        let text = &b.articles[a.article].text;
        let range = sentence_at(text, a.first_mention);
        (a.article, range.start, &text[range]).hash(h);
        articles.push(a.article);
    }
}

/// What each actor's and place's page shows of its node ([`Shown`]), with the
/// number of the link it came from. Walking the relations of an actor named
/// in thousands of briefings is most of its page key's cost; a patched link
/// says which nodes it touched ([`NodeChanges`](crate::briefing::NodeChanges)),
/// and the others keep theirs.
#[derive(Default)]
pub(super) struct NodeHashes {
    generation: u64,
    actors: Vec<Shown>,
    places: Vec<Shown>,
}

impl NodeHashes {
    /// What the pages of `briefing`'s nodes show; kept for the next build when `keep`.
    pub fn update(&mut self, briefing: &Briefing, keep: bool) -> NodeHashes {
        let changes = &briefing.node_changes;
        let old = std::mem::take(self);
        let actors = reshow(
            &briefing.actors,
            &old.actors,
            |n| Shown::actor(n, briefing),
            |k| changes.kept_actor(old.generation, k),
        );
        let places = reshow(
            &briefing.places,
            &old.places,
            |n| Shown::place(n, briefing),
            |k| changes.kept_place(old.generation, k),
        );
        let now = NodeHashes {
            generation: changes.generation,
            actors,
            places,
        };
        if keep {
            *self = NodeHashes {
                generation: now.generation,
                actors: now.actors.clone(),
                places: now.places.clone(),
            };
        }
        now
    }
}

/// What the page of each of `nodes` shows: `old[k]` where `kept(k)` says node
/// `k` is unchanged, else made by `show`.
fn reshow<T: Sync>(
    nodes: &[T],
    old: &[Shown],
    show: impl Fn(&T) -> Shown + Sync,
    kept: impl Fn(usize) -> bool + Sync,
) -> Vec<Shown> {
    let shown: Vec<Shown> = nodes
        .par_iter()
        .enumerate()
        .map(|(k, node)| match old.get(k) {
            Some(s) if kept(k) => s.clone(),
            _ => show(node),
        })
        .collect();
    debug_assert!(
        nodes.iter().zip(&shown).all(|(n, s)| *s == show(n)),
        "a node kept what its page shows although the link changed it"
    );
    shown
}

/// The path of briefing `slug`'s page.
pub(super) fn briefing_path(slug: &str) -> String {
    format!("briefings/{slug}/index.html")
}

/// The path of home page `number` (1-based).
pub(super) fn index_path(number: usize) -> String {
    if number == 1 {
        "index.html".to_string()
    } else {
        format!("page/{number}/index.html")
    }
}

/// For each home page, a key of what it reads: settings and template, its
/// number and the number of pages, the cards of its briefings and the site's
/// totals; the first page also lists the most mentioned actors and places, so
/// its key has the names and counts of every actor and place.
/// `Links::index_page` is the reference.
pub(super) fn index_page_deps(
    links: &Links,
    parts: &Parts,
    total: usize,
    settings: u64,
    template_hashes: &HashMap<String, u64>,
) -> Vec<u64> {
    let b = links.briefing;
    let shared = hash_of(&(
        settings,
        template_hashes.get("index.html"),
        b.articles.len(),
        b.actors.len(),
        b.places.len(),
    ));
    let ranked = {
        let mut h = KeyHasher::default();
        for a in b.actors.iter() {
            parts.actor_counted(&a.id).hash(&mut h);
        }
        for p in b.places.iter() {
            parts.place_counted(&p.id).hash(&mut h);
        }
        h.finish()
    };
    let per_page = links.config.paginate.max(1);
    (1..=total)
        .map(|n| {
            let start = ((n - 1) * per_page).min(parts.cards.len());
            let end = (start + per_page).min(parts.cards.len());
            let ranked = (n == 1).then_some(ranked);
            hash_of(&(shared, ranked, n, total, &parts.cards[start..end]))
        })
        .collect()
}

/// The memo key of briefing `i`'s body: everything its HTML is made from.
pub(super) fn body_key(
    links: &Links,
    i: usize,
    urls_hash: u64,
    mention_links: &[MentionLink],
    anchors: &[usize],
) -> u64 {
    let config = links.config;
    let article = &links.briefing.articles[i];
    let text = &article.text;
    let may_link_content = text.contains(".md") || text.contains(".txt");
    hash_of(&(
        article.hash,
        body_range(article),
        article.format == Format::Markdown,
        &article.path,
        may_link_content.then_some(urls_hash),
        mention_links,
        anchors,
        config.link_mentions,
        config.markdown.raw_html,
        config.markdown.smart_punctuation,
    ))
}
