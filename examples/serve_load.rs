//! `dossier serve` under load: many readers at once while the site rebuilds.
//!
//! ```text
//! cargo run --release --example serve_load
//! cargo run --release --example serve_load -- --count 1000 --seconds 20
//! cargo run --release --example serve_load -- --site /tmp/corpus-1k
//! ```
//!
//! It starts the dev server through the library on a free loopback port, over a
//! generated corpus (`--count` briefings, written to a temporary folder) or over
//! `--site DIR`. Then, for `--seconds`, `--clients` threads each hold one
//! keep-alive connection and loop over the site's pages (index, briefings, actor
//! and place pages, the Atom feeds, the sitemap), while another thread saves a
//! small edit to one briefing every `--edit-ms` milliseconds, so the server
//! rebuilds and swaps the site again and again under the readers. After each
//! save that thread asks for the briefing's page every 5 ms until it shows the
//! edit: the time from the save to that response is the edit-to-served figure
//! (debounce, rebuild and swap included). `--clients 0` measures it with no
//! readers beside.
//!
//! Every response is checked: status 200 and a whole document (an HTML page ends
//! with `</html>`, a feed with `</feed>`, the sitemap with `</urlset>`). The
//! process's resident memory is sampled from `/proc/self/status` throughout. A
//! table of throughput, latency, rebuilds and memory is printed at the end; the
//! exit code is non-zero when any request failed, any page came back cut short, any
//! rebuild failed, any saved edit never showed, or no rebuild happened while the
//! clients were reading.
//!
//! Everything stays on 127.0.0.1 and stops by itself. With `--site`, the edited
//! briefing is put back as it was at the end.

#[path = "corpus/generator.rs"]
mod generator;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;

use dossier::serve::{BuildStatus, ServeOptions, ServerHandle, start};

/// The allocator of the `dossier` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Load-test the dev server: concurrent readers while the site rebuilds.
#[derive(Parser, Debug)]
struct Args {
    /// A site to serve. Without it, a corpus of --count briefings is generated
    /// into a temporary folder.
    #[arg(long, value_name = "DIR")]
    site: Option<PathBuf>,
    /// Briefings to generate when no --site is given. Small by default so that
    /// generating the corpus and the first build stay quick; a one-briefing
    /// rebuild of a 1,000-briefing site under 200 readers takes a few hundred
    /// milliseconds, so try `--count 1000 --seconds 60` for a longer run.
    #[arg(long, default_value_t = 200)]
    count: usize,
    /// Seed for the generated corpus.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How long the clients read, in seconds.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// Milliseconds between two edits of the briefing.
    #[arg(long, default_value_t = 250)]
    edit_ms: u64,
}

/// How long the first build may take before the run is abandoned.
const FIRST_BUILD: Duration = Duration::from_secs(300);
/// One request may not take longer than this, so that a stuck server cannot keep
/// the run going past its end.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Failures described in full at the end (the rest are only counted).
const SHOWN_FAILURES: usize = 10;
/// Every this many requests a client asks for a page that changes on every
/// rebuild (the edited briefing, the index, the site feed) instead of the next
/// page of its walk, so that pages being swapped are read all the time.
const HOT_EVERY: usize = 8;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What a response must look like to count as a whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Feed,
    Sitemap,
}

impl Kind {
    fn of(url: &str) -> Kind {
        if url.ends_with("sitemap.xml") {
            Kind::Sitemap
        } else if url.ends_with(".xml") {
            Kind::Feed
        } else {
            Kind::Html
        }
    }

    /// Whether `body` ends as a complete document of this kind.
    fn is_whole(self, body: &[u8]) -> bool {
        let body = body.trim_ascii_end();
        let end: &[u8] = match self {
            Kind::Html => b"</html>",
            Kind::Feed => b"</feed>",
            Kind::Sitemap => b"</urlset>",
        };
        body.len() >= end.len() && body[body.len() - end.len()..].eq_ignore_ascii_case(end)
    }
}

/// One URL the clients read.
#[derive(Debug, Clone)]
struct Target {
    url: String,
    kind: Kind,
}

impl Target {
    fn new(url: String) -> Target {
        let kind = Kind::of(&url);
        Target { url, kind }
    }
}

/// What one client saw.
#[derive(Default)]
struct ClientReport {
    requests: u64,
    bytes: u64,
    /// Transport errors and statuses other than 200.
    errors: u64,
    /// Status 200 with a body that is not a whole document.
    half_pages: u64,
    /// Microseconds per request.
    latencies: Vec<u32>,
    /// Site versions (generations) seen in the pages' live-reload tag.
    generations: HashSet<u64>,
}

/// The memory samples, with the time since the load started.
struct Rss {
    samples: Vec<(Duration, u64)>,
}

fn run(args: &Args) -> Result<bool, Box<dyn std::error::Error>> {
    if !(args.seconds.is_finite() && args.seconds > 0.0) {
        return Err("--seconds must be above zero".into());
    }
    let temp;
    let (root, generated) = match &args.site {
        Some(dir) => (dir.clone(), false),
        None => {
            temp = tempfile::tempdir()?;
            let root = temp.path().join("site");
            let started = Instant::now();
            let summary = generator::generate(
                &root,
                &generator::Options {
                    count: args.count,
                    seed: args.seed,
                },
            )?;
            println!(
                "generated {} briefings (seed {}) in {:.1} s",
                summary.briefings,
                args.seed,
                started.elapsed().as_secs_f64()
            );
            (root, true)
        }
    };
    let edited = generator::pick_briefing(&root)?;
    let original = fs::read(&edited)?;

    let started = Instant::now();
    let server = start(
        &root,
        ServeOptions {
            port: 0,
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let first = server
        .wait_for_build(0, FIRST_BUILD)
        .ok_or("the first build did not finish in time")?;
    if let Some(report) = &first.error {
        return Err(format!("the first build failed:\n{report}").into());
    }
    println!(
        "serving {} files at {} after {:.1} s",
        first.files,
        server.url(),
        started.elapsed().as_secs_f64()
    );

    let (targets, hot) = discover(&server, &edited)?;
    println!(
        "{} URLs to read ({} hot), {} clients for {:.1} s, an edit every {} ms",
        targets.len(),
        hot.len(),
        args.clients,
        args.seconds,
        args.edit_ms
    );

    let outcome = load(args, &server, &root, &edited, targets, hot);
    server.shutdown();
    if !generated {
        // Put the user's briefing back the way it was.
        save(&root, &edited, &original)?;
    }
    let outcome = outcome?;
    Ok(outcome.print(args, first.files))
}

/// The URLs to read: every page of the sitemap, the feeds of the actors, the site
/// feed and the sitemap itself; and the hot pages that change on every edit.
fn discover(
    server: &ServerHandle,
    edited: &Path,
) -> Result<(Vec<Target>, Vec<Target>), Box<dyn std::error::Error>> {
    let base = server.url().to_string();
    let agent = agent();
    let sitemap_url = format!("{base}sitemap.xml");
    let sitemap = agent
        .get(&sitemap_url)
        .call()?
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()?;
    let mut pages: Vec<String> = Vec::new();
    for chunk in sitemap.split("<loc>").skip(1) {
        if let Some((loc, _)) = chunk.split_once("</loc>") {
            pages.push(loc.replace("&amp;", "&"));
        }
    }
    if pages.is_empty() {
        return Err("the sitemap lists no pages".into());
    }
    let mut targets: Vec<Target> = Vec::with_capacity(pages.len() * 2);
    for page in &pages {
        targets.push(Target::new(page.clone()));
        let path = page.strip_prefix(&base).unwrap_or(page);
        let is_actor = path
            .strip_prefix("actors/")
            .is_some_and(|rest| !rest.is_empty() && rest.matches('/').count() == 1);
        if is_actor {
            targets.push(Target::new(format!("{page}atom.xml")));
        }
    }
    targets.push(Target::new(format!("{base}atom.xml")));
    targets.push(Target::new(sitemap_url));

    let stem = edited
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut hot = vec![
        Target::new(base.clone()),
        Target::new(format!("{base}atom.xml")),
    ];
    if let Some(page) = pages
        .iter()
        .find(|p| p.ends_with(&format!("/briefings/{stem}/")))
    {
        hot.push(Target::new(page.clone()));
    }
    Ok((targets, hot))
}

/// A client with one connection, no redirects followed, statuses as values.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(1)
        .max_idle_connections_per_host(1)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .build()
        .into()
}

/// Everything measured while the clients read.
struct Outcome {
    clients: Vec<ClientReport>,
    elapsed: Duration,
    rss: Rss,
    rss_before: u64,
    edits: Edits,
    builds: Vec<BuildStatus>,
    failures: Vec<String>,
}

fn load(
    args: &Args,
    server: &ServerHandle,
    root: &Path,
    edited: &Path,
    targets: Vec<Target>,
    hot: Vec<Target>,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    let targets = Arc::new(targets);
    let hot = Arc::new(hot);
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let length = Duration::from_secs_f64(args.seconds);
    let rss_before = rss_kb().unwrap_or(0);
    let builds_before = server.status().number;

    let begin = Instant::now();
    let deadline = begin + length;
    let mut clients = Vec::with_capacity(args.clients);
    for id in 0..args.clients {
        let targets = Arc::clone(&targets);
        let hot = Arc::clone(&hot);
        let failures = Arc::clone(&failures);
        // Client threads only hold one response at a time: a small stack is plenty.
        let handle = thread::Builder::new()
            .name(format!("client-{id}"))
            .stack_size(256 * 1024)
            .spawn(move || client(id, &targets, &hot, deadline, &failures))?;
        clients.push(handle);
    }

    let editor = {
        let root = root.to_path_buf();
        let edited = edited.to_path_buf();
        let every = Duration::from_millis(args.edit_ms.max(1));
        // The edited briefing's page is the last hot page, when it was found.
        let page = hot
            .last()
            .filter(|t| t.url.contains("/briefings/"))
            .map(|t| t.url.clone());
        thread::Builder::new()
            .name("editor".into())
            .spawn(move || editor(&root, &edited, page.as_deref(), every, deadline))?
    };

    // Follow the rebuilds and sample memory until the last client has had its
    // last answer (a request sent just before the deadline is still read).
    let mut builds = Vec::new();
    let mut last = builds_before;
    let mut rss = Rss {
        samples: Vec::new(),
    };
    let mut next_sample = begin;
    while Instant::now() < deadline || clients.iter().any(|c| !c.is_finished()) {
        if Instant::now() >= next_sample {
            if let Some(kb) = rss_kb() {
                rss.samples.push((begin.elapsed(), kb));
            }
            next_sample += Duration::from_millis(100);
        }
        if let Some(status) = server.wait_for_build(last, Duration::from_millis(20))
            && status.number > last
        {
            last = status.number;
            builds.push(status);
        }
    }
    if let Some(kb) = rss_kb() {
        rss.samples.push((begin.elapsed(), kb));
    }
    let mut reports = Vec::with_capacity(clients.len());
    for handle in clients {
        reports.push(handle.join().map_err(|_| "a client thread panicked")?);
    }
    let elapsed = begin.elapsed();
    let edits = editor.join().map_err(|_| "the editor thread panicked")?;
    let failures = failures.lock().map(|f| f.clone()).unwrap_or_default();
    Ok(Outcome {
        clients: reports,
        elapsed,
        rss,
        rss_before,
        edits,
        builds,
        failures,
    })
}

/// One reader: walks the URL list from its own starting point, with a hot page
/// every few requests, until the deadline.
fn client(
    id: usize,
    targets: &[Target],
    hot: &[Target],
    deadline: Instant,
    failures: &Mutex<Vec<String>>,
) -> ClientReport {
    let agent = agent();
    let mut report = ClientReport {
        latencies: Vec::with_capacity(8192),
        ..ClientReport::default()
    };
    // Spread the clients over the list so they do not all read the same page.
    let mut next = id.wrapping_mul(7919) % targets.len().max(1);
    let mut hot_next = id % hot.len().max(1);
    let fail = |what: String| {
        if let Ok(mut list) = failures.lock()
            && list.len() < SHOWN_FAILURES
        {
            list.push(what);
        }
    };
    while Instant::now() < deadline {
        let target =
            if report.requests % HOT_EVERY as u64 == HOT_EVERY as u64 - 1 && !hot.is_empty() {
                hot_next = (hot_next + 1) % hot.len();
                &hot[hot_next]
            } else {
                next = (next + 1) % targets.len();
                &targets[next]
            };
        let asked = Instant::now();
        let result = fetch(&agent, &target.url);
        let micros = asked.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        report.requests += 1;
        report.latencies.push(micros);
        match result {
            Err(e) => {
                report.errors += 1;
                fail(format!("{}: {e}", target.url));
            }
            Ok((status, _)) if status != 200 => {
                report.errors += 1;
                fail(format!("{}: status {status}", target.url));
            }
            Ok((_, body)) => {
                report.bytes += body.len() as u64;
                if !target.kind.is_whole(&body) {
                    report.half_pages += 1;
                    let tail = String::from_utf8_lossy(&body[body.len().saturating_sub(40)..])
                        .into_owned();
                    fail(format!(
                        "{}: {} bytes, not a whole {:?} document, ends with {tail:?}",
                        target.url,
                        body.len(),
                        target.kind
                    ));
                } else if target.kind == Kind::Html
                    && let Some(generation) = generation(&body)
                {
                    report.generations.insert(generation);
                }
            }
        }
    }
    report
}

/// One GET: the status and the whole body.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(u16, Vec<u8>), ureq::Error> {
    let mut response = agent.get(url).call()?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_vec()?;
    Ok((status, body))
}

/// The site version a page was served from, from its live-reload tag
/// (`data-since="<instance>-<generation>"`).
fn generation(html: &[u8]) -> Option<u64> {
    const MARK: &[u8] = b"data-since=\"";
    let at = html.windows(MARK.len()).rposition(|w| w == MARK)? + MARK.len();
    let rest = &html[at..];
    let end = rest.iter().position(|&b| b == b'"')?;
    let token = std::str::from_utf8(&rest[..end]).ok()?;
    token.rsplit_once('-')?.1.parse().ok()
}

/// What the editor thread saw.
#[derive(Default)]
struct Edits {
    saved: u64,
    errors: Vec<String>,
    /// For each saved edit: from the rename to the first response of the
    /// briefing's page that shows the new revision.
    served_after: Vec<Duration>,
    /// Whether the briefing's page was known, so edits were followed to it.
    watched: bool,
}

/// Saves an edit of `edited` every `every` until the deadline, and after each
/// one asks for the briefing's page (`page`) every 5 ms until it shows
/// the edit.
fn editor(
    root: &Path,
    edited: &Path,
    page: Option<&str>,
    every: Duration,
    deadline: Instant,
) -> Edits {
    let mut edits = Edits {
        watched: page.is_some(),
        ..Edits::default()
    };
    let agent = agent();
    let mut next = Instant::now() + every;
    while next < deadline {
        if let Some(wait) = next.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
        next += every;
        let revision = match edit(root, edited) {
            Ok(revision) => revision,
            Err(e) => {
                edits.errors.push(format!("{}: {e}", edited.display()));
                continue;
            }
        };
        let saved = Instant::now();
        edits.saved += 1;
        let Some(page) = page else { continue };
        let marker = format!("(revision {revision})");
        while saved.elapsed() < Duration::from_secs(10) {
            if let Ok((200, body)) = fetch(&agent, page)
                && String::from_utf8_lossy(&body).contains(&marker)
            {
                edits.served_after.push(saved.elapsed());
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
    edits
}

/// One edit, saved the way editors save: the new text is written next to the
/// site's folders and renamed over the briefing, so the watcher never reads a
/// half-written file. Returns the revision the briefing's note now shows.
fn edit(root: &Path, edited: &Path) -> io::Result<u32> {
    let scratch = root.join(".serve-load-edit.md");
    fs::copy(edited, &scratch)?;
    let revision = generator::edit_briefing(&scratch)?;
    fs::rename(&scratch, edited)?;
    Ok(revision)
}

/// Writes `bytes` to `path` through a rename, as [`edit`] does.
fn save(root: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let scratch = root.join(".serve-load-edit.md");
    fs::write(&scratch, bytes)?;
    fs::rename(&scratch, path)
}

/// This process's resident memory in kB (`VmRSS`), on Linux.
fn rss_kb() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Rss {
    /// The sample nearest to `at`.
    fn at(&self, at: Duration) -> Option<u64> {
        self.samples
            .iter()
            .min_by_key(|(t, _)| t.abs_diff(at))
            .map(|&(_, kb)| kb)
    }

    fn max(&self) -> Option<u64> {
        self.samples.iter().map(|&(_, kb)| kb).max()
    }
}

impl Outcome {
    /// Prints the table; `true` when the run passed.
    fn print(&self, args: &Args, files: usize) -> bool {
        let requests: u64 = self.clients.iter().map(|c| c.requests).sum();
        let bytes: u64 = self.clients.iter().map(|c| c.bytes).sum();
        let errors: u64 = self.clients.iter().map(|c| c.errors).sum();
        let half: u64 = self.clients.iter().map(|c| c.half_pages).sum();
        let mut latencies: Vec<u32> = self
            .clients
            .iter()
            .flat_map(|c| c.latencies.iter().copied())
            .collect();
        latencies.sort_unstable();
        let generations: HashSet<u64> = self
            .clients
            .iter()
            .flat_map(|c| c.generations.iter().copied())
            .collect();
        let seconds = self.elapsed.as_secs_f64();
        let failed_builds: Vec<&BuildStatus> = self.builds.iter().filter(|b| !b.is_ok()).collect();
        let mut build_ms: Vec<f64> = self
            .builds
            .iter()
            .map(|b| b.elapsed.as_secs_f64() * 1e3)
            .collect();
        build_ms.sort_by(f64::total_cmp);

        let ms = |p: f64| {
            percentile(&latencies, p).map_or("-".into(), |us| format!("{:.1} ms", us as f64 / 1e3))
        };
        let mb =
            |kb: Option<u64>| kb.map_or("-".into(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
        let length = Duration::from_secs_f64(args.seconds);

        println!();
        println!("| measure | value |");
        println!("| --- | --- |");
        println!("| site | {files} files |");
        println!(
            "| clients | {} connections for {seconds:.1} s |",
            args.clients
        );
        println!(
            "| requests | {requests} ({:.0}/s) |",
            requests as f64 / seconds
        );
        println!(
            "| data read | {:.1} MB ({:.1} MB/s) |",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / seconds
        );
        println!("| errors (transport or status other than 200) | {errors} |");
        println!("| half pages | {half} |");
        println!(
            "| latency p50 / p90 / p99 / max | {} / {} / {} / {} |",
            ms(0.50),
            ms(0.90),
            ms(0.99),
            ms(1.0)
        );
        println!(
            "| edits saved | {} (one every {} ms) |",
            self.edits.saved, args.edit_ms
        );
        let mut served: Vec<f64> = self
            .edits
            .served_after
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        served.sort_by(f64::total_cmp);
        println!(
            "| saved edit to the page served with it (debounce included) | {} edits, median {} / max {} |",
            served.len(),
            median(&served).map_or("-".into(), |v| format!("{v:.0} ms")),
            served.last().map_or("-".into(), |v| format!("{v:.0} ms")),
        );
        println!(
            "| rebuilds during the load | {} ({} failed), build time median {} / max {} |",
            self.builds.len(),
            failed_builds.len(),
            median(&build_ms).map_or("-".into(), |v| format!("{v:.0} ms")),
            build_ms.last().map_or("-".into(), |v| format!("{v:.0} ms")),
        );
        println!(
            "| site versions seen by the clients | {} |",
            generations.len()
        );
        println!(
            "| RSS before / start / middle / end / max | {} / {} / {} / {} / {} |",
            mb(Some(self.rss_before)),
            mb(self.rss.at(Duration::ZERO)),
            mb(self.rss.at(length / 2)),
            mb(self.rss.at(length)),
            mb(self.rss.max()),
        );
        let trace: Vec<String> = (0..=length.as_secs())
            .filter_map(|s| self.rss.at(Duration::from_secs(s)))
            .map(|kb| format!("{:.0}", kb as f64 / 1024.0))
            .collect();
        println!("\nRSS each second of the load, MB: {}", trace.join(" "));

        for failure in &self.failures {
            println!("failure: {failure}");
        }
        for error in &self.edits.errors {
            println!("edit failed: {error}");
        }
        for build in &failed_builds {
            println!(
                "build {} failed: {}",
                build.number,
                build.error.as_deref().unwrap_or("")
            );
        }
        let mut ok = true;
        if errors > 0 || half > 0 {
            println!("FAILED: {errors} errors and {half} half pages");
            ok = false;
        }
        if !failed_builds.is_empty() || !self.edits.errors.is_empty() {
            println!(
                "FAILED: {} rebuilds and {} edits failed",
                failed_builds.len(),
                self.edits.errors.len()
            );
            ok = false;
        }
        if self.builds.is_empty() {
            println!("FAILED: no rebuild happened while the clients were reading");
            ok = false;
        }
        if self.edits.watched && self.edits.served_after.len() < self.edits.saved as usize {
            println!(
                "FAILED: {} of {} saved edits never showed on the page",
                self.edits.saved as usize - self.edits.served_after.len(),
                self.edits.saved
            );
            ok = false;
        }
        if ok {
            println!("ok: every response was a whole page with status 200");
        }
        ok
    }
}

/// The value at fraction `p` (0..=1) of sorted `values`.
fn percentile(sorted: &[u32], p: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted.get(rank).copied()
}

fn median(sorted: &[f64]) -> Option<f64> {
    sorted.get(sorted.len() / 2).copied()
}
