/// What compilation produces: typed scalar evaluators, tabular plans, and the scopes names live in.

import TableModel

/// A row of values, one per column of the plan that produced it.
typealias Row = [Value]

/// Pulls the next row; `nil` at the end.
typealias Cursor = () throws -> Row?

/// A compiled scalar expression: its KQL type and how to evaluate it over a row.
struct Scalar {
    var type: ColumnType
    var eval: (Row) throws -> Value
    /// The value when it does not depend on the row (literals, lets, folded calls).
    var constant: Value?

    init(type: ColumnType, eval: @escaping (Row) throws -> Value) {
        self.type = type
        self.eval = eval
        self.constant = nil
    }

    /// A scalar that always has `value`.
    static func constant(_ value: Value, _ type: ColumnType) -> Scalar {
        var scalar = Scalar(type: type) { _ in value }
        scalar.constant = value
        return scalar
    }

    /// Applies `transform` to this scalar's value, folding constants.
    func map(_ type: ColumnType, _ transform: @escaping (Value) throws -> Value) rethrows -> Scalar {
        if let constant { return .constant(try transform(constant), type) }
        let eval = self.eval
        return Scalar(type: type) { row in try transform(try eval(row)) }
    }
}

/// Combines several scalars with `transform`, folding when all are constant.
func combine(_ parts: [Scalar], _ type: ColumnType, _ transform: @escaping ([Value]) throws -> Value) throws -> Scalar {
    if parts.allSatisfy({ $0.constant != nil }) {
        return .constant(try transform(parts.map { $0.constant! }), type)
    }
    let evals = parts.map(\.eval)
    // One argument buffer per compiled call, reused row after row (a plan runs on one thread).
    var values: [Value] = []
    values.reserveCapacity(evals.count)
    return Scalar(type: type) { row in
        values.removeAll(keepingCapacity: true)
        for eval in evals { values.append(try eval(row)) }
        return try transform(values)
    }
}

/// A compiled tabular expression: its output schema and a way to start reading rows.
struct Plan {
    var columns: [Column]
    var open: () throws -> Cursor
    /// Whether the rows have a defined order that window functions may rely on.
    var serialized = false

    init(columns: [Column], serialized: Bool = false, open: @escaping () throws -> Cursor) {
        self.columns = columns
        self.serialized = serialized
        self.open = open
    }

    /// A plan over rows already in memory.
    static func rows(_ columns: [Column], _ rows: [Row]) -> Plan {
        Plan(columns: columns) {
            var iterator = rows.makeIterator()
            return { iterator.next() }
        }
    }

    /// Reads every row.
    func collect() throws -> [Row] {
        let cursor = try open()
        var rows: [Row] = []
        while let row = try cursor() { rows.append(row) }
        return rows
    }
}

/// What a name bound by `let` (or a function parameter) stands for.
enum Binding {
    case scalar(Scalar)
    case tabular(Plan)
    case function(FunctionDefinition, Environment)
}

/// Names bound by `let` statements and function parameters, innermost first.
final class Environment {
    let parent: Environment?
    private var bindings: [String: Binding] = [:]

    init(parent: Environment?) { self.parent = parent }

    func bind(_ name: String, _ binding: Binding) { bindings[name] = binding }

    func lookup(_ name: String) -> Binding? { bindings[name] ?? parent?.lookup(name) }
}

/// The columns an expression can refer to, with the lets around it.
struct Scope {
    var columns: [Column]
    var environment: Environment
    /// The frame window functions read, in operators over serialized rows.
    var window: WindowFrame?
    private var positions: [String: Int]

    init(columns: [Column], environment: Environment) {
        self.columns = columns
        self.environment = environment
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() where positions[column.name] == nil {
            positions[column.name] = index
        }
        self.positions = positions
    }

    func index(of name: String) -> Int? { positions[name] }
}
