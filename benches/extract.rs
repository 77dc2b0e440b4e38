//! Extraction throughput on generated news-like text.
//!
//! The corpus is made deterministically here (a fixed pseudo-random sequence
//! over sentence templates with states, capitals, organisations, people by
//! title, unknown names, reporting verbs, and plain prose for a third of the
//! sentences), about 4 MB of short articles, so the figure is reproducible
//! anywhere. It is denser in names than real copy (one name per ~55 bytes;
//! the sample briefing in ../shared/seed has one per ~70):
//!
//!     cargo bench --bench extract
//!
//! Two workloads: per article (the way a build calls it) and one 4 MB
//! document (the worst case for per-document tables). Each is measured in
//! wall-clock time (`extract/...`) and in CPU time of the benchmark thread
//! (`extract_cpu/...`, read from `/proc/thread-self/schedstat`): on a shared
//! machine the wall clock also counts the time other processes hold the core,
//! and the requirement is a throughput on one core.

use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dossier::extract::{Extractor, Input};

/// xorshift64*: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const STATES: &[&str] = &[
    "Turkey",
    "Israel",
    "Egypt",
    "Qatar",
    "the United States",
    "Iran",
    "Russia",
    "Ukraine",
    "China",
    "Saudi Arabia",
    "Jordan",
    "Lebanon",
    "Syria",
    "France",
    "Germany",
    "the U.S.",
    "Britain",
    "Sudan",
    "Chad",
    "Niger",
    "Nigeria",
    "Georgia",
];
const DEMONYMS: &[&str] = &[
    "Turkish",
    "Israeli",
    "Egyptian",
    "Qatari",
    "American",
    "Iranian",
    "Russian",
    "Ukrainian",
    "Chinese",
    "Saudi",
    "Jordanian",
    "Lebanese",
    "Syrian",
    "French",
    "German",
    "British",
];
const CAPITALS: &[&str] = &[
    "Ankara",
    "Cairo",
    "Doha",
    "Washington",
    "Tehran",
    "Moscow",
    "Kyiv",
    "Beijing",
];
const ORGS: &[&str] = &[
    "Hamas",
    "Hezbollah",
    "the United Nations",
    "the UN",
    "UNRWA",
    "the European Union",
    "NATO",
    "the World Health Organization",
    "the Red Cross",
    "the African Union",
    "the IAEA",
    "the Houthis",
];
const PEOPLE: &[&str] = &[
    "Foreign Minister Hakan Fidan",
    "President Recep Tayyip Erdoğan",
    "Prime Minister Benjamin Netanyahu",
    "U.S. Secretary of State Marco Rubio",
    "Hamas spokesperson Hazem Qassem",
    "Mr Straw",
    "Defence Minister Leyla Aksoy",
    "senior official Omar Haddad",
    "President Abdel Fattah al-Sisi",
    "European Commission President Ursula von der Leyen",
    "envoy Staffan de Mistura",
];
const UNKNOWN: &[&str] = &[
    "the Gaza Recovery Forum",
    "Nasser Hospital",
    "Leila Mansour",
    "the Joint Monitoring Committee",
    "Karim Nasser",
    "the University of Southern Indiana",
    "Bank of Tomorrow",
    "John Smith",
];
const PLACES: &[&str] = &[
    "Gaza",
    "Rafah",
    "Khan Younis",
    "the West Bank",
    "Beirut",
    "Aleppo",
    "Gaza City",
];
const VERBS: &[&str] = &[
    "said",
    "told reporters",
    "warned",
    "accused",
    "urged",
    "met",
    "held talks with",
    "condemned",
];
const OPENERS: &[&str] = &[
    "Meanwhile,",
    "However,",
    "On Monday,",
    "Despite the truce,",
    "According to officials,",
    "Diplomatic sources said",
    "",
];
/// Sentences with few or no names, as most of a real story is.
const PROSE: &[&str] = &[
    "The agreement, reached after weeks of negotiations, calls for a phased withdrawal of troops and the release of detainees held by both sides.",
    "Residents said the night had been the quietest in months, although shelling was still heard near the coast before dawn.",
    "Aid workers warned that the coming winter would make conditions in the crowded shelters even worse for families with young children.",
    "Prices for flour, cooking gas and medicine have tripled since the crossings were closed, according to traders in the central markets.",
    "The second phase of the deal is expected to address governance, reconstruction and the future of armed groups in the territory.",
    "Negotiators have so far failed to agree on a timetable, and several deadlines have passed without any public explanation.",
    "Hospitals in the south are operating at more than twice their capacity, with patients treated in corridors and tents outside.",
    "Officials on both sides have traded accusations of violations, but neither has formally withdrawn from the arrangement.",
];
const FILLER: &[&str] = &[
    "the ceasefire would hold if both sides kept their commitments",
    "aid deliveries remained insufficient for the population",
    "talks on the second phase of the agreement were moving forward",
    "the situation on the ground remained tense after overnight strikes",
    "a lasting solution was needed to address the humanitarian crisis",
    "negotiators would meet again next week to review the proposal",
];

fn sentence(r: &mut Rng) -> String {
    match r.next() % 8 {
        0 => format!(
            "{} {} {} {}.",
            r.pick(OPENERS),
            r.pick(STATES),
            r.pick(VERBS),
            r.pick(FILLER)
        ),
        1 => format!(
            "{} officials {} {} in {}.",
            r.pick(DEMONYMS),
            r.pick(VERBS),
            r.pick(ORGS),
            r.pick(PLACES)
        ),
        2 => format!(
            "{} {} that {}, {} said.",
            r.pick(PEOPLE),
            r.pick(VERBS),
            r.pick(FILLER),
            r.pick(CAPITALS)
        ),
        3 => format!(
            "“{},” {} said in {}.",
            r.pick(FILLER),
            r.pick(PEOPLE),
            r.pick(CAPITALS)
        ),
        4 => format!(
            "{} and {} {} {}, according to {}.",
            r.pick(STATES),
            r.pick(STATES),
            r.pick(VERBS),
            r.pick(ORGS),
            r.pick(UNKNOWN)
        ),
        5 => format!(
            "{} {} {}, while {} accused {} of violations.",
            r.pick(UNKNOWN),
            r.pick(VERBS),
            r.pick(FILLER),
            r.pick(ORGS),
            r.pick(STATES)
        ),
        6 => format!(
            "The {}-brokered plan was discussed in {} with {}.",
            r.pick(DEMONYMS),
            r.pick(CAPITALS),
            r.pick(ORGS)
        ),
        _ => format!(
            "{} {} the {} proposal on {}.",
            r.pick(CAPITALS),
            r.pick(VERBS),
            r.pick(DEMONYMS),
            r.pick(PLACES)
        ),
    }
}

fn article(r: &mut Rng) -> String {
    let mut s = format!("{}: ", r.pick(CAPITALS).to_uppercase());
    let paragraphs = 3 + r.next() % 4;
    for _ in 0..paragraphs {
        let sentences = 2 + r.next() % 4;
        for _ in 0..sentences {
            // One sentence in three is plain prose; the rest are dense with
            // names, so the corpus is denser than real copy.
            if r.next().is_multiple_of(3) {
                s.push_str(r.pick(PROSE));
            } else {
                s.push_str(sentence(r).trim_start());
            }
            s.push(' ');
        }
        s.push_str("\n\n");
    }
    s
}

fn corpus(bytes: usize) -> Vec<String> {
    let mut r = Rng(0x5eed_1234_abcd_ef01);
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let a = article(&mut r);
        total += a.len();
        out.push(a);
    }
    out
}

/// CPU time of the current thread, in nanoseconds (falls back to the wall
/// clock where `/proc/thread-self/schedstat` is missing).
struct CpuTime;

fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

static WALL: WallTime = WallTime;
static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

fn now_ns() -> u64 {
    thread_cpu_ns().unwrap_or_else(|| {
        let epoch = EPOCH.get_or_init(std::time::Instant::now);
        u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    })
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        now_ns()
    }
    fn end(&self, start: u64) -> u64 {
        now_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

fn bench_cpu(c: &mut Criterion<CpuTime>) {
    let ex = Extractor::new(&[]).expect("the built-in gazetteer loads");
    let articles = corpus(4 << 20);
    let total: usize = articles.iter().map(String::len).sum();
    let joined = articles.concat();
    let mut group = c.benchmark_group("extract_cpu");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function("articles_4MB", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(ex.extract(&Input {
                    text: a,
                    ..Input::default()
                }));
            }
        })
    });
    group.bench_function("one_document_4MB", |b| {
        b.iter(|| {
            black_box(ex.extract(&Input {
                text: &joined,
                ..Input::default()
            }))
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let ex = Extractor::new(&[]).expect("the built-in gazetteer loads");
    let articles = corpus(4 << 20);
    let total: usize = articles.iter().map(String::len).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function("articles_4MB", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(ex.extract(&Input {
                    text: a,
                    ..Input::default()
                }));
            }
        })
    });
    let joined = articles.concat();
    group.bench_function("one_document_4MB", |b| {
        b.iter(|| {
            black_box(ex.extract(&Input {
                text: &joined,
                ..Input::default()
            }))
        })
    });
    group.finish();
    c.bench_function("extractor_new", |b| {
        b.iter(|| black_box(Extractor::new(&[])))
    });
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
