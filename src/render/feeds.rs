//! Atom feeds, the sitemap and robots.txt: the files static hosts and feed readers
//! look for. Written directly (they are small, fixed formats), every value escaped.
//! Dates come from the briefings, never from the clock, so two builds of the same
//! content give the same bytes.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::KeyHasher;
use super::escape::escape_markup as escape;
use super::pages::Links;
use crate::briefing::ActorNode;

/// Actor feeds kept from one build to the next: actor id -> (key, bytes).
#[derive(Default)]
pub struct FeedMemo {
    kept: FxHashMap<String, (u64, Arc<Vec<u8>>)>,
}

/// Every actor's feed (`actors/<id>/atom.xml`), in actor order, reusing the
/// bytes of a feed whose inputs are unchanged: `settings` (every setting), the
/// actor's name, and the card, text and first mention of each listed briefing.
/// [`actor_feed`] is the reference for what a feed reads.
pub fn actor_feeds(
    links: &Links,
    settings: u64,
    memo: &mut FeedMemo,
) -> Vec<(String, Arc<Vec<u8>>)> {
    let b = links.briefing;
    let feeds: Vec<(String, u64, Arc<Vec<u8>>)> = b
        .actors
        .par_iter()
        .map(|node| {
            let mut h = KeyHasher::default();
            (settings, &node.id, &node.name).hash(&mut h);
            for a in node.appearances.iter().take(links.config.feed_limit) {
                let article = &b.articles[a.article];
                (links.card_hashes[a.article], article.hash, a.first_mention).hash(&mut h);
            }
            let key = h.finish();
            let bytes = match memo.kept.get(&node.id) {
                Some((old, bytes)) if *old == key => Arc::clone(bytes),
                _ => Arc::new(actor_feed(links, node).into_bytes()),
            };
            (node.id.clone(), key, bytes)
        })
        .collect();
    memo.kept = feeds
        .iter()
        .map(|(id, key, bytes)| (id.clone(), (*key, Arc::clone(bytes))))
        .collect();
    feeds
        .into_iter()
        .map(|(id, _, bytes)| (format!("actors/{id}/atom.xml"), bytes))
        .collect()
}

/// The Atom timestamp of briefing `i` (midnight UTC when only a date is known).
fn timestamp(links: &Links, i: usize) -> Option<String> {
    let article = &links.briefing.articles[i];
    if let Some(dt) = article.datetime {
        return Some(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    article
        .date
        .map(|d| d.format("%Y-%m-%dT00:00:00Z").to_string())
}

/// A fixed, documented fallback for feeds with no dated entry.
const EPOCH: &str = "1970-01-01T00:00:00Z";

struct FeedHead<'a> {
    title: &'a str,
    subtitle: &'a str,
    self_url: String,
    alternate: String,
}

fn open_feed(out: &mut String, links: &Links, head: &FeedHead, updated: &str) {
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
        escape(&links.config.language),
        escape(head.title)
    );
    if !head.subtitle.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", escape(head.subtitle));
    }
    let _ = write!(
        out,
        "<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{}</id>\n<updated>{}</updated>\n<generator version=\"{}\">dossier</generator>\n",
        escape(&head.self_url),
        escape(&head.alternate),
        escape(&head.self_url),
        updated,
        env!("CARGO_PKG_VERSION")
    );
}

fn entry(
    out: &mut String,
    links: &Links,
    i: usize,
    content_html: Option<&str>,
    extra_summary: Option<&str>,
) {
    let article = &links.briefing.articles[i];
    let r = &links.briefing_refs[i];
    let url = links.permalink(&r.url);
    let when = timestamp(links, i).unwrap_or_else(|| EPOCH.to_string());
    let author = article
        .source
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if links.config.author.is_empty() {
                links.config.title.clone()
            } else {
                links.config.author.clone()
            }
        });
    let _ = write!(
        out,
        "<entry>\n<title>{}</title>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{}</id>\n<published>{when}</published>\n<updated>{when}</updated>\n<author><name>{}</name></author>\n",
        escape(&article.title),
        escape(&url),
        escape(&url),
        escape(&author)
    );
    for actor in &r.actors {
        let _ = writeln!(
            out,
            "<category term=\"{}\" label=\"{}\"/>",
            escape(&actor.id),
            escape(&actor.name)
        );
    }
    let summary = match (extra_summary, article.summary.as_deref()) {
        (Some(s), _) => Some(s),
        (None, Some(s)) => Some(s),
        _ => None,
    };
    if let Some(summary) = summary {
        let _ = writeln!(out, "<summary type=\"text\">{}</summary>", escape(summary));
    }
    if let Some(html) = content_html {
        let _ = writeln!(out, "<content type=\"html\">{}</content>", escape(html));
    }
    out.push_str("</entry>\n");
}

/// `/atom.xml`: the latest briefings, with their full text.
pub fn site_feed(links: &Links, body: &dyn Fn(usize) -> std::sync::Arc<str>) -> String {
    let mut out = String::new();
    let count = links.briefing.articles.len().min(links.config.feed_limit);
    let updated = (0..links.briefing.articles.len())
        .find_map(|i| timestamp(links, i))
        .unwrap_or_else(|| EPOCH.to_string());
    open_feed(
        &mut out,
        links,
        &FeedHead {
            title: &links.config.title,
            subtitle: &links.config.description,
            self_url: format!("{}atom.xml", links.config.base_url),
            alternate: links.config.base_url.clone(),
        },
        &updated,
    );
    for i in 0..count {
        entry(&mut out, links, i, Some(&body(i)), None);
    }
    out.push_str("</feed>\n");
    out
}

/// `/actors/<id>/atom.xml`: the latest briefings that mention one actor, each with
/// the sentence of its first mention as the summary.
pub fn actor_feed(links: &Links, node: &ActorNode) -> String {
    let mut out = String::new();
    let me = format!("{}actors/{}/", links.config.base_url, node.id);
    let updated = node
        .appearances
        .iter()
        .find_map(|a| timestamp(links, a.article))
        .unwrap_or_else(|| EPOCH.to_string());
    let title = format!("{} · {}", node.name, links.config.title);
    let subtitle = format!("Briefings that mention {}", node.name);
    open_feed(
        &mut out,
        links,
        &FeedHead {
            title: &title,
            subtitle: &subtitle,
            self_url: format!("{me}atom.xml"),
            alternate: me,
        },
        &updated,
    );
    for appearance in node.appearances.iter().take(links.config.feed_limit) {
        let text = &links.briefing.articles[appearance.article].text;
        let range = crate::extract::sentence_at(text, appearance.first_mention);
        let sentence = super::pages::plain_text(&text[range]);
        entry(&mut out, links, appearance.article, None, Some(&sentence));
    }
    out.push_str("</feed>\n");
    out
}

/// `/sitemap.xml` for every HTML page (paths relative to the output directory).
pub fn sitemap(links: &Links, pages: &[(String, Option<String>)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        let url = format!(
            "{}{}",
            links.config.base_url,
            path.strip_suffix("index.html").unwrap_or(path)
        );
        let _ = write!(out, "<url><loc>{}</loc>", escape(&url));
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{date}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `/robots.txt`, pointing at the sitemap's absolute URL.
pub fn robots(links: &Links) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        links.config.base_url
    )
}
