//! `/graph.json`: the whole extracted graph for other tools (network analysis,
//! spreadsheets, scripts). Its shape is documented in docs/graph-json.md and kept
//! stable: fields are only ever added. `version` changes if that promise breaks.

use serde::Serialize;

use super::pages::Links;

/// Version of the graph.json shape.
pub const GRAPH_VERSION: u32 = 1;

#[derive(Serialize)]
struct Graph<'a> {
    version: u32,
    generator: String,
    site: SiteInfo<'a>,
    actors: Vec<ActorOut<'a>>,
    places: Vec<PlaceOut<'a>>,
    briefings: Vec<BriefingOut<'a>>,
    mentions: Vec<MentionOut<'a>>,
    statements: Vec<StatementOut<'a>>,
    relations: Vec<RelationOut<'a>>,
    co_mentions: Vec<CoMentionOut<'a>>,
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
}

#[derive(Serialize)]
struct MentionOut<'a> {
    briefing: &'a str,
    #[serde(rename = "type")]
    target_type: &'static str,
    id: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    form: Option<crate::extract::Form>,
}

#[derive(Serialize)]
struct StatementOut<'a> {
    briefing: &'a str,
    actor: &'a str,
    verb: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    briefing: &'a str,
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
pub fn graph_json(links: &Links) -> Vec<u8> {
    let b = links.briefing;
    let mut mentions = Vec::new();
    let mut statements = Vec::new();
    let mut relations = Vec::new();
    let mut briefings = Vec::with_capacity(b.articles.len());
    for (article, extraction) in b.articles.iter().zip(&b.extractions) {
        let slug = article.slug.as_str();
        for actor in &extraction.actors {
            for m in &actor.mentions {
                mentions.push(MentionOut {
                    briefing: slug,
                    target_type: "actor",
                    id: &actor.id,
                    start: m.start,
                    end: m.end,
                    text: &m.text,
                    form: Some(m.form),
                });
            }
        }
        for place in &extraction.places {
            for m in &place.mentions {
                mentions.push(MentionOut {
                    briefing: slug,
                    target_type: "place",
                    id: &place.id,
                    start: m.start,
                    end: m.end,
                    text: &m.text,
                    form: None,
                });
            }
        }
        for s in &extraction.statements {
            statements.push(StatementOut {
                briefing: slug,
                actor: &s.actor,
                verb: &s.verb,
                text: &s.text,
                start: s.start,
                end: s.end,
            });
        }
        for r in &extraction.relations {
            relations.push(RelationOut {
                briefing: slug,
                source: &r.source,
                target: &r.target,
                kind: &r.kind,
                start: r.start,
                end: r.end,
            });
        }
        briefings.push(BriefingOut {
            slug,
            title: &article.title,
            date: article.date.map(|d| d.format("%Y-%m-%d").to_string()),
            url: links.permalink(&format!("{}briefings/{slug}/", links.base_path)),
            file: &article.path,
            dateline: article.dateline.as_deref(),
            actors: extraction.actors.iter().map(|a| a.id.as_str()).collect(),
            places: extraction.places.iter().map(|p| p.id.as_str()).collect(),
        });
    }
    let mut co_mentions = Vec::new();
    for actor in &b.actors {
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
    let graph = Graph {
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
        briefings,
        mentions,
        statements,
        relations,
        co_mentions,
    };
    super::escape::json_for_markup(&graph, b.articles.len() * 8 * 1024, b"{}")
}
