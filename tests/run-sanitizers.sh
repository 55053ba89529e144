#!/usr/bin/env bash
# The hardening run: builds with clang, AddressSanitizer and UndefinedBehaviorSanitizer (plus
# libFuzzer coverage), runs the ctest suites under them against a throwaway PostgreSQL, then runs
# each fuzz target for a bounded time on its checked-in seed corpus.
#
# Usage: bash tests/run-sanitizers.sh [--core] [FUZZ_SECONDS_PER_TARGET]
#   (default)  every suite but the package test: core, cpctl and the GUI (offscreen)
#   --core     only what does not need the widgets: cpc_core, cpc_sim, cpctl and their suites. About
#              half the build; this is the part .ci/run runs, to stay inside CI's time budget.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scope=all
if [ "${1:-}" = "--core" ]; then
    scope=core
    shift
fi
fuzz_seconds=${1:-15}
core_suites=(tst_validation tst_config tst_cpclient tst_cpclientcalls tst_consolebuffer tst_notablelines tst_cpctl tst_workspacesource
    tst_simulator tst_simconsole tst_simfaults tst_postgressource tst_statestore tst_workspacemodel tst_statuspoller
    tst_termtext tst_ctlterminal tst_ctlsim tst_transport tst_caps tst_redaction tst_ctlnet
    tst_ledger tst_cpctlledger tst_pgcredentials tst_statussweep tst_ctlpractice tst_workspacetable tst_bytesearch
    tst_teamstate)

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
# -O1 with line tables only: ASan reports keep file:line, and the build is much quicker than -O2 -g.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCPC_FUZZ=ON -DCPC_BUILD_BENCHMARKS=OFF >/dev/null
if [ "$scope" = core ]; then
    cmake --build "$build" -j "$(nproc)" --target "${core_suites[@]}" cpctl \
        fuzz_cpdecode fuzz_consolebuffer fuzz_validation
else
    cmake --build "$build" -j "$(nproc)"
fi

source "$root/tests/pg-fixture.sh"
pg_fixture_start
trap pg_fixture_stop EXIT

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/ubsan.supp"
if [ "$scope" = core ]; then
    regex="^($(IFS='|'; echo "${core_suites[*]}"))\$"
    (cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -R "$regex")
else
    (cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -LE package)
fi

CPC_FUZZ_BUILD_DIR="$build" bash "$root/tests/fuzz/run-fuzz.sh" "$fuzz_seconds"
