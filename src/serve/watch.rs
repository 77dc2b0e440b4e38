//! Watching the site's sources and rebuilding it: one thread owns the [`Site`] and
//! its memo, so builds never overlap and each one reuses what the last one did.
//!
//! What is watched: the site root itself without recursion (for `site.toml`, and
//! for `content/`, `templates/` and `static/` appearing, disappearing or being
//! renamed), and those three folders recursively. Watching the whole root
//! recursively would also put watches on `target/`, `.git/` or the output folder,
//! which can hold far more folders than the site. When one of the three folders is
//! created, deleted or renamed, its watch is renewed before the rebuild reads it,
//! so nothing written into it after the rebuild is missed.

use std::collections::{BTreeSet, HashSet};
use std::ffi::OsStr;
use std::panic::AssertUnwindSafe;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use notify::event::{AccessKind, AccessMode};
use notify::{EventHandler, EventKind, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind};
use notify_debouncer_mini::{DebounceEventResult, Debouncer};

use super::{BuildStatus, LiveEvent, ServeOptions, Shared, Snapshot};
use crate::config::CONFIG_FILE;
use crate::error::{Error, Errors};
use crate::site::{BuildOptions, Site};

/// The folders of a site whose files feed the build.
const WATCHED_DIRS: [&str; 3] = ["content", "templates", "static"];

/// What the rebuild thread is told.
pub(super) enum Control {
    /// Files changed (as reported by the debouncer).
    Changes(DebounceEventResult),
    /// Rebuild now, whatever changed.
    Rebuild,
    /// Stop the thread.
    Stop,
}

/// The system's watcher with reads filtered out. The debouncer reports paths but
/// not what happened to them, and notify also reports files being opened and
/// closed after reading: without this filter every build, which reads the
/// templates, would look like a change and start the next build.
pub(super) struct WriteWatcher(RecommendedWatcher);

/// Whether an event can mean that a file's contents, name or existence changed.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl Watcher for WriteWatcher {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        RecommendedWatcher::new(
            move |event: notify::Result<notify::Event>| {
                if event.as_ref().map_or(true, |e| is_change(&e.kind)) {
                    handler.handle_event(event);
                }
            },
            config,
        )
        .map(WriteWatcher)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// The rebuild thread's state: the site with its memo, and the watcher.
pub(super) struct Builder {
    site: Site,
    options: BuildOptions,
    root: PathBuf,
    /// The root as the watcher reports paths under it.
    watch_root: PathBuf,
    shared: Arc<Shared>,
    debouncer: Debouncer<WriteWatcher>,
    watched: BTreeSet<&'static str>,
    /// The output folder of the last good build: never a source, even when a
    /// site puts it inside one of the watched folders.
    output_dir: Option<PathBuf>,
    builds: u64,
    generation: u64,
    last_ok: bool,
    warnings: HashSet<String>,
}

/// The changes drained from the queue for one rebuild.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// A rebuild was asked for, or the watcher reported an error (events may have
    /// been lost): rebuild even if no path looks relevant.
    forced: bool,
    stop: bool,
}

impl Batch {
    fn add(&mut self, control: Control) {
        match control {
            Control::Changes(Ok(events)) => {
                self.paths.extend(events.into_iter().map(|e| e.path));
            }
            Control::Changes(Err(e)) => {
                eprintln!("warning: file watcher: {e}; rebuilding to be safe");
                self.forced = true;
            }
            Control::Rebuild => self.forced = true,
            Control::Stop => self.stop = true,
        }
    }
}

impl Builder {
    /// Starts watching `site`'s folders; changes are sent to `control`.
    pub(super) fn new(
        mut site: Site,
        shared: Arc<Shared>,
        control: Sender<Control>,
        options: &ServeOptions,
    ) -> Result<Builder, Errors> {
        let root = site.root().to_path_buf();
        let watch_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let config = notify_debouncer_mini::Config::default()
            .with_timeout(options.debounce)
            .with_batch_mode(true);
        let mut debouncer = notify_debouncer_mini::new_debouncer_opt::<_, WriteWatcher>(
            config,
            move |result: DebounceEventResult| {
                // The receiver is gone only when serve is stopping.
                let _ = control.send(Control::Changes(result));
            },
        )
        .map_err(|e| watch_error(&root, &e))?;
        debouncer
            .watcher()
            .watch(&watch_root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&root, &e))?;
        let site_options = site.options_mut().clone();
        let mut builder = Builder {
            site,
            options: site_options,
            root,
            watch_root,
            shared,
            debouncer,
            watched: BTreeSet::new(),
            output_dir: None,
            builds: 0,
            generation: 0,
            last_ok: false,
            warnings: HashSet::new(),
        };
        builder.renew_watches(&BTreeSet::new());
        Ok(builder)
    }

    /// The build before the server starts.
    pub(super) fn first_build(&mut self) {
        self.build(0, false);
    }

    /// The rebuild loop: waits for changes, drains everything queued so that a
    /// burst of saves is one rebuild, and rebuilds when a source changed.
    pub(super) fn run(mut self, control: Receiver<Control>) {
        while let Ok(first) = control.recv() {
            let mut batch = Batch::default();
            batch.add(first);
            while let Ok(more) = control.try_recv() {
                batch.add(more);
            }
            if batch.stop {
                return;
            }
            self.renew_watches(&batch.paths);
            let relevant: Vec<&PathBuf> = batch
                .paths
                .iter()
                .filter(|path| self.is_source(path))
                .collect();
            if relevant.is_empty() && !batch.forced {
                continue;
            }
            let css_only = !batch.forced
                && !relevant.is_empty()
                && relevant.iter().all(|path| self.is_stylesheet(path));
            let changed = relevant.len();
            self.build(changed, css_only);
        }
    }

    /// Renews the watch of every source folder that was created, deleted or
    /// renamed (it appears in `paths` itself), and watches folders that exist now
    /// but were not watched.
    fn renew_watches(&mut self, paths: &BTreeSet<PathBuf>) {
        for dir in WATCHED_DIRS {
            let path = self.watch_root.join(dir);
            if paths.contains(&path) && self.watched.remove(dir) {
                // Already gone with its folder, often: nothing to undo then.
                let _ = self.debouncer.watcher().unwatch(&path);
            }
            if !self.watched.contains(dir) && path.is_dir() {
                match self
                    .debouncer
                    .watcher()
                    .watch(&path, RecursiveMode::Recursive)
                {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
                }
            }
        }
    }

    /// Whether a changed path can change the site: `site.toml`, or a file or
    /// folder under `content/`, `templates/` or `static/` that is not hidden, an
    /// editor's temporary file, or inside the output folder.
    fn is_source(&self, path: &Path) -> bool {
        if self
            .output_dir
            .as_ref()
            .is_some_and(|out| path.starts_with(out))
        {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.watch_root) else {
            return false;
        };
        let parts: Vec<&OsStr> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part),
                _ => None,
            })
            .collect();
        match parts.as_slice() {
            [name] if *name == CONFIG_FILE => true,
            [dir, rest @ ..] if WATCHED_DIRS.iter().any(|d| dir == d) => {
                let in_content = *dir == "content";
                !rest.iter().any(|part| is_temporary(part, in_content))
            }
            _ => false,
        }
    }

    /// A stylesheet of the theme: a change to it alone can be applied without a reload.
    fn is_stylesheet(&self, path: &Path) -> bool {
        path.strip_prefix(self.watch_root.join("static"))
            .is_ok_and(|_| path.extension().is_some_and(|e| e == "css"))
    }

    /// Runs the pipeline (nothing is written) and serves the result, or reports
    /// the error and keeps the last good site.
    fn build(&mut self, changed: usize, css_only: bool) {
        let started = Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.site.render()));
        self.builds += 1;
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(panic) => {
                // The memo may be half-updated: start again from a clean one.
                self.site = Site::new(self.root.clone(), self.options.clone());
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Err(Error::Usage(format!(
                    "internal error while building: {message}\n  what to do: this is a bug in dossier; please report it with the file you just changed"
                ))
                .into())
            }
        };
        match outcome {
            Ok(rendered) => {
                for warning in &rendered.warnings {
                    let text = warning.to_string();
                    if !self.warnings.contains(&text) {
                        eprintln!("warning: {text}");
                    }
                }
                self.warnings = rendered.warnings.iter().map(|w| w.to_string()).collect();
                let output = &rendered.built.config.output_dir;
                self.output_dir = Some(if output.is_absolute() {
                    output.clone()
                } else {
                    self.watch_root.join(output)
                });
                let pages: std::collections::HashMap<String, Arc<Vec<u8>>> = rendered
                    .built
                    .pages
                    .iter()
                    .map(|page| (page.path.clone(), Arc::clone(&page.bytes)))
                    .collect();
                self.generation += 1;
                let generation = self.generation;
                let event = if css_only && self.last_ok {
                    LiveEvent::Css { generation }
                } else {
                    LiveEvent::Reload { generation }
                };
                self.last_ok = true;
                let files = pages.len();
                let elapsed = started.elapsed();
                self.shared.publish(
                    Some(Snapshot { pages, generation }),
                    BuildStatus {
                        number: self.builds,
                        generation,
                        error: None,
                        rendered: rendered.stats.rendered,
                        files,
                        changed_files: changed,
                        elapsed,
                        finished_at: Instant::now(),
                    },
                    event,
                );
                let pages = plural(rendered.stats.rendered, "page", "pages");
                let ms = elapsed.as_millis();
                if self.builds == 1 {
                    println!("built {pages} in {ms} ms ({files} files)");
                } else {
                    let files = plural(changed, "changed file", "changed files");
                    println!("rebuilt {pages} in {ms} ms ({files})");
                }
            }
            Err(errors) => {
                let report = errors.to_string();
                self.last_ok = false;
                let elapsed = started.elapsed();
                let files = self.shared.snapshot().pages.len();
                eprintln!("{report}");
                if self.generation > 0 {
                    eprintln!("build failed; still serving the last good build");
                } else {
                    eprintln!("build failed; the browser shows the error until it is fixed");
                }
                self.shared.publish(
                    None,
                    BuildStatus {
                        number: self.builds,
                        generation: self.generation,
                        error: Some(report.clone()),
                        rendered: 0,
                        files,
                        changed_files: changed,
                        elapsed,
                        finished_at: Instant::now(),
                    },
                    LiveEvent::Error {
                        report: report.into(),
                    },
                );
            }
        }
    }
}

/// Hidden files and the files editors write next to the one being saved: vim's
/// `.x.swp` and `4913` probe, emacs's `.#x` and `#x#`, backups `x~`. In `content/`
/// also `.tmp` files, which the loader skips too.
fn is_temporary(name: &OsStr, in_content: bool) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || (in_content && name.ends_with(".tmp"))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn watch_error(root: &Path, e: &notify::Error) -> Errors {
    Error::Usage(format!(
        "{}: cannot watch for changes: {e}\n  what to do: on Linux, raise fs.inotify.max_user_watches (sysctl) or close other programs that watch many files",
        root.display()
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporary_files_are_ignored() {
        for name in [".x.md.swp", "4913", "x.md~", ".#x.md", "#x.md#", ".hidden"] {
            assert!(is_temporary(OsStr::new(name), false), "{name}");
        }
        assert!(is_temporary(OsStr::new("x.md.tmp"), true));
        assert!(!is_temporary(OsStr::new("x.md.tmp"), false));
        assert!(!is_temporary(OsStr::new("x.md"), true));
    }
}
