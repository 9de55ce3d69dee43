#!/usr/bin/env bash
# Benchmarks the embedded KQL engine (release build) against SQLite and DuckDB on the same generated
# AzureDiagnostics rows: the shipped key-access query and a coverage summarize. Prints a table of
# times, ratios and peak memory. Usage: scripts/kql-benchmark.sh [ROWS] (default 1000000).
# The engine reads rows generated on the fly through a TableProvider (the SQLite-backed provider
# lives in the Workspace module); SQLite reads a file on disk, DuckDB its in-memory table.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
venv=".build/kql-benchmark-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb
fi
out="$(mktemp)"
swift build -c release --build-tests >/dev/null
KQL_BENCHMARK_ROWS="$rows" swift test -c release --skip-build --filter 'BenchmarkRunner' 2>&1 | grep '^RESULT' >"$out" || true
python3 scripts/kql-benchmark.py "$rows" sqlite >>"$out"
"$venv/bin/python" scripts/kql-benchmark.py "$rows" duckdb >>"$out"
python3 - "$out" "$rows" <<'PY'
import sys
results = {}
for line in open(sys.argv[1]):
    _, engine, query, seconds, count, peak = line.split()
    results[(engine, query)] = (float(seconds), int(count), float(peak))
print(f"{int(sys.argv[2]):,} generated AzureDiagnostics rows")
print(f"{'query':<12}{'engine':<9}{'seconds':>9}{'rows':>10}{'peak MB':>9}{'vs sqlite':>11}{'vs duckdb':>11}")
for query in ("key-access", "coverage"):
    for engine in ("engine", "sqlite", "duckdb"):
        if (engine, query) not in results:
            continue
        seconds, count, peak = results[(engine, query)]
        ratios = []
        for other in ("sqlite", "duckdb"):
            base = results.get((other, query))
            ratios.append(f"{seconds / base[0]:.2f}x" if base and base[0] > 0 else "-")
        print(f"{query:<12}{engine:<9}{seconds:>9.3f}{count:>10}{peak:>9.0f}{ratios[0]:>11}{ratios[1]:>11}")
PY
