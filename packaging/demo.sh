#!/usr/bin/env bash
# Builds CP Console and launches it in demo mode: the built-in CP simulator on 127.0.0.1 and a
# generated workspace database. Installs missing Debian packages first.
# Usage: bash packaging/demo.sh [extra cpconsole options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash packaging/setup.sh
build=${CPC_BUILD_DIR:-$root/build}
# The product build, without the test build's assertions (tests/run-all.sh turns them on).
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPC_ASSERTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target cpconsole cpctl
exec "$build/app/cpconsole" --demo "$@"
