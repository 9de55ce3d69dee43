#!/usr/bin/env bash
# Parses every practitioner security query (Tests/KQLEngineTests/Conformance/
# security_queries_local_corpora.json) with the embedded KQL parser and prints the share parsed and
# the failures grouped by cause.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
status=0
KQL_PARSE_RATE_REPORT="$out" swift test --filter 'ParseRateTests' >"$out.log" 2>&1 || status=$?
if [ ! -s "$out" ]; then
  echo "the parse-rate report was not produced; see $out.log" >&2
  exit 1
fi
cat "$out"
if [ "$status" -ne 0 ]; then
  echo "the parse-rate test failed (the share parsed fell below its floor); see $out.log" >&2
  exit 1
fi
