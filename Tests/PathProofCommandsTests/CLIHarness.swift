/// Runs `pathproof` commands in-process or as a real process, with a private PathProof home.

import Foundation
import PathProofCommands
import Synchronization

/// The outcome of one command.
struct CommandResult {
    let status: Int32
    let out: String
    let err: String
}

/// A scratch directory and PathProof home for one test, removed by `cleanUp()`.
struct CLIHarness {
    let root: URL
    let baseEnvironment: [String: String]
    /// Variables added for one run (CI detection, step summary path…).
    var extraEnvironment: [String: String] = [:]

    var environment: [String: String] { baseEnvironment.merging(extraEnvironment) { _, extra in extra } }

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Real public fixtures, beside the repository in ../shared.
    static let sharedFixtures = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/public")

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pathproof-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        baseEnvironment = [
            "PATHPROOF_HOME": root.appendingPathComponent("home").path,
            "PATHPROOF_QUERIES": Self.packageRoot.appendingPathComponent("Queries").path,
            "HOME": root.path,
        ]
    }

    /// A path inside the scratch directory.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// A path inside the repository.
    static func repo(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// Runs one command line in-process.
    func run(_ arguments: String...) -> CommandResult { run(arguments) }

    /// Runs one command line in-process.
    func run(_ arguments: [String]) -> CommandResult {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            out: { text in out.withLock { $0 += text } },
            err: { text in err.withLock { $0 += text } })
        let status = PathProofCLI.run(arguments: arguments, environment: environment, console: console)
        return CommandResult(status: status, out: out.withLock { $0 }, err: err.withLock { $0 })
    }

    /// Runs one command line on a thread of its own, outside Swift's cooperative pool, as the
    /// executable runs on its main thread: commands that wait for async work (Log Analytics) block
    /// their thread, which must not be one the async work needs.
    func runOnOwnThread(_ arguments: [String]) async -> CommandResult {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run(arguments)) }
            thread.start()
        }
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Runs an external program (openssl, sqlite3, python) and returns its status and output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(input) }
    try inPipe.fileHandleForWriting.close()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, out: String(decoding: out, as: UTF8.self),
        err: String(decoding: err, as: UTF8.self))
}

/// Finds a program on PATH.
func which(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
