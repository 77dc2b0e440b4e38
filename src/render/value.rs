//! Page contexts as Tera values, built by hand.
//!
//! Tera reads a context as its own `Value` tree. Serde can build that tree from
//! the context structs, but it builds every piece afresh, and the same pieces
//! recur all over the site: an actor's link is in every card that names the
//! actor, and a briefing's card is on its page, its neighbours', in related
//! lists, on the home pages and in the timelines of its actors. Building the
//! tree here lets those two pieces be made once per build and shared (a Tera
//! map is reference-counted, so sharing is a counter increment), which makes
//! the context of a page several times cheaper to build and to drop.
//!
//! The values are exactly what serde makes of the same structs; a test builds
//! every page context of a site both ways and compares them, so a field added
//! to a struct in `context.rs` and not here fails the tests.

use std::sync::{Arc, OnceLock};

use tera::Value;
use tera::value::Map;

use super::context::*;

/// The Tera value of a context part that many pages share, made on first use
/// and kept with the part. Clones of the part share the cell. It is derived
/// data: it never counts in the part's hash or equality.
#[derive(Clone, Default)]
pub struct ValueCell(Arc<OnceLock<Value>>);

impl ValueCell {
    fn get_or_init(&self, make: impl FnOnce() -> Value) -> Value {
        self.0.get_or_init(make).clone()
    }
}

impl std::hash::Hash for ValueCell {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl PartialEq for ValueCell {
    fn eq(&self, _: &ValueCell) -> bool {
        true
    }
}

impl Eq for ValueCell {}

impl std::fmt::Debug for ValueCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ValueCell")
    }
}

/// A context part as a Tera value.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// A map under construction.
struct Obj(Map);

impl Obj {
    fn new() -> Obj {
        Obj(Map::with_capacity(16))
    }

    /// Starts from the fields of `value`, a map (serde's `flatten`).
    fn flattening(value: Value) -> Obj {
        Obj(value.into_map().unwrap_or_default())
    }

    fn put(mut self, key: &'static str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.into(), value.into());
        self
    }

    fn str(self, key: &'static str, text: &str) -> Obj {
        self.put(key, text)
    }

    fn value(self, key: &'static str, part: &impl ToValue) -> Obj {
        self.put(key, part.to_value())
    }

    fn list<T: ToValue>(self, key: &'static str, parts: &[T]) -> Obj {
        self.put(key, list(parts))
    }

    fn option<T: ToValue>(self, key: &'static str, part: &Option<T>) -> Obj {
        self.put(
            key,
            part.as_ref().map_or_else(Value::none, ToValue::to_value),
        )
    }

    fn done(self) -> Value {
        Value::from(self.0)
    }
}

fn list<T: ToValue>(parts: &[T]) -> Value {
    Value::from(parts.iter().map(ToValue::to_value).collect::<Vec<Value>>())
}

fn strings(texts: &[String]) -> Value {
    Value::from(
        texts
            .iter()
            .map(|t| Value::from(t.as_str()))
            .collect::<Vec<Value>>(),
    )
}

/// A card shared between pages (see `Links::briefing_refs`): its value is
/// the card's own, made once.
impl<T: ToValue> ToValue for Arc<T> {
    fn to_value(&self) -> Value {
        T::to_value(self)
    }
}

impl<T: ToValue> ToValue for Box<T> {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl ToValue for SiteCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("title", &self.title)
            .str("description", &self.description)
            .str("base_url", &self.base_url)
            .str("base_path", &self.base_path)
            .str("language", &self.language)
            .str("version", &self.version)
            .str("year", &self.year)
            .str("css_url", &self.css_url)
            .str("js_url", &self.js_url)
            .str("favicon_url", &self.favicon_url)
            .done()
    }
}

impl ToValue for NavCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("home", &self.home)
            .str("actors", &self.actors)
            .str("places", &self.places)
            .str("search", &self.search)
            .str("feed", &self.feed)
            .done()
    }
}

impl ToValue for PageMeta {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("kind", self.kind)
            .str("title", &self.title)
            .str("description", &self.description)
            .str("url", &self.url)
            .str("permalink", &self.permalink)
            .str("feed_url", &self.feed_url)
            .str("feed_title", &self.feed_title)
            .str("og_type", self.og_type)
            .str("json_ld", &self.json_ld)
            .done()
    }
}

impl ToValue for ActorRef {
    fn to_value(&self) -> Value {
        self.value.get_or_init(|| {
            Obj::new()
                .str("id", &self.id)
                .str("name", &self.name)
                .str("kind", self.kind)
                .str("kind_label", self.kind_label)
                .str("url", &self.url)
                .done()
        })
    }
}

impl ToValue for PlaceRef {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("id", &self.id)
            .str("name", &self.name)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for BriefingRef {
    fn to_value(&self) -> Value {
        self.value.get_or_init(|| {
            Obj::new()
                .str("slug", &self.slug)
                .str("title", &self.title)
                .str("url", &self.url)
                .str("date", &self.date)
                .str("date_display", &self.date_display)
                .str("dateline", &self.dateline)
                .str("summary", &self.summary)
                .list("actors", &self.actors)
                .done()
        })
    }
}

impl ToValue for ActorCount {
    fn to_value(&self) -> Value {
        Obj::flattening(self.actor.to_value())
            .put("mentions", self.mentions)
            .put("briefings", self.briefings)
            .done()
    }
}

impl ToValue for PlaceCount {
    fn to_value(&self) -> Value {
        Obj::flattening(self.place.to_value())
            .put("mentions", self.mentions)
            .put("briefings", self.briefings)
            .put("datelines", self.datelines)
            .done()
    }
}

impl ToValue for PageLink {
    fn to_value(&self) -> Value {
        Obj::new()
            .put("number", self.number)
            .str("url", &self.url)
            .put("current", self.current)
            .put("gap_before", self.gap_before)
            .done()
    }
}

impl ToValue for Pagination {
    fn to_value(&self) -> Value {
        Obj::new()
            .put("current", self.current)
            .put("total", self.total)
            .str("prev_url", &self.prev_url)
            .str("next_url", &self.next_url)
            .list("pages", &self.pages)
            .done()
    }
}

impl ToValue for Stats {
    fn to_value(&self) -> Value {
        Obj::new()
            .put("briefings", self.briefings)
            .put("actors", self.actors)
            .put("places", self.places)
            .done()
    }
}

impl ToValue for ActorGroup {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("kind", self.kind)
            .str("label", self.label)
            .list("actors", &self.actors)
            .done()
    }
}

impl ToValue for StatementCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("actor", &self.actor)
            .str("verb", &self.verb)
            .str("text", &self.text)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for RelationCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("source", &self.source)
            .value("target", &self.target)
            .str("type", &self.kind)
            .str("label", &self.label)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for RelatedRef {
    fn to_value(&self) -> Value {
        Obj::flattening(self.briefing.to_value())
            .put("shared", self.shared)
            .done()
    }
}

impl ToValue for BriefingCtx {
    fn to_value(&self) -> Value {
        Obj::flattening(self.head.to_value())
            .str("content", &self.content)
            .str("source", &self.source)
            .str("source_url", &self.source_url)
            .put("topics", strings(&self.topics))
            .put("word_count", self.word_count)
            .put("reading_minutes", self.reading_minutes)
            .list("actor_groups", &self.actor_groups)
            .list("places", &self.places)
            .list("statements", &self.statements)
            .list("relations", &self.relations)
            .list("related", &self.related)
            .option("prev", &self.prev)
            .option("next", &self.next)
            .str("file", &self.file)
            .done()
    }
}

impl ToValue for TimelineEntry {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("briefing", &self.briefing)
            .str("sentence", &self.sentence)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for ActorStatement {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("briefing", &self.briefing)
            .str("verb", &self.verb)
            .str("text", &self.text)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for RelationOther {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("actor", &self.actor)
            .put("briefings", self.briefings)
            .str("url", &self.url)
            .done()
    }
}

impl ToValue for RelationGroup {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("type", &self.kind)
            .str("label", &self.label)
            .list("others", &self.others)
            .put("others_total", self.others_total)
            .done()
    }
}

impl ToValue for CoMention {
    fn to_value(&self) -> Value {
        Obj::new()
            .value("actor", &self.actor)
            .put("count", self.count)
            .done()
    }
}

impl ToValue for ActorCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("id", &self.id)
            .str("name", &self.name)
            .str("kind", self.kind)
            .str("kind_label", self.kind_label)
            .str("role", &self.role)
            .option("affiliation", &self.affiliation)
            .put("aliases", strings(&self.aliases))
            .str("description", &self.description)
            .str("wikidata_url", &self.wikidata_url)
            .put("mentions", self.mentions)
            .put("briefings_count", self.briefings_count)
            .str("first_seen", &self.first_seen)
            .str("last_seen", &self.last_seen)
            .str("url", &self.url)
            .str("feed_url", &self.feed_url)
            .str("search_url", &self.search_url)
            .list("timeline", &self.timeline)
            .put("timeline_total", self.timeline_total)
            .list("statements", &self.statements)
            .put("statements_total", self.statements_total)
            .list("relations", &self.relations)
            .list("co_mentions", &self.co_mentions)
            .list("people", &self.people)
            .str("network_svg", &self.network_svg)
            .done()
    }
}

impl ToValue for PlaceCtx {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("id", &self.id)
            .str("name", &self.name)
            .str("kind", &self.kind)
            .option("country", &self.country)
            .put("aliases", strings(&self.aliases))
            .put("mentions", self.mentions)
            .put("briefings_count", self.briefings_count)
            .put("datelines", self.datelines)
            .str("url", &self.url)
            .str("search_url", &self.search_url)
            .list("timeline", &self.timeline)
            .put("timeline_total", self.timeline_total)
            .list("actors", &self.actors)
            .str("network_svg", &self.network_svg)
            .done()
    }
}

impl ToValue for KindFilter {
    fn to_value(&self) -> Value {
        Obj::new()
            .str("kind", self.kind)
            .str("label", self.label)
            .done()
    }
}

impl ToValue for Filters {
    fn to_value(&self) -> Value {
        Obj::new()
            .list("actors", &self.actors)
            .list("kinds", &self.kinds)
            .list("places", &self.places)
            .done()
    }
}

impl PageData {
    /// Inserts the data under the names the template expects.
    pub fn insert_into(&self, ctx: &mut tera::Context) {
        for (name, value) in self.values() {
            ctx.insert_value(name, value);
        }
    }

    /// The data as named Tera values, the names the template expects.
    pub fn values(&self) -> Vec<(&'static str, Value)> {
        match self {
            PageData::Index(d) => vec![
                ("briefings", list(&d.briefings)),
                ("pagination", d.pagination.to_value()),
                ("top_actors", list(&d.top_actors)),
                ("top_places", list(&d.top_places)),
                ("stats", d.stats.to_value()),
            ],
            PageData::Briefing(d) => vec![("briefing", d.to_value())],
            PageData::Actor(d) => vec![("actor", d.to_value())],
            PageData::Actors(d) => {
                vec![("groups", list(&d.groups)), ("total", Value::from(d.total))]
            }
            PageData::Place(d) => vec![("place", d.to_value())],
            PageData::Places(d) => {
                vec![("places", list(&d.places)), ("total", Value::from(d.total))]
            }
            PageData::Search(d) => vec![("filters", d.filters.to_value())],
            PageData::NotFound => Vec::new(),
        }
    }

    /// The same, made by serde: what [`PageData::values`] must equal.
    #[cfg(test)]
    pub fn values_by_serde(&self) -> Vec<(&'static str, Value)> {
        fn v<T: serde::Serialize + ?Sized>(part: &T) -> Value {
            Value::from_serializable(part)
        }
        match self {
            PageData::Index(d) => vec![
                ("briefings", v(&d.briefings)),
                ("pagination", v(&d.pagination)),
                ("top_actors", v(&d.top_actors)),
                ("top_places", v(&d.top_places)),
                ("stats", v(&d.stats)),
            ],
            PageData::Briefing(d) => vec![("briefing", v(d))],
            PageData::Actor(d) => vec![("actor", v(d))],
            PageData::Actors(d) => vec![("groups", v(&d.groups)), ("total", v(&d.total))],
            PageData::Place(d) => vec![("place", v(d))],
            PageData::Places(d) => vec![("places", v(&d.places)), ("total", v(&d.total))],
            PageData::Search(d) => vec![("filters", v(&d.filters))],
            PageData::NotFound => Vec::new(),
        }
    }
}

/// How many pages [`check_against_serde`] has checked in this test process.
#[cfg(test)]
pub static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// In tests, every page rendered checks that its values are the ones serde
/// makes of the same structs.
#[cfg(test)]
pub fn check_against_serde(links: &super::pages::Links, meta: &PageMeta, data: &PageData) {
    fn v<T: serde::Serialize>(part: &T) -> Value {
        Value::from_serializable(part)
    }
    assert!(links.site.to_value() == v(&links.site), "site differs");
    assert!(links.nav.to_value() == v(&links.nav), "nav differs");
    assert!(meta.to_value() == v(meta), "page differs on {}", meta.url);
    let (ours, serde) = (data.values(), data.values_by_serde());
    assert_eq!(ours.len(), serde.len());
    for ((name, a), (name_b, b)) in ours.iter().zip(&serde) {
        assert_eq!(name, name_b);
        assert!(a == b, "`{name}` differs on {}:\n{a:?}\n{b:?}", meta.url);
    }
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_of_the_example_site_gets_the_values_serde_makes() {
        let before = CHECKED.load(std::sync::atomic::Ordering::Relaxed);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut site = crate::site::Site::new(root, crate::site::BuildOptions::default());
        let built = site.render().expect("the example site renders").built;
        let pages = built
            .pages
            .iter()
            .filter(|p| p.path.ends_with(".html"))
            .count();
        let checked = CHECKED.load(std::sync::atomic::Ordering::Relaxed) - before;
        // Other tests may render at the same time and count too.
        assert!(
            checked >= pages && pages > 50,
            "{checked} checked, {pages} pages"
        );
    }

    #[test]
    fn a_shared_part_is_made_once() {
        let actor = ActorRef {
            id: "un".into(),
            name: "United Nations".into(),
            kind: "organisation",
            kind_label: "Organisation",
            url: "/actors/un/".into(),
            value: ValueCell::default(),
        };
        let copy = actor.clone();
        let first = actor.to_value();
        assert!(actor.value.0.get().is_some());
        assert!(copy.value.0.get().is_some(), "clones share the cell");
        assert!(first == Value::from_serializable(&copy));
    }
}
