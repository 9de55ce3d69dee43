/// `union`: rows of several tables, columns matched by name, clashing types split into `name_type`.

import TableModel

enum Union {
    static func plan(_ spec: UnionSpec, _ inputs: [Plan], _ environment: Environment, _ compiler: Compiler) throws
        -> Plan
    {
        var plans = inputs
        var names: [String] = inputs.isEmpty ? [] : ["union_arg0"]
        for (offset, table) in spec.tables.enumerated() {
            do {
                plans.append(try compiler.plan(table, environment))
            } catch KQLError.unknownTable(let name) where spec.isFuzzy {
                _ = name
                continue
            }
            if case .as(let alias)? = table.operators.last {
                names.append(alias)
            } else if case .name(let name, _) = table.source, table.operators.isEmpty,
                environment.lookup(name) == nil
                    || {
                        if case .function = environment.lookup(name) { return true }; return false
                    }()
            {
                names.append(name)
            } else {
                names.append("union_arg\(inputs.count + offset)")
            }
        }
        guard !plans.isEmpty else { throw KQLError.semantic("union has no table to read") }
        guard spec.kind == "outer" || spec.kind == "inner" else {
            throw KQLError.unsupported("union kind=\(spec.kind)")
        }

        // Output columns in order of first appearance; a name with several types becomes name_type.
        var typesByName: [String: [ColumnType]] = [:]
        var order: [String] = []
        for plan in plans {
            for column in plan.columns {
                if typesByName[column.name] == nil { order.append(column.name) }
                if !(typesByName[column.name] ?? []).contains(column.type) {
                    typesByName[column.name, default: []].append(column.type)
                }
            }
        }
        // A split name that another input already uses as a column name gets a number (x_long1).
        var taken = Set(order.filter { typesByName[$0]!.count == 1 })
        var columns: [Column] = []
        var splitNames: [String: String] = [:]
        for name in order {
            let types = typesByName[name]!
            if spec.kind == "inner", !plans.allSatisfy({ $0.columns.contains { $0.name == name } }) { continue }
            if types.count == 1 {
                columns.append(Column(name, types[0]))
            } else {
                for type in types {
                    let base = "\(name)_\(type.rawValue)"
                    var unique = base
                    var number = 1
                    while taken.contains(unique) {
                        unique = "\(base)\(number)"
                        number += 1
                    }
                    taken.insert(unique)
                    splitNames["\(name)\u{0}\(type.rawValue)"] = unique
                    columns.append(Column(unique, type))
                }
            }
        }
        func outputIndex(_ column: Column) -> Int? {
            let types = typesByName[column.name]!
            let name = types.count == 1 ? column.name : splitNames["\(column.name)\u{0}\(column.type.rawValue)"]
            return columns.firstIndex { $0.name == name }
        }
        let mappings = plans.map { plan in plan.columns.map(outputIndex) }
        let blank = columns.map { $0.type == .string ? Value.string("") : .null }
        var outputColumns = columns
        if let source = spec.withSource { outputColumns.insert(Column(source, .string), at: 0) }
        let withSource = spec.withSource != nil
        return Plan(columns: outputColumns) {
            var index = 0
            var cursor: Cursor?
            return {
                while index < plans.count {
                    if cursor == nil { cursor = try plans[index].open() }
                    if let row = try cursor!() {
                        var output = blank
                        for (position, target) in mappings[index].enumerated() {
                            if let target { output[target] = row[position] }
                        }
                        if withSource { output.insert(.string(names[index]), at: 0) }
                        return output
                    }
                    cursor = nil
                    index += 1
                }
                return nil
            }
        }
    }
}
