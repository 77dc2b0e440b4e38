//! The dateline: the place (and often date and agency) that opens wire copy —
//! `Ankara:`, `GAZA CITY, Nov 2 (Agency) -`, `ANKARA 2026-11-26`,
//! `WASHINGTON (Reuters) -`.
//!
//! It is only looked for at the very start of the body, or at the start of the
//! second line when the first is a headline (a short line without a final
//! stop, as `.txt` wire copy has). A dateline place is always the place, never
//! a government: "Ankara:" says where the story was filed.

use std::ops::Range;

use super::catalog::Target;
use super::document::Doc;
use super::lexicon::class;
use super::tokens::{TokKind, flag};

/// What the dateline names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatelineTarget {
    /// A known place (catalog entity).
    Place(usize),
    /// A known state (catalog entity): a state is an actor, not a place.
    State(usize),
    /// Not in the catalog: reported as a candidate.
    Unknown,
}

/// The dateline's place tokens and what they name.
#[derive(Debug, Clone)]
pub(crate) struct DatelineHit {
    pub tok: Range<usize>,
    pub target: DatelineTarget,
}

/// Longest headline, in bytes, for the first-line rule.
const HEADLINE_MAX: usize = 200;

/// Finds the dateline, if the body has one.
pub(crate) fn detect(doc: &Doc) -> Option<DatelineHit> {
    let toks = &doc.toks;
    let first = first_content_line(doc)?;
    let mut j = first;
    let mut words = 0usize;
    while j < toks.len() {
        let t = toks[j];
        if j > first && t.has(flag::NEWLINE_BEFORE) {
            break;
        }
        match t.kind {
            TokKind::Word if t.has(flag::CAP) => words += 1,
            TokKind::Word if doc.class(j) & class::PARTICLE != 0 && words > 0 => {}
            TokKind::Punct
                if words > 0
                    && doc.punct(j) == Some('-')
                    && t.tight()
                    && toks
                        .get(j + 1)
                        .is_some_and(|n| n.tight() && n.is_cap_word()) => {}
            _ => break,
        }
        j += 1;
        if words > 4 {
            return None;
        }
    }
    if words == 0 || !toks[first].is_cap_word() {
        return None;
    }
    let place = first..j;
    let terminator = toks.get(j)?;
    let on_same_line = !terminator.has(flag::NEWLINE_BEFORE);
    if !on_same_line {
        return None;
    }
    let target = lookup(doc, &place);
    let accepted = match terminator.kind {
        TokKind::Number => true,
        TokKind::Punct => match doc.punct(j) {
            // "Ankara: ..." only for a known place: "Breaking: ..." is not one.
            Some(':') => terminator.tight() && target != DatelineTarget::Unknown,
            Some(',') => comma_then_date(doc, j + 1),
            Some('(') => true,
            Some('-' | '—' | '–') => terminator.has(flag::SPACE_BEFORE),
            _ => false,
        },
        _ => false,
    };
    if !accepted {
        return None;
    }
    // A sentence like "Turkey, which has ..." is not a dateline either.
    if let DatelineTarget::State(_) = target
        && !toks[first].has(flag::ALLCAPS)
        && doc.punct(j) == Some(',')
    {
        return None;
    }
    Some(DatelineHit { tok: place, target })
}

/// The first token of the body, or of its second line when the first line is
/// a headline.
fn first_content_line(doc: &Doc) -> Option<usize> {
    let toks = &doc.toks;
    let mut start = 0usize;
    // Skip Markdown headings.
    while toks.get(start).is_some() && doc.punct(start) == Some('#') {
        start = next_line(doc, start)?;
    }
    toks.get(start)?;
    let next = next_line(doc, start);
    if let Some(next) = next {
        // A byline after the headline ("By Maria Lopez") is skipped too.
        let after_byline = |line: usize| -> usize {
            match next_line(doc, line) {
                Some(n) if doc.word(line) == "By" && n - line <= 6 => n,
                _ => line,
            }
        };
        let last = toks[next - 1];
        let bytes = last.end - toks[start].start;
        let ends_with_stop = last.kind == TokKind::Punct
            && matches!(doc.punct(next - 1), Some('.' | '!' | '?' | ':' | '"' | '”'));
        if !ends_with_stop && bytes <= HEADLINE_MAX && !looks_like_dateline_line(doc, start) {
            return Some(after_byline(next));
        }
    }
    Some(start)
}

/// A first line such as "ANKARA, Nov 26 (Reuters) -" that ends without a stop
/// is itself the dateline, not a headline.
fn looks_like_dateline_line(doc: &Doc, start: usize) -> bool {
    let end = next_line(doc, start).unwrap_or(doc.toks.len());
    (start..end).any(|i| doc.punct(i) == Some('('))
        && (start..end).any(|i| matches!(doc.punct(i), Some('-' | '—' | '–')) && i + 1 == end)
}

fn next_line(doc: &Doc, from: usize) -> Option<usize> {
    (from + 1..doc.toks.len()).find(|&i| doc.toks[i].has(flag::NEWLINE_BEFORE))
}

/// After "CITY," a date, a weekday or an agency in brackets follows soon.
fn comma_then_date(doc: &Doc, from: usize) -> bool {
    for i in from..(from + 8).min(doc.toks.len()) {
        let t = doc.toks[i];
        if t.has(flag::NEWLINE_BEFORE) {
            return false;
        }
        if t.kind == TokKind::Number
            || doc.class(i) & (class::MONTH | class::WEEKDAY) != 0
            || doc.punct(i) == Some('(')
        {
            return true;
        }
        if t.kind == TokKind::Word && t.has(flag::LOWER) {
            return false;
        }
    }
    false
}

fn lookup(doc: &Doc, place: &Range<usize>) -> DatelineTarget {
    let text = doc.span_text(place);
    let pattern = doc
        .matcher
        .lookup(text)
        .or_else(|| doc.matcher.lookup_upper(&text.to_uppercase()));
    let Some(p) = pattern.and_then(|p| doc.catalog.patterns.get(p)) else {
        return DatelineTarget::Unknown;
    };
    match p.target {
        Target::Place { entity } => DatelineTarget::Place(entity),
        Target::CapitalOrPlace { place, .. } => DatelineTarget::Place(place),
        Target::Actor { entity, .. } => {
            let e = &doc.catalog.entities[entity];
            match e.actor_kind() {
                Some(super::Kind::State) => match e.capital_place {
                    // "WASHINGTON" as a dateline is the city even when the
                    // alias list reads it as the government.
                    Some(capital)
                        if doc.catalog.entities[capital]
                            .name
                            .eq_ignore_ascii_case(text) =>
                    {
                        DatelineTarget::Place(capital)
                    }
                    _ => DatelineTarget::State(entity),
                },
                _ => DatelineTarget::Unknown,
            }
        }
        Target::Ignore => DatelineTarget::Unknown,
    }
}
