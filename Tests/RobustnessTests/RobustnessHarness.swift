/// Shared helpers of the robustness tests: a scratch PathProof home and in-process command runs.

import Foundation
import PathProofCommands
import Synchronization

/// What one command printed and returned.
struct CommandOutcome {
    let arguments: [String]
    let status: Int32
    let out: String
    let err: String
}

/// A scratch directory used as HOME and PATHPROOF_HOME for one test; removed by `cleanUp()`.
struct Scratch {
    let root: URL

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Real public fixtures, beside the repository in ../shared.
    static let sharedFixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/public")

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pathproof-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// A path inside the scratch directory.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    /// A path inside the repository.
    static func repo(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// The environment of a command run: a private home, the shipped queries, and `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATHPROOF_HOME": path("home"), "HOME": root.path,
            "PATHPROOF_QUERIES": Self.repo("Queries"),
        ]
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs one command line in-process with a captured console.
    func run(_ arguments: [String], environment: [String: String]) -> CommandOutcome {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(
            out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        let status = PathProofCLI.run(arguments: arguments, environment: environment, console: console)
        return CommandOutcome(
            arguments: arguments, status: status, out: out.withLock { $0 }, err: err.withLock { $0 })
    }

    /// Every regular file under the scratch directory, with its bytes.
    func allFiles() -> [(path: String, bytes: [UInt8])] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [(String, [UInt8])] = []
        for case let relative as String in walker {
            let full = path(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: full)
            else { continue }
            files.append((full, Array(data)))
        }
        return files
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        while let found = self[index...].firstIndex(of: first) {
            if found + needle.count > count { return false }
            if self[found..<(found + needle.count)].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }
}
