#!/usr/bin/env bash
# Parses every practitioner security query (Tests/KQLEngineTests/Conformance/
# security_queries_local_corpora.json) with the embedded KQL parser and prints the share parsed and
# the failures grouped by cause.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
KQL_PARSE_RATE_REPORT="$out" swift test --filter 'ParseRateTests' >"$out.log" 2>&1 || true
if [ ! -s "$out" ]; then
  echo "the parse-rate report was not produced; see $out.log" >&2
  exit 1
fi
cat "$out"
