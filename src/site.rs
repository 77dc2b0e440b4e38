//! The pipeline run end to end: config → load → extract → link → render → output.
//!
//! A [`Site`] keeps each stage's memo between builds, so `dossier serve` calls
//! [`Site::build`] again after every change and only the work whose inputs changed
//! is redone: unchanged files are not re-read, unchanged articles are not
//! re-extracted, unchanged pages are not re-rendered, unchanged files are not
//! re-written. A fresh `Site` is a clean build; both run the same code, so their
//! output is the same, byte for byte.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::briefing::{Briefing, LinkMemo};
use crate::config::Config;
use crate::content::{Article, Loader, Registry, Warning};
use crate::error::{Error, Errors};
use crate::extract::{Extraction, Extractor, Input};
use crate::memo::Swept;
use crate::output::{Output, OutputError, WriteStats};
use crate::render::{Bytes, Interrupted, Memo, Page, RenderStats, Renderer, Theme, hash_of};

/// Options that the command line adds to `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts (`--drafts`).
    pub drafts: bool,
    /// Override `base_url` (`--base-url`, and `serve`).
    pub base_url: Option<String>,
    /// Allow an output directory outside the site (`--force`).
    pub force: bool,
    /// Override `output_dir` (`--output-dir`).
    pub output_dir: Option<PathBuf>,
}

/// Time spent in each stage of one build.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    pub load: Duration,
    pub extract: Duration,
    pub link: Duration,
    pub render: Duration,
    pub write: Duration,
    pub total: Duration,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub briefings: usize,
    pub actors: usize,
    pub places: usize,
    /// Files in the output (pages, feeds, static files, search index).
    pub files: usize,
    /// Articles extracted in this build (the others came from the memo).
    pub extracted: usize,
    pub render: RenderStats,
    pub write: WriteStats,
    pub warnings: Vec<Warning>,
    pub timings: Timings,
}

impl BuildReport {
    fn of(
        built: &Built,
        extracted: usize,
        render: RenderStats,
        write: WriteStats,
        warnings: Vec<Warning>,
        timings: Timings,
    ) -> BuildReport {
        BuildReport {
            briefings: built.briefing.articles.len(),
            actors: built.briefing.actors.len(),
            places: built.briefing.places.len(),
            files: built.pages.len(),
            extracted,
            render,
            write,
            warnings,
            timings,
        }
    }
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} briefing{}, {} actors, {} places: {} files ({} written, {} unchanged, {} removed) in {} ms",
            self.briefings,
            if self.briefings == 1 { "" } else { "s" },
            self.actors,
            self.places,
            self.files,
            self.write.written,
            self.write.unchanged,
            self.write.removed,
            self.timings.total.as_millis()
        )
    }
}

/// Everything a build produces before it is written: used by `build`, `check` and
/// `serve`.
pub struct Built {
    pub config: Config,
    pub briefing: Briefing,
    pub registry: Registry,
    pub pages: Vec<Page>,
    pub extractor: Arc<Extractor>,
}

/// The result of running every stage but output.
pub struct Rendered {
    pub built: Built,
    /// Articles extracted in this run (the others came from the memo).
    pub extracted: usize,
    pub stats: RenderStats,
    pub warnings: Vec<Warning>,
    /// Time per stage (`write` and `total` are left at zero).
    pub timings: Timings,
}

/// A site and the memo of its last build.
pub struct Site {
    root: PathBuf,
    options: BuildOptions,
    loader: Loader,
    /// Paths changed since the last build, when a file watcher said which.
    changed: Option<Vec<PathBuf>>,
    extractor: Option<(u64, Arc<Extractor>)>,
    /// Extractions by a key of their input.
    extractions: Swept<u64, Arc<Extraction>>,
    link_memo: LinkMemo,
    renderer: Option<(u64, Renderer)>,
    output: Option<(PathBuf, Output)>,
    /// The process ends after [`Site::build_once`] (see [`Site::last_work_of_process`]).
    exits_after: bool,
}

impl Site {
    pub fn new(root: impl Into<PathBuf>, options: BuildOptions) -> Site {
        Site {
            root: root.into(),
            options,
            loader: Loader::new(),
            changed: None,
            extractor: None,
            extractions: Swept::default(),
            link_memo: LinkMemo::default(),
            renderer: None,
            output: None,
            exits_after: false,
        }
    }

    /// Marks this build as the last work of the process, as in `dossier build`:
    /// [`Site::build_once`] then leaves what it holds (the briefings, their
    /// extractions, the manifest) to the process's exit instead of freeing it
    /// allocation by allocation, which took about 0.2 s at 10,000 briefings.
    pub fn last_work_of_process(mut self) -> Site {
        self.exits_after = true;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Replaces the command-line options (serve uses it to set `base_url`).
    pub fn options_mut(&mut self) -> &mut BuildOptions {
        &mut self.options
    }

    /// Reads `site.toml` with the command-line overrides applied.
    pub fn config(&self) -> Result<Config, Errors> {
        let mut config = Config::load(&self.root)?;
        if self.options.drafts {
            config.drafts = true;
        }
        if let Some(url) = &self.options.base_url {
            config.set_base_url(url)?;
        }
        if let Some(dir) = &self.options.output_dir {
            config.output_dir = dir.clone();
        }
        Ok(config)
    }

    /// Tells the next build that only the files at `paths` (as `root.join(...)`)
    /// were created, modified or removed since the last one, as a file watcher
    /// saw it: the load stage then looks at those paths instead of walking
    /// `content/`. Without this, a build finds the changes itself.
    pub fn note_changes(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        self.changed.get_or_insert_with(Vec::new).extend(paths);
    }

    /// Runs every stage except writing. Nothing is written.
    pub fn render(&mut self) -> Result<Rendered, Errors> {
        let mut keep = |pages| Ok::<_, OutputError>(pages);
        self.run(Memo::Keep, &mut keep)
    }

    /// Every stage but the final write; rendered pages go to `sink` in batches
    /// (see [`Renderer::render_with`]).
    fn run(
        &mut self,
        memo: Memo,
        sink: &mut dyn FnMut(Vec<Page>) -> Result<Vec<Page>, OutputError>,
    ) -> Result<Rendered, Errors> {
        let changed = self.changed.take();
        let result = self.run_stages(changed.as_deref(), memo, sink);
        if result.is_err() {
            // What was noted may not have been loaded: walk next time.
            self.loader.forget_walk();
        }
        result
    }

    fn run_stages(
        &mut self,
        changed: Option<&[PathBuf]>,
        memo: Memo,
        sink: &mut dyn FnMut(Vec<Page>) -> Result<Vec<Page>, OutputError>,
    ) -> Result<Rendered, Errors> {
        let config = self.config()?;
        let mut timings = Timings::default();

        let started = Instant::now();
        let loaded = self
            .loader
            .load_changed(&self.root, &config, changed)
            .map_err(|errs| Errors(errs.into_iter().map(Error::from).collect()))?;
        timings.load = started.elapsed();

        let started = Instant::now();
        let extractor = self.extractor(&loaded.registry)?;
        let (extractions, extracted) = self.extract(&loaded.articles, &extractor);
        timings.extract = started.elapsed();

        let started = Instant::now();
        let briefing = Briefing::link_with(
            loaded.articles,
            extractions,
            &extractor,
            &loaded.registry,
            &mut self.link_memo,
        );
        timings.link = started.elapsed();

        let started = Instant::now();
        let theme = Theme::load(&self.root)?;
        let theme_hash = hash_of(&(&theme.templates, &theme.statics));
        let mut renderer = match self.renderer.take() {
            Some((hash, renderer)) if hash == theme_hash => renderer,
            Some((_, old)) => old.with_theme(theme)?,
            None => Renderer::new(theme)?,
        };
        let result = renderer.render_with(&briefing, &config, &loaded.registry, memo, sink);
        self.renderer = Some((theme_hash, renderer));
        let (pages, stats) = result.map_err(|e| match e {
            Interrupted::Render(errs) => Errors(errs.into_iter().map(Error::from).collect()),
            Interrupted::Sink(e) => Errors(vec![Error::from(e)]),
        })?;
        timings.render = started.elapsed();

        Ok(Rendered {
            built: Built {
                config,
                briefing,
                registry: loaded.registry,
                pages,
                extractor,
            },
            extracted,
            stats,
            warnings: loaded.warnings,
            timings,
        })
    }

    /// A full build: every stage, then the changed files written.
    pub fn build(&mut self) -> Result<BuildReport, Errors> {
        let started = Instant::now();
        let Rendered {
            built,
            extracted,
            stats: render,
            warnings,
            mut timings,
        } = self.render()?;

        let write_started = Instant::now();
        let out_dir = built.config.output_dir.clone();
        let mut output = match self.output.take() {
            Some((dir, output)) if dir == out_dir => output,
            _ => Output::open(
                &self.root,
                &out_dir,
                &built.config.content_dir,
                self.options.force,
            )?,
        };
        let result = output.write(&built.pages);
        self.output = Some((out_dir, output));
        let write = result?;
        timings.write = write_started.elapsed();
        timings.total = started.elapsed();

        Ok(BuildReport::of(
            &built, extracted, render, write, warnings, timings,
        ))
    }

    /// A build that keeps nothing for a next one (`dossier build`). Pages are
    /// written to temporary files batch by batch as they are rendered, and renamed
    /// into place once the whole site has rendered: the site is never in memory
    /// all at once, and a failed build still leaves the previous output as it
    /// was. The files are the same as [`Site::build`] writes.
    pub fn build_once(mut self) -> Result<BuildReport, Errors> {
        let started = Instant::now();
        let config = self.config()?;
        let mut output = Output::open(
            &self.root,
            &config.output_dir,
            &config.content_dir,
            self.options.force,
        )?;
        let mut staging = output.begin()?;
        let mut streamed: HashSet<String> = HashSet::new();
        let mut staged_for = Duration::ZERO;
        let mut sink = |pages: Vec<Page>| -> Result<Vec<Page>, OutputError> {
            let t = Instant::now();
            output.stage(&mut staging, &pages)?;
            staged_for += t.elapsed();
            // Only the paths stay: the sitemap and the report need them.
            Ok(pages
                .into_iter()
                .map(|p| {
                    streamed.insert(p.path.clone());
                    Page {
                        path: p.path,
                        bytes: Bytes::default(),
                    }
                })
                .collect())
        };
        let result = self.run(Memo::Drop, &mut sink);
        let Rendered {
            built,
            extracted,
            stats: render,
            warnings,
            mut timings,
        } = match result {
            Ok(rendered) => rendered,
            Err(e) => {
                output.discard(staging);
                return Err(e);
            }
        };

        let write_started = Instant::now();
        let rest: Vec<Page> = built
            .pages
            .iter()
            .filter(|p| !streamed.contains(&p.path))
            .cloned()
            .collect();
        if let Err(e) = output.stage(&mut staging, &rest) {
            output.discard(staging);
            return Err(e.into());
        }
        let write = output.commit(staging)?;
        timings.render = timings.render.saturating_sub(staged_for);
        timings.write = staged_for + write_started.elapsed();
        timings.total = started.elapsed();

        let report = BuildReport::of(&built, extracted, render, write, warnings, timings);
        if self.exits_after {
            // Nothing here has a side effect on drop: the files are written
            // and the manifest saved.
            std::mem::forget((built, output, self));
        }
        Ok(report)
    }

    /// The output directory of the last build (absolute), if one ran.
    pub fn output_dir(&self) -> Option<&Path> {
        self.output.as_ref().map(|(_, o)| o.dir())
    }

    /// The extractor for this registry, rebuilt only when the registry changed.
    fn extractor(&mut self, registry: &Registry) -> Result<Arc<Extractor>, Errors> {
        let hash = registry.hash();
        if let Some((old, extractor)) = &self.extractor
            && *old == hash
        {
            return Ok(Arc::clone(extractor));
        }
        let extractor = Arc::new(Extractor::new(&registry.entries())?);
        self.extractor = Some((hash, Arc::clone(&extractor)));
        Ok(extractor)
    }

    /// Extracts every article, reusing the memo for those whose text, hints and
    /// extractor are unchanged. Returns the extractions and how many were computed.
    fn extract(
        &mut self,
        articles: &[Arc<Article>],
        extractor: &Extractor,
    ) -> (Vec<Arc<Extraction>>, usize) {
        let fingerprint = extractor.fingerprint();
        let keys: Vec<u64> = articles
            .par_iter()
            .map(|a| {
                hash_of(&(
                    a.hash,
                    fingerprint,
                    a.body_start,
                    &a.extra_actors,
                    &a.exclude_actors,
                ))
            })
            .collect();
        self.extractions.begin();
        let memo = &self.extractions;
        let results: Vec<(Arc<Extraction>, bool)> = articles
            .par_iter()
            .zip(&keys)
            .map(|(article, key)| {
                if let Some(e) = memo.get(key) {
                    return (Arc::clone(e), false);
                }
                let extraction = extractor.extract(&Input {
                    text: &article.text,
                    body_start: article.body_start,
                    extra_actors: &article.extra_actors,
                    exclude_actors: &article.exclude_actors,
                });
                (Arc::new(extraction), true)
            })
            .collect();
        // The memo is updated in place: an edit inserts one extraction, and
        // those no article uses any more go.
        let mut extracted = 0;
        for (key, (extraction, fresh)) in keys.into_iter().zip(&results) {
            if *fresh {
                extracted += 1;
                self.extractions.insert(key, Arc::clone(extraction));
            }
        }
        self.extractions.sweep();
        let extractions: Vec<Arc<Extraction>> = results.into_iter().map(|(e, _)| e).collect();
        (extractions, extracted)
    }
}
