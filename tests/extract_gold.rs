//! Scores the extractor on the gold set in `tests/fixtures/gold/` (see its
//! README): precision, recall and F1 over actor mentions (span and id), plus
//! places and type-agnostic name spans for information. Fails below actor
//! precision 0.95 or recall 0.90.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use dossier::extract::{Extraction, Extractor, Form, Input};

const GOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gold");

/// A labelled span: (start, end, id). Name spans use an empty id.
type Labelled = (usize, usize, String);

#[derive(Default)]
struct Score {
    tp: usize,
    predicted: usize,
    expected: usize,
}

impl Score {
    fn add(&mut self, predicted: &BTreeSet<Labelled>, expected: &BTreeSet<Labelled>) {
        self.tp += predicted.intersection(expected).count();
        self.predicted += predicted.len();
        self.expected += expected.len();
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.expected)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<12} P {:.3}  R {:.3}  F1 {:.3}  ({} true of {} found, {} expected)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.predicted,
            self.expected
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Where the body starts: after `+++` front matter, if any.
fn body_start(text: &str) -> usize {
    text.strip_prefix("+++\n")
        .and_then(|rest| rest.find("\n+++\n").map(|i| 4 + i + 5))
        .unwrap_or(0)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Byte span of the `n`-th word-bounded occurrence of `needle`.
fn locate(text: &str, needle: &str, n: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (start, _) in text.match_indices(needle) {
        let end = start + needle.len();
        let before = text[..start].chars().next_back().is_some_and(is_word_char);
        let after = text[end..].chars().next().is_some_and(is_word_char);
        if before || after {
            continue;
        }
        seen += 1;
        if seen == n {
            return Some((start, end));
        }
    }
    None
}

/// Parses `"Text"`, `"Text@2"`, `"~Text"` into (span, is_demonym).
fn mention(text: &str, spec: &str, file: &Path) -> ((usize, usize), bool) {
    let (demonym, spec) = match spec.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let (needle, n) = match spec.rsplit_once('@') {
        Some((needle, n)) if n.parse::<usize>().is_ok() => (needle, n.parse().unwrap_or(1)),
        _ => (spec, 1),
    };
    let span = locate(text, needle, n)
        .unwrap_or_else(|| panic!("{}: `{spec}` does not occur in the text", file.display()));
    (span, demonym)
}

struct Expected {
    actors: BTreeSet<Labelled>,
    places: BTreeSet<Labelled>,
    names: BTreeSet<Labelled>,
}

fn expected(text: &str, path: &Path) -> Expected {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table = raw
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Expected {
        actors: BTreeSet::new(),
        places: BTreeSet::new(),
        names: BTreeSet::new(),
    };
    let list = |v: &toml::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(c) = table.get("candidates") {
        for spec in list(c) {
            let ((s, e), _) = mention(text, &spec, path);
            out.names.insert((s, e, String::new()));
        }
    }
    for (section, target) in [("actors", &mut out.actors), ("places", &mut out.places)] {
        let Some(t) = table.get(section).and_then(|v| v.as_table()) else {
            continue;
        };
        for (id, specs) in t {
            for spec in list(specs) {
                let ((s, e), demonym) = mention(text, &spec, path);
                target.insert((s, e, id.clone()));
                if !demonym {
                    out.names.insert((s, e, String::new()));
                }
            }
        }
    }
    out
}

struct Predicted {
    actors: BTreeSet<Labelled>,
    places: BTreeSet<Labelled>,
    names: BTreeSet<Labelled>,
}

fn predicted(out: &Extraction) -> Predicted {
    let mut p = Predicted {
        actors: BTreeSet::new(),
        places: BTreeSet::new(),
        names: BTreeSet::new(),
    };
    for a in &out.actors {
        for m in &a.mentions {
            p.actors.insert((m.start, m.end, a.id.clone()));
            if m.form != Form::Demonym {
                p.names.insert((m.start, m.end, String::new()));
            }
        }
    }
    for pl in &out.places {
        for m in &pl.mentions {
            p.places.insert((m.start, m.end, pl.id.clone()));
            p.names.insert((m.start, m.end, String::new()));
        }
    }
    for c in &out.candidates {
        for m in &c.mentions {
            p.names.insert((m.start, m.end, String::new()));
        }
    }
    p
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(GOLD)
        .expect("the gold directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
        .filter(|p| p.file_name().is_none_or(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

fn show(text: &str, set: &BTreeSet<Labelled>) -> String {
    set.iter()
        .map(|(s, e, id)| format!("{}={id}", &text[*s..*e]))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn gold_set_scores_above_the_bar() {
    let ex = Extractor::new(&[]).expect("the built-in gazetteer loads");
    let files = fixtures();
    assert!(files.len() >= 40, "the gold set has {} texts", files.len());
    let (mut actors, mut places, mut names) =
        (Score::default(), Score::default(), Score::default());
    let mut misses: BTreeMap<String, String> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable fixture");
        let exp_path = file.with_extension("expected.toml");
        let exp = expected(&text, &exp_path);
        let out = ex.extract(&Input {
            text: &text,
            body_start: body_start(&text),
            ..Input::default()
        });
        let got = predicted(&out);
        actors.add(&got.actors, &exp.actors);
        places.add(&got.places, &exp.places);
        names.add(&got.names, &exp.names);
        let extra: BTreeSet<Labelled> = got.actors.difference(&exp.actors).cloned().collect();
        let missing: BTreeSet<Labelled> = exp.actors.difference(&got.actors).cloned().collect();
        let extra_names: BTreeSet<Labelled> = got.names.difference(&exp.names).cloned().collect();
        let missing_names: BTreeSet<Labelled> = exp.names.difference(&got.names).cloned().collect();
        if !(extra.is_empty()
            && missing.is_empty()
            && extra_names.is_empty()
            && missing_names.is_empty())
        {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            misses.insert(
                name,
                format!(
                    "actors +[{}] -[{}]; names +[{}] -[{}]",
                    show(&text, &extra),
                    show(&text, &missing),
                    show(&text, &extra_names),
                    show(&text, &missing_names)
                ),
            );
        }
    }
    println!("gold set: {} texts", files.len());
    println!("{}", actors.line("actors"));
    println!("{}", places.line("places"));
    println!("{}", names.line("name spans"));
    for (file, miss) in &misses {
        println!("  {file}: {miss}");
    }
    assert!(
        actors.precision() >= 0.95,
        "actor precision {:.3} < 0.95",
        actors.precision()
    );
    assert!(
        actors.recall() >= 0.90,
        "actor recall {:.3} < 0.90",
        actors.recall()
    );
    assert!(names.f1() >= 0.85, "name-span F1 {:.3} < 0.85", names.f1());
}
