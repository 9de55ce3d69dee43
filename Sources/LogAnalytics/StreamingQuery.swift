/// Queries whose rows are handled one at a time, so a large result never sits in memory.

import Foundation
import RowDecoding
import TableModel

/// Carries a row handler through one request.
final class RowSink {
    let handle: (ResponseEvent) throws -> Void
    /// Whether any event reached the handler (then a cut body must not be retried).
    var delivered = false
    /// What the handler threw, if it did.
    var failure: (any Error)?

    init(_ handle: @escaping (ResponseEvent) throws -> Void) { self.handle = handle }
}

extension LogAnalyticsClient {
    /// Runs `kql` over `window` in one request and hands each table start, row, table end and partial
    /// error to `handle` as the downloaded body is decoded, holding only one row at a time.
    ///
    /// The returned result has the tables' columns but no rows (``QueryExchange/rows`` counts them),
    /// and is incomplete when the service reported a partial error.
    /// - Throws: ``LogAnalyticsError``, or whatever `handle` throws. After an error, discard any rows
    ///   already handled: a body that turned out unreadable half-way is not retried.
    public func queryStreaming(
        _ kql: String, window: (from: DateTime, to: DateTime), handle: @escaping (ResponseEvent) throws -> Void
    ) async throws -> QueryResult {
        guard window.from < window.to else { throw LogAnalyticsError.invalidWindow(from: window.from, to: window.to) }
        let sink = RowSink(handle)
        do {
            return try await send(kql, window: window, sink: sink)
        } catch {
            if let failure = sink.failure { throw failure }
            throw error
        }
    }
}
