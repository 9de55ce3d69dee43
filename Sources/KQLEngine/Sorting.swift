/// `sort`/`order by` and `top`: default descending, nulls last when descending and first when ascending.

import TableModel

enum Sorting {
    static func plan(_ input: Plan, _ keys: [SortKey], limit: Int64?, _ scope: Scope, _ compiler: Compiler) throws
        -> Plan
    {
        let compiled = try keys.map { key in (try compiler.scalar(key.expr, scope), key) }
        return Plan(columns: input.columns, serialized: true) {
            let cursor = try input.open()
            var decorated: [(keys: [Value], row: Row)] = []
            while let row = try cursor() {
                decorated.append((try compiled.map { try $0.0.eval(row) }, row))
            }
            let ordered = try stableSort(decorated) { a, b in
                for (index, (_, key)) in compiled.enumerated() {
                    let order = compareKey(a.keys[index], b.keys[index], key)
                    if order != 0 { return order < 0 }
                }
                return false
            }
            var rows = ordered.map(\.row)
            if let limit, rows.count > limit { rows.removeLast(rows.count - Int(limit)) }
            var iterator = rows.makeIterator()
            return { iterator.next() }
        }
    }

    static func compareKey(_ a: Value, _ b: Value, _ key: SortKey) -> Int {
        let aNull = Comparison.isNullLike(a)
        let bNull = Comparison.isNullLike(b)
        if aNull || bNull {
            if aNull && bNull { return 0 }
            return aNull == key.nullsFirst ? -1 : 1
        }
        let order = Comparison.sortOrder(a, b)
        return key.ascending ? order : -order
    }

    /// A merge sort, so rows with equal keys keep their input order.
    static func stableSort<T>(_ items: [T], by less: (T, T) throws -> Bool) rethrows -> [T] {
        if items.count < 2 { return items }
        var source = items
        var buffer = items
        var width = 1
        while width < source.count {
            var start = 0
            while start < source.count {
                let middle = min(start + width, source.count)
                let end = min(start + 2 * width, source.count)
                var left = start
                var right = middle
                var out = start
                while left < middle && right < end {
                    if try less(source[right], source[left]) {
                        buffer[out] = source[right]
                        right += 1
                    } else {
                        buffer[out] = source[left]
                        left += 1
                    }
                    out += 1
                }
                while left < middle {
                    buffer[out] = source[left]
                    left += 1
                    out += 1
                }
                while right < end {
                    buffer[out] = source[right]
                    right += 1
                    out += 1
                }
                start += 2 * width
            }
            swap(&source, &buffer)
            width *= 2
        }
        return source
    }
}
