/// The decimal type: literal text, `todecimal()`, arithmetic, ordering and conversions to integers.
///
/// Values are Foundation's `Decimal` (38 significant digits), close to the `SqlDecimal` Kusto uses.
/// A quotient that does not terminate keeps 38 digits here; Kusto may keep fewer, so its last digits
/// (visible only through `tostring()`) can differ.

import Foundation
import TableModel

enum Decimals {
    /// The largest magnitude a Kusto decimal holds (38 nines); larger results are null.
    private static let limit = Decimal(string: "99999999999999999999999999999999999999")!

    /// Decimal text: an optional sign, digits with an optional fraction, an optional exponent.
    ///
    /// Stricter than `Decimal(string:)`, which reads a number prefix and ignores the rest.
    static func parse(_ text: String) -> Decimal? {
        let trimmed = text.trimmingSpaces
        var chars = Substring(trimmed)
        if chars.first == "+" || chars.first == "-" { chars = chars.dropFirst() }
        let mantissa = chars.prefix { $0 != "e" && $0 != "E" }
        let exponent = chars.dropFirst(mantissa.count)
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.contains(where: { !$0.isEmpty }),
            pieces.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        if !exponent.isEmpty {
            var digits = exponent.dropFirst()
            if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        let posix = Locale(identifier: "en_US_POSIX")
        guard let value = Decimal(string: trimmed, locale: posix) else { return nil }
        return checked(value)
    }

    /// `todecimal()`: numbers, decimal text and booleans; anything else null.
    static func from(_ value: Value) -> Decimal? {
        switch value {
        case .decimal(let d): return d
        case .int(let i): return Decimal(Int(i))
        case .long(let l): return Decimal(l)
        case .real(let r): return fromReal(r)
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return parse(s)
        case .dynamic(let d):
            switch d {
            case .long(let l): return Decimal(l)
            case .real(let r): return fromReal(r)
            case .bool(let b): return b ? 1 : 0
            case .string(let s): return parse(s)
            default: return nil
            }
        default: return nil
        }
    }

    /// A real's shortest round-trip digits as a decimal (0.1 is 0.1, not the binary value's expansion).
    static func fromReal(_ value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        return parse("\(value)")
    }

    /// The decimal as a real (nearest double).
    static func real(_ value: Decimal) -> Double {
        NSDecimalNumber(decimal: value).doubleValue
    }

    /// The decimal truncated toward zero, when it fits in a long.
    static func truncatedLong(_ value: Decimal) -> Int64? {
        var magnitude = value.magnitude
        var whole = Decimal()
        NSDecimalRound(&whole, &magnitude, 0, .down)
        guard whole <= Decimal(Int64.max) else { return nil }
        let long = NSDecimalNumber(decimal: whole).int64Value
        return value.sign == .minus ? -long : long
    }

    /// `a op b` for `+ - * / %`; null for division by zero or a result beyond the decimal range.
    static func apply(_ op: String, _ a: Decimal, _ b: Decimal) -> Value {
        let result: Decimal
        switch op {
        case "+": result = a + b
        case "-": result = a - b
        case "*": result = a * b
        case "/":
            if b.isZero { return .null }
            result = a / b
        case "%":
            if b.isZero { return .null }
            // The remainder keeps Kusto's rule for every number type: 0 <= a % b < |b|.
            var quotient = a / b
            var whole = Decimal()
            NSDecimalRound(&whole, &quotient, 0, quotient.sign == .minus ? .up : .down)
            var remainder = a - whole * b
            if remainder.sign == .minus, !remainder.isZero { remainder += b.magnitude }
            result = remainder
        default: return .null
        }
        return checked(result).map(Value.decimal) ?? .null
    }

    /// The value, or nil when it is not a number or lies beyond the decimal range; zero is unsigned.
    private static func checked(_ value: Decimal) -> Decimal? {
        guard !value.isNaN, value.magnitude <= limit else { return nil }
        return value.isZero ? 0 : value
    }

    /// Functions that take a decimal argument and give Kusto's answer for it; any other function
    /// refuses a decimal argument rather than converting it to a real silently.
    static let awareFunctions: Set<String> = [
        "todecimal", "tostring", "toint", "tolong", "todouble", "toreal", "gettype", "isnull", "isnotnull",
        "isempty", "isnotempty", "iff", "iif", "case", "coalesce", "strcat", "strcat_delim",
    ]

    /// Aggregates that take a decimal argument (they only compare or count values).
    static let awareAggregates: Set<String> = [
        "count", "countif", "dcount", "dcountif", "count_distinct", "count_distinctif", "min", "max", "minif",
        "maxif",
    ]
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
