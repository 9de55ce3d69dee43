/// A day of hourly scheduled runs (`verify --since-last`) with late rows and a killed process:
/// no gap, no overlap, no lost or double-counted access, a stable verdict history.

import EvidenceArchive
import Foundation
import Testing

@testable import TableModel

struct ScheduledProofTests {
    static let policyIdentity =
        "/subscriptions/00000000-0000-0000-0000-00000000a001/resourcegroups/rg-pp-cmk/providers/"
        + "Microsoft.PowerPlatform/enterprisePolicies/ep-contoso-cmk-weu"
    static let perimeter = "6a1f3c52-7d0e-4b8a-9c31-2f4e5d6a7b80"
    static let resourceId =
        "/SUBSCRIPTIONS/00000000-0000-0000-0000-00000000A001/RESOURCEGROUPS/RG-PP-CMK/PROVIDERS/"
        + "MICROSOFT.KEYVAULT/VAULTS/KV-CONTOSO-CMK"

    static func record(_ time: String, operation: String = "KeyUnwrap", perimeter: String? = perimeter, id: String)
        -> String
    {
        let claim = perimeter.map { "[\"\($0)\"]" } ?? "[]"
        return """
            {"time":"\(time)","resourceId":"\(resourceId)","operationName":"\(operation)","category":"AuditEvent",\
            "resultType":"Success","resultSignature":"OK","correlationId":"\(id)","callerIpAddress":"",\
            "identity":{"claim":{"xms_mirid":"\(policyIdentity)","xms_az_nwperimid":\(claim),\
            "oid":"00000000-0000-0000-0000-00000000b001"}},"properties":{"httpStatusCode":200,\
            "addrAuthType":"TrustedService","trustedService":"Microsoft PowerPlatform",\
            "requestUri":"https://kv-contoso-cmk.vault.azure.net/keys/k/1/unwrapkey"}}
            """
    }

    /// Writes one hour's blob: a VaultGet sign of life and six unwraps.
    static func writeHour(_ directory: URL, hour: Int) throws -> Int {
        let stamp = String(format: "2026-11-05T%02d", hour)
        var lines = [record("\(stamp):00:30Z", operation: "VaultGet", id: "life-\(hour)")]
        for minute in stride(from: 5, to: 60, by: 10) {
            lines.append(record(String(format: "\(stamp):%02d:00Z", minute), id: "h\(hour)-m\(minute)"))
        }
        let file = directory.appendingPathComponent(String(format: "h=%02d/PT1H.json", hour))
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return 6
    }

    @Test func `a day of hourly runs leaves no gap, no overlap and no lost or double-counted access`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let logs = cli.root.appendingPathComponent("logs")
        let archive = cli.path("archive.sqlite")
        let policy = VerifyCommandTests.policy
        var exitCodes: [Int32] = []
        var onTime: [String] = []
        // Runs at 01:20, 02:20, …, 23:20, each after that hour's blob was written.
        for hour in 0..<23 {
            _ = try Self.writeHour(logs, hour: hour)
            for minute in stride(from: 5, to: 60, by: 10) { onTime.append(String(format: "%02d:%02d", hour, minute)) }
            if hour == 10 {
                // Rows that arrive late for the window the 10:20 run already proved ([09:05, 10:05));
                // the 11:20 run re-checks that window and reports them.
                let late = logs.appendingPathComponent("late/PT1H.json")
                try FileManager.default.createDirectory(
                    at: late.deletingLastPathComponent(), withIntermediateDirectories: true)
                let lines = [
                    Self.record("2026-11-05T09:58:00Z", id: "late-good"),
                    Self.record("2026-11-05T09:59:00Z", perimeter: nil, id: "late-empty-perimeter"),
                ]
                try (lines.joined(separator: "\n") + "\n").write(to: late, atomically: true, encoding: .utf8)
            }
            let now = String(format: "2026-11-05T%02d:20:00Z", hour + 1)
            var arguments = [
                "verify", "--workspace", logs.path, "--policy", policy, "--since-last", "--archive", archive,
            ]
            arguments += ["--now", now, "--quiet", "--ci", "none"]
            if hour == 0 { arguments += ["--from", "2026-11-05T00:05:00Z"] }
            if hour == 15 {
                // A run killed midway: the next run must prove the same window again.
                try killMidway(arguments, environment: cli.environment)
            }
            let result = cli.run(arguments)
            exitCodes.append(result.status)
            #expect(result.status == (hour == 10 ? 1 : 0), "run at \(now): \(result.out)\(result.err)")
            if hour == 10 {
                #expect(result.out.contains("late: 2 access(es) arrived late"))
                #expect(result.out.contains("late-empty-perimeter"))
            }
        }

        let entries = try EvidenceArchive(path: archive).entries()
        let reports = try entries.map { try JSONParser.parse(bytes: $0.report) }
        var previousEnd = "2026-11-05T00:05:00Z"
        var counted = 0
        for report in reports {
            let from = report["window"]?["from"]?.stringValue
            #expect(from == previousEnd, "gap or overlap before \(from ?? "?")")
            previousEnd = report["window"]?["to"]?.stringValue ?? ""
            #expect(report["verdict"] == .string("PROVEN"))
            if case .long(let accesses)? = report["accesses"] { counted += Int(accesses) }
        }
        #expect(previousEnd == "2026-11-05T23:05:00Z")
        // Every on-time unwrap in [00:05, 23:05) is counted exactly once; the late ones only as findings.
        let expected = onTime.filter { $0 >= "00:05" && $0 < "23:05" }.count
        #expect(counted == expected)
        #expect(reports.count == 23)
    }

    /// Starts the real executable and kills it with SIGKILL shortly after it starts.
    func killMidway(_ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = try BuiltExecutable.locate().url
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(40_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct WatchCommandTests {
    @Test func `watch repeats verify since the last window, contiguously`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let archive = cli.path("archive.sqlite")
        let result = cli.run(
            "watch", "--every", "1s", "--runs", "2", "--workspace", VerifyCommandTests.demo, "--policy",
            VerifyCommandTests.policy, "--from", "2026-11-02T08:00:00Z", "--archive", archive, "--quiet", "--ci", "none"
        )
        #expect(result.status == 2, "\(result.out)\(result.err)")
        let reports = try EvidenceArchive(path: archive).entries().map { try JSONParser.parse(bytes: $0.report) }
        #expect(reports.count == 2)
        #expect(reports.first?["window"]?["from"] == .string("2026-11-02T08:00:00Z"))
        #expect(reports.last?["window"]?["from"] == reports.first?["window"]?["to"])
        // The --from that seeded the first run is not noted as ignored on every later run.
        #expect(!result.err.contains("ignored"), "\(result.err)")
        // The first run has no earlier report to be worse than; the second (a few seconds without any
        // audit record, UNPROVEN) is compared with the first.
        let watchLines = result.err.split(separator: "\n").filter { $0.hasPrefix("watch:") }
        #expect(
            watchLines == [
                "watch: the first report of this series is VIOLATED",
                "watch: the result is worse than the previous one",
            ], "\(result.err)")
    }

    @Test func `watch says it runs verify since-last when given --to or --now`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = [
            "watch", "--every", "5s", "--runs", "2", "--workspace", VerifyCommandTests.demo, "--policy",
            VerifyCommandTests.policy, "--from", "2026-11-02T08:00:00Z",
        ]
        let to = cli.run(base + ["--to", "2026-11-02T12:00:00Z"])
        #expect(to.status == 64)
        #expect(
            to.err.split(separator: "\n").first.map(String.init)
                == "Error: watch always runs 'verify --since-last', so --to cannot be given: each window ends at now "
                + "minus the settle margin (--from sets the start of the first window only)")
        let now = cli.run(base + ["--now=2026-11-03T00:00:00Z"])
        #expect(now.status == 64)
        #expect(
            now.err.split(separator: "\n").first.map(String.init)
                == "Error: watch always runs 'verify --since-last', so --now cannot be given: it follows the clock "
                + "(--from sets the start of the first window only)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("home/archive.sqlite")))
    }

    @Test func `watch refuses a malformed period and a fixed clock`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = ["--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy]
        #expect(cli.run(["watch", "--every", "soon"] + base).status == 64)
        #expect(cli.run(["watch", "--every", "1h", "--now", "2026-11-03T00:00:00Z"] + base).status == 64)
        #expect(cli.run(["watch"] + base).status == 64)
    }
}
