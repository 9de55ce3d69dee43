/// Which columns of a source table a pipeline can read, so that a scan reads only those.

import TableModel

/// The names a pipeline may read from its source, found by walking its operators from the last to
/// the first. The answer may name more columns than are read, never fewer: any construct whose
/// column use is not plain from the syntax (`*`, user functions, joins, `as`, …) means every column.
enum ColumnUsage {
    /// The source column names `operators` may read, or `nil` when they may read every column.
    static func names(_ operators: [PipeOperator], _ environment: Environment) -> Set<String>? {
        // What the operators after the current one read from its output; the result needs everything.
        var needed: Set<String>? = nil
        for op in operators.reversed() {
            switch op {
            case .where(let predicate):
                needed = union(needed, references([predicate], environment))
            case .project(let items):
                needed = references(items.map(\.expr), environment)
            case .extend(let items), .serialize(let items):
                needed = union(needed, references(items.map(\.expr), environment))
            case .summarize(let aggregates, let keys):
                needed = references((aggregates + keys).map(\.expr), environment)
            case .count:
                needed = []
            case .getschema:
                needed = []
            case .distinct(let items):
                needed = references(items.map(\.expr), environment)
            case .sort(let keys), .top(_, let keys):
                needed = union(needed, references(keys.map(\.expr), environment))
            case .take, .render, .projectAway, .projectKeep, .projectReorder:
                break
            case .projectRename(let renames):
                needed = union(needed, Set(renames.map(\.old)))
            default:
                needed = nil
            }
        }
        return needed
    }

    private static func union(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
        guard let a, let b else { return nil }
        return a.union(b)
    }

    /// Every name `exprs` mention, with the column names given to `column_ifexists`; `nil` when they
    /// may read columns they do not name.
    static func references(_ exprs: [Expr], _ environment: Environment) -> Set<String>? {
        var names: Set<String> = []
        for expr in exprs {
            guard collect(expr, environment, into: &names) else { return nil }
        }
        return names
    }

    private static func collect(_ expr: Expr, _ environment: Environment, into names: inout Set<String>) -> Bool {
        switch expr {
        case .literal, .dynamicLiteral, .typeOf:
            return true
        case .name(let name, _):
            names.insert(name)
            return true
        case .call(let function, let args, _):
            // A user function sees the caller's whole row.
            if case .function = environment.lookup(function) { return false }
            if function == "column_ifexists" || function == "columnifexists",
                case .literal(.string(let column), _)? = args.first
            {
                names.insert(column)
            }
            return args.allSatisfy { collect($0, environment, into: &names) }
        case .binary(_, let lhs, let rhs, _):
            return collect(lhs, environment, into: &names) && collect(rhs, environment, into: &names)
        case .unary(_, let operand, _), .member(let operand, _, _):
            return collect(operand, environment, into: &names)
        case .index(let base, let position, _):
            return collect(base, environment, into: &names) && collect(position, environment, into: &names)
        case .inList(_, let value, let items, _):
            return collect(value, environment, into: &names)
                && items.allSatisfy { collect($0, environment, into: &names) }
        case .between(_, let value, let low, let high, _):
            return collect(value, environment, into: &names) && collect(low, environment, into: &names)
                && collect(high, environment, into: &names)
        case .tabular:
            // Names inside a nested tabular expression refer to its own tables.
            return true
        case .star:
            return false
        }
    }
}
