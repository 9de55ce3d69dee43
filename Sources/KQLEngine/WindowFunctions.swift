/// Window functions over serialized rows: row_number, prev, next, row_cumsum, row_rank_dense, row_rank_min.

import TableModel

/// The rows an operator with window functions is evaluating, and which one is current.
final class WindowFrame {
    /// The input columns the window functions' arguments are compiled against.
    let columns: [Column]
    var rows: [Row] = []
    var index = 0
    /// Bumped on every new pass over the input, so cached per-call results are recomputed.
    var generation = 0

    init(columns: [Column]) { self.columns = columns }
}

enum WindowFunctions {
    static let names: Set<String> = ["row_number", "prev", "next", "row_cumsum", "row_rank_dense", "row_rank_min"]

    /// Whether `expr` calls a window function anywhere.
    static func uses(_ expr: Expr) -> Bool {
        switch expr {
        case .call(let name, let args, _): return names.contains(name) || args.contains(where: uses)
        case .binary(_, let a, let b, _): return uses(a) || uses(b)
        case .unary(_, let a, _), .member(let a, _, _): return uses(a)
        case .index(let a, let b, _): return uses(a) || uses(b)
        case .inList(_, let a, let items, _): return uses(a) || items.contains(where: uses)
        case .between(_, let a, let b, let c, _): return uses(a) || uses(b) || uses(c)
        default: return false
        }
    }

    static func compile(_ name: String, _ args: [Expr], _ scope: Scope, _ compiler: Compiler) throws -> Scalar {
        guard let frame = scope.window else {
            throw KQLError.semantic(
                "\(name)() needs serialized rows: use it in extend, project or serialize after sort, top or serialize")
        }
        var frameScope = Scope(columns: frame.columns, environment: scope.environment)
        frameScope.window = frame
        let a = try args.map { try compiler.scalar($0, frameScope) }
        switch name {
        case "prev", "next":
            try Functions.arity(name, a, 1...3)
            var offset: Int64 = 1
            if a.count > 1 {
                guard let constant = a[1].constant, let value = Convert.toLong(constant), value >= 1 else {
                    throw KQLError.semantic("\(name)()'s offset must be a constant of at least 1")
                }
                offset = value
            }
            var fallback = Scalar.constant(a[0].type == .string ? .string("") : .null, a[0].type)
            if a.count > 2 {
                guard Comparison.commonType(a[0].type, a[2].type) != nil, a[2].constant != nil else {
                    throw KQLError.semantic("\(name)()'s default must be a constant of the type of its value")
                }
                fallback = GeneralFunctions.coerce(a[2], to: a[0].type)
            }
            let value = a[0].eval
            let defaultEval = fallback.eval
            let direction: Int64 = name == "prev" ? -1 : 1
            return Scalar(type: a[0].type) { row in
                // An offset near the Int64 limits points past every row rather than trapping.
                let (step, stepOverflow) = offset.multipliedReportingOverflow(by: direction)
                let (target, overflow) = Int64(frame.index).addingReportingOverflow(step)
                guard !stepOverflow, !overflow, target >= 0, target < frame.rows.count else {
                    return try defaultEval(frame.rows[frame.index])
                }
                return try value(frame.rows[Int(target)])
            }
        case "row_number":
            try Functions.arity(name, a, 0...2)
            var start: Int64 = 1
            if !a.isEmpty {
                guard let constant = a[0].constant, let value = Convert.toLong(constant) else {
                    throw KQLError.semantic("row_number()'s start must be a constant number")
                }
                start = value
            }
            let restart = a.count == 2 ? a[1].eval : nil
            return precomputed(frame, .long) { rows in
                var results: [Value] = []
                var counter = start
                for (index, row) in rows.enumerated() {
                    frame.index = index
                    if index > 0, let restart, Logic.boolValue(try restart(row)) == true { counter = start }
                    results.append(.long(counter))
                    counter &+= 1
                }
                return results
            }
        case "row_cumsum":
            try Functions.arity(name, a, 1...2)
            let type: ColumnType
            switch a[0].type {
            case .int, .long: type = .long
            case .real: type = .real
            case .timespan: type = .timespan
            default: throw KQLError.semantic("row_cumsum() needs a number, not \(a[0].type.rawValue)")
            }
            let value = a[0].eval
            let restart = a.count == 2 ? a[1].eval : nil
            return precomputed(frame, type) { rows in
                var results: [Value] = []
                var longSum: Int64 = 0
                var realSum = 0.0
                for (index, row) in rows.enumerated() {
                    frame.index = index
                    if index > 0, let restart, Logic.boolValue(try restart(row)) == true {
                        longSum = 0
                        realSum = 0
                    }
                    let current = try value(row)
                    switch type {
                    case .real: realSum += Convert.toReal(current) ?? 0
                    default: longSum = longSum &+ (Convert.toLong(current) ?? 0)
                    }
                    switch type {
                    case .real: results.append(.real(realSum))
                    case .timespan: results.append(.timespan(Timespan(ticks: longSum)))
                    default: results.append(.long(longSum))
                    }
                }
                return results
            }
        case "row_rank_dense", "row_rank_min":
            try Functions.arity(name, a, 1...2)
            let value = a[0].eval
            let restart = a.count == 2 ? a[1].eval : nil
            let dense = name == "row_rank_dense"
            return precomputed(frame, .long) { rows in
                var results: [Value] = []
                var rank: Int64 = 0
                var position: Int64 = 0
                var previous: Value?
                for (index, row) in rows.enumerated() {
                    frame.index = index
                    let current = try value(row)
                    if index > 0, let restart, Logic.boolValue(try restart(row)) == true {
                        rank = 0
                        position = 0
                        previous = nil
                    }
                    position += 1
                    if previous == nil || Comparison.sortOrder(previous!, current) != 0
                        || Comparison.isNullLike(previous!) != Comparison.isNullLike(current)
                    {
                        rank = dense ? rank + 1 : position
                    }
                    previous = current
                    results.append(.long(rank))
                }
                return results
            }
        default:
            throw KQLError.unsupported("the window function \(name)()")
        }
    }

    /// A window function computed once per pass over every row of the frame, then read per row.
    private static func precomputed(
        _ frame: WindowFrame, _ type: ColumnType, _ compute: @escaping ([Row]) throws -> [Value]
    )
        -> Scalar
    {
        var cachedGeneration = -1
        var cached: [Value] = []
        return Scalar(type: type) { _ in
            if cachedGeneration != frame.generation {
                let current = frame.index
                cached = try compute(frame.rows)
                frame.index = current
                cachedGeneration = frame.generation
            }
            return cached[frame.index]
        }
    }
}
