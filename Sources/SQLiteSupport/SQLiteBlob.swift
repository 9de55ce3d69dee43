/// Reading one BLOB cell in pieces, straight into the caller's memory (SQLite's incremental BLOB I/O).

import CSQLite

/// A read-only handle on the BLOB in one column of one row, moved from row to row with
/// ``moveTo(row:)``.
///
/// A piece read with ``read(into:at:)`` is copied from the database pages into the caller's buffer
/// once, where reading the column through a statement first assembles the whole BLOB in SQLite's own
/// memory. Wraps `sqlite3_blob_open`, `sqlite3_blob_reopen`, `sqlite3_blob_read` and
/// `sqlite3_blob_close`.
public final class SQLiteBlob {
    private let database: SQLiteDatabase
    private var handle: OpaquePointer?
    private let table: String
    private let column: String

    /// Opens the BLOB in `column` of the row with `rowid` in `table`.
    public init(_ database: SQLiteDatabase, table: String, column: String, rowid: Int64) throws(SQLiteError) {
        self.database = database
        self.table = table
        self.column = column
        var opened: OpaquePointer?
        let status = sqlite3_blob_open(database.handle, "main", table, column, rowid, 0, &opened)
        guard status == SQLITE_OK, let opened else {
            if let opened { sqlite3_blob_close(opened) }
            throw error(status, "opening the BLOB \(table).\(column) of row \(rowid)")
        }
        handle = opened
    }

    deinit {
        if let handle { sqlite3_blob_close(handle) }
    }

    /// Moves the handle to the same column of the row with `rowid`.
    public func moveTo(row rowid: Int64) throws(SQLiteError) {
        let status = sqlite3_blob_reopen(handle, rowid)
        guard status == SQLITE_OK else {
            throw error(status, "opening the BLOB \(table).\(column) of row \(rowid)")
        }
    }

    /// The BLOB's size in bytes.
    public var count: Int { Int(sqlite3_blob_bytes(handle)) }

    /// Copies `buffer.count` bytes of the BLOB, starting at byte `offset`, into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SQLiteError) {
        guard !buffer.isEmpty else { return }
        guard offset >= 0, buffer.count <= count - offset, let start = buffer.baseAddress else {
            throw SQLiteError(
                code: SQLITE_ERROR, message: "bytes \(offset)..<\(offset + buffer.count) lie beyond its \(count)",
                context: "reading the BLOB \(table).\(column)")
        }
        let status = sqlite3_blob_read(handle, start, Int32(buffer.count), Int32(offset))
        guard status == SQLITE_OK else { throw error(status, "reading the BLOB \(table).\(column)") }
    }

    private func error(_ status: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: status, message: database.lastMessage, context: "\(context) in \(database.path)")
    }
}
