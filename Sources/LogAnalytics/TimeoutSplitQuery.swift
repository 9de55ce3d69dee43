/// A 504 answered with a smaller window: for queries whose rows add up over adjacent windows.

import TableModel

extension LogAnalyticsClient {
    /// Runs `kql` over `window`; when the service times out (504), runs it again at once over the
    /// two halves of the window, split at a multiple of `alignment` seconds, and joins their rows.
    ///
    /// Only for queries whose result over a window is the union of their results over adjacent
    /// parts of it: row-level queries, or a `summarize ... by bin(TimeGenerated, B)` whose bin `B`
    /// divides `alignment` (each bin then falls wholly in one half). A half that times out is split
    /// again, down to ``Options/minimumSliceSeconds``; below that, the 504 is retried once as is.
    /// Rows come back in window order, not re-sorted.
    public func querySplittingOnTimeout(
        _ kql: String, window: (from: DateTime, to: DateTime), alignment seconds: Int64 = 60
    ) async throws(LogAnalyticsError) -> QueryResult {
        guard window.from < window.to else { throw .invalidWindow(from: window.from, to: window.to) }
        let middle = alignedMiddle(window, alignment: seconds)
        do {
            return try await send(kql, window: window, retryingTimeouts: middle == nil)
        } catch .serverTimeout(let attempts, let message, let correlationID) {
            guard let middle else {
                throw .serverTimeout(attempts: attempts, message: message, correlationID: correlationID)
            }
            var result = QueryResult()
            let reference = correlationID.map { " (correlation id \($0))" } ?? ""
            result.notes.append("\(Self.timespan(window)) timed out on the server\(reference); split in two")
            result.absorb(
                try await querySplittingOnTimeout(kql, window: (window.from, middle), alignment: seconds))
            result.absorb(try await querySplittingOnTimeout(kql, window: (middle, window.to), alignment: seconds))
            return result
        }
    }

    /// The multiple of `alignment` seconds nearest the middle of `window` that leaves both halves at
    /// least ``Options/minimumSliceSeconds`` long; `nil` when the window is too short to split.
    func alignedMiddle(_ window: (from: DateTime, to: DateTime), alignment seconds: Int64) -> DateTime? {
        let step = max(1, seconds) * DateTime.ticksPerSecond
        let minimum = max(options.minimumSliceSeconds * DateTime.ticksPerSecond, step)
        let middle = window.from.ticks + (window.to.ticks - window.from.ticks) / 2
        let aligned = (middle / step) * step
        guard aligned - window.from.ticks >= minimum, window.to.ticks - aligned >= minimum else { return nil }
        return DateTime(ticks: aligned)
    }
}
