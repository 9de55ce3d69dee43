/// Turning Log Analytics rows (saved row objects, or rows of a saved query response) into table rows.

import TableModel

/// Reads rows that already have Log Analytics column names (`TimeGenerated`, `httpStatusCode_d`, …).
enum LogRowReader {
    /// A row of `table` from named, typed cells. Fixed columns match by name ignoring case and are
    /// converted to their fixed type; every other cell keeps its name and declared type. Resource
    /// columns missing from the cells are derived from `ResourceId` or `_ResourceId`.
    static func row(table: String, cells: [(name: String, type: ColumnType, value: Value)]) throws(RecordProblem)
        -> PendingRow
    {
        var row = PendingRow(table: table)
        let fixed = WorkspaceTables.fixedColumns(of: table)
        let fixedByLowerName = Dictionary(uniqueKeysWithValues: fixed.map { ($0.name.lowercased(), $0) })
        var present: Set<String> = []
        var resourceId: String?

        for cell in cells where !cell.value.isNull && cell.name != "$table" {
            if let column = fixedByLowerName[cell.name.lowercased()] {
                guard let value = ValueCoercion.coerce(cell.value, to: column.type) else {
                    let shown = ValueCoercion.json(of: cell.value).jsonText.prefix(60)
                    throw RecordProblem(
                        reason: "column '\(cell.name)' holds \(shown), not a value of type \(column.type.rawValue)")
                }
                guard !present.contains(column.name) else { continue }
                present.insert(column.name)
                row.cells.append(.fixed(column.name, value))
                if column.name == "ResourceId" || (column.name == "_ResourceId" && resourceId == nil),
                    case .string(let text) = value, !text.isEmpty
                {
                    resourceId = text
                }
            } else {
                row.cells.append(.column(cell.name, cell.type, cell.value))
            }
        }

        guard present.contains("TimeGenerated") else {
            throw RecordProblem(reason: "row has no TimeGenerated value")
        }
        if let resourceId {
            let derived = RecordFlattener.resourceCells(resourceId: resourceId, explicit: [:])
            for case .fixed(let name, let value) in derived where !present.contains(name) {
                if fixedByLowerName[name.lowercased()] != nil { row.cells.append(.fixed(name, value)) }
            }
        }
        if !present.contains("Type") { row.cells.append(.fixed("Type", .string(table))) }
        return row
    }

    /// A row of `table` from a saved JSON row object. A suffixed name (`_s`, `_d`, `_b`, `_g`, `_t`)
    /// gives the type, `AZKVAuditLogs` columns take their documented types, and any other name takes
    /// the type of its value; null values are left out.
    static func row(table: String, object: [String: Dynamic]) throws(RecordProblem) -> PendingRow {
        var cells: [(name: String, type: ColumnType, value: Value)] = []
        let fixedTypes = Dictionary(
            uniqueKeysWithValues: WorkspaceTables.fixedColumns(of: table).map { ($0.name.lowercased(), $0.type) })
        for name in object.keys.sorted() {
            let json = object[name]!
            if case .null = json { continue }
            let type =
                fixedTypes[name.lowercased()]
                ?? (table == WorkspaceTables.keyVaultAudit
                    ? WorkspaceTables.keyVaultAuditTypes[name] : ColumnNaming.suffixType(of: name))
                ?? inferredType(of: json)
            guard let value = ValueCoercion.coerce(json, to: type) else {
                throw RecordProblem(
                    reason: "column '\(name)' holds \(json.jsonText.prefix(60)), not a value of type \(type.rawValue)")
            }
            cells.append((name, type, value))
        }
        return try row(table: table, cells: cells)
    }

    private static func inferredType(of json: Dynamic) -> ColumnType {
        switch json {
        case .bool: return .bool
        case .long: return .long
        case .real: return .real
        case .array, .object: return .dynamic
        default: return .string
        }
    }
}
