#!/usr/bin/env bash
# Builds the release `pathproof` (or the product named) as PathProof ships it: the Swift runtime and
# Foundation linked in (`--static-swift-stdlib`), so the executable runs on a machine without the
# Swift toolchain and starts without loading Swift's shared libraries. Installs the Debian packages
# the build links when missing: SQLite, OpenSSL's libcrypto and libcurl (which Foundation's
# networking links). Prints the executable's path on stdout.
# Usage: scripts/build-release.sh [PRODUCT]
set -euo pipefail
cd "$(dirname "$0")/.."
product="${1:-pathproof}"

need_apt=()
for package in libsqlite3-dev libssl-dev libcurl4-openssl-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || need_apt+=("$package")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

swift build -c release --static-swift-stdlib --product "$product" >&2
echo "$(swift build -c release --static-swift-stdlib --show-bin-path)/$product"
