/// Starts and stops the loopback Log Analytics stand-in (scripts/remote-la-server.py) for one test.

import Foundation
import LogAnalytics
import TableModel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A running `remote-la-server.py` on 127.0.0.1; stop it with ``stop()`` (tests use `defer`).
final class LoopbackServer: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures: URL = {
        let candidates = [
            ProcessInfo.processInfo.environment["PATHPROOF_LA_FIXTURES"].map { URL(fileURLWithPath: $0) },
            packageRoot.appendingPathComponent("Fixtures/la-responses"),
            URL(fileURLWithPath: "/work/shared/fixtures/public/la-responses"),
        ].compactMap { $0 }
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("MANIFEST.md").path)
        }
            ?? candidates[candidates.count - 1]
    }()

    let process = Process()
    /// Closing it tells the server to exit (it watches its standard input).
    private let input = Pipe()
    let port: Int
    /// This test's run id: the server keeps its requests apart from other tests'.
    let run = UUID().uuidString.lowercased()

    init(extraArguments: [String] = []) throws {
        let script = Self.packageRoot.appendingPathComponent("scripts/remote-la-server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, Self.fixtures.path, "--watch-stdin"] + extraArguments
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
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw ServerFailure(message: "the loopback server did not start: '\(text)'")
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The API base for a query scenario (its steps, comma-separated).
    func endpoint(_ steps: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)/q/\(run)/\(steps)")!
    }

    /// A base URL under `kind` (`token`, `imds`, `appsvc`) for `steps`.
    func base(_ kind: String, _ steps: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(kind)/\(run)/\(steps)")!
    }

    /// The requests this test's run made, in order.
    func requests() async throws -> [RecordedRequest] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/log/\(run)")!)
        return try JSONDecoder().decode([RecordedRequest].self, from: data)
    }
}

struct ServerFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One request as the loopback server saw it.
struct RecordedRequest: Decodable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String

    /// A header, ignoring the case of its name.
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// The form fields of a form-encoded body.
    var form: [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            fields[parts[0]] = parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return fields
    }
}

/// A credential for tests: hands out the given tokens in turn (the last one repeats).
actor ScriptedCredential: AccessTokenProvider {
    private var tokens: [String]
    private(set) var calls = 0

    init(_ tokens: String...) { self.tokens = tokens }

    func token(for scope: String) async throws -> AccessToken {
        calls += 1
        let token = tokens.count > 1 ? tokens.removeFirst() : tokens[0]
        return AccessToken(token: token, expiresOn: Date().addingTimeInterval(3600), source: "scripted")
    }
}

/// Options that keep retries fast in tests.
func fastOptions() -> LogAnalyticsClient.Options {
    var options = LogAnalyticsClient.Options()
    options.initialBackoff = 0.01
    options.maxBackoff = 0.05
    options.maxAttempts = 3
    options.serverTimeout = 30
    return options
}

/// A JWT-shaped token with the given audience (unsigned; the server only reads `aud`).
func jwt(audience: String) -> String {
    func part(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(
            of: "+", with: "-"
        )
        .replacingOccurrences(of: "/", with: "_")
    }
    return part("{\"alg\":\"none\"}") + "." + part("{\"aud\":\"\(audience)\",\"exp\":4102444800}") + ".c2ln"
}

/// One day in January 2024, the window most tests ask for.
let testWindow = (
    from: DateTime.from(year: 2024, month: 1, day: 1)!, to: DateTime.from(year: 2024, month: 1, day: 2)!
)
