//! Judging runs of capitalised words once the whole article has been read.
//!
//! A run can be a person met earlier ("Fidan" after "Hakan Fidan"), an
//! acronym defined in passing ("COGAT" after "... in the Territories
//! (COGAT)"), an unknown name ("Bank of England", "John Smith", "Reuters"),
//! or nothing: a sentence-initial word ("Meanwhile", "Diplomatic sources"),
//! a title, a month. Unknown names become candidates, which `dossier check`
//! lists for the analyst; they never become actors on their own.
//!
//! The sentence-initial rule matters most: a capitalised word that opens a
//! sentence counts as a name only with evidence — the article writes it
//! capitalised mid-sentence too, it is an acronym, or it is followed by a
//! verb such as "said" and never appears in lowercase.

use std::ops::Range;

use super::document::{Doc, Found, Learnt, Seq, Span, What, lowercase_words};
use super::fasthash::{FastMap, FastSet};
use super::lexicon::{class, with_lowercase};
use super::mentions::MAX_NAME_WORDS;
use super::people;
use super::tokens::{TokKind, flag};
use super::{Form, Kind};

/// An acronym defined in passing: `long (SHORT)`.
#[derive(Debug, Clone)]
pub(crate) struct AcronymDef {
    pub long: Range<usize>,
    pub short: usize,
}

/// Finds `Long Form Name (LFN)` definitions, matching the acronym's letters
/// against the words before the bracket (the Schwartz-Hearst rule).
pub(crate) fn acronym_definitions(doc: &Doc) -> Vec<AcronymDef> {
    let toks = &doc.toks;
    let mut out = Vec::new();
    for p in 0..toks.len() {
        if doc.punct(p) != Some('(') || p == 0 {
            continue;
        }
        let q = p + 1;
        let Some(short) = toks.get(q) else { continue };
        if short.kind != TokKind::Word || !short.has(flag::ALLCAPS) || doc.punct(q + 1) != Some(')')
        {
            continue;
        }
        let letters: Vec<char> = short
            .text(doc.text)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !(2..=10).contains(&letters.len()) {
            continue;
        }
        if let Some(long) = long_form(doc, p, &letters) {
            out.push(AcronymDef { long, short: q });
        }
    }
    out
}

/// The words before token `paren` whose letters spell `letters` in order, the
/// first letter starting a word.
fn long_form(doc: &Doc, paren: usize, letters: &[char]) -> Option<Range<usize>> {
    let toks = &doc.toks;
    let sentence = doc.sentence_of(paren);
    let max_words = (letters.len() + 5).min(letters.len() * 2);
    // Word tokens before the bracket, nearest first.
    let mut words: Vec<usize> = Vec::new();
    let mut k = paren;
    while k > 0 && words.len() < max_words {
        k -= 1;
        if doc.sentence_of(k) != sentence {
            break;
        }
        match toks[k].kind {
            TokKind::Word => words.push(k),
            TokKind::Punct if matches!(doc.punct(k), Some('-' | '&' | '\'')) => {}
            _ => break,
        }
    }
    if words.is_empty() {
        return None;
    }
    // Walk the letters from the last, the characters from the end.
    let first_word = *words.last()?;
    let span_start = toks[first_word].start;
    let span_end = toks[paren - 1].end;
    let chars: Vec<(usize, char)> = doc.text.get(span_start..span_end)?.char_indices().collect();
    let mut li = chars.len();
    let mut start_byte = None;
    for (n, &letter) in letters.iter().enumerate().rev() {
        let is_first = n == 0;
        loop {
            if li == 0 {
                return None;
            }
            li -= 1;
            let (_, c) = chars[li];
            let matches = c.to_lowercase().eq(std::iter::once(letter));
            let word_start = li == 0 || !chars[li - 1].1.is_alphanumeric();
            if matches && (!is_first || word_start) {
                if is_first {
                    start_byte = Some(span_start + chars[li].0);
                }
                break;
            }
        }
    }
    let start_byte = start_byte?;
    let mut first = words
        .iter()
        .copied()
        .find(|&w| toks[w].start == start_byte)?;
    // No leading article: "the United Nations" -> "United Nations".
    if matches!(doc.word(first), "the" | "The") {
        first += 1;
    }
    if !toks.get(first)?.is_cap_word() || !toks[paren - 1].is_cap_word() {
        return None;
    }
    // The long form must start with the acronym's first letter.
    let head = doc.word(first).chars().next()?.to_lowercase().next()?;
    if head != letters[0] {
        return None;
    }
    Some(first..paren)
}

/// What a run turned out to be: zero or more spans with their meaning.
type Judged = Vec<(Range<usize>, What, Form)>;

/// Judges every pending run and rewrites `found.spans` with the result.
pub(crate) fn resolve<'a>(doc: &Doc<'a>, found: &mut Found<'a>) {
    let evidence = Evidence::gather(doc, found);
    let mut results: Vec<Option<Judged>> = vec![None; found.seqs.len()];
    // Multi-word names first: they teach surnames for the single words.
    let order: Vec<usize> = {
        let mut multi: Vec<usize> = Vec::new();
        let mut single: Vec<usize> = Vec::new();
        let mut headline: Vec<usize> = Vec::new();
        for (i, s) in found.seqs.iter().enumerate() {
            if s.headline {
                headline.push(i);
            } else if word_count(doc, &s.tok) > 1 {
                multi.push(i);
            } else {
                single.push(i);
            }
        }
        multi.into_iter().chain(single).chain(headline).collect()
    };
    let mut lower: Option<FastSet<&str>> = None;
    let mut upper: Option<FastMap<String, Learnt>> = None;
    for index in order {
        let seq = found.seqs[index].clone();
        let result = if seq.headline {
            let upper = upper.get_or_insert_with(|| {
                found
                    .learnt
                    .iter()
                    .map(|(k, v)| (k.to_uppercase(), *v))
                    .collect()
            });
            headline_names(doc, found, upper, &seq)
        } else {
            judge(doc, found, &seq, &evidence, &mut lower)
        };
        results[index] = Some(result);
    }
    let old = std::mem::take(&mut found.spans);
    let mut spans = Vec::with_capacity(old.len());
    for span in old {
        match span.what {
            What::Pending(i) => {
                for (tok, what, form) in results
                    .get_mut(i)
                    .and_then(Option::take)
                    .unwrap_or_default()
                {
                    spans.push(Span {
                        tok,
                        what,
                        form,
                        modifier: false,
                    });
                }
            }
            _ => spans.push(span),
        }
    }
    found.spans = spans;
}

fn word_count(doc: &Doc, tok: &Range<usize>) -> usize {
    tok.clone()
        .filter(|&k| doc.toks[k].kind == TokKind::Word)
        .count()
}

/// Article-wide facts for the sentence-initial rule.
struct Evidence<'a> {
    /// Words written capitalised somewhere not at a sentence start.
    capitalised_mid_sentence: FastSet<&'a str>,
}

impl<'a> Evidence<'a> {
    fn gather(doc: &Doc<'a>, found: &Found) -> Evidence<'a> {
        let mut capitalised_mid_sentence = FastSet::default();
        for s in &found.seqs {
            if s.headline {
                continue;
            }
            for k in s.tok.clone() {
                if k == s.tok.start && s.initial {
                    continue;
                }
                if doc.toks[k].is_cap_word() {
                    capitalised_mid_sentence.insert(doc.word(k));
                }
            }
        }
        Evidence {
            capitalised_mid_sentence,
        }
    }
}

/// Words that are never a name on their own.
const NEVER_ALONE: u32 = class::FUNCTION
    | class::DISCOURSE
    | class::COMMON
    | class::TITLE_HEAD
    | class::TITLE_MOD
    | class::HONORIFIC
    | class::MONTH
    | class::WEEKDAY
    | class::MISC;

/// Words that do not make a run of capitals a name (titles, months, ...).
const NOT_A_NAME: u32 = class::FUNCTION
    | class::DISCOURSE
    | class::TITLE_HEAD
    | class::HONORIFIC
    | class::MONTH
    | class::WEEKDAY
    | class::MISC;

/// Endings of ordinary words that open sentences ("Negotiations", "Clearly").
const ORDINARY_ENDINGS: &[&str] = &[
    "ing", "ly", "tion", "tions", "ment", "ments", "ness", "ity", "ities", "ies", "ance", "ence",
    "ism", "ists", "ers",
];

fn judge<'a>(
    doc: &Doc<'a>,
    found: &mut Found<'a>,
    seq: &Seq,
    evidence: &Evidence<'a>,
    lower: &mut Option<FastSet<&'a str>>,
) -> Vec<(Range<usize>, What, Form)> {
    let mut r = seq.tok.clone();
    let mut initial = seq.initial;
    // Leading function words and sentence adverbs are not part of a name:
    // "The Bank of England", "But Netanyahu".
    while r.start < r.end {
        let k = r.start;
        let c = doc.class(k);
        let t = doc.toks[k];
        // An all-caps word is an acronym ("AT&T"), not "at".
        let acronym = t.has(flag::ALLCAPS) && t.end - t.start > 1 && !t.has(flag::HEADLINE);
        let strip = (t.kind != TokKind::Word)
            || (t.is_lower_word() && c & (class::PARTICLE | class::HYPHEN_PARTICLE) == 0)
            || (c & (class::FUNCTION | class::DISCOURSE | class::MONTH | class::WEEKDAY) != 0
                && !acronym
                && doc.gaz_starting(k).is_none()
                && !(t.is_lower_word() && c & class::PARTICLE != 0));
        if !strip {
            break;
        }
        r.start += 1;
        initial = false;
    }
    // Trailing connectors, particles and dashes, and group words that are
    // not part of a name ("Senate Republicans" -> "Senate").
    while r.end > r.start {
        let last = doc.toks[r.end - 1];
        let group = doc.class(r.end - 1) & class::MISC != 0 && r.end - r.start > 1;
        if last.is_cap_word() && !group {
            break;
        }
        r.end -= 1;
    }
    if r.start >= r.end {
        return Vec::new();
    }
    let words = word_count(doc, &r);
    let cap_words: Vec<usize> = r.clone().filter(|&k| doc.toks[k].is_cap_word()).collect();
    // "Oslo Accords", "Security Council Resolution": the name of a document
    // or an event, not of a person, organisation or place.
    if cap_words
        .last()
        .is_some_and(|&k| doc.class(k) & class::DOCUMENT != 0)
    {
        return Vec::new();
    }
    if cap_words.is_empty() || cap_words.len() > MAX_NAME_WORDS || words > MAX_NAME_WORDS + 3 {
        return Vec::new();
    }
    let text = doc.span_text(&r);
    if let Some(&learnt) = found.learnt.get(text) {
        return match learnt {
            Learnt::Actor(a, form) => vec![(r, What::Actor(a), form)],
            Learnt::Candidate(c) => vec![(r, What::Candidate(c), Form::Name)],
            Learnt::Ambiguous => Vec::new(),
        };
    }
    if let Some(actor) = bracketed_actor(doc, found, &r) {
        // "the Islamic Resistance Movement (Hamas)": the long name is Hamas.
        found.learn(text, Learnt::Actor(actor, Form::Name));
        return vec![(r, What::Actor(actor), Form::Name)];
    }
    if cap_words.len() == 1 {
        let k = cap_words[0];
        let c = doc.class(k);
        if c & NEVER_ALONE != 0 || words > 1 && c & NOT_A_NAME != 0 {
            return Vec::new();
        }
        if initial && !initial_word_is_name(doc, k, evidence, lower) {
            return Vec::new();
        }
    } else if cap_words
        .iter()
        .all(|&k| doc.class(k) & (NOT_A_NAME | class::TITLE_MOD | class::COMMON) != 0)
        && cap_words.iter().any(|&k| doc.class(k) & NOT_A_NAME != 0)
    {
        return Vec::new();
    } else if cap_words.iter().all(|&k| {
        doc.class(k) & (class::COMMON | class::TITLE_MOD | class::DISCOURSE | class::FUNCTION) != 0
    }) && initial
    {
        // "Local Officials" opening a sentence.
        return Vec::new();
    }
    if doc
        .catalog
        .ignored_ids
        .iter()
        .any(|id| *id == super::slugify(text))
    {
        return Vec::new();
    }
    let c = found.candidate(text);
    found.learn(text, Learnt::Candidate(c));
    // A two- or three-word personal name teaches its surname.
    if (2..=3).contains(&cap_words.len())
        && cap_words.len() == words
        && cap_words
            .iter()
            .all(|&k| doc.class(k) & (class::ORG_HEAD | class::TITLE_MOD | class::COMMON) == 0)
        && doc.gaz_starting(r.start).is_none()
    {
        let last = doc.word(*cap_words.last().unwrap_or(&r.start));
        if !found.learnt.contains_key(last) {
            found.learn(last, Learnt::Candidate(c));
        }
    }
    vec![(r, What::Candidate(c), Form::Name)]
}

/// Whether a capitalised word opening a sentence is a name.
fn initial_word_is_name<'a>(
    doc: &Doc<'a>,
    k: usize,
    evidence: &Evidence<'a>,
    lower: &mut Option<FastSet<&'a str>>,
) -> bool {
    let t = doc.toks[k];
    let word = doc.word(k);
    if evidence.capitalised_mid_sentence.contains(word) {
        return true;
    }
    // "Senate Majority Leader John Thune": the name before a title.
    let next = doc.toks.get(k + 1);
    if next.is_some_and(|n| n.is_cap_word() && !n.has(flag::NEWLINE_BEFORE))
        && doc.class(k + 1) & (class::TITLE_HEAD | class::TITLE_MOD) != 0
        && people::parse_title(doc, k + 1)
            .is_some_and(|title| people::parse_name(doc, title.tok.end).is_some())
    {
        return true;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if t.has(flag::ALLCAPS) && (2..=6).contains(&letters) {
        return true;
    }
    let lowered = with_lowercase(word, str::to_string);
    if ORDINARY_ENDINGS.iter().any(|e| lowered.ends_with(e)) {
        return false;
    }
    let lower = lower.get_or_insert_with(|| lowercase_words(doc));
    if lower.contains(lowered.as_str()) {
        return false;
    }
    let next = k + 1;
    match doc.toks.get(next) {
        Some(n) if n.kind == TokKind::Possessive => true,
        Some(n) if n.is_lower_word() => doc.class(next) & class::NAME_FOLLOWER != 0,
        _ => false,
    }
}

/// `Name (Actor)`: the actor a bracket right after the run names.
fn bracketed_actor(doc: &Doc, found: &Found, r: &Range<usize>) -> Option<usize> {
    if doc.punct(r.end) != Some('(') {
        return None;
    }
    let inner = r.end + 1;
    let at = found.spans.partition_point(|s| s.tok.start < inner);
    let span = found.spans.get(at).filter(|s| s.tok.start == inner)?;
    if doc.punct(span.tok.end) != Some(')') {
        return None;
    }
    match span.what {
        What::Actor(a) if found.actors[a].kind != Kind::Person => Some(a),
        _ => None,
    }
}

/// In a headline (title case or capitals) only names already known from the
/// article count; the longest known n-gram at each position wins.
fn headline_names(
    doc: &Doc,
    found: &Found,
    upper: &FastMap<String, Learnt>,
    seq: &Seq,
) -> Vec<(Range<usize>, What, Form)> {
    let mut out = Vec::new();
    let r = seq.tok.clone();
    let caps = doc.toks[r.start].has(flag::CAPS_STRETCH);
    let mut k = r.start;
    while k < r.end {
        let mut hit = None;
        let mut e = (k + 6).min(r.end);
        while e > k {
            let tok = k..e;
            if doc.toks[e - 1].kind == TokKind::Word {
                let text = doc.span_text(&tok);
                let learnt = found
                    .learnt
                    .get(text)
                    .or_else(|| if caps { upper.get(text) } else { None })
                    .copied();
                if let Some(l) = learnt {
                    hit = Some((tok, l));
                    break;
                }
            }
            e -= 1;
        }
        match hit {
            Some((tok, Learnt::Actor(a, form))) => {
                k = tok.end;
                out.push((tok, What::Actor(a), form));
            }
            Some((tok, Learnt::Candidate(c))) => {
                k = tok.end;
                out.push((tok, What::Candidate(c), Form::Name));
            }
            _ => k += 1,
        }
    }
    out
}
