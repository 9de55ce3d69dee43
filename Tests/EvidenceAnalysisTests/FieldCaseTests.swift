/// The field cases of issue 5 §9 that reach the analyzer, each as a small synthetic table.

import EvidenceAnalysis
import Foundation
import TableModel
import Testing

struct FieldCaseTests {
    let analyzer = Analyzer(policy: Synthetic.policy())

    @Test func `perimeter and private-endpoint columns absent from the workspace give UNPROVEN with the reason`() {
        let rows = Tables.series(count: 3, minutes: 10) {
            $0.perimeter = ""
            $0.privateEndpointId = ""
        }
        let source = Tables.source(rows, missing: ["identity_claim_xms_az_nwperimid_s", "privateEndpointId_s"])
        let report = analyzer.run([source])
        #expect(report.verdict == .unproven)
        #expect(report.violations.isEmpty)
        #expect(
            report.unprovenReasons == [
                "3 accesses or requests: no perimeter claim, and AzureDiagnostics has no perimeter claim column"
            ])
        #expect(report.sources.first?.missingColumns == ["identity_claim_xms_az_nwperimid_s", "privateEndpointId_s"])
    }

    @Test func `an AZKVAuditLogs table that never existed leaves the verdict to AzureDiagnostics`() {
        let absent = EvidenceSource(
            table: "AZKVAuditLogs", rows: Table(columns: Tables.columns),
            absentReason: "SEM0100: Failed to resolve table or column expression named 'AZKVAuditLogs'")
        let report = analyzer.run([absent, Tables.source(Tables.series(count: 2, minutes: 10))])
        #expect(report.verdict == .proven)
        #expect(report.counts.bySourceTable == ["AzureDiagnostics": 2])
        #expect(report.sources.map(\.accesses) == [0, 2])
        #expect(report.notes.contains { $0.hasPrefix("AZKVAuditLogs does not exist in the workspace") })
    }

    @Test func `CallerIpAddress and CallerIPAddress spellings are the same field`() {
        let row = Row()
        func renamed(_ name: String, table: String) -> EvidenceSource {
            var source = Tables.source([row], table: table)
            let index = source.rows.columnIndex("CallerIp")!
            source.rows.columns[index].name = name
            return source
        }
        let report = analyzer.run([
            renamed("CallerIPAddress", table: "AzureDiagnostics"), renamed("CallerIpAddress", table: "AZKVAuditLogs"),
        ])
        #expect(report.accesses == 1)
        #expect(report.duplicates == 1)
        #expect(report.decisions.first?.routeRule.contains("trusted-service") == true)
    }

    @Test func `one KeyUnwrap from both schemas counts once`() {
        // AZKVAuditLogs carries the perimeter claim as a dynamic array and the oid in upper case.
        var table = Tables.table([Row()])
        let perimeter = table.columnIndex("PerimeterClaim")!
        let objectId = table.columnIndex("ObjectId")!
        table.columns[perimeter].type = .dynamic
        table.rows[0][perimeter] = .dynamic(.array([.string(Synthetic.perimeter)]))
        table.rows[0][objectId] = .string(Synthetic.policyObjectId.uppercased())
        let resourceSpecific = EvidenceSource(table: "AZKVAuditLogs", rows: table)
        let report = analyzer.run([Tables.source([Row()]), resourceSpecific])
        #expect(report.verdict == .proven)
        #expect(report.accesses == 1)
        #expect(report.duplicates == 1)
    }

    @Test func `a public KeyUnwrap with an empty perimeter and a valid identity is VIOLATED`() {
        var row = Row()
        row.callerIp = "198.51.100.23"
        row.addressAuthorizationType = "PublicIP"
        row.trustedService = ""
        row.perimeter = "[]"
        let plain = analyzer.run([Tables.source([row])])
        #expect(plain.verdict == .violated)
        // Public is never accepted, even by a policy that lists no routes.
        #expect(plain.violations.map(\.rule) == [.perimeterClaimEmpty, .routeNotAccepted])
        #expect(plain.decisions.first?.route == .publicInternet)
        let routed = Analyzer(policy: Synthetic.policy(routes: [.trustedService, .privateEndpoint])).run([
            Tables.source([row])
        ])
        #expect(routed.violations.map(\.rule) == [.perimeterClaimEmpty, .routeNotAccepted])
    }

    @Test func `a 403 through a private endpoint and a KeySign 400 logged as Success are not accesses`() {
        var forbidden = Row()
        forbidden.status = 403
        forbidden.resultSignature = "Forbidden"
        forbidden.privateEndpointId =
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/privateEndpoints/pe"
        forbidden.enterprisePolicy = Synthetic.userAssignedClaim
        var sign = Row()
        sign.time = "2026-03-01T10:31:00Z"
        sign.operation = "KeySign"
        sign.status = 400
        sign.resultSignature = "Bad Request"
        let policy = ProofPolicy(
            enterprisePolicies: [Synthetic.policyID], perimeters: [Synthetic.perimeter], vaults: ["kv-cmk"],
            operations: ["KeyUnwrap", "KeySign"], maxSilenceMinutes: 0)
        let report = Analyzer(policy: policy).run([Tables.source([forbidden, sign])])
        #expect(report.accesses == 0)
        #expect(report.verdict == .unproven)
        #expect(report.blockedAttempts.map(\.record.operation) == ["KeyUnwrap"])
        #expect(report.blockedAttempts.first?.record.route == .privateEndpoint)
        #expect(report.failedRequests.map(\.kind) == ["cmk-request-failed"])
        #expect(report.counts.byOutcome == ["400": 1, "403": 1])
    }

    @Test func `a redelivered record counts once and three silent hours are UNPROVEN`() {
        let window = (from: Synthetic.time("2026-03-01T10:00:00Z"), to: Synthetic.time("2026-03-01T16:00:00Z"))
        let morning = Tables.series(count: 6, minutes: 10)
        let afternoon = Tables.series(count: 5, minutes: 30, start: "2026-03-01T14:00:00Z") {
            $0.correlationId = "aa" + $0.correlationId.dropFirst(2)
        }
        let batch = morning + [morning[3]] + afternoon
        let report = Analyzer(policy: Synthetic.policy(maxSilenceMinutes: 120)).analyze(
            sources: [Tables.source(batch)], window: window, now: Synthetic.later)
        #expect(report.duplicates == 1)
        #expect(report.accesses == 10)  // 16:00 is the exclusive end of the window
        #expect(report.verdict == .unproven)
        let silences = report.coverage.first?.silences ?? []
        #expect(silences.map(\.from) == ["2026-03-01T10:50:00Z"])
        #expect(silences.map(\.to) == ["2026-03-01T14:00:00Z"])
        #expect(silences.map(\.minutes) == [190])
        #expect(report.coverage.first?.hourBuckets == 6)
        #expect(report.coverage.first?.hourBucketsWithRecords == 3)
        #expect(report.unprovenReasons.contains { $0.contains("from 2026-03-01T10:50:00Z to 2026-03-01T14:00:00Z") })
    }

    @Test func `lower-case column names read like the projected ones`() {
        var source = Tables.source([Row()])
        for index in source.rows.columns.indices {
            source.rows.columns[index].name = source.rows.columns[index].name.lowercased()
        }
        let report = analyzer.run([source])
        #expect(report.verdict == .proven)
        #expect(report.accesses == 1)
    }

    @Test func `a TimeGenerated without a zone is UTC whatever the machine's zone`() {
        setenv("TZ", "Europe/London", 1)
        var table = Tables.table([Row()])
        let time = table.columnIndex("TimeGenerated")!
        table.columns[time].type = .string
        table.rows[0][time] = .string("2026-07-01 10:30:00")
        let window = (from: Synthetic.time("2026-07-01T10:00:00Z"), to: Synthetic.time("2026-07-01T11:00:00Z"))
        let report = analyzer.analyze(
            sources: [EvidenceSource(table: "AzureDiagnostics", rows: table)], window: window,
            now: Synthetic.time("2026-07-02T00:00:00Z"))
        #expect(report.decisions.map(\.time) == ["2026-07-01T10:30:00Z"])
    }

    @Test func `a window that ends inside the settle margin is not PROVEN yet, and a later run includes it`() {
        // The access happens at T = 10:30 and is ingested at T+15; the window ends at T+5.
        let window = (from: Synthetic.time("2026-03-01T10:00:00Z"), to: Synthetic.time("2026-03-01T10:35:00Z"))
        var early = Row()
        early.time = "2026-03-01T10:05:00Z"
        early.correlationId = "c0ffee00-0000-0000-0000-0000000000aa"
        let first = analyzer.analyze(
            sources: [Tables.source([early])], window: window, now: Synthetic.time("2026-03-01T10:40:00Z"))
        #expect(first.verdict == .unproven)
        #expect(first.unprovenReasons.contains { $0.contains("records may still arrive") })
        let second = analyzer.analyze(
            sources: [Tables.source([early, Row()])], window: window, now: Synthetic.time("2026-03-01T11:00:00Z"))
        #expect(second.verdict == .proven)
        #expect(second.accesses == 2)
    }

    @Test func `KeyWrap and KeyUnwrap 403s by the policy identity are a lock-out risk, not proof`() {
        let rows = [("KeyWrap", "10:10"), ("KeyUnwrap", "10:20")].map { operation, minute in
            var row = Row()
            row.operation = operation
            row.time = "2026-03-01T\(minute):00Z"
            row.status = 403
            row.resultSignature = "Forbidden"
            row.resultDescription = "Caller is not authorized to perform action on resource."
            return row
        }
        let report = analyzer.run([Tables.source(rows)])
        #expect(report.accesses == 0)
        #expect(report.verdict == .unproven)
        #expect(report.blockedAttempts.map(\.kind) == ["cmk-identity-refused", "cmk-identity-refused"])
        #expect(
            report.notes.contains {
                $0.hasPrefix("the enterprise policy identity was refused (KeyUnwrap 1, KeyWrap 1)")
            })
    }

    @Test func `a public KeyGet refused by the firewall is evidence the firewall works`() {
        var row = Row()
        row.operation = "KeyGet"
        row.status = 403
        row.resultSignature = "Forbidden"
        row.callerIp = "203.0.113.50"
        row.enterprisePolicy = Synthetic.userAssignedClaim
        row.addressAuthorizationType = ""
        row.trustedService = ""
        row.isAddressAuthorized = "False"
        row.resultDescription =
            "Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.50"
        let report = analyzer.run([Tables.source([row])])
        #expect(report.blockedAttempts.map(\.kind) == ["firewall-refused"])
        #expect(report.violations.isEmpty)
        #expect(report.textSummary.contains("blocked firewall-refused"))
    }

    @Test func `a vault with no audit record in the window is UNPROVEN`() {
        var policy = Synthetic.policy()
        policy.vaults.append("kv-cmk-dr")
        let report = Analyzer(policy: policy).run([Tables.source(Tables.series(count: 2, minutes: 10))])
        #expect(report.verdict == .unproven)
        #expect(
            report.unprovenReasons.contains("vault kv-cmk-dr has no audit record in the window: logging may be off"))
        #expect(report.coverage.map(\.vault) == ["kv-cmk", "kv-cmk-dr"])
    }

    @Test func `a public KeyWrap among private KeyUnwraps is VIOLATED; KeyUnwrapKey is refused at load`() throws {
        var rows = Tables.series(count: 3, minutes: 10)
        var wrap = Row()
        wrap.operation = "KeyWrap"
        wrap.time = "2026-03-01T11:00:00Z"
        wrap.callerIp = "198.51.100.40"
        wrap.addressAuthorizationType = "PublicIP"
        wrap.trustedService = ""
        wrap.perimeter = "[]"
        rows.append(wrap)
        let report = analyzer.run([Tables.source(rows)])
        #expect(report.verdict == .violated)
        #expect(Set(report.violations.map(\.record.operation)) == ["KeyWrap"])
        #expect(report.violations.map(\.rule) == [.perimeterClaimEmpty, .routeNotAccepted])
        let text = """
            {"vaults":["kv-cmk"],"enterprisePolicies":["\(Synthetic.policyID)"],
             "perimeters":["\(Synthetic.perimeter)"],"operations":["KeyUnwrapKey"]}
            """
        #expect(throws: PolicyError.self) { try ProofPolicy.decode(Data(text.utf8), file: "policy.json") }
    }
}
