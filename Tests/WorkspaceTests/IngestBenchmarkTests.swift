/// Throughput of ingest and scan: on the file or directory named by PATHPROOF_INGEST_BENCH (as
/// scripts/ingest-benchmark.sh sets it, printing a table), else on the Sekoia fixture.

import Foundation
import Testing

@testable import Workspace

struct IngestBenchmarkTests {
    @Test func `ingest throughput on the file named by PATHPROOF_INGEST_BENCH`() throws {
        let named = ProcessInfo.processInfo.environment["PATHPROOF_INGEST_BENCH"]
        let input = named ?? Fixtures.record("pt1h-jsonlines-sekoia-2024.json")
        let directory = try Fixtures.temporaryDirectory()
        let workspace = try Workspace(path: directory + "/bench.sqlite")
        let started = Date()
        let summary = try workspace.ingest(paths: [input])
        let seconds = Date().timeIntervalSince(started)
        let bytes = summary.files.compactMap {
            try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int
        }
        .reduce(0, +)
        let started2 = Date()
        var cursor = try workspace.scan("AzureDiagnostics")
        var scanned = 0
        while try cursor.next() != nil { scanned += 1 }
        let scanSeconds = Date().timeIntervalSince(started2)
        #expect(summary.rejected.isEmpty && scanned == summary.totalRows && scanned > 0)
        guard named != nil else { return }
        let megabytes = Double(bytes) / 1_000_000
        print("| step   | rows    | MB      | seconds | MB/s   | rows/s   |")
        print("|--------|---------|---------|---------|--------|----------|")
        print(
            String(
                format: "| ingest | %7d | %7.1f | %7.2f | %6.1f | %8.0f |", summary.totalRows, megabytes, seconds,
                megabytes / seconds, Double(summary.totalRows) / seconds))
        print(
            String(
                format: "| scan   | %7d |         | %7.2f |        | %8.0f |", scanned, scanSeconds,
                Double(scanned) / scanSeconds))
    }
}
