/// Key scope from the request URI, pinned object ids, regional evidence and waivers.

import EvidenceAnalysis
import TableModel
import Testing

struct ScopeAndWaiverTests {
    @Test func `only the policy's key counts, and a pinned version narrows it`() {
        var other = Row()
        other.time = "2026-03-01T10:31:00Z"
        other.requestUri = "https://kv-cmk.vault.azure.net/keys/Other-Key/ffff/wrapkey?api-version=7.4"
        other.perimeter = "[]"
        var get = Row()
        get.time = "2026-03-01T10:32:00Z"
        get.operation = "KeyGet"
        get.requestUri = "https://kv-cmk.vault.azure.net:443/keys/CMK-KEY?api-version=7.4"
        let byName = Analyzer(policy: Synthetic.policy(keys: [KeyScope(name: "cmk-key")]))
            .run([Tables.source([Row(), other, get])])
        #expect(byName.verdict == .proven)
        #expect(byName.accesses == 2)
        let pinnedPolicy = Synthetic.policy(
            keys: [KeyScope(name: "cmk-key", version: "0123456789ABCDEF0123456789ABCDEF")])
        // The KeyGet names no version in its URI (the latest); its key id names the pinned one.
        let pinned = Analyzer(policy: pinnedPolicy).run([Tables.source([Row(), other, get])])
        #expect(pinned.accesses == 2)
        #expect(pinned.verdict == .proven)

        // Another version is out of scope; a latest-version call whose version nothing names is
        // undecided, never silently dropped.
        var older = get
        older.keyId = "https://kv-cmk.vault.azure.net/keys/cmk-key/ffffffffffffffffffffffffffffffff"
        var unnamed = get
        unnamed.time = "2026-03-01T10:33:00Z"
        unnamed.keyId = ""
        unnamed.perimeter = "[]"
        let narrowed = Analyzer(policy: pinnedPolicy).run([Tables.source([Row(), older, unnamed])])
        #expect(narrowed.accesses == 1)
        #expect(narrowed.verdict == .unproven)
        #expect(narrowed.unprovenReasons.contains { $0.contains("key version cannot be read") }, "\(narrowed)")
    }

    @Test func `a request whose key cannot be read is undecided when keys are in scope`() {
        var row = Row()
        row.requestUri = ""
        row.keyId = ""
        let report = Analyzer(policy: Synthetic.policy(keys: [KeyScope(name: "cmk-key")])).run([Tables.source([row])])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains("key addressed cannot be read") })
    }

    @Test func `the key id is used when the request URI says nothing`() {
        var row = Row()
        row.requestUri = ""
        let report = Analyzer(policy: Synthetic.policy(keys: [KeyScope(name: "cmk-key")])).run([Tables.source([row])])
        #expect(report.verdict == .proven)
    }

    @Test func `a pinned object id catches a different identity behind the same xms_mirid`() {
        let rule = IdentityRule(enterprisePolicy: Synthetic.policyID, objectId: Synthetic.policyObjectId.uppercased())
        var impostor = Row()
        impostor.time = "2026-03-01T10:40:00Z"
        impostor.objectId = "00000000-0000-0000-0000-0000000009f9"
        let report = Analyzer(policy: Synthetic.policy(identities: [rule])).run([Tables.source([Row(), impostor])])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.objectIdUnexpected])
        #expect(report.violations.first?.record.time == "2026-03-01T10:40:00Z")
    }

    @Test func `each policy of a regional pair must show evidence when required`() {
        let rule = IdentityRule(enterprisePolicy: Synthetic.pairedPolicyID, region: "northeurope")
        let policy = Synthetic.policy(
            identities: [rule], requireEach: true, enterprisePolicies: [Synthetic.policyID, Synthetic.pairedPolicyID])
        let report = Analyzer(policy: policy).run([Tables.source([Row()])])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains("cmk-northeurope (region northeurope)") })
        var paired = Row()
        paired.time = "2026-03-01T11:00:00Z"
        paired.enterprisePolicy = Synthetic.pairedPolicyID
        #expect(Analyzer(policy: policy).run([Tables.source([Row(), paired])]).verdict == .proven)
    }

    func waiver(_ id: String, expires: String = "2026-12-31", callerIp: String? = nil, vault: String? = nil) -> Waiver {
        Waiver(
            id: id, rule: "perimeter-claim-empty", justification: "perimeter rollout in progress",
            approver: "ciso@contoso.com", expires: expires, vault: vault, callerIp: callerIp)
    }

    @Test func `a valid waiver covers matching violations and is listed with its count`() {
        let rows = Tables.series(count: 3, minutes: 10) { $0.perimeter = "[]" }
        let policy = Synthetic.policy(waivers: [waiver("W-2", callerIp: "10.10.0.0/24"), waiver("W-1", vault: "other")])
        let report = Analyzer(policy: policy).run([Tables.source(rows)])
        #expect(report.verdict == .proven)
        #expect(report.violations.isEmpty)
        #expect(report.waivedViolations.map(\.waiver) == ["W-2", "W-2", "W-2"])
        #expect(report.waivers.map(\.id) == ["W-1", "W-2"])
        #expect(report.waivers.map(\.applied) == [0, 3])
        #expect(report.counts.byDecision == ["waived": 3])
        #expect(report.textSummary.hasPrefix("PROVEN: 3 accesses, 0 violations, 3 waived\n"))
    }

    @Test func `an expired waiver covers nothing`() {
        var row = Row()
        row.perimeter = "[]"
        let policy = Synthetic.policy(waivers: [waiver("W-old", expires: "2026-02-01T00:00:00Z")])
        let report = Analyzer(policy: policy).run([Tables.source([row])])
        #expect(report.verdict == .violated)
        #expect(report.waivers.first?.expired == true)
        #expect(report.waivers.first?.applied == 0)
        #expect(report.notes.contains { $0.hasPrefix("waiver W-old expired") })
    }

    @Test func `a waiver for one rule leaves the access's other violations standing`() {
        var row = Row()
        row.perimeter = "[]"
        row.enterprisePolicy = Synthetic.userAssignedClaim
        let report = Analyzer(policy: Synthetic.policy(waivers: [waiver("W-1")])).run([Tables.source([row])])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.enterprisePolicyUnexpected])
        #expect(report.waivedViolations.map(\.rule) == [.perimeterClaimEmpty])
        #expect(report.decisions.first?.outcome == "violated")
    }
}
