/// Golden tests: JSON that `verify`, `query` and `diff` print keeps its meaning but cannot carry an
/// Azure Pipelines logging command (`##vso[`) or a GitHub workflow command (`::`) from log text.

import Foundation
import Testing

@testable import PathProofCommands
@testable import TableModel

struct JSONOutputGuardTests {
    static let injected = "x##vso[task.setvariable variable=PWNED]yes ##VsO[task.complete]"

    @Test func `JSON has every vso command bracket escaped and parses to the same value`() throws {
        let text = ###"{"a":"x##vso[task.setvariable variable=PWNED]yes","b":["##VsO[x]","[##vso]"],"c":"##vs[o"}"###
        let guarded = OutputGuard.json(text)
        let expected =
            ###"{"a":"x##vso\u005btask.setvariable variable=PWNED]yes","###
            + ###""b":["##VsO\u005bx]","[##vso]"],"c":"##vs[o"}"###
        #expect(guarded == expected)
        #expect(try JSONParser.parse(guarded) == JSONParser.parse(text))
    }

    @Test func `a line-leading double colon is written as an escape, other colons are kept`() {
        #expect(OutputGuard.json("{\"a\":1}\n  ::error::x\n") == "{\"a\":1}\n  \\u003a:error::x\n")
        #expect(OutputGuard.json("{\"a\":\"::b\"}") == "{\"a\":\"::b\"}")
    }

    /// One hour of logs whose correlation id carries Azure Pipelines commands.
    func writeLogs(_ cli: CLIHarness) throws -> String {
        let lines = [
            ScheduledProofTests.record("2026-11-05T01:00:30Z", operation: "VaultGet", id: "life"),
            // An empty perimeter claim: a violation, so the report quotes the record's correlation id.
            ScheduledProofTests.record("2026-11-05T01:10:00Z", perimeter: nil, id: Self.injected),
        ]
        let logs = cli.root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(
            to: logs.appendingPathComponent("PT1H.json"), atomically: true, encoding: .utf8)
        return logs.path
    }

    func expectNoCommand(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.lowercased().contains("##vso["), "\(text)", sourceLocation: sourceLocation)
        for line in text.split(separator: "\n") {
            #expect(!line.drop { $0 == " " }.hasPrefix("::"), "\(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func `verify format json prints the signed report with vso commands made inert`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let out = cli.path("out")
        let (result, timedOut) = try BuiltExecutable.locate().run(
            [
                "verify", "--workspace", try writeLogs(cli), "--policy", VerifyCommandTests.policy, "--from",
                "2026-11-05T01:00:00Z", "--to", "2026-11-05T02:00:00Z", "--now", "2026-11-05T03:00:00Z",
                "--format", "json", "--ci", "none", "--out", out, "--archive", cli.path("a.sqlite"),
            ], cli: cli)
        #expect(!timedOut && result.status == 1, "\(result.err)")
        expectNoCommand(result.out)

        // The file on disk is the canonical, signed form: the log text as it was logged.
        let file = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
        // (PathProof compares correlation ids in lower case, and reports them so.)
        #expect(file.contains(#""correlationId":"x##vso[task.setvariable variable=pwned]yes ##vso[task.complete]""#))
        #expect(result.out == OutputGuard.json(file) + "\n")
        #expect(result.out.contains(#"x##vso\u005btask.setvariable variable=pwned]yes ##vso\u005btask.complete]"#))
        #expect(try JSONParser.parse(result.out) == JSONParser.parse(file))
        let check = cli.run("archive", "verify", "--archive", cli.path("a.sqlite"))
        #expect(check.status == 0, "\(check.out)\(check.err)")
    }

    @Test(arguments: ["json", "jsonl", "table"])
    func `query output carries no vso command from log text`(format: String) throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let (result, timedOut) = try BuiltExecutable.locate().run(
            [
                "query", "--workspace", try writeLogs(cli), "--format", format,
                "AzureDiagnostics | where OperationName == 'KeyUnwrap' | project CorrelationId",
            ], cli: cli)
        #expect(!timedOut && result.status == 0, "\(result.err)")
        expectNoCommand(result.out)
        if format == "table" {
            #expect(result.out.contains(#"x##vso\[task.setvariable"#), "\(result.out)")
        } else {
            let first = try JSONParser.parse(String(result.out.split(separator: "\n")[0]))
            #expect(first.jsonText.contains(Self.injected), "\(result.out)")
        }
    }
}
