//! `dossier serve` end to end: a server on a free loopback port over a small site in
//! a temp folder, changed on disk while the tests watch its pages and its
//! live-reload stream.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{Fixture, briefing, default_theme_file};
use dossier::serve::{ServeOptions, ServerHandle, start};

/// How long any single wait may take before the test fails (generous: the
/// machine is shared).
const PATIENCE: Duration = Duration::from_secs(15);

/// Never appears in any page: only in site.toml, to catch a file leaking out.
const CANARY: &str = "canary-7f3a91-not-for-pages";

/// The serve fixture: a small site (see [`TestSite::new`]) with a way to serve it.
struct TestSite(Fixture);

impl std::ops::Deref for TestSite {
    type Target = Fixture;
    fn deref(&self) -> &Fixture {
        &self.0
    }
}

impl TestSite {
    fn new() -> TestSite {
        let site = TestSite(Fixture::new(&[]));
        site.write(
            "site.toml",
            &format!(
                "# {CANARY}\ntitle = \"Serve Test Briefings\"\nbase_url = \"https://example.org/\"\n\n[search]\nenabled = false\n"
            ),
        );
        site.write(
            "content/briefings/2026-03-02-alpha.md",
            &briefing("Alpha talks", "2026-03-02", "The first alpha sentence."),
        );
        site.write(
            "content/briefings/2026-03-03-bravo.md",
            &briefing("Bravo talks", "2026-03-03", "The first bravo sentence."),
        );
        site.write(
            "content/briefings/2026-03-04-charlie.txt",
            "Charlie wire headline\n\nA plain wire story about charlie, filed on 4 March 2026.\n",
        );
        site
    }

    fn start(&self) -> ServerHandle {
        start(
            self.root(),
            ServeOptions {
                port: 0,
                bind: "127.0.0.1".into(),
                ..ServeOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("serve did not start:\n{e}"))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(PATIENCE))
        .build()
        .into()
}

/// Status, content type, cache header and body of `GET url`.
struct Fetched {
    status: u16,
    content_type: String,
    cache_control: String,
    location: String,
    body: String,
}

fn fetch(agent: &ureq::Agent, url: &str) -> Fetched {
    let response = agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, cache_control, location) = (
        header("content-type"),
        header("cache-control"),
        header("location"),
    );
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .read_to_string()
        .unwrap_or_else(|e| panic!("GET {url}: body: {e}"));
    Fetched {
        status,
        content_type,
        cache_control,
        location,
        body,
    }
}

/// Polls `check` until it holds; fails the test after [`PATIENCE`].
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until no build has started for a while (a save can reach the watcher
/// in two parts on a busy machine, and so make two builds), and returns the
/// number of the last one.
fn settle(server: &ServerHandle) -> u64 {
    let mut last = server.status().number;
    while let Some(status) = server.wait_for_build(last, Duration::from_millis(300)) {
        last = status.number;
    }
    last
}

/// A live-reload stream read on its own thread: (event name, data) pairs.
struct Events {
    received: Receiver<(String, String)>,
}

impl Events {
    /// Connects and waits for the server's `ready` event, so that nothing the
    /// test does afterwards can be missed.
    fn connect(base: &str) -> Events {
        let (sender, received) = channel();
        let url = format!("{base}__dossier/events");
        std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .timeout_global(None)
                .build()
                .into();
            let Ok(response) = agent.get(&url).call() else {
                return;
            };
            let reader = BufReader::new(response.into_body().into_reader());
            let (mut name, mut data) = (String::new(), Vec::<String>::new());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !name.is_empty() || !data.is_empty() {
                        let event = (std::mem::take(&mut name), data.join("\n"));
                        data.clear();
                        if sender.send(event).is_err() {
                            return;
                        }
                    }
                } else if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim_start().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
                }
            }
        });
        let events = Events { received };
        events.expect("ready");
        events
    }

    /// After a `reload`, waits for more until `check` holds. A save that the
    /// watcher sees in two parts (truncated, then written) can make two builds,
    /// and the page is right after the last one.
    fn reload_until(&self, what: &str, mut check: impl FnMut() -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !check() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            self.expect("reload");
        }
    }

    /// The data of the next event named `name`; other events are skipped.
    fn expect(&self, name: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => panic!("no `{name}` event within {PATIENCE:?}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("event stream closed before `{name}`")
                }
            }
        }
    }
}

#[test]
fn an_edit_reaches_the_page_and_the_open_pages_are_told() {
    let site = TestSite::new();
    let server = site.start();
    let agent = agent();
    let page_url = format!("{}briefings/alpha/", server.url());

    let page = fetch(&agent, &page_url);
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert_eq!(page.cache_control, "no-store");
    assert!(page.body.contains("The first alpha sentence."));
    assert!(
        page.body
            .contains("<script src=\"/__dossier/livereload.js\""),
        "the live-reload script is injected"
    );
    assert!(page.body.trim_end().ends_with("</html>"));
    // Links in serve mode point at the local server, not at the configured site.
    assert!(!page.body.contains("https://example.org/briefings/"));

    let script = fetch(&agent, &format!("{}__dossier/livereload.js", server.url()));
    assert_eq!(script.status, 200);
    assert!(script.content_type.starts_with("text/javascript"));
    assert!(script.body.contains("EventSource"));

    let redirect = fetch(&agent, &format!("{}briefings/alpha", server.url()));
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.location, "/briefings/alpha/");

    let missing = fetch(&agent, &format!("{}no/such/page/", server.url()));
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("</html>"), "the site's 404.html");

    let css = fetch(&agent, &format!("{}style.css", server.url()));
    assert_eq!(
        (css.status, css.content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );

    let events = Events::connect(server.url());
    site.write(
        "content/briefings/2026-03-02-alpha.md",
        &briefing("Alpha talks", "2026-03-02", "A rewritten alpha sentence."),
    );
    events.expect("reload");
    events.reload_until("the rewritten briefing", || {
        fetch(&agent, &page_url)
            .body
            .contains("A rewritten alpha sentence.")
    });
    let page = fetch(&agent, &page_url);
    assert!(!page.body.contains("The first alpha sentence."));

    // graph.json, kept in pieces between rebuilds, is whole JSON when asked for.
    let graph = fetch(&agent, &format!("{}graph.json", server.url()));
    assert_eq!(graph.status, 200);
    let graph: serde_json::Value = serde_json::from_str(&graph.body).expect("graph.json parses");
    assert_eq!(graph["version"], 2);
    let slugs: Vec<&str> = graph["briefings"]
        .as_array()
        .expect("a list of briefings")
        .iter()
        .filter_map(|b| b["slug"].as_str())
        .collect();
    assert!(slugs.contains(&"alpha"), "{slugs:?}");
    assert!(graph["co_mentions"].is_array());

    let status = server.status();
    assert!(status.is_ok());
    assert!(status.generation >= 2);
    server.shutdown();
}

#[test]
fn a_broken_template_shows_the_error_then_the_fix_reloads() {
    let site = TestSite::new();
    let server = site.start();
    let agent = agent();
    let page_url = format!("{}briefings/bravo/", server.url());
    let events = Events::connect(server.url());

    site.save(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block content %}<p>{{ broken(( }}</p>{% endblock %}\n",
    );
    let report = events.expect("error");
    assert!(
        report.contains("templates/briefing.html:2:"),
        "the report names the template, line and column: {report}"
    );
    let column = report
        .split("templates/briefing.html:2:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse::<usize>().ok());
    assert!(column.is_some_and(|c| c > 1), "a column number: {report}");
    assert!(server.status().error.is_some());

    // The last good site is still served, and a page opened now is told at once.
    let page = fetch(&agent, &page_url);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first bravo sentence."));
    let late = Events::connect(server.url());
    assert!(late.expect("error").contains("templates/briefing.html:2:"));

    // The fix: the default template with a visible change.
    let fixed = default_theme_file("templates/briefing.html").replacen(
        "{% endblock",
        "<p class=\"serve-test-marker\">fixed template</p>{% endblock",
        1,
    );
    site.write("templates/briefing.html", &fixed);
    late.expect("reload");
    events.expect("reload");
    events.reload_until("the fixed template", || {
        fetch(&agent, &page_url).body.contains("fixed template")
    });
    assert!(server.status().is_ok());
}

/// Sends one request as raw bytes, so that the path reaches the server exactly as
/// written (an HTTP client would normalise `..` or refuse a backslash).
fn raw_get(server: &ServerHandle, path: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn path_traversal_never_reaches_the_files() {
    let site = TestSite::new();
    let server = site.start();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/..%2fsite.toml",
        "/..%2Fsite.toml",
        "/..\\site.toml",
        "/..%5csite.toml",
        "/briefings/../../site.toml",
        "/briefings/%2e%2e/%2e%2e/site.toml",
        "/site.toml",
        "/content/briefings/2026-03-02-alpha.md",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/../../../../etc/passwd",
    ] {
        let response = raw_get(&server, path);
        let status_line = response.lines().next().unwrap_or("");
        assert!(
            status_line.starts_with("HTTP/1.1 4"),
            "{path}: {status_line}"
        );
        assert!(!response.contains(CANARY), "{path} leaked site.toml");
        assert!(!response.contains("root:"), "{path} leaked a system file");
        assert!(
            !response.contains("The first alpha sentence.\n+++"),
            "{path} leaked a source file"
        );
    }
    // The server is still fine.
    let page = fetch(&agent(), server.url());
    assert_eq!(page.status, 200);
}

#[test]
fn deleting_content_is_an_error_not_an_exit() {
    let site = TestSite::new();
    let server = site.start();
    let agent = agent();
    let events = Events::connect(server.url());
    let page_url = format!("{}briefings/alpha/", server.url());

    std::fs::remove_dir_all(site.path("content")).expect("delete content/");
    let report = events.expect("error");
    assert!(report.contains("content"), "{report}");
    let page = fetch(&agent, &page_url);
    assert_eq!(page.status, 200, "the last good site is still served");
    assert!(page.body.contains("The first alpha sentence."));

    site.write(
        "content/briefings/2026-03-02-alpha.md",
        &briefing("Alpha talks", "2026-03-02", "The alpha file is back."),
    );
    events.expect("reload");
    eventually("the recreated briefing", || {
        fetch(&agent, &page_url)
            .body
            .contains("The alpha file is back.")
    });
    // The new folder is watched again.
    site.write(
        "content/briefings/2026-03-02-alpha.md",
        &briefing(
            "Alpha talks",
            "2026-03-02",
            "The alpha file, edited after the return.",
        ),
    );
    events.expect("reload");
    eventually("the edit inside the recreated folder", || {
        fetch(&agent, &page_url)
            .body
            .contains("The alpha file, edited after the return.")
    });
    let gone = fetch(&agent, &format!("{}briefings/bravo/", server.url()));
    assert_eq!(gone.status, 404, "bravo was deleted with the folder");
}

#[test]
fn concurrent_requests_during_rebuilds_get_whole_pages() {
    let site = TestSite::new();
    let server = site.start();
    let base = server.url().to_string();
    let paths = [
        "",
        "briefings/alpha/",
        "briefings/bravo/",
        "briefings/charlie/",
        "actors/",
        "places/",
    ];

    let clients = 200;
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut workers = Vec::new();
    for i in 0..clients {
        let barrier = Arc::clone(&barrier);
        let url = format!("{base}{}", paths[i % paths.len()]);
        workers.push(std::thread::spawn(move || {
            let agent = agent();
            barrier.wait();
            // Spread over the burst of rebuilds below.
            std::thread::sleep(Duration::from_millis((i as u64 % 40) * 5));
            let page = fetch(&agent, &url);
            (url, page.status, page.body)
        }));
    }
    barrier.wait();
    for n in 0..20 {
        site.write(
            "content/briefings/2026-03-03-bravo.md",
            &briefing(
                "Bravo talks",
                "2026-03-03",
                &format!("The bravo version {n}."),
            ),
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    for worker in workers {
        let (url, status, body) = worker.join().expect("client thread");
        assert_eq!(status, 200, "{url}");
        assert!(
            body.trim_end().ends_with("</html>"),
            "{url}: incomplete page ({} bytes)",
            body.len()
        );
    }
    let agent = agent();
    assert!(
        server.status().number >= 2,
        "the requests overlapped rebuilds"
    );
    eventually("the last version of the burst", || {
        fetch(&agent, &format!("{base}briefings/bravo/"))
            .body
            .contains("The bravo version 19.")
    });
}

#[test]
fn atomic_saves_renames_and_new_folders_end_in_the_right_site() {
    let site = TestSite::new();
    let server = site.start();
    let agent = agent();
    let url = |path: &str| format!("{}{path}", server.url());

    // An editor's atomic save: write a temporary file, rename it over the original.
    site.write(
        "content/briefings/2026-03-02-alpha.md.tmp",
        &briefing(
            "Alpha talks",
            "2026-03-02",
            "The alpha file, saved atomically.",
        ),
    );
    std::fs::rename(
        site.path("content/briefings/2026-03-02-alpha.md.tmp"),
        site.path("content/briefings/2026-03-02-alpha.md"),
    )
    .expect("rename");
    eventually("the atomic save", || {
        fetch(&agent, &url("briefings/alpha/"))
            .body
            .contains("The alpha file, saved atomically.")
    });

    // vim's habits: a probe file, a backup, a swap file; none of them is a briefing.
    site.write("content/briefings/4913", "");
    site.write("content/briefings/.2026-03-02-alpha.md.swp", "swap");
    site.write("content/briefings/2026-03-02-alpha.md~", "backup");

    // A rename changes the slug: the old page goes, the new one comes.
    std::fs::rename(
        site.path("content/briefings/2026-03-03-bravo.md"),
        site.path("content/briefings/2026-03-03-delta.md"),
    )
    .expect("rename");
    eventually("the renamed briefing", || {
        fetch(&agent, &url("briefings/delta/")).status == 200
            && fetch(&agent, &url("briefings/bravo/")).status == 404
    });

    // A new subfolder with a briefing in it, written right after the folder.
    site.write(
        "content/briefings/2027/2027-01-05-echo.md",
        &briefing(
            "Echo talks",
            "2027-01-05",
            "The echo file from a new folder.",
        ),
    );
    eventually("the briefing in the new folder", || {
        fetch(&agent, &url("briefings/echo/"))
            .body
            .contains("The echo file from a new folder.")
    });

    // A burst of saves ends in the last one.
    for n in 0..15 {
        site.write(
            "content/briefings/2026-03-03-delta.md",
            &briefing("Delta talks", "2026-03-03", &format!("The delta save {n}.")),
        );
    }
    eventually("the last save of the burst", || {
        fetch(&agent, &url("briefings/delta/"))
            .body
            .contains("The delta save 14.")
    });

    // A partial write (the file is being saved while the watcher fires) may fail
    // one build, but the server lives and the completed file wins.
    let path = site.path("content/briefings/2026-03-04-charlie.txt");
    std::fs::write(&path, "Charlie wire headline\n\nHalf a sto").expect("write");
    std::thread::sleep(Duration::from_millis(60));
    std::fs::write(
        &path,
        "Charlie wire headline\n\nThe whole charlie story, complete at last.\n",
    )
    .expect("write");
    eventually("the completed wire story", || {
        fetch(&agent, &url("briefings/charlie/"))
            .body
            .contains("complete at last")
    });

    // Deleting a briefing removes its page.
    std::fs::remove_file(site.path("content/briefings/2027/2027-01-05-echo.md")).expect("delete");
    eventually("the deleted briefing to go", || {
        fetch(&agent, &url("briefings/echo/")).status == 404
    });
    assert!(server.status().is_ok(), "{:?}", server.status().error);
}

#[test]
fn wait_for_build_reports_each_rebuild() {
    let site = TestSite::new();
    let server = site.start();
    let first = server.status();
    assert_eq!(first.number, 1);
    assert!(first.is_ok(), "{:?}", first.error);
    assert!(first.files > 0);

    // A change that is not a source (an unrelated file at the root) builds nothing.
    site.write("notes.txt", "not part of the site");
    assert!(
        server
            .wait_for_build(first.number, Duration::from_millis(400))
            .is_none()
    );

    site.write(
        "content/briefings/2026-03-02-alpha.md",
        &briefing("Alpha talks", "2026-03-02", "The alpha file, waited for."),
    );
    let next = server
        .wait_for_build(first.number, PATIENCE)
        .expect("a rebuild after the edit");
    assert!(next.is_ok());
    assert!(next.changed_files >= 1);
    // A save seen in two parts makes two builds; the wait returns the latest.
    assert!(next.generation > first.generation);
    assert!(next.finished_at >= first.finished_at);
    // The rebuilt bytes are served by the time the wait returns.
    let page = fetch(&agent(), &format!("{}briefings/alpha/", server.url()));
    assert!(page.body.contains("The alpha file, waited for."));

    // An explicit request builds.
    let quiet = settle(&server);
    server.rebuild();
    assert!(server.wait_for_build(quiet, PATIENCE).is_some());
}

#[test]
fn a_missing_site_is_an_error_and_a_taken_port_moves_on() {
    let empty = tempfile::tempdir().expect("temp dir");
    let error = start(empty.path(), ServeOptions::default())
        .err()
        .expect("no site.toml is an error");
    assert!(error.to_string().contains("site.toml"), "{error}");

    let site = TestSite::new();
    let first = site.start();
    let taken = first.addr().port();
    let second = start(
        site.root(),
        ServeOptions {
            port: taken,
            ..ServeOptions::default()
        },
    );
    match second {
        Ok(second) => assert_ne!(second.addr().port(), taken),
        Err(e) => assert!(e.to_string().contains("taken"), "{e}"),
    }
}

#[test]
fn a_custom_content_dir_is_watched_and_unchanged_saves_do_not_reload() {
    let site = TestSite::new();
    site.write(
        "site.toml",
        "title = \"Notes\"\nbase_url = \"https://example.org/\"\ncontent_dir = \"notes\"\n\n[search]\nenabled = false\n",
    );
    site.write(
        "notes/2026-05-01-kilo.md",
        &briefing(
            "Kilo talks",
            "2026-05-01",
            "The kilo file in the notes folder.",
        ),
    );
    let server = site.start();
    let agent = agent();
    let url = format!("{}briefings/kilo/", server.url());
    assert!(
        fetch(&agent, &url)
            .body
            .contains("The kilo file in the notes folder.")
    );
    let events = Events::connect(server.url());

    // Saving the same bytes again builds, but the site is unchanged: no reload.
    let before = server.status();
    site.write(
        "notes/2026-05-01-kilo.md",
        &briefing(
            "Kilo talks",
            "2026-05-01",
            "The kilo file in the notes folder.",
        ),
    );
    let same = server
        .wait_for_build(before.number, PATIENCE)
        .expect("a build after the save");
    assert!(same.is_ok());
    assert_eq!(same.generation, before.generation, "nothing new to serve");

    // A real edit reloads.
    site.write(
        "notes/2026-05-01-kilo.md",
        &briefing("Kilo talks", "2026-05-01", "The kilo file, edited."),
    );
    let data = events.expect("reload");
    assert!(
        data.ends_with(&format!("-{}", before.generation + 1)),
        "{data}"
    );
    events.reload_until("the edit", || {
        fetch(&agent, &url).body.contains("The kilo file, edited.")
    });

    // The old default folder means nothing to this site.
    let quiet = settle(&server);
    site.write(
        "content/briefings/2026-05-02-lima.md",
        &briefing("Lima talks", "2026-05-02", "Not a source here."),
    );
    assert!(
        server
            .wait_for_build(quiet, Duration::from_millis(400))
            .is_none()
    );

    // Moving the content folder in site.toml is followed.
    site.write(
        "site.toml",
        "title = \"Notes\"\nbase_url = \"https://example.org/\"\n\n[search]\nenabled = false\n",
    );
    eventually("the site read from content/", || {
        fetch(&agent, &format!("{}briefings/lima/", server.url())).status == 200
    });
    site.write(
        "content/briefings/2026-05-02-lima.md",
        &briefing("Lima talks", "2026-05-02", "The lima file, now a source."),
    );
    eventually("an edit in the new content folder", || {
        fetch(&agent, &format!("{}briefings/lima/", server.url()))
            .body
            .contains("The lima file, now a source.")
    });
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = TestSite::new();
    site.write(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ broken(( }}{% endblock %}\n",
    );
    let server = site.start();
    let first = server.status();
    assert!(first.error.is_some(), "the first build fails");
    assert_eq!(first.generation, 0);

    let agent = agent();
    let page = fetch(&agent, server.url());
    assert_eq!(page.status, 503, "nothing to serve yet");
    assert!(page.body.contains("/__dossier/livereload.js"));
    let events = Events::connect(server.url());
    assert!(
        events
            .expect("error")
            .contains("templates/briefing.html:2:")
    );

    std::fs::remove_file(site.path("templates/briefing.html")).expect("fix");
    events.expect("reload");
    let page = fetch(&agent, &format!("{}briefings/alpha/", server.url()));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first alpha sentence."));
}
