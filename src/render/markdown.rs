//! A briefing's body as HTML, with its actor and place mentions linked.
//!
//! Extraction reports mentions as byte spans into the file. pulldown-cmark's offset
//! iterator tells, for every text event, which bytes of the file it came from, so a
//! mention is linked exactly where it was found — never inside an existing link,
//! code, a heading, an image's alt text or raw HTML. Wire copy (`.txt`) goes
//! through the same span-splitting code, paragraph by paragraph.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::escape::escape_markup_into as escape_into;
use crate::config::{LinkMentions, RawHtml};

/// A span of the file to wrap in a link.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MentionLink {
    pub start: usize,
    pub end: usize,
    /// Identifies the actor or place, for "first mention per paragraph".
    pub key: String,
    pub href: String,
    /// CSS class suffix: the actor kind (`state`, ...) or `place`.
    pub class: &'static str,
}

/// What to render.
#[derive(Clone)]
pub struct Body<'a> {
    /// The whole file.
    pub text: &'a str,
    /// The part of the file to render.
    pub range: Range<usize>,
    /// Markdown (`true`) or wire copy (`false`).
    pub markdown: bool,
    /// Mentions sorted by start, not overlapping.
    pub links: &'a [MentionLink],
    /// Byte offsets that get an anchor `id="s-<offset>"`, sorted.
    pub anchors: &'a [usize],
    pub mode: LinkMentions,
    pub raw_html: RawHtml,
    pub smart_punctuation: bool,
    /// The file being rendered (`content/briefings/x.md`), for relative links.
    pub source_path: &'a str,
    /// Content file path -> page URL: a Markdown link to another briefing's file
    /// (`[see](other.md)`) becomes a link to its page.
    pub content_urls: &'a dyn ContentUrls,
}

/// Where a content file's page is, asked only when a body links to a `.md` or
/// `.txt` file: a site-wide table need not be made for the bodies that do not.
pub trait ContentUrls: Sync {
    /// The page URL of the content file at `path` (`content/briefings/x.md`).
    fn url(&self, path: &str) -> Option<&str>;
}

impl ContentUrls for HashMap<String, String> {
    fn url(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

/// Renders a body to HTML.
pub fn render(body: &Body) -> String {
    let mut writer = SpanWriter::new(body);
    let html = if body.markdown {
        render_markdown(body, &mut writer)
    } else {
        render_wire(body, &mut writer)
    };
    if body.raw_html == RawHtml::Sanitize && writer.saw_raw_html {
        sanitize(&html)
    } else {
        html
    }
}

/// The anchor id for a sentence starting at byte `offset`.
pub fn anchor_id(offset: usize) -> String {
    format!("s-{offset}")
}

/// Emits text spans with links and anchors inserted, tracking what has been linked.
struct SpanWriter<'a> {
    body: &'a Body<'a>,
    next_link: usize,
    next_anchor: usize,
    linked_in_block: HashSet<&'a str>,
    saw_raw_html: bool,
}

impl<'a> SpanWriter<'a> {
    fn new(body: &'a Body<'a>) -> Self {
        SpanWriter {
            body,
            next_link: 0,
            next_anchor: 0,
            linked_in_block: HashSet::new(),
            saw_raw_html: false,
        }
    }

    /// A new paragraph or list item: "first" mentions may be linked again.
    fn new_block(&mut self) {
        self.linked_in_block.clear();
    }

    /// Anchors whose offset is before `end`, as HTML.
    fn anchors_before(&mut self, end: usize, out: &mut String) {
        while let Some(&offset) = self.body.anchors.get(self.next_anchor) {
            if offset >= end {
                break;
            }
            let _ = write!(
                out,
                "<span class=\"anchor\" id=\"{}\"></span>",
                anchor_id(offset)
            );
            self.next_anchor += 1;
        }
    }

    /// Writes the file bytes `range` as escaped HTML, linking mentions inside it
    /// when `linkable` and placing sentence anchors at their exact offsets.
    fn write(&mut self, range: Range<usize>, linkable: bool, out: &mut String) {
        let text = self.body.text;
        let links = self.body.links;
        while self.next_link < links.len() && links[self.next_link].start < range.start {
            self.next_link += 1;
        }
        let mut pos = range.start;
        loop {
            let link = links
                .get(self.next_link)
                .filter(|l| l.start < range.end && l.end <= range.end);
            let anchor = self
                .body
                .anchors
                .get(self.next_anchor)
                .copied()
                .filter(|&a| a < range.end);
            match (anchor, link) {
                (Some(offset), _) if link.is_none_or(|l| offset <= l.start) => {
                    let at = offset.max(pos);
                    let at = if text.is_char_boundary(at) { at } else { pos };
                    escape_into(&text[pos..at], out);
                    let _ = write!(
                        out,
                        "<span class=\"anchor\" id=\"{}\"></span>",
                        anchor_id(offset)
                    );
                    self.next_anchor += 1;
                    pos = at;
                }
                (_, Some(link)) => {
                    self.next_link += 1;
                    escape_into(&text[pos..link.start], out);
                    self.write_mention(link, linkable, out);
                    pos = link.end;
                }
                (_, None) => {
                    escape_into(&text[pos..range.end], out);
                    return;
                }
            }
        }
    }

    /// One mention: a link, or plain text when the link mode says it was linked
    /// already in this block (or linking is off here).
    fn write_mention(&mut self, link: &'a MentionLink, linkable: bool, out: &mut String) {
        let wanted = linkable
            && match self.body.mode {
                LinkMentions::All => true,
                LinkMentions::None => false,
                LinkMentions::First => self.linked_in_block.insert(link.key.as_str()),
            };
        let name = &self.body.text[link.start..link.end];
        if wanted {
            out.push_str("<a class=\"mention mention-");
            out.push_str(link.class);
            out.push_str("\" href=\"");
            escape_into(&link.href, out);
            out.push_str("\">");
            escape_into(name, out);
            out.push_str("</a>");
        } else {
            escape_into(name, out);
        }
    }
}

/// Markdown: tables, footnotes, strikethrough, heading ids, optional smart
/// punctuation. Text events whose bytes are exactly the file's bytes carry links.
fn render_markdown(body: &Body, writer: &mut SpanWriter) -> String {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if body.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let source = &body.text[body.range.clone()];
    let base = body.range.start;
    let parser = Parser::new_ext(source, options).into_offset_iter();

    let mut events: Vec<Event> = Vec::new();
    // Depth of constructs whose text must not be linked.
    let mut no_link_depth = 0usize;
    let mut heading: Option<(usize, Vec<String>)> = None;
    let mut used_ids: HashSet<String> = HashSet::new();

    for (event, range) in parser {
        let range = base + range.start..base + range.end;
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::Paragraph | Tag::Item | Tag::TableCell => writer.new_block(),
                    Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::CodeBlock(_)
                    | Tag::Heading { .. } => {
                        no_link_depth += 1;
                    }
                    _ => {}
                }
                let tag = match tag {
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    } => Tag::Link {
                        link_type,
                        dest_url: match content_link(&dest_url, body.source_path, body.content_urls)
                        {
                            Some(url) => url.into(),
                            None => safe_url(dest_url, body.raw_html),
                        },
                        title,
                        id,
                    },
                    Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    } => Tag::Image {
                        link_type,
                        dest_url: safe_url(dest_url, body.raw_html),
                        title,
                        id,
                    },
                    Tag::Heading { .. } => {
                        heading = Some((events.len(), Vec::new()));
                        tag
                    }
                    other => other,
                };
                events.push(Event::Start(tag));
            }
            Event::End(end) => {
                if matches!(
                    end,
                    TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock | TagEnd::Heading(_)
                ) {
                    no_link_depth = no_link_depth.saturating_sub(1);
                }
                if let TagEnd::Heading(_) = end
                    && let Some((start_index, words)) = heading.take()
                {
                    set_heading_id(&mut events[start_index], &words.concat(), &mut used_ids);
                }
                events.push(Event::End(end));
            }
            Event::Text(t) => {
                if let Some((_, words)) = heading.as_mut() {
                    words.push(t.to_string());
                }
                let exact = body.text.get(range.clone()) == Some(t.as_ref());
                if exact {
                    let mut html = String::with_capacity(t.len() + 16);
                    writer.write(range, no_link_depth == 0, &mut html);
                    events.push(Event::InlineHtml(html.into()));
                } else {
                    let mut html = String::new();
                    writer.anchors_before(range.end, &mut html);
                    if !html.is_empty() {
                        events.push(Event::InlineHtml(html.into()));
                    }
                    events.push(Event::Text(t));
                }
            }
            Event::Code(t) => {
                if let Some((_, words)) = heading.as_mut() {
                    words.push(t.to_string());
                }
                events.push(Event::Code(t));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                writer.saw_raw_html = true;
                match body.raw_html {
                    RawHtml::Escape => events.push(Event::Text(h)),
                    _ => events.push(Event::InlineHtml(h)),
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    let mut tail = String::new();
    writer.anchors_before(usize::MAX, &mut tail);
    out.push_str(&tail);
    out
}

/// Gives a heading without an explicit `{#id}` an id from its text, unique in the body.
fn set_heading_id(event: &mut Event, text: &str, used: &mut HashSet<String>) {
    if let Event::Start(Tag::Heading { id, .. }) = event {
        let base = match id {
            Some(given) => given.to_string(),
            None => {
                let slug = crate::extract::slugify(text);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while !used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        *id = Some(candidate.into());
    }
}

/// The page URL of a relative link to another content file (`other.md`,
/// `../notes/x.txt#part`), resolved against the folder of `source_path`.
pub fn content_link(dest: &str, source_path: &str, urls: &dyn ContentUrls) -> Option<String> {
    if dest.contains("://") || dest.starts_with(['/', '#']) || dest.contains(':') {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if !(path.ends_with(".md") || path.ends_with(".txt")) {
        return None;
    }
    let mut parts: Vec<&str> = source_path.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let url = urls.url(&parts.join("/"))?;
    Some(match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_owned(),
    })
}

/// Link and image targets with a script-running scheme are neutralised unless raw
/// HTML is explicitly allowed.
fn safe_url(url: CowStr<'_>, policy: RawHtml) -> CowStr<'_> {
    if policy == RawHtml::Allow {
        return url;
    }
    let folded: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let dangerous = [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:application",
        "data:image/svg",
    ];
    if dangerous.iter().any(|d| folded.starts_with(d)) {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// Wire copy: paragraphs separated by blank lines, or one per line when the story
/// has no blank lines (as much agency copy does).
fn render_wire(body: &Body, writer: &mut SpanWriter) -> String {
    let text = body.text;
    let range = body.range.clone();
    let region = &text[range.clone()];
    let blank_lines = region.contains("\n\n") || region.contains("\r\n\r\n");
    let mut out = String::with_capacity(region.len() * 3 / 2);
    let mut paragraphs: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    let mut offset = range.start;
    for line in region.split_inclusive('\n') {
        let is_blank = line.trim().is_empty();
        if is_blank || !blank_lines {
            let end = if is_blank {
                offset
            } else {
                offset + line.len()
            };
            if text[start..end].trim().is_empty() {
                start = offset + line.len();
            } else {
                paragraphs.push(start..end);
                start = offset + line.len();
            }
        }
        offset += line.len();
    }
    if start < range.end && !text[start..range.end].trim().is_empty() {
        paragraphs.push(start..range.end);
    }
    for para in paragraphs {
        // Trim surrounding white space without losing byte positions.
        let inner = &text[para.clone()];
        let lead = inner.len() - inner.trim_start().len();
        let trail = inner.len() - inner.trim_end().len();
        let para = para.start + lead..para.end - trail;
        writer.new_block();
        out.push_str("<p>");
        writer.write(para, true, &mut out);
        out.push_str("</p>\n");
    }
    writer.anchors_before(usize::MAX, &mut out);
    out
}

/// Removes anything executable from HTML that contains raw HTML from content,
/// keeping ordinary formatting and the links and anchors dossier inserted.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class", "id"])
        .add_tags([
            "span",
            "section",
            "figure",
            "figcaption",
            "mark",
            "details",
            "summary",
        ])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("td", ["align", "style"])
        .add_tag_attributes("th", ["align", "style"])
        .attribute_filter(|_, attr, value| {
            if attr == "style" {
                // Only the alignment pulldown-cmark writes for table columns.
                let v = value.replace(' ', "");
                if matches!(
                    v.as_str(),
                    "text-align:left" | "text-align:right" | "text-align:center"
                ) {
                    return Some(value.into());
                }
                return None;
            }
            Some(value.into())
        })
        .link_rel(None)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str, name: &str, nth: usize, key: &str) -> MentionLink {
        let start = text.match_indices(name).nth(nth).map(|(i, _)| i).unwrap();
        MentionLink {
            start,
            end: start + name.len(),
            key: key.into(),
            href: format!("/actors/{key}/"),
            class: "state",
        }
    }

    fn md(text: &str, links: &[MentionLink], mode: LinkMentions) -> String {
        render(&Body {
            text,
            range: 0..text.len(),
            markdown: true,
            links,
            anchors: &[],
            mode,
            raw_html: RawHtml::Sanitize,
            smart_punctuation: false,
            source_path: "content/x.md",
            content_urls: &HashMap::new(),
        })
    }

    #[test]
    fn first_mention_per_paragraph_is_linked() {
        let text = "Turkey met Hamas. Turkey said more.\n\nTurkey again.\n";
        let links = [
            link(text, "Turkey", 0, "turkey"),
            link(text, "Turkey", 1, "turkey"),
            link(text, "Turkey", 2, "turkey"),
        ];
        let html = md(text, &links, LinkMentions::First);
        assert_eq!(
            html.matches("<a class=\"mention mention-state\" href=\"/actors/turkey/\">Turkey</a>")
                .count(),
            2,
            "{html}"
        );
        let all = md(text, &links, LinkMentions::All);
        assert_eq!(all.matches("<a class=\"mention").count(), 3);
        let none = md(text, &links, LinkMentions::None);
        assert_eq!(none.matches("<a class=\"mention").count(), 0);
    }

    #[test]
    fn mentions_inside_links_code_and_headings_are_not_linked() {
        let text = "# Turkey\n\n[Turkey](https://example.org) and `Turkey` and Turkey.\n\n```\nTurkey\n```\n";
        let links: Vec<_> = (0..5).map(|i| link(text, "Turkey", i, "turkey")).collect();
        let html = md(text, &links, LinkMentions::All);
        assert_eq!(html.matches("class=\"mention").count(), 1, "{html}");
        assert!(html.contains("<h1 id=\"turkey\">Turkey</h1>"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.org\">Turkey</a>"),
            "{html}"
        );
        assert!(html.contains("<code>Turkey</code>"), "{html}");
    }

    #[test]
    fn links_to_other_content_files_become_page_links() {
        let mut urls = HashMap::new();
        urls.insert(
            "content/notes/b.md".to_string(),
            "/briefings/b/".to_string(),
        );
        assert_eq!(
            content_link("b.md#part", "content/notes/a.md", &urls).as_deref(),
            Some("/briefings/b/#part")
        );
        assert_eq!(
            content_link("../notes/b.md", "content/other/a.md", &urls).as_deref(),
            Some("/briefings/b/")
        );
        assert_eq!(
            content_link("https://x.org/b.md", "content/notes/a.md", &urls),
            None
        );
        assert_eq!(
            content_link("missing.md", "content/notes/a.md", &urls),
            None
        );
        assert_eq!(
            content_link("../../../../b.md", "content/notes/a.md", &urls),
            None
        );
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let text = "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~old~~\n\n[^1]: Note.\n";
        let html = md(text, &[], LinkMentions::First);
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn script_is_removed_and_formatting_kept() {
        let text = "Hello <b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n";
        let html = md(text, &[], LinkMentions::First);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
    }

    #[test]
    fn escape_mode_shows_html_as_text() {
        let text = "Hello <b>bold</b>\n";
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown: true,
            links: &[],
            anchors: &[],
            mode: LinkMentions::First,
            raw_html: RawHtml::Escape,
            smart_punctuation: false,
            source_path: "content/x.md",
            content_urls: &HashMap::new(),
        });
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn anchors_are_placed_before_their_sentence() {
        let text = "First one. Second one.\n";
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown: true,
            links: &[],
            anchors: &[11],
            mode: LinkMentions::First,
            raw_html: RawHtml::Sanitize,
            smart_punctuation: false,
            source_path: "content/x.md",
            content_urls: &HashMap::new(),
        });
        assert!(
            html.contains("<span class=\"anchor\" id=\"s-11\"></span>"),
            "{html}"
        );
    }

    #[test]
    fn wire_copy_lines_become_paragraphs_with_links() {
        let text = "Ankara: Turkey met Hamas.\nTurkey said more.\n";
        let links = [
            link(text, "Turkey", 0, "turkey"),
            link(text, "Turkey", 1, "turkey"),
        ];
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown: false,
            links: &links,
            anchors: &[],
            mode: LinkMentions::First,
            raw_html: RawHtml::Sanitize,
            smart_punctuation: false,
            source_path: "content/x.md",
            content_urls: &HashMap::new(),
        });
        assert_eq!(html.matches("<p>").count(), 2, "{html}");
        assert_eq!(html.matches("class=\"mention").count(), 2, "{html}");
    }

    #[test]
    fn names_with_markup_characters_are_escaped() {
        let text = "A <x> & B\n";
        let html = render(&Body {
            text,
            range: 0..text.len(),
            markdown: false,
            links: &[],
            anchors: &[],
            mode: LinkMentions::First,
            raw_html: RawHtml::Sanitize,
            smart_punctuation: false,
            source_path: "content/x.md",
            content_urls: &HashMap::new(),
        });
        assert!(html.contains("A &lt;x&gt; &amp; B"), "{html}");
    }
}
