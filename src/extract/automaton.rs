//! The alias automaton: one Aho-Corasick search (leftmost-longest) over every
//! known surface string, with word-boundary checks.
//!
//! Gazetteer names are matched case-sensitively, which is what keeps `Turkey`
//! the state apart from the bird. All-caps text (headlines, datelines like
//! `GAZA CITY, Nov 2`) would then match nothing, so a second automaton holds
//! the uppercase form of every alias and is run only over the all-caps
//! stretches the document pass marks.
//!
//! A name can only begin where a word begins, so the automatons are anchored
//! and asked, at each word start whose first byte can open some alias, for
//! the longest alias starting there. That touches only the top of the trie
//! for most words, instead of running a multi-megabyte table over every
//! byte of the article.
//!
//! Both automatons are built once per `Extractor`; a search allocates nothing.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::ExtractError;
use super::catalog::Pattern;
use super::fasthash::{FastMap, FastSet};
use super::tokens::is_word_char;

/// A boundary-checked match of pattern `pattern` at `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawMatch {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// The two automatons and the tables to look strings up directly.
#[derive(Debug)]
pub(crate) struct AliasMatcher {
    exact: AhoCorasick,
    upper: AhoCorasick,
    /// Bytes that start some alias, for each automaton.
    exact_first: [bool; 256],
    upper_first: [bool; 256],
    /// First words of the aliases that start in lowercase ("al" of
    /// "al-Sisi", "von" of "von der Leyen"): lowercase words are only tried
    /// when they are one of these.
    lower_heads: FastSet<String>,
    /// The longest of those, in bytes.
    lower_head_max: usize,
    /// Index in the upper automaton -> pattern index.
    upper_patterns: Vec<usize>,
    by_text: FastMap<String, usize>,
    by_upper: FastMap<String, usize>,
}

impl AliasMatcher {
    /// Builds the automatons over `patterns` (indices are kept).
    pub(crate) fn new(patterns: &[Pattern]) -> Result<AliasMatcher, ExtractError> {
        let texts: Vec<&str> = patterns.iter().map(|p| p.text.as_str()).collect();
        let exact = build(&texts)?;
        let mut by_text = FastMap::default();
        for (i, p) in patterns.iter().enumerate() {
            by_text.entry(p.text.clone()).or_insert(i);
        }
        let mut by_upper: FastMap<String, usize> = FastMap::default();
        let mut upper_texts: Vec<String> = Vec::new();
        let mut upper_patterns = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let upper = p.text.to_uppercase();
            if by_upper.contains_key(&upper) {
                continue;
            }
            by_upper.insert(upper.clone(), i);
            upper_texts.push(upper);
            upper_patterns.push(i);
        }
        let upper = build(&upper_texts)?;
        let mut exact_first = [false; 256];
        for t in &texts {
            if let Some(&b) = t.as_bytes().first() {
                exact_first[usize::from(b)] = true;
            }
        }
        let mut lower_heads = FastSet::default();
        for t in &texts {
            if t.starts_with(|c: char| c.is_lowercase()) {
                let head: String = t.chars().take_while(|&c| is_word_char(c)).collect();
                lower_heads.insert(head);
            }
        }
        let lower_head_max = lower_heads.iter().map(String::len).max().unwrap_or(0);
        let mut upper_first = [false; 256];
        for t in &upper_texts {
            if let Some(&b) = t.as_bytes().first() {
                upper_first[usize::from(b)] = true;
            }
        }
        Ok(AliasMatcher {
            exact,
            upper,
            exact_first,
            upper_first,
            lower_heads,
            lower_head_max,
            upper_patterns,
            by_text,
            by_upper,
        })
    }

    /// The longest alias starting exactly at `start` and ending on a word
    /// boundary at or before `limit`; `upper` selects the uppercase automaton
    /// (for all-caps stretches).
    pub(crate) fn longest_at(
        &self,
        text: &str,
        start: usize,
        limit: usize,
        upper: bool,
    ) -> Option<RawMatch> {
        let first = *text.as_bytes().get(start)?;
        let table = if upper {
            &self.upper_first
        } else {
            &self.exact_first
        };
        if !table[usize::from(first)] {
            return None;
        }
        if !upper && first.is_ascii_lowercase() {
            let rest = text.get(start..limit.min(text.len()))?;
            let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
            if end > self.lower_head_max || !self.lower_heads.contains(&rest[..end]) {
                return None;
            }
        }
        let ac = if upper { &self.upper } else { &self.exact };
        let limit = limit.min(text.len());
        let input = Input::new(text).range(start..limit).anchored(Anchored::Yes);
        let m = ac.try_find(input).ok()??;
        let (s, e) = (m.start(), m.end());
        let pattern = if upper {
            self.upper_patterns.get(m.pattern().as_usize()).copied()?
        } else {
            m.pattern().as_usize()
        };
        if bounded(text, s, e) {
            return Some(RawMatch {
                start: s,
                end: e,
                pattern,
            });
        }
        self.shorter(text, s, e, upper)
    }

    /// The pattern written exactly as `s`.
    pub(crate) fn lookup(&self, s: &str) -> Option<usize> {
        self.by_text.get(s).copied()
    }

    /// The pattern whose uppercase form is `s` (already uppercase).
    pub(crate) fn lookup_upper(&self, s: &str) -> Option<usize> {
        self.by_upper.get(s).copied()
    }

    /// A shorter alias at the same start that does end on a word boundary
    /// (`Gaza` inside `Gaza Cityscape` when `Gaza City` failed).
    fn shorter(&self, text: &str, s: usize, e: usize, upper: bool) -> Option<RawMatch> {
        let table = if upper { &self.by_upper } else { &self.by_text };
        let mut q = e;
        while q > s + 1 {
            q -= 1;
            if !text.is_char_boundary(q) || !bounded(text, s, q) {
                continue;
            }
            if let Some(&pattern) = table.get(&text[s..q]) {
                return Some(RawMatch {
                    start: s,
                    end: q,
                    pattern,
                });
            }
        }
        None
    }
}

fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick, ExtractError> {
    // A DFA: a few megabytes once per extractor for the fastest scan.
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .map_err(|e| ExtractError::gazetteer("alias automaton", &e.to_string()))
}

/// No letter or digit touches the span on either side.
#[inline]
pub(crate) fn bounded(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text
        .get(..start)
        .and_then(|h| h.chars().next_back())
        .is_none_or(|c| !is_word_char(c));
    let after_ok = text
        .get(end..)
        .and_then(|t| t.chars().next())
        .is_none_or(|c| !is_word_char(c));
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::super::catalog::Target;
    use super::*;

    fn pattern(text: &str) -> Pattern {
        Pattern {
            text: text.to_string(),
            target: Target::Ignore,
            weak: false,
            acronym: false,
        }
    }

    /// Tries every word start, the way the document pass does.
    fn matches(m: &AliasMatcher, text: &str, upper: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let word_start = text.is_char_boundary(i)
                && text[i..].chars().next().is_some_and(is_word_char)
                && !text[..i].chars().next_back().is_some_and(is_word_char);
            if word_start && let Some(r) = m.longest_at(text, i, text.len(), upper) {
                out.push(text[r.start..r.end].to_string());
                i = r.end;
                continue;
            }
            i += 1;
        }
        out
    }

    #[test]
    fn word_boundaries_and_case() {
        let ps: Vec<Pattern> = ["Niger", "Nigeria", "Turkey", "Gaza", "Gaza City", "U.S."]
            .iter()
            .map(|t| pattern(t))
            .collect();
        let m = AliasMatcher::new(&ps);
        assert!(m.is_ok());
        let Ok(m) = m else { return };
        assert_eq!(
            matches(&m, "Nigeria and Niger", false),
            vec!["Nigeria", "Niger"]
        );
        assert_eq!(matches(&m, "a turkey in Turkey's", false), vec!["Turkey"]);
        assert_eq!(matches(&m, "Gaza Cityscape", false), vec!["Gaza"]);
        assert_eq!(matches(&m, "in Gaza City.", false), vec!["Gaza City"]);
        assert_eq!(matches(&m, "Turkeys the U.S.-led", false), vec!["U.S."]);
        assert_eq!(
            matches(&m, "GAZA CITY, TURKEY'S", true),
            vec!["GAZA CITY", "TURKEY"]
        );
        assert_eq!(matches(&m, "Erdoğan Gaza", false), vec!["Gaza"]);
    }
}
