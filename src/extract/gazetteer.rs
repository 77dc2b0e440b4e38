//! The built-in gazetteer: the TOML files of `data/gazetteer/`, embedded at
//! compile time and parsed once per `Extractor::new`.
//!
//! The format is documented in `data/gazetteer/FORMAT.md`. Parsing is lenient
//! about optional fields (other tools write these files) and strict about what
//! would make the output wrong: a missing or malformed id, or the same id twice.
//! A broken embedded file is a bug, so it is reported as an error (and caught by
//! the unit tests below) rather than a panic.

use serde::Deserialize;

use super::{ExtractError, slugify};

/// The embedded files, by the path they are reported under.
pub(crate) const SOURCES: [(&str, &str); 4] = [
    (
        "data/gazetteer/states.toml",
        include_str!("../../data/gazetteer/states.toml"),
    ),
    (
        "data/gazetteer/places.toml",
        include_str!("../../data/gazetteer/places.toml"),
    ),
    (
        "data/gazetteer/organisations.toml",
        include_str!("../../data/gazetteer/organisations.toml"),
    ),
    (
        "data/gazetteer/people.toml",
        include_str!("../../data/gazetteer/people.toml"),
    ),
];

#[derive(Debug, Default, Deserialize)]
struct StatesFile {
    #[serde(default)]
    version: Option<toml::Value>,
    #[serde(default)]
    state: Vec<StateRecord>,
}

#[derive(Debug, Default, Deserialize)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<PlaceRecord>,
}

#[derive(Debug, Default, Deserialize)]
struct OrganisationsFile {
    #[serde(default)]
    organisation: Vec<OrganisationRecord>,
}

#[derive(Debug, Default, Deserialize)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<PersonRecord>,
}

/// A state or territory.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StateRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub capital: Option<String>,
    #[serde(default)]
    pub seats: Vec<String>,
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
}

/// A city, region, territory, crossing or other place.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PlaceRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
}

/// An intergovernmental organisation, a movement or an armed group.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct OrganisationRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
}

/// A person news keeps naming.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PersonRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub surnames: Vec<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
}

/// The parsed gazetteer.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    pub version: String,
    pub states: Vec<StateRecord>,
    pub places: Vec<PlaceRecord>,
    pub organisations: Vec<OrganisationRecord>,
    pub people: Vec<PersonRecord>,
}

/// Parses the embedded files.
pub(crate) fn load() -> Result<Gazetteer, ExtractError> {
    parse(SOURCES[0].1, SOURCES[1].1, SOURCES[2].1, SOURCES[3].1)
}

/// Parses gazetteer text (the embedded files, or test data in the same format).
pub(crate) fn parse(
    states: &str,
    places: &str,
    organisations: &str,
    people: &str,
) -> Result<Gazetteer, ExtractError> {
    let states_file: StatesFile = from_toml(SOURCES[0].0, states)?;
    let places_file: PlacesFile = from_toml(SOURCES[1].0, places)?;
    let organisations_file: OrganisationsFile = from_toml(SOURCES[2].0, organisations)?;
    let people_file: PeopleFile = from_toml(SOURCES[3].0, people)?;
    let version = match states_file.version {
        Some(toml::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let gazetteer = Gazetteer {
        version,
        states: states_file.state,
        places: places_file.place,
        organisations: organisations_file.organisation,
        people: people_file.person,
    };
    check_ids(&gazetteer)?;
    Ok(gazetteer)
}

fn from_toml<T: serde::de::DeserializeOwned + Default>(
    file: &str,
    text: &str,
) -> Result<T, ExtractError> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    toml::from_str(text).map_err(|e| ExtractError::gazetteer(file, &e.to_string()))
}

/// Every id must be a slug, present once across all files, and named.
fn check_ids(g: &Gazetteer) -> Result<(), ExtractError> {
    let mut seen = std::collections::HashMap::new();
    let all = g
        .states
        .iter()
        .map(|s| (SOURCES[0].0, &s.id, &s.name))
        .chain(g.places.iter().map(|p| (SOURCES[1].0, &p.id, &p.name)))
        .chain(
            g.organisations
                .iter()
                .map(|o| (SOURCES[2].0, &o.id, &o.name)),
        )
        .chain(g.people.iter().map(|p| (SOURCES[3].0, &p.id, &p.name)));
    for (file, id, name) in all {
        if id.is_empty() || slugify(id) != *id {
            return Err(ExtractError::gazetteer(
                file,
                &format!("id `{id}` is not a slug (lowercase ASCII words joined by hyphens)"),
            ));
        }
        if name.trim().is_empty() {
            return Err(ExtractError::gazetteer(
                file,
                &format!("entry `{id}` has no name"),
            ));
        }
        if let Some(first) = seen.insert(id.as_str(), file) {
            return Err(ExtractError::gazetteer(
                file,
                &format!("id `{id}` is used twice (first in {first})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse() {
        let g = load();
        assert!(g.is_ok(), "{:?}", g.err());
        let g = g.unwrap_or_default();
        assert!(!g.states.is_empty());
        assert!(!g.places.is_empty());
        assert!(!g.organisations.is_empty());
    }

    #[test]
    fn every_capital_and_affiliation_points_somewhere_sensible() {
        let g = load().unwrap_or_default();
        let states: std::collections::HashSet<&str> =
            g.states.iter().map(|s| s.id.as_str()).collect();
        for place in &g.places {
            if let Some(country) = &place.country
                && !country.is_empty()
            {
                assert!(
                    states.contains(country.as_str()),
                    "{}: country {country}",
                    place.id
                );
            }
        }
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        let broken = parse("[[state]]\nid = \"Not A Slug\"\nname = \"X\"\n", "", "", "");
        assert!(broken.is_err());
        let syntax = parse("[[state]\n", "", "", "");
        assert!(syntax.is_err());
        let twice = parse(
            "[[state]]\nid = \"x\"\nname = \"X\"\n",
            "[[place]]\nid = \"x\"\nname = \"X\"\n",
            "",
            "",
        );
        assert!(twice.is_err());
        let missing_name = parse("[[state]]\nid = \"x\"\n", "", "", "");
        assert!(missing_name.is_err());
    }
}
