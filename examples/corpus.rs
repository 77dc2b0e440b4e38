//! Writes a generated benchmark corpus: a complete site of news-like briefings.
//!
//! ```text
//! cargo run --release --example corpus -- --count 10000 --seed 42 --out /tmp/corpus-10k
//! cargo run --release --example corpus -- --edit /tmp/corpus-10k            # one briefing
//! cargo run --release --example corpus -- --edit /tmp/corpus-10k/content/briefings/2024/x.md
//! ```
//!
//! The same count and seed always give the same files (see `corpus/generator.rs`).

#[path = "corpus/generator.rs"]
mod generator;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Generate a deterministic corpus of briefings, or edit one briefing of it.
#[derive(Parser, Debug)]
struct Args {
    /// Number of briefings (about 1% are `.txt` wire items).
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Folder to write the site into (created; a previous corpus there is replaced).
    #[arg(long, value_name = "DIR", required_unless_present = "edit")]
    out: Option<PathBuf>,
    /// Keep the folder as it is when it already holds a corpus of this count and seed.
    #[arg(long)]
    reuse: bool,
    /// Instead of generating: make a small deterministic edit to the briefing at
    /// PATH, or to a fixed briefing of the corpus when PATH is the site folder.
    #[arg(long, value_name = "PATH", conflicts_with = "out")]
    edit: Option<PathBuf>,
    /// With --edit SITE: change the site's actor registry instead (writes
    /// content/actors/coastal-relief-network.md, a new revision each time).
    #[arg(long, requires = "edit")]
    registry: bool,
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

fn run(args: &Args) -> std::io::Result<()> {
    if let Some(path) = &args.edit {
        if args.registry {
            let (file, revision) = generator::edit_registry(path)?;
            println!("edited {} (revision {revision})", file.display());
            return Ok(());
        }
        let file = if path.is_dir() {
            generator::pick_briefing(path)?
        } else {
            path.clone()
        };
        let revision = generator::edit_briefing(&file)?;
        println!("edited {} (revision {revision})", file.display());
        return Ok(());
    }
    let Some(out) = &args.out else {
        return Ok(());
    };
    if args.reuse && generator::marker(out) == Some((args.count, args.seed)) {
        println!(
            "{} already holds {} briefings with seed {}",
            out.display(),
            args.count,
            args.seed
        );
        return Ok(());
    }
    let started = Instant::now();
    let summary = generator::generate(
        out,
        &generator::Options {
            count: args.count,
            seed: args.seed,
        },
    )?;
    println!(
        "wrote {} briefings ({} wire items) to {} in {:.2} s: {} words ({} per briefing), {:.1} MB, {} distinct actors, {} places",
        summary.briefings,
        summary.wire,
        out.display(),
        started.elapsed().as_secs_f64(),
        summary.words,
        summary.words / summary.briefings.max(1),
        summary.bytes as f64 / 1e6,
        summary.actors,
        summary.places,
    );
    let top: Vec<String> = summary
        .top
        .iter()
        .map(|(id, n)| format!("{id} {:.0}%", 100.0 * *n as f64 / summary.briefings as f64))
        .collect();
    println!("most named: {}", top.join(", "));
    Ok(())
}
