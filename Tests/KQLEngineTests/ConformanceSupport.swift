/// Loads the recorded real-engine cases and compares the engine's results with them.

import Foundation
import KQLEngine
import TableModel

/// One query with the result the real Kusto engine gave (kql2sql_kustainer_cases.jsonl).
struct RecordedCase {
    var line: Int
    var kql: String
    var columns: [String]
    var rowCount: Int
    var sampleRows: [String]
    var complete: Bool
    var family: String
}

/// How the engine fared on one case; `exception` is a listed case (ConformanceExceptions) whose
/// recorded expectation cannot be matched, reported with its reason.
enum Outcome: String, CaseIterable {
    case pass, wrong, unsupported, error, exception
}

enum Conformance {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Conformance")

    /// A fixed `now` so that cases using now()/ago() are at least deterministic.
    static let now = DateTime(iso8601: "2026-06-01T00:00:00Z")!

    static func jsonLines(_ name: String) throws -> [(Int, [String: Any])] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var result: [(Int, [String: Any])] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty,
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["kql"] != nil
            else { continue }
            result.append((index + 1, object))
        }
        return result
    }

    static func recordedCases() throws -> [RecordedCase] {
        try jsonLines("kql2sql_kustainer_cases.jsonl").map { line, object in
            RecordedCase(
                line: line, kql: object["kql"] as! String, columns: object["columns"] as? [String] ?? [],
                rowCount: object["rowCount"] as? Int ?? 0, sampleRows: object["sampleRows"] as? [String] ?? [],
                complete: object["complete"] as? Bool ?? false, family: object["family"] as? String ?? "other")
        }
    }

    static func rejectedQueries() throws -> [(line: Int, kql: String)] {
        try jsonLines("kql2sql_kustainer_rejected.jsonl").map { ($0.0, $0.1["kql"] as! String) }
    }

    static func lockedLines(_ name: String) throws -> Set<Int> {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).compactMap { Int($0) })
    }

    /// Runs one recorded case and judges the result; the message explains a failure.
    static func judge(_ recorded: RecordedCase) -> (Outcome, String) {
        if let reason = ConformanceExceptions.kustainer[recorded.line] { return (.exception, reason) }
        let tables: [Table]
        do {
            tables = try KQLEngine(tables: InMemoryTables([]), now: now).run(recorded.kql)
        } catch .unsupported(let what) {
            return (.unsupported, what)
        } catch {
            return (.error, error.description)
        }
        guard let table = tables.first else { return (.wrong, "no result table") }
        let columns = table.columns.map { "\($0.name):\(harnessType($0.type))" }
        guard columns == recorded.columns else {
            return (.wrong, "expected columns \(recorded.columns), got \(columns)")
        }
        guard table.rows.count == recorded.rowCount else {
            return (.wrong, "expected \(recorded.rowCount) rows, got \(table.rows.count)")
        }
        let ours = table.rows.map { render($0, table.columns) }
        let expected = recorded.sampleRows.map(normalize)
        if isOrdered(recorded.kql) {
            let keys = SortKeys.columns(recorded.kql, table.columns.map(\.name))
            return orderedMatch(ours, expected, ties: SortKeys.tieGroups(table.rows, keys))
        }
        var remaining = ours
        for row in expected {
            guard let index = remaining.firstIndex(where: { same($0, row) }) else {
                return (.wrong, "expected row \(row) not among \(ours.prefix(8))")
            }
            remaining.remove(at: index)
        }
        return (.pass, "")
    }

    /// Compares rows in order, except that rows in one tie group (equal sort keys) may come in any
    /// order: the expected rows at the group's positions must be a sub-multiset of our group.
    static func orderedMatch(_ ours: [String], _ expected: [String], ties: [Range<Int>]) -> (Outcome, String) {
        for group in ties where group.lowerBound < expected.count {
            var remaining = Array(ours[group])
            for index in group.lowerBound..<min(group.upperBound, expected.count) {
                guard let match = remaining.firstIndex(where: { same($0, expected[index]) }) else {
                    return (.wrong, "row \(index): expected \(expected[index]), got \(ours[index])")
                }
                remaining.remove(at: match)
            }
        }
        return (.pass, "")
    }

    static func isOrdered(_ kql: String) -> Bool {
        kql.contains("sort by") || kql.contains("order by") || kql.contains("| top ") || kql.contains("|top ")
    }

    static func harnessType(_ type: ColumnType) -> String {
        switch type {
        case .int, .long: return "Int"
        case .real: return "Real"
        case .string: return "String"
        case .datetime: return "DateTime"
        case .timespan: return "TimeSpan"
        case .dynamic: return "Dynamic"
        case .bool: return "Bool"
        case .guid: return "Guid"
        // The recording harness spells decimal columns Real (gettype() in the same cases says decimal).
        case .decimal: return "Real"
        }
    }

    /// A row in the recording harness's spelling, dynamic values as compact JSON with sorted keys.
    static func render(_ row: [Value], _ columns: [Column]) -> String {
        let fields = row.map { value -> String in
            switch value {
            case .null: return "null"
            case .bool(let b): return b ? "True" : "False"
            case .int(let i): return String(i)
            case .long(let l): return String(l)
            case .real(let r):
                if r.isNaN { return "NaN" }
                if r.isInfinite { return r > 0 ? "Infinity" : "-Infinity" }
                return "\(r)"
            case .decimal(let d): return "\(d)"
            case .string(let s): return "'\(s)'"
            case .datetime(let d): return d.kustoText
            case .timespan(let t): return t.text
            case .guid(let g): return "'" + g.uuidString.lowercased() + "'"
            case .dynamic(let d): return d.jsonText
            }
        }
        return "(" + fields.joined(separator: ", ") + ")"
    }

    /// The recorded row with every JSON value (pretty-printed by the harness) re-written compactly.
    static func normalize(_ row: String) -> String {
        let chars = Array(row)
        var output = ""
        var index = 0
        var atFieldStart = true
        var inQuote = false
        while index < chars.count {
            let char = chars[index]
            if atFieldStart, !inQuote, char == "[" || char == "{", let end = jsonEnd(chars, from: index) {
                let text = String(chars[index..<end])
                if let parsed = try? JSONParser.parse(text) {
                    output += parsed.jsonText
                    index = end
                    atFieldStart = false
                    continue
                }
            }
            if char == "'" {
                if !inQuote, atFieldStart {
                    inQuote = true
                } else if inQuote, index + 1 < chars.count,
                    chars[index + 1] == "," || chars[index + 1] == ")"
                {
                    inQuote = false
                }
            }
            atFieldStart = !inQuote && (char == "(" || (char == " " && index > 0 && chars[index - 1] == ","))
            output.append(char)
            index += 1
        }
        return output
    }

    private static func jsonEnd(_ chars: [Character], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var index = start
        while index < chars.count {
            let char = chars[index]
            if inString {
                if char == "\\" {
                    index += 1
                } else if char == "\"" {
                    inString = false
                }
            } else if char == "\"" {
                inString = true
            } else if char == "[" || char == "{" {
                depth += 1
            } else if char == "]" || char == "}" {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    /// Equal text, or equal text around numbers that agree within a relative 1e-9.
    static func same(_ ours: String, _ theirs: String) -> Bool {
        if ours == theirs { return true }
        let (a, aNumbers) = skeleton(ours)
        let (b, bNumbers) = skeleton(theirs)
        guard a == b, aNumbers.count == bNumbers.count else { return false }
        for (x, y) in zip(aNumbers, bNumbers) where x != y {
            if abs(x - y) > 1e-9 * max(abs(x), abs(y)) { return false }
        }
        return true
    }

    private static func skeleton(_ text: String) -> (String, [Double]) {
        var shape = ""
        var numbers: [Double] = []
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            let previous: Character? = index > 0 ? chars[index - 1] : nil
            let startsNumber =
                char.isNumber || (char == "-" && index + 1 < chars.count && chars[index + 1].isNumber)
            if startsNumber, previous == nil || !(previous!.isLetter || previous!.isNumber || previous == ".") {
                var end = index + 1
                while end < chars.count, chars[end].isNumber || chars[end] == "." { end += 1 }
                if end < chars.count, chars[end] == "E" || chars[end] == "e" {
                    var probe = end + 1
                    if probe < chars.count, chars[probe] == "+" || chars[probe] == "-" { probe += 1 }
                    if probe < chars.count, chars[probe].isNumber {
                        end = probe
                        while end < chars.count, chars[end].isNumber { end += 1 }
                    }
                }
                if let value = Double(String(chars[index..<end])) {
                    numbers.append(value)
                    shape += "#"
                    index = end
                    continue
                }
            }
            shape.append(char)
            index += 1
        }
        return (shape, numbers)
    }
}
