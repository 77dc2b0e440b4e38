//! A generator of news-like briefing corpora, for benchmarks.
//!
//! Shared by the `corpus` and `incremental` examples and the `pipeline` bench, so
//! every benchmark measures the same kind of text. Actor names come from the
//! built-in gazetteer (`data/gazetteer/*.toml`), which is what extraction looks
//! for; the prose around them is assembled from sentence templates and word lists,
//! so no two briefings read the same and the text looks like wire copy rather than
//! one repeated line.
//!
//! Everything is derived from the seed through a small PRNG (no `rand` crate), and
//! every briefing has its own stream: the first 1,000 briefings of a 10,000-item
//! corpus are the 1,000 briefings of a 1,000-item corpus with the same seed.

// Each example and bench includes this file and uses a different part of it.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

/// The file that marks a folder as a generated corpus, so regenerating may clear it.
pub const MARKER: &str = ".dossier-corpus";

/// The local organisation that the registry-edit benchmark adds to
/// `content/actors/`: it appears in the text but not in the gazetteer.
pub const LOCAL_ACTOR: (&str, &str) = ("coastal-relief-network", "Coastal Relief Network");

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of briefings (Markdown and wire items together).
    pub count: usize,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub briefings: usize,
    pub wire: usize,
    pub words: usize,
    pub bytes: u64,
    /// Distinct gazetteer actors mentioned at least once.
    pub actors: usize,
    /// Distinct places mentioned at least once.
    pub places: usize,
    /// The most-named actors: (id, number of briefings).
    pub top: Vec<(String, usize)>,
}

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast and good enough to make text; not for cryptography.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for item `index` of a corpus with `seed`.
    pub fn stream(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// The cast: actors and places from the gazetteer
// ---------------------------------------------------------------------------

const STATES_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/gazetteer/states.toml"
));
const ORGS_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/gazetteer/organisations.toml"
));
const PEOPLE_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/gazetteer/people.toml"
));
const PLACES_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/gazetteer/places.toml"
));

#[derive(Deserialize)]
struct StatesFile {
    #[serde(default)]
    state: Vec<StateRow>,
}
#[derive(Deserialize)]
struct StateRow {
    id: String,
    name: String,
    #[serde(default)]
    demonyms: Vec<String>,
    capital: Option<String>,
}
#[derive(Deserialize)]
struct OrgsFile {
    #[serde(default)]
    organisation: Vec<OrgRow>,
}
#[derive(Deserialize)]
struct OrgRow {
    id: String,
    name: String,
    #[serde(default)]
    acronyms: Vec<String>,
}
#[derive(Deserialize)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<PersonRow>,
}
#[derive(Deserialize)]
struct PersonRow {
    id: String,
    name: String,
    #[serde(default)]
    surnames: Vec<String>,
    role: Option<String>,
    affiliation: Option<String>,
}
#[derive(Deserialize)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<PlaceRow>,
}
#[derive(Deserialize)]
struct PlaceRow {
    id: String,
    name: String,
    kind: Option<String>,
}

/// How an actor can be named in running text.
#[derive(Debug, Clone)]
enum Naming {
    State {
        /// The adjective: `Turkish`.
        demonym: Option<String>,
        /// The capital, used as a metonym for the government: `Ankara said`.
        capital: Option<String>,
    },
    Org {
        acronym: Option<String>,
        /// Whether the name takes `the` (`the United Nations`, but `Hamas`).
        article: bool,
    },
    Person {
        role: Option<String>,
        /// The adjective of the person's state, for `Turkish Foreign Minister ...`.
        demonym: Option<String>,
        surname: Option<String>,
    },
}

#[derive(Debug, Clone)]
struct Actor {
    id: String,
    name: String,
    naming: Naming,
}

#[derive(Debug, Clone)]
struct Place {
    /// `at` for crossings, `in` for everything else.
    at: bool,
    /// As it reads after `in`: `Gaza`, `the West Bank`, `the Rafah crossing`.
    phrase: String,
}

/// The cast of a corpus: ~330 actors and ~120 places in popularity order, with a
/// Zipf-like weight table for each.
struct Cast {
    actors: Vec<Actor>,
    actor_weights: Vec<f64>,
    places: Vec<Place>,
    place_weights: Vec<f64>,
}

/// The actors every Middle East desk writes about, most prominent first; the
/// rest of the pool is filled from the gazetteer in a fixed shuffled order.
const HEAD_STATES: &[&str] = &[
    "united-states",
    "israel",
    "turkey",
    "egypt",
    "qatar",
    "iran",
    "russia",
    "palestine",
    "ukraine",
    "china",
    "united-kingdom",
    "france",
    "saudi-arabia",
    "lebanon",
    "syria",
    "germany",
    "jordan",
    "united-arab-emirates",
    "iraq",
    "yemen",
    "india",
    "pakistan",
    "sudan",
    "libya",
    "cyprus",
    "greece",
    "italy",
    "spain",
    "japan",
    "azerbaijan",
];
const HEAD_ORGS: &[&str] = &[
    "united-nations",
    "hamas",
    "european-union",
    "unrwa",
    "nato",
    "united-nations-security-council",
    "hezbollah",
    "israel-defense-forces",
    "world-food-programme",
    "international-committee-of-the-red-cross",
    "world-health-organization",
    "houthis",
    "palestinian-authority",
    "international-criminal-court",
    "arab-league",
    "international-court-of-justice",
    "unicef",
    "ocha",
    "african-union",
    "international-atomic-energy-agency",
    "reuters",
    "amnesty-international",
    "human-rights-watch",
    "islamic-revolutionary-guard-corps",
    "unhcr",
    "palestinian-islamic-jihad",
    "international-monetary-fund",
    "gulf-cooperation-council",
    "fatah",
    "rapid-support-forces",
];
const HEAD_PEOPLE: &[&str] = &[
    "donald-trump",
    "benjamin-netanyahu",
    "hakan-fidan",
    "recep-tayyip-erdogan",
    "antonio-guterres",
    "marco-rubio",
    "steve-witkoff",
    "abdel-fattah-al-sisi",
    "mohammed-bin-abdulrahman-al-thani",
    "badr-abdelatty",
    "vladimir-putin",
    "volodymyr-zelensky",
    "mahmoud-abbas",
    "abbas-araghchi",
    "khalil-al-hayya",
    "emmanuel-macron",
    "keir-starmer",
    "israel-katz",
    "gideon-saar",
    "ayman-safadi",
    "sergei-lavrov",
    "faisal-bin-farhan",
    "kaja-kallas",
    "ursula-von-der-leyen",
    "philippe-lazzarini",
    "tom-fletcher",
    "naim-qassem",
    "ahmed-al-sharaa",
    "wang-yi",
    "friedrich-merz",
];
/// Pool sizes: 115 + 105 + 110 = 330 distinct actors.
const N_STATES: usize = 115;
const N_ORGS: usize = 105;
const N_PEOPLE: usize = 110;
const N_PLACES: usize = 120;

const HEAD_PLACES: &[&str] = &[
    "gaza",
    "rafah",
    "west-bank",
    "jerusalem",
    "cairo",
    "doha",
    "gaza-city",
    "khan-younis",
    "beirut",
    "damascus",
    "tel-aviv",
    "ankara",
    "istanbul",
    "sharm-el-sheikh",
    "geneva",
    "new-york",
    "brussels",
    "kyiv",
    "moscow",
    "tehran",
    "amman",
    "riyadh",
    "red-sea",
    "kerem-shalom",
    "rafah-crossing",
];

/// Last words of organisation names that take `the`.
const INSTITUTIONAL: &[&str] = &[
    "Agency",
    "Army",
    "Assembly",
    "Authority",
    "Bank",
    "Brigade",
    "Brigades",
    "Brotherhood",
    "Cartel",
    "Classification",
    "Coalition",
    "Command",
    "Commission",
    "Committee",
    "Community",
    "Congress",
    "Cooperation",
    "Corporation",
    "Corps",
    "Council",
    "Court",
    "Crescent",
    "Cross",
    "Development",
    "Enforcement",
    "Flotilla",
    "Force",
    "Forces",
    "Forum",
    "Foundation",
    "Front",
    "Fund",
    "Government",
    "Group",
    "Institute",
    "Institution",
    "Intelligence",
    "Journal",
    "Kitchen",
    "League",
    "Migration",
    "Ministry",
    "Monitor",
    "Movement",
    "Nations",
    "Navy",
    "Office",
    "Organisation",
    "Organization",
    "Parliament",
    "Party",
    "Post",
    "Programme",
    "Province",
    "Reserve",
    "Senate",
    "Service",
    "Societies",
    "Society",
    "State",
    "States",
    "Studies",
    "Times",
    "Union",
    "Units",
];

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> io::Result<T> {
    toml::from_str(text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("data/gazetteer/{name}: {e}"),
        )
    })
}

/// Orders `ids` with the head list first (where present) and the rest shuffled
/// by a fixed seed, so the pool is the same for every corpus seed.
fn popularity_order(ids: &[String], head: &[&str], salt: u64) -> Vec<usize> {
    let mut order: Vec<usize> = head
        .iter()
        .filter_map(|h| ids.iter().position(|id| id == h))
        .collect();
    let mut rest: Vec<usize> = (0..ids.len()).filter(|i| !order.contains(i)).collect();
    Rng::new(salt).shuffle(&mut rest);
    order.extend(rest);
    order
}

fn zipf_weights(n: usize) -> Vec<f64> {
    // Cumulative weights of 1 / (rank + 2): a Zipf law flattened at the head, so
    // the most-named state is in about half the briefings, not all of them.
    let mut acc = 0.0;
    (0..n)
        .map(|r| {
            acc += 1.0 / (r as f64 + 2.0);
            acc
        })
        .collect()
}

/// Draws an index from a cumulative weight table.
fn draw(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.unit() * total;
    cumulative
        .partition_point(|&c| c <= x)
        .min(cumulative.len() - 1)
}

fn is_acronym(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && name.len() > 1
}

/// `the United States`, `the Netherlands`, `the Gambia`; `Turkey`.
fn state_takes_article(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "United ",
        "Central African",
        "Czech Republic",
        "Dominican Republic",
        "Democratic Republic",
        "Republic of",
        "Netherlands",
        "Philippines",
        "Bahamas",
        "Gambia",
        "Marshall Islands",
        "Solomon Islands",
        "Maldives",
        "Comoros",
        "Seychelles",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p))
}

fn org_takes_article(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() < 2 || name.starts_with("Al") || name.starts_with("al-") {
        return false;
    }
    name.contains(" of ")
        || name.contains(" for ")
        || words.last().is_some_and(|w| INSTITUTIONAL.contains(w))
}

impl Cast {
    fn load() -> io::Result<Cast> {
        let states: StatesFile = parse("states.toml", STATES_TOML)?;
        let orgs: OrgsFile = parse("organisations.toml", ORGS_TOML)?;
        let people: PeopleFile = parse("people.toml", PEOPLE_TOML)?;
        let places: PlacesFile = parse("places.toml", PLACES_TOML)?;

        let demonym_of = |id: &str| -> Option<String> {
            states
                .state
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.demonyms.first().cloned())
        };

        let ids: Vec<String> = states.state.iter().map(|s| s.id.clone()).collect();
        let state_actors: Vec<Actor> = popularity_order(&ids, HEAD_STATES, 1)
            .into_iter()
            .take(N_STATES)
            .map(|i| {
                let s = &states.state[i];
                Actor {
                    id: s.id.clone(),
                    name: if state_takes_article(&s.name) {
                        format!("the {}", s.name)
                    } else {
                        s.name.clone()
                    },
                    naming: Naming::State {
                        demonym: s.demonyms.first().cloned(),
                        capital: s.capital.clone().filter(|c| !c.is_empty()),
                    },
                }
            })
            .collect();

        let ids: Vec<String> = orgs.organisation.iter().map(|o| o.id.clone()).collect();
        let org_actors: Vec<Actor> = popularity_order(&ids, HEAD_ORGS, 2)
            .into_iter()
            .take(N_ORGS)
            .map(|i| {
                let o = &orgs.organisation[i];
                let acronym = o
                    .acronyms
                    .iter()
                    .find(|a| is_acronym(a) && **a != o.name)
                    .cloned();
                Actor {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    naming: Naming::Org {
                        acronym,
                        article: org_takes_article(&o.name),
                    },
                }
            })
            .collect();

        let ids: Vec<String> = people.person.iter().map(|p| p.id.clone()).collect();
        let person_actors: Vec<Actor> = popularity_order(&ids, HEAD_PEOPLE, 3)
            .into_iter()
            .take(N_PEOPLE)
            .map(|i| {
                let p = &people.person[i];
                Actor {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    naming: Naming::Person {
                        role: p.role.clone().filter(|r| !r.is_empty()),
                        demonym: p.affiliation.as_deref().and_then(demonym_of),
                        surname: p.surnames.first().cloned(),
                    },
                }
            })
            .collect();

        // Interleave the three lists into one popularity ranking.
        let mut actors = Vec::with_capacity(N_STATES + N_ORGS + N_PEOPLE);
        let (mut s, mut o, mut p) = (
            state_actors.into_iter(),
            org_actors.into_iter(),
            person_actors.into_iter(),
        );
        loop {
            let before = actors.len();
            actors.extend(s.next());
            actors.extend(o.next());
            actors.extend(p.next());
            if actors.len() == before {
                break;
            }
        }

        let ids: Vec<String> = places.place.iter().map(|p| p.id.clone()).collect();
        let place_list: Vec<Place> = popularity_order(&ids, HEAD_PLACES, 4)
            .into_iter()
            .take(N_PLACES)
            .map(|i| {
                let p = &places.place[i];
                let kind = p.kind.as_deref().unwrap_or("city");
                let multiword = p.name.contains(' ');
                let article = p.name.chars().next().is_some_and(char::is_uppercase)
                    && (p.name.split(' ').any(|w| w.starts_with(char::is_lowercase))
                        || matches!(kind, "sea" | "river" | "crossing")
                        || (multiword && kind == "region"));
                Place {
                    at: kind == "crossing" || p.name.ends_with(" crossing"),
                    phrase: if article {
                        format!("the {}", p.name)
                    } else {
                        p.name.clone()
                    },
                }
            })
            .collect();

        Ok(Cast {
            actor_weights: zipf_weights(actors.len()),
            place_weights: zipf_weights(place_list.len()),
            actors,
            places: place_list,
        })
    }
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WHEN: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "at the weekend",
    "late on Sunday",
    "early on Saturday",
    "last week",
    "earlier this month",
    "overnight",
    "this week",
    "on the sidelines of a regional summit",
    "after weeks of delay",
    "for the second time this month",
];
const WHEN_START: &[&str] = &[
    "Earlier this month",
    "Last week",
    "On Thursday",
    "Late on Tuesday",
    "Two days earlier",
    "Since the truce began",
    "In recent weeks",
    "By Wednesday evening",
    "Before the talks",
    "After the meeting",
];
const TOPICS: &[&str] = &[
    "the talks",
    "the ceasefire",
    "the agreement",
    "the next round of negotiations",
    "the humanitarian situation",
    "the proposal",
    "the aid operation",
    "the security arrangements",
    "the prisoner exchange",
    "the reconstruction plan",
    "the new sanctions package",
    "the monitoring mission",
    "the draft resolution",
    "the interim administration",
    "the border arrangements",
    "the truce",
    "the peace plan",
    "the stabilisation force",
    "the investigation",
    "the framework deal",
];
const PREDICATES: &[&str] = &[
    "had made progress",
    "would resume next week",
    "remained fragile",
    "could collapse without outside guarantees",
    "appeared close to a breakthrough",
    "must be implemented in full",
    "would not be extended beyond the end of the month",
    "had been delayed by disagreements over the wording",
    "had been sent to legal advisers for review",
    "still lacked the support of several parties",
    "had so far held despite sporadic violations",
    "would require far more funding than had been pledged",
    "should be monitored by an independent body",
    "had reached a critical stage",
    "had moved more slowly than expected",
    "could serve as a model for other disputes",
];
const ISSUES: &[&str] = &[
    "the release of detainees",
    "border security",
    "reconstruction funding",
    "the withdrawal of troops",
    "humanitarian access",
    "the return of displaced families",
    "energy supplies",
    "the exchange of prisoners",
    "maritime security",
    "a lasting ceasefire",
    "sanctions relief",
    "the disarmament of armed groups",
    "the reopening of the crossings",
    "the protection of civilians",
    "the mandate of the monitoring mission",
    "grain exports",
    "the nuclear programme",
    "water rights",
    "the future of the refugee camps",
    "the sequencing of the next phase",
    "the payment of public salaries",
    "the clearance of unexploded ordnance",
];
const ACTIONS: &[&str] = &[
    "respect the ceasefire",
    "allow aid convoys through",
    "return to the negotiating table",
    "release all detainees",
    "open the crossings",
    "withdraw its forces",
    "exercise restraint",
    "protect civilians",
    "cooperate with investigators",
    "lift the restrictions on fuel deliveries",
    "resume talks without preconditions",
    "honour its commitments",
    "halt the strikes",
    "allow journalists into the area",
    "guarantee the safety of aid workers",
    "share the findings of its inquiry",
    "commit troops to the stabilisation force",
    "extend the truce",
    "freeze new construction",
    "pay its share of the relief budget",
];
const CHARGES: &[&str] = &[
    "violating the truce",
    "blocking aid deliveries",
    "targeting civilians",
    "stalling the negotiations",
    "arming militias",
    "breaching the agreement",
    "spreading false reports",
    "obstructing the inquiry",
    "firing on a relief convoy",
    "holding detainees without charge",
    "undermining the mediators",
    "moving heavy weapons into the buffer zone",
    "delaying the handover of remains",
    "restricting the movement of medical teams",
];
const DEMANDS: &[&str] = &[
    "an immediate ceasefire",
    "an independent investigation",
    "the release of all hostages",
    "unhindered humanitarian access",
    "a return to talks",
    "restraint on all sides",
    "an emergency session of the Security Council",
    "the protection of journalists",
    "a timetable for the withdrawal",
    "international guarantees",
    "more funding for the relief effort",
    "the reopening of schools and hospitals",
    "a full accounting of the missing",
];
const GOALS: &[&str] = &[
    "a lasting settlement",
    "a two-state solution",
    "regional stability",
    "the full reopening of the crossings",
    "a permanent end to the fighting",
    "the reconstruction of the territory",
    "a negotiated political transition",
];
const GROUPS: &[&str] = &[
    "Aid agencies",
    "Diplomats",
    "Residents",
    "Local officials",
    "Negotiators",
    "Analysts",
    "Humanitarian workers",
    "Medical staff",
    "Security sources",
    "Witnesses",
    "Engineers",
    "Traders",
    "Relief groups",
    "Hospital directors",
    "Western diplomats",
    "Regional officials",
];
const GROUP_VERBS: &[&str] = &[
    "reported shortages of fuel and medicine",
    "described long queues at the remaining bakeries",
    "said water pumping stations were running on reserve power",
    "warned of a rise in infectious disease",
    "counted dozens of damaged buildings",
    "said the roads were passable only by day",
    "reported sporadic gunfire near the perimeter",
    "said prices for basic goods had doubled",
    "described the mood as cautious but hopeful",
    "said clearing the rubble would take years",
    "said schools were being used as shelters",
    "reported power cuts lasting most of the day",
];
const NOUNS: &[&str] = &[
    "trucks",
    "families",
    "patients",
    "tonnes of flour",
    "tents",
    "detainees",
    "aid workers",
    "fuel tankers",
    "medical evacuations",
    "displaced people",
];
const EVENTS: &[&str] = &[
    "crossed the checkpoint",
    "were recorded by monitors",
    "arrived at the warehouse",
    "were turned back",
    "were registered at the reception centre",
    "left the area",
    "were waiting for clearance",
];
const SHARES: &[&str] = &[
    "of the planned deliveries had arrived",
    "of the requested permits had been approved",
    "of the hospitals in the area were partly working",
    "of the water network remained out of service",
    "of the registered families had received food parcels",
    "of the pledged funds had been paid",
];
const SOURCES: &[&str] = &[
    "local officials said",
    "according to the relief coordinators",
    "monitors said",
    "a spokesperson for the camp administration said",
    "figures released on Tuesday showed",
    "a senior aid official said",
];
const DOCUMENTS: &[&str] = &[
    "The draft text",
    "The 20-point plan",
    "The joint statement",
    "The latest report",
    "The proposal circulated to council members",
    "The memorandum",
    "The annex to the agreement",
];
const DOC_VERBS: &[&str] = &[
    "sets out a timetable for the handover",
    "calls for a phased withdrawal",
    "leaves the question of security control open",
    "provides for an international monitoring body",
    "requires the parties to report every violation",
    "links reconstruction money to progress on security",
    "makes no mention of the disputed corridor",
];
const REL_CLAUSES: &[&str] = &[
    "officials expect to be finalised within weeks",
    "several governments have yet to endorse",
    "was drawn up after months of shuttle diplomacy",
    "critics say is too vague to enforce",
    "mediators hope will unlock further aid",
];
const QUOTES: &[&str] = &[
    "We will not accept any arrangement that leaves civilians without protection",
    "The window for a settlement is closing and everyone knows it",
    "There is no military solution to this conflict",
    "Our position has not changed and will not change",
    "We are ready to move to the next phase as soon as the other side is",
    "Every day of delay costs lives",
    "The agreement is only as good as its implementation",
    "We have been clear with all our partners about what we expect",
    "Nobody should mistake restraint for weakness",
    "This is a test of the international community's credibility",
];
const SAID: &[&str] = &[
    "said",
    "said on Monday",
    "said on Thursday",
    "told reporters",
    "said in a statement",
    "told a news conference",
    "said in a televised address",
    "wrote on social media",
];
const WARNED: &[&str] = &["warned", "said", "insisted", "stressed", "argued"];
const HEADINGS: &[&str] = &[
    "Background",
    "What comes next",
    "Reactions",
    "The sticking points",
    "On the ground",
];
const LOCALS: &[&str] = &[
    "Coastal Relief Network",
    "Northern Water Authority",
    "Levant Monitoring Group",
    "Harbour Workers Union",
];

fn cap_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.clone().next()) {
        // Keep acronyms and names that start a role (`UN Special Coordinator`).
        (Some(_), Some(d)) if !d.is_uppercase() => {
            let (first, rest) = s.split_at(s.find(' ').unwrap_or(s.len()));
            first.to_lowercase() + rest
        }
        _ => s.to_string(),
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn slug(s: &str, words: usize) -> String {
    deunicode::deunicode(s)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(words)
        .collect::<Vec<_>>()
        .join("-")
}

// ---------------------------------------------------------------------------
// One briefing
// ---------------------------------------------------------------------------

/// The state of one briefing being written: its actors and which of them the
/// reader has already met (first mentions are full, later ones short).
struct Writer<'c> {
    cast: &'c Cast,
    rng: Rng,
    actors: Vec<usize>,
    introduced: Vec<bool>,
    places: Vec<usize>,
}

impl<'c> Writer<'c> {
    fn new(cast: &'c Cast, mut rng: Rng) -> Writer<'c> {
        let n = rng.range(7, 11);
        let mut actors = Vec::with_capacity(n);
        while actors.len() < n {
            let a = draw(&mut rng, &cast.actor_weights);
            if !actors.contains(&a) {
                actors.push(a);
            }
        }
        let k = rng.range(1, 4);
        let mut places = Vec::with_capacity(k);
        while places.len() < k {
            let p = draw(&mut rng, &cast.place_weights);
            if !places.contains(&p) {
                places.push(p);
            }
        }
        Writer {
            cast,
            rng,
            introduced: vec![false; actors.len()],
            actors,
            places,
        }
    }

    fn w<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.below(list.len())]
    }

    /// One of the briefing's places, with its preposition: `in Gaza`,
    /// `at the Rafah crossing`.
    fn place(&mut self) -> String {
        let i = self.places[self.rng.below(self.places.len())];
        let place = &self.cast.places[i];
        format!("{} {}", if place.at { "at" } else { "in" }, place.phrase)
    }

    /// A short name for titles: surname, acronym or name.
    fn short(&self, slot: usize) -> String {
        let actor = &self.cast.actors[self.actors[slot]];
        match &actor.naming {
            Naming::Person {
                surname: Some(s), ..
            } => s.clone(),
            Naming::Org {
                acronym: Some(a), ..
            } if actor.name.len() > 24 => a.clone(),
            _ => actor
                .name
                .strip_prefix("the ")
                .unwrap_or(&actor.name)
                .to_string(),
        }
    }

    /// The short name with `the` where the name takes it, for running text.
    fn with_article(&self, slot: usize) -> String {
        let actor = &self.cast.actors[self.actors[slot]];
        match &actor.naming {
            Naming::Org { article: true, .. } => format!("the {}", self.short(slot)),
            Naming::State { .. } => actor.name.clone(),
            _ => self.short(slot),
        }
    }

    /// Names the actor in slot `slot`: in full the first time, then by surname,
    /// acronym, capital or demonym. The result may end in an appositive comma
    /// (`Devlet Bahçeli, leader of the Nationalist Movement Party,`), which
    /// [`tidy`] merges with following punctuation.
    fn name(&mut self, slot: usize) -> String {
        let first = !self.introduced[slot];
        self.introduced[slot] = true;
        let cast = self.cast;
        let actor = &cast.actors[self.actors[slot]];
        let rng = &mut self.rng;
        match &actor.naming {
            Naming::State { demonym, capital } => {
                if first {
                    return actor.name.clone();
                }
                let roll = rng.unit();
                match (demonym, capital) {
                    (_, Some(c)) if roll < 0.2 => c.clone(),
                    (Some(d), _) if roll < 0.45 => {
                        let pattern = [
                            "{} officials",
                            "the {} government",
                            "{} diplomats",
                            "the {} foreign ministry",
                        ];
                        rng.pick(&pattern).replace("{}", d)
                    }
                    _ => actor.name.clone(),
                }
            }
            Naming::Org { acronym, article } => {
                let the = if *article { "the " } else { "" };
                match acronym {
                    Some(a) if first && rng.chance(0.35) => {
                        format!("{the}{} ({a})", actor.name)
                    }
                    Some(a) if !first && rng.chance(0.6) => {
                        if *article && a.len() <= 4 {
                            format!("the {a}")
                        } else {
                            a.clone()
                        }
                    }
                    _ => format!("{the}{}", actor.name),
                }
            }
            Naming::Person {
                role,
                demonym,
                surname,
            } => {
                if !first {
                    return match surname {
                        Some(s) if rng.chance(0.8) => s.clone(),
                        _ => actor.name.clone(),
                    };
                }
                let words = role.as_deref().map_or(0, |r| r.split(' ').count());
                // `Turkish Foreign Minister Hakan Fidan`, `Hakan Fidan, the foreign
                // minister,`, `Secretary of State Marco Rubio`.
                let plain = words <= 3 && role.as_deref().is_some_and(|r| !r.contains(" of "));
                match role {
                    Some(role) if words <= 4 => match demonym {
                        Some(d) if plain && rng.chance(0.55) => {
                            format!("{d} {role} {}", actor.name)
                        }
                        _ if plain && rng.chance(0.2) => {
                            format!("{}, the {},", actor.name, role.to_lowercase())
                        }
                        _ => format!("{role} {}", actor.name),
                    },
                    Some(role) => format!("{}, {role},", actor.name),
                    None => actor.name.clone(),
                }
            }
        }
    }

    /// The next actor nobody has met yet, or any actor of the briefing.
    fn subject(&mut self) -> usize {
        match self.introduced.iter().position(|i| !i) {
            Some(slot) if self.rng.chance(0.7) => slot,
            _ => self.rng.below(self.actors.len()),
        }
    }

    fn other(&mut self, not: usize) -> usize {
        loop {
            let slot = self.subject();
            if slot != not {
                return slot;
            }
            if self.actors.len() < 2 {
                return slot;
            }
        }
    }

    fn clause(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!("{} had stalled over {}", self.w(TOPICS), self.w(ISSUES)),
            1 => format!("the government was ready to {}", self.w(ACTIONS)),
            2 => format!("there could be no lasting peace without {}", self.w(ISSUES)),
            3 => format!(
                "{} would be discussed at a meeting {} {}",
                self.w(ISSUES),
                self.place(),
                self.w(WHEN)
            ),
            4 => format!(
                "{} could only be a first step towards {}",
                self.w(TOPICS),
                self.w(GOALS)
            ),
            _ => format!("{} {}", self.w(TOPICS), self.w(PREDICATES)),
        }
    }

    /// A reported statement: `X said that ...`, `according to X, ...`.
    fn statement(&mut self) -> String {
        let s = self.subject();
        let who = self.name(s);
        match self.rng.below(8) {
            0 => format!("{who} said that {}.", self.clause()),
            1 => format!("{who} said on {} that {}.", self.w(DAYS), self.clause()),
            2 => format!("\"{},\" {who} {}.", self.w(QUOTES), self.w(SAID)),
            3 => format!("According to {who}, {}.", self.clause()),
            4 => format!(
                "{}, {who} told reporters {}.",
                cap_first(&self.clause()),
                self.place()
            ),
            5 => format!("{who} {} that {}.", self.w(WARNED), self.clause()),
            6 => format!("{who} called for {}.", self.w(DEMANDS)),
            _ => format!("In a statement, {who} said {}.", self.clause()),
        }
    }

    /// A relation between two actors: talks, accusations, appeals.
    fn relation(&mut self) -> String {
        let a = self.subject();
        let b = self.other(a);
        let x = self.name(a);
        let y = self.name(b);
        match self.rng.below(9) {
            0 => format!("{x} held talks with {y} {} {}.", self.place(), self.w(WHEN)),
            1 => format!(
                "{x} met {y} {} to discuss {}.",
                self.w(WHEN),
                self.w(ISSUES)
            ),
            2 => format!("{x} accused {y} of {}.", self.w(CHARGES)),
            3 => format!("{x} urged {y} to {}.", self.w(ACTIONS)),
            4 => format!(
                "{x} and {y} agreed to {} {}.",
                self.w(ACTIONS),
                self.w(WHEN)
            ),
            5 => format!("{x} condemned {y} over {}.", self.w(ISSUES)),
            6 => format!("{x} spoke by phone with {y} {}.", self.w(WHEN)),
            7 => format!(
                "{x} accused {y} of {}, an accusation that was quickly rejected.",
                self.w(CHARGES)
            ),
            _ => format!("{x} welcomed a pledge by {y} to {}.", self.w(ACTIONS)),
        }
    }

    /// A sentence with no named actor: the scene, the numbers, the documents.
    fn filler(&mut self) -> String {
        match self.rng.below(7) {
            0 => format!(
                "{} {} {}.",
                self.w(GROUPS),
                self.place(),
                self.w(GROUP_VERBS)
            ),
            1 => format!(
                "{} {} {} {} {}, {}.",
                self.w(&["At least", "Some", "More than", "Nearly"]),
                self.rng.range(12, 480),
                self.w(NOUNS),
                self.w(EVENTS),
                self.w(WHEN),
                self.w(SOURCES)
            ),
            2 => format!(
                "{}, {} {}.",
                self.w(WHEN_START),
                lower_first(self.w(GROUPS)),
                self.w(GROUP_VERBS)
            ),
            3 => format!("Analysts said {}.", self.clause()),
            4 => format!(
                "{} {}, which {}.",
                self.w(DOCUMENTS),
                self.w(DOC_VERBS),
                self.w(REL_CLAUSES)
            ),
            5 => format!(
                "About {} percent {}, {}.",
                self.rng.range(15, 85),
                self.w(SHARES),
                self.w(SOURCES)
            ),
            _ => format!(
                "The dispute over {} is expected to dominate the next round, which is due to open {} {}.",
                self.w(ISSUES),
                self.place(),
                self.w(WHEN)
            ),
        }
    }

    fn sentence(&mut self) -> String {
        let all_met = self.introduced.iter().all(|i| *i);
        let roll = self.rng.unit();
        let s = if !all_met && roll < 0.65 {
            if self.rng.chance(0.5) {
                self.statement()
            } else {
                self.relation()
            }
        } else if roll < 0.4 {
            self.statement()
        } else if roll < 0.6 {
            self.relation()
        } else {
            self.filler()
        };
        tidy(&s)
    }

    fn title(&mut self) -> String {
        let a = self.short(0);
        let b = self.short(1 % self.actors.len());
        let t = match self.rng.below(6) {
            0 => format!("{a} urges {b} to {}", self.w(ACTIONS)),
            1 => format!("{a} and {b} hold talks on {}", self.w(ISSUES)),
            2 => format!("{a} accuses {b} of {}", self.w(CHARGES)),
            3 => format!(
                "{} dominates talks {}",
                cap_first(self.w(ISSUES)),
                self.place()
            ),
            4 => format!("{a} calls for {}", self.w(DEMANDS)),
            _ => format!("{a} says {} {}", self.w(TOPICS), self.w(PREDICATES)),
        };
        cap_first(&t.replace("the the", "the"))
    }

    fn summary(&mut self) -> String {
        let a = self.with_article(0);
        let b = self.with_article(1 % self.actors.len());
        let place = self.place();
        cap_first(&format!(
            "{a} and {b} set out their positions on {} as {} {} {place}.",
            self.w(ISSUES),
            self.w(GROUPS).to_lowercase(),
            self.w(GROUP_VERBS)
        ))
    }

    /// Paragraphs of ~`words` words in total, every actor named at least once.
    fn paragraphs(&mut self, words: usize, markdown: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut count = 0;
        let heading_at = if markdown && self.rng.chance(0.4) {
            Some(self.rng.range(3, 5))
        } else {
            None
        };
        let list_at = if markdown && self.rng.chance(0.15) {
            Some(self.rng.range(2, 6))
        } else {
            None
        };
        let local = if self.rng.chance(0.05) {
            Some(*self.rng.pick(LOCALS))
        } else {
            None
        };
        while count < words || self.introduced.iter().any(|i| !i) {
            let n = out.len();
            if heading_at == Some(n) {
                out.push(format!("## {}", self.w(HEADINGS)));
            }
            if list_at == Some(n) {
                let mut list = format!("{} covers:\n", self.w(DOCUMENTS));
                for _ in 0..3 {
                    list.push_str(&format!("\n- {}", cap_first(self.w(ISSUES))));
                }
                count += list.split_whitespace().count();
                out.push(list);
            }
            let sentences = self.rng.range(2, 4);
            let mut para = String::new();
            for i in 0..sentences {
                if i > 0 {
                    para.push(' ');
                }
                let s = if n == 0 && i == 0 {
                    self.relation_or_statement()
                } else if let (2, 0, Some(local)) = (n, i, local) {
                    format!("The {local} said {}.", self.clause())
                } else {
                    self.sentence()
                };
                para.push_str(&s);
            }
            count += para.split_whitespace().count();
            out.push(para);
            if out.len() > 200 {
                break;
            }
        }
        out
    }

    fn relation_or_statement(&mut self) -> String {
        let s = if self.rng.chance(0.6) {
            self.relation()
        } else {
            self.statement()
        };
        tidy(&s)
    }
}

/// Merges an appositive's trailing comma with the punctuation after it, and
/// capitalises a sentence that starts with `the`.
fn tidy(s: &str) -> String {
    let s = s.replace(",,", ",").replace(",.", ".");
    match s.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => s,
    }
}

/// One generated file: path relative to the site root, and its text.
struct Item {
    path: String,
    text: String,
    words: usize,
    wire: bool,
}

fn briefing(cast: &Cast, seed: u64, index: usize, used: &mut Used) -> Item {
    let mut rng = Rng::stream(seed, index as u64);
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let date = start + Duration::days(rng.below(3 * 365 + 1) as i64);
    let wire = index % 100 == 99;
    let words = if wire {
        rng.range(280, 420)
    } else {
        rng.range(540, 700)
    };
    let mut w = Writer::new(cast, rng);
    let title = w.title();
    let paragraphs = w.paragraphs(words, !wire);
    for &a in &w.actors {
        *used.actors.entry(a).or_default() += 1;
    }
    used.places.extend(w.places.iter().copied());
    let year = date.format("%Y");
    let name = slug(&title, 7);
    if wire {
        // The dateline: the capital of the first state named, else a city.
        let capital = w.actors.iter().find_map(|&a| match &cast.actors[a].naming {
            Naming::State {
                capital: Some(c), ..
            } => Some(c.clone()),
            _ => None,
        });
        let city = capital
            .or_else(|| {
                w.places
                    .iter()
                    .map(|&p| &cast.places[p].phrase)
                    .find(|p| !p.starts_with("the "))
                    .cloned()
            })
            .unwrap_or_else(|| "Geneva".into());
        let mut text = String::with_capacity(words * 7);
        text.push_str(&title);
        text.push_str("\n\n");
        text.push_str(&format!(
            "{}, {} (Wire) - ",
            city.to_uppercase(),
            date.format("%b %-d")
        ));
        text.push_str(&paragraphs.join("\n\n"));
        text.push('\n');
        let words = text.split_whitespace().count();
        Item {
            path: format!(
                "content/briefings/wire/{}-{name}-{index}.txt",
                date.format("%Y-%m-%d")
            ),
            text,
            words,
            wire: true,
        }
    } else {
        let summary = w.summary();
        let mut text = String::with_capacity(words * 7 + 200);
        text.push_str("+++\n");
        text.push_str(&format!("title = {}\n", toml_string(&title)));
        text.push_str(&format!("date = {}\n", date.format("%Y-%m-%d")));
        text.push_str(&format!("summary = {}\n", toml_string(&summary)));
        text.push_str("+++\n\n");
        let body = paragraphs.join("\n\n");
        text.push_str(&body);
        text.push('\n');
        Item {
            path: format!("content/briefings/{year}/{name}-{index}.md"),
            words: body.split_whitespace().count(),
            text,
            wire: false,
        }
    }
}

/// Which actors and places the briefings name, for the summary.
#[derive(Default)]
struct Used {
    actors: HashMap<usize, usize>,
    places: HashSet<usize>,
}

const SITE_TOML: &str = r#"# A generated benchmark corpus (examples/corpus.rs).
title = "Benchmark Briefings"
description = "Generated news-like briefings for measuring dossier."
base_url = "https://example.org/"
"#;

/// Writes a complete site with `options.count` briefings into `out`.
///
/// `out` must not exist, be empty, or be a corpus written by this function
/// earlier (it has the marker file); in the last case its `content/` and `public/`
/// are replaced.
pub fn generate(out: &Path, options: &Options) -> io::Result<Summary> {
    prepare(out)?;
    let cast = Cast::load()?;
    let mut used = Used::default();
    let mut summary = Summary::default();
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    for index in 0..options.count {
        let item = briefing(&cast, options.seed, index, &mut used);
        let path = out.join(&item.path);
        if let Some(parent) = path.parent()
            && dirs.insert(parent.to_path_buf())
        {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &item.text)?;
        summary.briefings += 1;
        summary.wire += usize::from(item.wire);
        summary.words += item.words;
        summary.bytes += item.text.len() as u64;
    }
    fs::create_dir_all(out.join("content/actors"))?;
    fs::write(out.join("site.toml"), SITE_TOML)?;
    fs::write(
        out.join(MARKER),
        format!("count = {}\nseed = {}\n", options.count, options.seed),
    )?;
    summary.actors = used.actors.len();
    summary.places = used.places.len();
    let mut top: Vec<(String, usize)> = used
        .actors
        .iter()
        .map(|(&a, &n)| (cast.actors[a].id.clone(), n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(5);
    summary.top = top;
    Ok(summary)
}

/// Checks that `out` may be (re)written and clears what a previous run wrote.
fn prepare(out: &Path) -> io::Result<()> {
    if out.join(MARKER).is_file() {
        for dir in ["content", "public", "templates"] {
            let path = out.join(dir);
            if path.exists() {
                fs::remove_dir_all(&path)?;
            }
        }
        return Ok(());
    }
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty and is not a generated corpus; choose another folder",
                out.display()
            ),
        ));
    }
    fs::create_dir_all(out)
}

/// The `count` and `seed` of the corpus in `root`, if it is one.
pub fn marker(root: &Path) -> Option<(usize, u64)> {
    let text = fs::read_to_string(root.join(MARKER)).ok()?;
    let mut count = None;
    let mut seed = None;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once(" = ") {
            match k {
                "count" => count = v.trim().parse().ok(),
                "seed" => seed = v.trim().parse().ok(),
                _ => {}
            }
        }
    }
    Some((count?, seed?))
}

// ---------------------------------------------------------------------------
// Edits, for incremental benchmarks
// ---------------------------------------------------------------------------

const NOTE: &str = "Editor's note (revision ";

/// A deterministic Markdown briefing of a corpus: the middle one in path order.
pub fn pick_briefing(root: &Path) -> io::Result<PathBuf> {
    let mut files = Vec::new();
    collect(&root.join("content/briefings"), &mut files)?;
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    files.sort();
    files.get(files.len() / 2).cloned().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no Markdown briefing under {}", root.display()),
        )
    })
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Makes a small edit to one briefing, the way an editor would: a one-line note
/// after the first paragraph, whose revision number goes up on every call. The
/// note sits before most mentions, so their byte spans move, as in a real edit.
/// Returns the new revision number.
pub fn edit_briefing(path: &Path) -> io::Result<u32> {
    let text = fs::read_to_string(path)?;
    let (text, revision) = edit_text(&text);
    fs::write(path, text)?;
    Ok(revision)
}

fn edit_text(text: &str) -> (String, u32) {
    if let Some(at) = text.find(NOTE) {
        let digits_start = at + NOTE.len();
        let digits_len = text[digits_start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(0);
        let old: u32 = text[digits_start..digits_start + digits_len]
            .parse()
            .unwrap_or(0);
        let new = old + 1;
        let mut out = String::with_capacity(text.len() + 2);
        out.push_str(&text[..digits_start]);
        out.push_str(&new.to_string());
        out.push_str(&text[digits_start + digits_len..]);
        return (out, new);
    }
    // After the front matter, if any, then after the first paragraph.
    let note = format!(
        "{NOTE}1): an earlier version of this briefing gave the wrong day for the meeting.\n\n"
    );
    (insert_paragraph(text, &note), 1)
}

/// `paragraph` inserted after the first paragraph of the body (after the front
/// matter, if any), or appended when the body has one paragraph.
fn insert_paragraph(text: &str, paragraph: &str) -> String {
    let body_start = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.find("\n+++\n").map(|i| i + 4 + 5))
        .unwrap_or(0);
    let body = &text[body_start..];
    let lead = body.len() - body.trim_start().len();
    let insert_at = body[lead..]
        .find("\n\n")
        .map_or(text.len(), |i| body_start + lead + i + 2);
    let mut out = String::with_capacity(text.len() + paragraph.len() + 2);
    out.push_str(&text[..insert_at]);
    if insert_at == text.len() && !text.ends_with("\n\n") {
        out.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(paragraph);
    out.push_str(&text[insert_at..]);
    out
}

const MENTION_NOTE: &str = "Correction (revision ";

/// Names [`edit_briefing_mentions`] looks for, most common first.
const MENTIONABLE: &[&str] = &[
    "United States",
    "United Nations",
    "Israel",
    "Hamas",
    "Turkey",
    "Egypt",
    "Qatar",
    "Iran",
];

/// An edit that changes how often an actor is mentioned, not which actors a
/// briefing names: a correction naming an actor the briefing already names,
/// once in odd revisions and twice in even ones. Every call changes the
/// actor's site-wide mention count, which pages across the site show (the
/// actor's page, the home pages' "most mentioned"). The first call adds the
/// correction; when the briefing names none of [`MENTIONABLE`], it names the
/// United Nations, which then joins the briefing's actors on that call only.
pub fn edit_briefing_mentions(path: &Path) -> io::Result<u32> {
    let text = fs::read_to_string(path)?;
    let existing = text.find(MENTION_NOTE).map(|at| {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let revision = text[at + MENTION_NOTE.len()..end]
            .split(')')
            .next()
            .and_then(|digits| digits.parse::<u32>().ok())
            .unwrap_or(0);
        (at, end, revision)
    });
    let without = match existing {
        Some((at, end, _)) => format!("{}{}", &text[..at], &text[end..]),
        None => text.clone(),
    };
    let name = MENTIONABLE
        .iter()
        .find(|n| without.contains(*n))
        .unwrap_or(&"United Nations");
    let revision = existing.map_or(0, |(_, _, r)| r) + 1;
    let line = if revision % 2 == 1 {
        format!("{MENTION_NOTE}{revision}): {name} was asked about the figures.")
    } else {
        format!(
            "{MENTION_NOTE}{revision}): {name} was asked about the figures, and {name} did not reply."
        )
    };
    let out = match existing {
        Some((at, end, _)) => format!("{}{line}{}", &text[..at], &text[end..]),
        None => insert_paragraph(&text, &format!("{line}\n\n")),
    };
    fs::write(path, out)?;
    Ok(revision)
}

/// Writes or rewrites `content/actors/<LOCAL_ACTOR>.md`, an organisation the
/// briefings mention but the gazetteer does not know. Every call changes what the
/// extractor sees (the alias list alternates between `CRN` and none, and the first
/// call adds the actor), not just the page text, so each call re-extracts the site.
/// Returns the file and the new revision.
pub fn edit_registry(root: &Path) -> io::Result<(PathBuf, u32)> {
    const MARK: &str = "(profile revision ";
    let (id, name) = LOCAL_ACTOR;
    let path = root.join("content/actors").join(format!("{id}.md"));
    let old = fs::read_to_string(&path).unwrap_or_default();
    let revision = old
        .find(MARK)
        .and_then(|at| {
            let rest = &old[at + MARK.len()..];
            rest[..rest.find(')')?].parse::<u32>().ok()
        })
        .unwrap_or(0)
        + 1;
    let aliases = if revision % 2 == 1 { "[]" } else { "[\"CRN\"]" };
    fs::create_dir_all(root.join("content/actors"))?;
    fs::write(
        &path,
        format!(
            "+++\nname = \"{name}\"\nkind = \"organisation\"\naliases = {aliases}\n+++\n\
             A volunteer network of boat crews and clinics along the coast {MARK}{revision}).\n"
        ),
    )?;
    Ok((path, revision))
}
