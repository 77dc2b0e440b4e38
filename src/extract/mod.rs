//! Stage 3, extract: who and what one briefing is about.
//!
//! Pure and deterministic: the same text, registry and built-in gazetteer give
//! the same [`Extraction`], byte for byte, and no input makes it panic. It reads
//! no files (the gazetteer is compiled in) and keeps no state between calls.
//!
//! How a call runs, module by module:
//!
//! 1. [`tokens`] and [`sentences`] cut the body into tokens and sentences;
//!    [`layout`] marks sentence-initial words, headline-like lines and all-caps
//!    stretches.
//! 2. [`automaton`] finds every known alias: an anchored, leftmost-longest
//!    Aho-Corasick automaton over all aliases is asked for the longest one at
//!    each word start (a second one over their uppercase forms serves all-caps
//!    stretches); [`dateline`] reads the dateline.
//! 3. [`mentions`] walks the tokens once, left to right, deciding what each
//!    match or capitalised run is: a state, a capital used as a government or
//!    as a place, a person introduced by a title ([`people`]), or a run of
//!    capitalised words to judge later.
//! 4. [`candidates`] judges those runs once the whole article is known
//!    (surnames, acronyms defined in passing, sentence-initial words).
//! 5. [`clauses`], [`statements`] and [`relations`] read who said what and who
//!    did what to whom; [`output`] assembles the sorted result.
//!
//! The knowledge it works from is built once per [`Extractor`]: the gazetteer
//! ([`gazetteer`]) with the site's registry laid over it ([`registry`]) form
//! the [`catalog`]; the word lists of English news prose are in [`lexicon`].

mod automaton;
mod candidates;
mod catalog;
mod clauses;
mod dateline;
mod document;
mod fasthash;
mod gazetteer;
mod layout;
mod lexicon;
mod mentions;
mod output;
mod people;
mod registry;
mod relations;
mod sentences;
mod statements;
mod tokens;

use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

pub use sentences::{sentence_at, sentence_start_at};

use automaton::AliasMatcher;
use catalog::{Catalog, EntityKind};

/// One registry entry, parsed by the content stage from
/// `content/actors/<slug>.md` front matter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistryEntry {
    /// The file's slug (`content/actors/<id>.md`).
    pub id: String,
    /// Display name (renames a gazetteer actor with the same id).
    pub name: Option<String>,
    /// `state`, `organisation`, `armed-group`, `person`, `place` or `other`.
    pub kind: Option<String>,
    /// Extra names; an alias equal to another actor's name merges that actor
    /// into this one.
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
    /// Suppress this id (and its names) everywhere.
    pub ignore: bool,
}

/// One article to extract from, with its front matter hints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// The whole file exactly as read (front matter included).
    pub text: &'a str,
    /// Byte offset where the body starts; only `text[body_start..]` is read.
    pub body_start: usize,
    /// Front matter `actors`: ids or names to add (without mentions).
    pub extra_actors: &'a [String],
    /// Front matter `exclude_actors`: ids or names to drop.
    pub exclude_actors: &'a [String],
}

/// Everything found in one article. Offsets are UTF-8 byte offsets into
/// `Input::text`, end exclusive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub dateline: Option<Dateline>,
    /// By first mention; actors without a mention last, by id.
    pub actors: Vec<ActorHit>,
    /// By first mention.
    pub places: Vec<PlaceHit>,
    /// By sentence.
    pub statements: Vec<Statement>,
    /// By sentence.
    pub relations: Vec<Relation>,
    /// Capitalised names that match nothing known, by first mention.
    pub candidates: Vec<Candidate>,
}

/// The dateline at the start of the body (`Ankara:`, `GAZA CITY, Nov 2 (Agency) -`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place as written.
    pub text: String,
    /// The place id, when the place is known.
    pub place: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// An actor and its mentions in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorHit {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// For people: the title they were introduced with ("Foreign Minister").
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub mentions: Vec<Mention>,
}

/// A place and its mentions (serialised without `form`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceHit {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "spans_without_form")]
    pub mentions: Vec<Mention>,
}

/// One naming of an actor, place or candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// Exactly `Input::text[start..end]`.
    pub text: String,
    #[serde(default)]
    pub form: Form,
}

/// How an actor was named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// Its name or one of its built-in aliases.
    #[default]
    Name,
    Acronym,
    /// "Turkish officials".
    Demonym,
    /// A capital or seat standing for the government ("Ankara said", "the Kremlin").
    Capital,
    /// A person's surname after the full name was given.
    Surname,
    /// An alias from the site's registry.
    Alias,
}

/// What kind of actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    State,
    Organisation,
    ArmedGroup,
    Person,
    Other,
}

/// Something an actor said, from a reporting verb.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub actor: String,
    /// The reporting verb as written, lowercase ("said", "according to").
    pub verb: String,
    /// The reported or quoted words.
    pub text: String,
    /// The sentence carrying it.
    pub start: usize,
    pub end: usize,
}

/// Something one actor did to another, within one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub source: String,
    pub target: String,
    /// talks, met, accused, urged, mediated, attacked, supported, condemned,
    /// threatened, sanctioned, visited, agreed, rejected.
    #[serde(rename = "type")]
    pub kind: String,
    /// The sentence carrying it.
    pub start: usize,
    pub end: usize,
}

/// A capitalised name that matches nothing known (serialised without `form`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub text: String,
    #[serde(serialize_with = "spans_without_form")]
    pub mentions: Vec<Mention>,
}

fn spans_without_form<S: Serializer>(mentions: &[Mention], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Span<'a> {
        start: usize,
        end: usize,
        text: &'a str,
    }
    s.collect_seq(mentions.iter().map(|m| Span {
        start: m.start,
        end: m.end,
        text: &m.text,
    }))
}

/// What the extractor knows about an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorInfo {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Every known name, the display name first.
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
}

/// What the extractor knows about a place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    pub id: String,
    pub name: String,
    /// Every known name, the display name first.
    pub aliases: Vec<String>,
    /// The state it is in.
    pub country: Option<String>,
    /// city, region, territory, crossing, ...
    pub kind: Option<String>,
}

/// A registry entry (or the built-in gazetteer) that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ExtractError {
    /// The registry id at fault (empty for a gazetteer problem).
    pub id: String,
    /// What is wrong and what to do.
    pub message: String,
    /// The file to fix.
    pub file: String,
}

impl ExtractError {
    pub(crate) fn registry(id: &str, message: &str) -> ExtractError {
        ExtractError {
            id: id.to_string(),
            message: message.to_string(),
            file: format!("content/actors/{id}.md"),
        }
    }

    pub(crate) fn gazetteer(file: &str, message: &str) -> ExtractError {
        ExtractError {
            id: String::new(),
            message: format!("{message} (built-in gazetteer; this is a bug in dossier)"),
            file: file.to_string(),
        }
    }
}

/// The shared, immutable state of an extractor.
struct Inner {
    catalog: Catalog,
    matcher: AliasMatcher,
    fingerprint: u64,
}

/// Built once per build from the embedded gazetteer and the site's registry;
/// `Send + Sync` and cheap to clone (the tables are shared).
#[derive(Clone)]
pub struct Extractor {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("entities", &self.inner.catalog.entities.len())
            .field("patterns", &self.inner.catalog.patterns.len())
            .field("fingerprint", &self.inner.fingerprint)
            .finish()
    }
}

/// Bumped when the extraction code changes what it outputs, so cached
/// extractions from an older binary are not reused.
const ENGINE_VERSION: u64 = 1;

impl Extractor {
    /// Parses the gazetteer, applies the registry and builds the automatons.
    pub fn new(registry: &[RegistryEntry]) -> Result<Extractor, ExtractError> {
        let gazetteer = gazetteer::load()?;
        let catalog = Catalog::build(&gazetteer, registry)?;
        let matcher = AliasMatcher::new(&catalog.patterns)?;
        let fingerprint = fingerprint(&gazetteer.version, registry);
        Ok(Extractor {
            inner: Arc::new(Inner {
                catalog,
                matcher,
                fingerprint,
            }),
        })
    }

    /// Extracts actors, places, statements, relations and candidates from one
    /// article. Pure, deterministic, never panics.
    pub fn extract(&self, input: &Input) -> Extraction {
        document::run(&self.inner.catalog, &self.inner.matcher, input)
    }

    /// Changes whenever the gazetteer or the registry changes; part of the
    /// per-article cache key.
    pub fn fingerprint(&self) -> u64 {
        self.inner.fingerprint
    }

    /// What is known about an actor (following registry merges).
    pub fn actor(&self, id: &str) -> Option<ActorInfo> {
        let c = &self.inner.catalog;
        let index = c.find(id)?;
        let e = &c.entities[index];
        let kind = e.actor_kind()?;
        Some(ActorInfo {
            id: e.id.clone(),
            name: e.name.clone(),
            kind,
            aliases: c.all_names(index),
            role: e.role.clone(),
            affiliation: e.affiliation.clone(),
            wikidata: e.wikidata.clone(),
        })
    }

    /// What is known about a place.
    pub fn place(&self, id: &str) -> Option<PlaceInfo> {
        let c = &self.inner.catalog;
        let index = c.find(id)?;
        let e = &c.entities[index];
        if e.kind != EntityKind::Place {
            return None;
        }
        Some(PlaceInfo {
            id: e.id.clone(),
            name: e.name.clone(),
            aliases: c.all_names(index),
            country: e.country.clone(),
            kind: e.place_kind.clone(),
        })
    }

    /// Aliases that name more than one entry, with the entries' ids (for
    /// `dossier check`).
    pub fn ambiguous_aliases(&self) -> Vec<(String, Vec<String>)> {
        self.inner.catalog.ambiguous.clone()
    }
}

fn fingerprint(version: &str, registry: &[RegistryEntry]) -> u64 {
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend_from_slice(&ENGINE_VERSION.to_le_bytes());
    bytes.extend_from_slice(version.as_bytes());
    for (name, text) in gazetteer::SOURCES {
        bytes.push(0);
        bytes.extend_from_slice(name.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(text.as_bytes());
    }
    for entry in registry {
        // Field by field with separators, so no two registries hash alike by
        // concatenation.
        let fields = [
            Some(entry.id.as_str()),
            entry.name.as_deref(),
            entry.kind.as_deref(),
            entry.affiliation.as_deref(),
            entry.wikidata.as_deref(),
        ];
        bytes.push(1);
        for field in fields {
            match field {
                Some(f) => {
                    bytes.push(2);
                    bytes.extend_from_slice(f.as_bytes());
                }
                None => bytes.push(3),
            }
        }
        for alias in &entry.aliases {
            bytes.push(4);
            bytes.extend_from_slice(alias.as_bytes());
        }
        bytes.push(if entry.ignore { 5 } else { 6 });
    }
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// The slug rule for ids: lowercase ASCII words joined by hyphens, after
/// transliteration ("Erdoğan" -> "erdogan").
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Recep Tayyip Erdoğan"), "recep-tayyip-erdogan");
        assert_eq!(slugify("United States"), "united-states");
        assert_eq!(slugify("  Côte d'Ivoire "), "cote-d-ivoire");
        assert_eq!(slugify("al-Sisi"), "al-sisi");
        assert_eq!(slugify("!!"), "");
    }

    #[test]
    fn fingerprint_follows_the_registry() {
        let a = fingerprint("1", &[]);
        let entry = RegistryEntry {
            id: "x".into(),
            ..RegistryEntry::default()
        };
        let b = fingerprint("1", std::slice::from_ref(&entry));
        let mut ignored = entry.clone();
        ignored.ignore = true;
        let c = fingerprint("1", &[ignored]);
        assert_ne!(a, b);
        assert_ne!(b, c);
        assert_eq!(b, fingerprint("1", &[entry]));
    }

    #[test]
    fn extractor_is_send_sync_and_builds() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Extractor>();
        let ex = Extractor::new(&[]);
        assert!(ex.is_ok(), "{:?}", ex.err());
    }

    fn entry(id: &str) -> RegistryEntry {
        RegistryEntry {
            id: id.to_string(),
            ..RegistryEntry::default()
        }
    }

    fn ids(out: &Extraction) -> Vec<&str> {
        out.actors.iter().map(|a| a.id.as_str()).collect()
    }

    const TEXT: &str = "Turkey held talks with Hamas. The Joint Monitoring Committee met in Doha, \
                        and Qatar said the JMC would report to the mediators.";

    #[test]
    fn registry_adds_renames_and_suppresses() {
        let mut jmc = entry("joint-monitoring-committee");
        jmc.name = Some("Joint Monitoring Committee".into());
        jmc.kind = Some("organisation".into());
        jmc.aliases = vec!["JMC".into()];
        let mut turkey = entry("turkey");
        turkey.name = Some("Türkiye".into());
        let mut hamas = entry("hamas");
        hamas.ignore = true;
        let ex = Extractor::new(&[jmc, turkey, hamas]);
        assert!(ex.is_ok(), "{:?}", ex.err());
        let Ok(ex) = ex else { return };
        let out = ex.extract(&Input {
            text: TEXT,
            ..Input::default()
        });
        assert_eq!(
            ids(&out),
            vec!["turkey", "joint-monitoring-committee", "qatar"]
        );
        assert_eq!(out.actors[0].name, "Türkiye");
        let jmc = &out.actors[1];
        assert_eq!(jmc.mentions[0].form, Form::Name);
        assert_eq!(jmc.mentions[1].text, "JMC");
        assert_eq!(jmc.mentions[1].form, Form::Alias);
        assert!(out.candidates.is_empty(), "{:?}", out.candidates);
        assert!(ex.actor("hamas").is_some());
        assert!(
            ex.actor("turkey")
                .is_some_and(|a| a.aliases.contains(&"Turkey".to_string()))
        );
    }

    #[test]
    fn front_matter_adds_and_excludes() {
        let ex = Extractor::new(&[]);
        let Ok(ex) = ex else { return };
        let extra = vec![
            "NATO".to_string(),
            "Some Local Group".to_string(),
            "turkey".to_string(),
        ];
        let exclude = vec!["Qatar".to_string(), "hamas".to_string()];
        let out = ex.extract(&Input {
            text: TEXT,
            body_start: 0,
            extra_actors: &extra,
            exclude_actors: &exclude,
        });
        let got = ids(&out);
        assert!(
            !got.contains(&"qatar") && !got.contains(&"hamas"),
            "{got:?}"
        );
        let tail: Vec<&str> = got.iter().rev().take(2).rev().copied().collect();
        assert_eq!(tail, vec!["nato", "some-local-group"]);
        assert!(
            out.actors
                .iter()
                .rev()
                .take(2)
                .all(|a| a.mentions.is_empty())
        );
        assert!(out.relations.iter().all(|r| r.target != "hamas"));
    }

    #[test]
    fn lookups_and_body_start() {
        let Ok(ex) = Extractor::new(&[]) else { return };
        let fidan = ex.actor("hakan-fidan");
        assert!(fidan.is_some_and(|a| a.kind == Kind::Person));
        let gaza = ex.place("gaza");
        assert!(gaza.is_some_and(|p| p.aliases.iter().any(|a| a == "Gaza Strip")));
        assert!(ex.place("turkey").is_none());
        let text = "+++\ntitle = \"Turkey\"\n+++\nQatar said.";
        let out = ex.extract(&Input {
            text,
            body_start: text.find("Qatar").unwrap_or(0),
            ..Input::default()
        });
        assert_eq!(ids(&out), vec!["qatar"]);
        assert_eq!(
            &text[out.actors[0].mentions[0].start..out.actors[0].mentions[0].end],
            "Qatar"
        );
    }

    #[test]
    fn places_and_candidates_serialise_without_form() {
        let m = Mention {
            start: 0,
            end: 4,
            text: "Gaza".into(),
            form: Form::Name,
        };
        let p = PlaceHit {
            id: "gaza".into(),
            name: "Gaza".into(),
            mentions: vec![m.clone()],
        };
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(!json.contains("form"), "{json}");
        let back: Result<PlaceHit, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(p));
        let a = serde_json::to_string(&m).unwrap_or_default();
        assert!(a.contains("\"form\":\"name\""), "{a}");
        let k = serde_json::to_string(&Kind::ArmedGroup).unwrap_or_default();
        assert_eq!(k, "\"armed-group\"");
    }
}
