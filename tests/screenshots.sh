#!/usr/bin/env bash
# Takes the README/docs screenshots of CP Console in demo mode (built-in CP simulator on
# 127.0.0.1, generated data) with the offscreen platform: the main window in light and dark,
# the main window while the CP drops status calls (unknown badges), the provision dialog, the
# stop confirmation, the profile dialog, the keyboard help and quick-open (Ctrl+K); and the console viewer on a
# captured boot log with a failed unit (tests/ui/consolescreenshot.cpp), dark and light. Writes
# docs/screenshots/*.png. The unit suites take no pictures: this script is the one place.
#
# Usage: bash tests/screenshots.sh [BUILD_DIR]     (default: ./build, configured; builds what
# it runs). Look at every picture after changing the UI: clipped text, empty panes, unreadable
# badges.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
[ -f "$build/CMakeCache.txt" ] || { echo "screenshots.sh: $build is not a configured build directory" >&2; exit 2; }
cmake --build "$build" --target cpconsole cpc_consolescreenshot >/dev/null
exe=$build/app/cpconsole
viewer=$build/tests/ui/cpc_consolescreenshot
out=$root/docs/screenshots
mkdir -p "$out"

# A private home: no saved window layout, profiles or keychain leak into the pictures.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_RUNTIME_DIR=$home/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A laptop's screen: the window fills 1366x768 as the engineer on call sees it.
printf '{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpiX": 96, "logicalDpiY": 96}]}' >"$home/screen.json"
export QT_QPA_PLATFORM="offscreen:configfile=$home/screen.json"
export QT_LOGGING_RULES="cpc.*.debug=false;qt.qpa.*=false"
export QT_QPA_PLATFORMTHEME=
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset DBUS_SESSION_BUS_ADDRESS

shot() { # name args...
    local name=$1
    shift
    timeout 60 "$exe" --demo --demo-workspaces 300 --screenshot "$out/$name.png" "$@" >/dev/null 2>"$home/$name.log" ||
        { cat "$home/$name.log" >&2; echo "screenshots.sh: $name failed" >&2; exit 1; }
    echo "docs/screenshots/$name.png"
}

shot main-window-light --color-scheme light
shot main-window-dark --color-scheme dark
shot main-window-cp-flaky --color-scheme light --demo-faults "status.drop=0.35"
shot main-window-cp-unreachable --color-scheme dark --demo-faults "status.drop"
shot main-window-read-only --color-scheme dark --read-only
shot provision-dialog --color-scheme light --screenshot-dialog provision
shot stop-confirmation --color-scheme light --screenshot-dialog stop
shot stop-confirmation-dark --color-scheme dark --screenshot-dialog stop
shot profiles-dialog --color-scheme light --screenshot-dialog profiles
shot keyboard-shortcuts --color-scheme dark --screenshot-dialog help
shot quick-open --color-scheme light --screenshot-dialog quickopen

viewershot() { # name scheme
    timeout 60 "$viewer" "$2" "$out/$1.png" >/dev/null 2>"$home/$1.log" ||
        { cat "$home/$1.log" >&2; echo "screenshots.sh: $1 failed" >&2; exit 1; }
    echo "docs/screenshots/$1.png"
}

viewershot console-viewer dark
viewershot console-viewer-light light
