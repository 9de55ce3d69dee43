/// Byte-exact (ordinal) string operations: Swift's own `==`, `hasPrefix` and `components` treat
/// canonically equivalent text and "\r\n" specially, Kusto does not.

enum Text {
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool { text.utf8.starts(with: prefix.utf8) }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        needle.isEmpty || firstOffset(Array(text.utf8), Array(needle.utf8), from: 0) != nil
    }

    /// The byte offset of the first occurrence of `needle` at or after `start`.
    static func firstOffset(_ haystack: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The pieces of `text` between non-overlapping occurrences of `delimiter`.
    static func split(_ text: String, _ delimiter: String) -> [String] {
        let haystack = Array(text.utf8)
        let needle = Array(delimiter.utf8)
        var pieces: [String] = []
        var start = 0
        while let found = firstOffset(haystack, needle, from: start) {
            pieces.append(String(decoding: haystack[start..<found], as: UTF8.self))
            start = found + needle.count
        }
        pieces.append(String(decoding: haystack[start...], as: UTF8.self))
        return pieces
    }

    static func replace(_ text: String, _ find: String, with replacement: String) -> String {
        if find.isEmpty { return text }
        return split(text, find).joined(separator: replacement)
    }

    static func count(_ text: String, _ needle: String) -> Int {
        needle.isEmpty ? 0 : split(text, needle).count - 1
    }
}
