/// IPv4 functions: ipv4_is_private, ipv4_is_in_range, ipv4_is_in_any_range, ipv4_is_match,
/// ipv4_compare, parse_ipv4, parse_ipv4_mask, has_ipv4.

import TableModel

enum IPv4Functions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        let text = Functions.text
        switch name {
        case "parse_ipv4":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in
                guard let (address, prefix) = network(text(v)) else { return .null }
                return .long(Int64(address & mask(prefix)))
            }
        case "parse_ipv4_mask":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .long) { v in
                guard let address = address(text(v[0])), let prefix = Convert.toLong(v[1]), (0...32).contains(prefix)
                else { return .null }
                return .long(Int64(address & mask(Int(prefix))))
            }
        case "ipv4_is_private":
            try Functions.arity(name, a, 1...1)
            let ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(network)
            return a[0].map(.bool) { v in
                guard let (address, _) = network(text(v)) else { return .null }
                return .bool(ranges.contains { contains($0, address) })
            }
        case "ipv4_is_in_range":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .bool) { v in
                guard let (address, _) = network(text(v[0])), let range = network(text(v[1])) else { return .null }
                return .bool(contains(range, address))
            }
        case "ipv4_is_in_any_range":
            try Functions.arity(name, a, 2...64)
            return try combine(a, .bool) { v in
                guard let (address, _) = network(text(v[0])) else { return .null }
                var ranges: [String] = []
                for value in v.dropFirst() {
                    if case .dynamic(.array(let items)) = value {
                        ranges += items.map { Value.dynamic($0).kqlString }
                    } else {
                        ranges.append(text(value))
                    }
                }
                return .bool(ranges.compactMap(network).contains { contains($0, address) })
            }
        case "ipv4_is_match", "ipv4_compare":
            try Functions.arity(name, a, 2...3)
            let isMatch = name == "ipv4_is_match"
            return try combine(a, isMatch ? .bool : .long) { v in
                guard let (first, firstPrefix) = network(text(v[0])), let (second, secondPrefix) = network(text(v[1]))
                else { return .null }
                var prefix = min(firstPrefix, secondPrefix)
                if v.count == 3 {
                    guard let given = Convert.toLong(v[2]), (0...32).contains(given) else { return .null }
                    prefix = min(prefix, Int(given))
                }
                let x = first & mask(prefix)
                let y = second & mask(prefix)
                if isMatch { return .bool(x == y) }
                return .long(x < y ? -1 : (x == y ? 0 : 1))
            }
        case "has_ipv4":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .bool) { v in
                let needle = text(v[1])
                guard address(needle) != nil else { return .bool(false) }
                return .bool(hasAddress(text(v[0]), needle))
            }
        default:
            return nil
        }
    }

    /// Four dotted decimal octets, each 0...255.
    static func address(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    /// An address with an optional `/prefix` (32 when absent).
    static func network(_ text: String) -> (UInt32, Int)? {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let value = address(String(parts[0])) else { return nil }
        var prefix = 32
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...32).contains(given) else { return nil }
            prefix = given
        }
        return (value, prefix)
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    static func contains(_ range: (UInt32, Int), _ address: UInt32) -> Bool {
        address & mask(range.1) == range.0 & mask(range.1)
    }

    /// Whether `needle` occurs in `text` not adjacent to another digit or dot-digit.
    static func hasAddress(_ text: String, _ needle: String) -> Bool {
        let hay = Array(text.utf8)
        let pin = Array(needle.utf8)
        var start = 0
        while let found = Text.firstOffset(hay, pin, from: start) {
            let before = found == 0 || !(isDigit(hay[found - 1]) || hay[found - 1] == UInt8(ascii: "."))
            let end = found + pin.count
            let after =
                end == hay.count
                || !(isDigit(hay[end])
                    || (hay[end] == UInt8(ascii: ".")
                        && end + 1 < hay.count && isDigit(hay[end + 1])))
            if before && after { return true }
            start = found + 1
        }
        return false
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
