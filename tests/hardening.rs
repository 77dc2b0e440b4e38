//! Hostile content: XSS payloads in every field that comes from content, paths that
//! try to leave the site, links that lead outside it, oversized files. Nothing
//! executable reaches the output, nothing is written or read outside the site.

mod common;

use common::{Fixture, tree};
use scraper::{Html, Selector};

/// Payloads in the style of the OWASP XSS cheat sheet.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "</script><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">y</a>",
    "<body onload=alert(1)>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
];

fn toml_string(s: &str) -> String {
    format!("{:?}", s) // a TOML basic string is a valid Rust-debug string for these payloads
}

fn hostile_site() -> Fixture {
    let site = Fixture::site("https://example.org/", &[]);
    site.write("site.toml", "title = \"<script>alert('t')</script>\"\ndescription = \"<img src=x onerror=alert(1)>\"\nbase_url = \"https://example.org/\"\n");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let front = format!(
            "+++\ntitle = {t}\ndate = 2026-11-{d:02}\nsummary = {t}\nsource = {t}\nsource_url = \"javascript:alert({i})\"\ndateline = {t}\ntopics = [{t}]\n+++\n\nTurkey met Hamas in Gaza. {p}\n\n[click](javascript:alert({i})) and ![img](javascript:alert({i}))\n\n<div onclick=\"alert({i})\">{p}</div>\n",
            t = toml_string(payload),
            d = i + 1,
            p = payload
        );
        site.write(&format!("content/p{i}.md"), &front);
        site.write(
            &format!("content/w{i}.txt"),
            &format!("{payload}\n\nAnkara: {payload} Turkey said it met Hamas.\n"),
        );
    }
    site.write(
        "content/actors/evil.md",
        &format!(
            "+++\nname = {}\nkind = \"organisation\"\naliases = [\"Evil Front\", {}]\nwikidata = \"javascript:alert(1)\"\n+++\n{}\n",
            toml_string("</script><svg onload=alert(1)>"),
            toml_string("<img src=x onerror=alert(2)>"),
            PAYLOADS.join("\n\n")
        ),
    );
    site.write(
        "content/evil-mention.md",
        "+++\ntitle = \"Front\"\ndate = 2026-11-20\n+++\nThe Evil Front said it met Turkey.\n",
    );
    site
}

/// Asserts that an HTML document has no executable vector.
fn assert_inert_html(path: &str, html: &str) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for element in doc.select(&all) {
        let el = element.value();
        let name = el.name();
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "base" | "frame"),
            "{path}: <{name}> element"
        );
        if name == "meta" {
            assert!(
                el.attr("http-equiv")
                    .is_none_or(|v| !v.eq_ignore_ascii_case("refresh")),
                "{path}: meta refresh"
            );
        }
        if name == "script" {
            let ok = el.attr("type") == Some("application/ld+json")
                || el.attr("src").is_some_and(|s| s.starts_with("/dossier.js"));
            assert!(ok, "{path}: foreign <script>: {}", element.html());
            if el.attr("type") == Some("application/ld+json") {
                let json: String = element.text().collect();
                serde_json::from_str::<serde_json::Value>(&json)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD broken ({e}): {json}"));
            }
        }
        if name == "style" {
            let css: String = element.text().collect();
            assert!(
                !css.contains("@import") && !css.contains("url("),
                "{path}: style element from content"
            );
        }
        for (attr, value) in el.attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{path}: event handler {attr}={value}"
            );
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data"
            ) {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:")
                        && !v.starts_with("vbscript:")
                        && !v.starts_with("data:text"),
                    "{path}: {attr}={value}"
                );
            }
            if attr == "style" {
                assert!(
                    !value.contains("url(") && !value.contains("expression"),
                    "{path}: style={value}"
                );
            }
        }
    }
}

#[test]
fn no_output_file_carries_an_executable_vector() {
    let site = hostile_site();
    site.build().expect("hostile content still builds");
    let mut html_pages = 0;
    for (path, bytes) in tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") {
            html_pages += 1;
            assert_inert_html(&path, &text);
        } else if path.ends_with(".xml") {
            // Feeds and the sitemap: markup from content only ever appears escaped.
            assert!(
                !text.contains("<script") && !text.contains("<img") && !text.contains("<svg"),
                "{path}"
            );
            if path.ends_with("atom.xml") {
                let feed =
                    feed_rs::parser::parse(&*bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
                for entry in feed.entries {
                    if let Some(content) = entry.content.and_then(|c| c.body) {
                        assert_inert_html(&path, &content);
                    }
                }
            }
        } else if path == "graph.json" {
            serde_json::from_slice::<serde_json::Value>(&bytes).expect("graph.json parses");
        }
    }
    assert!(
        html_pages > 2 * PAYLOADS.len(),
        "too few pages built: {html_pages}"
    );
    let page = site.read("public/briefings/p0/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title not shown as text"
    );
}

#[test]
fn escape_and_allow_modes_do_what_they_say() {
    let site = Fixture::site(
        "https://example.org/",
        &[(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2026-11-01\n+++\nHello <b>bold</b> <script>alert(1)</script>\n",
        )],
    );
    site.write("site.toml", "base_url = \"https://example.org/\"\n[markdown]\nraw_html = \"escape\"\n[search]\nenabled = false\n");
    site.build().unwrap();
    let page = site.read("public/briefings/a/index.html");
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;") && !page.contains("<script>alert"));
    site.write("site.toml", "base_url = \"https://example.org/\"\n[markdown]\nraw_html = \"allow\"\n[search]\nenabled = false\n");
    site.build().unwrap();
    assert!(
        site.read("public/briefings/a/index.html")
            .contains("<script>alert(1)</script>"),
        "allow mode must pass raw HTML through"
    );
}

#[test]
fn a_slug_cannot_leave_the_output_directory() {
    let site = Fixture::site("https://example.org/", &[]);
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ndate = 2026-11-01\nslug = \"../../../etc/escaped\"\n+++\nText.\n",
    );
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\ndate = 2026-11-02\nslug = \"/absolute/path\"\n+++\nText.\n",
    );
    site.build().unwrap();
    assert!(site.exists("public/briefings/etc-escaped/index.html"));
    assert!(site.exists("public/briefings/absolute-path/index.html"));
    assert!(
        !site.path("etc").exists()
            && !site
                .dir
                .path()
                .parent()
                .unwrap()
                .join("etc/escaped")
                .exists()
    );
}

#[cfg(unix)]
#[test]
fn content_linked_from_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\n+++\nPrivate.\n",
    )
    .unwrap();
    let site = Fixture::site(
        "https://example.org/",
        &[(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2026-11-01\n+++\nText.\n",
        )],
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/secret.md"),
    )
    .unwrap();
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("content/secret.md") && err.contains("outside the site"),
        "{err}"
    );
    std::fs::remove_file(site.path("content/secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content/linked-dir")).unwrap();
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("outside the site"), "{err}");
    // a link inside the site is fine
    std::fs::remove_file(site.path("content/linked-dir")).unwrap();
    std::os::unix::fs::symlink(site.path("content/a.md"), site.path("content/alias.md")).unwrap();
    std::fs::write(
        site.path("content/a.md"),
        "+++\ntitle = \"A\"\ndate = 2026-11-01\nslug = \"a\"\n+++\nText.\n",
    )
    .unwrap();
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("slug"),
        "the inside link is read (and clashes by slug): {err}"
    );
}

#[test]
fn an_oversized_briefing_is_reported_and_skipped() {
    let site = Fixture::site(
        "https://example.org/",
        &[(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = 2026-11-01\n+++\nText.\n",
        )],
    );
    site.write("site.toml", "base_url = \"https://example.org/\"\n[limits]\nmax_file_size = 1000\n[search]\nenabled = false\n");
    site.write("content/big.md", &"word ".repeat(1000));
    let report = site.build().unwrap();
    assert_eq!(report.briefings, 1);
    assert!(report.warnings.iter().any(
        |w| w.to_string().contains("content/big.md") && w.to_string().contains("max_file_size")
    ));
    assert!(!site.exists("public/briefings/big/index.html"));
}
