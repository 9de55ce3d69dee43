/// Typed arithmetic (`+ - * / %`) with Kusto's promotions, null propagation, wrapping and division rules.

import TableModel

enum Arithmetic {
    static func isNumeric(_ type: ColumnType) -> Bool { type == .int || type == .long || type == .real }

    /// The result type of `lhs op rhs`, or nil when KQL rejects the combination.
    static func resultType(_ op: String, _ lhs: ColumnType, _ rhs: ColumnType) -> ColumnType? {
        if isNumeric(lhs), isNumeric(rhs) { return lhs == .real || rhs == .real ? .real : .long }
        if isDecimalOperand(lhs), isDecimalOperand(rhs), lhs == .decimal || rhs == .decimal {
            return .decimal
        }
        switch (op, lhs, rhs) {
        case ("-", .datetime, .datetime): return .timespan
        case ("+", .datetime, .timespan), ("-", .datetime, .timespan), ("+", .timespan, .datetime): return .datetime
        case ("+", .timespan, .timespan), ("-", .timespan, .timespan), ("%", .timespan, .timespan): return .timespan
        case ("/", .timespan, .timespan): return .real
        case ("*", .timespan, _) where isNumeric(rhs): return .timespan
        case ("*", _, .timespan) where isNumeric(lhs): return .timespan
        case ("/", .timespan, _) where isNumeric(rhs): return .timespan
        default: return nil
        }
    }

    /// Types that combine with a decimal into a decimal: decimals and integers.
    static func isDecimalOperand(_ type: ColumnType) -> Bool {
        type == .decimal || type == .int || type == .long
    }

    static func compile(_ op: String, _ lhs: Scalar, _ rhs: Scalar) throws -> Scalar {
        if Set([lhs.type, rhs.type]) == [.decimal, .real] {
            throw KQLError.unsupported(
                "arithmetic mixing decimal and real (convert one side with todouble())")
        }
        guard let type = resultType(op, lhs.type, rhs.type) else {
            throw KQLError.semantic(
                "operator '\(op)' cannot be applied to \(lhs.type.rawValue) and \(rhs.type.rawValue)")
        }
        return try combine([lhs, rhs], type) { values in apply(op, values[0], values[1], type) }
    }

    static func apply(_ op: String, _ a: Value, _ b: Value, _ type: ColumnType) -> Value {
        if a.isNull || b.isNull { return .null }
        switch type {
        case .long:
            guard let x = Convert.toLong(a), let y = Convert.toLong(b) else { return .null }
            return longOp(op, x, y).map(Value.long) ?? .null
        case .real:
            guard let x = Convert.toReal(a), let y = Convert.toReal(b) else { return .null }
            return .real(realOp(op, x, y))
        case .decimal:
            guard let x = Decimals.from(a), let y = Decimals.from(b) else { return .null }
            return Decimals.apply(op, x, y)
        case .timespan:
            return timespanResult(op, a, b)
        case .datetime:
            switch (a, b) {
            case (.datetime(let d), .timespan(let t)):
                return checkedDate(op == "+" ? d.ticks &+ t.ticks : d.ticks &- t.ticks)
            case (.timespan(let t), .datetime(let d)): return checkedDate(d.ticks &+ t.ticks)
            default: return .null
            }
        case .real where op == "/":
            return .null
        default:
            if case .timespan(let x) = a, case .timespan(let y) = b, op == "/" {
                return y.ticks == 0 ? .null : .real(Double(x.ticks) / Double(y.ticks))
            }
            return .null
        }
    }

    static func checkedDate(_ ticks: Int64) -> Value {
        ticks < 0 || ticks > DateTime.maxTicks ? .null : .datetime(DateTime(ticks: ticks))
    }

    static func longOp(_ op: String, _ x: Int64, _ y: Int64) -> Int64? {
        switch op {
        case "+": return x &+ y
        case "-": return x &- y
        case "*": return x &* y
        case "/":
            if y == 0 { return nil }
            if x == .min, y == -1 { return .min }
            return x / y
        case "%":
            if y == 0 { return nil }
            if y == -1 { return 0 }
            let r = x % y
            return r < 0 ? r &+ y.magnitude.toInt64 : r
        default: return nil
        }
    }

    static func realOp(_ op: String, _ x: Double, _ y: Double) -> Double {
        switch op {
        case "+": return x + y
        case "-": return x - y
        case "*": return x * y
        case "/": return x / y
        default:
            let r = x.truncatingRemainder(dividingBy: y)
            return r < 0 ? r + abs(y) : r
        }
    }

    private static func timespanResult(_ op: String, _ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case (.datetime(let x), .datetime(let y)): return .timespan(Timespan(ticks: x.ticks &- y.ticks))
        case (.timespan(let x), .timespan(let y)):
            switch op {
            case "+": return .timespan(Timespan(ticks: x.ticks &+ y.ticks))
            case "-": return .timespan(Timespan(ticks: x.ticks &- y.ticks))
            default: return longOp("%", x.ticks, y.ticks).map { .timespan(Timespan(ticks: $0)) } ?? .null
            }
        case (.timespan(let t), _):
            guard let factor = Convert.toReal(b) else { return .null }
            let ticks = op == "*" ? Double(t.ticks) * factor : Double(t.ticks) / factor
            return Convert.realToLong(ticks).map { .timespan(Timespan(ticks: $0)) } ?? .null
        case (_, .timespan(let t)):
            guard let factor = Convert.toReal(a) else { return .null }
            return Convert.realToLong(Double(t.ticks) * factor).map { .timespan(Timespan(ticks: $0)) } ?? .null
        default: return .null
        }
    }
}

extension UInt64 {
    fileprivate var toInt64: Int64 { Int64(truncatingIfNeeded: self) }
}
