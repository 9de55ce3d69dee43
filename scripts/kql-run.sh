#!/usr/bin/env bash
# Runs one KQL query (the first argument) through the embedded engine's debug test and prints the
# result table; a developer aid until the CLI's `pathproof query` exists.
set -euo pipefail
cd "$(dirname "$0")/.."
KQL_DEBUG_QUERY="$1" swift test --skip-build --filter 'DebugRunner' 2>&1 | grep -vE '^(◇|↳|✔|Test Suite|\[|Building|Build|warning:)|Executed' || true
