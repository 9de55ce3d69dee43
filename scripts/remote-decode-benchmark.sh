#!/usr/bin/env bash
# Decode benchmark for the Log Analytics response scanner (PathProof issue 4).
#
# Decodes one 500,000-row Log Analytics-shaped response (~119 MB) by: our streaming scanner's row
# visitor (release build, reading the file in 1 MiB chunks, every cell typed, text left in the buffer
# as borrowed slices), the same visitor turning every row into owned values (what a caller that keeps
# rows, such as verify, pays), the same scanner's event API (rows as [Value], every string made a String and
# every dynamic parsed), Foundation JSONSerialization (+ a typed
# walk), Python orjson and Python json (+ the same walk); then fetches the same body from the loopback
# server through LogAnalyticsClient.queryStreaming (download to a file, then streamed decode).
# Prints a table with MB/s, the ratio to orjson, and peak RSS, then the issue's targets, each judged
# on wall time and on the decode's own CPU time (the machine may be shared; CPU time is not inflated
# by waiting for a core, though contention for caches still slows it).
#
# Usage: scripts/remote-decode-benchmark.sh [ROWS]     (default 500000)
#        BENCH_CHUNK=BYTES sets the visitor's read size (default 1 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-500000}"
WORK=.build/remote-bench
BODY="$WORK/la-$ROWS.json"
mkdir -p "$WORK"
if [ ! -s "$BODY" ]; then
    echo "generating $ROWS rows into $BODY ..." >&2
    python3 scripts/remote-bench/gen_response.py "$ROWS" "$BODY"
fi
scripts/remote-bench/build.sh
DRIVER="$WORK/decode-bench"
cat "$BODY" > /dev/null # warm the page cache so every method reads from memory

run() { # label command... → "label seconds bytes rss_kb rows decode_cpu_seconds"
    local label="$1"; shift
    local out rss
    out=$( { /usr/bin/time -f "RSS %M" "$@"; } 2>"$WORK/time.txt" )
    rss=$(awk '/^RSS/ {print $2}' "$WORK/time.txt")
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(sys.argv[2], d["seconds"], d["bytes"], sys.argv[3], d["rows"], d["cpu"])' \
        "$out" "$label" "$rss"
}

SERVER_OUT="$WORK/server.txt"
python3 scripts/remote-la-server.py /dev/null --body-file "$BODY" > "$SERVER_OUT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q PORT "$SERVER_OUT" && break; sleep 0.1; done
PORT=$(awk '/PORT/ {print $2}' "$SERVER_OUT")

RESULTS="$WORK/results.txt"
{
    run "visitor(file,1MiB)" "$DRIVER" visitor "$BODY"
    run "visitor+owned-values" "$DRIVER" visitor-values "$BODY"
    run "scanner(file,1MiB)" "$DRIVER" scanner "$BODY"
    run "JSONSerialization" "$DRIVER" serialization "$BODY"
    run "python-orjson" python3 scripts/remote-bench/pybench.py orjson "$BODY"
    run "python-json" python3 scripts/remote-bench/pybench.py json "$BODY"
    run "client-stream(loopback)" "$DRIVER" stream "http://127.0.0.1:$PORT/q/bench/file" "$BODY"
} > "$RESULTS"

python3 - "$RESULTS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
data = {r[0]: dict(seconds=float(r[1]), bytes=int(r[2]), rss=int(r[3]) / 1024, rows=int(r[4]), cpu=float(r[5]))
        for r in rows}
orjson = data["python-orjson"]
print(f"wall = the decode as timed inside each process; cpu = the CPU time of that same decode (user+sys,")
print(f"from inside the process), which other load on the machine does not inflate. Machine: "
      f"{sys.argv[2]} cores, load average {sys.argv[3]} at the end.")
print(f"{'method':<26} {'rows':>8} {'wall s':>7} {'MB/s':>7} {'x orjson':>9} {'cpu s':>6} {'MB/s cpu':>9} "
      f"{'x orjson cpu':>13} {'peak RSS MB':>12}")
for name, d in data.items():
    mbps = d["bytes"] / 1e6 / d["seconds"]
    cpu_mbps = d["bytes"] / 1e6 / d["cpu"] if d["cpu"] else 0
    print(f"{name:<26} {d['rows']:>8} {d['seconds']:>7.2f} {mbps:>7.1f} {orjson['seconds'] / d['seconds']:>9.2f} "
          f"{d['cpu']:>6.2f} {cpu_mbps:>9.1f} {orjson['cpu'] / d['cpu']:>13.2f} {d['rss']:>12.1f}")
stream = data["client-stream(loopback)"]
print()
for label in ("visitor(file,1MiB)", "scanner(file,1MiB)"):
    d = data[label]
    for basis in ("seconds", "cpu"):
        rate = d["bytes"] / 1e6 / d[basis]
        ratio = orjson[basis] / d[basis]
        print(f"{label:<20} {'wall' if basis == 'seconds' else 'cpu ':<4}: >= 500 MB/s typed rows: {rate:5.0f} MB/s "
              f"{'MET' if rate >= 500 else 'MISSED':<6}  >= 6x orjson: {ratio:4.1f}x {'MET' if ratio >= 6 else 'MISSED'}")
print(f"target <= 64 MB RSS streaming : {stream['rss']:.0f} MB {'MET' if stream['rss'] <= 64 else 'MISSED'}")
PY
