#!/usr/bin/env bash
# Installs the Debian 12 packages CP Console needs to build, test and run, when missing.
# Root installs directly; anyone else through sudo.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql libqt6svg6-dev
    libsqlite3-dev libpq-dev sqlite3
    qtkeychain-qt6-dev qt6-qpa-plugins qt6-tools-dev qt6-l10n-tools
    postgresql xvfb xauth dbus dbus-x11 gnome-keyring fonts-dejavu-core
    desktop-file-utils appstream dpkg-dev file curl imagemagick
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
