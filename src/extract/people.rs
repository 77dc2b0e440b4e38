//! People introduced by a role title: "Foreign Minister Hakan Fidan",
//! "foreign minister Hakan Fidan", "U.S. Secretary of State Marco Rubio",
//! "Hamas spokesperson Hazem Qassem", "Mr Straw", "Turkey's foreign minister,
//! Hakan Fidan,".
//!
//! The title is the person's role, never part of the name span and never an
//! actor itself. The name runs over capitalised words, initials (`W.`) and
//! particles (`al-Sisi`, `bin Salman`, `van der Leyen`, `de Mistura`). A word
//! the gazetteer knows as a state can still be a given name when another name
//! word follows ("Defense Minister Israel Katz"). The affiliation comes from an
//! actor right before the title ("Turkish", "Turkey's", "Hamas") or, failing
//! that, the nearest state in the sentence.

use std::borrow::Cow;
use std::ops::Range;

use super::catalog::Target;
use super::document::{Doc, Found, Learnt, What};
use super::lexicon::class;
use super::tokens::{TokKind, flag};
use super::{Form, Kind, slugify};

/// A role title in the text.
#[derive(Debug, Clone)]
pub(crate) struct Title {
    pub tok: Range<usize>,
    /// Where the role words end (a form of address may follow: "military
    /// spokesman Lt. Col. X").
    pub role_end: usize,
    /// Capitalised ("Foreign Minister") rather than lowercase ("foreign minister").
    pub capitalised: bool,
    /// "Mr", "Dr", "Gen.": a form of address, not a role.
    pub honorific: bool,
}

/// Most name words a person's name is taken to have.
const MAX_NAME_WORDS: usize = 5;

/// Parses a title starting at token `i`.
pub(crate) fn parse_title(doc: &Doc, i: usize) -> Option<Title> {
    let toks = &doc.toks;
    let first = toks.get(i)?;
    if first.kind != TokKind::Word {
        return None;
    }
    let c = doc.class(i);
    if c & class::HONORIFIC != 0 && first.has(flag::CAP) && c & class::TITLE_HEAD == 0 {
        // Honorifics chain ("Lt. Gen.") and may carry a dot.
        let mut j = i;
        while j < toks.len()
            && toks[j].is_cap_word()
            && doc.class(j) & (class::HONORIFIC | class::TITLE_HEAD) != 0
        {
            j += 1;
            if doc.punct(j) == Some('.') && toks[j].tight() {
                j += 1;
            }
        }
        return Some(Title {
            tok: i..j,
            role_end: j,
            capitalised: true,
            honorific: true,
        });
    }
    if c & (class::TITLE_HEAD | class::TITLE_MOD) == 0 {
        return None;
    }
    let mut j = i;
    let mut head_end: Option<usize> = None;
    let mut capitalised = false;
    while j < toks.len() {
        let t = toks[j];
        if j > i && t.has(flag::NEWLINE_BEFORE) {
            break;
        }
        match t.kind {
            TokKind::Word => {
                let c = doc.class(j);
                let cap = t.has(flag::CAP);
                if c & class::TITLE_HEAD != 0 {
                    head_end = Some(j + 1);
                    capitalised = cap;
                    j += 1;
                    if doc.punct(j) == Some('.') && toks[j].tight() && c & class::HONORIFIC != 0 {
                        j += 1;
                        head_end = Some(j);
                    }
                    continue;
                }
                if c & class::TITLE_MOD != 0 && doc.gaz_starting(j).is_none() {
                    j += 1;
                    continue;
                }
                let word = t.text(doc.text);
                if (word == "of" || word == "for") && head_end == Some(j) {
                    // "Secretary of State", "Minister of Foreign Affairs".
                    let mut k = j + 1;
                    let mut last_real = None;
                    while k < toks.len()
                        && toks[k].kind == TokKind::Word
                        && doc.class(k) & class::DEPARTMENT != 0
                        && doc.gaz_starting(k).is_none()
                    {
                        let w = doc.word(k);
                        if w != "the" && w != "and" {
                            last_real = Some(k + 1);
                        }
                        k += 1;
                    }
                    match last_real {
                        Some(end) => {
                            head_end = Some(end);
                            j = end;
                            continue;
                        }
                        None => break,
                    }
                }
                break;
            }
            TokKind::Punct
                if doc.punct(j) == Some('-')
                    && t.tight()
                    && j > i
                    && toks
                        .get(j + 1)
                        .is_some_and(|n| n.tight() && n.kind == TokKind::Word) =>
            {
                j += 1;
            }
            _ => break,
        }
    }
    let role_end = head_end?;
    // A form of address after the role: "spokesman Lt. Col. Nadav Shoshani".
    let mut end = role_end;
    while end < toks.len()
        && toks[end].is_cap_word()
        && doc.class(end) & class::HONORIFIC != 0
        && !toks[end].has(flag::NEWLINE_BEFORE)
    {
        end += 1;
        if doc.punct(end) == Some('.') && toks.get(end).is_some_and(|t| t.tight()) {
            end += 1;
        }
    }
    Some(Title {
        tok: i..end,
        role_end,
        capitalised: capitalised || end > role_end,
        honorific: false,
    })
}

/// A person's name after a title.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub tok: Range<usize>,
    /// The catalog person the name matched, if any.
    pub known: Option<(usize, Form)>,
}

/// A capitalised word that can be part of a person's name.
fn name_word(doc: &Doc, j: usize) -> bool {
    let t = doc.toks[j];
    if !t.is_cap_word() {
        return false;
    }
    if t.has(flag::ALLCAPS)
        && t.end - t.start > 1
        && !t.has(flag::DOTTED)
        && !t.has(flag::CAPS_STRETCH)
    {
        return false;
    }
    doc.class(j)
        & (class::FUNCTION
            | class::DISCOURSE
            | class::MONTH
            | class::WEEKDAY
            | class::TITLE_HEAD
            | class::HONORIFIC
            | class::ORG_HEAD
            | class::MISC)
        == 0
}

/// A single capital with a dot: an initial.
fn initial(doc: &Doc, j: usize) -> bool {
    let t = doc.toks[j];
    t.kind == TokKind::Word
        && t.has(flag::DOTTED)
        && t.has(flag::CAP)
        && t.text(doc.text).chars().count() == 2
}

/// Parses a name starting at token `j`.
pub(crate) fn parse_name(doc: &Doc, j: usize) -> Option<Name> {
    let toks = &doc.toks;
    let mut k = j;
    let mut words = 0usize;
    let mut end = None;
    while k < toks.len() && words < MAX_NAME_WORDS {
        let t = toks[k];
        if k > j && t.has(flag::NEWLINE_BEFORE) {
            break;
        }
        if let Some(m) = doc.gaz_starting(k) {
            let target = doc.catalog.patterns.get(m.pattern).map(|p| p.target);
            match target {
                Some(Target::Actor { entity, form })
                    if doc.catalog.entities[entity].actor_kind() == Some(Kind::Person) =>
                {
                    return Some(Name {
                        tok: j..m.tok.end,
                        known: Some((entity, if words == 0 { form } else { Form::Name })),
                    });
                }
                Some(Target::Actor {
                    form: Form::Acronym,
                    ..
                })
                | Some(Target::Ignore) => break,
                Some(t) => {
                    let is_org = matches!(t, Target::Actor { entity, .. }
                        if matches!(doc.catalog.entities[entity].actor_kind(), Some(Kind::Organisation | Kind::ArmedGroup)));
                    // A state or place word is a given name only when another
                    // name word follows ("Israel Katz").
                    let next = m.tok.end;
                    if is_org
                        || m.tok.len() != 1
                        || next >= toks.len()
                        || !name_word(doc, next)
                        || toks[next].has(flag::NEWLINE_BEFORE)
                        || doc.gaz_starting(next).is_some()
                    {
                        break;
                    }
                    words += 1;
                    k = next;
                    continue;
                }
                None => break,
            }
        }
        if name_word(doc, k) {
            words += 1;
            k += 1;
            end = Some(k);
            continue;
        }
        if words > 0 && initial(doc, k) && toks.get(k + 1).is_some_and(|n| n.is_cap_word()) {
            k += 1;
            continue;
        }
        let c = doc.class(k);
        if t.is_lower_word() {
            if c & class::PARTICLE != 0
                && toks.get(k + 1).is_some_and(|n| n.has(flag::SPACE_BEFORE))
                && (particle_leads_to_name(doc, k + 1))
            {
                k += 1;
                continue;
            }
            if c & class::HYPHEN_PARTICLE != 0
                && doc.punct(k + 1) == Some('-')
                && toks.get(k + 1).is_some_and(|n| n.tight())
                && toks
                    .get(k + 2)
                    .is_some_and(|n| n.tight() && n.is_cap_word())
            {
                k += 2;
                continue;
            }
            break;
        }
        if words > 0
            && doc.punct(k) == Some('-')
            && t.tight()
            && toks
                .get(k + 1)
                .is_some_and(|n| n.tight() && n.is_cap_word())
        {
            k += 1;
            continue;
        }
        break;
    }
    let end = end?;
    if words == 0 {
        return None;
    }
    Some(Name {
        tok: j..end,
        known: None,
    })
}

/// After a particle: more particles, then a capitalised word.
fn particle_leads_to_name(doc: &Doc, mut k: usize) -> bool {
    for _ in 0..3 {
        let Some(t) = doc.toks.get(k) else {
            return false;
        };
        if t.is_cap_word() {
            return name_word(doc, k);
        }
        if t.is_lower_word() && doc.class(k) & class::PARTICLE != 0 {
            k += 1;
            continue;
        }
        return false;
    }
    false
}

/// The title as a role string: "Foreign Minister", "Secretary of State".
fn role_text(doc: &Doc, title: &Title) -> String {
    let raw = doc.span_text(&(title.tok.start..title.role_end));
    let mut out = String::with_capacity(raw.len());
    for (n, word) in raw.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let small = matches!(word, "of" | "for" | "the" | "and");
        if small || n == 0 && word.starts_with(char::is_uppercase) {
            out.push_str(word);
            continue;
        }
        // Capitalise each hyphen-separated part ("secretary-general").
        let mut upper_next = true;
        for ch in word.chars() {
            if upper_next {
                out.extend(ch.to_uppercase());
            } else {
                out.push(ch);
            }
            upper_next = ch == '-';
        }
    }
    if let Some(first) = out.chars().next()
        && first.is_lowercase()
    {
        let rest = out[first.len_utf8()..].to_string();
        out = first.to_uppercase().collect::<String>() + &rest;
    }
    out
}

/// Tries "title + name" at token `i`. On success records the person and
/// returns the token after the name; when only a title is there, returns the
/// token after it (titles are never names); otherwise `None`.
pub(crate) fn titled_person<'a>(doc: &Doc<'a>, found: &mut Found<'a>, i: usize) -> Option<usize> {
    let title = parse_title(doc, i)?;
    let j = title.tok.end;
    let mut name = if doc
        .toks
        .get(j)
        .is_some_and(|t| !t.has(flag::NEWLINE_BEFORE))
    {
        parse_name(doc, j)
    } else {
        None
    };
    if name.is_none() && !title.honorific && doc.punct(j) == Some(',') {
        // Appositive: "Turkey's foreign minister, Hakan Fidan, said".
        if let Some(n) = parse_name(doc, j + 1)
            && n.tok.len() >= 2
            && matches!(doc.punct(n.tok.end), Some(',' | '.') | None)
        {
            name = Some(n);
        }
    }
    let Some(name) = name else {
        // A lone lowercase head ("officials said") is ordinary prose; a lone
        // capitalised title is skipped so it never becomes a candidate,
        // unless it opens a longer capitalised name ("Justice Department").
        let opens_name = doc
            .toks
            .get(title.tok.end)
            .is_some_and(|t| t.is_cap_word() && !t.has(flag::NEWLINE_BEFORE));
        return if (title.capitalised || title.honorific) && !opens_name {
            Some(title.tok.end)
        } else {
            None
        };
    };
    let name_words = (name.tok.clone())
        .filter(|&k| doc.toks[k].is_cap_word())
        .count();
    if !title.capitalised && name_words < 2 && name.known.is_none() {
        return None;
    }
    let actor = match name.known {
        Some((entity, _)) => found.known_actor(doc.catalog, entity),
        None => match resolve_text_person(doc, found, &name.tok) {
            Some(a) => a,
            None => return Some(name.tok.end),
        },
    };
    let form = match name.known {
        Some((_, form)) => form,
        None => {
            let text = doc.span_text(&name.tok);
            match found.learnt.get(text) {
                Some(Learnt::Actor(a, Form::Surname)) if *a == actor => Form::Surname,
                _ => {
                    if found.actors[actor].name != text && name.tok.len() == 1 {
                        Form::Surname
                    } else {
                        Form::Name
                    }
                }
            }
        }
    };
    if !title.honorific && !found.actors[actor].role_from_text {
        found.actors[actor].role = Some(Cow::Owned(role_text(doc, &title)));
        found.actors[actor].role_from_text = true;
    }
    if found.actors[actor].affiliation.is_none() {
        match adjacent_affiliation(doc, found, title.tok.start) {
            Some((span, id)) => {
                found.actors[actor].affiliation = Some(id);
                if let Some(s) = found.spans.get_mut(span) {
                    s.modifier = true;
                }
            }
            None => {
                if found.actors[actor].affiliation_sentence.is_none() {
                    found.actors[actor].affiliation_sentence =
                        Some(doc.sentence_of(name.tok.start));
                }
            }
        }
    } else if let Some((span, _)) = adjacent_affiliation(doc, found, title.tok.start)
        && let Some(s) = found.spans.get_mut(span)
    {
        s.modifier = true;
    }
    learn_person_names(doc, found, actor, &name.tok);
    found.push(name.tok.clone(), What::Actor(actor), form);
    Some(name.tok.end)
}

/// The person a name found after a title refers to: one met earlier in the
/// article (by full name or surname), a known catalog person with that id,
/// or a new person.
fn resolve_text_person<'a>(
    doc: &Doc<'a>,
    found: &mut Found<'a>,
    tok: &Range<usize>,
) -> Option<usize> {
    let text = doc.span_text(tok);
    if let Some(Learnt::Actor(a, _)) = found.learnt.get(text) {
        return Some(*a);
    }
    let id = slugify(text);
    if id.is_empty() || doc.catalog.ignored_ids.contains(&id) {
        return None;
    }
    if let Some(entity) = doc.catalog.find(&id) {
        let e = &doc.catalog.entities[entity];
        if e.ignored {
            return None;
        }
        if e.actor_kind() == Some(Kind::Person) {
            return Some(found.known_actor(doc.catalog, entity));
        }
        return Some(found.text_person(format!("{id}-person"), text));
    }
    Some(found.text_person(id, text))
}

/// Remembers a person's full name and surname forms for later mentions.
pub(crate) fn learn_person_names<'a>(
    doc: &Doc<'a>,
    found: &mut Found<'a>,
    actor: usize,
    tok: &Range<usize>,
) {
    let full = doc.span_text(tok);
    found.learn(full, Learnt::Actor(actor, Form::Name));
    let words: Vec<usize> = tok
        .clone()
        .filter(|&k| doc.toks[k].kind == TokKind::Word)
        .collect();
    if words.len() < 2 {
        return;
    }
    // The surname: from the first particle on ("bin Salman", "van der Leyen"),
    // and the last hyphenated unit ("al-Sisi", "Ben-Gvir"), also without a
    // lowercase particle ("Sisi").
    let last = *words.last().unwrap_or(&tok.start);
    let mut unit = last;
    while unit >= tok.start + 2
        && doc.punct(unit - 1) == Some('-')
        && doc.toks[unit].tight()
        && doc.toks[unit - 1].tight()
    {
        unit -= 2;
    }
    let first_particle = words
        .iter()
        .copied()
        .skip(1)
        .find(|&k| doc.toks[k].is_lower_word() && doc.class(k) & class::PARTICLE != 0);
    if let Some(p) = first_particle {
        found.learn(
            doc.span_text(&(p..tok.end)),
            Learnt::Actor(actor, Form::Surname),
        );
    }
    found.learn(
        doc.span_text(&(unit..tok.end)),
        Learnt::Actor(actor, Form::Surname),
    );
    if unit != last
        && doc.toks[unit].is_lower_word()
        && doc.class(unit) & class::HYPHEN_PARTICLE != 0
    {
        found.learn(doc.word(last), Learnt::Actor(actor, Form::Surname));
    }
    // Chinese, Korean and Vietnamese names put the family name first
    // ("Kim Jong Un" ... "Kim said").
    let family_first = found.actors[actor]
        .affiliation
        .as_deref()
        .is_some_and(|a| FAMILY_NAME_FIRST.contains(&a));
    if family_first && words.len() <= 3 && doc.toks[words[0]].is_cap_word() {
        found.learn(doc.word(words[0]), Learnt::Actor(actor, Form::Surname));
    }
}

/// States whose people are usually named family name first.
const FAMILY_NAME_FIRST: &[&str] = &[
    "china",
    "taiwan",
    "north-korea",
    "south-korea",
    "vietnam",
    "hong-kong",
    "macau",
    "singapore",
];

/// An actor span right before the title (skipping a possessive and an
/// article): the person's affiliation. Returns the span index and actor id.
fn adjacent_affiliation<'a>(
    doc: &Doc,
    found: &Found<'a>,
    title_start: usize,
) -> Option<(usize, Cow<'a, str>)> {
    let mut k = title_start;
    loop {
        if k == 0 {
            return None;
        }
        let prev = doc.toks[k - 1];
        if prev.kind == TokKind::Possessive {
            k -= 1;
            continue;
        }
        if prev.is_lower_word() && matches!(doc.word(k - 1), "the" | "a" | "an") {
            return None;
        }
        break;
    }
    let (index, span) = found
        .spans
        .iter()
        .enumerate()
        .rev()
        .find(|(_, s)| s.tok.end <= k)?;
    if span.tok.end != k {
        return None;
    }
    let What::Actor(a) = span.what else {
        return None;
    };
    let actor = &found.actors[a];
    match actor.kind {
        Kind::State | Kind::Organisation | Kind::ArmedGroup => Some((index, actor.id.clone())),
        _ => None,
    }
}

/// People with no adjacent affiliation get the nearest state mentioned in
/// the sentence that introduced them.
pub(crate) fn fill_affiliations<'a>(doc: &Doc<'a>, found: &mut Found<'a>) {
    let wanted = found
        .actors
        .iter()
        .any(|a| a.affiliation.is_none() && a.affiliation_sentence.is_some());
    if !wanted {
        return;
    }
    // Where each actor is first mentioned, in one pass.
    let mut first_at: Vec<Option<usize>> = vec![None; found.actors.len()];
    for s in &found.spans {
        if let What::Actor(a) = s.what
            && let Some(slot) = first_at.get_mut(a)
            && slot.is_none()
        {
            *slot = Some(doc.toks[s.tok.start].start);
        }
    }
    for (a, first) in first_at.iter().enumerate() {
        let Some(sentence) = found.actors[a].affiliation_sentence else {
            continue;
        };
        if found.actors[a].affiliation.is_some() {
            continue;
        }
        let person_at = first.unwrap_or(0);
        let Some(range) = doc.sent_toks.get(sentence) else {
            continue;
        };
        let from = found.spans.partition_point(|s| s.tok.start < range.start);
        let mut best: Option<(usize, Cow<'a, str>)> = None;
        for s in found.spans[from..]
            .iter()
            .take_while(|s| s.tok.start < range.end)
        {
            let What::Actor(b) = s.what else { continue };
            if found.actors[b].kind != Kind::State {
                continue;
            }
            let at = doc.toks[s.tok.start].start;
            let distance = at.abs_diff(person_at);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, found.actors[b].id.clone()));
            }
        }
        found.actors[a].affiliation = best.map(|(_, id)| id);
    }
}
