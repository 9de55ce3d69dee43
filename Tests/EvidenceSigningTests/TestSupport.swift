/// Helpers for the signing tests: temporary directories and running outside verifiers (openssl, python3).

import Foundation
import Testing

/// The result of running an outside program.
struct ToolRun {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs `arguments[0]` found on PATH with the rest as arguments, feeding `input` on stdin.
func runTool(_ arguments: [String], input: [UInt8] = [], in directory: String? = nil) throws
    -> ToolRun
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolRun(
        status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
        errors: String(decoding: errors, as: UTF8.self))
}

/// The Python that runs the test peers: `PATHPROOF_TEST_PYTHON` (set by scripts/test.sh to its
/// virtual environment), else `python3` from PATH.
let testPython = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "python3"

/// The Python modules the peers use that python3 can import, probed once per test run.
private let importablePythonModules: Set<String> = {
    let modules = ["rfc8785", "securesystemslib", "cryptography", "in_toto_attestation"]
    let probe =
        "import importlib.util\nfor m in \(modules):\n    if importlib.util.find_spec(m): print(m)"
    let result = try? runTool([testPython, "-c", probe])
    return Set((result?.output ?? "").split(separator: "\n").map(String.init))
}()

/// Fails the calling test unless the peer Python can import `module`.
///
/// A peer test that passed without its peer would prove nothing, so a missing module is a failed
/// test, never a skipped one.
func requirePeerModule(_ module: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let advice =
        "\(testPython) cannot import \(module): run scripts/test.sh, or pip install -r scripts/test-peers.txt and set "
        + "PATHPROOF_TEST_PYTHON"
    try #require(importablePythonModules.contains(module), "\(advice)", sourceLocation: sourceLocation)
}

/// A fresh temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pathproof-signing-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// The POSIX permission bits of `path`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The path of a script in the repository's scripts/ folder.
func scriptPath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/\(name)").path
}
