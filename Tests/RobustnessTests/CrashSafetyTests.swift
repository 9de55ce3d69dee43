/// SIGKILL during ingest and archive appends loses nothing committed and leaves nothing half-written
/// (the fast version of scripts/crash-safety.sh: ten kills of each).

import EvidenceArchive
import EvidenceSigning
import Foundation
import KQLEngine
import TableModel
import Testing
import Workspace

#if canImport(Glibc)
    import Glibc
#endif

struct CrashSafetyTests {
    /// The `pathproof` executable built beside this test bundle.
    static func executable() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = bundle.appendingPathComponent("pathproof").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidate])
        }
        return candidate
    }

    /// Runs `arguments`, killing the process with SIGKILL after `delay` seconds unless it ended;
    /// returns true when it was killed.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], killAfter delay: Double?
    )
        throws -> (killed: Bool, status: Int32)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            let deadline = Date().addingTimeInterval(delay)
            while process.isRunning, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return (killed, process.terminationStatus)
    }

    @Test func `killed ingests and verifies leave a whole workspace and a clean archive`() throws {
        let executable = try Self.executable()
        let scratch = try Scratch("crash")
        defer { scratch.cleanUp() }
        let environment = scratch.environment(ProcessInfo.processInfo.environment.filter { $0.key == "PATH" })
        #expect(scratch.run(["keys", "generate", "--out", scratch.path("keys")], environment: environment).status == 0)
        let records = try String(
            contentsOf: Scratch.sharedFixtures.appendingPathComponent(
                "keyvault-records/pt1h-jsonlines-sekoia-2024.json"),
            encoding: .utf8
        ).split(separator: "\n").filter { !$0.isEmpty }
        let workspacePath = scratch.path("workspace.sqlite")
        let archivePath = scratch.path("archive.sqlite")
        var random = SystemRandomNumberGenerator()
        var ingest = (finished: 0, killed: 0)
        var verify = (finished: 0, killed: 0)

        // At least 22 runs, and more (up to 80) until ten kills have landed: on a loaded machine some
        // runs finish before their kill.
        var run = 0
        while run < 22 || (ingest.killed + verify.killed < 10 && run < 80) {
            defer { run += 1 }
            let input = scratch.path("in-\(run)/PT1H.json")
            try FileManager.default.createDirectory(
                atPath: (input as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try records.map { "{\"robustRun\":\(run)," + $0.dropFirst() }.joined(separator: "\n")
                .write(toFile: input, atomically: true, encoding: .utf8)
            // The first run of each command always finishes, so there is something to lose.
            let delay = run < 2 ? nil : Double.random(in: 0...0.25, using: &random)
            let outcome: (killed: Bool, status: Int32)
            if run % 2 == 0 {
                outcome = try Self.run(
                    executable, ["ingest", "--workspace", workspacePath, input], environment: environment,
                    killAfter: delay)
                if outcome.killed { ingest.killed += 1 } else { ingest.finished += 1 }
            } else {
                outcome = try Self.run(
                    executable,
                    [
                        "verify", "--workspace", Scratch.repo("Fixtures/demo/contoso-cmk"), "--policy",
                        Scratch.repo("Fixtures/demo/policy.json"), "--key", scratch.path("keys/signing-key.pem"),
                        "--archive", archivePath, "--now", "2026-11-03T00:00:00Z",
                    ],
                    environment: environment, killAfter: delay)
                if outcome.killed { verify.killed += 1 } else { verify.finished += 1 }
            }
            #expect(outcome.killed || (0...2).contains(outcome.status), "run \(run) exited \(outcome.status)")
        }
        #expect(ingest.killed + verify.killed >= 10, "too few kills landed: \(ingest), \(verify)")

        // The workspace opens and holds whole files only: each file's rows, and their sum in the table.
        let workspace = try Workspace(path: workspacePath)
        let files = try workspace.sourceFiles()
        #expect(files.allSatisfy { $0.rows == records.count && $0.rejectedRecords == 0 })
        let counted = try KQLEngine(tables: workspace).run("AzureDiagnostics | count").first?.rows.first?.first
        #expect(counted == .long(Int64(files.count * records.count)))
        #expect((ingest.finished...(ingest.finished + ingest.killed)).contains(files.count))

        // The archive opens, verifies clean, and lost no report whose verify finished.
        let archive = try EvidenceArchive(path: archivePath)
        let key = try PublicKey.load(pemAt: scratch.path("keys/signing-key.pub.pem"))
        let verification = try archive.verify(trustedKeys: [key])
        #expect(verification.isValid, "\(verification.problems)")
        #expect((verify.finished...(verify.finished + verify.killed)).contains(try archive.count()))
    }
}
