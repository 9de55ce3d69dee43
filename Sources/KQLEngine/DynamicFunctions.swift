/// Functions over dynamic arrays and property bags: array_length, pack_array, bag_pack, bag_keys, sets.

import TableModel

enum DynamicFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "array_length":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in
                guard case .dynamic(.array(let items)) = v else { return .null }
                return .long(Int64(items.count))
            }
        case "range":
            try Functions.arity(name, a, 2...3)
            if a[0].type == .datetime || a[0].type == .timespan {
                return try timeRange(a)
            }
            return try combine(a, .dynamic) { v in
                let step = v.count == 3 ? v[2] : .long(1)
                if let first = Convert.toLong(v[0]), let last = Convert.toLong(v[1]), let by = Convert.toLong(step),
                    Arithmetic.isNumeric(a[0].type), a[0].type != .real, v.count < 3 || a[2].type != .real
                {
                    guard by != 0 else { return .dynamic(.null) }
                    var items: [Dynamic] = []
                    var value = first
                    while by > 0 ? value <= last : value >= last {
                        items.append(.long(value))
                        if items.count >= 1_048_576 { break }
                        let (next, overflow) = value.addingReportingOverflow(by)
                        if overflow { break }
                        value = next
                    }
                    return .dynamic(.array(items))
                }
                throw KQLError.unsupported("range() over \(a[0].type.rawValue)")
            }
        case "pack_array":
            return try combine(a, .dynamic) { v in .dynamic(.array(v.map { Dynamic(scalar: $0) })) }
        case "bag_pack", "pack":
            guard a.count % 2 == 0 else { throw KQLError.semantic("\(name)() takes key/value pairs") }
            return try combine(a, .dynamic) { v in
                var bag: [String: Dynamic] = [:]
                for index in stride(from: 0, to: v.count, by: 2) {
                    bag[v[index].kqlString] = Dynamic(scalar: v[index + 1])
                }
                return .dynamic(.object(bag))
            }
        case "bag_keys":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in
                guard case .dynamic(.object(let bag)) = v else { return .dynamic(.null) }
                return .dynamic(.array(bag.keys.sorted().map { .string($0) }))
            }
        case "bag_has_key":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .bool) { v in
                let key = v[1].kqlString
                guard key.hasPrefix("$") else {
                    guard case .dynamic(.object(let bag)) = v[0] else { return .bool(false) }
                    return .bool(bag[key] != nil)
                }
                // A simple JSONPath: `$.a.b` or `$['a']`.
                guard case .dynamic(var current) = v[0] else { return .bool(false) }
                var path = Substring(key.dropFirst())
                while !path.isEmpty {
                    let name: String
                    if path.hasPrefix("."), !path.hasPrefix("..") {
                        path = path.dropFirst()
                        let end = path.firstIndex { $0 == "." || $0 == "[" } ?? path.endIndex
                        name = String(path[..<end])
                        path = path[end...]
                    } else if path.hasPrefix("['"), let close = path.range(of: "']") {
                        name = String(path[path.index(path.startIndex, offsetBy: 2)..<close.lowerBound])
                        path = path[close.upperBound...]
                    } else {
                        throw KQLError.unsupported("bag_has_key() with the JSONPath '\(key)'")
                    }
                    guard let next = current[name] else { return .bool(false) }
                    current = next
                }
                return .bool(true)
            }
        case "array_concat":
            return try combine(a, .dynamic) { v in
                var items: [Dynamic] = []
                for value in v {
                    switch value {
                    case .dynamic(.array(let more)): items += more
                    default: continue
                    }
                }
                return .dynamic(.array(items))
            }
        case "set_has_element", "array_index_of":
            try Functions.arity(name, a, 2...2)
            let isIndex = name == "array_index_of"
            return try combine(a, isIndex ? .long : .bool) { v in
                guard case .dynamic(.array(let items)) = v[0] else { return isIndex ? .null : .bool(false) }
                let target = Membership.key(v[1], false)
                let index = items.firstIndex { Membership.key(.dynamic($0), false) == target }
                return isIndex ? .long(Int64(index ?? -1)) : .bool(index != nil)
            }
        case "array_slice":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .dynamic) { v in
                guard case .dynamic(.array(let items)) = v[0], var start = Convert.toLong(v[1]),
                    var end = Convert.toLong(v[2])
                else { return .dynamic(.null) }
                let count = Int64(items.count)
                if start < 0 { start += count }
                if end < 0 { end += count }
                start = max(0, start)
                end = min(count - 1, end)
                guard start <= end else { return .dynamic(.array([])) }
                return .dynamic(.array(Array(items[Int(start)...Int(end)])))
            }
        default:
            return nil
        }
    }

    /// `range(start, stop[, step])` over datetimes or timespans: the step is a timespan, 1h by default.
    private static func timeRange(_ a: [Scalar]) throws -> Scalar {
        let type = a[0].type
        guard a[1].type == type, a.count < 3 || a[2].type == .timespan else {
            throw KQLError.semantic(
                "range() over \(type.rawValue) needs a \(type.rawValue) stop and a timespan step")
        }
        func ticks(_ value: Value) -> Int64? {
            switch value {
            case .datetime(let d): return d.ticks
            case .timespan(let t): return t.ticks
            default: return nil
            }
        }
        return try combine(a, .dynamic) { v in
            let step = v.count == 3 ? v[2] : .timespan(Timespan(ticks: 36_000_000_000))
            guard let first = ticks(v[0]), let last = ticks(v[1]), let by = ticks(step), by != 0 else {
                return .dynamic(.null)
            }
            var items: [Dynamic] = []
            var current = first
            while by > 0 ? current <= last : current >= last {
                let value: Value =
                    type == .datetime
                    ? .datetime(DateTime(ticks: current)) : .timespan(Timespan(ticks: current))
                items.append(Dynamic(scalar: value))
                if items.count >= 1_048_576 { break }
                let (next, overflow) = current.addingReportingOverflow(by)
                if overflow || (type == .datetime && (next < 0 || next > DateTime.maxTicks)) { break }
                current = next
            }
            return .dynamic(.array(items))
        }
    }
}
