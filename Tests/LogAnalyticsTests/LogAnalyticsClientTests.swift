/// The query client against the loopback server replaying real recorded responses.

import Foundation
import LogAnalytics
import RowDecoding
import TableModel
import Testing

struct LogAnalyticsClientTests {
    private func client(
        _ server: LoopbackServer, _ steps: String, token: String = jwt(audience: "https://api.loganalytics.io"),
        options: LogAnalyticsClient.Options = fastOptions()
    ) -> LogAnalyticsClient {
        LogAnalyticsClient(
            workspaceID: "00000000-0000-0000-0000-0000000000b1", endpoint: server.endpoint(steps),
            credential: ScriptedCredential(token), options: options)
    }

    @Test func `a query is a POST with timespan, wait, no-cache and a request id, and decodes every type`() async throws
    {
        let server = try LoopbackServer()
        defer { server.stop() }
        let token = jwt(audience: "https://api.loganalytics.io")
        let result = try await client(server, "ok.all-types", token: token).query("print 'it''s'", window: testWindow)

        #expect(result.isComplete)
        #expect(result.tables.count == 1)
        #expect(result.tables[0].rows[0][4] == .long(1_234_567_890_123))
        #expect(result.credentialSource == "scripted")
        let requests = try await server.requests()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.path.hasSuffix("/v1/workspaces/00000000-0000-0000-0000-0000000000b1/query"))
        #expect(request.header("Prefer") == "wait=30")
        #expect(request.header("Cache-Control") == "no-cache")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Authorization") == "Bearer " + token)
        #expect(request.header("x-ms-client-request-id") == result.clientRequestIDs.first)
        #expect(request.header("Accept-Encoding")?.contains("gzip") == true)
        let body = try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: String]
        #expect(body?["query"] == "print 'it''s'")
        #expect(body?["timespan"] == "2024-01-01T00:00:00.0000000Z/2024-01-02T00:00:00.0000000Z")
    }

    @Test(arguments: ["partial-error-truncated", "partial-error-datasize-dynamic-strings", "partial-error-overflow"])
    func `a partial error on a 200 makes the result incomplete and names the inner error`(fixture: String) async throws
    {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "ok.\(fixture)").query("T", window: testWindow)
        #expect(!result.isComplete)
        #expect(result.partialErrors.count == 1)
        let reason = try #require(result.incompleteReasons.first)
        #expect(reason.contains("PartialError"))
        #expect(reason.contains(fixture == "partial-error-overflow" ? "E_OVERFLOW" : "E_QUERY_RESULT_SET_TOO_LARGE"))
        #expect(result.tables.first?.rows.count == 1)
    }

    @Test func `429 without Retry-After backs off and retries`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "s429,s429,ok.all-types").query("T", window: testWindow)
        #expect(result.isComplete)
        #expect(result.clientRequestIDs.count == 3)
        #expect(Set(result.clientRequestIDs).count == 3)
        #expect(try await server.requests().count == 3)
    }

    @Test func `429 with Retry-After waits that long`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let started = Date()
        let result = try await client(server, "s429ra1,ok.all-types").query("T", window: testWindow)
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(result.notes.contains { $0.contains("throttled (429); waited 1.0 s") })
    }

    @Test func `429 on every attempt gives up after the bounded attempts`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        await #expect {
            _ = try await client(server, "s429").query("T", window: testWindow)
        } throws: { error in
            guard case LogAnalyticsError.throttled(let attempts, _) = error else { return false }
            return attempts == 3
        }
        #expect(try await server.requests().count == 3)
    }

    @Test func `a 504 on a query whose rows add up is retried at once over the two halves of the window`()
        async throws
    {
        let server = try LoopbackServer()
        defer { server.stop() }
        let plain = try await client(server, "ok.multi-row-100").query("T", window: testWindow)
        let window = (from: testWindow.from, to: DateTime(ticks: testWindow.from.ticks + 3_600 * 10_000_000 + 7))
        let split = try await client(server, "s504,s504,ok.multi-row-100").querySplittingOnTimeout("T", window: window)
        #expect(split.isComplete)
        #expect(split.tables.first?.rows.count == 3 * (plain.tables.first?.rows.count ?? 0), "three pieces")
        // The window was never asked for again whole: halves split at minute boundaries instead,
        // and the first half, which timed out too, was split once more.
        let spans = try await server.requests().dropFirst().compactMap { request -> String? in
            (try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: String])?["timespan"]
        }
        #expect(
            spans == [
                "2024-01-01T00:00:00.0000000Z/2024-01-01T01:00:00.0000007Z",
                "2024-01-01T00:00:00.0000000Z/2024-01-01T00:30:00.0000000Z",
                "2024-01-01T00:00:00.0000000Z/2024-01-01T00:15:00.0000000Z",
                "2024-01-01T00:15:00.0000000Z/2024-01-01T00:30:00.0000000Z",
                "2024-01-01T00:30:00.0000000Z/2024-01-01T01:00:00.0000007Z",
            ], "\(spans)")
        #expect(split.notes.filter { $0.hasSuffix("split in two") }.count == 2)
    }

    @Test func `504 is retried once, and a second 504 is a server timeout`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let once = try await client(server, "s504,ok.all-types").query("T", window: testWindow)
        #expect(once.isComplete)
        #expect(once.correlationIDs == ["88353e93-6e1b-425c-9867-2a1f05c3d070"])
        #expect(once.exchanges.map(\.status) == [504, 200])
        await #expect {
            _ = try await client(server, "s504,s504,ok.all-types").query("T2", window: testWindow)
        } throws: { error in
            "\(error)".contains("timed out on the server") && "\(error)".contains("ADX query timed out")
        }
    }

    @Test(arguments: ["drop", "dropchunked"])
    func `a connection dropped mid-body is retried and never taken as a whole answer`(kind: String) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let result = try await client(server, "\(kind).multi-row-100,ok.multi-row-100").query("T", window: testWindow)
        #expect(result.tables.first?.rows.count == 100)
        #expect(try await server.requests().count == 2)
        await #expect(throws: LogAnalyticsError.self) {
            _ = try await client(server, "\(kind).wide-resource-query").query("T", window: testWindow)
        }
    }

    @Test(arguments: ["chunked", "gzip"])
    func `tiny chunks and gzip decode to the same rows as a plain body`(kind: String) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let plain = try await client(server, "ok.wide-resource-query").query("T", window: testWindow)
        let other = try await client(server, "\(kind).wide-resource-query").query("T", window: testWindow)
        #expect(other.tables == plain.tables)
        #expect(plain.tables.first?.rows.count == 30)
    }

    @Test func `a body that trickles in as tiny chunks over seconds is waited for and decoded whole`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let plain = try await client(server, "ok.wide-resource-query").query("T", window: testWindow)
        let started = Date()
        let slow = try await client(server, "slowchunked.wide-resource-query").query("T", window: testWindow)
        #expect(Date().timeIntervalSince(started) >= 1.0, "the body was not slow")
        #expect(slow.tables == plain.tables)
        #expect(slow.isComplete)
        #expect(try await server.requests().count == 2, "no retry")
    }

    @Test func `an expired token is refreshed once and the query retried`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let good = jwt(audience: "https://api.loganalytics.io")
        let credential = ScriptedCredential("expired-token", good)
        let client = LogAnalyticsClient(
            workspaceID: "w", endpoint: server.endpoint("auth.all-types"), credential: credential,
            options: fastOptions())
        let result = try await client.query("T", window: testWindow)
        #expect(result.isComplete)
        #expect(await credential.calls == 2)
        let requests = try await server.requests()
        #expect(requests.map { $0.header("Authorization") } == ["Bearer expired-token", "Bearer " + good])
    }

    @Test func `a token for the wrong audience is explained without printing it`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let wrong = jwt(audience: "https://management.azure.com")
        await #expect {
            _ = try await client(server, "auth.all-types", token: wrong).query("T", window: testWindow)
        } throws: { error in
            let text = "\(error)"
            return text.contains("HTTP 403 InvalidAuthenticationTokenAudience")
                && text.contains("'https://management.azure.com'") && text.contains("'https://api.loganalytics.io'")
                && !text.contains(wrong)
        }
    }

    @Test func `a missing table (SEM0100) is recognised as the table being absent`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        await #expect {
            _ = try await client(server, "status.400.thirdparty-azkv-table-missing-sem0100-400").query(
                "AZKVAuditLogs", window: testWindow)
        } throws: { error in
            guard case LogAnalyticsError.tableNotFound(let table, _, let correlation) = error else { return false }
            return table == "AZKVAuditLogs" && correlation == "00000000-0000-4000-8000-0000000000b1"
        }
    }

    @Test func `syntax errors, unknown workspaces and empty answers are clear errors`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        await #expect {
            _ = try await client(server, "status.400.syntax-error-400").query("a", window: testWindow)
        } throws: { error in
            guard case LogAnalyticsError.badQuery(let code, let message, _) = error else { return false }
            return code == "SYN0002" && message.contains("line [1,4]")
        }
        await #expect {
            _ = try await client(server, "status.404.path-not-found-404").query("T", window: testWindow)
        } throws: { error in
            "\(error)".contains("not its name") && "\(error)".contains("PathNotFoundError")
        }
        await #expect {
            _ = try await client(server, "empty").query("T", window: testWindow)
        } throws: { error in
            if case LogAnalyticsError.emptyResponse = error { return true }
            return false
        }
        let noData = try await client(server, "s204").query("T", window: testWindow)
        #expect(noData.tables.isEmpty)
        #expect(noData.notes.contains { $0.contains("204 No Content") })
    }

    @Test func `raw responses are kept by client request id when asked`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pp-raw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = fastOptions()
        options.responseDirectory = directory
        let result = try await client(server, "s429,ok.multi-row-100", options: options).query("T", window: testWindow)
        let path = try #require(result.rawResponsePaths.first)
        #expect(result.rawResponsePaths.count == 1)
        #expect(path.lastPathComponent == result.clientRequestIDs[1] + ".json")
        let kept = try Data(contentsOf: path)
        #expect(kept == (try Data(contentsOf: LoopbackServer.fixtures.appendingPathComponent("multi-row-100.json"))))
        #expect(result.notes.contains { $0.contains("Age") } == false)
    }

    @Test func `an empty or reversed window is refused before any request`() async throws {
        let client = LogAnalyticsClient(
            workspaceID: "w", endpoint: URL(string: "http://127.0.0.1:9")!, credential: ScriptedCredential("t"))
        await #expect(throws: LogAnalyticsError.self) {
            _ = try await client.query("T", window: (from: testWindow.to, to: testWindow.from))
        }
    }

    @Test func `each cloud has its own host and audience`() {
        #expect(Cloud.public.queryEndpoint.absoluteString == "https://api.loganalytics.azure.com")
        #expect(Cloud.public.scope == "https://api.loganalytics.io/.default")
        #expect(Cloud.china.queryEndpoint.host == "api.loganalytics.azure.cn")
        #expect(Cloud.usgov.queryEndpoint.host == "api.loganalytics.us")
        #expect(Cloud.usgov.authorityHost.host == "login.microsoftonline.us")
    }
}
