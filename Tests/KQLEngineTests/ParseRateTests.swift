/// Parses the practitioners' security queries (with KQL_PARSE_RATE_REPORT set, writes the share parsed
/// and the failures by cause for scripts/kql-parse-rate.sh); always checks locked-in floors. Two
/// shares: the syntax the parser reads (`KQLEngine.parse`), and what also passes the name check of
/// `pathproof parse` (`KQLEngine.check`: functions, operators and plugins the engine implements).

import Foundation
import KQLEngine
import Testing

struct ParseRateTests {
    static func corpus() throws -> [(source: String, query: String)] {
        let data = try Data(
            contentsOf: Conformance.directory.appendingPathComponent("security_queries_local_corpora.json"))
        let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return items.compactMap { item in
            guard let query = item["query"] as? String else { return nil }
            return (item["src"] as? String ?? "?", query)
        }
    }

    /// Parses a corpus entry. A file may hold several queries separated by blank lines, which the Log
    /// Analytics portal runs one at a time; when the whole text fails, each blank-line-separated piece
    /// (ignoring pieces that are only comments) must parse.
    static func parse(_ text: String, checkingNames: Bool = false) throws(KQLError) {
        func parseOne(_ query: String) throws(KQLError) {
            if checkingNames { try KQLEngine.check(query) } else { try KQLEngine.parse(query) }
        }
        do {
            try parseOne(text)
            return
        } catch {
            var pieces: [String] = []
            var current: [Substring] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.allSatisfy(\.isWhitespace) {
                    pieces.append(current.joined(separator: "\n"))
                    current = []
                } else {
                    current.append(line)
                }
            }
            pieces.append(current.joined(separator: "\n"))
            let queries = pieces.filter { piece in
                piece.split(separator: "\n").contains { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            }
            guard queries.count > 1 else { throw error }
            for query in queries { try parseOne(query) }
        }
    }

    /// The failure's cause without positions, so that failures group.
    static func cause(_ error: KQLError) -> String {
        switch error {
        case .syntax(_, _, let expected, let found): return "syntax: expected \(expected), found \(found)"
        case .unsupported(let what): return "unsupported: \(what)"
        default: return error.description
        }
    }

    @Test func `at least the locked-in share of security queries parses`() throws {
        let queries = try Self.corpus()
        var parsed = 0
        var checked = 0
        for (_, query) in queries where (try? Self.parse(query)) != nil {
            parsed += 1
            if (try? Self.parse(query, checkingNames: true)) != nil { checked += 1 }
        }
        #expect(queries.count > 1000)
        #expect(Double(parsed) / Double(queries.count) >= 0.98, "parsed \(parsed) of \(queries.count)")
        // The check refuses what run refuses at once: functions, plugins and operators the engine does
        // not implement (geo_info_from_ip_address, ingestion_time, externaldata, invoke, series_*).
        #expect(Double(checked) / Double(queries.count) >= 0.79, "checked \(checked) of \(queries.count)")
    }

    @Test func `parse rate report`() throws {
        guard let output = ProcessInfo.processInfo.environment["KQL_PARSE_RATE_REPORT"] else { return }
        let queries = try Self.corpus()
        var report = ""
        for checkingNames in [false, true] {
            var causes: [String: [String]] = [:]
            var passed = 0
            for (source, query) in queries {
                do {
                    try Self.parse(query, checkingNames: checkingNames)
                    passed += 1
                } catch {
                    causes[Self.cause(error), default: []].append(source)
                }
            }
            let what =
                checkingNames
                ? "pass `pathproof parse` (syntax, and what the engine implements)" : "parsed (syntax)"
            report += String(
                format: "%@: %d of %d security queries (%.1f%%)\n\nfailures by cause:\n", what, passed,
                queries.count, 100 * Double(passed) / Double(max(1, queries.count)))
            for (cause, sources) in causes.sorted(by: { $0.value.count > $1.value.count }) {
                if checkingNames, sources.count < 2 { continue }
                report += String(format: "%5d  %@\n", sources.count, cause)
                for source in sources.prefix(3) { report += "         e.g. \(source)\n" }
            }
            report += "\n"
        }
        try report.write(toFile: output, atomically: true, encoding: .utf8)
    }
}
