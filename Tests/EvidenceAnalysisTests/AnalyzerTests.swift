/// The core proof: accesses by HTTP status, both claims parsed and matched, verdict precedence.

import EvidenceAnalysis
import Foundation
import TableModel
import Testing

struct AnalyzerTests {
    let analyzer = Analyzer(policy: Synthetic.policy())

    @Test func `accesses that carry both expected claims are PROVEN`() {
        let report = analyzer.run([Tables.source(Tables.series(count: 4, minutes: 20))])
        #expect(report.verdict == .proven)
        #expect(report.accesses == 4)
        #expect(report.violations.isEmpty)
        #expect(report.unprovenReasons.isEmpty)
        #expect(report.counts.byOperation == ["KeyUnwrap": 4])
        #expect(report.decisions.allSatisfy { $0.outcome == "proven" })
        #expect(report.decisions[0].explanation.contains("perimeter \(Synthetic.perimeter) expected"))
    }

    @Test func `an empty perimeter list is no perimeter and violates`() {
        var row = Row()
        row.perimeter = "[]"
        row.callerIp = "203.0.113.7"
        let report = analyzer.run([Tables.source([row])])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.perimeterClaimEmpty])
        #expect(report.violations[0].record.callerIp == "203.0.113.7")
    }

    @Test(arguments: [
        ("", ViolationRule.perimeterClaimAbsent),
        ("not json", .perimeterClaimUnparsable),
        ("[1,2]", .perimeterClaimUnparsable),
        ("{\"a\":1}", .perimeterClaimUnparsable),
        ("[\"11111111-2222-3333-4444-555555555555\"]", .perimeterNotExpected),
        ("[\"8F0B2B7C-6A43-4C52-9F3E-2A1D5C9E7B10\",\"11111111-2222-3333-4444-555555555555\"]", .perimeterNotExpected),
    ])
    func `a perimeter claim that is not a list of expected GUIDs violates`(claim: String, rule: ViolationRule) {
        var row = Row()
        row.perimeter = claim
        let report = analyzer.run([Tables.source([row])])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [rule])
    }

    @Test func `perimeter GUIDs and policy ids compare without regard to case`() {
        var row = Row()
        row.perimeter = "[\"\(Synthetic.perimeter.uppercased())\"]"
        row.enterprisePolicy = Synthetic.policyID.uppercased() + "/"
        #expect(analyzer.run([Tables.source([row])]).verdict == .proven)
    }

    @Test func `an identity outside the policy violates, and no identity at all too`() {
        var foreign = Row()
        foreign.operation = "KeyWrap"
        foreign.enterprisePolicy = Synthetic.userAssignedClaim
        var anonymous = Row()
        anonymous.time = "2026-03-01T10:40:00Z"
        anonymous.enterprisePolicy = ""
        let report = analyzer.run([Tables.source([foreign, anonymous])])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.enterprisePolicyUnexpected, .enterprisePolicyClaimAbsent])
        #expect(report.counts.byIdentity[Identifiers.normalizedResourceID(Synthetic.userAssignedClaim)] == 1)
    }

    @Test func `a 403 logged as Success is a blocked attempt, not an access`() {
        var row = Row()
        row.status = 403
        row.resultSignature = "Forbidden"
        row.enterprisePolicy = Synthetic.userAssignedClaim
        let report = analyzer.run([Tables.source([row])])
        #expect(report.accesses == 0)
        #expect(report.violations.isEmpty)
        #expect(report.blockedAttempts.map(\.kind) == ["authorization-refused"])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.hasPrefix("no access to prove") })
    }

    @Test func `Authentication 401 challenges are not in scope at all`() {
        var challenge = Row()
        challenge.operation = "Authentication"
        challenge.status = 401
        challenge.enterprisePolicy = ""
        challenge.perimeter = ""
        let report = analyzer.run([Tables.source([challenge] + Tables.series(count: 1, minutes: 1))])
        #expect(report.verdict == .proven)
        #expect(report.blockedAttempts.isEmpty)
        #expect(report.counts.byOutcome == ["200": 1])
    }

    @Test func `a request without an HTTP status is undecided, never proven`() {
        var row = Row()
        row.status = nil
        let report = analyzer.run([Tables.source([row] + Tables.series(count: 1, minutes: 1))])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains("no HTTP status") })
    }

    @Test func `an absent perimeter column is UNPROVEN and never a perimeter violation`() {
        let source = Tables.source(
            Tables.series(count: 2, minutes: 5) { $0.perimeter = "" }, missing: ["identity_claim_xms_az_nwperimid_s"])
        let report = analyzer.run([source])
        #expect(report.verdict == .unproven)
        #expect(report.violations.isEmpty)
        #expect(report.unprovenReasons.contains { $0.contains("has no perimeter claim column") })
        #expect(report.decisions.allSatisfy { $0.outcome == "undecided" })
    }

    @Test func `a projected column missing from the rows is treated as absent`() {
        let report = analyzer.run([Tables.source(Tables.series(count: 2, minutes: 5), dropping: ["HttpStatus"])])
        #expect(report.verdict == .unproven)
        #expect(report.accesses == 0)
        #expect(report.unprovenReasons.contains { $0.contains("requests have no HTTP status") })
        #expect(report.notes.contains { $0.hasPrefix("AzureDiagnostics has no HTTP status column") })
    }

    @Test func `a found violation wins over incomplete evidence, which is still listed`() {
        var bad = Row()
        bad.perimeter = "[]"
        let report = analyzer.run([Tables.source([bad], incomplete: ["PartialError: E_QUERY_RESULT_SET_TOO_LARGE"])])
        #expect(report.verdict == .violated)
        #expect(report.unprovenReasons.contains { $0.contains("E_QUERY_RESULT_SET_TOO_LARGE") })
    }

    @Test func `incomplete evidence keeps good accesses from PROVEN`() {
        let source = Tables.source(Tables.series(count: 3, minutes: 5), incomplete: ["truncated at 500000 rows"])
        let report = analyzer.run([source])
        #expect(report.verdict == .unproven)
        #expect(report.accesses == 3)
    }

    @Test func `the same event twice counts once and the copies are counted`() {
        let rows = Tables.series(count: 3, minutes: 5)
        let report = analyzer.run([Tables.source(rows + [rows[1], rows[1]])])
        #expect(report.accesses == 3)
        #expect(report.duplicates == 2)
        #expect(report.verdict == .proven)
    }

    @Test func `records outside the window, vault, operation or key scope are not accesses`() {
        var early = Row()
        early.time = "2026-03-01T09:59:59Z"
        early.perimeter = "[]"
        var atEnd = Row()
        atEnd.time = "2026-03-01T12:00:00Z"
        atEnd.perimeter = "[]"
        var otherVault = Row()
        otherVault.vault = "KV-OTHER"
        otherVault.resourceId = Synthetic.vaultResourceId.replacingOccurrences(of: "KV-CMK", with: "KV-OTHER")
        otherVault.perimeter = "[]"
        var sign = Row()
        sign.operation = "KeySign"
        sign.perimeter = "[]"
        let report = analyzer.run([Tables.source([early, atEnd, otherVault, sign, Row()])])
        #expect(report.verdict == .proven)
        #expect(report.accesses == 1)
    }

    @Test func `the vault name falls back to the resource id`() {
        var row = Row()
        row.vault = ""
        let report = analyzer.run([Tables.source([row])])
        #expect(report.verdict == .proven)
        #expect(report.counts.byVault == ["kv-cmk": 1])
    }

    @Test func `the report JSON is the same whatever the row order`() {
        var rows = Tables.series(count: 6, minutes: 7)
        rows[2].perimeter = "[]"
        rows[4].enterprisePolicy = Synthetic.userAssignedClaim
        let first = analyzer.run([Tables.source(rows)]).jsonText
        let second = analyzer.run([Tables.source(rows.reversed())]).jsonText
        #expect(first == second)
        #expect(first.contains("\"verdict\" : \"VIOLATED\""))
        let decoded = try? JSONDecoder().decode(Report.self, from: Data(first.utf8))
        #expect(decoded?.violations.count == 2)
    }

    @Test func `the text summary starts with the verdict and lists each violation and reason`() {
        var bad = Row()
        bad.perimeter = "[]"
        let report = analyzer.run([Tables.source([bad], incomplete: ["page 3 failed"])])
        let lines = report.textSummary.split(separator: "\n")
        #expect(lines.first?.hasPrefix("VIOLATED: 1 access, 1 violation") == true)
        #expect(lines.contains { $0.hasPrefix("violation perimeter-claim-empty:") })
        #expect(lines.contains { $0.hasPrefix("unproven: AzureDiagnostics is incomplete: page 3 failed") })
    }

    @Test func `no evidence at all is UNPROVEN`() {
        let report = analyzer.run([Tables.source([])])
        #expect(report.verdict == .unproven)
        #expect(report.accesses == 0)
    }
}
