//! Stage 5, render: the site model into pages (path + bytes), through Tera.
//!
//! Rendering never touches the file system; it returns bytes for the output stage
//! to write. It is memoised: a page's bytes are reused when the hash of its inputs
//! (the templates it uses and the context it sees) is unchanged, and a briefing's
//! body HTML is reused when its text and links are unchanged. So an incremental
//! rebuild renders only what changed, and its output equals a clean build's.

pub mod context;
mod escape;
mod feeds;
mod graph;
mod jsonld;
pub mod labels;
pub mod markdown;
mod network;
pub mod pages;
mod search;
pub mod theme;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::briefing::Briefing;
use crate::config::Config;
use crate::content::{Format, Registry};
use crate::error::Location;
use context::{PageData, PageMeta, SiteCtx};
use markdown::{Body, MentionLink};
use pages::Links;
pub use theme::Theme;

/// One output file: its path relative to the output directory, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

impl Page {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Page {
        Page {
            path: path.into(),
            bytes: Arc::new(bytes.into()),
        }
    }
}

/// What can go wrong rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "{location}: {message}\n  what to do: fix the template (the default theme's files are listed in docs/templates.md)"
    )]
    Template { location: Location, message: String },
    #[error("{path}: {message}")]
    Theme { path: String, message: String },
    #[error(
        "search index: {0}\n  what to do: set [search] enabled = false in site.toml to build without search, and report this"
    )]
    Search(String),
}

/// Counts for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Pages rendered through templates in this build.
    pub rendered: usize,
    /// Pages whose inputs were unchanged and whose bytes were reused.
    pub reused: usize,
}

/// The render stage with its memo.
pub struct Renderer {
    tera: tera::Tera,
    theme: Theme,
    template_hashes: HashMap<String, u64>,
    bodies: HashMap<u64, Arc<str>>,
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
    search: Option<(u64, Vec<Page>)>,
}

/// Converts a Tera error into a report that names the template, line and column.
fn template_error(err: &tera::Error) -> RenderError {
    let report = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => RenderError::Template {
            location: Location {
                file: format!("templates/{}", r.filename()).into(),
                line: Some(r.span().start_line),
                column: Some(r.span().start_col + 1),
            },
            message: r.message().to_string(),
        },
        None => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            RenderError::Template {
                location: Location::file("templates/"),
                message,
            }
        }
    }
}

impl Renderer {
    /// Compiles the theme's templates once; every page of every build reuses them.
    pub fn new(theme: Theme) -> Result<Renderer, RenderError> {
        let mut tera = tera::Tera::new();
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| template_error(&e))?;
        let template_hashes = theme
            .templates
            .keys()
            .map(|name| (name.clone(), theme.template_closure_hash(name)))
            .collect();
        Ok(Renderer {
            tera,
            theme,
            template_hashes,
            bodies: HashMap::new(),
            pages: HashMap::new(),
            search: None,
        })
    }

    /// The same memo with a new theme: templates are compiled again, and pages are
    /// re-rendered only where a template they use changed.
    pub fn with_theme(self, theme: Theme) -> Result<Renderer, RenderError> {
        let mut fresh = Renderer::new(theme)?;
        fresh.bodies = self.bodies;
        fresh.pages = self.pages;
        fresh.search = self.search;
        Ok(fresh)
    }

    /// The theme this renderer was built from.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Renders the whole site. Pages come back sorted by path.
    pub fn render(
        &mut self,
        briefing: &Briefing,
        config: &Config,
        registry: &Registry,
    ) -> Result<(Vec<Page>, RenderStats), Vec<RenderError>> {
        let site = self.site_ctx(config, briefing);
        let links = Links::new(briefing, config, site);
        let bodies = self.bodies(&links);

        // The search index is built on its own thread while the pages render:
        // Pagefind indexes one record at a time, so overlapping it with the
        // (parallel) page rendering takes it off the critical path.
        let search_job = if config.search.enabled {
            let records = search::records(&links);
            let key = hash_of(&(&records, &config.language));
            match &self.search {
                Some((old, files)) if *old == key => Some((key, SearchJob::Ready(files.clone()))),
                _ => {
                    let language = config.language.clone();
                    let handle =
                        std::thread::spawn(move || search::build_index(records, &language));
                    Some((key, SearchJob::Running(handle)))
                }
            }
        } else {
            None
        };

        // Every page, as a cheap description; its context is built, hashed,
        // rendered (when changed) and dropped in one parallel step, so no more
        // than a few contexts exist at a time.
        let n_index = briefing.articles.len().div_ceil(config.paginate).max(1);
        let mut jobs: Vec<Job> = (1..=n_index).map(Job::Index).collect();
        jobs.extend((0..briefing.articles.len()).map(Job::Briefing));
        jobs.extend((0..briefing.actors.len()).map(Job::Actor));
        jobs.extend((0..briefing.places.len()).map(Job::Place));
        jobs.extend([Job::Actors, Job::Places]);
        if config.search.enabled {
            jobs.push(Job::Search);
        }
        jobs.push(Job::NotFound);
        let descriptions: HashMap<&str, String> = registry
            .files
            .iter()
            .filter(|f| !f.description.trim().is_empty())
            .map(|f| {
                (
                    f.entry.id.as_str(),
                    self.description_html(&f.description, config),
                )
            })
            .collect();
        let page_of = |job: &Job| -> Option<(String, PageMeta, PageData)> {
            Some(match *job {
                Job::Index(number) => {
                    let path = if number == 1 {
                        "index.html".to_string()
                    } else {
                        format!("page/{number}/index.html")
                    };
                    let (meta, data) = links.index_page(number, n_index);
                    (path, meta, data)
                }
                Job::Briefing(i) => {
                    let (meta, data) = links.briefing_page(i, Arc::clone(&bodies[i]));
                    (
                        format!("briefings/{}/index.html", briefing.articles[i].slug),
                        meta,
                        data,
                    )
                }
                Job::Actor(i) => {
                    let a = &briefing.actors[i];
                    let description = descriptions.get(a.id.as_str()).cloned().unwrap_or_default();
                    let (meta, data) = links.actor_page(&a.id, description)?;
                    (format!("actors/{}/index.html", a.id), meta, data)
                }
                Job::Place(i) => {
                    let p = &briefing.places[i];
                    let (meta, data) = links.place_page(&p.id)?;
                    (format!("places/{}/index.html", p.id), meta, data)
                }
                Job::Actors => {
                    let (meta, data) = links.actors_page();
                    ("actors/index.html".into(), meta, data)
                }
                Job::Places => {
                    let (meta, data) = links.places_page();
                    ("places/index.html".into(), meta, data)
                }
                Job::Search => {
                    let (meta, data) = links.search_page();
                    ("search/index.html".into(), meta, data)
                }
                Job::NotFound => {
                    let (meta, data) = links.not_found_page();
                    ("404.html".into(), meta, data)
                }
            })
        };

        // Render what changed, reuse the rest.
        let site_hash = hash_of(&(&links.site, &links.nav));
        let cache = &self.pages;
        let tera = &self.tera;
        let template_hashes = &self.template_hashes;
        let results: Vec<Result<RenderedPage, RenderError>> = jobs
            .par_iter()
            .filter_map(page_of)
            .map(|(path, meta, data)| {
                let template = data.template();
                let mut hasher = Xxh3::new();
                template_hashes.get(template).hash(&mut hasher);
                site_hash.hash(&mut hasher);
                meta.hash(&mut hasher);
                data.hash(&mut hasher);
                let fingerprint = hasher.finish();
                if let Some((old, bytes)) = cache.get(&path)
                    && *old == fingerprint
                {
                    return Ok((path, fingerprint, Arc::clone(bytes), false));
                }
                let mut ctx = tera::Context::new();
                ctx.insert("site", &links.site);
                ctx.insert("nav", &links.nav);
                ctx.insert("page", &meta);
                data.insert_into(&mut ctx);
                let html = tera
                    .render(template, &ctx)
                    .map_err(|e| template_error(&e))?;
                Ok((path, fingerprint, Arc::new(html.into_bytes()), true))
            })
            .collect();
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(results.len() + briefing.actors.len() + 16);
        let mut next_cache = HashMap::with_capacity(results.len());
        let mut stats = RenderStats::default();
        for result in results {
            match result {
                Ok((path, fingerprint, bytes, rendered)) => {
                    if rendered {
                        stats.rendered += 1;
                    } else {
                        stats.reused += 1;
                    }
                    next_cache.insert(path.clone(), (fingerprint, Arc::clone(&bytes)));
                    out.push(Page { path, bytes });
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            // Keep only the first error per template: one broken template breaks every page.
            let mut seen = std::collections::HashSet::new();
            errors.retain(|e| seen.insert(e.to_string()));
            return Err(errors);
        }
        self.pages = next_cache;

        // Files that are not templates.
        // The sitemap: every HTML page, briefings with their date as lastmod.
        let lastmod: HashMap<String, String> = briefing
            .articles
            .iter()
            .filter_map(|a| {
                Some((
                    format!("briefings/{}/index.html", a.slug),
                    a.date?.format("%Y-%m-%d").to_string(),
                ))
            })
            .collect();
        let mut html_pages: Vec<(String, Option<String>)> = out
            .iter()
            .filter(|p| p.path.ends_with("index.html"))
            .map(|p| (p.path.clone(), lastmod.get(&p.path).cloned()))
            .collect();
        html_pages.sort();
        out.push(Page::new("atom.xml", feeds::site_feed(&links, &bodies)));
        out.par_extend(briefing.actors.par_iter().map(|a| {
            Page::new(
                format!("actors/{}/atom.xml", a.id),
                feeds::actor_feed(&links, a),
            )
        }));
        out.push(Page::new(
            "sitemap.xml",
            feeds::sitemap(&links, &html_pages),
        ));
        out.push(Page::new("robots.txt", feeds::robots(&links)));
        out.push(Page::new("graph.json", graph::graph_json(&links)));
        for (name, bytes) in &self.theme.statics {
            out.push(Page::new(name.clone(), bytes.clone()));
        }
        if let Some((key, job)) = search_job {
            let files = match job {
                SearchJob::Ready(files) => files,
                SearchJob::Running(handle) => {
                    let files = handle
                        .join()
                        .map_err(|_| {
                            vec![RenderError::Search(
                                "the indexer stopped unexpectedly".into(),
                            )]
                        })?
                        .map_err(|e| vec![e])?;
                    self.search = Some((key, files.clone()));
                    files
                }
            };
            out.extend(files);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((out, stats))
    }

    /// `site`, with cache-busting URLs for the theme's static files.
    fn site_ctx(&self, config: &Config, briefing: &Briefing) -> SiteCtx {
        let base = config.base_path();
        let versioned =
            |name: &str| format!("{base}{name}?v={:08x}", self.theme.static_hash(name) as u32);
        let year = briefing
            .articles
            .iter()
            .find_map(|a| a.date)
            .map(|d| d.format("%Y").to_string())
            .unwrap_or_default();
        SiteCtx {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            base_path: base.to_string(),
            language: config.language.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            year,
            css_url: versioned("style.css"),
            js_url: versioned("dossier.js"),
            favicon_url: versioned("favicon.svg"),
        }
    }

    /// Registry introductions: Markdown, no mention links.
    fn description_html(&self, markdown_text: &str, config: &Config) -> String {
        let no_links = HashMap::new();
        markdown::render(&Body {
            text: markdown_text,
            range: 0..markdown_text.len(),
            markdown: true,
            links: &[],
            anchors: &[],
            mode: config.link_mentions,
            raw_html: config.markdown.raw_html,
            smart_punctuation: config.markdown.smart_punctuation,
            source_path: "",
            content_urls: &no_links,
        })
    }

    /// Every briefing's body HTML, reusing the memo when text and links are unchanged.
    fn bodies(&mut self, links: &Links) -> Vec<Arc<str>> {
        let config = links.config;
        let briefing = links.briefing;
        let content_urls: HashMap<String, String> = briefing
            .articles
            .iter()
            .zip(&links.briefing_refs)
            .map(|(a, r)| (a.path.clone(), r.url.clone()))
            .collect();
        // Only bodies that may link to other content files depend on this map.
        let urls_hash = {
            let mut pairs: Vec<(&String, &String)> = content_urls.iter().collect();
            pairs.sort();
            hash_of(&pairs)
        };
        let inputs: Vec<(u64, Vec<MentionLink>, Vec<usize>)> = (0..briefing.articles.len())
            .into_par_iter()
            .map(|i| {
                let (mention_links, anchors) = body_links(links, i);
                let text = &briefing.articles[i].text;
                let may_link_content = text.contains(".md") || text.contains(".txt");
                let key = hash_of(&(
                    briefing.articles[i].hash,
                    body_range(&briefing.articles[i]),
                    briefing.articles[i].format == Format::Markdown,
                    &briefing.articles[i].path,
                    may_link_content.then_some(urls_hash),
                    &mention_links,
                    &anchors,
                    config.link_mentions,
                    config.markdown.raw_html,
                    config.markdown.smart_punctuation,
                ));
                (key, mention_links, anchors)
            })
            .collect();
        let memo = &self.bodies;
        let bodies: Vec<Arc<str>> = inputs
            .par_iter()
            .enumerate()
            .map(|(i, (key, mention_links, anchors))| {
                if let Some(html) = memo.get(key) {
                    return Arc::clone(html);
                }
                let article = &briefing.articles[i];
                let start = body_range(article);
                Arc::from(markdown::render(&Body {
                    text: &article.text,
                    range: start..article.text.len(),
                    markdown: article.format == Format::Markdown,
                    links: mention_links,
                    anchors,
                    mode: config.link_mentions,
                    raw_html: config.markdown.raw_html,
                    smart_punctuation: config.markdown.smart_punctuation,
                    source_path: &article.path,
                    content_urls: &content_urls,
                }))
            })
            .collect();
        self.bodies = inputs
            .iter()
            .map(|(k, _, _)| *k)
            .zip(bodies.iter().cloned())
            .collect();
        bodies
    }
}

/// Where the rendered body of an article starts: after the front matter, and for
/// wire copy after the headline (which is the title, not repeated).
fn body_range(article: &crate::content::Article) -> usize {
    match (&article.format, &article.headline) {
        (Format::Wire, Some(h)) => h.end,
        _ => article.body_start,
    }
}

/// The mention links and sentence anchors of briefing `i`.
fn body_links(links: &Links, i: usize) -> (Vec<MentionLink>, Vec<usize>) {
    let briefing = links.briefing;
    let text = &briefing.articles[i].text;
    let extraction = &briefing.extractions[i];
    let mut out: Vec<MentionLink> = Vec::new();
    let mut anchors: Vec<usize> = Vec::new();
    for actor in &extraction.actors {
        let Some(r) = links.actor_refs.get(actor.id.as_str()) else {
            continue;
        };
        for m in &actor.mentions {
            out.push(MentionLink {
                start: m.start,
                end: m.end,
                key: actor.id.clone(),
                href: r.url.clone(),
                class: r.kind,
            });
        }
        if let Some(first) = actor.mentions.first() {
            anchors.push(crate::extract::sentence_at(text, first.start).start);
        }
    }
    for place in &extraction.places {
        let Some(r) = links.place_refs.get(place.id.as_str()) else {
            continue;
        };
        for m in &place.mentions {
            out.push(MentionLink {
                start: m.start,
                end: m.end,
                key: format!("place:{}", place.id),
                href: r.url.clone(),
                class: "place",
            });
        }
        if let Some(first) = place.mentions.first() {
            anchors.push(crate::extract::sentence_at(text, first.start).start);
        }
    }
    anchors.extend(extraction.statements.iter().map(|s| s.start));
    anchors.extend(extraction.relations.iter().map(|r| r.start));
    anchors.sort_unstable();
    anchors.dedup();
    // Sorted, and never overlapping (a defensive pass: extraction promises it).
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| b.end.cmp(&a.end)));
    let mut last_end = 0;
    out.retain(|m| {
        let ok = m.start >= last_end
            && m.end > m.start
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
            && m.end <= text.len();
        if ok {
            last_end = m.end;
        }
        ok
    });
    (out, anchors)
}

/// The search index of this build: reused from the memo, or being built.
enum SearchJob {
    Ready(Vec<Page>),
    Running(std::thread::JoinHandle<Result<Vec<Page>, RenderError>>),
}

/// One page to produce, described cheaply; its context is built on demand.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// Home page number (1-based).
    Index(usize),
    /// Briefing by index.
    Briefing(usize),
    /// Actor by index.
    Actor(usize),
    /// Place by index.
    Place(usize),
    Actors,
    Places,
    Search,
    NotFound,
}

/// A page after the render step: path, input fingerprint, bytes, and whether it
/// was rendered now (`true`) or reused from the memo.
type RenderedPage = (String, u64, Arc<Vec<u8>>, bool);

/// A stable hash of any hashable value.
pub fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = Xxh3::new();
    value.hash(&mut hasher);
    hasher.finish()
}
