/// `summarize`: groups rows by key expressions and computes aggregates; also arg_max/arg_min, take_any.

import TableModel

enum Summarize {
    /// Compiles `summarize`; with a `grouping`, groups straight from a table scan when it can (see
    /// ``ScanGrouping``), and otherwise reads `input`.
    static func plan(
        _ input: Plan, _ aggregates: [NamedExpr], _ keys: [NamedExpr], _ scope: Scope,
        _ compiler: Compiler, grouping: ScanGrouping? = nil
    ) throws -> Plan {
        var columns: [Column] = []
        var keyScalars: [Scalar] = []
        for key in keys {
            guard key.names.count <= 1 else { throw KQLError.semantic("a summarize key takes one name") }
            let value = try compiler.scalar(key.expr, scope)
            guard value.type != .dynamic else {
                throw KQLError.semantic(
                    "the summarize group key '\(try keyName(key, taken: columns))' is dynamic; "
                        + "cast it (tostring(), tolong(), ...)")
            }
            let name = try keyName(key, taken: columns)
            // Whether the real engine numbers a repeated key name or refuses it is not recorded.
            guard !columns.contains(where: { $0.name == name }) else {
                throw KQLError.unsupported("a second summarize group key named '\(name)'")
            }
            columns.append(Column(name, value.type))
            keyScalars.append(value)
        }
        let keyNames = columns.map(\.name)
        // Raw rows hold the keys and every aggregate's results; outputs pick or compute from them.
        var rawColumns = columns
        var outputs: [(Row) throws -> Value] = columns.indices.map { index in { row in row[index] } }
        var compiled: [Aggregate] = []
        for item in aggregates {
            if case .call(let name, let args, _) = item.expr, Aggregates.isAggregate(name) {
                let aggregate = try Aggregates.compile(
                    name, args, assigned: item.names, keys: keyNames, scope, compiler)
                for var column in aggregate.columns {
                    column.name = unique(column.name, columns)
                    columns.append(column)
                    rawColumns.append(column)
                    let index = rawColumns.count - 1
                    outputs.append { row in row[index] }
                }
                compiled.append(aggregate)
                continue
            }
            guard item.names.count <= 1 else { throw KQLError.unsupported("tuple assignment in summarize") }
            var hidden: [(name: String, call: Expr)] = []
            let rewritten = try extractAggregates(item.expr, into: &hidden, numberedFrom: rawColumns.count)
            guard !hidden.isEmpty else {
                if case .call(let function, _, _) = item.expr, (try? compiler.scalar(item.expr, scope)) == nil {
                    if !FunctionCatalog.isImplemented(function), scope.environment.lookup(function) == nil {
                        throw FunctionCatalog.refusal(function)
                    }
                    throw KQLError.unsupported("the aggregate \(function)()")
                }
                throw KQLError.semantic("summarize needs an aggregate function in each expression")
            }
            for (name, call) in hidden {
                guard case .call(let function, let args, _) = call else { continue }
                let aggregate = try Aggregates.compile(
                    function, args, assigned: [name], keys: keyNames, scope, compiler)
                guard aggregate.columns.count == 1 else {
                    throw KQLError.unsupported("\(function)() inside a summarize expression")
                }
                rawColumns.append(aggregate.columns[0])
                compiled.append(aggregate)
            }
            let value = try compiler.scalar(rewritten, Scope(columns: rawColumns, environment: scope.environment))
            var name = try compiler.outputName(item, position: columns.count, taken: columns)
            if item.names.isEmpty, let inner = wrappedAggregate(item.expr),
                case .call(let function, let args, _) = inner
            {
                // `round(avg(x))` is named as `avg(x)` would be: avg_x.
                let aggregate = try Aggregates.compile(function, args, assigned: [], keys: keyNames, scope, compiler)
                if aggregate.columns.count == 1 { name = aggregate.columns[0].name }
            }
            name = unique(name, columns)
            columns.append(Column(name, value.type))
            outputs.append(value.eval)
        }
        let keyEvals = keyScalars.map(\.eval)
        let hasKeys = !keys.isEmpty
        let scanKeys = grouping?.plainStringColumns(keys.map(\.expr), keyScalars, scope)
        let raw = Plan(columns: rawColumns) {
            var order: [Row] = []
            var accumulators: [[Accumulator]] = []
            if let grouping, let scanKeys {
                (order, accumulators) = try grouping.group(keyScalars, scanKeys, compiled)
            } else {
                (order, accumulators) = try group(input, keyEvals, compiled)
            }
            if !hasKeys && order.isEmpty {
                order.append([])
                accumulators.append(compiled.map { $0.make() })
            }
            var next = 0
            return {
                guard next < order.count else { return nil }
                var output = order[next]
                for accumulator in accumulators[next] { output += accumulator.results() }
                next += 1
                return output
            }
        }
        return compiler.mapRows(raw, columns, outputs)
    }

    /// Reads `input` into groups numbered in order of first appearance: their keys and accumulators.
    static func group(_ input: Plan, _ keyEvals: [(Row) throws -> Value], _ compiled: [Aggregate]) throws
        -> (order: [Row], accumulators: [[Accumulator]])
    {
        let cursor = try input.open()
        // The key buffer is reused row after row and copied only when it starts a new group.
        var groups: [Row: Int] = [:]
        var order: [Row] = []
        var accumulators: [[Accumulator]] = []
        var key: Row = []
        var values: [Value] = []
        while let row = try cursor() {
            key.removeAll(keepingCapacity: true)
            for eval in keyEvals { key.append(try eval(row)) }
            let group: Int
            if let found = groups[key] {
                group = found
            } else {
                group = order.count
                groups[key] = group
                order.append(key)
                accumulators.append(compiled.map { $0.make() })
            }
            let states = accumulators[group]
            for (index, aggregate) in compiled.enumerated() {
                values.removeAll(keepingCapacity: true)
                for argument in aggregate.arguments { values.append(try argument.eval(row)) }
                states[index].add(values)
            }
        }
        return (order, accumulators)
    }

    /// The aggregate call inside calls that are named after their first argument (`round(avg(x))`).
    static func wrappedAggregate(_ expr: Expr) -> Expr? {
        guard case .call(let function, let args, _) = expr, let first = args.first,
            Compiler.namesAfterFirstArgument(function)
        else { return nil }
        if case .call(let inner, _, _) = first, Aggregates.isAggregate(inner) { return first }
        return wrappedAggregate(first)
    }

    /// Replaces each aggregate call inside `expr` by a hidden column name, collecting the calls.
    static func extractAggregates(
        _ expr: Expr, into hidden: inout [(name: String, call: Expr)], numberedFrom first: Int = 0
    ) throws -> Expr {
        switch expr {
        case .call(let name, let args, let position):
            if Aggregates.isAggregate(name) {
                let column = "\u{1}aggregate\(first + hidden.count)"
                hidden.append((column, expr))
                return .name(column, position)
            }
            return .call(name, try args.map { try extractAggregates($0, into: &hidden, numberedFrom: first) }, position)
        case .binary(let op, let lhs, let rhs, let position):
            return .binary(
                op, try extractAggregates(lhs, into: &hidden, numberedFrom: first),
                try extractAggregates(rhs, into: &hidden, numberedFrom: first), position)
        case .unary(let op, let operand, let position):
            return .unary(op, try extractAggregates(operand, into: &hidden, numberedFrom: first), position)
        case .member(let base, let key, let position):
            return .member(try extractAggregates(base, into: &hidden, numberedFrom: first), key, position)
        case .index(let base, let subscriptExpr, let position):
            return .index(
                try extractAggregates(base, into: &hidden, numberedFrom: first),
                try extractAggregates(subscriptExpr, into: &hidden, numberedFrom: first),
                position)
        case .between(let negated, let value, let low, let high, let position):
            return .between(
                negated: negated, try extractAggregates(value, into: &hidden, numberedFrom: first),
                try extractAggregates(low, into: &hidden, numberedFrom: first),
                try extractAggregates(high, into: &hidden, numberedFrom: first), position)
        case .inList(let op, let value, let items, let position):
            return .inList(op, try extractAggregates(value, into: &hidden, numberedFrom: first), items, position)
        default:
            return expr
        }
    }

    /// A summarize key's column name: assigned, a column's own name, the binned column, or `ColumnN`.
    static func keyName(_ key: NamedExpr, taken: [Column]) throws -> String {
        if let name = key.names.first { return name }
        if let derived = Compiler.derivedName(key.expr) { return derived }
        if case .call(let function, let args, _) = key.expr,
            ["bin", "floor", "bin_at"].contains(function) || ConversionFunctions.targets[function] != nil,
            let first = args.first, let derived = Compiler.derivedName(first)
        {
            return derived
        }
        var number = 1
        while taken.contains(where: { $0.name == "Column\(number)" }) { number += 1 }
        return "Column\(number)"
    }

    /// `name`, or `name1`, `name2`, ... when already taken.
    static func unique(_ name: String, _ taken: [Column]) -> String {
        guard taken.contains(where: { $0.name == name }) else { return name }
        var number = 1
        while taken.contains(where: { $0.name == "\(name)\(number)" }) { number += 1 }
        return "\(name)\(number)"
    }
}

/// `arg_max(x, cols...)` and `arg_min`: the row where x is largest (smallest), projected.
enum ArgExtreme {
    static func compile(
        _ name: String, _ args: [Expr], assigned: [String], keys: [String], _ scope: Scope,
        _ compiler: Compiler
    ) throws -> Aggregate {
        guard args.count >= 1 else { throw KQLError.semantic("\(name)() needs an expression to maximise") }
        let target = try compiler.scalar(args[0], scope)
        let targetName = Compiler.derivedName(args[0])
        var columns = [Column(assigned.first ?? targetName ?? (name == "arg_max" ? "max_" : "min_"), target.type)]
        var outputs: [Scalar] = []
        for arg in args.dropFirst() {
            if case .star = arg {
                for (index, column) in scope.columns.enumerated()
                where column.name != targetName && !keys.contains(column.name)
                    && !columns.contains(where: { $0.name == column.name })
                {
                    columns.append(column)
                    outputs.append(Scalar(type: column.type) { row in row[index] })
                }
                continue
            }
            let value = try compiler.scalar(arg, scope)
            let derived = Compiler.derivedName(arg) ?? "Column\(columns.count)"
            columns.append(Column(derived, value.type))
            outputs.append(value)
        }
        // `(a, b) = arg_max(x, y)` names the columns in order.
        if assigned.count > 1 {
            guard assigned.count <= columns.count else {
                throw KQLError.semantic("\(name)() gives \(columns.count) columns, not \(assigned.count)")
            }
            for (index, name) in assigned.enumerated() { columns[index].name = name }
        }
        let wantMax = name == "arg_max"
        let width = columns.count
        return Aggregate(columns: columns, arguments: [target] + outputs) {
            Picker(wantMax: wantMax, width: width)
        }
    }

    final class Picker: Accumulator {
        let wantMax: Bool
        let width: Int
        var best: [Value]?
        var fallback: [Value]?
        init(wantMax: Bool, width: Int) {
            self.wantMax = wantMax
            self.width = width
        }
        override func add(_ values: [Value]) {
            if Comparison.isNullLike(values[0]) && !values[0].isNaNReal {
                // With no value at all, the row still supplies the other columns.
                if best == nil, fallback == nil { fallback = [.null] + values.dropFirst() }
                return
            }
            guard let current = best else {
                best = values
                return
            }
            // A NaN wins over every number, for arg_max and arg_min alike, as the real engine answers.
            if current[0].isNaNReal { return }
            if values[0].isNaNReal {
                best = values
                return
            }
            let order = Comparison.sortOrder(values[0], current[0])
            if wantMax ? order > 0 : order < 0 { best = values }
        }
        override func results() -> [Value] { best ?? fallback ?? Array(repeating: .null, count: width) }
    }
}

/// `take_any(x, ...)`/`any()`: values from one arbitrary row (the first with a non-null first value).
enum TakeAny {
    static func compile(_ name: String, _ args: [Expr], assigned: [String], _ scope: Scope, _ compiler: Compiler)
        throws -> Aggregate
    {
        var columns: [Column] = []
        var values: [Scalar] = []
        for arg in args {
            if case .star = arg {
                for (index, column) in scope.columns.enumerated() {
                    columns.append(column)
                    values.append(Scalar(type: column.type) { row in row[index] })
                }
                continue
            }
            let value = try compiler.scalar(arg, scope)
            let prefix = name == "any" ? "any_" : ""
            let derived =
                columns.isEmpty
                ? assigned.first ?? Compiler.derivedName(arg).map { prefix + $0 } : Compiler.derivedName(arg)
            guard let derived else { throw KQLError.unsupported("\(name)() of an unnamed expression") }
            columns.append(Column(derived, value.type))
            values.append(value)
        }
        guard !columns.isEmpty else { throw KQLError.semantic("\(name)() needs at least one argument") }
        let types = columns.map(\.type)
        return Aggregate(columns: columns, arguments: values) { Chooser(types: types) }
    }

    final class Chooser: Accumulator {
        let types: [ColumnType]
        var chosen: [Value]?
        init(types: [ColumnType]) { self.types = types }
        override func add(_ values: [Value]) {
            if chosen == nil || (chosen!.count == 1 && Comparison.isNullLike(chosen![0])) { chosen = values }
        }
        override func results() -> [Value] { chosen ?? types.map { $0 == .string ? .string("") : .null } }
    }
}
