/// A SQLite file holding Log Analytics-shaped tables of Key Vault audit records, readable by the KQL
/// engine as a table provider.

import Foundation
import SQLiteSupport
import TableModel

/// A local stand-in for a Log Analytics workspace: the tables `AzureDiagnostics` and
/// `AZKVAuditLogs`, each existing only once data reached it, with the columns that data created.
///
/// Besides the tables, the file records every ingested source file (path, SHA-256, shape, rows) in
/// `pp_files`, every record it refused in `pp_rejected`, and every saved response that carried an
/// `error` object, with the tables its rows went to, in `pp_incomplete`.
/// Not safe to use from several threads at once.
public final class Workspace: TableProvider {
    /// The SQLite file path (`:memory:` for an in-memory workspace).
    public let path: String
    let database: SQLiteDatabase
    /// Columns a table may have before new fields go into `AdditionalFields` (500 in Log Analytics).
    let columnLimit: Int
    private var stores: [String: TableStore] = [:]

    /// The longest line of a log file that ingest reads as one record, in bytes.
    ///
    /// A longer line is skipped without being held in memory and reported as a rejected record
    /// naming its file and line, so one hostile line cannot exhaust memory: reading a line costs
    /// about five times its length at most. Real Key Vault records are a few kilobytes.
    public var maxLineBytes = Workspace.defaultMaxLineBytes

    /// 16 MiB, or the byte count in the environment variable PATHPROOF_MAX_LINE_BYTES.
    public static let defaultMaxLineBytes: Int = {
        let configured = ProcessInfo.processInfo.environment["PATHPROOF_MAX_LINE_BYTES"].flatMap { Int($0) }
        return configured.map { max(1, $0) } ?? 16 << 20
    }()

    /// The value of SQLite's `application_id` in a PathProof workspace ("PPWS").
    static let applicationID: Int64 = 0x5050_5753
    /// The layout version kept in `user_version`.
    static let layoutVersion: Int64 = 1

    /// Opens the workspace at `path`, creating the file and its metadata tables when it does not exist.
    ///
    /// - Throws: ``WorkspaceError/cannotOpen(path:reason:)`` when SQLite cannot open or create it,
    ///   ``WorkspaceError/notAWorkspace(path:reason:)`` when it is another kind of file or database.
    public convenience init(path: String) throws(WorkspaceError) {
        try self.init(path: path, columnLimit: 500)
    }

    /// Opens the workspace at `path` only if the file exists, so that a mistyped path is an error
    /// rather than a new, empty workspace (which could only ever give UNPROVEN).
    ///
    /// - Throws: ``WorkspaceError/cannotOpen(path:reason:)`` when there is no such file, and as
    ///   ``init(path:)`` does otherwise.
    public convenience init(existingPath path: String) throws(WorkspaceError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotOpen(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .cannotOpen(path: path, reason: "it is a directory") }
        try self.init(path: path, columnLimit: 500, mode: .readWrite)
    }

    /// How much of a workspace file SQLite may map into memory for reading (1 GiB).
    static let mappedBytes = 1 << 30

    /// Opens a workspace with a column limit other than Log Analytics' 500 (tests use a small one).
    init(path: String, columnLimit: Int, mode: SQLiteDatabase.Mode = .readWriteCreate) throws(WorkspaceError) {
        self.path = path
        self.columnLimit = columnLimit
        do {
            database = try SQLiteDatabase(path: path, mode: mode)
            // Reads map the file instead of copying each page through read(2): a query that scans
            // a table or its column snapshot reads its pages where they lie in the page cache.
            try database.execute("PRAGMA mmap_size = \(Workspace.mappedBytes)")
        } catch {
            throw .cannotOpen(path: path, reason: error.message)
        }
        try prepareLayout()
    }

    /// A workspace that lives in memory only, for `verify` on raw log files.
    public static func inMemory() throws(WorkspaceError) -> Workspace {
        try Workspace(path: ":memory:")
    }

    private func prepareLayout() throws(WorkspaceError) {
        let id: Int64
        let version: Int64
        let objects: Int64
        do {
            id = try database.rows("PRAGMA application_id").first?.first?.integer ?? 0
            version = try database.rows("PRAGMA user_version").first?.first?.integer ?? 0
            objects = try database.rows("SELECT count(*) FROM sqlite_master").first?.first?.integer ?? 0
        } catch {
            throw .notAWorkspace(path: path, reason: error.message)
        }
        if id == Workspace.applicationID {
            guard version <= Workspace.layoutVersion else {
                throw .notAWorkspace(path: path, reason: "it was written by a newer PathProof (layout \(version))")
            }
            return
        }
        guard id == 0, objects == 0 else {
            throw .notAWorkspace(path: path, reason: "it is a SQLite database of another kind")
        }
        do {
            try database.transaction {
                try database.execute(WorkspaceLayout.createSQL)
                try database.execute("PRAGMA application_id = \(Workspace.applicationID)")
                try database.execute("PRAGMA user_version = \(Workspace.layoutVersion)")
            }
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// The table `name`, loading its catalog on first use; `nil` when no data created it yet.
    func store(_ name: String) throws(SQLiteError) -> TableStore? {
        if let store = stores[name] { return store }
        let exists = try database.rows("SELECT 1 FROM pp_tables WHERE name = ?1", [.text(name)])
        guard !exists.isEmpty else { return nil }
        let store = try TableStore.load(name: name, database: database, columnLimit: columnLimit)
        stores[name] = store
        return store
    }

    /// The table `name`, created with its fixed columns when it does not exist.
    func storeCreating(_ name: String) throws(SQLiteError) -> TableStore {
        if let store = try store(name) { return store }
        let store = try TableStore.create(name: name, database: database, columnLimit: columnLimit)
        stores[name] = store
        return store
    }

    /// Forgets cached catalogs, after a rolled-back transaction may have changed them.
    func forgetCatalogs() { stores = [:] }

    // MARK: - TableProvider

    /// The columns of `table` in order with their KQL types, or `nil` when the workspace has no such table.
    public func schema(of table: String) throws(WorkspaceError) -> [Column]? {
        do { return try store(table)?.columns } catch { throw .storage(error) }
    }

    /// A cursor over every row of `table` in the order the rows were ingested.
    ///
    /// - Throws: ``WorkspaceError/noSuchTable(_:)`` when the workspace has no such table.
    public func scan(_ table: String) throws(WorkspaceError) -> any RowCursor {
        do {
            guard let store = try store(table) else { throw WorkspaceError.noSuchTable(table) }
            return try store.cursor()
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw .noSuchTable(table)
        }
    }

    /// A cursor over `table` in ingest order that reads only the schema positions in `columns` (all
    /// when `nil`) from SQLite, each cell only when asked for.
    ///
    /// - Throws: ``WorkspaceError/noSuchTable(_:)`` when the workspace has no such table.
    public func columnScan(_ table: String, columns: [Int]?) throws(WorkspaceError) -> any ColumnCursor {
        let found: TableStore?
        do { found = try store(table) } catch { throw .storage(error) }
        guard let store = found else { throw .noSuchTable(table) }
        do {
            if let snapshot = try store.snapshotCursor(columns) { return snapshot }
            return try store.columnCursor(columns)
        } catch {
            throw .storage(error)
        }
    }

    /// Packs the rows added since the last refresh into the column snapshot (every row when
    /// `rebuild`), one transaction per table, so queries read only the columns they use. Queries are
    /// right without it; rows it does not cover yet are read from SQLite.
    public func refreshColumnSnapshot(rebuild: Bool = false) throws(WorkspaceError) -> [ColumnSnapshotRefresh] {
        try refreshColumnSnapshot(rebuild: rebuild, blockRows: ColumnSnapshot.blockRows)
    }

    /// ``refreshColumnSnapshot(rebuild:)`` with blocks of `blockRows` rows (tests use small blocks).
    func refreshColumnSnapshot(rebuild: Bool, blockRows: Int) throws(WorkspaceError) -> [ColumnSnapshotRefresh] {
        var refreshed: [ColumnSnapshotRefresh] = []
        for table in try tableNames() {
            do throws(SQLiteError) {
                guard let store = try store(table) else { continue }
                try database.execute("BEGIN IMMEDIATE")
                do throws(SQLiteError) {
                    if rebuild { try ColumnSnapshot.drop(table, in: database) }
                    refreshed.append(try ColumnSnapshot.refresh(store, in: database, blockRows: blockRows))
                    try database.execute("COMMIT")
                } catch {
                    try? database.execute("ROLLBACK")
                    throw error
                }
            } catch {
                throw .storage(error)
            }
        }
        return refreshed
    }

    /// The names of the tables that data has created, sorted.
    public func tableNames() throws(WorkspaceError) -> [String] {
        do {
            return try database.rows("SELECT name FROM pp_tables ORDER BY name").compactMap { $0.first?.text }
        } catch {
            throw .storage(error)
        }
    }

    // MARK: - Provenance

    /// Saved query responses that carried an `error` object: their rows are in the workspace, but the
    /// results they came from are incomplete, so no proof may rest on them.
    public func incompleteEvidence() throws(WorkspaceError) -> [IncompleteEvidence] {
        do {
            // A workspace written before tables were recorded has no `tables` column: every record
            // then concerns every table.
            let tables = try hasColumn("tables", in: "pp_incomplete") ? "tables" : "NULL"
            let sql = "SELECT path, error_json, message, \(tables) FROM pp_incomplete ORDER BY rowid"
            return try database.rows(sql)
                .map {
                    IncompleteEvidence(
                        file: $0[0].text ?? "", errorJSON: $0[1].text ?? "", message: $0[2].text ?? "",
                        tables: WorkspaceLayout.tableList($0[3].text))
                }
        } catch {
            throw .storage(error)
        }
    }

    /// The records refused when the file with digest `sha256` was ingested, with the lines or
    /// records they were at, named after `path`; also those of the earlier files it continues (a
    /// grown append blob holds their lines too). Empty for a workspace written before refusals were
    /// recorded; ``SourceFile/rejectedRecords`` still counts them.
    func recordedRefusals(ofFileWithID id: Int64, as path: String) throws(SQLiteError) -> [IngestProblem] {
        guard try hasTable("pp_rejected") else { return [] }
        var problems: [IngestProblem] = []
        var next: Int64? = id
        var seen: Set<Int64> = []
        while let fileID = next, seen.insert(fileID).inserted {
            let rows = try database.rows(
                "SELECT line, record, reason FROM pp_rejected WHERE file_id = ?1 ORDER BY rowid",
                [.integer(fileID)])
            let earlier = rows.map {
                IngestProblem(
                    file: path, line: $0[0].integer.map { Int($0) }, record: $0[1].integer.map { Int($0) },
                    reason: $0[2].text ?? "")
            }
            problems = earlier + problems
            next = try database.rows("SELECT continues_file FROM pp_files WHERE id = ?1", [.integer(fileID)])
                .first?.first?.integer
        }
        return problems
    }

    /// Adds what later versions record to a workspace written before them: the tables of incomplete
    /// evidence and the refused records. Runs before ingest writes; older files stay readable.
    func upgradeLayout() throws(SQLiteError) {
        if try !hasColumn("tables", in: "pp_incomplete") {
            try database.execute("ALTER TABLE pp_incomplete ADD COLUMN tables TEXT")
        }
        if try !hasTable("pp_rejected") { try database.execute(WorkspaceLayout.rejectedSQL) }
    }

    private func hasColumn(_ column: String, in table: String) throws(SQLiteError) -> Bool {
        try database.rows("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", [.text(table), .text(column)])
            .isEmpty == false
    }

    private func hasTable(_ table: String) throws(SQLiteError) -> Bool {
        try database.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", [.text(table)])
            .isEmpty == false
    }

    /// Every source file ingested so far, in ingest order.
    public func sourceFiles() throws(WorkspaceError) -> [SourceFile] {
        do {
            let rows = try database.rows(
                "SELECT f.path, f.sha256, f.bytes, f.shape, f.rows, f.rejected, f.ingested_at, e.path, f.start_offset "
                    + "FROM pp_files f LEFT JOIN pp_files e ON e.id = f.continues_file ORDER BY f.id")
            return rows.map {
                SourceFile(
                    path: $0[0].text ?? "", sha256: $0[1].text ?? "", bytes: $0[2].integer ?? 0,
                    shape: InputShape(rawValue: $0[3].text ?? "") ?? .unknown, rows: Int($0[4].integer ?? 0),
                    rejectedRecords: Int($0[5].integer ?? 0), ingestedAt: $0[6].text ?? "",
                    continuedFrom: $0[7].text, startOffset: $0[8].integer ?? 0)
            }
        } catch {
            throw .storage(error)
        }
    }
}

/// A source file recorded in a workspace.
public struct SourceFile: Sendable, Hashable {
    /// The path it was read from.
    public var path: String
    /// SHA-256 of its bytes, lower-case hex.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int64
    /// The layout it was recognised as.
    public var shape: InputShape
    /// Rows it added, all tables together.
    public var rows: Int
    /// Its records that were rejected.
    public var rejectedRecords: Int
    /// When it was ingested (UTC, ISO 8601).
    public var ingestedAt: String
    /// The earlier file this one continues: an append blob downloaded again after it grew.
    public var continuedFrom: String?
    /// The byte where reading began: the size of the file continued, else 0.
    public var startOffset: Int64
}

/// The metadata tables of a workspace.
enum WorkspaceLayout {
    static let createSQL = """
        CREATE TABLE pp_tables (name TEXT PRIMARY KEY, sql_name TEXT NOT NULL UNIQUE);
        CREATE TABLE pp_columns (
            table_name TEXT NOT NULL, ordinal INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
            PRIMARY KEY (table_name, ordinal), UNIQUE (table_name, name));
        CREATE TABLE pp_files (
            id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, bytes INTEGER NOT NULL,
            shape TEXT NOT NULL, rows INTEGER NOT NULL, rejected INTEGER NOT NULL, ingested_at TEXT NOT NULL,
            tail_key TEXT NOT NULL, ends_with_newline INTEGER NOT NULL,
            continues_file INTEGER REFERENCES pp_files(id), start_offset INTEGER NOT NULL);
        CREATE INDEX pp_files_tail ON pp_files (tail_key);
        CREATE TABLE pp_incomplete (
            file_id INTEGER NOT NULL REFERENCES pp_files(id), path TEXT NOT NULL, error_json TEXT NOT NULL,
            message TEXT NOT NULL, tables TEXT);
        """ + rejectedSQL

    /// The refused records of each file: its 1-based line or record, and why.
    static let rejectedSQL = """
        CREATE TABLE pp_rejected (
            file_id INTEGER NOT NULL REFERENCES pp_files(id), line INTEGER, record INTEGER,
            reason TEXT NOT NULL);
        CREATE INDEX pp_rejected_file ON pp_rejected (file_id);
        """

    /// `pp_incomplete.tables`: the table names joined by commas; `nil` when none was recorded.
    static func tableText(_ tables: Set<String>?) -> String? {
        guard let tables, !tables.isEmpty else { return nil }
        return tables.sorted().joined(separator: ",")
    }

    /// The table names of `pp_incomplete.tables`; `nil` (every table) when none was recorded.
    static func tableList(_ text: String?) -> Set<String>? {
        guard let text, !text.isEmpty else { return nil }
        return Set(text.split(separator: ",").map(String.init))
    }
}
