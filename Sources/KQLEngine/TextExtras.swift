/// More string functions: isascii, regex_quote, replace_strings, has_any_index, unicode code points,
/// make_string, translate, parse_command_line, extract_json, parse_path, and datetime_part,
/// make_timespan.

import Foundation
import TableModel

enum TextExtras {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "isascii":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.bool) { v in .bool(v.kqlString.unicodeScalars.allSatisfy(\.isASCII)) }
        case "regex_quote":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.string) { v in
                var quoted = ""
                for char in v.kqlString {
                    if "\\*+?|{}[]()^$.#".contains(char) { quoted.append("\\") }
                    quoted.append(char)
                }
                return .string(quoted)
            }
        case "replace_strings":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .string) { v in
                guard case .dynamic(.array(let lookups)) = v[1], case .dynamic(.array(let replacements)) = v[2],
                    lookups.count == replacements.count
                else { return .null }
                return .string(
                    replaceAll(
                        v[0].kqlString, lookups.map { Value.dynamic($0).kqlString },
                        replacements.map { Value.dynamic($0).kqlString }))
            }
        case "has_any_index":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .long) { v in
                guard case .dynamic(.array(let lookups)) = v[1] else { return .null }
                let text = v[0].kqlString
                for (index, lookup) in lookups.enumerated()
                where StringMatching.hasTerm(text, Value.dynamic(lookup).kqlString, atStart: true, atEnd: true) {
                    return .long(Int64(index))
                }
                return .long(-1)
            }
        case "unicode_codepoints_from_string":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in
                .dynamic(.array(v.kqlString.unicodeScalars.map { .long(Int64($0.value)) }))
            }
        case "unicode_codepoints_to_string", "make_string":
            try Functions.arity(name, a, 1...64)
            return try combine(a, .string) { v in
                var text = String.UnicodeScalarView()
                for value in v {
                    let codes: [Value] = ArrayReshaping.items(value)?.map { .dynamic($0) } ?? [value]
                    for code in codes {
                        guard let number = Convert.toLong(code), let scalar = Unicode.Scalar(UInt32(clamping: number))
                        else { return .null }
                        text.append(scalar)
                    }
                }
                return .string(String(text))
            }
        case "translate":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .string) { v in
                let from = Array(v[0].kqlString)
                let to = Array(v[1].kqlString)
                var output = ""
                for char in v[2].kqlString {
                    guard let index = from.lastIndex(of: char) else {
                        output.append(char)
                        continue
                    }
                    if !to.isEmpty { output.append(index < to.count ? to[index] : to[to.count - 1]) }
                }
                return .string(output)
            }
        case "parse_command_line":
            try Functions.arity(name, a, 2...2)
            guard a[1].constant?.kqlString.lowercased() == "windows" else {
                throw KQLError.unsupported("parse_command_line() with a parser other than \"windows\"")
            }
            return a[0].map(.dynamic) { v in .dynamic(.array(windowsArguments(v.kqlString).map(Dynamic.string))) }
        case "extract_json", "extractjson":
            try Functions.arity(name, a, 2...3)
            var type = ColumnType.string
            if a.count == 3 {
                guard case .typeOf(let t) = raw[2] else {
                    throw KQLError.semantic("\(name)()'s 3rd argument is typeof(T)")
                }
                type = t
            }
            guard let path = a[0].constant.flatMap({ jsonPath($0.kqlString) }) else {
                throw KQLError.unsupported("\(name)() with a path that is not a constant $.a.b[0] path")
            }
            return a[1].map(type) { v in
                guard let document = try? JSONParser.parse(v.kqlString), let found = walk(document, path) else {
                    return type == .string ? .string("") : .null
                }
                let value: Value = if case .string(let s) = found { .string(s) } else { .string(found.jsonText) }
                return type == .dynamic ? .dynamic(found) : ConversionFunctions.convert(value, to: type)
            }
        case "parse_path":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in .dynamic(path(v.kqlString)) }
        case "datetime_part":
            try Functions.arity(name, a, 2...2)
            guard let part = a[0].constant?.kqlString.lowercased() else {
                throw KQLError.unsupported("datetime_part() with a part that is not a constant")
            }
            let known = [
                "year", "quarter", "month", "week_of_year", "week", "day", "dayofyear", "hour", "minute", "second",
                "millisecond", "microsecond", "nanosecond",
            ]
            guard known.contains(part) else { throw KQLError.semantic("datetime_part() has no part '\(part)'") }
            return a[1].map(.int) { v in
                guard let date = Convert.toDateTime(v) else { return .null }
                let c = date.components
                let value: Int64
                switch part {
                case "year": value = Int64(c.year)
                case "quarter": value = Int64((c.month - 1) / 3 + 1)
                case "month": value = Int64(c.month)
                case "week_of_year", "week": value = Int64(DateTimeFormatting.isoWeek(date))
                case "day": value = Int64(c.day)
                case "dayofyear":
                    let january = DateTime.from(year: c.year, month: 1, day: 1)?.ticks ?? 0
                    value = (date.ticks - january) / DateTime.ticksPerDay + 1
                case "hour": value = Int64(c.hour)
                case "minute": value = Int64(c.minute)
                case "second": value = Int64(c.second)
                case "millisecond": value = c.fraction / 10_000
                case "microsecond": value = c.fraction / 10
                default: value = c.fraction * 100
                }
                return .int(Int32(truncatingIfNeeded: value))
            }
        case "make_timespan":
            try Functions.arity(name, a, 2...4)
            return try combine(a, .timespan) { v in
                let numbers = v.map(Convert.toReal)
                guard numbers.allSatisfy({ $0 != nil && $0!.isFinite }) else { return .null }
                // Fields out of their clock range (25 hours, 61 minutes, negatives) give null, as recorded.
                var parts = numbers.map { $0! }
                if parts.count < 4 { parts.insert(0, at: 0) }
                if parts.count < 4 { parts.append(0) }
                let limits: [Double] = [.infinity, 24, 60, 60]
                guard zip(parts, limits).allSatisfy({ $0 >= 0 && $0 < $1 }),
                    parts.dropLast().allSatisfy({ $0 == $0.rounded(.down) })
                else { return .null }
                let seconds = parts[0] * 86_400 + parts[1] * 3600 + parts[2] * 60 + parts[3]
                guard let ticks = Int64(exactly: (seconds * 1e7).rounded()) else { return .null }
                return .timespan(Timespan(ticks: ticks))
            }
        default:
            return nil
        }
    }

    /// Replaces every lookup at once, scanning left to right (earlier lookups win at one position).
    static func replaceAll(_ text: String, _ lookups: [String], _ replacements: [String]) -> String {
        let chars = Array(text)
        let needles = lookups.map(Array.init)
        var output = ""
        var index = 0
        scan: while index < chars.count {
            for (position, needle) in needles.enumerated()
            where !needle.isEmpty && index + needle.count <= chars.count
                && Array(chars[index..<index + needle.count]) == needle
            {
                output += replacements[position]
                index += needle.count
                continue scan
            }
            output.append(chars[index])
            index += 1
        }
        return output
    }

    /// Splits a command line as Windows' CommandLineToArgvW does: whitespace separates, double quotes
    /// group, 2n backslashes before a quote give n, 2n+1 give n and a literal quote.
    static func windowsArguments(_ line: String) -> [String] {
        var arguments: [String] = []
        var current = ""
        var inArgument = false
        var quoted = false
        let chars = Array(line)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            if char == "\\" {
                var count = 0
                while index < chars.count, chars[index] == "\\" {
                    count += 1
                    index += 1
                }
                inArgument = true
                if index < chars.count, chars[index] == "\"" {
                    current += String(repeating: "\\", count: count / 2)
                    if count % 2 == 1 {
                        current.append("\"")
                        index += 1
                    }
                } else {
                    current += String(repeating: "\\", count: count)
                }
                continue
            }
            if char == "\"" {
                inArgument = true
                if quoted, index + 1 < chars.count, chars[index + 1] == "\"" {
                    current.append("\"")
                    index += 2
                    continue
                }
                quoted.toggle()
            } else if !quoted, char == " " || char == "\t" {
                if inArgument { arguments.append(current) }
                current = ""
                inArgument = false
            } else {
                current.append(char)
                inArgument = true
            }
            index += 1
        }
        if inArgument { arguments.append(current) }
        return arguments
    }

    enum PathStep { case key(String), index(Int) }

    /// `$.a.b[0]` / `$['a']` as steps; nil when the path has other JSONPath features.
    static func jsonPath(_ text: String) -> [PathStep]? {
        guard text.hasPrefix("$") else { return nil }
        var steps: [PathStep] = []
        var rest = Substring(text.dropFirst())
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty, key != "*" else { return nil }
                steps.append(.key(String(key)))
                rest = rest.dropFirst(key.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                if let number = Int(inner), number >= 0 {
                    steps.append(.index(number))
                } else if inner.count >= 2, let quote = inner.first, quote == "'" || quote == "\"", inner.last == quote
                {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }

    static func walk(_ document: Dynamic, _ steps: [PathStep]) -> Dynamic? {
        var current = document
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let bag)):
                guard let next = bag[key] else { return nil }
                current = next
            case (.index(let index), .array(let list)):
                guard index < list.count else { return nil }
                current = list[index]
            default: return nil
            }
        }
        return current
    }

    /// parse_path's bag: scheme, root, directory, file name, extension, alternate data stream.
    static func path(_ text: String) -> Dynamic {
        var rest = Substring(text)
        var scheme = ""
        if let range = rest.range(of: "://"), rest[..<range.lowerBound].allSatisfy(\.isLetter) {
            scheme = String(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        var root = ""
        let chars = Array(rest)
        if chars.count >= 2, chars[0].isLetter, chars[1] == ":" { root = String(chars[0...1]) }
        let lastSeparator = rest.lastIndex { $0 == "/" || $0 == "\\" }
        let directory = lastSeparator.map { String(rest[..<$0]) } ?? ""
        var file = lastSeparator.map { String(rest[rest.index(after: $0)...]) } ?? String(rest)
        var stream = ""
        if let colon = file.firstIndex(of: ":") {
            stream = String(file[file.index(after: colon)...])
            file = String(file[..<colon])
        }
        let directoryName = directory.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let fileExtension = file.contains(".") ? String(file[file.index(after: file.lastIndex(of: ".")!)...]) : ""
        return .object([
            "Scheme": .string(scheme), "RootPath": .string(root), "DirectoryPath": .string(directory),
            "DirectoryName": .string(directoryName), "Filename": .string(file), "Extension": .string(fileExtension),
            "AlternateDataStreamName": .string(stream),
        ])
    }
}
