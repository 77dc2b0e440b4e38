//! `dossier serve`: the site over HTTP on loopback, rebuilt on every change, with
//! live reload in the open pages.
//!
//! How it fits together:
//!
//! - **Memory, not disk.** After each successful build the rendered pages become
//!   one immutable map from path to bytes, swapped in behind a lock in one step.
//!   A request clones the current map's `Arc` and answers from it, so it sees the
//!   old site or the new one complete, never a half-written mix, even while a
//!   rebuild is running. Nothing is written to disk in serve mode (the output
//!   folder of `dossier build` is neither read nor written), and nothing is read
//!   from disk to answer a request, so no request path can reach the file
//!   system, whatever it contains. This is also why the site is not served with
//!   a static-file service such as tower-http's `ServeDir`.
//! - **Watching** ([`watch`]): `site.toml`, the content folder (`content_dir`),
//!   `templates/` and `static/`, through notify and a short debouncer. One thread
//!   owns the [`Site`] and its memo: it drains every pending change, then renders
//!   once, so a burst of saves is one rebuild and the memo makes that rebuild
//!   cost only what changed. A build whose files are all the same as the site
//!   being served (a save without changes) swaps nothing and reloads nothing.
//! - **Live reload** ([`http`]): HTML responses get a small script, added when
//!   the response is sent (never in `dossier build` output). It listens to a
//!   Server-Sent Events stream: `reload` after a good build, `css` when only
//!   stylesheets changed, `error` with the build's report when a build failed; the
//!   last good site stays online and the page shows the report over it until the
//!   next good build.
//!
//! [`start`] gives tests and benchmarks a running server and a [`ServerHandle`] to
//! wait for rebuilds; [`serve`] is `start` plus waiting for Ctrl-C.

mod http;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use tokio::sync::broadcast;

use crate::config::{CONFIG_FILE, ConfigError};
use crate::error::{Error, Errors};
use crate::render::Bytes;
use crate::site::{BuildOptions, Site};

/// How long the watcher waits for a file to be quiet before it reports it. Short,
/// because it is part of the edit-to-page time; editors finish a save well within it.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(30);

/// How many ports after the requested one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// What `dossier serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The port to listen on; the next free one (up to 20 further) is used if it
    /// is taken. `0` lets the system pick a free port (tests use it).
    pub port: u16,
    /// The address to bind. Loopback by default: a preview is for its author.
    pub bind: String,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    /// The watcher's debounce window.
    pub debounce: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            port: 1111,
            bind: "127.0.0.1".into(),
            open: false,
            drafts: false,
            debounce: DEFAULT_DEBOUNCE,
        }
    }
}

/// The outcome of one build in serve mode.
#[derive(Debug, Clone)]
pub struct BuildStatus {
    /// Builds finished since the server started, this one included; the first
    /// build is number 1.
    pub number: u64,
    /// The version of the site being served: raised by every good build that
    /// changed some file of the site (0 while no build has succeeded yet).
    pub generation: u64,
    /// The error report when this build failed; the previous site is still served.
    pub error: Option<String>,
    /// Pages rendered through templates in this build (the rest came from the memo).
    pub rendered: usize,
    /// Files in the site being served.
    pub files: usize,
    /// Changed source files that started this build (0 for the first build).
    pub changed_files: usize,
    /// Time from the start of the build to the new site being served.
    pub elapsed: Duration,
    /// When the new site started to be served, or the failure was reported.
    pub finished_at: Instant,
}

impl BuildStatus {
    /// Whether this build succeeded.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// One version of the site as served: every output file by path, immutable.
struct Snapshot {
    pages: FxHashMap<String, Bytes>,
    /// Which successful build this is (0: nothing built yet).
    generation: u64,
}

/// What the live-reload stream tells the open pages.
#[derive(Debug, Clone)]
enum LiveEvent {
    /// A new site is served: reload.
    Reload { generation: u64 },
    /// Only stylesheets changed: swap them without reloading.
    Css { generation: u64 },
    /// The last build failed: show its report.
    Error { report: Arc<str> },
}

/// State shared by the HTTP side and the rebuild thread.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    status: Mutex<BuildStatus>,
    /// Signalled whenever `status` changes.
    status_changed: Condvar,
    events: broadcast::Sender<LiveEvent>,
    /// Tells pages served by an earlier run of `serve` that they are out of date.
    instance: u64,
}

impl Shared {
    /// The site being served now.
    fn snapshot(&self) -> Arc<Snapshot> {
        let guard = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        Arc::clone(&guard)
    }

    fn status(&self) -> BuildStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Records a finished build: the new site (if any) is swapped in first, so
    /// whoever is woken by the status change already gets the new bytes.
    fn publish(&self, snapshot: Option<Snapshot>, status: BuildStatus, event: Option<LiveEvent>) {
        if let Some(snapshot) = snapshot {
            let mut guard = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
            let old = std::mem::replace(&mut *guard, Arc::new(snapshot));
            drop(guard);
            // Freeing the old site (thousands of pages) happens outside the lock.
            drop(old);
        }
        {
            let mut guard = self.status.lock().unwrap_or_else(|e| e.into_inner());
            *guard = status;
        }
        self.status_changed.notify_all();
        if let Some(event) = event {
            // No receivers (no page open) is not an error.
            let _ = self.events.send(event);
        }
    }
}

/// A running server: its address, and a way to follow its rebuilds and stop it.
/// Dropping the handle stops the server too.
pub struct ServerHandle {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    control: std::sync::mpsc::Sender<watch::Control>,
    stop: tokio::sync::watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<tokio::task::JoinHandle<()>>,
    builder: Option<std::thread::JoinHandle<()>>,
}

impl ServerHandle {
    /// The site's address, e.g. `http://127.0.0.1:1111/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The last finished build.
    pub fn status(&self) -> BuildStatus {
        self.shared.status()
    }

    /// Waits until a build numbered above `after` has finished and its result is
    /// being served, and returns the latest status (a later build may already
    /// have finished too); `None` after `timeout`. Pass the number of
    /// [`ServerHandle::status`] taken before changing a file to wait for the
    /// rebuild that the change causes.
    pub fn wait_for_build(&self, after: u64, timeout: Duration) -> Option<BuildStatus> {
        let deadline = Instant::now() + timeout;
        let mut guard = self.shared.status.lock().unwrap_or_else(|e| e.into_inner());
        while guard.number <= after {
            let left = deadline.checked_duration_since(Instant::now())?;
            guard = self
                .shared
                .status_changed
                .wait_timeout(guard, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Some(guard.clone())
    }

    /// Asks for a rebuild now, as if a file had changed.
    pub fn rebuild(&self) {
        let _ = self.control.send(watch::Control::Rebuild);
    }

    /// Blocks until Ctrl-C.
    fn wait_for_ctrl_c(&self) {
        if let Some(runtime) = &self.runtime {
            // If the signal handler cannot be installed, stop at once rather than
            // serve a process that cannot be stopped cleanly.
            let _ = runtime.block_on(tokio::signal::ctrl_c());
        }
    }

    /// Stops watching and serving: open live-reload streams are closed, requests in
    /// flight are finished, and the threads are joined.
    pub fn shutdown(mut self) {
        self.stop_all();
    }

    fn stop_all(&mut self) {
        let _ = self.control.send(watch::Control::Stop);
        let _ = self.stop.send(true);
        if let Some(runtime) = self.runtime.take() {
            if let Some(server) = self.server.take() {
                let _ = runtime
                    .block_on(async { tokio::time::timeout(Duration::from_secs(3), server).await });
            }
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        if let Some(builder) = self.builder.take() {
            let _ = builder.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// `dossier serve`: builds, serves, rebuilds on change, until Ctrl-C.
pub fn serve(root: &Path, options: ServeOptions) -> Result<(), Errors> {
    let open = options.open;
    let handle = start(root, options)?;
    println!("serving {} (Ctrl-C to stop)", handle.url());
    if open {
        open_browser(handle.url());
    }
    handle.wait_for_ctrl_c();
    println!("stopping");
    handle.shutdown();
    Ok(())
}

/// Starts serving the site at `root`: binds the port, builds once, starts the
/// watcher and the HTTP server, and returns at once. A failed first build does not
/// stop the server: the error is shown in the browser until it is fixed. Only a
/// missing `site.toml`, an unusable address or a watcher that cannot start are
/// errors here.
pub fn start(root: &Path, options: ServeOptions) -> Result<ServerHandle, Errors> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(ConfigError::Missing(root.to_path_buf()).into());
    }
    let ip = parse_bind(&options.bind)?;
    if !ip.is_loopback() {
        eprintln!(
            "warning: binding {ip} makes this preview reachable from other machines; use --bind 127.0.0.1 to keep it private"
        );
    }
    let listener = bind_port(ip, options.port)?;
    let addr = listener.local_addr().map_err(|e| bind_error(ip, e))?;
    let url = match addr.ip() {
        IpAddr::V4(v4) => format!("http://{v4}:{}/", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", addr.port()),
    };

    let site = Site::new(
        root,
        BuildOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
            force: false,
            output_dir: None,
        },
    );
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            pages: FxHashMap::default(),
            generation: 0,
        })),
        status: Mutex::new(BuildStatus {
            number: 0,
            generation: 0,
            error: None,
            rendered: 0,
            files: 0,
            changed_files: 0,
            elapsed: Duration::ZERO,
            finished_at: Instant::now(),
        }),
        status_changed: Condvar::new(),
        events,
        instance: instance_id(),
    });

    // The watcher starts before the first build, so that nothing saved during it
    // is missed; the rebuild thread handles those changes right after.
    let (control, control_rx) = std::sync::mpsc::channel();
    let mut builder = watch::Builder::new(site, Arc::clone(&shared), control.clone(), &options)?;
    builder.first_build();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dossier-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::io(root, &e, "the HTTP server could not start its threads"))?;
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let listener = {
        let _guard = runtime.enter();
        listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|e| bind_error(ip, e))?
    };
    let app = http::router(Arc::clone(&shared), stop_rx.clone());
    let server = runtime.spawn(async move {
        let mut stop_rx = stop_rx;
        let shutdown = async move {
            let _ = stop_rx.wait_for(|stop| *stop).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            eprintln!("error: the HTTP server stopped: {e}");
        }
    });

    let builder = std::thread::Builder::new()
        .name("dossier-rebuild".into())
        .spawn(move || builder.run(control_rx))
        .map_err(|e| Error::io(root, &e, "the rebuild thread could not start"))?;

    Ok(ServerHandle {
        url,
        addr,
        shared,
        control,
        stop,
        runtime: Some(runtime),
        server: Some(server),
        builder: Some(builder),
    })
}

/// `--bind`: an IP address, or `localhost`.
fn parse_bind(bind: &str) -> Result<IpAddr, Errors> {
    if bind.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    bind.trim().parse::<IpAddr>().map_err(|_| {
        Error::Usage(format!(
            "--bind {bind:?} is not an IP address\n  what to do: pass an address such as 127.0.0.1 (the default), ::1 or 0.0.0.0"
        ))
        .into()
    })
}

/// Binds `port`, or the next free one of the 20 after it, saying so when it moves.
fn bind_port(ip: IpAddr, port: u16) -> Result<TcpListener, Errors> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut candidate = port;
    loop {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("port {port} is taken; using port {candidate} instead");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && candidate < last => {
                candidate += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return Err(Error::Usage(format!(
                    "ports {port} to {last} on {ip} are all taken\n  what to do: stop the other server or pass another --port"
                ))
                .into());
            }
            Err(e) => return Err(bind_error(ip, e)),
        }
    }
}

fn bind_error(ip: IpAddr, e: std::io::Error) -> Errors {
    Error::Usage(format!(
        "cannot listen on {ip}: {e}\n  what to do: pass --bind with an address of this machine (127.0.0.1 by default) or another --port"
    ))
    .into()
}

/// A number that differs between runs of `serve`, so that a page left open across
/// a restart reloads instead of trusting its build number.
fn instance_id() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

/// Opens `url` in the desktop's browser. A machine without one is not an error:
/// the URL is printed anyway.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut command = std::process::Command::new(program);
    if cfg!(target_os = "windows") {
        command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
    }
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_accepts_addresses_and_localhost() {
        assert_eq!(
            parse_bind("localhost").ok(),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        assert!(parse_bind("::1").is_ok_and(|ip| ip.is_loopback()));
        assert!(parse_bind("0.0.0.0").is_ok_and(|ip| !ip.is_loopback()));
        assert!(parse_bind("example.org").is_err());
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let first = TcpListener::bind("127.0.0.1:0").expect("bind");
        let taken = first.local_addr().expect("addr").port();
        if taken > u16::MAX - PORT_TRIES {
            return;
        }
        match bind_port(IpAddr::V4(Ipv4Addr::LOCALHOST), taken) {
            Ok(listener) => {
                let port = listener.local_addr().expect("addr").port();
                assert!(port > taken && port <= taken + PORT_TRIES, "{port}");
            }
            // All 20 next ports busy on a crowded machine: the error names the range.
            Err(e) => assert!(e.to_string().contains("all taken"), "{e}"),
        }
    }
}
