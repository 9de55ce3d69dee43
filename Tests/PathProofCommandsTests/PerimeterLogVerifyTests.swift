/// `verify --log-analytics` where NSPAccessLogs exists (it never does in a local workspace: Network
/// Security Perimeter logs are sent by the perimeter's diagnostic setting to Log Analytics only).
/// The loopback stand-in replays the local engine's answers for a field-case workspace, then an
/// NSPAccessLogs schema and rows: a public inbound record for an access's caller contradicts it.

import Foundation
import Testing

@testable import TableModel

struct PerimeterLogVerifyTests {
    static let window = ["--from", "2026-11-02T09:00:00Z", "--to", "2026-11-02T11:00:00Z"]

    /// An NSPAccessLogs query response with one row per (time, category, traffic, caller).
    static func perimeterRows(_ rows: [(String, String, String, String)]) -> String {
        let columns = [
            ("TimeGenerated", "datetime"), ("Category", "string"), ("TrafficType", "string"),
            ("SourceIpAddress", "string"), ("SourcePerimeterGuids", "string"), ("ServiceResourceId", "string"),
        ]
        let table: [String: Any] = [
            "name": "PrimaryResult",
            "columns": columns.map { ["name": $0.0, "type": $0.1] },
            "rows": rows.map {
                [$0.0, $0.1, $0.2, $0.3, "[]", "/subscriptions/x/providers/microsoft.keyvault/vaults/kv-field"]
            },
        ]
        return FieldEvent.text(["tables": [table]])
    }

    @Test func `a public inbound NSP record contradicts one access and a private one corroborates the other`()
        async throws
    {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        let second = FieldEvent(
            time: "2026-11-02T10:20:00Z", callerIp: "20.50.0.10", correlationId: "7c1e0000-0000-0000-0000-000000000602")
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent().raw, second.raw]))
        field.ingest()

        let bodies = field.cli.path("bodies")
        try FileManager.default.createDirectory(atPath: bodies, withIntermediateDirectories: true)
        func save(_ name: String, _ arguments: [String]) throws {
            let result = field.cli.run(
                ["query", "--workspace", field.workspace, "--format", "json"] + Self.window + arguments)
            #expect(result.status == 0, "\(result.err)")
            try result.out.write(toFile: "\(bodies)/\(name).json", atomically: true, encoding: .utf8)
        }
        let queries = CLIHarness.repo("Queries") + "/"
        try save("schema", ["AzureDiagnostics | getschema | project ColumnName"])
        try save("access", ["--file", queries + "keyvault-key-access.kql"])
        try save(
            "count", [try String(contentsOfFile: queries + "keyvault-key-access.kql", encoding: .utf8) + "\n| count"])
        try save("life", ["--file", queries + "keyvault-signs-of-life.kql"])
        try save("config", ["--file", queries + "keyvault-vault-configuration.kql"])
        let missing = CLIHarness.sharedFixtures.appendingPathComponent(
            "la-responses/thirdparty-azkv-table-missing-sem0100-400.json")
        try FileManager.default.copyItem(atPath: missing.path, toPath: "\(bodies)/sem0100.json")
        let nspSchema = FieldEvent.text([
            "tables": [
                [
                    "name": "getschema", "columns": [["name": "ColumnName", "type": "string"]],
                    "rows": [["TimeGenerated"], ["Category"], ["TrafficType"], ["SourceIpAddress"]],
                ]
            ]
        ])
        try nspSchema.write(toFile: "\(bodies)/nspschema.json", atomically: true, encoding: .utf8)
        try Self.perimeterRows([
            ("2026-11-02T10:00:40Z", "NspPublicInboundResourceRulesAllowed", "Public", "20.50.0.9"),
            ("2026-11-02T10:20:05Z", "NspPrivateInboundAllowed", "Private", "20.50.0.10"),
        ]).write(toFile: "\(bodies)/nsp.json", atomically: true, encoding: .utf8)

        let server = try StandIn(fixtures: bodies)
        defer { server.stop() }
        var harness = field.cli
        harness.extraEnvironment = ["PATHPROOF_ACCESS_TOKEN": "loopback-test-token"]
        let steps = "ok.schema,ok.count,ok.access,status.400.sem0100,ok.life,ok.nspschema,ok.nsp,ok.config"
        let result = await harness.runOnOwnThread(
            [
                "verify", "--log-analytics", "00000000-0000-0000-0000-0000000000aa", "--endpoint",
                server.endpoint(steps), "--credential", "token-env", "--policy", field.policy, "--format", "json",
                "--now", "2026-11-03T00:00:00Z", "--ci", "none",
            ] + Self.window)
        #expect(result.status == 1, "\(result.err)")
        let report = try JSONParser.parse(result.out)
        #expect(report["violations"]?.each("rule") == [.string("perimeter-log-contradicts")])
        #expect(report["violations"]?.items.first?["record"]?["callerIp"] == .string("20.50.0.9"))
        #expect(report["decisions"]?.each("outcome") == [.string("violated"), .string("proven")])
        #expect(report["notes"]?.jsonText.contains("1 of 2 accesses are corroborated by a private NSP record") == true)
        #expect(report["sources"]?.each("table").contains(.string("NSPAccessLogs")) == true)
    }
}
