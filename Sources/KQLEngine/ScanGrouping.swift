/// `Table | where … | summarize …` grouped straight from the table's column cursor, without building rows.

import TableModel

/// Groups a provider table for `summarize` while scanning it: one reused row buffer holds only the
/// columns the `where` predicates, the aggregates and the computed keys read; a key that is a plain
/// string column is taken from the cell's bytes; and groups are found by a compact byte key.
///
/// The answer is the row-by-row path's: the same predicates, the same compiled key and aggregate
/// expressions, groups in order of first appearance with the key values that path would compute.
/// One difference is deliberate: strings group by their exact bytes, as Kusto compares them, where a
/// Swift `String` key would merge canonically equivalent spellings.
final class ScanGrouping {
    private let table: String
    private let provider: any TableProvider
    private let width: Int
    private let wanted: [Int]?
    private let tests: [CellTest]
    private let fill: [Int]
    private let stringFill: [Int]
    private let wheres: [(Row) throws -> Value]
    private let window: (index: Int, from: Int64, to: Int64)?
    private let plainKeys: Set<Int>
    private let columnTypes: [ColumnType]
    /// How each key and `where` predicate can be read a block at a time; `nil` when some cannot.
    private let blockForms: BlockForms?

    /// The key types a byte key represents exactly.
    private static let keyTypes: Set<ColumnType> = [.string, .datetime, .timespan, .long, .int, .bool]

    /// A grouping for `table | where predicates… | summarize aggregates by keys`, or `nil` when the
    /// operators may read columns they do not name.
    static func make(
        _ table: String, _ columns: [Column], _ predicates: [Expr], _ aggregates: [NamedExpr], _ keys: [NamedExpr],
        _ environment: Environment, _ compiler: Compiler
    ) throws -> ScanGrouping? {
        let scope = Scope(columns: columns, environment: environment)
        var plainKeys: Set<Int> = []
        var computedKeys: [Expr] = []
        for key in keys {
            if case .name(let name, _) = key.expr, let index = scope.index(of: name), columns[index].type == .string {
                plainKeys.insert(index)
            } else {
                computedKeys.append(key.expr)
            }
        }
        guard let read = ColumnUsage.references(predicates + aggregates.map(\.expr) + computedKeys, environment),
            let all = ColumnUsage.references(predicates + (aggregates + keys).map(\.expr), environment)
        else { return nil }
        var wheres: [(Row) throws -> Value] = []
        for predicate in predicates {
            let test = try compiler.scalar(predicate, scope)
            guard test.type == .bool || test.type == .dynamic else { return nil }
            wheres.append(test.eval)
        }
        var window: (index: Int, from: Int64, to: Int64)?
        if let range = compiler.context.window, let index = columns.firstIndex(where: { $0.name == "TimeGenerated" }),
            columns[index].type == .datetime
        {
            window = (index, range.from.ticks, range.to.ticks)
        }
        let fill = columns.indices.filter { read.contains(columns[$0].name) || $0 == window?.index }
        let wanted = columns.indices.filter { all.contains(columns[$0].name) || $0 == window?.index }
        let operators = predicates.map { PipeOperator.where($0) }
        let blockForms = BlockForms.make(keys, predicates, scope, compiler)
        return ScanGrouping(
            table: table, provider: compiler.context.provider, width: columns.count, wanted: wanted,
            tests: ScanFilter.tests(operators, columns, environment, compiler), fill: fill,
            stringFill: fill.filter { columns[$0].type == .string }, wheres: wheres, window: window,
            plainKeys: plainKeys, blockForms: blockForms, columnTypes: columns.map(\.type))
    }

    private init(
        table: String, provider: any TableProvider, width: Int, wanted: [Int]?, tests: [CellTest], fill: [Int],
        stringFill: [Int], wheres: [(Row) throws -> Value], window: (index: Int, from: Int64, to: Int64)?,
        plainKeys: Set<Int>, blockForms: BlockForms?, columnTypes: [ColumnType]
    ) {
        self.table = table
        self.provider = provider
        self.width = width
        self.wanted = wanted
        self.tests = tests
        self.fill = fill
        self.stringFill = stringFill
        self.wheres = wheres
        self.window = window
        self.plainKeys = plainKeys
        self.columnTypes = columnTypes
        self.blockForms = blockForms
    }

    /// For each key, the string column it reads as it is (`nil` for a computed key); `nil` when some key
    /// has a type a byte key does not represent exactly (the row-by-row path is used then).
    func plainStringColumns(_ exprs: [Expr], _ scalars: [Scalar], _ scope: Scope) -> [Int?]? {
        var result: [Int?] = []
        for (expr, scalar) in zip(exprs, scalars) {
            guard Self.keyTypes.contains(scalar.type) else { return nil }
            if case .name(let name, _) = expr, let index = scope.index(of: name), plainKeys.contains(index) {
                result.append(index)
            } else {
                result.append(nil)
            }
        }
        return result
    }

    /// Scans the table into groups numbered in order of first appearance: their keys and accumulators.
    func group(_ keys: [Scalar], _ plain: [Int?], _ compiled: [Aggregate]) throws
        -> (order: [Row], accumulators: [[Accumulator]])
    {
        let cursor: any ColumnCursor
        do {
            cursor = try provider.columnScan(table, columns: wanted)
        } catch {
            throw KQLError.runtime("reading table '\(table)' failed: \(error)")
        }
        let groups = Groups(width: width, keyEvals: keys.map(\.eval), plain: plain, compiled: compiled)
        if let blocks = cursor as? any BlockColumnCursor, let blockForms,
            compiled.allSatisfy({ $0.arguments.isEmpty })
        {
            while let count = try readBlock(blocks) {
                try groupBlock(blocks, count, blockForms, groups)
            }
        }
        while true {
            do {
                guard try cursor.advance() else { break }
            } catch {
                throw KQLError.runtime("reading table '\(table)' failed: \(error)")
            }
            if let group = try groupOfRow(cursor, groups) { try groups.add(group) }
        }
        return (groups.order, groups.accumulators)
    }

    private func readBlock(_ cursor: any BlockColumnCursor) throws -> Int? {
        do {
            return try cursor.nextBlock()
        } catch {
            throw KQLError.runtime("reading table '\(table)' failed: \(error)")
        }
    }

    /// The group of the cursor's current row, created when it is the first of its group; `nil` when the
    /// row is filtered out.
    private func groupOfRow(_ cursor: any ColumnCursor, _ groups: Groups) throws -> Int? {
        for test in tests where !test(cursor) { return nil }
        try fillRow(cursor, groups)
        if let window {
            guard case .datetime(let time) = groups.row[window.index], time.ticks >= window.from,
                time.ticks < window.to
            else { return nil }
        }
        for test in wheres where Logic.boolValue(try test(groups.row)) != true { return nil }
        return try groupOfKeys(cursor, groups)
    }

    private func fillRow(_ cursor: any ColumnCursor, _ groups: Groups) throws {
        for index in fill { groups.row[index] = cursor.value(at: index) }
        for index in stringFill where groups.row[index].isNull { groups.row[index] = .string("") }
    }

    /// The group of the current row's keys (the row buffer filled), created when it is new. A plain
    /// string key's value is made only for a new group: the cell's bytes identify the group.
    private func groupOfKeys(_ cursor: any ColumnCursor, _ groups: Groups) throws -> Int {
        groups.probe.removeAll()
        groups.computed.removeAll(keepingCapacity: true)
        for position in groups.keyEvals.indices {
            groups.computed.append(try appendKey(position, cursor, groups, to: &groups.probe, plainValue: false))
        }
        if let found = groups.existingGroupOfProbe() { return found }
        for (position, column) in groups.plain.enumerated() {
            if let column { groups.computed[position] = Self.stringValue(cursor, column) }
        }
        return groups.newGroupOfProbe(keys: groups.computed)
    }

    /// Appends key `position` of the current row (the row buffer filled) to `key` and returns its
    /// value. A plain string column is identified by its cell's bytes, any other key by its value;
    /// without `plainValue`, a plain string column's value is returned as `.null`, to be made later.
    private func appendKey(
        _ position: Int, _ cursor: any ColumnCursor, _ groups: Groups, to key: inout ByteKey, plainValue: Bool
    ) throws -> Value {
        guard let column = groups.plain[position] else {
            let value = try groups.keyEvals[position](groups.row)
            key.append(value)
            return value
        }
        let read = cursor.withUTF8(at: column) { text in
            key.appendText(text)
            return true
        }
        guard read == nil else { return plainValue ? Self.stringValue(cursor, column) : .null }
        let value = Self.stringValue(cursor, column)
        key.append(value)
        return value
    }

    /// Key `position` of block row `row` as ``appendKey(_:_:_:to:plainValue:)`` gives it, remembered
    /// for the rows that share its code (in this block) or its bin (in every block).
    private func keyPart(
        _ position: Int, _ key: BlockKey, row: Int, _ cursor: any BlockColumnCursor, _ groups: Groups,
        _ codeParts: inout [[KeyPart?]]
    ) throws -> KeyPart {
        let slot = key.slot(row)
        func computed() throws -> KeyPart {
            cursor.seek(toRowInBlock: row)
            try fillRow(cursor, groups)
            var bytes = ByteKey()
            let value = try appendKey(position, cursor, groups, to: &bytes, plainValue: true)
            return KeyPart(bytes: bytes.bytes, value: value)
        }
        switch key.kind {
        case .codes:
            if let part = codeParts[position][slot] { return part }
            let part = try computed()
            codeParts[position][slot] = part
            return part
        case .bins(let low):
            // Slot 0 holds the rows without a bin (NULL, or a bin starting below Int64.min).
            guard slot > 0 else { return try computed() }
            let bin = low &+ Int64(slot) &- 1
            if let part = groups.binParts[position][bin] { return part }
            let part = try computed()
            groups.binParts[position][bin] = part
            return part
        }
    }

    /// Groups one block of rows, every aggregate being `count()`: each `where` predicate is judged
    /// once per distinct cell of the one column it reads, each row is counted under the combination
    /// of its key columns' codes or bins, and each key is computed once per code of the block or per
    /// bin, from the first row that has it (so groups keep their order of first appearance).
    /// A block whose columns do not allow it is grouped row by row.
    private func groupBlock(_ cursor: any BlockColumnCursor, _ count: Int, _ forms: BlockForms, _ groups: Groups)
        throws
    {
        func rowByRow() throws {
            for row in 0..<count {
                cursor.seek(toRowInBlock: row)
                if let group = try groupOfRow(cursor, groups) { try groups.add(group) }
            }
            cursor.seek(toRowInBlock: count - 1)
        }
        var times: (ticks: [Int64], nulls: [UInt8]?)?
        if let window {
            guard case .integers(let ticks, let nulls)? = cursor.blockColumn(at: window.index) else {
                return try rowByRow()
            }
            times = (ticks, nulls)
        }
        var predicates: [(codes: [UInt32], verdicts: [Int8], column: Int, test: (Row) throws -> Value)] = []
        for (predicate, test) in zip(forms.predicateColumns, wheres) {
            guard case .codes(let codes, let distinct)? = cursor.blockColumn(at: predicate) else {
                return try rowByRow()
            }
            predicates.append((codes, Array(repeating: -1, count: distinct), predicate, test))
        }
        var keys: [BlockKey] = []
        var combinations = 1
        for form in forms.keys {
            guard let column = cursor.blockColumn(at: form.column), let key = BlockKey(column, step: form.step),
                case (let product, false) = combinations.multipliedReportingOverflow(by: key.range)
            else { return try rowByRow() }
            keys.append(key)
            combinations = product
        }
        let combined = try combinationOfRows(cursor, count, times, &predicates, keys, groups)
        var tally = CombinationTally(combinations: combinations, rows: count)
        combined.withUnsafeBufferPointer { tally.count($0) }
        var codeParts: [[KeyPart?]] = keys.map { key in
            if case .codes = key.kind { return Array(repeating: nil, count: key.range) }
            return []
        }
        for (first, times) in tally.inOrderOfFirstRow() {
            groups.probe.removeAll()
            groups.computed.removeAll(keepingCapacity: true)
            for (position, key) in keys.enumerated() {
                let part = try keyPart(position, key, row: first, cursor, groups, &codeParts)
                groups.probe.append(bytes: part.bytes)
                groups.computed.append(part.value)
            }
            let group = groups.groupOfProbe(keys: groups.computed)
            for accumulator in groups.accumulators[group] { accumulator.add([], times: times) }
        }
        cursor.seek(toRowInBlock: count - 1)
    }

    /// Each row's combination of key codes and bins, or -1 for a row the window or a predicate leaves
    /// out. A predicate is judged the first time a row holds one of its column's cells.
    private func combinationOfRows(
        _ cursor: any BlockColumnCursor, _ count: Int, _ times: (ticks: [Int64], nulls: [UInt8]?)?,
        _ predicates: inout [(codes: [UInt32], verdicts: [Int8], column: Int, test: (Row) throws -> Value)],
        _ keys: [BlockKey], _ groups: Groups
    ) throws -> [Int] {
        var combined = [Int](repeating: 0, count: count)
        combined.withUnsafeMutableBufferPointer { combined in
            for key in keys { key.combine(into: combined) }
        }
        if let times, let window {
            for row in 0..<count {
                if let nulls = times.nulls, nulls[row] == 1 {
                    combined[row] = -1
                    continue
                }
                let ticks = times.ticks[row]
                if ticks < window.from || ticks >= window.to { combined[row] = -1 }
            }
        }
        for index in predicates.indices {
            let column = predicates[index].column
            for row in 0..<count where combined[row] >= 0 {
                let code = Int(predicates[index].codes[row])
                var verdict = predicates[index].verdicts[code]
                if verdict < 0 {
                    cursor.seek(toRowInBlock: row)
                    groups.row[column] = cursor.value(at: column)
                    if columnTypes[column] == .string && groups.row[column].isNull {
                        groups.row[column] = .string("")
                    }
                    verdict = Logic.boolValue(try predicates[index].test(groups.row)) == true ? 1 : 0
                    predicates[index].verdicts[code] = verdict
                }
                if verdict == 0 { combined[row] = -1 }
            }
        }
        return combined
    }

    /// A string column's value as the row-by-row scan gives it (`""` for an absent value).
    private static func stringValue(_ cursor: any ColumnCursor, _ column: Int) -> Value {
        let value = cursor.value(at: column)
        return value.isNull ? .string("") : value
    }
}

/// The groups found so far, with the buffers the scan reuses row after row.
private final class Groups {
    var index: [ByteKey: Int] = [:]
    var order: [Row] = []
    var accumulators: [[Accumulator]] = []
    var row: Row
    var probe = ByteKey()
    var computed: [Value] = []
    /// For each key, the part a bin (or an integer) of its column gives, found in any block.
    var binParts: [[Int64: KeyPart]]
    private var values: [Value] = []
    let keyEvals: [(Row) throws -> Value]
    let plain: [Int?]
    let compiled: [Aggregate]

    init(width: Int, keyEvals: [(Row) throws -> Value], plain: [Int?], compiled: [Aggregate]) {
        row = Row(repeating: .null, count: width)
        binParts = Array(repeating: [:], count: keyEvals.count)
        self.keyEvals = keyEvals
        self.plain = plain
        self.compiled = compiled
    }

    /// The group whose key is `probe`, if there is one yet; seals the probe.
    func existingGroupOfProbe() -> Int? {
        probe.seal()
        return index[probe]
    }

    /// The group whose key is `probe`, created with the key values `keys` when it is new.
    func groupOfProbe(keys: [Value]) -> Int {
        existingGroupOfProbe() ?? newGroupOfProbe(keys: keys)
    }

    /// A new group whose key is the sealed `probe`, which no group has yet, with the key values `keys`.
    func newGroupOfProbe(keys: [Value]) -> Int {
        let group = order.count
        index[probe] = group
        order.append(keys)
        accumulators.append(compiled.map { $0.make() })
        return group
    }

    /// Adds the row in the buffer to `group`'s aggregates.
    func add(_ group: Int) throws {
        let states = accumulators[group]
        for (index, aggregate) in compiled.enumerated() {
            values.removeAll(keepingCapacity: true)
            for argument in aggregate.arguments { values.append(try argument.eval(row)) }
            states[index].add(values)
        }
    }
}

/// Which column each summarize key and each `where` predicate reads, for grouping a block at a time:
/// each reads exactly one column, and a key that bins an integer column by a constant says by how much.
///
/// It relies on every scalar function being deterministic (the engine has no `rand()`), so an
/// expression's value depends only on the cell it reads.
struct BlockForms {
    var keys: [(column: Int, step: Int64?)]
    var predicateColumns: [Int]

    static func make(_ keys: [NamedExpr], _ predicates: [Expr], _ scope: Scope, _ compiler: Compiler) -> BlockForms? {
        func column(_ expr: Expr) -> Int? {
            guard let names = ColumnUsage.references([expr], scope.environment), names.count == 1,
                let name = names.first
            else { return nil }
            return scope.index(of: name)
        }
        var forms = BlockForms(keys: [], predicateColumns: [])
        for key in keys {
            guard let index = column(key.expr) else { return nil }
            var step: Int64?
            if case .call(let function, let args, _) = key.expr, function == "bin" || function == "floor",
                args.count == 2, case .name(let name, _) = args[0], scope.index(of: name) == index,
                let size = try? compiler.scalar(args[1], scope), let constant = size.constant
            {
                switch (scope.columns[index].type, size.type) {
                case (.datetime, .timespan), (.timespan, .timespan), (.long, .long), (.long, .int), (.int, .int),
                    (.int, .long):
                    if let ticks = Convert.toLong(constant), ticks > 0 { step = ticks }
                default: break
                }
            }
            forms.keys.append((index, step))
        }
        for predicate in predicates {
            guard let index = column(predicate) else { return nil }
            forms.predicateColumns.append(index)
        }
        return forms
    }
}

/// One key's share of a group's identity bytes, with the key's value.
private struct KeyPart {
    var bytes: [UInt8]
    var value: Value
}

/// One key column of a block as small numbers, one per row: a dictionary code, or the bin (or the
/// value) of an integer with 0 for NULL; rows with equal numbers have equal key values.
private struct BlockKey {
    /// What the numbers stand for.
    enum Kind {
        /// A dictionary code of the block's column.
        case codes
        /// A bin (or an integer): number `n > 0` is bin `low + n - 1`; 0 is a row without one.
        case bins(low: Int64)
    }

    let kind: Kind
    /// How many numbers there can be.
    let range: Int
    private let slots: [UInt32]

    /// The largest range a binned integer column may have.
    private static let largestRange: Int64 = 1 << 24

    init?(_ column: BlockColumn, step: Int64?) {
        switch column {
        case .codes(let codes, let distinct):
            kind = .codes
            range = distinct
            slots = codes
        case .integers(let numbers, let nulls):
            let (buckets, absent) = Self.buckets(numbers, nulls, step: step ?? 1)
            var low = Int64.max
            var high = Int64.min
            for row in buckets.indices where absent?[row] != true {
                low = min(low, buckets[row])
                high = max(high, buckets[row])
            }
            guard low <= high else {
                kind = .bins(low: 0)
                range = 1
                slots = Array(repeating: 0, count: numbers.count)
                return
            }
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span < Self.largestRange else { return nil }
            kind = .bins(low: low)
            range = Int(span) + 2
            slots = [UInt32](unsafeUninitializedCapacity: buckets.count) { slots, initialized in
                for row in buckets.indices {
                    slots[row] = absent?[row] == true ? 0 : UInt32(truncatingIfNeeded: buckets[row] &- low &+ 1)
                }
                initialized = buckets.count
            }
        }
    }

    /// Each row's bin number, and which rows have none (NULL, or a bin that starts below
    /// `Int64.min`); `absent` is `nil` when every row has one. Consecutive rows in the same bin, the
    /// usual case for a time column in arrival order, are recognised without a division.
    private static func buckets(_ numbers: [Int64], _ nulls: [UInt8]?, step: Int64)
        -> (buckets: [Int64], absent: [Bool]?)
    {
        var absent: [Bool]?
        func markAbsent(_ row: Int) {
            if absent == nil { absent = Array(repeating: false, count: numbers.count) }
            absent![row] = true
        }
        var binStart: Int64 = 1
        var binEnd: Int64 = 0  // an empty range until the first bin is known
        var bucket: Int64 = 0
        var buckets = [Int64](repeating: 0, count: numbers.count)
        for row in numbers.indices {
            if let nulls, nulls[row] == 1 {
                markAbsent(row)
                continue
            }
            let number = numbers[row]
            if number < binStart || number > binEnd {
                // Division truncates toward zero; below zero the bin is one lower, and it must start
                // at a representable number, as the row-by-row path requires.
                var quotient = number / step
                if quotient * step > number {
                    guard case (_, false) = (quotient - 1).multipliedReportingOverflow(by: step) else {
                        markAbsent(row)
                        continue
                    }
                    quotient -= 1
                }
                bucket = quotient
                binStart = quotient * step
                let (end, overflow) = binStart.addingReportingOverflow(step - 1)
                binEnd = overflow ? Int64.max : end
            }
            buckets[row] = bucket
        }
        return (buckets, absent)
    }

    /// The number of block row `row`.
    func slot(_ row: Int) -> Int { Int(slots[row]) }

    /// Folds this key into each row's combination: `combined = combined * range + slot`.
    func combine(into combined: UnsafeMutableBufferPointer<Int>) {
        let range = range
        slots.withUnsafeBufferPointer { slots in
            for row in combined.indices { combined[row] = combined[row] &* range &+ Int(slots[row]) }
        }
    }
}

/// How many rows of a block fall under each combination of key numbers, and the first row of each:
/// a dense table when the combinations are few, a dictionary otherwise.
private struct CombinationTally {
    private let dense: Bool
    private var hits: [Int32]
    private var firstRows: [Int32]
    private var sparse: [Int: (first: Int32, hits: Int32)] = [:]
    private var order: [Int] = []

    init(combinations: Int, rows: Int) {
        dense = combinations <= max(4 * rows, 4096)
        hits = dense ? [Int32](repeating: 0, count: combinations) : []
        firstRows = dense ? [Int32](repeating: 0, count: combinations) : []
    }

    /// Counts each row under its combination; a row marked -1 is skipped.
    mutating func count(_ combined: UnsafeBufferPointer<Int>) {
        if dense {
            hits.withUnsafeMutableBufferPointer { hits in
                firstRows.withUnsafeMutableBufferPointer { firstRows in
                    for row in combined.indices {
                        let combination = combined[row]
                        guard combination >= 0 else { continue }
                        if hits[combination] == 0 {
                            firstRows[combination] = Int32(row)
                            order.append(combination)
                        }
                        hits[combination] &+= 1
                    }
                }
            }
            return
        }
        for row in combined.indices {
            let combination = combined[row]
            guard combination >= 0 else { continue }
            if let seen = sparse[combination] {
                sparse[combination] = (seen.first, seen.hits + 1)
            } else {
                sparse[combination] = (Int32(row), 1)
                order.append(combination)
            }
        }
    }

    /// The first row and the number of rows of each combination seen, in order of first row.
    func inOrderOfFirstRow() -> [(first: Int, rows: Int)] {
        order.map { combination in
            if dense { return (Int(firstRows[combination]), Int(hits[combination])) }
            let seen = sparse[combination]!
            return (Int(seen.first), Int(seen.hits))
        }
    }
}

/// Group identity as bytes: a type tag, then a fixed-width payload or a length and the UTF-8 text.
///
/// The bytes are hashed once, by ``seal()``, and a dictionary growing rehashes only that number.
struct ByteKey: Hashable {
    private(set) var bytes: [UInt8] = []
    private var digest = 0

    static func == (left: ByteKey, right: ByteKey) -> Bool {
        left.digest == right.digest && left.bytes == right.bytes
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// Hashes the bytes appended; call it before using the key in a dictionary.
    mutating func seal() {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        digest = hasher.finalize()
    }

    /// Empties the key, keeping its storage when no dictionary shares it.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        digest = 0
    }

    /// Appends another key's bytes as they are.
    mutating func append(bytes other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(1)
        appendInteger(Int64(text.count))
        bytes.append(contentsOf: text)
    }

    mutating func append(_ value: Value) {
        switch value {
        case .null: bytes.append(0)
        case .string(var text): text.withUTF8 { appendText($0) }
        case .datetime(let instant):
            bytes.append(2)
            appendInteger(instant.ticks)
        case .timespan(let span):
            bytes.append(3)
            appendInteger(span.ticks)
        case .long(let number):
            bytes.append(4)
            appendInteger(number)
        case .int(let number):
            bytes.append(5)
            appendInteger(Int64(number))
        case .bool(let flag): bytes.append(flag ? 7 : 6)
        default:
            // Not reached for the key types allowed; kept distinct from every tag above all the same.
            var text = String(describing: value)
            bytes.append(8)
            text.withUTF8 { appendText($0) }
        }
    }

    private mutating func appendInteger(_ number: Int64) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
