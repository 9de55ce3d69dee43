#!/usr/bin/env bash
# Runs PathProof's main job on the bundled SYNTHETIC sample: installs the two C libraries it links
# (when missing), builds, and verifies the demo workspace against the demo policy.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for package in libsqlite3-dev libssl-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || need_apt+=("$package")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

swift build -c release --product pathproof >&2
set -x
.build/release/pathproof verify --workspace Fixtures/demo/contoso-cmk --policy Fixtures/demo/policy.json \
    --from 2026-11-02T08:00:00Z --to 2026-11-02T16:00:00Z --out out/demo "$@"
