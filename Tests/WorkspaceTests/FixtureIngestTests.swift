/// Tests that every public fixture file is ingested, or refused with a precise reason.

import Foundation
import TableModel
import Testing

@testable import Workspace

struct FixtureIngestTests {
    /// Expected outcome of each fixture: the table and row count it adds, or a phrase of its refusal.
    static let keyVaultRecordFiles: [(String, String, Int)] = [
        ("azkvauditlogs-query-response-keysign-thirdparty-fixture.json", "AZKVAuditLogs", 3),
        ("azurediagnostics-row-secretget.json", "AzureDiagnostics", 1),
        ("azurediagnostics-rows-vaultget-arg-value-envelope.json", "AzureDiagnostics", 1),
        ("fictional-lab-secretget-msi-xms-mirid.json", "AzureDiagnostics", 1),
        ("legacy-records-envelope-blob-format-doc.json", "AzureDiagnostics", 2),
        ("legacy-records-envelope-keyvault-logging-doc.json", "AzureDiagnostics", 1),
        ("managed-hsm-backupcreate-array-identity-string-doc.json", "AzureDiagnostics", 1),
        ("pt1h-jsonlines-2022-user-token-no-nwperimid.json", "AzureDiagnostics", 5),
        ("pt1h-jsonlines-blob-format-doc.json", "AzureDiagnostics", 2),
        ("pt1h-jsonlines-secretget-app-token.json", "AzureDiagnostics", 1),
        ("pt1h-jsonlines-sekoia-2024.json", "AzureDiagnostics", 30),
        ("raw-authentication-401-empty-identity.json", "AzureDiagnostics", 1),
        ("synthetic-otel-records-identity-as-object.json", "AzureDiagnostics", 1),
        ("synthetic-otel-records-identity-as-string.json", "AzureDiagnostics", 1),
    ]

    @Test func `the fixture table lists every Key Vault record file`() {
        #expect(Fixtures.jsonFiles(in: "keyvault-records") == Self.keyVaultRecordFiles.map(\.0).sorted())
    }

    @Test(arguments: keyVaultRecordFiles)
    func `every Key Vault record file is ingested whole`(file: String, table: String, count: Int) throws {
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [Fixtures.record(file)])
        #expect(summary.rejected.isEmpty)
        #expect(summary.files.map(\.outcome) == [.ingested])
        #expect(summary.rowsPerTable == [table: count])
        #expect(try rows(of: table, in: workspace).count == count)
    }
}
