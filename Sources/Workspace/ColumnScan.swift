/// The workspace's column cursor: reads only the columns a query uses, straight from SQLite's cells.

import SQLiteSupport
import TableModel

extension TableStore {
    /// A column cursor over every row in insertion order, selecting only the schema positions in
    /// `wanted` (every column when `nil`).
    /// `after` skips the rows up to that rowid (those the column snapshot holds).
    func columnCursor(_ wanted: [Int]?, after: Int64? = nil) throws(SQLiteError) -> SQLiteColumnCursor {
        let selected = selectedPositions(wanted)
        let list = selected.isEmpty ? "NULL" : selected.map { "c\($0)" }.joined(separator: ",")
        let statement = try database.prepare(
            "SELECT \(list) FROM \"\(sqlName)\" WHERE rowid > ?1 ORDER BY rowid")
        try statement.bind(.integer(after ?? Int64.min), at: 1)
        return SQLiteColumnCursor(statement: statement, types: columns.map(\.type), selected: selected)
    }

    /// The schema positions of `wanted` that exist, sorted and without repeats (all when `nil`).
    func selectedPositions(_ wanted: [Int]?) -> [Int] {
        let positions = (wanted ?? Array(columns.indices)).filter { columns.indices.contains($0) }
        return Array(Set(positions)).sorted()
    }

    /// A cursor that reads the rows the column snapshot covers from its blocks and the rest from
    /// SQLite; `nil` when the snapshot is missing, behind the catalog for a wanted column, or covers
    /// rowids the table no longer has.
    func snapshotCursor(_ wanted: [Int]?) throws(SQLiteError) -> SnapshotColumnCursor? {
        guard let state = try ColumnSnapshot.state(of: name, in: database), !state.blocks.isEmpty else { return nil }
        let selected = selectedPositions(wanted)
        guard selected.allSatisfy({ $0 < state.columns }) else { return nil }
        let lastRowID = try database.rows("SELECT max(rowid) FROM \"\(sqlName)\"").first?.first?.integer ?? 0
        guard state.coveredRowID <= lastRowID, state.blocks.last?.lastRowID ?? 0 <= state.coveredRowID else {
            return nil
        }
        let covered = state.coveredRowID
        return try SnapshotColumnCursor(
            table: name, database: database, types: columns.map(\.type), selected: selected, blocks: state.blocks
        ) { [self] in try columnCursor(wanted, after: covered) }
    }
}

/// Reads a workspace table one row at a time and each cell only when asked, typed by the catalog.
///
/// Values are exactly those of ``SQLiteRowCursor``; the common cells (text, integer ticks, reals,
/// JSON) are read without the intermediate ``SQLiteValue``, and a dynamic cell whose JSON text is the
/// same as the previous row's reuses the value parsed then.
final class SQLiteColumnCursor: ColumnCursor {
    private let statement: SQLiteStatement
    private let types: [ColumnType]
    /// The statement's result position of each schema column, or -1 when it is not selected.
    private let slots: [Int]
    private var lastJSON: [(text: [UInt8], value: Value)?]

    /// The longest JSON text remembered for reuse by the next row.
    private static let reusableJSONLength = 512

    init(statement: SQLiteStatement, types: [ColumnType], selected: [Int]) {
        self.statement = statement
        self.types = types
        var slots = Array(repeating: -1, count: types.count)
        for (slot, column) in selected.enumerated() { slots[column] = slot }
        self.slots = slots
        lastJSON = Array(repeating: nil, count: types.count)
    }

    func advance() throws -> Bool { try statement.step() }

    func value(at column: Int) -> Value {
        guard column < slots.count, slots[column] >= 0 else { return .null }
        let slot = slots[column]
        let type = types[column]
        switch (type, statement.storageClass(at: slot)) {
        case (.string, .null): return .string("")
        case (_, .null): return .null
        case (.string, .text):
            return .string(statement.withText(at: slot) { String(decoding: $0, as: UTF8.self) })
        case (.datetime, .integer): return .datetime(DateTime(ticks: statement.integer(at: slot)))
        case (.long, .integer): return .long(statement.integer(at: slot))
        case (.real, .real): return .real(statement.real(at: slot))
        case (.dynamic, .text): return dynamicValue(column, slot)
        default: return StoredValue.value(statement.value(at: slot), as: type)
        }
    }

    func withUTF8(at column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        guard column < slots.count, slots[column] >= 0, types[column] == .string else { return nil }
        let slot = slots[column]
        switch statement.storageClass(at: slot) {
        case .text: return statement.withText(at: slot, body)
        case .null: return body(UnsafeBufferPointer(start: nil, count: 0))
        default: return nil
        }
    }

    func integer(at column: Int) -> Int64? {
        guard column < slots.count, slots[column] >= 0 else { return nil }
        let slot = slots[column]
        guard statement.storageClass(at: slot) == .integer else { return nil }
        let number = statement.integer(at: slot)
        switch types[column] {
        case .datetime, .timespan, .long: return number
        case .int: return Int32(exactly: number).map(Int64.init)
        default: return nil
        }
    }

    private func dynamicValue(_ column: Int, _ slot: Int) -> Value {
        statement.withText(at: slot) { bytes in
            if let last = lastJSON[column], last.text.count == bytes.count,
                last.text.withUnsafeBufferPointer({ $0.elementsEqual(bytes) })
            {
                return last.value
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let value = StoredValue.value(.text(text), as: .dynamic)
            if bytes.count <= Self.reusableJSONLength { lastJSON[column] = (Array(bytes), value) }
            return value
        }
    }
}
