/// The string operators: `has` (term match), `contains`, `startswith`, `endswith`, `=~`, `matches regex`.

import Foundation
import TableModel

enum StringMatching {
    /// Compiles `lhs op rhs` for a string operator spelled as in KQL (`!has_cs`, `=~`, ...).
    static func compile(_ op: String, _ lhs: Scalar, _ rhs: Scalar) throws -> Scalar {
        if op == "matches regex" {
            guard let pattern = rhs.constant else {
                throw KQLError.unsupported("'matches regex' with a pattern that is not a constant")
            }
            let regex = try Regex.compile(pattern.kqlString)
            return try lhs.map(.bool) { value in .bool(try Regex.firstMatch(regex, in: value.kqlString) != nil) }
        }
        var base = op
        let negated = base.hasPrefix("!")
        if negated { base.removeFirst() }
        if base == "~" {
            base = "=~"
        }
        if op == "=~" || op == "!~" {
            for side in [lhs, rhs] where side.type != .string && side.type != .dynamic {
                throw KQLError.semantic("'\(op)' needs string operands, not \(side.type.rawValue)")
            }
        }
        let caseSensitive = base.hasSuffix("_cs")
        if caseSensitive { base.removeLast(3) }
        let test: (String, String) -> Bool
        switch base {
        case "=~": test = { Text.equal($0, $1) }
        case "has": test = { hasTerm($0, $1, atStart: true, atEnd: true) }
        case "hasprefix": test = { hasTerm($0, $1, atStart: true, atEnd: false) }
        case "hassuffix": test = { hasTerm($0, $1, atStart: false, atEnd: true) }
        case "contains": test = { Text.contains($0, $1) }
        case "startswith": test = { Text.hasPrefix($0, $1) }
        case "endswith": test = { Text.hasSuffix($0, $1) }
        default: throw KQLError.unsupported("the '\(op)' operator")
        }
        let fold = !caseSensitive
        if fold, let constant = rhs.constant, lhs.constant == nil {
            let needle = text(constant)
            let folded = Array(CaseMapping.lower(needle).utf8)
            if needle.utf8.allSatisfy({ $0 < 0x80 }) {
                let lowered = CaseMapping.lower(needle)
                return lhs.map(.bool) { value in
                    let haystack = text(value)
                    if let result = ASCIIMatch.test(base, haystack, folded) { return .bool(result != negated) }
                    return .bool(test(CaseMapping.lower(haystack), lowered) != negated)
                }
            }
        }
        return try combine([lhs, rhs], .bool) { values in
            var haystack = text(values[0])
            var needle = text(values[1])
            if fold {
                haystack = CaseMapping.lower(haystack)
                needle = CaseMapping.lower(needle)
            }
            return .bool(test(haystack, needle) != negated)
        }
    }

    static func isStringOperator(_ op: String) -> Bool {
        op == "=~" || op == "!~" || op == "matches regex" || Parser.stringWords.contains(op)
    }

    /// The text a string operator sees for a value of any type.
    static func text(_ value: Value) -> String { value.kqlString }

    static func isTermCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Whether `needle` occurs in `haystack` on term boundaries: a needle that starts (ends) with a
    /// letter or digit must not be preceded (followed) by one.
    static func hasTerm(_ haystack: String, _ needle: String, atStart: Bool, atEnd: Bool) -> Bool {
        let hay = Array(haystack.unicodeScalars)
        let pin = Array(needle.unicodeScalars)
        if pin.isEmpty { return true }
        if pin.count > hay.count { return false }
        let checkStart = atStart && isTermCharacter(pin[0])
        let checkEnd = atEnd && isTermCharacter(pin[pin.count - 1])
        var start = 0
        while start + pin.count <= hay.count {
            if hay[start] == pin[0] {
                var matched = true
                for offset in 1..<pin.count where hay[start + offset] != pin[offset] {
                    matched = false
                    break
                }
                if matched {
                    let before = start == 0 || !checkStart || !isTermCharacter(hay[start - 1])
                    let end = start + pin.count
                    let after = end == hay.count || !checkEnd || !isTermCharacter(hay[end])
                    if before && after { return true }
                }
            }
            start += 1
        }
        return false
    }
}

/// Regular expressions through Foundation, for the RE2 subset KQL queries use.
enum Regex {
    static func compile(_ pattern: String) throws -> NSRegularExpression {
        do {
            // Only \n ends a line for `.`, `^` and `$`, as in RE2.
            let icu = try RE2Pattern.icu(pattern)
            return try NSRegularExpression(pattern: icu, options: .useUnixLineSeparators)
        } catch let error as KQLError {
            throw error
        } catch {
            throw KQLError.semantic("invalid regular expression '\(pattern)'")
        }
    }

    /// The longest one regular expression may run on one value. Foundation's engine backtracks
    /// (KQL's RE2 does not), so a pattern like `(a+)+$` could otherwise run for hours.
    static let timeLimit: TimeInterval = 1

    static func firstMatch(_ regex: NSRegularExpression, in text: String) throws -> NSTextCheckingResult? {
        try matches(regex, in: text, limit: 1).first
    }

    /// Up to `limit` matches of `regex` in `text`, in order; throws when matching exceeds ``timeLimit``.
    static func matches(_ regex: NSRegularExpression, in text: String, limit: Int = .max) throws
        -> [NSTextCheckingResult]
    {
        var found: [NSTextCheckingResult] = []
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeLimit)
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            match, _, stop in
            if let match {
                found.append(match)
                if found.count >= limit { stop.pointee = true }
            } else if Date() > deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        guard !timedOut else {
            throw KQLError.runtime(
                "the regular expression '\(regex.pattern)' ran longer than \(Int(timeLimit)) s on one value "
                    + "(nested repetition like (a+)+ backtracks); simplify the pattern")
        }
        return found
    }

    /// The text of capture `group` in `match`, or nil when the group did not take part.
    static func group(_ match: NSTextCheckingResult, _ group: Int, in text: String) -> String? {
        guard group >= 0, group <= match.numberOfRanges - 1 else { return nil }
        let range = match.range(at: group)
        guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return nil }
        return String(text[swiftRange])
    }
}

/// Case-insensitive matching of ASCII text without allocating lowered copies (the common case).
enum ASCIIMatch {
    static func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    static func isTerm(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// The result for an ASCII haystack; nil when the haystack is not ASCII (the caller falls back).
    static func test(_ op: String, _ haystack: String, _ needle: [UInt8]) -> Bool? {
        var text = haystack
        return text.withUTF8 { bytes -> Bool? in
            for byte in bytes where byte >= 0x80 { return nil }
            switch op {
            case "=~":
                return bytes.count == needle.count && matches(bytes, at: 0, needle)
            case "startswith":
                return bytes.count >= needle.count && matches(bytes, at: 0, needle)
            case "endswith":
                return bytes.count >= needle.count && matches(bytes, at: bytes.count - needle.count, needle)
            case "contains":
                return find(bytes, needle) { _ in true }
            case "has", "hasprefix", "hassuffix":
                guard !needle.isEmpty else { return true }
                let checkStart = op != "hassuffix" && isTerm(needle[0])
                let checkEnd = op != "hasprefix" && isTerm(needle[needle.count - 1])
                return find(bytes, needle) { start in
                    let end = start + needle.count
                    let before = !checkStart || start == 0 || !isTerm(bytes[start - 1])
                    let after = !checkEnd || end == bytes.count || !isTerm(bytes[end])
                    return before && after
                }
            default:
                return nil
            }
        }
    }

    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8]) -> Bool {
        for offset in 0..<needle.count where fold(bytes[start + offset]) != needle[offset] { return false }
        return true
    }

    static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], accept: (Int) -> Bool) -> Bool {
        if needle.isEmpty { return true }
        guard needle.count <= bytes.count else { return false }
        for start in 0...(bytes.count - needle.count) where matches(bytes, at: start, needle) && accept(start) {
            return true
        }
        return false
    }
}
