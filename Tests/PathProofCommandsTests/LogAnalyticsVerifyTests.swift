/// `verify --log-analytics` against the loopback stand-in of the query API
/// (scripts/remote-la-server.py), which replays the local engine's results for the demo: the remote
/// verdict equals the local one, and a PartialError keeps it from PROVEN.

import Foundation
import Testing

@testable import TableModel

struct LogAnalyticsVerifyTests {
    static let window = ["--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z"]

    /// Writes the bodies the stand-in will replay: the local engine's answers to the shipped queries.
    func writeBodies(_ cli: CLIHarness, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let demo = VerifyCommandTests.demo
        func save(_ name: String, _ arguments: [String]) throws {
            let result = cli.run(["query", "--workspace", demo, "--format", "json"] + Self.window + arguments)
            #expect(result.status == 0, "\(result.err)")
            try result.out.write(toFile: "\(directory)/\(name).json", atomically: true, encoding: .utf8)
        }
        try save("schema", ["AzureDiagnostics | getschema | project ColumnName"])
        try save("access", ["--file", CLIHarness.repo("Queries/keyvault-key-access.kql")])
        let accessQuery = try String(
            contentsOfFile: CLIHarness.repo("Queries/keyvault-key-access.kql"), encoding: .utf8)
        try save("count", [accessQuery + "\n| count"])
        try save("life", ["--file", CLIHarness.repo("Queries/keyvault-signs-of-life.kql")])
        let missing = CLIHarness.sharedFixtures.appendingPathComponent(
            "la-responses/thirdparty-azkv-table-missing-sem0100-400.json")
        try FileManager.default.copyItem(atPath: missing.path, toPath: "\(directory)/sem0100.json")
        // The signs-of-life rows (fetched in one request), with the PartialError a truncated result carries.
        // Truncated slices of the sliced key-access query are re-split by the client (LogAnalyticsTests).
        let access = try String(contentsOfFile: "\(directory)/life.json", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let partial =
            String(access.dropLast()) + #","error":{"code":"PartialError","message":"There were some "#
            + #"errors when processing your query.","details":[{"code":"EngineError","message":"x","innererror":"#
            + #"{"code":"-2133196797","message":"Query result set has exceeded the internal record count limit "#
            + #"(E_QUERY_RESULT_SET_TOO_LARGE)","severity":2,"severityName":"Error"}}]}}"#
        try partial.write(toFile: "\(directory)/partial.json", atomically: true, encoding: .utf8)
    }

    func verifyRemote(_ cli: CLIHarness, server: StandIn, steps: String, extra: [String] = []) async -> CommandResult {
        var harness = cli
        harness.extraEnvironment = ["PATHPROOF_ACCESS_TOKEN": "loopback-test-token"]
        return await harness.runOnOwnThread(
            [
                "verify", "--log-analytics", "00000000-0000-0000-0000-0000000000aa", "--endpoint",
                server.endpoint(steps), "--credential", "token-env", "--policy", VerifyCommandTests.policy,
                "--format", "json", "--now", "2026-11-03T00:00:00Z", "--ci", "none",
            ] + Self.window + extra)
    }

    /// Writes the bodies, starts the stand-in and runs `verify --log-analytics` through `steps`.
    func verifyRemote(steps: String) async throws -> CommandResult {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let bodies = cli.path("bodies")
        try writeBodies(cli, into: bodies)
        let server = try StandIn(fixtures: bodies)
        defer { server.stop() }
        return await verifyRemote(cli, server: server, steps: steps)
    }

    @Test func `the remote verdict equals the local one`() async throws {
        let result = try await verifyRemote(steps: "ok.schema,ok.count,ok.access,status.400.sem0100,ok.life")
        #expect(result.status == 0, "\(result.err)")
        let report = try JSONParser.parse(result.out)
        #expect(report["verdict"] == .string("PROVEN"))
        #expect(report["accesses"] == .long(24))
        #expect(report["run"]?["evidence"]?.stringValue?.contains("Log Analytics") == true)
        #expect(!result.out.contains("loopback-test-token"))
        #expect(!result.err.contains("loopback-test-token"))

        // Each query records its client request ids, the service's correlation ids and the credential
        // (never the token); the table that answered SEM0100 is recorded as absent, and said so.
        guard case .array(let queries)? = report["queries"] else {
            Issue.record("no queries in the report")
            return
        }
        let byFile = Dictionary(queries.map { ($0["file"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let access = byFile["keyvault-key-access.kql"]?["note"]?.stringValue ?? ""
        let uuid = #/client request ids: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/#
        #expect(access.contains(uuid), "\(access)")
        #expect(access.contains("correlation ids: ") && access.hasSuffix("credential: token-env"), "\(access)")
        #expect(byFile["keyvault-key-access-azkvauditlogs.kql"]?["note"] == .string("table absent (SEM0100)"))
        guard case .array(let sources)? = report["sources"] else {
            Issue.record("no sources in the report")
            return
        }
        let azkv = sources.first { $0["table"]?.stringValue == "AZKVAuditLogs" }
        #expect(azkv?["absentReason"]?.stringValue?.isEmpty == false, "\(sources.map(\.jsonText))")
    }

    @Test func `the raw results are the exact bodies the service returned, and the archive keeps them`()
        async throws
    {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let bodies = cli.path("bodies")
        try writeBodies(cli, into: bodies)
        // Spacing the engine would not write: a re-serialised result could not equal these bytes.
        let access = try String(contentsOfFile: bodies + "/access.json", encoding: .utf8)
        let spaced = " \n" + access.replacingOccurrences(of: #"{"tables":["#, with: #"{ "tables" : [ "#)
        #expect(spaced.count > access.count + 2)
        try spaced.write(toFile: bodies + "/spaced.json", atomically: true, encoding: .utf8)
        let server = try StandIn(fixtures: bodies)
        defer { server.stop() }
        let out = cli.path("out")
        let archive = cli.path("archive.sqlite")
        let result = await verifyRemote(
            cli, server: server, steps: "ok.schema,ok.count,ok.spaced,status.400.sem0100,ok.life",
            extra: ["--out", out, "--archive", archive])
        #expect(result.status == 0, "\(result.err)")
        func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
        #expect(try bytes(out + "/results/keyvault-key-access.json") == bytes(bodies + "/spaced.json"))
        #expect(try bytes(out + "/results/keyvault-signs-of-life.json") == bytes(bodies + "/life.json"))
        // The vault configuration and NSPAccessLogs queries answer too (the stand-in repeats its last
        // step); the AZKVAuditLogs queries did not run.
        let listed = try FileManager.default.contentsOfDirectory(atPath: out + "/results").sorted()
        #expect(
            listed == [
                "keyvault-key-access.json", "keyvault-signs-of-life.json", "keyvault-vault-configuration.json",
                "nsp-access.json",
            ])
        let report = try JSONParser.parse(bytes: bytes(out + "/report.json"))
        guard case .array(let queries)? = report["queries"], case .array(let files)? = queries.first?["results"] else {
            Issue.record("the report lists no raw results")
            return
        }
        #expect(files.first?["rows"] == .long(24))
        #expect(files.first?["file"] == .string("results/keyvault-key-access.json"))

        // The archive holds the same bytes, bound to the signed Statement; an export carries them.
        let export = cli.run(
            "export", "--archive", archive, "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-03T00:00:00Z",
            "--out", cli.path("bundle"))
        #expect(export.status == 0, "\(export.err)")
        #expect(
            try bytes(cli.path("bundle/reports/leaf-0/results/keyvault-key-access.json"))
                == bytes(bodies + "/spaced.json"))
        #expect(cli.run("export", "verify", cli.path("bundle")).status == 0)
    }

    @Test func `a sliced query keeps one raw result per slice, each with its own rows and digest`() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let server = try StandIn(fixtures: cli.path("."))
        defer { server.stop() }
        var harness = cli
        harness.extraEnvironment = ["PATHPROOF_ACCESS_TOKEN": "loopback-test-token"]
        let out = cli.path("out")
        // Ten synthetic rows, at most four per answer: the client splits the window until each slice fits.
        let result = await harness.runOnOwnThread([
            "verify", "--log-analytics", "00000000-0000-0000-0000-0000000000aa", "--endpoint",
            server.endpoint("slices.10.4"), "--credential", "token-env", "--policy", VerifyCommandTests.policy,
            "--now", "2024-01-02T00:00:00Z", "--ci", "none", "--from", "2024-01-01T00:00:00Z", "--to",
            "2024-01-01T00:00:10Z", "--out", out, "--archive", cli.path("archive.sqlite"),
        ])
        #expect(result.status == 2, "\(result.err)")
        let report = try JSONParser.parse(bytes: Array(Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))))
        guard case .array(let queries)? = report["queries"], case .array(let files)? = queries.first?["results"]
        else {
            Issue.record("the report lists no raw results")
            return
        }
        #expect(files.count > 2, "\(files)")
        let python = try peerPython(needing: ["json"])
        var sequence: [String] = []
        for (number, file) in files.enumerated() {
            let name = try #require(file["file"]?.stringValue)
            #expect(name == "results/keyvault-key-access.part-00\(number + 1).json")
            let rows = try runProcess(
                python,
                [
                    "-c",
                    "import json,sys; rows = json.load(open(sys.argv[1]))['tables'][0]['rows']; "
                        + "print(' '.join(str(r[1]) for r in rows))",
                    out + "/" + name,
                ])
            let seen = rows.out.split(whereSeparator: \.isWhitespace).map(String.init)
            #expect(file["rows"] == .long(Int64(seen.count)), "\(name)")
            sequence += seen
        }
        // The slices, in time order, hold every row once.
        #expect(sequence == (0..<10).map(String.init))
        #expect(queries.first?["rows"] == .long(10))
        let archived = cli.run("archive", "verify", "--archive", cli.path("archive.sqlite"))
        #expect(archived.status == 0, "\(archived.out)")
    }

    @Test func `a PartialError on an evidence query makes it UNPROVEN and names the inner error`() async throws {
        let result = try await verifyRemote(steps: "ok.schema,ok.count,ok.access,status.400.sem0100,ok.partial")
        #expect(result.status == 2, "\(result.err)")
        let report = try JSONParser.parse(result.out)
        #expect(report["verdict"] == .string("UNPROVEN"))
        #expect(report["unprovenReasons"]?.jsonText.contains("E_QUERY_RESULT_SET_TOO_LARGE") == true)
    }
}

/// The loopback stand-in of the query API, started for one test and stopped with `stop()`.
final class StandIn {
    private let process = Process()
    private let input = Pipe()
    let port: Int
    let run = UUID().uuidString.lowercased()

    init(fixtures: String) throws {
        let script = CLIHarness.repo("scripts/remote-la-server.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, fixtures, "--watch-stdin"]
        process.standardInput = input
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let piece = output.fileHandleForReading.availableData
            if piece.isEmpty { break }
            line.append(piece)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "stand-in did not start: \(text)"])
        }
        self.port = port
    }

    func endpoint(_ steps: String) -> String { "http://127.0.0.1:\(port)/q/\(run)/\(steps)" }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
