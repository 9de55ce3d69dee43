/// Ingesting saved Log Analytics query API responses: single bodies and `$batch` bodies.

import RowDecoding
import SQLiteSupport
import TableModel

/// Reads the Key Vault tables of saved query responses into the workspace.
///
/// A table is `AzureDiagnostics` or `AZKVAuditLogs` by its `$table` or `Type` column when it has
/// one (row by row), else by its columns. A response that carries an `error` object is recorded as
/// incomplete evidence and its rows are still written. A response with no Key Vault table and no
/// `error` is refused.
enum SavedResponseReader {
    /// Ingests one saved response body.
    static func ingest(bytes: [UInt8], into file: FileIngest) throws -> InputShape {
        let response = try decode(bytes)
        let keyVaultTables = response.tables.filter { !routes(of: $0).isEmpty }
        guard !keyVaultTables.isEmpty || response.partialError != nil else {
            throw FileRefusal(reason: "a saved query response without Key Vault data: " + describe(response.tables))
        }
        if let error = response.partialError { try file.flagIncomplete(error: error) }
        if keyVaultTables.isEmpty {
            file.warn("no Key Vault rows in this response, nothing written: " + describe(response.tables))
        }
        try write(response.tables, into: file)
        return .queryResponse
    }

    /// Ingests a saved `$batch` body: `{"responses":[{"id","status","body"}…]}`.
    static func ingestBatch(items: [Dynamic], into file: FileIngest) throws -> InputShape {
        var decoded: [(label: String, response: DecodedResponse)] = []
        var failures: [(label: String, error: Dynamic)] = []
        for (index, item) in items.enumerated() {
            let id = item["id"]?.stringValue ?? String(index + 1)
            let status = item["status"].map { $0.jsonText } ?? "?"
            let label = "batch item \(id) (HTTP \(status)): "
            guard case .object(let body)? = item["body"] else {
                throw FileRefusal(reason: "batch item \(id) has no body object")
            }
            if body["tables"] != nil {
                decoded.append((label, try decode(Array(Dynamic.object(body).jsonText.utf8))))
            } else {
                failures.append((label, body["error"] ?? .object(body)))
            }
        }
        let hasKeyVault = decoded.contains { $0.response.tables.contains { !routes(of: $0).isEmpty } }
        let hasPartial = decoded.contains { $0.response.partialError != nil }
        guard hasKeyVault || hasPartial else {
            let parts =
                failures.map { $0.label + APIErrorText.describe($0.error) }
                + decoded.map { $0.label + describe($0.response.tables) }
            throw FileRefusal(
                reason: "a saved $batch response without Key Vault data: " + parts.joined(separator: "; "))
        }
        for failure in failures { try file.flagIncomplete(error: failure.error, prefix: failure.label) }
        for (label, response) in decoded {
            if let error = response.partialError { try file.flagIncomplete(error: error, prefix: label) }
            if !response.tables.contains(where: { !routes(of: $0).isEmpty }) {
                file.warn(label + "no Key Vault rows, nothing written: " + describe(response.tables))
            }
            try write(response.tables, into: file)
        }
        return .batchResponse
    }

    private static func decode(_ bytes: [UInt8]) throws -> DecodedResponse {
        do {
            return try QueryResponseDecoder.decode(bytes: bytes)
        } catch {
            throw FileRefusal(reason: "not a readable Log Analytics query response: \(error)")
        }
    }

    private static func write(_ tables: [Table], into file: FileIngest) throws {
        var record = 0
        for table in tables {
            let destinations = routes(of: table)
            guard !destinations.isEmpty else {
                record += table.rows.count
                continue
            }
            // A union or `search` result (with `$table`) fills the columns of every other table with "":
            // such cells describe no field of the row, so they make no column, and its declared
            // columns are not one table's schema.
            let mixed = table.columnIndex("$table") != nil
            if !mixed, let whole = tableKind(of: table.columns), destinations == [whole] {
                try file.declareColumns(table.columns, of: whole)
            }
            let router = rowRouter(of: table)
            var skipped = 0
            for row in table.rows {
                record += 1
                guard let destination = router(row) else {
                    skipped += 1
                    continue
                }
                let cells = zip(table.columns, row).map { (name: $0.name, type: $0.type, value: $1) }
                    .filter { !mixed || $0.value != .string("") }
                do {
                    try file.write(LogRowReader.row(table: destination, cells: cells), at: RecordPlace(record: record))
                } catch let problem as RecordProblem {
                    file.reject(problem.reason, at: RecordPlace(record: record))
                }
            }
            if skipped > 0 {
                file.warn("\(skipped) rows of table '\(table.name)' are not Key Vault tables' rows; left out")
            }
        }
    }

    /// The Key Vault tables that rows of `table` go to (empty when none).
    static func routes(of table: Table) -> Set<String> {
        if let index = routingColumn(of: table) {
            let names = Set(table.rows.compactMap { keyVaultTable(named: $0[index].kqlString) })
            if !names.isEmpty || !table.rows.isEmpty { return names }
        }
        return tableKind(of: table.columns).map { [$0] } ?? []
    }

    private static func rowRouter(of table: Table) -> ([Value]) -> String? {
        if let index = routingColumn(of: table), !table.rows.isEmpty {
            return { keyVaultTable(named: $0[index].kqlString) }
        }
        let kind = tableKind(of: table.columns)
        return { _ in kind }
    }

    private static func routingColumn(of table: Table) -> Int? {
        table.columnIndex("$table") ?? table.columns.firstIndex { $0.name == "Type" && $0.type == .string }
    }

    private static func keyVaultTable(named name: String) -> String? {
        switch name {
        case WorkspaceTables.azureDiagnostics: return WorkspaceTables.azureDiagnostics
        case WorkspaceTables.keyVaultAudit: return WorkspaceTables.keyVaultAudit
        default: return nil
        }
    }

    /// `AzureDiagnostics` when the columns include `TimeGenerated` and either a column only it has
    /// (`identity_claim_*`, `httpStatusCode_d`, `requestUri_s`) or all of `ResourceProvider`,
    /// `Resource`, `OperationName` and `ResultType`; `AZKVAuditLogs` when they include
    /// `TimeGenerated`, `OperationName` and `Identity`, or `HttpStatusCode` with `RequestUri`.
    static func tableKind(of columns: [Column]) -> String? {
        let names = Set(columns.map(\.name))
        guard names.contains("TimeGenerated") else { return nil }
        let suffixedMarker = names.contains {
            $0.hasPrefix("identity_claim_") || $0 == "httpStatusCode_d" || $0 == "requestUri_s"
        }
        if suffixedMarker || names.isSuperset(of: ["ResourceProvider", "Resource", "OperationName", "ResultType"]) {
            return WorkspaceTables.azureDiagnostics
        }
        if names.contains("OperationName")
            && (names.contains("Identity") || (names.contains("HttpStatusCode") && names.contains("RequestUri")))
        {
            return WorkspaceTables.keyVaultAudit
        }
        return nil
    }

    private static func describe(_ tables: [Table]) -> String {
        guard !tables.isEmpty else { return "it has no tables" }
        return tables.map { table in
            let names = table.columns.prefix(6).map(\.name).joined(separator: ", ")
            let more = table.columns.count > 6 ? ", … (\(table.columns.count) columns)" : ""
            var text = "table '\(table.name)' has columns \(names)\(more)"
            if let index = routingColumn(of: table), let first = table.rows.first {
                text += " and rows of \(table.columns[index].name) '\(first[index].kqlString)'"
            }
            return text
        }.joined(separator: "; ") + " (neither AzureDiagnostics nor AZKVAuditLogs rows)"
    }
}
