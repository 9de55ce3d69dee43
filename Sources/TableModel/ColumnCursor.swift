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
