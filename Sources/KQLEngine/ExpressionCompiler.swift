/// Compiles scalar expressions against a scope into typed evaluators, resolving names at compile time.

import TableModel

/// State shared by every part of one query run.
final class QueryContext {
    let provider: any TableProvider
    let now: DateTime
    let window: ClosedOpenWindow?

    init(provider: any TableProvider, now: DateTime, window: ClosedOpenWindow?) {
        self.provider = provider
        self.now = now
        self.window = window
    }
}

/// Turns syntax into `Scalar` evaluators and `Plan`s.
struct Compiler {
    let context: QueryContext

    /// Compiles a scalar expression over the columns of `scope`.
    func scalar(_ expr: Expr, _ scope: Scope) throws -> Scalar {
        switch expr {
        case .literal(let value, let type):
            return .constant(value, type)
        case .dynamicLiteral(let value):
            return .constant(.dynamic(value), .dynamic)
        case .name(let name, _):
            if let index = scope.index(of: name) {
                return Scalar(type: scope.columns[index].type) { row in row[index] }
            }
            switch scope.environment.lookup(name) {
            case .scalar(let value): return value
            case .tabular: throw KQLError.semantic("'\(name)' is tabular and cannot be used as a scalar")
            case .function: throw KQLError.semantic("'\(name)' is a function; call it with '()'")
            case nil: throw KQLError.unknownColumn(name)
            }
        case .call(let name, let args, _):
            return try Functions.compile(name, args, scope, self)
        case .binary(let op, let lhs, let rhs, _):
            return try binary(op, lhs, rhs, scope)
        case .unary(let op, let operand, _):
            let value = try scalar(operand, scope)
            if op == "+" { return value }
            switch value.type {
            case .int, .long: return try Arithmetic.compile("-", .constant(.long(0), .long), value)
            case .real: return value.map(.real) { $0.isNull ? .null : .real(-(Convert.toReal($0) ?? 0)) }
            case .decimal: return try Arithmetic.compile("-", .constant(.decimal(0), .decimal), value)
            case .timespan:
                return value.map(.timespan) { v in
                    guard case .timespan(let t) = v else { return .null }
                    return .timespan(Timespan(ticks: 0 &- t.ticks))
                }
            default: throw KQLError.semantic("unary '-' cannot be applied to \(value.type.rawValue)")
            }
        case .member(let base, let key, _):
            let value = try scalar(base, scope)
            guard value.type == .dynamic else {
                throw KQLError.semantic("'.\(key)' needs a dynamic value, not \(value.type.rawValue)")
            }
            return value.map(.dynamic) { v in
                guard case .dynamic(let d) = v, let property = d[key] else { return .dynamic(.null) }
                return .dynamic(property)
            }
        case .index(let base, let subscriptExpr, _):
            let value = try scalar(base, scope)
            let position = try scalar(subscriptExpr, scope)
            guard value.type == .dynamic else {
                throw KQLError.semantic("'[...]' needs a dynamic value, not \(value.type.rawValue)")
            }
            return try combine([value, position], .dynamic) { values in
                .dynamic(DynamicAccess.element(values[0], values[1]))
            }
        case .inList(let op, let lhs, let items, _):
            return try Membership.compile(op, try scalar(lhs, scope), items, scope, self)
        case .between(let negated, let value, let low, let high, _):
            return try between(negated, try scalar(value, scope), try scalar(low, scope), try scalar(high, scope))
        case .tabular:
            throw KQLError.semantic("a tabular expression cannot be used as a scalar; use toscalar()")
        case .star:
            throw KQLError.semantic("'*' is only allowed inside arg_max(), arg_min() and similar")
        case .typeOf:
            throw KQLError.semantic("typeof() is only allowed where a type is expected")
        }
    }

    private func binary(_ op: String, _ lhs: Expr, _ rhs: Expr, _ scope: Scope) throws -> Scalar {
        if case .star = lhs {
            return try anyColumn(op, rhs, scope)
        }
        let left = try scalar(lhs, scope)
        let right = try scalar(rhs, scope)
        switch op {
        case "and", "or":
            return try Logic.compile(op, left, right)
        case "==", "!=", "<", "<=", ">", ">=":
            return try Comparison.compile(op, left, right)
        case "+", "-", "*", "/", "%":
            return try Arithmetic.compile(op, left, right)
        default:
            return try StringMatching.compile(op, left, right)
        }
    }

    /// `* has "x"`: the string operator over every column; a negated operator must hold for all.
    private func anyColumn(_ op: String, _ rhs: Expr, _ scope: Scope) throws -> Scalar {
        guard StringMatching.isStringOperator(op) else {
            throw KQLError.unsupported("'*' with the operator '\(op)'")
        }
        let negated = op.hasPrefix("!")
        let right = try scalar(rhs, scope)
        let tests = try scope.columns.indices.map { index in
            try StringMatching.compile(op, Scalar(type: .string) { row in .string(row[index].kqlString) }, right).eval
        }
        return Scalar(type: .bool) { row in
            for test in tests {
                let matched = Logic.boolValue(try test(row)) == true
                if negated && !matched { return .bool(false) }
                if !negated && matched { return .bool(true) }
            }
            return .bool(negated)
        }
    }

    private func between(_ negated: Bool, _ value: Scalar, _ low: Scalar, _ high: Scalar) throws -> Scalar {
        var upper = high
        if value.type == .datetime, high.type == .timespan {
            upper = try Arithmetic.compile("+", low, high)
        }
        let atLeast = try Comparison.compile(">=", value, low)
        let atMost = try Comparison.compile("<=", value, upper)
        let both = try Logic.compile("and", atLeast, atMost)
        guard negated else { return both }
        return both.map(.bool) { v in
            guard case .bool(let b) = v else { return .null }
            return .bool(!b)
        }
    }
}

/// Three-valued `and`/`or`.
enum Logic {
    static func compile(_ op: String, _ lhs: Scalar, _ rhs: Scalar) throws -> Scalar {
        for side in [lhs, rhs] where side.type != .bool && side.type != .dynamic {
            throw KQLError.semantic("'\(op)' needs bool operands, not \(side.type.rawValue)")
        }
        let isAnd = op == "and"
        let left = lhs.eval
        let right = rhs.eval
        return Scalar(type: .bool) { row in
            let a = boolValue(try left(row))
            if isAnd, a == false { return .bool(false) }
            if !isAnd, a == true { return .bool(true) }
            let b = boolValue(try right(row))
            if isAnd {
                if b == false { return .bool(false) }
                if a == true, b == true { return .bool(true) }
                return .null
            }
            if b == true { return .bool(true) }
            if a == false, b == false { return .bool(false) }
            return .null
        }
    }

    static func boolValue(_ value: Value) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .dynamic(.bool(let b)): return b
        default: return nil
        }
    }
}

/// Dynamic indexing: `d[0]`, `d[-1]` (from the end), `d["key"]`; never an error, null when absent.
enum DynamicAccess {
    static func element(_ base: Value, _ position: Value) -> Dynamic {
        guard case .dynamic(let d) = base else { return .null }
        switch position {
        case .string(let key): return d[key] ?? .null
        case .dynamic(.string(let key)): return d[key] ?? .null
        default:
            guard case .array(let items) = d, let i = Convert.toLong(position) else { return .null }
            let index = i < 0 ? Int64(items.count) + i : i
            guard index >= 0, index < items.count else { return .null }
            return items[Int(index)]
        }
    }
}
