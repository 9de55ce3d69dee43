/// `pathproof verify` on real public Key Vault records (../shared/fixtures/public): right verdicts,
/// and the rule that decided is in the report.

import Foundation
import Testing

@testable import TableModel

struct PublicRecordsVerifyTests {
    static func record(_ name: String) -> String {
        CLIHarness.sharedFixtures.appendingPathComponent("keyvault-records/\(name)").path
    }

    func writePolicy(_ cli: CLIHarness, vault: String, operations: [String] = ["KeyGet", "KeyWrap", "KeyUnwrap"])
        throws -> String
    {
        let path = cli.path("policy-\(vault).json")
        let operationList = operations.map { "\"\($0)\"" }.joined(separator: ",")
        let policy = """
            {"vaults": ["\(vault)"],
             "enterprisePolicies": ["/subscriptions/00000000-0000-0000-0000-00000000a001/resourceGroups/rg/providers/\
            Microsoft.PowerPlatform/enterprisePolicies/ep"],
             "perimeters": ["6a1f3c52-7d0e-4b8a-9c31-2f4e5d6a7b80"], "operations": [\(operationList)]}
            """
        try policy.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func verify(_ cli: CLIHarness, _ inputs: [String], policy: String) throws -> (Int32, Dynamic) {
        var arguments = ["verify", "--policy", policy, "--format", "json", "--now", "2026-12-01T00:00:00Z"]
        for input in inputs { arguments += ["--workspace", input] }
        let result = cli.run(arguments)
        return (result.status, try JSONParser.parse(result.out))
    }

    @Test func `a real KeyGet with the perimeter claim "[]" is VIOLATED by the empty-perimeter rule`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (status, report) = try verify(
            cli, [Self.record("pt1h-jsonlines-sekoia-2024.json")],
            policy: try writePolicy(cli, vault: "testpermissionvault"))
        #expect(status == 1)
        #expect(report["verdict"] == .string("VIOLATED"))
        #expect(report["accesses"] == .long(1))
        let violations = report["violations"]?.jsonText ?? ""
        #expect(violations.contains("perimeter-claim-empty"))
        #expect(violations.contains("KeyGet"))
        // The KeyGet answered 404 is a failed request, not an access and not a violation.
        #expect(report["failedRequests"]?.jsonText.contains("404") == true)
    }

    @Test func `real records whose tokens never carried the perimeter claim are never PROVEN`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (status, report) = try verify(
            cli, [Self.record("pt1h-jsonlines-2022-user-token-no-nwperimid.json")],
            policy: try writePolicy(cli, vault: "contosoallkeyvault"))
        // The callers came from public addresses, which no policy without `public` accepts; the
        // absent claim column is named as well.
        #expect(status == 1)
        #expect(report["verdict"] == .string("VIOLATED"))
        #expect(report["violations"]?.jsonText.contains("route-not-accepted") == true)
        #expect(report["violations"]?.jsonText.contains("perimeter-claim") == false)
        #expect(report["sources"]?.jsonText.contains("identity_claim_xms_az_nwperimid_s") == true)
    }

    @Test func `a real SecretGet row gives no key access to prove: UNPROVEN`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (status, report) = try verify(
            cli, [Self.record("azurediagnostics-row-secretget.json")],
            policy: try writePolicy(cli, vault: "example-vault"))
        #expect(status == 2)
        #expect(report["accesses"] == .long(0))
    }

    @Test func `real AZKVAuditLogs KeySign rows: the 200s are judged, the 400 is not an access`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let input = Self.record("azkvauditlogs-query-response-keysign-thirdparty-fixture.json")
        let (status, report) = try verify(
            cli, [input], policy: try writePolicy(cli, vault: "example-vault", operations: ["KeySign"]))
        #expect(status != 0)
        #expect(report["verdict"] != .string("PROVEN"))
        #expect(report["sources"]?.jsonText.contains("AZKVAuditLogs") == true)
    }

    @Test func `a truncated saved response keeps the verdict from PROVEN`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let partial = CLIHarness.sharedFixtures.appendingPathComponent("la-responses/partial-error-truncated.json").path
        let policy = CLIHarness.repo("Fixtures/demo/policy.json")
        var arguments = ["verify", "--policy", policy, "--format", "json", "--now", "2026-12-01T00:00:00Z"]
        arguments += ["--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z"]
        arguments += ["--workspace", VerifyCommandTests.demo, "--workspace", partial]
        let result = cli.run(arguments)
        #expect(result.status == 2, "\(result.err)")
        let report = try JSONParser.parse(result.out)
        #expect(report["verdict"] == .string("UNPROVEN"))
        #expect(report["unprovenReasons"]?.jsonText.contains("E_QUERY_RESULT_SET_TOO_LARGE") == true)
    }
}
