/// Beating the 500,000-row / ~64 MB result limits: count per slice, split, fetch, reconcile, re-split.

import Foundation
import RowDecoding
import TableModel

extension LogAnalyticsClient {
    /// Runs `kql` over `window` in adjacent `[from, to)` slices small enough to come back whole.
    ///
    /// It counts the rows on the server first (`kql | count`) and splits the window into equal slices
    /// of at most ``Options/maxRowsPerSlice`` rows; each slice is fetched and its rows checked against
    /// its count. A slice that comes back truncated (a partial error), with a different number of rows,
    /// or timed out (504, without a retry of the same slice) is split in two and fetched again, down
    /// to ``Options/minimumSliceSeconds``;
    /// one that still does not reconcile makes the result incomplete, with the reason. At most
    /// ``Options/maxConcurrentRequests`` requests are in flight. Rows come back in slice order.
    ///
    /// The slices rely on the service applying the request's timespan as `[start, end)` to the
    /// queried tables' `TimeGenerated`, so adjacent slices neither overlap nor leave gaps.
    public func querySliced(_ kql: String, window: (from: DateTime, to: DateTime)) async throws(LogAnalyticsError)
        -> QueryResult
    {
        guard window.from < window.to else { throw .invalidWindow(from: window.from, to: window.to) }
        return try await slice(kql, window, counted: nil)
    }

    /// Counts (unless already counted), then fetches or splits one slice.
    private func slice(_ kql: String, _ window: (from: DateTime, to: DateTime), counted: Int?)
        async throws(LogAnalyticsError) -> QueryResult
    {
        var result = QueryResult()
        let count: Int
        if let counted {
            count = counted
        } else {
            let answer = try await countRows(kql, window)
            result.absorb(answer.provenance)
            count = answer.count
        }
        if count > options.maxRowsPerSlice && canSplit(window) {
            let parts = min(64, max(2, Int((Double(count) / Double(options.maxRowsPerSlice) * 1.25).rounded(.up))))
            result.notes.append("\(Self.timespan(window)) holds \(count) rows; split into \(parts) slices")
            result.absorb(try await slices(kql, split(window, into: parts)))
            return result
        }
        let fetched: QueryResult
        do {
            // A slice that can be split is retried smaller at once; only the smallest is retried as is.
            fetched = try await send(kql, window: window, retryingTimeouts: !canSplit(window))
        } catch .serverTimeout(let attempts, let message, let correlationID) {
            guard canSplit(window) else {
                throw .serverTimeout(attempts: attempts, message: message, correlationID: correlationID)
            }
            let reference = correlationID.map { " (correlation id \($0))" } ?? ""
            result.notes.append("\(Self.timespan(window)) timed out on the server\(reference); split in two")
            result.absorb(try await slices(kql, split(window, into: 2)))
            return result
        }
        let rows = fetched.rowCount
        let reconciled = fetched.isComplete && rows == count
        if !reconciled && canSplit(window) {
            var provenance = fetched
            provenance.tables = []
            provenance.incompleteReasons = []
            provenance.partialErrors = []
            provenance.rawResponsePaths = []
            provenance.notes.append(
                "\(Self.timespan(window)) came back with \(rows) of \(count) counted rows"
                    + (fetched.isComplete ? "" : " and a partial error") + "; split in two")
            result.absorb(provenance)
            result.absorb(try await slices(kql, split(window, into: 2)))
            return result
        }
        result.absorb(fetched)
        if fetched.isComplete && rows != count {
            result.incompleteReasons.append(
                "\(Self.timespan(window)): fetched \(rows) rows but the service counted \(count), and the slice "
                    + "cannot be split further")
        }
        result.slices.append(
            QuerySlice(from: window.from, to: window.to, counted: count, fetched: rows, reconciled: reconciled))
        return result
    }

    /// Runs adjacent slices concurrently (the gate bounds requests in flight) and joins them in order.
    private func slices(_ kql: String, _ windows: [(from: DateTime, to: DateTime)]) async throws(LogAnalyticsError)
        -> QueryResult
    {
        do {
            return try await withThrowingTaskGroup(of: (Int, QueryResult).self) { group in
                for (index, window) in windows.enumerated() {
                    group.addTask { (index, try await self.slice(kql, window, counted: nil)) }
                }
                var parts: [QueryResult?] = Array(repeating: nil, count: windows.count)
                for try await (index, part) in group { parts[index] = part }
                var joined = QueryResult()
                for part in parts { if let part { joined.absorb(part) } }
                return joined
            }
        } catch let error as LogAnalyticsError {
            throw error
        } catch {
            throw .transport(attempts: 0, reason: "\(error)")
        }
    }

    /// `kql | count` over `window`: the number, and the exchange records (no tables).
    private func countRows(_ kql: String, _ window: (from: DateTime, to: DateTime)) async throws(LogAnalyticsError)
        -> (count: Int, provenance: QueryResult)
    {
        var answer = try await send(kql + "\n| count", window: window)
        let requestID = answer.clientRequestIDs.last ?? "?"
        guard answer.isComplete else {
            throw .invalidResponse(
                clientRequestID: requestID,
                .notAQueryResponse(
                    "the row count came back partial: \(answer.incompleteReasons.joined(separator: "; "))"))
        }
        guard let cell = answer.tables.first?.rows.first?.first, case .long(let count) = cell, count >= 0 else {
            throw .invalidResponse(
                clientRequestID: requestID, .notAQueryResponse("the row count is not one long number"))
        }
        answer.tables = []
        answer.rawResponsePaths = []
        return (Int(count), answer)
    }

    private func canSplit(_ window: (from: DateTime, to: DateTime)) -> Bool {
        window.to.ticks - window.from.ticks >= 2 * options.minimumSliceSeconds * DateTime.ticksPerSecond
    }

    /// `parts` adjacent slices of equal length (whole ticks) covering `window` exactly.
    func split(_ window: (from: DateTime, to: DateTime), into parts: Int) -> [(from: DateTime, to: DateTime)] {
        let span = window.to.ticks - window.from.ticks
        let count = Int64(max(1, min(parts, Int(span))))
        var bounds = (0...count).map {
            DateTime(ticks: window.from.ticks + span / count * $0 + span % count * $0 / count)
        }
        bounds[bounds.count - 1] = window.to
        return (0..<Int(count)).map { (from: bounds[$0], to: bounds[$0 + 1]) }
    }
}
