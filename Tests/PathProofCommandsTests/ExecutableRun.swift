/// Runs the built `pathproof` executable as a real process, with a deadline, for tests that need
/// its real standard output or must not hang when a command would loop.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension BuiltExecutable {
    /// Runs `arguments` with the harness's environment; kills the process after `timeout` seconds
    /// and then reports `timedOut`.
    func run(_ arguments: [String], cli: CLIHarness, timeout: Double = 60) throws -> (
        result: CommandResult, timedOut: Bool
    ) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = cli.environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        let outFile = cli.path("stdout-\(UUID().uuidString)")
        let errFile = cli.path("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile, contents: nil)
        FileManager.default.createFile(atPath: errFile, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let out = try String(contentsOfFile: outFile, encoding: .utf8)
        let err = try String(contentsOfFile: errFile, encoding: .utf8)
        return (CommandResult(status: process.terminationStatus, out: out, err: err), timedOut)
    }
}
