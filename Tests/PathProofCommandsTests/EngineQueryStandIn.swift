/// A loopback stand-in of the Log Analytics query API that answers every query with the embedded
/// engine over the records that have been ingested by a simulated clock.
///
/// Each planted record carries an ingestion time; `advance(to:)` moves the clock, and only records
/// ingested at or before it are visible, so rows arrive late exactly as they do in a real workspace.
/// The timespan of each request restricts TimeGenerated, as the service does. `stall(request:)` holds
/// one request without an answer until `releaseStall()`, for killing a client mid-run.

import Foundation
import PathProofCommands
import Synchronization
import TableModel

#if canImport(Glibc)
    import Glibc
#endif

/// One record of the simulated workspace: a PT1H.json line and when it became queryable.
struct PlantedRecord {
    let line: String
    let ingestedAt: DateTime
}

/// An HTTP/1.1 server on 127.0.0.1 serving `POST /v1/workspaces/<id>/query` from the engine.
final class EngineQueryStandIn: @unchecked Sendable {
    private struct State {
        var workspace: String?
        var requests = 0
        var stallAt: Int?
        var stalled = false
        var log: [String] = []
    }

    let port: Int
    private let listener: Int32
    private let scratch: URL
    private let records: [PlantedRecord]
    private let state = Mutex(State())
    private let stallReached = DispatchSemaphore(value: 0)
    private let stallReleased = DispatchSemaphore(value: 0)
    private let cli: CLIHarness

    /// The `--endpoint` value that reaches this server.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    init(records: [PlantedRecord], cli: CLIHarness) throws {
        self.records = records
        self.cli = cli
        scratch = cli.root.appendingPathComponent("stand-in")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 32) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot listen on 127.0.0.1"])
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Moves the simulated clock: the workspace now holds every record ingested at or before `now`.
    func advance(to now: DateTime) throws {
        let visible = records.filter { $0.ingestedAt <= now }.map(\.line)
        let name = "visible-\(now.ticks)"
        let logs = scratch.appendingPathComponent("\(name).json")
        try (visible.joined(separator: "\n") + "\n").write(to: logs, atomically: true, encoding: .utf8)
        let workspace = scratch.appendingPathComponent("\(name).sqlite").path
        let ingested = cli.run(["ingest", "--workspace", workspace, logs.path])
        guard ingested.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: ingested.err])
        }
        state.withLock { $0.workspace = workspace }
    }

    /// Holds the `number`th request from now (1 = the next one) without an answer.
    func stall(request number: Int) {
        state.withLock { $0.stallAt = $0.requests + number }
    }

    /// Waits until the stalled request has arrived; false after `seconds`.
    func waitForStall(seconds: Double) -> Bool {
        stallReached.wait(timeout: .now() + seconds) == .success
    }

    /// Lets the stalled request go (its client is gone by then; the answer is dropped).
    func releaseStall() {
        stallReleased.signal()
    }

    /// Every query text received so far, in order.
    var queries: [String] { state.withLock { $0.log } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            let thread = Thread { [self] in
                serve(connection)
                close(connection)
            }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        guard let request = readRequest(connection) else { return }
        let (status, body) = answer(request)
        let head =
            "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Bad Request")\r\nContent-Type: application/json; "
            + "charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + body).utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads one request and returns its body (the headers are not needed).
    private func readRequest(_ connection: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var bodyStart: Int?
        var expected = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
            if bodyStart == nil, let end = headerEnd(data) {
                bodyStart = end
                let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    expected = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let start = bodyStart, data.count - start >= expected { return Array(data[start..<(start + expected)]) }
        }
    }

    private func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// Runs the request's query over its timespan with the engine, as the service would answer it.
    private func answer(_ body: [UInt8]) -> (Int, String) {
        guard let request = try? JSONParser.parse(bytes: body), let query = request["query"]?.stringValue,
            let timespan = request["timespan"]?.stringValue
        else { return (400, #"{"error":{"code":"BadArgumentError","message":"no query or timespan"}}"#) }
        let (workspace, stall) = state.withLock { state -> (String?, Bool) in
            state.requests += 1
            state.log.append(query)
            return (state.workspace, state.requests == state.stallAt)
        }
        if stall {
            stallReached.signal()
            stallReleased.wait()
        }
        let bounds = timespan.split(separator: "/").map(String.init)
        guard let workspace, bounds.count == 2 else {
            return (400, #"{"error":{"code":"BadArgumentError","message":"bad timespan"}}"#)
        }
        let code = query.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let table = code.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard table == "AzureDiagnostics" else {
            return (400, Self.tableNotFound(String(table)))
        }
        let result = cli.run([
            "query", "--workspace", workspace, "--format", "json", "--from", bounds[0], "--to", bounds[1], query,
        ])
        guard result.status == 0 else {
            return (400, #"{"error":{"code":"BadArgumentError","message":"# + JSONText.quoted(result.err) + "}}")
        }
        return (200, result.out)
    }

    /// The service's answer for a table the workspace never received (SEM0100).
    static func tableNotFound(_ table: String) -> String {
        let message = "'\(table)' operator: Failed to resolve table or column expression named '\(table)'"
        return #"{"error":{"code":"BadArgumentError","message":"The request had some invalid properties","#
            + #""innererror":{"code":"SemanticError","message":"A semantic error occurred.","#
            + #""innererror":{"code":"SEM0100","message":"# + JSONText.quoted(message) + "}}}}"
    }
}
