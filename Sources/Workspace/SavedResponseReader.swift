/// Ingesting saved Log Analytics query API responses (single bodies and `$batch` bodies), row by row
/// from the streaming response scanner.

import RowDecoding
import SQLiteSupport
import TableModel

/// Reads the Key Vault tables of saved query responses into the workspace.
///
/// A table is `AzureDiagnostics` or `AZKVAuditLogs` by its `$table` or `Type` column when it has
/// one (row by row), else by its columns. A response that carries an `error` object is recorded as
/// incomplete evidence and its rows are still written. A response with no Key Vault table and no
/// `error` is refused (its file's transaction is rolled back, so nothing of it stays).
enum SavedResponseReader {
    /// Ingests a saved response file through ``ResponseFileReader``: memory stays bounded whatever
    /// the number of rows.
    static func ingest(fileAt path: String, into file: FileIngest) throws -> InputShape {
        let reader: ResponseFileReader
        do { reader = try ResponseFileReader(path: path) } catch { throw FileRefusal(reason: error.description) }
        var sink = ResponseSink(file: file)
        try sink.drain { (visitor: inout SinkVisitor) throws(ResponseDecodingError) in try reader.scan(into: &visitor) }
        try sink.finish()
        return .queryResponse
    }

    /// Ingests one saved response body held in memory.
    static func ingest(bytes: [UInt8], into file: FileIngest) throws -> InputShape {
        var sink = ResponseSink(file: file)
        try sink.drain(scanning: bytes)
        try sink.finish()
        return .queryResponse
    }

    /// Ingests a saved `$batch` body: `{"responses":[{"id","status","body"}…]}`. Failed items and
    /// partial results are incomplete evidence; a batch with neither Key Vault rows nor a partial
    /// result is refused.
    static func ingestBatch(items: [Dynamic], into file: FileIngest) throws -> InputShape {
        var failures: [(label: String, error: Dynamic)] = []
        var descriptions: [String] = []
        var keptAnything = false
        for (index, item) in items.enumerated() {
            let id = item["id"]?.stringValue ?? String(index + 1)
            let status = item["status"].map { $0.jsonText } ?? "?"
            let label = "batch item \(id) (HTTP \(status)): "
            guard case .object(let body)? = item["body"] else {
                throw FileRefusal(reason: "batch item \(id) has no body object")
            }
            guard body["tables"] != nil else {
                failures.append((label, body["error"] ?? .object(body)))
                continue
            }
            var sink = ResponseSink(file: file, label: label)
            try sink.drain(scanning: Array(Dynamic.object(body).jsonText.utf8))
            if let error = sink.partialError {
                try file.flagIncomplete(error: error, prefix: label, tables: sink.keyVaultTables)
            }
            if sink.foundKeyVault || sink.partialError != nil { keptAnything = true }
            if !sink.foundKeyVault {
                descriptions.append(label + sink.describeTables())
                if sink.partialError != nil { file.warn(label + "no Key Vault rows: " + sink.describeTables()) }
            }
        }
        guard keptAnything else {
            let parts = failures.map { $0.label + APIErrorText.describe($0.error) } + descriptions
            throw FileRefusal(
                reason: "a saved $batch response without Key Vault data: " + parts.joined(separator: "; "))
        }
        // A failed item's rows could have gone to either table.
        for failure in failures {
            try file.flagIncomplete(error: failure.error, prefix: failure.label, tables: [])
        }
        return .batchResponse
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
}

/// The scanner's row visitor in front of a ``ResponseSink``: typed cells become the sink's owned
/// rows as they are read (the visitor is the scanner's fastest interface), and the first error the
/// sink throws is kept, after which nothing more is written.
private struct SinkVisitor: ResponseVisitor {
    var sink: ResponseSink
    var failure: (any Error)?

    private mutating func deliver(_ event: ResponseEvent) {
        guard failure == nil else { return }
        do { try sink.consume(event) } catch { failure = error }
    }

    mutating func visitTableStart(name: String, columns: [Column]) {
        deliver(.tableStart(name: name, columns: columns))
    }

    mutating func visitRow(_ row: RowCells) {
        guard failure == nil else { return }
        deliver(.row(row.values))
    }

    mutating func visitTableEnd(name: String, rowCount: Int) { deliver(.tableEnd(name: name, rowCount: rowCount)) }

    mutating func visitPartialError(_ error: Dynamic) { deliver(.partialError(error)) }
}

/// Writes the rows of one response as its events arrive.
private struct ResponseSink {
    let file: FileIngest
    var label = ""
    /// The `error` object of a partial result, once seen.
    private(set) var partialError: Dynamic?
    /// Whether any table held Key Vault rows (or was a Key Vault table without rows).
    private(set) var foundKeyVault = false
    /// The Key Vault tables this response's rows went to or whose columns it declared.
    private(set) var keyVaultTables: Set<String> = []
    private var tables: [(name: String, columns: [Column], firstRoute: String?)] = []
    private var current: CurrentTable?
    private var record = 0

    private struct CurrentTable {
        var columns: [Column]
        var kind: String?
        var routingIndex: Int?
        var isUnion: Bool
        var declared = false
        var foreignRows = 0
    }

    init(file: FileIngest, label: String = "") {
        self.file = file
        self.label = label
    }

    /// Runs `scan` (the scanner's row visitor over the whole body) with this sink behind it; the
    /// first error the sink throws stops the writing and is thrown once the scan returns.
    mutating func drain(_ scan: (inout SinkVisitor) throws(ResponseDecodingError) -> Void) throws {
        var visitor = SinkVisitor(sink: self)
        do {
            try scan(&visitor)
        } catch {
            throw FileRefusal(reason: label + "not a readable Log Analytics query response: \(error)")
        }
        self = visitor.sink
        if let failure = visitor.failure { throw failure }
    }

    mutating func drain(scanning bytes: [UInt8]) throws {
        let scanner = ResponseScanner()
        scanner.feed(bytes)
        scanner.finish()
        try drain { (visitor: inout SinkVisitor) throws(ResponseDecodingError) in try scanner.scan(into: &visitor) }
    }

    /// Ends a single response: flags a partial result, refuses a response without Key Vault data.
    func finish() throws {
        guard foundKeyVault || partialError != nil else {
            throw FileRefusal(reason: "a saved query response without Key Vault data: " + describeTables())
        }
        if let partialError { try file.flagIncomplete(error: partialError, tables: keyVaultTables) }
        if !foundKeyVault { file.warn("no Key Vault rows in this response, nothing written: " + describeTables()) }
    }

    mutating func consume(_ event: ResponseEvent) throws {
        switch event {
        case .tableStart(let name, let columns):
            let routing =
                columns.firstIndex { $0.name == "$table" }
                ?? columns.firstIndex { $0.name == "Type" && $0.type == .string }
            current = CurrentTable(
                columns: columns, kind: SavedResponseReader.tableKind(of: columns), routingIndex: routing,
                isUnion: columns.contains { $0.name == "$table" })
            tables.append((name, columns, nil))
        case .row(let row):
            record += 1
            try write(row)
        case .tableEnd(let name, let rowCount):
            guard let table = current else { return }
            if rowCount == 0, !table.isUnion, let kind = table.kind {
                try file.declareColumns(table.columns, of: kind)
                foundKeyVault = true
                keyVaultTables.insert(kind)
            }
            if table.foreignRows > 0 {
                file.warn(
                    label + "\(table.foreignRows) rows of table '\(name)' are not Key Vault tables' rows; left out")
            }
            current = nil
        case .partialError(let error):
            partialError = error
        }
    }

    private mutating func write(_ row: [Value]) throws {
        guard var table = current else { return }
        defer { current = table }
        var destination = table.kind
        if let index = table.routingIndex {
            let routed = row[index].kqlString
            if tables[tables.count - 1].firstRoute == nil { tables[tables.count - 1].firstRoute = routed }
            destination = keyVaultTable(named: routed)
        }
        guard let destination else {
            table.foreignRows += 1
            return
        }
        foundKeyVault = true
        keyVaultTables.insert(destination)
        // A union or `search` result (with `$table`) fills the columns of every other table with "":
        // such cells describe no field of the row, so they make no column, and its declared columns
        // are not one table's schema.
        if !table.declared && !table.isUnion && destination == table.kind {
            try file.declareColumns(table.columns, of: destination)
            table.declared = true
        }
        let cells = zip(table.columns, row).map { (name: $0.name, type: $0.type, value: $1) }
            .filter { !table.isUnion || $0.value != .string("") }
        let place = RecordPlace(record: record)
        do {
            try file.write(LogRowReader.row(table: destination, cells: cells), at: place)
        } catch let problem as RecordProblem {
            file.reject(label + problem.reason, at: place)
        }
    }

    /// The Key Vault table a row's `Type` or `$table` names, in any case and spacing (a result
    /// edited by hand must not lose Key Vault rows to spelling).
    private func keyVaultTable(named name: String) -> String? {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case WorkspaceTables.azureDiagnostics.lowercased(): return WorkspaceTables.azureDiagnostics
        case WorkspaceTables.keyVaultAudit.lowercased(): return WorkspaceTables.keyVaultAudit
        default: return nil
        }
    }

    /// The tables' names and first columns, for a refusal or a warning.
    func describeTables() -> String {
        guard !tables.isEmpty else { return "it has no tables" }
        return tables.map { table in
            let names = table.columns.prefix(6).map(\.name).joined(separator: ", ")
            let more = table.columns.count > 6 ? ", … (\(table.columns.count) columns)" : ""
            var text = "table '\(table.name)' has columns \(names)\(more)"
            if let route = table.firstRoute {
                let column = table.columns.contains { $0.name == "$table" } ? "$table" : "Type"
                text += " and rows of \(column) '\(route)'"
            }
            return text
        }.joined(separator: "; ") + " (neither AzureDiagnostics nor AZKVAuditLogs rows)"
    }
}
