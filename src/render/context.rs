//! What each template receives. These structs are the documented contract with
//! theme authors (docs/templates.md lists every field); they derive `Hash` so that a
//! page whose context did not change is not rendered again. `value.rs` turns
//! them into Tera values field by field: a field added here goes there too (the
//! tests compare its values with serde's on every page they render).

use serde::Serialize;
use std::sync::Arc;

pub use super::value::ValueCell;

/// `site`: the same for every page.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub version: String,
    pub year: String,
    pub css_url: String,
    pub js_url: String,
    pub favicon_url: String,
    /// Its Tera value, made once (see `value.rs`).
    #[serde(skip)]
    pub value: ValueCell,
}

/// `nav`: the site's main URLs.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct NavCtx {
    pub home: String,
    pub actors: String,
    pub places: String,
    pub search: String,
    pub feed: String,
    /// Its Tera value, made once (see `value.rs`).
    #[serde(skip)]
    pub value: ValueCell,
}

/// `page`: what the `<head>` needs.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct PageMeta {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub feed_url: String,
    pub feed_title: String,
    pub og_type: &'static str,
    pub json_ld: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct ActorRef {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub url: String,
    /// Its Tera value, made once (see `value.rs`).
    #[serde(skip)]
    pub value: ValueCell,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct PlaceRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct BriefingRef {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_display: String,
    pub dateline: String,
    pub summary: String,
    pub actors: Vec<ActorRef>,
    /// Its Tera value, made once (see `value.rs`).
    #[serde(skip)]
    pub value: ValueCell,
}

/// An actor with counts, for lists.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct ActorCount {
    #[serde(flatten)]
    pub actor: ActorRef,
    pub mentions: usize,
    pub briefings: usize,
}

/// A place with counts, for lists.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct PlaceCount {
    #[serde(flatten)]
    pub place: PlaceRef,
    pub mentions: usize,
    pub briefings: usize,
    pub datelines: usize,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Numbers are skipped between the previous link and this one.
    pub gap_before: bool,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: String,
    pub next_url: String,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct Stats {
    pub briefings: usize,
    pub actors: usize,
    pub places: usize,
}

/// `index.html`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct IndexCtx {
    pub briefings: Vec<Arc<BriefingRef>>,
    pub pagination: Pagination,
    pub top_actors: Vec<ActorCount>,
    pub top_places: Vec<PlaceCount>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct ActorGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub actors: Vec<ActorCount>,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct StatementCtx {
    pub actor: ActorRef,
    pub verb: String,
    pub text: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct RelationCtx {
    pub source: ActorRef,
    pub target: ActorRef,
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct RelatedRef {
    #[serde(flatten)]
    pub briefing: Arc<BriefingRef>,
    pub shared: usize,
}

/// `briefing.html`: `briefing`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct BriefingCtx {
    #[serde(flatten)]
    pub head: Arc<BriefingRef>,
    /// The body HTML, shared with the body memo (not copied per build).
    pub content: std::sync::Arc<str>,
    pub source: String,
    pub source_url: String,
    pub topics: Vec<String>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub actor_groups: Vec<ActorGroup>,
    pub places: Vec<PlaceCount>,
    pub statements: Vec<StatementCtx>,
    pub relations: Vec<RelationCtx>,
    pub related: Vec<RelatedRef>,
    pub prev: Option<Arc<BriefingRef>>,
    pub next: Option<Arc<BriefingRef>>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct TimelineEntry {
    pub briefing: Arc<BriefingRef>,
    pub sentence: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct ActorStatement {
    pub briefing: Arc<BriefingRef>,
    pub verb: String,
    pub text: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct RelationOther {
    pub actor: ActorRef,
    pub briefings: usize,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct RelationGroup {
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    /// The actors at the other end, most briefings first (at most
    /// [`super::pages::RELATION_OTHERS_LIMIT`]).
    pub others: Vec<RelationOther>,
    /// How many actors are at the other end in all.
    pub others_total: usize,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct CoMention {
    pub actor: ActorRef,
    pub count: usize,
}

/// `actor.html`: `actor`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct ActorCtx {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub role: String,
    pub affiliation: Option<ActorRef>,
    pub aliases: Vec<String>,
    pub description: String,
    pub wikidata_url: String,
    pub mentions: usize,
    pub briefings_count: usize,
    pub first_seen: String,
    pub last_seen: String,
    pub url: String,
    pub feed_url: String,
    pub search_url: String,
    /// The latest briefings that mention the actor (at most [`super::pages::TIMELINE_LIMIT`]).
    pub timeline: Vec<TimelineEntry>,
    /// How many briefings mention it in all (the timeline may show fewer).
    pub timeline_total: usize,
    /// The latest statements (at most [`super::pages::STATEMENTS_LIMIT`]).
    pub statements: Vec<ActorStatement>,
    pub statements_total: usize,
    pub relations: Vec<RelationGroup>,
    pub co_mentions: Vec<CoMention>,
    pub people: Vec<ActorRef>,
    pub network_svg: String,
}

/// `actors.html`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct ActorsCtx {
    pub groups: Vec<ActorGroup>,
    pub total: usize,
}

/// `place.html`: `place`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct PlaceCtx {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub country: Option<ActorRef>,
    pub aliases: Vec<String>,
    pub mentions: usize,
    pub briefings_count: usize,
    pub datelines: usize,
    pub url: String,
    pub search_url: String,
    pub timeline: Vec<TimelineEntry>,
    pub timeline_total: usize,
    pub actors: Vec<CoMention>,
    pub network_svg: String,
}

/// `places.html`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct PlacesCtx {
    pub places: Vec<PlaceCount>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct KindFilter {
    pub kind: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct Filters {
    pub actors: Vec<ActorRef>,
    pub kinds: Vec<KindFilter>,
    pub places: Vec<PlaceRef>,
}

/// `search.html`.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct SearchCtx {
    pub filters: Filters,
}

/// The data part of a page, by template.
#[derive(Debug, Clone, Hash, PartialEq)]
pub enum PageData {
    Index(IndexCtx),
    Briefing(Box<BriefingCtx>),
    Actor(Box<ActorCtx>),
    Actors(ActorsCtx),
    Place(Box<PlaceCtx>),
    Places(PlacesCtx),
    Search(SearchCtx),
    NotFound,
}

impl PageData {
    /// The template that renders this page.
    pub fn template(&self) -> &'static str {
        match self {
            PageData::Index(_) => "index.html",
            PageData::Briefing(_) => "briefing.html",
            PageData::Actor(_) => "actor.html",
            PageData::Actors(_) => "actors.html",
            PageData::Place(_) => "place.html",
            PageData::Places(_) => "places.html",
            PageData::Search(_) => "search.html",
            PageData::NotFound => "404.html",
        }
    }
}
