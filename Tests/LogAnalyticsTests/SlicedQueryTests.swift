/// Sliced queries against a synthetic table on the loopback server that truncates and times out.

import Foundation
import LogAnalytics
import TableModel
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct SlicedQueryTests {
    /// The server's synthetic table: one row per second from 2024-01-01T00:00:00Z.
    private let start = DateTime.from(year: 2024, month: 1, day: 1)!

    private func window(seconds: Int64) -> (from: DateTime, to: DateTime) {
        (from: start, to: DateTime(ticks: start.ticks + seconds * DateTime.ticksPerSecond))
    }

    private func client(_ server: LoopbackServer, _ steps: String, maxRows: Int) -> LogAnalyticsClient {
        var options = fastOptions()
        options.maxRowsPerSlice = maxRows
        return LogAnalyticsClient(
            workspaceID: "w", endpoint: server.endpoint(steps), credential: ScriptedCredential("t"), options: options)
    }

    /// The sequence numbers fetched, in order.
    private func sequence(_ result: QueryResult) -> [Int64] {
        (result.tables.first?.rows ?? []).compactMap { row in
            if case .long(let number) = row[1] { return number }
            return nil
        }
    }

    private func expectCoverage(_ result: QueryResult, _ window: (from: DateTime, to: DateTime)) {
        #expect(result.slices.first?.from == window.from)
        #expect(result.slices.last?.to == window.to)
        for (earlier, later) in zip(result.slices, result.slices.dropFirst()) { #expect(earlier.to == later.from) }
    }

    @Test func `a window over the row limit is counted, split and every row fetched once`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let window = window(seconds: 1000)
        let result = try await client(server, "slices.1000.300", maxRows: 250).querySliced("T", window: window)
        #expect(result.isComplete)
        #expect(sequence(result) == Array(0..<1000))
        #expect(result.slices.count == 5)
        #expect(result.slices.allSatisfy { $0.reconciled && $0.counted == $0.fetched })
        expectCoverage(result, window)
        let bodies = try await server.requests().map(\.body)
        #expect(bodies.first?.contains("T\\n| count") == true)
    }

    @Test func `a slice truncated by the service is split again until it reconciles`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let window = window(seconds: 1000)
        let result = try await client(server, "slices.1000.100", maxRows: 400).querySliced("T", window: window)
        #expect(result.isComplete, "\(result.incompleteReasons)")
        #expect(sequence(result) == Array(0..<1000))
        #expect(result.slices.allSatisfy { $0.fetched <= 100 && $0.reconciled })
        #expect(result.notes.contains { $0.contains("and a partial error; split in two") })
        expectCoverage(result, window)
    }

    @Test func `a slice that times out (504) is split in two`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "slices.600.1000.150", maxRows: 400).querySliced(
            "T", window: window(seconds: 600))
        #expect(result.isComplete)
        #expect(sequence(result) == Array(0..<600))
        #expect(result.notes.contains { $0.contains("timed out on the server") && $0.hasSuffix("; split in two") })
        // A 504 is retried with a smaller slice, never with the same one: as the server saw them, no
        // window's rows were asked for twice.
        let fetches = try await server.requests().compactMap { request -> String? in
            guard let body = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: String],
                body["query"] == "T"
            else { return nil }
            return body["timespan"]
        }
        #expect(fetches.count > 2)
        #expect(Set(fetches).count == fetches.count, "a window was fetched again after its 504: \(fetches)")
    }

    @Test func `a slice that cannot be split small enough leaves the result incomplete`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "slices.4.0", maxRows: 10).querySliced("T", window: window(seconds: 4))
        #expect(!result.isComplete)
        #expect(result.incompleteReasons.contains { $0.contains("E_QUERY_RESULT_SET_TOO_LARGE") })
        #expect(result.slices.count == 4)
        #expect(result.slices.allSatisfy { !$0.reconciled })
    }

    @Test func `no more than five requests are ever in flight`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "slices.2000.1000", maxRows: 50).querySliced(
            "T", window: window(seconds: 2000))
        #expect(result.isComplete)
        #expect(result.slices.count >= 40)
        let (data, _) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(server.port)/stats/\(server.run)")!)
        let stats = try JSONSerialization.jsonObject(with: data) as? [String: Int]
        let most = try #require(stats?["max_in_flight"])
        #expect(most <= 5)
        #expect(most >= 2)
    }
}
