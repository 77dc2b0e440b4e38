//! Stage 3, extract (placeholder until the engine lands): the API shape only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
    pub ignore: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    pub text: &'a str,
    pub body_start: usize,
    pub extra_actors: &'a [String],
    pub exclude_actors: &'a [String],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub dateline: Option<Dateline>,
    pub actors: Vec<ActorHit>,
    pub places: Vec<PlaceHit>,
    pub statements: Vec<Statement>,
    pub relations: Vec<Relation>,
    pub candidates: Vec<Candidate>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    pub text: String,
    pub place: Option<String>,
    pub start: usize,
    pub end: usize,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorHit {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub mentions: Vec<Mention>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceHit {
    pub id: String,
    pub name: String,
    pub mentions: Vec<Mention>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub form: Form,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Name,
    Acronym,
    Demonym,
    Capital,
    Surname,
    Alias,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    State,
    Organisation,
    ArmedGroup,
    Person,
    Other,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub actor: String,
    pub verb: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub source: String,
    pub target: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub start: usize,
    pub end: usize,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub text: String,
    pub mentions: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActorInfo {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("content/actors/{id}.md: {message}")]
pub struct ExtractError {
    pub id: String,
    pub message: String,
}

pub struct Extractor;
impl Extractor {
    pub fn new(_registry: &[RegistryEntry]) -> Result<Extractor, ExtractError> {
        Ok(Extractor)
    }
    pub fn extract(&self, _input: &Input) -> Extraction {
        Extraction::default()
    }
    pub fn fingerprint(&self) -> u64 {
        0
    }
    pub fn actor(&self, _id: &str) -> Option<ActorInfo> {
        None
    }
    pub fn place(&self, _id: &str) -> Option<PlaceInfo> {
        None
    }
    pub fn ambiguous_aliases(&self) -> Vec<(String, Vec<String>)> {
        Vec::new()
    }
}

pub fn sentence_at(text: &str, pos: usize) -> std::ops::Range<usize> {
    let pos = pos.min(text.len());
    let start = text[..pos].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let end = text[pos..]
        .find(['.', '\n'])
        .map_or(text.len(), |i| pos + i + 1);
    start..end
}

pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
