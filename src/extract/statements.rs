//! Statements: who said what, from the reporting verbs the clause reader
//! found.
//!
//! The reported text is what the verb introduces: the rest of the clause after
//! "said (that)", the quote before "…,” Hamas said", the sentence after
//! "According to X,". When two reporting verbs share a subject ("said … but
//! accused …") the first statement stops where the second begins.

use std::ops::Range;

use super::clauses::{Reading, Sentence};
use super::document::{Doc, Found};
use super::lexicon::class;
use super::tokens::TokKind;

/// A statement before actor ids are assigned.
#[derive(Debug, Clone)]
pub(crate) struct Said {
    pub actor: usize,
    /// The phrase as listed (lowercase).
    pub verb: &'static str,
    /// The reported words, as a byte range of the text (already trimmed).
    pub text: Range<usize>,
    pub start: usize,
    pub end: usize,
}

/// Longest reported text kept, in bytes.
const MAX_TEXT: usize = 1000;

/// Words of a short adverbial between a verb and what it reports ("said on
/// Monday that", "told reporters that").
fn adverbial(doc: &Doc, k: usize) -> bool {
    let t = doc.toks[k];
    if t.kind == TokKind::Number {
        return true;
    }
    if t.kind != TokKind::Word {
        return false;
    }
    if doc.class(k) & (class::WEEKDAY | class::MONTH) != 0 {
        return true;
    }
    // "told reporters in Ankara": a place after a location preposition.
    if t.is_cap_word() && k > 0 && matches!(doc.word(k - 1), "in" | "at" | "from") {
        return true;
    }
    matches!(
        doc.word(k),
        "on" | "in"
            | "at"
            | "a"
            | "an"
            | "the"
            | "statement"
            | "interview"
            | "earlier"
            | "later"
            | "late"
            | "yesterday"
            | "today"
            | "tonight"
            | "this"
            | "last"
            | "week"
            | "also"
            | "again"
            | "briefly"
            | "reporters"
            | "journalists"
            | "press"
            | "conference"
            | "news"
            | "agency"
            | "television"
            | "broadcaster"
            | "separately"
            | "publicly"
            | "repeatedly"
            | "written"
            | "post"
            | "media"
            | "state"
    )
}

/// Finds the statements of every sentence.
pub(crate) fn find(doc: &Doc, found: &Found, sentences: &[Sentence]) -> Vec<Said> {
    let mut out = Vec::new();
    for s in sentences {
        let bytes = doc.sents[s.index].clone();
        for (n, r) in s.readings.iter().enumerate() {
            if r.verb.relation.is_some() || r.subjects.is_empty() {
                continue;
            }
            let Some(range) = reported(doc, found, s, n, r) else {
                continue;
            };
            let text = trimmed(doc.text, range);
            if text.is_empty() {
                continue;
            }
            for &actor in &r.subjects {
                out.push(Said {
                    actor,
                    verb: r.verb.phrase,
                    text: text.clone(),
                    start: bytes.start,
                    end: bytes.end,
                });
            }
        }
    }
    out
}

/// Where the clause holding token `k` starts: after a colon or semicolon, and
/// after the dateline ("GAZA CITY, Nov 2 (Agency) -").
fn clause_start(doc: &Doc, found: &Found, s: &Sentence, k: usize) -> usize {
    let mut start = s.toks.start;
    if let Some(d) = &found.dateline
        && d.tok.start >= s.toks.start
        && d.tok.end <= k
    {
        start = d.tok.end;
        let limit = (d.tok.end + 12).min(k);
        for j in d.tok.end..limit {
            let t = doc.toks[j];
            let dash = matches!(doc.punct(j), Some('-' | '—' | '–'))
                && t.has(super::tokens::flag::SPACE_BEFORE);
            if dash || doc.punct(j) == Some(':') {
                start = j + 1;
                break;
            }
        }
    }
    for j in (start..k).rev() {
        if matches!(doc.punct(j), Some(';' | ':')) {
            return j + 1;
        }
    }
    start
}

/// The byte range of what reading `n` of sentence `s` reports.
fn reported(doc: &Doc, found: &Found, s: &Sentence, n: usize, r: &Reading) -> Option<Range<usize>> {
    let toks = &s.toks;
    let tok_bytes = |a: usize, b: usize| -> Option<Range<usize>> {
        if a >= b {
            return None;
        }
        Some(doc.toks[a].start..doc.toks[b - 1].end)
    };
    let begin = clause_start(doc, found, s, r.verb.tok.start);
    if r.verb.is_according_to() {
        let comma = (r.verb.tok.end..toks.end).find(|&k| doc.punct(k) == Some(','));
        let opens = (begin..r.verb.tok.start).all(|k| doc.toks[k].kind != TokKind::Word);
        return match comma {
            Some(c) if opens => tok_bytes(c + 1, toks.end),
            _ => tok_bytes(begin, trim_back(doc, begin, r.verb.tok.start)),
        };
    }
    let mut k = r.verb.tok.end;
    if r.inverted
        && let Some(subject) = &r.subject_tok
    {
        k = subject.end;
    }
    // The end: the sentence, or where a coordinated later report begins
    // ("said …, and Israel said", "said … but accused", "said …, adding").
    let mut end = toks.end;
    for later in s.readings.iter().skip(n + 1) {
        if later.verb.relation.is_some() {
            continue;
        }
        let mut cut = match &later.subject_tok {
            Some(st) if st.start > k && st.end <= later.verb.tok.start => st.start,
            _ => later.verb.tok.start,
        };
        if cut <= k {
            continue;
        }
        while cut > k && doc.class(cut - 1) & (class::AUXILIARY | class::DETERMINER) != 0 {
            cut -= 1;
        }
        if cut > k
            && (matches!(doc.word(cut - 1), "but" | "and") || doc.punct(cut - 1) == Some(','))
        {
            end = end.min(cut - 1);
            break;
        }
    }
    // Skip ", that" and short adverbials ("on Monday", "told reporters in Ankara").
    let mut start = k;
    while start < end && (matches!(doc.punct(start), Some(',' | ':')) || doc.word(start) == "that")
    {
        start += 1;
    }
    // "said on Tuesday he would …": a leading time phrase.
    if matches!(
        doc.word(start),
        "on" | "in" | "at" | "late" | "earlier" | "last" | "this" | "early"
    ) && (start + 1..(start + 3).min(end)).any(|j| {
        doc.class(j) & (class::WEEKDAY | class::MONTH) != 0
            || doc.toks[j].kind == TokKind::Number
            || matches!(
                doc.word(j),
                "week"
                    | "month"
                    | "year"
                    | "weekend"
                    | "morning"
                    | "evening"
                    | "night"
                    | "afternoon"
            )
    }) {
        let mut j = start + 1;
        while j < end && adverbial(doc, j) {
            j += 1;
        }
        if j < end && !matches!(doc.punct(j), Some('.')) {
            start = j;
            while start < end && (doc.punct(start) == Some(',') || doc.word(start) == "that") {
                start += 1;
            }
        }
    }
    let mut a = start;
    while a < end && adverbial(doc, a) {
        a += 1;
    }
    let comma_after = a < end && doc.punct(a) == Some(',');
    if a < end && (doc.word(a) == "that" || comma_after) {
        start = a + 1;
    }
    let subject_before = !r.inverted
        && r.subject_tok
            .as_ref()
            .is_some_and(|st| st.end <= r.verb.tok.start && st.start > begin);
    let words_after = (start..end).any(|k| doc.toks[k].kind == TokKind::Word && !adverbial(doc, k));
    // "Strikes hit Gaza, the ministry said, as mediators ...": a verb closed
    // by a comma reports what came before its subject.
    let parenthetical = subject_before && (comma_after || doc.punct(k) == Some(','));
    if words_after && !parenthetical {
        return tok_bytes(start, end);
    }
    // Otherwise the report is before the verb (a quote or a clause).
    let before = match (&r.subject_tok, subject_before) {
        (Some(subject), true) => subject.start,
        _ => r.verb.tok.start,
    };
    tok_bytes(begin, trim_back(doc, begin, before))
}

/// Moves an end back over titles, articles and commas ("…, the" before "Gaza
/// Health Ministry said").
fn trim_back(doc: &Doc, begin: usize, mut end: usize) -> usize {
    while end > begin {
        let k = end - 1;
        let t = doc.toks[k];
        let skip = doc.punct(k).is_some_and(|c| matches!(c, ',' | '—' | '-'))
            || (t.kind == TokKind::Word
                && doc.class(k)
                    & (class::TITLE_HEAD
                        | class::TITLE_MOD
                        | class::DETERMINER
                        | class::HONORIFIC)
                    != 0);
        if !skip {
            break;
        }
        end -= 1;
    }
    end
}

/// Trims spaces, quote marks and trailing punctuation from `text[range]`;
/// returns the trimmed range.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let quotes: &[char] = &['“', '”', '"', '‘', '’', '\'', '«', '»'];
    let Some(raw) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let mut t = raw.trim();
    loop {
        let before = t.len();
        t = t.trim_start_matches(quotes).trim_start();
        t = t
            .trim_end_matches(quotes)
            .trim_end_matches([',', '.', ';', ':', '-', '—'])
            .trim_end();
        if t.len() == before {
            break;
        }
    }
    let offset = t.as_ptr() as usize - raw.as_ptr() as usize;
    let start = range.start + offset;
    start..start + t.len()
}

/// The statement text for a trimmed range, shortened to `MAX_TEXT` bytes at a
/// word boundary.
pub(crate) fn statement_text(text: &str, range: Range<usize>) -> String {
    let t = text.get(range).unwrap_or("");
    if t.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = t[..cut].rfind(' ').unwrap_or(cut);
        return format!("{}…", &t[..cut]);
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::{statement_text, trimmed};

    fn clean(s: &str) -> String {
        statement_text(s, trimmed(s, 0..s.len()))
    }

    #[test]
    fn cleaning_strips_quotes_and_stops() {
        assert_eq!(
            clean("“We have fulfilled our commitments,” "),
            "We have fulfilled our commitments"
        );
        assert_eq!(clean(" they had left. "), "they had left");
        assert_eq!(clean("“”"), "");
        let long = "word ".repeat(400);
        assert!(clean(&long).len() <= 1004);
    }
}
