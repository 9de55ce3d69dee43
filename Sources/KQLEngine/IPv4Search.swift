/// IPv4 search and formatting: has_any_ipv4, has_ipv4_prefix, has_any_ipv4_prefix, format_ipv4,
/// format_ipv4_mask, ipv4_netmask_suffix.

import TableModel

enum IPv4Search {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "has_any_ipv4", "has_ipv4_prefix", "has_any_ipv4_prefix":
            try Functions.arity(name, a, 2...10_000)
            let prefix = name.hasSuffix("_prefix")
            if name == "has_ipv4_prefix" { try Functions.arity(name, a, 2...2) }
            return try combine(a, .bool) { v in
                var needles: [String] = []
                for value in v.dropFirst() {
                    if case .dynamic(.array(let list)) = value {
                        needles += list.map { Value.dynamic($0).kqlString }
                    } else {
                        needles.append(value.kqlString)
                    }
                }
                let text = v[0].kqlString
                for needle in needles where valid(needle, prefix: prefix) {
                    if prefix ? hasPrefix(text, needle) : IPv4Functions.hasAddress(text, needle) { return .bool(true) }
                }
                return .bool(false)
            }
        case "format_ipv4", "format_ipv4_mask":
            try Functions.arity(name, a, 1...2)
            let withMask = name == "format_ipv4_mask"
            return try combine(a, .string) { v in
                guard let (address, given) = network(v[0]) else { return .string("") }
                var prefix = given
                if v.count == 2 {
                    guard let mask = Convert.toLong(v[1]), (0...32).contains(mask) else { return .string("") }
                    prefix = min(prefix, Int(mask))
                }
                let masked = address & IPv4Functions.mask(prefix)
                let text = [24, 16, 8, 0].map { String((masked >> UInt32($0)) & 255) }.joined(separator: ".")
                return .string(withMask ? "\(text)/\(prefix)" : text)
            }
        case "ipv4_netmask_suffix":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.int) { v in
                guard let (_, prefix) = IPv4Functions.network(v.kqlString) else { return .null }
                return .int(Int32(prefix))
            }
        default:
            return nil
        }
    }

    /// An address with an optional prefix, from text or a parse_ipv4 number.
    static func network(_ value: Value) -> (UInt32, Int)? {
        switch value {
        case .long(let l) where (0...Int64(UInt32.max)).contains(l): return (UInt32(l), 32)
        case .int(let i) where i >= 0: return (UInt32(i), 32)
        default: return IPv4Functions.network(value.kqlString)
        }
    }

    /// A whole address, or for prefixes one to four leading octets (a partial one ends with a dot).
    static func valid(_ needle: String, prefix: Bool) -> Bool {
        guard prefix else { return IPv4Functions.address(needle) != nil }
        var parts = needle.split(separator: ".", omittingEmptySubsequences: false)
        if needle.hasSuffix("."), parts.count > 1 { parts.removeLast() } else if parts.count != 4 { return false }
        return (1...4).contains(parts.count)
            && parts.allSatisfy {
                !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && (UInt32($0) ?? 256) <= 255
            }
    }

    /// Whether some whole address in `text` starts with `needle`.
    static func hasPrefix(_ text: String, _ needle: String) -> Bool {
        let hay = Array(text.utf8)
        let pin = Array(needle.utf8)
        var start = 0
        while let found = Text.firstOffset(hay, pin, from: start) {
            start = found + 1
            if found > 0, isAddressByte(hay[found - 1]) { continue }
            var end = found
            while end < hay.count, isAddressByte(hay[end]) { end += 1 }
            var candidate = String(decoding: hay[found..<end], as: UTF8.self)
            while candidate.hasSuffix(".") { candidate.removeLast() }
            if IPv4Functions.address(candidate) != nil { return true }
        }
        return false
    }

    private static func isAddressByte(_ byte: UInt8) -> Bool { (byte >= 48 && byte <= 57) || byte == 46 }
}
