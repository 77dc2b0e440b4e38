//! Criterion benchmarks of the build pipeline on a generated 1,000-briefing site.
//!
//! ```text
//! cargo bench --bench pipeline                 # everything
//! cargo bench --bench pipeline -- stages/      # one group
//! ```
//!
//! `stages/*` time each stage alone, with nothing memoised: load, extract, link,
//! render and write. `builds/*` time `Site::build` end to end: a clean build into a
//! fresh output folder, a rebuild with nothing changed, and a rebuild after a
//! one-briefing edit. Sample sizes are small because a build takes seconds and the
//! machines this runs on are shared; the whole run takes a few minutes.

#[path = "../examples/corpus/generator.rs"]
mod generator;

use std::fmt::Display;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use dossier::briefing::Briefing;
use dossier::config::Config;
use dossier::content::Loader;
use dossier::extract::{Extraction, Extractor, Input};
use dossier::output::Output;
use dossier::render::{Renderer, Theme};
use dossier::site::{BuildOptions, Site};

const BRIEFINGS: usize = 1000;
const SEED: u64 = 42;

/// Ends the benchmark with a message: set-up failures are not measurements.
fn or_exit<T, E: Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => {
            eprintln!("pipeline bench: {what}: {e}");
            std::process::exit(1);
        }
    }
}

/// Generates the corpus into a temporary folder that lives as long as the result.
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let temp = or_exit(tempfile::tempdir(), "temporary folder");
    let root = temp.path().join("site");
    or_exit(
        generator::generate(
            &root,
            &generator::Options {
                count: BRIEFINGS,
                seed: SEED,
            },
        ),
        "generating the corpus",
    );
    (temp, root)
}

/// Moves an old output folder aside (into the temporary folder, deleted at the
/// end) instead of deleting it: on ext4, creating files right after thousands were
/// deleted is slow, and that cost belongs to `rm`, not to the build.
fn clear(dir: &Path) {
    static MOVED: AtomicUsize = AtomicUsize::new(0);
    if dir.exists() {
        let n = MOVED.fetch_add(1, Ordering::Relaxed);
        let mut to = dir.as_os_str().to_owned();
        to.push(format!(".old-{n}"));
        or_exit(std::fs::rename(dir, to), "moving the output folder aside");
    }
}

fn stages(c: &mut Criterion) {
    let (_temp, root) = corpus();
    let config = or_exit(Config::load(&root), "site.toml");
    let loaded = or_exit(
        Loader::new().load(&root, &config).map_err(|errs| {
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "loading",
    );
    let extractor = or_exit(Extractor::new(&loaded.registry.entries()), "extractor");
    let extract_all = |extractor: &Extractor| -> Vec<Arc<Extraction>> {
        loaded
            .articles
            .par_iter()
            .map(|a| {
                Arc::new(extractor.extract(&Input {
                    text: &a.text,
                    body_start: a.body_start,
                    extra_actors: &a.extra_actors,
                    exclude_actors: &a.exclude_actors,
                }))
            })
            .collect()
    };
    let extractions = extract_all(&extractor);
    let briefing = Briefing::link(
        loaded.articles.clone(),
        extractions.clone(),
        &extractor,
        &loaded.registry,
    );
    let theme = or_exit(Theme::load(&root), "theme");
    let (pages, _) = or_exit(
        Renderer::new(theme.clone())
            .map_err(|e| e.to_string())
            .and_then(|mut r| {
                r.render(&briefing, &config, &loaded.registry)
                    .map_err(|errs| format!("{} render errors", errs.len()))
            }),
        "rendering",
    );

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));

    group.bench_function("load", |b| {
        b.iter(|| black_box(Loader::new().load(&root, &config).map(|l| l.articles.len())))
    });
    group.bench_function("extractor_new", |b| {
        b.iter(|| black_box(Extractor::new(&loaded.registry.entries()).is_ok()))
    });
    group.bench_function("extract", |b| {
        b.iter(|| black_box(extract_all(&extractor).len()))
    });
    group.bench_function("link", |b| {
        b.iter_batched(
            || (loaded.articles.clone(), extractions.clone()),
            |(articles, extractions)| {
                black_box(Briefing::link(
                    articles,
                    extractions,
                    &extractor,
                    &loaded.registry,
                ))
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("render", |b| {
        b.iter_batched(
            || or_exit(Renderer::new(theme.clone()), "renderer"),
            |mut renderer| {
                black_box(
                    renderer
                        .render(&briefing, &config, &loaded.registry)
                        .map(|(pages, _)| pages.len())
                        .is_ok(),
                )
            },
            BatchSize::PerIteration,
        )
    });
    let out = root.join("bench-out");
    group.bench_function("write", |b| {
        b.iter_batched(
            || {
                clear(&out);
                or_exit(
                    Output::open(&root, Path::new("bench-out"), &config.content_dir, false),
                    "output",
                )
            },
            |mut output| black_box(output.write(&pages).map(|s| s.written).is_ok()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn builds(c: &mut Criterion) {
    let (_temp, root) = corpus();
    let public = root.join("public");
    let briefing = or_exit(generator::pick_briefing(&root), "picking a briefing");

    let mut group = c.benchmark_group("builds");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));

    group.bench_function("clean", |b| {
        b.iter_batched(
            || {
                clear(&public);
                Site::new(&root, BuildOptions::default())
            },
            |mut site| black_box(site.build().is_ok()),
            BatchSize::PerIteration,
        )
    });

    let mut site = Site::new(&root, BuildOptions::default());
    or_exit(site.build().map_err(|e| e.to_string()), "first build");
    group.bench_function("nothing_changed", |b| {
        b.iter(|| black_box(site.build().is_ok()))
    });
    group.bench_function("one_briefing_edit", |b| {
        b.iter_batched(
            || or_exit(generator::edit_briefing(&briefing), "editing"),
            |_| black_box(site.build().is_ok()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages, builds);
criterion_main!(benches);
