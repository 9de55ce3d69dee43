/// Early tests on raw cells for the `where` operators right after a table: rows they reject are never built.

import TableModel

/// A test on the current row of a scan: `false` only when the row's `where` is certainly false.
typealias CellTest = (any ColumnCursor) -> Bool

/// Early tests drawn from the leading `where` operators of a pipeline over a table.
///
/// They only let a scan skip rows before building them: every row they pass still goes through the
/// compiled `where`, so a test may pass rows it cannot judge (non-ASCII text, null or unusual cells)
/// but must never reject a row the `where` would keep. Only simple conjuncts are used: a string column
/// against a constant string (`==`, `=~`, `startswith`, `endswith`, `contains`, their `_cs` forms,
/// `in`, `in~`) and a datetime column against a constant datetime (`<`, `<=`, `>`, `>=`, `==`,
/// `between`). The `has` family is left to the `where`: its term rules are subtler.
enum ScanFilter {
    static func tests(
        _ operators: [PipeOperator], _ columns: [Column], _ environment: Environment, _ compiler: Compiler
    ) -> [CellTest] {
        columnTests(operators, columns, environment, compiler).map(\.test)
    }

    /// The tests with the one column each reads, so a block scan can judge a column's distinct cells once.
    static func columnTests(
        _ operators: [PipeOperator], _ columns: [Column], _ environment: Environment, _ compiler: Compiler
    ) -> [(column: Int, test: CellTest)] {
        let scope = Scope(columns: columns, environment: environment)
        var tests: [(column: Int, test: CellTest)] = []
        for op in operators {
            guard case .where(let predicate) = op else { break }
            for conjunct in conjuncts(predicate) {
                if let test = test(conjunct, scope, compiler) { tests.append(test) }
            }
        }
        return tests
    }

    private static func conjuncts(_ expr: Expr) -> [Expr] {
        if case .binary("and", let lhs, let rhs, _) = expr { return conjuncts(lhs) + conjuncts(rhs) }
        return [expr]
    }

    /// The constant value of `expr` when it uses no column.
    private static func constant(_ expr: Expr, _ scope: Scope, _ compiler: Compiler) -> (Value, ColumnType)? {
        let empty = Scope(columns: [], environment: scope.environment)
        guard let scalar = try? compiler.scalar(expr, empty), let value = scalar.constant else { return nil }
        return (value, scalar.type)
    }

    private static func test(_ expr: Expr, _ scope: Scope, _ compiler: Compiler) -> (column: Int, test: CellTest)? {
        switch expr {
        case .binary(let op, .name(let name, _), let rhs, _):
            guard let column = scope.index(of: name), let (value, type) = constant(rhs, scope, compiler) else {
                return nil
            }
            switch (scope.columns[column].type, value, type) {
            case (.string, .string(let needle), .string): return text(op, column, needle).map { (column, $0) }
            case (.datetime, .datetime(let instant), .datetime):
                return time(op, column, instant.ticks).map { (column, $0) }
            default: return nil
            }
        case .between(false, .name(let name, _), let low, let high, _):
            guard let column = scope.index(of: name), scope.columns[column].type == .datetime,
                case (.datetime(let from), .datetime)? = constant(low, scope, compiler),
                case (.datetime(let to), .datetime)? = constant(high, scope, compiler)
            else { return nil }
            return (
                column,
                { cursor in
                    guard let ticks = cursor.integer(at: column) else { return true }
                    return ticks >= from.ticks && ticks <= to.ticks
                }
            )
        case .inList(let op, .name(let name, _), let items, _):
            guard op == "in" || op == "in~", let column = scope.index(of: name),
                scope.columns[column].type == .string
            else { return nil }
            var keys: Set<[UInt8]> = []
            for item in items {
                guard case (.string(let text), .string)? = constant(item, scope, compiler) else { return nil }
                if op == "in~" {
                    guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
                    keys.insert(Array(text.lowercased().utf8))
                } else {
                    keys.insert(Array(text.utf8))
                }
            }
            let fold = op == "in~"
            return (
                column,
                { cursor in
                    cursor.withUTF8(at: column) { bytes in
                        guard isASCII(bytes) else { return true }
                        return keys.contains(fold ? bytes.map(ASCIIMatch.fold) : Array(bytes))
                    } ?? true
                }
            )
        default:
            return nil
        }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }

    /// A string operator against a constant, judged on ASCII text only.
    private static func text(_ op: String, _ column: Int, _ needle: String) -> CellTest? {
        var base = op
        let caseSensitive = op == "==" || base.hasSuffix("_cs")
        if base.hasSuffix("_cs") { base.removeLast(3) }
        if op == "==" { base = "=~" }
        guard ["=~", "startswith", "endswith", "contains"].contains(base) else {
            return nil
        }
        if !caseSensitive && !needle.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        let pattern = Array((caseSensitive ? needle : needle.lowercased()).utf8)
        return { cursor in
            cursor.withUTF8(at: column) { bytes in
                guard isASCII(bytes) else { return true }
                return ASCIIMatch.test(base, bytes, pattern, caseSensitive: caseSensitive)
            } ?? true
        }
    }

    /// A comparison of a datetime column with a constant instant, on the stored ticks.
    private static func time(_ op: String, _ column: Int, _ bound: Int64) -> CellTest? {
        let compare: (Int64) -> Bool
        switch op {
        case "<": compare = { $0 < bound }
        case "<=": compare = { $0 <= bound }
        case ">": compare = { $0 > bound }
        case ">=": compare = { $0 >= bound }
        case "==": compare = { $0 == bound }
        default: return nil
        }
        return { cursor in cursor.integer(at: column).map(compare) ?? true }
    }
}

extension ASCIIMatch {
    /// `op` (`=~`, `startswith`, `endswith`, `contains`) over ASCII `bytes`; `needle` is already
    /// lower-case unless `caseSensitive`.
    static func test(_ op: String, _ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], caseSensitive: Bool)
        -> Bool
    {
        func matches(at start: Int) -> Bool {
            for offset in 0..<needle.count {
                let byte = bytes[start + offset]
                if (caseSensitive ? byte : fold(byte)) != needle[offset] { return false }
            }
            return true
        }
        switch op {
        case "=~": return bytes.count == needle.count && matches(at: 0)
        case "startswith": return bytes.count >= needle.count && matches(at: 0)
        case "endswith": return bytes.count >= needle.count && matches(at: bytes.count - needle.count)
        default:
            if needle.isEmpty { return true }
            guard needle.count <= bytes.count else { return false }
            for start in 0...(bytes.count - needle.count) where matches(at: start) { return true }
            return false
        }
    }
}

/// The early tests of a table scan over a ``BlockColumnCursor``, judged a block at a time: a test on a
/// dictionary-coded column runs once per distinct cell of the block, and its verdict stands for every
/// row holding that cell (a test reads only its own column's cell).
final class BlockTests {
    private let cursor: (any BlockColumnCursor)?
    private let columns: [Int]
    private var count = 0
    private var row = 0
    private var codes: [[UInt32]?] = []
    private var verdicts: [[Int8]] = []
    private var finished = false

    init(_ cursor: any ColumnCursor, _ columns: [Int]) {
        self.cursor = cursor as? any BlockColumnCursor
        self.columns = columns
    }

    /// Moves the cursor to the next row of the blocks that every test passes and returns its position;
    /// `nil` once the blocks are done (the caller then reads the remaining rows with `advance()`).
    func nextPassing(_ tests: [CellTest]) throws -> Int? {
        guard let cursor, !finished else { return nil }
        while true {
            if row >= count {
                if count > 0 { cursor.seek(toRowInBlock: count - 1) }
                guard let next = try cursor.nextBlock() else {
                    finished = true
                    return nil
                }
                count = next
                row = 0
                codes = []
                verdicts = []
                for column in columns {
                    if case .codes(let rowCodes, let distinct)? = cursor.blockColumn(at: column) {
                        codes.append(rowCodes)
                        verdicts.append(Array(repeating: -1, count: distinct))
                    } else {
                        codes.append(nil)
                        verdicts.append([])
                    }
                }
            }
            let current = row
            row += 1
            var passes = true
            for (index, test) in tests.enumerated() {
                if let rowCodes = codes[index] {
                    let code = Int(rowCodes[current])
                    if verdicts[index][code] < 0 {
                        cursor.seek(toRowInBlock: current)
                        verdicts[index][code] = test(cursor) ? 1 : 0
                    }
                    if verdicts[index][code] == 0 {
                        passes = false
                        break
                    }
                } else {
                    cursor.seek(toRowInBlock: current)
                    if !test(cursor) {
                        passes = false
                        break
                    }
                }
            }
            if passes {
                cursor.seek(toRowInBlock: current)
                return current
            }
        }
    }
}
