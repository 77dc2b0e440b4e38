//! `/graph.json`: the whole extracted graph for other tools (network analysis,
//! spreadsheets, scripts). Its shape is documented in docs/output.md and kept
//! stable: fields are only ever added. `version` changes if that promise breaks.

use serde::Serialize;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::KeyHasher;
use super::escape::json_for_markup;
use super::pages::Links;
use super::{Bytes, Piece, SharedPiece};
use crate::briefing::SameBriefing;
use crate::content::Article;
use crate::extract::Extraction;

/// Version of the graph.json shape.
pub const GRAPH_VERSION: u32 = 2;

/// Briefing entries of the previous build, with the base URL they were made
/// for: an edit re-serialises one entry instead of the whole file.
#[derive(Default)]
pub struct GraphMemo {
    base: u64,
    entries: SameBriefing<Arc<SharedPiece>>,
    /// The head (site, actors, places) and the co-mention list, as bytes, with
    /// the hash of what they were made from.
    head: (u64, Arc<SharedPiece>),
    co_mentions: (u64, Arc<SharedPiece>),
    /// Each actor's co-mentions, hashed, with the number of the link they
    /// were read from: a patched link says which actors it touched, and the
    /// others keep their hash (hashing every pair of a site is a few
    /// hundred thousand strings).
    co_hashes: (u64, Vec<u64>),
}

/// The head of the file: everything before `briefings`, whose entries are
/// serialised one by one in parallel and spliced in after it.
#[derive(Serialize)]
struct Head<'a> {
    version: u32,
    generator: String,
    site: SiteInfo<'a>,
    actors: Vec<ActorOut<'a>>,
    places: Vec<PlaceOut<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    role: Option<&'a str>,
    affiliation: Option<&'a str>,
    aliases: &'a [String],
    wikidata: Option<&'a str>,
    url: String,
    mentions: usize,
    briefings: usize,
}

#[derive(Serialize)]
struct PlaceOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: Option<&'a str>,
    country: Option<&'a str>,
    url: String,
    mentions: usize,
    briefings: usize,
    datelines: usize,
}

#[derive(Serialize)]
struct BriefingOut<'a> {
    slug: &'a str,
    title: &'a str,
    date: Option<String>,
    url: String,
    file: &'a str,
    dateline: Option<&'a str>,
    actors: Vec<&'a str>,
    places: Vec<&'a str>,
    /// `[type, id, start, end, form]` rows: compact, because a site has hundreds
    /// of thousands of mentions and named fields would triple the file.
    mentions: Vec<MentionRow<'a>>,
    statements: Vec<StatementOut<'a>>,
    relations: Vec<RelationOut<'a>>,
}

/// One mention: `type` (`actor` or `place`), `id`, `start`, `end`, `form`.
type MentionRow<'a> = (
    &'static str,
    &'a str,
    usize,
    usize,
    Option<crate::extract::Form>,
);

#[derive(Serialize)]
struct StatementOut<'a> {
    actor: &'a str,
    verb: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    source: &'a str,
    target: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct CoMentionOut<'a> {
    source: &'a str,
    target: &'a str,
    weight: usize,
}

/// The graph as JSON bytes.
///
/// Each briefing's entry (with its mentions, statements and relations) is
/// serialised on its own, in parallel, and the entries are joined in site order:
/// the file is the largest one a build writes, and one serial pass over it used
/// to be a tenth of the build.
pub fn graph_json(links: &Links, memo: &mut GraphMemo) -> Bytes {
    let b = links.briefing;
    let base = crate::render::hash_of(&(&links.config.base_url, &links.base_path));
    let parts: Vec<Arc<SharedPiece>> = (0..b.articles.len())
        .into_par_iter()
        .map(|i| match memo.entries.get(b, i) {
            Some(bytes) if memo.base == base => Arc::clone(bytes),
            _ => SharedPiece::new(briefing_part(links, &b.articles[i], &b.extractions[i])),
        })
        .collect();
    memo.base = base;
    memo.entries = SameBriefing::new(b, parts.iter().map(Arc::clone));

    let changes = &b.node_changes;
    let (old_generation, old_hashes) = std::mem::take(&mut memo.co_hashes);
    let co_hashes: Vec<u64> = b
        .actors
        .par_iter()
        .enumerate()
        .map(|(k, actor)| match old_hashes.get(k) {
            Some(&hash) if changes.kept_actor(old_generation, k) => hash,
            _ => crate::render::hash_of(&(&actor.id, &actor.co_mentions)),
        })
        .collect();
    let co_key = crate::render::hash_of(&co_hashes);
    memo.co_hashes = (changes.generation, co_hashes);
    if memo.co_mentions.0 != co_key || memo.co_mentions.1.is_empty() {
        memo.co_mentions = (co_key, SharedPiece::new(co_mentions_json(b)));
    }
    let head_key = {
        let mut h = KeyHasher::default();
        (base, &links.config.title).hash(&mut h);
        for a in b.actors.iter() {
            (&a.id, &a.name, a.kind, &a.role, &a.affiliation, &a.aliases).hash(&mut h);
            (&a.wikidata, a.mentions, a.appearances.len()).hash(&mut h);
        }
        for p in b.places.iter() {
            (&p.id, &p.name, &p.kind, &p.country, p.mentions).hash(&mut h);
            (p.appearances.len(), p.datelines).hash(&mut h);
        }
        h.finish()
    };
    if memo.head.0 != head_key || memo.head.1.is_empty() {
        let mut head = head_json(links);
        if head.last() == Some(&b'}') {
            head.pop();
        }
        memo.head = (head_key, SharedPiece::new(head));
    }
    // The file is the kept pieces in order, joined only when read.
    let mut pieces = Vec::with_capacity(2 * parts.len() + 6);
    // The head is an object: its closing brace is left off to append the lists.
    pieces.push(Piece::Shared(Arc::clone(&memo.head.1)));
    pieces.push(Piece::Fixed(b",\"briefings\":["));
    for (n, part) in parts.into_iter().enumerate() {
        if n > 0 {
            pieces.push(Piece::Fixed(b","));
        }
        pieces.push(Piece::Shared(part));
    }
    pieces.push(Piece::Fixed(b"],\"co_mentions\":"));
    pieces.push(Piece::Shared(Arc::clone(&memo.co_mentions.1)));
    pieces.push(Piece::Fixed(b"}"));
    Bytes::joined(pieces)
}

/// Every co-mentioned pair once, heaviest first.
fn co_mentions_json(b: &crate::briefing::Briefing) -> Vec<u8> {
    let mut co_mentions = Vec::new();
    for actor in b.actors.iter() {
        for (other, weight) in &actor.co_mentions {
            if actor.id.as_str() < other.as_str() {
                co_mentions.push(CoMentionOut {
                    source: &actor.id,
                    target: other,
                    weight: *weight,
                });
            }
        }
    }
    co_mentions.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| (a.source, a.target).cmp(&(b.source, b.target)))
    });
    json_for_markup(&co_mentions, 64 * 1024, b"[]")
}

/// The object before the lists: version, site, actors and places.
fn head_json(links: &Links) -> Vec<u8> {
    let b = links.briefing;
    let head = Head {
        version: GRAPH_VERSION,
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        site: SiteInfo {
            title: &links.config.title,
            base_url: &links.config.base_url,
        },
        actors: b
            .actors
            .iter()
            .map(|a| ActorOut {
                id: &a.id,
                name: &a.name,
                kind: crate::briefing::kind_slug(a.kind),
                role: a.role.as_deref(),
                affiliation: a.affiliation.as_deref(),
                aliases: &a.aliases,
                wikidata: a.wikidata.as_deref(),
                url: links.permalink(&format!("{}actors/{}/", links.base_path, a.id)),
                mentions: a.mentions,
                briefings: a.appearances.len(),
            })
            .collect(),
        places: b
            .places
            .iter()
            .map(|p| PlaceOut {
                id: &p.id,
                name: &p.name,
                kind: p.kind.as_deref(),
                country: p.country.as_deref(),
                url: links.permalink(&format!("{}places/{}/", links.base_path, p.id)),
                mentions: p.mentions,
                briefings: p.appearances.len(),
                datelines: p.datelines,
            })
            .collect(),
    };
    json_for_markup(&head, 64 * 1024, b"{}")
}

/// One briefing's entry: its metadata, mentions, statements and relations.
fn briefing_part(links: &Links, article: &Article, extraction: &Extraction) -> Vec<u8> {
    let slug = article.slug.as_str();
    let mut mentions: Vec<MentionRow> = Vec::new();
    for actor in &extraction.actors {
        for m in &actor.mentions {
            mentions.push(("actor", &actor.id, m.start, m.end, Some(m.form)));
        }
    }
    for place in &extraction.places {
        for m in &place.mentions {
            mentions.push(("place", &place.id, m.start, m.end, None));
        }
    }
    let entry = BriefingOut {
        slug,
        title: &article.title,
        date: article.date.map(|d| d.format("%Y-%m-%d").to_string()),
        url: links.permalink(&format!("{}briefings/{slug}/", links.base_path)),
        file: &article.path,
        dateline: article.dateline.as_deref(),
        actors: extraction.actors.iter().map(|a| a.id.as_str()).collect(),
        places: extraction.places.iter().map(|p| p.id.as_str()).collect(),
        mentions,
        statements: extraction
            .statements
            .iter()
            .map(|s| StatementOut {
                actor: &s.actor,
                verb: &s.verb,
                text: &s.text,
                start: s.start,
                end: s.end,
            })
            .collect(),
        relations: extraction
            .relations
            .iter()
            .map(|r| RelationOut {
                source: &r.source,
                target: &r.target,
                kind: &r.kind,
                start: r.start,
                end: r.end,
            })
            .collect(),
    };
    json_for_markup(&entry, 8 * 1024, b"{}")
}
