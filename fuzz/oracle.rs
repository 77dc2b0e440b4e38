//! What each fuzz target checks, shared with `tests/fuzz_regressions.rs` so that an
//! input found by the fuzzer is replayed in `cargo test` through exactly the same
//! calls and assertions.
//!
//! Every function takes what the fuzzer generated, drives the library the way a
//! build does, and panics when a promise of the library is broken: a span out of
//! bounds or off a char boundary, an unsafe slug, a non-deterministic extraction,
//! or HTML that could run a script.

// Each target includes this file and uses one of its functions.
#![allow(dead_code)]

use std::collections::HashMap;
use std::ops::Range;

use dossier::config::{LinkMentions, RawHtml};
use dossier::content::{self, wire};
use dossier::extract::{Extraction, Extractor, Input, Mention};
use dossier::render::markdown::{Body, MentionLink, render};

/// A Markdown briefing and an actor registry file: parsed, or refused with a
/// message, never a panic; a parsed briefing's offsets and slug are usable.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match content::parse_briefing("content/fuzz.md", text.to_string()) {
        Ok((article, warnings)) => {
            assert_eq!(article.text, text);
            assert!(
                text.is_char_boundary(article.body_start),
                "body_start {} is not a char boundary of a {}-byte text",
                article.body_start,
                text.len()
            );
            assert_range(text, article.headline.clone(), "headline");
            assert_safe_slug(&article.slug);
            for warning in warnings {
                let _ = warning.to_string();
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Err(e) = content::parse_registry("content/actors/fuzz.md", text) {
        assert!(!e.to_string().is_empty());
    }
}

/// `.txt` wire copy: the head's ranges are slices of the text, and the whole
/// briefing parses (or is refused with a message).
pub fn wire(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let head = wire::parse(text, 0);
    assert_range(text, head.headline.clone(), "headline");
    assert_range(text, head.dateline.clone(), "dateline");
    assert!(
        text.is_char_boundary(head.story_start),
        "story_start {} is not a char boundary of a {}-byte text",
        head.story_start,
        text.len()
    );
    match content::parse_briefing("content/fuzz.txt", text.to_string()) {
        Ok((article, _)) => {
            assert!(text.is_char_boundary(article.body_start));
            assert_range(text, article.headline.clone(), "headline");
            assert_safe_slug(&article.slug);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Extraction on any text: every span is a slice of the text, every mention's
/// `text` is exactly its slice, and the same input gives the same result.
pub fn extract(extractor: &Extractor, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = Input {
        text,
        body_start: body_start(text),
        ..Input::default()
    };
    let first = extractor.extract(&input);
    check_spans(text, &first);
    let again = extractor.extract(&input);
    assert!(first == again, "two extractions of the same text differ");
}

/// Where the body starts when the text opens with `+++` front matter, as the
/// loader would say; 0 otherwise.
fn body_start(text: &str) -> usize {
    text.strip_prefix("+++\n")
        .and_then(|rest| rest.find("\n+++\n"))
        .map_or(0, |at| "+++\n".len() + at + "\n+++\n".len())
}

fn check_spans(text: &str, e: &Extraction) {
    if let Some(d) = &e.dateline {
        assert_range(text, Some(d.start..d.end), "dateline");
    }
    let mentions = e
        .actors
        .iter()
        .flat_map(|a| &a.mentions)
        .chain(e.places.iter().flat_map(|p| &p.mentions))
        .chain(e.candidates.iter().flat_map(|c| &c.mentions));
    for m in mentions {
        assert_mention(text, m);
    }
    for s in &e.statements {
        assert_range(text, Some(s.start..s.end), "statement");
    }
    for r in &e.relations {
        assert_range(text, Some(r.start..r.end), "relation");
    }
}

fn assert_mention(text: &str, m: &Mention) {
    assert_eq!(
        text.get(m.start..m.end),
        Some(m.text.as_str()),
        "mention {}..{} of a {}-byte text",
        m.start,
        m.end,
        text.len()
    );
}

/// `range`, if any, is a slice of `text` (in bounds, on char boundaries).
fn assert_range(text: &str, range: Option<Range<usize>>, what: &str) {
    if let Some(range) = range {
        assert!(
            text.get(range.clone()).is_some(),
            "{what} {range:?} is not a slice of a {}-byte text",
            text.len()
        );
    }
}

/// A slug becomes a folder name in the output: it must not climb out of it.
fn assert_safe_slug(slug: &str) {
    assert!(
        !slug.is_empty()
            && slug != "."
            && slug != ".."
            && !slug.contains(['/', '\\', '\0'])
            && !slug.starts_with('.'),
        "unsafe slug {slug:?}"
    );
}

/// A body rendered as Markdown and as wire copy, with mention links at arbitrary
/// spans: no panic, and, in both `sanitize` and `escape` modes, nothing executable
/// in the result. Both formats render every input, because wire copy is rarely
/// reached otherwise: the fuzzer finds long Markdown far more easily.
pub fn markdown(text: &str, raw_spans: &[(u16, u8)], smart_punctuation: bool) {
    // Turn arbitrary numbers into sorted, non-overlapping spans on char
    // boundaries, as extraction promises them.
    let mut spans: Vec<(usize, usize)> = raw_spans
        .iter()
        .map(|&(s, l)| (usize::from(s) % (text.len() + 1), usize::from(l) % 16 + 1))
        .collect();
    spans.sort_unstable();
    let mut links = Vec::new();
    let mut last = 0;
    for (start, len) in spans {
        let end = (start + len).min(text.len());
        if start < last
            || start >= end
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        links.push(MentionLink {
            start,
            end,
            key: format!("k{}", start % 3),
            href: "/actors/x/".into(),
            class: "state",
        });
        last = end;
    }
    let mut urls = HashMap::new();
    urls.insert(
        "content/other.md".to_string(),
        "/briefings/other/".to_string(),
    );
    let anchors: Vec<usize> = links.iter().map(|l| l.start).collect();
    for (markdown, raw_html) in [
        (true, RawHtml::Sanitize),
        (true, RawHtml::Escape),
        (false, RawHtml::Sanitize),
        (false, RawHtml::Escape),
    ] {
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown,
            links: &links,
            anchors: &anchors,
            mode: LinkMentions::All,
            raw_html,
            smart_punctuation,
            source_path: "content/fuzz.md",
            content_urls: &urls,
        });
        if let Some(vector) = executable_vector(&html) {
            let format = if markdown { "Markdown" } else { "wire copy" };
            panic!("{format} in {raw_html:?} mode gives {vector}:\n{html}");
        }
    }
}

/// Tags that run code, load code or styles, or change where links go.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "svg", "math",
];

/// Attributes whose value is a URL the browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "srcset",
];

/// URL schemes that run a script when followed.
const SCRIPT_SCHEMES: &[&str] = &[
    "javascript:",
    "vbscript:",
    "data:text/html",
    "data:image/svg",
    "data:application",
];

/// The first thing in `html` that could run a script: a forbidden tag, an event
/// handler attribute (`on...`), or a URL attribute with a script scheme (after
/// entity decoding and the white space browsers ignore). A small tag scanner, not
/// an HTML parser: the renderer's output is well-formed, with `<` in text and
/// attribute values escaped, so every `<` followed by a letter opens a tag.
pub fn executable_vector(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let open = i + offset;
        let mut j = open + 1;
        if bytes.get(j) == Some(&b'/') {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if j == name_start || !bytes[name_start].is_ascii_alphabetic() {
            i = open + 1;
            continue;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Some(format!("a <{name}> tag at byte {open}"));
        }
        // Attributes, up to the end of the tag.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = "";
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[j + 1..]
                            .find(quote as char)
                            .map_or(html.len(), |e| j + 1 + e);
                        value = &html[j + 1..end];
                        j = (end + 1).min(html.len());
                    }
                    _ => {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>'
                        {
                            j += 1;
                        }
                        value = &html[start..j];
                    }
                }
            }
            if attr.starts_with("on") {
                return Some(format!(
                    "an event handler {attr}={value:?} in <{name}> at byte {open}"
                ));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let folded: String = decode_entities(value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if let Some(scheme) = SCRIPT_SCHEMES.iter().find(|s| folded.starts_with(**s)) {
                    return Some(format!(
                        "a {scheme} URL in {attr}={value:?} of <{name}> at byte {open}"
                    ));
                }
            }
        }
        i = j.max(open + 1);
    }
    None
}

/// Decodes the character references a browser decodes in an attribute value:
/// numeric ones (with or without `;`) and the named ones that can spell a scheme.
fn decode_entities(value: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("sol;", '/'),
        ("lpar;", '('),
        ("rpar;", ')'),
    ];
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16, 2),
                None => (num, 10, 1),
            };
            let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
            if len > 0 {
                let code = u32::from_str_radix(&digits[..len.min(8)], radix).ok();
                out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                let mut consumed = skip + len;
                if rest[consumed..].starts_with(';') {
                    consumed += 1;
                }
                rest = &rest[consumed..];
                continue;
            }
        } else {
            let lower = rest.get(..12).unwrap_or(rest).to_ascii_lowercase();
            if let Some((name, c)) = NAMED.iter().find(|(n, _)| lower.starts_with(n)) {
                out.push(*c);
                rest = &rest[name.len()..];
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}
