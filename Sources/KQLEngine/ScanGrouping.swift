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
        return ScanGrouping(
            table: table, provider: compiler.context.provider, width: columns.count, wanted: wanted,
            tests: ScanFilter.tests(operators, columns, environment, compiler), fill: fill,
            stringFill: fill.filter { columns[$0].type == .string }, wheres: wheres, window: window,
            plainKeys: plainKeys)
    }

    private init(
        table: String, provider: any TableProvider, width: Int, wanted: [Int]?, tests: [CellTest], fill: [Int],
        stringFill: [Int], wheres: [(Row) throws -> Value], window: (index: Int, from: Int64, to: Int64)?,
        plainKeys: Set<Int>
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
        let keyEvals = keys.map(\.eval)
        var groups: [ByteKey: Int] = [:]
        var order: [Row] = []
        var accumulators: [[Accumulator]] = []
        var row = Row(repeating: .null, count: width)
        var probe = ByteKey()
        var computed: [Value] = []
        var values: [Value] = []
        scanning: while true {
            do {
                guard try cursor.advance() else { break }
            } catch {
                throw KQLError.runtime("reading table '\(table)' failed: \(error)")
            }
            for test in tests where !test(cursor) { continue scanning }
            for index in fill { row[index] = cursor.value(at: index) }
            for index in stringFill where row[index].isNull { row[index] = .string("") }
            if let window {
                guard case .datetime(let time) = row[window.index], time.ticks >= window.from, time.ticks < window.to
                else { continue }
            }
            for test in wheres where Logic.boolValue(try test(row)) != true { continue scanning }
            probe.bytes.removeAll(keepingCapacity: true)
            computed.removeAll(keepingCapacity: true)
            for (position, eval) in keyEvals.enumerated() {
                if let column = plain[position] {
                    let read = cursor.withUTF8(at: column) { text in
                        probe.appendText(text)
                        return true
                    }
                    if read == nil { probe.append(Self.stringValue(cursor, column)) }
                } else {
                    let value = try eval(row)
                    computed.append(value)
                    probe.append(value)
                }
            }
            let group: Int
            if let found = groups[probe] {
                group = found
            } else {
                group = order.count
                groups[probe] = group
                var key: Row = []
                var next = 0
                for position in keyEvals.indices {
                    if let column = plain[position] {
                        key.append(Self.stringValue(cursor, column))
                    } else {
                        key.append(computed[next])
                        next += 1
                    }
                }
                order.append(key)
                accumulators.append(compiled.map { $0.make() })
            }
            let states = accumulators[group]
            for (index, aggregate) in compiled.enumerated() {
                values.removeAll(keepingCapacity: true)
                for argument in aggregate.arguments { values.append(try argument.eval(row)) }
                states[index].add(values)
            }
        }
        return (order, accumulators)
    }

    /// A string column's value as the row-by-row scan gives it (`""` for an absent value).
    private static func stringValue(_ cursor: any ColumnCursor, _ column: Int) -> Value {
        let value = cursor.value(at: column)
        return value.isNull ? .string("") : value
    }
}

/// Group identity as bytes: a type tag, then a fixed-width payload or a length and the UTF-8 text.
struct ByteKey: Hashable {
    var bytes: [UInt8] = []

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
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
