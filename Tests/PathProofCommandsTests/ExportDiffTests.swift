/// Tests of `pathproof diff` between real reports and between archive checkpoints.

import Foundation
import Testing

@testable import TableModel

struct ExportDiffTests {
    let fixture = ExportFixture.shared

    func report(_ run: Int) -> String { fixture.cli.path("run-\(run)/report.json") }

    @Test func `the afternoon's violations are new against the morning, outside its window`() throws {
        let result = fixture.cli.run("diff", report(1), report(0))
        #expect(result.status == 0, "nothing is new inside both windows: \(result.out)")
        #expect(result.out.contains("before: PROVEN"))
        #expect(result.out.contains("after:  VIOLATED"))
        #expect(result.out.contains("violations: 3 new, 0 resolved, 0 persistent"))
        #expect(
            result.out.contains(
                "  new: perimeter-claim-empty 2026-11-02T13:41:09Z KV-CONTOSO-CMK KeyUnwrap from 203.0.113.50"))
        #expect(result.out.contains("(outside the other report's window)"))
    }

    @Test func `reversed, the violations are resolved; the same report twice has only persistent ones`() throws {
        let reversed = fixture.cli.run("diff", report(0), report(1), "--format", "json")
        #expect(reversed.status == 0)
        let json = try JSONParser.parse(reversed.out)
        guard case .array(let resolved)? = json["violations"]?["resolved"] else {
            Issue.record("no resolved list: \(reversed.out)")
            return
        }
        #expect(resolved.count == 3)
        #expect(resolved.allSatisfy { $0["outsideOtherWindow"] == .bool(true) })

        let same = fixture.cli.run("diff", report(0), report(0))
        #expect(same.out.contains("violations: 0 new, 0 resolved, 3 persistent"))
        #expect(same.status == 0)
    }

    @Test func `a violation new inside both windows exits 1, and UNPROVEN reasons are compared`() throws {
        // The VIOLATED report against the UNPROVEN one of the same window: the three violations are
        // new and inside the other window, and the missing-column reasons are resolved.
        let result = fixture.cli.run("diff", report(2), report(0))
        #expect(result.status == 1, "\(result.out)")
        #expect(result.out.contains("violations: 3 new, 0 resolved, 0 persistent"))
        #expect(!result.out.contains("outside the other report's window"))
        #expect(result.out.contains("UNPROVEN: 0 new, "))
        #expect(!result.out.contains("UNPROVEN: 0 new, 0 resolved"))
    }

    @Test func `checkpoints of the archive compare the newest report each covers`() throws {
        let result = fixture.cli.run("diff", "--archive", fixture.archive, "2", "1")
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("before: PROVEN"))
        #expect(result.out.contains("after:  VIOLATED"))
        let beyond = fixture.cli.run("diff", "--archive", fixture.archive, "1", "7")
        #expect(beyond.status == 64)
        #expect(beyond.err.contains("beyond the archive's 3 leaves"))
        let notReport = fixture.cli.run("diff", report(0), fixture.bundle + "/MANIFEST.json")
        #expect(notReport.status == 3)
        #expect(notReport.err.contains("not a PathProof report"))
    }

    @Test func `a policy given as a report is named with the field it lacks, without a decoding dump`() {
        let policy = CLIHarness.repo("Fixtures/demo/policy.json")
        let result = fixture.cli.run("diff", policy, report(0))
        #expect(result.status == 3)
        #expect(result.err == "Error: \(policy): not a PathProof report: no 'verdict' field\n")
        let typed = fixture.cli.run("diff", report(0), fixture.bundle + "/MANIFEST.json")
        #expect(!typed.err.contains("DecodingError"), "\(typed.err)")
        #expect(!typed.err.contains("CodingKeys"), "\(typed.err)")
    }
}

/// `pathproof diff` on logging silences: each silence is one UNPROVEN finding, matched by vault and interval.
struct SilenceDiffTests {
    /// Verifies 08:00–20:00 on a workspace whose only records are in-policy KeyUnwraps at `times`
    /// (hh:mm on 2 November 2026) and returns the path of the report verify wrote.
    func report(_ field: FieldCaseWorkspace, times: [String]) throws -> String {
        let events = times.enumerated().map { number, time in
            FieldEvent(
                time: "2026-11-02T\(time):00Z",
                correlationId: "7c1e0000-0000-0000-0000-" + String(100_000_000_000 + number))
        }
        try field.write("PT1H.json", FieldEvent.jsonLines(events.map(\.raw)))
        field.ingest()
        let result = try field.verify(
            from: "2026-11-02T08:00:00Z", to: "2026-11-02T20:00:00Z", extra: ["--out", field.cli.path("out")])
        #expect(result.status == 2, "silences make the verdict UNPROVEN: \(result.err)")
        return field.cli.path("out/report.json")
    }

    @Test func `a silence new, one resolved and one persistent are each counted once`() throws {
        let before = try FieldCaseWorkspace()
        let after = try FieldCaseWorkspace()
        defer {
            before.cleanUp()
            after.cleanUp()
        }
        // Both are silent 09:00–12:00 (persistent); before is silent 12:30–15:00 (resolved by the
        // 13:30 record after); after is silent 16:00–19:00 (new), where before has records.
        let beforeReport = try report(
            before, times: ["08:30", "09:00", "12:00", "12:30", "15:00", "16:00", "17:00", "18:00", "19:00", "19:30"])
        let afterReport = try report(
            after, times: ["08:30", "09:00", "12:00", "12:30", "13:30", "15:00", "16:00", "19:00", "19:30"])

        let result = before.cli.run("diff", beforeReport, afterReport)
        #expect(result.status == 1, "a new silence inside both windows is something new: \(result.out)")
        #expect(result.out.contains("UNPROVEN: 1 new, 1 resolved, 1 persistent"), "\(result.out)")
        #expect(
            result.out.contains(
                "  new: vault kv-field has no audit record from 2026-11-02T16:00:00Z to 2026-11-02T19:00:00Z (180"),
            "\(result.out)")
        #expect(result.out.contains("  resolved: vault kv-field has no audit record from 2026-11-02T12:30:00Z"))
        #expect(result.out.contains("  persistent: vault kv-field has no audit record from 2026-11-02T09:00:00Z"))

        let json = try JSONParser.parse(before.cli.run("diff", beforeReport, afterReport, "--format", "json").out)
        let keys = ["new", "resolved", "persistent"].map { kind in
            json["unproven"]?[kind]?.items.compactMap { $0["key"]?.stringValue } ?? []
        }
        #expect(
            keys == [
                ["silence|kv-field|2026-11-02T16:00:00Z|2026-11-02T19:00:00Z"],
                ["silence|kv-field|2026-11-02T12:30:00Z|2026-11-02T15:00:00Z"],
                ["silence|kv-field|2026-11-02T09:00:00Z|2026-11-02T12:00:00Z"],
            ])
    }
}
