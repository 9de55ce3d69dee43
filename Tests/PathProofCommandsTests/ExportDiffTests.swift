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
}
