//! Headless Chromium for the browser tests: Debian's `chromium`, started with the
//! flags this environment needs and a fresh profile.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::Arc;

use dossier::serve::{ServeOptions, ServerHandle, start};
use headless_chrome::{Browser, LaunchOptions, Tab};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long a page may take to show what a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// `dossier serve` on a free loopback port, and a Chromium tab with a fresh
/// profile: what every browser test starts from.
pub struct Session {
    pub server: ServerHandle,
    pub tab: Arc<Tab>,
    browser: Browser,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Serves the site at `root` and opens a tab (not yet on any page).
    pub fn start(root: &Path) -> Session {
        let server = start(
            root,
            ServeOptions {
                port: 0,
                ..ServeOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("serve did not start:\n{e}"));
        let profile = tempfile::tempdir().expect("temp dir");
        let browser = launch(profile.path());
        let tab = browser.new_tab().expect("tab");
        Session {
            server,
            tab,
            browser,
            _profile: profile,
        }
    }

    /// Closes the browser, then stops the server.
    pub fn close(self) {
        drop(self.tab);
        drop(self.browser);
        self.server.shutdown();
    }
}

/// Starts Chromium with a profile in `user_data`.
pub fn launch(user_data: &Path) -> Browser {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install it with `apt-get update && apt-get install -y chromium` (what .ci/run does)"
    );
    let args: Vec<&OsStr> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 1000)))
        .user_data_dir(Some(user_data.to_path_buf()))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(90))
        .build()
        .unwrap_or_else(|e| panic!("browser options: {e}"));
    Browser::new(options).unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"))
}

/// Evaluates `expression` in the page; `None` while the page is (re)loading.
pub fn eval(tab: &Tab, expression: &str) -> Option<serde_json::Value> {
    tab.evaluate(expression, true).ok()?.value
}

/// Polls `expression` until it is `true`; fails after [`PATIENCE`] with the
/// page's address and text.
pub fn wait_for(tab: &Tab, what: &str, expression: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if eval(tab, expression) == Some(serde_json::Value::Bool(true)) {
            return;
        }
        if Instant::now() > deadline {
            let text = eval(
                tab,
                "document.body ? document.body.innerText.slice(0, 2000) : ''",
            );
            panic!(
                "{what}: not seen within {PATIENCE:?} at {}; the page shows: {text:?}",
                tab.get_url()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
