/// What one ingest run did: files read, rows written per table, and every record or file it refused.

/// The layout an input file was recognised as.
public enum InputShape: String, Sendable, Hashable {
    /// One JSON value a line: a `PT1H.json` append blob as diagnostic settings write it today.
    case jsonLines = "json-lines"
    /// `{"records":[…]}`: an Event Hub message or a storage blob written before November 2018.
    case recordsEnvelope = "records-envelope"
    /// A top-level JSON array of records (the Managed HSM documentation's sample).
    case recordArray = "record-array"
    /// One record object.
    case singleRecord = "single-record"
    /// One Log Analytics row object (`TimeGenerated`, `identity_claim_*_s`, …).
    case singleRow = "single-row"
    /// `{"value":[rows]}`: Log Analytics rows in a REST list envelope.
    case rowsEnvelope = "rows-envelope"
    /// A saved Log Analytics query API response (`tables`/`columns`/`rows`).
    case queryResponse = "query-response"
    /// A saved Log Analytics `$batch` response (`responses[].body`).
    case batchResponse = "batch-response"
    /// Not recognised (the file was refused).
    case unknown
}

/// One problem that kept a record, or a whole file, out of the workspace.
public struct IngestProblem: Sendable, Hashable, CustomStringConvertible {
    /// The input file.
    public var file: String
    /// The 1-based line of a JSON Lines file, when the problem is on one line.
    public var line: Int?
    /// The 1-based position of the record in an envelope, array or response, when it is one record.
    public var record: Int?
    /// What was wrong, in words a user can act on.
    public var reason: String

    /// Creates a problem report.
    public init(file: String, line: Int? = nil, record: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.record = record
        self.reason = reason
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let record { place += " (record \(record))" }
        return "\(place): \(reason)"
    }
}

/// A saved query response that carried an `error` object: its rows are in the workspace, but the
/// result they came from is incomplete (truncated, overflowed, partly failed).
public struct IncompleteEvidence: Sendable, Hashable, CustomStringConvertible {
    /// The input file.
    public var file: String
    /// The `error` object, as compact JSON text.
    public var errorJSON: String
    /// The error in one line: the chain of codes and the innermost message.
    public var message: String
    /// The tables the response's rows went to (or whose columns it declared); `nil` when that is
    /// not known (a failed `$batch` item, a response without Key Vault rows, a workspace written
    /// before tables were recorded): the missing rows may then belong to any table.
    public var tables: Set<String>?

    /// Creates a record of incomplete evidence.
    public init(file: String, errorJSON: String, message: String, tables: Set<String>? = nil) {
        self.file = file
        self.errorJSON = errorJSON
        self.message = message
        self.tables = tables
    }

    /// Whether rows missing from this result may belong to `table`.
    public func concerns(_ table: String) -> Bool { tables?.contains(table) ?? true }

    public var description: String { "\(file): incomplete result: \(message)" }
}

/// What happened to one input file.
public struct IngestedFile: Sendable, Hashable {
    /// What the run did with the file.
    public enum Outcome: Sendable, Hashable {
        /// Its records were written (some may have been rejected, see ``IngestSummary/rejected``).
        case ingested
        /// A file with the same SHA-256 digest was ingested before, from `earlierPath`; nothing was written.
        case duplicate(earlierPath: String)
        /// The file was refused whole; the reason is also in ``IngestSummary/rejected``.
        case refused(reason: String)
    }

    /// The file path as given or found in a directory.
    public var path: String
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String
    /// The layout the file was recognised as.
    public var shape: InputShape
    /// The outcome.
    public var outcome: Outcome
    /// Rows written, by table name.
    public var rowsPerTable: [String: Int]
    /// Records of this file that were rejected; for a duplicate, those rejected when it was first
    /// ingested.
    public var rejectedRecords: Int
    /// Whether the file is a saved response that carried an `error` object.
    public var isIncompleteEvidence: Bool
    /// When the file is a grown copy of an append blob ingested before (its first bytes are exactly
    /// that earlier file), the earlier file's path; only the lines after it were read.
    public var continuedFrom: String? = nil
    /// For a duplicate, the rows its first ingest wrote, all tables together.
    public var earlierRows = 0

    /// Whether nothing of the file is in the workspace because every record of it was refused, in
    /// this run or when the same content was first ingested.
    public var isRefusedWhole: Bool {
        switch outcome {
        case .refused: return true
        case .ingested: return rejectedRecords > 0 && rowsPerTable.values.reduce(0, +) == 0
        case .duplicate: return rejectedRecords > 0 && earlierRows == 0
        }
    }
}

/// The result of ``Workspace/ingest(paths:)``.
public struct IngestSummary: Sendable, Hashable {
    /// Every file looked at, in the order read.
    public var files: [IngestedFile] = []
    /// Rows written in this run, by table name (`AzureDiagnostics`, `AZKVAuditLogs`).
    public var rowsPerTable: [String: Int] = [:]
    /// Records and files that were refused, each with its file, line or record number, and reason.
    public var rejected: [IngestProblem] = []
    /// Records refused when files this run skipped as duplicates were first ingested, named after
    /// the paths given in this run: those records are still missing from the workspace.
    public var rejectedBefore: [IngestProblem] = []
    /// Files kept but flagged: saved responses with an `error` object.
    public var incompleteEvidence: [IncompleteEvidence] = []
    /// Remarks that refused nothing, for example rows of a non-Key Vault table left out of a partial response.
    public var warnings: [IngestProblem] = []

    /// Rows written in this run, all tables together.
    public var totalRows: Int { rowsPerTable.values.reduce(0, +) }

    /// Files whose records were written.
    public var ingestedFiles: [IngestedFile] { files.filter { $0.outcome == .ingested } }
}

extension IngestSummary: CustomStringConvertible {
    /// A short human summary: one line of counts, then one line per refused record or file, per
    /// incomplete result and per warning.
    ///
    /// `ingested 3 files (1 duplicate skipped, 1 refused): 48 rows to AzureDiagnostics, 3 rows to AZKVAuditLogs`
    public var description: String {
        let refused = files.filter(\.isRefusedWhole).count
        let duplicates = files.filter {
            if case .duplicate = $0.outcome { return !$0.isRefusedWhole } else { return false }
        }.count
        var notes: [String] = []
        if duplicates > 0 { notes.append("\(duplicates) duplicate\(duplicates == 1 ? "" : "s") skipped") }
        if refused > 0 { notes.append("\(refused) refused") }
        let tables = rowsPerTable.keys.sorted().map { "\(rowsPerTable[$0]!) rows to \($0)" }
        var lines = [
            "ingested \(ingestedFiles.count) file\(ingestedFiles.count == 1 ? "" : "s")"
                + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")") + ": "
                + (tables.isEmpty ? "no rows" : tables.joined(separator: ", "))
        ]
        lines += rejected.map { "rejected: \($0)" }
        lines += rejectedBefore.map { "rejected when first ingested: \($0)" }
        lines += incompleteEvidence.map { "incomplete: \($0)" }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n")
    }
}
