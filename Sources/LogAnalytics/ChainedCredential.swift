/// The `auto` credential: the first of several credentials that is available, as DefaultAzureCredential.

import Foundation

/// Tries credentials in order and uses the first that is available, as DefaultAzureCredential does.
///
/// Only "not available here" (or any managed identity failure) moves on to the next one; a credential
/// that is configured but fails (a wrong secret, say) stops the chain, so a misconfiguration is never
/// hidden by a fallback.
public struct ChainedCredential: AccessTokenProvider {
    let links: [(kind: CredentialKind, provider: any AccessTokenProvider)]

    /// Creates the chain.
    public init(_ links: [(kind: CredentialKind, provider: any AccessTokenProvider)]) {
        self.links = links
    }

    public func token(for scope: String) async throws -> AccessToken {
        var reasons: [String] = []
        for link in links {
            do {
                let token = try await link.provider.token(for: scope)
                return AccessToken(token: token.token, expiresOn: token.expiresOn, source: "auto → " + token.source)
            } catch LogAnalyticsError.credentialUnavailable(let kind, let reason) {
                reasons.append("\(kind.rawValue): \(reason)")
            } catch  where link.kind == .managedIdentity {
                // Off Azure, whatever answers (or not) at the identity address is no identity of ours.
                reasons.append("managed-identity: \(error)")
            }
        }
        throw LogAnalyticsError.credentialUnavailable(
            kind: .auto, reason: "no credential worked; tried " + reasons.joined(separator: "; "))
    }
}
