/// Numeric functions: abs, round, ceiling, sqrt, log, exp, pow, isnan, isfinite.

import Foundation
import TableModel

enum MathFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "abs":
            try Functions.arity(name, a, 1...1)
            switch a[0].type {
            case .int:
                return a[0].map(.long) { v in
                    if case .int(let i) = v { return .long(abs(Int64(i))) } else { return .null }
                }
            case .long:
                return a[0].map(.long) { v in
                    if case .long(let l) = v { return .long(l == .min ? l : abs(l)) } else { return .null }
                }
            case .real: return a[0].map(.real) { v in Convert.toReal(v).map { .real(abs($0)) } ?? .null }
            case .timespan:
                return a[0].map(.timespan) { v in
                    if case .timespan(let t) = v {
                        return .timespan(Timespan(ticks: abs(t.ticks)))
                    } else {
                        return .null
                    }
                }
            default: throw KQLError.semantic("abs() takes a number or timespan")
            }
        case "round":
            try Functions.arity(name, a, 1...2)
            return try combine(a, .real) { v in
                guard let x = Convert.toReal(v[0]) else { return .null }
                let digits = v.count == 2 ? (Convert.toLong(v[1]) ?? 0) : 0
                let scale = pow(10.0, Double(digits))
                return .real((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
            }
        case "ceiling":
            try Functions.arity(name, a, 1...1)
            let type = a[0].type == .real ? ColumnType.real : .long
            return a[0].map(type) { v in
                if type == .long { return Convert.toLong(v).map(Value.long) ?? .null }
                return Convert.toReal(v).map { .real($0.rounded(.up)) } ?? .null
            }
        case "sqrt", "log", "log10", "log2", "exp", "exp2", "exp10":
            try Functions.arity(name, a, 1...1)
            let function: (Double) -> Double =
                switch name {
                case "sqrt": { $0.squareRoot() }
                case "log": { Foundation.log($0) }
                case "log10": { Foundation.log10($0) }
                case "log2": { Foundation.log2($0) }
                case "exp": { Foundation.exp($0) }
                case "exp2": { Foundation.exp2($0) }
                default: { Foundation.pow(10, $0) }
                }
            return a[0].map(.real) { v in
                guard let x = Convert.toReal(v) else { return .null }
                if name.hasPrefix("log"), x < 0 { return .null }
                return .real(function(x))
            }
        case "pow":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .real) { v in
                guard let x = Convert.toReal(v[0]), let y = Convert.toReal(v[1]) else { return .null }
                return .real(Foundation.pow(x, y))
            }
        case "isnan", "isfinite", "isinf":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.bool) { v in
                guard let x = Convert.toReal(v) else { return .null }
                switch name {
                case "isnan": return .bool(x.isNaN)
                case "isfinite": return .bool(x.isFinite)
                default: return .bool(x.isInfinite)
                }
            }
        default:
            return nil
        }
    }
}
