/// Array and bag helpers: sums, sorting, set operations, merging, and scalar min_of/max_of.

import TableModel

enum ArrayFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        func array(_ value: Value) -> [Dynamic]? {
            if case .dynamic(.array(let items)) = value { return items }
            return nil
        }
        switch name {
        case "array_sum":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.real) { v in
                guard let items = array(v) else { return .null }
                var total = 0.0
                for item in items where item != .null {
                    guard let number = Convert.toReal(.dynamic(item)) else { return .null }
                    total += number
                }
                return .real(total)
            }
        case "array_reverse":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in array(v).map { .dynamic(.array($0.reversed())) } ?? .dynamic(.null) }
        case "array_sort_asc", "array_sort_desc":
            try Functions.arity(name, a, 1...64)
            let ascending = name == "array_sort_asc"
            var nullsLast = true
            var arrays = a
            if a.count >= 2, a[a.count - 1].type == .bool {
                guard case .bool(let flag)? = a[a.count - 1].constant else {
                    throw KQLError.unsupported("\(name)() with a nulls_last flag that is not a constant")
                }
                nullsLast = flag
                arrays.removeLast()
            }
            if arrays.count == 1 {
                return arrays[0].map(.dynamic) { v in
                    guard let items = array(v) else { return .dynamic(.null) }
                    let order = sortedOrder(items, ascending: ascending, nullsLast: nullsLast)
                    return .dynamic(.array(order.map { items[$0] }))
                }
            }
            // Several arrays: the first is sorted and the others follow its new order. As one value
            // this is an array of the reordered arrays; print, extend and project spread it over
            // columns (TupleResults).
            return try combine(arrays, .dynamic) { v in
                guard let first = array(v[0]) else { return .dynamic(.array(v.map { _ in .null })) }
                let order = sortedOrder(first, ascending: ascending, nullsLast: nullsLast)
                return .dynamic(
                    .array(
                        v.map { value in
                            guard let items = array(value), items.count == first.count else { return .null }
                            return .array(order.map { items[$0] })
                        }))
            }
        case "strcat_array":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .string) { v in
                guard let items = array(v[0]) else { return .string("") }
                return .string(items.map { Value.dynamic($0).kqlString }.joined(separator: v[1].kqlString))
            }
        case "set_union", "set_intersect", "set_difference":
            try Functions.arity(name, a, 2...64)
            return try combine(a, .dynamic) { v in
                let lists = v.map(array)
                guard lists.allSatisfy({ $0 != nil }) else { return .dynamic(.null) }
                var result: [Dynamic] = []
                var seen: Set<Dynamic> = []
                let first = lists[0]!
                let others = lists.dropFirst().map { Set($0!) }
                let candidates = name == "set_union" ? lists.flatMap { $0! } : first
                for item in candidates where !seen.contains(item) {
                    switch name {
                    case "set_intersect": if !others.allSatisfy({ $0.contains(item) }) { continue }
                    case "set_difference": if others.contains(where: { $0.contains(item) }) { continue }
                    default: break
                    }
                    seen.insert(item)
                    result.append(item)
                }
                return .dynamic(.array(result))
            }
        case "bag_merge":
            try Functions.arity(name, a, 2...64)
            return try combine(a, .dynamic) { v in
                var bag: [String: Dynamic] = [:]
                for value in v {
                    guard case .dynamic(.object(let more)) = value else { continue }
                    for (key, item) in more where bag[key] == nil { bag[key] = item }
                }
                return .dynamic(.object(bag))
            }
        case "dynamic_to_json":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in
                if case .dynamic(let d) = v { return .string(d.jsonText) }
                return .string(Dynamic(scalar: v).jsonText)
            }
        case "min_of", "max_of":
            try Functions.arity(name, a, 2...64)
            let type = try GeneralFunctions.unify(name, a, promoteReal: true)
            let wantMax = name == "max_of"
            return try combine(a.map { GeneralFunctions.coerce($0, to: type) }, type) { v in
                var best: Value?
                if v.contains(where: \.isNaNReal) { return .real(.nan) }
                for value in v where !Comparison.isNullLike(value) {
                    if let current = best {
                        let order = Comparison.sortOrder(value, current)
                        if wantMax ? order > 0 : order < 0 { best = value }
                    } else {
                        best = value
                    }
                }
                return best ?? .null
            }
        case "sign":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.real) { v in
                guard let x = Convert.toReal(v) else { return .null }
                return .real(x > 0 ? 1 : (x < 0 ? -1 : 0))
            }
        case "strcmp":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .int) { v in .int(Int32(Comparison.ordinal(v[0].kqlString, v[1].kqlString))) }
        default:
            return nil
        }
    }

    /// The positions of `items` in sorted order (stable), nulls first or last.
    static func sortedOrder(_ items: [Dynamic], ascending: Bool, nullsLast: Bool) -> [Int] {
        let nulls = items.indices.filter { items[$0] == .null }
        let values = Sorting.stableSort(items.indices.filter { items[$0] != .null }) { i, j in
            let x = items[i]
            let y = items[j]
            let order =
                Comparison.sortOrder(.dynamic(x), .dynamic(y)) != 0
                ? Comparison.sortOrder(scalar(x), scalar(y)) : 0
            return ascending ? order < 0 : order > 0
        }
        return nullsLast ? values + nulls : nulls + values
    }

    /// The scalar a dynamic element holds, for ordering numbers numerically and strings ordinally.
    static func scalar(_ item: Dynamic) -> Value {
        switch item {
        case .long(let l): return .long(l)
        case .real(let r): return .real(r)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        default: return .dynamic(item)
        }
    }
}
