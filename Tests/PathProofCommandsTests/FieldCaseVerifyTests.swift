/// The field cases of issue #5, end to end: each case is written in its native file shape, read by
/// `pathproof ingest` into a real SQLite workspace, and judged by `pathproof verify` on that file.

import Foundation
import Testing

@testable import TableModel

struct FieldCaseVerifyTests {
    @Test func `one KeyUnwrap as a raw record and as an AzureDiagnostics row is one access, identical fields`()
        throws
    {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        let event = FieldEvent()
        try field.write("PT1H.json", FieldEvent.jsonLines([event.raw]))
        try field.write("row.json", FieldEvent.text(event.diagnosticsRow))
        field.ingest()

        // EventTime is provenance, not a field of the event: the raw record's own time, which a row
        // exported from Log Analytics does not carry.
        let withProvenance = try field.query("keyvault-key-access.kql")
        try #require(withProvenance.count == 2)
        #expect(withProvenance.map { $0["EventTime"] } == [withProvenance[0]["TimeGenerated"], .null])
        let rows = withProvenance.map { row -> Dynamic in
            guard case .object(var cells) = row else { return row }
            cells["EventTime"] = nil
            return .object(cells)
        }
        #expect(rows[0] == rows[1], "\(rows[0].jsonText)\n\(rows[1].jsonText)")
        #expect(rows[0]["PerimeterClaim"] == .string("[\"\(FieldPolicy.perimeter)\"]"))

        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(report["verdict"] == .string("PROVEN"))
        #expect(report["accesses"] == .long(1))
        #expect(report["duplicates"] == .long(1))
    }

    @Test func `a raw record whose keys are all lower case is judged like the camel-case one`() throws {
        var outcomes: [[Dynamic]] = []
        for lower in [false, true] {
            let field = try FieldCaseWorkspace()
            defer { field.cleanUp() }
            var refused = FieldEvent(
                time: "2026-11-02T10:05:00Z", correlationId: "7c1e0000-0000-0000-0000-0000000000b2")
            refused.perimeters = []
            let records = [FieldEvent(), refused].map { lower ? $0.lowerCaseRaw : $0.raw }
            try field.write("PT1H.json", FieldEvent.jsonLines(records))
            field.ingest()
            let (status, report, err) = try field.verify()
            #expect(status == 1, "\(err)")
            outcomes.append(
                [report["verdict"], report["decisions"], report["violations"], report["counts"]].map { $0 ?? .null })
        }
        #expect(outcomes[0] == outcomes[1])
        #expect(outcomes[1][0] == .string("VIOLATED"))
        #expect(outcomes[1][1].each("outcome") == [.string("proven"), .string("violated")])
    }

    @Test func `JSON Lines, a legacy records envelope and Managed HSM records parse to the same fields`() throws {
        let unwrap = FieldEvent()
        let wrap = FieldEvent(
            time: "2026-11-02T10:10:00.5Z", operation: "KeyWrap", correlationId: "7c1e0000-0000-0000-0000-0000000000c2")
        var hsm = [unwrap, wrap]
        for index in hsm.indices { hsm[index].resourceType = "MANAGEDHSMS" }
        let shapes: [(name: String, text: String)] = [
            ("PT1H.json", FieldEvent.jsonLines([unwrap.raw, wrap.raw])),
            ("legacy.json", FieldEvent.envelope([unwrap.raw, wrap.raw])),
            ("hsm.json", "[" + hsm.map { FieldEvent.text($0.managedHSM) }.joined(separator: ",") + "]"),
        ]
        var rowsPerShape: [[Dynamic]] = []
        var decisionsPerShape: [Dynamic] = []
        for shape in shapes {
            let field = try FieldCaseWorkspace()
            defer { field.cleanUp() }
            try field.write(shape.name, shape.text)
            field.ingest()
            // The resource id is the only field that differs: a Managed HSM is another resource type.
            rowsPerShape.append(
                try field.query("keyvault-key-access.kql").map { row in
                    guard case .object(var cells) = row else { return row }
                    cells["ResourceId"] = nil
                    return .object(cells)
                })
            let (status, report, err) = try field.verify()
            #expect(status == 0, "\(shape.name): \(err)")
            decisionsPerShape.append(report["decisions"] ?? .null)
        }
        #expect(rowsPerShape[0].count == 2)
        #expect(rowsPerShape[0] == rowsPerShape[1])
        #expect(rowsPerShape[0] == rowsPerShape[2], "\(rowsPerShape[2].map(\.jsonText))")
        #expect(decisionsPerShape[0] == decisionsPerShape[1])
        #expect(decisionsPerShape[0] == decisionsPerShape[2])
        #expect(decisionsPerShape[0].items.count == 2)
    }

    @Test func `a TimeGenerated without a zone is UTC on a machine set to Europe/London`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        // British Summer Time: read as local time, 10:30 would become 09:30 UTC and leave the window.
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent(time: "2026-07-02T10:30:00").raw]))
        let row = FieldEvent(time: "2026-07-02T10:40:00", correlationId: "7c1e0000-0000-0000-0000-0000000000d2")
        try field.write("row.json", FieldEvent.text(row.diagnosticsRow))
        let binary = try #require(Self.executable(), "the pathproof executable is not built")
        let london = field.cli.environment.merging(["TZ": "Europe/London"]) { $1 }
        let ingest = try Self.run(binary, ["ingest", "--workspace", field.workspace, field.cli.path("inputs")], london)
        #expect(ingest.status == 0, "\(ingest.err)")
        let verify = try Self.run(
            binary,
            [
                "verify", "--workspace", field.workspace, "--policy", field.policy, "--from", "2026-07-02T10:00:00",
                "--to", "2026-07-02T11:00:00", "--now", "2026-07-03T00:00:00", "--format", "json", "--ci", "none",
            ], london)
        #expect(verify.status == 0, "\(verify.err)")
        let report = try JSONParser.parse(verify.out)
        #expect(
            report["decisions"]?.each("time") == [.string("2026-07-02T10:30:00Z"), .string("2026-07-02T10:40:00Z")])
        #expect(report["window"]?["from"] == .string("2026-07-02T10:00:00Z"))
    }

    @Test func `perimeter and private-endpoint columns absent from the workspace give UNPROVEN with the reason`()
        throws
    {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        var event = FieldEvent()
        event.perimeters = nil
        try field.write("PT1H.json", FieldEvent.jsonLines([event.raw]))
        field.ingest()
        let columns = field.cli.run(
            "query", "--workspace", field.workspace, "--format", "csv",
            "AzureDiagnostics | getschema | where ColumnName contains 'nwperimid' "
                + "or ColumnName contains 'privateEndpoint' | count")
        #expect(columns.out == "Count\r\n0\r\n", "\(columns.out)\(columns.err)")
        let (status, report, err) = try field.verify()
        #expect(status == 2, "\(err)")
        #expect(report["verdict"] == .string("UNPROVEN"))
        #expect(report["violations"]?.items.isEmpty == true)
        #expect(report["decisions"]?.each("outcome") == [.string("undecided")])
        let missing = report["sources"]?.items.first?["missingColumns"]?.jsonText ?? ""
        #expect(missing.contains("identity_claim_xms_az_nwperimid_s"), "\(missing)")
        #expect(report["unprovenReasons"]?.jsonText.contains("no perimeter claim column") == true)
    }

    @Test func `AZKVAuditLogs that never received data leaves the verdict to AzureDiagnostics and says so`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent().raw]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(report["verdict"] == .string("PROVEN"))
        #expect(report["counts"]?["bySourceTable"] == .object(["AzureDiagnostics": .long(1)]))
        #expect(report["decisions"]?.each("sourceTable") == [.string("AzureDiagnostics")])
        let absent = report["sources"]?.items.filter { $0["table"] == .string("AZKVAuditLogs") } ?? []
        #expect(!absent.isEmpty)
        #expect(absent.allSatisfy { $0["absentReason"]?.stringValue?.contains("does not exist") == true })
        #expect(report["queries"]?.items.contains { $0["note"] == .string("table absent") } == true)

        let text = field.cli.run(
            "verify", "--workspace", field.workspace, "--policy", field.policy, "--from", "2026-11-02T09:00:00Z",
            "--to", "2026-11-02T11:00:00Z", "--now", "2026-11-03T00:00:00Z", "--ci", "none", "--archive",
            field.cli.path("archive.sqlite"))
        #expect(text.out.contains("served by: AzureDiagnostics 1"), "\(text.out)")
        #expect(text.out.contains("configuration kv-field: not observed"), "\(text.out)")
    }

    @Test func `CallerIpAddress and CallerIPAddress spellings both place the caller in the subnet`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        var audit = FieldEvent(callerIp: "10.10.0.5")
        audit.addrAuthType = nil
        audit.trustedService = nil
        var diagnostics = audit
        diagnostics.callerIp = "10.10.0.6"
        diagnostics.time = "2026-11-02T10:20:00Z"
        diagnostics.correlationId = "7c1e0000-0000-0000-0000-0000000000e2"
        try field.write("azkv.json", FieldEvent.text(audit.auditRow))
        try field.write("azd.json", FieldEvent.text(diagnostics.diagnosticsRow))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(
            report["counts"]?["bySourceTable"] == .object(["AZKVAuditLogs": .long(1), "AzureDiagnostics": .long(1)]))
        #expect(report["decisions"]?.each("route") == [.string("delegatedSubnet"), .string("delegatedSubnet")])
        let rules = report["decisions"]?.each("routeRule").compactMap(\.stringValue) ?? []
        #expect(rules.contains { $0.contains("10.10.0.5") } && rules.contains { $0.contains("10.10.0.6") })
    }

    @Test func `a public KeyUnwrap with an empty perimeter and a valid identity is VIOLATED`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        var event = FieldEvent(callerIp: "203.0.113.7")
        event.addrAuthType = "PublicIP"
        event.trustedService = nil
        event.perimeters = []
        try field.write("PT1H.json", FieldEvent.jsonLines([event.raw]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 1, "\(err)")
        #expect(report["verdict"] == .string("VIOLATED"))
        let rules = Set(report["violations"]?.each("rule").compactMap(\.stringValue) ?? [])
        #expect(rules == ["perimeter-claim-empty", "route-not-accepted"])
        #expect(report["decisions"]?.each("route") == [.string("public")])
    }

    @Test func `a 403 logged as Success through a private endpoint and a KeySign 400 are not accesses`() throws {
        let field = try FieldCaseWorkspace(policy: FieldPolicy.json(operations: ["KeyUnwrap", "KeySign"]))
        defer { field.cleanUp() }
        var forbidden = FieldEvent(status: 403, signature: "Forbidden")
        forbidden.addrAuthType = "PrivateLink"
        forbidden.trustedService = nil
        let sign = FieldEvent(
            time: "2026-11-02T10:01:00Z", operation: "KeySign", status: 400, signature: "Bad Request",
            correlationId: "7c1e0000-0000-0000-0000-0000000000f2")
        // The SDK's unauthenticated first request: a 401 challenge, never in scope.
        var challenge = FieldEvent(
            time: "2026-11-02T10:02:00Z", operation: "Authentication", status: 401, signature: "Unauthorized",
            correlationId: "7c1e0000-0000-0000-0000-0000000000f3")
        challenge.mirid = nil
        challenge.perimeters = nil
        try field.write("PT1H.json", FieldEvent.jsonLines([forbidden.raw, sign.raw, challenge.raw]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 2, "\(err)")
        #expect(report["accesses"] == .long(0))
        #expect(report["violations"]?.items.isEmpty == true)
        #expect(report["blockedAttempts"]?.each("record").map { $0["httpStatus"] } == [.long(403)])
        #expect(report["failedRequests"]?.each("record").map { $0["httpStatus"] } == [.long(400)])
        #expect(report["blockedAttempts"]?.items.first?["record"]?["resultType"] == .string("Success"))
    }

    @Test func `an Event Hub batch that delivers a record twice, then three silent hours`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        let first = FieldEvent()
        let late = FieldEvent(time: "2026-11-02T13:30:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000102")
        try field.write("eventhub-1.json", FieldEvent.envelope([first.raw, first.raw]))
        try field.write("eventhub-2.json", FieldEvent.envelope([late.raw]))
        field.ingest()
        let (status, report, err) = try field.verify(to: "2026-11-02T14:00:00Z")
        #expect(status == 2, "\(err)")
        #expect(report["accesses"] == .long(2))
        #expect(report["duplicates"] == .long(1))
        let silences = report["coverage"]?.items.first?["silences"]?.items ?? []
        #expect(silences.map { $0["from"] } == [.string("2026-11-02T10:00:00.1234567Z")])
        #expect(silences.map { $0["to"] } == [.string("2026-11-02T13:30:00Z")])
        #expect(report["unprovenReasons"]?.jsonText.contains("logging may have stopped") == true)
    }

    @Test func `a window inside the settle margin is not PROVEN yet; a later run includes the late record`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        try field.write("PT1H-09.json", FieldEvent.jsonLines([FieldEvent(time: "2026-11-02T09:50:00Z").raw]))
        field.ingest()
        // The access at T = 10:00 reaches the logs at 10:15; the first run is at 10:10.
        let early = try field.verify(to: "2026-11-02T10:05:00Z", now: "2026-11-02T10:10:00Z")
        #expect(early.status == 2, "\(early.err)")
        #expect(early.report["unprovenReasons"]?.jsonText.contains("records may still arrive") == true)
        let late = try field.write(
            "PT1H-10.json",
            FieldEvent.jsonLines([
                FieldEvent(time: "2026-11-02T10:00:00Z", correlationId: "7c1e0000-0000-0000-0000-0000000001a2").raw
            ]))
        field.ingest([late])
        let again = try field.verify(to: "2026-11-02T10:05:00Z", now: "2026-11-02T10:30:00Z")
        #expect(again.status == 0, "\(again.err)")
        #expect(again.report["accesses"] == .long(2))
    }

    @Test func `KeyWrap and KeyUnwrap 403s by the policy's identity are a lock-out risk, not proof`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        let refusals = [
            ("KeyWrap", "7c1e0000-0000-0000-0000-0000000001b2"), ("KeyUnwrap", "7c1e0000-0000-0000-0000-0000000001b3"),
        ]
        .map {
            FieldEvent(
                time: "2026-11-02T10:30:00Z", operation: $0.0, status: 403, signature: "Forbidden", correlationId: $0.1)
        }
        try field.write("PT1H.json", FieldEvent.jsonLines(([FieldEvent()] + refusals).map(\.raw)))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(report["accesses"] == .long(1))
        #expect(
            report["blockedAttempts"]?.each("kind") == [
                .string("cmk-identity-refused"), .string("cmk-identity-refused"),
            ])
        #expect(report["notes"]?.jsonText.contains("risk locking the environment") == true)
    }

    @Test func `a public KeyGet refused by the firewall is evidence the firewall works`() throws {
        let field = try FieldCaseWorkspace()
        defer { field.cleanUp() }
        var refused = FieldEvent(
            time: "2026-11-02T10:20:00Z", operation: "KeyGet", status: 403, signature: "Forbidden",
            resultDescription: "Client address is not authorized and caller is not a trusted service.",
            callerIp: "198.51.100.20", correlationId: "7c1e0000-0000-0000-0000-0000000001c2")
        refused.mirid = nil
        refused.addrAuthType = nil
        refused.trustedService = nil
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent().raw, refused.raw]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 0, "\(err)")
        #expect(report["blockedAttempts"]?.each("kind") == [.string("firewall-refused")])
        #expect(report["blockedAttempts"]?.items.first?["record"]?["route"] == .string("public"))
    }

    @Test func `a vault with no audit record in the window is UNPROVEN: logging may be off`() throws {
        let field = try FieldCaseWorkspace(policy: FieldPolicy.json(vaults: ["kv-field", "kv-silent"]))
        defer { field.cleanUp() }
        try field.write("PT1H.json", FieldEvent.jsonLines([FieldEvent().raw]))
        field.ingest()
        let (status, report, err) = try field.verify()
        #expect(status == 2, "\(err)")
        #expect(report["unprovenReasons"]?.jsonText.contains("vault kv-silent has no audit record") == true)
    }

    @Test func `a public KeyWrap among private KeyUnwraps is VIOLATED; KeyUnwrapKey is refused at load`() throws {
        var field = try FieldCaseWorkspace(policy: FieldPolicy.json(operations: ["KeyUnwrapKey"]))
        defer { field.cleanUp() }
        var wrap = FieldEvent(
            time: "2026-11-02T10:40:00Z", operation: "KeyWrap", callerIp: "203.0.113.9",
            correlationId: "7c1e0000-0000-0000-0000-0000000001d2")
        wrap.addrAuthType = "PublicIP"
        wrap.trustedService = nil
        let unwraps = (0..<3).map {
            FieldEvent(time: "2026-11-02T10:0\($0):00Z", correlationId: "7c1e0000-0000-0000-0000-00000000010\($0)")
        }
        try field.write("PT1H.json", FieldEvent.jsonLines((unwraps + [wrap]).map(\.raw)))
        field.ingest()
        let refused = try field.verify()
        #expect(refused.status == 3)
        #expect(refused.err.contains("operations[0]") && refused.err.contains("KeyUnwrap"), "\(refused.err)")

        field.policy = field.cli.path("policy-default.json")
        try FieldPolicy.json().write(toFile: field.policy, atomically: true, encoding: .utf8)
        let (status, report, err) = try field.verify()
        #expect(status == 1, "\(err)")
        #expect(report["accesses"] == .long(4))
        #expect(report["violations"]?.each("record").map { $0["operation"] } == [.string("KeyWrap")])
    }

    /// The built `pathproof` executable, beside the test bundle.
    static func executable() -> String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        let candidates = [
            bundle.appendingPathComponent("pathproof").path,
            CLIHarness.packageRoot.appendingPathComponent(".build/debug/pathproof").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the executable with exactly `environment`.
    static func run(_ binary: String, _ arguments: [String], _ environment: [String: String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        let running = BuiltExecutable.Running(process: process, out: Pipe(), err: Pipe())
        process.standardOutput = running.out
        process.standardError = running.err
        try process.run()
        return running.finish()
    }
}
