/// Runs the shipped Key Vault queries (Queries/*.kql) unchanged over small in-memory tables.

import Foundation
import KQLEngine
import TableModel
import Testing

struct ShippedQueriesTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func query(_ name: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("Queries/\(name)"), encoding: .utf8)
    }

    static func time(_ text: String) -> DateTime { DateTime(iso8601: text)! }

    static func column(_ table: Table, _ name: String) -> [Value] {
        let index = table.columnIndex(name)!
        return table.rows.map { $0[index] }
    }

    /// AzureDiagnostics where the claim columns exist as typed-suffix columns.
    static let diagnosticsWithClaims = Table(
        name: "AzureDiagnostics",
        columns: [
            Column("TimeGenerated", .datetime), Column("ResourceProvider", .string), Column("OperationName", .string),
            Column("ResourceId", .string), Column("Resource", .string), Column("ResultType", .string),
            Column("ResultSignature", .string), Column("CallerIPAddress", .string), Column("CorrelationId", .string),
            Column("requestUri_s", .string), Column("id_s", .string), Column("identity_claim_xms_mirid_s", .string),
            Column("identity_claim_xms_az_nwperimid_s", .string), Column("identity_claim_oid_g", .guid),
            Column("httpStatusCode_d", .real), Column("isAddressAuthorized_b", .bool),
            Column("AdditionalFields", .dynamic),
        ],
        rows: [
            [
                .datetime(time("2026-05-01T10:00:02Z")), .string("MICROSOFT.KEYVAULT"), .string("KeyUnwrap"),
                .string("/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv1"), .string("KV1"),
                .string("Success"), .string("OK"), .string("10.0.0.4"), .string("c-2"), .string("https://kv1/keys/k"),
                .string("https://kv1/keys/k/1"), .string("/subscriptions/s/ep/policy1"), .string("[\"p-1\"]"),
                .guid(UUID(uuidString: "11111111-2222-3333-4444-555555555555")!), .real(200), .bool(true),
                .dynamic(.object([:])),
            ],
            [
                .datetime(time("2026-05-01T10:00:01Z")), .string("Microsoft.KeyVault"), .string("KeyWrap"),
                .string("/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv1"), .string("KV1"),
                .string("Success"), .string("Forbidden"), .string("20.1.1.1"), .string("c-1"), .string(""),
                .string(""), .string(""), .string("[]"), .null, .real(403), .null,
                .dynamic(.object(["addrAuthType": .string("Public")])),
            ],
            [
                .datetime(time("2026-05-01T10:00:03Z")), .string("MICROSOFT.KEYVAULT"), .string("SecretGet"),
                .string("x"), .string("KV1"), .string("Success"), .string("OK"), .string(""), .string(""), .string(""),
                .string(""), .string(""), .string(""), .null, .real(200), .null, .dynamic(.null),
            ],
            [
                .datetime(time("2026-05-01T10:00:04Z")), .string("MICROSOFT.STORAGE"), .string("KeyGet"),
                .string("x"), .string("ST"), .string("Success"), .string("OK"), .string(""), .string(""), .string(""),
                .string(""), .string(""), .string(""), .null, .real(200), .null, .dynamic(.null),
            ],
        ])

    /// AzureDiagnostics after the 500-column limit: claims only inside AdditionalFields.
    static let diagnosticsSpilled = Table(
        name: "AzureDiagnostics",
        columns: [
            Column("TimeGenerated", .datetime), Column("ResourceProvider", .string), Column("OperationName", .string),
            Column("ResourceId", .string), Column("Resource", .string), Column("ResultType", .string),
            Column("ResultSignature", .string), Column("AdditionalFields", .dynamic),
        ],
        rows: [
            [
                .datetime(time("2026-05-01T11:00:00Z")), .string("MICROSOFT.KEYVAULT"), .string("KeyGet"),
                .string("/SUBS/VAULTS/KV2"), .string("kv2"), .string("Success"), .string("OK"),
                .dynamic(
                    .object([
                        "httpStatusCode": .long(200), "identity_claim_xms_mirid": .string("/ep/policy2"),
                        "identity_claim_xms_az_nwperimid": .string("[\"p-2\"]"),
                        "requestUri_s": .string("https://kv2/k"),
                    ])),
            ]
        ])

    @Test func `the AzureDiagnostics query keeps key operations of Key Vault, sorted by time`() throws {
        let engine = KQLEngine(tables: InMemoryTables([Self.diagnosticsWithClaims]))
        let result = try engine.run(try Self.query("keyvault-key-access.kql"))
        #expect(result.count == 1)
        let table = result[0]
        #expect(table.name == "PrimaryResult")
        #expect(table.columns.map(\.name).prefix(4) == ["TimeGenerated", "SourceTable", "ResourceId", "Vault"])
        #expect(table.columns.first { $0.name == "HttpStatus" }?.type == .long)
        #expect(table.columns.first { $0.name == "IsAddressAuthorized" }?.type == .string)
        #expect(Self.column(table, "OperationName") == [.string("KeyWrap"), .string("KeyUnwrap")])
        #expect(Self.column(table, "HttpStatus") == [.long(403), .long(200)])
        #expect(Self.column(table, "PerimeterClaim") == [.string("[]"), .string("[\"p-1\"]")])
        #expect(Self.column(table, "AddressAuthorizationType") == [.string("Public"), .string("")])
        #expect(Self.column(table, "ObjectId") == [.string(""), .string("11111111-2222-3333-4444-555555555555")])
        #expect(Self.column(table, "IsAddressAuthorized") == [.string(""), .string("True")])
        #expect(Self.column(table, "ResultDescription") == [.string(""), .string("")])
        #expect(
            Self.column(table, "ResourceId")[0]
                == .string(
                    "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1"))
    }

    @Test func `the AzureDiagnostics query reads spilled claims from AdditionalFields when columns are absent`() throws
    {
        let engine = KQLEngine(tables: InMemoryTables([Self.diagnosticsSpilled]))
        let table = try engine.run(try Self.query("keyvault-key-access.kql"))[0]
        #expect(table.rows.count == 1)
        #expect(Self.column(table, "HttpStatus") == [.long(200)])
        #expect(Self.column(table, "EnterprisePolicyClaim") == [.string("/ep/policy2")])
        #expect(Self.column(table, "PerimeterClaim") == [.string("[\"p-2\"]")])
        #expect(Self.column(table, "RequestUri") == [.string("https://kv2/k")])
        #expect(Self.column(table, "CallerIp") == [.string("")])
        #expect(Self.column(table, "IsAddressAuthorized") == [.string("")])
    }

    @Test func `the AzureDiagnostics query honours the time window`() throws {
        let engine = KQLEngine(tables: InMemoryTables([Self.diagnosticsWithClaims]))
        let window = ClosedOpenWindow(from: Self.time("2026-05-01T10:00:02Z"), to: Self.time("2026-05-01T10:00:03Z"))
        let table = try engine.run(try Self.query("keyvault-key-access.kql"), window: window)[0]
        #expect(Self.column(table, "OperationName") == [.string("KeyUnwrap")])
    }

    static let audit = Table(
        name: "AZKVAuditLogs",
        columns: [
            Column("TimeGenerated", .datetime), Column("OperationName", .string), Column("_ResourceId", .string),
            Column("ResultType", .string), Column("ResultSignature", .string), Column("HttpStatusCode", .int),
            Column("CallerIpAddress", .string), Column("Identity", .dynamic), Column("Properties", .dynamic),
        ],
        rows: [
            [
                .datetime(time("2026-05-02T09:00:00Z")), .string("KeyUnwrap"),
                .string("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv3"),
                .string("Success"), .string("OK"), .int(200), .string("10.1.2.3"),
                .dynamic(
                    .object([
                        "claim": .object([
                            "xms_mirid": .string("/ep/policy3"), "xms_az_nwperimid": .array([.string("p-3")]),
                            "http://schemas.microsoft.com/identity/claims/objectidentifier": .string("oid-3"),
                            "appid": .string("app-3"),
                        ])
                    ])),
                .dynamic(.object(["privateEndpointId": .string("/pe/1")])),
            ],
            [
                .datetime(time("2026-05-02T08:00:00Z")), .string("VaultGet"), .string("/x/vaults/kv3"),
                .string("Success"), .string("OK"), .int(200), .string(""), .dynamic(.null), .dynamic(.null),
            ],
        ])

    @Test func `the AZKVAuditLogs query reads claims from the dynamic Identity column`() throws {
        let engine = KQLEngine(tables: InMemoryTables([Self.audit]))
        let table = try engine.run(try Self.query("keyvault-key-access-azkvauditlogs.kql"))[0]
        #expect(table.rows.count == 1)
        #expect(Self.column(table, "Vault") == [.string("KV3")])
        #expect(Self.column(table, "HttpStatus") == [.long(200)])
        #expect(table.columns.first { $0.name == "HttpStatus" }?.type == .long)
        #expect(Self.column(table, "PerimeterClaim") == [.string("[\"p-3\"]")])
        #expect(Self.column(table, "ObjectId") == [.string("oid-3")])
        #expect(Self.column(table, "PrivateEndpointId") == [.string("/pe/1")])
        #expect(Self.column(table, "CallerIp") == [.string("10.1.2.3")])
        #expect(Self.column(table, "KeyId") == [.string("")])
    }

    @Test func `a table that does not exist is a SEM0100 error`() throws {
        let engine = KQLEngine(tables: InMemoryTables([]))
        #expect(throws: KQLError.unknownTable("AZKVAuditLogs")) {
            try engine.run(try Self.query("keyvault-key-access-azkvauditlogs.kql"))
        }
    }
}
