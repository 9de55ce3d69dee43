/// Renders query results for the terminal and for other tools: table, json, csv, jsonl.

import Foundation
import TableModel

/// The output formats of `pathproof query`.
enum ResultFormat: String, CaseIterable {
    /// Aligned columns for people.
    case table
    /// Exactly the Log Analytics query API response body.
    case json
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON object per row, values encoded as the query API encodes them.
    case jsonl
}

/// Turns result tables into text.
enum ResultFormatter {
    static func render(_ tables: [Table], as format: ResultFormat) -> String {
        switch format {
        case .json: return QueryResponseJSON.encode(tables) + "\n"
        case .table: return tables.map(renderTable).joined(separator: "\n")
        case .csv: return tables.map(renderCSV).joined(separator: "\n")
        case .jsonl: return tables.map(renderJSONLines).joined()
        }
    }

    private static func cellText(_ value: Value) -> String {
        switch value {
        case .datetime(let instant): return instant.kustoText
        case .real(let number): return Value.kqlRealText(number)
        default: return value.kqlString
        }
    }

    private static func renderTable(_ table: Table) -> String {
        let header = table.columns.map(\.name)
        let body = table.rows.map { $0.map(cellText) }
        var widths = header.map(\.count)
        for row in body {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], min(cell.count, 60)) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in
                let shown = cell.count > 60 ? String(cell.prefix(59)) + "…" : cell
                return shown + String(repeating: " ", count: max(0, width - shown.count))
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        lines += body.map(line)
        lines.append("(\(table.rows.count) row\(table.rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV built as UTF-8 bytes (one conversion at the end): a field is quoted when any of its bytes is
    /// a comma, a quote, CR or LF, and its quotes are doubled.
    private static func renderCSV(_ table: Table) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64 * (table.rows.count + 1) * max(1, table.columns.count) / 4)
        func field(_ text: String) {
            var quoted = false
            for byte in text.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                quoted = true
                break
            }
            guard quoted else {
                output.append(contentsOf: text.utf8)
                return
            }
            output.append(0x22)
            for byte in text.utf8 {
                output.append(byte)
                if byte == 0x22 { output.append(0x22) }
            }
            output.append(0x22)
        }
        for (index, column) in table.columns.enumerated() {
            if index > 0 { output.append(0x2C) }
            field(column.name)
        }
        output.append(contentsOf: [0x0D, 0x0A])
        for row in table.rows {
            for (index, value) in row.enumerated() {
                if index > 0 { output.append(0x2C) }
                field(cellText(value))
            }
            output.append(contentsOf: [0x0D, 0x0A])
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func renderJSONLines(_ table: Table) -> String {
        var output = ""
        for row in table.rows {
            output += "{"
            for (index, column) in table.columns.enumerated() {
                if index > 0 { output += "," }
                output += JSONText.quoted(column.name) + ":" + row[index].apiJSON(as: column.type)
            }
            output += "}\n"
        }
        return output
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
