/// `sort`/`order by` and `top`: default descending, nulls last when descending and first when ascending.

import TableModel

enum Sorting {
    static func plan(_ input: Plan, _ keys: [SortKey], limit: Int64?, _ scope: Scope, _ compiler: Compiler) throws
        -> Plan
    {
        let compiled = try keys.map { key in (try compiler.scalar(key.expr, scope), key) }
        if compiled.contains(where: { $0.0.type == .dynamic }) {
            throw KQLError.semantic("a sort key cannot be dynamic; cast it (tostring(), tolong(), ...)")
        }
        let width = compiled.count
        return Plan(columns: input.columns, serialized: true) {
            let cursor = try input.open()
            // Keys are kept in one flat array and indices are sorted, so rows are never moved.
            var rows: [Row] = []
            var keyValues: [Value] = []
            while let row = try cursor() {
                for (scalar, _) in compiled { keyValues.append(try scalar.eval(row)) }
                rows.append(row)
            }
            var order = Array(rows.indices)
            if width == 1, let integers = integerKeys(keyValues) {
                // One integer-like key (datetime, timespan, long, int): compare plain integers.
                let key = compiled[0].1
                order = stableSort(order) { a, b in
                    switch (integers[a], integers[b]) {
                    case (nil, nil): return false
                    case (nil, _): return key.nullsFirst
                    case (_, nil): return !key.nullsFirst
                    case (let x?, let y?): return key.ascending ? x < y : x > y
                    }
                }
            } else {
                order = stableSort(order) { a, b in
                    for (index, (_, key)) in compiled.enumerated() {
                        let result = compareKey(keyValues[a * width + index], keyValues[b * width + index], key)
                        if result != 0 { return result < 0 }
                    }
                    return false
                }
            }
            if let limit, order.count > limit { order.removeLast(order.count - Int(limit)) }
            var next = 0
            return {
                guard next < order.count else { return nil }
                next += 1
                return rows[order[next - 1]]
            }
        }
    }

    /// The keys as integers when every one is a datetime, timespan, long, int or null.
    static func integerKeys(_ values: [Value]) -> [Int64?]? {
        var keys: [Int64?] = []
        keys.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null: keys.append(nil)
            case .datetime(let d): keys.append(d.ticks)
            case .timespan(let t): keys.append(t.ticks)
            case .long(let l): keys.append(l)
            case .int(let i): keys.append(Int64(i))
            default: return nil
            }
        }
        return keys
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
