#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, as CI does:
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_EACH]
# BUILD_DIR was configured with clang and -DSUPPORT_CONSOLE_FUZZ=ON. Each target starts from its
# committed seed corpus (which it only reads; what it finds goes to a scratch folder), and an input
# that crashes it is written into that corpus as crash-<hash>: commit it with the fix, and the
# corpus replay in CTest (fuzz_<name>_corpus) keeps it as a regression input from then on.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS_EACH]}
seconds=${2:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: SECONDS_EACH must be a whole number" >&2; exit 2; }

status=0
for target in httprequest ticketjson urlquery csvreader sseparser; do
    binary=$build_dir/tests/fuzz/fuzz_$target
    [[ -x $binary ]] || { echo "run.sh: $binary is not built" >&2; exit 1; }
    corpus=$source_dir/tests/fuzz/corpus/$target
    scratch=$(mktemp -d)
    echo "== fuzz_$target: ${seconds} s from $(find "$corpus" -type f | wc -l) seed inputs"
    # -jobs would split 2 cores among the targets; one after another keeps each one's time whole.
    if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$binary" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$corpus/" \
        "$scratch" "$corpus" 2>"$scratch.log"; then
        status=1
        tail -n 60 "$scratch.log"
        echo "fuzz_$target failed; the input is in $corpus (crash-*, leak-*, timeout-* or oom-*)"
    else
        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$scratch.log" ||
            true
    fi
    rm -rf "$scratch" "$scratch.log"
done
exit "$status"
