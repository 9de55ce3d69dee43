#!/usr/bin/env bash
# Builds the benchmark driver against a release build of RowDecoding (used by remote-decode-benchmark.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --target RowDecoding >&2
mkdir -p .build/remote-bench
swiftc -O -I .build/release/Modules scripts/remote-bench/main.swift \
    .build/release/RowDecoding.build/*.o .build/release/TableModel.build/*.o -o .build/remote-bench/decode-bench
