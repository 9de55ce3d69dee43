/// The schedule's watermark: a manual window proven into the same archive does not move it, so it
/// cannot leave a gap behind it; a schedule may start where a manual proof ended.

import EvidenceArchive
import Foundation
import Testing

@testable import PathProofCommands
@testable import TableModel

struct ScheduledWatermarkTests {
    /// Logs with a sign of life and an unwrap in each hour from 01:00 to 05:00.
    func writeLogs(_ cli: CLIHarness) throws -> String {
        var lines: [String] = []
        for hour in 1...5 {
            lines.append(
                ScheduledProofTests.record("2026-11-05T0\(hour):00:30Z", operation: "VaultGet", id: "l\(hour)"))
            lines.append(ScheduledProofTests.record("2026-11-05T0\(hour):10:00Z", id: "h\(hour)"))
        }
        let logs = cli.root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(
            to: logs.appendingPathComponent("PT1H.json"), atomically: true, encoding: .utf8)
        return logs.path
    }

    func windows(_ archive: String) throws -> [String] {
        try EvidenceArchive(path: archive).entries().map { try JSONParser.parse(bytes: $0.report) }.map {
            ($0["window"]?["from"]?.stringValue ?? "?") + "/" + ($0["window"]?["to"]?.stringValue ?? "?")
        }
    }

    @Test func `a manual window proven later does not move the schedule past a gap`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = [
            "verify", "--workspace", try writeLogs(cli), "--policy", VerifyCommandTests.policy, "--archive",
            cli.path("archive.sqlite"), "--quiet", "--ci", "none",
        ]
        let first = cli.run(base + ["--since-last", "--from", "2026-11-05T01:00:00Z", "--now", "2026-11-05T02:15:00Z"])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        let manual = cli.run(
            base + ["--from", "2026-11-05T03:00:00Z", "--to", "2026-11-05T04:00:00Z", "--now", "2026-11-05T05:00:00Z"])
        #expect(manual.status == 0, "\(manual.out)\(manual.err)")
        let next = cli.run(base + ["--since-last", "--now", "2026-11-05T05:15:00Z"])
        #expect(next.status == 0, "\(next.out)\(next.err)")
        #expect(
            try windows(cli.path("archive.sqlite")) == [
                "2026-11-05T01:00:00Z/2026-11-05T02:00:00Z", "2026-11-05T03:00:00Z/2026-11-05T04:00:00Z",
                "2026-11-05T02:00:00Z/2026-11-05T05:00:00Z",
            ])
        #expect(next.out.contains("proven without a gap since 2026-11-05T01:00:00Z"))
        let history = cli.run(["archive", "history", "--archive", cli.path("archive.sqlite")])
        #expect(history.status == 0, "\(history.out)\(history.err)")
        #expect(history.out.contains("1 manual report(s) of this series (--from/--to) are not part of the schedule"))
        #expect(history.out.contains("proven without a gap since 2026-11-05T01:00:00Z"))
    }

    @Test func `manual windows are listed without continuity, and a manual run states none`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = [
            "verify", "--workspace", try writeLogs(cli), "--policy", VerifyCommandTests.policy, "--archive",
            cli.path("archive.sqlite"), "--quiet", "--ci", "none", "--now", "2026-11-05T06:00:00Z",
        ]
        for window in [("01", "02"), ("03", "05")] {
            let result = cli.run(
                base + ["--from", "2026-11-05T\(window.0):00:00Z", "--to", "2026-11-05T\(window.1):00:00Z"])
            #expect(result.status == 0, "\(result.out)\(result.err)")
        }
        let history = cli.run(["archive", "history", "--archive", cli.path("archive.sqlite")])
        #expect(history.status == 0, "\(history.out)")
        let lines = history.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(history.out)")
        #expect(lines.first?.hasSuffix(": no schedule (no 'verify --since-last' run), 2 manual report(s)") == true)
        #expect(lines.dropFirst().first == "  #0 2026-11-05T01:00:00Z to 2026-11-05T02:00:00Z PROVEN 1 access(es)")
        #expect(!history.out.contains("GAP") && !history.out.contains("proven without a gap"))
        // A manual run states no continuity either.
        let again = cli.run(base + ["--from", "2026-11-05T03:00:00Z", "--to", "2026-11-05T04:00:00Z"])
        #expect(again.status == 0 && !again.out.contains("proven without a gap"), "\(again.out)")
    }

    @Test func `the continuity of scheduled windows names gaps and overlaps`() {
        func window(_ from: String, _ to: String, _ index: Int) -> PastReport {
            PastReport(
                index: index, from: LateArrivalTests.at(from), to: LateArrivalTests.at(to), verdict: "PROVEN",
                accesses: 1, violationKeys: [], unprovenReasons: [], lateArrivals: [], scheduled: true, settled: true)
        }
        let schedule = [
            window("2026-11-05T01:00:00Z", "2026-11-05T02:00:00Z", 0),
            window("2026-11-05T03:00:00Z", "2026-11-05T05:00:00Z", 1),
            window("2026-11-05T04:00:00Z", "2026-11-05T06:00:00Z", 2),
        ]
        let continuity = ArchiveHistory.continuity(schedule)
        #expect(
            continuity.gaps.map { [$0.from.apiText, $0.to.apiText] } == [
                ["2026-11-05T02:00:00Z", "2026-11-05T03:00:00Z"]
            ])
        #expect(
            continuity.overlaps.map { [$0.from.apiText, $0.to.apiText] } == [
                ["2026-11-05T04:00:00Z", "2026-11-05T05:00:00Z"]
            ])
        let lines = ArchiveHistory.lines(series: "s", history: schedule, schedule: schedule, continuity: continuity)
        #expect(lines.contains("  GAP 2026-11-05T02:00:00Z to 2026-11-05T03:00:00Z: no report"))
        #expect(
            lines.contains("  OVERLAP 2026-11-05T04:00:00Z to 2026-11-05T05:00:00Z: covered by two scheduled windows"))
    }

    @Test func `a schedule starts where a manual proof ended`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = [
            "verify", "--workspace", try writeLogs(cli), "--policy", VerifyCommandTests.policy, "--archive",
            cli.path("archive.sqlite"), "--quiet", "--ci", "none",
        ]
        let manual = cli.run(
            base + ["--from", "2026-11-05T01:00:00Z", "--to", "2026-11-05T03:00:00Z", "--now", "2026-11-05T04:00:00Z"])
        #expect(manual.status == 0, "\(manual.out)\(manual.err)")
        let scheduled = cli.run(base + ["--since-last", "--now", "2026-11-05T04:15:00Z"])
        #expect(scheduled.status == 0, "\(scheduled.out)\(scheduled.err)")
        #expect(try windows(cli.path("archive.sqlite")).last == "2026-11-05T03:00:00Z/2026-11-05T04:00:00Z")
    }
}
