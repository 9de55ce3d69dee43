#!/usr/bin/env bash
# Runs the embedded KQL engine over the recorded real-engine cases and prints pass / wrong /
# unsupported / error per operator family. With --update, also rewrites the locked-in lists
# (Tests/KQLEngineTests/Conformance/passing-kustainer.txt, rejected-kustainer.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${KQL_CONFORMANCE_OUT:-$(mktemp -d)}"
mkdir -p "$out"
status=0
KQL_CONFORMANCE_REPORT="$out" swift test --filter ConformanceTests >"$out/test.log" 2>&1 || status=$?
if [ ! -f "$out/summary.txt" ]; then
  echo "the conformance report was not produced; see $out/test.log" >&2
  exit 1
fi
cat "$out/summary.txt"
echo "failures: $out/failures.txt"
if [ "$status" -ne 0 ]; then
  echo "the locked-in conformance tests failed: a case that passed before does not now; see $out/test.log" >&2
  exit 1
fi
if [ "${1:-}" = "--update" ]; then
  cp "$out/passing-kustainer.txt" "$out/rejected-kustainer.txt" "$out/passing-docs.txt" Tests/KQLEngineTests/Conformance/
  echo "locked-in lists updated"
fi
