/// Converting a JSON field value, or a typed value, into the type of the column that will hold it.

import Foundation
import TableModel

/// The conversions Log Analytics applies when a field lands in a column of a given type.
enum ValueCoercion {
    /// Converts a JSON value to a value of `type`; `nil` when it cannot convert (for example the text
    /// `"abc"` into a `real` column). JSON null gives `.null` for every type.
    static func coerce(_ json: Dynamic, to type: ColumnType) -> Value? {
        if case .null = json { return .null }
        switch type {
        case .string:
            if case .string(let text) = json { return .string(text) }
            return .string(json.jsonText)
        case .dynamic:
            if case .string(let text) = json, let first = text.utf8.first(where: { $0 != 0x20 }),
                first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            {
                if let parsed = try? JSONParser.parse(text) { return .dynamic(parsed) }
            }
            return .dynamic(json)
        case .real:
            switch json {
            case .long(let number): return .real(Double(number))
            case .real(let number): return .real(number)
            case .string(let text):
                switch text {
                case "NaN": return .real(.nan)
                case "Infinity": return .real(.infinity)
                case "-Infinity": return .real(-.infinity)
                default: return Double(text.trimmingCharacters(in: .whitespaces)).map { .real($0) }
                }
            default: return nil
            }
        case .long: return integer(json).map { .long($0) }
        case .int: return integer(json).flatMap { Int32(exactly: $0) }.map { .int($0) }
        case .bool:
            switch json {
            case .bool(let flag): return .bool(flag)
            case .string(let text):
                switch text.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: return nil
                }
            case .long(let number) where number == 0 || number == 1: return .bool(number == 1)
            default: return nil
            }
        case .guid:
            guard case .string(let text) = json, let id = ColumnNaming.guid(from: text) else { return nil }
            return .guid(id)
        case .datetime:
            guard case .string(let text) = json, let instant = DateTime(iso8601: text) else { return nil }
            return .datetime(instant)
        case .timespan:
            guard case .string(let text) = json, let span = Timespan(text: text) else { return nil }
            return .timespan(span)
        case .decimal:
            switch json {
            case .long(let number): return .decimal(Decimal(number))
            case .real(let number): return .decimal(Decimal(number))
            case .string(let text):
                return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map { .decimal($0) }
            default: return nil
            }
        }
    }

    /// Converts a typed value (from a saved query response) to `type`; unchanged when it already has it.
    static func coerce(_ value: Value, to type: ColumnType) -> Value? {
        if value.isNull { return .null }
        if value.naturalType == type { return value }
        return coerce(json(of: value), to: type)
    }

    /// A typed value as the JSON the query API would send for it.
    static func json(of value: Value) -> Dynamic {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .long(Int64(number))
        case .long(let number): return .long(number)
        case .real(let number): return .real(number)
        case .decimal(let number): return .string("\(number)")
        case .string(let text): return .string(text)
        case .datetime(let instant): return .string(instant.apiText)
        case .timespan(let span): return .string(span.text)
        case .guid(let id): return .string(id.uuidString.lowercased())
        case .dynamic(let inner): return inner
        }
    }

    private static func integer(_ json: Dynamic) -> Int64? {
        switch json {
        case .long(let number): return number
        case .real(let number):
            guard number.isFinite, number.rounded(.towardZero) == number, abs(number) < 9.2e18 else { return nil }
            return Int64(number)
        case .string(let text): return Int64(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
