//! The HTTP side of `serve`: pages from the in-memory site, the live-reload script
//! and its event stream.
//!
//! Requests are answered from the current [`Snapshot`] only. A URL is turned into a
//! key of that map (percent-decoded, and refused when it has `.` or `..` segments,
//! backslashes or NUL bytes), never into a file name, so there is nothing on disk
//! a crafted path could reach.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::{LiveEvent, Shared, Snapshot};
use crate::render::Bytes as SiteBytes;

/// Where the live-reload script is served. The `__dossier` prefix is reserved.
pub(super) const SCRIPT_PATH: &str = "/__dossier/livereload.js";
/// The Server-Sent Events stream the script listens to.
pub(super) const EVENTS_PATH: &str = "/__dossier/events";

const LIVERELOAD_JS: &str = include_str!("livereload.js");

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    stop: tokio::sync::watch::Receiver<bool>,
}

/// The routes: the script, the event stream, and every other path from the site.
pub(super) fn router(shared: Arc<Shared>, stop: tokio::sync::watch::Receiver<bool>) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        .with_state(App { shared, stop })
}

async fn script() -> Response {
    let mut response = Body::from(LIVERELOAD_JS).into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

/// What a request path names in the site.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// A file of the site, by key.
    Found(String),
    /// A folder asked for without its final slash: redirect there.
    Redirect(String),
    NotFound,
    /// A path that is not a plain path inside the site (`..`, `\`, NUL, bad escapes).
    Rejected,
}

/// Maps a request path (still percent-encoded) to a key of the site's map.
fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    if !raw.starts_with('/') {
        return Resolved::Rejected;
    }
    let Some(decoded) = percent_decode(raw) else {
        return Resolved::Rejected;
    };
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return Resolved::Rejected;
    }
    let key = &decoded[1..];
    if key
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Resolved::Rejected;
    }
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if exists(&index) {
            Resolved::Found(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(key) {
        return Resolved::Found(key.to_string());
    }
    if exists(&format!("{key}/index.html")) {
        return Resolved::Redirect(format!("/{}/", percent_encode_path(key)));
    }
    Resolved::NotFound
}

/// `%XX` escapes decoded; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A site path made safe for a `Location` header.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The media type of a site file, from its extension.
fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        // Anything unknown: bytes the browser must not guess a type for.
        _ => "application/octet-stream",
    }
}

/// Every response is for this one preview: never cache it, never sniff it.
fn set_headers(response: &mut Response, content_type: &'static str) {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// What the page's script sends back to say which build it came from.
fn since_token(instance: u64, generation: u64) -> String {
    format!("{instance:x}-{generation}")
}

/// The live-reload script tag inserted before the last `</body>` (or at the end
/// when there is none).
fn inject(html: &[u8], since: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-since=\"{since}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The response for one site file.
fn file_response(
    status: StatusCode,
    key: &str,
    bytes: &SiteBytes,
    shared: &Shared,
    snapshot: &Snapshot,
) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject(
            bytes,
            &since_token(shared.instance, snapshot.generation),
        ))
    } else {
        // Shared with the snapshot, handed to the body without a copy.
        Body::from(Bytes::from_owner(bytes.clone()))
    };
    let mut response = (status, body).into_response();
    set_headers(&mut response, content_type);
    response
}

/// Shown for a missing page when the site has no `404.html`, and for every page
/// before the first good build (the script then shows the error over it).
const FALLBACK_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>dossier serve</title></head>\n<body>\n<p>Nothing here. If the site has not built yet, the error is shown above; fix it and save.</p>\n</body>\n</html>\n";

/// Everything that is not the script or the event stream: a file of the site.
async fn page(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        set_headers(&mut response, "text/plain; charset=utf-8");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.shared.snapshot();
    match resolve(uri.path(), |key| snapshot.pages.contains_key(key)) {
        Resolved::Found(key) => match snapshot.pages.get(&key) {
            Some(bytes) => file_response(StatusCode::OK, &key, bytes, &app.shared, &snapshot),
            None => not_found(&app.shared, &snapshot),
        },
        Resolved::Redirect(mut location) => {
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            let mut response = StatusCode::FOUND.into_response();
            set_headers(&mut response, "text/plain; charset=utf-8");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound => not_found(&app.shared, &snapshot),
        Resolved::Rejected => {
            let mut response = (StatusCode::BAD_REQUEST, "bad request path\n").into_response();
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
    }
}

/// The site's own `404.html`, with status 404.
fn not_found(shared: &Shared, snapshot: &Snapshot) -> Response {
    match snapshot.pages.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, shared, snapshot),
        None => {
            let bytes = SiteBytes::from(FALLBACK_PAGE.as_bytes().to_vec());
            let status = if snapshot.generation == 0 {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::NOT_FOUND
            };
            file_response(status, "404.html", &bytes, shared, snapshot)
        }
    }
}

/// The state of one live-reload stream.
struct Listener {
    pending: VecDeque<Event>,
    events: tokio::sync::broadcast::Receiver<LiveEvent>,
    stop: tokio::sync::watch::Receiver<bool>,
    instance: u64,
}

fn to_sse(event: &LiveEvent, instance: u64) -> Event {
    match event {
        LiveEvent::Reload { generation } => Event::default()
            .event("reload")
            .data(since_token(instance, *generation)),
        LiveEvent::Css { generation } => Event::default()
            .event("css")
            .data(since_token(instance, *generation)),
        LiveEvent::Error { report } => Event::default()
            .event("error")
            .data(report.replace("\r\n", "\n").replace('\r', "\n")),
    }
}

/// `GET /__dossier/events?since=<token>`: first `ready`, then what the page missed
/// (`reload` if it comes from an older build, else the current error if the last
/// build failed), then every event as it happens, until the server stops.
async fn events(
    State(app): State<App>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so that a build finishing in between is
    // seen twice rather than not at all.
    let receiver = app.shared.events.subscribe();
    let generation = app.shared.snapshot().generation;
    let status = app.shared.status();
    let current = since_token(app.shared.instance, generation);
    let since = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(percent_decode);

    let mut pending = VecDeque::new();
    pending.push_back(Event::default().event("ready").data(&current));
    let stale = since
        .as_deref()
        .is_some_and(|since| !since.is_empty() && since != current);
    if stale {
        pending.push_back(to_sse(
            &LiveEvent::Reload { generation },
            app.shared.instance,
        ));
    } else if let Some(report) = status.error {
        pending.push_back(to_sse(
            &LiveEvent::Error {
                report: report.into(),
            },
            app.shared.instance,
        ));
    }
    let listener = Listener {
        pending,
        events: receiver,
        stop: app.stop.clone(),
        instance: app.shared.instance,
    };
    let stream = futures_util::stream::unfold(listener, |mut listener| async move {
        if let Some(event) = listener.pending.pop_front() {
            return Some((Ok(event), listener));
        }
        if *listener.stop.borrow() {
            return None;
        }
        let event = tokio::select! {
            received = listener.events.recv() => match received {
                Ok(event) => to_sse(&event, listener.instance),
                // Too slow to follow: whatever was missed, a reload catches up.
                Err(RecvError::Lagged(_)) => Event::default().event("reload").data("lagged"),
                Err(RecvError::Closed) => return None,
            },
            _ = listener.stop.changed() => return None,
        };
        Some((Ok(event), listener))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        matches!(
            key,
            "index.html" | "style.css" | "briefings/a/index.html" | "404.html"
        )
    }

    #[test]
    fn paths_map_to_keys() {
        assert_eq!(resolve("/", site), Resolved::Found("index.html".into()));
        assert_eq!(
            resolve("/briefings/a/", site),
            Resolved::Found("briefings/a/index.html".into())
        );
        assert_eq!(
            resolve("/briefings/a", site),
            Resolved::Redirect("/briefings/a/".into())
        );
        assert_eq!(
            resolve("/style.css", site),
            Resolved::Found("style.css".into())
        );
        assert_eq!(
            resolve("/briefings/%61/", site),
            Resolved::Found("briefings/a/index.html".into())
        );
        assert_eq!(resolve("/nothing", site), Resolved::NotFound);
        assert_eq!(resolve("/briefings/", site), Resolved::NotFound);
    }

    #[test]
    fn traversal_and_odd_paths_are_rejected() {
        for path in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/..%2Fsite.toml",
            "/..\\site.toml",
            "/..%5csite.toml",
            "/briefings/../../site.toml",
            "/./index.html",
            "/a%00b",
            "/%zz",
            "/%c3",
            "//example.org/",
            "site.toml",
        ] {
            assert_eq!(resolve(path, |_| true), Resolved::Rejected, "{path}");
        }
    }

    #[test]
    fn redirects_cannot_leave_the_site() {
        let exists = |key: &str| key == "a b/index.html";
        assert_eq!(
            resolve("/a%20b", exists),
            Resolved::Redirect("/a%20b/".into())
        );
    }

    #[test]
    fn script_goes_before_the_last_body_tag() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "1-2")).expect("utf-8");
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__dossier/livereload.js\" data-since=\"1-2\"></script></BODY></html>"
        );
        let bare = String::from_utf8(inject(b"<p>x</p>", "1-2")).expect("utf-8");
        assert!(bare.starts_with("<p>x</p><script"), "{bare}");
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("dossier.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("graph.json"), "application/json");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        // The search index is JSON throughout.
        assert_eq!(content_type("search/meta.json"), "application/json");
        assert_eq!(content_type("search/terms/6e65.json"), "application/json");
        assert_eq!(content_type("search/x.data"), "application/octet-stream");
        assert_eq!(content_type("x.wasm"), "application/wasm");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
