//! The static search index, built in-process with Pagefind.
//!
//! Records come straight from data already in memory (title, plain text, and the
//! actor, kind and place filters from extraction), so no HTML is parsed again. The
//! index is a set of files under `/pagefind/` that the search page's script loads;
//! no server is needed.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::labels;
use super::pages::Links;
use super::{Page, RenderError};

/// One briefing's searchable record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    pub url: String,
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
}

/// The search records of every briefing.
pub fn records(links: &Links) -> Vec<Record> {
    let b = links.briefing;
    b.articles
        .iter()
        .zip(&b.extractions)
        .map(|(article, extraction)| {
            let body = &article.text[article.body_start..];
            let mut content = String::with_capacity(article.title.len() + body.len() + 2);
            content.push_str(&article.title);
            content.push_str(". ");
            content.push_str(&super::pages::plain_text_unbounded(body));
            let mut meta = BTreeMap::new();
            meta.insert("title".to_string(), article.title.clone());
            if let Some(date) = article.date {
                meta.insert("date".to_string(), labels::display_date(Some(date)));
            }
            if let Some(dateline) = &article.dateline {
                meta.insert("dateline".to_string(), dateline.clone());
            }
            let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let actors: Vec<String> = extraction
                .actors
                .iter()
                .filter_map(|a| links.actor_refs.get(a.id.as_str()).map(|r| r.name.clone()))
                .collect();
            let mut kinds: Vec<String> = extraction
                .actors
                .iter()
                .map(|a| labels::kind_label(a.kind).to_string())
                .collect();
            kinds.sort();
            kinds.dedup();
            let places: Vec<String> = extraction
                .places
                .iter()
                .filter_map(|p| links.place_refs.get(p.id.as_str()).map(|r| r.name.clone()))
                .collect();
            filters.insert("actor".into(), actors);
            filters.insert("kind".into(), kinds);
            filters.insert("place".into(), places);
            let mut sort = BTreeMap::new();
            sort.insert("date".to_string(), labels::iso_date(article.date));
            Record {
                url: format!("/briefings/{}/", article.slug),
                content,
                meta,
                filters,
                sort,
            }
        })
        .collect()
}

/// Builds the Pagefind index from `records`; the files go under `pagefind/`.
pub fn build_index(records: Vec<Record>, language: &str) -> Result<Vec<Page>, RenderError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RenderError::Search(e.to_string()))?;
    let language = language.split('-').next().unwrap_or("en").to_string();
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let mut index =
            PagefindIndex::new(Some(options)).map_err(|e| RenderError::Search(e.to_string()))?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    language.clone(),
                    Some(record.meta),
                    Some(record.filters),
                    Some(record.sort),
                )
                .await
                .map_err(|e| RenderError::Search(e.to_string()))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| RenderError::Search(e.to_string()))?;
        let mut pages: Vec<Page> = files
            .into_iter()
            .map(|f| {
                let rel = f.filename.to_string_lossy().replace('\\', "/");
                let rel = rel
                    .trim_start_matches("./")
                    .trim_start_matches('/')
                    .to_string();
                let path = if rel.starts_with("pagefind/") {
                    rel
                } else {
                    format!("pagefind/{rel}")
                };
                Page::new(path, f.contents)
            })
            .collect();
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(pages)
    })
}
