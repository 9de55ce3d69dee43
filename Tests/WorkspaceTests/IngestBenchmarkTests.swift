/// An opt-in throughput measurement: set PATHPROOF_INGEST_BENCH to a log file or directory
/// (scripts/ingest-benchmark.sh does), otherwise the test only checks that it was skipped.

import Foundation
import Testing

@testable import Workspace

struct IngestBenchmarkTests {
    @Test func `ingest throughput on the file named by PATHPROOF_INGEST_BENCH`() throws {
        guard let input = ProcessInfo.processInfo.environment["PATHPROOF_INGEST_BENCH"] else { return }
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
        #expect(summary.rejected.isEmpty && scanned == summary.totalRows)
    }
}
