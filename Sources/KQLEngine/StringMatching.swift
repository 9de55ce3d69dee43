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
        return try combine([lhs, rhs], .bool) { values in
            var haystack = text(values[0])
            var needle = text(values[1])
            if fold {
                haystack = haystack.lowercased()
                needle = needle.lowercased()
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
            return try NSRegularExpression(pattern: pattern)
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
