/// Copies of one event: a true duplicate counts once, a copy that says something else is judged.

import EvidenceAnalysis
import Testing

struct DuplicateCopyTests {
    let analyzer = Analyzer(policy: Synthetic.policy())

    /// A copy of the default row that claims another identity, no perimeter and the public route.
    static var forged: Row {
        var row = Row()
        row.enterprisePolicy = Synthetic.userAssignedClaim
        row.perimeter = "[]"
        row.addressAuthorizationType = "PublicIP"
        row.trustedService = ""
        return row
    }

    @Test func `an identical copy is a duplicate, counted once`() {
        let report = analyzer.run([Tables.source([Row(), Row()])])
        #expect(report.verdict == .proven)
        #expect(report.accesses == 1)
        #expect(report.duplicates == 1)
        #expect(!report.notes.joined().contains("disagreed"))
    }

    @Test(arguments: [false, true])
    func `a copy that contradicts the claims or route is judged on its own, whatever the order`(forgedFirst: Bool) {
        let rows = forgedFirst ? [Self.forged, Row()] : [Row(), Self.forged]
        let report = analyzer.run([Tables.source(rows)])
        #expect(report.verdict == .violated)
        #expect(report.accesses == 2)
        #expect(report.duplicates == 0)
        #expect(
            Set(report.violations.map(\.rule)) == [
                .enterprisePolicyUnexpected, .perimeterClaimEmpty, .routeNotAccepted,
            ])
        #expect(report.notes.contains { $0.contains("1 copy of an event") && $0.contains("judged as an access") })
        // The same report either way: no copy hides another.
        let other = analyzer.run([Tables.source(rows.reversed())])
        #expect(other.violations == report.violations && other.decisions == report.decisions)
    }

    @Test(arguments: ["enterprisePolicy", "perimeter", "route", "tenant"])
    func `each decisive field alone makes a copy distinct`(field: String) {
        var copy = Row()
        switch field {
        case "enterprisePolicy": copy.enterprisePolicy = Synthetic.pairedPolicyID
        case "perimeter": copy.perimeter = "[\"\(Synthetic.otherPerimeter)\"]"
        case "route": copy.privateEndpointId = "/subscriptions/s/providers/Microsoft.Network/privateEndpoints/pe"
        default:
            copy.callerTenant = "00000000-0000-0000-0000-0000000000ff"
        }
        var original = Row()
        if field == "tenant" { original.callerTenant = "00000000-0000-0000-0000-0000000000a7" }
        let report = analyzer.run([Tables.source([original, copy])])
        #expect(report.accesses == 2, "\(field)")
        #expect(report.duplicates == 0, "\(field)")
    }

    @Test func `a placeholder or a differently cased route value does not split a duplicate`() {
        var copy = Row()
        copy.addressAuthorizationType = "trustedservice"
        copy.subnetId = "(unknown)"
        let report = analyzer.run([Tables.source([Row(), copy])])
        #expect(report.accesses == 1)
        #expect(report.duplicates == 1)
    }
}

/// Claims and names that only look like the expected ones.
struct LookAlikeTests {
    @Test(arguments: [false, true])
    func `a foreign tenant claim that only one copy carries is judged whatever the order`(foreignFirst: Bool) {
        var policy = Synthetic.policy()
        policy.tenantId = "00000000-0000-0000-0000-0000000000a7"
        var foreign = Row()
        foreign.callerTenant = "00000000-0000-0000-0000-0000000000ff"
        let rows = foreignFirst ? [foreign, Row()] : [Row(), foreign]
        let report = Analyzer(policy: policy).run([Tables.source(rows)])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.callerTenantUnexpected])
        #expect(report.accesses == 1 && report.duplicates == 1)
    }

    @Test func `an enterprise policy id with a look-alike letter is not the expected one`() {
        var row = Row()
        // U+212A KELVIN SIGN, which Swift's lowercased() and == take for "k".
        row.enterprisePolicy = Synthetic.policyClaim.replacingOccurrences(
            of: "pp/providers", with: "pp\u{212A}/providers")
        #expect(row.enterprisePolicy != Synthetic.policyClaim)
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([row])])
        #expect(report.violations.map(\.rule) == [.enterprisePolicyUnexpected])
        #expect(Identifiers.normalizedResourceID("/A/\u{212A}") != Identifiers.normalizedResourceID("/a/k"))
        #expect(Identifiers.normalizedResourceID("/SUBSCRIPTIONS/x/") == "/subscriptions/x")
    }

    @Test func `a record whose vault name and ResourceId disagree is undecided, in scope by either`() {
        var other = Row()
        other.vault = "KV-OTHER"
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([other])])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains("names vault KV-OTHER but its ResourceId names vault") })
    }
}
