/// Keeping one token per client and refreshing it before it expires (or when the API refuses it).

import Foundation

/// Caches the token of one credential for one scope; concurrent callers share one refresh.
actor TokenCache {
    private let provider: any AccessTokenProvider
    private let scope: String
    /// A token is renewed when it has less than this left.
    private let refreshMargin: TimeInterval
    private var cached: AccessToken?
    private var refreshing: Task<AccessToken, any Error>?

    init(provider: any AccessTokenProvider, scope: String, refreshMargin: TimeInterval = 300) {
        self.provider = provider
        self.scope = scope
        self.refreshMargin = refreshMargin
    }

    /// A token valid for at least the refresh margin (or the freshest the credential gives).
    func token() async throws(LogAnalyticsError) -> AccessToken {
        if let cached, cached.expiresOn.timeIntervalSinceNow > refreshMargin { return cached }
        let task: Task<AccessToken, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let provider = provider
            let scope = scope
            task = Task { try await provider.token(for: scope) }
            refreshing = task
        }
        defer { refreshing = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch let error as LogAnalyticsError {
            throw error
        } catch {
            throw .credentialUnavailable(kind: .auto, reason: "\(error)")
        }
    }

    /// Forgets the cached token (the API said it is expired or invalid), so the next call fetches anew.
    func invalidate() {
        cached = nil
    }
}
