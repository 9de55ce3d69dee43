/// Completeness: signs of life, windows without an end, and perimeter logs that contradict.

import EvidenceAnalysis
import TableModel
import Testing

struct CompletenessTests {
    func lifeSource(_ times: [String]) -> EvidenceSource {
        let table = Table(
            columns: [Column("TimeGenerated", .datetime), Column("ResourceId", .string), Column("Count", .long)],
            rows: times.map { [.datetime(Synthetic.time($0)), .string(Synthetic.vaultResourceId), .long(4)] })
        return EvidenceSource(table: "AzureDiagnostics", rows: table, role: .signsOfLife)
    }

    @Test func `signs of life from any operation close a silence between key operations`() {
        let policy = Synthetic.policy(maxSilenceMinutes: 60)
        let keys = Tables.source(Tables.series(count: 2, minutes: 100, start: "2026-03-01T10:10:00Z"))
        let quiet = Analyzer(policy: policy).run([keys])
        #expect(quiet.verdict == .unproven)
        #expect(quiet.coverage.first?.silences.count == 1)
        let alive = Analyzer(policy: policy).run([keys, lifeSource(["2026-03-01T11:00:00Z", "2026-03-01T11:55:00Z"])])
        #expect(alive.verdict == .proven)
        #expect(alive.coverage.first?.records == 4)
        #expect(!alive.notes.contains { $0.contains("key operations only") })
    }

    @Test func `without a window the evidence up to the settle margin is analysed`() {
        var recent = Row()
        recent.time = "2026-03-02T09:50:00Z"
        recent.perimeter = "[]"
        let report = Analyzer(policy: Synthetic.policy()).analyze(
            sources: [Tables.source([Row(), recent])], window: nil, now: Synthetic.later)
        #expect(report.verdict == .proven)
        #expect(report.window.given == false)
        #expect(report.window.from == "2026-03-01T10:30:00Z")
        #expect(report.window.to == "2026-03-02T09:45:00Z")
        #expect(report.notes.contains("1 records newer than the settle margin were left for a later run"))
    }

    func perimeterLog(_ category: String, ip: String, at time: String) -> EvidenceSource {
        let table = Table(
            columns: [
                Column("TimeGenerated", .datetime), Column("Category", .string), Column("TrafficType", .string),
                Column("SourceIpAddress", .string),
            ],
            rows: [[.datetime(Synthetic.time(time)), .string(category), .string(""), .string(ip)]])
        return EvidenceSource(table: "NSPAccessLogs", rows: table, role: .perimeterAccess)
    }

    @Test func `a public inbound perimeter record for the same caller and time contradicts`() {
        let contradiction = perimeterLog(
            "NspPublicInboundPerimeterRulesAllowed", ip: "10.10.0.5", at: "2026-03-01T10:30:40Z")
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()]), contradiction])
        #expect(report.verdict == .violated)
        #expect(report.violations.map(\.rule) == [.perimeterLogContradicts])
        #expect(report.decisions.first?.outcome == "violated")
        let farAway = perimeterLog("NspPublicInboundPerimeterRulesAllowed", ip: "10.10.0.5", at: "2026-03-01T10:45:00Z")
        #expect(Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()]), farAway]).verdict == .proven)
    }

    @Test func `a private perimeter record corroborates`() {
        let corroboration = perimeterLog("NspPrivateInboundAllowed", ip: "10.10.0.5", at: "2026-03-01T10:30:01Z")
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()]), corroboration])
        #expect(report.verdict == .proven)
        #expect(report.notes.contains("1 of 1 accesses are corroborated by a private NSP record"))
    }

    @Test func `rows without a readable time are reported, never silently dropped`() {
        var table = Tables.table([Row()])
        let time = table.columnIndex("TimeGenerated")!
        table.rows.append(table.rows[0])
        table.rows[1][time] = .null
        let report = Analyzer(policy: Synthetic.policy()).run([EvidenceSource(table: "AzureDiagnostics", rows: table)])
        #expect(report.verdict == .unproven)
        #expect(report.sources.first?.unreadableRows == 1)
    }

    @Test func `a column the analyzer does not know, listed as missing, keeps the verdict from PROVEN`() {
        let report = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()], missing: ["xms_az_tm"])])
        #expect(report.verdict == .unproven)
        #expect(report.unprovenReasons.contains { $0.contains("lacks column xms_az_tm") })
    }
}

struct SourceGapTests {
    @Test func `a missing claim column in a source with no in-scope request hides nothing`() {
        let empty = EvidenceSource(
            table: "AzureDiagnostics", rows: Tables.table([]), missingColumns: ["identity_claim_xms_az_nwperimid_s"])
        var resourceSpecific = Tables.source([Row()], table: "AZKVAuditLogs")
        resourceSpecific.rows.rows[0][resourceSpecific.rows.columnIndex("SourceTable")!] = .string("AZKVAuditLogs")
        let report = Analyzer(policy: Synthetic.policy()).run([empty, resourceSpecific])
        #expect(report.verdict == .proven)
        #expect(report.notes.contains { $0.hasPrefix("AzureDiagnostics lacks perimeter claim but holds no in-scope") })
        #expect(report.counts.bySourceTable == ["AZKVAuditLogs": 1])
    }

    @Test func `rows whose TimeGenerated equals the event receipt time are flagged`() {
        var table = Tables.table(Tables.series(count: 2, minutes: 10))
        table.columns.append(Column("_TimeReceived", .datetime))
        table.rows[0].append(table.rows[0][0])
        table.rows[1].append(.datetime(DateTime(iso8601: "2026-03-01T10:16:00Z")!))
        let report = Analyzer(policy: Synthetic.policy()).run([EvidenceSource(table: "AzureDiagnostics", rows: table)])
        #expect(report.verdict == .proven)
        #expect(
            report.notes.contains(
                "1 rows have a TimeGenerated equal to their receipt time: probably rewritten: 2026-03-01T10:00:00Z "
                    + "KV-CMK KeyUnwrap c0ffee00-0000-0000-0000-000000000000 (received 2026-03-01T10:00:00Z)"),
            "\(report.notes)")
        let plain = Analyzer(policy: Synthetic.policy()).run([Tables.source([Row()])])
        #expect(plain.notes.contains { $0.hasPrefix("1 rows could not be checked for a rewritten TimeGenerated") })
    }

    @Test func `the record's own time tells a rewritten TimeGenerated for certain`() {
        var table = Tables.table(Tables.series(count: 3, minutes: 10))
        table.columns.append(Column("EventTime", .datetime))
        // The first row is the record's own time; the second was logged three days before receipt.
        table.rows[0].append(table.rows[0][0])
        table.rows[1].append(.datetime(DateTime(iso8601: "2026-02-26T10:10:00Z")!))
        table.rows[2].append(.null)
        let report = Analyzer(policy: Synthetic.policy()).run([EvidenceSource(table: "AzureDiagnostics", rows: table)])
        // The row is named, with the record's own time, so an auditor can find it.
        let rewritten = report.notes.first { $0.hasPrefix("1 rows carry a TimeGenerated the service rewrote") }
        #expect(rewritten?.contains("the record's own time is 2026-02-26T10:10:00Z") == true, "\(report.notes)")
        #expect(rewritten?.contains(" KV-CMK KeyUnwrap ") == true)
        #expect(report.notes.contains { $0.hasPrefix("1 rows could not be checked") })
        var own = Tables.table([Row()])
        own.columns.append(Column("EventTime", .datetime))
        own.rows[0].append(own.rows[0][0])
        let clean = Analyzer(policy: Synthetic.policy()).run([EvidenceSource(table: "AzureDiagnostics", rows: own)])
        #expect(clean.notes.contains("1 rows were checked for a rewritten TimeGenerated; none was rewritten"))
    }
}
