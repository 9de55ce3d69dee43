/// The tabular-operator half of the KQL parser: everything after a `|`.

import TableModel

extension Parser {
    /// Operators the engine recognises by name but does not implement.
    static let unsupportedOperators: Set<String> = [
        "top-nested", "top-hitters", "sample",
        "sample-distinct", "scan", "partition", "fork", "facet", "invoke", "search", "find", "reduce",
        "externaldata", "consume", "lookup-hint", "project-smart", "make-graph", "graph-match", "find-where",
        "execute-and-cache", "range", "print", "datatable", "extend-schema", "project-by-names",
        "graph-mark-components",
        "graph-shortest-paths", "graph-to-table", "graph-where-nodes", "graph-where-edges", "lookup-table",
        "macro-expand",
    ]

    /// The operators `pipeOperator()` parses, offered when a word after `|` is a near miss of one.
    static let implementedOperators: Set<String> = [
        "where", "filter", "project", "extend", "project-away", "project-keep", "project-rename",
        "project-reorder", "summarize", "count", "distinct", "sort", "order", "top", "take", "limit", "join",
        "lookup", "union", "mv-expand", "mvexpand", "mv-apply", "mvapply", "parse-kv", "make-series",
        "parse-where", "parse", "getschema", "search", "serialize", "render", "as", "evaluate",
    ]

    mutating func pipeOperator() throws -> PipeOperator {
        let start = position
        guard case .identifier(let word) = currentKind else { throw failure("a tabular operator after '|'") }
        advance()
        switch word {
        case "where", "filter":
            return .where(try expression())
        case "project":
            return .project(try namedExpressions())
        case "extend":
            return .extend(try namedExpressions())
        case "project-away":
            return .projectAway(try columnPatterns())
        case "project-keep":
            return .projectKeep(try columnPatterns())
        case "project-rename":
            var renames: [(new: String, old: String)] = []
            repeat {
                let new = try name("the new column name")
                try expect("=")
                renames.append((new, try name("the column to rename")))
            } while accept(",")
            return .projectRename(renames)
        case "project-reorder":
            var items: [(pattern: String, ascending: Bool?)] = []
            repeat {
                let pattern = try columnPattern()
                var ascending: Bool?
                if acceptWord("asc") || acceptWord("granny-asc") {
                    ascending = true
                } else if acceptWord("desc") || acceptWord("granny-desc") {
                    ascending = false
                }
                items.append((pattern, ascending))
            } while accept(",")
            return .projectReorder(items)
        case "summarize":
            try skipHints()
            var aggregates: [NamedExpr] = []
            if !isWord("by") { aggregates = try namedExpressions() }
            var keys: [NamedExpr] = []
            if acceptWord("by") { keys = try namedExpressions() }
            return .summarize(aggregates: aggregates, by: keys)
        case "count":
            var name = "Count"
            if acceptWord("as") { name = try self.name("a column name") }
            return .count(name)
        case "distinct":
            try skipHints()
            return .distinct(try namedExpressions())
        case "sort", "order":
            try skipHints()
            try expectWord("by")
            return .sort(try sortKeys())
        case "top":
            let count = try expression()
            try expectWord("by")
            return .top(count, try sortKeys())
        case "take", "limit":
            return .take(try expression())
        case "join", "lookup":
            return try join(isLookup: word == "lookup")
        case "union":
            return .union(try unionSpec())
        case "mv-expand", "mvexpand":
            return try mvExpand(legacy: word == "mvexpand")
        case "mv-apply", "mvapply":
            return try mvApply()
        case "parse-kv":
            return try parseKv()
        case "make-series":
            return try makeSeries()
        case "parse-where":
            guard case .parse(let kind, let expr, let pattern, let flags) = try parseOperator() else {
                throw failure("a parse pattern")
            }
            return .parseWhere(kind: kind, expr: expr, pattern: pattern, flags: flags)
        case "parse":
            return try parseOperator()
        case "getschema":
            return .getschema
        case "search":
            return try search()
        case "serialize":
            if atName || isSymbol("(") { return .serialize(try namedExpressions()) }
            return .serialize([])
        case "render":
            skipToPipe()
            return .render
        case "as":
            try skipHints()
            return .as(try name("a name after 'as'"))
        case "evaluate":
            try skipHints()
            let plugin = try name("a plugin name")
            guard plugin == "bag_unpack", accept("(") else {
                skipToPipe()
                return .unsupported("evaluate \(plugin)")
            }
            let args = try arguments()
            var options = try bagUnpackOptions(args)
            if accept(":") {
                try expect("(")
                var star = false
                var columns: [Column] = []
                while !isSymbol(")") {
                    if accept("*") {
                        star = true
                    } else {
                        let name = try name("a column name")
                        try expect(":")
                        columns.append(Column(name, try typeName()))
                    }
                    if !accept(",") { break }
                }
                try expect(")")
                options.schema = (star, columns)
            }
            return .bagUnpack(column: args[0], options: options)
        default:
            if Self.unsupportedOperators.contains(word) {
                skipToPipe()
                return .unsupported("the '\(word)' operator")
            }
            index -= 1
            _ = start
            let error = failure("a tabular operator (where, project, extend, summarize, ...)")
            guard case .syntax(let line, let column, let expected, let found) = error,
                let near = FunctionCatalog.nearest(word, among: Self.implementedOperators)
            else { throw error }
            throw KQLError.syntax(
                line: line, column: column, expected: expected, found: "\(found) (did you mean \(near)?)")
        }
    }

    /// `search [kind=case_sensitive] predicate`: a bare literal is a term searched in every column
    /// (`x*`, `*x`, `*x*` are prefix, suffix and substring terms), `Col:"x"` searches one column.
    mutating func search() throws -> PipeOperator {
        var caseSensitive = false
        if isWord("kind"), peekKind(1) == .symbol("=") {
            advance()
            advance()
            let kind = try name("case_sensitive or case_insensitive")
            guard kind == "case_sensitive" || kind == "case_insensitive" else {
                throw KQLError.unsupported("search kind=\(kind)")
            }
            caseSensitive = kind == "case_sensitive"
        }
        if isWord("in"), peekKind(1) == .symbol("(") {
            skipToPipe()
            return .unsupported("search in (tables)")
        }
        return .search(try searchOr(caseSensitive))
    }

    private mutating func searchOr(_ caseSensitive: Bool) throws -> Expr {
        var left = try searchAnd(caseSensitive)
        while isWord("or") {
            let start = position
            advance()
            left = .binary("or", left, try searchAnd(caseSensitive), start)
        }
        return left
    }

    private mutating func searchAnd(_ caseSensitive: Bool) throws -> Expr {
        var left = try searchTerm(caseSensitive)
        while isWord("and") {
            let start = position
            advance()
            left = .binary("and", left, try searchTerm(caseSensitive), start)
        }
        return left
    }

    private var endsSearchTerm: Bool {
        switch peekKind(1) {
        case .identifier("and"), .identifier("or"), .symbol("|"), .symbol(")"), .symbol(";"), .end: return true
        default: return false
        }
    }

    private mutating func searchTerm(_ caseSensitive: Bool) throws -> Expr {
        let start = position
        if isWord("not"), peekKind(1) == .symbol("(") {
            advance()
            advance()
            let inner = try searchOr(caseSensitive)
            try expect(")")
            return .call("not", [inner], start)
        }
        if isSymbol("("), !endsSearchTerm {
            let saved = index
            advance()
            if let inner = try? searchOr(caseSensitive), accept(")") { return inner }
            index = saved
        }
        if endsSearchTerm {
            var text: String?
            switch currentKind {
            case .string(let value): text = value
            case .long, .real: throw KQLError.unsupported("search for a bare number (quote it as a string term)")
            default: break
            }
            if let text {
                advance()
                return try Self.termMatch(.star(start), text, caseSensitive, start)
            }
        }
        if case .identifier(let column) = currentKind, peekKind(1) == .symbol(":"), case .string(let text) = peekKind(2)
        {
            advance()
            advance()
            advance()
            return try Self.termMatch(.name(column, start), text, caseSensitive, start)
        }
        return try equalityExpression()
    }

    static func termMatch(_ target: Expr, _ term: String, _ caseSensitive: Bool, _ start: Position) throws -> Expr {
        var text = term
        var op = "has"
        let leading = text.hasPrefix("*")
        let trailing = text.hasSuffix("*") && text.count > 1
        if leading { text.removeFirst() }
        if trailing { text.removeLast() }
        if text.contains("*") { throw KQLError.unsupported("search terms with '*' inside") }
        switch (leading, trailing) {
        case (true, true): op = "contains"
        case (false, true): op = "hasprefix"
        case (true, false): op = "hassuffix"
        default: op = "has"
        }
        return .binary(caseSensitive ? op + "_cs" : op, target, .literal(.string(text), .string), start)
    }

    /// Skips `hint.name = value` and `kind=...`-free option pairs the result does not depend on.
    mutating func skipHints() throws {
        while case .identifier(let word) = currentKind, word.hasPrefix("hint."), peekKind(1) == .symbol("=") {
            advance()
            advance()
            advance()
        }
    }

    mutating func skipToPipe() {
        var depth = 0
        while currentKind != .end {
            if depth == 0, isSymbol("|") || isSymbol(";") || isSymbol(")") || isSymbol("]") || isSymbol("}") {
                return
            }
            if isSymbol("(") || isSymbol("[") || isSymbol("{") { depth += 1 }
            if isSymbol(")") || isSymbol("]") || isSymbol("}") { depth -= 1 }
            advance()
        }
    }

    /// `A = x, (b, c) = f(), y`.
    mutating func namedExpressions() throws -> [NamedExpr] {
        var items: [NamedExpr] = []
        repeat {
            items.append(try namedExpression())
        } while accept(",")
        return items
    }

    /// Words the real engine refuses as unquoted column names (observed: `first`, `last`, `from`, ...;
    /// `missing` from a recorded rejection, and the official parser lists it among its keywords).
    static let reservedNames: Set<String> = [
        "first", "last", "to", "where", "has", "asc", "desc", "missing", "true", "false",
    ]

    mutating func namedExpression() throws -> NamedExpr {
        if atName {
            let saved = index
            let quoted = isSymbol("[")
            let name = try self.name()
            if isSymbol("="), !quoted, Self.reservedNames.contains(name) {
                index = saved
                throw failure("a column name that is not a keyword (quote it as ['\(name)'])")
            }
            if accept("=") { return NamedExpr(names: [name], expr: try expression()) }
            index = saved
        }
        if isSymbol("("), case .identifier = peekKind(1), peekKind(2) == .symbol(",") {
            let saved = index
            advance()
            var names: [String] = []
            repeat {
                names.append(try name())
            } while accept(",")
            if accept(")"), accept("=") { return NamedExpr(names: names, expr: try expression()) }
            index = saved
        }
        return NamedExpr(names: [], expr: try expression())
    }

    mutating func sortKeys() throws -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            let expr = try expression()
            var ascending = false
            if acceptWord("asc") {
                ascending = true
            } else if acceptWord("desc") {
                ascending = false
            }
            var nullsFirst = ascending
            if acceptWord("nulls") {
                if acceptWord("first") {
                    nullsFirst = true
                } else {
                    try expectWord("last")
                    nullsFirst = false
                }
            }
            keys.append(SortKey(expr: expr, ascending: ascending, nullsFirst: nullsFirst))
        } while accept(",")
        return keys
    }

    /// A column name that may contain `*` wildcards.
    mutating func columnPattern() throws -> String {
        var pattern = ""
        var last: Token?
        while true {
            if let previous = last, current.line != previous.line || current.column > previous.column + previous.width {
                break
            }
            if isSymbol("*") {
                pattern += "*"
            } else if atName, pattern.isEmpty || pattern.hasSuffix("*") {
                last = current
                pattern += try name()
                continue
            } else {
                break
            }
            last = current
            advance()
        }
        guard !pattern.isEmpty else { throw failure("a column name") }
        return pattern
    }

    mutating func columnPatterns() throws -> [String] {
        var patterns: [String] = []
        repeat {
            patterns.append(try columnPattern())
        } while accept(",")
        return patterns
    }

    mutating func join(isLookup: Bool) throws -> PipeOperator {
        var kind = isLookup ? "leftouter" : "innerunique"
        while case .identifier(let word) = currentKind, peekKind(1) == .symbol("=") {
            advance()
            advance()
            if word == "kind" {
                kind = try name("a join kind")
            } else if word.hasPrefix("hint.") || word == "withsource" {
                advance()
            } else {
                throw KQLError.unsupported("join option \(word)=")
            }
        }
        let right = try tabularOperand()
        try expectWord("on")
        var keys: [JoinKey] = []
        repeat {
            let expr = try equalityExpression()
            keys.append(contentsOf: try joinKeys(expr))
        } while accept(",") || acceptWord("and")
        return .join(kind: kind, right: right, keys: keys, isLookup: isLookup)
    }

    private func joinKeys(_ expr: Expr) throws -> [JoinKey] {
        switch expr {
        case .name(let name, _):
            return [JoinKey(left: name, right: name)]
        case .binary("==", let lhs, let rhs, _):
            guard let (leftSide, leftName) = sideColumn(lhs), let (rightSide, rightName) = sideColumn(rhs),
                leftSide != rightSide
            else { throw KQLError.unsupported("join conditions other than $left.a == $right.b") }
            return leftSide == "$left"
                ? [JoinKey(left: leftName, right: rightName)] : [JoinKey(left: rightName, right: leftName)]
        default:
            throw KQLError.unsupported("join conditions other than column names and $left.a == $right.b")
        }
    }

    private func sideColumn(_ expr: Expr) -> (String, String)? {
        guard case .member(.name(let side, _), let column, _) = expr, side == "$left" || side == "$right" else {
            return nil
        }
        return (side, column)
    }

    mutating func mvExpand(legacy: Bool) throws -> PipeOperator {
        var itemIndex: String?
        var bagsAsArrays = false
        while case .identifier(let word) = currentKind, peekKind(1) == .symbol("=") {
            if word == "with_itemindex" {
                advance()
                advance()
                itemIndex = try name()
            } else if word == "bagexpansion" || word == "kind" {
                advance()
                advance()
                let value = try name()
                if value == "array" {
                    bagsAsArrays = true
                } else if value != "bag" {
                    skipToPipe()
                    return .unsupported("mv-expand \(word)=\(value)")
                }
            } else if word.hasPrefix("hint.") {
                advance()
                advance()
                advance()
            } else {
                break
            }
        }
        var columns: [(name: String, expr: Expr, type: ColumnType?)] = []
        repeat {
            let item = try namedExpression()
            var type: ColumnType?
            if acceptWord("to") {
                try expectWord("typeof")
                try expect("(")
                type = try typeName()
                try expect(")")
            }
            var name = item.names.first
            if name == nil, case .name(let column, _) = item.expr { name = column }
            if name == nil, item.names.isEmpty { name = Compiler.derivedName(item.expr) }
            guard let name, item.names.count <= 1 else {
                skipToPipe()
                return .unsupported("mv-expand of an expression without a name")
            }
            columns.append((name, item.expr, type))
        } while accept(",")
        var limit: Expr? = legacy ? .literal(.long(128), .long) : nil
        if acceptWord("limit") { limit = try expression() }
        return .mvExpand(columns: columns, itemIndex: itemIndex, limit: limit, bagsAsArrays: bagsAsArrays)
    }

    /// `mv-apply [with_itemindex=I] x = expr [to typeof(T)], ... [limit n] on (operator | ...)`.
    mutating func mvApply() throws -> PipeOperator {
        let expansion = try mvExpand(legacy: false)
        guard case .mvExpand(let columns, let itemIndex, let limit, let bagsAsArrays) = expansion else {
            return expansion
        }
        if bagsAsArrays {
            skipToPipe()
            return .unsupported("mv-apply kind=array")
        }
        try expectWord("on")
        try expect("(")
        var subquery: [PipeOperator] = []
        repeat {
            subquery.append(try pipeOperator())
        } while accept("|")
        try expect(")")
        return .mvApply(columns: columns, itemIndex: itemIndex, limit: limit, subquery: subquery)
    }

    mutating func makeSeries() throws -> PipeOperator {
        if case .identifier(let word) = currentKind, peekKind(1) == .symbol("="),
            word == "kind" || word.hasPrefix("hint.")
        {
            skipToPipe()
            return .unsupported("make-series \(word)=")
        }
        var aggregates: [(item: NamedExpr, defaultValue: Expr?)] = []
        repeat {
            let item = try namedExpression()
            var defaultValue: Expr?
            if acceptWord("default") {
                try expect("=")
                defaultValue = try expression()
            }
            aggregates.append((item, defaultValue))
        } while accept(",")
        try expectWord("on")
        let axis: NamedExpr
        if case .identifier(let column) = currentKind, peekKind(1) == .identifier("in") {
            axis = NamedExpr(names: [], expr: .name(column, position))
            advance()
        } else {
            axis = try namedExpression()
        }
        var from: Expr?
        var to: Expr?
        let step: Expr
        if acceptWord("in") {
            try expectWord("range")
            try expect("(")
            from = try expression()
            try expect(",")
            to = try expression()
            try expect(",")
            step = try expression()
            try expect(")")
        } else {
            if acceptWord("from") { from = try expression() }
            if acceptWord("to") { to = try expression() }
            try expectWord("step")
            step = try expression()
        }
        var by: [NamedExpr] = []
        if acceptWord("by") { by = try namedExpressions() }
        return .makeSeries(aggregates: aggregates, axis: axis, from: from, to: to, step: step, by: by)
    }

    /// `bag_unpack(column [, prefix] [, columnsConflict] [, ignoredProperties])`, positional or named.
    func bagUnpackOptions(_ args: [Expr]) throws -> BagUnpackOptions {
        guard (1...4).contains(args.count) else {
            throw KQLError.semantic(
                "bag_unpack takes a column, a prefix, columnsConflict and ignoredProperties")
        }
        let names = ["column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"]
        var options = BagUnpackOptions()
        for (position, arg) in args.enumerated().dropFirst() {
            var option = names[position]
            var value = arg
            if case .binary("=", .name(let name, _), let named, _) = arg {
                option = name
                value = named
            }
            switch (option, value) {
            case ("OutputColumnPrefix", .literal(.string(let text), _)): options.prefix = text
            case ("columnsConflict", .literal(.string(let text), _))
            where ["error", "replace_source", "keep_source"].contains(text):
                options.columnsConflict = text
            case ("ignoredProperties", .dynamicLiteral(.array(let items))):
                for item in items {
                    guard case .string(let key) = item else {
                        throw KQLError.semantic(
                            "bag_unpack's ignoredProperties holds property names (strings)")
                    }
                    options.ignoredProperties.insert(key)
                }
            default:
                throw KQLError.unsupported("bag_unpack's \(option) given as anything but a literal")
            }
        }
        return options
    }

    mutating func parseKv() throws -> PipeOperator {
        let expr = try expression()
        try expectWord("as")
        try expect("(")
        var columns: [Column] = []
        repeat {
            if case .identifier(let word) = currentKind, Self.reservedNames.contains(word) {
                throw failure("a column name that is not a keyword (quote it as ['\(word)'])")
            }
            let column = try name("a column name")
            try expect(":")
            columns.append(Column(column, try typeName()))
        } while accept(",")
        try expect(")")
        var options: [String: String] = [:]
        if acceptWord("with") {
            try expect("(")
            repeat {
                let option = try name("a parse-kv option")
                try expect("=")
                switch currentKind {
                case .string(let value): options[option] = value
                case .identifier(let value): options[option] = value
                default: throw failure("a string or true/false for \(option)")
                }
                advance()
            } while accept(",")
            try expect(")")
        }
        return .parseKv(expr: expr, columns: columns, options: options)
    }

    mutating func parseOperator() throws -> PipeOperator {
        var kind = "simple"
        var flags = ""
        while case .identifier(let word) = currentKind, peekKind(1) == .symbol("=") {
            advance()
            advance()
            if word == "kind" {
                kind = try name("simple, regex or relaxed")
            } else if word == "flags" {
                flags = try name("regex flags")
            } else {
                throw KQLError.unsupported("parse option \(word)=")
            }
        }
        let expr = try expression()
        try expectWord("with")
        var elements: [ParseElement] = []
        while true {
            if case .string(let text) = currentKind {
                advance()
                elements.append(.text(text))
            } else if accept("*") {
                elements.append(.wildcard)
            } else if atName {
                if case .identifier(let word) = currentKind, Self.reservedNames.contains(word) {
                    throw failure("a column name that is not a keyword (quote it as ['\(word)'])")
                }
                // The grammar wants a string literal between two columns (`a " " b`, not `a b`); the real
                // engine refuses adjacent columns.
                if case .capture? = elements.last { throw failure("a string literal between two parse columns") }
                let column = try name()
                var type = ColumnType.string
                if accept(":") { type = try typeName() }
                elements.append(.capture(column, type))
            } else {
                break
            }
        }
        guard !elements.isEmpty else { throw failure("a parse pattern") }
        return .parse(kind: kind, expr: expr, pattern: elements, flags: flags)
    }
}

extension Token {
    /// How many characters the token spans, for wildcard adjacency (`Name*`).
    var width: Int {
        switch kind {
        case .identifier(let name): return name.count
        case .symbol(let symbol): return symbol.count
        default: return 1
        }
    }
}
