/// Late arrivals as stored in reports, the continuity they break, and the --late-horizon option.

import Testing

@testable import PathProofCommands
@testable import TableModel

struct LateArrivalTests {
    static func at(_ text: String) -> DateTime { DateTime(iso8601: text)! }

    static func report(_ from: String, _ to: String, verdict: String = "PROVEN", late: [LateArrival] = [])
        -> PastReport
    {
        PastReport(
            index: 0, from: at(from), to: at(to), verdict: verdict, accesses: 3, violationKeys: [],
            unprovenReasons: [], lateArrivals: late, scheduled: true, settled: true)
    }

    @Test func `a late arrival survives the report's JSON and a malformed one is dropped`() throws {
        let arrival = LateArrival(
            from: Self.at("2026-11-05T09:00:00Z"), to: Self.at("2026-11-05T10:00:00Z"), accesses: 2,
            violationKeys: ["k"])
        let text = arrival.json.jsonText
        #expect(
            text == #"{"accesses":2,"from":"2026-11-05T09:00:00Z","to":"2026-11-05T10:00:00Z","violations":["k"]}"#)
        #expect(LateArrival(json: try JSONParser.parse(text)) == arrival)
        #expect(
            LateArrival(json: try JSONParser.parse(#"{"from":"x","to":"2026-11-05T10:00:00Z","accesses":1}"#)) == nil)
        #expect(
            arrival.findings(alreadyReported: 3, verdict: "PROVEN") == [
                "2 access(es) arrived late for the window 2026-11-05T09:00:00Z to 2026-11-05T10:00:00Z, "
                    + "already reported PROVEN with 3",
                "late violation in the window 2026-11-05T09:00:00Z to 2026-11-05T10:00:00Z: k",
            ])
    }

    @Test func `a late violation breaks the continuity at its window, a late access does not`() {
        let violation = LateArrival(
            from: Self.at("2026-11-05T01:00:00Z"), to: Self.at("2026-11-05T02:00:00Z"), accesses: 1,
            violationKeys: ["k"])
        let harmless = LateArrival(
            from: Self.at("2026-11-05T01:00:00Z"), to: Self.at("2026-11-05T02:00:00Z"), accesses: 1,
            violationKeys: [])
        let history = [
            Self.report("2026-11-05T00:00:00Z", "2026-11-05T01:00:00Z"),
            Self.report("2026-11-05T01:00:00Z", "2026-11-05T02:00:00Z"),
            Self.report("2026-11-05T02:00:00Z", "2026-11-05T03:00:00Z", late: [harmless]),
        ]
        let current = (Self.at("2026-11-05T03:00:00Z"), Self.at("2026-11-05T04:00:00Z"), "PROVEN")
        #expect(ScheduledProof.provenSince(history, current: current) == Self.at("2026-11-05T00:00:00Z"))
        #expect(
            ScheduledProof.provenSince(history, current: current, lateArrivals: [violation])
                == Self.at("2026-11-05T02:00:00Z"))
        #expect(ScheduledProof.provenSince(history, current: (current.0, current.1, "UNPROVEN")) == nil)
    }

    @Test func `late-horizon takes a duration`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let base = [
            "verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy, "--since-last",
            "--from", "2026-11-02T08:00:00Z", "--now", "2026-11-02T12:15:00Z", "--archive", cli.path("a.sqlite"),
            "--quiet", "--ci", "none",
        ]
        let bad = cli.run(base + ["--late-horizon", "two days"])
        #expect(bad.status == 64 && bad.err.contains("--late-horizon 'two days' is not a duration"), "\(bad.err)")
        #expect(cli.run(base + ["--late-horizon", "6h"]).status != 64)
    }
}
