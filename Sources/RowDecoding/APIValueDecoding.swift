/// Typing one cell of a query response by its column's declared type.

import Foundation
import TableModel

/// Why a cell could not be read as its column's declared type.
public struct CellDecodingError: Error, Sendable, CustomStringConvertible {
    /// The column name.
    public var column: String
    /// The declared type.
    public var type: ColumnType
    /// The offending JSON text.
    public var text: String

    public var description: String { "column '\(column)' is declared \(type.rawValue) but holds \(text)" }
}

extension Value {
    /// Reads one parsed JSON cell as the query API encodes a value of `type`.
    ///
    /// long and int stay exact integers; real accepts `"NaN"`, `"Infinity"`, `"-Infinity"`; decimal comes
    /// from a string; datetime has 0–7 fraction digits; a dynamic string holding JSON is parsed, any other
    /// string is kept; a string column is never null.
    public static func fromAPI(_ cell: Dynamic, as type: ColumnType, column: String) throws(CellDecodingError) -> Value
    {
        let failure = CellDecodingError(column: column, type: type, text: String(cell.jsonText.prefix(80)))
        if case .null = cell { return type == .string ? .string("") : .null }
        switch (type, cell) {
        case (.string, .string(let text)): return .string(text)
        case (.string, _): return .string(cell.jsonText)
        case (.bool, .bool(let flag)): return .bool(flag)
        case (.int, .long(let number)):
            guard let exact = Int32(exactly: number) else { throw failure }
            return .int(exact)
        case (.long, .long(let number)): return .long(number)
        case (.real, .long(let number)): return .real(Double(number))
        case (.real, .real(let number)): return .real(number)
        case (.real, .string(let text)):
            switch text {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: throw failure
            }
        case (.decimal, .string(let text)):
            guard let number = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { throw failure }
            return .decimal(number)
        case (.decimal, .long(let number)): return .decimal(Decimal(number))
        case (.datetime, .string(let text)):
            guard let instant = DateTime(iso8601: text) else { throw failure }
            return .datetime(instant)
        case (.timespan, .string(let text)):
            guard let span = Timespan(text: text) else { throw failure }
            return .timespan(span)
        case (.guid, .string(let text)):
            guard let id = UUID(uuidString: text) else { throw failure }
            return .guid(id)
        case (.dynamic, .string(let text)):
            if let first = text.utf8.first(where: { $0 != 0x20 }),
                first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            {
                if let parsed = try? JSONParser.parse(text) { return .dynamic(parsed) }
            }
            return .dynamic(.string(text))
        case (.dynamic, _): return .dynamic(cell)
        default: throw failure
        }
    }
}

/// A whole query response held in memory: its tables and the `error` object of a partial result.
public struct DecodedResponse: Sendable {
    /// The tables, in order.
    public var tables: [Table]
    /// The `error` object of a 200 response whose result is incomplete (truncation, overflow, warnings).
    public var partialError: Dynamic?
}

/// Why a response body could not be read.
public enum ResponseDecodingError: Error, Sendable, CustomStringConvertible {
    case invalidJSON(JSONParseError)
    case notAQueryResponse(String)
    case cell(table: String, row: Int, CellDecodingError)

    public var description: String {
        switch self {
        case .invalidJSON(let error): return error.description
        case .notAQueryResponse(let why): return "not a Log Analytics query response: \(why)"
        case .cell(let table, let row, let error): return "table '\(table)', row \(row + 1): \(error)"
        }
    }
}

/// Decodes a query response body held in memory (small bodies, saved responses).
public enum QueryResponseDecoder {
    /// Decodes `bytes` as a Log Analytics query API response.
    public static func decode(bytes: [UInt8]) throws(ResponseDecodingError) -> DecodedResponse {
        let root: Dynamic
        do { root = try JSONParser.parse(bytes: bytes) } catch { throw .invalidJSON(error) }
        guard case .array(let rawTables)? = root["tables"] else {
            throw .notAQueryResponse("no 'tables' array")
        }
        var tables: [Table] = []
        for rawTable in rawTables {
            guard case .array(let rawColumns)? = rawTable["columns"], case .array(let rawRows)? = rawTable["rows"]
            else {
                throw .notAQueryResponse("a table lacks 'columns' or 'rows'")
            }
            let name = rawTable["name"]?.stringValue ?? "PrimaryResult"
            var columns: [Column] = []
            for rawColumn in rawColumns {
                guard let columnName = rawColumn["name"]?.stringValue,
                    let type = rawColumn["type"]?.stringValue.flatMap(ColumnType.init(kqlName:))
                else { throw .notAQueryResponse("a column lacks a name or a known type") }
                columns.append(Column(columnName, type))
            }
            var rows: [[Value]] = []
            for (rowIndex, rawRow) in rawRows.enumerated() {
                guard case .array(let cells) = rawRow, cells.count == columns.count else {
                    throw .notAQueryResponse("row \(rowIndex + 1) of '\(name)' does not have \(columns.count) cells")
                }
                var row: [Value] = []
                row.reserveCapacity(cells.count)
                for (cell, column) in zip(cells, columns) {
                    do { row.append(try Value.fromAPI(cell, as: column.type, column: column.name)) } catch {
                        throw .cell(table: name, row: rowIndex, error)
                    }
                }
                rows.append(row)
            }
            tables.append(Table(name: name, columns: columns, rows: rows))
        }
        return DecodedResponse(tables: tables, partialError: root["error"])
    }
}
