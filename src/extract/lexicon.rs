//! The closed word lists of English news prose that the extractor reasons with:
//! function words, titles, months, reporting and relation verbs, and so on.
//!
//! They are small, fixed facts about English rather than about the world (the
//! world lives in `data/gazetteer/`), so they are compiled in as constants. Every
//! list is merged into one table from a lowercase word to a bit set of classes,
//! so classifying a token costs one hash lookup however many lists it is in.

use std::sync::LazyLock;

use super::fasthash::FastMap;

/// Bit flags: the classes a lowercase word belongs to.
pub(crate) mod class {
    /// Closed-class words: articles, pronouns, prepositions, conjunctions.
    pub const FUNCTION: u32 = 1;
    /// Sentence adverbs and connectives ("Meanwhile", "However").
    pub const DISCOURSE: u32 = 1 << 1;
    /// Ordinary words that often open a sentence and are not names on their own.
    pub const COMMON: u32 = 1 << 2;
    pub const MONTH: u32 = 1 << 3;
    pub const WEEKDAY: u32 = 1 << 4;
    /// Capitalised words that are not person, organisation or place names
    /// (religions, languages, holidays, units).
    pub const MISC: u32 = 1 << 5;
    /// The noun of a role title ("minister", "spokesperson").
    pub const TITLE_HEAD: u32 = 1 << 6;
    /// A word that may precede a title head ("foreign", "deputy").
    pub const TITLE_MOD: u32 = 1 << 7;
    /// "Mr", "Dr", "Gen": only when capitalised, optionally with a dot.
    pub const HONORIFIC: u32 = 1 << 8;
    /// A word of a department after "of"/"for" in a title ("Secretary of State").
    pub const DEPARTMENT: u32 = 1 << 9;
    /// The head noun of an organisation or place name that may take "of"
    /// ("Bank of England", "Gulf of Aden").
    pub const ORG_HEAD: u32 = 1 << 10;
    /// Name particles written apart: "van der Leyen", "de Mistura", "bin Salman".
    pub const PARTICLE: u32 = 1 << 11;
    /// Name particles joined by a hyphen: "al-Sisi", "el-Sisi".
    pub const HYPHEN_PARTICLE: u32 = 1 << 12;
    /// Abbreviations whose dot does not end a sentence ("Mr.", "Gen.", "Nov.").
    pub const ABBREVIATION: u32 = 1 << 13;
    /// Words before a capital that make it a location ("in Ankara").
    pub const LOCATION_CUE: u32 = 1 << 14;
    /// Words after a capital that make it a government ("Ankara said").
    pub const GOVERNMENT_CUE: u32 = 1 << 15;
    /// Words after a sentence-initial word that suggest it is a name ("X said").
    pub const NAME_FOLLOWER: u32 = 1 << 16;
    /// Pronouns that can continue the previous sentence's subject.
    pub const PRONOUN: u32 = 1 << 17;
    /// Determiners and quantifiers skipped when looking at what precedes a name.
    pub const DETERMINER: u32 = 1 << 18;
    /// Prepositions: an actor right after one is not the subject.
    pub const PREPOSITION: u32 = 1 << 19;
    /// Words that end the search for a relation's target.
    pub const CLAUSE_STOP: u32 = 1 << 20;
    /// Auxiliaries and adverbs allowed between a subject and its verb.
    pub const AUXILIARY: u32 = 1 << 21;
    /// Lowercase connectors allowed inside organisation names.
    pub const CONNECTOR: u32 = 1 << 22;
    /// First word of a reporting phrase ("said", "according").
    pub const REPORTING_HEAD: u32 = 1 << 23;
    /// First word of a relation phrase ("met", "held").
    pub const RELATION_HEAD: u32 = 1 << 24;
    /// The head of the name of a document, agreement or event ("Oslo
    /// Accords", "Resolution 2334", "Munich Security Conference"): such names
    /// are neither people, organisations nor places.
    pub const DOCUMENT: u32 = 1 << 25;
}

#[rustfmt::skip]
const FUNCTION: &[&str] = &[
    "a", "about", "above", "across", "after", "against", "ago", "all", "almost", "along", "already",
    "also", "although", "always", "am", "amid", "amidst", "among", "amongst", "an", "and",
    "another", "any", "anyone", "anything", "are", "around", "as", "at", "be", "because", "been",
    "before", "behind", "being", "below", "beneath", "beside", "besides", "between", "beyond",
    "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down",
    "during", "each", "either", "else", "enough", "even", "ever", "every", "everyone", "everything",
    "few", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "inside", "into", "is", "it", "its", "itself",
    "just", "least", "less", "like", "many", "me", "might", "more", "most", "much", "must", "my",
    "near", "neither", "never", "no", "nobody", "none", "nor", "not", "nothing", "now", "of", "off",
    "often", "on", "once", "one", "only", "onto", "or", "other", "others", "our", "ours", "out",
    "outside", "over", "own", "per", "same", "several", "shall", "she", "should", "since", "so",
    "some", "someone", "something", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "though", "through",
    "throughout", "thus", "to", "too", "toward", "towards", "under", "unless", "unlike", "until",
    "up", "upon", "us", "very", "via", "was", "we", "were", "what", "whatever", "when", "whenever",
    "where", "whereas", "whether", "which", "while", "who", "whoever", "whom", "whose", "why",
    "will", "with", "within", "without", "would", "yet", "you", "your", "yours",
];

#[rustfmt::skip]
const DISCOURSE: &[&str] = &[
    "according", "accordingly", "additionally", "afterwards", "again", "ahead", "also",
    "alternatively", "apparently", "approximately", "asked", "because", "besides", "briefly",
    "certainly", "clearly", "consequently", "conversely", "crucially", "currently", "despite",
    "earlier", "elsewhere", "especially", "eventually", "evidently", "finally", "first", "firstly",
    "following", "formerly", "fortunately", "further", "furthermore", "given", "hence", "however",
    "ideally", "immediately", "importantly", "including", "indeed", "initially", "instead",
    "interestingly", "ironically", "last", "lastly", "late", "later", "likewise", "maybe",
    "meanwhile", "moreover", "namely", "naturally", "nearly", "nevertheless", "next", "nonetheless",
    "notably", "notwithstanding", "obviously", "officially", "otherwise", "overall", "particularly",
    "perhaps", "possibly", "presumably", "previously", "prior", "privately", "probably", "publicly",
    "rather", "recently", "regardless", "regarding", "reportedly", "allegedly", "responding",
    "roughly", "second", "secondly", "separately", "shortly", "significantly", "similarly",
    "simultaneously", "soon", "speaking", "specifically", "still", "subsequently", "surprisingly",
    "thereafter", "therefore", "third", "thirdly", "today", "together", "tomorrow", "tonight",
    "traditionally", "typically", "ultimately", "unfortunately", "usually", "yesterday",
    "sometimes", "thanks", "due", "amid",
];

#[rustfmt::skip]
const COMMON: &[&str] = &[
    "addressing", "adding", "aid", "analysts", "anonymous", "armed", "attacks", "authorities",
    "asked", "citing", "civil", "civilians", "children", "clashes", "concerns", "continued",
    "critics", "data", "demonstrators", "details", "diplomatic", "diplomats", "doctors", "dozens",
    "economic", "efforts", "eight", "estimates", "experts", "families", "fears", "fighting",
    "figures", "five", "footage", "foreign", "forces", "four", "fresh", "global", "government",
    "governments", "half", "heavy", "hopes", "humanitarian", "hundreds", "images", "initial",
    "international", "investors", "journalists", "lawmakers", "leaders", "legislators", "local",
    "markets", "media", "mediators", "medics", "meeting", "men", "military", "millions",
    "ministers", "negotiations", "negotiators", "news", "nine", "observers", "official",
    "officials", "ongoing", "opposition", "part", "people", "photos", "plans", "police",
    "political", "previous", "prices", "private", "progress", "proposals", "protesters", "public",
    "questions", "quoting", "recent", "regional", "relations", "renewed", "reporters", "reports",
    "rescuers", "residents", "satellite", "scores", "security", "senior", "seven", "shares", "six",
    "social", "soldiers", "sources", "state", "statistics", "strikes", "talking", "talks", "tens",
    "tensions", "ten", "thousands", "three", "top", "trade", "troops", "two", "unidentified",
    "unnamed", "video", "violence", "voters", "western", "witnesses", "women", "writing", "human",
    "united", "national", "new", "free", "democratic", "islamic", "arab", "central", "northern",
    "southern", "eastern", "north", "south", "east", "west", "supreme", "special", "general",
    "federal", "royal", "joint", "major", "chief", "prime", "deputy", "former", "acting", "interim",
    "asked", "speaking", "meanwhile", "sanctions", "ceasefire", "truce", "peace", "war", "hostages",
    "prisoners", "detainees", "victims", "survivors", "refugees", "migrants", "militants",
    "fighters", "gunmen", "rebels", "insurgents", "settlers", "protests", "elections", "voting",
    "turnout", "polls", "results", "markets", "oil", "gas", "energy", "inflation", "growth",
    "unemployment", "hospitals", "schools", "homes", "buildings", "roads", "crossings", "borders",
    "shelling", "airstrikes", "drones", "missiles", "rockets", "explosions", "casualties", "deaths",
    "injuries", "damage", "emergency", "rescue", "relief", "supplies", "food", "water", "fuel",
    "medicine", "shelter", "winter", "summer", "spring", "autumn", "fall", "morning", "evening",
    "night", "afternoon", "week", "weeks", "month", "months", "year", "years", "day", "days",
    "hours", "minutes", "earlier", "later", "many", "most", "some", "several", "few", "both", "all",
    "such", "critics", "supporters", "opponents", "members", "delegates", "envoys", "allies",
    "partners", "neighbours", "neighbors", "donors", "lenders", "banks", "companies", "firms",
    "unions", "workers", "farmers", "students", "teachers", "parents", "patients", "nurses",
    "volunteers", "activists", "campaigners", "organisers", "organizers", "participants",
    "attendees", "spectators", "fans", "viewers", "readers", "users", "customers", "buyers",
    "sellers", "traders", "analyst", "spokesman", "spokeswoman", "spokesperson", "minister",
    "president", "secretary", "ambassador", "envoy", "commander", "leader", "chairman", "head",
];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
];

#[rustfmt::skip]
const WEEKDAYS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
];

#[rustfmt::skip]
const MISC: &[&str] = &[
    "muslim", "muslims", "christian", "christians", "jewish", "jew", "jews", "arab", "arabs",
    "arabic", "sunni", "sunnis", "shia", "shias", "shiite", "shiites", "kurd", "kurds", "kurdish",
    "druze", "alawite", "alawites", "yazidi", "yazidis", "catholic", "catholics", "protestant",
    "protestants", "orthodox", "hindu", "hindus", "buddhist", "buddhists", "sikh", "sikhs",
    "islamic", "islamist", "islamists", "zionist", "zionists", "western", "westerners", "english",
    "hebrew", "farsi", "persian", "urdu", "pashto", "latin", "god", "allah", "islam",
    "christianity", "judaism", "ramadan", "eid", "christmas", "easter", "passover", "hanukkah",
    "diwali", "internet", "covid", "covid-19", "coronavirus", "gmt", "utc", "am", "pm", "tv", "ok",
    "ceo", "ngo", "ngos", "gdp", "usd", "eur", "gbp", "km", "kg", "mph", "vip", "id", "aka", "faq",
    "pdf", "gazan", "gazans", "european", "europeans", "african", "africans", "asian", "asians",
    "bedouin", "bedouins", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "jr", "sr", "phd", "ad",
    "bc", "ce", "bce", "a.m.", "p.m.", "e.g.", "i.e.", "u.s.-based", "semitic", "anti-semitic",
    "antisemitism", "islamophobia", "holocaust", "nakba", "intifada", "jihad", "sharia", "fatwa",
    "hajj", "umrah", "sabbath", "lent", "new year", "olympics", "cop", "g7", "g20", "brics",
    "republicans", "democrats", "conservatives", "liberals", "socialists", "communists", "tories",
    "greens", "nationalists", "loyalists", "unionists", "republican", "democrat", "islamists",
    "jihadists", "jihadist", "salafists", "salafist", "wahhabi", "shiites", "sunnis", "christians",
    "palestinians", "israelis", "americans", "fitr", "adha", "ashura", "nowruz", "hanukkah", "yom",
    "kippur",
];

#[rustfmt::skip]
const TITLE_HEADS: &[&str] = &[
    "president", "premier", "minister", "secretary", "chancellor", "ambassador", "envoy",
    "spokesman", "spokeswoman", "spokesperson", "representative", "commissioner", "director",
    "chief", "commander", "general", "admiral", "colonel", "lieutenant", "captain", "sergeant",
    "marshal", "brigadier", "king", "queen", "prince", "princess", "emir", "sheikh", "sultan",
    "pope", "ayatollah", "imam", "rabbi", "cardinal", "bishop", "archbishop", "patriarch",
    "senator", "congressman", "congresswoman", "governor", "mayor", "judge", "justice",
    "prosecutor", "speaker", "chairman", "chairwoman", "chairperson", "chair", "leader",
    "coordinator", "mediator", "negotiator", "adviser", "advisor", "counsellor", "counselor",
    "consul", "official", "officer", "head", "founder", "ceo", "executive", "correspondent",
    "reporter", "journalist", "lawmaker", "legislator", "mp", "mep", "activist", "researcher",
    "professor", "analyst", "editor", "columnist", "economist", "presenter", "commentator",
    "candidate", "nominee", "rapporteur", "delegate", "deputy", "monarch", "ruler", "mufti",
    "cleric", "preacher", "diplomat", "caliph", "elect", "vice-president", "secretary-general",
    "director-general", "attorney-general", "commander-in-chief",
];

#[rustfmt::skip]
const TITLE_MODIFIERS: &[&str] = &[
    "foreign", "defence", "defense", "interior", "finance", "health", "justice", "economy",
    "economic", "energy", "trade", "commerce", "education", "culture", "transport", "agriculture",
    "environment", "tourism", "labour", "labor", "industry", "housing", "information",
    "intelligence", "security", "national", "homeland", "treasury", "prime", "vice", "deputy",
    "acting", "interim", "former", "ex", "late", "senior", "chief", "crown", "supreme", "grand",
    "special", "top", "high", "assistant", "associate", "executive", "general", "first",
    "lieutenant", "major", "attorney", "field", "police", "army", "military", "navy", "naval",
    "air", "regional", "district", "provincial", "opposition", "party", "parliamentary",
    "presidential", "press", "communications", "humanitarian", "political", "spiritual",
    "religious", "outgoing", "incoming", "then", "retired", "veteran", "state", "minister",
    "managing", "chief-of-staff", "sub", "under", "permanent", "development", "planning", "water",
    "oil", "petroleum", "immigration", "migration", "women's", "youth", "sports", "digital",
    "climate", "heritage", "investment", "european", "foreign-affairs", "cabinet", "government",
    "parliament", "congressional", "rebel", "militant", "majority", "minority", "democratic",
    "republican", "conservative", "liberal", "socialist", "labor", "whip", "floor", "party's",
];

#[rustfmt::skip]
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "sheikh", "rev", "fr",
    "hon", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "brig", "cmdr", "gov", "sen", "rep",
    "pres", "amb", "cpl", "pvt", "mme", "mlle", "herr", "mx",
];

#[rustfmt::skip]
const DEPARTMENTS: &[&str] = &[
    "state", "foreign", "affairs", "defence", "defense", "interior", "health", "finance", "justice",
    "energy", "treasury", "commerce", "homeland", "security", "education", "agriculture", "labor",
    "labour", "transport", "transportation", "trade", "economy", "environment", "culture",
    "tourism", "staff", "information", "communications", "home", "war", "navy", "army", "veterans",
    "housing", "development", "industry", "planning", "national", "international", "cooperation",
    "public", "works", "religious", "endowments", "immigration", "migration", "refugees", "social",
    "welfare", "the", "and", "general", "armed", "forces", "police", "intelligence", "digital",
    "climate", "women", "youth", "sports", "heritage", "investment", "economic", "external",
    "relations", "solidarity", "diaspora", "water", "electricity", "oil", "petroleum", "mines",
    "mining", "fisheries", "european", "integration", "exterior", "emergencies", "emergency",
    "situations", "food", "local", "government", "urban", "rural", "science", "technology",
    "research", "higher", "media", "prisoners", "detainees", "martyrs", "wounded",
];

#[rustfmt::skip]
const ORG_HEADS: &[&str] = &[
    "bank", "university", "college", "school", "institute", "institution", "academy", "ministry",
    "department", "office", "council", "court", "tribunal", "commission", "committee", "agency",
    "authority", "board", "bureau", "centre", "center", "foundation", "fund", "society",
    "association", "federation", "union", "league", "organisation", "organization", "movement",
    "party", "front", "coalition", "alliance", "forces", "army", "brigades", "brigade", "corps",
    "guard", "guards", "command", "service", "services", "museum", "hospital", "church", "embassy",
    "consulate", "mission", "parliament", "assembly", "congress", "senate", "house", "chamber",
    "republic", "kingdom", "emirate", "emirates", "states", "group", "company", "corporation",
    "secretariat", "government", "administration", "cabinet", "directorate", "observatory",
    "network", "forum", "port", "gulf", "bay", "sea", "strait", "straits", "cape", "isle", "isles",
    "island", "islands", "city", "province", "governorate", "region", "district", "county", "mount",
    "lake", "river", "valley", "plain", "coast", "coordination", "friends", "people", "programme",
    "program", "initiative", "conference", "summit", "treaty", "agreement", "convention", "charter",
    "declaration", "ministers", "cooperation", "co-operation", "community", "communities", "bloc",
    "unit", "division", "battalion", "regiment", "squadron", "fleet", "police", "prison", "camp",
    "square", "mosque", "cathedral", "temple", "palace", "tower", "bridge", "crossing", "airport",
    "station", "stadium", "park", "street", "avenue", "road", "canal", "desert", "peninsula",
    "heights", "hills", "mountains", "plateau", "basin", "delta", "archipelago", "ocean", "straits",
    "territory", "territories", "state", "order", "institution", "centre", "union", "watch",
    "commissioner", "office", "chiefs", "sisters", "brothers", "sons", "daughters", "women",
    "veterans", "workers",
];

#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "ben", "van", "von", "der", "den", "de", "da", "di", "du",
    "del", "della", "des", "la", "le", "ter", "dos", "das", "zu", "af", "abu", "y",
];

#[rustfmt::skip]
const HYPHEN_PARTICLES: &[&str] = &[
    "al", "el", "ad", "as", "ash", "at", "az", "ar", "an", "ud", "ul", "abu", "bin", "ibn", "ben",
    "abd",
];

#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "lt", "col", "maj", "capt", "sgt",
    "adm", "brig", "cmdr", "gov", "govt", "sen", "rep", "rev", "fr", "hon", "pres", "amb", "cpl",
    "pvt", "no", "nos", "vs", "inc", "ltd", "co", "corp", "dept", "univ", "approx", "est", "fig",
    "mt", "ft", "al", "cf", "ca", "op", "ed", "eds", "vol", "pp", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
    "fri", "sat", "mme", "mlle", "messrs", "etc",
];

#[rustfmt::skip]
const LOCATION_CUES: &[&str] = &[
    "in", "to", "from", "at", "near", "outside", "inside", "into", "toward", "towards", "via",
    "across", "around", "through", "throughout", "within", "visited", "visiting", "visit", "visits",
    "arrived", "arriving", "reached", "left", "leaving", "flew", "travelled", "traveled",
    "traveling", "travelling", "based", "headquartered", "back", "returned", "returning", "landed",
    "stationed", "of", "central", "downtown", "suburban", "streets", "on", "outside", "around",
    "near", "northern", "southern", "eastern", "western",
];

#[rustfmt::skip]
const GOVERNMENT_CUES: &[&str] = &[
    "said", "says", "say", "told", "tells", "stated", "added", "accused", "accuses", "urged",
    "urges", "warned", "warns", "denied", "denies", "insisted", "insists", "announced", "announces",
    "rejected", "rejects", "welcomed", "welcomes", "condemned", "condemns", "agreed", "agrees",
    "signed", "signs", "demanded", "demands", "called", "calls", "asked", "asks", "claimed",
    "claims", "wants", "wanted", "hopes", "hoped", "believes", "believed", "has", "have", "had",
    "is", "was", "will", "would", "could", "should", "may", "might", "must", "can", "cannot",
    "also", "responded", "responds", "sent", "sends", "imposed", "imposes", "backs", "backed",
    "supports", "supported", "opposes", "opposed", "blamed", "blames", "recalled", "summoned",
    "expelled", "threatened", "threatens", "sees", "considers", "plans", "intends", "maintains",
    "remains", "views", "does", "did", "still", "now", "already", "urging", "pushed", "pushes",
    "pressed", "presses", "sought", "seeks", "accepted", "accepts", "approved", "approves",
    "decided", "declined", "refused", "refuses", "offered", "offers", "proposed", "proposes",
    "responded", "reacted", "criticised", "criticized", "dismissed", "dismisses", "mediated",
    "brokered", "remained", "remain", "continues", "continued", "reiterated", "stressed", "argued",
    "announced", "confirmed", "acknowledged", "threatened", "vowed", "hit", "struck", "launched",
    "moved", "expressed", "objected", "protested", "retaliated", "halted", "suspended", "resumed",
    "agreed", "joined", "needs", "needed",
];

#[rustfmt::skip]
const NAME_FOLLOWERS: &[&str] = &[
    "said", "says", "told", "added", "stated", "wrote", "has", "had", "is", "was", "will", "would",
    "who", "also", "insisted", "argued", "warned", "announced", "accused", "urged", "denied", "met",
    "tweeted", "posted", "replied", "responded", "noted", "confirmed",
];

const PRONOUNS: &[&str] = &["they", "it", "he", "she"];

#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "both", "all", "several", "some", "many",
    "other", "fellow", "neighbouring", "neighboring", "rival", "key", "two", "three", "four",
    "senior", "top", "former", "local", "regional", "powerful",
];

#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &[
    "of", "with", "in", "to", "from", "for", "against", "by", "on", "at", "about", "between",
    "among", "amid", "into", "onto", "toward", "towards", "over", "under", "through", "via",
    "without", "within", "near", "like", "than", "after", "before", "behind", "across", "despite",
    "during", "beside", "besides", "versus", "vs", "upon", "per", "unlike", "and",
];

#[rustfmt::skip]
const CLAUSE_STOPS: &[&str] = &[
    "that", "which", "who", "whom", "whose", "because", "if", "when", "while", "whereas",
    "although", "though", "but", "unless", "since", "so", "where", "after", "before", "saying",
    "adding", "as",
];

#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "also", "has", "have", "had", "was", "were", "is", "are", "be", "been", "will", "would",
    "could", "should", "may", "might", "must", "then", "later", "again", "repeatedly", "previously",
    "earlier", "publicly", "already", "reportedly", "strongly", "sharply", "not", "never", "still",
    "once", "did", "does", "do", "had", "now", "further", "separately", "officially", "privately",
    "quickly", "immediately", "recently",
];

#[rustfmt::skip]
const DOCUMENTS: &[&str] = &[
    "accord", "accords", "agreement", "agreements", "treaty", "treaties", "resolution",
    "resolutions", "convention", "conventions", "protocol", "protocols", "act", "bill",
    "declaration", "charter", "doctrine", "summit", "conference", "initiative", "memorandum",
    "communique", "roadmap", "pact", "games", "olympics", "cup", "championship", "prize", "award",
    "awards", "festival", "war",
];

#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "of", "for", "on", "to", "and", "the", "de", "du", "des", "&",
];

/// Phrases that introduce a statement, lowercase, words separated by spaces.
#[rustfmt::skip]
const REPORTING: &[&str] = &[
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "stated", "added", "adds",
    "adding", "accused", "accuses", "accusing", "urged", "urges", "urging", "called for",
    "calls for", "calling for", "call for", "warned", "warns", "denied", "denies", "denying",
    "according to", "announced", "announces", "announcing", "claimed", "insisted", "insists",
    "insisting", "stressed", "stresses", "stressing", "noted", "argued", "argues", "confirmed",
    "confirms", "confirming", "reported", "declared", "demanded", "reiterated", "reiterates",
    "emphasised", "emphasized", "emphasising", "emphasizing", "acknowledged", "vowed", "vows",
    "threatened", "explained", "cautioned", "alleged", "asserted", "affirmed", "responded",
    "replied", "admitted", "wrote", "tweeted",
];

/// Phrases that carry a relation between the subject and a later actor, with
/// the relation type (a small CAMEO-like vocabulary).
const RELATIONS: &[(&str, &str)] = &[
    ("talks with", "talks"),
    ("held talks", "talks"),
    ("hold talks", "talks"),
    ("holds talks", "talks"),
    ("holding talks", "talks"),
    ("negotiated with", "talks"),
    ("negotiating with", "talks"),
    ("negotiations with", "talks"),
    ("spoke with", "talks"),
    ("spoke to", "talks"),
    ("speaks with", "talks"),
    ("speaks to", "talks"),
    ("phone call with", "talks"),
    ("call with", "talks"),
    ("conferred with", "talks"),
    ("met", "met"),
    ("meets", "met"),
    ("meet", "met"),
    ("meeting with", "met"),
    ("hosted", "met"),
    ("hosts", "met"),
    ("hosting", "met"),
    ("accused", "accused"),
    ("accuses", "accused"),
    ("accusing", "accused"),
    ("blamed", "accused"),
    ("blames", "accused"),
    ("blaming", "accused"),
    ("urged", "urged"),
    ("urges", "urged"),
    ("urging", "urged"),
    ("called on", "urged"),
    ("calls on", "urged"),
    ("calling on", "urged"),
    ("pressed", "urged"),
    ("pressing", "urged"),
    ("pressured", "urged"),
    ("mediated", "mediated"),
    ("mediates", "mediated"),
    ("mediating", "mediated"),
    ("brokered", "mediated"),
    ("brokering", "mediated"),
    ("mediation between", "mediated"),
    ("attacked", "attacked"),
    ("attacking", "attacked"),
    ("struck", "attacked"),
    ("bombed", "attacked"),
    ("shelled", "attacked"),
    ("raided", "attacked"),
    ("invaded", "attacked"),
    ("targeted", "attacked"),
    ("fired on", "attacked"),
    ("fired at", "attacked"),
    ("fired rockets at", "attacked"),
    ("launched strikes on", "attacked"),
    ("launched attacks on", "attacked"),
    ("supported", "supported"),
    ("supports", "supported"),
    ("supporting", "supported"),
    ("backed", "supported"),
    ("backs", "supported"),
    ("backing", "supported"),
    ("endorsed", "supported"),
    ("endorses", "supported"),
    ("funded", "supported"),
    ("condemned", "condemned"),
    ("condemns", "condemned"),
    ("condemning", "condemned"),
    ("denounced", "condemned"),
    ("denounces", "condemned"),
    ("criticised", "condemned"),
    ("criticized", "condemned"),
    ("criticises", "condemned"),
    ("criticizes", "condemned"),
    ("slammed", "condemned"),
    ("threatened", "threatened"),
    ("threatens", "threatened"),
    ("threatening", "threatened"),
    ("sanctioned", "sanctioned"),
    ("imposed sanctions on", "sanctioned"),
    ("imposes sanctions on", "sanctioned"),
    ("visited", "visited"),
    ("agreed with", "agreed"),
    ("signed an agreement with", "agreed"),
    ("signed a deal with", "agreed"),
    ("reached an agreement with", "agreed"),
    ("reached a deal with", "agreed"),
    ("rejected", "rejected"),
    ("rejects", "rejected"),
    ("rejecting", "rejected"),
];

/// Relation types that hold both ways, so a coordinated subject ("Turkey and
/// Qatar held talks") yields a relation between its members.
const SYMMETRIC: &[&str] = &["talks", "met", "agreed"];

/// A multi-word phrase from one of the verb lists.
#[derive(Debug)]
pub(crate) struct Phrase {
    /// The words after the first one.
    pub rest: Vec<&'static str>,
    /// The whole phrase as written in the list.
    pub text: &'static str,
    /// For relations, the relation type.
    pub label: &'static str,
}

/// The merged word tables. Built once, immutable afterwards.
#[derive(Debug)]
pub(crate) struct Lexicon {
    classes: FastMap<&'static str, u32>,
    /// The same for words of at most 16 ASCII bytes, keyed by the lowercase
    /// bytes packed into an integer: nearly every word takes this path, which
    /// needs no lowercased copy and no string comparison.
    short: FastMap<u128, u32>,
    reporting: FastMap<&'static str, Vec<Phrase>>,
    relations: FastMap<&'static str, Vec<Phrase>>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::build);

/// The shared, immutable word tables.
pub(crate) fn lexicon() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    fn build() -> Lexicon {
        let mut classes: FastMap<&'static str, u32> = FastMap::default();
        let lists: [(&[&'static str], u32); 22] = [
            (FUNCTION, class::FUNCTION),
            (DISCOURSE, class::DISCOURSE),
            (COMMON, class::COMMON),
            (MONTHS, class::MONTH),
            (WEEKDAYS, class::WEEKDAY),
            (MISC, class::MISC),
            (TITLE_HEADS, class::TITLE_HEAD),
            (TITLE_MODIFIERS, class::TITLE_MOD),
            (HONORIFICS, class::HONORIFIC),
            (DEPARTMENTS, class::DEPARTMENT),
            (ORG_HEADS, class::ORG_HEAD),
            (PARTICLES, class::PARTICLE),
            (HYPHEN_PARTICLES, class::HYPHEN_PARTICLE),
            (ABBREVIATIONS, class::ABBREVIATION),
            (LOCATION_CUES, class::LOCATION_CUE),
            (GOVERNMENT_CUES, class::GOVERNMENT_CUE),
            (NAME_FOLLOWERS, class::NAME_FOLLOWER),
            (PRONOUNS, class::PRONOUN),
            (DETERMINERS, class::DETERMINER),
            (PREPOSITIONS, class::PREPOSITION),
            (CLAUSE_STOPS, class::CLAUSE_STOP),
            (AUXILIARIES, class::AUXILIARY),
        ];
        for (words, bit) in lists {
            for word in words {
                *classes.entry(word).or_insert(0) |= bit;
            }
        }
        for word in DOCUMENTS {
            *classes.entry(word).or_insert(0) |= class::DOCUMENT;
        }
        for word in CONNECTORS {
            *classes.entry(word).or_insert(0) |= class::CONNECTOR;
        }
        let mut reporting: FastMap<&'static str, Vec<Phrase>> = FastMap::default();
        for text in REPORTING {
            add_phrase(&mut reporting, text, "");
        }
        let mut relations: FastMap<&'static str, Vec<Phrase>> = FastMap::default();
        for (text, label) in RELATIONS {
            add_phrase(&mut relations, text, label);
        }
        for first in reporting.keys() {
            *classes.entry(first).or_insert(0) |= class::REPORTING_HEAD;
        }
        for first in relations.keys() {
            *classes.entry(first).or_insert(0) |= class::RELATION_HEAD;
        }
        let short = classes
            .iter()
            .filter_map(|(word, &c)| pack(word).map(|k| (k, c)))
            .collect();
        Lexicon {
            classes,
            short,
            reporting,
            relations,
        }
    }

    /// The classes of a word in any case, the fast way for short ASCII words.
    #[inline]
    pub fn classes_of(&self, word: &str) -> u32 {
        match pack(word) {
            Some(key) => self.short.get(&key).copied().unwrap_or(0),
            // Every listed word is ASCII and at most 20 bytes long.
            None if word.len() > 16 && word.len() <= 20 && word.is_ascii() => {
                self.classes_any_case(word)
            }
            None => 0,
        }
    }

    /// The classes of a word given in lowercase (0 when it is in no list).
    #[inline]
    pub fn classes(&self, lower: &str) -> u32 {
        self.classes.get(lower).copied().unwrap_or(0)
    }

    /// The classes of a word in any case.
    pub fn classes_any_case(&self, word: &str) -> u32 {
        with_lowercase(word, |lower| self.classes(lower))
    }

    /// Reporting phrases whose first word is `first` (lowercase).
    #[inline]
    pub fn reporting(&self, first: &str) -> Option<&[Phrase]> {
        self.reporting.get(first).map(Vec::as_slice)
    }

    /// Relation phrases whose first word is `first` (lowercase).
    #[inline]
    pub fn relations(&self, first: &str) -> Option<&[Phrase]> {
        self.relations.get(first).map(Vec::as_slice)
    }

    /// Whether a relation type holds both ways.
    pub fn is_symmetric(label: &str) -> bool {
        SYMMETRIC.contains(&label)
    }
}

fn add_phrase(
    map: &mut FastMap<&'static str, Vec<Phrase>>,
    text: &'static str,
    label: &'static str,
) {
    let mut words = text.split(' ');
    let Some(first) = words.next() else {
        return;
    };
    let rest: Vec<&'static str> = words.collect();
    let phrases = map.entry(first).or_default();
    phrases.push(Phrase { rest, text, label });
    // Longest phrases first, so "called for" wins over a bare "called".
    phrases.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
}

/// Packs a word of 1 to 16 ASCII bytes (no NUL), lowercased, into an
/// integer key.
#[inline]
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let mut key = 0u128;
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 || b >= 0x80 {
            return None;
        }
        key |= u128::from(b.to_ascii_lowercase()) << (8 * i);
    }
    Some(key)
}

/// Calls `f` with `word` in lowercase, without allocating for short ASCII words.
pub(crate) fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let bytes = word.as_bytes();
    if bytes.len() <= 32 && word.is_ascii() {
        let mut buf = [0u8; 32];
        for (dst, src) in buf.iter_mut().zip(bytes) {
            *dst = src.to_ascii_lowercase();
        }
        // ASCII in, ASCII out: always valid UTF-8.
        match std::str::from_utf8(&buf[..bytes.len()]) {
            Ok(lower) => f(lower),
            Err(_) => f(&word.to_lowercase()),
        }
    } else {
        f(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_get_all_their_classes() {
        let lex = lexicon();
        let minister = lex.classes("minister");
        assert!(minister & class::TITLE_HEAD != 0);
        assert!(minister & class::TITLE_MOD != 0);
        assert!(lex.classes("november") & class::MONTH != 0);
        assert!(lex.classes_any_case("Meanwhile") & class::DISCOURSE != 0);
        assert_eq!(lex.classes("ankara"), 0);
    }

    #[test]
    fn lists_are_lowercase_without_spaces_at_the_ends() {
        let lists: [&[&str]; 8] = [
            FUNCTION,
            DISCOURSE,
            COMMON,
            MONTHS,
            WEEKDAYS,
            TITLE_HEADS,
            TITLE_MODIFIERS,
            MISC,
        ];
        for list in lists {
            for word in list {
                assert_eq!(*word, word.to_lowercase(), "{word}");
                assert_eq!(*word, word.trim(), "{word}");
            }
        }
        // `classes_of` relies on this.
        for word in lexicon().classes.keys() {
            assert!(word.is_ascii() && word.len() <= 20, "{word}");
        }
    }

    #[test]
    fn longer_phrases_are_tried_first() {
        let lex = lexicon();
        let called = lex.reporting("called").map(<[Phrase]>::len);
        assert_eq!(called, Some(1));
        let held = lex.relations("held").map(|p| p[0].text);
        assert_eq!(held, Some("held talks"));
        let fired = lex.relations("fired").map(|p| p[0].text);
        assert_eq!(fired, Some("fired rockets at"));
    }

    #[test]
    fn packed_lookup_agrees_with_the_string_table() {
        let lex = lexicon();
        for word in [
            "said",
            "Said",
            "MINISTER",
            "according",
            "Ankara",
            "of",
            "U.S.",
            "élan",
            "x",
        ] {
            assert_eq!(lex.classes_of(word), lex.classes_any_case(word), "{word}");
        }
    }

    #[test]
    fn lowercasing_handles_ascii_and_unicode() {
        assert_eq!(with_lowercase("ANKARA", str::to_string), "ankara");
        assert_eq!(with_lowercase("ERDOĞAN", str::to_string), "erdoğan");
    }
}
