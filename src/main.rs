//! The `dossier` command: parses the command line, runs the library, prints one
//! friendly report. Everything else lives in the library, where tests drive it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use dossier::error::Errors;
use dossier::site::{BuildOptions, Site};

/// mimalloc instead of the system allocator: a build allocates millions of small
/// strings across threads, and glibc's per-thread arenas both cost time and kept
/// growing the dev server's memory from one rebuild to the next.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option: `mi_option_purge_delay` in the C header's
/// `mi_option_e`, which the Rust bindings leave out. The test below pins it.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Keeps memory the process frees instead of handing it back to the kernel.
///
/// A one-shot build allocates and frees hundreds of megabytes as batches of
/// pages come and go. mimalloc returns freed memory to the kernel after a
/// second, and the kernel hands it back zeroed on the next page fault: at
/// 10,000 briefings that was ~11,000 faults of (mostly huge) pages and about half
/// a second of wall time spent zeroing, for 3% less peak memory. `build` exits
/// when the site is written, so it keeps what it frees; `serve`, which runs for
/// hours, keeps mimalloc's default and gives memory back when idle.
fn keep_freed_memory() {
    // SAFETY: called from `main` before any other thread exists (mimalloc's
    // option setters are not thread safe); the call only stores a number.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Turn a folder of briefings into a static site with a page per actor and place.
///
/// dossier reads news articles, wire copy and notes (Markdown or plain text),
/// finds the states, organisations, armed groups, people and places in them, and
/// writes a static HTML site with every mention linked.
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// The site's root folder (the one with site.toml).
    #[arg(
        long,
        short = 'r',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new site in DIR: site.toml, an example briefing, and optionally the theme.
    Init {
        /// Folder to create (must be empty or not exist).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also copy the default theme (templates/ and static/) to customise.
        #[arg(long)]
        theme: bool,
    },
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Include briefings marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Override base_url from site.toml (e.g. https://example.org/briefs/).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Override output_dir from site.toml.
        #[arg(long, short = 'o', value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Allow an output folder outside the site.
        #[arg(long)]
        force: bool,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Serve the site on http://127.0.0.1:1111 and rebuild it on every change.
    Serve {
        /// Port to listen on (the next free one is used if it is taken).
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// Address to bind; anything but loopback makes the preview public.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include briefings marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site without writing it: broken links, content warnings, new names.
    Check {
        /// Include briefings marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Show what extraction finds in files: actors, places, statements, relations.
    Extract {
        /// Briefing files (.md or .txt).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// One JSON object per file, one per line (JSON Lines).
    Json,
    /// A readable table.
    Table,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Errors> {
    match cli.command {
        Command::Init { dir, theme } => {
            let written = dossier::init::init(&dir, theme)?;
            println!(
                "created a new site in {} ({} files)",
                dir.display(),
                written.len()
            );
            println!("next: cd {} && dossier serve", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            drafts,
            base_url,
            output_dir,
            force,
            timings,
        } => {
            keep_freed_memory();
            let site = Site::new(
                &cli.root,
                BuildOptions {
                    drafts,
                    base_url,
                    force,
                    output_dir,
                },
            )
            .last_work_of_process();
            let report = site.build_once()?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            println!("{report}");
            if timings {
                let t = report.timings;
                println!(
                    "  load {} ms, extract {} ms ({} briefings), link {} ms, render {} ms ({} pages rendered, {} reused, {} of them rechecked), write {} ms",
                    t.load.as_millis(),
                    t.extract.as_millis(),
                    report.extracted,
                    t.link.as_millis(),
                    t.render.as_millis(),
                    report.render.rendered,
                    report.render.reused,
                    report.render.rechecked,
                    t.write.as_millis()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => {
            dossier::serve::serve(
                &cli.root,
                dossier::serve::ServeOptions {
                    port,
                    bind,
                    open,
                    drafts,
                    ..dossier::serve::ServeOptions::default()
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { drafts } => {
            let clean = dossier::commands::check(&cli.root, drafts)?;
            Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Extract { files, format } => {
            dossier::commands::extract(&cli.root, &files, format == Format::Json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_documents() {
        // mimalloc v3 defaults `purge_delay` to 1000 ms, and no other option to
        // that value: an update that renumbers the options fails here.
        // SAFETY: reads an option; no other thread sets options in this test.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
        keep_freed_memory();
        // SAFETY: as above.
        let kept = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(kept, -1);
    }
}
