/// The ten scalar types of KQL, named as the Log Analytics query API names them.

/// A column's declared type, as it appears in `tables[].columns[].type` of a query response.
public enum ColumnType: String, Sendable, Hashable, CaseIterable, Codable {
    case bool
    case datetime
    case decimal
    case dynamic
    case guid
    case int
    case long
    case real
    case string
    case timespan

    /// Reads a type name as KQL and the query API spell it, including the aliases
    /// (`boolean`, `date`, `double`, `time`, `uniqueid`, `int32`, `int64`).
    ///
    /// Returns `nil` for a name that is not a KQL scalar type.
    public init?(kqlName: String) {
        switch kqlName.lowercased() {
        case "bool", "boolean": self = .bool
        case "datetime", "date": self = .datetime
        case "decimal": self = .decimal
        case "dynamic": self = .dynamic
        case "guid", "uniqueid": self = .guid
        case "int", "int32": self = .int
        case "long", "int64": self = .long
        case "real", "double": self = .real
        case "string": self = .string
        case "timespan", "time": self = .timespan
        default: return nil
        }
    }
}

/// A named, typed column of a table.
public struct Column: Sendable, Hashable, Codable {
    /// The column name, case-sensitive as in KQL.
    public var name: String
    /// The declared type of every value in the column.
    public var type: ColumnType

    /// Creates a column.
    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }
}
