#!/usr/bin/env bash
# Builds CP Console and runs every test suite: installs missing Debian packages, configures a
# Release-with-asserts build in ./build (RelWithDebInfo, -O2 -g, without NDEBUG and QT_NO_DEBUG:
# CPC_ASSERTS, checked by tst_assertions), starts a throwaway PostgreSQL server for the database
# tests, and runs ctest.
#
# Usage: bash tests/run-all.sh [extra ctest args]
# CPC_TIMING_REPEAT=N (default 1): the suites that involve timing (labels gui, net, console, sim,
# e2e) run N times and must pass every time (ctest --repeat until-fail:N). CI uses 3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash packaging/setup.sh

build=${CPC_BUILD_DIR:-$root/build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPC_ASSERTS=ON ${CPC_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"

# A throwaway PostgreSQL cluster for the tests (PostgreSQL refuses to run as root).
source "$root/tests/pg-fixture.sh"
pg_fixture_start
trap pg_fixture_stop EXIT

cd "$build"
export QT_QPA_PLATFORM=offscreen
# The suites spend most of their time waiting (timers, timeouts, child processes): one per core
# at a time halves the run without loading the machine.
jobs=$(nproc)
repeat=${CPC_TIMING_REPEAT:-1}
if [ "$repeat" -le 1 ]; then
    ctest --output-on-failure --timeout 600 -j "$jobs" "$@"
    exit
fi
timing='^(gui|net|console|sim|e2e)$'
rc=0
ctest --output-on-failure --timeout 600 -j "$jobs" -LE "$timing" "$@" || rc=1
ctest --output-on-failure --timeout 600 -j "$jobs" -L "$timing" --repeat until-fail:"$repeat" "$@" || rc=1
exit $rc
