#!/usr/bin/env bash
# Runs the embedded KQL engine over the recorded real-engine cases and prints pass / wrong /
# unsupported / error per operator family. With --update, also rewrites the locked-in lists
# (Tests/KQLEngineTests/Conformance/passing-kustainer.txt, rejected-kustainer.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${KQL_CONFORMANCE_OUT:-$(mktemp -d)}"
KQL_CONFORMANCE_REPORT="$out" swift test --filter 'ConformanceTests/conformanceReport' >/dev/null 2>&1 || \
  KQL_CONFORMANCE_REPORT="$out" swift test --filter ConformanceTests >"$out/test.log" 2>&1 || true
if [ ! -f "$out/summary.txt" ]; then
  echo "the conformance report was not produced; see $out/test.log" >&2
  exit 1
fi
cat "$out/summary.txt"
echo "failures: $out/failures.txt"
if [ "${1:-}" = "--update" ]; then
  cp "$out/passing-kustainer.txt" "$out/rejected-kustainer.txt" "$out/passing-docs.txt" Tests/KQLEngineTests/Conformance/
  echo "locked-in lists updated"
fi
