/// The analyzer and an independent Python peer (scripts/analyzer-peer.py) agree on random evidence.

import EvidenceAnalysis
import Foundation
import TableModel
import Testing

/// A seeded generator, so every run builds the same evidence.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

struct PeerAgreementTests {
    static let python =
        ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"]
        ?? ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/analyzer-peer.py").path

    func randomRows(count: Int, seed: UInt64) -> [Row] {
        var random = SplitMix64(state: seed)
        let perimeters = [
            "[]", "", "not json", "[1]", "{\"a\":[]}", "[\"\(Synthetic.perimeter)\"]",
            "[\"\(Synthetic.perimeter.uppercased())\"]", "[\"{\(Synthetic.perimeter)}\"]",
            "[\"\(Synthetic.perimeter.replacingOccurrences(of: "-", with: ""))\"]", "[\"\(Synthetic.otherPerimeter)\"]",
            "[\"\(Synthetic.perimeter)\",\"\(Synthetic.otherPerimeter)\"]", " [ \"\(Synthetic.perimeter)\" ] ",
        ]
        let identities = [
            Synthetic.policyClaim, Synthetic.policyID.uppercased() + "/", "/" + Synthetic.policyID, "",
            Synthetic.userAssignedClaim, Synthetic.pairedPolicyID,
        ]
        let statuses: [Int64?] = [200, 200, 200, 201, 204, 401, 403, 400, 404, 429, 500, nil]
        let operations = ["KeyGet", "KeyWrap", "KeyUnwrap", "KeyUnwrap", "KeySign", "Authentication", "keyunwrap"]
        let vaults = ["KV-CMK", "kv-cmk", "Kv-Cmk", "KV-OTHER"]
        let span = Synthetic.window.to.ticks - Synthetic.window.from.ticks
        var rows: [Row] = []
        for index in 0..<count {
            var row = Row()
            let seconds = Int64.random(in: -600...(span / DateTime.ticksPerSecond + 600), using: &random)
            row.time = DateTime(ticks: Synthetic.window.from.ticks + seconds * DateTime.ticksPerSecond).apiText
            if index % 97 == 0 { row.time = Synthetic.window.from.apiText }
            if index % 89 == 0 { row.time = Synthetic.window.to.apiText }
            row.vault = vaults.randomElement(using: &random)!
            row.resourceId = ""
            row.operation = operations.randomElement(using: &random)!
            row.status = statuses.randomElement(using: &random)!
            row.perimeter = perimeters.randomElement(using: &random)!
            row.enterprisePolicy = identities.randomElement(using: &random)!
            row.correlationId = String(format: "%08x-0000-4000-8000-%012x", index, index * 7)
            row.callerIp = "10.10.0.\(index % 200)"
            rows.append(row)
            if index % 13 == 0 { rows.append(row) }
        }
        return rows
    }

    func caseJSON(_ rows: [Row], policy: ProofPolicy) throws -> Data {
        let encodedRows: [[String: Any]] = rows.map { row in
            [
                "time": row.time, "vault": row.vault, "operation": row.operation,
                "status": row.status.map { Int($0) as Any } ?? NSNull(), "callerIp": row.callerIp,
                "correlationId": row.correlationId, "requestUri": row.requestUri, "objectId": row.objectId,
                "enterprisePolicy": row.enterprisePolicy, "perimeter": row.perimeter,
            ]
        }
        let body: [String: Any] = [
            "policy": [
                "vaults": policy.vaults, "operations": policy.operations,
                "enterprisePolicies": policy.enterprisePolicies, "perimeters": policy.perimeters,
            ],
            "window": ["from": Synthetic.window.from.apiText, "to": Synthetic.window.to.apiText],
            "rows": encodedRows,
        ]
        return try JSONSerialization.data(withJSONObject: body)
    }

    func runPeer(_ input: Data, python: String) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pathproof-peer-\(UUID()).json")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PeerAgreementTests.peer, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test(.enabled(if: python != nil), arguments: [1 as UInt64, 2, 3])
    func `the analyzer and the Python peer find the same accesses and violations`(seed: UInt64) throws {
        let policy = Synthetic.policy()
        let rows = randomRows(count: 1500, seed: seed)
        let report = Analyzer(policy: policy).run([Tables.source(rows)])
        let peer = try runPeer(try caseJSON(rows, policy: policy), python: PeerAgreementTests.python!)

        #expect(report.accesses > 100)
        #expect(peer["accesses"] as? Int == report.accesses)
        #expect(peer["duplicates"] as? Int == report.duplicates)
        #expect(peer["blocked"] as? Int == report.blockedAttempts.count)
        let ours = Set(report.violations.map { "\($0.record.correlationId) \($0.rule.rawValue)" })
        let theirs = Set((peer["violations"] as? [[String]] ?? []).map { $0.joined(separator: " ") })
        #expect(ours.count == report.violations.count)
        #expect(ours.subtracting(theirs).sorted().prefix(5) == [], "found only by the analyzer")
        #expect(theirs.subtracting(ours).sorted().prefix(5) == [], "found only by the peer")
    }
}

struct DeterminismTests {
    @Test func `the report is byte-identical whatever the order of rows and sources`() {
        let rows = PeerAgreementTests().randomRows(count: 600, seed: 7)
        var random = SplitMix64(state: 99)
        let shuffled = rows.shuffled(using: &random)
        let policy = Synthetic.policy(routes: [.trustedService], maxSilenceMinutes: 30)
        let first = Analyzer(policy: policy).run([Tables.source(rows), Tables.source([], table: "AZKVAuditLogs")])
        let second = Analyzer(policy: policy).run([Tables.source([], table: "AZKVAuditLogs"), Tables.source(shuffled)])
        #expect(first.blockedAttempts.count > 10)
        #expect(first.violations.count > 10)
        #expect(first.sources.map(\.table) != second.sources.map(\.table))
        var reordered = second
        reordered.sources = first.sources
        #expect(first.jsonText == reordered.jsonText)
    }
}
