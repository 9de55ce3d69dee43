/// `summarize`: groups rows by key expressions and computes aggregates; also arg_max/arg_min, take_any.

import TableModel

enum Summarize {
    static func plan(_ input: Plan, _ aggregates: [NamedExpr], _ keys: [NamedExpr], _ scope: Scope,
        _ compiler: Compiler
    ) throws -> Plan {
        var columns: [Column] = []
        var keyScalars: [Scalar] = []
        for key in keys {
            guard key.names.count <= 1 else { throw KQLError.semantic("a summarize key takes one name") }
            let value = try compiler.scalar(key.expr, scope)
            columns.append(Column(try keyName(key, taken: columns), value.type))
            keyScalars.append(value)
        }
        let keyNames = columns.map(\.name)
        var compiled: [Aggregate] = []
        for item in aggregates {
            guard case .call(let name, let args, _) = item.expr, Aggregates.isAggregate(name) else {
                throw KQLError.unsupported("summarize of an expression that is not a single aggregate call")
            }
            let aggregate = try Aggregates.compile(name, args, assigned: item.names, keys: keyNames, scope, compiler)
            var aggregateColumns = aggregate.columns
            for index in aggregateColumns.indices {
                aggregateColumns[index].name = unique(aggregateColumns[index].name, columns)
                columns.append(aggregateColumns[index])
            }
            compiled.append(aggregate)
        }
        let keyEvals = keyScalars.map(\.eval)
        let hasKeys = !keys.isEmpty
        return Plan(columns: columns) {
            let cursor = try input.open()
            var groups: [Row: [Accumulator]] = [:]
            var order: [Row] = []
            while let row = try cursor() {
                var key: Row = []
                key.reserveCapacity(keyEvals.count)
                for eval in keyEvals { key.append(try eval(row)) }
                var accumulators = groups[key]
                if accumulators == nil {
                    accumulators = compiled.map { $0.make() }
                    groups[key] = accumulators
                    order.append(key)
                }
                for (index, aggregate) in compiled.enumerated() {
                    var values: [Value] = []
                    values.reserveCapacity(aggregate.arguments.count)
                    for argument in aggregate.arguments { values.append(try argument.eval(row)) }
                    accumulators![index].add(values)
                }
            }
            if !hasKeys && order.isEmpty {
                groups[[]] = compiled.map { $0.make() }
                order.append([])
            }
            var iterator = order.makeIterator()
            return {
                guard let key = iterator.next() else { return nil }
                var output = key
                for accumulator in groups[key]! { output += accumulator.results() }
                return output
            }
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
    static func compile(_ name: String, _ args: [Expr], assigned: [String], keys: [String], _ scope: Scope,
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
