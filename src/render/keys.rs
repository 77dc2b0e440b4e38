//! What each page is made of, as hashes: the keys that let a rebuild reuse a
//! page's bytes (or a briefing body's HTML) without building its context.
//!
//! Each key must cover everything the page reads, or a rebuild would keep a
//! stale page; the functions in `pages.rs` that build the contexts are the
//! reference, and `tests/incremental.rs` checks rebuilt sites against clean builds.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::KeyHasher;
use super::markdown::MentionLink;
use super::pages::Links;
use super::{body_range, hash_of};
use crate::content::Format;

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
    /// Actor id -> its link alone, with the number of its briefings, and with
    /// every count.
    actors: FxHashMap<&'a str, ActorParts>,
    /// Place id -> its link with the counts a briefing page shows, and with
    /// every count.
    places: FxHashMap<&'a str, (u64, u64)>,
}

#[derive(Clone, Copy)]
struct ActorParts {
    alone: u64,
    in_briefings: u64,
    counted: u64,
}

impl<'a> Parts<'a> {
    pub fn new(links: &Links<'a>) -> Parts<'a> {
        let b = links.briefing;
        let cards = links.card_hashes.clone();
        let actors = b
            .actors
            .iter()
            .filter_map(|n| {
                let link = links.actor_refs.get(n.id.as_str())?;
                let alone = hash_of(link);
                let parts = ActorParts {
                    alone,
                    in_briefings: hash_of(&(alone, n.appearances.len())),
                    counted: hash_of(&(alone, n.mentions, n.appearances.len())),
                };
                Some((n.id.as_str(), parts))
            })
            .collect();
        let places = b
            .places
            .iter()
            .filter_map(|n| {
                let link = links.place_refs.get(n.id.as_str())?;
                let shown = hash_of(&(link, n.appearances.len(), n.datelines));
                Some((n.id.as_str(), (shown, hash_of(&(shown, n.mentions)))))
            })
            .collect();
        Parts {
            cards,
            actors,
            places,
        }
    }

    /// The actor's link alone, for lists that show no counts.
    fn actor_link(&self, id: &str) -> Option<u64> {
        self.actors.get(id).map(|a| a.alone)
    }

    /// The actor's link and the number of briefings naming it.
    fn actor_in_briefings(&self, id: &str) -> Option<u64> {
        self.actors.get(id).map(|a| a.in_briefings)
    }

    /// The actor's link and site-wide counts.
    fn actor_counted(&self, id: &str) -> Option<u64> {
        self.actors.get(id).map(|a| a.counted)
    }

    /// The place's link, its number of briefings and of datelines.
    fn place_in_briefings(&self, id: &str) -> Option<u64> {
        self.places.get(id).map(|&(shown, _)| shown)
    }

    /// The place's link and site-wide counts.
    fn place_counted(&self, id: &str) -> Option<u64> {
        self.places.get(id).map(|&(_, counted)| counted)
    }
}

/// For each briefing, a hash of what its page reads besides its own article and
/// extraction: settings, template, body, its card, the cards of its related,
/// previous and next briefings, and the names of its actors and places with the
/// number of briefings naming each (its own mention counts are in its extraction). `Links::briefing_page` is the reference; a field added there must
/// be added here (the incremental property test compares against clean builds).
pub(super) fn briefing_page_deps(
    links: &Links,
    parts: &Parts,
    body_keys: &[u64],
    settings: u64,
    template_hashes: &HashMap<String, u64>,
) -> Vec<u64> {
    let b = links.briefing;
    let settings = hash_of(&(settings, template_hashes.get("briefing.html")));
    let cards = &parts.cards;
    (0..b.articles.len())
        .into_par_iter()
        .map(|i| {
            let mut h = KeyHasher::default();
            settings.hash(&mut h);
            body_keys[i].hash(&mut h);
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
        })
        .collect()
}

/// For each actor and each place, a key of everything its page reads: the
/// settings, template and registry (descriptions, and the extractor behind the
/// statements shown), every actor's and place's name and link, the node itself
/// (counts, appearances, statements, relations, co-mentions), and for each
/// briefing it refers to, that briefing's card and text. `Links::actor_page`
/// and `Links::place_page` are the reference.
pub(super) fn node_page_deps(
    links: &Links,
    parts: &Parts,
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
    let (actor_settings, place_settings) = (settings("actor.html"), settings("place.html"));
    let articles: Vec<u64> = (0..b.articles.len())
        .into_par_iter()
        .map(|i| hash_of(&(parts.cards[i], b.articles[i].hash)))
        .collect();
    let actors = b
        .actors
        .par_iter()
        .map(|node| {
            let mut h = KeyHasher::default();
            (actor_settings, node).hash(&mut h);
            let used = node
                .appearances
                .iter()
                .map(|a| a.article)
                .chain(node.statements.iter().map(|s| s.article))
                .chain(node.relations.iter().map(|r| r.article));
            for j in used {
                articles[j].hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let places = b
        .places
        .par_iter()
        .map(|node| {
            let mut h = KeyHasher::default();
            (place_settings, node).hash(&mut h);
            for a in &node.appearances {
                articles[a.article].hash(&mut h);
            }
            h.finish()
        })
        .collect();
    (actors, places)
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
