//! Verbs and their subjects, sentence by sentence: the shared ground of
//! statements and relations.
//!
//! This is deliberately shallow reading, not parsing. In each sentence it finds
//! the reporting verbs ("said", "according to", "called for") and relation
//! verbs ("met", "held talks with", "accused"), then picks each verb's subject
//! among the actors before it: the nearest one that is not the object of a
//! preposition ("talks with Hamas"), not inside "according to …", not a
//! relative clause ("Turkey, which … Qatar, has said"), not the affiliation
//! of a person ("Hamas spokesperson X"). Coordinated actors ("the United
//! States, Qatar and Egypt are urging") share the verb. "X said" after a quote
//! and "said X" both work; a sentence that opens with "They", "It", "He" or
//! "She" continues the previous sentence's subject.

use std::ops::Range;

use super::Kind;
use super::document::{Doc, Found, What};
use super::lexicon::{class, lexicon};
use super::tokens::{TokKind, flag};

/// A verb phrase in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Verb {
    pub tok: Range<usize>,
    /// The phrase as listed ("said", "according to", "held talks").
    pub phrase: &'static str,
    /// For relation verbs, the relation type.
    pub relation: Option<&'static str>,
}

impl Verb {
    pub fn is_according_to(&self) -> bool {
        self.phrase == "according to"
    }
}

/// An actor mention in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct ActorRef {
    pub actor: usize,
    pub tok: Range<usize>,
    pub modifier: bool,
}

/// A verb with its subject(s).
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    pub verb: Verb,
    /// Subject actors (several when coordinated), primary first.
    pub subjects: Vec<usize>,
    /// Token range of the primary subject mention, when in this sentence.
    pub subject_tok: Option<Range<usize>>,
    /// The subject follows the verb ("said Fidan").
    pub inverted: bool,
}

/// One sentence's actors and verb readings.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub index: usize,
    pub toks: Range<usize>,
    pub actors: Vec<ActorRef>,
    pub readings: Vec<Reading>,
}

/// Most verbs read per sentence: bounds the work on pathological input.
const MAX_VERBS: usize = 64;
/// How far back (in tokens) a subject is looked for.
const SUBJECT_WINDOW: usize = 60;

/// Reads every sentence that has an actor (or may continue one).
pub(crate) fn analyse(doc: &Doc, found: &Found) -> Vec<Sentence> {
    let mut out = Vec::new();
    let spans = &found.spans;
    let mut si = 0usize;
    let mut previous: Option<usize> = None;
    let mut verbs: Vec<Verb> = Vec::new();
    for (index, toks) in doc.sent_toks.iter().enumerate() {
        if toks.start >= toks.end {
            continue;
        }
        while si < spans.len() && spans[si].tok.start < toks.start {
            si += 1;
        }
        let first_actor = spans[si..]
            .iter()
            .take_while(|s| s.tok.start < toks.end)
            .find_map(|s| match s.what {
                What::Actor(a) => Some((a, s.tok.start)),
                _ => None,
            });
        let opens_with_pronoun =
            first_word(doc, toks).is_some_and(|k| doc.class(k) & class::PRONOUN != 0);
        let has_verb = toks
            .clone()
            .any(|k| doc.class(k) & (class::REPORTING_HEAD | class::RELATION_HEAD) != 0);
        let readable = first_actor.is_some() || (opens_with_pronoun && previous.is_some());
        if doc.toks[toks.start].has(flag::HEADLINE) || !readable || !has_verb {
            if let Some((a, at)) = first_actor
                && at <= toks.start + 1
            {
                previous = Some(a);
            }
            continue;
        }
        find_verbs(doc, toks.clone(), &mut verbs);
        let actors: Vec<ActorRef> = spans[si..]
            .iter()
            .take_while(|s| s.tok.start < toks.end)
            .filter_map(|s| match s.what {
                What::Actor(a) => Some(ActorRef {
                    actor: a,
                    tok: s.tok.clone(),
                    modifier: s.modifier,
                }),
                _ => None,
            })
            .collect();
        let mut sentence = Sentence {
            index,
            toks: toks.clone(),
            actors,
            readings: Vec::new(),
        };
        read_subjects(doc, found, &mut sentence, &verbs, previous);
        if let Some(r) = sentence
            .readings
            .iter()
            .find(|r| !r.subjects.is_empty() && r.subject_tok.is_some())
        {
            previous = r.subjects.first().copied();
        } else if let Some((a, at)) = first_actor
            && at <= toks.start + 1
        {
            previous = Some(a);
        }
        if !sentence.readings.is_empty() {
            out.push(sentence);
        }
    }
    out
}

fn first_word(doc: &Doc, toks: &Range<usize>) -> Option<usize> {
    toks.clone().find(|&k| doc.toks[k].kind == TokKind::Word)
}

/// Reporting and relation phrases in the sentence, into `out`.
fn find_verbs(doc: &Doc, toks: Range<usize>, out: &mut Vec<Verb>) {
    let lex = lexicon();
    out.clear();
    for k in toks.clone() {
        if out.len() >= MAX_VERBS {
            break;
        }
        let t = doc.toks[k];
        if t.kind != TokKind::Word
            || doc.class(k) & (class::REPORTING_HEAD | class::RELATION_HEAD) == 0
        {
            continue;
        }
        // "Iran-backed", "Turkish-brokered": an adjective, not a verb.
        if t.tight() && k > toks.start && doc.punct(k - 1) == Some('-') {
            continue;
        }
        let word = doc.word(k);
        let first = if t.is_lower_word() {
            word
        } else if word == "According" {
            "according"
        } else {
            continue;
        };
        let phrase_end = |rest: &[&str]| -> Option<usize> {
            let mut e = k + 1;
            for w in rest {
                if e >= toks.end || doc.toks[e].kind != TokKind::Word || doc.word(e) != *w {
                    return None;
                }
                e += 1;
            }
            Some(e)
        };
        if let Some(phrases) = lex.reporting(first)
            && let Some((p, end)) = phrases
                .iter()
                .find_map(|p| phrase_end(&p.rest).map(|e| (p, e)))
        {
            out.push(Verb {
                tok: k..end,
                phrase: p.text,
                relation: None,
            });
        }
        if let Some(phrases) = lex.relations(first)
            && let Some((p, end)) = phrases
                .iter()
                .find_map(|p| phrase_end(&p.rest).map(|e| (p, e)))
        {
            out.push(Verb {
                tok: k..end,
                phrase: p.text,
                relation: Some(p.label),
            });
        }
    }
}

/// Token ranges inside "according to …," and ", which …," in the sentence.
fn side_regions(
    doc: &Doc,
    toks: &Range<usize>,
    verbs: &[Verb],
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let until_comma = |from: usize| -> usize {
        (from..toks.end)
            .find(|&k| matches!(doc.punct(k), Some(',' | ';' | ':')))
            .unwrap_or(toks.end)
    };
    let according: Vec<Range<usize>> = verbs
        .iter()
        .filter(|v| v.is_according_to())
        .map(|v| v.tok.end..until_comma(v.tok.end))
        .collect();
    let mut relative = Vec::new();
    for k in toks.clone() {
        if doc.punct(k) == Some(',')
            && matches!(
                doc.word(k + 1),
                "which" | "who" | "whom" | "whose" | "where"
            )
        {
            relative.push(k + 1..until_comma(k + 1));
        }
    }
    (according, relative)
}

fn inside(regions: &[Range<usize>], k: usize) -> bool {
    regions.iter().any(|r| r.contains(&k))
}

/// Prepositions after which an actor is an object, not a subject ("talks
/// with Hamas"). "of", "for" and "by" are left out: "a spokesman for Hamas
/// said" is Hamas speaking.
fn object_preposition(word: &str) -> bool {
    matches!(
        word,
        "with"
            | "against"
            | "to"
            | "from"
            | "in"
            | "at"
            | "on"
            | "between"
            | "into"
            | "onto"
            | "toward"
            | "towards"
            | "than"
            | "over"
            | "under"
            | "about"
            | "after"
            | "before"
            | "during"
            | "despite"
            | "like"
            | "across"
            | "through"
            | "via"
            | "near"
            | "among"
            | "amid"
            | "versus"
            | "including"
    )
}

fn read_subjects(
    doc: &Doc,
    found: &Found,
    sentence: &mut Sentence,
    verbs: &[Verb],
    previous: Option<usize>,
) {
    let toks = sentence.toks.clone();
    let (according, relative) = side_regions(doc, &toks, verbs);
    for verb in verbs {
        if inside(&relative, verb.tok.start) {
            continue;
        }
        if verb.is_according_to() {
            let np = according
                .iter()
                .find(|r| r.start == verb.tok.end)
                .cloned()
                .unwrap_or(verb.tok.end..verb.tok.end);
            let subject = sentence
                .actors
                .iter()
                .filter(|r| np.contains(&r.tok.start))
                .min_by_key(|r| (r.modifier, r.tok.start));
            if let Some(s) = subject {
                sentence.readings.push(Reading {
                    verb: verb.clone(),
                    subjects: vec![s.actor],
                    subject_tok: Some(s.tok.clone()),
                    inverted: false,
                });
            }
            continue;
        }
        let walk = NounPhraseWalk {
            doc,
            actors: &sentence.actors,
            according: &according,
            verbs,
            floor: toks
                .start
                .max(verb.tok.start.saturating_sub(SUBJECT_WINDOW)),
        };
        if let Some(p) = walk.subject(verb.tok.start) {
            let subjects = coordinated(doc, &sentence.actors, p);
            sentence.readings.push(Reading {
                verb: verb.clone(),
                subjects,
                subject_tok: Some(p.tok.clone()),
                inverted: false,
            });
            continue;
        }
        // ", adding that …", "said … but accused …": a participle or a
        // coordinated verb shares the subject of the verb before it.
        let mut b = verb.tok.start;
        while b > toks.start
            && doc.toks[b - 1].is_lower_word()
            && doc.class(b - 1) & class::AUXILIARY != 0
        {
            b -= 1;
        }
        let participle = doc.word(verb.tok.start).ends_with("ing")
            && verb.tok.start > toks.start
            && doc.punct(verb.tok.start - 1) == Some(',');
        let coordinated_verb = b > toks.start && matches!(doc.word(b - 1), "but" | "and");
        if (participle || coordinated_verb)
            && let Some(last) = sentence
                .readings
                .iter()
                .rev()
                .find(|r| r.verb.tok.end < verb.tok.start)
        {
            let subjects = last.subjects.clone();
            let subject_tok = last.subject_tok.clone();
            sentence.readings.push(Reading {
                verb: verb.clone(),
                subjects,
                subject_tok,
                inverted: false,
            });
            continue;
        }
        if let Some(s) = inverted_subject(doc, &sentence.actors, verb, toks.end) {
            let tok = s.tok.clone();
            sentence.readings.push(Reading {
                verb: verb.clone(),
                subjects: vec![s.actor],
                subject_tok: Some(tok),
                inverted: true,
            });
            continue;
        }
        if let Some(p) = previous
            && let Some(pronoun) = pronoun_before(doc, &toks, verb)
            && compatible(pronoun, found.actors[p].kind)
        {
            sentence.readings.push(Reading {
                verb: verb.clone(),
                subjects: vec![p],
                subject_tok: None,
                inverted: false,
            });
        }
    }
}

/// Walks back from a verb through its subject noun phrase ("the Gaza Health
/// Ministry", "Hamas officials", "a Turkish diplomatic source", "Turkey,
/// which has …,") looking for the actor it names.
struct NounPhraseWalk<'a, 'd> {
    doc: &'a Doc<'d>,
    actors: &'a [ActorRef],
    according: &'a [Range<usize>],
    verbs: &'a [Verb],
    floor: usize,
}

impl NounPhraseWalk<'_, '_> {
    /// Longest noun phrase walked, in tokens.
    const MAX_STEPS: usize = 14;

    fn subject(&self, verb_start: usize) -> Option<&ActorRef> {
        let doc = self.doc;
        let mut k = verb_start;
        while k > self.floor
            && doc.toks[k - 1].is_lower_word()
            && doc.class(k - 1) & class::AUXILIARY != 0
        {
            k -= 1;
        }
        if k > self.floor && doc.punct(k - 1) == Some(',') {
            // "Turkey, which has …, has said" / "Fidan, Turkey's foreign
            // minister, said": jump over the inserted clause.
            let comma = (self.floor..k - 1)
                .rev()
                .take(20)
                .find(|&j| doc.punct(j) == Some(','))?;
            let has_verb = self
                .verbs
                .iter()
                .any(|v| (comma + 1..k - 1).contains(&v.tok.start));
            let relative = matches!(doc.word(comma + 1), "which" | "who" | "whose" | "where");
            if has_verb && !relative {
                return None;
            }
            k = comma;
        }
        let mut steps = 0usize;
        while k > self.floor && steps < Self::MAX_STEPS {
            if let Some(r) = self.actors.iter().rev().find(|r| r.tok.end == k) {
                if self.eligible(r) {
                    return Some(r);
                }
                k = r.tok.start;
                steps += 1;
                continue;
            }
            let j = k - 1;
            let t = doc.toks[j];
            match t.kind {
                TokKind::Punct if !matches!(doc.punct(j), Some('-' | '&' | '.' | '\'')) => {
                    return None;
                }
                TokKind::Word
                    if t.is_lower_word()
                        && (doc.class(j) & class::CLAUSE_STOP != 0
                            || self.verbs.iter().any(|v| v.tok.end == k)) =>
                {
                    return None;
                }
                _ => {}
            }
            k = j;
            steps += 1;
        }
        None
    }

    fn eligible(&self, r: &ActorRef) -> bool {
        if r.modifier || inside(self.according, r.tok.start) {
            return false;
        }
        let doc = self.doc;
        let mut k = r.tok.start;
        while k > 0 {
            k -= 1;
            let t = doc.toks[k];
            if t.is_lower_word()
                && doc.class(k) & class::DETERMINER != 0
                && !object_preposition(doc.word(k))
            {
                continue;
            }
            return !(t.is_lower_word() && object_preposition(doc.word(k)));
        }
        true
    }
}

/// The primary subject and the actors coordinated with it ("the United
/// States, Qatar and Egypt"). A chain needs an "and": commas alone join
/// clauses, not subjects.
fn coordinated(doc: &Doc, actors: &[ActorRef], primary: &ActorRef) -> Vec<usize> {
    let Some(pos) = actors.iter().position(|r| r.tok == primary.tok) else {
        return vec![primary.actor];
    };
    chain(doc, actors, pos)
}

/// Actors joined to `actors[pos]` by commas and "and", if an "and" is among
/// the joints.
pub(crate) fn chain(doc: &Doc, actors: &[ActorRef], pos: usize) -> Vec<usize> {
    let joint = |a: &ActorRef, b: &ActorRef| -> Option<bool> {
        if a.tok.end > b.tok.start || b.tok.start - a.tok.end > 3 {
            return None;
        }
        let mut and = false;
        for k in a.tok.end..b.tok.start {
            match (doc.punct(k), doc.word(k)) {
                (Some(','), _) => {}
                (_, "and") => and = true,
                (_, "the") => {}
                _ => return None,
            }
        }
        Some(and)
    };
    let mut lo = pos;
    let mut hi = pos;
    let mut has_and = false;
    while lo > 0 {
        match joint(&actors[lo - 1], &actors[lo]) {
            Some(a) if !actors[lo - 1].modifier => {
                has_and |= a;
                lo -= 1;
            }
            _ => break,
        }
    }
    while hi + 1 < actors.len() {
        match joint(&actors[hi], &actors[hi + 1]) {
            Some(a) if !actors[hi + 1].modifier => {
                has_and |= a;
                hi += 1;
            }
            _ => break,
        }
    }
    let mut out = vec![actors[pos].actor];
    if has_and {
        for r in &actors[lo..=hi] {
            if !out.contains(&r.actor) {
                out.push(r.actor);
            }
        }
    }
    out
}

/// "…,” said Foreign Minister Hakan Fidan." — the actor right after the verb,
/// ending the sentence or clause.
fn inverted_subject<'a>(
    doc: &Doc,
    actors: &'a [ActorRef],
    verb: &Verb,
    end: usize,
) -> Option<&'a ActorRef> {
    let r = actors.iter().find(|r| r.tok.start >= verb.tok.end)?;
    let between_ok = (verb.tok.end..r.tok.start).all(|k| {
        let c = doc.class(k);
        c & (class::TITLE_HEAD | class::TITLE_MOD | class::HONORIFIC | class::DETERMINER) != 0
            || doc.toks[k].kind == TokKind::Possessive
    });
    if !between_ok || r.tok.start > verb.tok.end + 6 {
        return None;
    }
    // A modifier is followed by its person; take the person.
    let r = if r.modifier {
        actors.iter().find(|x| x.tok.start > r.tok.start)?
    } else {
        r
    };
    let after = r.tok.end;
    let closes = after >= end
        || matches!(doc.punct(after), Some(',' | '.' | ';' | '!' | '?'))
        || doc.word(after) == "on"
        || doc.word(after) == "in";
    closes.then_some(r)
}

/// A pronoun subject right before the verb (past auxiliaries), or opening
/// the sentence.
fn pronoun_before<'a>(doc: &Doc<'a>, toks: &Range<usize>, verb: &Verb) -> Option<&'a str> {
    let mut k = verb.tok.start;
    while k > toks.start {
        k -= 1;
        let t = doc.toks[k];
        if t.kind != TokKind::Word {
            break;
        }
        let c = doc.class(k);
        if c & class::PRONOUN != 0 {
            return Some(doc.word(k));
        }
        if c & class::AUXILIARY == 0 {
            break;
        }
    }
    let first = first_word(doc, toks)?;
    if doc.class(first) & class::PRONOUN != 0 && first + 40 >= verb.tok.start {
        return Some(doc.word(first));
    }
    None
}

fn compatible(pronoun: &str, kind: Kind) -> bool {
    match pronoun.to_ascii_lowercase().as_str() {
        "he" | "she" => kind == Kind::Person,
        "it" => kind != Kind::Person,
        _ => true,
    }
}
