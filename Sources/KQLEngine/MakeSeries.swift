/// `make-series`: per group, one array per aggregate over the bins `from`, `from + step`, ... before `to`,
/// with each aggregate's default where a bin has no rows, and the bins themselves as the axis array.

import TableModel

enum MakeSeries {
    static func plan(
        _ input: Plan, _ aggregates: [(item: NamedExpr, defaultValue: Expr?)], _ axis: NamedExpr, _ from: Expr?,
        _ to: Expr?, _ step: Expr, _ by: [NamedExpr], _ scope: Scope, _ compiler: Compiler
    ) throws -> Plan {
        guard let from, let to else {
            throw KQLError.unsupported("make-series without both from and to (a range taken from the data)")
        }
        let axisValue = try compiler.scalar(axis.expr, scope)
        let grid = try Grid(
            axisValue.type, try constant(from, scope, compiler, "from"), try constant(to, scope, compiler, "to"),
            try constant(step, scope, compiler, "step"))
        var columns: [Column] = []
        var keyEvals: [(Row) throws -> Value] = []
        for key in by {
            let value = try compiler.scalar(key.expr, scope)
            guard value.type != .dynamic else { throw KQLError.semantic("a make-series by key cannot be dynamic") }
            columns.append(Column(try Summarize.keyName(key, taken: columns), value.type))
            keyEvals.append(value.eval)
        }
        var compiled: [(aggregate: Aggregate, fill: Dynamic)] = []
        for (item, defaultValue) in aggregates {
            guard case .call(let name, let args, _) = item.expr, Aggregates.isAggregate(name) else {
                throw KQLError.unsupported("make-series of an expression that is not one aggregate call")
            }
            let aggregate = try Aggregates.compile(
                name, args, assigned: item.names, keys: columns.map(\.name), scope, compiler)
            guard aggregate.columns.count == 1 else { throw KQLError.unsupported("\(name)() in make-series") }
            var fill = Dynamic.long(0)
            if let defaultValue {
                guard let value = try compiler.scalar(defaultValue, scope).constant else {
                    throw KQLError.semantic("make-series default needs a constant")
                }
                fill = Convert.toDynamic(value)
            }
            columns.append(Column(Summarize.unique(aggregate.columns[0].name, columns), .dynamic))
            compiled.append((aggregate, fill))
        }
        let axisName = axis.names.first ?? Compiler.derivedName(axis.expr) ?? "Column1"
        columns.append(Column(Summarize.unique(axisName, columns), .dynamic))
        let axisEval = axisValue.eval
        let axisArray = Dynamic.array((0..<grid.count).map(grid.label))
        return Plan(columns: columns) {
            let cursor = try input.open()
            var groups: [Row: [Int: [Accumulator]]] = [:]
            var order: [Row] = []
            while let row = try cursor() {
                guard let bin = grid.bin(try axisEval(row)) else { continue }
                var key: Row = []
                for eval in keyEvals { key.append(try eval(row)) }
                if groups[key] == nil {
                    groups[key] = [:]
                    order.append(key)
                }
                let accumulators = groups[key]![bin] ?? compiled.map { $0.aggregate.make() }
                groups[key]![bin] = accumulators
                for (accumulator, entry) in zip(accumulators, compiled) {
                    accumulator.add(try entry.aggregate.arguments.map { try $0.eval(row) })
                }
            }
            var iterator = order.makeIterator()
            return {
                guard let key = iterator.next() else { return nil }
                let bins = groups[key]!
                var output = key
                for (index, entry) in compiled.enumerated() {
                    let values = (0..<grid.count).map { bin in
                        bins[bin].map { Convert.toDynamic($0[index].results()[0]) } ?? entry.fill
                    }
                    output.append(.dynamic(.array(values)))
                }
                output.append(.dynamic(axisArray))
                return output
            }
        }
    }

    static func constant(_ expr: Expr, _ scope: Scope, _ compiler: Compiler, _ what: String) throws -> Value {
        guard let value = try compiler.scalar(expr, scope).constant, !value.isNull else {
            throw KQLError.unsupported("make-series with a \(what) that is not a constant")
        }
        return value
    }

    /// The bins of the axis: integer ticks (datetime, timespan, long, int) or reals.
    struct Grid {
        var type: ColumnType
        var start: Int64 = 0
        var width: Int64 = 1
        var realStart = 0.0
        var realWidth = 1.0
        var count: Int

        init(_ type: ColumnType, _ from: Value, _ to: Value, _ step: Value) throws {
            self.type = type
            let refused = KQLError.unsupported("make-series over \(type.rawValue) with these from/to/step")
            if type == .real {
                guard let start = Convert.toReal(from), let end = Convert.toReal(to), let width = Convert.toReal(step),
                    width > 0, start.isFinite, end.isFinite
                else { throw refused }
                realStart = start
                realWidth = width
                count = Int(max(0, min(1e6, ((end - start) / width).rounded(.up))))
            } else {
                guard [.datetime, .timespan, .long, .int].contains(type), let start = Self.integer(from),
                    let end = Self.integer(to), let width = Self.integer(step), width > 0, end >= start
                else { throw refused }
                self.start = start
                self.width = width
                let span = end.subtractingReportingOverflow(start)
                guard !span.overflow else { throw refused }
                count = Int(span.partialValue / width + (span.partialValue % width == 0 ? 0 : 1))
            }
            guard count <= 100_000 else {
                throw KQLError.runtime("make-series would make \(count) bins (limit 100000)")
            }
        }

        static func integer(_ value: Value) -> Int64? {
            switch value {
            case .datetime(let d): return d.ticks
            case .timespan(let t): return t.ticks
            case .long(let l): return l
            case .int(let i): return Int64(i)
            default: return nil
            }
        }

        func bin(_ value: Value) -> Int? {
            if type == .real {
                guard let x = Convert.toReal(value), !x.isNaN else { return nil }
                let index = ((x - realStart) / realWidth).rounded(.down)
                return index >= 0 && index < Double(count) ? Int(index) : nil
            }
            guard let x = Self.integer(value), x >= start else { return nil }
            let offset = x.subtractingReportingOverflow(start)
            guard !offset.overflow else { return nil }
            let index = offset.partialValue / width
            return index < count ? Int(index) : nil
        }

        func label(_ index: Int) -> Dynamic {
            if type == .real { return .real(realStart + Double(index) * realWidth) }
            let value = start &+ Int64(index) &* width
            switch type {
            case .datetime: return .string(DateTime(ticks: value).kustoText)
            case .timespan: return .string(Timespan(ticks: value).text)
            default: return .long(value)
            }
        }
    }
}
