#!/usr/bin/env bash
# Benchmarks the embedded KQL engine against SQLite and DuckDB on the same generated AzureDiagnostics
# rows: the shipped Queries/keyvault-key-access.kql and a coverage summarize
# (summarize count() by bin(TimeGenerated, 1h), Resource, OperationName). The engine runs as
# `pathproof query` (release build) over a PathProof SQLite workspace; SQLite runs the equivalent SQL
# on the same file; DuckDB runs it on an in-memory table loaded from the same rows, and again on the
# same SQLite file through its sqlite_scanner extension (from PyPI). The engine runs twice: over SQLite's
# rows alone, and over the column snapshot (`pathproof optimize`); load times are printed apart. Prints times,
# ratios and peak memory. Usage: scripts/kql-benchmark.sh [ROWS] (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
venv=".build/kql-benchmark-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb
fi
"$venv/bin/python" -c "import duckdb_extension_sqlite_scanner" 2>/dev/null ||
  "$venv/bin/pip" install --quiet duckdb-extensions duckdb-extension-sqlite-scanner
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift build -c release --product pathproof >/dev/null
python3 scripts/kql-benchmark.py workspace "$work/workspace.sqlite" "$rows"
coverage='AzureDiagnostics | summarize count() by bin(TimeGenerated, 1h), Resource, OperationName'
run_engine() { # run_engine LABEL: both queries through `pathproof query`, timed as whole processes
  for query in key-access coverage; do
    if [ "$query" = key-access ]; then args=(--file Queries/keyvault-key-access.kql); else args=("$coverage"); fi
    /usr/bin/time -f "%e %M" -o "$work/time" .build/release/pathproof query --workspace "$work/workspace.sqlite" \
      --format csv "${args[@]}" >"$work/$1-$query.csv"
    read -r seconds kilobytes <"$work/time"
    echo "RESULT $1 $query $seconds $(($(wc -l <"$work/$1-$query.csv") - 1)) $((kilobytes / 1024))" >>"$work/results"
  done
}
# First over SQLite's rows alone, then over the column snapshot that `pathproof ingest` keeps (packed
# here by `pathproof optimize`, since this workspace was written by Python); the answers must not differ.
run_engine engine-rows
/usr/bin/time -f "%e %M" -o "$work/time" .build/release/pathproof optimize --workspace "$work/workspace.sqlite" \
  >/dev/null
read -r seconds kilobytes <"$work/time"
echo "LOAD engine (pathproof optimize) $seconds" >>"$work/results"
run_engine engine
for query in key-access coverage; do
  cmp -s "$work/engine-rows-$query.csv" "$work/engine-$query.csv" ||
    { echo "the $query answers over the snapshot and over the rows differ" >&2; exit 1; }
done
python3 scripts/kql-benchmark.py sqlite "$work/workspace.sqlite" >>"$work/results"
"$venv/bin/python" scripts/kql-benchmark.py duckdb "$rows" >>"$work/results"
"$venv/bin/python" scripts/kql-benchmark.py duckdb-file "$work/workspace.sqlite" >>"$work/results"
python3 - "$work/results" "$rows" <<'PY'
import sys
results = {}
loads = []
for line in open(sys.argv[1]):
    if line.startswith("LOAD "):
        loads.append(line[5:].rsplit(" ", 1))
        continue
    _, engine, query, seconds, count, peak = line.split()
    results[(engine, query)] = (float(seconds), int(count), float(peak))
print(f"{int(sys.argv[2]):,} generated AzureDiagnostics rows (engine: pathproof query, CSV output included)")
print("engine = over the column snapshot; engine-rows = over SQLite's rows only (no snapshot)")
print("duckdb = an in-memory table loaded beforehand; duckdb-file = DuckDB reading the same SQLite file")
for what, seconds in loads:
    print(f"load, not counted below: {what} {float(seconds):.2f} s")
print(f"{'query':<12}{'engine':<13}{'seconds':>9}{'rows':>10}{'peak MB':>9}{'vs sqlite':>11}{'vs duckdb':>11}"
      f"{'vs duckdb-file':>16}")
for query in ("key-access", "coverage"):
    for engine in ("engine", "engine-rows", "sqlite", "duckdb", "duckdb-file"):
        if (engine, query) not in results:
            continue
        seconds, count, peak = results[(engine, query)]
        ratios = []
        for other in ("sqlite", "duckdb", "duckdb-file"):
            base = results.get((other, query))
            ratios.append(f"{seconds / base[0]:.2f}x" if base and base[0] > 0 else "-")
        print(f"{query:<12}{engine:<13}{seconds:>9.3f}{count:>10}{peak:>9.0f}{ratios[0]:>11}{ratios[1]:>11}"
              f"{ratios[2]:>16}")
PY
