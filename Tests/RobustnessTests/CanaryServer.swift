/// Starts and stops scripts/robust-canary-server.py: loopback token endpoints and a query API stand-in.

import Foundation

/// A running canary server on 127.0.0.1; ``stop()`` closes its standard input and it exits.
final class CanaryServer {
    /// The tokens the server issues: each holds one of these, so a leaked token is found by its canary.
    static let issuedTokenCanaries = [
        "canaryIssuedEntraToken7f3a91", "canaryIssuedImdsToken2c8e55", "canaryIssuedAppSvcToken9b1d07",
    ]

    private let process = Process()
    private let input = Pipe()
    /// The port it listens on.
    let port: Int

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Scratch.repo("scripts/robust-canary-server.py")]
        process.standardInput = input
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let piece = output.fileHandleForReading.availableData
            guard !piece.isEmpty else { break }
            line.append(piece)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw CanaryServerFailure(output: text)
        }
        self.port = port
    }

    /// `http://127.0.0.1:PORT/KIND/MODE`: KIND is token, imds, appsvc or la.
    func url(_ kind: String, _ mode: String) -> String {
        "http://127.0.0.1:\(port)/\(kind)/\(mode)"
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// The canary server printed something other than its port.
struct CanaryServerFailure: Error, CustomStringConvertible {
    let output: String
    var description: String { "the canary server did not start: '\(output)'" }
}
