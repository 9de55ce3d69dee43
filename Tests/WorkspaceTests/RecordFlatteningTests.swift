/// Tests of how raw records become AzureDiagnostics columns: names, suffixes, conversions and limits.

import Foundation
import TableModel
import Testing

@testable import Workspace

struct RecordFlatteningTests {
    /// A minimal Key Vault record as one JSON line, with `extra` spliced into it.
    static func record(
        time: String = "2024-05-01T10:00:00.1234567Z", operation: String = "KeyGet", _ extra: String = ""
    )
        -> String
    {
        let id =
            "/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000000AA/RESOURCEGROUPS/RG/PROVIDERS/"
            + "MICROSOFT.KEYVAULT/VAULTS/CMKVAULT"
        return "{\"time\":\"\(time)\",\"resourceId\":\"\(id)\",\"operationName\":\"\(operation)\","
            + "\"resultType\":\"Success\"\(extra.isEmpty ? "" : "," + extra)}"
    }

    /// Ingests `lines` as one JSON Lines file into a fresh workspace.
    static func ingest(_ lines: [String], columnLimit: Int = 500) throws -> (Workspace, IngestSummary) {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(lines.joined(separator: "\n") + "\n", to: "PT1H.json", in: directory)
        let workspace = try Workspace(path: directory + "/w.sqlite", columnLimit: columnLimit)
        return (workspace, try workspace.ingest(paths: [path]))
    }

    @Test func `lower-case keys read exactly like camel-case ones`() throws {
        let camel =
            "{\"time\":\"2024-05-01T10:00:00Z\",\"resourceId\":\"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/"
            + "MICROSOFT.KEYVAULT/VAULTS/V1\",\"operationName\":\"KeyUnwrap\",\"resultSignature\":\"OK\","
            + "\"durationMs\":\"12\",\"callerIpAddress\":\"10.0.0.4\",\"identity\":{\"claim\":{\"xms_mirid\":\"/x\","
            + "\"xms_az_nwperimid\":[]}},\"properties\":{\"httpStatusCode\":200,\"requestUri\":\"https://v1/\"}}"
        let lower =
            "{\"TIME\":\"2024-05-01T10:00:00Z\",\"resourceid\":\"/subscriptions/s1/resourcegroups/rg/providers/"
            + "microsoft.keyvault/vaults/v1\",\"operationname\":\"KeyUnwrap\",\"resultsignature\":\"OK\","
            + "\"durationms\":\"12\",\"calleripaddress\":\"10.0.0.4\",\"Identity\":{\"Claim\":{\"XMS_MIRID\":\"/x\","
            + "\"xms_az_nwperimid\":[]}},\"Properties\":{\"httpstatuscode\":200,\"requesturi\":\"https://v1/\"}}"
        let (first, _) = try Self.ingest([camel])
        let (second, _) = try Self.ingest([lower])
        #expect(try first.schema(of: "AzureDiagnostics") == second.schema(of: "AzureDiagnostics"))
        let row = try #require(try rows(of: "AzureDiagnostics", in: second).first)
        #expect(try rows(of: "AzureDiagnostics", in: first).first == row)
        #expect(row["OperationName"] == .string("KeyUnwrap"))
        #expect(row["Resource"] == .string("V1"))
        #expect(row["DurationMs"] == .long(12))
        #expect(row["CallerIPAddress"] == .string("10.0.0.4"))
        #expect(row["identity_claim_xms_mirid_s"] == .string("/x"))
        #expect(row["httpStatusCode_d"] == .real(200))
    }

    @Test func `a time without a zone is UTC whatever the local time zone`() throws {
        setenv("TZ", "Europe/London", 1)
        tzset()
        defer {
            unsetenv("TZ")
            tzset()
        }
        let (workspace, summary) = try Self.ingest([
            Self.record(time: "2024-07-01T12:00:00"), Self.record(time: "2024-07-01T14:00:00+02:00"),
        ])
        #expect(summary.rejected.isEmpty)
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        let noon = try #require(DateTime.from(year: 2024, month: 7, day: 1, hour: 12))
        #expect(table.map { $0["TimeGenerated"] } == [.datetime(noon), .datetime(noon)])
    }

    @Test func `value suffixes follow the value and GUIDs are normalized`() throws {
        let extra =
            "\"identity\":{\"claim\":{\"oid\":\"A1B2C3D4E5F60718293A4B5C6D7E8F90\",\"appid\":"
            + "\"{0A1B2C3D-0000-4000-8000-00000000000F}\","
            + "\"xms_az_nwperimid\":[\"11111111-2222-3333-4444-555555555555\"],"
            + "\"http://schemas.microsoft.com/identity/claims/scope\":\"user_impersonation\"}},"
            + "\"properties\":{\"isRbacAuthorized\":true,\"keyProperties\":{\"operations\":[\"wrapKey\",\"unwrapKey\"],"
            + "\"size\":2048,\"attributes\":{\"created\":\"2024-01-01T00:00:00Z\",\"recoveryLevel\":null}},"
            + "\"networkAcls\":null,\"empty\":{}}"
        let (workspace, _) = try Self.ingest([Self.record(extra)])
        let schema = try #require(try workspace.schema(of: "AzureDiagnostics"))
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        #expect(row["identity_claim_oid_g"] == .guid(UUID(uuidString: "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90")!))
        #expect(row["identity_claim_appid_g"] == .guid(UUID(uuidString: "0a1b2c3d-0000-4000-8000-00000000000f")!))
        #expect(row["identity_claim_xms_az_nwperimid_s"] == .string("[\"11111111-2222-3333-4444-555555555555\"]"))
        #expect(
            row["identity_claim_http_schemas_microsoft_com_identity_claims_scope_s"] == .string("user_impersonation"))
        #expect(row["isRbacAuthorized_b"] == .bool(true))
        #expect(row["keyProperties_operations_s"] == .string("[\"wrapKey\",\"unwrapKey\"]"))
        #expect(row["keyProperties_size_d"] == .real(2048))
        #expect(row["keyProperties_attributes_created_t"] == .datetime(DateTime.from(year: 2024, month: 1, day: 1)!))
        #expect(schema.contains(Column("identity_claim_oid_g", .guid)))
        #expect(!schema.contains { $0.name.hasPrefix("networkAcls") || $0.name.contains("recoveryLevel") })
        #expect(!schema.contains { $0.name.hasPrefix("empty") })
    }

    @Test func `a claim no record carried has no column at all`() throws {
        let (workspace, _) = try Self.ingest([Self.record("\"identity\":{\"claim\":{\"xms_az_nwperimid\":[]}}")])
        let names = try columnNames(of: "AzureDiagnostics", in: workspace)
        #expect(names.contains("identity_claim_xms_az_nwperimid_s"))
        #expect(!names.contains("identity_claim_xms_mirid_s"))
        #expect(names.contains("AdditionalFields") && names.contains("CallerIPAddress"))
        #expect(try Workspace.inMemory().schema(of: "AzureDiagnostics") == nil)
    }

    @Test func `a value that cannot convert to the existing column makes a second column`() throws {
        let (workspace, summary) = try Self.ingest([
            Self.record("\"properties\":{\"httpStatusCode\":200}"),
            Self.record("\"properties\":{\"httpStatusCode\":\"403\"}"),
            Self.record("\"properties\":{\"httpStatusCode\":\"unknown\"}"),
            Self.record("\"properties\":{\"httpStatusCode\":\"404\"}"),
        ])
        #expect(summary.rejected.isEmpty)
        let schema = try #require(try workspace.schema(of: "AzureDiagnostics"))
        #expect(
            schema.filter { $0.name.hasPrefix("httpStatusCode") }.map(\.name) == [
                "httpStatusCode_d", "httpStatusCode_s",
            ])
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        // "403" converts to the existing real column; "unknown" cannot, so it makes a string column,
        // which from then on takes the string values.
        #expect(table.map { $0["httpStatusCode_d"] } == [.real(200), .real(403), .null, .null])
        #expect(table.map { $0["httpStatusCode_s"] } == [.string(""), .string(""), .string("unknown"), .string("404")])
    }

    @Test func `a duration that is not a number is kept as durationMs_s`() throws {
        let (workspace, _) = try Self.ingest([
            Self.record("\"durationMs\":\"fast\""), Self.record("\"durationMs\":7.0"),
        ])
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        #expect(table[0]["DurationMs"] == .null && table[0]["durationMs_s"] == .string("fast"))
        #expect(table[1]["DurationMs"] == .long(7))
    }

    @Test func `past the column limit new fields go into AdditionalFields`() throws {
        let fixed = WorkspaceTables.azureDiagnosticsFixed.count
        let many = (1...6).map { "\"f\($0)\":\"v\($0)\"" }.joined(separator: ",")
        let (workspace, summary) = try Self.ingest(
            [
                Self.record("\"properties\":{\(many)}"),
                Self.record("\"properties\":{\"f1\":\"again\",\"httpStatusCode\":200}"),
            ], columnLimit: fixed + 4)
        #expect(summary.rejected.isEmpty)
        let schema = try #require(try workspace.schema(of: "AzureDiagnostics"))
        #expect(schema.count == fixed + 4)
        #expect(Array(schema.suffix(4).map(\.name)) == ["f1_s", "f2_s", "f3_s", "f4_s"])
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        #expect(table[0]["f4_s"] == .string("v4"))
        #expect(table[0]["AdditionalFields"] == .dynamic(.object(["f5_s": .string("v5"), "f6_s": .string("v6")])))
        #expect(table[1]["f1_s"] == .string("again"))
        #expect(table[1]["AdditionalFields"] == .dynamic(.object(["httpStatusCode_d": .long(200)])))
    }

    @Test func `a record without a usable time is rejected with its line and the others are kept`() throws {
        let (workspace, summary) = try Self.ingest([
            Self.record(), "{\"resourceId\":\"/x\",\"operationName\":\"KeyGet\"}", "{\"time\":",
            Self.record(time: "yesterday"), "", Self.record(operation: "KeyWrap"),
        ])
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 2])
        #expect(summary.rejected.map(\.line) == [2, 3, 4])
        #expect(summary.rejected[0].reason.contains("no 'time' field"))
        #expect(summary.rejected[1].reason.hasPrefix("invalid JSON at column"))
        #expect(summary.rejected[2].reason.contains("\"yesterday\" is not an ISO 8601"))
        #expect(summary.rejected.allSatisfy { $0.file.hasSuffix("/PT1H.json") })
        let operations = try rows(of: "AzureDiagnostics", in: workspace).map { $0["OperationName"] }
        #expect(operations == [.string("KeyGet"), .string("KeyWrap")])
        #expect(try workspace.sourceFiles().first?.rejectedRecords == 3)
    }
}

extension RecordFlatteningTests {
    @Test func `properties written as JSON text are flattened like an object`() throws {
        let (workspace, _) = try Self.ingest([Self.record("\"properties\":\"{\\\"httpStatusCode\\\":204}\"")])
        let row = try #require(try rows(of: "AzureDiagnostics", in: workspace).first)
        #expect(row["httpStatusCode_d"] == .real(204))
        #expect(try !columnNames(of: "AzureDiagnostics", in: workspace).contains("properties_s"))
    }
}

extension RecordFlatteningTests {
    @Test(arguments: [
        // properties and Properties with different routes.
        #""properties":{"addrAuthType":"PublicIP"},"Properties":{"addrAuthType":"TrustedService"}"#,
        // The same claim under two casings, one empty.
        #""identity":{"claim":{"xms_az_nwperimid":[]}},"Identity":{"claim":{"XMS_AZ_NWPERIMID":["p"]}}"#,
        // A top-level field and the same one under properties.
        #""addrAuthType":"TrustedService","properties":{"addrAuthType":"PublicIP"}"#,
    ])
    func `a record that gives one column two values is refused, whichever key comes first`(extra: String) throws {
        let (workspace, summary) = try Self.ingest([Self.record(), Self.record(operation: "KeyUnwrap", extra)])
        #expect(summary.rejected.map(\.line) == [2])
        #expect(summary.rejected.first?.reason.contains("two different values") == true, "\(summary.rejected)")
        #expect(try rows(of: "AzureDiagnostics", in: workspace).count == 1)
        #expect(try workspace.sourceFiles().first?.rejectedRecords == 1)
    }

    @Test func `the same value under two spellings of one field is one value, not a contradiction`() throws {
        let extra = #""properties":{"addrAuthType":"PrivateLink"},"Properties":{"addrAuthType":"PrivateLink"}"#
        let (workspace, summary) = try Self.ingest([Self.record(operation: "KeyUnwrap", extra)])
        #expect(summary.rejected.isEmpty)
        #expect(try rows(of: "AzureDiagnostics", in: workspace).first?["addrAuthType_s"] == .string("PrivateLink"))
    }
}

extension RecordFlatteningTests {
    @Test func `a saved response's rows are routed by a Type in any case or spacing, others noted`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let row = { (type: String, operation: String) in
            #"["2026-11-02T09:30:00Z","/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV","#
                + #""KV","\#(operation)","\#(type)"]"#
        }
        let body =
            #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},"#
            + #"{"name":"ResourceId","type":"string"},{"name":"Resource","type":"string"},"#
            + #"{"name":"OperationName","type":"string"},{"name":"Type","type":"string"}],"rows":["#
            + [
                row("AzureDiagnostics", "KeyGet"), row("azurediagnostics", "KeyUnwrap"),
                row(" AzureDiagnostics ", "KeyWrap"),
                row("SigninLogs", "Sign-in"),
            ].joined(separator: ",") + "]}]}"
        let path = try Fixtures.write(body, to: "response.json", in: directory)
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let summary = try workspace.ingest(paths: [path])
        let operations = try rows(of: "AzureDiagnostics", in: workspace).map { $0["OperationName"] }
        #expect(operations == [.string("KeyGet"), .string("KeyUnwrap"), .string("KeyWrap")])
        #expect(summary.warnings.map(\.reason).contains { $0.contains("1 rows of table 'PrimaryResult'") })
    }
}
