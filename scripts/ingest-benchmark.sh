#!/usr/bin/env bash
# Ingest throughput and memory: builds the tests in release mode, writes a PT1H.json of N real
# Sekoia records (repeated from the public fixture), ingests it into a fresh workspace file and
# prints a table (rows, MB, seconds, MB/s, rows/s) plus the grep -E "^\||peak resident"memory.
# Usage: scripts/ingest-benchmark.sh [records]   (default 100000, about 131 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-100000}"
source_file="../shared/fixtures/public/keyvault-records/pt1h-jsonlines-sekoia-2024.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$source_file" "$records" "$work/PT1H.json" <<'PY'
import sys
lines = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for index in range(int(sys.argv[2])):
        out.write(lines[index % len(lines)] + "\n")
PY

swift build -c release --build-tests -Xswiftc -enable-testing >&2
PATHPROOF_INGEST_BENCH="$work/PT1H.json" /usr/bin/time \
    -f "peak resident memory: %M KB; CPU: %U s user, %S s system (wall times include waiting on a busy machine)" \
    .build/release/PathProofPackageTests.xctest --testing-library swift-testing --filter IngestBenchmark 2>&1 \
    | grep -E '^\||peak resident'
