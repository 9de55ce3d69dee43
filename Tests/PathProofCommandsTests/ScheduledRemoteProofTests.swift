/// A simulated day of hourly `verify --log-analytics --since-last` runs of the real executable
/// against a loopback query API whose rows arrive late, with processes killed mid-run: no gap, no
/// overlap, no lost or double-counted access, a stable verdict history.

import EvidenceArchive
import Foundation
import Testing

@testable import TableModel

struct ScheduledRemoteProofTests {
    static let workspaceID = "00000000-0000-0000-0000-0000000000d7"
    static let start = "2026-11-05T00:00:00Z"

    /// An instant of the simulated day: `hour` (0…25) and minute, UTC.
    static func at(_ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> DateTime {
        DateTime(
            ticks: DateTime(iso8601: start)!.ticks + Int64(hour * 3600 + minute * 60 + second) * DateTime.ticksPerSecond
        )
    }

    /// One planted key access (or sign of life), ingested `lag` minutes after its event time.
    struct Plant {
        let time: DateTime
        let lagMinutes: Int
        let id: String
        var operation = "KeyUnwrap"
        var perimeter: String? = ScheduledProofTests.perimeter

        var record: PlantedRecord {
            PlantedRecord(
                line: ScheduledProofTests.record(time.apiText, operation: operation, perimeter: perimeter, id: id),
                ingestedAt: DateTime(ticks: time.ticks + Int64(lagMinutes * 60) * DateTime.ticksPerSecond))
        }
        var isAccess: Bool { operation != "VaultGet" }
    }

    /// The day: each hour a sign of life and three unwraps that arrive within minutes, plus late rows
    /// (40 min, 85 min, 90 min and 160 min late, one of them a violation), a violation on time at
    /// 18:20 and a row of the killed run's window that arrives 70 minutes late.
    static func day() -> [Plant] {
        var plants: [Plant] = []
        for hour in 0..<24 {
            plants.append(Plant(time: at(hour, 0, 30), lagMinutes: 3, id: "life-\(hour)", operation: "VaultGet"))
            for minute in [10, 30, 50] {
                plants.append(Plant(time: at(hour, minute), lagMinutes: 4, id: "h\(hour)-m\(minute)"))
            }
        }
        plants.append(Plant(time: at(5, 55), lagMinutes: 40, id: "late-40m"))
        plants.append(Plant(time: at(9, 20), lagMinutes: 85, id: "late-85m"))
        plants.append(Plant(time: at(9, 40), lagMinutes: 90, id: "late-90m-no-perimeter", perimeter: nil))
        plants.append(Plant(time: at(13, 5), lagMinutes: 160, id: "late-160m"))
        plants.append(Plant(time: at(18, 20), lagMinutes: 4, id: "on-time-no-perimeter", perimeter: nil))
        plants.append(Plant(time: at(19, 45), lagMinutes: 70, id: "killed-window-70m"))
        return plants
    }

    /// What the archive should say about late arrivals: window start hour → (accesses, violations).
    static let expectedLate: [Int: (accesses: Int, violations: Int)] = [5: (1, 0), 9: (2, 1), 13: (1, 0)]

    @Test func `a day of hourly remote runs with late rows and killed runs loses and double-counts nothing`()
        async throws
    {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let binary = try BuiltExecutable.locate()
        let plants = Self.day()
        let server = try EngineQueryStandIn(records: plants.map(\.record), cli: cli)
        defer { server.stop() }
        let archive = cli.path("archive.sqlite")
        let worse = cli.path("worse.txt")
        let hook = "echo \"$PATHPROOF_VERDICT $PATHPROOF_WINDOW_FROM\" >> '\(worse)'"
        let day = try await Self.runDay(
            binary, cli: cli, server: server, archive: archive, hook: hook, kills: [8: 9, 20: 3])

        // Exit codes: 1 for the runs that found late rows or the violation, 0 otherwise.
        let failing: Set<Int> = [7, 11, 16, 19]
        for (hour, status) in day.statuses.sorted(by: { $0.key < $1.key }) {
            #expect(status == (failing.contains(hour) ? 1 : 0), "run at \(hour):15: \(day.outputs[hour] ?? "")")
        }
        #expect(day.killedLeftNoEntry, "a killed run left an entry in the archive")
        // A run that starts while another holds the archive stands aside and proves nothing.
        #expect(day.overlapping?.status == 3)
        #expect(day.overlapping?.err.contains("another 'verify --since-last' run is using the archive") == true)
        // The --on-worse hook ran for exactly the runs that got worse: three late findings, one violation.
        let hooked = (try? String(contentsOfFile: worse, encoding: .utf8)) ?? ""
        #expect(
            hooked.split(separator: "\n") == [
                "PROVEN 2026-11-05T06:00:00Z", "PROVEN 2026-11-05T10:00:00Z", "PROVEN 2026-11-05T15:00:00Z",
                "VIOLATED 2026-11-05T18:00:00Z",
            ])

        let reports = try EvidenceArchive(path: archive).entries().map { try JSONParser.parse(bytes: $0.report) }
        #expect(reports.count == 23, "one report per hour, the killed hour's window folded into the next")
        // No gap, no overlap: each window starts where the previous ended, from 00:00 to 24:00.
        var end = Self.at(0)
        for report in reports {
            #expect(Self.instant(report["window"]?["from"]) == end, "gap or overlap at \(end.apiText)")
            end = Self.instant(report["window"]?["to"]) ?? end
        }
        #expect(end == Self.at(24))

        // Every planted access counted exactly once: on time in its window's report, or once as a
        // late arrival for that window.
        let accesses = plants.filter(\.isAccess)
        var counted = 0
        var late: [Int: (accesses: Int, violations: Int)] = [:]
        for report in reports {
            counted += Self.long(report["accesses"])
            guard case .array(let arrivals)? = report["lateArrivals"] else { continue }
            for arrival in arrivals {
                let hour = Int((Self.instant(arrival["from"])!.ticks - Self.at(0).ticks) / (3600 * 10_000_000))
                var violations = 0
                if case .array(let keys)? = arrival["violations"] { violations = keys.count }
                late[hour, default: (0, 0)].accesses += Self.long(arrival["accesses"])
                late[hour, default: (0, 0)].violations += violations
            }
        }
        let lateCount = late.values.reduce(0) { $0 + $1.accesses }
        #expect(counted + lateCount == accesses.count, "counted \(counted) on time and \(lateCount) late")
        #expect(late.keys.sorted() == Self.expectedLate.keys.sorted())
        for (hour, expected) in Self.expectedLate {
            #expect(late[hour]?.accesses == expected.accesses && late[hour]?.violations == expected.violations)
        }
        // Each report's own count equals the accesses that were visible for its window when it ran.
        for report in reports {
            guard let from = Self.instant(report["window"]?["from"]), let to = Self.instant(report["window"]?["to"]),
                let now = Self.instant(report["run"]?["generatedAt"])
            else { continue }
            let visible = accesses.filter { $0.time >= from && $0.time < to && $0.record.ingestedAt <= now }
            #expect(Self.long(report["accesses"]) == visible.count, "window \(from.apiText) to \(to.apiText)")
        }

        // The verdict history and its continuity.
        let verdicts = reports.map { $0["verdict"]?.stringValue ?? "" }
        #expect(verdicts.filter { $0 != "PROVEN" } == ["VIOLATED"])
        #expect(Self.instant(reports[18]["window"]?["from"]) == Self.at(18) && verdicts[18] == "VIOLATED")
        let since = reports.map { Self.instant($0["run"]?["provenSince"]) }
        #expect(since[9] == Self.at(0), "before the late violation of 09:40 arrived")
        #expect(since[10] == Self.at(10), "the late violation refutes the window from 09:00")
        #expect(since[17] == Self.at(10) && since[18] == nil)
        #expect(since.last == Self.at(19))
        #expect(day.outputs[24]?.contains("proven without a gap since 2026-11-05T19:00:00") == true)

        // The archive shows the continuity, recomputed from the reports.
        let history = cli.run(["archive", "history", "--archive", archive])
        #expect(history.status == 0, "\(history.out)\(history.err)")
        #expect(
            history.out.contains(": 23 window(s)\n") && !history.out.contains("GAP") && !history.out.contains("OVERLAP")
        )
        #expect(
            history.out.contains("late for 2026-11-05T09:00:00Z to 2026-11-05T10:00:00Z: 2 access(es), 1 violation(s)"))
        #expect(history.out.hasSuffix("  proven without a gap since 2026-11-05T19:00:00Z\n"), "\(history.out)")

        // Stable: running again at the same time adds nothing and changes nothing.
        let again = try binary.run(Self.arguments(now: Self.at(24, 15), archive: archive), cli: cli, server: server)
        #expect(again.status == 0 && again.out.contains("nothing new to prove"), "\(again.out)\(again.err)")
        #expect(try EvidenceArchive(path: archive).entries().count == reports.count)

        // Stable: the same day replayed into a new archive, with runs killed at other points, gives
        // the same history, window for window.
        let replayArchive = cli.path("replay.sqlite")
        _ = try await Self.runDay(
            binary, cli: cli, server: server, archive: replayArchive, hook: "true", kills: [8: 3, 20: 9])
        let replay = try EvidenceArchive(path: replayArchive).entries().map { try JSONParser.parse(bytes: $0.report) }
        #expect(replay.map(Self.summary) == reports.map(Self.summary))
    }

    /// The results of one simulated day.
    struct Day {
        var statuses: [Int: Int32] = [:]
        var outputs: [Int: String] = [:]
        var killedLeftNoEntry = true
        var overlapping: CommandResult?
    }

    /// Runs at 01:15 … 24:15. `kills` maps an hour to the query at which that hour's run is killed:
    /// the 08:15 run is retried at once, the 20:15 one is not (the 21:15 run proves both hours). At
    /// 22:15 a second run starts while the first still waits for an answer, and must stand aside.
    static func runDay(
        _ binary: BuiltExecutable, cli: CLIHarness, server: EngineQueryStandIn, archive: String, hook: String,
        kills: [Int: Int]
    ) async throws -> Day {
        var day = Day()
        for hour in 1...24 {
            let now = at(hour, 15)
            try server.advance(to: now)
            let arguments = Self.arguments(now: now, archive: archive, first: hour == 1) + ["--on-worse", hook]
            if let request = kills[hour] {
                let before = (try? EvidenceArchive(path: archive).entries().count) ?? 0
                try await binary.kill(arguments, cli: cli, server: server, atRequest: request)
                let after = try EvidenceArchive(path: archive).entries().count
                day.killedLeftNoEntry = day.killedLeftNoEntry && after == before
                if hour == 20 { continue }
            }
            let result: CommandResult
            if hour == 22 {
                server.stall(request: 3)
                let first = try binary.start(arguments, cli: cli, server: server)
                #expect(server.waitForStall(seconds: 60), "the 22:15 run never reached its key-access query")
                day.overlapping = try binary.run(arguments, cli: cli, server: server)
                server.releaseStall()
                result = first.finish()
            } else {
                result = try binary.run(arguments, cli: cli, server: server)
            }
            day.statuses[hour] = result.status
            day.outputs[hour] = result.out + result.err
        }
        return day
    }

    /// What a report says about its window, for comparing two histories.
    static func summary(_ report: Dynamic) -> String {
        let keys = ["window", "verdict", "accesses", "lateArrivals", "lateFindings", "violations"]
        return keys.map { report[$0]?.jsonText ?? "-" }.joined(separator: " ")
            + " since " + (report["run"]?["provenSince"]?.jsonText ?? "-")
    }

    static func arguments(now: DateTime, archive: String, first: Bool = false) -> [String] {
        var arguments = [
            "verify", "--log-analytics", workspaceID, "--credential", "token-env", "--policy",
            VerifyCommandTests.policy, "--since-last", "--archive", archive, "--now", now.apiText, "--ci", "none",
        ]
        if first { arguments += ["--from", start] }
        return arguments
    }

    static func instant(_ value: Dynamic?) -> DateTime? { value?.stringValue.flatMap { DateTime(iso8601: $0) } }

    static func long(_ value: Dynamic?) -> Int {
        if case .long(let number)? = value { return Int(number) }
        return 0
    }
}

/// The `pathproof` executable built beside the test bundle, run as a real process.
struct BuiltExecutable {
    let url: URL

    static func locate() throws -> BuiltExecutable {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "pathproof"),
            CLIHarness.packageRoot.appendingPathComponent(".build/debug/pathproof"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "build the pathproof executable first (swift build)"])
        }
        return BuiltExecutable(url: found)
    }

    private func process(_ arguments: [String], cli: CLIHarness, server: EngineQueryStandIn) -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments + ["--endpoint", server.endpoint]
        process.environment = cli.environment.merging([
            "PATH": "/usr/bin:/bin", "PATHPROOF_ACCESS_TOKEN": "loopback-test-token",
        ]) { _, new in new }
        return process
    }

    /// Runs to the end and returns the status and output.
    func run(_ arguments: [String], cli: CLIHarness, server: EngineQueryStandIn) throws -> CommandResult {
        try start(arguments, cli: cli, server: server).finish()
    }

    /// A run started with `start`, finished with `finish()`.
    struct Running {
        let process: Process
        let out: Pipe
        let err: Pipe

        func finish() -> CommandResult {
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CommandResult(
                status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                err: String(decoding: errData, as: UTF8.self))
        }
    }

    /// Starts a run in the background.
    func start(_ arguments: [String], cli: CLIHarness, server: EngineQueryStandIn) throws -> Running {
        let process = process(arguments, cli: cli, server: server)
        let running = Running(process: process, out: Pipe(), err: Pipe())
        process.standardOutput = running.out
        process.standardError = running.err
        try process.run()
        return running
    }

    /// Starts a run, holds its `request`th query without an answer, and kills it with SIGKILL then.
    func kill(_ arguments: [String], cli: CLIHarness, server: EngineQueryStandIn, atRequest request: Int)
        async throws
    {
        let process = process(arguments, cli: cli, server: server)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        server.stall(request: request)
        try process.run()
        let stalled = server.waitForStall(seconds: 60)
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        server.releaseStall()
        #expect(stalled, "the run never reached query \(request)")
        #expect(process.terminationReason == .uncaughtSignal)
    }
}
