/// Tests of what ingest records for later runs: the tables of incomplete evidence and the refused
/// records, in a new workspace and in one written before they were recorded.

import Foundation
import SQLiteSupport
import Testing

@testable import Workspace

struct IngestRecordTests {
    /// A saved AZKVAuditLogs response (3 rows) that carries the error object of a truncated result.
    static func truncatedResponse(in directory: String) throws -> String {
        let rows = try String(
            contentsOfFile: Fixtures.record("azkvauditlogs-query-response-keysign-thirdparty-fixture.json"),
            encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let partial = try String(contentsOfFile: Fixtures.response("partial-error-truncated.json"), encoding: .utf8)
        let error = try #require(partial.range(of: #","error":"#))
        let tail = partial[error.lowerBound...].trimmingCharacters(in: .whitespacesAndNewlines).dropLast()
        return try Fixtures.write(String(rows.dropLast() + tail + "}"), to: "truncated.json", in: directory)
    }

    @Test func `incomplete evidence names the tables its rows went to`() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [try Self.truncatedResponse(in: directory)])
        #expect(summary.incompleteEvidence.map(\.tables) == [["AZKVAuditLogs"]])
        let recorded = try workspace.incompleteEvidence()
        #expect(recorded.map(\.tables) == [["AZKVAuditLogs"]])
        #expect(recorded.first?.concerns("AZKVAuditLogs") == true)
        #expect(recorded.first?.concerns("AzureDiagnostics") == false)
    }

    @Test func `a partial response without Key Vault rows concerns every table`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.response("partial-error-truncated.json")])
        let recorded = try workspace.incompleteEvidence()
        #expect(recorded.count == 1)
        #expect(recorded.first?.tables == nil)
        #expect(recorded.first?.concerns("AzureDiagnostics") == true)
    }

    @Test func `a workspace written before tables and refusals were recorded is read and brought up to date`()
        throws
    {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/old.sqlite"
        let response = try Self.truncatedResponse(in: directory)
        let blob = try Fixtures.write("{\"bad\":1}\n", to: "bad.json", in: directory)
        do {
            // The layout of the first release: no `tables` column, no `pp_rejected`.
            let workspace = try Workspace(path: path)
            try workspace.database.execute(
                "DROP TABLE pp_rejected; ALTER TABLE pp_incomplete DROP COLUMN tables")
            try workspace.database.execute(
                "INSERT INTO pp_files (id, path, sha256, bytes, shape, rows, rejected, ingested_at, "
                    + "tail_key, ends_with_newline, start_offset) "
                    + "VALUES (7, 'old.json', 'x', 1, 'json-lines', 0, 0, '', '', 1, 0);"
                    + "INSERT INTO pp_incomplete (file_id, path, error_json, message) "
                    + "VALUES (7, 'old.json', '{}', 'm')")
            #expect(try workspace.incompleteEvidence().map(\.tables) == [nil])
        }
        let workspace = try Workspace(path: path)
        _ = try workspace.ingest(paths: [response, blob])
        #expect(try workspace.incompleteEvidence().map(\.tables) == [nil, ["AZKVAuditLogs"]])
        let again = try workspace.ingest(paths: [blob])
        #expect(again.rejectedBefore.count == 1)
        #expect(again.rejectedBefore.first?.reason.hasPrefix("neither a resource-log record") == true)
        #expect(again.files.first?.isRefusedWhole == true)
    }
}
