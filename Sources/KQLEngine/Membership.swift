/// `in`, `!in`, `in~`, `!in~`, `has_any` and `has_all` over lists, dynamic arrays and subqueries.

import TableModel

enum Membership {
    static func compile(_ op: String, _ lhs: Scalar, _ items: [Expr], _ scope: Scope, _ compiler: Compiler) throws
        -> Scalar
    {
        var parts: [Scalar] = []
        var subqueries: [Plan] = []
        for item in items {
            if case .tabular(let tabular) = item {
                subqueries.append(try compiler.plan(tabular, scope.environment))
            } else if case .name(let name, _) = item, scope.index(of: name) == nil,
                case .tabular(let plan) = scope.environment.lookup(name)
            {
                subqueries.append(plan)
            } else {
                parts.append(try compiler.scalar(item, scope))
            }
        }
        let caseInsensitive = op.hasSuffix("~")
        let negated = op.hasPrefix("!")
        if op.hasPrefix("has_a") {
            return try termMatch(all: op.hasPrefix("has_all"), lhs, parts, subqueries)
        }
        let constantParts = parts.allSatisfy { $0.constant != nil }
        var cached: Set<[UInt8]>?
        let lhsEval = lhs.eval
        let evals = parts.map(\.eval)
        return Scalar(type: .bool) { row in
            let value = try lhsEval(row)
            guard let key = key(value, caseInsensitive) else { return .bool(negated) }
            var found: Bool
            if constantParts {
                if cached == nil { cached = try collect(parts.map { $0.constant! }, subqueries, caseInsensitive) }
                found = cached!.contains(key)
            } else {
                var values: [Value] = []
                for eval in evals { values.append(try eval(row)) }
                if cached == nil { cached = try collect([], subqueries, caseInsensitive) }
                let rowKeys = try collect(values, [], caseInsensitive)
                found = cached!.contains(key) || rowKeys.contains(key)
            }
            return .bool(found != negated)
        }
    }

    private static func collect(_ values: [Value], _ subqueries: [Plan], _ caseInsensitive: Bool) throws
        -> Set<[UInt8]>
    {
        var keys: Set<[UInt8]> = []
        for value in values { insert(value, into: &keys, caseInsensitive) }
        for plan in subqueries {
            guard !plan.columns.isEmpty else { continue }
            let cursor = try plan.open()
            while let row = try cursor() { insert(row[0], into: &keys, caseInsensitive) }
        }
        return keys
    }

    private static func insert(_ value: Value, into keys: inout Set<[UInt8]>, _ caseInsensitive: Bool) {
        if case .dynamic(.array(let items)) = value {
            for item in items { insert(.dynamic(item), into: &keys, caseInsensitive) }
            return
        }
        if let key = key(value, caseInsensitive) { keys.insert(key) }
    }

    /// A comparable key for a value: strings by their exact bytes, numbers by numeric value.
    static func key(_ value: Value, _ caseInsensitive: Bool) -> [UInt8]? {
        func tagged(_ tag: Character, _ text: String) -> [UInt8] { [tag.asciiValue!] + Array(text.utf8) }
        switch value {
        case .null, .dynamic(.null): return nil
        case .string(let s), .dynamic(.string(let s)): return tagged("s", caseInsensitive ? CaseMapping.lower(s) : s)
        case .int, .long, .real, .dynamic(.long), .dynamic(.real):
            guard let number = Convert.toReal(value) else { return nil }
            return tagged("n", "\(number)")
        case .bool(let b), .dynamic(.bool(let b)): return tagged("b", "\(b)")
        case .datetime(let d): return tagged("d", "\(d.ticks)")
        case .timespan(let t): return tagged("t", "\(t.ticks)")
        case .guid(let g): return tagged("s", g.uuidString.lowercased())
        case .decimal(let d): return tagged("n", "\(Decimals.real(d))")
        case .dynamic(let d): return tagged("j", d.jsonText)
        }
    }

    private static func termMatch(all: Bool, _ lhs: Scalar, _ parts: [Scalar], _ subqueries: [Plan]) throws -> Scalar {
        guard parts.allSatisfy({ $0.constant != nil }) else {
            throw KQLError.unsupported("has_any/has_all with values that are not constants")
        }
        var needles: [String]?
        let constants = parts.map { $0.constant! }
        return try lhs.map(.bool) { value in
            if needles == nil {
                var list: [String] = []
                func add(_ v: Value) {
                    if case .dynamic(.array(let items)) = v {
                        for item in items { add(.dynamic(item)) }
                    } else if !v.isNull {
                        list.append(CaseMapping.lower(v.kqlString))
                    }
                }
                constants.forEach(add)
                for plan in subqueries {
                    let cursor = try plan.open()
                    while let row = try cursor() { add(row[0]) }
                }
                needles = list
            }
            let haystack = CaseMapping.lower(value.kqlString)
            let test = { (needle: String) in StringMatching.hasTerm(haystack, needle, atStart: true, atEnd: true) }
            return .bool(all ? needles!.allSatisfy(test) : needles!.contains(where: test))
        }
    }
}
