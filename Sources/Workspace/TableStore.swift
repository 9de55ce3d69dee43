/// One Log Analytics table kept in SQLite: its column catalog, how fields find or create columns, and
/// the prepared insert.

import SQLiteSupport
import TableModel

/// A workspace table: a SQLite table `data_<Name>` whose columns `c0`, `c1`, … are described, with
/// their KQL names, types and order, in `pp_columns`. KQL names are case-sensitive and SQLite's are
/// not, hence the numbered SQL names.
final class TableStore {
    /// The Log Analytics table name.
    let name: String
    /// The SQLite table name.
    let sqlName: String
    /// The columns in order.
    private(set) var columns: [Column]
    private var positions: [String: Int] = [:]
    private var siblings: [String: [Int]] = [:]
    let database: SQLiteDatabase
    private let columnLimit: Int
    private var insertStatement: SQLiteStatement?
    private var insertWidth = 0

    private init(name: String, columns: [Column], database: SQLiteDatabase, columnLimit: Int) {
        self.name = name
        self.sqlName = "data_" + name
        self.columns = []
        self.database = database
        self.columnLimit = columnLimit
        for column in columns { remember(column) }
    }

    /// Loads the catalog of an existing table.
    static func load(name: String, database: SQLiteDatabase, columnLimit: Int) throws(SQLiteError) -> TableStore {
        let rows = try database.rows(
            "SELECT name, type FROM pp_columns WHERE table_name = ?1 ORDER BY ordinal", [.text(name)])
        let columns = rows.compactMap { row -> Column? in
            guard let columnName = row[0].text, let type = row[1].text.flatMap(ColumnType.init(rawValue:)) else {
                return nil
            }
            return Column(columnName, type)
        }
        return TableStore(name: name, columns: columns, database: database, columnLimit: columnLimit)
    }

    /// Creates the table with its fixed columns (inside the caller's transaction).
    static func create(name: String, database: SQLiteDatabase, columnLimit: Int) throws(SQLiteError) -> TableStore {
        let store = TableStore(name: name, columns: [], database: database, columnLimit: columnLimit)
        try database.execute("CREATE TABLE \"\(store.sqlName)\" (pp_file INTEGER NOT NULL)")
        try database.execute("INSERT INTO pp_tables (name, sql_name) VALUES ('\(name)', '\(store.sqlName)')")
        for column in WorkspaceTables.fixedColumns(of: name) { try store.add(column) }
        return store
    }

    /// Writes `row` for the file `fileID`. Fields find their columns as Log Analytics would place
    /// them; new columns are added only once the whole row is known to be writable, so a refused row
    /// creates no column.
    func insert(_ row: PendingRow, fileID: Int64) throws {
        var plan = RowPlan(width: columns.count)
        for cell in row.cells { try place(cell, in: &plan) }
        for column in plan.newColumns { try add(column) }
        if !plan.spilled.isEmpty {
            var bag: [String: Dynamic] = [:]
            if let index = positions["AdditionalFields"], case .dynamic(.object(let existing))? = plan.values[index] {
                bag = existing
            }
            for (key, value) in plan.spilled where bag[key] == nil { bag[key] = value }
            if let index = positions["AdditionalFields"] { plan.values[index] = .dynamic(.object(bag)) }
        }

        let statement = try preparedInsert()
        statement.reset()
        try statement.bind(.integer(fileID), at: 1)
        for (index, slot) in plan.values.slots.enumerated() {
            guard let value = slot else { continue }
            try statement.bind(StoredValue.sqlite(value), at: Int32(index + 2))
        }
        try statement.step()
    }

    /// Adds the columns of `declared` that the table lacks (a saved response's declared schema).
    /// Fixed columns match ignoring case; `$table` is not a column; past the column limit nothing is added.
    func declare(_ declared: [Column]) throws(SQLiteError) {
        let fixed = Set(WorkspaceTables.fixedColumns(of: name).map { $0.name.lowercased() })
        for column in declared where column.name != "$table" && !fixed.contains(column.name.lowercased()) {
            guard positions[column.name] == nil else { continue }
            if name == WorkspaceTables.azureDiagnostics && columns.count >= columnLimit { return }
            try add(column)
        }
    }

    private struct RowPlan {
        var values: Slots
        var newColumns: [Column] = []
        var spilled: [String: Dynamic] = [:]

        init(width: Int) { values = Slots(slots: Array(repeating: nil, count: width)) }
    }

    /// One optional value per column position; growing as new columns are planned.
    private struct Slots {
        var slots: [Value?]

        subscript(index: Int) -> Value? {
            get { index < slots.count ? slots[index] : nil }
            set {
                if index >= slots.count { slots += Array(repeating: nil, count: index + 1 - slots.count) }
                slots[index] = newValue
            }
        }
    }

    private func place(_ cell: PendingCell, in plan: inout RowPlan) throws {
        switch cell {
        case .fixed(let columnName, let value):
            try assign(value, to: Column(columnName, value.naturalType ?? .string), source: nil, in: &plan)
        case .column(let columnName, let type, let value):
            try assign(value, to: Column(columnName, type), source: nil, in: &plan)
        case .field(let base, let json):
            guard let type = ColumnNaming.naturalType(of: json), let suffix = ColumnNaming.suffix(for: type) else {
                return
            }
            let natural = Column(base + suffix, type)
            if positions[natural.name] == nil && !plan.newColumns.contains(natural) {
                for index in siblings[base] ?? [] {
                    if let value = ValueCoercion.coerce(json, to: columns[index].type) {
                        try Self.keep(value, at: index, named: columns[index].name, in: &plan)
                        return
                    }
                }
            }
            guard let value = ValueCoercion.coerce(json, to: type) else { return }
            try assign(value, to: natural, source: json, in: &plan)
        }
    }

    /// Puts `value` in the column named like `column`: converted to the existing column's type, or in
    /// a new column, or (past the column limit, `AzureDiagnostics` only) in `AdditionalFields`.
    private func assign(_ value: Value, to column: Column, source: Dynamic?, in plan: inout RowPlan) throws {
        if let index = positions[column.name] {
            guard let converted = ValueCoercion.coerce(value, to: columns[index].type) else {
                let shown = ValueCoercion.json(of: value).jsonText.prefix(60)
                throw RecordProblem(
                    reason:
                        "value \(shown) does not fit column '\(column.name)' of type \(columns[index].type.rawValue)")
            }
            try Self.keep(converted, at: index, named: column.name, in: &plan)
            return
        }
        if let pending = plan.newColumns.firstIndex(where: { $0.name == column.name }) {
            if let converted = ValueCoercion.coerce(value, to: plan.newColumns[pending].type) {
                try Self.keep(converted, at: columns.count + pending, named: column.name, in: &plan)
            }
            return
        }
        if name == WorkspaceTables.azureDiagnostics && columns.count + plan.newColumns.count >= columnLimit {
            let spilled = source ?? ValueCoercion.json(of: value)
            if let earlier = plan.spilled[column.name], earlier != spilled {
                throw Self.contradiction(column.name, earlier.jsonText, spilled.jsonText)
            }
            plan.spilled[column.name] = spilled
            return
        }
        plan.values[columns.count + plan.newColumns.count] = value
        plan.newColumns.append(column)
    }

    /// Puts `value` at `index` unless the record already gave that column a value: the same value
    /// again is fine (one field spelled two ways); a different one means the record contradicts
    /// itself (say `properties` and `Properties`, or a top-level field and the same one under
    /// `properties`), and no copy of it may silently win.
    private static func keep(_ value: Value, at index: Int, named name: String, in plan: inout RowPlan) throws {
        guard let earlier = plan.values[index] else {
            plan.values[index] = value
            return
        }
        guard earlier != value else { return }
        throw contradiction(
            name, ValueCoercion.json(of: earlier).jsonText, ValueCoercion.json(of: value).jsonText)
    }

    private static func contradiction(_ name: String, _ first: String, _ second: String) -> RecordProblem {
        RecordProblem(
            reason:
                "the record gives column '\(name)' two different values (\(first.prefix(60)) and "
                + "\(second.prefix(60))), for example under keys that differ only in case; it contradicts "
                + "itself and is not used")
    }

    private func add(_ column: Column) throws(SQLiteError) {
        let ordinal = columns.count
        try database.execute("ALTER TABLE \"\(sqlName)\" ADD COLUMN c\(ordinal)")
        let insert = try database.prepare(
            "INSERT INTO pp_columns (table_name, ordinal, name, type) VALUES (?1, ?2, ?3, ?4)")
        try insert.bind([.text(name), .integer(Int64(ordinal)), .text(column.name), .text(column.type.rawValue)])
        try insert.step()
        remember(column)
    }

    private func remember(_ column: Column) {
        positions[column.name] = columns.count
        if let base = ColumnNaming.base(of: column) { siblings[base, default: []].append(columns.count) }
        columns.append(column)
    }

    private func preparedInsert() throws(SQLiteError) -> SQLiteStatement {
        if let insertStatement, insertWidth == columns.count { return insertStatement }
        let names = ["pp_file"] + (0..<columns.count).map { "c\($0)" }
        let sql =
            "INSERT INTO \"\(sqlName)\" (\(names.joined(separator: ","))) VALUES ("
            + (1...names.count).map { "?\($0)" }.joined(separator: ",") + ")"
        let statement = try database.prepare(sql)
        insertStatement = statement
        insertWidth = columns.count
        return statement
    }

    /// A cursor over every row, in insertion order.
    func cursor() throws(SQLiteError) -> SQLiteRowCursor {
        let names = columns.indices.map { "c\($0)" }
        let list = names.isEmpty ? "NULL" : names.joined(separator: ",")
        let statement = try database.prepare("SELECT \(list) FROM \"\(sqlName)\" ORDER BY rowid")
        return SQLiteRowCursor(statement: statement, types: columns.map(\.type))
    }
}

/// Reads rows of a workspace table one at a time, typed by the table's catalog.
public struct SQLiteRowCursor: RowCursor {
    private let statement: SQLiteStatement
    private let types: [ColumnType]

    init(statement: SQLiteStatement, types: [ColumnType]) {
        self.statement = statement
        self.types = types
    }

    public mutating func next() throws -> [Value]? {
        guard try statement.step() else { return nil }
        return types.enumerated().map { StoredValue.value(statement.value(at: $0.offset), as: $0.element) }
    }
}
