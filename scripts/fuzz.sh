#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 60 s each).
#
#   scripts/fuzz.sh                  # 60 s per target, every target
#   scripts/fuzz.sh 600              # 10 minutes per target
#   scripts/fuzz.sh 120 wire extract # only these targets
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. `-s none` runs without a sanitizer runtime (the stable
# toolchain does not ship one); panics, overflows and timeouts are still caught.
# A crash is saved under fuzz/artifacts/<target>/; shrink it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s none <target> <file>` and add the input to
# tests/fuzz_regressions.rs before fixing it. A crashing target does not stop the
# others: every target runs, a summary follows, and the exit code is non-zero when
# any target failed.
#
# The corpus each run grows is kept in fuzz/corpus/<target>/ (not committed), so a
# second run starts where the first stopped. Every run first adds the example
# briefings and registry files (content/, starter/content/) to it as seeds, so the
# fuzzer starts from real wire copy and front matter instead of from nothing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(frontmatter wire extract markdown)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
mkdir -p logs
summary=()
failed=0
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    mkdir -p "corpus/$target"
    while IFS= read -r -d '' seed; do
        name="seed-$(basename "$(dirname "$seed")")-$(basename "$seed")"
        [ -e "corpus/$target/$name" ] || cp "$seed" "corpus/$target/$name"
    done < <(find ../content ../starter/content -type f \( -name '*.md' -o -name '*.txt' \) -print0)
    log="logs/$target.log"
    status=0
    cargo fuzz run "$target" -s none -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        2>&1 | tee "$log" || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    if [ "$status" -ne 0 ]; then
        failed=1
        summary+=("$target: FAILED after ${runs:-?} runs (see fuzz/$log and fuzz/artifacts/$target/)")
    else
        summary+=("$target: ${runs:-?} runs in ${time:-?} s, no crash")
    fi
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
