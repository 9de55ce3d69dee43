/// The schedule cannot be fooled into proving nothing: a series is one policy's content over one
/// evidence source, a manual window that ran into the future cannot freeze it, a `--from` that
/// would leave a gap is refused, and `watch` stops on a usage error instead of repeating it.

import EvidenceArchive
import EvidenceSigning
import Foundation
import Testing

@testable import PathProofCommands
@testable import TableModel

struct ScheduleSafetyTests {
    /// Scratch logs, a policy and an archive, and `verify` over them.
    struct Setup {
        let cli: CLIHarness
        let logs: String
        let archive: String

        init() throws {
            cli = try CLIHarness()
            logs = try ScheduledWatermarkTests().writeLogs(cli)
            archive = cli.path("archive.sqlite")
        }

        func verify(_ extra: [String], policy: String = VerifyCommandTests.policy) -> CommandResult {
            cli.run(
                [
                    "verify", "--workspace", logs, "--policy", policy, "--archive", archive, "--quiet", "--ci",
                    "none",
                ] + extra)
        }

        /// Each archived report's window, `from/to`.
        func windows() throws -> [String] { try ScheduledWatermarkTests().windows(archive) }

        /// Each archived report's `run.series`.
        func series() throws -> [String] {
            try EvidenceArchive(path: archive).entries().map {
                try JSONParser.parse(bytes: $0.report)["run"]?["series"]?.stringValue ?? "?"
            }
        }
    }

    @Test func `two policies with the same file name keep separate watermarks`() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let demo = try String(contentsOfFile: VerifyCommandTests.policy, encoding: .utf8)
        let other = demo.replacingOccurrences(of: "\"kv-contoso-cmk\"", with: "\"kv-other\"")
        #expect(other != demo)
        var policies: [String] = []
        for (directory, text) in [("a", demo), ("b", other)] {
            let path = setup.cli.path("\(directory)/policy.json")
            try FileManager.default.createDirectory(
                atPath: setup.cli.path(directory), withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            policies.append(path)
        }
        let first = setup.verify(
            ["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T03:15:00Z"], policy: policies[0])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        // The second policy has no report yet: its first window starts at its own --from, not at 03:00.
        let second = setup.verify(
            ["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T03:15:00Z"], policy: policies[1])
        #expect(!second.out.contains("nothing new"), "\(second.out)")
        #expect(
            try setup.windows() == [
                "2026-11-05T01:00:00Z/2026-11-05T03:00:00Z", "2026-11-05T01:00:00Z/2026-11-05T03:00:00Z",
            ])
        let digests = [demo, other].map { sha256Hex(Array($0.utf8)) }
        let series = try setup.series()
        #expect(series.count == 2 && series[0] != series[1])
        for (identity, digest) in zip(series, digests) {
            #expect(identity.hasSuffix("#policy-sha256:" + digest), "\(identity)")
            #expect(identity.hasPrefix("files:" + URL(fileURLWithPath: setup.logs).standardizedFileURL.path))
        }
        let history = setup.cli.run(["archive", "history", "--archive", setup.archive])
        #expect(history.out.components(separatedBy: "series files:").count == 3, "\(history.out)")
    }

    @Test func `a series identity from an earlier build is re-keyed on the report's policy digest`() {
        #expect(
            SeriesIdentity.normalized("files:/logs#policy:policy.json", policyDigest: "ABC12")
                == "files:/logs#policy-sha256:abc12")
        #expect(
            SeriesIdentity.normalized("files:/logs#policy-sha256:abc12", policyDigest: "ffff")
                == "files:/logs#policy-sha256:abc12")
        #expect(
            SeriesIdentity.normalized("files:/logs#policy:p.json", policyDigest: nil) == "files:/logs#policy:p.json")
    }

    @Test(arguments: [
        ["--from", "2026-11-05T01:00:00Z"], ["--from", "2026-11-05T01:00:00Z", "--to", "2030-01-01T00:00:00Z"],
    ])
    func `a manual window running into the future does not freeze the schedule`(window: [String]) throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let manual = setup.verify(window + ["--now", "2026-11-05T03:00:00Z"])
        #expect(manual.status == 2, "\(manual.out)\(manual.err)")
        // Before: "nothing new to prove yet: the last window ended at 9999-12-31…", exit 0, for ever.
        let unseeded = setup.verify(["--since-last", "--now", "2026-11-05T04:15:00Z"])
        #expect(unseeded.status == 64, "\(unseeded.out)\(unseeded.err)")
        #expect(unseeded.err.contains("1 manual report(s) of it ran past their clock"), "\(unseeded.err)")
        let seeded = setup.verify(["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T04:15:00Z"])
        #expect(seeded.status == 0, "\(seeded.out)\(seeded.err)")
        #expect(try setup.windows().last == "2026-11-05T01:00:00Z/2026-11-05T04:00:00Z")
    }

    @Test func `a schedule that would start in the future is an error, not nothing to prove`() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let future = setup.verify(["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2030-01-01T00:00:00Z"])
        #expect(future.status == 2, "\(future.out)\(future.err)")
        #expect(try setup.windows() == ["2026-11-05T01:00:00Z/2029-12-31T23:45:00Z"])
        let next = setup.verify(["--since-last", "--now", "2026-11-05T06:00:00Z"])
        #expect(next.status == 3, "\(next.out)\(next.err)")
        #expect(next.err.contains("the schedule would start at 2029-12-31T23:45:00Z"), "\(next.err)")
        #expect(!next.out.contains("nothing new"))

        let early = try Setup()
        defer { early.cli.cleanUp() }
        let ahead = early.verify(["--since-last", "--from", "2026-11-05T05:00:00Z", "--now", "2026-11-05T05:10:00Z"])
        #expect(ahead.status == 3, "\(ahead.out)\(ahead.err)")
        #expect(try !FileManager.default.fileExists(atPath: early.archive) || early.windows().isEmpty)
    }

    @Test func `a from earlier than the watermark is ignored with a note and a later one is refused`() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let first = setup.verify(["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T03:15:00Z"])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        let earlier = setup.verify(["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T04:15:00Z"])
        #expect(earlier.status == 0, "\(earlier.out)\(earlier.err)")
        #expect(
            earlier.err.contains(
                "note: --from 2026-11-05T01:00:00Z ignored: the schedule continues from its watermark "
                    + "2026-11-05T03:00:00Z"), "\(earlier.err)")
        let later = setup.verify(["--since-last", "--from", "2026-11-05T05:00:00Z", "--now", "2026-11-05T06:15:00Z"])
        #expect(later.status == 64, "\(later.out)\(later.err)")
        #expect(later.err.contains("would leave 2026-11-05T04:00:00Z to 2026-11-05T05:00:00Z unproven"), "\(later.err)")
        #expect(
            try setup.windows() == [
                "2026-11-05T01:00:00Z/2026-11-05T03:00:00Z", "2026-11-05T03:00:00Z/2026-11-05T04:00:00Z",
            ])
    }

    @Test func `watch stops with the usage exit code on a usage error`() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        // No --from and an empty archive: every run would fail the same way.
        let (result, timedOut) = try BuiltExecutable.locate().run(
            [
                "watch", "--every", "1s", "--workspace", setup.logs, "--policy", VerifyCommandTests.policy,
                "--archive", setup.archive, "--quiet", "--ci", "none",
            ], cli: setup.cli, timeout: 20)
        #expect(!timedOut, "watch kept running: \(result.err)")
        #expect(result.status == 64, "\(result.err)")
        #expect(result.err.components(separatedBy: "give --from").count == 2, "\(result.err)")
    }

    @Test func `the on-worse hook runs when a new UNPROVEN reason appears`() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let log = setup.cli.path("hook.log")
        let hook = "env | grep -E '^PATHPROOF_(VERDICT|WINDOW_FROM|WINDOW_TO|ARCHIVE|ARCHIVE_INDEX)=' | sort >> \(log)"
        let first = setup.verify(
            ["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T03:15:00Z", "--on-worse", hook])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(!FileManager.default.fileExists(atPath: log))
        // No record at all after 05:10: the vault was silent longer than maxSilenceMinutes.
        let silent = setup.verify(["--since-last", "--now", "2026-11-05T09:15:00Z", "--on-worse", hook])
        #expect(silent.status == 2, "\(silent.out)\(silent.err)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "PATHPROOF_ARCHIVE=\(setup.archive)", "PATHPROOF_ARCHIVE_INDEX=1",
                "PATHPROOF_VERDICT=UNPROVEN", "PATHPROOF_WINDOW_FROM=2026-11-05T03:00:00Z",
                "PATHPROOF_WINDOW_TO=2026-11-05T09:00:00Z",
            ])
    }
}
