/// End-to-end tests of `pathproof verify` on the synthetic demo workspace and real public records.

import Foundation
import Testing

@testable import TableModel

struct VerifyCommandTests {
    static let demo = CLIHarness.repo("Fixtures/demo/contoso-cmk")
    static let policy = CLIHarness.repo("Fixtures/demo/policy.json")

    func reportJSON(_ result: CommandResult) throws -> Dynamic {
        try JSONParser.parse(result.out)
    }

    @Test func `the private window is PROVEN and exits 0`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run(
            "verify", "--workspace", Self.demo, "--policy", Self.policy, "--from", "2026-11-02T08:00:00Z",
            "--to", "2026-11-02T12:00:00Z", "--format", "json", "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 0, "\(result.err)")
        let report = try reportJSON(result)
        #expect(report["verdict"] == .string("PROVEN"))
        #expect(report["accesses"] == .long(24))
        #expect(report["violations"] == .array([]))
        // The hourly VaultGets carry no network setting: "not observed", yet not "no event at all".
        #expect(report["configuration"]?.items.first?["eventsWithoutSettings"] == .long(4))
    }

    @Test func `the faulty window is VIOLATED and names each planted fault`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run(
            "verify", "--workspace", Self.demo, "--policy", Self.policy, "--from", "2026-11-02T12:00:00Z",
            "--to", "2026-11-02T16:00:00Z", "--format", "json", "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 1, "\(result.err)")
        let report = try reportJSON(result)
        #expect(report["verdict"] == .string("VIOLATED"))
        // 24 ordinary accesses, the public unwrap and the foreign wrap; the 403 is not an access.
        #expect(report["accesses"] == .long(26))
        let text = report.jsonText
        #expect(text.contains("fault-1-empty-perimeter"))
        #expect(text.contains("fault-3-foreign-identity"))
        #expect(text.contains("fault-2-forbidden"))
        guard case .array(let violations)? = report["violations"] else {
            Issue.record("no violations list")
            return
        }
        // The public unwrap breaks two rules (empty perimeter, public route), the foreign wrap one.
        #expect(violations.count == 3)
        let rules = violations.compactMap { $0["rule"]?.stringValue }.sorted()
        #expect(rules == ["enterprise-policy-unexpected", "perimeter-claim-empty", "route-not-accepted"])
        #expect(!violations.map(\.jsonText).joined().contains("fault-2-forbidden"))
    }

    @Test func `a workspace without the perimeter claim column is UNPROVEN and names the column`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run(
            "verify", "--workspace", CLIHarness.repo("Fixtures/demo/no-perimeter-column"), "--policy", Self.policy,
            "--format", "json", "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 2, "\(result.err)")
        let report = try reportJSON(result)
        #expect(report["verdict"] == .string("UNPROVEN"))
        #expect(report.jsonText.contains("identity_claim_xms_az_nwperimid_s"))
    }

    @Test func `an empty window is UNPROVEN, never PROVEN`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = cli.run(
            "verify", "--workspace", Self.demo, "--policy", Self.policy, "--from", "2026-10-01T00:00:00Z",
            "--to", "2026-10-02T00:00:00Z", "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 2, "\(result.out)\(result.err)")
        #expect(result.out.contains("UNPROVEN"))
    }

    @Test func `usage errors exit 64 and runtime errors exit 3`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let noPolicy = cli.run("verify", "--workspace", Self.demo)
        #expect(noPolicy.status == 64)
        #expect(noPolicy.err.contains("--policy"))
        #expect(cli.run("verify", "--workspace", Self.demo, "--policy", Self.policy, "--bogus").status == 64)
        #expect(cli.run("nonsense").status == 64)
        let missing = cli.run("verify", "--workspace", Self.demo, "--policy", cli.path("absent.json"))
        #expect(missing.status == 3)
        #expect(missing.err.contains("absent.json"))
        let badTime = cli.run("verify", "--workspace", Self.demo, "--policy", Self.policy, "--from", "yesterday")
        #expect(badTime.status == 64)
    }
}
