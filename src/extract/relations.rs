//! Relations: what one actor did to another within one sentence, from the
//! relation verbs the clause reader found ("met", "held talks with",
//! "accused", "urged", "mediated", ...).
//!
//! The source is the verb's subject; the target is the first actor after the
//! verb in the same clause (a relative clause, "that", a quote or a semicolon
//! ends the search), plus any actors coordinated with it ("mediated between
//! Israel and Hamas"). For symmetric types a coordinated subject with no
//! target relates its members ("Turkey and Qatar held talks").

use super::clauses::{Reading, Sentence, chain};
use super::document::Doc;
use super::lexicon::{Lexicon, class};

/// A relation before actor ids are assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Did {
    pub source: usize,
    pub target: usize,
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// How far after the verb, in tokens, a target is looked for.
const TARGET_WINDOW: usize = 15;

/// Finds the relations of every sentence.
pub(crate) fn find(doc: &Doc, sentences: &[Sentence]) -> Vec<Did> {
    let mut out: Vec<Did> = Vec::new();
    for s in sentences {
        let bytes = doc.sents[s.index].clone();
        // Duplicates can only come from the same sentence.
        let first = out.len();
        for r in &s.readings {
            let Some(kind) = r.verb.relation else {
                continue;
            };
            if r.subjects.is_empty() || negated(doc, r) {
                continue;
            }
            let targets = targets(doc, s, r);
            let mut push = |source: usize, target: usize| {
                let d = Did {
                    source,
                    target,
                    kind,
                    start: bytes.start,
                    end: bytes.end,
                };
                if source != target && !out[first..].contains(&d) {
                    out.push(d);
                }
            };
            if targets.is_empty() {
                if Lexicon::is_symmetric(kind) && r.subjects.len() >= 2 {
                    for &other in &r.subjects[1..] {
                        push(r.subjects[0], other);
                    }
                }
                continue;
            }
            for &source in &r.subjects {
                for &target in &targets {
                    if !r.subjects.contains(&target) {
                        push(source, target);
                    }
                }
            }
        }
    }
    out
}

/// Is token `k` the end of the clause the verb opened?
fn stops(doc: &Doc, k: usize) -> bool {
    matches!(doc.punct(k), Some(';' | ':' | '“' | '”' | '"' | '(' | '.'))
        || (doc.toks[k].is_lower_word() && doc.class(k) & class::CLAUSE_STOP != 0)
}

fn targets(doc: &Doc, s: &Sentence, r: &Reading) -> Vec<usize> {
    let start = r.verb.tok.end;
    let limit = (start + TARGET_WINDOW).min(s.toks.end);
    for (pos, a) in s.actors.iter().enumerate() {
        if a.tok.start < start || r.subject_tok.as_ref() == Some(&a.tok) {
            continue;
        }
        if a.tok.start >= limit || (start..a.tok.start).any(|j| stops(doc, j)) {
            break;
        }
        if a.modifier {
            continue;
        }
        return chain(doc, &s.actors, pos);
    }
    Vec::new()
}

/// "denied supporting", "did not meet": the relation is negated.
fn negated(doc: &Doc, r: &Reading) -> bool {
    let k = r.verb.tok.start;
    (k.saturating_sub(3)..k).any(|j| {
        matches!(
            doc.word(j),
            "not"
                | "never"
                | "no"
                | "denied"
                | "denies"
                | "deny"
                | "denying"
                | "refused"
                | "declined"
        )
    })
}
