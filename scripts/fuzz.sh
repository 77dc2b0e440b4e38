#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 60 s each).
#
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 600        # 10 minutes per target
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. `-s none` runs without a sanitizer runtime (the stable
# toolchain does not ship one); panics, overflows and timeouts are still caught.
# A crash is saved under fuzz/artifacts/<target>/; add its input to
# tests/fuzz_regressions.rs before fixing it.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in frontmatter wire extract markdown; do
    echo "== fuzzing $target for ${seconds}s"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -s none -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10
done
