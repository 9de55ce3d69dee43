/// `join` (all nine kinds) and `lookup`: equality joins with Kusto's column suffixing and null padding.

import TableModel

enum Join {
    static let kinds: Set<String> = [
        "innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "anti", "leftantisemi",
        "rightanti", "rightantisemi", "leftsemi", "rightsemi",
    ]

    static func plan(_ left: Plan, _ kind: String, _ right: Plan, _ keys: [JoinKey], isLookup: Bool) throws -> Plan {
        let kind = normalized(kind)
        guard kinds.contains(kind) else { throw KQLError.unsupported("join kind=\(kind)") }
        if isLookup, kind != "leftouter", kind != "inner" {
            throw KQLError.semantic("lookup supports kind=leftouter and kind=inner, not \(kind)")
        }
        guard !keys.isEmpty else { throw KQLError.semantic("join needs at least one key after 'on'") }
        var leftKeys: [Int] = []
        var rightKeys: [Int] = []
        for key in keys {
            guard let l = left.columns.firstIndex(where: { $0.name == key.left }) else {
                throw KQLError.unknownColumn(key.left)
            }
            guard let r = right.columns.firstIndex(where: { $0.name == key.right }) else {
                throw KQLError.unknownColumn(key.right)
            }
            let (lt, rt) = (left.columns[l].type, right.columns[r].type)
            guard Comparison.commonType(lt, rt) != nil else {
                throw KQLError.semantic(
                    "join key '\(key.left)' is \(lt.rawValue) on the left but \(rt.rawValue) on the right")
            }
            leftKeys.append(l)
            rightKeys.append(r)
        }

        let leftSide = ["leftsemi", "leftanti"].contains(kind)
        let rightSide = ["rightsemi", "rightanti"].contains(kind)
        var rightKept = Array(right.columns.indices)
        if isLookup { rightKept.removeAll { rightKeys.contains($0) } }
        var columns: [Column]
        if leftSide {
            columns = left.columns
        } else if rightSide {
            columns = right.columns
        } else {
            columns = left.columns
            for index in rightKept {
                var column = right.columns[index]
                column.name = Summarize.unique(column.name, columns)
                columns.append(column)
            }
        }
        let leftWidth = left.columns.count
        let leftPad = left.columns.map { $0.type == .string ? Value.string("") : .null }
        let rightPad = rightKept.map { right.columns[$0].type == .string ? Value.string("") : .null }
        // The real engine matches null keys to null keys, in join and lookup alike.
        let matchNullKeys = true

        return Plan(columns: columns) {
            // The right side is built into a hash table; the left side streams.
            let rightRows = try right.collect()
            var table: [[[UInt8]]: [Int]] = [:]
            for (index, row) in rightRows.enumerated() {
                guard let key = joinKey(row, rightKeys, matchNullKeys) else { continue }
                table[key, default: []].append(index)
            }
            var rightMatched = [Bool](repeating: false, count: rightRows.count)
            var seenLeftKeys: Set<[[UInt8]]> = []
            var output: [Row] = []
            var pending: [Row] = []
            let cursor = try left.open()
            var leftDone = false
            var tailEmitted = false
            return {
                while true {
                    if !pending.isEmpty { return pending.removeFirst() }
                    if leftDone {
                        if tailEmitted { return nil }
                        tailEmitted = true
                        switch kind {
                        case "rightouter", "fullouter":
                            for (index, row) in rightRows.enumerated() where !rightMatched[index] {
                                output.append(leftPad + rightKept.map { row[$0] })
                            }
                        case "rightsemi":
                            for (index, row) in rightRows.enumerated() where rightMatched[index] { output.append(row) }
                        case "rightanti":
                            for (index, row) in rightRows.enumerated() where !rightMatched[index] { output.append(row) }
                        default: break
                        }
                        pending = output
                        output = []
                        continue
                    }
                    guard let row = try cursor() else {
                        leftDone = true
                        continue
                    }
                    let key = joinKey(row, leftKeys, matchNullKeys)
                    if kind == "innerunique", let key {
                        if !seenLeftKeys.insert(key).inserted { continue }
                    }
                    let matches = key.flatMap { table[$0] } ?? []
                    for index in matches { rightMatched[index] = true }
                    switch kind {
                    case "leftsemi":
                        if !matches.isEmpty { return row }
                    case "leftanti":
                        if matches.isEmpty { return row }
                    case "rightsemi", "rightanti":
                        continue
                    default:
                        for index in matches {
                            let other = rightRows[index]
                            pending.append(row + rightKept.map { other[$0] })
                        }
                        if matches.isEmpty, kind == "leftouter" || kind == "fullouter" {
                            pending.append(row + rightPad)
                        }
                        _ = leftWidth
                    }
                }
            }
        }
    }

    static func normalized(_ kind: String) -> String {
        switch kind {
        case "anti", "leftantisemi": return "leftanti"
        case "rightantisemi": return "rightanti"
        default: return kind
        }
    }

    /// The comparable key of a row; nil when a key value is null (such rows never match in a join).
    static func joinKey(_ row: Row, _ indices: [Int], _ matchNulls: Bool) -> [[UInt8]]? {
        var key: [[UInt8]] = []
        key.reserveCapacity(indices.count)
        for index in indices {
            if let part = Membership.key(row[index], false) {
                key.append(part)
            } else if matchNulls {
                key.append([])
            } else {
                return nil
            }
        }
        return key
    }
}
