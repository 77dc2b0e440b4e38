//! Inputs found by the fuzz targets in `fuzz/`, replayed in `cargo test` through the
//! same calls and assertions as the targets (`fuzz/oracle.rs`).
//!
//! A crash or timeout that `scripts/fuzz.sh` reports is shrunk with
//! `cargo fuzz tmin` and added to the list of its target here, named by the first
//! characters of its file name under `fuzz/artifacts/<target>/`. The lists also hold
//! inputs of the fuzzers' corpora that reach unusual paths (cut-up front matter,
//! control characters, CR line ends, unterminated constructs), so that the suite
//! keeps walking those paths without the fuzzer.

#[path = "../fuzz/oracle.rs"]
mod oracle;

use std::sync::OnceLock;

use dossier::extract::Extractor;

/// `fuzz/fuzz_targets/frontmatter.rs`: Markdown briefing and registry parsing.
const FRONTMATTER: &[(&str, &str)] = &[
    // e57a183fd7: registry front matter: a misspelt field, a misspelt kind, non-ASCII aliases (174 bytes).
    (
        "e57a183fd7",
        "+++\n\
        name = \"Turkey\"\n\
        kind = \"tate\"\n\
        aliases = [\"Türkiye\", \"c of Türkiye\"]\n\
        wikidatses = [\"Türkiye\", \"Turkiye\", \"Republic of Türkiye\"]\n\
        wikidata = \"Q43\"\n\
        +++\n\
        \n\
        Tu025, a = \"age.\n",
    ),
    // 601685600c: an unknown field, NUL and DEL in the body, a stray `++` line (133 bytes).
    (
        "601685600c",
        "+++\n\
        name = \"Dossier\"\n\
        ignokind = \"othep\"\n\
        aliases = [\"Dossier\", \"Dossier desk\"]\n\
        ignore = true\n\
        +++\n\
        \n\
        \"Do\0\x7fier\" apore = true\n\
        ++ind = \"ot.\n",
    ),
    // 7c5d3898f0: escaped backslashes and an empty string in `topics`, `draft = true` (223 bytes).
    (
        "7c5d3898f0",
        "+++\n\
        title = \"Wor0king notes: nd the West Bank\"\n\
        date = 2026-11-28\n\
        yummary = \"Draft background note on the Palestinian Au\"\n\
        topics = [\"palesti\\\\\\nian-authority\", \"\"]\n\
        draft = true\n\
        +++\n\
        \n\
        *Work in progress. Not for  and EU pages.\n",
    ),
    // 8876e81337: a comment holding NUL bytes, a CRLF closing line, a vertical tab body (20 bytes).
    (
        "8876e81337",
        "+++\n\
        #\n\
        \x20 #0\0\0\n\
        +++\r\n\
        \x0b\n",
    ),
    // 29ab43a2c7: an unterminated multi-line string inside the front matter (11 bytes).
    (
        "29ab43a2c7",
        "+++\n\
        \"\"\"\n\
        +++",
    ),
    // ca0950646a: front matter that never closes (5 bytes).
    (
        "ca0950646a",
        "+++\n\
        +",
    ),
    // 4924f0ea95: a control character for a space, a date followed by junk (61 bytes).
    (
        "4924f0ea95",
        "+++\n\
        title\x1c=lehhose\"\n\
        date = 2026-11-26 2ov t\n\
        +++\n\
        \n\
        !\0op+++\n\
        txt`",
    ),
];

/// `fuzz/fuzz_targets/wire.rs`: `.txt` headline, dateline and title rules.
const WIRE: &[(&str, &str)] = &[
    // 110302ca35: a dateline-like `AWWz:` followed by NUL (8 bytes).
    (
        "110302ca35",
        "AWWz:\0\n\
        [",
    ),
    // 3d49f2564c: a one-line headline ending in a multi-byte character (11 bytes).
    (
        "3d49f2564c",
        "W ₔ\n\
        W ₔ",
    ),
    // e0b3a6aedf: a carriage return before a month-and-day date (9 bytes).
    ("e0b3a6aedf", "M\rApr 1 *"),
    // d774024062: a two-line story whose second line is a bare dateline (6 bytes).
    ("d774024062", "W B\nW:"),
];

/// `fuzz/fuzz_targets/extract.rs`: extraction.
const EXTRACT: &[(&str, &str)] = &[
    // a70893d3ad: an acronym and a reporting verb among NUL bytes and entities (74 bytes).
    (
        "a70893d3ad",
        "$&#eO#-NZ&urged[mmmV%EX X#\0 V,V\0VbinCB\0m>\rmp,V-En X  X V,UU\0\x04X X VOX XYXV,",
    ),
    // 809c96814b: capitalised runs on both sides of the verb `accuses` (132 bytes).
    (
        "809c96814b",
        "ZEZ y y  y DARNAH-NZ&urge;d,Z##o accuses BAR ,, #ZONEN BAR   #,o y y  ARNAH-NZ&urge;d,Z##o accuses BAR ,, #RONEN BAR   y y  y y y A\n",
    ),
    // f994f5e3e2: a dateline, titles, possessives, `according to` and a non-ASCII name, cut up (483 bytes).
    (
        "f994f5e3e2",
        "Sharm el-Sheikh: World leaders meVNXt in Egypt on Monday to back the Gaza ceasefire, hours after the last livin' hostages were freed.\n\
        \n\
        U.S. President Donald Trump and \0\0\0(according to Egyptian officials.\n\
        \n\
        Trump, al-Sisi, Qatar's Emir Sheikh Tabbas took part, as did UN Secretary-General António Gy would play its part in moniesidency. Turkish officials have said Ankara is ready to send huming the territory without displacii''''''''\0\0&&&&&ng its population&&&ZBENNEVADA(N.\n\
        A)&&&&''",
    ),
    // 72cc568ffe: front matter, so the body starts after it, and a biography with a NUL-filled name (374 bytes).
    (
        "72cc568ffe",
        "+++\n\
        name = \"\x01\0\0\0\0\0\0\x06dan\"\n\
        kind = \"person\"\n\
        aliases = [\"Fidan\"]\n\
        affiliation = \"turkey\"\n\
        +++\n\
        \n\
        Hakan Fidan has been Turk%n a decade as head of the national intelligence organisation. He leads Ankara's contacts#with Hamas and with the other mediators on the Gaza ceasefire, and has repeatedly called for a permanent truce, unrestricted humanitarian access and a Palestinian state.\n",
    ),
];

/// `fuzz/fuzz_targets/markdown.rs`: rendering with mention links, as
/// (text, raw link spans, smart punctuation).
type MarkdownInput = (&'static str, &'static str, &'static [(u16, u8)], bool);
const MARKDOWN: &[MarkdownInput] = &[
    // 0833483993: a bracket pair split by a CRLF, unbalanced code spans, a bare `&#` (54 bytes).
    (
        "0833483993",
        "\n\
            [Z\r\n\
            ]([\n\
            (````[]`R\n\
            <S\n\
            imgP|S#$#]]]\\\n\
            -``[\n\
            `#&#]`\\\0\0\0\n\
            `2",
        &[(65535, 255)],
        true,
    ),
    // 114bb068a5: table pipes with CR line ends, raw `<P>` tags, DEL, two mention spans (173 bytes).
    (
        "114bb068a5",
        "<P><O*`2;|\r\n\
            |\n\
            ||\r|\n\
            |||\r\n\
            |||\n\
            1|\r\n\
            |\n\
            ||\r|\x07|||\r\n\
            ||\r1\x7f1\n\
            ?rtc'<P?<P`\\\n\
            -\n\
            [``#&O*P' \n\
            -``[\n\
            `#&#]`ZZZZZZZZZZZZZZZZZZZZ```[,\n\
            `#&#]&#]````[\n\
            `#&#]]]\\\n\
            -\x0b\n\
            \x05\x14-\n\
            `#&#\x0b\n\
            \x05\x14-````[\n\
            #`&##&#]];`[\n\
            `",
        &[(8998, 93), (24669, 96)],
        true,
    ),
    // 936f98dd1d: footnote-like references full of NUL bytes, a raw `<P>` tag (342 bytes).
    (
        "936f98dd1d",
        "\n\
            [^\"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0~\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'+]\n\
            \x20F\x10@\x1a\x10[0\n\
            \n\
            [^\"'+]\n\
            \x20<P>P\n\
            [\0; \x1f\t' '  \t\t `]]]]]]]]&##&NNNNNNNNF\x10&NNNNNNNNNNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxN*NNNNNNNNNNNNNNNNNNNNNNNNNNNNDDDDDDDDDDD\0\n\
            \x20+\n\
            `",
        &[(65535, 95)],
        true,
    ),
    // 4ba5f1abe0: a raw `<table>` among code spans, NUL bytes and form feeds, nine mention spans (260 bytes).
    (
        "4ba5f1abe0",
        "\n\
            -<\0&#]d```[]`#$#]]]\\\n\
            &#]````[]`#$#]]\\\n\
            -``[\n\
            `#&#]`\\\0\0\0\n\
            -\0<&#]````[]`#$#]]]`[]`#$#]]]\\\n\
            -``[\n\
            `#&#]`\\\0\0\0\n\
            `2;`\n\
            `\\[\n\
            -<\0&#]````[]`#$#]]]\\\n\
            -``[\n\
            `#\\\n\
            -``[\n\
            `#&#]`\\\0\0\0\n\
            _____&_________<<<\x04<\n\
            >>\x02P<table>+\r\n\
            \x0c\n\
            *\0\0\x01\x0f_{=\0 '\x006<`[]&=[]'\t\0\0\0\0\0\0\0J\0\0\0@\0jjjJjjjjjjjj\\A\0\0\n\
            q\0\x0c\n\
            *\n\
            q!\t CCC",
        &[
            (0, 0),
            (46975, 106),
            (65313, 255),
            (65535, 255),
            (65535, 255),
            (65535, 255),
            (24415, 95),
            (24415, 91),
            (11070, 10),
        ],
        true,
    ),
];

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&[]).expect("the embedded gazetteer loads"))
}

/// Runs `check` on every input, naming the input that fails.
fn replay<T>(inputs: &[T], name: impl Fn(&T) -> &str, check: impl Fn(&T)) {
    for input in inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(input)));
        if let Err(panic) = outcome {
            eprintln!("fuzz input {} fails", name(input));
            std::panic::resume_unwind(panic);
        }
    }
}

#[test]
fn frontmatter_inputs() {
    replay(
        FRONTMATTER,
        |i| i.0,
        |(_, text)| oracle::frontmatter(text.as_bytes()),
    );
}

#[test]
fn wire_inputs() {
    replay(WIRE, |i| i.0, |(_, text)| oracle::wire(text.as_bytes()));
}

#[test]
fn extract_inputs() {
    replay(
        EXTRACT,
        |i| i.0,
        |(_, text)| oracle::extract(extractor(), text.as_bytes()),
    );
}

#[test]
fn markdown_inputs() {
    replay(
        MARKDOWN,
        |i| i.0,
        |(_, text, spans, smart)| oracle::markdown(text, spans, *smart),
    );
}

/// The text inputs of the other targets are bodies too.
#[test]
fn every_text_input_renders_safely() {
    let texts = FRONTMATTER.iter().chain(WIRE).chain(EXTRACT);
    replay(
        &texts.collect::<Vec<_>>(),
        |i| i.0,
        |(_, text)| oracle::markdown(text, &[(0, 5), (9, 3), (20, 15)], true),
    );
}

/// The HTML check the markdown target relies on finds the vectors it is meant to
/// find, and passes the markup the renderer writes.
#[test]
fn the_html_oracle_finds_script_vectors() {
    let unsafe_html = [
        "<p>x<script>alert(1)</script></p>",
        "<p><SCRIPT SRC=//x></SCRIPT></p>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"#\" OnClick=\"go()\">x</a>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
        "<a href=\"&#0000106avascript:alert(1)\">x</a>",
        "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
        "<iframe src=\"/\"></iframe>",
        "<svg><circle/></svg>",
        "<style>body{}</style>",
    ];
    for html in unsafe_html {
        assert!(
            oracle::executable_vector(html).is_some(),
            "not caught: {html}"
        );
    }
    let safe_html = [
        "<p>Ankara said &lt;script&gt; is text</p>",
        "<p><a href=\"/actors/turkey/\" class=\"mention mention-state\">Turkey</a></p>",
        "<p><a href=\"https://example.org/?a=1&amp;b=2\" title=\"on the record\">x</a></p>",
        "<p id=\"s-12\">x &amp;&amp; y</p><pre><code>a &lt; b</code></pre>",
        "<table><tr><td style=\"text-align: left\">x</td></tr></table>",
        "<p>a < b and 3<4</p>",
    ];
    for html in safe_html {
        assert_eq!(oracle::executable_vector(html), None, "{html}");
    }
}
