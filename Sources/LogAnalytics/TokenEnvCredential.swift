/// A token handed in through the environment (PATHPROOF_ACCESS_TOKEN), for pipelines that fetch their own.

import Foundation

/// A fixed token. Its expiry is PATHPROOF_ACCESS_TOKEN_EXPIRES_ON (epoch seconds) when given, else the
/// token's own `exp` claim, else one hour.
public struct TokenEnvCredential: AccessTokenProvider {
    let token: String
    let expiresOn: Date?

    /// Creates the credential over a token.
    public init(token: String, expiresOn: Date? = nil) {
        self.token = token
        self.expiresOn = expiresOn
    }

    public func token(for scope: String) async throws -> AccessToken {
        AccessToken(
            token: token, expiresOn: expiresOn ?? expiryClaim ?? Date().addingTimeInterval(3600), source: "token-env")
    }

    private var expiryClaim: Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
            let seconds = TokenEndpoint.number(object["exp"])
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

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
