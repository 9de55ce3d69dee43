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
    /// The text of `tables` in `format`, for standard output: JSON and JSON Lines pass through
    /// `OutputGuard.json` (same values, no CI command), the table through `OutputGuard.text`. CSV is
    /// data with no escape that keeps its meaning, so it is left as it is.
    static func render(_ tables: [Table], as format: ResultFormat) -> String {
        switch format {
        case .json: return OutputGuard.json(QueryResponseJSON.encode(tables)) + "\n"
        case .table: return OutputGuard.text(tables.map(renderTable).joined(separator: "\n"))
        case .csv: return tables.map(renderCSV).joined(separator: "\n")
        case .jsonl: return OutputGuard.json(tables.map(renderJSONLines).joined())
        }
    }

    /// A cell as text: Kusto's spelling of datetimes and reals, `kqlString` for the rest.
    static func cellText(_ value: Value) -> String {
        switch value {
        case .datetime(let instant): return instant.kustoText
        case .real(let number): return Value.kqlRealText(number)
        default: return value.kqlString
        }
    }

    private static func renderTable(_ table: Table) -> String {
        let header = table.columns.map(\.name)
        // A line break, tab or other control character inside a cell is shown escaped, so that each
        // row stays on one line and the columns line up.
        let body = table.rows.map { $0.map { OutputGuard.controlsEscaped(cellText($0), escapingTabs: true) } }
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

    /// Writes the tables to `console`; CSV goes out in pieces of about a megabyte, so a large result
    /// is never held twice as text.
    static func write(_ tables: [Table], as format: ResultFormat, to console: Console) {
        guard format == .csv else {
            console.write(render(tables, as: format))
            return
        }
        for (index, table) in tables.enumerated() {
            if index > 0 { console.write("\n") }
            var writer = CSVWriter { console.write(bytes: $0) }
            writer.write(table)
            writer.flush()
        }
    }

    private static func renderCSV(_ table: Table) -> String {
        var bytes: [UInt8] = []
        var writer = CSVWriter { bytes.append(contentsOf: $0) }
        writer.write(table)
        writer.flush()
        return String(decoding: bytes, as: UTF8.self)
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
