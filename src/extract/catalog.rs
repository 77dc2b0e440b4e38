//! The catalog: every actor and place the extractor knows, from the built-in
//! gazetteer with the site's registry laid over it, and the flat list of
//! surface strings ("patterns") that name them.
//!
//! Each pattern resolves to exactly one target here, once, so the per-article
//! pass never has to arbitrate between entries. The few strings that name more
//! than one entry are resolved by a fixed priority and listed by
//! `ambiguous_aliases` so an analyst can settle them in the registry.

use super::fasthash::FastMap;
use super::gazetteer::Gazetteer;
use super::{ExtractError, Form, Kind, RegistryEntry, registry, slugify};

/// How an alias names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AliasKind {
    Name,
    Acronym,
    Demonym,
    /// The state's capital city: the government or the place, by context.
    Capital,
    /// A seat of government ("the Kremlin"): always the government.
    Seat,
    Surname,
    /// An alias added by the registry.
    Alias,
}

impl AliasKind {
    fn form(self) -> Form {
        match self {
            AliasKind::Name => Form::Name,
            AliasKind::Acronym => Form::Acronym,
            AliasKind::Demonym => Form::Demonym,
            AliasKind::Capital | AliasKind::Seat => Form::Capital,
            AliasKind::Surname => Form::Surname,
            AliasKind::Alias => Form::Alias,
        }
    }

    /// Preference among forms of the same entity sharing one string.
    fn rank(self) -> u8 {
        match self {
            AliasKind::Name => 0,
            AliasKind::Alias => 1,
            AliasKind::Acronym => 2,
            AliasKind::Demonym => 3,
            AliasKind::Seat => 4,
            AliasKind::Surname => 5,
            AliasKind::Capital => 6,
        }
    }
}

/// One surface string of an entity.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    pub text: String,
    pub kind: AliasKind,
    pub weak: bool,
    pub from_registry: bool,
}

/// Whether an entity is an actor (with its kind) or a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityKind {
    Actor(Kind),
    Place,
}

/// A known actor or place.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<Alias>,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
    /// For places: the state they are in.
    pub country: Option<String>,
    /// For places: city, region, territory, crossing, ...
    pub place_kind: Option<String>,
    /// For states: the entity of the capital city.
    pub capital_place: Option<usize>,
    /// Suppressed by the registry.
    pub ignored: bool,
    /// Merged by the registry into another entity.
    pub merged_into: Option<usize>,
}

impl Entity {
    pub(crate) fn new(id: &str, name: &str, kind: EntityKind) -> Entity {
        Entity {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            aliases: Vec::new(),
            role: None,
            affiliation: None,
            wikidata: None,
            country: None,
            place_kind: None,
            capital_place: None,
            ignored: false,
            merged_into: None,
        }
    }

    pub(crate) fn add_alias(&mut self, text: &str, kind: AliasKind, weak: &[String]) {
        let text = text.trim();
        if text.chars().count() < 2 {
            return;
        }
        if self
            .aliases
            .iter()
            .any(|a| a.text == text && a.kind == kind)
        {
            return;
        }
        self.aliases.push(Alias {
            text: text.to_string(),
            kind,
            weak: weak.iter().any(|w| w.trim() == text),
            from_registry: false,
        });
    }

    pub(crate) fn is_place(&self) -> bool {
        self.kind == EntityKind::Place
    }

    pub(crate) fn actor_kind(&self) -> Option<Kind> {
        match self.kind {
            EntityKind::Actor(kind) => Some(kind),
            EntityKind::Place => None,
        }
    }
}

/// What a matched string stands for, settled once per pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// An actor, named in the given form.
    Actor { entity: usize, form: Form },
    /// A place.
    Place { entity: usize },
    /// A capital city: the state's government or the city, by context.
    CapitalOrPlace { state: usize, place: usize },
    /// A name the registry suppressed: matched so that it blocks candidates,
    /// reported nowhere.
    Ignore,
}

/// A surface string and its target.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub text: String,
    pub target: Target,
    /// Also an ordinary word or given name: accepted only in a clear context.
    pub weak: bool,
    /// Written as an acronym ("UN", "WHO"): some read as words in all-caps text.
    pub acronym: bool,
}

/// All known entities and their patterns.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub entities: Vec<Entity>,
    pub by_id: FastMap<String, usize>,
    pub patterns: Vec<Pattern>,
    /// Aliases that name more than one entity, with the entity ids.
    pub ambiguous: Vec<(String, Vec<String>)>,
    /// Ids the registry suppresses that are not otherwise known (people and
    /// candidates found in the text are dropped by id).
    pub ignored_ids: Vec<String>,
}

impl Catalog {
    /// Builds the catalog from the gazetteer and the registry.
    pub(crate) fn build(
        gazetteer: &Gazetteer,
        registry_entries: &[RegistryEntry],
    ) -> Result<Catalog, ExtractError> {
        let mut catalog = Catalog::default();
        catalog.add_gazetteer(gazetteer);
        registry::apply(&mut catalog, registry_entries)?;
        catalog.build_patterns();
        Ok(catalog)
    }

    fn push(&mut self, entity: Entity) -> usize {
        let index = self.entities.len();
        self.by_id.insert(entity.id.clone(), index);
        self.entities.push(entity);
        index
    }

    fn add_gazetteer(&mut self, g: &Gazetteer) {
        for p in &g.places {
            let mut e = Entity::new(&p.id, &p.name, EntityKind::Place);
            e.add_alias(&p.name, AliasKind::Name, &p.weak);
            for a in &p.aliases {
                e.add_alias(a, AliasKind::Name, &p.weak);
            }
            e.country = p.country.clone().filter(|c| !c.is_empty());
            e.place_kind = p.kind.clone().filter(|k| !k.is_empty());
            e.wikidata = p.wikidata.clone().filter(|w| !w.is_empty());
            self.push(e);
        }
        for s in &g.states {
            let mut e = Entity::new(&s.id, &s.name, EntityKind::Actor(Kind::State));
            e.add_alias(&s.name, AliasKind::Name, &s.weak);
            for a in &s.aliases {
                e.add_alias(a, AliasKind::Name, &s.weak);
            }
            for a in &s.acronyms {
                e.add_alias(a, AliasKind::Acronym, &s.weak);
            }
            for a in &s.demonyms {
                e.add_alias(a, AliasKind::Demonym, &s.weak);
            }
            for a in &s.seats {
                e.add_alias(a, AliasKind::Seat, &s.weak);
            }
            e.wikidata = s.wikidata.clone().filter(|w| !w.is_empty());
            if let Some(capital) = s
                .capital
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                e.add_alias(capital, AliasKind::Capital, &s.weak);
                let place_id = slugify(capital);
                // The city entry: by the slug of the capital, else by name
                // ("N'Djamena" is filed as `ndjamena`).
                let by_name = || {
                    self.entities.iter().position(|p| {
                        p.is_place()
                            && (p.name == capital || p.aliases.iter().any(|a| a.text == capital))
                    })
                };
                let place = match self.by_id.get(&place_id).copied().or_else(by_name) {
                    Some(i) if self.entities[i].is_place() => Some(i),
                    Some(_) => None,
                    None => {
                        // FORMAT.md asks for every capital in places.toml; a
                        // missing one is made up here rather than lost.
                        let mut p = Entity::new(&place_id, capital, EntityKind::Place);
                        p.add_alias(capital, AliasKind::Name, &[]);
                        p.country = Some(s.id.clone());
                        p.place_kind = Some("city".to_string());
                        Some(self.push(p))
                    }
                };
                e.capital_place = place;
            }
            self.push(e);
        }
        for o in &g.organisations {
            let kind = match o.kind.as_deref() {
                Some("armed-group") => Kind::ArmedGroup,
                Some("other") => Kind::Other,
                _ => Kind::Organisation,
            };
            let mut e = Entity::new(&o.id, &o.name, EntityKind::Actor(kind));
            e.add_alias(&o.name, AliasKind::Name, &o.weak);
            for a in &o.aliases {
                e.add_alias(a, AliasKind::Name, &o.weak);
            }
            for a in &o.acronyms {
                e.add_alias(a, AliasKind::Acronym, &o.weak);
            }
            e.affiliation = o.affiliation.clone().filter(|a| !a.is_empty());
            e.wikidata = o.wikidata.clone().filter(|w| !w.is_empty());
            self.push(e);
        }
        for p in &g.people {
            let mut e = Entity::new(&p.id, &p.name, EntityKind::Actor(Kind::Person));
            e.add_alias(&p.name, AliasKind::Name, &p.weak);
            for a in &p.aliases {
                e.add_alias(a, AliasKind::Name, &p.weak);
            }
            for a in &p.surnames {
                e.add_alias(a, AliasKind::Surname, &p.weak);
            }
            e.role = p.role.clone().filter(|r| !r.is_empty());
            e.affiliation = p.affiliation.clone().filter(|a| !a.is_empty());
            e.wikidata = p.wikidata.clone().filter(|w| !w.is_empty());
            self.push(e);
        }
    }

    /// Follows registry merges to the entity that now stands for `index`.
    pub(crate) fn resolve(&self, mut index: usize) -> usize {
        // Merge chains are checked for cycles when the registry is applied;
        // the bound only keeps a corrupted table from looping.
        for _ in 0..self.entities.len() {
            match self.entities[index].merged_into {
                Some(next) => index = next,
                None => break,
            }
        }
        index
    }

    /// The entity with this id, after merges.
    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).map(|&i| self.resolve(i))
    }

    /// Every surface string of an entity, including those of entities merged
    /// into it, without repeats, in a stable order.
    pub(crate) fn all_names(&self, index: usize) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            if self.resolve(i) != index {
                continue;
            }
            for name in std::iter::once(&e.name).chain(e.aliases.iter().map(|a| &a.text)) {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
        names
    }

    /// Turns every alias into one pattern with one target.
    fn build_patterns(&mut self) {
        struct Claim {
            entity: usize,
            kind: AliasKind,
            weak: bool,
            from_registry: bool,
        }
        let mut claims: FastMap<&str, Vec<Claim>> = FastMap::default();
        let mut order: Vec<&str> = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            for a in &e.aliases {
                let list = claims.entry(a.text.as_str()).or_default();
                if list.is_empty() {
                    order.push(a.text.as_str());
                }
                list.push(Claim {
                    entity: self.resolve(i),
                    kind: a.kind,
                    weak: a.weak,
                    from_registry: a.from_registry,
                });
            }
        }
        order.sort_unstable();
        let mut patterns = Vec::with_capacity(order.len());
        let mut ambiguous = Vec::new();
        for text in order {
            let Some(list) = claims.get(text) else {
                continue;
            };
            let registry_only = list.iter().any(|c| c.from_registry);
            let list: Vec<&Claim> = list
                .iter()
                .filter(|c| !registry_only || c.from_registry)
                .collect();
            let weak = list.iter().any(|c| c.weak);
            if list.iter().any(|c| self.entities[c.entity].ignored) {
                patterns.push(Pattern {
                    text: text.to_string(),
                    target: Target::Ignore,
                    weak,
                    acronym: false,
                });
                continue;
            }
            let mut distinct: Vec<usize> = Vec::new();
            for c in &list {
                let e = &self.entities[c.entity];
                // A capital's city entry is the same thing as the capital alias.
                let capital_city = c.kind == AliasKind::Name
                    && e.is_place()
                    && list.iter().any(|o| {
                        o.kind == AliasKind::Capital
                            && self.entities[o.entity].capital_place == Some(c.entity)
                    });
                if !capital_city && !distinct.contains(&c.entity) {
                    distinct.push(c.entity);
                }
            }
            if distinct.len() > 1 {
                let mut ids: Vec<String> = distinct
                    .iter()
                    .map(|&i| self.entities[i].id.clone())
                    .collect();
                ids.sort();
                ambiguous.push((text.to_string(), ids));
            }
            let named = list
                .iter()
                .filter(|c| !self.entities[c.entity].is_place() && c.kind != AliasKind::Capital)
                .min_by_key(|c| {
                    let e = &self.entities[c.entity];
                    (kind_rank(e.kind), c.kind.rank(), e.id.as_str())
                });
            let target = if let Some(c) = named {
                Target::Actor {
                    entity: c.entity,
                    form: c.kind.form(),
                }
            } else if let Some(c) = list
                .iter()
                .filter(|c| c.kind == AliasKind::Capital)
                .min_by_key(|c| self.entities[c.entity].id.as_str())
            {
                match self.entities[c.entity].capital_place {
                    Some(place) => Target::CapitalOrPlace {
                        state: c.entity,
                        place: self.resolve(place),
                    },
                    None => Target::Actor {
                        entity: c.entity,
                        form: Form::Capital,
                    },
                }
            } else if let Some(c) = list
                .iter()
                .min_by_key(|c| self.entities[c.entity].id.as_str())
            {
                Target::Place { entity: c.entity }
            } else {
                continue;
            };
            let acronym = matches!(
                target,
                Target::Actor {
                    form: Form::Acronym,
                    ..
                }
            );
            patterns.push(Pattern {
                text: text.to_string(),
                target,
                weak,
                acronym,
            });
        }
        self.patterns = patterns;
        self.ambiguous = ambiguous;
    }
}

/// Preference among different entities sharing one string: people, then
/// organisations, then states.
fn kind_rank(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Actor(Kind::Person) => 0,
        EntityKind::Actor(Kind::ArmedGroup) | EntityKind::Actor(Kind::Organisation) => 1,
        EntityKind::Actor(Kind::State) => 2,
        EntityKind::Actor(Kind::Other) => 3,
        EntityKind::Place => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::parse;
    use super::*;

    const STATES: &str = r#"
version = 1
[[state]]
id = "turkey"
name = "Turkey"
aliases = ["Türkiye"]
demonyms = ["Turkish"]
capital = "Ankara"
[[state]]
id = "russia"
name = "Russia"
demonyms = ["Russian"]
capital = "Moscow"
seats = ["Kremlin"]
[[state]]
id = "chad"
name = "Chad"
capital = "N'Djamena"
weak = ["Chad"]
"#;
    const PLACES: &str = r#"
[[place]]
id = "ankara"
name = "Ankara"
country = "turkey"
kind = "city"
[[place]]
id = "georgia-us"
name = "Georgia"
"#;

    fn catalog() -> Catalog {
        let g = parse(STATES, PLACES, "", "").unwrap_or_default();
        Catalog::build(&g, &[]).unwrap_or_default()
    }

    fn target(c: &Catalog, text: &str) -> Option<Target> {
        c.patterns.iter().find(|p| p.text == text).map(|p| p.target)
    }

    #[test]
    fn capitals_pair_the_state_with_the_city() {
        let c = catalog();
        let turkey = c.find("turkey");
        let ankara = c.find("ankara");
        assert!(matches!(
            target(&c, "Ankara"),
            Some(Target::CapitalOrPlace { state, place }) if Some(state) == turkey && Some(place) == ankara
        ));
        assert!(c.ambiguous.is_empty(), "{:?}", c.ambiguous);
    }

    #[test]
    fn missing_capital_city_is_made_up() {
        let c = catalog();
        let moscow = c.find("moscow");
        assert!(moscow.is_some());
        assert!(matches!(
            target(&c, "Kremlin"),
            Some(Target::Actor {
                form: Form::Capital,
                ..
            })
        ));
    }

    #[test]
    fn weak_aliases_are_flagged() {
        let c = catalog();
        let chad = c.patterns.iter().find(|p| p.text == "Chad");
        assert!(chad.is_some_and(|p| p.weak));
        let turkey = c.patterns.iter().find(|p| p.text == "Turkey");
        assert!(turkey.is_some_and(|p| !p.weak));
    }
}
