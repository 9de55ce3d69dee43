/// Equality and ordering of KQL values: typed comparisons, dynamic unwrapping, ordinal strings.

import Foundation
import TableModel

enum Comparison {
    /// The type both sides are compared as, or nil when KQL rejects comparing them.
    static func commonType(_ lhs: ColumnType, _ rhs: ColumnType) -> ColumnType? {
        if lhs == rhs { return lhs }
        if Arithmetic.isNumeric(lhs), Arithmetic.isNumeric(rhs) { return lhs == .real || rhs == .real ? .real : .long }
        if lhs == .decimal || rhs == .decimal, Arithmetic.isNumeric(lhs) || Arithmetic.isNumeric(rhs) {
            // A decimal compares with integers exactly and with a real as reals.
            return lhs == .real || rhs == .real ? .real : .decimal
        }
        if lhs == .dynamic { return rhs }
        if rhs == .dynamic { return lhs }
        return nil
    }

    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    static func compile(_ op: String, _ lhs: Scalar, _ rhs: Scalar) throws -> Scalar {
        guard let common = commonType(lhs.type, rhs.type) else {
            throw KQLError.semantic(
                "cannot compare \(lhs.type.rawValue) with \(rhs.type.rawValue) using '\(op)'")
        }
        if lhs.type == .dynamic, rhs.type == .dynamic {
            throw KQLError.semantic(
                "cannot compare dynamic with dynamic using '\(op)'; cast a side (tostring(), tolong(), ...)")
        }
        let lhsDynamic = lhs.type == .dynamic && common != .dynamic
        let rhsDynamic = rhs.type == .dynamic && common != .dynamic
        return try combine([lhs, rhs], .bool) { values in
            var a = values[0]
            var b = values[1]
            if lhsDynamic, case .dynamic(let d) = a { a = Convert.fromDynamic(d, as: common) }
            if rhsDynamic, case .dynamic(let d) = b { b = Convert.fromDynamic(d, as: common) }
            switch op {
            // Two nulls compare to null (the null-values page's table); one null is simply unequal.
            case "==": return a.isNull && b.isNull ? .null : .bool(equal(a, b))
            case "!=": return a.isNull && b.isNull ? .null : .bool(!equal(a, b))
            default:
                // NaN is unordered: every relational comparison with it is false.
                if a.isNaNReal || b.isNaNReal { return .bool(false) }
                guard let order = compare(a, b) else { return .null }
                switch op {
                case "<": return .bool(order < 0)
                case "<=": return .bool(order <= 0)
                case ">": return .bool(order > 0)
                default: return .bool(order >= 0)
                }
            }
        }
    }

    /// Equality with KQL's null rule: a null operand is never equal.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if a.isNull || b.isNull { return false }
        if case .dynamic(.null) = a { return false }
        if case .dynamic(.null) = b { return false }
        if let order = compare(a, b) { return order == 0 }
        if case .dynamic(let x) = a, case .dynamic(let y) = b { return x == y }
        return false
    }

    /// Three-way comparison of two non-null values of comparable types; nil when either is null or
    /// they cannot be ordered.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case (.string(let x), .string(let y)): return ordinal(x, y)
        case (.long(let x), .long(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.datetime(let x), .datetime(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.timespan(let x), .timespan(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.guid(let x), .guid(let y)): return ordinal(x.uuidString, y.uuidString)
        case (.dynamic(let x), .dynamic(let y)):
            if x == y { return 0 }
            return nil
        case (.decimal, _), (_, .decimal):
            if let x = exactDecimal(a), let y = exactDecimal(b) { return x < y ? -1 : (x == y ? 0 : 1) }
            guard let x = number(a), let y = number(b), !x.isNaN, !y.isNaN else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        default:
            if let x = integer(a), let y = integer(b) { return x < y ? -1 : (x == y ? 0 : 1) }
            guard let x = number(a), let y = number(b) else { return nil }
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    private static func integer(_ value: Value) -> Int64? {
        switch value {
        case .int(let i): return Int64(i)
        case .long(let l): return l
        default: return nil
        }
    }

    private static func exactDecimal(_ value: Value) -> Decimal? {
        switch value {
        case .decimal(let d): return d
        case .int(let i): return Decimal(Int(i))
        case .long(let l): return Decimal(l)
        default: return nil
        }
    }

    private static func number(_ value: Value) -> Double? {
        switch value {
        case .decimal(let d): return Decimals.real(d)
        case .int(let i): return Double(i)
        case .long(let l): return Double(l)
        case .real(let r): return r
        default: return nil
        }
    }

    /// Code-point order, as Kusto orders strings.
    static func ordinal(_ x: String, _ y: String) -> Int {
        var left = x.unicodeScalars.makeIterator()
        var right = y.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let l?, let r?):
                if l != r { return l.value < r.value ? -1 : 1 }
            }
        }
    }

    /// Order for `sort`: nulls (and NaN) placed by the caller; values of one column's type.
    static func sortOrder(_ a: Value, _ b: Value) -> Int {
        if let order = compare(a, b) { return order }
        if case .dynamic(let x) = a, case .dynamic(let y) = b { return ordinal(x.jsonText, y.jsonText) }
        return 0
    }

    /// Whether a value sorts with nulls (null, NaN, dynamic null).
    static func isNullLike(_ value: Value) -> Bool {
        switch value {
        case .null, .dynamic(.null): return true
        case .real(let r): return r.isNaN
        default: return false
        }
    }
}
