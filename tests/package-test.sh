#!/usr/bin/env bash
# Builds the .deb and .tar.gz with CPack, checks their contents and metadata, installs the .deb
# into a throwaway root and runs the installed cpctl and cpconsole from there.
# Usage: package-test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1
version=$2
work=$(mktemp -d /tmp/cpc-pkg.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "package-test: $*" >&2; exit 1; }

cd "$build"
cpack -G "DEB;TGZ" -B "$work/pkg" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/pkg/cpconsole_"$version"_*.deb) || fail "no .deb produced"
tgz=$(ls "$work"/pkg/cpconsole-"$version"-*.tar.gz) || fail "no .tar.gz produced"

# Metadata: name, version, and the run-time dependencies that library scanning cannot see.
dpkg-deb -f "$deb" Package Version Depends > "$work/control"
grep -q "^Package: cpconsole$" "$work/control" || fail "wrong package name"
grep -q "^Version: $version$" "$work/control" || fail "wrong version"
for dep in libqt6sql6-sqlite libqt6sql6-psql libqt6gui6 libqt6svg6 libqt6network6 libqt6keychain1 libqt6widgets6 libc6; do
    grep -q "$dep" "$work/control" || fail "Depends lacks $dep"
done
# Every dependency is a real, installable package on this machine.
dpkg --dry-run -i "$deb" >/dev/null 2>"$work/dryrun" || { cat "$work/dryrun"; fail "dependencies not satisfiable"; }

# Contents.
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
for f in ./usr/bin/cpconsole ./usr/bin/cpctl \
         ./usr/share/applications/app.moleculesai.CPConsole.desktop \
         ./usr/share/metainfo/app.moleculesai.CPConsole.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/app.moleculesai.CPConsole.svg \
         ./usr/share/icons/hicolor/48x48/apps/app.moleculesai.CPConsole.png \
         ./usr/share/icons/hicolor/256x256/apps/app.moleculesai.CPConsole.png \
         ./usr/share/man/man1/cpconsole.1 ./usr/share/man/man1/cpctl.1; do
    grep -qx "$f" "$work/contents" || fail "the .deb lacks $f"
done
if grep -qE '\.(a|h|cpp)$|/include/' "$work/contents"; then fail "the .deb ships build files"; fi
tar -tzf "$tgz" | grep -q "bin/cpctl$" || fail "the .tar.gz lacks bin/cpctl"

# Install into a throwaway root and validate the desktop metadata there.
root="$work/root"
dpkg -x "$deb" "$root"
desktop-file-validate "$root/usr/share/applications/app.moleculesai.CPConsole.desktop" || fail "desktop file invalid"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/app.moleculesai.CPConsole.metainfo.xml" >"$work/as.log" 2>&1 \
    || { cat "$work/as.log"; fail "metainfo invalid"; }
man -l "$root/usr/share/man/man1/cpctl.1" >/dev/null 2>&1 || true
file "$root/usr/share/icons/hicolor/48x48/apps/app.moleculesai.CPConsole.png" | grep -q "48 x 48" || fail "48x48 icon has the wrong size"

# Run what was installed.
"$root/usr/bin/cpctl" --version | grep -qx "cpctl $version" || fail "installed cpctl --version"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$root/usr/bin/cpconsole" --version | grep -q "$version" || fail "installed cpconsole --version"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
QT_QPA_PLATFORM=offscreen timeout 120 "$root/usr/bin/cpconsole" --demo --demo-workspaces 60 \
    --screenshot "$work/installed-demo.png" --quit-after 4000 >"$work/gui.log" 2>&1 \
    || { cat "$work/gui.log"; fail "installed cpconsole --demo failed"; }
[ -s "$work/installed-demo.png" ] || fail "no screenshot from the installed cpconsole"
file "$work/installed-demo.png" | grep -q "PNG image data" || fail "the screenshot is not a PNG"
if [ -n "${CPC_KEEP_SCREENSHOT:-}" ]; then cp "$work/installed-demo.png" "$CPC_KEEP_SCREENSHOT"; fi
echo "package-test: $(basename "$deb") and $(basename "$tgz") OK"
