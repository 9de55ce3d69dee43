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

extension FixtureIngestTests {
    /// Expected outcome of each saved-response fixture: `nil` when it is kept as incomplete evidence,
    /// else phrases its refusal must contain.
    static let responseFiles: [(String, [String]?)] = [
        ("all-types-nulls.json", ["without Key Vault data", "DateTime, Bool, Guid"]),
        ("all-types.json", ["without Key Vault data", "DateTime, Bool, Guid"]),
        ("batch-mixed-out-of-order.json", nil),
        ("batch-partial-item-headers.json", ["$batch response without Key Vault data", "SYN0002"]),
        ("empty-with-stats-render.json", ["without Key Vault data", "41 columns"]),
        ("entra-token-error-401.json", ["Entra ID token error", "invalid_client", "AADSTS7000215"]),
        ("gateway-timeout-504.json", ["error response", "GatewayTimeout", "ADX query timed out"]),
        ("getschema.json", ["without Key Vault data", "'getschema'"]),
        ("handwritten-grafana-all-types-extremes.json", ["without Key Vault data", "XBool"]),
        ("handwritten-grafana-real-nan-inf.json", ["without Key Vault data", "XInf"]),
        ("multi-row-100.json", ["without Key Vault data"]),
        ("partial-error-datasize-dynamic-strings.json", nil),
        ("partial-error-overflow.json", nil),
        ("partial-error-truncated.json", nil),
        ("path-not-found-404.json", ["error response", "PathNotFoundError", "The requested path does not exist"]),
        ("print-types-datetime-no-fraction.json", ["without Key Vault data", "stringcolumn"]),
        ("semantic-error-400.json", ["BadArgumentError → SemanticError → SEM0100", "'AppInsights'"]),
        ("syntax-error-400.json", ["SYN0002", "Query could not be parsed at 'a' on line [1,4]"]),
        ("thirdparty-azkv-table-missing-sem0100-400.json", ["SEM0100", "'AZKVAuditLogs'"]),
        ("thirdparty-workspace-not-found-404.json", ["WorkspaceNotFoundError", "could not be found"]),
        ("wide-resource-query.json", ["without Key Vault data", "$table 'AzureActivity'"]),
    ]

    @Test func `the fixture table lists every saved response file`() {
        #expect(Fixtures.jsonFiles(in: "la-responses") == Self.responseFiles.map(\.0).sorted())
    }

    @Test(arguments: responseFiles)
    func `every saved response is refused precisely or kept as incomplete evidence`(
        file: String, phrases: [String]?
    ) throws {
        let workspace = try Workspace.inMemory()
        let path = Fixtures.response(file)
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.totalRows == 0)
        guard let phrases else {
            #expect(summary.files.map(\.outcome) == [.ingested])
            #expect(summary.files.first?.isIncompleteEvidence == true)
            #expect(summary.rejected.isEmpty)
            let evidence = try workspace.incompleteEvidence()
            #expect(!evidence.isEmpty && evidence.allSatisfy { $0.file == path })
            #expect(evidence.contains { $0.errorJSON.contains("PartialError") || $0.errorJSON.contains("SEM0100") })
            return
        }
        #expect(summary.rejected.count == 1)
        let problem = try #require(summary.rejected.first)
        #expect(problem.file == path && problem.line == nil)
        for phrase in phrases { #expect(problem.reason.contains(phrase), "\(problem.reason)") }
        #expect(try workspace.tableNames().isEmpty)
        #expect(try workspace.sourceFiles().isEmpty)
        #expect(try workspace.incompleteEvidence().isEmpty)
    }

    @Test func `a partial result names its truncation and the limit that caused it`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.response("partial-error-truncated.json")])
        let evidence = try #require(try workspace.incompleteEvidence().first)
        #expect(evidence.message.hasPrefix("PartialError → EngineError → -2133196797: "))
        #expect(evidence.message.contains("record count limit 1 (E_QUERY_RESULT_SET_TOO_LARGE"))
        let error = try JSONParser.parse(evidence.errorJSON)
        #expect(error["code"]?.stringValue == "PartialError")
    }

    @Test func `Sekoia lines keep HTTP 403 under ResultType Success and the duplicate line`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("pt1h-jsonlines-sekoia-2024.json")])
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        #expect(table.count == 30)
        // Line 20 is secret_get_1: a 403 RBAC refusal logged as ResultType "Success".
        #expect(table[19]["OperationName"] == .string("SecretGet"))
        #expect(table[19]["httpStatusCode_d"] == .real(403))
        #expect(table[19]["ResultType"] == .string("Success"))
        #expect(table[19]["ResultSignature"] == .string("Forbidden"))
        #expect(table[19]["isRbacAuthorized_b"] == .bool(false))
        let forbidden = table.filter { $0["httpStatusCode_d"] == .real(403) }
        #expect(forbidden.count == 6 && forbidden.allSatisfy { $0["ResultType"] == .string("Success") })
        // Line 7 is a byte-identical copy of line 6: both rows are kept, as Log Analytics keeps them.
        #expect(table[5] == table[6])
        // User tokens carry an empty perimeter claim, which Log Analytics stores as the text "[]".
        #expect(table[0]["identity_claim_xms_az_nwperimid_s"] == .string("[]"))
        #expect(table[0]["identity_claim_upn_s"] == .string("user3@contoso.onmicrosoft.com"))
        #expect(table[0]["DurationMs"] == .long(575))
        #expect(table[0]["TimeGenerated"] == .datetime(DateTime(iso8601: "2024-04-03T14:03:10.7886260Z")!))
        #expect(table[0]["Resource"] == .string("TESTPERMISSIONVAULT"))
        #expect(table[0]["certificatePolicyProperties_keyProperties_size_d"] == .real(2048))
    }

    @Test func `the PT1H JSON Lines and the legacy envelope of the same events give identical rows`() throws {
        let lines = try Workspace.inMemory()
        let envelope = try Workspace.inMemory()
        let linesSummary = try lines.ingest(paths: [Fixtures.record("pt1h-jsonlines-blob-format-doc.json")])
        let envelopeSummary = try envelope.ingest(paths: [
            Fixtures.record("legacy-records-envelope-blob-format-doc.json")
        ])
        #expect(linesSummary.files.first?.shape == .jsonLines)
        #expect(envelopeSummary.files.first?.shape == .recordsEnvelope)
        #expect(try lines.schema(of: "AzureDiagnostics") == envelope.schema(of: "AzureDiagnostics"))
        let fromLines = try rows(of: "AzureDiagnostics", in: lines)
        #expect(fromLines.count == 2)
        #expect(fromLines == (try rows(of: "AzureDiagnostics", in: envelope)))
    }

    @Test func `the Key Vault logging doc record maps every top-level field to its fixed column`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("legacy-records-envelope-keyvault-logging-doc.json")])
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        let id =
            "/SUBSCRIPTIONS/AAAA0A0A-BB1B-CC2C-DD3D-EEEEEE4E4E4E/RESOURCEGROUPS/CONTOSOGROUP/PROVIDERS/"
            + "MICROSOFT.KEYVAULT/VAULTS/CONTOSOKEYVAULT"
        #expect(row["ResourceId"] == .string(id))
        #expect(row["_ResourceId"] == .string(id.lowercased()))
        #expect(row["SubscriptionId"] == .string("aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e"))
        #expect(row["ResourceGroup"] == .string("CONTOSOGROUP"))
        #expect(row["ResourceProvider"] == .string("MICROSOFT.KEYVAULT"))
        #expect(row["ResourceType"] == .string("VAULTS"))
        #expect(row["Resource"] == .string("CONTOSOKEYVAULT"))
        #expect(row["DurationMs"] == .long(78))
        #expect(row["CorrelationId"] == .string(""))
        #expect(row["CallerIPAddress"] == .string("198.51.100.76"))
        #expect(row["OperationVersion"] == .string("2015-06-01"))
        #expect(row["Category"] == .string("AuditEvent"))
        #expect(row["Type"] == .string("AzureDiagnostics"))
        #expect(row["SourceSystem"] == .string("Azure"))
        #expect(row["AdditionalFields"] == .null)
        #expect(row["clientInfo_s"] == .string("azure-resource-manager/2.0"))
        #expect(
            row["identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g"]
                == .guid(UUID(uuidString: "00000000-0000-0000-0000-000000000101")!))
        #expect(
            row["identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"]
                == .string("live.com#user2@contoso.com"))
    }

    @Test func `a Managed HSM record with a JSON-encoded identity and top-level properties is flattened`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("managed-hsm-backupcreate-array-identity-string-doc.json")])
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        #expect(
            row["identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g"]
                == .guid(UUID(uuidString: "00000000-0000-0000-0000-000000000134")!))
        #expect(
            row["identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"]
                == .string("admin@contoso.com"))
        #expect(row["DurationMs"] == .long(488))
        #expect(row["httpStatusCode_d"] == .real(202))
        #expect(row["subnetId_s"] == .string("(unknown)"))
        #expect(row["PoolName_s"] == .string("mhsmdemo"))
        #expect(row["TenantId"] == .string("00000000-0000-0000-0000-000000000131"))
        #expect(row["ResourceType"] == .string("MANAGEDHSMS"))
        #expect(row["Resource"] == .string("CONTOSOMHSM"))
        #expect(row["ResourceGroup"] == .string("CONTOSORESOURCEGROUP"))
        #expect(row["TimeGenerated"] == .datetime(DateTime(iso8601: "2020-08-31T19:52:39.763Z")!))
        #expect(try columnNames(of: "AzureDiagnostics", in: workspace).contains("identity_s") == false)
    }

    @Test func `a plain-string identity is kept as identity_s and an empty identity makes no column`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("synthetic-otel-records-identity-as-string.json")])
        #expect(try rows(of: "AzureDiagnostics", in: workspace).first?["identity_s"] == .string("Contoso User"))
        let empty = try Workspace.inMemory()
        _ = try empty.ingest(paths: [Fixtures.record("raw-authentication-401-empty-identity.json")])
        #expect(try columnNames(of: "AzureDiagnostics", in: empty).allSatisfy { !$0.hasPrefix("identity") })
        #expect(try rows(of: "AzureDiagnostics", in: empty).first?["httpStatusCode_d"] == .real(401))
    }

    @Test func `an App Service identity's mirid and an unhyphenated assignment id keep their Log Analytics form`()
        throws
    {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("fictional-lab-secretget-msi-xms-mirid.json")])
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        #expect(
            row["identity_claim_xms_mirid_s"]
                == .string(
                    "/subscriptions/00000000-0000-0000-0000-0000000001d1/resourcegroups/ContosoTwo_AZURE/providers/"
                        + "Microsoft.Web/sites/contoso-internal"))
        #expect(row["appliedAssignmentId_g"] == .guid(UUID(uuidString: "7e9d4c10-58f8-e4f0-887c-30b45f63aef1")!))
        #expect(row["DurationMs"] == .long(89))
        #expect(row["isRbacAuthorized_b"] == .bool(true))
    }

    @Test func `an AzureDiagnostics row keeps its columns and types and gains the derived resource columns`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [Fixtures.record("azurediagnostics-row-secretget.json")])
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        #expect(row["identity_claim_xms_az_nwperimid_s"] == .string("[]"))
        #expect(row["httpStatusCode_d"] == .real(200))
        #expect(row["DurationMs"] == .long(16))
        #expect(row["isAccessPolicyMatch_b"] == .bool(true))
        #expect(row["identity_claim_oid_g"] == .guid(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!))
        #expect(row["TimeGenerated"] == .datetime(DateTime(iso8601: "2025-01-07T20:00:00.0483028Z")!))
        #expect(row["SourceSystem"] == .string(""))
        let schema = try #require(try workspace.schema(of: "AzureDiagnostics"))
        #expect(schema.contains(Column("identity_claim_appidacr_s", .string)))
        #expect(!schema.contains { $0.name == "identity_claim_xms_mirid_s" })
    }

    @Test func `AZKVAuditLogs rows from a saved response keep Identity as a dynamic bag`() throws {
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [
            Fixtures.record("azkvauditlogs-query-response-keysign-thirdparty-fixture.json")
        ])
        #expect(try workspace.tableNames() == ["AZKVAuditLogs"])
        let schema = try #require(try workspace.schema(of: "AZKVAuditLogs"))
        #expect(schema.contains(Column("Identity", .dynamic)) && schema.contains(Column("HttpStatusCode", .int)))
        #expect(!schema.contains { $0.name == "Nsp" || $0.name == "AddressAuthorizationType" })
        let table = try rows(of: "AZKVAuditLogs", in: workspace)
        #expect(table[1]["HttpStatusCode"] == .int(400))
        #expect(table[1]["ResultType"] == .string("Success"))
        #expect(table[1]["IsAccessPolicyMatch"] == .null)
        #expect(table[1]["IsRbacAuthorized"] == .bool(true))
        guard case .dynamic(let identity)? = table[0]["Identity"] else {
            Issue.record("Identity is not dynamic")
            return
        }
        #expect(identity["claim"]?["xms_az_nwperimid"] == .array([]))
        #expect(identity["claim"]?["unique_name"] == .string("live.com#signer@example.com"))
        #expect(table[2]["TimeGenerated"] == .datetime(DateTime(iso8601: "2026-10-02T08:00:00.1234567Z")!))
    }

    @Test func `the whole public fixture tree ingests in one run, directories walked recursively`() throws {
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [Fixtures.publicRoot])
        #expect(summary.files.count == 35)
        #expect(!summary.files.contains { $0.path.hasSuffix(".md") })
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 48, "AZKVAuditLogs": 3])
        #expect(summary.files.filter(\.isIncompleteEvidence).count == 4)
        #expect(summary.rejected.count == 17 && summary.rejected.allSatisfy { $0.file.contains("/la-responses/") })
        #expect(try workspace.sourceFiles().count == 18)
    }
}

extension FixtureIngestTests {
    @Test func `the summary text counts files and rows and lists every refusal`() throws {
        let workspace = try Workspace.inMemory()
        let good = Fixtures.record("pt1h-jsonlines-blob-format-doc.json")
        _ = try workspace.ingest(paths: [good])
        let summary = try workspace.ingest(paths: [
            good, Fixtures.record("raw-authentication-401-empty-identity.json"),
            Fixtures.response("syntax-error-400.json"), Fixtures.response("partial-error-overflow.json"),
        ])
        let lines = summary.description.split(separator: "\n").map(String.init)
        #expect(lines.first == "ingested 2 files (1 duplicate skipped, 1 refused): 1 rows to AzureDiagnostics")
        #expect(lines.contains { $0.hasPrefix("rejected: ") && $0.contains("syntax-error-400.json: ") })
        #expect(lines.contains { $0.hasPrefix("incomplete: ") && $0.contains("E_OVERFLOW") })
        #expect(lines.contains { $0.hasPrefix("warning: ") && $0.contains("no Key Vault rows") })
    }
}
