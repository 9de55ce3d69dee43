#!/usr/bin/env bash
# Crash safety: kills `pathproof ingest` and `pathproof verify --archive` with SIGKILL at random
# points until KILLS kills were delivered (default 1000; the two alternate), on a release build,
# then checks:
#  - the workspace opens, passes SQLite's integrity check, and every ingested file is whole: its
#    pp_files row count is the file's record count and the table holds exactly the sum of them;
#    no file that finished successfully is missing;
#  - the archive opens and `pathproof archive verify` is clean; the number of archived reports is
#    at least the number of verify runs that finished (none lost) and at most that plus the runs
#    killed (a kill can land after the commit, before the process exits).
# Every CHECK_EVERY runs the same checks run on the state so far. Prints a table at the end.
# Usage: scripts/crash-safety.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-1000}"
check_every="${CHECK_EVERY:-100}"
pathproof="$(./scripts/build-release.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
records="../shared/fixtures/public/keyvault-records/pt1h-jsonlines-sekoia-2024.json"
demo="Fixtures/demo/contoso-cmk"
policy="Fixtures/demo/policy.json"
export PATHPROOF_HOME="$work/home" PATHPROOF_QUERIES="$PWD/Queries"
"$pathproof" keys generate --out "$work/keys" >/dev/null
workspace="$work/workspace.sqlite"
archive="$work/archive.sqlite"
per_file=$(grep -c . "$records")

ingest_ok=0 ingest_killed=0 ingest_rows_ok=0 verify_ok=0 verify_killed=0 failures=0
random_delay() { printf '0.%03d' $((RANDOM % $1)); }

check() {
    local label="$1"
    local integrity rows expected whole
    integrity=$(sqlite3 "$workspace" "PRAGMA integrity_check" 2>&1 || true)
    if [ -f "$workspace" ] && [ "$integrity" != "ok" ]; then
        echo "FAIL ($label): workspace integrity: $integrity" >&2; failures=$((failures + 1))
    fi
    if [ -f "$workspace" ] && sqlite3 "$workspace" "SELECT 1 FROM sqlite_master WHERE name='data_AzureDiagnostics'" \
        | grep -q 1; then
        rows=$("$pathproof" query --workspace "$workspace" --format csv "AzureDiagnostics | count" | tail -1 | tr -d '\r ')
        expected=$(sqlite3 "$workspace" "SELECT coalesce(sum(rows), 0) FROM pp_files")
        whole=$(sqlite3 "$workspace" "SELECT count(*) FROM pp_files WHERE rows != $per_file OR rejected != 0")
        if [ "$rows" != "$expected" ] || [ "$whole" != "0" ]; then
            echo "FAIL ($label): workspace holds $rows rows, files say $expected, $whole partial files" >&2
            failures=$((failures + 1))
        fi
        if [ "$rows" -lt "$ingest_rows_ok" ] || [ "$rows" -gt $((ingest_rows_ok + ingest_killed * per_file)) ]; then
            echo "FAIL ($label): $rows rows; finished ingests account for $ingest_rows_ok" >&2
            failures=$((failures + 1))
        fi
    fi
    if [ -f "$archive" ]; then
        if ! "$pathproof" archive verify --archive "$archive" --public-key "$work/keys/signing-key.pub.pem" \
            >"$work/archive-verify.txt" 2>&1; then
            echo "FAIL ($label): archive verify:" >&2; cat "$work/archive-verify.txt" >&2
            failures=$((failures + 1))
        fi
        local entries
        entries=$(sqlite3 "$archive" "SELECT count(*) FROM leaves")
        if [ "$entries" -lt "$verify_ok" ] || [ "$entries" -gt $((verify_ok + verify_killed)) ]; then
            echo "FAIL ($label): $entries archived reports; $verify_ok verify runs finished, $verify_killed killed" >&2
            failures=$((failures + 1))
        fi
    fi
}

started=$(date +%s)
i=0
while [ $((ingest_killed + verify_killed)) -lt "$kills" ]; do
    i=$((i + 1))
    # Each ingest gets a new file (a marker makes its digest unique) so every run writes rows.
    input="$work/in/run-$i/PT1H.json"
    mkdir -p "$(dirname "$input")"
    sed "s/^{/{\"robustRun\":\"$i\",/" "$records" >"$input"
    set +e
    status=$({ timeout -s KILL "$(random_delay 100)" "$pathproof" ingest --workspace "$workspace" "$input" \
        >/dev/null 2>&1; echo $?; } 2>/dev/null)
    set -e
    if [ "$status" -eq 137 ]; then ingest_killed=$((ingest_killed + 1)); elif [ "$status" -eq 0 ]; then
        ingest_ok=$((ingest_ok + 1)); ingest_rows_ok=$((ingest_rows_ok + per_file))
    else
        echo "FAIL: ingest run $i exited $status" >&2; failures=$((failures + 1))
    fi

    i=$((i + 1))
    set +e
    status=$({ timeout -s KILL "$(random_delay 450)" "$pathproof" verify --workspace "$demo" --policy "$policy" \
        --key "$work/keys/signing-key.pem" --archive "$archive" --now 2026-11-03T00:00:00Z >/dev/null 2>&1
        echo $?; } 2>/dev/null)
    set -e
    if [ "$status" -eq 137 ]; then verify_killed=$((verify_killed + 1)); elif [ "$status" -le 2 ]; then
        verify_ok=$((verify_ok + 1))
    else
        echo "FAIL: verify run $i exited $status" >&2; failures=$((failures + 1))
    fi
    if [ $((i % (check_every / 2))) -eq 0 ]; then check "after $i runs"; fi
done
check "final"
entries=$(sqlite3 "$archive" "SELECT count(*) FROM leaves" 2>/dev/null || echo 0)
rows=$(sqlite3 "$workspace" "SELECT coalesce(sum(rows), 0) FROM pp_files" 2>/dev/null || echo 0)
printf '| %-8s | %8s | %6s | %8s | %-34s |\n' command runs killed finished "afterwards"
printf '|%s|%s|%s|%s|%s|\n' ---------- ---------- -------- ---------- ------------------------------------
printf '| %-8s | %8d | %6d | %8d | %-34s |\n' ingest $((ingest_ok + ingest_killed)) "$ingest_killed" "$ingest_ok" \
    "$rows rows, every file whole"
printf '| %-8s | %8d | %6d | %8d | %-34s |\n' verify $((verify_ok + verify_killed)) "$verify_killed" "$verify_ok" \
    "$entries reports archived, verify clean"
echo "seconds: $(($(date +%s) - started)); failures: $failures"
[ "$failures" -eq 0 ]
