//! The main pass: one walk over the tokens, left to right, deciding what each
//! alias match or capitalised word is.
//!
//! At each token, in order of precedence: the dateline; an acronym definition
//! ("the Coordination of Government Activities in the Territories (COGAT)");
//! an alias match (checked against the weak-alias rule, the capital rule and
//! the "part of a longer name" rule); a title introducing a person; a run of
//! capitalised words, left for the candidates pass to judge once the whole
//! article has been read. Because the walk only moves forward, spans never
//! overlap.

use super::candidates::AcronymDef;
use super::catalog::Target;
use super::dateline::DatelineTarget;
use super::document::{Doc, Found, GazMatch, Learnt, Seq, What};
use super::lexicon::{class, lexicon};
use super::people;
use super::tokens::{TokKind, flag};
use super::{Form, Kind};

/// Most words in a run of capitals that can still be a name; longer runs are
/// lists or headlines.
pub(crate) const MAX_NAME_WORDS: usize = 8;

/// Runs the pass, filling `found.spans`, `found.seqs` and what they point to.
pub(crate) fn assemble<'a>(doc: &Doc<'a>, found: &mut Found<'a>, definitions: &[AcronymDef]) {
    let n = doc.toks.len();
    let mut i = 0usize;
    let mut d = 0usize;
    let dateline = found.dateline.clone();
    while i < n {
        if let Some(dl) = &dateline
            && dl.tok.start == i
        {
            emit_dateline(doc, found, dl.tok.clone(), dl.target);
            i = dl.tok.end;
            continue;
        }
        while d < definitions.len() && definitions[d].long.start < i {
            d += 1;
        }
        if let Some(def) = definitions.get(d).filter(|x| x.long.start == i) {
            emit_definition(doc, found, def);
            i = def.long.end;
            d += 1;
            continue;
        }
        if let Some(m) = doc.gaz_starting(i)
            && let Some(next) = alias_hit(doc, found, i, m)
        {
            i = next;
            continue;
        }
        let t = doc.toks[i];
        if t.kind == TokKind::Word
            && !t.has(flag::HEADLINE)
            && doc.class(i) & (class::TITLE_HEAD | class::TITLE_MOD | class::HONORIFIC) != 0
            && let Some(next) = people::titled_person(doc, found, i)
        {
            i = next;
            continue;
        }
        if starts_name(doc, i) {
            let mut end = sequence(doc, i, None);
            if let Some(def) = definitions[d..].iter().find(|x| x.long.start > i) {
                end = end.min(def.long.start);
            }
            push_seq(doc, found, i, end);
            i = end;
            continue;
        }
        i += 1;
    }
}

fn push_seq<'a>(doc: &Doc<'a>, found: &mut Found<'a>, start: usize, end: usize) {
    let t = doc.toks[start];
    let index = found.seqs.len();
    found.seqs.push(Seq {
        tok: start..end,
        initial: t.has(flag::INITIAL),
        headline: t.has(flag::HEADLINE),
    });
    found.push(start..end, What::Pending(index), Form::Name);
}

fn emit_dateline<'a>(
    doc: &Doc<'a>,
    found: &mut Found<'a>,
    tok: std::ops::Range<usize>,
    target: DatelineTarget,
) {
    match target {
        DatelineTarget::Place(p) => found.push(tok, What::Place(p), Form::Name),
        DatelineTarget::State(s) => {
            let a = found.known_actor(doc.catalog, s);
            found.push(tok, What::Actor(a), Form::Name);
        }
        DatelineTarget::Unknown => {
            let c = found.candidate(doc.span_text(&tok));
            found.push(tok, What::Candidate(c), Form::Name);
        }
    }
}

fn emit_definition<'a>(doc: &Doc<'a>, found: &mut Found<'a>, def: &AcronymDef) {
    let long = doc.span_text(&def.long);
    let short = doc.word(def.short);
    let known = |p: Option<usize>| match p
        .and_then(|p| doc.catalog.patterns.get(p))
        .map(|p| p.target)
    {
        Some(Target::Actor { entity, .. }) => Some(entity),
        _ => None,
    };
    let entity = known(doc.matcher.lookup(long))
        .or_else(|| known(doc.gaz_starting(def.short).map(|m| m.pattern)));
    match entity {
        Some(entity) => {
            let a = found.known_actor(doc.catalog, entity);
            found.push(def.long.clone(), What::Actor(a), Form::Name);
            found.learn(long, Learnt::Actor(a, Form::Name));
            found.learn(short, Learnt::Actor(a, Form::Acronym));
        }
        None => {
            let c = found.candidate(long);
            found.push(def.long.clone(), What::Candidate(c), Form::Name);
            found.learn(long, Learnt::Candidate(c));
            found.learn(short, Learnt::Candidate(c));
        }
    }
}

/// Handles the alias match `m` at token `i`; `None` when the match is
/// rejected and the words should be read as ordinary capitals.
fn alias_hit<'a>(doc: &Doc<'a>, found: &mut Found<'a>, i: usize, m: &GazMatch) -> Option<usize> {
    let pattern = doc.catalog.patterns.get(m.pattern)?;
    let target = pattern.target;
    if target == Target::Ignore {
        return Some(m.tok.end);
    }
    if pattern.weak && weak_rejected(doc, found, i, m) {
        return None;
    }
    let person = matches!(target, Target::Actor { entity, .. }
        if doc.catalog.entities[entity].actor_kind() == Some(Kind::Person));
    let headline = doc.toks[i].has(flag::HEADLINE);
    // "Oslo Accords", "Paris Agreement": the place names a document.
    let place_like = match target {
        Target::Place { .. } | Target::CapitalOrPlace { .. } => true,
        Target::Actor { entity, form } => {
            form != Form::Acronym && doc.catalog.entities[entity].actor_kind() == Some(Kind::State)
        }
        Target::Ignore => false,
    };
    if place_like
        && !headline
        && doc
            .toks
            .get(m.tok.end)
            .is_some_and(|t| t.is_cap_word() && !t.has(flag::NEWLINE_BEFORE))
        && doc.class(m.tok.end) & class::DOCUMENT != 0
    {
        return Some(m.tok.end + 1);
    }
    if !headline && !person && merges_with_next(doc, m) {
        let end = sequence(doc, i, Some(m.tok.end));
        if end > m.tok.end {
            push_seq(doc, found, i, end);
            return Some(end);
        }
    }
    match target {
        Target::Actor { entity, form } => {
            let a = found.known_actor(doc.catalog, entity);
            let mut tok = m.tok.clone();
            if person {
                // "al-" before a known surname belongs to the name.
                let free = found.spans.last().is_none_or(|s| s.tok.end + 2 <= i);
                if i >= 2
                    && free
                    && doc.punct(i - 1) == Some('-')
                    && doc.toks[i].tight()
                    && doc.toks[i - 1].tight()
                    && doc.toks[i - 2].is_lower_word()
                    && doc.class(i - 2) & class::HYPHEN_PARTICLE != 0
                {
                    tok.start = i - 2;
                }
                if form == Form::Name && m.tok.len() > 1 {
                    people::learn_person_names(doc, found, a, &m.tok);
                }
            }
            found.push(tok, What::Actor(a), form);
        }
        Target::Place { entity } => found.push(m.tok.clone(), What::Place(entity), Form::Name),
        Target::CapitalOrPlace { state, place } => {
            if government(doc, found, i, m) {
                let a = found.known_actor(doc.catalog, state);
                found.push(m.tok.clone(), What::Actor(a), Form::Capital);
            } else {
                found.push(m.tok.clone(), What::Place(place), Form::Name);
            }
        }
        Target::Ignore => {}
    }
    Some(m.tok.end)
}

/// Words that cannot be a name word next to a weak alias.
const NOT_NAME: u32 = class::FUNCTION
    | class::DISCOURSE
    | class::MONTH
    | class::WEEKDAY
    | class::TITLE_HEAD
    | class::TITLE_MOD
    | class::HONORIFIC;

/// A weak alias ("Chad", "Jordan") next to another capitalised name word is
/// part of a person's name ("Chad Smith", "Michael Jordan").
fn weak_rejected(doc: &Doc, found: &Found, i: usize, m: &GazMatch) -> bool {
    let toks = &doc.toks;
    let next = m.tok.end;
    if let Some(t) = toks.get(next)
        && t.is_cap_word()
        && t.has(flag::SPACE_BEFORE)
        && !t.has(flag::NEWLINE_BEFORE)
        && doc.class(next) & NOT_NAME == 0
        && doc.gaz_starting(next).is_none()
    {
        return true;
    }
    if i > 0
        && toks[i - 1].is_cap_word()
        && toks[i].has(flag::SPACE_BEFORE)
        && !toks[i].has(flag::NEWLINE_BEFORE)
        && doc.class(i - 1) & NOT_NAME == 0
        && found.spans.last().is_none_or(|s| s.tok.end != i)
    {
        return true;
    }
    false
}

/// A known name followed by more capitalised words is part of a longer name
/// ("Gaza Health Ministry", "Israel Katz", "Washington Post").
fn merges_with_next(doc: &Doc, m: &GazMatch) -> bool {
    let toks = &doc.toks;
    let next = m.tok.end;
    let Some(t) = toks.get(next) else {
        return false;
    };
    if !t.is_cap_word() || t.has(flag::NEWLINE_BEFORE) || !t.has(flag::SPACE_BEFORE) {
        return false;
    }
    if t.start != toks[next - 1].end + 1 || doc.gaz_starting(next).is_some() {
        return false;
    }
    let c = doc.class(next);
    if c & (class::FUNCTION
        | class::DISCOURSE
        | class::MONTH
        | class::WEEKDAY
        | class::MISC
        | class::HONORIFIC
        | class::DOCUMENT)
        != 0
    {
        return false;
    }
    if c & (class::TITLE_HEAD | class::TITLE_MOD) != 0 && people::parse_title(doc, next).is_some() {
        return false;
    }
    true
}

/// A capital names its government when it acts ("Ankara said", "Washington
/// and Moscow agreed", "Ankara's position") and the city otherwise ("in
/// Ankara", "talks in Ankara ended").
fn government(doc: &Doc, found: &Found, i: usize, m: &GazMatch) -> bool {
    let toks = &doc.toks;
    if i > 0 && toks[i - 1].is_lower_word() {
        let before = doc.word(i - 1);
        if doc.class(i - 1) & class::LOCATION_CUE != 0 {
            return false;
        }
        // "urged Washington", "accused Tehran": the object of a political verb.
        let lex = lexicon();
        if lex.relations(before).is_some() || lex.reporting(before).is_some() {
            return true;
        }
        // "in Niamey and Abuja": the second of two places.
        if before == "and"
            && let Some(last) = found.spans.last()
            && last.tok.end + 1 == i
            && matches!(last.what, What::Place(_))
        {
            return false;
        }
    }
    let mut k = m.tok.end;
    for _ in 0..4 {
        let Some(t) = toks.get(k) else {
            return false;
        };
        if t.kind == TokKind::Possessive {
            return true;
        }
        let coordinator = doc.word(k) == "and" || doc.punct(k) == Some(',');
        if coordinator {
            // "Washington and Moscow said": look past the next government.
            let Some(other) = doc.gaz_starting(k + 1) else {
                return false;
            };
            let governs = match doc.catalog.patterns.get(other.pattern).map(|p| p.target) {
                Some(Target::CapitalOrPlace { .. }) => true,
                Some(Target::Actor { entity, .. }) => {
                    doc.catalog.entities[entity].actor_kind() == Some(Kind::State)
                }
                _ => false,
            };
            if !governs {
                return false;
            }
            k = other.tok.end;
            continue;
        }
        return t.is_lower_word() && doc.class(k) & class::GOVERNMENT_CUE != 0;
    }
    false
}

/// Whether a run of name words can start at token `i`.
fn starts_name(doc: &Doc, i: usize) -> bool {
    let t = doc.toks[i];
    if t.is_cap_word() {
        return true;
    }
    if !t.is_lower_word() {
        return false;
    }
    let c = doc.class(i);
    if c & class::PARTICLE != 0 && particle_then_name(doc, i + 1) {
        return true;
    }
    c & class::HYPHEN_PARTICLE != 0
        && doc.punct(i + 1) == Some('-')
        && doc.toks.get(i + 1).is_some_and(|n| n.tight())
        && doc
            .toks
            .get(i + 2)
            .is_some_and(|n| n.tight() && n.is_cap_word())
}

fn particle_then_name(doc: &Doc, mut k: usize) -> bool {
    for _ in 0..3 {
        let Some(t) = doc.toks.get(k) else {
            return false;
        };
        if !t.has(flag::SPACE_BEFORE) || t.has(flag::NEWLINE_BEFORE) {
            return false;
        }
        if t.is_cap_word() {
            return doc.class(k) & (class::FUNCTION | class::DISCOURSE) == 0;
        }
        if t.is_lower_word() && doc.class(k) & class::PARTICLE != 0 {
            k += 1;
            continue;
        }
        return false;
    }
    false
}

/// Month names that are also names ("Theresa May").
fn month_as_name(doc: &Doc, k: usize) -> bool {
    matches!(doc.word(k), "May" | "June" | "April" | "August")
        && doc
            .toks
            .get(k + 1)
            .is_none_or(|n| n.kind != TokKind::Number)
}

/// Extends a run of name words from token `i` (or from `first_end` when the
/// run opens with an alias match); returns the end of the last name word.
pub(crate) fn sequence(doc: &Doc, i: usize, first_end: Option<usize>) -> usize {
    let toks = &doc.toks;
    let n = toks.len();
    let mut k = first_end.unwrap_or(i);
    let mut last = first_end.unwrap_or(i + 1);
    let mut words = usize::from(first_end.is_some());
    let mut org = first_end.is_some_and(|e| (i..e).any(|j| doc.class(j) & class::ORG_HEAD != 0));
    let mut connected = false;
    let mut after_connector = false;
    while k < n {
        let t = toks[k];
        if k > i && t.has(flag::NEWLINE_BEFORE) {
            break;
        }
        if k > i
            && let Some(m) = doc.gaz_starting(k)
        {
            // "Bank of England": a known name after a connector in an
            // organisation name is part of it.
            if org && after_connector {
                k = m.tok.end;
                last = k;
                words += 1;
                after_connector = false;
                continue;
            }
            break;
        }
        if t.is_cap_word() {
            let c = doc.class(k);
            if k > i && c & class::WEEKDAY != 0 {
                break;
            }
            if k > i && c & class::MONTH != 0 && !(words > 0 && month_as_name(doc, k)) {
                break;
            }
            if k > i
                && c & (class::TITLE_HEAD | class::TITLE_MOD | class::HONORIFIC) != 0
                && let Some(title) = people::parse_title(doc, k)
                && people::parse_name(doc, title.tok.end).is_some()
            {
                break;
            }
            if c & class::ORG_HEAD != 0 {
                org = true;
            }
            words += 1;
            k += 1;
            last = k;
            after_connector = false;
            continue;
        }
        if words > 0
            && t.kind == TokKind::Word
            && t.has(flag::DOTTED)
            && t.has(flag::CAP)
            && toks.get(k + 1).is_some_and(|x| x.is_cap_word())
        {
            k += 1;
            continue;
        }
        if t.is_lower_word() {
            let c = doc.class(k);
            if c & class::PARTICLE != 0 && particle_then_name(doc, k + 1) {
                k += 1;
                continue;
            }
            if c & class::HYPHEN_PARTICLE != 0
                && doc.punct(k + 1) == Some('-')
                && toks.get(k + 1).is_some_and(|x| x.tight())
                && toks
                    .get(k + 2)
                    .is_some_and(|x| x.tight() && x.is_cap_word())
            {
                k += 2;
                continue;
            }
            let word = doc.word(k);
            if org
                && words > 0
                && c & class::CONNECTOR != 0
                && word != "the"
                && (word != "and" || connected)
            {
                let mut q = k + 1;
                if doc.word(q) == "the" {
                    q += 1;
                }
                if toks
                    .get(q)
                    .is_some_and(|x| x.is_cap_word() && !x.has(flag::NEWLINE_BEFORE))
                {
                    connected = true;
                    after_connector = true;
                    k = q;
                    continue;
                }
            }
            break;
        }
        if words > 0
            && matches!(doc.punct(k), Some('-' | '&'))
            && toks
                .get(k + 1)
                .is_some_and(|x| x.is_cap_word() && !x.has(flag::NEWLINE_BEFORE))
            && (doc.punct(k) == Some('&') || (t.tight() && toks[k + 1].tight()))
        {
            k += 1;
            continue;
        }
        break;
    }
    last.max(i + 1)
}
