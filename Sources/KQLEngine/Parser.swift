/// The statement and tabular half of the recursive-descent KQL parser.

import TableModel

/// Parses KQL text into statements. Scalar expressions are in `Parser+Expressions.swift`,
/// tabular operators in `Parser+Operators.swift`.
struct Parser {
    var tokens: [Token]
    var index = 0

    init(_ text: String) throws {
        tokens = try Lexer.tokenize(text)
    }

    /// Parses a whole query: `let` statements and one tabular statement, separated by `;`.
    static func parseQuery(_ text: String) throws -> [Statement] {
        var parser = try Parser(text)
        let statements = try parser.statements(closing: nil)
        return statements
    }

    // MARK: - Token access

    var current: Token { tokens[index] }
    var currentKind: Token.Kind { tokens[index].kind }

    func peekKind(_ offset: Int) -> Token.Kind {
        index + offset < tokens.count ? tokens[index + offset].kind : .end
    }

    var position: Position { Position(line: current.line, column: current.column) }

    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func failure(_ expected: String) -> KQLError {
        .syntax(line: current.line, column: current.column, expected: expected, found: current.display)
    }

    func isSymbol(_ symbol: String) -> Bool { currentKind == .symbol(symbol) }
    func isWord(_ word: String) -> Bool { currentKind == .identifier(word) }

    mutating func accept(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func acceptWord(_ word: String) -> Bool {
        guard isWord(word) else { return false }
        advance()
        return true
    }

    mutating func expect(_ symbol: String) throws {
        guard accept(symbol) else { throw failure("'\(symbol)'") }
    }

    mutating func expectWord(_ word: String) throws {
        guard acceptWord(word) else { throw failure("'\(word)'") }
    }

    /// A plain or quoted (`['a b']`) name.
    mutating func name(_ what: String = "a name") throws -> String {
        if case .identifier(let name) = currentKind {
            advance()
            return name
        }
        if isSymbol("["), case .string(let text) = peekKind(1), peekKind(2) == .symbol("]") {
            advance()
            advance()
            advance()
            return text
        }
        throw failure(what)
    }

    var atName: Bool {
        if case .identifier = currentKind { return true }
        if isSymbol("["), case .string = peekKind(1), peekKind(2) == .symbol("]") { return true }
        return false
    }

    // MARK: - Statements

    /// Statements up to the end of the text, or up to `closing` (for function bodies).
    mutating func statements(closing: String?) throws -> [Statement] {
        var statements: [Statement] = []
        while true {
            while accept(";") {}
            if let closing, isSymbol(closing) { return statements }
            if currentKind == .end {
                if closing != nil { throw failure("'\(closing!)'") }
                return statements
            }
            statements.append(try statement())
            if let closing, isSymbol(closing) { return statements }
            if currentKind == .end, closing == nil { return statements }
            guard accept(";") else { throw failure("';' or '|'") }
        }
    }

    mutating func statement() throws -> Statement {
        if acceptWord("let") {
            let name = try name("a name after let")
            try expect("=")
            if isFunctionStart {
                return .letFunction(name, try functionDefinition())
            }
            switch try expressionOrTabular() {
            case .tabular(let tabular): return .letTabular(name, tabular)
            case let expr: return .letValue(name, expr)
            }
        }
        for word in ["set", "declare", "alias", "pattern", "restrict"] where isWord(word) {
            // The statement may hold `;` inside braces (a pattern's bodies): skip to its own end.
            var depth = 0
            while currentKind != .end, depth > 0 || !isSymbol(";") {
                if isSymbol("(") || isSymbol("[") || isSymbol("{") { depth += 1 }
                if isSymbol(")") || isSymbol("]") || isSymbol("}") { depth -= 1 }
                advance()
            }
            return .unsupported("the '\(word)' statement")
        }
        if isSymbol("."), case .identifier = peekKind(1) {
            while currentKind != .end { advance() }
            return .unsupported("a management command (a request that starts with '.')")
        }
        switch try expressionOrTabular() {
        case .tabular(let tabular): return .query(tabular)
        case .name(let name, let position): return .query(TabularExpr(source: .name(name, position), operators: []))
        case .call(let name, let args, let position):
            return .query(TabularExpr(source: .call(name, args, position), operators: []))
        case let expr: return .scalar(expr)
        }
    }

    var isFunctionStart: Bool {
        if isWord("view"), peekKind(1) == .symbol("(") { return true }
        guard isSymbol("(") else { return false }
        if peekKind(1) == .symbol(")") { return peekKind(2) == .symbol("{") }
        if case .identifier = peekKind(1), peekKind(2) == .symbol(":") { return true }
        return false
    }

    mutating func functionDefinition() throws -> FunctionDefinition {
        _ = acceptWord("view")
        try expect("(")
        var parameters: [FunctionDefinition.Parameter] = []
        while !isSymbol(")") {
            let name = try name("a parameter name")
            try expect(":")
            var parameter = FunctionDefinition.Parameter(name: name, type: nil, isTabular: false)
            if accept("(") {
                parameter.isTabular = true
                var depth = 1
                while depth > 0 {
                    if currentKind == .end { throw failure("')' closing the table parameter schema") }
                    if isSymbol("(") { depth += 1 }
                    if isSymbol(")") { depth -= 1 }
                    advance()
                }
            } else {
                parameter.type = try typeName()
                if accept("=") { parameter.defaultValue = try expression() }
            }
            parameters.append(parameter)
            if !accept(",") { break }
        }
        try expect(")")
        try expect("{")
        var body = try statements(closing: "}")
        try expect("}")
        guard let result = body.popLast() else { throw failure("a function body") }
        return FunctionDefinition(parameters: parameters, statements: body, result: result)
    }

    /// A scalar type name (`long`, `string`, ...).
    mutating func typeName() throws -> ColumnType {
        guard case .identifier(let word) = currentKind, let type = ColumnType(kqlName: word) else {
            throw failure("a type name (bool, datetime, dynamic, guid, int, long, real, string, timespan)")
        }
        guard word == word.lowercased() else { throw failure("a lower-case type name") }
        advance()
        return type
    }

    // MARK: - Tabular expressions

    /// A scalar expression, or a tabular expression when a pipe follows or a tabular source starts.
    mutating func expressionOrTabular() throws -> Expr {
        if startsTabularSource {
            return .tabular(try tabularRest(source: try source()))
        }
        let expr = try expression()
        if isSymbol("|") {
            switch expr {
            case .name(let name, let position): return .tabular(try tabularRest(source: .name(name, position)))
            case .call(let name, let args, let position):
                return .tabular(try tabularRest(source: .call(name, args, position)))
            case .tabular(let inner): return .tabular(try tabularRest(source: .nested(inner)))
            case .member(.call(let function, _, _), _, _), .member(.member(.call(let function, _, _), _, _), _, _):
                return .tabular(try tabularRest(source: .unsupported("the cross-resource function \(function)()")))
            default: throw failure("a tabular expression before '|'")
            }
        }
        return expr
    }

    var startsTabularSource: Bool {
        for word in ["datatable", "print", "range", "union", "externaldata", "external_data", "search", "find"]
        where isWord(word) {
            if case .symbol(let next) = peekKind(1), [",", ")", "=", "==", "!=", ".", "|", ";", "]"].contains(next) {
                return false
            }
            if peekKind(1) == .end { return word == "print" }
            if word == "range" { if case .identifier = peekKind(1) { return true } else { return false } }
            return true
        }
        return false
    }

    mutating func tabular() throws -> TabularExpr {
        try tabularRest(source: try source())
    }

    mutating func tabularRest(source: Source) throws -> TabularExpr {
        var operators: [PipeOperator] = []
        while accept("|") {
            operators.append(try pipeOperator())
        }
        return TabularExpr(source: source, operators: operators)
    }

    mutating func source() throws -> Source {
        let start = position
        if accept("(") {
            let inner = try tabular()
            try expect(")")
            return .nested(inner)
        }
        if acceptWord("datatable") { return try datatable() }
        if acceptWord("print") {
            return .print(try namedExpressions())
        }
        if acceptWord("range") {
            let name = try name("the range column name")
            try expectWord("from")
            let from = try expression()
            try expectWord("to")
            let to = try expression()
            try expectWord("step")
            return .range(name, from, to, try expression())
        }
        if acceptWord("union") { return .union(try unionSpec()) }
        for word in ["externaldata", "external_data", "search", "find", "evaluate"] where isWord(word) {
            advance()
            skipToPipe()
            return .unsupported("the '\(word)' operator")
        }
        if isWord("materialize"), peekKind(1) == .symbol("(") {
            advance()
            advance()
            let inner = try tabular()
            try expect(")")
            return .materialize(inner)
        }
        let name = try name("a table name, datatable, print, range, union or '('")
        if accept("(") {
            let args = try arguments()
            if isSymbol(".") {
                // workspace("w").Table, arg("").Resources, cluster("c").database("d").T
                while accept(".") {
                    _ = try self.name("a table name")
                    if accept("(") { _ = try arguments() }
                }
                return .unsupported("the cross-resource function \(name)()")
            }
            return .call(name, args, start)
        }
        return .name(name, start)
    }

    mutating func datatable() throws -> Source {
        try expect("(")
        var columns: [Column] = []
        while !isSymbol(")") {
            let name = try name("a column name")
            try expect(":")
            columns.append(Column(name, try typeName()))
            if !accept(",") { break }
        }
        try expect(")")
        try expect("[")
        var values: [Expr] = []
        while !isSymbol("]") {
            values.append(try expression())
            if !accept(",") { break }
        }
        try expect("]")
        return .datatable(columns, values)
    }

    mutating func unionSpec() throws -> UnionSpec {
        var spec = UnionSpec(tables: [])
        while case .identifier(let word) = currentKind, peekKind(1) == .symbol("=") {
            advance()
            advance()
            switch word {
            case "kind": spec.kind = try name("inner or outer")
            case "withsource": spec.withSource = try name("a column name")
            case "isfuzzy":
                spec.isFuzzy = try name("true or false") == "true"
            default:
                if word.hasPrefix("hint.") { _ = try name() } else { throw KQLError.unsupported("union \(word)=") }
            }
        }
        repeat {
            if isSymbol("*") || (atName && isWildcardAhead) {
                skipToPipe()
                return UnionSpec(tables: [
                    TabularExpr(source: .unsupported("union with wildcard table names"), operators: [])
                ])
            }
            spec.tables.append(try tabularOperand())
        } while accept(",")
        return spec
    }

    var isWildcardAhead: Bool { peekKind(1) == .symbol("*") }

    /// The operand of join/lookup/union: a parenthesised pipeline or a bare name.
    mutating func tabularOperand() throws -> TabularExpr {
        if accept("(") {
            let inner = try tabular()
            try expect(")")
            return inner
        }
        return TabularExpr(source: try source(), operators: [])
    }
}
