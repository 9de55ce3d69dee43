/// Golden tests, end to end: a violation that arrives late, with a caller-chosen correlation id that
/// tries to start CI commands of its own, is annotated escaped on GitHub and Azure DevOps, and no
/// line of the output lets it start a command.

import Foundation
import Testing

struct LateFindingAnnotationTests {
    /// As it appears in JSON: CR, LF, an escape-looking `%0A`, and the characters that end an Azure
    /// DevOps property or command.
    static let hostileID = #"evil\r\n::error::pwned%0A;]\n##vso[task.setvariable variable=x]1"#
    static let span = "2026-11-05T01:00:00Z to 2026-11-05T02:00:00Z"

    static func write(_ lines: [String], to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    /// Proves [01:00, 02:00), then plants the hostile violation in it, and runs the 03:15 run with
    /// `--ci kind`; returns its standard output.
    func lateRun(ci kind: String) throws -> CommandResult {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let logs = cli.root.appendingPathComponent("logs")
        var onTime: [String] = []
        for hour in [1, 2] {
            onTime.append(
                ScheduledProofTests.record("2026-11-05T0\(hour):00:30Z", operation: "VaultGet", id: "l\(hour)"))
            onTime.append(ScheduledProofTests.record("2026-11-05T0\(hour):10:00Z", id: "h\(hour)"))
        }
        try Self.write(onTime, to: logs.appendingPathComponent("on-time/PT1H.json"))
        let base = [
            "verify", "--workspace", logs.path, "--policy", VerifyCommandTests.policy, "--since-last", "--archive",
            cli.path("archive.sqlite"), "--quiet",
        ]
        let first = cli.run(base + ["--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T02:15:00Z", "--ci", "none"])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        let late = ScheduledProofTests.record("2026-11-05T01:30:00Z", perimeter: nil, id: Self.hostileID)
        try Self.write([late], to: logs.appendingPathComponent("late/PT1H.json"))
        return cli.run(base + ["--now", "2026-11-05T03:15:00Z", "--ci", kind])
    }

    /// Every output line that the CI runner would take as a command is one of PathProof's own.
    func expectOnlyOwnCommands(_ output: String, azure: Bool) {
        for line in output.components(separatedBy: .newlines) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("::") {
                #expect(
                    text.range(of: #"^::(error|warning|notice) title=PathProof"#, options: .regularExpression) != nil,
                    "\(line)")
            }
            // The agent runs the first `##vso[` of a line, wherever it is: only PathProof's own may
            // start one (log text after it is that command's escaped data).
            if azure, let first = text.range(of: "##vso[") {
                #expect(first.lowerBound == text.startIndex, "\(line)")
                #expect(
                    text.hasPrefix("##vso[task.logissue type=") || text.hasPrefix("##vso[task.uploadsummary]"),
                    "\(line)")
            }
        }
    }

    @Test func `a late hostile violation is annotated escaped on GitHub`() throws {
        let result = try lateRun(ci: "github")
        #expect(result.status == 1, "\(result.out)\(result.err)")
        let lines = result.out.components(separatedBy: .newlines)
        #expect(
            lines.contains(
                "::error title=PathProof late finding::late violation in the window \(Self.span): "
                    + "perimeter-claim-empty|2026-11-05T01:30:00Z|kv-contoso-cmk|KeyUnwrap|evil%0D%0A::error::"
                    + "pwned%250a;]%0A##vso[task.setvariable variable=x]1||"
                    + "https://kv-contoso-cmk.vault.azure.net/keys/k/1/unwrapkey"), "\(result.out)")
        #expect(
            lines.contains(
                "::error title=PathProof late finding::1 access(es) arrived late for the window \(Self.span), "
                    + "already reported PROVEN with 1"))
        // The text line shows the same finding on one line, with the commands broken.
        #expect(
            lines.contains(
                #"late: late violation in the window 2026-11-05T01:00:00Z to 2026-11-05T02:00:00Z: "#
                    + #"perimeter-claim-empty|2026-11-05T01:30:00Z|kv-contoso-cmk|KeyUnwrap|evil\r\n::error::"#
                    + #"pwned%0a;]\n##vso\[task.setvariable variable=x]1||"#
                    + "https://kv-contoso-cmk.vault.azure.net/keys/k/1/unwrapkey"))
        expectOnlyOwnCommands(result.out, azure: false)
    }

    @Test func `a late hostile violation is annotated escaped on Azure DevOps`() throws {
        let result = try lateRun(ci: "azure-devops")
        #expect(result.status == 1, "\(result.out)\(result.err)")
        let lines = result.out.components(separatedBy: .newlines)
        #expect(
            lines.contains(
                "##vso[task.logissue type=error;code=PathProof late finding]late violation in the window "
                    + "\(Self.span): perimeter-claim-empty|2026-11-05T01:30:00Z|kv-contoso-cmk|KeyUnwrap|"
                    + "evil%0D%0A::error::pwned%AZP250a;]%0A##vso[task.setvariable variable=x]1||"
                    + "https://kv-contoso-cmk.vault.azure.net/keys/k/1/unwrapkey"), "\(result.out)")
        expectOnlyOwnCommands(result.out, azure: true)
    }
}
