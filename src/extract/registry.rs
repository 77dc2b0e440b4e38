//! Lays the site's registry (`content/actors/*.md`) over the built-in catalog:
//! new actors and places, extra aliases, renames, merges and suppressions.
//!
//! The registry is the analyst's way to correct the gazetteer, so its word wins:
//! its aliases take precedence over built-in ones, and a registry alias equal to
//! another actor's name folds that actor into the registry entry. Mistakes the
//! analyst can fix (a bad id, an unknown kind, an affiliation that names nothing)
//! are errors that name the entry.

use super::catalog::{Alias, AliasKind, Catalog, Entity, EntityKind};
use super::fasthash::FastSet;
use super::{ExtractError, Kind, RegistryEntry, slugify};

/// What a registry `kind` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RegistryKind {
    Actor(Kind),
    Place,
}

fn parse_kind(entry: &RegistryEntry) -> Result<Option<RegistryKind>, ExtractError> {
    let Some(kind) = entry.kind.as_deref() else {
        return Ok(None);
    };
    let normal = kind.trim().to_ascii_lowercase().replace([' ', '_'], "-");
    let parsed = match normal.as_str() {
        "state" | "country" => RegistryKind::Actor(Kind::State),
        "organisation" | "organization" | "org" => RegistryKind::Actor(Kind::Organisation),
        "armed-group" => RegistryKind::Actor(Kind::ArmedGroup),
        "person" => RegistryKind::Actor(Kind::Person),
        "other" => RegistryKind::Actor(Kind::Other),
        "place" | "location" => RegistryKind::Place,
        _ => {
            return Err(ExtractError::registry(
                &entry.id,
                &format!(
                    "unknown kind `{kind}`; use one of state, organisation, armed-group, person, place, other"
                ),
            ));
        }
    };
    Ok(Some(parsed))
}

/// Applies the registry to the catalog.
pub(crate) fn apply(catalog: &mut Catalog, entries: &[RegistryEntry]) -> Result<(), ExtractError> {
    let mut seen: FastSet<&str> = FastSet::default();
    for entry in entries {
        if entry.id.is_empty() || slugify(&entry.id) != entry.id {
            return Err(ExtractError::registry(
                &entry.id,
                &format!(
                    "the id must be lowercase ASCII words joined by hyphens, e.g. `{}`",
                    slugify(&entry.id)
                ),
            ));
        }
        if !seen.insert(entry.id.as_str()) {
            return Err(ExtractError::registry(
                &entry.id,
                "this id appears twice in the registry",
            ));
        }
        if entry.aliases.iter().any(|a| a.trim().is_empty()) {
            return Err(ExtractError::registry(&entry.id, "an alias is empty"));
        }
        if entry.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ExtractError::registry(&entry.id, "the name is empty"));
        }
    }
    let mut indices = Vec::with_capacity(entries.len());
    for entry in entries {
        indices.push(apply_entry(catalog, entry)?);
    }
    merge_by_alias(catalog, entries, &indices)?;
    resolve_affiliations(catalog, entries, &indices)?;
    Ok(())
}

fn registry_alias(text: &str, kind: AliasKind) -> Alias {
    Alias {
        text: text.trim().to_string(),
        kind,
        weak: false,
        from_registry: true,
    }
}

/// Creates or updates the entity of one entry; returns its index.
fn apply_entry(catalog: &mut Catalog, entry: &RegistryEntry) -> Result<usize, ExtractError> {
    let kind = parse_kind(entry)?;
    let index = match catalog.by_id.get(&entry.id) {
        Some(&i) => {
            let e = &mut catalog.entities[i];
            match (kind, e.kind) {
                (Some(RegistryKind::Place), EntityKind::Actor(_)) => {
                    return Err(ExtractError::registry(
                        &entry.id,
                        "the built-in gazetteer knows this id as an actor; kind cannot be `place`",
                    ));
                }
                (Some(RegistryKind::Actor(_)), EntityKind::Place) => {
                    return Err(ExtractError::registry(
                        &entry.id,
                        "the built-in gazetteer knows this id as a place; use kind = \"place\"",
                    ));
                }
                (Some(RegistryKind::Actor(k)), EntityKind::Actor(_)) => {
                    e.kind = EntityKind::Actor(k);
                }
                _ => {}
            }
            if let Some(name) = entry.name.as_deref().map(str::trim)
                && name != e.name
            {
                // A rename changes the display name; the old name still
                // matches in text.
                e.name = name.to_string();
                e.aliases.push(registry_alias(name, AliasKind::Name));
            }
            i
        }
        None => {
            let entity_kind = match kind {
                Some(RegistryKind::Place) => EntityKind::Place,
                Some(RegistryKind::Actor(k)) => EntityKind::Actor(k),
                None => EntityKind::Actor(Kind::Other),
            };
            let name = entry
                .name
                .as_deref()
                .map(str::trim)
                .or_else(|| entry.aliases.first().map(|a| a.trim()))
                .unwrap_or(entry.id.as_str())
                .to_string();
            let mut e = Entity::new(&entry.id, &name, entity_kind);
            if entry.name.is_some() {
                e.aliases.push(registry_alias(&name, AliasKind::Name));
            }
            let index = catalog.entities.len();
            catalog.by_id.insert(entry.id.clone(), index);
            catalog.entities.push(e);
            index
        }
    };
    let e = &mut catalog.entities[index];
    for alias in &entry.aliases {
        e.aliases.push(registry_alias(alias, AliasKind::Alias));
    }
    if let Some(w) = entry
        .wikidata
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        e.wikidata = Some(w.to_string());
    }
    if entry.ignore {
        e.ignored = true;
        catalog.ignored_ids.push(entry.id.clone());
    }
    Ok(index)
}

/// A registry alias equal to another entity's name merges that entity into the
/// entry that lists the alias.
fn merge_by_alias(
    catalog: &mut Catalog,
    entries: &[RegistryEntry],
    indices: &[usize],
) -> Result<(), ExtractError> {
    for (entry, &index) in entries.iter().zip(indices) {
        if entry.ignore {
            continue;
        }
        for alias in &entry.aliases {
            let alias = alias.trim();
            let others: Vec<usize> = catalog
                .entities
                .iter()
                .enumerate()
                .filter(|(i, e)| {
                    *i != index
                        && e.merged_into.is_none()
                        && (e.name == alias || e.name.eq_ignore_ascii_case(alias))
                })
                .map(|(i, _)| i)
                .collect();
            for other in others {
                if catalog.entities[other].is_place() != catalog.entities[index].is_place() {
                    continue;
                }
                if catalog.resolve(index) == other {
                    return Err(ExtractError::registry(
                        &entry.id,
                        &format!(
                            "alias `{alias}` would merge `{}` into this entry, which is itself merged into it",
                            catalog.entities[other].id
                        ),
                    ));
                }
                catalog.entities[other].merged_into = Some(index);
            }
        }
    }
    Ok(())
}

/// Affiliations may be written as an id or a name; store the id.
fn resolve_affiliations(
    catalog: &mut Catalog,
    entries: &[RegistryEntry],
    indices: &[usize],
) -> Result<(), ExtractError> {
    for (entry, &index) in entries.iter().zip(indices) {
        let Some(affiliation) = entry.affiliation.as_deref().map(str::trim) else {
            continue;
        };
        if affiliation.is_empty() {
            continue;
        }
        let found = catalog.find(affiliation).or_else(|| {
            catalog
                .entities
                .iter()
                .position(|e| {
                    e.name == affiliation || e.aliases.iter().any(|a| a.text == affiliation)
                })
                .map(|i| catalog.resolve(i))
        });
        match found {
            Some(i) => {
                let id = catalog.entities[i].id.clone();
                catalog.entities[index].affiliation = Some(id);
            }
            None => {
                return Err(ExtractError::registry(
                    &entry.id,
                    &format!("affiliation `{affiliation}` is neither a known id nor a known name"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::catalog::Target;
    use super::super::gazetteer::parse;
    use super::*;

    const STATES: &str = r#"
[[state]]
id = "turkey"
name = "Turkey"
demonyms = ["Turkish"]
"#;
    const ORGS: &str = r#"
[[organisation]]
id = "hamas"
name = "Hamas"
kind = "armed-group"
"#;

    fn build(entries: &[RegistryEntry]) -> Result<Catalog, ExtractError> {
        let g = parse(STATES, "", ORGS, "").unwrap_or_default();
        Catalog::build(&g, entries)
    }

    fn entry(id: &str) -> RegistryEntry {
        RegistryEntry {
            id: id.to_string(),
            ..RegistryEntry::default()
        }
    }

    #[test]
    fn bad_entries_name_the_id() {
        let mut bad = entry("Bad Id");
        bad.name = Some("X".into());
        let err = build(&[bad])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("Bad Id"), "{err}");

        let mut kind = entry("x");
        kind.kind = Some("planet".into());
        let err = build(&[kind])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("planet") && err.contains("content/actors/x.md"),
            "{err}"
        );

        let mut aff = entry("y");
        aff.affiliation = Some("Atlantis".into());
        assert!(build(&[aff]).is_err());

        assert!(build(&[entry("z"), entry("z")]).is_err());
    }

    #[test]
    fn rename_keeps_the_old_name_matching() {
        let mut e = entry("turkey");
        e.name = Some("Türkiye".into());
        let c = build(&[e]).unwrap_or_default();
        let i = c.find("turkey").unwrap_or(usize::MAX);
        assert_eq!(c.entities.get(i).map(|e| e.name.as_str()), Some("Türkiye"));
        assert!(c.patterns.iter().any(|p| p.text == "Turkey"));
        assert!(c.patterns.iter().any(|p| p.text == "Türkiye"));
    }

    #[test]
    fn alias_equal_to_a_name_merges() {
        let mut e = entry("islamic-resistance-movement");
        e.name = Some("Islamic Resistance Movement".into());
        e.kind = Some("armed-group".into());
        e.aliases = vec!["Hamas".into()];
        let c = build(&[e]).unwrap_or_default();
        assert_eq!(c.find("hamas"), c.find("islamic-resistance-movement"));
        let hamas = c
            .patterns
            .iter()
            .find(|p| p.text == "Hamas")
            .map(|p| p.target);
        assert!(
            matches!(hamas, Some(Target::Actor { entity, .. }) if Some(entity) == c.find("islamic-resistance-movement"))
        );
    }

    #[test]
    fn ignore_suppresses_the_names() {
        let mut e = entry("hamas");
        e.ignore = true;
        let c = build(&[e]).unwrap_or_default();
        let hamas = c
            .patterns
            .iter()
            .find(|p| p.text == "Hamas")
            .map(|p| p.target);
        assert_eq!(hamas, Some(Target::Ignore));
    }

    #[test]
    fn affiliation_by_name_is_stored_as_id() {
        let mut e = entry("hakan-fidan");
        e.name = Some("Hakan Fidan".into());
        e.kind = Some("person".into());
        e.affiliation = Some("Turkey".into());
        let c = build(&[e]).unwrap_or_default();
        let i = c.find("hakan-fidan").unwrap_or(usize::MAX);
        assert_eq!(
            c.entities.get(i).and_then(|e| e.affiliation.as_deref()),
            Some("turkey")
        );
    }
}
