#!/usr/bin/env bash
# A cheap benchmark for every CI run: one clean build of a generated 1,000-briefing
# site and a one-briefing incremental edit, with per-stage times. It prints figures
# for the log; it asserts nothing about them. The full benchmark is scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# Binaries, wherever cargo puts them (CARGO_TARGET_DIR is honoured).
BIN="${CARGO_TARGET_DIR:-target}/release"

dir=target/bench-ci/corpus-1k
cargo build --release --quiet --bin dossier --example corpus --example incremental
"$BIN"/examples/corpus --count 1000 --seed 42 --out "$dir" --reuse >/dev/null

echo "benchmark: 1,000 generated briefings (scripts/bench-ci.sh; full run: scripts/bench.sh)"
# Old output is moved aside and deleted at the end, not before the build: see
# scripts/bench.sh.
if [ -d "$dir/public" ]; then
    mkdir -p target/bench-ci/trash
    mv "$dir/public" "target/bench-ci/trash/public-$(date +%s%N)"
fi
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o target/bench-ci/time.txt "$BIN"/dossier -r "$dir" build --timings
    awk '{ printf "dossier build, whole process: %.2f s wall, %.0f MiB peak RSS\n", $1, $2 / 1024 }' target/bench-ci/time.txt
else
    "$BIN"/dossier -r "$dir" build --timings
fi
"$BIN"/examples/incremental --site "$dir" --trash target/bench-ci/trash --scenarios clean,edit --runs 3
rm -rf target/bench-ci/trash
