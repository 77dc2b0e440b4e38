//! Markdown to HTML with mention links inserted, on any text and any link spans.
#![no_main]

use dossier::config::{LinkMentions, RawHtml};
use dossier::render::markdown::{Body, MentionLink, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Vec<(u16, u8)>, bool)| {
    let (text, raw_spans, markdown) = input;
    // Turn arbitrary numbers into sorted, non-overlapping spans on char boundaries,
    // as extraction promises them.
    let mut links = Vec::new();
    let mut last = 0usize;
    let mut spans: Vec<(usize, usize)> = raw_spans
        .iter()
        .map(|&(s, l)| (s as usize % (text.len() + 1), l as usize % 16 + 1))
        .collect();
    spans.sort();
    for (start, len) in spans {
        let end = (start + len).min(text.len());
        if start < last || start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        links.push(MentionLink { start, end, key: format!("k{}", start % 3), href: "/actors/x/".into(), class: "state" });
        last = end;
    }
    let mut urls = std::collections::HashMap::new();
    urls.insert("content/other.md".to_string(), "/briefings/other/".to_string());
    let anchors: Vec<usize> = links.iter().map(|l| l.start).collect();
    for raw_html in [RawHtml::Sanitize, RawHtml::Escape] {
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown,
            links: &links,
            anchors: &anchors,
            mode: LinkMentions::All,
            raw_html,
            smart_punctuation: true,
            source_path: "content/fuzz.md",
            content_urls: &urls,
        });
        if raw_html == RawHtml::Escape {
            assert!(!html.contains("<script"));
        }
    }
});
