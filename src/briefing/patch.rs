//! The link stage after a small edit: the last build's actors and places with
//! the changed briefings taken out and put back in, instead of aggregating
//! every briefing again.
//!
//! A patch gives exactly what [`Briefing::link`](super::Briefing::link) gives
//! (`tests/incremental.rs` and the tests below compare the two), so it is only
//! tried where that is easy to see: the same briefings in the same order, the
//! same actors and places site-wide, the same registry, no id clash, a few
//! briefings changed. Anything else returns `None` and the caller links from
//! scratch.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{
    ActorNode, Appearance, PlaceNode, RelationRef, StatementRef, people_by_organisation,
    sort_most_first,
};
use crate::content::Article;
use crate::extract::{Extraction, Mention};

/// More changed briefings than this, and linking from scratch is as quick.
const PATCH_LIMIT: usize = 64;

/// What one link leaves for the next.
pub(super) struct Last {
    /// Extractor fingerprint and registry hash the nodes were made under.
    pub setting: u64,
    pub articles: Vec<Arc<Article>>,
    pub extractions: Vec<Arc<Extraction>>,
    pub actors: Arc<Vec<ActorNode>>,
    pub actor_index: Arc<FxHashMap<String, usize>>,
    pub places: Arc<Vec<PlaceNode>>,
    pub place_index: Arc<FxHashMap<String, usize>>,
    pub slug_index: Arc<FxHashMap<String, usize>>,
    /// Briefings shared by actors `a < b` (by position), at `a * n + b`.
    pub pairs: Vec<u32>,
    /// The number of the link these nodes are from (see
    /// [`NodeChanges`](super::NodeChanges)).
    pub generation: u64,
}

/// What a patch changed: the positions of the actor and place nodes that may
/// differ from the last link's, ascending.
#[derive(Debug, Default)]
pub(super) struct Patched {
    pub actors: Vec<usize>,
    pub places: Vec<usize>,
    /// Every briefing still names the same actors in the same order (then
    /// related briefings are as they were).
    pub same_actor_ids: bool,
}

/// `last` brought up to `articles` and `extractions` (sorted, ids not yet made
/// unique) and what changed, or `None` when this is not a small edit.
pub(super) fn patch(
    mut last: Last,
    setting: u64,
    articles: &[Arc<Article>],
    extractions: &[Arc<Extraction>],
) -> Option<(Last, Patched)> {
    if last.setting != setting || last.articles.len() != articles.len() {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (article, extraction)) in articles.iter().zip(extractions).enumerate() {
        if Arc::ptr_eq(article, &last.articles[i]) && Arc::ptr_eq(extraction, &last.extractions[i])
        {
            continue;
        }
        if article.slug != last.articles[i].slug || changed.len() == PATCH_LIMIT {
            return None;
        }
        changed.push(i);
    }
    if changed.is_empty() {
        return Some((
            last,
            Patched {
                same_actor_ids: true,
                ..Patched::default()
            },
        ));
    }
    let n = last.actors.len();
    if last.pairs.len() != n * n {
        return None;
    }
    // Every actor and place named must already have a node, of the same kind:
    // then no node is created and no id can clash.
    for &i in &changed {
        for hit in &extractions[i].actors {
            let &k = last.actor_index.get(&hit.id)?;
            if last.actors[k].kind != hit.kind {
                return None;
            }
        }
        for hit in &extractions[i].places {
            last.place_index.get(&hit.id)?;
        }
    }
    let edit = Edit {
        before: changed
            .iter()
            .map(|&i| Arc::clone(&last.extractions[i]))
            .collect(),
        after: changed.iter().map(|&i| &extractions[i]).collect(),
        changed,
        extractions,
    };
    let actors = patch_actors(&mut last, &edit)?;
    let places = patch_places(&mut last, &edit)?;

    let same_actor_ids = edit.before.iter().zip(&edit.after).all(|(old, new)| {
        old.actors
            .iter()
            .map(|h| &h.id)
            .eq(new.actors.iter().map(|h| &h.id))
    });
    last.articles = articles.to_vec();
    last.extractions = extractions.to_vec();
    Some((
        last,
        Patched {
            actors,
            places,
            same_actor_ids,
        },
    ))
}

/// The briefings an edit changed, as they were and as they are.
struct Edit<'a> {
    /// Positions of the changed briefings, ascending.
    changed: Vec<usize>,
    /// Their extractions in the last link, in the same order.
    before: Vec<Arc<Extraction>>,
    /// Their extractions now.
    after: Vec<&'a Arc<Extraction>>,
    /// Every extraction now.
    extractions: &'a [Arc<Extraction>],
}

impl Edit<'_> {
    fn is_changed(&self, i: usize) -> bool {
        self.changed.binary_search(&i).is_ok()
    }

    /// Old and new extractions of the changed briefings.
    fn both(&self) -> impl Iterator<Item = &Extraction> {
        self.before
            .iter()
            .map(|e| &**e)
            .chain(self.after.iter().map(|e| &***e))
    }

    /// (position, new extraction) of each changed briefing.
    fn now(&self) -> impl Iterator<Item = (usize, &Extraction)> {
        self.changed
            .iter()
            .copied()
            .zip(self.after.iter().map(|e| &***e))
    }
}

/// Adds briefing `i`'s appearance after those of older-or-equal position, as a
/// walk of the briefings in order would have pushed it.
fn insert_appearance(appearances: &mut Vec<Appearance>, i: usize, mentions: &[Mention]) {
    let at = appearances.partition_point(|a| a.article <= i);
    appearances.insert(
        at,
        Appearance {
            article: i,
            first_mention: mentions.first().map_or(0, |m| m.start),
            mentions: mentions.len(),
        },
    );
}

/// Patches the actor nodes; returns the positions of those that may have changed.
fn patch_actors(last: &mut Last, edit: &Edit) -> Option<Vec<usize>> {
    let extractions = edit.extractions;
    let index = Arc::clone(&last.actor_index);
    let position = |id: &str| index.get(id).copied();
    let n = last.actors.len();

    // Every node a changed briefing touches, before or after the edit.
    let mut touched: Vec<usize> = Vec::new();
    for extraction in edit.both() {
        touched.extend(extraction.actors.iter().filter_map(|h| position(&h.id)));
        touched.extend(
            extraction
                .statements
                .iter()
                .filter_map(|s| position(&s.actor)),
        );
        for r in &extraction.relations {
            touched.extend(position(&r.source));
            touched.extend(position(&r.target));
        }
    }
    touched.sort_unstable();
    touched.dedup();

    let actors = Arc::make_mut(&mut last.actors);
    let first_before: Vec<Option<usize>> = touched
        .iter()
        .map(|&k| actors[k].appearances.first().map(|a| a.article))
        .collect();
    for &k in &touched {
        let node = &mut actors[k];
        node.appearances.retain(|a| !edit.is_changed(a.article));
        node.statements.retain(|s| !edit.is_changed(s.article));
        node.relations.retain(|r| !edit.is_changed(r.article));
    }
    for (i, extraction) in edit.now() {
        for hit in &extraction.actors {
            insert_appearance(
                &mut actors[position(&hit.id)?].appearances,
                i,
                &hit.mentions,
            );
        }
    }
    // A node that lost its last appearance, or whose newest appearance moved,
    // changes what a from-scratch link would do: leave it to that.
    for (&k, first) in touched.iter().zip(&first_before) {
        if actors[k].appearances.first().map(|a| a.article) != *first {
            return None;
        }
    }
    // A statement or relation counts for a node seen in its briefing or a
    // newer one, as when the briefings are walked newest first.
    let seen_by =
        |node: &ActorNode, i: usize| node.appearances.first().is_some_and(|a| a.article <= i);
    for (i, extraction) in edit.now() {
        for (index, statement) in extraction.statements.iter().enumerate() {
            let Some(k) = position(&statement.actor) else {
                continue;
            };
            let node = &mut actors[k];
            if seen_by(node, i) {
                let at = node.statements.partition_point(|s| s.article <= i);
                node.statements
                    .insert(at, StatementRef { article: i, index });
            }
        }
        for (index, relation) in extraction.relations.iter().enumerate() {
            for (id, other, outgoing) in [
                (&relation.source, &relation.target, true),
                (&relation.target, &relation.source, false),
            ] {
                let Some(k) = position(id) else { continue };
                let node = &mut actors[k];
                if seen_by(node, i) {
                    let at = node.relations.partition_point(|r| r.article <= i);
                    node.relations.insert(
                        at,
                        RelationRef::new(i, index, &relation.kind, other, outgoing),
                    );
                }
            }
        }
    }
    // Counts, and what the newest appearance decides: name and kind from it,
    // role and affiliation from the first one that has them.
    for &k in &touched {
        let node = &mut actors[k];
        node.mentions = node.appearances.iter().map(|a| a.mentions).sum();
        let id = node.id.clone();
        let hits = node
            .appearances
            .iter()
            .flat_map(|a| extractions[a.article].actors.iter().filter(|h| h.id == id));
        let mut first = None;
        let (mut role, mut affiliation) = (None, None);
        for hit in hits {
            first.get_or_insert(hit);
            if role.is_none() {
                role.clone_from(&hit.role);
            }
            if affiliation.is_none() {
                affiliation.clone_from(&hit.affiliation);
            }
            if role.is_some() && affiliation.is_some() {
                break;
            }
        }
        let first = first?;
        node.name.clone_from(&first.name);
        node.kind = first.kind;
        node.role = role;
        node.affiliation = affiliation;
    }

    // Co-mentions: the pair table with the changed briefings swapped, then the
    // lists of every actor in them.
    let present = |extraction: &Extraction| -> Vec<usize> {
        let mut ids: Vec<usize> = extraction
            .actors
            .iter()
            .filter_map(|h| position(&h.id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut relisted: Vec<usize> = Vec::new();
    let removed = edit.before.iter().map(|e| (&**e, false));
    for (extraction, add) in removed.chain(edit.now().map(|(_, e)| (e, true))) {
        let ids = present(extraction);
        for (m, &a) in ids.iter().enumerate() {
            for &b in &ids[m + 1..] {
                let cell = &mut last.pairs[a * n + b];
                *cell = if add {
                    cell.checked_add(1)?
                } else {
                    cell.checked_sub(1)?
                };
            }
        }
        relisted.extend(ids);
    }
    relisted.sort_unstable();
    relisted.dedup();
    for &a in &relisted {
        let mut list: Vec<(usize, usize)> = (0..n)
            .filter(|&b| b != a)
            .filter_map(|b| {
                let count = last.pairs[a.min(b) * n + a.max(b)];
                (count > 0).then_some((b, count as usize))
            })
            .collect();
        list.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        actors[a].co_mentions = list
            .into_iter()
            .map(|(b, count)| (actors[b].id.clone(), count))
            .collect();
    }

    // People by organisation follow affiliations, which may have moved.
    let people = people_by_organisation(actors, position);
    let mut changed = touched;
    changed.extend(relisted);
    for (k, (node, list)) in actors.iter_mut().zip(people).enumerate() {
        if node.people != list {
            node.people = list;
            changed.push(k);
        }
    }
    changed.sort_unstable();
    changed.dedup();
    Some(changed)
}

/// Patches the place nodes; returns the positions of those that may have changed.
fn patch_places(last: &mut Last, edit: &Edit) -> Option<Vec<usize>> {
    let extractions = edit.extractions;
    let index = Arc::clone(&last.place_index);
    let mut touched: Vec<usize> = edit
        .both()
        .flat_map(|e| e.places.iter().filter_map(|h| index.get(&h.id).copied()))
        .collect();
    touched.sort_unstable();
    touched.dedup();

    let places = Arc::make_mut(&mut last.places);
    for &k in &touched {
        places[k]
            .appearances
            .retain(|a| !edit.is_changed(a.article));
    }
    for (i, extraction) in edit.now() {
        for hit in &extraction.places {
            insert_appearance(
                &mut places[*index.get(&hit.id)?].appearances,
                i,
                &hit.mentions,
            );
        }
    }
    for &k in &touched {
        let node = &mut places[k];
        let first = node.appearances.first()?;
        let name = extractions[first.article]
            .places
            .iter()
            .find(|h| h.id == node.id)?
            .name
            .clone();
        node.name = name;
        node.mentions = node.appearances.iter().map(|a| a.mentions).sum();
        let dateline_here = |i: usize| {
            extractions[i]
                .dateline
                .as_ref()
                .and_then(|d| d.place.as_deref())
                == Some(node.id.as_str())
        };
        node.datelines = node
            .appearances
            .iter()
            .filter(|a| dateline_here(a.article))
            .count();
        // The actors named with the place: the changed briefings' counts are
        // taken out and put back, instead of every appearance being counted
        // again (thousands for a capital).
        let mut counts: FxHashMap<String, usize> =
            std::mem::take(&mut node.actors).into_iter().collect();
        let names_place = |e: &Extraction| e.places.iter().any(|h| h.id == node.id);
        for before in edit.before.iter().filter(|e| names_place(e)) {
            for actor in &before.actors {
                let count = counts.get_mut(&actor.id)?;
                *count = count.checked_sub(1)?;
            }
        }
        for after in edit.after.iter().filter(|e| names_place(e)) {
            for actor in &after.actors {
                *counts.entry(actor.id.clone()).or_default() += 1;
            }
        }
        counts.retain(|_, count| *count > 0);
        let mut actors: Vec<(String, usize)> = counts.into_iter().collect();
        sort_most_first(&mut actors);
        node.actors = actors;
    }
    Some(touched)
}
