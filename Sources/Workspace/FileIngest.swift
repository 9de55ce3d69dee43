/// The work of ingesting one file: routing each record to its table and keeping count of what was
/// written, rejected and flagged.

import SQLiteSupport
import TableModel

/// A file refused whole; nothing of it is written.
struct FileRefusal: Error {
    var reason: String
}

/// Where in a file a record was found.
struct RecordPlace {
    /// The 1-based line of a JSON Lines file.
    var line: Int?
    /// The 1-based position in an envelope, array or response.
    var record: Int?
}

/// Ingests the content of one file inside the transaction its caller opened.
final class FileIngest {
    let path: String
    let fileID: Int64
    private let workspace: Workspace
    /// Lines longer than this are skipped and rejected (``Workspace/maxLineBytes``).
    let maxLineBytes: Int
    private(set) var rowsPerTable: [String: Int] = [:]
    private(set) var problems: [IngestProblem] = []
    private(set) var warnings: [IngestProblem] = []
    private(set) var incomplete: [IncompleteEvidence] = []
    private var resourceCache: [String: [PendingCell]] = [:]

    init(path: String, fileID: Int64, workspace: Workspace) {
        self.path = path
        self.fileID = fileID
        self.workspace = workspace
        self.maxLineBytes = workspace.maxLineBytes
    }

    /// Rows written, all tables together.
    var totalRows: Int { rowsPerTable.values.reduce(0, +) }

    /// Writes `row`; a row that does not fit its table is rejected, a storage failure is thrown.
    ///
    /// The first row of a new table runs inside a savepoint, so that a rejected first row leaves no
    /// empty table behind: a table exists only once a row reached it.
    func write(_ row: PendingRow, at place: RecordPlace) throws(SQLiteError) {
        let isFirstRow = try workspace.store(row.table) == nil
        if isFirstRow { try workspace.database.execute("SAVEPOINT first_row") }
        do {
            try workspace.storeCreating(row.table).insert(row, fileID: fileID)
            rowsPerTable[row.table, default: 0] += 1
            if isFirstRow { try workspace.database.execute("RELEASE first_row") }
        } catch let error as SQLiteError {
            throw error
        } catch {
            if isFirstRow {
                try workspace.database.execute("ROLLBACK TO first_row; RELEASE first_row")
                workspace.forgetCatalogs()
            }
            reject((error as? RecordProblem)?.reason ?? "\(error)", at: place)
        }
    }

    /// Records that the record at `place` was not written, and why.
    func reject(_ reason: String, at place: RecordPlace) {
        problems.append(IngestProblem(file: path, line: place.line, record: place.record, reason: reason))
    }

    /// Records a remark that refused nothing.
    func warn(_ reason: String, at place: RecordPlace = RecordPlace()) {
        warnings.append(IngestProblem(file: path, line: place.line, record: place.record, reason: reason))
    }

    /// Records that this file is a saved response whose result is incomplete, and the Key Vault
    /// `tables` its rows went to (empty when not known: the missing rows may belong to any table).
    func flagIncomplete(error: Dynamic, prefix: String = "", tables: Set<String>) throws(SQLiteError) {
        let evidence = IncompleteEvidence(
            file: path, errorJSON: error.jsonText, message: prefix + APIErrorText.describe(error),
            tables: tables.isEmpty ? nil : tables)
        let statement = try workspace.database.prepare(
            "INSERT INTO pp_incomplete (file_id, path, error_json, message, tables) "
                + "VALUES (?1, ?2, ?3, ?4, ?5)")
        try statement.bind([
            .integer(fileID), .text(path), .text(evidence.errorJSON), .text(evidence.message),
            WorkspaceLayout.tableText(evidence.tables).map { .text($0) } ?? .null,
        ])
        try statement.step()
        incomplete.append(evidence)
    }

    /// Writes the refused records to `pp_rejected`, so that ingesting the same file again reports
    /// them again (inside the file's transaction, before it commits).
    func recordRefusals() throws(SQLiteError) {
        guard !problems.isEmpty else { return }
        let statement = try workspace.database.prepare(
            "INSERT INTO pp_rejected (file_id, line, record, reason) VALUES (?1, ?2, ?3, ?4)")
        for problem in problems {
            statement.reset()
            try statement.bind([
                .integer(fileID), problem.line.map { .integer(Int64($0)) } ?? .null,
                problem.record.map { .integer(Int64($0)) } ?? .null, .text(problem.reason),
            ])
            try statement.step()
        }
    }

    /// Ensures the columns a saved response declares for a Key Vault table exist: the response shows
    /// that the source workspace has them, even where every value is empty.
    func declareColumns(_ columns: [Column], of table: String) throws(SQLiteError) {
        try workspace.storeCreating(table).declare(columns)
    }

    // MARK: - Objects

    /// Routes one record or row object to its table and writes it.
    func take(object bag: [String: Dynamic], at place: RecordPlace) throws(SQLiteError) -> InputShape {
        let route = RecordRoute(bag)
        do {
            switch route {
            case .rawRecord:
                try write(RecordFlattener.row(from: bag, resourceCache: &resourceCache), at: place)
                return .singleRecord
            case .diagnosticsRow:
                try write(LogRowReader.row(table: WorkspaceTables.azureDiagnostics, object: bag), at: place)
                return .singleRow
            case .keyVaultAuditRow:
                try write(LogRowReader.row(table: WorkspaceTables.keyVaultAudit, object: bag), at: place)
                return .singleRow
            case .unknown:
                reject(
                    "neither a resource-log record (time, resourceId, operationName, …) nor a Log Analytics row "
                        + "(TimeGenerated, …); keys: " + bag.keys.sorted().prefix(8).joined(separator: ", "),
                    at: place)
                return .unknown
            }
        } catch let problem as RecordProblem {
            reject(problem.reason, at: place)
            return .unknown
        } catch let error as SQLiteError {
            throw error
        } catch {
            reject("\(error)", at: place)
            return .unknown
        }
    }
}

/// Which kind of object a record is.
enum RecordRoute {
    case rawRecord
    case diagnosticsRow
    case keyVaultAuditRow
    case unknown

    /// Decides by the keys: a `Type` value names the table; a raw record has `time`; a Log Analytics
    /// row has `TimeGenerated` or suffixed columns, and an `AZKVAuditLogs` row has `Identity`,
    /// `CallerIpAddress` or `HttpStatusCode` and no suffixed columns.
    init(_ bag: [String: Dynamic]) {
        let lowerKeys = Set(bag.keys.map { $0.lowercased() })
        let hasSuffixedColumn = bag.keys.contains {
            $0.hasPrefix("identity_claim_") || $0 == "httpStatusCode_d" || $0 == "requestUri_s"
        }
        switch bag["Type"]?.stringValue {
        case WorkspaceTables.azureDiagnostics?:
            self = .diagnosticsRow
            return
        case WorkspaceTables.keyVaultAudit?:
            self = .keyVaultAuditRow
            return
        default: break
        }
        if lowerKeys.contains("time") && !lowerKeys.contains("timegenerated") {
            self = .rawRecord
        } else if lowerKeys.contains("timegenerated") || hasSuffixedColumn {
            let auditColumns = ["Identity", "CallerIpAddress", "HttpStatusCode"]
            self = !hasSuffixedColumn && auditColumns.contains { bag[$0] != nil } ? .keyVaultAuditRow : .diagnosticsRow
        } else if !lowerKeys.isDisjoint(with: ["resourceid", "operationname", "category", "identity", "properties"]) {
            self = .rawRecord
        } else {
            self = .unknown
        }
    }
}
