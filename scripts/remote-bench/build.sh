#!/usr/bin/env bash
# Builds the benchmark driver against a release build of RowDecoding and LogAnalytics.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --target LogAnalytics >&2
mkdir -p .build/remote-bench
swiftc -O -I .build/release/Modules -I Sources/CCrypto scripts/remote-bench/main.swift \
    .build/release/LogAnalytics.build/*.o .build/release/RowDecoding.build/*.o \
    .build/release/TableModel.build/*.o -lcrypto -o .build/remote-bench/decode-bench
