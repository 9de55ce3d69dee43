/// Array and bag reshaping: array_iff, rotations and shifts, array_split, bag_zip, bag_set_key,
/// jaccard_index, and byte arrays from and to base64.

import Foundation
import TableModel

enum ArrayReshaping {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "array_iff", "array_iif":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .dynamic) { v in
                guard let conditions = items(v[0]) else { return .dynamic(.null) }
                let chosen = conditions.enumerated().map { index, condition -> Dynamic in
                    guard let test = truth(condition) else { return .null }
                    return element(test ? v[1] : v[2], index)
                }
                return .dynamic(.array(chosen))
            }
        case "array_rotate_left", "array_rotate_right":
            try Functions.arity(name, a, 2...2)
            let sign: Int64 = name == "array_rotate_left" ? 1 : -1
            return try combine(a, .dynamic) { v in
                guard let list = items(v[0]), let steps = Convert.toLong(v[1]) else { return .dynamic(.null) }
                guard !list.isEmpty else { return .dynamic(.array([])) }
                let count = Int64(list.count)
                let shift = Int(((steps.multipliedReportingOverflow(by: sign).partialValue % count) + count) % count)
                return .dynamic(.array(Array(list[shift...] + list[..<shift])))
            }
        case "array_shift_left", "array_shift_right":
            try Functions.arity(name, a, 2...3)
            let sign: Int64 = name == "array_shift_left" ? 1 : -1
            return try combine(a, .dynamic) { v in
                guard let list = items(v[0]), let steps = Convert.toLong(v[1]) else { return .dynamic(.null) }
                let fill = v.count == 3 ? Convert.toDynamic(v[2]) : .null
                let count = Int64(list.count)
                let shift = max(-count, min(count, steps.multipliedReportingOverflow(by: sign).partialValue))
                let padding = Array(repeating: fill, count: Int(abs(shift)))
                if shift >= 0 { return .dynamic(.array(Array(list[Int(shift)...]) + padding)) }
                return .dynamic(.array(padding + list[..<(list.count - Int(-shift))]))
            }
        case "array_split":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .dynamic) { v in
                guard let list = items(v[0]) else { return .dynamic(.null) }
                let raw = items(v[1]) ?? [Convert.toDynamic(v[1])]
                var cuts: [Int] = []
                for cut in raw {
                    guard let position = Convert.toLong(.dynamic(cut)) else { return .dynamic(.null) }
                    let index = position < 0 ? Int64(list.count) + position : position
                    cuts.append(Int(max(0, min(Int64(list.count), index))))
                }
                var parts: [Dynamic] = []
                var start = 0
                for cut in cuts.sorted() {
                    parts.append(.array(Array(list[start..<max(start, cut)])))
                    start = max(start, cut)
                }
                parts.append(.array(Array(list[start...])))
                return .dynamic(.array(parts))
            }
        case "zip":
            try Functions.arity(name, a, 2...16)
            return try combine(a, .dynamic) { v in
                let lists = v.map(items)
                guard lists.allSatisfy({ $0 != nil }) else { return .dynamic(.null) }
                let count = lists.map { $0!.count }.max() ?? 0
                return .dynamic(
                    .array(
                        (0..<count).map { index in
                            .array(lists.map { index < $0!.count ? $0![index] : .null })
                        }))
            }
        case "bag_zip":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .dynamic) { v in
                guard let keys = items(v[0]) else { return .dynamic(.null) }
                let values = items(v[1])
                var bag: [String: Dynamic] = [:]
                for (index, key) in keys.enumerated() {
                    guard case .string(let name) = key else { continue }
                    bag[name] = values.flatMap { index < $0.count ? $0[index] : nil } ?? .null
                }
                return .dynamic(.object(bag))
            }
        case "bag_set_key":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .dynamic) { v in
                guard case .dynamic(.object(let bag)) = v[0], let path = keyPath(v[1].kqlString) else {
                    return .dynamic(.null)
                }
                return .dynamic(setting(.object(bag), path[...], Convert.toDynamic(v[2])))
            }
        case "jaccard_index":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .real) { v in
                guard let first = items(v[0]), let second = items(v[1]) else { return .null }
                let left = Set(first)
                let right = Set(second)
                let union = left.union(right).count
                guard union > 0 else { return .real(.nan) }
                return .real(Double(left.intersection(right).count) / Double(union))
            }
        case "base64_decode_toarray":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in
                guard let data = Data(base64Encoded: v.kqlString) else { return .dynamic(.null) }
                return .dynamic(.array(data.map { .long(Int64($0)) }))
            }
        case "base64_encode_fromarray":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in
                guard let list = items(v) else { return .string("") }
                var bytes: [UInt8] = []
                for item in list {
                    guard case .long(let byte) = item, (0...255).contains(byte) else { return .string("") }
                    bytes.append(UInt8(byte))
                }
                return .string(Data(bytes).base64EncodedString())
            }
        default:
            return nil
        }
    }

    static func items(_ value: Value) -> [Dynamic]? {
        if case .dynamic(.array(let list)) = value { return list }
        return nil
    }

    /// array_iff's reading of a condition: bools as they are, numbers as non-zero; others have none.
    static func truth(_ item: Dynamic) -> Bool? {
        switch item {
        case .bool(let b): return b
        case .long(let l): return l != 0
        case .real(let r): return r != 0
        default: return nil
        }
    }

    /// The `index`th element of an array operand, or a scalar operand itself.
    static func element(_ value: Value, _ index: Int) -> Dynamic {
        if case .dynamic(.array(let list)) = value { return index < list.count ? list[index] : .null }
        return Convert.toDynamic(value)
    }

    /// `key`, or a `$.a.b` / `$['a']` path, as its keys; nil when the path is malformed.
    static func keyPath(_ text: String) -> [String]? {
        guard text.hasPrefix("$") else { return text.isEmpty ? nil : [text] }
        var keys: [String] = []
        var rest = Substring(text.dropFirst())
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty else { return nil }
                keys.append(String(key))
                rest = rest.dropFirst(key.count)
            } else if rest.hasPrefix("['") || rest.hasPrefix("[\"") {
                let quote = rest.dropFirst().first!
                rest = rest.dropFirst(2)
                guard let end = rest.firstIndex(of: quote), rest[rest.index(after: end)...].hasPrefix("]") else {
                    return nil
                }
                keys.append(String(rest[..<end]))
                rest = rest[rest.index(end, offsetBy: 2)...]
            } else {
                return nil
            }
        }
        return keys.isEmpty ? nil : keys
    }

    /// `bag` with the value at `path` set, creating bags on the way.
    static func setting(_ bag: Dynamic, _ path: ArraySlice<String>, _ value: Dynamic) -> Dynamic {
        guard let key = path.first else { return value }
        var members: [String: Dynamic] = [:]
        if case .object(let existing) = bag { members = existing }
        members[key] = setting(members[key] ?? .null, path.dropFirst(), value)
        return .object(members)
    }
}
