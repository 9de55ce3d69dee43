#!/usr/bin/env bash
# Fuzzes every reader of untrusted input with pathproof-fuzz (release build) and prints a table:
# target, executions, crashes, hangs, peak RSS, seconds.
#
# Each target runs until RUNS executions are done. The fuzzer writes every input to
# CORPUS/current-TARGET.input before executing it, so when the process dies (a crash) that file is
# the reproducer: it is copied to CORPUS/crashes/ and the fuzzer restarts with the next seed for the
# executions left. A hang (one input over TIMEOUT seconds) is saved by the fuzzer's watchdog in
# CORPUS/hangs/ (exit 70) and counted the same way. Peak RSS is the largest maxrss of any run.
#
# Usage: scripts/fuzz.sh [RUNS] [TARGET...]
#   RUNS defaults to 1000000; targets default to all six. Env: SEED (1), TIMEOUT (2), CORPUS
#   (.build/fuzz-corpus), PATHPROOF_SHARED (../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000000}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(kql-parse kql-eval row-decoder ingest archive-reader json); fi
seed="${SEED:-1}"
timeout="${TIMEOUT:-2}"
corpus="${CORPUS:-.build/fuzz-corpus}"
export PATHPROOF_SHARED="${PATHPROOF_SHARED:-$(cd .. && pwd)/shared}"
mkdir -p "$corpus/crashes" "$corpus/hangs"

fuzzer="$(./scripts/build-release.sh pathproof-fuzz)"
rows=()
for target in "${targets[@]}"; do
    done_runs=0 crashes=0 hangs=0 peak=0 attempt=0
    started=$(date +%s.%N)
    while [ "$done_runs" -lt "$runs" ]; do
        rm -f "$corpus/progress-$target"
        set +e
        /usr/bin/time -f "%M" -o "$corpus/rss-$target" "$fuzzer" "$target" --runs $((runs - done_runs)) \
            --seed $((seed + attempt * 7919)) --timeout "$timeout" --corpus "$corpus" \
            >"$corpus/out-$target" 2>"$corpus/err-$target"
        status=$?
        set -e
        rss=$(grep -Eo '^[0-9]+$' "$corpus/rss-$target" | tail -1 || echo 0)
        [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        if [ "$status" -eq 0 ]; then
            done_runs=$runs
        else
            progress=$(cat "$corpus/progress-$target" 2>/dev/null || echo 0)
            done_runs=$((done_runs + progress + 1))
            if [ "$status" -eq 70 ]; then
                hangs=$((hangs + 1))
                grep -E '^HANG|^input' "$corpus/err-$target" >&2 || true
            else
                crashes=$((crashes + 1))
                name="$corpus/crashes/$target-$(sha256sum "$corpus/current-$target.input" | cut -c1-16).input"
                cp "$corpus/current-$target.input" "$name"
                cp "$corpus/err-$target" "$name.log"
                echo "CRASH in $target (exit $status): reproducer $name" >&2
                grep -m1 -E 'Fatal error|Program crashed' "$corpus/err-$target" >&2 || true
            fi
            if [ $((crashes + hangs)) -ge 25 ]; then
                echo "$target: stopping after 25 findings" >&2
                break
            fi
        fi
        attempt=$((attempt + 1))
    done
    seconds=$(echo "$(date +%s.%N) - $started" | bc)
    rows+=("$(printf '| %-14s | %10d | %7d | %5d | %9d MB | %8.1f |' "$target" "$done_runs" "$crashes" "$hangs" \
        $((peak / 1024)) "$seconds")")
    echo "$(date -u +%H:%M:%S) done: ${rows[-1]}" >&2
done
printf '| %-14s | %10s | %7s | %5s | %12s | %8s |\n' target executions crashes hangs "peak RSS" seconds
printf '|%s|%s|%s|%s|%s|%s|\n' ---------------- ------------ --------- ------- -------------- ----------
for row in "${rows[@]}"; do echo "$row"; done
echo "reproducers: $corpus/crashes/ and $corpus/hangs/"
