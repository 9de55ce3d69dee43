/// Compares the engine with the output tables of the documentation's self-contained examples.

import Foundation
import KQLEngine
import TableModel

/// One documentation example: the query and the markdown table printed after it.
struct DocsPair {
    var index: Int
    var file: String
    var query: String
    var header: [String]
    var rows: [[String]]

    /// The operator family the page documents, for the summary.
    var family: String {
        let page = file.split(separator: "/").last.map(String.init) ?? file
        if file.hasPrefix("functions-library") { return "functions-library" }
        if page.hasSuffix("-aggregation-function.md") { return "aggregates" }
        if page.hasSuffix("-function.md") { return "scalar functions" }
        if page.hasSuffix("-operator.md") || page.hasPrefix("join") { return "operators" }
        if page.hasSuffix("-plugin.md") { return "plugins" }
        if file.contains("scalar-data-types") { return "types" }
        return "other"
    }
}

enum DocsConformance {
    static func pairs() throws -> [DocsPair] {
        let data = try Data(contentsOf: Conformance.directory.appendingPathComponent("docs_pairs_selfcontained.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let items = root["pairs"] as? [[String: Any]] ?? []
        return items.enumerated().compactMap { index, item in
            guard let query = item["query"] as? String, let table = item["table"] as? [String], table.count >= 2
            else { return nil }
            let cells = table.map(splitRow)
            return DocsPair(
                index: index, file: item["file"] as? String ?? "?", query: query, header: cells[0],
                rows: Array(cells.dropFirst(2)))
        }
    }

    static func splitRow(_ line: String) -> [String] {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("|") { text.removeFirst() }
        if text.hasSuffix("|") { text.removeLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for char in text {
            if escaped {
                current.append(char)
                escaped = false
            } else if char == "\\" {
                escaped = true
                current.append(char)
            } else if char == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(char)
            }
        }
        cells.append(current)
        return cells.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Examples whose output cannot be reproduced (random, current time, truncated tables).
    static func isSkipped(_ pair: DocsPair) -> Bool {
        let volatile = ["rand(", "now(", "ago(", "new_guid(", "sample", "current_", "cursor_"]
        if volatile.contains(where: { pair.query.contains($0) }) { return true }
        return pair.rows.contains { $0.contains("...") || $0.contains("…") }
    }

    /// Judges an example, against its corrected table when it is a listed exception; an exception that
    /// cannot be corrected is reported as such, with its reason.
    static func judge(_ pair: DocsPair) -> (Outcome, String) {
        guard let exception = ConformanceExceptions.docs[pair.index] else { return compare(pair) }
        guard exception.isCorrection else { return (.exception, exception.reason) }
        var corrected = pair
        if let header = exception.header { corrected.header = header }
        if let rows = exception.rows { corrected.rows = rows }
        return compare(corrected)
    }

    static func compare(_ pair: DocsPair) -> (Outcome, String) {
        let tables: [Table]
        do {
            tables = try KQLEngine(tables: InMemoryTables([]), now: Conformance.now).run(pair.query)
        } catch .unsupported(let what) {
            return (.unsupported, what)
        } catch {
            return (.error, error.description)
        }
        guard let table = tables.first else { return (.wrong, "no result") }
        let names = table.columns.map(\.name)
        let header = pair.header.map { cleanCell($0) }
        guard names == header else { return (.wrong, "expected columns \(header), got \(names)") }
        guard table.rows.count == pair.rows.count else {
            return (.wrong, "expected \(pair.rows.count) rows, got \(table.rows.count)")
        }
        var remaining = table.rows
        for expected in pair.rows {
            guard
                let index = remaining.firstIndex(where: { row in
                    row.count == expected.count && zip(row, expected).allSatisfy { cellMatches($0, $1) }
                })
            else {
                return (
                    .wrong, "expected row \(expected) not among \(table.rows.prefix(5).map { $0.map(\.kqlString) })"
                )
            }
            remaining.remove(at: index)
        }
        return (.pass, "")
    }

    static func cleanCell(_ cell: String) -> String {
        var text = cell.replacingOccurrences(of: "&nbsp;", with: "").replacingOccurrences(of: "\\|", with: "|")
            .replacingOccurrences(of: "<br>", with: "").replacingOccurrences(of: "∞", with: "inf")
        if text.hasPrefix("<"), text.hasSuffix(">"), text.contains("://") { text = String(text.dropFirst().dropLast()) }
        text = text.trimmingCharacters(in: .whitespaces)
        if text.count >= 2, text.hasPrefix("`"), text.hasSuffix("`") { text = String(text.dropFirst().dropLast()) }
        if text.count >= 4, text.hasPrefix("**"), text.hasSuffix("**") { text = String(text.dropFirst(2).dropLast(2)) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Whether our value reads as the table cell, allowing the table's number rounding and date spellings.
    static func cellMatches(_ value: Value, _ rawCell: String) -> Bool {
        let cell = cleanCell(rawCell)
        switch value {
        case .null:
            return cell.isEmpty || cell == "null"
        case .string(let s):
            return s == cell || s.trimmingCharacters(in: .whitespaces) == cell
        case .bool(let b):
            let lowered = cell.lowercased()
            return lowered == (b ? "true" : "false") || cell == (b ? "1" : "0")
        case .int, .long, .real:
            guard let ours = Convert.number(value) else { return false }
            let text = cell.replacingOccurrences(of: ",", with: "")
            if ours.isNaN { return text == "NaN" }
            if ours.isInfinite { return text.lowercased().contains("inf") && (ours > 0) == !text.hasPrefix("-") }
            guard let theirs = Double(text) else { return false }
            if theirs == ours { return true }
            let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
            let scale = pow(10.0, Double(decimals))
            if decimals < 15, (ours * scale).rounded() / scale == theirs { return true }
            return abs(theirs - ours) <= 1e-9 * max(abs(theirs), abs(ours))
        case .datetime(let d):
            let normalized = cell.replacingOccurrences(of: " ", with: "T")
            if let theirs = DateTime(iso8601: normalized) { return theirs == d }
            return d.kustoText == cell
        case .timespan(let t):
            return t.text == cell || Timespan(text: cell) == t
        case .guid(let g):
            return g.uuidString.lowercased() == cell.lowercased()
        case .decimal(let d):
            return "\(d)" == cell
        case .dynamic(let d):
            if case .null = d { return cell.isEmpty || cell == "null" }
            if case .string(let s) = d { return s == cell || "\"\(s)\"" == cell }
            // Some pages print JSON with single quotes ({'a': 1}); read those as JSON too.
            let json = cell.contains("\"") ? cell : cell.replacingOccurrences(of: "'", with: "\"")
            guard let theirs = try? JSONParser.parse(json) else { return d.jsonText == cell }
            return dynamicEqual(d, theirs)
        }
    }

    static func dynamicEqual(_ a: Dynamic, _ b: Dynamic) -> Bool {
        switch (a, b) {
        case (.long(let x), .real(let y)), (.real(let y), .long(let x)): return Double(x) == y
        case (.real(let x), .real(let y)): return x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y))
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(dynamicEqual)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { dynamicEqual(value, $0) } ?? false }
        default: return a == b
        }
    }
}

extension Convert {
    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .long(let l): return Double(l)
        case .real(let r): return r
        default: return nil
        }
    }
}

/// Name space for helpers the test target adds.
enum Convert {}
