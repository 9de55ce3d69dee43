/// `parse-kv`: reads key/value pairs out of text into typed columns, with explicit pair and key/value
/// delimiters and optional quotes; the first occurrence of a key wins.

import Foundation
import TableModel

enum ParseKv {
    static func plan(
        _ input: Plan, _ expr: Expr, _ declared: [Column], _ options: [String: String], _ scope: Scope,
        _ compiler: Compiler
    ) throws -> Plan {
        for option in options.keys where !["pair_delimiter", "kv_delimiter", "quote"].contains(option) {
            throw KQLError.unsupported("parse-kv with \(option)=")
        }
        guard let pairs = options["pair_delimiter"], let separator = options["kv_delimiter"], !pairs.isEmpty,
            !separator.isEmpty
        else { throw KQLError.unsupported("parse-kv without both pair_delimiter and kv_delimiter") }
        let quotes = Array(options["quote"] ?? "")
        guard quotes.count <= 2 else { throw KQLError.unsupported("parse-kv with more than two quote characters") }
        let open = quotes.first
        let close = quotes.count == 2 ? quotes[1] : quotes.first
        let source = try compiler.scalar(expr, scope)
        var columns = input.columns
        var targets: [Int] = []
        for column in declared {
            if let existing = columns.firstIndex(where: { $0.name == column.name }) {
                columns[existing] = column
                targets.append(existing)
            } else {
                columns.append(column)
                targets.append(columns.count - 1)
            }
        }
        let width = columns.count
        let reader = Reader(pairs: Array(pairs), separator: Array(separator), open: open, close: close)
        return Plan(columns: columns, serialized: input.serialized) {
            let cursor = try input.open()
            return {
                guard var row = try cursor() else { return nil }
                let found = reader.read(Array(try source.eval(row).kqlString))
                while row.count < width { row.append(.null) }
                for (column, target) in zip(declared, targets) {
                    let text = found[column.name]
                    row[target] =
                        text.map { ConversionFunctions.convert(.string($0), to: column.type) }
                        ?? (column.type == .string ? .string("") : .null)
                }
                return row
            }
        }
    }

    struct Reader {
        var pairs: [Character]
        var separator: [Character]
        var open: Character?
        var close: Character?

        func read(_ text: [Character]) -> [String: String] {
            var found: [String: String] = [:]
            var index = 0
            func at(_ token: [Character]) -> Bool {
                index + token.count <= text.count && Array(text[index..<index + token.count]) == token
            }
            func skipSpaces() { while index < text.count, text[index].isWhitespace { index += 1 } }
            func item(stopAtSeparator: Bool) -> String {
                if let open, index < text.count, text[index] == open {
                    index += 1
                    var value = ""
                    while index < text.count, text[index] != close {
                        value.append(text[index])
                        index += 1
                    }
                    if index < text.count { index += 1 }
                    return value
                }
                var value = ""
                while index < text.count, !at(pairs), !(stopAtSeparator && at(separator)) {
                    value.append(text[index])
                    index += 1
                }
                return value.trimmingCharacters(in: .whitespaces)
            }
            while index < text.count {
                skipSpaces()
                let key = item(stopAtSeparator: true)
                let afterKey = index
                skipSpaces()
                if !at(separator) { index = afterKey }
                if at(separator) {
                    index += separator.count
                    skipSpaces()
                    let value = item(stopAtSeparator: false)
                    if !key.isEmpty, found[key] == nil { found[key] = value }
                }
                while index < text.count, !at(pairs) { index += 1 }
                index += pairs.count
            }
            return found
        }
    }
}
