//! `dossier check`: everything a build would complain about, and more, without
//! writing anything: content warnings, links that point nowhere, extraction
//! candidates not yet in the registry, and aliases that name two actors.

use std::collections::{BTreeMap, HashSet};

use crate::site::Built;

/// One finding of `dossier check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DanglingLink {
    /// The page (output path) that links.
    pub page: String,
    /// The link as written.
    pub href: String,
}

/// Every internal link (`href`/`src` starting with the site's base path) in the
/// HTML pages that does not resolve to a produced file.
pub fn dangling_links(built: &Built) -> Vec<DanglingLink> {
    let base_path = built.config.base_path();
    let files: HashSet<&str> = built.pages.iter().map(|p| p.path.as_str()).collect();
    let mut out = Vec::new();
    for page in built.pages.iter().filter(|p| p.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&page.bytes);
        for href in links_in(&html) {
            let Some(rel) = resolve(&href, base_path, &page.path) else {
                continue;
            };
            let target = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.clone()
            };
            if !files.contains(target.as_str())
                && !files.contains(format!("{rel}/index.html").as_str())
            {
                out.push(DanglingLink {
                    page: page.path.clone(),
                    href,
                });
            }
        }
    }
    // Pages come in no particular order; the report is by page.
    out.sort_by(|a, b| a.page.cmp(&b.page));
    out
}

/// The values of `href="…"` and `src="…"` attributes of the tags in `html`
/// (entities `&amp;` decoded). Text between tags is skipped, so markup shown as
/// code (`&lt;a href="…"&gt;`) is not taken for a link.
pub fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag_and_after = &rest[open..];
        let close = tag_and_after.find('>').unwrap_or(tag_and_after.len());
        let tag = &tag_and_after[..close];
        for attr in [" href=\"", " src=\""] {
            let mut search = tag;
            while let Some(i) = search.find(attr) {
                let value = &search[i + attr.len()..];
                let end = value.find('"').unwrap_or(value.len());
                out.push(value[..end].replace("&amp;", "&"));
                search = &value[end..];
            }
        }
        rest = &tag_and_after[close..];
        // Skip the contents of script and style elements.
        for raw in ["<script", "<style"] {
            if tag.starts_with(raw) {
                let end_tag = format!("</{}", &raw[1..]);
                rest = rest.find(&end_tag).map_or("", |i| &rest[i..]);
            }
        }
    }
    out
}

/// The output path an internal link points at, or `None` for external links,
/// anchors, and other schemes.
fn resolve(href: &str, base_path: &str, from_page: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty()
        || href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("data:")
        || href.starts_with("//")
    {
        return None;
    }
    if let Some(abs) = href.strip_prefix('/') {
        let base = base_path.trim_start_matches('/');
        // A path outside the base path can never be a file of this site.
        return Some(match abs.strip_prefix(base) {
            Some(rel) => rel.to_string(),
            None => format!("\u{0}outside-base/{abs}"),
        });
    }
    // Relative to the page's folder.
    let mut parts: Vec<&str> = from_page.split('/').collect();
    parts.pop();
    for segment in href.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if href.ends_with('/') {
        joined.push('/');
    }
    Some(joined)
}

/// Candidates (capitalised names that matched nothing) across all briefings, with
/// how many briefings name each, most frequent first.
pub fn candidates(built: &Built) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for extraction in &built.briefing.extractions {
        let mut seen = HashSet::new();
        for candidate in &extraction.candidates {
            if seen.insert(candidate.text.clone()) {
                *counts.entry(candidate.text.clone()).or_default() += 1;
            }
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links() {
        assert_eq!(
            resolve("/briefs/actors/x/", "/briefs/", "index.html").as_deref(),
            Some("actors/x/")
        );
        assert_eq!(resolve("https://x.org/", "/", "index.html"), None);
        assert_eq!(resolve("#top", "/", "index.html"), None);
        assert_eq!(
            resolve("../y/", "/", "briefings/x/index.html").as_deref(),
            Some("briefings/y/")
        );
        assert!(
            resolve("/elsewhere/", "/briefs/", "index.html")
                .unwrap()
                .starts_with('\u{0}')
        );
    }

    #[test]
    fn finds_links() {
        assert_eq!(
            links_in("<a href=\"/a?x=1&amp;y=2\">x</a><img src=\"/i.png\">"),
            vec!["/a?x=1&y=2", "/i.png"]
        );
        assert!(links_in("<code>&lt;a href=\"/shown/\"&gt;</code> text href=\"/no/\"").is_empty());
        assert_eq!(
            links_in("<script>var a = '<a href=\"/x/\">';</script><a href=\"/y/\">"),
            vec!["/y/"]
        );
    }
}
