/// The scalar-expression half of the KQL parser, by precedence from `or` down to literals.

import Foundation
import TableModel

extension Parser {
    /// Operators at the equality level (lower than relational).
    static let equalityWords: Set<String> = ["in", "!in", "in~", "!in~", "has_any", "has_all", "between", "!between"]

    /// String operators (bind tighter than arithmetic in KQL).
    static let stringWords: Set<String> = {
        var words: Set<String> = ["matches", "like", "notlike"]
        for base in ["has", "hasprefix", "hassuffix", "contains", "startswith", "endswith"] {
            for spelled in [base, base + "_cs"] {
                words.insert(spelled)
                words.insert("!" + spelled)
            }
        }
        return words
    }()

    /// Parses one scalar expression.
    mutating func expression() throws -> Expr {
        try orExpression()
    }

    private var operatorWord: String? {
        switch currentKind {
        case .identifier(let word): return word
        case .operatorWord(let word): return word
        default: return nil
        }
    }

    mutating func orExpression() throws -> Expr {
        var left = try andExpression()
        while isWord("or") {
            let start = position
            advance()
            left = .binary("or", left, try andExpression(), start)
        }
        return left
    }

    mutating func andExpression() throws -> Expr {
        var left = try equalityExpression()
        while isWord("and") {
            let start = position
            advance()
            left = .binary("and", left, try equalityExpression(), start)
        }
        return left
    }

    mutating func equalityExpression() throws -> Expr {
        var left = try relationalExpression()
        while true {
            let start = position
            if case .symbol(let symbol) = currentKind, ["==", "!=", "<>"].contains(symbol) {
                advance()
                left = .binary(symbol == "<>" ? "!=" : symbol, left, try relationalExpression(), start)
                continue
            }
            guard let word = operatorWord, Self.equalityWords.contains(word) else { return left }
            advance()
            if word == "between" || word == "!between" {
                try expect("(")
                let low = try additiveExpression()
                try expect("..")
                let high = try additiveExpression()
                try expect(")")
                left = .between(negated: word == "!between", left, low, high, start)
                continue
            }
            try expect("(")
            var items: [Expr] = []
            while !isSymbol(")") {
                items.append(try expressionOrTabular())
                if !accept(",") { break }
            }
            try expect(")")
            left = .inList(word, left, items, start)
        }
    }

    mutating func relationalExpression() throws -> Expr {
        let left = try additiveExpression()
        let start = position
        if case .symbol(let symbol) = currentKind, ["<", "<=", ">", ">="].contains(symbol) {
            advance()
            return .binary(symbol, left, try additiveExpression(), start)
        }
        return left
    }

    mutating func additiveExpression() throws -> Expr {
        var left = try multiplicativeExpression()
        while case .symbol(let symbol) = currentKind, symbol == "+" || symbol == "-" {
            let start = position
            advance()
            left = .binary(symbol, left, try multiplicativeExpression(), start)
        }
        return left
    }

    mutating func multiplicativeExpression() throws -> Expr {
        var left = try stringExpression()
        while case .symbol(let symbol) = currentKind, symbol == "*" || symbol == "/" || symbol == "%" {
            let start = position
            advance()
            left = .binary(symbol, left, try stringExpression(), start)
        }
        return left
    }

    mutating func stringExpression() throws -> Expr {
        var left = try unaryExpression()
        while true {
            let start = position
            if case .symbol(let symbol) = currentKind, symbol == "=~" || symbol == "!~" {
                advance()
                left = .binary(symbol, left, try unaryExpression(), start)
                continue
            }
            guard let word = operatorWord, Self.stringWords.contains(word) else { return left }
            if word == "like" || word == "notlike" { throw KQLError.unsupported("the '\(word)' operator") }
            advance()
            if word == "matches" {
                try expectWord("regex")
                left = .binary("matches regex", left, try unaryExpression(), start)
                continue
            }
            left = .binary(word, left, try unaryExpression(), start)
        }
    }

    mutating func unaryExpression() throws -> Expr {
        let start = position
        if case .symbol(let symbol) = currentKind, symbol == "-" || symbol == "+" {
            advance()
            if symbol == "-", currentKind == .longMinMagnitude {
                advance()
                return .literal(.long(.min), .long)
            }
            let operand = try unaryExpression()
            if symbol == "-" {
                if case .literal(.long(let value), .long) = operand { return .literal(.long(0 &- value), .long) }
                if case .literal(.real(let value), .real) = operand { return .literal(.real(-value), .real) }
                if case .literal(.timespan(let value), .timespan) = operand {
                    return .literal(.timespan(Timespan(ticks: -value.ticks)), .timespan)
                }
            }
            return .unary(symbol, operand, start)
        }
        return try postfixExpression()
    }

    mutating func postfixExpression() throws -> Expr {
        var expr = try primaryExpression()
        while true {
            let start = position
            if isSymbol("."), peekKind(1) != .symbol(".") {
                advance()
                if isSymbol("["), case .string(let key) = peekKind(1), peekKind(2) == .symbol("]") {
                    advance()
                    advance()
                    advance()
                    expr = .member(expr, key, start)
                    continue
                }
                if isSymbol("[") {
                    advance()
                    let subscriptExpr = try expression()
                    try expect("]")
                    expr = .index(expr, subscriptExpr, start)
                    continue
                }
                guard case .identifier(let key) = currentKind else { throw failure("a property name after '.'") }
                advance()
                expr = .member(expr, key, start)
                continue
            }
            if isSymbol("[") {
                advance()
                let subscriptExpr = try expression()
                try expect("]")
                if case .literal(.string(let key), _) = subscriptExpr {
                    expr = .member(expr, key, start)
                } else {
                    expr = .index(expr, subscriptExpr, start)
                }
                continue
            }
            return expr
        }
    }

    mutating func primaryExpression() throws -> Expr {
        let start = position
        switch currentKind {
        case .string(let text):
            advance()
            var joined = text
            while case .string(let more) = currentKind {
                joined += more
                advance()
            }
            return .literal(.string(joined), .string)
        case .long(let value):
            advance()
            return .literal(.long(value), .long)
        case .real(let value):
            advance()
            return .literal(.real(value), .real)
        case .longMinMagnitude:
            advance()
            return .literal(.real(9_223_372_036_854_775_808.0), .real)
        case .timespan(let ticks):
            advance()
            return .literal(.timespan(Timespan(ticks: ticks)), .timespan)
        case .typed(let name, let raw):
            advance()
            return try TypedLiteral.parse(name: name, raw: raw, at: start)
        case .symbol("("):
            advance()
            let inner = try expressionOrTabular()
            try expect(")")
            return inner
        case .symbol("*"):
            advance()
            return .star(start)
        case .symbol("["):
            return .name(try name(), start)
        case .identifier(let word):
            if startsTabularSource { return .tabular(try tabularRest(source: try source())) }
            advance()
            if word == "true" || word == "false" { return .literal(.bool(word == "true"), .bool) }
            if word == "dynamic", isSymbol("(") {
                advance()
                let value = try dynamicLiteral()
                try expect(")")
                return .dynamicLiteral(value)
            }
            if word == "typeof", isSymbol("(") {
                advance()
                let type = try typeName()
                try expect(")")
                return .typeOf(type)
            }
            if word == "materialize", isSymbol("(") {
                advance()
                let inner = try tabular()
                try expect(")")
                return .tabular(TabularExpr(source: .materialize(inner), operators: []))
            }
            if isSymbol("(") {
                advance()
                return .call(word, try arguments(), start)
            }
            return .name(word, start)
        default:
            throw failure("an expression")
        }
    }

    /// Call arguments after `(`, through the closing `)`.
    mutating func arguments() throws -> [Expr] {
        var args: [Expr] = []
        while !isSymbol(")") {
            if case .identifier(let word) = currentKind, peekKind(1) == .symbol("=") {
                let start = position
                advance()
                advance()
                args.append(.binary("=", .name(word, start), try expressionOrTabular(), start))
                if !accept(",") { break }
                continue
            }
            args.append(try expressionOrTabular())
            if !accept(",") { break }
        }
        try expect(")")
        return args
    }

    /// The JSON-like content of `dynamic(...)`, which may also hold typed KQL literals.
    mutating func dynamicLiteral() throws -> Dynamic {
        switch currentKind {
        case .symbol("["):
            advance()
            var items: [Dynamic] = []
            while !isSymbol("]") {
                items.append(try dynamicLiteral())
                if !accept(",") { break }
            }
            try expect("]")
            return .array(items)
        case .symbol("{"):
            advance()
            var bag: [String: Dynamic] = [:]
            while !isSymbol("}") {
                let key: String
                switch currentKind {
                case .string(let text): key = text
                case .identifier(let word): key = word
                default: throw failure("a property name")
                }
                advance()
                try expect(":")
                bag[key] = try dynamicLiteral()
                if !accept(",") { break }
            }
            try expect("}")
            return .object(bag)
        case .identifier("null"):
            advance()
            return .null
        case .identifier("dynamic") where peekKind(1) == .symbol("("):
            advance()
            advance()
            let inner = try dynamicLiteral()
            try expect(")")
            return inner
        default:
            let expr = try unaryExpression()
            guard case .literal(let value, _) = expr else { throw failure("a literal inside dynamic()") }
            return Dynamic(scalar: value)
        }
    }
}

extension Dynamic {
    /// A scalar wrapped into a dynamic value, as Kusto does inside `dynamic()` and `pack_array()`.
    init(scalar value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .long(Int64(i))
        case .long(let l): self = .long(l)
        case .real(let r): self = .real(r)
        case .decimal(let d): self = .real(NSDecimalNumber(decimal: d).doubleValue)
        case .string(let s): self = .string(s)
        case .datetime(let d): self = .string(d.kustoText)
        case .timespan(let t): self = .string(t.text)
        case .guid(let g): self = .string(g.uuidString.lowercased())
        case .dynamic(let d): self = d
        }
    }
}
