/// The `parse` operator (simple, regex and relaxed kinds) and `evaluate bag_unpack()`.

import Foundation
import TableModel

enum ParseOperator {
    static func plan(
        _ input: Plan, _ kind: String, _ expr: Expr, _ pattern: [ParseElement], _ flags: String, _ scope: Scope,
        _ compiler: Compiler, keepUnmatched: Bool = true
    ) throws -> Plan {
        guard ["simple", "regex", "relaxed"].contains(kind) else { throw KQLError.unsupported("parse kind=\(kind)") }
        guard flags.isEmpty else { throw KQLError.unsupported("parse flags=\(flags)") }
        let source = try compiler.scalar(expr, scope)
        var regex = "^"
        var captures: [Column] = []
        // The regex group of each capture: a kind=regex literal may hold groups of its own.
        var groups: [Int] = []
        var group = 0
        for (position, element) in pattern.enumerated() {
            let isLast = position == pattern.count - 1
            switch element {
            case .text(let text):
                guard kind == "regex" else {
                    regex += NSRegularExpression.escapedPattern(for: text)
                    continue
                }
                regex += text
                group += try groupCount(text)
            case .wildcard:
                regex += isLast ? ".*" : ".*?"
            case .capture(let name, let type):
                captures.append(Column(name, type))
                group += 1
                groups.append(group)
                let text = isLast || kind == "regex" ? ".*" : ".*?"
                let number: String? =
                    switch type {
                    case .int, .long: "-?\\d+"
                    case .real: "-?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?"
                    default: nil
                    }
                guard let number else {
                    regex += "(\(text))"
                    continue
                }
                // kind=relaxed takes the text up to the next literal where no number fits there; that
                // column is then null (it does not convert) and the others are still filled.
                regex += kind == "relaxed" ? "(\(number)|\(text))" : "(\(number))"
            }
        }
        if kind != "regex", case .capture = pattern.last! {
            regex += "$"
        }
        let compiled = try Regex.compile(regex)
        var columns = input.columns
        var targets: [Int] = []
        for capture in captures {
            if let existing = columns.firstIndex(where: { $0.name == capture.name }) {
                columns[existing] = capture
                targets.append(existing)
            } else {
                columns.append(capture)
                targets.append(columns.count - 1)
            }
        }
        let width = columns.count
        let relaxed = kind == "relaxed"
        let sourceEval = source.eval
        return Plan(columns: columns, serialized: input.serialized) {
            let cursor = try input.open()
            return {
                while var row = try cursor() {
                    let text = try sourceEval(row).kqlString
                    var values = captures.map { $0.type == .string ? Value.string("") : .null }
                    var matched = false
                    if let match = try Regex.firstMatch(compiled, in: text) {
                        var converted = values
                        var allFit = true
                        for (index, capture) in captures.enumerated() {
                            let captured = Regex.group(match, groups[index], in: text) ?? ""
                            let value =
                                capture.type == .string
                                ? Value.string(captured)
                                : ConversionFunctions.convert(.string(captured), to: capture.type)
                            if value.isNull { allFit = false }
                            converted[index] = value
                        }
                        if allFit || relaxed {
                            values = converted
                            matched = true
                        }
                    }
                    // parse-where drops the rows its pattern does not match.
                    if !keepUnmatched, !matched { continue }
                    while row.count < width { row.append(.null) }
                    for (index, target) in targets.enumerated() { row[target] = values[index] }
                    return row
                }
                return nil
            }
        }
    }

    /// The capture groups in one literal of a `kind=regex` pattern.
    private static func groupCount(_ text: String) throws -> Int {
        guard let regex = try? NSRegularExpression(pattern: try RE2Pattern.icu(text)) else {
            throw KQLError.unsupported(
                "a parse kind=regex literal that is not a regular expression by itself: '\(text)'")
        }
        return regex.numberOfCaptureGroups
    }
}

enum BagUnpack {
    static func plan(
        _ input: Plan, _ column: Expr, _ options: BagUnpackOptions, _ scope: Scope
    ) throws -> Plan {
        // The output schema depends on the data, so the input is read once to find every key.
        guard case .name(let name, _) = column, let index = scope.index(of: name), scope.columns[index].type == .dynamic
        else { throw KQLError.unsupported("bag_unpack of anything but a dynamic column") }
        let rows = try input.collect()
        func bag(_ row: Row) -> [String: Dynamic] {
            if case .dynamic(.object(let value)) = row[index] { return value }
            return [:]
        }
        var columns = input.columns
        columns.remove(at: index)
        // Each output column past the kept input columns: its bag key and type.
        var unpacked: [(key: String, column: Column)] = []
        var replaced: [Int: String] = [:]
        if let schema = options.schema {
            if !schema.star { columns = [] }
            for declared in schema.columns {
                guard !columns.contains(where: { $0.name == declared.name }) else {
                    throw KQLError.unsupported("a bag_unpack output schema that repeats an input column")
                }
                let key = String(declared.name.dropFirst(options.prefix.count))
                guard declared.name.hasPrefix(options.prefix), !options.ignoredProperties.contains(key) else {
                    throw KQLError.unsupported("a bag_unpack output column that no property can fill")
                }
                unpacked.append((key, declared))
            }
        } else {
            var keys: [String] = []
            var seen: Set<String> = []
            for row in rows {
                for key in bag(row).keys where !options.ignoredProperties.contains(key) {
                    if seen.insert(key).inserted { keys.append(key) }
                }
            }
            keys.sort { Comparison.ordinal($0, $1) < 0 }
            for key in keys {
                let type = inferredType(rows.map { bag($0)[key] ?? .null })
                let outputName = options.prefix + key
                if let existing = columns.firstIndex(where: { $0.name == outputName }) {
                    switch options.columnsConflict {
                    case "keep_source": continue
                    case "replace_source":
                        // The property's values take the source column's place.
                        columns[existing].type = type
                        replaced[existing] = key
                        continue
                    default:
                        throw KQLError.unsupported(
                            "bag_unpack where a key clashes with an existing column "
                                + "(columnsConflict='error')")
                    }
                }
                unpacked.append((key, Column(outputName, type)))
            }
        }
        let kept: [Int] =
            options.schema.map { $0.star ? input.columns.indices.filter { $0 != index } : [] }
            ?? input.columns.indices.filter { $0 != index }
        func cell(_ value: Dynamic?, _ type: ColumnType) -> Value {
            let value = value ?? .null
            if type == .string, case .null = value { return .string("") }
            return type == .dynamic ? .dynamic(value) : Convert.fromDynamic(value, as: type)
        }
        let output: [Row] = rows.map { row in
            let properties = bag(row)
            var out = kept.map { row[$0] }
            for (position, key) in replaced { out[position] = cell(properties[key], columns[position].type) }
            for (key, column) in unpacked { out.append(cell(properties[key], column.type)) }
            return out
        }
        return .rows(columns + unpacked.map(\.column), output)
    }

    /// The column type the real engine gives an unpacked key: the one scalar kind all its values share.
    static func inferredType(_ values: [Dynamic]) -> ColumnType {
        var kinds: Set<String> = []
        for value in values {
            switch value {
            case .null: continue
            case .bool: kinds.insert("bool")
            case .long: kinds.insert("long")
            case .real: kinds.insert("real")
            case .string: kinds.insert("string")
            case .array, .object: kinds.insert("dynamic")
            }
        }
        if kinds == ["long"] { return .long }
        if kinds == ["real"] || kinds == ["long", "real"] { return .real }
        if kinds == ["string"] { return .string }
        if kinds == ["bool"] { return .bool }
        return .dynamic
    }
}
