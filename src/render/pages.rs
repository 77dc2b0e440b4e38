//! Page contexts: the site model ([`Briefing`]) turned into what each template sees.
//!
//! The small shared pieces (an actor's name and URL, a briefing's title and date)
//! are computed once per build in [`Links`] and cloned into pages, so building the
//! context of any one page costs little — which matters because an incremental
//! rebuild builds every context again to find the few pages that changed.

use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::KeyHasher;
use super::context::*;
use super::labels::{self, KINDS};
use super::{hash_of, jsonld, network};
use crate::briefing::{Appearance, Briefing, SameBriefing};
use crate::config::Config;
use crate::extract::{Kind, sentence_at};

/// How many actors a briefing summary shows.
const SUMMARY_ACTORS: usize = 6;
/// How many co-mentioned actors the network picture draws.
pub const NETWORK_NEIGHBOURS: usize = 12;
/// Briefings listed on an actor's or place's timeline; the rest are a search
/// (or a feed) away. Keeps actor pages readable and linear in size at any scale.
pub const TIMELINE_LIMIT: usize = 50;
/// Statements listed on an actor's page.
pub const STATEMENTS_LIMIT: usize = 30;
/// Actors listed under one relation of an actor ("accused: …").
pub const RELATION_OTHERS_LIMIT: usize = 12;
/// Co-mentioned actors listed on a page.
pub const CO_MENTIONS_LIMIT: usize = 30;
/// Longest quoted sentence on a timeline, in characters.
const MAX_SENTENCE_CHARS: usize = 320;

/// URLs and small shared values for every briefing, actor and place of the site.
pub struct Links<'a> {
    pub briefing: &'a Briefing,
    pub config: &'a Config,
    pub base_path: String,
    pub site: SiteCtx,
    pub nav: NavCtx,
    pub actor_refs: FxHashMap<&'a str, ActorRef>,
    pub place_refs: FxHashMap<&'a str, PlaceRef>,
    pub briefing_refs: Vec<Arc<BriefingRef>>,
    /// Hash of `briefing_refs[i]`, for the page keys.
    pub card_hashes: Vec<u64>,
}

/// Briefing cards kept from one build to the next with their hashes: a card is
/// built again only when its briefing or the actors' links changed.
#[derive(Default)]
pub struct CardMemo {
    /// Hash of what every card reads besides its own briefing.
    globals: u64,
    kept: SameBriefing<(Arc<BriefingRef>, u64)>,
}

impl CardMemo {
    /// This build's cards, kept for the next.
    pub fn keep(links: &Links) -> CardMemo {
        CardMemo {
            globals: card_globals(links.briefing, &links.base_path, &links.actor_refs),
            kept: SameBriefing::new(
                links.briefing,
                links
                    .briefing_refs
                    .iter()
                    .cloned()
                    .zip(links.card_hashes.iter().copied()),
            ),
        }
    }
}

/// What a briefing card reads besides its own article and extraction: the base
/// path and every actor's link.
fn card_globals(
    briefing: &Briefing,
    base_path: &str,
    actor_refs: &FxHashMap<&str, ActorRef>,
) -> u64 {
    let mut h = KeyHasher::default();
    base_path.hash(&mut h);
    for a in briefing.actors.iter() {
        actor_refs.get(a.id.as_str()).hash(&mut h);
    }
    std::hash::Hasher::finish(&h)
}

impl<'a> Links<'a> {
    pub fn new(briefing: &'a Briefing, config: &'a Config, site: SiteCtx) -> Links<'a> {
        Links::reusing(briefing, config, site, &CardMemo::default())
    }

    /// The links of this build, taking unchanged cards from `cards`.
    pub fn reusing(
        briefing: &'a Briefing,
        config: &'a Config,
        site: SiteCtx,
        cards: &CardMemo,
    ) -> Links<'a> {
        let base_path = config.base_path().to_string();
        let actor_refs: FxHashMap<&str, ActorRef> = briefing
            .actors
            .iter()
            .map(|a| {
                (
                    a.id.as_str(),
                    ActorRef {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        kind: labels::kind_slug(a.kind),
                        kind_label: labels::kind_label(a.kind),
                        url: format!("{base_path}actors/{}/", a.id),
                        value: Default::default(),
                    },
                )
            })
            .collect();
        let place_refs: FxHashMap<&str, PlaceRef> = briefing
            .places
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    PlaceRef {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        url: format!("{base_path}places/{}/", p.id),
                    },
                )
            })
            .collect();
        let globals = card_globals(briefing, &base_path, &actor_refs);
        let (briefing_refs, card_hashes): (Vec<Arc<BriefingRef>>, Vec<u64>) =
            (0..briefing.articles.len())
                .into_par_iter()
                .map(|i| {
                    if cards.globals == globals
                        && let Some((card, hash)) = cards.kept.get(briefing, i)
                    {
                        return (Arc::clone(card), *hash);
                    }
                    let (article, extraction) = (&briefing.articles[i], &briefing.extractions[i]);
                    let mut actors: Vec<(usize, &str)> = extraction
                        .actors
                        .iter()
                        .map(|a| (a.mentions.len(), a.id.as_str()))
                        .collect();
                    actors.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(y.1)));
                    let card = BriefingRef {
                        slug: article.slug.clone(),
                        title: article.title.clone(),
                        url: format!("{base_path}briefings/{}/", article.slug),
                        date: labels::iso_date(article.date),
                        date_display: labels::display_date(article.date),
                        dateline: article.dateline.clone().unwrap_or_default(),
                        summary: article.summary.clone().unwrap_or_default(),
                        actors: actors
                            .iter()
                            .filter_map(|(_, id)| actor_refs.get(id).cloned())
                            .take(SUMMARY_ACTORS)
                            .collect(),
                        value: Default::default(),
                    };
                    let hash = hash_of(&card);
                    (Arc::new(card), hash)
                })
                .unzip();
        let nav = NavCtx {
            home: base_path.clone(),
            actors: format!("{base_path}actors/"),
            places: format!("{base_path}places/"),
            // Empty when search is off: themes hide the link.
            search: if config.search.enabled {
                format!("{base_path}search/")
            } else {
                String::new()
            },
            feed: format!("{base_path}atom.xml"),
            value: Default::default(),
        };
        Links {
            briefing,
            config,
            base_path,
            site,
            nav,
            actor_refs,
            place_refs,
            briefing_refs,
            card_hashes,
        }
    }

    pub fn actor_ref(&self, id: &str) -> Option<ActorRef> {
        self.actor_refs.get(id).cloned()
    }

    /// Absolute URL of a path-absolute URL.
    pub fn permalink(&self, url: &str) -> String {
        let relative = url
            .strip_prefix(&self.base_path)
            .unwrap_or(url.trim_start_matches('/'));
        format!("{}{}", self.config.base_url, relative)
    }

    fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        url: &str,
        json_ld: String,
    ) -> PageMeta {
        let full_title = if title.is_empty() || title == self.config.title {
            self.config.title.clone()
        } else {
            format!("{title} · {}", self.config.title)
        };
        PageMeta {
            kind,
            title: full_title,
            description: description.to_string(),
            url: url.to_string(),
            permalink: self.permalink(url),
            feed_url: self.nav.feed.clone(),
            feed_title: self.config.title.clone(),
            og_type: if kind == "briefing" {
                "article"
            } else if kind == "actor" {
                "profile"
            } else {
                "website"
            },
            json_ld,
        }
    }

    fn actor_count(&self, id: &str) -> Option<ActorCount> {
        let node = self.briefing.actor(id)?;
        Some(ActorCount {
            actor: self.actor_ref(id)?,
            mentions: node.mentions,
            briefings: node.appearances.len(),
        })
    }

    fn place_count(&self, id: &str) -> Option<PlaceCount> {
        let node = self.briefing.place(id)?;
        Some(PlaceCount {
            place: self.place_refs.get(id)?.clone(),
            mentions: node.mentions,
            briefings: node.appearances.len(),
            datelines: node.datelines,
        })
    }

    /// The 15 most mentioned actors and the 10 most mentioned places.
    fn most_mentioned(&self) -> (Vec<ActorCount>, Vec<PlaceCount>) {
        let mut top_actors: Vec<ActorCount> = self
            .briefing
            .actors
            .iter()
            .filter_map(|a| self.actor_count(&a.id))
            .collect();
        top_actors.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.actor.name.cmp(&b.actor.name))
        });
        top_actors.truncate(15);
        let mut top_places: Vec<PlaceCount> = self
            .briefing
            .places
            .iter()
            .filter_map(|p| self.place_count(&p.id))
            .collect();
        top_places.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.place.name.cmp(&b.place.name))
        });
        top_places.truncate(10);
        (top_actors, top_places)
    }

    /// The home page, page `number` (1-based) of `total`.
    pub fn index_page(&self, number: usize, total: usize) -> (PageMeta, PageData) {
        let per_page = self.config.paginate;
        let start = (number - 1) * per_page;
        let briefings: Vec<Arc<BriefingRef>> = self
            .briefing_refs
            .iter()
            .skip(start)
            .take(per_page)
            .map(Arc::clone)
            .collect();
        let page_url = |n: usize| {
            if n <= 1 {
                self.base_path.clone()
            } else {
                format!("{}page/{n}/", self.base_path)
            }
        };
        // The most mentioned, on the first page only: the older pages are the
        // archive, and counts shown on every one of them would make each new
        // mention anywhere rewrite them all.
        let (top_actors, top_places) = if number == 1 {
            self.most_mentioned()
        } else {
            (Vec::new(), Vec::new())
        };
        let url = page_url(number);
        let ld = jsonld::website(self);
        let title = if number > 1 {
            format!("Page {number}")
        } else {
            String::new()
        };
        let meta = self.meta("index", &title, &self.config.description, &url, ld);
        let data = IndexCtx {
            briefings,
            pagination: Pagination {
                current: number,
                total,
                prev_url: if number > 1 {
                    page_url(number - 1)
                } else {
                    String::new()
                },
                next_url: if number < total {
                    page_url(number + 1)
                } else {
                    String::new()
                },
                pages: page_window(number, total)
                    .into_iter()
                    .scan(0, |last, n| {
                        let gap_before = n > *last + 1;
                        *last = n;
                        Some(PageLink {
                            number: n,
                            url: page_url(n),
                            current: n == number,
                            gap_before,
                        })
                    })
                    .collect(),
            },
            top_actors,
            top_places,
            stats: Stats {
                briefings: self.briefing.articles.len(),
                actors: self.briefing.actors.len(),
                places: self.briefing.places.len(),
            },
        };
        (meta, PageData::Index(data))
    }

    /// The page of briefing `i`, whose body HTML is `content`.
    pub fn briefing_page(&self, i: usize, content: std::sync::Arc<str>) -> (PageMeta, PageData) {
        let article = &self.briefing.articles[i];
        let extraction = &self.briefing.extractions[i];
        let head = Arc::clone(&self.briefing_refs[i]);

        let mut actor_groups = Vec::new();
        for kind in KINDS {
            let mut actors: Vec<ActorCount> = extraction
                .actors
                .iter()
                .filter(|a| a.kind == kind)
                .filter_map(|a| {
                    Some(ActorCount {
                        actor: self.actor_ref(&a.id)?,
                        mentions: a.mentions.len(),
                        briefings: self
                            .briefing
                            .actor(&a.id)
                            .map_or(0, |n| n.appearances.len()),
                    })
                })
                .collect();
            if actors.is_empty() {
                continue;
            }
            actors.sort_by(|a, b| {
                b.mentions
                    .cmp(&a.mentions)
                    .then_with(|| a.actor.name.cmp(&b.actor.name))
            });
            actor_groups.push(ActorGroup {
                kind: labels::kind_slug(kind),
                label: labels::kind_plural(kind),
                actors,
            });
        }
        let places = extraction
            .places
            .iter()
            .filter_map(|p| {
                let mut count = self.place_count(&p.id)?;
                count.mentions = p.mentions.len();
                Some(count)
            })
            .collect();
        let anchor_url = |offset: usize| format!("#{}", super::markdown::anchor_id(offset));
        let statements = extraction
            .statements
            .iter()
            .filter_map(|s| {
                Some(StatementCtx {
                    actor: self.actor_ref(&s.actor)?,
                    verb: s.verb.clone(),
                    text: s.text.clone(),
                    url: anchor_url(s.start),
                })
            })
            .collect();
        let relations = extraction
            .relations
            .iter()
            .filter_map(|r| {
                Some(RelationCtx {
                    source: self.actor_ref(&r.source)?,
                    target: self.actor_ref(&r.target)?,
                    kind: r.kind.clone(),
                    label: labels::relation_label(&r.kind, true),
                    url: anchor_url(r.start),
                })
            })
            .collect();
        let related = self.briefing.related[i]
            .iter()
            .map(|&(j, shared)| RelatedRef {
                briefing: Arc::clone(&self.briefing_refs[j]),
                shared,
            })
            .collect();
        let words = article.text[article.body_start..]
            .split_whitespace()
            .count();
        let description = if head.summary.is_empty() {
            self.config.description.clone()
        } else {
            head.summary.clone()
        };
        let ld = jsonld::news_article(self, i);
        let meta = self.meta("briefing", &head.title, &description, &head.url, ld);
        let data = BriefingCtx {
            content,
            source: article.source.clone().unwrap_or_default(),
            source_url: article
                .source_url
                .as_deref()
                .filter(|u| is_web_url(u))
                .unwrap_or_default()
                .to_string(),
            topics: article.topics.clone(),
            word_count: words,
            reading_minutes: words.div_ceil(230).max(1),
            actor_groups,
            places,
            statements,
            relations,
            related,
            prev: self
                .briefing
                .previous(i)
                .map(|j| Arc::clone(&self.briefing_refs[j])),
            next: self
                .briefing
                .next(i)
                .map(|j| Arc::clone(&self.briefing_refs[j])),
            file: article.path.clone(),
            head,
        };
        (meta, PageData::Briefing(Box::new(data)))
    }

    /// The sentence around byte `offset` of briefing `i`, as plain text.
    fn sentence(&self, i: usize, offset: usize) -> (String, usize) {
        let text = &self.briefing.articles[i].text;
        let range = sentence_at(text, offset);
        (plain_text(&text[range.clone()]), range.start)
    }

    fn timeline(&self, appearances: &[Appearance]) -> Vec<TimelineEntry> {
        appearances
            .iter()
            .map(|a| {
                let (sentence, start) = self.sentence(a.article, a.first_mention);
                let briefing = Arc::clone(&self.briefing_refs[a.article]);
                let url = format!("{}#{}", briefing.url, super::markdown::anchor_id(start));
                TimelineEntry {
                    briefing,
                    sentence,
                    url,
                }
            })
            .collect()
    }

    /// The page of actor `id`.
    pub fn actor_page(&self, id: &str, description_html: String) -> Option<(PageMeta, PageData)> {
        let node = self.briefing.actor(id)?;
        let me = self.actor_ref(id)?;
        let statements = node
            .statements
            .iter()
            .take(STATEMENTS_LIMIT)
            .filter_map(|s| {
                let st = self.briefing.extractions[s.article]
                    .statements
                    .get(s.index)?;
                let briefing = Arc::clone(&self.briefing_refs[s.article]);
                let url = format!("{}#{}", briefing.url, super::markdown::anchor_id(st.start));
                Some(ActorStatement {
                    briefing,
                    verb: st.verb.clone(),
                    text: st.text.clone(),
                    url,
                })
            })
            .collect();

        // Relations grouped by how they read from this actor, then by the other actor.
        // An actor named in thousands of briefings has thousands of relations:
        // the label is made once per kind and direction, and the other actor's
        // reference is cloned only for the first relation with it.
        let mut groups: Vec<RelationGroupBuild> = Vec::new();
        let mut group_of: FxHashMap<(&str, bool), usize> = FxHashMap::default();
        let mut seen: FxHashMap<(usize, &str), usize> = FxHashMap::default();
        for r in &node.relations {
            if !self.actor_refs.contains_key(r.other.as_str()) {
                continue;
            }
            let Some(rel) = self.briefing.extractions[r.article].relations.get(r.index) else {
                continue;
            };
            let group_index = *group_of
                .entry((r.kind.as_str(), r.outgoing))
                .or_insert_with(|| {
                    let label = labels::relation_label(&r.kind, r.outgoing);
                    match groups.iter().position(|g| g.label == label) {
                        Some(g) => g,
                        None => {
                            groups.push(RelationGroupBuild {
                                kind: r.kind.clone(),
                                label,
                                others: Vec::new(),
                            });
                            groups.len() - 1
                        }
                    }
                });
            let others = &mut groups[group_index].others;
            match seen.get(&(group_index, r.other.as_str())) {
                Some(&o) => {
                    let entry = &mut others[o];
                    if entry.url_article != r.article {
                        entry.briefings += 1;
                        entry.url_article = r.article;
                    }
                }
                None => {
                    let Some(other) = self.actor_ref(&r.other) else {
                        continue;
                    };
                    let url = format!(
                        "{}#{}",
                        self.briefing_refs[r.article].url,
                        super::markdown::anchor_id(rel.start)
                    );
                    others.push(RelationOtherBuild {
                        actor: other,
                        briefings: 1,
                        url,
                        url_article: r.article,
                    });
                    seen.insert((group_index, r.other.as_str()), others.len() - 1);
                }
            }
        }
        let relations: Vec<RelationGroup> = groups
            .into_iter()
            .map(|g| {
                let mut others: Vec<RelationOther> = g
                    .others
                    .into_iter()
                    .map(|o| RelationOther {
                        actor: o.actor,
                        briefings: o.briefings,
                        url: o.url,
                    })
                    .collect();
                others.sort_by(|a, b| {
                    b.briefings
                        .cmp(&a.briefings)
                        .then_with(|| a.actor.name.cmp(&b.actor.name))
                });
                let others_total = others.len();
                others.truncate(RELATION_OTHERS_LIMIT);
                RelationGroup {
                    kind: g.kind,
                    label: g.label,
                    others,
                    others_total,
                }
            })
            .collect();

        let co_mentions: Vec<CoMention> = node
            .co_mentions
            .iter()
            .take(CO_MENTIONS_LIMIT)
            .filter_map(|(other, count)| {
                Some(CoMention {
                    actor: self.actor_ref(other)?,
                    count: *count,
                })
            })
            .collect();
        let network_svg = network::svg(
            &me,
            &co_mentions[..co_mentions.len().min(NETWORK_NEIGHBOURS)],
        );
        let first_seen = node
            .appearances
            .last()
            .map(|a| self.briefing_refs[a.article].date_display.clone())
            .unwrap_or_default();
        let last_seen = node
            .appearances
            .first()
            .map(|a| self.briefing_refs[a.article].date_display.clone())
            .unwrap_or_default();
        let feed_url = format!("{}atom.xml", me.url);
        let description = description_html;
        let summary = actor_summary(
            node.kind,
            &node.name,
            node.role.as_deref(),
            node.appearances.len(),
        );
        let ld = jsonld::actor(self, node);
        let mut meta = self.meta("actor", &node.name, &summary, &me.url, ld);
        meta.feed_url = feed_url.clone();
        meta.feed_title = format!("{} · {}", node.name, self.config.title);
        let data = ActorCtx {
            id: node.id.clone(),
            name: node.name.clone(),
            kind: me.kind,
            kind_label: me.kind_label,
            role: node.role.clone().unwrap_or_default(),
            affiliation: node.affiliation.as_deref().and_then(|a| self.actor_ref(a)),
            aliases: node
                .aliases
                .iter()
                .filter(|a| **a != node.name)
                .cloned()
                .collect(),
            description,
            wikidata_url: node
                .wikidata
                .as_deref()
                .map(|q| format!("https://www.wikidata.org/wiki/{q}"))
                .unwrap_or_default(),
            mentions: node.mentions,
            briefings_count: node.appearances.len(),
            first_seen,
            last_seen,
            url: me.url.clone(),
            feed_url,
            search_url: format!(
                "{}?actor={}",
                self.nav.search,
                labels::query_encode(&node.name)
            ),
            timeline: self
                .timeline(&node.appearances[..node.appearances.len().min(TIMELINE_LIMIT)]),
            timeline_total: node.appearances.len(),
            statements,
            statements_total: node.statements.len(),
            relations,
            co_mentions,
            people: node
                .people
                .iter()
                .filter_map(|p| self.actor_ref(p))
                .collect(),
            network_svg,
        };
        Some((meta, PageData::Actor(Box::new(data))))
    }

    /// `/actors/`.
    pub fn actors_page(&self) -> (PageMeta, PageData) {
        let mut groups = Vec::new();
        for kind in KINDS {
            let mut actors: Vec<ActorCount> = self
                .briefing
                .actors
                .iter()
                .filter(|a| a.kind == kind)
                .filter_map(|a| self.actor_count(&a.id))
                .collect();
            if actors.is_empty() {
                continue;
            }
            actors.sort_by(|a, b| {
                b.mentions
                    .cmp(&a.mentions)
                    .then_with(|| a.actor.name.cmp(&b.actor.name))
            });
            groups.push(ActorGroup {
                kind: labels::kind_slug(kind),
                label: labels::kind_plural(kind),
                actors,
            });
        }
        let url = self.nav.actors.clone();
        let meta = self.meta(
            "actors",
            "Actors",
            "Every state, organisation, armed group and person in the briefings.",
            &url,
            jsonld::collection(self, "Actors", &url),
        );
        (
            meta,
            PageData::Actors(ActorsCtx {
                groups,
                total: self.briefing.actors.len(),
            }),
        )
    }

    /// The page of place `id`.
    pub fn place_page(&self, id: &str) -> Option<(PageMeta, PageData)> {
        let node = self.briefing.place(id)?;
        let me = self.place_refs.get(id)?.clone();
        let actors: Vec<CoMention> = node
            .actors
            .iter()
            .take(CO_MENTIONS_LIMIT)
            .filter_map(|(a, count)| {
                Some(CoMention {
                    actor: self.actor_ref(a)?,
                    count: *count,
                })
            })
            .collect();
        let centre = ActorRef {
            id: me.id.clone(),
            name: me.name.clone(),
            kind: "place",
            kind_label: "Place",
            url: me.url.clone(),
            value: Default::default(),
        };
        let network_svg = network::svg(&centre, &actors[..actors.len().min(NETWORK_NEIGHBOURS)]);
        let ld = jsonld::place(self, node);
        let summary = format!(
            "{} in {} briefing{}.",
            node.name,
            node.appearances.len(),
            if node.appearances.len() == 1 { "" } else { "s" }
        );
        let meta = self.meta("place", &node.name, &summary, &me.url, ld);
        let data = PlaceCtx {
            id: node.id.clone(),
            name: node.name.clone(),
            kind: node.kind.clone().unwrap_or_default(),
            country: node.country.as_deref().and_then(|c| self.actor_ref(c)),
            aliases: node
                .aliases
                .iter()
                .filter(|a| **a != node.name)
                .cloned()
                .collect(),
            mentions: node.mentions,
            briefings_count: node.appearances.len(),
            datelines: node.datelines,
            search_url: format!(
                "{}?place={}",
                self.nav.search,
                labels::query_encode(&node.name)
            ),
            url: me.url,
            timeline: self
                .timeline(&node.appearances[..node.appearances.len().min(TIMELINE_LIMIT)]),
            timeline_total: node.appearances.len(),
            actors,
            network_svg,
        };
        Some((meta, PageData::Place(Box::new(data))))
    }

    /// `/places/`.
    pub fn places_page(&self) -> (PageMeta, PageData) {
        let mut places: Vec<PlaceCount> = self
            .briefing
            .places
            .iter()
            .filter_map(|p| self.place_count(&p.id))
            .collect();
        places.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then_with(|| a.place.name.cmp(&b.place.name))
        });
        let url = self.nav.places.clone();
        let meta = self.meta(
            "places",
            "Places",
            "Every place the briefings name.",
            &url,
            jsonld::collection(self, "Places", &url),
        );
        (
            meta,
            PageData::Places(PlacesCtx {
                total: places.len(),
                places,
            }),
        )
    }

    /// `/search/`.
    pub fn search_page(&self) -> (PageMeta, PageData) {
        let mut actors: Vec<ActorRef> = self.actor_refs.values().cloned().collect();
        actors.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        let mut places: Vec<PlaceRef> = self.place_refs.values().cloned().collect();
        places.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        let kinds = KINDS
            .iter()
            .filter(|k| self.briefing.actors.iter().any(|a| a.kind == **k))
            .map(|&k| KindFilter {
                kind: labels::kind_slug(k),
                label: labels::kind_label(k),
            })
            .collect();
        let url = self.nav.search.clone();
        let meta = self.meta(
            "search",
            "Search",
            "Search the briefings.",
            &url,
            jsonld::collection(self, "Search", &url),
        );
        (
            meta,
            PageData::Search(SearchCtx {
                filters: Filters {
                    actors,
                    kinds,
                    places,
                },
            }),
        )
    }

    /// `/404.html`.
    pub fn not_found_page(&self) -> (PageMeta, PageData) {
        let url = format!("{}404.html", self.base_path);
        let meta = self.meta(
            "404",
            "Page not found",
            "",
            &url,
            jsonld::collection(self, "Page not found", &url),
        );
        (meta, PageData::NotFound)
    }
}

/// Building form of a relation's other end: remembers the last briefing counted.
struct RelationOtherBuild {
    actor: ActorRef,
    briefings: usize,
    url: String,
    url_article: usize,
}

/// A relation group under construction.
struct RelationGroupBuild {
    kind: String,
    label: String,
    others: Vec<RelationOtherBuild>,
}

/// One line about an actor for meta descriptions.
fn actor_summary(kind: Kind, name: &str, role: Option<&str>, briefings: usize) -> String {
    let what = match role {
        Some(role) if !role.is_empty() => role.to_string(),
        _ => labels::kind_label(kind).to_string(),
    };
    format!(
        "{name} ({what}) in {briefings} briefing{}.",
        if briefings == 1 { "" } else { "s" }
    )
}

/// A sentence of Markdown or wire copy as plain text: markup removed, white space
/// collapsed, long sentences shortened.
pub fn plain_text(source: &str) -> String {
    let out = plain_text_unbounded(source);
    if out.chars().count() > MAX_SENTENCE_CHARS {
        let cut: String = out.chars().take(MAX_SENTENCE_CHARS).collect();
        let cut = cut
            .rfind(' ')
            .map_or(cut.as_str(), |i| &cut[..i])
            .to_string();
        return format!("{cut}…");
    }
    out
}

/// Markdown or wire copy as plain text, markup removed and white space collapsed.
pub fn plain_text_unbounded(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '`' | '#' => {}
            '[' => {}
            ']' => {
                // `[text](url)`: drop the `(url)`.
                if chars.peek() == Some(&'(') {
                    for c in chars.by_ref() {
                        if c == ')' {
                            break;
                        }
                    }
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim()
        .trim_start_matches(['>', '-', ' '])
        .trim()
        .to_string()
}

/// Whether a URL from content may become a link: only `http(s)://` addresses,
/// never `javascript:` and friends.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.contains(char::is_control)
}

/// The page numbers a pagination bar shows: the first, the last, and two either
/// side of `current`. Listing every page made each of a 10,000-briefing site's
/// 500 index pages carry 500 links, so the home pages grew with the square of
/// the archive.
pub fn page_window(current: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .filter(|&n| n >= 1 && n <= total)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    #[test]
    fn pagination_shows_ends_and_neighbours() {
        assert_eq!(super::page_window(1, 1), vec![1]);
        assert_eq!(super::page_window(1, 3), vec![1, 2, 3]);
        assert_eq!(super::page_window(1, 500), vec![1, 2, 3, 500]);
        assert_eq!(
            super::page_window(250, 500),
            vec![1, 248, 249, 250, 251, 252, 500]
        );
        assert_eq!(super::page_window(500, 500), vec![1, 498, 499, 500]);
    }
    use super::*;

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(
            plain_text("**Turkey** met [Hamas](https://x.org) in\n  Ankara."),
            "Turkey met Hamas in Ankara."
        );
        let long = "word ".repeat(200);
        assert!(plain_text(&long).ends_with('…'));
    }
}
