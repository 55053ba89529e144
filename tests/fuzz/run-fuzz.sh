#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage on cpc_core) and runs each for
# a bounded time on a copy of its checked-in seed corpus. Usage: run-fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-20}
build=${CPC_FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCPC_FUZZ=ON -DCPC_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target fuzz_cpdecode fuzz_consolebuffer fuzz_validation
work=$(mktemp -d /tmp/cpc-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in fuzz_cpdecode fuzz_consolebuffer fuzz_validation; do
    mkdir -p "$work/$t"
    cp "$root/tests/fuzz/corpus/$t/"* "$work/$t/"
    echo "fuzz: $t for ${seconds}s"
    mkdir -p "$root/tests/fuzz/crashes"
    (cd "$work" && "$build/tests/fuzz/$t" -artifact_prefix="$root/tests/fuzz/crashes/" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$work/$t" 2>"$work/$t.log") || { tail -60 "$work/$t.log"; echo "fuzz: $t FAILED"; exit 1; }
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$work/$t.log" | tail -3
done
echo "fuzz: all targets clean"
