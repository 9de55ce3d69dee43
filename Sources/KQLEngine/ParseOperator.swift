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
        for (position, element) in pattern.enumerated() {
            let isLast = position == pattern.count - 1
            switch element {
            case .text(let text):
                regex += kind == "regex" ? text : NSRegularExpression.escapedPattern(for: text)
            case .wildcard:
                regex += isLast ? ".*" : ".*?"
            case .capture(let name, let type):
                captures.append(Column(name, type))
                switch type {
                case .int, .long: regex += "(-?\\d+)"
                case .real: regex += "(-?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?)"
                default: regex += "(" + (isLast || kind == "regex" ? ".*" : ".*?") + ")"
                }
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
                            let captured = Regex.group(match, index + 1, in: text) ?? ""
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
}

enum BagUnpack {
    static func plan(_ input: Plan, _ column: Expr, _ prefix: String?, _ scope: Scope, _ compiler: Compiler) throws
        -> Plan
    {
        // The output schema depends on the data, so the input is read once to find every key.
        guard case .name(let name, _) = column, let index = scope.index(of: name), scope.columns[index].type == .dynamic
        else { throw KQLError.unsupported("bag_unpack of anything but a dynamic column") }
        let rows = try input.collect()
        var keys: [String] = []
        var seen: Set<String> = []
        for row in rows {
            if case .dynamic(.object(let bag)) = row[index] {
                for key in bag.keys where seen.insert(key).inserted { keys.append(key) }
            }
        }
        keys.sort { Comparison.ordinal($0, $1) < 0 }
        var columns = input.columns
        columns.remove(at: index)
        let prefixText = prefix ?? ""
        var types: [ColumnType] = []
        for key in keys {
            guard !columns.contains(where: { $0.name == prefixText + key }) else {
                throw KQLError.unsupported("bag_unpack where a key clashes with an existing column")
            }
            let type = inferredType(
                rows.map { row -> Dynamic in
                    if case .dynamic(.object(let bag)) = row[index] { return bag[key] ?? .null }
                    return .null
                })
            types.append(type)
            columns.append(Column(prefixText + key, type))
        }
        let output: [Row] = rows.map { row in
            var out = row
            out.remove(at: index)
            let bag: [String: Dynamic]
            if case .dynamic(.object(let value)) = row[index] { bag = value } else { bag = [:] }
            for (key, type) in zip(keys, types) {
                let value = bag[key] ?? .null
                out.append(type == .dynamic ? .dynamic(value) : Convert.fromDynamic(value, as: type))
            }
            return out
        }
        return .rows(columns, output)
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
