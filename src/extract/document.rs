//! One extraction call: the per-article state and the order of the passes.
//!
//! [`Doc`] holds what is read from the text and never changes afterwards
//! (tokens, sentences, word classes, alias matches). [`Found`] holds what the
//! passes decide (spans, the actors and candidates they point to, the names
//! learnt along the way). Both live only for the call.

use std::borrow::Cow;
use std::ops::Range;

use super::automaton::AliasMatcher;
use super::catalog::Catalog;
use super::dateline::{self, DatelineHit};
use super::fasthash::{FastMap, FastSet};
use super::lexicon::{class, lexicon};
use super::tokens::{TokKind, Token, flag, tokenize};
use super::{Extraction, Form, Input, Kind, candidates, layout, mentions, output, sentences};
use super::{relations, statements};

/// An alias match on token boundaries.
#[derive(Debug, Clone)]
pub(crate) struct GazMatch {
    pub tok: Range<usize>,
    pub pattern: usize,
}

/// The article as read.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    /// Tokens, with their word classes, sentence and alias match.
    pub toks: Vec<Token>,
    /// Sentences as byte ranges and as token ranges.
    pub sents: Vec<Range<usize>>,
    pub sent_toks: Vec<Range<usize>>,
    /// Alias matches, sorted, not overlapping.
    pub gaz: Vec<GazMatch>,
    pub catalog: &'a Catalog,
    pub matcher: &'a AliasMatcher,
}

pub(crate) const NO_MATCH: u32 = u32::MAX;

impl<'a> Doc<'a> {
    /// The text of token `i` ("" when out of range).
    #[inline]
    pub fn word(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    /// The lexicon classes of token `i`.
    #[inline]
    pub fn class(&self, i: usize) -> u32 {
        self.toks.get(i).map_or(0, |t| t.cls)
    }

    /// The alias match starting at token `i`.
    #[inline]
    pub fn gaz_starting(&self, i: usize) -> Option<&GazMatch> {
        let g = self.toks.get(i)?.gaz;
        if g == NO_MATCH {
            None
        } else {
            self.gaz.get(g as usize)
        }
    }

    /// Bytes of a token range.
    pub fn span_bytes(&self, r: &Range<usize>) -> Range<usize> {
        match (
            self.toks.get(r.start),
            r.end.checked_sub(1).and_then(|e| self.toks.get(e)),
        ) {
            (Some(a), Some(b)) if r.start < r.end => a.start..b.end,
            _ => 0..0,
        }
    }

    /// Text of a token range.
    pub fn span_text(&self, r: &Range<usize>) -> &'a str {
        let b = self.span_bytes(r);
        self.text.get(b).unwrap_or("")
    }

    /// The punctuation character of token `i`, if it is one.
    pub fn punct(&self, i: usize) -> Option<char> {
        let t = self.toks.get(i)?;
        if t.kind == super::tokens::TokKind::Punct {
            Some(t.ch)
        } else {
            None
        }
    }

    pub fn sentence_of(&self, i: usize) -> usize {
        // Sentence token ranges are contiguous and in order.
        self.sent_toks.partition_point(|r| r.end <= i)
    }
}

/// What a span stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// Index into `Found::actors`.
    Actor(usize),
    /// A place entity of the catalog.
    Place(usize),
    /// Index into `Found::candidates`.
    Candidate(usize),
    /// A capitalised run judged in the candidates pass (index into `Found::seqs`).
    Pending(usize),
}

/// A decided stretch of tokens.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub tok: Range<usize>,
    pub what: What,
    pub form: Form,
    /// Names the affiliation of the person right after it ("Turkish" in
    /// "Turkish Foreign Minister Hakan Fidan"): never a subject.
    pub modifier: bool,
}

/// An actor of this article. Names borrow from the catalog or the text.
#[derive(Debug, Clone)]
pub(crate) struct DocActor<'a> {
    pub id: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub kind: Kind,
    pub role: Option<Cow<'a, str>>,
    /// The role was read from a title in this article (it then wins over the
    /// catalog's).
    pub role_from_text: bool,
    pub affiliation: Option<Cow<'a, str>>,
    /// For people found by title without an adjacent affiliation: the
    /// sentence in which to look for the nearest state.
    pub affiliation_sentence: Option<usize>,
}

/// A run of capitalised tokens waiting to be judged.
#[derive(Debug, Clone)]
pub(crate) struct Seq {
    pub tok: Range<usize>,
    /// Starts a sentence (or follows a colon or an opening quote).
    pub initial: bool,
    /// In a headline-like line.
    pub headline: bool,
}

/// What a name learnt in this article refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Learnt {
    Actor(usize, Form),
    Candidate(usize),
    /// Two different things share it: resolve neither.
    Ambiguous,
}

/// The decisions of the passes.
#[derive(Default)]
pub(crate) struct Found<'a> {
    pub spans: Vec<Span>,
    pub actors: Vec<DocActor<'a>>,
    /// Article actors by id.
    pub actor_ids: FastMap<Cow<'a, str>, usize>,
    /// Article actors by catalog entity.
    pub entity_actors: FastMap<usize, usize>,
    pub candidates: Vec<&'a str>,
    pub candidate_ids: FastMap<&'a str, usize>,
    pub seqs: Vec<Seq>,
    /// Names learnt from this article: people's full names and surnames,
    /// acronyms defined in passing, candidates.
    pub learnt: FastMap<&'a str, Learnt>,
    pub dateline: Option<DatelineHit>,
}

impl<'a> Found<'a> {
    /// The article actor with this id.
    pub fn actor_by_id(&self, id: &str) -> Option<usize> {
        self.actor_ids.get(id).copied()
    }

    /// The article-level actor for a catalog entity (created on first use).
    pub fn known_actor(&mut self, catalog: &'a Catalog, entity: usize) -> usize {
        if let Some(&i) = self.entity_actors.get(&entity) {
            return i;
        }
        let resolved = catalog.resolve(entity);
        let e = &catalog.entities[resolved];
        if let Some(i) = self.actor_by_id(&e.id) {
            self.entity_actors.insert(entity, i);
            return i;
        }
        let i = self.actors.len();
        self.actors.push(DocActor {
            id: Cow::Borrowed(&e.id),
            name: Cow::Borrowed(&e.name),
            kind: e.actor_kind().unwrap_or(Kind::Other),
            role: e.role.as_deref().map(Cow::Borrowed),
            role_from_text: false,
            affiliation: e.affiliation.as_deref().map(Cow::Borrowed),
            affiliation_sentence: None,
        });
        self.actor_ids.insert(Cow::Borrowed(&e.id), i);
        self.entity_actors.insert(entity, i);
        i
    }

    /// A person found in the text (created on first use of the id).
    pub fn text_person(&mut self, id: String, name: &'a str) -> usize {
        if let Some(i) = self.actor_by_id(&id) {
            return i;
        }
        let i = self.actors.len();
        self.actors.push(DocActor {
            id: Cow::Owned(id.clone()),
            name: Cow::Borrowed(name),
            kind: Kind::Person,
            role: None,
            role_from_text: false,
            affiliation: None,
            affiliation_sentence: None,
        });
        self.actor_ids.insert(Cow::Owned(id), i);
        i
    }

    /// The candidate with this text (created on first use).
    pub fn candidate(&mut self, text: &'a str) -> usize {
        if let Some(&i) = self.candidate_ids.get(text) {
            return i;
        }
        let i = self.candidates.len();
        self.candidates.push(text);
        self.candidate_ids.insert(text, i);
        i
    }

    /// Records a name learnt from the article; a second, different meaning
    /// makes it ambiguous.
    pub fn learn(&mut self, key: &'a str, target: Learnt) {
        if key.is_empty() {
            return;
        }
        match self.learnt.get_mut(key) {
            None => {
                self.learnt.insert(key, target);
            }
            Some(existing) => {
                let same = match (*existing, target) {
                    (Learnt::Actor(a, _), Learnt::Actor(b, _)) => a == b,
                    (Learnt::Candidate(a), Learnt::Candidate(b)) => a == b,
                    _ => false,
                };
                if !same {
                    // A full name beats a surname guess for the same key.
                    match (*existing, target) {
                        (Learnt::Actor(_, Form::Surname), Learnt::Actor(_, Form::Name)) => {
                            *existing = target;
                        }
                        (Learnt::Actor(_, Form::Name), Learnt::Actor(_, Form::Surname)) => {}
                        _ => *existing = Learnt::Ambiguous,
                    }
                }
            }
        }
    }

    pub fn push(&mut self, tok: Range<usize>, what: What, form: Form) {
        self.spans.push(Span {
            tok,
            what,
            form,
            modifier: false,
        });
    }
}

/// Runs every pass over one article.
pub(crate) fn run(catalog: &Catalog, matcher: &AliasMatcher, input: &Input) -> Extraction {
    let text = input.text;
    let mut body_start = input.body_start.min(text.len());
    while !text.is_char_boundary(body_start) {
        body_start += 1;
    }
    let body = body_start..text.len();
    let doc = read(text, body, catalog, matcher);
    let mut found = Found {
        dateline: dateline::detect(&doc),
        ..Found::default()
    };
    let definitions = candidates::acronym_definitions(&doc);
    mentions::assemble(&doc, &mut found, &definitions);
    candidates::resolve(&doc, &mut found);
    super::people::fill_affiliations(&doc, &mut found);
    let clauses = super::clauses::analyse(&doc, &found);
    let statements = statements::find(&doc, &found, &clauses);
    let relations = relations::find(&doc, &clauses);
    output::build(&doc, &found, input, statements, relations)
}

/// Tokenises, splits sentences, classifies words and finds alias matches.
fn read<'a>(
    text: &'a str,
    body: Range<usize>,
    catalog: &'a Catalog,
    matcher: &'a AliasMatcher,
) -> Doc<'a> {
    let mut toks = tokenize(text, body.clone());
    let lex = lexicon();
    for t in toks.iter_mut() {
        if !t.is_word() {
            continue;
        }
        t.cls = lex.classes_of(t.text(text));
    }
    let sents = sentences::split_tokens(text, body.clone(), &toks);
    let mut sent_toks = vec![0..0; sents.len()];
    let mut s = 0usize;
    for (i, t) in toks.iter().enumerate() {
        while s + 1 < sents.len() && t.start >= sents[s + 1].start {
            s += 1;
        }
        if let Some(r) = sent_toks.get_mut(s) {
            if r.start == r.end {
                *r = i..i + 1;
            } else {
                r.end = i + 1;
            }
        }
    }
    let mut doc = Doc {
        text,
        toks,
        sents,
        sent_toks,
        gaz: Vec::new(),
        catalog,
        matcher,
    };
    layout::mark(&mut doc);
    find_aliases(&mut doc, body);
    doc
}

/// Asks the automatons for the longest alias at each word start (the
/// uppercase one inside all-caps stretches) and keeps the matches that end on
/// a token boundary.
fn find_aliases(doc: &mut Doc, body: Range<usize>) {
    let lex = lexicon();
    let limit = body.end;
    let n = doc.toks.len();
    let mut i = 0usize;
    while i < n {
        let t = doc.toks[i];
        if !matches!(t.kind, TokKind::Word | TokKind::Number) {
            i += 1;
            continue;
        }
        let upper = t.has(flag::CAPS_STRETCH);
        let Some(m) = doc.matcher.longest_at(doc.text, t.start, limit, upper) else {
            i += 1;
            continue;
        };
        if upper {
            // In capitals "WHO" and "IT" are usually words, not acronyms.
            let word = doc.text.get(m.start..m.end).unwrap_or("");
            let acronym = doc
                .catalog
                .patterns
                .get(m.pattern)
                .is_some_and(|p| p.acronym);
            if acronym && word != "US" && lex.classes_of(word) & class::FUNCTION != 0 {
                i += 1;
                continue;
            }
        }
        let mut j = i;
        while j < n && doc.toks[j].end < m.end {
            j += 1;
        }
        if j >= n || doc.toks[j].end != m.end {
            i += 1;
            continue;
        }
        doc.toks[i].gaz = doc.gaz.len() as u32;
        doc.gaz.push(GazMatch {
            tok: i..j + 1,
            pattern: m.pattern,
        });
        i = j + 1;
    }
}

/// Lowercase word tokens of the article, to tell a capitalised ordinary word
/// ("Talks resumed" when "talks" appears too) from a name.
pub(crate) fn lowercase_words<'a>(doc: &Doc<'a>) -> FastSet<&'a str> {
    doc.toks
        .iter()
        .filter(|t| t.is_lower_word())
        .map(|t| t.text(doc.text))
        .collect()
}
