/// User-assigned managed identities, `auto`'s order, token refresh before expiry, and 429 backoff.

import Foundation
import Testing

@testable import LogAnalytics

struct CredentialSelectionTests {
    private let scope = "https://api.loganalytics.io/.default"

    @Test(arguments: [
        ("PATHPROOF_MANAGED_IDENTITY_OBJECT_ID", "0b1e0000-0000-0000-0000-0000000000aa", "object_id"),
        (
            "PATHPROOF_MANAGED_IDENTITY_RESOURCE_ID",
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u",
            "msi_res_id"
        ),
    ])
    func `a user-assigned managed identity is named to IMDS by object id or resource id`(
        variable: String, value: String, parameter: String
    ) async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = ["PATHPROOF_IMDS_ENDPOINT": server.base("imds", "ok").absoluteString, variable: value]
        _ = try await LogAnalyticsClient.makeCredential(kind: .managedIdentity, environment: environment)
            .token(for: scope)
        let requests = try await server.requests()
        #expect(requests.count == 1)
        let query = URLComponents(string: requests[0].path)?.queryItems ?? []
        #expect(query.contains(URLQueryItem(name: parameter, value: value)), "\(query)")
        #expect(!query.contains { $0.name == "client_id" })
    }

    @Test func `auto uses workload identity before managed identity and the Azure CLI`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pp-federated-\(UUID().uuidString)")
        try "federated-assertion".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_FEDERATED_TOKEN_FILE": file.path,
            "AZURE_AUTHORITY_HOST": server.base("token", "ok").absoluteString,
            "PATHPROOF_IMDS_ENDPOINT": server.base("imds", "ok").absoluteString, "PATHPROOF_AZ": "/nonexistent/az",
        ]
        let token = try await LogAnalyticsClient.makeCredential(kind: .auto, environment: environment).token(for: scope)
        #expect(token.source == "auto → workload-identity")
        let requests = try await server.requests()
        #expect(requests.map { $0.path.contains("/token/") } == [true], "IMDS must not be asked")
        #expect(requests.first?.form["client_assertion"] == "federated-assertion")
    }

    /// Hands out tokens that expire `lifetime` seconds from now, counting the calls.
    final class CountingProvider: AccessTokenProvider, @unchecked Sendable {
        let lifetime: TimeInterval
        private let lock = NSLock()
        private var issued = 0

        init(lifetime: TimeInterval) { self.lifetime = lifetime }

        var calls: Int { lock.withLock { issued } }

        func token(for scope: String) async throws -> AccessToken {
            let number = lock.withLock {
                issued += 1
                return issued
            }
            return AccessToken(
                token: "token-\(number)", expiresOn: Date().addingTimeInterval(lifetime), source: "counting")
        }
    }

    @Test func `a token is reused while it has more than the margin left and renewed before it expires`()
        async throws
    {
        let lasting = CountingProvider(lifetime: 3600)
        let cache = TokenCache(provider: lasting, scope: scope, refreshMargin: 300)
        let first = try await cache.token()
        let second = try await cache.token()
        #expect(first.token == second.token && lasting.calls == 1)

        // Four minutes left is inside the five-minute margin: every use renews it, before it expires.
        let expiring = CountingProvider(lifetime: 240)
        let renewing = TokenCache(provider: expiring, scope: scope, refreshMargin: 300)
        let old = try await renewing.token()
        let new = try await renewing.token()
        #expect(old.token != new.token && expiring.calls == 2)
        #expect(new.expiresOn > Date())
    }

    @Test func `429 backoff without Retry-After grows exponentially, is capped, and is jittered`() {
        var options = LogAnalyticsClient.Options()
        options.initialBackoff = 2
        options.maxBackoff = 60
        let client = LogAnalyticsClient(
            workspaceID: "w", endpoint: URL(string: "http://127.0.0.1:1")!,
            credential: TokenEnvCredential(token: "t"), options: options)
        for attempt in 1...8 {
            let ceiling = min(60, 2 * pow(2, Double(attempt - 1)))
            let delays = (0..<50).map { _ in client.backoff(attempt) }
            #expect(delays.allSatisfy { $0 >= ceiling / 2 && $0 <= ceiling }, "attempt \(attempt): \(delays)")
            #expect(Set(delays).count > 1, "attempt \(attempt) has no jitter")
        }
    }
}
