/// Functions that return several values (`array_sort_asc(a, b)`) spread over columns in print,
/// extend and project: `(x, y) = f(...)` names the columns, and an unnamed call derives them.

import TableModel

extension Compiler {
    /// The items with every several-valued call replaced by one item per value.
    ///
    /// `array_sort_asc(a, b)` becomes `a_sorted = array_sort_asc(a, b)[0]` and
    /// `b_sorted = array_sort_asc(a, b)[1]`. Any other tuple assignment is refused.
    func spreadTuples(_ items: [NamedExpr], _ scope: Scope) throws -> [NamedExpr] {
        var result: [NamedExpr] = []
        for item in items {
            guard let arrays = try sortedArrays(item.expr, scope) else {
                guard item.names.count <= 1 else {
                    throw KQLError.unsupported("tuple assignment (a, b) = f()")
                }
                result.append(item)
                continue
            }
            let names: [String]
            if item.names.count == arrays.count {
                names = item.names
            } else if item.names.isEmpty {
                names = try arrays.map { argument in
                    guard case .name(let name, _) = argument else {
                        throw KQLError.unsupported(
                            "an unnamed array_sort_asc/desc() of several arrays given as expressions "
                                + "(name the results: (a, b) = ...)")
                    }
                    return name + "_sorted"
                }
            } else {
                throw KQLError.unsupported(
                    "\(item.names.count) names for the \(arrays.count) arrays array_sort_asc/desc() returns")
            }
            for (offset, name) in names.enumerated() {
                let element = Expr.literal(.long(Int64(offset)), .long)
                result.append(NamedExpr(names: [name], expr: .index(item.expr, element, item.expr.position!)))
            }
        }
        return result
    }

    /// The array arguments of an `array_sort_asc/desc` call that sorts several arrays together.
    private func sortedArrays(_ expr: Expr, _ scope: Scope) throws -> [Expr]? {
        guard case .call(let name, let args, _) = expr, name == "array_sort_asc" || name == "array_sort_desc",
            scope.environment.lookup(name) == nil, args.count >= 2
        else { return nil }
        var arrays = args
        if try scalar(args[args.count - 1], scope).type == .bool { arrays.removeLast() }
        return arrays.count >= 2 ? arrays : nil
    }
}
