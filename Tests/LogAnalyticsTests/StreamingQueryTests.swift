/// Queries whose rows go to a handler one at a time.

import Foundation
import LogAnalytics
import RowDecoding
import TableModel
import Testing

struct StreamingQueryTests {
    struct Stop: Error {}

    private func client(_ server: LoopbackServer, _ steps: String) -> LogAnalyticsClient {
        LogAnalyticsClient(
            workspaceID: "w", endpoint: server.endpoint(steps), credential: ScriptedCredential("t"),
            options: fastOptions())
    }

    @Test func `rows reach the handler one by one and the result keeps only columns`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let collected = Collected()
        let result = try await client(server, "s429,chunked.multi-row-100").queryStreaming("T", window: testWindow) {
            collected.events.append($0)
        }
        let rows = collected.events.compactMap { event -> [Value]? in
            if case .row(let row) = event { return row }
            return nil
        }
        #expect(rows.count == 100)
        #expect(rows.first?[0] == .long(100))
        #expect(result.tables.first?.columns.count == 12)
        #expect(result.tables.first?.rows.isEmpty == true)
        #expect(result.exchanges.last?.rows == 100)
        #expect(result.isComplete)
    }

    @Test func `a partial error still marks the streamed result incomplete`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "ok.partial-error-truncated").queryStreaming("T", window: testWindow) {
            _ in
        }
        #expect(!result.isComplete)
    }

    @Test func `an error thrown by the handler comes back as is`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        await #expect(throws: Stop.self) {
            _ = try await client(server, "ok.multi-row-100").queryStreaming("T", window: testWindow) { event in
                if case .row = event { throw Stop() }
            }
        }
    }
}

/// Events gathered by a handler (used from one task at a time).
final class Collected: @unchecked Sendable {
    var events: [ResponseEvent] = []
}
