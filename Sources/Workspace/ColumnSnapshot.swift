/// The column snapshot: a copy of each table's rows packed column by column in blocks, which queries
/// read instead of SQLite's rows when they use only a few columns.

import Foundation
import SQLiteSupport
import TableModel

/// What ``Workspace/refreshColumnSnapshot()`` did to one table.
public struct ColumnSnapshotRefresh: Sendable, Equatable {
    /// The table name.
    public var table: String
    /// Rows packed by this refresh.
    public var packedRows: Int
    /// Rows the snapshot now covers.
    public var coveredRows: Int
}

/// The SQL side of the column snapshot.
///
/// `pp_column_snapshot` says, per table, the block layout, how many catalog columns the snapshot has and the last
/// rowid it covers; `pp_column_blocks` holds, per block of rowids and per column, the packed cells
/// (``ColumnBlockWriter``). Rows are only ever appended to a workspace table, so a block stays
/// true; triggers drop a table's snapshot if anything updates or deletes its rows, and a query
/// that finds the snapshot behind the catalog or the table reads SQLite's rows instead.
enum ColumnSnapshot {
    /// Rows per block.
    static let blockRows = 65_536
    /// The block layout of ``ColumnBlockWriter``; a snapshot of another layout is ignored and rebuilt.
    static let format: Int64 = 1

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS pp_column_snapshot (
            table_name TEXT PRIMARY KEY, format INTEGER NOT NULL, columns INTEGER NOT NULL,
            covered_rowid INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS pp_column_blocks (
            table_name TEXT NOT NULL, first_rowid INTEGER NOT NULL, last_rowid INTEGER NOT NULL,
            rows INTEGER NOT NULL, ordinal INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (table_name, first_rowid, ordinal));
        """

    /// A block's rowid range and row count.
    struct Block {
        var firstRowID: Int64
        var lastRowID: Int64
        var rows: Int
    }

    /// The snapshot of a table as recorded, when there is one.
    struct State {
        var columns: Int
        var coveredRowID: Int64
        var blocks: [Block]
    }

    /// The recorded snapshot of `table`, or `nil` when there is none (or no snapshot tables at all).
    static func state(of table: String, in database: SQLiteDatabase) throws(SQLiteError) -> State? {
        let exists = try database.rows(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pp_column_snapshot'")
        guard !exists.isEmpty else { return nil }
        let rows = try database.rows(
            "SELECT columns, covered_rowid FROM pp_column_snapshot WHERE table_name = ?1 AND format = ?2",
            [.text(table), .integer(format)])
        guard let row = rows.first, let columns = row[0].integer, let covered = row[1].integer else { return nil }
        let blocks = try database.rows(
            "SELECT DISTINCT first_rowid, last_rowid, rows FROM pp_column_blocks WHERE table_name = ?1 "
                + "ORDER BY first_rowid", [.text(table)]
        ).map { Block(firstRowID: $0[0].integer ?? 0, lastRowID: $0[1].integer ?? 0, rows: Int($0[2].integer ?? 0)) }
        return State(columns: Int(columns), coveredRowID: covered, blocks: blocks)
    }

    /// Brings the snapshot of `store` up to date with its rows, inside the caller's transaction: packs
    /// the rows after the last whole block, or every row when the catalog gained columns or the
    /// table lost rows since.
    static func refresh(_ store: TableStore, in database: SQLiteDatabase, blockRows: Int = blockRows)
        throws(SQLiteError) -> ColumnSnapshotRefresh
    {
        try database.execute(createSQL)
        try installTriggers(store)
        let name = store.name
        let width = store.columns.count
        guard width > 0 else { return ColumnSnapshotRefresh(table: name, packedRows: 0, coveredRows: 0) }
        let lastRowID = try database.rows("SELECT max(rowid) FROM \"\(store.sqlName)\"").first?.first?.integer ?? 0
        var start: Int64 = 0
        if let state = try state(of: name, in: database), state.columns == width, state.coveredRowID <= lastRowID {
            start = state.coveredRowID + 1
            if let last = state.blocks.last, last.rows < blockRows {
                start = last.firstRowID
                try database.rows(
                    "DELETE FROM pp_column_blocks WHERE table_name = ?1 AND first_rowid = ?2",
                    [.text(name), .integer(last.firstRowID)])
            }
        } else {
            try database.rows("DELETE FROM pp_column_blocks WHERE table_name = ?1", [.text(name)])
        }
        let list = (["rowid"] + (0..<width).map { "c\($0)" }).joined(separator: ",")
        let read = try database.prepare(
            "SELECT \(list) FROM \"\(store.sqlName)\" WHERE rowid >= ?1 ORDER BY rowid")
        try read.bind(.integer(start), at: 1)
        let insert = try database.prepare(
            "INSERT INTO pp_column_blocks (table_name, first_rowid, last_rowid, rows, ordinal, data) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        var writers = Array(repeating: ColumnBlockWriter(), count: width)
        var first: Int64 = 0
        var last: Int64 = 0
        var inBlock = 0
        var packed = 0
        func flush() throws(SQLiteError) {
            for (ordinal, writer) in writers.enumerated() {
                insert.reset()
                try insert.bind([
                    .text(name), .integer(first), .integer(last), .integer(Int64(inBlock)),
                    .integer(Int64(ordinal)), .blob(writer.packed()),
                ])
                try insert.step()
            }
            writers = Array(repeating: ColumnBlockWriter(), count: width)
            inBlock = 0
        }
        while try read.step() {
            let rowID = read.integer(at: 0)
            if inBlock == 0 { first = rowID }
            last = rowID
            for column in 0..<width { writers[column].append(SnapshotCell.read(read, at: column + 1)) }
            inBlock += 1
            packed += 1
            if inBlock == blockRows { try flush() }
        }
        if inBlock > 0 { try flush() }
        try database.rows(
            "INSERT OR REPLACE INTO pp_column_snapshot (table_name, format, columns, covered_rowid) "
                + "VALUES (?1, ?2, ?3, ?4)",
            [.text(name), .integer(format), .integer(Int64(width)), .integer(lastRowID)])
        let covered =
            try database.rows(
                "SELECT coalesce(sum(rows), 0) FROM pp_column_blocks WHERE table_name = ?1 AND ordinal = 0",
                [.text(name)]
            ).first?.first?.integer ?? 0
        return ColumnSnapshotRefresh(table: name, packedRows: packed, coveredRows: Int(covered))
    }

    /// Removes the snapshot of `table` (inside the caller's transaction).
    static func drop(_ table: String, in database: SQLiteDatabase) throws(SQLiteError) {
        try database.execute(createSQL)
        try database.rows("DELETE FROM pp_column_blocks WHERE table_name = ?1", [.text(table)])
        try database.rows("DELETE FROM pp_column_snapshot WHERE table_name = ?1", [.text(table)])
    }

    /// Triggers that drop the table's snapshot when any program updates or deletes its rows.
    private static func installTriggers(_ store: TableStore) throws(SQLiteError) {
        let literal = "'" + store.name.replacingOccurrences(of: "'", with: "''") + "'"
        let drop =
            "DELETE FROM pp_column_blocks WHERE table_name = \(literal); "
            + "DELETE FROM pp_column_snapshot WHERE table_name = \(literal);"
        for event in ["UPDATE", "DELETE"] {
            let trigger = "pp_snapshot_\(event.lowercased())_\(store.name)".replacingOccurrences(of: "\"", with: "\"\"")
            let table = store.sqlName.replacingOccurrences(of: "\"", with: "\"\"")
            try store.database.execute(
                "CREATE TRIGGER IF NOT EXISTS \"\(trigger)\" AFTER \(event) ON \"\(table)\" BEGIN \(drop) END")
        }
    }
}
