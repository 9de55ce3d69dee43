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

    /// Creates a decoded response.
    public init(tables: [Table] = [], partialError: Dynamic? = nil) {
        self.tables = tables
        self.partialError = partialError
    }

    /// Adds one scanner event: a new table, a row of the last table, or the partial error.
    public mutating func apply(_ event: ResponseEvent) {
        switch event {
        case .tableStart(let name, let columns): tables.append(Table(name: name, columns: columns))
        case .row(let row): tables[tables.count - 1].rows.append(row)
        case .tableEnd: break
        case .partialError(let error): partialError = error
        }
    }
}

/// Why a response body could not be read.
public enum ResponseDecodingError: Error, Sendable, CustomStringConvertible {
    /// The body is not well-formed JSON (this includes a body cut short); the offset is in bytes.
    case invalidJSON(JSONParseError)
    /// The body is JSON but not shaped like a query response.
    case notAQueryResponse(String)
    /// A cell does not hold a value of its column's declared type; `row` counts from 0.
    case cell(table: String, row: Int, CellDecodingError)
    /// A response file could not be opened or read.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidJSON(let error): return "response body: \(error)"
        case .notAQueryResponse(let why): return "not a Log Analytics query response: \(why)"
        case .cell(let table, let row, let error): return "table '\(table)', row \(row + 1): \(error)"
        case .unreadableFile(let path, let reason): return "cannot read the response file \(path): \(reason)"
        }
    }
}

/// Decodes a whole query response body into tables (small bodies, saved responses).
public enum QueryResponseDecoder {
    /// Decodes `bytes` as a Log Analytics query API response, through the streaming scanner.
    public static func decode(bytes: [UInt8]) throws(ResponseDecodingError) -> DecodedResponse {
        let scanner = ResponseScanner()
        scanner.feed(bytes)
        scanner.finish()
        var response = DecodedResponse()
        while let event = try scanner.next() { response.apply(event) }
        return response
    }

    /// Decodes the response saved at `url`, reading it in 1 MiB chunks (the rows are kept in memory;
    /// use ``ResponseFileReader`` to handle them one at a time instead).
    public static func decode(fileAt url: URL) throws(ResponseDecodingError) -> DecodedResponse {
        let reader = try ResponseFileReader(path: url.path)
        var response = DecodedResponse()
        while let event = try reader.next() { response.apply(event) }
        return response
    }
}
