//! Assembles the [`Extraction`] from the passes' decisions: groups mentions by
//! actor, place and candidate, applies the article's `actors` and
//! `exclude_actors` and the registry's suppressions, and sorts everything the
//! documented way so the output is byte-for-byte stable.

use super::catalog::{Catalog, Target};
use super::dateline::DatelineTarget;
use super::document::{Doc, Found, Span, What};
use super::fasthash::{FastMap, FastSet};
use super::relations::Did;
use super::statements::{self, Said};
use super::{
    ActorHit, Candidate, Dateline, Extraction, Input, Kind, Mention, PlaceHit, Relation, Statement,
    slugify,
};

/// Ids named by front matter strings (ids or names).
fn resolve_ids(doc: &Doc, names: &[String]) -> Vec<(String, Option<usize>)> {
    let catalog = doc.catalog;
    let mut out = Vec::new();
    for raw in names {
        let name = raw.trim();
        if name.is_empty() {
            continue;
        }
        let entity = catalog.find(name).or_else(|| {
            let p = doc.matcher.lookup(name)?;
            match catalog.patterns.get(p)?.target {
                Target::Actor { entity, .. } => Some(catalog.resolve(entity)),
                Target::Place { entity } => Some(catalog.resolve(entity)),
                Target::CapitalOrPlace { state, .. } => Some(catalog.resolve(state)),
                Target::Ignore => None,
            }
        });
        match entity {
            Some(e) => out.push((catalog.entities[e].id.clone(), Some(e))),
            None => out.push((slugify(name), None)),
        }
    }
    out
}

fn mention(doc: &Doc, span: &Span) -> Option<Mention> {
    let bytes = doc.span_bytes(&span.tok);
    let text = doc.text.get(bytes.clone())?;
    if bytes.start >= bytes.end {
        return None;
    }
    Some(Mention {
        start: bytes.start,
        end: bytes.end,
        text: text.to_string(),
        form: span.form,
    })
}

/// Builds the final result.
pub(crate) fn build(
    doc: &Doc,
    found: &Found,
    input: &Input,
    said: Vec<Said>,
    relations: Vec<Did>,
) -> Extraction {
    let catalog: &Catalog = doc.catalog;
    let mut excluded: FastSet<String> = FastSet::default();
    if !input.exclude_actors.is_empty() {
        excluded.extend(
            resolve_ids(doc, input.exclude_actors)
                .into_iter()
                .map(|(id, _)| id),
        );
    }
    for id in &catalog.ignored_ids {
        excluded.insert(id.clone());
    }

    // Mentions, in text order, never overlapping.
    let mut actor_mentions: Vec<Vec<Mention>> = vec![Vec::new(); found.actors.len()];
    let mut place_mentions: FastMap<usize, Vec<Mention>> = FastMap::default();
    let mut place_order: Vec<usize> = Vec::new();
    let mut candidate_mentions: Vec<Vec<Mention>> = vec![Vec::new(); found.candidates.len()];
    let mut last_end = 0usize;
    for span in &found.spans {
        let Some(m) = mention(doc, span) else {
            continue;
        };
        if m.start < last_end {
            continue;
        }
        last_end = m.end;
        match span.what {
            What::Actor(a) => {
                if let Some(list) = actor_mentions.get_mut(a) {
                    list.push(m);
                }
            }
            What::Place(p) => {
                let list = place_mentions.entry(p).or_default();
                if list.is_empty() {
                    place_order.push(p);
                }
                list.push(m);
            }
            What::Candidate(c) => {
                if let Some(list) = candidate_mentions.get_mut(c) {
                    list.push(m);
                }
            }
            What::Pending(_) => {}
        }
    }

    let mut actors: Vec<ActorHit> = Vec::new();
    for (a, mentions) in found.actors.iter().zip(actor_mentions) {
        if mentions.is_empty() || excluded.contains(a.id.as_ref()) {
            continue;
        }
        actors.push(ActorHit {
            id: a.id.to_string(),
            name: a.name.to_string(),
            kind: a.kind,
            role: a.role.as_deref().map(str::to_string),
            affiliation: a.affiliation.as_deref().map(str::to_string),
            mentions,
        });
    }
    actors.sort_by_key(|a| a.mentions.first().map_or(usize::MAX, |m| m.start));
    let mut extra: Vec<ActorHit> = Vec::new();
    for (id, entity) in resolve_ids(doc, input.extra_actors) {
        if id.is_empty()
            || excluded.contains(&id)
            || actors.iter().chain(&extra).any(|a| a.id == id)
        {
            continue;
        }
        let hit = match entity.map(|e| &catalog.entities[e]) {
            Some(e) => match e.actor_kind() {
                Some(kind) => ActorHit {
                    id,
                    name: e.name.clone(),
                    kind,
                    role: e.role.clone(),
                    affiliation: e.affiliation.clone(),
                    mentions: Vec::new(),
                },
                None => continue,
            },
            None => {
                let name = input
                    .extra_actors
                    .iter()
                    .map(|s| s.trim())
                    .find(|s| slugify(s) == id)
                    .unwrap_or(id.as_str())
                    .to_string();
                ActorHit {
                    id,
                    name,
                    kind: Kind::Other,
                    role: None,
                    affiliation: None,
                    mentions: Vec::new(),
                }
            }
        };
        extra.push(hit);
    }
    extra.sort_by(|a, b| a.id.cmp(&b.id));
    actors.extend(extra);

    let mut places: Vec<PlaceHit> = Vec::new();
    for p in place_order {
        let e = &catalog.entities[p];
        if excluded.contains(&e.id) {
            continue;
        }
        places.push(PlaceHit {
            id: e.id.clone(),
            name: e.name.clone(),
            mentions: place_mentions.remove(&p).unwrap_or_default(),
        });
    }
    places.sort_by_key(|p| p.mentions.first().map_or(usize::MAX, |m| m.start));

    let mut candidates: Vec<Candidate> = found
        .candidates
        .iter()
        .zip(candidate_mentions)
        .filter(|(text, mentions)| {
            !mentions.is_empty() && (excluded.is_empty() || !excluded.contains(&slugify(text)))
        })
        .map(|(text, mentions)| Candidate {
            text: text.to_string(),
            mentions,
        })
        .collect();
    candidates.sort_by_key(|c| c.mentions.first().map_or(usize::MAX, |m| m.start));

    let kept: FastSet<&str> = actors.iter().map(|a| a.id.as_str()).collect();
    let id_of = |a: usize| {
        found
            .actors
            .get(a)
            .map(|x| x.id.as_ref())
            .filter(|id| kept.contains(id))
    };
    let mut statements: Vec<Statement> = said
        .into_iter()
        .filter_map(|s| {
            Some(Statement {
                actor: id_of(s.actor)?.to_string(),
                verb: s.verb.to_string(),
                text: statements::statement_text(doc.text, s.text),
                start: s.start,
                end: s.end,
            })
        })
        .collect();
    statements.sort_by_key(|s| s.start);
    let mut relations: Vec<Relation> = relations
        .into_iter()
        .filter_map(|r| {
            Some(Relation {
                source: id_of(r.source)?.to_string(),
                target: id_of(r.target)?.to_string(),
                kind: r.kind.to_string(),
                start: r.start,
                end: r.end,
            })
        })
        .collect();
    relations.sort_by_key(|r| r.start);
    relations.dedup();

    let dateline = found.dateline.as_ref().and_then(|d| {
        let bytes = doc.span_bytes(&d.tok);
        let text = doc.text.get(bytes.clone())?;
        let place = match d.target {
            DatelineTarget::Place(p) => Some(catalog.entities[p].id.clone()),
            _ => None,
        };
        Some(Dateline {
            text: text.to_string(),
            place,
            start: bytes.start,
            end: bytes.end,
        })
    });

    Extraction {
        dateline,
        actors,
        places,
        statements,
        relations,
        candidates,
    }
}
