/// Calls of functions defined with `let f = (params) { body }`, scalar or tabular.

import TableModel

enum UserFunctions {
    /// Binds the arguments of a call to the parameters, in a new environment below `defined`.
    static func bind(
        _ name: String, _ definition: FunctionDefinition, _ defined: Environment, _ args: [Expr],
        _ callerScope: Scope, _ compiler: Compiler
    ) throws -> Environment {
        guard args.count <= definition.parameters.count else {
            throw KQLError.semantic("\(name)() takes \(definition.parameters.count) arguments, not \(args.count)")
        }
        // Named arguments (`f(c=7, a=12)`) go to their parameters; the others fill positions in order.
        var positional: [Expr?] = Array(repeating: nil, count: definition.parameters.count)
        var nextPosition = 0
        for arg in args {
            if case .binary("=", .name(let parameter, _), let value, _) = arg {
                guard let index = definition.parameters.firstIndex(where: { $0.name == parameter }) else {
                    throw KQLError.semantic("\(name)() has no parameter named '\(parameter)'")
                }
                positional[index] = value
            } else {
                while nextPosition < positional.count, positional[nextPosition] != nil { nextPosition += 1 }
                guard nextPosition < positional.count else {
                    throw KQLError.semantic("\(name)() got too many arguments")
                }
                positional[nextPosition] = arg
            }
        }
        let environment = Environment(parent: defined)
        for (index, parameter) in definition.parameters.enumerated() {
            if parameter.isTabular {
                guard let arg = positional[index] else {
                    throw KQLError.semantic("\(name)() needs the table \(parameter.name)")
                }
                let plan: Plan
                switch arg {
                case .tabular(let tabular): plan = try compiler.plan(tabular, callerScope.environment)
                case .name(let table, let position):
                    plan = try compiler.plan(
                        TabularExpr(source: .name(table, position), operators: []),
                        callerScope.environment)
                default: throw KQLError.semantic("\(name)(): \(parameter.name) must be a table")
                }
                environment.bind(parameter.name, .tabular(plan))
                continue
            }
            var value: Scalar
            if let arg = positional[index] {
                value = try compiler.scalar(arg, callerScope)
            } else if let defaultValue = parameter.defaultValue {
                value = try compiler.scalar(defaultValue, Scope(columns: [], environment: defined))
            } else {
                throw KQLError.semantic("\(name)() needs a value for \(parameter.name)")
            }
            if let type = parameter.type, type != value.type {
                if Arithmetic.isNumeric(type), Arithmetic.isNumeric(value.type) {
                    value = GeneralFunctions.coerce(value, to: type == .int ? .long : type)
                } else if value.type != .dynamic {
                    throw KQLError.semantic(
                        "\(name)(): \(parameter.name) is \(type.rawValue) but the argument is \(value.type.rawValue)")
                }
            }
            environment.bind(parameter.name, .scalar(value))
        }
        return environment
    }

    static func scalarCall(
        _ name: String, _ definition: FunctionDefinition, _ defined: Environment, _ args: [Expr], _ scope: Scope,
        _ compiler: Compiler
    ) throws -> Scalar {
        let environment = try bind(name, definition, defined, args, scope, compiler)
        try Statements.bindAll(definition.statements, environment, compiler)
        // The body sees the caller's row positions, but not the caller's column names.
        let hidden = scope.columns.map { Column("\u{0}" + $0.name, $0.type) }
        let bodyScope = Scope(columns: hidden, environment: environment)
        switch definition.result {
        case .query(let tabular):
            if case .name(let single, let position) = tabular.source, tabular.operators.isEmpty {
                return try compiler.scalar(.name(single, position), bodyScope)
            }
            if case .call(let function, let args, let position) = tabular.source, tabular.operators.isEmpty {
                return try compiler.scalar(.call(function, args, position), bodyScope)
            }
            throw KQLError.semantic("\(name)() returns a table and cannot be used as a scalar")
        case .scalar(let expr):
            return try compiler.scalar(expr, bodyScope)
        default:
            throw KQLError.semantic("\(name)() has no result expression")
        }
    }

    static func tabularCall(
        _ name: String, _ definition: FunctionDefinition, _ defined: Environment, _ args: [Expr],
        _ callerEnvironment: Environment, _ compiler: Compiler
    ) throws -> Plan {
        let callerScope = Scope(columns: [], environment: callerEnvironment)
        let environment = try bind(name, definition, defined, args, callerScope, compiler)
        try Statements.bindAll(definition.statements, environment, compiler)
        switch definition.result {
        case .query(let tabular):
            return try compiler.plan(tabular, environment)
        default:
            throw KQLError.semantic("\(name)() returns a scalar and cannot be used as a table")
        }
    }
}

/// Runs `let` statements into an environment.
enum Statements {
    static func bindAll(_ statements: [Statement], _ environment: Environment, _ compiler: Compiler) throws {
        for statement in statements { try bind(statement, environment, compiler) }
    }

    static func bind(_ statement: Statement, _ environment: Environment, _ compiler: Compiler) throws {
        switch statement {
        case .letValue(let name, let expr):
            if case .name(let other, let position) = expr, isTabularName(other, environment, compiler) {
                let plan = try compiler.plan(TabularExpr(source: .name(other, position), operators: []), environment)
                environment.bind(name, .tabular(plan))
                return
            }
            if case .call(let function, let args, let position) = expr,
                case .function(let definition, _) = environment.lookup(function), case .query = definition.result
            {
                let plan = try compiler.plan(
                    TabularExpr(source: .call(function, args, position), operators: []),
                    environment)
                environment.bind(name, .tabular(plan))
                return
            }
            let value = try compiler.scalar(expr, Scope(columns: [], environment: environment))
            let constant = try value.constant ?? value.eval([])
            environment.bind(name, .scalar(.constant(constant, value.type)))
        case .letTabular(let name, let tabular):
            environment.bind(name, .tabular(try compiler.plan(tabular, environment)))
        case .letFunction(let name, let definition):
            environment.bind(name, .function(definition, environment))
        case .query:
            break
        case .scalar:
            throw KQLError.semantic("a query statement must be tabular, not a scalar expression")
        case .unsupported(let what):
            throw KQLError.unsupported(what)
        }
    }

    static func isTabularName(_ name: String, _ environment: Environment, _ compiler: Compiler) -> Bool {
        switch environment.lookup(name) {
        case .tabular: return true
        case .scalar, .function: return false
        case nil: return (try? compiler.context.provider.schema(of: name)) != nil
        }
    }
}
