#!/usr/bin/env bash
# Measures the evidence analyzer on synthetic KeyUnwrap tables with planted faults and duplicates
# (release build) and prints a table: rows, duplicates, analysis time, rows per second, report
# encoding time and size. The benchmark also checks its own counts, so a wrong answer fails it.
#   scripts/analyzer-benchmark.sh [SIZES]     SIZES: comma-separated row counts (default 10000,100000)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
export PATHPROOF_ANALYZER_BENCH="$out/table.md"
export PATHPROOF_ANALYZER_SIZES="${1:-10000,100000}"
# Other test targets use @testable imports, so a release test build needs -enable-testing.
if ! swift test -c release -Xswiftc -enable-testing --filter AnalyzerBenchmark >"$out/test.log" 2>&1; then
  echo "the benchmark failed; see $out/test.log" >&2
  exit 1
fi
cat "$PATHPROOF_ANALYZER_BENCH"
