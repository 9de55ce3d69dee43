/// Conversions between KQL values as the `to*()` functions and implicit promotions perform them.

import Foundation
import TableModel

enum Convert {
    /// `tolong()`: integers kept, reals truncated, numeric text parsed; anything else null.
    static func toLong(_ value: Value) -> Int64? {
        switch value {
        case .null, .guid: return nil
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Int64(i)
        case .long(let l): return l
        case .real(let r): return realToLong(r)
        case .decimal(let d): return Decimals.truncatedLong(d)
        case .string(let s): return parseLong(s)
        case .datetime(let d): return d.ticks
        case .timespan(let t): return t.ticks
        case .dynamic(let d):
            switch d {
            case .long(let l): return l
            case .real(let r): return realToLong(r)
            case .bool(let b): return b ? 1 : 0
            case .string(let s): return parseLong(s)
            default: return nil
            }
        }
    }

    /// `value` rounded to the nearest integer when it fits in a long; nil otherwise (never traps).
    static func exactLong(_ value: Double) -> Int64? {
        guard value.isFinite, value > -9.2e18, value < 9.2e18 else { return nil }
        return Int64(value.rounded())
    }

    /// Truncates toward zero; out-of-range values saturate, as the real engine does at run time.
    static func realToLong(_ r: Double) -> Int64? {
        guard !r.isNaN else { return nil }
        if r >= 9_223_372_036_854_775_807.0 { return .max }
        if r <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(r.rounded(.towardZero))
    }

    static func parseLong(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces
        if let value = Int64(trimmed) { return value }
        for prefix in ["0x", "0X"] where trimmed.hasPrefix(prefix) {
            return UInt64(trimmed.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) }
        }
        return nil
    }

    /// `toint()`: as `tolong()`, then wrapped to 32 bits as Kusto does for long input.
    static func toInt(_ value: Value) -> Int32? {
        switch value {
        case .string, .dynamic(.string):
            guard let long = toLong(value), let int = Int32(exactly: long) else { return nil }
            return int
        case .real(let r), .dynamic(.real(let r)):
            guard let long = realToLong(r) else { return nil }
            return Int32(clamping: long)
        default:
            return toLong(value).map { Int32(truncatingIfNeeded: $0) }
        }
    }

    /// `todouble()`/`toreal()`.
    static func toReal(_ value: Value) -> Double? {
        switch value {
        case .null, .guid: return nil
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .long(let l): return Double(l)
        case .real(let r): return r
        case .decimal(let d): return Decimals.real(d)
        case .string(let s): return parseReal(s)
        case .datetime(let d): return Double(d.ticks)
        case .timespan(let t): return Double(t.ticks)
        case .dynamic(let d):
            switch d {
            case .long(let l): return Double(l)
            case .real(let r): return r
            case .bool(let b): return b ? 1 : 0
            case .string(let s): return parseReal(s)
            default: return nil
            }
        }
    }

    static func parseReal(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        if trimmed.lowercased() == "nan" { return .nan }
        switch trimmed {
        case "inf", "+inf", "Inf", "+Inf", "Infinity", "+Infinity", "infinity", "+infinity": return .infinity
        case "-inf", "-Inf", "-Infinity", "-infinity": return -.infinity
        default: break
        }
        guard trimmed.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        return Double(trimmed)
    }

    /// `tobool()`: booleans, numbers (non-zero is true), `true`/`false` text in any case.
    static func toBool(_ value: Value) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .long(let l): return l != 0
        case .real(let r): return r.isNaN ? nil : r != 0
        case .string(let s): return parseBool(s)
        case .dynamic(let d):
            switch d {
            case .bool(let b): return b
            case .long(let l): return l != 0
            case .real(let r): return r != 0
            case .string(let s): return parseBool(s)
            default: return nil
            }
        default: return nil
        }
    }

    static func parseBool(_ text: String) -> Bool? {
        // The real engine does not trim spaces here.
        let trimmed = text
        switch trimmed.lowercased() {
        case "true": return true
        case "false": return false
        default: return parseLong(trimmed).map { $0 != 0 }
        }
    }

    /// `todatetime()`: datetimes, and ISO 8601 text (an offset converts to UTC).
    static func toDateTime(_ value: Value) -> DateTime? {
        switch value {
        case .datetime(let d): return d
        case .long(let ticks): return ticks >= 0 && ticks <= DateTime.maxTicks ? DateTime(ticks: ticks) : nil
        case .string(let s), .dynamic(.string(let s)):
            let text = s.trimmingSpaces
            return TypedLiteral.parseDateTime(text) ?? namedMonthDate(text) ?? compactDate(text)
        default: return nil
        }
    }

    /// The English month names `todatetime()` reads (the invariant culture's abbreviations).
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Dates with a month name, which `todatetime()` reads as .NET does: `2 Dec 2022`,
    /// `Dec 2, 2022`, RFC 1123 `Fri, 02 Dec 2022 10:00:00 GMT` and RFC 850
    /// `Friday, 02-Dec-22 10:00:00 GMT`, each with an optional `HH:mm[:ss]`.
    static func namedMonthDate(_ text: String) -> DateTime? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { String($0) }
        // A leading weekday name is only checked to be one.
        if let first = words.first, first.count >= 3, first.allSatisfy(\.isLetter),
            !months.contains(String(first.prefix(3)).lowercased())
        {
            let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            guard days.contains(String(first.prefix(3)).lowercased()) else { return nil }
            words.removeFirst()
        }
        if let last = words.last, ["GMT", "UTC", "Z"].contains(last) { words.removeLast() }
        var time = (hour: 0, minute: 0, second: 0)
        if let last = words.last, last.contains(":") {
            let parts = last.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (2...3).contains(parts.count), let hour = parts[0], let minute = parts[1] else { return nil }
            let second = parts.count == 3 ? parts[2] : 0
            guard let second else { return nil }
            time = (hour, minute, second)
            words.removeLast()
        }
        // RFC 850 writes the date as one word: 02-Dec-22.
        if words.count == 1 {
            let parts = words[0].split(separator: "-").map { String($0) }
            guard parts.count == 3, parts[2].count == 2, let year = Int(parts[2]) else { return nil }
            words = [parts[0], parts[1], String(year < 50 ? 2000 + year : 1900 + year)]
        }
        guard words.count == 3 else { return nil }
        let dayFirst = Int(words[0]) != nil
        let (dayText, monthText) = dayFirst ? (words[0], words[1]) : (words[1], words[0])
        guard let day = Int(dayText), dayText.count <= 2, let year = Int(words[2]), words[2].count == 4,
            monthText.count >= 3, let month = months.firstIndex(of: String(monthText.prefix(3)).lowercased())
        else { return nil }
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        ]
        guard monthText.count == 3 || monthText.lowercased() == names[month] else { return nil }
        return DateTime.from(
            year: year, month: month + 1, day: day, hour: time.hour, minute: time.minute, second: time.second)
    }

    /// `yyyyMMdd`, eight digits, which `todatetime()` reads as a date.
    static func compactDate(_ text: String) -> DateTime? {
        guard text.count == 8, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        let digits = Array(text)
        guard let year = Int(String(digits[0..<4])), let month = Int(String(digits[4..<6])),
            let day = Int(String(digits[6..<8]))
        else { return nil }
        return DateTime.from(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    }

    /// `totimespan()`.
    static func toTimespan(_ value: Value) -> Timespan? {
        switch value {
        case .timespan(let t): return t
        case .long(let l): return Timespan(ticks: l)
        case .int(let i): return Timespan(ticks: Int64(i))
        case .string(let s), .dynamic(.string(let s)):
            let trimmed = s.trimmingSpaces
            return Timespan(text: trimmed) ?? TypedLiteral.parseTimespan(trimmed)
        case .dynamic(.long(let l)): return Timespan(ticks: l)
        default: return nil
        }
    }

    /// `toguid()`.
    static func toGuid(_ value: Value) -> UUID? {
        switch value {
        case .guid(let g): return g
        case .string(let s), .dynamic(.string(let s)):
            var text = s.trimmingSpaces
            if let uuid = UUID(uuidString: text) { return uuid }
            // 32 hexadecimal digits are a guid, wherever the dashes are (or without any).
            text = text.replacingOccurrences(of: "-", with: "")
            guard text.count == 32, text.allSatisfy(\.isHexDigit) else { return nil }
            let chars = Array(text)
            let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }
            return UUID(uuidString: groups.joined(separator: "-"))
        default: return nil
        }
    }

    /// `todynamic()`/`parse_json()`: JSON text parsed, other text kept as a dynamic string.
    static func toDynamic(_ value: Value) -> Dynamic {
        switch value {
        case .dynamic(let d): return d
        case .string(let s):
            if s.isEmpty { return .null }
            if let parsed = try? JSONParser.parse(s) { return parsed }
            return .string(s)
        default: return Dynamic(scalar: value)
        }
    }

    /// Converts `value` to the representation of `type` for storage in a column of that type.
    /// Returns nil when the value cannot be represented.
    static func cast(_ value: Value, to type: ColumnType) -> Value? {
        if case .null = value { return type == .string ? .string("") : .null }
        switch type {
        case .string:
            if case .string = value { return value }
            return nil
        case .long: return toLongValue(value)
        case .int:
            switch value {
            case .int: return value
            case .long(let l): return Int32(exactly: l).map(Value.int)
            default: return nil
            }
        case .real:
            switch value {
            case .real: return value
            case .long(let l): return .real(Double(l))
            case .int(let i): return .real(Double(i))
            default: return nil
            }
        case .dynamic: return .dynamic(toDynamic(value))
        case .decimal:
            switch value {
            case .decimal, .int, .long, .real: return Decimals.from(value).map(Value.decimal)
            default: return nil
            }
        default:
            return value.naturalType == type ? value : nil
        }
    }

    private static func toLongValue(_ value: Value) -> Value? {
        switch value {
        case .long: return value
        case .int(let i): return .long(Int64(i))
        default: return nil
        }
    }

    /// The value as a dynamic for comparisons with a scalar of `type`: the scalar it holds.
    static func fromDynamic(_ dynamic: Dynamic, as type: ColumnType) -> Value {
        switch type {
        case .string:
            if case .null = dynamic { return .null }
            return .string(Value.dynamic(dynamic).kqlString)
        case .long: return toLong(.dynamic(dynamic)).map(Value.long) ?? .null
        case .int: return toLong(.dynamic(dynamic)).map(Value.long) ?? .null
        case .real: return toReal(.dynamic(dynamic)).map(Value.real) ?? .null
        case .bool: return toBool(.dynamic(dynamic)).map(Value.bool) ?? .null
        case .datetime: return toDateTime(.dynamic(dynamic)).map(Value.datetime) ?? .null
        case .timespan: return toTimespan(.dynamic(dynamic)).map(Value.timespan) ?? .null
        case .guid: return toGuid(.dynamic(dynamic)).map(Value.guid) ?? .null
        case .decimal: return Decimals.from(.dynamic(dynamic)).map(Value.decimal) ?? .null
        case .dynamic: return .dynamic(dynamic)
        }
    }
}
