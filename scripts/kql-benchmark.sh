#!/usr/bin/env bash
# Benchmarks the embedded KQL engine against SQLite and DuckDB on the same generated AzureDiagnostics
# rows: the shipped Queries/keyvault-key-access.kql and a coverage summarize
# (summarize count() by bin(TimeGenerated, 1h), Resource, OperationName). The engine runs as
# `pathproof query` (release build) over a PathProof SQLite workspace; SQLite runs the equivalent SQL
# on the same file; DuckDB runs it on an in-memory table loaded from the same rows, and again on the
# same SQLite file through its sqlite_scanner extension (from PyPI). The engine runs twice: over SQLite's
# rows alone, and over the column snapshot (`pathproof optimize`); load times are printed apart. Prints times,
# ratios and peak memory; each figure is the median of REPEAT runs (default 3), since this machine is
# noisy. The engine is the shipped release build (scripts/build-release.sh).
# Usage: [REPEAT=N] scripts/kql-benchmark.sh [ROWS] (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
repeat="${REPEAT:-3}"
venv=".build/kql-benchmark-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb
fi
"$venv/bin/python" -c "import duckdb_extension_sqlite_scanner" 2>/dev/null ||
  "$venv/bin/pip" install --quiet duckdb-extensions duckdb-extension-sqlite-scanner
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pathproof="$(./scripts/build-release.sh)"
python3 scripts/kql-benchmark.py workspace "$work/workspace.sqlite" "$rows"
coverage='AzureDiagnostics | summarize count() by bin(TimeGenerated, 1h), Resource, OperationName'
run_engine() { # run_engine LABEL: each query REPEAT times through `pathproof query`, the median kept
  for query in key-access coverage; do
    if [ "$query" = key-access ]; then args=(--file Queries/keyvault-key-access.kql); else args=("$coverage"); fi
    : >"$work/runs"
    for _ in $(seq "$repeat"); do
      /usr/bin/time -f "%e %M" -o "$work/time" "$pathproof" query --workspace "$work/workspace.sqlite" \
        --format csv --timing "${args[@]}" >"$work/$1-$query.csv" 2>"$work/timing"
      read -r seconds kilobytes <"$work/time"
      # In the process: running the query and writing its CSV, without start-up and opening.
      inside=$(sed -n 's/.*ran the query in \([0-9.]*\) s, wrote the result in \([0-9.]*\) s.*/\1 \2/p' "$work/timing" |
        awk '{printf "%.3f", $1 + $2}')
      echo "$seconds $inside $((kilobytes / 1024))" >>"$work/runs"
    done
    median=$(sort -n "$work/runs" | sed -n "$(((repeat + 1) / 2))p")
    read -r seconds inside peak <<<"$median"
    echo "RESULT $1 $query $seconds $(($(wc -l <"$work/$1-$query.csv") - 1)) $peak $inside" >>"$work/results"
  done
}
# First over SQLite's rows alone, then over the column snapshot that `pathproof ingest` keeps (packed
# here by `pathproof optimize`, since this workspace was written by Python); the answers must not differ.
run_engine engine-rows
/usr/bin/time -f "%e %M" -o "$work/time" "$pathproof" optimize --workspace "$work/workspace.sqlite" >/dev/null
read -r seconds kilobytes <"$work/time"
echo "LOAD engine (pathproof optimize) $seconds" >>"$work/results"
run_engine engine
for query in key-access coverage; do
  cmp -s "$work/engine-rows-$query.csv" "$work/engine-$query.csv" ||
    { echo "the $query answers over the snapshot and over the rows differ" >&2; exit 1; }
done
python3 scripts/kql-benchmark.py sqlite "$work/workspace.sqlite" "$repeat" >>"$work/results"
"$venv/bin/python" scripts/kql-benchmark.py duckdb "$rows" "$repeat" >>"$work/results"
"$venv/bin/python" scripts/kql-benchmark.py duckdb-file "$work/workspace.sqlite" "$repeat" >>"$work/results"
python3 - "$work/results" "$rows" "$repeat" <<'PY'
import sys
results = {}
loads = []
for line in open(sys.argv[1]):
    if line.startswith("LOAD "):
        loads.append(line[5:].rsplit(" ", 1))
        continue
    _, engine, query, seconds, count, peak, *inside = line.split()
    results[(engine, query)] = (float(seconds), int(count), float(peak), float(inside[0]) if inside else None)
print(f"{int(sys.argv[2]):,} generated AzureDiagnostics rows; each time is the median of {sys.argv[3]} runs")
print("engine = `pathproof query` over the column snapshot; engine-rows = over SQLite's rows only (no snapshot)")
print("  seconds: the whole process (start-up, opening, the query, its CSV); in-process: the query and its CSV")
print("sqlite, duckdb, duckdb-file: the query and fetching every row into Python, in one process")
print("duckdb = an in-memory table loaded beforehand; duckdb-file = DuckDB reading the same SQLite file")
for what, seconds in loads:
    print(f"load, not counted below: {what} {float(seconds):.2f} s")
print(f"{'query':<12}{'engine':<13}{'seconds':>9}{'in-process':>12}{'rows':>9}{'peak MB':>9}{'vs sqlite':>11}"
      f"{'vs duckdb':>11}{'vs duckdb-file':>16}")
for query in ("key-access", "coverage"):
    for engine in ("engine", "engine-rows", "sqlite", "duckdb", "duckdb-file"):
        if (engine, query) not in results:
            continue
        seconds, count, peak, inside = results[(engine, query)]
        ratios = []
        for other in ("sqlite", "duckdb", "duckdb-file"):
            base = results.get((other, query))
            ratios.append(f"{seconds / base[0]:.2f}x" if base and base[0] > 0 else "-")
        shown = f"{inside:.3f}" if inside is not None else "-"
        print(f"{query:<12}{engine:<13}{seconds:>9.3f}{shown:>12}{count:>9}{peak:>9.0f}{ratios[0]:>11}{ratios[1]:>11}"
              f"{ratios[2]:>16}")
print("ratios compare whole-process engine seconds with the peers' in-process seconds (the engine's worst case)")
PY
