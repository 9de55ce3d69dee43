/// A throughput benchmark with planted faults, run by scripts/analyzer-benchmark.sh (off by default).

import EvidenceAnalysis
import Foundation
import TableModel
import Testing

/// Set `PATHPROOF_ANALYZER_BENCH` to a file path to run; sizes come from
/// `PATHPROOF_ANALYZER_SIZES` (comma-separated row counts, default `10000,100000`).
struct AnalyzerBenchmark {
    static let output = ProcessInfo.processInfo.environment["PATHPROOF_ANALYZER_BENCH"]

    @Test(.enabled(if: output != nil))
    func `analyzer throughput with planted faults`() throws {
        let sizes = (ProcessInfo.processInfo.environment["PATHPROOF_ANALYZER_SIZES"] ?? "10000,100000")
            .split(separator: ",").compactMap { Int($0) }
        var lines = ["| rows | duplicates | analyze (s) | rows/s | report JSON (s) | JSON bytes | verdict |"]
        lines.append("|---:|---:|---:|---:|---:|---:|---|")
        for size in sizes {
            // Every 1000th event is planted with "[]"; every 500th is delivered twice.
            let span = Synthetic.window.to.ticks - Synthetic.window.from.ticks
            var rows = Tables.series(count: size, minutes: 0)
            for index in rows.indices {
                let offset = span * Int64(index) / Int64(size)
                rows[index].time = DateTime(ticks: Synthetic.window.from.ticks + offset).apiText
                if index % 1000 == 999 { rows[index].perimeter = "[]" }
            }
            let copies = stride(from: 0, to: size, by: 500).map { rows[$0] }
            let source = Tables.source(rows + copies)
            let started = Date()
            let report = Analyzer(policy: Synthetic.policy()).run([source])
            let analysed = Date()
            let bytes = report.jsonData.count
            let encoded = Date()
            #expect(report.accesses == size)
            #expect(report.duplicates == copies.count)
            #expect(report.violations.count == size / 1000)
            let seconds = analysed.timeIntervalSince(started)
            lines.append(
                "| \(size) | \(copies.count) | \(String(format: "%.2f", seconds)) | "
                    + "\(Int(Double(size + copies.count) / seconds)) | "
                    + "\(String(format: "%.2f", encoded.timeIntervalSince(analysed))) | \(bytes) | "
                    + "\(report.verdict.rawValue) |")
        }
        if let output = AnalyzerBenchmark.output {
            try lines.joined(separator: "\n").appending("\n").write(toFile: output, atomically: true, encoding: .utf8)
        }
    }
}
