/// One HTTP exchange with the query API, the response body downloaded to a file (no backpressure on Linux).

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A finished HTTP exchange; the body is in a file the caller owns.
struct HTTPExchange: Sendable {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    var bodyFile: URL

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body bytes (for small error bodies only).
    func smallBody(limit: Int = 1 << 20) -> Data {
        guard let handle = try? FileHandle(forReadingFrom: bodyFile) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: limit)) ?? Data()
    }
}

/// Sends requests with URLSession and downloads each response body to a temporary file.
///
/// FoundationNetworking on Linux cannot pause a data task, so a slow consumer would pile the whole body
/// up in memory; a download task writes it to disk instead, and the caller streams it from there.
final class HTTPTransport: Sendable {
    private let session: URLSession
    let directory: URL

    /// - Parameters:
    ///   - timeout: seconds without progress before a request fails (above the server's `Prefer: wait`).
    ///   - directory: where response bodies are written.
    init(timeout: TimeInterval, directory: URL) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 4
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
        self.directory = directory
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends `request` and moves the downloaded body into ``directory``.
    func send(_ request: URLRequest) async throws -> HTTPExchange {
        let (temporary, response) = try await session.download(for: request)
        let destination = directory.appendingPathComponent("response-\(UUID().uuidString.lowercased()).json")
        try FileManager.default.moveItem(at: temporary, to: destination)
        guard let http = response as? HTTPURLResponse else {
            try? FileManager.default.removeItem(at: destination)
            throw URLError(.badServerResponse)
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPExchange(status: http.statusCode, headers: headers, bodyFile: destination)
    }
}

/// Lets at most `limit` operations run at once; the others wait in order.
actor ConcurrencyGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
