#!/usr/bin/env bash
# Hostile inputs at full size on a release build: 100 MB single lines (a record, a query response,
# a bare string, one line among ordinary ones), a 16 MB line (just under the default line limit) and a
# 100 MB line with the limit raised, 10,000-deep nesting, invalid UTF-8, NUL bytes, numbers out of
# range, duplicate keys, a billion-row range and a catastrophic regex. Prints a table: case, exit
# status, seconds, peak RSS, and the last line of what the command said. Ingest refuses a line over
# PATHPROOF_MAX_LINE_BYTES (default 16 MiB) without holding it, naming its file and line.
# Usage: scripts/robust-hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pathproof="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PATHPROOF_HOME="$work/home"

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
record = ('{"time":"2026-11-02T08:00:00Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/'
          'MICROSOFT.KEYVAULT/VAULTS/KV","operationName":"KeyGet","category":"AuditEvent","properties":{"x":"%s"}}')
with open(f"{work}/record-line.json", "w") as f:
    f.write(record % ("a" * 100_000_000) + "\n")
with open(f"{work}/string-line.json", "w") as f:
    f.write('"' + "a" * 100_000_000 + '"')
row = ('["2026-11-02T08:00:00Z","/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV",'
       '"KeyGet","' + "x" * 1000 + '"],')
with open(f"{work}/response-line.json", "w") as f:
    f.write('{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},'
            '{"name":"ResourceId","type":"string"},{"name":"OperationName","type":"string"},'
            '{"name":"requestUri_s","type":"string"}],"rows":[')
    f.write(row * 100_000 + row[:-1] + ']}]}')
with open(f"{work}/deep.json", "w") as f:
    f.write((record % "d").replace('"x":"d"', '"x":' + "[" * 10_000 + "]" * 10_000) + "\n")
with open(f"{work}/line-16mb.json", "w") as f:
    f.write(record % ("a" * 16_000_000) + "\n")
with open(f"{work}/mixed-lines.json", "w") as f:
    f.write(record % "first" + "\n" + record % ("a" * 100_000_000) + "\n" + record % "last" + "\n")
with open(f"{work}/bad-utf8.json", "wb") as f:
    f.write((record % "ok").encode() + b"\n" + (record % "X").encode().replace(b"X", b"\xc0\xaf\xed\xa0\x80") + b"\n")
with open(f"{work}/nul.json", "wb") as f:
    f.write((record % "ok").encode() + b"\n" + (record % "X").encode().replace(b"X", b"a\x00b") + b"\n")
with open(f"{work}/numbers.json", "w") as f:
    for number in ["9223372036854775808", "-9223372036854775809", "1e400", "1" + "0" * 400]:
        f.write((record % "n").replace('"x":"n"', '"x":' + number) + "\n")
with open(f"{work}/duplicate-keys.json", "w") as f:
    f.write((record % "n").replace('"x":"n"', '"x":1,"x":2,"operationName":"KeyUnwrap"') + "\n")
PY

printf '| %-30s | %4s | %7s | %9s | %-100s |\n' case exit seconds "peak RSS" "last line of output"
printf '|%s|%s|%s|%s|%s|\n' -------------------------------- ------ --------- ----------- \
    "$(printf -- '-%.0s' {1..102})"
run_case() {
    local name="$1"
    shift
    local started status rss
    started=$(date +%s.%N)
    set +e
    /usr/bin/time -f "%M" -o "$work/rss" "$@" >"$work/out" 2>&1
    status=$?
    set -e
    rss=$(grep -Eo '^[0-9]+$' "$work/rss" | tail -1)
    printf '| %-30s | %4d | %7.2f | %6d MB | %-100.100s |\n' "$name" "$status" \
        "$(echo "$(date +%s.%N) - $started" | bc)" $((rss / 1024)) \
        "$(grep -v "^Command" "$work/out" | tail -1 | sed "s|$work/||g")"
}
echo "line limit: ${PATHPROOF_MAX_LINE_BYTES:-16777216} bytes (PATHPROOF_MAX_LINE_BYTES)"
run_case "100 MB record line (ingest)" "$pathproof" ingest --workspace "$work/w1.sqlite" "$work/record-line.json"
run_case "100 MB line among others" "$pathproof" ingest --workspace "$work/w5.sqlite" "$work/mixed-lines.json"
run_case "16 MB record line (ingest)" "$pathproof" ingest --workspace "$work/w6.sqlite" "$work/line-16mb.json"
run_case "100 MB line, limit raised" env PATHPROOF_MAX_LINE_BYTES=200000000 \
    "$pathproof" ingest --workspace "$work/w7.sqlite" "$work/record-line.json"
run_case "100 MB bare string (ingest)" "$pathproof" ingest --workspace "$work/w2.sqlite" "$work/string-line.json"
run_case "100 MB response line (ingest)" "$pathproof" ingest --workspace "$work/w3.sqlite" "$work/response-line.json"
run_case "10,000-deep nesting (ingest)" "$pathproof" ingest --workspace "$work/w4.sqlite" "$work/deep.json"
run_case "invalid UTF-8 (ingest)" "$pathproof" ingest --workspace "$work/w8.sqlite" "$work/bad-utf8.json"
run_case "raw NUL byte (ingest)" "$pathproof" ingest --workspace "$work/w9.sqlite" "$work/nul.json"
run_case "numbers out of range (ingest)" "$pathproof" ingest --workspace "$work/w10.sqlite" "$work/numbers.json"
run_case "duplicate keys (ingest)" "$pathproof" ingest --workspace "$work/w11.sqlite" "$work/duplicate-keys.json"
run_case "duplicate keys (query)" "$pathproof" query --workspace "$work/w11.sqlite" \
    "AzureDiagnostics | project OperationName, operationName_s, x_d"
run_case "range to 1,000,000,000" "$pathproof" query "range x from 1 to 1000000000 step 1"
run_case "range() of 1e9 + mv-expand" "$pathproof" query "print r = range(1, 1000000000) | mv-expand r | count"
run_case "(a+)+\$ on 40 a's and b" "$pathproof" query \
    "print s = strcat(strrep('a', 40), 'b') | where s matches regex '(a+)+\$'"
