/// `verify` as a pipeline step: annotations, the GitHub step summary, JUnit read by junitparser,
/// and --fail-on new.

import Foundation
import Testing

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
    }

    @Test func `JUnit output is read by junitparser with one failure per broken check`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let junit = cli.path("TEST-pathproof.xml")
        let result = verify(cli, ["--junit", junit, "--ci", "none"])
        #expect(result.status == 1)
        let python = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "/usr/bin/python3"
        let script = """
            import sys
            from junitparser import JUnitXml, Failure
            xml = JUnitXml.fromfile(sys.argv[1])
            cases = [c for s in xml for c in s]
            failed = sorted(c.name for c in cases if any(isinstance(r, Failure) for r in c.result))
            print(len(cases), ",".join(failed))
            """
        let check = try runProcess(python, ["-c", script, junit])
        try #require(!check.err.contains("No module named"), "junitparser is needed: run scripts/test.sh")
        #expect(check.status == 0, "\(check.err)")
        #expect(
            check.out.trimmingCharacters(in: .whitespacesAndNewlines)
                == "4 enterprise-policy identity,network route,perimeter claim")
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
