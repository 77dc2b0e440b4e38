//! Sentence boundaries.
//!
//! The rule is local: whether a sentence ends at a `.`, `!`, `?` or line break
//! depends only on the few words around it. That lets one pass walk a whole
//! article once and lets [`sentence_at`] find the sentence around one offset by
//! looking a short way each side, and both agree. ([`split_tokens`] does the
//! walk from the tokens, testing only the characters that can end a sentence.)
//!
//! What it knows about news prose: abbreviations and honorifics (`Mr.`, `Gen.`,
//! `Nov.`) do not end sentences; initials and dotted acronyms (`George W. Bush`,
//! `U.S. officials`) end one only when an obvious sentence opener follows (`the
//! U.S. The move…`); a lowercase word after the stop means it was not one; a
//! blank line always ends a sentence and a single line break does unless the
//! next line carries on in lowercase (hard-wrapped prose).

use std::ops::Range;

use super::lexicon::{class, lexicon};
use super::tokens::{TokKind, Token, flag, is_word_char};

/// How far [`sentence_at`] looks each side of its position, in bytes. Bounds
/// the cost for pathological input (a 10 MB line without a full stop).
const MAX_LOOK: usize = 4096;

#[inline]
fn is_candidate(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?' | b'\n' | 0xE2)
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')' | ']' | '»'
    )
}

/// If a sentence ends at the candidate character at byte `i`, returns the end
/// of that sentence and the start of the next one.
fn break_at(text: &str, i: usize) -> Option<(usize, usize)> {
    let c = char_at(text, i)?;
    match c {
        '\n' => break_at_newline(text, i),
        '.' | '!' | '?' | '…' => break_at_stop(text, i, c),
        _ => None,
    }
}

/// First non-whitespace position at or after `i`, and whether a newline was
/// crossed on the way.
fn skip_space(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut newline = false;
    while i < text.len() {
        let b = bytes[i];
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
        } else if b == b'\n' {
            newline = true;
            i += 1;
        } else if b < 0x80 {
            break;
        } else {
            match char_at(text, i) {
                Some(c) if c.is_whitespace() => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    (i, newline)
}

/// The word that starts at `i` (letters, digits, apostrophes).
fn word_at(text: &str, i: usize) -> &str {
    let rest = text.get(i..).unwrap_or("");
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(is_word_char(c) || c == '\''))
        .map_or(rest.len(), |(j, _)| j);
    &rest[..end]
}

/// The token that ends at `i` (letters, digits and dots).
fn word_before(text: &str, i: usize) -> &str {
    let head = text.get(..i).unwrap_or("");
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_word_char(c) || c == '.'))
        .map_or(0, |(j, c)| j + c.len_utf8());
    &head[start..]
}

fn break_at_stop(text: &str, i: usize, c: char) -> Option<(usize, usize)> {
    let mut j = i + c.len_utf8();
    while let Some(n) = char_at(text, j) {
        if is_closer(n) {
            j += n.len_utf8();
        } else {
            break;
        }
    }
    if let Some(n) = char_at(text, j)
        && !n.is_whitespace()
    {
        return None;
    }
    let (k, newline) = skip_space(text, j);
    let Some(next) = char_at(text, k) else {
        return Some((j, text.len()));
    };
    if newline {
        return Some((j, k));
    }
    if next.is_lowercase() || matches!(next, ',' | ';' | ':' | ')') {
        return None;
    }
    if c == '.' {
        let before = word_before(text, i);
        if before.is_empty() {
            return Some((j, k));
        }
        let bare = before.trim_end_matches('.');
        let lex = lexicon();
        let numbered = matches!(bare, "No" | "no" | "Nos" | "nos");
        if !bare.contains('.')
            && !bare.starts_with(|ch: char| ch.is_numeric())
            && lex.classes_any_case(bare) & class::ABBREVIATION != 0
            && (!numbered || next.is_numeric())
        {
            return None;
        }
        let initials = !bare.is_empty()
            && bare
                .split('.')
                .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
        if initials {
            let next_word = word_at(text, k);
            let opener = lex.classes_any_case(next_word)
                & (class::FUNCTION | class::DISCOURSE | class::PRONOUN)
                != 0;
            if !opener {
                return None;
            }
        }
    }
    Some((j, k))
}

fn break_at_newline(text: &str, i: usize) -> Option<(usize, usize)> {
    let line_start = text
        .get(..i)
        .and_then(|h| h.rfind('\n'))
        .map_or(0, |p| p + 1);
    let line = text.get(line_start..i).unwrap_or("");
    let trimmed = line.trim_end();
    let end = line_start + trimmed.len();
    let (k, blank) = skip_space(text, i + 1);
    let Some(next) = char_at(text, k) else {
        return Some((end, text.len()));
    };
    if blank || trimmed.trim_start().is_empty() {
        return Some((end, k));
    }
    if next.is_lowercase() {
        return None;
    }
    if let Some(prev) = trimmed.chars().next_back()
        && matches!(prev, ',' | ';' | '(' | '&')
    {
        return None;
    }
    Some((end, k))
}

/// The sentences of `text[range]`, as byte ranges into `text`, in order,
/// trimmed of surrounding whitespace: the byte-by-byte reference that
/// [`split_tokens`] is tested against.
#[cfg(test)]
pub(crate) fn split(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let hi = range.end.min(text.len());
    let lo = range.start.min(hi);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, _) = skip_space(text, lo);
    let mut i = start;
    while i < hi {
        if !is_candidate(bytes[i]) || !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        match break_at(text, i) {
            Some((end, next)) => {
                let end = end.min(hi);
                if end > start {
                    out.push(start..end);
                }
                start = next.max(end);
                i = start.max(i + 1);
            }
            None => i += 1,
        }
    }
    if start < hi {
        let tail = text[start..hi].trim_end();
        if !tail.is_empty() {
            out.push(start..start + tail.len());
        }
    }
    out
}

/// The same sentences as [`split`], found from the tokens: only stops,
/// dotted words and the first line break of each gap can end a sentence, so
/// there is no need to look at every byte again.
pub(crate) fn split_tokens(text: &str, range: Range<usize>, toks: &[Token]) -> Vec<Range<usize>> {
    let hi = range.end.min(text.len());
    let lo = range.start.min(hi);
    let mut out = Vec::new();
    let (mut start, _) = skip_space(text, lo);
    let mut prev_end = lo;
    let consider = |i: usize, start: &mut usize, out: &mut Vec<Range<usize>>| {
        if i < *start || i >= hi {
            return;
        }
        if let Some((end, next)) = break_at(text, i) {
            let end = end.min(hi);
            if end > *start {
                out.push(*start..end);
            }
            *start = next.max(end);
        }
    };
    for t in toks {
        if t.has(flag::NEWLINE_BEFORE)
            && let Some(gap) = text.get(prev_end..t.start)
            && let Some(nl) = memchr::memchr(b'\n', gap.as_bytes())
        {
            consider(prev_end + nl, &mut start, &mut out);
        }
        match t.kind {
            TokKind::Punct if matches!(t.ch, '.' | '!' | '?' | '…') => {
                consider(t.start, &mut start, &mut out)
            }
            TokKind::Word
                if t.has(flag::DOTTED) && text.as_bytes().get(t.end - 1) == Some(&b'.') =>
            {
                consider(t.end - 1, &mut start, &mut out);
            }
            _ => {}
        }
        prev_end = t.end;
    }
    if start < hi {
        let tail = text[start..hi].trim_end();
        if !tail.is_empty() {
            out.push(start..start + tail.len());
        }
    }
    out
}

/// The sentence containing byte `pos` of `text`, as a byte range.
///
/// Looks at most a few kilobytes each side, so it is cheap to call for every
/// mention even in pathological input. A position in the space between two
/// sentences belongs to the one before.
pub fn sentence_at(text: &str, pos: usize) -> Range<usize> {
    let pos = floor_boundary(text, pos);
    let start = sentence_start_at(text, pos);
    let mut hi = (pos + MAX_LOOK).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let bytes = text.as_bytes();
    let mut end = hi;
    let mut i = start;
    while i < hi {
        if is_candidate(bytes[i])
            && text.is_char_boundary(i)
            && let Some((e, next)) = break_at(text, i)
            && next > pos
        {
            end = e.max(start);
            break;
        }
        i += 1;
    }
    let trimmed = text[start..end].trim_end();
    start..start + trimmed.len()
}

/// Where the sentence containing byte `pos` of `text` starts: the start of
/// [`sentence_at`], without the look for its end (a page's sentence anchors
/// need only the start).
pub fn sentence_start_at(text: &str, pos: usize) -> usize {
    let pos = floor_boundary(text, pos);
    let mut lo = pos.saturating_sub(MAX_LOOK);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let bytes = text.as_bytes();
    let mut start = lo;
    let mut i = pos;
    while i > lo {
        i -= 1;
        if is_candidate(bytes[i])
            && text.is_char_boundary(i)
            && let Some((_, next)) = break_at(text, i)
            && next <= pos
        {
            start = next;
            break;
        }
    }
    let (start, _) = skip_space(text, start);
    start.min(pos)
}

/// `pos`, moved back to a character boundary within `text`.
fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_ordinary_prose() {
        assert_eq!(
            sentences("Turkey held talks. Hamas said no! Why? Because."),
            vec!["Turkey held talks.", "Hamas said no!", "Why?", "Because."]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("Mr. Straw met Gen. Smith on Nov. 2. George W. Bush spoke."),
            vec![
                "Mr. Straw met Gen. Smith on Nov. 2.",
                "George W. Bush spoke."
            ]
        );
        assert_eq!(
            sentences("U.S. officials met. They left the U.S. The talks ended."),
            vec![
                "U.S. officials met.",
                "They left the U.S.",
                "The talks ended."
            ]
        );
        assert_eq!(
            sentences("The U.S. President spoke."),
            vec!["The U.S. President spoke."]
        );
    }

    #[test]
    fn quotes_and_lowercase_continuations() {
        assert_eq!(
            sentences("“We will win,” he said. “No.” Then silence."),
            vec!["“We will win,” he said.", "“No.”", "Then silence."]
        );
        assert_eq!(
            sentences("It cost 3.5 billion. Done."),
            vec!["It cost 3.5 billion.", "Done."]
        );
    }

    #[test]
    fn lines() {
        assert_eq!(
            sentences(
                "TURKEY'S FIDAN SAYS GAZA TALKS ADVANCE\nANKARA 2026 - Turkey said.\n\nNext para"
            ),
            vec![
                "TURKEY'S FIDAN SAYS GAZA TALKS ADVANCE",
                "ANKARA 2026 - Turkey said.",
                "Next para"
            ]
        );
        assert_eq!(
            sentences("talks with\nthe group went on."),
            vec!["talks with\nthe group went on."]
        );
    }

    #[test]
    fn token_split_agrees_with_byte_split() {
        let pieces = [
            "Turkey held talks.",
            " Mr. Straw met Gen. Smith",
            " the U.S.",
            " The move",
            "\n",
            "\n\n",
            " 3.5 billion",
            "...",
            " “No.”",
            " Then",
            " e.g.",
            " he said!",
            "?",
            " foo",
            "\nlowercase",
            " W.",
            " Bush",
            " … ",
            "Nov.",
            " 2.",
            "U.S.-led",
            " x\n \n y",
        ];
        let mut state = 7u32;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            let toks = crate::extract::tokens::tokenize(&text, 0..text.len());
            assert_eq!(
                split(&text, 0..text.len()),
                split_tokens(&text, 0..text.len(), &toks),
                "{text:?}"
            );
        }
    }

    #[test]
    fn sentence_at_agrees_with_split() {
        let text = "Ankara: Turkey held talks. Mr. Fidan met Hamas in Ankara.\nNew line here";
        for r in split(text, 0..text.len()) {
            for pos in r.clone() {
                if text.is_char_boundary(pos) {
                    assert_eq!(sentence_at(text, pos), r, "at {pos}");
                }
            }
        }
        assert_eq!(sentence_at("", 5), 0..0);
        assert_eq!(sentence_at("abc", 99), 0..3);
    }
}
