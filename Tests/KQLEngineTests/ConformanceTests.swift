/// Locks in the recorded real-engine cases the engine passes, checks rejected queries are rejected,
/// and (with KQL_CONFORMANCE_REPORT set) prints the per-family summary the conformance script shows.

import Foundation
import KQLEngine
import TableModel
import Testing

struct ConformanceTests {
    @Test func `every locked-in recorded case still passes`() throws {
        let locked = try Conformance.lockedLines("passing-kustainer.txt")
        let cases = try Conformance.recordedCases().filter { locked.contains($0.line) }
        #expect(cases.count == locked.count)
        for recorded in cases {
            let (outcome, message) = Conformance.judge(recorded)
            #expect(outcome == .pass, "line \(recorded.line): \(recorded.kql)\n\(message)")
        }
    }

    @Test func `the locked-in rejected queries are refused`() throws {
        let locked = try Conformance.lockedLines("rejected-kustainer.txt")
        for (line, kql) in try Conformance.rejectedQueries() where locked.contains(line) {
            #expect(throws: KQLError.self, "line \(line): \(kql)") {
                try KQLEngine(tables: InMemoryTables([]), now: Conformance.now).run(kql)
            }
        }
    }

    @Test func `every locked-in documentation example still passes`() throws {
        let locked = try Conformance.lockedLines("passing-docs.txt")
        let pairs = try DocsConformance.pairs().filter { locked.contains($0.index) }
        #expect(pairs.count == locked.count)
        for pair in pairs {
            let (outcome, message) = DocsConformance.judge(pair)
            #expect(outcome == .pass, "docs pair \(pair.index) (\(pair.file)): \(pair.query)\n\(message)")
        }
    }

    static func table(_ title: String, _ byFamily: [String: [Outcome: Int]]) -> String {
        let labels = Outcome.allCases.map(\.rawValue) + ["total"]
        var report = title.padding(toLength: 26, withPad: " ", startingAt: 0)
        for label in labels { report += "  " + label }
        report += "\n"
        var totals: [Outcome: Int] = [:]
        func row(_ name: String, _ counts: [Outcome: Int]) -> String {
            var line = name.padding(toLength: 26, withPad: " ", startingAt: 0)
            let values = Outcome.allCases.map { counts[$0] ?? 0 } + [counts.values.reduce(0, +)]
            for (label, value) in zip(labels, values) {
                let text = String(value)
                line += String(repeating: " ", count: max(1, label.count + 2 - text.count)) + text
            }
            return line + "\n"
        }
        for family in byFamily.keys.sorted() {
            report += row(family, byFamily[family]!)
            for (outcome, count) in byFamily[family]! { totals[outcome, default: 0] += count }
        }
        return report + row("TOTAL", totals)
    }

    /// The listed exceptions with their reasons, for the report.
    static func exceptionList() -> String {
        var text = "\nlisted exceptions (recorded expectation not matched, with the reason):\n"
        for (line, reason) in ConformanceExceptions.rejected.sorted(by: { $0.key < $1.key }) {
            text += "  rejected line \(line) (still run): \(reason)\n"
        }
        for (line, reason) in ConformanceExceptions.kustainer.sorted(by: { $0.key < $1.key }) {
            text += "  kustainer line \(line): \(reason)\n"
        }
        for (index, exception) in ConformanceExceptions.docs.sorted(by: { $0.key < $1.key }) {
            let kind = exception.isCorrection ? "judged against a corrected table" : "not judged"
            text += "  docs pair \(index) (\(kind)): \(exception.reason)\n"
        }
        return text
    }

    @Test func `conformance report`() throws {
        guard let output = ProcessInfo.processInfo.environment["KQL_CONFORMANCE_REPORT"] else { return }
        var byFamily: [String: [Outcome: Int]] = [:]
        var passing: [Int] = []
        var details = ""
        for recorded in try Conformance.recordedCases() {
            let (outcome, message) = Conformance.judge(recorded)
            byFamily[recorded.family, default: [:]][outcome, default: 0] += 1
            if outcome == .pass {
                passing.append(recorded.line)
            } else {
                details += "\(outcome.rawValue)\t\(recorded.line)\t\(recorded.family)\t"
                details += recorded.kql.replacingOccurrences(of: "\n", with: " ") + "\n\t\t" + message + "\n"
            }
        }
        var rejected: [Int] = []
        var accepted: [Int] = []
        var excepted = 0
        for (line, kql) in try Conformance.rejectedQueries() {
            if ConformanceExceptions.rejected[line] != nil {
                excepted += 1
                continue
            }
            do {
                _ = try KQLEngine(tables: InMemoryTables([]), now: Conformance.now).run(kql)
                accepted.append(line)
                details += "accepted-rejected\t\(line)\t" + kql.replacingOccurrences(of: "\n", with: " ") + "\n"
            } catch {
                rejected.append(line)
            }
        }
        var report = Self.table("recorded cases (family)", byFamily)
        report += "\nrejected queries refused: \(rejected.count) of \(rejected.count + accepted.count)"
        report += " (and \(excepted) listed exceptions)\n"
        var docsByFamily: [String: [Outcome: Int]] = [:]
        var docsPassing: [Int] = []
        var skipped = 0
        for pair in try DocsConformance.pairs() {
            if DocsConformance.isSkipped(pair) {
                skipped += 1
                continue
            }
            let (outcome, message) = DocsConformance.judge(pair)
            docsByFamily[pair.family, default: [:]][outcome, default: 0] += 1
            if outcome == .pass {
                docsPassing.append(pair.index)
            } else {
                details += "docs-\(outcome.rawValue)\t\(pair.index)\t\(pair.file)\t"
                details += pair.query.replacingOccurrences(of: "\n", with: " ") + "\n\t\t" + message + "\n"
            }
        }
        report += "\n" + Self.table("documentation examples", docsByFamily)
        report += "(\(skipped) examples skipped: random, current time or truncated output)\n"
        report += Self.exceptionList()
        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try report.write(to: directory.appendingPathComponent("summary.txt"), atomically: true, encoding: .utf8)
        try details.write(to: directory.appendingPathComponent("failures.txt"), atomically: true, encoding: .utf8)
        try (passing.map(String.init).joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("passing-kustainer.txt"), atomically: true, encoding: .utf8)
        try (docsPassing.map(String.init).joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("passing-docs.txt"), atomically: true, encoding: .utf8)
        try (rejected.map(String.init).joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("rejected-kustainer.txt"), atomically: true, encoding: .utf8)
    }
}
