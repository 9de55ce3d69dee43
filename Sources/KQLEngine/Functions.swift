/// Scalar function dispatch: special forms (column_ifexists, toscalar, user functions), then built-ins.

import TableModel

enum Functions {
    /// Other spellings of built-in functions (deprecated or alternative names).
    static let aliases: [String: String] = [
        "pack_dictionary": "bag_pack", "notempty": "isnotempty", "notnull": "isnotnull",
        "extractall": "extract_all", "toboolean": "tobool", "array_iif": "array_iff",
    ]

    static func compile(_ name: String, _ args: [Expr], _ scope: Scope, _ compiler: Compiler) throws -> Scalar {
        if let canonical = aliases[name], scope.environment.lookup(name) == nil {
            return try compile(canonical, args, scope, compiler)
        }
        switch name {
        case "pack_all":
            guard args.count <= 1 else { throw KQLError.semantic("pack_all() takes at most one bool") }
            var ignoreEmpty = false
            if let flag = args.first {
                guard case .bool(let b)? = try compiler.scalar(flag, scope).constant else {
                    throw KQLError.semantic("pack_all()'s argument is a constant bool")
                }
                ignoreEmpty = b
            }
            let columns = scope.columns
            return Scalar(type: .dynamic) { row in
                var bag: [String: Dynamic] = [:]
                for (index, column) in columns.enumerated() where bag[column.name] == nil {
                    let value = row[index]
                    if ignoreEmpty, GeneralFunctions.isEmpty(value) { continue }
                    if case .string(let text) = value {
                        bag[column.name] = .string(text)
                    } else {
                        bag[column.name] = Convert.toDynamic(value)
                    }
                }
                return .dynamic(.object(bag))
            }
        case "column_ifexists", "columnifexists":
            guard args.count == 2, case .literal(.string(let column), _) = args[0] else {
                throw KQLError.semantic("column_ifexists takes a constant column name and a default value")
            }
            if let index = scope.index(of: column) {
                return Scalar(type: scope.columns[index].type) { row in row[index] }
            }
            return try compiler.scalar(args[1], scope)
        case "toscalar":
            guard args.count == 1 else { throw KQLError.semantic("toscalar takes one tabular argument") }
            let plan: Plan
            switch args[0] {
            case .tabular(let tabular): plan = try compiler.plan(tabular, scope.environment)
            case .name(let table, let position):
                plan = try compiler.plan(
                    TabularExpr(source: .name(table, position), operators: []), scope.environment)
            default:
                let value = try compiler.scalar(args[0], scope)
                guard let constant = value.constant else {
                    throw KQLError.unsupported("toscalar() of an expression that depends on the row")
                }
                return .constant(constant, value.type)
            }
            guard let first = plan.columns.first else {
                throw KQLError.semantic("toscalar() of a table without columns")
            }
            let cursor = try plan.open()
            let value = try cursor()?.first ?? (first.type == .string ? .string("") : .null)
            return .constant(value, first.type)
        default:
            break
        }
        if case .function(let definition, let environment) = scope.environment.lookup(name) {
            return try UserFunctions.scalarCall(name, definition, environment, args, scope, compiler)
        }
        if case .function = scope.environment.lookup(name) {
        } else if args.contains(where: {
            if case .binary("=", _, _, _) = $0 { return true } else { return false }
        }) {
            throw KQLError.unsupported("named arguments to \(name)()")
        }
        if name == "column_names_of" {
            guard args.count == 1 else { throw KQLError.semantic("column_names_of() takes one table") }
            let plan: Plan
            switch args[0] {
            case .tabular(let tabular): plan = try compiler.plan(tabular, scope.environment)
            case .name(let table, let position):
                plan = try compiler.plan(TabularExpr(source: .name(table, position), operators: []), scope.environment)
            case .call(let function, let callArgs, let position):
                plan = try compiler.plan(
                    TabularExpr(source: .call(function, callArgs, position), operators: []), scope.environment)
            default: throw KQLError.semantic("column_names_of() takes a table")
            }
            return .constant(.dynamic(.array(plan.columns.map { .string($0.name) })), .dynamic)
        }
        if Aggregates.isAggregate(name) {
            throw KQLError.semantic("the aggregate \(name)() can only be used in summarize")
        }
        if WindowFunctions.names.contains(name) {
            return try WindowFunctions.compile(name, args, scope, compiler)
        }
        guard FunctionCatalog.scalars.contains(name) || ConversionFunctions.targets[name] != nil else {
            throw FunctionCatalog.refusal(name)
        }
        let compiled = try args.map { arg -> Scalar in
            if case .typeOf(let type) = arg { return .constant(.string(type.rawValue), .string) }
            return try compiler.scalar(arg, scope)
        }
        if !Decimals.awareFunctions.contains(name), compiled.contains(where: { $0.type == .decimal }) {
            throw KQLError.unsupported("the function \(name)() with a decimal argument")
        }
        let context = compiler.context
        for family in [
            GeneralFunctions.compile, StringFunctions.compile, ConversionFunctions.compile,
            DateTimeFunctions.compile, DateTimeFormatting.compile, DynamicFunctions.compile, MathFunctions.compile,
            ArrayFunctions.compile, IPv4Functions.compile, URLFunctions.compile, ArrayReshaping.compile,
            BitAndTrigFunctions.compile, IPv4Search.compile, HashFunctions.compile, TextExtras.compile,
        ] {
            if let scalar = try family(name, compiled, args, context) { return scalar }
        }
        throw FunctionCatalog.refusal(name)
    }

    /// Throws unless `args` has a count in `range`.
    static func arity(_ name: String, _ args: [Scalar], _ range: ClosedRange<Int>) throws {
        guard range.contains(args.count) else {
            let expected =
                range.lowerBound == range.upperBound
                ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw KQLError.semantic("\(name)() takes \(expected) arguments, not \(args.count)")
        }
    }

    /// The string text of a value of any type, "" for null.
    static func text(_ value: Value) -> String { value.kqlString }
}

/// Control and null-test functions: iff, case, coalesce, isempty, isnull, not, gettype.
enum GeneralFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "iff", "iif":
            try Functions.arity(name, a, 3...3)
            let type = try unify(name, [a[1], a[2]])
            let values = [a[1], a[2]].map { coerce($0, to: type) }
            return try combine([a[0]] + values, type) { v in
                Logic.boolValue(v[0]) == true ? v[1] : v[2]
            }
        case "case":
            guard a.count >= 3, a.count % 2 == 1 else {
                throw KQLError.semantic("case() takes predicate/value pairs and an else value")
            }
            let valueParts = stride(from: 1, to: a.count, by: 2).map { a[$0] } + [a[a.count - 1]]
            let type = try unify(name, valueParts)
            let parts = a.enumerated().map { index, part in
                index % 2 == 1 || index == a.count - 1 ? coerce(part, to: type) : part
            }
            return try combine(parts, type) { v in
                var index = 0
                while index + 1 < v.count {
                    if Logic.boolValue(v[index]) == true { return v[index + 1] }
                    index += 2
                }
                return v[v.count - 1]
            }
        case "coalesce":
            try Functions.arity(name, a, 1...64)
            let type = try unify(name, a)
            let parts = a.map { coerce($0, to: type) }
            func isEmptyValue(_ value: Value) -> Bool {
                switch value {
                case .null, .dynamic(.null): return true
                case .string(let s): return s.isEmpty
                default: return false
                }
            }
            // Constant empty arguments (an absent column_ifexists default) are dropped; the rest are
            // evaluated lazily, left to right, stopping at the first non-empty value.
            let live = parts.filter { $0.constant == nil || !isEmptyValue($0.constant!) }
            if live.isEmpty { return .constant(type == .string ? .string("") : .null, type) }
            let evals = live.map(\.eval)
            return Scalar(type: type) { row in
                for eval in evals {
                    let value = try eval(row)
                    if !isEmptyValue(value) { return value }
                }
                return type == .string ? .string("") : .null
            }
        case "isempty", "isnotempty":
            try Functions.arity(name, a, 1...1)
            let wantEmpty = name == "isempty"
            return a[0].map(.bool) { v in .bool(isEmpty(v) == wantEmpty) }
        case "isnull", "isnotnull":
            try Functions.arity(name, a, 1...1)
            let wantNull = name == "isnull"
            return a[0].map(.bool) { v in
                let null: Bool
                switch v {
                case .null, .dynamic(.null): null = true
                default: null = false
                }
                return .bool(null == wantNull)
            }
        case "not":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.bool) { v in Logic.boolValue(v).map { .bool(!$0) } ?? .null }
        case "gettype":
            try Functions.arity(name, a, 1...1)
            let type = a[0].type
            return a[0].map(.string) { v in .string(typeName(v, declared: type)) }
        case "now":
            try Functions.arity(name, a, 0...1)
            let offset = try a.first.map { try timespanConstant(name, $0) } ?? 0
            return .constant(.datetime(DateTime(ticks: context.now.ticks &+ offset)), .datetime)
        case "ago":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.datetime) { v in
                guard case .timespan(let t) = v else { return .null }
                return Arithmetic.checkedDate(context.now.ticks &- t.ticks)
            }
        default:
            return nil
        }
    }

    static func timespanConstant(_ name: String, _ scalar: Scalar) throws -> Int64 {
        guard scalar.type == .timespan, case .timespan(let t)? = scalar.constant else {
            throw KQLError.semantic("\(name)() takes a constant timespan")
        }
        return t.ticks
    }

    static func isEmpty(_ value: Value) -> Bool {
        switch value {
        case .null, .dynamic(.null): return true
        case .string(let s), .dynamic(.string(let s)): return s.isEmpty
        default: return false
        }
    }

    /// The common type of branches: equal types, or numbers promoted (int → long → real).
    static func unify(_ name: String, _ parts: [Scalar], promoteReal: Bool = false) throws -> ColumnType {
        var type = parts[0].type
        for part in parts.dropFirst() where part.type != type {
            if Arithmetic.isNumeric(type), Arithmetic.isNumeric(part.type),
                promoteReal || (type == .real) == (part.type == .real)
            {
                type = type == .real || part.type == .real ? .real : .long
            } else {
                throw KQLError.semantic(
                    "\(name)() needs arguments of one type, got \(type.rawValue) and \(part.type.rawValue)")
            }
        }
        return type
    }

    /// Converts a numeric scalar to a wider numeric type.
    static func coerce(_ scalar: Scalar, to type: ColumnType) -> Scalar {
        guard scalar.type != type else { return scalar }
        return scalar.map(type) { v in
            switch type {
            case .long: return Convert.toLong(v).map(Value.long) ?? .null
            case .real: return Convert.toReal(v).map(Value.real) ?? .null
            default: return v
            }
        }
    }

    /// `gettype()`'s names.
    static func typeName(_ value: Value, declared: ColumnType) -> String {
        switch value {
        case .dynamic(let d):
            switch d {
            case .null: return "null"
            case .bool: return "bool"
            case .long: return "long"
            case .real: return "double"
            case .string: return "string"
            case .array: return "array"
            case .object: return "dictionary"
            }
        case .int: return "int"
        case .real: return "real"
        case .null: return declared.rawValue
        default: return value.naturalType?.rawValue ?? declared.rawValue
        }
    }
}
