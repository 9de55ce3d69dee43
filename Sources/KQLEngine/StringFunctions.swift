/// String functions: case, length, substrings, concatenation, split, replace, trim, extract.

import Foundation
import TableModel

enum StringFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        let text = Functions.text
        switch name {
        case "toupper", "tolower":
            try Functions.arity(name, a, 1...1)
            let upper = name == "toupper"
            return a[0].map(.string) { v in .string(upper ? CaseMapping.upper(text(v)) : CaseMapping.lower(text(v))) }
        case "strlen":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in .long(Int64(text(v).unicodeScalars.count)) }
        case "string_size":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in .long(Int64(text(v).utf8.count)) }
        case "strcat":
            try Functions.arity(name, a, 1...64)
            return try combine(a, .string) { v in .string(v.map(text).joined()) }
        case "strcat_delim":
            try Functions.arity(name, a, 2...64)
            return try combine(a, .string) { v in .string(v.dropFirst().map(text).joined(separator: text(v[0]))) }
        case "substring":
            try Functions.arity(name, a, 2...3)
            return try combine(a, .string) { v in
                let scalars = Array(text(v[0]).unicodeScalars)
                guard var start = Convert.toLong(v[1]) else { return .string("") }
                if start < 0 { start += Int64(scalars.count) }
                if start < 0 { return .string("") }
                start = min(start, Int64(scalars.count))
                var end = Int64(scalars.count)
                if v.count == 3 {
                    guard let length = Convert.toLong(v[2]) else { return .string("") }
                    end = min(end, start + min(max(0, length), end))
                }
                var result = String.UnicodeScalarView()
                result.append(contentsOf: scalars[Int(start)..<Int(end)])
                return .string(String(result))
            }
        case "split":
            try Functions.arity(name, a, 2...3)
            return try combine(a, .dynamic) { v in
                let source = text(v[0])
                let delimiter = text(v[1])
                let pieces: [Dynamic] =
                    delimiter.isEmpty
                    ? [.string(source)]
                    : Text.split(source, delimiter).map { .string($0) }
                if v.count == 3 {
                    guard let index = Convert.toLong(v[2]), index >= 0, index < pieces.count else {
                        return .dynamic(.null)
                    }
                    return .dynamic(.array([pieces[Int(index)]]))
                }
                return .dynamic(.array(pieces))
            }
        case "replace_string", "replace_regex", "replace":
            try Functions.arity(name, a, 3...3)
            if name == "replace_string" {
                return try combine(a, .string) { v in
                    .string(Text.replace(text(v[0]), text(v[1]), with: text(v[2])))
                }
            }
            guard let pattern = a[0 + 1].constant else {
                throw KQLError.unsupported("\(name)() with a non-constant regex")
            }
            let regex = try Regex.compile(text(pattern))
            return try combine(a, .string) { v in
                let source = text(v[0])
                let template = try RE2Pattern.template(text(v[2]), groups: regex.numberOfCaptureGroups)
                // Matching first bounds the time; the replacement then repeats only a bounded match.
                if try Regex.matches(regex, in: source).isEmpty { return .string(source) }
                return .string(
                    regex.stringByReplacingMatches(
                        in: source, range: NSRange(source.startIndex..., in: source), withTemplate: template))
            }
        case "trim", "trim_start", "trim_end":
            try Functions.arity(name, a, 2...2)
            guard let pattern = a[0].constant else { throw KQLError.unsupported("\(name)() with a non-constant regex") }
            let body = "(?:" + text(pattern) + ")"
            let regexText = name == "trim" ? "^\(body)|\(body)$" : (name == "trim_start" ? "^\(body)" : "\(body)$")
            let regex = try Regex.compile(regexText)
            return try a[1].map(.string) { v in
                let source = text(v)
                if try Regex.matches(regex, in: source).isEmpty { return .string(source) }
                return .string(
                    regex.stringByReplacingMatches(
                        in: source, range: NSRange(source.startIndex..., in: source), withTemplate: ""))
            }
        case "indexof":
            try Functions.arity(name, a, 2...5)
            return try combine(a, .long) { v in indexOf(v) }
        case "reverse":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in .string(String(String.UnicodeScalarView(text(v).unicodeScalars.reversed())))
            }
        case "extract":
            try Functions.arity(name, a, 3...4)
            guard let pattern = a[0].constant, let group = a[1].constant.flatMap(Convert.toLong) else {
                throw KQLError.unsupported("extract() with a non-constant regex or group")
            }
            let regex = try Regex.compile(text(pattern))
            let type: ColumnType
            if a.count == 4 {
                guard case .typeOf(let t) = raw[3] else {
                    throw KQLError.semantic("extract()'s 4th argument is typeof(T)")
                }
                type = t
            } else {
                type = .string
            }
            return try a[2].map(type) { v in
                let source = text(v)
                guard let match = try Regex.firstMatch(regex, in: source),
                    let captured = Regex.group(match, Int(group), in: source)
                else { return type == .string ? .string("") : .null }
                return ConversionFunctions.convert(.string(captured), to: type)
            }
        case "extract_all":
            try Functions.arity(name, a, 2...3)
            guard let pattern = a[0].constant else {
                throw KQLError.unsupported("extract_all() with a non-constant regex")
            }
            let regex = try Regex.compile(text(pattern))
            if a.count == 3 {
                guard case .dynamic(.array(let items))? = a[1].constant, items.count > 1 else {
                    throw KQLError.unsupported("extract_all() selecting fewer than two capture groups")
                }
                let groups = items.compactMap { Convert.toLong(.dynamic($0)) }.map(Int.init)
                guard groups.count == items.count, groups.allSatisfy((1...max(1, regex.numberOfCaptureGroups)).contains)
                else {
                    throw KQLError.unsupported(
                        "extract_all() selecting capture groups by name or beyond the pattern's groups")
                }
                return try a[2].map(.dynamic) { v in
                    let source = text(v)
                    let matches = try Regex.matches(regex, in: source)
                    if matches.isEmpty { return .dynamic(.null) }
                    return .dynamic(
                        .array(
                            matches.map { match in
                                .array(groups.map { .string(Regex.group(match, $0, in: source) ?? "") })
                            }))
                }
            }
            return try a[1].map(.dynamic) { v in
                let source = text(v)
                let matches = try Regex.matches(regex, in: source)
                if matches.isEmpty { return .dynamic(.null) }
                let items: [Dynamic] = matches.map { match in
                    if match.numberOfRanges <= 1 { return .string(Regex.group(match, 0, in: source) ?? "") }
                    if match.numberOfRanges == 2 { return .string(Regex.group(match, 1, in: source) ?? "") }
                    return .array((1..<match.numberOfRanges).map { .string(Regex.group(match, $0, in: source) ?? "") })
                }
                return .dynamic(.array(items))
            }
        case "countof":
            try Functions.arity(name, a, 2...3)
            if a.count == 3 {
                guard let kind = a[2].constant?.kqlString, kind == "regex" || kind == "normal" else {
                    throw KQLError.semantic("countof()'s third argument is \"normal\" or \"regex\"")
                }
                if kind == "regex" {
                    guard let pattern = a[1].constant else {
                        throw KQLError.unsupported("countof() with a non-constant regex")
                    }
                    let regex = try Regex.compile(text(pattern))
                    return try a[0].map(.long) { v in
                        .long(Int64(try Regex.matches(regex, in: text(v)).count))
                    }
                }
            }
            return try combine(Array(a.prefix(2)), .long) { v in .long(Int64(Text.count(text(v[0]), text(v[1])))) }
        case "base64_encode_tostring", "base64_encodestring":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in .string(Data(text(v).utf8).base64EncodedString()) }
        case "base64_decode_tostring", "base64_decodestring":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in
                guard let data = Data(base64Encoded: text(v)), let decoded = String(data: data, encoding: .utf8) else {
                    return .string("")
                }
                return .string(decoded)
            }
        case "url_decode":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in .string(text(v).removingPercentEncoding ?? "") }
        case "strrep":
            try Functions.arity(name, a, 2...3)
            return try combine(a, .string) { v in
                guard let count = Convert.toLong(v[1]), count >= 0, count <= 10_000 else { return .string("") }
                let delimiter = v.count == 3 ? text(v[2]) : ""
                return .string(Array(repeating: text(v[0]), count: Int(count)).joined(separator: delimiter))
            }
        default:
            return nil
        }
    }

    /// `indexof(source, lookup[, start[, length[, occurrence]]])` in characters; -1 when absent.
    static func indexOf(_ v: [Value]) -> Value {
        let haystack = Array(Functions.text(v[0]).unicodeScalars)
        let needle = Array(Functions.text(v[1]).unicodeScalars)
        var start: Int64 = 0
        if v.count > 2 {
            guard let value = Convert.toLong(v[2]) else { return .null }
            start = value
        }
        if start < 0 { start = max(0, Int64(haystack.count) + start) }
        if start > haystack.count { return .long(-1) }
        var length: Int64 = -1
        if v.count > 3 {
            guard let value = Convert.toLong(v[3]) else { return .null }
            length = value
        }
        var occurrence: Int64 = 1
        if v.count > 4 {
            guard let value = Convert.toLong(v[4]), value > 0 else { return .null }
            occurrence = value
        }
        if needle.isEmpty { return .null }
        // Each further occurrence is searched from just after the previous one, over a window of
        // `length` characters from there (the documented indexof("abcdefgabcdefg", "cde", 1, 10, 2)
        // is 9, while indexof("abcdefg", "cde", 1, 2) is -1).
        var from = Int(start)
        var found: Int64 = 0
        while from <= haystack.count {
            let end = length >= 0 ? min(haystack.count, from + Int(min(length, Int64(haystack.count)))) : haystack.count
            guard let position = firstIndex(of: needle, in: haystack, from: from, end: end) else { break }
            found += 1
            if found == occurrence { return .long(Int64(position)) }
            from = position + 1
        }
        return .long(-1)
    }

    private static func firstIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int, end: Int)
        -> Int?
    {
        var position = from
        while position + needle.count <= end {
            if haystack[position..<position + needle.count].elementsEqual(needle) { return position }
            position += 1
        }
        return nil
    }
}
