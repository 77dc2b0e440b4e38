//! schema.org JSON-LD for search engines and news aggregators.
//!
//! The documents are built as JSON values and serialised with every `<`, `>` and
//! `&` escaped as `\u003c` and so on, so a name like `</script><script>` can never
//! close the `<script type="application/ld+json">` element it sits in.

use serde_json::{Value, json};

use super::labels;
use super::pages::Links;
use crate::briefing::{ActorNode, PlaceNode};

/// Serialises `value` for use inside a `<script>` element.
pub fn to_script(value: &Value) -> String {
    let bytes = super::escape::json_for_markup(value, 1024, b"{}");
    String::from_utf8(bytes).unwrap_or_else(|_| "{}".into())
}

fn publisher(links: &Links) -> Value {
    json!({ "@type": "Organization", "name": links.config.title, "url": links.config.base_url })
}

/// The home page: a `WebSite`.
pub fn website(links: &Links) -> String {
    to_script(&json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": links.config.title,
        "description": links.config.description,
        "url": links.config.base_url,
        "inLanguage": links.config.language,
    }))
}

/// A briefing: a `NewsArticle` with its actors and places as `mentions`.
pub fn news_article(links: &Links, i: usize) -> String {
    let article = &links.briefing.articles[i];
    let extraction = &links.briefing.extractions[i];
    let mut mentions: Vec<Value> = extraction
        .actors
        .iter()
        .filter_map(|a| {
            let r = links.actor_refs.get(a.id.as_str())?;
            Some(json!({ "@type": labels::schema_type(a.kind), "name": r.name, "url": links.permalink(&r.url) }))
        })
        .collect();
    mentions.extend(extraction.places.iter().filter_map(|p| {
        let r = links.place_refs.get(p.id.as_str())?;
        Some(json!({ "@type": "Place", "name": r.name, "url": links.permalink(&r.url) }))
    }));
    let url = links.permalink(&links.briefing_refs[i].url);
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": links.config.language,
        "publisher": publisher(links),
        "mentions": mentions,
    });
    if let Some(date) = article.date {
        doc["datePublished"] = json!(date.format("%Y-%m-%d").to_string());
    }
    if let Some(summary) = &article.summary {
        doc["description"] = json!(summary);
    }
    if let Some(dateline) = &article.dateline {
        doc["dateline"] = json!(dateline);
    }
    if let Some(source) = &article.source {
        doc["author"] = json!({ "@type": "Organization", "name": source });
    }
    to_script(&doc)
}

/// An actor page: a `ProfilePage` about the actor.
pub fn actor(links: &Links, node: &ActorNode) -> String {
    let url = links.permalink(&format!("{}actors/{}/", links.base_path, node.id));
    let mut entity =
        json!({ "@type": labels::schema_type(node.kind), "name": node.name, "url": url });
    if !node.aliases.is_empty() {
        entity["alternateName"] = json!(node.aliases);
    }
    if let Some(role) = &node.role {
        entity["jobTitle"] = json!(role);
    }
    if let Some(q) = &node.wikidata {
        entity["sameAs"] = json!(format!("https://www.wikidata.org/wiki/{q}"));
    }
    to_script(&json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": entity,
    }))
}

/// A place page: a `WebPage` about a `Place`.
pub fn place(links: &Links, node: &PlaceNode) -> String {
    let url = links.permalink(&format!("{}places/{}/", links.base_path, node.id));
    to_script(&json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": url,
        "about": { "@type": "Place", "name": node.name },
    }))
}

/// Index pages: a `CollectionPage`.
pub fn collection(links: &Links, name: &str, url: &str) -> String {
    to_script(&json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": links.permalink(url),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakers_are_escaped() {
        let out = to_script(&json!({ "name": "</script><script>alert(1)</script> & co" }));
        assert!(
            !out.contains('<') && !out.contains('>') && !out.contains('&'),
            "{out}"
        );
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
