//! Per-stage timings of clean and incremental builds, driven through the library.
//!
//! ```text
//! cargo run --release --example incremental -- --site /tmp/corpus-10k
//! cargo run --release --example incremental -- --count 1000 --seed 42 --runs 5
//! ```
//!
//! It runs, on one `Site` (so every build after the first is incremental, as in
//! `dossier serve`): a clean build into a fresh output folder, a rebuild with
//! nothing changed, a one-briefing edit (a note that names no actor), a mention
//! edit (a correction that names an actor the briefing names already, so the
//! actor's site-wide count changes), a template edit (a changed copy of the
//! embedded `briefing.html` in the site's `templates/`) and a registry edit (a new
//! or changed `content/actors/coastal-relief-network.md`). Each edit scenario runs
//! `--runs` times and the run with the median total is printed. The site is
//! edited in place; the template and registry files are removed at the end.

#[path = "corpus/generator.rs"]
mod generator;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use dossier::site::{BuildOptions, BuildReport, Site};

/// The allocator of the `dossier` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Time clean and incremental builds stage by stage.
#[derive(Parser, Debug)]
struct Args {
    /// A site to build (e.g. one written by the `corpus` example). Without it, a
    /// corpus of --count briefings is generated into a temporary folder.
    #[arg(long, value_name = "DIR")]
    site: Option<PathBuf>,
    /// Briefings to generate when no --site is given.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Seed for the generated corpus.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Runs of each edit scenario (the median is printed).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Scenarios to run, in order: clean, noop, edit, mention, template, registry.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "clean,noop,edit,mention,template,registry"
    )]
    scenarios: Vec<String>,
    /// Move the old output folder into DIR (same file system) instead of deleting
    /// it before the clean build. On ext4, files created right after thousands
    /// were deleted are slow to allocate, which would bill the deletion to the build.
    #[arg(long, value_name = "DIR")]
    trash: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let temp;
    let root: PathBuf = match &args.site {
        Some(site) => site.clone(),
        None => {
            temp = tempfile::tempdir()?;
            let root = temp.path().join("site");
            let summary = generator::generate(
                &root,
                &generator::Options {
                    count: args.count,
                    seed: args.seed,
                },
            )?;
            println!(
                "generated {} briefings ({} wire items), seed {}",
                summary.briefings, summary.wire, args.seed
            );
            root
        }
    };
    let public = root.join("public");
    let clear = |n: usize| -> io::Result<()> {
        if !public.exists() {
            return Ok(());
        }
        match &args.trash {
            Some(trash) => {
                fs::create_dir_all(trash)?;
                let to = trash.join(format!("public-{}-{n}", std::process::id()));
                fs::rename(&public, to)
            }
            None => fs::remove_dir_all(&public),
        }
    };
    clear(0)?;
    let briefing = generator::pick_briefing(&root)?;
    let mut site = Site::new(&root, BuildOptions::default());
    let mut first = true;
    if let Ok(load) = fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!("load average at start: {}", load.join(" "));
    }
    header();
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        for (n, scenario) in args.scenarios.iter().enumerate() {
            match scenario.as_str() {
                "clean" => {
                    site = Site::new(&root, BuildOptions::default());
                    clear(n + 1)?;
                    let report = site.build()?;
                    first = false;
                    row("clean build", &report, 1);
                    println!(
                        "  {} files, {:.0} pages/s, peak RSS so far {}",
                        report.files,
                        report.write.written as f64 / report.timings.total.as_secs_f64(),
                        peak_rss()
                    );
                }
                other => {
                    if first {
                        // Every other scenario measures a rebuild: build once first.
                        site.build()?;
                        first = false;
                    }
                    let mut reports = Vec::with_capacity(args.runs);
                    for _ in 0..args.runs.max(1) {
                        match other {
                            "noop" => {}
                            "edit" => {
                                generator::edit_briefing(&briefing)?;
                                site.note_changes([briefing.clone()]);
                            }
                            "mention" => {
                                generator::edit_briefing_mentions(&briefing)?;
                                site.note_changes([briefing.clone()]);
                            }
                            "template" => {
                                edit_template(&root)?;
                                site.note_changes([root.join("templates/briefing.html")]);
                            }
                            "registry" => {
                                let (path, _) = generator::edit_registry(&root)?;
                                site.note_changes([path]);
                            }
                            _ => return Err(format!("unknown scenario {other:?}").into()),
                        }
                        reports.push(site.build()?);
                    }
                    let label = match other {
                        "noop" => "nothing changed",
                        "edit" => "one-briefing edit",
                        "mention" => "mention edit",
                        "template" => "template edit",
                        _ => "registry edit",
                    };
                    reports.sort_by_key(|r| r.timings.total);
                    row(label, &reports[reports.len() / 2], reports.len());
                }
            }
        }
        Ok(())
    })();
    cleanup(&root)?;
    result?;
    println!("peak RSS {}", peak_rss());
    Ok(())
}

fn header() {
    println!(
        "{:<18} {:>4} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>9} {:>8} {:>9} {:>7}",
        "scenario",
        "runs",
        "total ms",
        "load",
        "extract",
        "link",
        "render",
        "write",
        "extracted",
        "rendered",
        "reused",
        "rechecked",
        "written",
        "unchanged",
        "removed"
    );
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn row(label: &str, r: &BuildReport, runs: usize) {
    let t = &r.timings;
    println!(
        "{:<18} {:>4} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>9} {:>8} {:>9} {:>7}",
        label,
        runs,
        ms(t.total),
        ms(t.load),
        ms(t.extract),
        ms(t.link),
        ms(t.render),
        ms(t.write),
        r.extracted,
        r.render.rendered,
        r.render.reused,
        r.render.rechecked,
        r.write.written,
        r.write.unchanged,
        r.write.removed
    );
}

/// Writes `templates/briefing.html`: the embedded template with an HTML comment
/// whose number changes on every call, inside the content block so that every
/// briefing page's bytes change.
fn edit_template(root: &Path) -> io::Result<()> {
    const MARK: &str = "<!-- template revision ";
    let path = root.join("templates/briefing.html");
    let current = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) => dossier::render::theme::default_theme()
            .iter()
            .find(|(p, _)| *p == "templates/briefing.html")
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .ok_or_else(|| io::Error::other("the theme has no templates/briefing.html"))?,
    };
    let text = match current.find(MARK) {
        Some(at) => {
            let rest = &current[at + MARK.len()..];
            let end = rest.find(' ').unwrap_or(0);
            let revision = rest[..end].parse::<u32>().unwrap_or(0) + 1;
            format!(
                "{}{MARK}{revision}{}",
                &current[..at],
                &current[at + MARK.len() + end..]
            )
        }
        None => {
            let anchor = "{% block content %}";
            let at = current.find(anchor).map_or(0, |i| i + anchor.len());
            format!("{}\n{MARK}1 -->{}", &current[..at], &current[at..])
        }
    };
    fs::create_dir_all(root.join("templates"))?;
    fs::write(path, text)
}

/// Removes the files the template and registry scenarios wrote.
fn cleanup(root: &Path) -> io::Result<()> {
    let template = root.join("templates/briefing.html");
    if template.exists() {
        fs::remove_file(&template)?;
        let dir = root.join("templates");
        if fs::read_dir(&dir)?.next().is_none() {
            fs::remove_dir(dir)?;
        }
    }
    let (id, _) = generator::LOCAL_ACTOR;
    let actor = root.join(format!("content/actors/{id}.md"));
    if actor.exists() {
        fs::remove_file(actor)?;
    }
    Ok(())
}

/// The process's peak resident memory (`VmHWM`), where the OS reports it.
fn peak_rss() -> String {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .and_then(|v| v.strip_suffix(" kB").and_then(|n| n.parse::<f64>().ok()))
        .map_or_else(|| "n/a".into(), |kb| format!("{:.0} MiB", kb / 1024.0))
}
