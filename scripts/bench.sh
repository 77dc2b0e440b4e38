#!/usr/bin/env bash
# Whole-process build benchmark, the figures in BENCHMARKS.md.
#
#   scripts/bench.sh                      # 1k, 10k and 50k briefings
#   SIZES="1000 10000" scripts/bench.sh   # a subset
#
# For each size it generates a corpus (examples/corpus.rs, seed 42; reused when
# already there), runs `dossier build` into a fresh output folder (3 runs for up to
# 10k briefings, 1 run above) under /usr/bin/time -v, and prints the median wall
# time, peak memory and pages per second. Then examples/incremental.rs prints the
# per-stage times of a clean build and of incremental rebuilds on the same corpus.
#
# "Fresh output folder" means the previous output is moved aside (into
# $BENCH_DIR/trash, deleted at the end) rather than deleted: ext4 is slow to create
# files in the 30 s after thousands were deleted, which would bill `rm -rf` to
# the build.
#
# Sizes above 10k run under an address-space limit (MEM_LIMIT_GB, default 12) so
# that a build that needs more memory than the machine can spare fails alone
# instead of pushing a shared machine into swap or the OOM killer.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench), SIZES, SEED, RUNS (edit
# scenario repetitions, default 5), MEM_LIMIT_GB.
set -euo pipefail
cd "$(dirname "$0")/.."
# Binaries, wherever cargo puts them (CARGO_TARGET_DIR is honoured).
BIN="${CARGO_TARGET_DIR:-target}/release"

BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
SIZES=${SIZES:-"1000 10000 50000"}
SEED=${SEED:-42}
RUNS=${RUNS:-5}
MEM_LIMIT_GB=${MEM_LIMIT_GB:-12}

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak-memory figures"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq time >/dev/null
fi

cargo build --release --quiet --bin dossier --example corpus --example incremental
DOSSIER="$BIN"/dossier
CORPUS="$BIN"/examples/corpus
INCREMENTAL="$BIN"/examples/incremental

mkdir -p "$BENCH_DIR"
TRASH="$BENCH_DIR/trash"
trash_output() {
    if [ -d "$1/public" ]; then
        mkdir -p "$TRASH"
        mv "$1/public" "$TRASH/public-$(date +%s%N)"
    fi
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
echo "extraction engine: $(head -1 src/extract/mod.rs)"
echo

# Runs a command, under the memory limit when the corpus is above 10k briefings.
limited() {
    local n=$1
    shift
    if [ "$n" -gt 10000 ]; then
        (ulimit -v $((MEM_LIMIT_GB * 1024 * 1024)) && "$@")
    else
        "$@"
    fi
}

# "h:mm:ss" or "m:ss.cc" -> seconds
to_seconds() {
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

declare -A SUMMARY
for n in $SIZES; do
    dir="$BENCH_DIR/corpus-$n"
    "$CORPUS" --count "$n" --seed "$SEED" --out "$dir" --reuse
    runs=3
    if [ "$n" -gt 10000 ]; then runs=1; fi
    walls=()
    for i in $(seq "$runs"); do
        trash_output "$dir"
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        if ! limited "$n" /usr/bin/time -v -o "$BENCH_DIR/time.txt" "$DOSSIER" -r "$dir" build --timings >"$BENCH_DIR/build.txt" 2>"$BENCH_DIR/stderr.txt"; then
            echo "  $n briefings, run $i: FAILED: $(tail -3 "$BENCH_DIR/stderr.txt" | tr '\n' ' ')"
            grep -E "Elapsed|Maximum resident" "$BENCH_DIR/time.txt" || true
            continue
        fi
        wall=$(to_seconds "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$BENCH_DIR/time.txt")")
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH_DIR/time.txt")
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$BENCH_DIR/time.txt")
        written=$(sed -n 's/.*(\([0-9]*\) written.*/\1/p' "$BENCH_DIR/build.txt")
        echo "  $n briefings, run $i: $(head -1 "$BENCH_DIR/build.txt")"
        echo "  $(tail -n +2 "$BENCH_DIR/build.txt")"
        echo "    wall ${wall} s, CPU ${cpu} s, peak RSS $((rss / 1024)) MiB, load average before: $load"
        walls+=("$wall $rss $written $cpu")
    done
    if [ "${#walls[@]}" -eq 0 ]; then
        SUMMARY[$n]="| $n | failed (limit ${MEM_LIMIT_GB} GiB) | | | | |"
        continue
    fi
    runs=${#walls[@]}
    median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
    read -r wall rss written cpu <<<"$median"
    SUMMARY[$n]=$(awk -v n="$n" -v w="$wall" -v r="$rss" -v f="$written" -v runs="$runs" -v c="$cpu" \
        'BEGIN { printf "| %d | %.2f s (median of %d) | %.2f s | %.0f MiB | %d | %.0f |", n, w, runs, c, r / 1024, f, f / w }')
done

echo
echo "Full build, whole process (dossier build, fresh output folder):"
echo
echo "| briefings | wall time | CPU (user+sys) | peak RSS | files written | pages/s |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $SIZES; do echo "${SUMMARY[$n]}"; done

for n in $SIZES; do
    dir="$BENCH_DIR/corpus-$n"
    echo
    echo "Stages, $n briefings (examples/incremental.rs, times in ms):"
    if [ "$n" -gt 10000 ]; then
        limited "$n" "$INCREMENTAL" --site "$dir" --trash "$TRASH" --scenarios clean,noop,edit --runs 3 ||
            echo "FAILED (exit $?)"
    else
        "$INCREMENTAL" --site "$dir" --trash "$TRASH" --runs "$RUNS"
    fi
done
rm -rf "$TRASH"
