//! schema.org JSON-LD for search engines and news aggregators.
//!
//! The documents are built as JSON values and serialised with every `<`, `>` and
//! `&` escaped as `\u003c` and so on, so a name like `</script><script>` can never
//! close the `<script type="application/ld+json">` element it sits in.

use serde_json::json;

use super::labels;
use super::pages::Links;
use crate::briefing::{ActorNode, PlaceNode};

/// Serialises `value` for use inside a `<script>` element.
pub fn to_script(value: &impl serde::Serialize) -> String {
    let bytes = super::escape::json_for_markup(value, 1024, b"{}");
    String::from_utf8(bytes).unwrap_or_else(|_| "{}".into())
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
///
/// Written from borrowed fields rather than built as a JSON value: this is on
/// every briefing page, and a value tree of maps cost a quarter of the page's
/// context. The fields are in the order a JSON map sorts them, so the text is
/// the same as the value tree's.
pub fn news_article(links: &Links, i: usize) -> String {
    let article = &links.briefing.articles[i];
    let extraction = &links.briefing.extractions[i];
    let mut mentions: Vec<Named> = extraction
        .actors
        .iter()
        .filter_map(|a| {
            let r = links.actor_refs.get(a.id.as_str())?;
            Some(Named {
                kind: labels::schema_type(a.kind),
                name: &r.name,
                url: Some(links.permalink(&r.url)),
            })
        })
        .collect();
    mentions.extend(extraction.places.iter().filter_map(|p| {
        let r = links.place_refs.get(p.id.as_str())?;
        Some(Named {
            kind: "Place",
            name: &r.name,
            url: Some(links.permalink(&r.url)),
        })
    }));
    let url = links.permalink(&links.briefing_refs[i].url);
    let doc = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        author: article.source.as_deref().map(|source| Named {
            kind: "Organization",
            name: source,
            url: None,
        }),
        date_published: article.date.map(|date| date.format("%Y-%m-%d").to_string()),
        dateline: article.dateline.as_deref(),
        description: article.summary.as_deref(),
        headline: &article.title,
        in_language: &links.config.language,
        main_entity_of_page: &url,
        mentions,
        publisher: Named {
            kind: "Organization",
            name: &links.config.title,
            url: Some(links.config.base_url.clone()),
        },
        url: &url,
    };
    to_script(&doc)
}

/// schema.org's `NewsArticle`, its fields in sorted order (see [`news_article`]).
#[derive(serde::Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    mentions: Vec<Named<'a>>,
    publisher: Named<'a>,
    url: &'a str,
}

/// A thing with a schema.org type, a name and perhaps a URL.
#[derive(serde::Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
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
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
