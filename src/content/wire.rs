//! Wire copy: plain `.txt` briefings with no front matter.
//!
//! Agencies put the metadata into the text itself: an optional headline on the
//! first line, then a dateline (`Ankara:`, `GAZA CITY, Nov 2 (Agency) -`,
//! `ANKARA 2026-11-26`) in front of the first sentence. These rules recover the
//! title, the dateline and sometimes the date, so wire copy needs no editing.

use std::ops::Range;

use chrono::NaiveDate;

/// What the first lines of a wire story say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireHead {
    /// The headline line, when the story has one (byte range, trimmed).
    pub headline: Option<Range<usize>>,
    /// The dateline's place as written (`Ankara`, `GAZA CITY`), byte range.
    pub dateline: Option<Range<usize>>,
    /// A full date written in the dateline, if any.
    pub date: Option<NaiveDate>,
    /// Where the story text proper starts (after headline and dateline).
    pub story_start: usize,
    /// The title: the headline, or the first sentence with the dateline stripped.
    pub title: String,
}

/// A headline is a short first line that does not end like a sentence.
const MAX_HEADLINE_CHARS: usize = 140;
/// Titles taken from the first sentence are cut at a clause boundary past this.
const MIN_TITLE_CHARS: usize = 40;
const MAX_TITLE_CHARS: usize = 160;

/// Reads the head of the wire story `text`, whose body starts at `body_start`.
pub fn parse(text: &str, body_start: usize) -> WireHead {
    let body = &text[body_start..];
    let lead = body.len() - body.trim_start().len();
    let mut pos = body_start + lead;

    let mut headline = None;
    let first_line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let first_line = text[pos..first_line_end].trim_end();
    let has_more = !text[first_line_end..].trim().is_empty();
    if has_more
        && !first_line.is_empty()
        && first_line.chars().count() <= MAX_HEADLINE_CHARS
        && !first_line.ends_with(['.', ':', ',', ';'])
        && find_dateline(first_line).is_none()
    {
        headline = Some(pos..pos + first_line.len());
        pos = first_line_end;
        pos += text[pos..].len() - text[pos..].trim_start().len();
    }

    let mut dateline = None;
    let mut date = None;
    if let Some(found) = find_dateline(&text[pos..]) {
        dateline = Some(pos + found.place.start..pos + found.place.end);
        date = found.date;
        pos += found.rest_start;
    }

    let title = match &headline {
        Some(range) => text[range.clone()].trim().to_string(),
        None => title_from_sentence(&text[pos..]),
    };
    WireHead {
        headline,
        dateline,
        date,
        story_start: pos,
        title,
    }
}

/// A dateline at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDateline {
    /// The place as written.
    pub place: Range<usize>,
    /// A full date, when the dateline has one.
    pub date: Option<NaiveDate>,
    /// Where the story starts after the dateline and its separator.
    pub rest_start: usize,
}

/// Finds a dateline at the very start of `text`:
/// `Place:` · `Place, <date> (Agency) -` · `Place (Agency) -` · `PLACE <date>` ·
/// `PLACE, <date> -`. The place is one to four capitalised words.
pub fn find_dateline(text: &str) -> Option<FoundDateline> {
    let place_end = place_prefix(text)?;
    let place = 0..place_end;
    let after = &text[place_end..];

    // `Ankara: ...`
    if let Some(rest) = after.strip_prefix(':') {
        let skip = rest.len() - rest.trim_start().len();
        return Some(FoundDateline {
            place,
            date: None,
            rest_start: place_end + 1 + skip,
        });
    }

    // Everything up to a dash separator on the same line: `, Nov 2 (Agency) -`.
    let line_end = after.find('\n').unwrap_or(after.len());
    let line = &after[..line_end];
    let (middle, sep_end) = [" - ", " — ", " – ", " -- "]
        .iter()
        .filter_map(|sep| line.find(sep).map(|i| (i, i + sep.len())))
        .min()
        .map(|(i, end)| (&line[..i], end))
        .or_else(|| {
            // `ANKARA 2026-11-26` on a line of its own, or followed by text.
            let (date, len) = leading_date(line.trim_start_matches([',', ' ']))?;
            let consumed = line.len() - line.trim_start_matches([',', ' ']).len() + len;
            let _ = date;
            Some((&line[..consumed], consumed))
        })?;
    let middle_trimmed = middle.trim_start_matches([',', ' ']);
    let without_agency = strip_agency(middle_trimmed);
    let date = leading_date(without_agency.trim()).map(|(d, _)| d);
    // The middle must be only a date and/or an agency: anything else is prose.
    let is_dateline = middle.trim().is_empty()
        || date.is_some()
        || (middle_trimmed.starts_with('(') && without_agency.trim().is_empty())
        || looks_like_short_date(without_agency.trim());
    if !is_dateline || middle.len() > 60 {
        return None;
    }
    let rest = &after[sep_end..];
    let skip = rest.len() - rest.trim_start().len();
    Some(FoundDateline {
        place,
        date,
        rest_start: place_end + sep_end + skip,
    })
}

/// Length of a run of one to four capitalised words at the start of `text`.
fn place_prefix(text: &str) -> Option<usize> {
    let mut end = 0;
    let mut words = 0;
    let mut rest = text;
    loop {
        let word_len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphabetic() || c == '-' || c == '\'' || c == '.'))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..word_len];
        let starts_upper = word.chars().next().is_some_and(char::is_uppercase);
        let particle = matches!(word, "al" | "el" | "de" | "of");
        if word.is_empty() || !(starts_upper || (particle && words > 0)) {
            break;
        }
        words += 1;
        end += word_len;
        if words == 4 || !rest[word_len..].starts_with(' ') {
            break;
        }
        let next = &rest[word_len + 1..];
        if !next.chars().next().is_some_and(char::is_alphabetic) {
            break;
        }
        // Only continue into the next word if it is capitalised or a particle.
        let next_word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        let next_upper = next_word.chars().next().is_some_and(char::is_uppercase);
        if !next_upper && !matches!(next_word.as_str(), "al" | "el" | "de" | "of") {
            break;
        }
        end += 1;
        rest = next;
    }
    (words > 0).then_some(end)
}

/// `(Reuters) ...` -> `...` with the parenthesised agency removed wherever it sits.
fn strip_agency(text: &str) -> &str {
    match (text.find('('), text.rfind(')')) {
        (Some(open), Some(close)) if close > open => {
            let before = text[..open].trim_end();
            if before.is_empty() {
                text[close + 1..].trim_start()
            } else {
                before
            }
        }
        _ => text,
    }
}

/// `Nov 2`, `November 2`, `2 Nov`: a date without a year (not enough for a date).
fn looks_like_short_date(text: &str) -> bool {
    let mut parts = text.split_whitespace();
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let is_day = |s: &str| s.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    (month(a).is_some() && is_day(b)) || (is_day(a) && month(b).is_some())
}

/// A full date at the start of `text` (`2026-11-26`, `26 November 2026`,
/// `Nov 26, 2026`, `November 26 2026`) and its length.
fn leading_date(text: &str) -> Option<(NaiveDate, usize)> {
    if text.len() >= 10
        && let Some(iso) = text.get(..10)
        && let Ok(date) = NaiveDate::parse_from_str(iso, "%Y-%m-%d")
    {
        return Some((date, 10));
    }
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    if words.len() < 3 {
        return None;
    }
    let number = |s: &str| s.trim_end_matches(',').parse::<u32>().ok();
    let (day, mon, year) = if let (Some(d), Some(m)) = (number(words[0]), month(words[1])) {
        (d, m, number(words[2])?)
    } else {
        (number(words[1])?, month(words[0])?, number(words[2])?)
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, mon, day)?;
    let end_word = words[2];
    let len = text.find(end_word)? + end_word.len();
    Some((date, len))
}

/// Month number of an English month name or abbreviation (`Nov`, `Sept.`), any case.
fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS
        .iter()
        .position(|m| m.starts_with(word.as_str()) || (word == "sept" && *m == "september"))?;
    u32::try_from(index + 1).ok()
}

/// The first sentence of `text`, cut at a clause boundary when it is long.
fn title_from_sentence(text: &str) -> String {
    let sentence_end = sentence_end(text);
    let sentence = text[..sentence_end].trim();
    let sentence = sentence.trim_end_matches(['.', '!', '?']).trim_end();
    if sentence.chars().count() <= MIN_TITLE_CHARS * 2 {
        return sentence.to_string();
    }
    // Cut at the first clause boundary past the minimum length.
    let mut chars_seen = 0;
    for (i, c) in sentence.char_indices() {
        chars_seen += 1;
        if chars_seen > MIN_TITLE_CHARS && matches!(c, ',' | ';' | '—' | '–') {
            let head = sentence[..i].trim_end();
            if head.chars().count() <= MAX_TITLE_CHARS {
                return head.to_string();
            }
            break;
        }
    }
    if sentence.chars().count() <= MAX_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_TITLE_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}…")
}

/// End of the first sentence: a `.`, `!` or `?` followed by space and a capital, or
/// the end of the first paragraph. Abbreviations such as `U.S.` do not end it.
fn sentence_end(text: &str) -> usize {
    let para_end = text.find("\n\n").unwrap_or(text.len());
    let para = &text[..para_end];
    let bytes = para.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') {
            let next = para[i + 1..].chars().next();
            let after = para[i + 1..].trim_start().chars().next();
            // `U.S.`, `W.`: a single capital letter before the dot is an initial.
            let prev_is_initial = i >= 1
                && bytes[i - 1].is_ascii_uppercase()
                && (i == 1 || matches!(bytes[i - 2], b'.' | b' '));
            if next.is_none_or(char::is_whitespace)
                && after.is_none_or(|c| c.is_uppercase() || c == '"' || c == '“')
                && !prev_is_initial
            {
                return i + 1;
            }
        }
    }
    para.find('\n').unwrap_or(para.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "Ankara: Turkey has held talks with Hamas on moving forward with the second phase of the Gaza ceasefire deal, as regional and international efforts continue to prevent a return to full scale fighting.\nAccording to a Turkish diplomatic source, Foreign Minister Hakan Fidan met representatives.";

    #[test]
    fn seed_title_is_first_clause_without_dateline() {
        let head = parse(SEED, 0);
        assert_eq!(head.headline, None);
        assert_eq!(head.dateline.map(|r| &SEED[r]), Some("Ankara"));
        assert_eq!(
            head.title,
            "Turkey has held talks with Hamas on moving forward with the second phase of the Gaza ceasefire deal"
        );
        assert!(SEED[head.story_start..].starts_with("Turkey has held"));
    }

    #[test]
    fn short_first_line_is_the_headline() {
        let text = "Qatar and Egypt press for second phase\n\nDOHA, Nov 12 (Dossier) - Mediators met on Wednesday.";
        let head = parse(text, 0);
        assert_eq!(head.title, "Qatar and Egypt press for second phase");
        assert_eq!(head.dateline.map(|r| &text[r]), Some("DOHA"));
        assert!(text[head.story_start..].starts_with("Mediators met"));
    }

    #[test]
    fn all_caps_headline_and_dateline_with_date() {
        let text = "TURKEY'S FIDAN SAYS GAZA TALKS ADVANCE\nANKARA 2026-11-26\nTurkey said talks advanced.";
        let head = parse(text, 0);
        assert_eq!(head.title, "TURKEY'S FIDAN SAYS GAZA TALKS ADVANCE");
        assert_eq!(head.dateline.map(|r| &text[r]), Some("ANKARA"));
        assert_eq!(head.date, NaiveDate::from_ymd_opt(2026, 11, 26));
    }

    #[test]
    fn multi_word_dateline_with_agency() {
        let text = "GAZA CITY, Nov 2 (Agency) - Aid trucks entered the city on Sunday.";
        let head = parse(text, 0);
        assert_eq!(head.dateline.map(|r| &text[r]), Some("GAZA CITY"));
        assert_eq!(head.title, "Aid trucks entered the city on Sunday");
    }

    #[test]
    fn full_date_in_dateline_is_read() {
        let found = find_dateline("CAIRO, 12 November 2026 (Dossier) - Talks.").unwrap();
        assert_eq!(found.date, NaiveDate::from_ymd_opt(2026, 11, 12));
    }

    #[test]
    fn prose_is_not_a_dateline() {
        assert_eq!(find_dateline("Turkey has held talks - and more."), None);
        assert_eq!(find_dateline("the talks: more"), None);
        assert_eq!(find_dateline(""), None);
    }

    #[test]
    fn long_sentence_without_comma_is_cut_at_a_word() {
        let text = "Officials ".repeat(40);
        let head = parse(&text, 0);
        assert!(head.title.ends_with('…'));
        assert!(head.title.chars().count() <= MAX_TITLE_CHARS + 1);
    }

    #[test]
    fn abbreviations_do_not_end_the_first_sentence() {
        let text = "The U.S. envoy met Qatar's prime minister in Doha. He said more.";
        assert_eq!(
            parse(text, 0).title,
            "The U.S. envoy met Qatar's prime minister in Doha"
        );
    }

    #[test]
    fn empty_and_odd_input_does_not_panic() {
        for text in ["", " ", "\n\n", ":", "A:", "É", "ÉÉ - ", "X, (", "A\n"] {
            let _ = parse(text, 0);
        }
    }
}
