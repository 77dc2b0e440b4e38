//! Stage 5, render: the site model into pages (path + bytes), through Tera.
//!
//! Rendering never touches the file system; it returns bytes for the output stage
//! to write. It is memoised: a page's bytes are reused when the hash of its inputs
//! (the templates it uses and the context it sees) is unchanged, and a briefing's
//! body HTML is reused when its text and links are unchanged. So an incremental
//! rebuild renders only what changed, and its output equals a clean build's.

mod bytes;
pub mod context;
mod escape;
mod feeds;
mod graph;
mod jsonld;
mod keys;
pub mod labels;
pub mod markdown;
mod network;
pub mod pages;
mod search;
pub mod theme;
mod value;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use value::ToValue;
use xxhash_rust::xxh3::Xxh3;

use crate::briefing::{Briefing, SameBriefing};
use crate::config::Config;
use crate::content::{Format, Registry};
use crate::error::Location;
use crate::memo::Swept;
pub use bytes::{Bytes, Piece, SharedPiece};
use context::{PageData, PageMeta, SiteCtx};
use keys::{
    BriefingKeys, NodeHashes, body_key, briefing_path, index_page_deps, index_path, node_page_deps,
};
use markdown::{Body, MentionLink};
use pages::Links;
pub use theme::Theme;

/// One output file: its path relative to the output directory, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub bytes: Bytes,
}

impl Page {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Page {
        Page {
            path: path.into(),
            bytes: Bytes::from(bytes.into()),
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
}

/// Counts for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Pages rendered through templates in this build.
    pub rendered: usize,
    /// Pages whose bytes were reused: their inputs were unchanged, or their
    /// context came out the same (see `rechecked`).
    pub reused: usize,
    /// Of the reused pages, those whose input key had changed, so their
    /// context was built and compared: cheaper than rendering, dearer than a
    /// key. Few after a small edit.
    pub rechecked: usize,
}

/// The render stage with its memo.
pub struct Renderer {
    tera: tera::Tera,
    theme: Theme,
    template_hashes: HashMap<String, u64>,
    /// What the last build made, for the next one to reuse.
    memo: Memos,
}

/// The render stage's memos. A build that keeps nothing ([`Memo::Drop`])
/// leaves them empty; a new theme keeps them (see [`Renderer::with_theme`]).
#[derive(Default)]
struct Memos {
    /// Body HTML by body key (see [`Renderer::bodies`]).
    bodies: FxHashMap<u64, Arc<str>>,
    /// Body keys, with the link globals they were computed under.
    body_keys: (u64, SameBriefing<u64>),
    /// Each briefing's file path and page URL, hashed, with the base path.
    url_pairs: (u64, SameBriefing<u64>),
    /// Briefing page keys and what they were made from.
    briefing_keys: BriefingKeys,
    /// Actor and place nodes, hashed.
    node_hashes: NodeHashes,
    /// Briefing pages by briefing, with their input keys, and the slug
    /// positions of the build that made them: a briefing read or extracted
    /// again is not the same briefing, but its page may well be the same.
    briefing_pages: (SameBriefing<KeptBriefing>, Arc<FxHashMap<String, usize>>),
    /// Actor, place and home pages: path -> (input key, page).
    node_pages: FxHashMap<String, (u64, KeptPage)>,
    cards: pages::CardMemo,
    feeds: feeds::FeedMemo,
    /// `sitemap.xml` with the key of what it was made from.
    sitemap: (u64, Arc<Vec<u8>>),
    graph: graph::GraphMemo,
    /// The pages without an input key (the actor and place indexes, search,
    /// 404) by path: the fingerprint of the page's whole context and
    /// template, and its bytes.
    pages: Swept<String, KeptPage>,
    search: search::Indexer,
}

/// A page's fingerprint and bytes kept for the next build.
type KeptPage = (u64, Arc<Vec<u8>>);

/// A briefing's page as the last build left it: the key of its inputs and,
/// when that build kept its pages, the page. Kept by briefing rather than by
/// path, so an edit finds the ten thousand unchanged pages by position, with
/// no path to format and look up for each.
#[derive(Default)]
struct KeptBriefing {
    deps: u64,
    page: Option<(Arc<str>, KeptPage)>,
}

/// The kept bytes of a page whose fingerprint is still `fingerprint`.
fn reuse(kept: Option<&KeptPage>, fingerprint: u64) -> Option<Arc<Vec<u8>>> {
    kept.filter(|(old, _)| *old == fingerprint)
        .map(|(_, bytes)| Arc::clone(bytes))
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
            memo: Memos::default(),
        })
    }

    /// The same memo with a new theme: templates are compiled again, and pages are
    /// re-rendered only where a template they use changed.
    pub fn with_theme(self, theme: Theme) -> Result<Renderer, RenderError> {
        let mut fresh = Renderer::new(theme)?;
        fresh.memo = self.memo;
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
        let mut keep = |pages| Ok::<_, std::convert::Infallible>(pages);
        let (mut pages, stats) = self
            .render_with(briefing, config, registry, Memo::Keep, &mut keep)
            .map_err(|e| match e {
                Interrupted::Render(errors) => errors,
                Interrupted::Sink(never) => match never {},
            })?;
        pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok((pages, stats))
    }

    /// Renders the whole site, handing the templated pages to `sink` in batches
    /// as they are done; the pages `sink` returns (for a build that writes each
    /// batch at once: the same pages with their bytes dropped) are in the result,
    /// with the files that are not templates (feeds, sitemap, graph, search
    /// index, static files), in no particular order: the output and the dev
    /// server look pages up by path, and sorting ten thousand paths on every
    /// rebuild would be for nothing. With [`Memo::Drop`] nothing is kept
    /// for the next build: a one-shot build then never holds the whole site.
    pub fn render_with<E>(
        &mut self,
        briefing: &Briefing,
        config: &Config,
        registry: &Registry,
        memo: Memo,
        sink: &mut dyn FnMut(Vec<Page>) -> Result<Vec<Page>, E>,
    ) -> Result<(Vec<Page>, RenderStats), Interrupted<E>> {
        self.memo.pages.begin();
        let site = self.site_ctx(config, briefing);
        let links = Links::reusing(briefing, config, site, &self.memo.cards);
        // A build that keeps its pages keeps their bodies, by a key of their
        // inputs. One that keeps nothing makes each body where its page is
        // made: no key, and never every body in memory at once.
        let body_keys = match memo {
            Memo::Keep => self.bodies(&links),
            Memo::Drop => Vec::new(),
        };
        let content_urls = LazyContentUrls::new(&links);
        let body = |i: usize| -> Arc<str> {
            match memo {
                Memo::Keep => self
                    .memo
                    .bodies
                    .get(&body_keys[i])
                    .map(Arc::clone)
                    .expect("the body of every key is made before any page"),
                Memo::Drop => Arc::from(render_body(&links, &content_urls, i)),
            }
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
                    let (meta, data) = links.index_page(number, n_index);
                    (index_path(number), meta, data)
                }
                Job::Briefing(i) => {
                    let (meta, data) = links.briefing_page(i, body(i));
                    (briefing_path(&briefing.articles[i].slug), meta, data)
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
        // What every page key starts from: the site, the navigation and every
        // setting.
        let settings = hash_of(&(site_hash, serde_json::to_vec(config).unwrap_or_default()));
        let cache = &self.memo.pages;
        let tera = &self.tera;
        let template_hashes = &self.template_hashes;
        // The input keys of briefing, actor, place and home pages, to find the
        // pages that can be kept. A build that keeps nothing has nothing to
        // find and skips them.
        let (briefing_deps, actor_deps, place_deps, index_deps) = if memo == Memo::Keep {
            let parts = keys::Parts::new(&links);
            let briefing_deps = self.memo.briefing_keys.update(
                &links,
                &parts,
                &body_keys,
                settings,
                template_hashes,
                true,
            );
            let nodes = self.memo.node_hashes.update(briefing, true);
            let (actor_deps, place_deps) = node_page_deps(
                &links,
                &parts,
                &nodes,
                registry.hash(),
                settings,
                template_hashes,
            );
            let index_deps = index_page_deps(&links, &parts, n_index, settings, template_hashes);
            (briefing_deps, actor_deps, place_deps, index_deps)
        } else {
            Default::default()
        };
        let (kept, kept_slugs) = &self.memo.briefing_pages;
        let kept_nodes = &self.memo.node_pages;
        // The path and input key of an actor, place or home page.
        let node_path = |job: &Job| match *job {
            Job::Actor(i) => Some(format!("actors/{}/index.html", briefing.actors[i].id)),
            Job::Place(i) => Some(format!("places/{}/index.html", briefing.places[i].id)),
            Job::Index(n) => Some(index_path(n)),
            _ => None,
        };
        let node_deps = |job: &Job| match *job {
            Job::Actor(i) => actor_deps.get(i).copied(),
            Job::Place(i) => place_deps.get(i).copied(),
            Job::Index(n) => index_deps.get(n - 1).copied(),
            _ => None,
        };
        // With each page, for a briefing page kept as it was, its kept path.
        let render_job = |job: &Job| -> Option<JobResult> {
            // A briefing page whose inputs are the same values as last time
            // keeps its bytes without its context being built: an edit then
            // costs one page, not ten thousand contexts.
            let kept_briefing = match *job {
                Job::Briefing(i) => kept.get(briefing, i),
                _ => None,
            };
            if let (Job::Briefing(i), Some(k)) = (*job, kept_briefing)
                && briefing_deps.get(i) == Some(&k.deps)
                && let Some((path, (fingerprint, bytes))) = &k.page
            {
                let page = (
                    path.to_string(),
                    *fingerprint,
                    Arc::clone(bytes),
                    Fate::Kept,
                );
                return Some((Ok(page), Some(Arc::clone(path))));
            }
            // Actor, place and home pages likewise, on a key of everything
            // they read.
            if let Some(deps) = node_deps(job)
                && let Some(path) = node_path(job)
                && let Some((kept_deps, (fingerprint, bytes))) = kept_nodes.get(&path)
                && *kept_deps == deps
            {
                let page = (path, *fingerprint, Arc::clone(bytes), Fate::Kept);
                return Some((Ok(page), None));
            }
            let (path, meta, data) = page_of(job)?;
            let last = match *job {
                Job::Briefing(i) => kept_briefing
                    .or_else(|| kept.at(*kept_slugs.get(&briefing.articles[i].slug)?))
                    .and_then(|k| k.page.as_ref())
                    .filter(|(kept_path, _)| **kept_path == path)
                    .map(|(_, page)| page),
                Job::Actor(_) | Job::Place(_) | Job::Index(_) => {
                    kept_nodes.get(&path).map(|(_, page)| page)
                }
                _ => cache.get(&path),
            };
            let page = render_page(
                memo,
                tera,
                template_hashes,
                &links,
                site_hash,
                last,
                path,
                meta,
                data,
            );
            Some((page, None))
        };

        // Render in batches; each batch goes to `sink` before the next starts, so
        // a sink that writes the pages and drops their bytes keeps only one batch
        // in memory.
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(jobs.len() + briefing.actors.len() + 16);
        // For the next build: the pages without a key that were rendered (the
        // others are marked in `self.memo.pages` already), every briefing page, and
        // every actor, place and home page.
        let mut rendered = Vec::new();
        let mut briefing_kept: Vec<Option<(Arc<str>, KeptPage)>> =
            vec![None; briefing.articles.len()];
        let mut node_pages = FxHashMap::default();
        let mut stats = RenderStats::default();
        // A build that keeps its pages holds every page's bytes in the memo
        // anyway: it renders in one batch, and the cores are not stopped and
        // woken between batches.
        let batch_size = match memo {
            Memo::Keep => jobs.len().max(1),
            Memo::Drop => BATCH,
        };
        for batch in jobs.chunks(batch_size) {
            let results: Vec<_> = batch
                .par_iter()
                .filter_map(|job| {
                    let (result, kept_path) = render_job(job)?;
                    Some((job, result, kept_path))
                })
                .collect();
            let mut pages = Vec::with_capacity(results.len());
            for (job, result, kept_path) in results {
                match result {
                    Ok((path, fingerprint, bytes, fate)) => {
                        match fate {
                            Fate::Rendered => stats.rendered += 1,
                            Fate::Rechecked => {
                                stats.reused += 1;
                                stats.rechecked += 1;
                            }
                            Fate::Kept => stats.reused += 1,
                        }
                        if memo == Memo::Keep {
                            match *job {
                                Job::Briefing(i) => {
                                    let path =
                                        kept_path.unwrap_or_else(|| Arc::from(path.as_str()));
                                    briefing_kept[i] =
                                        Some((path, (fingerprint, Arc::clone(&bytes))));
                                }
                                Job::Actor(_) | Job::Place(_) | Job::Index(_) => {
                                    if let Some(deps) = node_deps(job) {
                                        let page = (fingerprint, Arc::clone(&bytes));
                                        node_pages.insert(path.clone(), (deps, page));
                                    }
                                }
                                _ if fate == Fate::Rendered => {
                                    rendered.push((path.clone(), fingerprint, Arc::clone(&bytes)));
                                }
                                _ => {}
                            }
                        }
                        pages.push(Page {
                            path,
                            bytes: bytes.into(),
                        });
                    }
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                // Keep only the first error per template: one broken template breaks every page.
                let mut seen = std::collections::HashSet::new();
                errors.retain(|e| seen.insert(e.to_string()));
                return Err(Interrupted::Render(errors));
            }
            out.extend(sink(pages).map_err(Interrupted::Sink)?);
        }
        for (path, fingerprint, bytes) in rendered {
            self.memo.pages.insert(path, (fingerprint, bytes));
        }
        self.memo.pages.sweep();
        if memo == Memo::Keep {
            let briefing_pages = SameBriefing::new(
                briefing,
                briefing_deps
                    .iter()
                    .zip(briefing_kept)
                    .map(|(&deps, page)| KeptBriefing { deps, page }),
            );
            self.memo.briefing_pages = (briefing_pages, Arc::clone(briefing.slug_positions()));
            self.memo.node_pages = node_pages;
            self.memo.cards = pages::CardMemo::keep(&links);
        }

        // Files that are not templates.
        // The sitemap: every HTML page, briefings with their date as lastmod.
        // Made again only when the pages or a briefing card (slug, date) changed.
        let sitemap_key = {
            let mut h = KeyHasher::default();
            settings.hash(&mut h);
            for page in &out {
                page.path.hash(&mut h);
            }
            links.card_hashes.hash(&mut h);
            h.finish()
        };
        if self.memo.sitemap.0 != sitemap_key || self.memo.sitemap.1.is_empty() {
            let lastmod: HashMap<String, String> = briefing
                .articles
                .iter()
                .filter_map(|a| {
                    Some((
                        briefing_path(&a.slug),
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
            let bytes = feeds::sitemap(&links, &html_pages).into_bytes();
            self.memo.sitemap = (sitemap_key, Arc::new(bytes));
        }
        out.push(Page::new("atom.xml", feeds::site_feed(&links, &body)));
        out.extend(
            feeds::actor_feeds(&links, settings, &mut self.memo.feeds)
                .into_iter()
                .map(|(path, bytes)| Page {
                    path,
                    bytes: bytes.into(),
                }),
        );
        out.push(Page {
            path: "sitemap.xml".into(),
            bytes: Arc::clone(&self.memo.sitemap.1).into(),
        });
        out.push(Page::new("robots.txt", feeds::robots(&links)));
        // graph.json is mostly one large copy: it runs beside the search index.
        let (graph, search) = rayon::join(
            || graph::graph_json(&links, &mut self.memo.graph),
            || {
                config
                    .search
                    .enabled
                    .then(|| self.memo.search.build(&links, &config.language))
            },
        );
        out.push(Page {
            path: "graph.json".into(),
            bytes: graph,
        });
        out.extend(search.into_iter().flatten());
        for (name, bytes) in &self.theme.statics {
            out.push(Page::new(name.clone(), bytes.clone()));
        }
        if memo == Memo::Drop {
            self.memo = Memos::default();
        }
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
            value: Default::default(),
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

    /// Every briefing's body key; the memo then has each key's HTML, rendered
    /// now where it had none. The HTML is not gathered into a list: an edit
    /// builds a page or two, and cloning ten thousand bodies' handles for
    /// them cost more than the lookups.
    fn bodies(&mut self, links: &Links) -> Vec<u64> {
        let config = links.config;
        let briefing = links.briefing;
        // Only bodies that may link to other content files depend on where
        // each file's page is. Summed per file, so the order does not matter
        // and nothing is sorted or copied.
        // A briefing's page URL is made from its slug and the base path, so
        // its pair is kept while it is the same briefing under the same base:
        // reading ten thousand paths and URLs again cost more than the rest
        // of this step.
        let base = hash_of(&links.base_path);
        let (kept_base, kept_pairs) = &self.memo.url_pairs;
        let pairs: Vec<u64> = (0..briefing.articles.len())
            .into_par_iter()
            .map(|i| match kept_pairs.get(briefing, i) {
                Some(&pair) if *kept_base == base => pair,
                _ => hash_of(&(&briefing.articles[i].path, &links.briefing_refs[i].url)),
            })
            .collect();
        let urls_hash = pairs.iter().fold(0u64, |sum, &pair| sum.wrapping_add(pair));
        self.memo.url_pairs = (base, SameBriefing::new(briefing, pairs));
        // Everything a body depends on besides its own article and extraction:
        // the URL and class of every actor and place it may link to, and settings.
        let globals = {
            let mut hasher = KeyHasher::default();
            for a in briefing.actors.iter() {
                if let Some(r) = links.actor_refs.get(a.id.as_str()) {
                    (&a.id, &r.url, r.kind).hash(&mut hasher);
                }
            }
            for p in briefing.places.iter() {
                if let Some(r) = links.place_refs.get(p.id.as_str()) {
                    (&p.id, &r.url).hash(&mut hasher);
                }
            }
            (
                urls_hash,
                config.link_mentions,
                config.markdown.raw_html,
                config.markdown.smart_punctuation,
            )
                .hash(&mut hasher);
            hasher.finish()
        };
        let (kept_globals, kept) = &self.memo.body_keys;
        let keys: Vec<u64> = (0..briefing.articles.len())
            .into_par_iter()
            .map(|i| {
                // The same briefing as last time, under the same globals: the
                // key is known without walking the mentions.
                if *kept_globals == globals
                    && let Some(&key) = kept.get(briefing, i)
                {
                    return key;
                }
                let (mention_links, anchors) = body_links(links, i);
                body_key(links, i, urls_hash, &mention_links, &anchors)
            })
            .collect();
        // The bodies the memo lacks, each once.
        let memo = &self.memo.bodies;
        let mut missing: Vec<usize> = keys
            .par_iter()
            .enumerate()
            .filter(|(_, key)| !memo.contains_key(*key))
            .map(|(i, _)| i)
            .collect();
        let mut seen = FxHashSet::default();
        missing.retain(|&i| seen.insert(keys[i]));
        let content_urls = LazyContentUrls::new(links);
        let made: Vec<(u64, Arc<str>)> = missing
            .par_iter()
            .map(|&i| (keys[i], Arc::from(render_body(links, &content_urls, i))))
            .collect();
        self.memo.bodies.extend(made);
        // Bodies no briefing has any more stay until they are a third of the
        // memo: dropping them takes a pass over every key, which an edit that
        // changes one body need not pay.
        if self.memo.bodies.len() > keys.len() + keys.len() / 2 + 64 {
            let live: FxHashSet<u64> = keys.iter().copied().collect();
            self.memo.bodies.retain(|key, _| live.contains(key));
        }
        self.memo.body_keys = (globals, SameBriefing::new(briefing, keys.iter().copied()));
        keys
    }
}

/// The file -> page table of the briefings, made the first time a body links
/// to a content file. Most bodies do not, and an edit renders one body: making
/// a table of every briefing for it cost more than the body itself.
struct LazyContentUrls<'a> {
    links: &'a Links<'a>,
    table: std::sync::OnceLock<FxHashMap<&'a str, &'a str>>,
}

impl<'a> LazyContentUrls<'a> {
    fn new(links: &'a Links<'a>) -> LazyContentUrls<'a> {
        LazyContentUrls {
            links,
            table: std::sync::OnceLock::new(),
        }
    }
}

/// The HTML of briefing `i`'s body, its mentions linked.
fn render_body(links: &Links, content_urls: &LazyContentUrls, i: usize) -> String {
    let config = links.config;
    let article = &links.briefing.articles[i];
    let (mention_links, anchors) = body_links(links, i);
    let start = body_range(article);
    markdown::render(&Body {
        text: &article.text,
        range: start..article.text.len(),
        markdown: article.format == Format::Markdown,
        links: &mention_links,
        anchors: &anchors,
        mode: config.link_mentions,
        raw_html: config.markdown.raw_html,
        smart_punctuation: config.markdown.smart_punctuation,
        source_path: &article.path,
        content_urls,
    })
}

impl markdown::ContentUrls for LazyContentUrls<'_> {
    fn url(&self, path: &str) -> Option<&str> {
        let links = self.links;
        self.table
            .get_or_init(|| {
                links
                    .briefing
                    .articles
                    .iter()
                    .zip(&links.briefing_refs)
                    .map(|(a, r)| (a.path.as_str(), r.url.as_str()))
                    .collect()
            })
            .get(path)
            .copied()
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

/// Renders one page, or reuses its bytes when its fingerprint (template, site,
/// and the page's whole context) is unchanged. A build that keeps nothing
/// ([`Memo::Drop`]) has nothing to compare with and skips the fingerprint.
#[allow(clippy::too_many_arguments)]
fn render_page(
    memo: Memo,
    tera: &tera::Tera,
    template_hashes: &HashMap<String, u64>,
    links: &Links,
    site_hash: u64,
    kept: Option<&KeptPage>,
    path: String,
    meta: PageMeta,
    data: PageData,
) -> Result<RenderedPage, RenderError> {
    let template = data.template();
    let fingerprint = (memo == Memo::Keep).then(|| {
        let mut hasher = KeyHasher::default();
        template_hashes.get(template).hash(&mut hasher);
        site_hash.hash(&mut hasher);
        meta.hash(&mut hasher);
        data.hash(&mut hasher);
        hasher.finish()
    });
    if let Some(fingerprint) = fingerprint
        && let Some(bytes) = reuse(kept, fingerprint)
    {
        return Ok((path, fingerprint, bytes, Fate::Rechecked));
    }
    #[cfg(test)]
    value::check_against_serde(links, &meta, &data);
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", links.site.to_value());
    ctx.insert_value("nav", links.nav.to_value());
    ctx.insert_value("page", meta.to_value());
    data.insert_into(&mut ctx);
    let html = tera
        .render(template, &ctx)
        .map_err(|e| template_error(&e))?;
    Ok((
        path,
        fingerprint.unwrap_or(0),
        Arc::new(html.into_bytes()),
        Fate::Rendered,
    ))
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
            anchors.push(crate::extract::sentence_start_at(text, first.start));
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
            anchors.push(crate::extract::sentence_start_at(text, first.start));
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

/// Pages rendered per batch by [`Renderer::render_with`] in a build that keeps
/// nothing: few enough that a batch is about thirty megabytes of HTML, enough
/// that the cores seldom wait at the end of a batch for its last page or file
/// (at 10,000 briefings on two cores, four builds each taking turns: 7.75 s
/// median with 256 a batch, 7.14 s with 1,024).
pub const BATCH: usize = 1024;

/// Whether [`Renderer::render_with`] keeps this build's pages for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Memo {
    /// Keep them (`dossier serve`, and any `Site` that builds again).
    Keep,
    /// Keep nothing: a one-shot build.
    Drop,
}

/// Why [`Renderer::render_with`] stopped.
#[derive(Debug)]
pub enum Interrupted<E> {
    /// Templates failed; nothing was handed to the sink after the failing batch.
    Render(Vec<RenderError>),
    /// The sink failed.
    Sink(E),
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

/// A page after the render step: path, input fingerprint, bytes, and how it
/// was made.
type RenderedPage = (String, u64, Arc<Vec<u8>>, Fate);

/// A job's page, with the kept path of a briefing page kept as it was (the
/// memo of the next build shares it).
type JobResult = (Result<RenderedPage, RenderError>, Option<Arc<str>>);

/// How a page of this build was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Its input key was unchanged: bytes reused, no context built.
    Kept,
    /// Its key changed but its context came out the same: bytes reused.
    Rechecked,
    /// Rendered through its template.
    Rendered,
}

/// A stable hash of any hashable value.
pub fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = KeyHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The `Hasher` of memo keys: small writes are gathered in a buffer on the
/// stack and fed to xxh3 a kilobyte at a time, large ones directly. A key is
/// mostly made of many small strings and numbers, and streaming each one
/// through xxh3 on its own costs several times more than copying it. Most keys
/// are short: they never make a streaming state, and are hashed in one call
/// when finished, which gives the same value as streaming them. A rebuild makes
/// tens of thousands of keys, so making one allocates nothing.
#[derive(Clone)]
pub struct KeyHasher {
    /// The stream, made when the gathered bytes first outgrow the buffer.
    state: Option<Box<Xxh3>>,
    buffer: [u8; KeyHasher::GATHER],
    /// Bytes of `buffer` in use.
    len: usize,
}

impl Default for KeyHasher {
    fn default() -> KeyHasher {
        KeyHasher {
            state: None,
            buffer: [0; KeyHasher::GATHER],
            len: 0,
        }
    }
}

impl KeyHasher {
    const GATHER: usize = 1024;

    /// The stream, made on first use.
    fn stream(state: &mut Option<Box<Xxh3>>) -> &mut Xxh3 {
        state.get_or_insert_with(|| Box::new(Xxh3::new()))
    }

    /// Feeds the gathered bytes to the stream.
    fn flush(&mut self) {
        let len = std::mem::take(&mut self.len);
        Self::stream(&mut self.state).update(&self.buffer[..len]);
    }

    /// Gathers a number's bytes. Its size is known here, so the copy is a
    /// move or two, where `write` calls `memcpy` for any length: most of
    /// what keys are made of is numbers, and that call was most of their cost.
    #[inline]
    fn put<const N: usize>(&mut self, bytes: [u8; N]) {
        if self.len + N <= Self::GATHER {
            self.buffer[self.len..self.len + N].copy_from_slice(&bytes);
            self.len += N;
        } else {
            self.write(&bytes);
        }
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() <= Self::GATHER {
            self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        self.flush();
        if bytes.len() < Self::GATHER {
            self.buffer[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        } else {
            Self::stream(&mut self.state).update(bytes);
        }
    }

    // The same bytes as `Hasher`'s own methods write (`to_ne_bytes`), so a
    // key does not depend on which method made it.
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.put(i.to_ne_bytes());
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.put(i.to_ne_bytes());
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.put(i.to_ne_bytes());
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.put(i.to_ne_bytes());
    }

    fn finish(&self) -> u64 {
        let pending = &self.buffer[..self.len];
        match &self.state {
            None => xxhash_rust::xxh3::xxh3_64(pending),
            Some(state) => {
                let mut state = state.clone();
                state.update(pending);
                state.digest()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KeyHasher;
    use proptest::prelude::*;
    use std::hash::Hasher;

    #[derive(Debug, Clone)]
    enum Write {
        Bytes(Vec<u8>),
        Numbers(Vec<u64>),
        Byte(u8),
    }

    proptest! {
        /// Whatever the sizes of the writes, a key is the xxh3 of the bytes
        /// written, in order: gathered, streamed or hashed in one call, and
        /// numbers as their native bytes.
        #[test]
        fn a_key_is_the_hash_of_its_bytes(
            writes in proptest::collection::vec(
                prop_oneof![
                    proptest::collection::vec(any::<u8>(), 0..40).prop_map(Write::Bytes),
                    proptest::collection::vec(any::<u8>(), 1000..1050).prop_map(Write::Bytes),
                    proptest::collection::vec(any::<u8>(), 3000..9000).prop_map(Write::Bytes),
                    proptest::collection::vec(any::<u64>(), 1..300).prop_map(Write::Numbers),
                    any::<u8>().prop_map(Write::Byte),
                ],
                0..12,
            )
        ) {
            let mut hasher = KeyHasher::default();
            let mut all = Vec::new();
            for w in &writes {
                match w {
                    Write::Bytes(bytes) => {
                        hasher.write(bytes);
                        all.extend_from_slice(bytes);
                    }
                    Write::Numbers(numbers) => {
                        for &n in numbers {
                            hasher.write_u64(n);
                            all.extend_from_slice(&n.to_ne_bytes());
                        }
                    }
                    Write::Byte(b) => {
                        hasher.write_u8(*b);
                        all.push(*b);
                    }
                }
            }
            prop_assert_eq!(hasher.finish(), xxhash_rust::xxh3::xxh3_64(&all));
            // Finishing does not consume: more writes go on from where it was.
            hasher.write(b"more");
            all.extend_from_slice(b"more");
            prop_assert_eq!(hasher.finish(), xxhash_rust::xxh3::xxh3_64(&all));
        }
    }
}
