/// Reading a workspace table from its column snapshot, then the rows appended since from SQLite.

import SQLiteSupport
import TableModel

/// A ``ColumnCursor`` over the column snapshot's blocks, one block in memory at a time, followed by
/// a ``SQLiteColumnCursor`` over the rows after the last block.
///
/// It gives the same rows, in the same order, with the same values as ``SQLiteColumnCursor``
/// over the whole table; only the columns asked for are unpacked.
final class SnapshotColumnCursor: BlockColumnCursor {
    private let table: String
    private let database: SQLiteDatabase
    private let types: [ColumnType]
    private let selected: [Int]
    private let blocks: [ColumnSnapshot.Block]
    private let openTail: () throws -> SQLiteColumnCursor
    private var blockIndex = 0
    // Read for every cell of every row, by one thread: no exclusivity check is needed.
    @exclusivity(unchecked) private var columns: [ColumnBlock?]
    @exclusivity(unchecked) private var row = -1
    private var rows = 0
    @exclusivity(unchecked) private var tail: SQLiteColumnCursor?
    private let load: SQLiteStatement
    /// The BLOB handle blocks are read through, moved from block to block.
    private var blob: SQLiteBlob?

    init(
        table: String, database: SQLiteDatabase, types: [ColumnType], selected: [Int],
        blocks: [ColumnSnapshot.Block], openTail: @escaping () throws -> SQLiteColumnCursor
    ) throws(SQLiteError) {
        self.table = table
        self.database = database
        self.types = types
        self.selected = selected
        self.blocks = blocks
        self.openTail = openTail
        columns = Array(repeating: nil, count: types.count)
        load = try database.prepare(
            "SELECT ordinal, rows, rowid, typeof(data) = 'blob' FROM pp_column_blocks "
                + "WHERE table_name = ?1 AND first_rowid = ?2")
    }

    func advance() throws -> Bool {
        if let tail { return try tail.advance() }
        row += 1
        while row >= rows {
            guard blockIndex < blocks.count else {
                columns = Array(repeating: nil, count: types.count)
                let opened = try openTail()
                tail = opened
                return try opened.advance()
            }
            try loadBlock(blocks[blockIndex])
            blockIndex += 1
            row = 0
        }
        return true
    }

    func nextBlock() throws -> Int? {
        guard tail == nil, blockIndex < blocks.count, row == rows - 1 || rows == 0 else { return nil }
        try loadBlock(blocks[blockIndex])
        blockIndex += 1
        // The block counts as read: the next advance() moves past it.
        row = rows - 1
        return rows
    }

    func blockColumn(at column: Int) -> BlockColumn? {
        guard tail == nil, column < columns.count else { return nil }
        return columns[column]?.rows
    }

    func seek(toRowInBlock row: Int) { self.row = row }

    private func loadBlock(_ block: ColumnSnapshot.Block) throws {
        load.reset()
        try load.bind([.text(table), .integer(block.firstRowID)])
        var found = Array(repeating: false, count: types.count)
        let wanted = Set(selected)
        while try load.step() {
            let ordinal = Int(load.integer(at: 0))
            guard wanted.contains(ordinal) else { continue }
            guard load.integer(at: 1) == Int64(block.rows), load.integer(at: 3) == 1 else {
                throw SnapshotProblem.damaged(table: table, detail: "block \(block.firstRowID) column \(ordinal)")
            }
            let rowid = load.integer(at: 2)
            do {
                let blob: SQLiteBlob
                if let open = self.blob {
                    try open.moveTo(row: rowid)
                    blob = open
                } else {
                    blob = try SQLiteBlob(database, table: "pp_column_blocks", column: "data", rowid: rowid)
                    self.blob = blob
                }
                columns[ordinal] = try ColumnBlock(reading: blob, rows: block.rows, type: types[ordinal])
            } catch let error as ColumnBlock.Malformed {
                throw SnapshotProblem.damaged(
                    table: table, detail: "block \(block.firstRowID) column \(ordinal): \(error.description)")
            }
            found[ordinal] = true
        }
        for ordinal in selected where !found[ordinal] {
            throw SnapshotProblem.changed(table: table)
        }
        rows = block.rows
    }

    func value(at column: Int) -> Value {
        if let tail { return tail.value(at: column) }
        guard column < columns.count, let block = columns[column] else { return .null }
        return block.value(at: row)
    }

    func withUTF8(at column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        if let tail { return tail.withUTF8(at: column, body) }
        guard column < columns.count, let block = columns[column] else { return nil }
        return block.withUTF8(at: row, body)
    }

    func integer(at column: Int) -> Int64? {
        if let tail { return tail.integer(at: column) }
        guard column < columns.count, let block = columns[column] else { return nil }
        return block.integer(at: row)
    }
}

/// A column snapshot that cannot be read as it should.
enum SnapshotProblem: Error, CustomStringConvertible {
    /// A block does not unpack.
    case damaged(table: String, detail: String)
    /// Blocks went missing while the table was read (another program refreshed or dropped the snapshot).
    case changed(table: String)

    var description: String {
        switch self {
        case .damaged(let table, let detail):
            return "the column snapshot of table '\(table)' is damaged (\(detail)); run `pathproof optimize --rebuild` "
                + "on the workspace"
        case .changed(let table):
            return "the column snapshot of table '\(table)' changed while it was read; run the query again"
        }
    }
}
