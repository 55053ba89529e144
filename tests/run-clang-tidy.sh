#!/usr/bin/env bash
# clang-tidy (bug-prone and performance checks, configured in .clang-tidy) over every source
# file of core/, sim/, ui/, app/ and tests/, using the compile commands of a build directory.
# Exits 1 when there is any warning or error (each printed once), 0 when clean.
# Usage: bash tests/run-clang-tidy.sh [BUILD_DIR]   (default: ./build-tidy)
# The build directory is configured when new (Debug, Ninja, tests and benchmarks on) and built:
# moc, rcc and uic output must exist for the sources that include it. The full output is kept
# in BUILD_DIR/clang-tidy.log, that of configuring and building in BUILD_DIR/clang-tidy-build.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-$root/build-tidy}
mkdir -p "$build"
build=$(cd "$build" && pwd)
jobs=$(nproc)

if ! command -v run-clang-tidy-14 >/dev/null || ! command -v clang-tidy-14 >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        clang-tidy-14 >/dev/null
fi

# Every source of ours has to be in the compile commands, or it would silently go unchecked.
configure=(-DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCPC_BUILD_TESTS=ON -DCPC_BUILD_BENCHMARKS=ON)
if [ ! -f "$build/CMakeCache.txt" ]; then
    bash packaging/setup.sh
    configure+=(-G Ninja -DCMAKE_BUILD_TYPE=Debug)
fi
buildLog=$build/clang-tidy-build.log
if ! cmake -S . -B "$build" "${configure[@]}" >"$buildLog" 2>&1; then
    cat "$buildLog"
    echo "clang-tidy: configuring $build failed" >&2
    exit 1
fi
if ! cmake --build "$build" -j "$jobs" >>"$buildLog" 2>&1; then
    tail -n 60 "$buildLog"
    echo "clang-tidy: building $build failed (full log: $buildLog)" >&2
    exit 1
fi

# Our sources, and those of them the build compiles. The libFuzzer targets build only with
# CPC_FUZZ=ON (clang, instrumented): they are checked with compile commands clang-tidy infers
# from the other test sources (same include paths and definitions, through cpc_core).
mapfile -t ours < <(find core sim ui app tests -name '*.cpp' -not -path 'tests/fuzz/*' | sort)
mapfile -t fuzz < <(find tests/fuzz -maxdepth 1 -name '*.cpp' | sort)
mapfile -t missing < <(python3 - "$build/compile_commands.json" "$root" "${ours[@]}" <<'EOF'
import json, os, sys
db, root, ours = sys.argv[1], sys.argv[2], sys.argv[3:]
built = {os.path.normpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(db))}
for f in ours:
    if os.path.join(root, f) not in built:
        print(f)
EOF
)
if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}"
    echo "clang-tidy: the files above are not in $build/compile_commands.json, so not checked" >&2
    exit 1
fi

log=$build/clang-tidy.log
rootRe=$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|]/\\&/g')
rc=0
{
    # Our sources only: not the generated files under the build directory.
    run-clang-tidy-14 -quiet -clang-tidy-binary clang-tidy-14 -p "$build" -j "$jobs" \
        "^$rootRe/(core|sim|ui|app|tests)/.*\.cpp\$" || rc=$?
    for f in "${fuzz[@]}"; do
        clang-tidy-14 --quiet -p "$build" "$root/$f" || rc=$?
    done
} >"$log" 2>&1

# Each diagnostic once (a header's warning is reported by every file that includes it).
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
errors=$(grep -E '^([^:]+:[0-9]+:[0-9]+: )?(fatal )?error: ' <<<"$plain" | sort -u || true)
warnings=$(grep -E '^[^:]+:[0-9]+:[0-9]+: warning: ' <<<"$plain" | sort -u || true)
if [ -n "$errors" ]; then
    echo "$errors"
    echo "clang-tidy: the files above did not compile under clang-tidy (full log: $log)" >&2
    exit 1
fi
if [ -n "$warnings" ]; then
    echo "$warnings"
    echo "clang-tidy: $(wc -l <<<"$warnings") warnings (full log: $log)" >&2
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    tail -n 30 "$log"
    echo "clang-tidy: failed with exit status $rc but reported no diagnostic (full log: $log)" >&2
    exit 1
fi
echo "clang-tidy: clean ($((${#ours[@]} + ${#fuzz[@]})) source files of core/, sim/, ui/, app/ and tests/ checked)"
