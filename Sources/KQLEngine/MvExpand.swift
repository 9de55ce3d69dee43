/// `mv-expand`: one output row per element of a dynamic array (or per property of a bag).

import TableModel

enum MvExpand {
    static func plan(
        _ input: Plan, _ items: [(name: String, expr: Expr, type: ColumnType?)], _ itemIndex: String?,
        _ limit: Expr?, _ scope: Scope, _ compiler: Compiler, bagsAsArrays: Bool = false
    ) throws -> Plan {
        var columns = input.columns
        var targets: [(index: Int, eval: (Row) throws -> Value, type: ColumnType?)] = []
        for item in items {
            let value = try compiler.scalar(item.expr, scope)
            guard value.type == .dynamic else {
                throw KQLError.semantic("mv-expand needs a dynamic value, but '\(item.name)' is \(value.type.rawValue)")
            }
            let type = item.type ?? .dynamic
            if let existing = columns.firstIndex(where: { $0.name == item.name }) {
                columns[existing].type = type
                targets.append((existing, value.eval, item.type))
            } else {
                columns.append(Column(item.name, type))
                targets.append((columns.count - 1, value.eval, item.type))
            }
        }
        if let itemIndex { columns.append(Column(itemIndex, .long)) }
        let maximum = try limit.map { try compiler.constantCount($0, scope, "mv-expand limit") } ?? Int64(Int32.max)
        let width = columns.count
        let hasIndex = itemIndex != nil
        return Plan(columns: columns, serialized: input.serialized) {
            let cursor = try input.open()
            var pending: [Row] = []
            var next = 0
            return {
                while next >= pending.count {
                    guard let row = try cursor() else { return nil }
                    pending = try expand(
                        row, targets, width: width, hasIndex: hasIndex, limit: maximum, bagsAsArrays: bagsAsArrays)
                    next = 0
                }
                next += 1
                return pending[next - 1]
            }
        }
    }

    /// The elements a value expands to: array items, single-property bags (or, with `bagsAsArrays`,
    /// `[key, value]` arrays, as `kind=array` gives them), or the value itself.
    static func elements(_ value: Value, bagsAsArrays: Bool = false) -> [Dynamic] {
        guard case .dynamic(let dynamic) = value else { return [.null] }
        switch dynamic {
        case .array(let items): return items
        case .object(let bag) where bagsAsArrays: return bag.keys.sorted().map { .array([.string($0), bag[$0]!]) }
        case .object(let bag): return bag.keys.sorted().map { .object([$0: bag[$0]!]) }
        default: return [dynamic]
        }
    }

    static func expand(
        _ row: Row, _ targets: [(index: Int, eval: (Row) throws -> Value, type: ColumnType?)], width: Int,
        hasIndex: Bool, limit: Int64, bagsAsArrays: Bool = false
    ) throws -> [Row] {
        let lists = try targets.map { elements(try $0.eval(row), bagsAsArrays: bagsAsArrays) }
        let count = min(Int(limit), lists.map(\.count).max() ?? 0)
        var rows: [Row] = []
        for position in 0..<count {
            var output = row
            while output.count < width { output.append(.null) }
            for (target, list) in zip(targets, lists) {
                let element: Dynamic = position < list.count ? list[position] : .null
                output[target.index] = target.type.map { cast(element, to: $0) } ?? .dynamic(element)
            }
            if hasIndex { output[width - 1] = .long(Int64(position)) }
            rows.append(output)
        }
        return rows
    }

    /// `to typeof(T)`: a conversion that yields null when the element does not fit.
    static func cast(_ element: Dynamic, to type: ColumnType) -> Value {
        if case .null = element { return type == .string ? .string("") : .null }
        switch type {
        case .string: return .string(Value.dynamic(element).kqlString)
        case .dynamic: return .dynamic(element)
        default:
            let converted = ConversionFunctions.convert(.dynamic(element), to: type)
            if type == .int, case .int = converted, case .long(let l) = element, Int32(exactly: l) == nil {
                return .null
            }
            return converted
        }
    }
}
