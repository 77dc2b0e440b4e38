//! Worst cases of hostile input, each built as a whole one-briefing site:
//! deep nesting, a 100k-item list, a huge table, one 10 MB line, 100k capitalised
//! words, and every alias of a crowd of actors in one sentence.
//!
//!     cargo bench --bench pathological
//!
//! Each must finish in bounded time and memory (the figures are in BENCHMARKS.md).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dossier::site::{BuildOptions, Site};

fn write_site(root: &Path, body: &str) {
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    std::fs::write(
        root.join("site.toml"),
        "base_url = \"https://example.org/\"\n[limits]\nmax_file_size = 20000000\n[search]\nenabled = false\n",
    )
    .expect("site.toml");
    std::fs::write(
        root.join("content/2026-11-01-case.md"),
        format!("+++\ntitle = \"Case\"\n+++\n{body}"),
    )
    .expect("briefing");
}

fn cases() -> Vec<(&'static str, String)> {
    let nesting = format!("{}deep\n", "> ".repeat(5_000)) + &"- ".repeat(5_000) + "deeper\n";
    let list: String = (0..100_000)
        .map(|i| format!("- item {i} Turkey\n"))
        .collect();
    let mut table = String::from("|");
    table.push_str(&" h |".repeat(50));
    table.push_str("\n|");
    table.push_str(&"---|".repeat(50));
    table.push('\n');
    for r in 0..2_000 {
        table.push('|');
        for c in 0..50 {
            table.push_str(&format!(" r{r}c{c} Qatar |"));
        }
        table.push('\n');
    }
    let long_line = "Turkey said talks with Hamas in Ankara advanced and ".repeat(10_000_000 / 52);
    let capitals: String = (0..100_000).map(|i| format!("Name{} ", i % 977)).collect();
    let crowd: String = [
        "Turkey",
        "Hamas",
        "Qatar",
        "Egypt",
        "United States",
        "Israel",
        "United Nations",
        "UNRWA",
        "European Union",
        "NATO",
        "Hezbollah",
        "Russia",
        "China",
        "Iran",
        "Saudi Arabia",
        "Jordan",
        "Lebanon",
        "Syria",
        "Iraq",
        "Yemen",
    ]
    .iter()
    .cycle()
    .take(50_000)
    .map(|n| format!("{n}, "))
    .collect::<String>()
        + "met.\n";
    vec![
        ("deep-nesting", nesting),
        ("list-100k-items", list),
        ("table-2000x50", table),
        ("one-10mb-line", long_line),
        ("100k-capitalised-words", capitals),
        ("every-alias-one-sentence", crowd),
    ]
}

fn pathological(c: &mut Criterion) {
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10);
    for (name, body) in cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_site(dir.path(), &body);
        group.bench_function(name, |b| {
            b.iter(|| {
                Site::new(dir.path(), BuildOptions::default())
                    .build()
                    .expect("builds");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pathological);
criterion_main!(benches);
