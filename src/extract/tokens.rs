//! Splits text into word, number and punctuation tokens with byte offsets and
//! the case facts the later passes ask about.
//!
//! Tokens never allocate: each is a byte range into the article plus flags.
//! The rules are the ones news names need: hyphens are separate tokens (so
//! `Israeli-Palestinian` gives two demonyms and `al-Sisi` a particle and a
//! name), a possessive `'s` is its own token (never part of a name), internal
//! apostrophes stay (`O'Brien`, `d'Ivoire`), and single letters keep their dot
//! (`U.S.`, `George W. Bush`).

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Number,
    Punct,
    /// `'s` or `’s` after a word.
    Possessive,
}

/// Token flag bits.
pub(crate) mod flag {
    /// The first character is uppercase.
    pub const CAP: u16 = 1;
    /// Has uppercase letters and no lowercase ones.
    pub const ALLCAPS: u16 = 1 << 1;
    /// The first character is lowercase.
    pub const LOWER: u16 = 1 << 2;
    /// Whitespace precedes the token.
    pub const SPACE_BEFORE: u16 = 1 << 3;
    /// A line break precedes the token.
    pub const NEWLINE_BEFORE: u16 = 1 << 4;
    /// A blank line precedes the token.
    pub const BLANK_BEFORE: u16 = 1 << 5;
    /// Contains a dot (`U.S.`, `W.`).
    pub const DOTTED: u16 = 1 << 6;
    /// Only ASCII bytes.
    pub const ASCII: u16 = 1 << 7;
    /// First word of its sentence (set by the document pass).
    pub const INITIAL: u16 = 1 << 8;
    /// In a headline-like line: all caps or title case (set by the document pass).
    pub const HEADLINE: u16 = 1 << 9;
    /// In an all-caps stretch (set by the document pass).
    pub const CAPS_STRETCH: u16 = 1 << 10;
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    pub flags: u16,
    /// For punctuation, the character (saves decoding it again).
    pub ch: char,
    /// Lexicon classes of a word (set by the document pass).
    pub cls: u32,
    /// Index of the alias match starting here, or `u32::MAX` (set by the
    /// document pass).
    pub gaz: u32,
}

impl Token {
    #[inline]
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    #[inline]
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    /// A word starting with an uppercase letter.
    #[inline]
    pub fn is_cap_word(&self) -> bool {
        self.kind == TokKind::Word && self.has(flag::CAP)
    }

    /// A word starting with a lowercase letter.
    #[inline]
    pub fn is_lower_word(&self) -> bool {
        self.kind == TokKind::Word && self.has(flag::LOWER)
    }

    #[inline]
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// No whitespace before this token.
    #[inline]
    pub fn tight(&self) -> bool {
        !self.has(flag::SPACE_BEFORE)
    }
}

/// Letters, digits and combining marks make words.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Tokenises `text[range]`; offsets are into `text`.
pub(crate) fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let end = range.end.min(text.len());
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut out = Vec::with_capacity((end - start) / 4 + 16);
    let mut i = start;
    let mut pending: u16 = 0;
    let mut newlines = 0u32;
    let bytes = text.as_bytes();
    while i < end {
        let b = bytes[i];
        // ASCII fast paths.
        if b == b' ' || b == b'\t' || b == b'\r' {
            pending |= flag::SPACE_BEFORE;
            i += 1;
            continue;
        }
        if b == b'\n' {
            pending |= flag::SPACE_BEFORE | flag::NEWLINE_BEFORE;
            newlines += 1;
            if newlines >= 2 {
                pending |= flag::BLANK_BEFORE;
            }
            i += 1;
            continue;
        }
        let c = if b < 0x80 {
            char::from(b)
        } else {
            match char_at(text, i) {
                Some(c) => c,
                None => break,
            }
        };
        if c.is_whitespace() {
            pending |= flag::SPACE_BEFORE;
            if c == '\u{2028}' || c == '\u{2029}' {
                pending |= flag::NEWLINE_BEFORE;
            }
            i += c.len_utf8();
            continue;
        }
        let token_flags = pending;
        pending = 0;
        newlines = 0;
        if is_word_char(c) {
            let (tok_end, flags) = scan_word(text, i, end);
            let kind = if c.is_numeric() {
                TokKind::Number
            } else {
                TokKind::Word
            };
            out.push(Token {
                start: i,
                end: tok_end,
                kind,
                flags: token_flags | flags,
                ch: ' ',
                cls: 0,
                gaz: u32::MAX,
            });
            i = tok_end;
            continue;
        }
        let len = c.len_utf8();
        if is_apostrophe(c)
            && let Some(prev) = out.last()
            && prev.end == i
            && prev.kind == TokKind::Word
            && let Some(s) = char_at(text, i + len)
            && (s == 's' || s == 'S')
            && char_at(text, i + len + 1).is_none_or(|n| !is_word_char(n))
            && i + len < end
        {
            out.push(Token {
                start: i,
                end: i + len + 1,
                kind: TokKind::Possessive,
                flags: token_flags,
                ch: c,
                cls: 0,
                gaz: u32::MAX,
            });
            i += len + 1;
            continue;
        }
        out.push(Token {
            start: i,
            end: i + len,
            kind: TokKind::Punct,
            flags: token_flags,
            ch: c,
            cls: 0,
            gaz: u32::MAX,
        });
        i += len;
    }
    out
}

/// Scans one word from `start`; returns its end and case flags.
fn scan_word(text: &str, start: usize, limit: usize) -> (usize, u16) {
    let mut i = start;
    let mut has_upper = false;
    let mut has_lower = false;
    let mut ascii = true;
    let mut first: Option<char> = None;
    let mut dotted = false;
    // Characters in the current run of word characters (for the initial rule).
    let mut run_chars = 0usize;
    let mut run_letter = false;
    loop {
        // A run of word characters: ASCII in a tight loop, then one
        // character at a time for the rest.
        let bytes = text.as_bytes();
        while i < limit {
            let run_start = i;
            while i < limit && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i > run_start {
                let run = &bytes[run_start..i];
                if first.is_none() {
                    first = Some(char::from(run[0]));
                }
                has_upper |= run.iter().any(u8::is_ascii_uppercase);
                has_lower |= run.iter().any(u8::is_ascii_lowercase);
                run_chars += run.len();
                run_letter = run[run.len() - 1].is_ascii_alphabetic();
            }
            if i >= limit || bytes[i] < 0x80 {
                break;
            }
            let Some(c) = char_at(text, i) else {
                break;
            };
            if !is_word_char(c) {
                break;
            }
            if first.is_none() {
                first = Some(c);
            }
            if c.is_uppercase() {
                has_upper = true;
            } else if c.is_lowercase() {
                has_lower = true;
            }
            ascii &= c.is_ascii();
            run_chars += 1;
            run_letter = c.is_alphabetic();
            i += c.len_utf8();
        }
        let Some(next) = (if i < limit { char_at(text, i) } else { None }) else {
            break;
        };
        let after = i + next.len_utf8();
        let following = if after < limit {
            char_at(text, after)
        } else {
            None
        };
        if is_apostrophe(next) {
            // Internal apostrophe followed by a letter, unless it is a possessive.
            let Some(f) = following.filter(|f| f.is_alphabetic()) else {
                break;
            };
            let after_f = after + f.len_utf8();
            let possessive = (f == 's' || f == 'S')
                && (after_f >= limit || char_at(text, after_f).is_none_or(|n| !is_word_char(n)));
            if possessive {
                break;
            }
            ascii &= next.is_ascii();
            i = after;
            run_chars = 0;
            continue;
        }
        if next == '.' && run_chars == 1 && run_letter {
            // A single letter keeps its dot: initials and dotted acronyms.
            i = after;
            dotted = true;
            let continues = following.is_some_and(char::is_alphabetic) && {
                let f = following.unwrap_or(' ');
                let after_f = after + f.len_utf8();
                after_f < limit && char_at(text, after_f) == Some('.')
            };
            if continues {
                run_chars = 0;
                continue;
            }
            break;
        }
        if (next == '.' || next == ',')
            && first.is_some_and(char::is_numeric)
            && following.is_some_and(|f| f.is_ascii_digit())
        {
            i = after;
            run_chars = 0;
            continue;
        }
        break;
    }
    let mut flags = 0u16;
    if let Some(c) = first {
        if c.is_uppercase() {
            flags |= flag::CAP;
        } else if c.is_lowercase() {
            flags |= flag::LOWER;
        }
    }
    if has_upper && !has_lower {
        flags |= flag::ALLCAPS;
    }
    if dotted {
        flags |= flag::DOTTED;
    }
    if ascii {
        flags |= flag::ASCII;
    }
    (i, flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len())
            .iter()
            .map(|t| t.text(text))
            .collect()
    }

    #[test]
    fn splits_names_the_way_news_writes_them() {
        assert_eq!(words("Turkey's Fidan"), vec!["Turkey", "'s", "Fidan"]);
        assert_eq!(words("Turkey’s"), vec!["Turkey", "’s"]);
        assert_eq!(
            words("Israeli-Palestinian"),
            vec!["Israeli", "-", "Palestinian"]
        );
        assert_eq!(words("al-Sisi"), vec!["al", "-", "Sisi"]);
        assert_eq!(words("O'Brien d'Ivoire"), vec!["O'Brien", "d'Ivoire"]);
        assert_eq!(
            words("the U.S. and U.N."),
            vec!["the", "U.S.", "and", "U.N."]
        );
        assert_eq!(words("George W. Bush"), vec!["George", "W.", "Bush"]);
        assert_eq!(words("Erdoğan, 1,200.5"), vec!["Erdoğan", ",", "1,200.5"]);
        assert_eq!(words("Mr. Straw."), vec!["Mr", ".", "Straw", "."]);
        assert_eq!(words("parties' talks"), vec!["parties", "'", "talks"]);
    }

    #[test]
    fn flags_describe_case_and_spacing() {
        let text = "GAZA City\n\nfoo U.S.";
        let t = tokenize(text, 0..text.len());
        assert!(t[0].has(flag::CAP) && t[0].has(flag::ALLCAPS));
        assert!(t[1].has(flag::CAP) && !t[1].has(flag::ALLCAPS));
        assert!(t[2].has(flag::LOWER) && t[2].has(flag::BLANK_BEFORE));
        assert!(t[3].has(flag::DOTTED) && t[3].has(flag::ALLCAPS));
    }

    #[test]
    fn tokens_stay_small() {
        // One token per four bytes of text: the size matters.
        assert!(std::mem::size_of::<Token>() <= 32);
    }

    #[test]
    fn respects_the_range_and_odd_input() {
        let text = "ab Ünïcödé 🙂 x";
        let t = tokenize(text, 3..text.len());
        assert_eq!(t[0].text(text), "Ünïcödé");
        assert!(tokenize("", 0..0).is_empty());
        let t = tokenize("é", 1..2);
        assert!(t.is_empty());
    }
}
