/// A scan that reads the current row one column at a time, so a reader pays only for the columns it uses.

/// Reads a table row by row, one column at a time: a query engine can test a cell's raw text or integer
/// before deciding to build the row's values, and never touches the columns it does not use.
///
/// Column numbers are positions in the table's schema. A cursor opened for some columns only answers
/// for those; every other column reads as `.null`.
public protocol ColumnCursor: AnyObject {
    /// Moves to the next row; `false` at the end.
    func advance() throws -> Bool
    /// The typed value of `column` in the current row, exactly as ``RowCursor/next()`` would give it.
    func value(at column: Int) -> Value
    /// Calls `body` with the UTF-8 bytes of a string column's text in the current row (empty for an
    /// absent value, since KQL strings are never null); `nil` when the cell is not plain text.
    func withUTF8(at column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool?
    /// The integer a datetime, timespan, long or int column holds in the current row (ticks for
    /// datetimes and timespans); `nil` when the cell is null or not an integer.
    func integer(at column: Int) -> Int64?
}

extension TableProvider {
    /// A column cursor over `table` that reads at least the schema positions in `columns` (all columns
    /// when `nil`). This default reads whole rows through ``TableProvider/scan(_:)``.
    public func columnScan(_ table: String, columns: [Int]?) throws -> any ColumnCursor {
        RowColumnCursor(try scan(table))
    }
}

/// A ``ColumnCursor`` over a ``RowCursor``: it reads whole rows and answers from them.
public final class RowColumnCursor: ColumnCursor {
    private var rows: any RowCursor
    private var row: [Value] = []

    /// Creates a column cursor reading `rows`.
    public init(_ rows: any RowCursor) { self.rows = rows }

    public func advance() throws -> Bool {
        guard let next = try rows.next() else { return false }
        row = next
        return true
    }

    public func value(at column: Int) -> Value { column < row.count ? row[column] : .null }

    public func withUTF8(at column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        guard column < row.count, case .string(var text) = row[column] else { return nil }
        return text.withUTF8(body)
    }

    public func integer(at column: Int) -> Int64? {
        guard column < row.count else { return nil }
        switch row[column] {
        case .datetime(let instant): return instant.ticks
        case .timespan(let span): return span.ticks
        case .long(let number): return number
        case .int(let number): return Int64(number)
        default: return nil
        }
    }
}

/// A column of the current block of a ``BlockColumnCursor``, one entry per row of the block.
public enum BlockColumn {
    /// One integer per row (`nulls[row] == 1` marks NULL when `nulls` is present).
    case integers([Int64], nulls: [UInt8]?)
    /// One code per row naming one of `distinct` cells; rows with equal codes hold equal cells.
    case codes([UInt32], distinct: Int)
}

/// A column cursor that can also be read a block of rows at a time, so a query can work on a
/// column's codes or integers instead of asking row by row.
///
/// Block reading comes first: each ``nextBlock()`` moves to the next block, whose rows are then
/// read with ``blockColumn(at:)`` or, after ``seek(toRowInBlock:)``, with the row-level methods.
/// Once ``nextBlock()`` returns `nil`, ``ColumnCursor/advance()`` reads the rows that remain.
public protocol BlockColumnCursor: ColumnCursor {
    /// Moves to the next block and returns its row count; `nil` when no block is left.
    func nextBlock() throws -> Int?
    /// The column at schema position `column` in the current block; `nil` when it was not read.
    func blockColumn(at column: Int) -> BlockColumn?
    /// Points the row-level methods at row `row` of the current block.
    func seek(toRowInBlock row: Int)
}
