/// Which tables a local query read: the provider the engine reads through, keeping count.

import TableModel

/// A table provider in front of another that notes every table whose rows the engine opened.
///
/// A table counts as read when the engine opens a cursor over its rows, whatever named it (the
/// query text, a `let` or function, a wildcard `union`). A table only named, or whose schema alone
/// was asked for (`getschema`), or that a fuzzy `union` skipped as absent, is not read: the rows it
/// lacks cannot change the result. Not safe to use from several threads at once, like the engine.
final class TableReadLog: TableProvider {
    private let base: any TableProvider
    /// The tables whose rows were opened, in the order first opened.
    private(set) var tablesRead: [String] = []

    init(_ base: any TableProvider) {
        self.base = base
    }

    func schema(of table: String) throws -> [Column]? { try base.schema(of: table) }

    func scan(_ table: String) throws -> any RowCursor {
        note(table)
        return try base.scan(table)
    }

    func tableNames() throws -> [String] { try base.tableNames() }

    func columnScan(_ table: String, columns: [Int]?) throws -> any ColumnCursor {
        note(table)
        return try base.columnScan(table, columns: columns)
    }

    private func note(_ table: String) {
        if !tablesRead.contains(table) { tablesRead.append(table) }
    }
}
