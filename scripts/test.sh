#!/usr/bin/env bash
# Runs every PathProof test on a Debian machine with the Swift toolchain: installs what the tests
# need (Debian packages and the Python test peers), checks formatting, then runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for package in libsqlite3-dev libssl-dev sqlite3 openssl python3 python3-venv; do
    dpkg -s "$package" >/dev/null 2>&1 || need_apt+=("$package")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "== installing Debian packages: ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

# Python test peers (independent verifiers), in a virtual environment of the project's own.
venv=".build/test-peers"
if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv for the Python test peers"
    mkdir -p .build
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/test-peers.txt
export PATHPROOF_TEST_PYTHON="$PWD/$venv/bin/python"

echo "== swift format lint"
swift format lint --strict --parallel -r Sources Tests Package.swift

echo "== swift test"
swift test 2>&1 | tee .build/test-output.txt | grep -vE '^(\[[0-9]+/[0-9]+\] |Test Case .* (started|passed))'
exit "${PIPESTATUS[0]}"
