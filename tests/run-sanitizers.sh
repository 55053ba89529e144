#!/usr/bin/env bash
# The hardening run: builds everything with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (plus libFuzzer coverage), runs the whole ctest suite under them against a throwaway
# PostgreSQL, then runs each fuzz target for a bounded time on its checked-in seed corpus.
# Usage: bash tests/run-sanitizers.sh [FUZZ_SECONDS_PER_TARGET]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fuzz_seconds=${1:-15}

bash packaging/setup.sh
missing=()
for p in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${CPC_ASAN_BUILD_DIR:-$root/build-asan}
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCPC_FUZZ=ON -DCPC_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"

source "$root/tests/pg-fixture.sh"
pg_fixture_start
trap pg_fixture_stop EXIT

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/ubsan.supp"
(cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -LE package)

CPC_FUZZ_BUILD_DIR="$build" bash "$root/tests/fuzz/run-fuzz.sh" "$fuzz_seconds"
