/// Finds the sort keys of a recorded query, so that ordered results are compared in order only on
/// those keys: rows whose keys tie may come in any order (Kusto's sort is not stable).

import Foundation
import KQLEngine
import TableModel

enum SortKeys {
    /// The result-column positions of the last `sort by` / `order by` / `top N by` clause, or nil
    /// when a key is not a plain result column (then the harness compares strictly in order).
    static func columns(_ kql: String, _ names: [String]) -> [Int]? {
        let chars = Array(kql)
        var start: Int?
        var index = 0
        while index < chars.count {
            for keyword in ["sort by ", "order by "] where matches(chars, index, keyword) {
                start = index + keyword.count
            }
            if matches(chars, index, "top "), let by = topBy(chars, index + 4) { start = by }
            index += 1
        }
        guard let start else { return nil }
        var keys: [Int] = []
        for part in split(chars, from: start) {
            var words = part.split(separator: " ").map(String.init)
            if words.count >= 2, words[words.count - 2] == "nulls" { words.removeLast(2) }
            if let last = words.last, last == "asc" || last == "desc" { words.removeLast() }
            guard words.count == 1 else { return nil }
            var name = words[0]
            if name.hasPrefix("['"), name.hasSuffix("']") { name = String(name.dropFirst(2).dropLast(2)) }
            guard let position = names.firstIndex(of: name) else { return nil }
            keys.append(position)
        }
        return keys.isEmpty ? nil : keys
    }

    /// Consecutive runs of rows with equal values in `keys`; every row alone when keys are unknown.
    static func tieGroups(_ rows: [[Value]], _ keys: [Int]?) -> [Range<Int>] {
        guard let keys else { return rows.indices.map { $0..<($0 + 1) } }
        var groups: [Range<Int>] = []
        var start = 0
        for index in rows.indices.dropFirst() {
            let same = keys.allSatisfy { key in
                let a = rows[index][key]
                let b = rows[index - 1][key]
                return a.kqlString == b.kqlString && a.isNull == b.isNull
            }
            if !same {
                groups.append(start..<index)
                start = index
            }
        }
        if !rows.isEmpty { groups.append(start..<rows.count) }
        return groups
    }

    private static func matches(_ chars: [Character], _ at: Int, _ word: String) -> Bool {
        let target = Array(word)
        guard at + target.count <= chars.count, Array(chars[at..<(at + target.count)]) == target else { return false }
        return at == 0 || !(chars[at - 1].isLetter || chars[at - 1].isNumber || chars[at - 1] == "_")
    }

    /// After `top `: the position after `N by `, when the text has that shape.
    private static func topBy(_ chars: [Character], _ from: Int) -> Int? {
        var index = from
        while index < chars.count, chars[index] != " " { index += 1 }
        guard matches(chars, index, " by ") else { return nil }
        return index + 4
    }

    /// The comma-separated keys from `from` to the next top-level `|`, `;` or `)`.
    private static func split(_ chars: [Character], from: Int) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var index = from
        while index < chars.count {
            let char = chars[index]
            if depth == 0, char == "|" || char == ";" || char == ")" { break }
            if char == "(" || char == "[" { depth += 1 }
            if char == ")" || char == "]" { depth -= 1 }
            if depth == 0, char == "," {
                parts.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            } else {
                current.append(char)
            }
            index += 1
        }
        parts.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
        return parts.filter { !$0.isEmpty }
    }
}
