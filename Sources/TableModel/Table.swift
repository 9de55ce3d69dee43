/// A result table, the provider protocol the KQL engine reads tables through, and the API JSON shape.

/// A named table of typed columns and rows, as a query returns it.
public struct Table: Sendable, Hashable {
    /// The table name (`PrimaryResult` for a query's main result).
    public var name: String
    /// The columns, in order.
    public var columns: [Column]
    /// The rows; each has one value per column.
    public var rows: [[Value]]

    /// Creates a table.
    public init(name: String = "PrimaryResult", columns: [Column], rows: [[Value]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The position of the column named `name` (case-sensitive), if any.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }
}

/// Pulls rows one at a time, so a table never has to be held in memory whole.
public protocol RowCursor {
    /// The next row, or `nil` at the end.
    mutating func next() throws -> [Value]?
}

/// A cursor over rows already in memory.
public struct ArrayRowCursor: RowCursor {
    private var iterator: IndexingIterator<[[Value]]>

    /// Creates a cursor over `rows`.
    public init(_ rows: [[Value]]) { iterator = rows.makeIterator() }

    public mutating func next() throws -> [Value]? { iterator.next() }
}

/// Where the KQL engine finds the tables a query names (a SQLite workspace, or tables in memory).
public protocol TableProvider {
    /// The schema of `table`, or `nil` when no such table exists (a SEM0100 in Log Analytics).
    func schema(of table: String) throws -> [Column]?
    /// A cursor over every row of `table`, in storage order.
    func scan(_ table: String) throws -> any RowCursor
    /// The names of every table.
    func tableNames() throws -> [String]
    /// A cursor over `table` that reads at least the schema positions in `columns` (every column when
    /// `nil`), one column at a time; see ``ColumnCursor``. A default reads whole rows with `scan`.
    func columnScan(_ table: String, columns: [Int]?) throws -> any ColumnCursor
}

/// Tables held in memory; handy for tests and `datatable`-only runs.
public struct InMemoryTables: TableProvider {
    /// The tables by name.
    public var tables: [String: Table]

    /// Creates a provider over `tables`, keyed by each table's name.
    public init(_ tables: [Table] = []) {
        self.tables = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func schema(of table: String) throws -> [Column]? { tables[table]?.columns }

    public func scan(_ table: String) throws -> any RowCursor { ArrayRowCursor(tables[table]?.rows ?? []) }

    public func tableNames() throws -> [String] { tables.keys.sorted() }
}

/// Writes tables in the exact shape of a Log Analytics query API response body.
public enum QueryResponseJSON {
    /// `{"tables":[{"name":…,"columns":[{"name":…,"type":…}],"rows":[[…]]}]}`, plus an `error`
    /// object when one is given (a partial result).
    public static func encode(_ tables: [Table], error: Dynamic? = nil) -> String {
        var output = "{\"tables\":["
        for (tableIndex, table) in tables.enumerated() {
            if tableIndex > 0 { output += "," }
            output += "{\"name\":" + JSONText.quoted(table.name) + ",\"columns\":["
            for (index, column) in table.columns.enumerated() {
                if index > 0 { output += "," }
                output += "{\"name\":" + JSONText.quoted(column.name) + ",\"type\":\"" + column.type.rawValue + "\"}"
            }
            output += "],\"rows\":["
            for (rowIndex, row) in table.rows.enumerated() {
                if rowIndex > 0 { output += "," }
                output += "["
                for (index, value) in row.enumerated() {
                    if index > 0 { output += "," }
                    output += value.apiJSON(as: table.columns[index].type)
                }
                output += "]"
            }
            output += "]}"
        }
        output += "]"
        if let error {
            output += ",\"error\":" + error.jsonText
        }
        return output + "}"
    }
}
