/// `verify` as a pipeline step: annotations, the GitHub step summary, JUnit read by junitparser,
/// and --fail-on new.

import EvidenceAnalysis
import Foundation
import Testing

@testable import PathProofCommands
@testable import TableModel

struct PipelineStepTests {
    static let faultyWindow = ["--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T16:00:00Z"]

    func verify(_ cli: CLIHarness, _ extra: [String], environment: [String: String] = [:]) -> CommandResult {
        var arguments = ["verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy]
        arguments += Self.faultyWindow + ["--now", "2026-11-03T00:00:00Z"] + extra
        var harness = cli
        harness.extraEnvironment = environment
        return harness.run(arguments)
    }

    @Test func `format json in a pipeline keeps stdout to the report unless --ci asks for annotations`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        for (ci, environment) in [
            ("auto", ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": cli.path("summary.md")]),
            ("auto", ["TF_BUILD": "True"]),
        ] {
            let result = verify(cli, ["--format", "json", "--ci", ci], environment: environment)
            #expect(result.status == 1)
            // The whole of stdout is one JSON document.
            #expect(throws: Never.self) { try JSONParser.parse(result.out) }
            #expect(!result.out.contains("::error") && !result.out.contains("##vso["), "\(result.out)")
            #expect(result.err.contains("give --ci to add annotations"))
        }
        let summary = try String(contentsOfFile: cli.path("summary.md"), encoding: .utf8)
        #expect(summary.hasPrefix("## PathProof: VIOLATED"), "the step summary is a file: still written")
        let asked = verify(
            cli, ["--format", "json", "--ci", "github"],
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": cli.path("summary.md")])
        #expect(asked.out.split(separator: "\n").contains { $0.hasPrefix("::error title=PathProof") })
    }

    @Test func `GitHub run writes annotations and appends the step summary`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let summary = cli.path("summary.md")
        let result = verify(
            cli, ["--ci", "auto"], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        #expect(result.status == 1)
        let annotations = result.out.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(annotations.contains { $0.hasPrefix("::error title=PathProof perimeter-claim-empty::") })
        #expect(annotations.contains { $0.hasPrefix("::error title=PathProof VIOLATED::") })
        let markdown = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(markdown.hasPrefix("## PathProof: VIOLATED"))
        #expect(markdown.contains("perimeter-claim-empty"))
        #expect(
            markdown.contains(
                "Window 2026-11-02T12:00:00Z to 2026-11-02T16:00:00Z: 26 accesses, 3 violations, 1 blocked attempt."),
            "\(markdown)")
    }

    @Test func `JUnit output is read by junitparser with one failure per broken check`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let junit = cli.path("TEST-pathproof.xml")
        let result = verify(cli, ["--junit", junit, "--ci", "none"])
        #expect(result.status == 1)
        #expect(try Self.junitCases(junit) == "4 enterprise-policy identity,network route,perimeter claim")
    }

    /// "<test cases> <failed test case names, sorted, comma-separated>", as junitparser reads `path`.
    static func junitCases(_ path: String) throws -> String {
        let python = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "/usr/bin/python3"
        let script = """
            import sys
            from junitparser import JUnitXml, Failure
            xml = JUnitXml.fromfile(sys.argv[1])
            cases = [c for s in xml for c in s]
            failed = sorted(c.name for c in cases if any(isinstance(r, Failure) for r in c.result))
            print(len(cases), ",".join(failed))
            """
        let check = try runProcess(python, ["-c", script, path])
        try #require(!check.err.contains("No module named"), "junitparser is needed: run scripts/test.sh")
        #expect(check.status == 0, "\(check.err)")
        return check.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func `JUnit skips, with the reason, a check the evidence has no column for`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let junit = cli.path("TEST-pathproof.xml")
        let result = cli.run([
            "verify", "--workspace", CLIHarness.repo("Fixtures/demo/no-perimeter-column"), "--policy",
            VerifyCommandTests.policy, "--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T10:00:00Z",
            "--now", "2026-11-03T00:00:00Z", "--junit", junit, "--ci", "github",
        ])
        #expect(result.status == 2, "\(result.err)")
        #expect(
            result.out.contains(
                "::error title=PathProof UNPROVEN::12 accesses, 0 violations, 1 UNPROVEN reason, "
                    + "window 2026-11-02T08:00:00Z to 2026-11-02T10:00:00Z\n"), "\(result.out)")
        let reason = "no perimeter claim, and AzureDiagnostics has no perimeter claim column"
        #expect(
            try Self.junitOutcomes(junit) == [
                "kv-contoso-cmk/perimeter claim: skipped: undecided: 12 of 12 accesses: \(reason)",
                "kv-contoso-cmk/enterprise-policy identity: passed",
                "kv-contoso-cmk/network route: passed",
                "kv-contoso-cmk/evidence completeness: skipped: inconclusive: 12 accesses or requests: \(reason)",
            ])
    }

    /// One line per test case as junitparser reads `path`: "vault/check: passed", or the result's
    /// kind and message ("skipped: …", "failure: …").
    static func junitOutcomes(_ path: String) throws -> [String] {
        let python = try peerPython(needing: ["junitparser"])
        let script = """
            import sys
            from junitparser import JUnitXml
            for suite in JUnitXml.fromfile(sys.argv[1]):
                for case in suite:
                    vault = case.classname.removeprefix("pathproof.")
                    outcome = "; ".join(f"{type(r).__name__.lower()}: {r.message}" for r in case.result) or "passed"
                    print(f"{vault}/{case.name}: {outcome}")
            """
        let check = try runProcess(python, ["-c", script, path])
        #expect(check.status == 0, "\(check.err)")
        return check.out.split(separator: "\n").map(String.init)
    }

    @Test func `JUnit fails the caller tenant and vault configuration checks for their violations`() throws {
        let policy = FieldPolicy.json(
            extra: ",\"tenantId\":\"\(FieldPolicy.tenant)\",\"requirePublicNetworkAccessDisabled\":true")
        let field = try FieldCaseWorkspace(policy: policy)
        defer { field.cleanUp() }
        var stranger = FieldEvent(time: "2026-11-02T10:10:00Z", correlationId: "7c1e0000-0000-0000-0000-000000000302")
        stranger.tenant = "00000000-0000-0000-0000-0000000000b9"
        let records = [
            FieldEvent(), stranger,
            PolicyContextVerifyTests.vaultGet("2026-11-02T09:30:00Z", access: "Disabled", action: "Deny"),
            PolicyContextVerifyTests.vaultGet(
                "2026-11-02T10:30:00Z", access: "Enabled", action: "Allow", operation: "VaultPatch"),
        ]
        try field.write("PT1H.json", FieldEvent.jsonLines(records.map(\.raw)))
        field.ingest()
        let junit = field.cli.path("TEST-pathproof.xml")
        let out = field.cli.path("out")
        let result = try field.verify(extra: ["--junit", junit, "--out", out])
        #expect(result.status == 1, "\(result.err)")
        let rules = Set(result.report["violations"]?.each("rule").compactMap(\.stringValue) ?? [])
        #expect(rules == ["caller-tenant-unexpected", "public-network-access-enabled"])
        #expect(try Self.junitCases(junit) == "6 caller tenant,vault configuration")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("failures=\"2\""), "\(xml)")

        // Without the policy's optional checks listed, the violations still fail a test case each.
        let report = try JSONDecoder().decode(
            Report.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        let bare = PipelineReport.junit(report, policy: nil)
        #expect(bare.contains("failures=\"2\""), "\(bare)")
        #expect(bare.contains("name=\"caller tenant\" time=\"0\"><failure"), "\(bare)")
        #expect(bare.contains("name=\"vault configuration\" time=\"0\"><failure"), "\(bare)")
    }

    /// The annotation lines of the faulty window's three violations and its verdict, at `level`.
    static func faultyAnnotations(_ level: String) -> [String] {
        let identity =
            "/subscriptions/00000000-0000-0000-0000-00000000a001/resourcegroups/rg-plugins/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/uami-plugin-connector"
        return [
            "::\(level) title=PathProof perimeter-claim-empty::2026-11-02T13:41:09Z KV-CONTOSO-CMK KeyUnwrap: "
                + "the perimeter claim is [] (no perimeter)",
            "::\(level) title=PathProof route-not-accepted::2026-11-02T13:41:09Z KV-CONTOSO-CMK KeyUnwrap: "
                + "route public (addrAuthType is PublicIP): the policy names no routes, and public is never accepted",
            "::\(level) title=PathProof enterprise-policy-unexpected::2026-11-02T14:27:51Z KV-CONTOSO-CMK KeyWrap: "
                + "xms_mirid \(identity) is not in the policy",
            "::\(level) title=PathProof VIOLATED::26 accesses, 3 violations, 0 UNPROVEN reasons, "
                + "window 2026-11-02T12:00:00Z to 2026-11-02T16:00:00Z",
        ]
    }

    @Test func `violations that fail the step stay errors on later runs; with fail-on new they are warnings`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        func annotations(_ result: CommandResult) -> [String] {
            result.out.split(separator: "\n").map(String.init).filter { $0.hasPrefix("::") || $0.hasPrefix("##vso") }
        }
        let first = verify(cli, ["--ci", "github"])
        #expect(first.status == 1)
        #expect(annotations(first) == Self.faultyAnnotations("error"))

        // The same violations again: --fail-on any (the default) still fails the step on each one.
        let again = verify(cli, ["--ci", "github"])
        #expect(again.status == 1)
        #expect(annotations(again) == Self.faultyAnnotations("error"))
        let azure = verify(cli, ["--ci", "azure-devops", "--fail-on", "any"])
        #expect(azure.status == 1)
        #expect(annotations(azure).filter { $0.hasPrefix("##vso[task.logissue") }.count == 4)
        #expect(annotations(azure).allSatisfy { !$0.contains("type=warning") }, "\(azure.out)")

        // --fail-on new passes the step on persistent violations, so they, and the verdict, are warnings.
        let persistent = verify(cli, ["--ci", "github", "--fail-on", "new"])
        #expect(persistent.status == 0)
        #expect(annotations(persistent) == Self.faultyAnnotations("warning"))
    }

    @Test func `fail-on new passes when the same violations were already reported`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let first = verify(cli, ["--fail-on", "new", "--ci", "none"])
        #expect(first.status == 1)
        let second = verify(cli, ["--fail-on", "new", "--ci", "none"])
        #expect(second.status == 0, "\(second.out)\(second.err)")
        let strict = verify(cli, ["--fail-on", "any", "--ci", "none"])
        #expect(strict.status == 1)
    }
}
