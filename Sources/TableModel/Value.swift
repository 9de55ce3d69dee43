/// One KQL scalar value, typed, with typed nulls carried by the column that holds it.

import Foundation

/// A scalar value of one of the ten KQL types.
///
/// A null is `.null`; its type is the column's. Strings are never null in KQL: an absent string is
/// `.string("")`.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int32)
    case long(Int64)
    case real(Double)
    case decimal(Decimal)
    case string(String)
    case datetime(DateTime)
    case timespan(Timespan)
    case guid(UUID)
    case dynamic(Dynamic)

    /// Whether this is a null (of any type).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The type this value naturally has; `nil` for a null.
    public var naturalType: ColumnType? {
        switch self {
        case .null: return nil
        case .bool: return .bool
        case .int: return .int
        case .long: return .long
        case .real: return .real
        case .decimal: return .decimal
        case .string: return .string
        case .datetime: return .datetime
        case .timespan: return .timespan
        case .guid: return .guid
        case .dynamic: return .dynamic
        }
    }

    /// The value as KQL's `tostring()` renders it ("" for null; `True`/`False`; reals always with a
    /// fraction; datetimes with seven fraction digits; dynamic strings unquoted, others as JSON).
    public var kqlString: String {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return String(value)
        case .long(let value): return String(value)
        case .real(let value): return Value.kqlRealText(value)
        case .decimal(let value): return "\(value)"
        case .string(let value): return value
        case .datetime(let value): return value.kustoText
        case .timespan(let value): return value.text
        case .guid(let value): return value.uuidString.lowercased()
        case .dynamic(let value):
            if case .string(let text) = value { return text }
            if case .null = value { return "" }
            return value.jsonText
        }
    }

    /// Kusto's text for a real: always a fractional part, `NaN`, `inf`, `-inf`.
    public static func kqlRealText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let text = "\(value)"
        if text.contains("e") {
            return text
        }
        return text
    }

    /// Converts a dynamic value to the plain scalar it holds, for use where a scalar is needed.
    public init(dynamic: Dynamic) {
        self = .dynamic(dynamic)
    }
}

extension Value {
    /// The value as the Log Analytics query API writes it inside `rows` for a column of `type`.
    ///
    /// Strings are never null (`""`); long and int are bare numbers; reals are numbers or the strings
    /// `"NaN"`/`"Infinity"`/`"-Infinity"`; decimals, datetimes (`…Z`), timespans and guids are strings;
    /// dynamic values are JSON text inside a string, except a dynamic string, which is sent bare.
    public func apiJSON(as type: ColumnType) -> String {
        switch self {
        case .null:
            return type == .string ? "\"\"" : "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .long(let value): return String(value)
        case .real(let value): return JSONText.number(value)
        case .decimal(let value): return JSONText.quoted("\(value)")
        case .string(let value): return JSONText.quoted(value)
        case .datetime(let value): return JSONText.quoted(value.apiText)
        case .timespan(let value): return JSONText.quoted(value.text)
        case .guid(let value): return JSONText.quoted(value.uuidString.lowercased())
        case .dynamic(let value):
            switch value {
            case .null: return "null"
            case .string(let text): return JSONText.quoted(text)
            default: return JSONText.quoted(value.jsonText)
            }
        }
    }
}
