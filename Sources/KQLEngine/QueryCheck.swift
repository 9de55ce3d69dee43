/// The refusals `KQLEngine.check` makes beyond syntax: those `run` would make before reading a row.

/// Checks parsed statements for what the engine refuses whatever the tables hold: no tabular
/// statement, a scalar statement, a call that neither the engine implements nor the query's `let`
/// defines (a function, aggregate or tabular function, a plugin such as `evaluate x()`, `invoke`, a
/// cross-resource function), and every other construct the parser marks unsupported (`sample`,
/// `scan`, `externaldata`, `search`, `set`, ...). Argument counts and types are not checked: `run`
/// finds those when it compiles the query against the tables' schemas.
///
/// It walks only what `run` compiles: a `let` function's body only when something reachable calls or
/// names it, and not the default of `column_ifexists()`, which is compiled only when the column is
/// missing. Names are case-sensitive, as in KQL.
struct QueryCheck {
    /// Every name a `let` or a function parameter binds, anywhere in the query.
    private var defined: Set<String> = []
    private var functions: [String: FunctionDefinition] = [:]
    private var walked: Set<String> = []

    static func check(_ statements: [Statement]) throws(KQLError) {
        var check = QueryCheck()
        check.collect(statements)
        do {
            for statement in statements {
                switch statement {
                case .letValue(_, let expr): try check.expr(expr)
                case .letTabular(_, let tabular), .query(let tabular): try check.tabular(tabular)
                case .letFunction: break
                case .scalar:
                    throw KQLError.semantic("a query statement must be tabular, not a scalar expression")
                case .unsupported(let what): throw KQLError.unsupported(what)
                }
            }
        } catch let error as KQLError {
            throw error
        } catch {
            throw KQLError.runtime("\(error)")
        }
        guard statements.contains(where: { if case .query = $0 { true } else { false } }) else {
            throw missingTabularStatement(statements)
        }
    }

    /// The refusal of a query without a tabular statement: empty (or only comments), or only `let`s.
    static func missingTabularStatement(_ statements: [Statement]) -> KQLError {
        statements.isEmpty
            ? .semantic("the query is empty") : .semantic("the query has no tabular statement after its let statements")
    }

    private mutating func collect(_ statements: [Statement]) {
        for statement in statements {
            switch statement {
            case .letValue(let name, _), .letTabular(let name, _): defined.insert(name)
            case .letFunction(let name, let definition):
                defined.insert(name)
                functions[name] = definition
                defined.formUnion(definition.parameters.map(\.name))
                collect(definition.statements + [definition.result])
            default: break
            }
        }
    }

    /// Walks the body of the `let` function `name` the first time something reachable uses it.
    private mutating func use(_ name: String) throws {
        guard let definition = functions[name], walked.insert(name).inserted else { return }
        for statement in definition.statements + [definition.result] {
            switch statement {
            case .letValue(_, let expr), .scalar(let expr): try self.expr(expr)
            case .letTabular(_, let tabular), .query(let tabular): try self.tabular(tabular)
            case .letFunction: break
            case .unsupported(let what): throw KQLError.unsupported(what)
            }
        }
    }

    private mutating func tabular(_ tabular: TabularExpr) throws {
        // A bare call is a scalar call in a function body (`{ toupper(s) }`) and wherever a `let`
        // binds a value, so it is checked as one.
        if case .call(let name, let args, let position) = tabular.source, tabular.operators.isEmpty,
            !defined.contains(name)
        {
            return try expr(.call(name, args, position))
        }
        try source(tabular.source)
        for op in tabular.operators { try pipeOperator(op) }
    }

    private mutating func source(_ source: Source) throws {
        switch source {
        case .name(let name, _): try use(name)
        case .call(let name, let args, _):
            guard defined.contains(name) else { throw FunctionCatalog.refusal(name, "tabular function") }
            try use(name)
            try exprs(args)
        case .datatable(_, let values): try exprs(values)
        case .print(let items): try named(items)
        case .range(_, let from, let to, let step): try exprs([from, to, step])
        case .union(let spec): for table in spec.tables { try tabular(table) }
        case .nested(let inner), .materialize(let inner): try tabular(inner)
        case .unsupported(let what): throw KQLError.unsupported(what)
        }
    }

    private mutating func pipeOperator(_ op: PipeOperator) throws {
        switch op {
        case .where(let expr), .top(let expr, _), .take(let expr), .search(let expr):
            try self.expr(expr)
            if case .top(_, let keys) = op { try exprs(keys.map(\.expr)) }
        case .project(let items), .extend(let items), .distinct(let items), .serialize(let items):
            try named(items)
        case .summarize(let aggregates, let keys):
            try named(aggregates + keys)
        case .sort(let keys): try exprs(keys.map(\.expr))
        case .join(_, let right, _, _): try tabular(right)
        case .union(let spec): for table in spec.tables { try tabular(table) }
        case .mvExpand(let columns, _, let limit, _):
            try exprs(columns.map(\.expr) + (limit.map { [$0] } ?? []))
        case .makeSeries(let aggregates, let axis, let from, let to, let step, let by):
            try named(aggregates.map(\.item) + [axis] + by)
            try exprs(aggregates.compactMap(\.defaultValue) + [from, to].compactMap { $0 } + [step])
        case .parseWhere(_, let expr, _, _), .parse(_, let expr, _, _), .parseKv(let expr, _, _):
            try self.expr(expr)
        case .mvApply(let columns, _, let limit, let subquery):
            try exprs(columns.map(\.expr) + (limit.map { [$0] } ?? []))
            for inner in subquery { try pipeOperator(inner) }
        case .bagUnpack(let column, _): try expr(column)
        case .projectAway, .projectKeep, .projectRename, .projectReorder, .count, .getschema, .render, .as:
            break
        case .unsupported(let what): throw KQLError.unsupported(what)
        }
    }

    private mutating func named(_ items: [NamedExpr]) throws { try exprs(items.map(\.expr)) }

    private mutating func exprs(_ list: [Expr]) throws { for item in list { try expr(item) } }

    private mutating func expr(_ expr: Expr) throws {
        switch expr {
        case .literal, .dynamicLiteral, .star, .typeOf: break
        case .name(let name, _): try use(name)
        case .call(let name, let args, _):
            if defined.contains(name) {
                try use(name)
            } else if !FunctionCatalog.isImplemented(name) {
                throw FunctionCatalog.refusal(name)
            }
            let compiled = name == "column_ifexists" || name == "columnifexists" ? Array(args.prefix(1)) : args
            try exprs(compiled)
        case .binary(_, let lhs, let rhs, _): try exprs([lhs, rhs])
        case .unary(_, let operand, _), .member(let operand, _, _): try self.expr(operand)
        case .index(let base, let position, _): try exprs([base, position])
        case .inList(_, let lhs, let items, _): try exprs([lhs] + items)
        case .between(_, let value, let low, let high, _): try exprs([value, low, high])
        case .tabular(let inner): try tabular(inner)
        }
    }
}
