//! Where a token stands: at the start of a sentence, in a headline-like line,
//! in a stretch of capitals.
//!
//! Capital letters mean different things in each place. Mid-sentence, a
//! capitalised word is nearly always a name; at a sentence start it usually is
//! not ("Meanwhile", "Diplomatic sources"); in a title-case or all-caps
//! headline nearly every word is capitalised, so capitals say nothing at all.
//! This pass records those facts as token flags for the later passes.

use std::ops::Range;

use super::document::Doc;
use super::lexicon::class;
use super::tokens::{TokKind, flag};

/// Sets the `INITIAL`, `HEADLINE` and `CAPS_STRETCH` token flags.
pub(crate) fn mark(doc: &mut Doc) {
    mark_initials(doc);
    mark_lines(doc);
}

fn mark_initials(doc: &mut Doc) {
    for r in doc.sent_toks.clone() {
        let mut expect = true;
        for i in r {
            let t = doc.toks[i];
            match t.kind {
                TokKind::Word => {
                    if expect {
                        doc.toks[i].flags |= flag::INITIAL;
                    }
                    expect = false;
                }
                TokKind::Number => expect = false,
                TokKind::Possessive => {}
                TokKind::Punct => match t.ch {
                    ':' | '“' | '‘' | '•' | '|' | '—' | '–' | '#' | '>' => expect = true,
                    '"' => expect = t.has(flag::SPACE_BEFORE) || i == 0 || expect,
                    '-' | '*' => {
                        // A spaced dash ("ANKARA - Turkey said") or a list bullet.
                        let spaced_after = doc
                            .toks
                            .get(i + 1)
                            .is_some_and(|n| n.has(flag::SPACE_BEFORE));
                        if (t.has(flag::SPACE_BEFORE) || t.has(flag::NEWLINE_BEFORE) || i == 0)
                            && spaced_after
                        {
                            expect = true;
                        }
                    }
                    _ => {}
                },
            }
        }
    }
}

/// Counts per line decide whether it is a headline (title case or capitals)
/// and where the all-caps stretches are.
fn mark_lines(doc: &mut Doc) {
    let n = doc.toks.len();
    let mut start = 0usize;
    while start < n {
        let mut end = start + 1;
        while end < n && !doc.toks[end].has(flag::NEWLINE_BEFORE) {
            end += 1;
        }
        if classify_line(doc, start..end) {
            mark_stretches(doc, start..end);
        }
        start = end;
    }
}

/// Marks a headline-like line; returns whether the line has any all-caps
/// word (so whether it can hold an all-caps stretch).
fn classify_line(doc: &mut Doc, line: Range<usize>) -> bool {
    let mut words = 0usize;
    let mut capitalised = 0usize;
    let mut lower_content = 0usize;
    let mut allcaps = 0usize;
    for i in line.clone() {
        let t = doc.toks[i];
        if t.kind != TokKind::Word {
            continue;
        }
        words += 1;
        let long = t.end - t.start >= 2;
        if t.has(flag::ALLCAPS) && long {
            allcaps += 1;
        }
        if t.has(flag::CAP) {
            capitalised += 1;
        } else if t.has(flag::LOWER)
            && doc.class(i) & (class::FUNCTION | class::CONNECTOR | class::PARTICLE) == 0
        {
            lower_content += 1;
        }
    }
    let last_punct = line
        .clone()
        .rev()
        .map(|i| doc.toks[i])
        .find(|t| t.kind != TokKind::Possessive)
        .filter(|t| t.kind == TokKind::Punct)
        .map(|t| t.ch);
    let ends_like_prose = matches!(
        last_punct,
        Some('.' | '!' | ';' | ':' | ',' | '”' | '"' | '’' | ')')
    );
    // "By Maria Lopez": a byline names its author; it is not a headline.
    let byline = doc.word(line.start) == "By" && words <= 5;
    let caps_line = allcaps >= 2 && allcaps * 10 >= words * 7;
    let title_line = !byline
        && !ends_like_prose
        && words >= 3
        && lower_content * 8 <= words
        && capitalised * 10 >= words * 6;
    if caps_line || title_line {
        for i in line {
            doc.toks[i].flags |= flag::HEADLINE;
        }
    }
    allcaps > 0
}

/// Runs of all-caps words: two or more long ones, or one long one opening the
/// line (a dateline such as `ANKARA 2026-11-26`).
fn mark_stretches(doc: &mut Doc, line: Range<usize>) {
    let mut i = line.start;
    while i < line.end {
        let t = doc.toks[i];
        if !(t.kind == TokKind::Word && t.has(flag::ALLCAPS)) {
            i += 1;
            continue;
        }
        let run_start = i;
        let mut last_word = i;
        let mut long_words = 0usize;
        let mut longest = 0usize;
        let mut j = i;
        while j < line.end {
            let u = doc.toks[j];
            match u.kind {
                TokKind::Word if u.has(flag::ALLCAPS) => {
                    let len = u.text(doc.text).chars().count();
                    if len >= 2 {
                        long_words += 1;
                    }
                    longest = longest.max(len);
                    last_word = j;
                }
                TokKind::Word => break,
                TokKind::Possessive | TokKind::Number => {}
                TokKind::Punct => {
                    let c = u.ch;
                    if matches!(c, '.' | '!' | '?' | '"' | '“' | '”') {
                        break;
                    }
                }
            }
            j += 1;
        }
        let at_line_start = run_start == line.start;
        if long_words >= 2 || (at_line_start && longest >= 3) {
            for k in run_start..=last_word {
                doc.toks[k].flags |= flag::CAPS_STRETCH;
            }
        }
        i = j.max(i + 1);
    }
}
