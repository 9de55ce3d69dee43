/// The streaming and reshaping tabular operators: where, project*, extend, take, count, distinct, sort.

import TableModel

extension Compiler {
    func apply(_ op: PipeOperator, to input: Plan, _ environment: Environment) throws -> Plan {
        let scope = Scope(columns: input.columns, environment: environment)
        switch op {
        case .where(let predicate):
            let test = try scalar(predicate, scope)
            guard test.type == .bool || test.type == .dynamic else {
                throw KQLError.semantic("where needs a bool predicate, not \(test.type.rawValue)")
            }
            let eval = test.eval
            return Plan(columns: input.columns, serialized: input.serialized) {
                let cursor = try input.open()
                return {
                    while let row = try cursor() {
                        if Logic.boolValue(try eval(row)) == true { return row }
                    }
                    return nil
                }
            }
        case .project(let items):
            var columns: [Column] = []
            var evals: [(Row) throws -> Value] = []
            let frame = try windowFrame(items, input, serializing: false)
            var scope = scope
            scope.window = frame
            for item in try spreadTuples(items, scope) {
                if case .star = item.expr { throw KQLError.unsupported("project *") }
                let value = try scalar(item.expr, scope)
                let name = try outputName(item, position: columns.count, taken: columns)
                guard !columns.contains(where: { $0.name == name }) else {
                    throw KQLError.semantic("project produces the column '\(name)' twice")
                }
                columns.append(Column(name, value.type))
                evals.append(SingleColumnMemo.wrap(value, item.expr, scope))
            }
            return mapRows(input, columns, evals, frame: frame)
        case .extend(let items):
            return try extend(input, items, environment, serializing: false)
        case .serialize(let items):
            return try extend(input, items, environment, serializing: true)
        case .projectAway(let patterns):
            let keep = input.columns.indices.filter { index in
                !patterns.contains { Wildcard.matches($0, input.columns[index].name) }
            }
            for pattern in patterns where !pattern.contains("*") && input.columns.allSatisfy({ $0.name != pattern }) {
                throw KQLError.unknownColumn(pattern)
            }
            return select(input, keep)
        case .projectKeep(let patterns):
            let keep = input.columns.indices.filter { index in
                patterns.contains { Wildcard.matches($0, input.columns[index].name) }
            }
            return select(input, keep)
        case .projectRename(let renames):
            var columns = input.columns
            for (new, old) in renames {
                guard let index = columns.firstIndex(where: { $0.name == old }) else {
                    throw KQLError.unknownColumn(old)
                }
                columns[index].name = new
            }
            return Plan(columns: columns, serialized: input.serialized, open: input.open)
        case .projectReorder(let items):
            var order: [Int] = []
            for item in items {
                var matched = input.columns.indices.filter {
                    !order.contains($0) && Wildcard.matches(item.pattern, input.columns[$0].name)
                }
                if let ascending = item.ascending {
                    matched.sort {
                        let order = Comparison.ordinal(input.columns[$0].name, input.columns[$1].name)
                        return ascending ? order < 0 : order > 0
                    }
                }
                order += matched
            }
            order += input.columns.indices.filter { !order.contains($0) }
            return select(input, order)
        case .summarize(let aggregates, let keys):
            return try Summarize.plan(input, aggregates, keys, scope, self)
        case .count(let name):
            return Plan(columns: [Column(name, .long)]) {
                let cursor = try input.open()
                var done = false
                return {
                    if done { return nil }
                    done = true
                    var count: Int64 = 0
                    while try cursor() != nil { count += 1 }
                    return [.long(count)]
                }
            }
        case .distinct(let items):
            var projected = input
            if !(items.count == 1 && { if case .star = items[0].expr { return true } else { return false } }()) {
                projected = try apply(.project(items), to: input, environment)
            }
            return Plan(columns: projected.columns) {
                let cursor = try projected.open()
                var seen: Set<Row> = []
                return {
                    while let row = try cursor() {
                        if seen.insert(row).inserted { return row }
                    }
                    return nil
                }
            }
        case .sort(let keys):
            return try Sorting.plan(input, keys, limit: nil, scope, self)
        case .top(let count, let keys):
            return try Sorting.plan(input, keys, limit: try constantCount(count, scope, "top"), scope, self)
        case .take(let count):
            let limit = try constantCount(count, scope, "take")
            return Plan(columns: input.columns, serialized: input.serialized) {
                let cursor = try input.open()
                var taken: Int64 = 0
                return {
                    guard taken < limit, let row = try cursor() else { return nil }
                    taken += 1
                    return row
                }
            }
        case .join(let kind, let right, let keys, let isLookup):
            return try Join.plan(input, kind, try plan(right, environment), keys, isLookup: isLookup)
        case .union(let spec):
            return try Union.plan(spec, [input], environment, self)
        case .mvExpand(let columns, let itemIndex, let limit, let bagsAsArrays):
            return try MvExpand.plan(input, columns, itemIndex, limit, scope, self, bagsAsArrays: bagsAsArrays)
        case .makeSeries(let aggregates, let axis, let from, let to, let step, let by):
            return try MakeSeries.plan(input, aggregates, axis, from, to, step, by, scope, self)
        case .parseWhere(let kind, let expr, let pattern, let flags):
            return try ParseOperator.plan(input, kind, expr, pattern, flags, scope, self, keepUnmatched: false)
        case .parseKv(let expr, let columns, let options):
            return try ParseKv.plan(input, expr, columns, options, scope, self)
        case .mvApply(let columns, let itemIndex, let limit, let subquery):
            return try MvApply.plan(input, columns, itemIndex, limit, subquery, environment, self)
        case .parse(let kind, let expr, let pattern, let flags):
            return try ParseOperator.plan(input, kind, expr, pattern, flags, scope, self)
        case .getschema:
            let rows: [Row] = input.columns.enumerated().map { index, column in
                [
                    .string(column.name), .int(Int32(index)), .string(Self.dotNetTypeName(column.type)),
                    .string(column.type.rawValue),
                ]
            }
            return .rows(
                [
                    Column("ColumnName", .string), Column("ColumnOrdinal", .int), Column("DataType", .string),
                    Column("ColumnType", .string),
                ], rows)
        case .search(let predicate):
            let filtered = try apply(.where(predicate), to: input, environment)
            return Plan(columns: [Column("$table", .string)] + filtered.columns, serialized: filtered.serialized) {
                let cursor = try filtered.open()
                return { try cursor().map { [.string("search_arg0")] + $0 } }
            }
        case .render, .as:
            return input
        case .unsupported(let what):
            throw KQLError.unsupported(what)
        case .bagUnpack(let column, let options):
            return try BagUnpack.plan(input, column, options, scope)
        }
    }

    static func dotNetTypeName(_ type: ColumnType) -> String {
        switch type {
        case .bool: return "System.SByte"
        case .datetime: return "System.DateTime"
        case .decimal: return "System.Data.SqlTypes.SqlDecimal"
        case .dynamic: return "System.Object"
        case .guid: return "System.Guid"
        case .int: return "System.Int32"
        case .long: return "System.Int64"
        case .real: return "System.Double"
        case .string: return "System.String"
        case .timespan: return "System.TimeSpan"
        }
    }

    func constantCount(_ expr: Expr, _ scope: Scope, _ what: String) throws -> Int64 {
        let value = try scalar(expr, Scope(columns: [], environment: scope.environment))
        guard let constant = value.constant ?? (try? value.eval([])), let count = Convert.toLong(constant),
            Arithmetic.isNumeric(value.type)
        else { throw KQLError.semantic("\(what) needs a constant number of rows") }
        return max(0, count)
    }

    /// A frame for window functions when `items` use them; an error when the input has no order.
    func windowFrame(_ items: [NamedExpr], _ input: Plan, serializing: Bool) throws -> WindowFrame? {
        guard items.contains(where: { WindowFunctions.uses($0.expr) }) else { return nil }
        guard input.serialized || serializing else {
            throw KQLError.semantic(
                "window functions (row_number, prev, next, row_cumsum) need serialized rows: "
                    + "sort, top or serialize first"
            )
        }
        return WindowFrame(columns: input.columns)
    }

    func extend(_ input: Plan, _ items: [NamedExpr], _ environment: Environment, serializing: Bool) throws -> Plan {
        var columns = input.columns
        var steps: [(index: Int, eval: (Row) throws -> Value)] = []
        let frame = try windowFrame(items, input, serializing: serializing)
        // Every expression sees the input's columns only: the real engine refuses a reference to a
        // column defined earlier in the same extend (recorded rejections), so such a name is unknown.
        var scope = Scope(columns: input.columns, environment: environment)
        scope.window = frame
        for item in try spreadTuples(items, scope) {
            guard item.names.count <= 1 else { throw KQLError.unsupported("tuple assignment (a, b) = f()") }
            let value = try scalar(item.expr, scope)
            let name = try outputName(item, position: columns.count, taken: columns)
            let eval = SingleColumnMemo.wrap(value, item.expr, scope)
            if let existing = columns.firstIndex(where: { $0.name == name }) {
                // Whether `extend tostring(x)` replaces x or adds x1 is not recorded anywhere.
                if item.names.isEmpty, case .call = item.expr {
                    throw KQLError.unsupported(
                        "an unnamed extend expression whose derived name '\(name)' is already a column")
                }
                columns[existing].type = value.type
                steps.append((existing, eval))
            } else {
                columns.append(Column(name, value.type))
                steps.append((columns.count - 1, eval))
            }
        }
        let width = columns.count
        // When a step replaces an input column, later steps must still read the input's value.
        let replaces = steps.count > 1 && steps.dropLast().contains { $0.index < input.columns.count }
        return Plan(columns: columns, serialized: input.serialized || serializing) {
            let cursor = try Self.framed(input, frame)
            return {
                guard var row = try cursor() else { return nil }
                let source = replaces ? row : []
                row.reserveCapacity(width)
                for step in steps {
                    let value = try step.eval(replaces ? source : row)
                    if step.index < row.count { row[step.index] = value } else { row.append(value) }
                }
                return row
            }
        }
    }

    /// Opens `input`; with a frame, reads it whole into the frame and advances the frame per row.
    static func framed(_ input: Plan, _ frame: WindowFrame?) throws -> Cursor {
        guard let frame else { return try input.open() }
        frame.rows = try input.collect()
        frame.generation += 1
        var next = 0
        return {
            guard next < frame.rows.count else { return nil }
            frame.index = next
            next += 1
            return frame.rows[next - 1]
        }
    }

    func mapRows(_ input: Plan, _ columns: [Column], _ evals: [(Row) throws -> Value], frame: WindowFrame? = nil)
        -> Plan
    {
        Plan(columns: columns, serialized: input.serialized) {
            let cursor = try Self.framed(input, frame)
            return {
                guard let row = try cursor() else { return nil }
                var output: Row = []
                output.reserveCapacity(evals.count)
                for eval in evals { output.append(try eval(row)) }
                return output
            }
        }
    }

    func select(_ input: Plan, _ indices: [Int]) -> Plan {
        let columns = indices.map { input.columns[$0] }
        return mapRows(input, columns, indices.map { index in { row in row[index] } })
    }

    /// The name of an output column: the assigned name, the column referred to, or `ColumnN`.
    func outputName(_ item: NamedExpr, position: Int, taken: [Column]) throws -> String {
        if let name = item.names.first { return name }
        if let derived = Self.derivedName(item.expr) { return derived }
        var number = 1
        while taken.contains(where: { $0.name == "Column\(number)" }) { number += 1 }
        return "Column\(number)"
    }

    /// The column name KQL derives from an unnamed expression: a column keeps its name, a dynamic
    /// path `a.b.c` becomes `a_b_c`, and a conversion, `round()` or `bin()` takes its first argument's
    /// name (`tostring(x)` is `x`).
    static func derivedName(_ expr: Expr) -> String? {
        switch expr {
        case .name(let name, _): return name
        case .member(let base, let key, _):
            guard let prefix = derivedName(base) else { return nil }
            return prefix + "_" + key
        case .call(let function, let args, _) where namesAfterFirstArgument(function):
            return args.first.flatMap(derivedName)
        default: return nil
        }
    }

    /// Whether an unnamed call of `function` is named after its first argument (recorded: the docs
    /// name `buildschema(todynamic(tostring(x)))` schema_x, `summarize round(avg(x))` avg_x and
    /// `summarize tostring(make_set(user))` set_user; Microsoft's hunting queries refer to
    /// `project tostring(ClientInfoString)` as ClientInfoString).
    static func namesAfterFirstArgument(_ function: String) -> Bool {
        ConversionFunctions.targets[function] != nil || ["round", "bin", "floor", "bin_at"].contains(function)
    }
}

/// `Name*` style column patterns.
enum Wildcard {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.contains("*") else { return pattern == name }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(name)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }
}
