//! Whatever the input, extraction never panics and every span it reports is
//! in bounds, on character boundaries, not overlapping, and quotes the text
//! exactly. Also the bad inputs named in the issue: empty text, binary
//! garbage, a 10 MB single line, all aliases in one sentence, 100k
//! capitalised words.

use std::time::{Duration, Instant};

use dossier::extract::{Extraction, Extractor, Input, sentence_at};
use proptest::prelude::*;

fn extractor() -> &'static Extractor {
    static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EX.get_or_init(|| Extractor::new(&[]).expect("the built-in gazetteer loads"))
}

/// Checks every invariant of one extraction.
fn check(text: &str, body_start: usize, out: &Extraction) -> Result<(), String> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut span = |start: usize, end: usize, quoted: &str, what: &str| -> Result<(), String> {
        if start > end || end > text.len() {
            return Err(format!(
                "{what} {start}..{end} out of bounds ({})",
                text.len()
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(format!("{what} {start}..{end} not on char boundaries"));
        }
        if start < body_start.min(text.len()) {
            return Err(format!("{what} {start}..{end} before the body"));
        }
        if &text[start..end] != quoted {
            return Err(format!("{what} text {quoted:?} != {:?}", &text[start..end]));
        }
        if start == end {
            return Err(format!("{what} is empty at {start}"));
        }
        spans.push((start, end));
        Ok(())
    };
    for a in &out.actors {
        for w in a.mentions.windows(2) {
            if w[0].start > w[1].start {
                return Err(format!("{} mentions unsorted", a.id));
            }
        }
        for m in &a.mentions {
            span(m.start, m.end, &m.text, "actor mention")?;
        }
    }
    for p in &out.places {
        for m in &p.mentions {
            span(m.start, m.end, &m.text, "place mention")?;
        }
    }
    for c in &out.candidates {
        for m in &c.mentions {
            span(m.start, m.end, &m.text, "candidate mention")?;
        }
    }
    if let Some(d) = &out.dateline
        && (d.end > text.len() || text.get(d.start..d.end) != Some(d.text.as_str()))
    {
        return Err("dateline span".into());
    }
    spans.sort_unstable();
    for w in spans.windows(2) {
        if w[0].1 > w[1].0 {
            return Err(format!("overlapping spans {:?} and {:?}", w[0], w[1]));
        }
    }
    for s in &out.statements {
        if s.start > s.end
            || s.end > text.len()
            || !text.is_char_boundary(s.start)
            || !text.is_char_boundary(s.end)
        {
            return Err(format!("statement span {}..{}", s.start, s.end));
        }
    }
    for r in &out.relations {
        if r.start > r.end || r.end > text.len() {
            return Err(format!("relation span {}..{}", r.start, r.end));
        }
    }
    let mut starts: Vec<usize> = out
        .actors
        .iter()
        .filter_map(|a| a.mentions.first().map(|m| m.start))
        .collect();
    let sorted = starts.windows(2).all(|w| w[0] <= w[1]);
    starts.clear();
    if !sorted {
        return Err("actors not sorted by first mention".into());
    }
    Ok(())
}

fn run(text: &str, body_start: usize) -> Result<(), String> {
    let input = Input {
        text,
        body_start,
        ..Input::default()
    };
    let out = extractor().extract(&input);
    check(text, body_start, &out)?;
    let again = extractor().extract(&input);
    if again != out {
        return Err("not deterministic".into());
    }
    let pos = body_start.min(text.len());
    let r = sentence_at(text, pos);
    if r.start > r.end
        || r.end > text.len()
        || !text.is_char_boundary(r.start)
        || !text.is_char_boundary(r.end)
    {
        return Err(format!("sentence_at gave {r:?}"));
    }
    Ok(())
}

/// Words that exercise the rules: names, titles, demonyms, verbs, junk.
const WORDS: &[&str] = &[
    "Turkey",
    "Turkish",
    "Hamas",
    "Ankara",
    "said",
    "Foreign",
    "Minister",
    "Hakan",
    "Fidan",
    "Gaza",
    "City",
    "GAZA",
    "CITY",
    "U.S.",
    "UN",
    "(",
    ")",
    ",",
    ".",
    ":",
    "-",
    "’s",
    "'s",
    "the",
    "of",
    "Bank",
    "England",
    "al-Sisi",
    "Erdoğan",
    "bin",
    "Salman",
    "van",
    "der",
    "Leyen",
    "Mr",
    "accused",
    "met",
    "talks",
    "with",
    "according",
    "to",
    "Meanwhile",
    "They",
    "it",
    "\n",
    "\n\n",
    "“",
    "”",
    "Chad",
    "Smith",
    "Jordan",
    "Niger",
    "Nigeria",
    "COGAT",
    "(COGAT)",
    "and",
    "Washington",
    "Kremlin",
    "W.",
    "Israeli-Palestinian",
    "Turkish-brokered",
    "+++",
    "#",
    "President",
    "spokesperson",
    "🙂",
    "é",
    "\u{301}",
    "İ",
    "ß",
    "ǅ",
];

fn newsish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|ws| {
        let mut s = String::new();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 && !w.starts_with(['\n', ',', '.', ')', '’', '\'']) {
                s.push(' ');
            }
            s.push_str(w);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_breaks_invariants(text in "\\PC*", start in 0usize..64) {
        prop_assert!(run(&text, start).is_ok(), "{:?}", run(&text, start));
    }

    #[test]
    fn any_chars_at_all(text in any::<String>(), start in 0usize..16) {
        prop_assert!(run(&text, start).is_ok(), "{:?}", run(&text, start));
    }

    #[test]
    fn news_like_text_never_breaks_invariants(text in newsish(), start in 0usize..8) {
        prop_assert!(run(&text, start).is_ok(), "{:?}", run(&text, start));
    }

    #[test]
    fn sentence_at_is_in_bounds(text in "\\PC{0,200}", pos in 0usize..400) {
        let r = sentence_at(&text, pos);
        prop_assert!(r.start <= r.end && r.end <= text.len());
        prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
}

fn timed(text: &str, limit: Duration) {
    let started = Instant::now();
    let result = run(text, 0);
    let took = started.elapsed();
    assert!(result.is_ok(), "{result:?}");
    assert!(took < limit, "took {took:?} for {} bytes", text.len());
}

#[test]
fn empty_and_blank_text() {
    timed("", Duration::from_secs(1));
    timed("   \n\n\t ", Duration::from_secs(1));
    let out = extractor().extract(&Input::default());
    assert_eq!(out, Extraction::default());
}

#[test]
fn binary_garbage() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    timed(&text, Duration::from_secs(20));
}

#[test]
fn ten_megabyte_single_line() {
    let sentence =
        "Turkey said Hamas met Egyptian officials in Cairo, according to a Turkish source, ";
    let text = sentence.repeat(10_000_000 / sentence.len() + 1);
    timed(&text, Duration::from_secs(60));
}

#[test]
fn text_without_actors() {
    let text = "the rain fell on the tents and the wind blew. ".repeat(2000);
    let out = extractor().extract(&Input {
        text: &text,
        ..Input::default()
    });
    assert!(out.actors.is_empty() && out.places.is_empty() && out.candidates.is_empty());
}

#[test]
fn all_aliases_in_one_sentence() {
    let names = [
        "Turkey",
        "Hamas",
        "Israel",
        "United States",
        "Qatar",
        "Egypt",
        "Ankara",
        "Gaza",
        "UN",
        "NATO",
        "EU",
        "Hezbollah",
        "Iran",
        "Tehran",
        "Russia",
        "Kremlin",
        "Ukraine",
        "China",
        "Beijing",
        "Hakan Fidan",
        "Erdoğan",
        "Netanyahu",
        "Putin",
        "Washington",
        "Moscow",
    ];
    let text = names.repeat(400).join(" and ") + " said.";
    timed(&text, Duration::from_secs(30));
}

#[test]
fn hundred_thousand_capitalised_words() {
    let words = [
        "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
    ];
    let text: Vec<&str> = (0..100_000).map(|i| words[i % words.len()]).collect();
    timed(&text.join(" "), Duration::from_secs(30));
    let caps: Vec<String> = text.iter().map(|w| w.to_uppercase()).collect();
    timed(&caps.join(" "), Duration::from_secs(30));
}
