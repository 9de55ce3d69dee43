/// How each KQL type is kept in a SQLite cell, and read back as a typed value.

import Foundation
import SQLiteSupport
import TableModel

/// The storage form of values: datetimes and timespans as 100 ns ticks, booleans as 0/1, GUIDs as
/// lower-case text, decimals as text, dynamic values as compact JSON text, and a real NaN as the text
/// `NaN` (SQLite would store a NaN as NULL).
enum StoredValue {
    /// The SQLite form of `value`.
    static func sqlite(_ value: Value) -> SQLiteValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .int(let number): return .integer(Int64(number))
        case .long(let number): return .integer(number)
        case .real(let number): return number.isNaN ? .text("NaN") : .real(number)
        case .decimal(let number): return .text("\(number)")
        case .string(let text): return .text(text)
        case .datetime(let instant): return .integer(instant.ticks)
        case .timespan(let span): return .integer(span.ticks)
        case .guid(let id): return .text(id.uuidString.lowercased())
        case .dynamic(let inner):
            if case .null = inner { return .null }
            return .text(inner.jsonText)
        }
    }

    /// Reads a stored cell back as a value of `type`; a NULL string cell reads as `""`, since KQL
    /// strings are never null.
    static func value(_ stored: SQLiteValue, as type: ColumnType) -> Value {
        if case .null = stored { return type == .string ? .string("") : .null }
        switch (type, stored) {
        case (.string, .text(let text)): return .string(text)
        case (.bool, .integer(let number)): return .bool(number != 0)
        case (.int, .integer(let number)): return Int32(exactly: number).map { .int($0) } ?? .null
        case (.long, .integer(let number)): return .long(number)
        case (.real, .real(let number)): return .real(number)
        case (.real, .integer(let number)): return .real(Double(number))
        case (.real, .text("NaN")): return .real(.nan)
        case (.decimal, .text(let text)):
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map { .decimal($0) } ?? .null
        case (.datetime, .integer(let ticks)): return .datetime(DateTime(ticks: ticks))
        case (.timespan, .integer(let ticks)): return .timespan(Timespan(ticks: ticks))
        case (.guid, .text(let text)): return UUID(uuidString: text).map { .guid($0) } ?? .null
        case (.dynamic, .text(let text)):
            return .dynamic((try? JSONParser.parse(text)) ?? .string(text))
        default: return .null
        }
    }
}
