/// Compiles tabular expressions into plans: sources (tables, lets, datatable, print, range) and operators.

import TableModel

extension Compiler {
    /// Compiles `tabular` with the names of `environment` in scope.
    func plan(_ tabular: TabularExpr, _ environment: Environment) throws -> Plan {
        var plan: Plan
        var consumed = 0
        if case .name(let name, _) = tabular.source, environment.lookup(name) == nil {
            // A provider table: the scan reads only the columns the operators can use.
            plan = try table(name, reading: tabular.operators, environment)
            if let grouped = try groupedScan(name, plan, tabular.operators, environment) {
                (plan, consumed) = grouped
            }
        } else {
            plan = try source(tabular.source, environment)
        }
        for op in tabular.operators.dropFirst(consumed) {
            plan = try apply(op, to: plan, environment)
            if case .as(let name) = op { environment.bind(name, .tabular(plan)) }
        }
        return plan
    }

    /// `table | where … | summarize …` as one plan that groups while scanning (see ``ScanGrouping``),
    /// with the number of operators it covers; `nil` when the operators do not start that way.
    private func groupedScan(_ name: String, _ table: Plan, _ operators: [PipeOperator], _ environment: Environment)
        throws -> (Plan, Int)?
    {
        let leading = operators.prefix { if case .where = $0 { true } else { false } }
        guard leading.count < operators.count, case .summarize = operators[leading.count] else { return nil }
        var predicates: [Expr] = []
        var input = table
        for op in operators {
            switch op {
            case .where(let predicate):
                predicates.append(predicate)
                input = try apply(op, to: input, environment)
            case .summarize(let aggregates, let keys):
                let grouping = try ScanGrouping.make(
                    name, table.columns, predicates, aggregates, keys, environment, self)
                let scope = Scope(columns: input.columns, environment: environment)
                let plan = try Summarize.plan(input, aggregates, keys, scope, self, grouping: grouping)
                return (plan, predicates.count + 1)
            default:
                return nil
            }
        }
        return nil
    }

    func source(_ source: Source, _ environment: Environment) throws -> Plan {
        switch source {
        case .name(let name, _):
            switch environment.lookup(name) {
            case .tabular(let plan): return plan
            case .scalar: throw KQLError.semantic("'\(name)' is a scalar value, not a table")
            case .function(let definition, let defined):
                if definition.parameters.isEmpty {
                    return try UserFunctions.tabularCall(name, definition, defined, [], environment, self)
                }
                throw KQLError.semantic("the function '\(name)' needs arguments")
            case nil: return try table(name)
            }
        case .call(let name, let args, _):
            guard case .function(let definition, let defined) = environment.lookup(name) else {
                if environment.lookup(name) == nil, (try? context.provider.schema(of: name)) == nil {
                    throw FunctionCatalog.refusal(name, "tabular function")
                }
                throw KQLError.semantic("'\(name)' is not a function")
            }
            return try UserFunctions.tabularCall(name, definition, defined, args, environment, self)
        case .datatable(let columns, let values):
            return try datatable(columns, values, environment)
        case .print(let items):
            let scope = Scope(columns: [], environment: environment)
            var columns: [Column] = []
            var row: Row = []
            for (position, item) in try spreadTuples(items, scope).enumerated() {
                guard item.names.count <= 1 else { throw KQLError.unsupported("tuple assignment in print") }
                let value = try scalar(item.expr, scope)
                columns.append(Column(item.names.first ?? "print_\(position)", value.type))
                row.append(try value.eval([]))
            }
            return .rows(columns, [row])
        case .range(let name, let from, let to, let step):
            return try range(name, from, to, step, environment)
        case .union(let spec):
            return try Union.plan(spec, [], environment, self)
        case .nested(let inner):
            return try plan(inner, environment)
        case .materialize(let inner):
            return try materialize(plan(inner, environment))
        case .unsupported(let what):
            throw KQLError.unsupported(what)
        }
    }

    /// A plan that reads its input once and replays the rows on every later open.
    func materialize(_ input: Plan) throws -> Plan {
        let rows = try input.collect()
        return .rows(input.columns, rows)
    }

    /// A provider table, limited to the query window when it has a `TimeGenerated` datetime column.
    ///
    /// With the `operators` that follow it (and their `environment`), the scan reads only the columns
    /// they can use (the others stay null, unseen) and skips rows their leading `where` operators
    /// certainly reject before building them; see ``ColumnUsage`` and ``ScanFilter``.
    func table(_ name: String, reading operators: [PipeOperator] = [], _ environment: Environment? = nil) throws
        -> Plan
    {
        let provider = context.provider
        let schema: [Column]?
        do {
            schema = try provider.schema(of: name)
        } catch {
            throw KQLError.runtime("reading the schema of table '\(name)' failed: \(error)")
        }
        guard let columns = schema else { throw KQLError.unknownTable(name) }
        let window = context.window
        var timeIndex: Int?
        if window != nil, let index = columns.firstIndex(where: { $0.name == "TimeGenerated" }),
            columns[index].type == .datetime
        {
            timeIndex = index
        }
        var wanted: [Int]?
        var tests: [(column: Int, test: CellTest)] = []
        if let environment {
            if let names = ColumnUsage.names(operators, environment) {
                wanted = columns.indices.filter { names.contains(columns[$0].name) || $0 == timeIndex }
            }
            tests = ScanFilter.columnTests(operators, columns, environment, self)
        }
        if let timeIndex, let window {
            let (from, to) = (window.from.ticks, window.to.ticks)
            tests.insert(
                (timeIndex, { cursor in cursor.integer(at: timeIndex).map { $0 >= from && $0 < to } ?? true }), at: 0)
        }
        let reads = wanted ?? Array(columns.indices)
        let stringReads = reads.filter { columns[$0].type == .string }
        let width = columns.count
        return Plan(columns: columns) {
            let cursor: any ColumnCursor
            do {
                cursor = try provider.columnScan(name, columns: wanted)
            } catch {
                throw KQLError.runtime("reading table '\(name)' failed: \(error)")
            }
            /// The current row as the plan gives it; `nil` when the window leaves it out.
            func currentRow() -> Row? {
                var row = Row(repeating: .null, count: width)
                for index in reads { row[index] = cursor.value(at: index) }
                if let timeIndex, let window {
                    guard case .datetime(let time) = row[timeIndex], time >= window.from, time < window.to else {
                        return nil
                    }
                }
                for index in stringReads where row[index].isNull { row[index] = .string("") }
                return row
            }
            let blocks = tests.isEmpty ? nil : BlockTests(cursor, tests.map(\.column))
            let cellTests = tests.map(\.test)
            return {
                if let blocks {
                    do {
                        while try blocks.nextPassing(cellTests) != nil {
                            if let built = currentRow() { return built }
                        }
                    } catch {
                        throw KQLError.runtime("reading table '\(name)' failed: \(error)")
                    }
                }
                scanning: while true {
                    do {
                        guard try cursor.advance() else { return nil }
                    } catch {
                        throw KQLError.runtime("reading table '\(name)' failed: \(error)")
                    }
                    for test in cellTests where !test(cursor) { continue scanning }
                    if let row = currentRow() { return row }
                }
            }
        }
    }

    func datatable(_ columns: [Column], _ values: [Expr], _ environment: Environment) throws -> Plan {
        guard !columns.isEmpty else { throw KQLError.semantic("datatable needs at least one column") }
        guard values.count % columns.count == 0 else {
            throw KQLError.semantic(
                "datatable has \(values.count) values, not a multiple of its \(columns.count) columns")
        }
        let scope = Scope(columns: [], environment: environment)
        var rows: [Row] = []
        var row: Row = []
        for (offset, expr) in values.enumerated() {
            let column = columns[offset % columns.count]
            switch expr {
            case .literal, .dynamicLiteral: break
            default:
                throw KQLError.semantic("datatable value \(offset + 1) must be a literal, not an expression")
            }
            let value = try scalar(expr, scope)
            guard var constant = value.constant ?? (try? value.eval([])) else {
                throw KQLError.semantic("datatable value \(offset + 1) is not a constant")
            }
            if case .string = constant, column.type != .string, column.type != .dynamic {
                // The real engine converts text into the column's type.
                constant = ConversionFunctions.convert(constant, to: column.type)
            }
            guard let cast = Convert.cast(constant, to: column.type),
                value.type == column.type || value.type == .dynamic || column.type == .dynamic
                    || (value.type == .string && column.type != .string)
                    || (Arithmetic.isNumeric(value.type) && Arithmetic.isNumeric(column.type))
                    || (Arithmetic.isNumeric(value.type) && column.type == .decimal) || constant.isNull
            else {
                throw KQLError.semantic(
                    "datatable value \(offset + 1) (\(value.type.rawValue)) does not fit column '\(column.name)' "
                        + "of type \(column.type.rawValue)"
                )
            }
            row.append(cast)
            if row.count == columns.count {
                rows.append(row)
                row = []
            }
        }
        return .rows(columns, rows)
    }

    /// The most rows one `range` may generate; a larger range is refused before any row is made,
    /// so a query like `range x from 1 to 1000000000 step 1` cannot exhaust time or memory.
    static let rangeRowLimit = 10_000_000

    private static func checkRangeSize(_ name: String, _ steps: Double) throws {
        // NaN bounds would never end: they are refused too.
        guard steps < Double(rangeRowLimit) else {
            let size = steps < 1e18 ? "about \(Int64(steps.rounded(.up)) + 1)" : "an unbounded number of"
            throw KQLError.runtime(
                "range \(name) would generate \(size) rows; the embedded engine generates at most "
                    + "\(rangeRowLimit) (use a larger step or a smaller span)")
        }
    }

    func range(_ name: String, _ from: Expr, _ to: Expr, _ step: Expr, _ environment: Environment) throws -> Plan {
        let scope = Scope(columns: [], environment: environment)
        let start = try scalar(from, scope)
        let end = try scalar(to, scope)
        let stride = try scalar(step, scope)
        let first = try start.eval([])
        let last = try end.eval([])
        let increment = try stride.eval([])
        let type: ColumnType
        switch (start.type, stride.type) {
        case (.datetime, .timespan): type = .datetime
        case (.timespan, .timespan): type = .timespan
        case (.real, _), (_, .real): type = .real
        case (.int, _), (.long, _): type = .long
        default: throw KQLError.unsupported("range over \(start.type.rawValue)")
        }
        let column = [Column(name, type)]
        if type == .real {
            guard let a = Convert.toReal(first), let b = Convert.toReal(last), let s = Convert.toReal(increment), s != 0
            else { return .rows(column, []) }
            try Self.checkRangeSize(name, (b - a) / s)
            return Plan(columns: column) {
                var index = 0.0
                return {
                    let value = a + index * s
                    if s > 0 ? value > b : value < b { return nil }
                    index += 1
                    return [.real(value)]
                }
            }
        }
        guard let a = Convert.toLong(first), let b = Convert.toLong(last), let s = Convert.toLong(increment), s != 0
        else { return .rows(column, []) }
        try Self.checkRangeSize(name, (Double(b) - Double(a)) / Double(s))
        return Plan(columns: column) {
            var value = a
            var done = false
            return {
                if done || (s > 0 ? value > b : value < b) { return nil }
                let current = value
                let (next, overflow) = value.addingReportingOverflow(s)
                if overflow { done = true } else { value = next }
                switch type {
                case .datetime: return [.datetime(DateTime(ticks: current))]
                case .timespan: return [.timespan(Timespan(ticks: current))]
                default: return [.long(current)]
                }
            }
        }
    }
}
