//! Live reload in a real browser: headless Chromium opens a page served by
//! `dossier serve`, the test changes files on disk, and the page changes by
//! itself (the test never reloads it).
//!
//! Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`;
//! `.ci/run` installs it when missing).

mod common;

use common::browser::{Session, eval, wait_for};
use common::{Fixture, default_theme_file};

fn briefing(body: &str) -> String {
    format!("+++\ntitle = \"Browser briefing\"\ndate = 2026-04-01\n+++\n\n{body}\n")
}

#[test]
fn the_open_page_follows_edits_errors_and_stylesheets() {
    let site = Fixture::new(&[]);
    let root = site.root();
    site.save("site.toml",
        "title = \"Browser Test\"\nbase_url = \"https://example.org/\"\n\n[search]\nenabled = false\n",
    );
    site.save(
        "content/briefings/2026-04-01-browser.md",
        &briefing("The page starts with this sentence."),
    );
    site.save("static/style.css", &default_theme_file("static/style.css"));

    let session = Session::start(root);
    let (server, tab) = (&session.server, &session.tab);
    let url = format!("{}briefings/browser/", server.url());

    tab.navigate_to(&url).expect("navigate");
    tab.wait_until_navigated().expect("page loaded");
    wait_for(
        tab,
        "the first text",
        "document.body.innerText.includes('The page starts with this sentence.')",
    );
    // Wait until the live-reload script is listening: the stream is open.
    wait_for(
        tab,
        "the live-reload script",
        "!!document.querySelector('script[src=\"/__dossier/livereload.js\"]')",
    );

    // 1. An edit on disk: the page reloads itself and shows the new text.
    site.save(
        "content/briefings/2026-04-01-browser.md",
        &briefing("An edit made while the page was open."),
    );
    wait_for(
        tab,
        "the edited text",
        "document.body.innerText.includes('An edit made while the page was open.')",
    );

    // 2. A broken template: the page keeps its content and shows the error over it.
    site.save(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ broken(( }}{% endblock %}\n",
    );
    wait_for(
        tab,
        "the error overlay",
        "(function () { var o = document.getElementById('dossier-live-error'); \
         return !!o && o.innerText.includes('templates/briefing.html:2:'); })()",
    );
    assert_eq!(
        eval(
            tab,
            "document.body.innerText.includes('An edit made while the page was open.')"
        ),
        Some(serde_json::Value::Bool(true)),
        "the last good page stays under the overlay"
    );

    // 3. The fix: the overlay goes with a reload, and the page is whole again.
    std::fs::remove_file(root.join("templates/briefing.html")).expect("remove template");
    wait_for(
        tab,
        "the page without the overlay",
        "!document.getElementById('dossier-live-error') && \
         document.body.innerText.includes('An edit made while the page was open.')",
    );

    // 4. A stylesheet change is applied without reloading the page.
    eval(tab, "window.__dossierNoReload = 'still here'; true");
    let css = format!(
        "{}\nbody {{ outline: 3px solid rgb(1, 2, 3) !important; }}\n",
        default_theme_file("static/style.css")
    );
    site.save("static/style.css", &css);
    wait_for(
        tab,
        "the new stylesheet",
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
    );
    assert_eq!(
        eval(tab, "window.__dossierNoReload"),
        Some(serde_json::Value::String("still here".into())),
        "a stylesheet-only change does not reload the page"
    );

    session.close();
}
